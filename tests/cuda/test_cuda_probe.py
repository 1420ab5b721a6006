"""Availability is a one-thread kernel launched and synchronised; every way that fails
is one line saying what was found and what to install."""

import pytest

from convviz.backends import cuda_probe
from convviz.core import device


class CudaAPIError(Exception):
    """Stands for numba-cuda's CudaAPIError: a CUresult code and the driver's text."""

    def __init__(self, code, msg):
        super().__init__(f"[{code}] {msg}")
        self.code = code


class LinkerError(RuntimeError):
    pass


class NvvmSupportError(ImportError):
    pass


@pytest.mark.parametrize(
    "driver,extra", [((12, 4), "convviz[cuda12]"), ((13, 0), "convviz[cuda13]")]
)
def test_extra_matches_the_driver(driver, extra):
    assert cuda_probe.extra_for(driver) == extra
    assert "convviz[cuda12] or convviz[cuda13]" in cuda_probe.extra_for(None)


@pytest.mark.parametrize(
    "exc,words",
    [
        (CudaAPIError(222, "cuModuleLoadDataEx failed"), "older than the CUDA toolkit"),
        (
            LinkerError("ptxas fatal: Unsupported .version 9.0; current version is '8.4'"),
            "older than the CUDA toolkit",
        ),
        (CudaAPIError(35, "cuInit"), "older than the CUDA toolkit"),
        (NvvmSupportError("libNVVM cannot be found"), "NVVM (the CUDA compiler library)"),
        (CudaAPIError(2, "cuMemAlloc"), "no free memory"),
        (CudaAPIError(209, "cuModuleLoadDataEx"), "architecture"),
        (RuntimeError("something new\nsecond line"), "CUDA GPU not usable: RuntimeError"),
    ],
)
def test_each_failure_is_one_line_with_what_was_found(exc, words):
    text = cuda_probe.explain(exc, (12, 4))
    assert words in text
    assert "\n" not in text and len(text) < 400
    assert "found a driver for CUDA 12.4" in text
    if "no free memory" not in text:
        assert "convviz[cuda12]" in text


def test_missing_nvvm_is_named_not_no_gpu(monkeypatch):
    monkeypatch.setattr(cuda_probe, "_nvvm_available", lambda: False)
    monkeypatch.setattr(device, "driver_cuda_version", lambda: (13, 1))
    ok, why = cuda_probe.probe_gpu()
    assert not ok
    assert "NVVM" in why and "missing" in why and "convviz[cuda13]" in why
    assert "no usable" not in why


def test_a_launch_failure_is_caught(monkeypatch):
    def boom():
        raise CudaAPIError(222, "cuLinkAddData failed")

    monkeypatch.setattr(cuda_probe, "_nvvm_available", lambda: True)
    monkeypatch.setattr(cuda_probe, "_launch_probe", boom)
    monkeypatch.setattr(device, "driver_cuda_version", lambda: (12, 2))
    ok, why = cuda_probe.probe_gpu()
    assert not ok and "older than the CUDA toolkit" in why and "convviz[cuda12]" in why


@pytest.mark.parametrize("requested", ["auto", "gpu"], ids=["asked-auto", "asked-gpu"])
def test_failed_probe_turns_cuda_off_with_the_reason(monkeypatch, requested):
    monkeypatch.setattr(cuda_probe, "_result", None)
    monkeypatch.setattr(device, "_choice", device.DeviceChoice(requested, "gpu", "1 GPU"))
    monkeypatch.setattr(cuda_probe, "probe_gpu", lambda: (False, "NVVM is missing"))
    ok, why = cuda_probe.availability()
    assert not ok
    choice = device.choose()
    assert choice.mode == "off" and choice.reason == why
    if requested == "auto":
        assert why == "NVVM is missing; computing on the CPU"
    else:
        assert why == "CONVVIZ_DEVICE=gpu but NVVM is missing"


def test_the_probe_kernel_runs_here(cuda_backend):
    # on the simulator here, on the device under CONVVIZ_DEVICE=gpu
    cuda_probe._launch_probe()
    assert cuda_backend.available and cuda_backend.reason == ""


def test_a_run_error_from_the_driver_is_one_line(monkeypatch):
    monkeypatch.setattr(device, "driver_cuda_version", lambda: None)
    driver_error = type("CudaAPIError", (Exception,), {"__module__": "numba.cuda.cudadrv.driver"})
    exc = driver_error("[222] cuModuleLoadDataEx\nmore")
    exc.code = 222
    err = cuda_probe.run_error(exc)
    assert err is not None and "older than the CUDA toolkit" in str(err)
    assert "pip install 'convviz[cuda12]' or 'convviz[cuda13]'" in str(err)  # no driver seen
    assert "\n" not in str(err)
    oom = cuda_probe.run_error(RuntimeError("[CUDA_ERROR_OUT_OF_MEMORY] cuMemAlloc failed"))
    assert oom is not None and str(oom).startswith("the GPU ran out of memory")
    assert cuda_probe.run_error(IndexError("a bug keeps its traceback")) is None
