"""Eviction widgets: built from the engine, deterministic summaries, controls update."""

from __future__ import annotations

import numpy as np

from widgets.eviction import EvictionView, HitRatioView
from widgets.lfu import LFUExplorer
from widgets.lru import LRUApproximationView


def test_eviction_view_draws_the_probe_record():
    v = EvictionView(n_keys=400, capacity_keys=150, seed=3, warmup=500)
    rec = v.last
    assert rec is not None and rec["victim"] is not None
    fig = v.figure()
    grid, samples, victim, pool = fig.data
    assert len(samples.x) == len(rec["samples"])
    assert len(pool.y) == len(rec["pool_ranked"])
    # the victim is marked where its key id sits in the grid
    vid = int(rec["victim"].split(b":")[1])
    assert (victim.x[0], victim.y[0]) == (grid.x[vid], grid.y[vid])
    # scores come from the engine: resident keys have a score, evicted ones are blank
    z = np.array(grid.z, dtype=float)
    assert np.isnan(z[vid])
    assert (~np.isnan(z)).sum() == len(v.lab.engine.dbs[0].dict)


def test_summary_is_deterministic():
    a = EvictionView(n_keys=300, capacity_keys=100, seed=5, warmup=300)
    b = EvictionView(n_keys=300, capacity_keys=100, seed=5, warmup=300)
    a.step(5)
    b.step(5)
    assert a.summary() == b.summary()


def test_controls_reconfigure_the_live_engine():
    v = EvictionView(n_keys=400, capacity_keys=150, seed=1, warmup=300)
    v.widget()
    e = v.lab.engine
    v.controls["policy"].value = "allkeys-lfu"
    assert e.config.maxmemory_policy == "allkeys-lfu"
    v.controls["samples"].value = 10
    assert e.config.maxmemory_samples == 10
    before = e.maxmemory
    v.controls["capacity"].value = 100
    assert e.maxmemory < before
    title_before = v._fig.layout.title.text
    v.controls["step10"].click()
    assert v._fig.layout.title.text != title_before
    assert "allkeys-lfu" in v._fig.layout.title.text
    assert v._label.value == v.summary()


def test_hit_ratio_view_table():
    h = HitRatioView(n_requests=4000, n_keys=800, capacity_keys=200, seed=2)
    rows = h.table()
    assert rows[0][0] == "true LRU (reference)"
    assert len(h.figure().data) == len(h.runs)
    assert h.summary() == HitRatioView(n_requests=4000, n_keys=800, capacity_keys=200, seed=2).summary()


def test_lru_view_has_four_panels():
    v = LRUApproximationView(room_keys=300, seed=1, trace_requests=3000, trace_keys=600)
    assert len(v.figure().data) == 4
    assert "Theoretical LRU" in v.summary()


def test_lfu_explorer_growth_is_monotonic_and_slider_adds_curve():
    x = LFUExplorer(max_hits=2000, minutes=10)
    for vals in x.growth.values():
        assert vals == sorted(vals)
    w = x.widget()
    fig = w.children[1]
    n = len(fig.data)
    x.controls["factor"].value = 3
    assert len(fig.data) == n + 1
