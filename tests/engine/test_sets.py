"""Set commands (lab/engine/sets.py): unit tests and properties against a set model."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, RSet, errors
from lab.engine.util import string2ll


@pytest.fixture
def e():
    return Engine()


def events(e):
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
    return e.keyspace(0)[key.encode()].encoding


def b(*xs):
    return [str(x).encode() for x in xs]


# ----------------------------------------------------------------------------------------
# basics
# ----------------------------------------------------------------------------------------
def test_basic_commands(e):
    assert e.call("SADD", "s", "10", "-1", "2", "10") == 3
    assert e.call("SADD", "s", "2") == 0
    assert e.call("SMEMBERS", "s") == b(-1, 2, 10)  # intset: numeric order
    assert isinstance(e.call("SMEMBERS", "s"), RSet)
    assert e.call("SCARD", "s") == 3 and e.call("SCARD", "nokey") == 0
    assert e.call("SISMEMBER", "s", "2") == 1 and e.call("SISMEMBER", "s", "02") == 0
    assert e.call("SISMEMBER", "nokey", "2") == 0
    assert e.call("SMISMEMBER", "s", "2", "3", "-1") == [1, 0, 1]
    assert e.call("SMISMEMBER", "nokey", "2", "3") == [0, 0]
    assert e.call("SMEMBERS", "nokey") == []
    assert e.call("SREM", "s", "2", "7", "2") == 1
    assert e.call("SREM", "nokey", "2") == 0
    assert e.call("SREM", "s", "10", "-1") == 2
    assert b"s" not in e.keyspace(0)
    e._check()


def test_wrongtype(e):
    e.call("SET", "str", "x")
    e.call("SADD", "s", "1")
    for cmd in (["SADD", "str", "a"], ["SREM", "str", "a"], ["SMEMBERS", "str"],
                ["SISMEMBER", "str", "a"], ["SMISMEMBER", "str", "a"], ["SCARD", "str"],
                ["SPOP", "str"], ["SPOP", "str", "2"], ["SRANDMEMBER", "str"],
                ["SRANDMEMBER", "str", "2"], ["SSCAN", "str", "0"], ["SINTER", "nokey", "str"],
                ["SINTERSTORE", "d", "nokey", "str"], ["SINTERCARD", "2", "nokey", "str"],
                ["SUNION", "s", "str"], ["SDIFF", "nokey", "str"], ["SDIFFSTORE", "d", "s", "str"],
                ["SMOVE", "str", "s", "1"], ["SMOVE", "s", "str", "1"]):
        before = snapshot(e)
        with pytest.raises(ReplyError) as ei:
            e.call(*cmd)
        assert ei.value.message == errors.WRONGTYPE, cmd
        assert snapshot(e) == before
    assert e.call("SMOVE", "nokey", "str", "1") == 0  # missing source: checked first


def test_argument_errors(e):
    e.call("SADD", "s", "1", "2")
    for cmd, msg in ((["SPOP", "s", "x"], errors.MUST_BE_POSITIVE),
                     (["SPOP", "s", "-1"], errors.MUST_BE_POSITIVE),
                     (["SPOP", "s", "1", "2"], errors.SYNTAX),
                     (["SRANDMEMBER", "s", "x"], errors.NOT_INTEGER),
                     (["SRANDMEMBER", "s", "1", "2"], errors.SYNTAX),
                     (["SRANDMEMBER", "s", "-9223372036854775808"],
                      "ERR value is out of range, value must between -9223372036854775807 "
                      "and 9223372036854775807"),
                     (["SINTERCARD", "0", "s"], errors.NUMKEYS_ZERO),
                     (["SINTERCARD", "x", "s"], errors.NUMKEYS_ZERO),
                     (["SINTERCARD", "2", "s"], errors.NUMKEYS_GT_ARGS),
                     (["SINTERCARD", "1", "s", "LIMIT", "-1"], errors.LIMIT_NEGATIVE),
                     (["SINTERCARD", "1", "s", "LIMIT", "x"], errors.LIMIT_NEGATIVE),
                     (["SINTERCARD", "1", "s", "LIMIT"], errors.SYNTAX),
                     (["SINTERCARD", "1", "s", "FOO"], errors.SYNTAX),
                     (["SSCAN", "s", " 0"], errors.INVALID_CURSOR),
                     (["SSCAN", "s", "0", "COUNT", "0"], errors.SYNTAX)):
        before = snapshot(e)
        with pytest.raises(ReplyError) as ei:
            e.call(*cmd)
        assert ei.value.message == msg, cmd
        assert snapshot(e) == before


# ----------------------------------------------------------------------------------------
# encodings
# ----------------------------------------------------------------------------------------
def test_intset_conversions(e):
    e.call("SADD", "s", *range(512))
    assert enc(e, "s") == "intset"
    e.call("SADD", "s", "512")
    assert enc(e, "s") == "hashtable"
    e.call("SREM", "s", *range(1, 513))
    assert enc(e, "s") == "hashtable"  # one way
    e.call("SADD", "i", "-9223372036854775808", "9223372036854775807")
    assert enc(e, "i") == "intset"
    assert e.call("SMEMBERS", "i") == b(-9223372036854775808, 9223372036854775807)
    for m in ("9223372036854775808", "01", "+1", "-0", "1.0", "a", ""):
        e.call("DEL", "k")
        e.call("SADD", "k", "1", m)
        assert enc(e, "k") == "hashtable", m
    e.call("SADD", "w", "abc")
    assert enc(e, "w") == "hashtable"
    e._check()


def test_store_destination_encoding(e):
    e.call("SADD", "big", *range(600))  # hashtable of integers
    e.call("SADD", "small", "1", "2", "700")
    e.call("SADD", "words", "a", "1")
    assert e.call("SINTERSTORE", "d1", "big", "small") == 2
    assert enc(e, "d1") == "intset"
    assert e.call("SUNIONSTORE", "d2", "small", "words") == 4
    assert enc(e, "d2") == "hashtable"
    assert e.call("SDIFFSTORE", "d3", "big", "small") == 598
    assert enc(e, "d3") == "hashtable"  # more than 512 members
    e.call("SREM", "big", *range(10, 600))
    assert e.call("SUNION", "big") == b(*range(10))  # the result fits an intset: sorted
    e.call("CONFIG", "SET", "set-max-intset-entries", "2")
    e.call("SUNIONSTORE", "d4", "small")
    assert enc(e, "d4") == "hashtable"
    e._check()


def test_config_lowered_later_keeps_intsets(e):
    e.call("SADD", "s", *range(10))
    e.call("CONFIG", "SET", "set-max-intset-entries", "3")
    e.call("SREM", "s", "0")
    assert enc(e, "s") == "intset"
    e._check()
    e.call("SADD", "s", "100")
    assert enc(e, "s") == "hashtable"
    e.keyspace(0)[b"s"].enc = "intset"
    e.keyspace(0)[b"s"].val.add(b"x")
    with pytest.raises(AssertionError):
        e._check()


# ----------------------------------------------------------------------------------------
# algebra
# ----------------------------------------------------------------------------------------
def test_algebra(e):
    e.call("SADD", "a", 1, 2, 3, 4)
    e.call("SADD", "b", 3, 4, 5)
    e.call("SADD", "c", "x", 4)
    assert e.call("SINTER", "a", "b") == b(3, 4)
    assert e.call("SINTER", "a", "b", "c") == b(4)
    assert e.call("SINTER", "a", "nokey") == []
    assert e.call("SUNION", "a", "b") == b(1, 2, 3, 4, 5)
    assert sorted(e.call("SUNION", "a", "c")) == sorted(b(1, 2, 3, 4, "x"))
    assert e.call("SDIFF", "a", "b") == b(1, 2)
    assert e.call("SDIFF", "a", "nokey", "c") == b(1, 2, 3)
    assert e.call("SDIFF", "a", "b", "a") == []
    assert e.call("SDIFF", "nokey", "a") == []
    assert e.call("SINTERCARD", "2", "a", "b") == 2
    assert e.call("SINTERCARD", "2", "a", "b", "LIMIT", "1") == 1
    assert e.call("SINTERCARD", "2", "a", "nokey") == 0
    assert e.call("SINTERSTORE", "a", "a", "b") == 2  # destination is a source
    assert e.call("SMEMBERS", "a") == b(3, 4)


def test_store_events_dirty_ttl(e):
    ev = events(e)
    e.call("SADD", "a", 1, 2)
    e.call("SET", "d", "x")
    e.call("EXPIRE", "d", "100")
    ev.clear()
    d0 = e.dirty
    assert e.call("SUNIONSTORE", "d", "a") == 2
    assert e.call("TTL", "d") == -1 and e.call("TYPE", "d") == "set"
    assert ev == [("sunionstore", b"d")] and e.dirty == d0 + 1
    assert e.call("SINTERSTORE", "d", "a", "nokey") == 0
    assert b"d" not in e.keyspace(0)
    assert ev[-1] == ("del", b"d") and e.dirty == d0 + 2
    assert e.call("SDIFFSTORE", "d", "a", "a") == 0  # nothing to delete: no event
    assert len(ev) == 2 and e.dirty == d0 + 2
    assert e.call("SDIFFSTORE", "d", "a") == 2
    assert ev[-1] == ("sdiffstore", b"d")
    assert e.call("SINTERSTORE", "d2", "a", "a") == 2
    assert ev[-1] == ("sinterstore", b"d2")


def test_sadd_srem_events_and_dirty(e):
    ev = events(e)
    d0 = e.dirty
    e.call("SADD", "s", "a", "b")
    e.call("SADD", "s", "a")  # nothing added: no event
    e.call("SREM", "s", "zz")
    e.call("SREM", "s", "a", "b")
    assert ev == [("sadd", b"s"), ("srem", b"s"), ("del", b"s")]
    assert e.dirty == d0 + 4


def test_smove(e):
    ev = events(e)
    e.call("SADD", "a", "1", "x")
    e.call("SADD", "b", "1")
    ev.clear()
    d0 = e.dirty
    assert e.call("SMOVE", "a", "b", "1") == 1  # already in b: only removed from a
    assert ev == [("srem", b"a")] and e.dirty == d0 + 1
    assert e.call("SMOVE", "a", "b", "zz") == 0
    assert e.call("SMOVE", "a", "a", "x") == 1 and e.call("SMOVE", "a", "a", "zz") == 0
    assert e.call("SMOVE", "a", "new", "x") == 1
    assert ev[1:] == [("srem", b"a"), ("del", b"a"), ("sadd", b"new")]
    assert e.dirty == d0 + 3
    assert enc(e, "new") == "hashtable"
    e.call("SADD", "i", "5")
    e.call("SMOVE", "i", "j", "5")
    assert enc(e, "j") == "intset"
    e.call("SMOVE", "j", "new", "5")
    assert enc(e, "new") == "hashtable" and e.call("SCARD", "new") == 2


def test_smove_touches_both_watched_keys(e):
    e.call("SADD", "a", "1", "2")
    for watched in ("a", "b"):
        c = e.client()
        c.call("WATCH", watched)
        c.call("MULTI")
        c.call("SCARD", "a")
        e.call("SMOVE", "a", "b", "1" if watched == "a" else "2")
        assert not c.call("EXEC")


# ----------------------------------------------------------------------------------------
# SPOP / SRANDMEMBER
# ----------------------------------------------------------------------------------------
def test_spop(e):
    ev = events(e)
    prop = propagated(e)
    e.call("SADD", "s", *range(10))
    x = e.call("SPOP", "s")
    assert x in b(*range(10)) and e.call("SISMEMBER", "s", x) == 0
    assert prop[-1] == [b"SREM", b"s", x]
    d0 = e.dirty
    got = e.call("SPOP", "s", "3")
    assert isinstance(got, RSet) and len(set(got)) == 3 and e.call("SCARD", "s") == 6
    assert prop[-1] == [b"SREM", b"s", *got] and e.dirty == d0 + 3
    rest = e.call("SMEMBERS", "s")
    assert e.call("SPOP", "s", "100") == rest  # everything, in intset order
    assert prop[-1] == [b"DEL", b"s"]
    assert b"s" not in e.keyspace(0)
    assert e.call("SPOP", "s") is None and e.call("SPOP", "s", "2") == []
    assert ("spop", b"s") in ev and ev[-1] == ("del", b"s")
    e.call("SADD", "one", "x")
    assert e.call("SPOP", "one") == b"x" and b"one" not in e.keyspace(0)
    e.call("SADD", "z", "1")
    assert e.call("SPOP", "z", "0") == [] and e.call("SCARD", "z") == 1
    e._check()


def test_srandmember(e):
    e.call("SADD", "s", *range(10))
    full = set(b(*range(10)))
    assert e.call("SRANDMEMBER", "s") in full
    assert e.call("SRANDMEMBER", "nokey") is None
    assert e.call("SRANDMEMBER", "nokey", "5") == []
    assert e.call("SRANDMEMBER", "s", "0") == []
    assert e.call("SRANDMEMBER", "s", "10") == b(*range(10))
    assert e.call("SRANDMEMBER", "s", "100") == b(*range(10))
    for n in range(1, 10):
        got = e.call("SRANDMEMBER", "s", n)
        assert len(set(got)) == n and set(got) <= full
    got = e.call("SRANDMEMBER", "s", "-30")
    assert len(got) == 30 and set(got) <= full
    assert e.call("SCARD", "s") == 10


def test_random_commands_are_seeded():
    a, bb = Engine(seed=3), Engine(seed=3)
    for x in (a, bb):
        x.call("SADD", "s", *[f"m{i}" for i in range(100)])
        x.call("SADD", "i", *range(100))
    for _ in range(5):
        for k in ("s", "i"):
            assert a.call("SRANDMEMBER", k, "5") == bb.call("SRANDMEMBER", k, "5")
            assert a.call("SPOP", k) == bb.call("SPOP", k)
            assert a.call("SPOP", k, "3") == bb.call("SPOP", k, "3")
    assert a.call("SMEMBERS", "s") == bb.call("SMEMBERS", "s")


def test_sscan(e):
    e.call("SADD", "s", "10", "2", "-3")
    assert e.call("SSCAN", "s", "5") == [b"0", b(-3, 2, 10)]
    assert e.call("SSCAN", "s", "0", "MATCH", "1*") == [b"0", b(10)]
    assert e.call("SSCAN", "nokey", "0") == [b"0", []]
    e.call("SADD", "w", *[f"m{i}" for i in range(1000)])
    stable = {f"m{i}".encode() for i in range(0, 1000, 2)}
    seen, cursor, step = set(), b"0", 0
    while True:
        cursor, items = e.call("SSCAN", "w", cursor, "COUNT", "30")
        seen |= set(items)
        step += 1
        if step == 3:
            e.call("SADD", "w", *[f"n{i}" for i in range(3000)])
        if step == 8:
            e.call("SREM", "w", *[f"m{i}" for i in range(1, 1000, 2)])
        if cursor == b"0":
            break
    assert stable <= seen


# ----------------------------------------------------------------------------------------
# properties against a Python set model
# ----------------------------------------------------------------------------------------
KEYS = ["a", "b", "c"]
MEMBERS = [b"1", b"2", b"-3", b"10", b"x", b"y", b"01", b""]

op_s = st.one_of(
    st.tuples(st.just("SADD"), st.sampled_from(KEYS),
              st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=4)),
    st.tuples(st.just("SREM"), st.sampled_from(KEYS),
              st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=4)),
    st.tuples(st.just("SMOVE"), st.sampled_from(KEYS), st.sampled_from(KEYS),
              st.sampled_from(MEMBERS)),
    st.tuples(st.sampled_from(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
              st.sampled_from(KEYS), st.lists(st.sampled_from([*KEYS, "nokey"]), min_size=1,
                                              max_size=3)),
    st.tuples(st.sampled_from(["SINTER", "SUNION", "SDIFF"]),
              st.lists(st.sampled_from([*KEYS, "nokey"]), min_size=1, max_size=3)),
    st.tuples(st.just("SPOP"), st.sampled_from(KEYS), st.sampled_from([None, b"0", b"2", b"-1"])),
    st.tuples(st.just("SRANDMEMBER"), st.sampled_from(KEYS),
              st.sampled_from([None, b"0", b"2", b"-3", b"50"])),
    st.tuples(st.just("SET"), st.sampled_from(KEYS)),
    st.tuples(st.just("DEL"), st.sampled_from(KEYS)),
)


def _argv(op):
    name = op[0]
    if name in ("SADD", "SREM"):
        return [name, op[1], *op[2]]
    if name == "SMOVE":
        return list(op)
    if name.endswith("STORE"):
        return [name, op[1], *op[2]]
    if name in ("SINTER", "SUNION", "SDIFF"):
        return [name, *op[1]]
    if name in ("SPOP", "SRANDMEMBER"):
        return [name, op[1]] + ([op[2]] if op[2] is not None else [])
    if name == "SET":
        return ["SET", op[1], "x"]
    return ["DEL", op[1]]


def _expect_combine(model, name, keys):
    if any(model.get(k) == "string" for k in keys):
        return errors.WRONGTYPE
    sets = [model.get(k) or set() for k in keys]
    if name.startswith("SINTER"):
        out = set(sets[0])
        for s in sets[1:]:
            out &= s
    elif name.startswith("SUNION"):
        out = set().union(*sets)
    else:
        out = set(sets[0])
        for s in sets[1:]:
            out -= s
    return out


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(op_s, min_size=1, max_size=30))
def test_matches_set_model(ops):
    e = Engine()
    model: dict = {}
    for op in ops:
        name = op[0]
        before = snapshot(e)
        reply = e.execute(*_argv(op))
        if isinstance(reply, ReplyError):
            assert snapshot(e) == before, op
        if name == "SET":
            model[op[1]] = "string"
        elif name == "DEL":
            model.pop(op[1], None)
        elif name in ("SADD", "SREM"):
            cur = model.get(op[1])
            if cur == "string":
                assert reply == ReplyError(errors.WRONGTYPE)
            else:
                s = set(cur or ())
                n0 = len(s)
                if name == "SADD":
                    s |= set(op[2])
                    assert reply == len(s) - n0
                else:
                    s -= set(op[2])
                    assert reply == n0 - len(s)
                if s:
                    model[op[1]] = s
                else:
                    model.pop(op[1], None)
        elif name == "SMOVE":
            src, dst, m = op[1], op[2], op[3]
            if src not in model:
                assert reply == 0
            elif model[src] == "string" or model.get(dst) == "string":
                assert reply == ReplyError(errors.WRONGTYPE)
            elif src == dst:
                assert reply == (1 if m in model[src] else 0)
            elif m not in model[src]:
                assert reply == 0
            else:
                assert reply == 1
                model[src] = model[src] - {m}
                if not model[src]:
                    del model[src]
                model[dst] = set(model.get(dst) or ()) | {m}
        elif name.endswith("STORE"):
            out = _expect_combine(model, name, op[2])
            if out == errors.WRONGTYPE:
                assert reply == ReplyError(out)
            else:
                assert reply == len(out)
                if out:
                    model[op[1]] = out
                else:
                    model.pop(op[1], None)
        elif name in ("SINTER", "SUNION", "SDIFF"):
            out = _expect_combine(model, name, op[1])
            if out == errors.WRONGTYPE:
                assert reply == ReplyError(out)
            else:
                assert sorted(reply) == sorted(out) and len(reply) == len(out)
                if all(string2ll(m) is not None for m in out) and name != "SINTER":
                    assert reply == sorted(out, key=int)  # intset-able result: sorted
        elif name == "SPOP":
            cur = model.get(op[1])
            if cur == "string":
                assert reply == ReplyError(errors.WRONGTYPE) or op[2] == b"-1"
            elif op[2] == b"-1":
                assert reply == ReplyError(errors.MUST_BE_POSITIVE)
            elif cur is None:
                assert reply == ([] if op[2] is not None else None)
            else:
                popped = [reply] if op[2] is None else list(reply)
                assert len(popped) == len(set(popped)) <= len(cur)
                assert set(popped) <= cur
                if op[2] is not None:
                    assert len(popped) == min(int(op[2]), len(cur))
                rest = cur - set(popped)
                if rest:
                    model[op[1]] = rest
                else:
                    model.pop(op[1], None)
        elif name == "SRANDMEMBER":
            cur = model.get(op[1])
            if cur == "string":
                assert reply == ReplyError(errors.WRONGTYPE)
            elif cur is None:
                assert reply == ([] if op[2] is not None else None)
            elif op[2] is None:
                assert reply in cur
            else:
                n = int(op[2])
                assert set(reply) <= cur
                if n >= 0:
                    assert len(reply) == len(set(reply)) == min(n, len(cur))
                else:
                    assert len(reply) == -n
        e._check()
        for k in KEYS:
            m = model.get(k)
            o = e.keyspace(0).get(k.encode())
            if m is None:
                assert o is None, (k, o)
            elif m == "string":
                assert o.type == "string"
            else:
                assert o.type == "set" and o.val == m
                if o.encoding == "intset":
                    assert e.call("SMEMBERS", k) == sorted(m, key=int)
                if any(string2ll(x) is None for x in m):
                    assert o.encoding == "hashtable"
