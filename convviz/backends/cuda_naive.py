"""The ``cuda`` backend's kernel: one thread, one output cell, specialised.

The kernel is the textbook one: ``ox, oy = cuda.grid(2)``, a bounds guard, then
the same per-cell function the CPU loops call
(:func:`convviz.core.cellmath.cell_value`, compiled as a CUDA device function).
What the launch knows -- kernel size, stride, dilation, padding, channels -- is a
compile-time constant of the kernel (closure variables; one compiled kernel per
specialisation), so the per-cell loops unroll and every weight offset is an
immediate. The image size is not: it comes with the launch (with the range of
output cells whose window lies inside the input), so one compiled kernel serves
every image size of a kernel shape -- paging through sizes compiles nothing new.
Cells whose window lies wholly inside the input call the same
function with a ``map_index`` that is the identity: no padding logic on the
common path, and its own store (the border path, with its bounds guard, has
another). Indices are 32-bit where the sizes allow.

The weights of a one-output-channel kernel of up to ``PARAM_WEIGHTS`` taps travel
with the launch as kernel parameters, one named parameter a tap, in a kernel
written out for its shape (:mod:`convviz.backends.cuda_naive_source`): the constant
bank's broadcast, and no array that could end up in local memory. They are launch
arguments, not compiled-in constants: editing the kernel launches the same compiled
code. Other kernels read their weights from global memory (every thread of a warp
loads the same address: one broadcast sector).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy import float32

from convviz.backends.cuda_intrinsics import nonneg, u32, with_shape
from convviz.backends.cuda_naive_source import param_kernel_source
from convviz.backends.cuda_toolchain import cuda
from convviz.core import cellmath, device
from convviz.core.spec import ConvSpec

_jit: Any = cuda.jit  # numba's decorators are untyped


def _device(fn: Any) -> Any:
    """``fn`` as a CUDA device function, inlined into its caller on a real GPU so that the
    kernel's constants reach the loops."""
    if device.choose().mode == "sim":
        return _jit(device=True)(fn)
    return _jit(device=True, forceinline=True)(fn)


map_index_dev = _device(cellmath.map_index)
cell_value_dev = _device(cellmath.retarget(cellmath.cell_value, map_index=map_index_dev))


def _inside(i: Any, n: Any, mode: Any) -> Any:
    """map_index for a window known to lie inside the input: the index itself, known to
    the compiler as not negative (so no padding test, no wraparound is compiled)."""
    return nonneg(i)


#: cell_value for threads whose whole window lies inside the input: no padding logic
cell_inside_dev = _device(cellmath.retarget(cellmath.cell_value, map_index=_device(_inside)))

#: the compiled kernels kept (least recently used dropped first)
KEEP_KERNELS = 16

#: which of a kernel's paths are compiled: all of them (what a launch runs), or, for the
#: report's accounting, only the interior cells' path or only the border cells'
PATHS = ("all", "interior", "border")


def kernel_key(spec: ConvSpec, paths: str = "all") -> tuple[Any, ...]:
    """What the naive kernel is specialised on: the kernel's shape (c_out, C_in/groups,
    kh, kw, stride, dilation, top/left padding, mode, groups); not the image size."""
    return (spec.c_out, spec.c_in // spec.groups, spec.kh, spec.kw, *spec.kernel_args(),
            paths)  # fmt: skip


def shape_label(spec: ConvSpec) -> str:
    """A kernel shape as people say it: "3×3", "64→64, 3×3"."""
    k = f"{spec.kh}×{spec.kw}"
    return k if spec.c_in == spec.c_out == 1 else f"{spec.c_in}→{spec.c_out}, {k}"


def make_kernel(key: tuple[Any, ...]) -> Any:
    """The textbook kernel with ``key``'s numbers as compile-time constants (closure
    variables): the per-cell loops unroll, weight offsets are immediates; the weights
    are read from memory (see :func:`make_param_kernel` for weights as parameters); the
    image's sizes and the range of interior cells come with the launch
    (:func:`size_args`)."""
    c_out, cin_g, kh, kw, sy, sx, dy, dx, pt, pl, mode, groups, paths = key
    c_in = cin_g * groups
    interior_only, border_only = paths == "interior", paths == "border"

    def conv_kernel(
        x: Any, w: Any, b: Any, out: Any, h: Any, wd: Any, ho: Any, wo: Any,
        y_lo: Any, y_hi: Any, x_lo: Any, x_hi: Any,
    ) -> None:  # fmt: skip
        """One thread computes out[blockIdx.z, oy, ox]; the window of cells with
        y_lo <= oy < y_hi and x_lo <= ox < x_hi lies wholly inside the input."""
        ox, oy = cuda.grid(2)  # type: ignore[call-arg, var-annotated]
        # one output channel: blockIdx.z is 0, a constant the compiler can fold
        co = u32(cuda.blockIdx.z) if c_out > 1 else u32(0)
        ox, oy = u32(ox), u32(oy)  # 32 bits suffice, and never negative
        # the same arrays, their shapes known to the compiler (the image's from the launch)
        xs = with_shape(x, (c_in, h, wd))
        outs = with_shape(out, (c_out, ho, wo))
        ws = with_shape(w, (c_out, cin_g, kh, kw))
        inside = y_lo <= oy < y_hi and x_lo <= ox < x_hi
        if inside and not border_only:  # the window lies inside the input
            outs[co, oy, ox] = cell_inside_dev(
                xs, ws, b, co, oy, ox, sy, sx, dy, dx, pt, pl, mode, groups
            )
        elif interior_only:  # (the report's count of the interior path alone)
            return
        elif oy < ho and ox < wo:  # a cell at the border (threads past the edge: none)
            outs[co, oy, ox] = cell_value_dev(
                xs, ws, b, co, oy, ox, sy, sx, dy, dx, pt, pl, mode, groups
            )

    return conv_kernel


