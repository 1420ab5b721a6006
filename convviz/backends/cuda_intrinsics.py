"""Two facts a specialised kernel knows and tells the compiler.

``with_shape(a, shape)``: a C-contiguous array seen with a shape known when compiling
(the same number of elements; the number of dimensions may differ, as in a reshape).

A kernel specialised on a problem knows its weight array's shape, but numba
reads shapes from the array at run time, so loops over ``range(w.shape[2])``
keep a run-time trip count. ``with_shape(w, (c_out, cin_g, kh, kw))`` with
closure constants returns the same data (same pointer, C strides) whose shape
the compiler sees as those constants, so the loops unroll and every weight
offset becomes an immediate. (numba's own ``reshape`` calls a run-time helper
that a kernel compiled ahead to PTX cannot link.) The caller guarantees that
``shape`` is the array's shape; on the simulator the array is returned as is.

``nonneg(i)``: ``i``, and the promise (``llvm.assume``) that it is not negative, made
where a thread's window is known to lie inside the input. With it the compiler drops
both the padding test and numba's negative-index wraparound, and the index stays a
linear expression, so neighbouring taps become constant offsets from one address.
"""

from __future__ import annotations

from typing import Any

from convviz.core import device


def _with_shape_py(a: Any, shape: Any) -> Any:
    return a.reshape(tuple(int(v) for v in shape))


def _nonneg_py(i: Any) -> Any:
    return i


def _make_nonneg() -> Any:
    from convviz.backends.cuda_toolchain import intrinsic
    from convviz.backends.cuda_toolchain import types as numba_types

    types: Any = numba_types

    @intrinsic
    def nonneg(typingctx: Any, i: Any) -> Any:
        if not isinstance(i, types.Integer) or not i.signed:
            return None

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            (v,) = args
            fn = builder.module.declare_intrinsic("llvm.assume", fnty=_assume_type())
            builder.call(fn, [builder.icmp_signed(">=", v, v.type(0))])
            return v

        return i(i), codegen

    return nonneg


def _assume_type() -> Any:
    from convviz.backends.cuda_toolchain import llvm_ir as ir

    return ir.FunctionType(ir.VoidType(), [ir.IntType(1)])


def _make_intrinsic() -> Any:
    from convviz.backends.cuda_toolchain import intrinsic, make_array, populate_array
    from convviz.backends.cuda_toolchain import llvm_ir as ir
    from convviz.backends.cuda_toolchain import types as numba_types

    types: Any = numba_types

    @intrinsic
    def with_shape(typingctx: Any, arr: Any, shape: Any) -> Any:
        if not (isinstance(arr, types.Array) and arr.layout == "C"):
            return None
        if not isinstance(shape, types.BaseTuple) or len(shape) == 0:
            return None
        sig = types.Array(arr.dtype, len(shape), "C")(arr, shape)

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            aryty, shapety = sig.args
            retty = sig.return_type
            src = make_array(aryty)(context, builder, args[0])
            intp = context.get_value_type(types.intp)
            dims = []
            for i in range(retty.ndim):
                d = builder.extract_value(args[1], i)
                if isinstance(shapety[i], types.Integer) and shapety[i].bitwidth < 64:
                    d = builder.zext(d, intp)  # a size is never negative
                else:
                    d = context.cast(builder, d, shapety[i], types.intp)
                dims.append(d)
            item = context.get_abi_sizeof(context.get_data_type(aryty.dtype))
            strides: list[Any] = []
            step: Any = ir.Constant(intp, item)
            for d in reversed(dims):
                strides.insert(0, step)
                step = builder.mul(step, d)
            out = make_array(retty)(context, builder)
            populate_array(
                out,
                data=src.data,
                shape=dims,
                strides=strides,
                itemsize=src.itemsize,
                meminfo=src.meminfo,
                parent=src.parent,
            )
            return out._getvalue()

        return sig, codegen

    return with_shape


_SIM = device.choose().mode == "sim"
with_shape: Any = _with_shape_py if _SIM else _make_intrinsic()
nonneg: Any = _nonneg_py if _SIM else _make_nonneg()


def _u32_gpu() -> Any:
    from convviz.backends.cuda_toolchain import uint32

    return uint32


#: an index as a 32-bit unsigned number on a GPU (numba widens it exactly, with no
#: negative-index wraparound); a plain int on the simulator, where numpy would keep
#: uint32 through ``ox * sx - pl`` and wrap below zero
u32: Any = int if _SIM else _u32_gpu()
