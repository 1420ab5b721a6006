"""PTX of exactly the kernel a backend would launch, also where no GPU is present.

:func:`ptx_for` asks the backend which kernel and which host arguments a launch
on ``prep`` passes (:meth:`kernel_and_args`), types them as numba-cuda types the
device arrays made from them, and compiles that specialisation to PTX for the
given compute capability. On the CUDA simulator numba's compiler is replaced by
the interpreter, so the compile runs in a child Python with ``CONVVIZ_DEVICE=gpu``
(NVVM from the ``nvidia-nvvm`` wheel suffices; no driver is needed), handed the
backend's name and block, the problem's numbers and the layouts of its arrays.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from convviz.backends.cuda_naive import array_layout
from convviz.core import device


def _stand_in(dtype: str, ndim: int, layout: str) -> np.ndarray:
    """A tiny array that numba-cuda types exactly as an array of that layout."""
    if layout == "C":
        return np.zeros((1,) * ndim, dtype)
    if layout == "F":
        return np.asfortranarray(np.zeros((2,) * ndim, dtype))
    return np.broadcast_to(np.zeros(1, dtype), (2,) * ndim)


@contextlib.contextmanager
def _target(cc: tuple[int, int]) -> Iterator[None]:
    """Compiling a kernel that calls a device function asks the current device for its
    compute capability (numba-cuda's dispatcher); answer for the target compiled."""
    from convviz.backends.cuda_toolchain import dispatcher as disp

    class _Target:
        compute_capability = cc

    saved = disp.get_current_device
    disp.get_current_device = lambda: _Target()
    try:
        yield
    finally:
        disp.get_current_device = saved


def _compile_here(be: Any, prep: Any, cc: tuple[int, int]) -> str:
    from convviz.backends.cuda_naive import launch_types
    from convviz.backends.cuda_toolchain import cuda

    kern, args = be.kernel_and_args(prep)
    sig = launch_types(prep, args[4:])
    bounds = kern.targetoptions.get("launch_bounds")
    compile_ptx: Any = cuda.compile_ptx
    with _target(cc):
        ptx, _ = compile_ptx(kern.py_func, sig, cc=cc, launch_bounds=bounds)
    return str(ptx)


#: child processes a long list of kernels is compiled in
CHILDREN = 2
#: the child: the registry is handed to serve() so that this module imports no backend
CHILD = "from convviz.backends import get; from convviz.backends.cuda_ptx import serve; serve(get)"


def ptx_many(requests: Sequence[tuple[Any, Any]], cc: tuple[int, int] = (9, 0)) -> list[str]:
    """PTX for each (backend, prep), compiled in child processes if need be."""
    if device.choose().mode == "gpu":
        return [_compile_here(be, prep, cc) for be, prep in requests]
    payload = [
        (
            be.name,
            be.block,
            getattr(be, "rows", None),
            getattr(be, "paths", "all"),
            prep.spec,
            [(str(a.dtype), a.ndim, array_layout(a)) for a in (prep.x, prep.w, prep.b)],
        )
        for be, prep in requests
    ]
    env = dict(os.environ, CONVVIZ_DEVICE="gpu")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    # two children, each half the list: a compile is single-threaded, and a second core
    # halves the wait where there is one
    parts = [payload[i::CHILDREN] for i in range(CHILDREN)] if len(payload) > 4 else [payload]
    logs = [tempfile.TemporaryFile() for _ in parts]  # a full stderr pipe would block
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
        )
        for log in logs
    ]
    for proc, part in zip(procs, parts):  # every child at work before any is waited on
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps((part, cc)))
        proc.stdin.close()
    results: list[list[str]] = []
    failed = ""
    for proc, log in zip(procs, logs):
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.stdout.close()
        proc.wait(timeout=900)
        log.seek(0)
        err = log.read().decode(errors="replace").strip()
        log.close()
        results.append(pickle.loads(out) if proc.returncode == 0 else [])
        if proc.returncode != 0:
            failed = failed or err
    if failed:
        raise RuntimeError("compiling PTX failed:\n" + failed[-3000:])
    # back in the order asked: request i was the (i // CHILDREN)-th of part i % CHILDREN
    return [results[i % len(parts)][i // len(parts)] for i in range(len(payload))]


def ptx_for(be: Any, prep: Any, cc: tuple[int, int] = (9, 0)) -> str:
    """The PTX of the kernel ``be.compute(prep)`` would launch on a GPU of compute
    capability ``cc``."""
    return ptx_many([(be, prep)], cc)[0]


def serve(get: Callable[[str], Any]) -> None:
    """The child's side: (backend name, block, rows, paths, spec, array layouts) from stdin,
    the PTX of each to stdout."""
    from convviz.core.spec import Prepared

    payload, cc = pickle.loads(sys.stdin.buffer.read())
    results = []
    for name, block, rows, paths, spec, layouts in payload:
        be = get(name)
        if tuple(block) != tuple(be.block) or rows != getattr(be, "rows", None):
            be = be.with_block(block) if rows is None else be.with_block(block, rows)
        if paths != "all":
            be = be.with_paths(paths)
        x, w, b = (_stand_in(*lay) for lay in layouts)
        if w.flags.c_contiguous:  # the weights at their size: a launch may pass their values
            w = np.zeros((spec.c_out, spec.c_in // spec.groups, spec.kh, spec.kw), w.dtype)
        results.append(_compile_here(be, Prepared(x, w, b, spec), tuple(cc)))
    sys.stdout.buffer.write(pickle.dumps(results))
