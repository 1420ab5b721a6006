"""The benchmark window's parts: the sweep's controls, and the figure.

:class:`SweepControls` holds the two rows of controls (the kernel, the sizes and
repeats, Run with its progress and Cancel; the recorded benchmarks, which kernel's
curves to show, the exports); :class:`BenchFigure` the plots and the crossover
sentence on white, which is what Export PNG saves; :func:`gpu_note_html` and
:func:`ask_path` the note on GPU curves and the file dialogs. Their texts keep the
window's translation context (``BenchWindow``).
"""

from __future__ import annotations

import html

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from convviz.bench import curves as bc
from convviz.core import device
from convviz.gui import theme
from convviz.gui.bench.plot import (
    AXIS_PX,
    PRESENTATION_AXIS_PX,
    PhasesPlot,
    TiledPlot,
    TimesPlot,
)
from convviz.gui.widgets.lane_text import reason_text
from convviz.gui.widgets.wrap_row import WrapRow

#: the sweep's largest side offered first (when this machine's memory allows it)
DEFAULT_LARGEST = 2048


def _tr(text: str) -> str:
    return QCoreApplication.translate("BenchWindow", text)


def gpu_note_html(gpu_mode: str, has_gpu: bool) -> str:
    """The note above the figure: whether GPU curves can be measured here (``gpu_mode``
    of :func:`convviz.core.device.choose`) and where the ones shown come from."""
    if gpu_mode == "gpu":
        text = _tr("This machine has an NVIDIA GPU: the sweep times cuda and cuda-tiled too.")
    elif has_gpu:
        text = _tr(
            "No NVIDIA GPU here: the GPU curves are from a recorded "
            "benchmark, beside this machine's CPU curves."
        )
    else:
        text = _tr(
            "GPU curves need an NVIDIA GPU — open a recorded GPU benchmark "
            "(JSON). This machine has none: {reason}"
        ).format(reason=reason_text(device.choose().reason))
    pal = theme.palette()
    colour = pal.muted if has_gpu or gpu_mode == "gpu" else pal.error
    return f"<b style='color:{colour}'>{html.escape(text)}</b>"


def ask_path(parent: QtWidgets.QWidget, kind: str) -> str:
    """A file dialog over ``parent``: a recorded benchmark to open (``"json"``), or where
    to export the points (``"csv"``) or the figure (``"png"``); '' when cancelled."""
    if kind == "json":
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            parent,
            _tr("Open a benchmark recorded on a GPU machine"),
            "",
            _tr("Benchmark JSON (*.json);;All files (*)"),
        )
    elif kind == "csv":
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            parent, _tr("Export the points as CSV"), "benchmark.csv", _tr("CSV (*.csv)")
        )
    else:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            parent, _tr("Export the plot as PNG"), "benchmark.png", _tr("PNG (*.png)")
        )
    return path


