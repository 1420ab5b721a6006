"""``convviz bench`` on the command line: its options and the table it prints."""

from __future__ import annotations

import json
from pathlib import Path

from convviz.bench.curves import BYTES_PER_PIXEL, physical_memory
from convviz.bench.runner import DEFAULT_CONFIG, make_config, run_benchmark
from convviz.cli_options import int_list, positive
from convviz.errors import ConvvizError


def format_table(data: dict) -> list[str]:
    from convviz.core.timing import fmt_seconds

    m = data["machine"]
    gpu = m["gpu"]["name"] if m.get("gpu") else "none"
    lines = [
        f"CPU {m['cpu']}, {m['cores']} cores; GPU {gpu}; CUDA backend: "
        f"{m['device_choice']['mode']}",
        f"at least {data['config']['repeats']} timed runs after {data['config']['warmup']} "
        "warm-up, interleaved, until the spread is small; padding same, zeros; float32",
        "one fresh output each; median: our backends through convviz.conv2d (compute: through "
        "compute()); ratio = median / fastest median; spread = interquartile range / median",
    ]
    head = (
        f"{'name':30s} {'median':>9s} {'min':>9s} {'max':>9s} {'spread':>6s} {'ratio':>8s} "
        f"{'compute':>9s} {'compile':>11s} {'max|err|':>9s}  device"
    )
    groups: dict[tuple, list] = {}
    for r in data["results"]:
        groups.setdefault((r["size"], r["kernel"], r["channels"]), []).append(r)
    for (size, k, c), rows in groups.items():
        lines += ["", f"== {c}×{size}×{size}, kernel {k}×{k} ==", head]
        for r in rows:
            name = r["name"] + (" (simulated)" if r["simulated"] else "")
            if r["status"] == "ok":
                comp = fmt_seconds(r["compile_s"]) if r["compile_s"] is not None else "-"
                comp += {True: " c", False: " j"}.get(r.get("compile_cached"), "")
                inner = r.get("compute_median_s")
                spread = r.get("spread")
                lines.append(
                    f"{name:30s} {fmt_seconds(r['median_s']):>9s} "
                    f"{fmt_seconds(r['min_s']):>9s} {fmt_seconds(r['max_s']):>9s} "
                    f"{'-' if spread is None else format(spread, '.0%'):>6s} "
                    f"{_fmt_ratio(r['ratio_to_fastest']):>8s} "
                    f"{'-' if inner is None else fmt_seconds(inner):>9s} {comp:>11s} "
                    f"{r['max_abs_err']:9.2g}  {r['device']}"
                )
            else:
                lines.append(f"{name:30s} {r['status'].upper()}: {r['reason']}")
    if any(r["simulated"] and r["status"] == "ok" for r in data["results"]):
        lines += ["", "(simulated) = Numba's CUDA simulator on the CPU: not a GPU timing"]
    if any(r.get("compile_cached") is not None for r in data["results"]):
        lines += ["compile: j = compiled by numba, c = loaded from numba's cache"]
    for text in data.get("warnings") or []:
        lines.append(f"warning: {text}")
    return lines


def available_memory() -> int | None:
    """Bytes the OS could give us now without swapping (Linux: MemAvailable), else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def fmt_bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_memory(
    sizes: list[int],
    kernels: list[int],
    channels: int,
    total: int | None = None,
    free: int | None = None,
) -> None:
    """Refuse, before anything is allocated, a problem that the memory cannot hold: the
    largest size's input, output and float64 reference (``BYTES_PER_PIXEL`` a padded
    pixel) against the memory free now (``free``) and in all (``total``)."""
    total = physical_memory() if total is None else total
    free = available_memory() if free is None else free
    side = max(sizes) + max(kernels) - 1  # padding "same"
    need = channels * side * side * BYTES_PER_PIXEL
    have = free if free is not None else total
    if have is None or need <= have:
        return
    has = f"this machine has {fmt_bytes(total)}" if total is not None else "this machine has"
    if free is not None:
        has += f" ({fmt_bytes(free)} free)" if total is not None else f" {fmt_bytes(free)} free"
    raise ConvvizError(
        f"--sizes {max(sizes)}: a {channels}×{max(sizes)}×{max(sizes)} problem needs about "
        f"{fmt_bytes(need)} ({BYTES_PER_PIXEL} bytes a pixel: input, output, the float64 "
        f"reference); {has}"
    )


def _fmt_ratio(r) -> str:
    if r is None:
        return "-"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×" if r < 1e4 else f"{r:.2g}×"


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="time the backends (and peer libraries) side by side")
    p.add_argument(
        "--sizes",
        type=int_list,
        default=DEFAULT_CONFIG["sizes"],
        help="square input sizes (default 256,1024,2048)",
    )
    p.add_argument(
        "--kernels",
        type=int_list,
        default=DEFAULT_CONFIG["kernels"],
        help="square kernel sizes (default 3,7,15)",
    )
    p.add_argument("--channels", type=positive, default=1, help="input channels (default 1)")
    p.add_argument(
        "--backends",
        default=",".join(DEFAULT_CONFIG["backends"]),
        help="comma-separated (default cpu,cpu-parallel,cuda)",
    )
    p.add_argument(
        "--peers",
        action="store_true",
        help="also time scipy, OpenCV, PyTorch (and CuPy/PyTorch on a GPU)",
    )
    p.add_argument("--repeats", type=positive, default=5, help="timed runs at least (default 5)")
    p.add_argument(
        "--threads",
        type=positive,
        default=None,
        help="CPU threads for numba, OpenCV and PyTorch (default all cores)",
    )
    p.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_CONFIG["budget_s"],
        help="seconds of extra runs per problem while the spread is large (default 3)",
    )
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.set_defaults(handler=run_bench)


def run_bench(args) -> int:
    import os
    import sys

    # as the app: idle OpenMP threads sleep instead of spinning against the next row's
    # library (a user's own choice wins); before numba loads its threading layer
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    check_memory(args.sizes, args.kernels, args.channels)
    cfg = make_config(
        sizes=args.sizes,
        kernels=args.kernels,
        channels=args.channels,
        backends=names,
        peers=args.peers,
        repeats=args.repeats,
        threads=args.threads,
        budget_s=args.budget,
    )
    out = Path(args.json) if args.json else None
    if out is not None and out.parent and not out.parent.is_dir():
        raise ConvvizError(f"cannot write {out}: folder {out.parent} does not exist")

    def progress(done, total, text):
        if sys.stderr.isatty():
            print(f"\r[{done}/{total}] {text:60.60s}", end="", file=sys.stderr, flush=True)

    data = run_benchmark(cfg, progress=progress)
    if sys.stderr.isatty():
        print("\r" + " " * 72 + "\r", end="", file=sys.stderr)
    print("\n".join(format_table(data)))
    if out is not None:
        out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {out}")
    return 0
