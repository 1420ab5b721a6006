"""Render the benchmark view offscreen to a PNG, for the README and for review.

    QT_QPA_PLATFORM=offscreen python scripts/bench_screenshot.py [--out FILE] [--gpu-json FILE]

The picture shows measured data only: the view runs a local sweep (a 7×7 kernel,
16² … 512², this machine's CPU backends) and draws those curves. A GPU curve and its
crossover appear only with ``--gpu-json FILE``, a benchmark recorded on a machine
with an NVIDIA GPU (``scripts/gpu_check.sh`` writes one); without it the view says
that there is no GPU curve, which is the truth on a machine without a GPU.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wait_until(app, condition, timeout_s: float = 600.0) -> None:
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
    win.start_sweep(sizes=[16, 32, 64, 128, 256, 512], repeats=5)
    wait_until(app, lambda: bool(done))
    if args.gpu_json is not None and not win.open_json(args.gpu_json):
        print(f"could not open {args.gpu_json}: {errors}", file=sys.stderr)
        return 2
    app.processEvents()
    win.grab().save(str(args.out))
    print(f"wrote {args.out}")
    print(win.status.text())
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
