"""Loading inputs and saving results (.npy arrays and images via Pillow).

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

Limits and bad files
--------------------
The pixel count comes from the file header (``Image.open`` does not decode) and
is checked against :data:`MAX_PIXELS` before any pixel is decoded, so a
decompression bomb never allocates. Pillow's own guard
(``Image.MAX_IMAGE_PIXELS``, about 89.5 M pixels, a warning, then an error
above twice that) sits above ours: its warning is ignored during our open (our
stricter check follows at once) and its error becomes our message.
(``warnings.catch_warnings`` is process-wide; loading from two threads at once
may briefly see each other's filter.)

Truncated files are errors: ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` must stay
False (convviz never sets it) and the decode is forced inside the error
handling. Every problem -- missing, a folder, empty, unreadable, not an image,
truncated or corrupt, too large, unsupported mode -- raises
:class:`convviz.ConvvizError` with one line: ``"<path>: <problem>"``.

Saving
------
``save_result`` writes ``.npy`` (exact float32, any shape), ``.tif``/``.tiff``
(exact float32, one channel only: Pillow cannot write a float32 colour TIFF, so
that is refused with a pointer to .npy), or an 8-bit image (PNG, JPEG, BMP,
GIF, WebP): values within 0..255 are kept (rounded), otherwise the range is
stretched to 0..255; the returned note says which. Files are written to a
temporary name and renamed, so a failed save leaves no half-written file.
``check_output_path`` refuses to overwrite an input, or any existing file
unless forced.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convviz.core.image_save import OUTPUT_SUFFIXES, _one_line, check_output_path, save_result  # noqa: F401  (saving re-exported: one import)
from convviz.errors import ConvvizError

#: Refuse images above this many pixels, checked from the header before decoding
#: (decompression bombs). 50 M pixels admits 12 MP phone photos (4000×3000) and
#: 45 MP camera photos (8192×5464 = 44.8 M); a colour image that size is 600 MB
#: as float32 (3 × 4 bytes a pixel), about the most a desktop should be asked for.
#: It stays below Pillow's own limit (Image.MAX_IMAGE_PIXELS, ~89.5 M).
MAX_PIXELS = 50_000_000

#: Pillow format names the loader accepts (``Image.open(formats=...)``).
PIL_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "WEBP", "GIF", "PPM")

#: File suffixes for open dialogs (``.npy`` first: it is exact).
INPUT_SUFFIXES = (
    ".npy",
    ".png",
    ".jpg",
    ".jpeg",
    ".bmp",
    ".tif",
    ".tiff",
    ".webp",
    ".gif",
    ".pgm",
    ".ppm",
    ".pbm",
    ".pnm",
)

_NPY_MAGIC = b"\x93NUMPY"
_ASSETS = Path(__file__).resolve().parent.parent / "assets"

_GREY_16 = ("I;16", "I;16L", "I;16B", "I;16N")
_ALPHA_MODES = ("LA", "La", "PA", "RGBA", "RGBa")
# 16-bit PNG raw modes Pillow reduces to 8 bits -> the raw mode giving the other bytes.
_PNG16_LOW = {"RGB;16B": "RGB;16L", "RGBA;16B": "RGBA;16L", "LA;16B": "RGBA"}


@dataclass(frozen=True)
class ImageInfo:
    """What ``load_image_info`` read and what it did to it.

    path          the path as given
    format        Pillow's format name ("PNG", "JPEG", "MPO", "TIFF", ...) or "NPY"
    mode          the mode as stored: Pillow's ("P", "CMYK", "I;16", ...) or the
                  .npy dtype ("float64", ...)
    size          (width, height) of the returned array, after EXIF rotation
    channels      1 for an (H, W) array, else C of (C, H, W)
    bit_depth     bits per sample in the file (1, 8, 16 or 32; .npy: dtype bits)
    value_range   (lo, hi): nominal for integer images ((0, 255), (0, 65535)),
                  the actual finite min/max for 32-bit and .npy data
    alpha         "none", or "dropped" when the file had alpha or transparency
    exif_rotated  True when an EXIF orientation (2..8) was applied
    frames        frames/pages in the file; only the first is loaded
    notes         one short line per conversion done (for the UI / --verbose)
    """

    path: Path
    format: str
    mode: str
    size: tuple[int, int]
    channels: int
    bit_depth: int
    value_range: tuple[float, float]
    alpha: str = "none"
    exif_rotated: bool = False
    frames: int = 1
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line, e.g. ``PNG 640×480, RGBA 8-bit -> 3 channels; alpha dropped``."""
        w, h = self.size
        ch = "1 channel" if self.channels == 1 else f"{self.channels} channels"
        bits = f" {self.bit_depth}-bit" if self.format != "NPY" else ""
        s = f"{self.format} {w}×{h}, {self.mode}{bits} -> {ch}"
        if self.alpha != "none":
            s += f"; alpha {self.alpha}"
        if self.exif_rotated:
            s += "; EXIF orientation applied"
        if self.frames > 1:
            s += f"; frame 1 of {self.frames}"
        return s


