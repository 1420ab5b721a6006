"""The parameter panel: input, kernel, geometry. View → model through the setters.

Every edit calls a :class:`LessonModel` setter; the model's signals bring the
panel back in line (with the panel's signals blocked). When an edit ends
(Enter, a choice in a list, a button), ``sigEditingDone`` lets the window give
the keyboard back to the lesson so Space, arrows and PageUp/PageDown step again.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6 import QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.kernels import PRESETS
from convviz.core.lessons import MAX_LESSON_SIDE, PATTERNS
from convviz.core.spec import PADDING_MODES
from convviz.gui import theme
from convviz.gui.lesson_model import LessonModel

PADDINGS = ("0", "1", "2", "3", "4", "same", "valid")
OPERATIONS = ("cross-correlation (deep learning)", "convolution (kernel rotated 180°)")


@contextmanager
def signals_blocked(*widgets):
    old = [w.blockSignals(True) for w in widgets]
    try:
        yield
    finally:
        for w, o in zip(widgets, old):
            w.blockSignals(o)


def _spin(lo: int, hi: int, value: int, step: int = 1) -> QtWidgets.QSpinBox:
    s = QtWidgets.QSpinBox()
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
        lesson = model.lesson
        _, h, w = lesson.x.shape
        # input
        self.rows = _spin(1, MAX_LESSON_SIDE, h)
        self.cols = _spin(1, MAX_LESSON_SIDE, w)
        self.pattern = QtWidgets.QComboBox()
        self.pattern.addItems(PATTERNS)
        self.reroll = QtWidgets.QPushButton("New random")
        self.cell_label = QtWidgets.QLabel("click a cell of the input or kernel")
        self.cell_label.setWordWrap(True)
        self.cell_value = QtWidgets.QDoubleSpinBox()
        self.cell_value.setRange(-999, 999)
        self.cell_value.setDecimals(2)
        self.cell_value.setKeyboardTracking(False)
        self.cell_value.setEnabled(False)
        self._cell: tuple[str, int, int] | None = None
        # kernel
        self.preset = QtWidgets.QComboBox()
        for p in PRESETS.values():
            self.preset.addItem(p.label, p.name)
        self.preset.addItem("custom (typed)", "custom")
        self.ksize = _spin(1, 9, model.kernel_size, step=2)
        self.sigma = QtWidgets.QDoubleSpinBox()
        self.sigma.setRange(0.1, 10)
        self.sigma.setSingleStep(0.25)
        self.sigma.setValue(model.sigma)
        self.sigma.setKeyboardTracking(False)
        self.kernel_text = QtWidgets.QLineEdit()
        self.kernel_text.setPlaceholderText("rows with ';', e.g. 1 0 -1; 2 0 -2; 1 0 -1")
        self.kernel_text.setToolTip("Type the kernel and press Enter: rows separated by ';', "
                                    "numbers or fractions like 1/9")
        # geometry
        self.stride = _spin(1, 4, lesson.stride[0])
        self.padding = QtWidgets.QComboBox()
        self.padding.addItems(PADDINGS)
        self.padding_mode = QtWidgets.QComboBox()
        self.padding_mode.addItems(PADDING_MODES)
        self.dilation = _spin(1, 4, lesson.dilation[0])
        self.operation = QtWidgets.QComboBox()
        self.operation.addItems(OPERATIONS)

        form_in = QtWidgets.QFormLayout()
        form_in.addRow("Rows", self.rows)
        form_in.addRow("Columns", self.cols)
        form_in.addRow("Values", self.pattern)
        form_in.addRow("", self.reroll)
        form_in.addRow(self.cell_label)
        form_in.addRow("Cell value", self.cell_value)
        form_k = QtWidgets.QFormLayout()
        form_k.addRow("Preset", self.preset)
        form_k.addRow("Size", self.ksize)
        form_k.addRow("Sigma", self.sigma)
        form_k.addRow(self.kernel_text)
        form_g = QtWidgets.QFormLayout()
        form_g.addRow("Stride", self.stride)
        form_g.addRow("Padding", self.padding)
        form_g.addRow("Padding mode", self.padding_mode)
        form_g.addRow("Dilation", self.dilation)
        form_g.addRow(self.operation)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        for title, form in (("Input", form_in), ("Kernel", form_k), ("Geometry", form_g)):
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
        self.ksize.valueChanged.connect(self._on_preset_edited)
        self.sigma.valueChanged.connect(self._on_preset_edited)
        self.kernel_text.returnPressed.connect(self._on_kernel_text_edited)
        self.stride.valueChanged.connect(lambda v: self._done(model.set_stride(v)))
        self.dilation.valueChanged.connect(lambda v: self._done(model.set_dilation(v)))
        self.padding.activated.connect(self._on_padding_edited)
        self.padding_mode.activated.connect(
            lambda i: self._done(model.set_padding_mode(PADDING_MODES[i])))
        self.operation.activated.connect(lambda i: self._done(model.set_flip(i == 1)))
        for spin in (self.rows, self.cols, self.cell_value, self.ksize, self.sigma,
                     self.stride, self.dilation):
            spin.editingFinished.connect(self.sigEditingDone)
        model.sigLessonChanged.connect(self._on_lesson_changed)
        self._on_lesson_changed()

    # -- view → model ---------------------------------------------------------------
    def _done(self, _ok=None) -> None:
        self.sigEditingDone.emit()

    def _on_size_edited(self, _=None) -> None:
        self.model.set_input(h=self.rows.value(), w=self.cols.value())

    def _on_pattern_edited(self, i: int) -> None:
        self._done(self.model.set_input(pattern=PATTERNS[i]))

    def _on_reroll(self) -> None:
        self._done(self.model.set_input(pattern="random", new_seed=True))

    def _on_preset_edited(self, _=None) -> None:
        name = self.preset.currentData()
        if name == "custom":
            self._on_kernel_text_edited()
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
        """Point the value box at input[r, c] or kernel[r, c] and focus it."""
        self._cell = (view, r, c)
        self.cell_label.setText(f"editing {view}[{r},{c}] (type a value, Enter)")
        with signals_blocked(self.cell_value):
            self.cell_value.setValue(value)
        self.cell_value.setEnabled(True)
        self.cell_value.setFocus(Qt.OtherFocusReason)
        self.cell_value.selectAll()

    # -- model → view -----------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        m, lesson = self.model, self.model.lesson
        widgets = (self.rows, self.cols, self.pattern, self.preset, self.ksize, self.sigma,
                   self.kernel_text, self.stride, self.padding, self.padding_mode,
                   self.dilation, self.operation)
        with signals_blocked(*widgets):
            _, h, w = lesson.x.shape
            self.rows.setValue(h)
            self.cols.setValue(w)
            self.pattern.setCurrentIndex(max(PATTERNS.index(lesson.pattern)
                                             if lesson.pattern in PATTERNS else 0, 0))
            idx = self.preset.findData(lesson.kernel_name)
            self.preset.setCurrentIndex(idx if idx >= 0 else self.preset.count() - 1)
            params = PRESETS[lesson.kernel_name].params if lesson.kernel_name in PRESETS else ()
            self.ksize.setEnabled("size" in params)
            self.sigma.setEnabled("sigma" in params)
            if not self.kernel_text.hasFocus():
                self.kernel_text.setText(m.kernel_text())
            self.stride.setValue(lesson.stride[0])
            pad = lesson.padding
            self.padding.setCurrentText(str(pad) if str(pad) in PADDINGS else "1")
            self.padding_mode.setCurrentText(lesson.padding_mode)
            self.dilation.setValue(lesson.dilation[0])
            self.operation.setCurrentIndex(1 if lesson.flip else 0)
        if self._cell is not None:
            view, r, c = self._cell
            arr = lesson.x[0] if view == "input" else lesson.w[0, 0]
            if r < arr.shape[0] and c < arr.shape[1]:
                with signals_blocked(self.cell_value):
                    self.cell_value.setValue(float(arr[r, c]))
            else:
                self._cell = None
                self.cell_value.setEnabled(False)
                self.cell_label.setText("click a cell of the input or kernel")
