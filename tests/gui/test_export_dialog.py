"""Export the animation from the app (GIF, APNG, MP4) and copy the convolution as code."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtGui

from convviz.core.frames import frame_size
from convviz.core.stepper import Stepper
from convviz.gui.lecture import export_dialog
from convviz.gui.lecture.export_dialog import ExportDialog, ExportWorker

HAVE_FFMPEG = importlib.util.find_spec("imageio_ffmpeg") is not None


def _export(qtbot, dialog, path, fmt: str) -> int:
    dialog.set_format(fmt)
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.sigExported, timeout=60_000) as blocker:
        assert dialog.export()
    qtbot.waitUntil(lambda: not dialog.busy)
    return blocker.args[1]


def _frames(path) -> tuple[int, tuple[int, int]]:
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1), im.size


def test_export_the_whole_lesson_as_gif(window, qtbot, tmp_path):
    dialog = window.lecture.export_animation()
    n = window.model.n_cells
    assert (dialog.start.value(), dialog.stop.value()) == (-1, n - 1)
    path = tmp_path / "lesson.gif"
    frames = _export(qtbot, dialog, path, "gif")
    size = frame_size(Stepper(window.model.prep))
    assert frames == n + 1  # the empty output, then every cell
    assert _frames(path) == (n + 1, size)
    assert size[0] % 2 == 0 and size[1] % 2 == 0
    assert str(path) in dialog.message.text()


def test_export_a_range_as_apng(window, qtbot, tmp_path):
    window.model.set_stride(2)
    dialog = window.lecture.export_animation()
    dialog.start.setValue(3)
    dialog.stop.setValue(10)
    assert "8" in dialog.count.text()
    path = tmp_path / "range.png"
    assert _export(qtbot, dialog, path, "apng") == 8
    with Image.open(path) as im:
        assert im.format == "PNG" and im.n_frames == 8 and im.is_animated
        assert im.size == frame_size(Stepper(window.model.prep))


@pytest.mark.skipif(not HAVE_FFMPEG, reason="imageio-ffmpeg is not installed")
def test_export_mp4(window, qtbot, tmp_path):
    import imageio_ffmpeg

    dialog = window.lecture.export_animation()
    assert dialog.format.model().item(2).isEnabled()
    dialog.start.setValue(0)
    dialog.stop.setValue(5)
    path = tmp_path / "lesson.mp4"
    assert _export(qtbot, dialog, path, "mp4") == 6
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 6
    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        assert tuple(next(reader)["size"]) == frame_size(Stepper(window.model.prep))
    finally:
        reader.close()


def test_mp4_is_disabled_with_the_reason_without_imageio_ffmpeg(window, monkeypatch, tmp_path):
    monkeypatch.setattr(export_dialog, "mp4_available", lambda: False)
    dialog = ExportDialog(window.model, window.dialogs.ask_yes_no, window)
    item = dialog.format.model().item(2)
    assert not item.isEnabled()
    assert "imageio-ffmpeg" in item.toolTip() and dialog.mp4_note.text()
    dialog.path.setText(str(tmp_path / "x.mp4"))
    assert not dialog.export()
    assert "imageio-ffmpeg" in dialog.message.text()
    dialog.close()


def test_never_overwrites_without_asking(window, qtbot, tmp_path):
    path = tmp_path / "keep.gif"
    path.write_bytes(b"mine")
    dialog = window.lecture.export_animation()
    asked = []
    dialog.ask_yes_no = lambda title, question: asked.append(question) or False
    dialog.path.setText(str(path))
    assert not dialog.export()
    assert asked and str(path) in asked[0]
    assert path.read_bytes() == b"mine"
    dialog.ask_yes_no = lambda title, question: True
    dialog.stop.setValue(2)
    assert _export(qtbot, dialog, path, "gif") == 4
    assert _frames(path)[0] == 4


def test_the_suffix_follows_the_format_and_a_missing_folder_is_said(window, tmp_path):
    dialog = window.lecture.export_animation()
    dialog.path.setText(str(tmp_path / "a.gif"))
    dialog.set_format("apng")
    assert dialog.path.text().endswith("a.png")
    dialog.path.setText(str(tmp_path / "nowhere" / "a.gif"))
    assert not dialog.export()
    assert "nowhere" in dialog.message.text()


def test_a_cancelled_export_leaves_no_file(window, qtbot, tmp_path):
    path = tmp_path / "cancelled.gif"
    worker = ExportWorker(window.model.prep, path, -1, window.model.n_cells - 1, 4.0)
    worker.cancel()
    with qtbot.waitSignal(worker.sigFailed, timeout=30_000) as blocker:
        worker.start()
    worker.wait()
    assert blocker.args == [""] and not path.exists()


# -- copy as code --------------------------------------------------------------------------
def _run(code: str) -> np.ndarray:
    scope: dict = {}
    exec(compile(code, "<snippet>", "exec"), scope)
    return np.asarray(scope["out"])


SETTINGS = [
    dict(),
    dict(stride=2, padding_mode="reflect", dilation=2, flip=True),
    dict(padding="same", padding_mode="circular", kernel="laplacian"),
]


@pytest.mark.parametrize("kind", ["pytorch", "scipy"])
@pytest.mark.parametrize("settings", SETTINGS)
def test_copy_as_code_reproduces_the_lesson(window, kind, settings):
    if kind == "pytorch":
        pytest.importorskip("torch")
    m = window.model
    if "kernel" in settings:
        m.set_kernel_preset(settings["kernel"])
    if "stride" in settings:
        m.set_stride(settings["stride"])
    if "padding" in settings:
        m.set_padding(settings["padding"])
    if "padding_mode" in settings:
        m.set_padding_mode(settings["padding_mode"])
    if "dilation" in settings:
        m.set_dilation(settings["dilation"])
    if "flip" in settings:
        m.set_flip(settings["flip"])
    assert m.valid, m.error
    action = window.edit_menu.pytorch_action if kind == "pytorch" else window.edit_menu.scipy_action
    action.trigger()
    dialog = window.lecture.code_dialog
    assert dialog is not None and dialog.isVisible()
    code = QtGui.QGuiApplication.clipboard().text()
    assert code == dialog.code == dialog.text.toPlainText()
    assert ("torch" in code) == (kind == "pytorch")
    out = _run(code)
    np.testing.assert_allclose(out, m.reference, rtol=1e-5, atol=1e-4)
    dialog.text.clear()
    dialog.copy_button.click()
    assert QtGui.QGuiApplication.clipboard().text() == code


def test_copy_as_code_of_an_image_loads_the_saved_arrays(window, qtbot, tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    image = (rng.random((70, 90)) * 255).astype(np.float32)  # too large to write out
    np.save(tmp_path / "photo.npy", image)
    assert window.open_image(tmp_path / "photo.npy")
    qtbot.waitUntil(lambda: window.image_mode.last_result is not None, timeout=60_000)
    dialog = window.lecture.copy_as_code("scipy")
    assert "np.load('x.npy')" in dialog.code
    assert dialog.save_arrays_button.isVisibleTo(dialog)
    folder = tmp_path / "arrays"
    folder.mkdir()
    dialog.ask_folder = lambda: str(folder)
    assert dialog.save_arrays()
    monkeypatch.chdir(folder)
    out = _run(dialog.code)
    lane = window.image_mode.last_result.lanes["cpu"]
    np.testing.assert_allclose(out, lane.out, rtol=1e-5, atol=1e-3)
