"""The desktop app (PySide6 + pyqtgraph). Owns no numerics: see convviz.core.

The app shares the CPU with its own GUI thread: OpenMP's default of spinning
idle worker threads makes ``cpu-parallel`` wait for a core the GUI holds (a
512² Sobel measured 8 ms instead of 0.27 ms in the app's process). Idle
threads sleep instead in the app; a user's own OMP_WAIT_POLICY wins. It must
be set before numba's OpenMP runtime loads, which the app does not do at
start-up.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
