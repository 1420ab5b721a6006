"""One lane of the results strip: a backend's output, its measured time and device.

:class:`Lane` draws one :class:`~convviz.gui.widgets.compute_worker.LaneResult`: its
output grid (or, in presentation mode's compact strip, its facts alone under its
title), the time (median of repeats, compile time apart), the launch, the device, and
in words what a simulated time is not. :mod:`convviz.gui.lesson.lanes` puts the lanes
side by side.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt

from convviz.core.tolerance import DIFFERENT, IDENTICAL, WITHIN_ROUNDING, compare
from convviz.gui import theme
from convviz.gui.widgets import lane_text as lane_words
from convviz.gui.widgets.grid_view import GridView

if TYPE_CHECKING:  # (the engine loads with the first run, after the window shows)
    from convviz.engine import LaneResult

SEQUENTIAL = "cpu"
PARALLEL = "cuda"
TILED = "cuda-tiled"
#: a lane's output grid, and narrower when three lanes share the strip
VIEW_WIDTH, COMPACT_VIEW_WIDTH = 230, 150
#: presentation mode's facts (px), and their lead figure's (read from a lecture hall)
BRIEF_PX, BRIEF_LEAD_PX = 28, 32


def tr(text: str) -> str:
    return QCoreApplication.translate("Lanes", text)


def verdict_text(verdict: str) -> str:
    """A verdict of :func:`convviz.core.tolerance.compare` in the language in use."""
    texts = {
        IDENTICAL: tr("identical"),
        WITHIN_ROUNDING: tr("equal within float32 rounding"),
        DIFFERENT: tr("DIFFERENT"),
    }
    if verdict.startswith("different shapes"):
        return tr("different shapes {0}").format(verdict[len("different shapes ") :])
    return texts.get(verdict, verdict)


def verdict_color(verdict: str) -> str:
    return theme.palette().error if verdict == DIFFERENT else theme.palette().agree


class Lane(QtWidgets.QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.view = GridView(title, title_px=18)
        self.compact = False
        self.view.setFixedWidth(VIEW_WIDTH)
        column = self.view.layout()
        if isinstance(column, QtWidgets.QBoxLayout):  # GridView's title over its grid
            column.addStretch(0)  # the title stays on top while the grid is hidden
        self.facts = QtWidgets.QLabel(tr("not run yet: press “Run in parallel”"))
        self.facts.setObjectName("laneFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setFont(theme.font(16))
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.view, 2)
        lay.addWidget(self.facts, 3)
        self.pictures = True  # False in presentation mode (or a short window): facts alone
        self._has_result = False
        self._facts = ""
        #: presentation mode's strip: the facts in large type, only the lead figure,
        #: the comparison and the warnings (all of them on hover)
        self.brief = False
        self._brief_facts = ""

    def clear(self, text: str) -> None:
        self.view.set_data(np.full((1, 1), np.nan, np.float32), levels=(-1, 1), lut="diverging")
        self.view.graphics.hide()
        self._has_result = False
        self._show_facts(html.escape(text))

    def set_pictures(self, on: bool) -> None:
        """Whether the lane draws its grid; without it the title heads the facts, which
        take the lane's whole width (presentation mode's compact strip)."""
        self.pictures = on
        self.view.setVisible(on)
        self.view.graphics.setVisible(on and self._has_result)
        self._show_facts(self._facts, self._brief_facts)

    def set_brief(self, on: bool) -> None:
        """Presentation mode: the essential facts in :data:`BRIEF_PX` type (see
        :attr:`brief`)."""
        self.brief = on
        if on:
            self.facts.setFont(theme.font(BRIEF_PX))
        self._show_facts(self._facts, self._brief_facts)

    def _show_facts(self, text: str, brief: str | None = None) -> None:
        self._facts = text
        self._brief_facts = text if brief is None else brief
        shown = self._brief_facts if self.brief else text
        title = f"<b>{html.escape(self.view.title.text())}</b>"
        head = "" if self.pictures else title + "<br>"
        # presentation mode: the title and the time on one line (the strip stays compact)
        self.facts.setText(
            title + " · " + shown if self.brief and not self.pictures else head + shown
        )
        self.facts.setToolTip(head + text if shown != text else "")

    def _view_width(self) -> int:
        return COMPACT_VIEW_WIDTH if self.compact else VIEW_WIDTH

    def set_compact(self, on: bool) -> None:
        """Three lanes in the strip: a narrower grid and smaller type, so the facts fit."""
        self.compact = on
        self.view.setFixedWidth(self._view_width())
        self.view.title.setFont(theme.font(15 if on else 18, bold=True))
        self.facts.setFont(theme.font(14 if on else 16))

    def show_result(
        self, lane: LaneResult, levels, reference: np.ndarray | None = None, tol: float = 0.0
    ) -> None:
        """``reference``: the sequential output, compared in this lane's first line (equal
        within ``tol``, from :func:`convviz.core.tolerance.tolerance`)."""
        if lane.error is not None or lane.out is None or lane.record is None:
            self.clear("")
            self._show_facts(lane_words.rich(lane_words.lines(lane)))
            return
        lead_px = BRIEF_LEAD_PX if self.brief else 24
        rec = lane.record
        self._has_result = True
        self.view.graphics.setVisible(self.pictures)
        self.view.set_data(lane.out[0], levels=levels, lut="diverging")
        lines = []
        brief = []  # the lines presentation mode shows
        if reference is not None:
            diff, verdict = compare(reference, lane.out, tol)
            lines.append(
                f"<b style='color:{verdict_color(verdict)}'>"
                + html.escape(
                    tr("vs sequential: max |Δ| = {0}, {1}").format(
                        f"{diff:.3g}", verdict_text(verdict)
                    )
                )
                + "</b>"
            )
            brief.append(lines[-1])
        # the same facts in the same words as every screen (compact: the warning names
        # the simulator, so the device line goes)
        facts = lane_words.lines(lane, device=not (self.compact and lane.simulated))
        launch = lane.launch if lane.backend == TILED and not rec.note else None
        for line in facts:
            if line.kind == "launch" and launch is not None:
                lines.append(html.escape(self._tile_line(rec, launch)))
                continue
            lines.append(lane_words.rich_line(line, lead_px=lead_px))
            short = lane_words.brief_time(lane) if line.kind == "time" else None
            if short is not None:  # the lecture hall reads the median and its spread
                brief.append(lane_words.rich_line(short, lead_px=lead_px))
            elif line.lead or line.kind in ("warning", "error"):
                brief.append(lines[-1])
            if line.kind == "launch" and lane.backend == TILED and rec.note:
                lines.append(
                    html.escape(
                        tr(
                            "the tile does not fit in shared memory: the "
                            "one-thread-per-cell kernel ran instead"
                        )
                    )
                )
        if lane.backend == TILED:
            lines.append(html.escape(tiled_time_note(lane.simulated)))
        self._show_facts("<br>".join(lines), "<br>".join(brief))

    @staticmethod
    def _tile_line(rec, launch) -> str:
        """The tiled kernel's launch: threads, cells per thread and the tile."""
        th, tw, _ = launch.tile
        rows, cob = launch.cells_per_thread
        return tr("grid {0} × block {1} = {2} threads, {3} cells per thread, tile {4}×{5}").format(
            "×".join(map(str, rec.grid or ())),
            "×".join(map(str, rec.block or ())),
            rec.threads,
            rows * cob,
            th,
            tw,
        )


def tiled_time_note(simulated: bool) -> str:
    """What the tiled lane's time does not say (no speed-up is read from a lesson)."""
    if simulated:
        return tr(
            "Shared memory saves nothing on the simulator: this time says nothing "
            "about what tiling buys on a GPU."
        )
    return tr(
        "A lesson this small is all launch overhead: View → Benchmark shows what "
        "shared memory buys on large images."
    )
