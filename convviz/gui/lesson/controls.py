"""The parameter panel: input, channels, kernel, geometry. View → model through the setters.

Every edit calls a :class:`LessonModel` setter; the model's signals bring the
panel back in line (with the panel's signals blocked). When an edit ends
(Enter, a choice in a list, a button), ``sigEditingDone`` lets the window give
the keyboard back to the lesson so Space, arrows and PageUp/PageDown step again.
"""

from __future__ import annotations

from contextlib import ExitStack

from PySide6 import QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, Signal

from convviz.core.kernels import PRESETS
from convviz.core.lessons import MAX_CHANNELS, MAX_LESSON_SIDE, PATTERNS
from convviz.core.spec import PADDING_MODES, possible_groups
from convviz.gui import theme
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.text import padding_names
from convviz.gui.widgets.checked_spin import CheckedDoubleSpinBox, CheckedSpinBox, RefusalLabel

PADDINGS = ("0", "1", "2", "3", "4", "same", "valid")
#: marked for translation here, translated when the list is built
OPERATIONS = (
    QT_TRANSLATE_NOOP("Controls", "cross-correlation (deep learning)"),
    QT_TRANSLATE_NOOP("Controls", "convolution (kernel rotated 180°)"),
)
RANDOM = "random"  # the preset list's entry for different small-integer kernels
#: the input patterns as the list shows them (the item data keeps the core's name)
PATTERN_NAMES = {
    "random": QT_TRANSLATE_NOOP("Controls", "random"),
    "ramp": QT_TRANSLATE_NOOP("Controls", "ramp"),
    "checkerboard": QT_TRANSLATE_NOOP("Controls", "checkerboard"),
    "zeros": QT_TRANSLATE_NOOP("Controls", "all zeros"),
}


def _spin(lo: int, hi: int, value: int, step: int = 1, name: str = "") -> CheckedSpinBox:
    """A spin box that refuses an out-of-range number out loud, naming field ``name``."""
    s = CheckedSpinBox(name, "Controls")
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setValue(value)
    s.setKeyboardTracking(False)  # typing "12" is one change, not "1" then "12"
    return s


