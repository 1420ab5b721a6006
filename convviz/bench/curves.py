"""Curves from ``convviz-bench/1`` documents, the GPU/CPU crossover, CSV rows.

Qt-free: the benchmark view (:mod:`convviz.gui.bench.view`) draws what this
module computes, and the tests check it without a window. A document is what
:func:`convviz.bench.run_benchmark` returns or :func:`convviz.bench.load_bench_json`
reads; it may come from ``convviz bench`` (rows keyed by size and kernel, CUDA
rows with h2d/kernel/d2h phases) or from ``scripts/gpu_bench.py`` (rows with a
``case`` and kernel-only times).

Simulated rows (Numba's CUDA simulator) never become curves: their times are
not GPU times. Neither do failed or skipped rows.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, field

#: series ids in drawing order; CUDA backends give a kernel-only and an end-to-end one
SERIES = ("cpu", "cpu-parallel", "cuda:kernel", "cuda:e2e", "cuda-tiled:kernel", "cuda-tiled:e2e")
CPU_SERIES = ("cpu", "cpu-parallel")
GPU_BACKENDS = ("cuda", "cuda-tiled")
CPU_SIDE_CAP = 4096  # the sweep's largest side on the CPU: a 15×15 kernel takes tens of s there
BYTES_PER_PIXEL = 48  # input, output, float64 reference and its check, generously


@dataclass(frozen=True)
class Source:
    """Where a document was measured."""

    key: str  # "local" or the path it was read from
    local: bool
    cpu: str  # short CPU model
    gpu: str | None  # GPU name, None when the machine had none
    created: str  # ISO 8601 date of the run ("" if unknown)
    copy_bandwidth_gbps: float | None = None

    @property
    def date(self) -> str:
        return self.created[:10]

    @property
    def machine(self) -> str:
        return self.gpu or self.cpu


@dataclass(frozen=True)
class Point:
    size: int  # square side, pixels
    median_s: float
    min_s: float | None = None
    max_s: float | None = None
    phases: dict | None = None  # h2d / kernel / d2h medians, seconds

    @property
    def pixels(self) -> int:
        return self.size * self.size


@dataclass
class Series:
    id: str  # one of SERIES
    source: Source
    kernel: tuple[int, int]  # (kh, kw)
    channels: int
    points: list[Point] = field(default_factory=list)

    @property
    def backend(self) -> str:
        return self.id.split(":")[0]

    @property
    def gpu(self) -> bool:
        return self.backend in GPU_BACKENDS

    @property
    def group(self) -> tuple[int, int, int]:
        return (*self.kernel, self.channels)

    def at(self, size: int) -> Point | None:
        return next((p for p in self.points if p.size == size), None)


def short_cpu(name: str) -> str:
    """'Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.0GHz' -> 'Intel Xeon Platinum 8480+'."""
    name = re.sub(r"\((R|TM|tm|r)\)", "", name or "")
    name = re.sub(r"\s+(CPU\s*)?@.*$", "", name)
    name = re.sub(r"\s+\d+-Core Processor$", "", name)
    return " ".join(name.split()) or "unknown CPU"


def source_of(doc: dict, key: str = "local", local: bool = False) -> Source:
    m = doc.get("machine") or {}
    gpu = m.get("gpu")
    if isinstance(gpu, dict):
        gpu = gpu.get("name") or None
    elif not isinstance(gpu, str) or not gpu:
        gpu = None  # older gpu_bench.py files wrote the device string, or null
    if gpu:
        gpu = gpu.split(",")[0]  # "NVIDIA H100, 132 SMs, compute 9.0" -> the name
    bw = m.get("copy_bandwidth_gbps")
    bw = float(bw) if isinstance(bw, (int, float)) and not isinstance(bw, bool) else None
    return Source(
        key=key,
        local=local,
        cpu=short_cpu(str(m.get("cpu", ""))),
        gpu=gpu,
        created=str(doc.get("created", "")),
        copy_bandwidth_gbps=bw,
    )


def _kernel_of(row: dict) -> tuple[int, int]:
    shape = row.get("kernel_shape")
    if (
        isinstance(shape, list)
        and len(shape) == 2
        and all(isinstance(v, int) and v > 0 for v in shape)
    ):
        return (shape[0], shape[1])
    return (row["kernel"], row["kernel"])


def series_of(doc: dict, source: Source) -> list[Series]:
    """Every curve a document holds, for every (kernel, channels) it measured."""
    out: dict[tuple, Series] = {}

    def add(sid, row, point):
        if not (math.isfinite(point.median_s) and point.median_s > 0):
            return  # a zero or negative time (the simulator's events say -1) draws nothing
        key = (sid, _kernel_of(row), row["channels"])
        s = out.setdefault(key, Series(sid, source, key[1], key[2]))
        if s.at(point.size) is None:
            s.points.append(point)

    for row in doc.get("results", []):
        if row.get("status") != "ok" or row.get("simulated") or row.get("median_s") is None:
            continue
        name, phases = row["name"], row.get("phases") or {}
        if name in CPU_SERIES:
            add(name, row, Point(row["size"], row["median_s"], row.get("min_s"), row.get("max_s")))
        elif name in GPU_BACKENDS:
            if "h2d" in phases and "kernel" in phases:  # convviz bench: wall time + phases
                add(
                    f"{name}:e2e",
                    row,
                    Point(
                        row["size"],
                        row["median_s"],
                        row.get("min_s"),
                        row.get("max_s"),
                        dict(phases),
                    ),
                )
                add(f"{name}:kernel", row, Point(row["size"], float(phases["kernel"])))
            else:  # gpu_bench.py: the row's own times are kernel-only
                add(
                    f"{name}:kernel",
                    row,
                    Point(row["size"], row["median_s"], row.get("min_s"), row.get("max_s")),
                )
    for s in out.values():
        s.points.sort(key=lambda p: p.size)
    return sorted(out.values(), key=lambda s: (s.group, SERIES.index(s.id)))


def simulated_rows(doc: dict) -> int:
    """How many ok rows of the document ran on the CUDA simulator (shown, never drawn)."""
    return sum(1 for r in doc.get("results", []) if r.get("simulated") and r.get("status") == "ok")


def skipped_reasons(doc: dict) -> dict[str, str]:
    """backend name -> the first reason one of its rows was skipped or failed."""
    out: dict[str, str] = {}
    for r in doc.get("results", []):
        if r.get("status") in ("skipped", "failed") and r.get("kind") == "backend":
            out.setdefault(r["name"], r.get("reason", ""))
    return out


# -- the crossover -----------------------------------------------------------------


@dataclass(frozen=True)
class Crossover:
    """Where the GPU's end-to-end time drops below the best CPU time.

    ``kind``: "cross" (the GPU wins from ``pixels`` on), "never", "always",
    "mixed" (it wins only at some sizes, and not at the largest), or "none"
    (no size measured by both).
    """

    kind: str
    pixels: float | None = None  # interpolated in log-log between the two sizes around it
    size: int | None = None  # the size the numbers are from: the last one the CPU wins
    # (for "cross", "never", "mixed") or the smallest size (for "always")
    gpu_s: float | None = None  # GPU end-to-end at that size
    cpu_s: float | None = None  # best CPU at that size
    cpu_series: str | None = None  # which CPU series is best there
    copies_s: float | None = None  # host→device + device→host at that size
    h2d_s: float | None = None
    kernel_s: float | None = None

    @property
    def side(self) -> int | None:
        return None if self.pixels is None else int(round(math.sqrt(self.pixels)))


def best_cpu(cpus: list[Series], size: int) -> tuple[float, str] | None:
    found = [(p.median_s, s.id) for s in cpus if (p := s.at(size)) is not None]
    return min(found) if found else None


def crossover(gpu_e2e: Series, cpus: list[Series]) -> Crossover:
    """Compare ``gpu_e2e`` with the fastest of ``cpus`` at every size both measured."""
    pts = [(p, b) for p in gpu_e2e.points if (b := best_cpu(cpus, p.size)) is not None]
    if not pts:
        return Crossover("none")
    # d > 0: the CPU is faster; compared in log space, where the curves are drawn
    d = [math.log(p.median_s) - math.log(b[0]) for p, b in pts]

    def numbers(i, kind, pixels=None):
        p, (cpu_s, cpu_id) = pts[i]
        ph = p.phases or {}
        copies = (ph["h2d"] + ph["d2h"]) if "h2d" in ph and "d2h" in ph else None
        return Crossover(
            kind, pixels, p.size, p.median_s, cpu_s, cpu_id, copies, ph.get("h2d"), ph.get("kernel")
        )

    if all(v <= 0 for v in d):
        return numbers(0, "always")
    if all(v > 0 for v in d):
        return numbers(len(d) - 1, "never")
    if d[-1] > 0:
        return numbers(len(d) - 1, "mixed")
    j = max(i for i, v in enumerate(d) if v > 0)  # the GPU wins at every size after j
    x0, x1 = math.log(pts[j][0].pixels), math.log(pts[j + 1][0].pixels)
    f = d[j] / (d[j] - d[j + 1])
    return numbers(j, "cross", math.exp(x0 + f * (x1 - x0)))


# -- what shared memory buys -------------------------------------------------------


@dataclass(frozen=True)
class TiledPair:
    source: Source
    size: int
    kernel: tuple[int, int]
    channels: int
    cuda_s: float  # kernel-only medians
    tiled_s: float

    @property
    def moved_bytes(self) -> int:
        """Input read once + output written once (float32, 'same' padding): the least any
        kernel must move, as scripts/gpu_bench.py counts it."""
        return 4 * 2 * self.size * self.size * self.channels

    def gbps(self, seconds: float) -> float:
        return self.moved_bytes / seconds / 1e9

    @property
    def speedup(self) -> float:
        return self.cuda_s / self.tiled_s


def tiled_pairs(series: list[Series]) -> list[TiledPair]:
    """Every (source, size, kernel, channels) with kernel-only times of both CUDA kernels."""
    by = {(s.source.key, s.id, s.group): s for s in series}
    out = []
    for s in series:
        if s.id != "cuda:kernel":
            continue
        tiled = by.get((s.source.key, "cuda-tiled:kernel", s.group))
        if tiled is None:
            continue
        for p in s.points:
            q = tiled.at(p.size)
            if q is not None:
                out.append(
                    TiledPair(s.source, p.size, s.kernel, s.channels, p.median_s, q.median_s)
                )
    return out


# -- sizes and memory ----------------------------------------------------------------


def physical_memory() -> int | None:
    """Bytes of RAM, where the OS says (no psutil)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def largest_side(memory: int | None = None, cap: int = CPU_SIDE_CAP) -> int:
    """The largest power-of-two side a sweep may use: a quarter of RAM, at most ``cap``."""
    memory = physical_memory() if memory is None else memory
    if not memory:
        return min(cap, 2048)
    side = 16
    while side * 2 <= cap and (side * 2) ** 2 * BYTES_PER_PIXEL <= memory // 4:
        side *= 2
    return side


