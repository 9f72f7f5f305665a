"""Blocking commands in process (lab/engine/blocking.py): clients that may block, FIFO
serving, virtual-clock timeouts, MULTI, type mismatches, disconnects."""

from __future__ import annotations

import pytest

from lab.engine import NULL_ARRAY, Engine
from lab.engine.blocking import BLOCKED, allow_blocking
from lab.engine.errors import ReplyError


@pytest.fixture
def e():
    return Engine()


def blocker(e):
    return allow_blocking(e.client())


def run(c, *args):
    return c.execute([a if isinstance(a, bytes) else str(a).encode() for a in args])


def test_in_process_clients_do_not_block_by_default(e):
    assert e.execute("BLPOP", "k", "0") is NULL_ARRAY
    assert e.execute("BLMOVE", "a", "b", "LEFT", "LEFT", "0") is None
    assert e.execute("BZPOPMIN", "z", "0") is NULL_ARRAY
    assert e.blocked_clients == 0


def test_blpop_served_by_a_push(e):
    a = blocker(e)
    assert run(a, "BLPOP", "k", "0") is BLOCKED
    assert e.blocked_clients == 1
    assert e.call("LPUSH", "k", "x") == 1
    assert list(a.deferred_replies) == [[b"k", b"x"]]
    assert e.blocked_clients == 0
    assert e.call("EXISTS", "k") == 0  # the element went to the blocked client


def test_fifo_order_across_three_clients(e):
    cs = [blocker(e) for _ in range(3)]
    for c in cs:
        assert run(c, "BRPOP", "q", "0") is BLOCKED
    e.call("RPUSH", "q", "1", "2")  # two elements: the first two blocked clients
    assert [list(c.deferred_replies) for c in cs] == [[[b"q", b"2"]], [[b"q", b"1"]], []]
    e.call("RPUSH", "q", "3")
    assert list(cs[2].deferred_replies) == [[b"q", b"3"]]


def test_multi_key_served_from_the_ready_key(e):
    a = blocker(e)
    assert run(a, "BLPOP", "k1", "k2", "k3", "0") is BLOCKED
    e.call("RPUSH", "k3", "v")
    assert list(a.deferred_replies) == [[b"k3", b"v"]]
    assert not e.blocking_keys


def test_timeout_on_the_virtual_clock(e):
    a = blocker(e)
    assert run(a, "BLPOP", "k", "1.5") is BLOCKED
    e.advance(1500)
    assert not a.deferred_replies  # deadline not yet strictly past
    e.advance(1)
    assert list(a.deferred_replies) == [NULL_ARRAY]
    assert e.blocked_clients == 0
    e.call("LPUSH", "k", "late")
    assert e.call("LLEN", "k") == 1


def test_timeout_zero_waits_forever(e):
    a = blocker(e)
    run(a, "BLPOP", "k", "0")
    e.advance(10**7)
    assert not a.deferred_replies
    e.call("RPUSH", "k", "x")
    assert list(a.deferred_replies) == [[b"k", b"x"]]


