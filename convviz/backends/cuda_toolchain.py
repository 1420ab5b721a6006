"""The CUDA toolchain: the one module of convviz that imports numba-cuda.

Every other module asks this one for ``cuda`` (numba-cuda's API, or its simulator's,
as :mod:`convviz.core.device` chose before numba was first imported), numba's scalar
types, the extension API the intrinsics are written with, and the entry points that
generate PTX (``compile_ptx``, the dispatcher, NVVM). That makes two things one
place's business:

**numpy 2.5.** numba-cuda is in maintenance mode upstream (NVIDIA/numba-cuda#902) and
declined to follow numpy 2.5 (NVIDIA/numba-cuda#907). Two of its imports break there:

- ``numba.cuda.np.arrayobj`` runs ``overload(np.row_stack)(...)`` at import; numpy 2.5
  removed ``np.row_stack``, so the first real compile (when the CUDA target loads its
  registries) dies with ``AttributeError: module 'numpy' has no attribute
  'row_stack'``;
- ``numba.cuda.np.npdatetime_helpers`` builds ``np.timedelta64("nat")`` at import,
  which numpy 2.5 answers with "The 'generic' unit for NumPy timedelta is deprecated"
  (a DeprecationWarning: an error under ``filterwarnings = error``).

:func:`numpy_bridge` is the compatibility step: while numba-cuda is imported and
registers its overloads (and only then), ``np.row_stack`` is a stand-in function that
nothing can reach afterwards, and that one warning is ignored. On numpy < 2.5 it
changes nothing (``np.row_stack`` exists; the warning does not occur). Once numba-cuda
is imported, the registration is done: its later compiles never look again.

**numba-cuda-mlir**, the maintained successor, is where this module would point
next; not yet: it has no CUDA simulator (the CPU-only tests and the app's no-GPU mode
need one), generates PTX without a GPU only through a private attribute, needs the
llvmlite intrinsics rewritten in MLIR, and today compiles the one-thread-per-cell
kernel to slower code.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.core import device

device.choose()  # NUMBA_ENABLE_CUDASIM is read when numba is first imported

#: numpy 2.5's warning for the unit-less ``np.timedelta64("nat")`` numba-cuda builds
GENERIC_TIMEDELTA = "The 'generic' unit for NumPy timedelta is deprecated"


def _row_stack_removed(tup: Any) -> Any:
    """Stands in for ``np.row_stack`` while numba-cuda registers an overload of it."""
    raise AttributeError("np.row_stack was removed in numpy 2.5; use np.vstack")


@contextlib.contextmanager
def numpy_bridge() -> Iterator[bool]:
    """While numba-cuda is imported: ``np.row_stack`` exists and numpy's 'generic'
    timedelta warning is ignored. Yields whether the stand-in was needed (numpy ≥ 2.5);
    afterwards numpy is as it was."""
    added = not hasattr(np, "row_stack")
    if added:
        setattr(np, "row_stack", _row_stack_removed)  # noqa: B010  (numpy's stubs lack it)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message=GENERIC_TIMEDELTA, category=DeprecationWarning
            )
            yield added
    finally:
        if added and getattr(np, "row_stack", None) is _row_stack_removed:
            delattr(np, "row_stack")


def _import_numba_cuda() -> Any:
    with numpy_bridge():
        from numba import cuda as numba_cuda

        # The modules that register numpy overloads, imported now rather than at the
        # first compile (where the CUDA target loads them, outside the bridge).
        importlib.import_module("numba.cuda.np.arrayobj")
        importlib.import_module("numba.cuda.np.npdatetime_helpers")
    return numba_cuda


if TYPE_CHECKING:  # what mypy reads: numba-cuda's own names, typed as numba-cuda types them
    from llvmlite import ir as llvm_ir
    from numba import cuda as cuda
    from numba.cuda import dispatcher as dispatcher
    from numba.cuda import types as types
    from numba.cuda.cudadrv import nvvm as nvvm
    from numba.cuda.extending import intrinsic as intrinsic
    from numba.cuda.np.arrayobj import make_array as make_array
    from numba.cuda.np.arrayobj import populate_array as populate_array
else:
    #: numba-cuda's API, or the simulator's
    cuda = _import_numba_cuda()

from numba import float32, int32, int64, uint32  # noqa: E402  (numba's scalar types)

#: what :func:`__getattr__` imports on first use: name -> (module, attribute or "" for
#: the module itself)
_LAZY = {
    "types": ("numba.cuda", "types"),
    "intrinsic": ("numba.cuda.extending", "intrinsic"),
    "make_array": ("numba.cuda.np.arrayobj", "make_array"),
    "populate_array": ("numba.cuda.np.arrayobj", "populate_array"),
    "dispatcher": ("numba.cuda.dispatcher", ""),
    "nvvm": ("numba.cuda.cudadrv.nvvm", ""),
    "llvm_ir": ("llvmlite", "ir"),  # what the intrinsics' code generators build
}

__all__ = [
    "GENERIC_TIMEDELTA",
    "cuda",
    "float32",
    "int32",
    "int64",
    "uint32",
    "compile_ptx",
    "numpy_bridge",
    "nvvm_available",
    "simulated",
    "typeof",
    # imported on first use, through __getattr__
    "dispatcher",
    "intrinsic",
    "llvm_ir",
    "make_array",
    "nvvm",
    "populate_array",
    "types",
]


def __getattr__(name: str) -> Any:
    """numba-cuda's extension and compiler modules, imported when first asked for
    (the app's start-up never needs them)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    if module in sys.modules:  # the usual case: numba-cuda's import brought it
        found = sys.modules[module]
    else:  # (the bridge touches process-wide state: only where an import is due)
        with numpy_bridge():
            found = importlib.import_module(module)
    value = getattr(found, attr) if attr else found
    globals()[name] = value
    return value


def simulated() -> bool:
    """Whether ``cuda`` is Numba's CUDA simulator."""
    return device.choose().mode == "sim"


def typeof(value: Any) -> Any:
    """numba-cuda's own typeof where it has one (its types may differ from numba's)."""
    try:
        from numba.cuda.typing.typeof import typeof as cuda_typeof
    except ImportError:  # older numba-cuda shares numba's types
        from numba import typeof as cuda_typeof
    return cuda_typeof(value)


def compile_ptx(pyfunc: Any, sig: Any, **options: Any) -> tuple[str, Any]:
    """PTX for ``pyfunc`` with signature ``sig`` (``cc=(9, 0)``, ``launch_bounds`` …),
    compiled by NVVM without a GPU; (PTX text, return type)."""
    compile_to_ptx: Any = cuda.compile_ptx
    ptx, resty = compile_to_ptx(pyfunc, sig, **options)
    return str(ptx), resty


def nvvm_available() -> bool:
    """Whether NVVM, the compiler library numba-cuda compiles with, loads."""
    nvvm_module: Any = __getattr__("nvvm")
    return bool(nvvm_module.is_available())
