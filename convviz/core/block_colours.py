"""Which colour each CUDA block gets in the picture of a launch: a 2-D colouring.

Numbering blocks ``bx + gx·by`` and taking it modulo a palette gives a whole column
of blocks one colour whenever the grid is as wide as the palette (8 blocks a row, 8
colours). Colouring by the parities of ``bx`` and ``by`` instead uses four colours and
gives every block a colour that none of its eight neighbours has: left and right
differ in ``bx``'s parity, above and below in ``by``'s, diagonals in both.
"""

from __future__ import annotations

import numpy as np

#: how many colours the colouring uses
N_COLOURS = 4


def block_colour(bx: int, by: int) -> int:
    """The colour index (0 … 3) of block (``bx``, ``by``)."""
    return (bx % 2) + 2 * (by % 2)


def cell_colours(rows: int, cols: int, tile_h: int, tile_w: int) -> np.ndarray:
    """The colour index of every output cell: its block's (blocks of ``tile_h`` ×
    ``tile_w`` cells, block (0, 0) at the top left); shape (rows, cols), int."""
    if tile_h < 1 or tile_w < 1:
        raise ValueError(f"a block covers at least one cell; got {tile_h}×{tile_w}")
    by = np.arange(rows)[:, None] // tile_h
    bx = np.arange(cols)[None, :] // tile_w
    return ((bx % 2) + 2 * (by % 2)).astype(np.intp)
