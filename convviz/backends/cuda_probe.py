"""Is there a GPU that runs our kernels? Launch one and see.

A driver that answers is not enough: a driver older than the CUDA toolkit that
numba-cuda compiles with, a missing NVVM (the compiler library), or a GPU with
no free memory all fail only at the first launch. So availability means a
one-thread kernel compiled, launched and synchronised, its result read back.
Every failure becomes one line naming what was found and what to install
(``convviz[cuda12]`` or ``convviz[cuda13]``, matching the driver's CUDA version).

The answer is computed once per process. On a real GPU a failure also turns
CUDA off in :mod:`convviz.core.device`, so ``auto`` computes on the CPU and the
status bar says why.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

import numpy as np

from convviz.backends.cuda_toolchain import cuda as numba_cuda
from convviz.backends.cuda_toolchain import float32, nvvm_available
from convviz.core import cuda_versions, device
from convviz.errors import ConvvizError

#: numba-cuda's API, or the simulator's (chosen before numba was imported)
cuda: Any = numba_cuda

#: a ConvvizError-style line may say only this much of an exception's text
_DETAIL_CHARS = 160

_result: tuple[bool, str] | None = None

#: CUresult codes, as numbers, to the words the messages below look for
_CODES = {
    2: "out_of_memory",
    35: "insufficient_driver",
    209: "no_binary_for_gpu",
    222: "unsupported_ptx_version",
}


def _probe_body(out: Any) -> None:
    """One thread writes a value the host can check."""
    if cuda.grid(1) == 0:
        out[0] = out[0] * float32(2.0) + float32(1.0)


_probe_kernel = cuda.jit(_probe_body)


def extra_for(driver: tuple[int, int] | None) -> str:
    """The pip extra matching a driver's CUDA version (``convviz[cuda12]`` …)."""
    if driver is None:
        return "convviz[cuda12] or convviz[cuda13] (the one matching `nvidia-smi`'s CUDA Version)"
    return "convviz[cuda13]" if driver[0] >= 13 else "convviz[cuda12]"


def install_hint(driver: tuple[int, int] | None) -> str:
    """What to run: pip install the extra matching the driver's CUDA version."""
    if driver is None:
        return (
            "pip install 'convviz[cuda12]' or 'convviz[cuda13]' "
            "(the one matching the CUDA Version nvidia-smi shows)"
        )
    return f"pip install '{extra_for(driver)}'"


def toolkit_text() -> str:
    """The CUDA toolkit numba-cuda compiles with, as installed packages say it."""
    for dist in ("cuda-bindings", "nvidia-nvvm", "nvidia-cuda-nvcc-cu12"):
        try:
            return f"CUDA {metadata.version(dist)} ({dist})"
        except metadata.PackageNotFoundError:
            continue
    return "no CUDA toolkit package"


def _driver_text(driver: tuple[int, int] | None) -> str:
    return "no NVIDIA driver" if driver is None else f"a driver for CUDA {driver[0]}.{driver[1]}"


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip(" :")]
    text = lines[0] if lines else type(exc).__name__
    return text[:_DETAIL_CHARS]


def explain(exc: BaseException, driver: tuple[int, int] | None) -> str:
    """One line for a failed probe: what was found, what went wrong, what to install."""
    name = type(exc).__name__
    low = str(exc).lower()
    try:  # CudaAPIError carries the CUresult; its text may show only the number
        low += " " + _CODES.get(int(getattr(exc, "code", -1)), "")
    except (TypeError, ValueError):
        pass
    found = f"found {_driver_text(driver)} and {toolkit_text()}"
    hint = install_hint(driver)
    if "nvvm" in name.lower() or "libnvvm" in low:
        return (
            f"the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing "
            f"or broken ({found}); {hint}"
        )
    if "out_of_memory" in low or "out of memory" in low:
        return (
            f"the GPU has no free memory for a one-thread kernel ({found}); "
            "close the programs using it"
        )
    if (
        "unsupported_ptx_version" in low
        or "unsupported .version" in low
        or "unsupported toolchain" in low
        or "provided ptx was compiled with an unsupported toolchain" in low
        or "insufficient_driver" in low
        or "driver version is insufficient" in low
    ):
        return (
            f"the NVIDIA driver is older than the CUDA toolkit numba-cuda compiles with "
            f"({found}); {hint}, or update the driver"
        )
    if "no_binary_for_gpu" in low or "no kernel image" in low or "compute capability" in low:
        return (
            f"this GPU's architecture is not one the installed CUDA toolkit targets ({found}): "
            f"{_first_line(exc)}; {hint}"
        )
    if "driver library cannot be found" in low or "libcuda" in low:
        return f"numba-cuda could not load the NVIDIA driver ({found}); install the NVIDIA driver"
    return f"CUDA GPU not usable: {name}: {_first_line(exc)} ({found}); {hint}"


def run_error(exc: Exception) -> ConvvizError | None:
    """A driver, toolkit or out-of-memory error raised by a run, as one ConvvizError line;
    None for anything else (a bug must keep its traceback)."""
    if isinstance(exc, ConvvizError):
        return None
    text = str(exc)
    if "OUT_OF_MEMORY" in text.upper() or "out of memory" in text.lower():
        return ConvvizError(f"the GPU ran out of memory: {_first_line(exc)}")
    module = type(exc).__module__ or ""
    if module.startswith(("numba.cuda.cudadrv", "cuda.bindings")) or "Nvvm" in type(exc).__name__:
        return ConvvizError(explain(exc, device.driver_cuda_version()))
    return None


def _launch_probe() -> None:
    """Compile, launch and synchronise the one-thread kernel; check what it wrote."""
    host = np.array([20.0], np.float32)
    dev = cuda.to_device(host)
    _probe_kernel[1, 1](dev)
    cuda.synchronize()
    got = dev.copy_to_host()
    if float(got[0]) != 41.0:
        raise RuntimeError(f"the probe kernel wrote {got[0]!r}, not 41.0")


def _nvvm_available() -> bool:
    return nvvm_available()


def probe_gpu() -> tuple[bool, str]:
    """(ok, reason) for the real GPU: NVVM present, then a kernel launched and checked."""
    driver = device.driver_cuda_version()
    if not _nvvm_available():
        return False, (
            f"the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing "
            f"(found {_driver_text(driver)} and {toolkit_text()}); {install_hint(driver)}"
        )
    try:
        _launch_probe()
    except Exception as exc:  # CudaSupportError, CudaAPIError, LinkerError, NvvmError, ...
        # a driver older than the toolkit is the likeliest cause: say so, with both versions
        return False, cuda_versions.check() or explain(exc, driver)
    return True, ""


def probe_simulator() -> tuple[bool, str]:
    """(ok, reason) on Numba's simulator: the same kernel, run in Python."""
    try:
        _launch_probe()
    except Exception as exc:
        return False, f"Numba's CUDA simulator failed a one-thread kernel: {_first_line(exc)}"
    return True, ""


def availability() -> tuple[bool, str]:
    """Once per process: can the device chosen at start-up run a kernel? (ok, reason)."""
    global _result
    if _result is not None:
        return _result
    choice = device.choose()
    if choice.mode == "off":
        _result = (False, choice.reason)
    elif choice.mode == "sim":
        _result = probe_simulator()
    else:
        ok, why = probe_gpu()
        if not ok:
            if choice.requested == "gpu":
                why = f"CONVVIZ_DEVICE=gpu but {why}"
            else:
                why = f"{why}; computing on the CPU"
            device.fall_back(why)
        _result = (ok, why)
    return _result
