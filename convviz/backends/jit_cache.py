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
import json
import os
from pathlib import Path

import convviz.core
from convviz.core import paths
from convviz.version import __version__

#: the installed package, spelt as Python imported it (numba names cache folders after
#: the absolute source path, symbolic links unresolved)
PACKAGE = Path(os.path.abspath(convviz.core.__file__)).parent.parent
#: every module whose functions numba caches, relative to the package
SOURCES = ("core/cellmath.py", "backends/cpu.py", "backends/cpu_rows.py")
STAMP = "convviz-kernels.sha256"


def _cache_dirs(src: Path) -> list[Path]:
    """Where numba keeps the cache of functions defined in ``src``: under
    ``NUMBA_CACHE_DIR`` (which :mod:`convviz.core.paths` sets to the user's cache),
    in a folder named by numba after the source folder; without it, ``__pycache__``."""
    custom = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    if custom:  # numba.core.caching._CacheLocator.get_suitable_cache_subpath
        folder = os.path.dirname(os.path.abspath(src))
        digest = hashlib.sha1(folder.encode()).hexdigest()
        return [Path(custom) / f"{os.path.basename(folder)}_{digest}"]
    return [src.parent / "__pycache__"]


def stamp_path() -> Path:
    """The fingerprint file: beside numba's cache, or in the user's cache if that
    would be inside the installed package."""
    folder = _cache_dirs(PACKAGE / SOURCES[0])[0]
    if paths.is_inside(folder, PACKAGE):
        folder = paths.cache_dir()
    return folder / STAMP


def fingerprint() -> str:
    h = hashlib.sha256(__version__.encode())
    for rel in SOURCES:
        h.update((PACKAGE / rel).read_bytes())
    return h.hexdigest()


def drop_stale() -> bool:
    """Delete the numba cache of the kernel modules if their sources changed; True if it did."""
    want = fingerprint()
    stamp = stamp_path()
    if stamp.is_file() and stamp.read_text().strip() == want:
        return False
    for rel in SOURCES:
        src = PACKAGE / rel
        for d in _cache_dirs(src):
            for f in d.glob(f"{src.stem}.*.nb[ic]"):
                try:
                    f.unlink()
                except OSError:
                    pass
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(want + "\n")
    except OSError:
        pass  # no writable cache at all: numba then compiles afresh in every process
    return True


# -- what a launch will find: the warm-up's record ------------------------------------
#: written after a warm-up that numba's counters could judge: which backends, on which
#: sources, left which cache index files
WARM_RECORD = "convviz-warm-up.json"


def warm_record_path() -> Path:
    return stamp_path().parent / WARM_RECORD


def _index_files() -> list[Path]:
    """numba's cache index files (``*.nbi``) of the kernels, wherever they are now."""
    custom = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    if custom:
        return sorted(Path(custom).rglob("*.nbi"))
    return sorted(f for rel in SOURCES for d in _cache_dirs(PACKAGE / rel) for f in d.glob("*.nbi"))


def record_warm_up(backends: tuple[str, ...], from_cache: bool | None) -> None:
    """After a warm-up: note what it left in the cache (nothing when numba could not tell)."""
    path = warm_record_path()
    files = [str(f) for f in _index_files()]
    if from_cache is None or not files:
        return
    record = {"fingerprint": fingerprint(), "backends": sorted(backends), "files": files}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))
    except OSError:
        pass  # no writable cache: every launch then says it compiles, as it does


def looks_warm(backends: tuple[str, ...]) -> bool:
    """Whether the warm-up of ``backends`` will load every kernel from the cache: an
    earlier warm-up of the same backends, on these very sources, left index files that
    are all still there. Decided from files alone (nothing of numba is imported)."""
    try:
        record = json.loads(warm_record_path().read_text())
        files = [Path(f) for f in record["files"]]
        same = record["fingerprint"] == fingerprint() and record["backends"] == sorted(backends)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return same and bool(files) and all(f.is_file() for f in files)
