"""What a narrow window or presentation mode's larger type must not break: rows that move
their last part under the rest instead of squeezing it, notes whole on hover, progress
text inside its bar, no "running…" once nothing runs, the race's Pause button."""

from __future__ import annotations

import html

import numpy as np
from PySide6 import QtGui, QtWidgets

from convviz.gui import invariants as inv
from convviz.gui.lesson.lane import PARALLEL
from convviz.gui.widgets.wrap_row import WrapRow, fit_progress
from tests.gui.settle import settle


def _big_type(widget: QtWidgets.QWidget, px: int = 28) -> None:
    for w in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        f = QtGui.QFont(w.font())
        f.setPixelSize(px)
        w.setFont(f)


def test_a_wrap_row_moves_its_tail_under_the_rest_rather_than_squeeze_it(qtbot):
    box = QtWidgets.QWidget()  # the row in a window, as the window lays it out
    qtbot.addWidget(box)
    row = WrapRow()
    QtWidgets.QVBoxLayout(box).addWidget(row)
    for text in ("one button", "another button", "a third button"):
        row.row.addWidget(QtWidgets.QPushButton(text))
    slider = QtWidgets.QSlider()
    slider.setOrientation(QtGui.Qt.Orientation.Horizontal)
    slider.setMinimumWidth(160)
    row.set_tail(slider, 1)
    box.resize(2000, 80)
    box.show()
    settle()
    assert not row.wrapped and inv.squeezed(row) == []
    _big_type(row)
    box.resize(row.need() - 50, 120)
    settle()
    assert row.wrapped
    assert inv.squeezed(row) == []  # the slider has the second row's whole width
    assert slider.width() >= 160
    box.resize(row.need() + 80, 120)
    settle()
    assert not row.wrapped


def test_the_playback_bar_in_presentation_on_a_1366_screen(window, qtbot):
    """1366×768 in presentation mode: the step buttons and both sliders keep their size
    (the scrub slider on a row of its own); the position, if cut, is whole on hover."""
    window.presentation.enter()
    window.showNormal()  # (the offscreen platform's full screen is 800×800)
    window.setGeometry(2, 2, 1362, 764)
    settle()
    bar = window.playback_bar
    assert inv.squeezed(bar) == [], inv.squeezed(bar)
    assert bar.scrub.width() >= bar.scrub.minimumWidth()
    assert bar.position.toolTip() == bar.position.text()
    # never cut mid-character at its edge: what it draws fits, ending in "…" if short
    bar.position.setText("start / 262144 cells, channel 12 of 16 and a long tail")
    settle()
    shown = bar.position.shown_text()
    assert shown.endswith("…") and shown != bar.position.text()
    assert bar.position.fontMetrics().horizontalAdvance(shown) <= bar.position.width()
    window.presentation.leave()


def test_a_progress_bar_is_as_wide_as_its_text(qtbot):
    bar = QtWidgets.QProgressBar()
    qtbot.addWidget(bar)
    _big_type(bar)
    fit_progress(bar, "cpu-parallel: %v / %m cells", 262144, 200)
    text = "cpu-parallel: 262144 / 262144 cells"
    assert bar.width() > bar.fontMetrics().horizontalAdvance(text)


def test_no_running_note_once_the_run_is_over(window, qtbot):
    """Issue point 2: "running…" stayed beside the check box after the run."""
    lanes = window.lanes
    lanes.set_busy(True)
    assert any(b in lanes.note.text() for b in inv.BUSY_WORDS)
    assert not lanes.with_tiled.isVisible()  # the progress bar stands in its place
    lanes.set_busy(False)
    settle()
    assert inv.stale_busy(window, busy=False) == []
    assert lanes.with_tiled.isVisible()


def test_the_image_strip_says_nothing_runs_once_it_is_over(window, qtbot):
    strip = window.image_mode.strip
    strip.set_busy(True)
    assert strip.note.text() and strip.note.toolTip() == strip.note.text()
    strip.set_busy(False)
    assert strip.note.text() == ""


def test_the_race_pause_button_fits_pause_and_uses_a_glyph_fonts_have(window, qtbot):
    """Issue point 6: ⏸ showed as an empty box, in a button sized for "▶ Play"."""
    race = window.race
    window.presentation.enter()
    window.showNormal()  # (the offscreen platform's full screen is 800×800)
    window.setGeometry(2, 2, 1362, 764)
    window.show_race(True)
    settle()
    assert "⏸" not in race.tr_play(True)
    race.play_button.setText(race.tr_play(True))
    settle()
    assert inv.squeezed(race) == [], inv.squeezed(race)
    font = QtGui.QFontMetrics(race.play_button.font())
    assert all(font.inFontUcs4(ord(ch)) for ch in race.tr_play(True) if not ch.isspace())
    window.show_race(False)
    window.presentation.leave()
    settle()


