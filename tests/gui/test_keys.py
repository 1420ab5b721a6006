"""The lecture keys, also after a spin box or the kernel box had the focus."""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt


def press(qtbot, key, widget=None):
    """Send a key where a real key press goes: the widget with the focus."""
    target = widget or QtWidgets.QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key)


def test_step_keys(window, qtbot):
    m = window.model
    for key in (Qt.Key_Right, Qt.Key_PageDown, Qt.Key_Right):
        press(qtbot, key)
    assert m.pos == 2
    press(qtbot, Qt.Key_Left)
    press(qtbot, Qt.Key_PageUp)
    assert m.pos == 0
    press(qtbot, Qt.Key_End)
    assert m.stepper.at_end
    press(qtbot, Qt.Key_Home)
    assert m.pos == -1


def test_space_plays_and_pauses(window, qtbot):
    with qtbot.waitSignal(window.playback.sigPlayingChanged):
        press(qtbot, Qt.Key_Space)
    assert window.playback.playing and window.model.pos == 0
    press(qtbot, Qt.Key_Space)
    assert not window.playback.playing


def test_plus_minus_change_speed(window, qtbot):
    s0 = window.playback.speed
    press(qtbot, Qt.Key_Plus)
    assert window.playback.speed > s0
    press(qtbot, Qt.Key_Minus)
    press(qtbot, Qt.Key_Minus)
    assert window.playback.speed < s0
    assert window.playback_bar.speed_label.text()


def test_f11_full_screen_and_escape(window, qtbot):
    press(qtbot, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    press(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_keys_work_after_a_spin_box_had_focus(window, qtbot):
    spin = window.controls.stride
    qtbot.mouseClick(spin.lineEdit(), Qt.LeftButton)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    # a clicker's PageDown steps even while the spin box has the focus
    press(qtbot, Qt.Key_PageDown)
    assert window.model.pos == 0
    # typing into the box: its keys are its own …
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "2")
    # … until Enter ends the edit and gives the keyboard back to the lesson
    press(qtbot, Qt.Key_Return)
    assert window.model.lesson.stride == (2, 2) and window.model.pos == -1
    qtbot.waitUntil(lambda: not spin.hasFocus())
    press(qtbot, Qt.Key_Right)
    press(qtbot, Qt.Key_Right)
    press(qtbot, Qt.Key_Space)
    assert window.playback.playing
    press(qtbot, Qt.Key_Space)
    assert window.model.pos >= 2


def test_keys_work_after_editing_the_kernel(window, qtbot):
    box = window.controls.kernel_text
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(box, "1 2; 3 4")  # Space and digits go into the text
    assert box.text() == "1 2; 3 4" and window.model.pos == -1
    press(qtbot, Qt.Key_Return)
    assert window.model.prep.spec.kh == 2
    qtbot.waitUntil(lambda: not box.hasFocus())
    press(qtbot, Qt.Key_Right)
    assert window.model.pos == 0


def test_escape_leaves_a_spin_box(window, qtbot):
    spin = window.controls.dilation
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    press(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not spin.hasFocus())
    press(qtbot, Qt.Key_Right)
    assert window.model.pos == 0
