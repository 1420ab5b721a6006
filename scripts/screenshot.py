"""Render the app offscreen at three moments, to PNGs for the README and for review.

    python scripts/screenshot.py [--out assets/screenshots]   (offscreen, no display needed)

1. mid-animation: the window on the demo lesson, part-way through the sliding window;
2. after "Run in parallel": every output cell at once, tinted by CUDA block, both lanes
   timed, one output cell hovered to show its thread;
3. an invalid setting (padding "same" with stride 2): the engine's message in the window;
4. image mode: the bundled photo (sample-camera.png) filtered with Sobel x on both lanes,
   signed results on a diverging colour map centred at 0 with its colour bar, and the
   difference map;
5. the same, the region's lesson mid-animation and a pixel's values read out by hover;
6. the colour test card as a deep-learning layer (3 channels summed), results as RGB;
9. presentation mode (full screen, large type, high contrast, no side panel) on the lesson
   (the empty lanes hidden until a run);
10. the window in Simplified Chinese (switched live), after "Run in parallel";
11. both CUDA kernels run ("also run the tiled kernel"): three lanes, the output showing
    the tiled kernel's shared-memory tiles, one cell hovered: its block, thread and
    cell-of-thread named, its thread's cells and its block's input tile + halo outlined.

Each shot after an invalid setting or the image mode starts again from the lesson the app
opens on.

Chinese needs a CJK font: on Debian/Ubuntu ``fonts-wqy-microhei`` or ``fonts-noto-cjk``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wait_until(app, condition, timeout_s: float = 120.0) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("timed out waiting for the app")
        app.processEvents(QEventLoop.AllEvents, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots")
    parser.add_argument("--size", default="1600x1000", help="window size, WxH")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        # a virtual screen of the shots' size: presentation mode is full screen (the
        # offscreen platform's own screen is 800×800)
        config = args.out / ".offscreen-screen.json"
        config.write_text(
            json.dumps(
                {"screens": [{"name": "shots", "x": 0, "y": 0, "width": width, "height": height}]}
            )
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

    from convviz.gui.app import create_window, ensure_app

    app = ensure_app()
    win = create_window()
    win.resize(width, height)
    win.show()
    wait_until(app, win.isVisible)
    # the kernels' warm-up starts once the window is shown: let it finish, so that the
    # timings below are runs, not compiles
    wait_until(app, lambda: win.runs.warm_up_result is not None)
    app.processEvents()

    from convviz.core.lessons import demo_lesson

    def fresh_lesson() -> None:
        """Each shot starts from the lesson as the app opens on it, whatever came before."""
        if win.presentation.active:
            win.presentation.leave()
            win.resize(width, height)
        if win.image_mode.active:
            win.enter_lesson_mode()
        win.model.set_lesson(demo_lesson())
        assert win.model.valid, win.model.error

    def shot(name: str) -> None:
        for _ in range(3):  # a new text's height takes a layout pass or two to settle
            app.processEvents()
        path = args.out / f"{name}.png"
        win.grab().save(str(path))
        print(f"wrote {path}")

    win.model.seek(19)  # cell 20 of 64: row 2, the window part-way along
    shot("1-mid-animation")

    win.run_parallel()
    wait_until(app, lambda: not win.runner.busy and win.runs.last_result is not None)
    win.lesson_view._on_output_hovered(0, 2, 5)
    shot("2-parallel")

    win.controls.stride.setValue(2)
    win.controls.padding.setCurrentText("same")
    win.controls.padding.activated.emit(win.controls.padding.currentIndex())
    shot("3-invalid-setting")

    from convviz.core.images import sample_paths
    from convviz.core.region import Region

    samples = {p.name: p for p in sample_paths()}
    im = win.image_mode

    def wait_image_run() -> None:
        wait_until(app, lambda: im.last_result is not None and not win.runner.busy)

    win.open_image(samples["sample-camera.png"])  # Sobel x is the kernel it starts with
    wait_image_run()
    im.model.set_region(Region(215, 292, 10, 10))  # the camera: strong vertical edges
    shot("4-image-sobel")

    win.model.seek(43)
    im.strip.hover.setText(im.strip.hover_text(219, 297))
    shot("5-image-region-lesson")

    win.open_image(samples["sample-testcard.png"])
    im.panel.layer.setChecked(True)
    im.panel.kernel_editor.set_preset("laplacian")
    wait_image_run()
    win.model.seek(20)
    shot("6-image-colour-layer")

    from convviz.gui import i18n

    fresh_lesson()
    win.model.seek(27)
    win.presentation.enter()
    wait_until(app, lambda: win.isFullScreen())
    shot("9-presentation")
    fresh_lesson()

    old = i18n.translator()
    i18n.install("zh_CN")  # not saved: the user's own choice stays as it was
    win.retranslate(old, i18n.translator())
    win.model.seek(19)
    win.run_parallel()
    wait_until(app, lambda: not win.runner.busy and win.runs.last_result is not None)
    shot("10-chinese")
    old = i18n.translator()
    i18n.install("en")
    win.retranslate(old, None)

    fresh_lesson()
    win.model.seek(19)
    win.lanes.with_tiled.setChecked(True)
    win.run_parallel()
    wait_until(app, lambda: not win.runner.busy and win.runs.last_result is not None)
    win.lesson_view.view_switch.set_which("tiles")
    win.lesson_view._on_output_hovered(0, 6, 1)
    shot("11-tiled")
    win.lanes.with_tiled.setChecked(False)

    win.close()
    if "configfile=" in os.environ.get("QT_QPA_PLATFORM", ""):
        (args.out / ".offscreen-screen.json").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
