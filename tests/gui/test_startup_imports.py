"""Start-up: the window is painted before anything heavy is imported or built.

numba (and the kernels and their warm-up), Pillow and the image mode, the race: all
after the first paint; Python's garbage collector is paused until then. A fresh process
is needed to see what an import pulls in, so the check launches the app as ``convviz``
does (:func:`convviz.cli.open_app`) in a subprocess and reads ``sys.modules`` there
when the first paint is done. Timings are measured by ``scripts/startup_time.py``,
never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: what must wait until the window is on screen
HEAVY = ("numba", "llvmlite", "scipy", "cv2", "PIL", "numpy.random")
#: the modules that the first paint does not need: the race's model, a deck's reader and
#: writer, the image files' readers (File → Open a bundled sample lists the samples when
#: it opens), the kernels' cache notes (read with the warm-up), what writes a file
#: (``secrets`` names its temporary file)
DEFERRED = (
    "convviz.engine",
    "convviz.backends",
    "convviz.core.race",
    "convviz.core.deck",
    "convviz.core.deck_write",
    "convviz.core.images",
    "convviz.core.image_read",
    "convviz.core.image_save",
    "convviz.backends.jit_cache",
    "secrets",
)

CHECK = """
import gc, json, sys
from convviz import cli, collector
{plant}
seen = {{}}
pause = collector.pause


def noting_qt():
    seen["qt_at_pause"] = "PySide6" in sys.modules
    return pause()


collector.pause = noting_qt


def painted():
    from PySide6 import QtWidgets

    from convviz.gui.main_window import MainWindow

    w = next(x for x in QtWidgets.QApplication.topLevelWidgets() if isinstance(x, MainWindow))
    seen.update(
        heavy=sorted(m for m in {heavy!r} if m in sys.modules),
        deferred=sorted(m for m in {deferred!r} if m in sys.modules),
        built=[w.later.image is not None, w.later.race is not None],
        collecting=gc.isenabled(),
        warming_up=w.runner.busy,
    )
    w.later.sigReady.connect(lambda: ready(w))


def ready(w):
    from PySide6 import QtWidgets

    seen["ready"] = dict(collecting=gc.isenabled(), warming_up=w.runner.busy)
    QtWidgets.QApplication.quit()


code = cli.open_app([], painted=painted)
import threading

busy = [t.name for t in threading.enumerate() if t.name.startswith("convviz-")]
seen["exit"] = dict(code=code, collecting=gc.isenabled(), workers=busy)
print(json.dumps(seen))
"""


def at_first_paint(plant: str = "") -> dict:
    """What a fresh process launched as ``convviz`` is (its modules, its later parts, the
    garbage collector, the warm-up) when the window's first paint is done, then when the
    parts made after it are made, then after the app quit (``plant``: code run before the
    launch, to see the check catch it)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    code = CHECK.format(plant=plant, heavy=HEAVY, deferred=DEFERRED)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_nothing_heavy_is_imported_or_built_before_the_window_is_painted():
    seen = at_first_paint()
    assert seen["heavy"] == []
    assert seen["deferred"] == []
    assert seen["built"] == [False, False]  # the image mode and the race: after the paint
    assert seen["warming_up"] is False  # the kernels' warm-up too
    assert seen["collecting"] is False  # the garbage collector paused for the start
    assert seen["qt_at_pause"] is False  # from before Qt is imported
    # then, from the event loop: the parts made, the warm-up started, the collector back
    assert seen["ready"] == {"collecting": True, "warming_up": True}
    # the warm-up, in flight when the app quit, ended before the app returned
    assert seen["exit"] == {"code": 0, "collecting": True, "workers": []}


def test_the_check_sees_the_warm_up_started_before_the_paint():
    """The warm-up started from ``showEvent`` (as it once was: the event loop got to it
    before the paint, and imported the kernels' cache notes there) is caught."""
    plant = (
        "from PySide6.QtCore import QTimer\n"
        "from convviz.gui import main_window as mw\n"
        "mw.MainWindow.showEvent = lambda s, e: QTimer.singleShot(0, s.runs.start_warm_up)"
    )
    seen = at_first_paint(plant)
    assert seen["warming_up"] is True and "convviz.backends.jit_cache" in seen["deferred"]


