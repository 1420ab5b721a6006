"""Named kernel presets and the parsing of kernels a user types or loads.

Presets follow the cross-correlation convention of deep learning: ``sobel-x``
responds positively where intensity grows to the right when applied with
``flip=False``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import SupportsInt

import numpy as np

from convviz.errors import ConvvizError

MAX_KERNEL = 63  # sanity bound on a typed kernel's side


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    make: Callable[..., np.ndarray]
    params: tuple[str, ...] = ()  # subset of ("size", "sigma")
    description: str = ""


def _odd_size(size: SupportsInt) -> int:
    size = int(size)
    if size < 1 or size > MAX_KERNEL:
        raise ConvvizError(f"kernel size must be between 1 and {MAX_KERNEL}; got {size}")
    return size


def identity(size: int = 3) -> np.ndarray:
    size = _odd_size(size)
    k = np.zeros((size, size), np.float32)
    k[size // 2, size // 2] = 1
    return k


def box(size: int = 3) -> np.ndarray:
    size = _odd_size(size)
    return np.full((size, size), 1.0 / (size * size), np.float32)


def gaussian(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    size = _odd_size(size)
    sigma = float(sigma)
    if not math.isfinite(sigma) or sigma <= 0:
        raise ConvvizError(f"gaussian sigma must be a positive number; got {sigma}")
    r = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(r**2) / (2 * sigma**2))
    k = np.outer(g, g)
    return np.asarray(k / k.sum(), np.float32)


def motion_blur(size: int = 9) -> np.ndarray:
    size = _odd_size(size)
    return (np.eye(size) / size).astype(np.float32)


def _fixed(rows: list[list[int]]) -> Callable[[], np.ndarray]:
    return lambda: np.array(rows, np.float32)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset("identity", "Identity", identity, ("size",), "copies the input"),
        Preset("box", "Box blur", box, ("size",), "mean of the window"),
        Preset("gaussian", "Gaussian blur", gaussian, ("size", "sigma"), "weighted blur"),
        Preset(
            "sharpen",
            "Sharpen",
            _fixed([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
            description="boosts the centre against its neighbours",
        ),
        Preset(
            "sobel-x",
            "Sobel x",
            _fixed([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
            description="horizontal gradient (vertical edges)",
        ),
        Preset(
            "sobel-y",
            "Sobel y",
            _fixed([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
            description="vertical gradient (horizontal edges)",
        ),
        Preset(
            "scharr-x",
            "Scharr x",
            _fixed([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]),
            description="horizontal gradient, more rotation-invariant",
        ),
        Preset(
            "scharr-y",
            "Scharr y",
            _fixed([[-3, -10, -3], [0, 0, 0], [3, 10, 3]]),
            description="vertical gradient, more rotation-invariant",
        ),
        Preset(
            "laplacian",
            "Laplacian",
            _fixed([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
            description="second derivative: edges in every direction",
        ),
        Preset(
            "emboss",
            "Emboss",
            _fixed([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
            description="relief effect",
        ),
        Preset(
            "outline",
            "Outline (edge)",
            _fixed([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
            description="edges in every direction, strong response",
        ),
        Preset("motion-blur", "Motion blur", motion_blur, ("size",), "diagonal smear"),
    ]
}
ALIASES = {"edge": "outline", "motion": "motion-blur", "blur": "box", "sobel": "sobel-x"}


def preset(name: str, size: int | None = None, sigma: float | None = None) -> np.ndarray:
    """The kernel of a named preset, with optional size / sigma where it takes them."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in PRESETS:
        raise ConvvizError(f"unknown kernel preset {name!r}; known: {', '.join(PRESETS)}")
    p = PRESETS[key]
    kwargs: dict[str, float] = {}
    if size is not None:
        if "size" not in p.params:
            raise ConvvizError(f"preset {key!r} has a fixed size; it takes no size")
        kwargs["size"] = size
    if sigma is not None:
        if "sigma" not in p.params:
            raise ConvvizError(f"preset {key!r} takes no sigma")
        kwargs["sigma"] = sigma
    return p.make(**kwargs)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FRACTION = re.compile(r"^[+-]?\d+\s*/\s*\d+$")


