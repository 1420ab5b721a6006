"""The path accounting on hand-written SASS (no compiler needed): loops count their trip
counts, a branch never hides work, and sectors follow the access's step."""

import pytest

from convviz.backends.cuda_paths import Trips, heaviest_path, kernel_functions, sectors_per_request

HEAD = "        //--------------------- .text.k --------------------------\n"


def _sass(body: str):
    lines = []
    for i, text in enumerate(body.strip().splitlines()):
        text = text.strip()
        if text.endswith(":"):
            lines.append(text)
        else:
            lines.append(f"        /*{16 * i:04x}*/                   {text} ;")
    (instrs,) = kernel_functions(HEAD + "\n".join(lines)).values()
    return instrs


LOOP = """
MOV R1, c[0x0][0x28]
.L_x_0:
FFMA R2, R3, R4, R2
LDG.E R3, desc[UR4][R6.64]
IADD3 R5, R5, 0x1, RZ
@P0 BRA `(.L_x_0)
STG.E desc[UR4][R8.64], R2
EXIT
"""


def test_a_loop_counts_its_trip_count():
    p = heaviest_path(_sass(LOOP), Trips(ffma=(7,)))
    assert (p.instructions, p.ffma, p.loads, p.stores) == (1 + 4 * 7 + 2, 7, 7, 1)


def test_an_unrolled_loop_runs_as_often_as_the_multiply_adds_ask():
    # the body holds 1 FFMA; a thread does 14 in all: 14 trips, not the hint's 7
    p = heaviest_path(_sass(LOOP), Trips(ffma=(7,), total_ffma=14))
    assert p.ffma == 14 and p.instructions == 1 + 4 * 14 + 2


def test_a_copy_loop_without_multiply_adds_is_counted():
    sass = LOOP.replace("FFMA R2, R3, R4, R2", "STS [R7], R3")
    p = heaviest_path(_sass(sass), Trips(other=36))
    assert p.instructions == 1 + 4 * 36 + 2


RARE = """
MOV R1, c[0x0][0x28]
@P0 BRA `(.L_x_1)
LDG.E R3, desc[UR4][R6.64]
LDG.E R4, desc[UR4][R6.64+0x4]
STS [R7], R3
STS [R7+0x4], R4
.L_x_1:
BAR.SYNC.DEFER_BLOCKING 0x0
FFMA R2, R3, R4, R2
EXIT
"""


def test_a_branch_around_the_copy_does_not_hide_it():
    p = heaviest_path(_sass(RARE), Trips())
    assert p.loads == 2 and p.barriers == 1 and p.instructions == 9


@pytest.mark.parametrize(
    "sx,sy,bx,sectors",
    [(4, None, 32, 4), (4, None, 16, 4), (0, 0, 32, 1), (None, 4, 16, 32), (None, 4, 32, 32)],
)
def test_sectors_follow_the_step(sx, sy, bx, sectors):
    assert sectors_per_request(sx, sy, bx) == sectors
