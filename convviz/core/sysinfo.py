"""What machine this is: CPU model and cores, package versions."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def cpu_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def versions(
    names: tuple[str, ...] = (
        "numpy",
        "numba",
        "numba-cuda",
        "Pillow",
        "PySide6-Essentials",
        "pyqtgraph",
        "scipy",
        "torch",
        "opencv-python-headless",
        "cupy-cuda12x",
        "cupy-cuda13x",
    ),
) -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
