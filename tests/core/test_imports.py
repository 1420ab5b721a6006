"""Layering: the engine imports without Qt, and `import convviz` stays light."""

import subprocess
import sys

import pytest

CHECK = """
import sys
import {mods}
bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print('QT', bad)
print('HEAVY', heavy)
"""


@pytest.mark.parametrize(
    "mods",
    [
        "convviz",
        "convviz.core",
        "convviz.backends",
        "convviz.core.stepper, convviz.core.images, convviz.cli",
    ],
)
def test_engine_imports_without_qt(mods):
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(mods=mods, heavy=("torch",))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "QT []" in out


def test_import_convviz_loads_no_numba_or_scipy():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHECK.format(mods="convviz", heavy=("numba", "scipy", "torch", "cv2")),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "HEAVY []" in out


def test_backends_do_not_import_qt_even_after_use():
    code = (
        "import numpy as np, convviz, sys\n"
        "convviz.conv2d(np.ones((5, 5)), np.ones((3, 3)), backend='cpu')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