def test_blmove_timeout_reply_is_a_null_array(e):
    a = blocker(e)
    assert run(a, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0.01") is BLOCKED
    e.advance(11)
    assert list(a.deferred_replies) == [NULL_ARRAY]


def test_blmove_and_chained_wakeups(e):
    a, b = blocker(e), blocker(e)
    assert run(a, "BLMOVE", "src", "mid", "LEFT", "RIGHT", "0") is BLOCKED
    assert run(b, "BLPOP", "mid", "0") is BLOCKED
    e.call("RPUSH", "src", "v")
    assert list(a.deferred_replies) == [b"v"]
    assert list(b.deferred_replies) == [[b"mid", b"v"]]  # BLMOVE's push woke b
    assert e.call("EXISTS", "src", "mid") == 0


def test_bzpopmin_and_bzmpop(e):
    a, b = blocker(e), blocker(e)
    assert run(a, "BZPOPMIN", "z", "0") is BLOCKED
    assert run(b, "BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "5") is BLOCKED
    e.call("ZADD", "z", "1", "a", "2", "b", "3", "c")
    assert list(a.deferred_replies) == [[b"z", b"a", 1.0]]
    assert list(b.deferred_replies) == [[b"z", [[b"c", 3.0], [b"b", 2.0]]]]


def test_blmpop_count(e):
    a = blocker(e)
    assert run(a, "BLMPOP", "0", "2", "l1", "l2", "RIGHT", "COUNT", "2") is BLOCKED
    e.call("RPUSH", "l2", "a", "b", "c")
    assert list(a.deferred_replies) == [[b"l2", [b"c", b"b"]]]


def test_wrong_type_key_keeps_the_client_blocked(e):
    a, b = blocker(e), blocker(e)
    run(a, "BZPOPMIN", "k", "0")
    run(b, "BLPOP", "k", "0")
    e.call("RPUSH", "k", "x")  # a list: the zset client stays blocked, b is served
    assert not a.deferred_replies
    assert list(b.deferred_replies) == [[b"k", b"x"]]
    assert a.blocked and e.blocked_clients == 1


def test_no_blocking_inside_multi(e):
    a = blocker(e)
    assert run(a, "MULTI") == "OK"
    assert run(a, "BLPOP", "k", "0") == "QUEUED"
    assert run(a, "BLMOVE", "k", "d", "LEFT", "LEFT", "0") == "QUEUED"
    assert run(a, "EXEC") == [NULL_ARRAY, None]
    assert e.blocked_clients == 0


def test_push_inside_multi_serves_after_exec(e):
    a, b = blocker(e), e.client()
    run(a, "BLPOP", "k", "0")
    run(b, "MULTI")
    run(b, "RPUSH", "k", "1")
    run(b, "RPUSH", "k", "2")
    assert not a.deferred_replies
    assert run(b, "EXEC") == [1, 2]
    assert list(a.deferred_replies) == [[b"k", b"1"]]
    assert e.call("LRANGE", "k", 0, -1) == [b"2"]


def test_disconnect_while_blocked(e):
    a, b = blocker(e), blocker(e)
    run(a, "BLPOP", "k", "0")
    run(b, "BLPOP", "k", "0")
    a.close()
    assert e.blocked_clients == 1
    e.call("RPUSH", "k", "x")
    assert list(b.deferred_replies) == [[b"k", b"x"]]
    assert not e.blocking_keys


def test_client_unblock(e):
    a, b = blocker(e), blocker(e)
    run(a, "BLPOP", "k", "0")
    run(b, "BLPOP", "k", "0")
    assert e.call("CLIENT", "UNBLOCK", a.id) == 1
    assert list(a.deferred_replies) == [NULL_ARRAY]
    assert e.call("CLIENT", "UNBLOCK", b.id, "ERROR") == 1
    assert list(b.deferred_replies) == [ReplyError("UNBLOCKED client unblocked via CLIENT UNBLOCK")]
    assert e.call("CLIENT", "UNBLOCK", b.id) == 0


def test_blocked_command_counts_once(e):
    a = blocker(e)
    before = e.stat_numcommands
    run(a, "BLPOP", "k", "0")
    e.call("RPUSH", "k", "x")
    assert e.cmdstats["blpop"][0] == 1
    assert e.stat_numcommands == before + 2


def test_engine_invariants_after_blocking_churn(e):
    cs = [blocker(e) for _ in range(10)]
    for i, c in enumerate(cs):
        run(c, "BLPOP", f"k{i % 3}", "k9", str(i % 4 + 1))
    e.advance(1500)
    e.call("RPUSH", "k9", *range(5))
    e.advance(5000)
    assert e.blocked_clients == 0 and not e.blocking_keys
    assert sum(len(c.deferred_replies) for c in cs) == 10
    e._check()
