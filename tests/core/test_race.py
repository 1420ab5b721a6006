"""The race's schedule (convviz.core.race), checked against numba, the launch and numpy."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from convviz.core import race
from convviz.core.launch import launch_for
from convviz.core.lessons import demo_lesson
from convviz.core.spec import prepare


def _prep(n: int, stride: int = 1, c_out: int = 1):
    x = np.random.default_rng(0).integers(0, 10, (1, n, n)).astype(np.float32)
    w = np.ones((c_out, 1, 3, 3), np.float32)
    return prepare(x, w, padding=1, stride=stride)


def test_constants_are_cpu_parallels():
    from convviz.backends import cpu, cpu_rows

    assert race.CHUNK_ITEMS == cpu.PARALLEL_CHUNK_ROWS
    assert race.ROWS == cpu_rows.ROWS


@functools.cache
def _owners_kernel():
    import numba
    from numba import njit, prange

    @njit(parallel=True)
    def owners(out):
        for i in prange(out.shape[0]):
            out[i] = numba.get_thread_id()
            s = 0.0
            for k in range(3000):  # enough work that every thread takes its share
                s += k * 0.5
            if s < 0:
                out[i] = -1

    return owners


def _numba_owners(n: int, chunk: int) -> np.ndarray:
    """Which numba thread ran each prange item, as cpu-parallel runs it."""
    import numba

    owners = _owners_kernel()
    out = np.full(n, -1, np.int64)
    with numba.parallel_chunksize(chunk):
        owners(out)
    if numba.threading_layer() not in ("omp", "workqueue"):
        pytest.skip(f"numba's {numba.threading_layer()} layer schedules dynamically")
    return out


def test_numba_deal_is_numbas_schedule():
    import numba

    threads = numba.config.NUMBA_NUM_THREADS
    for n in (1, 2, 3, 5, 9, 12, 13, 15, 16, 19, 23, 42, 47, 48, 100):
        got = _numba_owners(n, race.CHUNK_ITEMS)
        model = np.full(n, -1)
        for t, (a, b) in enumerate(race.numba_deal(n, threads)):
            model[a:b] = t
        assert np.array_equal(model, got), n


@pytest.mark.parametrize("n,stride", [(8, 1), (13, 1), (20, 2), (32, 1)])
def test_cores_lane_deals_rows_as_prange(n, stride):
    import numba

    prep = _prep(n, stride, c_out=2)
    c_out, ho, wo = prep.spec.out_shape
    threads = numba.config.NUMBA_NUM_THREADS
    lane = race.cores_lane(prep.spec.out_shape, threads, row_blocks=stride == 1)
    rows = race.ROWS if stride == 1 else 1
    nb = -(-ho // rows)
    owners = _numba_owners(c_out * nb, race.CHUNK_ITEMS)
    for co in range(c_out):
        for oy in range(ho):
            item = co * nb + oy // rows
            assert (lane.worker[co, oy] == owners[item]).all()


def test_one_core_is_the_animation_order():
    prep = _prep(8)
    lane = race.one_core_lane(prep.spec.out_shape)
    assert np.array_equal(lane.finish.ravel(), np.arange(1, prep.spec.cells + 1))
    assert lane.total == prep.spec.cells


@pytest.mark.parametrize("threads", [1, 2, 3, 16])
def test_each_core_does_one_cell_a_tick_and_every_cell_once(threads):
    prep = _prep(17, c_out=2)
    lane = race.cores_lane(prep.spec.out_shape, threads, row_blocks=True)
    for t in range(threads):
        ticks = np.sort(lane.finish[lane.worker == t])
        assert np.array_equal(ticks, np.arange(1, ticks.size + 1))  # no tick twice
    counts = np.bincount(lane.worker.ravel(), minlength=threads)
    assert counts.sum() == prep.spec.cells and lane.total == counts.max()
    # a core's cells are one contiguous stretch of the output, in order
    flat_w, flat_f = lane.worker.ravel(), lane.finish.ravel()
    for t in range(threads):
        idx = np.flatnonzero(flat_w == t)
        if idx.size:
            assert np.array_equal(idx, np.arange(idx[0], idx[0] + idx.size))
            assert np.array_equal(flat_f[idx], np.arange(1, idx.size + 1))


@pytest.mark.parametrize("shape,block", [((1, 8, 8), (4, 4)), ((2, 40, 70), (16, 16))])
def test_gpu_lane_groups_warps_and_blocks_as_the_launch(shape, block):
    gpu = race.GpuShape("test GPU", 5, 64, "example")
    lane = race.gpu_lane(shape, gpu, block)
    launch = launch_for(shape, block)
    gx, gy, _ = launch.grid
    warps: dict[tuple, list] = {}
    for co, oy, ox in np.ndindex(*shape):
        (bx, by, bz), (tx, ty, _), _ = launch.thread_of(co, oy, ox)
        linear_block = bx + gx * (by + gy * bz)
        warp = (linear_block, (tx + block[0] * ty) // 32)
        warps.setdefault(warp, []).append((co, oy, ox))
        assert lane.worker[co, oy, ox] == linear_block % gpu.sms
    per_sm_tick: dict[tuple, int] = {}
    for cells in warps.values():
        assert len(cells) <= 32
        ticks = {int(lane.finish[c]) for c in cells}
        assert len(ticks) == 1  # a warp's cells finish together
        key = (int(lane.worker[cells[0]]), ticks.pop())
        per_sm_tick[key] = per_sm_tick.get(key, 0) + 1
    assert max(per_sm_tick.values()) <= gpu.warps_per_tick
    waves = -(-len(warps) // (gpu.sms * gpu.warps_per_tick))
    assert lane.compute >= waves


def test_the_gpu_pays_its_copy_first():
    r = race.make_race(demo_lesson().prepare(), threads=2)
    g = r.lane("gpu")
    assert g.copy_in > 0 and g.copy_out > 0
    assert not g.done(g.copy_in).any() and g.phase(0) == "copy in"
    assert g.done(g.copy_in + g.compute).all()
    assert g.phase(g.copy_in + g.compute) == "copy out" and g.phase(g.total) == "done"
    assert r.lane("one").done(r.lane("one").total).all()
    # the copy's ticks are its seconds over a tick's seconds
    assert g.copy_in == race.ticks_of(race.ASSUMED_COPY.seconds(r.bytes_in), r.tick_s)


def test_the_copy_dominates_small_work_and_vanishes_on_big_work():
    small = race.make_race(_prep(8), threads=2)
    big = race.make_race(_prep(256), threads=2)
    assert small.finishing_order()[-1] == "gpu" and small.copy_share > 0.9
    assert big.finishing_order()[0] == "gpu" and big.copy_share < 0.1
    assert big.lane("gpu").total < big.lane("cores").total < big.lane("one").total


def test_measured_times_set_the_ticks():
    prep = _prep(8)
    r = race.make_race(prep, threads=2, tick_s=1e-6, copy_s=(5e-6, 2.5e-6), kernel_s=10e-6)
    assert r.tick_measured and r.tick_s == 1e-6
    g = r.lane("gpu")
    assert (g.copy_in, g.copy_out, g.compute) == (5, 3, 10)


def test_recorded_gpu_benchmark(tmp_path):
    latency, bandwidth = 8e-6, 20e9
    rows = []
    for size in (256, 1024, 4096):
        t = latency + 4 * size * size / bandwidth
        rows.append(
            {"name": "cuda", "size": size, "channels": 1, "simulated": False,
             "phases": {"h2d": t, "kernel": 1e-5, "d2h": t}}
        )  # fmt: skip
    data = {"machine": {"gpu": {"name": "NVIDIA H100", "sm_count": 132}}, "results": rows}
    path = tmp_path / "bench-gpu.json"
    path.write_text(json.dumps(data))
    cpu_only = tmp_path / "bench-cpu.json"
    cpu_only.write_text(json.dumps({"machine": {"gpu": None}, "results": []}))
    gpu, copy, name = race.recorded_gpu([cpu_only, tmp_path / "missing.json", path])
    assert (gpu.name, gpu.sms, gpu.source, name) == ("NVIDIA H100", 132, "recorded", path.name)
    assert copy.latency_s == pytest.approx(latency, rel=1e-3)
    assert copy.bandwidth == pytest.approx(bandwidth, rel=1e-3)
    assert race.recorded_gpu([cpu_only]) is None


def test_gpu_from_device_text():
    g = race.gpu_from_device_text("NVIDIA H100 80GB HBM3, 132 SMs, compute 9.0")
    assert (g.name, g.sms, g.cores, g.source) == ("NVIDIA H100 80GB HBM3", 132, 132 * 128, "device")
    assert race.gpu_from_device_text("Numba CUDA simulator on the CPU") is None


def test_lane_pictures_follow_the_schedule():
    from convviz.core.race_frames import color_index, lane_colors, picture

    r = race.make_race(_prep(100), threads=2)  # 100×100 output: tiles of 4×4 cells
    for lane in r.lanes:
        idx = color_index(lane, r.block)
        assert picture(lane, idx, 0, lane_colors(lane))[..., 3].max() == 0
        end = picture(lane, idx, lane.total, lane_colors(lane))
        assert end.shape == (25, 25, 4) and (end[..., 3] == 255).all()
    one = r.lane("one")
    half = picture(one, color_index(one, r.block), 200, lane_colors(one))[..., 3]
    # 200 cells: the first row of tiles half done (2 of 4 rows of cells), nothing below
    assert (half[0] == 128).all() and (half[1:] == 0).all()
    # the GPU's blocks: neighbours never share a colour, along rows nor columns
    gpu = r.lane("gpu")
    idx = color_index(gpu, r.block)[0]
    bx, by = r.block
    blocks = idx[::by, ::bx]
    assert (blocks[:, 1:] != blocks[:, :-1]).all() and (blocks[1:] != blocks[:-1]).all()


def test_export_race(tmp_path):
    from PIL import Image

    from convviz.export import export_race

    path = tmp_path / "race.png"
    n = export_race(demo_lesson().prepare(), path, frames=6)
    with Image.open(path) as im:
        assert n == 6 + 8 and im.n_frames >= 6 and im.size[0] % 2 == 0


def test_export_animation_race_on_the_command_line(tmp_path, capsys):
    from PIL import Image

    from convviz.cli import main

    out = tmp_path / "race.gif"
    assert main(["export-animation", "--race", "--race-side", "40", "--out", str(out)]) == 0
    assert "frames of the race" in capsys.readouterr().out
    with Image.open(out) as im:
        assert im.n_frames > 2
    bad = ["export-animation", "--race", "--race-side", "9999", "--out", str(out), "--force"]
    assert main(bad) == 2
    assert "--race-side 9999" in capsys.readouterr().err


def test_channels_are_drawn_one_under_the_other():
    from convviz.core.race_frames import SEPARATOR, color_index, lane_colors, picture

    r = race.make_race(_prep(6, c_out=2), threads=2)
    one = r.lane("one")
    pic = picture(one, color_index(one, r.block), 36, lane_colors(one))  # channel 0 done
    assert pic.shape == (13, 6, 4)
    assert (pic[6] == SEPARATOR).all()
    assert (pic[:6, :, 3] == 255).all() and (pic[7:, :, 3] == 0).all()


@pytest.mark.parametrize("side", [None, 100, 300])
def test_lane_picture_is_the_picture_fast(side):
    from convviz.core.race_frames import LanePicture, color_index, lane_colors, picture

    r = race.make_race(race.race_prep(demo_lesson(), side), threads=2)
    for lane in r.lanes:
        fast = LanePicture(lane, r.block)
        idx = color_index(lane, r.block)
        ticks = {0, 1, lane.copy_in, lane.copy_in + 1, lane.total // 3, lane.total - 1}
        for t in sorted(ticks | {lane.total, r.length}):
            np.testing.assert_array_equal(fast.at(t), picture(lane, idx, t, lane_colors(lane)))
            assert fast.cells_done == int(lane.done(t).sum())
