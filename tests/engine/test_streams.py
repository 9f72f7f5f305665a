"""Streams in process: ids on the virtual clock, blocking, propagation, COPY, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import NULL_ARRAY, Engine
from lab.engine.blocking import BLOCKED, allow_blocking
from lab.engine.errors import ReplyError
from lab.engine.streams import StreamValue, rax_node_count, stream_value_size


@pytest.fixture
def e():
    return Engine()


def run(c, *args):
    return c.execute([a if isinstance(a, bytes) else str(a).encode() for a in args])


def test_generated_ids_follow_the_virtual_clock(e):
    now = e.mstime
    assert e.call("XADD", "s", "*", "a", "1") == b"%d-0" % now
    assert e.call("XADD", "s", "*", "a", "1") == b"%d-1" % now
    e.advance(5)
    assert e.call("XADD", "s", "*", "a", "1") == b"%d-0" % (now + 5)
    assert e.call("XADD", "s", "%d-*" % (now + 5), "a", "1") == b"%d-1" % (now + 5)
    e._check()


def test_future_last_id_keeps_incrementing(e):
    e.call("XADD", "s", "99999999999999-5", "a", "1")
    assert e.call("XADD", "s", "*", "a", "1") == b"99999999999999-6"


def test_type_encoding_copy(e):
    e.call("XADD", "s", "1-1", "a", "1")
    e.call("XGROUP", "CREATE", "s", "g", "0")
    e.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    assert e.call("TYPE", "s") == "stream"
    assert e.call("OBJECT", "ENCODING", "s") == b"stream"
    assert e.call("COPY", "s", "t") == 1
    e.call("XACK", "t", "g", "1-1")
    assert e.call("XPENDING", "s", "g")[0] == 1
    assert e.call("XPENDING", "t", "g")[0] == 0
    e._check()
    assert stream_value_size(e.keyspace()[b"s"].val) > 0


def test_xread_block_served_by_xadd(e):
    a = allow_blocking(e.client())
    assert run(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$") is BLOCKED
    e.call("XADD", "s", "1-1", "f", "v")
    assert list(a.deferred_replies) == [[[b"s", [[b"1-1", [b"f", b"v"]]]]]]
    assert e.blocked_clients == 0


def test_xread_block_dollar_on_existing_stream(e):
    e.call("XADD", "s", "1-1", "f", "old")
    a = allow_blocking(e.client())
    assert run(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$") is BLOCKED
    e.call("XADD", "s", "2-1", "f", "new")
    assert list(a.deferred_replies) == [[[b"s", [[b"2-1", [b"f", b"new"]]]]]]


def test_xreadgroup_block_and_timeout(e):
    e.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    a = allow_blocking(e.client())
    b = allow_blocking(e.client())
    assert run(a, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">") is BLOCKED
    assert run(b, "XREAD", "BLOCK", "100", "STREAMS", "s", "$") is BLOCKED
    e.call("XADD", "s", "1-1", "f", "v")
    assert list(a.deferred_replies) == [[[b"s", [[b"1-1", [b"f", b"v"]]]]]]
    assert list(b.deferred_replies) == [[[b"s", [[b"1-1", [b"f", b"v"]]]]]]
    assert e.call("XPENDING", "s", "g")[0] == 1
    c = allow_blocking(e.client())
    assert run(c, "XREAD", "BLOCK", "100", "STREAMS", "s", "$") is BLOCKED
    e.advance(101)
    assert list(c.deferred_replies) == [NULL_ARRAY]


def test_in_process_client_does_not_block(e):
    assert e.execute("XREAD", "BLOCK", "0", "STREAMS", "s", "$") is NULL_ARRAY


def test_propagation(e):
    seen = []
    e.propagate_listeners.append(lambda db, argv: seen.append(argv))
    e.call("XADD", "s", "*", "a", "1")
    assert seen[-1][2] == b"%d-0" % e.mstime
    for i in range(2, 300):
        e.call("XADD", "s", "%d-1" % (e.mstime + i), "a", "1")
    e.call("XTRIM", "s", "MAXLEN", "~", "10")
    assert seen[-1][:3] == [b"XTRIM", b"s", b"MAXLEN"] and seen[-1][3] == b"="
    assert int(seen[-1][4]) == e.call("XLEN", "s")
    e.call("XGROUP", "CREATE", "s", "g", "0")
    n = len(seen)
    e.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">")
    names = [a[0] for a in seen[n:]]
    assert names == [b"XGROUP", b"XCLAIM", b"XCLAIM", b"XGROUP"]
    assert seen[n][1] == b"CREATECONSUMER" and seen[-1][1] == b"SETID"


def test_keyspace_events(e):
    e.config.notify_keyspace_events = "KEA"
    e.refresh_policy()
    sub = e.client()
    sub.call("SUBSCRIBE", "__keyevent@0__:xadd", "__keyevent@0__:xgroup-create",
             "__keyevent@0__:xtrim")
    e.call("XADD", "s", "MAXLEN", "0", "1-1", "a", "1")
    e.call("XGROUP", "CREATE", "s", "g", "0")
    msgs = [m[1] for m in sub.pending_pushes if m[0] == b"message"]
    assert msgs == [b"__keyevent@0__:xadd", b"__keyevent@0__:xtrim", b"__keyevent@0__:xgroup-create"]


def test_errors(e):
    with pytest.raises(ReplyError, match="equal or smaller"):
        e.call("XADD", "s", "1-1", "a", "1") and e.call("XADD", "s", "1-1", "a", "1")
    with pytest.raises(ReplyError, match="BUSYGROUP"):
        e.call("XGROUP", "CREATE", "s", "g", "0")
        e.call("XGROUP", "CREATE", "s", "g", "0")


def test_rax_node_count():
    assert rax_node_count([]) == 1
    assert rax_node_count([b"\0" * 16]) == 2


# -- property: the stream against a plain sorted-dict model ---------------------------------
ops = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(1, 40), st.integers(0, 3)),
    st.tuples(st.just("del"), st.integers(1, 40), st.integers(0, 3)),
    st.tuples(st.just("maxlen"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("minid"), st.integers(0, 40), st.booleans()),
), max_size=60)


@settings(max_examples=60, deadline=None)
@given(ops, st.integers(2, 6))
def test_matches_model(script, node_entries):
    e = Engine()
    e.config.stream_node_max_entries = node_entries
    model: dict[tuple[int, int], list[bytes]] = {}
    last = (0, 0)
    e.call("XADD", "s", "0-1", "z", "0")
    model[(0, 1)] = [b"z", b"0"]
    last = (0, 1)
    for op, a, b in script:
        if op == "add":
            eid = (a, b)
            r = e.execute("XADD", "s", "%d-%d" % eid, "f", str(a))
            if eid > last:
                assert r == b"%d-%d" % eid
                model[eid] = [b"f", str(a).encode()]
                last = eid
            else:
                assert isinstance(r, ReplyError)
        elif op == "del":
            n = e.call("XDEL", "s", "%d-%d" % (a, b))
            assert n == (1 if model.pop((a, b), None) is not None else 0)
        elif op == "maxlen":
            before = len(model)
            n = e.call("XTRIM", "s", "MAXLEN", "~" if b else "=", str(a))
            if not b:
                assert len(model) - n == min(len(model), max(a, len(model) - n))
                assert before - n == max(min(before, a), 0) or before <= a
            for k in sorted(model)[:n]:
                del model[k]
            if not b:
                assert len(model) == min(before, a)
            else:
                assert len(model) >= min(before, a)
        else:
            n = e.call("XTRIM", "s", "MINID", "~" if b else "=", "%d" % a)
            doomed = [k for k in sorted(model) if k < (a, 0)]
            if not b:
                assert n == len(doomed)
            assert n <= len(doomed)
            for k in sorted(model)[:n]:
                del model[k]
        got = e.call("XRANGE", "s", "-", "+")
        assert [(tuple(map(int, i.split(b"-"))), f) for i, f in got] == sorted(
            (k, v) for k, v in model.items())
        assert e.call("XLEN", "s") == len(model)
        e._check()


def test_value_copy_is_deep():
    s = StreamValue()
    s.append((1, 1), [b"a", b"1"], 4096, 100)
    t = s.copy()
    t.delete((1, 1))
    assert len(s) == 1 and len(t) == 0
