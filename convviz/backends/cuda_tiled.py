"""The ``cuda-tiled`` backend: the kernel a GPU engineer would write.

Differences from the textbook ``cuda`` kernel, and why:

- each block first copies its input tile plus halo into shared memory, a warp
  reading a row of consecutive addresses, applying the padding map once per
  tile element (and not at all for a tile inside the input), so every input
  pixel is read from global memory about once instead of kh·kw times;
- the block's weights for the current input channel sit in shared memory too;
- each thread computes ``R`` consecutive output rows of one column and, for
  multi-channel layers, ``COB`` output channels, holding them in registers, so
  a value read from shared memory serves several multiply-adds;
- the kernel is written out for each specialisation
  (:mod:`convviz.backends.cuda_tiled_source`): no loop counters, no division.

Each cell still sums its taps in the order input channel, kernel row, kernel
column, starting from float32(0). Zero padding is loaded as 0 and added as a
±0 product, which leaves a float32 sum unchanged, so on the simulator the
result is bit-for-bit the ``cpu`` result. Problems whose tile does not fit in
shared memory are refused with the reason and computed by the ``cuda`` kernel.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from convviz.backends.cuda import CudaBackend
from convviz.backends.cuda_naive import (
    KEEP_KERNELS,
    kernel_from_source,
    kernel_jit,
    map_index_dev,
    size_args,
)
from convviz.backends.cuda_tiled_source import TiledKey, inside_blocks, kernel_source
from convviz.backends.cuda_toolchain import float32
from convviz.core.launch import BLOCK, TILED_BLOCK, Launch, TilePlan, launch_for, tile_plan
from convviz.errors import ConvvizError

#: rows per thread a lesson may ask for
LESSON_ROWS = (1, 2, 4, 8, 16)
#: 65536 registers an SM / 255 registers a thread at most: 256 threads always fit
MAX_TILED_THREADS = 256


def tiled_key(spec: Any, plan: TilePlan, paths: str = "all") -> TiledKey:
    """The tiled kernel's specialisation for ``spec`` tiled as ``plan`` (not its image size)."""
    (sy, sx), (dy, dx), pad = spec.stride, spec.dilation, spec.padding
    return TiledKey(
        spec.c_in, spec.c_out, spec.groups, spec.kh, spec.kw, sy, sx, dy, dx,
        pad[0], pad[1], pad[2], pad[3], spec.mode_code, plan, paths,
    )  # fmt: skip


def make_tiled_kernel(key: TiledKey) -> Any:
    """The Python function of the tiled kernel for ``key`` (not yet compiled)."""
    source = kernel_source(key)
    # (numba's float32 type, not numpy's: the shared-memory tile is declared with it)
    return kernel_from_source(
        source, "conv_tiled_kernel", str(key), map_index=map_index_dev, float32=float32
    )


@functools.lru_cache(maxsize=KEEP_KERNELS)
def tiled_kernel(key: TiledKey) -> Any:
    """The tiled kernel for ``key``, compiled lazily at its first launch (the most recently
    used ``KEEP_KERNELS`` kept)."""
    return kernel_jit(make_tiled_kernel(key), key.bx * key.by, key.min_blocks)


class CudaTiledBackend(CudaBackend):
    name = "cuda-tiled"

    def __init__(self) -> None:
        super().__init__()
        self.block = TILED_BLOCK
        self.rows: int | None = None  # None: as tile_plan chooses

    def with_block(self, block: tuple[int, int], rows: int = 2) -> CudaTiledBackend:
        """Smaller tiles for lessons: (bx, by)-thread blocks, ``rows`` consecutive output
        rows per thread, so that an 8×8 lesson output spans several tiles."""
        bx, by = (int(v) for v in block)
        if bx * by > MAX_TILED_THREADS:
            raise ConvvizError(
                f"a tiled block has at most {MAX_TILED_THREADS} threads (a thread of the "
                f"tiled kernel may hold up to 255 registers); got {bx}×{by}"
            )
        twin = super().with_block(block)
        if rows not in LESSON_ROWS:
            choices = ", ".join(map(str, LESSON_ROWS))
            raise ConvvizError(f"rows per thread must be one of {choices}; got {rows}")
        assert isinstance(twin, CudaTiledBackend)
        twin.rows = rows
        return twin

    def plan(self, prep: Any) -> TilePlan:
        return tile_plan(prep.spec, self.block, self.rows)

    @property
    def label(self) -> str:  # type: ignore[override]
        base = "CUDA, shared-memory tiles"
        return base + (" (simulated on CPU)" if self.simulated else "")

    def note(self, prep: Any) -> str:
        return self.plan(prep).reason

    def launch(self, prep: Any) -> Launch:
        s = prep.spec
        plan = self.plan(prep)
        if plan.reason:
            return launch_for(s.out_shape, BLOCK)  # the cuda kernel's own launch
        th, tw = plan.tile
        grid = ((s.out_w + tw - 1) // tw, (s.out_h + th - 1) // th, s.c_out // plan.cob)
        return Launch(grid, (*plan.block, 1), cells_per_thread=(plan.rows, plan.cob))

    def kernel_shape(self, prep: Any) -> tuple[Any, ...]:
        plan = self.plan(prep)
        if plan.reason:
            return super().kernel_shape(prep)
        return (tiled_key(prep.spec, plan, self.paths),)

    def kernel_and_args(self, prep: Any) -> tuple[Any, tuple[Any, ...]]:
        plan = self.plan(prep)
        if plan.reason:
            kern, args = super().kernel_and_args(prep)
            return kern, args
        s = prep.spec
        key = tiled_key(s, plan, self.paths)
        ys = inside_blocks(s.h, plan.tile[0], key.ih, key.sy, key.pt)
        xs = inside_blocks(s.w, plan.tile[1], key.iw, key.sx, key.pl)
        sizes = size_args(s)[:4]  # input height, width, output height, width
        bounds = tuple(np.uint32(v) for v in ys + xs)
        out = prep.x[:0]  # stands for the device output array
        return tiled_kernel(key), (prep.x, prep.w, prep.b, out, *sizes, *bounds)

    def shared_bytes(self, prep: Any) -> int:
        """Dynamic shared memory of this problem's launch (0 for the cuda kernel)."""
        plan = self.plan(prep)
        return 0 if plan.reason else plan.shared_bytes

    def _launch_kernel(self, lau: Launch, dx: Any, dw: Any, db: Any, dout: Any, prep: Any) -> None:
        """Launch the kernel this problem needs on device arrays dx, dw, db, dout."""
        kern, args = self.kernel_and_args(prep)
        kern[lau.grid, lau.block[:2], 0, self.shared_bytes(prep)](dx, dw, db, dout, *args[4:])
