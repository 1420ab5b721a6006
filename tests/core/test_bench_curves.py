"""convviz.bench.curves: curves from benchmark documents, the crossover, sizes, CSV.
Hand-written numbers only; nothing here times anything."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from convviz import ConvvizError, bench
from convviz.bench import curves as bc

HERE = bc.Source("local", True, "CPU", None, "")
THERE = bc.Source("/x/bench-gpu.json", False, "Xeon", "NVIDIA H100", "2025-01-31T12:00:00")


def series(sid, times, sizes=(64, 128, 256, 512), source=THERE, phases=None):
    pts = [bc.Point(s, t, phases=phases(s) if phases else None) for s, t in zip(sizes, times)]
    return bc.Series(sid, source, (3, 3), 1, pts)


@pytest.mark.parametrize(
    "gpu, kind",
    [
        ((9, 9, 1, 1), "cross"),
        ((9, 9, 9, 9), "never"),
        ((1, 1, 1, 1), "always"),
        ((1, 9, 1, 9), "mixed"),
        ((9, 1, 9, 1), "cross"),
    ],
)
def test_crossover_kinds(gpu, kind):
    c = bc.crossover(
        series("cuda:e2e", [g * 1e-3 for g in gpu]),
        [series("cpu", [5e-3] * 4), series("cpu-parallel", [4e-3] * 4)],
    )
    assert c.kind == kind
    assert c.cpu_series == "cpu-parallel" and c.cpu_s == 4e-3  # the best CPU


def test_crossover_is_interpolated_in_log_space():
    # GPU 4× slower at 128², 4× faster at 256²: log-ratios ±log 4 cross half-way in log pixels
    gpu = series(
        "cuda:e2e",
        [4e-3, 4e-3, 0.25e-3, 0.25e-3],
        phases=lambda s: {"h2d": 1e-3, "kernel": 1e-5, "d2h": 1e-3},
    )
    c = bc.crossover(gpu, [series("cpu", [1e-3] * 4)])
    assert c.kind == "cross" and c.size == 128
    assert c.pixels == pytest.approx(math.sqrt(128**2 * 256**2))
    assert c.side == round(math.sqrt(128 * 256))
    assert c.copies_s == pytest.approx(2e-3) and c.h2d_s == 1e-3 and c.kernel_s == 1e-5


def test_crossover_needs_common_sizes():
    c = bc.crossover(
        series("cuda:e2e", [1e-3] * 2, sizes=(16, 32)), [series("cpu", [1e-3] * 2, sizes=(64, 128))]
    )
    assert c.kind == "none" and c.pixels is None


def _doc(rows, gpu=None):
    return {
        "schema": bench.SCHEMA,
        "created": "2025-01-31T00:00:00+00:00",
        "machine": {"cpu": "AMD EPYC 7B13 64-Core Processor", "gpu": gpu},
        "config": {},
        "results": rows,
    }


def _row(name, size, median, phases=None, **kw):
    r = {
        "name": name,
        "kind": "backend",
        "device": "d",
        "simulated": False,
        "size": size,
        "kernel": 3,
        "channels": 1,
        "status": "ok",
        "reason": "",
        "median_s": median,
        "min_s": median,
        "max_s": median,
        "phases": phases,
    }
    r.update(kw)
    return r


def test_series_of_both_writers():
    ph = {"h2d": 1e-4, "kernel": 1e-5, "d2h": 1e-4}
    doc = _doc(
        [
            _row("cpu", 64, 1e-3),
            _row("cuda", 64, 3e-4, ph),
            _row("cuda-tiled", 8192, 1e-3, {"kernel": 1e-3}, case="8192² 3×3"),
            _row("cuda", 32, 1.0, ph, simulated=True),
            _row("cpu", 128, 0.0),
            _row("cuda-tiled", 128, -1.0, {"kernel": -1.0}),
            _row("cpu-parallel", 64, None, status="skipped", reason="no"),
            _row("torch.conv2d", 64, 1e-3, kind="peer"),
        ],
        gpu={"name": "NVIDIA H100 80GB HBM3"},
    )
    src = bc.source_of(doc, "f.json")
    assert src.cpu == "AMD EPYC 7B13" and src.gpu == "NVIDIA H100 80GB HBM3"
    by = {s.id: s for s in bc.series_of(doc, src)}
    assert set(by) == {"cpu", "cuda:e2e", "cuda:kernel", "cuda-tiled:kernel"}
    assert by["cuda:e2e"].points[0].median_s == 3e-4  # wall time, with the copies
    assert by["cuda:kernel"].points[0].median_s == 1e-5  # the kernel phase
    assert by["cuda-tiled:kernel"].points[0].median_s == 1e-3  # gpu_bench: kernel-only rows
    assert bc.simulated_rows(doc) == 1
    assert bc.skipped_reasons(doc) == {"cpu-parallel": "no"}


def test_source_of_older_gpu_bench_files():
    src = bc.source_of(_doc([], gpu="NVIDIA A100, 108 SMs, compute 8.0"), "f")
    assert src.gpu == "NVIDIA A100" and src.machine == "NVIDIA A100"
    assert bc.source_of(_doc([]), "f").machine == "AMD EPYC 7B13"


def test_given_kernel_shape_groups_series():
    doc = _doc([_row("cpu", 64, 1e-3, kernel=5, kernel_shape=[3, 5])])
    (s,) = bc.series_of(doc, HERE)
    assert s.kernel == (3, 5) and s.group == (3, 5, 1)


def test_tiled_pairs():
    a = series("cuda:kernel", [2e-3, 4e-3], sizes=(64, 128))
    b = series("cuda-tiled:kernel", [1e-3, 1e-3], sizes=(64, 256))
    (p,) = bc.tiled_pairs([a, b])
    assert p.size == 64 and p.speedup == 2.0
    assert p.gbps(1.0) == pytest.approx(8 * 64 * 64 / 1e9)


def test_sizes_and_memory():
    assert bc.sweep_sizes((3, 3), 256) == [16, 32, 64, 128, 256]
    assert bc.sweep_sizes((31, 31), 128) == [32, 64, 128]
    assert bc.largest_side(memory=64 * 2**30) == bc.CPU_SIDE_CAP
    assert bc.largest_side(memory=256 * 2**20) == 1024
    assert bc.largest_side(memory=0) == 2048
    assert bc.physical_memory() is None or bc.physical_memory() > 0


def test_csv(tmp_path):
    s = [
        series("cpu", [1e-3, 2e-3], sizes=(16, 32), source=HERE),
        series("cuda:kernel", [1e-5, 2e-5], sizes=(16, 32)),
    ]
    bc.write_csv(tmp_path / "p.csv", s, {"cpu": "cpu (one core)"})
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == bc.CSV_HEADER
    assert rows[1][:2] == ["cpu (one core)", "this machine"]
    assert rows[3][:3] == ["cuda:kernel", "bench-gpu.json", "Xeon + NVIDIA H100"]
    assert rows[2][6:8] == ["32", "1024"] and float(rows[2][8]) == 2e-3
    assert rows[3][9] == ""  # no min where none was measured


def test_run_benchmark_with_given_weights_and_rows_as_they_come():
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    seen = []
    data = bench.run_benchmark(
        {"sizes": [8, 16], "repeats": 1, "backends": ["cpu"]}, weights=w, on_row=seen.append
    )
    assert data["config"]["kernels"] == [3] and data["config"]["kernel_shape"] == [2, 3]
    assert seen == data["results"] and len(seen) == 2
    assert all(r["kernel_shape"] == [2, 3] and r["status"] == "ok" for r in seen)
    with pytest.raises(ConvvizError):
        bench.run_benchmark({"sizes": [8]}, weights=np.ones((1, 1, 3, 3)))


def test_ctrl_cancels_inside_a_row():
    from convviz import Cancelled
    from convviz.backends import new_control

    ctrl = new_control()
    ctrl.cancel()
    with pytest.raises(Cancelled):
        bench.run_benchmark({"sizes": [16], "kernels": [3], "backends": ["cpu"]}, ctrl=ctrl)


def test_imports_without_qt_or_peers():
    import subprocess
    import sys

    code = (
        "import sys, convviz.bench.curves, convviz.bench.peers, convviz.bench; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'torch', 'scipy', 'cv2', 'cupy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