def sweep_sizes(kernel: tuple[int, int], largest: int) -> list[int]:
    """16, 32, 64, … doubling up to ``largest``; never smaller than the kernel."""
    side, out = 16, []
    while side <= largest:
        if side >= max(kernel):
            out.append(side)
        side *= 2
    return out or [max(16, max(kernel))]


# -- CSV --------------------------------------------------------------------------------

CSV_HEADER = (
    "series",
    "source",
    "machine",
    "measured",
    "kernel",
    "channels",
    "size",
    "pixels",
    "median_s",
    "min_s",
    "max_s",
)


def csv_rows(series: list[Series], names: dict[str, str] | None = None) -> list[tuple]:
    """One row per point; ``names`` maps series ids to the words the plot's legend uses."""
    rows = []
    for s in series:
        src = s.source
        machine = f"{src.cpu}" + (f" + {src.gpu}" if src.gpu else "")
        for p in s.points:
            rows.append(
                (
                    (names or {}).get(s.id, s.id),
                    "this machine" if src.local else os.path.basename(src.key),
                    machine,
                    src.date,
                    f"{s.kernel[0]}x{s.kernel[1]}",
                    s.channels,
                    p.size,
                    p.pixels,
                    _num(p.median_s),
                    _num(p.min_s),
                    _num(p.max_s),
                )
            )
    return rows


def _num(v) -> str:
    return "" if v is None else repr(float(v))


def write_csv(path, series: list[Series], names: dict[str, str] | None = None) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        w.writerows(csv_rows(series, names))
