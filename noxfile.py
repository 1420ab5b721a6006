"""One session per supported Python, each running the README's test command.

    pipx run nox              # every Python from 3.10 to 3.13 found on this machine
    nox -s tests-3.12         # one of them
    nox -s tests-3.12 -- -m "not slow"   # arguments after -- go to pytest

Each session installs the package as the README says, ``pip install -e ".[test]"``,
in a fresh virtual environment, and runs ``python -m pytest``. numpy is not pinned, so
3.12 and 3.13 test on numpy 2.5 (numba-cuda made to work there by
``convviz/backends/cuda_toolchain.py``) and 3.10 and 3.11 on the last numpy they have.
"""

from __future__ import annotations

import nox

nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = False

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)