class Controls(QtWidgets.QWidget):
    sigEditingDone = Signal()
    sigCellValueEdited = Signal(str, int, int, float)  # view, row, column, value

    def __init__(self, model: LessonModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.setFont(theme.font(16))
        self.setMaximumWidth(320)  # the side panel is 330 wide: wrap, never scroll sideways
        lesson = model.lesson
        _, h, w = lesson.x.shape
        # input
        self.rows = _spin(1, MAX_LESSON_SIDE, h, name="Rows")
        self.cols = _spin(1, MAX_LESSON_SIDE, w, name="Columns")
        self.pattern = QtWidgets.QComboBox()
        for p in PATTERNS:
            self.pattern.addItem(
                QCoreApplication.translate("Controls", str(PATTERN_NAMES.get(p, p))), p
            )
        self.reroll = QtWidgets.QPushButton(self.tr("New random"))
        self.cell_label = QtWidgets.QLabel(self.tr("click a cell of the input or kernel"))
        self.cell_label.setWordWrap(True)
        self.cell_value = CheckedDoubleSpinBox("Cell value", "Controls")
        self.cell_value.setRange(-999, 999)
        self.cell_value.setDecimals(2)
        self.cell_value.setKeyboardTracking(False)
        self.cell_value.setEnabled(False)
        self._cell: tuple[str, int, int] | None = None
        # channels
        self.c_in = _spin(1, MAX_CHANNELS, lesson.x.shape[0], name="Input channels")
        self.c_out = _spin(1, MAX_CHANNELS, lesson.w.shape[0], name="Output channels")
        self.groups = QtWidgets.QComboBox()
        self.bias = QtWidgets.QCheckBox(self.tr("bias per output channel"))
        self.channel_demo = QtWidgets.QPushButton(self.tr("3 → 2 channels, as in the article"))
        self.channel_demo.setToolTip(
            self.tr(
                "A 5×5 input of 3 channels, 2 output channels, "
                "a different 3×3 kernel for every pair, a bias"
            )
        )
        self.single_demo = QtWidgets.QPushButton(self.tr("1 channel"))
        self.single_demo.setToolTip(self.tr("Back to the first lesson: one 8×8 channel"))
        # kernel
        self.preset = QtWidgets.QComboBox()
        for pre in PRESETS.values():
            self.preset.addItem(self.tr(pre.label), pre.name)
        self.preset.addItem(self.tr("custom (typed)"), "custom")
        self.preset.addItem(self.tr("random small integers"), RANDOM)
        self.preset.setItemData(
            self.preset.count() - 1,
            self.tr("A different kernel of small integers for every (output, input) channel pair"),
            Qt.ItemDataRole.ToolTipRole,
        )
        for combo in (self.preset,):
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.ksize = _spin(1, 9, model.kernel_size, step=2, name="Size")
        self.sigma = CheckedDoubleSpinBox("Sigma", "Controls")
        self.sigma.setRange(0.1, 10)
        self.sigma.setSingleStep(0.25)
        self.sigma.setValue(model.sigma)
        self.sigma.setKeyboardTracking(False)
        self.kernel_text = QtWidgets.QLineEdit()
        self.kernel_text.setPlaceholderText(self.tr("rows with ';', e.g. 1 0 -1; 2 0 -2; 1 0 -1"))
        self.kernel_text.setToolTip(
            self.tr(
                "Type the kernel and press Enter: rows separated by "
                "';', numbers or fractions like 1/9. Every "
                "(output, input) channel pair gets it."
            )
        )
        # geometry
        self.stride = _spin(1, 4, lesson.stride[0], name="Stride")
        self.padding = QtWidgets.QComboBox()
        self.padding.addItems(PADDINGS)
        self.padding_mode = QtWidgets.QComboBox()
        for mode in PADDING_MODES:
            self.padding_mode.addItem(self.tr(mode), mode)
        self.padding_names = QtWidgets.QLabel()
        self.padding_names.setObjectName("paddingNames")
        self.padding_names.setWordWrap(True)
        self.padding_names.setFont(theme.font(14))
        self.padding_names.setToolTip(
            self.tr(
                "The same padding in PyTorch, numpy.pad and "
                "scipy.ndimage. scipy's 'reflect' (numpy "
                "'symmetric') repeats the edge pixel: a "
                "different mode."
            )
        )
        self.dilation = _spin(1, 4, lesson.dilation[0], name="Dilation")
        self.refusal = RefusalLabel()  # a value refused (out of range), until the next edit
        self.operation = QtWidgets.QComboBox()
        self.operation.addItems(
            [QCoreApplication.translate("Controls", str(o)) for o in OPERATIONS]
        )
        # the panel is narrower than "cross-correlation (deep learning)" in some fonts: the
        # box shortens its text to fit and the tooltip holds all of it
        self.operation.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.operation.setMinimumContentsLength(12)
        self.operation.currentTextChanged.connect(self.operation.setToolTip)
        self.operation.setToolTip(self.operation.currentText())

        form_in = QtWidgets.QFormLayout()
        form_in.addRow(self.tr("Rows"), self.rows)
        form_in.addRow(self.tr("Columns"), self.cols)
        form_in.addRow(self.tr("Values"), self.pattern)
        form_in.addRow("", self.reroll)
        form_in.addRow(self.cell_label)
        form_in.addRow(self.tr("Cell value"), self.cell_value)
        form_c = QtWidgets.QFormLayout()
        form_c.addRow(self.channel_demo)
        form_c.addRow(self.single_demo)
        form_c.addRow(self.tr("Input channels"), self.c_in)
        form_c.addRow(self.tr("Output channels"), self.c_out)
        form_c.addRow(self.tr("Groups"), self.groups)
        form_c.addRow(self.bias)
        form_k = QtWidgets.QFormLayout()
        form_k.addRow(self.tr("Preset"), self.preset)
        form_k.addRow(self.tr("Size"), self.ksize)
        form_k.addRow(self.tr("Sigma"), self.sigma)
        form_k.addRow(self.kernel_text)
        form_g = QtWidgets.QFormLayout()
        form_g.addRow(self.tr("Stride"), self.stride)
        form_g.addRow(self.tr("Padding"), self.padding)
        form_g.addRow(self.tr("Padding mode"), self.padding_mode)
        form_g.addRow(self.padding_names)
        form_g.addRow(self.tr("Dilation"), self.dilation)
        form_g.addRow(self.operation)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.refusal)
        for title, form in (
            (self.tr("Input"), form_in),
            (self.tr("Channels"), form_c),
            (self.tr("Kernel"), form_k),
            (self.tr("Geometry"), form_g),
        ):
            box = QtWidgets.QGroupBox(title)
            box.setLayout(form)
            lay.addWidget(box)
        lay.addStretch(1)

        self.rows.valueChanged.connect(self._on_size_edited)
        self.cols.valueChanged.connect(self._on_size_edited)
        self.pattern.activated.connect(self._on_pattern_edited)
        self.reroll.clicked.connect(self._on_reroll)
        self.cell_value.valueChanged.connect(self._on_cell_value_edited)
        self.preset.activated.connect(self._on_preset_edited)
        self.preset.activated.connect(self.refusal.clear)
        self.ksize.valueChanged.connect(self._on_preset_edited)
        self.sigma.valueChanged.connect(self._on_preset_edited)
        self.kernel_text.returnPressed.connect(self._on_kernel_text_edited)
        self.c_in.valueChanged.connect(lambda v: self._done(model.set_channels(c_in=v)))
        self.c_out.valueChanged.connect(lambda v: self._done(model.set_channels(c_out=v)))
        self.groups.activated.connect(
            lambda i: self._done(model.set_channels(groups=self.groups.itemData(i)))
        )
        self.bias.toggled.connect(lambda on: self._done(model.set_bias(on)))
        self.channel_demo.clicked.connect(lambda: self._done(model.load_channel_demo()))
        self.single_demo.clicked.connect(self._on_single_demo)
        self.stride.valueChanged.connect(lambda v: self._done(model.set_stride(v)))
        self.dilation.valueChanged.connect(lambda v: self._done(model.set_dilation(v)))
        self.padding.activated.connect(self._on_padding_edited)
        self.padding_mode.activated.connect(
            lambda i: self._done(model.set_padding_mode(self.padding_mode.itemData(i)))
        )
        self.operation.activated.connect(lambda i: self._done(model.set_flip(i == 1)))
        for spin in (
            self.rows,
            self.cols,
            self.cell_value,
            self.ksize,
            self.sigma,
            self.stride,
            self.dilation,
            self.c_in,
            self.c_out,
        ):
            spin.editingFinished.connect(self.sigEditingDone)
            self.refusal.watch(spin)
        model.sigLessonChanged.connect(self._on_lesson_changed)
        self._on_lesson_changed()

    # -- view → model ---------------------------------------------------------------
    def _done(self, _ok=None) -> None:
        self.sigEditingDone.emit()

    def _on_size_edited(self, _=None) -> None:
        self.model.set_input(h=self.rows.value(), w=self.cols.value())

    def _on_pattern_edited(self, i: int) -> None:
        self._done(self.model.set_input(pattern=self.pattern.itemData(i)))

    def _on_single_demo(self) -> None:
        from convviz.core.lessons import demo_lesson

        self._done(self.model.set_lesson(demo_lesson()))

    def _on_reroll(self) -> None:
        self._done(self.model.set_input(pattern="random", new_seed=True))

    def _on_preset_edited(self, _=None) -> None:
        name = self.preset.currentData()
        if name == "custom":
            self._on_kernel_text_edited()
            return
        if name == RANDOM:
            self.model.set_random_kernels(
                size=self.ksize.value(), new_seed=self.sender() is self.preset
            )
            if self.sender() is self.preset:
                self._done()
            return
        self.model.set_kernel_preset(name, size=self.ksize.value(), sigma=self.sigma.value())
        if self.sender() is self.preset:
            self._done()

    def _on_kernel_text_edited(self) -> None:
        self._done(self.model.set_kernel_text(self.kernel_text.text()))

    def _on_padding_edited(self, i: int) -> None:
        text = PADDINGS[i]
        self._done(self.model.set_padding(int(text) if text.isdigit() else text))

    def _on_cell_value_edited(self, value: float) -> None:
        if self._cell is not None:
            self.sigCellValueEdited.emit(*self._cell, float(value))

    # -- picking a cell ---------------------------------------------------------------
    def edit_cell(self, view: str, r: int, c: int, value: float) -> None:
        """Point the value box at input[r, c] or kernel[r, c] and focus it.

        In a lesson of several channels the model's picks say which input channel and
        which (output, input) kernel; the value shown is read from there.
        """
        self._cell = (view, r, c)
        self.cell_label.setText(self._cell_text(view, r, c))
        value = self._cell_value(view, r, c, value)
        with QSignalBlocker(self.cell_value):
            self.cell_value.setValue(value)
        self.cell_value.setEnabled(True)
        self.cell_value.setFocus(Qt.FocusReason.OtherFocusReason)
        self.cell_value.selectAll()

    def _cell_text(self, view: str, r: int, c: int) -> str:
        m, lesson = self.model, self.model.lesson
        if view == "input":
            if lesson.x.shape[0] > 1:
                return self.tr("editing input channel {0} [{1},{2}] (type a value, Enter)").format(
                    m.input_pick, r, c
                )
            return self.tr("editing input[{0},{1}] (type a value, Enter)").format(r, c)
        if lesson.w.shape[0] * lesson.w.shape[1] > 1:
            if lesson.kernel_mode == "same":
                return self.tr(
                    "editing kernel[{0},{1}], shared by every channel pair (type a value, Enter)"
                ).format(r, c)
            co, ci = m.kernel_pick
            return self.tr(
                "editing the kernel of out {0} · in {1} [{2},{3}] (type a value, Enter)"
            ).format(co, m.stepper.group_start(co) + ci, r, c)
        return self.tr("editing kernel[{0},{1}] (type a value, Enter)").format(r, c)

    def _cell_value(self, view: str, r: int, c: int, fallback: float) -> float:
        m = self.model
        arr = m.lesson.x[m.input_pick] if view == "input" else m.picked_kernel()
        if r < arr.shape[0] and c < arr.shape[1]:
            return float(arr[r, c])
        return fallback

    def retranslate(self) -> None:
        """Formatted texts (the padding names, the cell being edited) in the new language."""
        self._on_lesson_changed()
        if self._cell is not None:
            self.cell_label.setText(self._cell_text(*self._cell))

    # -- model → view -----------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        m, lesson = self.model, self.model.lesson
        widgets = (
            self.rows,
            self.cols,
            self.pattern,
            self.preset,
            self.ksize,
            self.sigma,
            self.kernel_text,
            self.stride,
            self.padding,
            self.padding_mode,
            self.dilation,
            self.operation,
            self.c_in,
            self.c_out,
            self.groups,
            self.bias,
        )
        with ExitStack() as blocked:
            for widget in widgets:
                blocked.enter_context(QSignalBlocker(widget))
            c_in, h, w = lesson.x.shape
            self.rows.setValue(h)
            self.cols.setValue(w)
            self.pattern.setCurrentIndex(
                max(PATTERNS.index(lesson.pattern) if lesson.pattern in PATTERNS else 0, 0)
            )
            idx = self.preset.findData(lesson.kernel_name)
            self.preset.setCurrentIndex(idx if idx >= 0 else self.preset.findData("custom"))
            params = PRESETS[lesson.kernel_name].params if lesson.kernel_name in PRESETS else ()
            self.ksize.setEnabled("size" in params or lesson.kernel_name == RANDOM)
            self.ksize.setValue(max(lesson.w.shape[-2:]))  # the kernel on screen, always
            self.sigma.setValue(m.sigma)
            c_out = lesson.w.shape[0]
            self.c_in.setValue(c_in)
            self.c_out.setValue(c_out)
            self.groups.clear()
            for g in possible_groups(c_in, c_out):
                label = (
                    self.tr("{0} (depthwise)").format(g) if g == c_in == c_out and g > 1 else str(g)
                )
                self.groups.addItem(label, g)
            self.groups.setCurrentIndex(max(self.groups.findData(lesson.groups), 0))
            self.groups.setEnabled(self.groups.count() > 1)
            self.bias.setChecked(lesson.bias is not None and bool((lesson.bias != 0).any()))
            self.sigma.setEnabled("sigma" in params)
            # the kernel on screen, unless the user is typing one (not yet entered)
            if not (self.kernel_text.hasFocus() and self.kernel_text.isModified()):
                self.kernel_text.setText(m.kernel_text())
            self.stride.setValue(lesson.stride[0])
            pad = lesson.padding
            self.padding.setCurrentText(str(pad) if str(pad) in PADDINGS else "1")
            self.padding_mode.setCurrentIndex(self.padding_mode.findData(lesson.padding_mode))
            self.padding_names.setText(padding_names(lesson.padding_mode))
            self.dilation.setValue(lesson.dilation[0])
            self.operation.setCurrentIndex(1 if lesson.flip else 0)
        if self._cell is not None:
            view, r, c = self._cell
            arr = lesson.x[m.input_pick] if view == "input" else m.picked_kernel()
            if r < arr.shape[0] and c < arr.shape[1]:
                with QSignalBlocker(self.cell_value):
                    self.cell_value.setValue(float(arr[r, c]))
            else:
                self._cell = None
                self.cell_value.setEnabled(False)
                self.cell_label.setText(self.tr("click a cell of the input or kernel"))
