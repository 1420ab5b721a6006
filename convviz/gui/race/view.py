"""The race view: the lesson's convolution on one core, this machine's cores and a GPU.

Three lanes on one clock (:class:`~convviz.gui.race.clock.RaceClock`); the schedule is
:func:`convviz.core.race.make_race`, a model in ticks, and the lanes say so. When the
view opens it measures, in the window's compute worker through the engine, a tick
(the cores' loop on one thread, its fastest run per cell on a
:data:`~convviz.core.race.TICK_SIDE`² input, where a call's fixed costs vanish), then
on the input shown the *same* loop (``cpu-parallel``) on one thread and on all, in
interleaved rounds with their spread (and the CUDA kernel on a real GPU); those
measured times stand beside the lanes, and a lane that shows one is placed by it.
A measurement is kept for the session, per lesson and size: coming back to a size
shows the same figures, until "Measure again". The GPU's copies come from that run,
from a benchmark recorded on a GPU, or from an assumed PCIe link, and the lane says
which. The race starts when the measurement is in (at once without a worker)."""

from __future__ import annotations

import html
import time

from PySide6 import QtWidgets
from PySide6.QtCore import Qt, QTimer, Signal

from convviz.core import device, sysinfo
from convviz.core import race as rc
from convviz.core.timing import Stats
from convviz.errors import ConvvizError
from convviz.gui import theme
from convviz.gui.race.clock import RaceClock
from convviz.gui.race.head import RaceHead
from convviz.gui.race.lane import LaneRow, tr
from convviz.gui.race.texts import CORES_BACKEND, SHORT_PX, fill_sizes, show_notes
from convviz.gui.widgets.wrap_row import fit_button

REPEATS = 5
TICK_REPEATS = 7


