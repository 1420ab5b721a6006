"""Every word true: titles follow the phase, nothing is cut off, the side panel shows
the kernel on screen, values out of range are refused out loud, a language switch
comes back exactly."""

from __future__ import annotations

import html
from collections import defaultdict

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from convviz import backends, lane_text
from convviz.core.lessons import MAX_CHANNELS, MAX_LESSON_SIDE
from convviz.core.spec import prepare
from convviz.errors import ConvvizError
from convviz.gui import i18n
from convviz.gui.widgets.fit_label import FitLabel
from tests.gui.test_i18n import _texts


def _run_parallel(window, qtbot):
    window.run_parallel()
    qtbot.waitUntil(
        lambda: not window.runner.busy and window.runs.last_result is not None, timeout=60_000
    )


def test_stepping_back_after_the_parallel_run_names_the_sequential_output(window, qtbot):
    m = window.model
    m.seek(10)
    _run_parallel(window, qtbot)
    title = window.lesson_view.output_view.title
    assert "all at once" in title.text()
    QTest.keyClick(window, Qt.Key_Left)  # one step back, as a clicker does
    assert m.pos == 9
    assert "all at once" not in title.text()
    assert title.text() == "Output 8×8"


def test_a_long_title_is_shortened_with_the_whole_text_on_hover(qtbot):
    label = FitLabel("Kernel 3×3 · Sobel x rotated 180° (convolution), dilation 2")
    qtbot.addWidget(label)
    label.resize(120, 60)
    label.show()
    qtbot.waitExposed(label)
    assert label.shortened
    assert label.shown_text().endswith("…")
    assert label.text() == "Kernel 3×3 · Sobel x rotated 180° (convolution), dilation 2"
    assert label.hover_text() == label.text()
    label.resize(900, 60)
    qtbot.waitUntil(lambda: not label.shortened)
    assert label.shown_text() == label.text() and label.hover_text() == ""


def test_no_grid_title_is_cut_off_at_1280x720(window, qtbot):
    window.resize(1280, 720)
    window.controls.dilation.setValue(2)
    window.controls.operation.setCurrentIndex(1)
    window.controls.operation.activated.emit(1)
    qtbot.waitUntil(lambda: "dilation 2" in window.lesson_view.kernel_view.title.text())
    for view in window.lesson_view.grids():
        t = view.title
        if t.isVisible():
            lines = t.fontMetrics().boundingRect(
                t.contentsRect().adjusted(0, 0, 0, 10_000), Qt.TextWordWrap, t.shown_text()
            )
            assert lines.height() <= t.height() + 1, t.text()
            assert t.shown_text() == t.text() or t.hover_text() == t.text()


def test_the_size_field_shows_the_kernel_on_screen(window):
    c, m = window.controls, window.model
    c.preset.setCurrentIndex(c.preset.findData("box"))
    c.preset.activated.emit(c.preset.currentIndex())
    c.ksize.setValue(9)
    assert m.lesson.w.shape[-1] == 9
    c.channel_demo.click()
    assert m.lesson.w.shape[-2:] == (3, 3)
    assert c.ksize.value() == 3
    m.set_kernel_text("1 2 3 4 5; 1 2 3 4 5; 1 2 3 4 5; 1 2 3 4 5; 1 2 3 4 5")
    assert c.ksize.value() == 5
    assert c.kernel_text.text().startswith("1 2 3 4 5")


def _type(spin, text):
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key_Return)


def test_dilation_out_of_range_is_refused_with_a_message(window, qtbot):
    c, m = window.controls, window.model
    c.dilation.setValue(2)
    _type(c.dilation, "17")
    assert m.lesson.dilation == (2, 2) and c.dilation.value() == 2
    assert c.refusal.isVisible()
    assert "17" in c.refusal.text() and "1 to 4" in c.refusal.text()
    assert "Dilation" in c.refusal.text()
    c.dilation.setValue(3)  # the next value taken: the message goes
    assert not c.refusal.isVisible()


def test_a_gaussian_size_out_of_range_is_refused_not_made_1x1(window):
    c, m = window.controls, window.model
    c.preset.setCurrentIndex(c.preset.findData("gaussian"))
    c.preset.activated.emit(c.preset.currentIndex())
    before = m.lesson.w.shape
    _type(c.ksize, "15")
    assert m.lesson.w.shape == before and before[-1] > 1
    assert "15" in c.refusal.text() and "1 to 9" in c.refusal.text()


def test_the_image_kernel_editor_refuses_out_loud(qtbot):
    from convviz.gui.image.kernel_editor import MAX_SIDE, KernelEditor

    ed = KernelEditor()
    qtbot.addWidget(ed)
    ed.show()
    ed.rows.setValue(3)
    _type(ed.rows, str(MAX_SIDE + 5))
    assert ed.rows.value() == 3
    assert str(MAX_SIDE + 5) in ed.message.text()


