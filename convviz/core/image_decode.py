"""Decoding images via Pillow, every conversion explicit.

The loaders of :mod:`convviz.core.images` call this module; what a loaded input is
(:class:`ImageInfo`), the limits and .npy files are :mod:`convviz.core.image_read`.

Loading
-------
``load_array(path, gray=False)`` returns float32 ``(H, W)`` for a grey image and
``(3, H, W)`` for a colour one (``gray=True`` turns colour into grey); a ``.npy``
file comes back as float32 with its own 2-D or 3-D shape. ``load_image_info``
returns the same array and an :class:`ImageInfo` describing what was done.

Formats: PNG, JPEG (including MPO from cameras), BMP, TIFF (first page), WebP
(when Pillow was built with it), GIF (first frame) and PNM. Other formats
Pillow knows (EPS, PSD, ICO, ...) are refused on purpose: fewer parsers, less
attack surface (EPS would even start Ghostscript).

Conversions, always explicit and listed in ``ImageInfo.notes``:

* 1-bit -> grey with values 0 and 255.
* Palette (P/PA) -> RGB through the palette; a palette of greys only -> grey.
* CMYK -> RGB with Pillow's plain formula (no ICC colour management).
* YCbCr -> RGB.
* ``gray=True`` on colour: ITU-R 601-2 luma, ``(19595 R + 38470 G + 7471 B +
  32768) >> 16`` -- Pillow's own ``convert("L")`` formula, kept for 16-bit.
* Values are never rescaled: 8-bit images give 0..255, 16-bit images 0..65535,
  32-bit integer / float images their own values.

Alpha policy (``ImageInfo.alpha``): the engine filters colour or grey only, so
an alpha channel -- and a palette or colour-key transparency (tRNS, GIF) -- is
**dropped**, not composited: every pixel keeps the colour values stored in the
file, including fully transparent ones. ``alpha`` is ``"none"`` when the file
has no transparency and ``"dropped"`` when it had some. LA -> L, RGBA -> RGB,
palette with transparency -> RGB.

16-bit policy: 16-bit samples keep their range, 0..65535 as float32.

* Grey 16-bit PNG and TIFF: Pillow's "I;16" modes, exact.
* Colour 16-bit PNG (RGB, RGBA) and grey+alpha 16-bit PNG (LA): Pillow opens
  these as 8-bit modes and would keep only the high byte of each sample. Here
  the same zlib/PNG-filter decoder of Pillow is run with a raw mode that yields
  the other byte ("RGB;16L" / "RGBA;16L" for colour: a second decode, "RGBA" for
  LA: all four bytes at once), and the two bytes are joined -- exact, at the cost
  of decoding a 16-bit colour PNG twice. This uses ``ImageFile.tile`` (Pillow's
  plug-in interface); if that ever fails, the 8-bit high bytes are returned and
  ``notes`` says so.
* Colour 16-bit TIFF (and any other 16-bit colour format): Pillow reduces it
  to 8 bits (the high byte of each sample, values 0..255). That is what is
  returned; ``bit_depth`` stays 16 and ``notes`` says the low byte was lost.

EXIF orientation (tag 274, values 2..8: rotations and mirrors) is applied, and
``ImageInfo.exif_rotated`` says whether it was. Unreadable EXIF is ignored (noted).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from convviz.core import image_read
from convviz.core.image_read import ImageInfo, Note, finite_range, too_large
from convviz.core.image_save import error_reason
from convviz.errors import ConvvizError

#: Pillow format names the loader accepts (``Image.open(formats=...)``).
PIL_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "WEBP", "GIF", "PPM")
_GREY_16 = ("I;16", "I;16L", "I;16B", "I;16N")
_ALPHA_MODES = ("LA", "La", "PA", "RGBA", "RGBa")
# 16-bit PNG raw modes Pillow reduces to 8 bits -> the raw mode giving the other bytes.
_PNG16_LOW = {"RGB;16B": "RGB;16L", "RGBA;16B": "RGBA;16L", "LA;16B": "RGBA"}


def _png_header_size(f: BinaryIO) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR, read without Pillow (for messages only)."""
    f.seek(0)
    head = f.read(24)
    if len(head) == 24 and head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return None


