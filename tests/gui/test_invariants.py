"""The lecture's invariants (convviz.gui.invariants) after every transition of the
shipped deck, offscreen; and each check catching a planted defect."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from convviz.gui import invariants as inv
from tests.gui.settle import settle

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "assets" / "decks" / "why-gpus.toml"
HD = QtCore.QRect(0, 0, 1920, 1080)  # the offscreen platform's screen is 800×800


def press(qtbot, window, key, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QtWidgets.QApplication.focusWidget() or window, key, mods)
    settle()


@pytest.mark.parametrize("presentation", [False, True])
def test_every_transition_of_the_shipped_deck(window, qtbot, presentation):
    window.resize(1600, 1000)
    window.dialogs.show_error = lambda title, message: pytest.fail(message)
    assert window.deck.open(SHIPPED)
    if presentation:
        window.presentation.enter()
        # a 1920×1080 projector: the offscreen platform's full screen is its 800×800
        window.showNormal()
        window.setGeometry(HD.adjusted(2, 2, -2, -2))  # (its frame: 2 px)
    found = []
    last = len(window.deck.deck.scenes) - 1
    steps = 0
    while window.deck.index < last and steps < 1000:
        before = window.deck.index
        press(qtbot, window, Qt.Key.Key_PageDown)
        steps += 1
        if window.deck.index != before or steps % 16 == 0:
            found += inv.check_all(window, screen=HD)
    for key in (Qt.Key.Key_Home,):  # back to the start and through the keys a lecturer uses
        press(qtbot, window, key, Qt.KeyboardModifier.ControlModifier)
        found += inv.check_all(window, screen=HD)
    if presentation:
        window.presentation.leave()
    if window.bench_window is not None:
        window.bench_window.close()
    assert window.deck.index == 0
    assert not found, "\n".join(str(v) for v in found)


def test_back_from_the_race_the_window_keeps_its_size(window, qtbot):
    """Point 1: the race at 512×512 and back, the window 1600×1000 throughout."""
    window.resize(1600, 1000)
    settle()
    size = window.size()
    window.show_race(True)
    window.race.set_side(512)
    settle()
    press(qtbot, window, Qt.Key.Key_C)  # back to the lesson
    assert not window.race.active
    assert window.size() == size
    assert inv.window_on_screen(window, HD) == []


# (P C Esc Esc and F11 P Esc: scripts/rehearse.py, on a real screen; the offscreen
# platform's 800×800 screen drops full screen as soon as the window needs more)
@pytest.mark.parametrize("path", ["P Esc", "P B B Esc", "P P"])
def test_esc_gives_back_the_window_state(window, qtbot, path):
    keys = {"P": Qt.Key.Key_P, "B": Qt.Key.Key_B, "Esc": Qt.Key.Key_Escape}
    names = path.split()
    before = inv.window_state(window)
    for name in names:
        press(qtbot, window, keys[name])
    qtbot.waitUntil(lambda: not window.presentation.active)
    settle()
    assert inv.state_restored(before, inv.window_state(window)) == []


# -- each check catches its defect ----------------------------------------------------


def test_a_label_forced_to_10_px_in_presentation_is_caught(window, qtbot):
    window.presentation.enter()
    try:
        label = window.playback_bar.findChild(QtWidgets.QLabel)
        assert inv.text_sizes(window) == [] or all(
            v.where != inv.describe(label) for v in inv.text_sizes(window)
        )
        f = QtGui.QFont(label.font())
        f.setPixelSize(10)
        label.setFont(f)
        assert any(
            v.check == "text size" and "10 px" in v.detail and v.where == inv.describe(label)
            for v in inv.text_sizes(window)
        )
    finally:
        window.presentation.leave()


@pytest.fixture
def host(qtbot):
    """A window with one empty panel, for checks that plant their own widgets."""
    top = QtWidgets.QWidget()
    qtbot.addWidget(top)
    top.resize(640, 320)
    top.panel = QtWidgets.QWidget(top)
    top.panel.setGeometry(10, 10, 600, 280)
    top.show()
    qtbot.waitExposed(top)
    return top


def _caveat_label(host) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel("No NVIDIA GPU: Not a GPU time.", host.panel)
    label.adjustSize()
    label.move(4, 4)
    label.show()
    return label


def test_a_clipped_or_pushed_off_caveat_is_caught(host, qtbot):
    label = _caveat_label(host)
    settle()
    assert inv.caveats_unclipped(host) == []
    label.move(host.panel.width() - 20, 4)  # pushed past its parent's edge
    assert [v.check for v in inv.caveats_unclipped(host)] == ["caveat clipped"]
    label.move(4, 4)
    label.resize(30, label.height())  # squeezed: its words cut
    assert [v.check for v in inv.caveats_unclipped(host)] == ["caveat clipped"]
    label.hide()  # not meant to show: nothing to say
    assert inv.caveats_unclipped(host) == []


def test_a_squeezed_slider_and_a_cut_label_are_caught(window, qtbot):
    slider = QtWidgets.QSlider(Qt.Orientation.Horizontal, window.lanes)
    slider.setObjectName("planted")
    slider.setGeometry(2, 2, 200, 20)
    slider.show()
    assert not [v for v in inv.squeezed(window) if v.where == inv.describe(slider)]
    slider.setFixedWidth(3)
    assert any(v.where == inv.describe(slider) for v in inv.squeezed(window))
    slider.setFixedWidth(30)  # above its own size hint, and still a dot to a lecture hall
    assert any(v.where == inv.describe(slider) for v in inv.squeezed(window))
    label = QtWidgets.QLabel("a long text that cannot fit in twenty pixels", window.lanes)
    label.setGeometry(2, 2, 20, 20)
    label.show()
    assert any(v.check == "cut without tooltip" for v in inv.elided_without_tip(window))
    label.setToolTip(label.text())
    assert not any(v.where == inv.describe(label) for v in inv.elided_without_tip(window))


def test_stale_running_text_is_caught(window, qtbot):
    assert inv.stale_busy(window, inv.app_busy(window)) == []
    label = QtWidgets.QLabel("running…", window.lanes)
    label.show()
    assert [v.check for v in inv.stale_busy(window, False)] == ["stale busy text"]
    assert inv.stale_busy(window, True) == []


def test_a_window_past_the_screen_and_a_lost_state_are_caught(window):
    window.resize(1600, 1102)
    assert inv.window_on_screen(window, QtCore.QRect(0, 0, 1600, 1050))
    assert inv.state_restored((False, False, (0, 0, 10, 10)), (True, False, None))


def test_a_caveat_cut_inside_a_rich_text_label_is_caught(host, qtbot):
    """The label lies whole in its parent, but its wrapped rich text is taller than it:
    the last lines, the caveat among them, are not drawn."""
    window = host
    label = QtWidgets.QLabel(host.panel)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(
        "<b>Parallel</b><br>705 ms median of 3 runs<br>"
        "<b style='color:#c92a2a'>No NVIDIA GPU: the CUDA kernel ran on Numba's "
        "simulator on the CPU. Not a GPU time.</b>"
    )
    label.setGeometry(4, 4, 260, 200)
    label.show()
    settle()
    assert inv.caveats_unclipped(window) == []
    label.setFixedHeight(label.fontMetrics().lineSpacing() * 2)  # room for two lines
    assert [v.check for v in inv.caveats_unclipped(window)] == ["caveat clipped"]
    label.deleteLater()


def test_a_window_it_opened_is_checked_too(window, qtbot):
    """The benchmark window, opened by a scene: off the screen, or with a squeezed
    control, is a violation of the lecture like the main window's."""
    bench = window.open_benchmark()
    settle()
    screen = bench.frameGeometry().united(window.frameGeometry())
    assert [v for v in inv.check_all(window, screen=screen) if bench.windowTitle() in v.where] == []
    bench.move(screen.right() - 50, bench.y())  # hangs off the right edge
    settle()
    assert any(
        v.check == "window on screen" and v.where == bench.windowTitle()
        for v in inv.check_all(window, screen=screen)
    )
    bench.run_button.setFixedWidth(10)
    assert any(v.where == inv.describe(bench.run_button) for v in inv.check_all(window))
    bench.close()


