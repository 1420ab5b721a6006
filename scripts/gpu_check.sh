#!/usr/bin/env bash
# The one prepared script for a machine with an NVIDIA GPU (DESIGN.md §10).
#
#   OUT=/some/dir scripts/gpu_check.sh            # the real check, on the GPU
#   CONVVIZ_DEVICE=sim scripts/gpu_check.sh --quick  # the script itself, on the simulator
#
# Runs from the source tree (PYTHONPATH=.), on a fresh machine with only the repo:
# installs what is missing when a package index answers within a few seconds, and
# uses what is installed when not. Steps, each under `timeout` (the limits add up to
# less than 8 minutes): facts (as `python -m numba -s`), install, the CUDA tests on
# the device, scripts/gpu_bench.py (bench JSON), scripts/kernel_report.py if present.
# Full logs go to $OUT (7 files, no folders); stdout gets each step's tail and a
# summary. Exits non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
OUT="${OUT:-$PWD/gpu-report}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
export CONVVIZ_DEVICE="${CONVVIZ_DEVICE:-gpu}"
exec > >(tee "$OUT/summary.txt") 2>&1
TEE=$!
TAIL="${TAIL:-25}"
NAMES=()
CODES=()
T0=$SECONDS

# step NAME LIMIT_S LOG CMD...: run CMD under timeout, full output to $OUT/LOG, tail here
step() {
    local name=$1 limit=$2 log=$3 t=$SECONDS rc
    shift 3
    echo
    echo "== $name (limit ${limit}s; full log: $log)"
    timeout -k 2 "$limit" "$@" >"$OUT/$log" 2>&1
    rc=$?
    tail -n "$TAIL" "$OUT/$log"
    [ "$rc" -eq 124 ] && echo "!! $name timed out after ${limit}s"
    echo "-- $name: exit $rc, $((SECONDS - t))s"
    NAMES+=("$name")
    CODES+=("$rc")
}

facts() {
    local s rc=0
    s=$(mktemp)
    echo "-- python -m numba -s"
    timeout 25 "$PY" -m numba -s >"$s" 2>&1 || rc=1
    cat "$s"
    echo "-- the machine"
    date -u
    uname -a
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,pstate \
        --format=csv 2>&1 || echo "nvidia-smi: not available"
    "$PY" - <<'PYEOF'
import importlib.metadata as md, sys
print("python", sys.version.split()[0], sys.executable)
have = []
for d in ("numpy", "numba", "numba-cuda", "cuda-bindings", "nvidia-nvvm", "cupy-cuda12x",
          "cupy-cuda13x", "torch", "pytest", "Pillow", "scipy", "hypothesis", "PySide6",
          "pyqtgraph"):
    try:
        have.append(f"{d} {md.version(d)}")
    except md.PackageNotFoundError:
        have.append(f"{d} -")
print("; ".join(have))
from convviz.core import device
print("driver CUDA version:", device.driver_cuda_version())
print("device choice:", device.choose())
from convviz import backends
be = backends.get("cuda")
print("cuda backend available:", be.available, be.reason or "", "|", be.device)
PYEOF
    [ $? -eq 0 ] || rc=1
    echo "-- selected from python -m numba -s"
    grep -iE "cuda|nvvm|driver|compute capability|toolkit|libdevice|cudart|error" "$s" |
        grep -v "^ *$" | head -15
    rm -f "$s"
    return $rc
}

missing_modules() {  # the importable names among "$@" that do not import
    "$PY" - "$@" <<'PYEOF'
import importlib.util, sys
print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))
PYEOF
}

install_missing() {
    local need want extra
    need=$(missing_modules numpy numba numba_cuda pytest PIL)
    want=$(missing_modules scipy hypothesis)
    nvvm=$("$PY" -c "from numba.cuda.cudadrv import nvvm; print(int(nvvm.is_available()))" 2>/dev/null)
    extra=cu12
    major=$("$PY" -c "from convviz.core import device; v = device.driver_cuda_version(); print(v[0] if v else 12)" 2>/dev/null)
    [ "${major:-12}" -ge 13 ] && extra=cu13
    echo "missing (needed): ${need:-none}; missing (optional): ${want:-none}; NVVM: ${nvvm:-?}"
    if [ -z "$need$want" ] && [ "${nvvm:-0}" = 1 ]; then
        echo "nothing to install"
        return 0
    fi
    if ! timeout 10 "$PY" -m pip index versions pip >/dev/null 2>&1; then
        echo "no package index answered within 10 s: using what is installed"
        [ -z "$need" ]  # fails the step only if something needed is missing
        return
    fi
    local pkgs=()
    for m in $need $want; do
        case $m in
            PIL) pkgs+=(Pillow) ;;
            numba_cuda) pkgs+=("numba-cuda[$extra]") ;;
            *) pkgs+=("$m") ;;
        esac
    done
    [ "${nvvm:-0}" = 1 ] || pkgs+=("numba-cuda[$extra]")
    echo "pip install ${pkgs[*]}"
    "$PY" -m pip install -q "${pkgs[@]}" ||
        "$PY" -m pip install -q --break-system-packages "${pkgs[@]}"
}

# the test files that need only numpy, numba, numba-cuda and pytest (scipy/torch: skipped)
TESTS=(tests/cuda tests/core/test_device.py)
BENCH=(scripts/gpu_bench.py --json "$OUT/bench-gpu.json")
REPORT=(scripts/kernel_report.py)
if [ "$QUICK" = 1 ]; then
    TESTS=(tests/cuda/test_cuda_probe.py tests/cuda/test_gpu_timing.py)
    BENCH+=(--quick)
    REPORT+=(--cases 3x3)
fi

# shell functions run under `timeout` through a child bash
export -f facts missing_modules install_missing
export PY OUT
# limits: 35 + 60 + 170 + 120 + 75 = 460 s, plus 2 s of grace each: under 8 minutes
TAIL=30 step facts 35 facts.log bash -c facts
step install 60 install.log bash -c install_missing
# third-party warnings are reported, not failures, on this machine
step "CUDA tests (CONVVIZ_DEVICE=$CONVVIZ_DEVICE)" 170 tests.log \
    "$PY" -m pytest -q -p no:cacheprovider -m "not slow" -W default::DeprecationWarning \
    -W default::FutureWarning -W default::UserWarning "${TESTS[@]}"
step "gpu_bench.py" 120 bench.log "$PY" "${BENCH[@]}"
if [ -f scripts/kernel_report.py ]; then
    step "kernel_report.py" 75 kernel_report.log "$PY" "${REPORT[@]}"
else
    echo
    echo "== kernel_report.py: not in this tree, skipped"
fi

echo
echo "== summary ($((SECONDS - T0))s; logs in $OUT)"
fail=0
for i in "${!NAMES[@]}"; do
    printf '%-40s exit %s\n' "${NAMES[$i]}" "${CODES[$i]}"
    [ "${CODES[$i]}" -eq 0 ] || fail=1
done
exec >&- 2>&-
wait "$TEE" 2>/dev/null
exit "$fail"
