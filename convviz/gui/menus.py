"""The menus. File: open, samples, recent files, save, export the animation, back to
the lesson, quit. Edit: copy as PyTorch / scipy code. View: presentation mode, full
screen, the benchmark window, theme, language.

Keys that the lesson's event filter handles (P, F11) are shown in the menu after a
tab but are not QAction shortcuts: a shortcut would fire while someone types in a
text box, the event filter knows better (:mod:`convviz.gui.keys`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QObject

from convviz.core.images import sample_paths
from convviz.gui import files


class FileMenu(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu(self.tr("&File"))
        self.menu = menu
        self.open_action = menu.addAction(self.tr("&Open image…"))
        self.open_action.setShortcut(QtGui.QKeySequence.Open)
        self.samples = menu.addMenu(self.tr("Open a bundled &sample"))
        for p in sample_paths():
            act = self.samples.addAction(p.name)
            act.triggered.connect(lambda _=False, p=p: window.open_image(p))
        self.recent = menu.addMenu(self.tr("&Recent files"))
        self.recent.aboutToShow.connect(self.fill_recent)
        menu.addSeparator()
        self.save_action = menu.addAction(self.tr("&Save result…"))
        self.save_action.setShortcut(QtGui.QKeySequence.Save)
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
        quit_action = menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QtGui.QKeySequence.Quit)

        self.open_action.triggered.connect(window.ask_and_open)
        self.save_action.triggered.connect(window.save_result)
        self.export_action.triggered.connect(window.export_animation)
        self.lesson_action.triggered.connect(window.enter_lesson_mode)
        quit_action.triggered.connect(window.close)
        self.fill_recent()

    def fill_recent(self) -> None:
        self.recent.clear()
        paths = files.recent_files()
        for p in paths:
            act = self.recent.addAction(str(p))
            act.triggered.connect(lambda _=False, p=p: self.window.open_image(Path(p)))
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
    def __init__(self, window):
        super().__init__(window)
        menu = window.menuBar().addMenu(self.tr("&Edit"))
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
        self.pytorch_action.triggered.connect(lambda: window.copy_as_code("pytorch"))
        self.scipy_action.triggered.connect(lambda: window.copy_as_code("scipy"))


class ViewMenu(QObject):
    def __init__(self, window):
        super().__init__(window)
        menu = window.menuBar().addMenu(self.tr("&View"))
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
        self.bench_action.triggered.connect(lambda _=False: window.open_benchmark())
        menu.addSeparator()
        self.theme_menu = menu.addMenu(self.tr("&Theme"))
        self.theme_group = QtGui.QActionGroup(self)
        self.theme_actions = {}
        for key, text in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            act = self.theme_menu.addAction(text)
            act.setCheckable(True)
            act.setData(key)
            self.theme_group.addAction(act)
            act.triggered.connect(lambda _=False, k=key: window.set_theme(k))
            self.theme_actions[key] = act
        self.language_menu = menu.addMenu(self.tr("&Language"))
        self.language_group = QtGui.QActionGroup(self)
        self.language_actions = {}
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
            act.triggered.connect(lambda _=False, k=key: window.set_language(k))
            self.language_actions[key] = act
        self.presentation_action.triggered.connect(lambda _=False: window.presentation.toggle())
        self.full_screen_action.triggered.connect(window.key_full_screen)
        window.presentation.sigActiveChanged.connect(self.presentation_action.setChecked)

    def show_choices(self, theme: str, language: str) -> None:
        self.theme_actions[theme].setChecked(True)
        self.language_actions[language].setChecked(True)
