"""Switching the language or the theme leaves the lesson where it was: the step, the
view (one cell at a time, or all at once after a run) and every value on screen."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.gui import i18n

TIMEOUT_MS = 120_000  # the simulator runs every thread in Python


def _scene(window) -> dict:
    """What the lecturer sees of the lesson: step, view, the output's numbers."""
    m, view = window.model, window.lesson_view
    return {
        "pos": m.pos,
        "all_at_once": view.phase.shown,
        "input": m.lesson.x.copy(),
        "kernel": m.lesson.w.copy(),
        "output": [np.array(v.values, copy=True) for v in view.outputs.views],
        "playing": window.playback.playing,
    }


def _same(a: dict, b: dict) -> None:
    assert a["pos"] == b["pos"] and a["all_at_once"] == b["all_at_once"]
    assert a["playing"] == b["playing"]
    for key in ("input", "kernel"):
        assert np.array_equal(a[key], b[key])
    assert len(a["output"]) == len(b["output"])
    for x, y in zip(a["output"], b["output"]):
        np.testing.assert_array_equal(x, y)


def _run_then_step(window, qtbot, k: int) -> None:
    """Run in parallel (the output shows every cell at once), then step back to cell k."""
    with qtbot.waitSignal(window.runner.sigResult, timeout=TIMEOUT_MS):
        window.lanes.run_button.click()
    qtbot.waitUntil(lambda: window.lesson_view.phase.shown, timeout=TIMEOUT_MS)
    window.model.seek(k)
    assert not window.lesson_view.phase.shown  # stepping shows one cell at a time again


@pytest.fixture
def back_to_english():
    yield
    i18n.install("en")


def test_a_language_switch_keeps_the_step_after_a_run(window, qtbot, back_to_english):
    _run_then_step(window, qtbot, 5)
    before = _scene(window)
    window.lecture.set_language("zh_CN")
    _same(before, _scene(window))
    window.lecture.set_language("en")
    _same(before, _scene(window))


def test_a_language_switch_keeps_the_all_at_once_view(window, qtbot, back_to_english):
    with qtbot.waitSignal(window.runner.sigResult, timeout=TIMEOUT_MS):
        window.lanes.run_button.click()
    qtbot.waitUntil(lambda: window.lesson_view.phase.shown, timeout=TIMEOUT_MS)
    before = _scene(window)
    window.lecture.set_language("zh_CN")
    _same(before, _scene(window))


def test_a_theme_switch_keeps_the_step_after_a_run(window, qtbot):
    _run_then_step(window, qtbot, 3)
    before = _scene(window)
    for choice in ("dark", "light"):
        window.lecture.set_theme(choice)
        _same(before, _scene(window))


def test_the_scene_check_sees_a_flip_to_all_at_once(window, qtbot):
    """The comparison above is not blind: the flip the switch used to make is caught."""
    _run_then_step(window, qtbot, 5)
    before = _scene(window)
    window.runs._on_run_result(window.runs.last_result)  # what a switch used to redraw
    with pytest.raises(AssertionError):
        _same(before, _scene(window))