def load_pil(path: Path, f: BinaryIO, gray: bool) -> tuple[np.ndarray, ImageInfo]:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Our MAX_PIXELS check (stricter) runs right after open; see module doc.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(f, formats=PIL_FORMATS)
        except UnidentifiedImageError:
            raise ConvvizError(
                f"{path}: not an image (Pillow cannot identify it as PNG, "
                "JPEG, BMP, TIFF, WebP, GIF or PNM)"
            ) from None
        except Image.DecompressionBombError as exc:
            m = re.search(r"\((\d+) pixels\)", str(exc))
            n = int(m.group(1)) if m else image_read.MAX_PIXELS + 1
            dims = _png_header_size(f)
            raise too_large(path, n, dims if dims and dims[0] * dims[1] == n else None) from None
        except MemoryError:
            raise ConvvizError(f"{path}: not enough memory to read the header") from None
        except Exception as exc:  # SyntaxError, struct.error, ... from a broken header
            raise ConvvizError(f"{path}: corrupt image header ({error_reason(exc)})") from None
        with im:
            return _decode(path, f, im, gray)


def _decode(path: Path, f: BinaryIO, im: Any, gray: bool) -> tuple[np.ndarray, ImageInfo]:
    from PIL import ImageFile

    w, h = im.size
    if w * h > image_read.MAX_PIXELS:  # read here: tests lower it
        raise too_large(path, w * h, (w, h))
    if w <= 0 or h <= 0:
        raise ConvvizError(f"{path}: the header says {w}×{h}; no pixels to load")
    fmt, mode = im.format or "?", im.mode
    supported = _GREY_16 + (
        "1",
        "L",
        "LA",
        "P",
        "PA",
        "RGB",
        "RGBA",
        "RGBa",
        "RGBX",
        "CMYK",
        "YCbCr",
        "I",
        "F",
    )
    if mode not in supported:
        raise ConvvizError(
            f"{path}: unsupported image mode {mode!r} (convviz reads grey, "
            "RGB, RGBA, palette, CMYK, 16-bit grey and float images)"
        )
    tile = list(getattr(im, "tile", ()))
    rawmode = tile[0][3] if len(tile) == 1 and len(tile[0]) > 3 else None
    png16 = (
        (
            fmt == "PNG"
            and tile[0][0] == "zip"
            and isinstance(rawmode, str)
            and rawmode in _PNG16_LOW
        )
        if tile
        else False
    )
    # Pillow opens some 16-bit files in an 8-bit mode (keeping the high bytes).
    is16_reduced = ";16" in str(rawmode) and mode in ("LA", "RGB", "RGBA", "RGBX")
    # Pillow < 11 opened 16-bit grey PNG as mode "I" (values still 0..65535).
    grey16_as_i = mode == "I" and "I;16" in str(rawmode)
    if png16 and rawmode == "LA;16B":
        # All four bytes (L hi, L lo, A hi, A lo) at once; same PNG filter stride.
        im.tile = [_retile(tile[0], "RGBA")]

    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone changed Pillow's global: say so
        warnings.warn(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True: truncated images "
            "will load with grey filler",
            RuntimeWarning,
            stacklevel=3,
        )
    try:
        im.load()
    except MemoryError:
        raise ConvvizError(f"{path}: not enough memory to decode {w}×{h} pixels") from None
    except Exception as exc:  # OSError("image file is truncated"), zlib/SyntaxError, ...
        raise ConvvizError(
            f"{path}: truncated or corrupt image data ({error_reason(exc)})"
        ) from None

    notes: list[Note] = []
    has_alpha = mode in _ALPHA_MODES or "transparency" in im.info
    bit_depth = {"1": 1, "I": 32, "F": 32}.get(mode, 16 if mode in _GREY_16 else 8)
    if is16_reduced or grey16_as_i:
        bit_depth = 16

    px = None
    if png16 and rawmode is not None:
        px = _png16(path, f, im, rawmode, notes)
        if px is not None:
            what = "grey+alpha" if rawmode == "LA;16B" else "colour"
            notes.append(Note("png16_exact", what))
    elif is16_reduced:
        notes.append(Note("reduced_by_pillow", fmt))
    if px is None:
        px = _pil_pixels(im, mode, notes)
    if has_alpha:
        notes.append(Note("alpha_dropped"))

    if px.ndim == 3 and gray:
        r, g, b = (px[..., i].astype(np.uint32) for i in range(3))
        px = ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16).astype(px.dtype)
        notes.append(Note("to_grey"))

    orientation, exif_note = _orientation(im)
    if exif_note:
        notes.append(exif_note)
    px = _orient(px, orientation)
    if orientation != 1:
        notes.append(Note("exif_applied", orientation))

    frames = 1
    try:
        frames = int(getattr(im, "n_frames", 1))
    except Exception:  # a broken later frame: the first one loaded fine
        notes.append(Note("frames_uncounted"))
    if frames > 1:
        notes.append(Note("first_frame", frames))

    arr = _to_float(px)
    if grey16_as_i:
        value_range = (0.0, 65535.0)
    elif mode in ("I", "F"):
        value_range = finite_range(arr)
    else:
        value_range = (0.0, 65535.0 if px.dtype == np.uint16 else 255.0)
    info = ImageInfo(
        path=path,
        format=fmt,
        mode=mode,
        size=(px.shape[1], px.shape[0]),
        channels=1 if arr.ndim == 2 else arr.shape[0],
        bit_depth=bit_depth,
        value_range=value_range,
        alpha="dropped" if has_alpha else "none",
        exif_rotated=orientation != 1,
        frames=frames,
        notes=tuple(notes),
    )
    return arr, info


