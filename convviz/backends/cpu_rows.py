"""cpu-parallel's fast path for stride 1: a block of three output rows at a time.

Output rows oy0, oy0+1, oy0+2 of one channel read overlapping input rows: input
row oy0 - pt + s feeds kernel row s of output row oy0, kernel row s-1 of oy0+1
and s-2 of oy0+2, so one load of an input value serves up to three rows. A
block's cells come three ways:

* the interior columns of a block whose rows are all inside the input (or
  mapped inside by reflect, replicate or circular padding), for kernels up to
  VECTOR_MAX a side: the 8-lane vector loop of :mod:`convviz.backends.cpu_simd`,
  every sum in a register, each cell stored once (with one input channel per
  group, bias included);
* other interior columns (wider kernels, blocks that meet a row of zero
  padding, the last short block): passes along a row, each adding a group of 3
  or 4 taps (consecutive columns of one kernel row) to up to three accumulator
  rows from the same loaded input values (``feed``);
* the few border columns, where a kernel row reaches into the padding: cell by
  cell, cell_value's loops (``border``).

The passes and the vector loop are unrolled, and unrolled code for every kernel
size is a lot to compile. So they (and the block and the loop over blocks that
call them) are generated as Python source for one kernel size at a time (one
width, for kernels above VECTOR_MAX), written to a small module in the cache
folder and compiled by numba with ``cache=True``: the first 3×3 run compiles
the 3×3 kernel only, later launches load it from the cache. This is the one
family of unrolled row functions in the project; every other loop is a plain
loop. The loop over blocks runs a range of blocks: :mod:`convviz.backends.cpu`
hands ranges to threads (no ``parallel=True``, whose compile took longer than
all the rest).

Every cell still receives exactly cell_value's additions in cell_value's order
(input channel, kernel row, kernel column, then the bias): a pass touches each
row's cells with that row's own taps in order, passes visit the kernel rows of
any one output row in increasing order, and the vector loop adds a lane's taps
in the same order. Interleaving the additions of different cells changes
nothing, since they are independent. No fastmath, so no FMA and no
reassociation: bit for bit the ``cpu`` backend.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numba import njit
from numpy import float32

from convviz.backends import cpu_simd
from convviz.core import cellmath, paths
from convviz.version import __version__

#: helpers called from compiled code only: no wrapper to call them from Python, so the
#: dispatchers it makes are opaque here (numba's stubs do not list no_cpython_wrapper)
_internal: Callable[[Callable[..., Any]], Any] = njit(  # type: ignore[call-overload]
    cache=True, nogil=True, no_cpython_wrapper=True
)
map_index = _internal(cellmath.map_index)

#: output rows per block: 3 rows with passes of 3-4 taps measured fastest
#: among 2-5 rows and 3-5 taps (more spills registers)
ROWS = 3
#: the largest kernel side with the vector loop of :mod:`convviz.backends.cpu_simd`
VECTOR_MAX = 8
#: the widest kernel row with a generated fast path; wider kernels (and strides
#: or dilations other than 1 across) take cpu.conv_parallel's plain loops
MAX_WIDTH = 32


@_internal
def border(
    x: np.ndarray,
    h: int,
    wd: int,
    w: np.ndarray,
    cin_g: int,
    kh: int,
    kw: int,
    b: np.ndarray,
    a: np.ndarray,
    ao: int,
    co: int,
    c0: int,
    oy: int,
    pt: int,
    pl: int,
    mode: int,
    lo: int,
    hi: int,
    wo: int,
    ctrl: np.ndarray,
) -> None:
    """``a[ao + ox] = out[co, oy, ox]`` for ox < lo and hi <= ox < wo (stride and dilation
    1): cell by cell, cell_value's loops on the flat arrays; sets ctrl[2] (when ctrl has
    it) if a result is not finite."""
    bad = 0
    ox = 0 if lo > 0 else hi
    while ox < wo:
        v = float32(0)
        for ci in range(cin_g):
            for ky in range(kh):
                iy = map_index(oy - pt + ky, h, mode)
                if iy < 0:
                    continue
                xr = ((c0 + ci) * h + iy) * wd
                q = ((co * cin_g + ci) * kh + ky) * kw
                for kx in range(kw):
                    ix = map_index(ox - pl + kx, wd, mode)
                    if ix >= 0:
                        v += x[xr + ix] * w[q + kx]
        v += b[co]
        a[ao + ox] = v
        bad += (v - v) != 0
        ox = hi if ox + 1 == lo else ox + 1
    if bad and ctrl.shape[0] > 2:
        ctrl[2] = 1


@_internal
def zero(a: np.ndarray, ao: int, start: int, stop: int) -> None:
    """``a[ao + j] = 0`` for start <= j < stop."""
    for j in range(start, stop):
        a[ao + j] = 0.0


@_internal
def add_bias(a: np.ndarray, ao: int, n: int, bias: float, ctrl: np.ndarray) -> None:
    """``a[ao + j] += bias`` for j < n; sets ctrl[2] (when ctrl has it) if a result is not
    finite."""
    bad = 0
    a = a[ao : ao + n]
    for j in range(n):
        v = a[j] + bias
        a[j] = v
        bad += (v - v) != 0  # inf - inf and nan - nan are nan; finite - itself is 0
    if bad and ctrl.shape[0] > 2:
        ctrl[2] = 1


def groups(kw: int) -> list[tuple[int, int]]:
    """Kernel columns (k0, k1) of each pass: groups of 3 or 4 (fewer when kw < 3 or kw == 5)."""
    ng = (kw + 3) // 4
    return [(g * kw // ng, (g + 1) * kw // ng) for g in range(ng)]


def feed_source(kw: int) -> str:
    """``feed(m, a, o0, o1, o2, r, ro, wk, q0, q1, q2, n)``: kernel rows into output rows.

    Cells ``a[o_i + j]`` (j < n) of the first ``m`` accumulator rows i take the
    kw taps ``wk[q_i + k] * r[ro + j + k]`` of their kernel row, in k order.
    Unrolled: a pass per group of kernel columns with its weights in locals, so
    the loop along j vectorises. Flat arrays and offsets, not slices: far less
    code for LLVM to optimise, which is most of the compile time.
    """
    out = [
        "def feed(m, a, o0, o1, o2, r, ro, wk, q0, q1, q2, n):",
        "    a0, a1, a2 = a[o0 : o0 + n], a[o1 : o1 + n], a[o2 : o2 + n]",
        f"    r = r[ro : ro + n + {kw - 1}]",
    ]
    for m in (3, 2, 1):
        out.append(f"    {'if' if m == 3 else 'elif'} m == {m}:" if m > 1 else "    else:")
        for k0, k1 in groups(kw):
            ks, rows = range(k0, k1), range(m)
            for i in rows:
                out.append("        " + ", ".join(f"c{i}_{k}" for k in ks) + " = ")
                out[-1] += ", ".join(f"wk[q{i} + {k}]" for k in ks)
            out.append("        for j in range(n):")
            for k in ks:
                out.append(f"            x{k} = r[j + {k}]")
            for i in rows:
                out.append(f"            v{i} = a{i}[j]")
            for k in ks:
                for i in rows:
                    out.append(f"            v{i} += x{k} * c{i}_{k}")
            for i in rows:
                out.append(f"            a{i}[j] = v{i}")
    return "\n".join(out) + "\n"


_MODULE = '''"""Generated by convviz.backends.cpu_rows for kernels {size}. Do not edit."""

from numba import njit

from convviz.backends.cpu_rows import ROWS, add_bias, border, map_index, zero
from convviz.backends.cpu_simd import vector_rows

KW = {kw}
{vector}

@njit(cache=True, nogil=True, no_cpython_wrapper=True, inline="always")
{feed}

@njit(cache=True, nogil=True, no_cpython_wrapper=True, inline="always")
def block(x, h, wd, w, cin_g, kh, b, out, ho, wo, co, c0, oy0, nr, pt, pl, mode, ctrl):
    \"\"\"Output rows oy0 .. oy0+nr-1 (nr <= ROWS) of channel co; arrays flattened.\"\"\"
    base = (co * ho + oy0) * wo
    # interior: the columns where the whole kernel row reads inside the input
    lo = pl if pl < wo else wo
    hi = wd + pl - KW + 1
    hi = wo if hi > wo else hi
    hi = lo if hi < lo else hi
    # columns lo .. done-1 come whole (bias added, checked) from the vector loop
    done = lo
{whole_call}    for i in range(nr):  # the other interior cells' sums start at zero
        zero(out, base + i * wo, done, hi)
    if hi > done:
        for ci in range(cin_g):
            wbase = (co * cin_g + ci) * kh * KW
            xbase = (c0 + ci) * h * wd
            lo1 = done  # the columns from lo1 on take the passes below
{vector_call}            for s in range(kh + nr - 1):
                if lo1 >= hi:
                    break
                iy = map_index(oy0 - pt + s, h, mode)
                if iy < 0:
                    continue  # a row of zero padding, skipped as cell_value skips it
                # output rows oy0+i0 .. oy0+i1 use this input row, row oy0+i with kernel row s-i
                i0 = s - kh + 1 if s >= kh else 0
                i1 = s if s < nr else nr - 1
                s1 = i0 + 1 if i0 + 1 < i1 else i1
                s2 = i0 + 2 if i0 + 2 < i1 else i1
                feed(
                    i1 - i0 + 1,
                    out,
                    base + i0 * wo + lo1,
                    base + s1 * wo + lo1,
                    base + s2 * wo + lo1,
                    x,
                    xbase + iy * wd + lo1 - pl,
                    w,
                    wbase + (s - i0) * KW,
                    wbase + (s - s1) * KW,
                    wbase + (s - s2) * KW,
                    hi - lo1,
                )
    for i in range(nr):
        add_bias(out, base + i * wo + done, hi - done, b[co], ctrl)
        # border columns, where a kernel row reaches into the padding: cell by cell
        oy, at = oy0 + i, base + i * wo
        border(x, h, wd, w, cin_g, kh, KW, b, out, at, co, c0, oy, pt, pl, mode, lo, hi, wo, ctrl)


@njit(cache=True, nogil=True)
def conv(x, h, wd, w, cin_g, kh, b, out, c_out, ho, wo, pt, pl, mode, groups, ctrl, first, last):
    """Blocks first .. last-1 of ROWS output rows (of c_out * ceil(ho / ROWS)); flattened."""
    nb = (ho + ROWS - 1) // ROWS
    for item in range(first, last):
        if ctrl[1] != 0:
            return
        co = item // nb
        oy0 = (item - co * nb) * ROWS
        nr = ho - oy0 if ho - oy0 < ROWS else ROWS
        c0 = (co // (c_out // groups)) * cin_g
        block(x, h, wd, w, cin_g, kh, b, out, ho, wo, co, c0, oy0, nr, pt, pl, mode, ctrl)
        ctrl[0] += wo * nr  # approximate under parallel updates; for progress only
'''


def _inside_rows(kh: int, indent: str) -> tuple[list[str], str]:
    """Lines that map the block's input rows (y0, y1, ...) and the test that none of them
    is zero padding."""
    n = kh + ROWS - 1
    lines = [f"{indent}y{t} = map_index(oy0 - pt + {t}, h, mode)" for t in range(n)]
    return lines, " and ".join(f"y{t} >= 0" for t in range(n))


def _offsets(kh: int, start: str) -> str:
    """The offsets tuple of :func:`convviz.backends.cpu_simd.vector_rows` from column start."""
    at = [f"base + {start}", f"base + wo + {start}", f"base + 2 * wo + {start}"]
    at += [f"xbase + y{t} * wd + {start} - pl" for t in range(kh + ROWS - 1)]
    return "(" + ", ".join(at) + ")"


def whole_call(kh: int) -> str:
    """The lines of ``block`` that give a one-input-channel block of rows, none of them zero
    padding, to the vector loop (whole cells: columns lo .. done-1)."""
    rows, inside = _inside_rows(kh, "        ")
    return "\n".join([
        "    if nr == ROWS and cin_g == 1 and hi > lo:",
        *rows,
        f"        if {inside}:",
        "            xbase = c0 * h * wd",
        f"            r = vector(out, x, w, {_offsets(kh, 'lo')}, co * kh * KW, hi - lo, b[co])",
        "            done = lo + (r >> 1)",
        "            if r & 1 and ctrl.shape[0] > 2:",
        "                ctrl[2] = 1  # a result is not finite",
    ]) + "\n"  # fmt: skip


def vector_call(kh: int) -> str:
    """The lines of ``block`` that add one input channel of several to a block of rows, none
    of them zero padding, with the vector loop (columns lo1 .. on)."""
    rows, inside = _inside_rows(kh, "                ")
    return "\n".join([
        "            if nr == ROWS and cin_g > 1:",
        *rows,
        f"                if {inside}:",
        f"                    r = vector(out, x, w, {_offsets(kh, 'lo1')}, wbase, hi - lo1, 0.0)",
        "                    lo1 += r >> 1",
    ]) + "\n"  # fmt: skip


#: ``feed`` where the vector loop does nearly all the work (only blocks that meet a row of
#: zero padding and the last columns are left): plain loops, far quicker to compile
PLAIN_FEED = """def feed(m, a, o0, o1, o2, r, ro, wk, q0, q1, q2, n):
    for i in range(m):
        o = o0 if i == 0 else (o1 if i == 1 else o2)
        q = q0 if i == 0 else (q1 if i == 1 else q2)
        for k in range(KW):
            wv = wk[q + k]
            for j in range(n):
                a[o + j] += r[ro + j + k] * wv
