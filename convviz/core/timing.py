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

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PHASES = ("h2d", "kernel", "d2h")


@dataclass(frozen=True)
class Stats:
    median: float  # seconds
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))


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


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """(result, seconds) of one call, on the protocol's clock."""
    t0 = time.perf_counter_ns()
    result = fn()
    return result, (time.perf_counter_ns() - t0) * 1e-9
