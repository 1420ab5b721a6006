#!/usr/bin/env bash
# The one prepared script for a lent machine with an NVIDIA GPU (DESIGN.md §10).
#
#   OUT=/some/dir scripts/gpu_check.sh               # the real check, on the GPU
#   OUT=/some/dir scripts/gpu_check.sh --quick       # the same steps, tiny sizes
#   CONVVIZ_DEVICE=sim scripts/gpu_check.sh --quick  # the script itself, on the simulator
#
# That machine has no network and its own Python 3.12 (numpy 2.5, numba, numba-cuda,
# CuPy, torch, OpenCV, Pillow, pytest, hypothesis, scipy; no PySide6, no platformdirs):
# nothing is installed, the project runs from this tree (PYTHONPATH=.), and nothing here
# imports what it lacks. Fast steps first, each under `timeout`, its full log written
# to $OUT as it runs (a step cut short leaves what it had):
#   facts         versions, driver, device choice, a one-thread probe,   facts.log
#                 the CUDA lines of `python -m numba -s`
#   oracle        a few small convolutions per CUDA backend vs a float64  oracle.log
#                 oracle (tests/helpers.py), per output
#   gpu tests     pytest -m gpu tests/cuda (only what needs the device)   tests.log
#   sweep         kernels 1×1…15×15, channels, groups, padding modes,     sweep.log
#                 strides, dilations vs the oracle; time-boxed, in order
#   bench         scripts/gpu_bench.py → $OUT/bench-gpu.json              bench.log
#   kernel report scripts/kernel_report.py where nvdisasm is installed;   kernel_report.log
#                 otherwise skipped, and the summary says so
# The limits add up to 7.5 minutes and each is cut to what is left of GPU_CHECK_S
# (default 450 s), so the whole run, compiles included, stays under 8 minutes. stdout
# gets each step's tail and a summary (also $OUT/summary.txt). Exits non-zero when a
# step failed or ran out of time; a skipped step does not fail the run.
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
OUT="${OUT:-$PWD/gpu-report}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 QUICK
export CONVVIZ_DEVICE="${CONVVIZ_DEVICE:-gpu}"
exec > >(tee "$OUT/summary.txt") 2>&1
TEE=$!
BUDGET="${GPU_CHECK_S:-450}"
NAMES=()
CODES=()
T0=$SECONDS

# step NAME LIMIT_S LOG CMD...: CMD under timeout (cut to the time left), its output
# straight to $OUT/LOG, the tail here
step() {
    local name=$1 limit=$2 log=$3 t=$SECONDS rc left
    shift 3
    left=$((BUDGET - (SECONDS - T0)))
    [ "$left" -lt "$limit" ] && limit=$left
    echo
    echo "== $name (limit ${limit}s; full log: $log)"
    if [ "$limit" -lt 5 ]; then
        echo "!! $name: no time left of the ${BUDGET}s budget" | tee "$OUT/$log"
        rc=124
    else
        STEP_S=$limit timeout -k 2 "$limit" "$@" >"$OUT/$log" 2>&1
        rc=$?
        tail -n "${TAIL:-25}" "$OUT/$log"
        [ "$rc" -eq 124 ] && echo "!! $name timed out after ${limit}s"
    fi
    echo "-- $name: exit $rc, $((SECONDS - t))s"
    NAMES+=("$name")
    CODES+=("$rc")
}

skip() {  # skip NAME WHY: recorded in the summary, not a failure
    echo
    echo "== $1: skipped ($2)"
    NAMES+=("$1")
    CODES+=("skipped: $2")
}

FACTS=$(
    cat <<'PYEOF'
import importlib.metadata as md, importlib.util, platform, subprocess, sys
print("python", sys.version.split()[0], sys.executable, "|", platform.platform())
have = []
for d in ("numpy", "numba", "numba-cuda", "llvmlite", "cuda-bindings", "nvidia-nvvm",
          "nvidia-cuda-nvcc", "nvidia-cuda-nvdisasm", "cupy-cuda12x", "cupy-cuda13x", "torch",
          "opencv-python-headless", "opencv-python", "Pillow", "scipy", "pytest",
          "hypothesis", "PySide6-Essentials", "platformdirs"):
    try:
        have.append(f"{d} {md.version(d)}")
    except md.PackageNotFoundError:
        have.append(f"{d} -")
print("; ".join(have))
missing = [m for m in ("numpy", "numba", "numba_cuda", "pytest") if importlib.util.find_spec(m) is None]
print("needed and missing:", missing or "none")
try:
    smi = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total,"
                          "clocks.max.sm,pstate", "--format=csv"], capture_output=True,
                         text=True, timeout=15)
    print(smi.stdout.strip() or smi.stderr.strip())
