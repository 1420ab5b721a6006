"""How a warp's global loads and stores fall on memory, read from a kernel's PTX.

For every register the PTX computes, :func:`strides` follows how it moves from one
thread to its neighbour: its change per step of ``%tid.x`` and of ``%tid.y``, in
the units it counts (bytes, for an address). Adds add, a multiply by a constant
scales, a multiply by a number known only at run time (a row width) makes the step
unknown, and anything else that depends on the thread (a select, a min, a
division) makes it unknown too. A global access whose address steps 4 bytes along
x is coalesced (a warp of 32 reads 4 sectors of 32 bytes); one that steps 0 is a
broadcast (1 sector); one whose step is unknown -- a transposed read, whose step is
a row -- is taken as one sector per thread (32). No GPU is needed, and a kernel
cannot look coalesced without being so: an unknown step counts as the worst case.
"""

from __future__ import annotations

import re

from convviz.backends.cuda_paths import sectors_per_request

Step = tuple[int | None, int | None]  # change per thread along x, along y (None: unknown)
_ZERO: Step = (0, 0)
_SPECIAL: dict[str, Step] = {"%tid.x": (1, 0), "%tid.y": (0, 1)}
_IMM = re.compile(r"^-?(0[xX][0-9a-fA-F]+|\d+)$")
_ADDR = re.compile(r"\[\s*(%[\w.]+)\s*(?:\+\s*-?\w+)?\s*\]")


def _imm(tok: str) -> int | None:
    return int(tok, 0) if _IMM.match(tok) else None


def _combine(a: Step, b: Step, sign: int = 1) -> Step:
    return tuple(  # type: ignore[return-value]
        None if u is None or v is None else u + sign * v for u, v in zip(a, b)
    )


def _scale(a: Step, c: int) -> Step:
    return tuple(None if u is None else u * c for u in a)  # type: ignore[return-value]


def _product(ops: list[str], d: dict[str, Step]) -> Step:
    a, b = ops[0], ops[1]
    ca, cb = _imm(a), _imm(b)
    if cb is not None:
        return _scale(_step(a, d), cb)
    if ca is not None:
        return _scale(_step(b, d), ca)
    sa, sb = _step(a, d), _step(b, d)
    if sa == _ZERO and sb == _ZERO:
        return _ZERO
    return (None if sa[0] or sb[0] or None in (sa[0], sb[0]) else 0,
            None if sa[1] or sb[1] or None in (sa[1], sb[1]) else 0)  # fmt: skip


def _step(tok: str, d: dict[str, Step]) -> Step:
    if tok in _SPECIAL:
        return _SPECIAL[tok]
    return d.get(tok, _ZERO)


def _unknown_if_varies(ops: list[str], d: dict[str, Step]) -> Step:
    steps = [_step(o, d) for o in ops]
    return tuple(  # type: ignore[return-value]
        0 if all(s[i] == 0 for s in steps) else None for i in range(2)
    )


def strides(ptx: str) -> tuple[list[Step], list[Step]]:
    """The address steps (bytes per thread along x, y) of each global load and store."""
    d: dict[str, Step] = {}
    loads: list[Step] = []
    stores: list[Step] = []
    for raw in ptx.splitlines():
        line = raw.split("//")[0].strip().rstrip(";").strip()
        if not line or line[0] in ".{}$" or line.endswith(":"):
            continue
        if line.startswith("@"):
            line = line.split(None, 1)[1] if " " in line else ""
        parts = line.split(None, 1)
        if len(parts) < 2:
            continue
        op, rest = parts
        base = op.split(".")[0]
        if op.startswith(("ld.global", "st.global")):
            m = _ADDR.search(rest)
            step = _step(m.group(1), d) if m else (None, None)
            (loads if base == "ld" else stores).append(step)
        if base in ("st", "bar", "bra", "ret", "exit", "call"):
            continue
        ops = [o.strip() for o in rest.replace("{", "").replace("}", "").split(",")]
        dst, srcs = ops[0], ops[1:]
        if base in ("mov", "cvt", "cvta"):
            new = _step(srcs[0], d) if srcs else _ZERO
        elif base in ("add", "sub"):
            new = _combine(_step(srcs[0], d), _step(srcs[1], d), 1 if base == "add" else -1)
        elif base in ("mul", "mul24"):
            new = _product(srcs, d)
        elif base in ("mad", "mad24"):
            new = _combine(_product(srcs[:2], d), _step(srcs[2], d))
        elif base == "shl" and _imm(srcs[1]) is not None:
            new = _scale(_step(srcs[0], d), 2 ** int(srcs[1], 0))
        elif base == "neg":
            new = _scale(_step(srcs[0], d), -1)
        elif base == "ld":
            new = _ZERO  # a loaded value: the same for every thread in these kernels
        else:
            new = _unknown_if_varies(srcs, d)
        old = d.get(dst)
        if old is not None and old != new:  # assigned twice (a loop): agree or unknown
            new = tuple(u if u == v else None for u, v in zip(old, new))  # type: ignore[assignment]
        d[dst] = new
    return loads, stores


def sectors(ptx: str, block_x: int) -> tuple[float, float]:
    """Mean sectors a warp's global load and a warp's global store touch, for blocks
    ``block_x`` threads wide (0 when the kernel has none)."""
    loads, stores = strides(ptx)

    def mean(steps: list[Step]) -> float:
        if not steps:
            return 0.0
        return sum(sectors_per_request(sx, sy, block_x) for sx, sy in steps) / len(steps)

    return mean(loads), mean(stores)
