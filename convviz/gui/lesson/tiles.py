"""The lesson's output seen as the ``cuda-tiled`` kernel computed it: shared-memory tiles.

After a run that included the tiled kernel, the output can show its tiles instead
of the one-thread-per-cell blocks: each block's tile of output cells outlined and
tinted, and, for a hovered cell, which block and thread computed it and which of
that thread's cells it is, the other cells of the same thread, and the input tile
plus halo the block copied into shared memory, outlined on the (padded) input.

Everything is drawn from the :class:`~convviz.core.launch.Launch` the backend ran
(grid, block, cells per thread), so that what is drawn is what ran. The geometry is
the kernel's own (:func:`convviz.core.launch.tile_plan`, plain arithmetic in core).
:class:`TilesPicture` draws it on the view's grids, beside
:class:`~convviz.gui.lesson.extras.ThreadsPicture`, whose block painting it shares.
"""

from __future__ import annotations

import html

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from convviz.core.stepper import fmt_number
from convviz.gui.lesson import text
from convviz.gui.lesson.extras import LessonGrids, LessonLook, ThreadsPicture
from convviz.gui.widgets.grid_view import Box


def tr(source: str) -> str:
    return QCoreApplication.translate("LessonTiles", source)


# -- geometry ---------------------------------------------------------------------------
def thread_cells(spec, launch, bidx, tidx) -> list[tuple[int, int, int]]:
    """(co, oy, ox) of the output cells one thread computes, in its order k (its
    consecutive rows, then output channels); cells beyond the output left out."""
    return [
        (co, oy, ox)
        for co, oy, ox in launch.cells_of(bidx, tidx)
        if co < spec.c_out and oy < spec.out_h and ox < spec.out_w
    ]


def shared_box(spec, launch, bidx) -> Box:
    """The padded-input rows and columns block ``bidx`` copies into shared memory: its
    tile's inputs plus the halo ((kh−1)·dilation rows, (kw−1)·dilation columns), in
    padded coordinates, cut at the padded input's edge (the kernel loads zeros there).
    The geometry is the kernel's own (:func:`convviz.core.launch.tile_plan`)."""
    from convviz.core.launch import tile_plan  # (a launch's geometry: after a run)

    plan = tile_plan(spec, launch.block[:2], launch.cells_per_thread[0])
    return Box(*plan.shared_box(spec, bidx))


def tiles_ran(record) -> bool:
    """False where the backend refused to tile (its note says why) and the one-thread-
    per-cell kernel ran instead."""
    return not record.note


class ViewSwitch(QtWidgets.QWidget):
    """ "Output shows: ○ threads (cuda) ○ tiles (cuda-tiled)", under the lesson's grids."""

    sigChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QtWidgets.QLabel(self.tr("Output shows:"))
        self.threads = QtWidgets.QRadioButton(self.tr("threads (cuda)"))
        self.tiles = QtWidgets.QRadioButton(self.tr("tiles (cuda-tiled)"))
        self.tiles.setChecked(True)
        self.threads.setToolTip(
            self.tr("Tint and outline the output by the blocks of the one-thread-per-cell kernel")
        )
        self.tiles.setToolTip(
            self.tr(
                "Tint and outline the output by the tiled kernel's "
                "shared-memory tiles; hover a cell to see its thread "
                "and the input its block loaded"
            )
        )
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.threads, self.tiles):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            lay.addWidget(widget)
        lay.addStretch(1)
        self.threads.toggled.connect(self.sigChanged)

    @property
    def which(self) -> str:
        return "threads" if self.threads.isChecked() else "tiles"

    def set_which(self, which: str) -> None:
        (self.threads if which == "threads" else self.tiles).setChecked(True)


# -- drawing -----------------------------------------------------------------------------
def launch_text(s, record, launch) -> str:
    rows, cob = launch.cells_per_thread
    th, tw, _ = launch.tile
    return tr(
        "tiled launch: grid {0} × block {1} = {2} threads, {3} cells per thread, tile {4}×{5}"
    ).format(
        "×".join(map(str, record.grid)),
        "×".join(map(str, record.block)),
        record.threads,
        rows * cob,
        th,
        tw,
    )


def tiles_html(s, record, launch, small_px: int = text.SMALL_PX) -> str:
    if not tiles_ran(record):
        return html.escape(
            tr(
                "The tile does not fit in shared memory: the "
                "one-thread-per-cell kernel ran instead."
            )
        )
    hint = tr(
        "Each block copies its input tile and halo into shared memory once, then "
        "each thread computes {0} cells from it. Hover or click an output cell."
    ).format(launch.cells_per_thread[0] * launch.cells_per_thread[1])
    head = html.escape(launch_text(s, record, launch))
    return head + "<br>" + text.small_html(html.escape(hint), small_px)


