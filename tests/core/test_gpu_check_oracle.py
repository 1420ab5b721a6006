"""The oracle and sweep steps of scripts/gpu_check.sh must condemn a wrong kernel: run
their Python (as the script holds it) on the simulator, once as it is and once with one
output of `cuda-tiled` nudged by a small fraction of its size."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (ROOT / "scripts" / "gpu_check.sh").read_text()
CONV_CHECK = re.search(r"CONV_CHECK=\$\(\n    cat <<'PYEOF'\n(.*?)\nPYEOF", SCRIPT, re.S).group(1)

NUDGE = """
import numpy as np, convviz
_conv2d = convviz.conv2d
def conv2d(*args, backend="auto", **kw):
    out = _conv2d(*args, backend=backend, **kw)
    if backend == "cuda-tiled":
        out = np.array(out)
        out[..., -1, -1] += 1e-3 * (float(np.abs(out).max()) + 1.0)  # one output, slightly off
    return out
convviz.conv2d = conv2d
"""


def _check(step, prelude=""):
    env = dict(os.environ, PYTHONPATH=str(ROOT), CONVVIZ_DEVICE="sim", QUICK="1", STEP_S="60")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    return subprocess.run(
        [sys.executable, "-c", prelude + CONV_CHECK, step],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        cwd=ROOT,
    )


@pytest.mark.parametrize("step", ["oracle", "sweep"])
def test_right_kernels_pass_and_a_nudged_output_fails(step):
    good = _check(step)
    assert good.returncode == 0, good.stdout + good.stderr[-2000:]
    assert "WRONG" not in good.stdout and ", 0 failed," in good.stdout
    bad = _check(step, NUDGE)
    assert bad.returncode == 1, bad.stdout + bad.stderr[-2000:]
    wrong = [ln for ln in bad.stdout.splitlines() if ln.startswith("WRONG")]
    assert wrong and all("cuda-tiled" in ln for ln in wrong)
