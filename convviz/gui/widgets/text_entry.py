"""Whether a widget takes typed text, so that the screens' key filters let keys through."""

from __future__ import annotations

from PySide6 import QtWidgets

_TEXT_ENTRY = (
    QtWidgets.QLineEdit,
    QtWidgets.QAbstractSpinBox,
    QtWidgets.QTextEdit,
    QtWidgets.QPlainTextEdit,
)


def is_text_entry(widget) -> bool:
    """True for a box someone types in: a line or text edit, a spin box, an editable combo."""
    return isinstance(widget, _TEXT_ENTRY) or (
        isinstance(widget, QtWidgets.QComboBox) and widget.isEditable()
    )
