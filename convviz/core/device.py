"""Decide once, before ``numba`` is imported, where CUDA kernels run.

``CONVVIZ_DEVICE`` (auto | gpu | sim | off) overrides the choice:

- ``auto``: a real NVIDIA GPU when the driver answers, Numba's CUDA simulator
  otherwise;
- ``gpu``: a real GPU or nothing (the ``cuda`` backend reports why);
- ``sim``: always the simulator (``NUMBA_ENABLE_CUDASIM=1``);
- ``off``: no CUDA backend at all.

Numba reads ``NUMBA_ENABLE_CUDASIM`` when it is first imported, so this module
imports nothing of numba and the choice is made on the first import of
``convviz.core`` or ``convviz.backends``.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass

from convviz.core.reasons import Reason

MODES = ("auto", "gpu", "sim", "off")


@dataclass(frozen=True)
class DeviceChoice:
    requested: str  # what CONVVIZ_DEVICE asked for
    mode: str  # "gpu", "sim" or "off": what the cuda backend will use
    reason: Reason  # one sentence a user can read (an id and parameters, see core/reasons.py)


_choice: DeviceChoice | None = None


def probe_driver() -> tuple[bool, Reason]:
    """Ask the NVIDIA driver (libcuda) directly whether a GPU answers.

    Returns (ok, message). Uses ctypes so that nothing of numba is imported.
    """
    names = ("libcuda.so.1", "libcuda.so", "nvcuda.dll", "libcuda.dylib")
    lib = None
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        return False, Reason("no_driver")
    try:
        rc = lib.cuInit(0)
        if rc != 0:
            return False, Reason("driver_not_initialised", rc)
        count = ctypes.c_int(0)
        rc = lib.cuDeviceGetCount(ctypes.byref(count))
        if rc != 0 or count.value < 1:
            return False, Reason("driver_reports_no_gpu")
    except AttributeError:
        return False, Reason("driver_lacks_cuinit")
    return True, Reason("gpus_found", count.value)


def driver_cuda_version() -> tuple[int, int] | None:
    """The CUDA version the NVIDIA driver supports, e.g. (12, 4); None without a driver.

    Asked of libcuda directly (``cuDriverGetVersion``), so that nothing of numba
    is imported and the answer exists even when numba-cuda cannot start.
    """
    for name in ("libcuda.so.1", "libcuda.so", "nvcuda.dll", "libcuda.dylib"):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        version = ctypes.c_int(0)
        try:
            if lib.cuDriverGetVersion(ctypes.byref(version)) != 0 or version.value <= 0:
                return None
        except AttributeError:
            return None
        return version.value // 1000, (version.value % 1000) // 10
    return None


def fall_back(reason: Reason) -> DeviceChoice:
    """Record that the GPU the driver reported cannot run a kernel (``reason``: one line
    saying what was found and what to install). CUDA is then off, the choice's reason is
    the one the status bar shows, and ``auto`` computes on the CPU."""
    global _choice
    current = choose()
    if current.mode == "gpu":
        _choice = DeviceChoice(current.requested, "off", reason)
    return _choice if _choice is not None else current


def choose() -> DeviceChoice:
    """Make (once) and return the device choice; sets NUMBA_ENABLE_CUDASIM for "sim"."""
    global _choice
    if _choice is not None:
        return _choice
    requested = os.environ.get("CONVVIZ_DEVICE", "auto").strip().lower() or "auto"
    sim_env = os.environ.get("NUMBA_ENABLE_CUDASIM", "0") not in ("", "0")
    if requested not in MODES:
        _choice = DeviceChoice(
            requested, "off", Reason("mode_unknown", repr(requested), ", ".join(MODES))
        )
        return _choice
    if requested == "off":
        _choice = DeviceChoice(requested, "off", Reason("mode_off"))
    elif requested == "sim" or sim_env:
        _choice = DeviceChoice(
            requested, "sim", Reason("sim_asked" if requested == "sim" else "sim_env")
        )
    else:
        ok, msg = probe_driver()
        if ok:
            _choice = DeviceChoice(requested, "gpu", msg)
        elif requested == "gpu":
            _choice = DeviceChoice(requested, "off", Reason("gpu_asked_but", msg))
        else:
            _choice = DeviceChoice(requested, "sim", Reason("no_gpu_simulated", msg))
    if _choice.mode == "sim":
        if "numba" in sys.modules and not sim_env:
            # Too late: numba already read its configuration without the simulator.
            _choice = DeviceChoice(requested, "off", Reason("numba_too_early"))
        else:
            os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
    return _choice
