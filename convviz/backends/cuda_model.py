"""A CUDA kernel's time predicted from what the compiler made of it (no GPU).

Per output cell, from the SASS of the kernel's interior path and of its border path
(each compiled alone, :meth:`CudaBackend.with_paths`), weighed by the share of
threads that take each:

    time = max(issue, dram, sectors)
    issue   = instructions per output × outputs / 32 lanes / (SMs × 4 schedulers × clock)
    dram    = (input + weights + output bytes) / DRAM bandwidth
    sectors = 32-byte sectors per output that the global loads and stores move through
              L1 (a coalesced warp access: 4, a broadcast: 1, a transposed one: 32)
              / (SMs × 128 bytes a clock)

beside the copy floor (the time a device-to-device copy of the input and output
takes), so "% of copy bandwidth" is below 100 % wherever a kernel is slower than a
copy. Every figure is a PREDICTION until a GPU measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convviz.backends.cuda_naive import inside_range
from convviz.backends.cuda_paths import Trips
from convviz.backends.cuda_tiled_source import inside_blocks

#: the H200 the figures are predicted for (the device this project's GPU checks use)
SMS, CLOCK_HZ, SCHEDULERS = 132, 1.98e9, 4
COPY_BANDWIDTH = 4.3e12  # bytes/s a device-to-device copy reaches (read + write)
L1_BYTES_PER_CLOCK = 128  # per SM: four 32-byte sectors a clock


def _tiled_plan(be: Any, prep: Any) -> Any:
    plan = be.plan(prep) if hasattr(be, "plan") else None
    return None if plan is None or plan.reason else plan


def trips_for(be: Any, prep: Any) -> Trips:
    """The trip counts of the loops the kernel for ``prep`` may keep (cuda_paths.Trips)."""
    s = prep.spec
    cin_g = s.c_in // s.groups
    plan = _tiled_plan(be, prep)
    if plan is None:  # one thread per cell: input channels, kernel rows, kernel columns
        levels = tuple(n for n in (cin_g, s.kh, s.kw) if n > 1)
        taps = s.c_out * cin_g * s.kh * s.kw
        return Trips(levels, other=taps, total_ffma=cin_g * s.kh * s.kw)
    threads = plan.block[0] * plan.block[1]
    levels = tuple(n for n in (cin_g, s.kh) if n > 1)
    copy = -(-plan.ih * plan.iw // threads)  # the edge tile's copy loop
    return Trips(levels, other=copy, total_ffma=plan.rows * plan.cob * cin_g * s.kh * s.kw)


def cells_per_thread(be: Any, prep: Any) -> int:
    plan = _tiled_plan(be, prep)
    return 1 if plan is None else plan.rows * plan.cob


def interior_share(be: Any, prep: Any) -> float:
    """The share of the working threads that take the interior path."""
    s: Any = prep.spec
    (sy, sx), (dy, dx), pad = s.stride, s.dilation, s.padding
    plan = _tiled_plan(be, prep)
    if plan is None:
        y0, y1 = inside_range(s.h, s.kh, sy, dy, pad[0])
        x0, x1 = inside_range(s.w, s.kw, sx, dx, pad[2])
        return float(max(0, y1 - y0) * max(0, x1 - x0) / (s.out_h * s.out_w))
    th, tw = plan.tile
    y0, y1 = inside_blocks(s.h, th, plan.ih, sy, pad[0])
    x0, x1 = inside_blocks(s.w, tw, plan.iw, sx, pad[2])
    blocks = -(-s.out_h // th) * -(-s.out_w // tw)
    return float(max(0, y1 - y0) * max(0, x1 - x0) / blocks)


@dataclass(frozen=True)
class Prediction:
    instructions: float  # per output, interior and border weighed by their shares
    interior: float  # per output on the interior path
    border: float  # per output on the border path
    interior_share: float
    sector_bytes: float  # per output
    issue_s: float
    dram_s: float
    sectors_s: float
    floor_s: float

    @property
    def time_s(self) -> float:
        return max(self.issue_s, self.dram_s, self.sectors_s)

    @property
    def bound(self) -> str:
        terms = {"issue": self.issue_s, "DRAM": self.dram_s, "sectors": self.sectors_s}
        return max(terms, key=lambda k: terms[k])

    @property
    def copy_share(self) -> float:
        """The copy floor over the predicted time: 1.0 is a kernel as fast as a copy."""
        return self.floor_s / self.time_s


def predict(be: Any, prep: Any, interior: Any, border: Any) -> Prediction:
    """The prediction for ``prep`` from the KernelFacts of the interior and border paths."""
    s = prep.spec
    cells = cells_per_thread(be, prep)
    share = interior_share(be, prep)

    def weigh(f_in: float, f_bd: float) -> float:
        return (share * f_in + (1 - share) * f_bd) / cells

    per_out = weigh(interior.instructions, border.instructions)
    sector_bytes = weigh(interior.sector_bytes(), border.sector_bytes())
    outputs = s.cells
    issue = per_out * outputs / 32 / (SMS * SCHEDULERS * CLOCK_HZ)
    moved = 4 * (prep.x.size + prep.w.size + outputs)
    floor = 4 * (prep.x.size + outputs) / COPY_BANDWIDTH
    l1 = SMS * L1_BYTES_PER_CLOCK * CLOCK_HZ
    return Prediction(
        instructions=per_out,
        interior=interior.instructions / cells,
        border=border.instructions / cells,
        interior_share=share,
        sector_bytes=sector_bytes,
        issue_s=issue,
        dram_s=moved / COPY_BANDWIDTH,
        sectors_s=sector_bytes * outputs / l1,
        floor_s=floor,
    )
