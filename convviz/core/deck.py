"""Decks: a lecture prepared at home as an ordered list of scenes in a TOML file (Qt-free).

A deck is ``version = 1`` followed by one ``[[scene]]`` table per scene::

    version = 1

    [[scene]]
    title = "The sliding window"
    note = "One channel, padding 1: the border cells copy zeros."
    mode = "lesson"          # lesson, parallel, race, image or benchmark
    size = [8, 8]            # input rows, columns (or `input = [[...], ...]`)
    pattern = "random"       # random, ramp, checkerboard, zeros
    seed = 7
    kernel = "sobel-x"       # a preset (NAME[:size[:sigma]]), rows "1 0 -1; ...", numbers,
                             # or "random": small integers, different for every channel pair
    padding = 1

Loading never fails as a whole: every scene is read and checked on its own (the file is
cut at its ``[[scene]]`` headers, so even a TOML typo spoils only its own scene), and a
scene that cannot be shown carries one message saying what is wrong. Saving
(:mod:`convviz.core.deck_write`) appends a scene to the end of the file; the text
already there is never rewritten.
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.errors import ConvvizError

if TYPE_CHECKING:
    from convviz.core.lessons import Lesson

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

VERSION = 1
MODES = ("lesson", "parallel", "race", "image", "benchmark")
#: every key a scene may have, in the order Save scene writes them
KEYS = (
    "title",
    "note",
    "mode",
    "size",
    "pattern",
    "seed",
    "input",
    "channels",
    "out_channels",
    "kernel",
    "bias",
    "stride",
    "padding",
    "dilation",
    "groups",
    "padding_mode",
    "flip",
    "step",
    "race_size",
    "image",
    "region",
)
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*scene[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)


@dataclass
class Scene:
    """One scene as the deck wrote it, and what is wrong with it (``error``, empty if
    nothing). ``settings`` holds the keys exactly as read; the accessors resolve them."""

    settings: dict[str, Any] = field(default_factory=dict)
    base: Path = Path(".")  # the deck's folder: image paths are relative to it
    index: int = 0  # 0-based position in the deck
    error: str = ""

    @property
    def valid(self) -> bool:
        return not self.error

    @property
    def mode(self) -> str:
        mode = self.settings.get("mode", "lesson")
        return mode if mode in MODES else "lesson"

    @property
    def title(self) -> str:
        return str(self.settings.get("title", ""))

    @property
    def note(self) -> str:
        return str(self.settings.get("note", ""))

    @property
    def step(self) -> int:
        return int(self.settings.get("step", -1))

    @property
    def race_size(self) -> int | None:
        v = self.settings.get("race_size")
        return None if v is None else int(v)

    @property
    def image_path(self) -> Path | None:
        v = self.settings.get("image")
        return None if v is None else (self.base / str(v))

    @property
    def region(self) -> tuple[int, int, int, int] | None:
        v = self.settings.get("region")
        return None if v is None else (int(v[0]), int(v[1]), int(v[2]), int(v[3]))

    def label(self) -> str:
        """``scene 3 (“Title”)``: how messages name this scene."""
        t = f" (“{self.title}”)" if self.title else ""
        return f"scene {self.index + 1}{t}"

    def lesson(self) -> Lesson:
        """The :class:`~convviz.core.lessons.Lesson` this scene shows; ConvvizError if its
        settings describe none."""
        return build_lesson(self.settings)

    def check(self) -> str:
        """One message saying what is wrong with this scene, or ''."""
        try:
            _check(self)
        except ConvvizError as exc:
            return f"{self.label()}: {exc}"
        return ""


@dataclass
class Deck:
    path: Path
    scenes: list[Scene]
    title: str = ""
    error: str = ""  # a problem of the file itself (its header); the scenes still load

    def __len__(self) -> int:
        return len(self.scenes)

    @property
    def problems(self) -> list[str]:
        return ([self.error] if self.error else []) + [s.error for s in self.scenes if s.error]


# -- reading -------------------------------------------------------------------------------


def split_scenes(text: str) -> tuple[str, list[str]]:
    """The text before the first ``[[scene]]`` and each scene's table body."""
    heads = list(_HEADER.finditer(text))
    if not heads:
        return text, []
    bodies = [
        text[h.end() : (heads[i + 1].start() if i + 1 < len(heads) else len(text))]
        for i, h in enumerate(heads)
    ]
    return text[: heads[0].start()], bodies


