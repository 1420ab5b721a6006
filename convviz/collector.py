"""Python's cyclic garbage collector, paused while the app starts.

Importing PySide6, pyqtgraph and the app and building the window leave about 90,000
objects that could hold a reference cycle, and a few hundred that are garbage; the
collector's generation-0 threshold is reached every 700 allocations, so it ran about
200 times over the young objects (and over older ones too) before the window was
painted: about a tenth of the launch (``scripts/startup_time.py``).

``convviz`` (:func:`convviz.cli.open_app`) pauses it before the first Qt import, and
:func:`convviz.gui.app.main` resumes it once the window is painted and the parts made
after it are built (or some seconds after the window is shown, should it not be
painted); whatever happens in between, leaving :func:`paused` resumes it too.

Nothing is lost while it is paused: objects freed by reference counting (nearly all)
are freed at once, and the first collection after it resumes finds any cycles made in
the meantime. Qt-free, so the entry point can pause it before Qt is imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False  # by pause(), and not yet resumed


def pause() -> bool:
    """Stop automatic collection; True when this stopped it (False when it was stopped
    already, by a caller's ``gc.disable()`` or an earlier :func:`pause`)."""
    global _paused
    if not gc.isenabled():
        return False
    gc.disable()
    _paused = True
    return True


def resume() -> None:
    """Start automatic collection again, if :func:`pause` stopped it; else nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def is_paused() -> bool:
    return _paused


@contextmanager
def paused() -> Iterator[None]:
    """Paused inside (unless resumed early); resumed on the way out, however it is left,
    if this pause was the one that stopped it (a nested pause leaves the outer one be)."""
    mine = pause()
    try:
        yield
    finally:
        if mine:
            resume()
