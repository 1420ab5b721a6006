"""Light and dark themes (following the system by default) and the high-contrast palette.

The choice — ``system``, ``light`` or ``dark`` — is kept with QSettings. With
``system`` the app reads ``QStyleHints.colorScheme()`` (Qt ≥ 6.5) and follows its
``colorSchemeChanged`` signal. The palette is set on the QApplication with the
Fusion style (which honours every palette role on every platform); the lesson's
own colours come from :mod:`convviz.gui.theme`, told through ``theme.apply`` when
that exists.
"""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets
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
            if app.style().name().lower() != "fusion":
                app.setStyle("Fusion")
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
            if app.style().name().lower() != style.lower():
                app.setStyle(style)
            app.setPalette(pal)
            self._original = None
        theme.apply(dark=False, high_contrast=False)
