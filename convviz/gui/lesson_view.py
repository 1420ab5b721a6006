"""The lesson picture: input (padded) · kernel = products, Σ → output, and the formulas.

Redraws from the :class:`LessonModel` through ``_on_lesson_changed`` (a new
lesson) and ``_on_position_changed`` (the window moved). After a parallel run
the output shows every cell at once, tinted by CUDA block.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core import cellmath
from convviz.core.kernels import PRESETS
from convviz.core.launch import thread_of
from convviz.core.stepper import fmt_number
from convviz.gui import theme
from convviz.gui.grid_view import Box, GridView, outline_pen
from convviz.gui.lesson_model import LessonModel


def padded_input(prep, channel: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(values, padded mask) of one channel in padded coordinates, as the taps read it."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    rows = [cellmath.map_index(i - pt, s.h, s.mode_code) for i in range(s.h + pt + pb)]
    cols = [cellmath.map_index(j - pl, s.w, s.mode_code) for j in range(s.w + pl + pr)]
    r, c = np.array(rows)[:, None], np.array(cols)[None, :]
    vals = np.where((r >= 0) & (c >= 0), prep.x[channel][np.maximum(r, 0), np.maximum(c, 0)], 0)
    padded = np.ones(vals.shape, bool)
    padded[pt:pt + s.h, pl:pl + s.w] = False
    return vals.astype(np.float32), padded


def _xyz(t) -> str:
    return "(" + ",".join(map(str, t)) + ")"


def _symbol(text: str) -> QtWidgets.QLabel:
    lab = QtWidgets.QLabel(text)
    lab.setFont(theme.font(40, bold=True))
    lab.setAlignment(Qt.AlignCenter)
    lab.setStyleSheet(f"color: {theme.MUTED}")
    return lab


class LessonView(QtWidgets.QWidget):
    sigInputCellClicked = Signal(int, int)  # input coordinates (padding excluded)
    sigKernelCellClicked = Signal(int, int)

    def __init__(self, model: LessonModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.input_view = GridView("Input")
        self.kernel_view = GridView("Kernel")
        self.products_view = GridView("Products w·x")
        self.output_view = GridView("Output")
        for view in (self.input_view, self.kernel_view, self.products_view, self.output_view):
            view.title.setFixedHeight(54)  # two lines: the four grids stay level
            view.title.setAlignment(Qt.AlignLeft | Qt.AlignBottom)
        self.input_view.add_outline("window", outline_pen(theme.WINDOW, 5))
        self.input_view.add_outline("taps", outline_pen(theme.TAP, 2, dashed=True))
        self.output_view.add_outline("blocks", outline_pen("#1c3d5a", 3, dashed=True))
        self.output_view.add_outline("current", outline_pen(theme.WINDOW, 5), z=5)
        self.parallel = None  # (out, record) while the output shows the parallel run
        self.channel = 0  # the input channel drawn (a lesson of several channels)
        self.channel_names: list[str] | None = None
        self.input_note = ""  # what the input shows, e.g. "region of photo.png"
        self._selected: tuple[str, int, int] | None = None

        row = QtWidgets.QHBoxLayout()
        row.setSpacing(4)
        for widget, stretch in ((self.input_view, 10), (_symbol("·"), 0),
                                (self.kernel_view, 5), (_symbol("="), 0),
                                (self.products_view, 5), (_symbol("Σ→"), 0),
                                (self.output_view, 9)):
            row.addWidget(widget, stretch)
        self.formula = QtWidgets.QLabel()
        self.formula.setFont(theme.mono_font(24, bold=True))
        self.formula.setTextFormat(Qt.RichText)
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.NoTextInteraction)
        self.sizes = QtWidgets.QLabel()
        self.sizes.setFont(theme.mono_font(18))
        self.sizes.setTextFormat(Qt.RichText)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("lessonError")
        self.error.setWordWrap(True)
        self.error.setFont(theme.font(22, bold=True))
        self.error.setStyleSheet(f"color: white; background: {theme.ERROR}; padding: 8px;")
        self.error.hide()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.formula)
        lay.addWidget(self.sizes)

        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigPositionChanged.connect(self._on_position_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        self.input_view.sigCellClicked.connect(self._on_input_clicked)
        self.kernel_view.sigCellClicked.connect(self.sigKernelCellClicked)
        self.output_view.sigCellHovered.connect(self._on_output_hovered)
        self.output_view.sigCellClicked.connect(self._on_output_hovered)
        self._on_lesson_changed()
        self._on_position_changed(model.pos)

    # -- model → view -------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        m = self.model
        prep, s = m.prep, m.prep.spec
        self.parallel = None
        if self.channel >= s.c_in:
            self.channel = 0
        vals, padded = padded_input(prep, self.channel)
        signed = bool((prep.x < 0).any())
        self._input_levels = theme.levels_for(prep.x, centred=signed)
        self._input_lut = "diverging" if signed else "input"
        self.input_view.set_data(vals, levels=self._input_levels, lut=self._input_lut,
                                 padded=padded)
        pad_txt = "no padding" if not any(s.padding) else (
            f"padding {self._padding_words(s)} ({s.padding_mode}, hatched)")
        note = f"{self.input_note}, " if self.input_note else ""
        if s.c_in > 1:
            note += self.tr("channel {0} of {1}, ").format(self._channel_name(self.channel),
                                                           s.c_in)
        note = note.replace("region, ", "region ")
        self.input_view.title.setText(f"Input {note}{s.h}×{s.w}, {pad_txt}")
        k = prep.w[0, self.channel if prep.w.shape[1] > 1 else 0]
        self.kernel_view.set_data(k, levels=theme.levels_for(k, centred=True), lut="diverging")
        name = PRESETS[m.lesson.kernel_name].label if m.lesson.kernel_name in PRESETS \
            else m.lesson.kernel_name
        flip = " rotated 180° (convolution)" if s.flip else ""
        dil = f", dilation {s.dilation[0]}" if s.dilation != (1, 1) else ""
        self.kernel_view.title.setText(f"Kernel {s.kh}×{s.kw} · {name}{flip}{dil}")
        big = float(np.abs(k).max() * max(np.abs(vals).max(), 1.0)) or 1.0
        self._product_levels = (-big, big)
        self._out_levels = theme.levels_for(m.reference, centred=True)
        stride = f", stride {s.stride[0]}" if s.stride != (1, 1) else ""
        self.output_view.title.setText(f"Output {s.out_h}×{s.out_w}{stride}")
        self.sizes.setText(
            f"H_out = {html.escape(s.output_size_text(0))}<br>"
            f"W_out = {html.escape(s.output_size_text(1))}")
        keep = self._selected
        if keep is not None:
            shape = (s.h, s.w) if keep[0] == "input" else (s.kh, s.kw)
            keep = keep if keep[1] < shape[0] and keep[2] < shape[1] else None
        self._select(keep)

    @staticmethod
    def _padding_words(s) -> str:
        t, b, left, r = s.padding
        if t == b == left == r:
            return str(t)
        return f"top {t}, bottom {b}, left {left}, right {r}"

    def _on_error_changed(self, message: str) -> None:
        self.error.setText(f"Invalid setting — {message}. The picture shows the last valid "
                           "lesson." if message else "")
        self.error.setVisible(bool(message))

    def _on_position_changed(self, pos: int) -> None:
        m = self.model
        s = m.prep.spec
        st = m.stepper.state()
        self.parallel = None
        self.output_view.set_tints([], [])
        self.output_view.set_outline("blocks", [])
        out = m.stepper.output()[0]
        self.output_view.set_data(out, levels=self._out_levels, lut="diverging")
        if st is None:
            self.input_view.set_outline("window", [])
            self.input_view.set_outline("taps", [])
            self.output_view.set_outline("current", [])
            nan = np.full((s.kh, s.kw), np.nan, np.float32)
            self.products_view.set_data(nan, levels=self._product_levels, lut="diverging")
            self.formula.setText(
                "Press <b>Play</b> (Space) or <b>→</b> to slide the kernel: "
                f"{m.n_cells} output cells, one after another.")
            return
        wy, wx = m.stepper.window(pos)
        span_y = s.dilation[0] * (s.kh - 1) + 1
        span_x = s.dilation[1] * (s.kw - 1) + 1
        self.input_view.set_outline("window", [Box(wy, wx, span_y, span_x)])
        taps = [t for t in st.taps if t.ci == self.channel]
        self.input_view.set_outline(
            "taps", [Box(t.py, t.px) for t in taps] if s.dilation != (1, 1) else [])
        self.output_view.set_outline("current", [Box(st.oy, st.ox)])
        prods = np.array([t.product for t in taps], np.float32).reshape(s.kh, s.kw)
        subs = np.array([f"{fmt_number(t.w)}·{fmt_number(t.x)}" for t in taps],
                        dtype=object).reshape(s.kh, s.kw)
        self.products_view.set_data(prods, levels=self._product_levels, lut="diverging",
                                    subs=subs)
        self.formula.setText(self._formula_html(st))

    def _formula_html(self, st) -> str:
        sums = [fmt_number(t.running) for t in st.taps]
        if len(sums) > 12:
            sums = sums[:6] + ["…"] + sums[-2:]
        bias = f" + bias {fmt_number(st.bias)}" if st.bias else ""
        run = " → ".join(sums)
        if len(st.channel_sums) > 1:
            per = " + ".join(f"{self._channel_name(i)} {fmt_number(v)}"
                             for i, v in enumerate(st.channel_sums))
            run = self.tr("per channel {0}{1} = {2}; the products shown are channel {3}'s"
                          ).format(per, bias, fmt_number(st.value),
                                   self._channel_name(self.channel))
            return (f"<span style='color:{theme.WINDOW}'>{html.escape(st.formula)}</span><br>"
                    f"<span style='font-size:18px; font-weight:normal'>{run} (cell "
                    f"{st.index + 1} of {self.model.n_cells})</span>")
        return (f"<span style='color:{theme.WINDOW}'>{html.escape(st.formula)}</span><br>"
                f"<span style='font-size:18px; font-weight:normal'>running sum: {run}{bias}"
                f" = {fmt_number(st.value)}  (cell {st.index + 1} of "
                f"{self.model.n_cells})</span>")

    def _channel_name(self, i: int) -> str:
        names = self.channel_names
        return names[i] if names and i < len(names) else str(i)

    def set_channel(self, channel: int, names: list[str] | None = None,
                    input_note: str = "") -> None:
        """Which input channel to draw, the channels' names, and what the input shows."""
        self.channel, self.channel_names, self.input_note = channel, names, input_note
        self._on_lesson_changed()
        self._on_position_changed(self.model.pos)

    # -- the parallel phase ---------------------------------------------------------
    def show_parallel(self, out: np.ndarray, record) -> None:
        """Every output cell at once, tinted by the CUDA block that computed it."""
        self.parallel = (out, record)
        s = self.model.prep.spec
        self.output_view.set_data(out[0], levels=self._out_levels, lut="diverging")
        self.output_view.set_outline("current", [])
        bx, by = record.block[0], record.block[1]
        gx, gy = record.grid[0], record.grid[1]
        boxes, colors = [], []
        for oy in range(s.out_h):
            for ox in range(s.out_w):
                (bix, biy, _), _ = thread_of(0, oy, ox, block=(bx, by))
                boxes.append(Box(oy, ox))
                colors.append(theme.BLOCK_TINTS[(biy * gx + bix) % len(theme.BLOCK_TINTS)]
                              + "")
        self.output_view.set_tints(boxes, [self._alpha(c) for c in colors])
        self.output_view.set_outline(
            "blocks", [Box(j * by, i * bx, by, bx) for j in range(gy) for i in range(gx)])
        self.output_view.set_extent(gy * by, gx * bx)
        idle = [Box(r, c) for r in range(gy * by) for c in range(gx * bx)
                if r >= s.out_h or c >= s.out_w]
        for layer in (self.output_view.padded_bg, self.output_view.padded_hatch):
            layer.set_shape(gy * by, gx * bx)
            layer.set_boxes(idle)
        self.output_view.title.setText(f"Output {s.out_h}×{s.out_w}, all at once "
                                       "(tint = CUDA block)")
        self.input_view.set_outline("window", [])
        self.input_view.set_outline("taps", [])
        self.formula.setText(self._launch_html(record) + "<br><span style='font-size:18px;"
                             " font-weight:normal'>Hover or click an output cell to see "
                             "which thread computed it.</span>")

    @staticmethod
    def _alpha(color: str) -> str:
        return "#73" + color.lstrip("#")  # ARGB: the cell colour shows through

    def _launch_html(self, record) -> str:
        s = self.model.prep.spec
        g, b = record.grid, record.block
        idle = record.threads - s.cells
        idle_txt = (f"; {idle} fall outside the {s.out_h}×{s.out_w} output and idle "
                    "(hatched)" if idle > 0 else "")
        return (f"launch: grid {'×'.join(map(str, g))} × block {'×'.join(map(str, b))}"
                f" = {record.threads} threads for {s.cells} cells{idle_txt}")

    def _on_output_hovered(self, r: int, c: int) -> None:
        if self.parallel is None or r < 0:
            return
        out, record = self.parallel
        s = self.model.prep.spec
        if r >= s.out_h or c >= s.out_w:
            return
        bidx, tidx = thread_of(0, r, c, block=record.block[:2])
        self.formula.setText(
            f"out[{r},{c}] = {fmt_number(out[0, r, c])} ← thread blockIdx {_xyz(bidx)}, "
            f"threadIdx {_xyz(tidx)}<br><span style='font-size:18px; "
            f"font-weight:normal'>{self._launch_html(record)}</span>")

    # -- picking cells to edit ------------------------------------------------------
    def _on_input_clicked(self, r: int, c: int) -> None:
        s = self.model.prep.spec
        iy, ix = r - s.padding[0], c - s.padding[2]
        if 0 <= iy < s.h and 0 <= ix < s.w:
            self.sigInputCellClicked.emit(iy, ix)

    def _select(self, which: tuple[str, int, int] | None) -> None:
        """Outline the cell being edited (input coordinates or kernel coordinates)."""
        self._selected = which
        s = self.model.prep.spec
        self.input_view.set_outline("selected", [])
        self.kernel_view.set_outline("selected", [])
        if which is None:
            return
        view, r, c = which
        if view == "input":
            self.input_view.set_outline("selected", [Box(r + s.padding[0], c + s.padding[2])])
        else:
            self.kernel_view.set_outline("selected", [Box(r, c)])

    select_cell = _select
