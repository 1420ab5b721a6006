"""One formatter for a lane's result: the lesson's lane, image mode's lane and the race
show the same facts in the same words (:mod:`convviz.lane_text`)."""

from __future__ import annotations

import html

import numpy as np

from convviz import lane_text
from convviz.core.timing import CompileFacts, Stats, TimingRecord
from convviz.engine import LaneResult
from convviz.gui.image.views import lane_facts
from convviz.gui.lesson.lane import Lane
from convviz.gui.lesson.model import LessonModel
from convviz.gui.race.view import RaceView
from convviz.gui.widgets import lane_text as lane_words


def _record(threads: int, median: float, spread: float) -> TimingRecord:
    stats = Stats(median, median * 0.9, median * 1.2, 7, spread)
    device = f"Test CPU, {threads} thread{'s' if threads > 1 else ''}"
    return TimingRecord("cpu-parallel", device, False, 7, 1, 0.25, stats, cells=64, macs=576)


def _result() -> LaneResult:
    one, many = _record(1, 4e-3, 0.02), _record(2, 2.1e-3, 0.03)
    return LaneResult(
        "cpu-parallel",
        device=many.device,
        processor="Test CPU",
        cpu_threads=2,
        out=np.zeros((1, 8, 8), np.float32),
        record=many,
        compiled=CompileFacts(0.25, from_cache=False, what="3×3"),
        by_threads={1: one, 2: many},
    )


def test_the_lesson_the_image_mode_and_the_race_say_it_in_the_same_words(qtbot):
    lane = _result()
    facts = {line.kind: line for line in lane_words.lines(lane)}
    assert {"time", "compile", "cores", "device"} <= facts.keys()
    assert "×1.9 from the cores" in facts["cores"].text  # 4 ms / 2.1 ms, beyond the spread

    lesson = Lane("parallel")
    qtbot.addWidget(lesson)
    lesson.show_result(lane, (-1.0, 1.0))
    image = lane_facts(lane, 64)
    race = RaceView(LessonModel())
    qtbot.addWidget(race)
    race.measured = {"cpu-parallel": lane}
    race.rebuild()
    race_cores = race.lanes["cores"].facts.text()

    for kind in ("time", "compile", "cores", "device"):
        words = html.escape(facts[kind].text)
        assert words in lesson.facts.text(), kind
        assert words in image, kind
    for kind in ("time", "cores"):  # what the race's cores lane shows of a result
        assert html.escape(facts[kind].text) in race_cores, kind
    assert f"<b>{facts['time'].lead}</b>" in lesson.facts.text()
    assert f"<b>{facts['time'].lead}</b>" in image and f"<b>{facts['time'].lead}</b>" in race_cores
    # the one-core lane: the same loop's one-thread record, in the same words
    one_time = lane_text.time_line(lane.by_threads[1], lane_words.WORDS)
    assert html.escape(one_time.text) in race.lanes["one"].facts.text()


def test_the_command_line_prints_the_same_facts_in_english():
    lane = _result()
    plain = lane_text.plain(lane)
    assert plain[0].startswith(lane_text.time_line(lane.record).lead)
    assert any("(compiled), apart from the time" in line for line in plain)
    assert "cpu-parallel on Test CPU, 2 threads" in plain
    # the device words come from the lane's fields, not from parsing its English line
    lane.device = "something else entirely"
    assert lane_text.device_text(lane) == "Test CPU, 2 threads"
    assert lane_text.device_text(lane, threads=1) == "Test CPU, 1 thread"


def test_a_speedup_within_the_spread_is_not_printed():
    lane = _result()
    lane.by_threads[1] = _record(1, 2.2e-3, 0.05)  # 2.2 ms vs 2.1 ms, ±8 % together
    line = lane_text.cores_line(lane)
    assert line is not None and "from the cores" not in line.text
    assert "no difference larger than the spread" in line.text


def test_the_loaders_notes_are_translated_by_their_id(qtbot):
    """Core's notes carry an id and parameters; the window translates the template and
    fills it in (no English parsed back), and every template is listed for lupdate."""
    from convviz.core.image_read import NOTE_TEMPLATES, Note
    from convviz.gui import i18n

    assert set(lane_words.NOTE_TEXTS) == set(NOTE_TEMPLATES.values())
    note = Note("exif_applied", 6)
    assert note == "EXIF orientation 6 applied" and (note.id, note.args) == ("exif_applied", (6,))
    i18n.install("zh_CN")
    try:
        shown = lane_words.note_text(note)
        assert "6" in shown and shown != note  # translated, the parameter filled in
        assert lane_words.note_text("an unknown note") == "an unknown note"
    finally:
        i18n.install("en")


def test_image_mode_keeps_the_cores_share_until_run_again(window, qtbot, tmp_path):
    """Coming back to settings seen before shows the same "from the cores" figures;
    the Run button (an explicit run) measures them anew."""
    from tests.gui.images_helpers import grey, wait_result, write_png

    window.open_image(write_png(tmp_path / "wide.png", grey(150, 140)))
    first = wait_result(window, qtbot).lanes["cuda"]
    assert first.backend == "cpu-parallel" and set(first.by_threads) == {1, first.cores}
    seen = {n: rec.total for n, rec in first.by_threads.items()}
    im = window.image_mode
    kernel = im.model.kernel.copy()
    im.last_result = None
    im.model.set_kernel(np.ones((3, 3), np.float32) / 9)  # other settings: measured
    wait_result(window, qtbot)
    im.last_result = None
    im.model.set_kernel(kernel)  # back: the figures seen before
    back = wait_result(window, qtbot).lanes["cuda"]
    assert {n: rec.total for n, rec in back.by_threads.items()} == seen
    assert back.record.total == seen[back.cores]
    im.last_result = None
    window.run_parallel()  # measure again
    again = wait_result(window, qtbot).lanes["cuda"]
    assert set(again.by_threads) == {1, again.cores}
    assert again.by_threads[1] is not first.by_threads[1]
