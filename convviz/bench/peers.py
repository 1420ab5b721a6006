"""The peer libraries ``convviz bench`` times beside our backends.

Each peer is ``setup(x, w) -> (device, run, phases_run or None)``: ``run()`` returns
a (C, H, W) float32 numpy result and is what is timed; GPU peers synchronise
inside, and ``phases_run()`` returns ``(result, {"h2d", "kernel", "d2h"})``.
Nothing here imports a peer library at module level: only inside its setup.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

CPU_PEERS = ("scipy.ndimage.correlate", "cv2.filter2D", "torch.conv2d")
GPU_PEERS = ("cupyx.scipy.ndimage.correlate", "torch.conv2d (cuda)")


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
        return np.stack(
            [
                cv2.filter2D(c, cv2.CV_32F, w, anchor=anchor, borderType=cv2.BORDER_CONSTANT)
                for c in x
            ]
        )

    return f"CPU, {cv2.getNumThreads()} threads", run, None


def _torch_conv(torch, x, w, dev):
    """Input and depthwise weight tensors, and a conv2d with PyTorch's own 'same' padding."""
    import torch.nn.functional as F

    xt = torch.from_numpy(x.copy())[None].to(dev)
    wt = torch.from_numpy(np.broadcast_to(w, (x.shape[0], 1) + w.shape).copy()).to(dev)
    kh, kw = w.shape
    if kh % 2 and kw % 2:

        def conv(t):
            return F.conv2d(t, wt, padding=(kh // 2, kw // 2), groups=x.shape[0])
    else:  # even kernels: the extra row/column after, as padding="same" (without its warning)
        pad = ((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2)

        def conv(t):
            return F.conv2d(F.pad(t, pad), wt, groups=x.shape[0])

    return xt, conv


def _torch_cpu_peer(x, w):
    import torch

    xt, conv = _torch_conv(torch, x, w, "cpu")

    def run():
        with torch.no_grad():
            return conv(xt)[0].numpy()

    return f"CPU, {torch.get_num_threads()} threads", run, None


def _torch_cuda_peer(x, w):
    import torch

    if not torch.cuda.is_available():
        raise RuntimeError(
            f"torch {torch.__version__} sees no CUDA GPU (torch.cuda.is_available() is False)"
        )
    sync = torch.cuda.synchronize
    xh = torch.from_numpy(x.copy())[None]
    _, conv = _torch_conv(torch, x, w, "cuda")

    def phases():
        t = [time.perf_counter_ns()]
        xd = xh.cuda()
        sync()
        t.append(time.perf_counter_ns())
        with torch.no_grad():
            yd = conv(xd)
        sync()
        t.append(time.perf_counter_ns())
        y = yd[0].cpu().numpy()
        t.append(time.perf_counter_ns())
        return y, _phase_dict(t)

    return torch.cuda.get_device_name(), lambda: phases()[0], phases


def _cupy_peer(x, w):
    import cupy
    from cupyx.scipy import ndimage as cnd

    origin = [0] + [(k - 1) // 2 - k // 2 for k in w.shape]
    wd = cupy.asarray(w[None])
    sync = cupy.cuda.Device().synchronize

    def phases():
        t = [time.perf_counter_ns()]
        xd = cupy.asarray(x)
        sync()
        t.append(time.perf_counter_ns())
        yd = cnd.correlate(xd, wd, mode="constant", cval=0.0, origin=origin)
        sync()
        t.append(time.perf_counter_ns())
        y = cupy.asnumpy(yd)
        t.append(time.perf_counter_ns())
        return y, _phase_dict(t)

    props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
    name = props["name"].decode() if isinstance(props["name"], bytes) else str(props["name"])
    return name, lambda: phases()[0], phases


def _phase_dict(t):
    return {
        "h2d": (t[1] - t[0]) * 1e-9,
        "kernel": (t[2] - t[1]) * 1e-9,
        "d2h": (t[3] - t[2]) * 1e-9,
    }


PEERS: dict[str, tuple[Callable, bool]] = {  # name -> (setup, runs on a GPU)
    "scipy.ndimage.correlate": (_scipy_peer, False),
    "cv2.filter2D": (_cv2_peer, False),
    "torch.conv2d": (_torch_cpu_peer, False),
    "cupyx.scipy.ndimage.correlate": (_cupy_peer, True),
    "torch.conv2d (cuda)": (_torch_cuda_peer, True),
}


def time_peer(run, phases_run, repeats, warmup):
    """(wall seconds of each timed run, first-call seconds, median phases or None)."""
    t0 = time.perf_counter_ns()
    run()  # first call: library start-up, caches; reported as compile_s
    first = (time.perf_counter_ns() - t0) * 1e-9
    for _ in range(max(0, warmup)):
        run()
    walls, parts = [], {}
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        if phases_run is None:
            run()
        else:
            for k, v in phases_run()[1].items():
                parts.setdefault(k, []).append(v)
        walls.append((time.perf_counter_ns() - t0) * 1e-9)
    phases = {k: statistics.median(v) for k, v in parts.items()} or None
    return walls, first, phases
