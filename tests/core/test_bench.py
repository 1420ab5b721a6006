"""`convviz bench`: the JSON schema, correctness checks before timing, the CLI. No test times."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from convviz import ConvvizError, bench
from convviz.bench import runner as bench_runner
from convviz.cli import main

ROW_TYPES = {
    "name": str,
    "kind": str,
    "device": str,
    "simulated": bool,
    "size": int,
    "kernel": int,
    "channels": int,
    "status": str,
    "reason": str,
}
NUMBERS = ("median_s", "min_s", "max_s", "compile_s", "max_abs_err", "ratio_to_fastest")


@pytest.fixture(scope="module")
def tiny():
    return bench.run_benchmark({"sizes": [16, 32], "kernels": [3], "repeats": 1, "peers": True})


def check_schema(data):
    assert data["schema"] == "convviz-bench/1"
    assert isinstance(data["created"], str) and "T" in data["created"]
    m = data["machine"]
    assert isinstance(m["cpu"], str) and m["cores"] >= 1
    assert m["gpu"] is None or isinstance(m["gpu"], dict)
    assert m["versions"]["numpy"] and "python" in m["versions"]
    assert m["device_choice"]["mode"] in ("gpu", "sim", "off")
    assert isinstance(data["config"], dict) and data["config"]["repeats"] >= 1
    assert data["results"]
    for r in data["results"]:
        for key, typ in ROW_TYPES.items():
            assert isinstance(r[key], typ), (key, r)
        for key in NUMBERS:
            assert r[key] is None or isinstance(r[key], float), (key, r)
        assert r["kind"] in ("backend", "peer")
        assert r["status"] in ("ok", "skipped", "failed")
        assert r["phases"] is None or set(r["phases"]) <= {"h2d", "kernel", "d2h"}
        if r["status"] == "ok":
            assert r["median_s"] is not None and r["min_s"] <= r["median_s"] <= r["max_s"]
            assert r["ratio_to_fastest"] is not None or r["simulated"]
        else:
            assert r["reason"] and r["median_s"] is None


def test_schema(tiny):
    check_schema(tiny)
    rows = {(r["name"], r["size"]) for r in tiny["results"]}
    for name in (
        "cpu",
        "cpu-parallel",
        "cuda",
        "cv2.filter2D",
        "torch.conv2d",
        "scipy.ndimage.correlate",
        "cupyx.scipy.ndimage.correlate",
    ):
        assert (name, 16) in rows and (name, 32) in rows


def test_json_round_trip(tiny, tmp_path):
    p = tmp_path / "r.json"
    p.write_text(json.dumps(tiny))
    assert bench.load_bench_json(p) == json.loads(json.dumps(tiny))


def test_ok_rows_are_correct(tiny):
    ok = [r for r in tiny["results"] if r["status"] == "ok"]
    assert {"cpu", "cpu-parallel"} <= {r["name"] for r in ok}
    for r in ok:
        assert r["max_abs_err"] is not None and r["max_abs_err"] <= 1e-4, r
    for size in (16, 32):
        group = [r for r in ok if r["size"] == size and not r["simulated"]]
        assert min(r["ratio_to_fastest"] for r in group) == 1.0


def test_simulated_cuda_is_marked(tiny):
    cuda = [r for r in tiny["results"] if r["name"] == "cuda"]
    for r in cuda:
        if r["simulated"] and r["status"] == "ok":
            assert r["ratio_to_fastest"] is None or r["ratio_to_fastest"] >= 1.0
            assert "simulator" in r["device"].lower()
    text = "\n".join(bench.format_table(tiny))
    if any(r["simulated"] and r["status"] == "ok" for r in cuda):
        assert "(simulated)" in text and "not a GPU timing" in text


def test_skipped_peer_has_reason(tiny):
    for r in tiny["results"]:
        if r["kind"] == "peer" and r["status"] == "skipped":
            assert len(r["reason"]) > 5


def test_missing_and_wrong_peers(monkeypatch):
    def missing(x, w):
        raise ImportError("No module named 'nosuchlib'")

    calls = []

    def wrong(x, w):
        def run():
            calls.append(1)
            return x[:, ::-1].copy()  # mirrored: not the convolution

        return "CPU", run, None

    monkeypatch.setattr(
        bench_runner, "PEERS", {"nosuchlib": (missing, False), "wronglib": (wrong, False)}
    )
    data = bench.run_benchmark(
        {"sizes": [12], "kernels": [3], "repeats": 2, "peers": True, "backends": ["cpu-parallel"]}
    )
    check_schema(data)
    by = {r["name"]: r for r in data["results"]}
    assert by["nosuchlib"]["status"] == "skipped"
    assert "nosuchlib" in by["nosuchlib"]["reason"]
    assert by["wronglib"]["status"] == "failed" and by["wronglib"]["median_s"] is None
    assert by["wronglib"]["max_abs_err"] > 1e-3
    assert len(calls) == 1  # checked once, never timed
    assert by["cpu-parallel"]["status"] == "ok" and by["cpu-parallel"]["ratio_to_fastest"] == 1.0
    assert "FAILED" in "\n".join(bench.format_table(data))


def test_even_kernels_peers_agree():
    data = bench.run_benchmark(
        {"sizes": [20], "kernels": [2, 4], "repeats": 1, "peers": True, "backends": ["cpu"]}
    )
    for r in data["results"]:
        assert r["status"] != "failed", r


def test_simulator_refusal_is_a_skip():
    data = bench.run_benchmark({"sizes": [200], "kernels": [3], "repeats": 1, "backends": ["cuda"]})
    (r,) = data["results"]
    if r["simulated"] or r["status"] == "skipped":
        assert r["status"] == "skipped" and r["reason"]


def test_progress_and_cancel():
    seen = []
    bench.run_benchmark(
        {"sizes": [8], "kernels": [3], "repeats": 1, "backends": ["cpu"]},
        progress=lambda d, t, s: seen.append((d, t)),
    )
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)
    from convviz import Cancelled

    with pytest.raises(Cancelled):
        bench.run_benchmark(
            {"sizes": [8], "kernels": [3], "backends": ["cpu"]}, cancel=lambda: True
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"sizes": []},
        {"repeats": 0},
        {"kernels": [0]},
        {"backends": ["nope"]},
        {"sizes": [4], "kernels": [5]},
        {"colour": 1},
    ],
)
def test_bad_config(bad):
    with pytest.raises(ConvvizError):
        bench.make_config(**bad)


def test_cli_in_process(tmp_path, capsys):
    out = tmp_path / "b.json"
    assert (
        main(
            [
                "bench",
                "--sizes",
                "16",
                "--kernels",
                "3",
                "--repeats",
                "1",
                "--backends",
                "cpu,cpu-parallel",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "cpu-parallel" in text and "median" in text
    data = bench.load_bench_json(out)
    check_schema(data)


def test_cli_subprocess(tmp_path):
    out = tmp_path / "b.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "convviz",
            "bench",
            "--sizes",
            "16",
            "--kernels",
            "3",
            "--repeats",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    check_schema(bench.load_bench_json(out))


@pytest.mark.parametrize(
    "args",
    [
        ["--sizes", "abc"],
        ["--repeats", "0"],
        ["--kernels", "3,x"],
        ["--backends", "gpu9"],
        ["--sizes", "4", "--kernels", "7"],
    ],
)
def test_cli_bad_args(args, capsys):
    assert main(["bench", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: error:")


def test_load_bad_files(tmp_path):
    cases = {
        "nojson.json": "not json {",
        "foreign.json": json.dumps({"schema": "other/1"}),
        "list.json": "[1, 2]",
        "empty.json": "",
        "norows.json": json.dumps(
            {"schema": "convviz-bench/1", "created": "x", "machine": {}, "config": {}}
        ),
        "badrow.json": json.dumps(
            {
                "schema": "convviz-bench/1",
                "created": "x",
                "machine": {},
                "config": {},
                "results": [{"name": "cpu", "status": "great"}],
            }
        ),
    }
    for name, text in cases.items():
        p = tmp_path / name
        p.write_text(text)
        with pytest.raises(ConvvizError) as info:
            bench.load_bench_json(p)
        assert str(p) in str(info.value)
    with pytest.raises(ConvvizError):
        bench.load_bench_json(tmp_path / "missing.json")
    raw = np.zeros(4, np.uint8).tobytes() + b"\xff\xfe"
    (tmp_path / "bin.json").write_bytes(raw)
    with pytest.raises(ConvvizError):
        bench.load_bench_json(tmp_path / "bin.json")


def test_import_is_light():
    code = (
        "import sys, convviz.bench; "
        "print(sorted(m for m in ('torch', 'scipy', 'cv2', 'cupy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
