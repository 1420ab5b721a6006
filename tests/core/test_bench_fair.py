"""Every `convviz bench` row does the same work, and the numbers say how much to trust them.

No test here looks at a time: the rows' results are checked against the reference,
their allocations with tracemalloc (numpy's allocations are traced), the rounds by
counting who ran when, the warnings on made-up rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

import convviz
from convviz import ConvvizError, backends
from convviz.bench import rounds
from convviz.bench.peers import CPU_PEERS, PEERS
from convviz.core.spec import prepare

X = np.random.default_rng(5).standard_normal((2, 120, 150)).astype(np.float32)
W = np.random.default_rng(6).standard_normal((5, 4)).astype(np.float32)  # even: "same" after


def reference():
    return convviz.conv2d(X, W, padding="same", backend="reference")


def peak_bytes(fn):
    """(result, the most bytes allocated at once while ``fn`` ran)."""
    fn()  # first call: imports, compiles, library caches
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        out = fn()
        return out, tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def assert_one_output(fn):
    ref = reference()
    out, peak = peak_bytes(fn)
    assert out.shape == ref.shape and out.dtype == np.float32
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-4)
    # one fresh output and a few small things (the kernel in 4-D, the bias), no more
    assert peak <= out.nbytes + 16_384, f"{peak} bytes allocated for a {out.nbytes}-byte output"


@pytest.mark.parametrize("name", CPU_PEERS)
def test_each_cpu_peer_returns_the_reference_in_one_output(name):
    setup = PEERS[name][0]
    try:
        _, run, _ = setup(X, W)
    except ImportError as exc:
        pytest.skip(f"optional peer {name} is not installed ({exc})")
    assert_one_output(run)


@pytest.mark.parametrize("name", ["cpu", "cpu-parallel"])  # (reference: the oracle, padded copy)
def test_our_rows_allocate_one_output_through_conv2d_and_compute(name):
    assert_one_output(lambda: convviz.conv2d(X, W, padding="same", backend=name))
    prep = prepare(X, W, padding="same")
    assert_one_output(lambda: backends.get(name).compute(prep))


def test_conv2d_returns_the_backend_array_not_a_copy():
    x2 = X[0]
    out = convviz.conv2d(x2, W, padding="same", backend="cpu-parallel")
    assert out.base is not None and out.base.shape == (1,) + out.shape  # a view of (1, H, W)


def test_a_non_finite_input_is_still_refused_after_the_run():
    x = X[0].copy()
    x[7, 9] = np.nan
    for name in ("cpu", "cpu-parallel", "reference"):
        with pytest.raises(
            ConvvizError, match=r"input holds a non-finite value \(nan\) at index \(7, 9\)"
        ):
            convviz.conv2d(x, W, padding="same", backend=name)
    x[7, 9] = np.inf
    with pytest.raises(ConvvizError, match="non-finite value"):
        convviz.conv2d(x, W, stride=2, backend="cpu-parallel")  # stride 2: checked before
    with pytest.raises(ConvvizError, match="non-finite value"):
        convviz.conv2d(x, W, padding=1, dilation=2, backend="cpu-parallel")


def test_an_overflow_is_a_result_not_an_error():
    x = np.full((6, 7), 3e38, np.float32)
    out = convviz.conv2d(x, np.ones((2, 2), np.float32), backend="cpu-parallel")
    assert np.isinf(out).all()


def test_compile_facts_come_from_numba(tmp_path):
    """A fresh cache: the first process compiles, the second loads; numba's counters say."""
    code = textwrap.dedent(
        """
        import numpy as np
        from convviz import backends
        from convviz.core.spec import prepare
        prep = prepare(np.ones((9, 9), np.float32), np.ones((2, 2), np.float32), padding=1)
        be = backends.get("cpu-parallel")
        assert be.needs_compile(prep) == "2×2"
        facts = be.compile_facts(prep)
        assert be.needs_compile(prep) == ""
        print(facts.from_cache, facts.what)
        """
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    said = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert said == [["False", "2×2"], ["True", "2×2"]]
    # the command line says what it compiles (or loads), on stderr, before the timings
    src, out = tmp_path / "in.npy", tmp_path / "out.npy"
    np.save(src, np.ones((9, 9), np.float32))
    cmd = [sys.executable, "-m", "convviz", "run", str(src), "-o", str(out), "--padding", "1"]
    cmd += ["--kernel", "1 1; 1 1", "--backend", "cpu-parallel", "--repeats", "1"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "compiling the CPU kernels for 2×2… " in proc.stderr
    assert "(loaded from cache)" in proc.stderr and "loaded from cache" in proc.stdout


def test_timing_records_say_compiled_or_cached():
    prep = prepare(X, W, padding="same")
    be = backends.get("cpu-parallel")
    _, rec = be.run(prep, repeats=1)
    assert rec.compile_cached is be.compile_facts(prep).from_cache
    assert ("loaded from cache" if rec.compile_cached else "compiled") in "\n".join(rec.lines())


def test_rounds_interleave_and_stop():
    seen = []
    cons = [rounds.Contender(k, lambda k=k: seen.append(k)) for k in "abc"]
    rounds.time_side_by_side(cons, repeats=4, warmup=1, budget_s=0.0)
    assert [len(c.samples) for c in cons] == [4, 4, 4]
    timed = seen[3:]  # after one warm-up call each
    for i in range(0, 12, 3):  # every round runs each contender once, orders differing
        assert sorted(timed[i : i + 3]) == ["a", "b", "c"]
    assert timed[0:3] != timed[3:6]
    stop = rounds.Contender("x", lambda: None)
    rounds.time_side_by_side([stop], repeats=3, warmup=0, cancelled=lambda: True)
    assert stop.samples == []


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_rounds_let_every_contender_follow_every_other_equally_often(n):
    orders = rounds.balanced_orders(n)
    follows = {}
    for order in orders:
        assert sorted(order) == list(range(n))
        for a, b in zip(order, order[1:]):
            follows[a, b] = follows.get((a, b), 0) + 1
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    assert sorted(follows) == sorted(pairs)
    assert len(set(follows.values())) <= 1  # all equally often


def test_spread():
    assert rounds.spread([1.0, 1.0, 1.0, 1.0, 1.0]) == 0.0
    assert rounds.spread([1.0, 2.0]) == pytest.approx(1 / 1.5)
    assert rounds.spread([1.0, 1.0, 1.0, 1.0, 9.0]) < rounds.spread([1.0, 1.0, 3.0, 5.0, 9.0])


def _row(name, size, median, spread=0.01):
    return dict(
        name=name, size=size, kernel=3, channels=1, status="ok", median_s=median, spread=spread
    )


def test_warnings():
    quiet = [_row("cpu", 64, 1e-3), _row("cpu", 128, 4e-3)]
    assert rounds.warnings_for(quiet, cores=2, load_before=0.2) == []
    busy = rounds.warnings_for(quiet, cores=2, load_before=3.5)
    assert len(busy) == 1 and "busy" in busy[0] and "3.5" in busy[0]
    dip = [_row("cpu-parallel", 64, 8e-3), _row("cpu-parallel", 128, 1e-3, spread=0.4)]
    text = "\n".join(rounds.warnings_for(dip, cores=2, load_before=None))
    assert "not monotonic" in text and "cpu-parallel" in text and "40%" in text


def test_bench_rows_report_both_paths_spread_and_warnings():
    data = convviz.bench.run_benchmark(
        {"sizes": [24], "kernels": [3], "repeats": 2, "backends": ["cpu-parallel"], "budget_s": 0}
    )
    (row,) = data["results"]
    assert row["median_s"] > 0 and row["compute_median_s"] > 0 and row["runs"] >= 2
    assert row["spread"] >= 0 and row["threads"] >= 1 and isinstance(row["compile_cached"], bool)
    assert isinstance(data["warnings"], list)
    one = convviz.bench.run_benchmark(
        {"sizes": [24], "kernels": [3], "repeats": 1, "backends": ["cpu-parallel"], "threads": 1}
    )
    assert one["results"][0]["threads"] == 1 and one["results"][0]["device"].endswith("1 thread")
