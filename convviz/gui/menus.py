"""The menus. File: open, samples, recent files, save, export the animation, back to
the lesson, open a deck, save a scene to a deck, quit. Edit: copy as PyTorch / scipy
code. View: presentation mode, full screen, the benchmark window, theme, language.

Keys that the lesson's event filter handles (P, F11) are shown in the menu after a
tab but are not QAction shortcuts: a shortcut would fire while someone types in a
text box, the event filter knows better (:mod:`convviz.gui.keys`).

Each menu says what was chosen with a signal; the window connects them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QObject, Signal

from convviz.gui import files


class FileMenu(QObject):
    sigOpenRequested = Signal()  # Open image…: ask for a file
    sigOpenPath = Signal(object)  # a sample or a recent file (its Path)
    sigSaveRequested = Signal()
    sigExportRequested = Signal()
    sigLessonRequested = Signal()  # back to the built-in lesson
    sigQuitRequested = Signal()
    sigOpenDeckRequested = Signal()  # Open deck…: a lecture's scenes (convviz.gui.deck_player)
    sigSaveSceneRequested = Signal()  # Save scene…: append what the screen shows to a deck

    def __init__(self, bar: QtWidgets.QMenuBar, parent: QObject | None = None):
        super().__init__(parent)
        menu = bar.addMenu(self.tr("&File"))
        self.menu = menu
        self.open_action = menu.addAction(self.tr("&Open image…"))
        self.open_action.setShortcut(QtGui.QKeySequence.StandardKey.Open)
        self.samples = menu.addMenu(self.tr("Open a bundled &sample"))
        self.samples.aboutToShow.connect(self.fill_samples)
        self.recent = menu.addMenu(self.tr("&Recent files"))
        self.recent.aboutToShow.connect(self.fill_recent)
        menu.addSeparator()
        self.save_action = menu.addAction(self.tr("&Save result…"))
        self.save_action.setShortcut(QtGui.QKeySequence.StandardKey.Save)
        self.save_action.setEnabled(False)
        self.export_action = menu.addAction(self.tr("&Export animation…"))
        self.export_action.setShortcut(QtGui.QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(
            self.tr("The lesson, or a range of its cells, as GIF, APNG or MP4")
        )
        self.lesson_action = menu.addAction(self.tr("&Lesson demo"))
        self.lesson_action.setToolTip(self.tr("Back to the built-in lesson"))
        self.lesson_action.setEnabled(False)
        menu.addSeparator()
        self.open_deck_action = menu.addAction(self.tr("Open &deck…"))
        self.open_deck_action.setToolTip(self.tr("A lecture prepared as scenes (TOML)"))
        self.save_scene_action = menu.addAction(self.tr("Save scene to deck…"))
        self.save_scene_action.setToolTip(
            self.tr("Append what the screen shows as a scene at the end of a deck")
        )
        self.open_deck_action.triggered.connect(lambda _=False: self.sigOpenDeckRequested.emit())
        self.save_scene_action.triggered.connect(lambda _=False: self.sigSaveSceneRequested.emit())
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QtGui.QKeySequence.StandardKey.Quit)

        self.open_action.triggered.connect(lambda _=False: self.sigOpenRequested.emit())
        self.save_action.triggered.connect(lambda _=False: self.sigSaveRequested.emit())
        self.export_action.triggered.connect(lambda _=False: self.sigExportRequested.emit())
        self.lesson_action.triggered.connect(lambda _=False: self.sigLessonRequested.emit())
        quit_action.triggered.connect(lambda _=False: self.sigQuitRequested.emit())
        self.fill_recent()

    def fill_samples(self) -> None:
        """The bundled samples, listed when the submenu first opens (the image modules
        load after the window shows)."""
        if self.samples.actions():
            return
        from convviz.core.images import sample_paths

        for p in sample_paths():
            act = self.samples.addAction(p.name)
            act.triggered.connect(lambda _=False, p=p: self.sigOpenPath.emit(p))

    def fill_recent(self) -> None:
        self.recent.clear()
        paths = files.recent_files()
        for p in paths:
            act = self.recent.addAction(str(p))
            act.triggered.connect(lambda _=False, p=p: self.sigOpenPath.emit(Path(p)))
        if not paths:
            self.recent.addAction(self.tr("(none yet)")).setEnabled(False)
        else:
            self.recent.addSeparator()
            clear = self.recent.addAction(self.tr("Clear the list"))
            clear.triggered.connect(files.clear_recent)

    def retranslate(self) -> None:
        """The recent list's fixed entries (the rest follows the shown texts)."""
        self.fill_recent()

    def set_image_mode(self, on: bool) -> None:
        self.save_action.setEnabled(on)
        self.lesson_action.setEnabled(on)

    def recent_actions(self) -> list[QtGui.QAction]:
        self.fill_recent()
        return [
            a
            for a in self.recent.actions()
            if a.isEnabled() and not a.isSeparator() and a.text() != self.tr("Clear the list")
        ]


