"""A room-sized picture: in presentation mode the lesson takes most of the screen and its
digits are large; no grid draws smaller than the kernel; each CUDA block reads as one
colour, unlike its neighbours; the hovered output cell is outlined with its window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets

from convviz.core.block_colours import cell_colours
from convviz.core.lessons import demo_lesson
from convviz.gui import theme
from convviz.gui.widgets.grid_view import Box


def _present(window, w: int, h: int) -> None:
    """Presentation mode in a ``w``×``h`` window (the test screen is smaller than a
    projector's, and full screen would take its size)."""
    window.presentation.enter()
    window.showNormal()
    window.resize(w, h)


def _drawn(win):
    win.grab()  # paints every grid: the digits' size is what was drawn
    QtWidgets.QApplication.processEvents()


def _grid_px(view):
    """(cell width, cell height) on screen of a grid view."""
    from PySide6.QtCore import QPointF

    rows, cols = view.values.shape
    a, b = (view.vb.mapViewToScene(QPointF(c, r)) for r, c in ((0, 0), (rows, cols)))
    return ((b.x() - a.x()) / cols, (b.y() - a.y()) / rows)


def _run(window, qtbot):
    window.run_parallel()
    qtbot.waitUntil(
        lambda: not window.runner.busy and window.runs.last_result is not None, timeout=60_000
    )


@pytest.mark.parametrize("side", [8, 16])
def test_presentation_digits_are_at_least_24_px_up_to_16x16(window, qtbot, side):
    """At 1920×1080 (a projector), in presentation mode, after the parallel run too."""
    _present(window, 1920, 1080)
    try:
        window.controls.rows.setValue(side)
        window.controls.cols.setValue(side)
        window.model.seek(3)
        _drawn(window)
        lv = window.lesson_view
        assert lv.input_view.numbers.digits_px >= 24
        _run(window, qtbot)
        _drawn(window)
        assert lv.input_view.numbers.digits_px >= 24
        assert lv.kernel_view.numbers.digits_px >= 24
    finally:
        window.presentation.leave()


def test_the_lanes_are_a_compact_strip_in_presentation(window, qtbot):
    _present(window, 1920, 1080)
    try:
        _run(window, qtbot)
        _drawn(window)
        lanes, lesson = window.lanes, window.lesson_view
        assert lanes.lanes_shown
        assert lanes.height() < 0.2 * window.height()
        assert lesson.height() > 0.6 * window.height()
        assert not lanes.parallel.view.graphics.isVisible()  # the lesson's output is the picture
    finally:
        window.presentation.leave()
    assert window.lanes.parallel.view.graphics.isVisible()  # back in the normal view


@pytest.mark.parametrize("presentation", [False, True])
def test_no_grid_draws_smaller_than_the_kernel(window, qtbot, presentation):
    window.resize(1280, 720)
    if presentation:
        _present(window, 1280, 720)
    try:
        _run(window, qtbot)
        _drawn(window)
        lv = window.lesson_view
        kernel = lv.kernel_view
        kw, kh = _grid_px(kernel)
        k_side = (kw * kernel.values.shape[1], kh * kernel.values.shape[0])
        for view in (lv.input_view, lv.output_view):
            w, h = _grid_px(view)
            side = (w * view.values.shape[1], h * view.values.shape[0])
            assert side[0] >= k_side[0] - 0.5 and side[1] >= k_side[1] - 0.5, view.title.text()
    finally:
        if presentation:
            window.presentation.leave()


def test_each_block_is_one_colour_with_legible_digits(window, qtbot):
    window.model.set_lesson(demo_lesson())
    _run(window, qtbot)
    ov = window.lesson_view.output_view
    record = window.runs.last_result.lanes["cuda"].record
    bx, by = record.block[:2]
    fills = theme.palette().block_fills
    expected = cell_colours(8, 8, by, bx)
    tints = zip(ov.tints.boxes, ov.tints.brushes)
    colours = {(b.r, b.c): brush.color().name() for b, brush in tints}
    for (r, c), colour in colours.items():
        assert colour == fills[expected[r, c]]
        assert colours[r, c] != colours.get((r, c + bx), None) or c + bx >= 8
    # digits on the fills: black, whatever the value colour under them was
    assert not ov.numbers.white.any()
    assert np.unique(expected).size == 4


@pytest.mark.parametrize("stride", [1, 2])
def test_the_hovered_output_cell_is_outlined_with_its_window(window, stride):
    window.controls.stride.setValue(stride)
    lv, m = window.lesson_view, window.model
    r, c = 2, 1
    lv._on_output_hovered(0, r, c)
    assert lv.output_view.outlines["hover"].boxes == [Box(r, c)]
    hovered = lv.input_view.outlines["hover"].boxes
    # the same window the animation outlines when it reaches that cell
    m.seek(r * m.prep.spec.out_w + c)
    assert hovered == lv.input_view.outlines["window"].boxes
    lv._on_output_hovered(0, -1, -1)  # the pointer left
    assert not lv.output_view.outlines["hover"].boxes
    assert not lv.input_view.outlines["hover"].boxes


def test_a_small_region_is_grabbed_and_moved_not_resized(window, qtbot):
    """A 10×10 region of a 512² photo is a few screen pixels: its box is drawn and grabbed
    at a usable size, and dragging its centre moves it (the handle does not cover it)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    from convviz.core.images import sample_paths
    from convviz.gui.image.region_roi import MIN_PX

    window.open_image(next(p for p in sample_paths() if p.name == "sample-camera.png"))
    im = window.image_mode
    qtbot.waitUntil(lambda: im.last_result is not None, timeout=60_000)
    pane, roi = im.strip.input, im.strip.input.roi
    _drawn(window)
    region = im.model.region
    sw, sh = roi.screen_size()
    assert 0 < sw < MIN_PX  # a speck on screen, as the region really is
    box = roi.mapRectToScene(roi.boundingRect())
    assert box.width() >= MIN_PX - 0.5 and box.height() >= MIN_PX - 0.5
    assert not roi.resizable_here and not any(h.isVisible() for h in roi.getHandles())
    # drag the box's centre 40 screen pixels right and down
    vp = pane.graphics.viewport()
    start = pane.graphics.mapFromScene(roi.mapToScene(QPointF(*(v / 2 for v in roi.size()))))
    end = start + QPoint(40, 40)
    QTest.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    for k in range(1, 9):
        QTest.mouseMove(vp, start + QPoint(5 * k, 5 * k))
    QTest.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, end)
    qtbot.waitUntil(lambda: im.model.region != region)
    moved = im.model.region
    assert (moved.h, moved.w) == (region.h, region.w)  # moved, not resized
    assert moved.oy > region.oy and moved.ox > region.ox
