"""``lab.connect().pubsub()``: redis-py's PubSub over an in-process engine connection."""

from __future__ import annotations

import threading
import time

import pytest
import redis

import lab
from lab.engine import Engine
from lab.redis_client import LabPubSub


def _msg(type_, channel, data, pattern=None):
    return {"type": type_, "pattern": pattern, "channel": channel, "data": data}


def _drain(p):
    """Every message get_message returns until nothing is left to read (a handled or
    ignored message reads as None: keep going while the connection has data)."""
    out = []
    while True:
        m = p.get_message()
        if m is not None:
            out.append(m)
        elif not p.subscribed or not p._lab_inbox:
            return out


def test_pubsub_is_a_redis_py_pubsub():
    p = lab.connect().pubsub()
    assert isinstance(p, LabPubSub) and isinstance(p, redis.client.PubSub)
    assert p.get_message() is None  # not subscribed: nothing, at once
    assert p.get_message(timeout=None) is None  # no other thread could ever subscribe it
    with pytest.raises(RuntimeError, match="did you forget"):
        p.parse_response(block=False)


def test_subscribe_publish_unsubscribe():
    r = lab.connect()
    p = r.pubsub()
    assert p.subscribe("a", "b") is None
    assert p.subscribed and set(p.channels) == {"a", "b"}
    assert r.publish("a", "hi") == 1
    assert r.engine.call("PUBLISH", "b", "x") == 1  # engine.call reaches it too
    assert _drain(p) == [_msg("subscribe", "a", 1), _msg("subscribe", "b", 2),
                         _msg("message", "a", "hi"), _msg("message", "b", "x")]
    p.unsubscribe("a")
    assert _drain(p) == [_msg("unsubscribe", "a", 1)]
    assert list(p.channels) == ["b"]
    assert r.publish("a", "lost") == 0
    p.unsubscribe()
    assert _drain(p) == [_msg("unsubscribe", "b", 0)]
    assert not p.subscribed and p.channels == {}


def test_patterns_and_shard_channels():
    r = lab.connect()
    p = r.pubsub()
    p.psubscribe("news.*")
    p.ssubscribe("sh")
    assert r.publish("news.tech", "x") == 1
    assert r.spublish("sh", "y") == 1
    assert _drain(p) == [_msg("psubscribe", "news.*", 1), _msg("ssubscribe", "sh", 1),
                         _msg("pmessage", "news.tech", "x", "news.*"), _msg("smessage", "sh", "y")]
    p.punsubscribe()
    p.sunsubscribe("sh")
    assert _drain(p) == [_msg("punsubscribe", "news.*", 0), _msg("sunsubscribe", "sh", 0)]
    assert not p.subscribed


def test_bytes_and_resp3():
    for protocol in (2, 3):
        r = lab.connect(decode_responses=False, protocol=protocol)
        p = r.pubsub()
        p.subscribe(b"c")
        r.publish("c", b"\xff\x00")
        assert _drain(p) == [_msg("subscribe", b"c", 1), _msg("message", b"c", b"\xff\x00")]
        assert list(p.channels) == [b"c"]


def test_handlers_and_ignore_subscribe_messages():
    r = lab.connect()
    got = []
    p = r.pubsub(ignore_subscribe_messages=True)
    p.subscribe(ch=got.append)
    p.psubscribe(**{"p*": got.append})
    r.publish("ch", "1")
    r.publish("pq", "2")
    assert _drain(p) == []
    assert got == [_msg("message", "ch", "1"), _msg("pmessage", "pq", "2", "p*")]
    p2 = r.pubsub()
    p2.subscribe("z")
    r.publish("z", "v")
    assert p2.get_message(ignore_subscribe_messages=True) is None  # the confirmation
    assert p2.get_message(ignore_subscribe_messages=True) == _msg("message", "z", "v")


def test_ping_inside_pubsub():
    p = lab.connect().pubsub()
    p.subscribe("a")
    p.ping()
    p.ping("m")
    assert _drain(p)[1:] == [_msg("pong", None, ""), _msg("pong", None, "m")]


