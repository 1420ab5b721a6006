"""Small generated images and waiting for the whole-image run, for the image-mode tests."""

from __future__ import annotations

import numpy as np
from PIL import Image

TIMEOUT_MS = 60_000


def write_png(path, arr: np.ndarray, mode: str | None = None):
    Image.fromarray(arr, mode=mode).save(path)
    return path


def grey(h: int, w: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w), dtype=np.uint8)


class Recorder:
    """Stands in for the window's dialogs: records errors, answers questions."""

    def __init__(self, window, answer: bool = False):
        self.errors: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.answer = answer
        window.dialogs.show_error = lambda title, text: self.errors.append((title, text))
        window.dialogs.ask_yes_no = self._ask

    def _ask(self, title, text):
        self.questions.append(text)
        return self.answer


def wait_result(window, qtbot):
    """Wait for the whole-image run of the current image; returns its RunResult."""
    im = window.image_mode
    qtbot.waitUntil(
        lambda: im.last_result is not None and not window.runner.busy, timeout=TIMEOUT_MS
    )
    return im.last_result
