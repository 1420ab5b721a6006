"""View → Benchmark: one window on the current kernel, and no sweep outlives the app."""

from __future__ import annotations

import threading

import numpy as np
from PySide6 import QtGui

from convviz.errors import Cancelled
from convviz.gui.bench.view import BenchWindow


def test_the_menu_opens_one_benchmark_window_on_the_current_kernel(window, qtbot):
    action = window.view_menu.bench_action
    assert action.shortcut() == QtGui.QKeySequence("Ctrl+B")
    assert window.bench_window is None  # made on first use only
    window.model.set_kernel_text("1 2 3; 4 5 6; 7 8 9")
    action.trigger()
    bench = window.bench_window
    assert isinstance(bench, BenchWindow) and bench.isVisible()
    np.testing.assert_array_equal(bench.weights, window.model.lesson.w[0, 0])
    assert "3×3" in bench.kernel_label.text()

    window.model.set_kernel_preset("box", size=5)
    action.trigger()
    assert window.bench_window is bench  # reused, handed the new kernel
    assert bench.weights.shape == (5, 5)
    np.testing.assert_array_equal(bench.weights, window.model.lesson.w[0, 0])


def test_the_image_modes_kernel_goes_to_the_benchmark(window, qtbot, tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.arange(64, dtype=np.float32).reshape(8, 8))
    assert window.open_image(path)
    qtbot.waitUntil(lambda: window.image_mode.last_result is not None, timeout=60_000)
    bench = window.open_benchmark()
    np.testing.assert_array_equal(bench.weights, window.image_mode.model.kernel)


def test_closing_the_window_stops_a_sweep_in_flight(qtbot, monkeypatch):
    from convviz import bench as bench_module
    from convviz.gui.app import create_window

    started = threading.Event()

    def held(config=None, progress=None, cancel=None, **kw):
        started.set()
        while not cancel():  # held until the window cancels it
            threading.Event().wait(0.01)
        raise Cancelled("cancelled")

    monkeypatch.setattr(bench_module, "run_benchmark", held)
    win = create_window(warm_up=False)
    qtbot.addWidget(win)
    win.show()
    win.view_menu.bench_action.trigger()
    bench = win.bench_window
    bench.start_sweep(sizes=[16, 32], repeats=1)
    qtbot.waitUntil(started.is_set, timeout=30_000)
    assert bench.runner.busy
    win.close()
    # the sweep's thread was cancelled and waited for (the autouse fixture checks too)
    assert not bench.runner.busy and not bench.isVisible()
