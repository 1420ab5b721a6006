"""What every backend offers, declared: the contract callers rely on, and the shared run.

Every capability a caller may use is here, typed, with a default that is true for a
backend that does not have it (nothing compiles, one thread, no block to choose), so
that no caller probes a backend with ``hasattr``. Progress and cancel travel in one
:class:`Control`, made here.
"""

from __future__ import annotations

import copy
import time
from functools import cached_property
from typing import ClassVar, Literal

import numpy as np

from convviz.core.launch import Launch
from convviz.core.spec import Prepared
from convviz.core.timing import CompileFacts, Stats, TimingRecord, measure
from convviz.errors import ConvvizError

#: what kind of machine a backend computes on
Kind = Literal["reference", "cpu", "gpu"]


class Control:
    """Progress and cancel shared with a running computation.

    ``array`` is what the compiled loops read and write: ``[cells done, cancel flag]``,
    and with ``nonfinite`` a third element they set to 1 when some output is not
    finite. ``stage`` names the backend running and ``compiling`` what is being
    compiled ("3×3", '' when nothing is), for a caller that polls.
    """

    def __init__(self, nonfinite: bool = False) -> None:
        self.array = np.zeros(3 if nonfinite else 2, np.int64)
        self.stage = ""
        self.compiling = ""
        self.compiling_kind: Kind = "cpu"
        self.compiling_since = 0.0

    @property
    def done(self) -> int:
        return int(self.array[0])

    def restart(self) -> None:
        """Progress back to no cells (a new run begins)."""
        self.array[0] = 0

    def cancel(self) -> None:
        self.array[1] = 1

    @property
    def cancelled(self) -> bool:
        return bool(self.array[1])

    @property
    def nonfinite(self) -> bool:
        """Some output was not finite (only where the backend reports it)."""
        return self.array.shape[0] > 2 and bool(self.array[2])

    def start_compiling(self, what: str, kind: Kind) -> None:
        self.compiling, self.compiling_kind = what, kind
        self.compiling_since = time.perf_counter()

    def end_compiling(self) -> None:
        self.compiling = ""


def new_control(nonfinite: bool = False) -> Control:
    """A :class:`Control` for one computation (the one place one is made)."""
    return Control(nonfinite)


def _array(ctrl: Control | np.ndarray | None) -> np.ndarray:
    if ctrl is None:
        return new_control().array
    return ctrl.array if isinstance(ctrl, Control) else ctrl


