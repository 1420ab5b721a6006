"""The results strip: the sequential lane, the comparison, the parallel lane.

Each lane shows its output, its measured time (median of repeats, compile time
apart) and its device. A simulated CUDA run says so in words: its time is not a
GPU time.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.timing import fmt_seconds
from convviz.gui import theme
from convviz.gui.grid_view import GridView
from convviz.gui.worker import LaneResult

SEQUENTIAL = "cpu"
PARALLEL = "cuda"


def compare(a: np.ndarray, b: np.ndarray) -> tuple[float, str]:
    """(max |Δ|, verdict) of two outputs of the same lesson."""
    if a.shape != b.shape:
        return float("nan"), f"different shapes {a.shape} and {b.shape}"
    diff = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0
    if np.array_equal(a, b):
        return diff, "identical"
    scale = float(np.abs(a).max()) or 1.0
    if diff <= 1e-5 * scale:
        return diff, "equal within float32 rounding"
    return diff, "DIFFERENT"


class Lane(QtWidgets.QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.StyledPanel)
        self.view = GridView(title, title_px=18)
        self.view.setFixedWidth(230)
        self.view.layout().addStretch(0)  # the title stays on top while the grid is hidden
        self.facts = QtWidgets.QLabel("not run yet: press “Run in parallel”")
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

    def show_result(self, lane: LaneResult, levels) -> None:
        if lane.error or lane.out is None:
            self.clear("")
            self.facts.setText(f"<b style='color:{theme.ERROR}'>{html.escape(lane.backend)} "
                               f"did not run</b><br>{html.escape(lane.error or 'cancelled')}")
            return
        rec = lane.record
        self.view.graphics.show()
        self.view.set_data(lane.out[0], levels=levels, lut="diverging")
        lines = [f"<span style='font-size:24px'><b>{fmt_seconds(rec.total.median)}</b></span>"
                 f" median of {rec.repeats} runs (min {fmt_seconds(rec.total.min)}, "
                 f"max {fmt_seconds(rec.total.max)})"]
        if "kernel" in rec.phases:
            p = rec.phases
            lines.append(f"copy in {fmt_seconds(p['h2d'].median)} · kernel "
                         f"{fmt_seconds(p['kernel'].median)} · copy out "
                         f"{fmt_seconds(p['d2h'].median)}")
        if rec.grid:
            lines.append(f"grid {'×'.join(map(str, rec.grid))} × block "
                         f"{'×'.join(map(str, rec.block))} = {rec.threads} threads")
        if rec.compile_s is not None:
            lines.append(f"compile {fmt_seconds(rec.compile_s)}, shown apart (not in the time)")
        lines.append(f"device: {html.escape(lane.device)}")
        if lane.simulated:
            lines.append(f"<b style='color:{theme.ERROR}'>No NVIDIA GPU: the same CUDA kernel "
                         "ran on Numba's simulator on the CPU. Not a GPU time.</b>")
        self.facts.setText("<br>".join(lines))


class LanesStrip(QtWidgets.QWidget):
    sigRunRequested = Signal()
    sigCancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_button = QtWidgets.QPushButton("⚡ Run in parallel")
        self.run_button.setFont(theme.font(20, bold=True))
        self.run_button.setFocusPolicy(Qt.NoFocus)
        self.run_button.setToolTip("Run the CPU loop and the CUDA kernel on this lesson and time "
                                   "both (R)")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(260)
        self.progress.setFocusPolicy(Qt.NoFocus)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setFocusPolicy(Qt.NoFocus)
        self.cancel_button.hide()
        self.note = QtWidgets.QLabel()
        self.note.setFont(theme.font(16))
        head = QtWidgets.QHBoxLayout()
        head.addWidget(self.run_button)
        head.addWidget(self.progress)
        head.addWidget(self.cancel_button)
        head.addWidget(self.note, 1)
        self.sequential = Lane("Sequential: CPU, one cell after another")
        self.parallel = Lane("Parallel: CUDA, one thread per cell")
        self.verdict = QtWidgets.QLabel("—")
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignCenter)
        self.verdict.setWordWrap(True)
        self.verdict.setFont(theme.font(20, bold=True))
        self.verdict.setMinimumWidth(170)
        self.verdict.setMaximumWidth(230)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.sequential, 1)
        row.addWidget(self.verdict)
        row.addWidget(self.parallel, 1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addLayout(row, 1)
        self.setFixedHeight(300)
        self.run_button.clicked.connect(self.sigRunRequested)
        self.cancel_button.clicked.connect(self.sigCancelRequested)
        self.clear()

    def clear(self, note: str = "") -> None:
        self.sequential.clear("not run yet: press “Run in parallel”")
        self.parallel.clear("not run yet")
        self.verdict.setText("—")
        self.note.setText(note)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.note.setText("running…")

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{stage}: %v / %m cells")

    def show_results(self, lanes: dict[str, LaneResult], levels) -> None:
        seq, par = lanes.get(SEQUENTIAL), lanes.get(PARALLEL)
        self.sequential.show_result(seq, levels) if seq else self.sequential.clear("not run")
        self.parallel.show_result(par, levels) if par else self.parallel.clear("not run")
        if seq and par and seq.out is not None and par.out is not None:
            diff, verdict = compare(seq.out, par.out)
            color = theme.ERROR if verdict == "DIFFERENT" else "#2b8a3e"
            self.verdict.setText(f"max |Δ| = {diff:.3g}<br><span style='color:{color}'>"
                                 f"{verdict}</span>")
        else:
            self.verdict.setText("no comparison")
        self.note.setText("")
