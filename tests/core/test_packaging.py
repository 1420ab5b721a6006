"""What a user installs: the license, the supported Pythons, the extras, and CI running
exactly the README's test command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_the_license_is_mit_and_ships_with_the_package():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]


def test_supported_pythons_agree_in_pyproject_and_noxfile():
    classified = sorted(
        c.rsplit(" ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    nox = re.search(r"PYTHONS = \[(.*?)\]", (ROOT / "noxfile.py").read_text(encoding="utf-8"))
    assert nox and re.findall(r'"(3\.\d+)"', nox.group(1)) == classified
    assert classified[0] == "3.10" and PROJECT["requires-python"] == ">=3.10"


def test_the_test_extra_pins_no_cuda_major():
    """So that .[test,cuda12] and .[test,cuda13] both resolve: the extra that names the
    CUDA major decides it."""
    for req in PROJECT["optional-dependencies"]["test"]:
        assert not re.search(r"cu1\d|==\s*1[0-9]|\b1[0-9]\.\*", req), req


def _fake_checkout(tmp_path: Path, readme_lines: list[str]) -> Path:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    text = "# x\n\n" + "\n".join("    " + line for line in readme_lines) + "\n"
    (tmp_path / "README.md").write_text(text)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text("#!/bin/sh\nexit 0\n")  # `python3 -m venv` does nothing
    (fake / "python3").chmod(0o755)
    return fake


TEST_COMMAND = 'python3 -m venv .venv && echo ".[test]" && sh -c "exit {rc}" -m pytest'


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash, as CI has")
@pytest.mark.parametrize("rc", [0, 1, 5])
def test_ci_runs_the_readmes_command_and_fails_on_no_tests(tmp_path, rc):
    fake = _fake_checkout(tmp_path, [TEST_COMMAND.format(rc=rc)])
    env = dict(os.environ, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, env=env
    )
    assert proc.returncode == rc, proc.stderr
    assert ("collected no tests" in proc.stderr) == (rc == 5)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash, as CI has")
def test_ci_refuses_an_ambiguous_readme(tmp_path):
    fake = _fake_checkout(tmp_path, [TEST_COMMAND.format(rc=0)] * 2)
    env = dict(os.environ, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 1 and "expected one test command" in proc.stderr


def test_the_readme_has_the_one_test_command_ci_runs():
    pattern = re.compile(r'^    python3 -m venv \.venv && .*"\.\[test\]".* -m pytest.*$', re.M)
    found = pattern.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found == [
        '    python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" '
        "&& .venv/bin/python -m pytest -n auto --dist loadfile"
    ]


def test_long_tests_are_marked_slow_and_run_by_default():
    ini = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in ini["markers"])
    assert "slow" not in ini.get("addopts", "")  # `-m "not slow"` is the user's choice
    soak = (ROOT / "tests" / "gui" / "test_soak.py").read_text(encoding="utf-8")
    assert "pytestmark = pytest.mark.slow" in soak
