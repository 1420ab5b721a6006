"""The window never waits for work it cannot interrupt: closing returns while a compile or
a run is still blocked (the work is abandoned, not joined), Cancel frees the window at
once and says "cancelling…", and image decoding, saving and the difference map happen
off the GUI thread with stale results dropped."""

from __future__ import annotations

import threading

import pytest

from convviz import backends


@pytest.fixture
def gate():
    """An event the held work waits for; always opened at the end (no thread left)."""
    event = threading.Event()
    yield event
    event.set()


def _hold(monkeypatch, gate, name: str, method: str, result=None):
    """``backends.get(name).<method>`` blocks on ``gate`` without reading the cancel flag:
    work that cannot be interrupted. Returns the threads it ran in."""
    threads: list[threading.Thread] = []
    cls = type(backends.get(name))
    original = getattr(cls, method)

    def held(self, *args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(60)
        return result if result is not None else original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, held)
    return threads


def test_closing_during_the_first_compile_returns_without_waiting(qtbot, monkeypatch, gate):
    from convviz.gui.app import create_window

    threads = _hold(monkeypatch, gate, "cpu", "compile_facts")
    win = create_window()  # with the warm-up, as the app starts
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=30_000)
    win.close()  # returns although the compile is still blocked
    assert threads[0].is_alive() and threads[0].daemon
    assert not win.runner.busy
    gate.set()
    threads[0].join(30)
    assert not threads[0].is_alive()


def test_closing_during_a_run_returns_without_waiting(window, qtbot, monkeypatch, gate):
    threads = _hold(monkeypatch, gate, "cpu", "run")
    window.run_parallel()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=30_000)
    window.close()
    assert threads[0].is_alive()  # abandoned, not joined
    gate.set()
    threads[0].join(30)
    assert not threads[0].is_alive()


def test_cancel_frees_the_window_at_once_and_says_cancelling(window, qtbot, monkeypatch, gate):
    threads = _hold(monkeypatch, gate, "cpu", "run")
    window.run_parallel()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=30_000)
    assert window.runner.busy and window.lanes.cancel_button.isVisible()
    window.lanes.cancel_button.click()
    # the run is still blocked, and the window is free
    assert threads[0].is_alive()
    assert not window.runner.busy
    assert window.lanes.run_button.isEnabled() and not window.lanes.cancel_button.isVisible()
    assert window.lanes.note.text() == "cancelling…"
    with qtbot.waitSignal(window.runner.sigCancelled, timeout=30_000):
        gate.set()
    assert window.lanes.note.text() == "cancelled"
    assert window.runs.last_result is None


def test_a_run_asked_for_while_one_winds_down_waits_then_runs(window, qtbot, monkeypatch, gate):
    threads = _hold(monkeypatch, gate, "cpu", "run")
    window.run_parallel()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=30_000)
    window.lanes.cancel_button.click()
    window.run_parallel()  # queued behind the one winding down: never two at once
    assert window.runner.busy and len(threads) == 1
    gate.set()
    qtbot.waitUntil(lambda: window.runs.last_result is not None, timeout=60_000)
    assert len(threads) == 2 and not window.runner.busy
    assert window.runs.last_result.lanes["cpu"].out is not None


@pytest.mark.parametrize("keys", ["Escape", "Ctrl+W"])
def test_the_benchmark_window_closes_with_esc_and_ctrl_w(window, qtbot, keys):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    bench = window.open_benchmark()
    qtbot.waitExposed(bench)
    bench.activateWindow()
    combo = QKeySequence(keys)[0]
    QTest.keyClick(bench, combo.key(), combo.keyboardModifiers())
    qtbot.waitUntil(lambda: not bench.isVisible())
    assert window.isVisible()  # only the benchmark window closed


