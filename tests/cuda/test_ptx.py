"""The simulator never type-checks a kernel, so compile every CUDA kernel to PTX for a real
architecture (sm_90) here, without a GPU, and check it does no float64 arithmetic."""

import os
import re
import subprocess
import sys

import pytest

SCRIPT = r"""
import os, sys
os.environ["CONVVIZ_DEVICE"] = "gpu"       # the real CUDA target, not the simulator
import convviz.core
from numba import cuda, types
import numba.cuda.dispatcher as disp

# Compiling a kernel that calls a device function asks the current device for
# its compute capability; with no GPU present, answer for the target we compile.
class _Target:
    compute_capability = (9, 0)
disp.get_current_device = lambda: _Target()

from convviz.backends import cuda as cb
arr3 = types.Array(types.float32, 3, "C")
arr4 = types.Array(types.float32, 4, "C")
arr1 = types.Array(types.float32, 1, "C")
sig = (arr3, arr4, arr1, arr3) + (types.int64,) * 8
ptx, _ = cuda.compile_ptx(cb.conv_kernel, sig, cc=(9, 0))
sys.stdout.write(ptx)
from convviz.backends import cuda_tiled
for rows, cob in ((4, 1), (4, 2), (4, 4), (4, 8)):
    tptx, _ = cuda.compile_ptx(cuda_tiled.make_tiled_kernel(rows, cob), sig + (types.int64,) * 4,
                               cc=(9, 0))
    sys.stdout.write(f"\n// ==== tiled {rows} {cob}\n" + tptx)
"""


@pytest.fixture(scope="module")
def ptx():
    env = dict(os.environ)
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    if proc.returncode != 0 and ("NVVM" in proc.stderr or "libnvvm" in proc.stderr):
        pytest.fail("NVVM not found: install the test extra (numba-cuda[cu13]):\n" + proc.stderr)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_kernel_compiles_for_sm90(ptx):
    assert ".target sm_90" in ptx
    assert re.search(r"\.entry\s+\S*conv_kernel", ptx)
    assert len(re.findall(r"\.entry\s+\S*conv_tiled_kernel", ptx)) == 4


def test_tiled_kernel_uses_shared_memory(ptx):
    tiled = ptx.split("// ==== tiled")[1]
    assert ".extern .shared" in tiled and "ld.shared.f32" in tiled


def test_kernel_does_no_float64_arithmetic(ptx):
    f64 = [line.strip() for line in ptx.splitlines() if ".f64" in line]
    assert f64 == [], "float64 in the CUDA kernel:\n" + "\n".join(f64[:10])


def test_kernel_does_float32_multiply_adds(ptx):
    assert re.search(r"\b(fma\.rn|mul\.rn|mul)\.f32\b", ptx)
    assert re.search(r"\badd(\.rn)?\.f32\b", ptx) or "fma.rn.f32" in ptx