def test_the_check_sees_the_collector_running_through_the_start():
    """A launch that does not pause the garbage collector is caught."""
    plant = "from convviz import collector\ncollector.pause = lambda: False"
    assert at_first_paint(plant)["collecting"] is True


def test_the_check_sees_qt_imported_before_the_pause():
    """A pause that comes after Qt's import (which it is meant to speed up) is caught."""
    assert at_first_paint("import PySide6.QtWidgets")["qt_at_pause"] is True


UNPAINTED = """
import gc, json
from PySide6.QtCore import QTimer
from PySide6 import QtWidgets
from convviz import cli
from convviz.gui import app
from convviz.gui.later import LaterParts

LaterParts._painted = lambda self: None  # the window is never painted (started minimised)
app.RESUME_COLLECTOR_MS = 300
seen = []
make = app.create_window


def made(*args, **kwargs):  # the resume's timer starts right after the window is made
    window = make(*args, **kwargs)
    QTimer.singleShot(50, lambda: seen.append(gc.isenabled()))
    QTimer.singleShot(3000, lambda: (seen.append(gc.isenabled()), QtWidgets.QApplication.quit()))
    return window


app.create_window = made
cli.open_app([])
print(json.dumps(seen))
"""


def test_a_window_never_painted_still_gets_the_collector_back():
    """A window that is not painted (started minimised) does not keep Python's garbage
    collector paused: it resumes RESUME_COLLECTOR_MS after the window is shown."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    out = subprocess.run(
        [sys.executable, "-c", UNPAINTED], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, True]


def test_the_check_sees_numba_imported_too_soon():
    """A planted import of numba before the window is made is caught."""
    assert "numba" in at_first_paint("import numba")["heavy"]


def test_the_check_sees_a_deferred_module_imported_too_soon():
    """A planted import of the race's model before the window is made is caught."""
    assert at_first_paint("import convviz.core.race")["deferred"] == ["convviz.core.race"]


def test_the_check_sees_numpy_random_imported_too_soon():
    """The demo's digits come without numpy.random; drawing them with it is caught."""
    plant = (
        "import numpy as np\n"
        "from convviz.core import lessons\n"
        "lessons.make_input = lambda p, h, w, channels=1, seed=0: np.random.default_rng(\n"
        "    seed).integers(0, 10, (channels, h, w)).astype(np.float32)"
    )
    assert "numpy.random" in at_first_paint(plant)["heavy"]


def test_the_demo_digits_are_those_default_rng_draws():
    """The written-out digits of the demo are numpy's, for its seed and size."""
    import numpy as np

    from convviz.core.lessons import DEMO_SEED, DEMO_SIZE, demo_lesson, make_input

    drawn = np.random.default_rng(DEMO_SEED).integers(0, 10, size=(1, *DEMO_SIZE))
    for x in (make_input("random", *DEMO_SIZE, seed=DEMO_SEED), demo_lesson().x):
        assert x.dtype == np.float32 and x.shape == (1, *DEMO_SIZE)
        np.testing.assert_array_equal(x, drawn)
    # another seed, size or channel count is drawn as before
    other = make_input("random", *DEMO_SIZE, seed=DEMO_SEED + 1)
    np.testing.assert_array_equal(
        other, np.random.default_rng(DEMO_SEED + 1).integers(0, 10, size=(1, *DEMO_SIZE))
    )
    two = make_input("random", *DEMO_SIZE, channels=2, seed=DEMO_SEED)
    np.testing.assert_array_equal(
        two, np.random.default_rng(DEMO_SEED).integers(0, 10, size=(2, *DEMO_SIZE))
    )


def test_the_check_sees_the_image_mode_built_too_soon():
    plant = (
        "from convviz.gui import main_window as mw\n"
        "init = mw.MainWindow.__init__\n"
        "mw.MainWindow.__init__ = lambda s, *a, **k: (init(s, *a, **k), s.image_mode) and None"
    )
    seen = at_first_paint(plant)
    assert seen["built"] == [True, True]  # one asked for: both made


