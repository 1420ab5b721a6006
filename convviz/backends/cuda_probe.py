"""Is there a GPU that runs our kernels? Launch one and see.

A driver that answers is not enough: a driver older than the CUDA toolkit that
numba-cuda compiles with, a missing NVVM (the compiler library), or a GPU with
no free memory all fail only at the first launch. So availability means a
one-thread kernel compiled, launched and synchronised, its result read back.
Every failure becomes one line naming what was found and what to install
(``convviz[cuda12]`` or ``convviz[cuda13]``, matching the driver's CUDA version): a
:class:`~convviz.core.reasons.Reason`, an id and parameters that a window translates.

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
from convviz.core.reasons import Reason
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
        return Reason("install_either")
    return f"pip install '{extra_for(driver)}'"  # a command: the same in every language


def toolkit_text() -> str:
    """The CUDA toolkit numba-cuda compiles with, as installed packages say it (a version
    and a package name, the same in every language)."""
    for dist in ("cuda-bindings", "nvidia-nvvm", "nvidia-cuda-nvcc-cu12"):
        try:
            return f"CUDA {metadata.version(dist)} ({dist})"
        except metadata.PackageNotFoundError:
            continue
    return Reason("found_no_toolkit")


def _found(driver: tuple[int, int] | None) -> Reason:
    """What the probe found: "found a driver for CUDA 12.4 and CUDA 13.0.2 (cuda-bindings)"."""
    if driver is None:
        driver_text = Reason("found_no_driver")
    else:
        driver_text = Reason("found_driver", f"{driver[0]}.{driver[1]}")
    return Reason("found", driver_text, toolkit_text())


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip(" :")]
    text = lines[0] if lines else type(exc).__name__
    return text[:_DETAIL_CHARS]


def explain(exc: BaseException, driver: tuple[int, int] | None) -> Reason:
    """One line for a failed probe: what was found, what went wrong, what to install."""
    name = type(exc).__name__
    low = str(exc).lower()
    try:  # CudaAPIError carries the CUresult; its text may show only the number
        low += " " + _CODES.get(int(getattr(exc, "code", -1)), "")
    except (TypeError, ValueError):
        pass
    found, hint = _found(driver), install_hint(driver)
    if "nvvm" in name.lower() or "libnvvm" in low:
        return Reason("nvvm_broken", found, hint)
    if "out_of_memory" in low or "out of memory" in low:
        return Reason("no_free_memory", found)
    if (
        "unsupported_ptx_version" in low
        or "unsupported .version" in low
        or "unsupported toolchain" in low
        or "provided ptx was compiled with an unsupported toolchain" in low
        or "insufficient_driver" in low
        or "driver version is insufficient" in low
    ):
        return Reason("driver_older_than_toolkit", found, hint)
    if "no_binary_for_gpu" in low or "no kernel image" in low or "compute capability" in low:
        return Reason("architecture_not_targeted", found, _first_line(exc), hint)
    if "driver library cannot be found" in low or "libcuda" in low:
        return Reason("numba_cannot_load_driver", found)
    return Reason("gpu_not_usable", name, _first_line(exc), found, hint)


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
        return False, Reason("nvvm_missing", _found(driver), install_hint(driver))
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
        return False, Reason("simulator_failed", _first_line(exc))
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
            why = Reason("gpu_asked_but" if choice.requested == "gpu" else "computing_on_cpu", why)
            device.fall_back(why)
        _result = (ok, why)
    return _result
