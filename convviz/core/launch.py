"""The CUDA launch geometry, as plain arithmetic the GUI can draw without numba.

``cuda``: one thread per output cell, a 2-D grid of 2-D blocks over (H_out, W_out),
the output channel on the grid's z axis.

``cuda-tiled``: a block computes a tile of (block height × R) rows × (block width)
columns in ``cob`` output channels; thread (tx, ty) computes the R consecutive rows
ty·R … ty·R+R−1 of column tx in each of them. :func:`tile_plan` gives the tile, the
input tile plus halo the block copies to shared memory, and its size in bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BLOCK = (16, 16)  # threads per block along (x = columns, y = rows)
TILED_BLOCK = (32, 8)  # 32 along a row (one warp reads a row: coalesced), 8 rows
SHARED_LIMIT = 48 * 1024  # bytes of shared memory a block may use without opting in
#: registers per SM and the most a thread may hold, on every GPU since compute 5.0
REGISTERS_PER_SM = 65536
MAX_THREADS_PER_BLOCK = 1024


@dataclass(frozen=True)
class Launch:
    grid: tuple[int, int, int]  # blocks along x (columns), y (rows), z (output channels)
    block: tuple[int, int, int]
    #: (output rows, output channels) each thread computes; (1, 1) for one cell per thread
    cells_per_thread: tuple[int, int] = (1, 1)

    @property
    def threads(self) -> int:
        g, b = self.grid, self.block
        return g[0] * g[1] * g[2] * b[0] * b[1] * b[2]

    @property
    def tile(self) -> tuple[int, int, int]:
        """Output cells one block covers: (rows, columns, channels)."""
        rows, cob = self.cells_per_thread
        return (self.block[1] * rows, self.block[0], cob)

    def thread_of(
        self, co: int, oy: int, ox: int
    ) -> tuple[tuple[int, int, int], tuple[int, int, int], int]:
        """(blockIdx, threadIdx, k) of the thread computing out[co, oy, ox]; k numbers the
        cells one thread computes (0 for one cell per thread): its consecutive rows, then
        its output channels."""
        th, tw, tc = self.tile
        rows = self.cells_per_thread[0]
        r, c = oy % th, ox % tw
        k = (co % tc) * rows + r % rows
        return (ox // tw, oy // th, co // tc), (c, r // rows, 0), k

    def cells_of(self, bidx: tuple[int, ...], tidx: tuple[int, ...]) -> list[tuple[int, int, int]]:
        """(co, oy, ox) of the cells one thread computes, in its order k (the inverse of
        :meth:`thread_of`); cells beyond the output are included."""
        th, tw, tc = self.tile
        rows, cob = self.cells_per_thread
        ox = bidx[0] * tw + tidx[0]
        oy0 = bidx[1] * th + tidx[1] * rows
        return [(bidx[2] * tc + j, oy0 + r, ox) for j in range(cob) for r in range(rows)]


def launch_for(out_shape: tuple[int, int, int], block: tuple[int, int] = BLOCK) -> Launch:
    c_out, ho, wo = out_shape
    bx, by = block
    return Launch(((wo + bx - 1) // bx, (ho + by - 1) // by, c_out), (bx, by, 1))


def thread_of(
    co: int, oy: int, ox: int, block: tuple[int, int] = BLOCK
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(blockIdx, threadIdx) as (x, y, z) of the one-thread-per-cell kernel's thread that
    computes out[co, oy, ox]."""
    bidx, tidx, _ = Launch((1, 1, 1), (block[0], block[1], 1)).thread_of(co, oy, ox)
    return bidx, tidx


def max_threads(registers: int) -> int:
    """The most threads a block may have when each thread uses ``registers`` registers
    (registers are allocated per warp in units of 256)."""
    per_warp = ((max(registers, 1) * 32 + 255) // 256) * 256
    return min(MAX_THREADS_PER_BLOCK, (REGISTERS_PER_SM // per_warp) * 32)


@dataclass(frozen=True)
class TilePlan:
    """The tiled kernel's geometry for one problem; ``reason`` is '' when it tiles."""

    rows: int  # output rows per thread (consecutive)
    cob: int  # output channels per thread and per block
    ih: int  # input tile plus halo: rows
    iw: int  # and columns
    shared_bytes: int
    block: tuple[int, int]
    tile: tuple[int, int]  # output rows, columns of one block
    reason: str

    def shared_box(self, spec: Any, bidx: tuple[int, ...]) -> tuple[int, int, int, int]:
        """(row, column, height, width) in padded-input coordinates of what block
        ``bidx`` copies into shared memory, cut at the padded input's edge (the kernel
        loads zeros beyond it)."""
        th, tw = self.tile
        (sy, sx), pad = spec.stride, spec.padding
        r0, c0 = bidx[1] * th * sy, bidx[0] * tw * sx
        ph, pw = spec.h + pad[0] + pad[1], spec.w + pad[2] + pad[3]
        return r0, c0, max(0, min(self.ih, ph - r0)), max(0, min(self.iw, pw - c0))


def channels_per_thread(spec: Any) -> int:
    """Output channels per thread: as many as divide the channels of one group, up to 8."""
    cout_g = spec.c_out // spec.groups
    for cob in (8, 4, 2):
        if cout_g % cob == 0:
            return cob
    return 1


def rows_per_thread(cob: int) -> int:
    """Output rows per thread by default: 16 for one channel (each input value read
    serves up to kh rows), 4 when a thread also computes several channels."""
    return 16 if cob == 1 else 4


def tile_plan(spec: Any, block: tuple[int, int] = TILED_BLOCK, rows: int | None = None) -> TilePlan:
    """Tile geometry and shared-memory bytes for a problem, or the reason it cannot tile."""
    (sy, sx), (dy, dx) = spec.stride, spec.dilation
    bx, by = block
    cob = channels_per_thread(spec)
    rows = rows_per_thread(cob) if rows is None else rows
    ih = (by * rows - 1) * sy + (spec.kh - 1) * dy + 1
    iw = (bx - 1) * sx + (spec.kw - 1) * dx + 1
    shared = 4 * (ih * iw + cob * spec.kh * spec.kw)
    reason = ""
    if shared > SHARED_LIMIT:
        reason = (
            f"the input tile for a {spec.kh}×{spec.kw} kernel with stride "
            f"{spec.stride} and dilation {spec.dilation} needs {shared:,} bytes "
            f"of shared memory (limit {SHARED_LIMIT:,}); computed by the "
            "one-thread-per-cell cuda kernel instead"
        )
    return TilePlan(rows, cob, ih, iw, shared, (bx, by), (by * rows, bx), reason)
