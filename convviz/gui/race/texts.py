"""The race's words: each lane's core count, who it is, its ticks and its measured time,
and the notes that say what is measured, recorded or assumed."""

from __future__ import annotations

import html

import numpy as np
from PySide6 import QtGui, QtWidgets

from convviz import lane_text
from convviz.core import race as rc
from convviz.core import sysinfo
from convviz.core.launch import launch_for
from convviz.core.timing import fmt_seconds
from convviz.gui import theme
from convviz.gui.race.lane import CORE_COLORS, tr
from convviz.gui.widgets import lane_text as lane_words

#: the backend whose one-thread and all-threads runs the CPU lanes show
CORES_BACKEND = "cpu-parallel"


def _e(text: str) -> str:
    return html.escape(text)


def _measured_lane(view, backend: str):
    """The LaneResult this input's measurement has for ``backend``, or why there is none
    (rich text)."""
    lane = view.measured.get(backend)
    if lane is None:
        return _e(tr("measuring on this machine…") if view.measuring else tr("not measured"))
    if lane.error or lane.record is None:
        return _e(tr("not measured: {0}").format(lane.error or tr("cancelled")))
    return lane


def _measured(view, backend: str, one_core: bool = False, brief: bool = False) -> str:
    """The measured line of one lane: the engine's time line (the formatter's words)
    for ``backend`` on all its threads, or on one (``one_core``)."""
    lane = _measured_lane(view, backend)
    if isinstance(lane, str):
        return lane
    rec = lane.one_core if one_core else lane.record
    if rec is None:
        return _e(tr("not measured"))
    if brief:  # the lecture hall: the figure and its spread
        line = lane_text.time_line(rec, lane_words.WORDS, brief=True)
        return _e(tr("measured:")) + " " + lane_words.rich_line(line)
    shown = lane_text.device_text(lane, lane_words.WORDS, threads=1 if one_core else 0)
    who = tr("{0} on {1}").format(backend, shown)
    line = lane_text.time_line(rec, lane_words.WORDS)
    return _e(tr("measured ({0}):").format(who)) + " " + lane_words.rich_line(line)


def _cores_line(view, brief: bool = False) -> str:
    """The cores' share, measured: the same loop on 1 and on N threads (the formatter's
    words: a speed-up only when larger than the spread)."""
    lane = _measured_lane(view, CORES_BACKEND)
    if isinstance(lane, str):
        return ""
    line = lane_text.cores_line(lane, lane_words.WORDS, brief=brief)
    return "" if line is None else "<br>" + lane_words.rich_line(line)


def _gpu_who(race: rc.Race, source_file: str) -> str:
    g = race.gpu
    shape = tr("{0} SMs × {1} cores").format(g.sms, g.cores_per_sm)
    if g.source == "device":
        return _e(tr("{0} — this machine's GPU: {1}").format(shape, g.name))
    if g.source == "recorded":
        return _e(
            tr("{0} — {1}, from the benchmark recorded in {2}").format(shape, g.name, source_file)
        )
    return (
        f"<b style='color:{theme.palette().error}'>"
        + _e(tr("an EXAMPLE, not this machine: {0}, {1}").format(g.name, shape))
        + "</b>"
    )


def _copy_line(view, race: rc.Race, brief: bool = False) -> str:
    cin, cout = race.copy_s
    g = race.lane("gpu")
    base = tr("copy in {0} ({1} ticks) · copy out {2} ({3} ticks)").format(
        fmt_seconds(cin), f"{g.copy_in:,}", fmt_seconds(cout), f"{g.copy_out:,}"
    )
    if race.copy.source == "measured":
        return _e(tr("{0}, measured on this GPU").format(base))
    if race.copy.source == "recorded":
        return _e(
            tr("{0}, from the recorded benchmark: {1} a copy + {2} GB/s").format(
                base, fmt_seconds(race.copy.latency_s), f"{race.copy.bandwidth / 1e9:.3g}"
            )
        )
    if brief:  # the link's figures: in the notes (hover)
        caveat = tr("{0}, assumed, not measured").format(base)
    else:
        caveat = _assumed_link(race).format(base)
    return f"<b style='color:{theme.palette().error}'>" + _e(caveat) + "</b>"


def _assumed_link(race: rc.Race) -> str:
    """The assumed copy's sentence, ``{0}`` left for what it says of the copies."""
    return tr("{0}, assumed, not measured: a PCIe 4.0 ×16 link, {1} GB/s and {2} a copy").format(
        "{0}", f"{race.copy.bandwidth / 1e9:.3g}", fmt_seconds(race.copy.latency_s)
    )


