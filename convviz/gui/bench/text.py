"""The benchmark view's sentences: the crossover with its measured numbers, file notes.

Every sentence is a template wrapped for translation with the numbers formatted
in; :mod:`convviz.bench.curves` supplies the numbers.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from convviz.bench import curves as bc
from convviz.core.timing import fmt_seconds
from convviz.gui.bench.plot import series_name


def tr(text: str) -> str:
    return QCoreApplication.translate("BenchView", text)


def crossings(shown: list[bc.Series]) -> tuple[list[tuple[bc.Crossover, str]], list[str]]:
    """One crossover per GPU source, against that machine's CPU curves, else this one's:
    ([(crossover, short marker label)], [one rich-text sentence per GPU source])."""
    marks, sentences = [], []
    local_cpus = [s for s in shown if s.source.local and s.id in bc.CPU_SERIES]
    for gpu in (s for s in shown if s.id == "cuda:e2e"):
        cpus = [
            s for s in shown if s.source.key == gpu.source.key and s.id in bc.CPU_SERIES
        ] or local_cpus
        if not cpus:
            continue
        cross = bc.crossover(gpu, cpus)
        sentences.append(crossover_sentence(cross, gpu, cpus[0]))
        if cross.kind == "cross":
            marks.append((cross, tr("GPU wins from ≈{side}×{side} →").format(side=cross.side)))
    if not sentences and shown and not any(s.gpu for s in shown):
        sentences.append(html.escape(tr("No crossover to show: there is no GPU curve yet.")))
    return marks, sentences


def crossover_sentence(c: bc.Crossover, gpu: bc.Series, cpu: bc.Series) -> str:
    """Where the GPU starts to win, and why not before, in one sentence (rich text)."""
    src = gpu.source
    where = (
        tr("This machine")
        if src.local
        else tr("Measured on {gpu}, {date}").format(gpu=src.machine, date=src.date)
    )
    if cpu.source.key != src.key:
        where += tr(", against this machine's CPU")
    num = {
        "side": c.side,
        "px": f"{round(c.pixels):,}" if c.pixels else "",
        "size": c.size,
        "gpu": fmt_seconds(c.gpu_s or -1),
        "cpu": fmt_seconds(c.cpu_s or -1),
        "cpu_name": series_name(c.cpu_series) if c.cpu_series else "",
        "copies": fmt_seconds(c.copies_s or -1),
    }
    if c.kind == "none":
        text = tr("no size was measured on both the GPU and the CPU.")
    elif c.kind == "always":
        text = tr(
            "the GPU wins at every size measured, even at {size}×{size} ({gpu} with "
            "copies, against {cpu} for {cpu_name})."
        )
    elif c.kind == "never":
        text = tr(
            "within these sizes the GPU never wins; at {size}×{size} it takes {gpu} "
            "with copies, against {cpu} for {cpu_name}."
        )
    elif c.kind == "mixed":
        text = tr(
            "no clear crossover; the GPU wins at some sizes but not at the largest, "
            "{size}×{size} ({gpu} against {cpu})."
        )
    elif c.copies_s is not None and c.cpu_s is not None and c.copies_s >= c.cpu_s:
        text = tr(
            "the GPU wins from about {side}×{side} ({px} pixels): below that, copying "
            "the data to the GPU and back ({copies} at {size}×{size}) costs more than "
            "the CPU's whole convolution ({cpu}, {cpu_name})."
        )
    else:
        text = tr(
            "the GPU wins from about {side}×{side} ({px} pixels): below that its fixed "
            "costs (copies {copies}, launch) outweigh the work it saves; at "
            "{size}×{size} it takes {gpu} against {cpu} for {cpu_name}."
        )
    lead = tr("{where}:").format(where=where)
    return f"<b>{html.escape(lead)}</b> {html.escape(text.format(**num))}"


def file_note(key: str, doc: dict) -> str:
    """What was opened: where it was measured, how many curves, what is not drawn."""
    src = bc.source_of(doc, key)
    text = tr("Opened {name}: measured on {machine}, {date}; {n} curves.").format(
        name=Path(key).name,
        machine=src.machine,
        date=src.date or "?",
        n=len(bc.series_of(doc, src)),
    )
    sim = bc.simulated_rows(doc)
    if sim:
        text += " " + tr(
            "{n} of its rows ran on Numba's CUDA simulator: not GPU timings, not drawn."
        ).format(n=sim)
    return text


def noise_note(rows: list[dict]) -> str:
    """One line when the sweep's numbers are not to be trusted ('' when they are): the
    machine was busy, a point spread widely, a curve fell where it should rise."""
    from convviz.bench import rounds
    from convviz.core import sysinfo

    cores = sysinfo.cpu_cores()
    found = rounds.problems(rows, cores, None)
    parts = []
    if found["busy"] is not None:
        parts.append(
            tr(
                "The machine was busy (load {load} on {cores} cores): other programs used the CPU."
            ).format(load=f"{found['busy']:.1f}", cores=cores)
        )
    if found["noisy"]:
        parts.append(
            tr("{n} points spread by more than {pct} between runs.").format(
                n=len(found["noisy"]), pct=f"{rounds.NOISY_SPREAD:.0%}"
            )
        )
    for name, k, a, b in found["dips"]:
        parts.append(
            tr("{name} ({k}×{k}) took less time at {big}² than at {small}²: not monotonic.").format(
                name=name, k=k, big=b["size"], small=a["size"]
            )
        )
    if not parts:
        return ""
    return " ".join([tr("Noise:"), *parts, tr("Sweep again on an idle machine.")])
