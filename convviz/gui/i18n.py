"""Languages: English (the source strings) and Simplified Chinese.

Every visible string goes through Qt's translation tools: ``self.tr()`` or
``QCoreApplication.translate()`` in the code, ``convviz/gui/i18n/convviz_zh_CN.ts``
in the repository (made with ``pyside6-lupdate``, edited with Qt Linguist or by
hand). The ``.ts`` is read at the first run of a language by :class:`TsTranslator`
(an ``xml.etree`` parse, a few milliseconds), so neither ``lrelease`` nor a
compiled ``.qm`` is needed. Qt's own strings (dialog buttons, the file dialog)
come from Qt's bundled ``qtbase_zh_CN.qm`` when it is installed.

The language follows the system locale unless the user chose one
(View → Language, kept with QSettings). Switching is live: :func:`retranslate_tree`
turns the texts a window shows from one language to the other, from their source
texts (each widget remembers the source of what it shows, so a round trip gives back
exactly what was there), and the window redraws what it formats itself.

Usage: ``lupdate`` names the context of a module-level helper ``tr("…")`` as the
empty context, while the code asks with the helper's context name; the lookup
therefore falls back to the source text alone when the (context, source) pair
is not in the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from convviz.gui import files

#: the user's choice: follow the system, or one of the languages
CHOICES = ("system", "en", "zh_CN")
LANGUAGES = ("en", "zh_CN")
SETTINGS_KEY = "language"
FOLDER = Path(__file__).with_name("i18n")


def ts_path(language: str) -> Path:
    return FOLDER / f"convviz_{language}.ts"


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """{(context, source): translation} of the finished translations in a ``.ts`` file."""
    table: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source")
            tr_el = msg.find("translation")
            if source is None or tr_el is None:
                continue
            if tr_el.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            numerus = tr_el.findall("numerusform")
            text = numerus[0].text if numerus else tr_el.text
            if text:
                table[(name, source)] = text
    return table


class TsTranslator(QTranslator):
    """A QTranslator over a ``.ts`` file parsed in Python (no ``.qm`` compile step)."""

    def __init__(self, path: Path, language: str, parent=None):
        super().__init__(parent)
        self.path, self._language = Path(path), language
        self.table = read_ts(self.path)
        self.by_source: dict[str, str] = {}
        for (_ctx, source), text in self.table.items():
            self.by_source.setdefault(source, text)
        # translated text -> source, to turn a shown text back (live switching)
        self.reverse = {text: source for (_c, source), text in self.table.items()}

    def translate(self, context, source_text, disambiguation=None, n=-1):
        # None is Qt's null string, "not translated here": Qt then shows the source
        # (an empty string would be taken for a translation that is empty)
        if not source_text:
            return None
        text = self.table.get((context or "", source_text))
        if text is None:
            text = self.by_source.get(source_text)
        return text

    def isEmpty(self) -> bool:
        return not self.table

    def language(self) -> str:
        return self._language


# -- the language in use --------------------------------------------------------
_state: dict = {"language": "en", "translator": None, "qt": None}


def system_language() -> str:
    """zh_CN when the system locale is Chinese (any script: the Simplified text is the
    closest we have), else English."""
    loc = QLocale.system()
    if loc.language() == QLocale.Language.Chinese:
        return "zh_CN"
    # LANGUAGE=zh_CN:en with LANG=C: Qt's system locale is C, its uiLanguages knows
    if any(lang.lower().startswith("zh") for lang in loc.uiLanguages()[:1]):
        return "zh_CN"
    return "en"


def resolve(choice: str) -> str:
    return system_language() if choice == "system" else choice


def saved_choice() -> str:
    return files.saved_choice(SETTINGS_KEY, CHOICES)


def save_choice(choice: str) -> None:
    files.save_choice(SETTINGS_KEY, choice)


def current() -> str:
    """The language the app's strings are in now: ``"en"`` or ``"zh_CN"``."""
    return _state["language"]


def translator() -> TsTranslator | None:
    return _state["translator"]


