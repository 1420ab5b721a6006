"""What the compiler makes of the CUDA kernels, without a GPU: a table of predictions.

For each backend and case the kernel ``get(name).compute(prep)`` would launch is
compiled to PTX for sm_90 (``convviz.backends.ptx_for``), then to machine code by
ptxas through nvJitLink, and disassembled by nvdisasm; so are its interior path
alone and its border path alone. Printed per kernel: registers, spill bytes,
shared memory per block, resident blocks per SM on sm_90, SASS instructions a
thread issues per output (loops times their trip counts, tile copies and barriers
included) on the interior path, on the border path and weighed by the share of
threads on each, the 32-byte sectors per output its global accesses move, and a
predicted time, the largest of issue, DRAM and sector time
(:mod:`convviz.backends.cuda_model`), beside the copy-bandwidth floor. Every figure
is a PREDICTION until a GPU measures it.

    .venv/bin/python scripts/kernel_report.py [--markdown] [--cases 3x3,layer]

Needs NVVM (numba-cuda[cu13]), nvJitLink (nvidia-nvjitlink) and nvdisasm
(nvidia-cuda-nvdisasm); no GPU.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from convviz import backends
from convviz.backends.cuda_inspect import KernelFacts, blocks_per_sm, inspect_ptx
from convviz.backends.cuda_model import (
    CLOCK_HZ,
    COPY_BANDWIDTH,
    SMS,
    Prediction,
    predict,
    trips_for,
)
from convviz.backends.cuda_ptx import ptx_many
from convviz.core.spec import Prepared, prepare

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
    pred: Prediction
    macs: int


def case_prep(key: str) -> Prepared:
    _, n, c_in, c_out, k = CASES[key]
    x = np.zeros((c_in, n, n), np.float32) if c_in > 1 else np.zeros((n, n), np.float32)
    w = np.zeros((c_out, c_in, k, k), np.float32) if c_in > 1 else np.zeros((k, k), np.float32)
    return prepare(x, w, padding="same")


PATHS = ("all", "interior", "border")


def collect(keys: list[str]) -> list[Row]:
    preps = {k: case_prep(k) for k in keys}
    jobs = [(name, k) for k in keys for name in NAMES]
    cuda: dict[str, Any] = {name: backends.get(name) for name in NAMES}  # CudaBackend
    requests = [(cuda[name].with_paths(paths), preps[k]) for name, k in jobs for paths in PATHS]
    ptxs = ptx_many(requests)
    rows = []
    for i, (name, key) in enumerate(jobs):
        prep = preps[key]
        be = cuda[name]
        lau = be.launch(prep)
        trips = trips_for(be, prep)
        facts = [inspect_ptx(p, trips=trips, block_x=lau.block[0]) for p in ptxs[3 * i : 3 * i + 3]]
        threads = lau.block[0] * lau.block[1] * lau.block[2]
        dyn = be.shared_bytes(prep) if hasattr(be, "shared_bytes") else 0
        shared = dyn + facts[0].static_shared
        blocks = blocks_per_sm(threads, facts[0].registers, shared)
        pred = predict(be, prep, facts[1], facts[2])
        rows.append(
            Row(name, CASES[key][0], facts[0], threads, shared, blocks, pred, prep.spec.macs)
        )
    return rows


HEAD = (
    "backend",
    "case",
    "registers",
    "spill bytes",
    "shared B/block",
    "blocks/SM",
    "instr/output interior",
    "instr/output border (share)",
    "instr/output",
    "sectors/output",
    "bound",
    "predicted µs",
    "copy floor µs",
    "% of copy bw",
    "predicted TFLOP/s",
)


def cells(r: Row) -> list[str]:
    f, p = r.facts, r.pred
    return [
        f"`{r.backend}`",
        r.case,
        str(f.registers),
        str(f.spill_bytes),
        f"{r.shared:,}",
        str(r.blocks),
        f"{p.interior:,.1f}",
        f"{p.border:,.1f} ({100 * (1 - p.interior_share):.2g}%)",
        f"{p.instructions:,.1f}",
        f"{p.sector_bytes / 32:,.2f}",
        p.bound,
        f"{p.time_s * 1e6:,.0f}",
        f"{p.floor_s * 1e6:,.0f}",
        f"{100 * p.copy_share:.0f}%",
        f"{2 * r.macs / p.time_s / 1e12:.1f}",
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
        f"\nPREDICTIONS for sm_90 (H200: {SMS} SMs, {CLOCK_HZ / 1e9:.2f} GHz, "
        f"{COPY_BANDWIDTH / 1e12:.1f} TB/s copy), not measurements."
    )
    bad = [r for r in rows if r.facts.f64 or r.facts.uses_local_memory]
    for r in bad:
        print(f"WARNING {r.backend} {r.case}: local memory or float64", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
