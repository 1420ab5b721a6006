"""The image mode's kernel editor: presets, typed cells, normalise, load/save."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtGui

from convviz.core.kernels import preset
from convviz.gui import theme
from convviz.gui.image.kernel_editor import MAX_SIDE, KernelEditor


@pytest.fixture
def editor(qtbot):
    ed = KernelEditor()
    qtbot.addWidget(ed)
    changes = []
    ed.sigKernelChanged.connect(lambda k, name: changes.append((k, name)))
    ed.changes = changes
    return ed


@pytest.mark.parametrize(
    "text, words",
    [
        ("abc", "'abc' at row 2, column 3 is not a number"),
        ("nan", "is not finite"),
        ("-inf", "is not finite"),
        ("1/0", "divides by zero"),
        ("1e39", "too large"),
    ],
)
def test_a_bad_cell_is_refused_at_that_cell(editor, text, words):
    before = editor.kernel.copy()
    editor.set_cell_text(1, 2, text)
    assert words in editor.message.text() and "last good kernel" in editor.message.text()
    assert editor.table.item(1, 2).background().color() == QtGui.QColor(theme.palette().error)
    np.testing.assert_array_equal(editor.kernel, before)
    assert editor.changes == []
    editor.set_cell_text(1, 2, "1/4")  # fixed: the kernel takes it, the cell is white again
    assert editor.message.text() == ""
    assert editor.kernel[1, 2] == 0.25 and editor.name == "custom"
    assert editor.table.item(1, 2).background().color() == QtGui.QColor("white")


def test_typed_kernel_survives_trying_presets(editor):
    editor.set_cell_text(0, 0, "7")
    mine = editor.kernel.copy()
    assert editor.preset.currentData() == "custom"
    editor.set_preset("gaussian")
    editor.ksize.setValue(7)
    np.testing.assert_array_equal(editor.kernel, preset("gaussian", size=7, sigma=1.0))
    assert editor.table.rowCount() == 7
    # editing one cell keeps the others exact (the tooltip shows every digit)
    expected = preset("gaussian", size=7, sigma=1.0)
    assert float(editor.table.item(3, 3).toolTip()) == expected[3, 3]
    editor.set_cell_text(0, 0, "0")
    expected[0, 0] = 0
    np.testing.assert_array_equal(editor.kernel, expected)
    editor.set_preset("custom")
    assert editor.name == "custom"
    editor.set_preset("sobel-x")
    editor.set_preset("custom")
    assert editor.kernel.shape == (7, 7)  # the last custom kernel: the edited Gaussian
    editor.custom = mine
    editor.set_preset("custom")
    np.testing.assert_array_equal(editor.kernel, mine)


def test_shape_normalise_load_save(editor, tmp_path):
    editor.rows.setValue(5)
    editor.cols.setValue(4)
    assert editor.kernel.shape == (5, 4)
    np.testing.assert_array_equal(editor.kernel[:3, :3], preset("sobel-x"))
    assert editor.rows.maximum() == MAX_SIDE == editor.cols.maximum()
    editor.normalise_kernel()  # Sobel sums to 0
    assert "sum to 0" in editor.message.text()
    editor.set_preset("box")
    editor.set_cell_text(0, 0, "2")
    editor.normalise_kernel()
    assert abs(float(editor.kernel.sum()) - 1) < 1e-6
    for name in ("k.npy", "k.txt"):
        path = tmp_path / name
        editor.ask_save_path = lambda *a, path=path: str(path)
        editor.save.click()
        saved = editor.kernel.copy()
        editor.set_preset("sharpen")
        editor.ask_open_path = lambda *a, path=path: str(path)
        editor.load.click()
        np.testing.assert_array_equal(editor.kernel, saved)
    big = tmp_path / "big.npy"
    np.save(big, np.ones((17, 17), np.float32))
    before = editor.kernel.copy()
    assert not editor.load_file(big)
    assert "larger than" in editor.message.text()
    np.testing.assert_array_equal(editor.kernel, before)


def test_gaussian_weights_show_four_significant_digits_and_keep_every_digit(qtbot):

    editor = KernelEditor()
    qtbot.addWidget(editor)
    editor.set_preset("gaussian")
    k = editor.kernel
    for r in range(k.shape[0]):
        for c in range(k.shape[1]):
            item = editor.table.item(r, c)
            digits = item.text().lstrip("-0.").replace(".", "").split("e")[0]
            assert len(digits) <= 4, item.text()
            assert np.float32(float(item.toolTip())) == k[r, c]  # the full value
            assert abs(float(item.text()) - k[r, c]) <= 5e-4 * abs(k[r, c])
    np.testing.assert_array_equal(k, preset("gaussian", size=k.shape[0]))  # nothing lost
