"""The memory model: sizes against the measured 7.0 table, tracker consistency."""

from __future__ import annotations

import random

import pytest

from lab.engine import Engine
from lab.engine.memory import jemalloc_size, key_footprint, memory_usage, sds_alloc
from lab.engine.objects import RObj

# shared/redis-internals.md §7.4 (7.0.15, jemalloc 5.3.0): command -> MEMORY USAGE
MEASURED = [
    (["SET", "k1", "x"], "k1", 64),
    (["SET", "k20", "x" * 20], "k20", 80),
    (["SET", "k44", "x" * 44], "k44", 96),
    (["SET", "k45", "x" * 45], "k45", 112),
    (["SET", "k100", "x" * 100], "k100", 160),
    (["SET", "k", "v"], "k", 64),
    (["SET", "key:000000000001", "x" * 10], "key:000000000001", 88),
    (["SET", "kint", "123"], "kint", 48),
    (["SET", "kbig", "123456789012"], "kbig", 48),
    (["HSET", "h10", *[x for i in range(10) for x in (f"f{i}", f"v{i}")]], "h10", 144),
    (["HSET", "h129", *[x for i in range(129) for x in (f"f{i}", f"v{i}")]], "h129", 1584),
    (["HSET", "h513", *[x for i in range(513) for x in (f"f{i}", f"v{i}")]], "h513", 28816),
    (["HSET", "hbig", "f", "x" * 65], "hbig", 248),
    (["SADD", "s100", *map(str, range(100))], "s100", 272),
    (["SADD", "s513", *map(str, range(513))], "s513", 24712),
    (["ZADD", "z10", *[x for i in range(10) for x in (str(i), f"m{i}")]], "z10", 128),
    (["RPUSH", "l1", "a"], "l1", 144),
    (["RPUSH", "l100", *[f"item{i}" for i in range(100)]], "l100", 1024),
    (["RPUSH", "l1000", *[f"item{i}" for i in range(1000)]], "l1000", 9128),
]


@pytest.mark.parametrize(("cmd", "key", "expected"), MEASURED, ids=[m[1] for m in MEASURED])
def test_memory_usage_matches_measured_server(cmd, key, expected):
    e = Engine()
    e.call(*cmd)
    assert e.call("MEMORY", "USAGE", key) == expected


def test_memory_usage_within_10_percent_for_rehashing_set():
    e = Engine()
    e.call("SADD", "sstr", *[f"m{i}" for i in range(10)])
    got = e.call("MEMORY", "USAGE", "sstr")
    assert got == 616  # 8 + 16 buckets: the incremental rehash is still in progress


def test_zset_skiplist_in_measured_range():
    e = Engine()
    e.call("ZADD", "z200", *[x for i in range(200) for x in (str(i), f"m{i}")])
    assert 18840 <= e.call("MEMORY", "USAGE", "z200") <= 21400
    assert 19816 * 0.9 <= e.call("MEMORY", "USAGE", "z200", "SAMPLES", "0") <= 20008 * 1.1


def test_memory_usage_arguments():
    e = Engine()
    e.call("SET", "k", "v")
    assert e.call("MEMORY", "USAGE", "nope") is None
    assert e.execute("MEMORY", "USAGE", "k", "SAMPLES", "-1").message == "ERR syntax error"
    assert e.execute("MEMORY", "USAGE", "k", "SAMPLES").message == "ERR syntax error"
    assert e.execute("MEMORY", "USAGE", "k", "SAMPLES", "x").message == \
        "ERR value is not an integer or out of range"


def test_used_memory_per_small_key_is_88_bytes():
    """§7.5: 65536 x SET k%06d v adds ~88 B per key (16 key + 32 embstr + 32 entry + 8 bucket)."""
    e = Engine()
    base = e.used_memory()
    for i in range(65536):
        e.call("SET", "k%06d" % i, "v")
    assert (e.used_memory() - base) / 65536 == pytest.approx(88, abs=0.5)


def test_ttl_adds_40_bytes_per_key():
    e = Engine()
    for i in range(1024):
        e.call("SET", "k%06d" % i, "v")
    before = e.used_memory()
    for i in range(1024):
        e.call("EXPIRE", "k%06d" % i, "1000")
    assert (e.used_memory() - before) / 1024 == pytest.approx(40, abs=0.5)


def test_tracker_matches_full_measurement_after_random_writes():
    e = Engine(seed=3)
    rng = random.Random(3)
    for step in range(3000):
        k = f"k{rng.randrange(40)}"
        op = rng.randrange(7)
        if op == 0:
            e.execute("SET", k, "x" * rng.randrange(80))
        elif op == 1:
            e.execute("RPUSH", k, *["v" * rng.randrange(30)] * rng.randrange(1, 5))
        elif op == 2:
            e.execute("HSET", k, f"f{rng.randrange(20)}", "x" * rng.randrange(100))
        elif op == 3:
            e.execute("SADD", k, str(rng.randrange(1000)))
        elif op == 4:
            e.execute("DEL", k)
        elif op == 5:
            e.execute("APPEND", k, "abc")
        else:
            e.execute("LPOP", k)
        if step % 100 == 0:
            e.memory._check()
    e.memory._check()


def test_flushall_and_swapdb_keep_tracker_exact():
    e = Engine()
    for i in range(50):
        e.call("SET", f"a{i}", "x" * i)
    e.call("SWAPDB", "0", "1")
    e.memory._check()
    e.call("FLUSHALL")
    e.memory._check()
    fresh = Engine()
    fresh.call("PING")  # one connection, as e has
    assert e.used_memory() == fresh.used_memory()


def test_size_helpers():
    assert [jemalloc_size(n) for n in (8, 24, 40, 129, 1025, 20000)] == [8, 32, 48, 160, 1280, 20480]
    assert sds_alloc(0) == 8  # sdshdr8 for an empty string
    assert key_footprint(b"k000001", RObj("string", None, b"v")) == 80
    assert memory_usage(b"k", RObj("string", None, b"123")) == 48
