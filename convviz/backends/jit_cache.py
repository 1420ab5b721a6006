"""Keep numba's on-disk cache honest across files.

numba checks only the source file of the function it loads from its cache, not
the files that function calls into: after an edit (or an upgrade) of
``cellmath.py`` or ``cpu_rows.py`` a cached ``cpu.conv_parallel`` would still
run the old code. Before anything is compiled, :func:`drop_stale` fingerprints
the sources of every module with cached kernels and, if the fingerprint
changed, deletes those modules' cache files so that they compile afresh (once).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import convviz.core
from convviz.version import __version__

PACKAGE = Path(convviz.core.__file__).resolve().parent.parent
#: every module whose functions numba caches, relative to the package
SOURCES = ("core/cellmath.py", "backends/cpu.py", "backends/cpu_rows.py")
STAMP = "convviz-kernels.sha256"


def _cache_dirs(src: Path) -> list[Path]:
    """Where numba keeps the cache of functions defined in ``src``."""
    dirs = [src.parent / "__pycache__"]
    custom = os.environ.get("NUMBA_CACHE_DIR")
    if custom:  # numba mirrors the absolute source folder under it
        dirs.append(Path(custom) / src.parent.resolve().relative_to(src.anchor))
    return dirs


def fingerprint() -> str:
    h = hashlib.sha256(__version__.encode())
    for rel in SOURCES:
        h.update((PACKAGE / rel).read_bytes())
    return h.hexdigest()


def drop_stale() -> bool:
    """Delete the numba cache of the kernel modules if their sources changed; True if it did."""
    want = fingerprint()
    stamp_dirs = _cache_dirs(PACKAGE / SOURCES[0])
    if any((d / STAMP).is_file() and (d / STAMP).read_text().strip() == want for d in stamp_dirs):
        return False
    for rel in SOURCES:
        src = PACKAGE / rel
        for d in _cache_dirs(src):
            for f in d.glob(f"{src.stem}.*.nb[ic]"):
                try:
                    f.unlink()
                except OSError:
                    pass
    for d in stamp_dirs:
        try:
            d.mkdir(parents=True, exist_ok=True)
            (d / STAMP).write_text(want + "\n")
        except OSError:
            continue  # read-only install: numba falls back to its user-wide cache
    return True
