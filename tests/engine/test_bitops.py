"""Bit commands in the engine (lab/engine/bitops.py): unit tests and model-based properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, errors


@pytest.fixture
def e():
    return Engine()


def bit_at(s: bytes, i: int) -> int:
    return (s[i >> 3] >> (7 - (i & 7))) & 1 if (i >> 3) < len(s) else 0


# --------------------------------------------------------------------------------------
# SETBIT / GETBIT
# --------------------------------------------------------------------------------------
def test_setbit_getbit_basics(e):
    assert e.call("SETBIT", "k", "7", "1") == 0
    assert e.call("GET", "k") == b"\x01"
    assert e.dbs[0].dict[b"k"].encoding == "raw"
    assert e.call("SETBIT", "k", "7", "0") == 1
    assert e.call("GETBIT", "k", "7") == 0
    assert e.call("GETBIT", "k", "1000") == 0
    assert e.call("GETBIT", "missing", "3") == 0
    e.call("SET", "i", "12")  # int encoded: bits of the digits "12"
    assert [e.call("GETBIT", "i", n) for n in range(8)] == [0, 0, 1, 1, 0, 0, 0, 1]
    for bad in ("-1", "x", "4294967296", "#1"):
        assert e.execute("SETBIT", "k", bad, "1") == ReplyError(errors.BIT_OFFSET)
    for bad in ("2", "-1", "x", ""):
        assert e.execute("SETBIT", "k", "0", bad) == ReplyError(errors.BIT_VALUE)
    e.call("RPUSH", "l", "a")
    assert e.execute("SETBIT", "l", "0", "1") == ReplyError(errors.WRONGTYPE)
    assert e.execute("SETBIT", "l", "-1", "1") == ReplyError(errors.BIT_OFFSET)


def test_setbit_dirty_only_on_change(e):
    d = e.dirty
    e.call("SETBIT", "k", "0", "0")  # created: a change
    assert e.dirty == d + 1
    e.call("SETBIT", "k", "0", "0")
    e.call("SETBIT", "k", "7", "0")
    assert e.dirty == d + 1
    e.call("SETBIT", "k", "9", "0")  # grew: a change
    assert e.dirty == d + 2
    c = e.client()
    c.call("WATCH", "k")
    e.call("SETBIT", "k", "0", "0")
    c.call("MULTI")
    c.call("GETBIT", "k", "0")
    assert c.call("EXEC") == [0]


@settings(max_examples=200)
@given(ops=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 1)), max_size=20))
def test_setbit_model(ops):
    e = Engine()
    model = bytearray()
    for off, v in ops:
        if len(model) <= off >> 3:
            model.extend(bytes((off >> 3) + 1 - len(model)))
        old = bit_at(bytes(model), off)
        if v:
            model[off >> 3] |= 0x80 >> (off & 7)
        else:
            model[off >> 3] &= ~(0x80 >> (off & 7)) & 0xFF
        assert e.call("SETBIT", "k", off, v) == old
    assert (e.call("GET", "k") or b"") == bytes(model)
    for i in range(len(model) * 8 + 3):
        assert e.call("GETBIT", "k", i) == bit_at(bytes(model), i)


# --------------------------------------------------------------------------------------
# BITCOUNT / BITPOS against a naive model
# --------------------------------------------------------------------------------------
def _norm(start: int, end: int, total: int) -> tuple[int, int]:
    if start < 0:
        start += total
    if end < 0:
        end += total
    start, end = max(start, 0), max(end, 0)
    return start, min(end, total - 1)


def model_bitcount(s: bytes, start: int, end: int, isbit: bool) -> int:
    if start < 0 and end < 0 and start > end:
        return 0
    total = len(s) * 8 if isbit else len(s)
    start, end = _norm(start, end, total)
    if start > end:
        return 0
    if isbit:
        return sum(bit_at(s, i) for i in range(start, end + 1))
    return sum(bin(b).count("1") for b in s[start:end + 1])


def model_bitpos(s: bytes, bit: int, start, end, isbit: bool) -> int:
    end_given = end is not None
    if start is None:
        start, end = 0, len(s) - 1
    else:
        total = len(s) * 8 if isbit else len(s)
        if end is None:
            end = total - 1
        start, end = _norm(start, end, total)
    if start > end:
        return -1
    lo, hi = (start, end) if isbit else (start * 8, end * 8 + 7)
    for i in range(lo, hi + 1):
        if bit_at(s, i) == bit:
            return i
    if bit == 1 or end_given:
        return -1
    return (hi // 8 + 1) * 8


@settings(max_examples=300)
@given(s=st.binary(min_size=0, max_size=6), a=st.integers(-60, 60), b=st.integers(-60, 60),
       isbit=st.booleans())
def test_bitcount_model(s, a, b, isbit):
    e = Engine()
    e.call("SET", "k", s)
    if not s:
        assert e.call("BITCOUNT", "k") == 0
    args = [a, b, "BIT"] if isbit else [a, b]
    assert e.call("BITCOUNT", "k", *args) == model_bitcount(s, a, b, isbit)
    assert e.call("BITCOUNT", "k") == model_bitcount(s, 0, -1, False)


@settings(max_examples=300)
@given(s=st.binary(min_size=1, max_size=6), bit=st.integers(0, 1),
       a=st.none() | st.integers(-60, 60), b=st.none() | st.integers(-60, 60),
       isbit=st.booleans())
def test_bitpos_model(s, bit, a, b, isbit):
    e = Engine()
    e.call("SET", "k", s)
    if a is None:
        args, b, isbit = [], None, False
    elif b is None:
        args, isbit = [a], False
    else:
        args = [a, b, "BIT"] if isbit else [a, b]
    assert e.call("BITPOS", "k", bit, *args) == model_bitpos(s, bit, a, b, isbit)


def test_bitcount_bitpos_argument_order(e):
    assert e.call("BITCOUNT", "missing", "a", "b") == 0  # 7.0: the key is looked up first
    assert e.call("BITPOS", "missing", "1", "x") == -1
    assert e.call("BITPOS", "missing", "0") == 0
    e.call("SET", "k", "abc")
    assert e.execute("BITCOUNT", "k", "0") == ReplyError(errors.SYNTAX)
    assert e.call("BITCOUNT", "k", "-1", "-5", "foo") == 0
    assert e.execute("BITCOUNT", "k", "0", "1", "foo") == ReplyError(errors.SYNTAX)
    assert e.execute("BITPOS", "k", "2") == ReplyError(errors.BITPOS_BIT)
    assert e.execute("BITPOS", "k", "1", "0", "x", "y") == ReplyError(errors.SYNTAX)
    assert e.execute("BITPOS", "k", "1", "0", "x") == ReplyError(errors.NOT_INTEGER)


# --------------------------------------------------------------------------------------
# BITOP
# --------------------------------------------------------------------------------------
@given(srcs=st.lists(st.none() | st.binary(max_size=5), min_size=1, max_size=4),
       op=st.sampled_from(["AND", "OR", "XOR", "NOT"]))
def test_bitop_model(srcs, op):
    if op == "NOT":
        srcs = srcs[:1]
    e = Engine()
    names = []
    for i, s in enumerate(srcs):
        names.append(f"s{i}")
        if s is not None:
            e.call("SET", f"s{i}", s)
    e.call("SET", "dest", "old", "EX", "100")
    vals = [s or b"" for s in srcs]
    maxlen = max(len(v) for v in vals)
    padded = [v + bytes(maxlen - len(v)) for v in vals]
    out = bytearray(padded[0])
    for p in padded[1:]:
        for i in range(maxlen):
            if op == "AND":
                out[i] &= p[i]
            elif op == "OR":
                out[i] |= p[i]
            else:
                out[i] ^= p[i]
    if op == "NOT":
        out = bytearray(b ^ 0xFF for b in out)
    assert e.call("BITOP", op, "dest", *names) == maxlen
    if maxlen:
        assert e.call("GET", "dest") == bytes(out)
        assert e.dbs[0].dict[b"dest"].encoding == "raw"
        assert b"dest" not in e.dbs[0].expires
    else:
        assert e.call("EXISTS", "dest") == 0


def test_bitop_errors(e):
    assert e.execute("BITOP", "NOT", "d", "a", "b") == ReplyError(errors.BITOP_NOT_ONE_KEY)
    assert e.execute("BITOP", "NAND", "d", "a") == ReplyError(errors.SYNTAX)
    e.call("RPUSH", "l", "x")
    e.call("SET", "a", "x")
    assert e.execute("BITOP", "AND", "d", "a", "l") == ReplyError(errors.WRONGTYPE)
    assert e.call("EXISTS", "d") == 0


# --------------------------------------------------------------------------------------
# BITFIELD
# --------------------------------------------------------------------------------------
def model_get(s: bytes, off: int, bits: int, signed: bool) -> int:
    v = 0
    for i in range(off, off + bits):
        v = (v << 1) | bit_at(s, i)
    if signed and v >> (bits - 1):
        v -= 1 << bits
    return v


@settings(max_examples=300)
@given(s=st.binary(max_size=10), off=st.integers(0, 90), bits=st.integers(1, 64),
       signed=st.booleans())
def test_bitfield_get_model(s, off, bits, signed):
    if not signed and bits == 64:
        bits = 63
    e = Engine()
    e.call("SET", "k", s)
    t = f"{'i' if signed else 'u'}{bits}"
    assert e.call("BITFIELD", "k", "GET", t, off) == [model_get(s, off, bits, signed)]
    assert e.call("BITFIELD_RO", "k", "GET", t, off) == [model_get(s, off, bits, signed)]


@settings(max_examples=300)
@given(s=st.binary(max_size=6), off=st.integers(0, 40), bits=st.integers(1, 64),
       signed=st.booleans(), value=st.integers(-(2**63), 2**63 - 1),
       ow=st.sampled_from(["WRAP", "SAT", "FAIL"]), incr=st.booleans())
def test_bitfield_write_model(s, off, bits, signed, value, ow, incr):
    if not signed and bits == 64:
        bits = 63
    e = Engine()
    e.call("SET", "k", s)
    t = f"{'i' if signed else 'u'}{bits}"
    old = model_get(s, off, bits, signed)
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if incr:
        target = old + value
    else:
        target = value if signed else value & ((1 << 64) - 1)
    if lo <= target <= hi:
        new, fail = target, False
    elif ow == "FAIL":
        new, fail = old, True
    elif ow == "SAT":
        new, fail = (hi if target > hi or (not signed and not incr) else lo), False
    else:
        new = target & ((1 << bits) - 1)
        if signed and new >> (bits - 1):
            new -= 1 << bits
        fail = False
    reply = e.call("BITFIELD", "k", "OVERFLOW", ow, "INCRBY" if incr else "SET", t, off, value)
    assert reply == [None if fail else (new if incr else old)]
    got = e.call("GET", "k")
    assert model_get(got, off, bits, signed) == (old if fail else new)
    assert len(got) == max(len(s), (off + bits - 1) // 8 + 1)


def test_bitfield_parsing_and_errors(e):
    assert e.call("BITFIELD", "k") == []
    assert e.call("EXISTS", "k") == 0
    assert e.call("BITFIELD", "k", "SET", "u8", "#1", "255", "GET", "u16", "0") == [0, 255]
    for t in ("u64", "i65", "i0", "I8", "x8", ""):
        assert e.execute("BITFIELD", "k", "GET", t, "0") == ReplyError(errors.BITFIELD_TYPE)
    assert e.execute("BITFIELD", "k", "OVERFLOW", "x") == ReplyError(errors.BITFIELD_OVERFLOW_TYPE)
    assert e.execute("BITFIELD", "k", "GET", "u8") == ReplyError(errors.SYNTAX)
    assert e.execute("BITFIELD", "k", "SET", "u8", "0", "x") == ReplyError(errors.NOT_INTEGER)
    assert e.execute("BITFIELD", "k", "GET", "u8", "#-1") == ReplyError(errors.BIT_OFFSET)
    # '#' offsets multiply by the width with int64 wrap-around, like C
    assert e.call("BITFIELD", "k", "GET", "u8", "#2305843009213693952") == [0]
    assert e.execute("BITFIELD_RO", "k", "SET", "u8", "0", "1") == ReplyError(errors.BITFIELD_RO_GET_ONLY)
    assert e.call("BITFIELD", "n", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9") == [None]
    assert e.call("GET", "n") == b"\x00"  # the key was made room for anyway
    e.call("RPUSH", "l", "a")
    assert e.execute("BITFIELD", "l", "GET", "u8", "0") == ReplyError(errors.WRONGTYPE)


def test_bitfield_changes_and_events():
    e = Engine(config={"notify-keyspace-events": "KEA"})
    got = []
    e.publish = lambda ch, msg: got.append((ch, msg))
    d = e.dirty
    e.call("BITFIELD", "k", "SET", "u8", "0", "0", "SET", "u8", "8", "0")
    assert e.dirty == d + 2  # created: every op counts
    e.call("BITFIELD", "k", "SET", "u8", "0", "0", "INCRBY", "u8", "8", "0")
    assert e.dirty == d + 2
    e.call("BITFIELD", "k", "SET", "u8", "0", "1", "SET", "u8", "0", "1")
    assert e.dirty == d + 3
    events = [m for ch, m in got if ch.startswith(b"__keyevent")]
    assert events == [b"k", b"k"]
    assert [ch for ch, m in got if ch.startswith(b"__keyevent")] == [b"__keyevent@0__:setbit"] * 2


def test_bit_commands_leave_keyspace_unchanged_on_error(e):
    e.call("SET", "s", "abc", "EX", "100")
    e.call("RPUSH", "l", "a")
    before = {k: (o.type, o.encoding, o.val if o.type == "string" else None)
              for k, o in e.dbs[0].dict.items()}
    dirty = e.dirty
    for cmd in (["SETBIT", "s", "-1", "1"], ["SETBIT", "l", "0", "1"], ["SETBIT", "s", "0", "5"],
                ["BITOP", "AND", "s", "l"], ["BITOP", "NOT", "s", "s", "s"],
                ["BITFIELD", "s", "SET", "u8", "0", "1", "GET", "x", "0"],
                ["BITFIELD", "s", "SET", "u8", "0", "1", "OVERFLOW", "BAD"],
                ["BITFIELD_RO", "s", "SET", "u8", "0", "1"], ["BITFIELD", "l", "SET", "u8", "0", "1"]):
        assert isinstance(e.execute(*cmd), ReplyError), cmd
    after = {k: (o.type, o.encoding, o.val if o.type == "string" else None)
             for k, o in e.dbs[0].dict.items()}
    assert after == before and e.dirty == dirty
    assert e.dbs[0].dict[b"s"].encoding == "embstr"
