"""`convviz info` and `convviz run`: round trips against an oracle, exit code 2 on user errors."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage, signal

from convviz.cli import main


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
