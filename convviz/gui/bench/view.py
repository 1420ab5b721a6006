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

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.bench import curves as bc
from convviz.core import device, sysinfo
from convviz.errors import ConvvizError
from convviz.gui import theme
from convviz.gui.bench.panels import BenchFigure, SweepControls, ask_path, gpu_note_html
from convviz.gui.bench.plot import TiledPlot, series_name
from convviz.gui.bench.text import crossings, file_note, noise_note
from convviz.gui.bench.worker import SweepRunner, SweepState
from convviz.gui.widgets.error_text import error_text

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
        self.controls = c = SweepControls()
        self.kernel_label, self.largest_box = c.kernel_label, c.largest_box
        self.repeats_box, self.run_button = c.repeats_box, c.run_button
        self.progress, self.cancel_button = c.progress, c.cancel_button
        self.open_button, self.forget_button = c.open_button, c.forget_button
        self.group_box, self.csv_button, self.png_button = c.group_box, c.csv_button, c.png_button
        self.gpu_note = QtWidgets.QLabel()
        self.gpu_note.setObjectName("benchGpuNote")
        self.gpu_note.setWordWrap(True)
        self.gpu_note.setFont(theme.font(15))
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("benchStatus")
        self.status.setWordWrap(True)
        self.status.setFont(theme.font(14))

        self.figure = f = BenchFigure()  # what Export PNG saves
        self.plot, self.phases_plot, self.tiled_plot = f.plot, f.phases_plot, f.tiled_plot
        self.crossover_label = f.crossover_label
        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.addWidget(self.controls)
        lay.addWidget(self.gpu_note)
        lay.addWidget(self.figure.in_scroll_area(), 1)  # it scrolls in presentation's type
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
    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the figure's texts in the lecture hall's type, redrawn."""
        self.figure.set_presentation(on)
        self._refresh()

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

    def keyPressEvent(self, event) -> None:
        """Esc and Ctrl+W close it, as they close a dialog (a sweep is cancelled)."""
        if event.key() == Qt.Key.Key_Escape or event.matches(QtGui.QKeySequence.StandardKey.Close):
            event.accept()
            self.close()
            return
        super().keyPressEvent(event)

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
            why = error_text(st.error) if st.error is not None else ""
            self.status.setText(self.tr("The sweep failed: {error}").format(error=why))
        noise = noise_note(st.rows)  # busy machine, wide spread, a curve that dips
        if noise:
            self.status.setText(self.status.text() + "\n" + noise)
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
        self.gpu_note.setText(gpu_note_html(self.gpu_mode, any(s.gpu for s in shown)))

    # -- file dialogs ---------------------------------------------------------------------------
    def _ask_open(self) -> None:
        path = ask_path(self, "json")
        if path:
            self.open_json(path)

    def _ask_csv(self) -> None:
        path = ask_path(self, "csv")
        if path:
            self._save(self.export_csv, path)

    def _ask_png(self) -> None:
        path = ask_path(self, "png")
        if path:
            self._save(self.export_png, path)

    def _save(self, fn, path) -> None:
        try:
            fn(path)
        except (OSError, ConvvizError) as exc:
            self.show_message(self, self.tr("Cannot save"), str(exc))
        else:
            self.status.setText(self.tr("Saved {path}").format(path=path))
