"""The kernel editor of the image mode: presets, an editable table, normalise, load/save.

A cell that is not a finite number (text, NaN, inf) turns red and a message
next to the table names its row and column; the last good kernel stays in
use. Whatever the user typed becomes the "Custom" entry of the preset list and
is kept when they try a preset, so switching back restores it.
"""

from __future__ import annotations

from contextlib import ExitStack

import numpy as np
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSignalBlocker, Qt, Signal

from convviz.core.kernels import PRESETS, load_kernel, parse_number, preset, save_kernel
from convviz.core.stepper import fmt_number
from convviz.errors import ConvvizError
from convviz.gui import theme
from convviz.gui.widgets.checked_spin import CheckedDoubleSpinBox, CheckedSpinBox

MAX_SIDE = 15
CUSTOM = "custom"
#: the presets' names (Qt-free in convviz.core.kernels), listed here for lupdate
PRESET_LABELS = (
    QT_TRANSLATE_NOOP("KernelEditor", "Identity"),
    QT_TRANSLATE_NOOP("KernelEditor", "Box blur"),
    QT_TRANSLATE_NOOP("KernelEditor", "Gaussian blur"),
    QT_TRANSLATE_NOOP("KernelEditor", "Sharpen"),
    QT_TRANSLATE_NOOP("KernelEditor", "Sobel x"),
    QT_TRANSLATE_NOOP("KernelEditor", "Sobel y"),
    QT_TRANSLATE_NOOP("KernelEditor", "Scharr x"),
    QT_TRANSLATE_NOOP("KernelEditor", "Scharr y"),
    QT_TRANSLATE_NOOP("KernelEditor", "Laplacian"),
    QT_TRANSLATE_NOOP("KernelEditor", "Emboss"),
    QT_TRANSLATE_NOOP("KernelEditor", "Outline (edge)"),
    QT_TRANSLATE_NOOP("KernelEditor", "Motion blur"),
    # a kernel the user typed is named "custom" (the lesson's title shows the name)
    QT_TRANSLATE_NOOP("KernelEditor", "custom"),
)


def _exact_text(v: float) -> str:
    """Short for round numbers, else every digit a float32 needs (so nothing is lost)."""
    short = fmt_number(v)
    return short if np.float32(float(short)) == np.float32(v) else repr(float(np.float32(v)))


