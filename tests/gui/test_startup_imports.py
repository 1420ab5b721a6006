"""Start-up: the window is shown before anything heavy is imported or built.

numba (and the kernels), Pillow and the image mode, the race: all after the first
paint. A fresh process is needed to see what an import pulls in, so the check runs the
app's own start (``create_window`` then ``show``) in a subprocess and reads
``sys.modules`` there. Timings are measured by ``scripts/startup_time.py``, never here.
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
import json, sys
from convviz.gui import app
qt = app.ensure_app()
{plant}
w = app.create_window([], warm_up=True)
w.show()
print(json.dumps({{
    "heavy": sorted(m for m in {heavy!r} if m in sys.modules),
    "deferred": sorted(m for m in {deferred!r} if m in sys.modules),
    "built": [w.later.image is not None, w.later.race is not None],
}}))
"""


def at_first_show(plant: str = "") -> dict:
    """What a fresh process holds when the window has just been shown (``plant``: code
    run before the window is made, to see the check catch it)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    code = CHECK.format(plant=plant, heavy=HEAVY, deferred=DEFERRED)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_nothing_heavy_is_imported_or_built_before_the_window_shows():
    seen = at_first_show()
    assert seen["heavy"] == []
    assert seen["deferred"] == []
    assert seen["built"] == [False, False]  # the image mode and the race: after the paint


def test_the_check_sees_numba_imported_too_soon():
    """A planted import of numba before the window is made is caught."""
    assert "numba" in at_first_show("import numba")["heavy"]


def test_the_check_sees_a_deferred_module_imported_too_soon():
    """A planted import of the race's model before the window is made is caught."""
    assert at_first_show("import convviz.core.race")["deferred"] == ["convviz.core.race"]


def test_the_check_sees_numpy_random_imported_too_soon():
    """The demo's digits come without numpy.random; drawing them with it is caught."""
    plant = (
        "import numpy as np\n"
        "from convviz.core import lessons\n"
        "lessons.make_input = lambda p, h, w, channels=1, seed=0: np.random.default_rng(\n"
        "    seed).integers(0, 10, (channels, h, w)).astype(np.float32)"
    )
    assert "numpy.random" in at_first_show(plant)["heavy"]


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
    seen = at_first_show(plant)
    assert seen["built"] == [True, True]  # one asked for: both made


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
