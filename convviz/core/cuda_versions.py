"""The CUDA version the NVIDIA driver supports and the CUDA toolkit pip installed.

A driver runs code built by a toolkit of its own CUDA major version or an older one:
a CUDA 12 driver cannot load the PTX that NVVM 13 writes. :func:`mismatch` says so in
one sentence naming both versions and the extra that installs the right toolkit.
Nothing of numba is imported (the driver is asked through ctypes), so this can run
before the device choice.
"""

from __future__ import annotations

import ctypes
from importlib import metadata

from convviz.core.reasons import Reason

Version = tuple[int, int]

#: distributions that carry NVVM, the compiler numba-cuda uses, newest layout first
_NVVM_DISTS = ("nvidia-nvvm", "nvidia-cuda-nvcc", "nvidia-cuda-nvcc-cu12", "nvidia-cuda-nvcc-cu11")
#: CUDA major version -> the extra that installs its toolkit
EXTRAS = {12: "cuda12", 13: "cuda13"}


def driver_version() -> Version | None:
    """(major, minor) of the CUDA version the installed driver supports; None without one."""
    for name in ("libcuda.so.1", "libcuda.so", "nvcuda.dll"):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        version = ctypes.c_int(0)
        try:
            rc = lib.cuDriverGetVersion(ctypes.byref(version))
        except AttributeError:
            return None
        if rc != 0 or version.value <= 0:
            return None
        return version.value // 1000, version.value % 1000 // 10
    return None


def toolkit_version() -> Version | None:
    """(major, minor) of the CUDA toolkit wheels' NVVM; None when none is installed."""
    for dist in _NVVM_DISTS:
        try:
            text = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        parts = text.split(".")
        try:
            return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        except ValueError:
            continue
    return None


def _fmt(v: Version) -> str:
    return f"{v[0]}.{v[1]}"


def mismatch(driver: Version | None, toolkit: Version | None) -> str:
    """One sentence (a :class:`~convviz.core.reasons.Reason`) when the driver is too old
    for the toolkit's major version, else ""."""
    if driver is None or toolkit is None or driver[0] >= toolkit[0]:
        return ""
    extra = EXTRAS.get(driver[0])
    fix = (
        Reason("install_older_toolkit", driver[0], extra, toolkit[0])
        if extra
        else Reason("update_driver")
    )
    return Reason("driver_too_old_for_toolkit", _fmt(driver), _fmt(toolkit), fix)


def check() -> str:
    """:func:`mismatch` for this machine."""
    return mismatch(driver_version(), toolkit_version())
