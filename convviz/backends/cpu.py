"""Numba CPU backends: ``cpu`` (one thread, animation order) and ``cpu-parallel``.

``cpu`` calls the one per-cell function of :mod:`convviz.core.cellmath`,
compiled here with ``njit``, cell after cell. ``cpu-parallel`` does the same
float32 operations in the same order for every cell (the tests check it bit
for bit), organised for the hardware: rows across all cores, the inner loops
running along output columns so that they vectorise. With stride 1 and
dilation 1 (the common case) it takes :mod:`convviz.backends.cpu_rows`'s
unrolled blocks of rows, generated and compiled for the kernel width in use
only; otherwise :func:`conv_parallel`'s plain loops.

Everything is compiled lazily, per specialisation, the first time a problem
needs it, and kept in numba's on-disk cache: :meth:`_NumbaBackend.compile_facts`
says what was compiled, in how long, and whether numba loaded it from its cache
(numba's own cache-hit counters, not a guess from the time it took).

The loops release the GIL and share a control array ``ctrl = [cells done,
cancel]`` with the caller, polled once per output row or block of rows, so a
GUI can show progress and cancel them. A third element, when present, is set
to 1 when some output is not finite (inf or nan): :func:`convviz.conv2d` then
checks its input for non-finite values instead of scanning it before the run.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import Any

import numba
import numpy as np
from numba import njit

from convviz.backends import jit_cache

jit_cache.drop_stale()  # before any cached kernel below can be loaded

from convviz.backends import cpu_rows  # noqa: E402
from convviz.backends.base import Backend, new_control  # noqa: E402
from convviz.core import cellmath, sysinfo  # noqa: E402
from convviz.core.race import numba_deal  # noqa: E402
from convviz.core.spec import Prepared  # noqa: E402
from convviz.core.timing import CompileFacts, TimingRecord, timed  # noqa: E402
from convviz.errors import Cancelled, ConvvizError  # noqa: E402

_map_index = cpu_rows.map_index
cell_value = njit(cache=True, nogil=True)(
    cellmath.retarget(cellmath.cell_value, map_index=_map_index)
)

#: items (output rows, or blocks of cpu_rows.ROWS rows) per division of numba's
#: static schedule, which the threads follow (as ``prange`` under
#: ``numba.parallel_chunksize`` did; core/race.py draws the same deal)
PARALLEL_CHUNK_ROWS = 4


@njit(cache=True, nogil=True)
def conv_sequential(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
    sy: int,
    sx: int,
    dy: int,
    dx: int,
    pt: int,
    pl: int,
    mode: int,
    groups: int,
    ctrl: np.ndarray,
) -> None:
    """Cells in the animation's order: output channel, row, column."""
    c_out, ho, wo = out.shape
    bad = False
    for co in range(c_out):
        for oy in range(ho):
            if ctrl[1] != 0:
                return
            for ox in range(wo):
                v = cell_value(x, w, b, co, oy, ox, sy, sx, dy, dx, pt, pl, mode, groups)
                out[co, oy, ox] = v
                bad |= (v - v) != 0  # nan for inf and nan
            ctrl[0] += wo
    if bad and ctrl.shape[0] > 2:
        ctrl[2] = 1