except (OSError, subprocess.TimeoutExpired) as exc:
    print("nvidia-smi: not available:", exc)
from convviz.core import device, paths
print("driver CUDA version:", device.driver_cuda_version())
print("device choice:", device.choose())
print("cache folder:", paths.cache_dir())
from convviz.backends import cuda_toolchain
import numpy as np
nvvm = "not asked (simulator)" if cuda_toolchain.simulated() else cuda_toolchain.nvvm_available()
print("numpy", np.__version__, "| NVVM loads:", nvvm)
from convviz import backends
for name in ("cuda", "cuda-tiled"):
    be = backends.get(name)
    print(f"{name}: available={be.available} {be.reason or ''} | {be.device}")
print("-- python -m numba -s (CUDA lines)", flush=True)
try:
    info = subprocess.run([sys.executable, "-m", "numba", "-s"], capture_output=True,
                          text=True, timeout=20).stdout
    keep = ("cuda", "nvvm", "driver", "compute capability", "toolkit", "libdevice", "error")
    print("\n".join(ln for ln in info.splitlines() if any(k in ln.lower() for k in keep)))
except subprocess.TimeoutExpired:
    print("python -m numba -s: no answer in 20 s")
sys.exit(1 if missing or not backends.get("cuda").available else 0)
PYEOF
)