def cell_text(v: float) -> str:
    """What a cell shows: at most 4 significant digits (a Gaussian's 0.0751136… is 0.07511);
    the cell's tooltip holds every digit (:func:`_exact_text`)."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.4g}"


class KernelEditor(QtWidgets.QWidget):
    sigKernelChanged = Signal(object, str)  # (kh, kw) float32, preset name or "custom"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kernel = preset("sobel-x")
        self.name = "sobel-x"
        self.custom: np.ndarray | None = None  # what the user made, kept across presets
        self._values = self.kernel.copy()  # the table's numbers (bad cells keep old ones)
        self._bad: dict[tuple[int, int], str] = {}
        # dialogs, replaceable in tests: (parent, caption, filter) -> path or ''
        self.ask_open_path = lambda *a: QtWidgets.QFileDialog.getOpenFileName(*a)[0]
        self.ask_save_path = lambda *a: QtWidgets.QFileDialog.getSaveFileName(*a)[0]

        self.preset = QtWidgets.QComboBox()
        for p in PRESETS.values():
            self.preset.addItem(self.tr(p.label), p.name)
        self.preset.addItem(self.tr("Custom (yours)"), CUSTOM)
        self.ksize = CheckedSpinBox("Size", "KernelEditor")
        self.ksize.setRange(1, MAX_SIDE)
        self.ksize.setSingleStep(2)
        self.ksize.setValue(3)
        self.ksize.setKeyboardTracking(False)
        self.sigma = CheckedDoubleSpinBox("Sigma", "KernelEditor")
        self.sigma.setRange(0.1, 10)
        self.sigma.setSingleStep(0.25)
        self.sigma.setValue(1.0)
        self.sigma.setKeyboardTracking(False)
        self.rows = CheckedSpinBox("Rows", "KernelEditor")
        self.cols = CheckedSpinBox("Columns", "KernelEditor")
        for spin in (self.rows, self.cols):
            spin.setRange(1, MAX_SIDE)
            spin.setKeyboardTracking(False)
        self.table = QtWidgets.QTableWidget()
        self.table.setFont(theme.font(13))
        self.table.horizontalHeader().setMinimumSectionSize(20)
        self.table.verticalHeader().setMinimumSectionSize(20)
        self.table.setToolTip(self.tr("Type a number or a fraction such as 1/9 in any cell"))
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("kernelMessage")
        self.message.setWordWrap(True)
        self._on_theme_changed()
        theme.changes().sigThemeChanged.connect(self._on_theme_changed)
        self.sum_label = QtWidgets.QLabel()
        self.normalise = QtWidgets.QPushButton(self.tr("Normalise (sum 1)"))
        self.load = QtWidgets.QPushButton(self.tr("Load…"))
        self.save = QtWidgets.QPushButton(self.tr("Save…"))

        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Preset"), self.preset)
        params = QtWidgets.QHBoxLayout()
        params.addWidget(QtWidgets.QLabel(self.tr("Size")))
        params.addWidget(self.ksize)
        params.addWidget(QtWidgets.QLabel(self.tr("Sigma")))
        params.addWidget(self.sigma)
        form.addRow(params)
        shape = QtWidgets.QHBoxLayout()
        shape.addWidget(QtWidgets.QLabel(self.tr("Rows")))
        shape.addWidget(self.rows)
        shape.addWidget(QtWidgets.QLabel(self.tr("Columns")))
        shape.addWidget(self.cols)
        form.addRow(shape)
        buttons = QtWidgets.QHBoxLayout()
        for b in (self.normalise, self.load, self.save):
            buttons.addWidget(b)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.sum_label)
        lay.addWidget(self.message)
        lay.addLayout(buttons)

        self.preset.activated.connect(self._on_preset_chosen)
        self.ksize.valueChanged.connect(self._on_params_changed)
        self.sigma.valueChanged.connect(self._on_params_changed)
        self.rows.valueChanged.connect(self._on_shape_changed)
        self.cols.valueChanged.connect(self._on_shape_changed)
        self.table.itemChanged.connect(self._on_item_changed)
        for spin in (self.ksize, self.sigma, self.rows, self.cols):
            spin.sigRefused.connect(self.message.setText)  # refused, never replaced silently
        self.normalise.clicked.connect(self.normalise_kernel)
        self.load.clicked.connect(self._on_load)
        self.save.clicked.connect(self._on_save)
        self._show(self.kernel)
        self._sync_widgets()

    # -- public ---------------------------------------------------------------------
    def _on_theme_changed(self) -> None:
        self.message.setStyleSheet(f"color: {theme.palette().error}; font-weight: bold")

    def retranslate(self) -> None:
        """The presets' names and the sum line in the language now installed."""
        for i in range(self.preset.count()):
            name = self.preset.itemData(i)
            if name in PRESETS:
                self.preset.setItemText(i, self.tr(PRESETS[name].label))
        self._sync_widgets()

    def set_preset(self, name: str) -> None:
        """Choose a preset (or "custom", the user's own kernel) as the list does."""
        i = self.preset.findData(name)
        if i < 0:
            raise KeyError(name)
        self.preset.setCurrentIndex(i)
        self._on_preset_chosen(i)

    def set_cell_text(self, r: int, c: int, text: str) -> None:
        """Type ``text`` into cell (r, c), as a user would (for tests and scripts)."""
        self.table.item(r, c).setText(text)

    def set_kernel(self, k: np.ndarray, name: str = CUSTOM, note: str = "") -> None:
        """Use ``k`` (2-D); a custom kernel is remembered as the "Custom" entry."""
        k = np.ascontiguousarray(k, np.float32)
        if name == CUSTOM:
            self.custom = k.copy()
        self.kernel, self.name = k, name
        self._bad.clear()
        self._show(k)
        self._sync_widgets()
        self.message.setText(note)
        self.sigKernelChanged.emit(k.copy(), name)

    def normalise_kernel(self) -> None:
        total = float(np.sum(self.kernel, dtype=np.float64))
        if abs(total) < 1e-12:
            self.message.setText(
                self.tr("The weights sum to 0 (an edge detector): they cannot be scaled to sum 1.")
            )
            return
        self.set_kernel(
            (self.kernel / total).astype(np.float32),
            CUSTOM,
            self.tr("Divided every weight by {0}.").format(fmt_number(total)),
        )

    # -- view -> kernel ---------------------------------------------------------------
    def _on_preset_chosen(self, i: int) -> None:
        name = self.preset.itemData(i)
        if name == CUSTOM:
            if self.custom is None:
                self.custom = self.kernel.copy()
            self.set_kernel(self.custom, CUSTOM)
            return
        self._make_preset(name)

    def _on_params_changed(self, _=None) -> None:
        if self.name in PRESETS:
            self._make_preset(self.name)

    def _make_preset(self, name: str) -> None:
        p = PRESETS[name]
        try:
            k = preset(
                name,
                size=self.ksize.value() if "size" in p.params else None,
                sigma=self.sigma.value() if "sigma" in p.params else None,
            )
        except ConvvizError as exc:
            self.message.setText(str(exc))
            return
        self.set_kernel(k, name)

    def _on_shape_changed(self, _=None) -> None:
        rows, cols = self.rows.value(), self.cols.value()
        if (rows, cols) == self.kernel.shape:
            return
        k = np.zeros((rows, cols), np.float32)
        h, w = min(rows, self.kernel.shape[0]), min(cols, self.kernel.shape[1])
        k[:h, :w] = self.kernel[:h, :w]
        self.set_kernel(k, CUSTOM, self.tr("New cells are 0."))

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        text = item.text()
        try:
            value = parse_number(text, self.tr("row {0}, column {1}").format(r + 1, c + 1))
            if abs(value) > float(np.finfo(np.float32).max):
                raise ConvvizError(
                    self.tr("{0!r} at row {1}, column {2} is too large for float32").format(
                        text, r + 1, c + 1
                    )
                )
        except ConvvizError as exc:
            self._bad[(r, c)] = str(exc)
            self._paint(item, bad=True)
            self.message.setText(self.tr("{0}. The last good kernel stays in use.").format(exc))
            return
        self._bad.pop((r, c), None)
        self._paint(item, bad=False)
        self._values[r, c] = value
        if self._bad:
            (br, bc), msg = next(iter(self._bad.items()))
            self.message.setText(self.tr("{0}. The last good kernel stays in use.").format(msg))
            return
        k = self._values.copy()
        self.custom = k.copy()
        self.kernel, self.name = k, CUSTOM
        self.message.setText("")
        self._sync_widgets()
        self.sigKernelChanged.emit(k.copy(), CUSTOM)

    def _paint(self, item, bad: bool) -> None:
        with QSignalBlocker(self.table):
            item.setBackground(
                QtGui.QBrush(QtGui.QColor(theme.palette().error if bad else "white"))
            )
            item.setForeground(
                QtGui.QBrush(QtGui.QColor(theme.palette().on_error if bad else "black"))
            )

    # -- files ----------------------------------------------------------------------------
    def _on_load(self) -> None:
        path = self.ask_open_path(
            self, self.tr("Load a kernel"), "", self.tr("Kernels (*.npy *.txt)")
        )
        if path:
            self.load_file(path)

    def load_file(self, path) -> bool:
        try:
            k = load_kernel(path)
            if k.ndim == 4:
                if k.shape[:2] != (1, 1):
                    raise ConvvizError(
                        self.tr(
                            "{0}: a {1} kernel has several channels; the "
                            "image mode uses one 2-D kernel"
                        ).format(path, "×".join(map(str, k.shape)))
                    )
                k = k[0, 0]
            if max(k.shape) > MAX_SIDE:
                raise ConvvizError(
                    self.tr("{0}: a {1}×{2} kernel is larger than the editor's {3}×{3}").format(
                        path, *k.shape, MAX_SIDE
                    )
                )
        except ConvvizError as exc:
            self.message.setText(str(exc))
            return False
        self.set_kernel(k, CUSTOM, self.tr("Loaded {0}.").format(path))
        return True

    def _on_save(self) -> None:
        path = self.ask_save_path(
            self, self.tr("Save the kernel"), "kernel.txt", self.tr("Text (*.txt);;NumPy (*.npy)")
        )
        if path:
            try:
                save_kernel(path, self.kernel)
            except OSError as exc:
                self.message.setText(self.tr("{0}: cannot write ({1})").format(path, exc))
                return
            self.message.setText(self.tr("Saved {0}.").format(path))

    # -- kernel -> view -----------------------------------------------------------------
    def _show(self, k: np.ndarray) -> None:
        self._values = k.astype(np.float32).copy()
        with QSignalBlocker(self.table):
            self.table.clear()
            self.table.setRowCount(k.shape[0])
            self.table.setColumnCount(k.shape[1])
            self.table.setHorizontalHeaderLabels([str(i + 1) for i in range(k.shape[1])])
            self.table.setVerticalHeaderLabels([str(i + 1) for i in range(k.shape[0])])
            for r in range(k.shape[0]):
                for c in range(k.shape[1]):
                    item = QtWidgets.QTableWidgetItem(cell_text(k[r, c]))
                    item.setToolTip(_exact_text(k[r, c]))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.table.setItem(r, c, item)
            self.table.resizeColumnsToContents()
            self.table.resizeRowsToContents()
        rows_h = sum(self.table.rowHeight(r) for r in range(k.shape[0]))
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(min(rows_h + header + 6, 330))

    def _sync_widgets(self) -> None:
        k = self.kernel
        with ExitStack() as blocked:
            for widget in (self.preset, self.rows, self.cols, self.ksize, self.sigma):
                blocked.enter_context(QSignalBlocker(widget))
            self.preset.setCurrentIndex(self.preset.findData(self.name))
            self.rows.setValue(k.shape[0])
            self.cols.setValue(k.shape[1])
            params = PRESETS[self.name].params if self.name in PRESETS else ()
            if "size" in params:
                self.ksize.setValue(k.shape[0])
            self.ksize.setEnabled("size" in params)
            self.sigma.setEnabled("sigma" in params)
        self.sum_label.setText(
            self.tr("{0}×{1}, sum of weights {2}").format(
                k.shape[0], k.shape[1], fmt_number(float(np.sum(k, dtype=np.float64)))
            )
        )