def lane_texts(view, race: rc.Race, brief: bool = False) -> dict[str, tuple[int, str, str]]:
    """{lane: (core count, who, facts as rich text)}; ``brief``: the facts as presentation
    mode shows them (the figures and the verdicts; the rest on hover)."""
    cpu = sysinfo.cpu_model()
    threads = race.lane("cores").workers
    one, cores, gpu = race.lane("one"), race.lane("cores"), race.lane("gpu")
    share = [int((cores.worker == t).sum()) for t in range(threads)]
    launch = launch_for(gpu.finish.shape, race.block)
    warps = rc.warp_count(gpu.finish.shape, race.block)
    sms_used = int(np.unique(gpu.worker).size)
    texts = {
        "one": (
            1,
            _e(
                tr(
                    "one core of this CPU ({0}): the cores' loop on one thread, row after row"
                ).format(cpu)
            ),
            _e(tr("{0} ticks: a cell a tick (the model)").format(f"{one.total:,}"))
            + "<br>"
            + _measured(view, CORES_BACKEND, one_core=True, brief=brief),
        ),
        "cores": (
            threads,
            _e(
                tr(
                    "this CPU: {0}; core k takes the k-th stretch of rows (numba's schedule)"
                ).format(cpu)
            ),
            _e(
                tr("{0} ticks: the cores take {1} cells (the model)").format(
                    f"{cores.total:,}", "{1}"
                )
            ).replace("{1}", _shares(share))
            + "<br>"
            + _measured(view, CORES_BACKEND, brief=brief)
            + _cores_line(view, brief),
        ),
        "gpu": (
            race.gpu.cores,
            _gpu_who(race, getattr(view, "_gpu_source", "")),
            _e(
                tr(
                    "{0} ticks: {1} blocks of {2}×{3} threads = {4} warps of 32 on {5} SMs; "
                    "computing: {6}"
                ).format(
                    f"{gpu.total:,}",
                    f"{launch.grid[0] * launch.grid[1] * launch.grid[2]:,}",
                    race.block[0],
                    race.block[1],
                    f"{warps:,}",
                    sms_used,
                    _ticks(gpu.compute),
                )
            )
            + f"<br>{_copy_line(view, race, brief)}",
        ),
    }
    return texts


def _ticks(n: int) -> str:
    return tr("1 tick") if n == 1 else tr("{0} ticks").format(f"{n:,}")


def _shares(share: list[int]) -> str:
    """Each core's cells in its colour: "■ 48 + ■ 16"."""
    parts = []
    for t, count in enumerate(share):
        color = CORE_COLORS[t % len(CORE_COLORS)]
        parts.append(f"<b style='color:{color}'>■</b>&nbsp;{count:,}")
    return " + ".join(parts)


def notes_text(view, race: rc.Race) -> str:
    tick = fmt_seconds(race.tick_s)
    if race.tick_measured:
        what = tr(
            "1 tick = one cell on one core = {0}, measured on a {1}×{1} input "
            "(the cores' loop on one thread: fastest run / cells)"
        )
    else:
        what = tr("1 tick = one cell on one core ≈ {0}, assumed until measured")
    lines = [_e(what.format(tick, rc.TICK_SIDE))]
    if getattr(view, "presentation", False) and race.tick_measured:
        # the lecture hall reads the tick's size; how it was measured is on hover
        lines.insert(0, _e(tr("1 tick = one cell on one core = {0}, measured").format(tick)))
    if getattr(view, "presentation", False) and race.copy.source == "assumed":
        lines.append(_e(_assumed_link(race).format(tr("The GPU's copies"))))
    lines.append(
        _e(
            tr(
                "The lanes move in ticks, a model; “in ticks” places are the model's. "
                "Measured lines time the same loop on 1 core and on all, in interleaved "
                "rounds; a lane with a measured time is placed by it."
            )
        )
    )
    lines.append(
        _e(
            tr(
                "The GPU's copies take {0} of the race's time. A GPU core is drawn as fast "
                "as a CPU core; really it is slower, but there are thousands."
            ).format(f"{race.copy_share:.1%}")
        )
    )
    return "<br>".join(lines)


def show_notes(label: QtWidgets.QLabel, notes: str, presentation: bool) -> None:
    """The race's notes in ``label``: in presentation mode their first line (what a tick
    is), all of them on hover."""
    first = notes.split("<br>")[0]
    shown = first if presentation else notes
    label.setText(shown)
    whole = QtGui.QTextDocumentFragment.fromHtml(notes.replace("<br>", "\n")).toPlainText()
    label.setToolTip(whole if shown != notes else "")


#: a race view shorter than this (a 1366×768 screen) shows its notes' first line, all of
#: them on hover: the lanes' facts need the room
SHORT_PX = 760


def fill_sizes(box: QtWidgets.QComboBox, shape: tuple[int, ...]) -> None:
    """The race's input sizes in ``box`` (the choice kept, no signal sent)."""
    blocked = box.blockSignals(True)
    index = max(box.currentIndex(), 0)
    box.clear()
    box.addItems(size_texts(shape))
    box.setCurrentIndex(index)
    box.blockSignals(blocked)


def size_texts(shape: tuple[int, ...]) -> list[str]:
    """The race's input sizes: the lesson's (``shape`` C, H, W), then the fixed sides."""
    return [tr("the lesson's {0}×{1}").format(shape[1], shape[2])] + [f"{s}×{s}" for s in rc.SIDES]
