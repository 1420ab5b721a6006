"""The kernels as the compiler sees them, held to a budget without a GPU (DESIGN §10).

Each kernel a launch can pick is compiled to PTX for sm_90 (``backends.ptx_for``),
to machine code by ptxas (nvJitLink) and disassembled (nvdisasm). Checked: no local
memory anywhere (no ``.local`` in the PTX, no stack frame, no STL/LDL, no spills),
no float64, that the launch's block fits the registers the kernel uses, and the
instructions a thread issues per output on the interior path (loops times their
trip counts, tile copies and barriers included) within a budget that scales with
the kernel: 3·taps + 48 for ``cuda``, 2.5·taps + 48 for ``cuda-tiled``, k = 1…15.

Everything is compiled in two child processes, once a session: the interior path of
every size 1…15 for both kernels (the weights' handling, where local memory crept
in, is the launched kernel's) and the whole kernel of each class of variant once
(several sizes, each padding mode with strides and dilations, channels, groups,
the fallback to the cuda kernel and the lessons' blocks).
"""

import importlib.util
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from convviz import ConvvizError, backends
from convviz.core.launch import max_threads
from convviz.core.spec import PADDING_MODES, prepare
from tests.cuda.conftest import single_channel

SIZES = range(1, 16)
BUDGET = {"cuda": (3.0, 48), "cuda-tiled": (2.5, 48)}


def tools_or_skip():
    if importlib.util.find_spec("cuda.bindings") is None:
        pytest.skip("nvJitLink missing: pip install cuda-bindings nvidia-nvjitlink")
    from convviz.backends.cuda_inspect import ToolMissing, nvdisasm_path

    try:
        nvdisasm_path()
    except ToolMissing as exc:
        pytest.skip(str(exc))


def _lesson():
    return prepare(np.zeros((2, 8, 8), np.float32), np.zeros((4, 2, 3, 3), np.float32))


def launched_variants():
    """(label, backend, prep): one kernel of every class a launch can pick."""
    cuda, tiled = backends.get("cuda"), backends.get("cuda-tiled")
    x = np.zeros((6, 40, 40), np.float32)
    out = [(f"cuda {k}x{k}", cuda, single_channel(k, n=64)) for k in (1, 6, 8)]
    out += [(f"cuda-tiled {k}x{k}", tiled, single_channel(k, n=64)) for k in (2, 7)]
    for i, mode in enumerate(PADDING_MODES):
        k = (4, 5, 3, 2)[i]
        kw = dict(padding=2, padding_mode=mode, stride=(1 + i % 2, 2 - i % 2), dilation=1 + i // 2)
        out += [(f"{be.name} {mode}", be, single_channel(k, n=48, **kw)) for be in (cuda, tiled)]
    out += [
        ("cuda 4x6 params", cuda, prepare(np.zeros((48, 48), np.float32), np.zeros((4, 6)))),
        ("cuda 2x13 memory", cuda, prepare(np.zeros((48, 48), np.float32), np.zeros((2, 13)))),
        ("cuda groups", cuda, prepare(x, np.zeros((6, 2, 3, 3), np.float32), groups=3, padding=1)),
        ("cuda-tiled groups", tiled,
         prepare(x, np.zeros((4, 3, 3, 3), np.float32), groups=2, padding=1)),
        ("cuda-tiled depthwise", tiled, prepare(x, np.zeros((6, 3), np.float32), padding=1)),
        ("cuda-tiled falls back", tiled,
         single_channel(15, n=200, stride=3, dilation=4, padding=0)),
        ("cuda lesson", cuda.with_block((4, 4)), _lesson()),
        ("cuda-tiled lesson", tiled.with_block((4, 2), rows=2), _lesson()),
    ]  # fmt: skip
    return out


@pytest.fixture(scope="session")
def kernels(compiled):
    """{label: (backend, prep, facts)}: every launched variant (whole kernel) and the
    interior path of each size 1…15 for both backends, compiled in child processes."""
    tools_or_skip()
    from convviz.backends.cuda_inspect import inspect_ptx
    from convviz.backends.cuda_model import trips_for
    from convviz.backends.cuda_ptx import ptx_many

    jobs = launched_variants()
    # the interior path of every size (its weight handling is the launched kernel's)
    for name in BUDGET:
        be = backends.get(name).with_paths("interior")
        jobs += [(f"{name} {k}x{k} interior", be, single_channel(k)) for k in SIZES]
    ptxs = ptx_many([(be, prep) for _, be, prep in jobs])
    jobs += [(key, backends.get(name), prep) for key, (name, prep, _) in compiled.items()]
    ptxs += [ptx for _, _, ptx in compiled.values()]

    def inspect(job, ptx):
        _, be, prep = job
        return inspect_ptx(ptx, trips=trips_for(be, prep), block_x=be.launch(prep).block[0])

    with ThreadPoolExecutor(2) as pool:  # ptxas and nvdisasm run outside the GIL
        facts = list(pool.map(inspect, jobs, ptxs))
    out = {label: (be, prep, f) for (label, be, prep), f in zip(jobs, facts)}
    return out


def test_no_launched_variant_uses_local_memory(kernels):
    for label, (be, prep, f) in kernels.items():
        assert f.local_ptx == 0 and f.stack == 0, (label, f)
        assert f.local_sass == 0 and f.spill_bytes == 0, (label, f)
        assert f.f64 == (), (label, f.f64[:3])
        lau = be.launch(prep)
        assert lau.block[0] * lau.block[1] <= max_threads(f.registers), (label, f.registers)


@pytest.mark.parametrize("name", list(BUDGET))
def test_instructions_per_output_scale_with_the_kernel(kernels, name):
    """Every size 1…15: the interior path within a·taps + b per output, and every
    multiply-add of every cell counted (the trip counts are right)."""
    from convviz.backends.cuda_model import cells_per_thread

    a, b = BUDGET[name]
    over = []
    for k in SIZES:
        be, prep, f = kernels[f"{name} {k}x{k} interior"]
        cells = cells_per_thread(be, prep)
        assert f.ffma == cells * k * k, (name, k, f.path)
        per_output = f.instructions / cells
        if per_output > a * k * k + b:
            over.append((k, round(per_output, 1), a * k * k + b))
    assert over == [], f"{name}: (k, instructions per output, budget) over budget: {over}"


def test_blocks_that_cannot_fit_are_refused():
    with pytest.raises(ConvvizError, match="at most 1024 threads"):
        backends.get("cuda").with_block((64, 32))
    with pytest.raises(ConvvizError, match="at most 256 threads"):
        backends.get("cuda-tiled").with_block((32, 32))
    assert max_threads(64) == 1024 and max_threads(128) == 512 and max_threads(255) == 256
