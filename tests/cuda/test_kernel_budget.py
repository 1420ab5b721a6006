"""The kernels as the compiler sees them, held to a budget without a GPU (DESIGN §10).

Each kernel ``get(name).compute(prep)`` would launch is compiled to PTX for sm_90
(``backends.ptx_for``), to machine code by ptxas (nvJitLink) and disassembled
(nvdisasm): registers, spills, float64 and SASS instructions per FFMA on the hot
path are checked, and that the launch's block fits the registers the kernel uses.
"""

import importlib.util

import numpy as np
import pytest

from convviz import ConvvizError, backends
from convviz.core.launch import max_threads
from convviz.core.spec import prepare
from tests.cuda.conftest import COMPILED, single_channel


def _tools_or_skip():
    if importlib.util.find_spec("cuda.bindings") is None:
        pytest.skip("nvJitLink missing: pip install cuda-bindings nvidia-nvjitlink")
    from convviz.backends.cuda_inspect import ToolMissing, nvdisasm_path

    try:
        nvdisasm_path()
    except ToolMissing as exc:
        pytest.skip(str(exc))


#: the budgets: SASS instructions per FFMA on the hot path, and registers
NAIVE_3x3_PER_FFMA, NAIVE_3x3_REGISTERS = 6.0, 40
TILED_3x3_PER_FFMA, TILED_3x3_REGISTERS = 3.0, 64
LAYER_PER_FFMA = 2.0


def _inspect(requests):
    from convviz.backends.cuda_inspect import inspect_ptx
    from convviz.backends.cuda_ptx import ptx_many

    return [inspect_ptx(p) for p in ptx_many([(backends.get(n), p) for n, p in requests])]


@pytest.fixture(scope="module")
def facts(compiled):
    _tools_or_skip()
    from convviz.backends.cuda_inspect import inspect_ptx

    return {key: (inspect_ptx(ptx), prep) for key, (_, prep, ptx) in compiled.items()}


def test_naive_3x3_budget(facts):
    f, _ = facts["cuda 3x3"]
    assert f.ffma == 9, "one cell of a 3×3 kernel: nine multiply-adds, unrolled"
    assert f.per_ffma <= NAIVE_3x3_PER_FFMA, f
    assert f.registers <= NAIVE_3x3_REGISTERS, f


def test_tiled_3x3_budget(facts):
    f, _ = facts["cuda-tiled 3x3"]
    assert f.per_ffma <= TILED_3x3_PER_FFMA, f
    assert f.registers <= TILED_3x3_REGISTERS, f


def test_layer_is_fma_bound(facts):
    f, _ = facts["cuda-tiled layer"]
    assert f.where == "loop"  # the loop over input channels
    assert f.per_ffma <= LAYER_PER_FFMA, f


@pytest.mark.parametrize("key", list(COMPILED))
def test_no_spills_no_float64_and_the_launch_fits(facts, key):
    f, prep = facts[key]
    assert f.spill_bytes == 0 and f.stack == 0, f
    assert f.f64 == (), f.f64[:5]
    lau = backends.get(COMPILED[key][0]).launch(prep)
    assert lau.block[0] * lau.block[1] <= max_threads(f.registers)


def test_blocks_that_cannot_fit_are_refused():
    with pytest.raises(ConvvizError, match="at most 1024 threads"):
        backends.get("cuda").with_block((64, 32))
    with pytest.raises(ConvvizError, match="at most 256 threads"):
        backends.get("cuda-tiled").with_block((32, 32))
    assert max_threads(64) == 1024 and max_threads(128) == 512 and max_threads(255) == 256


#: one problem per way the kernels are written out: tile copies with guarded rows and
#: leftover columns, window and taps order, kernel rows as a loop, several input and
#: output channels, groups, stride, dilation, every padding mode, and a
#: tile too big for shared memory (the cuda kernel runs)
VARIANTS = [
    ("cuda", dict(k=5, padding_mode="reflect")),
    ("cuda", dict(k=15, padding_mode="circular", n=64)),
    ("cuda", dict(k=4, stride=2, dilation=3, padding=2, padding_mode="replicate")),
    ("cuda-tiled", dict(k=7)),
    ("cuda-tiled", dict(k=15, n=64, padding_mode="reflect")),
    ("cuda-tiled", dict(k=2, stride=(2, 3), padding=1, padding_mode="circular")),
    ("cuda-tiled", dict(k=3, dilation=2, padding=2, padding_mode="replicate")),
    ("cuda-tiled", dict(k=15, stride=3, dilation=4, n=200, padding=0)),  # falls back
]


@pytest.mark.slow
def test_every_kind_of_variant_compiles_clean():
    _tools_or_skip()
    requests = [(name, single_channel(**kw)) for name, kw in VARIANTS]
    x = np.zeros((6, 40, 40), np.float32)
    requests += [
        ("cuda-tiled", prepare(x, np.zeros((4, 3, 3, 3), np.float32), groups=2, padding=1)),
        ("cuda-tiled", prepare(x, np.zeros((6, 3), np.float32), padding=1)),  # depthwise
        ("cuda", prepare(x, np.zeros((6, 2, 3, 3), np.float32), groups=3, padding=1)),
    ]
    runs = [(backends.get(name), prep) for name, prep in requests]
    # the lesson's small blocks (what "Run in parallel" launches on a GPU)
    lesson = prepare(np.zeros((2, 8, 8), np.float32), np.zeros((4, 2, 3, 3), np.float32))
    runs += [
        (backends.get("cuda").with_block((4, 4)), lesson),
        (backends.get("cuda-tiled").with_block((4, 2), rows=2), lesson),
        (backends.get("cuda-tiled").with_block((4, 2), rows=2), single_channel(n=8)),
    ]
    from convviz.backends.cuda_inspect import inspect_ptx
    from convviz.backends.cuda_ptx import ptx_many

    for (be, prep), ptx in zip(runs, ptx_many(runs)):
        f = inspect_ptx(ptx)
        assert f.spill_bytes == 0 and f.f64 == (), (be.name, be.block, prep.spec, f)
        lau = be.launch(prep)
        assert lau.block[0] * lau.block[1] <= max_threads(f.registers), (be.name, f)
        assert f.ffma > 0