#: the most weights a launch carries as kernel parameters (4 bytes each of the 4 KiB a
#: launch's parameters may take; a 15×15 kernel's 225 fit)
PARAM_WEIGHTS = 256


def weights_in_params(c_out: int, taps: int) -> bool:
    """Whether a kernel with ``taps`` weights for ``c_out`` output channels takes them as
    kernel parameters: one output channel (every thread reads the same weights) and few."""
    return c_out == 1 and taps <= PARAM_WEIGHTS


def weight_params(prep: Any) -> tuple[Any, ...]:
    """The launch's weight parameters: the weights as float32 numbers when they travel
    as parameters, else none."""
    s = prep.spec
    if not weights_in_params(s.c_out, s.c_out * (s.c_in // s.groups) * s.kh * s.kw):
        return ()
    return tuple(float32(v) for v in prep.w.ravel())


def kernel_from_source(source: str, name: str, label: str, **device_fns: Any) -> Any:
    """The Python function ``name`` of a generated kernel ``source`` (not yet compiled),
    which sees the CUDA API, numpy's float32, the intrinsics and ``device_fns`` (which
    may replace any of them)."""
    names: dict[str, Any] = {
        "cuda": cuda,
        "float32": float32,
        "u32": u32,
        "nonneg": nonneg,
        "with_shape": with_shape,
        **device_fns,
    }
    exec(compile(source, f"<{name} {label}>", "exec"), names)  # generated from numbers only
    return names[name]


def make_param_kernel(key: tuple[Any, ...]) -> Any:
    """The kernel for ``key`` (one output channel) with one weight parameter a tap."""
    source = param_kernel_source(key)
    return kernel_from_source(source, "conv_kernel", str(key), cell_value=cell_value_dev)


def inside_range(n: int, k: int, stride: int, dilation: int, pad: int) -> tuple[int, int]:
    """Output indices o with the window o·stride − pad + (0 … (k−1)·dilation) inside an
    input axis of length n: lo <= o < hi (hi <= lo: no such cell)."""
    lo = -(-pad // stride)
    hi = max(lo, (n + pad - (k - 1) * dilation - 1) // stride + 1)
    return lo, hi


def kernel_jit(fn: Any, threads: int, blocks: int = 1) -> Any:
    """``fn`` as a CUDA kernel compiled for blocks of ``threads`` threads, ``blocks`` of
    them resident on an SM (launch bounds: the compiler keeps its registers within
    65536 / (threads × blocks), so the launch always fits). The simulator takes none."""
    if device.choose().mode == "sim":
        return _jit(fn)
    return _jit(launch_bounds=(threads, blocks))(fn)


def size_args(spec: ConvSpec) -> tuple[np.uint32, ...]:
    """The launch's size arguments: input height and width, output height and width,
    then the interior cells' rows y_lo … y_hi and columns x_lo … x_hi."""
    (sy, sx), (dy, dx), pad = spec.stride, spec.dilation, spec.padding
    ys = inside_range(spec.h, spec.kh, sy, dy, pad[0])
    xs = inside_range(spec.w, spec.kw, sx, dx, pad[2])
    return tuple(np.uint32(v) for v in (spec.h, spec.w, spec.out_h, spec.out_w, *ys, *xs))


@functools.lru_cache(maxsize=KEEP_KERNELS)
def kernel_by_key(key: tuple[Any, ...]) -> Any:
    """The kernel for ``key``, compiled lazily at its first launch. Its launch bound is
    blocks of up to 1024 threads with 64 registers a thread (what every block size this
    kernel is launched with gets), so one compiled kernel serves every block shape."""
    c_out, cin_g, kh, kw = key[:4]
    make = make_param_kernel if weights_in_params(c_out, c_out * cin_g * kh * kw) else make_kernel
    return kernel_jit(make(key), 1024, 1)


def kernel_for(spec: ConvSpec, block: tuple[int, int] = (16, 16), paths: str = "all") -> Any:
    """The kernel for ``spec`` (one per kernel shape, whatever the image size or block)."""
    return kernel_by_key(kernel_key(spec, paths))


def array_layout(a: np.ndarray) -> str:
    """The layout numba-cuda gives ``cuda.to_device(a)``: 'C' or 'F' when contiguous
    without a zero stride, else 'A' (a broadcast array is 'A' even when numpy calls it
    contiguous)."""
    broadcast = 0 in a.strides and a.size != 0
    if a.flags.c_contiguous and not broadcast:
        return "C"
    if a.flags.f_contiguous and not broadcast:
        return "F"
    return "A"


def device_type(a: np.ndarray) -> Any:
    """The numba type of ``cuda.to_device(a)`` (its layout as numba-cuda's DeviceNDArray
    gives it, see :func:`array_layout`)."""
    return cuda_typeof()(np.empty((1,) * a.ndim, a.dtype)).copy(layout=array_layout(a))


def launch_types(prep: Any, scalars: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """The argument types a launch on ``prep`` passes: the four arrays as sent to the
    device (the output is allocated C-contiguous there), then the scalars."""
    out = np.empty((1, 1, 1), np.float32)
    typeof = cuda_typeof()
    arrays = (prep.x, prep.w, prep.b, out)
    return (*(device_type(a) for a in arrays), *(typeof(v) for v in scalars))


def cuda_typeof() -> Any:
    """numba-cuda's own typeof where it has one (its types may differ from numba's)."""
    try:
        from convviz.backends.cuda_toolchain import typeof
    except ImportError:  # older numba-cuda shares numba's types
        from numba import typeof
    return typeof
