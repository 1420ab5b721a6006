"""The ``cuda-tiled`` backend: the kernel a GPU engineer would write.

Differences from the textbook ``cuda`` kernel, and why:

- each block first copies its input tile plus halo into shared memory, applying
  the padding map once per tile element, so every input pixel is read from
  global memory about once instead of kh·kw times;
- the block's weights for the current input channel sit in shared memory too;
- each thread computes ``ROWS`` output rows (``ROWS`` cells spaced a block
  height apart) and, for multi-channel layers, ``COB`` output channels, so a
  loaded pixel and a loaded weight are reused from registers.

Each cell still sums its taps in the order input channel, kernel row, kernel
column, starting from float32(0). Zero padding is loaded as 0 and added as a
±0 product, which leaves a float32 sum unchanged, so on the simulator the
result is bit-for-bit the ``cpu`` result. Problems whose tile does not fit in
shared memory are refused with the reason and computed by the ``cuda`` kernel.
"""

from __future__ import annotations

import numpy as np
from numba import cuda, float32

from convviz.backends.cuda import CudaBackend, _map_index_dev, cuda_typeof
from convviz.core.launch import BLOCK, Launch, launch_for
from convviz.errors import ConvvizError

BLOCK_X, BLOCK_Y = 32, 8  # threads: 32 along a row (one warp, coalesced), 8 rows
ROWS = 4  # output rows per thread: a block covers 32 × 32 outputs
SHARED_LIMIT = 48 * 1024  # bytes of shared memory a block may use without opting in

_kernels: dict[tuple[int, int], object] = {}


