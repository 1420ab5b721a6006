"""Argument types and options shared by the command-line subcommands.

Kept apart from :mod:`convviz.cli` so that the subcommands defined elsewhere
(``bench``, ``export-animation``) need not import the CLI that imports them.
"""

from __future__ import annotations

import argparse
from typing import Any

from convviz.errors import ConvvizError


class Parser(argparse.ArgumentParser):
    """argparse, but its usage errors are one line and exit 2 like every other user error."""

    def error(self, message):
        raise ConvvizError(f"{message} (see `{self.prog} --help`)")


def int_or_pair(text: str):
    parts = [p for p in text.replace("x", ",").split(",") if p.strip()]
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer or a pair like 2,1") from None
    if len(vals) == 1:
        return vals[0]
    if len(vals) == 2:
        return tuple(vals)
    raise argparse.ArgumentTypeError(f"{text!r}: give one integer or two (y,x)")


def padding(text: str):
    if text.strip().lower() in ("same", "valid"):
        return text.strip().lower()
    parts = [p for p in text.split(",") if p.strip()]
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not valid padding: use N, PY,PX, TOP,BOTTOM,LEFT,RIGHT, same or valid"
        ) from None
    if len(vals) in (1, 2, 4):
        return vals[0] if len(vals) == 1 else tuple(vals)
    raise argparse.ArgumentTypeError(f"{text!r}: padding takes 1, 2 or 4 integers")


def conv_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``prepare``/``conv2d`` that :func:`add_conv_options` parsed."""
    return {
        "stride": args.stride,
        "padding": args.padding,
        "dilation": args.dilation,
        "groups": args.groups,
        "padding_mode": args.padding_mode,
        "flip": args.flip,
    }


def add_conv_options(
    p: argparse.ArgumentParser, kernel: str = "sobel-x", padding_default: object = 0
) -> None:
    """The convolution options shared by ``run`` and ``export-animation`` (whose
    defaults are the lesson the app opens on)."""
    from convviz.core.spec import PADDING_MODES

    p.add_argument(
        "--kernel",
        "-k",
        default=kernel,
        help="preset NAME[:size[:sigma]] (e.g. gaussian:7:2), a .npy/.txt file, "
        f'or rows like "1 0 -1; 2 0 -2; 1 0 -1" (default: {kernel})',
    )
    p.add_argument("--stride", type=int_or_pair, default=1, help="N or SY,SX (default 1)")
    p.add_argument(
        "--padding",
        type=padding,
        default=padding_default,
        help=f"N, PY,PX, TOP,BOTTOM,LEFT,RIGHT, same or valid (default {padding_default})",
    )
    p.add_argument("--padding-mode", choices=PADDING_MODES, default="zeros")
    p.add_argument("--dilation", type=int_or_pair, default=1, help="N or DY,DX (default 1)")
    p.add_argument("--groups", type=int, default=1)
    p.add_argument(
        "--flip",
        action="store_true",
        help="true convolution (rotate the kernel 180°); default cross-correlation",
    )


def int_list(text: str) -> list[int]:
    try:
        vals = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        msg = f"{text!r} is not a comma-separated list of integers"
        raise argparse.ArgumentTypeError(msg) from None
    if not vals or min(vals) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive integers like 256,1024")
    return vals


def positive(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1; got {v}") from None
    return v


def deck_args(argv: list[str]) -> list[str]:
    """``convviz --deck FILE``: the app's arguments when FILE is a file (ConvvizError
    saying what is wrong otherwise; the deck's scenes are checked in the window)."""
    from pathlib import Path

    if len(argv) != 2:
        raise ConvvizError("--deck takes one file: convviz --deck lecture.toml")
    path = Path(argv[1])
    if not path.is_file():
        raise ConvvizError(f"{path}: no such deck")
    return argv
