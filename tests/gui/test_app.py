"""The entry point: `convviz [IMAGE]` opens the window on the built-in lesson."""

from __future__ import annotations

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QTimer

from convviz.gui import app as gui_app
from convviz.gui.main_window import MainWindow


def _close_all_and_quit():
    for w in QtWidgets.QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.close()
    QtWidgets.QApplication.instance().quit()


def test_main_opens_the_window_and_returns(qtbot):
    QTimer.singleShot(0, _close_all_and_quit)
    assert gui_app.main([]) == 0


def test_an_image_argument_opens_the_image(qtbot, tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.zeros((5, 7), np.float32))
    win = gui_app.create_window([str(path)])
    qtbot.addWidget(win)
    assert win.image_mode.active and win.image_mode.model.x.shape == (1, 5, 7)
    qtbot.waitUntil(lambda: win.image_mode.last_result is not None, timeout=60_000)
    win.close()
    bad = gui_app.create_window([str(tmp_path / "missing.png")])
    qtbot.addWidget(bad)
    assert not bad.image_mode.active and "missing.png: no such file" in bad.dialogs.last_error
    bad.close()
