"""One :class:`~convviz.engine.LaneResult` in words: the same facts in the same words for
the lesson's and image mode's lanes, the race, the benchmark window and ``convviz run``.

Qt-free. Every sentence is an English template marked for translation in the context
``LaneText``; a front-end passes its :class:`Words` (the GUI's translates with Qt,
the command line's keeps the English) and renders the :class:`Line`\\ s its own way
(rich text in the window, plain lines on a terminal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from convviz.core.timing import Stats, TimingRecord, fmt_seconds

if TYPE_CHECKING:  # (the engine loads with the first run, after the window shows)
    from convviz.engine import LaneResult

CONTEXT = "LaneText"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (lupdate's marker)
    """Marks ``text`` for the translation files; the text itself is returned."""
    return text


T_TIME = QT_TRANSLATE_NOOP("LaneText", "median of {0} runs (min {1}, max {2}, spread ±{3})")
T_ONE_RUN = QT_TRANSLATE_NOOP("LaneText", "one run (simulated: not repeated)")
T_PHASES = QT_TRANSLATE_NOOP("LaneText", "copy in {0} · kernel {1} · copy out {2}")
T_LAUNCH = QT_TRANSLATE_NOOP("LaneText", "grid {0} × block {1} = {2} threads")
T_COMPILED = QT_TRANSLATE_NOOP("LaneText", "compile {0} (compiled), apart from the time")
T_LOADED = QT_TRANSLATE_NOOP("LaneText", "compile {0} (loaded from cache), apart from the time")
T_DEVICE = QT_TRANSLATE_NOOP("LaneText", "{0} on {1}")
T_CORES = QT_TRANSLATE_NOOP(
    "LaneText", "the same code on 1 core: {0}, on {1} cores: {2}: ×{3} from the cores"
)
T_CORES_SLOWER = QT_TRANSLATE_NOOP(
    "LaneText",
    "the same code on 1 core: {0}, on {1} cores: {2}: slower on {1} cores "
    "(waking the threads costs more than this work)",
)
T_CORES_NOISE = QT_TRANSLATE_NOOP(
    "LaneText",
    "the same code on 1 core: {0}, on {1} cores: {2}: no difference larger than the spread (±{3})",
)
T_SIMULATED = QT_TRANSLATE_NOOP(
    "LaneText",
    "No NVIDIA GPU: the CUDA kernel ran on Numba's simulator on the CPU. Not a GPU time.",
)
T_FELL_BACK_SIM = QT_TRANSLATE_NOOP(
    "LaneText",
    "The CUDA simulator cannot run {0} output cells; this lane ran on all CPU cores "
    "instead — not a GPU time.",
)
T_FELL_BACK = QT_TRANSLATE_NOOP(
    "LaneText",
    "{0} could not run this problem ({1}); this lane ran on {2} instead — not a GPU time.",
)
T_ONE_THREAD = QT_TRANSLATE_NOOP("LaneText", ", 1 thread")
T_THREADS = QT_TRANSLATE_NOOP("LaneText", ", {0} threads")
T_SIMULATOR = QT_TRANSLATE_NOOP("LaneText", "Numba CUDA simulator on the CPU")
T_DID_NOT_RUN = QT_TRANSLATE_NOOP("LaneText", "{0} did not run")
T_CANCELLED = QT_TRANSLATE_NOOP("LaneText", "cancelled")
T_COMPILING_CPU = QT_TRANSLATE_NOOP("LaneText", "compiling the CPU kernels for {0}")
T_COMPILING_GPU = QT_TRANSLATE_NOOP("LaneText", "compiling the CUDA kernel for {0}")

#: what a line is, so that a renderer can set it apart (a warning in the error colour)
LineKind = Literal["time", "phases", "launch", "compile", "device", "cores", "warning", "error"]


@dataclass(frozen=True)
class Line:
    kind: LineKind
    text: str
    #: a figure the renderer may set large in front of ``text`` (the median)
    lead: str = ""

    def plain(self) -> str:
        return f"{self.lead} {self.text}" if self.lead else self.text


@dataclass(frozen=True)
class Words:
    """How a front-end shows words: ``tr`` translates a template of this module,
    ``device`` a backend's device line, ``error`` an exception (one line)."""

    tr: Callable[[str], str] = lambda text: text
    device: Callable[[str], str] = lambda text: text
    error: Callable[[BaseException], str] = lambda exc: str(exc).strip().splitlines()[0]


ENGLISH = Words()


