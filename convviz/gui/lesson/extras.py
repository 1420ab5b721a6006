"""Parts of the lesson view that each draw one thing and keep their own state.

:class:`LessonLook` holds the fonts, colours and outline widths (bigger in presentation
mode, and with them the size of a formula's second line); :class:`PaddingHover` shows
where a hovered padded cell's value comes from; :class:`ThreadsPicture` draws the output
after a parallel run, every cell at once tinted by the CUDA block that computed it, and
names the thread of a hovered cell. They draw on the view's grids, which they read
through :class:`LessonGrids`; the grids themselves are made by the factories below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

from convviz.core.block_colours import cell_colours
from convviz.core.stepper import padding_sources
from convviz.gui import theme
from convviz.gui.lesson import text
from convviz.gui.widgets.channel_stack import GridStack
from convviz.gui.widgets.grid_view import Box, GridView, outline_pen

#: presentation mode: fonts and outlines grow by these
PRESENTATION_FONT = 1.4
PRESENTATION_OUTLINE = 1.8
#: digits grow by this in presentation mode (a 16×16 lesson's reach 24 px at 1080 rows)
PRESENTATION_DIGITS = 1.45
#: no text of the lesson smaller than this in presentation mode (a lecture hall's back row)
PRESENTATION_MIN_PX = 28
#: the least width of the kernel's and the products' columns (× the font scale)
KERNEL_COLUMN_PX = 150
#: the kernel's and the products' columns get the width of at least this many cells
MIN_KERNEL_COLUMNS = 4


class LessonGrids(Protocol):
    """What the parts read of the lesson view: its model, its three stacks of grids, which
    channels they show and the output's colour scale."""

    model: Any
    inputs: GridStack
    kernels: GridStack
    outputs: GridStack
    out_levels: tuple[float, float]

    @property
    def stacked(self) -> bool: ...

    @property
    def output_view(self) -> GridView: ...

    def input_channels(self) -> list[int]: ...

    def output_channels(self) -> list[int]: ...


def cell_products(model, stacked: bool, channel: int, co: int, r: int, c: int):
    """(taps, input channel) of output cell (co, r, c) of ``model``'s lesson: the products
    of its window for the channel drawn (``channel``; the group's first when ``stacked``),
    as the Products panel shows them; None outside the output or on an invalid lesson."""
    s = model.prep.spec if model.valid and model.prep is not None else None
    if s is None or not (0 <= co < s.c_out and 0 <= r < s.out_h and 0 <= c < s.out_w):
        return None
    st = model.stepper.state(model.stepper.index_of(co, r, c))
    if st is None:
        return None
    draw = model.stepper.group_start(co) if stacked else channel
    return [t for t in st.taps if t.ci == draw], draw


