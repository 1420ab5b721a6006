"""scripts/rehearse.py: skips, saying how to install, without X tools; on a real X
server it catches a planted defect (a label forced to 10 px in presentation mode)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "rehearse.py"
DECK = ROOT / "assets" / "decks" / "why-gpus.toml"


def _module():
    spec = importlib.util.spec_from_file_location("rehearse", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_without_the_x_tools_it_says_how_to_install_and_skips(monkeypatch, capsys):
    mod = _module()
    monkeypatch.setattr(mod.shutil, "which", lambda name: None)
    assert mod.main([str(DECK), "--out", "unused"]) == 0
    out = capsys.readouterr().out
    assert "apt-get install xvfb openbox xdotool x11-utils" in out and "skipped" in out


@pytest.mark.skipif(
    bool(_module().missing_tools()), reason="Xvfb, openbox or xdotool not installed"
)
def test_a_planted_10_px_label_fails_the_rehearsal(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    cmd = [sys.executable, str(SCRIPT), str(DECK), "--out", str(tmp_path), "--quick"]
    run = subprocess.run(
        [*cmd, "--plant", "small-label"], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "text size" in run.stdout and "10 px" in run.stdout
    assert list(tmp_path.rglob("*.png"))  # a screenshot per step, the failing one too
