"""The CPU backends release the GIL and obey their Control (cells done, cancel)."""

import threading

import numpy as np
import pytest

from convviz import Cancelled, backends
from convviz.core.spec import prepare


@pytest.mark.parametrize("name", ["cpu", "cpu-parallel"])
def test_progress_reaches_every_cell(name):
    prep = prepare(np.ones((2, 30, 40), np.float32), np.ones((3, 2, 3, 3), np.float32), padding=1)
    ctrl = backends.new_control()
    backends.get(name).compute(prep, ctrl)
    if name == "cpu":
        assert ctrl.done == prep.spec.cells
    else:  # parallel updates may race: progress is approximate, never above the total
        assert 0 < ctrl.done <= prep.spec.cells


@pytest.mark.parametrize("name", ["cpu", "cpu-parallel"])
def test_runs_without_the_gil_and_cancels(name):
    be = backends.get(name)
    prep = prepare(np.ones((1500, 1500), np.float32), np.ones((15, 15), np.float32), padding="same")
    be.compile(prep)
    ctrl = backends.new_control()
    result = {}

    def work():
        try:
            result["out"] = be.compute(prep, ctrl)
        except Cancelled as exc:
            result["cancelled"] = exc

    t = threading.Thread(target=work)
    t.start()
    # This loop runs Python while the numba loop runs: only possible if it released the GIL.
    while ctrl.done == 0 and t.is_alive():
        pass
    seen = ctrl.done
    ctrl.cancel()
    t.join()
    assert 0 < seen < prep.spec.cells, "no partial progress was visible: GIL held?"
    assert "cancelled" in result and "out" not in result


def test_a_control_reports_a_result_that_is_not_finite():
    """conv2d's deferred check: the loops flag an overflow to inf in the third element."""
    x = np.full((6, 6), 3e38, np.float32)  # finite; nine of them sum past float32's max
    for name in ("cpu", "cpu-parallel"):
        ctrl = backends.new_control(nonfinite=True)
        backends.get(name).compute(prepare(x, np.ones((3, 3), np.float32)), ctrl)
        assert ctrl.nonfinite, name
        clean = backends.new_control(nonfinite=True)
        backends.get(name).compute(prepare(np.ones((6, 6), np.float32), np.ones((3, 3))), clean)
        assert not clean.nonfinite, name
