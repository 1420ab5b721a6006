"""The garbage collector's pause for the app's start (convviz.collector)."""

from __future__ import annotations

import gc

import pytest

from convviz import collector


@pytest.fixture(autouse=True)
def _collecting():
    assert gc.isenabled()
    yield
    gc.enable()  # whatever a failing test left


def test_paused_stops_automatic_collection_inside_and_restarts_it_after():
    with collector.paused():
        assert not gc.isenabled() and collector.is_paused()
    assert gc.isenabled() and not collector.is_paused()


def test_resumed_early_it_stays_running_and_leaving_changes_nothing():
    with collector.paused():
        collector.resume()  # the app's window is painted
        assert gc.isenabled()
        collector.resume()  # twice: nothing
        assert gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_resumes_it():
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the app failed to start")
    assert gc.isenabled()


def test_a_callers_own_pause_is_left_alone():
    gc.disable()
    with collector.paused():
        assert not collector.is_paused()
    collector.resume()
    assert not gc.isenabled()  # still the caller's to resume


def test_a_nested_pause_leaves_the_outer_one_be():
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled() and collector.is_paused()  # still the outer one's
    assert gc.isenabled()


def test_cycles_made_while_paused_are_collected_after():
    """Nothing is lost: a reference cycle made during the pause is freed once it ends."""
    import weakref

    class Node:
        pass

    with collector.paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b
        assert alive() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert alive() is None
