"""scripts/startup_time.py: every window it times reports its first paint before it
exits, and a launch that never does is refused rather than counted as a fast one."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "startup_time.py"


def _module():
    spec = importlib.util.spec_from_file_location("startup_time", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), e.get("PYTHONPATH", "")]))
    return e


@pytest.mark.parametrize("which", ["BARE", "BARE_PAUSED", "CONVVIZ"])
def test_each_window_reports_its_paint_before_it_exits(env, which):
    mod = _module()
    wall, cpu, shown = mod.launch_cpu(getattr(mod, which), env, window=True)
    assert 0 < shown < wall and cpu > 0


@pytest.mark.parametrize("planted", [False, True])
def test_convviz_is_timed_through_the_apps_own_launch(env, planted):
    """The child launches convviz as `convviz` does (cli.open_app): when the app's main
    runs, the garbage collector is paused, as only that launch pauses it; with the pause
    planted away, the child shows it."""
    mod = _module()
    probe = (
        "import gc, convviz.gui.app as a\n"
        "main = a.main\n"
        "def spy(argv=None, painted=None):\n"
        "    print('COLLECTING', gc.isenabled(), flush=True)\n"
        "    return main(argv, painted=painted)\n"
        "a.main = spy\n"
    )
    if planted:
        probe += "from convviz import collector\ncollector.pause = lambda: None\n"
    out = subprocess.run(
        [sys.executable, "-c", probe + mod.CONVVIZ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert f"COLLECTING {planted}" in out.stdout and "PAINTED " in out.stdout


def test_a_window_never_painted_is_refused_not_counted(env):
    """A planted window that quits before its first paint, or never paints, is an error
    (before, it counted as painted at 0 s: the median of a fast nothing)."""
    mod = _module()
    quits = "from convviz.gui import later\nlater.LaterParts.eventFilter = lambda *a: False\n"
    quits += "from PySide6.QtCore import QTimer\nfrom PySide6 import QtWidgets\n"
    quits += "from convviz.gui import app\n"
    quits += "make = app.create_window\n"
    quits += "def early(*a, **k):\n"
    quits += "    w = make(*a, **k)\n"
    quits += "    QTimer.singleShot(0, QtWidgets.QApplication.quit)\n"
    quits += "    return w\n"
    quits += "app.create_window = early\n"
    with pytest.raises(mod.NotPainted, match="without reporting its first paint"):
        mod.launch_cpu(quits + mod.CONVVIZ, env, window=True)
    never = "from convviz.gui import later\nlater.LaterParts.eventFilter = lambda *a: False\n"
    with pytest.raises(mod.NotPainted, match="did not end within"):
        mod.launch_cpu(never + mod.CONVVIZ, env, window=True, timeout=8)
