"""The race: one convolution on one core, on this machine's cores and on a GPU, in one clock.

The clock ticks in *cell times*: one tick is the time one core takes for one output
cell. Each lane says at which tick each output cell is finished (``finish``, counted
from the lane's first tick of computing) and who computed it (``worker``):

- **one core**: the cells one after another in the animation's order, a cell a tick.
- **the CPU's cores**: the cells dealt as ``cpu-parallel`` deals them. Its threads run
  over items (an output row, or a block of :data:`ROWS` rows with stride 1 and dilation
  1) as numba's static ``prange`` schedule would under
  ``numba.parallel_chunksize(CHUNK_ITEMS)`` (OpenMP and workqueue layers): the items are
  cut into ``items // CHUNK_ITEMS`` (at least one per thread) near-equal divisions, and
  thread *t* gets the *t*-th contiguous run of divisions (:func:`numba_deal`, checked
  against numba itself in the tests). Every item is a contiguous run of cells, so each
  core works through one contiguous stretch of the output; the race draws it a cell a
  tick per core.
- **the GPU**: one thread per cell in blocks as :func:`convviz.core.launch.launch_for`
  makes them; a block's threads form warps of 32 in ``threadIdx.x``-fastest order; the
  blocks are dealt to the SMs in turn (block *b* to SM *b* mod SMs), and each SM
  finishes ``cores_per_sm / 32`` warps a tick (a warp's 32 cells in the same tick).
  Before that the lane pays its copy to the device, and after it the copy back, in
  ticks of the same clock: seconds from a measurement, a recorded GPU benchmark or an
  assumed PCIe link (:class:`CopyModel`), divided by the tick's seconds.

A tick's seconds are measured (the one-core run's time over its cells) or assumed
(:data:`ASSUMED_S_PER_MAC` per multiply-add) and said so. Qt-free: the GUI's timer only
moves a tick counter over these arrays; the export draws the same arrays.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.core.launch import BLOCK, launch_for
from convviz.core.timing import Stats, speedup

if TYPE_CHECKING:
    from convviz.core.lessons import Lesson
    from convviz.core.spec import Prepared

#: cpu-parallel's prange items per chunk (``PARALLEL_CHUNK_ROWS`` in backends/cpu.py)
CHUNK_ITEMS = 4
#: output rows per item on cpu-parallel's stride-1 path (``ROWS`` in backends/cpu_rows.py)
ROWS = 3
WARP = 32
#: the lesson's CUDA block (what "Run in parallel" launches on lessons; its one
#: definition): an 8×8 output spans several blocks and the block tints mean something;
#: bigger outputs get the cuda backend's default block
LESSON_BLOCK = (4, 4)
#: a tick's seconds before anything is measured: multiply-adds per cell times this (the
#: one-thread loop's pace on a 2-core AMD EPYC, assets/bench-cpu-2048-amd-epyc-2core.json)
ASSUMED_S_PER_MAC = 3.4e-9
LANES = ("one", "cores", "gpu")


@dataclass(frozen=True)
class CopyModel:
    """Seconds to copy ``n`` bytes one way: ``latency_s + n / bandwidth``."""

    latency_s: float
    bandwidth: float  # bytes per second
    source: str  # "measured", "recorded" or "assumed"

    def seconds(self, nbytes: int) -> float:
        return self.latency_s + nbytes / self.bandwidth


#: no GPU and no recorded benchmark: a PCIe 4.0 x16 link (~25 GB/s in practice) and
#: ~10 µs per copy (driver and DMA set-up), labelled "assumed" wherever shown
ASSUMED_COPY = CopyModel(10e-6, 25e9, "assumed")


@dataclass(frozen=True)
class GpuShape:
    name: str
    sms: int
    cores_per_sm: int
    source: str  # "device", "recorded" or "example"

    @property
    def cores(self) -> int:
        return self.sms * self.cores_per_sm

    @property
    def warps_per_tick(self) -> int:
        return max(1, self.cores_per_sm // WARP)


#: shown, labelled as an example, when neither a GPU nor a recorded benchmark is there
EXAMPLE_GPU = GpuShape("NVIDIA H100", 132, 128, "example")


def race_block(out_shape: tuple[int, int, int]) -> tuple[int, int]:
    """The CUDA block the race launches: the lesson's 4×4 up to 32×32 outputs, as the
    lesson's "Run in parallel" does, else the cuda backend's default."""
    return LESSON_BLOCK if max(out_shape[1:]) <= 32 else BLOCK


def _split(n: int, parts: int) -> list[int]:
    """Sizes of ``parts`` contiguous pieces of ``n``, the larger first (numba's rule)."""
    sizes, cur = [], 0
    for i in range(parts):
        size = (n - cur - 1) // (parts - i) + 1 if n - cur > 0 else 0
        sizes.append(size)
        cur += size
    return sizes


def numba_deal(items: int, threads: int, chunk: int = CHUNK_ITEMS) -> list[tuple[int, int]]:
    """[start, stop) of the prange items each thread runs (numba's static schedule)."""
    if items <= 0:
        return [(0, 0)] * threads
    if items <= threads:
        return [(t, t + 1) if t < items else (items, items) for t in range(threads)]
    divisions = max(items // chunk, threads) if chunk > 0 else threads
    sizes = _split(items, divisions)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    out, d = [], 0
    for per in _split(divisions, threads):
        out.append((int(bounds[d]), int(bounds[d + per])))
        d += per
    return out


@dataclass(frozen=True)
class RaceLane:
    key: str  # one of LANES
    workers: int  # cores, or SMs
    finish: np.ndarray  # (c_out, ho, wo) int: tick (from 1) each cell is done computing
    worker: np.ndarray  # (c_out, ho, wo) int: the core or SM that computed it
    copy_in: int = 0  # ticks before the first cell (the GPU's copy to the device)
    copy_out: int = 0  # ticks after the last (the copy back)

    @property
    def compute(self) -> int:
        return int(self.finish.max()) if self.finish.size else 0

    @property
    def total(self) -> int:
        return self.copy_in + self.compute + self.copy_out

    def done(self, t: int) -> np.ndarray:
        """Which cells are computed at clock tick ``t``."""
        return self.finish + self.copy_in <= t

    def phase(self, t: int) -> str:
        """ "copy in", "compute", "copy out" or "done" at clock tick ``t``."""
        if t >= self.total:
            return "done"
        if t < self.copy_in:
            return "copy in"
        if t < self.copy_in + self.compute:
            return "compute"
        return "copy out"


def one_core_lane(out_shape: tuple[int, int, int]) -> RaceLane:
    n = int(np.prod(out_shape))
    finish = np.arange(1, n + 1, dtype=np.int64).reshape(out_shape)
    return RaceLane("one", 1, finish, np.zeros(out_shape, np.int64))


def cores_lane(
    out_shape: tuple[int, int, int], threads: int, row_blocks: bool, chunk: int = CHUNK_ITEMS
) -> RaceLane:
    """cpu-parallel's deal: ``row_blocks`` for its stride-1, dilation-1 path."""
    c_out, ho, wo = out_shape
    if row_blocks:  # items: blocks of ROWS rows, per output channel
        nb = -(-ho // ROWS)
        item_start = [co * ho * wo + b * ROWS * wo for co in range(c_out) for b in range(nb)]
        items = c_out * nb
    else:  # items: single rows
        items = c_out * ho
        item_start = [r * wo for r in range(items)]
    n = c_out * ho * wo
    item_start.append(n)
    finish = np.zeros(n, np.int64)
    worker = np.zeros(n, np.int64)
    for t, (a, b) in enumerate(numba_deal(items, threads, chunk)):
        lo, hi = item_start[a], item_start[b]
        finish[lo:hi] = np.arange(1, hi - lo + 1)
        worker[lo:hi] = t
    return RaceLane("cores", threads, finish.reshape(out_shape), worker.reshape(out_shape))


def _warp_keys(out_shape: tuple[int, int, int], block: tuple[int, int]) -> tuple[np.ndarray, int]:
    """Per cell, the number of its warp on the whole GPU (block by block, in the launch's
    linear block order; threadIdx.x fastest within a block); and warps per block."""
    gx, gy, _ = launch_for(out_shape, block).grid
    bx, by = block
    co, oy, ox = np.indices(out_shape)
    blk = (ox // bx) + gx * ((oy // by) + gy * co)
    lane = (ox % bx) + bx * (oy % by)
    per_block = -(-(bx * by) // WARP)
    return blk * per_block + lane // WARP, per_block


def warp_count(out_shape: tuple[int, int, int], block: tuple[int, int]) -> int:
    """Warps that have at least one output cell (the others have nothing to do)."""
    return int(np.unique(_warp_keys(out_shape, block)[0]).size)


def gpu_lane(
    out_shape: tuple[int, int, int],
    gpu: GpuShape,
    block: tuple[int, int],
    copy_in: int = 0,
    copy_out: int = 0,
) -> RaceLane:
    """One thread per cell: warps of 32, blocks dealt to SMs in turn."""
    key, per_block = _warp_keys(out_shape, block)
    warps, inverse = np.unique(key.ravel(), return_inverse=True)  # sorted: dealing order
    sm = (warps // per_block) % gpu.sms
    rank = np.zeros(warps.size, np.int64)  # place in its SM's queue
    for s in np.unique(sm):
        idx = np.flatnonzero(sm == s)
        rank[idx] = np.arange(idx.size)
    finish = (rank // gpu.warps_per_tick + 1)[inverse].reshape(out_shape)
    worker = sm[inverse].reshape(out_shape)
    return RaceLane("gpu", gpu.sms, finish, worker, copy_in, copy_out)


@dataclass(frozen=True)
class Race:
    lanes: tuple[RaceLane, RaceLane, RaceLane]  # one core, the CPU's cores, the GPU
    tick_s: float  # seconds of one tick
    tick_measured: bool
    gpu: GpuShape
    copy: CopyModel
    copy_s: tuple[float, float]  # seconds of the copy in and out
    block: tuple[int, int]
    bytes_in: int
    bytes_out: int

    @property
    def length(self) -> int:
        """Ticks until the last lane finishes."""
        return max(lane.total for lane in self.lanes)

    def lane(self, key: str) -> RaceLane:
        return self.lanes[LANES.index(key)]

    def finishing_order(self) -> list[str]:
        """Lane keys, first finished first (a tie keeps the order of LANES)."""
        return sorted(LANES, key=lambda k: (self.lane(k).total, LANES.index(k)))

    @property
    def copy_share(self) -> float:
        """The copies' part of the race's length (the time axis all lanes share): near 1
        where the copy makes the GPU the last to finish, near 0 on big work."""
        g = self.lane("gpu")
        return (g.copy_in + g.copy_out) / self.length if self.length else 0.0


def measured_places(times: dict[str, Stats]) -> dict[str, int]:
    """The place (1: fastest) of each measured lane by its median time. A lane slower
    than the one before it by no more than their spreads shares that lane's place:
    a difference within the noise orders nothing."""
    order = sorted(times, key=lambda k: (times[k].median, LANES.index(k)))
    places: dict[str, int] = {}
    for i, key in enumerate(order):
        prev = order[i - 1] if i else None
        level = prev is not None and speedup(times[key], times[prev]) is None
        places[key] = places[prev] if level and prev is not None else i + 1
    return places


def tick_places(race: Race) -> dict[str, int]:
    """The place of each lane in the model: by its ticks (a tie keeps LANES' order)."""
    return {key: race.finishing_order().index(key) + 1 for key in LANES}


def ticks_of(seconds: float, tick_s: float) -> int:
    """Whole ticks a time takes (at least one for any positive time)."""
    return max(1, math.ceil(seconds / tick_s - 1e-9)) if seconds > 0 else 0


def make_race(
    prep: Prepared,
    threads: int,
    gpu: GpuShape = EXAMPLE_GPU,
    copy: CopyModel = ASSUMED_COPY,
    tick_s: float | None = None,
    copy_s: tuple[float, float] | None = None,
    kernel_s: float | None = None,
) -> Race:
    """The race for a prepared convolution (:class:`convviz.core.spec.Prepared`).

    ``tick_s``: measured seconds per cell on one core (None: assumed from the
    multiply-adds); ``copy_s``: measured seconds of the copies in and out (None: from
    ``copy`` and the bytes); ``kernel_s``: a measured kernel time (launch included),
    which stretches the GPU's warp waves over its ticks when it is longer."""
    s = prep.spec
    out_shape = s.out_shape
    bytes_in = int(prep.x.nbytes + prep.w.nbytes + prep.b.nbytes)
    bytes_out = int(np.prod(out_shape)) * 4
    measured = tick_s is not None and tick_s > 0
    tick = float(tick_s) if measured and tick_s else ASSUMED_S_PER_MAC * max(1, s.taps)
    if copy_s is None:
        copy_s = (copy.seconds(bytes_in), copy.seconds(bytes_out))
    block = race_block(out_shape)
    row_blocks = s.stride == (1, 1) and s.dilation == (1, 1)
    g = gpu_lane(out_shape, gpu, block, ticks_of(copy_s[0], tick), ticks_of(copy_s[1], tick))
    if kernel_s is not None and g.compute and ticks_of(kernel_s, tick) > g.compute:
        stretched = np.ceil(g.finish * (ticks_of(kernel_s, tick) / g.compute)).astype(np.int64)
        g = RaceLane("gpu", g.workers, stretched, g.worker, g.copy_in, g.copy_out)
    lanes = (one_core_lane(out_shape), cores_lane(out_shape, threads, row_blocks), g)
    return Race(lanes, tick, measured, gpu, copy, copy_s, block, bytes_in, bytes_out)


#: the input side a tick is measured on: big enough that a call's fixed costs vanish in
#: the per-cell time (on an 8×8 input they are most of it)
TICK_SIDE = 256
#: input sides the race offers besides the lesson's own input: enough to see the copy
#: dominate small work and vanish on big work, small enough to deal in a blink
SIDES = (16, 32, 64, 128, 256, 512)


def race_prep(lesson: Lesson, side: int | None = None, seed: int = 0) -> Prepared:
    """The lesson's convolution (kernel, bias, stride, padding …) on its own input
    (``side`` None) or on a ``side``×``side`` input of random digits with its channels.
    Raises :class:`convviz.ConvvizError` when the settings do not fit that size."""
    from convviz.core.spec import prepare

    x = lesson.x
    if side is not None:
        shape = (x.shape[0], side, side)
        x = np.random.default_rng(seed).integers(0, 10, shape).astype(np.float32)
    prep: Prepared = prepare(x, lesson.w, lesson.bias, **lesson.conv_kwargs())
    return prep


def gpu_from_device_text(text: str) -> GpuShape | None:
    """The GPU from the cuda backend's device line ("NVIDIA H100 …, 132 SMs, compute 9.0");
    128 FP32 cores per SM (sm_80 and later, the consumer parts and sm_90)."""
    m = re.match(r"^(.*?), (\d+) SMs", text or "")
    return GpuShape(m.group(1), int(m.group(2)), 128, "device") if m else None


# -- a GPU benchmark recorded on another machine ------------------------------------------
#: where a recorded benchmark is looked for: the package's assets (installed with it),
#: then the repository's (next to the screenshots)
ASSETS = (
    Path(__file__).resolve().parents[1] / "assets",
    Path(__file__).resolve().parents[2] / "assets",
)


def recorded_gpu(
    paths: Iterable[Path | str] | None = None,
) -> tuple[GpuShape, CopyModel, str] | None:
    """(GPU, copy model, file name) from the first benchmark JSON recorded on a real GPU
    (``convviz bench --json``: ``machine.gpu`` and ``cuda`` rows with phases), or None."""
    if paths is None:
        paths = [
            p for folder in ASSETS if folder.is_dir() for p in sorted(folder.glob("bench-*.json"))
        ]
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            found = _from_bench(data)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            continue
        if found is not None:
            return found[0], found[1], Path(path).name
    return None


def _from_bench(data: dict[str, Any]) -> tuple[GpuShape, CopyModel] | None:
    info = (data.get("machine") or {}).get("gpu")
    if not info or not info.get("sm_count"):
        return None
    points: list[tuple[float, float]] = []  # (bytes, seconds) of single copies
    for row in data.get("results", []):
        ph = row.get("phases") or {}
        if row.get("name") != "cuda" or row.get("simulated") or "h2d" not in ph:
            continue
        nbytes = 4.0 * int(row["size"]) ** 2 * int(row.get("channels") or 1)
        points += [(nbytes, float(ph["h2d"])), (nbytes, float(ph["d2h"]))]
    if not points:
        return None
    gpu = GpuShape(str(info.get("name", "GPU")), int(info["sm_count"]), 128, "recorded")
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    if np.ptp(xs) > 0:
        slope, latency = np.polyfit(xs, ys, 1)
    else:
        latency = min(ASSUMED_COPY.latency_s, float(ys.min()) / 2)
        slope = (float(ys.mean()) - latency) / float(xs[0])
    if slope <= 0:
        return None
    return gpu, CopyModel(max(0.0, float(latency)), 1.0 / float(slope), "recorded")
