"""The File menu: open, samples, recent files, save, back to the lesson, quit."""

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
        self.lesson_action = menu.addAction(self.tr("&Lesson demo"))
        self.lesson_action.setToolTip(self.tr("Back to the built-in lesson"))
        self.lesson_action.setEnabled(False)
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QtGui.QKeySequence.Quit)

        self.open_action.triggered.connect(window.ask_and_open)
        self.save_action.triggered.connect(window.save_result)
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

    def set_image_mode(self, on: bool) -> None:
        self.save_action.setEnabled(on)
        self.lesson_action.setEnabled(on)

    def recent_actions(self) -> list[QtGui.QAction]:
        self.fill_recent()
        return [a for a in self.recent.actions() if a.isEnabled() and not a.isSeparator()
                and a.text() != self.tr("Clear the list")]
