"""Exporting the lesson animation: GIF and APNG with Pillow, MP4 with imageio-ffmpeg."""

import importlib.util

import numpy as np
import pytest
from PIL import Image

from convviz import ConvvizError
from convviz.cli import main
from convviz.core.frames import frame_size, render_frame
from convviz.core.lessons import demo_lesson
from convviz.core.stepper import Stepper
from convviz.export import export_animation


@pytest.mark.parametrize("name", ["a.gif", "a.png"])
def test_gif_and_apng_frame_count_and_size(tmp_path, name):
    st = Stepper(demo_lesson().prepare())
    n = export_animation(st, tmp_path / name, start=-1, stop=9, fps=5)
    assert n == 11
    with Image.open(tmp_path / name) as im:
        assert im.n_frames == 11 and im.size == frame_size(st)
        assert im.size[0] % 2 == 0 and im.size[1] % 2 == 0
        if name.endswith(".png"):
            assert im.is_animated and im.format == "PNG"
    assert st.pos == -1  # exporting leaves the lesson where it was


def test_frames_show_the_lesson_progress(tmp_path):
    st = Stepper(demo_lesson().prepare())
    first = np.asarray(render_frame(st))
    st.seek(20)
    later = np.asarray(render_frame(st))
    assert first.shape == later.shape and (first != later).any()


@pytest.mark.skipif(
    importlib.util.find_spec("imageio_ffmpeg") is None,
    reason="imageio-ffmpeg is not installed (pip install 'convviz[export]')",
)
def test_mp4_export(tmp_path):
    import imageio_ffmpeg

    st = Stepper(demo_lesson().prepare())
    n = export_animation(st, tmp_path / "a.mp4", start=0, stop=7, fps=4)
    assert n == 8
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "a.mp4"))
    assert frames == 8
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "a.mp4"))
    try:
        assert tuple(next(reader)["size"]) == frame_size(st)
    finally:
        reader.close()


def test_cli_export_animation(tmp_path, capsys):
    out = tmp_path / "l.gif"
    rc = main(
        [
            "export-animation",
            "--out",
            str(out),
            "--size",
            "5x6",
            "--channels",
            "2",
            "--out-channels",
            "2",
            "--kernel",
            "box",
            "--padding",
            "1",
            "--steps",
            "3:8",
        ]
    )
    assert rc == 0 and "6 frames" in capsys.readouterr().out
    with Image.open(out) as im:
        assert im.n_frames == 6


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--steps", "5:500"], "outside the lesson"),
        (["--steps", "x"], "give it as A:B"),
        (["--size", "big"], "give it as HxW"),
        (["--fps", "0"], "fps must be positive"),
        (["--stride", "0"], "stride must be >= 1"),
    ],
)
def test_cli_export_errors(tmp_path, capsys, args, needle):
    rc = main(["export-animation", "--out", str(tmp_path / "e.gif")] + args)
    assert rc == 2 and needle in capsys.readouterr().err
    assert not (tmp_path / "e.gif").exists()


def test_unknown_format(tmp_path):
    with pytest.raises(ConvvizError, match="export as .gif, .png"):
        export_animation(Stepper(demo_lesson().prepare()), tmp_path / "a.avi")
