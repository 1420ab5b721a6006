"""Writing decks (:mod:`convviz.core.deck`): a scene appended, never a file rewritten.

A tiny TOML emitter for the deck's small schema (strings, numbers, booleans and nested
lists of numbers), and the scene keys that give back a lesson.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.core.deck import KEYS, VERSION
from convviz.errors import ConvvizError

if TYPE_CHECKING:
    from convviz.core.lessons import Lesson


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return str(np.float32(f)) if float(np.float32(f)) == f else repr(f)
    if isinstance(v, str):
        esc = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        esc = esc.replace("\t", "\\t").replace("\r", "\\r")
        return f'"{esc}"'
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} to a deck")


def scene_text(settings: dict[str, Any]) -> str:
    """One ``[[scene]]`` table (valid TOML), keys in :data:`KEYS` order."""
    lines = ["[[scene]]"]
    for key in KEYS:
        if key in settings and settings[key] is not None:
            lines.append(f"{key} = {_toml_value(settings[key])}")
    return "\n".join(lines) + "\n"


def append_scene(path: str | os.PathLike[str], settings: dict[str, Any]) -> None:
    """Add a scene at the end of the deck at ``path`` (created with ``version = 1`` when
    absent). What the file holds is kept byte for byte: the scene is appended."""
    p = Path(path)
    text = scene_text(settings)
    try:
        if p.exists():
            old = p.read_bytes()
            sep = b"" if not old else b"\n" if old.endswith(b"\n") else b"\n\n"
            with p.open("ab") as f:
                f.write(sep + text.encode("utf-8"))
        else:
            p.write_text(f"version = {VERSION}\n\n{text}", encoding="utf-8")
    except OSError as exc:
        raise ConvvizError(f"{p}: cannot save the scene ({exc})") from None


def lesson_settings(lesson: Lesson) -> dict[str, Any]:
    """The scene keys that give back ``lesson`` (pattern and preset names where they
    reproduce its numbers, the numbers themselves where they do not)."""
    from convviz.core.kernels import preset
    from convviz.core.lessons import make_input

    x, w = np.asarray(lesson.x), np.asarray(lesson.w)
    out: dict[str, Any] = {}
    c, h, wd = x.shape
    same_input = False
    if lesson.pattern in ("random", "ramp", "checkerboard", "zeros"):
        for seed in (7, 0):
            if np.array_equal(make_input(lesson.pattern, h, wd, channels=c, seed=seed), x):
                out.update(size=[h, wd], pattern=lesson.pattern, seed=seed)
                same_input = True
                break
    if not same_input:
        out["input"] = (x[0] if c == 1 else x).tolist()
    elif c > 1:
        out["channels"] = c
    if w.shape[0] > 1:
        out["out_channels"] = int(w.shape[0])
    kernel: Any = None
    try:
        k = preset(lesson.kernel_name)
        if k.shape == w.shape[2:] and np.array_equal(np.broadcast_to(k, w.shape), w):
            kernel = lesson.kernel_name
    except ConvvizError:
        pass
    if kernel is None:
        kernel = w[0, 0].tolist() if (w == w[:1, :1]).all() else w.tolist()
    out["kernel"] = kernel
    if lesson.bias is not None:
        out["bias"] = np.asarray(lesson.bias).reshape(-1).tolist()
    for key, default in (("stride", (1, 1)), ("dilation", (1, 1))):
        v = tuple(getattr(lesson, key))
        if v != default:
            out[key] = list(v)
    pad = lesson.padding
    out["padding"] = list(pad) if isinstance(pad, (tuple, list)) else pad
    if lesson.groups != 1:
        out["groups"] = lesson.groups
    if lesson.padding_mode != "zeros":
        out["padding_mode"] = lesson.padding_mode
    if lesson.flip:
        out["flip"] = True
    return out


def relative_image(image: str | os.PathLike[str], deck_path: str | os.PathLike[str]) -> str:
    """``image`` as a deck at ``deck_path`` names it: relative to the deck's folder."""
    folder = Path(deck_path).resolve().parent
    try:
        return Path(os.path.relpath(Path(image).resolve(), folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(image).resolve().as_posix()
