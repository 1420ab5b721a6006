"""Image loading and saving against a corpus of good and bad files made in tmp_path."""

import importlib.util
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile, ImageOps, features

from convviz import ConvvizError
from convviz.core import image_read
from convviz.core.images import (
    MAX_PIXELS,
    ImageInfo,
    check_output_path,
    load_array,
    load_image,
    load_image_info,
    sample_paths,
    save_result,
)

ROOT = Path(__file__).resolve().parents[2]
RNG = np.random.default_rng(1234)


# ----------------------------------------------------------------------------- helpers


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _filter_rows(rows: list[bytes], bpp: int) -> bytes:
    """PNG-filter rows, cycling through all five filter types (0..4)."""
    out, prev = bytearray(), bytes(len(rows[0]))
    for y, row in enumerate(rows):
        ft = y % 5
        out.append(ft)
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = (0, a, b, (a + b) // 2, _paeth(a, b, c))[ft]
            out.append((x - pred) & 0xFF)
        prev = row
    return bytes(out)


_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)


def png16(a: np.ndarray, color_type: int, interlace: bool = False) -> bytes:
    """A 16-bit PNG written by hand (Pillow cannot write 16-bit colour PNGs)."""
    h, w = a.shape[:2]
    ch = 1 if a.ndim == 2 else a.shape[2]
    bpp = 2 * ch

    def encode(sub):
        return _filter_rows([sub[y].astype(">u2").tobytes() for y in range(sub.shape[0])], bpp)

    if interlace:
        data = b"".join(
            encode(a[ys::dy, xs::dx]) for xs, ys, dx, dy in _ADAM7 if a[ys::dy, xs::dx].size
        )
    else:
        data = encode(a)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, int(interlace))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(data))
        + _chunk(b"IEND", b"")
    )


def tiff_rgb16(a: np.ndarray) -> bytes:
    """An uncompressed little-endian 16-bit RGB TIFF written by hand."""
    h, w, _ = a.shape
    pixels = a.astype("<u2").tobytes()
    entries = [
        (256, 3, 1, w),
        (257, 3, 1, h),
        (258, 3, 3, None),
        (259, 3, 1, 1),
        (262, 3, 1, 2),
        (273, 4, 1, None),
        (277, 3, 1, 3),
        (278, 3, 1, h),
        (279, 4, 1, len(pixels)),
        (284, 3, 1, 1),
    ]
    ifd_off = 8
    ifd_len = 2 + 12 * len(entries) + 4
    bps_off = ifd_off + ifd_len
    pix_off = bps_off + 6
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_off) + struct.pack("<H", len(entries)))
    for tag, typ, count, value in entries:
        if tag == 258:
            value = bps_off
            out += struct.pack("<HHII", tag, typ, count, value)
        elif typ == 3:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, pix_off if tag == 273 else value)
    out += struct.pack("<I", 0) + struct.pack("<HHH", 16, 16, 16) + pixels
    return bytes(out)


