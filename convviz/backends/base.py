"""What every backend offers, and the shared run protocol."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from convviz.core.launch import Launch
from convviz.core.spec import Prepared
from convviz.core.timing import TimingRecord, measure
from convviz.errors import ConvvizError


def new_control() -> np.ndarray:
    """A control array shared with a running computation: [cells done, cancel flag]."""
    return np.zeros(2, np.int64)


class Backend:
    """One way of computing the convolution.

    Subclasses set ``name`` and ``label`` and implement :meth:`_availability`,
    :meth:`_device` and :meth:`_run_once`; they may override :meth:`check`
    (limits) and :meth:`compile` (JIT).
    """

    name = ""
    label = ""
    simulated = False

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

    def compute(self, prep: Prepared, ctrl: np.ndarray | None = None) -> np.ndarray:
        """One untimed run: the (C_out, H_out, W_out) float32 result."""
        self.check(prep)
        self.compile(prep)
        ctrl = new_control() if ctrl is None else ctrl
        return self._run_once(prep, ctrl)[0]

    def run(
        self, prep: Prepared, *, repeats: int = 5, warmup: int = 1, ctrl: np.ndarray | None = None
    ) -> tuple[np.ndarray, TimingRecord]:
        """Compile (timed apart), warm up, then time ``repeats`` runs."""
        self.check(prep)
        compile_s = self.compile(prep)
        ctrl = new_control() if ctrl is None else ctrl
        box: list[np.ndarray] = []

        def once() -> dict[str, float] | None:
            ctrl[0] = 0
            out, phases = self._run_once(prep, ctrl)
            box[:] = [out]
            return phases

        total, phases = measure(once, repeats=repeats, warmup=warmup)
        lau = self.launch(prep)
        rec = TimingRecord(
            backend=self.name,
            device=self.device,
            simulated=self.simulated,
            repeats=repeats,
            warmup=warmup,
            compile_s=compile_s,
            total=total,
            phases=phases,
            grid=lau.grid if lau else None,
            block=lau.block if lau else None,
            threads=lau.threads if lau else None,
            cells=prep.spec.cells,
            macs=prep.spec.macs,
            note=self.note(prep),
        )
        return box[0], rec
