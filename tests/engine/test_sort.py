"""SORT / SORT_RO unit tests (no server needed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError
from lab.engine.sort import lookup_by_pattern, sort_getkeys, sort_score


def call(e, *a):
    return e.call(*a)


def test_sort_score():
    assert sort_score(b"") == 0.0
    assert sort_score(b" 1") == 1.0
    assert sort_score(b"1\x00zz") == 1.0
    assert sort_score(b"0x10") == 16.0
    for bad in (b"1 ", b"nan", b"1e400", b"1e-310", b"abc", b"  ", b"-"):
        assert sort_score(bad) is None, bad


def test_numeric_alpha_limit_store():
    e = Engine()
    call(e, "RPUSH", "l", "3", "1", "2", "10", "01")
    assert call(e, "SORT", "l") == [b"01", b"1", b"2", b"3", b"10"]
    assert call(e, "SORT", "l", "DESC", "LIMIT", "1", "2") == [b"3", b"2"]
    assert call(e, "SORT", "l", "ALPHA") == [b"01", b"1", b"10", b"2", b"3"]
    assert call(e, "SORT", "l", "LIMIT", "-5", "-1") == [b"01", b"1", b"2", b"3", b"10"]
    assert call(e, "SORT", "l", "STORE", "d") == 5
    assert call(e, "LRANGE", "d", 0, -1) == [b"01", b"1", b"2", b"3", b"10"]
    assert call(e, "SORT", "l", "LIMIT", 0, 0, "STORE", "d") == 0
    assert call(e, "EXISTS", "d") == 0
    call(e, "RPUSH", "bad", "x")
    with pytest.raises(ReplyError, match="can't be converted"):
        call(e, "SORT", "bad")
    with pytest.raises(ReplyError, match="syntax error"):
        call(e, "SORT_RO", "l", "STORE", "d")
    call(e, "SET", "s", "x")
    with pytest.raises(ReplyError, match="WRONGTYPE"):
        call(e, "SORT", "s")
    with pytest.raises(ReplyError, match="syntax error"):
        call(e, "SORT", "s", "bogus")


def test_by_get_patterns():
    e = Engine()
    call(e, "RPUSH", "l", "a", "b", "c")
    call(e, "MSET", "w_a", "3", "w_b", "1", "w_c", "2")
    call(e, "HSET", "h_a", "f", "A")
    assert call(e, "SORT", "l", "BY", "w_*") == [b"b", b"c", b"a"]
    assert call(e, "SORT", "l", "BY", "w_*", "GET", "#", "GET", "h_*->f") == [
        b"b", None, b"c", None, b"a", b"A"]
    assert call(e, "SORT", "l", "BY", "nosort", "DESC") == [b"c", b"b", b"a"]
    db = e.dbs[0]
    assert lookup_by_pattern(db, b"#", b"x") == b"x"
    assert lookup_by_pattern(db, b"nostar", b"a") is None
    assert lookup_by_pattern(db, b"w_*", b"a") == b"3"


def test_zset_converted_and_kept_in_order():
    e = Engine()
    call(e, "ZADD", "z", 2, "a", 1, "b")
    assert call(e, "SORT", "z", "BY", "nosort") == [b"b", b"a"]
    assert call(e, "OBJECT", "ENCODING", "z") == b"skiplist"


def test_getkeys():
    assert sort_getkeys([b"sort", b"k", b"STORE", b"d", b"store", b"e"]) == [1, 5]
    assert sort_getkeys([b"sort", b"k", b"LIMIT", b"STORE", b"d"]) == [1]


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.lists(st.integers(-1000, 1000), max_size=20), st.booleans(),
       st.integers(-3, 25), st.integers(-3, 25))
def test_numeric_sort_matches_python(vals, desc, off, cnt):
    e = Engine()
    if vals:
        e.call("RPUSH", "l", *vals)
    args = ["SORT", "l", "LIMIT", off, cnt] + (["DESC"] if desc else [])
    got = e.call(*args)
    ordered = sorted((str(v).encode() for v in vals), key=lambda b: (int(b), b), reverse=desc)
    start = max(off, 0)
    end = len(ordered) if cnt < 0 else start + cnt
    assert got == ordered[start:end]
