"""The report's figures condemn slow kernels: three planted defects, each compiled for
sm_90 beside the real kernel, must move the prediction the way a GPU would.

- a weight copy that does not unroll (weights as parameters for a 7×7 kernel, the
  old limit): local memory, and many more instructions per output;
- an input read transposed (a warp's threads read down a column): eight times the
  sectors, and a predicted time above the copy floor's;
- the tile copy behind a branch that almost no block takes the other way: the copy
  is still counted (a report that took the cheap branch would flatter).
"""

import os
import pickle
import subprocess
import sys

import pytest

from convviz import backends
from tests.cuda.conftest import single_channel
from tests.cuda.test_kernel_budget import tools_or_skip

#: compiled in a child (the simulator cannot compile): each plant patches the kernel
#: builders, compiles the backend's own launch path, and undoes the patch
CHILD = r"""
import os, pickle, re, sys
os.environ["CONVVIZ_DEVICE"] = "gpu"
from numba import cuda, float32
from convviz import backends
from convviz.backends import cuda_naive, cuda_tiled, cuda_tiled_source
from convviz.backends.cuda_ptx import _compile_here
from convviz.backends.cuda_naive import kernel_by_key

jobs = pickle.loads(sys.stdin.buffer.read())

def transposed(key):
    # thread ox reads row ox: a warp's 32 loads fall in 32 rows
    return re.sub(r"xs\[(\d+), (iy\d+), (ix\d+)\]", r"xs[\1, \3, \2]", param_source(key))

param_source = cuda_naive.param_kernel_source
def fill_loop(key):
    # the weights copied by a loop into an array the per-cell function indexes
    taps = key[1] * key[2] * key[3]
    head, _ = param_source(key).split("\n", 1)
    return head + f'''
    wp = ({', '.join(f'w{t}' for t in range(taps))},)
    ws = cuda.local.array((1, {key[1]}, {key[2]}, {key[3]}), float32)
    for t in range({taps}):
        ws[0, t // {key[2] * key[3]}, t // {key[3]} % {key[2]}, t % {key[3]}] = wp[t]
    ox, oy = cuda.grid(2)
    ox, oy = u32(ox), u32(oy)
    xs = with_shape(x, ({key[1]}, h, wd))
    outs = with_shape(out, (1, ho, wo))
    if y_lo <= oy < y_hi and x_lo <= ox < x_hi:
        outs[0, oy, ox] = cell_inside(xs, ws, b, u32(0), oy, ox, {', '.join(map(str, key[4:12]))})
    elif {key[-1] == 'interior'}:
        return
    elif oy < ho and ox < wo:
        outs[0, oy, ox] = cell_value(xs, ws, b, u32(0), oy, ox, {', '.join(map(str, key[4:12]))})
'''

def make_fill(key):
    names = dict(cuda=cuda, float32=float32, u32=cuda_naive.u32, with_shape=cuda_naive.with_shape,
                 cell_inside=cuda_naive.cell_inside_dev, cell_value=cuda_naive.cell_value_dev)
    exec(compile(fill_loop(key), "<planted>", "exec"), names)
    return names["conv_kernel"]

source = cuda_tiled_source.kernel_source
def rare_branch(k):
    s = source(k).replace("if inside:", "if inside and by_lo != 77777:", 1)
    skip = "elif by_lo == 77777:\n        pass\n    else:\n        return"
    return s.replace("else:\n        return", skip)

out = []
for plant, name, paths, prep in jobs:
    kernel_by_key.cache_clear(); cuda_tiled.tiled_kernel.cache_clear()
    saved = (cuda_naive.make_param_kernel, cuda_naive.param_kernel_source, cuda_tiled.kernel_source)
    if plant == "fill":
        cuda_naive.make_param_kernel = make_fill
    elif plant == "transposed":
        cuda_naive.param_kernel_source = transposed
    elif plant == "rare":
        cuda_tiled.kernel_source = rare_branch
    be = backends.get(name).with_paths(paths)
    out.append(_compile_here(be, prep, (9, 0)))
    cuda_naive.make_param_kernel, cuda_naive.param_kernel_source, cuda_tiled.kernel_source = saved
sys.stdout.buffer.write(pickle.dumps(out))
"""

CASES = {
    "fill": ("cuda", 7),
    "transposed": ("cuda", 3),
    "rare": ("cuda-tiled", 3),
}


@pytest.fixture(scope="module")
def planted():
    """{plant: (real prediction, real facts, planted prediction, planted facts)}."""
    tools_or_skip()
    from convviz.backends.cuda_inspect import inspect_ptx
    from convviz.backends.cuda_model import predict, trips_for

    jobs = []
    for plant, (name, k) in CASES.items():
        prep = single_channel(k, n=2048)
        for p in ("", plant):
            jobs += [(p, name, paths, prep) for paths in ("interior", "border")]
    env = dict(os.environ, CONVVIZ_DEVICE="gpu")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD], input=pickle.dumps(jobs), capture_output=True,
        env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    ptxs = pickle.loads(done.stdout)
    out = {}
    for i, plant in enumerate(CASES):
        name, _ = CASES[plant]
        prep = jobs[4 * i][3]
        be = backends.get(name)
        trips, bx = trips_for(be, prep), be.launch(prep).block[0]
        facts = [inspect_ptx(p, trips=trips, block_x=bx) for p in ptxs[4 * i : 4 * i + 4]]
        real, bad = predict(be, prep, *facts[:2]), predict(be, prep, *facts[2:])
        out[plant] = (real, facts[0], bad, facts[2])
    return out


def test_a_weight_copy_that_does_not_unroll_is_condemned(planted):
    real, real_f, bad, bad_f = planted["fill"]
    assert not real_f.uses_local_memory
    assert bad_f.uses_local_memory and bad_f.local_sass > 0
    # the copy's loop runs once per tap: dozens of instructions per tap, not a few
    assert bad.interior > 3 * real.interior, (bad.interior, real.interior)
    assert bad.time_s > 2 * real.time_s


def test_a_transposed_read_is_condemned(planted):
    real, real_f, bad, bad_f = planted["transposed"]
    assert real_f.load_sectors <= 4 < 16 <= bad_f.load_sectors
    assert bad.sector_bytes > 4 * real.sector_bytes
    assert bad.time_s > 2 * real.time_s and bad.bound == "sectors"
    assert bad.copy_share < 0.5


def test_a_tile_copy_behind_a_rare_branch_is_counted(planted):
    real, real_f, bad, bad_f = planted["rare"]
    # the copy's global loads are on the counted path, and the figure did not drop
    assert bad_f.path.loads >= real_f.path.loads > 0
    assert bad.interior >= real.interior


def test_the_report_is_not_a_copy_for_every_kernel(planted):
    """'% of copy bandwidth' comes out below 100 % where a kernel is slower than a copy:
    it is not the copy floor by construction."""
    shares = [v[0].copy_share for v in planted.values()] + [
        v[2].copy_share for v in planted.values()
    ]
    assert min(shares) < 1.0
    assert all(0 < s <= 1.0 for s in shares)
