"""redis-py's PubSub against a real server and against ``lab.connect().pubsub()``: the
same calls give the same sequence of message dicts (confirmations, messages, pongs,
keyspace notifications), RESP2 and RESP3, decoded or not."""

from __future__ import annotations

import time

import pytest
import redis

import lab
from lab.redis_client import LabPubSub


def _pending(p, wait: float) -> bool:
    if isinstance(p, LabPubSub):
        return bool(p._lab_inbox)
    return p.connection is not None and p.connection.can_read(timeout=wait)


def _drain(p, wait: float) -> list:
    """Every message get_message returns until nothing is left to read (a handled or
    ignored message reads as None: keep going while the connection has data)."""
    out = []
    while True:
        m = p.get_message(timeout=wait)
        if m is not None:
            out.append(m)
        elif not p.subscribed or not _pending(p, wait):
            return out


class _Side:
    def __init__(self, r: redis.Redis, p, wait: float, sleep):
        self.r, self.p, self.wait, self.sleep = r, p, wait, sleep

    def drain(self) -> list:
        return _drain(self.p, self.wait)


def _sides(redis_server, decode=True, protocol=2):
    real = redis.Redis(host="127.0.0.1", port=redis_server.port, decode_responses=decode,
                       protocol=protocol)
    real.flushall()
    real.config_set("notify-keyspace-events", "")
    mine = lab.connect(decode_responses=decode, protocol=protocol)

    def advance(ms):
        mine.engine.advance(ms)

    sides = [_Side(real, real.pubsub(), 0.3, lambda ms: time.sleep(ms / 1000)),
             _Side(mine, mine.pubsub(), 0, advance)]
    yield sides
    for s in sides:
        s.p.close()
    real.config_set("notify-keyspace-events", "")
    real.flushall()
    real.close()


def _run(sides, script) -> list:
    """Run ``script(side)`` on both sides; return the two recorded transcripts."""
    return [script(s) for s in sides]


def _channels_script(s: _Side) -> list:
    p, r = s.p, s.r
    log = []
    p.subscribe("a", "b")
    p.psubscribe("x*", "y?")
    log.append(("subscribed", p.subscribed, sorted(p.channels), sorted(p.patterns)))
    log += s.drain()
    log.append(("publish", r.publish("a", "1"), r.publish("xa", "2"), r.publish("yb", "3"),
                r.publish("none", "4"), r.publish("b", "5")))
    log += s.drain()
    p.ping()
    p.ping("hello")
    log += s.drain()
    p.unsubscribe("a")
    log += s.drain()
    log.append(("after unsub a", sorted(p.channels), p.subscribed))
    r.publish("a", "lost")
    p.unsubscribe()
    p.punsubscribe("x*")
    log += s.drain()
    p.punsubscribe()
    log += s.drain()
    log.append(("end", p.subscribed, p.channels, p.patterns))
    p.unsubscribe()  # nothing subscribed: a null-channel confirmation
    log += s.drain()
    return log


@pytest.mark.parametrize("decode", [True, False])
@pytest.mark.parametrize("protocol", [2, 3])
def test_channels_and_patterns(redis_server, decode, protocol):
    gen = _sides(redis_server, decode, protocol)
    sides = next(gen)
    real, mine = _run(sides, _channels_script)
    assert mine == real
    gen.close()


def _handlers_script(s: _Side) -> list:
    p, r = s.p, s.r
    got = []
    p.subscribe(**{"h": got.append})
    p.psubscribe(**{"p*": got.append})
    p.subscribe("plain")
    log = s.drain()
    r.publish("h", "x")
    r.publish("pq", "y")
    r.publish("plain", "z")
    log += s.drain()
    log.append(("handled", got))
    p2 = r.pubsub(ignore_subscribe_messages=True)
    p2.subscribe("q")
    r.publish("q", "only")
    log.append(("ignore", _drain(p2, s.wait)))
    p2.close()
    return log


