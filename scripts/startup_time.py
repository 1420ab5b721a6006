"""Time from launch to the window shown: convviz (first and second launch) beside a bare
PySide6 + pyqtgraph window, measured in one run, the same way for each.

Each launch is a fresh Python process that shows its window, lets Qt paint it
once and exits; the time is the parent's wall clock from spawn to exit
(median of --repeats). The first convviz launch starts from an empty numba
cache (NUMBA_CACHE_DIR in a temporary folder); the second reuses it.

    python scripts/startup_time.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys
from PySide6 import QtCore, QtWidgets
import pyqtgraph as pg
app = QtWidgets.QApplication(sys.argv)
w = QtWidgets.QMainWindow()
w.setCentralWidget(pg.GraphicsLayoutWidget())
w.resize(1200, 800)
w.show()
QtCore.QTimer.singleShot(0, app.quit)
app.exec()
"""

CONVVIZ = """
from PySide6 import QtCore
from convviz.gui import app
qt = app.ensure_app()
# what app.main does, then quit once the window is shown; without the kernels' warm-up,
# which starts after the first paint, in the worker, and is not part of the window's start
w = app.create_window([], warm_up=False)
w.show()
QtCore.QTimer.singleShot(0, qt.quit)
qt.exec()
"""


def launch(code: str, env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    bare = [launch(BARE, env) for _ in range(args.repeats)]
    first, second = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as cache:
            e = dict(env, NUMBA_CACHE_DIR=cache)
            first.append(launch(CONVVIZ, e))
            second.append(launch(CONVVIZ, e))
    med = statistics.median
    print(f"bare PySide6 + pyqtgraph window : {med(bare) * 1e3:7.0f} ms (median of {len(bare)})")
    print(
        f"convviz, first launch (no cache): {med(first) * 1e3:7.0f} ms "
        f"({med(first) / med(bare):.2f}× bare)"
    )
    print(
        f"convviz, second launch          : {med(second) * 1e3:7.0f} ms "
        f"({med(second) / med(bare):.2f}× bare)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