class Backend:
    """One way of computing the convolution.

    Subclasses set ``name``, ``label`` and ``kind`` and implement :meth:`_availability`,
    :meth:`_device` and :meth:`_run_once`; they may override :meth:`check` (limits),
    :meth:`compile` (JIT) and the capabilities below.
    """

    name = ""
    label = ""
    simulated = False
    #: the machine it computes on: the numpy oracle, CPU cores or a GPU
    kind: ClassVar[Kind] = "cpu"
    #: it runs on several threads at once, as many as :meth:`with_threads` says
    parallel: ClassVar[bool] = False
    #: its loops set ``Control.array[2]`` when some output is not finite
    reports_nonfinite: ClassVar[bool] = False
    #: it compiles per problem (a JIT): :meth:`needs_compile` may say so
    compiles: ClassVar[bool] = False
    #: threads it runs on when :meth:`with_threads` chose a count (None: all it has)
    _threads: int | None = None

    # -- availability -------------------------------------------------------
    def _availability(self) -> tuple[bool, str]:
        return True, ""

    @cached_property
    def _avail(self) -> tuple[bool, str]:
        return self._availability()

    @property
    def available(self) -> bool:
        return self._avail[0]

    @property
    def reason(self) -> str:
        """Why the backend is unavailable ('' when it is available)."""
        return self._avail[1]

    @cached_property
    def device(self) -> str:
        return self._device() if self.available else "none"

    def _device(self) -> str:
        raise NotImplementedError

    @property
    def processor(self) -> str:
        """The device without the thread count ("AMD EPYC 7B13"; the GPU's line)."""
        return self.device

    # -- capabilities --------------------------------------------------------
    @property
    def threads(self) -> int:
        """CPU threads one run computes on (1 unless :attr:`parallel`)."""
        return 1

    def with_threads(self, threads: int) -> Backend:
        """This backend on ``threads`` threads (itself when it is not parallel); the
        registry's instance is left unchanged."""
        return self

    def with_block(self, block: tuple[int, int], rows: int = 2) -> Backend:
        """This backend launching (bx, by)-thread blocks, ``rows`` output rows per
        thread where it takes several (itself when it launches no CUDA blocks)."""
        return self

    def needs_compile(self, prep: Prepared) -> str:
        """What compiling for ``prep`` would be about ("3×3"), or '' when nothing is to
        compile (compiled before in this process, or a backend that never compiles)."""
        if not self.compiles or self.simulated:
            return ""
        return "" if self._compile_key(prep) in self._ready else f"{prep.spec.kh}×{prep.spec.kw}"

    def compile_facts(self, prep: Prepared) -> CompileFacts | None:
        """Compile what ``prep`` needs (timed apart from any run); None when nothing
        compiles. Backends that can tell a cache load from a compile override this."""
        secs = self.compile(prep)
        if secs is None:
            return None
        self._ready.add(self._compile_key(prep))
        return CompileFacts(secs, from_cache=False, what=f"{prep.spec.kh}×{prep.spec.kw}")

    @cached_property
    def _ready(self) -> set[object]:
        return set()

    def _compile_key(self, prep: Prepared) -> object:
        return (prep.spec, getattr(self, "block", None))

    def _twin(self) -> Backend:
        """A copy that computes its device line again (it may name other threads)."""
        twin = copy.copy(self)
        twin.__dict__.pop("device", None)
        return twin

    # -- running ------------------------------------------------------------
    def check(self, prep: Prepared) -> None:
        """Raise ConvvizError if this backend refuses this problem (size limits)."""
        if not self.available:
            raise ConvvizError(f"backend {self.name!r} is not available: {self.reason}")

    def compile(self, prep: Prepared) -> float | None:
        """JIT-compile for this problem's types; seconds taken (None if nothing compiles)."""
        return None

    def _run_once(
        self, prep: Prepared, ctrl: np.ndarray
    ) -> tuple[np.ndarray, dict[str, float] | None]:
        raise NotImplementedError

    def note(self, prep: Prepared) -> str:
        """Anything a user should know about how this problem ran (fallbacks); '' if none."""
        return ""

    def launch(self, prep: Prepared) -> Launch | None:
        """The CUDA launch shape, for GPU backends; None otherwise."""
        return None

    def run_once(self, prep: Prepared, ctrl: Control | np.ndarray | None = None) -> np.ndarray:
        """One untimed run of what :meth:`check` and :meth:`compile` prepared."""
        arr = _array(ctrl)
        arr[0] = 0
        return self._run_once(prep, arr)[0]

    def compute(self, prep: Prepared, ctrl: Control | np.ndarray | None = None) -> np.ndarray:
        """One untimed run: the (C_out, H_out, W_out) float32 result."""
        self.check(prep)
        self.compile(prep)
        return self._run_once(prep, _array(ctrl))[0]

    def record(
        self, prep: Prepared, total: Stats, repeats: int, warmup: int, compile_s: float | None
    ) -> TimingRecord:
        """The timing record of runs on this problem (``total``: their Stats)."""
        lau = self.launch(prep)
        return TimingRecord(
            backend=self.name,
            device=self.device,
            simulated=self.simulated,
            repeats=repeats,
            warmup=warmup,
            compile_s=compile_s,
            total=total,
            grid=lau.grid if lau else None,
            block=lau.block if lau else None,
            threads=lau.threads if lau else None,
            cells=prep.spec.cells,
            macs=prep.spec.macs,
            note=self.note(prep),
        )

    def run(
        self,
        prep: Prepared,
        *,
        repeats: int = 5,
        warmup: int = 1,
        ctrl: Control | np.ndarray | None = None,
    ) -> tuple[np.ndarray, TimingRecord]:
        """Compile (timed apart), warm up, then time ``repeats`` runs."""
        self.check(prep)
        compile_s = self.compile(prep)
        arr = _array(ctrl)
        box: list[np.ndarray] = []

        def once() -> dict[str, float] | None:
            arr[0] = 0
            out, phases = self._run_once(prep, arr)
            box[:] = [out]
            return phases

        total, phases = measure(once, repeats=repeats, warmup=warmup)
        rec = self.record(prep, total, repeats, warmup, compile_s)
        rec.phases = phases
        return box[0], rec
