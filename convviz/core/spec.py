"""Argument normalisation and validation: one definition of the operation.

Everything a backend needs arrives as a :class:`Prepared`: float32 C-contiguous
arrays of fixed rank, the kernel already rotated when ``flip`` is set, and a
frozen :class:`ConvSpec` with every number resolved. Backends never see user
input, so they never need to validate.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from convviz.errors import ConvvizError

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
MODE_CODE = {name: code for code, name in enumerate(PADDING_MODES)}
#: padding_mode -> numpy.pad mode; scipy.ndimage names are in SCIPY_MODE.
NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
SCIPY_MODE = {"zeros": "constant", "reflect": "mirror", "replicate": "nearest", "circular": "wrap"}


def groups_fit(c_in: int, c_out: int, groups: int) -> bool:
    """Whether ``groups`` splits ``c_in`` input and ``c_out`` output channels into equal
    groups (it divides both): the one rule for groups, as PyTorch's."""
    return groups >= 1 and c_in % groups == 0 and c_out % groups == 0


def possible_groups(c_in: int, c_out: int) -> list[int]:
    """Every ``groups`` that ``c_in`` → ``c_out`` channels allow, ascending."""
    return [g for g in range(1, min(c_in, c_out) + 1) if groups_fit(c_in, c_out, g)]


def window_span(k: int, dilation: int) -> int:
    """How many input pixels a kernel of ``k`` taps with ``dilation`` covers on one axis."""
    return dilation * (k - 1) + 1


@dataclass(frozen=True)
class ConvSpec:
    """A fully resolved convolution: shapes and every parameter as numbers."""

    c_in: int
    h: int
    w: int
    c_out: int
    kh: int
    kw: int
    groups: int
    stride: tuple[int, int]
    dilation: tuple[int, int]
    padding: tuple[int, int, int, int]  # top, bottom, left, right
    padding_mode: str
    flip: bool
    out_h: int
    out_w: int
    squeeze: bool  # 2-D input with 2-D kernel: return (H_out, W_out)

    @property
    def mode_code(self) -> int:
        return MODE_CODE[self.padding_mode]

    @property
    def out_shape(self) -> tuple[int, int, int]:
        return (self.c_out, self.out_h, self.out_w)

    @property
    def span(self) -> tuple[int, int]:
        """(rows, columns) of input one output cell's window covers: d·(k−1)+1 per axis."""
        return window_span(self.kh, self.dilation[0]), window_span(self.kw, self.dilation[1])

    def kernel_index(self, ky: int, kx: int) -> tuple[int, int]:
        """Which weight of the user's kernel tap (ky, kx) multiplies (rotated when flip);
        its own inverse."""
        return (self.kh - 1 - ky, self.kw - 1 - kx) if self.flip else (ky, kx)

    @property
    def cells(self) -> int:
        """Number of output values (one CUDA thread each)."""
        return self.c_out * self.out_h * self.out_w

    @property
    def taps(self) -> int:
        """Multiply-adds per output cell."""
        return (self.c_in // self.groups) * self.kh * self.kw

    @property
    def macs(self) -> int:
        return self.cells * self.taps

    def kernel_args(self) -> tuple[int, ...]:
        """The scalars the per-cell function takes after (x, w, b, co, oy, ox)."""
        (sy, sx), (dy, dx) = self.stride, self.dilation
        return (sy, sx, dy, dx, self.padding[0], self.padding[2], self.mode_code, self.groups)

    def output_size_text(self, axis: int) -> str:
        """The output-size formula with this spec's numbers, for one axis (0 = rows)."""
        n, k = (self.h, self.kh) if axis == 0 else (self.w, self.kw)
        before, after = self.padding[2 * axis], self.padding[2 * axis + 1]
        s, d = self.stride[axis], self.dilation[axis]
        out = self.out_h if axis == 0 else self.out_w
        return f"floor(({n} + {before} + {after} - {d}*({k}-1) - 1) / {s}) + 1 = {out}"


@dataclass(frozen=True)
class Prepared:
    x: np.ndarray  # (C_in, H, W) float32
    w: np.ndarray  # (C_out, C_in // groups, kh, kw) float32, already flipped if spec.flip
    b: np.ndarray  # (C_out,) float32 (zeros when no bias)
    spec: ConvSpec

    def finish(self, out: np.ndarray) -> np.ndarray:
        """Give a (C_out, H_out, W_out) result the shape the caller asked for."""
        return out[0] if self.spec.squeeze else out


def _pair(value: object, name: str, minimum: int) -> tuple[int, int]:
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ConvvizError(f"{name} must be an integer or a pair (y, x); got {value!r}")
    out = []
    for v in items:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise ConvvizError(f"{name} must be an integer or a pair of integers; got {value!r}")
        if v < minimum:
            raise ConvvizError(f"{name} must be >= {minimum}; got {value!r}")
        out.append(int(v))
    return out[0], out[1]


def _as_float_array(value: object, name: str, finite: bool = True) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise ConvvizError(f"{name} is not a rectangular array of numbers ({exc})") from None
    # dtype.kind, not np.issubdtype: a call that costs more than the rest (conv2d's overhead)
    if arr.dtype.kind not in "biuf":
        if arr.dtype.kind == "c":
            raise ConvvizError(f"{name} must be real; got complex values")
        raise ConvvizError(f"{name} must hold numbers; got dtype {arr.dtype}")
    if arr.dtype != np.float32 or not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr, dtype=np.float32)
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str = "input") -> None:
    """ConvvizError naming the first non-finite value of ``arr``, if it holds one."""
    # a float64 sum of float32 values cannot overflow: it is finite exactly when every value
    # is (an inf or nan makes it inf or nan); one reduction instead of isfinite + all, and
    # for a kernel-sized array Python's own sum (numpy's reductions cost more to start)
    total = sum(arr.ravel().tolist()) if arr.size <= 4096 else arr.sum(dtype=np.float64)
    if not math.isfinite(float(total)):
        bad = ~np.isfinite(arr)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ConvvizError(
            f"{name} holds a non-finite value ({arr[where]}) at index {where}; "
            "only finite numbers can be convolved"
        )


