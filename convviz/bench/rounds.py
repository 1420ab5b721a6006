"""Timing several ways of computing one problem side by side, until the numbers hold still.

Everything timed for one problem (our backends through ``convviz.conv2d`` and
through ``compute()``, the peer libraries) runs in interleaved rounds: one run of
each contender per round, so that whatever else the machine does falls on all of
them alike instead of on whichever happened to run then. A run is also coloured
by the one before it (a library that leaves its threads spinning, or the caches
full of its own code and data), so the rounds follow a Williams design
(:func:`balanced_orders`): over a cycle of rounds every contender runs right after
every other equally often. (Rotating one order does not: with four contenders,
one of them followed the same neighbour in three rounds of four.)
Rounds go on until every contender has ``repeats`` runs and a spread of at most
``target`` (the interquartile range over the median), or the time budget is
spent, or ``max_runs`` is reached. The spread is reported with the median.

:func:`warnings_for` says what makes a table untrustworthy: a machine busy
before the benchmark began, a spread that stayed large, a curve that falls
where it should rise.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from convviz.core import timing
from convviz.core.timing import Contender, balanced_orders, spread

__all__ = ["Contender", "balanced_orders", "spread", "time_side_by_side", "warnings_for"]

#: stop once the spread (interquartile range / median) is this small ...
TARGET_SPREAD = 0.05
#: ... or once this much time has gone into one problem's rounds (after ``repeats``)
BUDGET_S = 3.0
MAX_RUNS = 200
#: a spread above this is worth a warning
NOISY_SPREAD = 0.10
#: a larger input this much faster than a smaller one makes a curve non-monotonic
DIP = 0.10


def time_side_by_side(
    contenders: list[Contender],
    *,
    repeats: int,
    warmup: int,
    budget_s: float = BUDGET_S,
    target: float = TARGET_SPREAD,
    max_runs: int = MAX_RUNS,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Fill each contender's ``samples`` by interleaved rounds
    (:func:`convviz.core.timing.time_side_by_side`) with the benchmark's limits."""
    timing.time_side_by_side(
        contenders,
        repeats=repeats,
        warmup=warmup,
        budget_s=budget_s,
        target=target,
        max_runs=max_runs,
        cancelled=cancelled,
    )


def load_now() -> float | None:
    """The 1-minute load average (None where the system does not tell)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def problems(results: list[dict], cores: int, load_before: float | None) -> dict:
    """What makes some numbers untrustworthy: ``busy`` (the load average, or None),
    ``noisy`` [(name, size, kernel, spread)], ``dips`` [(name, kernel, smaller, larger)]:
    a larger input faster than a smaller one, by more than DIP."""
    if load_before is None and results:
        load_before = results[0].get("load_before")
    busy = load_before if load_before is not None and load_before > 0.5 * cores else None
    noisy = [
        (r["name"], r["size"], r["kernel"], r["spread"])
        for r in results
        if r["status"] == "ok" and (r.get("spread") or 0) > NOISY_SPREAD
    ]
    curves: dict[tuple, list[dict]] = {}
    for r in results:
        if r["status"] == "ok":
            curves.setdefault((r["name"], r["kernel"], r["channels"]), []).append(r)
    dips = []
    for (name, k, _), rows in curves.items():
        rows.sort(key=lambda r: r["size"])
        for a, b in zip(rows, rows[1:]):
            if b["size"] > a["size"] and b["median_s"] < (1 - DIP) * a["median_s"]:
                dips.append((name, k, a, b))
                break
    return {"busy": busy, "noisy": noisy, "dips": dips}


def warnings_for(results: list[dict], cores: int, load_before: float | None) -> list[str]:
    """Lines that say why a reader should distrust some numbers ([] when none)."""
    found = problems(results, cores, load_before)
    out = []
    if found["busy"] is not None:
        out.append(
            f"the machine was busy: load average {found['busy']:.1f} on {cores} cores before the "
            "benchmark began, so other programs shared the CPU; run it again on an idle machine"
        )
    if found["noisy"]:
        out.append(
            f"timings spread by more than {NOISY_SPREAD:.0%} (interquartile range / median): "
            + ", ".join(f"{n} {s}² {k}×{k} ({sp:.0%})" for n, s, k, sp in found["noisy"])
        )
    for name, k, a, b in found["dips"]:
        out.append(
            f"{name}'s {k}×{k} curve is not monotonic: {b['size']}² took less time than "
            f"{a['size']}² ({b['median_s'] * 1e3:.3g} ms < {a['median_s'] * 1e3:.3g} ms); "
            "the smaller one was disturbed"
        )
    return out