def device_text(lane: LaneResult, words: Words = ENGLISH, threads: int = 0) -> str:
    """Where ``lane`` ran (on ``threads`` threads, when not its record's), in the
    front-end's words: the CPU's name and its threads, the simulator, or the GPU's line
    (from the lane's fields, never parsed from English)."""
    if lane.kind == "cpu" and lane.cpu_threads:
        n = threads or lane.cpu_threads
        return lane.processor + words.tr(T_ONE_THREAD if n == 1 else T_THREADS).format(n)
    if lane.simulated and lane.kind == "gpu":
        return words.tr(T_SIMULATOR)
    return words.device(lane.device)


def compiling_line(kind: str, what: str, words: Words = ENGLISH) -> str:
    """ "compiling the CPU kernels for 3×3" (or the CUDA kernel)."""
    return words.tr(T_COMPILING_GPU if kind == "gpu" else T_COMPILING_CPU).format(what)


def time_line(rec: TimingRecord, words: Words = ENGLISH) -> Line:
    t = rec.total
    if rec.repeats <= 1 and rec.simulated:
        return Line("time", words.tr(T_ONE_RUN), fmt_seconds(t.median))
    text = words.tr(T_TIME).format(
        rec.repeats, fmt_seconds(t.min), fmt_seconds(t.max), f"{t.spread:.0%}"
    )
    return Line("time", text, fmt_seconds(t.median))


def cores_line(lane: LaneResult, words: Words = ENGLISH) -> Line | None:
    """The cores' share: the same code on one thread and on all, or None if not timed."""
    one, rec = lane.one_core, lane.record
    if one is None or rec is None:
        return None
    n, t1, tn = lane.cores, fmt_seconds(one.total.median), fmt_seconds(rec.total.median)
    ratio = lane.cores_speedup
    if ratio is None:
        noise = f"{one.total.spread + rec.total.spread:.0%}"
        return Line("cores", words.tr(T_CORES_NOISE).format(t1, n, tn, noise))
    if ratio < 1:
        return Line("cores", words.tr(T_CORES_SLOWER).format(t1, n, tn))
    return Line("cores", words.tr(T_CORES).format(t1, n, tn, f"{ratio:.2g}"))


def error_lines(lane: LaneResult, words: Words = ENGLISH) -> list[Line]:
    why = words.error(lane.error) if lane.error is not None else words.tr(T_CANCELLED)
    return [Line("error", words.tr(T_DID_NOT_RUN).format(lane.backend)), Line("error", why)]


def lines(
    lane: LaneResult, words: Words = ENGLISH, *, device: bool = True, cores: bool = True
) -> list[Line]:
    """Every fact of ``lane``, one a line, in the order every front-end shows them
    (``device``/``cores`` False: a screen that shows that line elsewhere)."""
    rec = lane.record
    if lane.error is not None or rec is None:
        return error_lines(lane, words)
    out = [time_line(rec, words)]
    if {"h2d", "kernel", "d2h"} <= rec.phases.keys():
        p = rec.phases
        out.append(Line("phases", words.tr(T_PHASES).format(*(_med(p[k]) for k in PHASES))))
    if rec.grid:
        grid, block = "×".join(map(str, rec.grid)), "×".join(map(str, rec.block or ()))
        out.append(Line("launch", words.tr(T_LAUNCH).format(grid, block, f"{rec.threads:,}")))
    if lane.compiled is not None:
        template = T_LOADED if lane.compiled.from_cache and lane.kind == "cpu" else T_COMPILED
        out.append(Line("compile", words.tr(template).format(fmt_seconds(lane.compiled.seconds))))
    share = cores_line(lane, words) if cores else None
    if share is not None:
        out.append(share)
    if device:
        out.append(
            Line("device", words.tr(T_DEVICE).format(lane.backend, device_text(lane, words)))
        )
    out += warning_lines(lane, words)
    return out


def warning_lines(lane: LaneResult, words: Words = ENGLISH) -> list[Line]:
    """What makes this lane's time not what its title says (a stand-in, the simulator)."""
    if lane.fallback is not None:
        if lane.requested_simulated:
            cells = f"{lane.record.cells:,}" if lane.record else "?"
            return [Line("warning", words.tr(T_FELL_BACK_SIM).format(cells))]
        text = words.tr(T_FELL_BACK).format(
            lane.requested, words.error(lane.fallback), lane.backend
        )
        return [Line("warning", text)]
    if lane.simulated:
        return [Line("warning", words.tr(T_SIMULATED))]
    return []


PHASES = ("h2d", "kernel", "d2h")


def _med(s: Stats) -> str:
    return fmt_seconds(s.median)


def plain(lane: LaneResult) -> list[str]:
    """The lines in English, for a terminal."""
    return [line.plain() for line in lines(lane)]
