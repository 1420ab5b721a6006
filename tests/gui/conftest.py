"""GUI test fixtures: the window on the demo lesson, and no thread or timer left behind."""

from __future__ import annotations

import threading
import weakref

import pytest
from PySide6 import QtCore


@pytest.fixture(autouse=True)
def _no_dangling_qthreads_or_qtimers(monkeypatch):
    """Fail a test that leaves a QThread running or a QTimer active (as napari does).

    Requested before ``qtbot`` and the window, so it is checked after they are torn down.
    """
    threads: weakref.WeakSet = weakref.WeakSet()
    timers: weakref.WeakSet = weakref.WeakSet()
    thread_start, timer_start = QtCore.QThread.start, QtCore.QTimer.start

    def start_thread(self, *args, **kwargs):
        threads.add(self)
        return thread_start(self, *args, **kwargs)

    def start_timer(self, *args, **kwargs):
        timers.add(self)
        return timer_start(self, *args, **kwargs)

    monkeypatch.setattr(QtCore.QThread, "start", start_thread)
    monkeypatch.setattr(QtCore.QTimer, "start", start_timer)
    yield

    def alive(obj, test) -> bool:
        try:
            return test(obj)
        except RuntimeError:  # the C++ object is already deleted: not running
            return False

    running = [t for t in list(threads) if alive(t, lambda t: t.isRunning())]
    active = [t for t in list(timers) if alive(t, lambda t: t.isActive())]
    for t in running:
        t.wait(30_000)
    assert not running, f"QThread(s) left running: {running}"
    assert not active, f"QTimer(s) left active: {active}"
    # the background jobs (convviz.gui.widgets.job_runner) run in daemon threads: a job
    # abandoned as a window closed must still end once what held it is released
    jobs = [t for t in threading.enumerate() if t.name.startswith("convviz-")]
    for t in jobs:
        t.join(30)
    assert not [t for t in jobs if t.is_alive()], f"job thread(s) left running: {jobs}"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory):
    """Recent files and other QSettings go to a temporary folder, never the user's."""
    folder = tmp_path_factory.mktemp("settings")
    QtCore.QSettings.setPath(QtCore.QSettings.IniFormat, QtCore.QSettings.UserScope, str(folder))
    yield folder


@pytest.fixture
def window(qtbot):
    """The main window on the built-in demo lesson, shown and focused; closed after.

    Without the kernels' warm-up: its texts would arrive at any moment of a test
    (tests/gui/test_warm_up.py tests it)."""
    from convviz.gui.app import create_window

    win = create_window(warm_up=False)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    # the image mode and the race, built after the first paint: as a moment after launch
    qtbot.waitUntil(lambda: win.later.built)
    win.activateWindow()
    win.focus_lesson()
    yield win
    win.close()
