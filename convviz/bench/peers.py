"""The peer libraries ``convviz bench`` times beside our backends.

Each peer is ``setup(x, w) -> (device, run, phases_run or None)``: ``run()`` returns
a (C, H, W) float32 numpy result and is what is timed, end to end (GPU peers copy in,
compute, copy back and synchronise inside). For GPU peers ``phases_run(repeats, warmup)``
returns the median seconds of ``{"h2d", "kernel", "d2h"}`` timed by the GPU timing
protocol of :mod:`convviz.backends.gpu_timing` (pinned buffers allocated first, events
around each step, every launch queued behind GPU work), the same as our backends.
cuDNN is compared in FP32 (TF32 off); its TF32 time is a separate row, labelled so.
Nothing here imports a peer library at module level: only inside its setup.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

CPU_PEERS = ("scipy.ndimage.correlate", "cv2.filter2D", "torch.conv2d")
GPU_PEERS = (
    "cupyx.scipy.ndimage.correlate",
    "torch.conv2d (cuDNN, FP32)",
    "torch.conv2d (cuDNN, TF32)",
)


def _scipy_peer(x, w):
    from scipy import ndimage

    origin = [0] + [(k - 1) // 2 - k // 2 for k in w.shape]  # even kernels as PyTorch

    def run():
        return ndimage.correlate(x, w[None], mode="constant", cval=0.0, origin=origin)

    return "CPU, 1 thread", run, None


def _cv2_peer(x, w):
    import cv2

    anchor = ((w.shape[1] - 1) // 2, (w.shape[0] - 1) // 2)  # (x, y), as PyTorch 'same'

    def run():
        # as conv2d: one fresh (C, H, W) float32 output, each channel filtered straight
        # into its plane (no per-channel results stacked into a copy)
        out = np.empty(x.shape, np.float32)
        for c in range(x.shape[0]):
            cv2.filter2D(
                x[c], cv2.CV_32F, w, dst=out[c], anchor=anchor, borderType=cv2.BORDER_CONSTANT
            )
        return out

    n = cv2.getNumThreads()
    return f"CPU, {n} thread{'s' if n != 1 else ''}", run, None


def cudnn_padding(padding, stride=(1, 1)):
    """The zero padding conv2d applies itself, and where the wanted output starts in its.

    ``padding``: (top, bottom, left, right). conv2d pads each axis the same on both
    sides; for an uneven pair (an even kernel's 'same') it pads the larger amount on
    both and the wanted output is a window of its output, taken as a view: no padded
    copy of the input (as ``F.pad`` before it would make) is timed with the kernel.
    Returns ((pad_y, pad_x), (row0, col0)); raises ValueError where the stride does not
    land on the wanted first output."""
    pads = (padding[0], padding[1]), (padding[2], padding[3])
    sym = tuple(max(a, b) for a, b in pads)
    starts = []
    for (before, _), p, s in zip(pads, sym, stride):
        if (p - before) % s:
            raise ValueError(f"padding {padding} with stride {stride}: not one conv2d call")
        starts.append((p - before) // s)
    return sym, tuple(starts)


def _torch_conv(torch, x, w, dev):
    """Input and depthwise weight tensors, and a conv2d with PyTorch's own 'same' padding
    (cuDNN pads; an even kernel's extra row and column after, as :func:`cudnn_padding`)."""
    import torch.nn.functional as F

    xt = torch.from_numpy(x.copy())[None].to(dev)
    wt = torch.from_numpy(np.broadcast_to(w, (x.shape[0], 1) + w.shape).copy()).to(dev)
    kh, kw = w.shape
    h, wd = x.shape[1:]
    pad, (r0, c0) = cudnn_padding(((kh - 1) // 2, kh // 2, (kw - 1) // 2, kw // 2))

    def conv(t):
        return F.conv2d(t, wt, padding=pad, groups=x.shape[0])[..., r0 : r0 + h, c0 : c0 + wd]

    return xt, conv


def _torch_cpu_peer(x, w):
    import torch

    xt, conv = _torch_conv(torch, x, w, "cpu")

    def run():
        with torch.no_grad():
            return conv(xt)[0].numpy()

    return f"CPU, {torch.get_num_threads()} threads", run, None


def _gpu_phases(steps, repeats, warmup):
    """Median seconds of each step by the GPU timing protocol (numba's events on the
    default stream, which the peer libraries also launch on)."""
    from convviz.backends import gpu_timing
    from convviz.core import device

    simulated = device.choose().mode == "sim"  # (numba's events then report nothing)
    times = gpu_timing.time_steps(steps, repeats=repeats, warmup=warmup, simulated=simulated)
    return {k: s.median for k, s in times.phases.items()}


def _torch_cuda_peer(x, w, tf32=False):
    import torch

    if not torch.cuda.is_available():
        raise RuntimeError(
            f"torch {torch.__version__} sees no CUDA GPU (torch.cuda.is_available() is False)"
        )

    def precision():  # set before every call: the FP32 and TF32 rows share the flags
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = tf32

    xh = torch.from_numpy(x.copy())[None]
    _, conv = _torch_conv(torch, x, w, "cuda")

    def run():
        precision()
        with torch.no_grad():
            y = conv(xh.cuda())[0].cpu().numpy()
        torch.cuda.synchronize()
        return y

    def phases(repeats, warmup):
        precision()
        xpin = xh.pin_memory()
        xd = torch.empty_like(xh, device="cuda")
        with torch.no_grad():
            held = [conv(xd)]
        ypin = torch.empty(held[0].shape, dtype=held[0].dtype, pin_memory=True)

        def kernel():
            with torch.no_grad():
                held[0] = conv(xd)  # the caching allocator reuses the block: no cudaMalloc

        steps = [
            ("h2d", lambda: xd.copy_(xpin, non_blocking=True)),
            ("kernel", kernel),
            ("d2h", lambda: ypin.copy_(held[0], non_blocking=True)),
        ]
        return _gpu_phases(steps, repeats, warmup)

    return torch.cuda.get_device_name(), run, phases


def _torch_cuda_tf32_peer(x, w):
    return _torch_cuda_peer(x, w, tf32=True)


def _cupy_peer(x, w):
    import cupy
    from cupyx.scipy import ndimage as cnd

    origin = [0] + [(k - 1) // 2 - k // 2 for k in w.shape]
    wd = cupy.asarray(w[None])

    def run():
        y = cupy.asnumpy(cnd.correlate(cupy.asarray(x), wd, mode="constant", origin=origin))
        cupy.cuda.Device().synchronize()
        return y

    def phases(repeats, warmup):
        null = cupy.cuda.Stream.null
        xpin = _cupy_pinned(cupy, x)
        xd = cupy.empty(x.shape, x.dtype)
        yd = cupy.empty(x.shape, np.float32)
        ypin = _cupy_pinned(cupy, np.empty(x.shape, np.float32))

        def kernel():
            cnd.correlate(xd, wd, output=yd, mode="constant", cval=0.0, origin=origin)

        steps = [
            ("h2d", lambda: xd.data.copy_from_host_async(xpin.ctypes.data, x.nbytes, null)),
            ("kernel", kernel),
            ("d2h", lambda: yd.data.copy_to_host_async(ypin.ctypes.data, yd.nbytes, null)),
        ]
        return _gpu_phases(steps, repeats, warmup)

    props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
    name = props["name"].decode() if isinstance(props["name"], bytes) else str(props["name"])
    return name, run, phases


def _cupy_pinned(cupy, a):
    """A pinned (page-locked) host copy of ``a``, allocated by CuPy."""
    import cupyx

    pinned = cupyx.empty_pinned(a.shape, a.dtype)
    pinned[...] = a
    return pinned


PEERS: dict[str, tuple[Callable, bool]] = {  # name -> (setup, runs on a GPU)
    "scipy.ndimage.correlate": (_scipy_peer, False),
    "cv2.filter2D": (_cv2_peer, False),
    "torch.conv2d": (_torch_cpu_peer, False),
    "cupyx.scipy.ndimage.correlate": (_cupy_peer, True),
    "torch.conv2d (cuDNN, FP32)": (_torch_cuda_peer, True),
    "torch.conv2d (cuDNN, TF32)": (_torch_cuda_tf32_peer, True),
}


def time_peer(run, phases_run, repeats, warmup):
    """(wall seconds of each timed run, first-call seconds, median phases or None).

    The walls are end to end; a GPU peer's phases come apart, from the GPU timing
    protocol, and are reported beside them."""
    t0 = time.perf_counter_ns()
    run()  # first call: library start-up, caches; reported as compile_s
    first = (time.perf_counter_ns() - t0) * 1e-9
    for _ in range(max(0, warmup)):
        run()
    walls = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        run()
        walls.append((time.perf_counter_ns() - t0) * 1e-9)
    phases = phases_run(repeats, warmup) if phases_run is not None else None
    return walls, first, phases
