""" "Copy as code": the current convolution as an equivalent PyTorch or scipy snippet.

Each snippet is self-contained (arrays written out as literals), runs as it is,
and leaves its result in ``out`` with the shape convviz returns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from convviz.core.spec import NUMPY_MODE, ConvSpec, Prepared, prepare

TORCH_PAD_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}
MAX_LITERAL = 4096  # values; larger arrays are loaded from .npy files named in the snippet


def _literal(arr: np.ndarray, name: str) -> str:
    if arr.size > MAX_LITERAL:
        return f"np.load({name + '.npy'!r})  # save it with np.save; too large to inline"
    text = np.array2string(
        np.asarray(arr, np.float64),
        separator=", ",
        threshold=MAX_LITERAL + 1,
        max_line_width=100,
        floatmode="unique",
    )
    return f"np.array({text}, dtype=np.float32)"


def _raw(
    x: ArrayLike, w: ArrayLike, bias: ArrayLike | None, kwargs: dict[str, Any]
) -> tuple[Prepared, ConvSpec, np.ndarray, np.ndarray]:
    """Inputs as convviz sees them (3-D x, 4-D w with the 2-D-kernel broadcast, bias)."""
    prep = prepare(x, w, bias, **kwargs)
    s = prep.spec
    w4 = prep.w[:, :, ::-1, ::-1] if s.flip else prep.w  # back to the kernel as typed
    return prep, s, np.ascontiguousarray(w4), prep.b


def as_pytorch(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, **kwargs: Any) -> str:
    """A PyTorch snippet that computes the same convolution."""
    prep, s, w4, b = _raw(x, w, bias, kwargs)
    top, bottom, left, right = s.padding
    lines = [
        "import numpy as np",
        "import torch",
        "import torch.nn.functional as F",
        "",
        f"x = torch.from_numpy({_literal(prep.x, 'x')})  # (C_in, H, W)",
        f"w = torch.from_numpy({_literal(w4, 'w')})  # (C_out, C_in/groups, kh, kw)",
        f"b = torch.from_numpy({_literal(b, 'b')})",
    ]
    if s.flip:
        lines.append("w = torch.flip(w, dims=(2, 3))  # true convolution: rotate the kernel 180°")
    if s.padding_mode == "zeros" and top == bottom and left == right:
        lines.append(f"xp, pad = x[None], ({top}, {left})")
    else:
        lines.append(
            f"xp = F.pad(x[None], ({left}, {right}, {top}, {bottom}), "
            f"mode={TORCH_PAD_MODE[s.padding_mode]!r})"
        )
        lines.append("pad = 0")
    lines.append(
        f"out = F.conv2d(xp, w, b, stride={s.stride}, padding=pad, "
        f"dilation={s.dilation}, groups={s.groups})[0].numpy()"
    )
    if s.squeeze:
        lines.append("out = out[0]  # a 2-D input with a 2-D kernel gives a 2-D output")
    return "\n".join(lines) + "\n"


def as_scipy(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, **kwargs: Any) -> str:
    """A numpy + scipy.signal snippet that computes the same convolution."""
    prep, s, w4, b = _raw(x, w, bias, kwargs)
    top, bottom, left, right = s.padding
    func = "convolve2d" if s.flip else "correlate2d"
    (sy, sx), (dy, dx) = s.stride, s.dilation
    cin_g, cout_g = s.c_in // s.groups, s.c_out // s.groups
    lines = [
        "import numpy as np",
        "from scipy import signal",
        "",
        f"x = {_literal(prep.x, 'x')}  # (C_in, H, W)",
        f"w = {_literal(w4, 'w')}  # (C_out, C_in/groups, kh, kw)",
        f"b = {_literal(b, 'b')}",
        f"xp = np.pad(x.astype(np.float64), ((0, 0), ({top}, {bottom}), ({left}, {right})), "
        f"mode={NUMPY_MODE[s.padding_mode]!r})",
        "",
        "def dilate(k):  # dilation: zeros between the taps",
        f"    d = np.zeros(({dy} * (k.shape[0] - 1) + 1, {dx} * (k.shape[1] - 1) + 1))",
        f"    d[::{dy}, ::{dx}] = k",
        "    return d",
        "",
        "out = np.stack([",
        f"    sum(signal.{func}(xp[(co // {cout_g}) * {cin_g} + ci], dilate(w[co, ci]), "
        f"mode='valid') for ci in range({cin_g}))[::{sy}, ::{sx}] + b[co]",
        f"    for co in range({s.c_out})]).astype(np.float32)",
    ]
    if s.squeeze:
        lines.append("out = out[0]  # a 2-D input with a 2-D kernel gives a 2-D output")
    return "\n".join(lines) + "\n"
