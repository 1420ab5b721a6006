"""The tiled kernel (cuda-tiled, shared memory) as a third lane of the lesson, and its
tiles drawn on the output: what is drawn is the launch that ran."""

from __future__ import annotations

import re

import numpy as np
import pytest

from convviz.gui.lesson.tiles import shared_box, thread_cells

TIMEOUT_MS = 120_000  # the simulator runs every thread in Python


def _run_with_tiles(window, qtbot):
    window.lanes.with_tiled.setChecked(True)
    assert window.lanes.tiled.isVisibleTo(window)  # the third lane, waiting for a run
    with qtbot.waitSignal(window.runner.sigResult, timeout=TIMEOUT_MS) as blocker:
        window.lanes.run_button.click()
    result = blocker.args[0]
    for name in ("cuda", "cuda-tiled"):
        if result.lanes[name].error:
            pytest.skip(f"{name} unavailable here: {result.lanes[name].error}")
    return result


def _padded_reads(spec, cells) -> tuple[set[int], set[int]]:
    """The padded-input rows and columns the windows of ``cells`` read."""
    rows, cols = set(), set()
    for _, oy, ox in cells:
        rows |= {oy * spec.stride[0] + i * spec.dilation[0] for i in range(spec.kh)}
        cols |= {ox * spec.stride[1] + j * spec.dilation[1] for j in range(spec.kw)}
    return rows, cols


def test_three_lanes_agree_and_the_tiles_are_the_launch(window, qtbot):
    result = _run_with_tiles(window, qtbot)
    assert list(result.lanes) == ["cpu", "cuda", "cuda-tiled"]
    seq, par, tiled = (result.lanes[k] for k in ("cpu", "cuda", "cuda-tiled"))
    np.testing.assert_array_equal(par.out, seq.out)
    np.testing.assert_array_equal(tiled.out, seq.out)  # bit for bit, also on the simulator
    lau, rec = tiled.launch, tiled.record
    # the lesson's tiles: 4×2 threads, 2 rows each: 4×4 cells, so 8×8 spans 2×2 tiles
    assert lau.block == (4, 2, 1) and lau.cells_per_thread == (2, 1) and lau.tile == (4, 4, 1)
    assert rec.grid == lau.grid == (2, 2, 1) and rec.block == lau.block
    # the plain cuda lane keeps its 4×4 blocks
    assert par.record.block == (4, 4, 1)

    facts = window.lanes.tiled.facts.text()
    assert "grid 2×2×1 × block 4×2×1 = 32 threads, 2 cells per thread, tile 4×4" in facts
    assert "vs sequential: max |Δ| = 0, identical" in facts
    assert "median of" in facts
    assert ("compile" in facts) == (rec.compile_s is not None)  # apart; none on the simulator
    if tiled.simulated:
        assert "Not a GPU time" in facts and "says nothing about what tiling buys" in facts

    lv = window.lesson_view
    assert lv.view_switch.isVisibleTo(window) and lv.phase.showing_tiles
    ov = lv.output_view
    np.testing.assert_array_equal(ov.values, tiled.out[0])
    th, tw, _ = lau.tile
    boxes = ov.outlines["blocks"].boxes
    assert len(boxes) == lau.grid[0] * lau.grid[1]
    assert {(b.h, b.w) for b in boxes} == {(th, tw)}
    assert {(b.r, b.c) for b in boxes} == {
        (j * th, i * tw) for j in range(lau.grid[1]) for i in range(lau.grid[0])
    }
    assert "tile 4×4" in lv.formula.text()

    # hovering a cell names its block, thread and which of the thread's cells it is
    s = window.model.prep.spec
    for oy, ox in ((6, 1), (2, 5), (0, 0), (7, 7)):
        ov.sigCellHovered.emit(oy, ox)
        bidx, tidx, k = lau.thread_of(0, oy, ox)
        text = lv.formula.text()
        assert (
            f"cell {k + 1} of 2 of threadIdx ({','.join(map(str, tidx))}) in blockIdx "
            f"({','.join(map(str, bidx))})" in text
        ), text
        cells = thread_cells(s, lau, bidx, tidx)
        assert (0, oy, ox) in cells and len(cells) == 2
        assert cells[k] == (0, oy, ox)
        assert {(b.r, b.c) for b in ov.outlines["thread"].boxes} == {(y, x) for _, y, x in cells}
        # the shared-memory tile on the input: exactly what the block's cells read
        (box,) = lv.input_view.outlines["shared"].boxes
        block_cells = [
            (0, y, x)
            for y in range(s.out_h)
            for x in range(s.out_w)
            if lau.thread_of(0, y, x)[0] == bidx
        ]
        rows, cols = _padded_reads(s, block_cells)
        assert set(range(box.r, box.r + box.h)) == rows
        assert set(range(box.c, box.c + box.w)) == cols
        assert box == shared_box(s, lau, bidx)
        assert f"rows {box.r}–{box.r + box.h - 1}, columns {box.c}–{box.c + box.w - 1}" in text

    # back to the threads of the one-thread-per-cell kernel
    lv.view_switch.threads.click()
    assert not lv.phase.showing_tiles
    boxes = ov.outlines["blocks"].boxes
    assert len(boxes) == 4 and {(b.h, b.w) for b in boxes} == {(4, 4)}
    assert not lv.input_view.outlines["shared"].boxes
    assert "(tint = CUDA block)" in ov.title.text()
    ov.sigCellHovered.emit(6, 1)
    assert "threadIdx (1,2,0)" in lv.formula.text() and "blockIdx (0,1,0)" in lv.formula.text()
    assert not re.search(r"cell \d of \d", lv.formula.text())
    # and to the tiles again; stepping leaves the parallel picture
    lv.view_switch.tiles.click()
    assert lv.phase.showing_tiles and len(ov.outlines["blocks"].boxes) == 4
    window.keys.step(1)
    assert (
        lv.phase.parallel is None
        and lv.phase.tiled is None
        and not lv.view_switch.isVisibleTo(window)
    )
    assert not ov.outlines["blocks"].boxes and not lv.input_view.outlines["shared"].boxes


