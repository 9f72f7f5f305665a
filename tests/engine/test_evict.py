"""Eviction as evict.c does it: pool of 16, policies, OOM rules, probe."""

from __future__ import annotations

import pytest

from lab.engine import Engine
from lab.engine.errors import ReplyError
from lab.engine.evict import EVPOOL_SIZE, eviction_time_limit_us

OOM = "OOM command not allowed when used memory > 'maxmemory'."


def filled(policy: str, n: int = 2000, room: int = 60_000, seed: int = 1, **cfg) -> Engine:
    e = Engine(seed=seed, config={"maxmemory-policy": policy, **cfg})
    e.call("CONFIG", "SET", "maxmemory", str(e.used_memory() + room))
    for i in range(n):
        e.execute("SET", f"key:{i}", "x" * 40)  # under noeviction most of these are refused
        e.advance(10)
    return e


def test_noeviction_refuses_denyoom_but_allows_reads_and_deletes():
    e = filled("noeviction")
    assert e.stat_evictedkeys == 0
    with pytest.raises(ReplyError) as info:
        e.call("SET", "new", "value")
    assert info.value.message == OOM
    assert e.execute("GET", "key:1") is not None
    assert e.call("DEL", "key:1") == 1


def test_multi_under_oom_aborts_and_exec_is_refused():
    e = filled("noeviction")
    c = e.client()
    assert c.call("MULTI") == "OK"
    r = c.execute([b"GET", b"key:1"])
    assert isinstance(r, ReplyError) and r.message == OOM  # anything but EXEC/DISCARD in MULTI
    r = c.execute([b"EXEC"])
    assert r.message.startswith("EXECABORT")


@pytest.mark.parametrize("policy", ["allkeys-lru", "allkeys-lfu", "allkeys-random"])
def test_allkeys_policies_stay_under_maxmemory(policy):
    e = filled(policy)
    assert e.stat_evictedkeys > 0
    # after the next command's eviction pass, memory is under the limit again
    e.call("PING")
    assert e.used_memory() <= e.maxmemory
    e._check()


def test_volatile_without_ttl_keys_behaves_like_noeviction():
    e = filled("volatile-lru")
    assert e.stat_evictedkeys == 0
    assert e.execute("SET", "more", "x").message == OOM


def test_volatile_ttl_evicts_soonest_expiring():
    e = Engine(config={"maxmemory-policy": "volatile-ttl"})
    e.call("CONFIG", "SET", "maxmemory", str(e.used_memory() + 40_000))
    for i in range(1500):
        e.execute("SET", f"k{i}", "x" * 40, "EX", str(1000 + i))
    survivors = [int(k[1:]) for k in e.keyspace() if k.startswith(b"k")]
    assert survivors and min(survivors) > 200  # the keys closest to expiry went first


def test_lru_evicts_mostly_old_keys():
    e = filled("allkeys-lru", n=3000, room=120_000)
    alive = sorted(int(k.split(b":")[1]) for k in e.keyspace())
    # the oldest quarter is (almost) gone, the newest quarter (almost) all present
    old = sum(1 for i in alive if i < 750)
    new = sum(1 for i in alive if i >= 2250)
    assert old < 0.2 * 750 and new > 0.8 * 750


def test_probe_records_samples_pool_and_victim():
    e = Engine(seed=5, config={"maxmemory-policy": "allkeys-lru", "maxmemory-samples": 5})
    trace = e.probe("evict").record()
    e.call("PING")  # the connection itself takes memory: open it before measuring
    e.call("CONFIG", "SET", "maxmemory", str(e.used_memory() + 20_000))
    for i in range(600):
        e.call("SET", f"k{i}", "x" * 40)
        e.advance(1000)
    assert len(trace) == e.stat_evictedkeys > 0
    rec = trace[-1]
    assert set(rec) >= {"samples", "pool_before", "pool_after", "victim", "used_before", "used_after"}
    assert len(rec["pool_after"]) <= EVPOOL_SIZE
    scores = [p[0] for p in rec["pool_after"]]
    assert scores == sorted(scores)
    assert rec["used_after"] < rec["used_before"]
    assert e.keyspace().get(rec["victim"]) is None


def test_shared_integers_off_under_lru():
    e = Engine()
    e.call("SET", "x", "100")
    assert e.call("OBJECT", "REFCOUNT", "x") == 2147483647
    e.call("CONFIG", "SET", "maxmemory", "100mb", "maxmemory-policy", "allkeys-lru")
    e.call("SET", "y", "100")
    assert e.call("OBJECT", "REFCOUNT", "y") == 1


def test_same_seed_same_evictions():
    a = filled("allkeys-lru", seed=9)
    b = filled("allkeys-lru", seed=9)
    assert set(a.keyspace()) == set(b.keyspace())


def test_time_limit_from_tenacity():
    assert eviction_time_limit_us(10) == 500
    assert eviction_time_limit_us(0) == 0
    assert eviction_time_limit_us(100) == float("inf")
