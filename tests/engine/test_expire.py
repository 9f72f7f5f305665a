"""Expiry (lab/engine/expire.py): the EXPIRE/TTL family, lazy expiry, the active cycle."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError
from lab.engine import expire as ex
from lab.engine.objects import OBJ_STRING


def put(e: Engine, key: bytes, ttl_ms: int | None = None, dbid: int = 0) -> None:
    db = e.dbs[dbid]
    db.set_key(key, e.new_object(OBJ_STRING, None, b"v"))
    if ttl_ms is not None:
        db.set_expire(key, e.mstime + ttl_ms)


def populate(e: Engine, n: int, ttl_ms: int, persistent: int = 0, dbid: int = 0) -> None:
    for i in range(n):
        put(e, b"v:%d" % i, ttl_ms, dbid)
    for i in range(persistent):
        put(e, b"p:%d" % i, None, dbid)


# --- commands ----------------------------------------------------------------------------
def test_ttl_family_rounding_on_virtual_clock():
    e = Engine()
    put(e, b"k")
    assert e.call("TTL", "k") == -1 and e.call("PTTL", "k") == -1
    assert e.call("EXPIRETIME", "k") == -1 and e.call("TTL", "nope") == -2
    assert e.call("PEXPIRE", "k", "1499") == 1
    assert e.call("PTTL", "k") == 1499
    assert e.call("TTL", "k") == 1  # (1499 + 500) // 1000
    assert e.call("PEXPIRE", "k", "1500") == 1
    assert e.call("TTL", "k") == 2
    assert e.call("PEXPIRETIME", "k") == e.mstime + 1500
    assert e.call("EXPIRETIME", "k") == (e.mstime + 1500 + 500) // 1000
    assert e.call("PERSIST", "k") == 1 and e.call("PERSIST", "k") == 0
    assert e.call("PERSIST", "nope") == 0
    assert e.call("TTL", "k") == -1


def test_expire_options():
    e = Engine()
    put(e, b"k")
    assert e.call("EXPIRE", "k", "100", "XX") == 0
    assert e.call("EXPIRE", "k", "100", "GT") == 0  # no TTL counts as infinite
    assert e.call("EXPIRE", "k", "100", "LT") == 1
    assert e.call("EXPIRE", "k", "50", "NX") == 0
    assert e.call("EXPIRE", "k", "200", "gt") == 1
    assert e.call("EXPIRE", "k", "150", "GT") == 0
    assert e.call("EXPIRE", "k", "150", "xx", "LT") == 1
    assert e.call("TTL", "k") == 150
    assert e.call("EXPIRE", "nope", "10") == 0
    for args, msg in [
        (("10", "foo"), "ERR Unsupported option foo"),
        (("x", "foo"), "ERR Unsupported option foo"),
        (("10", "NX", "XX"), "ERR NX and XX, GT or LT options at the same time are not compatible"),
        (("10", "NX", "LT"), "ERR NX and XX, GT or LT options at the same time are not compatible"),
        (("10", "GT", "LT"), "ERR GT and LT options at the same time are not compatible"),
        (("x",), "ERR value is not an integer or out of range"),
        (("9223372036854775807",), "ERR invalid expire time in 'expire' command"),
        (("9223372036854774",), "ERR invalid expire time in 'expire' command"),
        (("-9223372036854775808",), "ERR invalid expire time in 'expire' command"),
    ]:
        with pytest.raises(ReplyError) as exc:
            e.call("EXPIRE", "k", *args)
        assert exc.value.message == msg
    with pytest.raises(ReplyError, match="'pexpire'"):
        e.call("PEXPIRE", "k", "9223372036854775807")
    with pytest.raises(ReplyError, match="'expireat'"):
        e.call("EXPIREAT", "k", "9223372036854776")
    assert e.call("EXPIREAT", "k", "9223372036854775") == 1
    assert e.call("PEXPIREAT", "k", "9223372036854775807") == 1
    assert e.call("PEXPIRETIME", "k") == 9223372036854775807
    assert e.call("EXPIRETIME", "k") == 9223372036854776


def test_past_expire_deletes_and_propagates_del():
    e = Engine()
    seen = []
    e.propagate_listeners.append(lambda dbid, argv: seen.append(argv))
    for cmd in (["EXPIRE", "k", "0"], ["PEXPIRE", "k", "-1"], ["EXPIREAT", "k", "1"],
                ["EXPIRE", "k", "-9223372036854775"]):
        put(e, b"k")
        d = e.dirty
        assert e.call(*cmd) == 1
        assert e.dirty == d + 1 and b"k" not in e.keyspace()
    assert seen == [[b"DEL", b"k"]] * 4
    e.config.lazyfree_lazy_expire = True
    put(e, b"k")
    e.call("PEXPIREAT", "k", "0")
    assert seen[-1] == [b"UNLINK", b"k"]
    assert e.stat_expiredkeys == 0  # deleted by the command, not expired


def test_expire_propagates_pexpireat_absolute():
    e = Engine()
    seen = []
    e.propagate_listeners.append(lambda dbid, argv: seen.append(argv))
    put(e, b"k")
    now = e.mstime
    e.call("EXPIRE", "k", "10", "NX")
    e.call("PEXPIRE", "k", "20000")
    e.call("EXPIREAT", "k", "9999999999")
    e.call("PEXPIREAT", "k", "9999999999000")
    assert seen == [[b"PEXPIREAT", b"k", b"%d" % (now + 10000), b"NX"],
                    [b"PEXPIREAT", b"k", b"%d" % (now + 20000)],
                    [b"PEXPIREAT", b"k", b"9999999999000"],
                    [b"PEXPIREAT", b"k", b"9999999999000"]]


def test_expire_events():
    from lab.engine.config import notify_flags_from_string

    e = Engine()
    e.notify_flags = notify_flags_from_string("Egx")
    ev = []
    e.publish = lambda ch, msg: ev.append((ch, msg)) or 0
    put(e, b"k")
    e.call("EXPIRE", "k", "10")
    e.call("PERSIST", "k")
    e.call("EXPIRE", "k", "0")
    put(e, b"j", 5)
    e.config.hz = 1
    e.advance(10)
    e.call("EXISTS", "j")
    assert ev == [(b"__keyevent@0__:expire", b"k"), (b"__keyevent@0__:persist", b"k"),
                  (b"__keyevent@0__:del", b"k"), (b"__keyevent@0__:expired", b"j")]


# --- lazy expiry ---------------------------------------------------------------------------
def test_lazy_expiry_on_access():
    e = Engine(config={"hz": 1})  # no cron tick within the test's 500 ms
    lazy = e.probe("expire.lazy").record(10)
    put(e, b"k", 100)
    put(e, b"j", 100)
    e.advance(100)
    assert e.call("EXISTS", "k") == 1  # now == when is not expired yet
    e.advance(1)
    assert b"k" in e.keyspace() and e.call("DBSIZE") == 2
    assert e.call("TTL", "k") == -2
    assert b"k" not in e.keyspace() and e.stat_expiredkeys == 1
    assert [r["key"] for r in lazy] == [b"k"]
    assert e.call("DBSIZE") == 1  # j is logically expired, not yet reclaimed


# --- the active cycle --------------------------------------------------------------------------
def test_active_cycle_reclaims_without_access():
    e = Engine()
    populate(e, 500, 1000, persistent=500)
    e.advance(999)
    assert len(e.dbs[0].expires) == 500
    e.advance(1500)
    assert len(e.dbs[0].expires) == 0 and len(e.keyspace()) == 500
    assert e.stat_expiredkeys == 500


def test_calibration_matches_measurement():
    """internals §2.3: 20000 volatile + 20000 persistent keys, hz 10."""
    e = Engine()
    populate(e, 20000, 1000, persistent=20000)
    e.advance(1000)
    left = []
    for _ in range(4):
        e.advance(100)
        left.append(len(e.dbs[0].expires))
    assert left[1] < 2000  # > 90% reclaimed 0.2 s after the expiry
    assert left[3] == 0  # all of them within 0.4 s
    assert 2 <= e.stat_expired_time_cap_reached_count <= 3
    assert 0.10 < e.stat_expired_stale_perc < 0.25
    assert 40_000 < e.stat_expire_cycle_time_used < 70_000


def test_fast_cycle_runs_after_time_limit_exit_only():
    e = Engine()
    trace = e.probe("expire.cycle").record(1000)
    populate(e, 20000, 10)
    e.advance(100)  # one slow cycle that hits the time limit; the idle loop's
    # beforeSleep right after it then runs a fast cycle (Engine.advance does both)
    kinds = [r["kind"] for r in trace]
    assert kinds[-2:] == ["slow", "fast"] and trace[-2]["timelimit_exit"]
    cycles = len(trace)
    e.before_sleep()  # less than 2 * fast duration later: not due
    assert len(trace) == cycles
    e.advance(2)
    e.before_sleep()
    assert len(trace) == cycles + 1
    # stale estimate is a 0..1 fraction: it alone never triggers a fast cycle
    e.expire_state.timelimit_exit = False
    e.stat_expired_stale_perc = 0.99
    e.advance(10)
    ex.active_expire_cycle(e, ex.ACTIVE_EXPIRE_CYCLE_FAST)
    assert len(trace) == cycles + 1


def test_probe_record_fields_and_timelimit():
    e = Engine()
    trace = e.probe("expire.cycle").record(100)
    populate(e, 100, 50, dbid=3)
    e.advance(200)
    r = next(r for r in trace if r["expired"])
    assert r["kind"] == "slow" and r["db"] == 3 and r["timelimit_us"] == 25000
    assert r["sampled"] >= r["expired"] and 0 <= r["stale"] <= 1
    assert r["dbs"][0]["db"] == 3 and r["cursor"] == e.dbs[3].expires_cursor
    assert r["timelimit_exit"] is False and r["time_used_us"] > 0
    e.config.active_expire_effort = 10
    e.config.hz = 100
    e.advance(200)
    assert trace[-1]["timelimit_us"] == (25 + 18) * 1000000 // 100 // 100
    assert e.expire_state.acceptable_stale == 1


def test_determinism_same_seed_same_trace():
    def run():
        e = Engine(seed=7)
        trace = e.probe("expire.cycle").record(10000)
        populate(e, 3000, 500, persistent=100)
        for i in range(300):
            put(e, b"x:%d" % i, 100 + 7 * i, dbid=i % 3)
        for _ in range(20):
            e.advance(97)
            e.call("RANDOMKEY")
            e.before_sleep()
        return list(trace), e.stat_expire_cycle_time_used, [db.expires_cursor for db in e.dbs]

    assert run() == run()


def test_avg_ttl_running_average():
    e = Engine()
    populate(e, 200, 100_000)
    e.advance(100)
    first = e.dbs[0].avg_ttl
    assert 99_000 < first <= 100_000
    e.advance(10_000)
    assert e.dbs[0].avg_ttl < first  # keys get closer to expiring
    e.call("FLUSHALL")
    e.advance(100)
    assert e.dbs[0].avg_ttl == 0


def test_stats_move():
    e = Engine()
    populate(e, 5000, 100)
    t0 = e.stat_expire_cycle_time_used
    e.advance(5000)
    assert e.stat_expiredkeys == 5000
    assert e.stat_expire_cycle_time_used > t0
    peak = e.stat_expired_stale_perc
    assert 0 < peak < 1
    e.advance(1000)  # idle cycles decay the estimate by 0.95 each
    assert e.stat_expired_stale_perc == pytest.approx(peak * 0.95 ** 10, rel=1e-9)


def test_fill_below_one_percent_waits_for_shrink():
    e = Engine()
    populate(e, 2000, 100_000)
    e.advance(100)
    t = e.expire_state.tables[id(e.dbs[0].expires)]
    assert t.size == 2048
    for i in range(1990):
        e.dbs[0].delete(b"v:%d" % i)
    put(e, b"soon", 1)
    e.set_child_active(True)  # no resize while a fork child exists
    e.advance(200)
    assert b"soon" in e.keyspace()  # 11 keys in 2048 buckets: < 1% full, skipped
    e.set_child_active(False)
    e.advance(200)  # the first tick shrinks, the next one reclaims
    assert b"soon" not in e.keyspace()
    assert e.expire_state.tables[id(e.dbs[0].expires)].size == 16


def test_swapdb_and_flush_keep_cycle_state_consistent():
    e = Engine()
    populate(e, 300, 1000)
    e.advance(100)
    cur = e.dbs[0].expires_cursor
    assert cur > 0
    e.call("SWAPDB", "0", "5")
    assert e.dbs[5].expires_cursor == cur and e.dbs[0].expires_cursor == 0
    e.advance(2000)
    assert len(e.dbs[5].expires) == 0 and len(e.dbs[5].dict) == 0


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 60)), max_size=120))
def test_expires_table_model_matches_dict(ops):
    """After any adds/removes, every key sits in bucket crc32 & mask exactly once, and the
    table is a power of two no smaller than the entry count."""
    expires: dict[bytes, int] = {}
    t = ex.ExpiresTable(expires)
    stamp = 0
    for add, k in ops:
        key = b"key%d" % k
        if add:
            expires[key] = 1
        else:
            expires.pop(key, None)
        stamp += 1
        t.sync(stamp)
        if k % 7 == 0:
            t.try_shrink()
        mask = t.size - 1
        flat = [(b, key) for b, chain in t.buckets.items() for key in chain]
        assert sorted(key for _, key in flat) == sorted(expires)
        assert all(b == zlib.crc32(key) & mask for b, key in flat)
        assert t.size >= max(4, len(expires)) and t.size & mask == 0


def test_no_active_expiry_while_clients_paused():
    e = Engine()
    populate(e, 50, 10)
    e.call("CLIENT", "PAUSE", "500", "WRITE")
    e.advance(300)
    assert len(e.dbs[0].expires) == 50  # the dataset stays static during a pause
    e.advance(500)
    assert len(e.dbs[0].expires) == 0
