"""What shared memory buys: `cuda` vs `cuda-tiled` vs CuPy and cuDNN on one GPU, one run.

Measures the device's copy bandwidth (device-to-device), then for float32
8192² single-channel inputs with 3×3, 7×7 and 15×15 kernels, and a
layer-shaped case (64 → 64 channels, 3×3, 512²): kernel-only times of `cuda`
and `cuda-tiled` (CUDA events, median of repeats), achieved GB/s (input read
once + output written once: the least any kernel must move) and GFLOP/s
(2 per multiply-add), % of the measured copy bandwidth, and
`cupyx.scipy.ndimage.correlate` and `torch.nn.functional.conv2d` (cuDNN) in
the same run. Writes the JSON the app's benchmark view opens
(schema ``convviz-bench/1``, as :func:`convviz.bench.load_bench_json` reads it:
every row has every key of the schema, ``machine.gpu`` is the GPU's info or null).

    python scripts/gpu_bench.py [--quick] [--json FILE]

``--quick`` uses tiny sizes so the script itself can be checked on Numba's
CUDA simulator (its times mean nothing there and are flagged simulated).
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
from convviz.core import device, sysinfo  # noqa: E402
from convviz.core.spec import prepare  # noqa: E402

WARMUP = 2


def _events_time(fn, repeats, warmup, sync_events):
    """Median/min/max seconds of fn() timed by the given event factory."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start, stop, elapsed = sync_events()
        start()
        fn()
        samples.append(stop_and_read(stop, elapsed))
    return {"median_s": statistics.median(samples), "min_s": min(samples), "max_s": max(samples)}


def stop_and_read(stop, elapsed):
    stop()
    return elapsed()


def numba_events(simulated):
    from numba import cuda

    def factory():
        if simulated:  # the simulator's events report -1: use the host clock
            t = {}
            return (
                (lambda: t.__setitem__("a", time.perf_counter())),
                (lambda: t.__setitem__("b", time.perf_counter())),
                (lambda: t["b"] - t["a"]),
            )
        e0, e1 = cuda.event(), cuda.event()

        def stop():
            e1.record()
            e1.synchronize()

        return e0.record, stop, (lambda: cuda.event_elapsed_time(e0, e1) * 1e-3)

    return factory


