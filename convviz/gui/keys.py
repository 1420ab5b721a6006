"""The lecture keys, handled by an event filter on the QApplication (:class:`AppFilters`).

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

from collections.abc import Callable

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt

from convviz.gui.lecture.presentation import Presentation
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.widgets.text_entry import is_text_entry

#: keys that act even while a text box has the focus (clickers, full screen, escape)
_ALWAYS = {Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_F11, Qt.Key.Key_Escape, Qt.Key.Key_F5}
#: keys that are only modifiers: pressing Shift alone does not uncover a blank screen
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
}


class LessonKeys(QObject):
    """Install on the QApplication; acts only for key presses inside ``window``: moves
    through ``model``'s lesson with ``playback``, switches ``presentation`` and full
    screen, calls ``run`` (R) and gives the keyboard back with ``focus_lesson``."""

    def __init__(
        self,
        window: QtWidgets.QWidget,
        model: LessonModel,
        playback: Playback,
        presentation: Presentation,
        run: Callable[[], None],
        focus_lesson: Callable[[], None],
    ):
        super().__init__(window)
        self.window = window
        self.model, self.playback, self.presentation = model, playback, presentation
        self.focus_lesson = focus_lesson
        self.actions = {
            Qt.Key.Key_Space: playback.toggle,
            Qt.Key.Key_Right: lambda: self.step(1),
            Qt.Key.Key_PageDown: lambda: self.step(1),
            Qt.Key.Key_Left: lambda: self.step(-1),
            Qt.Key.Key_PageUp: lambda: self.step(-1),
            Qt.Key.Key_Home: self.home,
            Qt.Key.Key_End: self.end,
            Qt.Key.Key_Plus: playback.faster,
            Qt.Key.Key_Equal: playback.faster,
            Qt.Key.Key_Minus: playback.slower,
            Qt.Key.Key_Underscore: playback.slower,
            Qt.Key.Key_F11: self.full_screen,
            Qt.Key.Key_Escape: self.escape,
            Qt.Key.Key_R: run,
            Qt.Key.Key_P: presentation.toggle,
            Qt.Key.Key_F5: presentation.toggle,
            Qt.Key.Key_B: presentation.toggle_blank,
            Qt.Key.Key_Period: presentation.toggle_blank,
        }

    # -- what the keys do ----------------------------------------------------------------
    def step(self, delta: int) -> None:
        """→ / ←: ``delta`` sub-steps, the animation paused."""
        self.playback.pause()
        self.model.step(delta)

    def home(self) -> None:
        self.playback.pause()
        self.model.seek(-1)

    def end(self) -> None:
        self.playback.pause()
        self.model.seek(self.model.n_cells - 1)

    def full_screen(self) -> None:
        w = self.window
        w.showNormal() if w.isFullScreen() else w.showFullScreen()

    def escape(self) -> None:
        """Leave presentation mode, else full screen, else pause; the lesson gets the keys."""
        if self.presentation.active:
            self.presentation.leave()
        elif self.window.isFullScreen():
            self.window.showNormal()
        else:
            self.playback.pause()
        self.focus_lesson()

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QtWidgets.QWidget):
            return False
        if obj.window() is not self.window:
            return False  # a dialog, another window
        key = event.key()
        presentation = self.presentation
        if presentation.blanked and key not in _MODIFIER_KEYS:
            if not event.isAutoRepeat():
                presentation.unblank()
            return True  # the key that uncovers the screen does nothing else
        action = self.actions.get(key)
        if action is None:
            return False
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if mods:
            return False  # Ctrl+…, Alt+… belong to someone else
        focus = QtWidgets.QApplication.focusWidget()
        if (is_text_entry(obj) or is_text_entry(focus)) and key not in _ALWAYS:
            return False
        if event.isAutoRepeat() and key in (
            Qt.Key.Key_Space,
            Qt.Key.Key_F11,
            Qt.Key.Key_R,
            Qt.Key.Key_P,
            Qt.Key.Key_F5,
            Qt.Key.Key_B,
            Qt.Key.Key_Period,
        ):
            return True
        action()
        return True


#: the events an app-wide filter of the window acts on: keys, the first paint
#: (:class:`~convviz.gui.later.LaterParts`) and the app's quitting
_ROUTED = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Paint, QEvent.Type.Quit}
)


class AppFilters(QObject):
    """The window's filters on the QApplication, installed as one.

    Each filter installed on the QApplication is called from Qt, through Python, for
    every event of the app (hundreds while the window is built and first drawn); this
    one filter is called instead, and hands on only the events in ``_ROUTED`` to
    ``filters``, in their order (the first to return True takes the event), as Qt
    would call them had they been installed one by one, the last installed first.
    ``on_quit`` is called when the QApplication is told to quit, before it closes its
    windows."""

    def __init__(
        self, parent: QObject, *filters: QObject, on_quit: Callable[[], None] | None = None
    ):
        super().__init__(parent)
        self.filters = filters
        self.on_quit = on_quit

    def install(self) -> None:
        app = QtWidgets.QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def remove(self) -> None:
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in _ROUTED:
            return False
        if kind == QEvent.Type.Quit:
            if self.on_quit is not None and obj is QtWidgets.QApplication.instance():
                self.on_quit()
            return False
        return any(f.eventFilter(obj, event) for f in self.filters)
