"""The engine: one way to run a backend (fallback, compile apart and said, rounds on a
stubbed clock, the same code on 1 and N threads), and the declared backend contract."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

from convviz import backends, engine
from convviz.backends.base import Backend
from convviz.core.reference import conv2d_reference
from convviz.core.spec import prepare
from convviz.errors import ConvvizError

PACKAGE = Path(__file__).resolve().parents[2] / "convviz"


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


class FakeParallel(Backend):
    """A parallel CPU backend whose runs take ``seconds / threads`` on a stub clock, and
    a compile that says what it is doing while it happens."""

    name = "fake-parallel"
    label = "fake"
    parallel = True
    compiles = True

    def __init__(self, clock: Clock, seconds: float = 1e-3, compile_s: float = 0.5) -> None:
        self.clock, self.seconds, self.compile_s = clock, seconds, compile_s
        self.ran: list[int] = []
        self.ctrl_during_compile = ""
        self.control = None

    def _device(self) -> str:
        return f"fake CPU, {self.threads} threads"

    @property
    def threads(self) -> int:
        return self._threads or 4

    def with_threads(self, threads: int) -> FakeParallel:
        twin = self._twin()
        assert isinstance(twin, FakeParallel)
        twin._threads = threads
        return twin

    def compile(self, prep):
        self.clock.now += int(self.compile_s * 1e9)  # never inside a run's time
        return self.compile_s

    def _run_once(self, prep, ctrl):
        self.ran.append(self.threads)
        self.clock.now += int(self.seconds / self.threads * 1e9)
        return conv2d_reference(prep).astype(np.float32), None


@pytest.fixture
def fake(monkeypatch):
    clock = Clock()
    be = FakeParallel(clock)
    monkeypatch.setitem(backends._REGISTRY, be.name, ("", ""))
    monkeypatch.setitem(backends._instances, be.name, be)
    return be, clock


def _prep(side: int = 6):
    x = np.arange(side * side, dtype=np.float32).reshape(side, side)
    return prepare(x, np.ones((3, 3), np.float32))


def test_the_same_code_on_one_thread_and_on_all_in_interleaved_rounds(fake):
    be, clock = fake
    ctrl = backends.new_control()
    lane = engine.run(engine.Request(_prep(), be.name, repeats=4, threads=(1, 4)), ctrl, clock)
    assert set(lane.by_threads) == {1, 4} and lane.record is lane.by_threads[4]
    assert lane.one_core is lane.by_threads[1]
    assert lane.by_threads[1].device == "fake CPU, 1 threads"  # each twin names its threads
    # one warm-up each, then rounds that alternate the two counts (never two in a row)
    timed = be.ran[2:]
    assert len(timed) >= 8 and all(a != b for a, b in zip(timed[::2], timed[1::2]))
    assert lane.by_threads[1].total.median == pytest.approx(1e-3)
    assert lane.record.total.median == pytest.approx(0.25e-3)
    assert lane.cores_speedup == pytest.approx(4.0)
    # compiled apart: the 0.5 s compile is reported, and in no run's time
    assert lane.compiled.seconds == 0.5 and lane.record.total.max < 0.01
    np.testing.assert_array_equal(lane.out, conv2d_reference(_prep()))


def test_a_compile_is_said_while_it_happens_for_the_gpu_too(fake, monkeypatch):
    be, clock = fake
    ctrl = backends.new_control()
    seen = []
    monkeypatch.setattr(type(be), "kind", "gpu")
    monkeypatch.setattr(
        type(be),
        "compile",
        lambda self, prep: seen.append((ctrl.compiling, ctrl.compiling_kind)) or 0.5,
    )
    assert be.needs_compile(_prep()) == "3×3"
    lane = engine.run(engine.Request(_prep(), be.name, repeats=2), ctrl, clock)
    # said while it compiled (the run's own compile call after it finds it done)
    assert seen[0] == ("3×3", "gpu") and ctrl.compiling == ""
    assert be.needs_compile(_prep()) == ""  # compiled once in this process
    assert lane.compiled.what == "3×3" and lane.kind == "gpu"


def test_an_untimed_run_has_no_record(fake):
    be, clock = fake
    lane = engine.run(engine.Request(_prep(), be.name, repeats=0), clock=clock)
    assert lane.record is None and lane.by_threads == {} and be.ran == [4]
    np.testing.assert_array_equal(lane.out, conv2d_reference(_prep()))


def test_a_refusal_runs_the_stand_in_and_keeps_the_reason():
    cuda = backends.get("cuda")
    if not cuda.simulated:
        pytest.skip("needs the simulator's size limit")
    big = _prep(200)
    lane = engine.run(engine.Request(big, "cuda", repeats=1, fallback="cpu-parallel"))
    assert (lane.backend, lane.requested, lane.requested_simulated) == (
        "cpu-parallel",
        "cuda",
        True,
    )
    assert "simulator" in str(lane.fallback)
    np.testing.assert_allclose(lane.out, conv2d_reference(big), rtol=1e-5, atol=1e-3)
    with pytest.raises(ConvvizError, match="simulator"):
        engine.run(engine.Request(big, "cuda", repeats=1))


def test_the_parallel_cpu_backend_takes_its_threads_through_the_contract():
    par = backends.get("cpu-parallel")
    one = par.with_threads(1)
    assert one.threads == 1 and one.device.endswith(", 1 thread")
    assert par.device != one.device  # the registry's instance is left unchanged
    with pytest.raises(ConvvizError, match="threads must be"):
        par.with_threads(10_000)
    prep = _prep(40)
    np.testing.assert_array_equal(one.compute(prep), par.compute(prep))
    # the contract's defaults: one thread, no block, for a backend without them
    seq = backends.get("cpu")
    assert seq.threads == 1 and seq.with_threads(4) is seq and seq.with_block((4, 4)) is seq


def _calls_outside_backends(name: str) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "backends" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == name:
                target = ast.unparse(node.args[0]) if node.args else ""
                if target.split(".")[-1] == "be" or "backend" in target.lower():
                    found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_caller_probes_a_backend():
    """Every capability is declared on Backend: no hasattr/getattr on a backend outside
    its own package."""
    assert _calls_outside_backends("hasattr") == []
    assert _calls_outside_backends("getattr") == []


def test_the_probe_check_sees_a_planted_probe(tmp_path, monkeypatch):
    planted = tmp_path / "convviz" / "gui"
    planted.mkdir(parents=True)
    (planted / "x.py").write_text("def f(be):\n    return hasattr(be, 'with_block')\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "convviz")
    assert _calls_outside_backends("hasattr") == ["x.py:2 hasattr(be, 'with_block')"]


def _imports_numba(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "numba" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "numba":
            return True
    return False


def test_no_gui_module_imports_numba(tmp_path):
    """Threads are set through the backend contract, never by the window."""
    gui = [p for p in (PACKAGE / "gui").rglob("*.py") if _imports_numba(p)]
    assert gui == []
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    import numba\n    numba.set_num_threads(1)\n")
    assert _imports_numba(planted)
