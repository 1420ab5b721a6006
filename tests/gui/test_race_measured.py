"""The race tells only what was measured: the one-core and all-cores lines time the same
loop on 1 and on N threads (through the engine, on a stubbed clock), a speed-up is shown
only beyond the spread, a lane showing a measured time is placed by it, and a size's
figures stay for the session until "Measure again"."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from convviz import backends, engine
from convviz.backends.cpu import CpuParallelBackend
from convviz.gui.lesson.model import LessonModel
from convviz.gui.race.view import RaceView
from convviz.gui.widgets.compute_worker import RunRequest, RunResult

CORES = 2


class StubClock:
    """A clock in nanoseconds that moves only when a stubbed run "takes" time."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


class StubRunner(QObject):
    """The window's compute runner, run at once through the engine on a stubbed clock."""

    sigResult = Signal(object)
    sigBusyChanged = Signal(bool)

    def __init__(self, clock: StubClock) -> None:
        super().__init__()
        self.clock = clock
        self.busy = False
        self.requests: list[RunRequest] = []
        self._ids = iter(range(1, 10_000))

    def submit(self, prep, names, repeats=5, warmup=1, block=None, one_core=(), **_):
        req = RunRequest(next(self._ids), prep, tuple(names), repeats, warmup, block)
        self.requests.append(req)
        result = RunResult(req)
        for name in names:
            threads = (1, CORES) if name in one_core else ()
            lane = engine.run(
                engine.Request(prep, name, repeats, warmup, threads=threads), clock=self.clock
            )
            result.lanes[name] = lane
        QTimer.singleShot(0, lambda: self.sigResult.emit(result))
        return req.id


def stub_runs(monkeypatch, clock: StubClock, seconds) -> list[int]:
    """cpu-parallel's runs take ``seconds(threads, cells)`` on ``clock`` (and compute
    nothing); returns the thread counts in the order they ran."""
    order: list[int] = []

    def run_once(self, prep, ctrl=None):
        order.append(self.threads)
        clock.now += int(seconds(self.threads, prep.spec.cells) * 1e9)
        return np.zeros(prep.spec.out_shape, np.float32)

    monkeypatch.setattr(CpuParallelBackend, "run_once", run_once)
    monkeypatch.setattr(CpuParallelBackend, "threads", property(lambda s: s._threads or CORES))
    monkeypatch.setattr(CpuParallelBackend, "_device", lambda s: f"CPU, {s.threads} threads")
    return order


@pytest.fixture
def race(qtbot):
    clock = StubClock()
    runner = StubRunner(clock)
    view = RaceView(LessonModel(), runner)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.clock.duration_s = 0.2
    yield view, runner, clock
    view.set_active(False)


def _measure(qtbot, view, side) -> None:
    view.set_active(True)
    view.set_side(side)
    qtbot.waitUntil(lambda: not view.measuring and bool(view.measured), timeout=10_000)
    with qtbot.waitSignal(view.clock.sigFinished, timeout=10_000):
        view.clock.restart()


def _speedup_shown(text: str) -> float | None:
    m = re.search(r"×([\d.]+) from the cores", text)
    return float(m.group(1)) if m else None


def test_at_512_the_speedup_is_the_cores_and_the_same_loop(race, qtbot, monkeypatch):
    view, runner, clock = race
    # the same loop: N threads take 1/N of the time, give or take 3 % from run to run
    jitter = iter(np.random.default_rng(0).uniform(0.97, 1.03, 10_000))
    order = stub_runs(monkeypatch, clock, lambda n, cells: 2e-9 * cells / n * next(jitter))
    _measure(qtbot, view, 512)
    par = view.measured["cpu-parallel"]
    assert set(par.by_threads) == {1, CORES}  # one backend, two thread counts
    assert {r.backend for r in par.by_threads.values()} == {"cpu-parallel"}
    # interleaved rounds: the thread counts alternate after the warm-up
    timed = order[2:]
    assert all(a != b for a, b in zip(timed[: 2 * 4 : 2], timed[1 : 2 * 4 : 2]))
    shown = _speedup_shown(view.lanes["cores"].facts.text())
    spread = par.one_core.total.spread + par.record.total.spread
    assert shown is not None and shown <= CORES * (1 + spread)
    assert "first measured" in view.lanes["cores"].status.text()
    assert "second measured" in view.lanes["one"].status.text()
    assert "level" not in view.lanes["cores"].status.text()
    assert "in ticks" in view.lanes["gpu"].status.text()  # a model, and it says so


def test_no_lane_is_first_against_its_own_measured_time(race, qtbot, monkeypatch):
    """At 16×16 waking the threads costs more than the work: the cores lane, faster in
    ticks, is slower measured, and is not called first."""
    view, runner, clock = race
    stub_runs(monkeypatch, clock, lambda n, cells: 2e-6 + (4e-3 if n > 1 else 0.0))
    _measure(qtbot, view, 16)
    assert view.race.lane("cores").total < view.race.lane("one").total  # the model
    cores, one = view.lanes["cores"], view.lanes["one"]
    assert "first" not in cores.status.text() and "second measured" in cores.status.text()
    assert "first measured" in one.status.text()
    assert _speedup_shown(cores.facts.text()) is None
    assert "slower on 2 cores" in cores.facts.text()


def test_a_difference_within_the_spread_is_no_speedup(race, qtbot, monkeypatch):
    view, runner, clock = race
    noise = iter(np.tile([0.7, 1.3], 10_000))  # ±30 % from run to run, the same medians
    stub_runs(monkeypatch, clock, lambda n, cells: 1e-3 * next(noise))
    _measure(qtbot, view, 64)
    cores = view.lanes["cores"].facts.text()
    assert _speedup_shown(cores) is None and "no difference larger than the spread" in cores
    # level within the spread: both share the first place, and say so
    assert "first measured" in view.lanes["one"].status.text()
    assert "first measured, level within the spread" in view.lanes["cores"].status.text()


def test_a_size_keeps_its_figures_until_measured_again(race, qtbot, monkeypatch):
    view, runner, clock = race
    speed = {"n": 1.0}
    stub_runs(monkeypatch, clock, lambda n, cells: 1e-3 / n * speed["n"])
    _measure(qtbot, view, 128)
    first = view.lanes["cores"].facts.text()
    asked = len(runner.requests)
    speed["n"] = 3.0  # the machine got busier: a new measurement would differ
    view.set_side(256)
    qtbot.waitUntil(lambda: not view.measuring and bool(view.measured), timeout=10_000)
    view.set_side(128)
    assert view.lanes["cores"].facts.text() == first  # the same figure, not re-measured
    assert len(runner.requests) == asked + 1  # only 256 was measured
    view.measure_button.click()
    qtbot.waitUntil(lambda: not view.measuring and bool(view.measured), timeout=10_000)
    assert view.lanes["cores"].facts.text() != first


def test_one_lesson_block():
    """The lesson's CUDA block has one definition, which the lesson's runs use."""
    import ast
    from pathlib import Path

    import convviz

    defined = []
    for path in Path(convviz.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(getattr(t, "id", "") == "LESSON_BLOCK" for t in targets):
                defined.append(path.name)
    assert defined == ["race.py"]
    runs_source = (Path(convviz.__file__).parent / "gui" / "lesson" / "runs.py").read_text()
    assert "from convviz.core.race import LESSON_BLOCK" in runs_source
    assert backends.get("cpu-parallel").parallel and not backends.get("cpu").parallel
