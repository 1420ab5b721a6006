"""The lesson's words: titles, formulas and captions, each a whole translatable sentence.

Every visible string goes through ``QCoreApplication.translate("LessonView", …)``
with ``{0}``-style placeholders, so a translation can reorder the numbers.
Numbers are formatted by :func:`convviz.core.stepper.fmt_number`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from convviz.core.spec import NUMPY_MODE, SCIPY_MODE
from convviz.core.stepper import fmt_number
from convviz.gui import theme

CONTEXT = "LessonView"
#: the size of a formula's second line (the lesson view's look makes it bigger in
#: presentation mode and passes its own size: ``small_px``)
SMALL_PX = 18


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def small_html(text: str, px: int = SMALL_PX) -> str:
    return f"<span style='font-size:{px}px; font-weight:normal'>{text}</span>"


def _accent(text: str) -> str:
    return f"<span style='color:{theme.palette().window}'>{text}</span>"


# -- padding ---------------------------------------------------------------------
def padding_words(s) -> str:
    t, b, left, r = s.padding
    if t == b == left == r:
        return str(t)
    return tr("top {0}, bottom {1}, left {2}, right {3}").format(t, b, left, r)


def padding_names(mode: str) -> str:
    """The same padding in PyTorch, numpy and scipy.ndimage words (DESIGN §1)."""
    return tr("PyTorch {0} = numpy {1} = scipy {2}").format(
        mode, NUMPY_MODE[mode], SCIPY_MODE[mode]
    )


def padding_hover(mode: str, r: int, c: int, source, value: float) -> str:
    """What a hovered padded cell (padded coordinates r, c) holds and where it comes from."""
    if source is None:
        return tr("Padded cell ({0},{1}) is a zero: zero padding copies nothing.").format(r, c)
    return tr("Padded cell ({0},{1}) copies x[{2},{3}] = {4} ({5}: {6}).").format(
        r, c, source[0], source[1], fmt_number(value), mode, padding_names(mode)
    )


# -- titles ----------------------------------------------------------------------
def input_title(s, note: str, channel_text: str) -> str:
    """Title of the (single) input grid."""
    if not any(s.padding):
        pad = tr("no padding")
    else:
        pad = tr("padding {0} ({1}, hatched)").format(padding_words(s), s.padding_mode)
    lead = ", ".join(t for t in (note, channel_text) if t)
    if lead:
        return tr("Input {0}, {1}×{2}, {3}").format(lead, s.h, s.w, pad)
    return tr("Input {0}×{1}, {2}").format(s.h, s.w, pad)


def inputs_heading(s) -> str:
    if not any(s.padding):
        return tr("Input: {0} channels of {1}×{2}, no padding").format(s.c_in, s.h, s.w)
    return tr("Input: {0} channels of {1}×{2}, padding {3} ({4}, hatched)").format(
        s.c_in, s.h, s.w, padding_words(s), s.padding_mode
    )


def kernel_title(s, name: str) -> str:
    dil = s.dilation[0] if s.dilation != (1, 1) else 0
    if s.flip and dil:
        return tr("Kernel {0}×{1} · {2} rotated 180° (convolution), dilation {3}").format(
            s.kh, s.kw, name, dil
        )
    if s.flip:
        return tr("Kernel {0}×{1} · {2} rotated 180° (convolution)").format(s.kh, s.kw, name)
    if dil:
        return tr("Kernel {0}×{1} · {2}, dilation {3}").format(s.kh, s.kw, name, dil)
    return tr("Kernel {0}×{1} · {2}").format(s.kh, s.kw, name)


def filter_heading(s, co: int) -> str:
    cin_g = s.c_in // s.groups
    if s.flip:
        return tr("Filter of out {0}: {1} kernels {2}×{3}, rotated 180° (convolution)").format(
            co, cin_g, s.kh, s.kw
        )
    return tr("Filter of out {0}: {1} kernels {2}×{3}").format(co, cin_g, s.kh, s.kw)


def output_title(s) -> str:
    if s.stride != (1, 1):
        return tr("Output {0}×{1}, stride {2}").format(s.out_h, s.out_w, s.stride[0])
    return tr("Output {0}×{1}").format(s.out_h, s.out_w)


def outputs_heading(s) -> str:
    if s.stride != (1, 1):
        return tr("Output: {0} channels of {1}×{2}, stride {3}").format(
            s.c_out, s.out_h, s.out_w, s.stride[0]
        )
    return tr("Output: {0} channels of {1}×{2}").format(s.c_out, s.out_h, s.out_w)


def groups_text(s) -> str:
    if s.groups == 1:
        return tr("groups = 1: every input channel feeds every output channel")
    if s.groups == s.c_in == s.c_out:
        return tr("groups = {0} (depthwise): input channel i feeds output channel i only").format(
            s.groups
        )
    return tr("groups = {0}: each output channel reads {1} of the {2} input channels").format(
        s.groups, s.c_in // s.groups, s.c_in
    )


# -- formulas ----------------------------------------------------------------------
def start_text(n_cells: int, n_stages: int) -> str:
    if n_stages > 1:
        return tr(
            "Press <b>Play</b> (Space) or <b>→</b> to slide the kernel: {0} output "
            "cells, each summed over {1} input channels, then its bias."
        ).format(n_cells, n_stages - 1)
    return tr(
        "Press <b>Play</b> (Space) or <b>→</b> to slide the kernel: {0} output "
        "cells, one after another."
    ).format(n_cells)


def cell_formula(st, n_cells: int, name, small_px: int = SMALL_PX) -> str:
    """The formula of a finished cell, as the single-channel lesson shows it."""
    head = _accent(html.escape(st.formula))
    if len(st.channel_sums) > 1:
        per = " + ".join(f"{name(i)} {fmt_number(v)}" for i, v in enumerate(st.channel_sums))
        if st.bias:
            line = tr("per channel {0} + bias {1} = {2} (cell {3} of {4})").format(
                per, fmt_number(st.bias), fmt_number(st.value), st.index + 1, n_cells
            )
        else:
            line = tr("per channel {0} = {1} (cell {2} of {3})").format(
                per, fmt_number(st.value), st.index + 1, n_cells
            )
        return f"{head}<br>{small_html(html.escape(line), small_px)}"
    sums = [fmt_number(t.running) for t in st.taps]
    if len(sums) > 12:
        sums = sums[:6] + ["…"] + sums[-2:]
    run = " → ".join(sums)
    if st.bias:
        line = tr("running sum: {0} + bias {1} = {2}  (cell {3} of {4})").format(
            run, fmt_number(st.bias), fmt_number(st.value), st.index + 1, n_cells
        )
    else:
        line = tr("running sum: {0} = {1}  (cell {2} of {3})").format(
            run, fmt_number(st.value), st.index + 1, n_cells
        )
    return f"{head}<br>{small_html(html.escape(line), small_px)}"


def _where(s, st) -> str:
    return f"{st.oy},{st.ox}" if s.c_out == 1 else f"{st.co},{st.oy},{st.ox}"


def stage_formula(s, st, part, n_cells: int, name, small_px: int = SMALL_PX) -> str:
    """A cell part-way: this channel's products, and the per-channel sums so far."""
    cin_g = len(st.channel_sums)
    per_ch = s.kh * s.kw
    parts = []
    for i in range(cin_g):
        parts.append(
            f"{name(st.taps[i * per_ch].ci)} {fmt_number(st.channel_sums[i])}"
            if i < len(part.channel_sums)
            else f"{name(st.taps[i * per_ch].ci)} …"
        )
    per = " + ".join(parts)
    where = _where(s, st)
    if part.bias_added:
        head = tr("out[{0}] = {1} + bias {2} = {3}").format(
            where,
            " + ".join(fmt_number(v) for v in st.channel_sums),
            fmt_number(st.bias),
            fmt_number(st.value),
        )
        line = tr("per channel {0} + bias {1} = {2} (cell {3} of {4}, done)").format(
            per, fmt_number(st.bias), fmt_number(st.value), st.index + 1, n_cells
        )
        return f"{_accent(html.escape(head))}<br>{small_html(html.escape(line), small_px)}"
    i = part.stage
    taps = st.taps[i * per_ch : (i + 1) * per_ch]
    terms = [f"{_factor(t.w)}·{_factor(t.x)}" for t in taps]
    if len(terms) > 9:
        terms = terms[:5] + ["…"] + terms[-2:]
    head = tr("channel {0}: {1} = {2}").format(
        name(taps[0].ci), " + ".join(terms), fmt_number(st.channel_sums[i])
    )
    done = " + ".join(
        f"{name(st.taps[j * per_ch].ci)} {fmt_number(st.channel_sums[j])}" for j in range(i + 1)
    )
    todo = [name(st.taps[j * per_ch].ci) for j in range(i + 1, cin_g)]
    todo.append(tr("bias {0}").format(fmt_number(st.bias)))
    line = tr(
        "out[{0}]: per channel {1} = {2} so far; still to add: {3} (cell {4} of {5}, "
        "channel {6} of {7})"
    ).format(
        where, done, fmt_number(part.total), ", ".join(todo), st.index + 1, n_cells, i + 1, cin_g
    )
    return f"{_accent(html.escape(head))}<br>{small_html(html.escape(line), small_px)}"