def make_tiled_kernel(rows: int, cob: int):
    """The tiled kernel's Python source for ``rows`` rows and ``cob`` output channels per thread.

    ``rows`` and ``cob`` are closure constants, so the register arrays have a
    size known at compile time.
    """
    nacc = rows * cob

    def conv_tiled_kernel(
        x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups, pad_end_y, pad_end_x, ih, iw
    ):
        sh = cuda.shared.array(0, float32)
        acc = cuda.local.array(nacc, float32)
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        bx = cuda.blockDim.x
        by = cuda.blockDim.y
        tid = ty * bx + tx
        nthreads = bx * by
        c_out = out.shape[0]
        ho = out.shape[1]
        wo = out.shape[2]
        cin_g = w.shape[1]
        kh = w.shape[2]
        kw = w.shape[3]
        h = x.shape[1]
        wd = x.shape[2]
        co0 = cuda.blockIdx.z * cob
        c0 = (co0 // (c_out // groups)) * cin_g
        ox0 = cuda.blockIdx.x * bx
        oy0 = cuda.blockIdx.y * by * rows
        iy0 = oy0 * sy - pt  # tile origin in input coordinates (may be negative)
        ix0 = ox0 * sx - pl
        nw = kh * kw
        wbase = ih * iw
        for i in range(nacc):
            acc[i] = float32(0)
        for ci in range(cin_g):
            for idx in range(tid, ih * iw, nthreads):
                r = idx // iw
                c = idx - r * iw
                v = float32(0)
                yy = iy0 + r
                xx = ix0 + c
                if yy < pad_end_y and xx < pad_end_x:  # beyond the padded input: unused
                    yy = _map_index_dev(yy, h, mode)
                    xx = _map_index_dev(xx, wd, mode)
                    if yy >= 0 and xx >= 0:
                        v = x[c0 + ci, yy, xx]
                sh[idx] = v
            for idx in range(tid, cob * nw, nthreads):
                j = idx // nw
                t = idx - j * nw
                v = float32(0)
                if co0 + j < c_out:
                    v = w[co0 + j, ci, t // kw, t - (t // kw) * kw]
                sh[wbase + idx] = v
            cuda.syncthreads()
            for ky in range(kh):
                for kx in range(kw):
                    lx = tx * sx + kx * dx
                    for j in range(cob):
                        wv = sh[wbase + j * nw + ky * kw + kx]
                        for r in range(rows):
                            ly = (ty + r * by) * sy + ky * dy
                            acc[j * rows + r] += sh[ly * iw + lx] * wv
            cuda.syncthreads()
        ox = ox0 + tx
        for j in range(cob):
            co = co0 + j
            for r in range(rows):
                oy = oy0 + ty + r * by
                if co < c_out and oy < ho and ox < wo:
                    out[co, oy, ox] = acc[j * rows + r] + b[co]

    return conv_tiled_kernel


def tiled_kernel(rows: int, cob: int):
    """The compiled (lazily, per variant) tiled kernel."""
    key = (rows, cob)
    if key not in _kernels:
        _kernels[key] = cuda.jit(make_tiled_kernel(rows, cob))
    return _kernels[key]


def channels_per_thread(spec) -> int:
    """Output channels per thread: as many as divide the channels of one group, up to 8."""
    cout_g = spec.c_out // spec.groups
    for cob in (8, 4, 2):
        if cout_g % cob == 0:
            return cob
    return 1


def tile_plan(spec, block=(BLOCK_X, BLOCK_Y), rows=ROWS) -> dict:
    """Tile geometry and shared-memory bytes for a problem, or the reason it cannot tile."""
    (sy, sx), (dy, dx) = spec.stride, spec.dilation
    bx, by = block
    cob = channels_per_thread(spec)
    ih = (by * rows - 1) * sy + (spec.kh - 1) * dy + 1
    iw = (bx - 1) * sx + (spec.kw - 1) * dx + 1
    shared = 4 * (ih * iw + cob * spec.kh * spec.kw)
    plan = {
        "rows": rows,
        "cob": cob,
        "ih": ih,
        "iw": iw,
        "shared_bytes": shared,
        "block": (bx, by),
        "tile": (by * rows, bx),
        "reason": "",
    }
    if shared > SHARED_LIMIT:
        plan["reason"] = (
            f"the input tile for a {spec.kh}×{spec.kw} kernel with stride "
            f"{spec.stride} and dilation {spec.dilation} needs {shared:,} bytes "
            f"of shared memory (limit {SHARED_LIMIT:,}); computed by the "
            "one-thread-per-cell cuda kernel instead"
        )
    return plan


class CudaTiledBackend(CudaBackend):
    name = "cuda-tiled"

    def __init__(self):
        super().__init__()
        self.block = (BLOCK_X, BLOCK_Y)
        self.rows = ROWS

    def with_block(self, block, rows: int = 2) -> CudaTiledBackend:
        """Smaller tiles for lessons: (bx, by)-thread blocks, ``rows`` output rows per
        thread, so that an 8×8 lesson output spans several tiles."""
        twin = super().with_block(block)
        if rows not in (1, 2, 4):
            raise ConvvizError(f"rows per thread must be 1, 2 or 4; got {rows}")
        twin.rows = rows
        return twin

    def _plan(self, prep) -> dict:
        return tile_plan(prep.spec, self.block, self.rows)

    @property
    def label(self):  # type: ignore[override]
        base = "CUDA, shared-memory tiles"
        return base + (" (simulated on CPU)" if self.simulated else "")

    def note(self, prep) -> str:
        return self._plan(prep)["reason"]

    def launch(self, prep):
        s = prep.spec
        plan = self._plan(prep)
        if plan["reason"]:
            return launch_for(s.out_shape, BLOCK)  # the cuda kernel's own launch
        th, tw = plan["tile"]
        grid = (
            (s.out_w + tw - 1) // tw,
            (s.out_h + th - 1) // th,
            (s.c_out + plan["cob"] - 1) // plan["cob"],
        )
        return Launch(grid, (*plan["block"], 1), cells_per_thread=(plan["rows"], plan["cob"]))

    def compile(self, prep):
        if self.simulated:
            return None
        plan = self._plan(prep)
        if plan["reason"]:
            return super().compile(prep)
        typeof = cuda_typeof()
        out = np.empty((1, 1, 1), np.float32)
        args = (prep.x, prep.w, prep.b, out, *self._scalars(prep, plan))
        sig = tuple(typeof(a) for a in args)
        key = (plan["rows"], plan["cob"], sig)
        if key not in self._compile_times:
            import time

            t0 = time.perf_counter_ns()
            tiled_kernel(plan["rows"], plan["cob"]).compile(sig)
            self._compile_times[key] = (time.perf_counter_ns() - t0) * 1e-9
        return self._compile_times[key]

    @staticmethod
    def _scalars(prep, plan):
        s = prep.spec
        return (*s.kernel_args(), s.h + s.padding[1], s.w + s.padding[3], plan["ih"], plan["iw"])

    def _launch_kernel(self, lau, dx, dw, db, dout, prep):
        plan = self._plan(prep)
        if plan["reason"]:
            return super()._launch_kernel(lau, dx, dw, db, dout, prep)
        kern = tiled_kernel(plan["rows"], plan["cob"])
        kern[lau.grid, lau.block[:2], 0, plan["shared_bytes"]](
            dx, dw, db, dout, *self._scalars(prep, plan)
        )