class EditMenu(QObject):
    sigCopyAsCode = Signal(str)  # "pytorch" or "scipy"

    def __init__(self, bar: QtWidgets.QMenuBar, parent: QObject | None = None):
        super().__init__(parent)
        menu = bar.addMenu(self.tr("&Edit"))
        self.menu = menu
        self.pytorch_action = menu.addAction(self.tr("Copy as &PyTorch"))
        self.pytorch_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+C"))
        self.pytorch_action.setToolTip(
            self.tr(
                "The current convolution as a PyTorch snippet, on the clipboard and in a window"
            )
        )
        self.scipy_action = menu.addAction(self.tr("Copy as &scipy"))
        self.scipy_action.setToolTip(
            self.tr("The current convolution as a numpy + scipy.signal snippet")
        )
        self.pytorch_action.triggered.connect(lambda: self.sigCopyAsCode.emit("pytorch"))
        self.scipy_action.triggered.connect(lambda: self.sigCopyAsCode.emit("scipy"))


class ViewMenu(QObject):
    sigPresentationRequested = Signal()  # toggle presentation mode
    sigFullScreenRequested = Signal()  # toggle full screen
    sigBenchmarkRequested = Signal()
    sigRaceRequested = Signal()  # toggle the race (convviz.gui.race)
    sigThemeChosen = Signal(str)  # "system", "light", "dark"
    sigLanguageChosen = Signal(str)  # "system", "en", "zh_CN"

    def __init__(self, bar: QtWidgets.QMenuBar, parent: QObject | None = None):
        super().__init__(parent)
        menu = bar.addMenu(self.tr("&View"))
        self.menu = menu
        self.presentation_action = menu.addAction(self.tr("&Presentation mode") + "\tP")
        self.presentation_action.setCheckable(True)
        self.presentation_action.setToolTip(
            self.tr(
                "Full screen, large type, high contrast, side panel hidden; B or . blanks the "
                "screen; Esc leaves"
            )
        )
        self.full_screen_action = menu.addAction(self.tr("&Full screen") + "\tF11")
        menu.addSeparator()
        self.bench_action = menu.addAction(self.tr("&Benchmark: when does the GPU win?"))
        self.bench_action.setShortcut(QtGui.QKeySequence("Ctrl+B"))
        self.bench_action.setToolTip(
            self.tr(
                "Time the current kernel over image sizes on "
                "this machine, beside a recorded GPU benchmark"
            )
        )
        self.bench_action.triggered.connect(lambda _=False: self.sigBenchmarkRequested.emit())
        # (C is handled by the race's key filter, as P by the lesson's: shown after a tab)
        self.race_action = menu.addAction(self.tr("&Race: one core, all cores, a GPU") + "\tC")
        self.race_action.triggered.connect(lambda _=False: self.sigRaceRequested.emit())
        menu.addSeparator()
        self.theme_menu = menu.addMenu(self.tr("&Theme"))
        self.theme_group = QtGui.QActionGroup(self)
        self.theme_actions: dict[str, QtGui.QAction] = {}
        for key, text in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            act = self.theme_menu.addAction(text)
            act.setCheckable(True)
            act.setData(key)
            self.theme_group.addAction(act)
            act.triggered.connect(lambda _=False, k=key: self.sigThemeChosen.emit(k))
            self.theme_actions[key] = act
        self.language_menu = menu.addMenu(self.tr("&Language"))
        self.language_group = QtGui.QActionGroup(self)
        self.language_actions: dict[str, QtGui.QAction] = {}
        # each language is named in itself, so anyone can find theirs
        for key, text in (
            ("system", self.tr("Follow the system")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ):
            act = self.language_menu.addAction(text)
            act.setCheckable(True)
            act.setData(key)
            self.language_group.addAction(act)
            act.triggered.connect(lambda _=False, k=key: self.sigLanguageChosen.emit(k))
            self.language_actions[key] = act
        self.presentation_action.triggered.connect(
            lambda _=False: self.sigPresentationRequested.emit()
        )
        self.full_screen_action.triggered.connect(
            lambda _=False: self.sigFullScreenRequested.emit()
        )

    def show_choices(self, theme: str, language: str) -> None:
        self.theme_actions[theme].setChecked(True)
        self.language_actions[language].setChecked(True)
