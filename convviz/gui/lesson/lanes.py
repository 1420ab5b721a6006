"""The results strip: the sequential lane, the comparison, the parallel lane(s).

Each lane shows its output, its measured time (median of repeats, compile time
apart) and its device. A simulated CUDA run says so in words: its time is not a
GPU time. With "also run the tiled kernel" checked, a third lane shows the
``cuda-tiled`` kernel (shared-memory tiles) with its launch shape and its own
comparison with the sequential lane; on the simulator it says that its time
tells nothing about what shared memory buys.

In presentation mode the lanes themselves stay hidden until there is a result to
show (two empty lanes would take a third of the projected screen); the Run button
and its note stay. With a result they are a compact strip of facts (no grids: the
lesson's own output shows the parallel run, big), as in a short window (1280×720).
One lane is a :class:`~convviz.gui.lesson.lane.Lane`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, Qt, Signal

from convviz.core.tolerance import compare
from convviz.gui import theme
from convviz.gui.lesson.lane import (  # (the lane's names, used from here too)
    PARALLEL,
    SEQUENTIAL,
    TILED,
    Lane,
    verdict_color,
    verdict_text,
)
from convviz.gui.widgets.tip_label import TipLabel
from convviz.gui.widgets.wrap_row import fit_progress

if TYPE_CHECKING:  # (the engine loads with the first run, after the window shows)
    from convviz.engine import LaneResult

#: the strip's height with its lanes shown; in presentation mode a compact strip of facts
#: (the lesson's own output shows the parallel result, big: the lanes' grids are hidden)
HEIGHT, PRESENTATION_HEIGHT = 300, 200
#: in a window shorter than this (1280×720) the lanes are facts only, as in presentation
#: mode, so that the lesson keeps room; their strip is then this high
SHORT_WINDOW, SHORT_HEIGHT, SHORT_FACTS_PX = 860, 200, 14
#: the facts-only strip grows for its facts up to this share of the window's height
FACTS_SHARE = 0.35
#: three lanes share the width: each lane's facts wrap into more lines
THREE_LANES_EXTRA = 44
COMPILE_BAR_PX = 110  # the spinner while kernels compile and nothing runs


class LanesStrip(QtWidgets.QWidget):
    sigRunRequested = Signal()
    sigCancelRequested = Signal()
    sigRaceRequested = Signal()  # the race (convviz.gui.race), beside "Run in parallel"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_button = QtWidgets.QPushButton(self.tr("⚡ Run in parallel"))
        self.run_button.setFont(theme.font(20, bold=True))
        self.run_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.run_button.setToolTip(
            self.tr("Run the CPU loop and the CUDA kernel on this lesson and time both (R)")
        )
        self.race_button = QtWidgets.QPushButton(self.tr("⚑ Race"))
        self.race_button.setFont(theme.font(20, bold=True))
        self.race_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.race_button.setToolTip(
            self.tr("The same lesson on one core, this CPU's cores and a GPU, one clock (C)")
        )
        self.with_tiled = QtWidgets.QCheckBox(self.tr("also run the tiled kernel (shared memory)"))
        self.with_tiled.setFont(theme.font(16))
        self.with_tiled.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.with_tiled.setToolTip(
            self.tr(
                "A third lane: the cuda-tiled kernel, whose blocks copy their input tile and "
                "its halo into shared memory once and compute several cells per thread"
            )
        )
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(260)  # (wider for a longer text: fit_progress)
        self.progress.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(self.tr("Cancel"))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.hide()
        self.note = TipLabel()  # whole on hover where the row cuts it
        self.note.setFont(theme.font(16))
        self.note.setWordWrap(True)  # a long note wraps: it never widens the window
        self.head = QtWidgets.QWidget()
        head = QtWidgets.QHBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.run_button)
        head.addWidget(self.race_button)
        head.addWidget(self.with_tiled)
        head.addWidget(self.progress)
        head.addWidget(self.cancel_button)
        head.addWidget(self.note, 1)
        self.sequential = Lane(self.tr("Sequential: CPU, one cell after another"))
        self.parallel = Lane(self.tr("Parallel: CUDA, one thread per cell"))
        self.tiled = Lane(self.tr("Parallel: CUDA tiles in shared memory"))
        self.verdict = QtWidgets.QLabel("—")
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setWordWrap(True)
        self.verdict.setFont(theme.font(20, bold=True))
        self.verdict.setMinimumWidth(170)
        self.verdict.setMaximumWidth(230)
        self.results_row = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(self.results_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sequential, 1)
        row.addWidget(self.verdict)
        row.addWidget(self.parallel, 1)
        row.addWidget(self.tiled, 1)
        self._row = row
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.head)
        lay.addWidget(self.results_row, 1)
        self.presentation = False
        self.short = False  # the window is short: facts only (see SHORT_WINDOW)
        self._watched = None  # the window whose height decides ``short``
        self.setFixedHeight(HEIGHT)
        self.run_button.clicked.connect(self.sigRunRequested)
        self.race_button.clicked.connect(self.sigRaceRequested)
        self.cancel_button.clicked.connect(self.sigCancelRequested)
        self.with_tiled.toggled.connect(self._sync_tiled)
        self._shown: tuple | None = None  # (lanes, levels) on show, for redrawing texts
        self._stage = ""
        self._compiling = False
        self.clear()

    # -- presentation mode ---------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the lanes appear with the first result (see the module), as a
        compact strip of facts under the lesson."""
        self.presentation = on
        self._sync_height()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            window.installEventFilter(self)
            self._watched = window
        self._fit_window()

    def eventFilter(self, obj, event) -> bool:
        if obj is self._watched and event.type() == QEvent.Type.Resize:
            self._fit_window()
        return False

    def _fit_window(self) -> None:
        short = self._watched is not None and self._watched.height() < SHORT_WINDOW
        if short != self.short:
            self.short = short
            self._sync_height()

    @property
    def lanes_shown(self) -> bool:
        return not (self.presentation or self.short) or self._shown is not None

    def _sync_height(self) -> None:
        shown = self.lanes_shown
        self.results_row.setVisible(shown)
        facts_only = self.presentation or self.short
        brief_before = self.sequential.brief
        for lane in (self.sequential, self.parallel, self.tiled):
            lane.set_pictures(not facts_only)
            lane.set_compact(lane.compact)
            if facts_only and not self.presentation:
                lane.facts.setFont(theme.font(SHORT_FACTS_PX))
            lane.set_brief(self.presentation)
        if self.presentation != brief_before and self._shown is not None:
            self.show_results(*self._shown)  # the lead figures in the type of the mode
        self.verdict.setMinimumWidth(120 if facts_only else 170)
        if shown:
            extra = THREE_LANES_EXTRA if self._tiled_shown() else 0
            height = HEIGHT
            if facts_only:
                height = PRESENTATION_HEIGHT if self.presentation else SHORT_HEIGHT
            need = self._facts_height()
            if facts_only and self._watched is not None:  # the lesson keeps most of it
                need = min(need, int(FACTS_SHARE * self._watched.height()))
            self.setFixedHeight(max(height + extra, need))
        else:
            self.setFixedHeight(self.head.sizeHint().height())

    def _facts_height(self) -> int:
        """The strip's height that shows every shown lane's facts whole, at the lanes'
        widths now (presentation mode's large type, a long caveat)."""
        lanes = [ln for ln in (self.sequential, self.parallel, self.tiled) if not ln.isHidden()]
        room = max(self.results_row.width() - self.verdict.minimumWidth(), 300) // len(lanes)
        widths = [ln.facts.width() if ln.facts.isVisible() else room - 12 for ln in lanes]
        need = max(ln.facts.heightForWidth(max(w, 40)) for ln, w in zip(lanes, widths))
        return self.head.sizeHint().height() + need + 20  # (the lanes' frames and margins)

    @property
    def tiled_wanted(self) -> bool:
        """Whether a run includes the tiled kernel (the checkbox by the Run button)."""
        return self.with_tiled.isChecked()

    def _tiled_shown(self) -> bool:
        return self.tiled_wanted or (self._shown is not None and TILED in self._shown[0])

    def _sync_tiled(self) -> None:
        """The third lane is there while wanted or showing a result; three lanes are
        drawn compact."""
        shown = self._tiled_shown()
        if shown and (self._shown is None or TILED not in self._shown[0]):
            self.tiled.clear(self.tr("not run yet"))
        self.tiled.setVisible(shown)
        for lane in (self.sequential, self.parallel, self.tiled):
            lane.set_compact(shown)
        # three lanes: the sequential lane's few facts take less room than the CUDA ones
        for lane, stretch in (
            (self.sequential, 2 if shown else 1),
            (self.parallel, 3 if shown else 1),
            (self.tiled, 3),
        ):
            self._row.setStretchFactor(lane, stretch)
        self.verdict.setMinimumWidth(130 if shown else 170)
        self.verdict.setMaximumWidth(150 if shown else 230)
        self._sync_height()

    def clear(self, note: str = "") -> None:
        self._shown = None
        self.sequential.clear(self.tr("not run yet: press “Run in parallel”"))
        self.parallel.clear(self.tr("not run yet"))
        self.tiled.clear(self.tr("not run yet"))
        self.verdict.setText("—")
        self.note.setText(note)
        self._sync_tiled()
        self._sync_height()

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy or self._compiling)
        self.cancel_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
        # while a run is under way its progress bar stands where the check box was (the
        # box changes the next run, not this one): the row keeps its width
        self.with_tiled.setVisible(not busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.progress.setFormat("")
            self.note.setText(self.tr("running…"))
        else:
            if self._compiling:  # a compile goes on after the run: its spinner, not the counts
                self._spin()
            if self.note.text() == self.tr("running…"):
                self.note.clear()  # nothing runs now: nothing says so

    def set_compiling(self, text: str, done_note: str = "") -> None:
        """The kernels are being compiled (``text`` says so, the bar spins), or, with
        ``text`` empty, they are ready (``done_note`` says in how long)."""
        self._compiling = bool(text)
        if text:
            self.progress.setRange(0, 0)
            if not self.cancel_button.isVisible():
                self._spin()
            self.progress.show()
            self.note.setText(text)
            return
        if not self.cancel_button.isVisible():  # no run in flight: the bar goes
            self.progress.hide()
        if done_note and self.run_button.isEnabled():
            self.note.setText(done_note)

    def _spin(self) -> None:
        """No run in flight, kernels compiling: a spinner beside the check box, narrow
        enough that both fit the row (a run's counts widen it again: set_progress)."""
        self.progress.setRange(0, 0)
        self.progress.setFormat("")
        self.progress.setFixedWidth(max(COMPILE_BAR_PX, self.progress.minimumSizeHint().width()))

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        fit_progress(self.progress, self.tr("{0}: %v / %m cells").format(stage), total, 260)

    def show_results(self, lanes: dict[str, LaneResult], levels, tol: float) -> None:
        """The lanes' results; two results agree within ``tol`` (from
        :func:`convviz.core.tolerance.tolerance`)."""
        self._shown = (lanes, levels, tol)
        seq, par = lanes.get(SEQUENTIAL), lanes.get(PARALLEL)
        not_run = self.tr("not run")
        self.sequential.show_result(seq, levels) if seq else self.sequential.clear(not_run)
        self.parallel.show_result(par, levels) if par else self.parallel.clear(not_run)
        tiled = lanes.get(TILED)
        if tiled is not None:
            ref = seq.out if seq is not None and tiled.out is not None else None
            self.tiled.show_result(tiled, levels, reference=ref, tol=tol)
        if seq and par and seq.out is not None and par.out is not None:
            diff, verdict = compare(seq.out, par.out, tol)
            self.verdict.setText(
                f"max |Δ| = {diff:.3g}<br><span style='color:"
                f"{verdict_color(verdict)}'>"
                f"{html.escape(verdict_text(verdict))}</span>"
            )
        else:
            self.verdict.setText(self.tr("no comparison"))
        self.note.setText("")
        self._sync_tiled()
        self._sync_height()

    # -- language, theme -------------------------------------------------------------
    def retranslate(self) -> None:
        """Draw the formatted texts again in the language now installed."""
        if self._shown is not None:
            self.show_results(*self._shown)
        else:
            note = self.note.text()
            self.clear(note)

    def refresh_theme(self) -> None:
        """The lanes' grids follow the lesson's colours (the grid view reads :mod:`theme`)."""
        for lane in (self.sequential, self.parallel, self.tiled):
            lane.view.refresh_theme()
        if self._shown is not None:
            self.show_results(*self._shown)