def install(language: str) -> str:
    """Put ``language`` (``"en"``, ``"zh_CN"`` or ``"system"``) in use app-wide.

    Returns the language now in use. Installing a translator makes Qt send every
    widget a LanguageChange event; windows that format their own texts redraw them.
    """
    language = resolve(language)
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    app = QCoreApplication.instance()
    for key in ("translator", "qt"):
        old = _state[key]
        if old is not None and app is not None:
            app.removeTranslator(old)
        _state[key] = None
    if language != "en" and app is not None:
        t = TsTranslator(ts_path(language), language)
        app.installTranslator(t)
        _state["translator"] = t
        qt = QTranslator()
        folder = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", folder):
            app.installTranslator(qt)
            _state["qt"] = qt
    _state["language"] = language
    return language


# -- live switching -----------------------------------------------------------------
def _source(text: str, old: TsTranslator | None) -> str:
    """The source (English) of a text shown in ``old``'s language: a guess from the
    shown text, used only where the widget does not remember its source."""
    head, sep, tail = text.partition("\t")  # "Presentation mode\tP": the key stays
    return (old.reverse.get(head, head) if old is not None else head) + sep + tail


def _render(source: str, new: TsTranslator | None) -> str:
    """A source text in ``new``'s language (the source itself where it has none)."""
    head, sep, tail = source.partition("\t")
    shown = new.by_source.get(head, head) if new is not None else head
    return shown + sep + tail


def _turn(obj: QtCore.QObject, key: str, text: str, old, new) -> str:
    """``text`` (``obj``'s ``key`` text) in the new language, from its source.

    The source is remembered on ``obj`` with what was shown, so switching back and
    forth goes through the source every time: two sources that share a translation
    ("Channel", "Channels") come back as they were. A text the code changed since the
    last switch is read afresh."""
    if not text:
        return text
    source, shown = obj.property("i18n_source_" + key), obj.property("i18n_shown_" + key)
    if not isinstance(source, str) or shown != text:
        source = _source(text, old)
    result = _render(source, new)
    obj.setProperty("i18n_source_" + key, source)
    obj.setProperty("i18n_shown_" + key, result)
    return result


def retranslate_tree(
    root: QtWidgets.QWidget, old: TsTranslator | None, new: TsTranslator | None
) -> None:
    """Turn every fixed text under ``root`` from ``old``'s language to ``new``'s.

    Labels, buttons, group boxes, combo box items, menus and actions, tool tips,
    placeholders, window titles. Texts a widget formats from its state (with
    numbers, names) are not in the tables: their owners redraw them.
    """

    widgets = [root] + root.findChildren(QtWidgets.QWidget)
    for w in widgets:

        def conv(text: str, key: str, w=w) -> str:
            return _turn(w, key, text, old, new)

        if w.isWindow():
            w.setWindowTitle(conv(w.windowTitle(), "title"))
        if w.toolTip():
            w.setToolTip(conv(w.toolTip(), "tip"))
        if isinstance(w, QtWidgets.QLabel):
            w.setText(conv(w.text(), "text"))
        elif isinstance(w, QtWidgets.QAbstractButton):
            w.setText(conv(w.text(), "text"))
        elif isinstance(w, QtWidgets.QGroupBox):
            w.setTitle(conv(w.title(), "text"))
        elif isinstance(w, QtWidgets.QComboBox):
            blocked = w.blockSignals(True)
            for i in range(w.count()):
                w.setItemText(i, conv(w.itemText(i), f"item{i}"))
            w.blockSignals(blocked)
        elif isinstance(w, QtWidgets.QMenu):
            w.setTitle(conv(w.title(), "text"))
        elif isinstance(w, QtWidgets.QLineEdit) and w.placeholderText():
            w.setPlaceholderText(conv(w.placeholderText(), "placeholder"))
        elif isinstance(w, QtWidgets.QAbstractSpinBox) and w.specialValueText():
            w.setSpecialValueText(conv(w.specialValueText(), "special"))
    for a in root.findChildren(QtGui.QAction):
        tip = a.toolTip()
        own_tip = tip and tip != a.text().replace("&", "").split("\t")[0].rstrip("….")
        if a.text():
            a.setText(_turn(a, "text", a.text(), old, new))
        if own_tip:
            a.setToolTip(_turn(a, "tip", tip, old, new))
        if a.statusTip():
            a.setStatusTip(_turn(a, "status", a.statusTip(), old, new))
