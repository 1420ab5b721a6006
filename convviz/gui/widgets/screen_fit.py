"""A window sized and placed to fit its screen's free area, the window manager's frame
included (the main window when made, a window it opens such as the benchmark's)."""

from __future__ import annotations


def fit_to_screen(window) -> None:
    """Shrink the window (1600×1000 when made) to the screen's free area, frame included,
    and centre it there: on a 1366×768 projector it must not hang off the edge."""
    screen = window.screen()
    if screen is None:
        return
    free = screen.availableGeometry()
    # the window manager's frame: a title bar (about 30 px) and thin borders; move()
    # places the frame's corner, resize() sizes what lies inside it
    title, border = 30, 4
    width = min(window.width(), free.width() - 2 * border - 32)
    height = min(window.height(), free.height() - title - border - 32)
    window.resize(max(width, 200), max(height, 200))
    window.move(
        free.x() + (free.width() - window.width() - 2 * border) // 2,
        free.y() + (free.height() - window.height() - title - border) // 2,
    )
