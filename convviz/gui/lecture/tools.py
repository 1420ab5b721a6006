"""The main window's lecture tools: export of the animation, copy as code, the
light/dark theme and the language, switched live.

:class:`LectureTools` holds the export and code dialogs and turns the window's texts
over when the language changes; :class:`~convviz.gui.main_window.MainWindow` keeps
its public methods (``export_animation``, ``copy_as_code``, ``set_theme``,
``set_language``, ``retranslate``) and hands them on. The texts keep the window's
translation context (``MainWindow``), where the ``.ts`` file has them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from convviz.gui import appearance, i18n
from convviz.gui.lesson.runs import device_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class LectureTools(QObject):
    """For ``window`` (a :class:`MainWindow`): applies the saved theme and shows the
    saved choices in the View menu, so it is made after ``appearance`` and
    ``view_menu``. It reads the window's views, menus, ``runs``, ``image_mode`` and
    ``bench_window``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.export_dialog = None
        self.code_dialog = None
        window.appearance.apply(appearance.saved_choice(), on_change=self._on_theme_changed)
        window.view_menu.show_choices(window.appearance.choice, self.language_choice())

    # -- export and code ----------------------------------------------------------------
    def export_animation(self):
        """File → Export animation…: the dialog (one at a time); returns it."""
        from convviz.gui.lecture.export_dialog import ExportDialog

        w = self.window
        w.playback.pause()
        if self.export_dialog is not None and self.export_dialog.busy:
            self.export_dialog.raise_()
            return self.export_dialog
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        self.export_dialog = ExportDialog(w)
        self.export_dialog.sigExported.connect(
            lambda path, n: w.statusBar().showMessage(
                _tr("Exported {0} frames to {1}").format(n, path), 10_000
            )
        )
        self.export_dialog.show()
        return self.export_dialog

    def copy_as_code(self, kind: str):
        """Edit → Copy as PyTorch / scipy: the clipboard and a dialog; returns the dialog."""
        from convviz.gui.lecture.code_dialog import copy_as_code

        if self.code_dialog is not None:
            self.code_dialog.close()
            self.code_dialog.deleteLater()
        self.code_dialog = copy_as_code(self.window, kind)
        self.window.statusBar().showMessage(_tr("Copied the code to the clipboard"), 5000)
        return self.code_dialog

    # -- theme --------------------------------------------------------------------------
    def set_theme(self, choice: str) -> None:
        """View → Theme: follow the system, light or dark (remembered)."""
        w = self.window
        w.appearance.apply(choice)
        appearance.save_choice(choice)
        w.view_menu.show_choices(w.appearance.choice, self.language_choice())

    def _on_theme_changed(self) -> None:
        w = self.window
        w.lanes.refresh_theme()
        w.image_mode.strip.refresh_theme()

    # -- language -----------------------------------------------------------------------
    @staticmethod
    def language_choice() -> str:
        return i18n.saved_choice()

    def set_language(self, choice: str) -> None:
        """View → Language: follow the system, English or 简体中文, switched live."""
        old = i18n.translator()
        before = i18n.current()
        language = i18n.install(choice)
        i18n.save_choice(choice)
        if language != before:
            self.window.retranslate(old, i18n.translator())
        self.window.view_menu.show_choices(self.window.appearance.choice, choice)

    def retranslate(self, old=None, new=None) -> None:
        """Every text in the language now installed; the lesson and results stay as they are.

        Fixed texts are turned over by :func:`i18n.retranslate_tree`; texts made from
        the state (titles with sizes, timings, notes) are drawn again by their owners.
        """
        w = self.window
        i18n.retranslate_tree(w, old, new)
        w.setWindowTitle(w.title_text())
        w.file_menu.retranslate()
        w.device_label.setText(device_text())
        self._redraw_lesson_texts()
        w.lanes.retranslate()
        w.runs.retranslate()
        w.image_mode.retranslate()
        for dialog in (self.export_dialog, self.code_dialog):
            if dialog is not None:
                i18n.retranslate_tree(dialog, old, new)
        if w.bench_window is not None:
            w.bench_window.retranslate()

    def _redraw_lesson_texts(self) -> None:
        """The lesson's views format their titles and formulas from the lesson: redraw."""
        w = self.window
        for widget in (w.lesson_view, w.playback_bar, w.controls):
            again = getattr(widget, "retranslate", None)
            if again is not None:
                again()
        if getattr(w.lesson_view, "retranslate", None) is None:
            lv = w.lesson_view
            lv.set_channel(lv.channel, lv.channel_names, lv.input_note)
        bar = w.playback_bar
        if getattr(bar, "retranslate", None) is None:
            for name, arg in (
                ("_on_position_changed", w.model.pos),
                ("_on_playing_changed", w.playback.playing),
                ("_on_speed_changed", w.playback.speed),
            ):
                handler = getattr(bar, name, None)
                if handler is not None:
                    handler(arg)
