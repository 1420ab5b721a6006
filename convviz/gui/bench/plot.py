"""The benchmark view's three plots: times (log-log), the GPU's phases, cuda vs cuda-tiled.

They only draw what :mod:`convviz.bench.curves` computed. Colours are the
Okabe–Ito palette (safe for colour-blind readers); every series also has its own
symbol, and recorded curves are dashed where this machine's are solid, so
nothing depends on colour alone.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt

from convviz.bench import curves as bc
from convviz.core.timing import fmt_seconds
from convviz.gui import theme

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
#: series id -> (colour, symbol)
STYLE = {
    "cpu": (OKABE_ITO["vermillion"], "o"),
    "cpu-parallel": (OKABE_ITO["orange"], "t"),
    "cuda:kernel": (OKABE_ITO["blue"], "s"),
    "cuda:e2e": (OKABE_ITO["sky"], "d"),
    "cuda-tiled:kernel": (OKABE_ITO["green"], "star"),
    "cuda-tiled:e2e": (OKABE_ITO["purple"], "p"),
}
PHASE_COLOURS = {"h2d": OKABE_ITO["orange"], "kernel": OKABE_ITO["blue"], "d2h": OKABE_ITO["sky"]}
#: y ticks of the time axis: decades with a unit a person reads at a glance
TIME_TICKS = [(e, fmt_seconds(10.0**e)) for e in range(-9, 3)]
AXIS_PX = 15
#: presentation mode's type: every text of a figure at 28 px or more (the smallest are
#: one less than the axis labels)
PRESENTATION_AXIS_PX = 29


def tr(text: str) -> str:
    return QCoreApplication.translate("BenchPlot", text)


def series_name(sid: str) -> str:
    return {
        "cpu": tr("cpu (one core)"),
        "cpu-parallel": tr("cpu-parallel (all cores)"),
        "cuda:kernel": tr("cuda kernel only"),
        "cuda:e2e": tr("cuda end-to-end (with copies)"),
        "cuda-tiled:kernel": tr("cuda-tiled kernel only"),
        "cuda-tiled:e2e": tr("cuda-tiled end-to-end (with copies)"),
    }[sid]


def where(series: bc.Series) -> str:
    src = series.source
    machine = (src.gpu or src.cpu) if series.gpu else src.cpu
    if src.local:
        return tr("this machine: {machine}").format(machine=machine)
    return tr("measured on {machine}, {date}").format(machine=machine, date=src.date)


def series_label(series: bc.Series) -> str:
    return f"{series_name(series.id)} ({where(series)})"


class _Figure(pg.GraphicsLayoutWidget):
    """A plot with its legend in a row of its own below it, so no entry covers a curve."""

    def __init__(self, legend_columns: int, parent=None):
        super().__init__(parent)
        self.px = AXIS_PX  # the axis labels' size; the others are sized from it
        self.legend_columns = legend_columns
        self.left_width: int | None = None  # the left axis's width (None: pyqtgraph's)
        self.bottom_height: int | None = None  # the bottom axis's, at AXIS_PX (scaled)
        self._labels: dict[str, str] = {}  # axis -> its label, as given
        self.setBackground("w")
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.pi: pg.PlotItem = self.addPlot(row=0, col=0)
        self.pi.setMenuEnabled(False)
        self.pi.hideButtons()
        for name in ("left", "bottom"):
            ax = self.pi.getAxis(name)
            ax.setTextPen("k")
            ax.setPen("k")
            ax.setTickFont(theme.font(AXIS_PX - 1))
            ax.enableAutoSIPrefix(False)
        self.legend = pg.LegendItem(
            labelTextSize=f"{AXIS_PX - 1}px",  # (set_text_px)
            labelTextColor="k",
            colCount=legend_columns,
            frame=False,
            horSpacing=18,
        )
        self.addItem(self.legend, row=1, col=0)
        self.note = pg.TextItem(color=theme.FIGURE_MUTED, anchor=(0.5, 0.5))  # on white
        self.note.setFont(theme.font(AXIS_PX))

    def set_text_px(self, px: int) -> None:
        """Size every text of the figure from ``px``, the axis labels' size (ticks and
        legend one less, the title one more); the owner redraws, which writes the labels,
        titles and legend entries in it."""
        self.px = px
        for name in ("left", "bottom"):
            ax = self.pi.getAxis(name)
            ax.setTickFont(theme.font(px - 1))
            if self._labels.get(name):
                self.set_label(name, self._labels[name])
        self.legend.opts["labelTextSize"] = f"{px - 1}px"
        # the lecture hall's type: one entry a row, or the entries widen the plot past its view
        self.legend.setColumnCount(self.legend_columns if px == AXIS_PX else 1)
        # and room for its ticks ("5000", "100 µs") beside the axis label: pyqtgraph's own
        # widening lags a redraw behind and drops the ticks that do not fit meanwhile
        self.pi.getAxis("left").setWidth(self.left_width if px == AXIS_PX else 6 * px)
        if self.bottom_height is not None:  # its lines of ticks, in the new type
            self.pi.getAxis("bottom").setHeight(round(self.bottom_height * px / AXIS_PX))
        self.note.setFont(theme.font(px))

    def set_label(self, axis: str, text: str) -> None:
        """An axis's label; in the lecture hall's type a left one breaks before its "(…)",
        so that it fits along a plot the height of a projector's window."""
        self._labels[axis] = text
        shown = html.escape(text)
        if axis == "left" and self.px > AXIS_PX:
            shown = shown.replace(" (", "<br>(").replace("（", "<br>（")
        self.pi.setLabel(axis, shown, **{"font-size": f"{self.px}px", "color": "#000"})

    def set_title(self, text: str, sub: str = "") -> None:
        px = self.px
        sub = f"<br><span style='font-size:{px - 1}px'>{html.escape(sub)}</span>" if sub else ""
        self.pi.setTitle(
            f"<span style='font-size:{px + 1}px; color:#000'><b>{html.escape(text)}</b>{sub}</span>"
        )
        # the title's row as tall as its lines (pyqtgraph fixes it at 30 px: one small line)
        height = max(30, math.ceil(self.pi.titleLabel.item.boundingRect().height()))
        self.pi.titleLabel.setMaximumHeight(height)
        self.pi.layout.setRowFixedHeight(0, height)

    def show_note(self, text: str) -> None:
        """An empty plot that says why it is empty."""
        if self.note.scene() is None:
            self.pi.addItem(self.note)
        self.note.setText(text)
        self.note.setPos(0.5, 0.5)
        self.pi.getAxis("bottom").setTicks([[]])
        self.pi.getAxis("left").setTicks([[]])
        self.pi.setXRange(0, 1, padding=0)
        self.pi.setYRange(0, 1, padding=0)

    def hide_note(self) -> None:
        self.note.setText("")
        self.pi.getAxis("left").setTicks(None)