def _retile(t: Any, rawmode: str) -> Any:
    return t._replace(args=rawmode) if hasattr(t, "_replace") else (t[0], t[1], t[2], rawmode)


def _png16(path: Path, f: BinaryIO, im: Any, rawmode: str, notes: list[Note]) -> np.ndarray | None:
    """Full 16-bit samples of a colour / LA PNG that Pillow opens as 8-bit (see doc)."""
    from PIL import Image

    try:
        if rawmode == "LA;16B":  # im was decoded with raw mode "RGBA": Lhi Llo Ahi Alo
            b = np.asarray(im)
            return np.asarray((b[..., 0].astype(np.uint16) << 8) | b[..., 1])
        hi = np.asarray(im)[..., :3]
        f.seek(0)
        with Image.open(f, formats=["PNG"]) as im2:
            if len(im2.tile) != 1 or im2.tile[0][3] != rawmode or im2.size != im.size:
                raise ValueError("unexpected second decode")
            im2.tile = [_retile(im2.tile[0], _PNG16_LOW[rawmode])]
            im2.load()
            lo = np.asarray(im2)[..., :3]
        return np.asarray((hi.astype(np.uint16) << 8) | lo)
    except Exception as exc:
        if rawmode == "LA;16B":
            raise ConvvizError(
                f"{path}: truncated or corrupt image data ({error_reason(exc)})"
            ) from None
        notes.append(Note("png16_reduced", error_reason(exc)))
        return None


def _pil_pixels(im: Any, mode: str, notes: list[Note]) -> np.ndarray:
    """(H, W) or (H, W, 3) integer/float pixels from a loaded Pillow image."""
    if mode in _GREY_16:
        return np.asarray(im).astype(np.uint16)  # native order, values kept
    if mode in ("I", "F", "L"):
        return np.asarray(im)
    if mode == "1":
        notes.append(Note("one_bit"))
        return np.asarray(im.convert("L"))
    if mode == "LA":
        return np.asarray(im.getchannel("L"))
    if mode in ("P", "PA"):
        rgb = np.asarray(im.convert("RGBA"))[..., :3]
        if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
            notes.append(Note("grey_palette"))
            return np.ascontiguousarray(rgb[..., 0])
        notes.append(Note("palette"))
        return rgb
    if mode == "CMYK":
        notes.append(Note("cmyk"))
    elif mode == "YCbCr":
        notes.append(Note("ycbcr"))
    if mode == "RGBa":  # premultiplied: un-premultiply first
        im = im.convert("RGBA")
    elif mode not in ("RGB", "RGBA"):  # RGBX, CMYK, YCbCr
        im = im.convert("RGB")
    return np.asarray(im)[..., :3]


def _orientation(im: Any) -> tuple[int, Note | None]:
    try:
        o = int(im.getexif().get(0x0112, 1))
    except Exception as exc:
        return 1, Note("exif_unreadable", error_reason(exc))
    return (o, None) if 1 <= o <= 8 else (1, Note("exif_invalid", o))


def _orient(a: np.ndarray, o: int) -> np.ndarray:
    """Apply EXIF orientation ``o`` to (H, W[, C]) pixels, as ImageOps.exif_transpose."""
    if o == 2:
        return a[:, ::-1]
    if o == 3:
        return a[::-1, ::-1]
    if o == 4:
        return a[::-1]
    if o == 5:
        return np.asarray(a.swapaxes(0, 1))
    if o == 6:
        return np.rot90(a, -1)
    if o == 7:
        return np.asarray(a.swapaxes(0, 1)[::-1, ::-1])
    if o == 8:
        return np.rot90(a, 1)
    return a


def _to_float(px: np.ndarray) -> np.ndarray:
    """float32 (H, W) or (C, H, W), one allocation."""
    if px.ndim == 2:
        out = np.empty(px.shape, np.float32)
        out[...] = px
    else:
        out = np.empty((px.shape[2], px.shape[0], px.shape[1]), np.float32)
        out[...] = np.moveaxis(px, -1, 0)
    return out