def _xyz(t) -> str:
    return "(" + ",".join(map(str, t)) + ")"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return tr("{0} and {1}").format(", ".join(items[:-1]), items[-1])


def thread_text(c: int, cells) -> str:
    """What one thread of the tiled kernel computes (its ``cells``), said of its hovered
    cell in column ``c``."""
    ys = sorted({oy for _, oy, _ in cells})
    chans = sorted({cc for cc, _, _ in cells})
    if len(chans) > 1:
        return tr(
            "a thread computes the consecutive rows {0} of column {1} in output channels {2}"
        ).format(_and([str(y) for y in ys]), c, _and([str(x) for x in chans]))
    if len(ys) > 1:
        return tr("a thread computes the consecutive rows {0} of column {1}").format(
            _and([str(y) for y in ys]), c
        )
    return tr(
        "this thread computes this cell only (the other rows of its thread fall outside the output)"
    )


def shared_text(s, launch, bidx, box: Box) -> str:
    """What block ``bidx`` copied into shared memory (``box``, in padded coordinates)."""
    return tr(
        "blockIdx {0} copied padded input rows {1}–{2}, columns {3}–{4} into shared "
        "memory (blue): its {5}×{6} tile's inputs plus a halo of {7} rows and {8} "
        "columns"
    ).format(
        _xyz(bidx),
        box.r,
        box.r + box.h - 1,
        box.c,
        box.c + box.w - 1,
        launch.tile[0],
        launch.tile[1],
        s.span[0] - 1,
        s.span[1] - 1,
    )


class TilesPicture:
    """The output after a run of the tiled kernel: its tiles, and for a hovered cell its
    block, its thread and the input the block loaded (``threads`` paints the blocks;
    ``formula`` names the hovered cell; ``look`` sizes its second line)."""

    def __init__(
        self,
        grids: LessonGrids,
        formula: QtWidgets.QLabel,
        look: LessonLook,
        threads: ThreadsPicture,
    ):
        self.grids, self.formula, self.look, self.threads = grids, formula, look, threads

    def show(self, out, record, launch) -> None:
        """Every cell at once, tinted and outlined by the tiled kernel's blocks."""
        g = self.grids
        s = g.model.prep.spec
        self.threads.paint_blocks(out, launch.tile, launch.grid)
        th, tw, _ = launch.tile
        if g.stacked:
            g.outputs.heading.setText(
                tr("Output: {0} channels of {1}×{2}, all at once (outline = {3}×{4} tile)").format(
                    s.c_out, s.out_h, s.out_w, th, tw
                )
            )
        else:
            g.output_view.title.setText(
                tr("Output {0}×{1}, all at once (outline = {2}×{3} tile)").format(
                    s.out_h, s.out_w, th, tw
                )
            )
        self.formula.setText(tiles_html(s, record, launch, self.look.small_px))

    def hovered(self, tiled, i: int, r: int, c: int) -> None:
        """Name the block, thread and cell-of-thread of the hovered output cell; outline
        its thread's cells and the shared-memory tile its block loaded (``tiled``: the
        run's (out, record, launch), None when none is shown)."""
        if tiled is None or r < 0:
            return
        out, record, launch = tiled
        g = self.grids
        s = g.model.prep.spec
        co = g.output_channels()[i]
        if r >= s.out_h or c >= s.out_w:
            return
        bidx, tidx, k = launch.thread_of(co, r, c)
        cells = thread_cells(s, launch, bidx, tidx)
        rows_all, cob = launch.cells_per_thread
        for view, ch in zip(g.outputs.views, g.output_channels()):
            view.set_outline("thread", [Box(oy, ox) for cc, oy, ox in cells if cc == ch])
        where = f"{r},{c}" if s.c_out == 1 else f"{co},{r},{c}"
        head = tr("out[{0}] = {1} ← cell {2} of {3} of threadIdx {4} in blockIdx {5}").format(
            where, fmt_number(float(out[co, r, c])), k + 1, rows_all * cob, _xyz(tidx), _xyz(bidx)
        )
        lines = [html.escape(thread_text(c, cells))]
        self.threads.clear_input_outlines()
        if tiles_ran(record):
            box = shared_box(s, launch, bidx)
            c0 = g.model.stepper.group_start(co)
            cin_g = s.c_in // s.groups
            # the block's shared tile, and the hovered cell's own window inside it
            span = Box(r * s.stride[0], c * s.stride[1], *s.span)
            for view, ci in zip(g.inputs.views, g.input_channels()):
                if not g.stacked or c0 <= ci < c0 + cin_g:
                    view.set_outline("shared", [box])
                    view.set_outline("window", [span])
            lines.append(html.escape(shared_text(s, launch, bidx, box)))
        lines.append(html.escape(launch_text(s, record, launch)))
        small = text.small_html("<br>".join(lines), self.look.small_px)
        self.formula.setText(f"{html.escape(head)}<br>{small}")