class TimesPlot(_Figure):
    """Time per convolution against pixels, log-log, one curve per series."""

    def __init__(self, parent=None):
        super().__init__(legend_columns=2, parent=parent)
        pi = self.pi
        pi.setLogMode(True, True)
        pi.showGrid(x=True, y=True, alpha=0.25)
        self._write_labels()
        pi.getAxis("left").setTicks([TIME_TICKS])
        self.left_width = 72
        pi.getAxis("left").setWidth(self.left_width)
        self.drawn: Callable[[], object] = lambda: None  # after each draw (its owner's fit)
        self.hint = pg.TextItem(color=theme.FIGURE_MUTED, anchor=(0.5, 0.5))
        self.hint.setFont(theme.font(AXIS_PX + 2))
        self.curves: dict[str, pg.PlotDataItem] = {}  # legend label -> curve
        self.markers: list[pg.InfiniteLine] = []

    def _write_labels(self) -> None:
        self.set_label("bottom", tr("image size in pixels (side², log scale)"))
        self.set_label("left", tr("time per convolution (log scale)"))

    def clear_all(self) -> None:
        for item in list(self.curves.values()) + self.markers:
            self.pi.removeItem(item)
        self.legend.clear()
        self.curves, self.markers = {}, []

    def draw(
        self,
        series: list[bc.Series],
        crossings: list[tuple[bc.Crossover, str]],
        empty_text: str = "",
    ) -> None:
        """Draw ``series`` and a vertical line at each crossover (with its short label);
        ``empty_text`` in the middle while there is nothing to draw."""
        self.clear_all()
        pi = self.pi
        self._write_labels()  # (at each draw: a language chosen since is theirs too)
        sizes = sorted({p.size for s in series for p in s.points}) or [16, 64, 256, 1024, 4096]
        if self.hint.scene() is None:
            pi.addItem(self.hint)
        self.hint.setFont(theme.font(self.px + 2))
        self.hint.setText("" if series else empty_text)
        self.hint.setPos(math.log10(256 * 256), -3.5)
        for s in series:
            colour, symbol = STYLE[s.id]
            pen = pg.mkPen(
                colour,
                width=3,
                style=Qt.PenStyle.SolidLine if s.source.local else Qt.PenStyle.DashLine,
            )
            label = series_label(s)
            item = pg.PlotDataItem(
                [p.pixels for p in s.points],
                [p.median_s for p in s.points],
                pen=pen,
                symbol=symbol,
                symbolSize=12,
                symbolBrush=colour,
                symbolPen=pg.mkPen("k", width=1),
            )
            # the textbook kernel's curves on top: tiled end-to-end often lies right under
            item.setZValue(3 if s.backend == "cuda" else 2 if s.gpu else 1)
            pi.addItem(item)
            self.legend.addItem(item, html.escape(label))  # the legend renders HTML
            self.curves[label] = item
        for cross, text in crossings:
            if cross.pixels is None:  # only a "cross" has a place to mark
                continue
            line = pg.InfiniteLine(
                pos=math.log10(cross.pixels),
                angle=90,
                movable=False,
                pen=pg.mkPen("k", width=2, style=Qt.PenStyle.DashDotLine),
                label=text,
                labelOpts={
                    "position": 0.93,
                    "color": "k",
                    "fill": (255, 255, 255, 230),
                    "anchors": [(0, 0), (0, 0)],
                },
            )
            line.label.setFont(theme.font(self.px, bold=True))
            pi.addItem(line)
            self.markers.append(line)
        ticks = [(math.log10(s * s), f"{s}²") for s in sizes]
        if len(ticks) > 9:  # keep the labels apart: every other size
            ticks = ticks[::2] if (len(ticks) - 1) % 2 == 0 else ticks[1::2]
        pi.getAxis("bottom").setTicks([ticks] if ticks else None)
        xs = [math.log10(p.pixels) for s in series for p in s.points]
        ys = [math.log10(p.median_s) for s in series for p in s.points if p.median_s > 0]
        if xs and ys:  # explicit, so a grab right after drawing shows every point
            pi.setXRange(min(xs), max(xs), padding=0.04)
            pi.setYRange(min(ys), max(ys), padding=0.06)
        else:
            pi.setXRange(math.log10(16 * 16), math.log10(4096 * 4096), padding=0.04)
            pi.setYRange(-6, -1, padding=0)  # 1 µs … 100 ms
        self.drawn()


