"""Presentation mode, the blank screen, clicker keys and the themes."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

from convviz.gui import appearance, theme
from convviz.gui.lesson import lanes as lanes_module


def press(qtbot, key, text: str = ""):
    target = QtWidgets.QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


def test_p_enters_presentation_mode_and_escape_leaves(window, qtbot):
    status_font = window.device_label.font().pixelSize()
    press(qtbot, Qt.Key_P)
    pres = window.presentation
    assert pres.active
    qtbot.waitUntil(window.isFullScreen)
    assert not window.side.isVisible()
    assert not window.statusBar().isVisible() and not window.menuBar().isVisible()
    assert window.appearance.high_contrast and theme.palette().high_contrast
    # high contrast: the window's text is black on white (or white on black)
    pal = QtWidgets.QApplication.palette()
    assert {
        pal.color(QtGui.QPalette.Window).name(),
        pal.color(QtGui.QPalette.WindowText).name(),
    } == {"#000000", "#ffffff"}
    # larger type: the fonts the window set itself grew by half, and to 28 px at least
    assert window.device_label.font().pixelSize() == max(28, round(status_font * 1.5))
    assert window.view_menu.presentation_action.isChecked()
    # the clicker still steps the lesson
    press(qtbot, Qt.Key_PageDown)
    press(qtbot, Qt.Key_PageDown)
    assert window.model.pos == 1

    press(qtbot, Qt.Key_Escape)
    assert not pres.active
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.side.isVisible() and window.statusBar().isVisible()
    assert window.menuBar().isVisible()
    assert not window.appearance.high_contrast and not theme.palette().high_contrast
    assert window.device_label.font().pixelSize() == status_font
    assert not window.view_menu.presentation_action.isChecked()


def test_f5_and_the_menu_toggle_presentation_mode(window, qtbot):
    press(qtbot, Qt.Key_F5)
    assert window.presentation.active
    press(qtbot, Qt.Key_F5)
    assert not window.presentation.active
    window.view_menu.presentation_action.trigger()
    assert window.presentation.active
    press(qtbot, Qt.Key_P)
    assert not window.presentation.active


def test_b_and_period_blank_the_screen_and_any_key_uncovers_it(window, qtbot):
    pres = window.presentation
    press(qtbot, Qt.Key_Right)
    press(qtbot, Qt.Key_B)
    assert pres.blanked and pres.overlay.geometry() == window.rect()
    # a clicker's PageDown uncovers the lesson without stepping
    press(qtbot, Qt.Key_PageDown)
    assert not pres.blanked and window.model.pos == 0
    press(qtbot, Qt.Key_Period)
    assert pres.blanked
    press(qtbot, Qt.Key_Period)
    assert not pres.blanked and window.model.pos == 0
    # a click on the black cover takes it away
    press(qtbot, Qt.Key_B)
    qtbot.mouseClick(pres.overlay, Qt.LeftButton)
    assert not pres.blanked
    # blanking pauses the animation
    press(qtbot, Qt.Key_Space)
    assert window.playback.playing
    press(qtbot, Qt.Key_B)
    assert not window.playback.playing
    press(qtbot, Qt.Key_Space)  # uncovers only: does not start playing again
    assert not pres.blanked and not window.playback.playing


def test_escape_in_presentation_mode_also_uncovers(window, qtbot):
    press(qtbot, Qt.Key_P)
    press(qtbot, Qt.Key_B)
    press(qtbot, Qt.Key_Escape)  # the first key only uncovers
    assert window.presentation.active and not window.presentation.blanked
    press(qtbot, Qt.Key_Escape)
    assert not window.presentation.active


def test_b_typed_in_a_text_box_is_text(window, qtbot):
    box = window.controls.kernel_text
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.clear()
    qtbot.keyClicks(box, "b.p")
    assert box.text() == "b.p"
    assert not window.presentation.blanked and not window.presentation.active


def test_themes_follow_the_choice_and_are_remembered(window, qtbot):
    app = QtWidgets.QApplication.instance()
    light_window = app.palette().color(QtGui.QPalette.Window)
    window.lecture.set_theme("dark")
    assert window.appearance.dark and theme.palette().dark
    assert app.palette().color(QtGui.QPalette.Window).lightness() < 60
    assert window.view_menu.theme_actions["dark"].isChecked()
    assert appearance.saved_choice() == "dark"
    window.view_menu.theme_actions["light"].trigger()
    assert not window.appearance.dark and not theme.palette().dark
    assert app.palette().color(QtGui.QPalette.Window).lightness() > 200
    window.lecture.set_theme("system")
    assert appearance.saved_choice() == "system"
    assert window.appearance.dark == appearance.system_is_dark()
    if not appearance.system_is_dark():
        assert app.palette().color(QtGui.QPalette.Window) == light_window


def test_a_new_window_opens_in_the_remembered_theme(qtbot):
    from convviz.gui.app import create_window

    appearance.save_choice("dark")
    win = create_window()
    qtbot.addWidget(win)
    try:
        assert win.appearance.dark
        assert win.view_menu.theme_actions["dark"].isChecked()
        assert QtWidgets.QApplication.palette().color(QtGui.QPalette.Window).lightness() < 60
    finally:
        win.close()
    # closing puts the app's palette back for whoever comes next
    assert not theme.palette().dark
    assert QtWidgets.QApplication.palette().color(QtGui.QPalette.Window).lightness() > 150


def test_presentation_mode_hides_the_empty_lanes_until_a_result(window, qtbot):
    lanes = window.lanes
    full = lanes.height()
    assert lanes.results_row.isVisibleTo(window)  # outside presentation: always shown
    window.presentation.enter()
    qtbot.waitUntil(window.isFullScreen)
    # two empty lanes would take a third of the screen: only the Run button stays
    assert not lanes.results_row.isVisibleTo(window)
    assert lanes.run_button.isVisibleTo(window) and lanes.height() < full / 2
    with qtbot.waitSignal(window.runner.sigResult, timeout=60_000):
        window.run_parallel()
    # a compact strip of facts: the lesson keeps most of the screen
    assert lanes.results_row.isVisibleTo(window) and lanes.height() < full
    window.model.set_kernel_text("1 2 1; 0 0 0; -1 -2 -1")  # the result is gone again
    assert not lanes.results_row.isVisibleTo(window)
    window.presentation.leave()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    # back in the normal view; on this test screen (800 px high) the window comes back
    # shorter than it was, and a short window keeps empty lanes hidden too
    assert not lanes.presentation
    if window.height() >= lanes_module.SHORT_WINDOW:
        assert lanes.results_row.isVisibleTo(window) and lanes.height() == full
    else:
        assert lanes.short and not lanes.results_row.isVisibleTo(window)
