"""Render the race offscreen, to PNGs for the README and for review.

    python scripts/race_screenshots.py [--out assets/screenshots]   (no display needed)

12. the race on a 512×512 input, measured on this machine and run to its end: the
    one-core and all-cores lines the same loop on 1 thread and on all, the places of
    the measured lanes by their measured times, the GPU's in ticks;
13. the race on a 256×256 input: the GPU lane done, its copy a sliver, the CPU lanes
    still computing;
14. the race in presentation mode (full screen, large type, high contrast);
15. the race in Simplified Chinese, on a 64×64 input.

As scripts/screenshot.py: a virtual screen of the shots' size, the app's own window.
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
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot import wait_until  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots")
    parser.add_argument("--size", default="1600x1000", help="window size, WxH")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    config = args.out / ".offscreen-race-screen.json"
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        screen = {"name": "shots", "x": 0, "y": 0, "width": width, "height": height}
        config.write_text(json.dumps({"screens": [screen]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

    from convviz.gui import i18n
    from convviz.gui.app import create_window, ensure_app

    app = ensure_app()
    win = create_window()
    win.resize(width, height)
    win.show()
    wait_until(app, win.isVisible)
    race = win.race

    def at(side, where) -> None:
        """The race on ``side`` (None: the lesson's input), measured, stopped at the
        tick ``where(race)`` chooses."""
        race.set_side(side)
        if not race.active:
            win.show_race(True)
        wait_until(app, lambda: not race.measuring and not win.runner.busy)
        race.clock.pause()
        race.clock.seek(where(race.race))

    def gpu_copying(r) -> int:  # both CPU lanes done, the GPU still copying
        cpu_done = max(r.lane("one").total, r.lane("cores").total)
        return min(cpu_done + 2, r.lane("gpu").total - 2)

    def gpu_done(r) -> int:  # the GPU done, the CPU lanes part-way
        g, c = r.lane("gpu").total, r.lane("cores").total
        return g + (c - g) // 3

    def shot(name: str) -> None:
        app.processEvents()
        path = args.out / f"{name}.png"
        win.grab().save(str(path))
        print(f"wrote {path}")

    at(512, lambda r: r.length)
    shot("12-race")
    at(256, gpu_done)
    shot("13-race-256")
    at(None, gpu_copying)
    win.presentation.enter()
    wait_until(app, lambda: win.isFullScreen())
    race.clock.seek(race.clock.tick)
    shot("14-race-presentation")
    win.presentation.leave()
    win.resize(width, height)

    old = i18n.translator()
    i18n.install("zh_CN")  # not saved: the user's own choice stays as it was
    win.retranslate(old, i18n.translator())
    at(64, gpu_done)
    shot("15-race-chinese")
    old = i18n.translator()
    i18n.install("en")
    win.retranslate(old, None)

    win.close()
    config.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
