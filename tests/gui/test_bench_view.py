"""The benchmark view: the sweep runs and cancels, recorded GPU benchmarks draw, bad files are
refused with one message. Sample documents are written here by hand; no test asserts a time."""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from convviz.core import device
from convviz.gui.bench.view import BenchWindow

ROOT = Path(__file__).resolve().parents[2]
GPU = "NVIDIA TEST GPU"
SIZES = (256, 512, 1024, 2048)


def _row(name, size, k, median, phases=None, **extra):
    row = {
        "name": name,
        "kind": "backend",
        "device": f"{GPU}, 132 SMs",
        "simulated": False,
        "size": size,
        "kernel": k,
        "channels": 1,
        "status": "ok",
        "reason": "",
        "median_s": median,
        "min_s": median and median * 0.9,
        "max_s": median and median * 1.2,
        "compile_s": None,
        "phases": phases,
        "max_abs_err": 0.0,
        "ratio_to_fastest": 1.0,
    }
    row.update(extra)
    return row


def gpu_doc() -> dict:
    """As `convviz bench --json` writes on a GPU machine: the GPU loses at 256² and 512²,
    wins from 1024² on (made-up numbers, chosen so)."""
    rows = []
    for size in SIZES:
        px = size * size
        cpu = 1e-9 * px
        h2d = d2h = 1e-4 + 1e-10 * px
        kern = 1e-5 + 1e-12 * px
        rows.append(_row("cpu-parallel", size, 3, cpu))
        for name, k_s in (("cuda", kern), ("cuda-tiled", kern / 2)):
            rows.append(
                _row(name, size, 3, h2d + k_s + d2h + 1e-5, {"h2d": h2d, "kernel": k_s, "d2h": d2h})
            )
    rows.append(
        _row("cpu", 256, 3, None, status="skipped", reason="not asked for", ratio_to_fastest=None)
    )
    return {
        "schema": "convviz-bench/1",
        "created": "2025-01-31T12:00:00+00:00",
        "machine": {
            "cpu": "Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz",
            "cores": 16,
            "gpu": {"name": GPU, "compute_capability": [9, 0], "sm_count": 132},
            "versions": {"python": "3.11.9"},
            "device_choice": {"requested": "auto", "mode": "gpu", "reason": ""},
        },
        "config": {"sizes": list(SIZES), "kernels": [3], "repeats": 5},
        "results": rows,
    }


def gpu_bench_doc() -> dict:
    """As scripts/gpu_bench.py writes: cases, kernel-only times, extra fields."""
    rows = []
    for label, size, k, ch, t in (
        ("8192² 3×3", 8192, 3, 1, 1e-3),
        ("layer 64→64 3×3 512²", 512, 3, 64, 2e-3),
    ):
        for name, f in (("cuda", 1.0), ("cuda-tiled", 0.5)):
            rows.append(
                _row(
                    name,
                    size,
                    k,
                    t * f,
                    {"kernel": t * f},
                    channels=ch,
                    case=label,
                    gbps=100.0 / f,
                    gflops=1000.0,
                    pct_copy_bw=5.0 / f,
                    launch="grid (512, 512, 1) block (16, 16, 1)",
                )
            )
    rows.append(
        _row(
            "torch.conv2d (cuDNN)",
            8192,
            3,
            None,
            kind="peer",
            status="skipped",
            reason="ImportError: no torch",
            ratio_to_fastest=None,
            case="8192² 3×3",
        )
    )
    doc = gpu_doc()
    doc["machine"]["copy_bandwidth_gbps"] = 2900.0
    doc["config"] = {"source": "scripts/gpu_bench.py", "repeats": 20, "quick": False}
    doc["results"] = rows
    return doc


def write(tmp_path, name, doc) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


@pytest.fixture
def view(qtbot):
    messages: list[tuple[str, str]] = []
    win = BenchWindow(show_message=lambda parent, title, text: messages.append((title, text)))
    win.messages = messages
    qtbot.addWidget(win)
    win.show()
    yield win
    win.shutdown()


def labels(view, needle="") -> list[str]:
    return [label for label in view.plot.curves if needle in label]


def test_sweep_runs_to_the_end(view, qtbot):
    view.set_kernel(np.ones((3, 3), np.float32) / 9)
    with qtbot.waitSignal(view.sigSweepFinished, timeout=60_000) as done:
        view.start_sweep(sizes=[16, 32, 64], repeats=1)
        assert view.runner.busy and view.cancel_button.isVisibleTo(view)
    assert done.args == [True]
    local = labels(view, "this machine")
    assert {label.split(" (")[0] for label in local} >= {"cpu", "cpu-parallel"}
    for label in local:
        xs, _ = view.plot.curves[label].getData()
        assert len(xs) == 3
    assert not view.runner.busy and view.run_button.isEnabled()
    assert not view.cancel_button.isVisibleTo(view)
    assert "finished" in view.status.text()
    if device.choose().mode != "gpu":  # the simulator is never drawn as a GPU curve
        assert not labels(view, "cuda")
        assert "GPU curves need an NVIDIA GPU" in view.gpu_note.text()
        assert "no GPU curve" in view.crossover_label.text()


