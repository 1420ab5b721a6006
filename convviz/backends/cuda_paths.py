"""What a thread executes, counted from a kernel's SASS along the paths threads take.

A kernel's machine code is cut into basic blocks; a branch back to an earlier block
closes a loop. Loops are folded innermost first: one iteration costs its most
expensive path from the loop's head to its latch, and the loop costs that times its
trip count. The trip counts come from the specialisation (the SASS does not say
them plainly): :class:`Trips` gives the count of a loop that holds FFMAs by its
nesting depth among such loops (input channels, kernel rows), and of any other loop
(a tile copy at the input's edge, a weight copy that did not unroll). After folding,
the kernel is a graph without cycles, and :func:`heaviest_path` is the path from
entry to exit that issues the most instructions among those that do the most
multiply-adds: no branch is assumed away, so a copy behind a branch is counted.

Which cells take which path is the caller's part: it compiles the kernel's interior
path alone and its border path alone and weighs them by the share of threads on
each (see ``scripts/kernel_report.py``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

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
_GLOBAL_LOADS = {"LDG"}
_GLOBAL_STORES = {"STG"}
_LOCAL = {"LDL", "STL"}


@dataclass(frozen=True)
class Count:
    """Instructions a thread issues along a path: all of them, FFMAs, global loads,
    global stores, local-memory accesses and barriers."""

    instructions: float = 0.0
    ffma: float = 0.0
    loads: float = 0.0
    stores: float = 0.0
    local: float = 0.0
    barriers: float = 0.0

    def __add__(self, o: Count) -> Count:
        return Count(*(a + b for a, b in zip(self.astuple(), o.astuple())))

    def times(self, n: float) -> Count:
        return Count(*(a * n for a in self.astuple()))

    def astuple(self) -> tuple[float, ...]:
        return (self.instructions, self.ffma, self.loads, self.stores, self.local, self.barriers)

    def heavier(self, o: Count) -> bool:
        """More multiply-adds, or as many and more instructions."""
        return (self.ffma, self.instructions) > (o.ffma, o.instructions)


@dataclass(frozen=True)
class Trips:
    """Trip counts the specialisation knows: ``ffma[d]`` for a loop holding FFMAs at
    depth d among such loops (outermost first), ``other`` for any loop without FFMAs."""

    ffma: tuple[int, ...] = ()
    other: int = 1
    #: the multiply-adds a thread does in all (when known): the outermost loop of
    #: multiply-adds then runs as often as that total asks, whatever factor the
    #: compiler unrolled it by
    total_ffma: int = 0

    def of(self, has_ffma: bool, depth: int) -> int:
        if not has_ffma:
            return self.other
        if depth < len(self.ffma):
            return self.ffma[depth]
        raise ValueError(f"a loop of multiply-adds at depth {depth}: no trip count known")


@dataclass
class _Graph:
    cost: list[Count]
    succ: list[list[int]]
    exits: list[bool]
    absorbed: set[int] = field(default_factory=set)
    owner: dict[int, int] = field(default_factory=dict)  # absorbed block -> its loop's head

    def rep(self, k: int) -> int:
        """The block standing for ``k`` after folding (the head of the loop holding it)."""
        while k in self.owner:
            k = self.owner[k]
        return k


def _count(instrs: list[Instr]) -> Count:
    return Count(
        instructions=len(instrs),
        ffma=sum(i.op == "FFMA" for i in instrs),
        loads=sum(i.op in _GLOBAL_LOADS for i in instrs),
        stores=sum(i.op in _GLOBAL_STORES for i in instrs),
        local=sum(i.op in _LOCAL for i in instrs),
        barriers=sum(i.op == "BAR" for i in instrs),
    )


def _graph(instrs: list[tuple[str | None, Instr]]) -> _Graph:
    # drop the trailing self-branch and NOP padding after the last EXIT
    def padding(label: str | None, ins: Instr) -> bool:
        return ins.op == "NOP" or (ins.target is not None and ins.target == label)

    while instrs and padding(*instrs[-1]):
        instrs = instrs[:-1]
    labels = {lab: i for i, (lab, _) in enumerate(instrs) if lab}
    leaders = {0} | set(labels.values())
    for i, (_, ins) in enumerate(instrs):
        if ins.op in _BRANCH and i + 1 < len(instrs):
            leaders.add(i + 1)
    starts = sorted(leaders)
    spans = list(zip(starts, starts[1:] + [len(instrs)]))
    index = {s: k for k, (s, _) in enumerate(spans)}
    g = _Graph([], [], [])
    for s, e in spans:
        last = instrs[e - 1][1]
        nxt: list[int] = []
        ends = False
        if last.op in _BRANCH:
            if last.target is not None and last.target in labels:
                nxt.append(index[labels[last.target]])
            ends = last.op in ("EXIT", "RET") and not last.predicated
            if last.predicated and e < len(instrs):
                nxt.append(index[e])
        elif e < len(instrs):
            nxt.append(index[e])
        g.cost.append(_count([ins for _, ins in instrs[s:e]]))
        g.succ.append(nxt)
        g.exits.append(ends or not nxt)
    return g


def _longest(g: _Graph, head: int, tail: int, ends: set[int]) -> Count | None:
    """The heaviest forward path from ``head`` to a block of ``ends`` within [head, tail]."""
    best: dict[int, Count] = {head: g.cost[head]}
    for k in range(head, tail + 1):
        if k not in best or k in g.absorbed:
            continue
        for t in g.succ[k]:
            if k < t <= tail and t not in g.absorbed:
                cand = best[k] + g.cost[t]
                if t not in best or cand.heavier(best[t]):
                    best[t] = cand
    found = [best[k] for k in ends if k in best]
    if not found:
        return None
    out = found[0]
    for c in found[1:]:
        if c.heavier(out):
            out = c
    return out


def _fold_loops(g: _Graph, trips: Trips, outer: dict[int, float]) -> list[tuple[int, Count]]:
    """Replace each loop (innermost first) by its head, costing trips × one iteration
    (``outer``: trip counts that replace the given ones, by loop head); the outermost
    loops of multiply-adds as (head, one iteration)."""
    found: list[tuple[int, Count]] = []
    loops: dict[int, int] = {}
    for k, nxt in enumerate(g.succ):
        for t in nxt:
            if t <= k:
                loops[t] = max(loops.get(t, t), k)
    spans = sorted(loops.items(), key=lambda hk: hk[1] - hk[0])
    ffma_inside = {
        h: any(g.cost[i].ffma for i in range(h, k + 1)) for h, k in spans
    }  # before folding
    for head, latch in spans:
        body = _longest(g, head, latch, {g.rep(latch)}) or g.cost[head]
        has = ffma_inside[head]
        # depth among FFMA loops: the FFMA loops that enclose this one
        depth = sum(1 for h, k in spans if ffma_inside[h] and h <= head and latch <= k) - 1
        n = outer.get(head, trips.of(has, max(depth, 0)))
        if has and depth == 0:
            found.append((head, body))
        exits = sorted(
            {t for i in range(head, latch + 1) if i not in g.absorbed for t in g.succ[i]}
            - set(range(head, latch + 1))
        )
        for i in range(head + 1, latch + 1):
            if i not in g.absorbed:
                g.absorbed.add(i)
                g.owner[i] = head
        g.cost[head] = body.times(n)
        g.succ[head] = exits
        g.exits[head] = not exits or any(
            g.exits[i] for i in range(head, latch + 1) if not g.succ[i]
        )
    return found


def heaviest_path(instrs: list[tuple[str | None, Instr]], trips: Trips) -> Count:
    """What one thread issues on the heaviest path from entry to exit, loops folded."""
    path, outer = _heaviest(instrs, trips, {})
    if trips.total_ffma and path.ffma and path.ffma != trips.total_ffma and len(outer) == 1:
        # the compiler unrolled the outermost loop by some factor: it runs fewer times
        ((head, body),) = outer
        n = trips.of(True, 0)
        outside = path.ffma - n * body.ffma
        if body.ffma:
            path, _ = _heaviest(instrs, trips, {head: (trips.total_ffma - outside) / body.ffma})
    return path


def _heaviest(
    instrs: list[tuple[str | None, Instr]], trips: Trips, outer: dict[int, float]
) -> tuple[Count, list[tuple[int, Count]]]:
    g = _graph(instrs)
    loops = _fold_loops(g, trips, outer)
    ends = {k for k in range(len(g.cost)) if g.exits[k] and k not in g.absorbed}
    found = _longest(g, 0, len(g.cost) - 1, ends)
    return (found if found is not None else Count()), loops


def sectors_per_request(stride_x: int | None, stride_y: int | None, block_x: int) -> int:
    """32-byte sectors one warp's access touches, for an address that moves ``stride_x``
    bytes per thread along x and ``stride_y`` per thread along y (None: a stride known
    only at run time, taken as one sector per thread), in blocks ``block_x`` wide."""
    lanes_x = min(block_x, 32)
    rows = 32 // lanes_x
    if stride_x is None:
        per_row = lanes_x
    elif stride_x == 0:
        per_row = 1
    else:
        per_row = min(lanes_x, math.ceil(lanes_x * abs(stride_x) / 32))
    return per_row * (1 if stride_y == 0 else rows)
