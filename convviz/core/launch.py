"""The CUDA launch geometry, as plain arithmetic the GUI can draw without numba.

One thread per output cell: a 2-D grid of 2-D blocks over (H_out, W_out),
with the output channel on the grid's z axis.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCK = (16, 16)  # threads per block along (x = columns, y = rows)


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

    def thread_of(self, co: int, oy: int, ox: int):
        """(blockIdx, threadIdx, k) of the thread computing out[co, oy, ox]; k numbers the
        cells one thread computes (0 for one cell per thread): rows spaced a block height
        apart, then output channels."""
        th, tw, tc = self.tile
        by = self.block[1]
        rows = self.cells_per_thread[0]
        r, c = oy % th, ox % tw
        k = (co % tc) * rows + r // by
        return (ox // tw, oy // th, co // tc), (c, r % by, 0), k


def launch_for(out_shape: tuple[int, int, int], block=BLOCK) -> Launch:
    c_out, ho, wo = out_shape
    bx, by = block
    return Launch(((wo + bx - 1) // bx, (ho + by - 1) // by, c_out), (bx, by, 1))


def thread_of(
    co: int, oy: int, ox: int, block=BLOCK
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(blockIdx, threadIdx) as (x, y, z) of the thread that computes out[co, oy, ox]."""
    bx, by = block
    return (ox // bx, oy // by, co), (ox % bx, oy % by, 0)