def padded_input(prep, channel: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(values, padded mask) of one channel in padded coordinates, as the taps read it."""
    sources, padded = padding_sources(prep.spec)
    r, c = sources[..., 0], sources[..., 1]
    vals = np.where(r >= 0, prep.x[channel][np.maximum(r, 0), np.maximum(c, 0)], 0)
    return vals.astype(np.float32), padded


def symbol(sign: str) -> QtWidgets.QLabel:
    lab = QtWidgets.QLabel(sign)
    lab.setFont(theme.font(40, bold=True))
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lab.setStyleSheet(f"color: {theme.palette().muted}")
    return lab


def make_input_view() -> GridView:
    v = GridView(text.tr("Input"))
    v.add_outline("window", outline_pen(theme.palette().window, 5), color_key="window")
    v.add_outline("group", outline_pen(theme.palette().group, 3, dashed=True), color_key="group")
    v.add_outline("taps", outline_pen(theme.palette().tap, 2, dashed=True), color_key="tap")
    v.add_outline("source", outline_pen(theme.palette().source, 4), z=6, color_key="source")
    # the tile + halo the hovered cell's block copied into shared memory (tiles view)
    v.add_outline("shared", outline_pen(theme.palette().shared, 5), z=5, color_key="shared")
    # the window of the output cell under the pointer
    v.add_outline(
        "hover", outline_pen(theme.palette().source, 4, dashed=True), z=6, color_key="source"
    )
    return v


def make_kernel_view() -> GridView:
    v = GridView(text.tr("Kernel"))
    v.add_outline("current", outline_pen(theme.palette().window, 5), z=5, color_key="window")
    return v


def make_output_view() -> GridView:
    v = GridView(text.tr("Output"))
    v.add_outline("blocks", outline_pen("#1c3d5a", 3, dashed=True))
    v.add_outline("current", outline_pen(theme.palette().window, 5), z=5, color_key="window")
    # the cells the hovered cell's thread computes (tiles view)
    v.add_outline("thread", outline_pen(theme.palette().window, 4), z=5, color_key="window")
    # the output cell under the pointer (or clicked)
    v.add_outline("hover", outline_pen(theme.palette().source, 4), z=6, color_key="source")
    return v


class LessonLook:
    """Fonts, colours and outline widths of a lesson view's parts, bigger in presentation
    mode. ``texts`` is the text panel, ``symbols`` the · = Σ→ between the columns,
    ``products`` the products column, ``grids()`` every grid shown now, and
    ``fit_texts()`` what the view hides when the fonts change."""

    def __init__(
        self,
        texts,
        symbols: Sequence[QtWidgets.QLabel],
        stacks: Sequence[GridStack],
        products,
        bracket,
        view_switch: QtWidgets.QWidget,
        grids: Callable[[], list[GridView]],
        fit_texts: Callable[[], None],
    ):
        self.texts, self.symbols, self.stacks = texts, tuple(symbols), tuple(stacks)
        self.products, self.bracket, self.view_switch = products, bracket, view_switch
        self._grids, self._fit_texts = grids, fit_texts
        self.presentation = False

    @property
    def font_scale(self) -> float:
        return PRESENTATION_FONT if self.presentation else 1.0

    @property
    def small_px(self) -> int:
        """The size of a formula's second line."""
        return self.px(text.SMALL_PX)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode on or off: the fonts now (the colours and outline widths
        with the next :meth:`apply_colors`)."""
        self.presentation = bool(on)
        self.apply_fonts()

    def px(self, base: int, scale: float | None = None) -> int:
        """``base`` px ×``scale`` (the font scale by default); in presentation mode never
        under :data:`PRESENTATION_MIN_PX`."""
        n = int(base * (self.font_scale if scale is None else scale))
        return max(n, PRESENTATION_MIN_PX) if self.presentation else n

    def apply_fonts(self) -> None:
        """Fonts and digit sizes, bigger in presentation mode."""
        k = self.font_scale
        px = self.px
        t = self.texts
        t.formula.setFont(theme.mono_font(px(24), bold=True))
        t.caption.setFont(theme.mono_font(px(16)))
        t.sizes.setFont(theme.mono_font(px(18)))
        self._fit_texts()
        t.error.setFont(theme.font(px(22), bold=True))
        self.products.sums.setFont(theme.mono_font(px(18)))
        for sym in self.symbols:
            sym.setFont(theme.font(px(40), bold=True))
        # titles grow less than formulas: they must stay within two lines
        kt = 1.0 + (k - 1.0) / 2
        title_font = theme.font(px(20, kt), bold=True)
        title_h = max(int(54 * kt), 2 * QtGui.QFontMetrics(title_font).lineSpacing() + 4)
        for stack in self.stacks:
            stack.heading.setFont(title_font)
            stack.heading.setFixedHeight(title_h)
            stack.set_label_px(px(18))
        for view in self._grids():
            view.title.setFont(title_font)
            view.title.setFixedHeight(title_h)
            view.numbers.digits_scale = PRESENTATION_DIGITS if self.presentation else 1.0
            view.numbers.update()
        self.products.groups.scale = k
        self.view_switch.setFont(theme.font(px(16)))
        # the kernel's and products' columns keep room for their titles and digits
        for column in (self.stacks[1], self.products):
            column.setMinimumWidth(int(KERNEL_COLUMN_PX * k))

    def fit_columns(self, row: QtWidgets.QHBoxLayout, s) -> None:
        """Share ``row``'s width by the grids' columns (lesson ``s``), so that their cells
        come out of about one size: a big input never squeezes the kernel, and no grid
        draws smaller than the kernel. The kernel and products keep room for titles."""
        inputs, kernels, outputs = self.stacks
        pad_cols = s.w + s.padding[2] + s.padding[3]
        k_cols = max(s.kw, MIN_KERNEL_COLUMNS)
        for widget, cols in (
            (inputs, pad_cols),
            (kernels, k_cols),
            (self.products, k_cols),
            (outputs, max(s.out_w, s.kw)),
        ):
            row.setStretchFactor(widget, max(1, int(cols)))

    def apply_colors(self) -> None:
        """Colours and outline widths from the theme (and presentation mode)."""
        pal = theme.palette()
        for sym in self.symbols:
            sym.setStyleSheet(f"color: {pal.muted}")
        self.texts.error.setStyleSheet(
            f"color: {pal.on_error}; background: {pal.error}; padding: 8px;"
        )
        w = PRESENTATION_OUTLINE if self.presentation else 1.0
        for view in self._grids():
            view.refresh_theme()
            view.set_outline_scale(w)
        self.bracket.width_px = 4.0 * w
        self.products.groups.update()
        self.bracket.update()


class PaddingHover:
    """A padded cell of the input hovered: the pixel it copies outlined, with an arrow to
    it, and the caption says which (``texts``: the view's text panel)."""

    def __init__(self, grids: LessonGrids, texts):
        self.grids, self.texts = grids, texts
        self.sources = np.zeros((0, 0, 2), int)  # padded cell → input (row, col) or -1
        self.mask = np.zeros((0, 0), bool)
        #: (input view, padded cell, the input pixel it copies) while one is hovered
        self.source: tuple[int, tuple[int, int], tuple[int, int]] | None = None

    def reset(self, spec) -> None:
        """A new lesson: its padding's sources, nothing hovered."""
        self.sources, self.mask = padding_sources(spec)
        self.source = None

    def hovered(self, i: int, r: int, c: int) -> None:
        views = self.grids.inputs.views
        for view in views:
            view.set_outline("source", [])
            view.arrows.set_arrows([])
        self.source = None
        prep = self.grids.model.prep
        s = prep.spec
        caption = self.texts.caption
        if r < 0 or r >= self.mask.shape[0] or c >= self.mask.shape[1] or not self.mask[r, c]:
            self.texts.show_caption()
            return
        sr, sc = (int(v) for v in self.sources[r, c])
        if sr < 0:
            caption.setText(text.padding_hover(s.padding_mode, r, c, None, 0.0))
            return
        target = (sr + s.padding[0], sc + s.padding[2])
        views[i].set_outline("source", [Box(*target)])
        views[i].arrows.set_arrows([((r, c), target)])
        self.source = (i, (r, c), (sr, sc))
        ci = self.grids.input_channels()[i]
        x = float(prep.x[ci, sr, sc])
        caption.setText(text.padding_hover(s.padding_mode, r, c, (sr, sc), x))


class ThreadsPicture:
    """The output after a parallel run as the one-thread-per-cell kernel computed it; the
    hovered output cell and the input window it reads, outlined (``formula``: the label
    that names a hovered cell's thread; ``look`` sizes its second line)."""

    def __init__(self, grids: LessonGrids, formula: QtWidgets.QLabel, look: LessonLook):
        self.grids, self.formula, self.look = grids, formula, look

    def paint_blocks(self, out: np.ndarray, tile: tuple[int, int, int], grid) -> None:
        """Every output cell at once, filled with the colour of the block that computed it
        (a 2-D colouring: no two neighbouring blocks alike; the digits stay black or white
        on it); each block's output (``tile`` = rows, columns, channels) outlined; threads
        beyond the output idle (hatched). The input's and kernel's sequential outlines go."""
        g = self.grids
        s = g.model.prep.spec
        th, tw, _tc = tile
        gx, gy = grid[0], grid[1]
        fills = theme.palette().block_fills
        colours = cell_colours(s.out_h, s.out_w, th, tw)
        boxes = [Box(oy, ox) for oy in range(s.out_h) for ox in range(s.out_w)]
        idle = [
            Box(r, c)
            for r in range(gy * th)
            for c in range(gx * tw)
            if r >= s.out_h or c >= s.out_w
        ]
        for view, co in zip(g.outputs.views, g.output_channels()):
            view.set_data(out[co], levels=g.out_levels, lut="diverging")
            view.set_outline("current", [])
            view.set_outline("thread", [])
            view.set_tints(boxes, [fills[i] for i in colours.flat], opaque=True)
            blocks = [Box(j * th, i * tw, th, tw) for j in range(gy) for i in range(gx)]
            view.set_outline("blocks", blocks)
            view.set_extent(gy * th, gx * tw)
            for layer in (view.padded_bg, view.padded_hatch):
                layer.set_shape(gy * th, gx * tw)
                layer.set_boxes(idle)
        self.clear_input_outlines()
        for view in g.kernels.views:
            view.set_outline("current", [])

    def clear_input_outlines(self) -> None:
        for view in self.grids.inputs.views:
            for name in ("window", "group", "taps", "shared"):
                view.set_outline(name, [])

    def show(self, out: np.ndarray, record) -> None:
        """Every cell of every output channel at once, tinted by the CUDA block."""
        g = self.grids
        s = g.model.prep.spec
        self.paint_blocks(out, (record.block[1], record.block[0], 1), record.grid)
        if g.stacked:
            g.outputs.heading.setText(
                text.tr("Output: {0} channels of {1}×{2}, all at once (tint = CUDA block)").format(
                    s.c_out, s.out_h, s.out_w
                )
            )
        else:
            g.output_view.title.setText(
                text.tr("Output {0}×{1}, all at once (tint = CUDA block)").format(s.out_h, s.out_w)
            )
        self.formula.setText(text.parallel_html(s, record, small_px=self.look.small_px))

    def mark_cell(self, i: int, r: int, c: int) -> None:
        """The output cell under the pointer (or clicked) outlined, and the input window it
        reads outlined on the input (``r`` < 0: the pointer left)."""
        s = self.grids.model.prep.spec
        inside = 0 <= r < s.out_h and 0 <= c < s.out_w
        for j, view in enumerate(self.grids.outputs.views):
            view.set_outline("hover", [Box(r, c)] if inside and j == i else [])
        (sy, sx) = s.stride
        span = [Box(r * sy, c * sx, *s.span)] if inside else []
        for view in self.grids.inputs.views:
            view.set_outline("hover", span)

    def hovered(self, parallel, i: int, r: int, c: int) -> None:
        """Name the thread (blockIdx, threadIdx) that computed the hovered output cell
        (``parallel``: the run's (out, record), None when none is shown)."""
        if parallel is None or r < 0:
            return
        out, record = parallel
        s = self.grids.model.prep.spec
        co = self.grids.output_channels()[i]
        if r >= s.out_h or c >= s.out_w:
            return
        from convviz.core.launch import thread_of  # (a launch's geometry: after a run)

        bidx, tidx = thread_of(co, r, c, block=record.block[:2])
        value = float(out[co, r, c])
        html = text.thread_html(s, record, co, r, c, value, bidx, tidx, self.look.small_px)
        self.formula.setText(html)
