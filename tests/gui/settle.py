"""Let the window finish what a resize, a show or a key press has set in motion."""

from PySide6 import QtCore, QtWidgets

#: a layout pass can post the next one (a wrapped row asks its window to lay out again,
#: a zero-interval timer defers a fit): a few rounds of posted events reach the end
ROUNDS = 4


def settle() -> None:
    """Deliver every event posted so far, and those they post, for a few rounds: the
    window's layout as it will be shown, without waiting on the clock."""
    for _ in range(ROUNDS):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()
