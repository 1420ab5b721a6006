"""Thousands of animation frames and signal emits in one process.

Guards the PySide6 pin: 6.12.0 on Python 3.11 drops a reference to ``True`` on every
Python-side ``Signal.emit()`` and aborts ("Fatal Python error: bool_dealloc") after a
few thousand emits. Here 20,000 frames and 20,000 more emits must pass.
"""

from __future__ import annotations

import pytest

from convviz.core.kernels import preset
from convviz.core.lessons import Lesson, make_input

FRAMES = 20_000

pytestmark = pytest.mark.slow  # skip with -m "not slow"; the default run keeps it


def test_twenty_thousand_frames_and_emits(window, qtbot):
    m, pb = window.model, window.playback
    # a small lesson: frames stay cheap
    assert m.set_lesson(Lesson(x=make_input("ramp", 4, 4), w=preset("laplacian")[None, None]))
    now = [0.0]
    pb.clock = lambda: now[0]
    pb.set_speed(500)
    frames = emits = 0
    seen_playing = []
    pb.sigPlayingChanged.connect(seen_playing.append)
    while frames < FRAMES:
        if not pb.playing:
            pb.play()  # restarts from the first cell at the end
        now[0] += 1 / 500  # one cell per frame
        pb._on_tick()
        frames += 1
    pb.pause()
    for i in range(FRAMES):  # bare emits with a bool, as the crash needs
        pb.sigPlayingChanged.emit(bool(i & 1))
        emits += 1
    assert frames == FRAMES and emits == FRAMES
    assert len(seen_playing) > FRAMES
    assert m.valid and window.lesson_view.output_view.values.shape == (4, 4)
