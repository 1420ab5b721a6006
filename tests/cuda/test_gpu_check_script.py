"""scripts/gpu_check.sh is run once, unattended, on a lent GPU machine: check here that it
keeps every step's exit status, writes its logs where they come back, and runs to the end
(on the simulator, with --quick)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gpu_check.sh"


def _run(tmp_path, python, timeout):
    env = dict(os.environ, OUT=str(tmp_path), PYTHON=python, CONVVIZ_DEVICE="sim")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    return subprocess.run(
        ["bash", str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=tmp_path,
    )


def test_a_failing_step_fails_the_script(tmp_path):
    proc = _run(tmp_path, "false", timeout=120)  # every Python step fails at once
    assert proc.returncode != 0
    summary = proc.stdout[proc.stdout.index("== summary") :]
    for step in ("facts", "oracle", "CUDA tests", "sweep", "gpu_bench.py"):
        line = next(ln for ln in summary.splitlines() if ln.startswith(step))
        assert not line.endswith("exit 0"), line
    assert (tmp_path / "summary.txt").read_text() == proc.stdout


@pytest.mark.slow
def test_quick_check_runs_to_the_end_on_the_simulator(tmp_path):
    proc = _run(tmp_path, sys.executable, timeout=480)
    assert proc.returncode == 0, proc.stdout[-3000:]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert all(p.is_file() for p in tmp_path.iterdir()) and len(files) <= 8, files
    logs = {"summary.txt", "facts.log", "oracle.log", "tests.log", "sweep.log", "bench.log"}
    assert logs | {"bench-gpu.json"} <= set(files)
    assert "python -m numba -s" in (tmp_path / "facts.log").read_text()
    # on the simulator every gpu-marked test is skipped, with the reason; the rest deselected
    assert "needs a real GPU" in (tmp_path / "tests.log").read_text()
    for log in ("oracle.log", "sweep.log"):
        assert ", 0 failed," in (tmp_path / log).read_text()
