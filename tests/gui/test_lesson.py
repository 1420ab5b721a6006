"""The window opens on the demo; stepping, playing and every parameter change."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.lessons import demo_lesson
from convviz.core.reference import conv2d_reference
from convviz.gui.widgets.grid_view import Box


def reference(win) -> np.ndarray:
    return conv2d_reference(win.model.prep)


def test_window_opens_on_the_demo(window):
    demo = demo_lesson()
    np.testing.assert_array_equal(window.model.lesson.x, demo.x)
    assert window.model.pos == -1
    s = window.model.prep.spec
    iv = window.lesson_view.input_view
    assert iv.values.shape == (s.h + 2, s.w + 2)  # padding 1 drawn around the input
    assert iv.numbers.faint[0].all() and not iv.numbers.faint[1, 1]  # padded cells differ
    assert len(iv.padded_hatch.boxes) == 2 * (s.h + 2) + 2 * s.w
    assert iv.numbers.texts[1, 1] == str(int(demo.x[0, 0, 0]))
    assert np.isnan(window.lesson_view.output_view.values).all()  # an empty output
    assert window.lesson_view.kernel_view.values.shape == (3, 3)
    assert "H_out = floor((8 + 1 + 1" in window.lesson_view.sizes.text()
    assert window.device_label.text()


def test_stepping_moves_the_window_and_fills_the_reference(window):
    m, lv = window.model, window.lesson_view
    ref = reference(window)[0]
    for k in range(m.n_cells):
        window.keys.step(1)
        assert m.pos == k
        wy, wx = m.stepper.window(k)
        assert lv.input_view.outlines["window"].boxes == [Box(wy, wx, 3, 3)]
        oy, ox = divmod(k, ref.shape[1])
        assert lv.output_view.outlines["current"].boxes == [Box(oy, ox)]
        shown = lv.output_view.values
        assert shown.flat[k] == ref.flat[k]  # exactly: integers through float32
        assert np.isnan(shown.flat[k + 1 :]).all()
        assert f"= {int(ref.flat[k])}" in lv.formula.text()
    window.keys.step(-1)
    assert m.pos == m.n_cells - 2 and np.isnan(lv.output_view.values.flat[-1])


def test_playing_to_the_end_gives_the_reference_output(window, qtbot):
    pb = window.playback
    pb.set_speed(500)
    with qtbot.waitSignal(pb.sigPlayingChanged, check_params_cb=lambda p: not p, timeout=20_000):
        window.playback_bar.play.click()
    assert window.model.stepper.at_end
    np.testing.assert_array_equal(window.lesson_view.output_view.values, reference(window)[0])
    assert window.playback_bar.play.text().endswith("Play")


def test_playback_follows_the_clock_and_drops_frames(window):
    now = [0.0]
    pb = window.playback
    pb.clock = lambda: now[0]
    pb.set_speed(100)
    pb.play()  # the first cell at once
    assert window.model.pos == 0 and pb.playing
    now[0] = 0.25  # a slow frame: 25 cells are due, shown in one jump
    pb._on_tick()
    assert window.model.pos == 25
    window.model.seek(3)  # scrubbing while playing: go on from there
    pb._on_tick()
    now[0] = 0.30
    pb._on_tick()
    assert window.model.pos == 8
    now[0] = 100.0
    pb._on_tick()
    assert window.model.stepper.at_end and not pb.playing


def _set_combo(combo, text):
    i = combo.findText(text)
    assert i >= 0, text
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


CHANGES = {
    "rows": (lambda c: c.rows.setValue(5), lambda s: (s.h, s.w, s.out_h) == (5, 8, 5)),
    "columns": (lambda c: c.cols.setValue(11), lambda s: s.out_w == 11),
    "pattern": (lambda c: _set_combo(c.pattern, "checkerboard"), None),
    "random": (lambda c: c.reroll.click(), None),
    "preset": (lambda c: _set_combo(c.preset, "Box blur"), lambda s: s.kh == 3),
    "preset size": (
        lambda c: (_set_combo(c.preset, "Box blur"), c.ksize.setValue(5)),
        lambda s: (s.kh, s.out_h) == (5, 6),
    ),
    "typed kernel": (
        lambda c: (c.kernel_text.setText("1 2; 3 4"), c.kernel_text.returnPressed.emit()),
        lambda s: (s.kh, s.kw) == (2, 2),
    ),
    "stride": (lambda c: c.stride.setValue(2), lambda s: s.out_shape == (1, 4, 4)),
    "padding": (lambda c: _set_combo(c.padding, "3"), lambda s: s.out_h == 12),
    "valid": (lambda c: _set_combo(c.padding, "valid"), lambda s: s.out_h == 6),
    "same": (
        lambda c: (c.dilation.setValue(2), _set_combo(c.padding, "same")),
        lambda s: (s.out_h, s.padding) == (8, (2, 2, 2, 2)),
    ),
    "padding mode": (
        lambda c: _set_combo(c.padding_mode, "reflect"),
        lambda s: s.padding_mode == "reflect",
    ),
    "dilation": (lambda c: c.dilation.setValue(2), lambda s: (s.out_h, s.dilation) == (6, (2, 2))),
    "convolution": (lambda c: c.operation.activated.emit(1), lambda s: s.flip),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_parameter_change_updates_and_restarts_the_lesson(window, change):
    act, check = CHANGES[change]
    m = window.model
    before = (m.prep.x.copy(), m.prep.w.copy(), m.prep.spec)
    window.keys.step(1)
    window.keys.step(1)
    act(window.controls)
    assert m.valid, m.error
    s = m.prep.spec
    assert (
        not np.array_equal(before[0], m.prep.x)
        or not np.array_equal(before[1], m.prep.w)
        or before[2] != s
    )
    if check is not None:
        assert check(s), s
    assert m.pos == -1  # restarted
    lv = window.lesson_view
    assert lv.input_view.values.shape == (
        s.h + s.padding[0] + s.padding[1],
        s.w + s.padding[2] + s.padding[3],
    )
    assert lv.kernel_view.values.shape == (s.kh, s.kw)
    assert lv.output_view.values.shape == (s.out_h, s.out_w)
    window.keys.end()
    # float32 sums against a float64 oracle (exact for the integer kernels)
    np.testing.assert_allclose(lv.output_view.values, reference(window)[0], rtol=1e-6, atol=1e-5)


def test_reflect_padding_shows_the_copied_pixels(window):
    _set_combo(window.controls.padding_mode, "reflect")
    iv, x = window.lesson_view.input_view, window.model.prep.x[0]
    assert iv.values[0, 1] == x[1, 0] and iv.values[1, 0] == x[0, 1]
    assert iv.numbers.faint[0, 1]


def test_convolution_shows_the_rotated_kernel(window):
    k = window.model.lesson.w[0, 0].copy()
    window.controls.operation.activated.emit(1)
    np.testing.assert_array_equal(window.lesson_view.kernel_view.values, k[::-1, ::-1])
    assert "rotated" in window.lesson_view.kernel_view.title.text()


def test_editing_an_input_and_a_kernel_cell(window, qtbot):
    iv = window.lesson_view.input_view
    iv.sigCellClicked.emit(1 + 2, 1 + 3)  # padded coordinates of input[2, 3]
    spin = window.controls.cell_value
    assert spin.isEnabled() and "input[2,3]" in window.controls.cell_label.text()
    spin.setValue(42)
    assert window.model.lesson.x[0, 2, 3] == 42
    assert iv.values[3, 4] == 42
    window.controls.operation.activated.emit(1)  # kernel shown rotated
    window.lesson_view.kernel_view.sigCellClicked.emit(0, 0)
    spin.setValue(7)
    assert window.model.lesson.w[0, 0, 2, 2] == 7  # the view's (0,0) is the kernel's (2,2)
    assert window.lesson_view.kernel_view.values[0, 0] == 7
    iv.sigCellClicked.emit(0, 0)  # a padded cell is not editable
    assert "input[2,3]" not in window.controls.cell_label.text()
