"""What the window builds after its first paint: the image mode and the race.

A launch shows the lesson; the image mode (Pillow, the image panel and its views) and
the race (its lanes, clock and pictures) are built once the window is on screen, from
the event loop, so that start-up to a shown window costs little more than a bare
window (``scripts/startup_time.py``). Whatever asks for them sooner (a deck's scene,
``convviz PATH``, a key pressed before the event loop got to them, a test) gets them
built there and then: :attr:`MainWindow.image_mode` and :attr:`MainWindow.race` are
never missing, only not yet made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, QTimer, Signal

if TYPE_CHECKING:
    from convviz.gui.image.mode import ImageMode
    from convviz.gui.race.keys import RaceKeys
    from convviz.gui.race.view import RaceView


class NoImage:
    """The image mode before it is built: not active, no image (what the lecture tools
    read of it)."""

    active: bool = False
    model: Any = None


class LaterParts(QObject):
    """The image mode and the race of ``window`` (a :class:`~convviz.gui.main_window.MainWindow`),
    made on first use or after the window's first paint, whichever comes first.

    After the first paint, from the event loop, once: :attr:`sigPainted` (what the first
    screen shows is drawn), then both parts are made (if nothing made them sooner), then
    :attr:`sigReady` (the kernels' warm-up starts there; the app resumes Python's garbage
    collector, :mod:`convviz.collector`)."""

    sigPainted = Signal()
    sigReady = Signal()

    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.image: ImageMode | None = None
        self.race: RaceView | None = None
        self.race_keys: RaceKeys | None = None
        self._scheduled = False
        # a filter on the QApplication (:class:`~convviz.gui.keys.AppFilters`), after the
        # deck's and before the lesson's keys: it hands the race's keys
        # (:class:`~convviz.gui.race.keys.RaceKeys`) what they filtered there

    @property
    def built(self) -> bool:
        return self.image is not None and self.race is not None

    def build(self) -> None:
        """Both at once: whatever needs one (a deck's scene, presentation mode scaling the
        window's fonts) finds the other made too."""
        if self.image is None:
            self._build_image()
        if self.race is None:
            self._build_race()

    def image_mode(self) -> ImageMode:
        self.build()
        assert self.image is not None
        return self.image

    def race_view(self) -> RaceView:
        self.build()
        assert self.race is not None
        return self.race

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and not self._scheduled:
            if isinstance(obj, QtWidgets.QWidget) and obj.window() is self.window:
                self._scheduled = True  # the window is being drawn: the rest comes next
                QTimer.singleShot(0, self, self._painted)
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and not self.built:
            self.build()  # a key before the event loop got to it: the race's keys see it
        # the race's keys, where they always were: after the lesson's, before the deck's
        return self.race_keys is not None and bool(self.race_keys.eventFilter(obj, event))

    def _painted(self) -> None:
        self.sigPainted.emit()
        try:
            self.build()
        finally:  # a part that failed to build (told as any error is) stops nothing else
            self.sigReady.emit()

    def shutdown(self) -> None:
        if self.image is not None:
            self.image.shutdown()

    # -- the image mode (convviz.gui.image.mode) ------------------------------------------
    def _build_image(self) -> None:
        from convviz.gui.image.mode import ImageMode

        w = self.window
        im = self.image = ImageMode(
            w.runner, w.playback, w.model, w.lesson_view, w.dialogs, parent=w
        )
        w.left_layout.insertWidget(0, im.strip, 0)
        im.strip.hide()
        w.image_side.setWidget(im.panel)
        w.lecture.image_mode = im
        im.sigEnterRequested.connect(w.enter_image_mode)
        im.sigStatus.connect(w.status.show)
        im.sigDeviceNote.connect(w.device_label.setText)
        w.file_menu.sigSaveRequested.connect(im.save)
        panel = im.panel
        panel.sigOpenRequested.connect(w.ask_and_open)
        panel.sigOpenPath.connect(w.open_image)
        panel.sigLessonRequested.connect(w.enter_lesson_mode)
        panel.sigSaveRequested.connect(im.save)

    # -- the race (convviz.gui.race) ------------------------------------------------------
    def _build_race(self) -> None:
        from convviz.gui.race.keys import RaceKeys
        from convviz.gui.race.view import RaceView

        w = self.window
        race = self.race = RaceView(w.model, w.runner)
        w.left_layout.addWidget(race, 1)
        self.race_keys = RaceKeys(
            race,
            w.model,
            can_open=lambda: not w.image_mode.active,
            blocked=lambda: w.presentation.blanked,
        )
        race.sigRequested.connect(w.toggle_race)
        race.sigClosed.connect(lambda: w.show_race(False))
        w.presentation.sigActiveChanged.connect(race.set_presentation)
        if w.presentation.active:
            race.set_presentation(True)
