"""String commands against a real redis-server 7.0.15: byte-identical RESP replies.

Relative expiries use >= 100 s so the real server's wall clock and the engine's virtual
clock agree on TTL; absolute ones use the far past (1) or the far future (year 2100).
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import Differ, parse_resp

FUTURE_S = "4102444800"  # 2100-01-01
FUTURE_MS = "4102444800000"

EDGE_NUMBERS = [
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "-9223372036854775809", "0", "1", "-1", "10", "9999", "10000", "-0", "01", "+1", " 1",
    "1 ", "0x10", "inf", "-inf", "+inf", "infinity", "nan", "1e3", "1.5", "-1.5", "0.1",
    "1e308", "1e400", "-1e400", "1e4933", "1e-5000", ".5", "1.", ".", "5.0e3", "", "abc",
    "1\x00", "\x00", "0x1p-2", "3.6e-4951",
]


STAT_FIELDS = (("stats", b"keyspace_hits"), ("stats", b"keyspace_misses"),
               ("persistence", b"rdb_changes_since_last_save"))


def _info_fields(text: bytes) -> dict[bytes, bytes]:
    out = {}
    for line in text.split(b"\r\n") if b"\r\n" in text else text.split(b"\n"):
        if b":" in line:
            k, v = line.split(b":", 1)
            out[k] = v
    return out


def stats_snapshot(d: Differ) -> tuple[list[int], list[int]]:
    """keyspace hits, misses and the dirty counter on both sides."""
    real, mine = [], []
    for section, name in STAT_FIELDS:
        real.append(int(_info_fields(parse_resp(d.real.command("INFO", section)))[name]))
        mine.append(int(_info_fields(d.client.execute([b"INFO", section.encode()]))[name]))
    return real, mine


def run_comparing_stats(d: Differ, cmds) -> None:
    """Run ``cmds`` comparing replies, then compare the hit/miss/dirty deltas."""
    r0, m0 = stats_snapshot(d)
    for cmd in cmds:
        d.check(*cmd)
    r1, m1 = stats_snapshot(d)
    real = [b - a for a, b in zip(r0, r1)]
    mine = [b - a for a, b in zip(m0, m1)]
    assert mine == real, f"hits/misses/dirty deltas: redis {real} engine {mine}"


def _ttl_class(v) -> int:
    return v if v < 0 else 1


def compare_keyspace(d: Differ, keys) -> None:
    """Values, encodings and TTL state of ``keys`` agree on both sides."""
    for k in keys:
        d.check("TYPE", k)
        d.check("EXISTS", k)
        real, mine = d.both("TTL", k)
        assert _ttl_class(parse_resp(real)) == _ttl_class(parse_resp(mine)), (k, real, mine)
        if parse_resp(d.real.command("TYPE", k)) == b"+string":
            d.check("GET", k)
            d.check("OBJECT", "ENCODING", k)
            d.check("STRLEN", k)


# --------------------------------------------------------------------------------------
# SET family
# --------------------------------------------------------------------------------------
def test_set_get_basic(diff):
    diff.run([
        ["GET", "k"], ["SET", "k", "v"], ["GET", "k"], ["SET", "k", ""], ["GET", "k"],
        ["SET", "k", "a\r\nb\x00c"], ["GET", "k"], ["SET", "k", "x" * 1000], ["STRLEN", "k"],
        ["RPUSH", "l", "a"], ["GET", "l"], ["SET", "l", "now a string"], ["GET", "l"],
    ])


def test_set_option_parsing(diff):
    diff.run([
        ["SET", "k", "v", "NX"], ["SET", "k", "w", "NX"], ["GET", "k"],
        ["SET", "k", "w", "XX"], ["SET", "k2", "w", "XX"], ["EXISTS", "k2"],
        ["SET", "k", "v", "NX", "XX"], ["SET", "k", "v", "XX", "NX"],
        ["SET", "k", "v", "nx", "nx"], ["SET", "k", "v", "xx", "xx"],
        ["SET", "k", "v", "GET", "GET"], ["SET", "k", "v", "get"],
        ["SET", "k", "v", "KEEPTTL", "KEEPTTL"], ["SET", "k", "v", "KEEPTTL", "EX", "100"],
        ["SET", "k", "v", "EX", "100", "KEEPTTL"], ["SET", "k", "v", "EX", "100", "PX", "100"],
        ["SET", "k", "v", "PX", "100000", "EX", "100"], ["SET", "k", "v", "EXAT", FUTURE_S, "PXAT", "1"],
        ["SET", "k", "v", "EX", "100", "EX", "200"], ["TTL", "k"],
        ["SET", "k", "v", "PX", "100000", "PX", "200000"], ["TTL", "k"],
        ["SET", "k", "v", "EX"], ["SET", "k", "v", "PX"], ["SET", "k", "v", "EXAT"],
        ["SET", "k", "v", "PXAT"], ["SET", "k", "v", "PERSIST"], ["SET", "k", "v", "FOO"],
        ["SET", "k", "v", "EX", "abc"], ["SET", "k", "v", "EX", "abc", "FOO"],
        ["SET", "k", "v", "EX", "1.5"], ["SET", "k", "v", "EX", " 1"],
        ["SET", "k", "v", "ex", "100", "nx"], ["SET", "k", "v", "Ex", "100", "xX"], ["TTL", "k"],
        ["SET", "k", "v", "nx\x00junk"], ["SET", "k", "v", "getx"],
    ])


def test_set_invalid_expire(diff):
    for opt in ("EX", "PX", "EXAT", "PXAT"):
        for val in ("0", "-1", "-9223372036854775808", "9223372036854775807",
                    "9223372036854775", "9223372036854776", "9223372036854775808", "1"):
            diff.check("SET", "k", "v", opt, val)
            diff.check("EXISTS", "k")
            diff.check("DEL", "k")
    diff.run([["SETEX", "k", "0", "v"], ["SETEX", "k", "-5", "v"], ["SETEX", "k", "x", "v"],
              ["PSETEX", "k", "0", "v"], ["PSETEX", "k", "9223372036854775807", "v"],
              ["SETEX", "k", "9223372036854776", "v"], ["EXISTS", "k"]])


def test_set_expire_and_ttl(diff):
    diff.run([
        ["SET", "k", "v", "EX", "100"], ["TTL", "k"], ["SET", "k", "v"], ["TTL", "k"],
        ["SET", "k", "v", "PX", "200000"], ["TTL", "k"], ["SET", "k", "w", "KEEPTTL"],
        ["TTL", "k"], ["GET", "k"], ["SET", "k", "x", "XX", "KEEPTTL", "GET"], ["TTL", "k"],
        ["SET", "k", "v", "EXAT", "1"], ["EXISTS", "k"], ["GET", "k"],
        ["SET", "k", "v", "PXAT", "1"], ["GET", "k"],
        ["SET", "k", "v", "EX", "9223372036854"], ["TTL", "k"],
        ["SETEX", "s", "100", "v"], ["TTL", "s"], ["GET", "s"],
        ["PSETEX", "p", "100000", "v"], ["TTL", "p"], ["GET", "p"],
        ["SETEX", "s", "100", "w"], ["SET", "s", "z", "XX"], ["TTL", "s"],
    ])


def test_set_get_option(diff):
    diff.run([
        ["SET", "k", "v", "GET"], ["SET", "k", "w", "GET"], ["GET", "k"],
        ["SET", "k", "x", "NX", "GET"], ["GET", "k"], ["SET", "n", "x", "XX", "GET"],
        ["EXISTS", "n"], ["SET", "n", "x", "NX", "GET"], ["GET", "n"],
        ["RPUSH", "l", "a"], ["SET", "l", "v", "GET"], ["TYPE", "l"],
        ["SET", "l", "v", "GET", "EX", "0"], ["SET", "l", "v", "GET", "EX", "x"],
        ["SET", "k", "v", "GET", "EX", "100"], ["TTL", "k"],
    ])


def test_setnx_setex_psetex_wrongtype(diff):
    diff.run([
        ["SETNX", "k", "v"], ["SETNX", "k", "w"], ["GET", "k"],
        ["RPUSH", "l", "a"], ["SETNX", "l", "v"], ["SETEX", "l", "100", "v"], ["TYPE", "l"],
        ["PSETEX", "l", "100000", "v"], ["TYPE", "l"], ["TTL", "l"],
    ])


def test_getex(diff):
    diff.run([
        ["GETEX", "missing"], ["GETEX", "missing", "EX", "0"], ["GETEX", "missing", "FOO"],
        ["SET", "k", "v"], ["GETEX", "k"], ["TTL", "k"], ["GETEX", "k", "EX", "100"],
        ["TTL", "k"], ["GETEX", "k", "PERSIST"], ["TTL", "k"], ["GETEX", "k", "PX", "100000"],
        ["TTL", "k"], ["GETEX", "k", "EXAT", FUTURE_S], ["GETEX", "k", "PERSIST"],
        ["TTL", "k"], ["GETEX", "k", "PERSIST"], ["GETEX", "k", "PXAT", FUTURE_MS],
        ["GETEX", "k", "EX", "0"], ["GETEX", "k", "EX", "-1"], ["GETEX", "k", "PX", "x"],
        ["GETEX", "k", "EX", "9223372036854775"], ["GETEX", "k", "EX", "100", "PX", "100"],
        ["GETEX", "k", "PERSIST", "EX", "100"], ["GETEX", "k", "EX", "100", "PERSIST"],
        ["GETEX", "k", "KEEPTTL"], ["GETEX", "k", "NX"], ["GETEX", "k", "GET"],
        ["GETEX", "k", "EX"], ["GETEX", "k", "PERSIST", "PERSIST"],
        ["GETEX", "k", "EXAT", "1"], ["EXISTS", "k"],
        ["SET", "k", "v"], ["GETEX", "k", "PXAT", "1"], ["EXISTS", "k"],
        ["RPUSH", "l", "a"], ["GETEX", "l"], ["GETEX", "l", "EX", "0"], ["GETEX", "l", "FOO"],
    ])


def test_getdel_getset(diff):
    diff.run([
        ["GETDEL", "k"], ["SET", "k", "v"], ["GETDEL", "k"], ["EXISTS", "k"],
        ["RPUSH", "l", "a"], ["GETDEL", "l"], ["GETSET", "l", "v"], ["TYPE", "l"],
        ["GETSET", "k", "1"], ["GETSET", "k", "2"], ["GET", "k"], ["OBJECT", "ENCODING", "k"],
        ["SET", "t", "v", "EX", "100"], ["GETSET", "t", "w"], ["TTL", "t"],
    ])


def test_mset_msetnx_mget(diff):
    diff.run([
        ["MSET", "a", "1", "b", "2"], ["MGET", "a", "b", "c"], ["MSET", "a"],
        ["MSET", "a", "1", "b"], ["MSETNX", "a", "1", "b"], ["MSETNX", "c", "3", "a", "9"],
        ["MGET", "a", "c"], ["MSETNX", "c", "3", "d", "4"], ["MGET", "a", "b", "c", "d"],
        ["RPUSH", "l", "x"], ["MGET", "a", "l", "missing"], ["MSETNX", "l", "v"],
        ["MSET", "a", "1", "a", "2"], ["GET", "a"], ["MSET", "l", "v"], ["TYPE", "l"],
        ["SET", "t", "v", "EX", "100"], ["MSET", "t", "w"], ["TTL", "t"],
    ])


# --------------------------------------------------------------------------------------
# Counters
# --------------------------------------------------------------------------------------
def test_incr_decr(diff):
    diff.run([
        ["INCR", "n"], ["INCR", "n"], ["DECR", "n"], ["DECR", "m"], ["INCRBY", "n", "10"],
        ["DECRBY", "n", "-5"], ["INCRBY", "n", "x"], ["INCRBY", "n", "1.5"],
        ["INCRBY", "n", " 1"], ["INCRBY", "n", "+1"], ["DECRBY", "n", ""],
        ["SET", "n", "9223372036854775806"], ["INCR", "n"], ["INCR", "n"], ["GET", "n"],
        ["SET", "n", "-9223372036854775807"], ["DECR", "n"], ["DECR", "n"],
        ["DECRBY", "n", "-9223372036854775808"], ["DECRBY", "z", "-9223372036854775808"],
        ["INCRBY", "z", "-9223372036854775808"], ["DECRBY", "z", "1"],
        ["INCRBY", "z", "9223372036854775807"], ["GET", "z"],
        ["SET", "s", "abc"], ["INCR", "s"], ["SET", "s", "12 "], ["INCR", "s"],
        ["SET", "s", "012"], ["INCR", "s"], ["SET", "s", "-0"], ["INCR", "s"],
        ["SET", "s", "9223372036854775808"], ["INCR", "s"], ["SET", "s", ""], ["INCR", "s"],
        ["RPUSH", "l", "a"], ["INCR", "l"], ["INCRBY", "l", "x"], ["DECRBY", "l", "1"],
        ["SET", "e", "5", "EX", "100"], ["INCR", "e"], ["TTL", "e"],
        ["SET", "r", "10"], ["APPEND", "r", "0"], ["OBJECT", "ENCODING", "r"], ["INCR", "r"],
        ["OBJECT", "ENCODING", "r"], ["SET", "r", "9999"], ["INCR", "r"],
        ["OBJECT", "ENCODING", "r"],
    ])


INCRBYFLOAT_CASES = [
    ("0.1", "0.2"), ("1e17", "0"), ("5.0e3", "0"), ("-0.0", "0"), ("-0", "-0"),
    ("1e400", "1"), ("1.18e4932", "0"), ("1e4933", "0"), ("3.6e-4951", "0"),
    ("1e-4952", "0"), ("0.000003814697265625", "0"), ("0.000003814697265635", "0"),
    ("10.5", "0.1"), ("3.0e3", "200"), ("1", "-1"), ("-1", "0.5"), ("1e-18", "0"),
    ("-1e-18", "0"), ("-5e-18", "0"), ("5e-18", "0"), ("1.5e-17", "0"),
    ("9223372036854775807", "1"), ("-9223372036854775808", "-1"), ("18446744073709551615", "1"),
    ("18446744073709551617", "0"), ("36893488147419103233", "0"), ("0x10", "0x.8"),
    ("0x1p-2", "0X1P+3"), ("1.7976931348623157e308", "1.7976931348623157e308"),
    ("inf", "0"), ("0", "inf"), ("0", "-inf"), ("1", "nan"), ("1", "infinity"),
    ("1", "infinit"), ("1", ""), ("1", " 1"), ("1", "1 "), ("1", "+.5"), ("1", "1."),
    ("1", "."), ("1", "1e"), ("1", "1e+"), ("1", "0x"), ("1", "0x1p"), ("1", "1\x002"),
    ("1", "\x00"), ("abc", "1"), (" 1", "1"), ("0.1", "0.7"), ("1.1", "2.2"),
    ("123456789.123456789", "0.000000001"), ("2.5", "-2.5"), ("1e-300", "1e-300"),
    ("1" * 60, "1"), ("1." + "1" * 5000, "0"), ("1." + "1" * 5200, "0"),
    ("0.3333333333333333333333333", "0.6666666666666666666666667"),
]


def test_incrbyfloat_tricky_values(diff):
    for start, incr in INCRBYFLOAT_CASES:
        diff.check("SET", "f", start)
        diff.check("INCRBYFLOAT", "f", incr)
        diff.check("GET", "f")
        diff.check("OBJECT", "ENCODING", "f")
        diff.check("DEL", "g")
        diff.check("INCRBYFLOAT", "g", start)
        diff.check("INCRBYFLOAT", "g", incr)
        diff.check("GET", "g")


def test_incrbyfloat_misc(diff):
    diff.run([
        ["RPUSH", "l", "a"], ["INCRBYFLOAT", "l", "1"], ["INCRBYFLOAT", "l", "x"],
        ["SET", "e", "1.5", "EX", "100"], ["INCRBYFLOAT", "e", "1"], ["TTL", "e"],
        ["SET", "i", "10"], ["INCRBYFLOAT", "i", "1"], ["OBJECT", "ENCODING", "i"],
        ["INCR", "i"], ["OBJECT", "ENCODING", "i"], ["INCRBYFLOAT", "i", "1e50"],
        ["OBJECT", "ENCODING", "i"], ["INCR", "i"],
    ])


decimal_text = st.builds(
    lambda sign, ip, fp, exp: f"{sign}{ip}{'.' + fp if fp is not None else ''}"
                              f"{'e' + str(exp) if exp is not None else ''}",
    st.sampled_from(["", "-", "+"]),
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
    st.none() | st.from_regex(r"[0-9]{0,25}", fullmatch=True),
    st.none() | st.integers(-40, 40) | st.sampled_from([-4950, -4940, 4900, 4932, 4933]),
)
float_arg = decimal_text | st.floats(allow_nan=False).map(repr) | st.sampled_from(EDGE_NUMBERS)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(start=float_arg, incrs=st.lists(float_arg, min_size=1, max_size=3))
def test_incrbyfloat_random_against_real(redis_server, start, incrs):
    d = Differ(redis_server)
    try:
        d.check("SET", "f", start)
        for incr in incrs:
            d.check("INCRBYFLOAT", "f", incr)
            d.check("INCRBYFLOAT", "g", incr)
        d.check("GET", "f")
        d.check("GET", "g")
    finally:
        d.close()


# --------------------------------------------------------------------------------------
# APPEND, STRLEN, GETRANGE, SETRANGE
# --------------------------------------------------------------------------------------
def test_append_strlen(diff):
    diff.run([
        ["APPEND", "k", "12"], ["OBJECT", "ENCODING", "k"], ["APPEND", "k", "3"],
        ["OBJECT", "ENCODING", "k"], ["GET", "k"], ["STRLEN", "k"], ["STRLEN", "missing"],
        ["APPEND", "e", ""], ["EXISTS", "e"], ["OBJECT", "ENCODING", "e"],
        ["SET", "i", "1"], ["APPEND", "i", ""], ["OBJECT", "ENCODING", "i"],
        ["SET", "i", "100"], ["STRLEN", "i"], ["RPUSH", "l", "a"], ["APPEND", "l", "x"],
        ["STRLEN", "l"], ["SET", "t", "v", "EX", "100"], ["APPEND", "t", "w"], ["TTL", "t"],
        ["APPEND", "b", "x" * 50], ["OBJECT", "ENCODING", "b"],
    ])


def test_getrange_substr(diff):
    diff.check("SET", "k", "Hello, World")
    diff.check("SET", "n", "12345")
    diff.check("SET", "e", "")
    vals = ["0", "1", "-1", "-2", "5", "100", "-100", "11", "12", "-12", "-13",
            "9223372036854775807", "-9223372036854775808"]
    for key in ("k", "n", "e", "missing"):
        for a in vals:
            for b in vals:
                diff.check("GETRANGE", key, a, b)
    diff.run([["SUBSTR", "k", "0", "4"], ["GETRANGE", "k", "x", "1"], ["GETRANGE", "k", "1", "x"],
              ["GETRANGE", "missing", "x", "1"], ["RPUSH", "l", "a"], ["GETRANGE", "l", "0", "1"],
              ["GETRANGE", "l", "x", "1"], ["SUBSTR", "l", "0", "1"],
              ["GETRANGE", "k", "9223372036854775808", "1"]])


def test_setrange(diff):
    diff.run([
        ["SETRANGE", "k", "0", ""], ["EXISTS", "k"], ["SETRANGE", "k", "5", "ab"],
        ["GET", "k"], ["OBJECT", "ENCODING", "k"], ["SETRANGE", "k", "0", "xyz"], ["GET", "k"],
        ["SETRANGE", "k", "6", "LONGER"], ["GET", "k"], ["SETRANGE", "k", "100", ""],
        ["STRLEN", "k"], ["SETRANGE", "k", "-1", "x"], ["SETRANGE", "k", "-1", ""],
        ["SETRANGE", "k", "x", "a"], ["SETRANGE", "k", "9223372036854775808", "a"],
        ["SETRANGE", "k", "536870912", "a"], ["SETRANGE", "k", "536870911", "ab"],
        ["SETRANGE", "k", "9223372036854775807", "a"], ["SETRANGE", "k", "9223372036854775807", ""],
        ["SETRANGE", "new", "536870912", ""], ["SETRANGE", "new", "536870912", "x"],
        ["EXISTS", "new"], ["SET", "i", "123"], ["SETRANGE", "i", "1", "9"],
        ["OBJECT", "ENCODING", "i"], ["GET", "i"], ["RPUSH", "l", "a"],
        ["SETRANGE", "l", "0", "x"], ["SETRANGE", "l", "-1", "x"], ["SETRANGE", "l", "0", ""],
        ["SET", "t", "v", "EX", "100"], ["SETRANGE", "t", "0", "w"], ["TTL", "t"],
        ["SET", "z", "v"], ["SETRANGE", "z", "0", ""], ["OBJECT", "ENCODING", "z"],
    ])


def test_proto_max_bulk_len(diff):
    diff.run([
        ["CONFIG", "SET", "proto-max-bulk-len", "1048576"],
        ["SETRANGE", "k", "1048575", "a"], ["SETRANGE", "k", "1048575", "ab"],
        ["APPEND", "k", "x"], ["STRLEN", "k"], ["SET", "a", "x" * 600], ["SET", "b", "y" * 600],
        ["LCS", "a", "b", "LEN"], ["SET", "b", "y" * 400], ["LCS", "a", "b", "LEN"],
        ["SETBIT", "s", "8388607", "1"], ["SETBIT", "s", "8388608", "1"],
        ["CONFIG", "SET", "proto-max-bulk-len", "536870912"],
    ])


# --------------------------------------------------------------------------------------
# LCS
# --------------------------------------------------------------------------------------
def test_lcs(diff):
    diff.run([
        ["MSET", "a", "ohmytext", "b", "mynewtext"], ["LCS", "a", "b"], ["LCS", "a", "b", "LEN"],
        ["LCS", "a", "b", "IDX"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4"],
        ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
        ["LCS", "a", "b", "IDX", "WITHMATCHLEN"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"],
        ["LCS", "a", "b", "IDX", "LEN"], ["LCS", "a", "b", "LEN", "IDX"],
        ["LCS", "a", "b", "MINMATCHLEN"], ["LCS", "a", "b", "MINMATCHLEN", "x"],
        ["LCS", "a", "b", "FOO"], ["LCS", "a", "b", "LEN", "FOO"], ["LCS", "a", "missing"],
        ["LCS", "missing", "a", "IDX"], ["LCS", "missing", "missing2", "LEN"],
        ["LCS", "a", "a"], ["LCS", "a", "a", "IDX", "WITHMATCHLEN"],
        ["RPUSH", "l", "x"], ["LCS", "a", "l"], ["LCS", "l", "a", "FOO"],
        ["SET", "n", "12345"], ["SET", "m", "2345"], ["LCS", "n", "m", "IDX"],
        ["MSET", "x", "abcabcabc", "y", "cbacbacba"], ["LCS", "x", "y"],
        ["LCS", "x", "y", "IDX", "WITHMATCHLEN"], ["LCS", "y", "x", "IDX", "WITHMATCHLEN"],
        ["LCS", "a", "b", "len", "withmatchlen", "minmatchlen", "2"],
    ])


def test_lcs_long_strings(diff):
    r = random.Random(7)
    a = bytes(r.choice(b"acgt") for _ in range(1500))
    b = bytes(r.choice(b"acgt") for _ in range(1200))
    diff.check("MSET", "a", a, "b", b)
    diff.run([["LCS", "a", "b"], ["LCS", "a", "b", "LEN"], ["LCS", "a", "b", "IDX", "WITHMATCHLEN"],
              ["LCS", "b", "a", "IDX", "MINMATCHLEN", "3"]])


def test_lcs_resp3(diff3):
    diff3.run([["MSET", "a", "ohmytext", "b", "mynewtext"], ["LCS", "a", "b", "IDX"],
               ["LCS", "a", "b", "IDX", "WITHMATCHLEN"], ["LCS", "a", "b"], ["GET", "zz"]])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(a=st.binary(max_size=40).map(lambda b: bytes(x % 4 + 97 for x in b)),
       b=st.binary(max_size=40).map(lambda b: bytes(x % 4 + 97 for x in b)),
       minlen=st.integers(0, 3))
def test_lcs_random_against_real(redis_server, a, b, minlen):
    d = Differ(redis_server)
    try:
        d.check("MSET", "a", a, "b", b)
        d.check("LCS", "a", "b")
        d.check("LCS", "a", "b", "LEN")
        d.check("LCS", "a", "b", "IDX", "MINMATCHLEN", minlen, "WITHMATCHLEN")
        d.check("LCS", "b", "a", "IDX")
    finally:
        d.close()


# --------------------------------------------------------------------------------------
# Wrong types and failed commands
# --------------------------------------------------------------------------------------
def test_wrongtype_everywhere(diff):
    diff.check("RPUSH", "l", "a", "b")
    for cmd in (["GET", "l"], ["SET", "l", "v", "GET"], ["GETEX", "l"], ["GETDEL", "l"],
                ["GETSET", "l", "v"], ["INCR", "l"], ["DECR", "l"], ["INCRBY", "l", "1"],
                ["DECRBY", "l", "1"], ["INCRBYFLOAT", "l", "1"], ["APPEND", "l", "x"],
                ["STRLEN", "l"], ["GETRANGE", "l", "0", "1"], ["SETRANGE", "l", "0", "x"],
                ["LCS", "l", "l"], ["SETNX", "l", "v"], ["MSETNX", "l", "v"]):
        diff.check(*cmd)
    diff.run([["LRANGE", "l", "0", "-1"], ["TYPE", "l"]])


def test_hits_misses_and_dirty(diff):
    run_comparing_stats(diff, [
        ["GET", "a"], ["SET", "a", "1"], ["GET", "a"], ["SET", "a", "2", "GET"],
        ["SET", "b", "2", "NX", "GET"], ["SET", "b", "3", "XX"], ["SET", "c", "1", "XX"],
        ["SETNX", "a", "1"], ["GETEX", "a"], ["GETEX", "a", "EX", "100"], ["GETEX", "a", "PERSIST"],
        ["GETEX", "a", "PERSIST"], ["GETEX", "zz", "PERSIST"], ["GETDEL", "a"], ["GETDEL", "a"],
        ["GETSET", "a", "1"], ["GETSET", "a", "2"], ["MGET", "a", "b", "c"], ["MSET", "a", "1", "b", "2"],
        ["MSETNX", "a", "1"], ["MSETNX", "x", "1", "y", "2"], ["INCR", "a"], ["INCRBY", "a", "x"],
        ["INCRBYFLOAT", "a", "1.5"], ["APPEND", "a", "x"], ["APPEND", "a", ""], ["STRLEN", "a"],
        ["STRLEN", "q"], ["GETRANGE", "a", "0", "1"], ["GETRANGE", "q", "0", "1"],
        ["SETRANGE", "a", "0", ""], ["SETRANGE", "a", "0", "z"], ["SETRANGE", "q", "0", ""],
        ["LCS", "a", "b"], ["LCS", "q", "a"], ["SET", "e", "v", "EXAT", "1"], ["GET", "e"],
        ["SETEX", "e", "100", "v"], ["PSETEX", "e", "100000", "v"], ["INCRBY", "a", "x"],
    ])


def test_transaction_with_string_errors(diff):
    diff.run([["SET", "a", "x"], ["MULTI"], ["INCR", "a"], ["SET", "b", "1", "EX", "0"],
              ["INCRBYFLOAT", "c", "1.5"], ["APPEND", "a", "y"], ["EXEC"], ["MGET", "a", "b", "c"]])


# --------------------------------------------------------------------------------------
# Random sequences (hypothesis): valid and invalid arguments, wrong types
# --------------------------------------------------------------------------------------
KEYS = ["k1", "k2", "k3", "L"]
key = st.sampled_from(KEYS)
value = (st.sampled_from(EDGE_NUMBERS) | st.binary(max_size=6)
         | st.integers(-20000, 20000).map(str) | st.text(alphabet="ab1-.", max_size=5)
         | st.just("x" * 45))
number = st.sampled_from(EDGE_NUMBERS) | st.integers(-30, 30).map(str)
offset = st.sampled_from(["0", "1", "3", "7", "-1", "100", "x", "", "536870912",
                          "9223372036854775807", "9223372036854775808"]) | \
    st.integers(0, 64).map(str)
expire_opt = st.sampled_from([
    [], ["EX", "100"], ["PX", "200000"], ["EXAT", FUTURE_S], ["PXAT", FUTURE_MS], ["EXAT", "1"],
    ["PXAT", "1"], ["EX", "0"], ["EX", "-1"], ["EX", "abc"], ["PX", "9223372036854775807"],
    ["EX", "9223372036854775"], ["EX"], ["KEEPTTL"], ["PERSIST"],
])
flag_opt = st.sampled_from([[], ["NX"], ["XX"], ["GET"], ["NX", "GET"], ["XX", "GET"], ["NX", "XX"],
                            ["BOGUS"]])


def _flat(parts):
    out = []
    for p in parts:
        out.extend(p)
    return out


command = st.one_of(
    st.builds(lambda k, v, a, b: ["SET", k, v, *a, *b], key, value, flag_opt, expire_opt),
    st.builds(lambda k: ["GET", k], key),
    st.builds(lambda k, o: ["GETEX", k, *o], key, expire_opt),
    st.builds(lambda k: ["GETDEL", k], key),
    st.builds(lambda k, v: ["GETSET", k, v], key, value),
    st.builds(lambda k, v: ["SETNX", k, v], key, value),
    st.builds(lambda k, t, v: ["SETEX", k, t, v], key, st.sampled_from(["100", "0", "-1", "x"]), value),
    st.builds(lambda k, t, v: ["PSETEX", k, t, v], key,
              st.sampled_from(["200000", "0", "x", "9223372036854775807"]), value),
    st.builds(lambda kv: ["MSET", *_flat(kv)], st.lists(st.tuples(key, value), min_size=1, max_size=3)),
    st.builds(lambda kv: ["MSETNX", *_flat(kv)], st.lists(st.tuples(key, value), min_size=1, max_size=3)),
    st.builds(lambda ks: ["MGET", *ks], st.lists(key, min_size=1, max_size=4)),
    st.builds(lambda k: ["INCR", k], key),
    st.builds(lambda k: ["DECR", k], key),
    st.builds(lambda k, n: ["INCRBY", k, n], key, number),
    st.builds(lambda k, n: ["DECRBY", k, n], key, number),
    st.builds(lambda k, n: ["INCRBYFLOAT", k, n], key, number),
    st.builds(lambda k, v: ["APPEND", k, v], key, value),
    st.builds(lambda k: ["STRLEN", k], key),
    st.builds(lambda k, a, b: ["GETRANGE", k, a, b], key, number, number),
    st.builds(lambda k, o, v: ["SETRANGE", k, o, v], key, offset, value),
    st.builds(lambda a, b, o: ["LCS", a, b, *o], key, key,
              st.sampled_from([[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN"], ["LEN", "IDX"],
                               ["IDX", "MINMATCHLEN", "2"], ["MINMATCHLEN"], ["FOO"]])),
    st.builds(lambda k: ["DEL", k], key),
)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cmds=st.lists(command, min_size=1, max_size=12))
def test_random_string_sequences(redis_server, cmds):
    d = Differ(redis_server)
    try:
        d.check("RPUSH", "L", "a", "b")
        run_comparing_stats(d, cmds)
        compare_keyspace(d, KEYS)
    finally:
        d.close()


def test_incrbyfloat_huge_exponent_is_an_error_not_a_crash(diff):
    """Arguments up to 5120 bytes reach strtold: a 4,500-digit exponent overflows."""
    diff.run([["INCRBYFLOAT", "k", "1e" + "9" * 4500], ["INCRBYFLOAT", "k", "1e-" + "9" * 4500],
              ["HINCRBYFLOAT", "h", "f", "1e" + "9" * 4500], ["EXISTS", "k", "h"]])