class RaceView(QtWidgets.QWidget):
    """``model``: the lesson (:class:`LessonModel`); ``runner``: the window's
    :class:`ComputeRunner` for the measurement, or None (no measurement)."""

    sigClosed = Signal()  # back to the lesson (the button, Esc, C)
    sigRequested = Signal()  # open the race (C, or PageDown on the lesson's last cell)

    def __init__(self, model, runner=None, parent=None, clock=time.perf_counter):
        super().__init__(parent)
        self.model = model
        self.runner = runner
        self.clock = RaceClock(clock, self)
        self.active = False
        self.side: int | None = None  # None: the lesson's own input
        self.prep = None
        self.race: rc.Race | None = None
        self.measured: dict = {}  # backend -> LaneResult of this input's measurement
        self.measuring = False
        #: seconds of one cell on one core, measured on a TICK_SIDE² input (per lesson)
        self.tick_s: float | None = None
        #: this session's measurements: (lesson, side) -> {backend: LaneResult}, and
        #: lesson -> tick; coming back to a size shows the same figures
        self._measured_cache: dict[tuple, dict] = {}
        self._tick_cache: dict[tuple, float] = {}
        self._request = 0
        self._tick_request = 0
        self._gpu_source = ""  # the recorded benchmark's file name, when one is used
        self._dirty = True
        self._build()
        self.clock.sigTick.connect(self._on_tick)
        self.clock.sigPlayingChanged.connect(self._on_playing)
        model.sigLessonChanged.connect(self._on_lesson_changed)
        theme.changes().sigThemeChanged.connect(self.refresh_theme)
        if runner is not None:
            runner.sigResult.connect(self._on_result)
            runner.sigBusyChanged.connect(self._on_busy_changed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()

    presentation = False
    _notes = ""

    def _build(self) -> None:
        self.title = QtWidgets.QLabel()
        self.title.setFont(theme.font(24, bold=True))
        self.title.setWordWrap(True)
        self.head = h = RaceHead()
        self.size_label, self.size_box, self.clock_label = h.size_label, h.size_box, h.clock_label
        self.play_button, self.again_button = h.play_button, h.again_button
        self.measure_button, self.back_button = h.measure_button, h.back_button
        self.lanes = {key: LaneRow(key) for key in rc.LANES}
        self.notes = QtWidgets.QLabel()
        self.notes.setFont(theme.font(15))
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        lay = self._lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.head)
        for key in rc.LANES:
            lay.addWidget(self.lanes[key], 1)
        lay.addWidget(self.notes)
        self.size_box.currentIndexChanged.connect(self._on_size_chosen)
        self.play_button.clicked.connect(self.clock.toggle)
        self.again_button.clicked.connect(self.clock.restart)
        self.measure_button.clicked.connect(self.measure_again)
        self.back_button.clicked.connect(self.sigClosed)
        self.retranslate()

    # -- commands --------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        """Show the race (built for the lesson as it is now, measured, then played) or
        hide it (the clock stops)."""
        self.active = on
        self.setVisible(on)
        if not on:
            self.clock.pause()
            return
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # the keys go to the race, not a text box
        if self._dirty or self.race is None:
            self.rebuild()
        if not self.measured:
            self.measure()
        if not self.measuring:
            self.clock.restart()

    def set_side(self, side: int | None) -> None:
        """The input's side (None: the lesson's own input)."""
        index = 0 if side is None else rc.SIDES.index(side) + 1
        if self.size_box.currentIndex() != index:
            self.size_box.setCurrentIndex(index)  # -> _on_size_chosen
        elif self.side != side:
            self._on_size_chosen(index)

    def rebuild(self) -> None:
        """The schedule for the lesson on the chosen input, with what is measured."""
        self._dirty = False
        try:
            self.prep = rc.race_prep(self.model.valid_lesson(), self.side)
        except ConvvizError as exc:
            self.prep, self.race = None, None
            self.clock.set_length(0)
            self.notes.setText(html.escape(str(exc)))
            return
        gpu, copy, self._gpu_source = rc.EXAMPLE_GPU, rc.ASSUMED_COPY, ""
        copy_s = kernel_s = None
        par = self.measured.get("cuda")
        rec = par.record if par is not None and not (par.simulated or par.error) else None
        measured_gpu = None
        if par is not None and rec is not None and {"h2d", "kernel", "d2h"} <= rec.phases.keys():
            measured_gpu = rc.gpu_from_device_text(par.device)
        recorded = rc.recorded_gpu() if measured_gpu is None else None
        if measured_gpu is not None and rec is not None:
            ph = rec.phases
            gpu, copy = measured_gpu, rc.CopyModel(0.0, 1.0, "measured")
            copy_s = (ph["h2d"].median, ph["d2h"].median)
            kernel_s = ph["kernel"].median
        elif recorded is not None:
            gpu, copy, self._gpu_source = recorded
        self.race = rc.make_race(
            self.prep, sysinfo.cpu_cores(), gpu, copy, self.tick_s, copy_s, kernel_s
        )
        for key in rc.LANES:
            self.lanes[key].set_lane(self.race.lane(key), self.race.block, self.race.length)
        self.clock.set_length(self.race.length)
        self._write_texts()

    def _lesson_key(self) -> tuple:
        """What a measurement depends on besides the size: the lesson's kernel and
        settings (two lessons alike share their figures)."""
        lesson = self.model.valid_lesson()
        return (lesson.x.shape[0], lesson.w.tobytes(), lesson.w.shape, repr(lesson.conv_kwargs()))

    def measure(self) -> None:
        """Time the loops on this input in the worker (the CUDA kernel on a real GPU);
        first, once per lesson, a tick: the cores' loop on one thread on a TICK_SIDE²
        input. A size measured before in this session shows its figures again."""
        if self.runner is None or self.prep is None:
            return
        lesson = self._lesson_key()
        if self.tick_s is None and lesson in self._tick_cache:
            self.tick_s = self._tick_cache[lesson]
        cached = self._measured_cache.get((lesson, self.side))
        if cached is not None and self.tick_s is not None:
            self.measured = dict(cached)
            self.measuring = False
            self.rebuild()
            return
        self.measuring = True
        self.clock.pause()  # the race starts when the measurement is in
        if self.tick_s is None:
            try:
                prep = rc.race_prep(self.model.valid_lesson(), rc.TICK_SIDE)
            except ConvvizError:
                prep = self.prep
            self._tick_request = self.runner.submit(
                prep, (CORES_BACKEND,), repeats=TICK_REPEATS, one_core=(CORES_BACKEND,)
            )
            self._write_texts()
            return
        backends: tuple[str, ...] = (CORES_BACKEND,)
        if device.choose().mode == "gpu":
            backends += ("cuda",)
        block = self.race.block if self.race is not None else rc.LESSON_BLOCK
        self._request = self.runner.submit(
            self.prep, backends, repeats=REPEATS, block=block, one_core=(CORES_BACKEND,)
        )
        self._write_texts()

    def measure_again(self) -> None:
        """Forget this size's figures (and the tick) and measure them again."""
        lesson = self._lesson_key()
        self._measured_cache.pop((lesson, self.side), None)
        self._tick_cache.pop(lesson, None)
        self.tick_s = None
        self.measured = {}
        if self.active:
            self.rebuild()
            self.measure()
            if not self.measuring:
                self.clock.restart()

    def measured_times(self) -> dict[str, Stats]:
        """The measured time of each lane that has one: the one-core and all-cores lanes
        from the same loop on 1 and on N threads; the GPU's on a real GPU only."""
        times: dict[str, Stats] = {}
        par = self.measured.get(CORES_BACKEND)
        if par is not None and par.error is None and par.record is not None:
            if par.one_core is not None:
                times["one"] = par.one_core.total
            times["cores"] = par.record.total
        gpu = self.measured.get("cuda")
        if gpu is not None and gpu.record is not None and not (gpu.simulated or gpu.error):
            times["gpu"] = gpu.record.total
        return times

    # -- events --------------------------------------------------------------------------
    def _on_size_chosen(self, index: int) -> None:
        self.side = None if index <= 0 else rc.SIDES[index - 1]
        self.measured = {}
        self._dirty = True
        if self.active:
            self.clock.pause()
            self.rebuild()
            self.measure()
            if not self.measuring:
                self.clock.restart()

    def _on_lesson_changed(self) -> None:
        self.measured = {}
        self.tick_s = None
        self._dirty = True
        fill_sizes(self.size_box, self.model.valid_lesson().x.shape)
        if self.active:
            self.set_active(True)

    def _on_result(self, result) -> None:
        if result.request.id == self._tick_request:
            par = result.lanes.get(CORES_BACKEND)
            one = par.one_core if par is not None and not par.error else None
            if one is not None:
                # the fastest run: the one least disturbed by whatever else runs
                self.tick_s = one.total.min / max(1, result.request.prep.spec.cells)
                self._tick_cache[self._lesson_key()] = self.tick_s
            else:
                self.tick_s = 0.0  # not measurable: the assumed tick, and say so
            self.measure()
            return
        if result.request.id != self._request:
            return
        self.measuring = False
        self.measured = dict(result.lanes)
        if not result.cancelled and all(lane.error is None for lane in result.lanes.values()):
            self._measured_cache[(self._lesson_key(), self.side)] = dict(result.lanes)
        if self.active:
            self.rebuild()
            self.clock.restart()

    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:  # after the result, if any, has been handled
            QTimer.singleShot(0, self, self._check_superseded)

    def _check_superseded(self) -> None:
        """The worker is idle and our measurement never came back (another run took its
        place, e.g. "Run in parallel"): race on what is known, and say so."""
        if self.measuring and self.runner is not None and not self.runner.busy:
            self.measuring = False
            if self.active:
                self.rebuild()
                self.clock.restart()

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText(self.tr_play(playing))

    def _on_tick(self, t: int) -> None:
        race = self.race
        if race is None:
            return
        # a lane showing a measured time is placed by the measured times (within their
        # spread, level); the others by ticks, and they say so
        measured = rc.measured_places(self.measured_times())
        ticks = rc.tick_places(race)
        for key in rc.LANES:
            done = race.lane(key).phase(t) == "done"
            place = measured.get(key, ticks[key]) if done else None
            level = key in measured and list(measured.values()).count(measured[key]) > 1
            self.lanes[key].show_tick(t, place, key in measured, level)
        self.clock_label.setText(self.head.clock_text(race, t))

    def hideEvent(self, event) -> None:
        self.clock.pause()  # a hidden race never keeps its timer running
        super().hideEvent(event)

    # -- look and language -----------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Sizes for a lecture hall that still fit a 1280×720 projector (called after
        presentation mode scaled the window's fonts, and after it put them back)."""
        self.presentation = on
        self.title.setFont(theme.font(36 if on else 24, bold=True))
        self.title.setVisible(not on)  # (the lanes name themselves; their rows need the room)
        self.head.set_presentation(on)
        self._lay.setSpacing(3 if on else -1)  # (-1: the style's)
        self.notes.setFont(theme.font(28 if on else 15))
        fit_button(self.play_button, [self.tr_play(p) for p in (False, True)])
        for row in self.lanes.values():
            row.set_presentation(on)
        self._show_notes()
        self._write_texts()  # (brief in presentation mode, whole on hover; the clock fitted)

    def _show_notes(self) -> None:
        """The notes: their first line in presentation mode or on a short screen."""
        show_notes(self.notes, self._notes, self.presentation or self.height() < SHORT_PX)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_notes()

    def refresh_theme(self) -> None:
        """Colours follow the theme (the grids' background, the texts' warning colour)."""
        for row in self.lanes.values():
            row.view.refresh_theme()
            row.bar.update()
        self._write_texts()

    @staticmethod
    def tr_play(playing: bool) -> str:
        return tr("❚❚ Pause") if playing else tr("▶ Play")  # (⏸: missing in many fonts)

    def retranslate(self) -> None:
        self.title.setText(
            tr("The race: one core · this CPU's {0} cores · a GPU").format(sysinfo.cpu_cores())
        )
        self.size_label.setText(tr("input:"))
        self.play_button.setText(self.tr_play(self.clock.playing))
        self.again_button.setText(tr("⟲ Again"))
        self.measure_button.setText(tr("Measure again"))
        self.back_button.setText(tr("← Lesson (C)"))
        fit_button(self.play_button, [self.tr_play(p) for p in (False, True)])
        fill_sizes(self.size_box, self.model.valid_lesson().x.shape)
        if self.race is not None:
            self._write_texts()

    def _write_texts(self) -> None:
        from convviz.gui.race.texts import lane_texts, notes_text

        race = self.race
        if race is None:
            return
        whole = lane_texts(self, race)
        shown = lane_texts(self, race, brief=True) if self.presentation else whole
        for key, (cores, who, facts) in shown.items():
            row = self.lanes[key]
            row.set_cores(cores)
            row.set_who(who)
            row.set_facts(facts, whole[key][2])
        self._notes = notes_text(self, race)
        self.head.fit_clock(self.race)
        self._show_notes()
        self._on_tick(self.clock.tick)