# ----------------------------------------------------------------------------- loading


def load_array(path: Path, gray: bool = False) -> np.ndarray:
    """A float32 (H, W) or (C, H, W) array from a .npy file or an image.

    Raises ConvvizError (one line naming the file) for any unreadable input.
    """
    return load_image_info(path, gray=gray)[0]


def load_image(path: Path, gray: bool = False) -> np.ndarray:
    """An image (not .npy) as float32 (H, W) grey or (3, H, W) colour."""
    path = Path(path)
    with _open_checked(path) as f:
        return _load_pil(path, f, gray)[0]


def load_image_info(path: Path, gray: bool = False) -> tuple[np.ndarray, ImageInfo]:
    """``(array, ImageInfo)`` for a .npy file or an image (see the module doc).

    A file starting with the NumPy magic is read as .npy whatever its suffix;
    a ``.npy`` suffix on anything else is an error. ``gray`` only affects
    colour images (a .npy array keeps its shape).
    """
    path = Path(path)
    with _open_checked(path) as f:
        head = f.read(len(_NPY_MAGIC))
        f.seek(0)
        if head == _NPY_MAGIC:
            return _load_npy(path, f)
        if path.suffix.lower() == ".npy":
            raise ConvvizError(f"{path}: not a .npy file (it lacks the NumPy header)")
        return _load_pil(path, f, gray)


@contextmanager
def _open_checked(path: Path):
    """Open a regular, non-empty, readable file for binary reading, or raise."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ConvvizError(f"{path}: no such file") from None
    except PermissionError:
        raise ConvvizError(f"{path}: permission denied (cannot reach the file)") from None
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot read ({_one_line(exc)})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ConvvizError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ConvvizError(f"{path}: not a regular file")
    if st.st_size == 0:
        raise ConvvizError(f"{path}: the file is empty (0 bytes)")
    try:
        f = open(path, "rb")  # noqa: SIM115 -- closed below
    except PermissionError:
        raise ConvvizError(f"{path}: permission denied (cannot read the file)") from None
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot read ({_one_line(exc)})") from None
    with f:
        yield f


def _too_large(path, n: int, dims: tuple[int, int] | None = None) -> ConvvizError:
    size = f"{dims[0]}×{dims[1]} = " if dims else ""
    return ConvvizError(f"{path}: {size}{n:,} pixels is above the limit of {MAX_PIXELS:,}")


def _png_header_size(f) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR, read without Pillow (for messages only)."""
    f.seek(0)
    head = f.read(24)
    if len(head) == 24 and head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return None


def _load_pil(path: Path, f, gray: bool) -> tuple[np.ndarray, ImageInfo]:
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
            n = int(m.group(1)) if m else MAX_PIXELS + 1
            dims = _png_header_size(f)
            raise _too_large(path, n, dims if dims and dims[0] * dims[1] == n else None) from None
        except MemoryError:
            raise ConvvizError(f"{path}: not enough memory to read the header") from None
        except Exception as exc:  # SyntaxError, struct.error, ... from a broken header
            raise ConvvizError(f"{path}: corrupt image header ({_one_line(exc)})") from None
        with im:
            return _decode(path, f, im, gray)