def _factor(v: float) -> str:
    return f"({fmt_number(v)})" if v < 0 else fmt_number(v)


def sums_html(s, st, part, name) -> str:
    """The per-channel sums and the bias adding up, as a small table."""
    rows = []
    per_ch = s.kh * s.kw
    for i, v in enumerate(st.channel_sums):
        ci = st.taps[i * per_ch].ci
        label = tr("Σ {0}").format(html.escape(name(ci)))
        done = i < len(part.channel_sums)
        now = part.channel == ci
        value = fmt_number(v) if done else "…"
        style = (
            f"color:{theme.palette().window}; font-weight:bold"
            if now
            else ("" if done else f"color:{theme.palette().muted}")
        )
        rows.append(f"<tr style='{style}'><td>{label}</td><td align='right'>{value}</td></tr>")
    style = (
        f"color:{theme.palette().window}; font-weight:bold"
        if part.bias_added
        else (f"color:{theme.palette().muted}")
    )
    bias = html.escape(tr("+ bias"))  # outside the f-string, where lupdate sees it
    rows.append(
        f"<tr style='{style}'><td>{bias}</td>"
        f"<td align='right'>{fmt_number(st.bias) if part.bias_added else '…'}</td></tr>"
    )
    total = fmt_number(part.total) + ("" if part.bias_added else " …")
    rows.append(
        f"<tr style='font-weight:bold'><td>= out[{_where(s, st)}]</td>"
        f"<td align='right'>{total}</td></tr>"
    )
    return "<table cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>"