def test_a_later_part_that_fails_to_build_stops_nothing_else(qtbot, monkeypatch):
    """The parts made after the paint failing (an error is told as any is) still lets
    the warm-up start and the collector resume: ``sigReady`` comes all the same."""
    import pytest

    from convviz.gui.app import create_window
    from convviz.gui.later import LaterParts

    win = create_window(warm_up=False)
    qtbot.addWidget(win)

    def broken(self):
        raise RuntimeError("the race could not be built")

    monkeypatch.setattr(LaterParts, "build", broken)
    with qtbot.waitSignal(win.later.sigReady, timeout=1000):
        with pytest.raises(RuntimeError, match="could not be built"):
            win.later._painted()


def test_the_image_mode_and_race_come_after_the_first_paint(window, qtbot):
    """Shown, the event loop builds them (the tests' window is shown in the fixture)."""
    qtbot.waitUntil(lambda: window.later.built, timeout=10_000)
    assert window.image_mode.strip.parent() is not None
    assert window.left_layout.indexOf(window.image_mode.strip) == 0
    assert window.left_layout.indexOf(window.race) == window.left_layout.count() - 1
    assert window.image_side.widget() is window.image_mode.panel


def test_the_file_menu_lists_the_bundled_samples_when_opened(window, qtbot):
    """The samples submenu is filled when it opens (once), one entry per bundled sample,
    and choosing one opens it."""
    from convviz.core.images import sample_paths

    menu = window.file_menu.samples
    menu.aboutToShow.emit()
    menu.aboutToShow.emit()
    names = [a.text() for a in menu.actions()]
    assert names == [p.name for p in sample_paths()] and names
    with qtbot.waitSignal(window.file_menu.sigOpenPath) as got:
        menu.actions()[0].trigger()
    assert got.args == [sample_paths()[0]]


def test_the_windows_app_filters_hand_on_keys_and_paint_in_order(qapp):
    """The window's filters on the QApplication are one: it hands key presses and
    paints to each filter in turn until one takes the event, and nothing else."""
    from PySide6 import QtCore, QtGui, QtWidgets
    from PySide6.QtCore import QEvent, Qt

    from convviz.gui.keys import AppFilters

    seen: list[tuple[str, QEvent.Type]] = []

    class Recorder(QtCore.QObject):
        def __init__(self, name: str, takes: bool):
            super().__init__()
            self.name, self.takes = name, takes

        def eventFilter(self, obj, event) -> bool:
            seen.append((self.name, event.type()))
            return self.takes

    owner = QtCore.QObject()
    parts = [Recorder("deck", False), Recorder("race", True), Recorder("lesson", False)]
    route = AppFilters(owner, *parts)
    widget = QtWidgets.QWidget()
    key = QtGui.QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    assert route.eventFilter(widget, key) is True
    assert [name for name, _ in seen] == ["deck", "race"]  # the race took it: not the lesson
    seen.clear()
    assert route.eventFilter(widget, QEvent(QEvent.Type.Resize)) is False
    assert route.eventFilter(widget, QEvent(QEvent.Type.MouseMove)) is False
    assert seen == []
    parts[1].takes = False
    assert route.eventFilter(widget, QEvent(QEvent.Type.Paint)) is False
    assert [name for name, _ in seen] == ["deck", "race", "lesson"]
    # installed, a key pressed in a widget reaches them through the QApplication
    seen.clear()
    route.install()
    try:
        from PySide6.QtTest import QTest

        QTest.keyClick(widget, Qt.Key.Key_Space)
    finally:
        route.remove()
    assert ("deck", QEvent.Type.KeyPress) in seen
    seen.clear()
    QTest.keyClick(widget, Qt.Key.Key_Space)
    assert seen == []  # removed


def test_a_window_closed_by_quitting_keeps_the_look_one_closed_alone_restores_it(qtbot):
    """Quitting closes the window without restyling it (every widget of a window going
    away); a window closed while the app goes on puts the app's look back."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent

    from convviz.gui.app import create_window

    app = QtWidgets.QApplication.instance()
    for quit_first in (False, True):
        win = create_window(warm_up=False)
        qtbot.addWidget(win)
        restored: list[bool] = []
        restore = win.appearance.restore
        win.appearance.restore = lambda restored=restored: restored.append(True)
        if quit_first:  # what QApplication.quit() sends the app before closing its windows
            assert win.app_filters.eventFilter(app, QEvent(QEvent.Type.Quit)) is False
        win.close()
        restore()  # (the app's look put back for the tests after this one)
        assert restored == ([] if quit_first else [True])
        assert win.quitting is quit_first
