"""Recent files (kept with QSettings), the main window's file dialogs and their
filters, and the file of a drop.

The settings live in an INI file in the user's config folder
(``QSettings(IniFormat, UserScope, "convviz", "convviz")``), so tests can move
them with ``QSettings.setPath(IniFormat, UserScope, tmp_path)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl

MAX_RECENT = 8
_KEY = "recentFiles"


def tr(text: str) -> str:
    return QCoreApplication.translate("files", text)


class WindowDialogs:
    """The main window's :class:`Dialogs`, over ``parent``; an error also goes to
    ``status`` (message, ms). Tests replace the members (``show_error``,
    ``ask_open_path``, ``ask_save_path``, ``ask_yes_no``) so that no modal dialog ever
    blocks them; ``last_error`` is the last error shown."""

    def __init__(self, parent: QtWidgets.QWidget, status: Callable[[str, int], None]):
        self.parent, self._status = parent, status
        self.last_error = ""
        self.show_error = self._show_error_box
        self.ask_open_path = partial(ask_open_path, parent)
        self.ask_save_path = partial(ask_save_path, parent)
        self.ask_yes_no = self._ask_yes_no

    def _show_error_box(self, title: str, message: str) -> None:
        """One clear message, not blocking: the app keeps what it had."""
        self.last_error = message
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Warning,
            title,
            message,
            QtWidgets.QMessageBox.StandardButton.Ok,
            self.parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        self._status(message, 15_000)

    def _ask_yes_no(self, title: str, question: str) -> bool:
        answer = QtWidgets.QMessageBox.question(self.parent, title, question)
        return answer == QtWidgets.QMessageBox.StandardButton.Yes


class Dialogs(Protocol):
    """The questions and messages a screen puts to the user (the main window's, which
    tests replace so that no modal dialog ever blocks them)."""

    def show_error(self, title: str, message: str) -> None: ...

    def ask_save_path(self, suggested: str, filters: list[tuple[str, str]]) -> str: ...

    def ask_yes_no(self, title: str, question: str) -> bool: ...


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "convviz", "convviz")


def saved_choice(key: str, choices, default: str = "system") -> str:
    """A remembered choice (theme, language), or ``default`` if unset or unknown."""
    value = settings().value(key, default)
    return value if isinstance(value, str) and value in choices else default


def save_choice(key: str, value: str) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()


def recent_files() -> list[Path]:
    value = settings().value(_KEY, [])
    if isinstance(value, str):  # one entry comes back as a plain string
        value = [value]
    return [Path(v) for v in (value if isinstance(value, list) else []) if v]


def add_recent(path: Path) -> list[Path]:
    """Put ``path`` first in the list (once), keep :data:`MAX_RECENT`; returns the list."""
    path = Path(path).resolve()
    items = [path] + [p for p in recent_files() if p != path]
    items = items[:MAX_RECENT]
    s = settings()
    s.setValue(_KEY, [str(p) for p in items])
    s.sync()
    return items


def clear_recent() -> None:
    s = settings()
    s.remove(_KEY)
    s.sync()


def open_filter() -> str:
    return (
        tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.gif *.pgm *.ppm *.pnm *.npy)")
        + ";;"
        + tr("All files (*)")
    )


#: save choices: (filter text, suffix, what is written)
def save_filters() -> list[tuple[str, str]]:
    return [
        (tr("PNG as displayed, 8-bit colour (*.png)"), ".png"),
        (tr("TIFF, exact float32, one channel (*.tif *.tiff)"), ".tif"),
        (tr("NumPy, exact float32 (*.npy)"), ".npy"),
    ]


def ask_open_path(parent) -> str:
    """File → Open: the image to open ('' when none), starting in the last one's folder."""
    start = str(recent_files()[0].parent) if recent_files() else ""
    return QtWidgets.QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("MainWindow", "Open an image"), start, open_filter()
    )[0]


def ask_save_path(parent, suggested: str, filters: list[tuple[str, str]]) -> str:
    """Save the result: the path ('' when none), with the chosen filter's suffix when
    the name has none."""
    path, chosen = QtWidgets.QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("MainWindow", "Save the result"),
        suggested,
        ";;".join(f for f, _ in filters),
    )
    if path and not Path(path).suffix:
        path += dict(filters).get(chosen, ".png")
    return path


def dropped_path(mime) -> Path | None:
    """The first local file of a drag-and-drop's data, or None."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if isinstance(url, QUrl) and url.isLocalFile():
            return Path(url.toLocalFile())
    return None


class DropTarget:
    """A window that opens the file dropped on it (``self.open_image(path)``): mixed
    into the main window before ``QMainWindow``."""

    def dragEnterEvent(self, event) -> None:
        if dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_image(path)  # type: ignore[attr-defined]  # the window's