def _decode(path: Path, f, im, gray: bool) -> tuple[np.ndarray, ImageInfo]:
    from PIL import ImageFile

    w, h = im.size
    if w * h > MAX_PIXELS:
        raise _too_large(path, w * h, (w, h))
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
        raise ConvvizError(f"{path}: truncated or corrupt image data ({_one_line(exc)})") from None

    notes: list[str] = []
    has_alpha = mode in _ALPHA_MODES or "transparency" in im.info
    bit_depth = {"1": 1, "I": 32, "F": 32}.get(mode, 16 if mode in _GREY_16 else 8)
    if is16_reduced or grey16_as_i:
        bit_depth = 16

    px = None
    if png16:
        px = _png16(path, f, im, rawmode, notes)
        if px is not None:
            what = "grey+alpha" if rawmode == "LA;16B" else "colour"
            notes.append(f"16-bit {what} PNG read exactly (values 0..65535)")
    elif is16_reduced:
        notes.append(
            f"16-bit colour {fmt} reduced to 8 bits by Pillow (high byte kept, values 0..255)"
        )
    if px is None:
        px = _pil_pixels(im, mode, notes)
    if has_alpha:
        notes.append("alpha/transparency dropped (stored colour values used)")

    if px.ndim == 3 and gray:
        r, g, b = (px[..., i].astype(np.uint32) for i in range(3))
        px = ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16).astype(px.dtype)
        notes.append("colour -> grey (ITU-R 601-2 luma)")

    orientation, exif_note = _orientation(im)
    if exif_note:
        notes.append(exif_note)
    px = _orient(px, orientation)
    if orientation != 1:
        notes.append(f"EXIF orientation {orientation} applied")

    frames = 1
    try:
        frames = int(getattr(im, "n_frames", 1))
    except Exception:  # a broken later frame: the first one loaded fine
        notes.append("could not count the frames")
    if frames > 1:
        notes.append(f"first of {frames} frames/pages loaded")

    arr = _to_float(px)
    if grey16_as_i:
        value_range = (0.0, 65535.0)
    elif mode in ("I", "F"):
        value_range = _finite_range(arr)
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


def _retile(t, rawmode):
    return t._replace(args=rawmode) if hasattr(t, "_replace") else (t[0], t[1], t[2], rawmode)


def _png16(path, f, im, rawmode, notes) -> np.ndarray | None:
    """Full 16-bit samples of a colour / LA PNG that Pillow opens as 8-bit (see doc)."""
    from PIL import Image

    try:
        if rawmode == "LA;16B":  # im was decoded with raw mode "RGBA": Lhi Llo Ahi Alo
            b = np.asarray(im)
            return (b[..., 0].astype(np.uint16) << 8) | b[..., 1]
        hi = np.asarray(im)[..., :3]
        f.seek(0)
        with Image.open(f, formats=["PNG"]) as im2:
            if len(im2.tile) != 1 or im2.tile[0][3] != rawmode or im2.size != im.size:
                raise ValueError("unexpected second decode")
            im2.tile = [_retile(im2.tile[0], _PNG16_LOW[rawmode])]
            im2.load()
            lo = np.asarray(im2)[..., :3]
        return (hi.astype(np.uint16) << 8) | lo
    except Exception as exc:
        if rawmode == "LA;16B":
            raise ConvvizError(
                f"{path}: truncated or corrupt image data ({_one_line(exc)})"
            ) from None
        notes.append(f"16-bit colour PNG reduced to 8 bits (high byte kept: {_one_line(exc)})")
        return None


