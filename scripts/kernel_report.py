"""What the compiler makes of the CUDA kernels, without a GPU: a table of predictions.

For each backend and case the kernel ``get(name).compute(prep)`` would launch is
compiled to PTX for sm_90 (``convviz.backends.ptx_for``), then to machine code by
ptxas through nvJitLink, and disassembled by nvdisasm. Printed per kernel:
registers, spill bytes, shared memory per block, resident blocks per SM on sm_90,
SASS instructions per FFMA on the hot path, and a lower-bound time from this model:

    time >= max(issue, dram)
    issue = (hot-path instructions per FFMA × multiply-adds) / 32 lanes
            / (SMs × 4 schedulers × clock)       one warp instruction a cycle each
    dram  = bytes that must move (input read once, weights, output written once)
            / copy bandwidth

beside the copy-bandwidth floor (the time a device-to-device copy of the input and
output takes). Every figure is a PREDICTION until a GPU measures it.

    .venv/bin/python scripts/kernel_report.py [--markdown] [--cases 3x3,layer]

Needs NVVM (numba-cuda[cu13]), nvJitLink (nvidia-nvjitlink) and nvdisasm
(nvidia-cuda-nvdisasm); no GPU.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import numpy as np

from convviz import backends
from convviz.backends.cuda_inspect import KernelFacts, blocks_per_sm, inspect_ptx
from convviz.backends.cuda_ptx import ptx_many
from convviz.core.spec import Prepared, prepare

#: the H200 the figures are predicted for (the device this project's GPU checks use)
SMS, CLOCK_HZ, SCHEDULERS = 132, 1.98e9, 4
COPY_BANDWIDTH = 4.3e12  # bytes/s a device-to-device copy reaches (read + write)

CASES = {
    "3x3": ("3×3 on 8192²", 8192, 1, 1, 3),
    "7x7": ("7×7 on 8192²", 8192, 1, 1, 7),
    "15x15": ("15×15 on 8192²", 8192, 1, 1, 15),
    "layer": ("64→64, 3×3 on 512²", 512, 64, 64, 3),
}
NAMES = ("cuda", "cuda-tiled")


@dataclass
class Row:
    backend: str
    case: str
    facts: KernelFacts
    threads: int
    shared: int
    blocks: int
    model_s: float
    floor_s: float
    macs: int


def case_prep(key: str) -> Prepared:
    _, n, c_in, c_out, k = CASES[key]
    x = np.zeros((c_in, n, n), np.float32) if c_in > 1 else np.zeros((n, n), np.float32)
    w = np.zeros((c_out, c_in, k, k), np.float32) if c_in > 1 else np.zeros((k, k), np.float32)
    return prepare(x, w, padding="same")


def model(prep: Prepared, facts: KernelFacts) -> tuple[float, float]:
    """(lower-bound time, copy-bandwidth floor) in seconds, as in the module doc."""
    s = prep.spec
    issue = facts.per_ffma * s.macs / 32 / (SMS * SCHEDULERS * CLOCK_HZ)
    moved = 4 * (prep.x.size + prep.w.size + s.cells)
    floor = 4 * (prep.x.size + s.cells) / COPY_BANDWIDTH
    return max(issue, moved / COPY_BANDWIDTH), floor


def collect(keys: list[str]) -> list[Row]:
    preps = {k: case_prep(k) for k in keys}
    requests = [(name, preps[k]) for k in keys for name in NAMES]
    ptxs = ptx_many([(backends.get(name), prep) for name, prep in requests])
    rows = []
    for (name, prep), ptx, key in zip(requests, ptxs, [k for k in keys for _ in NAMES]):
        facts = inspect_ptx(ptx)
        be = backends.get(name)
        lau = be.launch(prep)
        threads = lau.block[0] * lau.block[1] * lau.block[2]
        dyn = be.shared_bytes(prep) if hasattr(be, "shared_bytes") else 0
        shared = dyn + facts.static_shared
        t, floor = model(prep, facts)
        blocks = blocks_per_sm(threads, facts.registers, shared)
        rows.append(
            Row(name, CASES[key][0], facts, threads, shared, blocks, t, floor, prep.spec.macs)
        )
    return rows


HEAD = (
    "backend",
    "case",
    "registers",
    "spill bytes",
    "shared B/block",
    "blocks/SM",
    "SASS instr/FFMA",
    "model µs",
    "copy floor µs",
    "% of copy bw",
    "model TFLOP/s",
)


def cells(r: Row) -> list[str]:
    f = r.facts
    return [
        f"`{r.backend}`",
        r.case,
        str(f.registers),
        str(f.spill_bytes),
        f"{r.shared:,}",
        str(r.blocks),
        f"{f.per_ffma:.2f}",
        f"{r.model_s * 1e6:,.0f}",
        f"{r.floor_s * 1e6:,.0f}",
        f"{100 * r.floor_s / r.model_s:.0f}%",
        f"{2 * r.macs / r.model_s / 1e12:.1f}",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (for README)")
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ",".join(CASES))
    args = ap.parse_args(argv)
    keys = [k for k in args.cases.split(",") if k]
    unknown = [k for k in keys if k not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {unknown}; choose from {list(CASES)}")
    rows = collect(keys)
    table = [list(HEAD)] + [cells(r) for r in rows]
    if args.markdown:
        print("| " + " | ".join(HEAD) + " |")
        print("|" + "---|" * len(HEAD))
        for line in table[1:]:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(line[i]) for line in table) for i in range(len(HEAD))]
        for line in table:
            print("  ".join(v.ljust(w) for v, w in zip(line, widths)))
    print(
        f"\nPredictions for sm_90 (H200: {SMS} SMs, {CLOCK_HZ / 1e9:.2f} GHz, "
        f"{COPY_BANDWIDTH / 1e12:.1f} TB/s copy), not measurements."
    )
    bad = [r for r in rows if r.facts.f64 or r.facts.spill_bytes]
    for r in bad:
        print(f"WARNING {r.backend} {r.case}: spills or float64", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
