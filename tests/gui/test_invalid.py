"""An invalid combination is explained in the window and leaves the app usable."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.reference import conv2d_reference


def _set_combo(combo, text):
    i = combo.findText(text)
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


INVALID = {
    "same with stride 2": (
        lambda c: (c.stride.setValue(2), _set_combo(c.padding, "same")),
        "padding='same' needs stride 1",
    ),
    "kernel wider than the input": (
        lambda c: (_set_combo(c.padding, "valid"), c.cols.setValue(2)),
        "spans 3 pixels",
    ),
    "dilated kernel too wide": (
        lambda c: (c.rows.setValue(3), _set_combo(c.padding, "0"), c.dilation.setValue(3)),
        "with dilation 3 spans 7",
    ),
    "reflect wider than the input": (
        lambda c: (
            c.rows.setValue(2),
            _set_combo(c.padding, "2"),
            _set_combo(c.padding_mode, "reflect"),
        ),
        "reflect padding of 2",
    ),
    "typed kernel with a ragged row": (
        lambda c: (c.kernel_text.setText("1 2 3; 4 5"), c.kernel_text.returnPressed.emit()),
        "row 2 has 2 numbers",
    ),
    "typed kernel with a word": (
        lambda c: (c.kernel_text.setText("1 x; 2 3"), c.kernel_text.returnPressed.emit()),
        "'x' at row 1, column 2 is not a number",
    ),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_setting_shows_the_engine_message_and_stays_usable(window, qtbot, case):
    act, words = INVALID[case]
    before = window.model.prep
    act(window.controls)
    err = window.lesson_view.error
    assert not window.model.valid
    assert err.isVisible() and words in err.text(), err.text()
    assert window.model.prep is before or window.model.prep.spec  # a picture stays
    assert not window.playback_bar.play.isEnabled()
    # keys, play and run do nothing harmful while invalid
    window.keys.step(1)
    window.playback.toggle()
    window.run_parallel()
    assert not window.playback.playing and not window.runner.busy
    assert "fix the invalid setting" in window.lanes.note.text()
    # a valid setting brings everything back
    c = window.controls
    c.stride.setValue(1)
    c.dilation.setValue(1)
    c.rows.setValue(8)
    c.cols.setValue(8)
    _set_combo(c.padding_mode, "zeros")
    _set_combo(c.padding, "1")
    c.kernel_text.setText("1 0 -1; 2 0 -2; 1 0 -1")
    c.kernel_text.returnPressed.emit()
    assert window.model.valid and not err.isVisible()
    assert window.playback_bar.play.isEnabled()
    window.keys.end()
    np.testing.assert_array_equal(
        window.lesson_view.output_view.values, conv2d_reference(window.model.prep)[0]
    )


def test_back_from_the_image_mode_is_the_last_valid_lesson(window, qtbot, tmp_path):
    """An invalid setting left in the lesson does not come back with File → Lesson demo
    (it made the screenshots' last shot wait forever for a run that never starts)."""
    c = window.controls
    c.kernel_text.setText("1 2 3; 4 5 6; 7 8 9")
    c.kernel_text.returnPressed.emit()
    shown = window.model.prep
    c.stride.setValue(2)  # valid with padding 1: the last valid lesson has stride 2
    _set_combo(c.padding, "same")
    assert not window.model.valid
    path = tmp_path / "x.npy"
    np.save(path, np.arange(100, dtype=np.float32).reshape(10, 10))
    assert window.open_image(path)
    qtbot.waitUntil(lambda: window.image_mode.last_result is not None, timeout=60_000)
    window.file_menu.lesson_action.trigger()
    m = window.model
    assert m.valid and not window.lesson_view.error.isVisible()
    assert m.lesson.stride == (2, 2) and m.lesson.padding == shown.spec.padding[0] == 1
    np.testing.assert_array_equal(m.lesson.w[0, 0], [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert c.stride.value() == 2 and c.padding.currentText() == "1"
    assert window.playback_bar.play.isEnabled()
    with qtbot.waitSignal(window.runner.sigResult, timeout=60_000):
        window.run_parallel()
    assert window.runs.last_result is not None