def parse_deck(text: str, path: Path) -> Deck:
    """A deck from its text; ``path`` places relative image paths. Never raises."""
    head, bodies = split_scenes(text)
    deck = Deck(path=path, scenes=[])
    try:
        top = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        top = {}
        deck.error = f"{path.name}: the lines before the first [[scene]] are not TOML ({exc})"
    version = top.get("version", VERSION)
    if version != VERSION and not deck.error:
        deck.error = f"{path.name}: deck version {version!r}; this convviz reads version {VERSION}"
    deck.title = str(top.get("title", ""))
    for i, body in enumerate(bodies):
        scene = Scene(base=path.parent, index=i)
        try:
            scene.settings = tomllib.loads(body)
        except tomllib.TOMLDecodeError as exc:
            scene.error = f"{scene.label()}: not valid TOML ({exc})"
        else:
            scene.error = scene.check()
        deck.scenes.append(scene)
    if not bodies and not deck.error:
        deck.error = f"{path.name}: no [[scene]] in this deck"
    return deck


def load_deck(path: str | os.PathLike[str]) -> Deck:
    """Read a deck. Only an unreadable file raises (ConvvizError); a bad scene does not."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConvvizError(f"{p}: no such deck") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConvvizError(f"{p}: cannot read this deck ({exc})") from None
    return parse_deck(text, p.resolve())


def _int(v: Any, name: str, minimum: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ConvvizError(f"{name} must be a whole number; got {v!r}")
    if v < minimum:
        raise ConvvizError(f"{name} must be at least {minimum}; got {v}")
    return v


def _pair(v: Any, name: str, minimum: int) -> tuple[int, int]:
    items = v if isinstance(v, list) else [v, v]
    if len(items) != 2:
        raise ConvvizError(f"{name} must be a number or a pair [rows, columns]; got {v!r}")
    a, b = (_int(x, name, minimum) for x in items)
    return a, b


def _numbers(v: Any, name: str) -> np.ndarray:
    def walk(item: Any) -> None:
        if isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, bool) or not isinstance(item, (int, float)):
            raise ConvvizError(f"{name} must hold numbers only; it holds {item!r}")
        elif not math.isfinite(item):
            raise ConvvizError(f"{name} must hold finite numbers; it holds {item!r}")

    walk(v)
    try:
        arr = np.array(v, dtype=np.float32)
    except ValueError:
        raise ConvvizError(f"{name} rows must all be the same length") from None
    return arr


def _padding(v: Any) -> object:
    if isinstance(v, str):
        if v not in ("same", "valid"):
            raise ConvvizError(f'padding must be a number, a list, "same" or "valid"; got {v!r}')
        return v
    if isinstance(v, list):
        if len(v) not in (2, 4):
            raise ConvvizError(f"padding takes 1, 2 or 4 numbers; got {v!r}")
        return tuple(_int(x, "padding", 0) for x in v)
    return _int(v, "padding", 0)


def build_lesson(s: dict[str, Any]) -> Lesson:
    """The lesson a scene's settings describe (ConvvizError naming the first bad one)."""
    from convviz.core.kernels import resolve_kernel
    from convviz.core.lessons import MAX_CHANNELS, Lesson, make_input, random_kernels

    seed = _int(s.get("seed", 7), "seed", 0)
    pattern = str(s.get("pattern", "random"))
    if "input" in s:
        x = _numbers(s["input"], "input")
        if x.ndim == 2:
            x = x[None]
        if x.ndim != 3 or 0 in x.shape:
            raise ConvvizError("input must be rows of numbers, or a list of channels of rows")
        channels = x.shape[0]
    else:
        channels = _int(s.get("channels", 1), "channels", 1)
        h, w = _pair(s.get("size", [8, 8]), "size", 1)
        x = make_input(pattern, h, w, channels=channels, seed=seed)
    c_out = _int(s.get("out_channels", 1), "out_channels", 1)
    if max(channels, c_out) > MAX_CHANNELS:
        raise ConvvizError(f"a lesson shows at most {MAX_CHANNELS} channels a side")
    groups = _int(s.get("groups", 1), "groups", 1)
    if channels % groups or c_out % groups:
        raise ConvvizError(f"groups = {groups} must divide {channels} input and {c_out} outputs")
    cin_g = channels // groups
    kernel = s.get("kernel", "sobel-x")
    name, kernel_mode = "custom", "custom"
    if isinstance(kernel, str):
        if kernel.strip().lower() == "random":
            k = random_kernels(c_out, cin_g, 3, 3, seed=seed)
            name, kernel_mode = "random", "random"
        else:
            k = resolve_kernel(kernel)
            name, kernel_mode = kernel.split(":")[0].strip().lower(), "same"
    else:
        k = _numbers(kernel, "kernel")
    if k.ndim == 2:
        k = np.ascontiguousarray(np.broadcast_to(k, (c_out, cin_g) + k.shape))
    if k.ndim != 4 or k.shape[:2] != (c_out, cin_g):
        raise ConvvizError(
            f"kernel must be rows of numbers or {c_out} × {cin_g} kernels; got shape {k.shape}"
        )
    bias = None
    if "bias" in s:
        bias = _numbers(s["bias"], "bias").reshape(-1)
        if bias.shape != (c_out,):
            raise ConvvizError(f"bias needs one number per output channel ({c_out})")
    mode = str(s.get("padding_mode", "zeros"))
    lesson = Lesson(
        x=x,
        w=k,
        bias=bias,
        stride=_pair(s.get("stride", 1), "stride", 1),
        padding=_padding(s.get("padding", 1)),
        dilation=_pair(s.get("dilation", 1), "dilation", 1),
        groups=groups,
        padding_mode=mode,
        flip=bool(s.get("flip", False)),
        kernel_name=name,
        pattern=pattern if "input" not in s else "custom",
        kernel_mode=kernel_mode,
    )
    lesson.prepare()  # the geometry: the kernel fits, the padding mode exists, …
    return lesson