def test_the_benchmark_fits_a_1366_projector_in_presentation(window, qtbot):
    """Presentation mode's type: the benchmark's rows wrap instead of widening the window
    past a 1366×768 screen, and nothing in it is squeezed."""
    window.presentation.enter()
    try:
        bench = window.open_benchmark()
        bench.showNormal()  # (the offscreen platform's screen is 800×800)
        bench.resize(1336, 700)
        settle()
        assert bench.minimumSizeHint().width() <= 1336
        assert bench.width() == 1336
        assert inv.squeezed(bench) == []
        assert bench.controls.row2.wrapped  # the exports moved under the rest
        bench.close()
    finally:
        window.presentation.leave()


def test_a_plot_text_under_28_px_in_presentation_is_caught(window, qtbot):
    """The benchmark's plots in the lecture hall's type: ticks, labels, titles, legends
    and notes at 28 px or more (they are drawn, not widgets); a tick font or a title
    planted at 10 px is caught; leaving presentation mode gives the figure its own type."""
    from convviz.gui import theme
    from convviz.gui.bench.plot import AXIS_PX

    window.presentation.enter()
    try:
        bench = window.open_benchmark()
        bench.showNormal()
        bench.resize(1336, 700)  # a 1366×768 projector
        settle()
        assert inv.drawn_text_sizes(bench) == []
        # the times plot, the scene's point, fills the window's view of the figure, its
        # long left label on two lines along it; the rest scrolls under it
        from convviz.gui.bench.panels import TIMES_MIN_PX

        bench.resize(1336, 1000)
        settle()
        shown = bench.figure.parentWidget().height()  # the scroll area's view
        assert shown - 8 <= bench.plot.height() <= shown
        bench.resize(1336, 700)  # less than its least height: it keeps that, and scrolls
        settle()
        assert bench.plot.height() == TIMES_MIN_PX > bench.figure.parentWidget().height()
        assert "<br>(log scale)" in bench.plot.pi.getAxis("left").labelText
        assert all(f.px > AXIS_PX for f in (bench.plot, bench.phases_plot, bench.tiled_plot))
        bench.plot.pi.getAxis("left").setTickFont(theme.font(10))
        bench.phases_plot.pi.setTitle("<span style='font-size:10px'>Where the time goes</span>")
        found = inv.drawn_text_sizes(bench)
        assert sorted(v.detail for v in found) == [
            "'Where the time goes' drawn at 10 px < 28 px",
            "'left axis ticks' drawn at 10 px < 28 px",
        ]
        assert all(v.check == "text size" for v in found)
        assert {v.where for v in inv.check_all(window) if v.check == "text size"} >= {
            v.where for v in found
        }
    finally:
        window.presentation.leave()
    settle()
    assert bench.plot.px == AXIS_PX and bench.plot.legend.columnCount == 2
    assert bench.plot.minimumHeight() == 0 and "<br>" not in bench.plot.pi.getAxis("left").labelText
    assert bench.plot.pi.getAxis("left").width() == 72  # the axes in line again
    bench.close()


