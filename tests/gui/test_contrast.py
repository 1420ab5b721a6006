"""Every text the app draws meets WCAG AA contrast (4.5:1) against what it is drawn on,
in the light and the dark theme, plain and high contrast: computed from the lesson's
palette (``theme.make_palette``) and from the application's QPalette
(``appearance.palette``) with the WCAG 2.x formula written out here."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6 import QtGui

from convviz.gui import appearance, theme

AA = 4.5
THEMES = list(itertools.product((False, True), (False, True)))  # (dark, high contrast)


def _linear(channel: float) -> float:
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str | QtGui.QColor) -> float:
    q = QtGui.QColor(color)
    r, g, b = q.red(), q.green(), q.blue()
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(fg, bg) -> float:
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def _app_pairs(dark: bool, high: bool) -> dict[str, tuple[str, str]]:
    """(text, background) of the application palette's text roles."""
    p = appearance.palette(dark, high)
    P = QtGui.QPalette

    def c(role) -> str:
        return p.color(P.Active, role).name()

    return {
        "window text": (c(P.WindowText), c(P.Window)),
        "text on base": (c(P.Text), c(P.Base)),
        "text on alternate base": (c(P.Text), c(P.AlternateBase)),
        "button text": (c(P.ButtonText), c(P.Button)),
        "tool tip": (c(P.ToolTipText), c(P.ToolTipBase)),
        "highlighted text": (c(P.HighlightedText), c(P.Highlight)),
        "placeholder": (c(P.PlaceholderText), c(P.Base)),
        "link on base": (c(P.Link), c(P.Base)),
        "link on window": (c(P.Link), c(P.Window)),
    }


def _lesson_pairs(dark: bool, high: bool) -> dict[str, tuple[str, str]]:
    """(text, background) of every coloured text the views draw with the lesson palette."""
    pal = theme.make_palette(dark, high)
    window = appearance.palette(dark, high).color(QtGui.QPalette.Window).name()
    base = appearance.palette(dark, high).color(QtGui.QPalette.Base).name()
    pairs = {
        "digits on an empty cell": (pal.text, pal.empty_bg),
        "faint digits on an empty cell": (pal.faint_text, pal.empty_bg),
        "digits on a padded cell": (pal.text, pal.padded_bg),
        "faint digits on a padded cell": (pal.faint_text, pal.padded_bg),
        "on-error text on error": (pal.on_error, pal.error),
        "figure text on the figure": (theme.FIGURE_TEXT, theme.FIGURE_BG),
        "figure notes on the figure": (theme.FIGURE_MUTED, theme.FIGURE_BG),
    }
    for i, fill in enumerate(pal.block_fills):
        digits = theme.DIGITS_LIGHT if theme.white_reads_better(fill) else theme.DIGITS_DARK
        pairs[f"digits on block fill {i}"] = (digits, fill)
    for name in ("muted", "error", "agree"):
        pairs[f"{name} on the window"] = (getattr(pal, name), window)
        pairs[f"{name} on a text box"] = (getattr(pal, name), base)
    return pairs


@pytest.mark.parametrize(("dark", "high"), THEMES)
def test_every_text_colour_meets_aa(dark, high):
    low = {
        f"{name}: {fg} on {bg} = {contrast(fg, bg):.2f}"
        for name, (fg, bg) in {**_app_pairs(dark, high), **_lesson_pairs(dark, high)}.items()
        if contrast(fg, bg) < AA
    }
    assert not low, f"below {AA}:1 (dark={dark}, high contrast={high}):\n" + "\n".join(sorted(low))


@pytest.mark.parametrize("lut", ["diverging", "input"])
def test_digits_on_every_cell_colour_meet_aa(lut):
    """A cell's digits are white or black, picked per cell from its colour: on every
    colour of the map the pick reads at 4.5:1 or better."""
    table = theme.lut(lut)
    values = np.linspace(-1.0, 1.0, 256).astype(np.float32)
    white = theme.text_colors(values, (-1.0, 1.0), table)
    idx = np.clip(((values + 1.0) * 127.5).astype(int), 0, 255)
    low = []
    for i, w in zip(idx, white):
        bg = QtGui.QColor(*(int(v) for v in table[i, :3])).name()
        fg = theme.DIGITS_LIGHT if w else theme.DIGITS_DARK
        if contrast(fg, bg) < AA:
            low.append(f"{fg} on {bg} = {contrast(fg, bg):.2f}")
    assert not low, "\n".join(low)


NON_TEXT = 3.0  # WCAG 2.2 SC 1.4.11: user-interface components and their states


