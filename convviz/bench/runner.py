"""``convviz bench``: our backends beside the libraries people actually use.

Every row of the table is one way of computing one problem: a float32 random
input (seeded) of ``channels`` × ``size`` × ``size``, a ``kernel`` × ``kernel``
random kernel applied to each channel (depthwise), padding "same" with zeros.
Before anything is timed its result is checked against the numpy
``reference`` backend; a wrong result is reported as ``failed`` and not timed.
Timing follows :mod:`convviz.core.timing`: warm-up, then ``repeats`` timed
runs (median, min, max) with JIT compile time apart. For peers (libraries)
the first call plays the role of compiling: it is timed on its own as
``compile_s`` (it includes the library's start-up) and kept out of the
statistics; GPU peers synchronise the device around every timed step.

Peers, each only when importable (else listed as skipped with the ImportError
text): ``scipy.ndimage.correlate`` (mode constant), ``cv2.filter2D``
(BORDER_CONSTANT, float32, anchor set so even kernels match), and
``torch.nn.functional.conv2d`` on the CPU; on a machine with an NVIDIA GPU also
``cupyx.scipy.ndimage.correlate`` and torch on the GPU. None of them is
imported when this module is: only inside the function that runs it (they
live in :mod:`convviz.bench.peers`).

Other writers of this schema (``scripts/gpu_bench.py``) may add fields: rows
with ``case``, ``gbps``, ``gflops``, ``pct_copy_bw``, ``launch``, and
``machine.copy_bandwidth_gbps``; readers ignore what they do not know.

JSON written by ``--json FILE`` (schema ``convviz-bench/1``)::

    {
      "schema": "convviz-bench/1",
      "created": "2025-01-31T12:00:00+00:00",      # ISO 8601, UTC
      "machine": {
        "cpu": "AMD EPYC ...", "cores": 2,
        "gpu": {"name", "compute_capability", "sm_count", ...} | null,
        "versions": {"python": "3.11.9", "numpy": "...", ...},   # null = not installed
        "device_choice": {"requested": "auto", "mode": "sim", "reason": "..."}
      },
      "config": {"sizes": [2048], "kernels": [3, 7, 15], "channels": 1,
                 "backends": ["cpu-parallel"], "peers": true, "repeats": 7,
                 "warmup": 1, "seed": 0, "padding": "same", "padding_mode": "zeros",
                 "dtype": "float32"},
      "results": [
        {
          "name": "cpu-parallel" | "cv2.filter2D" | ...,
          "kind": "backend" | "peer",
          "device": "AMD EPYC ..., 2 threads",   # where it ran, in words
          "simulated": false,                    # true: Numba's CUDA simulator, not a GPU time
          "size": 2048, "kernel": 3, "channels": 1,
          "status": "ok" | "skipped" | "failed",
          "reason": "",                          # why skipped / failed ("" when ok)
          "median_s": 0.0021, "min_s": 0.0020, "max_s": 0.0025,   # null unless ok
          "compile_s": 0.41,                     # JIT compile / first call; null if none
          "phases": {"h2d": 0.001, "kernel": 0.0002, "d2h": 0.001} | null,  # medians, GPU only
          "max_abs_err": 1.9e-06,                # vs the reference; null if not run
          "ratio_to_fastest": 1.0,               # median / fastest ok median of this
                                                 # (size, kernel); null unless ok
          "kernel_shape": [3, 3]                 # only when run with given weights
        }
      ]
    }
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import datetime, timezone

import numpy as np

from convviz.bench.peers import PEERS, time_peer
from convviz.bench.schema import SCHEMA
from convviz.errors import Cancelled, ConvvizError

DEFAULT_CONFIG = {
    "sizes": [256, 1024, 2048],
    "kernels": [3, 7, 15],
    "channels": 1,
    "backends": ["cpu", "cpu-parallel", "cuda"],
    "peers": False,
    "repeats": 5,
    "warmup": 1,
    "seed": 0,
    "padding": "same",
    "padding_mode": "zeros",
    "dtype": "float32",
}


def tolerance(x: np.ndarray, w: np.ndarray) -> float:
    """Largest |difference| from the reference accepted as float32 rounding.

    A float32 sum of ``taps`` products is off by at most about
    taps · eps · Σ|terms| ≤ taps² · eps · max|x| · max|w|; summation trees and FFTs
    do far better, so taps (not taps²) with a factor 8 is generous yet still
    catches any real mistake (a wrong tap is off by about max|x| · max|w|).
    """
    taps = w.shape[-1] * w.shape[-2]
    scale = float(np.abs(x).max()) * float(np.abs(w).max())
    return 8 * float(np.finfo(np.float32).eps) * taps * max(scale, 1e-30)


def make_config(**overrides) -> dict:
    """A complete, validated configuration (DEFAULT_CONFIG with ``overrides``)."""
    cfg = dict(DEFAULT_CONFIG)
    unknown = set(overrides) - set(cfg)
    if unknown:
        raise ConvvizError(f"unknown benchmark setting(s): {', '.join(sorted(unknown))}")
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("sizes", "kernels"):
        vals = list(cfg[key])
        if not vals or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in vals):
            raise ConvvizError(f"{key} must be positive integers; got {cfg[key]!r}")
        cfg[key] = vals
    for key in ("channels", "repeats"):
        if isinstance(cfg[key], bool) or not isinstance(cfg[key], int) or cfg[key] < 1:
            raise ConvvizError(f"{key} must be an integer of at least 1; got {cfg[key]!r}")
    if int(cfg["warmup"]) < 0:
        raise ConvvizError(f"warmup must be >= 0; got {cfg['warmup']!r}")
    from convviz import backends

    cfg["backends"] = list(cfg["backends"])
    for name in cfg["backends"]:
        if name not in backends.NAMES:
            raise ConvvizError(f"unknown backend {name!r}; choose from {', '.join(backends.NAMES)}")
    for size in cfg["sizes"]:
        for k in cfg["kernels"]:
            if k > size:
                raise ConvvizError(f"kernel {k}×{k} is larger than the {size}×{size} input")
    return cfg


# -- the benchmark -------------------------------------------------------------


def _row(name, kind, size, k, cfg, **kw) -> dict:
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
    }
    row.update(kw)
    return row


def _err(out, ref) -> float:
    out = np.asarray(out, np.float32).reshape(ref.shape)
    return float(np.abs(out.astype(np.float64) - ref).max())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def run_benchmark(
    config: dict | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    weights: np.ndarray | None = None,
    ctrl: np.ndarray | None = None,
    on_row: Callable[[dict], None] | None = None,
) -> dict:
    """Run the benchmark; return the ``convviz-bench/1`` dict (see the module doc).

    ``progress(done, total, text)`` is called before each row; ``cancel()`` is
    polled between rows and, when it returns True, stops with convviz.Cancelled.
    Qt-free: a GUI calls this from a worker thread.

    Parameters
    ----------
    weights
        A 2-D kernel to use at every size instead of random ones (the app's
        sweep of "the current kernel"); ``config["kernels"]`` is then replaced
        by ``[max(kh, kw)]`` and every row also carries ``kernel_shape``.
    ctrl
        A backend control array (``convviz.backends.new_control()``): setting
        ``ctrl[1]`` stops a backend inside its loops, so Cancel need not wait
        for a long row to end.
    on_row
        Called with each finished row, in the calling thread.
    """
    from convviz import backends
    from convviz.core import device, sysinfo
    from convviz.core.spec import prepare

    config = dict(config or {})
    if weights is not None:
        weights = np.asarray(weights, np.float32)
        if weights.ndim != 2 or 0 in weights.shape:
            raise ConvvizError(f"weights must be a non-empty 2-D kernel; got shape {weights.shape}")
        config["kernels"] = [max(weights.shape)]
    cfg = make_config(**config)
    if weights is not None:
        cfg["kernel_shape"] = list(weights.shape)
    peers = [p for p in PEERS if cfg["peers"]]
    total = len(cfg["sizes"]) * len(cfg["kernels"]) * (len(cfg["backends"]) + len(peers))
    done = 0
    results: list[dict] = []
    ref_be = backends.get("reference")
    rng = np.random.default_rng(cfg["seed"])
    peer_failures: dict[str, str] = {}  # import / set-up errors, reported once per peer
    for size in cfg["sizes"]:
        x = rng.standard_normal((cfg["channels"], size, size)).astype(np.float32)
        for k in cfg["kernels"]:
            w = rng.standard_normal((k, k)).astype(np.float32) if weights is None else weights
            prep = prepare(x, w, padding=cfg["padding"], padding_mode=cfg["padding_mode"])
            ref = ref_be.compute(prep).astype(np.float64)
            tol = tolerance(x, w)
            for name in cfg["backends"] + peers:
                if cancel is not None and cancel():
                    raise Cancelled("benchmark cancelled")
                if progress is not None:
                    progress(done, total, f"{name} {size}×{size}, kernel {w.shape[0]}×{w.shape[1]}")
                done += 1
                if name in cfg["backends"]:
                    row = _bench_backend(backends.get(name), prep, ref, tol, size, k, cfg, ctrl)
                else:
                    row = _bench_peer(name, x, w, ref, tol, size, k, cfg, peer_failures)
                if weights is not None:
                    row["kernel_shape"] = list(weights.shape)
                results.append(row)
                if on_row is not None:
                    on_row(row)
    if progress is not None:
        progress(total, total, "done")
    _ratios(results)
    choice = device.choose()
    return {
        "schema": SCHEMA,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpu": sysinfo.cpu_model(),
            "cores": sysinfo.cpu_cores(),
            "gpu": _gpu(),
            "versions": sysinfo.versions(),
            "device_choice": {
                "requested": choice.requested,
                "mode": choice.mode,
                "reason": choice.reason,
            },
        },
        "config": cfg,
        "results": results,
    }


def _bench_backend(be, prep, ref, tol, size, k, cfg, ctrl=None) -> dict:
    common = dict(simulated=bool(be.simulated))
    if not be.available:
        return _row(be.name, "backend", size, k, cfg, status="skipped", reason=be.reason, **common)
    common["device"] = be.device
    try:
        be.check(prep)
    except ConvvizError as exc:
        return _row(be.name, "backend", size, k, cfg, status="skipped", reason=str(exc), **common)
    err = _err(be.compute(prep, ctrl), ref)
    if not err <= tol:
        return _row(
            be.name,
            "backend",
            size,
            k,
            cfg,
            status="failed",
            max_abs_err=err,
            reason=f"max |error| {err:.3g} vs the reference exceeds {tol:.3g}",
            **common,
        )
    _, rec = be.run(prep, repeats=cfg["repeats"], warmup=cfg["warmup"], ctrl=ctrl)
    phases = {p: s.median for p, s in rec.phases.items()} or None
    return _row(
        be.name,
        "backend",
        size,
        k,
        cfg,
        median_s=rec.total.median,
        min_s=rec.total.min,
        max_s=rec.total.max,
        compile_s=rec.compile_s,
        phases=phases,
        max_abs_err=err,
        **common,
    )


def _bench_peer(name, x, w, ref, tol, size, k, cfg, failures) -> dict:
    setup, on_gpu = PEERS[name]
    if name in failures:
        return _row(name, "peer", size, k, cfg, status="skipped", reason=failures[name])
    try:
        dev, run, phases_run = setup(x, w)
    except ImportError as exc:
        failures[name] = f"not importable: {_one_line(exc)}"
        return _row(name, "peer", size, k, cfg, status="skipped", reason=failures[name])
    except Exception as exc:  # a GPU library present but no usable device, ...
        return _row(name, "peer", size, k, cfg, status="skipped", reason=_one_line(exc))
    try:
        err = _err(run(), ref)
    except Exception as exc:
        return _row(
            name,
            "peer",
            size,
            k,
            cfg,
            device=dev,
            status="failed",
            reason=f"raised {_one_line(exc)}",
        )
    if not err <= tol:
        return _row(
            name,
            "peer",
            size,
            k,
            cfg,
            device=dev,
            status="failed",
            max_abs_err=err,
            reason=f"max |error| {err:.3g} vs the reference exceeds {tol:.3g}",
        )
    walls, first, phases = time_peer(run, phases_run, cfg["repeats"], cfg["warmup"])
    return _row(
        name,
        "peer",
        size,
        k,
        cfg,
        device=dev,
        median_s=statistics.median(walls),
        min_s=min(walls),
        max_s=max(walls),
        compile_s=first,
        phases=phases,
        max_abs_err=err,
    )


def _ratios(results):
    best: dict[tuple[int, int], float] = {}
    for r in results:
        if r["status"] == "ok" and not r["simulated"]:
            key = (r["size"], r["kernel"])
            best[key] = min(best.get(key, float("inf")), r["median_s"])
    for r in results:
        key = (r["size"], r["kernel"])
        if r["status"] == "ok" and key in best:
            r["ratio_to_fastest"] = r["median_s"] / best[key]


def _gpu():
    from convviz import backends

    be = backends.get("cuda")
    if be.available and not be.simulated:
        from convviz.backends.cuda import gpu_info

        return gpu_info()
    return None
