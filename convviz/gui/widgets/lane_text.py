"""Lane results and the core's messages in the language in use, for every screen.

:mod:`convviz.lane_text` says what a :class:`~convviz.engine.LaneResult` is in words;
this module gives those words Qt's translation (context ``LaneText``) and the
window's look (rich text, the error colour for warnings), so that the lesson, image
mode, the race and the benchmark window show the same facts in the same words. The
device choice's reasons and the image loader's notes are rendered here too, from their
ids and parameters: they sit below the screens, which never import each other.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6 import QtCore

from convviz import lane_text
from convviz.core.reasons import CONTEXT as REASONS_CONTEXT
from convviz.core.reasons import REASON_TEMPLATES, Reason
from convviz.gui import theme
from convviz.gui.widgets.error_text import error_text
from convviz.lane_text import Line

if TYPE_CHECKING:  # annotations only: the window paints before the engine is imported
    from convviz.engine import LaneResult


def tr(text: str) -> str:
    return QtCore.QCoreApplication.translate(lane_text.CONTEXT, text)


def reason_text(reason: str) -> str:
    """Why CUDA runs where it runs (a :class:`~convviz.core.reasons.Reason` of the
    device choice or the GPU probe) in the language in use: its template translated and
    filled with its parameters, a reason among them rendered the same way. A parameter
    that is no reason (a version, an exception's first line, a pip command) and a plain
    string are shown as they are."""
    template = REASON_TEMPLATES.get(getattr(reason, "id", ""))
    if template is None:
        return reason
    shown = QtCore.QCoreApplication.translate(REASONS_CONTEXT, template)
    args = getattr(reason, "args", ())
    return shown.format(*(reason_text(a) if isinstance(a, str) else a for a in args))


#: the loader's notes (core/image_read.py's NOTE_TEMPLATES), listed for lupdate
NOTE_TEXTS = (
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "16-bit {0} PNG read exactly (values 0..65535)"),
    QtCore.QT_TRANSLATE_NOOP(
        "ImageViews",
        "16-bit colour {0} reduced to 8 bits by Pillow (high byte kept, values 0..255)",
    ),
    QtCore.QT_TRANSLATE_NOOP(
        "ImageViews", "16-bit colour PNG reduced to 8 bits (high byte kept: {0})"
    ),
    QtCore.QT_TRANSLATE_NOOP(
        "ImageViews", "alpha/transparency dropped (stored colour values used)"
    ),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "colour -> grey (ITU-R 601-2 luma)"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "EXIF orientation {0} applied"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "EXIF unreadable, orientation not applied ({0})"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "EXIF orientation {0} is invalid; ignored"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "could not count the frames"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "first of {0} frames/pages loaded"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "1-bit -> grey 0/255"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "palette of greys -> grey"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "palette -> RGB"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "CMYK -> RGB (Pillow's formula, no colour profile)"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "YCbCr -> RGB"),
    QtCore.QT_TRANSLATE_NOOP("ImageViews", "{0} -> float32"),
)


def note_text(note: str) -> str:
    """One of the loader's notes in the language in use: its template translated and
    filled with its parameters (a plain string is shown as it is)."""
    from convviz.core.image_read import NOTE_TEMPLATES  # (with the first image: not at start-up)

    template = NOTE_TEMPLATES.get(getattr(note, "id", ""))
    if template is None:
        return note
    shown = QtCore.QCoreApplication.translate("ImageViews", template)
    return shown.format(*getattr(note, "args", ()))


def _error(exc: BaseException) -> str:
    """An exception in one line; a refusal whose message is a reason (a backend not
    available: :func:`convviz.engine.unavailable`) in the language in use."""
    message = exc.args[0] if exc.args else None
    return reason_text(message) if isinstance(message, Reason) else error_text(exc)


WORDS = lane_text.Words(tr=tr, error=_error)


def device(lane: LaneResult) -> str:
    """Where ``lane`` ran, in the language in use (from the lane's fields)."""
    return lane_text.device_text(lane, WORDS)


def lines(lane: LaneResult, *, device: bool = True, cores: bool = True) -> list[Line]:
    """The lane's facts in the language in use (see :func:`convviz.lane_text.lines`)."""
    return lane_text.lines(lane, WORDS, device=device, cores=cores)


def brief_time(lane: LaneResult) -> Line | None:
    """The lane's time line without min and max (presentation mode), or None."""
    return None if lane.record is None else lane_text.time_line(lane.record, WORDS, brief=True)


def cores_rich(lane: LaneResult) -> str:
    """The lane's cores' share as rich text ('' when not measured)."""
    line = lane_text.cores_line(lane, WORDS)
    return "" if line is None else rich_line(line)


def rich_line(line: Line, lead_px: int = 0) -> str:
    """One line as rich text: warnings and errors in the error colour, the lead figure
    bold (``lead_px`` large when given)."""
    text = html.escape(line.text)
    if line.lead:
        size = f"font-size:{lead_px}px" if lead_px else ""
        text = f"<span style='{size}'><b>{html.escape(line.lead)}</b></span> {text}"
    if line.kind in ("warning", "error"):
        return f"<b style='color:{theme.palette().error}'>{text}</b>"
    return text


def rich(lines_: list[Line], lead_px: int = 0) -> str:
    return "<br>".join(rich_line(line, lead_px) for line in lines_)
