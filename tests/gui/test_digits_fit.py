"""Digits in a grid never run into their neighbours: a grid draws every number inside
its cell at a readable size, or none (the colours carry the picture); the input and
the output of a 32×32 lesson follow the same rule."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from convviz.gui.widgets.grid_layers import fits_at_least
from convviz.gui.widgets.grid_view import GridView
from tests.gui.settle import settle


def _drawn(qtbot, values: np.ndarray, side: int) -> GridView:
    view = GridView("t")
    qtbot.addWidget(view)
    view.resize(side, side + 60)
    view.set_data(values, levels=(-20.0, 20.0), lut="diverging")
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paints: the number layer decides its size there
    QtWidgets.QApplication.processEvents()
    view.grab()
    return view


def test_numbers_too_wide_for_their_cells_are_not_drawn(qtbot):
    values = np.full((32, 32), -17.0, np.float32)  # three characters in every cell
    assert _drawn(qtbot, values, 330).numbers.digits_px == 0


def test_numbers_that_fit_are_drawn(qtbot):
    values = np.full((8, 8), -17.0, np.float32)
    assert _drawn(qtbot, values, 330).numbers.digits_px >= 6


def test_the_fit_check_sees_a_number_wider_than_its_cell():
    texts = np.array([["1", "-2"], ["3", "-1234567"]], dtype=object)
    assert fits_at_least(texts, 200.0)
    assert not fits_at_least(texts, 20.0)  # "-1234567" at 6 px is wider than 20 px
    assert fits_at_least(np.array([["", ""]], dtype=object), 1.0)  # nothing to draw


def _cell_px(view: GridView) -> float:
    a = view.vb.mapViewToDevice(QtCore.QPointF(0, 0))
    b = view.vb.mapViewToDevice(QtCore.QPointF(1, 0))
    return abs(b.x() - a.x())


def test_a_32_by_32_lesson_never_runs_digits_together(window, qtbot):
    """Input and output of a 32×32 lesson, window at any of these widths: each grid's
    digits fit their cells, or are hidden."""
    window.model.set_input(h=32, w=32)
    window.model.seek(40)
    lv = window.lesson_view
    for width in (1000, 1400, 1900):
        window.resize(width, 1000)
        settle()
        for view in (lv.input_view, lv.output_view):
            view.grab()
            if view.numbers.digits_px:
                assert fits_at_least(view.numbers.texts, 0.86 * _cell_px(view)), width
