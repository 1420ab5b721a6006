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


def create_window(argv: list[str] | None = None):
    """Build (but do not show) the main window on the built-in lesson.

    An image path in ``argv`` is checked with the engine's loader; this version
    teaches on the built-in lesson and says so in the status bar.
    """
    ensure_app()
    from convviz.gui.main_window import MainWindow

    window = MainWindow()
    paths = [a for a in (argv or []) if not a.startswith("-")]
    if paths:
        window.statusBar().showMessage(image_note(Path(paths[0])), 20_000)
    return window


def image_note(path: Path) -> str:
    from convviz.core.images import load_array
    from convviz.errors import ConvvizError

    try:
        arr = load_array(path)
    except ConvvizError as exc:
        return f"Could not open {path.name}: {exc}. Showing the built-in lesson."
    shape = "×".join(map(str, arr.shape[-2:]))
    return (f"{path.name} ({shape}) read fine, but images come in a later version: "
            "showing the built-in lesson.")


def main(argv: list[str] | None = None) -> int:
    app = ensure_app()
    window = create_window(list(sys.argv[1:] if argv is None else argv))
    window.show()
    window.focus_lesson()
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
