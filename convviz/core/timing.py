"""One timing protocol for every backend.

- ``time.perf_counter_ns`` around every run (end-to-end wall time);
- GPU phases (host→device, kernel, device→host) from CUDA events, reported
  beside the wall time;
- JIT compile time measured on its own and never mixed into a run's time;
- ``warmup`` untimed runs, then ``repeats`` timed ones: median, min, max;
- runs on Numba's CUDA simulator carry ``simulated=True`` and are never
  presented as GPU timings.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PHASES = ("h2d", "kernel", "d2h")


#: a clock in integer nanoseconds (tests pass a stub)
Clock = Callable[[], int]


def spread(samples: list[float]) -> float:
    """Interquartile range over the median (max - min over the median below 4 samples)."""
    med = statistics.median(samples)
    if med <= 0:
        return 0.0
    if len(samples) < 4:
        return (max(samples) - min(samples)) / med
    q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    return (q3 - q1) / med


@dataclass(frozen=True)
class Stats:
    median: float  # seconds
    min: float
    max: float
    n: int
    #: :func:`spread` of the samples: how far apart the runs were, over the median
    spread: float = 0.0

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        return cls(
            statistics.median(samples), min(samples), max(samples), len(samples), spread(samples)
        )


def speedup(one: Stats, many: Stats) -> float | None:
    """How many times faster ``many`` ran than ``one`` (median over median), or None
    when the difference is not larger than the two spreads together: a ratio within
    the noise is not a speed-up (nor a slow-down) anyone measured."""
    if one.median <= 0 or many.median <= 0:
        return None
    ratio = one.median / many.median
    noise = one.spread + many.spread
    return ratio if abs(ratio - 1.0) > noise and abs(1.0 / ratio - 1.0) > noise else None


@dataclass(frozen=True)
class CompileFacts:
    """What one JIT compile did, as numba reports it.

    ``from_cache`` is True when numba loaded every function from its on-disk
    cache and compiled nothing (its cache-hit and cache-miss counters say so),
    False when it compiled; ``what`` names the specialisation ("3×3").
    """

    seconds: float
    from_cache: bool
    what: str = ""

    def text(self) -> str:
        how = "loaded from cache" if self.from_cache else "compiled"
        return f"{fmt_seconds(self.seconds)} ({how})"


@dataclass
class TimingRecord:
    backend: str
    device: str
    simulated: bool
    repeats: int
    warmup: int
    compile_s: float | None  # JIT compile (or cache load); None where nothing compiles
    total: Stats  # end-to-end wall time per run
    phases: dict[str, Stats] = field(default_factory=dict)  # h2d / kernel / d2h (CUDA)
    grid: tuple[int, ...] | None = None
    block: tuple[int, ...] | None = None
    threads: int | None = None
    cells: int = 0
    macs: int = 0
    note: str = ""  # e.g. why a backend fell back to another kernel
    #: numba loaded the kernels from its cache (True) or compiled them (False); None
    #: where nothing compiles or the backend cannot tell
    compile_cached: bool | None = None
    clock: str = ""  # how the phases were timed (GPU: events, queued launches; or host clock)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["grid"] = list(self.grid) if self.grid else None
        d["block"] = list(self.block) if self.block else None
        return d

    def lines(self) -> list[str]:
        """Human-readable summary, one fact per line."""
        sim = " (simulated on CPU — not a GPU timing)" if self.simulated else ""
        out = [
            f"backend   {self.backend} on {self.device}{sim}",
            f"time      median {fmt_seconds(self.total.median)}  min "
            f"{fmt_seconds(self.total.min)}  max {fmt_seconds(self.total.max)}  "
            f"({self.repeats} runs after {self.warmup} warm-up)",
        ]
        for name in PHASES:
            if name in self.phases:
                s = self.phases[name]
                label = {"h2d": "host→dev", "kernel": "kernel", "d2h": "dev→host"}[name]
                out.append(
                    f"{label:9s} median {fmt_seconds(s.median)}  min "
                    f"{fmt_seconds(s.min)}  max {fmt_seconds(s.max)}"
                )
        if self.clock and self.phases:
            out.append(f"phases by {self.clock}; time is end-to-end (allocation, copies)")
        if self.grid:
            out.append(
                f"launch    grid {'×'.join(map(str, self.grid))} × block "
                f"{'×'.join(map(str, self.block or ()))} = {self.threads:,} threads"
            )
        if self.compile_s is not None:
            cached = self.compile_cached
            how = "" if cached is None else "loaded from cache, " if cached else "compiled, "
            out.append(f"compile   {fmt_seconds(self.compile_s)} ({how}apart from the runs)")
        out.append(f"work      {self.cells:,} output cells, {self.macs:,} multiply-adds")
        if self.note:
            out.append(f"note      {self.note}")
        return out


def fmt_seconds(s: float) -> str:
    """3 significant figures with a unit a person reads at a glance."""
    if s < 0:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def measure(
    run_once: Callable[[], dict[str, float] | None], *, repeats: int, warmup: int
) -> tuple[Stats, dict[str, Stats]]:
    """Call ``run_once`` ``warmup`` + ``repeats`` times; time the last ``repeats``.

    ``run_once`` may return per-phase durations in seconds (CUDA events); they
    are collected beside the wall time measured here.
    """
    if repeats < 1:
        raise ValueError("repeats must be >= 1")
    for _ in range(max(0, warmup)):
        run_once()
    walls: list[float] = []
    phases: dict[str, list[float]] = {}
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        parts = run_once()
        walls.append((time.perf_counter_ns() - t0) * 1e-9)
        for k, v in (parts or {}).items():
            phases.setdefault(k, []).append(v)
    return Stats.of(walls), {k: Stats.of(v) for k, v in phases.items()}


@dataclass
class Contender:
    """One thing timed in :func:`time_side_by_side`, and its samples (seconds)."""

    key: str
    run: Callable[[], object]
    samples: list[float] = field(default_factory=list)


def balanced_orders(n: int) -> list[list[int]]:
    """Orders of ``range(n)``, one per round, in which each contender runs directly after
    each other one equally often within the rounds (a Williams Latin square: n rounds for
    an even n, 2n for an odd n)."""
    if n <= 1:
        return [list(range(n))]
    first, lo, hi = [0], 1, n - 1
    while len(first) < n:  # 0, 1, n-1, 2, n-2, ...
        first.append(lo)
        lo += 1
        if len(first) < n:
            first.append(hi)
            hi -= 1
    rows = [[(v + i) % n for v in first] for i in range(n)]
    return rows if n % 2 == 0 else rows + [row[::-1] for row in rows]


def time_side_by_side(
    contenders: list[Contender],
    *,
    repeats: int,
    warmup: int,
    budget_s: float,
    target: float,
    max_runs: int,
    cancelled: Callable[[], bool] = lambda: False,
    clock: Clock = time.perf_counter_ns,
) -> None:
    """Fill each contender's ``samples`` (seconds) by interleaved rounds: one run of each
    per round, in :func:`balanced_orders`, so that whatever else the machine does falls on
    all of them alike. Rounds go on until every contender has ``repeats`` runs and a
    :func:`spread` of at most ``target``, or ``budget_s`` is spent, or ``max_runs``."""
    for c in contenders:
        for _ in range(max(0, warmup)):
            c.run()
    orders = balanced_orders(len(contenders))
    start = clock()

    def done(c: Contender) -> bool:
        n = len(c.samples)
        if n < repeats:
            return False
        return n >= max_runs or (clock() - start) * 1e-9 > budget_s or spread(c.samples) <= target

    enabled = gc.isenabled()
    gc.disable()  # a collection inside one contender's run is noise, not its cost
    try:
        r = 0
        while not all(done(c) for c in contenders):
            if cancelled():
                return
            for i in orders[r % len(orders)]:
                c = contenders[i]
                if done(c):
                    continue
                t0 = clock()
                c.run()
                c.samples.append((clock() - t0) * 1e-9)
            r += 1
    finally:
        if enabled:
            gc.enable()


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """(result, seconds) of one call, on the protocol's clock."""
    t0 = time.perf_counter_ns()
    result = fn()
    return result, (time.perf_counter_ns() - t0) * 1e-9