class PhasesPlot(_Figure):
    """Where the GPU's end-to-end time goes: host→device, kernel, device→host, stacked."""

    def __init__(self, parent=None):
        super().__init__(legend_columns=3, parent=parent)
        self.pi.setMouseEnabled(False, False)
        self.bottom_height = 46  # two lines: the size and the total time
        self.pi.getAxis("bottom").setHeight(self.bottom_height)
        self.bars: dict[str, pg.BarGraphItem] = {}

    def draw(self, series: bc.Series | None, empty_text: str) -> None:
        pi = self.pi
        for item in self.bars.values():
            pi.removeItem(item)
        self.legend.clear()
        self.bars = {}
        points = [
            p
            for p in (series.points if series else [])
            if p.phases and all(k in p.phases for k in PHASE_COLOURS)
        ]
        if series is None or not points:
            self.set_title(tr("Where the GPU's time goes"))
            self.set_label("left", "")
            self.show_note(empty_text)
            return
        self.set_title(tr("Where the GPU's time goes"), where(series))
        self.hide_note()
        self.set_label("left", tr("share of cuda end-to-end (%)"))
        x = np.arange(len(points), dtype=float)
        phases = [p.phases for p in points if p.phases is not None]  # every one of them
        totals = np.array([sum(ph[k] for k in PHASE_COLOURS) for ph in phases])
        base = np.zeros(len(points))
        names = {
            "h2d": tr("host→device copy"),
            "kernel": tr("kernel"),
            "d2h": tr("device→host copy"),
        }
        for key, colour in PHASE_COLOURS.items():
            h = 100 * np.array([ph[key] for ph in phases]) / totals
            bar = pg.BarGraphItem(
                x=x, height=h, y0=base.copy(), width=0.7, brush=colour, pen=pg.mkPen("k", width=1)
            )
            pi.addItem(bar)
            self.legend.addItem(bar, names[key])
            self.bars[key] = bar
            base += h
        pi.getAxis("bottom").setTicks(
            [[(i, f"{p.size}²\n{fmt_seconds(t)}") for i, (p, t) in enumerate(zip(points, totals))]]
        )
        pi.setXRange(-0.6, len(points) - 0.4, padding=0)
        pi.setYRange(0, 100, padding=0.02)


