"""String commands in the engine (lab/engine/strings.py): unit and property tests."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, errors
from lab.engine.reply import NULL_ARRAY, OK
from lab.engine.strings import ld_format, ld_parse, ld_round


@pytest.fixture
def e():
    return Engine()


def events_engine():
    """An engine with every keyspace event on; returns (engine, list of (channel, msg))."""
    e = Engine(config={"notify-keyspace-events": "KEA"})
    got: list[tuple[bytes, bytes]] = []
    e.publish = lambda ch, msg: got.append((ch, msg))
    return e, got


def keyevents(got):
    return [(ch.split(b":", 1)[1].decode(), msg) for ch, msg in got if ch.startswith(b"__keyevent")]


def propagated(e):
    out: list[list[bytes]] = []
    e.propagate_listeners.append(lambda dbid, argv: out.append(list(argv)))
    return out


def snapshot(e):
    db = e.dbs[0]
    return {k: (o.type, o.encoding, o.val if o.type == "string" else repr(o.val), db.expires.get(k))
            for k, o in db.dict.items()}


# --------------------------------------------------------------------------------------
# SET / GET
# --------------------------------------------------------------------------------------
def test_set_get_fast_paths(e):
    assert e.call("GET", "k") is None
    assert e.call("SET", "k", "v") == OK
    assert e.call("GET", "k") == b"v"
    assert e.stat_keyspace_hits == 1 and e.stat_keyspace_misses == 1
    e.call("RPUSH", "l", "a")
    with pytest.raises(ReplyError) as ei:
        e.call("GET", "l")
    assert ei.value.message == errors.WRONGTYPE
    assert e.call("SET", "l", "x") == OK
    assert e.call("GET", "l") == b"x"


def test_set_options(e):
    assert e.call("SET", "k", "v", "NX") == OK
    assert e.call("SET", "k", "w", "NX") is None
    assert e.call("SET", "k", "w", "XX", "GET") == b"v"
    assert e.call("SET", "n", "w", "XX") is None
    assert e.call("SET", "n", "w", "NX", "GET") is None
    assert e.call("GET", "n") == b"w"
    for bad in (["NX", "XX"], ["EX", "1", "PX", "1"], ["KEEPTTL", "EX", "1"], ["PERSIST"],
                ["EX"], ["FOO"]):
        with pytest.raises(ReplyError) as ei:
            e.call("SET", "k", "v", *bad)
        assert ei.value.message == errors.SYNTAX
    with pytest.raises(ReplyError) as ei:
        e.call("SET", "k", "v", "EX", "0")
    assert ei.value.message == "ERR invalid expire time in 'set' command"
    with pytest.raises(ReplyError) as ei:
        e.call("SETEX", "k", "-1", "v")
    assert ei.value.message == "ERR invalid expire time in 'setex' command"
    with pytest.raises(ReplyError) as ei:
        e.call("SET", "k", "v", "PX", "9223372036854775807")  # overflows when added to now
    assert ei.value.message == "ERR invalid expire time in 'set' command"
    with pytest.raises(ReplyError) as ei:
        e.call("SET", "k", "v", "EX", "x")
    assert ei.value.message == errors.NOT_INTEGER


def test_set_expire_uses_virtual_clock(e):
    now = e.mstime
    e.call("SET", "k", "v", "EX", "10")
    assert e.dbs[0].expires[b"k"] == now + 10_000
    e.call("SET", "p", "v", "PX", "1500")
    assert e.dbs[0].expires[b"p"] == now + 1500
    e.call("SET", "a", "v", "EXAT", str(now // 1000 + 100))
    assert e.dbs[0].expires[b"a"] == (now // 1000 + 100) * 1000
    e.call("SET", "k", "w", "KEEPTTL")
    assert e.dbs[0].expires[b"k"] == now + 10_000
    e.call("SETEX", "s", "5", "v")
    e.call("PSETEX", "ps", "5", "v")
    e.advance(1000)
    assert e.call("GET", "p") == b"v"
    e.advance(501)
    assert e.call("GET", "p") is None
    assert e.call("GET", "ps") is None
    e.advance(10_000)
    assert e.call("GET", "k") is None and e.call("GET", "s") is None
    e.call("SET", "k", "v", "EX", "10")
    e.call("SET", "k", "v")
    assert b"k" not in e.dbs[0].expires


def test_set_on_logically_expired_key_expires_it_first():
    e, got = events_engine()
    e.call("SET", "k", "v")
    e.dbs[0].expires[b"k"] = e.mstime - 1  # logically expired, not yet reclaimed
    got.clear()
    assert e.call("SET", "k", "w", "NX") == OK
    assert e.call("GET", "k") == b"w"
    assert keyevents(got)[:2] == [("expired", b"k"), ("set", b"k")]
    assert e.stat_expiredkeys == 1


def test_getex_variants(e):
    now = e.mstime
    assert e.call("GETEX", "missing", "EX", "0") is None  # looked up before validating
    e.call("SET", "k", "v")
    assert e.call("GETEX", "k", "EX", "100") == b"v"
    assert e.dbs[0].expires[b"k"] == now + 100_000
    assert e.call("GETEX", "k", "PERSIST") == b"v"
    assert b"k" not in e.dbs[0].expires
    with pytest.raises(ReplyError) as ei:
        e.call("GETEX", "k", "EX", "0")
    assert ei.value.message == "ERR invalid expire time in 'getex' command"
    for bad in (["NX"], ["GET"], ["KEEPTTL"], ["EX", "1", "PERSIST"], ["PERSIST", "PX", "1"]):
        with pytest.raises(ReplyError) as ei:
            e.call("GETEX", "k", *bad)
        assert ei.value.message == errors.SYNTAX
    assert e.call("GETEX", "k", "PXAT", "1") == b"v"
    assert e.call("EXISTS", "k") == 0


def test_getdel_getset_mset(e):
    e.call("SET", "k", "v", "EX", "100")
    assert e.call("GETSET", "k", "w") == b"v"
    assert b"k" not in e.dbs[0].expires
    assert e.call("GETDEL", "k") == b"w"
    assert e.call("GETDEL", "k") is None
    assert e.call("MSET", "a", "1", "b", "2") == OK
    assert e.call("MGET", "a", "b", "c") == [b"1", b"2", None]
    assert e.call("MSETNX", "c", "3", "a", "x") == 0
    assert e.call("MSETNX", "c", "3", "d", "4") == 1
    with pytest.raises(ReplyError) as ei:
        e.call("MSET", "a", "1", "b")
    assert ei.value.message == "ERR wrong number of arguments for 'mset' command"


# --------------------------------------------------------------------------------------
# Counters
# --------------------------------------------------------------------------------------
def test_incr_family(e):
    assert e.call("INCR", "n") == 1
    assert e.call("INCRBY", "n", "41") == 42
    assert e.call("DECRBY", "n", "2") == 40
    assert e.call("DECR", "n") == 39
    assert e.dbs[0].dict[b"n"].encoding == "int"
    e.call("SET", "n", "9223372036854775807")
    with pytest.raises(ReplyError) as ei:
        e.call("INCR", "n")
    assert ei.value.message == errors.OVERFLOW
    with pytest.raises(ReplyError) as ei:
        e.call("DECRBY", "n", "-9223372036854775808")
    assert ei.value.message == "ERR decrement would overflow"
    for bad in ("1.5", " 1", "+1", "", "01", "9223372036854775808"):
        with pytest.raises(ReplyError) as ei:
            e.call("INCRBY", "n", bad)
        assert ei.value.message == errors.NOT_INTEGER
    e.call("SET", "t", "5", "EX", "100")
    e.call("INCR", "t")
    assert b"t" in e.dbs[0].expires
    e.call("APPEND", "t", "0")
    assert e.dbs[0].dict[b"t"].encoding == "raw"
    assert e.call("INCR", "t") == 61
    assert e.dbs[0].dict[b"t"].encoding == "int"


@given(a=st.integers(-(2**63), 2**63 - 1), b=st.integers(-(2**63), 2**63 - 1))
def test_incrby_matches_int64_arithmetic(a, b):
    e = Engine()
    e.call("SET", "n", str(a))
    r = e.execute("INCRBY", "n", str(b))
    if -(2**63) <= a + b < 2**63:
        assert r == a + b and e.call("GET", "n") == str(a + b).encode()
    else:
        assert r == ReplyError(errors.OVERFLOW) and e.call("GET", "n") == str(a).encode()


# --------------------------------------------------------------------------------------
# INCRBYFLOAT and the long double emulation
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("start,incr,out", [
    ("0.1", "0.2", b"0.3"), ("1e17", "0", b"100000000000000000"), ("5.0e3", "0", b"5000"),
    ("-0.0", "0", b"0"), ("10.5", "0.1", b"10.6"), ("0", "0.000003814697265625",
                                                    b"0.00000381469726562"),
    ("0", "3.6e-4951", b"0"), ("0", "0x10", b"16"), ("1", "-1", b"0"), ("-1e-18", "0", b"0"),
])
def test_incrbyfloat_values(e, start, incr, out):
    e.call("SET", "f", start)
    assert e.call("INCRBYFLOAT", "f", incr) == out
    assert e.call("GET", "f") == out


def test_incrbyfloat_errors_and_encoding(e):
    for bad in ("nan", "", " 1", "1 ", "abc", "1e4933", "1e-5000", "1\x002", "x" * 6000):
        assert e.execute("INCRBYFLOAT", "f", bad) == ReplyError(errors.NOT_FLOAT)
    assert e.execute("INCRBYFLOAT", "f", "inf") == ReplyError(errors.NAN_OR_INF)
    e.call("SET", "f", "1.18e4932")
    assert e.execute("INCRBYFLOAT", "f", "1.18e4932") == ReplyError(errors.NAN_OR_INF)
    assert e.call("GET", "f") == b"1.18e4932"
    e.call("SET", "i", "3", "EX", "100")
    assert e.call("INCRBYFLOAT", "i", "1") == b"4"
    assert e.dbs[0].dict[b"i"].encoding == "embstr"  # not re-encoded as int
    assert b"i" in e.dbs[0].expires
    e.call("INCRBYFLOAT", "i", "1e50")
    assert e.dbs[0].dict[b"i"].encoding == "raw"


def test_ld_round_and_parse():
    assert ld_round(Fraction(1, 3)) != Fraction(1, 3)
    third = ld_round(Fraction(1, 3))
    assert third.denominator == 2**65  # 64 significant bits
    assert ld_round(Fraction(2**64 + 1)) == 2**64  # tie to even
    assert ld_round(Fraction(2**64 + 3)) == 2**64 + 4
    assert ld_round(Fraction(2) ** 16384) == float("inf")
    assert ld_round(Fraction(1, 2**16446)) == 0  # below half the smallest subnormal
    assert ld_round(Fraction(1, 2**16445)) == Fraction(1, 2**16445)
    assert ld_parse(b"0x1.8p1") == 3
    assert ld_parse(b"-inf") == float("-inf")
    assert ld_parse(b"infinit") is None
    assert ld_parse(b"1e-4952") is None and ld_parse(b"0e-99999") == 0
    assert ld_format(Fraction(-1, 10**18)) == b"0"
    assert ld_format(Fraction(25, 10)) == b"2.5"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_ld_round_keeps_doubles(d):
    assert ld_round(Fraction(d)) == Fraction(d)


@given(ip=st.integers(0, 9), fp=st.from_regex(r"[0-9]{0,17}", fullmatch=True),
       neg=st.booleans())
def test_short_decimals_round_trip(ip, fp, neg):
    """18 significant digits fit the 64-bit significand: %.17Lf gives them back."""
    text = ("-" if neg else "") + f"{ip}.{fp}" if fp else ("-" if neg else "") + str(ip)
    e = Engine()
    expected = Fraction(Decimal(text))
    out = e.call("INCRBYFLOAT", "f", text)
    assert Fraction(out.decode()) == expected
    assert out == ld_format(expected)


@given(a=st.integers(-(2**62), 2**62), b=st.integers(-(2**62), 2**62))
def test_incrbyfloat_integers_are_exact(a, b):
    e = Engine()
    e.call("SET", "f", str(a))
    assert e.call("INCRBYFLOAT", "f", str(b)) == str(a + b).encode()


# --------------------------------------------------------------------------------------
# APPEND / SETRANGE / GETRANGE
# --------------------------------------------------------------------------------------
def test_append_setrange_encodings(e):
    assert e.call("APPEND", "k", "12") == 2
    assert e.dbs[0].dict[b"k"].encoding == "int"
    assert e.call("APPEND", "k", "") == 2
    assert e.dbs[0].dict[b"k"].encoding == "raw"
    assert e.call("SETRANGE", "n", "0", "") == 0
    assert e.call("EXISTS", "n") == 0
    assert e.call("SETRANGE", "n", "3", "ab") == 5
    assert e.call("GET", "n") == b"\x00\x00\x00ab"
    assert e.dbs[0].dict[b"n"].encoding == "raw"
    assert e.execute("SETRANGE", "n", "-1", "x") == ReplyError(errors.OFFSET_OUT_OF_RANGE)


def test_proto_max_bulk_len_limits():
    e = Engine(config={"proto-max-bulk-len": "1mb"})
    assert e.call("SETRANGE", "k", str(2**20 - 1), "a") == 2**20
    assert e.execute("SETRANGE", "k", str(2**20 - 1), "ab") == ReplyError(errors.STRING_TOO_LONG)
    assert e.execute("APPEND", "k", "x") == ReplyError(errors.STRING_TOO_LONG)
    assert e.execute("SETBIT", "b", str(8 * 2**20), "1") == ReplyError(errors.BIT_OFFSET)
    assert e.call("STRLEN", "k") == 2**20 and e.call("EXISTS", "b") == 0


@given(s=st.binary(max_size=20), a=st.integers(-30, 30), b=st.integers(-30, 30))
def test_getrange_model(s, a, b):
    e = Engine()
    e.call("SET", "k", s)
    n = len(s)
    if a < 0 and b < 0 and a > b:
        want = b""
    else:
        lo = max(a + n if a < 0 else a, 0)
        hi = min(max(b + n if b < 0 else b, 0), n - 1)
        want = s[lo:hi + 1] if lo <= hi and n else b""
    assert e.call("GETRANGE", "k", a, b) == want


@given(s=st.binary(max_size=20), off=st.integers(0, 30), v=st.binary(max_size=10))
def test_setrange_model(s, off, v):
    e = Engine()
    e.call("SET", "k", s)
    model = bytearray(s)
    if v:
        if len(model) < off + len(v):
            model.extend(bytes(off + len(v) - len(model)))
        model[off:off + len(v)] = v
    assert e.call("SETRANGE", "k", off, v) == len(model)
    assert e.call("GET", "k") == bytes(model)


# --------------------------------------------------------------------------------------
# LCS
# --------------------------------------------------------------------------------------
def _lcs_len(a: bytes, b: bytes) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _is_subsequence(s: bytes, t: bytes) -> bool:
    it = iter(t)
    return all(ch in it for ch in s)


@settings(max_examples=200)
@given(a=st.binary(max_size=30).map(lambda b: bytes(x % 3 + 97 for x in b)),
       b=st.binary(max_size=30).map(lambda b: bytes(x % 3 + 97 for x in b)))
def test_lcs_properties(a, b):
    e = Engine()
    e.call("MSET", "a", a, "b", b)
    n = _lcs_len(a, b)
    assert e.call("LCS", "a", "b", "LEN") == n
    s = e.call("LCS", "a", "b")
    assert len(s) == n and _is_subsequence(s, a) and _is_subsequence(s, b)
    idx = e.call("LCS", "a", "b", "IDX", "WITHMATCHLEN")
    assert idx[b"len"] == n
    total = 0
    for (a0, a1), (b0, b1), ln in idx[b"matches"]:
        assert a[a0:a1 + 1] == b[b0:b1 + 1] and ln == a1 - a0 + 1
        total += ln
    assert total == n


def test_lcs_errors(e):
    e.call("RPUSH", "l", "a")
    assert e.execute("LCS", "l", "x") == ReplyError(errors.LCS_NOT_STRINGS)
    assert e.execute("LCS", "x", "y", "IDX", "LEN") == ReplyError(errors.LCS_IDX_AND_LEN)
    assert e.execute("LCS", "x", "y", "MINMATCHLEN") == ReplyError(errors.SYNTAX)
    assert e.call("LCS", "x", "y") == b""
    assert e.call("LCS", "x", "y", "IDX") == {b"matches": [], b"len": 0}


# --------------------------------------------------------------------------------------
# Side effects: propagation, events, dirty, WATCH, failed commands
# --------------------------------------------------------------------------------------
def test_propagation_rewrites(e):
    out = propagated(e)
    now = e.mstime
    e.call("SET", "k", "v", "EX", "10")
    e.call("SET", "k", "v", "PXAT", str(now + 5))
    e.call("SETEX", "k", "10", "v")
    e.call("PSETEX", "k", "10", "v")
    e.call("SET", "k", "v", "GET", "get")
    e.call("SET", "k", "v", "NX", "GET", "PXAT", str(now + 5))  # not set: not propagated
    e.call("SET", "k", "v", "XX", "GET", "PXAT", str(now + 5))
    e.call("GETEX", "k", "EX", "10")
    e.call("GETEX", "k", "PERSIST")
    e.call("GETEX", "k", "PERSIST")  # nothing to persist: not propagated
    e.call("GETEX", "k", "PXAT", str(now + 5))
    e.call("SET", "k", "1.5")
    e.call("INCRBYFLOAT", "k", "1")
    e.call("GETSET", "k", "x")
    e.call("GETDEL", "k")
    e.call("GETEX", "k", "EXAT", "1")
    e.call("SET", "k", "v")
    e.call("GETEX", "k", "EXAT", "1")
    e.call("SET", "k", "v", "NX")
    e.call("SET", "k", "v", "NX")  # aborted: not propagated
    ms = b"%d" % (now + 10_000)
    assert out == [
        [b"SET", b"k", b"v", b"PXAT", ms],
        [b"SET", b"k", b"v", b"PXAT", b"%d" % (now + 5)],
        [b"SET", b"k", b"v", b"PXAT", ms],
        [b"SET", b"k", b"v", b"PXAT", b"%d" % (now + 10)],
        [b"SET", b"k", b"v"],
        [b"SET", b"k", b"v", b"PXAT", b"%d" % (now + 5)],
        [b"PEXPIREAT", b"k", ms],
        [b"PERSIST", b"k"],
        [b"PEXPIREAT", b"k", b"%d" % (now + 5)],
        [b"SET", b"k", b"1.5"],
        [b"SET", b"k", b"2.5", b"KEEPTTL"],
        [b"SET", b"k", b"x"],
        [b"DEL", b"k"],
        [b"SET", b"k", b"v"],
        [b"DEL", b"k"],
        [b"SET", b"k", b"v", b"NX"],
    ]


def test_keyspace_events_and_dirty():
    e, got = events_engine()
    d0 = e.dirty
    e.call("SET", "s", "1", "EX", "100")
    e.call("SETEX", "s", "10", "v")
    e.call("GETEX", "s", "PERSIST")
    e.call("SET", "s", "1")
    e.call("INCR", "s")
    e.call("INCRBYFLOAT", "s", "1.5")
    e.call("APPEND", "s", "x")
    e.call("SETRANGE", "s", "0", "y")
    e.call("GETDEL", "s")
    e.call("MSET", "a", "1", "b", "2")
    e.call("GETSET", "a", "2")
    assert [ev for ev in keyevents(got) if ev[0] != "new"] == [
        ("set", b"s"), ("expire", b"s"), ("set", b"s"), ("expire", b"s"), ("persist", b"s"),
        ("set", b"s"), ("incrby", b"s"), ("incrbyfloat", b"s"), ("append", b"s"),
        ("setrange", b"s"), ("del", b"s"), ("set", b"a"), ("set", b"b"), ("set", b"a"),
    ]
    assert e.dirty - d0 == 12


def test_watch_is_touched_by_writes(e):
    other = e.client()
    for cmd in (["SET", "k", "v"], ["INCR", "n"], ["APPEND", "k", "x"], ["SETRANGE", "k", "0", "z"],
                ["INCRBYFLOAT", "n", "1"], ["GETDEL", "k"], ["MSET", "k", "1"],
                ["SET", "k", "v", "EX", "100"], ["GETEX", "k", "PERSIST"], ["GETSET", "k", "2"]):
        c = e.client()
        c.call("WATCH", cmd[1])
        other.call(*cmd)
        c.call("MULTI")
        c.call("GET", cmd[1])
        assert c.call("EXEC") is NULL_ARRAY, cmd


def test_unchanged_write_does_not_touch_watch(e):
    e.call("SET", "k", "v")
    c = e.client()
    c.call("WATCH", "k")
    e.call("GETEX", "k", "PERSIST")  # no TTL: nothing changes
    e.call("SET", "k", "x", "NX")
    c.call("MULTI")
    c.call("GET", "k")
    assert c.call("EXEC") == [b"v"]


FAILING = [
    ["SET", "s", "v", "EX", "0"], ["SET", "s", "v", "NX", "XX"], ["SET", "l", "v", "GET"],
    ["SETEX", "s", "x", "v"], ["GETEX", "s", "EX", "-1"], ["GETEX", "l"], ["GETDEL", "l"],
    ["GETSET", "l", "v"], ["INCR", "s"], ["INCR", "l"], ["INCRBY", "i", "x"],
    ["INCRBY", "i", "9223372036854775807"], ["DECRBY", "i", "-9223372036854775808"],
    ["INCRBYFLOAT", "s", "1"], ["INCRBYFLOAT", "i", "inf"], ["INCRBYFLOAT", "i", "nan"],
    ["APPEND", "l", "x"], ["SETRANGE", "s", "-1", "x"], ["SETRANGE", "l", "0", "x"],
    ["MSET", "a", "1", "b"], ["MSETNX", "l", "1"], ["LCS", "l", "s"], ["STRLEN", "l"],
    ["GETRANGE", "s", "x", "1"],
]


@given(st.sampled_from(FAILING))
def test_failed_command_leaves_keyspace_unchanged(cmd):
    e = Engine()
    e.call("SET", "s", "abc", "EX", "100")
    e.call("SET", "i", "9")
    e.call("RPUSH", "l", "a")
    before = snapshot(e)
    dirty = e.dirty
    r = e.execute(*cmd)
    assert isinstance(r, ReplyError) or r == 0, (cmd, r)
    assert snapshot(e) == before
    assert e.dirty == dirty
    e._check()
