"""The eviction experiments behave as Redis's do (redis.io's LRU figure, hit ratios)."""

from __future__ import annotations

import pytest

from lab.scenarios.eviction import (
    compare_policies,
    lru_figure_data,
    lru_test,
    make_trace,
    power_law_rand,
    true_lru_hit_ratio,
)


@pytest.fixture(scope="module")
def figure():
    return lru_figure_data(room_keys=800, seed=1)


def test_theoretical_lru_evicts_exactly_the_oldest_half(figure):
    exact = figure[0]
    n = exact.first_set_max_id
    assert exact.error < 5
    assert all(s == "evicted" for s in exact.status[: n // 2 - 2])
    assert all(s == "kept" for s in exact.status[n // 2 + 2: n])


def test_error_ordering_matches_redis_io(figure):
    exact, old, pool5, pool10 = (r.error for r in figure)
    assert exact < pool10 < pool5 < old


def test_2_8_without_pool_evicts_across_dbs(figure):
    assert figure[1].counts().get("new-evicted", 0) > figure[3].counts().get("new-evicted", 0)


@pytest.fixture(scope="module")
def zipf_runs():
    trace = make_trace("zipf", 15000, 2000, seed=2)
    return trace, compare_policies(trace, 600, seed=2)


def test_ten_samples_close_to_true_lru_and_one_sample_close_to_random(zipf_runs):
    trace, runs = zipf_runs
    ratio = {r.label: r.hit_ratio for r in runs}
    ideal = true_lru_hit_ratio(trace, 600)
    assert abs(ratio["allkeys-lru samples=10"] - ideal) < 0.02
    assert ratio["allkeys-lru samples=10"] > ratio["allkeys-lru samples=1"]
    assert abs(ratio["allkeys-lru samples=1"] - ratio["allkeys-random samples=5"]) < 0.02


def test_runs_are_deterministic():
    trace = make_trace("uniform", 3000, 500, seed=4)
    a = compare_policies(trace, 200, [("allkeys-lfu", 5, "pool")], seed=4)
    b = compare_policies(trace, 200, [("allkeys-lfu", 5, "pool")], seed=4)
    assert a[0].hits == b[0].hits and a[0].window_hit_ratio == b[0].window_hit_ratio


def test_lru_test_is_deterministic():
    assert lru_test(5, "pool", 300, seed=3).status == lru_test(5, "pool", 300, seed=3).status


def test_power_law_favours_small_ids():
    import random

    rng = random.Random(0)
    draws = [power_law_rand(rng, 1, 1000, 6.2) for _ in range(20000)]
    assert all(1 <= d <= 1000 for d in draws)
    top20 = sum(1 for d in draws if d <= 200) / len(draws)
    assert 0.7 < top20 < 0.95


def test_trace_kinds():
    assert make_trace("scan", 7, 3) == [0, 1, 2, 0, 1, 2, 0]
    with pytest.raises(ValueError):
        make_trace("bogus", 1, 1)
