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


def _cell_boxes(stepper, which):
    """(x0, y0, x1, y1) of the kernel's or the first output channel's cells in a frame."""
    from convviz.core import frames

    s = stepper.spec
    cell, _ = frames.layout(stepper)
    pw = s.w + s.padding[2] + s.padding[3]
    xk = frames.MARGIN + pw * cell + frames.GAP
    x0 = xk if which == "kernel" else xk + s.kw * cell + frames.GAP
    rows, cols = (s.kh, s.kw) if which == "kernel" else (s.out_h, s.out_w)
    top = frames.MARGIN + 30
    return [
        (x0 + c * cell, top + r * cell, x0 + (c + 1) * cell, top + (r + 1) * cell)
        for r in range(rows)
        for c in range(cols)
    ]


def _ink_near_borders(img, boxes, band):
    """Cells whose text (dark ink) comes within ``band`` pixels of the cell's border."""
    a = np.asarray(img.convert("RGB")).astype(int).max(axis=-1)  # ink is dark in every channel
    bad = []
    for x0, y0, x1, y1 in boxes:
        inner = a[y0 + 3 : y1 - 2, x0 + 3 : x1 - 2]  # inside the border line and outlines
        dark = inner < 90
        edge = np.ones_like(dark)
        edge[band:-band, band:-band] = False
        if (dark & edge).any() or not dark.any():
            bad.append((x0, y0))
    return bad


def test_gaussian_numbers_fit_their_cells_and_the_formula_wraps_whole():
    from convviz.core import frames
    from convviz.core.kernels import preset
    from convviz.core.lessons import Lesson, make_input

    k = preset("gaussian", size=5, sigma=1.0)
    lesson = Lesson(x=make_input("random", 6, 6, seed=7), w=k[None, None], padding=1)
    st = Stepper(lesson.prepare())
    st.seek(st.n_cells - 1)  # every output known
    img = render_frame(st)
    assert img.size == frame_size(st)
    for which in ("kernel", "output"):
        assert _ink_near_borders(img, _cell_boxes(st, which), band=2) == []
    # the kernel's weights with 3 significant digits
    assert frames.cell_text(k[0, 0]) == f"{float(k[0, 0]):.3g}" and frames.cell_text(4) == "4"
    text = frames.formula(st)
    value = float(np.asarray(st.output())[0, -1, -1])
    assert text.endswith("= " + str(np.float32(value))) and text.count("·") == 25
    lines = frames.wrap(text, img.size[0] - 2 * frames.MARGIN)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(frames.text_width(x, frames.FORMULA_SIZE) <= img.size[0] for x in lines)
    assert len(lines) <= frames.layout(st)[1]  # room for every line in the frame


def test_the_border_check_sees_overprinted_cells():
    """The checker above fails on the old drawing: fixed 44 px cells at 16 px type."""
    from PIL import ImageDraw

    from convviz.core import frames

    img = Image.new("RGB", (200, 60), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle((10, 10, 54, 54), outline=(160, 160, 160))
    d.text((32, 32), "0.07511", fill=frames.INK, font=frames.font(16), anchor="mm")
    assert _ink_near_borders(img, [(10, 10, 54, 54)], band=2) == [(10, 10)]


def test_export_defaults_to_the_lesson_the_app_opens_on(tmp_path, capsys):
    from convviz.core import frames

    out = tmp_path / "d.gif"
    assert main(["export-animation", "--out", str(out), "--steps", "0:1"]) == 0
    demo = Stepper(demo_lesson().prepare())
    assert demo.spec.padding == (1, 1, 1, 1) and (demo.spec.h, demo.spec.w) == (8, 8)
    with Image.open(out) as im:
        assert im.size == frame_size(demo)
    assert frames.heading(demo.spec).startswith("input (padded)")
    nopad = Stepper(demo_lesson().__class__(x=demo.prep.x, w=demo.prep.w, padding=0).prepare())
    assert "padded" not in frames.heading(nopad.spec)


def test_export_a_deck_scene_by_scene(tmp_path, capsys):
    deck = tmp_path / "d.toml"
    deck.write_text(
        "version = 1\n[[scene]]\nsize = [3, 3]\n[[scene]]\nstride = 0\n"
        '[[scene]]\nmode = "race"\nsize = [4, 4]\n'
    )
    rc = main(["export-animation", "--deck", str(deck), "--out", str(tmp_path / "s.gif")])
    err = capsys.readouterr().err
    assert rc == 1 and "scene 2" in err and "stride" in err
    with Image.open(tmp_path / "s-01-lesson.gif") as im:
        assert im.n_frames == 10  # before the first cell, then 9 cells
    assert (tmp_path / "s-03-race.gif").exists() and not (tmp_path / "s-02-lesson.gif").exists()
