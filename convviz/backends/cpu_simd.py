"""cpu-parallel's inner loop for small kernels, written as 8-lane vectors.

A block of ``ROWS`` output rows with a kernel of kh × kw reads kh + ROWS - 1
input rows; input row t gives output row i its kernel row t - i. The loop here
walks the block's columns 8·S at a time (S side-by-side groups of 8 columns,
``STREAMS``): it loads each output cell once, adds every tap of the block's
rows to it in registers, and stores it once. Each lane does exactly what
:func:`convviz.core.cellmath.cell_value` does for its cell, in its order --
kernel row, then kernel column, a separate multiply and add (no fused
multiply-add, no reassociation) -- so the result is bit for bit the ``cpu``
backend's.

Why by hand: numba hands the same loop to LLVM as scalar code, and LLVM
vectorises a loop only after run-time checks that its input rows and output
rows do not overlap; beyond about seven input rows it gives up ("too many
memory checks") and the loop runs one float at a time. A sum per cell is also
one long chain of dependent additions (no reassociation allowed), so S groups
of columns are kept in flight to hide the adder's latency. Here the vectors
are LLVM IR emitted by a numba intrinsic: no checks, no guessing.

``vector_rows(kh, kw, whole)`` returns the intrinsic
``r = rows(a, x, wk, offsets, q, n, bias)``: ``a`` the flat output, ``x`` the
flat input, ``wk`` the flat weights (taps ``wk[q + ky·kw + kx]``), ``offsets``
the start of each output row's first cell (ROWS of them) and of each input
row's first tap (kh + ROWS - 1), ``n`` the cells along the rows. It does the
first ``done`` columns and leaves the rest to the caller; ``r = 2·done + flag``.
With ``whole`` the cells are whole: their sums start at zero (as cell_value's),
the bias is added at the end, ``flag`` is 1 when a result is not finite (inf -
inf and nan - nan are nan), and ``done`` is n (0 when n < 8·S): the last step
starts at n - 8·S, overlapping the one before, whose cells it computes again to
the same bits. Without, one input channel's taps are added to what ``a`` holds
(the bias is the caller's, ``flag`` 0) and ``done`` is the largest multiple of
8·S not above n.
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: output rows per block (cpu_rows.ROWS, race.ROWS): 3 rows with passes of 3-4 taps
#: measured fastest among 2-5 rows and 3-5 taps (more spills registers)
ROWS = 3
LANES = 8  # float32 lanes in a 256-bit vector


#: groups of 8 columns in flight: a cell's sum is one chain of dependent additions (no
#: reassociation allowed), so three groups × three rows keep the adders busy
STREAMS = 3


@cache
def vector_rows(kh: int, kw: int, whole: bool) -> Any:
    """The intrinsic for kh × kw kernels (see the module)."""
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic
    from numba.np import arrayobj

    make_array: Any = arrayobj.make_array  # untyped

    nrow = kh + ROWS - 1
    s_count = STREAMS
    step = LANES * s_count

    @intrinsic
    def rows(
        typingctx: Any, a: Any, x: Any, wk: Any, offsets: Any, q: Any, n: Any, bias: Any
    ) -> Any:
        ok = isinstance(offsets, types.UniTuple) and len(offsets) == ROWS + nrow
        if not ok or not all(isinstance(t, types.Array) for t in (a, x, wk)):
            return None
        sig = types.int64(a, x, wk, offsets, types.int64, types.int64, types.float32)

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            f32, i64 = ir.FloatType(), ir.IntType(64)
            vec = ir.VectorType(f32, LANES)
            a_ty, x_ty, w_ty, off_ty = sig.args[:4]
            ap = make_array(a_ty)(context, builder, args[0]).data
            xp = make_array(x_ty)(context, builder, args[1]).data
            wp = make_array(w_ty)(context, builder, args[2]).data
            offs = [
                context.cast(builder, builder.extract_value(args[3], i), off_ty.dtype, types.int64)
                for i in range(ROWS + nrow)
            ]
            out_at, in_at = offs[:ROWS], offs[ROWS:]
            q, n, b = args[4], args[5], args[6]

            def const(v: int) -> Any:
                return ir.Constant(i64, v)

            def vector_at(base: Any, index: Any) -> Any:
                ptr = builder.gep(base, [index])
                return builder.bitcast(ptr, vec.as_pointer())

            # each weight broadcast to all lanes, once (the compiler keeps what fits)
            undef = ir.Constant(vec, ir.Undefined)
            lane0 = ir.Constant(ir.IntType(32), 0)
            splat = ir.Constant(ir.VectorType(ir.IntType(32), LANES), [0] * LANES)
            weight = {}
            for ky in range(kh):
                for kx in range(kw):
                    one = builder.load(builder.gep(wp, [builder.add(q, const(ky * kw + kx))]))
                    weight[ky, kx] = builder.shuffle_vector(
                        builder.insert_element(undef, one, lane0), undef, splat
                    )
            if whole:  # the last step overlaps the one before it: whole cells recomputed
                last = builder.sub(n, const(step))  # are the same bits, so every column is done
                some_cols = builder.icmp_signed(">=", last, const(0))
                done = builder.select(some_cols, n, const(0))
            else:  # adding twice would not be: whole steps only
                done = builder.mul(builder.sdiv(n, const(step)), const(step))
                some_cols = builder.icmp_signed(">", done, const(0))
            entry = builder.block
            loop = builder.append_basic_block("rows.loop")
            after = builder.append_basic_block("rows.done")
            builder.cbranch(some_cols, loop, after)

            builder.position_at_end(loop)
            j = builder.phi(i64)
            j.add_incoming(const(0), entry)
            bad = builder.phi(ir.VectorType(ir.IntType(1), LANES)) if whole else None
            if bad is not None:  # lanes that met a result that is not finite
                bad.add_incoming(ir.Constant(bad.type, [0] * LANES), entry)
            col = [builder.add(j, const(LANES * s)) for s in range(s_count)]
            zero = ir.Constant(vec, [0.0] * LANES)
            if whole:  # sums start at zero, as cell_value's
                acc = {(s, i): zero for s in range(s_count) for i in range(ROWS)}
            else:
                acc = {
                    (s, i): builder.load(vector_at(ap, builder.add(out_at[i], col[s])), align=4)
                    for s in range(s_count)
                    for i in range(ROWS)
                }
            for t in range(nrow):  # input rows in order: each cell's kernel rows in order
                users = [i for i in range(ROWS) if 0 <= t - i < kh]
                for kx in range(kw):  # and within a kernel row, its columns in order
                    for s in range(s_count):
                        at = builder.add(in_at[t], builder.add(col[s], const(kx)))
                        p = builder.load(vector_at(xp, at), align=4)
                        for i in users:
                            prod = builder.fmul(p, weight[t - i, kx])
                            acc[s, i] = builder.fadd(acc[s, i], prod)
            bias_v = builder.shuffle_vector(builder.insert_element(undef, b, lane0), undef, splat)
            seen = bad
            for (s, i), v in acc.items():
                if bad is not None:
                    v = builder.fadd(v, bias_v)
                    # v - v is 0 for a finite v, nan for inf or nan
                    seen = builder.or_(seen, builder.fcmp_unordered("!=", builder.fsub(v, v), zero))
                builder.store(v, vector_at(ap, builder.add(out_at[i], col[s])), align=4)
            nxt = builder.add(j, const(step))
            if whole:
                more = builder.icmp_signed("<", j, last)
                nxt = builder.select(builder.icmp_signed("<", nxt, last), nxt, last)
            else:
                more = builder.icmp_signed("<", nxt, done)
            if bad is not None:
                bad.add_incoming(seen, builder.block)
            j.add_incoming(nxt, builder.block)
            builder.cbranch(more, loop, after)

            builder.position_at_end(after)
            flag: Any = const(0)
            if bad is not None:
                seen_any = builder.phi(bad.type)
                seen_any.add_incoming(ir.Constant(bad.type, [0] * LANES), entry)
                seen_any.add_incoming(seen, loop)
                bits = builder.bitcast(seen_any, ir.IntType(LANES))
                some = builder.icmp_unsigned("!=", bits, ir.Constant(bits.type, 0))
                flag = builder.zext(some, i64)
            return builder.add(builder.mul(done, const(2)), flag)

        return sig, codegen

    return rows
