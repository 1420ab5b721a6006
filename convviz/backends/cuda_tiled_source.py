"""The ``cuda-tiled`` kernel, written out for one specialisation.

Every number of the kernel's shape (kernel size, stride, dilation, padding,
channels, block shape, cells per thread) is written into the kernel's source as a
literal and every loop over them is written out, so the compiled kernel has no
loop counters, no division and no index arithmetic that a constant could replace.
The image size comes with the launch: one compiled kernel serves every image.

A block of (BX, BY) threads computes a tile of (BY·R) × BX output cells in COB
output channels; thread (tx, ty) computes rows ty·R … ty·R+R−1 of column tx in
each of those channels. For each input channel of the group the block

1. copies the input tile plus its halo into shared memory, row by row, a warp
   reading consecutive addresses (coalesced); a tile wholly inside the input is
   copied without any padding logic (the host passes the range of such blocks),
   the others map each padded index once;
2. copies the COB·kh·kw weights of that input channel into shared memory;
3. and each thread accumulates its R·COB cells in registers. With few weights
   (COB·kh·kw <= WINDOW_WEIGHTS) they sit in registers and each input value read
   from shared memory serves every kernel row that uses it ("window" order);
   otherwise each weight read serves R·COB multiply-adds ("taps" order).

Each cell sums in the order input channel, kernel row, kernel column from
float32(0), then adds the bias, as :func:`convviz.core.cellmath.cell_value`.
"""

from __future__ import annotations

from dataclasses import dataclass

from convviz.core.launch import TilePlan

#: at most this many weights of one input channel are kept in registers
WINDOW_WEIGHTS = 64
#: up to this many weights a thread stays within 64 registers
SMALL_WEIGHTS = 25
#: above this many multiply-adds per input channel, kernel rows are a loop
UNROLL_LIMIT = 640


@dataclass(frozen=True)
class TiledKey:
    """Everything the tiled kernel is specialised on: the kernel's shape and the tile
    (:class:`convviz.core.launch.TilePlan`, the one definition of the tile's geometry);
    not the image size, which comes with the launch."""

    c_in: int
    c_out: int
    groups: int
    kh: int
    kw: int
    sy: int
    sx: int
    dy: int
    dx: int
    pt: int
    pb: int
    pl: int
    pr: int
    mode: int
    plan: TilePlan
    #: "all" (what a launch runs), or the interior or border blocks' path alone (the report)
    paths: str = "all"

    @property
    def rows(self) -> int:  # R: output rows per thread
        return self.plan.rows

    @property
    def cob(self) -> int:  # output channels per thread (and per block)
        return self.plan.cob

    @property
    def bx(self) -> int:
        return self.plan.block[0]

    @property
    def by(self) -> int:
        return self.plan.block[1]

    @property
    def ih(self) -> int:
        return self.plan.ih

    @property
    def iw(self) -> int:
        return self.plan.iw

    @property
    def weights(self) -> int:
        return self.cob * self.kh * self.kw

    @property
    def order(self) -> str:
        return "window" if self.weights <= WINDOW_WEIGHTS else "taps"

    @property
    def min_blocks(self) -> int:
        """Blocks an SM should hold at once (the launch bound that caps registers: 64 a
        thread for 4 blocks of 256, 128 for 2): few registers for small kernels, more
        where a thread holds many weights or channels."""
        small = self.weights <= SMALL_WEIGHTS and self.cob == 1
        return blocks_for(self.bx * self.by, 64 if small else 128)