class Gate:
    """Holds the sweep's worker at its ``n``-th check for Cancel until :meth:`open`, so a test
    cancels at a known point however fast the machine is."""

    def __init__(self, monkeypatch, n: int):
        from convviz import bench

        self.event = threading.Event()
        self.checks = 0
        real = bench.run_benchmark

        def gated(config=None, progress=None, cancel=None, **kw):
            def check():
                self.checks += 1
                if self.checks == n:
                    self.event.wait(30)
                return cancel()

            return real(config, progress, check, **kw)

        monkeypatch.setattr(bench, "run_benchmark", gated)

    def open(self):
        self.event.set()


@pytest.fixture
def gate(monkeypatch):
    gates = []
    yield lambda n: gates.append(Gate(monkeypatch, n)) or gates[-1]
    for g in gates:  # never leave a worker waiting
        g.open()


def test_cancel_before_the_first_point(view, qtbot, gate):
    g = gate(1)
    with qtbot.waitSignal(view.sigSweepFinished, timeout=60_000) as done:
        view.start_sweep(sizes=[16, 32, 64, 128], repeats=1)
        view.cancel_button.click()
        g.open()
    assert done.args == [False]
    assert "Cancelled after 0 of 8" in view.status.text()
    assert not labels(view) and view.run_button.isEnabled()


def test_cancel_mid_sweep_keeps_what_was_measured(view, qtbot, gate):
    g = gate(2)  # held after the first size: its two points, timed side by side
    with qtbot.waitSignal(view.sigSweepFinished, timeout=60_000) as done:
        view.start_sweep(sizes=[16, 32, 64, 128, 256, 512, 1024, 2048], repeats=1)
        qtbot.waitUntil(lambda: len(view.local_rows) == 2, timeout=60_000)
        assert view.progress.isVisibleTo(view)
        view.cancel_sweep()
        g.open()
    assert done.args == [False]
    assert len(view.local_rows) == 2
    assert "Cancelled after 2 of 16" in view.status.text()
    assert labels(view, "this machine")


def test_a_new_kernel_cancels_the_sweep(view, qtbot, gate):
    g = gate(1)
    with qtbot.waitSignal(view.sigSweepFinished, timeout=60_000) as done:
        view.start_sweep(sizes=[16, 32, 64, 128], repeats=1)
        view.set_kernel(np.ones((1, 2, 5, 5), np.float32))
        g.open()
    assert done.args == [False]
    assert "5×5" in view.kernel_label.text() and "channel" in view.kernel_label.text()
    assert "kernel changed" in view.status.text()


def test_a_new_sweep_replaces_the_running_one(view, qtbot, gate):
    g = gate(1)
    finished = []
    view.sigSweepFinished.connect(finished.append)
    view.start_sweep(sizes=[16, 32], repeats=1)
    view.set_kernel(np.ones((5, 5), np.float32))  # cancels the first, whose end is not shown
    view.start_sweep(sizes=[16, 32], repeats=1)
    g.open()
    qtbot.waitUntil(lambda: bool(finished) and not view.runner.busy, timeout=60_000)
    assert finished == [True]
    assert {r["kernel"] for r in view.local_rows} == {5}


def test_recorded_gpu_benchmark_draws_its_curves(view, tmp_path):
    assert view.open_json(write(tmp_path, "bench-gpu.json", gpu_doc()))
    assert not view.messages
    where = f"measured on {GPU}, 2025-01-31"
    for name in ("cuda kernel only", "cuda end-to-end (with copies)", "cuda-tiled kernel only"):
        assert f"{name} ({where})" in view.plot.curves, name
    # a CPU curve names the CPU (the recorded machine's, shortened)
    assert (
        "cpu-parallel (all cores) (measured on Intel Xeon Platinum 8480+, 2025-01-31)"
        in view.plot.curves
    )
    xs = view.plot.curves[f"cuda end-to-end (with copies) ({where})"].xData  # not log10
    assert list(xs) == [s * s for s in SIZES]
    # the crossover: marked, and one sentence with the measured numbers
    assert len(view.plot.markers) == 1
    text = view.crossover_label.text()
    assert "wins from about" in text and GPU in text and "512×512" in text
    assert len(view.phases_plot.bars) == 3  # h2d, kernel, d2h
    assert len(view.tiled_plot.pairs) == len(SIZES)
    assert "recorded benchmark" in view.gpu_note.text() or device.choose().mode == "gpu"


def test_the_figure_fills_the_window_without_scrolling(view, tmp_path, qtbot):
    """With the crossover's sentence shown (it wraps), the figure is as tall as the
    window shows it, as before it sat in a scroll area: no plot below the fold. In
    presentation mode's type it is taller and scrolls; back, it fits again."""
    from PySide6.QtWidgets import QApplication

    assert view.open_json(write(tmp_path, "bench-gpu.json", gpu_doc()))
    view.resize(1400, 950)
    area = view.figure.parentWidget()  # the scroll area's view

    def fits() -> bool:
        QApplication.processEvents()
        return view.figure.height() <= area.height() and view.crossover_label.isVisible()

    qtbot.waitUntil(fits, timeout=2000)
    view.set_presentation(True)
    qtbot.waitUntil(lambda: view.figure.height() > area.height() + 500, timeout=2000)
    view.set_presentation(False)
    qtbot.waitUntil(fits, timeout=2000)


