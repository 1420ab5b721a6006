#!/usr/bin/env bash
# The one prepared script to run on a machine with an NVIDIA GPU (see README).
# Runs the CUDA tests on the real device and times the `cuda` backend on 4096²
# float32 inputs; writes a short report (and bench JSON when `convviz bench`
# is present) to ${OUT:-./gpu-report}. Keep it under about 5 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$PWD/gpu-report}"
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" CONVVIZ_DEVICE=gpu PYTHONUNBUFFERED=1
PY="${PYTHON:-python3}"
{
echo "== machine"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3
"$PY" -m convviz info
echo; echo "== CUDA tests on the device (marker gpu included)"
timeout 150 "$PY" -m pytest -q -p no:cacheprovider tests/cuda -x 2>&1 | tail -15
echo; echo "== cuda backend, 4096² float32, padding same"
timeout 120 "$PY" - <<'PYEOF'
import numpy as np
from convviz import backends
from convviz.core.spec import prepare
from convviz.core.timing import fmt_seconds
x = np.random.default_rng(0).random((4096, 4096), np.float32)
cuda = backends.get("cuda")
for k in (3, 7):
    w = np.random.default_rng(k).standard_normal((k, k)).astype(np.float32)
    prep = prepare(x, w, padding="same")
    out, rec = cuda.run(prep, repeats=10, warmup=2)
    ref = backends.get("cpu-parallel").compute(prep)
    print(f"{k}x{k}: kernel {fmt_seconds(rec.phases['kernel'].median)}  end-to-end "
          f"{fmt_seconds(rec.total.median)}  (h2d {fmt_seconds(rec.phases['h2d'].median)}, "
          f"d2h {fmt_seconds(rec.phases['d2h'].median)})  compile {fmt_seconds(rec.compile_s or -1)}"
          f"  grid {rec.grid} block {rec.block}  max|cuda-cpu| {np.abs(out-ref).max():.3g}")
PYEOF
echo; echo "== what shared memory buys: cuda vs cuda-tiled vs CuPy vs cuDNN (writes bench JSON)"
timeout 150 "$PY" scripts/gpu_bench.py --json "$OUT/bench-gpu-kernels.json" 2>&1 | tail -30
if "$PY" -c "import convviz.bench" 2>/dev/null; then
  echo; echo "== convviz bench (GPU machine record)"
  timeout 150 "$PY" -m convviz bench --sizes 64,128,256,512,1024,2048,4096 --kernels 3,7 \
      --backends cpu-parallel,cuda,cuda-tiled --peers --repeats 5 \
      --json "$OUT/bench-gpu.json" 2>&1 | tail -60
fi
} 2>&1 | tee "$OUT/gpu_check.txt"