def parse_number(token: str, where: str = "") -> float:
    """One typed kernel entry: a decimal or a fraction such as ``1/9``; nothing else."""
    t = token.strip()
    loc = f" at {where}" if where else ""
    low = t.lower().lstrip("+-")
    if low in ("nan", "inf", "infinity"):
        raise ConvvizError(f"{t!r}{loc} is not finite; a kernel needs finite numbers")
    if _NUMBER.match(t):
        v = float(t)
        if not math.isfinite(v):
            raise ConvvizError(f"{t!r}{loc} is too large to be a float32 weight")
        return v
    if _FRACTION.match(t):
        num, den = t.split("/")
        if int(den) == 0:
            raise ConvvizError(f"{t!r}{loc} divides by zero")
        return float(Fraction(int(num), int(den)))
    raise ConvvizError(f"{t!r}{loc} is not a number")


def parse_kernel(text: str) -> np.ndarray:
    """Parse a typed kernel: rows separated by ``;`` or newlines, entries by spaces or commas.

    Examples: ``"1 0 -1; 2 0 -2; 1 0 -1"``, ``"1/9 1/9 1/9\\n..."``.
    """
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    if not rows:
        raise ConvvizError("the kernel is empty: type rows of numbers, separated by ';'")
    values = []
    for i, row in enumerate(rows, 1):
        tokens = [t for t in re.split(r"[,\s]+", row.strip()) if t]
        values.append([parse_number(t, f"row {i}, column {j}") for j, t in enumerate(tokens, 1)])
        if len(values[-1]) != len(values[0]):
            raise ConvvizError(
                f"row {i} has {len(values[-1])} numbers but row 1 has "
                f"{len(values[0])}; every row needs the same count"
            )
    k = np.array(values, np.float64)
    if max(k.shape) > MAX_KERNEL:
        raise ConvvizError(
            f"kernel {k.shape[0]}×{k.shape[1]} is larger than {MAX_KERNEL}×{MAX_KERNEL}"
        )
    if np.abs(k).max() > np.finfo(np.float32).max:
        raise ConvvizError("a kernel weight is too large for float32")
    return k.astype(np.float32)


def resolve_kernel(spec: str) -> np.ndarray:
    """A kernel from the command line: ``NAME[:size[:sigma]]``, a ``.npy``/``.txt`` file, or rows.

    ``gaussian:7:2`` is a 7×7 Gaussian with sigma 2; ``"1 0 -1; 2 0 -2; 1 0 -1"`` a typed kernel.
    """
    text = spec.strip()
    path = Path(text)
    if text.lower().endswith((".npy", ".txt")):
        return load_kernel(path)
    head, *params = text.split(":")
    if ALIASES.get(head.lower(), head.lower()) in PRESETS and len(params) <= 2:
        size = int(parse_number(params[0], "size")) if params else None
        sigma = parse_number(params[1], "sigma") if len(params) > 1 else None
        return preset(head, size=size, sigma=sigma)
    if re.match(r"^[A-Za-z][\w-]*$", text):
        raise ConvvizError(f"unknown kernel preset {text!r}; known: {', '.join(PRESETS)}")
    return parse_kernel(text)


def load_kernel(path: Path) -> np.ndarray:
    """Load a kernel from ``.npy`` (2-D or 4-D) or ``.txt`` (rows of numbers)."""
    path = Path(path)
    if not path.is_file():
        raise ConvvizError(f"kernel file {str(path)!r} does not exist")
    if path.suffix.lower() == ".npy":
        try:
            k = np.load(path, allow_pickle=False)
        except Exception as exc:
            raise ConvvizError(
                f"kernel file {str(path)!r} is not a readable .npy ({exc})"
            ) from None
        if k.ndim not in (2, 4) or not np.issubdtype(k.dtype, np.number):
            raise ConvvizError(
                f"kernel file {str(path)!r} holds {k.dtype} of shape {k.shape}; "
                "a 2-D or 4-D array of numbers is needed"
            )
        if not np.isfinite(k).all():
            raise ConvvizError(f"kernel file {str(path)!r} holds NaN or inf")
        return np.asarray(k, np.float32)
    try:
        return parse_kernel(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConvvizError(f"kernel file {str(path)!r} is not text") from None


def save_kernel(path: Path, k: np.ndarray) -> None:
    """Save a kernel as ``.npy`` or as ``.txt`` rows that :func:`parse_kernel` reads back."""
    path = Path(path)
    if path.suffix.lower() == ".npy":
        np.save(path, np.asarray(k, np.float32))
    else:
        rows = [" ".join(repr(float(v)) for v in row) for row in np.asarray(k, np.float32)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
