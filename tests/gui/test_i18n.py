"""English and Simplified Chinese: the .ts is complete, the window has no English left
under zh_CN, and switching is live without losing the lesson."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QLocale

from convviz.core import device, sysinfo
from convviz.gui import i18n
from tests.gui.test_bench_view import gpu_doc

#: names, code and units that stay as they are in a Chinese UI
ALLOWED = {
    "convviz",
    "cuda",
    "gpu",
    "gpus",
    "cpu",
    "nvidia",
    "numba",
    "pytorch",
    "numpy",
    "scipy",
    "signal",
    "sobel",
    "scharr",
    "png",
    "jpeg",
    "jpg",
    "tiff",
    "tif",
    "gif",
    "apng",
    "mp4",
    "npy",
    "txt",
    "bmp",
    "webp",
    "pgm",
    "ppm",
    "pnm",
    "json",
    "csv",
    "blockidx",
    "threadidx",
    "max",
    "min",
    "fps",
    "rgb",
    "float32",
    "sigma",
    "pillow",
    "imageio",
    "ffmpeg",
    "english",
    "libcuda",
    "pip",
    "export",
    "groups",
    "out",
    "h_out",
    "w_out",
    "floor",
    "home",
    "end",
    "pageup",
    "pagedown",
    "esc",
    "space",
    "ctrl",
    "shift",
    # PyTorch's names of the padding modes and paddings (the code's own words)
    "zeros",
    "reflect",
    "replicate",
    "circular",
    "same",
    "valid",
    "mirror",
    "nearest",
    "wrap",
    "edge",
    "symmetric",
    "constant",
}
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


@pytest.fixture
def chinese(qtbot):
    """The app in Chinese for one test; English again afterwards, whatever happens."""
    i18n.install("zh_CN")
    yield
    i18n.install("en")
    assert QCoreApplication.translate("FileMenu", "&File") == "&File"


def _texts(window) -> list[tuple[str, str]]:
    """(where, text) of every string the window can show (hidden parts included)."""
    out = [("window title", window.windowTitle())]
    for w in [window] + window.findChildren(QtWidgets.QWidget):
        name = f"{type(w).__name__}({w.objectName()})"
        if w.toolTip():
            out.append((name + " tooltip", w.toolTip()))
        if isinstance(w, QtWidgets.QLabel):
            out.append((name, w.text()))
        elif isinstance(w, QtWidgets.QAbstractButton):
            out.append((name, w.text()))
        elif isinstance(w, QtWidgets.QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QtWidgets.QComboBox):
            out += [(name + " item", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QMenu):
            out.append((name, w.title()))
        elif isinstance(w, QtWidgets.QLineEdit):
            out.append((name + " placeholder", w.placeholderText()))
    for a in window.findChildren(QtGui.QAction):
        out.append(("action", a.text()))
    return [(where, t) for where, t in out if t]


def _english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]*>", " ", text)  # rich text: tags are not shown
    text = html.unescape(text).replace("&", "")
    text = re.sub(r"\S+\.(png|npy|jpg|tif|gif)\b", " ", text)  # file names
    text = re.sub(r"\b[a-z]+-[a-z-]+\b", " ", text)  # preset and backend names: sobel-x
    text = re.sub(r"\b[a-z]+(\.[a-z_]+)+\b", " ", text)  # code: numpy.pad, scipy.ndimage
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


def _untranslated(window) -> list[str]:
    # names of this machine's processors are proper names
    names = [
        device.choose().reason,
        sysinfo.cpu_model(),
        "NVIDIA TEST GPU",
    ]  # the recorded benchmark's GPU (tests/gui/test_bench_view.py)
    found = []
    for where, text in _texts(window):
        for name in names:
            text = text.replace(name, "")
        words = _english_words(text)
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return found


def test_the_translation_file_is_complete():
    path = i18n.ts_path("zh_CN")
    root = ET.parse(path).getroot()
    assert root.get("language") == "zh_CN"
    unfinished = [
        m.findtext("source")
        for m in root.iter("message")
        if m.find("translation").get("type") == "unfinished"
        or not (m.find("translation").text or "").strip()
    ]
    assert not unfinished
    table = i18n.read_ts(path)
    assert len(table) > 200
    for (_ctx, source), text in table.items():
        # every placeholder of the source is in the translation
        assert sorted(re.findall(r"\{[^}]*\}", source)) == sorted(re.findall(r"\{[^}]*\}", text)), (
            source
        )


def test_the_chinese_window_shows_no_english(chinese, qtbot, tmp_path):
    from convviz.gui.app import create_window

    win = create_window(warm_up=False)
    qtbot.addWidget(win)
    try:
        assert win.file_menu.menu.title() == "文件(&F)"
        win.model.seek(5)  # the formula and the position line are drawn from the state
        found = _untranslated(win)
        assert not found, "untranslated:\n" + "\n".join(found)
        # the input patterns: shown in Chinese, the core's names kept as item data
        pattern = win.controls.pattern
        assert pattern.itemText(pattern.findData("checkerboard")) == "棋盘格"
        # the channel lesson, part-way through a cell's channels (the sums table)
        win.controls.channel_demo.click()
        m = win.model
        m.seek_tick(m.stepper.index_of(1, 1, 2) * m.n_stages + 1)
        found = _untranslated(win)
        assert not found, "untranslated in the channel lesson:\n" + "\n".join(found)
        m.seek_tick(m.stepper.index_of(1, 1, 2) * m.n_stages + m.n_stages - 1)  # + bias
        found = _untranslated(win)
        assert not found, "untranslated at the bias:\n" + "\n".join(found)
        # the benchmark window (a child of the main window), with a recorded GPU benchmark
        bench = win.open_benchmark()
        found = _untranslated(win)
        assert not found, "untranslated in the benchmark window:\n" + "\n".join(found)
        path = tmp_path / "gpu.json"
        path.write_text(json.dumps(gpu_doc()))
        assert bench.open_json(path)
        found = _untranslated(win)
        assert not found, "untranslated with a recorded benchmark:\n" + "\n".join(found)
        win.controls.single_demo.click()
        # the image mode's panels, drawn from an opened image, too
        from convviz.core.images import sample_paths

        win.open_image(sample_paths()[0])
        qtbot.waitUntil(lambda: win.image_mode.last_result is not None, timeout=60_000)
        found = _untranslated(win)
        assert not found, "untranslated in the image mode:\n" + "\n".join(found)
    finally:
        win.close()


def test_switching_language_is_live_and_keeps_the_lesson(window, qtbot):
    m = window.model
    m.set_kernel_text("1 2 3; 4 5 6; 7 8 9")
    m.seek(7)
    kernel = m.lesson.w.copy()
    assert window.file_menu.menu.title() == "&File"
    bench = window.open_benchmark()  # open: its texts switch too
    assert "the current kernel" in bench.kernel_label.text()
    try:
        window.view_menu.language_actions["zh_CN"].trigger()
        assert i18n.current() == "zh_CN" and i18n.saved_choice() == "zh_CN"
        assert window.file_menu.menu.title() == "文件(&F)"
        assert window.lanes.run_button.text() == "⚡ 并行运行"
        assert window.windowTitle().startswith("convviz — 卷积")
        assert window.view_menu.language_actions["zh_CN"].isChecked()
        assert not _untranslated(window), _untranslated(window)
        assert bench.windowTitle().startswith("convviz — 基准")
        # the lesson, its kernel and position are as they were
        assert m.pos == 7 and (m.lesson.w == kernel).all()
        window.lecture.set_language("en")
        assert window.file_menu.menu.title() == "&File"
        assert window.lanes.run_button.text() == "⚡ Run in parallel"
        assert window.windowTitle().startswith("convviz — convolution")
        assert "the current kernel" in bench.kernel_label.text()
        assert m.pos == 7 and (m.lesson.w == kernel).all()
    finally:
        i18n.install("en")


def test_the_language_follows_the_system_locale(monkeypatch):
    class Chinese(QLocale):
        @staticmethod
        def system():
            return QLocale(QLocale.Chinese, QLocale.China)

    class French(QLocale):
        @staticmethod
        def system():
            return QLocale(QLocale.French, QLocale.France)

    monkeypatch.setattr(i18n, "QLocale", Chinese)
    assert i18n.resolve("system") == "zh_CN"
    monkeypatch.setattr(i18n, "QLocale", French)
    assert i18n.resolve("system") == "en"
    assert i18n.resolve("zh_CN") == "zh_CN"


def test_a_module_helper_finds_its_translation_by_source(chinese):
    # lupdate files a module-level tr("…") helper's strings under the empty context
    assert QCoreApplication.translate("Lanes", "identical") == "完全相同"
    assert QCoreApplication.translate("NoSuchContext", "no such text") == "no such text"


# -- the .ts is what the one command makes ------------------------------------------------
def _update_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_translations_are_what_the_update_command_makes():
    """`python scripts/update_translations.py` run on the committed file changes nothing:
    no text the code asks for is missing, none it no longer asks for is left."""
    script = _update_script()
    assert [p.name for p in script.ts_files()] == ["convviz_zh_CN.ts"]
    assert script.differences(i18n.ts_path("zh_CN")) == []


def test_the_check_names_a_missing_and_an_obsolete_entry(tmp_path):
    script = _update_script()
    text = i18n.ts_path("zh_CN").read_text(encoding="utf-8")
    message = "    <message>\n        <source>cuda kernel only</source>\n"
    assert message in text
    start = text.index(message)
    end = text.index("</message>\n", start) + len("</message>\n")
    planted = text[:start] + text[end:]  # a text the code asks for, gone
    planted = planted.replace(
        "</TS>",
        "<context>\n    <name>Gone</name>\n    <message>\n        <source>no code asks for"
        " this</source>\n        <translation>无</translation>\n    </message>\n</context>\n</TS>",
    )
    ts = tmp_path / "convviz_zh_CN.ts"
    ts.write_text(planted, encoding="utf-8")
    found = script.differences(ts)
    assert found == [
        "missing: '' 'cuda kernel only'",
        "obsolete: 'Gone' 'no code asks for this'",
    ]
