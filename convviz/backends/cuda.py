"""The ``cuda`` backend: one GPU thread per output cell.

The kernel is the textbook one: ``ox, oy = cuda.grid(2)``, a bounds guard,
then the same per-cell function the CPU loops call (compiled here as a CUDA
device function). Padding is index arithmetic inside that function, so no
padded copy of the input is ever made.

Where it runs was decided by :mod:`convviz.core.device` before numba was
imported: a real GPU, or Numba's CUDA simulator, which runs every thread in
Python on the CPU and is therefore limited to small problems.
"""

from __future__ import annotations

import copy
import time

import numpy as np
from numba import cuda

from convviz.backends.base import Backend
from convviz.core import cellmath, device
from convviz.core.launch import BLOCK, launch_for
from convviz.core.timing import timed
from convviz.errors import ConvvizError

#: The simulator executes each thread as Python (about 35 µs per multiply-add
#: on a 2-core machine): refuse work that would take more than about 5 seconds.
SIM_MAX_MACS = 150_000
SIM_MAX_CELLS = 64 * 64 * 4

_map_index_dev = cuda.jit(device=True)(cellmath.map_index)
cell_value_dev = cuda.jit(device=True)(
    cellmath.retarget(cellmath.cell_value, map_index=_map_index_dev)
)


def conv_kernel(x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups):
    """One thread computes out[blockIdx.z, oy, ox]."""
    ox, oy = cuda.grid(2)
    co = cuda.blockIdx.z
    if oy < out.shape[1] and ox < out.shape[2]:
        out[co, oy, ox] = cell_value_dev(x, w, b, co, oy, ox, sy, sx, dy, dx, pt, pl, mode, groups)


conv_kernel_jit = cuda.jit(conv_kernel)


def cuda_typeof():
    """numba-cuda's own typeof where it has one (its types may differ from numba's)."""
    try:
        from numba.cuda.typing.typeof import typeof
    except ImportError:  # older numba-cuda shares numba's types
        from numba import typeof
    return typeof


def gpu_info() -> dict:
    """Name, compute capability, SMs and memory of the current GPU (real GPUs only)."""
    dev = cuda.get_current_device()
    name = dev.name.decode() if isinstance(dev.name, bytes) else str(dev.name)
    free, total = cuda.current_context().get_memory_info()
    return {
        "name": name,
        "compute_capability": list(dev.compute_capability),
        "sm_count": int(dev.MULTIPROCESSOR_COUNT),
        "memory_total_bytes": int(total),
        "memory_free_bytes": int(free),
    }


