"""The lesson view's parts keep their own state: one view in presentation mode leaves
another alone (image mode embeds a second lesson view beside the lesson's own)."""

from __future__ import annotations

import re

from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.text import SMALL_PX
from convviz.gui.lesson.view import LessonView


def _second_line_px(view: LessonView) -> int:
    sizes = re.findall(r"font-size:(\d+)px", view.formula.text())
    assert sizes, view.formula.text()
    return int(sizes[-1])


def test_presentation_grows_one_view_only(qtbot):
    big, small = LessonView(LessonModel()), LessonView(LessonModel())
    for view in (big, small):
        qtbot.addWidget(view)
        view.model.seek(5)
    big.set_presentation(True)
    big.model.seek(6)
    small.model.seek(6)
    assert _second_line_px(small) == SMALL_PX
    assert _second_line_px(big) == big.look.small_px > SMALL_PX
    assert big.presentation and not small.presentation
    big.set_presentation(False)
    big.model.seek(7)
    assert _second_line_px(big) == SMALL_PX
