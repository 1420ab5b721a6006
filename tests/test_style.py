"""The style the project keeps, checked by the tools configured in pyproject.toml.

ruff (lint and format) over the whole tree, mypy over the package (strict for the
Qt-free layers), and the 400-line limit on modules. Each runs in a subprocess so
that the suite fails with the tools' own report.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def _tool(name: str) -> None:
    if importlib.util.find_spec(name) is None:
        pytest.skip(
            f"{name} is not installed (it comes with the test extra: pip install -e .[test])"
        )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_lint_passes():
    _tool("ruff")
    res = _run("ruff", "check", "--no-cache", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_ruff_format_leaves_every_file_as_it_is():
    _tool("ruff")
    res = _run("ruff", "format", "--check", "--no-cache", ".")
    assert res.returncode == 0, res.stdout + res.stderr


#: the numpy whose type stubs the tree is typed against; older stubs (numpy 2.2, the last
#: for Python 3.10) type arrays differently and would report differences, not mistakes
TYPED_AGAINST_NUMPY = (2, 3)


def test_mypy_passes():
    _tool("mypy")
    import numpy as np

    found = tuple(int(p) for p in np.__version__.split(".")[:2])
    if found < TYPED_AGAINST_NUMPY:
        pytest.skip(
            f"numpy {np.__version__}'s type stubs differ from numpy >= 2.3's, which the "
            "tree is typed against (numpy 2.3 needs Python >= 3.11): run mypy there"
        )
    res = _run("mypy", "--no-incremental")
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr


def test_every_module_is_at_most_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "convviz").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
