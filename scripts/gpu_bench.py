"""What shared memory buys: `cuda` vs `cuda-tiled` vs CuPy and cuDNN on one GPU, one run.

Every time here comes from the one GPU timing protocol of
:mod:`convviz.backends.gpu_timing`: buffers (pinned on the host) allocated and kernels
compiled first; each launch queued behind GPU work between two CUDA events on its
stream, so the figure is GPU time, not Python's launch path; the GPU kept busy for
0.5 s before the samples; medians of repeats. The end-to-end time (allocation,
pageable copies, launch, copy back: what a user waits for) is reported beside it.

Measures the device's copy bandwidth (device-to-device), then for float32 8192²
single-channel inputs with 3×3, 7×7 and 15×15 kernels, and a layer-shaped case
(64 → 64 channels, 3×3, 512²): kernel times of `cuda` and `cuda-tiled`, achieved GB/s
(input read once + output written once: the least any kernel must move) and GFLOP/s
(2 per multiply-add), % of the measured copy bandwidth, and
`cupyx.scipy.ndimage.correlate` and `torch.nn.functional.conv2d` (cuDNN in FP32, and
in TF32 as a separate row) in the same run. Writes the JSON the app's benchmark view
opens (schema ``convviz-bench/1``: every row has every key of the schema;
``machine.gpu`` is the GPU's info or null).

    python scripts/gpu_bench.py [--quick] [--json FILE] [--repeats N]

``--quick`` uses tiny sizes so the script itself can be checked on Numba's CUDA
simulator (its times mean nothing there and are flagged simulated).
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from convviz import backends  # noqa: E402  (chooses the CUDA device before numba loads)
from convviz.backends import gpu_timing  # noqa: E402
from convviz.bench.peers import PEERS, cudnn_padding  # noqa: E402
from convviz.core import device, sysinfo  # noqa: E402
from convviz.core.spec import prepare  # noqa: E402

CUPY = "cupyx.scipy.ndimage.correlate"
TORCH_FP32 = "torch.conv2d (cuDNN, FP32)"
TORCH_TF32 = "torch.conv2d (cuDNN, TF32)"


def walls(run, repeats):
    """Median/min/max seconds of ``run()`` on the host clock: the end-to-end time."""
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        run()
        samples.append((time.perf_counter_ns() - t0) * 1e-9)
    return statistics.median(samples), min(samples), max(samples)


def copy_bandwidth(nbytes, simulated, repeats):
    """Device-to-device copy GB/s (bytes read + written), after 0.5 s of copies."""
    from convviz.backends.cuda_toolchain import cuda

    src = cuda.to_device(np.ones(nbytes // 4, np.float32))
    dst = cuda.device_array_like(src)
    stream = gpu_timing.launch_stream()
    steps = [("copy", lambda: dst.copy_to_device(src, stream=stream))]
    t = gpu_timing.time_steps(steps, repeats=repeats, warmup=1, simulated=simulated)
    return 2 * nbytes / t.phases["copy"].median / 1e9, t.clock


def time_backend(name, prep, repeats, warmup):
    be = backends.get(name)
    be.check(prep)
    out, rec = be.run(prep, repeats=repeats, warmup=warmup)
    lau = be.launch(prep)
    return {
        "out": out,
        "phases": rec.phases,
        "e2e": (rec.total.median, rec.total.min, rec.total.max),
        "compile_s": rec.compile_s,
        "clock": rec.clock,
        "note": be.note(prep),
        "launch": f"grid {lau.grid} block {lau.block} cells/thread {lau.cells_per_thread}",
    }


def time_cupy(prep, repeats, warmup):
    if prep.spec.c_in != 1 or prep.spec.c_out != 1:
        raise RuntimeError("cupyx.scipy.ndimage.correlate filters one channel; not a layer")
    _, run, phases = PEERS[CUPY][0](prep.x, prep.w[0, 0])
    out = run()
    return _peer_result(out, run, phases, repeats, warmup)


def time_torch(prep, repeats, warmup, tf32):
    import torch
    import torch.nn.functional as F

    if not torch.cuda.is_available():
        raise RuntimeError("torch has no CUDA device")
    torch.backends.cudnn.benchmark = True
    s = prep.spec
    xh = torch.from_numpy(prep.x)[None]
    w = torch.from_numpy(prep.w).cuda()
    b = torch.from_numpy(prep.b).cuda()
    if s.padding_mode != "zeros" and any(s.padding):
        raise RuntimeError(f"cuDNN pads only with zeros, not {s.padding_mode!r}")
    pad, (r0, c0) = cudnn_padding(s.padding, s.stride)  # cuDNN pads: no F.pad copy timed
    rows, cols = s.out_shape[1:]

    def precision():  # the FP32 and TF32 rows share these flags: set before each call
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = tf32

    def conv(t):
        y = F.conv2d(t, w, b, stride=s.stride, padding=pad, dilation=s.dilation, groups=s.groups)
        return y[..., r0 : r0 + rows, c0 : c0 + cols]

    def run():
        precision()
        with torch.no_grad():
            y = conv(xh.cuda())[0].cpu().numpy()
        torch.cuda.synchronize()
        return y

    def phases(repeats, warmup):
        precision()
        xpin, xd = xh.pin_memory(), torch.empty_like(xh, device="cuda")
        with torch.no_grad():
            held = [conv(xd)]
        ypin = torch.empty(held[0].shape, dtype=held[0].dtype, pin_memory=True)

        def kernel():
            with torch.no_grad():
                held[0] = conv(xd)

        steps = [
            ("h2d", lambda: xd.copy_(xpin, non_blocking=True)),
            ("kernel", kernel),
            ("d2h", lambda: ypin.copy_(held[0], non_blocking=True)),
        ]
        t = gpu_timing.time_steps(steps, repeats=repeats, warmup=warmup)
        return {k: v.median for k, v in t.phases.items()}  # as convviz bench's peers

    return _peer_result(run(), run, phases, repeats, warmup)


def _peer_result(out, run, phases, repeats, warmup):
    for _ in range(warmup):
        run()
    e2e = walls(run, repeats)
    phases(repeats, warmup)
    times = gpu_timing.last_times()  # the protocol's whole answer: min, max and its clock
    return {"out": out, "phases": times.phases, "e2e": e2e, "clock": times.clock}


def cases(quick):
    rng = np.random.default_rng(0)
    size, layer, kernels = (24, (2, 8), (3,)) if quick else (8192, (64, 512), (3, 7, 15))
    out = []
    for k in kernels:
        x = rng.random((size, size), np.float32)
        w = rng.standard_normal((k, k)).astype(np.float32)
        out.append((f"{size}² {k}×{k}", prepare(x, w, padding="same"), k, 1, size))
    c, hw = layer
    x = rng.standard_normal((c, hw, hw)).astype(np.float32)
    w = (rng.standard_normal((c, c, 3, 3)) * 0.05).astype(np.float32)
    out.append((f"layer {c}→{c} 3×3 {hw}²", prepare(x, w, padding=1), 3, c, hw))
    return out


def row_for(name, kind, t, label, k, ch, sz, sim, dev):
    row = {
        "name": name,
        "kind": kind,
        "device": dev,
        "simulated": sim,
        "size": sz,
        "kernel": k,
        "channels": ch,
        "case": label,
        "median_s": None,
        "min_s": None,
        "max_s": None,
        "compile_s": None,
        "phases": None,
        "max_abs_err": None,
        "ratio_to_fastest": None,
    }  # every key, as the schema
    if "error" in t:
        row.update(status="skipped", reason=t["error"])
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes (simulator smoke test)")
    ap.add_argument("--json", default="bench-gpu.json")
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args(argv)
    cuda_be = backends.get("cuda")
    if not cuda_be.available:
        print(f"no CUDA: {cuda_be.reason}", file=sys.stderr)
        return 2
    sim = cuda_be.simulated
    repeats, warmup = (1, 0) if args.quick else (args.repeats, 2)
    bw, bw_clock = copy_bandwidth((1 << 16) if args.quick else (1 << 30), sim, repeats)
    print(f"device: {cuda_be.device}{' (SIMULATED: times are not GPU times)' if sim else ''}")
    print(f"copy bandwidth (device→device, read+write, after 0.5 s busy): {bw:,.1f} GB/s")
    print(f"timing: {bw_clock}; e2e = allocation + pageable copies + launch + copy back")
    choice = device.choose()
    gpu = None
    if not sim:
        from convviz.backends.cuda import gpu_info

        gpu = gpu_info()
    doc = {
        "schema": "convviz-bench/1",
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpu": sysinfo.cpu_model(),
            "cores": sysinfo.cpu_cores(),
            "gpu": gpu,
            "versions": sysinfo.versions(),
            "device_choice": {
                "requested": choice.requested,
                "mode": choice.mode,
                "reason": choice.reason,
            },
            "copy_bandwidth_gbps": bw,
        },
        "config": {
            "source": "scripts/gpu_bench.py",
            "repeats": repeats,
            "quick": args.quick,
            "timing": "median_s: kernel alone, CUDA events, launches queued behind GPU work, "
            "after 0.5 s busy; e2e_s: end to end on the host clock",
        },
        "results": [],
    }
    results = doc["results"]
    for label, prep, k, ch, sz in cases(args.quick):
        s = prep.spec
        moved, flops = 4 * (prep.x.size + s.cells), 2 * s.macs
        print(f"\n{label}: {s.cells:,} outputs, {s.macs / 1e9:.2f} G multiply-adds")
        timed = [
            (n, "backend", time_backend, (n, prep, repeats, warmup)) for n in ("cuda", "cuda-tiled")
        ]
        if not sim:
            timed.append((CUPY, "peer", time_cupy, (prep, repeats, warmup)))
            timed.append((TORCH_FP32, "peer", time_torch, (prep, repeats, warmup, False)))
            timed.append((TORCH_TF32, "peer", time_torch, (prep, repeats, warmup, True)))
        ref = None
        for name, kind, fn, fargs in timed:
            try:
                t = fn(*fargs)
            except Exception as exc:  # report, keep going
                t = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
            row = row_for(name, kind, t, label, k, ch, sz, sim, cuda_be.device)
            results.append(row)
            if "error" in t:
                print(f"  {name:30s} skipped: {t['error']}")
                continue
            if ref is None:
                ref = backends.get("cpu-parallel").compute(prep)
            err = float(np.abs(t["out"] - ref).max())
            kern = t["phases"]["kernel"]
            gbps, gflops = moved / kern.median / 1e9, flops / kern.median / 1e9
            row.update(
                status="ok",
                reason=t.get("note", ""),
                median_s=kern.median,
                min_s=kern.min,
                max_s=kern.max,
                compile_s=t.get("compile_s"),
                phases={p: v.median for p, v in t["phases"].items()},
                e2e_s=t["e2e"][0],
                clock=t["clock"],
                max_abs_err=err,
                gbps=gbps,
                gflops=gflops,
                pct_copy_bw=100 * gbps / bw,
                launch=t.get("launch"),
            )
            print(
                f"  {name:30s} kernel {kern.median * 1e3:9.3f} ms  {gbps:8.1f} GB/s "
                f"({100 * gbps / bw:5.1f}% of copy)  {gflops:9.1f} GFLOP/s  "
                f"e2e {t['e2e'][0] * 1e3:9.3f} ms  max|Δ| {err:.2g}  "
                f"{t.get('launch', '')} {t.get('note', '')}"
            )
            if t["clock"] not in (gpu_timing.CLOCK_EVENTS, gpu_timing.CLOCK_HOST):
                print(f"  {'':30s} ({t['clock']})")
        ok = [r for r in results if r["case"] == label and r["status"] == "ok"]
        fastest = min((r["median_s"] for r in ok), default=None)
        for r in ok:
            r["ratio_to_fastest"] = r["median_s"] / fastest
        Path(args.json).write_text(json.dumps(doc, indent=1))  # kept if a later case stalls
    Path(args.json).write_text(json.dumps(doc, indent=1))
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
