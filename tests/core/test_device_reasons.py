"""The device choice's and the GPU probe's reasons are an id and parameters: every branch
gives a :class:`Reason` whose English is what the terminal printed before, and every
template in the table is one some branch gives."""

from __future__ import annotations

import copy
import ctypes
import dataclasses
import json
import pickle
import sys
from importlib import metadata
from types import SimpleNamespace

import pytest

from convviz import engine
from convviz.backends import cuda_probe
from convviz.core import cuda_versions, device
from convviz.core.reasons import REASON_TEMPLATES, Reason


class FakeLibcuda:
    """libcuda as ctypes sees it: ``cuInit``'s return code and the GPUs it counts."""

    def __init__(self, init_rc: int = 0, count: int = 1):
        self.init_rc, self.count = init_rc, count

    def cuInit(self, flags):  # noqa: N802  (libcuda's name)
        return self.init_rc

    def cuDeviceGetCount(self, ref):  # noqa: N802
        ref._obj.value = self.count
        return 0


def _no_lib(name):
    raise OSError(f"{name}: cannot open shared object file")


def driver_answers() -> list[tuple[str, tuple[bool, Reason]]]:
    """What :func:`device.probe_driver` says for each state of the driver."""
    libs = {
        "no driver": _no_lib,
        "cuInit fails": lambda name: FakeLibcuda(init_rc=3),
        "no GPU": lambda name: FakeLibcuda(count=0),
        "no cuInit": lambda name: object(),  # a library without the function
        "two GPUs": lambda name: FakeLibcuda(count=2),
    }
    out = []
    for what, lib in libs.items():
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ctypes, "CDLL", lib)
            out.append((what, device.probe_driver()))
    return out