def blocks_for(threads: int, registers: int) -> int:
    """Blocks of ``threads`` an SM must hold at once for a launch bound that leaves each
    thread ``registers`` registers (an SM: 65536 registers, at most 32 blocks; registers
    are allotted per warp of 32 threads)."""
    warps = (threads + 31) // 32
    return min(32, max(1, 65536 // (warps * 32 * registers)))


def kernel_source(k: TiledKey) -> str:
    """The Python source of the kernel ``conv_tiled_kernel`` for specialisation ``k``."""
    ih, iw, nt, kk = k.ih, k.iw, k.bx * k.by, k.kh * k.kw
    cin_g, cout_g = k.c_in // k.groups, k.c_out // k.groups
    woff = ih * iw
    src = [
        "def conv_tiled_kernel(x, w, b, out, h, wd, ho, wo, by_lo, by_hi, bx_lo, bx_hi):",
        "    sh = cuda.shared.array(0, float32)",
        "    h, wd, ho, wo = u32(h), u32(wd), u32(ho), u32(wo)",
        "    tx = u32(cuda.threadIdx.x)",
        "    ty = u32(cuda.threadIdx.y)",
        f"    tid = ty * {k.bx} + tx",
        f"    xs = with_shape(x, ({k.c_in}, h, wd))",
        f"    ws = with_shape(w, ({k.c_out}, {cin_g}, {kk}))",
        f"    os = with_shape(out, ({k.c_out}, ho, wo))",
        f"    co0 = u32(cuda.blockIdx.z) * {k.cob}",
        f"    c0 = (co0 // {cout_g}) * {cin_g}",
        f"    oy0 = u32(cuda.blockIdx.y) * {k.by * k.rows}",
        f"    ox0 = u32(cuda.blockIdx.x) * {k.bx}",
        f"    iy0 = oy0 * {k.sy} - {k.pt}",
        f"    ix0 = ox0 * {k.sx} - {k.pl}",
        "    bly = u32(cuda.blockIdx.y)",
        "    blx = u32(cuda.blockIdx.x)",
        "    inside = by_lo <= bly < by_hi and bx_lo <= blx < bx_hi"
        + (" and False" if k.paths == "border" else ""),
        f"    sbase = u32(ty * {k.rows * k.sy * iw} + tx * {k.sx})",
    ]
    accs = [f"a{r}_{j}" for j in range(k.cob) for r in range(k.rows)]
    src += [f"    {a} = float32(0)" for a in accs]
    loop = cin_g > 1
    ind = "        " if loop else "    "
    if loop:
        src.append(f"    for ci in range({cin_g}):")
    else:
        src.append("    ci = 0")
    src += [ind + line for line in _load_tile(k, ih, iw)]
    src += [ind + line for line in _load_weights(k, kk, nt, woff)]
    src.append(ind + "cuda.syncthreads()")
    src += [ind + line for line in _compute(k, iw, woff)]
    src.append(ind + "cuda.syncthreads()")
    src += _store(k)
    return "\n".join(src) + "\n"


def _slots(k: TiledKey, ih: int, iw: int) -> list[tuple[str, str, str]]:
    """(guard, tile row, tile column) of each element a thread copies: full BY×BX
    patches with the thread at (ty, tx), then the leftover columns shared out flat."""
    out = []
    full_cols = iw // k.bx
    for i in range((ih + k.by - 1) // k.by):
        guard = f"ty < {ih - i * k.by}" if (i + 1) * k.by > ih else ""
        for j in range(full_cols):
            out.append((guard, f"ty + {i * k.by}", f"tx + {j * k.bx}"))
    rest = iw - full_cols * k.bx
    nt = k.bx * k.by
    for s in range((ih * rest + nt - 1) // nt if rest else 0):
        e = f"(tid + {s * nt})"
        guard = f"{e} < {ih * rest}" if (s + 1) * nt > ih * rest else ""
        out.append((guard, f"{e} // {rest}", f"{full_cols * k.bx} + {e} % {rest}"))
    return out


def _load_tile(k: TiledKey, ih: int, iw: int) -> list[str]:
    slots = _slots(k, ih, iw)
    src = ["if inside:"]
    for guard, r, c in slots:
        pre = "    "
        if guard:
            src.append(f"    if {guard}:")
            pre = "        "
        load = f"xs[c0 + ci, nonneg(iy0 + {r}), nonneg(ix0 + {c})]"
        src.append(f"{pre}sh[({r}) * {iw} + {c}] = {load}")
    # a tile that crosses the input's edge (few blocks): one loop, the padding map per
    # element; elements beyond the padded input are never read by a valid cell
    if k.paths == "interior":  # (the report's count of the interior blocks alone)
        return src + ["else:", "    return"]
    src += [
        "else:",
        f"    for e in range(int(tid), {ih * iw}, {k.bx * k.by}):",
        f"        r = e // {iw}",
        "        yy = iy0 + r",
        f"        xx = ix0 + e - r * {iw}",
        "        v = float32(0)",
        f"        if yy < h + {k.pb} and xx < wd + {k.pr}:",
        f"            yy = map_index(yy, h, {k.mode})",
        f"            xx = map_index(xx, wd, {k.mode})",
        "            if yy >= 0 and xx >= 0:",
        "                v = xs[c0 + ci, yy, xx]",
        "        sh[e] = v",
    ]
    return src


def _load_weights(k: TiledKey, kk: int, nt: int, woff: int) -> list[str]:
    """Weight (j, t) of this input channel by thread (tx, ty) = (t mod BX, j mod BY)."""
    src = []
    for jj in range(0, k.cob, k.by):
        for tt in range(0, kk, k.bx):
            guard = []
            if jj + k.by > k.cob:
                guard.append(f"ty < {k.cob - jj}")
            if tt + k.bx > kk:
                guard.append(f"tx < {kk - tt}")
            dst = f"sh[{woff} + (ty + {jj}) * {kk} + tx + {tt}]"
            line = f"{dst} = ws[co0 + ty + {jj}, ci, tx + {tt}]"
            if guard:
                src += [f"if {' and '.join(guard)}:", "    " + line]
            else:
                src.append(line)
    return src


def _store(k: TiledKey) -> list[str]:
    """Each cell plus its bias; unguarded when all the thread's rows are in the output."""
    src = ["    ox = ox0 + tx", f"    oyb = oy0 + ty * {k.rows}"]
    for j in range(k.cob):
        src.append(f"    b{j} = b[co0 + {j}]")
    src.append(f"    if oyb + {k.rows} <= ho and ox < wo:")
    for j in range(k.cob):
        for r in range(k.rows):
            src.append(f"        os[co0 + {j}, oyb + {r}, ox] = a{r}_{j} + b{j}")
    src.append("    elif ox < wo:")
    for j in range(k.cob):
        for r in range(k.rows):
            src.append(f"        if oyb + {r} < ho:")
            src.append(f"            os[co0 + {j}, oyb + {r}, ox] = a{r}_{j} + b{j}")
    return src


class _Names:
    """Each value gets a name of its own (``xv3``, ``a0_1_7``): numba rebuilds SSA form
    for every name assigned more than once, in time that grows with the square of the
    assignments -- tens of seconds for a 7×7 kernel written with ``+=``."""

    def __init__(self) -> None:
        self.n = 0
        self.acc: dict[tuple[int, int], str] = {}

    def fresh(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def add(self, r: int, j: int, term: str) -> str:
        """``a{r}_{j} += term`` as a new name: the line that assigns it."""
        old = self.acc.get((r, j), f"a{r}_{j}")
        new = self.acc[(r, j)] = self.fresh(f"a{r}_{j}_")
        return f"{new} = {old} + {term}"

    def settle(self) -> list[str]:
        """Back to the accumulators' own names (a loop carries them)."""
        out = [f"a{r}_{j} = {name}" for (r, j), name in self.acc.items()]
        self.acc.clear()
        return out


def _compute(k: TiledKey, iw: int, woff: int) -> list[str]:
    src = []
    names = _Names()
    if k.order == "window":
        for j in range(k.cob):
            for ky in range(k.kh):
                for kx in range(k.kw):
                    src.append(f"w{j}_{ky}_{kx} = sh[{woff + (j * k.kh + ky) * k.kw + kx}]")
        uses: dict[int, list[tuple[int, int]]] = {}
        for r in range(k.rows):
            for ky in range(k.kh):
                uses.setdefault(r * k.sy + ky * k.dy, []).append((r, ky))
        for ir in sorted(uses):
            for kx in range(k.kw):
                xv = names.fresh("xv")
                src.append(f"{xv} = sh[sbase + {ir * iw + kx * k.dx}]")
                for r, ky in uses[ir]:
                    for j in range(k.cob):
                        src.append(names.add(r, j, f"{xv} * w{j}_{ky}_{kx}"))
        return src + names.settle()
    big = k.rows * k.cob * k.kh * k.kw > UNROLL_LIMIT
    pre = ""
    if big:  # kernel rows as a loop; 32-bit row offsets computed once a row
        src += [
            f"for ky in range({k.kh}):",
            f"    xrow = u32(sbase + ky * {k.dy * iw})",
            f"    wrow = u32(ky * {k.kw} + {woff})",
        ]
        pre = "    "
    for ky in range(1 if big else k.kh):
        for kx in range(k.kw):
            wn = {}
            for j in range(k.cob):
                wi = j * k.kh * k.kw + kx
                widx = f"wrow + {wi}" if big else str(woff + wi + ky * k.kw)
                wn[j] = names.fresh(f"w{j}_")
                src.append(f"{pre}{wn[j]} = sh[{widx}]")
            for r in range(k.rows):
                xo = r * k.sy * iw + kx * k.dx
                xidx = f"xrow + {xo}" if big else f"sbase + {xo + ky * k.dy * iw}"
                xv = names.fresh("xv")
                src.append(f"{pre}{xv} = sh[{xidx}]")
                for j in range(k.cob):
                    src.append(pre + names.add(r, j, f"{xv} * {wn[j]}"))
    return src + [pre + line for line in names.settle()]


def inside_blocks(n: int, tile: int, span: int, stride: int, pad: int) -> tuple[int, int]:
    """Blocks b along one axis whose input tile b·tile·stride − pad + [0, span) lies
    inside an input axis of length n: lo <= b < hi (hi <= lo: none)."""
    step = tile * stride
    lo = -(-pad // step)
    hi = max(lo, (n + pad - span) // step + 1)
    return lo, hi
