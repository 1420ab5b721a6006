"""``convviz bench``: our backends beside the libraries people actually use.

Every row of the table is one way of computing one problem: a float32 random
input (seeded) of ``channels`` × ``size`` × ``size``, a ``kernel`` × ``kernel``
random kernel applied to each channel (depthwise), padding "same" with zeros.
Before anything is timed its result is checked against the numpy
``reference`` backend; a wrong result is reported as ``failed`` and not timed.

Every row does the same work: one fresh float32 (C, H, W) output, "same" zero
padding, no copy of the input or the result for anyone (see
:mod:`convviz.bench.peers`). Our backends are timed twice: through the public
``convviz.conv2d`` (``median_s``: what a user's call costs, compared with the
peers) and through ``compute()`` (``compute_median_s``). Everything for one
problem is timed side by side in interleaved rounds until the spread is small
or the time budget is spent (:mod:`convviz.bench.rounds`); rows report their
``spread`` and ``runs``, and the document ``warnings`` (busy machine, noisy
rows, non-monotonic curves). JIT compile time is apart (``compile_s``, with
``compile_cached`` from numba: loaded from its cache or compiled); for peers
the first call plays that role. A simulated GPU backend is timed by its
``run()`` only (the simulator is slow). ``threads`` limits numba, OpenCV and
PyTorch to that many threads (the 1-thread figures).

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
                 "dtype": "float32", "threads": null, "budget_s": 3.0},
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
          "kernel_shape": [3, 3],                # only when run with given weights
          "spread": 0.03, "runs": 41,            # IQR / median of the timed runs
          "compute_median_s": 0.002, "compute_min_s": ..., "compute_max_s": ...,  # backends
          "compile_cached": false, "threads": 2,  # numba's word; CPU threads used
          "load_before": 0.3                     # 1-minute load average at the start
        }
      ],
      "warnings": ["the machine was busy: ..."]    # [] when none
    }
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.bench import rounds
from convviz.bench.contenders import Stop, finish, limit_threads, setup_backend, setup_peer
from convviz.bench.peers import PEERS
from convviz.bench.schema import SCHEMA
from convviz.core.tolerance import tolerance
from convviz.errors import Cancelled, ConvvizError

if TYPE_CHECKING:
    from convviz.backends import Control

DEFAULT_CONFIG: dict[str, Any] = {
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
    "threads": None,  # None: all cores
    "budget_s": rounds.BUDGET_S,
}


def make_config(**overrides: Any) -> dict[str, Any]:
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
    if cfg["threads"] is not None and (
        isinstance(cfg["threads"], bool)
        or not isinstance(cfg["threads"], int)
        or cfg["threads"] < 1
    ):
        raise ConvvizError(f"threads must be a positive integer; got {cfg['threads']!r}")
    if not float(cfg["budget_s"]) >= 0:
        raise ConvvizError(f"budget_s must be >= 0; got {cfg['budget_s']!r}")
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


def run_benchmark(
    config: dict | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    weights: np.ndarray | None = None,
    ctrl: Control | None = None,
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
        ``ctrl.cancel()`` stops a backend inside its loops, so Cancel need not wait
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
    load_before = rounds.load_now()
    stop = Stop(cancel, ctrl)
    restore = limit_threads(cfg["threads"])
    try:
        for size in cfg["sizes"]:
            x = rng.standard_normal((cfg["channels"], size, size)).astype(np.float32)
            for k in cfg["kernels"]:
                w = rng.standard_normal((k, k)).astype(np.float32) if weights is None else weights
                prep = prepare(x, w, padding=cfg["padding"], padding_mode=cfg["padding_mode"])
                ref = ref_be.compute(prep).astype(np.float64)
                tol = tolerance(x, w)
                entries = []  # (row, its contenders)
                stop.check()  # once per problem: its rows are timed side by side
                for name in cfg["backends"] + peers:
                    if progress is not None:
                        progress(
                            done, total, f"{name} {size}×{size}, kernel {w.shape[0]}×{w.shape[1]}"
                        )
                    done += 1
                    if name in cfg["backends"]:
                        entry = setup_backend(backends.get(name), prep, x, w, ref, tol, cfg, ctrl)
                    else:
                        entry = setup_peer(name, PEERS[name][0], x, w, ref, tol, cfg, peer_failures)
                    entry[0].update(size=size, kernel=k, channels=cfg["channels"])
                    entries.append(entry)
                timed = [c for _, cons in entries for c in cons]
                rounds.time_side_by_side(
                    timed,
                    repeats=cfg["repeats"],
                    warmup=cfg["warmup"],
                    budget_s=float(cfg["budget_s"]),
                    cancelled=stop.by_ctrl,
                )
                if stop.by_ctrl():
                    raise Cancelled("benchmark cancelled")
                for row, cons in entries:
                    finish(row, cons)
                    row["load_before"] = load_before  # for readers of the rows alone
                    if weights is not None:
                        row["kernel_shape"] = list(weights.shape)
                    results.append(row)
                    if on_row is not None:
                        on_row(row)
    finally:
        restore()
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
        "warnings": rounds.warnings_for(results, sysinfo.cpu_cores(), load_before),
    }


def _ratios(results: list[dict[str, Any]]) -> None:
    best: dict[tuple[int, int], float] = {}
    for r in results:
        if r["status"] == "ok" and not r["simulated"]:
            key = (r["size"], r["kernel"])
            best[key] = min(best.get(key, float("inf")), r["median_s"])
    for r in results:
        key = (r["size"], r["kernel"])
        if r["status"] == "ok" and key in best:
            r["ratio_to_fastest"] = r["median_s"] / best[key]


def _gpu() -> dict[str, Any] | None:
    from convviz import backends

    be = backends.get("cuda")
    if be.available and not be.simulated:
        from convviz.backends.cuda import gpu_info

        return gpu_info()
    return None
