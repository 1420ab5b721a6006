"""Render the channel lesson and a padding hover offscreen, to PNGs for review.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_channels.py [--out assets/screenshots]

7. the 3 → 2 channel lesson part-way: the window on input channel 1 of an output cell
   of channel 1, the per-channel sums adding up, the filter of out 1 as its stack
   of kernels, the bracket and the wiring diagram;
8. reflect padding: a padded cell hovered, its source pixel outlined with an arrow,
   the PyTorch / numpy / scipy names beside the mode picker.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots")
    parser.add_argument("--size", default="1600x1000", help="window size, WxH")
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="also write the channel lesson in presentation mode",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))

    from convviz.gui.app import create_window, ensure_app

    app = ensure_app()
    win = create_window()
    win.resize(width, height)
    win.show()
    # the kernels' warm-up starts once the window is shown: these shots are about the
    # lesson, so let it finish and take its note off the status bar
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(120_000)
    while win.runs.warm_up_result is None and not deadline.hasExpired():
        app.processEvents(QEventLoop.AllEvents, 50)
    win.statusBar().clearMessage()
    app.processEvents()

    def shot(name: str) -> None:
        for _ in range(3):
            app.processEvents()
        path = args.out / f"{name}.png"
        win.grab().save(str(path))
        print(f"wrote {path}")

    m = win.model
    win.controls.channel_demo.click()
    # output channel 1, cell (1, 2): its second input channel (stage 1)
    m.seek_tick(m.stepper.index_of(1, 1, 2) * m.n_stages + 1)
    shot("7-channels")
    if args.presentation:  # roughly what presentation mode shows on a 1080p projector
        win.side.hide()
        win.menuBar().hide()
        win.statusBar().hide()
        win.resize(1920, 1080)
        win.lesson_view.set_presentation(True)
        shot("7b-channels-presentation")
        win.lesson_view.set_presentation(False)
        win.side.show()
        win.menuBar().show()
        win.statusBar().show()
        win.resize(width, height)

    win.controls.single_demo.click()
    combo = win.controls.padding_mode
    combo.setCurrentIndex(combo.findData("reflect"))
    combo.activated.emit(combo.currentIndex())
    win.controls.padding.setCurrentText("2")
    win.controls.padding.activated.emit(win.controls.padding.currentIndex())
    m.seek(3)
    lv = win.lesson_view
    lv._on_input_hovered(0, 0, 4)  # top padded row: copies x[2, 2]
    shot("8-padding-reflect")

    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
