"""The arithmetic of one output cell, written once.

These are plain Python functions. ``convviz.backends.cpu`` compiles them with
``numba.njit`` and ``convviz.backends.cuda`` with ``cuda.jit(device=True)``;
:func:`retarget` gives each compiled copy of :func:`cell_value` the matching
compiled :func:`map_index`. Called as they are, they are the slow-but-exact
Python version the animation uses, so every path does literally the same
float32 operations in the same order: input channel, kernel row, kernel column.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, cast

from numpy import float32  # numba compiles numpy scalar types in njit and CUDA alike

#: padding_mode codes, as in convviz.core.spec.MODE_CODE
ZEROS, REFLECT, REPLICATE, CIRCULAR = 0, 1, 2, 3


def map_index(i: int, n: int, mode: int) -> int:
    """Where padded coordinate ``i`` of an axis of length ``n`` reads from; -1 for a zero.

    Validation guarantees a pad of less than ``n`` (reflect) or at most ``n``
    (circular), so one reflection or wrap always lands inside.
    """
    if i >= 0 and i < n:
        return i
    if mode == ZEROS:
        return -1
    if mode == REFLECT:
        if i < 0:
            return -i
        return 2 * (n - 1) - i
    if mode == REPLICATE:
        if i < 0:
            return 0
        return n - 1
    if i < 0:  # circular
        return i + n
    return i - n


def cell_value(
    x: Any,
    w: Any,
    b: Any,
    co: int,
    oy: int,
    ox: int,
    sy: int,
    sx: int,
    dy: int,
    dx: int,
    pt: int,
    pl: int,
    mode: int,
    groups: int,
) -> Any:
    """out[co, oy, ox] for x (C_in, H, W), w (C_out, C_in/groups, kh, kw), b (C_out,).

    The accumulator starts as float32(0): a bare 0.0 is float32 on the CUDA
    simulator but float64 when compiled, and the paths would silently differ.
    """
    cin_g = w.shape[1]
    kh = w.shape[2]
    kw = w.shape[3]
    c0 = (co // (w.shape[0] // groups)) * cin_g
    h = x.shape[1]
    wd = x.shape[2]
    acc = float32(0)
    for ci in range(cin_g):
        for ky in range(kh):
            iy = map_index(oy * sy - pt + ky * dy, h, mode)
            if iy < 0:
                continue
            for kx in range(kw):
                ix = map_index(ox * sx - pl + kx * dx, wd, mode)
                if ix < 0:
                    continue
                acc += x[c0 + ci, iy, ix] * w[co, ci, ky, kx]
    return acc + b[co]


def retarget(func: Callable[..., Any], **replacements: Any) -> Callable[..., Any]:
    """A copy of ``func`` whose globals have ``replacements`` (e.g. a compiled map_index)."""
    fn = cast(types.FunctionType, func)
    g = dict(fn.__globals__)
    g.update(replacements)
    new = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__qualname__ = fn.__qualname__
    new.__doc__ = fn.__doc__
    return new