def blocks(h, w, size=16, channels=3, seed=0):
    """Big flat blocks of random colours: survive JPEG with small error."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (h // size, w // size, channels), dtype=np.uint8)
    big = np.repeat(np.repeat(small, size, 0), size, 1)
    return big[..., 0] if channels == 1 else big


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def small_png(tmp_path, name="ok.png", size=(64, 48)) -> Path:
    arr = RNG.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)  # noise: no compression
    p = tmp_path / name
    Image.fromarray(arr).save(p, format="PNG")
    return p


def patch_png_size(data: bytes, w: int, h: int) -> bytes:
    """Make only the IHDR lie: new width/height and a valid CRC."""
    assert data[12:16] == b"IHDR"
    ihdr = struct.pack(">II", w, h) + data[24:29]
    return data[:8] + _chunk(b"IHDR", ihdr) + data[33:]


def message(path, **kw) -> str:
    with pytest.raises(ConvvizError) as e:
        load_array(path, **kw)
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"{path}: "), text
    return text


# ----------------------------------------------------------------------------- bad files


def test_missing_file(tmp_path):
    assert message(tmp_path / "nope.png") == f"{tmp_path / 'nope.png'}: no such file"


def test_directory(tmp_path):
    d = tmp_path / "folder.png"
    d.mkdir()
    assert message(d) == f"{d}: is a folder, not a file"


def test_empty_file(tmp_path):
    p = write(tmp_path / "photo.png", b"")
    assert message(p) == f"{p}: the file is empty (0 bytes)"


def test_text_file_named_png(tmp_path):
    p = tmp_path / "x.png"
    p.write_text("hello, I am not a picture\n")
    assert message(p) == (
        f"{p}: not an image (Pillow cannot identify it as PNG, JPEG, BMP, TIFF, WebP, GIF or PNM)"
    )


def test_formats_outside_the_list_are_refused(tmp_path):
    p = tmp_path / "icon.ico"
    Image.new("RGB", (16, 16), (1, 2, 3)).save(p)
    with Image.open(p) as im:  # Pillow itself can read it...
        assert im.format == "ICO"
    assert "not an image (Pillow cannot identify it" in message(p)  # ...convviz will not


def test_open_permission_error_message(tmp_path, monkeypatch):
    p = small_png(tmp_path)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(image_read, "open", denied, raising=False)  # works even as root
    assert message(p) == f"{p}: permission denied (cannot read the file)"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_png(tmp_path, cut):
    data = small_png(tmp_path).read_bytes()
    p = write(tmp_path / "cut.png", data[: int(len(data) * cut)])
    assert message(p).startswith(f"{p}: truncated or corrupt image data (")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_jpeg(tmp_path, cut):
    src = tmp_path / "ok.jpg"
    Image.fromarray(RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(src, quality=90)
    data = src.read_bytes()
    load_array(src)  # the whole file is fine
    p = write(tmp_path / "y.jpg", data[: int(len(data) * cut)])
    assert message(p).startswith(f"{p}: truncated or corrupt image data (")


def test_corrupt_png_data(tmp_path):
    data = bytearray(small_png(tmp_path).read_bytes())
    start = data.index(b"IDAT") + 4
    data[start + 20 : start + 60] = bytes(40)  # zeroed compressed data, chunk CRC left wrong
    p = write(tmp_path / "bad.png", bytes(data))
    assert message(p).startswith(f"{p}: truncated or corrupt image data (")


def test_truncated_images_are_not_loaded_silently(tmp_path, monkeypatch):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = small_png(tmp_path).read_bytes()
    p = write(tmp_path / "cut.png", data[: len(data) // 2])
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # someone else's change
    with pytest.warns(RuntimeWarning, match="LOAD_TRUNCATED_IMAGES is True"):
        load_array(p)


@pytest.mark.parametrize(
    "w, h",
    [
        (8000, 7000),  # above ours, below Pillow's warning
        (10000, 10000),  # Pillow warns (as error under pytest)
        (30000, 30000),
    ],
)  # Pillow raises DecompressionBombError
def test_header_size_bomb_is_refused_before_decoding(tmp_path, monkeypatch, w, h):
    data = patch_png_size(small_png(tmp_path).read_bytes(), w, h)
    p = write(tmp_path / "big.png", data)

    def no_decode(self):
        raise AssertionError("decoded a bomb")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    assert message(p) == f"{p}: {w}×{h} = {w * h:,} pixels is above the limit of 50,000,000"


def test_pillow_bomb_error_without_png_header_gives_the_count(tmp_path, monkeypatch):
    p = tmp_path / "big.gif"
    Image.new("L", (8, 8)).save(p)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 20)  # Pillow's own guard: 64 > 2 × 20
    assert message(p) == f"{p}: 64 pixels is above the limit of 50,000,000"


def test_max_pixels_admits_12_megapixel_photos():
    assert 4000 * 3000 <= MAX_PIXELS < Image.MAX_IMAGE_PIXELS


def test_just_below_the_limit_passes_the_size_check(tmp_path, monkeypatch):
    monkeypatch.setattr(image_read, "MAX_PIXELS", 64 * 48)
    load_array(small_png(tmp_path, size=(64, 48)))
    monkeypatch.setattr(image_read, "MAX_PIXELS", 64 * 48 - 1)
    assert "3,072 pixels is above the limit of 3,071" in message(small_png(tmp_path))


# ----------------------------------------------------------------------------- good files


def test_rgb_png_exact(tmp_path):
    src = RNG.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    p = tmp_path / "c.png"
    Image.fromarray(src).save(p)
    arr, info = load_image_info(p)
    assert arr.dtype == np.float32 and arr.shape == (3, 30, 40)
    np.testing.assert_array_equal(arr, np.moveaxis(src, -1, 0))
    assert (info.format, info.mode, info.size, info.channels, info.bit_depth) == (
        "PNG",
        "RGB",
        (40, 30),
        3,
        8,
    )
    assert info.alpha == "none" and not info.exif_rotated and info.frames == 1
    assert info.value_range == (0.0, 255.0)
    assert info.summary() == "PNG 40×30, RGB 8-bit -> 3 channels"


def test_gray_png_stays_2d(tmp_path):
    src = RNG.integers(0, 256, (20, 25), dtype=np.uint8)
    p = tmp_path / "g.png"
    Image.fromarray(src).save(p)
    for gray in (False, True):
        arr = load_array(p, gray=gray)
        assert arr.shape == (20, 25)
        np.testing.assert_array_equal(arr, src)


def test_gray_flag_matches_pillow_luma(tmp_path):
    src = RNG.integers(0, 256, (20, 25, 3), dtype=np.uint8)
    p = tmp_path / "c.png"
    Image.fromarray(src).save(p)
    arr, info = load_image_info(p, gray=True)
    want = np.asarray(Image.fromarray(src).convert("L"))
    np.testing.assert_array_equal(arr, want)
    assert info.channels == 1 and "colour -> grey (ITU-R 601-2 luma)" in info.notes


def test_load_image_is_load_array_for_images(tmp_path):
    p = small_png(tmp_path)
    np.testing.assert_array_equal(load_image(p), load_array(p))


def test_16bit_grey_png_keeps_range(tmp_path):
    src = np.array([[0, 1, 255, 256], [1000, 30000, 65534, 65535]], np.uint16)
    p = tmp_path / "g16.png"
    Image.fromarray(src).save(p)
    arr, info = load_image_info(p)
    assert arr.dtype == np.float32 and arr.shape == (2, 4)
    np.testing.assert_array_equal(arr, src.astype(np.float32))
    assert info.mode in ("I;16", "I")  # "I" before Pillow 11
    assert info.bit_depth == 16 and info.value_range == (0.0, 65535.0)
    assert not any("reduced" in n for n in info.notes)


@pytest.mark.parametrize("interlace", [False, True])
def test_16bit_rgb_png_keeps_range(tmp_path, interlace):
    src = RNG.integers(0, 65536, (13, 17, 3), dtype=np.uint16)
    src[0, 0] = (0, 65535, 256)
    p = write(tmp_path / "rgb16.png", png16(src, 2, interlace))
    with Image.open(p) as im:  # what Pillow alone gives: the high byte only
        assert im.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(im), src >> 8)
    arr, info = load_image_info(p)
    assert arr.dtype == np.float32 and arr.shape == (3, 13, 17)
    np.testing.assert_array_equal(arr, np.moveaxis(src, -1, 0).astype(np.float32))
    assert info.bit_depth == 16 and info.value_range == (0.0, 65535.0)
    assert info.alpha == "none"
    assert "16-bit colour PNG read exactly (values 0..65535)" in info.notes


def test_16bit_rgb_png_to_gray_keeps_range(tmp_path):
    src = RNG.integers(0, 65536, (9, 11, 3), dtype=np.uint16)
    p = write(tmp_path / "rgb16.png", png16(src, 2))
    r, g, b = (src[..., i].astype(np.uint64) for i in range(3))
    want = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16
    np.testing.assert_array_equal(load_array(p, gray=True), want.astype(np.float32))


def test_16bit_rgba_png_drops_alpha_keeps_range(tmp_path):
    src = RNG.integers(0, 65536, (7, 10, 4), dtype=np.uint16)
    p = write(tmp_path / "rgba16.png", png16(src, 6))
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, np.moveaxis(src[..., :3], -1, 0).astype(np.float32))
    assert info.alpha == "dropped" and info.bit_depth == 16


def test_16bit_la_png_is_grey_keeps_range(tmp_path):
    src = RNG.integers(0, 65536, (7, 10, 2), dtype=np.uint16)
    p = write(tmp_path / "la16.png", png16(src, 4))
    arr, info = load_image_info(p)
    assert arr.shape == (7, 10)
    np.testing.assert_array_equal(arr, src[..., 0].astype(np.float32))
    assert info.alpha == "dropped" and info.channels == 1 and info.bit_depth == 16


def test_16bit_rgb_tiff_is_reduced_to_8_bits_as_documented(tmp_path):
    src = RNG.integers(0, 65536, (6, 5, 3), dtype=np.uint16)
    p = write(tmp_path / "rgb16.tif", tiff_rgb16(src))
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, np.moveaxis(src >> 8, -1, 0).astype(np.float32))
    assert info.format == "TIFF" and info.bit_depth == 16 and info.value_range == (0.0, 255.0)
    assert (
        "16-bit colour TIFF reduced to 8 bits by Pillow (high byte kept, values 0..255)"
        in info.notes
    )


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    cmyk = np.zeros((32, 64, 4), np.uint8)
    cmyk[:, :16, 0] = 255  # cyan
    cmyk[:, 16:32, 1] = 255  # magenta
    cmyk[:, 32:48, 2] = 255  # yellow
    cmyk[:, 48:, 3] = 255  # black
    p = tmp_path / "cmyk.jpg"
    Image.fromarray(cmyk, mode="CMYK").save(p, quality=95)
    arr, info = load_image_info(p)
    assert info.mode == "CMYK" and arr.shape == (3, 32, 64)
    want = np.zeros((3, 32, 64), np.float32)
    want[1:, :, :16] = 255  # cyan = (0, 255, 255)
    want[0, :, 16:32] = want[2, :, 16:32] = 255
    want[:2, :, 32:48] = 255
    inner = (slice(None), slice(4, 28), np.r_[4:12, 20:28, 36:44, 52:60])  # off the edges
    np.testing.assert_allclose(arr[inner], want[inner], atol=6)
    assert "CMYK -> RGB (Pillow's formula, no colour profile)" in info.notes


@pytest.mark.parametrize("trns", ["index", "bytes"])
def test_palette_png_with_transparency(tmp_path, trns):
    pal = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
    idx = np.array([[0, 1, 2, 3], [3, 2, 1, 0]], np.uint8)
    im = Image.fromarray(idx, mode="P")
    im.putpalette(pal)
    p = tmp_path / "pal.png"
    im.save(p, transparency=3 if trns == "index" else bytes([255, 128, 255, 0]))
    with Image.open(p) as check:
        assert check.mode == "P" and "transparency" in check.info
    arr, info = load_image_info(p)
    want = np.array(pal, np.float32).reshape(4, 3)[idx]  # stored colours, even transparent
    np.testing.assert_array_equal(arr, np.moveaxis(want, -1, 0))
    assert info.alpha == "dropped" and info.mode == "P" and info.channels == 3
    assert "palette -> RGB" in info.notes


def test_palette_of_greys_loads_as_grey(tmp_path):
    idx = np.array([[0, 1], [2, 0]], np.uint8)
    im = Image.fromarray(idx, mode="P")
    im.putpalette([0, 0, 0, 128, 128, 128, 255, 255, 255])
    p = tmp_path / "gp.png"
    im.save(p)
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, [[0, 128], [255, 0]])
    assert info.channels == 1 and info.alpha == "none"


def test_la_png_drops_alpha(tmp_path):
    src = RNG.integers(0, 256, (9, 8, 2), dtype=np.uint8)
    p = tmp_path / "la.png"
    Image.fromarray(src, mode="LA").save(p)
    arr, info = load_image_info(p)
    assert arr.shape == (9, 8)
    np.testing.assert_array_equal(arr, src[..., 0])
    assert (info.mode, info.alpha, info.channels) == ("LA", "dropped", 1)


def test_rgba_png_drops_alpha_without_compositing(tmp_path):
    src = RNG.integers(0, 256, (9, 8, 4), dtype=np.uint8)
    src[..., 3] = 0  # fully transparent: colours still kept as stored
    p = tmp_path / "rgba.png"
    Image.fromarray(src, mode="RGBA").save(p)
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, np.moveaxis(src[..., :3], -1, 0))
    assert info.alpha == "dropped"
    assert info.summary() == "PNG 8×9, RGBA 8-bit -> 3 channels; alpha dropped"


def test_one_bit_becomes_0_and_255(tmp_path):
    src = np.array([[True, False, True], [False, False, True]])
    p = tmp_path / "bw.png"
    Image.fromarray(src).save(p)
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, src * 255.0)
    assert info.mode == "1" and info.bit_depth == 1 and "1-bit -> grey 0/255" in info.notes


@pytest.mark.parametrize("orientation, k", [(6, -1), (8, 1)])
def test_exif_rotated_jpeg(tmp_path, orientation, k):
    src = blocks(48, 80)
    exif = Image.Exif()
    exif[0x0112] = orientation
    p = tmp_path / "rot.jpg"
    Image.fromarray(src).save(p, quality=95, subsampling=0, exif=exif)
    arr, info = load_image_info(p)
    assert arr.shape == (3, 80, 48) and info.size == (48, 80)
    want = np.moveaxis(np.rot90(src, k), -1, 0).astype(np.float32)
    assert np.abs(arr - want).mean() < 2 and np.abs(arr - want).max() < 40
    wrong = np.moveaxis(np.rot90(src, -k), -1, 0).astype(np.float32)
    assert np.abs(arr - wrong).mean() > 20  # the other direction is clearly different
    assert info.exif_rotated and f"EXIF orientation {orientation} applied" in info.notes


@pytest.mark.parametrize("orientation", range(1, 9))
def test_all_exif_orientations_match_pillow(tmp_path, orientation):
    src = RNG.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    p = tmp_path / "o.png"
    Image.fromarray(src).save(p, exif=exif)
    with Image.open(p) as im:
        want = np.asarray(ImageOps.exif_transpose(im))
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, np.moveaxis(want, -1, 0))
    assert info.exif_rotated == (orientation != 1)
    if orientation in (5, 6, 7, 8):
        assert arr.shape == (3, 7, 5)


def test_animated_gif_first_frame(tmp_path):
    frames = [Image.new("RGB", (6, 4), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    p = tmp_path / "anim.gif"
    frames[0].save(p, save_all=True, append_images=frames[1:], duration=50, loop=0)
    arr, info = load_image_info(p)
    assert arr.shape == (3, 4, 6) and info.frames == 3 and info.format == "GIF"
    np.testing.assert_array_equal(arr[:, 0, 0], [255, 0, 0])
    assert np.all(arr[0] == 255) and np.all(arr[1:] == 0)
    assert "first of 3 frames/pages loaded" in info.notes
    assert info.summary().endswith("; frame 1 of 3")


@pytest.mark.parametrize(
    "fmt, suffix, mode",
    [
        ("BMP", ".bmp", "RGB"),
        ("TIFF", ".tif", "RGB"),
        ("PPM", ".ppm", "RGB"),
        ("BMP", ".bmp", "L"),
        ("WEBP", ".webp", "RGB"),
    ],
)
def test_lossless_formats_exact(tmp_path, fmt, suffix, mode):
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow was built without WebP")
    src = RNG.integers(0, 256, (12, 10, 3) if mode == "RGB" else (12, 10), dtype=np.uint8)
    p = tmp_path / f"img{suffix}"
    Image.fromarray(src).save(p, **({"lossless": True} if fmt == "WEBP" else {}))
    arr, info = load_image_info(p)
    assert info.format == fmt
    np.testing.assert_array_equal(arr, src if src.ndim == 2 else np.moveaxis(src, -1, 0))


def test_float_tiff_loads_exact_with_actual_range(tmp_path):
    src = (RNG.standard_normal((6, 9)) * 1000).astype(np.float32)
    p = tmp_path / "f.tif"
    Image.fromarray(src, mode="F").save(p)
    arr, info = load_image_info(p)
    np.testing.assert_array_equal(arr, src)
    assert info.mode == "F" and info.bit_depth == 32
    assert info.value_range == (float(src.min()), float(src.max()))


def test_unsupported_mode(tmp_path):
    p = tmp_path / "lab.tif"
    Image.new("LAB", (4, 4), (50, 10, 10)).save(p)
    with Image.open(p) as im:
        assert im.mode == "LAB"
    assert message(p).startswith(f"{p}: unsupported image mode 'LAB' (")


# ----------------------------------------------------------------------------- .npy


def test_npy_round_trip_and_info(tmp_path):
    src = RNG.standard_normal((2, 5, 6))
    np.save(tmp_path / "a.npy", src)
    arr, info = load_image_info(tmp_path / "a.npy")
    assert arr.dtype == np.float32 and arr.shape == (2, 5, 6)
    np.testing.assert_array_equal(arr, src.astype(np.float32))
    assert (info.format, info.mode, info.size, info.channels) == ("NPY", "float64", (6, 5), 2)
    assert info.notes == ("float64 -> float32",)


def test_npy_magic_wins_over_suffix(tmp_path):
    p = tmp_path / "data.bin"
    with open(p, "wb") as f:
        np.save(f, np.eye(3, dtype=np.float32))
    np.testing.assert_array_equal(load_array(p), np.eye(3))


@pytest.mark.parametrize(
    "arr, needle",
    [
        (np.zeros(5), "holds float64 of shape (5,); a 2-D or 3-D array of real numbers is needed"),
        (
            np.zeros((2, 2), complex),
            "holds complex128 of shape (2, 2); a 2-D or 3-D array of real numbers is needed",
        ),
        (
            np.zeros((2, 2), bool),
            "holds bool of shape (2, 2); a 2-D or 3-D array of real numbers is needed",
        ),
        (np.zeros((0, 3)), "the array (0, 3) is empty"),
    ],
)
def test_bad_npy_contents(tmp_path, arr, needle):
    np.save(tmp_path / "b.npy", arr)
    assert message(tmp_path / "b.npy") == f"{tmp_path / 'b.npy'}: {needle}"


def test_npy_suffix_without_numpy_header(tmp_path):
    p = small_png(tmp_path, name="fake.npy")
    assert message(p) == f"{p}: not a .npy file (it lacks the NumPy header)"


def test_truncated_npy(tmp_path):
    np.save(tmp_path / "t.npy", np.ones((40, 40)))
    data = (tmp_path / "t.npy").read_bytes()
    p = write(tmp_path / "t.npy", data[:-100])
    assert message(p).startswith(f"{p}: truncated or corrupt .npy file (")


def test_npy_header_size_checked_before_reading(tmp_path, monkeypatch):
    np.save(tmp_path / "big.npy", np.zeros((4, 4), np.float32))
    data = (tmp_path / "big.npy").read_bytes().replace(b"(4, 4)", b"(9000, 9000)")
    p = write(tmp_path / "big.npy", data)
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("read the data"))
    assert message(p) == f"{p}: 9000×9000 = 81,000,000 pixels is above the limit of 50,000,000"


# ----------------------------------------------------------------------------- saving


def test_save_npy_exact(tmp_path):
    src = (RNG.standard_normal((3, 7, 5)) * 1e6).astype(np.float32)
    assert save_result(tmp_path / "o.npy", src) == "(float32, exact)"
    got = np.load(tmp_path / "o.npy")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, src)


@pytest.mark.parametrize("shape", [(7, 5), (1, 7, 5)])
def test_save_float_tiff_exact(tmp_path, shape):
    src = (RNG.standard_normal(shape) * 1e6).astype(np.float32)
    src.flat[0] = np.nan
    assert save_result(tmp_path / "o.tif", src) == "(float32 TIFF, exact)"
    got = load_array(tmp_path / "o.tif")
    np.testing.assert_array_equal(got, src.reshape(7, 5))


def test_save_colour_tiff_refused(tmp_path):
    with pytest.raises(
        ConvvizError,
        match=r"Pillow cannot write a 3-channel float32 TIFF; "
        r"save as \.npy \(exact\) or \.png \(8-bit\)",
    ):
        save_result(tmp_path / "o.tif", np.zeros((3, 4, 4), np.float32))
    assert list(tmp_path.iterdir()) == []


def test_save_png_integer_values_kept(tmp_path):
    src = RNG.integers(0, 256, (3, 6, 5)).astype(np.float32)
    assert save_result(tmp_path / "o.png", src) == "(8-bit, values 0–255 kept)"
    np.testing.assert_array_equal(load_array(tmp_path / "o.png"), src)


def test_save_png_fractions_rounded(tmp_path):
    src = np.array([[0.4, 0.6], [254.5, 12.25]], np.float32)
    assert save_result(tmp_path / "o.png", src) == "(8-bit, values in 0–255 rounded to integers)"
    np.testing.assert_array_equal(load_array(tmp_path / "o.png"), [[0, 1], [254, 12]])


def test_save_png_stretched(tmp_path):
    src = np.array([[-2.0, 0.0], [2.0, 1.0]], np.float32)
    assert save_result(tmp_path / "o.png", src) == "(8-bit, -2…2 stretched to 0–255)"
    np.testing.assert_array_equal(load_array(tmp_path / "o.png"), [[0, 128], [255, 191]])


def test_save_png_constant_outside_range(tmp_path):
    assert (
        save_result(tmp_path / "o.png", np.full((2, 2), 300, np.float32))
        == "(8-bit, constant 300 written as 0)"
    )


def test_save_jpeg_says_lossy(tmp_path):
    note = save_result(tmp_path / "o.jpg", np.full((8, 8), 100, np.float32))
    assert note == "(8-bit, values 0–255 kept, lossy JPEG)"
    assert np.abs(load_array(tmp_path / "o.jpg") - 100).max() <= 1


def test_save_nan_to_png_refused(tmp_path):
    with pytest.raises(ConvvizError, match="holds NaN or infinite values"):
        save_result(tmp_path / "o.png", np.array([[1, np.nan]], np.float32))
    assert not (tmp_path / "o.png").exists()


def test_save_unknown_suffix_refused(tmp_path):
    with pytest.raises(ConvvizError, match=r"o\.xyz: cannot save as '\.xyz'; use one of \.npy"):
        save_result(tmp_path / "o.xyz", np.zeros((2, 2), np.float32))


def test_failed_save_leaves_nothing_behind(tmp_path):
    with pytest.raises(ConvvizError, match=r"o\.jpg: cannot save in this format \("):
        save_result(tmp_path / "o.jpg", np.zeros((4, 3, 3), np.float32))  # RGBA as JPEG
    assert list(tmp_path.iterdir()) == []


def test_save_into_missing_folder(tmp_path):
    with pytest.raises(ConvvizError, match=r"o\.npy: cannot write \("):
        save_result(tmp_path / "nope" / "o.npy", np.zeros((2, 2), np.float32))


def test_save_replaces_atomically_and_keeps_permissions_sane(tmp_path):
    p = tmp_path / "o.npy"
    save_result(p, np.zeros((2, 2), np.float32))
    save_result(p, np.ones((2, 2), np.float32))
    np.testing.assert_array_equal(np.load(p), np.ones((2, 2)))
    assert [q.name for q in tmp_path.iterdir()] == ["o.npy"]
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask


def test_check_output_path_refuses_the_input(tmp_path):
    src = small_png(tmp_path, name="in.png")
    with pytest.raises(ConvvizError, match="is the input; refusing to overwrite it"):
        check_output_path(src, inputs=[src], force=True)
    with pytest.raises(ConvvizError, match="is the input"):  # another spelling of the same
        check_output_path(tmp_path / "." / "in.png", inputs=[src], force=True)
    link = tmp_path / "hard.png"
    os.link(src, link)
    with pytest.raises(ConvvizError, match="is the input"):  # a hard link to it
        check_output_path(link, inputs=[src], force=True)


def test_check_output_path_existing_needs_force(tmp_path):
    out = small_png(tmp_path, name="out.png")
    with pytest.raises(ConvvizError, match=r"already exists \(use --force to overwrite\)"):
        check_output_path(out, inputs=[tmp_path / "in.png"])
    check_output_path(out, inputs=[tmp_path / "in.png"], force=True)
    check_output_path(tmp_path / "new.png", inputs=[out])


def test_check_output_path_folder_and_missing_parent(tmp_path):
    with pytest.raises(ConvvizError, match="is a folder; give a file name"):
        check_output_path(tmp_path, force=True)
    with pytest.raises(ConvvizError, match="no such folder"):
        check_output_path(tmp_path / "nope" / "o.png")


# ----------------------------------------------------------------------------- samples


def _make_samples():
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "scripts" / "make_samples.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_samples_are_bundled_and_load():
    paths = sample_paths()
    assert [p.name for p in paths] == ["sample-camera.png", "sample-testcard.png"]
    assert all(p.parent == ROOT / "convviz" / "assets" for p in paths)
    assert sum(p.stat().st_size for p in paths) < 1_000_000
    cam, info = load_image_info(paths[0])
    assert cam.shape == (512, 512) and info.mode == "L" and 0 <= cam.min() < cam.max() <= 255
    card = load_array(paths[1])
    assert card.shape == (3, 256, 256)
    np.testing.assert_array_equal(card, np.moveaxis(_make_samples().test_card(), -1, 0))


def test_samples_have_their_sources_written_down():
    text = (ROOT / "convviz" / "assets" / "SAMPLES.md").read_text(encoding="utf-8")
    for p in sample_paths():
        assert f"`{p.name}`" in text
    assert "CC0" in text and "scikit-image" in text


def test_image_info_is_frozen():
    info = ImageInfo(
        path=Path("x"),
        format="PNG",
        mode="L",
        size=(1, 1),
        channels=1,
        bit_depth=8,
        value_range=(0.0, 255.0),
    )
    with pytest.raises(AttributeError):
        info.alpha = "kept"
