"""``convviz export-animation``: the lesson as GIF, APNG or (with the ``export`` extra) MP4.

Frames come from :mod:`convviz.core.frames` (Pillow), so no window or display is needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from convviz.errors import ConvvizError

FORMATS = (".gif", ".png", ".apng", ".mp4")


def export_animation(
    stepper, path, start: int = -1, stop: int | None = None, fps: float = 4.0, progress=None
) -> int:
    """Write frames start … stop of a lesson to ``path``; returns the number of frames.

    ``.gif`` and ``.png``/``.apng`` use Pillow; ``.mp4`` needs imageio-ffmpeg
    (``pip install convviz[export]``). Frame sizes are even, as video encoders need.
    """
    from convviz.core.frames import render_frames

    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ConvvizError(f"{path}: export as .gif, .png (APNG) or .mp4, not {ext or 'nothing'}")
    n = stepper.n_cells
    stop = n - 1 if stop is None else stop
    if not (-1 <= start <= stop <= n - 1):
        raise ConvvizError(f"steps {start}…{stop} are outside the lesson's -1…{n - 1}")
    if fps <= 0:
        raise ConvvizError(f"fps must be positive; got {fps}")
    if not path.parent.exists():
        raise ConvvizError(f"{path.parent}: no such folder")
    return _write(path, render_frames(stepper, start, stop), fps, progress, stop - start + 1)


def export_race(prep, path, fps: float = 4.0, frames: int = 48) -> int:
    """The race (:mod:`convviz.core.race`) of a prepared lesson as GIF, APNG or MP4: one
    core, this CPU's cores and a GPU on one clock; the GPU from a recorded benchmark or
    an example, its copies recorded or assumed, and each frame says which."""
    from convviz.core import race, sysinfo
    from convviz.core.race_frames import race_frames

    path = Path(path)
    _check_target(path, fps)
    recorded = race.recorded_gpu()
    gpu, copy = (recorded[0], recorded[1]) if recorded else (race.EXAMPLE_GPU, race.ASSUMED_COPY)
    r = race.make_race(prep, sysinfo.cpu_cores(), gpu, copy)
    return _write(path, race_frames(r, frames), fps, None, frames)


def _check_target(path: Path, fps: float) -> None:
    if path.suffix.lower() not in FORMATS:
        raise ConvvizError(
            f"{path}: export as .gif, .png (APNG) or .mp4, not {path.suffix.lower() or 'nothing'}"
        )
    if fps <= 0:
        raise ConvvizError(f"fps must be positive; got {fps}")
    if not path.parent.exists():
        raise ConvvizError(f"{path.parent}: no such folder")


def _write(path: Path, frames, fps: float, progress, total: int) -> int:
    ext = path.suffix.lower()
    if ext == ".mp4":
        return _write_mp4(path, frames, fps, progress)
    images = []
    for i, f in enumerate(frames):
        images.append(f)
        if progress:
            progress(i + 1, total)
    duration = int(round(1000 / fps))
    try:
        if ext == ".gif":
            images[0].save(
                path,
                save_all=True,
                append_images=images[1:],
                duration=duration,
                loop=0,
                optimize=False,
            )
        else:
            images[0].save(
                path,
                format="PNG",
                save_all=True,
                append_images=images[1:],
                duration=duration,
                loop=0,
            )
    except OSError as exc:
        raise ConvvizError(f"{path}: cannot write ({exc})") from None
    return len(images)


def _write_mp4(path, frames, fps, progress) -> int:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ConvvizError(
            "MP4 export needs imageio-ffmpeg: pip install 'convviz[export]' "
            "(GIF and APNG work without it)"
        ) from None
    writer = None
    count = 0
    try:
        for f in frames:
            if writer is None:
                writer = imageio_ffmpeg.write_frames(
                    str(path), f.size, fps=fps, macro_block_size=2, pix_fmt_out="yuv420p"
                )
                writer.send(None)
            writer.send(f.convert("RGB").tobytes())
            count += 1
            if progress:
                progress(count, None)
    finally:
        if writer is not None:
            writer.close()
    return count


def add_parser(sub) -> None:
    from convviz.cli_options import add_conv_options
    from convviz.core import lessons

    size = "x".join(str(n) for n in lessons.DEMO_SIZE)
    p = sub.add_parser(
        "export-animation",
        help="write the lesson as GIF, APNG or MP4 (by default the one the app opens on)",
    )
    p.add_argument(
        "--out",
        required=True,
        help="FILE.gif, FILE.png (APNG) or FILE.mp4; with --deck, one file per scene "
        "named FILE-01-lesson.gif, …",
    )
    p.add_argument("--deck", help="a deck (TOML): every scene to frames, one file each")
    p.add_argument("--input", help="a small .npy array (H, W) or (C, H, W) instead of a pattern")
    p.add_argument("--pattern", choices=lessons.PATTERNS, default=lessons.DEMO_PATTERN)
    p.add_argument("--size", default=size, help=f"input size HxW for --pattern (default {size})")
    p.add_argument("--channels", type=int, default=1, help="input channels (default 1)")
    p.add_argument(
        "--out-channels",
        type=int,
        default=1,
        help="output channels; a 2-D kernel is repeated for each (default 1)",
    )
    p.add_argument("--seed", type=int, default=lessons.DEMO_SEED)
    p.add_argument("--steps", default="", help="A:B, the range of cells to export (default all)")
    p.add_argument("--fps", type=float, default=4.0)
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument(
        "--race",
        action="store_true",
        help="the race instead: one core, this CPU's cores and a GPU on one clock",
    )
    p.add_argument(
        "--race-side",
        type=int,
        default=None,
        help="with --race: a SIDE×SIDE input of random digits (up to 512) instead of the lesson's",
    )
    add_conv_options(p, kernel=lessons.DEMO_KERNEL, padding_default=lessons.DEMO_PADDING)
    p.set_defaults(handler=run_export)


def _lesson_prep(args, side: int | None = None):
    """The lesson the options describe; ``side``: its input replaced by SIDE×SIDE random
    digits with the same channels (the race's bigger inputs)."""
    import numpy as np

    from convviz.cli_options import conv_kwargs
    from convviz.core import images
    from convviz.core.kernels import resolve_kernel
    from convviz.core.lessons import make_input
    from convviz.core.spec import prepare

    if args.input:
        x = images.load_array(Path(args.input))
    else:
        try:
            h, w = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            raise ConvvizError(f"--size {args.size!r}: give it as HxW, e.g. 8x8") from None
        x = make_input(args.pattern, h, w, channels=args.channels, seed=args.seed)
    if side is not None:
        c_in = 1 if np.ndim(x) == 2 else np.shape(x)[0]
        x = np.random.default_rng(args.seed).integers(0, 10, (c_in, side, side))
        x = x.astype(np.float32)
    k = resolve_kernel(args.kernel)
    if k.ndim == 2 and (
        args.out_channels > 1 or np.ndim(x) == 3 and args.groups == 1 and np.shape(x)[0] > 1
    ):
        c_in = 1 if np.ndim(x) == 2 else np.shape(x)[0]
        k = np.broadcast_to(k, (args.out_channels, c_in // args.groups) + k.shape)
    return prepare(x, k, **conv_kwargs(args))


def run_export(args: argparse.Namespace) -> int:
    from convviz.core import images
    from convviz.core.stepper import Stepper

    out = Path(args.out)
    if args.deck:
        return export_deck(Path(args.deck), out, fps=args.fps, force=args.force)
    images.check_output_path(out, inputs=[args.input] if args.input else [], force=args.force)
    if args.race:
        return _run_race(args, out)
    stepper = Stepper(_lesson_prep(args))
    start, stop = -1, stepper.n_cells - 1
    if args.steps:
        try:
            a, b = args.steps.split(":")
            start = int(a) if a.strip() else start
            stop = int(b) if b.strip() else stop
        except ValueError:
            raise ConvvizError(f"--steps {args.steps!r}: give it as A:B, e.g. 0:20") from None
    n = export_animation(stepper, out, start, stop, fps=args.fps)
    print(f"wrote {out}: {n} frames")
    return 0


def _run_race(args: argparse.Namespace, out: Path) -> int:
    from convviz.core import race

    side = args.race_side
    if side is not None and not 1 <= side <= max(race.SIDES):
        raise ConvvizError(f"--race-side {side}: give 1 to {max(race.SIDES)}")
    n = export_race(_lesson_prep(args, side), out, fps=args.fps)
    print(f"wrote {out}: {n} frames of the race")
    return 0


def scene_file(out: Path, index: int, mode: str) -> Path:
    """Where ``--deck`` writes scene ``index`` (0-based): FILE-01-lesson.gif beside --out."""
    return out.with_name(f"{out.stem}-{index + 1:02d}-{mode}{out.suffix}")


def export_deck(deck_path: Path, out: Path, fps: float = 4.0, force: bool = False) -> int:
    """Every scene of a deck to frames, one file per scene (:func:`scene_file`), through
    the scene code the window uses. A scene that cannot be shown is reported and skipped;
    the others are written. Exit status 1 when a scene was skipped for an error."""
    import sys

    from convviz.core import deck as decks
    from convviz.core import images
    from convviz.core.stepper import Stepper

    deck = decks.load_deck(deck_path)
    _check_target(out, fps)
    if deck.error:
        print(deck.error, file=sys.stderr)
    failed = False
    for scene in deck.scenes:
        if not scene.valid:
            print(f"skipped {scene.error}", file=sys.stderr)
            failed = True
            continue
        target = scene_file(out, scene.index, scene.mode)
        images.check_output_path(target, inputs=[], force=force)
        if scene.mode == "benchmark":
            print(f"{scene.label()}: a benchmark is measured in the app (Ctrl+B); no frames")
            continue
        if scene.mode == "race":
            n = export_race(decks.race_lesson(scene).prepare(), target, fps=fps)
        else:
            lesson = decks.image_lesson(scene) if scene.mode == "image" else scene.lesson()
            n = export_animation(Stepper(lesson.prepare()), target, fps=fps)
        print(f"wrote {target}: {n} frames ({scene.label()})")
    return 1 if failed or deck.error else 0
