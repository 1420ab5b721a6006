"""Qt-free numerics: argument handling, the oracle, presets, the stepper, timing.

The CUDA device choice and numba's cache folder (the user's, never the installed
package) must be settled before numba is first imported, so both are done here, on
import of the package, before any submodule pulls in numba.
"""

from convviz.core import device as _device
from convviz.core import paths as _paths

_paths.use_user_cache()
_device.choose()
