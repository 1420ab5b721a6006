"""Presentation mode for a lecture, and the blank screen.

Presentation mode (P, F5 as clickers send it, or View → Presentation mode):
full screen, the side panel, menu bar and status bar hidden, larger fonts, the
high-contrast palette and the lesson's thick outlines (``LessonView.set_presentation``,
``LanesStrip.set_presentation``). Esc or P again leaves it and puts everything back.

B or ``.`` (the "blank" button of most clickers) covers the window in black; any
key, B/``.`` again or a click uncovers it. The key that uncovers does nothing
else: a clicker's PageDown uncovers the lesson without stepping, so the class
sees the cell it saw before.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt, Signal

from convviz.gui.appearance import Appearance
from convviz.gui.lesson.lanes import LanesStrip
from convviz.gui.lesson.playback import Playback
from convviz.gui.lesson.view import LessonView

#: fonts the window sets itself are scaled by this in presentation mode
FONT_SCALE = 1.5
#: and never come out smaller than this (read from the back of a lecture hall)
MIN_PX = 28


class BlankOverlay(QtWidgets.QWidget):
    """A black cover over the whole window; a click takes it away."""

    sigClicked = Signal()

    def __init__(self, parent: QtWidgets.QWidget):
        super().__init__(parent)
        self.setObjectName("blankOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor("black"))
        self.setPalette(pal)
        self.setStyleSheet("#blankOverlay { background: black; }")
        self.hide()
        parent.installEventFilter(self)
        self._covered = parent

    def cover(self) -> None:
        self.setGeometry(self._covered.rect())
        self.show()
        self.raise_()

    def eventFilter(self, obj, event) -> bool:
        if obj is self._covered and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._covered.rect())
        return False

    def mousePressEvent(self, event) -> None:
        event.accept()
        self.sigClicked.emit()


class Presentation(QObject):
    """Enters and leaves presentation mode on ``window`` and blanks it: hides ``side``,
    the menu and status bars, applies ``appearance``'s high contrast, and has
    ``lesson_view`` and ``lanes`` draw for a lecture hall; blanking pauses ``playback``."""

    sigActiveChanged = Signal(bool)
    sigBlankedChanged = Signal(bool)

    def __init__(
        self,
        window: QtWidgets.QMainWindow,
        side: QtWidgets.QWidget,
        appearance: Appearance,
        lesson_view: LessonView,
        lanes: LanesStrip,
        playback: Playback,
    ):
        super().__init__(window)
        self.window = window
        self.side, self.appearance, self.playback = side, appearance, playback
        self.lesson_view, self.lanes = lesson_view, lanes
        self.active = False
        self.overlay = BlankOverlay(window)
        self.overlay.sigClicked.connect(self.unblank)
        self._saved: dict = {}

    # -- blank --------------------------------------------------------------------
    @property
    def blanked(self) -> bool:
        return self.overlay.isVisible()

    def blank(self) -> None:
        if not self.blanked:
            self.playback.pause()
            self.overlay.cover()
            self.sigBlankedChanged.emit(True)

    def unblank(self) -> None:
        if self.blanked:
            self.overlay.hide()
            self.sigBlankedChanged.emit(False)

    def toggle_blank(self) -> None:
        self.unblank() if self.blanked else self.blank()

    # -- presentation mode ---------------------------------------------------------
    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        self._saved = {
            "full_screen": w.isFullScreen(),
            "maximized": w.isMaximized(),
            "geometry": QtCore.QRect(w.geometry()),
            "side": self.side.isVisible(),
            "menu": w.menuBar().isVisible(),
            "status": w.statusBar().isVisible(),
            "font": QtGui.QFont(w.font()),
            "fonts": {},
        }
        self.active = True
        self.side.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        self._scale_fonts(FONT_SCALE)
        self.appearance.apply(high_contrast=True)
        self.lesson_view.set_presentation(True)
        self.lanes.set_presentation(True)
        self._set_strip(True)
        w.showFullScreen()
        self.lesson_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sigActiveChanged.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.window, self._saved
        self.active = False
        self.unblank()
        self._restore_fonts()
        self.appearance.apply(high_contrast=False)
        self.lesson_view.set_presentation(False)
        self.lanes.set_presentation(False)
        self._set_strip(False)
        self.side.setVisible(saved.get("side", True))
        w.menuBar().setVisible(saved.get("menu", True))
        w.statusBar().setVisible(saved.get("status", True))
        if saved.get("full_screen", False):
            w.showFullScreen()  # F11 before P: full screen it stays
        elif saved.get("maximized"):
            w.showMaximized()
        else:
            w.showNormal()
            if "geometry" in saved:
                w.setGeometry(saved["geometry"])  # where and how big it was
        self.lesson_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sigActiveChanged.emit(False)

    def _set_strip(self, on: bool) -> None:
        """The image mode's strip of pictures, where the window has one."""
        strip = getattr(getattr(self.window, "image_mode", None), "strip", None)
        if strip is not None:
            strip.set_presentation(on)

    # -- fonts ---------------------------------------------------------------------
    def _scale_fonts(self, factor: float) -> None:
        """The window's font ×factor; widgets that chose their own font, and windows of
        its own (the benchmark's), each ×factor."""
        w = self.window
        base = QtGui.QFont(w.font())
        _scale(base, factor)
        w.setFont(base)
        self._scale_children(w, factor)

    def _scale_children(self, top: QtWidgets.QWidget, factor: float) -> None:
        fonts = self._saved["fonts"]
        for child in top.findChildren(QtWidgets.QWidget):
            if child in fonts or self._in_lesson_view(child):
                continue
            # a window does not inherit the main window's font: it is scaled on its own
            if child.isWindow() or child.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                fonts[child] = QtGui.QFont(child.font())
                f = QtGui.QFont(child.font())
                _scale(f, factor)
                child.setFont(f)

    def adopt(self, window: QtWidgets.QWidget) -> None:
        """A window opened while presentation mode is on (the benchmark's) gets its
        fonts for the lecture hall too, and back when the mode ends."""
        if not self.active:
            return
        fonts = self._saved["fonts"]
        if window not in fonts:
            fonts[window] = QtGui.QFont(window.font())
            f = QtGui.QFont(window.font())
            _scale(f, FONT_SCALE)
            window.setFont(f)
        self._scale_children(window, FONT_SCALE)

    def _in_lesson_view(self, widget: QtWidgets.QWidget) -> bool:
        """The lesson view sizes its own fonts for presentation (``set_presentation``)."""
        lv = self.lesson_view
        return widget is lv or lv.isAncestorOf(widget)

    def _restore_fonts(self) -> None:
        w = self.window
        for child, f in self._saved.get("fonts", {}).items():
            try:
                child.setFont(f)
            except RuntimeError:  # deleted meanwhile
                pass
        if "font" in self._saved:
            w.setFont(self._saved["font"])


def _scale(f: QtGui.QFont, factor: float) -> None:
    """``f`` ×factor, in pixels, and at least :data:`MIN_PX`."""
    px = f.pixelSize() if f.pixelSize() > 0 else QtGui.QFontInfo(f).pixelSize()
    f.setPixelSize(max(MIN_PX, round(px * factor)))
