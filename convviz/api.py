"""convviz.conv2d: validate, pick a backend, compute.

The one pass over the data is the backend's own. Checking a large input for
non-finite values costs a full pass of its own, so where the backend reports
non-finite results (the CPU loops set a flag while they add the bias) and
every input value reaches the result (stride 1), the input is checked only
when some result is not finite: the same ConvvizError, raised after the run
instead of before it. The result is the backend's own array, never a copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from convviz.core.spec import check_finite, prepare


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
    be = _registry()(backend)
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
        check_input=False,
    )
    deferred = getattr(be, "reports_nonfinite", False) and prep.spec.stride == (1, 1)
    if not deferred:
        check_finite(prep.x.reshape(np.shape(x)))  # the message names the caller's index
        return prep.finish(be.compute(prep))
    # [cells done, cancel, some result not finite]
    ctrl = np.zeros(3, np.int64)
    out = be.compute(prep, ctrl)
    if ctrl[2]:  # raises if the input was the cause (not an overflow)
        check_finite(prep.x.reshape(np.shape(x)))
    return prep.finish(out)


_get: Any = None


def _registry() -> Any:
    """``backends.get``, imported on the first call (importing it loads numba): an import
    statement on every call costs more than a small convolution's own bookkeeping."""
    global _get
    if _get is None:
        from convviz.backends import get

        _get = get
    return _get
