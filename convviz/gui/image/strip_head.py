"""The image strip's head: Run both, its progress and note, and how the results show
(beside the button, or under it where the row is too short: never squeezed)."""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSizePolicy

from convviz.gui import theme
from convviz.gui.widgets.tip_label import TipLabel
from convviz.gui.widgets.wrap_row import WrapRow, fit_progress


class StripHead(WrapRow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.run_button = QtWidgets.QPushButton(
            QCoreApplication.translate("ImageStrip", "⚡ Run both on the whole image")
        )
        self.run_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.run_button.setFont(theme.font(17, bold=True))
        self.run_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.run_button.setToolTip(
            QCoreApplication.translate(
                "ImageStrip",
                "Time the sequential CPU loop and the parallel lane on the whole image (R)",
            )
        )
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFixedWidth(200)
        self.progress.hide()
        self.cancel_button = QtWidgets.QPushButton(
            QCoreApplication.translate("ImageStrip", "Cancel")
        )
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.hide()
        self.note = TipLabel()  # cut where the row is short, whole on hover
        self.note.setFont(theme.font(14))
        # a long note must not widen the window: it is cut, the status bar has room
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.mode = QtWidgets.QComboBox()
        self.mode.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode.setMinimumContentsLength(16)
        self.mode.setToolTip(
            QCoreApplication.translate(
                "ImageStrip",
                "signed: diverging colours, 0 in the middle, ±L; "
                "absolute: |v| in grey, 0…L; clipped: the input's "
                "range in grey. L is the 99th percentile of |v|: a few "
                "larger values saturate.",
            )
        )
        self.mode.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.channel = QtWidgets.QComboBox()
        self.channel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.channel_label = QtWidgets.QLabel(QCoreApplication.translate("ImageStrip", "Channel"))
        head = self.row
        head.addWidget(self.run_button)
        head.addWidget(self.progress)
        head.addWidget(self.cancel_button)
        head.addWidget(self.note, 1)
        self.show_part = QtWidgets.QWidget()
        show = QtWidgets.QHBoxLayout(self.show_part)
        show.setContentsMargins(0, 0, 0, 0)
        show.addWidget(QtWidgets.QLabel(QCoreApplication.translate("ImageStrip", "Show results")))
        show.addWidget(self.mode)
        show.addWidget(self.channel_label)
        show.addWidget(self.channel)
        self.set_tail(self.show_part)
        self.second_row.addStretch(1)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
        running = QCoreApplication.translate("ImageStrip", "running on the whole image…")
        if busy:
            self.progress.setRange(0, 0)
            self.progress.setFormat("")
            self.note.setText(running)
        elif self.note.text() == running:
            self.note.setText("")  # nothing runs now: nothing says so

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        fit_progress(
            self.progress,
            QCoreApplication.translate("ImageStrip", "{0}: %v / %m cells").format(stage),
            total,
            200,
        )