def test_translations_are_one_to_one():
    """Each fixed text's translation belongs to one source, so a text shown in Chinese
    names its source even in a window that started in Chinese. (Texts with ``{0}`` are
    formatted by their owners, who draw them again: "{0} core" and "{0} cores" may
    share a translation, Chinese has no plural.)"""
    sources = defaultdict(set)
    for (_ctx, source), text in i18n.read_ts(i18n.ts_path("zh_CN")).items():
        if "{" not in source:
            sources[text].add(source)
    shared = {t: s for t, s in sources.items() if len(s) > 1}
    assert not shared


def test_a_language_round_trip_gives_back_every_text_exactly(window):
    window.model.seek(5)
    before = _texts(window)
    try:
        window.lecture.set_language("zh_CN")
        assert _texts(window) != before
        window.lecture.set_language("en")
        after = _texts(window)
    finally:
        i18n.install("en")
    assert after == before


def test_the_round_trip_keeps_two_sources_that_share_a_translation(window, monkeypatch):
    """Even when two sources had one translation, each widget comes back as it was."""
    from PySide6 import QtWidgets

    a, b = QtWidgets.QLabel("Channel"), QtWidgets.QLabel("Channels")
    a.setParent(window)
    b.setParent(window)
    zh = i18n.TsTranslator(i18n.ts_path("zh_CN"), "zh_CN")
    zh.by_source["Channel"] = zh.by_source["Channels"] = "通道"
    zh.reverse["通道"] = "Channel"
    i18n.retranslate_tree(window, None, zh)
    assert a.text() == b.text() == "通道"
    i18n.retranslate_tree(window, zh, None)
    assert (a.text(), b.text()) == ("Channel", "Channels")


def test_the_image_lanes_show_the_cores_share_apart_from_the_kernel(window, qtbot, tmp_path):
    """The stand-in parallel lane is the same code timed on one thread and on all, in
    interleaved rounds (the engine's), and its facts say what the cores give."""
    from tests.gui.images_helpers import Recorder, grey, wait_result, write_png

    Recorder(window)
    window.open_image(write_png(tmp_path / "wide.png", grey(150, 140)))  # > the simulator
    res = wait_result(window, qtbot)
    par = res.lanes["cuda"]
    assert par.backend == "cpu-parallel" and par.fallback  # standing in for CUDA
    assert par.one_core is not None and set(par.by_threads) == {1, par.cores}
    assert {r.backend for r in par.by_threads.values()} == {"cpu-parallel"}
    assert par.one_core.device.endswith(", 1 thread") and par.record is par.by_threads[par.cores]
    pane = window.image_mode.strip.sequential.facts  # the time under it, the facts on hover
    facts = html.unescape(pane.toolTip() or pane.text())
    assert "the same code on 1 core" in facts  # under the one-cell loop it is measured against
    # the strip says what the formatter says of this lane (a ratio within the spread
    # is no speed-up: the formatter's words for that, not a "×")
    share = lane_text.cores_line(par)
    assert share is not None and share.text in facts


def test_the_simulator_refusal_advises_only_what_the_app_allows():
    """The lessons stop at 32×32: the refusal does not send the user to 64×64."""
    cuda = backends.get("cuda")
    if not cuda.simulated:
        pytest.skip("needs Numba's CUDA simulator: a real GPU takes a lesson of any size")
    side = MAX_LESSON_SIDE
    x = np.ones((MAX_CHANNELS, side, side), np.float32)
    w = np.ones((MAX_CHANNELS, MAX_CHANNELS, 9, 9), np.float32)
    with pytest.raises(ConvvizError) as info:
        cuda.check(prepare(x, w, padding=4))
    message = str(info.value)
    assert "64×64" not in message and "fewer channels" in message


def test_the_typed_kernel_follows_a_new_size_unless_being_typed(window, qtbot):
    c, m = window.controls, window.model
    c.preset.setCurrentIndex(c.preset.findData("box"))
    c.preset.activated.emit(c.preset.currentIndex())
    c.kernel_text.setFocus()  # the box has the focus, nothing typed in it
    qtbot.waitUntil(c.kernel_text.hasFocus)
    c.ksize.setValue(7)  # e.g. the mouse wheel over Size
    assert m.lesson.w.shape[-2:] == (7, 7)
    assert c.kernel_text.text().count(";") == 6  # seven rows, as on screen
    QTest.keyClicks(c.kernel_text, " 1")  # now something is being typed: it stays
    c.ksize.setValue(5)
    assert c.kernel_text.text().endswith(" 1")