def test_the_race_picture_grows_with_its_row_in_presentation(window, qtbot):
    """Issue point 4: the race's output pictures stayed at ~190 px with room around."""
    window.presentation.enter()
    window.showNormal()  # (the offscreen platform's full screen is 800×800)
    window.setGeometry(2, 2, 1916, 1076)
    window.show_race(True)
    settle()
    for row in window.race.lanes.values():
        m = row.layout().contentsMargins()
        assert row.view.width() >= min(row.height() - m.top() - m.bottom(), row.width() // 3)
        assert row.view.width() > 200
    window.show_race(False)
    window.presentation.leave()
    settle()
    assert all(row.view.width() == 180 for row in window.race.lanes.values())


def _simulated_lane():
    from convviz.core.timing import Stats, TimingRecord
    from convviz.engine import LaneResult

    stats = Stats(2e-3, 1.8e-3, 2.5e-3, 5, 0.05)
    rec = TimingRecord("cuda-naive", "Numba CUDA simulator", True, 5, 1, 0.25, stats, cells=4)
    out = np.zeros((1, 2, 2), np.float32)
    return LaneResult(
        "cuda-naive", device=rec.device, simulated=True, kind="cuda", out=out, record=rec
    )


def test_image_panes_show_the_time_and_the_strip_the_caveats(window, qtbot):
    """Issue point 4: the facts under each picture left it a ~175 px thumbnail, and
    the simulator's caveat was cut at 1366×768. Now the time stands under the picture
    (all the facts on hover) and the caveat under all the pictures, the row's width."""
    from convviz.gui.image import views
    from convviz.gui.widgets import lane_text as lane_words

    lane = _simulated_lane()
    warnings = [html.escape(ln.text) for ln in lane_words.lines(lane) if ln.kind == "warning"]
    assert warnings  # (the simulator's "Not a GPU time")
    brief = views.lane_facts(lane, 4, brief=True)
    full = views.lane_facts(lane, 4)
    assert all(w not in brief for w in warnings) and all(w in full for w in warnings)
    assert html.escape(lane_words.lines(lane)[0].lead) in brief
    caveats = views.lane_caveats(lane, lane)
    assert caveats.count(warnings[0]) == 1  # each caveat once, for both lanes

    strip = window.image_mode.strip
    strip._results = ({PARALLEL: lane}, 4, 0.0)
    strip._write_facts()
    assert not strip.caveats.isHidden() and warnings[0] in strip.caveats.text()
    assert warnings[0] in strip.parallel.facts.toolTip()
    assert warnings[0] not in strip.parallel.facts.text()


def test_compiling_beside_the_check_box_fits_a_1366_window(window, qtbot):
    """At 1366×768 the kernels' compile spinner and the tiled check box share the row
    (after image mode had widened the side panel): neither is squeezed."""
    window.resize(1326, 702)
    settle()
    lanes = window.lanes
    lanes.head.setFixedWidth(960)  # what the lesson's column keeps beside a wide panel
    lanes.set_compiling("compiling the CPU kernels for 3×3…")
    settle()
    assert lanes.with_tiled.isVisible() and lanes.progress.isVisible()
    assert [v for v in inv.squeezed(window) if v.owner == "convviz.gui.lesson.lanes"] == []
    lanes.set_busy(True)  # a run starts: its counts widen the bar again
    lanes.set_progress("cpu", 0, 262144)
    assert lanes.progress.width() > lanes.progress.fontMetrics().horizontalAdvance(
        "cpu: 262144 / 262144 cells"
    )
    lanes.set_compiling("compiling the CPU kernels for 5×5…")  # announced mid-run
    lanes.set_busy(False)  # the run ends, the compile goes on: the spinner, not the counts
    settle()
    assert lanes.with_tiled.isVisible() and lanes.progress.isVisible()
    assert lanes.progress.format() == ""
    assert [v for v in inv.squeezed(window) if v.owner == "convviz.gui.lesson.lanes"] == []
    lanes.set_compiling("")
    assert not lanes.progress.isVisible()


def test_the_position_shows_whole_where_the_row_has_room(window, qtbot):
    """Presentation mode on a 1600×1000 window: the scrub slider gives way, the position
    ("cell 28 / 64") reads whole, never "cell 28 /…"."""
    window.presentation.enter()
    try:
        window.showNormal()  # (the offscreen platform's full screen is 800×800)
        window.setGeometry(0, 0, 1600, 1000)
        window.model.seek(27)
        settle()
        position = window.playback_bar.position
        assert position.text() == "cell 28 / 64"
        assert position.shown_text() == position.text()
    finally:
        window.presentation.leave()


def test_where_the_digits_are_hidden_hovering_a_cell_tells_its_value(qtbot):
    """A 32×32 grid in a small view has no room for digits (the colours alone): the
    hovered cell's value shows as a tool tip; with room for digits, none is needed."""
    import numpy as np
    from PySide6 import QtCore

    from convviz.core.stepper import fmt_number
    from convviz.gui.widgets.grid_view import GridView

    grid = GridView("input")
    qtbot.addWidget(grid)
    values = np.arange(32 * 32, dtype=np.float32).reshape(32, 32) / 7
    grid.set_data(values, levels=(0.0, float(values.max())), lut="input")
    grid.resize(220, 240)
    grid.show()
    qtbot.waitExposed(grid)
    grid.grab()  # painted: the digits decided their size
    assert grid.digits_hidden()
    grid._on_mouse_moved(grid.vb.mapViewToScene(QtCore.QPointF(4.5, 3.5)))
    assert QtWidgets.QToolTip.text() == fmt_number(float(values[3, 4]))
    small = GridView("kernel")
    qtbot.addWidget(small)
    small.set_data(values[:3, :3], levels=(0.0, 1.0), lut="input")
    small.resize(400, 400)
    small.show()
    qtbot.waitExposed(small)
    small.grab()
    assert not small.digits_hidden()  # its digits are drawn: no tool tip
    grid._on_mouse_moved(grid.vb.mapViewToScene(QtCore.QPointF(-5, -5)))  # off the grid
    qtbot.waitUntil(lambda: not QtWidgets.QToolTip.isVisible())
