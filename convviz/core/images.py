"""Loading inputs and saving results (.npy arrays and images via Pillow).

``load_array``, ``load_image`` and ``load_image_info`` read a file. The checks every
load makes, the limits and .npy files are :mod:`convviz.core.image_read`; decoding an
image, with every conversion it makes, is :mod:`convviz.core.image_decode`; writing is
:mod:`convviz.core.image_save`.

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

from pathlib import Path

import numpy as np

from convviz.core.image_decode import PIL_FORMATS, load_pil
from convviz.core.image_read import MAX_PIXELS, NPY_MAGIC, ImageInfo, load_npy, open_checked
from convviz.core.image_save import OUTPUT_SUFFIXES, check_output_path, save_result
from convviz.errors import ConvvizError

__all__ = [
    "INPUT_SUFFIXES",
    "MAX_PIXELS",
    "OUTPUT_SUFFIXES",
    "PIL_FORMATS",
    "ImageInfo",
    "check_output_path",
    "load_array",
    "load_image",
    "load_image_info",
    "sample_paths",
    "save_result",
]

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
_ASSETS = Path(__file__).resolve().parent.parent / "assets"


def load_array(path: Path, gray: bool = False) -> np.ndarray:
    """A float32 (H, W) or (C, H, W) array from a .npy file or an image.

    Raises ConvvizError (one line naming the file) for any unreadable input.
    """
    return load_image_info(path, gray=gray)[0]


def load_image(path: Path, gray: bool = False) -> np.ndarray:
    """An image (not .npy) as float32 (H, W) grey or (3, H, W) colour."""
    path = Path(path)
    with open_checked(path) as f:
        return load_pil(path, f, gray)[0]


def load_image_info(path: Path, gray: bool = False) -> tuple[np.ndarray, ImageInfo]:
    """``(array, ImageInfo)`` for a .npy file or an image (see the module doc).

    A file starting with the NumPy magic is read as .npy whatever its suffix;
    a ``.npy`` suffix on anything else is an error. ``gray`` only affects
    colour images (a .npy array keeps its shape).
    """
    path = Path(path)
    with open_checked(path) as f:
        head = f.read(len(NPY_MAGIC))
        f.seek(0)
        if head == NPY_MAGIC:
            return load_npy(path, f)
        if path.suffix.lower() == ".npy":
            raise ConvvizError(f"{path}: not a .npy file (it lacks the NumPy header)")
        return load_pil(path, f, gray)


def sample_paths() -> list[Path]:
    """The bundled sample images (``convviz/assets/sample-*``), sorted by name.

    See ``convviz/assets/SAMPLES.md`` for where each comes from and its licence.
    """
    return sorted(
        p for p in _ASSETS.glob("sample-*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()
    )
