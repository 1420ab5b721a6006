"""The main window's status bar: a message on the left and the CUDA device line.

Qt draws the status bar's own messages (``showMessage``) only where no permanent
widget is, and the device line takes the whole bar: the message is shown in a label
of its own, left of the device.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QObject

from convviz.core import device
from convviz.gui import theme
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.lane_text import reason_text


def cuda_status_text() -> str:
    """What the status bar says about CUDA (before anything heavy is imported)."""
    choice = device.choose()
    translate = QCoreApplication.translate
    if choice.mode == "gpu":
        text = translate("MainWindow", "CUDA device: NVIDIA GPU — {0}")
    elif choice.mode == "sim":
        text = translate("MainWindow", "No NVIDIA GPU: {0}")
    else:
        text = translate("MainWindow", "CUDA unavailable: {0}")
    return text.format(reason_text(choice.reason))


class StatusLine(QObject):
    """``bar``'s message (``note``, bold) and the device line (``device``)."""

    def __init__(self, bar: QtWidgets.QStatusBar):
        super().__init__(bar)
        self.bar = bar
        self.device = FitLabel(cuda_status_text(), lines=1)  # "…", the whole on hover
        self.device.setFont(theme.font(15))
        # a long device line is cut at the window's edge rather than widening the window
        self.device.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )
        self.note = QtWidgets.QLabel()
        self.note.setObjectName("statusNote")
        self.note.setFont(theme.font(15, bold=True))
        self.note.hide()
        bar.addPermanentWidget(self.note)
        bar.addPermanentWidget(self.device, 1)
        bar.messageChanged.connect(self._on_message)

    def show(self, text: str, ms: int = 0) -> None:
        """A message for ``ms`` milliseconds (0: until the next one)."""
        self.bar.showMessage(text, ms)

    def reset_device(self) -> None:
        """The device line as at start, without where a run ran."""
        self.device.setText(cuda_status_text())

    def _on_message(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