# -- which weight meets which input ---------------------------------------------------
def _offset(k: int) -> str:
    return "" if k == 0 else (f"+{k}" if k > 0 else f"−{-k}")


def _expr(var: str, idx: str, sign: str, d: int, off: int) -> str:
    """e.g. r+i−1, c−j+1, r+2·i−2."""
    return f"{var}{sign}{'' if d == 1 else f'{d}·'}{idx}{_offset(off)}"


def meets_text(s, st=None) -> str:
    """Which kernel weight meets which input cell (cross-correlation or convolution).

    Weights are named as the user wrote the kernel: with ``flip`` the kernel is
    rotated, so w[kh−1, kw−1] meets the window's top-left input.
    """
    cy, cx = (s.kh - 1) // 2, (s.kw - 1) // 2
    dy, dx = s.dilation
    if s.flip:
        rule = "x[{}, {}]".format(
            _expr("r", "i", "−", dy, dy * (s.kh - 1 - cy)),
            _expr("c", "j", "−", dx, dx * (s.kw - 1 - cx)),
        )
        weights = [(s.kh - 1, s.kw - 1), (cy, cx), (0, 0)]
    else:
        rule = "x[{}, {}]".format(
            _expr("r", "i", "+", dy, -dy * cy), _expr("c", "j", "+", dx, -dx * cx)
        )
        weights = [(0, 0), (cy, cx), (s.kh - 1, s.kw - 1)]
    if st is None:
        y0 = x0 = None
    else:
        y0 = st.oy * s.stride[0] - s.padding[0]
        x0 = st.ox * s.stride[1] - s.padding[2]
    pairs = []
    for i, j in (weights[0], weights[2]):
        ty, tx = s.kernel_index(i, j)
        if y0 is None:
            pairs.append(
                tr("w[{0},{1}] meets x[r{2},c{3}]").format(
                    i, j, _offset(dy * (ty - cy)), _offset(dx * (tx - cx))
                )
            )
        else:
            pairs.append(tr("w[{0},{1}] meets x[{2},{3}]").format(i, j, y0 + dy * ty, x0 + dx * tx))
    meets = " … ".join(pairs)
    if y0 is None:
        where = tr("r, c = the window's centre")
    else:
        where = tr("r, c = {0},{1}").format(y0 + dy * cy, x0 + dx * cx)
    if s.flip:
        return tr("convolution (kernel rotated 180°): w[i,j] meets {0}; {1} ({2})").format(
            rule, meets, where
        )
    return tr("cross-correlation: w[i,j] meets {0}; {1} ({2})").format(rule, meets, where)


