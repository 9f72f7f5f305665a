"""Hash commands (lab/engine/hashes.py): unit tests and properties against a dict model."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, errors
from lab.engine.hashes import ld_format_human, ld_parse, ld_round, parse_scan_cursor
from lab.engine.util import string2ll


@pytest.fixture
def e():
    return Engine()


def events(e):
    """Record (class, event, key) of every keyspace notification."""
    got = []
    orig = e.notify_keyspace_event

    def rec(klass, event, key, dbid):
        if event != "keymiss":
            got.append((event, key))
        orig(klass, event, key, dbid)

    e.notify_keyspace_event = rec
    return got


def propagated(e):
    got = []
    e.propagate_listeners.append(lambda dbid, argv: got.append(list(argv)))
    return got


def snapshot(e):
    return {k: (o.type, o.encoding, copy.deepcopy(o.val)) for k, o in e.keyspace(0).items()}, \
        dict(e.dbs[0].expires)


def enc(e, key):
    return e.keyspace(0)[key.encode() if isinstance(key, str) else key].encoding


# ----------------------------------------------------------------------------------------
# basic behaviour
# ----------------------------------------------------------------------------------------
def test_hset_hget_order_and_replies(e):
    assert e.call("HSET", "h", "a", "1", "b", "2", "a", "3") == 1 + 1
    assert e.call("HSET", "h", "c", "4", "b", "5") == 1
    assert e.call("HGETALL", "h") == {b"a": b"3", b"b": b"5", b"c": b"4"}
    assert list(e.call("HGETALL", "h")) == [b"a", b"b", b"c"]
    assert e.call("HKEYS", "h") == [b"a", b"b", b"c"]
    assert e.call("HVALS", "h") == [b"3", b"5", b"4"]
    assert e.call("HMSET", "h", "d", "6") == "OK"
    assert e.call("HLEN", "h") == 4
    assert e.call("HGET", "h", "d") == b"6"
    assert e.call("HGET", "h", "zz") is None
    assert e.call("HGET", "nokey", "a") is None
    assert e.call("HMGET", "h", "a", "zz") == [b"3", None]
    assert e.call("HMGET", "nokey", "a", "b") == [None, None]
    assert e.call("HSTRLEN", "h", "a") == 1
    assert e.call("HSTRLEN", "h", "zz") == 0
    assert e.call("HEXISTS", "h", "a") == 1
    assert e.call("HEXISTS", "h", "zz") == 0
    assert e.call("HGETALL", "nokey") == {}
    assert e.call("HKEYS", "nokey") == [] and e.call("HVALS", "nokey") == []
    assert e.call("HLEN", "nokey") == 0
    assert enc(e, "h") == "listpack"
    e._check()


def test_hsetnx(e):
    assert e.call("HSETNX", "h", "a", "1") == 1
    assert e.call("HSETNX", "h", "a", "2") == 0
    assert e.call("HGET", "h", "a") == b"1"


def test_hdel_deletes_empty_hash(e):
    ev = events(e)
    e.call("HSET", "h", "a", "1", "b", "2")
    assert e.call("HDEL", "h", "a", "zz", "a") == 1
    assert e.call("HDEL", "h", "b", "c") == 1
    assert b"h" not in e.keyspace(0)
    assert e.call("HDEL", "h", "b") == 0
    assert ev == [("hset", b"h"), ("hdel", b"h"), ("hdel", b"h"), ("del", b"h")]


def test_wrongtype(e):
    e.call("SET", "s", "x")
    for cmd in (["HSET", "s", "a", "1"], ["HGET", "s", "a"], ["HGETALL", "s"],
                ["HDEL", "s", "a"], ["HLEN", "s"], ["HINCRBY", "s", "a", "1"],
                ["HINCRBYFLOAT", "s", "a", "1"], ["HRANDFIELD", "s"], ["HSCAN", "s", "0"],
                ["HSETNX", "s", "a", "1"], ["HMGET", "s", "a"], ["HSTRLEN", "s", "a"]):
        with pytest.raises(ReplyError) as ei:
            e.call(*cmd)
        assert ei.value.message == errors.WRONGTYPE
    assert e.call("GET", "s") == b"x"


def test_arity_error_of_odd_hset(e):
    for name in ("HSET", "HMSET"):
        with pytest.raises(ReplyError) as ei:
            e.call(name, "h", "a", "1", "b")
        assert ei.value.message == f"ERR wrong number of arguments for '{name.lower()}' command"
    assert b"h" not in e.keyspace(0)


def test_events_dirty_and_propagation(e):
    ev = events(e)
    prop = propagated(e)
    d0 = e.dirty
    e.call("HSET", "h", "a", "1", "b", "2")
    assert e.dirty == d0 + 2
    e.call("HSET", "h", "a", "1")
    assert e.dirty == d0 + 3  # HSET counts pairs even when unchanged
    e.call("HINCRBY", "h", "n", "5")
    assert e.call("HINCRBYFLOAT", "h", "f", "1.10") == b"1.1"
    e.call("HSETNX", "h", "a", "x")  # no change: no event, no dirty
    assert e.dirty == d0 + 5
    assert ev == [("hset", b"h"), ("hset", b"h"), ("hincrby", b"h"), ("hincrbyfloat", b"h")]
    assert prop[-1] == [b"HSET", b"h", b"f", b"1.1"]
    assert prop[-2] == [b"HINCRBY", b"h", b"n", b"5"]


def test_new_key_event_before_hset(e):
    ev = events(e)
    e.notify_flags = 0xFFFFF
    e.call("HSET", "h", "a", "1")
    assert ev[0] == ("new", b"h") and ev[1] == ("hset", b"h")


def test_watch_is_touched(e):
    c1 = e.client()
    e.call("HSET", "h", "a", "1")
    c1.call("WATCH", "h")
    c1.call("MULTI")
    c1.call("HGET", "h", "a")
    e.call("HDEL", "h", "zz")  # no change: WATCH not touched
    e.call("HSETNX", "h", "a", "2")
    assert c1.call("EXEC") == [b"1"]
    c1.call("WATCH", "h")
    c1.call("MULTI")
    e.call("HINCRBY", "h", "a", "1")
    assert not c1.call("EXEC")


# ----------------------------------------------------------------------------------------
# HINCRBY / HINCRBYFLOAT
# ----------------------------------------------------------------------------------------
def test_hincrby(e):
    assert e.call("HINCRBY", "h", "n", "5") == 5
    assert e.call("HINCRBY", "h", "n", "-7") == -2
    e.call("HSET", "h", "big", "9223372036854775807", "s", "x", "sp", " 1")
    for cmd, msg in ((["HINCRBY", "h", "big", "1"], errors.OVERFLOW),
                     (["HINCRBY", "h", "s", "1"], errors.HASH_NOT_INTEGER),
                     (["HINCRBY", "h", "sp", "1"], errors.HASH_NOT_INTEGER),
                     (["HINCRBY", "h", "n", "1.5"], errors.NOT_INTEGER),
                     (["HINCRBY", "h", "n", "+1"], errors.NOT_INTEGER)):
        before = snapshot(e)
        with pytest.raises(ReplyError) as ei:
            e.call(*cmd)
        assert ei.value.message == msg
        assert snapshot(e) == before
    assert e.call("HINCRBY", "h", "big", "-9223372036854775807") == 0


def test_hincrbyfloat(e):
    assert e.call("HINCRBYFLOAT", "h", "f", "10.5") == b"10.5"
    assert e.call("HINCRBYFLOAT", "h", "f", "0.1") == b"10.6"
    # measured on redis-server 7.0.15: long double rounding shows at 17 decimals
    assert e.call("HINCRBYFLOAT", "h", "f", "-5.0e3") == b"-4989.39999999999999991"
    assert e.call("HINCRBYFLOAT", "h", "g", "3.0") == b"3"
    assert e.call("HINCRBYFLOAT", "h", "g", "0x10") == b"19"
    e.call("HSET", "h", "s", "abc", "i", "inf")
    for cmd, msg in ((["HINCRBYFLOAT", "h", "s", "1"], errors.HASH_NOT_FLOAT),
                     (["HINCRBYFLOAT", "h", "f", "abc"], errors.NOT_FLOAT),
                     (["HINCRBYFLOAT", "h", "f", "nan"], errors.NOT_FLOAT),
                     (["HINCRBYFLOAT", "h", "f", "inf"], errors.VALUE_NAN_OR_INF),
                     (["HINCRBYFLOAT", "h", "f", "1e5000"], errors.NOT_FLOAT),
                     (["HINCRBYFLOAT", "h", "i", "1"], errors.NAN_OR_INF),
                     (["HINCRBYFLOAT", "nokey", "f", "-inf"], errors.VALUE_NAN_OR_INF)):
        before = snapshot(e)
        with pytest.raises(ReplyError) as ei:
            e.call(*cmd)
        assert ei.value.message == msg
        assert snapshot(e) == before
    e.call("HINCRBYFLOAT", "h", "m", "1.1e4932")
    with pytest.raises(ReplyError) as ei:
        e.call("HINCRBYFLOAT", "h", "m", "1.1e4932")
    assert ei.value.message == errors.NAN_OR_INF


def test_long_double_helpers():
    # values measured on redis-server 7.0.15
    assert ld_format_human(ld_round(ld_parse(b"1e400") + 0)).startswith(
        b"10000000000000000000281880683947586514586453433629052038625910693539685534")
    assert len(ld_format_human(ld_parse(b"1e400"))) == 401
    assert ld_format_human(ld_round(ld_parse(b"1.5") + ld_parse(b"0.1"))) == b"1.6"
    one_ninth = ld_round(Fraction(1) + ld_parse(b"0." + b"1" * 80))
    assert ld_format_human(one_ninth) == b"1.11111111111111111"
    assert ld_format_human(ld_round(ld_parse(b"9223372036854775807") + 1)) == b"9223372036854775808"
    assert ld_format_human(Fraction(-1, 10 ** 30)) == b"0"  # "-0" is printed as "0"
    assert ld_format_human(Fraction(0)) == b"0"
    # parsing rules
    assert ld_parse(b"") is None and ld_parse(b" 1") is None and ld_parse(b"1 ") is None
    assert ld_parse(b"1e-5000") is None  # underflow to zero
    assert ld_parse(b"0e99999") == 0
    assert ld_parse(b"1e-4940") is not None  # subnormal: accepted
    assert ld_parse(b"x" * 10) is None and ld_parse(b"1" * 5120) is None
    assert ld_parse(b"0." + b"1" * 5117) is not None
    assert ld_parse(b"1" * 5000) is None  # 1e4999 overflows
    assert ld_parse(b"INFINITY") == float("inf")
    assert ld_parse(b"0x1p-2") == Fraction(1, 4)
    # the long double has a 64-bit significand: 2**64+1 rounds, 2**63+1 does not
    assert ld_parse(b"18446744073709551617") == 2 ** 64
    assert ld_parse(b"9223372036854775809") == 2 ** 63 + 1
    # ties to even
    assert ld_round(Fraction(2 ** 64 + 2, 1) + Fraction(1)) == 2 ** 64 + 4
    assert ld_round(Fraction(2 ** 64 + 4, 1) + Fraction(1)) == 2 ** 64 + 4


def test_scan_cursor_parsing():
    assert parse_scan_cursor(b"") == 0
    assert parse_scan_cursor(b"+5") == 5
    assert parse_scan_cursor(b"-1") == 2 ** 64 - 1
    assert parse_scan_cursor(b"18446744073709551615") == 2 ** 64 - 1
    for bad in (b" 1", b"1 ", b"-", b"+", b"18446744073709551616", b"0x1", b"1.0"):
        with pytest.raises(ReplyError):
            parse_scan_cursor(bad)


# ----------------------------------------------------------------------------------------
# encodings
# ----------------------------------------------------------------------------------------
def test_encoding_thresholds(e):
    args = []
    for i in range(512):
        args += [f"f{i}", f"v{i}"]
    e.call("HSET", "h", *args)
    assert enc(e, "h") == "listpack"
    e.call("HSET", "h", "f512", "x")
    assert enc(e, "h") == "hashtable"
    e.call("HDEL", "h", *[f"f{i}" for i in range(510)])
    assert enc(e, "h") == "hashtable"
    e.call("HSET", "v", "f", "x" * 64, "x" * 64, "y")
    assert enc(e, "v") == "listpack"
    e.call("HSET", "v", "g", "x" * 65)
    assert enc(e, "v") == "hashtable"
    e.call("HSET", "w", "a", "1")
    e.call("HINCRBY", "w", "n" * 65, "1")
    assert enc(e, "w") == "hashtable"
    e._check()


def test_config_thresholds_and_checker(e):
    e.call("CONFIG", "SET", "hash-max-listpack-entries", "2")
    e.call("HSET", "h", "a", "1", "b", "2")
    assert enc(e, "h") == "listpack"
    e.call("HSET", "h", "c", "3")
    assert enc(e, "h") == "hashtable"
    e.call("CONFIG", "SET", "hash-max-listpack-entries", "512")
    e.call("HSET", "big", *[x for i in range(10) for x in (f"f{i}", "v")])
    # lowering the limit later leaves existing listpacks alone (Redis converts on write)
    e.call("CONFIG", "SET", "hash-max-listpack-entries", "2")
    e.call("HDEL", "big", "f0")
    assert enc(e, "big") == "listpack"
    e._check()
    # the checker catches an inconsistent object
    e.keyspace(0)[b"big"].val[b"x" * 100] = b"1"
    with pytest.raises(AssertionError):
        e._check()


# ----------------------------------------------------------------------------------------
# HRANDFIELD / HSCAN
# ----------------------------------------------------------------------------------------
def test_hrandfield_rules(e):
    e.call("HSET", "h", *[x for i in range(6) for x in (f"f{i}", f"v{i}")])
    full = e.call("HGETALL", "h")
    assert e.call("HRANDFIELD", "h") in full
    assert e.call("HRANDFIELD", "nokey") is None
    assert e.call("HRANDFIELD", "nokey", "3") == []
    assert e.call("HRANDFIELD", "h", "0") == []
    assert e.call("HRANDFIELD", "h", "6") == list(full)
    assert e.call("HRANDFIELD", "h", "60", "WITHVALUES") == [x for kv in full.items() for x in kv]
    for n in range(1, 6):
        got = e.call("HRANDFIELD", "h", n)
        assert len(set(got)) == n and set(got) <= set(full)
        # a listpack hash returns the distinct picks in listpack order
        assert got == [f for f in full if f in got]
        wv = e.call("HRANDFIELD", "h", n, "WITHVALUES")
        assert all(full[f] == v for f, v in zip(wv[0::2], wv[1::2]))
    got = e.call("HRANDFIELD", "h", "-20")
    assert len(got) == 20 and set(got) <= set(full)
    c3 = e.client()
    c3.resp = 3
    nested = c3.call("HRANDFIELD", "h", "-3", "WITHVALUES")
    assert len(nested) == 3 and all(full[f] == v for f, v in nested)
    with pytest.raises(ReplyError) as ei:
        e.call("HRANDFIELD", "h", "-9223372036854775808")
    assert ei.value.message == (
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807")
    with pytest.raises(ReplyError) as ei:
        e.call("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES")
    assert ei.value.message == errors.VALUE_OUT_OF_RANGE


def test_random_replies_are_seeded():
    a, b = Engine(seed=7), Engine(seed=7)
    for x in (a, b):
        x.call("HSET", "h", *[y for i in range(50) for y in (f"f{i}", f"v{i}")])
    for _ in range(5):
        assert a.call("HRANDFIELD", "h", "5") == b.call("HRANDFIELD", "h", "5")
        assert a.call("HRANDFIELD", "h") == b.call("HRANDFIELD", "h")


def test_hscan(e):
    e.call("HSET", "h", "a1", "1", "b", "2", "a2", "3")
    assert e.call("HSCAN", "h", "0") == [b"0", [b"a1", b"1", b"b", b"2", b"a2", b"3"]]
    assert e.call("HSCAN", "h", "77", "MATCH", "a*", "COUNT", "1") == \
        [b"0", [b"a1", b"1", b"a2", b"3"]]
    assert e.call("HSCAN", "nokey", "0", "BAD") == [b"0", []]
    with pytest.raises(ReplyError, match="syntax"):
        e.call("HSCAN", "h", "0", "COUNT", "0")
    with pytest.raises(ReplyError, match="invalid cursor"):
        e.call("HSCAN", "h", "x")


def test_hscan_hashtable_guarantee(e):
    """Every field present for the whole iteration is returned, even while the hash
    grows and shrinks between calls."""
    e.call("HSET", "h", *[x for i in range(1000) for x in (f"f{i}", "v")])
    stable = {f"f{i}".encode() for i in range(0, 1000, 2)}
    seen = set()
    cursor = b"0"
    step = 0
    while True:
        cursor, items = e.call("HSCAN", "h", cursor, "COUNT", "25")
        seen |= set(items[0::2])
        step += 1
        if step == 5:
            e.call("HSET", "h", *[x for i in range(1000, 3000) for x in (f"f{i}", "v")])
        if step == 10:
            e.call("HDEL", "h", *[f"f{i}" for i in range(1, 3000, 2)])
        if cursor == b"0":
            break
    assert stable <= seen


# ----------------------------------------------------------------------------------------
# properties against a dict model
# ----------------------------------------------------------------------------------------
KEYS = ["a", "b", "c"]
FIELDS = [b"f1", b"f2", b"f3", b"10", b"", b"x" * 70]
VALUES = [b"1", b"-2", b"1.5", b"abc", b"y" * 70, b"9223372036854775807", b" 3"]

op_s = st.one_of(
    st.tuples(st.just("hset"), st.sampled_from(KEYS),
              st.lists(st.tuples(st.sampled_from(FIELDS), st.sampled_from(VALUES)),
                       min_size=1, max_size=4)),
    st.tuples(st.just("hsetnx"), st.sampled_from(KEYS), st.sampled_from(FIELDS),
              st.sampled_from(VALUES)),
    st.tuples(st.just("hdel"), st.sampled_from(KEYS),
              st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)),
    st.tuples(st.just("hincrby"), st.sampled_from(KEYS), st.sampled_from(FIELDS),
              st.sampled_from([b"1", b"-5", b"x", b"9223372036854775807"])),
    st.tuples(st.just("hincrbyfloat"), st.sampled_from(KEYS), st.sampled_from(FIELDS),
              st.sampled_from([b"0.5", b"-1", b"x", b"inf"])),
    st.tuples(st.just("set"), st.sampled_from(KEYS)),
    st.tuples(st.just("del"), st.sampled_from(KEYS)),
)


def _apply_model(model, op):
    """The expected reply (or error message) and new model for one operation."""
    kind, key = op[0], op[1]
    cur = model.get(key)
    if kind == "set":
        model[key] = "string"
        return "OK"
    if kind == "del":
        return 1 if model.pop(key, None) is not None else 0
    if kind == "hincrby" and string2ll(op[3]) is None:
        return errors.NOT_INTEGER  # the increment is parsed before the type check
    if kind == "hincrbyfloat" and op[3] == b"x":
        return errors.NOT_FLOAT
    if kind == "hincrbyfloat" and op[3] == b"inf":
        return errors.VALUE_NAN_OR_INF
    if cur == "string":
        return errors.WRONGTYPE
    h = dict(cur) if cur else {}
    if kind == "hset":
        new = 0
        for f, v in op[2]:
            new += f not in h
            h[f] = v
        model[key] = h
        return new
    if kind == "hsetnx":
        if op[2] in h:
            return 0
        h[op[2]] = op[3]
        model[key] = h
        return 1
    if kind == "hdel":
        n = 0
        for f in op[2]:
            if f in h:
                del h[f]
                n += 1
        if h:
            model[key] = h
        else:
            model.pop(key, None)
        return n
    if kind == "hincrby":
        incr = string2ll(op[3])
        if incr is None:
            return errors.NOT_INTEGER
        old = string2ll(h.get(op[2], b"0"))
        if old is None:
            return errors.HASH_NOT_INTEGER
        v = old + incr
        if v >= 2 ** 63 or v < -2 ** 63:
            return errors.OVERFLOW
        h[op[2]] = b"%d" % v
        model[key] = h
        return v
    return None  # hincrbyfloat: checked through the engine's own helpers


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(op_s, min_size=1, max_size=30))
def test_matches_dict_model(ops):
    e = Engine()
    model: dict = {}
    for op in ops:
        argv = [op[0].upper(), op[1]]
        if op[0] == "hset":
            argv += [x for p in op[2] for x in p]
        elif op[0] == "hdel":
            argv += op[2]
        elif op[0] == "set":
            argv += ["x"]
        elif op[0] != "del":
            argv += list(op[2:])
        before = snapshot(e)
        reply = e.execute(*argv)
        expected = _apply_model(model, op)
        if isinstance(reply, ReplyError):
            assert snapshot(e) == before, op  # a failed command changes nothing
            if expected is not None:
                assert reply.message == expected, (op, reply)
            else:
                model_was = before[0].get(op[1].encode())
                assert model_was is None or model_was[0] in ("hash", "string")
        elif expected is not None:
            assert reply == expected, (op, reply, expected)
        else:  # hincrbyfloat succeeded: adopt the engine's value into the model
            h = dict(model.get(op[1]) or {})
            h[op[2]] = reply
            model[op[1]] = h
        e._check()
        # whole-state comparison
        for k in KEYS:
            m = model.get(k)
            o = e.keyspace(0).get(k.encode())
            if m is None:
                assert o is None
            elif m == "string":
                assert o.type == "string"
            else:
                assert o.type == "hash" and o.val == m and list(o.val) == list(m)
                assert list(e.call("HKEYS", k)) == list(o.val)
                too_big = len(m) > 512 or any(len(x) > 64 for kv in m.items() for x in kv)
                if too_big:
                    assert o.encoding == "hashtable"
