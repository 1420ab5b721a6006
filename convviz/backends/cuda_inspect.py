"""What the compiler makes of a CUDA kernel, seen without a GPU.

``ptxas`` (through nvJitLink, from the ``nvidia-nvjitlink`` / ``cuda-bindings``
wheels) turns PTX into machine code for a given architecture and reports
registers, spills and shared memory; ``nvdisasm`` (the ``nvidia-cuda-nvdisasm``
wheel) prints that machine code (SASS). :func:`hot_path` counts the SASS
instructions issued per FFMA on the path an interior thread takes: the innermost
loop that holds FFMAs if there is one, else the straight-line path from entry to
exit with the most FFMAs (the fewest instructions among those).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class ToolMissing(RuntimeError):
    """A compiler tool is not installed; the message names the pip package."""


@dataclass(frozen=True)
class Resources:
    registers: int
    spill_stores: int
    spill_loads: int
    stack: int
    shared: int  # static shared memory, bytes (dynamic shared memory is set at launch)


def link(ptx: str, arch: str = "sm_90") -> tuple[bytes, str]:
    """(cubin, ptxas log) for ``ptx`` compiled for ``arch`` by nvJitLink at -O3."""
    try:
        from cuda.bindings import nvjitlink as nj
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ToolMissing(f"nvJitLink is missing: pip install nvidia-nvjitlink ({exc})") from None
    handle = nj.create(3, [f"-arch={arch}", "-verbose", "-O3"])
    try:
        data = ptx.encode()
        nj.add_data(handle, nj.InputType.PTX, data, len(data), "kernel.ptx")
        try:
            nj.complete(handle)
        except nj.nvJitLinkError:
            err = bytearray(nj.get_error_log_size(handle))
            nj.get_error_log(handle, err)
            raise RuntimeError("ptxas failed: " + bytes(err).decode(errors="replace")) from None
        log = bytearray(nj.get_info_log_size(handle))
        nj.get_info_log(handle, log)
        cubin = bytearray(nj.get_linked_cubin_size(handle))
        nj.get_linked_cubin(handle, cubin)
    finally:
        nj.destroy(handle)
    return bytes(cubin), bytes(log).decode(errors="replace")


def resources(log: str) -> Resources:
    """Registers, spills, stack and static shared memory from a ``-verbose`` ptxas log."""

    def num(pattern: str) -> int:
        found = re.findall(pattern, log)
        return max((int(v) for v in found), default=0)

    return Resources(
        registers=num(r"[Uu]sed (\d+) registers"),
        spill_stores=num(r"(\d+) bytes spill stores"),
        spill_loads=num(r"(\d+) bytes spill loads"),
        stack=num(r"(\d+) bytes stack frame"),
        shared=num(r"(\d+) bytes smem"),
    )


def nvdisasm_path() -> str:
    """The nvdisasm executable: on PATH, or inside the nvidia-cuda-nvdisasm wheel."""
    found = shutil.which("nvdisasm")
    if found:
        return found
    import importlib.util

    spec = importlib.util.find_spec("nvidia")
    for root in spec.submodule_search_locations or [] if spec else []:
        for cand in sorted(Path(root).glob("*/bin/nvdisasm")) + [Path(root) / "bin/nvdisasm"]:
            if cand.exists():
                return str(cand)
    raise ToolMissing("nvdisasm is missing: pip install nvidia-cuda-nvdisasm")


def disassemble(cubin: bytes) -> str:
    """The SASS of ``cubin`` as nvdisasm prints it (with labels for branch targets)."""
    exe = nvdisasm_path()
    with tempfile.NamedTemporaryFile(suffix=".cubin") as f:
        f.write(cubin)
        f.flush()
        done = subprocess.run([exe, "-c", f.name], capture_output=True, text=True, check=True)
    return done.stdout


@dataclass(frozen=True)
class KernelFacts:
    """What ptxas made of one kernel."""

    registers: int
    spill_bytes: int  # spill stores + spill loads
    stack: int
    static_shared: int
    instructions: int  # on the hot path
    ffma: int  # on the hot path
    where: str  # "loop" or "straight"
    f64: tuple[str, ...]  # PTX lines with .f64

    @property
    def per_ffma(self) -> float:
        return self.instructions / self.ffma if self.ffma else float("inf")


def inspect_ptx(ptx: str, arch: str = "sm_90") -> KernelFacts:
    """Registers, spills and the hot path of the (single) kernel in ``ptx``."""
    cubin, log = link(ptx, arch)
    res = resources(log)
    funcs = kernel_functions(disassemble(cubin))
    if len(funcs) != 1:
        raise RuntimeError(f"expected one kernel in the cubin, found {sorted(funcs)}")
    (instrs,) = funcs.values()
    n, f, where = hot_path(instrs)
    f64 = tuple(line.strip() for line in ptx.splitlines() if ".f64" in line)
    return KernelFacts(
        res.registers,
        res.spill_stores + res.spill_loads,
        res.stack,
        res.shared,
        n,
        f,
        where,
        f64,
    )


#: sm_90 (H100/H200) limits per SM
SM90 = {"threads": 2048, "blocks": 32, "registers": 65536, "shared": 233472, "reserved": 1024}


def blocks_per_sm(threads: int, registers: int, shared: int, sm: dict[str, int] = SM90) -> int:
    """Resident blocks of ``threads`` threads using ``registers`` each and ``shared``
    bytes of shared memory (static + dynamic) on one SM; 0 if one does not fit."""
    warps = (threads + 31) // 32
    regs_warp = ((max(registers, 1) * 32 + 255) // 256) * 256
    by_regs = sm["registers"] // (regs_warp * warps)
    by_threads = sm["threads"] // (warps * 32)
    by_shared = sm["shared"] // (shared + sm["reserved"])
    return min(sm["blocks"], by_regs, by_threads, by_shared)


# -- control flow of one function --------------------------------------------------------
_INSTR = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;")
_LABEL = re.compile(r"^\s*(\.L_x_\d+):")
_TARGET = re.compile(r"`\((\.L_x_\d+)\)")


@dataclass
class Instr:
    text: str
    op: str  # opcode without modifiers, e.g. "FFMA", "LDS", "BRA"
    predicated: bool
    target: str | None  # branch target label


def kernel_functions(sass: str) -> dict[str, list[tuple[str | None, Instr]]]:
    """Kernel name -> its instructions, each with the label placed on it (or None).

    Runtime helpers (``__cuda_sm20_*``) are left out; a CALL into one is counted
    where it is made."""
    funcs: dict[str, list[tuple[str | None, Instr]]] = {}
    current: list[tuple[str | None, Instr]] | None = None
    label = None
    for line in sass.splitlines():
        head = re.match(r"\s*//-+ \.text\.(\S+)", line)
        if head:
            name = head.group(1)
            current = None if name.startswith("__") else funcs.setdefault(name, [])
            label = None
            continue
        if current is None:
            continue
        m = _LABEL.match(line)
        if m:
            label = m.group(1)
            continue
        m = _INSTR.search(line)
        if not m:
            continue
        body = m.group(2).strip()
        pred = body.startswith("@")
        if pred:
            body = body.split(None, 1)[1]
        op = body.split()[0].split(".")[0]
        t = _TARGET.search(body)
        current.append((label, Instr(body, op, pred, t.group(1) if t else None)))
        label = None
    return funcs


_BRANCH = {"BRA", "BRX", "JMP", "JMX", "EXIT", "RET"}


def hot_path(instrs: list[tuple[str | None, Instr]]) -> tuple[int, int, str]:
    """(instructions, FFMAs, where) on the hot path of one kernel; see the module doc."""
    # drop the trailing self-branch and NOP padding after the last EXIT
    while instrs and (instrs[-1][1].op == "NOP" or instrs[-1][1].target == instrs[-1][0]):
        instrs = instrs[:-1]
    labels = {lab: i for i, (lab, _) in enumerate(instrs) if lab}
    leaders = {0} | set(labels.values())
    for i, (_, ins) in enumerate(instrs):
        if ins.op in _BRANCH and i + 1 < len(instrs):
            leaders.add(i + 1)
    starts = sorted(leaders)
    blocks = [(s, e) for s, e in zip(starts, starts[1:] + [len(instrs)])]
    index = {s: k for k, (s, _) in enumerate(blocks)}
    succ: list[list[int]] = []
    exits: list[bool] = []
    for _, e in blocks:
        last = instrs[e - 1][1]
        nxt: list[int] = []
        ends = False
        if last.op in _BRANCH:
            if last.target is not None and last.target in labels:
                nxt.append(index[labels[last.target]])
            if last.op in ("EXIT", "RET") and not last.predicated:
                ends = True
            if last.predicated and e < len(instrs):
                nxt.append(index[e])
        elif e < len(instrs):
            nxt.append(index[e])
        succ.append(nxt)
        exits.append(ends or not nxt)
    cost = [e - s for s, e in blocks]
    ffma = [sum(instrs[i][1].op == "FFMA" for i in range(s, e)) for s, e in blocks]
    # loops: a branch to a block at or before its own
    loops = [(t, k) for k in range(len(blocks)) for t in succ[k] if t <= k]
    with_ffma = [(t, k) for t, k in loops if sum(ffma[t : k + 1]) > 0]
    # innermost: holding no other loop with FFMAs
    inner = [
        (t, k)
        for t, k in with_ffma
        if not any((t2, k2) != (t, k) and t <= t2 and k2 <= k for t2, k2 in with_ffma)
    ]
    paths = [_best_path(succ, cost, ffma, t, k, k.__eq__) for t, k in inner]
    paths = [p for p in paths if p[1] > 0]
    if paths:
        # several FFMA loops (an interior one and a border one): the interior is the
        # common case and the cheapest
        n, f = min(paths, key=lambda p: p[0] / p[1])
        return n, f, "loop"
    n, f = _best_path(succ, cost, ffma, 0, len(blocks) - 1, lambda k: exits[k])
    return n, f, "straight"


def _best_path(
    succ: list[list[int]],
    cost: list[int],
    ffma: list[int],
    head: int,
    tail: int,
    is_end: Callable[[int], bool],
    trace: list[int] | None = None,
) -> tuple[int, int]:
    """The forward path from ``head`` to an end block within [head, tail] with the most
    FFMAs, and among those the fewest instructions (its blocks appended to ``trace``)."""
    best: dict[int, tuple[int, int]] = {head: (ffma[head], -cost[head])}
    came: dict[int, int] = {}
    for k in range(head, tail + 1):
        if k not in best:
            continue
        for t in succ[k]:
            if k < t <= tail:
                cand = (best[k][0] + ffma[t], best[k][1] - cost[t])
                if t not in best or cand > best[t]:
                    best[t] = cand
                    came[t] = k
    ends = [(v, k) for k, v in best.items() if is_end(k)]
    if not ends:
        return 0, 0
    (f, neg), k = max(ends)
    if trace is not None:
        path = [k]
        while path[-1] in came:
            path.append(came[path[-1]])
        trace.extend(reversed(path))
    return -neg, f
