"""Playing a deck in the window: PageDown alone walks the story, bad scenes say why."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core import deck as decks
from tests.gui.settle import settle

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "assets" / "decks" / "why-gpus.toml"


def press(qtbot, window, key, mods=Qt.KeyboardModifier.NoModifier):
    target = QtWidgets.QApplication.focusWidget() or window
    qtbot.keyClick(target, key, mods)


def test_page_down_alone_walks_the_shipped_deck(window, qtbot):
    errors = []
    window.dialogs.show_error = lambda title, message: errors.append(message)
    assert window.deck.open(SHIPPED)
    deck = window.deck.deck
    seen = [window.deck.index]
    np.testing.assert_array_equal(window.model.lesson.x, deck.scenes[0].lesson().x)
    assert window.deck.banner.isVisible() and "scene 1 of 7" in window.deck.banner.text()
    for _ in range(1000):
        if window.deck.index == len(deck.scenes) - 1:
            break
        press(qtbot, window, Qt.Key.Key_PageDown)
        settle()
        if window.deck.index != seen[-1]:
            seen.append(window.deck.index)
            scene = deck.scenes[window.deck.index]
            assert scene.valid, scene.error
            if scene.mode == "race":
                assert window.race.active
                assert window.race.side == (scene.race_size if scene.race_size else None)
            if scene.mode == "image":
                assert window.image_mode.active
                assert window.image_mode.model.path.resolve() == scene.image_path.resolve()
    assert seen == list(range(len(deck.scenes)))
    assert window.bench_window is not None and window.bench_window.isVisible()
    assert errors == []
    press(qtbot, window.bench_window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert window.deck.index == 0 and not window.bench_window.isVisible()
    press(qtbot, window, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.deck.index == len(deck.scenes) - 1
    window.bench_window.close()


def test_page_up_before_the_first_cell_goes_back_a_scene(window, qtbot):
    window.deck.open(SHIPPED)
    window.deck.go(1)
    assert window.model.pos == -1
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.deck.index == 1 and window.model.pos == 0  # a step, not a scene
    press(qtbot, window, Qt.Key.Key_PageUp)
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert window.deck.index == 0


def test_a_bad_scene_shows_its_message_and_the_rest_play(window, qtbot, tmp_path):
    path = tmp_path / "lecture.toml"
    text = (
        'version = 1\n[[scene]]\ntitle = "One"\nsize = [3, 3]\n'
        '[[scene]]\ntitle = "Photo"\nmode = "image"\nimage = "gone.png"\n'
        '[[scene]]\ntitle = "Stride"\nstride = 0\n'
        '[[scene]]\ntitle = "Four"\nsize = [4, 4]\n'
    )
    path.write_text(text)
    before = path.read_bytes()
    assert window.deck.open(path)
    for _ in range(20):
        press(qtbot, window, Qt.Key.Key_PageDown)
        if window.deck.index == 1:
            break
    banner = window.deck.banner
    assert banner.isVisible() and banner.problem and "gone.png" in banner.text()
    assert window.model.lesson.x.shape == (1, 3, 3)  # the scene before stays on screen
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.deck.index == 2 and "stride" in banner.text()
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.deck.index == 3 and not banner.problem
    assert window.model.lesson.x.shape == (1, 4, 4)
    assert path.read_bytes() == before


def test_save_scene_appends_what_the_screen_shows(window, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('# written by hand\nversion = 1\n\n[[scene]]\ntitle = "Mine"\n')
    before = path.read_bytes()
    window.model.set_stride(2)
    window.model.seek(3)
    window.deck.ask_save_path = lambda: str(path)
    window.deck.ask_and_save()
    window.show_race(True)
    window.race.set_side(64)
    window.deck.save_scene(path, title="Race")
    window.show_race(False)
    assert path.read_bytes().startswith(before)
    d = decks.load_deck(path)
    assert d.problems == [] and len(d.scenes) == 3
    lesson = d.scenes[1].lesson()
    np.testing.assert_array_equal(lesson.x, window.model.lesson.x)
    np.testing.assert_array_equal(lesson.w, window.model.lesson.w)
    assert lesson.stride == (2, 2) and d.scenes[1].step == 3
    assert d.scenes[2].mode == "race" and d.scenes[2].race_size == 64
    assert d.scenes[2].title == "Race"


def test_presentation_shows_scene_n_of_m_large(window, qtbot):
    window.deck.open(SHIPPED)
    window.presentation.enter()
    try:
        banner = window.deck.banner
        assert banner.isVisible() and banner.text().startswith("scene 1 of 7 · The sliding")
        assert banner.font().pixelSize() >= 28
    finally:
        window.presentation.leave()
