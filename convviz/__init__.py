"""convviz: see why deep learning runs convolution on GPUs.

Importing this package is cheap: numba, Qt and the backends load on first use.
"""

from convviz.errors import Cancelled, ConvvizError
from convviz.version import __version__

__all__ = ["Cancelled", "ConvvizError", "__version__", "conv2d"]


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
):
    """2-D convolution with the semantics of ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (H, W) or (C_in, H, W)
    w : array_like, shape (kh, kw) or (C_out, C_in // groups, kh, kw)
        A 2-D kernel on a multi-channel input filters every channel with the
        same kernel (depthwise, ``groups = C_in``).
    bias : array_like, shape (C_out,), optional
    stride, dilation : int or (int, int), each >= 1
    padding : int, (py, px), (top, bottom, left, right), "valid" or "same"
    groups : int
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        PyTorch's names (numpy: constant, reflect, edge, wrap).
    flip : bool
        False is cross-correlation (deep learning's "convolution"); True
        rotates the kernel 180 degrees first (true convolution).
    backend : str
        "auto", "reference", "cpu", "cpu-parallel" or "cuda".

    Returns
    -------
    numpy.ndarray
        float32, (H_out, W_out) for a 2-D input and a 2-D kernel, else
        (C_out, H_out, W_out).

    Raises
    ------
    ConvvizError
        An argument is invalid; the message names it and what would be valid.
    """
    from convviz.api import conv2d as _conv2d

    return _conv2d(
        x,
        w,
        bias,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        flip=flip,
        backend=backend,
    )