class TiledPlot(_Figure):
    """cuda beside cuda-tiled: kernel-only speed as GB/s moved (higher is better)."""

    MAX_PAIRS = 8

    def __init__(self, parent=None):
        super().__init__(legend_columns=2, parent=parent)
        self.pi.setMouseEnabled(False, False)
        self.bottom_height = 46  # two lines: the size and the kernel
        self.pi.getAxis("bottom").setHeight(self.bottom_height)
        self.items: list = []
        self.pairs: list[bc.TiledPair] = []

    def draw(self, pairs: list[bc.TiledPair], empty_text: str) -> None:
        pi = self.pi
        for item in self.items:
            pi.removeItem(item)
        self.legend.clear()
        self.items = []
        self.pairs = pairs = pairs[-self.MAX_PAIRS :]
        title = tr("What shared memory buys: cuda vs cuda-tiled")
        if not pairs:
            self.set_title(title)
            self.set_label("left", "")
            self.show_note(empty_text)
            return
        self.hide_note()
        src = pairs[0].source
        self.set_title(
            title,
            tr("this machine: {machine}").format(machine=src.machine)
            if src.local
            else tr("measured on {machine}, {date}").format(machine=src.machine, date=src.date),
        )
        self.set_label("left", tr("GB/s moved, kernel only"))
        x = np.arange(len(pairs), dtype=float)
        plain = np.array([p.gbps(p.cuda_s) for p in pairs])
        tiled = np.array([p.gbps(p.tiled_s) for p in pairs])
        for name, xs, h, colour in (
            (tr("cuda (one thread per cell)"), x - 0.18, plain, OKABE_ITO["blue"]),
            (tr("cuda-tiled (shared memory), ×speed-up"), x + 0.18, tiled, OKABE_ITO["green"]),
        ):
            bar = pg.BarGraphItem(
                x=xs, height=h, width=0.34, brush=colour, pen=pg.mkPen("k", width=1)
            )
            pi.addItem(bar)
            self.legend.addItem(bar, name)
            self.items.append(bar)
        top = float(max(plain.max(), tiled.max()))
        bw = src.copy_bandwidth_gbps
        if bw:
            line = pg.InfiniteLine(
                pos=bw,
                angle=0,
                pen=pg.mkPen("k", width=2, style=Qt.PenStyle.DashLine),
                label=tr("copy bandwidth {gbps:,.0f} GB/s").format(gbps=bw),
                labelOpts={"position": 0.02, "color": "k", "anchors": [(0, 1), (0, 1)]},
            )
            line.label.setFont(theme.font(self.px))
            pi.addItem(line)
            self.items.append(line)
            top = max(top, bw)
        for i, p in enumerate(pairs):
            t = pg.TextItem(f"×{p.speedup:.2g}", color="k", anchor=(0.5, 1))
            t.setFont(theme.font(self.px - 1, bold=True))
            t.setPos(i + 0.18, tiled[i])
            pi.addItem(t)
            self.items.append(t)
        ticks = []
        for i, p in enumerate(pairs):
            chans = tr(", {n} ch").format(n=p.channels) if p.channels > 1 else ""
            ticks.append((i, f"{p.size}²\n{p.kernel[0]}×{p.kernel[1]}{chans}"))
        pi.getAxis("bottom").setTicks([ticks])
        pi.setXRange(-0.6, len(pairs) - 0.4, padding=0)
        pi.setYRange(0, top * 1.15, padding=0)
