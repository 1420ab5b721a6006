"""The lesson picture: input (padded) · kernel = products, Σ → output, and the formulas.

Redraws from the :class:`LessonModel` through ``_on_lesson_changed`` (a new
lesson) and ``_on_position_changed`` (the window moved). A lesson of several
channels is drawn as stacks: the input channels on the left, the filter of the
current output channel as its stack of kernels, the output channels on the
right; a bracket joins the input channels of the current group, a diagram shows
all the wiring, and a small table adds the per-channel sums and the bias. After
a parallel run every output channel shows every cell at once, tinted by CUDA
block (blockIdx.z is the output channel); when the run included the tiled kernel,
"Output shows" switches between its threads (``cuda``) and its shared-memory tiles
(``cuda-tiled``, :mod:`convviz.gui.lesson.tiles`). The products column, the texts
and the parallel phase are panels of their own (:mod:`convviz.gui.lesson.panels`).
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Signal

from convviz.core.kernels import PRESETS
from convviz.gui import theme
from convviz.gui.lesson import text
from convviz.gui.lesson.extras import (
    LessonLook,
    PaddingHover,
    ThreadsPicture,
    cell_products,
    make_input_view,
    make_kernel_view,
    make_output_view,
    symbol,
)
from convviz.gui.lesson.kernel_flip import FLIP_MS, KernelFlip
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.panels import (
    ParallelPhase,
    ProductsPanel,
    TextPanel,
    draw_inputs,
    draw_outputs,
    label_filter,
    outline_selection,
)
from convviz.gui.lesson.tiles import TilesPicture
from convviz.gui.widgets.channel_stack import GridStack, GroupBracket
from convviz.gui.widgets.grid_view import Box, GridView

__all__ = ["LessonView"]

#: a lesson view shorter than this leaves out the output-size formula (two lines)
SIZES_MIN_HEIGHT = 560


class LessonView(QtWidgets.QWidget):
    sigInputCellClicked = Signal(int, int)  # input coordinates (padding excluded)
    sigKernelCellClicked = Signal(int, int)
    #: what the output shows after a parallel run (made once the look is)
    threads: ThreadsPicture
    tiles: TilesPicture

    def __init__(self, model: LessonModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.inputs = GridStack(make_input_view)
        self.kernels = GridStack(make_kernel_view)
        self.outputs = GridStack(make_output_view)
        p = self.products_box = ProductsPanel()
        self.products_view, self.sums, self.groups = p.view, p.sums, p.groups
        self.bracket = GroupBracket(self.inputs, self.kernels)
        t = self.texts = TextPanel()
        self.error, self.formula, self.caption, self.sizes = t.error, t.formula, t.caption, t.sizes
        self.dot, self.eq, self.sigma = symbol("·"), symbol("="), symbol("Σ→")
        self.phase = ParallelPhase(
            lambda out, record: self.threads.show(out, record),
            lambda out, record, launch: self.tiles.show(out, record, launch),
            lambda i, r, c: self.threads.hovered(self.phase.parallel, i, r, c),
            lambda i, r, c: self.tiles.hovered(self.phase.tiled, i, r, c),
            self._restore_output_titles,
            parent=self,
        )
        self.view_switch = self.phase.switch
        stacks = (self.inputs, self.kernels, self.outputs)
        symbols = (self.dot, self.eq, self.sigma)
        self.look = LessonLook(
            t, symbols, stacks, p, self.bracket, self.view_switch, self.grids, self.fit_texts
        )
        self.padding = PaddingHover(self, t)
        self.threads = ThreadsPicture(self, self.formula, self.look)
        self.tiles = TilesPicture(self, self.formula, self.look, self.threads)
        self.channel = 0  # the input channel drawn when the lesson is not stacked
        self.channel_names: list[str] | None = None
        self.input_note = ""  # what the input shows, e.g. "region of photo.png"
        self.flip = KernelFlip(self, FLIP_MS)
        self._selected: tuple[str, int, int] | None = None
        self._last_flip: bool | None = None
        self._kernel_co: int | None = None

        self._row = row = QtWidgets.QHBoxLayout()
        row.setSpacing(4)
        for widget, stretch in (
            (self.inputs, 10),
            (self.bracket, 0),
            (self.dot, 0),
            (self.kernels, 5),
            (self.eq, 0),
            (self.products_box, 5),
            (self.sigma, 0),
            (self.outputs, 9),
        ):
            row.addWidget(widget, stretch)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row, 1)
        lay.addWidget(self.view_switch)
        lay.addWidget(self.texts)
        self.look.apply_fonts()
        self.look.apply_colors()

        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigPositionChanged.connect(self._on_position_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        self.inputs.sigCellClicked.connect(self._on_input_clicked)
        self.inputs.sigCellHovered.connect(self.padding.hovered)
        self.kernels.sigCellClicked.connect(self._on_kernel_clicked)
        self.outputs.sigCellHovered.connect(self._on_output_hovered)
        self.outputs.sigCellClicked.connect(self._on_output_hovered)
        theme.changes().sigThemeChanged.connect(self.refresh_theme)
        self._on_lesson_changed()
        self._on_position_changed(model.pos)

    # -- the grids ------------------------------------------------------------------
    @property
    def input_view(self) -> GridView:
        return self.inputs.views[0]

    @property
    def kernel_view(self) -> GridView:
        return self.kernels.views[0]

    @property
    def output_view(self) -> GridView:
        return self.outputs.views[0]

    @property
    def stacked(self) -> bool:
        """Channels drawn as stacks: a lecture lesson (not an image region) of several."""
        return self.model.multichannel and not self.input_note

    def input_channels(self) -> list[int]:
        return list(range(self.model.prep.spec.c_in)) if self.stacked else [self.channel]

    def output_channels(self) -> list[int]:
        return list(range(self.model.prep.spec.c_out)) if self.stacked else [0]

    # -- model → view -------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        m = self.model
        prep, s = m.prep, m.prep.spec
        self.phase.leave()
        self.threads.mark_cell(0, -1, -1)  # a cell of the old lesson: no more
        if self.channel >= s.c_in:
            self.channel = 0
        stacked = self.stacked
        self.padding.reset(s)
        channels = self.input_channels()
        self.inputs.set_count(len(channels), stacked)
        vmax = draw_inputs(self.inputs.views, channels, prep)
        if stacked:
            self.inputs.heading.setText(text.inputs_heading(s))
        else:
            ch = (
                text.tr("channel {0} of {1}").format(self._channel_name(self.channel), s.c_in)
                if s.c_in > 1
                else ""
            )
            self.input_view.title.setText(text.input_title(s, self.input_note, ch))
        big = float(np.abs(prep.w).max() * vmax) or 1.0
        self.products_box.levels = (-big, big)
        self.out_levels = theme.levels_for(m.reference, centred=True)
        self.outputs.set_count(len(self.output_channels()), stacked)
        if stacked:
            self.outputs.heading.setText(text.outputs_heading(s))
            self.outputs.set_labels([text.tr("out {0}").format(i) for i in range(s.c_out)])
        else:
            self.output_view.title.setText(text.output_title(s))
        self.sizes.setText(text.sizes_html(s, one_line=stacked))
        self.groups.setVisible(stacked)
        self.sums.setVisible(stacked and s.c_in // s.groups > 1)
        self.bracket.setVisible(stacked)
        self.groups.set_layout(s.c_in, s.c_out, s.groups, 0)
        self.groups.setToolTip(text.groups_text(s))
        flipped = self._last_flip is not None and s.flip != self._last_flip
        self._last_flip = s.flip
        self.flip.stop()
        self._kernel_co = None
        self._draw_kernels(0)
        if flipped:
            self.flip.start(self.kernels.views[: self.kernels.count])
        self.look.fit_columns(self._row, s)
        keep = self._selected
        if keep is not None:
            shape = (s.h, s.w) if keep[0] == "input" else (s.kh, s.kw)
            keep = keep if keep[1] < shape[0] and keep[2] < shape[1] else None
        self._select(keep)

    def _draw_kernels(self, co: int) -> None:
        """The filter of output channel ``co``: one kernel per input channel of its group."""
        m = self.model
        prep, s = m.prep, m.prep.spec
        self._kernel_co = co
        if self.stacked:
            idx = list(range(prep.w.shape[1]))
        else:
            idx = [self.channel if prep.w.shape[1] > 1 else 0]
        self.kernels.set_count(len(idx), self.stacked)
        k_all = prep.w[co] if self.stacked else prep.w[0]
        levels = theme.levels_for(k_all, centred=True)
        for view, i in zip(self.kernels.views, idx):
            view.set_data(k_all[i], levels=levels, lut="diverging")
        name = (
            text.tr(PRESETS[m.lesson.kernel_name].label)
            if m.lesson.kernel_name in PRESETS
            else text.tr(m.lesson.kernel_name)
        )
        if self.stacked:
            c0 = m.stepper.group_start(co)
            label_filter(self.kernels, self.inputs, self.bracket, s, co, c0, len(idx))
            self.groups.set_layout(s.c_in, s.c_out, s.groups, co)
        else:
            self.kernel_view.title.setText(text.kernel_title(s, name))

    def _on_error_changed(self, message: str) -> None:
        self.texts.set_error(message)

    def _on_position_changed(self, pos: int) -> None:
        m = self.model
        s = m.prep.spec
        st = m.stepper.state()
        part = m.stepper.partial()
        self.phase.leave()
        out = m.stepper.output()
        draw_outputs(self.outputs.views, self.output_channels(), out, self.out_levels, st, part)
        if st is not None and self.stacked and st.co != self._kernel_co:
            self._draw_kernels(st.co)
        for view in self.inputs.views:
            view.set_outline("window", [])
            view.set_outline("group", [])
            view.set_outline("taps", [])
            view.set_outline("shared", [])
        for view in self.kernels.views:
            view.set_outline("current", [])
        if st is None:
            self.products_box.clear(s.kh, s.kw)
            self.formula.setText(text.start_text(m.n_cells, m.n_stages))
            self._set_caption(text.meets_text(s))
            self.inputs.set_focus(0)
            self.outputs.set_focus(0)
            self.kernels.set_focus(0)
            return
        c0 = m.stepper.group_start(st.co)
        cin_g = len(st.channel_sums)
        # the channel whose products are shown: the stage's, else (bias stage) the last
        if not self.stacked or part is None:
            draw = self.channel
        else:
            draw = part.channel if part.channel is not None else c0 + cin_g - 1
        wy, wx = m.stepper.window(pos)
        span = Box(wy, wx, *s.span)
        for _i, (view, ci) in enumerate(zip(self.inputs.views, self.input_channels())):
            if ci == draw or not self.stacked:
                view.set_outline("window", [span])
                taps = [t for t in st.taps if t.ci == ci]
                view.set_outline(
                    "taps", [Box(t.py, t.px) for t in taps] if s.dilation != (1, 1) else []
                )
            elif c0 <= ci < c0 + cin_g:
                view.set_outline("group", [span])
        if self.stacked:
            self.inputs.set_focus(self.input_channels().index(draw))
            self.kernels.views[draw - c0].set_outline("current", [Box(0, 0, s.kh, s.kw)])
            self.kernels.set_focus(draw - c0)
            self.outputs.set_focus(st.co)
        taps = [t for t in st.taps if t.ci == draw]
        name = self._channel_name(draw) if s.c_in > 1 else None
        self.products_box.show_taps(taps, s.kh, s.kw, name)
        small = self.look.small_px
        if m.n_stages > 1:
            self.formula.setText(
                text.stage_formula(s, st, part, m.n_cells, self._channel_name, small)
            )
            self.sums.setText(text.sums_html(s, st, part, self._channel_name))
        else:
            self.formula.setText(text.cell_formula(st, m.n_cells, self._channel_name, small))
        self._set_caption(text.meets_text(s, st))

    def _channel_name(self, i: int) -> str:
        names = self.channel_names
        if names and i < len(names):
            return names[i]
        return text.tr("in {0}").format(i) if self.stacked else str(i)

    def _set_caption(self, caption: str) -> None:
        self.texts.set_caption(caption, show=self.padding.source is None)

    def set_channel(
        self, channel: int, names: list[str] | None = None, input_note: str = ""
    ) -> None:
        """Which input channel to draw, the channels' names, and what the input shows."""
        self.channel, self.channel_names, self.input_note = channel, names, input_note
        self._on_lesson_changed()
        self._on_position_changed(self.model.pos)

    # -- the parallel phase (convviz.gui.lesson.panels.ParallelPhase) --------------------
    def _restore_output_titles(self) -> None:
        s = self.model.prep.spec
        if self.stacked:
            self.outputs.heading.setText(text.outputs_heading(s))
        else:
            self.output_view.title.setText(text.output_title(s))

    def _on_output_hovered(self, i: int, r: int, c: int) -> None:
        self.threads.mark_cell(i, r, c)
        self.phase.hovered(i, r, c)
        if not self.phase.shown:
            return
        co, s = self.output_channels()[i], self.model.prep.spec
        found = cell_products(self.model, self.stacked, self.channel, co, r, c)
        if found is not None:  # all at once: the Products panel shows the hovered cell's
            name = self._channel_name(found[1]) if s.c_in > 1 else None
            self.products_box.show_taps(found[0], s.kh, s.kw, name)

    # -- picking cells to edit ------------------------------------------------------
    def _on_input_clicked(self, i: int, r: int, c: int) -> None:
        s = self.model.prep.spec
        iy, ix = r - s.padding[0], c - s.padding[2]
        if 0 <= iy < s.h and 0 <= ix < s.w:
            self.model.pick_input_channel(self.input_channels()[i])
            self.sigInputCellClicked.emit(iy, ix)

    def _on_kernel_clicked(self, i: int, r: int, c: int) -> None:
        self.model.pick_kernel(self._kernel_co or 0, i if self.stacked else self.channel)
        self.sigKernelCellClicked.emit(r, c)

    def _select(self, which: tuple[str, int, int] | None) -> None:
        """Outline the cell being edited (input coordinates or kernel coordinates)."""
        self._selected = which
        s = self.model.prep.spec
        kind, r, c = which or ("", 0, 0)
        view, box = None, Box(r, c)
        if kind == "input":
            chans, pick = self.input_channels(), self.model.input_pick
            view = self.inputs.views[chans.index(pick) if pick in chans else 0]
            box = Box(r + s.padding[0], c + s.padding[2])
        elif kind == "kernel":
            co, ci = self.model.kernel_pick
            if not self.stacked:
                view = self.kernel_view
            elif co == self._kernel_co and ci < self.kernels.count:
                view = self.kernels.views[ci]
        outline_selection(self.inputs.views, self.kernels.views, view, box)

    select_cell = _select

    # -- look: presentation and theme -------------------------------------------------
    def grids(self) -> list[GridView]:
        return [*self.inputs.views, *self.kernels.views, self.products_view, *self.outputs.views]

    def fit_texts(self) -> None:
        """The output-size formula only where the grids keep their room: not in
        presentation mode, not in a short view (the grids get its lines)."""
        self.sizes.setVisible(not self.presentation and self.height() >= SIZES_MIN_HEIGHT)

    @property
    def presentation(self) -> bool:
        return self.look.presentation

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_texts()

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: bigger fonts and digits, thicker outlines (a lecture hall)."""
        self.look.set_presentation(on)
        self.refresh_theme()

    def retranslate(self) -> None:
        """Draw every formatted text again in the language now installed."""
        self.refresh_theme()

    def refresh_theme(self) -> None:
        """Repaint with the theme's current colours (after ``theme.apply``)."""
        self.look.apply_colors()
        parallel, tiled = self.phase.parallel, self.phase.tiled
        self._on_lesson_changed()
        self._on_position_changed(self.model.pos)
        if parallel is not None or tiled is not None:
            out, record = parallel or (None, None)
            self.phase.show(out, record, tiled=tiled)