def _resolve_padding(
    padding: object, kh: int, kw: int, dilation: tuple[int, int], stride: tuple[int, int]
) -> tuple[int, int, int, int]:
    if isinstance(padding, str):
        name = padding.strip().lower()
        if name == "valid":
            return (0, 0, 0, 0)
        if name == "same":
            if stride != (1, 1):
                raise ConvvizError(
                    f"padding='same' needs stride 1; got stride {stride}. "
                    "Use a number for the padding, or stride 1"
                )
            ty, tx = window_span(kh, dilation[0]) - 1, window_span(kw, dilation[1]) - 1
            # As PyTorch: an odd total puts the extra row/column after.
            return (ty // 2, ty - ty // 2, tx // 2, tx - tx // 2)
        raise ConvvizError(
            f"padding {padding!r} is not valid: use an integer, a pair, "
            "(top, bottom, left, right), 'valid' or 'same'"
        )
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        vals = []
        for v in padding:
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
                raise ConvvizError(f"padding must be non-negative integers; got {padding!r}")
            vals.append(int(v))
        return (vals[0], vals[1], vals[2], vals[3])
    py, px = _pair(padding, "padding", 0)
    return (py, py, px, px)


def prepare(
    x: ArrayLike,
    w: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: object = 1,
    padding: object = 0,
    dilation: object = 1,
    groups: object = 1,
    padding_mode: object = "zeros",
    flip: object = False,
    check_input: bool = True,
) -> Prepared:
    """Validate the arguments of :func:`convviz.conv2d` and resolve every number.

    Raises
    ------
    ConvvizError
        With a message that names the offending value and what would be valid.
    """
    # check_input=False: the caller checks x with check_finite (conv2d does, from the result)
    # an array already float32 and C-contiguous is taken as it is, checked without a call
    # into numpy (conv2d's overhead is mostly such calls)
    if type(x) is np.ndarray and x.dtype is _FLOAT32 and x.flags.c_contiguous and not check_input:
        xa = x
    else:
        xa = _as_float_array(x, "input", check_input)
    if type(w) is np.ndarray and w.dtype is _FLOAT32 and w.flags.c_contiguous:
        wa = w
        check_finite(wa, "kernel")
    else:
        wa = _as_float_array(w, "kernel")
    bshape = None if bias is None else np.shape(bias)
    params = (stride, padding, dilation, groups, padding_mode, flip)
    # the numbers depend on shapes and options only: resolved once for a repeated call
    # (repr tells 1 from True and 2 from 2.0, which validation treats apart)
    key = (xa.shape, wa.shape, bshape, repr(params))
    spec = _RESOLVED.get(key)
    if spec is None:
        spec = resolve(xa.shape, wa.shape, bshape, *params)
        if len(_RESOLVED) > 256:
            _RESOLVED.clear()
        _RESOLVED[key] = spec
    # every array canonical (see canonical()); a reshape of a C-contiguous array already is
    x3 = xa.reshape((1, *xa.shape)) if xa.ndim == 2 else canonical(xa)
    if wa.ndim == 2:  # one 2-D kernel on C channels filters each channel alone (depthwise)
        w4 = wa.reshape((1, 1, *wa.shape))
        if spec.c_in > 1:
            w4 = np.ascontiguousarray(np.broadcast_to(w4, (spec.c_in, 1, *wa.shape)))
    else:
        w4 = canonical(wa)
    if spec.flip:
        w4 = canonical(w4[:, :, ::-1, ::-1])
    if bias is None:
        b = np.zeros(spec.c_out, np.float32)
    else:
        b = _as_float_array(bias, "bias").reshape(-1)
    return Prepared(x3, w4, b, spec)


_RESOLVED: dict[tuple[object, ...], ConvSpec] = {}


_FLOAT32 = np.dtype(np.float32)


def resolve(
    xshape: tuple[int, ...],
    wshape: tuple[int, ...],
    bshape: tuple[int, ...] | None,
    stride: object,
    padding: object,
    dilation: object,
    groups: object,
    padding_mode: object,
    flip: object,
) -> ConvSpec:
    """Every number of a convolution of an input of ``xshape`` with a kernel of
    ``wshape`` (and a bias of ``bshape``), or the ConvvizError that says what is wrong."""
    if len(xshape) not in (2, 3):
        raise ConvvizError(f"input must be 2-D (H, W) or 3-D (C, H, W); got shape {xshape}")
    if len(wshape) not in (2, 4):
        raise ConvvizError(
            f"kernel must be 2-D (kh, kw) or 4-D (C_out, C_in/groups, kh, kw); got shape {wshape}"
        )
    if 0 in xshape:
        raise ConvvizError(f"input is empty (shape {xshape})")
    if 0 in wshape:
        raise ConvvizError(f"kernel is empty (shape {wshape})")
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups < 1:
        raise ConvvizError(f"groups must be a positive integer; got {groups!r}")
    groups = int(groups)
    squeeze = len(xshape) == 2 and len(wshape) == 2
    x3shape = (1, *xshape) if len(xshape) == 2 else xshape
    c_in: int = x3shape[0]
    if len(wshape) == 2:
        # One 2-D kernel on C channels filters each channel alone (depthwise).
        if groups not in (1, c_in):
            raise ConvvizError(
                f"a 2-D kernel filters each of the {c_in} channels alone "
                f"(groups={c_in}); groups={groups} needs a 4-D kernel"
            )
        groups = c_in
        w4shape: tuple[int, ...] = (c_in, 1, *wshape)
    else:
        w4shape = wshape
    c_out, cin_g, kh, kw = w4shape
    if not groups_fit(c_in, c_out, groups):
        which = (
            f"the {c_in} input channels"
            if c_in % groups  # which of the two it does not divide
            else f"the {c_out} output channels (kernel shape {w4shape})"
        )
        raise ConvvizError(f"groups={groups} must divide {which}")
    if cin_g != c_in // groups:
        raise ConvvizError(
            f"kernel shape {w4shape} expects {cin_g * groups} input channels "
            f"with groups={groups}; the input has {c_in} "
            f"(kernel dim 1 must be {c_in // groups})"
        )
    stride_ = _pair(stride, "stride", 1)
    dilation_ = _pair(dilation, "dilation", 1)
    if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
        raise ConvvizError(
            f"padding_mode {padding_mode!r} is not one of {', '.join(PADDING_MODES)}"
        )
    pad = _resolve_padding(padding, kh, kw, dilation_, stride_)
    h, wd = x3shape[1:]
    for axis, (n, before, after) in enumerate(((h, pad[0], pad[1]), (wd, pad[2], pad[3]))):
        word = "high" if axis == 0 else "wide"
        if padding_mode == "reflect" and max(before, after) >= n:
            raise ConvvizError(
                f"reflect padding of {max(before, after)} needs an input more "
                f"than {max(before, after)} pixels {word}; it is {n}"
            )
        if padding_mode == "circular" and max(before, after) > n:
            raise ConvvizError(
                f"circular padding of {max(before, after)} would wrap more than "
                f"once: the input is only {n} pixels {word}"
            )
    out_hw = []
    for axis, (n, k) in enumerate(((h, kh), (wd, kw))):
        padded = n + pad[2 * axis] + pad[2 * axis + 1]
        span = window_span(k, dilation_[axis])
        if span > padded:
            word = "high" if axis == 0 else "wide"
            dil = f" with dilation {dilation_[axis]}" if dilation_[axis] > 1 else ""
            raise ConvvizError(
                f"kernel {kh}×{kw}{dil} spans {span} pixels, the padded input "
                f"is only {padded} {word}; use a smaller kernel or dilation, "
                "or more padding"
            )
        out_hw.append((padded - span) // stride_[axis] + 1)
    if bshape is not None and (len(bshape) > 1 or int(np.prod(bshape)) != c_out):
        raise ConvvizError(
            f"bias must have one value per output channel ({c_out}); got shape {bshape}"
        )
    return ConvSpec(
        c_in=c_in,
        h=h,
        w=wd,
        c_out=c_out,
        kh=kh,
        kw=kw,
        groups=groups,
        stride=stride_,
        dilation=dilation_,
        padding=pad,
        padding_mode=padding_mode,
        flip=bool(flip),
        out_h=out_hw[0],
        out_w=out_hw[1],
        squeeze=squeeze,
    )


def canonical(a: np.ndarray) -> np.ndarray:
    """``a`` as float32, C-contiguous, with the strides numpy gives a new array: no zero
    stride from ``x[None]`` or ``broadcast_to``, so the types a compiler derives from the
    strides (a GPU kernel compiled ahead, for one) are the types of the array sent."""
    if a.dtype is _FLOAT32 and a.strides == _c_strides(a.shape):
        return a  # already so (no call spent on it: conv2d's overhead)
    c = np.ascontiguousarray(a, dtype=np.float32)
    return c.reshape(-1).reshape(c.shape)


@lru_cache(maxsize=1024)
def _c_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The strides of a new C-contiguous float32 array of ``shape``."""
    out, step = [], 4
    for n in reversed(shape):
        out.append(step)
        step *= n
    return tuple(reversed(out))
