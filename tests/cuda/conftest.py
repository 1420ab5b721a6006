"""CUDA tests run on whatever convviz.core.device chose: Numba's simulator in CI, a real
GPU where there is one. Tests marked `gpu` need the real thing."""

import pytest

from convviz import backends


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
