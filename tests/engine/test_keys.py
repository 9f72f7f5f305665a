"""Generic key commands (lab/engine/keys.py) on the engine alone."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError
from lab.engine.keys import PrivateRObj
from lab.engine.objects import OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STRING
from lab.engine.scan import parse_scan_cursor


def put(e: Engine, key: bytes, type: str, enc, val, dbid: int = 0):
    """Store a value directly (independent of the data-type families)."""
    o = e.new_object(type, enc, val)
    e.dbs[dbid].set_key(key, o)
    return o


def mixed(e: Engine, dbid: int = 0) -> None:
    put(e, b"s", OBJ_STRING, None, b"hello", dbid)
    put(e, b"n", OBJ_STRING, None, b"42", dbid)
    put(e, b"l", OBJ_LIST, "quicklist", deque([b"a", b"b"]), dbid)
    put(e, b"h", OBJ_HASH, "listpack", {b"f": b"v"}, dbid)
    put(e, b"t", OBJ_SET, "intset", {b"1", b"2"}, dbid)


def snapshot(e: Engine):
    return [({k: (o.type, o.encoding, repr(o.val)) for k, o in db.dict.items()}, dict(db.expires))
            for db in e.dbs]


def events_of(e: Engine, flags: str = "KEA"):
    """Enable keyspace events and capture what the engine publishes."""
    from lab.engine.config import notify_flags_from_string

    e.notify_flags = notify_flags_from_string(flags)
    out: list[tuple[bytes, bytes]] = []
    e.publish = lambda ch, msg: out.append((ch, msg)) or 0
    return out


@pytest.fixture
def e():
    return Engine()


def test_del_unlink_exists_and_dirty(e):
    mixed(e)
    d = e.dirty
    assert e.call("EXISTS", "s", "s", "nope", "l") == 3
    assert e.call("DEL", "s", "s", "nope") == 1
    assert e.call("UNLINK", "l", "h") == 2
    assert e.dirty == d + 3
    assert e.call("EXISTS", "s", "l", "h") == 0
    assert e.call("DBSIZE") == 2


def test_del_of_expired_key_counts_as_expired_not_deleted(e):
    put(e, b"k", OBJ_STRING, None, b"v")
    e.dbs[0].set_expire(b"k", e.mstime + 10)
    e.config.hz = 1
    e.advance(50)
    assert e.call("DEL", "k") == 0
    assert e.stat_expiredkeys == 1


def test_type(e):
    mixed(e)
    assert [e.call("TYPE", k) for k in ("s", "n", "l", "h", "t", "x")] == \
        ["string", "string", "list", "hash", "set", "none"]


def test_rename_keeps_object_and_ttl(e):
    o = put(e, b"a", OBJ_STRING, None, b"v")
    e.dbs[0].set_expire(b"a", e.mstime + 5000)
    put(e, b"b", OBJ_LIST, "quicklist", deque([b"x"]))
    assert e.call("RENAME", "a", "b") == "OK"
    assert e.keyspace()[b"b"] is o
    assert e.dbs[0].get_expire(b"b") == e.mstime + 5000
    assert b"a" not in e.keyspace() and b"a" not in e.dbs[0].expires
    assert e.call("RENAMENX", "b", "b") == 0
    assert e.call("RENAME", "b", "b") == "OK"
    put(e, b"c", OBJ_STRING, None, b"1")
    assert e.call("RENAMENX", "b", "c") == 0
    assert e.call("RENAMENX", "b", "d") == 1
    with pytest.raises(ReplyError, match="ERR no such key"):
        e.call("RENAME", "nope", "x")
    with pytest.raises(ReplyError, match="ERR no such key"):
        e.call("RENAMENX", "nope", "nope")


def test_rename_events(e):
    ev = events_of(e, "KEg")
    put(e, b"a", OBJ_STRING, None, b"v")
    e.call("RENAME", "a", "b")
    assert ev == [(b"__keyspace@0__:a", b"rename_from"), (b"__keyevent@0__:rename_from", b"a"),
                  (b"__keyspace@0__:b", b"rename_to"), (b"__keyevent@0__:rename_to", b"b")]


def test_copy_duplicates_every_type(e):
    mixed(e)
    e.dbs[0].set_expire(b"l", e.mstime + 9000)
    for k in (b"s", b"n", b"l", b"h", b"t"):
        assert e.call("COPY", k, k + b"2") == 1
        a, b = e.keyspace()[k], e.keyspace()[k + b"2"]
        assert a is not b and a.type == b.type and a.encoding == b.encoding
        assert a.val == b.val
        if not isinstance(a.val, bytes):
            assert a.val is not b.val
    assert e.dbs[0].get_expire(b"l2") == e.mstime + 9000
    e.keyspace()[b"l2"].val.append(b"z")
    assert list(e.keyspace()[b"l"].val) == [b"a", b"b"]
    # the copy of a shared integer is a private object
    assert isinstance(e.keyspace()[b"n2"], PrivateRObj)
    assert e.call("OBJECT", "REFCOUNT", "n") == 2147483647
    assert e.call("OBJECT", "REFCOUNT", "n2") == 1


def test_copy_zset_uses_value_copy(e):
    zsets = pytest.importorskip("lab.engine.zsets")
    if not hasattr(zsets, "ZSetValue"):
        pytest.skip("zsets not implemented yet")
    e.call("ZADD", "z", "1", "a", "2", "b")
    assert e.call("COPY", "z", "z2") == 1
    assert e.keyspace()[b"z2"].val is not e.keyspace()[b"z"].val
    assert e.call("ZRANGE", "z2", "0", "-1") == e.call("ZRANGE", "z", "0", "-1")


def test_copy_options_and_errors(e):
    put(e, b"a", OBJ_STRING, None, b"v")
    put(e, b"b", OBJ_STRING, None, b"w")
    assert e.call("COPY", "a", "b") == 0
    assert e.call("COPY", "a", "b", "REPLACE") == 1
    assert e.keyspace()[b"b"].val == b"v"
    assert e.call("COPY", "a", "a", "DB", "3") == 1
    assert e.keyspace(3)[b"a"].val == b"v"
    assert e.call("COPY", "nope", "x") == 0
    for args, msg in [
        (("a", "a"), "ERR source and destination objects are the same"),
        (("a", "x", "DB"), "ERR syntax error"),
        (("a", "x", "foo"), "ERR syntax error"),
        (("a", "x", "DB", "16"), "ERR DB index is out of range"),
        (("a", "x", "DB", "x"), "ERR value is not an integer or out of range"),
        (("a", "x", "DB", "99999999999"),
         "ERR value is out of range, value must between -2147483648 and 2147483647"),
    ]:
        with pytest.raises(ReplyError) as ex:
            e.call("COPY", *args)
        assert ex.value.message == msg


def test_move(e):
    o = put(e, b"a", OBJ_STRING, None, b"v")
    e.dbs[0].set_expire(b"a", e.mstime + 1234)
    assert e.call("MOVE", "a", "1") == 1
    assert e.keyspace(1)[b"a"] is o and e.dbs[1].get_expire(b"a") == e.mstime + 1234
    assert e.dbs[0].expires == {}
    assert e.call("MOVE", "a", "1") == 0
    put(e, b"a", OBJ_STRING, None, b"w")
    assert e.call("MOVE", "a", "1") == 0  # exists in the target
    with pytest.raises(ReplyError, match="same"):
        e.call("MOVE", "a", "0")
    with pytest.raises(ReplyError, match="DB index is out of range"):
        e.call("MOVE", "a", "-1")


def test_swapdb_swaps_contents_and_touches_watches(e):
    put(e, b"a", OBJ_STRING, None, b"v")
    e.dbs[0].set_expire(b"a", e.mstime + 100000)
    w = e.client()
    w.call("SELECT", "1")
    w.call("WATCH", "a")
    d = e.dirty
    assert e.call("SWAPDB", "0", "1") == "OK"
    assert e.dirty == d + 1
    assert b"a" in e.keyspace(1) and e.dbs[1].get_expire(b"a") == e.mstime + 100000
    assert w.dirty_cas
    assert e.call("SWAPDB", "2", "2") == "OK"
    assert e.dirty == d + 2
    for args, msg in [(("x", "1"), "ERR invalid first DB index"),
                      (("0", "x"), "ERR invalid second DB index"),
                      (("0", "99999999999"), "ERR invalid second DB index"),
                      (("0", "16"), "ERR DB index is out of range")]:
        with pytest.raises(ReplyError) as ex:
            e.call("SWAPDB", *args)
        assert ex.value.message == msg


def test_select(e):
    c = e.client()
    assert c.call("SELECT", "15") == "OK" and c.db.id == 15
    with pytest.raises(ReplyError, match="DB index is out of range"):
        c.call("SELECT", "16")
    with pytest.raises(ReplyError, match="not an integer"):
        c.call("SELECT", "1.0")
    assert c.db.id == 15


def test_flushdb_flushall_dirty_and_propagation(e):
    mixed(e)
    mixed(e, 2)
    seen = []
    e.propagate_listeners.append(lambda dbid, argv: seen.append(argv))
    d = e.dirty
    assert e.call("FLUSHDB") == "OK"
    assert e.dirty == d + 5 and e.call("DBSIZE") == 0 and len(e.keyspace(2)) == 5
    assert e.call("FLUSHDB", "ASYNC") == "OK"  # nothing removed: still propagated
    assert seen == [[b"FLUSHDB"], [b"FLUSHDB", b"ASYNC"]]
    d = e.dirty
    assert e.call("FLUSHALL", "sync") == "OK"
    assert e.dirty == d + 5 + 1
    assert all(not db.dict for db in e.dbs)
    with pytest.raises(ReplyError, match="syntax"):
        e.call("FLUSHALL", "foo")
    with pytest.raises(ReplyError, match="syntax"):
        e.call("FLUSHDB", "ASYNC", "x")


def test_flush_resets_expire_cursor_and_memory(e):
    mixed(e)
    db = e.dbs[0]
    db.expires_cursor = 77
    db.avg_ttl = 5
    e.call("FLUSHALL")
    assert db.expires_cursor == 0 and db.avg_ttl == 0
    e._check()
    if hasattr(e, "memory"):
        e.memory._check()


def test_keys_skips_expired_without_deleting(e):
    mixed(e)
    e.dbs[0].set_expire(b"s", e.mstime + 10)
    e.config.hz = 1
    e.advance(20)
    assert sorted(e.call("KEYS", "*")) == [b"h", b"l", b"n", b"t"]
    assert sorted(e.call("KEYS", "[hl]")) == [b"h", b"l"]
    assert b"s" in e.keyspace()  # KEYS does not reclaim
    assert e.call("DBSIZE") == 5


def test_scan_full_iteration_and_filters(e):
    for i in range(200):
        put(e, b"k:%d" % i, OBJ_STRING, None, b"v")
    put(e, b"lst", OBJ_LIST, "quicklist", deque([b"a"]))
    seen = set()
    cursor = b"0"
    calls = 0
    while True:
        cursor, keys = e.call("SCAN", cursor, "COUNT", "7")
        seen.update(keys)
        calls += 1
        if cursor == b"0":
            break
    assert len(seen) == 201 and calls > 10
    _, keys = e.call("SCAN", "0", "COUNT", "1000", "TYPE", "LIST")
    assert keys == [b"lst"]
    _, keys = e.call("SCAN", "0", "COUNT", "1000", "MATCH", "k:1?")
    assert sorted(keys) == sorted(b"k:1%d" % i for i in range(10))


def test_scan_expires_keys_and_type_none_quirk(e):
    put(e, b"a", OBJ_STRING, None, b"v")
    put(e, b"b", OBJ_STRING, None, b"v")
    e.dbs[0].set_expire(b"a", e.mstime + 1)
    e.dbs[0].set_expire(b"b", e.mstime + 1)
    e.config.hz = 1
    e.advance(5)
    assert e.call("SCAN", "0", "MATCH", "b") == [b"0", []]
    assert b"b" not in e.keyspace() and b"a" in e.keyspace()
    # TYPE's lookup reclaims the key, which then reads as type "none" and is returned
    assert e.call("SCAN", "0", "TYPE", "none") == [b"0", [b"a"]]
    assert e.call("DBSIZE") == 0


def test_scan_errors(e):
    for args, msg in [(("x",), "ERR invalid cursor"), ((" 0",), "ERR invalid cursor"),
                      (("18446744073709551616",), "ERR invalid cursor"),
                      (("0", "COUNT", "0"), "ERR syntax error"),
                      (("0", "COUNT", "x"), "ERR value is not an integer or out of range"),
                      (("0", "TYPE"), "ERR syntax error"), (("0", "foo", "bar"), "ERR syntax error")]:
        with pytest.raises(ReplyError) as ex:
            e.call("SCAN", *args)
        assert ex.value.message == msg


@pytest.mark.parametrize("raw,value", [(b"", 0), (b"+0", 0), (b"-1", (1 << 64) - 1),
                                       (b"18446744073709551615", (1 << 64) - 1), (b"12", 12)])
def test_scan_cursor_is_strtoul(raw, value):
    assert parse_scan_cursor(raw) == value


def test_randomkey_seeded_and_reclaims_expired():
    def picks(seed):
        e = Engine(seed=seed)
        for i in range(50):
            put(e, b"k%d" % i, OBJ_STRING, None, b"v")
        return [e.call("RANDOMKEY") for _ in range(20)]

    assert picks(1) == picks(1)
    assert len(set(picks(1))) > 5
    e = Engine()
    e.config.hz = 1
    for i in range(10):
        put(e, b"k%d" % i, OBJ_STRING, None, b"v")
        e.dbs[0].set_expire(b"k%d" % i, e.mstime + 1)
    put(e, b"live", OBJ_STRING, None, b"v")
    e.advance(10)
    assert e.call("RANDOMKEY") == b"live"
    e.call("DEL", "live")
    assert e.call("RANDOMKEY") is None
    assert e.call("DBSIZE") == 0


def test_touch_updates_lru(e):
    o = put(e, b"a", OBJ_STRING, None, b"v")
    e.config.hz = 1
    e.advance(10_000)
    assert e.call("OBJECT", "IDLETIME", "a") == 10  # OBJECT does not touch
    assert e.call("TOUCH", "a", "b") == 1
    assert e.call("OBJECT", "IDLETIME", "a") == 0
    assert o.lru == e.lruclock


def test_object_subcommands(e):
    mixed(e)
    assert e.call("OBJECT", "ENCODING", "n") == b"int"
    assert e.call("OBJECT", "ENCODING", "s") == b"embstr"
    assert e.call("OBJECT", "ENCODING", "h") == b"listpack"
    assert e.call("OBJECT", "ENCODING", "nope") is None
    assert e.call("OBJECT", "REFCOUNT", "s") == 1
    assert len(e.call("OBJECT", "HELP")) == 15
    with pytest.raises(ReplyError, match="LFU maxmemory policy is not selected"):
        e.call("OBJECT", "FREQ", "s")
    assert e.call("OBJECT", "FREQ", "nope") is None
    e.config.maxmemory_policy = "allkeys-lfu"
    with pytest.raises(ReplyError, match="LFU maxmemory policy is selected"):
        e.call("OBJECT", "IDLETIME", "s")
    assert e.call("OBJECT", "FREQ", "s") >= 0
    # shared integers are not used with maxmemory + an LRU/LFU policy
    assert e.call("OBJECT", "REFCOUNT", "n") == 2147483647
    e.config.maxmemory = 1 << 30
    assert e.call("OBJECT", "REFCOUNT", "n") == 1
    e.config.maxmemory_policy = "volatile-ttl"
    assert e.call("OBJECT", "REFCOUNT", "n") == 2147483647


def test_del_events_and_signal(e):
    ev = events_of(e, "Eg")
    put(e, b"a", OBJ_STRING, None, b"v")
    w = e.client()
    w.call("WATCH", "a")
    e.call("DEL", "a", "a")
    assert ev == [(b"__keyevent@0__:del", b"a")]
    assert w.dirty_cas


def test_failed_commands_leave_keyspace_unchanged(e):
    mixed(e)
    e.dbs[0].set_expire(b"h", e.mstime + 100000)
    before = snapshot(e)
    d = e.dirty
    bad = [("RENAME", "nope", "x"), ("COPY", "s", "s"), ("COPY", "s", "x", "DB", "99"),
           ("COPY", "s", "x", "bogus"), ("MOVE", "s", "0"), ("MOVE", "s", "x"),
           ("SWAPDB", "0", "99"), ("FLUSHDB", "x"), ("FLUSHALL", "a", "b"),
           ("EXPIRE", "s", "10", "NX", "XX"), ("EXPIRE", "s", "x"),
           ("EXPIRE", "s", "9223372036854775807"), ("PEXPIREAT", "s", "1", "foo"),
           ("SCAN", "0", "COUNT", "0"), ("SELECT", "99")]
    for cmd in bad:
        assert isinstance(e.execute(*cmd), ReplyError), cmd
    assert snapshot(e) == before and e.dirty == d


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["DEL", "RENAME", "COPY", "MOVE", "SWAPDB",
                                           "EXPIRE", "PERSIST", "FLUSHDB"]),
                          st.sampled_from([b"a", b"b", b"c"]),
                          st.sampled_from([b"a", b"b", b"c", b"0", b"1", b"-5", b"100"])),
                max_size=25))
def test_random_sequences_keep_invariants(ops):
    e = Engine()
    mixed(e)
    put(e, b"a", OBJ_SET, "intset", {b"1"})
    for op, k, arg in ops:
        if op in ("DEL", "PERSIST"):
            e.execute(op, k)
        elif op == "SWAPDB":
            e.execute(op, b"0", arg)
        elif op == "FLUSHDB":
            if k == b"a":
                e.execute(op)
        else:
            e.execute(op, k, arg)
        e._check()
        for db in e.dbs:
            assert set(db.expires) <= set(db.dict)
    if hasattr(e, "memory"):
        e.memory._check()


def test_bulk_changes_keep_memory_and_eviction_indexes_consistent():
    e = Engine(config={"maxmemory": "100mb", "maxmemory-policy": "volatile-lru"})
    mixed(e)
    mixed(e, 4)
    e.dbs[0].set_expire(b"s", e.mstime + 100000)
    if getattr(e.evict_state, "indexes", None) is None and hasattr(e.evict_state, "enable"):
        e.evict_state.enable(e)
    e.call("SWAPDB", "0", "4")
    e.call("SELECT", "4")
    e.call("FLUSHDB")
    e.call("SELECT", "0")
    e.memory._check()
    st_ = e.evict_state
    if st_.indexes is not None:
        for db in e.dbs:
            assert set(st_.indexes[db.id].keys) == set(db.dict)
            assert set(st_.expire_indexes[db.id].keys) == set(db.expires)
    e.call("FLUSHALL")
    e.memory._check()