def _check(scene: Scene) -> None:
    s = scene.settings
    unknown = sorted(set(s) - set(KEYS))
    if unknown:
        raise ConvvizError(f"unknown setting {unknown[0]!r}; a scene knows {', '.join(KEYS)}")
    if s.get("mode", "lesson") not in MODES:
        raise ConvvizError(f"mode {s.get('mode')!r}: use one of {', '.join(MODES)}")
    for key in ("title", "note"):
        if key in s and not isinstance(s[key], str):
            raise ConvvizError(f"{key} must be text in quotes")
    if "step" in s:
        _int(s["step"], "step", -1)
    if "race_size" in s:
        from convviz.core.race import SIDES

        side = _int(s["race_size"], "race_size", 1)
        if side > max(SIDES):
            raise ConvvizError(f"race_size must be at most {max(SIDES)}; got {side}")
    if s.get("mode") == "image" and "image" not in s:
        raise ConvvizError('an image scene needs image = "path/to/photo.png"')
    if "image" in s:
        path = scene.image_path
        if path is None or not path.is_file():
            raise ConvvizError(f"image {s['image']!r} not found (looked for {path})")
    if "region" in s:
        r = s["region"]
        if not isinstance(r, list) or len(r) != 4:
            raise ConvvizError("region must be [top, left, rows, columns]")
        for v, n in zip(r, ("top", "left", "rows", "columns"), strict=True):
            _int(v, f"region {n}", 0 if n in ("top", "left") else 1)
    build_lesson(s)


def image_lesson(scene: Scene) -> Lesson:
    """An image scene's animated lesson: the region (``region`` or the centre) of the
    photo in grey, through the scene's kernel, padding and mode (stride 1)."""
    from convviz.core import region as regions
    from convviz.core.images import load_image
    from convviz.core.spec import prepare

    path = scene.image_path
    if path is None:
        raise ConvvizError(f"{scene.label()}: no image")
    img = load_image(path, gray=True)
    x = np.asarray(img, np.float32).reshape((1,) + np.shape(img)[-2:])
    base = scene.lesson()
    w = np.asarray(base.w[:1, :1])
    spec = prepare(x, w, padding=base.padding, padding_mode=base.padding_mode).spec
    r = scene.region
    region = regions.clamp_region(regions.Region(*r), spec) if r else regions.centre_region(spec)
    lesson, _ = regions.region_lesson(x, w, spec, region, base.kernel_name)
    return lesson


def race_lesson(scene: Scene) -> Lesson:
    """A race scene's lesson: its input replaced by ``race_size``² random digits (same
    channels and seed) when the scene names a race size."""
    lesson = scene.lesson()
    side = scene.race_size
    if side:
        rng = np.random.default_rng(int(scene.settings.get("seed", 7)))
        x = rng.integers(0, 10, (lesson.x.shape[0], side, side)).astype(np.float32)
        lesson.x = np.ascontiguousarray(x)
    return lesson
