"""Your own images: open, convolve on both paths, compare, save; bad files; the region."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

import convviz
from convviz.core.images import load_array
from convviz.core.kernels import preset
from convviz.core.region import Region
from convviz.gui import app as gui_app
from convviz.gui import files
from convviz.gui.image import display

from .images_helpers import Recorder, grey, wait_result, write_png

SOBEL = preset("sobel-x")


def _whole(x, **kw):
    kw.setdefault("padding", "same")
    return convviz.conv2d(
        x.astype(np.float32), SOBEL if "w" not in kw else kw.pop("w"), backend="cpu", **kw
    )


def test_open_compute_both_lanes_save_and_reload(window, qtbot, tmp_path):
    x = grey(130, 150)  # 19,500 cells: more than the CUDA simulator takes
    src = write_png(tmp_path / "photo.png", x)
    rec = Recorder(window)
    assert window.open_image(src)
    assert window.image_mode.active and window.image_mode.strip.isVisible()
    assert not window.lanes.isVisible()
    res = wait_result(window, qtbot)
    expected = _whole(x)
    seq, par = res.lanes["cpu"], res.lanes["cuda"]
    np.testing.assert_array_equal(seq.out[0], expected)
    np.testing.assert_array_equal(par.out[0], expected)
    strip = window.image_mode.strip
    assert "identical" in strip.diff.facts.text()
    assert strip.mode.currentData() == "signed"  # Sobel is signed: diverging at 0
    lo, hi = strip.shown["cpu"].levels
    assert lo == -hi and hi > 0
    if par.fallback:  # the simulator refused the photo: said plainly under the pictures
        assert par.backend == "cpu-parallel" and par.requested_simulated
        for facts in (strip.caveats.text(), strip.parallel.facts.toolTip()):
            assert "cannot run 19,500 output cells" in facts and "not a GPU time" in facts
        assert strip.caveats.isVisible()
    # save the exact result (.npy, .tif) and the displayed picture (.png); reload
    for suffix in (".npy", ".tif"):
        out = tmp_path / f"result{suffix}"
        window.dialogs.ask_save_path = lambda *a, out=out: str(out)
        assert window.image_mode.save(), rec.errors
        np.testing.assert_array_equal(load_array(out), expected)
    out = tmp_path / "shown.png"
    window.dialogs.ask_save_path = lambda *a: str(out)
    assert window.image_mode.save()
    np.testing.assert_array_equal(
        np.moveaxis(load_array(out), 0, -1), display.render_rgb(strip.shown["cpu"])
    )
    assert not rec.errors and not rec.questions
    # hovering reads out input and both results at that place
    text = strip.hover_text(5, 7)
    assert f"input <b>{x[5, 7]}</b>" in text and f"sequential <b>{expected[5, 7]:g}" in text
    # the display switches
    strip.set_mode("absolute")
    assert strip.shown["cpu"].levels[0] == 0 and (strip.shown["cpu"].values >= 0).all()
    strip.set_mode("clipped")
    assert strip.shown["cpu"].levels == (0.0, 255.0)


def test_saving_never_overwrites_the_input_without_asking(window, qtbot, tmp_path):
    src = write_png(tmp_path / "in.png", grey(12, 10))
    before = src.read_bytes()
    rec = Recorder(window, answer=False)
    window.open_image(src)
    wait_result(window, qtbot)
    window.dialogs.ask_save_path = lambda *a: str(src)
    assert not window.image_mode.save()
    assert rec.questions and src.read_bytes() == before
    rec.answer = True
    assert window.image_mode.save()
    assert src.read_bytes() != before


def test_a_small_image_runs_the_cuda_lane(window, qtbot, tmp_path):
    x = grey(16, 20, seed=3)
    window.open_image(write_png(tmp_path / "small.png", x))
    res = wait_result(window, qtbot)
    par = res.lanes["cuda"]
    if par.error:
        pytest.skip(f"cuda unavailable: {par.error}")
    assert par.backend == "cuda" and not par.fallback
    np.testing.assert_array_equal(par.out[0], _whole(x))


def _drag_enter(mime: QMimeData) -> QDragEnterEvent:
    """A drag entering at (20, 20): PySide6 6.12 takes a QPointF (and deprecates the
    QPoint form, the only one before)."""
    args = (Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    try:
        return QDragEnterEvent(QPointF(20, 20), *args)
    except TypeError:
        return QDragEnterEvent(QPoint(20, 20), *args)


def test_drop_a_file_on_the_window(window, qtbot, tmp_path):
    src = write_png(tmp_path / "dropped.png", grey(20, 30))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(src))])
    enter = _drag_enter(mime)
    QtWidgets.QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QtWidgets.QApplication.sendEvent(window, drop)
    assert window.image_mode.active and window.image_mode.model.path == src
    wait_result(window, qtbot)
    text = QMimeData()
    text.setText("not a file")
    enter = _drag_enter(text)
    QtWidgets.QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def _bad_files(tmp_path):
    good = write_png(tmp_path / "ok.png", grey(30, 40))
    data = good.read_bytes()
    bad = {
        "empty": b"",
        "not an image": b"hello, this is text\n" * 10,
        "truncated": data[: len(data) // 2],
        "corrupt": data[:60] + b"\0" * 200,
    }
    paths = {}
    for name, raw in bad.items():
        p = tmp_path / f"{name.replace(' ', '_')}.png"
        p.write_bytes(raw)
        paths[name] = p
    paths["missing"] = tmp_path / "missing.png"
    return paths


def test_a_bad_file_leaves_the_previous_image_in_place(window, qtbot, tmp_path, monkeypatch):
    rec = Recorder(window)
    for p in _bad_files(tmp_path).values():  # in the lesson: the lesson stays
        assert not window.open_image(p)
    assert not window.image_mode.active and len(rec.errors) == 5
    good = write_png(tmp_path / "good.png", grey(24, 32))
    window.open_image(good)
    res = wait_result(window, qtbot)
    model = window.image_mode.model
    x, lesson = model.x, window.model.lesson
    rec.errors.clear()
    monkeypatch.setattr("convviz.core.image_read.MAX_PIXELS", 100)
    bad = _bad_files(tmp_path)
    bad["too large"] = good
    for problem, p in bad.items():
        assert not window.open_image(p), problem
        title, text = rec.errors[-1]
        assert str(p) in text, (problem, text)  # one message naming the file
    words = [t for _, t in rec.errors]
    assert "empty" in words[0] and "not an image" in words[1]
    assert "truncated" in words[2] or "corrupt" in words[2]
    assert "no such file" in words[4] and "above the limit" in words[5]
    assert model.path == good and model.x is x and window.model.lesson is lesson
    assert window.image_mode.last_result is res and not window.runner.busy


def test_the_region_animation_on_a_large_image_matches_the_whole_result(window, qtbot, tmp_path):
    x = grey(1000, 1500, seed=11)
    window.open_image(write_png(tmp_path / "large.png", x))
    res = wait_result(window, qtbot)
    whole = _whole(x)
    np.testing.assert_array_equal(res.lanes["cpu"].out[0], whole)
    model, lesson = window.image_mode.model, window.model
    assert model.region == Region(495, 745, 10, 10)  # a centre crop
    # drag the region: snapped to whole pixels, at most 24×24 cells
    roi = window.image_mode.strip.input.roi
    roi.setPos((1234.4, 77.2), finish=False)
    roi.setSize((12.2, 40), finish=True)
    assert model.region == Region(77, 1234, 24, 12)
    assert lesson.n_cells == 24 * 12
    window.keys.step(1)
    window.keys.step(1)  # mid-animation: the first two cells are shown, in order
    out = lesson.stepper.output()[0]
    np.testing.assert_array_equal(out[0, :2], whole[77, 1234:1236])
    assert np.isnan(out[0, 2:]).all()
    lesson.seek(lesson.n_cells - 1)
    np.testing.assert_array_equal(lesson.stepper.output()[0], whole[77:101, 1234:1246])
    # at the image corner with circular padding the halo wraps to the far side
    panel = window.image_mode.panel
    i = panel.padding_mode.findData("circular")
    panel.padding_mode.setCurrentIndex(i)
    panel.padding_mode.activated.emit(i)
    model.set_region(Region(0, 0, 6, 6))
    res = wait_result(window, qtbot)
    whole = _whole(x, padding_mode="circular")
    np.testing.assert_array_equal(res.lanes["cpu"].out[0], whole)
    np.testing.assert_array_equal(lesson.stepper.full_output()[0], whole[:6, :6])
    assert "far side" in panel.region_note.text()


def test_colour_per_channel_and_layer_view(window, qtbot, tmp_path):
    rgba = np.random.default_rng(5).integers(0, 256, (120, 140, 4), dtype=np.uint8)
    window.open_image(write_png(tmp_path / "colour.png", rgba, "RGBA"))
    res = wait_result(window, qtbot)
    x = np.moveaxis(rgba[..., :3], -1, 0).astype(np.float32)
    panel, model, lesson = window.image_mode.panel, window.image_mode.model, window.model
    assert "Transparency dropped" in panel.file_label.text()
    assert "alpha dropped" in panel.file_label.text()
    per = convviz.conv2d(x, SOBEL, padding="same", backend="cpu")  # groups = 3
    np.testing.assert_array_equal(res.lanes["cpu"].out, per)
    panel.anim_channel.setCurrentIndex(2)
    panel.anim_channel.activated.emit(2)
    r = model.region
    assert lesson.lesson.x.shape[0] == 1
    np.testing.assert_array_equal(lesson.stepper.full_output()[0], per[2][r.slices])
    assert "channel B" in window.lesson_view.input_view.title.text()
    panel.layer.setChecked(True)
    res = wait_result(window, qtbot)
    layer = convviz.conv2d(x, np.broadcast_to(SOBEL, (1, 3, 3, 3)), padding="same", backend="cpu")
    np.testing.assert_array_equal(res.lanes["cpu"].out, layer)
    assert lesson.lesson.x.shape[0] == 3 and window.lesson_view.channel == 2
    np.testing.assert_array_equal(lesson.stepper.full_output()[0], layer[0][r.slices])
    window.keys.step(1)
    assert "per channel R" in window.lesson_view.formula.text()


def test_kernel_edits_rerun_and_a_bad_cell_keeps_the_last_good_kernel(window, qtbot, tmp_path):
    x = grey(20, 24, seed=2)
    window.open_image(write_png(tmp_path / "k.png", x))
    wait_result(window, qtbot)
    editor = window.image_mode.panel.kernel_editor
    model = window.image_mode.model
    editor.set_preset("box")
    res = wait_result(window, qtbot)
    np.testing.assert_array_equal(res.lanes["cpu"].out[0], _whole(x, w=preset("box")))
    assert window.image_mode.strip.mode.currentData() == "clipped"  # blur: not signed
    good = model.kernel.copy()
    editor.set_cell_text(0, 1, "nan")
    assert "row 1, column 2" in editor.message.text()
    assert "last good kernel" in editor.message.text()
    np.testing.assert_array_equal(model.kernel, good)
    assert window.image_mode.last_result is res  # nothing re-ran


def test_recent_files_persist_and_reopen(qtbot, tmp_path):
    src = write_png(tmp_path / "recent.png", grey(10, 12))
    win = gui_app.create_window([str(src)])  # `convviz PATH`
    qtbot.addWidget(win)
    assert win.image_mode.active and win.image_mode.model.path == src
    wait_result(win, qtbot)
    win.close()
    assert files.recent_files()[0] == src.resolve()
    win2 = gui_app.create_window()
    qtbot.addWidget(win2)
    assert not win2.image_mode.active
    actions = win2.file_menu.recent_actions()
    assert actions[0].text() == str(src.resolve())
    actions[0].trigger()
    assert win2.image_mode.active
    wait_result(win2, qtbot)
    win2.enter_lesson_mode()  # File → Lesson demo: back to the built-in lesson
    assert not win2.image_mode.active and win2.model.lesson.x.shape == (1, 8, 8)
    assert win2.lanes.isVisibleTo(win2) and not win2.image_mode.strip.isVisibleTo(win2)
    win2.close()


def test_a_bad_path_argument_keeps_the_lesson(qtbot, tmp_path):
    win = gui_app.create_window([str(tmp_path / "nope.png")])
    qtbot.addWidget(win)
    assert not win.image_mode.active
    assert "nope.png" in win.dialogs.last_error and "no such file" in win.dialogs.last_error
    win.close()
