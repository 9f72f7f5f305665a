"""The same redis-py calls against a real server and through lab.connect(): same results,
same exception classes and messages."""

from __future__ import annotations

import redis

import lab


def _outcome(fn, r):
    try:
        return ("ok", fn(r))
    except redis.RedisError as exc:
        return ("error", type(exc).__name__, str(exc))


def _both(redis_server, decode=True):
    real = redis.Redis(host="127.0.0.1", port=redis_server.port, decode_responses=decode)
    real.flushall()
    mine = lab.connect(decode_responses=decode)
    return real, mine


SCRIPT = [
    lambda r: r.set("a", "1"),
    lambda r: r.incr("a"),
    lambda r: r.get("a"),
    lambda r: r.mget("a", "nope"),
    lambda r: r.rpush("l", "x", "y"),
    lambda r: r.lrange("l", 0, -1),
    lambda r: r.get("l"),
    lambda r: r.incr("l"),
    lambda r: r.hset("h", mapping={"f": "v", "g": "w"}),
    lambda r: r.hgetall("h"),
    lambda r: r.zadd("z", {"m1": 1.1, "m2": 2}),
    lambda r: r.zrange("z", 0, -1, withscores=True),
    lambda r: r.zscore("z", "m1"),
    lambda r: r.sadd("s", 1, 2, 3),
    lambda r: sorted(r.smembers("s")),
    lambda r: r.expire("a", 100),
    lambda r: r.ttl("a"),
    lambda r: r.exists("a", "l", "nope"),
    lambda r: r.type("h"),
    lambda r: r.execute_command("SET", "k", "v", "EX", "0"),
    lambda r: r.execute_command("EXPIRE", "a", "10", "NX", "XX"),
    lambda r: r.execute_command("NOSUCH", "x"),
    lambda r: r.object("encoding", "a"),
    lambda r: r.delete("a", "l"),
    lambda r: r.dbsize(),
]


def test_same_results_and_exceptions(redis_server):
    real, mine = _both(redis_server)
    for step in SCRIPT:
        assert _outcome(step, mine) == _outcome(step, real), step.__code__


def test_pipelines_behave_the_same(redis_server):
    real, mine = _both(redis_server)
    for r in (real, mine):
        r.set("s", "text")

    def tx(r):
        p = r.pipeline()
        p.set("a", "1").incr("s").set("b", "2")
        return p.execute(raise_on_error=False)

    def aborted(r):
        p = r.pipeline()
        p.set("c", "1").execute_command("NOSUCHCOMMAND")
        return p.execute()

    def plain(r):
        p = r.pipeline(transaction=False)
        p.incr("n").incr("s").get("n")
        return p.execute(raise_on_error=False)

    for fn in (tx, aborted, plain):
        got_real, got_mine = _outcome(fn, real), _outcome(fn, mine)
        norm = lambda o: tuple(  # noqa: E731 - exception instances compare by type and text
            [(type(x).__name__, str(x)) if isinstance(x, Exception) else x for x in o[1]]
            if o[0] == "ok" else o)
        assert norm(got_mine) == norm(got_real), fn.__name__


def test_bytes_mode_matches(redis_server):
    real, mine = _both(redis_server, decode=False)
    for r in (real, mine):
        r.set("k", b"\xff\x00binary")
        r.zadd("z", {b"m": 2.5})
    for fn in (lambda r: r.get("k"), lambda r: r.zrange("z", 0, -1, withscores=True),
               lambda r: r.getrange("k", 0, 1)):
        assert fn(mine) == fn(real)
