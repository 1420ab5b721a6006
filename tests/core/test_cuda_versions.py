"""The driver's CUDA version against the toolkit's: one message naming both and the extra."""

from importlib import metadata

import pytest

from convviz.core import cuda_versions as cv


@pytest.mark.parametrize(
    "driver,toolkit,extra",
    [((12, 4), (13, 5), "cuda12"), ((12, 9), (13, 0), "cuda12"), ((11, 8), (12, 9), None)],
)
def test_a_driver_too_old_for_the_toolkit_is_one_message(driver, toolkit, extra):
    msg = cv.mismatch(driver, toolkit)
    assert f"supports CUDA {driver[0]}.{driver[1]}" in msg
    assert f"toolkit is {toolkit[0]}.{toolkit[1]}" in msg
    assert "\n" not in msg
    if extra:
        assert f'pip install "convviz[{extra}]"' in msg
    else:
        assert "update the NVIDIA driver" in msg


@pytest.mark.parametrize(
    "driver,toolkit",
    [((13, 0), (13, 5)), ((13, 2), (12, 9)), ((12, 2), (12, 9)), (None, (13, 5)), ((12, 4), None)],
)
def test_matching_or_unknown_versions_say_nothing(driver, toolkit):
    assert cv.mismatch(driver, toolkit) == ""


@pytest.mark.parametrize(
    "installed,want",
    [
        ({"nvidia-nvvm": "13.5.37"}, (13, 5)),
        ({"nvidia-cuda-nvcc-cu12": "12.9.86"}, (12, 9)),
        ({"nvidia-nvvm": "13.0.48", "nvidia-cuda-nvcc-cu12": "12.9.86"}, (13, 0)),
        ({}, None),
    ],
)
def test_toolkit_version_reads_the_nvvm_wheel(monkeypatch, installed, want):
    def version(name):
        if name in installed:
            return installed[name]
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(cv.metadata, "version", version)
    assert cv.toolkit_version() == want


def test_driver_version_is_a_version_or_none():
    v = cv.driver_version()
    assert v is None or (v[0] >= 10 and 0 <= v[1] < 100)
