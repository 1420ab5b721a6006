"""The lecture keys, handled by an event filter on the QApplication.

Space play/pause, → / PageDown next cell, ← / PageUp previous cell, Home / End,
+ / − speed, F11 full screen, P (or F5, as clickers send it) presentation mode,
B or . blank the screen, Esc (leave presentation mode or full screen, give the
keyboard back to the lesson), R run in parallel. A presentation clicker sends
PageDown/PageUp: those always step, even while a text box has the focus.
While the screen is blank, any key only uncovers it (a clicker's PageDown
uncovers the lesson without stepping). While someone is typing
in a text or number box, the other keys belong to that box; when the edit ends
(Enter, Esc) the window gives the keyboard back to the lesson.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt

_TEXT_ENTRY = (
    QtWidgets.QLineEdit,
    QtWidgets.QAbstractSpinBox,
    QtWidgets.QTextEdit,
    QtWidgets.QPlainTextEdit,
)
#: keys that act even while a text box has the focus (clickers, full screen, escape)
_ALWAYS = {Qt.Key_PageDown, Qt.Key_PageUp, Qt.Key_F11, Qt.Key_Escape, Qt.Key_F5}
#: keys that are only modifiers: pressing Shift alone does not uncover a blank screen
_MODIFIER_KEYS = {Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta, Qt.Key_AltGr}


def _is_text_entry(w) -> bool:
    return isinstance(w, _TEXT_ENTRY) or (isinstance(w, QtWidgets.QComboBox) and w.isEditable())


class LessonKeys(QObject):
    """Install on the QApplication; acts only for key presses inside ``window``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.actions = {
            Qt.Key_Space: window.key_play_pause,
            Qt.Key_Right: lambda: window.key_step(1),
            Qt.Key_PageDown: lambda: window.key_step(1),
            Qt.Key_Left: lambda: window.key_step(-1),
            Qt.Key_PageUp: lambda: window.key_step(-1),
            Qt.Key_Home: window.key_home,
            Qt.Key_End: window.key_end,
            Qt.Key_Plus: window.playback.faster,
            Qt.Key_Equal: window.playback.faster,
            Qt.Key_Minus: window.playback.slower,
            Qt.Key_Underscore: window.playback.slower,
            Qt.Key_F11: window.key_full_screen,
            Qt.Key_Escape: window.key_escape,
            Qt.Key_R: window.run_parallel,
            Qt.Key_P: window.key_presentation,
            Qt.Key_F5: window.key_presentation,
            Qt.Key_B: window.key_blank,
            Qt.Key_Period: window.key_blank,
        }

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.KeyPress or not isinstance(obj, QtWidgets.QWidget):
            return False
        if obj.window() is not self.window:
            return False  # a dialog, another window
        key = event.key()
        presentation = getattr(self.window, "presentation", None)
        if presentation is not None and presentation.blanked and key not in _MODIFIER_KEYS:
            if not event.isAutoRepeat():
                presentation.unblank()
            return True  # the key that uncovers the screen does nothing else
        action = self.actions.get(key)
        if action is None:
            return False
        mods = event.modifiers() & ~(Qt.KeypadModifier | Qt.ShiftModifier)
        if mods:
            return False  # Ctrl+…, Alt+… belong to someone else
        focus = QtWidgets.QApplication.focusWidget()
        if (_is_text_entry(obj) or _is_text_entry(focus)) and key not in _ALWAYS:
            return False
        if event.isAutoRepeat() and key in (
            Qt.Key_Space,
            Qt.Key_F11,
            Qt.Key_R,
            Qt.Key_P,
            Qt.Key_F5,
            Qt.Key_B,
            Qt.Key_Period,
        ):
            return True
        action()
        return True
