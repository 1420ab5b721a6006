"""The numpy oracle as a backend."""

from __future__ import annotations

import numpy as np

from convviz.backends.base import Backend
from convviz.core import sysinfo
from convviz.core.reference import conv2d_reference
from convviz.core.spec import Prepared


class ReferenceBackend(Backend):
    name = "reference"
    label = "numpy reference (float64 sums)"
    kind = "reference"

    def _device(self) -> str:
        return f"{sysinfo.cpu_model()} (numpy)"

    def _run_once(
        self, prep: Prepared, ctrl: np.ndarray
    ) -> tuple[np.ndarray, dict[str, float] | None]:
        return conv2d_reference(prep), None
