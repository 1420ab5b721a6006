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
HEAVY = ("numba", "llvmlite", "scipy", "cv2", "PIL")
#: the project's own modules that the first paint does not need: the race's model, a
#: deck's reader and writer, the image files' readers (File → Open a bundled sample
#: lists the samples when it opens)
DEFERRED = (
    "convviz.core.race",
    "convviz.core.deck",
    "convviz.core.deck_write",
    "convviz.core.images",
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
