"""Lessons of several channels: stacks, sub-steps, groups, the parallel phase, the look."""

from __future__ import annotations

import numpy as np
import pytest

import convviz
from convviz.core.block_colours import cell_colours
from convviz.core.launch import thread_of
from convviz.core.reference import conv2d_reference
from convviz.gui import theme
from convviz.gui.widgets.grid_view import Box

TIMEOUT_MS = 120_000


def _channel_window_sum(prep, co, oy, ox, ci) -> float:
    """Σ x·w of one input channel's window, by numpy (exact for small integers)."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    xp = np.pad(prep.x[ci].astype(np.float64), ((pt, pb), (pl, pr)))
    win = xp[oy * s.stride[0] : oy * s.stride[0] + s.kh, ox * s.stride[1] : ox * s.stride[1] + s.kw]
    c0 = (co // (s.c_out // s.groups)) * (s.c_in // s.groups)
    return float((win * prep.w[co, ci - c0]).sum())


@pytest.fixture
def channels(window):
    window.controls.channel_demo.click()
    return window


def test_the_channel_demo_is_drawn_as_stacks(channels):
    m, lv = channels.model, channels.lesson_view
    s = m.prep.spec
    assert (s.c_in, s.c_out, s.groups, s.h, s.w) == (3, 2, 1, 5, 5)
    assert m.n_stages == 4 and m.n_ticks == 4 * s.cells
    assert lv.stacked and lv.inputs.count == 3 and lv.outputs.count == 2
    assert lv.kernels.count == 3  # the filter of out 0: one kernel per input channel
    assert [lab.text() for lab in lv.inputs.labels[:3]] == ["in 0", "in 1", "in 2"]
    assert [lab.text() for lab in lv.outputs.labels[:2]] == ["out 0", "out 1"]
    assert "3 channels" in lv.inputs.heading.text()
    for ci in range(3):
        np.testing.assert_array_equal(lv.inputs.views[ci].values[1:-1, 1:-1], m.prep.x[ci])
        np.testing.assert_array_equal(lv.kernels.views[ci].values, m.prep.w[0, ci])
    assert not np.array_equal(m.prep.w[0, 0], m.prep.w[0, 1])  # the channels differ
    assert lv.groups.isVisibleTo(lv) and lv.groups.edges() == [
        (ci, co) for co in range(2) for ci in range(3)
    ]
    assert channels.controls.c_in.value() == 3 and channels.controls.c_out.value() == 2


def test_every_step_of_the_channel_lesson_against_the_reference(channels):
    m, lv = channels.model, channels.lesson_view
    prep = m.prep
    s = prep.spec
    ref = conv2d_reference(prep)
    np.testing.assert_array_equal(m.reference, ref)
    for tick in range(m.n_ticks):
        channels.keys.step(1)
        assert m.tick == tick
        k, stage = divmod(tick, m.n_stages)
        co, oy, ox = m.stepper.cell_of(k)
        sums = [_channel_window_sum(prep, co, oy, ox, ci) for ci in range(3)]
        part = m.stepper.partial()
        wy, wx = m.stepper.window(k)
        if stage < 3:
            # the window is on input channel `stage`, dashed on the group's others
            assert lv.inputs.views[stage].outlines["window"].boxes == [Box(wy, wx, 3, 3)]
            for other in {0, 1, 2} - {stage}:
                assert lv.inputs.views[other].outlines["window"].boxes == []
                assert lv.inputs.views[other].outlines["group"].boxes == [Box(wy, wx, 3, 3)]
            assert lv.kernels.views[stage].outlines["current"].boxes
            assert part.total == sum(sums[: stage + 1])
            # the sum so far, in grey italics, in the cell it fills
            cell = lv.outputs.views[co]
            assert cell.numbers.texts[oy, ox] == str(int(part.total))
            assert cell.numbers.faint[oy, ox] and np.isnan(cell.values[oy, ox])
            assert f"= {int(part.total)} so far" in lv.formula.text()
            prods = lv.products_view.values
            np.testing.assert_array_equal(prods.sum(), np.float32(sums[stage]))
        else:
            assert part.bias_added and part.total == sum(sums) + prep.b[co] == ref[co, oy, ox]
            assert lv.outputs.views[co].values[oy, ox] == ref[co, oy, ox]
            assert f"= {int(ref[co, oy, ox])}" in lv.formula.text()
        assert lv.outputs.views[co].outlines["current"].boxes == [Box(oy, ox)]
        np.testing.assert_array_equal(lv.kernels.views[0].values, prep.w[co, 0])
        for c in range(s.c_out):
            shown = lv.outputs.views[c].values
            done = np.arange(s.out_h * s.out_w) + c * s.out_h * s.out_w < k + (stage == 3)
            np.testing.assert_array_equal(shown.flat[done], ref[c].flat[done])
            assert np.isnan(shown.flat[~done]).all()
    assert m.at_end
    for c in range(2):
        np.testing.assert_array_equal(lv.outputs.views[c].values, ref[c])
    np.testing.assert_array_equal(
        ref, convviz.conv2d(prep.x, prep.w, prep.b, padding=1, backend="cpu")
    )


def test_playback_walks_the_substeps_to_the_reference(channels):
    now = [0.0]
    pb, m = channels.playback, channels.model
    pb.clock = lambda: now[0]
    pb.set_speed(100)
    pb.play()
    assert m.tick == 0 and m.pos == 0 and m.stage == 0
    now[0] = 0.05
    pb._on_tick()
    assert m.tick == 5 and (m.pos, m.stage) == (1, 1)
    assert "channel 2 of 3" in channels.playback_bar.position.text()
    now[0] = 100.0
    pb._on_tick()
    assert m.at_end and not pb.playing
    assert channels.playback_bar.scrub.value() == m.n_ticks - 1


def test_depthwise_groups_feed_one_input_channel_each(channels):
    c, m, lv = channels.controls, channels.model, channels.lesson_view
    c.c_out.setValue(3)
    labels = [c.groups.itemText(i) for i in range(c.groups.count())]
    assert labels == ["1", "3 (depthwise)"]
    c.groups.setCurrentIndex(1)
    c.groups.activated.emit(1)
    s = m.prep.spec
    assert (s.groups, s.c_out, m.prep.w.shape) == (3, 3, (3, 1, 3, 3))
    assert m.n_stages == 1  # one input channel per output cell: no sub-steps
    assert lv.kernels.count == 1 and lv.groups.edges() == [(0, 0), (1, 1), (2, 2)]
    assert "depthwise" in lv.groups.toolTip()
    channels.keys.end()
    ref = conv2d_reference(m.prep)
    for co in range(3):
        np.testing.assert_array_equal(lv.outputs.views[co].values, ref[co])
    assert lv.bracket.members == [2]  # the last cell is of out 2, fed by in 2 alone
    np.testing.assert_array_equal(lv.kernels.views[0].values, m.prep.w[2, 0])


def test_groups_of_two(window):
    c, m, lv = window.controls, window.model, window.lesson_view
    c.c_in.setValue(4)
    c.c_out.setValue(2)
    c.groups.setCurrentIndex(c.groups.findData(2))
    c.groups.activated.emit(c.groups.currentIndex())
    s = m.prep.spec
    assert (s.c_in, s.c_out, s.groups) == (4, 2, 2) and m.n_stages == 3
    assert lv.groups.edges() == [(0, 0), (1, 0), (2, 1), (3, 1)]
    m.seek(m.stepper.index_of(1, 0, 0))
    assert lv.bracket.members == [2, 3]
    assert lv.inputs.labels[0].styleSheet()  # in 0 and in 1 do not feed out 1: greyed
    window.keys.end()
    ref = conv2d_reference(m.prep)
    for co in range(2):
        np.testing.assert_array_equal(lv.outputs.views[co].values, ref[co])


def test_parallel_fills_every_output_channel_at_once(channels, qtbot):
    with qtbot.waitSignal(channels.runner.sigResult, timeout=TIMEOUT_MS) as blocker:
        channels.lanes.run_button.click()
    par = blocker.args[0].lanes["cuda"]
    if par.error:
        pytest.skip(f"cuda backend unavailable here: {par.error}")
    lv, s = channels.lesson_view, channels.model.prep.spec
    np.testing.assert_array_equal(par.out, channels.model.reference)
    assert par.record.grid[2] == s.c_out  # blockIdx.z is the output channel
    tints = []
    for co in range(s.c_out):
        ov = lv.outputs.views[co]
        np.testing.assert_array_equal(ov.values, par.out[co])
        assert len(ov.tints.boxes) == s.out_h * s.out_w
        tints.append([b.color().name() for b in ov.tints.brushes])
    # each channel's grid (its own blockIdx.z) is coloured by (blockIdx.x, blockIdx.y):
    # every block one colour, unlike its neighbours (tests/core/test_block_colours.py)
    bx, by = par.record.block[:2]
    fills = theme.palette().block_fills
    expected = [fills[i] for i in cell_colours(s.out_h, s.out_w, by, bx).flat]
    assert tints == [expected] * s.c_out
    lv.outputs.views[1].sigCellHovered.emit(1, 2)
    bidx, tidx = thread_of(1, 1, 2, block=par.record.block[:2])
    assert bidx[2] == 1
    text = lv.formula.text()
    assert "out[1,1,2]" in text and f"blockIdx ({','.join(map(str, bidx))})" in text
    channels.keys.step(1)
    assert lv.phase.parallel is None and not lv.outputs.views[1].tints.boxes


def test_editing_picks_the_channel_and_the_kernel(channels):
    m, lv, c = channels.model, channels.lesson_view, channels.controls
    m.seek(m.stepper.index_of(1, 0, 0))  # the filter of out 1 is shown
    w = m.lesson.w.copy()
    lv.kernels.views[2].sigCellClicked.emit(0, 1)
    assert m.kernel_pick == (1, 2) and "out 1 · in 2" in c.cell_label.text()
    assert c.cell_value.value() == w[1, 2, 0, 1]
    c.cell_value.setValue(7)
    expected = w.copy()
    expected[1, 2, 0, 1] = 7
    np.testing.assert_array_equal(m.lesson.w, expected)  # that kernel only
    x = m.lesson.x.copy()
    lv.inputs.views[1].sigCellClicked.emit(1 + 2, 1 + 3)
    assert m.input_pick == 1 and "channel 1" in c.cell_label.text()
    c.cell_value.setValue(42)
    x[1, 2, 3] = 42
    np.testing.assert_array_equal(m.lesson.x, x)
    assert lv.inputs.views[1].values[3, 4] == 42


def test_random_kernels_and_bias_controls(window):
    c, m = window.controls, window.model
    c.c_in.setValue(2)
    assert m.prep.w.shape == (1, 2, 3, 3)
    np.testing.assert_array_equal(m.prep.w[0, 0], m.prep.w[0, 1])  # a preset for all
    c.preset.setCurrentIndex(c.preset.findData("random"))
    c.preset.activated.emit(c.preset.currentIndex())
    assert m.lesson.kernel_mode == "random"
    assert not np.array_equal(m.prep.w[0, 0], m.prep.w[0, 1])
    c.bias.setChecked(True)
    np.testing.assert_array_equal(m.prep.b, [1])
    c.single_demo.click()
    assert m.prep.spec.c_in == 1 and not window.lesson_view.stacked


def test_theme_and_presentation_repaint(channels):
    lv = channels.lesson_view
    view = lv.inputs.views[0]
    width = view.outlines["window"].pen.widthF()
    px = lv.formula.font().pixelSize()
    lv.set_presentation(True)
    try:
        assert lv.formula.font().pixelSize() > px
        assert view.outlines["window"].pen.widthF() > width
        assert view.numbers.digits_scale > 1
    finally:
        lv.set_presentation(False)
    assert lv.formula.font().pixelSize() == px
    assert view.outlines["window"].pen.widthF() == width
    try:
        theme.apply(dark=True, high_contrast=True)
        assert view.graphics.backgroundBrush().color().name() == theme.palette().empty_bg.lower()
        assert theme.palette().outline_scale > 1 and view.outlines["window"].pen.widthF() > width
        assert lv.inputs.count == 3  # redrawn, not lost
    finally:
        theme.apply()
    assert view.graphics.backgroundBrush().color().name() == "#ffffff"
    assert view.outlines["window"].pen.widthF() == width


def test_overlay_colours_are_okabe_ito():
    okabe = {c.lower() for c in theme.OKABE_ITO.values()}
    for c in (
        theme.palette().window,
        theme.palette().source,
        theme.palette().group,
        *theme.palette().block_tints[:7],
    ):
        assert c.lower() in okabe
