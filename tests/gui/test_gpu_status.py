"""A GPU that the driver reports but that cannot run a kernel: `auto` computes on the
CPU and the status bar says why (what was found, what to install)."""

from __future__ import annotations

from convviz import backends
from convviz.backends import cuda as _cuda  # noqa: F401  (loaded before the choice is faked)
from convviz.backends import cuda_probe
from convviz.core import device
from convviz.gui.lesson.runs import cuda_status_text, warm_up_backends

WHY = (
    "the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing "
    "(found a driver for CUDA 12.4 and no CUDA toolkit package); pip install 'convviz[cuda12]'"
)


def test_a_failed_probe_falls_back_to_the_cpu_and_says_why(monkeypatch):
    monkeypatch.setattr(
        device, "_choice", device.DeviceChoice("auto", "gpu", "1 NVIDIA GPU(s) found")
    )
    monkeypatch.setattr(cuda_probe, "_result", None)
    monkeypatch.setattr(cuda_probe, "probe_gpu", lambda: (False, WHY))
    monkeypatch.setattr(backends, "_instances", {})
    assert "cuda" in warm_up_backends()  # the driver answered: the warm-up would try it
    assert "CUDA device: NVIDIA GPU" in cuda_status_text()

    assert backends.best().name == "cpu-parallel"  # asks the cuda backend: the probe runs
    assert backends.get("cuda").reason == WHY + "; computing on the CPU"
    text = cuda_status_text()
    assert text.startswith("CUDA unavailable") and "NVVM" in text and "convviz[cuda12]" in text
    assert "cuda" not in warm_up_backends()
