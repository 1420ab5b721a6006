"""Qt-free numerics: argument handling, the oracle, presets, the stepper, timing.

The CUDA device choice must happen before numba is first imported, so it is
made here, on import of the package, before any submodule pulls in numba.
"""

from convviz.core import device as _device

_device.choose()
