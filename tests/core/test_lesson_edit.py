"""The lesson editor (Qt-free): kernels and channels after each edit."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.kernels import preset
from convviz.core.lesson_edit import LessonEditError, LessonEditor
from convviz.core.lessons import MAX_CHANNELS, Lesson, demo_lesson
from convviz.errors import ConvvizError


def _edit(ed: LessonEditor, changes: dict) -> LessonEditor:
    ed.apply(changes)
    ed.fit_picks(ed.lesson.prepare().spec)
    return ed


def test_new_editor_starts_on_the_demo_with_its_kernel_size():
    ed = LessonEditor()
    demo = demo_lesson()
    np.testing.assert_array_equal(ed.lesson.x, demo.x)
    assert ed.kernel_size == demo.w.shape[-1]
    assert ed.kernel_pick == (0, 0) and ed.input_pick == 0


def test_channels_keep_one_kernel_for_every_pair_while_they_are_the_same():
    ed = LessonEditor()
    k = ed.lesson.w[0, 0].copy()
    _edit(ed, ed.channel_changes(c_in=3, c_out=2))
    w = ed.lesson.w
    assert w.shape == (2, 3) + k.shape
    for co in range(2):
        for ci in range(3):
            np.testing.assert_array_equal(w[co, ci], k)
    assert ed.lesson.x.shape[0] == 3


def test_groups_that_do_not_divide_fall_back_to_one():
    ed = LessonEditor()
    changes = ed.channel_changes(c_in=3, c_out=2, groups=2)
    assert changes["groups"] == 1
    assert changes["w"].shape[:2] == (2, 3)
    grouped = ed.channel_changes(c_in=4, c_out=2, groups=2)
    assert grouped["groups"] == 2 and grouped["w"].shape[:2] == (2, 2)


@pytest.mark.parametrize("c_in, c_out", [(0, 1), (1, MAX_CHANNELS + 1)])
def test_channel_counts_out_of_range_are_refused_with_their_values(c_in, c_out):
    ed = LessonEditor()
    before = ed.lesson.w.copy()
    with pytest.raises(LessonEditError) as info:
        ed.channel_changes(c_in=c_in, c_out=c_out)
    assert info.value.kind == "channels"
    assert info.value.values == (MAX_CHANNELS, c_in, c_out)
    assert str(c_out) in str(info.value)
    np.testing.assert_array_equal(ed.lesson.w, before)  # nothing applied


def test_bias_follows_the_output_channels():
    ed = LessonEditor()
    _edit(ed, ed.channel_changes(c_out=2))
    _edit(ed, ed.bias_changes(True))
    np.testing.assert_array_equal(ed.lesson.bias, [1, -1])
    _edit(ed, ed.channel_changes(c_out=3))
    np.testing.assert_array_equal(ed.lesson.bias, [1, -1, 1])  # resized, as np.resize
    assert ed.bias_changes(False) == {"bias": None}


def test_random_kernels_differ_per_pair_and_take_the_size():
    ed = LessonEditor()
    _edit(ed, ed.channel_changes(c_in=2, c_out=2))
    changes = ed.random_kernel_changes(size=5)
    assert changes["w"].shape == (2, 2, 5, 5)
    assert changes["kernel_mode"] == "random"
    assert ed.kernel_size == 5
    w = changes["w"]
    assert not np.array_equal(w[0, 0], w[1, 1])
    again = ed.random_kernel_changes(size=5, new_seed=True)
    assert not np.array_equal(again["w"], w)


def test_a_preset_matches_the_kernel_library_and_remembers_its_size():
    ed = LessonEditor()
    changes = ed.preset_changes("gaussian", size=5, sigma=2.0)
    np.testing.assert_allclose(changes["w"][0, 0], preset("gaussian", size=5, sigma=2.0))
    assert (ed.kernel_size, ed.sigma) == (5, 2.0)
    assert changes["kernel_mode"] == "same"


def test_an_unknown_preset_is_refused_by_name():
    ed = LessonEditor()
    with pytest.raises(LessonEditError) as info:
        ed.preset_changes("no-such-kernel")
    assert info.value.kind == "preset" and info.value.values == ("no-such-kernel",)


def test_kernel_text_round_trips_and_bad_text_is_an_engine_error():
    ed = LessonEditor()
    _edit(ed, ed.text_changes("1 2; -3 0.5"))
    np.testing.assert_array_equal(ed.picked_kernel(), [[1, 2], [-3, 0.5]])
    assert ed.kernel_text() == "1 2; -3 0.5"
    with pytest.raises(ConvvizError):
        ed.text_changes("1 2; 3")


def test_a_cell_edit_changes_every_kernel_while_same_else_only_the_picked_one():
    ed = LessonEditor()
    _edit(ed, ed.channel_changes(c_in=2, c_out=2))
    _edit(ed, ed.kernel_cell_changes(0, 0, 9.0))
    assert (ed.lesson.w[:, :, 0, 0] == 9).all()
    _edit(ed, ed.random_kernel_changes(size=3))
    ed.pick_kernel(1, 0)
    before = ed.lesson.w.copy()
    _edit(ed, ed.kernel_cell_changes(1, 2, -7.0))
    after = ed.lesson.w
    assert after[1, 0, 1, 2] == -7 and ed.lesson.kernel_mode == "custom"
    changed = np.argwhere(after != before)
    assert changed.tolist() == [[1, 0, 1, 2]]


def test_picks_stay_inside_fewer_channels():
    ed = LessonEditor()
    _edit(ed, ed.channel_changes(c_in=3, c_out=3))
    ed.pick_kernel(2, 2)
    ed.pick_input_channel(2)
    _edit(ed, ed.channel_changes(c_in=1, c_out=1))
    assert ed.kernel_pick == (0, 0) and ed.input_pick == 0


def test_input_cell_edit_changes_the_picked_channel_only():
    ed = LessonEditor()
    _edit(ed, ed.channel_changes(c_in=2))
    ed.pick_input_channel(1)
    before = ed.lesson.x.copy()
    _edit(ed, ed.input_cell_changes(0, 1, 42.0))
    assert np.argwhere(ed.lesson.x != before).tolist() == [[1, 0, 1]]


def test_a_new_input_keeps_the_size_unless_asked_and_refuses_too_large():
    ed = LessonEditor()
    _, h, w = ed.lesson.x.shape
    changes = ed.input_changes("ramp")
    assert changes["x"].shape[1:] == (h, w) and changes["pattern"] == "ramp"
    assert ed.input_changes(h=3, w=4)["x"].shape[1:] == (3, 4)
    with pytest.raises(ConvvizError):
        ed.input_changes(h=1000)


def test_the_channel_demo_resets_the_picks_and_the_size():
    ed = LessonEditor(Lesson(x=np.zeros((1, 6, 6), np.float32), w=np.ones((1, 1, 5, 5))))
    assert ed.kernel_size == 5
    ed.pick_kernel(1, 1)
    lesson = ed.channel_demo()
    assert lesson.x.shape[0] == 3 and lesson.w.shape[0] == 2
    assert ed.kernel_size == 3 and ed.kernel_pick == (0, 0)
