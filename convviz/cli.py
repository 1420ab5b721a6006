"""``convviz``: the app, and its headless commands ``run``, ``bench``, ``info``.

User errors (bad arguments, unreadable files, invalid convolutions) end with
exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from convviz import collector
from convviz.cli_options import Parser, add_conv_options, conv_kwargs, deck_args
from convviz.errors import ConvvizError

COMMANDS = ("run", "bench", "info", "export-animation")
ABANDONED_WAIT_S = 30.0  # quitting: how long a compile still running may finish
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    from convviz.backends import NAMES
    from convviz.version import __version__

    parser = Parser(
        prog="convviz",
        description="Headless commands of convviz. Run "
        "`convviz [IMAGE]` without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"convviz {__version__}")
    parser.add_argument("--deck", metavar="FILE", help="open the app on a deck's first scene")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    info = sub.add_parser("info", help="versions, CPU, GPU and backends")
    info.add_argument("--json", action="store_true", help="machine-readable output")

    run = sub.add_parser("run", help="convolve an image or .npy file")
    run.add_argument("input", help="image (PNG, JPEG, …) or .npy array")
    run.add_argument(
        "-o",
        "--output",
        required=True,
        help=".npy (exact float32), .tif/.tiff (float32), or an image (8-bit)",
    )
    add_conv_options(run)
    run.add_argument(
        "--backend",
        default="auto",
        metavar="NAME",
        help=f"auto, {', '.join(NAMES[:-1])} or {NAMES[-1]} (default auto: a real GPU "
        "if there is one, else cpu-parallel)",
    )
    run.add_argument("--repeats", type=int, default=5, help="timed runs (default 5)")
    run.add_argument(
        "--color",
        choices=("per-channel", "gray"),
        default="per-channel",
        help="colour images: filter each channel, or convert to grey first",
    )
    run.add_argument("--force", action="store_true", help="overwrite OUTPUT if it exists")
    run.add_argument("--json", action="store_true", help="print the timing record as JSON")

    try:
        from convviz import bench as _bench

        _bench.add_parser(sub)
    except ImportError:
        pass
    try:
        from convviz import export as _export

        _export.add_parser(sub)
    except ImportError:
        pass
    return parser


def cmd_info(args) -> int:
    from convviz import info

    data = info.collect()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(info.format_text(data)))
    return 0


def cmd_run(args) -> int:
    from convviz import backends, engine, lane_text
    from convviz.core import images
    from convviz.core.kernels import resolve_kernel
    from convviz.core.spec import prepare

    src, out_path = Path(args.input), Path(args.output)
    if args.repeats < 1:
        raise ConvvizError(f"--repeats must be at least 1; got {args.repeats}")
    images.check_output_path(out_path, inputs=[src], force=args.force)
    x = images.load_array(src, gray=args.color == "gray")
    w = resolve_kernel(args.kernel)
    prep = prepare(x, w, **conv_kwargs(args))
    import os

    # as the app: idle OpenMP threads sleep (before numba loads its threading layer)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    ctrl = backends.new_control()
    request = engine.Request(prep, backends.get(args.backend).name, repeats=args.repeats)
    be = backends.get(request.backend)
    what = be.needs_compile(prep)
    if what:  # numba (or the GPU's compiler) compiles what it needs, apart from the runs
        print(lane_text.compiling_line(be.kind, what) + "…", end="", file=sys.stderr, flush=True)
    lane = engine.run(request, ctrl)
    if what and lane.compiled is not None:
        print(f" {lane.compiled.text()}", file=sys.stderr)
    out, rec = lane.out, lane.record
    assert out is not None and rec is not None
    note = images.save_result(out_path, prep.finish(out))
    if args.json:
        print(json.dumps(rec.to_dict(), indent=2))
    else:
        print("\n".join(lane_text.plain(lane)))
        print(f"wrote {out_path} {note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        code = _dispatch(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # here, where a closed pipe can still be answered
        return code
    except ConvvizError as exc:
        print(f"convviz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our stdout went away (`convviz info | head -1`, `| true`): what it
        # read is all it wanted. Python's documented recipe: point stdout at devnull, so
        # that the interpreter's last flush at exit does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS and not argv[0].startswith("-"):
        return open_app(_gui_args(argv))
    if argv[0] == "--deck":
        return open_app(deck_args(argv))
    args = build_parser().parse_args(argv)
    handler = {"info": cmd_info, "run": cmd_run}.get(args.command) or args.handler
    return handler(args)


def _gui_args(argv: list[str]) -> list[str]:
    """``convviz`` alone or ``convviz IMAGE`` with an existing file; anything else is a
    user error, told in one line before a window opens."""
    if len(argv) > 1:
        extra = " ".join(argv[1:])
        raise ConvvizError(f"the app takes one image, not {extra!r} after it; see `convviz -h`")
    if not argv:
        return argv
    path = Path(argv[0])
    if path.is_file():
        return argv
    if path.exists():
        raise ConvvizError(f"{path}: not a file; give an image to open")
    if not path.suffix and len(path.parts) == 1:
        near = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        hint = f"did you mean `convviz {near[0]}`? " if near else ""
        raise ConvvizError(
            f"unknown command {argv[0]!r}; {hint}commands: {', '.join(COMMANDS)}, "
            "or give an image to open"
        )
    raise ConvvizError(f"{path}: no such file")


def open_app(argv: list[str], painted: Callable[[], object] | None = None) -> int:
    """The app, on ``argv`` (``[]``, ``[IMAGE]`` or ``["--deck", FILE]``), until it quits.

    Python's garbage collector is paused from here, before Qt is imported, until the
    window is painted (:mod:`convviz.collector`). ``painted``: called once the window's
    first paint is done (``scripts/startup_time.py`` times the launch through it)."""
    with collector.paused():
        try:
            from convviz.gui.app import main as gui_main
        except ImportError as exc:
            raise ConvvizError(
                f"the desktop app is not available ({exc}); headless commands: "
                + ", ".join(COMMANDS)
            ) from None
        code = gui_main(argv, painted=painted)
    from convviz.gui.widgets import job_runner

    # the window is gone; work that could not stop (a kernel compile) ends before Python
    # does, or, stuck, is left to the process's end without Python's finalization
    if not job_runner.wait_for_abandoned(ABANDONED_WAIT_S):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
