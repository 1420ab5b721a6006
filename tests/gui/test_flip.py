"""Cross-correlation ⇄ convolution: the result, the kernel's 180° turn, the caption."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

import convviz
from convviz.core.reference import conv2d_reference


def _toggle(window, flip: bool) -> None:
    op = window.controls.operation
    op.setCurrentIndex(int(flip))
    op.activated.emit(int(flip))


@pytest.fixture
def instant(window):
    window.lesson_view.flip.duration_ms = 0
    return window


def test_the_flip_changes_the_result_exactly_as_flip_true(instant):
    m, lv = instant.model, instant.lesson_view
    x, w = m.lesson.x[0].copy(), m.lesson.w[0, 0].copy()
    instant.keys.end()
    correlation = lv.output_view.values.copy()
    _toggle(instant, True)
    assert m.prep.spec.flip and m.pos == -1
    instant.keys.end()
    shown = lv.output_view.values
    np.testing.assert_array_equal(
        shown, convviz.conv2d(x, w, padding=1, flip=True, backend="reference")
    )
    np.testing.assert_array_equal(
        shown, convviz.conv2d(x, w[::-1, ::-1], padding=1, backend="reference")
    )
    np.testing.assert_array_equal(shown, signal.convolve2d(x, w, mode="same"))
    assert not np.array_equal(shown, correlation)  # Sobel x is not symmetric
    _toggle(instant, False)
    instant.keys.end()
    np.testing.assert_array_equal(lv.output_view.values, correlation)


def test_the_flip_of_a_channel_lesson_equals_flip_true(instant):
    instant.controls.channel_demo.click()
    m, lv = instant.model, instant.lesson_view
    lesson = m.lesson
    _toggle(instant, True)
    expected = convviz.conv2d(lesson.x, lesson.w, lesson.bias, padding=1, flip=True, backend="cpu")
    np.testing.assert_array_equal(conv2d_reference(m.prep), expected)
    instant.keys.end()
    for co in range(2):
        np.testing.assert_array_equal(lv.outputs.views[co].values, expected[co])
    for ci in range(3):  # the filter of out 1, each kernel rotated
        np.testing.assert_array_equal(lv.kernels.views[ci].values, lesson.w[1, ci, ::-1, ::-1])


def test_the_caption_names_which_weight_meets_which_input(instant):
    m, lv = instant.model, instant.lesson_view
    assert "cross-correlation" in lv.caption.text()
    assert "w[0,0] meets x[r−1,c−1]" in lv.caption.text()
    _toggle(instant, True)
    text = lv.caption.text()
    assert text.startswith("convolution") and "w[i,j] meets x[r−i+1, c−j+1]" in text
    assert "w[2,2] meets x[r−1,c−1]" in text
    m.seek(m.stepper.index_of(0, 2, 3))
    st = m.stepper.state()
    first, last = st.taps[0], st.taps[-1]
    y0, x0 = first.py - 1, first.px - 1  # input coordinates of the window's top-left
    assert f"w[2,2] meets x[{y0},{x0}]" in lv.caption.text()
    assert f"w[0,0] meets x[{last.py - 1},{last.px - 1}]" in lv.caption.text()
    # …and that is what the stepper multiplied: the user's w[2,2] at the top-left tap
    assert first.w == m.lesson.w[0, 0, 2, 2] and last.w == m.lesson.w[0, 0, 0, 0]
    assert m.stepper.kernel_index(0, 0) == (2, 2)


def test_the_kernel_turns_180_degrees(window, qtbot):
    lv, m = window.lesson_view, window.model
    k = m.lesson.w[0, 0].copy()
    lv.flip.duration_ms = 40
    kv = lv.kernel_view
    _toggle(window, True)
    # the values are already the rotated kernel; only the picture turns
    np.testing.assert_array_equal(kv.values, k[::-1, ::-1])
    assert lv.flip.running and kv.vb.rotation() == 180 and not kv.numbers.isVisible()
    with qtbot.waitSignal(lv.flip.sigFinished, timeout=5_000):
        pass
    assert not lv.flip.running and kv.vb.rotation() == 0 and kv.numbers.isVisible()
    assert "rotated 180°" in kv.title.text()


def test_a_new_lesson_mid_turn_stands_the_kernel_upright(window):
    lv = window.lesson_view
    lv.flip.duration_ms = 10_000
    _toggle(window, True)
    assert lv.flip.running
    window.controls.stride.setValue(2)
    assert not lv.flip.running and lv.kernel_view.vb.rotation() == 0
