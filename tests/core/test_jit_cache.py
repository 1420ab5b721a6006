"""Stale numba cache files are dropped when any kernel source changes; numba's cache and
every file convviz writes at run time go to the user's cache folder, never the package."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import convviz
from convviz.backends import jit_cache
from convviz.core import paths


@pytest.fixture(autouse=True)
def _user_cache(tmp_path, monkeypatch):
    """The user's cache folder is a temporary one in these tests."""
    monkeypatch.setenv("CONVVIZ_CACHE_DIR", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


def make_tree(root):
    for rel in jit_cache.SOURCES:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"# {rel}\n")
        cache = p.parent / "__pycache__"
        cache.mkdir(exist_ok=True)
        (cache / f"{p.stem}.fn-10.py311.nbi").write_text("index")
        (cache / f"{p.stem}.fn-10.py311.1.nbc").write_text("code")
        (cache / f"{p.stem}.cpython-311.pyc").write_text("bytecode")


def cached(root):
    return sorted(f.name for f in root.rglob("*.nb[ic]"))


def test_drops_cache_once_then_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(jit_cache, "PACKAGE", tmp_path)
    make_tree(tmp_path)
    assert jit_cache.drop_stale() is True
    assert cached(tmp_path) == []
    assert len(list(tmp_path.rglob("*.pyc"))) == 3  # only numba's files go
    make_tree(tmp_path)  # numba writes its cache again; sources unchanged
    assert jit_cache.drop_stale() is False
    assert len(cached(tmp_path)) == 6


def test_editing_a_callee_invalidates_its_callers(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(jit_cache, "PACKAGE", tmp_path)
    make_tree(tmp_path)
    jit_cache.drop_stale()
    make_tree(tmp_path)
    (tmp_path / "backends" / "cpu_rows.py").write_text("# edited\n")
    assert jit_cache.drop_stale() is True
    assert cached(tmp_path) == []  # cpu.py's cached functions went too


def test_numba_cache_dir_is_cleaned(tmp_path, monkeypatch):
    from numba.core.caching import _CacheLocator

    pkg, custom = tmp_path / "pkg", tmp_path / "custom"
    monkeypatch.setattr(jit_cache, "PACKAGE", pkg)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(custom))
    make_tree(pkg)
    # where numba itself puts the cache of a function defined in pkg/backends/cpu.py
    mirror = custom / _CacheLocator.get_suitable_cache_subpath(str(pkg / "backends" / "cpu.py"))
    mirror.mkdir(parents=True)
    (mirror / "cpu.fn-1.py311.nbi").write_text("index")
    assert jit_cache.drop_stale() is True
    assert not (mirror / "cpu.fn-1.py311.nbi").exists()
    assert not paths.is_inside(jit_cache.stamp_path(), pkg)
    assert jit_cache.stamp_path().is_file()
    assert jit_cache.drop_stale() is False


def test_the_stamp_never_goes_into_the_package(tmp_path, monkeypatch, _user_cache):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)  # numba's default: beside the source
    monkeypatch.setattr(jit_cache, "PACKAGE", tmp_path / "pkg")
    make_tree(tmp_path / "pkg")
    jit_cache.drop_stale()
    assert jit_cache.stamp_path() == _user_cache / jit_cache.STAMP
    assert jit_cache.stamp_path().is_file()
    assert not list((tmp_path / "pkg").rglob(jit_cache.STAMP))


def test_cache_dir_follows_the_platform_and_the_override(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("CONVVIZ_CACHE_DIR")
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir("convviz", appauthor=False))
    package = Path(convviz.__file__).parent
    assert not paths.is_inside(paths.cache_dir(), package)
    monkeypatch.setenv("CONVVIZ_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"
    assert paths.numba_cache_dir() == Path(os.environ["NUMBA_CACHE_DIR"])


INSTALLED_RUN = """
import os, sys
import numpy as np
import convviz
from convviz.backends import cpu
out = convviz.conv2d(np.ones((6, 7), np.float32), np.ones((3, 3), np.float32), backend="cpu")
assert out.shape == (4, 5) and float(out[0, 0]) == 9.0
import numba
print(convviz.__file__)
print(os.environ["NUMBA_CACHE_DIR"])
print(numba.config.CACHE_DIR)
"""


def test_an_installed_copy_writes_nothing_into_itself(tmp_path):
    """A copy of the package run as installed (no NUMBA_CACHE_DIR set): numba's cache and
    the fingerprint land in the user's cache folder, the package stays byte for byte as
    it was, so a read-only or system install works and uninstalls clean."""
    site = tmp_path / "site"
    shutil.copytree(
        Path(convviz.__file__).parent,
        site / "convviz",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc"),
    )
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    cache = tmp_path / "user-cache"
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PYTHONPATH")}
    env.update(PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1", CONVVIZ_CACHE_DIR=str(cache))
    proc = subprocess.run(
        [sys.executable, "-c", INSTALLED_RUN],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    where, env_dir, numba_dir = proc.stdout.split()
    assert Path(where).parent == site / "convviz"  # the copy ran, not the checkout
    assert env_dir == numba_dir == str(cache / "numba")
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert list(cache.rglob("*.nbi")) and list(cache.rglob(jit_cache.STAMP))


def test_without_a_writable_cache_numba_caches_in_the_temp_dir(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("CONVVIZ_CACHE_DIR", str(tmp_path / "a-file" / "cache"))  # cannot exist
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    folder = paths.use_user_cache()
    assert paths.is_inside(folder, Path(tempfile.gettempdir())) and folder.is_dir()
    assert os.environ["NUMBA_CACHE_DIR"] == str(folder)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))  # the user's own is kept
    assert paths.use_user_cache() == tmp_path / "mine"