def test_gpu_bench_script_json_draws_kernel_only_curves(view, tmp_path):
    assert view.open_json(write(tmp_path, "bench-gpu-kernels.json", gpu_bench_doc()))
    assert labels(view, "cuda kernel only") and labels(view, "cuda-tiled kernel only")
    assert not labels(view, "end-to-end")  # gpu_bench.py times kernels only
    assert [(p.size, p.channels) for p in view.tiled_plot.pairs] == [(8192, 1), (512, 64)]
    assert view.tiled_plot.pairs[0].speedup == pytest.approx(2.0)
    assert view.group_names() == ["3×3", "3×3, 64 channels"]
    # an older gpu_bench.py wrote machine.gpu and device_choice as plain strings
    old = gpu_bench_doc()
    old["machine"]["gpu"] = f"{GPU}, 132 SMs, compute 9.0"
    old["machine"]["device_choice"] = "gpu"
    assert view.open_json(write(tmp_path, "old.json", old))
    assert labels(view, f"measured on {GPU}, 2025")


def test_gpu_bench_quick_output_opens(view, tmp_path):
    out = tmp_path / "quick.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gpu_bench.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert view.open_json(out), view.messages
    if json.loads(out.read_text())["machine"]["gpu"] is None:  # simulated: shown, not drawn
        assert not labels(view, "cuda")
        assert "simulator" in view.status.text()


@pytest.mark.parametrize(
    "name, text, expect",
    [
        ("broken.json", "{ not json", "is not a JSON benchmark file"),
        (
            "foreign.json",
            json.dumps({"schema": "something-else/2", "rows": []}),
            "is not a convviz benchmark",
        ),
        ("list.json", "[1, 2, 3]", "is not a convviz benchmark"),
        ("badrow.json", "BADROW", "results[0]"),
        ("badphases.json", "BADPHASES", "phases"),
    ],
)
def test_bad_or_foreign_json_gives_one_clear_message(view, tmp_path, name, text, expect):
    assert view.open_json(write(tmp_path, "good.json", gpu_doc()))
    before = sorted(view.plot.curves)
    if text == "BADROW":
        doc = gpu_doc()
        doc["results"][0]["status"] = "great"
        text = json.dumps(doc)
    elif text == "BADPHASES":
        doc = gpu_doc()
        doc["results"][1]["phases"] = {"h2d": "fast"}
        text = json.dumps(doc)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert not view.open_json(path)
    assert len(view.messages) == 1
    title, message = view.messages[0]
    assert title and expect in message and str(path) in message
    assert sorted(view.plot.curves) == before  # the view keeps what it had


def test_unreadable_file_gives_a_message(view, tmp_path):
    assert not view.open_json(tmp_path / "missing.json")
    assert len(view.messages) == 1 and "cannot read" in view.messages[0][1]


def test_export_csv_and_png(view, tmp_path):
    view.open_json(write(tmp_path, "bench-gpu.json", gpu_doc()))
    view.export_csv(tmp_path / "points.csv")
    with open(tmp_path / "points.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["series", "source", "machine"]
    assert {"median_s", "min_s", "max_s", "size", "pixels"} <= set(rows[0])
    assert len(rows) == 1 + 5 * len(SIZES)  # cpu-parallel, 2 × (kernel only, end-to-end)
    col = rows[0].index("source")
    assert {r[col] for r in rows[1:]} == {"bench-gpu.json"}
    view.export_png(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forget_recorded_and_kernel_groups(view, tmp_path):
    doc = gpu_doc()
    seven = copy.deepcopy(doc["results"])
    for r in seven:
        r["kernel"] = 7
    doc["results"] += seven
    view.set_kernel(np.ones((7, 7), np.float32))
    view.open_json(write(tmp_path, "two-kernels.json", doc))
    assert view.group_names() == ["3×3", "7×7"] and view.group == (7, 7, 1)
    view.group_box.setCurrentIndex(0)
    view.group_box.activated.emit(0)
    assert view.group == (3, 3, 1) and labels(view, GPU)
    view.forget_recorded()
    assert not labels(view)


def test_the_times_plot_labels_follow_the_language(view):
    """The axis labels are written at each draw: a language chosen after the window was
    made reaches them (and, in the lecture type, the Chinese label breaks before its
    full-width bracket, as the English one before its "(")."""
    from convviz.gui import i18n

    i18n.install("zh_CN")
    try:
        view.retranslate()
        assert view.plot.pi.getAxis("left").labelText == "每次卷积耗时（对数坐标）"
        view.set_presentation(True)
        assert view.plot.pi.getAxis("left").labelText == "每次卷积耗时<br>（对数坐标）"
    finally:
        view.set_presentation(False)
        i18n.install("en")
        view.retranslate()
    assert view.plot.pi.getAxis("left").labelText == "time per convolution (log scale)"