def test_the_colour_bar_takes_the_lecture_type_and_gives_it_back(window):
    bar = window.image_mode.strip.colorbar
    axis, width = bar.bar.axis, bar.bar.axis.fixedWidth
    bar.set_presentation(True)
    assert QtGui.QFontInfo(axis.style["tickFont"]).pixelSize() >= inv.MIN_PRESENTATION_PX
    assert axis.fixedWidth > width  # room for "-400" at that size
    bar.set_presentation(False)
    assert QtGui.QFontInfo(axis.style["tickFont"]).pixelSize() == 12
    assert axis.fixedWidth == width and bar.width() == 92


def test_a_text_laid_over_a_caveat_is_caught(host, qtbot):
    label = _caveat_label(host)
    settle()
    assert inv.caveats_unclipped(host) == []
    other = QtWidgets.QLabel("1 tick = one cell on one core", host.panel)
    other.move(label.x() + 10, label.y() + 2)  # a row that ran out of room: on top
    other.show()
    found = inv.caveats_unclipped(host)
    assert [v.check for v in found] == ["caveat clipped"] and "lies over it" in found[0].detail
    other.move(label.x(), label.y() + label.height() + 4)  # below it: nothing to say
    assert inv.caveats_unclipped(host) == []


@pytest.mark.parametrize("side", [None, 512])
def test_the_race_in_chinese_presentation_fits_a_1366_screen(window, qtbot, side):
    """The lecture hall's type, Chinese, a 1366×768 projector, the lesson's 8×8 and
    512×512 once measured: the race's rows share the height so that the GPU lane's
    caveats show whole and the notes lie under them (the measured lines brief, their
    whole on hover)."""
    from convviz.gui import i18n

    i18n.install("zh_CN")
    window.lecture.set_language("zh_CN")
    window.presentation.enter()
    try:
        window.showNormal()  # (the offscreen platform's full screen is 800×800)
        window.setGeometry(0, 0, 1366, 768)
        window.show_race(True)
        window.race.set_side(side)  # None: the lesson's 8×8
        settle()
        qtbot.waitUntil(lambda: window.race.race is not None)
        qtbot.waitUntil(lambda: not window.race.measuring, timeout=120_000)
        settle()
        assert inv.caveats_unclipped(window) == []
        facts = window.race.lanes["cores"].facts
        assert "实测：" in facts.text() and "cpu-parallel" in facts.toolTip() + facts.text()
        gpu, notes = window.race.lanes["gpu"], window.race.notes
        assert gpu.geometry().bottom() < notes.geometry().top()
    finally:
        window.presentation.leave()
        window.show_race(False)
        window.lecture.set_language("en")
        i18n.install("en")
