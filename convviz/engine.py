"""One way to run a backend, for every front-end: a request in, a :class:`LaneResult` out.

The lesson's and image mode's lanes, the race, ``convviz run``, ``convviz bench`` and
:func:`convviz.conv2d` all run a backend through :func:`run`, so each tells the same
story about it:

- **availability and fallback**: a backend that is not available, or that refuses the
  problem (the simulator's size limit, the GPU's memory), runs its stand-in when the
  request names one, and the result keeps the reason (``fallback``);
- **compile apart**: what the backend compiles for this problem (CPU and GPU alike) is
  compiled before any clock starts, said while it happens (``Control.compiling``), and
  reported as :class:`~convviz.core.timing.CompileFacts`, never inside a run's time;
- **warm-up, then repeats**: median, min, max and the spread of the runs;
- **the cores' share**: for a parallel backend asked ``threads=(1, N)``, the *same code*
  on one thread and on N, timed in interleaved rounds (a Williams design, so that
  whatever else the machine does falls on both alike), each with its spread;
- ``repeats=0`` is one untimed run, with no rounds and no record: conv2d's fast path.

Qt-free; it sits above core and backends and below every front-end.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from convviz import backends
from convviz.backends.base import Backend, Control, Kind, new_control
from convviz.core.launch import Launch
from convviz.core.reasons import Reason
from convviz.core.spec import Prepared
from convviz.core.timing import (
    Clock,
    CompileFacts,
    Contender,
    Stats,
    TimingRecord,
    speedup,
    time_side_by_side,
)
from convviz.errors import Cancelled, ConvvizError

#: interleaved rounds of the cores' share: stop at this spread, or after this long
ROUNDS_TARGET = 0.05
ROUNDS_BUDGET_S = 1.0
ROUNDS_MAX = 60


@dataclass(frozen=True)
class Request:
    """What to run: ``backend`` on ``prep``, and how to time it."""

    prep: Prepared
    backend: str
    #: timed runs after ``warmup`` untimed ones; 0: one untimed run and no record
    repeats: int = 5
    warmup: int = 1
    #: the stand-in run when ``backend`` is not available or refuses the problem
    fallback: str = ""
    #: the CUDA block (bx, by) or (bx, by, rows per thread), for GPU backends
    block: tuple[int, ...] | None = None
    #: a parallel backend on each of these thread counts, in interleaved rounds, e.g.
    #: (1, N): the same code on one core and on all (other backends ignore it)
    threads: tuple[int, ...] = ()
    #: time a simulated backend once, without warm-up (it runs every thread in Python)
    simulated_once: bool = False
    budget_s: float = ROUNDS_BUDGET_S


@dataclass
class LaneResult:
    """One backend's run, as every front-end shows it."""

    backend: str
    label: str = ""
    device: str = ""  # the backend's device line, in English (the timing record's)
    simulated: bool = False
    kind: Kind = "cpu"
    #: the device apart from its thread count, and the CPU threads the record ran on
    #: (0 for a GPU): a screen words them in its language without parsing ``device``
    processor: str = ""
    cpu_threads: int = 0
    out: np.ndarray | None = None
    #: the timed runs (on all the threads asked for); None for an untimed run
    record: TimingRecord | None = None
    #: why this backend did not run: a refusal (ConvvizError), or what it raised
    error: BaseException | None = None
    requested: str = ""  # the backend asked for, when a stand-in ran instead
    requested_simulated: bool = False
    #: why the requested backend did not run (None when it did)
    fallback: BaseException | None = None
    #: the CUDA launch that ran (None for the CPU): grid, block, cells per thread, tile
    launch: Launch | None = None
    #: what compiling for this problem did (None: nothing compiles)
    compiled: CompileFacts | None = None
    #: thread count -> its timing, when the request asked for several
    by_threads: dict[int, TimingRecord] = field(default_factory=dict)

    @property
    def one_core(self) -> TimingRecord | None:
        """The same code timed on one thread, beside :attr:`record` on all of them."""
        return self.by_threads.get(1) if len(self.by_threads) > 1 else None

    @property
    def cores(self) -> int:
        """Threads of :attr:`record` (1 unless the lane timed several counts)."""
        return max(self.by_threads) if self.by_threads else 1

    @property
    def cores_speedup(self) -> float | None:
        """One thread's median over all threads' median, when larger than the spread
        (None when not measured or within it)."""
        one = self.one_core
        if one is None or self.record is None:
            return None
        return speedup(one.total, self.record.total)


def all_cores() -> int:
    """The threads the parallel CPU backend runs on by default (all this process has)."""
    return backends.get("cpu-parallel").threads


