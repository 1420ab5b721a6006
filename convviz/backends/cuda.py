"""The ``cuda`` backend: one GPU thread per output cell.

The kernel is the textbook one: ``ox, oy = cuda.grid(2)``, a bounds guard,
then the same per-cell function the CPU loops call (compiled here as a CUDA
device function). Padding is index arithmetic inside that function, so no
padded copy of the input is ever made. The kernel, specialised on each problem,
is in :mod:`convviz.backends.cuda_naive`.

Where it runs was decided by :mod:`convviz.core.device` before numba was
imported: a real GPU, or Numba's CUDA simulator, which runs every thread in
Python on the CPU and is therefore limited to small problems.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from convviz.backends import cuda_probe, gpu_timing
from convviz.backends.base import Backend, Control
from convviz.backends.cuda_naive import (
    KEEP_KERNELS,
    kernel_for,
    kernel_key,
    launch_types,
    shape_label,
    size_args,
    weight_params,
)
from convviz.backends.cuda_toolchain import cuda as numba_cuda
from convviz.core import device
from convviz.core.launch import BLOCK, Launch, launch_for
from convviz.core.spec import Prepared
from convviz.core.timing import CompileFacts, TimingRecord, timed
from convviz.errors import ConvvizError

#: The simulator executes each thread as Python (about 35 µs per multiply-add
#: on a 2-core machine): refuse work that would take more than about 5 seconds.
SIM_MAX_MACS = 150_000
SIM_MAX_CELLS = 64 * 64 * 4

#: numba-cuda's API, or the simulator's (chosen before numba was imported); untyped
cuda: Any = numba_cuda


def gpu_info() -> dict[str, Any]:
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
    kind = "gpu"
    compiles = True

    def __init__(self) -> None:
        self.choice = device.choose()
        self.simulated = self.choice.mode == "sim"
        self._compile_times: dict[Any, float] = {}
        self.block = BLOCK
        #: the kernel's paths compiled: "all" (what runs); the report compiles the
        #: interior or the border path alone (cuda_naive.PATHS)
        self.paths = "all"

    def with_paths(self, paths: str) -> CudaBackend:
        """This backend compiling only the kernel's interior or border path (for the
        report's per-path accounting; such a kernel is never launched)."""
        twin = copy.copy(self)
        twin.paths = paths
        return twin

    def with_block(self, block: tuple[int, int], rows: int = 2) -> CudaBackend:
        """This backend launching (bx, by)-thread blocks; lessons use small ones so that
        an 8×8 output spans several blocks (a cell a thread: ``rows`` is the tiled
        kernel's). The registry's instance is left unchanged."""
        bx, by = (int(v) for v in block)
        if not (1 <= bx <= 1024 and 1 <= by <= 1024 and bx * by <= 1024):
            raise ConvvizError(f"a CUDA block has at most 1024 threads; got {bx}×{by}")
        twin = copy.copy(self)
        twin.block = (bx, by)
        return twin

    @property
    def label(self) -> str:  # type: ignore[override]
        if self.simulated:
            return "CUDA, one thread per cell (simulated on CPU)"
        return "CUDA, one thread per cell"

    def _availability(self) -> tuple[bool, str]:
        """Available when a one-thread kernel launched and synchronised (once a process);
        otherwise one line saying what was found and what to install."""
        return cuda_probe.availability()

    def _device(self) -> str:
        if self.simulated:
            return "Numba CUDA simulator on the CPU"
        info = gpu_info()
        return (
            f"{info['name']}, {info['sm_count']} SMs, compute "
            f"{info['compute_capability'][0]}.{info['compute_capability'][1]}"
        )

    def check(self, prep: Prepared) -> None:
        super().check(prep)
        s = prep.spec
        if self.simulated and (s.macs > SIM_MAX_MACS or s.cells > SIM_MAX_CELLS):
            raise ConvvizError(
                f"the CUDA simulator runs every thread in Python; {s.cells:,} cells × "
                f"{s.taps} multiply-adds is above its limit of {SIM_MAX_CELLS:,} cells and "
                f"{SIM_MAX_MACS:,} multiply-adds. Use fewer channels, a smaller kernel or input, "
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

    def launch(self, prep: Prepared) -> Launch:
        return launch_for(prep.spec.out_shape, self.block)

    def kernel_shape(self, prep: Prepared) -> tuple[Any, ...]:
        """What this backend's compiled kernel for ``prep`` depends on: the kernel's
        shape, never the image size (one compile serves every size)."""
        return kernel_key(prep.spec, self.paths)

    def needs_compile(self, prep: Prepared) -> str:
        """What compiling for ``prep`` would be about ("3×3"), or '' when the kernel for
        its shape is compiled already (always '' on the simulator: nothing compiles)."""
        if self.simulated:
            return ""
        kern, args = self.kernel_and_args(prep)
        # the kernel itself says what it has compiled (a kernel dropped from the bounded
        # cache and made again has compiled nothing)
        return "" if launch_types(prep, args[4:]) in kern.overloads else shape_label(prep.spec)

    def compile_facts(self, prep: Prepared) -> CompileFacts | None:
        """Compile the kernel for ``prep``'s shape (once a process; nothing is cached on
        disk); the seconds the first compile took. None on the simulator: nothing compiles."""
        secs = self.compile(prep)
        if secs is None:
            return None
        return CompileFacts(secs, from_cache=False, what=shape_label(prep.spec))

    def compile(self, prep: Prepared) -> float | None:
        """Compile the kernel this launch needs for the argument types it passes; the
        seconds taken (None on the simulator: nothing compiles)."""
        if self.simulated:
            return None  # the simulator interprets; nothing compiles
        kern, args = self.kernel_and_args(prep)
        sig = launch_types(prep, args[4:])
        key = (self.kernel_shape(prep), sig)
        if key not in self._compile_times or sig not in kern.overloads:
            _, secs = timed(lambda: kern.compile(sig))
            self._compile_times[key] = secs
            while len(self._compile_times) > 4 * KEEP_KERNELS:  # bounded: oldest first
                del self._compile_times[next(iter(self._compile_times))]
        return float(self._compile_times[key])

    def kernel_and_args(self, prep: Prepared) -> tuple[Any, tuple[Any, ...]]:
        """(kernel, host arguments) of this problem's launch: x, w, b, out, then scalars
        (the kernel is specialised on the problem and compiled lazily)."""
        out = np.empty((0, 0, 0), np.float32)  # stands for the device output array
        kern = kernel_for(prep.spec, self.block, self.paths)
        return kern, (prep.x, prep.w, prep.b, out, *size_args(prep.spec), *weight_params(prep))

    def run(
        self,
        prep: Prepared,
        *,
        repeats: int = 5,
        warmup: int = 1,
        ctrl: Control | np.ndarray | None = None,
    ) -> tuple[np.ndarray, TimingRecord]:
        """The shared run times what a user waits for (end to end: allocation, copies,
        launch, copy back); on a real GPU the phases beside it come from the GPU timing
        protocol (:mod:`convviz.backends.gpu_timing`), measured after those runs."""
        out, rec = super().run(prep, repeats=repeats, warmup=warmup, ctrl=ctrl)
        if self.simulated:
            rec.clock = gpu_timing.CLOCK_HOST
            return out, rec
        try:
            times = self._run_timed_by_events(prep, repeats, warmup)
        except Exception as exc:
            clear = cuda_probe.run_error(exc)  # driver, toolkit, out of memory
            if clear is None:
                raise
            raise clear from None
        rec.phases, rec.clock = times.phases, times.clock
        return out, rec

    def _run_once(
        self, prep: Prepared, ctrl: np.ndarray
    ) -> tuple[np.ndarray, dict[str, float] | None]:
        try:
            if self.simulated:
                return self._run_timed_by_clock(prep)
            return self._run_end_to_end(prep), None
        except Exception as exc:
            clear = cuda_probe.run_error(exc)  # driver, toolkit, out of memory
            if clear is None:
                raise
            raise clear from None
        finally:
            ctrl[0] = prep.spec.cells

    def _launch_kernel(
        self, lau: Launch, dx: Any, dw: Any, db: Any, dout: Any, prep: Prepared
    ) -> None:
        """Launch the kernel this problem needs on device arrays dx, dw, db, dout."""
        kern, args = self.kernel_and_args(prep)
        kern[lau.grid, lau.block[:2]](dx, dw, db, dout, *args[4:])

    def _launcher(self, prep: Prepared) -> gpu_timing.Launcher:
        """Launches this problem's kernel on device arrays (dx, dw, db, dout)."""
        lau = self.launch(prep)

        def launch(dx: object, dw: object, db: object, dout: object) -> None:
            self._launch_kernel(lau, dx, dw, db, dout, prep)

        return launch

    def _run_end_to_end(self, prep: Prepared) -> np.ndarray:
        """What a user waits for: allocation, pageable copies, launch, copy back."""
        return gpu_timing.end_to_end(prep, self._launcher(prep))

    def _run_timed_by_events(
        self, prep: Prepared, repeats: int, warmup: int
    ) -> gpu_timing.PhaseTimes:
        """The GPU timing protocol: pinned and device buffers allocated first, then h2d,
        kernel and d2h timed by events, each sample queued behind GPU work; medians."""
        return gpu_timing.by_events(prep, self._launcher(prep), repeats=repeats, warmup=warmup)

    def _run_timed_by_clock(self, prep: Prepared) -> tuple[np.ndarray, dict[str, float]]:
        """The simulator's events report -1: its phases on the host clock (and labelled so)."""
        return gpu_timing.by_host_clock(prep, self._launcher(prep))