class CudaBackend(Backend):
    name = "cuda"

    def __init__(self):
        self.choice = device.choose()
        self.simulated = self.choice.mode == "sim"
        self._compile_times = {}
        self.block = BLOCK

    def with_block(self, block: tuple[int, int]) -> CudaBackend:
        """This backend launching (bx, by)-thread blocks; lessons use small ones so that
        an 8×8 output spans several blocks. The registry's instance is left unchanged."""
        bx, by = (int(v) for v in block)
        if not (1 <= bx <= 1024 and 1 <= by <= 1024 and bx * by <= 1024):
            raise ConvvizError(f"a CUDA block has at most 1024 threads; got {bx}×{by}")
        twin = copy.copy(self)
        twin.block = (bx, by)
        return twin

    @property
    def label(self):  # type: ignore[override]
        if self.simulated:
            return "CUDA, one thread per cell (simulated on CPU)"
        return "CUDA, one thread per cell"

    def _availability(self):
        if self.choice.mode == "off":
            return False, self.choice.reason
        if self.simulated:
            return True, ""
        try:
            if not cuda.is_available():
                return False, "numba found no usable CUDA GPU"
            cuda.get_current_device()
        except Exception as exc:  # CudaSupportError, driver too old, ...
            return False, f"CUDA GPU not usable: {str(exc).strip().splitlines()[0]}"
        return True, ""

    def _device(self):
        if self.simulated:
            return "Numba CUDA simulator on the CPU"
        info = gpu_info()
        return (
            f"{info['name']}, {info['sm_count']} SMs, compute "
            f"{info['compute_capability'][0]}.{info['compute_capability'][1]}"
        )

    def check(self, prep):
        super().check(prep)
        s = prep.spec
        if self.simulated and (s.macs > SIM_MAX_MACS or s.cells > SIM_MAX_CELLS):
            raise ConvvizError(
                f"the CUDA simulator runs every thread in Python; {s.cells:,} cells × "
                f"{s.taps} multiply-adds is above its limit of {SIM_MAX_CELLS:,} cells and "
                f"{SIM_MAX_MACS:,} multiply-adds. Use a smaller input (about 64×64 with 3×3), "
                "or a machine with an NVIDIA GPU"
            )
        need = 4 * (prep.x.size + prep.w.size + prep.b.size + s.cells)
        free = self._memory_free()
        if free is not None and need > free:
            raise ConvvizError(
                f"the GPU has {free / 2**20:,.0f} MiB free but this convolution needs "
                f"{need / 2**20:,.0f} MiB; use a smaller image"
            )

    def _memory_free(self) -> int | None:
        """Free device memory in bytes; None on the simulator (it has no such limit)."""
        if self.simulated:
            return None
        return int(cuda.current_context().get_memory_info()[0])

    def launch(self, prep):
        return launch_for(prep.spec.out_shape, self.block)

    def compile(self, prep):
        if self.simulated:
            return None  # the simulator interprets; nothing compiles
        typeof = cuda_typeof()
        out = np.empty((1, 1, 1), np.float32)
        sig = tuple(typeof(a) for a in (prep.x, prep.w, prep.b, out, *prep.spec.kernel_args()))
        if sig not in self._compile_times:
            _, secs = timed(lambda: conv_kernel_jit.compile(sig))
            self._compile_times[sig] = secs
        return self._compile_times[sig]

    def _run_once(self, prep, ctrl):
        lau = self.launch(prep)
        try:
            if self.simulated:
                return self._run_timed_by_clock(prep, lau)
            return self._run_timed_by_events(prep, lau)
        except ConvvizError:
            raise
        except Exception as exc:
            text = str(exc)
            if "OUT_OF_MEMORY" in text.upper() or "out of memory" in text.lower():
                raise ConvvizError(f"the GPU ran out of memory: {text.splitlines()[0]}") from None
            raise
        finally:
            ctrl[0] = prep.spec.cells

    @staticmethod
    def _launch_kernel(lau, dx, dw, db, dout, prep):
        conv_kernel_jit[lau.grid, lau.block[:2]](dx, dw, db, dout, *prep.spec.kernel_args())

    def _run_timed_by_events(self, prep, lau):
        ev = [cuda.event() for _ in range(4)]
        ev[0].record()
        dx, dw, db = (cuda.to_device(a) for a in (prep.x, prep.w, prep.b))
        dout = cuda.device_array(prep.spec.out_shape, np.float32)
        ev[1].record()
        self._launch_kernel(lau, dx, dw, db, dout, prep)
        ev[2].record()
        out = dout.copy_to_host()
        ev[3].record()
        ev[3].synchronize()
        ms = [cuda.event_elapsed_time(ev[i], ev[i + 1]) for i in range(3)]
        return out, {"h2d": ms[0] * 1e-3, "kernel": ms[1] * 1e-3, "d2h": ms[2] * 1e-3}

    def _run_timed_by_clock(self, prep, lau):
        # The simulator's events report -1: time its phases on the host clock.
        t0 = time.perf_counter_ns()
        dx, dw, db = (cuda.to_device(a) for a in (prep.x, prep.w, prep.b))
        dout = cuda.device_array(prep.spec.out_shape, np.float32)
        t1 = time.perf_counter_ns()
        self._launch_kernel(lau, dx, dw, db, dout, prep)
        cuda.synchronize()
        t2 = time.perf_counter_ns()
        out = dout.copy_to_host()
        t3 = time.perf_counter_ns()
        return out, {"h2d": (t1 - t0) * 1e-9, "kernel": (t2 - t1) * 1e-9, "d2h": (t3 - t2) * 1e-9}