def _held_decode(monkeypatch, gate):
    """The image mode's decoder waits for ``gate`` and records the threads it ran in."""
    from convviz.gui.image import mode

    threads: list[threading.Thread] = []
    load = mode.load_image_info

    def held(path, *args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(60)
        return load(path, *args, **kwargs)

    monkeypatch.setattr(mode, "load_image_info", held)
    return threads


def test_a_big_image_is_decoded_off_the_gui_thread(window, qtbot, monkeypatch, gate, tmp_path):
    from tests.gui.images_helpers import Recorder, grey, write_png

    rec = Recorder(window)
    threads = _held_decode(monkeypatch, gate)
    big = write_png(tmp_path / "big.png", grey(1100, 1000))
    assert window.open_image(big)  # returns at once: the decode waits in the worker
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert not window.image_mode.active and window.image_mode.strip.image is None
    gate.set()
    qtbot.waitUntil(lambda: window.image_mode.model.path == big, timeout=30_000)
    assert window.image_mode.active and window.image_mode.strip.image.shape[-2:] == (1100, 1000)
    assert not rec.errors


def test_a_newer_image_wins_over_one_still_decoding(window, qtbot, monkeypatch, gate, tmp_path):
    from tests.gui.images_helpers import Recorder, grey, write_png

    Recorder(window)
    threads = _held_decode(monkeypatch, gate)
    first = write_png(tmp_path / "first.png", grey(1100, 1000, seed=1))
    second = write_png(tmp_path / "second.png", grey(1000, 1100, seed=2))
    window.open_image(first)
    window.open_image(second)  # waits behind the first, whose result is dropped
    gate.set()
    qtbot.waitUntil(lambda: window.image_mode.model.path == second, timeout=30_000)
    assert len(threads) == 2
    assert window.image_mode.strip.image.shape[-2:] == (1000, 1100)


def test_a_big_image_that_cannot_be_decoded_says_so(window, qtbot, tmp_path):
    from tests.gui.images_helpers import Recorder, grey, write_png

    rec = Recorder(window)
    big = write_png(tmp_path / "cut.png", grey(1100, 1000))
    big.write_bytes(big.read_bytes()[:5000])  # the header is whole, the pixels are not
    assert window.open_image(big)
    qtbot.waitUntil(lambda: bool(rec.errors), timeout=30_000)
    assert rec.errors[0][0] == "Could not open the image" and "cut.png" in rec.errors[0][1]
    assert not window.image_mode.active  # what was shown stays


def test_a_big_result_is_drawn_and_saved_off_the_gui_thread(window, qtbot, monkeypatch, tmp_path):
    """The pictures, the difference map and a save of a big image are made in a worker;
    the GUI thread only shows them."""
    from convviz.gui.image import display, mode
    from tests.gui.images_helpers import Recorder, grey, write_png

    rec = Recorder(window)
    threads: dict[str, list] = {"views": [], "save": []}
    views, save = display.views, mode.save_result

    def views_in(*args):
        threads["views"].append(threading.current_thread())
        return views(*args)

    def save_in(*args):
        threads["save"].append(threading.current_thread())
        return save(*args)

    monkeypatch.setattr(display, "views", views_in)
    monkeypatch.setattr(mode, "save_result", save_in)
    window.open_image(write_png(tmp_path / "big.png", grey(1100, 1000)))
    im = window.image_mode
    qtbot.waitUntil(lambda: "diff" in im.strip.shown, timeout=120_000)
    assert threads["views"] and threading.main_thread() not in threads["views"]
    assert im.strip.shown["cpu"].values.shape == (1100, 1000)
    out = tmp_path / "result.npy"
    window.dialogs.ask_save_path = lambda *a: str(out)
    assert im.save()  # started: written in the worker
    qtbot.waitUntil(out.exists, timeout=60_000)
    assert threads["save"] and threading.main_thread() not in threads["save"]
    assert not rec.errors


def test_closing_during_a_benchmark_sweep_returns_without_waiting(window, qtbot, monkeypatch, gate):
    from convviz import bench

    threads: list[threading.Thread] = []

    def stuck(config=None, progress=None, cancel=None, **kw):  # reads no cancel flag
        threads.append(threading.current_thread())
        gate.wait(60)
        raise RuntimeError("stopped by the test")

    monkeypatch.setattr(bench, "run_benchmark", stuck)
    view = window.open_benchmark()
    view.start_sweep(sizes=[16, 32], repeats=1)
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=30_000)
    window.close()  # closes the benchmark window too, without waiting for the sweep
    assert threads[0].is_alive() and not view.runner.busy
    gate.set()
    threads[0].join(30)
    assert not threads[0].is_alive()


def test_closing_while_a_big_image_decodes_returns_without_waiting(
    window, qtbot, monkeypatch, gate, tmp_path
):
    from tests.gui.images_helpers import Recorder, grey, write_png

    Recorder(window)
    threads = _held_decode(monkeypatch, gate)
    window.open_image(write_png(tmp_path / "big.png", grey(1100, 1000)))
    assert len(threads) == 1
    window.close()
    assert threads[0].is_alive()  # abandoned, not joined
    gate.set()
    threads[0].join(30)
    assert not threads[0].is_alive() and not window.image_mode.active
