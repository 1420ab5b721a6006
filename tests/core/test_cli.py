"""`convviz info` and `convviz run`: round trips against an oracle, exit code 2 on user errors;
what opens the app; the README's synopsis and the help agree with the parser."""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage, signal

from convviz.cli import build_parser, main
from convviz.errors import ConvvizError


def test_info_text_and_json(capsys):
    assert main(["info"]) == 0
    text = capsys.readouterr().out
    assert "CPU" in text and "cpu-parallel" in text and "GPU" in text
    assert main(["info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [b["name"] for b in data["backends"]]
    assert names == ["reference", "cpu", "cpu-parallel", "cuda", "cuda-tiled"]
    assert data["cpu"]["cores"] >= 1 and data["versions"]["numpy"]
    cuda = data["backends"][3]
    if data["gpu"] is None:  # no GPU: the reason is given, and the simulator is labelled
        assert data["gpu_reason"]
        assert cuda["simulated"] or not cuda["available"]
    else:
        assert data["gpu"]["sm_count"] > 0


@pytest.mark.parametrize("backend", ["reference", "cpu", "cpu-parallel", "auto"])
def test_run_npy_round_trip(tmp_path, capsys, backend):
    x = np.random.default_rng(0).random((20, 24)).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    rc = main(
        [
            "run",
            str(tmp_path / "in.npy"),
            "-k",
            "1 0 -1; 2 0 -2; 1 0 -1",
            "--padding",
            "1",
            "--backend",
            backend,
            "-o",
            str(tmp_path / "out.npy"),
            "--repeats",
            "2",
        ]
    )
    assert rc == 0
    out = np.load(tmp_path / "out.npy")
    want = signal.correlate2d(x, [[1, 0, -1], [2, 0, -2], [1, 0, -1]], mode="same")
    np.testing.assert_allclose(out, want, atol=1e-5)
    printed = capsys.readouterr().out
    assert "median" in printed and "wrote" in printed


def test_run_image_with_options(tmp_path, capsys):
    img = (np.arange(30 * 40) % 251).reshape(30, 40).astype(np.uint8)
    Image.fromarray(img).save(tmp_path / "g.png")
    rc = main(
        [
            "run",
            str(tmp_path / "g.png"),
            "-k",
            "gaussian:5:1",
            "--padding-mode",
            "replicate",
            "--padding",
            "2",
            "--stride",
            "2",
            "-o",
            str(tmp_path / "o.npy"),
            "--json",
        ]
    )
    assert rc == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["total"]["median"] > 0 and rec["cells"] == 15 * 20
    from convviz.core.kernels import preset

    want = ndimage.correlate(
        img.astype(np.float64), preset("gaussian", 5, 1).astype(np.float64), mode="nearest"
    )[::2, ::2]
    np.testing.assert_allclose(np.load(tmp_path / "o.npy"), want, atol=1e-3)


def test_run_writes_an_image(tmp_path):
    x = np.random.default_rng(1).random((3, 16, 16)).astype(np.float32) * 255
    np.save(tmp_path / "rgb.npy", x)
    assert (
        main(
            [
                "run",
                str(tmp_path / "rgb.npy"),
                "-k",
                "box",
                "--padding",
                "1",
                "-o",
                str(tmp_path / "o.png"),
            ]
        )
        == 0
    )
    with Image.open(tmp_path / "o.png") as im:
        assert im.size == (16, 16) and im.mode == "RGB"


@pytest.mark.parametrize(
    "args,needle",
    [
        (["run", "IN", "-o", "OUT", "--stride", "0"], "stride must be >= 1; got 0"),
        (["run", "IN", "-o", "OUT", "-k", "1 nan"], "'nan' at row 1, column 2 is not finite"),
        (
            ["run", "IN", "-o", "OUT", "-k", "99 99 99 99 99 99 99 99 99 99 99 99 99 99"],
            "spans 14 pixels, the padded input is only 8",
        ),
        (["run", "IN", "-o", "OUT", "--bogus"], "unrecognized arguments: --bogus"),
        (["run", "IN", "-o", "OUT", "--padding", "lots"], "is not valid padding"),
        (["run", "IN", "-o", "OUT", "--backend", "tpu"], "unknown backend 'tpu'"),
        (["run", "MISSING", "-o", "OUT"], "no such file"),
        (["run", "IN", "-o", "IN"], "is the input; refusing to overwrite it"),
        (["run", "TXT", "-o", "OUT"], "not an image"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, args, needle):
    np.save(tmp_path / "in.npy", np.zeros((8, 8), np.float32))
    (tmp_path / "t.png").write_text("hello")
    subst = {
        "IN": str(tmp_path / "in.npy"),
        "OUT": str(tmp_path / "out.npy"),
        "MISSING": str(tmp_path / "nope.npy"),
        "TXT": str(tmp_path / "t.png"),
    }
    rc = main([subst.get(a, a) for a in args])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("convviz: error: ")
    assert needle in err
    assert not (tmp_path / "out.npy").exists()


def test_subprocess_error_has_no_traceback(tmp_path):
    np.save(tmp_path / "in.npy", np.zeros((8, 8), np.float32))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "convviz",
            "run",
            str(tmp_path / "in.npy"),
            "-o",
            str(tmp_path / "o.npy"),
            "--dilation",
            "0",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "convviz: error: dilation must be >= 1; got 0"
    assert "Traceback" not in proc.stderr


def test_a_benchmark_too_big_for_the_memory_is_refused_before_allocating():
    """`convviz bench --sizes 10000000` asks for petabytes: one line that says how much was
    asked and how much there is, exit 2, and no time spent (nothing was allocated)."""
    proc = subprocess.run(
        [sys.executable, "-m", "convviz", "bench", "--sizes", "10000000", "--backends", "cpu"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    line = proc.stderr.strip()
    assert line.startswith("convviz: error: --sizes 10000000: a 1×10000000×10000000 problem")
    assert re.search(r"needs about 4\.3 PiB .*this machine has \d+\.\d [GMT]iB", line), line
    assert proc.stdout == ""


def test_the_memory_check_measures_the_largest_problem():
    from convviz.bench.command import check_memory

    gib = 2**30
    check_memory([256, 2048], [3, 15], 1, total=gib, free=gib // 2)  # 2062² × 48 ≈ 204 MB
    with pytest.raises(ConvvizError, match=r"1×8192×8192 problem needs about 3\.0 GiB"):
        check_memory([16, 8192], [3, 15], 1, total=16 * gib, free=2 * gib)
    # four channels need four times the memory; the free memory is what counts
    check_memory([4096], [3], 1, total=16 * gib, free=1 * gib)
    with pytest.raises(ConvvizError, match=r"has 16\.0 GiB \(1\.0 GiB free\)"):
        check_memory([4096], [3], 4, total=16 * gib, free=1 * gib)


def test_a_closed_pipe_on_stdout_ends_quietly():
    """`convviz info --json | true`: the reader is gone before we write. No traceback, no
    "Exception ignored" at exit: exit 0 and nothing on stderr."""
    read, write = os.pipe()
    os.close(read)  # the reader went away: every write gets EPIPE
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "convviz", "info", "--json"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == 0


# --- what opens the app, and what is a user error instead -----------------------------


@pytest.fixture
def gui_calls(monkeypatch):
    """Records the app's launches instead of opening a window."""
    import convviz.gui.app

    calls = []
    monkeypatch.setattr(convviz.gui.app, "main", lambda argv, painted=None: calls.append(argv) or 0)
    return calls


@pytest.mark.parametrize(
    "args,needle",
    [
        (["infos"], "unknown command 'infos'; did you mean `convviz info`?"),
        (["benchmark"], "unknown command 'benchmark'; did you mean `convviz bench`?"),
        (["MISSING"], "nope.png: no such file"),
        (["DIR"], "not a file; give an image to open"),
        (["IMG", "IMG"], "the app takes one image"),
        (["--bogus"], "see `convviz --help`"),
    ],
)
def test_typos_and_missing_files_exit_2_without_a_window(tmp_path, capsys, gui_calls, args, needle):
    (tmp_path / "x.png").write_bytes(b"")
    subst = {"MISSING": str(tmp_path / "nope.png"), "DIR": str(tmp_path), "IMG": "x.png"}
    rc = main([subst.get(a, a) for a in args])
    err = capsys.readouterr().err
    assert rc == 2 and gui_calls == []
    assert err.count("\n") == 1 and err.startswith("convviz: error: ")
    assert needle in err


def test_only_no_argument_or_an_existing_file_opens_the_app(tmp_path, gui_calls):
    img = tmp_path / "photo.png"
    img.write_bytes(b"any bytes: the app reads (and judges) the file itself")
    assert main([]) == 0
    assert main([str(img)]) == 0
    assert gui_calls == [[], [str(img)]]


def test_the_app_starts_with_the_garbage_collector_paused_and_leaves_it_running(monkeypatch):
    """``convviz`` pauses the collector before Qt is imported (the app resumes it once its
    window is painted); however the app ends, even in an error, the collector runs after."""
    import gc

    import convviz.gui.app
    from convviz.errors import ConvvizError

    seen = []

    def app_main(argv, painted=None):
        seen.append(gc.isenabled())
        if argv:
            raise ConvvizError("no display to open the app on")
        return 0

    monkeypatch.setattr(convviz.gui.app, "main", app_main)
    assert gc.isenabled()
    assert main([]) == 0 and seen == [False] and gc.isenabled()
    monkeypatch.setattr("convviz.cli._gui_args", lambda argv: argv)
    assert main(["IMG"]) == 2 and seen == [False, False] and gc.isenabled()
    # a caller's own pause is its own: left as it was
    gc.disable()
    try:
        assert main([]) == 0 and seen == [False, False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_display_problem_reads_the_environment():
    from convviz.gui.app import display_problem

    linux = "linux"
    assert "DISPLAY and WAYLAND_DISPLAY are unset" in display_problem({}, linux)
    assert display_problem({"DISPLAY": ":0"}, linux) == ""
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, linux) == ""
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, linux) == ""
    assert "no DISPLAY" in display_problem(
        {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, linux
    )
    assert display_problem({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, linux) == ""
    assert display_problem({}, "win32") == display_problem({}, "darwin") == ""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Windows and macOS always have a display"
)
@pytest.mark.parametrize("args", [[], ["IMG"]])
def test_no_display_is_one_line_not_a_qt_abort(tmp_path, args):
    np.save(tmp_path / "in.npy", np.zeros((8, 8), np.float32))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "convviz", *[str(tmp_path / "in.npy") for _ in args]],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("convviz: error: no display to open the app on")
    assert proc.stderr.count("\n") == 1


# --- the README's synopsis and the help agree with the parser ---------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def _subparsers(parser) -> dict:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _options(parser) -> dict:
    """Every option of a parser but --help: its first long name -> the argparse action."""
    out = {}
    for a in parser._actions:
        if a.option_strings and "--help" not in a.option_strings:
            out[next(s for s in a.option_strings if s.startswith("--"))] = a
    return out


def _synopsis() -> dict[str, str]:
    """The README's "Command line" block: command ("" for the app) -> its text."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("\n\n", 2)[1]
    commands: dict[str, str] = {}
    name = None
    for line in block.splitlines():
        line = line.split(" # ")[0]
        m = re.match(r"\s{4}convviz(?: ([a-z][a-z-]*))?(.*)", line)
        if m:
            name = m.group(1) or ""
            commands[name] = commands.get(name, "") + " " + m.group(2)
        else:
            commands[name] += " " + line.strip()
    return commands


def _shown(text: str) -> dict[str, str | None]:
    """Options in a synopsis text -> the value written after them (None if none)."""
    shown = {}
    for m in re.finditer(r"(?<![\w-])(--?[a-zA-Z][\w-]*)(?: ([^\s\]\[]+))?", text):
        value = m.group(2)
        shown[m.group(1)] = None if value is None or value.startswith("-") else value
    return shown


def _default_text(default) -> str:
    return ",".join(map(str, default)) if isinstance(default, list) else str(default)


def test_readme_synopsis_lists_exactly_the_parsers_options():
    from convviz.cli_options import add_conv_options

    parser = build_parser()
    readme = _synopsis()
    subs = _subparsers(parser)
    assert set(readme) == {"", *subs}, "README's commands differ from the parser's"
    assert set(_shown(readme[""])) == set(_options(parser))  # --version
    conv = argparse.ArgumentParser()
    add_conv_options(conv)
    for name, sub in subs.items():
        text = readme[name]
        shown = _shown(text)
        if "lesson options as for run" in text:
            shown.update(dict.fromkeys(_options(conv)))
        actions = _options(sub)
        aliases = {s: long for long, a in actions.items() for s in a.option_strings}
        unknown = set(shown) - set(aliases)
        assert not unknown, f"README shows {name} {sorted(unknown)}, which the parser lacks"
        missing = set(actions) - {aliases[s] for s in shown}
        assert not missing, f"README's synopsis of {name} misses {sorted(missing)}"
        for opt, value in shown.items():
            a = actions[aliases[opt]]
            if value is None:
                continue
            if a.choices:
                assert set(value.split("|")) == set(a.choices), f"{name} {opt}"
            elif not re.search(r"[A-Z]", value):  # a literal example: the default
                assert value == _default_text(a.default), f"{name} {opt}: not the default"


def test_help_names_every_backend_and_the_real_defaults():
    from convviz.backends import NAMES

    subs = _subparsers(build_parser())
    backend_help = subs["run"]._option_string_actions["--backend"].help
    for name in ("auto", *NAMES):
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", backend_help), name
    checked = 0
    for name, sub in subs.items():
        for opt, a in _options(sub).items():
            m = re.search(r"\(default:? ([^\s):]+)", a.help or "")
            if m and a.default not in (None, "", False):
                said, real = m.group(1), a.default
                if isinstance(real, (int, float)):  # "(default 3)" for 3.0
                    said, real = float(said), float(real)
                else:
                    real = _default_text(real)
                assert said == real, f"{name} {opt} help"
                checked += 1
    assert checked >= 8
