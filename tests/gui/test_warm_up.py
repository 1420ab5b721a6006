"""The kernels are compiled once the window is painted, in the worker (never on the GUI
thread), with a visible "compiling kernels…" state that gives way to the time it took."""

from __future__ import annotations

import threading

import pytest

from convviz import backends
from convviz.backends import jit_cache
from convviz.core.timing import CompileFacts
from convviz.gui.lesson.runs import warm_up_backends


@pytest.fixture
def held_compile(monkeypatch, tmp_path):
    """Every backend's compile() records its thread and waits for ``release``; the
    warm-up's record of the cache is the test's own (a first launch)."""
    monkeypatch.setattr(jit_cache, "warm_record_path", lambda: tmp_path / "warm-up.json")
    calls: list[tuple[str, int]] = []
    release = threading.Event()

    def compile_facts(self, prep):
        calls.append((self.name, threading.get_ident()))
        release.wait(30)
        return CompileFacts(0.01, from_cache=True, what="3×3")  # as numba's counters say

    def compile_(self, prep):
        return compile_facts(self, prep).seconds

    for name in warm_up_backends():
        monkeypatch.setattr(type(backends.get(name)), "compile", compile_)
        monkeypatch.setattr(type(backends.get(name)), "compile_facts", compile_facts, raising=False)
        monkeypatch.setattr(
            type(backends.get(name)), "needs_compile", lambda s, p: "", raising=False
        )
    yield calls, release
    release.set()  # never leave the worker waiting


def _window(qtbot):
    from convviz.gui.app import create_window

    win = create_window()  # as the app makes it: with the warm-up
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_warm_up_compiles_in_the_worker_and_says_so(qtbot, held_compile):
    calls, release = held_compile
    win = _window(qtbot)
    try:
        compiling = "Compiling kernels… (first launch only"
        # started after the window is painted, from the event loop
        qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith(compiling))
        assert win.lanes.note.text().startswith(compiling)
        assert win.status_note.isVisibleTo(win) and win.status_note.text().startswith(compiling)
        assert win.lanes.progress.isVisibleTo(win)
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=30_000)
        release.set()
        qtbot.waitUntil(lambda: win.runs.warm_up_result is not None, timeout=30_000)
        assert [name for name, _ in calls] == list(warm_up_backends())
        gui_thread = threading.get_ident()
        assert all(ident != gui_thread for _, ident in calls)
        message = win.statusBar().currentMessage()
        assert message.startswith("Kernels ready in ") and "(loaded from cache)" in message
        assert win.lanes.note.text() == message == win.status_note.text()
        assert not win.lanes.progress.isVisibleTo(win) and not win.runner.busy
    finally:
        release.set()
        win.close()


def test_a_run_waits_behind_the_warm_up(qtbot, held_compile):
    calls, release = held_compile
    win = _window(qtbot)
    try:
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=30_000)
        win.run_parallel()  # pressed while the kernels compile: queued, not cancelled
        assert win.runner.warming_up
        assert "the run starts when they are ready" in win.lanes.note.text()
        release.set()
        qtbot.waitUntil(lambda: win.runs.last_result is not None, timeout=60_000)
        assert win.runs.warm_up_result is not None
        # the warm-up compiled every kernel before the run began (the run then asks again)
        n = len(warm_up_backends())
        assert [name for name, _ in calls[:n]] == list(warm_up_backends())
        assert set(win.runs.last_result.lanes) == {"cpu", "cuda"}
    finally:
        release.set()
        win.close()


def test_closing_during_the_warm_up_stops_it(qtbot, held_compile):
    calls, release = held_compile
    win = _window(qtbot)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=30_000)
    release.set()
    win.close()  # waits for the kernel being compiled; compiles no further one
    assert not win.runner.busy


def test_the_tests_window_does_not_warm_up(window, qtbot):
    assert not window.runs.warm_up_wanted and not window.runner.busy


def test_a_run_that_compiles_says_so(window, qtbot, monkeypatch):
    """Never a silent "0 / N cells": while a run's kernel compiles, the lanes say what."""
    release = threading.Event()
    cls = type(backends.get("cpu"))
    compiled: list[str] = []

    def compile_facts(self, prep):
        release.wait(30)
        compiled.append(self.name)
        return CompileFacts(0.5, from_cache=False, what="3×3")

    monkeypatch.setattr(cls, "needs_compile", lambda self, prep: "" if compiled else "3×3")
    monkeypatch.setattr(cls, "compile_facts", compile_facts)
    try:
        window.run_parallel()
        qtbot.waitUntil(
            lambda: window.lanes.note.text().startswith("compiling the CPU kernels for 3×3…"),
            timeout=30_000,
        )
        assert window.lanes.note.text().endswith(" s")
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.runs.last_result is not None, timeout=60_000)
    assert set(compiled) == {"cpu"}  # compiled first, then asked again by the run


def test_a_gpu_compile_says_so_too(window, qtbot, monkeypatch):
    """A GPU backend that compiles for this problem says so, as the CPU's do (a CUDA
    compile can take seconds: never "0 / N cells" meanwhile)."""
    release = threading.Event()
    cls = type(backends.get("cuda"))
    compiled: list[str] = []

    def compile_facts(self, prep):
        release.wait(30)
        compiled.append(self.name)
        return CompileFacts(2.0, from_cache=False, what="3×3")

    monkeypatch.setattr(cls, "needs_compile", lambda self, prep: "" if compiled else "3×3")
    monkeypatch.setattr(cls, "compile_facts", compile_facts)
    try:
        window.run_parallel()
        qtbot.waitUntil(
            lambda: window.lanes.note.text().startswith("compiling the CUDA kernel for 3×3…"),
            timeout=30_000,
        )
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.runs.last_result is not None, timeout=60_000)
    assert compiled == ["cuda"]
    par = window.runs.last_result.lanes["cuda"]
    assert par.compiled is not None and par.compiled.seconds == 2.0  # reported, apart
