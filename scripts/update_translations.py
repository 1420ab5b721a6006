"""Regenerate the translation sources (``convviz/gui/i18n/convviz_*.ts``) from the code.

    python scripts/update_translations.py           # bring every .ts up to date, in place
    python scripts/update_translations.py --check   # change nothing; exit 1 if a .ts is not
                                                    # what the code makes, naming the entries

Qt's ``pyside6-lupdate`` (the one beside this Python, from PySide6) reads every Python
module of the package, all sub-packages included, in a fixed order, with:

- ``-no-obsolete``: a text the code no longer asks for is dropped, not kept as "vanished";
- ``-locations none``: no file names or line numbers, so code that moves leaves the file
  alone and two branches' files merge;
- ``-tr-function-alias tr+=_tr``: a module's private ``_tr("…")`` helper is read as ``tr``.

lupdate takes any ``#:`` comment near a text for a note to the translator; ours are notes
to programmers, so the script drops them (an edited comment then changes nothing here).

lupdate files a module-level helper's texts under the empty context; the app finds them
by their source text (:class:`convviz.gui.i18n.TsTranslator`). A text new to the code
comes in "unfinished" (with lupdate's guess when the same text is translated elsewhere):
translate it with Qt Linguist or by hand, and ``tests/gui/test_i18n.py`` holds the file
complete and equal to what this script makes. The app reads the ``.ts`` itself, so there
is no ``.qm`` to release.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "convviz"
TS_FOLDER = PACKAGE / "gui" / "i18n"
_NOTE = re.compile(r"[ \t]*<extracomment>.*?</extracomment>\n", re.S)
OPTIONS = ("-no-obsolete", "-locations", "none", "-tr-function-alias", "tr+=_tr", "-silent")


def lupdate() -> str:
    """The ``pyside6-lupdate`` of this environment (beside its Python), else on the PATH."""
    beside = Path(sys.executable).with_name("pyside6-lupdate")
    if beside.is_file():
        return str(beside)
    found = shutil.which("pyside6-lupdate")
    if found is None:
        raise SystemExit("pyside6-lupdate not found: install PySide6 (its tools come with it)")
    return found


def sources() -> list[str]:
    """Every module of the package, as paths relative to the repository, sorted."""
    return sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py"))


def ts_files() -> list[Path]:
    return sorted(TS_FOLDER.glob("convviz_*.ts"))


def update(ts: Path) -> None:
    """Rewrite ``ts`` with the texts the code asks for now, keeping their translations."""
    cmd = [lupdate(), *sources(), *OPTIONS, "-ts", str(ts)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"pyside6-lupdate failed ({proc.returncode}): {proc.stderr.strip()}")
    ts.write_text(_NOTE.sub("", ts.read_text(encoding="utf-8")), encoding="utf-8")


def entries(ts: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """{(context, source): (translation, its type)} of every message in ``ts``."""
    table = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            text = "" if tr is None else (tr.text or "")
            kind = "" if tr is None else (tr.get("type") or "")
            table[(name, msg.findtext("source") or "")] = (text, kind)
    return table


def differences(committed: Path) -> list[str]:
    """What regenerating ``committed`` would change, one line each: entries the code asks
    for that it lacks (missing), entries the code no longer asks for (obsolete), and any
    other change of the file's bytes. Empty: the file is what the code makes."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / committed.name
        shutil.copyfile(committed, fresh)
        update(fresh)
        old, new = entries(committed), entries(fresh)
        same_bytes = fresh.read_bytes() == committed.read_bytes()
    found = [f"missing: {c!r} {s!r}" for c, s in sorted(set(new) - set(old))]
    found += [f"obsolete: {c!r} {s!r}" for c, s in sorted(set(old) - set(new))]
    found += [
        f"changed: {k[0]!r} {k[1]!r}: {old[k]} -> {new[k]}"
        for k in sorted(set(old) & set(new))
        if old[k] != new[k]
    ]
    if not found and not same_bytes:
        found.append("the file's layout differs from what pyside6-lupdate writes")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a .ts is out of date"
    )
    args = parser.parse_args(argv)
    stale = 0
    for ts in ts_files():
        if args.check:
            found = differences(ts)
            for line in found:
                print(f"{ts.relative_to(ROOT)}: {line}")
            stale += bool(found)
        else:
            update(ts)
            unfinished = [k for k, (_t, kind) in entries(ts).items() if kind == "unfinished"]
            print(
                f"{ts.relative_to(ROOT)}: {len(entries(ts))} texts, {len(unfinished)} to translate"
            )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
