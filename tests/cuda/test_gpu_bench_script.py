"""scripts/gpu_bench.py is the measurement a GPU machine runs unattended: check here, on
the simulator with --quick, that it runs to the end and writes valid JSON."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gpu_bench_quick_writes_bench_json(tmp_path):
    out = tmp_path / "b.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gpu_bench.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["schema"] == "convviz-bench/1"
    assert doc["machine"]["copy_bandwidth_gbps"] > 0
    names = {(r["case"], r["name"]) for r in doc["results"]}
    cases = {c for c, _ in names}
    assert len(cases) == 2  # one single-channel kernel and the layer in --quick
    for case in cases:
        assert {(case, "cuda"), (case, "cuda-tiled")} <= names
    for r in doc["results"]:
        if r["status"] == "ok":
            assert r["max_abs_err"] < 1e-3 and r["median_s"] > 0
            assert r["simulated"] == (doc["machine"]["gpu"] is None)
