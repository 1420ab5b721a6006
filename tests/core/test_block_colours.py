"""The block colouring: one colour per block, never shared with a neighbouring block
(left, right, above, below or diagonal), on the launches the lessons make."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convviz.core.block_colours import N_COLOURS, block_colour, cell_colours


@pytest.mark.parametrize(
    ("rows", "cols", "th", "tw"),
    [(8, 8, 4, 4), (32, 32, 4, 4), (32, 32, 1, 1), (9, 13, 2, 3), (5, 40, 5, 4), (1, 1, 4, 4)],
)
def test_each_block_is_one_colour_and_no_neighbour_shares_it(rows, cols, th, tw):
    colours = cell_colours(rows, cols, th, tw)
    assert colours.shape == (rows, cols)
    assert colours.min() >= 0 and colours.max() < N_COLOURS
    gy, gx = -(-rows // th), -(-cols // tw)
    per_block = {}
    for by, bx in itertools.product(range(gy), range(gx)):
        cells = colours[by * th : (by + 1) * th, bx * tw : (bx + 1) * tw]
        assert np.unique(cells).size == 1  # the block reads as one colour
        per_block[bx, by] = int(cells.flat[0])
        assert per_block[bx, by] == block_colour(bx, by)
    for (bx, by), c in per_block.items():
        for dx, dy in itertools.product((-1, 0, 1), repeat=2):
            other = per_block.get((bx + dx, by + dy))
            if (dx, dy) != (0, 0) and other is not None:
                assert other != c, f"block {(bx, by)} and {(bx + dx, by + dy)} share colour {c}"


def test_a_row_of_eight_blocks_is_not_one_colour_per_column():
    """The old linear numbering mod 8 coloured each column of blocks alike at 32×32."""
    colours = cell_colours(32, 32, 4, 4)
    column = colours[::4, 0]
    assert np.unique(column).size == 2  # alternates down a column


def test_a_block_covers_at_least_one_cell():
    with pytest.raises(ValueError, match="at least one cell"):
        cell_colours(4, 4, 0, 2)
