"""Edit → Copy as PyTorch / Copy as scipy: the current convolution as runnable code.

The snippet (from :mod:`convviz.core.snippets`) goes on the clipboard and into a
dialog that shows it in a monospace font with a Copy button. It computes what
the app shows: in the lesson, the lesson's output; in the image mode, the whole
image's result (the image is too large to write out, so the snippet loads it
from ``x.npy``, which "Save the arrays…" writes next to the code).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtGui, QtWidgets

from convviz.core.snippets import as_pytorch, as_scipy
from convviz.gui import theme

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray | None, dict]


def current_arrays(im, lesson_model) -> Arrays:
    """(x, w, bias, conv kwargs) of what is on screen: the image mode ``im``'s
    convolution while it is active, else ``lesson_model``'s lesson."""
    if im.active and im.model.prep is not None:
        m = im.model
        w, groups = m.weights()
        kwargs = dict(
            padding=m.padding,
            padding_mode=m.padding_mode,
            flip=m.flip,
            dilation=m.dilation,
            groups=groups,
        )
        return m.x, w, None, kwargs
    lesson = lesson_model.lesson
    return lesson.x, lesson.w, lesson.bias, lesson.conv_kwargs()


def snippet(arrays: Arrays, kind: str) -> str:
    x, w, b, kwargs = arrays
    make = {"pytorch": as_pytorch, "scipy": as_scipy}[kind]
    return make(x, w, b, **kwargs)


class CodeDialog(QtWidgets.QDialog):
    """The snippet, monospace, with Copy (and Save the arrays when they are not inline)."""

    def __init__(self, kind: str, code: str, arrays=None, parent=None):
        super().__init__(parent)
        self.kind, self.code, self.arrays = kind, code, arrays
        title = {
            "pytorch": self.tr("The convolution as PyTorch code"),
            "scipy": self.tr("The convolution as numpy + scipy code"),
        }[kind]
        self.setWindowTitle(title)
        self.note = QtWidgets.QLabel(
            self.tr(
                "Copied to the clipboard. Run it: it leaves the result in out, the values the "
                "app shows."
            )
        )
        self.note.setWordWrap(True)
        self.text = QtWidgets.QPlainTextEdit(code)
        self.text.setReadOnly(True)
        self.text.setFont(theme.mono_font(14))
        self.text.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QtWidgets.QPushButton(self.tr("Copy"))
        self.save_arrays_button = QtWidgets.QPushButton(self.tr("Save the arrays…"))
        self.save_arrays_button.setToolTip(
            self.tr(
                "Write x.npy, w.npy and b.npy into a folder: the snippet loads the arrays too "
                "large to write out"
            )
        )
        self.save_arrays_button.setVisible("np.load(" in code and arrays is not None)
        self.close_button = QtWidgets.QPushButton(self.tr("Close"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.save_arrays_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.note)
        lay.addWidget(self.text, 1)
        lay.addLayout(row)
        self.resize(900, 560)
        self.ask_folder = lambda: QtWidgets.QFileDialog.getExistingDirectory(
            self, self.tr("Save the arrays into")
        )
        self.copy_button.clicked.connect(self.copy)
        self.save_arrays_button.clicked.connect(self.save_arrays)
        self.close_button.clicked.connect(self.accept)

    def copy(self) -> None:
        QtGui.QGuiApplication.clipboard().setText(self.code)
        self.note.setText(self.tr("Copied to the clipboard."))

    def save_arrays(self) -> bool:
        chosen = self.ask_folder()
        if not chosen or self.arrays is None:
            return False
        x, w, b = self.arrays
        folder = Path(chosen)
        written = []
        for name, arr in (("x", x), ("w", w), ("b", b)):
            if arr is None:
                continue
            target = folder / f"{name}.npy"
            np.save(target, np.ascontiguousarray(arr, np.float32), allow_pickle=False)
            written.append(target.name)
        self.note.setText(
            self.tr("Wrote {0} in {1}: run the snippet in that folder.").format(
                ", ".join(written), folder
            )
        )
        return True


def copy_as_code(arrays: Arrays, kind: str, parent=None, show: bool = True) -> CodeDialog:
    """Put the snippet of ``arrays`` (:func:`current_arrays`) on the clipboard and
    (``show``) open the dialog over ``parent``; returns it."""
    x, w, b, kwargs = arrays
    code = snippet(arrays, kind)
    QtGui.QGuiApplication.clipboard().setText(code)
    from convviz.core.spec import prepare

    prep = prepare(x, w, b, **kwargs)
    # the arrays as the snippet names them: the kernel as typed (not rotated), the bias
    w4 = prep.w[:, :, ::-1, ::-1] if prep.spec.flip else prep.w
    dialog = CodeDialog(kind, code, arrays=(prep.x, w4, prep.b), parent=parent)
    if show:
        dialog.show()
    return dialog
