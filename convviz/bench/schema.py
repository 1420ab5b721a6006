"""The ``convviz-bench/1`` JSON document: its fields and a strict reader.

The layout is described in :mod:`convviz.bench.runner`, which writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

from convviz.errors import ConvvizError

SCHEMA = "convviz-bench/1"
STATUSES = ("ok", "skipped", "failed")
ROW_KEYS = {
    "name": str,
    "kind": str,
    "device": str,
    "simulated": bool,
    "size": int,
    "kernel": int,
    "channels": int,
    "status": str,
    "reason": str,
}
NUM_KEYS = ("median_s", "min_s", "max_s", "compile_s", "max_abs_err", "ratio_to_fastest")


def load_bench_json(path) -> dict:
    """Read a ``convviz bench --json`` file; ConvvizError if it is not one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConvvizError(f"cannot read benchmark file {p}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConvvizError(f"{p} is not a JSON benchmark file ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ConvvizError(
            f"{p} is not a convviz benchmark (schema {found!r}, expected {SCHEMA!r})"
        )
    for key, typ in (("created", str), ("machine", dict), ("config", dict), ("results", list)):
        if not isinstance(data.get(key), typ):
            raise ConvvizError(f"{p}: '{key}' is missing or not a {typ.__name__}")
    for i, row in enumerate(data["results"]):
        _check_row(p, i, row)
    return data


def _check_row(p, i, row):
    where = f"{p}: results[{i}]"
    if not isinstance(row, dict):
        raise ConvvizError(f"{where} is not an object")
    for key, typ in ROW_KEYS.items():
        if not isinstance(row.get(key), typ) or (typ is int and isinstance(row[key], bool)):
            raise ConvvizError(f"{where}: '{key}' is missing or not a {typ.__name__}")
    if row["status"] not in STATUSES:
        raise ConvvizError(f"{where}: status {row['status']!r} is not one of {', '.join(STATUSES)}")
    for key in NUM_KEYS:
        v = row.get(key, "missing")
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise ConvvizError(f"{where}: '{key}' must be a number or null; got {v!r}")
    if row["status"] == "ok" and row.get("median_s") is None:
        raise ConvvizError(f"{where}: an 'ok' row needs median_s")
    phases = row.get("phases")
    if phases is not None and (
        not isinstance(phases, dict)
        or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in phases.values())
    ):
        raise ConvvizError(f"{where}: 'phases' must be an object of seconds or null")
