"""Start-up times: the window shown, the kernels ready, a first `convviz run`.

1. Time from launch to the window shown and painted: convviz (first and second launch)
   beside a bare PySide6 + pyqtgraph window, measured the same way for each: each
   process says when its window's first paint is done (the parent's clock from spawn
   to then) and quits; spawn to exit is printed beside it (it adds what the window does
   after its first paint, e.g. convviz building image mode and the race and starting
   the kernels' warm-up, whose compile under way it lets finish before it exits, and
   Python's teardown: not comparable with figures from before).
   convviz is launched as ``convviz`` launches it (:func:`convviz.cli.open_app`), which
   pauses Python's garbage collector until the window is painted; the bare window is
   timed twice, as it is and with the collector paused the same way, so that both what
   the user waits for (against the first) and what convviz's own modules and window add
   (against the second) show.
   A window that quits without reporting its paint, or does not end, stops the script
   with :class:`NotPainted`: it is never counted.
2. The kernels ready: a fresh process does the app's warm-up (the CPU kernels for
   the demo lesson, as the window does after its first paint).
3. A first ``convviz run`` of a bundled sample image, end to end.

Each launch is a fresh Python process; its time is the parent's wall clock from
spawn to exit (median of --repeats), with the CPU seconds the process used beside
it (user + system: what the wall time would be on an idle machine, give or take).
The first launch of each starts from an empty numba cache (NUMBA_CACHE_DIR in a
temporary folder); the second reuses it. The window's launches alternate with the bare
window's, after one uncounted launch of each that writes Python's bytecode (as an
installer does), so both load their modules alike and see the same load. The load
average is printed first: on a busy machine the wall times mean little.

Every launch starts without saved settings (XDG_CONFIG_HOME in a temporary folder), as
on a first install: the settings of whoever runs the script (a dark theme restyles the
window before it shows) would make the figures differ from one account to the next.
``--user-settings`` keeps the account's own.

With ``--baseline DIR`` (another checkout of convviz, e.g. ``git worktree add`` or
``git archive`` of an earlier commit), that checkout's window is launched in the same
interleaved loop, so a change is compared with what it changed under the same load.

    python scripts/startup_time.py [--repeats 5] [--only window] [--baseline DIR]
                                   [--user-settings]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

#: both windows quit once painted, and say when: the first paint event of a widget of
#: the window, then (after the whole window's paint, which runs in one go) the time
FIRST_PAINT = """
import time
from PySide6 import QtCore, QtWidgets


class FirstPaint(QtCore.QObject):
    def __init__(self, window, quit):
        super().__init__()
        self.window, self.quit, self.seen = window, quit, False

    def eventFilter(self, obj, event):
        if (
            not self.seen
            and event.type() == QtCore.QEvent.Type.Paint
            and isinstance(obj, QtWidgets.QWidget)
            and obj.window() is self.window
        ):
            self.seen = True
            QtCore.QTimer.singleShot(0, self.painted)
        return False

    def painted(self):
        print(f"PAINTED {time.time()!r}", flush=True)
        self.quit()
"""

BARE = (
    FIRST_PAINT
    + """
import sys
import pyqtgraph as pg
app = QtWidgets.QApplication(sys.argv)
w = QtWidgets.QMainWindow()
w.setCentralWidget(pg.GraphicsLayoutWidget())
w.resize(1200, 800)
hook = FirstPaint(w, app.quit)
app.installEventFilter(hook)
w.show()
app.exec()
"""
)

#: the bare window with Python's garbage collector paused from the start, as convviz pauses
#: it (convviz.collector): the pause speeds up importing PySide6 and pyqtgraph too, so
#: against this window the ratio is what convviz's own modules and window cost
BARE_PAUSED = "import gc\ngc.disable()\n" + BARE

#: convviz as ``convviz`` launches it (:func:`convviz.cli.open_app`), told to quit once
#: painted; an older checkout without it (``--baseline``): what its app.main did
CONVVIZ = """
import time


def painted():
    print(f"PAINTED {time.time()!r}", flush=True)
    from PySide6 import QtWidgets

    QtWidgets.QApplication.quit()


import convviz.cli

if hasattr(convviz.cli, "open_app"):
    convviz.cli.open_app([], painted=painted)
else:
    exec(OLDER)
""".replace(
    "OLDER",
    repr(
        FIRST_PAINT
        + """
from convviz.gui import app
qt = app.ensure_app()
w = app.create_window([], warm_up=False)
hook = FirstPaint(w, qt.quit)
qt.installEventFilter(hook)
w.show()
qt.exec()
"""
    ),
)


WARM_UP = """
import time
t0, c0 = time.perf_counter(), time.process_time()
from convviz import backends
from convviz.core.lessons import demo_lesson
prep = demo_lesson().prepare()
w0, p0 = time.perf_counter(), time.process_time()
facts = [backends.get(n).compile_facts(prep) for n in ("cpu", "cpu-parallel")]  # the warm-up's
w1, p1 = time.perf_counter(), time.process_time()
how = ", ".join("cache" if f.from_cache else "compiled" for f in facts)
print(f"warm-up {w1 - w0:.2f} s wall, {p1 - p0:.2f} s CPU ({how}); "
      f"with imports {w1 - t0:.2f} s wall, {p1 - c0:.2f} s CPU")
