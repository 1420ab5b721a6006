"""Render the benchmark view offscreen to a PNG, for the README and for review.

    QT_QPA_PLATFORM=offscreen python scripts/bench_screenshot.py [--out FILE] [--gpu-json FILE]

The view runs a small local sweep (a 7×7 kernel, 16² … 256², CPU backends) and
opens a GPU benchmark JSON beside it. Unless ``--gpu-json FILE`` names one
recorded on a real GPU machine (``scripts/gpu_check.sh`` writes
``bench-gpu.json``), that JSON is an EXAMPLE written by this script from a
simple cost model: its machines are named "EXAMPLE GPU" and "EXAMPLE CPU" and
the file "bench-gpu-EXAMPLE.json", so the picture never passes a model for a
measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def example_gpu_benchmark() -> dict:
    """A schema-valid ``convviz-bench/1`` document with modelled (not measured) times.

    The model: a 16-core CPU doing 18 multiply-adds per ns; a GPU whose copies run at
    12 GB/s each way plus 8 µs, whose kernel does 2 multiply-adds per ps plus a 4 µs
    launch, and 30 µs of allocation per end-to-end run; the tiled kernel twice as fast.
    """
    rows = []
    for k in (3, 7, 15):
        for size in (64, 128, 256, 512, 1024, 2048, 4096):
            px, macs = size * size, size * size * k * k
            cpu = 15e-6 + macs / 18e9
            h2d = d2h = 8e-6 + 4 * px / 12e9
            for name, kern in (("cuda", 4e-6 + macs / 2e12), ("cuda-tiled", 3e-6 + macs / 4e12)):
                e2e = h2d + kern + d2h + 30e-6
                rows.append(
                    _row(
                        name, size, k, e2e, {"h2d": h2d, "kernel": kern, "d2h": d2h}, "EXAMPLE GPU"
                    )
                )
            rows.append(_row("cpu-parallel", size, k, cpu, None, "EXAMPLE CPU, 16 threads"))
    return {
        "schema": "convviz-bench/1",
        "created": "2025-01-31T12:00:00+00:00",
        "machine": {
            "cpu": "EXAMPLE CPU",
            "cores": 16,
            "gpu": {"name": "EXAMPLE GPU"},
            "versions": {"python": "3.11"},
            "device_choice": {"requested": "auto", "mode": "gpu", "reason": ""},
        },
        "config": {"sizes": [64, 4096], "kernels": [3, 7, 15], "repeats": 5},
        "results": rows,
    }


def _row(name, size, k, median, phases, device):
    return {
        "name": name,
        "kind": "backend",
        "device": device,
        "simulated": False,
        "size": size,
        "kernel": k,
        "channels": 1,
        "status": "ok",
        "reason": "",
        "median_s": median,
        "min_s": median * 0.97,
        "max_s": median * 1.1,
        "compile_s": None,
        "phases": phases,
        "max_abs_err": 0.0,
        "ratio_to_fastest": None,
    }


def wait_until(app, condition, timeout_s: float = 300.0) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("timed out waiting for the sweep")
        app.processEvents(QEventLoop.AllEvents, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots" / "bench.png")
    parser.add_argument("--gpu-json", type=Path, help="a benchmark recorded on a GPU machine")
    parser.add_argument("--size", default="1400x950", help="window size, WxH")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))

    import numpy as np

    from convviz.gui.app import ensure_app
    from convviz.gui.bench.view import BenchWindow

    app = ensure_app()
    errors: list[str] = []
    win = BenchWindow(show_message=lambda parent, title, text: errors.append(text))
    win.resize(width, height)
    win.show()
    yy, xx = np.mgrid[-3:4, -3:4]
    win.set_kernel(np.exp(-(xx**2 + yy**2) / 4.0).astype(np.float32))
    done: list[bool] = []
    win.sigSweepFinished.connect(done.append)
    win.start_sweep(sizes=[16, 32, 64, 128, 256], repeats=3)
    wait_until(app, lambda: bool(done))
    with tempfile.TemporaryDirectory() as tmp:
        path = args.gpu_json
        if path is None:
            path = Path(tmp) / "bench-gpu-EXAMPLE.json"
            path.write_text(json.dumps(example_gpu_benchmark()), encoding="utf-8")
        if not win.open_json(path):
            print(f"could not open {path}: {errors}", file=sys.stderr)
            return 2
    app.processEvents()
    win.grab().save(str(args.out))
    print(f"wrote {args.out}")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
