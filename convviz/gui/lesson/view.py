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
(``cuda-tiled``, :mod:`convviz.gui.lesson.tiles`).
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.kernels import PRESETS
from convviz.core.stepper import fmt_number, padding_sources
from convviz.gui import theme
from convviz.gui.lesson import extras, text, tiles
from convviz.gui.lesson.extras import (
    make_input_view,
    make_kernel_view,
    make_output_view,
    padded_input,
    symbol,
)
from convviz.gui.lesson.kernel_flip import FLIP_MS, KernelFlip
from convviz.gui.lesson.model import LessonModel
from convviz.gui.widgets.channel_stack import GridStack, GroupBracket, GroupsDiagram
from convviz.gui.widgets.grid_view import Box, GridView

__all__ = ["LessonView", "padded_input"]


class LessonView(QtWidgets.QWidget):
    sigInputCellClicked = Signal(int, int)  # input coordinates (padding excluded)
    sigKernelCellClicked = Signal(int, int)

    def __init__(self, model: LessonModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.inputs = GridStack(make_input_view)
        self.kernels = GridStack(make_kernel_view)
        self.outputs = GridStack(make_output_view)
        self.products_view = GridView(text.tr("Products w·x"))
        self.products_view.title.setFixedHeight(54)
        self.products_view.title.setAlignment(Qt.AlignLeft | Qt.AlignBottom)
        self.sums = QtWidgets.QLabel()
        self.sums.setTextFormat(Qt.RichText)
        self.groups = GroupsDiagram()
        self.bracket = GroupBracket(self.inputs, self.kernels)
        self.parallel = None  # (out, record) while the output shows the parallel run
        self.tiled = None  # (out, record, launch) of the tiled kernel in that run, if any
        self.channel = 0  # the input channel drawn when the lesson is not stacked
        self.channel_names: list[str] | None = None
        self.input_note = ""  # what the input shows, e.g. "region of photo.png"
        self.flip = KernelFlip(self, FLIP_MS)
        self.pad_sources = np.zeros((0, 0, 2), int)  # padded cell → input (row, col) or -1
        self.pad_mask = np.zeros((0, 0), bool)
        self.hover_source: tuple[int, tuple[int, int], tuple[int, int]] | None = None
        self.presentation = False
        self._selected: tuple[str, int, int] | None = None
        self._last_flip: bool | None = None
        self._kernel_co: int | None = None
        self._caption = ""

        products = QtWidgets.QVBoxLayout()
        products.setContentsMargins(0, 0, 0, 0)
        products.addWidget(self.products_view, 3)
        products.addWidget(self.sums, 0)
        products.addWidget(self.groups, 1)
        products_box = QtWidgets.QWidget()
        products_box.setLayout(products)
        self._dot, self._eq, self._sigma = symbol("·"), symbol("="), symbol("Σ→")
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(4)
        for widget, stretch in (
            (self.inputs, 10),
            (self.bracket, 0),
            (self._dot, 0),
            (self.kernels, 5),
            (self._eq, 0),
            (products_box, 5),
            (self._sigma, 0),
            (self.outputs, 9),
        ):
            row.addWidget(widget, stretch)
        self.formula = QtWidgets.QLabel()
        self.formula.setTextFormat(Qt.RichText)
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.NoTextInteraction)
        self.caption = QtWidgets.QLabel()  # which weight meets which input; padding hover
        self.caption.setObjectName("lessonCaption")
        self.caption.setWordWrap(True)
        self.sizes = QtWidgets.QLabel()
        self.sizes.setTextFormat(Qt.RichText)
        self.sizes.setWordWrap(True)  # never widen the window
        self.view_switch = tiles.ViewSwitch()  # "Output shows: threads / tiles"
        self.view_switch.hide()
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("lessonError")
        self.error.setWordWrap(True)
        self.error.hide()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row, 1)
        lay.addWidget(self.view_switch)
        lay.addWidget(self.error)
        lay.addWidget(self.formula)
        lay.addWidget(self.caption)
        lay.addWidget(self.sizes)
        self._apply_fonts()
        self._apply_colors()

        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigPositionChanged.connect(self._on_position_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        self.inputs.sigCellClicked.connect(self._on_input_clicked)
        self.inputs.sigCellHovered.connect(self._on_input_hovered)
        self.kernels.sigCellClicked.connect(self._on_kernel_clicked)
        self.outputs.sigCellHovered.connect(self._on_output_hovered)
        self.outputs.sigCellClicked.connect(self._on_output_hovered)
        self.view_switch.sigChanged.connect(self._on_view_switched)
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

    def _input_channels(self) -> list[int]:
        return list(range(self.model.prep.spec.c_in)) if self.stacked else [self.channel]

    def _output_channels(self) -> list[int]:
        return list(range(self.model.prep.spec.c_out)) if self.stacked else [0]

    # -- model → view -------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        m = self.model
        prep, s = m.prep, m.prep.spec
        self._leave_parallel()
        if self.channel >= s.c_in:
            self.channel = 0
        stacked = self.stacked
        self.pad_sources, self.pad_mask = padding_sources(s)
        self.hover_source = None
        signed = bool((prep.x < 0).any())
        self._input_levels = theme.levels_for(prep.x, centred=signed)
        self._input_lut = "diverging" if signed else "input"
        channels = self._input_channels()
        self.inputs.set_count(len(channels), stacked)
        vmax = 1.0
        for view, ci in zip(self.inputs.views, channels):
            vals, padded = padded_input(prep, ci)
            vmax = max(vmax, float(np.abs(vals).max()))
            view.set_data(vals, levels=self._input_levels, lut=self._input_lut, padded=padded)
            view.set_outline("source", [])
            view.set_outline("shared", [])
            view.arrows.set_arrows([])
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
        self._product_levels = (-big, big)
        self._out_levels = theme.levels_for(m.reference, centred=True)
        self.outputs.set_count(len(self._output_channels()), stacked)
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
            self.kernels.heading.setText(text.filter_heading(s, co))
            self.kernels.set_labels([text.tr("w[{0},{1}]").format(co, i) for i in idx])
            for view, i in zip(self.kernels.views, idx):
                view.setToolTip(
                    text.tr("the kernel out {0} applies to input channel {1}").format(co, c0 + i)
                )
            members = list(range(c0, c0 + len(idx)))
            self.inputs.set_labels(
                [text.tr("in {0}").format(i) for i in range(s.c_in)], active=set(members)
            )
            self.bracket.set_members(members, text.groups_text(s))
            self.groups.set_layout(s.c_in, s.c_out, s.groups, co)
        else:
            self.kernel_view.title.setText(text.kernel_title(s, name))

    def _on_error_changed(self, message: str) -> None:
        self.error.setText(text.error_text(message))
        self.error.setVisible(bool(message))

    def _on_position_changed(self, pos: int) -> None:
        m = self.model
        s = m.prep.spec
        st = m.stepper.state()
        part = m.stepper.partial()
        self._leave_parallel()
        out = m.stepper.output()
        for view, co in zip(self.outputs.views, self._output_channels()):
            view.set_tints([], [])
            view.set_outline("blocks", [])
            view.set_outline("thread", [])
            texts = faint = None
            if part is not None and co == part.co and not part.bias_added:
                # the sum so far, in grey italics, in the cell it is filling
                texts = np.array(
                    [fmt_number(v) if np.isfinite(v) else "" for v in out[co].flat], dtype=object
                ).reshape(out[co].shape)
                texts[part.oy, part.ox] = fmt_number(part.total)
                faint = np.zeros(out[co].shape, bool)
                faint[part.oy, part.ox] = True
            view.set_data(
                out[co], levels=self._out_levels, lut="diverging", texts=texts, faint=faint
            )
            view.set_outline("current", [Box(st.oy, st.ox)] if st and st.co == co else [])
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
            nan = np.full((s.kh, s.kw), np.nan, np.float32)
            self.products_view.set_data(nan, levels=self._product_levels, lut="diverging")
            self.products_view.title.setText(text.tr("Products w·x"))
            self.formula.setText(text.start_text(m.n_cells, m.n_stages))
            self.sums.setText("")
            self._set_caption(text.meets_text(s))
            self.inputs.set_focus(0)
            self.outputs.set_focus(0)
            self.kernels.set_focus(0)
            return
        c0 = m.stepper.group_start(st.co)
        cin_g = len(st.channel_sums)
        # the channel whose products are shown: the stage's, else (bias stage) the last
        if not self.stacked:
            draw = self.channel
        else:
            draw = part.channel if part.channel is not None else c0 + cin_g - 1
        wy, wx = m.stepper.window(pos)
        span = Box(wy, wx, s.dilation[0] * (s.kh - 1) + 1, s.dilation[1] * (s.kw - 1) + 1)
        for _i, (view, ci) in enumerate(zip(self.inputs.views, self._input_channels())):
            if ci == draw or not self.stacked:
                view.set_outline("window", [span])
                taps = [t for t in st.taps if t.ci == ci]
                view.set_outline(
                    "taps", [Box(t.py, t.px) for t in taps] if s.dilation != (1, 1) else []
                )
            elif c0 <= ci < c0 + cin_g:
                view.set_outline("group", [span])
        if self.stacked:
            self.inputs.set_focus(self._input_channels().index(draw))
            self.kernels.views[draw - c0].set_outline("current", [Box(0, 0, s.kh, s.kw)])
            self.kernels.set_focus(draw - c0)
            self.outputs.set_focus(st.co)
        taps = [t for t in st.taps if t.ci == draw]
        prods = np.array([t.product for t in taps], np.float32).reshape(s.kh, s.kw)
        subs = np.array(
            [f"{fmt_number(t.w)}·{fmt_number(t.x)}" for t in taps], dtype=object
        ).reshape(s.kh, s.kw)
        self.products_view.set_data(prods, levels=self._product_levels, lut="diverging", subs=subs)
        self.products_view.title.setText(
            text.tr("Products w·x, {0}").format(self._channel_name(draw))
            if s.c_in > 1
            else text.tr("Products w·x")
        )
        if m.n_stages > 1:
            self.formula.setText(text.stage_formula(s, st, part, m.n_cells, self._channel_name))
            self.sums.setText(text.sums_html(s, st, part, self._channel_name))
        else:
            self.formula.setText(text.cell_formula(st, m.n_cells, self._channel_name))
        self._set_caption(text.meets_text(s, st))

    def _channel_name(self, i: int) -> str:
        names = self.channel_names
        if names and i < len(names):
            return names[i]
        return text.tr("in {0}").format(i) if self.stacked else str(i)

    def _set_caption(self, caption: str) -> None:
        self._caption = caption
        if self.hover_source is None:
            self.caption.setText(caption)

    def set_channel(
        self, channel: int, names: list[str] | None = None, input_note: str = ""
    ) -> None:
        """Which input channel to draw, the channels' names, and what the input shows."""
        self.channel, self.channel_names, self.input_note = channel, names, input_note
        self._on_lesson_changed()
        self._on_position_changed(self.model.pos)

    # -- the parallel phase ---------------------------------------------------------
    def show_parallel(self, out: np.ndarray | None, record, tiled=None) -> None:
        """Every cell of every output channel at once, tinted by the CUDA block; with
        ``tiled`` = (out, record, launch) of the tiled kernel, "Output shows" can switch
        to its shared-memory tiles (``out`` None: the tiled kernel's alone)."""
        self.parallel = (out, record) if out is not None else None
        self.tiled = tiled
        self.view_switch.setVisible(tiled is not None)
        self.view_switch.threads.setEnabled(self.parallel is not None)
        self._draw_parallel()

    @property
    def showing_tiles(self) -> bool:
        """Whether the output shows the tiled kernel's tiles (else the cuda threads)."""
        return self.tiled is not None and (
            self.parallel is None or self.view_switch.which == "tiles"
        )

    def set_parallel_view(self, which: str) -> None:
        """ "threads" (the cuda kernel's blocks) or "tiles" (the tiled kernel's)."""
        self.view_switch.set_which(which)

    def _on_view_switched(self) -> None:
        if self.parallel is not None or self.tiled is not None:
            self._draw_parallel()

    def _draw_parallel(self) -> None:
        if self.showing_tiles:
            tiles.show_tiles(self, *self.tiled)
        elif self.parallel is not None:
            extras.show_parallel(self, *self.parallel)

    def _leave_parallel(self) -> None:
        """Back to the sequential picture: the parallel run is no longer shown."""
        self.parallel = self.tiled = None
        self.view_switch.hide()

    def _on_output_hovered(self, i: int, r: int, c: int) -> None:
        if self.showing_tiles:
            tiles.tile_hovered(self, i, r, c)
        else:
            extras.output_hovered(self, i, r, c)

    # -- padding: where a padded cell's value comes from ------------------------------
    def _on_input_hovered(self, i: int, r: int, c: int) -> None:
        extras.input_hovered(self, i, r, c)

    # -- picking cells to edit ------------------------------------------------------
    def _on_input_clicked(self, i: int, r: int, c: int) -> None:
        s = self.model.prep.spec
        iy, ix = r - s.padding[0], c - s.padding[2]
        if 0 <= iy < s.h and 0 <= ix < s.w:
            self.model.pick_input_channel(self._input_channels()[i])
            self.sigInputCellClicked.emit(iy, ix)

    def _on_kernel_clicked(self, i: int, r: int, c: int) -> None:
        self.model.pick_kernel(self._kernel_co or 0, i if self.stacked else self.channel)
        self.sigKernelCellClicked.emit(r, c)

    def _select(self, which: tuple[str, int, int] | None) -> None:
        """Outline the cell being edited (input coordinates or kernel coordinates)."""
        self._selected = which
        s = self.model.prep.spec
        for view in (*self.inputs.views, *self.kernels.views):
            view.set_outline("selected", [])
        if which is None:
            return
        kind, r, c = which
        if kind == "input":
            chans = self._input_channels()
            pick = self.model.input_pick
            view = self.inputs.views[chans.index(pick) if pick in chans else 0]
            view.set_outline("selected", [Box(r + s.padding[0], c + s.padding[2])])
        else:
            co, ci = self.model.kernel_pick
            if not self.stacked:
                self.kernel_view.set_outline("selected", [Box(r, c)])
            elif co == self._kernel_co and ci < self.kernels.count:
                self.kernels.views[ci].set_outline("selected", [Box(r, c)])

    select_cell = _select

    # -- look: presentation and theme -------------------------------------------------
    def _grids(self) -> list[GridView]:
        return [*self.inputs.views, *self.kernels.views, self.products_view, *self.outputs.views]

    def _apply_fonts(self) -> None:
        extras.apply_fonts(self)

    def _apply_colors(self) -> None:
        extras.apply_colors(self)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: bigger fonts and digits, thicker outlines (a lecture hall)."""
        self.presentation = bool(on)
        self._apply_fonts()
        self.refresh_theme()

    def retranslate(self) -> None:
        """Draw every formatted text again in the language now installed."""
        self.refresh_theme()

    def refresh_theme(self) -> None:
        """Repaint with the theme's current colours (after ``theme.apply``)."""
        self._apply_colors()
        parallel, tiled = self.parallel, self.tiled
        self._on_lesson_changed()
        self._on_position_changed(self.model.pos)
        if parallel is not None or tiled is not None:
            self.show_parallel(*(parallel or (None, None)), tiled=tiled)
