"""The lecture keys, handled by an event filter on the QApplication.

Space play/pause, → / PageDown next cell, ← / PageUp previous cell, Home / End,
+ / − speed, F11 full screen, Esc (leave full screen, give the keyboard back to
the lesson), R run in parallel. A presentation clicker sends PageDown/PageUp:
those always step, even while a text box has the focus. While someone is typing
in a text or number box, the other keys belong to that box; when the edit ends
(Enter, Esc) the window gives the keyboard back to the lesson.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt

_TEXT_ENTRY = (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QTextEdit,
               QtWidgets.QPlainTextEdit)
#: keys that act even while a text box has the focus (clickers, full screen, escape)
_ALWAYS = {Qt.Key_PageDown, Qt.Key_PageUp, Qt.Key_F11, Qt.Key_Escape}


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
        }

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.KeyPress or not isinstance(obj, QtWidgets.QWidget):
            return False
        if obj.window() is not self.window:
            return False  # a dialog, another window
        key = event.key()
        action = self.actions.get(key)
        if action is None:
            return False
        mods = event.modifiers() & ~(Qt.KeypadModifier | Qt.ShiftModifier)
        if mods:
            return False  # Ctrl+…, Alt+… belong to someone else
        focus = QtWidgets.QApplication.focusWidget()
        if (_is_text_entry(obj) or _is_text_entry(focus)) and key not in _ALWAYS:
            return False
        if event.isAutoRepeat() and key in (Qt.Key_Space, Qt.Key_F11, Qt.Key_R):
            return True
        action()
        return True
