"""Bit commands against a real redis-server 7.0.15: byte-identical RESP replies."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import Differ
from .test_strings import run_comparing_stats

RANGE_VALUES = ["0", "1", "-1", "2", "-2", "3", "7", "8", "9", "15", "16", "17", "-8", "-9",
                "-16", "-17", "23", "24", "100", "-100", "9223372036854775807",
                "-9223372036854775808"]


def test_setbit_getbit(diff):
    diff.run([
        ["SETBIT", "k", "7", "1"], ["GET", "k"], ["OBJECT", "ENCODING", "k"],
        ["SETBIT", "k", "7", "1"], ["SETBIT", "k", "7", "0"], ["SETBIT", "k", "100", "1"],
        ["STRLEN", "k"], ["GETBIT", "k", "100"], ["GETBIT", "k", "101"], ["GETBIT", "k", "99999"],
        ["GETBIT", "missing", "0"], ["SETBIT", "k", "-1", "1"], ["SETBIT", "k", "x", "1"],
        ["SETBIT", "k", "0", "2"], ["SETBIT", "k", "0", "-1"], ["SETBIT", "k", "0", "x"],
        ["SETBIT", "k", "0", ""], ["SETBIT", "k", "x", "2"], ["SETBIT", "k", "4294967296", "1"],
        ["SETBIT", "k", "9223372036854775807", "1"], ["SETBIT", "k", "9223372036854775808", "1"],
        ["SETBIT", "k", "#1", "1"], ["GETBIT", "k", "-1"], ["GETBIT", "k", "x"],
        ["GETBIT", "k", "4294967296"], ["GETBIT", "k", "4294967295"],
        ["SET", "i", "12"], ["GETBIT", "i", "2"], ["GETBIT", "i", "3"], ["SETBIT", "i", "0", "0"],
        ["OBJECT", "ENCODING", "i"], ["GET", "i"], ["SET", "s", "v"], ["SETBIT", "s", "0", "0"],
        ["OBJECT", "ENCODING", "s"], ["RPUSH", "l", "a"], ["SETBIT", "l", "0", "1"],
        ["SETBIT", "l", "-1", "1"], ["GETBIT", "l", "0"], ["GETBIT", "l", "x"],
        ["SET", "t", "v", "EX", "100"], ["SETBIT", "t", "0", "1"], ["TTL", "t"],
        ["SETBIT", "z", "0", "0"], ["GET", "z"], ["EXISTS", "z"],
    ])


def test_bitcount(diff):
    diff.check("SET", "k", "foobar\xff\x00\x81")
    diff.check("SET", "n", "1234")
    diff.check("SET", "e", "")
    for key in ("k", "n", "e"):
        diff.check("BITCOUNT", key)
        for a in RANGE_VALUES:
            for b in RANGE_VALUES:
                diff.check("BITCOUNT", key, a, b)
                diff.check("BITCOUNT", key, a, b, "BIT")
        diff.check("BITCOUNT", key, "0", "-1", "BYTE")
    diff.run([
        ["BITCOUNT", "missing"], ["BITCOUNT", "missing", "a", "b"], ["BITCOUNT", "missing", "0"],
        ["BITCOUNT", "k", "0"], ["BITCOUNT", "k", "0", "1", "2"], ["BITCOUNT", "k", "0", "1", "bit", "x"],
        ["BITCOUNT", "k", "a", "1"], ["BITCOUNT", "k", "1", "a"], ["BITCOUNT", "k", "-1", "-5", "foo"],
        ["BITCOUNT", "k", "0", "1", "foo"], ["BITCOUNT", "k", "a", "b", "foo"],
        ["BITCOUNT", "k", "0", "1", "bit\x00"], ["BITCOUNT", "k", "0", "1", "Bit"],
        ["RPUSH", "l", "a"], ["BITCOUNT", "l"], ["BITCOUNT", "l", "a", "b"], ["BITCOUNT", "l", "0"],
    ])


def test_bitpos(diff):
    diff.check("SET", "k", "\xff\xf0\x00\x0f\xff")
    diff.check("SET", "ones", "\xff\xff\xff")
    diff.check("SET", "zeros", "\x00\x00")
    diff.check("SET", "n", "1234")
    diff.check("SET", "e", "")
    for key in ("k", "ones", "zeros", "n", "e"):
        for bit in ("0", "1"):
            diff.check("BITPOS", key, bit)
            for a in RANGE_VALUES:
                diff.check("BITPOS", key, bit, a)
                for b in RANGE_VALUES:
                    diff.check("BITPOS", key, bit, a, b)
                    diff.check("BITPOS", key, bit, a, b, "BIT")
    diff.run([
        ["BITPOS", "missing", "0"], ["BITPOS", "missing", "1"], ["BITPOS", "missing", "2"],
        ["BITPOS", "missing", "1", "x", "y", "z"], ["BITPOS", "k", "2"], ["BITPOS", "k", "x"],
        ["BITPOS", "k", "-1"], ["BITPOS", "k", "1", "x"], ["BITPOS", "k", "1", "0", "x"],
        ["BITPOS", "k", "1", "0", "x", "y"], ["BITPOS", "k", "1", "0", "1", "bit", "extra"],
        ["BITPOS", "k", "1", "0", "1", "BYTE"], ["BITPOS", "k", "1", "x", "1", "foo"],
        ["RPUSH", "l", "a"], ["BITPOS", "l", "1"], ["BITPOS", "l", "2"], ["BITPOS", "l", "1", "x"],
    ])


def test_bitop(diff):
    diff.run([
        ["SET", "a", "\xff\x0f\x01"], ["SET", "b", "\x0f"], ["SET", "c", "12"],
        ["BITOP", "AND", "d", "a", "b"], ["GET", "d"], ["OBJECT", "ENCODING", "d"],
        ["BITOP", "OR", "d", "a", "b", "c"], ["GET", "d"], ["BITOP", "XOR", "d", "a", "b", "c"],
        ["GET", "d"], ["BITOP", "NOT", "d", "a"], ["GET", "d"], ["BITOP", "not", "d", "c"],
        ["GET", "d"], ["BITOP", "and", "d", "a", "missing"], ["GET", "d"],
        ["BITOP", "XOR", "d", "a"], ["GET", "d"], ["BITOP", "NOT", "d", "a", "b"],
        ["BITOP", "NOT", "d"], ["BITOP", "FOO", "d", "a"], ["BITOP", "AND", "d"],
        ["BITOP", "or", "d", "missing", "missing2"], ["EXISTS", "d"],
        ["BITOP", "or", "d", "missing"], ["SET", "e", ""], ["BITOP", "OR", "d", "e"],
        ["EXISTS", "d"], ["RPUSH", "l", "a"], ["BITOP", "AND", "d", "a", "l"],
        ["BITOP", "AND", "l", "a"], ["TYPE", "l"], ["BITOP", "NOT", "l", "missing"], ["EXISTS", "l"],
        ["SET", "t", "v", "EX", "100"], ["BITOP", "OR", "t", "a"], ["TTL", "t"],
        ["BITOP", "AND", "a", "a", "b"], ["GET", "a"], ["BITOP", "and\x00x", "d", "a"],
    ])


def test_bitfield(diff):
    diff.run([
        ["BITFIELD", "k", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0"],
        ["BITFIELD", "k", "INCRBY", "u4", "#1", "3", "GET", "i16", "0"], ["GET", "k"],
        ["OBJECT", "ENCODING", "k"], ["BITFIELD", "k"], ["BITFIELD", "missing"],
        ["BITFIELD", "missing", "GET", "u8", "0"], ["EXISTS", "missing"],
        ["BITFIELD", "k", "GET", "i64", "0", "GET", "u63", "1", "GET", "i1", "7", "GET", "u1", "7"],
        ["BITFIELD", "k", "GET", "u64", "0"], ["BITFIELD", "k", "GET", "i65", "0"],
        ["BITFIELD", "k", "GET", "i0", "0"], ["BITFIELD", "k", "GET", "I8", "0"],
        ["BITFIELD", "k", "GET", "x8", "0"], ["BITFIELD", "k", "GET", "", "0"],
        ["BITFIELD", "k", "GET", "u8\x00x", "0"], ["BITFIELD", "k", "GET", "u+8", "0"],
        ["BITFIELD", "k", "GET", "u8", "-1"], ["BITFIELD", "k", "GET", "u8", "x"],
        ["BITFIELD", "k", "GET", "u8", "#"], ["BITFIELD", "k", "GET", "u8", "#-1"],
        ["BITFIELD", "k", "GET", "u8", "#2305843009213693952"],
        ["BITFIELD", "k", "GET", "u8", "4294967295"], ["BITFIELD", "k", "GET", "u8", "4294967296"],
        ["BITFIELD", "k", "GET", "u8", "#536870911"], ["BITFIELD", "k", "GET", "u8", "#536870912"],
        ["BITFIELD", "k", "GET", "u8"], ["BITFIELD", "k", "SET", "u8", "0"],
        ["BITFIELD", "k", "INCRBY", "u8", "0"], ["BITFIELD", "k", "OVERFLOW"],
        ["BITFIELD", "k", "OVERFLOW", "foo", "GET", "u8", "0"], ["BITFIELD", "k", "FOO"],
        ["BITFIELD", "k", "SET", "u8", "0", "x"], ["BITFIELD", "k", "SET", "u8", "0", "1.5"],
        ["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "x", "1"],
        ["BITFIELD", "k", "overflow", "sat", "set", "u8", "0", "1000", "get", "u8", "0"],
        ["BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-5", "SET", "i8", "0", "-1000"],
        ["BITFIELD", "k", "OVERFLOW", "WRAP", "SET", "u8", "0", "-5", "SET", "i8", "0", "1000"],
        ["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "256", "SET", "u8", "0", "255"],
        ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "OVERFLOW", "WRAP",
         "INCRBY", "u8", "0", "1", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "-10"],
        ["BITFIELD", "k", "INCRBY", "i64", "0", "9223372036854775807",
         "INCRBY", "i64", "0", "9223372036854775807", "OVERFLOW", "SAT",
         "INCRBY", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "-9223372036854775808",
         "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"],
        ["BITFIELD", "k", "SET", "u63", "1", "-1", "GET", "u63", "1", "GET", "i64", "0"],
        ["BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u63", "1", "-1", "SET", "i64", "0", "-1",
         "INCRBY", "u63", "1", "-9223372036854775808", "INCRBY", "u63", "1", "9223372036854775807"],
        ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"], ["STRLEN", "k"],
        ["BITFIELD", "nk", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"], ["GET", "nk"],
        ["OBJECT", "ENCODING", "nk"],
        ["SET", "i", "1234"], ["BITFIELD", "i", "GET", "u8", "0", "GET", "u32", "4"],
        ["OBJECT", "ENCODING", "i"], ["BITFIELD", "i", "SET", "u8", "0", "49"],
        ["OBJECT", "ENCODING", "i"], ["GET", "i"],
        ["RPUSH", "l", "a"], ["BITFIELD", "l", "GET", "u8", "0"], ["BITFIELD", "l"],
        ["BITFIELD", "l", "SET", "u8", "0", "1"], ["BITFIELD", "l", "GET", "x8", "0"],
        ["SET", "t", "v", "EX", "100"], ["BITFIELD", "t", "SET", "u8", "0", "1"], ["TTL", "t"],
    ])


def test_bitfield_ro(diff):
    diff.run([
        ["SET", "k", "\x01\x02\x03"], ["BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i4", "#3"],
        ["BITFIELD_RO", "k"], ["BITFIELD_RO", "missing", "GET", "u8", "0"],
        ["BITFIELD_RO", "k", "SET", "u8", "0", "1"], ["BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"],
        ["BITFIELD_RO", "k", "SET", "u8", "0", "x"], ["BITFIELD_RO", "k", "OVERFLOW", "SAT"],
        ["BITFIELD_RO", "k", "GET", "u8"], ["BITFIELD_RO", "k", "FOO"], ["GET", "k"],
        ["RPUSH", "l", "a"], ["BITFIELD_RO", "l", "GET", "u8", "0"],
        ["BITFIELD_RO", "l", "SET", "u8", "0", "1"],
    ])


def test_bit_hits_misses_and_dirty(diff):
    run_comparing_stats(diff, [
        ["SETBIT", "k", "0", "0"], ["SETBIT", "k", "0", "0"], ["SETBIT", "k", "0", "1"],
        ["SETBIT", "k", "30", "0"], ["GETBIT", "k", "0"], ["GETBIT", "q", "0"], ["BITCOUNT", "k"],
        ["BITCOUNT", "q"], ["BITPOS", "k", "1"], ["BITPOS", "q", "1"],
        ["BITOP", "OR", "d", "k", "q"], ["BITOP", "OR", "d", "q"], ["BITOP", "OR", "d", "q"],
        ["BITFIELD", "k", "GET", "u8", "0"], ["BITFIELD", "q", "GET", "u8", "0"],
        ["BITFIELD", "k", "SET", "u8", "0", "0", "SET", "u8", "0", "0"],
        ["BITFIELD", "n", "SET", "u8", "0", "0", "SET", "u8", "8", "0"],
        ["BITFIELD", "n", "SET", "u8", "0", "0", "INCRBY", "u8", "0", "1", "INCRBY", "u8", "0", "0"],
        ["BITFIELD", "m", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"], ["EXISTS", "m"],
        ["BITFIELD_RO", "k", "GET", "u8", "0"], ["BITFIELD_RO", "q", "GET", "u8", "0"],
    ])


def test_bitfield_resp3(diff3):
    diff3.run([["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "0", "9", "GET", "u2", "0"]])


# --------------------------------------------------------------------------------------
# Random sequences (hypothesis)
# --------------------------------------------------------------------------------------
KEYS = ["b1", "b2", "b3", "L"]
key = st.sampled_from(KEYS)
small_offset = st.integers(0, 80).map(str)
offset = small_offset | st.sampled_from(["-1", "x", "", "#1", "4294967296",
                                         "9223372036854775807", "9223372036854775808"])
read_offset = offset | st.sampled_from(["4294967295", "#3", "#-1", "#2305843009213693952"])
write_offset = small_offset | st.sampled_from(["#0", "#1", "#5", "-1", "x", "4294967296", "#-1"])
rng = st.sampled_from(["0", "1", "-1", "2", "-2", "5", "-5", "9", "-9", "20", "x",
                       "9223372036854775807", "-9223372036854775808"]) | st.integers(-30, 30).map(str)
unit = st.sampled_from([[], ["BIT"], ["BYTE"], ["bit"], ["FOO"]])
value = (st.binary(max_size=6) | st.sampled_from(["", "1234", "-1", "\xff\xff", "x" * 45])
         | st.integers(-1000, 1000).map(str))
ftype = st.sampled_from(["u1", "u4", "u8", "u16", "u63", "i1", "i5", "i8", "i32", "i64", "u64",
                         "i0", "x8", "I8"])
fnum = st.sampled_from(["0", "1", "-1", "127", "128", "255", "256", "-128", "-129", "x",
                        "9223372036854775807", "-9223372036854775808", "9223372036854775808"]) | \
    st.integers(-300, 300).map(str)
ow = st.sampled_from(["WRAP", "SAT", "FAIL", "fail", "FOO"])


def _bf_op(kind, t, off, n, o):
    if kind == "GET":
        return ["GET", t, off]
    if kind == "OVERFLOW":
        return ["OVERFLOW", o]
    return [kind, t, off, n]


bf_op = st.builds(_bf_op, st.sampled_from(["GET", "SET", "INCRBY", "OVERFLOW"]), ftype,
                  write_offset, fnum, ow)


def _flat(parts):
    out = []
    for p in parts:
        out.extend(p)
    return out


command = st.one_of(
    st.builds(lambda k, v: ["SET", k, v], key, value),
    st.builds(lambda k, o, b: ["SETBIT", k, o, b], key, write_offset,
              st.sampled_from(["0", "1", "2", "-1", "x"])),
    st.builds(lambda k, o: ["GETBIT", k, o], key, read_offset),
    st.builds(lambda k, r, u: ["BITCOUNT", k, *r, *u], key,
              st.sampled_from([[]]) | st.lists(rng, min_size=1, max_size=2), unit),
    st.builds(lambda k, b, r, u: ["BITPOS", k, b, *r, *u], key,
              st.sampled_from(["0", "1", "2", "x"]), st.lists(rng, max_size=2), unit),
    st.builds(lambda op, d, srcs: ["BITOP", op, d, *srcs],
              st.sampled_from(["AND", "OR", "XOR", "NOT", "not", "FOO"]), key,
              st.lists(key, min_size=1, max_size=3)),
    st.builds(lambda k, o, ops: ["BITFIELD", k, *o, *_flat(ops)], key,
              st.sampled_from([[], ["OVERFLOW", "SAT"], ["OVERFLOW", "FAIL"], ["OVERFLOW", "WRAP"]]),
              st.lists(bf_op, max_size=4)),
    st.builds(lambda k, ops: ["BITFIELD_RO", k, *_flat(ops)], key, st.lists(bf_op, max_size=3)),
    st.builds(lambda k, v: ["APPEND", k, v], key, value),
    st.builds(lambda k: ["DEL", k], key),
)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cmds=st.lists(command, min_size=1, max_size=12))
def test_random_bit_sequences(redis_server, cmds):
    d = Differ(redis_server)
    try:
        d.check("RPUSH", "L", "a", "b")
        run_comparing_stats(d, cmds)
        for k in KEYS:
            d.check("TYPE", k)
            d.check("GET", k)
            d.check("OBJECT", "ENCODING", k)
    finally:
        d.close()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(data=st.binary(min_size=1, max_size=12), bit=st.sampled_from(["0", "1"]),
       start=st.integers(-110, 110), end=st.integers(-110, 110) | st.none(),
       unit=st.sampled_from([None, "BIT", "BYTE"]))
def test_bitpos_bitcount_ranges_against_real(redis_server, data, bit, start, end, unit):
    d = Differ(redis_server)
    try:
        d.check("SET", "k", data)
        args = [start] if end is None else [start, end] + ([unit] if unit else [])
        d.check("BITPOS", "k", bit, *args)
        if end is not None:
            d.check("BITCOUNT", "k", start, end, *([unit] if unit else []))
    finally:
        d.close()
