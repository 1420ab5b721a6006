"""The side panel of the image mode: the file, colour, kernel, geometry, save.

View → model through the :class:`ImageModel` setters; the model's signals
bring the panel back in line (with the panel's signals blocked).
"""

from __future__ import annotations

import html
from contextlib import ExitStack
from pathlib import Path

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QSignalBlocker, Qt, Signal

from convviz.core.images import sample_paths
from convviz.core.spec import NUMPY_MODE, PADDING_MODES
from convviz.gui import theme
from convviz.gui.image.kernel_editor import KernelEditor
from convviz.gui.image.model import PADDINGS, ImageModel, channel_names
from convviz.gui.image.views import image_summary, note_text
from convviz.gui.widgets.checked_spin import CheckedSpinBox, RefusalLabel

#: the most a file name takes in the side panel (the panel is about 320 px wide)
FILE_NAME_PX = 280


class ImagePanel(QtWidgets.QWidget):
    sigOpenRequested = Signal()
    sigOpenPath = Signal(object)  # a Path: a bundled sample
    sigLessonRequested = Signal()
    sigSaveRequested = Signal()

    def __init__(self, model: ImageModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.setFont(theme.font(15))
        # the file
        self.file_label = QtWidgets.QLabel(self.tr("No image open"))
        self.file_label.setObjectName("imageSummary")
        self.file_label.setWordWrap(True)
        self.file_label.setTextFormat(Qt.TextFormat.RichText)
        self.open_button = QtWidgets.QPushButton(self.tr("Open image…"))
        self.samples = QtWidgets.QComboBox()
        self.samples.addItem(self.tr("Open a bundled sample…"), None)
        for p in sample_paths():
            self.samples.addItem(p.name, str(p))
        self.lesson_button = QtWidgets.QPushButton(self.tr("◀ Back to the lesson demo"))
        # colour
        self.per_channel = QtWidgets.QRadioButton(self.tr("Each channel alone"))
        self.per_channel.setToolTip(
            self.tr(
                "Every channel filtered with the same kernel, groups = C: what an image editor does"
            )
        )
        self.layer = QtWidgets.QRadioButton(self.tr("Deep-learning layer"))
        self.layer.setToolTip(
            self.tr(
                "One output channel: the C input channels, each "
                "multiplied by the kernel, summed (kernel 1×C×kh×kw)"
            )
        )
        self.per_channel.setChecked(True)
        self.colour_note = QtWidgets.QLabel()
        self.colour_note.setWordWrap(True)
        self.anim_channel = QtWidgets.QComboBox()
        self.anim_channel.setToolTip(self.tr("The channel the step-by-step lesson shows"))
        # kernel
        self.kernel_editor = KernelEditor()
        # geometry
        self.padding = QtWidgets.QComboBox()
        self.padding.addItem(self.tr("same (output = input size)"), "same")
        self.padding.addItem(self.tr("valid (no padding)"), "valid")
        self.padding_mode = QtWidgets.QComboBox()
        for m in PADDING_MODES:
            self.padding_mode.addItem(m, m)
        self.padding_mode.setToolTip(
            self.tr("PyTorch names; numpy: {0}").format(
                ", ".join(f"{k} = {v}" for k, v in NUMPY_MODE.items())
            )
        )
        self.flip = QtWidgets.QComboBox()
        self.flip.addItem(self.tr("cross-correlation (as deep learning)"), False)
        self.flip.addItem(self.tr("convolution (kernel rotated 180°)"), True)
        self.dilation = CheckedSpinBox("Dilation", "ImagePanel")
        self.refusal = RefusalLabel()  # a typed value refused, until the next one taken
        self.refusal.watch(self.dilation)
        self.dilation.setRange(1, 4)
        self.dilation.setKeyboardTracking(False)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("imageError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.region_note = QtWidgets.QLabel()
        self.region_note.setObjectName("regionNote")
        self.region_note.setWordWrap(True)
        self.save_button = QtWidgets.QPushButton(self.tr("Save result…"))
        self.save_button.setEnabled(False)

        file_box = QtWidgets.QVBoxLayout()
        file_box.addWidget(self.file_label)
        file_box.addWidget(self.open_button)
        file_box.addWidget(self.samples)
        file_box.addWidget(self.lesson_button)
        colour = QtWidgets.QFormLayout()
        colour.addRow(self.per_channel)
        colour.addRow(self.layer)
        colour.addRow(self.colour_note)
        colour.addRow(self.tr("Lesson shows channel"), self.anim_channel)
        kernel = QtWidgets.QVBoxLayout()
        kernel.addWidget(self.kernel_editor)
        geo = QtWidgets.QFormLayout()
        geo.addRow(self.tr("Padding"), self.padding)
        geo.addRow(self.tr("Padding mode"), self.padding_mode)
        geo.addRow(self.flip)
        geo.addRow(self.tr("Dilation"), self.dilation)
        geo.addRow(self.error)
        geo.addRow(self.refusal)
        geo.addRow(self.region_note)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.colour_box = QtWidgets.QGroupBox(self.tr("Colour"))
        for box, inner in (
            (QtWidgets.QGroupBox(self.tr("Image")), file_box),
            (self.colour_box, colour),
            (QtWidgets.QGroupBox(self.tr("Kernel")), kernel),
            (QtWidgets.QGroupBox(self.tr("Geometry")), geo),
        ):
            box.setLayout(inner)
            lay.addWidget(box)
        lay.addWidget(self.save_button)
        lay.addStretch(1)
        for combo in self.findChildren(QtWidgets.QComboBox):
            # long items must not widen the panel: the list pops up as wide as it needs
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)

        self.open_button.clicked.connect(self.sigOpenRequested)
        self.samples.activated.connect(self._on_sample_chosen)
        self.lesson_button.clicked.connect(self.sigLessonRequested)
        self.save_button.clicked.connect(self.sigSaveRequested)
        self.per_channel.toggled.connect(self._on_colour_toggled)
        self.anim_channel.activated.connect(model.set_channel)
        self.kernel_editor.sigKernelChanged.connect(model.set_kernel)
        self.padding.activated.connect(
            lambda i: model.set_geometry(padding=self.padding.itemData(i))
        )
        self.padding_mode.activated.connect(
            lambda i: model.set_geometry(padding_mode=self.padding_mode.itemData(i))
        )
        self.flip.activated.connect(lambda i: model.set_geometry(flip=self.flip.itemData(i)))
        self.dilation.valueChanged.connect(lambda v: model.set_geometry(dilation=int(v)))
        model.sigImageChanged.connect(self._on_image_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        model.sigPrepChanged.connect(self._sync)

    # -- view → model -------------------------------------------------------------------
    def _on_sample_chosen(self, i: int) -> None:
        path = self.samples.itemData(i)
        with QSignalBlocker(self.samples):
            self.samples.setCurrentIndex(0)
        if path:
            self.sigOpenPath.emit(Path(path))

    def _on_colour_toggled(self, _checked: bool) -> None:
        self.model.set_color_mode("per-channel" if self.per_channel.isChecked() else "layer")

    # -- model → view -------------------------------------------------------------------
    def _on_image_changed(self) -> None:
        m = self.model
        info = m.info
        if info is None or m.path is None:
            return  # no image yet
        notes = "".join(f"<br>• {html.escape(note_text(n))}" for n in info.notes)
        alpha = ""
        if info.alpha != "none":
            alpha = (
                "<br><b>"
                + html.escape(
                    self.tr(
                        "Transparency dropped: every pixel keeps its stored colour, even fully "
                        "transparent ones."
                    )
                )
                + "</b>"
            )
        # a long file name is shortened in its middle (the whole path is the tool tip)
        bold = QtGui.QFontMetrics(theme.font(self.file_label.font().pixelSize(), bold=True))
        name = bold.elidedText(m.path.name, Qt.TextElideMode.ElideMiddle, FILE_NAME_PX)
        self.file_label.setText(
            f"<b>{html.escape(name)}</b><br>{html.escape(image_summary(info))}{alpha}{notes}"
        )
        self.file_label.setToolTip(str(m.path))
        with QSignalBlocker(self.anim_channel):
            self.anim_channel.clear()
            self.anim_channel.addItems(channel_names(m.channels))
        self.colour_box.setEnabled(m.channels > 1)
        self.save_button.setEnabled(True)
        self._sync()

    def _sync(self) -> None:
        m = self.model
        widgets = (
            self.per_channel,
            self.layer,
            self.anim_channel,
            self.padding,
            self.padding_mode,
            self.flip,
            self.dilation,
        )
        with ExitStack() as blocked:
            for widget in widgets:
                blocked.enter_context(QSignalBlocker(widget))
            self.per_channel.setChecked(m.color_mode == "per-channel")
            self.layer.setChecked(m.color_mode == "layer")
            self.anim_channel.setCurrentIndex(m.channel)
            self.padding.setCurrentIndex(PADDINGS.index(m.padding))
            self.padding_mode.setCurrentIndex(PADDING_MODES.index(m.padding_mode))
            self.flip.setCurrentIndex(1 if m.flip else 0)
            self.dilation.setValue(m.dilation)
        c = max(m.channels, 1)
        if c == 1:
            self.colour_note.setText(self.tr("A grey image: one channel, kernel 1×1×kh×kw."))
        elif m.color_mode == "layer":
            self.colour_note.setText(
                self.tr(
                    "{0} channels summed into 1 output channel: kernel 1×{0}×kh×kw, groups = 1"
                ).format(c)
            )
        else:
            self.colour_note.setText(
                self.tr("{0} channels filtered alone: kernel {0}×1×kh×kw, groups = {0}").format(c)
            )

    def _on_error_changed(self, message: str) -> None:
        pal = theme.palette()  # the theme's, as it is now
        self.error.setStyleSheet(f"color: {pal.on_error}; background: {pal.error}; padding: 4px")
        self.error.setText(
            self.tr("Invalid setting — {0}. The results show the last valid setting.").format(
                message
            )
            if message
            else ""
        )
        self.error.setVisible(bool(message))

    def retranslate(self) -> None:
        """The texts made from the image and the settings, in the language now installed."""
        self.padding_mode.setToolTip(
            self.tr("PyTorch names; numpy: {0}").format(
                ", ".join(f"{k} = {v}" for k, v in NUMPY_MODE.items())
            )
        )
        self.kernel_editor.retranslate()
        if self.model.loaded:
            self._on_image_changed()
        self._on_error_changed(self.model.error)

    def set_region_note(self, text: str) -> None:
        self.region_note.setText(text)
