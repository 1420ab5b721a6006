"""CUDA tests run on whatever convviz.core.device chose: Numba's simulator in CI, a real
GPU where there is one. Tests marked `gpu` need the real thing."""

import re

import numpy as np
import pytest

from convviz import backends
from convviz.core.spec import prepare


@pytest.fixture
def cuda_backend():
    be = backends.get("cuda")
    if not be.available:
        pytest.skip(f"cuda backend unavailable: {be.reason}")
    return be


def pytest_collection_modifyitems(config, items):
    be = backends.get("cuda")
    if be.available and not be.simulated:
        return
    why = (
        "CUDA runs on Numba's simulator here (no NVIDIA GPU)"
        if be.available
        else f"no CUDA: {be.reason}"
    )
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"needs a real GPU: {why}"))


def single_channel(k=3, n=1024, **kw):
    """One channel of n² with a k×k kernel (padding 'same' unless given)."""
    kw.setdefault("padding", "same")
    return prepare(np.zeros((n, n), np.float32), np.zeros((k, k), np.float32), **kw)


def layer(n=128):
    """The 64 → 64-channel 3×3 layer."""
    x = np.zeros((64, n, n), np.float32)
    return prepare(x, np.zeros((64, 64, 3, 3), np.float32), padding=1)


#: the kernels the PTX and budget tests look at, compiled once for the session
COMPILED = {
    "cuda 3x3": ("cuda", single_channel),
    "cuda-tiled 3x3": ("cuda-tiled", single_channel),
    "cuda-tiled layer": ("cuda-tiled", layer),
}


@pytest.fixture(scope="session")
def compiled():
    """{key: (backend name, prep, PTX)} for COMPILED, through backends.ptx_for's path
    (one child process: the simulator cannot compile)."""
    from convviz.backends.cuda_ptx import ptx_many

    requests = [(name, make()) for name, make in COMPILED.values()]
    try:
        texts = ptx_many([(backends.get(name), prep) for name, prep in requests])
    except RuntimeError as exc:
        missing = re.search(r"(NvvmSupportError|DynamicLibNotFoundError): (.*)", str(exc))
        if missing:  # the CUDA toolkit's NVVM or NVRTC is not installed
            pytest.skip(
                f"needs the CUDA toolkit's NVVM and NVRTC ({missing.group(2)[:120]}): "
                'install the test extra, pip install -e ".[test]"'
            )
        raise
    return {key: (*req, ptx) for key, req, ptx in zip(COMPILED, requests, texts)}
