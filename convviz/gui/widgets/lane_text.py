"""Lane results and the core's messages in the language in use, for every screen.

:mod:`convviz.lane_text` says what a :class:`~convviz.engine.LaneResult` is in words;
this module gives those words Qt's translation (context ``LaneText``) and the
window's look (rich text, the error colour for warnings), so that the lesson, image
mode, the race and the benchmark window show the same facts in the same words. The
device line, the device choice's reason and the image loader's notes are translated
here too: they sit below the screens, which never import each other.
"""

from __future__ import annotations

import html

from PySide6 import QtCore

from convviz import lane_text
from convviz.core.image_read import NOTE_TEMPLATES
from convviz.engine import LaneResult
from convviz.gui import theme
from convviz.gui.widgets.error_text import error_text
from convviz.lane_text import Line


def tr(text: str) -> str:
    return QtCore.QCoreApplication.translate(lane_text.CONTEXT, text)


def translated_device(device: str) -> str:
    """A backend's device line where a lane has nothing better (a GPU's name and SMs, a
    simulator named in the record): the name stays, the simulator's phrases are translated.
    A CPU's threads come from the lane's fields (:func:`device`), never from this line."""
    translate = QtCore.QCoreApplication.translate
    for english, shown in (
        ("Numba CUDA simulator on the CPU", translate("Device", "Numba CUDA simulator on the CPU")),
        (" (simulated on CPU)", translate("Device", " (simulated on CPU)")),
    ):
        device = device.replace(english, shown)
    return device


def reason_text(reason: str) -> str:
    """The device choice's sentence (English, from the Qt-free core) in the language in
    use: its known phrases are translated, anything else is kept as it is."""
    translate = QtCore.QCoreApplication.translate
    phrases = (
        (
            "no NVIDIA driver found (libcuda could not be loaded)",
            translate("Device", "no NVIDIA driver found (libcuda could not be loaded)"),
        ),
        (
            "the CUDA kernel runs on Numba's simulator on the CPU",
            translate("Device", "the CUDA kernel runs on Numba's simulator on the CPU"),
        ),
        (
            "Numba's CUDA simulator on the CPU",
            translate("Device", "Numba's CUDA simulator on the CPU"),
        ),
        (
            "the NVIDIA driver answered but reports no GPU",
            translate("Device", "the NVIDIA driver answered but reports no GPU"),
        ),
        (
            "the NVIDIA driver did not initialise",
            translate("Device", "the NVIDIA driver did not initialise"),
        ),
        ("CUDA turned off by", translate("Device", "CUDA turned off by")),
        ("NVIDIA GPU(s) found", translate("Device", "NVIDIA GPU(s) found")),
    )
    for english, shown in phrases:
        reason = reason.replace(english, shown)
    return reason


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
    template = NOTE_TEMPLATES.get(getattr(note, "id", ""))
    if template is None:
        return note
    shown = QtCore.QCoreApplication.translate("ImageViews", template)
    return shown.format(*getattr(note, "args", ()))


WORDS = lane_text.Words(tr=tr, device=lambda d: translated_device(d), error=error_text)


def device(lane: LaneResult) -> str:
    """Where ``lane`` ran, in the language in use (from the lane's fields)."""
    return lane_text.device_text(lane, WORDS)


def lines(lane: LaneResult, *, device: bool = True, cores: bool = True) -> list[Line]:
    """The lane's facts in the language in use (see :func:`convviz.lane_text.lines`)."""
    return lane_text.lines(lane, WORDS, device=device, cores=cores)


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