"""

_VECTOR = """VECTOR_ROWS = vector_rows({kh}, {kw}, {whole})


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def vector(out, x, w, at, q, n, bias):
    \"\"\"The vector loop, compiled on its own (inlined, it slowed the compile of the rest).\"\"\"
    return VECTOR_ROWS(out, x, w, at, q, n, bias)
"""


def module_key(kh: int, kw: int, cin_g: int) -> tuple[int, int, bool]:
    """(kh, kw, several input channels) of the module for a kh × kw kernel: up to
    VECTOR_MAX a side each size has its own, with the vector loop for one input channel
    per group or for several (compiling only the one in use); larger kernels share one
    per width, kh 0."""
    if kh <= VECTOR_MAX and kw <= VECTOR_MAX:
        return (kh, kw, cin_g > 1)
    return (0, kw, False)


def module_source(kh: int, kw: int, several: bool) -> str:
    """The generated module for kh × kw kernels (kh 0: every height, no vector loop) and
    one input channel per group or ``several``."""
    vector = ""
    if kh:
        vector = _VECTOR.format(kh=kh, kw=kw, whole=not several)
    return _MODULE.format(
        size=f"{kh}×{kw}" if kh else f"{kw} wide",
        kw=kw,
        vector=vector,
        feed=feed_source(kw) if not kh else PLAIN_FEED,
        whole_call=whole_call(kh) if kh and not several else "",
        vector_call=vector_call(kh) if kh and several else "",
    )


def _folder() -> Path:
    """Where the generated modules (and, beside them, numba's cache of them) live."""
    root = os.environ.get("NUMBA_CACHE_DIR")
    if root:
        return Path(root) / "convviz-rows"
    return paths.cache_dir() / "rows"


_loaded: dict[tuple[int, int, bool], ModuleType] = {}


def rows_module(kh: int, kw: int, cin_g: int = 1) -> ModuleType:
    """The compiled-on-demand module for a kh × kw kernel (kw 1 .. MAX_WIDTH) with cin_g
    input channels per group.

    Its file name carries a fingerprint of this generator, so an upgrade or an
    edit writes (and compiles) a new module instead of loading a stale cache.
    """
    key = module_key(kh, kw, cin_g)
    if key in _loaded:
        return _loaded[key]
    if not 1 <= kw <= MAX_WIDTH:
        raise ValueError(f"no generated row kernel for width {kw}")
    text = module_source(*key)
    here = b"".join(Path(f).read_bytes() for f in (__file__, cpu_simd.__file__, cellmath.__file__))
    digest = hashlib.sha256(here + text.encode() + __version__.encode()).hexdigest()[:16]
    name = f"convviz_rows_{key[0]}x{kw}{'_multi' if key[2] else ''}_{digest}"
    path = None
    for folder in (_folder(), Path(tempfile.gettempdir()) / "convviz-rows"):
        path = folder / f"{name}.py"
        try:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f".{name}.{os.getpid()}.tmp"
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, path)  # atomic: another process may be reading it
            break
        except OSError:
            continue  # not writable: the next folder
    assert path is not None
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _loaded[key] = module
    return module
