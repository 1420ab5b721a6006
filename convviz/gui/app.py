"""The desktop app's entry point: ``convviz [IMAGE]`` or ``convviz --deck FILE``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from convviz import collector
from convviz.errors import ConvvizError
from convviz.gui.widgets.screen_fit import fit_to_screen  # (the app's, and its windows')

_configured = False
#: the garbage collector resumes this long after the window is shown at the latest, if
#: the window is not painted before (started minimised, on a hidden workspace)
RESUME_COLLECTOR_MS = 10_000


def configure() -> None:
    """pyqtgraph options every view relies on (row-major images); once per process."""
    global _configured
    if not _configured:
        import pyqtgraph as pg

        pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
        _configured = True


def ensure_app():
    """The QApplication (created if needed)."""
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(sys.argv[:1])
        app.setApplicationName("convviz")
    configure()
    return app


def create_window(argv: list[str] | None = None, warm_up: bool = True):
    """Build (but do not show) the main window: on the built-in lesson, on the first
    scene of the deck of ``--deck FILE``, or on the image named in ``argv`` (a file
    that cannot be read is explained in a dialog and the window stays on the lesson).
    ``warm_up``: once painted, compile the kernels in the worker, saying so (tests that
    time nothing turn it off; a window not painted yet, e.g. started minimised, warms up
    when it is first drawn, and a run before then compiles what it needs)."""
    ensure_app()
    from convviz.gui.main_window import MainWindow

    window = MainWindow(warm_up=warm_up)
    argv = list(argv or [])
    if argv[:1] == ["--deck"] and len(argv) > 1:
        window.deck.open(Path(argv[1]))  # a deck's problems are told on screen
        return window
    paths = [a for a in argv if not a.startswith("-")]
    if paths:
        window.open_image(Path(paths[0]))
    return window


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """Why no window can open here, in one sentence; "" when one can.

    On Linux and the BSDs Qt needs an X11 or Wayland display (or a headless platform
    plugin such as ``QT_QPA_PLATFORM=offscreen``); without one it aborts the process."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return ""
    qpa = env.get("QT_QPA_PLATFORM", "").strip()
    x11, wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    # QT_QPA_PLATFORM is "name[:options]", or several such tried in turn, split by ";"
    names = [p.split(":")[0].strip().lower() for p in qpa.split(";") if p.strip()]
    for name in names or [""]:
        if name == "xcb" and x11 or name.startswith("wayland") and wayland:
            return ""
        if name == "" and (x11 or wayland):
            return ""
        if name not in ("", "xcb") and not name.startswith("wayland"):
            return ""  # offscreen, minimal, eglfs, vnc, …: no window system needed
    why = (
        f"QT_QPA_PLATFORM={qpa} but no {'DISPLAY' if 'xcb' in names else 'WAYLAND_DISPLAY'}"
        if x11 or wayland
        else "DISPLAY and WAYLAND_DISPLAY are unset"
    )
    return (
        f"no display to open the app on ({why}); "
        "the commands run, bench, info and export-animation need none"
    )


def main(argv: list[str] | None = None, painted: Callable[[], object] | None = None) -> int:
    """The app until it quits. ``painted``: called once the window's first paint is done
    (before the parts made after it); the garbage collector, if :func:`convviz.cli.open_app`
    paused it, resumes once those are made too, or :data:`RESUME_COLLECTOR_MS` after
    the window is shown where it is not painted by then."""
    problem = display_problem()
    if problem:
        raise ConvvizError(problem)
    app = ensure_app()
    from convviz.gui import i18n

    # the language the user chose (View → Language), else the system's; before any
    # window exists, so every string is created in it
    i18n.install(i18n.saved_choice())
    window = create_window(list(sys.argv[1:] if argv is None else argv))
    if painted is not None:
        window.later.sigPainted.connect(painted)
    window.later.sigReady.connect(collector.resume)
    if collector.is_paused():
        from PySide6.QtCore import QTimer

        QTimer.singleShot(RESUME_COLLECTOR_MS, window.later, collector.resume)
    fit_to_screen(window)
    window.show()
    window.focus_lesson()
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
