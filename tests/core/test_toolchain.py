"""The CUDA toolchain module: the one import of numba-cuda, and the step that lets
numba-cuda compile for a real GPU on numpy 2.5 (NVIDIA/numba-cuda#907)."""

import ast
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from convviz.backends import cuda_toolchain

ROOT = Path(__file__).resolve().parents[2]
NUMPY_2_5 = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 5)

#: compiles a small kernel for sm_90 with the real numba-cuda compiler (no simulator,
#: no GPU: NVVM from the wheels) and says what it got; warnings are errors
REAL_COMPILE = """
import numpy as np
had_row_stack = hasattr(np, "row_stack")
from convviz.backends import cuda_toolchain as tc
if not tc.nvvm_available():
    print("NO-NVVM")
    raise SystemExit(0)

def scale_add(x, y, a):
    i = tc.cuda.grid(1)
    if i < x.size:
        y[i] = x[i] * a + y[i]

ptx, _ = tc.compile_ptx(scale_add, "void(float32[::1], float32[::1], float32)", cc=(9, 0))
print("TARGET", ".target sm_90" in ptx, "FMA", "fma.rn.f32" in ptx)
print("ROW_STACK_UNCHANGED", hasattr(np, "row_stack") == had_row_stack)
"""


def _python(code, **env):
    full = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    full.pop("NUMBA_ENABLE_CUDASIM", None)
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=full,
        timeout=240,
        cwd=ROOT,
    )


def test_a_real_compile_to_ptx_works_on_this_numpy():
    proc = _python(REAL_COMPILE, CONVVIZ_DEVICE="gpu")
    assert proc.returncode == 0, proc.stderr[-2000:]
    if "NO-NVVM" in proc.stdout:
        pytest.skip("NVVM (the nvidia-nvvm wheel) is not installed")
    assert "TARGET True FMA True" in proc.stdout, proc.stdout
    assert "ROW_STACK_UNCHANGED True" in proc.stdout, proc.stdout


@pytest.mark.skipif(not NUMPY_2_5, reason=f"numpy {np.__version__} still has np.row_stack")
def test_without_the_step_numba_cuda_cannot_compile_on_numpy_2_5():
    # The defect the step exists for: numba-cuda imported directly fails on numpy 2.5,
    # first on the import's deprecation warning, then (warnings aside) on every compile.
    direct = "import convviz.core\nfrom numba import cuda\n"
    proc = _python(direct, CONVVIZ_DEVICE="gpu")
    assert proc.returncode != 0 and cuda_toolchain.GENERIC_TIMEDELTA in proc.stderr
    compile_code = "import warnings\nwarnings.simplefilter('ignore')\n" + direct
    compile_code += textwrap.dedent(
        """
        from numba import float32
        def double(x):
            x[0] = x[0] * float32(2.0)
        cuda.compile_ptx(double, "void(float32[::1])", cc=(9, 0))
        """
    )
    proc = _python(compile_code, CONVVIZ_DEVICE="gpu")
    assert proc.returncode != 0
    assert "has no attribute 'row_stack'" in proc.stderr, proc.stderr[-2000:]


def test_the_bridge_adds_row_stack_only_where_numpy_removed_it():
    before = getattr(np, "row_stack", None)
    with cuda_toolchain.numpy_bridge() as added:
        assert added == NUMPY_2_5
        inside = getattr(np, "row_stack")  # noqa: B009  (gone from numpy 2.5)
        if not NUMPY_2_5:
            assert inside is before  # numpy < 2.5: nothing touched
    assert getattr(np, "row_stack", None) is before
    if NUMPY_2_5:
        with pytest.raises(AttributeError, match="removed in numpy 2.5"):
            inside((np.zeros(2), np.zeros(2)))


def test_the_bridge_silences_that_one_warning_only():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with cuda_toolchain.numpy_bridge():
            warnings.warn(cuda_toolchain.GENERIC_TIMEDELTA + ", and will", DeprecationWarning, 1)
            np.timedelta64("nat")  # what numba-cuda's npdatetime_helpers builds
            with pytest.raises(DeprecationWarning, match="another"):
                warnings.warn("another deprecation", DeprecationWarning, 1)
        with pytest.raises(DeprecationWarning):  # and only while the bridge is open
            warnings.warn(cuda_toolchain.GENERIC_TIMEDELTA, DeprecationWarning, 1)


def numba_cuda_imports(source, filename="<source>"):
    """The lines of ``source`` that import numba-cuda themselves."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        if any(n.startswith(("numba.cuda", "numba_cuda")) for n in names):
            found.append(node.lineno)
    return found


def test_only_the_toolchain_module_imports_numba_cuda():
    offenders = {}
    for path in sorted((ROOT / "convviz").rglob("*.py")):
        if path.name == "cuda_toolchain.py":
            continue
        lines = numba_cuda_imports(path.read_text(), str(path))
        if lines:
            offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}


@pytest.mark.parametrize(
    "line",
    [
        "from numba import cuda",
        "import numba.cuda.dispatcher as disp",
        "from numba.cuda.extending import intrinsic",
        "def f():\n    from numba.cuda.np.arrayobj import make_array",
    ],
)
def test_the_import_check_finds_a_direct_import(line):
    assert numba_cuda_imports(line) != []
    assert numba_cuda_imports("from numba import njit, prange\nimport numba") == []


def test_the_toolchain_answers_what_the_kernels_ask():
    tc = cuda_toolchain
    assert callable(tc.cuda.jit) and callable(tc.intrinsic)
    assert str(tc.typeof(np.zeros((2, 3), np.float32))) == "array(float32, 2d, C)"
    assert tc.types.float32 == tc.float32
    assert tc.dispatcher is sys.modules["numba.cuda.dispatcher"]  # what PTX compiles patch
    with pytest.raises(AttributeError, match="no attribute 'row_stack'"):
        tc.row_stack  # noqa: B018


def test_numpy_is_not_pinned_below_2_5():
    text = (ROOT / "pyproject.toml").read_text()
    pins = re.findall(r'^\s*"(numpy[<>=!~ ].*?)",', text, re.M)
    assert len(pins) == 1 and "<" not in pins[0], pins  # the toolchain bridges numpy 2.5
