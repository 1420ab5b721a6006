"""Work the window skips at start must change nothing a user sees: a hidden FitLabel
fits its text when shown (or asked), and the theme repaints only when its colours change."""

from __future__ import annotations

from convviz.gui import theme
from convviz.gui.widgets.fit_label import FitLabel

LONG = "a title far too long for the narrow label that holds it " * 3


def test_a_hidden_label_fits_when_shown(qtbot):
    label = FitLabel("short", lines=1)
    qtbot.addWidget(label)
    label.resize(120, label.sizeHint().height())
    label.setText(LONG)  # hidden: fitted later
    label.show()
    qtbot.waitExposed(label)
    drawn = FitLabel.__mro__[1].text(label)  # what Qt paints, not shown_text()
    assert drawn.endswith("…") and label.fontMetrics().horizontalAdvance(drawn) <= 120
    label.setText("short")  # shown: fitted at once
    assert FitLabel.__mro__[1].text(label) == "short"


def test_a_hidden_label_says_what_it_shows_fitted(qtbot):
    label = FitLabel(LONG, lines=1)
    qtbot.addWidget(label)
    label.resize(120, label.sizeHint().height())
    assert label.shortened and label.shown_text().endswith("…")
    assert label.hover_text() == LONG


def test_the_theme_repaints_only_when_it_changes(qtbot):
    seen: list[int] = []
    theme.changes().sigThemeChanged.connect(lambda: seen.append(1))
    try:
        theme.apply()
        assert seen == []  # the light theme already in use: nothing to repaint
        theme.apply(dark=True)
        assert seen == [1] and theme.palette() == theme.make_palette(dark=True)
        theme.apply(dark=True)
        assert seen == [1]
    finally:
        theme.apply()
    assert seen == [1, 1] and theme.palette() == theme.make_palette()
