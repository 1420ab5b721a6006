"""What a lecture needs of the window after every key, as checks that return violations.

Used by the test suite (offscreen, every transition of the shipped deck) and by
``scripts/rehearse.py`` (a real X server with a window manager). Each check returns
a list of :class:`Violation`; an empty list is a pass.

- the window lies within the screen; after Esc the window state (full screen,
  maximised, geometry) is what it was before presentation mode;
- a label that carries a caveat ("Not a GPU time", "an EXAMPLE, not this machine",
  "assumed, not measured") and is meant to show is on screen, unclipped;
- in presentation mode no visible text is smaller than 28 px: a widget's, or one drawn in
  a graphics view (text items and pyqtgraph's axis ticks, e.g. the benchmark's plots and
  the image mode's colour bar; their clipping is not checked);
- no visible widget is squeezed below its minimum size hint;
- a label whose text does not fit shows it whole in a tooltip;
- no "running…"/"computing…" while nothing runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

MIN_PRESENTATION_PX = 28
MIN_SLIDER_TRAVEL = 80  # px a slider's handle can move along: less is a dot, not a control
#: the caveats, in English and in Chinese (convviz/gui/i18n/convviz_zh_CN.ts)
CAVEATS = (
    "Not a GPU time",
    "an EXAMPLE, not this machine",
    "assumed, not measured",
    "不是 GPU 时间",
    "示例，并非本机",
    "假设值，非实测",
)
BUSY_WORDS = ("running…", "computing…", "运行中…", "计算中…")


@dataclass(frozen=True)
class Violation:
    check: str
    where: str
    detail: str
    owner: str = ""  # the module of the nearest convviz widget holding it

    def __str__(self) -> str:
        own = f" [{self.owner}]" if self.owner else ""
        return f"{self.check}: {self.where}{own}: {self.detail}"


def owner(w: QtWidgets.QWidget | None) -> str:
    """The module of ``w``'s class, or of the nearest ancestor's that convviz defines:
    which source file to open for a violation."""
    while w is not None:
        module = type(w).__module__
        if module.startswith("convviz.") and not module.startswith("convviz.gui.widgets."):
            return module  # (the shared widgets belong to the screen that uses them)
        w = w.parentWidget()
    return ""


def _v(check: str, w: QtWidgets.QWidget, detail: str) -> Violation:
    return Violation(check, describe(w), detail, owner(w))


def describe(w: QtWidgets.QWidget) -> str:
    """A widget as a message names it: class, object name and the start of its text."""
    name = w.objectName() or ""
    text = widget_text(w)
    short = (text[:40] + "…") if len(text) > 40 else text
    return f"{type(w).__name__}{'#' + name if name else ''}" + (f" {short!r}" if text else "")


def widget_text(w: QtWidgets.QWidget) -> str:
    if isinstance(w, (QtWidgets.QLabel, QtWidgets.QAbstractButton)):
        return w.text().replace("\n", " ")
    if isinstance(w, QtWidgets.QComboBox):
        return w.currentText()
    if isinstance(w, QtWidgets.QLineEdit):
        return w.text()
    return ""


def shown(w: QtWidgets.QWidget) -> bool:
    """Visible, with every ancestor visible, and some area."""
    return w.isVisible() and w.width() > 0 and w.height() > 0


def _own(window: QtWidgets.QWidget, kind=QtWidgets.QWidget) -> list:
    """``window``'s widgets of ``kind``, without those of its own windows (the benchmark
    window is a child of the main window: it is checked as a window of its own)."""
    return [w for w in window.findChildren(kind) if w.window() is window]


def _texts(window: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    kinds = (QtWidgets.QLabel, QtWidgets.QAbstractButton, QtWidgets.QComboBox)
    return [w for w in _own(window) if isinstance(w, kinds) and shown(w)]


def windows(window: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """``window`` and the windows it opened that are on screen now (e.g. the benchmark)."""
    kinds = (Qt.WindowType.Window, Qt.WindowType.Dialog)
    opened = [
        w
        for w in window.findChildren(QtWidgets.QWidget)
        if w.isWindow() and w.windowType() in kinds and shown(w)
    ]
    return [window, *opened]


def _visible_rect(w: QtWidgets.QWidget, window: QtWidgets.QWidget) -> QtCore.QRect:
    """The part of ``w`` not cut away by its ancestors, in ``window`` coordinates."""
    rect = QtCore.QRect(w.mapTo(window, QtCore.QPoint(0, 0)), w.size())
    parent = w.parentWidget()
    while parent is not None and parent is not window:
        prect = QtCore.QRect(parent.mapTo(window, QtCore.QPoint(0, 0)), parent.size())
        rect = rect.intersected(prect)
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def _screen_rect(window: QtWidgets.QWidget) -> QtCore.QRect:
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    return screen.geometry()


def window_on_screen(
    window: QtWidgets.QWidget, screen: QtCore.QRect | None = None
) -> list[Violation]:
    """The window (its frame, where the window manager adds one) lies within its screen
    (or ``screen``: the offscreen platform's screen is 800×800, a test names its own)."""
    screen = _screen_rect(window) if screen is None else screen
    frame = window.frameGeometry()
    if screen.contains(frame):
        return []
    return [
        Violation(
            "window on screen",
            window.windowTitle() or "window",
            f"frame {frame.width()}×{frame.height()} at ({frame.x()}, {frame.y()}) "
            f"outside the screen {screen.width()}×{screen.height()}",
        )
    ]


def window_state(window: QtWidgets.QWidget) -> tuple:
    """What presentation mode must give back: full screen, maximised, and (when neither)
    the geometry."""
    full, maxed = window.isFullScreen(), window.isMaximized()
    geo = None if full or maxed else window.geometry().getRect()
    return (full, maxed, geo)


def state_restored(before: tuple, after: tuple) -> list[Violation]:
    if before == after:
        return []
    return [Violation("state after Esc", "window", f"was {before}, now {after}")]


def _text_fits(w: QtWidgets.QWidget) -> bool:
    """Whether a label's or a button's text shows whole in its box."""
    if hasattr(w, "shortened"):  # a FitLabel: it draws what fits, ending in "…"
        return not w.shortened
    if isinstance(w, QtWidgets.QLabel):
        if w.textFormat() == Qt.TextFormat.RichText or "<" in w.text() and ">" in w.text():
            return True  # laid out by a document: not measured here
        if w.pixmap() is not None and not w.pixmap().isNull():
            return True
        text = w.text()
        if not text:
            return True
        rect = w.contentsRect()
        margin = w.margin() * 2 + (w.indent() if w.indent() > 0 else 0)
        width = rect.width() - margin
        fm = w.fontMetrics()
        if w.wordWrap():
            need = fm.boundingRect(
                QtCore.QRect(0, 0, max(width, 1), 1 << 20), Qt.TextFlag.TextWordWrap, text
            )
            return need.height() <= rect.height() + 2 and need.width() <= width + 2
        lines = text.split("\n")
        wide = max(fm.horizontalAdvance(line) for line in lines)
        return wide <= width + 1 and fm.lineSpacing() * len(lines) <= rect.height() + 2
    if isinstance(w, QtWidgets.QAbstractButton) and w.text():
        return w.width() >= w.minimumSizeHint().width() - 1
    return True


def caveats_unclipped(window: QtWidgets.QWidget) -> list[Violation]:
    """Every shown caveat label lies inside the window and its ancestors, whole."""
    out = []
    for w in _own(window, QtWidgets.QLabel):
        text = w.text()
        if not any(c in text for c in CAVEATS):
            continue
        if not w.isVisibleTo(window) or not window.isVisible():
            continue  # not meant to show now
        full = QtCore.QRect(w.mapTo(window, QtCore.QPoint(0, 0)), w.size())
        seen = _visible_rect(w, window)
        if w.width() <= 0 or w.height() <= 0 or seen != full:
            out.append(_v("caveat clipped", w, f"shows {_wh(seen)} of {_wh(full)}"))
        elif not _text_fits(w) or not _rich_fits(w):  # a caveat is read, not hovered
            need = w.heightForWidth(w.contentsRect().width())
            detail = f"its text does not fit its box ({need} px tall text in {w.height()} px)"
            out.append(_v("caveat clipped", w, detail))
        else:
            out += _covered(w, full, window)
    return out


def _covered(w: QtWidgets.QWidget, rect: QtCore.QRect, window) -> list[Violation]:
    """A text drawn over the caveat ``w`` (``rect`` in ``window`` coordinates): a layout
    that ran out of room lays one widget over the next."""
    out = []
    for other in _texts(window):
        if other is w or other.isAncestorOf(w) or w.isAncestorOf(other):
            continue
        if not widget_text(other).strip():
            continue
        over = _visible_rect(other, window).intersected(rect)
        if over.width() > 2 and over.height() > 2:
            out.append(_v("caveat clipped", w, f"{describe(other)} lies over it ({_wh(over)})"))
    return out


def _rich_fits(w: QtWidgets.QLabel) -> bool:
    """Whether a word-wrapped label's text (rich text too, which :func:`_text_fits` does
    not measure) is no taller than the label."""
    if not w.wordWrap() or not w.text():
        return True
    need = w.heightForWidth(w.contentsRect().width())
    return need < 0 or need <= w.contentsRect().height() + 2


def _wh(r: QtCore.QRect) -> str:
    return f"{max(r.width(), 0)}×{max(r.height(), 0)}"


def _elided_with_tip(w: QtWidgets.QWidget) -> bool:
    """Whether hovering ``w`` shows its whole text."""
    text = widget_text(w).strip()
    hover = getattr(w, "hover_text", None)
    tip = (hover() if callable(hover) else w.toolTip()).replace("\n", " ")
    return bool(text) and text in tip


def text_sizes(window: QtWidgets.QWidget, minimum: int = MIN_PRESENTATION_PX) -> list[Violation]:
    """In presentation mode: every shown text at ``minimum`` px or more, the widgets' and
    what the window's plots draw (:func:`drawn_text_sizes`)."""
    out = []
    for w in _texts(window):
        if not widget_text(w).strip():
            continue
        px = QtGui.QFontInfo(w.font()).pixelSize()
        if px < minimum:
            out.append(_v("text size", w, f"{px} px < {minimum} px"))
    return out + drawn_text_sizes(window, minimum)


def _px(font: QtGui.QFont) -> int:
    return font.pixelSize() if font.pixelSize() > 0 else QtGui.QFontInfo(font).pixelSize()


def _drawn_texts(item: QtWidgets.QGraphicsItem) -> list[tuple[str, int]]:
    """(text, px) of what a graphics item writes: a text item's runs (a rich text's each
    in its own size), an axis's ticks (pyqtgraph's AxisItem: its ``tickFont``)."""
    if isinstance(item, QtWidgets.QGraphicsTextItem):
        runs = []
        block = item.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid() and frag.text().strip():
                    runs.append((frag.text(), _px(frag.charFormat().font())))
                it += 1
            block = block.next()
        return runs
    if isinstance(item, QtWidgets.QGraphicsSimpleTextItem):
        return [(item.text(), _px(item.font()))] if item.text().strip() else []
    style = getattr(item, "style", None)  # a pyqtgraph AxisItem showing its tick values
    if isinstance(style, dict) and style.get("showValues") and "tickFont" in style:
        font = style["tickFont"] or QtWidgets.QApplication.font()  # (what it then draws in)
        return [(f"{getattr(item, 'orientation', '')} axis ticks", _px(font))]
    return []


def drawn_text_sizes(
    window: QtWidgets.QWidget, minimum: int = MIN_PRESENTATION_PX
) -> list[Violation]:
    """Texts drawn in the window's shown graphics views (the benchmark's plots, the image
    mode's colour bar) under ``minimum`` px: they are not widgets, so the widgets' check
    does not see them."""
    out = []
    for view in _own(window, QtWidgets.QGraphicsView):
        scene = view.scene()
        if scene is None or not shown(view):
            continue
        for item in scene.items():
            if not item.isVisible():
                continue
            for text, px in _drawn_texts(item):
                if px < minimum:
                    detail = f"{text.strip()[:40]!r} drawn at {px} px < {minimum} px"
                    out.append(_v("text size", view, detail))
    return out


def squeezed(window: QtWidgets.QWidget) -> list[Violation]:
    """Shown widgets smaller than their minimum size hint, and sliders whose handle has
    less than :data:`MIN_SLIDER_TRAVEL` px to move in (a slider shrunk to a dot: its own
    size hint asks for less)."""
    out = []
    kinds = (QtWidgets.QAbstractSlider, QtWidgets.QAbstractButton, QtWidgets.QComboBox)
    for w in _own(window):
        if not isinstance(w, kinds) or not shown(w):
            continue
        hint = w.minimumSizeHint()
        if not hint.isValid():
            continue
        if isinstance(w, QtWidgets.QSlider):
            if w.orientation() == Qt.Orientation.Horizontal:
                hint.setWidth(max(hint.width(), MIN_SLIDER_TRAVEL))
            else:
                hint.setHeight(max(hint.height(), MIN_SLIDER_TRAVEL))
        if w.width() < hint.width() - 1 or w.height() < hint.height() - 1:
            size = f"{w.width()}×{w.height()} < minimum {hint.width()}×{hint.height()}"
            out.append(_v("squeezed", w, size))
    return out


def elided_without_tip(window: QtWidgets.QWidget) -> list[Violation]:
    """Labels whose text does not fit their box, with no tooltip holding all of it."""
    out = []
    for w in _texts(window):
        if not isinstance(w, QtWidgets.QLabel) or not w.text().strip():
            continue
        if _text_fits(w) or _elided_with_tip(w):
            continue
        out.append(_v("cut without tooltip", w, "text does not fit"))
    return out


def stale_busy(window, busy: bool) -> list[Violation]:
    """ "running…"/"computing…" shown while ``busy`` is False. The race's lanes say
    "computing…" as a phase of the race being played: they are not checked."""
    if busy:
        return []
    race = getattr(window, "race", None)
    out = []
    for w in (w for each in windows(window) for w in _texts(each)):
        if race is not None and (w is race or race.isAncestorOf(w)):
            continue
        text = widget_text(w)
        if any(b in text for b in BUSY_WORDS):
            out.append(_v("stale busy text", w, "nothing runs"))
    return out


def app_busy(window) -> bool:
    """Whether the window's runs (lesson, image, benchmark) are under way."""
    runner = getattr(window, "runner", None)
    if runner is not None and runner.busy:
        return True
    bench = getattr(window, "bench_window", None)
    worker = getattr(bench, "worker", None) if bench is not None else None
    return bool(getattr(worker, "busy", False))


def check_all(
    window, presentation: bool | None = None, screen: QtCore.QRect | None = None
) -> list[Violation]:
    """Every check that needs only the window as it is now, for the window and each
    window it opened (the benchmark) that is on screen."""
    if presentation is None:
        presentation = bool(getattr(getattr(window, "presentation", None), "active", False))
    out = stale_busy(window, app_busy(window))
    for each in windows(window):
        out += window_on_screen(each, screen) + caveats_unclipped(each) + squeezed(each)
        out += elided_without_tip(each)
        if presentation:
            out += text_sizes(each)
    return out
