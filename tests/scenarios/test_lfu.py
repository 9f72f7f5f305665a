"""LFU experiments against facts measured on a real 7.0.15 server."""

from lab.scenarios.lfu import counter_growth, decay_curve, distribution


def test_distribution_matches_measured_server():
    # 7.0.15, 2000 keys x (SET + 100 GETs), factor 10: mean 9.72, range 7..15
    hist = distribution(2000, 100, seed=0)
    mean = sum(k * v for k, v in hist.items()) / 2000
    assert abs(mean - 9.72) < 0.15
    assert min(hist) >= 6 and max(hist) <= 16


def test_first_hit_always_increments_from_5():
    assert counter_growth(10, [0, 1]) == [5, 6]


def test_decay_subtracts_one_per_period_and_zero_disables():
    assert decay_curve(1000, 0, [0, 30, 120])[0] == decay_curve(1000, 0, [0, 30, 120])[-1]
    start, after = decay_curve(1000, 1, [0, 5])
    assert start - after == 5
    start, after = decay_curve(1000, 10, [0, 30])
    assert start - after == 3


def test_factor_zero_saturates():
    assert counter_growth(0, [300]) == [255]