class SweepControls(QtWidgets.QWidget):
    """The kernel, sizes 16² up to ``largest_box``, ``repeats_box``, Run, the progress
    and Cancel; open or forget recorded benchmarks, the kernel shown, the exports."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
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
            _tr(
                "The sweep doubles the side from 16 up to this; "
                "the largest offered fits this machine's memory"
            )
        )
        self.repeats_box = QtWidgets.QSpinBox()
        self.repeats_box.setRange(1, 20)
        self.repeats_box.setValue(3)
        self.repeats_box.setToolTip(
            _tr("Timed runs per point (after one warm-up); the plot shows their median")
        )
        self.run_button = QtWidgets.QPushButton(_tr("▶ Run sweep"))
        self.run_button.setFont(theme.font(16, bold=True))
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(240)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(_tr("Cancel"))
        self.cancel_button.hide()
        self.open_button = QtWidgets.QPushButton(_tr("Open GPU benchmark (JSON)…"))
        self.forget_button = QtWidgets.QPushButton(_tr("Forget recorded"))
        self.group_box = QtWidgets.QComboBox()
        self.group_box.setToolTip(_tr("Which kernel's curves to show"))
        self.csv_button = QtWidgets.QPushButton(_tr("Export CSV…"))
        self.png_button = QtWidgets.QPushButton(_tr("Export PNG…"))

        # two rows whose last parts move under the rest where the window is too narrow
        # for them (a 1366×768 projector in presentation mode's type)
        self.row1 = WrapRow()
        self.row1.row.addWidget(self.kernel_label)
        self.row1.row.addSpacing(12)
        sweep = QtWidgets.QWidget()
        tail1 = QtWidgets.QHBoxLayout(sweep)
        tail1.setContentsMargins(0, 0, 0, 0)
        tail1.addWidget(QtWidgets.QLabel(_tr("sizes 16² up to")))
        tail1.addWidget(self.largest_box)
        tail1.addWidget(QtWidgets.QLabel(_tr("repeats")))
        tail1.addWidget(self.repeats_box)
        tail1.addWidget(self.run_button)
        tail1.addWidget(self.progress)
        tail1.addWidget(self.cancel_button)
        tail1.addStretch(1)
        self.row1.set_tail(sweep, 1)
        self.row2 = WrapRow()
        self.row2.row.addWidget(self.open_button)
        self.row2.row.addWidget(self.forget_button)
        self.row2.row.addSpacing(12)
        self.row2.row.addWidget(QtWidgets.QLabel(_tr("show kernel")))
        self.row2.row.addWidget(self.group_box)
        exports = QtWidgets.QWidget()
        tail2 = QtWidgets.QHBoxLayout(exports)
        tail2.setContentsMargins(0, 0, 0, 0)
        tail2.addStretch(1)
        tail2.addWidget(self.csv_button)
        tail2.addWidget(self.png_button)
        self.row2.set_tail(exports, 1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.row1)
        lay.addWidget(self.row2)


#: presenting, the times plot's least height (it fills the window's view of the figure if
#: that is more) and the two smaller plots': room for a 28 px axis label along the axis
TIMES_MIN_PX = 400
LEGEND_ROW_PX = 40  # a legend entry's row in the lecture type
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
SMALL_PLOTS_MIN_PX = 720


class BenchFigure(QtWidgets.QWidget):
    """The times plot, the crossover sentence, and below them where the GPU's time goes
    and what the tiles buy; on white in every theme (what Export PNG saves)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.presenting = False
        self._area: QtWidgets.QScrollArea | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: white;")
        self.plot = TimesPlot()
        self.plot.drawn = self._fit  # its legend's rows counted
        self.phases_plot = PhasesPlot()
        self.tiled_plot = TiledPlot()
        self.crossover_label = QtWidgets.QLabel()
        self.crossover_label.setObjectName("benchCrossover")
        self.crossover_label.setWordWrap(True)
        self.crossover_label.setTextFormat(Qt.TextFormat.RichText)
        self.crossover_label.setFont(theme.font(17))
        # on the figure's white in every theme, so in the figure's dark text
        self.crossover_label.setStyleSheet(
            f"background: {theme.FIGURE_BG}; color: {theme.FIGURE_TEXT}; padding: 6px;"
        )
        self._bottom = bottom = QtWidgets.QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.phases_plot, 1)
        bottom.addWidget(self.tiled_plot, 1)
        fig = QtWidgets.QVBoxLayout(self)
        fig.setContentsMargins(4, 4, 4, 4)
        fig.addWidget(self.plot, 5)
        fig.addWidget(self.crossover_label)
        fig.addLayout(bottom, 3)

    def in_scroll_area(self) -> QtWidgets.QScrollArea:
        """The figure in a scroll area: it fills the area exactly, as it filled the window
        before; in presentation mode's type (:meth:`set_presentation`) it is taller and
        scrolls."""
        self._area = area = QtWidgets.QScrollArea()
        area.setWidget(self)
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        area.viewport().installEventFilter(self)  # its height: the figure's, or the plot's
        self._fit()
        return area

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """Out of presentation mode the figure is as tall as the area shows (a wrapped
        crossover sentence would make the area size it taller, and scroll); presenting,
        the times plot (the lecture's point) fills what the area shows, and no less than
        :data:`TIMES_MIN_PX` above its legend's rows, the rest scrolling under it."""
        if self._area is None:
            return
        shown = self._area.viewport().height()
        policy = Qt.ScrollBarPolicy
        self._area.setVerticalScrollBarPolicy(
            policy.ScrollBarAsNeeded if self.presenting else policy.ScrollBarAlwaysOff
        )
        if not self.presenting:
            self.setMaximumHeight(max(shown, 1))
            return
        self.setMaximumHeight(QWIDGETSIZE_MAX)
        rows = len(self.plot.legend.items)
        self.plot.setMinimumHeight(max(TIMES_MIN_PX + LEGEND_ROW_PX * rows, shown - 8))

    def set_presentation(self, on: bool) -> None:
        """The lecture hall's type in every plot (no text under 28 px), each plot tall
        enough to hold it: the figure is then taller than a projector's window and
        scrolls (the times plot, the one the lecture is about, first), the two others
        under it rather than side by side, so that their titles and notes keep the width."""
        self.presenting = on
        px = PRESENTATION_AXIS_PX if on else AXIS_PX
        Direction = QtWidgets.QBoxLayout.Direction
        self._bottom.setDirection(Direction.TopToBottom if on else Direction.LeftToRight)
        for figure in (self.plot, self.phases_plot, self.tiled_plot):
            figure.set_text_px(px)
            figure.setMinimumHeight(SMALL_PLOTS_MIN_PX if on else 0)
        self._fit()
        self.crossover_label.setFont(theme.font(28 if on else 17))
