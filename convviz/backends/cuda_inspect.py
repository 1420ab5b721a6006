"""What the compiler makes of a CUDA kernel, seen without a GPU.

``ptxas`` (through nvJitLink, from the ``nvidia-nvjitlink`` / ``cuda-bindings``
wheels) turns PTX into machine code for a given architecture and reports
registers, spills and shared memory; ``nvdisasm`` (the ``nvidia-cuda-nvdisasm``
wheel) prints that machine code (SASS). What a thread issues is counted along its
heaviest path, loops times their trip counts (:mod:`convviz.backends.cuda_paths`);
how many 32-byte sectors a warp's global access touches is read from the PTX's
address arithmetic (:mod:`convviz.backends.cuda_ptx_access`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convviz.backends.cuda_paths import Instr, Trips, heaviest_path, kernel_functions
from convviz.backends.cuda_ptx_access import sectors

__all__ = ["Instr", "KernelFacts", "ToolMissing", "inspect_ptx", "kernel_functions", "link"]


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
    """What ptxas made of one kernel, and what one thread of it issues."""

    registers: int
    spill_bytes: int  # spill stores + spill loads
    stack: int
    static_shared: int
    local_ptx: int  # PTX lines touching .local memory
    local_sass: int  # STL/LDL instructions in the SASS
    path: Any  # cuda_paths.Count: the heaviest path, loops times their trip counts
    load_sectors: float  # 32-byte sectors a warp's global load touches (mean)
    store_sectors: float  # and a warp's global store
    f64: tuple[str, ...]  # PTX lines with .f64

    @property
    def instructions(self) -> float:
        return float(self.path.instructions)

    @property
    def ffma(self) -> float:
        return float(self.path.ffma)

    @property
    def per_ffma(self) -> float:
        return self.instructions / self.ffma if self.ffma else float("inf")

    @property
    def uses_local_memory(self) -> bool:
        return bool(self.local_ptx or self.local_sass or self.stack or self.spill_bytes)

    def sector_bytes(self) -> float:
        """Bytes of 32-byte sectors the thread's global loads and stores move through
        L1, per thread (a warp request's sectors shared by its 32 threads)."""
        p = self.path
        return float(p.loads * self.load_sectors + p.stores * self.store_sectors)


def inspect_ptx(ptx: str, arch: str = "sm_90", trips: Any = None, block_x: int = 32) -> KernelFacts:
    """Registers, spills, local memory, the heaviest path (loops × ``trips``, a
    :class:`convviz.backends.cuda_paths.Trips`) and the sectors of the global
    accesses (blocks ``block_x`` threads wide) of the single kernel in ``ptx``."""
    cubin, log = link(ptx, arch)
    res = resources(log)
    funcs = kernel_functions(disassemble(cubin))
    if len(funcs) != 1:
        raise RuntimeError(f"expected one kernel in the cubin, found {sorted(funcs)}")
    (instrs,) = funcs.values()
    path = heaviest_path(instrs, trips if trips is not None else Trips())
    loads, stores = sectors(ptx, block_x)
    return KernelFacts(
        registers=res.registers,
        spill_bytes=res.spill_stores + res.spill_loads,
        stack=res.stack,
        static_shared=res.shared,
        local_ptx=sum(".local" in line for line in ptx.splitlines()),
        local_sass=sum(ins.op in ("STL", "LDL") for _, ins in instrs),
        path=path,
        load_sectors=loads,
        store_sectors=stores,
        f64=tuple(line.strip() for line in ptx.splitlines() if ".f64" in line),
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