def test_error_reply_raises_on_read():
    p = lab.connect().pubsub()
    p.subscribe("a")
    p.execute_command("GET", "k")  # not allowed in the RESP2 subscribed context
    p.get_message()
    with pytest.raises(redis.ResponseError, match="only \\(P\\|S\\)SUBSCRIBE"):
        p.get_message()


def test_listen_yields_pending_then_ends_without_other_threads():
    r = lab.connect()
    p = r.pubsub()
    p.subscribe("a")
    r.publish("a", "1")
    r.publish("a", "2")
    t0 = time.monotonic()
    assert [m["data"] for m in p.listen()] == [1, "1", "2"]
    assert p.get_message(timeout=None) is None
    assert p.get_message(timeout=0) is None
    assert time.monotonic() - t0 < 1


def test_get_message_timeout_waits():
    p = lab.connect().pubsub()
    p.subscribe("a")
    p.get_message()
    t0 = time.monotonic()
    assert p.get_message(timeout=0.1) is None
    assert 0.09 <= time.monotonic() - t0 < 2


def test_listen_blocks_until_a_publisher_thread_publishes():
    e = Engine()
    r = lab.connect(e)
    p = r.pubsub(ignore_subscribe_messages=True)
    p.subscribe("a")

    def publisher():
        pub = lab.connect(e)
        for i in range(3):
            time.sleep(0.05)
            pub.publish("a", str(i))

    t = threading.Thread(target=publisher)
    t.start()
    got = []
    for m in p.listen():
        got.append(m["data"])
        if len(got) == 3:
            break
    t.join()
    assert got == ["0", "1", "2"]


def test_run_in_thread():
    e = Engine()
    r = lab.connect(e)
    p = r.pubsub()
    got = []
    done = threading.Event()

    def handler(m):
        got.append(m["data"])
        if len(got) == 2:
            done.set()

    p.subscribe(ch=handler)
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    r.publish("ch", "a")
    lab.connect(e).publish("ch", "b")
    assert done.wait(5)
    worker.stop()
    worker.join(5)
    assert got == ["a", "b"]
    assert not worker.is_alive()
    assert e.call("PUBSUB", "NUMSUB", "ch") == [b"ch", 0]  # close() dropped it


def test_close_reset_and_context_manager():
    e = Engine()
    r = lab.connect(e)
    with r.pubsub() as p:
        p.subscribe("a")
        p.psubscribe("b*")
        assert e.call("PUBSUB", "NUMSUB", "a") == [b"a", 1]
    assert p.connection is None and p.channels == {} and p.patterns == {}
    assert e.call("PUBSUB", "NUMSUB", "a") == [b"a", 0]
    assert e.call("PUBSUB", "NUMPAT") == 0
    assert r.publish("a", "x") == 0
    p.subscribe("c")  # usable again after reset
    assert _drain(p) == [_msg("subscribe", "c", 1)]
    p.close()


def test_client_kill_reconnects_and_resubscribes():
    e = Engine()
    r = lab.connect(e)
    p = r.pubsub()
    p.subscribe("a")
    _drain(p)
    p.connection.close()
    assert _drain(p) == [_msg("subscribe", "a", 1)]  # on_connect re-subscribed
    r.publish("a", "x")
    assert _drain(p) == [_msg("message", "a", "x")]


def test_health_check_responses_are_swallowed():
    r = lab.connect(health_check_interval=0.01)
    p = r.pubsub()
    p.subscribe("a")
    time.sleep(0.02)
    r.publish("a", "x")
    assert _drain(p) == [_msg("subscribe", "a", 1), _msg("message", "a", "x")]


def test_keyspace_notifications_reach_subscribers():
    e = Engine()
    r = lab.connect(e)
    r.config_set("notify-keyspace-events", "KEA")
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe("__keyevent@0__:*")
    r.set("k", "v", px=100)
    e.advance(1000)
    r.get("k")
    assert [(m["channel"], m["data"]) for m in _drain(p)] == [
        ("__keyevent@0__:set", "k"), ("__keyevent@0__:expire", "k"),
        ("__keyevent@0__:expired", "k")]
