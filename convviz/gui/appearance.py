"""Light and dark themes (following the system by default) and the high-contrast palette.

The choice — ``system``, ``light`` or ``dark`` — is kept with QSettings. With
``system`` the app reads ``QStyleHints.colorScheme()`` (Qt ≥ 6.5) and follows its
``colorSchemeChanged`` signal. The palette is set on the QApplication with the
Fusion style (which honours every palette role on every platform); the lesson's
own colours come from :mod:`convviz.gui.theme`, told through ``theme.apply`` when
that exists.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from convviz.gui import files, theme

CHOICES = ("system", "light", "dark")
SETTINGS_KEY = "theme"


def saved_choice() -> str:
    return files.saved_choice(SETTINGS_KEY, CHOICES)


def save_choice(choice: str) -> None:
    files.save_choice(SETTINGS_KEY, choice)


def system_is_dark() -> bool:
    hints = QtGui.QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def is_dark(choice: str) -> bool:
    return system_is_dark() if choice == "system" else choice == "dark"


def _set(p: QtGui.QPalette, role, color: str, disabled: str | None = None) -> None:
    p.setColor(role, QtGui.QColor(color))
    if disabled is not None:
        p.setColor(QtGui.QPalette.ColorGroup.Disabled, role, QtGui.QColor(disabled))


def palette(dark: bool, high_contrast: bool = False) -> QtGui.QPalette:
    """The app's palette: light, dark, or either at the highest contrast (presentation)."""
    P = QtGui.QPalette.ColorRole
    p = QtGui.QPalette()
    if high_contrast:
        fg, bg = ("#ffffff", "#000000") if dark else ("#000000", "#ffffff")
        base, alt, button = bg, ("#1a1a1a" if dark else "#f0f0f0"), bg
        muted, link = ("#a6a6a6" if dark else "#595959"), ("#ffd43b" if dark else "#0033cc")
        highlight, highlighted = ("#ffd43b", "#000000") if dark else ("#0033cc", "#ffffff")
    elif dark:
        fg, bg, base, alt, button = "#e9ecef", "#1e1f22", "#141517", "#25262b", "#2c2e33"
        muted, link, highlight, highlighted = "#7d8590", "#74c0fc", "#1971c2", "#ffffff"
    else:
        fg, bg, base, alt, button = "#111111", "#f1f3f5", "#ffffff", "#f8f9fa", "#e9ecef"
        muted, link, highlight, highlighted = "#646c74", "#1864ab", "#1864ab", "#ffffff"
    for role, color in (
        (P.Window, bg),
        (P.Base, base),
        (P.AlternateBase, alt),
        (P.Button, button),
        (P.ToolTipBase, base),
    ):
        _set(p, role, color)
    for role in (P.WindowText, P.Text, P.ButtonText, P.ToolTipText, P.BrightText):
        _set(p, role, fg, muted)
    _set(p, P.PlaceholderText, muted)
    _set(p, P.Link, link)
    _set(p, P.Highlight, highlight)
    _set(p, P.HighlightedText, highlighted)
    edge = fg if high_contrast else muted
    for role in (P.Light, P.Midlight, P.Mid, P.Dark, P.Shadow):
        _set(p, role, edge if role in (P.Dark, P.Shadow, P.Mid) else bg)
    return p


def indicator_colors(p: QtGui.QPalette, selected: bool = False) -> dict[str, QtGui.QColor]:
    """The colours :class:`ContrastStyle` draws check boxes, radio buttons, menu check
    marks, focus frames and slider handles with: the text colour for borders, fills and
    handles, the text-box colour for the mark on a filled box (each at 3:1 or more
    against what it is drawn on in every theme; tests/gui/test_contrast.py). On a
    highlighted menu row (``selected``) the highlighted-text colour takes the text's place."""
    R = QtGui.QPalette.ColorRole
    if selected:
        ink, ground = p.color(R.HighlightedText), p.color(R.Highlight)
        return dict(border=ink, fill=ink, mark=ground, box=ground, handle=ink, focus=ink)
    return {
        "border": p.color(QtGui.QPalette.ColorRole.WindowText),
        "fill": p.color(QtGui.QPalette.ColorRole.WindowText),
        "mark": p.color(QtGui.QPalette.ColorRole.Base),
        "box": p.color(QtGui.QPalette.ColorRole.Base),
        "handle": p.color(QtGui.QPalette.ColorRole.WindowText),
        "focus": p.color(QtGui.QPalette.ColorRole.WindowText),
    }


