"""Spin boxes that refuse an out-of-range number out loud.

A plain QSpinBox given "17" where 1 … 4 is allowed drops the "7" and keeps "1": the
user sees a value they never asked for. These accept the typing, and when editing
ends with a number outside the range they keep the value they had and emit
``sigRefused`` with a sentence saying what was typed and what is allowed.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, Signal, SignalInstance

_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)\s*$")


def refusal_text(name: str, typed: str, lo, hi, kept) -> str:
    """The sentence a refused value gets (the field's name, what was typed, the range)."""
    return QCoreApplication.translate(
        "CheckedSpin", "{0}: {1} is out of range, allowed {2} to {3}; kept {4}"
    ).format(name, typed.strip(), lo, hi, kept)


class _Spin(Protocol):
    """What :class:`_Refusing` uses of the spin box it is mixed into (int or float values)."""

    name: str
    context: str

    @property
    def sigRefused(self) -> SignalInstance: ...
    def prefix(self) -> str: ...
    def suffix(self) -> str: ...
    def value(self) -> Any: ...
    def minimum(self) -> Any: ...
    def maximum(self) -> Any: ...
    def textFromValue(self, v: Any, /) -> str: ...
    def _bare(self, text: str) -> str: ...


class _Refusing:
    """Shared by both spin boxes: a number out of range is Intermediate while typing and
    refused (with ``sigRefused``) when editing ends."""

    name = ""  # the field's name, a source text of ``context`` (translated when shown)
    context = ""

    def _widen(self: _Spin, state: Any, text: str, pos: int) -> Any:
        result = state[0] if isinstance(state, tuple) else state
        if result == QtGui.QValidator.State.Invalid and _NUMBER.match(self._bare(text)):
            return (QtGui.QValidator.State.Intermediate, text, pos)
        return state

    def _bare(self: _Spin, text: str) -> str:
        t = text
        if self.prefix() and t.startswith(self.prefix()):
            t = t[len(self.prefix()) :]
        if self.suffix() and t.endswith(self.suffix()):
            t = t[: -len(self.suffix())]
        return t

    def _refuse(self: _Spin, text: str) -> None:
        typed = self._bare(text)
        if _NUMBER.match(typed):
            kept = self.textFromValue(self.value())
            lo, hi = self.textFromValue(self.minimum()), self.textFromValue(self.maximum())
            name = QCoreApplication.translate(self.context, self.name) if self.name else ""
            self.sigRefused.emit(refusal_text(name, typed, lo, hi, kept))


class CheckedSpinBox(_Refusing, QtWidgets.QSpinBox):
    sigRefused = Signal(str)

    def __init__(self, name: str = "", context: str = "", parent=None):
        super().__init__(parent)
        self.name, self.context = name, context

    def validate(self, text, pos):
        return self._widen(super().validate(text, pos), text, pos)

    def fixup(self, text):
        self._refuse(text)
        return super().fixup(text)


class CheckedDoubleSpinBox(_Refusing, QtWidgets.QDoubleSpinBox):
    sigRefused = Signal(str)

    def __init__(self, name: str = "", context: str = "", parent=None):
        super().__init__(parent)
        self.name, self.context = name, context

    def validate(self, text, pos):
        return self._widen(super().validate(text, pos), text, pos)

    def fixup(self, text):
        self._refuse(text)
        return super().fixup(text)


class RefusalLabel(QtWidgets.QLabel):
    """Where a panel says that a typed value was refused; hidden until then, and again
    after the next accepted edit (:meth:`clear`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("refusal")
        self.setWordWrap(True)
        self.hide()

    def refuse(self, message: str) -> None:
        from convviz.gui import theme

        pal = theme.palette()
        self.setStyleSheet(f"color: {pal.on_error}; background: {pal.error}; padding: 4px")
        self.setText(message)
        self.show()

    def clear(self, *_) -> None:
        self.hide()
        super().clear()

    def watch(self, *spins) -> None:
        """Say what ``spins`` refuse; forget it when one of them takes a value."""
        for spin in spins:
            spin.sigRefused.connect(self.refuse)
            spin.valueChanged.connect(self.clear)
