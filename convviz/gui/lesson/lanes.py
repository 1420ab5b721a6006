"""The results strip: the sequential lane, the comparison, the parallel lane(s).

Each lane shows its output, its measured time (median of repeats, compile time
apart) and its device. A simulated CUDA run says so in words: its time is not a
GPU time. With "also run the tiled kernel" checked, a third lane shows the
``cuda-tiled`` kernel (shared-memory tiles) with its launch shape and its own
comparison with the sequential lane; on the simulator it says that its time
tells nothing about what shared memory buys.

In presentation mode the lanes themselves stay hidden until there is a result to
show (two empty lanes would take a third of the projected screen); the Run button
and its note stay.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt, Signal

from convviz.core.timing import fmt_seconds
from convviz.gui import theme
from convviz.gui.image.views import device_text
from convviz.gui.widgets.compute_worker import LaneResult
from convviz.gui.widgets.grid_view import GridView

#: the strip's height with its lanes shown (and in presentation mode, its larger type)
HEIGHT, PRESENTATION_HEIGHT = 300, 380
#: three lanes share the width: each lane's facts wrap into more lines
THREE_LANES_EXTRA = 44
SEQUENTIAL = "cpu"
PARALLEL = "cuda"
TILED = "cuda-tiled"
#: a lane's output grid, and narrower when three lanes share the strip
VIEW_WIDTH, COMPACT_VIEW_WIDTH = 230, 150
#: the verdict's colour when both lanes agree (Okabe–Ito bluish green: not confused with
#: the red of DIFFERENT by red–green colour-blind viewers, and the words say it too)
AGREE = "#007a5e"


def tr(text: str) -> str:
    return QCoreApplication.translate("Lanes", text)


def compare(a: np.ndarray, b: np.ndarray) -> tuple[float, str]:
    """(max |Δ|, verdict) of two outputs of the same lesson (verdicts in English; see
    :func:`verdict_text`)."""
    if a.shape != b.shape:
        return float("nan"), f"different shapes {a.shape} and {b.shape}"
    diff = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0
    if np.array_equal(a, b):
        return diff, "identical"
    scale = float(np.abs(a).max()) or 1.0
    if diff <= 1e-5 * scale:
        return diff, "equal within float32 rounding"
    return diff, "DIFFERENT"


def verdict_text(verdict: str) -> str:
    """A verdict of :func:`compare` in the language in use."""
    texts = {
        "identical": tr("identical"),
        "equal within float32 rounding": tr("equal within float32 rounding"),
        "DIFFERENT": tr("DIFFERENT"),
    }
    if verdict.startswith("different shapes"):
        return tr("different shapes {0}").format(verdict[len("different shapes ") :])
    return texts.get(verdict, verdict)


def verdict_color(verdict: str) -> str:
    return theme.palette().error if verdict == "DIFFERENT" else AGREE


class Lane(QtWidgets.QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.StyledPanel)
        self.view = GridView(title, title_px=18)
        self.compact = False
        self.view.setFixedWidth(VIEW_WIDTH)
        self.view.layout().addStretch(0)  # the title stays on top while the grid is hidden
        self.facts = QtWidgets.QLabel(tr("not run yet: press “Run in parallel”"))
        self.facts.setObjectName("laneFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.RichText)
        self.facts.setFont(theme.font(16))
        self.facts.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.view, 2)
        lay.addWidget(self.facts, 3)

    def clear(self, text: str) -> None:
        self.view.set_data(np.full((1, 1), np.nan, np.float32), levels=(-1, 1), lut="diverging")
        self.view.graphics.hide()
        self.facts.setText(html.escape(text))

    def set_compact(self, on: bool) -> None:
        """Three lanes in the strip: a narrower grid and smaller type, so the facts fit."""
        self.compact = on
        self.view.setFixedWidth(COMPACT_VIEW_WIDTH if on else VIEW_WIDTH)
        self.view.title.setFont(theme.font(15 if on else 18, bold=True))
        self.facts.setFont(theme.font(14 if on else 16))

    def show_result(self, lane: LaneResult, levels, reference: np.ndarray | None = None) -> None:
        """``reference``: the sequential output, compared in this lane's first line."""
        if lane.error or lane.out is None:
            self.clear("")
            self.facts.setText(
                f"<b style='color:{theme.palette().error}'>"
                + html.escape(tr("{0} did not run").format(lane.backend))
                + f"</b><br>{html.escape(lane.error or tr('cancelled'))}"
            )
            return
        rec = lane.record
        self.view.graphics.show()
        self.view.set_data(lane.out[0], levels=levels, lut="diverging")
        lines = []
        if reference is not None:
            diff, verdict = compare(reference, lane.out)
            lines.append(
                f"<b style='color:{verdict_color(verdict)}'>"
                + html.escape(
                    tr("vs sequential: max |Δ| = {0}, {1}").format(
                        f"{diff:.3g}", verdict_text(verdict)
                    )
                )
                + "</b>"
            )
        lines.append(
            f"<span style='font-size:24px'><b>{fmt_seconds(rec.total.median)}</b>"
            "</span> "
            + html.escape(
                tr("median of {0} runs (min {1}, max {2})").format(
                    rec.repeats, fmt_seconds(rec.total.min), fmt_seconds(rec.total.max)
                )
            )
        )
        if "kernel" in rec.phases:
            p = rec.phases
            lines.append(
                html.escape(
                    tr("copy in {0} · kernel {1} · copy out {2}").format(
                        fmt_seconds(p["h2d"].median),
                        fmt_seconds(p["kernel"].median),
                        fmt_seconds(p["d2h"].median),
                    )
                )
            )
        tiles = lane.launch is not None and lane.backend == TILED and not rec.note
        if tiles:
            th, tw, _ = lane.launch.tile
            rows, cob = lane.launch.cells_per_thread
            lines.append(
                html.escape(
                    tr(
                        "grid {0} × block {1} = {2} threads, {3} cells per thread, tile {4}×{5}"
                    ).format(
                        "×".join(map(str, rec.grid)),
                        "×".join(map(str, rec.block)),
                        rec.threads,
                        rows * cob,
                        th,
                        tw,
                    )
                )
            )
        elif rec.grid:
            lines.append(
                html.escape(
                    tr("grid {0} × block {1} = {2} threads").format(
                        "×".join(map(str, rec.grid)), "×".join(map(str, rec.block)), rec.threads
                    )
                )
            )
        if lane.backend == TILED and rec.note:
            lines.append(
                html.escape(
                    tr(
                        "the tile does not fit in shared memory: the "
                        "one-thread-per-cell kernel ran instead"
                    )
                )
            )
        if rec.compile_s is not None:
            lines.append(
                html.escape(
                    tr("compile {0}, shown apart (not in the time)").format(
                        fmt_seconds(rec.compile_s)
                    )
                )
            )
        if not (self.compact and lane.simulated):  # (compact: the warning names it)
            lines.append(html.escape(tr("device: {0}").format(device_text(lane.device))))
        if lane.simulated:
            lines.append(
                f"<b style='color:{theme.palette().error}'>"
                + html.escape(
                    tr(
                        "No NVIDIA GPU: the same CUDA kernel ran on Numba's simulator on the CPU. "
                        "Not a GPU time."
                    )
                )
                + "</b>"
            )
        if lane.backend == TILED:
            lines.append(html.escape(tiled_time_note(lane.simulated)))
        self.facts.setText("<br>".join(lines))


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


