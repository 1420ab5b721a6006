"""Small things a class must be able to read: the region's outline on a result, and long
numbers in the highlighted output cell."""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui
from PySide6.QtCore import Qt

from convviz.core.region import Region
from convviz.gui import theme
from convviz.gui.image.views import MIN_OUTLINE_PX
from convviz.gui.widgets.grid_view import OUTLINE_SHARE, fit_font
from tests.gui.images_helpers import grey, wait_result, write_png


def test_a_small_region_is_a_clear_square_on_the_results(window, qtbot, tmp_path):
    # 10×10 of a 512² image is about 3 screen pixels: its dashed outline read as an "n"
    window.open_image(write_png(tmp_path / "big.png", grey(512, 512)))
    wait_result(window, qtbot)
    strip = window.image_mode.strip
    window.image_mode.model.set_region(Region(215, 292, 10, 10))
    for pane in (strip.sequential, strip.parallel, strip.diff):
        rect = pane.outline_on_screen()
        assert rect.width() >= MIN_OUTLINE_PX - 0.5 and rect.height() >= MIN_OUTLINE_PX - 0.5
        assert pane.outline.pen().style() == Qt.SolidLine
        # still centred on the region
        centre = pane.vb.mapViewToScene(pane.outline_rect.center())
        assert abs(rect.center().x() - centre.x()) < 1 and abs(rect.center().y() - centre.y()) < 1
    # zoomed in, the region is drawn as it is (dashed)
    diff = strip.diff
    diff.vb.setRange(diff.outline_rect.adjusted(-5, -5, 5, 5), padding=0)
    qtbot.waitUntil(lambda: diff.outline.rect() == diff.outline_rect)  # on the next paint
    assert diff.outline.pen().style() == Qt.DashLine


def test_a_long_number_gets_a_smaller_font_that_fits(qtbot):
    font = theme.font(14, bold=True)
    cell = 35.0  # the output cell of the 10×10 region lesson at 1600×1000
    room = (1 - 2 * OUTLINE_SHARE) * cell - 2
    fitted = fit_font(font, "-371", room)
    assert fitted.pixelSize() < 14
    assert QtGui.QFontMetricsF(fitted).horizontalAdvance("-371") <= room
    assert fit_font(font, "7", room) is font  # short numbers keep the grid's size


def test_the_highlighted_output_cell_shows_its_whole_number(window, qtbot, monkeypatch):
    from convviz.gui.widgets import grid_layers

    drawn: list[tuple[str, float, int]] = []
    real = grid_layers.fit_font

    def spy(font, text, width):
        f = real(font, text, width)
        drawn.append((text, width, QtGui.QFontMetricsF(f).horizontalAdvance(text)))
        return f

    monkeypatch.setattr(grid_layers, "fit_font", spy)
    window.model.set_kernel_text("-9 -9 -9; -9 -9 -9; -9 -9 -9")  # four-character outputs
    window.model.seek(10)
    window.lesson_view.output_view.grab()  # paint
    long = [(t, width, wide) for t, width, wide in drawn if len(t) >= 4]
    assert long and all(wide <= width for _, width, wide in long)
    assert np.isfinite(window.model.stepper.output()[0]).sum() == 11
