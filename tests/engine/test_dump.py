"""DUMP / RESTORE unit tests (no server needed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError
from lab.engine.dump import verify_dump_payload

# DUMP of SET s hello on a real 7.0.15 server
REAL_HELLO = b"\x00\x05hello\n\x00cr\xdfve4 \n"


def test_dump_string_matches_real():
    e = Engine()
    e.call("SET", "s", "hello")
    assert e.call("DUMP", "s") == REAL_HELLO
    assert e.call("DUMP", "nokey") is None
    assert verify_dump_payload(REAL_HELLO)
    assert not verify_dump_payload(REAL_HELLO[:-1])


def test_restore_roundtrip_types():
    e = Engine()
    e.call("RPUSH", "l", "a", "1", "b")
    e.call("HSET", "h", "f", "v")
    e.call("SADD", "s", "1", "2")
    e.call("SADD", "t", "x", "y")
    e.call("ZADD", "z", 1, "a", 2, "b")
    for k in ("l", "h", "s", "t", "z"):
        p = e.call("DUMP", k)
        assert e.call("RESTORE", k + "2", 0, p) == "OK"
        assert e.call("OBJECT", "ENCODING", k + "2") == e.call("OBJECT", "ENCODING", k)
        assert e.call("DUMP", k + "2") == p or k == "t"
    assert e.call("LRANGE", "l2", 0, -1) == [b"a", b"1", b"b"]
    assert e.call("ZRANGE", "z2", 0, -1, "WITHSCORES") == [b"a", 1.0, b"b", 2.0]


def test_restore_errors_and_ttl():
    e = Engine()
    with pytest.raises(ReplyError, match="Invalid TTL"):
        e.call("RESTORE", "k", -1, REAL_HELLO)
    with pytest.raises(ReplyError, match="checksum"):
        e.call("RESTORE", "k", 0, REAL_HELLO[:-1])
    with pytest.raises(ReplyError, match="syntax error"):
        e.call("RESTORE", "k", 0, REAL_HELLO, "IDLETIME", 1, "FREQ", 1)
    e.call("RESTORE", "k", 5000, REAL_HELLO)
    assert e.call("PTTL", "k") == 5000
    with pytest.raises(ReplyError, match="BUSYKEY"):
        e.call("RESTORE", "k", 0, REAL_HELLO)
    e.call("RESTORE", "k", 0, REAL_HELLO, "REPLACE")
    assert e.call("TTL", "k") == -1
    assert e.call("RESTORE", "gone", 1, REAL_HELLO, "ABSTTL") == "OK"
    assert e.call("EXISTS", "gone") == 0


def test_restore_propagates_absolute_ttl():
    e = Engine()
    c = e.default_client
    c.execute([b"RESTORE", b"k", b"100", REAL_HELLO, b"REPLACE"])
    assert c.rewrite_argv == [b"RESTORE", b"k", b"%d" % (e.mstime + 100), REAL_HELLO,
                              b"REPLACE", b"ABSTTL"]


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.lists(st.binary(max_size=70), min_size=1, max_size=30))
def test_list_roundtrip(items):
    e = Engine()
    e.call("RPUSH", "l", *items)
    p = e.call("DUMP", "l")
    e.call("RESTORE", "m", 0, p)
    assert e.call("LRANGE", "m", 0, -1) == items
    assert e.call("DUMP", "m") == p