"""

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "convviz", "assets", "sample-camera.png")


def launch_cpu(
    code: str | None,
    env: dict,
    args: list[str] | None = None,
    cwd: str | None = None,
    window: bool = False,
    timeout: float = 300.0,
) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the child, seconds to its window painted: 0 when it
    has none) of ``python -c code`` (or ``python args``) run in ``cwd`` (``python -c``
    imports from there first). ``window``: the child must report its window's first
    paint before it exits (:class:`NotPainted` otherwise: a launch that quit without
    painting, or hung, would pass for a fast one). ``timeout``: seconds to wait for it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    spawned = time.time()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, *(["-c", code] if code else args or [])],
            env=env,
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise NotPainted(f"the launch did not end within {timeout:g} s") from None
    wall = time.perf_counter() - t0
    if code == WARM_UP:
        print("   ", proc.stdout.strip())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    painted = [line for line in proc.stdout.splitlines() if line.startswith("PAINTED ")]
    if window and not painted:
        raise NotPainted("the window quit without reporting its first paint")
    shown = float(painted[0].split()[1]) - spawned if painted else 0.0
    return wall, cpu, shown


class NotPainted(RuntimeError):
    """A window's launch that did not report its first paint: no time to count."""


def cold_and_warm(what: str, code: str | None, env: dict, repeats: int, args=None) -> None:
    """The first (empty cache) and second launch of ``code``, medians of ``repeats``."""
    first, second = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache:
            e = dict(env, NUMBA_CACHE_DIR=cache)
            first.append(launch_cpu(code, e, args))
            second.append(launch_cpu(code, e, args))
    for label, runs in (("first (no cache)", first), ("second", second)):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{what}, {label:16s}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--only", choices=("window", "kernels", "run"), help="one measurement")
    ap.add_argument("--baseline", help="another checkout whose window is timed alongside")
    ap.add_argument(
        "--user-settings", action="store_true", help="launch with this account's saved settings"
    )
    args = ap.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as config:
        if not args.user_settings:
            env["XDG_CONFIG_HOME"] = config  # no theme, language or recent files saved
        return measure(args, env)


def measure(args: argparse.Namespace, env: dict) -> int:
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if args.only in (None, "kernels"):
        cold_and_warm("kernels ready        ", WARM_UP, env, args.repeats)
    if args.only in (None, "run"):
        with tempfile.TemporaryDirectory() as out:
            run = ["-m", "convviz", "run", SAMPLE, "-o", os.path.join(out, "o.png"), "--force"]
            cold_and_warm("convviz run (sample)", None, env, args.repeats, run)
    if args.only not in (None, "window"):
        return 0
    # as installed: Python's bytecode written (an installer compiles it; a checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module of convviz at each launch,
    # and none of the bare window's), by one launch of each that is not counted
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    checkouts: dict[str, tuple[dict, str | None]] = {"convviz": (env, None)}
    if args.baseline:  # its convviz first on the path, from its folder
        base = os.path.abspath(args.baseline)
        path = os.pathsep.join(filter(None, [base, env.get("PYTHONPATH")]))
        checkouts["baseline"] = (dict(env, PYTHONPATH=path), base)
    launch_cpu(BARE, env, window=True)
    launch_cpu(BARE_PAUSED, env, window=True)
    for e, cwd in checkouts.values():
        launch_cpu(CONVVIZ, e, cwd=cwd, window=True)
    Runs = list[tuple[float, float, float]]  # (wall, CPU, to painted) seconds of each launch
    bare: Runs = []
    paused: Runs = []
    times: dict[str, tuple[Runs, Runs]] = {k: ([], []) for k in checkouts}
    for _ in range(args.repeats):  # interleaved: each sees the same load on the machine
        bare.append(launch_cpu(BARE, env, window=True))
        paused.append(launch_cpu(BARE_PAUSED, env, window=True))
        for name, (base_env, cwd) in checkouts.items():
            with tempfile.TemporaryDirectory() as cache:
                e = dict(base_env, NUMBA_CACHE_DIR=cache)
                times[name][0].append(launch_cpu(CONVVIZ, e, cwd=cwd, window=True))
                times[name][1].append(launch_cpu(CONVVIZ, e, cwd=cwd, window=True))
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    def med(runs: Runs, i: int) -> float:
        return statistics.median(r[i] for r in runs)

    def ratios(runs: Runs) -> str:
        """To the window painted, and spawn to exit (wall and the child's CPU), against
        the bare window's medians (the CPU ratio moves less with the load)."""
        shown, own = med(runs, 2) / med(bare, 2), med(runs, 2) / med(paused, 2)
        wall, cpu = med(runs, 0) / med(bare, 0), med(runs, 1) / med(bare, 1)
        return (
            f"painted at {med(runs, 2) * 1e3:4.0f} ms: {shown:.2f}× bare, "
            f"{own:.2f}× bare paused; to exit {wall:.2f}× (CPU {cpu:.2f}×)"
        )

    print(
        f"bare PySide6 + pyqtgraph window : painted at {med(bare, 2) * 1e3:4.0f} ms; "
        f"to exit {med(bare, 0) * 1e3:4.0f} ms wall, {med(bare, 1) * 1e3:4.0f} ms CPU "
        f"(medians of {len(bare)})"
    )
    print(
        f"the same, collector paused      : painted at {med(paused, 2) * 1e3:4.0f} ms; "
        f"to exit {med(paused, 0) * 1e3:4.0f} ms wall, {med(paused, 1) * 1e3:4.0f} ms CPU"
    )
    if args.baseline:
        first, second = times["baseline"]
        print(f"baseline {args.baseline}")
        print(f"  first launch  : {med(first, 0) * 1e3:7.0f} ms ({ratios(first)})")
        print(f"  second launch : {med(second, 0) * 1e3:7.0f} ms ({ratios(second)})")
    first, second = times["convviz"]
    print(f"convviz, first launch (no cache): {med(first, 0) * 1e3:7.0f} ms ({ratios(first)})")
    print(f"convviz, second launch          : {med(second, 0) * 1e3:7.0f} ms ({ratios(second)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
