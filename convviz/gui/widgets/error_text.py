"""How the GUI shows an exception a worker caught: one line.

The workers (:mod:`convviz.gui.widgets.compute_worker`, :mod:`convviz.gui.bench.worker`)
hand over the exception object; the views turn it into text here, and only here.
"""

from __future__ import annotations

from convviz.errors import ConvvizError


def error_text(exc: BaseException) -> str:
    """One line: the engine's own message for a refusal (:class:`ConvvizError`), else the
    exception's type and the first line of its text (a bug or a driver failure)."""
    if isinstance(exc, ConvvizError):
        return " ".join(str(exc).split()) or type(exc).__name__
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
