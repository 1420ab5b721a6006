"""Saving results: exact float32 (.npy, one-channel TIFF) or 8-bit images, written
atomically, never over an input unless asked (see :mod:`convviz.core.images`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from convviz.errors import ConvvizError

#: File suffixes ``save_result`` writes.
OUTPUT_SUFFIXES = (".npy", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def error_reason(exc: BaseException) -> str:
    """An exception as one line: an OSError's reason, else its text with spaces folded."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return " ".join(str(text).split()) or type(exc).__name__


def check_output_path(
    out: Path, inputs: Iterable[str | os.PathLike[str]] = (), force: bool = False
) -> None:
    """Refuse to overwrite an input, or an existing file unless ``force``."""
    out = Path(out)
    for src in inputs:
        src = Path(src)
        if (
            src.exists()
            and out.exists()
            and (out.resolve() == src.resolve() or os.path.samefile(out, src))
        ):
            raise ConvvizError(f"{out}: is the input; refusing to overwrite it")
    if out.is_dir():
        raise ConvvizError(f"{out}: is a folder; give a file name")
    if out.exists() and not force:
        raise ConvvizError(f"{out}: already exists (use --force to overwrite)")
    if not out.parent.exists():
        raise ConvvizError(f"{out.parent}: no such folder")


def save_result(path: Path, out: np.ndarray) -> str:
    """Save a float32 result; returns a note on what was written (see module doc)."""
    path = Path(path)
    ext = path.suffix.lower()
    arr = np.asarray(out, np.float32)
    if ext == ".npy":
        _atomic_write(path, lambda f: np.save(f, arr, allow_pickle=False))
        return "(float32, exact)"
    if arr.ndim == 3 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim not in (2, 3):
        raise ConvvizError(f"{path}: a {arr.ndim}-D array cannot be an image; use .npy")
    from PIL import Image

    if ext in (".tif", ".tiff"):
        if arr.ndim == 3:
            raise ConvvizError(
                f"{path}: Pillow cannot write a {arr.shape[0]}-channel "
                "float32 TIFF; save as .npy (exact) or .png (8-bit)"
            )
        im = Image.fromarray(np.ascontiguousarray(arr), mode="F")
        _atomic_write(path, lambda f: im.save(f, format="TIFF"))
        return "(float32 TIFF, exact)"

    fmt = Image.registered_extensions().get(ext)
    if ext not in OUTPUT_SUFFIXES or fmt is None:
        raise ConvvizError(
            f"{path}: cannot save as {ext or 'a file without suffix'!r}; "
            f"use one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    img = arr if arr.ndim == 2 else np.moveaxis(arr, 0, -1)
    if img.ndim == 3 and img.shape[-1] not in (3, 4):
        raise ConvvizError(f"{path}: {arr.shape[0]} channels cannot be an image; use .npy")
    if not np.isfinite(img).all():
        raise ConvvizError(
            f"{path}: the result holds NaN or infinite values; save as .npy or .tif to keep them"
        )
    lo, hi = float(img.min()), float(img.max())
    if lo >= 0 and hi <= 255:
        u8 = np.round(img).astype(np.uint8)
        exact = bool(np.array_equal(u8, img))
        note = "values 0–255 kept" if exact else "values in 0–255 rounded to integers"
    elif hi > lo:
        u8 = np.round((img - lo) * (255.0 / (hi - lo))).astype(np.uint8)
        note = f"{lo:.4g}…{hi:.4g} stretched to 0–255"
    else:
        u8 = np.zeros(img.shape, np.uint8)
        note = f"constant {lo:.4g} written as 0"
    options: dict[str, dict[str, Any]] = {"JPEG": {"quality": 95}, "WEBP": {"lossless": True}}
    kwargs = options.get(fmt, {})
    lossy = ", lossy JPEG" if fmt == "JPEG" else ""
    try:
        im = Image.fromarray(u8)
        _atomic_write(path, lambda f: im.save(f, format=fmt, **kwargs))
    except ConvvizError:
        raise
    except (KeyError, ValueError, OSError) as exc:  # e.g. "cannot write mode RGBA as JPEG"
        raise ConvvizError(f"{path}: cannot save in this format ({error_reason(exc)})") from None
    return f"(8-bit, {note}{lossy})"


def _atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write via a temporary file in the same folder, then rename over ``path``.

    The temporary file is created with mode 0o666 less the umask, like open().
    """
    import secrets  # (hashlib and hmac: not at start-up, where this module is imported)

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot write ({error_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.errno is not None:
            raise ConvvizError(f"{path}: cannot write ({error_reason(exc)})") from None
        raise
