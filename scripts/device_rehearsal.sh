#!/usr/bin/env bash
# Rehearse the GPU machine here, so that the first real run is not the first run
# (DESIGN.md §10).
#
#   scripts/device_rehearsal.sh            # build (or reuse) the environment, then check
#   REHEARSAL_TORCH=0 scripts/device_rehearsal.sh   # without torch (a 3 GB download)
#
# The GPU machine has no network and its own Python: 3.12 with numpy 2.5.2, numba,
# numba-cuda, CuPy, torch 2.11, OpenCV, Pillow, pytest, hypothesis, scipy; no PySide6,
# no platformdirs. This script rebuilds that here:
#   1. downloads the wheels into a wheelhouse (the one step that uses the network);
#   2. makes a Python 3.12 venv and installs them with the index off
#      (PIP_NO_INDEX=1, --find-links wheelhouse, no pip configuration);
#   3. checks that PySide6 and platformdirs are absent;
#   4. runs `CONVVIZ_DEVICE=sim scripts/gpu_check.sh --quick` from this tree with the
#      index still off, and without a network where `unshare -n` can take it away;
#      CONVVIZ_CACHE_DIR unset, as there (the cache goes to $XDG_CACHE_HOME/convviz,
#      pointed into the rehearsal folder).
# Exits with gpu_check.sh's status. CuPy is left out (it needs a GPU to do anything,
# and the simulator's run never calls it); so is the CUDA toolkit's nvdisasm, so the
# run also shows the kernel report being skipped as it would be there.
#
# Everything is kept under $REHEARSAL_DIR (default ~/.cache/convviz-rehearsal):
# wheelhouse/, venv/ and report/ (gpu_check.sh's $OUT). A second run reuses the
# wheelhouse and the venv as long as the requirement list and the Python are the
# same (a stamp file says which); delete the folder to start afresh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${REHEARSAL_DIR:-$HOME/.cache/convviz-rehearsal}"
PY312="${PYTHON312:-}"
if [ -z "$PY312" ]; then  # the first Python 3.12 that runs (a pyenv shim may not)
    for cand in python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python /usr/bin/python3.12; do
        if "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
            PY312=$cand
            break
        fi
    done
fi
REQS=(
    "numpy==2.5.2" numba numba-cuda scipy Pillow opencv-python-headless pytest hypothesis
)
[ "${REHEARSAL_TORCH:-1}" = 1 ] && REQS+=("torch==2.11.0")
T0=$SECONDS

"${PY312:-false}" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null || {
    echo "needs Python 3.12: none found (set PYTHON312=/path/to/python3.12)" >&2
    exit 2
}
mkdir -p "$DIR/wheelhouse"
STAMP="$("$PY312" -VV | head -1) | ${REQS[*]}"

echo "== 1. wheelhouse: $DIR/wheelhouse"
if [ "$(cat "$DIR/wheelhouse/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    # (this machine's own pip configuration may add local indexes: their notes dropped)
    "$PY312" -m pip download -q --only-binary=:all: -d "$DIR/wheelhouse" "${REQS[@]}" 2>&1 |
        grep -v "^WARNING: Location '.*' is ignored" || true
    "$PY312" -m pip download -q --only-binary=:all: -d "$DIR/wheelhouse" --no-index \
        --find-links "$DIR/wheelhouse" "${REQS[@]}" >/dev/null  # all there? fails if not
    echo "$STAMP" >"$DIR/wheelhouse/.stamp"
else
    echo "up to date ($(find "$DIR/wheelhouse" -name '*.whl' | wc -l) wheels)"
fi

# From here on no package index, and no pip configuration of this machine's either.
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
VENV="$DIR/venv"
echo "== 2. venv: $VENV (index off)"
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$VENV"
    "$PY312" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --find-links "$DIR/wheelhouse" "${REQS[@]}"
    echo "$STAMP" >"$VENV/.stamp"
else
    echo "up to date"
fi

echo "== 3. the GPU machine's gaps"
"$VENV/bin/python" - <<'PYEOF'
import importlib.metadata as md, importlib.util, sys
print("python", sys.version.split()[0], "|", ", ".join(
    f"{d} {md.version(d)}" for d in ("numpy", "numba", "numba-cuda", "scipy", "pillow",
                                     "opencv-python-headless", "pytest", "hypothesis")
), "| torch", md.version("torch") if importlib.util.find_spec("torch") else "-")
present = [m for m in ("PySide6", "platformdirs") if importlib.util.find_spec(m)]
if present:
    sys.exit(f"installed, but absent on the GPU machine: {present}")
print("PySide6 and platformdirs: absent, as there")
PYEOF

echo "== 4. scripts/gpu_check.sh --quick on the simulator ($((SECONDS - T0))s so far)"
rm -rf "$DIR/report"
NONET=()
if unshare -n true 2>/dev/null; then
    NONET=(unshare -n)
    echo "(no network: unshare -n)"
fi
set +e
"${NONET[@]}" env OUT="$DIR/report" PYTHON="$VENV/bin/python" CONVVIZ_DEVICE=sim \
    XDG_CACHE_HOME="$DIR/cache" bash "$ROOT/scripts/gpu_check.sh" --quick
rc=$?
set -e
echo "== rehearsal: gpu_check.sh exit $rc, $((SECONDS - T0))s in all; report in $DIR/report"
exit "$rc"
