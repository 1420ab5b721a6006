"""What a loaded input is (:class:`ImageInfo`), the checks every load makes, and
.npy files.

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
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from convviz.core.image_save import error_reason
from convviz.core.message import Message
from convviz.errors import ConvvizError

#: the loader's notes: id -> English template (``{0}``… its parameters)
NOTE_TEMPLATES = {
    "png16_exact": "16-bit {0} PNG read exactly (values 0..65535)",
    "reduced_by_pillow": (
        "16-bit colour {0} reduced to 8 bits by Pillow (high byte kept, values 0..255)"
    ),
    "png16_reduced": "16-bit colour PNG reduced to 8 bits (high byte kept: {0})",
    "alpha_dropped": "alpha/transparency dropped (stored colour values used)",
    "to_grey": "colour -> grey (ITU-R 601-2 luma)",
    "exif_applied": "EXIF orientation {0} applied",
    "exif_unreadable": "EXIF unreadable, orientation not applied ({0})",
    "exif_invalid": "EXIF orientation {0} is invalid; ignored",
    "frames_uncounted": "could not count the frames",
    "first_frame": "first of {0} frames/pages loaded",
    "one_bit": "1-bit -> grey 0/255",
    "grey_palette": "palette of greys -> grey",
    "palette": "palette -> RGB",
    "cmyk": "CMYK -> RGB (Pillow's formula, no colour profile)",
    "ycbcr": "YCbCr -> RGB",
    "to_float32": "{0} -> float32",
}


class Note(Message):
    """One of the loader's notes: its English text (what a terminal prints), with the
    ``id`` of its template in :data:`NOTE_TEMPLATES` and its ``args``, so that a window
    translates the template and fills it in, never parsing the English back."""

    TEMPLATES = NOTE_TEMPLATES


#: Refuse images above this many pixels, checked from the header before decoding
#: (decompression bombs). 50 M pixels admits 12 MP phone photos (4000×3000) and
#: 45 MP camera photos (8192×5464 = 44.8 M); a colour image that size is 600 MB
#: as float32 (3 × 4 bytes a pixel), about the most a desktop should be asked for.
#: It stays below Pillow's own limit (Image.MAX_IMAGE_PIXELS, ~89.5 M).
MAX_PIXELS = 50_000_000
NPY_MAGIC = b"\x93NUMPY"


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


@contextmanager
def open_checked(path: Path) -> Iterator[BinaryIO]:
    """Open a regular, non-empty, readable file for binary reading, or raise."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ConvvizError(f"{path}: no such file") from None
    except PermissionError:
        raise ConvvizError(f"{path}: permission denied (cannot reach the file)") from None
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot read ({error_reason(exc)})") from None
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
        raise ConvvizError(f"{path}: cannot read ({error_reason(exc)})") from None
    with f:
        yield f


def too_large(path: Path, n: int, dims: tuple[int, int] | None = None) -> ConvvizError:
    size = f"{dims[0]}×{dims[1]} = " if dims else ""
    return ConvvizError(f"{path}: {size}{n:,} pixels is above the limit of {MAX_PIXELS:,}")


def finite_range(arr: np.ndarray) -> tuple[float, float]:
    fin = np.isfinite(arr)
    if not fin.any():
        return (float("nan"), float("nan"))
    return (
        float(np.min(arr, where=fin, initial=np.inf)),
        float(np.max(arr, where=fin, initial=-np.inf)),
    )


def load_npy(path: Path, f: BinaryIO) -> tuple[np.ndarray, ImageInfo]:
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(f)
    except Exception as exc:
        raise ConvvizError(f"{path}: not a readable .npy file ({error_reason(exc)})") from None
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
        raise too_large(path, h * w, (w, h))
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
        raise ConvvizError(
            f"{path}: truncated or corrupt .npy file ({error_reason(exc)})"
        ) from None
    arr = np.asarray(raw, dtype=np.float32)
    del raw
    notes = () if dtype == np.float32 else (Note("to_float32", dtype),)
    info = ImageInfo(
        path=path,
        format="NPY",
        mode=str(dtype),
        size=(w, h),
        channels=1 if arr.ndim == 2 else arr.shape[0],
        bit_depth=dtype.itemsize * 8,
        value_range=finite_range(arr),
        notes=notes,
    )
    return arr, info