class LanesStrip(QtWidgets.QWidget):
    sigRunRequested = Signal()
    sigCancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_button = QtWidgets.QPushButton(self.tr("⚡ Run in parallel"))
        self.run_button.setFont(theme.font(20, bold=True))
        self.run_button.setFocusPolicy(Qt.NoFocus)
        self.run_button.setToolTip(
            self.tr("Run the CPU loop and the CUDA kernel on this lesson and time both (R)")
        )
        self.with_tiled = QtWidgets.QCheckBox(self.tr("also run the tiled kernel (shared memory)"))
        self.with_tiled.setFont(theme.font(16))
        self.with_tiled.setFocusPolicy(Qt.NoFocus)
        self.with_tiled.setToolTip(
            self.tr(
                "A third lane: the cuda-tiled kernel, whose blocks copy their input tile and "
                "its halo into shared memory once and compute several cells per thread"
            )
        )
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(260)
        self.progress.setFocusPolicy(Qt.NoFocus)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(self.tr("Cancel"))
        self.cancel_button.setFocusPolicy(Qt.NoFocus)
        self.cancel_button.hide()
        self.note = QtWidgets.QLabel()
        self.note.setFont(theme.font(16))
        self.note.setWordWrap(True)  # a long note wraps: it never widens the window
        self.head = QtWidgets.QWidget()
        head = QtWidgets.QHBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.run_button)
        head.addWidget(self.with_tiled)
        head.addWidget(self.progress)
        head.addWidget(self.cancel_button)
        head.addWidget(self.note, 1)
        self.sequential = Lane(self.tr("Sequential: CPU, one cell after another"))
        self.parallel = Lane(self.tr("Parallel: CUDA, one thread per cell"))
        self.tiled = Lane(self.tr("Parallel: CUDA tiles in shared memory"))
        self.verdict = QtWidgets.QLabel("—")
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignCenter)
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
        self.setFixedHeight(HEIGHT)
        self.run_button.clicked.connect(self.sigRunRequested)
        self.cancel_button.clicked.connect(self.sigCancelRequested)
        self.with_tiled.toggled.connect(self._sync_tiled)
        self._shown: tuple | None = None  # (lanes, levels) on show, for redrawing texts
        self._stage = ""
        self._compiling = False
        self.clear()

    # -- presentation mode ---------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the lanes appear with the first result (see the module)."""
        self.presentation = on
        self._sync_height()

    @property
    def lanes_shown(self) -> bool:
        return not self.presentation or self._shown is not None

    def _sync_height(self) -> None:
        shown = self.lanes_shown
        self.results_row.setVisible(shown)
        if shown:
            extra = THREE_LANES_EXTRA if self._tiled_shown() else 0
            self.setFixedHeight((PRESENTATION_HEIGHT if self.presentation else HEIGHT) + extra)
        else:
            self.setFixedHeight(self.head.sizeHint().height())

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
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.note.setText(self.tr("running…"))

    def set_compiling(self, text: str, done_note: str = "") -> None:
        """The kernels are being compiled (``text`` says so, the bar spins), or, with
        ``text`` empty, they are ready (``done_note`` says in how long)."""
        self._compiling = bool(text)
        if text:
            self.progress.setRange(0, 0)
            self.progress.show()
            self.note.setText(text)
            return
        if not self.cancel_button.isVisible():  # no run in flight: the bar goes
            self.progress.hide()
        if done_note and self.run_button.isEnabled():
            self.note.setText(done_note)

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(self.tr("{0}: %v / %m cells").format(stage))

    def show_results(self, lanes: dict[str, LaneResult], levels) -> None:
        self._shown = (lanes, levels)
        seq, par = lanes.get(SEQUENTIAL), lanes.get(PARALLEL)
        not_run = self.tr("not run")
        self.sequential.show_result(seq, levels) if seq else self.sequential.clear(not_run)
        self.parallel.show_result(par, levels) if par else self.parallel.clear(not_run)
        tiled = lanes.get(TILED)
        if tiled is not None:
            ref = seq.out if seq is not None and tiled.out is not None else None
            self.tiled.show_result(tiled, levels, reference=ref)
        if seq and par and seq.out is not None and par.out is not None:
            diff, verdict = compare(seq.out, par.out)
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
            refresh = getattr(lane.view, "refresh_theme", None)
            if refresh is not None:
                refresh()
        if self._shown is not None:
            self.show_results(*self._shown)
