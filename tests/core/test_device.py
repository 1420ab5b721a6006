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


@pytest.mark.parametrize("backend", ["auto", "cuda"])
def test_run_with_gpu_requested_and_none_exits_2_with_one_line(tmp_path, backend):
    import numpy as np

    from convviz.core.device import probe_driver

    if probe_driver()[0]:
        pytest.skip("this machine has an NVIDIA driver")
    src = tmp_path / "in.npy"
    np.save(src, np.ones((8, 8), np.float32))
    env = dict(os.environ)
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    env["CONVVIZ_DEVICE"] = "gpu"
    proc = subprocess.run(
        [sys.executable, "-m", "convviz", "run", str(src), "-o", str(tmp_path / "out.npy")]
        + ["--kernel", "box:3", "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "CONVVIZ_DEVICE=gpu but no NVIDIA driver found" in lines[0]
    assert not (tmp_path / "out.npy").exists()


def test_no_driver_has_no_version():
    from convviz.core.device import driver_cuda_version, probe_driver

    if probe_driver()[0]:
        assert driver_cuda_version() is not None
    else:
        assert driver_cuda_version() is None
