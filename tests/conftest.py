"""Shared test setup. Qt must run headless: set the platform before anything imports Qt
(or numba, whose CUDA simulator choice convviz.core makes on import)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