@njit(cache=True, nogil=True)
def _tap(acc: np.ndarray, row: np.ndarray, off: int, wv: float, sx: int, mode: int) -> None:
    """acc[ox] += row[ox * sx + off] * wv for every cell whose tap is not zero padding."""
    wo, wd = acc.shape[0], row.shape[0]
    # interior: the cells whose tap reads inside the row
    lo = min(wo, 0 if off >= 0 else (sx - 1 - off) // sx)
    hi = max(lo, min(wo, 0 if wd - off <= 0 else (wd - off + sx - 1) // sx))
    for ox in range(lo, hi):
        acc[ox] += row[ox * sx + off] * wv
    for ox in range(0, lo):
        ix = _map_index(ox * sx + off, wd, mode)
        if ix >= 0:
            acc[ox] += row[ix] * wv
    for ox in range(hi, wo):
        ix = _map_index(ox * sx + off, wd, mode)
        if ix >= 0:
            acc[ox] += row[ix] * wv


@njit(cache=True, nogil=True)
def conv_parallel(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
    sy: int,
    sx: int,
    dy: int,
    dx: int,
    pt: int,
    pl: int,
    mode: int,
    groups: int,
    ctrl: np.ndarray,
    first: int,
    last: int,
) -> None:
    """Output rows first .. last-1 (of c_out * ho), one tap at a time along each row.

    Each cell receives its taps in cell_value's order (ci, ky, kx), padding taps
    skipped, then the bias: the same sum, bit for bit. Numba's cache does not
    notice edits to cellmath.py by itself; :mod:`convviz.backends.jit_cache`
    drops the stale files when it changes.
    """
    c_out, ho, wo = out.shape
    cin_g, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    h = x.shape[1]
    for r in range(first, last):
        if ctrl[1] != 0:
            return
        co = r // ho
        oy = r - co * ho
        c0 = (co // (c_out // groups)) * cin_g
        acc = out[co, oy]
        acc[:] = np.float32(0)
        for ci in range(cin_g):
            for ky in range(kh):
                iy = _map_index(oy * sy - pt + ky * dy, h, mode)
                if iy < 0:
                    continue
                for kx in range(kw):
                    _tap(acc, x[c0 + ci, iy], kx * dx - pl, w[co, ci, ky, kx], sx, mode)
        bias = b[co]
        bad = 0
        for ox in range(wo):
            v = acc[ox] + bias
            acc[ox] = v
            bad += (v - v) != 0  # nan for inf and nan
        if bad and ctrl.shape[0] > 2:
            ctrl[2] = 1
        ctrl[0] += wo  # approximate under parallel updates; for progress only


_pool: ThreadPoolExecutor | None = None


def _all_threads() -> int:
    """Numba's thread count at start-up (NUMBA_NUM_THREADS; numba.set_num_threads lowers it
    per calling thread)."""
    return int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]


@lru_cache(maxsize=256)
def _deal(items: int, threads: int) -> tuple[tuple[int, int], ...]:
    """The non-empty stretches of :func:`numba_deal` (the same for every repeat of a size:
    computed once, not on each call)."""
    return tuple((a, b) for a, b in numba_deal(items, threads, PARALLEL_CHUNK_ROWS) if b > a)


def spread_over_threads(fn: Any, args: tuple[Any, ...], items: int, threads: int) -> None:
    """``fn(*args, first, last)`` on each thread's stretch of ``items``, on ``threads``
    threads at once (the caller's and a pool's); the loops release the GIL, so they run
    on all cores. The stretches are numba's static ``prange`` schedule with chunks of
    PARALLEL_CHUNK_ROWS items (:func:`convviz.core.race.numba_deal`, which the race draws):
    thread *t* takes the *t*-th contiguous stretch.
    """
    deal = _deal(items, max(1, threads))
    if len(deal) <= 1:
        fn(*args, 0, items)
        return
    global _pool
    if _pool is None:
        # long-lived idle workers, not jobs: named apart from the app's "convviz-" job threads
        _pool = ThreadPoolExecutor(max(1, _all_threads() - 1), "cpu-parallel")
    helpers = [_pool.submit(partial(fn, *args, a, b)) for a, b in deal[1:]]
    fn(*args, *deal[0])
    for f in helpers:
        f.result()


class _NumbaBackend(Backend):
    #: the loops set ctrl[2] when an output is not finite (see the module doc)
    reports_nonfinite = True
    compiles = True
    #: the kernels take a range of rows (first, last) after the control array
    _ranges = False

    def __init__(self) -> None:
        self._facts: dict[tuple[Any, ...], CompileFacts] = {}

    def _kernel(self, prep: Prepared) -> tuple[Any, str, Any]:
        """(dispatcher, what it specialises for, a key for it)."""
        raise NotImplementedError

    def _args(self, prep: Prepared, out: np.ndarray, ctrl: np.ndarray) -> tuple[Any, ...]:
        return (prep.x, prep.w, prep.b, out, *prep.spec.kernel_args(), ctrl)

    def compile_facts(self, prep: Prepared) -> CompileFacts:
        """Compile (or load from numba's cache) what ``prep`` needs, once per process."""
        fn, what, key = self._kernel(prep)
        args = self._args(prep, np.empty((1, 1, 1), np.float32), new_control().array)
        # what numba's signature depends on, cheaply (numba.typeof on every call took
        # ~0.2 ms, a tenth of a 2048² 3×3 run)
        kinds = tuple(
            (a.dtype.num, a.ndim, a.flags.c_contiguous, a.flags.writeable, a.flags.aligned)
            if isinstance(a, np.ndarray)
            else type(a)
            for a in args
        )
        facts = self._facts.get((key, kinds))
        if facts is None:
            sig = tuple(numba.typeof(a) for a in args + (0, 0) * self._ranges)  # type: ignore[no-untyped-call]
            hits, misses = sum(fn.stats.cache_hits.values()), sum(fn.stats.cache_misses.values())
            _, secs = timed(lambda: fn.compile(sig))
            loaded = sum(fn.stats.cache_hits.values()) > hits
            compiled = sum(fn.stats.cache_misses.values()) > misses
            facts = CompileFacts(secs, from_cache=loaded and not compiled, what=what)
            self._facts[(key, kinds)] = facts
        return facts

    def needs_compile(self, prep: Prepared) -> str:
        """What compiling for ``prep`` would be about ("3×3"), or '' when it is ready."""
        _, what, key = self._kernel(prep)
        ready = any(k == key for k, _ in self._facts)
        return "" if ready else what

    def compile(self, prep: Prepared) -> float | None:
        return self.compile_facts(prep).seconds

    def run(self, prep: Prepared, **kwargs: Any) -> tuple[np.ndarray, TimingRecord]:
        out, rec = super().run(prep, **kwargs)
        rec.compile_cached = self.compile_facts(prep).from_cache
        return out, rec

    def _run_once(self, prep: Prepared, ctrl: np.ndarray) -> tuple[np.ndarray, None]:
        out = np.empty(prep.spec.out_shape, np.float32)
        self._kernel(prep)[0](*self._args(prep, out, ctrl))
        if ctrl[1] != 0:
            raise Cancelled(f"{self.name} cancelled")
        return out, None


class CpuBackend(_NumbaBackend):
    name = "cpu"
    label = "CPU, one cell after another (Numba, 1 thread)"

    def _kernel(self, prep: Prepared) -> tuple[Any, str, Any]:
        return conv_sequential, "every kernel size", "cell"

    def _device(self) -> str:
        return f"{sysinfo.cpu_model()}, 1 thread"

    @property
    def processor(self) -> str:
        return sysinfo.cpu_model()


class CpuParallelBackend(_NumbaBackend):
    name = "cpu-parallel"
    parallel = True
    _ranges = True
    label = "CPU, all cores (Numba, a thread per core)"

    @staticmethod
    def _rows(prep: Prepared) -> bool:
        """Whether ``prep`` takes the generated blocks of rows (stride 1, dilation 1)."""
        s = prep.spec
        return s.stride == (1, 1) and s.dilation == (1, 1) and s.kw <= cpu_rows.MAX_WIDTH

    def _kernel(self, prep: Prepared) -> tuple[Any, str, Any]:
        s = prep.spec
        if self._rows(prep):
            cin_g = s.c_in // s.groups
            key = cpu_rows.module_key(s.kh, s.kw, cin_g)
            return cpu_rows.rows_module(s.kh, s.kw, cin_g).conv, f"{s.kh}×{s.kw}", ("rows", *key)
        return conv_parallel, f"{s.kh}×{s.kw} with stride or dilation", "general"

    def _args(self, prep: Prepared, out: np.ndarray, ctrl: np.ndarray) -> tuple[Any, ...]:
        if not self._rows(prep):
            return super()._args(prep, out, ctrl)
        s = prep.spec
        flat = (prep.x.reshape(-1), s.h, s.w, prep.w.reshape(-1), s.c_in // s.groups, s.kh)
        rows = (prep.b, out.reshape(-1), *out.shape, s.padding[0], s.padding[2], s.mode_code)
        return (*flat, *rows, s.groups, ctrl)

    def _run_once(self, prep: Prepared, ctrl: np.ndarray) -> tuple[np.ndarray, None]:
        out = np.empty(prep.spec.out_shape, np.float32)
        s = prep.spec
        items = s.c_out * (-(-s.out_h // cpu_rows.ROWS) if self._rows(prep) else s.out_h)
        fn = self._kernel(prep)[0]
        spread_over_threads(fn, self._args(prep, out, ctrl), items, self.threads)
        if ctrl[1] != 0:
            raise Cancelled(f"{self.name} cancelled")
        return out, None

    @property
    def threads(self) -> int:
        """The count :meth:`with_threads` chose, else numba's for the calling thread."""
        return self._threads if self._threads is not None else numba.get_num_threads()

    def with_threads(self, threads: int) -> CpuParallelBackend:
        """The same loops dealt over ``threads`` threads (1 .. all); the registry's
        instance is left unchanged."""
        if not 1 <= threads <= _all_threads():
            raise ConvvizError(f"threads must be 1 .. {_all_threads()}; got {threads}")
        twin = self._twin()
        assert isinstance(twin, CpuParallelBackend)
        twin._threads = threads
        return twin

    @property
    def processor(self) -> str:
        return sysinfo.cpu_model()

    def _device(self) -> str:
        n = self._threads if self._threads is not None else _all_threads()
        return f"{sysinfo.cpu_model()}, {n} thread{'s' if n > 1 else ''}"
