"""Why CUDA runs where it runs: the device choice's and the GPU probe's sentences as an
id and parameters, their English templates in one table.

A :class:`Reason` is a ``str`` -- its English text, which a terminal, a log and
``convviz info`` print unchanged -- that also carries the ``id`` of its template in
:data:`REASON_TEMPLATES` and its ``args``. A window translates the template (Qt context
:data:`CONTEXT`) and fills it in, a :class:`Reason` among the parameters rendered the
same way (``"{0}; computing on the CPU"`` holds the probe's own reason), so nothing
parses English back.

Parameters that are not ours to translate stay as they are: an exception's type and
first line, version numbers, package names and the ``pip install ...`` command.

Qt-free: the templates are marked with a stand-in ``QT_TRANSLATE_NOOP`` only so that
``scripts/update_translations.py`` (``pyside6-lupdate``) lists them in the ``.ts``.
"""

from __future__ import annotations

from convviz.core.message import Message

CONTEXT = "Device"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (lupdate's marker)
    """Marks ``text`` for the translation files; the text itself is returned."""
    return text


#: id -> English template (``{0}``… its parameters); a window translates these
REASON_TEMPLATES = {
    # the driver, asked through ctypes (core/device.py)
    "gpus_found": QT_TRANSLATE_NOOP("Device", "{0} NVIDIA GPU(s) found"),
    "no_driver": QT_TRANSLATE_NOOP(
        "Device", "no NVIDIA driver found (libcuda could not be loaded)"
    ),
    "driver_not_initialised": QT_TRANSLATE_NOOP(
        "Device", "the NVIDIA driver did not initialise (cuInit error {0})"
    ),
    "driver_reports_no_gpu": QT_TRANSLATE_NOOP(
        "Device", "the NVIDIA driver answered but reports no GPU"
    ),
    "driver_lacks_cuinit": QT_TRANSLATE_NOOP("Device", "libcuda was found but lacks cuInit"),
    # a lane's backend that cannot run, standing aside for another (convviz/engine.py)
    "not_available": QT_TRANSLATE_NOOP("Device", "not available: {0}"),
    # CONVVIZ_DEVICE and what it chose (core/device.py)
    "mode_unknown": QT_TRANSLATE_NOOP(
        "Device", "CONVVIZ_DEVICE={0} is not one of {1}; CUDA is off"
    ),
    "mode_off": QT_TRANSLATE_NOOP("Device", "CUDA turned off by CONVVIZ_DEVICE=off"),
    "sim_asked": QT_TRANSLATE_NOOP(
        "Device", "Numba's CUDA simulator on the CPU (CONVVIZ_DEVICE=sim)"
    ),
    "sim_env": QT_TRANSLATE_NOOP(
        "Device", "Numba's CUDA simulator on the CPU (NUMBA_ENABLE_CUDASIM=1 was set)"
    ),
    "no_gpu_simulated": QT_TRANSLATE_NOOP(
        "Device", "{0}; the CUDA kernel runs on Numba's simulator on the CPU"
    ),
    "gpu_asked_but": QT_TRANSLATE_NOOP("Device", "CONVVIZ_DEVICE=gpu but {0}"),
    "numba_too_early": QT_TRANSLATE_NOOP(
        "Device",
        "numba was imported before convviz, so the CUDA simulator could not be enabled; "
        "set NUMBA_ENABLE_CUDASIM=1 before starting Python",
    ),
    # the kernel launched to see whether the GPU runs it (backends/cuda_probe.py)
    "computing_on_cpu": QT_TRANSLATE_NOOP("Device", "{0}; computing on the CPU"),
    "simulator_failed": QT_TRANSLATE_NOOP(
        "Device", "Numba's CUDA simulator failed a one-thread kernel: {0}"
    ),
    "nvvm_missing": QT_TRANSLATE_NOOP(
        "Device",
        "the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing ({0}); {1}",
    ),
    "nvvm_broken": QT_TRANSLATE_NOOP(
        "Device",
        "the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing "
        "or broken ({0}); {1}",
    ),
    "no_free_memory": QT_TRANSLATE_NOOP(
        "Device",
        "the GPU has no free memory for a one-thread kernel ({0}); close the programs using it",
    ),
    "driver_older_than_toolkit": QT_TRANSLATE_NOOP(
        "Device",
        "the NVIDIA driver is older than the CUDA toolkit numba-cuda compiles with ({0}); "
        "{1}, or update the driver",
    ),
    "architecture_not_targeted": QT_TRANSLATE_NOOP(
        "Device",
        "this GPU's architecture is not one the installed CUDA toolkit targets ({0}): {1}; {2}",
    ),
    "numba_cannot_load_driver": QT_TRANSLATE_NOOP(
        "Device",
        "numba-cuda could not load the NVIDIA driver ({0}); install the NVIDIA driver",
    ),
    "gpu_not_usable": QT_TRANSLATE_NOOP("Device", "CUDA GPU not usable: {0}: {1} ({2}); {3}"),
    # what the probe found, inside the sentences above
    "found": QT_TRANSLATE_NOOP("Device", "found {0} and {1}"),
    "found_no_driver": QT_TRANSLATE_NOOP("Device", "no NVIDIA driver"),
    "found_driver": QT_TRANSLATE_NOOP("Device", "a driver for CUDA {0}"),
    "found_no_toolkit": QT_TRANSLATE_NOOP("Device", "no CUDA toolkit package"),
    "install_either": QT_TRANSLATE_NOOP(
        "Device",
        "pip install 'convviz[cuda12]' or 'convviz[cuda13]' "
        "(the one matching the CUDA Version nvidia-smi shows)",
    ),
    # the driver's CUDA version against the toolkit's (core/cuda_versions.py)
    "driver_too_old_for_toolkit": QT_TRANSLATE_NOOP(
        "Device",
        "the NVIDIA driver supports CUDA {0} but the installed CUDA toolkit is {1}, "
        "whose code that driver cannot load; {2}",
    ),
    "install_older_toolkit": QT_TRANSLATE_NOOP(
        "Device",
        'install the CUDA {0} toolkit instead: pip install "convviz[{1}]" '
        "(after pip uninstall of the CUDA {2} wheels), or update the driver",
    ),
    "update_driver": QT_TRANSLATE_NOOP("Device", "update the NVIDIA driver"),
}


class Reason(Message):
    """One sentence of why CUDA runs where it runs: its English text (what a terminal
    prints), with the ``id`` of its template in :data:`REASON_TEMPLATES` and its
    ``args`` (a :class:`Reason` among them is a sentence of its own), so that a window
    translates the template and fills it in, never parsing the English back."""

    TEMPLATES = REASON_TEMPLATES
