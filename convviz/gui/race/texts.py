"""The race's words: each lane's core count, who it is, its ticks and its measured time,
and the notes that say what is measured, recorded or assumed."""

from __future__ import annotations

import html

import numpy as np

from convviz.core import race as rc
from convviz.core import sysinfo
from convviz.core.launch import launch_for
from convviz.core.timing import fmt_seconds
from convviz.gui import theme
from convviz.gui.race.lane import CORE_COLORS, tr


def _e(text: str) -> str:
    return html.escape(text)


def _measured(view, backend: str) -> str:
    """The measured time of one backend on this input, or why there is none."""
    lane = view.measured.get(backend)
    if lane is None:
        return _e(tr("measuring on this machine…") if view.measuring else tr("not measured"))
    if lane.error or lane.record is None:
        return _e(tr("not measured: {0}").format(lane.error or tr("cancelled")))
    rec = lane.record
    return _e(tr("measured: {0} median, {1} fastest ({2}, {3} runs)")).format(
        f"<b>{fmt_seconds(rec.total.median)}</b>",
        fmt_seconds(rec.total.min),
        _e(backend),
        rec.repeats,
    )


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


def _copy_line(view, race: rc.Race) -> str:
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
    return (
        f"<b style='color:{theme.palette().error}'>"
        + _e(
            tr("{0}, assumed, not measured: a PCIe 4.0 ×16 link, {1} GB/s and {2} a copy").format(
                base, f"{race.copy.bandwidth / 1e9:.3g}", fmt_seconds(race.copy.latency_s)
            )
        )
        + "</b>"
    )


def lane_texts(view, race: rc.Race) -> dict[str, tuple[int, str, str]]:
    """{lane: (core count, who, facts as rich text)}."""
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
                tr("one core of this CPU ({0}): a cell after another, as the animation").format(cpu)
            ),
            _e(tr("{0} ticks: a cell a tick").format(f"{one.total:,}"))
            + "<br>"
            + _measured(view, "cpu"),
        ),
        "cores": (
            threads,
            _e(
                tr(
                    "this CPU: {0}; core k takes the k-th stretch of rows (numba's schedule)"
                ).format(cpu)
            ),
            _e(tr("{0} ticks: the cores take {1} cells").format(f"{cores.total:,}", "{1}")).replace(
                "{1}", _shares(share)
            )
            + "<br>"
            + _measured(view, "cpu-parallel")
            + _simd_note(view, threads),
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
            + f"<br>{_copy_line(view, race)}",
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


def _simd_note(view, threads: int) -> str:
    """What the ticks leave out: all cores slower than one (waking the threads), or
    faster by more than their number (a differently optimised loop)."""
    seq, par = view.measured.get("cpu"), view.measured.get("cpu-parallel")
    if not (seq and par and seq.record and par.record) or seq.error or par.error:
        return ""
    ratio = seq.record.total.min / max(par.record.total.min, 1e-12)  # fastest runs
    if ratio < 1:
        return "<br>" + _e(
            tr(
                "slower than one core here: waking {0} threads costs more than this little work"
            ).format(threads)
        )
    if ratio <= threads * 1.2:
        return ""
    return "<br>" + _e(
        tr(
            "{0}× faster than one core with {1} cores: cpu-parallel is also a differently "
            "optimised loop (whole rows, several cells at once with SIMD), which the ticks "
            "leave out"
        ).format(f"{ratio:.3g}", threads)
    )


def notes_text(view, race: rc.Race) -> str:
    tick = fmt_seconds(race.tick_s)
    if race.tick_measured:
        what = tr(
            "1 tick = one cell on one core = {0}, measured on a {1}×{1} input "
            "(one core's fastest run / cells)"
        )
    else:
        what = tr("1 tick = one cell on one core ≈ {0}, assumed until measured")
    lines = [_e(what.format(tick, rc.TICK_SIDE))]
    lines.append(
        _e(
            tr(
                "The GPU's copies take {0} of the race's time. A GPU core is drawn as fast "
                "as a CPU core; really it is slower, but there are thousands."
            ).format(f"{race.copy_share:.1%}")
        )
    )
    return "<br>".join(lines)
