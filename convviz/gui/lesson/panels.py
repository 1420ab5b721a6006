"""Parts of the lesson view with a job of their own.

:class:`ProductsPanel` is the middle of the row: the products w·x of the current
window, the sums per input channel and the groups diagram. :class:`TextPanel` holds
the texts under the grids: the error, the formula, the caption and the sizes.
:func:`draw_outputs` draws the output grids as the animation fills them. :class:`ParallelPhase`
holds what the output shows after "Run in parallel": every cell at once, tinted by
the CUDA block that computed it, or the tiled kernel's tiles, with the switch
between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QObject, Qt

from convviz.core.spec import ConvSpec, Prepared
from convviz.core.stepper import CellState, Partial, Tap, fmt_number
from convviz.gui import theme
from convviz.gui.lesson import text
from convviz.gui.lesson.extras import padded_input
from convviz.gui.lesson.tiles import ViewSwitch
from convviz.gui.widgets.channel_stack import GridStack, GroupBracket, GroupsDiagram
from convviz.gui.widgets.grid_view import Box, GridView


class TextPanel(QtWidgets.QWidget):
    """Under the grids: the error (when the settings are invalid), the formula, the
    caption (which weight meets which input; what a hovered padded cell copies) and
    the sizes."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("lessonError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.formula = QtWidgets.QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("lessonCaption")
        self.caption.setWordWrap(True)
        self.sizes = QtWidgets.QLabel()
        self.sizes.setTextFormat(Qt.TextFormat.RichText)
        self.sizes.setWordWrap(True)  # never widen the window
        #: the caption of the current cell, shown again when no padded cell is hovered
        self.caption_text = ""
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for label in (self.error, self.formula, self.caption, self.sizes):
            lay.addWidget(label)

    def set_error(self, message: str) -> None:
        self.error.setText(text.error_text(message))
        self.error.setVisible(bool(message))

    def set_caption(self, caption: str, show: bool = True) -> None:
        """The current cell's caption; ``show`` False while a padded cell's own caption
        is up (it comes back with :meth:`show_caption`)."""
        self.caption_text = caption
        if show:
            self.show_caption()

    def show_caption(self) -> None:
        self.caption.setText(self.caption_text)


def draw_inputs(views: Sequence[GridView], channels: Sequence[int], prep: Prepared) -> float:
    """The input ``channels`` of ``prep``, padded as the taps read them, no hover or
    tile outlines; returns the largest |value| shown (at least 1)."""
    signed = bool((prep.x < 0).any())
    levels = theme.levels_for(prep.x, centred=signed)
    lut = "diverging" if signed else "input"
    vmax = 1.0
    for view, ci in zip(views, channels):
        vals, padded = padded_input(prep, ci)
        vmax = max(vmax, float(np.abs(vals).max()))
        view.set_data(vals, levels=levels, lut=lut, padded=padded)
        view.set_outline("source", [])
        view.set_outline("shared", [])
        view.arrows.set_arrows([])
    return vmax


def label_filter(
    kernels: GridStack,
    inputs: GridStack,
    bracket: GroupBracket,
    s: ConvSpec,
    co: int,
    c0: int,
    n: int,
) -> None:
    """Name the stacked filter of output channel ``co`` (its ``n`` kernels meet input
    channels c0 … c0+n−1): headings, labels, tooltips and the bracket on the inputs."""
    kernels.heading.setText(text.filter_heading(s, co))
    kernels.set_labels([text.tr("w[{0},{1}]").format(co, i) for i in range(n)])
    for view, i in zip(kernels.views, range(n)):
        view.setToolTip(
            text.tr("the kernel out {0} applies to input channel {1}").format(co, c0 + i)
        )
    members = list(range(c0, c0 + n))
    inputs.set_labels([text.tr("in {0}").format(i) for i in range(s.c_in)], active=set(members))
    bracket.set_members(members, text.groups_text(s))


def outline_selection(
    inputs: Sequence[GridView], kernels: Sequence[GridView], view: GridView | None, box: Box
) -> None:
    """Outline ``box`` (the cell being edited) on ``view``, and no other cell."""
    for v in (*inputs, *kernels):
        v.set_outline("selected", [])
    if view is not None:
        view.set_outline("selected", [box])


def draw_outputs(
    views: Sequence[GridView],
    channels: Sequence[int],
    out: np.ndarray,
    levels: tuple[float, float],
    st: CellState | None,
    part: Partial | None,
) -> None:
    """The output grids as the animation left them (NaN: not computed yet): the cell
    being filled shows its sum so far, faint; the current cell outlined."""
    for view, co in zip(views, channels):
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
        view.set_data(out[co], levels=levels, lut="diverging", texts=texts, faint=faint)
        view.set_outline("current", [Box(st.oy, st.ox)] if st and st.co == co else [])