def _pil_pixels(im, mode: str, notes: list[str]) -> np.ndarray:
    """(H, W) or (H, W, 3) integer/float pixels from a loaded Pillow image."""
    if mode in _GREY_16:
        return np.asarray(im).astype(np.uint16)  # native order, values kept
    if mode in ("I", "F", "L"):
        return np.asarray(im)
    if mode == "1":
        notes.append("1-bit -> grey 0/255")
        return np.asarray(im.convert("L"))
    if mode == "LA":
        return np.asarray(im.getchannel("L"))
    if mode in ("P", "PA"):
        rgb = np.asarray(im.convert("RGBA"))[..., :3]
        if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
            notes.append("palette of greys -> grey")
            return np.ascontiguousarray(rgb[..., 0])
        notes.append("palette -> RGB")
        return rgb
    if mode == "CMYK":
        notes.append("CMYK -> RGB (Pillow's formula, no colour profile)")
    elif mode == "YCbCr":
        notes.append("YCbCr -> RGB")
    if mode == "RGBa":  # premultiplied: un-premultiply first
        im = im.convert("RGBA")
    elif mode not in ("RGB", "RGBA"):  # RGBX, CMYK, YCbCr
        im = im.convert("RGB")
    return np.asarray(im)[..., :3]


def _orientation(im) -> tuple[int, str | None]:
    try:
        o = int(im.getexif().get(0x0112, 1))
    except Exception as exc:
        return 1, f"EXIF unreadable, orientation not applied ({_one_line(exc)})"
    return (o, None) if 1 <= o <= 8 else (1, f"EXIF orientation {o} is invalid; ignored")


def _orient(a: np.ndarray, o: int) -> np.ndarray:
    """Apply EXIF orientation ``o`` to (H, W[, C]) pixels, as ImageOps.exif_transpose."""
    if o == 2:
        return a[:, ::-1]
    if o == 3:
        return a[::-1, ::-1]
    if o == 4:
        return a[::-1]
    if o == 5:
        return a.swapaxes(0, 1)
    if o == 6:
        return np.rot90(a, -1)
    if o == 7:
        return a.swapaxes(0, 1)[::-1, ::-1]
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


def _finite_range(arr: np.ndarray) -> tuple[float, float]:
    fin = np.isfinite(arr)
    if not fin.any():
        return (float("nan"), float("nan"))
    return (
        float(np.min(arr, where=fin, initial=np.inf)),
        float(np.max(arr, where=fin, initial=-np.inf)),
    )


def _load_npy(path: Path, f) -> tuple[np.ndarray, ImageInfo]:
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(f)
    except Exception as exc:
        raise ConvvizError(f"{path}: not a readable .npy file ({_one_line(exc)})") from None
    if (
        len(shape) not in (2, 3)
        or not np.issubdtype(dtype, np.number)
        or np.issubdtype(dtype, np.complexfloating)
    ):
        raise ConvvizError(
            f"{path}: holds {dtype} of shape {shape}; a 2-D or 3-D array of real numbers is needed"
        )
    h, w = shape[-2:]
    if h * w > MAX_PIXELS:
        raise _too_large(path, h * w, (w, h))
    n = int(np.prod(shape))
    if n > 3 * MAX_PIXELS:
        raise ConvvizError(f"{path}: {n:,} values is above the limit of {3 * MAX_PIXELS:,}")
    if n == 0:
        raise ConvvizError(f"{path}: the array {shape} is empty")
    f.seek(0)
    try:
        raw = np.load(f, allow_pickle=False)
    except MemoryError:
        raise ConvvizError(f"{path}: not enough memory for {shape} {dtype}") from None
    except Exception as exc:  # short data, bad header
        raise ConvvizError(f"{path}: truncated or corrupt .npy file ({_one_line(exc)})") from None
    arr = np.asarray(raw, dtype=np.float32)
    del raw
    notes = () if dtype == np.float32 else (f"{dtype} -> float32",)
    info = ImageInfo(
        path=path,
        format="NPY",
        mode=str(dtype),
        size=(w, h),
        channels=1 if arr.ndim == 2 else arr.shape[0],
        bit_depth=dtype.itemsize * 8,
        value_range=_finite_range(arr),
        notes=notes,
    )
    return arr, info


def sample_paths() -> list[Path]:
    """The bundled sample images (``convviz/assets/sample-*``), sorted by name.

    See ``convviz/assets/SAMPLES.md`` for where each comes from and its licence.
    """
    return sorted(
        p for p in _ASSETS.glob("sample-*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()
    )
