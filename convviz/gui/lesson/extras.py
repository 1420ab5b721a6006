"""The lesson view's grids, parallel phase, padding hover and look, kept apart.

Functions of a :class:`~convviz.gui.lesson.view.LessonView` ``lv``: they draw on
its grids and labels and keep no state of their own.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core.block_colours import cell_colours
from convviz.core.launch import thread_of
from convviz.core.stepper import padding_sources
from convviz.gui import theme
from convviz.gui.lesson import text
from convviz.gui.widgets.grid_view import Box, GridView, outline_pen

#: presentation mode: fonts and outlines grow by these
PRESENTATION_FONT = 1.4
PRESENTATION_OUTLINE = 1.8
#: digits grow by this in presentation mode (a 16×16 lesson's reach 24 px at 1080 rows)
PRESENTATION_DIGITS = 1.45
#: the least width of the kernel's and the products' columns (× the font scale)
KERNEL_COLUMN_PX = 150


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


def paint_blocks(lv, out: np.ndarray, tile: tuple[int, int, int], grid: tuple[int, ...]) -> None:
    """Every output cell at once, filled with the colour of the block that computed it
    (a 2-D colouring: no two neighbouring blocks alike; the digits stay black or white
    on it); each block's output (``tile`` = rows, columns, channels) outlined; threads
    beyond the output idle (hatched). The input's and kernel's sequential outlines go."""
    s = lv.model.prep.spec
    th, tw, _tc = tile
    gx, gy = grid[0], grid[1]
    fills = theme.palette().block_fills
    colours = cell_colours(s.out_h, s.out_w, th, tw)
    boxes = [Box(oy, ox) for oy in range(s.out_h) for ox in range(s.out_w)]
    for view, co in zip(lv.outputs.views, lv.output_channels()):
        view.set_data(out[co], levels=lv.out_levels, lut="diverging")
        view.set_outline("current", [])
        view.set_outline("thread", [])
        view.set_tints(boxes, [fills[i] for i in colours.flat], opaque=True)
        view.set_outline(
            "blocks", [Box(j * th, i * tw, th, tw) for j in range(gy) for i in range(gx)]
        )
        view.set_extent(gy * th, gx * tw)
        idle = [
            Box(r, c)
            for r in range(gy * th)
            for c in range(gx * tw)
            if r >= s.out_h or c >= s.out_w
        ]
        for layer in (view.padded_bg, view.padded_hatch):
            layer.set_shape(gy * th, gx * tw)
            layer.set_boxes(idle)
    clear_input_outlines(lv)
    for view in lv.kernels.views:
        view.set_outline("current", [])


def clear_input_outlines(lv) -> None:
    for view in lv.inputs.views:
        for name in ("window", "group", "taps", "shared"):
            view.set_outline(name, [])


def show_parallel(lv, out: np.ndarray, record) -> None:
    """Every cell of every output channel at once, tinted by the CUDA block."""
    s = lv.model.prep.spec
    bx, by = record.block[0], record.block[1]
    paint_blocks(lv, out, (by, bx, 1), record.grid)
    if lv.stacked:
        lv.outputs.heading.setText(
            text.tr("Output: {0} channels of {1}×{2}, all at once (tint = CUDA block)").format(
                s.c_out, s.out_h, s.out_w
            )
        )
    else:
        lv.output_view.title.setText(
            text.tr("Output {0}×{1}, all at once (tint = CUDA block)").format(s.out_h, s.out_w)
        )
    lv.formula.setText(text.parallel_html(s, record))


def mark_hovered_cell(lv, i: int, r: int, c: int) -> None:
    """The output cell under the pointer (or clicked) outlined, and the input window it
    reads outlined on the input (``r`` < 0: the pointer left)."""
    s = lv.model.prep.spec
    inside = 0 <= r < s.out_h and 0 <= c < s.out_w
    for j, view in enumerate(lv.outputs.views):
        view.set_outline("hover", [Box(r, c)] if inside and j == i else [])
    (sy, sx), (dy, dx) = s.stride, s.dilation
    span = [Box(r * sy, c * sx, (s.kh - 1) * dy + 1, (s.kw - 1) * dx + 1)] if inside else []
    for view in lv.inputs.views:
        view.set_outline("hover", span)


def output_hovered(lv, i: int, r: int, c: int) -> None:
    """Name the thread (blockIdx, threadIdx) that computed the hovered output cell."""
    if lv.phase.parallel is None or r < 0:
        return
    out, record = lv.phase.parallel
    s = lv.model.prep.spec
    co = lv.output_channels()[i]
    if r >= s.out_h or c >= s.out_w:
        return
    bidx, tidx = thread_of(co, r, c, block=record.block[:2])
    lv.formula.setText(text.thread_html(s, record, co, r, c, float(out[co, r, c]), bidx, tidx))


def apply_fonts(lv) -> None:
    """Fonts and digit sizes, bigger in presentation mode."""
    k = PRESENTATION_FONT if lv.presentation else 1.0
    text.SMALL_PX = int(18 * k)
    lv.formula.setFont(theme.mono_font(int(24 * k), bold=True))
    lv.caption.setFont(theme.mono_font(int(16 * k)))
    lv.sizes.setFont(theme.mono_font(int(18 * k)))
    lv.fit_texts()
    lv.error.setFont(theme.font(int(22 * k), bold=True))
    lv.sums.setFont(theme.mono_font(int(18 * k)))
    for sym in (lv.dot, lv.eq, lv.sigma):
        sym.setFont(theme.font(int(40 * k), bold=True))
    # titles grow less than formulas: they must stay within two lines
    kt = 1.0 + (k - 1.0) / 2
    for stack in (lv.inputs, lv.kernels, lv.outputs):
        stack.heading.setFont(theme.font(int(20 * kt), bold=True))
        stack.heading.setFixedHeight(int(54 * kt))
        stack.set_label_px(int(18 * k))
    for view in lv.grids():
        view.title.setFont(theme.font(int(20 * kt), bold=True))
        view.title.setFixedHeight(int(54 * kt))
        view.numbers.scale = PRESENTATION_DIGITS if lv.presentation else 1.0
        view.numbers.update()
    lv.groups.scale = k
    lv.view_switch.setFont(theme.font(int(16 * k)))
    # the kernel's and products' columns keep room for their titles and digits
    for column in (lv.kernels, lv.products_box):
        column.setMinimumWidth(int(KERNEL_COLUMN_PX * k))


def apply_colors(lv) -> None:
    """Colours and outline widths from the theme (and presentation mode)."""
    for sym in (lv.dot, lv.eq, lv.sigma):
        sym.setStyleSheet(f"color: {theme.palette().muted}")
    pal = theme.palette()
    lv.error.setStyleSheet(f"color: {pal.on_error}; background: {pal.error}; padding: 8px;")
    w = PRESENTATION_OUTLINE if lv.presentation else 1.0
    for view in lv.grids():
        view.refresh_theme()
        view.set_outline_scale(w)
    lv.bracket.width_px = 4.0 * w
    lv.groups.update()
    lv.bracket.update()


def input_hovered(lv, i: int, r: int, c: int) -> None:
    """A padded cell hovered: outline the pixel it copies, with an arrow to it."""
    for view in lv.inputs.views:
        view.set_outline("source", [])
        view.arrows.set_arrows([])
    lv.hover_source = None
    s = lv.model.prep.spec
    if r < 0 or r >= lv.pad_mask.shape[0] or c >= lv.pad_mask.shape[1] or not lv.pad_mask[r, c]:
        lv.texts.show_caption()
        return
    view = lv.inputs.views[i]
    sr, sc = (int(v) for v in lv.pad_sources[r, c])
    if sr < 0:
        lv.caption.setText(text.padding_hover(s.padding_mode, r, c, None, 0.0))
        return
    target = (sr + s.padding[0], sc + s.padding[2])
    view.set_outline("source", [Box(*target)])
    view.arrows.set_arrows([((r, c), target)])
    lv.hover_source = (i, (r, c), (sr, sc))
    ci = lv.input_channels()[i]
    lv.caption.setText(
        text.padding_hover(s.padding_mode, r, c, (sr, sc), float(lv.model.prep.x[ci, sr, sc]))
    )
