"""The simulator never type-checks a kernel, so compile the kernels a launch would use to
PTX for a real architecture (sm_90) here, without a GPU: `backends.ptx_for`. And the
types compiled ahead are the types launched: prepare() hands over canonical arrays."""

import os
import subprocess
import sys

import numpy as np
import pytest

from convviz import ConvvizError, backends
from convviz.backends.cuda_naive import array_layout
from convviz.core.spec import prepare

rng = np.random.default_rng(5)


@pytest.fixture(scope="module")
def ptx(compiled):
    return {"cuda": compiled["cuda 3x3"][2], "tiled": compiled["cuda-tiled 3x3"][2],
            "layer": compiled["cuda-tiled layer"][2]}  # fmt: skip


def test_kernels_compile_for_sm90(ptx):
    assert all(".target sm_90" in p for p in ptx.values())
    assert "conv_kernel" in ptx["cuda"] and "conv_tiled_kernel" in ptx["tiled"]
    assert all(p.count(".entry") == 1 for p in ptx.values())


def test_tiled_kernel_uses_shared_memory(ptx):
    assert ".extern .shared" in ptx["tiled"] and "ld.shared.f32" in ptx["tiled"]
    assert "bar.sync" in ptx["layer"]


def test_kernels_do_no_float64_arithmetic(ptx):
    f64 = [line.strip() for p in ptx.values() for line in p.splitlines() if ".f64" in line]
    assert f64 == [], "float64 in a CUDA kernel:\n" + "\n".join(f64[:10])


def test_kernels_do_float32_multiply_adds(ptx):
    assert all("fma.rn.f32" in p for p in ptx.values())


def test_specialised_kernels_have_no_division(ptx):
    # the run-time helpers numba calls for a 64-bit // or %: none in the specialised code
    for p in ptx.values():
        assert "__cuda_sm20_div" not in p and "div.s64" not in p and "rem.s64" not in p


def test_ptx_for_names_the_cuda_backends_only():
    prep = prepare(np.zeros((8, 8), np.float32), np.ones((3, 3), np.float32))
    with pytest.raises(ConvvizError, match="runs no CUDA kernel"):
        backends.ptx_for("cpu", prep)


INPUTS = [
    (rng.random((9, 11)), rng.random((3, 3)), {}),  # 2-D input and kernel: x[None]
    (rng.random((1, 9, 11)), rng.random((3, 3)), {}),  # one channel, broadcast kernel
    (rng.random((3, 9, 11)), rng.random((3, 2)), {}),  # depthwise: broadcast kernel
    (rng.random((9, 11)), rng.random((1, 1, 3, 3)), {"flip": True}),  # flipped view
    (rng.random((11, 9)).T, rng.random((4, 5))[::2], {}),  # transposed, strided inputs
    (rng.random((2, 9, 11)), rng.random((4, 2, 3, 3)), {"bias": [1.0, 2, 3, 4]}),
]


def _canonical_strides(a):
    out, step = [], a.itemsize
    for n in reversed(a.shape):
        out.insert(0, step)
        step *= n
    return tuple(out)


@pytest.mark.parametrize("x,w,kw", INPUTS)
def test_prepared_arrays_are_canonical(x, w, kw):
    prep = prepare(x, w, **kw)
    for a in (prep.x, prep.w, prep.b):
        assert a.dtype == np.float32 and a.flags.c_contiguous
        assert a.strides == _canonical_strides(a)  # no zero stride from a broadcast
        assert array_layout(a) == "C"


CHILD = r"""
import inspect, os, sys, types
os.environ["CONVVIZ_DEVICE"] = "gpu"
import numpy as np
import convviz.core
from numba.cuda.cudadrv.devicearray import DeviceNDArray
from convviz.backends.cuda_naive import device_type
from convviz.core.spec import prepare

def launched(a):  # how numba-cuda types the device array cuda.to_device(a) makes
    fake = types.SimpleNamespace(strides=a.strides, size=a.size, flags=a.flags,
                                 dtype=a.dtype, ndim=a.ndim)
    prop = inspect.getattr_static(DeviceNDArray, "_numba_type_")  # (cached) property
    return (getattr(prop, "func", None) or prop.fget)(fake)

rng = np.random.default_rng(1)
preps = [prepare(rng.random((9, 11)), rng.random((3, 3))),
         prepare(rng.random((3, 9, 11)), rng.random((3, 2))),
         prepare(rng.random((9, 11)), rng.random((1, 1, 3, 3)), flip=True)]
bad = [(str(device_type(a)), str(launched(a))) for p in preps for a in (p.x, p.w, p.b)
       if device_type(a) != launched(a)]
broadcast = np.broadcast_to(np.zeros(3, np.float32), (2, 3))
if device_type(broadcast) != launched(broadcast):
    bad.append(("broadcast", str(device_type(broadcast))))
print("ok" if not bad else bad)
"""


def test_types_compiled_ahead_are_the_types_launched():
    env = dict(os.environ)
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok", done.stdout


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["cuda", "cuda-tiled"])
def test_the_launch_reuses_the_kernel_compiled_ahead(cuda_backend, name):
    from convviz.backends.cuda_naive import launch_types

    be = backends.get(name)
    prep = prepare(rng.random((300, 200)), rng.random((3, 3)), padding=1)
    be.compile(prep)
    kern, args = be.kernel_and_args(prep)
    ahead = set(kern.overloads)
    be.compute(prep)
    assert set(kern.overloads) == ahead == {launch_types(prep, args[4:])}
