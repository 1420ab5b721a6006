"""The cache folder: CONVVIZ_CACHE_DIR, else platformdirs, else the same conventions
without it; and the engine's layers import where neither PySide6 nor platformdirs is
installed (a GPU machine's own Python)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from convviz.core import paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_platformdirs(monkeypatch):
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # import raises ImportError
    monkeypatch.delenv("CONVVIZ_CACHE_DIR", raising=False)


def test_without_platformdirs_the_cache_is_under_the_users_cache(no_platformdirs, monkeypatch):
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert paths.cache_dir() == Path.home() / ".cache" / "convviz"


def test_without_platformdirs_xdg_cache_home_is_followed(no_platformdirs, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert paths.fallback_cache_dir("linux") == tmp_path / "convviz"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # the XDG spec: ignore, as platformdirs
    assert paths.fallback_cache_dir("linux") == Path.home() / ".cache" / "convviz"


def test_the_fallback_knows_macos_and_windows(monkeypatch, tmp_path):
    assert paths.fallback_cache_dir("darwin") == Path.home() / "Library" / "Caches" / "convviz"
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert paths.fallback_cache_dir("win32") == tmp_path / "convviz" / "Cache"


def test_the_override_wins_without_platformdirs(no_platformdirs, monkeypatch, tmp_path):
    monkeypatch.setenv("CONVVIZ_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"


def test_the_fallback_agrees_with_platformdirs_here(monkeypatch):
    platformdirs = pytest.importorskip("platformdirs")
    monkeypatch.delenv("CONVVIZ_CACHE_DIR", raising=False)
    assert paths.fallback_cache_dir() == Path(
        platformdirs.user_cache_dir("convviz", appauthor=False)
    )


#: hides PySide6, pyqtgraph and platformdirs as if they were not installed, then uses
#: the engine's layers: the CUDA backend on the simulator included
WITHOUT = """
import sys
from importlib.abc import MetaPathFinder

class NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "platformdirs"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, NotInstalled())
import numpy as np
import convviz.core, convviz.backends
from convviz.core import paths
x, w = np.arange(30, dtype=np.float32).reshape(5, 6), np.ones((3, 3), np.float32)
import convviz
got = convviz.conv2d(x, w, backend="cuda")
print("SUM", float(got[0, 0]), "CACHE", paths.cache_dir())
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "platformdirs")))
"""


def test_the_engine_runs_without_pyside6_and_platformdirs(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), CONVVIZ_DEVICE="sim", HOME=str(tmp_path))
    for name in ("CONVVIZ_CACHE_DIR", "NUMBA_CACHE_DIR", "XDG_CACHE_HOME"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT], capture_output=True, text=True, env=env, timeout=240
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    window = sum(range(0, 3)) + sum(range(6, 9)) + sum(range(12, 15))  # the first 3×3 window
    assert f"SUM {float(window)}" in proc.stdout
    assert f"CACHE {tmp_path / '.cache' / 'convviz'}" in proc.stdout
    assert "LOADED []" in proc.stdout
