"""The race's keys, so that a clicker drives it as it drives the lesson.

In the lesson, C opens the race, and so does PageDown (or →) on the last cell: the race
is the lesson's next step. In the race: Space plays or pauses, Home or R runs it again,
PageDown (→) goes to the next bigger input and PageUp (←) to the smaller one (from the
lesson's own input, back to the lesson), Esc or C goes back to the lesson.

An event filter on the QApplication, installed after the window's
:class:`~convviz.gui.keys.LessonKeys` so that it sees these keys first; it lets them
through while ``blocked()`` (the screen is blanked) or someone types in a text box.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt

from convviz.core import race as rc
from convviz.gui.widgets.text_entry import is_text_entry

_FORWARD = (Qt.Key.Key_PageDown, Qt.Key.Key_Right)
_BACK = (Qt.Key.Key_PageUp, Qt.Key.Key_Left)


class RaceKeys(QObject):
    """``view``: the :class:`~convviz.gui.race.view.RaceView`; ``model``: the lesson;
    ``can_open()``: whether the race may open now (the lesson is shown); ``blocked()``:
    whether keys belong to someone else now (the blank screen)."""

    def __init__(
        self,
        view,
        model,
        can_open: Callable[[], bool],
        blocked: Callable[[], bool] = lambda: False,
    ):
        super().__init__(view)
        self.view, self.model = view, model
        self.can_open, self.blocked = can_open, blocked

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QtWidgets.QWidget):
            return False
        if obj.window() is not self.view.window() or self.blocked():
            return False
        if event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        ):
            return False
        focus = QtWidgets.QApplication.focusWidget()
        key = event.key()
        if (is_text_entry(obj) or is_text_entry(focus)) and key not in (*_FORWARD, *_BACK):
            return False
        if self.view.active:
            return self._in_race(key, event.isAutoRepeat())
        opens = key == Qt.Key.Key_C or (key in _FORWARD and self.model.at_end)
        if opens and self.can_open():
            if not event.isAutoRepeat():
                self.view.sigRequested.emit()
            return True
        return False

    def _in_race(self, key: int, repeat: bool) -> bool:
        v = self.view
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_C):
            if not repeat:
                v.sigClosed.emit()
        elif key == Qt.Key.Key_Space:
            if not repeat:
                v.clock.toggle()
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_R):  # (R: run it again, not the lesson's run)
            v.clock.restart()
        elif key in _FORWARD:
            sides = (None, *rc.SIDES)
            i = sides.index(v.side)
            if i + 1 < len(sides):
                v.set_side(sides[i + 1])
        elif key in _BACK:
            sides = (None, *rc.SIDES)
            i = sides.index(v.side)
            if i == 0:
                v.sigClosed.emit()
            else:
                v.set_side(sides[i - 1])
        else:
            return False
        return True
