"""Every output cell at once, with the float32 operations of :func:`cellmath.cell_value`.

The stepper computes a lesson's cells one by one in Python (that is what the
animation shows); the whole output, wanted at once whenever a lesson changes,
would take a noticeable fraction of a second that way for a 32×32 lesson with
channels. Here the same sum runs over whole planes: for each input channel,
kernel row and kernel column in that order, ``acc = acc + x·w`` in float32 where
the tap reads the input, ``acc`` unchanged where it reads zero padding, then
``+ bias``. Each cell sees exactly the operations, in exactly the order, of
``cell_value``, so the results are equal bit for bit (the tests check it).
"""

from __future__ import annotations

import numpy as np

from convviz.core import cellmath
from convviz.core.spec import Prepared


def _sources(start: int, step: int, count: int, n: int, mode: int) -> np.ndarray:
    """cellmath.map_index for the taps ``start + step·o`` of ``count`` output positions."""
    return np.array([cellmath.map_index(start + step * o, n, mode) for o in range(count)], np.intp)


def all_cells(prep: Prepared) -> np.ndarray:
    """(C_out, H_out, W_out) float32: every cell as ``cell_value`` computes it."""
    s, x, w, b = prep.spec, prep.x, prep.w, prep.b
    sy, sx, dy, dx, pt, pl, mode, groups = s.kernel_args()
    cin_g = s.c_in // groups
    cout_g = s.c_out // groups
    out = np.empty(s.out_shape, np.float32)
    with np.errstate(all="ignore"):  # inf·0 and the like: as the scalar code, no warning
        for co in range(s.c_out):
            c0 = (co // cout_g) * cin_g
            acc = np.zeros((s.out_h, s.out_w), np.float32)
            for ci in range(cin_g):
                plane = x[c0 + ci]
                for ky in range(s.kh):
                    iy = _sources(ky * dy - pt, sy, s.out_h, s.h, mode)
                    for kx in range(s.kw):
                        ix = _sources(kx * dx - pl, sx, s.out_w, s.w, mode)
                        valid = (iy >= 0)[:, None] & (ix >= 0)[None, :]
                        taps = plane[np.ix_(np.maximum(iy, 0), np.maximum(ix, 0))]
                        acc = np.where(valid, acc + taps * w[co, ci, ky, kx], acc)
            out[co] = acc + b[co]
    return out
