"""Why CUDA runs where it runs, in Chinese: every reason template has a translation, and
every reason the device choice and the GPU probe give is rendered from its id and
parameters with no English sentence left (only names, code and the parameters that are
shown as they are: versions, an exception's first line)."""

from __future__ import annotations

import re

import pytest

from convviz.core import device
from convviz.core.reasons import CONTEXT, REASON_TEMPLATES, Reason
from convviz.gui import i18n
from convviz.gui.widgets.lane_text import reason_text
from tests.core.test_device_reasons import all_reasons
from tests.gui.test_i18n import _english_words

#: code a Chinese sentence keeps as it is: commands, variables, library and product names
CODE = re.compile(
    r"pip (un)?install|CUDA Version|CONVVIZ_DEVICE(=\w+)?|NUMBA_ENABLE_CUDASIM(=1)?"
    r"|NVVM|cuInit|Python"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh(qtbot):
    i18n.install("zh_CN")
    yield i18n.translator()
    i18n.install("en")


@pytest.fixture(scope="module")
def reasons():
    return all_reasons()


def leaves(reason: object) -> list[str]:
    """The parameters shown as they are: those of ``reason`` and of the reasons in it
    that are no reason themselves (numbers, versions, an exception's text)."""
    if not isinstance(reason, Reason):
        return [str(reason)]
    return [leaf for arg in reason.args for leaf in leaves(arg)]


def english_left(reason: Reason, shown: str) -> list[str]:
    """English words of ``shown`` that are neither a parameter shown as it is, nor code,
    nor a name the Chinese window keeps."""
    for leaf in sorted(leaves(reason), key=len, reverse=True):
        shown = shown.replace(leaf, " ")
    return _english_words(CODE.sub(" ", shown))


def untranslated(templates: dict[str, str], table: dict[tuple[str, str], str]) -> list[str]:
    """Ids of ``templates`` with no finished translation in a .ts ``table``."""
    return sorted(key for key, text in templates.items() if not table.get((CONTEXT, text)))


def test_every_reason_template_has_a_chinese_translation():
    table = i18n.read_ts(i18n.ts_path("zh_CN"))
    assert untranslated(REASON_TEMPLATES, table) == []
    planted = {**REASON_TEMPLATES, "planted": "a sentence nobody translated"}
    assert untranslated(planted, table) == ["planted"]


def test_in_english_the_window_says_what_the_terminal_says(reasons):
    for _what, reason in reasons:
        assert reason_text(reason) == str(reason)
    assert reason_text("a plain line") == "a plain line"


def test_in_chinese_every_reason_is_translated_at_every_depth(zh, reasons):
    for what, reason in reasons:
        shown = reason_text(reason)
        assert english_left(reason, shown) == [], (what, shown)
        assert CJK.search(shown), (what, shown)
        for leaf in leaves(reason):  # the parameters are there, as they are
            assert leaf in shown, (what, leaf, shown)
        assert not re.search(r"\{\d\}", shown), (what, shown)


@pytest.mark.parametrize("planted", ["found_no_driver", "computing_on_cpu", "gpu_asked_but"])
def test_a_template_without_a_translation_is_caught(zh, reasons, monkeypatch, planted):
    template = REASON_TEMPLATES[planted]
    monkeypatch.delitem(zh.table, (CONTEXT, template))
    monkeypatch.delitem(zh.by_source, template)
    caught = [what for what, r in reasons if english_left(r, reason_text(r))]
    using = [what for what, r in reasons if planted in _ids(r)]
    assert using and caught == using


def _ids(reason: object) -> set[str]:
    if not isinstance(reason, Reason):
        return set()
    return {reason.id}.union(*(_ids(a) for a in reason.args))


def test_the_status_bar_and_the_benchmark_note_show_the_reason_in_chinese(zh, monkeypatch):
    from convviz.gui.bench.panels import gpu_note_html
    from convviz.gui.status import cuda_status_text

    reason = Reason("gpu_asked_but", Reason("driver_not_initialised", 100))
    monkeypatch.setattr(device, "_choice", device.DeviceChoice("gpu", "off", reason))
    status = cuda_status_text()
    assert "已设置 CONVVIZ_DEVICE=gpu，但NVIDIA 驱动未能初始化（cuInit 错误 100）" in status
    assert english_left(reason, status) == []
    note = gpu_note_html("off", has_gpu=False)
    assert reason_text(reason) in note and english_left(reason, note) == []


def test_a_lane_whose_backend_stood_aside_says_why_in_chinese(zh, monkeypatch):
    """The engine's refusal (a backend not available) reaches a lane as a reason: its
    warning reads in Chinese, the device choice's sentence inside it too."""
    import numpy as np

    from convviz import backends, engine
    from convviz.backends.base import Backend
    from convviz.core.spec import prepare
    from convviz.gui.widgets import lane_text as lane_words

    off = Reason("mode_off")

    class Absent(Backend):
        name, label, kind = "absent-gpu", "absent", "gpu"

        def _availability(self):
            return False, off

    be = Absent()
    monkeypatch.setitem(backends._REGISTRY, be.name, ("", ""))
    monkeypatch.setitem(backends._instances, be.name, be)
    prep = prepare(np.ones((6, 6), np.float32), np.ones((3, 3), np.float32))
    lane = engine.run(engine.Request(prep, be.name, repeats=1, fallback="cpu"))
    assert lane.backend == "cpu" and str(lane.fallback) == f"not available: {off}"
    warning = [line for line in lane_words.lines(lane) if line.kind == "warning"]
    assert len(warning) == 1
    assert reason_text(Reason("not_available", off)) in warning[0].text
    assert "not available" not in warning[0].text and "CUDA turned off" not in warning[0].text
