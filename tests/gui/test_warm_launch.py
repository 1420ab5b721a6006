"""A warm launch (the kernels in numba's cache) says it loads them, never "Compiling
kernels… (first launch only)": the window decides from the cache before it speaks."""

from __future__ import annotations

import json

import pytest

from convviz.backends import jit_cache
from convviz.gui.lesson.runs import warm_up_backends

COMPILING = "Compiling kernels… (first launch only"
LOADING = "Loading the kernels from the cache…"


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """An empty numba cache and warm-up record of the test's own; compiling is instant
    and numba's counters say "loaded" (what a warm launch's warm-up finds)."""
    from convviz import backends
    from convviz.core.timing import CompileFacts

    folder = tmp_path / "numba"
    folder.mkdir()
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(folder))
    monkeypatch.setattr(jit_cache, "warm_record_path", lambda: tmp_path / "warm-up.json")
    for name in warm_up_backends():
        cls = type(backends.get(name))
        facts = CompileFacts(0.01, from_cache=True, what="3×3")
        monkeypatch.setattr(cls, "compile_facts", lambda self, prep, f=facts: f, raising=False)
    return folder


def _index(folder):
    """An index file as numba leaves one for a cached kernel."""
    f = folder / "convviz_rows" / "cpu.conv_parallel-1.py311.nbi"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(b"index")
    return f


def _launch(qtbot) -> list[str]:
    """Every status message of a launch, up to the kernels being ready."""
    from convviz.gui.app import create_window

    win = create_window()  # as the app makes it: with the warm-up
    qtbot.addWidget(win)
    said: list[str] = []
    win.statusBar().messageChanged.connect(said.append)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.runs.warm_up_result is not None, timeout=30_000)
        qtbot.waitUntil(lambda: any(m.startswith("Kernels ready") for m in said), timeout=30_000)
    finally:
        win.close()
    return [m for m in said if m]


def test_a_first_launch_says_it_compiles(qtbot, cache):
    said = _launch(qtbot)
    assert said[0].startswith(COMPILING)


def test_a_warm_launch_says_it_loads_and_never_compiling(qtbot, cache):
    _index(cache)
    jit_cache.record_warm_up(warm_up_backends(), from_cache=False)  # the first launch's
    said = _launch(qtbot)
    assert said[0] == LOADING
    assert not any("Compiling" in m for m in said), said
    assert said[-1].startswith("Kernels ready") and "(loaded from cache)" in said[-1]


def test_a_launch_records_what_it_left_for_the_next(qtbot, cache):
    _index(cache)
    assert not jit_cache.looks_warm(warm_up_backends())
    _launch(qtbot)
    assert jit_cache.looks_warm(warm_up_backends())
    assert _launch(qtbot)[0] == LOADING


@pytest.mark.parametrize("defect", ["index gone", "sources edited", "other backends", "garbled"])
def test_a_cache_that_will_not_load_is_not_called_warm(qtbot, cache, defect):
    """Each way the record can be stale makes the launch say it compiles."""
    index = _index(cache)
    names = warm_up_backends()
    jit_cache.record_warm_up(names, from_cache=True)
    assert jit_cache.looks_warm(names)  # as recorded, warm
    path = jit_cache.warm_record_path()
    record = json.loads(path.read_text())
    if defect == "index gone":
        index.unlink()
    elif defect == "sources edited":
        record["fingerprint"] = "0" * 64
    elif defect == "other backends":
        record["backends"] = ["cpu"]
    else:
        path.write_text("{not json")
    if defect in ("sources edited", "other backends"):
        path.write_text(json.dumps(record))
    assert not jit_cache.looks_warm(names)
    assert _launch(qtbot)[0].startswith(COMPILING)


def test_nothing_is_recorded_when_numba_could_not_tell(cache):
    _index(cache)
    jit_cache.record_warm_up(warm_up_backends(), from_cache=None)
    assert not jit_cache.warm_record_path().exists()


def test_a_cut_status_line_reads_whole_on_hover(window, qtbot):
    """Beside a long message the device line is shortened with "…" and reads whole on
    hover; the message itself is never cut."""
    window.resize(1100, 800)
    window.status.show(window.runs.warm_up_text(False))
    line = window.device_label.text() + " · parallel lane ran on: Numba CUDA simulator"
    window.device_label.setText(line)
    qtbot.waitUntil(lambda: window.device_label.shortened)
    assert window.device_label.shown_text().endswith("…")
    assert window.device_label.hover_text() == line
    note = window.status_note
    assert note.text().startswith(COMPILING)
    assert note.width() >= note.fontMetrics().horizontalAdvance(note.text())