class ProductsPanel(QtWidgets.QWidget):
    """The products of one input channel's window, the sums, the groups diagram."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.view = GridView(text.tr("Products w·x"))
        self.view.title.setFixedHeight(54)
        self.view.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.sums = QtWidgets.QLabel()
        self.sums.setTextFormat(Qt.TextFormat.RichText)
        self.groups = GroupsDiagram()
        #: the colour scale of the products: ± the largest |w|·|x| of the lesson
        self.levels = (-1.0, 1.0)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view, 3)
        lay.addWidget(self.sums, 0)
        lay.addWidget(self.groups, 1)

    def clear(self, kh: int, kw: int) -> None:
        """Before the first cell: an empty kh×kw grid, no sums."""
        nan = np.full((kh, kw), np.nan, np.float32)
        self.view.set_data(nan, levels=self.levels, lut="diverging")
        self.view.title.setText(text.tr("Products w·x"))
        self.sums.setText("")

    def show_taps(self, taps: Sequence[Tap], kh: int, kw: int, channel: str | None) -> None:
        """The products of ``taps`` (one input channel's window, row by row), each cell
        subtitled w·x; ``channel`` names the channel when the lesson has several."""
        prods = np.array([t.product for t in taps], np.float32).reshape(kh, kw)
        subs = np.array(
            [f"{fmt_number(t.w)}·{fmt_number(t.x)}" for t in taps], dtype=object
        ).reshape(kh, kw)
        self.view.set_data(prods, levels=self.levels, lut="diverging", subs=subs)
        self.view.title.setText(
            text.tr("Products w·x, {0}").format(channel)
            if channel is not None
            else text.tr("Products w·x")
        )


class ParallelPhase(QObject):
    """What the output of ``view`` (a :class:`~convviz.gui.lesson.view.LessonView`)
    shows after a parallel run: ``parallel`` = (out, record) of the cuda kernel,
    ``tiled`` = (out, record, launch) of the tiled kernel, and the switch between them.
    ``draw_threads``, ``draw_tiles``, ``hover_threads`` and ``hover_tiles`` draw on
    the view; ``restore_titles`` names the output as the sequential run again."""

    def __init__(
        self,
        draw_threads: Callable[..., None],
        draw_tiles: Callable[..., None],
        hover_threads: Callable[[int, int, int], None],
        hover_tiles: Callable[[int, int, int], None],
        restore_titles: Callable[[], None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._draw_threads, self._draw_tiles = draw_threads, draw_tiles
        self._hover_threads, self._hover_tiles = hover_threads, hover_tiles
        self._restore_titles = restore_titles
        self.parallel: tuple[Any, Any] | None = None
        self.tiled: tuple[Any, Any, Any] | None = None
        self.switch = ViewSwitch()  # "Output shows: threads / tiles"
        self.switch.hide()
        self.switch.sigChanged.connect(self._on_switched)

    @property
    def shown(self) -> bool:
        return self.parallel is not None or self.tiled is not None

    def show(self, out: np.ndarray | None, record: Any, tiled: Any = None) -> None:
        """Every cell of every output channel at once, tinted by the CUDA block; with
        ``tiled`` = (out, record, launch) of the tiled kernel, "Output shows" can switch
        to its shared-memory tiles (``out`` None: the tiled kernel's alone)."""
        self.parallel = (out, record) if out is not None else None
        self.tiled = tiled
        self.switch.setVisible(tiled is not None)
        self.switch.threads.setEnabled(self.parallel is not None)
        self.draw()

    @property
    def showing_tiles(self) -> bool:
        """Whether the output shows the tiled kernel's tiles (else the cuda threads)."""
        return self.tiled is not None and (self.parallel is None or self.switch.which == "tiles")

    def _on_switched(self) -> None:
        if self.shown:
            self.draw()

    def draw(self) -> None:
        if self.showing_tiles and self.tiled is not None:
            self._draw_tiles(*self.tiled)
        elif self.parallel is not None:
            self._draw_threads(*self.parallel)

    def leave(self) -> None:
        """Back to the sequential picture: the parallel run is no longer shown, nor named
        in the output's title."""
        was_parallel = self.shown
        self.parallel = self.tiled = None
        self.switch.hide()
        if was_parallel:
            self._restore_titles()

    def hovered(self, i: int, r: int, c: int) -> None:
        """An output cell hovered: name its thread (or its tile's block and thread)."""
        if self.showing_tiles:
            self._hover_tiles(i, r, c)
        else:
            self._hover_threads(i, r, c)
