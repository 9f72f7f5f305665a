"""The expiry experiment: deterministic, consistent with the engine, and showing the
mechanisms the chapter teaches (active vs lazy removal, hz, effort, jitter)."""

from __future__ import annotations

import pytest

from lab.scenarios.expiry import ExpiryLab, make_ttls


def small(**kw):
    params = dict(n_volatile=400, n_persistent=300, ttl_ms=1000, jitter=0.5, seed=3)
    params.update(kw)
    return ExpiryLab(**params)


def test_make_ttls_bounds_and_seed():
    a = make_ttls(500, 2000, 0.25, seed=1)
    assert a == make_ttls(500, 2000, 0.25, seed=1)
    assert min(a) >= 1500 and max(a) <= 2500 and len(set(a)) > 100
    assert set(make_ttls(10, 700, 0.0)) == {700}
    with pytest.raises(ValueError):
        make_ttls(1, 10, 1.5)


def test_same_seed_same_records():
    assert small().run(3000) == small().run(3000)
    a, b = small(), small()
    a.run(3000)
    b.run(3000)
    assert a.summary() == b.summary()


def test_records_agree_with_the_engine():
    lab = small(reads_per_tick=50)
    for _ in range(30):
        rec = lab.step()
        e = lab.engine
        db = e.dbs[0]
        now = e.mstime
        # stale = keys with a passed deadline still present, counted the slow way
        assert rec.stale == sum(1 for w in db.expires.values() if now > w)
        assert rec.resident == len(db.dict) and rec.volatile == len(db.expires)
        assert rec.expired_keys == e.stat_expiredkeys
        info = e.call("INFO", "stats").decode()
        assert f"expired_keys:{rec.expired_keys}\r\n" in info
    # every removal is attributed to exactly one mechanism
    total = sum(r.active_removed + r.lazy_removed for r in lab.records)
    assert total == lab.engine.stat_expiredkeys


def test_everything_expires_and_persistent_keys_stay():
    lab = small()
    lab.run(2500)
    t = lab.totals()
    assert t["expired_keys"] == 400 and t["stale_at_end"] == 0
    assert lab.records[-1].resident == 300
    assert t["clean_at_ms"] is not None and t["clean_at_ms"] > t["last_deadline_ms"]
    assert all(k.startswith(b"user:") for k in lab.engine.dbs[0].dict)


def test_without_reads_only_the_active_cycle_removes():
    lab = small()
    lab.run(2500)
    assert lab.totals()["lazy_removed"] == 0 and lab.totals()["active_removed"] == 400


def test_reads_remove_some_keys_lazily():
    lab = small(reads_per_tick=200)
    lab.run(2500)
    t = lab.totals()
    assert t["lazy_removed"] > 0 and t["active_removed"] + t["lazy_removed"] == 400


def test_higher_hz_keeps_fewer_stale_keys():
    low = small(hz=1)
    low.run(3000)
    high = small(hz=50)
    high.run(3000)
    assert high.totals()["peak_stale"] < low.totals()["peak_stale"]


def test_effort_reduces_stale_keys_left_after_cycles():
    def leftover(effort):
        lab = small(n_volatile=2000, n_persistent=2000, ttl_ms=2000, jitter=0.5,
                    active_expire_effort=effort)
        lab.run(4000)
        return sum(r.stale for r in lab.records)

    assert leftover(10) < leftover(1)


def test_no_jitter_means_everything_expires_at_once():
    lab = small(jitter=0.0)
    lab.run(2000)
    peak = max(lab.records, key=lambda r: r.stale_before)
    assert peak.stale_before == 400
    assert peak.active_removed > 0


def test_configure_changes_the_running_engine():
    lab = small()
    lab.configure(hz=20, active_expire_effort=5, reads_per_tick=10)
    e = lab.engine
    assert e.call("CONFIG", "GET", "hz") == {b"hz": b"20"}
    assert e.cron_period_ms == 50
    assert e.config.active_expire_effort == 5
    before = e.mstime
    lab.step()
    assert e.mstime - before <= 100