# Each CUDA backend against the float64 oracle of tests/helpers.py, output by output.
# argv[1]: "oracle" (a handful of cases) or "sweep" (every kernel size and variant,
# in order of worth, stopping itself before STEP_S runs out).
CONV_CHECK=$(
    cat <<'PYEOF'
import os, sys, time
import numpy as np
import convviz
from convviz import ConvvizError, backends
from convviz.core.spec import prepare
from tests.helpers import per_output_tolerance, window_sums

mode, quick = sys.argv[1], os.environ.get("QUICK") == "1"
box = float(os.environ.get("STEP_S", "60")) - 8
cuda = backends.get("cuda")
if not cuda.available:
    sys.exit(f"no CUDA: {cuda.reason}")
small = quick or cuda.simulated  # the simulator runs each thread in Python
size = (7, 9) if small else (67, 45)  # odd sizes: part-filled blocks at every edge
print(f"{cuda.device}; input {size[0]}×{size[1]}; time box {box:.0f}s", flush=True)


def case(k, c=(1, 1), groups=1, padding="same", mode="zeros", stride=1, dilation=1, flip=False):
    return dict(k=k, c=c, groups=groups, padding=padding, padding_mode=mode, stride=stride,
                dilation=dilation, flip=flip)


if mode == "oracle":
    cases = [case((3, 3)), case((4, 4)), case((3, 3), c=(3, 2), padding=1, mode="reflect")]
elif small:
    cases = [case((1, 1)), case((5, 5), mode="circular"), case((2, 3), c=(2, 4), groups=2),
             case((3, 3), padding=1, stride=2, dilation=2, flip=True)]
else:
    order = (3, 7, 15, 1, 5, 2, 4, 6, 8, 9, 10, 11, 12, 13, 14)
    cases = [case((k, k)) for k in order]
    cases += [case((k, k), padding=k // 2, mode=m) for k in (3, 5)
              for m in ("reflect", "replicate", "circular")]
    cases += [case((3, 3), c=(3, 4)), case((3, 3), c=(4, 4), groups=2),
              case((5, 5), c=(2, 6), groups=2, mode="replicate"), case((1, 5)), case((5, 1)),
              case((3, 7), padding=0), case((3, 3), padding=1, stride=2),
              case((3, 3), padding=2, dilation=2), case((4, 4), padding=(1, 2), stride=(2, 1),
              dilation=(1, 3), flip=True), case((15, 15), c=(2, 2), padding=7, mode="reflect")]

rng = np.random.default_rng(7)
t_start, failed, done = time.perf_counter(), 0, 0
for n, spec in enumerate(cases):
    if time.perf_counter() - t_start > box:
        print(f"time box: stopped after {done} of {len(cases)} cases", flush=True)
        break
    (kh, kw), (cin, cout) = spec.pop("k"), spec.pop("c")
    x = rng.standard_normal((cin, *size)).astype(np.float32)
    w = rng.standard_normal((cout, cin // spec["groups"], kh, kw)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32)
    prep = prepare(x, w, b, **spec)
    exact, _ = window_sums(prep)
    tol = per_output_tolerance(prep)
    label = f"{kh}×{kw} {cin}→{cout} g{spec['groups']} pad {spec['padding']} " \
            f"{spec['padding_mode']} s{spec['stride']} d{spec['dilation']}" \
            f"{' flip' if spec['flip'] else ''}"
    for name in ("cuda", "cuda-tiled"):
        t0 = time.perf_counter()
        try:
            got = convviz.conv2d(x, w, b, backend=name, **spec)
        except ConvvizError as exc:  # a backend that refuses a case says why
            print(f"refused {name:10s} {label}: {exc}", flush=True)
            continue
        except Exception as exc:
            failed += 1
            print(f"FAILED  {name:10s} {label}: {type(exc).__name__}: {exc}", flush=True)
            continue
        worst = float((np.abs(np.asarray(got, np.float64) - exact) / np.maximum(tol, 1e-30)).max())
        ok = got.shape == exact.shape and worst <= 1.0
        failed += not ok
        print(f"{'ok' if ok else 'WRONG':7s} {name:10s} {label}: max |Δ|/tolerance {worst:.3f} "
              f"({time.perf_counter() - t0:.2f}s with compile)", flush=True)
    done += 1
print(f"{done} of {len(cases)} cases, {failed} failed, {time.perf_counter() - t_start:.0f}s")
sys.exit(1 if failed or done == 0 else 0)
PYEOF
)

BENCH=(scripts/gpu_bench.py --json "$OUT/bench-gpu.json")
REPORT=(scripts/kernel_report.py --markdown)
if [ "$QUICK" = 1 ]; then
    BENCH+=(--quick)
    REPORT+=(--cases 3x3)
fi

# limits: 30 + 45 + 120 + 90 + 120 + 45 = 450 s, each cut to what is left of the budget
TAIL=40 step facts 30 facts.log "$PY" -c "$FACTS"
step oracle 45 oracle.log "$PY" -c "$CONV_CHECK" oracle
# Only what needs the device (the rest runs in CI); third-party warnings are reported,
# not failures, on this machine.
step "CUDA tests (gpu-marked, CONVVIZ_DEVICE=$CONVVIZ_DEVICE)" 120 tests.log \
    "$PY" -m pytest -q -p no:cacheprovider -m gpu -W default::DeprecationWarning \
    -W default::FutureWarning -W default::UserWarning tests/cuda
step sweep 90 sweep.log "$PY" -c "$CONV_CHECK" sweep
step "gpu_bench.py" 120 bench.log "$PY" "${BENCH[@]}"
if [ ! -f scripts/kernel_report.py ]; then
    skip "kernel_report.py" "not in this tree"
elif ! "$PY" -c "from convviz.backends.cuda_inspect import nvdisasm_path; nvdisasm_path()" \
    >/dev/null 2>&1; then
    skip "kernel_report.py" "nvdisasm is not installed (pip install nvidia-cuda-nvdisasm)"
else
    step "kernel_report.py" 45 kernel_report.log "$PY" "${REPORT[@]}"
fi

echo
echo "== summary ($((SECONDS - T0))s; logs in $OUT)"
fail=0
for i in "${!NAMES[@]}"; do
    case ${CODES[$i]} in
        skipped*) printf '%-40s %s\n' "${NAMES[$i]}" "${CODES[$i]}" ;;
        *)
            printf '%-40s exit %s\n' "${NAMES[$i]}" "${CODES[$i]}"
            [ "${CODES[$i]}" -eq 0 ] || fail=1
            ;;
    esac
done
exec >&- 2>&-
wait "$TEE" 2>/dev/null
exit "$fail"
