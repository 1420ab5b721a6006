"""The numpy oracle as a backend."""

from __future__ import annotations

from convviz.backends.base import Backend
from convviz.core import sysinfo
from convviz.core.reference import conv2d_reference


class ReferenceBackend(Backend):
    name = "reference"
    label = "numpy reference (float64 sums)"

    def _device(self) -> str:
        return f"{sysinfo.cpu_model()} (numpy)"

    def _run_once(self, prep, ctrl):
        return conv2d_reference(prep), None
