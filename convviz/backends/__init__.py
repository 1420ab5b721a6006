"""The registry of ways to compute the convolution.

Backends are created on first use, so importing this package is cheap and
never touches a GPU. ``get("auto")`` picks the best available one: a real GPU
when there is one, else all CPU cores.
"""

from __future__ import annotations

import importlib

import convviz.core  # noqa: F401  (makes the CUDA device choice before numba loads)
from convviz.backends.base import Backend, Control, new_control
from convviz.core import device
from convviz.core.spec import Prepared
from convviz.errors import ConvvizError

#: name -> (module, class); the order is the order of the UI and of `convviz info`.
_REGISTRY = {
    "reference": ("convviz.backends.reference", "ReferenceBackend"),
    "cpu": ("convviz.backends.cpu", "CpuBackend"),
    "cpu-parallel": ("convviz.backends.cpu", "CpuParallelBackend"),
    "cuda": ("convviz.backends.cuda", "CudaBackend"),
    "cuda-tiled": ("convviz.backends.cuda_tiled", "CudaTiledBackend"),
}
_instances: dict[str, Backend] = {}

__all__ = ["Backend", "Control", "NAMES", "all_backends", "best", "get", "new_control", "ptx_for"]
NAMES = tuple(_REGISTRY)


def get(name: str) -> Backend:
    """The backend called ``name`` ("auto" for the best available)."""
    if name == "auto":
        return best()
    if name not in _REGISTRY:
        raise ConvvizError(f"unknown backend {name!r}; choose one of auto, {', '.join(NAMES)}")
    if name not in _instances:
        module, cls = _REGISTRY[name]
        _instances[name] = getattr(importlib.import_module(module), cls)()
    return _instances[name]


def all_backends() -> list[Backend]:
    return [get(n) for n in NAMES]


def best() -> Backend:
    """A real GPU if one answers, else the parallel CPU loop (the simulator is never 'best')."""
    gpu = get("cuda")
    if gpu.available and not gpu.simulated:
        return gpu
    if device.choose().requested == "gpu":  # "a real GPU or nothing"
        raise ConvvizError(f"no GPU to run on: {gpu.reason}")
    return get("cpu-parallel")


def ptx_for(name: str, prep: Prepared, cc: tuple[int, int] = (9, 0)) -> str:
    """The PTX of exactly the kernel ``get(name).compute(prep)`` would launch on a GPU of
    compute capability ``cc``: the same specialisation, argument types built from the
    arrays sent. Works without a GPU when NVVM is installed (on the simulator the
    compile runs in a child process)."""
    from convviz.backends.cuda_ptx import ptx_for as compile_ptx

    if name not in ("cuda", "cuda-tiled"):
        raise ConvvizError(f"{name!r} runs no CUDA kernel; PTX exists for cuda and cuda-tiled")
    return compile_ptx(get(name), prep, cc)
