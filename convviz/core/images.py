"""Loading inputs and saving results (.npy arrays and images via Pillow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from convviz.errors import ConvvizError

#: Refuse images above this many pixels before decoding them (decompression bombs).
MAX_PIXELS = 100_000_000


def load_array(path: Path, gray: bool = False) -> np.ndarray:
    """A float32 (H, W) or (C, H, W) array from a .npy file or an image."""
    path = Path(path)
    if not path.exists():
        raise ConvvizError(f"{path}: no such file")
    if path.suffix.lower() == ".npy":
        try:
            arr = np.load(path, allow_pickle=False)
        except Exception as exc:
            raise ConvvizError(f"{path}: not a readable .npy file ({exc})") from None
        if arr.ndim not in (2, 3) or not np.issubdtype(arr.dtype, np.number):
            raise ConvvizError(f"{path}: holds {arr.dtype} of shape {arr.shape}; "
                               "a 2-D or 3-D array of numbers is needed")
        return arr.astype(np.float32)
    return load_image(path, gray=gray)


def load_image(path: Path, gray: bool = False) -> np.ndarray:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            if im.width * im.height > MAX_PIXELS:
                raise ConvvizError(f"{path}: {im.width}×{im.height} is above the limit of "
                                   f"{MAX_PIXELS:,} pixels")
            im = ImageOps.exif_transpose(im)
            im = im.convert("L" if gray else "RGB" if im.mode not in ("L", "I;16", "I", "F")
                            else im.mode)
            arr = np.asarray(im, dtype=np.float32)
    except ConvvizError:
        raise
    except UnidentifiedImageError:
        raise ConvvizError(f"{path}: not an image Pillow can read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ConvvizError(f"{path}: cannot decode image ({exc})") from None
    return np.ascontiguousarray(np.moveaxis(arr, -1, 0)) if arr.ndim == 3 else arr


def check_output_path(out: Path, inputs=(), force: bool = False) -> None:
    """Refuse to overwrite an input, or an existing file unless ``force``."""
    out = Path(out)
    for src in inputs:
        if Path(src).exists() and out.exists() and out.resolve() == Path(src).resolve():
            raise ConvvizError(f"{out}: is the input; refusing to overwrite it")
    if out.exists() and not force:
        raise ConvvizError(f"{out}: already exists (use --force to overwrite)")
    if not out.parent.exists():
        raise ConvvizError(f"{out.parent}: no such folder")


def save_result(path: Path, out: np.ndarray) -> str:
    """Save a float32 result; returns a note on what was written."""
    from PIL import Image

    path = Path(path)
    ext = path.suffix.lower()
    arr = np.asarray(out, np.float32)
    try:
        if ext == ".npy":
            np.save(path, arr)
            return "(float32, exact)"
        if ext in (".tif", ".tiff") and arr.ndim == 2:
            Image.fromarray(arr, mode="F").save(path)
            return "(float32 TIFF, exact)"
        img = arr if arr.ndim == 2 else np.moveaxis(arr, 0, -1)
        if img.ndim == 3 and img.shape[-1] not in (3, 4):
            raise ConvvizError(f"{path}: {arr.shape[0]} channels cannot be an image; use .npy")
        lo, hi = float(img.min()), float(img.max())
        if lo >= 0 and hi <= 255:
            u8, note = np.round(img).astype(np.uint8), "(8-bit, values 0–255 kept)"
        else:
            scale = 255.0 / (hi - lo) if hi > lo else 0.0
            u8 = np.round((img - lo) * scale).astype(np.uint8)
            note = f"(8-bit, {lo:.4g}…{hi:.4g} stretched to 0–255)"
        Image.fromarray(u8).save(path)
        return note
    except ConvvizError:
        raise
    except (KeyError, ValueError) as exc:
        raise ConvvizError(f"{path}: cannot save in this format ({exc})") from None
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot write ({exc.strerror or exc})") from None