def test_channels_and_stride_tile_what_ran(window, qtbot):
    """The 3 → 2 channel lesson with stride 2: a thread computes its rows in both output
    channels, and the shared tile covers what the strided windows read."""
    window.controls.channel_demo.click()
    window.controls.stride.setValue(2)
    assert window.model.valid, window.model.error
    result = _run_with_tiles(window, qtbot)
    seq, tiled = result.lanes["cpu"], result.lanes["cuda-tiled"]
    np.testing.assert_array_equal(tiled.out, seq.out)
    lau = tiled.launch
    s = window.model.prep.spec
    assert lau.cells_per_thread == (2, 2)  # two rows × both output channels
    lv = window.lesson_view
    assert lv.stacked and lv.phase.showing_tiles
    view = lv.outputs.views[1]
    view.sigCellHovered.emit(1, 0)
    bidx, tidx, k = lau.thread_of(1, 1, 0)
    assert f"cell {k + 1} of 4 of threadIdx" in lv.formula.text()
    cells = thread_cells(s, lau, bidx, tidx)
    assert (1, 1, 0) in cells and {c for c, _, _ in cells} == {0, 1}
    (box,) = lv.inputs.views[0].outlines["shared"].boxes
    block_cells = [
        (0, y, x)
        for y in range(s.out_h)
        for x in range(s.out_w)
        if lau.thread_of(0, y, x)[0] == bidx
    ]
    rows, cols = _padded_reads(s, block_cells)
    assert set(range(box.r, box.r + box.h)) == rows
    assert set(range(box.c, box.c + box.w)) == cols


def test_the_tiled_lane_is_optional(window, qtbot):
    lanes = window.lanes
    assert not lanes.with_tiled.isChecked() and not lanes.tiled.isVisibleTo(window)
    assert window.runs.backends() == ("cpu", "cuda")
    lanes.with_tiled.setChecked(True)
    assert window.runs.backends() == ("cpu", "cuda", "cuda-tiled")
    assert lanes.tiled.isVisibleTo(window) and "not run yet" in lanes.tiled.facts.text()
    lanes.with_tiled.setChecked(False)
    assert not lanes.tiled.isVisibleTo(window)


def test_the_tiled_lane_and_view_in_chinese(window, qtbot):
    from convviz.gui import i18n
    from tests.gui.test_i18n import _untranslated

    old = i18n.translator()
    i18n.install("zh_CN")
    try:
        window.retranslate(old, i18n.translator())
        _run_with_tiles(window, qtbot)
        lv = window.lesson_view
        lv.output_view.sigCellHovered.emit(6, 1)
        assert "blockIdx (0,1,0)" in lv.formula.text()
        found = _untranslated(window)
        assert not found, "untranslated:\n" + "\n".join(found)
        lv.view_switch.threads.click()
        found = _untranslated(window)
        assert not found, "untranslated (threads):\n" + "\n".join(found)
    finally:
        old = i18n.translator()
        i18n.install("en")
        window.retranslate(old, None)
