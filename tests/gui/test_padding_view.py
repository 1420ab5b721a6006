"""Padding made visible: every padded cell's copied value and source, as numpy pads."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.spec import NUMPY_MODE, PADDING_MODES, SCIPY_MODE
from convviz.gui.widgets.grid_view import Box

PAD = 2


def _set_mode(window, mode: str, pad: str = str(PAD)) -> None:
    c = window.controls
    c.padding_mode.setCurrentIndex(c.padding_mode.findData(mode))
    c.padding_mode.activated.emit(c.padding_mode.currentIndex())
    c.padding.setCurrentIndex(c.padding.findText(pad))
    c.padding.activated.emit(c.padding.currentIndex())
    assert window.model.valid, window.model.error


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_every_padded_cell_copies_what_numpy_pad_copies(window, mode):
    _set_mode(window, mode)
    lv, x = window.lesson_view, window.model.lesson.x[0]
    iv = lv.input_view
    h, w = x.shape
    np.testing.assert_array_equal(iv.values, np.pad(x, PAD, mode=NUMPY_MODE[mode]))
    rows, cols = np.indices((h, w))
    padded = lv.padding.mask
    assert padded.sum() == (h + 2 * PAD) * (w + 2 * PAD) - h * w
    assert iv.numbers.faint.tolist() == padded.tolist()  # drawn apart from the input
    assert len(iv.padded_hatch.boxes) == padded.sum()
    if mode == "zeros":
        assert (lv.padding.sources[padded] == -1).all()
    else:
        np.testing.assert_array_equal(
            lv.padding.sources[..., 0], np.pad(rows, PAD, mode=NUMPY_MODE[mode])
        )
        np.testing.assert_array_equal(
            lv.padding.sources[..., 1], np.pad(cols, PAD, mode=NUMPY_MODE[mode])
        )
    for r, c in np.argwhere(padded):
        iv.sigCellHovered.emit(int(r), int(c))
        if mode == "zeros":
            assert lv.padding.source is None and not iv.outlines["source"].boxes
            assert "zero" in lv.caption.text()
            continue
        sr, sc = (int(v) for v in lv.padding.sources[r, c])
        assert iv.values[r, c] == x[sr, sc]
        target = (sr + PAD, sc + PAD)
        assert lv.padding.source == (0, (r, c), (sr, sc))
        assert iv.outlines["source"].boxes == [Box(*target)]
        assert iv.arrows.arrows == [((r, c), target)]
        assert f"copies x[{sr},{sc}]" in lv.caption.text()
    iv.sigCellHovered.emit(PAD + 1, PAD + 1)  # an input cell: no arrow, the caption is back
    assert lv.padding.source is None and not iv.arrows.arrows
    assert "meets" in lv.caption.text()


@pytest.mark.parametrize("mode", ["reflect", "circular"])
def test_every_channel_of_a_stack_is_padded_as_numpy_pads(window, mode):
    window.controls.channel_demo.click()
    _set_mode(window, mode, pad="1")
    lv, x = window.lesson_view, window.model.lesson.x
    for ci in range(x.shape[0]):
        iv = lv.inputs.views[ci]
        np.testing.assert_array_equal(iv.values, np.pad(x[ci], 1, mode=NUMPY_MODE[mode]))
    iv = lv.inputs.views[2]
    iv.sigCellHovered.emit(0, 0)
    sr, sc = lv.padding.source[2]
    assert iv.values[0, 0] == x[2, sr, sc] and iv.arrows.arrows
    assert not lv.inputs.views[0].arrows.arrows


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_the_mode_picker_names_numpy_and_scipy(window, mode):
    _set_mode(window, mode)
    text = window.controls.padding_names.text()
    assert text == f"PyTorch {mode} = numpy {NUMPY_MODE[mode]} = scipy {SCIPY_MODE[mode]}"
