"""convviz.conv2d: validate, pick a backend, compute (one untimed run through the engine).

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
    engine = _engine()
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
    be = engine.backends.get(backend)
    deferred = be.reports_nonfinite and prep.spec.stride == (1, 1)
    if not deferred:
        check_finite(prep.x.reshape(np.shape(x)))  # the message names the caller's index
    # [cells done, cancel, some result not finite]
    ctrl = engine.new_control(nonfinite=deferred)
    lane = engine.run(engine.Request(prep, be.name, repeats=0), ctrl)
    out = lane.out
    if ctrl.nonfinite:  # raises if the input was the cause (not an overflow)
        check_finite(prep.x.reshape(np.shape(x)))
    return prep.finish(out)


_engine_module: Any = None


def _engine() -> Any:
    """:mod:`convviz.engine`, imported on the first call (importing it loads numba): an
    import statement on every call costs more than a small convolution's own bookkeeping."""
    global _engine_module
    if _engine_module is None:
        from convviz import engine

        _engine_module = engine
    return _engine_module