@pytest.mark.parametrize("protocol", [2, 3])
def test_handlers_and_ignore_subscribe_messages(redis_server, protocol):
    gen = _sides(redis_server, True, protocol)
    real, mine = _run(next(gen), _handlers_script)
    assert mine == real
    gen.close()


def _shard_script(s: _Side) -> list:
    p, r = s.p, s.r
    p.ssubscribe("s1", "s2")
    log = s.drain()
    log.append(r.spublish("s1", "m"))
    log += s.drain()
    p.sunsubscribe("s1")
    log += s.drain()
    p.sunsubscribe()
    log += s.drain()
    log.append(p.subscribed)
    return log


@pytest.mark.parametrize("protocol", [2, 3])
def test_shard_channels(redis_server, protocol):
    gen = _sides(redis_server, True, protocol)
    real, mine = _run(next(gen), _shard_script)
    assert mine == real
    gen.close()


def _keyspace_script(s: _Side) -> list:
    p, r = s.p, s.r
    r.config_set("notify-keyspace-events", "KEA")
    p.psubscribe("__keyspace@0__:*", "__keyevent@0__:*")
    log = s.drain()
    r.set("k", "v")
    r.expire("k", 100)
    r.persist("k")
    r.append("k", "w")
    r.incr("n")
    r.incrbyfloat("n", 1.5)
    r.rpush("l", "a", "b")
    r.lpop("l")
    r.rpop("l")  # the list is deleted: rpop then del
    r.hset("h", mapping={"f": "1"})
    r.hincrby("h", "f", 2)
    r.sadd("s", "m")
    r.srem("s", "m")
    r.zadd("z", {"m": 1})
    r.zincrby("z", 2, "m")
    r.rename("k", "k2")
    r.copy("k2", "k3")
    r.delete("k2", "k3", "nope")
    r.set("t", "1", px=50)
    s.sleep(200)
    r.get("t")  # expired (lazily, or by the active cycle before this)
    r.getdel("n")
    r.set("u", "1")
    r.getex("u", ex=10)
    r.unlink("u")
    log += s.drain()
    return log


@pytest.mark.parametrize("protocol", [2, 3])
def test_keyspace_notifications(redis_server, protocol):
    gen = _sides(redis_server, True, protocol)
    real, mine = _run(next(gen), _keyspace_script)
    assert mine == real
    gen.close()


def _keyevent_filter_script(s: _Side) -> list:
    p, r = s.p, s.r
    r.config_set("notify-keyspace-events", "Eg$x")  # keyevent only: generic, string, expired
    p.subscribe("__keyevent@0__:set", "__keyevent@0__:del", "__keyevent@0__:expired")
    log = s.drain()
    r.set("a", "1")
    r.rpush("l", "x")  # list events are not enabled
    r.delete("a", "l")
    r.set("e", "1", px=20)
    s.sleep(300)
    r.exists("e")
    log += s.drain()
    return log


def test_keyevent_classes(redis_server):
    gen = _sides(redis_server)
    real, mine = _run(next(gen), _keyevent_filter_script)
    assert mine == real
    gen.close()


def _evicted_script(s: _Side) -> list:
    p, r = s.p, s.r
    r.config_set("notify-keyspace-events", "Ee")
    p.subscribe("__keyevent@0__:evicted")
    log = s.drain()
    r.set("victim", "x" * 1000)
    r.config_set("maxmemory-policy", "allkeys-lru")
    try:
        r.config_set("maxmemory", "1")
        try:
            r.set("new", "y")
        except redis.ResponseError as exc:
            log.append(("error", str(exc)))
    finally:
        r.config_set("maxmemory", "0")
        r.config_set("maxmemory-policy", "noeviction")
    log += s.drain()
    return log


def test_evicted_event(redis_server):
    gen = _sides(redis_server)
    real, mine = _run(next(gen), _evicted_script)
    assert mine == real
    gen.close()
