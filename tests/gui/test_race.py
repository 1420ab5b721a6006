"""The race view: three lanes on one clock, driven by the Qt-free schedule."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core import race as rc
from convviz.core.race_frames import color_index, lane_colors, picture
from convviz.gui.lesson.model import LessonModel
from convviz.gui.race.view import RaceView

TIMEOUT_MS = 120_000


@pytest.fixture
def view(qtbot):
    v = RaceView(LessonModel())
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.clock.duration_s = 0.4  # the whole race in a blink
    yield v
    v.set_active(False)


def _alpha(view, key: str) -> np.ndarray:
    """The opacity of each cell as the lane's grid draws it now, checked against the
    straightforward picture of the schedule."""
    row = view.lanes[key]
    drawn = np.asarray(row.view.image.image)
    oracle = picture(row.lane, color_index(row.lane, view.race.block), view.clock.tick,
                     lane_colors(row.lane))  # fmt: skip
    np.testing.assert_array_equal(drawn, oracle)
    return drawn[..., 3]


def test_the_race_runs_to_the_end_in_the_schedules_order(view, qtbot):
    seen: list[tuple[int, dict[str, bool]]] = []  # (tick, which lanes say "done")

    def note(t: int) -> None:
        seen.append((t, {k: "done in" in view.lanes[k].status.text() for k in rc.LANES}))

    view.clock.sigTick.connect(note)
    with qtbot.waitSignal(view.clock.sigFinished, timeout=TIMEOUT_MS):
        view.set_active(True)  # no worker: the race starts at once on its assumptions
    race = view.race
    assert view.clock.tick == race.length and not view.clock.playing
    assert len(seen) > 2
    # at every frame drawn, exactly the lanes whose schedule has ended say so: they
    # finish in the schedule's order (frames may be dropped, never reordered)
    for t, done in seen:
        assert done == {k: t >= race.lane(k).total for k in rc.LANES}, t
    for key in rc.LANES:
        assert (_alpha(view, key) == 255).all()  # every cell drawn done
        assert f"{race.lane(key).total:,} ticks" in view.lanes[key].status.text()
    # nothing measured (no worker): the places are the model's, and say so
    assert "first in ticks" in view.lanes[race.finishing_order()[0]].status.text()
    assert "third in ticks" in view.lanes[race.finishing_order()[2]].status.text()


def test_the_gpu_pays_its_copy_first(view):
    view.set_active(True)
    view.clock.pause()
    gpu = view.race.lane("gpu")
    assert gpu.copy_in > 0
    view.clock.seek(gpu.copy_in - 1)
    assert (_alpha(view, "gpu") == 0).all()
    assert "copying the input to the GPU" in view.lanes["gpu"].status.text()
    assert (_alpha(view, "one") > 0).any()  # the CPU has started meanwhile
    view.clock.seek(gpu.copy_in + gpu.compute)
    assert (_alpha(view, "gpu") == 255).all()
    assert "copying the output back" in view.lanes["gpu"].status.text()
    # no GPU here and no recorded benchmark: the copy is labelled assumed, the GPU example
    facts = view.lanes["gpu"].facts.text() + view.lanes["gpu"].who.text()
    if view.race.copy.source == "assumed":
        assert "assumed, not measured" in facts
    if view.race.gpu.source == "example":
        assert "an EXAMPLE, not this machine" in facts


def test_changing_the_size_changes_the_copys_share(view):
    view.set_active(True)
    small = view.race
    assert small.copy_share > 0.9 and small.finishing_order()[-1] == "gpu"
    view.set_side(256)
    big = view.race
    assert big.lane("one").total == 256 * 256
    assert big.copy_share < 0.1 and big.finishing_order()[0] == "gpu"
    assert f"{big.copy_share:.1%}" in view.notes.text()
    assert f">{big.gpu.cores:,}</span> cores" in view.lanes["gpu"].cores.text()
    view.set_side(None)
    assert view.race.lane("one").total == small.lane("one").total


def test_hiding_the_race_stops_its_clock(view, qtbot):
    view.show()
    view.set_active(True)
    assert view.clock.playing
    view.set_active(False)
    assert not view.clock.playing and not view.isVisible()


def test_a_lesson_change_rebuilds_the_race(view):
    view.set_active(True)
    before = view.race.lane("one").total
    assert view.model.set_stride(2)
    assert view.race.lane("one").total < before


# -- in the window ----------------------------------------------------------------------
def test_the_race_button_measures_then_races(window, qtbot):
    from PySide6.QtCore import Qt

    race = window.race
    race.clock.duration_s = 0.4
    assert not race.isVisible()
    with qtbot.waitSignal(race.clock.sigFinished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.lanes.race_button, Qt.LeftButton)
        assert race.isVisible() and not window.lesson_view.isVisible()
        assert not window.lanes.isVisible() and race.measuring
    assert not race.measuring
    par = race.measured["cpu-parallel"]
    assert par.record is not None and par.out is not None and "cpu" not in race.measured
    # the one-core and all-cores lines: the same loop on 1 thread and on all of them
    assert par.one_core is not None and set(par.by_threads) == {1, par.cores}
    # a tick: one core's time per cell, measured on a bigger input (where a call's fixed
    # costs vanish), the same tick for every size
    assert race.race.tick_measured and race.race.tick_s == race.tick_s > 0
    assert f"measured on a {rc.TICK_SIDE}×{rc.TICK_SIDE} input" in race.notes.text()
    one, cores = race.lanes["one"].facts.text(), race.lanes["cores"].facts.text()
    assert "measured (cpu-parallel on " in one and ", 1 thread)" in one
    assert "measured (cpu-parallel on " in cores and f", {par.cores} threads)" in cores
    # back to the lesson, as it was
    qtbot.mouseClick(race.back_button, Qt.LeftButton)
    assert not race.isVisible() and window.lesson_view.isVisible() and window.lanes.isVisible()
    assert not race.clock.playing


def test_keys_open_the_race_and_step_through_sizes(window, qtbot):
    from PySide6.QtCore import Qt

    race = window.race
    qtbot.keyClick(window.lesson_view, Qt.Key_C)
    assert race.active and race.side is None
    qtbot.keyClick(window.lesson_view, Qt.Key_PageDown)  # the next bigger input
    assert race.side == rc.SIDES[0] and race.race.lane("one").total == rc.SIDES[0] ** 2
    qtbot.keyClick(window.lesson_view, Qt.Key_PageUp)
    assert race.side is None and race.active
    qtbot.keyClick(window.lesson_view, Qt.Key_PageUp)  # from the lesson's input: back
    assert not race.active and window.lesson_view.isVisible()
    # the race is the lesson's next step: PageDown on the last cell opens it
    window.model.seek(window.model.n_cells - 1)
    qtbot.keyClick(window.lesson_view, Qt.Key_PageDown)
    assert race.active
    qtbot.keyClick(window.lesson_view, Qt.Key_Escape)
    assert not race.active
    # the View menu's entry
    window.view_menu.race_action.trigger()
    assert race.active
    window.view_menu.race_action.trigger()
    assert not race.active


def test_the_race_in_presentation_mode(window, qtbot):
    race = window.race
    window.show_race(True)
    window.presentation.enter()
    assert race.isVisible() and race.lanes["gpu"].view.width() >= 200  # (grows with its row)
    assert "font-size:60px" in race.lanes["gpu"].cores.text()  # written large, and larger
    window.presentation.leave()
    assert race.lanes["gpu"].view.width() == 180
    window.show_race(False)


def test_the_race_stays_away_from_the_image_mode(window, qtbot, tmp_path):
    window.show_race(True)
    window.enter_image_mode()
    assert not window.race.isVisible() and not window.race.active
    window.toggle_race()
    assert not window.race.active  # nothing to race in the image mode


def test_a_run_that_takes_the_workers_place_does_not_stall_the_race(window, qtbot):
    race = window.race
    race.clock.duration_s = 0.4
    window.show_race(True)
    assert race.measuring
    window.run_parallel()  # the lesson's run replaces the race's measurement
    with qtbot.waitSignal(race.clock.sigFinished, timeout=TIMEOUT_MS):
        qtbot.waitUntil(lambda: not race.measuring, timeout=TIMEOUT_MS)
    assert race.race is not None and race.clock.at_end
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=TIMEOUT_MS)


def test_measured_gpu_times_make_the_gpu_lane(view):
    from convviz.core.timing import Stats, TimingRecord
    from convviz.gui.widgets.compute_worker import LaneResult

    def stats(s: float) -> Stats:
        return Stats(s, s, s, 3)

    view.set_active(True)
    view.tick_s = 1e-8
    rec = TimingRecord(
        "cuda", "H100", False, 3, 1, None, stats(5e-5),
        phases={"h2d": stats(2e-5), "kernel": stats(1e-6), "d2h": stats(1e-5)},
    )  # fmt: skip
    device = "NVIDIA H100 80GB HBM3, 132 SMs, compute 9.0"
    view.measured = {"cuda": LaneResult("cuda", device=device, record=rec)}
    view.rebuild()
    r = view.race
    g = r.lane("gpu")
    assert (r.gpu.source, r.gpu.sms, r.copy.source) == ("device", 132, "measured")
    assert (g.copy_in, g.copy_out, g.compute) == (2000, 1000, 100)
    assert "measured on this GPU" in view.lanes["gpu"].facts.text()
    assert "this machine&#x27;s GPU" in view.lanes["gpu"].who.text()  # (rich text)
    # a simulated run is never taken for a GPU's times
    view.measured = {"cuda": LaneResult("cuda", device=device, record=rec, simulated=True)}
    view.rebuild()
    assert view.race.copy.source != "measured"


def test_typing_c_in_a_text_box_does_not_open_the_race(window, qtbot):
    from PySide6.QtCore import Qt

    box = window.controls.findChild(__import__("PySide6.QtWidgets").QtWidgets.QLineEdit)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_C)
    assert not window.race.active


def test_a_blank_screen_takes_the_key_that_uncovers_it(window, qtbot):
    from PySide6.QtCore import Qt

    window.presentation.blank()
    qtbot.keyClick(window.lesson_view, Qt.Key_C)
    assert not window.presentation.blanked and not window.race.active
