#!/usr/bin/env python3
"""Rehearse a lecture: play a deck in a real X server with a window manager and check,
after every key, what a lecture needs (``convviz.gui.invariants``).

    python scripts/rehearse.py assets/decks/why-gpus.toml [--out DIR] [--quick]

For each screen (1920×1080 and 1366×768) an Xvfb server with openbox is started; the
app runs in it in English and in Chinese, light and dark, windowed and in presentation
mode. Real key presses (xdotool) walk the deck with PageDown (End first, as a lecturer
skips an animation), and the keys R, C, P, Esc, B are pressed; the language and the
theme are switched (as View → Language / Theme do) and the scene must stay as it was.
After every step the invariants are checked and a screenshot of the whole screen is
written to DIR (default ``rehearsal/``). The first violation ends the rehearsal with
exit status 1; anything the app writes to stderr is one too.

Needs ``Xvfb``, ``openbox`` and ``xdotool`` (Debian/Ubuntu:
``apt-get install xvfb openbox xdotool x11-utils``); without them it says so, prints
"skipped" and exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool")
INSTALL = (
    "apt-get install xvfb openbox xdotool x11-utils"
    " libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"  # Qt's xcb plugin needs these
)
SCREENS = ((1920, 1080), (1366, 768))
COMBOS = (("en", "light"), ("zh_CN", "dark"), ("en", "dark"), ("zh_CN", "light"))


# -- the outer process: X servers, window manager, one app run per combination ------------


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def free_display() -> str:
    """An X display number no server holds (its lock file absent)."""
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return f":{n}"
    raise RuntimeError("no free X display number in :90 … :199")


def _wait_for_display(display: str, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    env = {**os.environ, "DISPLAY": display}
    while time.monotonic() < end:
        probe = shutil.which("xdpyinfo") or shutil.which("xdotool")
        args = [probe] if probe and probe.endswith("xdpyinfo") else [probe, "getmouselocation"]
        if probe and subprocess.run(args, env=env, capture_output=True).returncode == 0:
            return True
        time.sleep(0.2)
    return False


def run_screen(deck: Path, out: Path, size: tuple[int, int], combos, extra: list[str]) -> int:
    """One Xvfb + openbox at ``size``; the app once per (language, theme). 0 when clean."""
    display = free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wm = None
    try:
        if not _wait_for_display(display):
            print(f"rehearse: Xvfb {display} did not start", file=sys.stderr)
            return 1
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env["XDG_CONFIG_HOME"] = str(out / ".config")  # the user's settings stay untouched
        wm = subprocess.Popen(
            ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(1.0)
        for lang, look in combos:
            for presentation in (True,) if "--plant" in extra else (False, True):
                how = "pres" if presentation else "win"
                where = out / f"{size[0]}x{size[1]}-{lang}-{look}-{how}"
                where.mkdir(parents=True, exist_ok=True)
                cmd = [sys.executable, __file__, "--inner", str(deck), "--out", str(where)]
                cmd += ["--lang", lang, "--theme", look, *extra]
                cmd += ["--presentation"] if presentation else []
                print(
                    f"rehearse: {size[0]}×{size[1]} {lang} {look} "
                    f"{'presentation' if presentation else 'windowed'}",
                    flush=True,
                )
                run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
                sys.stdout.write(run.stdout)
                if run.returncode != 0:
                    sys.stderr.write(run.stderr)
                    print(f"rehearse: FAILED ({where})", file=sys.stderr)
                    return run.returncode or 1
                if run.stderr.strip():
                    print("rehearse: FAILED: the app wrote to stderr:", file=sys.stderr)
                    sys.stderr.write(run.stderr)
                    return 1
        return 0
    finally:
        for proc in (wm, xvfb):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def outer(args) -> int:
    absent = missing_tools()
    if absent:
        print(f"rehearse: {', '.join(absent)} not found; install them with\n    {INSTALL}")
        print("rehearse: skipped")
        return 0
    deck = Path(args.deck).resolve()
    out = Path(args.out).resolve()
    screens = SCREENS[:1] if args.quick else SCREENS
    if args.screen:
        screens = tuple(tuple(int(v) for v in s.lower().split("x")) for s in args.screen)
    combos = COMBOS[:1] if args.quick else COMBOS
    extra = ["--quick"] if args.quick else []
    extra += ["--plant", args.plant] if args.plant else []
    for size in screens:
        rc = run_screen(deck, out, size, combos, extra)
        if rc:
            return rc
    print(f"rehearse: every step clean; screenshots in {out}")
    return 0


# -- the inner process: the app itself, driven by real key presses -------------------------


class Rehearsal:
    def __init__(self, args):
        os.environ.setdefault("CONVVIZ_CACHE_DIR", str(Path(args.out) / ".cache"))
        from PySide6 import QtCore

        from convviz.gui import app as gui_app
        from convviz.gui import i18n

        self.args = args
        self.out = Path(args.out)
        self.app = gui_app.ensure_app()
        i18n.install(args.lang)
        self.window = gui_app.create_window(["--deck", args.deck], warm_up=False)
        self.window.lecture.set_theme(args.theme)
        gui_app.fit_to_screen(self.window)
        self.window.show()
        self.step_no = 0
        self.QtCore = QtCore
        self.wait(1500)
        self.window_id = str(int(self.window.winId()))

    def wait(self, ms: int) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def key(self, name: str, settle: int = 250) -> None:
        """A real key press, through the X server to the focused window."""
        subprocess.run(
            ["xdotool", "windowactivate", "--sync", self.window_id],
            check=False,
            capture_output=True,
            timeout=10,
        )
        subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True, timeout=10)
        self.wait(settle)

    def check(self, what: str) -> None:
        from convviz.gui import invariants as inv

        self.step_no += 1
        self.wait(60)
        screen = self.window.screen() or self.app.primaryScreen()
        shot = screen.grabWindow(0)
        name = f"{self.step_no:03d}-{what.replace(' ', '_').replace('/', '-')}.png"
        shot.save(str(self.out / name))
        problems = inv.check_all(self.window)
        if problems:
            print(f"violation after step {self.step_no} ({what}); screenshot {self.out / name}")
            for p in problems:
                print(f"  {p}")
            self.finish(1)

    def finish(self, code: int) -> None:
        self.window.shutdown()
        self.window.close()
        sys.stdout.flush()
        os._exit(code)  # noqa: SLF001  (no Qt teardown noise after the verdict)

    def scene_state(self) -> tuple:
        w = self.window
        lesson = w.model.lesson
        return (
            w.deck.index,
            w.model.pos,
            w.race.active,
            w.image_mode.active,
            lesson.x.tobytes(),
            lesson.w.tobytes(),
        )

    def switch_language_and_theme(self) -> None:
        """View → Language and View → Theme there and back: the scene stays as it was."""
        w = self.window
        before = self.scene_state()
        other_lang = "en" if self.args.lang != "en" else "zh_CN"
        other_look = "dark" if self.args.theme != "dark" else "light"
        for lang, look in ((other_lang, other_look), (self.args.lang, self.args.theme)):
            w.lecture.set_language(lang)
            w.lecture.set_theme(look)
            self.wait(300)
            self.check(f"language {lang} theme {look}")
            if self.scene_state() != before:
                print(f"violation: switching to {lang}/{look} changed the scene")
                self.finish(1)

    def run(self) -> None:
        from convviz.gui import invariants as inv

        w = self.window
        deck = w.deck.deck
        if deck is None:
            print("violation: the deck did not open")
            self.finish(1)
        self.check("opened")
        windowed = inv.window_state(w)
        if self.args.presentation:
            self.key("p", 800)
            self.check("presentation")
        if self.args.plant == "small-label":
            from PySide6 import QtWidgets

            label = w.playback_bar.findChild(QtWidgets.QLabel)
            font = label.font()
            font.setPixelSize(10)
            label.setFont(font)
        last = len(deck.scenes) - 1 if not self.args.quick else min(2, len(deck.scenes) - 1)
        while True:
            scene = deck.scenes[w.deck.index]
            self.check(f"scene {w.deck.index + 1} {scene.mode}")
            if scene.mode in ("lesson", "parallel", "image") and scene.valid:
                if scene.mode == "parallel":
                    self.key("r", 400)
                    self.wait_idle()
                    self.check(f"scene {w.deck.index + 1} run")
                self.key("End")
                self.check(f"scene {w.deck.index + 1} end")
            if w.deck.index >= last:
                break
            before = w.deck.index
            self.key("Next", 600)
            if w.deck.index != before + 1:
                print(f"violation: PageDown at the end of scene {before + 1} did not go on")
                self.finish(1)
        self.key("ctrl+Home", 600)
        self.check("first scene again")
        self.key("End")
        self.key("c", 800)
        self.check("race")
        self.key("Escape", 500)
        self.check("back from the race")
        self.switch_language_and_theme()
        windowed = inv.window_state(w) if not self.args.presentation else windowed
        if not self.args.presentation:
            self.key("p", 800)
            self.check("presentation")
        self.key("b", 300)
        self.key("b", 300)
        self.check("blank and back")
        self.key("c", 800)
        self.key("Escape", 500)
        self.key("Escape", 800)
        self.check("P C Esc Esc")
        if inv.window_state(w) != windowed:
            print(f"violation: after Esc the window is {inv.window_state(w)}, was {windowed}")
            self.finish(1)
        print(f"  {self.step_no} steps clean")
        self.finish(0)

    def wait_idle(self, timeout_s: float = 120.0) -> None:
        from convviz.gui import invariants as inv

        end = time.monotonic() + timeout_s
        while inv.app_busy(self.window) and time.monotonic() < end:
            self.wait(100)
        self.wait(200)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("deck")
    p.add_argument("--out", default="rehearsal")
    p.add_argument("--quick", action="store_true", help="one screen, one language, 3 scenes")
    p.add_argument("--screen", action="append", help="WxH instead of 1920x1080 and 1366x768")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--lang", default="en", help=argparse.SUPPRESS)
    p.add_argument("--theme", default="light", help=argparse.SUPPRESS)
    p.add_argument("--presentation", action="store_true", help=argparse.SUPPRESS)
    #: a defect planted on purpose (tests/gui/test_rehearse.py): the rehearsal must fail
    p.add_argument("--plant", choices=["small-label"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.inner:
        Rehearsal(args).run()
        return 0
    return outer(args)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