def choice_for(requested, driver, *, sim_env=False, numba_loaded=True) -> device.DeviceChoice:
    """:func:`device.choose` made afresh for ``CONVVIZ_DEVICE=requested``, the driver
    probe answering ``driver``; everything it touched is put back afterwards."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(device, "_choice", None)
        mp.setenv("CONVVIZ_DEVICE", requested)
        mp.setenv("NUMBA_ENABLE_CUDASIM", "1" if sim_env else "0")
        mp.setattr(device, "probe_driver", lambda: driver)
        if not numba_loaded:
            mp.delitem(sys.modules, "numba", raising=False)
        return device.choose()


class CudaAPIError(Exception):
    """Stands for numba-cuda's CudaAPIError: a CUresult code and the driver's text."""

    def __init__(self, code, msg):
        super().__init__(f"[{code}] {msg}")
        self.code = code


class NvvmSupportError(ImportError):
    pass


#: one exception for each way the probe kernel fails
FAILURES = [
    NvvmSupportError("libNVVM cannot be found"),
    CudaAPIError(2, "cuMemAlloc"),
    CudaAPIError(222, "cuModuleLoadDataEx failed"),
    CudaAPIError(209, "cuModuleLoadDataEx"),
    RuntimeError("CUDA driver library cannot be found"),
    RuntimeError("something new\nsecond line"),
]


def _no_package(name):
    raise metadata.PackageNotFoundError(name)


def probe_reasons() -> list[tuple[str, Reason]]:
    """The GPU probe's reasons: every failure explained, with and without a driver
    version and a toolkit, the NVVM check, the simulator, and the fall-back paths."""
    out: list[tuple[str, Reason]] = []
    for exc in FAILURES:
        for driver in ((12, 4), None):
            out.append((f"explain {exc!r} {driver}", cuda_probe.explain(exc, driver)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cuda_probe.metadata, "version", _no_package)
        out.append(("explain, no toolkit", cuda_probe.explain(FAILURES[0], (13, 0))))
    for driver in ((13, 1), None):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cuda_probe, "_nvvm_available", lambda: False)
            mp.setattr(device, "driver_cuda_version", lambda d=driver: d)
            out.append((f"no NVVM {driver}", cuda_probe.probe_gpu()[1]))

    def boom():
        raise RuntimeError("the simulator broke\ndetails")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cuda_probe, "_launch_probe", boom)
        out.append(("simulator fails", cuda_probe.probe_simulator()[1]))
    out.append(("mismatch", cuda_versions.mismatch((12, 4), (13, 5))))
    out.append(("mismatch, old driver", cuda_versions.mismatch((11, 8), (13, 0))))
    for requested in ("auto", "gpu"):
        with pytest.MonkeyPatch.context() as mp:
            found = Reason("gpus_found", 1)
            mp.setattr(device, "_choice", device.DeviceChoice(requested, "gpu", found))
            mp.setattr(cuda_probe, "_result", None)
            why = cuda_probe.explain(FAILURES[2], (12, 4))
            mp.setattr(cuda_probe, "probe_gpu", lambda w=why: (False, w))
            ok, reason = cuda_probe.availability()
            assert not ok and device.choose().reason == reason  # the status bar's
            out.append((f"fall back, asked {requested}", reason))
    # a lane's backend that cannot run stands aside for another (the engine's refusal)
    off = SimpleNamespace(reason=Reason("mode_off"))
    out.append(("engine: not available", engine.unavailable(off).args[0]))
    return out


def all_reasons() -> list[tuple[str, Reason]]:
    """(what, reason) for every branch of :func:`device.choose` (the driver probe
    stubbed), of the driver probe itself, and of the GPU probe and its fall-back."""
    answers = driver_answers()
    out: list[tuple[str, Reason]] = [(f"driver: {w}", a[1]) for w, a in answers]
    failed = [(w, a) for w, a in answers if not a[0]]
    ok = next(a for _w, a in answers if a[0])
    out.append(("auto, GPU", choice_for("auto", ok).reason))
    for what, answer in failed:
        out.append((f"gpu, {what}", choice_for("gpu", answer).reason))
        out.append((f"auto, {what}", choice_for("auto", answer, numba_loaded=False).reason))
    out.append(("unknown mode", choice_for("tpu", ok).reason))
    out.append(("off", choice_for("off", ok).reason))
    out.append(("sim", choice_for("sim", ok, sim_env=True).reason))
    out.append(("simulator set in env", choice_for("auto", ok, sim_env=True).reason))
    out.append(("numba too early", choice_for("sim", ok).reason))
    return out + probe_reasons()


def ids_in(reason: object) -> set[str]:
    """The template ids of ``reason`` and of every reason among its parameters."""
    if not isinstance(reason, Reason):
        return set()
    return {reason.id}.union(*(ids_in(a) for a in reason.args))


def unreached(reasons, templates) -> set[str]:
    """Templates that no reason in ``reasons`` uses (a sentence nothing tests)."""
    return set(templates) - set().union(*(ids_in(r) for _w, r in reasons))


@pytest.fixture(scope="module")
def reasons():
    return all_reasons()


def test_every_branch_gives_a_reason_and_every_template_is_reached(reasons):
    assert all(isinstance(r, Reason) for _w, r in reasons), reasons
    assert unreached(reasons, REASON_TEMPLATES) == set()
    # the check sees a template nothing uses
    assert unreached(reasons, {**REASON_TEMPLATES, "planted": "x"}) == {"planted"}


def test_the_english_is_what_the_terminal_printed(reasons):
    said = dict(reasons)
    assert said["gpu, no driver"] == (
        "CONVVIZ_DEVICE=gpu but no NVIDIA driver found (libcuda could not be loaded)"
    )
    assert said["auto, cuInit fails"] == (
        "the NVIDIA driver did not initialise (cuInit error 3); "
        "the CUDA kernel runs on Numba's simulator on the CPU"
    )
    assert said["auto, GPU"] == "2 NVIDIA GPU(s) found"
    assert (
        said["unknown mode"]
        == "CONVVIZ_DEVICE='tpu' is not one of auto, gpu, sim, off; CUDA is off"
    )
    assert said["sim"] == "Numba's CUDA simulator on the CPU (CONVVIZ_DEVICE=sim)"
    assert said["simulator set in env"] == (
        "Numba's CUDA simulator on the CPU (NUMBA_ENABLE_CUDASIM=1 was set)"
    )
    assert said["numba too early"].startswith("numba was imported before convviz")
    assert said["fall back, asked auto"].endswith("; computing on the CPU")
    assert said["fall back, asked gpu"].startswith(
        "CONVVIZ_DEVICE=gpu but the NVIDIA driver is older"
    )
    assert said["no NVVM None"] == (
        "the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing "
        f"(found no NVIDIA driver and {cuda_probe.toolkit_text()}); pip install "
        "'convviz[cuda12]' or 'convviz[cuda13]' "
        "(the one matching the CUDA Version nvidia-smi shows)"
    )
    assert said["explain, no toolkit"].startswith(
        "the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing or broken "
        "(found a driver for CUDA 13.0 and no CUDA toolkit package); pip install 'convviz[cuda13]'"
    )
    # an English sentence is its template filled with its parameters' English, at every depth
    for _what, reason in reasons:
        assert reason == reason.template.format(*reason.args)
        assert "{" not in reason and "\n" not in reason


def test_an_id_without_a_template_is_refused():
    with pytest.raises(KeyError):
        Reason("no_such_reason")


def test_a_reason_survives_copies_pickles_and_json():
    reason = Reason("gpu_asked_but", Reason("driver_not_initialised", 3))
    choice = device.DeviceChoice("gpu", "off", reason)
    for again in (
        copy.deepcopy(reason),
        pickle.loads(pickle.dumps(reason)),
        dataclasses.asdict(choice)["reason"],  # convviz info's dict is made of copies
    ):
        assert isinstance(again, Reason) and again == reason
        assert again.id == "gpu_asked_but" and again.args[0].id == "driver_not_initialised"
    assert json.loads(json.dumps({"reason": reason}))["reason"] == str(reason)
