"""convviz.conv2d: validate, pick a backend, compute."""

from __future__ import annotations

import numpy as np

from convviz.core.spec import prepare


def conv2d(
    x,
    w,
    bias=None,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    flip=False,
    backend="auto",
) -> np.ndarray:
    """See :func:`convviz.conv2d`."""
    from convviz import backends

    prep = prepare(
        x,
        w,
        bias,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        flip=flip,
    )
    be = backends.get(backend)
    return prep.finish(be.compute(prep))
