"""The plain-numpy oracle: pad with numpy, then sum shifted slices in float64.

Written the obvious way and independently of the per-cell code, so the
backends have something to be checked against.
"""

from __future__ import annotations

import numpy as np

from convviz.core.spec import NUMPY_MODE, Prepared


def conv2d_reference(prep: Prepared) -> np.ndarray:
    """(C_out, H_out, W_out) float32 result of a prepared convolution."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    xp = np.pad(
        prep.x.astype(np.float64),
        ((0, 0), (pt, pb), (pl, pr)),
        mode=NUMPY_MODE[s.padding_mode],  # type: ignore[call-overload]  # a str of numpy's
    )
    (sy, sx), (dy, dx) = s.stride, s.dilation
    cin_g = s.c_in // s.groups
    cout_g = s.c_out // s.groups
    out = np.zeros(s.out_shape, np.float64)
    for co in range(s.c_out):
        c0 = (co // cout_g) * cin_g
        for ci in range(cin_g):
            for ky in range(s.kh):
                for kx in range(s.kw):
                    window = xp[
                        c0 + ci,
                        ky * dy : ky * dy + sy * (s.out_h - 1) + 1 : sy,
                        kx * dx : kx * dx + sx * (s.out_w - 1) + 1 : sx,
                    ]
                    out[co] += float(prep.w[co, ci, ky, kx]) * window
        out[co] += float(prep.b[co])
    return out.astype(np.float32)
