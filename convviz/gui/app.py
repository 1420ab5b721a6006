"""The desktop app's entry point: ``convviz [IMAGE]``."""

from __future__ import annotations

import sys
from pathlib import Path

_configured = False


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
    """Build (but do not show) the main window: on the built-in lesson, or on the
    image named in ``argv`` (a file that cannot be read is explained in a dialog
    and the window stays on the lesson). ``warm_up``: once shown, compile the kernels
    in the worker, saying so (tests that time nothing turn it off)."""
    ensure_app()
    from convviz.gui.main_window import MainWindow

    window = MainWindow(warm_up=warm_up)
    paths = [a for a in (argv or []) if not a.startswith("-")]
    if paths:
        window.open_image(Path(paths[0]))
    return window


def main(argv: list[str] | None = None) -> int:
    app = ensure_app()
    from convviz.gui import i18n

    # the language the user chose (View → Language), else the system's; before any
    # window exists, so every string is created in it
    i18n.install(i18n.saved_choice())
    window = create_window(list(sys.argv[1:] if argv is None else argv))
    window.show()
    window.focus_lesson()
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