def copy_bandwidth(nbytes, simulated, repeats):
    from numba import cuda

    src = cuda.to_device(np.ones(nbytes // 4, np.float32))
    dst = cuda.device_array_like(src)
    t = _events_time(lambda: dst.copy_to_device(src), repeats, WARMUP, numba_events(simulated))
    return 2 * nbytes / t["median_s"] / 1e9  # bytes read + bytes written


def time_backend(name, prep, repeats, simulated):
    from numba import cuda

    be = backends.get(name)
    be.check(prep)
    compile_s = be.compile(prep)
    lau = be.launch(prep)
    dx, dw, db = (cuda.to_device(a) for a in (prep.x, prep.w, prep.b))
    dout = cuda.device_array(prep.spec.out_shape, np.float32)
    t = _events_time(
        lambda: be._launch_kernel(lau, dx, dw, db, dout, prep),
        repeats,
        WARMUP,
        numba_events(simulated),
    )
    t["compile_s"] = compile_s
    t["out"] = dout.copy_to_host()
    t["note"] = be.note(prep)
    t["launch"] = f"grid {lau.grid} block {lau.block} cells/thread {lau.cells_per_thread}"
    return t


def time_cupy(prep, repeats):
    import cupy
    from cupyx.scipy import ndimage

    if prep.spec.c_in != 1 or prep.spec.c_out != 1:
        raise RuntimeError("cupyx.scipy.ndimage.correlate filters one channel; not a layer")
    x = cupy.asarray(prep.x[0])
    w = cupy.asarray(prep.w[0, 0])
    out = cupy.empty_like(x)

    def factory():
        e0, e1 = cupy.cuda.Event(), cupy.cuda.Event()

        def stop():
            e1.record()
            e1.synchronize()

        return e0.record, stop, (lambda: cupy.cuda.get_elapsed_time(e0, e1) * 1e-3)

    t = _events_time(
        lambda: ndimage.correlate(x, w, output=out, mode="constant"), repeats, 2, factory
    )
    t["out"] = cupy.asnumpy(out)[None]
    return t


def time_torch(prep, repeats):
    import torch
    import torch.nn.functional as F

    if not torch.cuda.is_available():
        raise RuntimeError("torch has no CUDA device")
    torch.backends.cudnn.benchmark = True
    s = prep.spec
    x = torch.from_numpy(prep.x)[None].cuda()
    w = torch.from_numpy(prep.w).cuda()
    pad = (s.padding[0], s.padding[2])

    def run():
        return F.conv2d(x, w, stride=s.stride, padding=pad, dilation=s.dilation, groups=s.groups)

    def factory():
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)

        def stop():
            e1.record()
            e1.synchronize()

        return e0.record, stop, (lambda: e0.elapsed_time(e1) * 1e-3)

    t = _events_time(run, repeats, 3, factory)
    t["out"] = run()[0].cpu().numpy()
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes (simulator smoke test)")
    ap.add_argument("--json", default="bench-gpu.json")
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args(argv)
    cuda_be = backends.get("cuda")
    if not cuda_be.available:
        print(f"no CUDA: {cuda_be.reason}", file=sys.stderr)
        return 2
    sim = cuda_be.simulated
    global WARMUP
    if args.quick:
        size, layer, kernels, copy_bytes, repeats = 24, (2, 8), (3,), 1 << 16, 1
        WARMUP = 0
    else:
        size, layer, kernels, copy_bytes, repeats = (
            8192,
            (64, 512),
            (3, 7, 15),
            1 << 30,
            args.repeats,
        )
    bw = copy_bandwidth(copy_bytes, sim, repeats)
    print(f"device: {cuda_be.device}{' (SIMULATED: times are not GPU times)' if sim else ''}")
    print(f"copy bandwidth (device→device, read+write): {bw:,.1f} GB/s")
    rng = np.random.default_rng(0)
    cases = [
        (
            f"{size}² {k}×{k}",
            prepare(
                rng.random((size, size), np.float32),
                rng.standard_normal((k, k)).astype(np.float32),
                padding="same",
            ),
            k,
            1,
            size,
        )
        for k in kernels
    ]
    c, hw = layer
    cases.append(
        (
            f"layer {c}→{c} 3×3 {hw}²",
            prepare(
                rng.standard_normal((c, hw, hw)).astype(np.float32),
                (rng.standard_normal((c, c, 3, 3)) * 0.05).astype(np.float32),
                padding=1,
            ),
            3,
            c,
            hw,
        )
    )
    results = []
    peers = {"cupyx.scipy.ndimage.correlate": time_cupy, "torch.conv2d (cuDNN)": time_torch}
    for label, prep, k, ch, sz in cases:
        s = prep.spec
        moved = 4 * (prep.x.size + s.cells)
        flops = 2 * s.macs
        ref = None
        print(f"\n{label}: {s.cells:,} outputs, {s.macs / 1e9:.2f} G multiply-adds")
        rows = []
        for name in ("cuda", "cuda-tiled"):
            try:
                t = time_backend(name, prep, repeats, sim)
                rows.append((name, "backend", t))
            except Exception as exc:  # report, keep going
                rows.append((name, "backend", {"error": f"{type(exc).__name__}: {exc}"}))
        if not sim:
            for pname, fn in peers.items():
                try:
                    rows.append((pname, "peer", fn(prep, repeats)))
                except Exception as exc:
                    rows.append((pname, "peer", {"error": f"{type(exc).__name__}: {exc}"}))
        for name, kind, t in rows:
            row = {
                "name": name,
                "kind": kind,
                "device": cuda_be.device,
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
                print(f"  {name:32s} skipped: {t['error']}")
            else:
                if ref is None:
                    ref = backends.get("cpu-parallel").compute(prep)
                err = float(np.abs(t["out"] - ref).max())
                gbps, gflops = moved / t["median_s"] / 1e9, flops / t["median_s"] / 1e9
                row.update(
                    status="ok",
                    reason=t.get("note", ""),
                    median_s=t["median_s"],
                    min_s=t["min_s"],
                    max_s=t["max_s"],
                    compile_s=t.get("compile_s"),
                    phases={"kernel": t["median_s"]},
                    max_abs_err=err,
                    gbps=gbps,
                    gflops=gflops,
                    pct_copy_bw=100 * gbps / bw,
                    launch=t.get("launch"),
                )
                print(
                    f"  {name:32s} {t['median_s'] * 1e3:9.3f} ms  {gbps:8.1f} GB/s "
                    f"({100 * gbps / bw:5.1f}% of copy)  {gflops:9.1f} GFLOP/s  "
                    f"max|Δ| {err:.2g}  {t.get('launch', '')} {t.get('note', '')}"
                )
            results.append(row)
        ok = [r for r in results if r["case"] == label and r["status"] == "ok"]
        fastest = min((r["median_s"] for r in ok), default=None)
        for r in ok:
            r["ratio_to_fastest"] = r["median_s"] / fastest
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
            "timing": "kernel only, CUDA events, median",
        },
        "results": results,
    }
    Path(args.json).write_text(json.dumps(doc, indent=1))
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
