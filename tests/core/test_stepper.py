"""The animation state machine, stepped directly (no Qt)."""

import numpy as np
import pytest

from convviz import backends
from convviz.core.lessons import demo_lesson, make_input
from convviz.core.spec import PADDING_MODES, prepare
from convviz.core.stepper import Stepper


def test_demo_lesson_steps_through_every_cell_in_row_major_order():
    prep = demo_lesson().prepare()
    st = Stepper(prep)
    ref = backends.get("reference").compute(prep)
    cpu = backends.get("cpu").compute(prep)
    assert st.pos == -1 and st.state() is None and np.isnan(st.output()).all()
    seen = []
    while not st.at_end:
        st.step()
        s = st.state()
        seen.append((s.co, s.oy, s.ox))
        assert s.value == cpu[s.co, s.oy, s.ox]  # the same float32 operations
        assert s.value == pytest.approx(ref[s.co, s.oy, s.ox], abs=1e-4)
        filled = st.output()
        assert np.isfinite(filled).sum() == st.pos + 1
    assert seen == [(0, y, x) for y in range(8) for x in range(8)]
    np.testing.assert_array_equal(st.full_output(), cpu)


def test_seek_step_reset_clamp():
    st = Stepper(demo_lesson().prepare())
    assert st.seek(1000) == 63 and st.at_end
    assert st.step(+1) == 63
    assert st.seek(-50) == -1 and st.at_start
    st.seek(10)
    assert st.step(-3) == 7
    st.reset()
    assert st.pos == -1


def test_window_taps_products_and_running_sum():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    w = np.array([[1, 2], [3, 4]], np.float32)
    st = Stepper(prepare(x, w, bias=[0.5], padding=1, stride=2))
    st.seek(st.index_of(0, 1, 1))  # window top-left at padded (2, 2) = input (1, 1)
    s = st.state()
    assert st.window(st.pos) == (2, 2)
    assert [t.source for t in s.taps] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert [t.product for t in s.taps] == [5 * 1, 6 * 2, 9 * 3, 10 * 4]
    assert [t.running for t in s.taps] == [5, 17, 44, 84]
    assert s.value == 84.5 and s.bias == 0.5
    assert s.formula == "out[1,1] = 1·5 + 2·6 + 3·9 + 4·10 + 0.5 = 84.5"


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_padded_taps_name_the_pixel_they_copy(mode):
    x = make_input("random", 5, 6, seed=3)[0]
    pad = 2
    st = Stepper(prepare(x, np.ones((5, 5), np.float32), padding=pad, padding_mode=mode))
    numpy_mode = {
        "zeros": "constant",
        "reflect": "reflect",
        "replicate": "edge",
        "circular": "wrap",
    }[mode]
    padded = np.pad(x, pad, mode=numpy_mode)
    for k in range(st.n_cells):
        for t in st.state(k).taps:
            assert t.padded == (not (pad <= t.py < pad + 5 and pad <= t.px < pad + 6))
            if t.source is None:
                assert mode == "zeros" and t.padded and t.x == 0
            else:
                assert x[t.source] == padded[t.py, t.px] == t.x


def test_channels_and_groups_sum_per_channel():
    x = make_input("random", 6, 6, channels=3, seed=1)
    w = np.random.default_rng(0).integers(-2, 3, (2, 3, 3, 3)).astype(np.float32)
    prep = prepare(x, w, bias=[1, -1], padding=1)
    st = Stepper(prep)
    cpu = backends.get("cpu").compute(prep)
    st.seek(st.index_of(1, 2, 3))
    s = st.state()
    assert len(s.taps) == 27 and len(s.channel_sums) == 3
    assert sum(s.channel_sums) + s.bias == pytest.approx(s.value)
    assert s.value == cpu[1, 2, 3]
    assert s.formula.startswith("out[1,2,3] = ") and "…" in s.formula


def test_output_size_text_has_live_numbers():
    spec = prepare(np.zeros((8, 9)), np.ones((3, 3)), padding=1, stride=2).spec
    assert spec.output_size_text(0) == "floor((8 + 1 + 1 - 1*(3-1) - 1) / 2) + 1 = 4"
    assert spec.output_size_text(1).endswith("= 5")
