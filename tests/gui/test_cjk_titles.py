"""Chinese titles wrap onto their lines instead of being cut: a fallback font's taller
lines count as lines, not as overflow; what truly does not fit ends in "…" and reads
whole on hover."""

from __future__ import annotations

import pytest
from PySide6 import QtGui

from convviz.gui import i18n
from convviz.gui.widgets.fit_label import FitLabel, fits, line_px
from tests.gui.settle import settle

TITLE = "并行：CUDA，每个单元一个线程"


def _has_cjk_font() -> bool:
    return any(QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese))


def test_two_lines_of_chinese_fit_two_lines(qtbot):
    if not _has_cjk_font():
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")
    label = FitLabel(TITLE, lines=2)
    qtbot.addWidget(label)
    m = label.fontMetrics()
    one_line = m.horizontalAdvance(TITLE)
    width = int(one_line * 0.7)  # too narrow for one line, wide enough for two
    assert not fits(m, TITLE, width, 1)
    assert fits(m, TITLE, width, 2)
    assert line_px(m, TITLE) >= m.lineSpacing()
    label.resize(width, label.sizeHint().height())
    label.show()
    assert not label.shortened and label.shown_text() == TITLE


def test_what_does_not_fit_is_cut_and_reads_whole_on_hover(qtbot):
    label = FitLabel(TITLE * 4, lines=2)
    qtbot.addWidget(label)
    label.resize(120, label.sizeHint().height())
    label.show()
    assert label.shortened and label.shown_text().endswith("…")
    assert label.hover_text() == TITLE * 4


def test_the_chinese_parallel_lane_title_is_whole(window, qtbot):
    if not _has_cjk_font():
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")
    try:
        window.lecture.set_language("zh_CN")
        window.resize(1600, 1000)
        settle()
        strip = window.lanes
        titles = [lane.view.title for lane in (strip.sequential, strip.parallel)]
        assert any(t.text() == TITLE for t in titles)
        for title in titles:
            assert not title.shortened, title.shown_text()
    finally:
        i18n.install("en")
