"""Unit and property tests of the list commands (lab/engine/lists.py)."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import NULL_ARRAY, Engine, ReplyError
from lab.engine import errors as E
from lab.engine.db import NOTIFY_GENERIC, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_LIST
from lab.engine.lists import LIST_HEAD, BlockRequest, parse_timeout_ms, would_block
from lab.engine.objects import OBJ_STRING


@pytest.fixture
def e():
    return Engine()


def events_of(e):
    """Record keyevent notifications as (event, key)."""
    got = []
    e.notify_flags = NOTIFY_KEYSPACE | NOTIFY_KEYEVENT | NOTIFY_LIST | NOTIFY_GENERIC
    e.publish = lambda ch, msg: got.append((ch.split(b":", 1)[1].decode(), msg)) \
        if ch.startswith(b"__keyevent") else None
    return got


def propagated(e):
    out = []
    e.propagate_listeners.append(lambda dbid, argv: out.append(list(argv)))
    return out


def make_string(e, key=b"s"):
    e.default_client.db.add(key, e.new_object(OBJ_STRING, None, b"v"))


def err(e, *args) -> str:
    r = e.execute(*args)
    assert isinstance(r, ReplyError), (args, r)
    return r.message


# -- basics -------------------------------------------------------------------------------
def test_push_pop_order_and_value_representation(e):
    assert e.call("LPUSH", "l", "a", "b", "c") == 3
    assert e.call("RPUSH", "l", "d") == 4
    o = e.keyspace()[b"l"]
    assert o.type == "list" and o.encoding == "quicklist" and isinstance(o.val, deque)
    assert list(o.val) == [b"c", b"b", b"a", b"d"]
    assert e.call("LPOP", "l") == b"c"
    assert e.call("RPOP", "l") == b"d"
    assert e.call("LPOP", "l", 5) == [b"b", b"a"]
    assert b"l" not in e.keyspace()
    assert e.call("LPOP", "l") is None
    assert e.execute("LPOP", "l", 1) is NULL_ARRAY


def test_rpop_count_replies_from_the_tail(e):
    e.call("RPUSH", "l", 1, 2, 3, 4)
    assert e.call("RPOP", "l", 3) == [b"4", b"3", b"2"]
    assert e.call("LPOP", "l", 0) == []
    assert e.call("LRANGE", "l", 0, -1) == [b"1"]


def test_pushx_needs_existing_list(e):
    assert e.call("LPUSHX", "l", "a") == 0
    assert e.call("RPUSHX", "l", "a", "b") == 0
    assert b"l" not in e.keyspace()
    e.call("RPUSH", "l", "x")
    assert e.call("LPUSHX", "l", "a", "b") == 3
    assert e.call("LRANGE", "l", 0, -1) == [b"b", b"a", b"x"]


def test_error_texts_and_order(e):
    make_string(e)
    assert err(e, "LPUSH", "s", "a") == E.WRONGTYPE
    assert err(e, "LPOP", "l", "-1") == E.MUST_BE_POSITIVE
    assert err(e, "LPOP", "l", "x") == E.MUST_BE_POSITIVE  # the message, also for non-ints
    assert err(e, "LPOP", "l", "1", "2") == "ERR wrong number of arguments for 'lpop' command"
    assert err(e, "LSET", "nokey", "x", "v") == E.NO_SUCH_KEY  # lookup before parsing
    assert err(e, "LRANGE", "s", "x", 0) == E.NOT_INTEGER  # parsing before lookup
    assert e.call("LINDEX", "nokey", "x") is None
    assert err(e, "LINDEX", "s", "x") == E.WRONGTYPE
    assert err(e, "LINSERT", "nokey", "MIDDLE", "a", "b") == E.SYNTAX
    assert err(e, "LPOS", "l", "a", "RANK", "0") == E.LPOS_RANK_ZERO
    assert err(e, "LPOS", "l", "a", "COUNT", "-1") == E.LPOS_COUNT_NEGATIVE
    assert err(e, "LPOS", "l", "a", "MAXLEN", "x") == E.LPOS_MAXLEN_NEGATIVE
    assert err(e, "LMPOP", "0", "a", "LEFT") == E.NUMKEYS_ZERO
    assert err(e, "LMPOP", "1", "a", "LEFT", "COUNT", "0") == E.COUNT_GREATER_THAN_ZERO
    assert err(e, "LMPOP", "2", "a", "LEFT") == E.SYNTAX
    assert err(e, "BLPOP", "a", "x") == E.TIMEOUT_NOT_FLOAT
    assert err(e, "BLPOP", "a", "-1") == E.TIMEOUT_NEGATIVE
    e.call("RPUSH", "l", "a")
    assert err(e, "LSET", "l", "1", "v") == E.INDEX_OUT_OF_RANGE


def test_lrange_lindex_from_both_ends(e):
    e.call("RPUSH", "l", *range(1000))
    assert e.call("LRANGE", "l", 995, 2000) == [b"995", b"996", b"997", b"998", b"999"]
    assert e.call("LRANGE", "l", 2, 4) == [b"2", b"3", b"4"]
    assert e.call("LRANGE", "l", -3, -2) == [b"997", b"998"]
    assert e.call("LRANGE", "l", -5000, 1) == [b"0", b"1"]
    assert e.call("LRANGE", "l", 5, 4) == []
    assert e.call("LINDEX", "l", -1) == b"999"
    assert e.call("LINDEX", "l", 500) == b"500"
    assert e.call("LINDEX", "l", 1000) is None


def test_ltrim_both_strategies_and_delete(e):
    e.call("RPUSH", "l", *range(10))
    assert e.call("LTRIM", "l", 1, -2) == "OK"  # few removed: pops
    assert e.call("LRANGE", "l", 0, -1) == [str(i).encode() for i in range(1, 9)]
    assert e.call("LTRIM", "l", 3, 3) == "OK"  # many removed: rebuild
    assert e.call("LRANGE", "l", 0, -1) == [b"4"]
    e._check()
    assert e.call("LTRIM", "l", 1, 0) == "OK"
    assert b"l" not in e.keyspace()


def test_lrem_directions(e):
    e.call("RPUSH", "l", "a", "b", "a", "c", "a")
    assert e.call("LREM", "l", -2, "a") == 2
    assert e.call("LRANGE", "l", 0, -1) == [b"a", b"b", b"c"]
    assert e.call("LREM", "l", 1, "zz") == 0
    assert e.call("LREM", "l", 0, "a") == 1
    e.call("LREM", "l", 0, "b")
    e.call("LREM", "l", 0, "c")
    assert b"l" not in e.keyspace()


def test_linsert_and_lpos(e):
    e.call("RPUSH", "l", "a", "b", "a")
    assert e.call("LINSERT", "l", "AFTER", "a", "x") == 4
    assert e.call("LINSERT", "l", "before", "b", "y") == 5
    assert e.call("LINSERT", "l", "before", "q", "y") == -1
    assert e.call("LRANGE", "l", 0, -1) == [b"a", b"x", b"y", b"b", b"a"]
    assert e.call("LPOS", "l", "a") == 0
    assert e.call("LPOS", "l", "a", "RANK", -1) == 4
    assert e.call("LPOS", "l", "a", "COUNT", 0) == [0, 4]
    assert e.call("LPOS", "l", "a", "COUNT", 0, "RANK", -1) == [4, 0]
    assert e.call("LPOS", "l", "a", "MAXLEN", 4, "COUNT", 0) == [0]
    assert e.call("LPOS", "l", "zz") is None
    assert e.call("LPOS", "l", "zz", "COUNT", 1) == []
    # -LLONG_MIN overflows in C: every match from the tail, COUNT ignored
    assert e.call("LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", 1) == [4, 0]


def test_lmove_same_key_rotates(e):
    e.call("RPUSH", "l", 1, 2, 3)
    assert e.call("LMOVE", "l", "l", "LEFT", "RIGHT") == b"1"
    assert e.call("RPOPLPUSH", "l", "l") == b"1"
    assert e.call("LRANGE", "l", 0, -1) == [b"1", b"2", b"3"]
    e.call("LTRIM", "l", 0, 0)
    assert e.call("LMOVE", "l", "l", "RIGHT", "LEFT") == b"1"
    assert e.call("LRANGE", "l", 0, -1) == [b"1"]
    e._check()


def test_lmove_wrongtype_destination_leaves_source(e):
    make_string(e, b"d")
    e.call("RPUSH", "l", 1)
    assert err(e, "LMOVE", "l", "d", "LEFT", "LEFT") == E.WRONGTYPE
    assert err(e, "BRPOPLPUSH", "l", "d", 0) == E.WRONGTYPE
    assert e.call("LRANGE", "l", 0, -1) == [b"1"]


# -- keyspace events, dirty, propagation, WATCH ---------------------------------------------
def test_events(e):
    got = events_of(e)
    e.call("RPUSH", "l", 1, 2, 3)
    e.call("LPUSH", "l", 0)
    e.call("LPUSHX", "l", 9)
    e.call("LSET", "l", 0, "z")
    e.call("LINSERT", "l", "BEFORE", "z", "y")
    e.call("LREM", "l", 1, "y")
    e.call("LTRIM", "l", 0, -1)
    e.call("LPOP", "l")
    e.call("RPOP", "l", 2)
    e.call("LMOVE", "l", "m", "LEFT", "RIGHT")
    e.call("RPOPLPUSH", "m", "l")
    e.call("BLPOP", "l", 0)
    assert got == [
        ("rpush", b"l"), ("lpush", b"l"), ("lpush", b"l"), ("lset", b"l"), ("linsert", b"l"),
        ("lrem", b"l"), ("ltrim", b"l"), ("lpop", b"l"), ("rpop", b"l"),
        ("rpush", b"m"), ("lpop", b"l"), ("lpush", b"l"), ("rpop", b"m"), ("del", b"m"),
        ("lpop", b"l"),
    ]
    got.clear()
    e.call("RPUSH", "a", 1, 2)
    e.call("LMPOP", 1, "a", "RIGHT", "COUNT", 5)
    e.call("LREM", "nokey", 0, "a")
    e.call("LTRIM", "nokey", 0, 1)
    assert got == [("rpush", b"a"), ("rpop", b"a"), ("del", b"a")]


def test_dirty_counts(e):
    d0 = e.dirty
    e.call("RPUSH", "l", 1, 2, 3, 4, 5)
    assert e.dirty - d0 == 5
    e.call("LPOP", "l", 2)
    assert e.dirty - d0 == 7
    e.call("LTRIM", "l", 0, -1)  # nothing removed
    assert e.dirty - d0 == 7
    e.call("LTRIM", "l", 1, 1)
    assert e.dirty - d0 == 9
    e.call("LPUSHX", "nokey", 1)
    e.call("LREM", "l", 0, "zz")
    assert e.dirty - d0 == 9


def test_propagation_rewrites(e):
    out = propagated(e)
    e.call("RPUSH", "a", 1, 2, 3)
    e.call("BLPOP", "nokey", "a", 0)
    e.call("BRPOP", "a", "1.5")
    e.call("RPUSH", "b", 1, 2, 3)
    e.call("BLMPOP", 0, 2, "x", "b", "LEFT", "COUNT", 10)
    e.call("RPUSH", "b", 1, 2, 3)
    e.call("LMPOP", 1, "b", "right", "COUNT", 2)
    e.call("BLMOVE", "b", "c", "left", "RIGHT", 0)
    e.call("RPUSH", "b", 7)
    e.call("BRPOPLPUSH", "b", "c", 0)
    e.call("LMPOP", 1, "nokey", "LEFT")  # nothing: not propagated
    e.call("LMOVE", "c", "d", "LEFT", "LEFT")
    assert out == [
        [b"RPUSH", b"a", b"1", b"2", b"3"], [b"LPOP", b"a"], [b"RPOP", b"a"],
        [b"RPUSH", b"b", b"1", b"2", b"3"], [b"LPOP", b"b", b"3"],
        [b"RPUSH", b"b", b"1", b"2", b"3"], [b"RPOP", b"b", b"2"],
        [b"LMOVE", b"b", b"c", b"left", b"RIGHT"], [b"RPUSH", b"b", b"7"],
        [b"RPOPLPUSH", b"b", b"c"], [b"LMOVE", b"c", b"d", b"LEFT", b"LEFT"],
    ]


def test_writes_touch_watch(e):
    c = e.client()
    e.call("RPUSH", "l", 1)
    c.call("WATCH", "l")
    e.call("LRANGE", "l", 0, -1)
    e.call("LREM", "l", 1, "zz")  # no change: no signal
    c.call("MULTI")
    c.call("LLEN", "l")
    assert c.call("EXEC") == [1]
    c.call("WATCH", "l")
    e.call("LSET", "l", 0, "x")
    c.call("MULTI")
    c.call("LLEN", "l")
    assert c.call("EXEC") is NULL_ARRAY


def test_keyspace_hits_and_misses(e):
    e.call("RPUSH", "l", 1)
    h, m = e.stat_keyspace_hits, e.stat_keyspace_misses
    e.call("LRANGE", "l", 0, -1)
    e.call("LLEN", "nokey")
    e.call("LPOP", "nokey")  # write lookups do not count
    assert (e.stat_keyspace_hits - h, e.stat_keyspace_misses - m) == (1, 1)


# -- blocking -----------------------------------------------------------------------------
def test_blocking_served_like_non_blocking(e):
    e.call("RPUSH", "b", "x", "y")
    assert e.call("BLPOP", "a", "b", 0) == [b"b", b"x"]
    assert e.call("BLMPOP", 0, 2, "a", "b", "RIGHT", "COUNT", 9) == [b"b", [b"y"]]
    assert b"b" not in e.keyspace()


def test_blocking_nothing_to_serve_answers_null(e):
    assert e.execute("BLPOP", "a", 0) is NULL_ARRAY
    assert e.execute("BRPOP", "a", "b", 1) is NULL_ARRAY
    assert e.execute("BLMPOP", 0, 1, "a", "LEFT") is NULL_ARRAY
    assert e.call("BLMOVE", "a", "b", "LEFT", "LEFT", 0) is None
    assert e.call("BRPOPLPUSH", "a", "b", 0) is None
    assert e.keyspace() == {}


def test_would_block_is_one_branch():
    e = Engine()
    req = BlockRequest("blpop", [b"k"], LIST_HEAD, 0, NULL_ARRAY)
    assert would_block(e.default_client, req) is NULL_ARRAY
    assert BlockRequest.TIMEOUT_REPLY is NULL_ARRAY
    assert "blpop" in repr(req)


@pytest.mark.parametrize("text,ms", [
    ("0", 0), ("1", 1000), ("1.5", 1500), (".5", 500), ("5.", 5000), ("+2", 2000),
    ("0x10", 16000), ("1e3", 1000000), ("-0.0009", 0), ("0.0009", 0), ("-0", 0),
    ("1e-4940", 0), ("0e999999999999", 0), ("9223372036854775", 9223372036854775000),
    ("9223372036854775.806640625", 9223372036854775806),
])
def test_timeout_values(text, ms):
    assert parse_timeout_ms(text.encode()) == ms


@pytest.mark.parametrize("text,msg", [
    ("x", E.TIMEOUT_NOT_FLOAT), ("", E.TIMEOUT_NOT_FLOAT), (" 1", E.TIMEOUT_NOT_FLOAT),
    ("1 ", E.TIMEOUT_NOT_FLOAT), ("nan", E.TIMEOUT_NOT_FLOAT), ("1\x00", E.TIMEOUT_NOT_FLOAT),
    ("1e5000", E.TIMEOUT_NOT_FLOAT), ("1e-5000", E.TIMEOUT_NOT_FLOAT),
    ("0" * 5120, E.TIMEOUT_NOT_FLOAT), ("0x1p99999", E.TIMEOUT_NOT_FLOAT),
    ("-1", E.TIMEOUT_NEGATIVE), ("-0.001", 0), ("inf", E.TIMEOUT_NEGATIVE),
    ("-infinity", E.TIMEOUT_NEGATIVE), ("1e30", E.TIMEOUT_NEGATIVE), ("1e4932", E.TIMEOUT_NEGATIVE),
    ("9223372036854775.8076171875", E.TIMEOUT_NEGATIVE), ("9223372036854776", E.TIMEOUT_NEGATIVE),
])
def test_timeout_errors(text, msg):
    if msg == 0:
        assert parse_timeout_ms(text.encode()) == 0
        return
    with pytest.raises(ReplyError) as ei:
        parse_timeout_ms(text.encode())
    assert ei.value.message == msg


def test_blocking_timeout_parsed_before_keys(e):
    make_string(e)
    assert err(e, "BLPOP", "s", "x") == E.TIMEOUT_NOT_FLOAT
    assert err(e, "BLPOP", "nokey", "s", "0") == E.WRONGTYPE
    e.call("RPUSH", "l", 1)
    assert e.call("BLPOP", "l", "s", 0) == [b"l", b"1"]  # served before reaching "s"


# -- property test against a Python list model --------------------------------------------
KEYS = [b"a", b"b", b"c"]


class Model:
    def __init__(self):
        self.d: dict[bytes, list[bytes]] = {}

    def get(self, k):
        return self.d.get(k, [])

    def put(self, k, v):
        if v:
            self.d[k] = v
        else:
            self.d.pop(k, None)

    @staticmethod
    def norm(n, i):
        return i + n if i < 0 else i

    def apply(self, cmd):
        name, k = cmd[0], cmd[1]
        lst = list(self.get(k)) if isinstance(k, bytes) else []
        n = len(lst)
        if name in ("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"):
            if name.endswith("X") and not lst:
                return 0
            for x in cmd[2:]:
                if name[0] == "L":
                    lst.insert(0, x)
                else:
                    lst.append(x)
            self.put(k, lst)
            return len(lst)
        if name in ("LPOP", "RPOP"):
            if len(cmd) == 2:
                if not lst:
                    return None
                v = lst.pop(0) if name == "LPOP" else lst.pop()
                self.put(k, lst)
                return v
            if not lst:
                return NULL_ARRAY
            cnt = cmd[2]
            out = lst[:cnt] if name == "LPOP" else lst[::-1][:cnt]
            rest = lst[cnt:] if name == "LPOP" else lst[:max(n - cnt, 0)]
            self.put(k, rest)
            return out
        if name == "LLEN":
            return n
        if name == "LINDEX":
            i = self.norm(n, cmd[2])
            return lst[i] if 0 <= i < n else None
        if name == "LSET":
            if not lst:
                return ReplyError(E.NO_SUCH_KEY)
            i = self.norm(n, cmd[2])
            if not 0 <= i < n:
                return ReplyError(E.INDEX_OUT_OF_RANGE)
            lst[i] = cmd[3]
            self.put(k, lst)
            return "OK"
        if name in ("LRANGE", "LTRIM"):
            s, t = max(self.norm(n, cmd[2]), 0), self.norm(n, cmd[3])
            part = lst[s:t + 1] if s <= t else []
            if name == "LRANGE":
                return part
            if lst:
                self.put(k, part)
            return "OK"
        if name == "LREM":
            cnt, x = cmd[2], cmd[3]
            idx = [i for i, y in enumerate(lst) if y == x]
            if cnt < 0:
                idx = idx[::-1][:-cnt]
            elif cnt > 0:
                idx = idx[:cnt]
            for i in sorted(idx, reverse=True):
                del lst[i]
            self.put(k, lst)
            return len(idx)
        if name == "LINSERT":
            if not lst:
                return 0
            if cmd[3] not in lst:
                return -1
            i = lst.index(cmd[3]) + (cmd[2] == "AFTER")
            lst.insert(i, cmd[4])
            self.put(k, lst)
            return len(lst)
        if name == "LPOS":
            rank, count, maxlen = cmd[3], cmd[4], cmd[5]
            order = list(range(n)) if rank > 0 else list(range(n - 1, -1, -1))
            if maxlen:
                order = order[:maxlen]
            hits = [i for i in order if lst[i] == cmd[2]][abs(rank) - 1:]
            if count is None:
                return hits[0] if hits else None
            return hits if count == 0 else hits[:count]
        if name in ("LMOVE", "BLMOVE"):
            dst, wf, wt = cmd[2], cmd[3], cmd[4]
            if not lst:
                return None
            v = lst.pop(0) if wf == "LEFT" else lst.pop()
            self.put(k, lst)
            dl = list(self.get(dst))
            if wt == "LEFT":
                dl.insert(0, v)
            else:
                dl.append(v)
            self.put(dst, dl)
            return v
        if name in ("LMPOP", "BLPOP"):
            keys, where, cnt = cmd[1], cmd[2], cmd[3]
            for key in keys:
                kl = list(self.get(key))
                if kl:
                    if where == "RIGHT":
                        kl.reverse()
                    take = kl[:cnt] if cnt else kl[:1]
                    rest = kl[len(take):]
                    if where == "RIGHT":
                        rest.reverse()
                    self.put(key, rest)
                    return [key, take] if cnt else [key, take[0]]
            return NULL_ARRAY
        raise AssertionError(cmd)


val_s = st.sampled_from([b"x", b"y", b"z"])
key_s = st.sampled_from(KEYS)
idx_s = st.integers(-8, 8)


@st.composite
def model_cmd(draw):
    k = draw(key_s)
    kind = draw(st.integers(0, 13))
    if kind == 0:
        name = draw(st.sampled_from(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]))
        return [name, k, *draw(st.lists(val_s, min_size=1, max_size=5))]
    if kind == 1:
        return [draw(st.sampled_from(["LPOP", "RPOP"])), k]
    if kind == 2:
        return [draw(st.sampled_from(["LPOP", "RPOP"])), k, draw(st.integers(0, 6))]
    if kind == 3:
        return ["LLEN", k]
    if kind == 4:
        return ["LINDEX", k, draw(idx_s)]
    if kind == 5:
        return ["LSET", k, draw(idx_s), draw(val_s)]
    if kind == 6:
        return [draw(st.sampled_from(["LRANGE", "LTRIM"])), k, draw(idx_s), draw(idx_s)]
    if kind == 7:
        return ["LREM", k, draw(st.integers(-3, 3)), draw(val_s)]
    if kind == 8:
        return ["LINSERT", k, draw(st.sampled_from(["BEFORE", "AFTER"])), draw(val_s),
                draw(val_s)]
    if kind == 9:
        rank = draw(st.sampled_from([1, 2, -1, -2]))
        count = draw(st.sampled_from([None, 0, 1, 2]))
        return ["LPOS", k, draw(val_s), rank, count, draw(st.integers(0, 4))]
    if kind == 10:
        return [draw(st.sampled_from(["LMOVE", "BLMOVE"])), k, draw(key_s),
                draw(st.sampled_from(["LEFT", "RIGHT"])), draw(st.sampled_from(["LEFT", "RIGHT"]))]
    if kind == 11:
        return ["LMPOP", draw(st.lists(key_s, min_size=1, max_size=3)),
                draw(st.sampled_from(["LEFT", "RIGHT"])), draw(st.integers(1, 4))]
    return ["BLPOP", draw(st.lists(key_s, min_size=1, max_size=3)),
            draw(st.sampled_from(["LEFT", "RIGHT"])), None]


def to_argv(cmd):
    name = cmd[0]
    if name == "LPOS":
        argv = ["LPOS", cmd[1], cmd[2], "RANK", cmd[3], "MAXLEN", cmd[5]]
        if cmd[4] is not None:
            argv += ["COUNT", cmd[4]]
        return argv
    if name == "BLMOVE":
        return [*cmd, "0"]
    if name == "LMPOP":
        return ["LMPOP", len(cmd[1]), *cmd[1], cmd[2], "COUNT", cmd[3]]
    if name == "BLPOP":
        return ["BLPOP" if cmd[2] == "LEFT" else "BRPOP", *cmd[1], "0"]
    return cmd


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(model_cmd(), max_size=40))
def test_matches_python_list_model(cmds):
    e = Engine()
    m = Model()
    for cmd in cmds:
        want = m.apply(cmd)
        got = e.execute(*to_argv(cmd))
        assert got == want or (got is NULL_ARRAY and want is NULL_ARRAY), (cmd, got, want)
        e._check()
        assert {k: list(o.val) for k, o in e.keyspace().items()} == m.d, cmd
