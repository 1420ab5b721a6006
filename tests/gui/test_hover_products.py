"""After a run, hovering an output cell shows that cell: its window outlined on the
input and its products w·x in the Products panel (not the last sequential cell's)."""

from __future__ import annotations

import numpy as np

TIMEOUT_MS = 120_000  # the simulator runs every thread in Python


def _run(window, qtbot) -> None:
    with qtbot.waitSignal(window.runner.sigResult, timeout=TIMEOUT_MS):
        window.lanes.run_button.click()
    qtbot.waitUntil(lambda: window.lesson_view.phase.shown, timeout=TIMEOUT_MS)


def _oracle(lesson, r: int, c: int) -> np.ndarray:
    """w·x of output cell (r, c) of a one-channel lesson, numpy the obvious way
    (zero padding, stride 1, no flip, no dilation)."""
    x, w = lesson.x[0], lesson.w[0, 0]
    kh, kw = w.shape
    p = lesson.padding
    padded = np.pad(x, p)
    return padded[r : r + kh, c : c + kw] * w


def test_hovering_an_output_cell_after_a_run_shows_its_products(window, qtbot):
    lesson, s = window.model.lesson, window.model.prep.spec
    assert (s.stride, s.dilation, s.flip, s.padding_mode) == ((1, 1), (1, 1), False, "zeros")
    assert s.padding == (lesson.padding,) * 4
    window.model.seek(0)  # the sequential cell: (0, 0)
    _run(window, qtbot)
    view = window.lesson_view
    for r, c in ((5, 2), (0, 7), (7, 7)):
        view.outputs.sigCellHovered.emit(0, r, c)
        np.testing.assert_allclose(view.products_view.values, _oracle(lesson, r, c), rtol=1e-6)
        # and its window outlined on the input, the cell on the output
        assert [(b.r, b.c, b.h, b.w) for b in view.input_view.outlines["hover"].boxes] == [
            (r, c, 3, 3)
        ]
        assert [(b.r, b.c, b.h, b.w) for b in view.output_view.outlines["hover"].boxes] == [
            (r, c, 1, 1)
        ]
    assert not np.allclose(view.products_view.values, _oracle(lesson, 0, 0))


def test_before_a_run_hovering_leaves_the_step_products(window, qtbot):
    """Stepping one cell at a time, the Products panel stays on the step's cell."""
    window.model.seek(9)  # cell (1, 1)
    view = window.lesson_view
    view.outputs.sigCellHovered.emit(0, 5, 2)
    np.testing.assert_allclose(
        view.products_view.values, _oracle(window.model.lesson, 1, 1), rtol=1e-6
    )
