"""A label whose tooltip is its text: a note that a short row cuts is read whole on hover."""

from __future__ import annotations

from PySide6 import QtWidgets


class TipLabel(QtWidgets.QLabel):
    """A :class:`QLabel` that shows all its text in its tooltip (kept with every
    ``setText``), for a note in a row that may be too short for it."""

    def setText(self, text: str) -> None:  # noqa: N802  (Qt's name)
        super().setText(text)
        self.setToolTip(text)
