"""The stepper's finer position: each input channel of a cell, then its bias (no Qt)."""

import numpy as np
import pytest

from convviz import backends
from convviz.core.lessons import channel_lesson, demo_lesson, make_input
from convviz.core.spec import NUMPY_MODE, PADDING_MODES, prepare
from convviz.core.stepper import Stepper, padding_sources


def _numpy_window_sum(prep, co, oy, ox, ci):
    """Σ x·w of one input channel's window, in float64 (exact for small integers)."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    xp = np.pad(
        prep.x[ci].astype(np.float64), ((pt, pb), (pl, pr)), mode=NUMPY_MODE[s.padding_mode]
    )
    sy, sx = s.stride
    dy, dx = s.dilation
    win = xp[
        oy * sy : oy * sy + dy * (s.kh - 1) + 1 : dy, ox * sx : ox * sx + dx * (s.kw - 1) + 1 : dx
    ]
    c0 = (co // (s.c_out // s.groups)) * (s.c_in // s.groups)
    return float((win * prep.w[co, ci - c0]).sum())


@pytest.mark.parametrize("groups", [1, 3])
def test_every_substep_of_a_channel_lesson_against_numpy(groups):
    lesson = channel_lesson()
    lesson.groups = groups
    lesson.w = (
        np.random.default_rng(4)
        .integers(-2, 3, (3 if groups == 3 else 2, 3 // groups, 3, 3))
        .astype(np.float32)
    )
    lesson.bias = np.arange(1, lesson.w.shape[0] + 1, dtype=np.float32)
    prep = lesson.prepare()
    st = Stepper(prep, substeps=True)
    s = prep.spec
    cin_g = s.c_in // groups
    assert st.n_stages == cin_g + 1 and st.n_substeps == s.cells * (cin_g + 1)
    cpu = backends.get("cpu").compute(prep)
    seen = []
    while not st.at_end:
        st.step_sub(1)
        p = st.partial()
        seen.append((p.index, p.stage))
        assert (p.index, p.stage) == divmod(st.sub_pos, st.n_stages)
        c0 = st.group_start(p.co)
        expected = [_numpy_window_sum(prep, p.co, p.oy, p.ox, ci) for ci in range(c0, c0 + cin_g)]
        n = p.stage + 1 if p.stage < cin_g else cin_g
        assert p.channels_done == tuple(range(c0, c0 + n))
        assert list(p.channel_sums) == expected[:n]
        if p.stage < cin_g:
            assert p.channel == c0 + p.stage and not p.bias_added
            assert p.total == sum(expected[:n])
            # the current cell is not in the output until its bias is added
            assert np.isnan(st.output().flat[p.index])
        else:
            assert p.channel is None and p.bias_added and p.complete
            assert p.total == sum(expected) + prep.b[p.co] == cpu.flat[p.index]
            assert st.output().flat[p.index] == cpu.flat[p.index]
        assert np.isfinite(st.output()).sum() == p.index + (1 if p.bias_added else 0)
    assert seen == [(k, g) for k in range(s.cells) for g in range(cin_g + 1)]
    np.testing.assert_array_equal(st.full_output(), cpu)


def test_cell_level_navigation_is_unchanged_with_substeps():
    st = Stepper(channel_lesson().prepare(), substeps=True)
    assert st.pos == -1 and st.sub_pos == -1 and st.partial() is None
    st.step_sub(3)  # from -1: cell 0, third input channel
    assert (st.pos, st.stage) == (0, 2) and not st.at_end
    st.step(1)  # a cell-level step lands on a finished cell
    assert (st.pos, st.stage) == (1, st.n_stages - 1)
    assert st.seek(10**6) == st.n_cells - 1 and st.at_end
    st.step_sub(-1)
    assert st.pos == st.n_cells - 1 and not st.at_end and st.stage == st.n_stages - 2
    st.reset()
    assert st.pos == -1 and st.sub_pos == -1
    assert st.seek_sub(-7) == -1 and st.seek_sub(10**6) == st.n_substeps - 1


def test_without_substeps_a_stage_is_a_cell():
    st = Stepper(demo_lesson().prepare())
    assert st.n_stages == 1 and st.n_substeps == st.n_cells
    st.step_sub(5)
    assert st.pos == 4 and st.partial().bias_added and st.partial().channel is None


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_padding_sources_equal_numpy_pad(mode):
    x = make_input("random", 5, 6, seed=2)
    spec = prepare(x, np.ones((5, 5)), padding=(2, 2), padding_mode=mode).spec
    sources, padded = padding_sources(spec)
    rows, cols = np.indices((5, 6))
    if mode == "zeros":
        assert (sources[padded] == -1).all()
    else:
        np.testing.assert_array_equal(sources[..., 0], np.pad(rows, 2, mode=NUMPY_MODE[mode]))
        np.testing.assert_array_equal(sources[..., 1], np.pad(cols, 2, mode=NUMPY_MODE[mode]))
    assert padded.sum() == 9 * 10 - 5 * 6