def non_text_low(p: QtGui.QPalette) -> list[str]:
    """Non-text parts below 3:1 against what they are drawn on: check-box and radio
    borders on the window, on a text box and on a highlighted menu row; the check mark
    on the filled box; the focus frame; a slider handle on the window."""
    c = appearance.indicator_colors(p)
    P = QtGui.QPalette.ColorRole
    grounds = {
        "window": p.color(P.Window),
        "base": p.color(P.Base),
        "menu row": p.color(P.Highlight),
    }
    pairs = {f"box border on {k}": (c["border"], g) for k, g in grounds.items() if k != "menu row"}
    row = appearance.indicator_colors(p, selected=True)
    pairs["box border on a highlighted menu row"] = (row["border"], grounds["menu row"])
    pairs["check mark on a highlighted menu row"] = (row["mark"], row["fill"])
    pairs["check mark on the checked box"] = (c["mark"], c["fill"])
    pairs["focus frame on window"] = (c["focus"], grounds["window"])
    pairs["focus frame on base"] = (c["focus"], grounds["base"])
    pairs["slider handle on window"] = (c["handle"], grounds["window"])
    return [
        f"{name}: {fg.name()} on {bg.name()} = {contrast(fg, bg):.2f}"
        for name, (fg, bg) in pairs.items()
        if contrast(fg, bg) < NON_TEXT
    ]


@pytest.mark.parametrize(("dark", "high"), THEMES)
def test_check_boxes_marks_focus_and_handles_meet_3_to_1(dark, high):
    low = non_text_low(appearance.palette(dark, high))
    assert not low, f"below {NON_TEXT}:1 (dark={dark}, high contrast={high}):\n" + "\n".join(low)


def test_the_non_text_checker_catches_a_planted_low_contrast_palette():
    p = appearance.palette(True, False)
    P = QtGui.QPalette.ColorRole
    p.setColor(P.WindowText, QtGui.QColor("#141517"))  # the old dark check box border
    low = non_text_low(p)
    assert any("box border on window" in line for line in low)
    assert any("check mark" in line for line in low)


def _grab(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    ptr = img.constBits()
    a = np.frombuffer(ptr, np.uint8, img.sizeInBytes()).reshape(img.height(), -1, 4)
    return a[:, : img.width(), 2::-1].copy()  # BGRA -> RGB


@pytest.mark.parametrize(("dark", "high"), THEMES)
def test_a_drawn_check_box_shows_its_border_and_mark(qtbot, dark, high):
    """Pixels, not colour names: the box as the style draws it in each theme."""
    from PySide6 import QtWidgets

    look = appearance.Appearance()
    look.apply("dark" if dark else "light", high)
    try:
        boxes = []
        for checked in (False, True):
            cb = QtWidgets.QCheckBox("x")
            cb.setChecked(checked)
            qtbot.addWidget(cb)
            cb.resize(cb.sizeHint())
            opt = QtWidgets.QStyleOptionButton()
            cb.initStyleOption(opt)
            r = cb.style().subElementRect(QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator, opt, cb)
            boxes.append(_grab(cb)[r.top() : r.bottom() + 1, r.left() : r.right() + 1])
        bg = cb.palette().color(QtGui.QPalette.ColorRole.Window)
        lum_bg = luminance(bg)

        def best(px: np.ndarray, ref: float) -> float:
            lums = [luminance(QtGui.QColor(*map(int, v))) for v in px.reshape(-1, 3)]
            return max((max(x, ref) + 0.05) / (min(x, ref) + 0.05) for x in lums)

        assert best(boxes[0], lum_bg) >= NON_TEXT  # the empty box is seen
        differ = (boxes[0].astype(int) - boxes[1].astype(int)).any(axis=-1)
        assert differ.sum() > 10  # the checked box looks different: fill and mark
    finally:
        look.restore()


@pytest.mark.parametrize(("dark", "high"), THEMES)
def test_a_drawn_slider_shows_its_whole_track(qtbot, dark, high):
    """The track a handle travels, far from the handle, stands out from the window at
    3:1 in every theme: a slider never reads as a handle alone (a dot)."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import Qt

    look = appearance.Appearance()
    look.apply("dark" if dark else "light", high)
    try:
        slider = QtWidgets.QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, 100)
        slider.setValue(0)  # the handle at the left: the right half is bare track
        qtbot.addWidget(slider)
        slider.resize(200, slider.sizeHint().height())
        px = _grab(slider)[:, 120:180]
        bg = luminance(slider.palette().color(QtGui.QPalette.ColorRole.Window))
        lums = [luminance(QtGui.QColor(*map(int, v))) for v in px.reshape(-1, 3)]
        best = max((max(x, bg) + 0.05) / (min(x, bg) + 0.05) for x in lums)
        assert best >= NON_TEXT
    finally:
        look.restore()
