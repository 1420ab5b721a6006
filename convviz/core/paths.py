"""Where convviz writes at run time: the user's cache folder, never the installed package.

numba caches compiled kernels next to their source by default, which in a normal
(non-editable) install is site-packages: it fails in a system or read-only install
and leaves files behind after ``pip uninstall``. :func:`use_user_cache` points
numba at the user's cache folder instead; it runs on import of ``convviz.core``,
before numba is first imported (numba reads ``NUMBA_CACHE_DIR`` then).

``CONVVIZ_CACHE_DIR`` overrides the folder; a ``NUMBA_CACHE_DIR`` set by the user
is left as it is. platformdirs is optional: where it is not installed (a GPU machine's
own Python, say) :func:`fallback_cache_dir` follows the same conventions.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

APP = "convviz"


def cache_dir() -> Path:
    """The folder for convviz's run-time files (created when first written to).

    The platform's convention: ``~/.cache/convviz`` (or ``$XDG_CACHE_HOME/convviz``)
    on Linux, ``~/Library/Caches/convviz`` on macOS, ``%LOCALAPPDATA%\\convviz\\Cache``
    on Windows."""
    custom = os.environ.get("CONVVIZ_CACHE_DIR", "").strip()
    if custom:
        return Path(custom).expanduser()
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return fallback_cache_dir()
    return Path(user_cache_dir(APP, appauthor=False))


def fallback_cache_dir(platform: str | None = None) -> Path:
    """platformdirs' user cache folder for convviz, without platformdirs: what
    :func:`cache_dir` uses where platformdirs is not installed (``platform``:
    ``sys.platform`` unless given)."""
    platform = sys.platform if platform is None else platform
    home = Path.home()
    if platform == "darwin":
        return home / "Library" / "Caches" / APP
    if platform.startswith("win"):
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(local) if local else home / "AppData" / "Local") / APP / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache"
    return base / APP


def numba_cache_dir() -> Path:
    """Where numba keeps the compiled kernels: ``NUMBA_CACHE_DIR`` if set, else ours."""
    custom = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    return Path(custom) if custom else cache_dir() / "numba"


def use_user_cache() -> Path:
    """Set ``NUMBA_CACHE_DIR`` to :func:`numba_cache_dir` unless the user set it; return it.

    Where that folder cannot be created (no writable home), a per-user folder in the
    temporary directory is used, so that numba still finds somewhere to cache."""
    if os.environ.get("NUMBA_CACHE_DIR", "").strip():
        return numba_cache_dir()
    folder = numba_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        user = getattr(os, "getuid", lambda: "user")()
        folder = Path(tempfile.gettempdir()) / f"convviz-cache-{user}" / "numba"
        folder.mkdir(parents=True, exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    return folder


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it (both resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
