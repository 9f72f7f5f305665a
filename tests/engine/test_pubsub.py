"""Pub/sub in process (lab/engine/pubsub.py): subscriptions, PUBLISH counts, patterns,
pushes queued on the client, keyspace notifications, the RESP2 subscribed context."""

from __future__ import annotations

import pytest

from lab.engine import Engine
from lab.engine.errors import ReplyError
from lab.engine.reply import Push, ReplySeq, encode_resp


@pytest.fixture
def e():
    return Engine()


def run(c, *args):
    return c.execute([a if isinstance(a, bytes) else str(a).encode() for a in args])


def test_subscribe_replies_one_push_per_channel(e):
    c = e.client()
    r = run(c, "SUBSCRIBE", "a", "b", "a")
    assert isinstance(r, ReplySeq) and all(type(x) is Push for x in r)
    assert r == [[b"subscribe", b"a", 1], [b"subscribe", b"b", 2], [b"subscribe", b"a", 2]]
    assert encode_resp(r, 2).startswith(b"*3\r\n$9\r\nsubscribe\r\n")
    assert encode_resp(r, 3).startswith(b">3\r\n$9\r\nsubscribe\r\n")


def test_publish_counts_receivers_across_clients(e):
    a, b, p = e.client(), e.client(), e.client()
    run(a, "SUBSCRIBE", "news")
    run(b, "SUBSCRIBE", "news")
    run(b, "PSUBSCRIBE", "n*", "x*")
    assert e.call("PUBLISH", "news", "hi") == 3
    assert list(a.pending_pushes) == [[b"message", b"news", b"hi"]]
    assert list(b.pending_pushes) == [[b"message", b"news", b"hi"],
                                      [b"pmessage", b"n*", b"news", b"hi"]]
    assert run(p, "PUBLISH", "other", "x") == 0
    assert e.publish(b"xyz", b"m") == 1


def test_unsubscribe_and_counts(e):
    c = e.client()
    run(c, "SUBSCRIBE", "a", "b")
    run(c, "PSUBSCRIBE", "p*")
    assert run(c, "UNSUBSCRIBE", "a") == [[b"unsubscribe", b"a", 2]]
    assert run(c, "UNSUBSCRIBE") == [[b"unsubscribe", b"b", 1]]
    assert run(c, "PUNSUBSCRIBE") == [[b"punsubscribe", b"p*", 0]]
    assert run(c, "UNSUBSCRIBE") == [[b"unsubscribe", None, 0]]
    assert not e.pubsub_channels and not e.pubsub_patterns
    assert run(c, "GET", "k") is None  # left the subscribed context


def test_resp2_subscribed_context(e):
    c = e.client()
    run(c, "SUBSCRIBE", "a")
    err = run(c, "GET", "k")
    assert err == ReplyError("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE "
                             "/ PING / QUIT / RESET are allowed in this context")
    assert run(c, "CLIENT", "ID") == ReplyError(
        "ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT "
        "/ RESET are allowed in this context")
    assert run(c, "PING") == [b"pong", b""]
    assert run(c, "PING", "x") == [b"pong", b"x"]
    c.resp = 3
    assert run(c, "GET", "k") is None  # RESP3: no restriction


def test_reset_leaves_pubsub(e):
    c = e.client()
    run(c, "SUBSCRIBE", "a")
    run(c, "PSUBSCRIBE", "b*")
    assert run(c, "RESET") == "RESET"
    assert not e.pubsub_channels and not e.pubsub_patterns
    assert run(c, "GET", "k") is None


def test_close_unsubscribes(e):
    c = e.client()
    run(c, "SUBSCRIBE", "a")
    c.close()
    assert e.call("PUBLISH", "a", "x") == 0
    assert e.call("PUBSUB", "NUMSUB", "a") == [b"a", 0]


def test_pubsub_introspection(e):
    a, b = e.client(), e.client()
    run(a, "SUBSCRIBE", "news.1", "news.2")
    run(b, "SUBSCRIBE", "news.1", "misc")
    run(b, "PSUBSCRIBE", "n*", "n*")
    assert sorted(e.call("PUBSUB", "CHANNELS")) == [b"misc", b"news.1", b"news.2"]
    assert sorted(e.call("PUBSUB", "CHANNELS", "news.*")) == [b"news.1", b"news.2"]
    assert e.call("PUBSUB", "NUMSUB", "news.1", "misc", "none") == [b"news.1", 2, b"misc", 1,
                                                                     b"none", 0]
    assert e.call("PUBSUB", "NUMPAT") == 1
    assert e.call("PUBSUB", "NUMSUB") == []
    assert e.call("PUBSUB", "HELP")[0].startswith("PUBSUB <subcommand>")


def test_shard_channels(e):
    a = e.client()
    assert run(a, "SSUBSCRIBE", "s1") == [[b"ssubscribe", b"s1", 1]]
    assert e.call("SPUBLISH", "s1", "m") == 1
    assert list(a.pending_pushes) == [[b"smessage", b"s1", b"m"]]
    assert e.call("PUBSUB", "SHARDNUMSUB", "s1") == [b"s1", 1]
    assert e.call("PUBSUB", "SHARDCHANNELS") == [b"s1"]
    assert run(a, "SUNSUBSCRIBE") == [[b"sunsubscribe", b"s1", 0]]


def test_keyspace_notifications_reach_subscribers(e):
    c = e.client()
    e.call("CONFIG", "SET", "notify-keyspace-events", "KEA")
    run(c, "PSUBSCRIBE", "__key*__:*")
    e.call("SET", "k", "v")
    assert list(c.pending_pushes) == [
        [b"pmessage", b"__key*__:*", b"__keyspace@0__:k", b"set"],
        [b"pmessage", b"__key*__:*", b"__keyevent@0__:set", b"k"],
    ]


def test_subscribe_inside_multi(e):
    c = e.client()
    run(c, "MULTI")
    run(c, "SUBSCRIBE", "a", "b")
    run(c, "PING")
    r = run(c, "EXEC")
    assert encode_resp(r, 2) == (
        b"*2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
        b"*2\r\n$4\r\npong\r\n$0\r\n\r\n")


def test_monitor_in_process(e):
    m = e.client()
    assert run(m, "MONITOR") == "OK"
    e.call("SET", "a b", 'x"\n\x00\xff')
    e.execute("AUTH", "pw")
    e.call("CONFIG", "GET", "hz")  # admin: not shown
    lines = [str(x) for x in m.pending_pushes]
    assert len(lines) == 2
    assert lines[0].endswith('[0 in-process:0] "SET" "a b" "x\\"\\n\\x00\\xc3\\xbf"')
    assert lines[1].endswith('"AUTH" "(redacted)"')
    assert run(m, "GET", "x") == ReplyError("ERR Replica can't interact with the keyspace")
    assert run(m, "RESET") == "RESET"
    assert not e.monitors
