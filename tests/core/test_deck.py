"""Decks: read scene by scene, a bad scene says what is wrong, saving only appends."""

from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from convviz.core.deck import load_deck, parse_deck
from convviz.core.deck_write import append_scene, lesson_settings, relative_image
from convviz.core.lessons import channel_lesson, demo_lesson
from convviz.errors import ConvvizError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "assets" / "decks" / "why-gpus.toml"
SAMPLE = ROOT / "convviz" / "assets" / "sample-camera.png"


def _oracle(x2d: np.ndarray, k: np.ndarray, pad: int) -> np.ndarray:
    """Cross-correlation with zero padding, by scipy."""
    return signal.correlate2d(np.pad(x2d, pad), k, mode="valid")


def test_a_scene_builds_the_lesson_it_describes(tmp_path):
    text = """version = 1
[[scene]]
title = "Edges"
input = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
kernel = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
padding = 1
"""
    d = parse_deck(text, tmp_path / "d.toml")
    (s,) = d.scenes
    assert s.valid, s.error
    prep = s.lesson().prepare()
    x = np.arange(1, 10, dtype=np.float32).reshape(3, 3)
    k = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float32)
    from convviz.api import conv2d

    got = conv2d(prep.x, prep.w, padding=1, backend="reference")
    np.testing.assert_allclose(np.asarray(got)[0], _oracle(x, k, 1))


def test_round_trip_keeps_every_setting(tmp_path):
    path = tmp_path / "deck.toml"
    one = demo_lesson()
    three = channel_lesson()
    three.stride, three.padding_mode, three.flip = (2, 1), "reflect", True
    append_scene(path, {"title": 'One "channel"', "mode": "lesson", **lesson_settings(one)})
    append_scene(path, {"title": "3 → 2", "note": "a\nb", **lesson_settings(three)})
    image = {"mode": "image", "image": relative_image(SAMPLE, path), "region": [4, 5, 6, 7]}
    append_scene(path, {**image, "kernel": [[0.0751136, 0.123841], [1.5, -2.0]], "padding": 0})
    d = load_deck(path)
    assert d.problems == []
    a, b, c = d.scenes
    assert (a.title, b.title, b.note) == ('One "channel"', "3 → 2", "a\nb")
    for scene, lesson in ((a, one), (b, three)):
        got = scene.lesson()
        np.testing.assert_array_equal(got.x, lesson.x)
        np.testing.assert_array_equal(got.w, lesson.w)
        np.testing.assert_array_equal(got.bias, lesson.bias)
        assert got.conv_kwargs() == lesson.conv_kwargs()
    assert c.mode == "image" and c.image_path.resolve() == SAMPLE and c.region == (4, 5, 6, 7)
    np.testing.assert_array_equal(
        c.lesson().w[0, 0], np.array([[0.0751136, 0.123841], [1.5, -2.0]], np.float32)
    )


def test_bad_scenes_say_what_is_wrong_and_the_file_is_unchanged(tmp_path):
    text = """# my lecture: hand-written, keep it as it is
version = 1

[[scene]]
title = "Fine"
kernel = "gaussian:5:1"

[[scene]]
title = "Photo"
mode = "image"
image = "photos/missing.png"

[[scene]]
title = "Bad stride"
stride = 0

[[scene]]
kernel = [[1, "a"], [0, 1]]

[[scene]]
title = "Typo" = 3

[[scene]]
mode = "race"
race_size = 64
"""
    path = tmp_path / "lecture.toml"
    path.write_bytes(text.encode())
    before = path.read_bytes()
    d = load_deck(path)
    assert [s.valid for s in d.scenes] == [True, False, False, False, False, True]
    photo, stride, textk, typo = d.scenes[1:5]
    assert "missing.png" in photo.error and "not found" in photo.error
    assert photo.error.startswith("scene 2 (“Photo”)")
    assert "stride" in stride.error and "0" in stride.error
    assert "numbers only" in textk.error and "'a'" in textk.error
    assert "TOML" in typo.error
    assert all("\n" not in s.error for s in d.scenes)
    assert d.scenes[5].race_size == 64 and d.scenes[5].mode == "race"
    assert path.read_bytes() == before
    append_scene(path, lesson_settings(demo_lesson()))
    after = path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert len(load_deck(path).scenes) == 7


@pytest.mark.parametrize(
    "toml, words",
    [
        ('mode = "slides"', "mode"),
        ("padding = -1", "padding"),
        ('kernel = "nosuch"', "nosuch"),
        (f"padding = 0\nkernel = {[[1] * 11] * 11}", "kernel"),
        ("strde = 2", "strde"),
        ("race_size = 100000", "race_size"),
        ("channels = 3\ngroups = 2", "groups"),
        ('padding_mode = "mirror"', "mirror"),
        ("title = 3", "title"),
    ],
)
def test_each_invalid_setting_is_named(tmp_path, toml, words):
    d = parse_deck(f"version = 1\n[[scene]]\n{toml}\n", tmp_path / "x.toml")
    assert words in d.scenes[0].error


def test_an_unreadable_header_or_version_still_loads_the_scenes(tmp_path):
    d = parse_deck("version = 2\n[[scene]]\n", tmp_path / "x.toml")
    assert "version" in d.error and d.scenes[0].valid
    with pytest.raises(ConvvizError, match="no such deck"):
        load_deck(tmp_path / "absent.toml")


def test_the_shipped_deck_tells_the_story_and_every_scene_is_valid():
    d = load_deck(SHIPPED)
    assert d.problems == []
    modes = [s.mode for s in d.scenes]
    assert modes[:2] == ["lesson", "lesson"]
    assert "parallel" in modes and "image" in modes and modes[-1] == "benchmark"
    races = [s for s in d.scenes if s.mode == "race"]
    assert [r.race_size or 8 for r in races] == [8, 512]
    assert d.scenes[1].lesson().x.shape[0] == 3 and d.scenes[1].lesson().w.shape[0] == 2
    assert all(s.title for s in d.scenes)


def test_convviz_deck_opens_the_app_on_an_existing_deck(monkeypatch, tmp_path, capsys):
    from convviz import cli

    opened = []
    monkeypatch.setattr(cli, "open_app", lambda argv: opened.append(argv) or 0)
    assert cli.main(["--deck", str(SHIPPED)]) == 0 and opened == [["--deck", str(SHIPPED)]]
    assert cli.main(["--deck", str(tmp_path / "nope.toml")]) == 2
    assert "no such deck" in capsys.readouterr().err
    assert cli.main(["--deck"]) == 2