def unavailable(be: Backend) -> ConvvizError:
    """Why ``be`` cannot run: its message a :class:`~convviz.core.reasons.Reason` (an id
    and parameters), which a window shows in its own language."""
    return ConvvizError(Reason("not_available", be.reason))


def _choose(req: Request, lane: LaneResult) -> Backend:
    """The backend that runs: the one asked for, or its stand-in (and why)."""
    be = backends.get(req.backend)
    lane.label, lane.simulated, lane.kind = be.label, be.simulated, be.kind
    refusal: ConvvizError | None = None
    if not be.available:
        refusal = unavailable(be)
    else:
        try:
            be.check(req.prep)
        except ConvvizError as exc:
            refusal = exc
    if refusal is None:
        return be
    if not req.fallback:
        raise refusal
    lane.requested, lane.requested_simulated, lane.fallback = req.backend, be.simulated, refusal
    be = backends.get(req.fallback)
    lane.backend, lane.label, lane.simulated, lane.kind = be.name, be.label, be.simulated, be.kind
    be.check(req.prep)
    return be


def compile_for(be: Backend, prep: Prepared, ctrl: Control) -> CompileFacts | None:
    """Compile what ``prep`` needs, before any clock, saying so on ``ctrl`` meanwhile."""
    what = be.needs_compile(prep)
    if not what:
        return be.compile_facts(prep)
    ctrl.start_compiling(what, be.kind)
    try:
        return be.compile_facts(prep)
    finally:
        ctrl.end_compiling()


def run(
    req: Request, ctrl: Control | None = None, clock: Clock = time.perf_counter_ns
) -> LaneResult:
    """Run ``req`` (see the module); a refusal without a stand-in, a cancel (as
    :class:`~convviz.errors.Cancelled`) and anything a backend raises propagate."""
    ctrl = new_control() if ctrl is None else ctrl
    lane = LaneResult(req.backend)
    be = _choose(req, lane)
    if req.block and be.kind == "gpu":
        be = be.with_block((req.block[0], req.block[1]), *req.block[2:])
    ctrl.stage = be.name
    lane.device, lane.processor = be.device, be.processor
    lane.cpu_threads = be.threads if be.kind == "cpu" else 0
    if req.repeats <= 0:  # conv2d's fast path: nobody polls, so nothing is said
        lane.compiled = be.compile_facts(req.prep)
        lane.out = be.run_once(req.prep, ctrl)
        return lane
    lane.compiled = compile_for(be, req.prep, ctrl)
    if be.parallel and req.threads:
        _in_rounds(be, req, ctrl, clock, lane)
    else:
        repeats, warmup = req.repeats, req.warmup
        if be.simulated and req.simulated_once:
            repeats, warmup = 1, 0
        lane.out, lane.record = be.run(req.prep, repeats=repeats, warmup=warmup, ctrl=ctrl)
    if lane.compiled is not None:
        for rec in [lane.record, *lane.by_threads.values()]:
            if rec is not None:
                rec.compile_cached = lane.compiled.from_cache
    lane.launch = be.launch(req.prep)
    return lane


def _in_rounds(be: Backend, req: Request, ctrl: Control, clock: Clock, lane: LaneResult) -> None:
    """The same code on each thread count of ``req.threads``, in interleaved rounds."""
    most = be.threads
    counts = sorted({max(1, min(n, most)) for n in req.threads})
    twins = {n: be.with_threads(n) for n in counts}
    box: list[np.ndarray] = []

    def runner(twin: Backend) -> Contender:
        def once() -> None:
            box[:] = [twin.run_once(req.prep, ctrl)]

        return Contender(f"{twin.threads}", once)

    cons = {n: runner(twin) for n, twin in twins.items()}
    time_side_by_side(
        list(cons.values()),
        repeats=req.repeats,
        warmup=req.warmup,
        budget_s=req.budget_s,
        target=ROUNDS_TARGET,
        max_runs=ROUNDS_MAX,
        cancelled=lambda: ctrl.cancelled,
        clock=clock,
    )
    if ctrl.cancelled or not box:
        raise Cancelled(f"{be.name} cancelled")
    compile_s = lane.compiled.seconds if lane.compiled else None
    for n, c in cons.items():
        stats = Stats.of(c.samples)
        lane.by_threads[n] = twins[n].record(req.prep, stats, len(c.samples), req.warmup, compile_s)
    lane.record = lane.by_threads[counts[-1]]
    lane.device, lane.cpu_threads = twins[counts[-1]].device, counts[-1]
    lane.out = box[0]
