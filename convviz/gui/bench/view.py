"""The benchmark view: where the GPU starts to win, measured.

A sweep over image sizes (16² doubling up to what memory allows) times the
current kernel on this machine's backends, off the GUI thread, with progress and
Cancel. The log-log plot shows ``cpu``, ``cpu-parallel`` and, on a machine with
an NVIDIA GPU, ``cuda`` kernel-only and end-to-end (with the copies), and
``cuda-tiled`` beside it. Where the GPU's end-to-end curve drops below the best
CPU curve is marked and explained in one sentence with the measured numbers.

Without a GPU the view says so (simulator times are never drawn as GPU curves)
and opens a benchmark JSON recorded on a GPU machine (``convviz bench --json``,
``scripts/gpu_bench.py``, ``scripts/gpu_check.sh``) to draw that machine's
curves beside this one's, labelled with where and when they were measured.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.bench import curves as bc
from convviz.core import device, sysinfo
from convviz.errors import ConvvizError
from convviz.gui import theme
from convviz.gui.bench.plot import PhasesPlot, TiledPlot, TimesPlot, series_name
from convviz.gui.bench.text import crossings, file_note
from convviz.gui.bench.worker import SweepRunner, SweepState
from convviz.gui.image.views import reason_text

DEFAULT_LARGEST = 2048
LOCAL = "local"


def show_error_dialog(parent, title: str, text: str) -> None:
    QtWidgets.QMessageBox.warning(parent, title, text)


class BenchWindow(QtWidgets.QMainWindow):
    """The benchmark window. Wire it with :meth:`set_kernel`; it emits
    ``sigSweepFinished(completed)`` when a sweep ends (False: cancelled or failed)."""

    sigSweepFinished = Signal(bool)
    sigBusyChanged = Signal(bool)

    def __init__(
        self, parent=None, show_message: Callable[[QtWidgets.QWidget, str, str], None] | None = None
    ):
        super().__init__(parent)
        self.show_message = show_message or show_error_dialog
        self.setWindowTitle(self.tr("convviz — benchmark: when does the GPU win?"))
        self.runner = SweepRunner(self)
        self.gpu_mode = device.choose().mode  # "gpu": this machine can draw GPU curves
        self.weights = np.full((3, 3), 1 / 9, np.float32)
        self._kernel_given, self._kernel_slices = False, 1  # drawn in the language in use
        self.local_rows: list[dict] = []
        self.local_kernel: tuple[int, int] | None = None
        self.loaded: dict[str, dict] = {}  # path -> document, in the order opened
        self.series: list[bc.Series] = []
        self.group: tuple[int, int, int] | None = None  # (kh, kw, channels) shown
        self._groups: list[tuple[int, int, int]] = []  # the group box's entries
        self.sentences: list[str] = []
        self._cancel_reason = ""  # why the sweep in flight is being cancelled, if not Cancel
        self._local_created = ""  # when the local sweep started (ISO 8601, UTC)
        self._build()
        self.runner.sigState.connect(self._on_sweep_state)
        self.runner.sigBusyChanged.connect(self._on_busy_changed)
        self._refresh()

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        self.kernel_label = QtWidgets.QLabel()
        self.kernel_label.setFont(theme.font(16, bold=True))
        self.largest_box = QtWidgets.QComboBox()
        cap = bc.largest_side()
        side = 64
        while side <= cap:
            self.largest_box.addItem(f"{side}²", side)
            side *= 2
        self.largest_box.setCurrentIndex(
            max(0, self.largest_box.findData(min(DEFAULT_LARGEST, cap)))
        )
        self.largest_box.setToolTip(
            self.tr(
                "The sweep doubles the side from 16 up to this; "
                "the largest offered fits this machine's memory"
            )
        )
        self.repeats_box = QtWidgets.QSpinBox()
        self.repeats_box.setRange(1, 20)
        self.repeats_box.setValue(3)
        self.repeats_box.setToolTip(
            self.tr("Timed runs per point (after one warm-up); the plot shows their median")
        )
        self.run_button = QtWidgets.QPushButton(self.tr("▶ Run sweep"))
        self.run_button.setFont(theme.font(16, bold=True))
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(240)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.open_button = QtWidgets.QPushButton(self.tr("Open GPU benchmark (JSON)…"))
        self.forget_button = QtWidgets.QPushButton(self.tr("Forget recorded"))
        self.group_box = QtWidgets.QComboBox()
        self.group_box.setToolTip(self.tr("Which kernel's curves to show"))
        self.csv_button = QtWidgets.QPushButton(self.tr("Export CSV…"))
        self.png_button = QtWidgets.QPushButton(self.tr("Export PNG…"))

        row1 = QtWidgets.QHBoxLayout()
        row1.addWidget(self.kernel_label)
        row1.addSpacing(12)
        row1.addWidget(QtWidgets.QLabel(self.tr("sizes 16² up to")))
        row1.addWidget(self.largest_box)
        row1.addWidget(QtWidgets.QLabel(self.tr("repeats")))
        row1.addWidget(self.repeats_box)
        row1.addWidget(self.run_button)
        row1.addWidget(self.progress)
        row1.addWidget(self.cancel_button)
        row1.addStretch(1)
        row2 = QtWidgets.QHBoxLayout()
        row2.addWidget(self.open_button)
        row2.addWidget(self.forget_button)
        row2.addSpacing(12)
        row2.addWidget(QtWidgets.QLabel(self.tr("show kernel")))
        row2.addWidget(self.group_box)
        row2.addStretch(1)
        row2.addWidget(self.csv_button)
        row2.addWidget(self.png_button)
        self.gpu_note = QtWidgets.QLabel()
        self.gpu_note.setObjectName("benchGpuNote")
        self.gpu_note.setWordWrap(True)
        self.gpu_note.setFont(theme.font(15))
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("benchStatus")
        self.status.setWordWrap(True)
        self.status.setFont(theme.font(14))

        self.plot = TimesPlot()
        self.phases_plot = PhasesPlot()
        self.tiled_plot = TiledPlot()
        self.crossover_label = QtWidgets.QLabel()
        self.crossover_label.setObjectName("benchCrossover")
        self.crossover_label.setWordWrap(True)
        self.crossover_label.setTextFormat(Qt.RichText)
        self.crossover_label.setFont(theme.font(17))
        self.crossover_label.setStyleSheet("background: white; padding: 6px;")
        bottom = QtWidgets.QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.phases_plot, 1)
        bottom.addWidget(self.tiled_plot, 1)
        self.figure = QtWidgets.QWidget()  # what Export PNG saves
        self.figure.setStyleSheet("background: white;")
        fig = QtWidgets.QVBoxLayout(self.figure)
        fig.setContentsMargins(4, 4, 4, 4)
        fig.addWidget(self.plot, 5)
        fig.addWidget(self.crossover_label)
        fig.addLayout(bottom, 3)

        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.gpu_note)
        lay.addWidget(self.figure, 1)
        lay.addWidget(self.status)
        self.setCentralWidget(central)
        self.resize(1400, 950)

        self.run_button.clicked.connect(lambda: self.start_sweep())
        self.cancel_button.clicked.connect(lambda: self.cancel_sweep())
        self.open_button.clicked.connect(self._ask_open)
        self.forget_button.clicked.connect(lambda: self.forget_recorded())
        self.csv_button.clicked.connect(self._ask_csv)
        self.png_button.clicked.connect(self._ask_png)
        self.group_box.activated.connect(self._on_group_chosen)

    # -- public API -------------------------------------------------------------------
    def set_kernel(self, w: np.ndarray) -> None:
        """Sweep with this kernel from now on: (kh, kw), or (C_out, C_in, kh, kw) of which
        the first 2-D slice is used. A sweep in flight for another kernel is cancelled."""
        w = np.asarray(w, np.float32)
        slices = 1
        if w.ndim == 4:
            slices = w.shape[0] * w.shape[1]
            w = w[0, 0]
        if w.ndim != 2 or 0 in w.shape:
            raise ConvvizError(
                f"a kernel for the benchmark is (kh, kw) or "
                f"(C_out, C_in, kh, kw); got shape {w.shape}"
            )
        changed = w.shape != self.weights.shape or not np.array_equal(w, self.weights)
        self.weights = w.copy()
        self._kernel_given, self._kernel_slices = True, slices
        if changed and self.runner.busy:
            self._cancel_reason = self.tr("The kernel changed, so the sweep was cancelled")
            self.runner.cancel()
            self.status.setText(self._cancel_reason + "…")
        self._refresh()

    def start_sweep(self, sizes: list[int] | None = None, repeats: int | None = None) -> None:
        """Time this machine's backends at ``sizes`` (default: 16² doubling up to the chosen
        largest size)."""
        kernel = self.weights.shape
        if sizes is None:
            sizes = bc.sweep_sizes(kernel, int(self.largest_box.currentData()))
        sizes = [s for s in sizes if s >= max(kernel)]
        if not sizes:
            self.status.setText(self.tr("The kernel is larger than every size to sweep."))
            return
        backends = ["cpu", "cpu-parallel"]
        if self.gpu_mode == "gpu":  # the simulator's times are never drawn as GPU curves
            backends += ["cuda", "cuda-tiled"]
        self._cancel_reason = ""
        self._local_created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.local_rows, self.local_kernel = [], (int(kernel[0]), int(kernel[1]))
        self.group = (*self.local_kernel, 1)
        self.runner.submit(
            self.weights, sizes, backends, repeats=repeats or self.repeats_box.value()
        )
        self._refresh()

    def cancel_sweep(self) -> None:
        if self.runner.busy:
            self.status.setText(self.tr("Cancelling…"))
            self.runner.cancel()

    def open_json(self, path) -> bool:
        """Add the curves of a benchmark JSON; on a bad file, one message and no change."""
        from convviz.bench import load_bench_json

        try:
            doc = load_bench_json(path)
        except ConvvizError as exc:
            self.show_message(self, self.tr("Cannot open the benchmark"), str(exc))
            return False
        key = str(Path(path))
        self.loaded.pop(key, None)
        self.loaded[key] = doc
        groups = {s.group for s in bc.series_of(doc, bc.source_of(doc, key))}
        if self.group not in groups and groups:
            wanted = (*self.weights.shape, 1)
            self.group = wanted if wanted in groups else sorted(groups)[0]
        self._refresh()
        self.status.setText(file_note(key, doc))
        return True

    def group_names(self) -> list[str]:
        """The kernels (and channels) the curves can be shown for, as the box lists them."""
        return [self.group_box.itemText(i) for i in range(self.group_box.count())]

    def forget_recorded(self) -> None:
        self.loaded.clear()
        self._refresh()

    def export_csv(self, path) -> None:
        """Every point of every curve (all kernels, all sources) as CSV."""
        names = {sid: series_name(sid) for sid in bc.SERIES}
        bc.write_csv(path, self.series, names)

    def export_png(self, path) -> None:
        """The plots and the crossover sentence as they are shown."""
        if not self.figure.grab().save(str(path), "PNG"):
            raise ConvvizError(f"could not write {path}")

    def retranslate(self) -> None:
        """The texts drawn from the state, in the language now installed (the fixed
        ones follow :func:`convviz.gui.i18n.retranslate_tree`)."""
        self.setWindowTitle(self.tr("convviz — benchmark: when does the GPU win?"))
        self._refresh()

    def shutdown(self) -> None:
        """Cancel a sweep and wait for its thread (idempotent)."""
        self.runner.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- sweep → view ---------------------------------------------------------------------
    def _on_busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
        if busy:
            self.progress.setRange(0, 0)
        self.sigBusyChanged.emit(busy)

    def _on_sweep_state(self, st: SweepState) -> None:
        total = st.request.total
        self.local_rows = st.rows
        if not st.finished:
            if st.done == 0 and not st.rows:
                self._cancel_reason = ""
            self.progress.setRange(0, total)
            self.progress.setValue(st.done)
            self.status.setText(
                self.tr("Measuring {step} ({done} of {total})…").format(
                    step=st.text, done=st.done + 1, total=total
                )
            )
            self._refresh()
            return
        if st.completed:
            self.status.setText(
                self.tr("Sweep finished: {n} points measured.").format(n=len(st.rows))
            )
        elif st.cancelled:
            self.status.setText(
                self.tr("{why} after {n} of {total} points; the points measured are kept.").format(
                    why=self._cancel_reason or self.tr("Cancelled"), n=len(st.rows), total=total
                )
            )
        else:
            self.status.setText(self.tr("The sweep failed: {error}").format(error=st.error))
        skipped = bc.skipped_reasons({"results": st.rows})
        if skipped:
            self.status.setText(
                self.status.text()
                + " "
                + " ".join(
                    self.tr("{name} skipped: {reason}").format(name=n, reason=r)
                    for n, r in skipped.items()
                )
            )
        self._refresh()
        self.sigSweepFinished.emit(st.completed)

    def _on_group_chosen(self, index: int) -> None:
        if 0 <= index < len(self._groups):
            self.group = self._groups[index]
        self._refresh()

    # -- drawing ---------------------------------------------------------------------------
    def _local_source(self) -> bc.Source:
        gpu = next(
            (
                r["device"]
                for r in self.local_rows
                if r["name"] in bc.GPU_BACKENDS and r["status"] == "ok" and not r["simulated"]
            ),
            None,
        )
        doc = {"machine": {"cpu": sysinfo.cpu_model(), "gpu": gpu}, "created": self._local_created}
        return bc.source_of(doc, LOCAL, local=True)

    def _collect(self) -> list[bc.Series]:
        out = []
        if self.local_rows:
            out += bc.series_of({"results": self.local_rows}, self._local_source())
        for key, doc in self.loaded.items():
            out += bc.series_of(doc, bc.source_of(doc, key))
        return out

    @property
    def kernel_note(self) -> str:
        """Which kernel is swept, in the language in use."""
        if not self._kernel_given:
            return self.tr("box blur (no kernel was given yet)")
        note = self.tr("the current kernel")
        if self._kernel_slices > 1:
            note += self.tr(" (first of its {n} channel slices)").format(n=self._kernel_slices)
        return note

    def _refresh(self) -> None:
        h, w = self.weights.shape
        self.kernel_label.setText(
            self.tr("Kernel {h}×{w}: {note}").format(h=h, w=w, note=self.kernel_note)
        )
        self.series = self._collect()
        groups = sorted({s.group for s in self.series})
        if self.group not in groups and groups:
            self.group = groups[0]
        self._groups = groups
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for g in groups:
            chans = self.tr(", {n} channels").format(n=g[2]) if g[2] > 1 else ""
            self.group_box.addItem(f"{g[0]}×{g[1]}{chans}")
        if self.group in groups:
            self.group_box.setCurrentIndex(groups.index(self.group))
        self.group_box.blockSignals(False)
        self.group_box.setEnabled(len(groups) > 1)
        shown = [s for s in self.series if s.group == self.group]
        marks, self.sentences = crossings(shown)
        self.plot.draw(
            shown,
            marks,
            self.tr(
                "Press “▶ Run sweep” to time this machine's CPU,\n"
                "or open a benchmark recorded on a GPU machine"
            ),
        )
        self.crossover_label.setText("<br>".join(self.sentences))
        self.crossover_label.setVisible(bool(self.sentences))
        e2e = next(
            (
                s
                for s in shown
                if s.id == "cuda:e2e" and any(p.phases and "h2d" in p.phases for p in s.points)
            ),
            None,
        )
        self.phases_plot.draw(
            e2e,
            self.tr(
                "No GPU phases yet: they come from a GPU run\n"
                "(this machine's, or a recorded convviz bench "
                "JSON)"
            ),
        )
        pairs = bc.tiled_pairs(self.series)
        if len(pairs) > TiledPlot.MAX_PAIRS:
            pairs = [p for p in pairs if (*p.kernel, p.channels) == self.group] or pairs
        self.tiled_plot.draw(
            pairs,
            self.tr(
                "cuda vs cuda-tiled needs GPU timings of both\n(scripts/gpu_bench.py records them)"
            ),
        )
        self._update_gpu_note(shown)
        self.csv_button.setEnabled(bool(self.series))
        self.forget_button.setEnabled(bool(self.loaded))

    def _update_gpu_note(self, shown: list[bc.Series]) -> None:
        has_gpu = any(s.gpu for s in shown)
        if self.gpu_mode == "gpu":
            text = self.tr(
                "This machine has an NVIDIA GPU: the sweep times cuda and cuda-tiled too."
            )
        else:
            text = self.tr(
                "GPU curves need an NVIDIA GPU — open a recorded GPU benchmark "
                "(JSON). This machine has none: {reason}"
            ).format(reason=reason_text(device.choose().reason))
            if has_gpu:
                text = self.tr(
                    "No NVIDIA GPU here: the GPU curves are from a recorded "
                    "benchmark, beside this machine's CPU curves."
                )
        colour = (
            theme.palette().muted if has_gpu or self.gpu_mode == "gpu" else theme.palette().error
        )
        self.gpu_note.setText(f"<b style='color:{colour}'>{html.escape(text)}</b>")

    # -- file dialogs ---------------------------------------------------------------------------
    def _ask_open(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self,
            self.tr("Open a benchmark recorded on a GPU machine"),
            "",
            self.tr("Benchmark JSON (*.json);;All files (*)"),
        )
        if path:
            self.open_json(path)

    def _ask_csv(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export the points as CSV"), "benchmark.csv", self.tr("CSV (*.csv)")
        )
        if path:
            self._save(self.export_csv, path)

    def _ask_png(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export the plot as PNG"), "benchmark.png", self.tr("PNG (*.png)")
        )
        if path:
            self._save(self.export_png, path)

    def _save(self, fn, path) -> None:
        try:
            fn(path)
        except (OSError, ConvvizError) as exc:
            self.show_message(self, self.tr("Cannot save"), str(exc))
        else:
            self.status.setText(self.tr("Saved {path}").format(path=path))
