"""The ``cuda`` kernel with its weights as kernel parameters, written out per shape.

A one-output-channel kernel's weights travel with the launch as kernel parameters,
one named parameter a tap (``w0`` … ``wN``), which the GPU keeps in its constant
bank -- the textbook's ``__constant__`` mask: every thread of a warp reads the same
weight, a broadcast that costs no memory load, and an FFMA takes it straight from
the bank. The interior cell's sum is written out tap by tap, in the order of
:func:`convviz.core.cellmath.cell_value` (input channel, kernel row, kernel column,
from float32(0), then the bias), so nothing is left for the compiler to unroll and
no array is needed: copying parameters into an array the per-cell function could
index unrolled only up to 25 taps, and beyond that the array lived in local memory
(a stack frame, an STL and an LDL a tap). Border cells, few, call that per-cell
function itself, reading the same weights from memory.
"""

from __future__ import annotations

from typing import Any


def param_kernel_source(key: tuple[Any, ...]) -> str:
    """The Python source of ``conv_kernel`` for naive-kernel ``key`` (one output
    channel): the launch passes x, w, b, out, the sizes, then one weight a tap."""
    c_out, cin_g, kh, kw, sy, sx, dy, dx, pt, pl, mode, groups, paths = key
    assert c_out == 1
    c_in = cin_g * groups
    taps = cin_g * kh * kw
    names = ", ".join(f"w{t}" for t in range(taps))
    src = [
        "def conv_kernel(x, w, b, out, h, wd, ho, wo, y_lo, y_hi, x_lo, x_hi, " + names + "):",
        "    ox, oy = cuda.grid(2)",
        "    ox, oy = u32(ox), u32(oy)",
        f"    xs = with_shape(x, ({c_in}, h, wd))",
        "    outs = with_shape(out, (1, ho, wo))",
        "    inside = y_lo <= oy < y_hi and x_lo <= ox < x_hi",
        f"    if inside{' and False' if paths == 'border' else ''}:",
        f"        ry = oy * {sy} - {pt}",
        f"        rx = ox * {sx} - {pl}",
    ]
    # each row and column index once (known not negative: the window is inside)
    src += [f"        iy{ky} = nonneg(ry + {ky * dy})" for ky in range(kh)]
    src += [f"        ix{kx} = nonneg(rx + {kx * dx})" for kx in range(kw)]
    # each partial sum a name of its own: numba's SSA rebuild for a name assigned again
    # and again grows with the square of the assignments
    src.append("        acc0 = float32(0)")
    t = 0
    for ci in range(cin_g):
        for ky in range(kh):
            for kx in range(kw):
                src.append(f"        acc{t + 1} = acc{t} + xs[{ci}, iy{ky}, ix{kx}] * w{t}")
                t += 1
    src.append(f"        outs[0, oy, ox] = acc{t} + b[0]")
    if paths == "interior":  # (the report's count of the interior path alone)
        src += ["    elif True:", "        return"]
    src += [
        "    elif oy < ho and ox < wo:",
        f"        ws = with_shape(w, (1, {cin_g}, {kh}, {kw}))",
        "        outs[0, oy, ox] = cell_value(",
        f"            xs, ws, b, u32(0), oy, ox, {sy}, {sx}, {dy}, {dx}, {pt}, {pl},",
        f"            {mode}, {groups},",
        "        )",
    ]
    return "\n".join(src) + "\n"
