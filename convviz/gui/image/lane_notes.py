"""What a lane's facts add about the cores: the same kernel timed on one core and on all,
so that the cores' share of the parallel lane's lead is seen apart from the kernel's."""

from __future__ import annotations

from PySide6 import QtCore

from convviz.core.timing import fmt_seconds


def tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("ImageViews", text)


def cores_text(one_core, all_cores) -> str:
    """What the cores give (the same kernel timed on one core and on all; the fastest
    runs, the least disturbed by other work), and where the rest of the lead over the
    one-cell loop comes from."""
    import numba

    t1, tn = one_core.total.min, all_cores.total.min
    return tr(
        "The parallel lane's kernel on 1 core: {1}, on {0} cores: {2} (×{3} from the "
        "cores); the rest of its lead is the kernel: rows at a time, vectorised."
    ).format(
        numba.config.NUMBA_NUM_THREADS,  # type: ignore[attr-defined]  # set at import time
        fmt_seconds(t1),
        fmt_seconds(tn),
        f"{t1 / tn:.2g}" if tn > 0 else "—",
    )