class ContrastStyle(QtWidgets.QProxyStyle):
    """Fusion, with check boxes, radio buttons, menu check marks and slider handles drawn
    in the palette's text colour: Fusion derives their outlines from the window colour,
    which in a dark theme leaves a box at about 1.1:1 against its background."""

    def __init__(self):
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter, widget=None):
        PE = QtWidgets.QStyle.PrimitiveElement
        if element in (PE.PE_IndicatorCheckBox, PE.PE_IndicatorItemViewItemCheck):
            self._box(option, painter, round_=False)
        elif element in (PE.PE_IndicatorRadioButton,):
            self._box(option, painter, round_=True)
        elif element == PE.PE_IndicatorMenuCheckMark:
            self._box(option, painter, round_=False)
        elif element == PE.PE_FrameFocusRect:
            c = indicator_colors(option.palette)
            painter.save()
            pen = QtGui.QPen(c["focus"], 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()
        else:
            super().drawPrimitive(element, option, painter, widget)

    def _box(self, option, painter, round_: bool) -> None:
        S = QtWidgets.QStyle.StateFlag
        c = indicator_colors(option.palette, bool(option.state & S.State_Selected))
        on = bool(option.state & S.State_On)
        partial = bool(option.state & S.State_NoChange)
        r = option.rect
        side = max(8, min(r.width(), r.height()) - 2)
        box = QtCore.QRectF(
            r.x() + (r.width() - side) / 2 + 0.5, r.y() + (r.height() - side) / 2 + 0.5, side, side
        )
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(QtGui.QPen(c["border"], 1.6))
        painter.setBrush(c["fill"] if (on or partial) and not round_ else c["box"])
        if round_:
            painter.drawEllipse(box)
            if on:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(c["fill"])
                dot = side * 0.28
                painter.drawEllipse(box.adjusted(dot, dot, -dot, -dot))
        else:
            painter.drawRoundedRect(box, 2, 2)
            pen = QtGui.QPen(c["mark"], max(1.8, side / 7))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            if partial:
                painter.drawLine(
                    QtCore.QPointF(box.left() + side * 0.25, box.center().y()),
                    QtCore.QPointF(box.right() - side * 0.25, box.center().y()),
                )
            elif on:
                path = QtGui.QPainterPath()
                path.moveTo(box.left() + side * 0.22, box.top() + side * 0.52)
                path.lineTo(box.left() + side * 0.42, box.top() + side * 0.72)
                path.lineTo(box.left() + side * 0.78, box.top() + side * 0.3)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
        painter.restore()

    def drawComplexControl(self, control, option, painter, widget=None):
        super().drawComplexControl(control, option, painter, widget)
        CC = QtWidgets.QStyle.ComplexControl
        if control == CC.CC_Slider:
            SC = QtWidgets.QStyle.SubControl
            rect = self.subControlRect(control, option, SC.SC_SliderHandle, widget)
            groove = self.subControlRect(control, option, SC.SC_SliderGroove, widget)
            c = indicator_colors(option.palette)
            painter.save()
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            # the track outlined in the border colour: the whole length a handle can
            # travel shows (3:1 or more), not a handle alone on a track of the ground's
            painter.setPen(QtGui.QPen(c["border"], 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            track = QtCore.QRectF(groove).adjusted(0.5, 0.5, -0.5, -0.5)
            if option.orientation == Qt.Orientation.Horizontal:
                track.setTop(groove.center().y() - 2.5)
                track.setHeight(5)
            else:
                track.setLeft(groove.center().x() - 2.5)
                track.setWidth(5)
            painter.drawRoundedRect(track, 2, 2)
            painter.setPen(QtGui.QPen(c["box"], 1))
            painter.setBrush(c["handle"])
            painter.drawRoundedRect(QtCore.QRectF(rect).adjusted(1, 1, -1, -1), 3, 3)
            painter.restore()


def _app() -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication), "a theme needs a QApplication"
    return app


class Appearance:
    """Applies the theme to the app; remembers what it found so tests can undo it."""

    def __init__(self):
        self.choice = "system"
        self.high_contrast = False
        self.dark = False
        self._original: tuple | None = None
        self._following = False
        self._on_change = None

    def apply(
        self, choice: str | None = None, high_contrast: bool | None = None, on_change=None
    ) -> bool:
        """Set the theme (``None`` keeps the current value); returns whether it is dark."""
        app = _app()
        if choice is not None:
            if choice not in CHOICES:
                raise ValueError(f"unknown theme {choice!r}; known: {', '.join(CHOICES)}")
            self.choice = choice
        if high_contrast is not None:
            self.high_contrast = high_contrast
        if self._original is None:
            self._original = (app.palette(), app.style().name())
        if not self._following:
            hints = QtGui.QGuiApplication.styleHints()
            if hasattr(hints, "colorSchemeChanged"):
                hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
                self._following = True
        if on_change is not None:
            self._on_change = on_change
        self.dark = is_dark(self.choice)
        if self.dark or self.high_contrast or self.choice == "light":
            if not isinstance(app.style(), ContrastStyle):
                app.setStyle(ContrastStyle())
            app.setPalette(palette(self.dark, self.high_contrast))
        else:  # the system's own light palette
            app.setPalette(self._original[0])
        theme.apply(dark=self.dark, high_contrast=self.high_contrast)
        if self._on_change is not None:
            self._on_change()
        return self.dark

    def _on_system_scheme_changed(self, *_):
        if self.choice == "system":
            self.apply()

    def restore(self) -> None:
        """Put back the palette and style found before the first :meth:`apply`."""
        hints = QtGui.QGuiApplication.styleHints()
        if self._following:
            try:
                hints.colorSchemeChanged.disconnect(self._on_system_scheme_changed)
            except (RuntimeError, TypeError):
                pass
            self._following = False
        if self._original is not None:
            app = _app()
            pal, style = self._original
            ours = isinstance(app.style(), ContrastStyle)
            if ours or app.style().name().lower() != style.lower():
                app.setStyle(style)
            app.setPalette(pal)
            self._original = None
        theme.apply(dark=False, high_contrast=False)
