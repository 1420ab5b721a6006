"""The lecture tools: export of the animation, copy as code, the light/dark theme and
the language, switched live.

:class:`LectureTools` holds the export and code dialogs and the theme and language
choices; what changes with them is said with signals, and the window redraws its
own texts (``MainWindow.retranslate``). The texts keep the window's translation
context (``MainWindow``), where the ``.ts`` file has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QObject, Signal

from convviz.gui import appearance, i18n
from convviz.gui.appearance import Appearance
from convviz.gui.files import Dialogs
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.menus import ViewMenu

if TYPE_CHECKING:  # the dialogs are imported when first opened
    from convviz.gui.lecture.code_dialog import CodeDialog
    from convviz.gui.lecture.export_dialog import ExportDialog


class ShownImage(Protocol):
    """What the tools read of the image mode (a screen beside this one, handed in):
    whether it is on screen, and its model's convolution."""

    active: bool
    model: Any


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class LectureTools(QObject):
    """Applies the saved theme to ``look`` and shows the saved choices in ``view_menu``;
    exports ``model``'s animation and copies the convolution on screen (``image_mode``'s
    when it is active) as code, in dialogs over ``parent``."""

    #: a status-bar message and how long it stays (ms)
    sigStatus = Signal(str, int)
    #: the language changed: (the translator before, the one now installed)
    sigLanguageChanged = Signal(object, object)
    #: the theme's colours changed (views that cache colours redraw)
    sigThemeChanged = Signal()

    def __init__(
        self,
        look: Appearance,
        view_menu: ViewMenu,
        model: LessonModel,
        image_mode: ShownImage,
        playback: Playback,
        dialogs: Dialogs,
        parent: QtWidgets.QWidget,
    ):
        super().__init__(parent)
        self.look, self.view_menu = look, view_menu
        self.model, self.image_mode, self.playback = model, image_mode, playback
        self.dialogs = dialogs
        self.export_dialog: ExportDialog | None = None
        self.code_dialog: CodeDialog | None = None
        look.apply(appearance.saved_choice(), on_change=self.sigThemeChanged.emit)
        view_menu.show_choices(look.choice, self.language_choice())

    def _parent_widget(self) -> QtWidgets.QWidget:
        parent = self.parent()
        assert isinstance(parent, QtWidgets.QWidget)
        return parent

    # -- export and code ----------------------------------------------------------------
    def export_animation(self) -> ExportDialog:
        """File → Export animation…: the dialog (one at a time); returns it."""
        from convviz.gui.lecture.export_dialog import ExportDialog

        self.playback.pause()
        if self.export_dialog is not None and self.export_dialog.busy:
            self.export_dialog.raise_()
            return self.export_dialog
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        self.export_dialog = ExportDialog(
            self.model, self.dialogs.ask_yes_no, self._parent_widget()
        )
        self.export_dialog.sigExported.connect(
            lambda path, n: self.sigStatus.emit(
                _tr("Exported {0} frames to {1}").format(n, path), 10_000
            )
        )
        self.export_dialog.show()
        return self.export_dialog

    def copy_as_code(self, kind: str) -> CodeDialog:
        """Edit → Copy as PyTorch / scipy: the clipboard and a dialog; returns the dialog."""
        from convviz.gui.lecture.code_dialog import copy_as_code, current_arrays

        if self.code_dialog is not None:
            self.code_dialog.close()
            self.code_dialog.deleteLater()
        arrays = current_arrays(self.image_mode, self.model)
        self.code_dialog = copy_as_code(arrays, kind, self._parent_widget())
        self.sigStatus.emit(_tr("Copied the code to the clipboard"), 5000)
        return self.code_dialog

    def dialogs_open(self) -> list[QtWidgets.QDialog]:
        return [d for d in (self.export_dialog, self.code_dialog) if d is not None]

    # -- theme --------------------------------------------------------------------------
    def set_theme(self, choice: str) -> None:
        """View → Theme: follow the system, light or dark (remembered)."""
        self.look.apply(choice)
        appearance.save_choice(choice)
        self.view_menu.show_choices(self.look.choice, self.language_choice())

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
            self.sigLanguageChanged.emit(old, i18n.translator())
        self.view_menu.show_choices(self.look.choice, choice)
