"""Stale numba cache files are dropped when any kernel source changes."""

from convviz.backends import jit_cache


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
    pkg, custom = tmp_path / "pkg", tmp_path / "custom"
    monkeypatch.setattr(jit_cache, "PACKAGE", pkg)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(custom))
    make_tree(pkg)
    mirror = custom / (pkg / "backends").resolve().relative_to((pkg / "backends").anchor)
    mirror.mkdir(parents=True)
    (mirror / "cpu.fn-1.py311.nbi").write_text("index")
    assert jit_cache.drop_stale() is True
    assert not (mirror / "cpu.fn-1.py311.nbi").exists()
