"""Regenerate convviz/assets/sample-testcard.png, a synthetic colour test card.

Deterministic (integer numpy arithmetic, no fonts, no randomness): running this
again writes the same pixels; tests/core/test_images.py checks that the bundled
file matches ``test_card()``. Public domain (CC0), made by this script.

Quadrants (each 128×128) of the 256×256 RGB card, chosen for convolution lessons:
  top-left      black/white checkerboard of 16-pixel squares (edges, corners)
  top-right     eight vertical colour bars (per-channel filtering)
  bottom-left   a zone plate: rings whose frequency rises outwards (blur, aliasing)
  bottom-right  black with a single white pixel (a kernel's impulse response)
                and a white 32×32 square (a step edge)

    python scripts/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "convviz" / "assets" / "sample-testcard.png"


def test_card() -> np.ndarray:
    """The card as uint8 (256, 256, 3)."""
    card = np.zeros((256, 256, 3), np.uint8)
    y, x = np.mgrid[0:128, 0:128]
    card[:128, :128] = (((y // 16 + x // 16) % 2) * 255).astype(np.uint8)[..., None]
    bars = np.array(
        [
            [255, 255, 255],
            [255, 255, 0],
            [0, 255, 255],
            [0, 255, 0],
            [255, 0, 255],
            [255, 0, 0],
            [0, 0, 255],
            [0, 0, 0],
        ],
        np.uint8,
    )
    card[:128, 128:] = bars[x // 16]
    r2 = (y - 64) ** 2 + (x - 64) ** 2  # zone plate: cos(k r^2)
    ring = np.round(127.5 + 127.5 * np.cos(np.pi * r2 / 256.0)).astype(np.uint8)
    card[128:, :128] = ring[..., None]
    card[128 + 48, 128 + 48] = 255  # impulse
    card[128 + 80 : 128 + 112, 128 + 80 : 128 + 112] = 255  # step edges
    return card


def main() -> None:
    from PIL import Image

    Image.fromarray(test_card()).save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
