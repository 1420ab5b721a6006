"""One row of ``convviz bench``: set it up (checked against the reference), say what to
time, and put the timed runs' statistics into it. :mod:`convviz.bench.runner` drives.
"""

from __future__ import annotations

import importlib
import statistics
import time

import numpy as np

from convviz.bench import rounds
from convviz.errors import Cancelled, ConvvizError


def row_for(name, kind, size, k, cfg, **kw) -> dict:
    row = {
        "name": name,
        "kind": kind,
        "device": "",
        "simulated": False,
        "size": size,
        "kernel": k,
        "channels": cfg["channels"],
        "status": "ok",
        "reason": "",
        "median_s": None,
        "min_s": None,
        "max_s": None,
        "compile_s": None,
        "phases": None,
        "max_abs_err": None,
        "ratio_to_fastest": None,
        "spread": None,
        "runs": None,
        "compute_median_s": None,
        "compute_min_s": None,
        "compute_max_s": None,
        "compile_cached": None,
        "threads": None,
    }
    row.update(kw)
    return row


def error(out, ref) -> float:
    out = np.asarray(out, np.float32).reshape(ref.shape)
    return float(np.abs(out.astype(np.float64) - ref).max())


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


class Stop:
    """Cancel between runs: the caller's cancel() or the backends' Control."""

    def __init__(self, cancel, ctrl):
        self._cancel, self._ctrl = cancel, ctrl

    def by_ctrl(self) -> bool:
        return self._ctrl is not None and self._ctrl.cancelled

    def check(self) -> None:
        if self.by_ctrl() or (self._cancel is not None and self._cancel()):
            raise Cancelled("benchmark cancelled")


def limit_threads(n):
    """Limit numba (in this thread), OpenCV and PyTorch to n threads; returns the undo."""
    if n is None:
        return lambda: None
    import numba

    undo = [(numba, "set_num_threads", numba.get_num_threads())]
    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    for lib, get, put in (
        ("cv2", "getNumThreads", "setNumThreads"),
        ("torch", "get_num_threads", "set_num_threads"),
    ):
        try:
            mod = importlib.import_module(lib)
        except ImportError:
            continue
        undo.append((mod, put, getattr(mod, get)()))
        getattr(mod, put)(n)

    def restore():
        for mod, put, old in undo:
            getattr(mod, put)(old)

    return restore


def _failed(row, err, tol) -> tuple[dict, list]:
    row.update(
        status="failed",
        max_abs_err=err,
        reason=f"max |error| {err:.3g} vs the reference exceeds {tol:.3g}",
    )
    return row, []


def setup_backend(be, prep, x, w, ref, tol, cfg, ctrl) -> tuple[dict, list]:
    """The row of backend ``be`` and what to time: its conv2d and compute() paths."""
    from convviz.api import conv2d
    from convviz.backends import new_control
    from convviz.engine import Request, compile_for, run

    row = row_for(be.name, "backend", 0, 0, cfg, simulated=bool(be.simulated))
    if not be.available:
        row.update(status="skipped", reason=be.reason)
        return row, []
    row["device"] = be.device
    try:
        be.check(prep)
    except ConvvizError as exc:
        row.update(status="skipped", reason=str(exc))
        return row, []
    facts = compile_for(be, prep, new_control() if ctrl is None else ctrl)
    row["compile_s"] = facts.seconds if facts else None
    row["compile_cached"] = facts.from_cache if facts and be.kind == "cpu" else None
    if be.kind == "cpu":  # the threads it ran on (--threads limits the parallel one)
        n = row["threads"] = be.threads
        row["device"] = f"{be.processor}, {n} thread{'s' if n > 1 else ''}"
    err = error(be.compute(prep, ctrl), ref)
    row["max_abs_err"] = err
    if not err <= tol:
        return _failed(row, err, tol)
    if be.simulated or be.launch(prep) is not None:  # GPU protocol (phases), or the simulator
        request = Request(prep, be.name, repeats=cfg["repeats"], warmup=cfg["warmup"])
        rec = run(request, new_control() if ctrl is None else ctrl).record
        assert rec is not None
        row["phases"] = {p: s.median for p, s in rec.phases.items()} or None
        row.update(
            compute_median_s=rec.total.median,
            compute_min_s=rec.total.min,
            compute_max_s=rec.total.max,
        )
        if be.simulated:
            row.update(median_s=rec.total.median, min_s=rec.total.min, max_s=rec.total.max)
            row.update(runs=rec.repeats, spread=rounds.spread([rec.total.min, rec.total.max]))
            return row, []
    pad, mode = cfg["padding"], cfg["padding_mode"]
    cons = [
        rounds.Contender(
            "conv2d", lambda: conv2d(x, w, padding=pad, padding_mode=mode, backend=be.name)
        )
    ]
    if row["compute_median_s"] is None:
        box = new_control() if ctrl is None else ctrl
        cons.append(rounds.Contender("compute", lambda: be.compute(prep, box)))
    return row, cons


def setup_peer(name, setup, x, w, ref, tol, cfg, failures) -> tuple[dict, list]:
    """The row of peer ``name`` (``setup`` from :data:`convviz.bench.peers.PEERS`) and its run."""
    row = row_for(name, "peer", 0, 0, cfg)
    if name in failures:
        row.update(status="skipped", reason=failures[name])
        return row, []
    try:
        dev, run, phases_run = setup(x, w)
    except ImportError as exc:
        failures[name] = f"not importable: {one_line(exc)}"
        row.update(status="skipped", reason=failures[name])
        return row, []
    except Exception as exc:  # a GPU library present but no usable device, ...
        row.update(status="skipped", reason=one_line(exc))
        return row, []
    row["device"] = dev
    try:
        t0 = time.perf_counter_ns()
        out = run()  # the first call: library start-up, caches; reported as compile_s
        row["compile_s"] = (time.perf_counter_ns() - t0) * 1e-9
        err = error(out, ref)
    except Exception as exc:
        row.update(status="failed", reason=f"raised {one_line(exc)}")
        return row, []
    row["max_abs_err"] = err
    if not err <= tol:
        return _failed(row, err, tol)
    if phases_run is not None:
        row["phases"] = phases_run(cfg["repeats"], cfg["warmup"])
    return row, [rounds.Contender("run", run)]


def finish(row, cons) -> None:
    """Statistics of the timed runs into the row."""
    for c in cons:
        if not c.samples:  # cancelled before it ran
            continue
        prefix = "compute_" if c.key == "compute" else ""
        row[prefix + "median_s"] = statistics.median(c.samples)
        row[prefix + "min_s"] = min(c.samples)
        row[prefix + "max_s"] = max(c.samples)
        if not prefix:
            row["spread"] = rounds.spread(c.samples)
            row["runs"] = len(c.samples)
