"""Expiry widget: figure from the scenario's records, deterministic summary, controls
re-run the experiment and update the existing traces."""

from __future__ import annotations

from widgets.expiry import ExpiryView


def view(**kw):
    params = dict(n_volatile=400, n_persistent=200, ttl_ms=1000, seed=2, duration_ms=2500)
    params.update(kw)
    return ExpiryView(**params)


def test_figure_traces_match_records():
    v = view(reads_per_tick=50)
    fig = v.figure()
    before, after, active, lazy = fig.data
    recs = v.records
    assert list(before.y) == [r.stale_before for r in recs]
    assert list(after.y) == [r.stale for r in recs]
    assert sum(active.y) + sum(lazy.y) == v.lab.engine.stat_expiredkeys
    assert "hz=10" in fig.layout.title.text


def test_summary_is_deterministic():
    assert view().summary() == view().summary()
    assert "expired_keys=400" in view().summary()


def test_controls_update_traces_in_place():
    v = view()
    box = v.widget()
    fig = v._fig
    traces = list(fig.data)
    old_title = fig.layout.title.text
    v.controls["hz"].value = 50
    assert v.lab.engine.hz == 50
    assert list(fig.data) == traces  # same trace objects, new data
    assert len(fig.data[0].x) > 100  # 50 ticks per second
    assert fig.layout.title.text != old_title and "hz=50" in fig.layout.title.text
    v.controls["reads"].value = 100
    assert sum(fig.data[3].y) > 0  # lazy removals appear
    assert v._label.value == v.summary()
    assert box.children[-1] is fig
