"""lab.connect(): a real redis.Redis running commands in process."""

from __future__ import annotations

import pytest
import redis

import lab
from lab.redis_client import LabPipeline, LabRedis


def test_is_a_real_redis_client():
    r = lab.connect()
    assert isinstance(r, redis.Redis) and isinstance(r, LabRedis)
    assert r.ping() is True
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    assert r.connection_pool._created_connections == 0  # never touched a socket


def test_decode_responses_false_returns_bytes():
    r = lab.connect(decode_responses=False)
    r.set("k", "v")
    assert r.get("k") == b"v"
    assert r.mget("k", "nope") == [b"v", None]


def test_errors_are_redis_py_exceptions():
    r = lab.connect()
    r.rpush("l", "a")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.get("l")
    with pytest.raises(redis.ResponseError) as info:
        r.execute_command("INCRBY", "k", "x")
    assert str(info.value) == "value is not an integer or out of range"


def test_engine_shared_between_clients():
    e = lab.Engine()
    a, b = lab.connect(e), lab.connect(e)
    a.set("x", 1)
    assert b.get("x") == "1"
    assert e.call("GET", "x") == b"1"


def test_db_argument_selects_database():
    e = lab.Engine()
    r1 = lab.connect(e, db=1)
    r1.set("k", "in-db1")
    assert lab.connect(e).get("k") is None
    assert r1.get("k") == "in-db1"


def test_pipeline_transaction_and_plain():
    r = lab.connect()
    p = r.pipeline()
    assert isinstance(p, LabPipeline)
    p.set("a", 1).incr("a").get("a")
    assert p.execute() == [True, 2, "2"]
    p = r.pipeline(transaction=False)
    p.incr("a").rpush("a", "x").get("a")
    res = p.execute(raise_on_error=False)
    assert res[0] == 3 and isinstance(res[1], redis.ResponseError) and res[2] == "3"


def test_transaction_runtime_error_does_not_roll_back():
    r = lab.connect()
    r.set("s", "text")
    p = r.pipeline()
    p.set("a", "1").incr("s").set("b", "2")
    with pytest.raises(redis.ResponseError):
        p.execute()
    assert r.get("a") == "1" and r.get("b") == "2"


def test_queue_error_aborts_transaction():
    r = lab.connect()
    p = r.pipeline()
    p.set("a", "1").execute_command("NOSUCHCOMMAND")
    with pytest.raises(redis.ResponseError, match="unknown command"):
        p.execute()
    assert r.get("a") is None


def test_watch_conflict_raises_watch_error():
    e = lab.Engine()
    r, other = lab.connect(e), lab.connect(e)
    r.set("balance", 10)
    with r.pipeline() as p:
        p.watch("balance")
        current = int(p.get("balance"))
        other.set("balance", 99)  # a concurrent writer
        p.multi()
        p.set("balance", current + 1)
        with pytest.raises(redis.WatchError):
            p.execute()
    assert r.get("balance") == "99"


def test_transaction_helper_retries_until_success():
    e = lab.Engine()
    r, other = lab.connect(e), lab.connect(e)
    r.set("n", 0)
    attempts = []

    def incr(pipe):
        v = int(pipe.get("n"))
        if not attempts:
            other.set("n", 100)
        attempts.append(v)
        pipe.multi()
        pipe.set("n", v + 1)

    r.transaction(incr, "n")
    assert attempts == [0, 100]
    assert r.get("n") == "101"


def test_watch_state_does_not_leak_to_next_pipeline():
    r = lab.connect()
    p = r.pipeline()
    p.watch("k")
    p.reset()
    r.set("k", "changed")
    p2 = r.pipeline()
    p2.set("z", 1)
    assert p2.execute() == [True]


def test_scan_iter_visits_every_key():
    r = lab.connect()
    for i in range(300):
        r.set(f"user:{i}", i)
    r.set("other", 1)
    assert sorted(r.scan_iter(match="user:*", count=17)) == sorted(f"user:{i}" for i in range(300))


def test_resp3_protocol():
    r = lab.connect(protocol=3)
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert r.hgetall("h") == {"a": "1", "b": "2"}
    r.zadd("z", {"m": 1.5})
    assert r.zscore("z", "m") == 1.5


def test_url_returns_plain_client():
    r = lab.connect(url="redis://127.0.0.1:1/0")
    assert type(r) is redis.Redis


def test_engine_and_url_are_exclusive():
    with pytest.raises(ValueError):
        lab.connect(lab.Engine(), url="redis://127.0.0.1:1")
