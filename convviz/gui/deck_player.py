"""Playing a deck (:mod:`convviz.core.deck`) in the window: one scene at a time.

:class:`DeckPlayer` applies a scene to the window through the screens' public
commands (the lesson model's ``set_lesson`` and ``seek``, the race's ``set_side``,
the image mode's ``open``, the window's mode switches), walks the deck with the
clicker's keys and appends the screen's state to a deck (File → Save scene…).

Keys, seen before the lesson's and the race's own (the player's event filter is
installed after theirs): PageDown at the end of a scene's animation (the lesson's
last cell; at once in the race, a run in parallel and the benchmark) goes to the
next scene, PageUp before its first cell to the previous one; Ctrl+Home / Ctrl+End
go to the first / last scene. Everywhere else PageDown/PageUp stay the lesson's.

A scene that failed validation shows its one message in the banner (and the
status line); the screen keeps the scene before it, and the rest of the deck plays.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, Qt, Signal

from convviz.core.kernels import ALIASES, PRESETS
from convviz.errors import ConvvizError
from convviz.gui import theme

if TYPE_CHECKING:  # the deck's modules load on the first deck, after the window shows
    from convviz.core import deck as decks

#: the banner's type: windowed, and in presentation mode (read from the back of a hall)
BANNER_PX, BANNER_PRESENTATION_PX = 15, 30


class SceneBanner(QtWidgets.QLabel):
    """ "scene 3 of 9 · Title" (and a scene's problem), a line above the lesson; in the
    window's layout, so it covers nothing."""

    def __init__(self):
        super().__init__()
        self.setObjectName("sceneBanner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Maximum
        )
        self.problem = False
        self.presentation = False
        self.hide()

    def show_text(self, text: str, problem: bool, presentation: bool) -> None:
        self.problem, self.presentation = problem, presentation
        pal = theme.palette()
        fg, bg = (pal.on_error, pal.error) if problem else (pal.text, pal.empty_bg)
        px = BANNER_PRESENTATION_PX if presentation else BANNER_PX
        self.setFont(theme.font(px, bold=True))
        self.setStyleSheet(
            f"QLabel#sceneBanner {{ color: {fg}; background: {bg}; border: 2px solid {fg};"
            " border-radius: 6px; padding: 2px 14px; }"
        )
        self.setText(text)
        self.setToolTip(text)
        self.show()


class DeckPlayer(QObject):
    """The deck open in ``window`` (a :class:`~convviz.gui.main_window.MainWindow`) and
    the scene on screen. ``ask_open_path`` / ``ask_save_path`` ask for a deck's file
    ('' when cancelled); tests replace them so no dialog blocks."""

    sigSceneChanged = Signal(int)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.deck: decks.Deck | None = None
        self.index = -1
        self.banner = SceneBanner()
        window.left_layout.insertWidget(0, self.banner)
        self.ask_open_path = self._ask_open_path
        self.ask_save_path = self._ask_save_path
        fm = window.file_menu
        fm.sigOpenDeckRequested.connect(self.ask_and_open)
        fm.sigSaveSceneRequested.connect(self.ask_and_save)
        window.presentation.sigActiveChanged.connect(lambda _on: self.refresh_banner())
        # the keys: a filter on the QApplication, the window's first (convviz.gui.keys.AppFilters)

    # -- the deck -----------------------------------------------------------------------
    @property
    def scene(self) -> decks.Scene | None:
        if self.deck is None or not 0 <= self.index < len(self.deck.scenes):
            return None
        return self.deck.scenes[self.index]

    def open(self, path) -> bool:
        """Open the deck at ``path`` on its first scene; an unreadable file is told in
        a dialog and what was shown stays. Problems of single scenes do not stop it."""
        from convviz.core import deck as decks

        try:
            deck = decks.load_deck(path)
        except ConvvizError as exc:
            self.window.dialogs.show_error(self.tr("Could not open the deck"), str(exc))
            return False
        if not deck.scenes:
            self.window.dialogs.show_error(self.tr("Could not open the deck"), deck.error)
            return False
        self.deck = deck
        if deck.error:
            self.window.status.show(deck.error, 15_000)
        self.go(0)
        return True

    def ask_and_open(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open(path)

    def go(self, index: int) -> None:
        """Show scene ``index`` (clamped to the deck)."""
        if self.deck is None or not self.deck.scenes:
            return
        self.index = int(min(max(index, 0), len(self.deck.scenes) - 1))
        scene = self.deck.scenes[self.index]
        if scene.valid:
            try:
                self.apply(scene)
            except (ConvvizError, OSError, ValueError) as exc:  # e.g. the image went away
                scene.error = f"{scene.label()}: {exc}"
        if not scene.valid:
            self.window.status.show(scene.error, 15_000)
        self.refresh_banner()
        self.sigSceneChanged.emit(self.index)

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def first(self) -> None:
        self.go(0)

    def last(self) -> None:
        self.go(len(self.deck.scenes) - 1 if self.deck else 0)

    def banner_text(self) -> str:
        scene = self.scene
        if scene is None or self.deck is None:
            return ""
        where = self.tr("scene {0} of {1}").format(self.index + 1, len(self.deck.scenes))
        text = f"{where} · {scene.title}" if scene.title else where
        return f"{text}\n{scene.error}" if scene.error else text

    def refresh_banner(self) -> None:
        scene = self.scene
        if scene is None:
            self.banner.hide()
            return
        self.banner.show_text(
            self.banner_text(), bool(scene.error), self.window.presentation.active
        )

    # -- a scene on screen ---------------------------------------------------------------
    def apply(self, scene: decks.Scene) -> None:
        """Put ``scene`` on the screen (ConvvizError if its lesson cannot be shown)."""
        w = self.window
        if scene.mode != "benchmark" and w.bench_window is not None:
            w.bench_window.hide()
        if scene.mode == "image":
            self._apply_image(scene)
            return
        lesson = scene.lesson()
        w.show_race(False)
        if w.image_mode.active:
            w.enter_lesson_mode()
        if not w.model.set_lesson(lesson):
            raise ConvvizError(w.model.error or "the lesson cannot be shown")
        w.playback.pause()
        w.model.seek(min(scene.step, w.model.n_cells - 1))
        if scene.mode == "parallel":
            w.run_parallel()
        elif scene.mode == "race":
            from convviz.core import race as rc

            side = scene.race_size
            w.race.set_side(side if side in rc.SIDES else None)
            w.show_race(True)
        elif scene.mode == "benchmark":
            w.open_benchmark()
        if scene.mode != "race":
            w.focus_lesson()

    def _apply_image(self, scene: decks.Scene) -> None:
        w = self.window
        path = scene.image_path
        if path is None or not w.open_image(path):
            raise ConvvizError(f"could not open {path}")
        lesson = scene.lesson()
        k = np.asarray(lesson.w[0, 0], np.float32)
        name = ALIASES.get(lesson.kernel_name, lesson.kernel_name)
        name = name if name in PRESETS else "custom"
        w.image_mode.panel.kernel_editor.set_kernel(k, name)  # -> the image model
        r = scene.region
        if r is not None:
            from convviz.core.region import Region

            w.image_mode.model.set_region(Region(*r))

    # -- saving --------------------------------------------------------------------------
    def current_settings(self, deck_path) -> dict:
        """The scene keys of what the screen shows now (for File → Save scene…)."""
        from convviz.core import deck_write

        w = self.window
        out: dict = {}
        if w.image_mode.active and w.image_mode.model.path is not None:
            im = w.image_mode.model
            out["mode"] = "image"
            out["image"] = deck_write.relative_image(im.path, deck_path)
            out["kernel"] = np.asarray(im.kernel, np.float32).tolist()
            if im.region is not None:
                g = im.region
                out["region"] = [g.oy, g.ox, g.h, g.w]
            return out
        out.update(deck_write.lesson_settings(w.model.valid_lesson()))
        if w.race.active:
            out["mode"] = "race"
            if w.race.side is not None:
                out["race_size"] = w.race.side
        elif w.bench_window is not None and w.bench_window.isVisible():
            out["mode"] = "benchmark"
        else:
            out["mode"] = "lesson"
            if w.model.pos >= 0:
                out["step"] = w.model.pos
        return out

    def save_scene(self, path, title: str = "", note: str = "") -> None:
        """Append the screen's state to the deck at ``path`` (created when absent)."""
        settings = self.current_settings(path)
        if title:
            settings["title"] = title
        if note:
            settings["note"] = note
        from convviz.core import deck_write

        deck_write.append_scene(path, settings)
        self.window.status.show(self.tr("Scene appended to {0}").format(Path(path).name), 5000)

    def ask_and_save(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            self.save_scene(path)
        except ConvvizError as exc:
            self.window.dialogs.show_error(self.tr("Could not save the scene"), str(exc))

    def _ask_open_path(self) -> str:
        return QtWidgets.QFileDialog.getOpenFileName(
            self.window, self.tr("Open a deck"), "", self.tr("Decks (*.toml)")
        )[0]

    def _ask_save_path(self) -> str:
        dialog = QtWidgets.QFileDialog(self.window, self.tr("Append the scene to a deck"))
        dialog.setNameFilter(self.tr("Decks (*.toml)"))
        dialog.setDefaultSuffix("toml")
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QtWidgets.QFileDialog.Option.DontConfirmOverwrite)  # it appends
        return dialog.selectedFiles()[0] if dialog.exec() else ""

    # -- keys ----------------------------------------------------------------------------
    def at_end(self) -> bool:
        """Whether the scene's animation is over (PageDown goes on to the next scene)."""
        w = self.window
        if w.race.active or w.image_mode.active and not w.model.valid:
            return True
        scene = self.scene
        if scene is not None and scene.mode in ("parallel", "benchmark"):
            return True
        return not w.model.valid or w.model.at_end

    def at_start(self) -> bool:
        w = self.window
        scene = self.scene
        if w.race.active or scene is not None and scene.mode in ("parallel", "benchmark"):
            return True
        return not w.model.valid or w.model.pos < 0

    def eventFilter(self, obj, event) -> bool:
        if self.deck is None or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(obj, QtWidgets.QWidget):
            return False
        bench = self.window.bench_window
        if obj.window() is not self.window and (bench is None or obj.window() is not bench):
            return False
        if self.window.presentation.blanked:
            return False  # the key only uncovers the screen
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            if not event.isAutoRepeat():
                self.first() if key == Qt.Key.Key_Home else self.last()
            return True
        if mods & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            return False
        if key == Qt.Key.Key_PageDown and self.at_end():
            if self.index + 1 < len(self.deck.scenes) and not event.isAutoRepeat():
                self.next()
            return True
        if key == Qt.Key.Key_PageUp and self.at_start():
            if self.index > 0 and not event.isAutoRepeat():
                self.previous()
            return True
        return False
