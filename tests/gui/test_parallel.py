"""The parallel phase: the cuda backend (Numba's simulator here) beside the CPU loop."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.launch import thread_of
from convviz.gui.widgets.error_text import error_text

TIMEOUT_MS = 120_000  # the simulator runs every thread in Python


def _run(window, qtbot):
    with qtbot.waitSignal(window.runner.sigResult, timeout=TIMEOUT_MS) as blocker:
        window.lanes.run_button.click()
    return blocker.args[0]


def test_parallel_run_equals_the_sequential_one(window, qtbot):
    window.keys.step(1)
    result = _run(window, qtbot)
    seq, par = result.lanes["cpu"], result.lanes["cuda"]
    if par.error:
        pytest.skip(f"cuda backend unavailable here: {par.error}")
    np.testing.assert_array_equal(par.out, seq.out)
    np.testing.assert_array_equal(par.out, window.model.stepper.full_output())
    assert "identical" in window.lanes.verdict.text()
    ov = window.lesson_view.output_view
    np.testing.assert_array_equal(ov.values, par.out[0])  # every cell at once
    assert len(window.lesson_view.output_view.tints.boxes) == par.out[0].size
    rec = par.record
    facts = window.lanes.parallel.facts.text()
    assert "median of" in facts and f"{rec.threads} threads" in facts
    if par.simulated:
        assert "simulator" in facts and "Not a GPU time" in facts
        assert "simulator" in window.device_label.text()
    assert "compile" in window.lanes.sequential.facts.text()
    # hovering a cell names the thread that computed it
    ov.sigCellHovered.emit(2, 5)
    bidx, tidx = thread_of(0, 2, 5, block=rec.block[:2])
    text = window.lesson_view.formula.text()
    assert f"blockIdx ({','.join(map(str, bidx))})" in text
    assert f"threadIdx ({','.join(map(str, tidx))})" in text
    # the lesson launches small blocks so that its 8×8 output spans several of them
    assert rec.block == (4, 4, 1) and rec.grid == (2, 2, 1)
    assert "grid 2×2×1 × block 4×4×1" in text
    # stepping again returns to the sequential picture
    window.keys.step(1)
    assert window.lesson_view.phase.parallel is None and not ov.tints.boxes


def test_changing_the_lesson_drops_a_stale_result(window, qtbot):
    with qtbot.waitSignal(window.runner.sigBusyChanged, timeout=TIMEOUT_MS):
        window.run_parallel()
    with qtbot.waitSignal(
        window.runner.sigBusyChanged, check_params_cb=lambda b: not b, timeout=TIMEOUT_MS
    ):
        window.controls.stride.setValue(2)
    assert window.runs.last_result is None
    assert "lesson changed" in window.lanes.note.text() or "cancelled" in window.lanes.note.text()
    assert window.lesson_view.phase.parallel is None


def test_cancel_stops_the_run(window, qtbot):
    window.run_parallel()
    assert window.lanes.cancel_button.isVisible()
    with qtbot.waitSignal(window.runner.sigCancelled, timeout=TIMEOUT_MS):
        window.lanes.cancel_button.click()
    assert window.runs.last_result is None and not window.runner.busy
    assert not window.lanes.progress.isVisible()


def test_a_refusing_simulator_is_reported_in_its_lane(window, qtbot, monkeypatch):
    from convviz import backends

    cuda = backends.get("cuda")
    if not (cuda.available and cuda.simulated):
        pytest.skip("only the simulator has a size limit")
    monkeypatch.setattr("convviz.backends.cuda.SIM_MAX_MACS", 10)
    result = _run(window, qtbot)
    assert "simulator" in error_text(result.lanes["cuda"].error)
    assert "did not run" in window.lanes.parallel.facts.text()
    assert result.lanes["cpu"].out is not None
    assert window.lesson_view.phase.parallel is None
