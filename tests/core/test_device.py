"""CONVVIZ_DEVICE is read once, before numba loads, and 'no GPU' is never a crash."""

import json
import os
import subprocess
import sys

import pytest


def info_with(env_value, extra_env=None):
    env = dict(os.environ)
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    env["CONVVIZ_DEVICE"] = env_value
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "convviz", "info", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    return data, {b["name"]: b for b in data["backends"]}


def test_off_disables_cuda_with_a_reason():
    data, be = info_with("off")
    assert data["device_choice"]["mode"] == "off"
    assert not be["cuda"]["available"] and "CONVVIZ_DEVICE=off" in be["cuda"]["reason"]
    assert be["cpu"]["available"] and be["cpu-parallel"]["available"]


def test_sim_forces_the_simulator():
    data, be = info_with("sim")
    assert data["device_choice"]["mode"] == "sim"
    assert be["cuda"]["available"] and be["cuda"]["simulated"]
    assert "simulator" in be["cuda"]["device"]


def test_unknown_value_is_explained_not_fatal():
    data, be = info_with("tpu")
    assert "CONVVIZ_DEVICE='tpu' is not one of auto, gpu, sim, off" in be["cuda"]["reason"]


def test_gpu_without_a_driver_says_why():
    from convviz.core.device import probe_driver

    ok, _ = probe_driver()
    if ok:
        pytest.skip("this machine has an NVIDIA driver")
    data, be = info_with("gpu")
    assert not be["cuda"]["available"]
    assert "CONVVIZ_DEVICE=gpu but no NVIDIA driver found" in be["cuda"]["reason"]
    assert data["gpu"] is None


def test_auto_without_a_driver_uses_the_simulator():
    from convviz.core.device import probe_driver

    if probe_driver()[0]:
        pytest.skip("this machine has an NVIDIA driver")
    data, be = info_with("auto")
    assert data["device_choice"]["mode"] == "sim" and be["cuda"]["simulated"]
    assert "no NVIDIA driver" in data["gpu_reason"]