# -- the parallel phase -----------------------------------------------------------
def _xyz(t) -> str:
    return "(" + ",".join(map(str, t)) + ")"


def launch_html(s, record) -> str:
    g, b = record.grid, record.block
    idle = record.threads - s.cells
    grid, block = "×".join(map(str, g)), "×".join(map(str, b))
    if idle > 0:
        return tr(
            "launch: grid {0} × block {1} = {2} threads for {3} cells; {4} fall outside "
            "the {5}×{6} output and idle (hatched)"
        ).format(grid, block, record.threads, s.cells, idle, s.out_h, s.out_w)
    return tr("launch: grid {0} × block {1} = {2} threads for {3} cells").format(
        grid, block, record.threads, s.cells
    )


def parallel_html(s, record, small_px: int = SMALL_PX) -> str:
    if s.c_out > 1:
        hint = tr(
            "Every cell of every output channel at once; blockIdx.z is the output "
            "channel. Hover or click an output cell to see which thread computed it."
        )
    else:
        hint = tr("Hover or click an output cell to see which thread computed it.")
    return launch_html(s, record) + "<br>" + small_html(html.escape(hint), small_px)


def thread_html(
    s, record, co: int, r: int, c: int, value: float, bidx, tidx, small_px: int = SMALL_PX
) -> str:
    where = f"{r},{c}" if s.c_out == 1 else f"{co},{r},{c}"
    line = tr("out[{0}] = {1} ← thread blockIdx {2}, threadIdx {3}").format(
        where, fmt_number(value), _xyz(bidx), _xyz(tidx)
    )
    return f"{html.escape(line)}<br>{small_html(launch_html(s, record), small_px)}"


def error_text(message: str) -> str:
    if not message:
        return ""
    return tr("Invalid setting — {0}. The picture shows the last valid lesson.").format(message)


def sizes_html(s, one_line: bool = False) -> str:
    sep = " · " if one_line else "<br>"
    return (
        tr("H_out = {0}").format(html.escape(s.output_size_text(0)))
        + sep
        + tr("W_out = {0}").format(html.escape(s.output_size_text(1)))
    )
