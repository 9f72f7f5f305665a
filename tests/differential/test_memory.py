"""MEMORY USAGE and OBJECT ENCODING against a real 7.0 server, for the shapes of
shared/redis-internals.md §7.4: encodings identical, MEMORY USAGE within 10%."""

from __future__ import annotations

import pytest

from .harness import parse_resp


def _pairs(n, f="f{}", v="v{}"):
    return [x for i in range(n) for x in (f.format(i), v.format(i))]


SHAPES = [
    ("k1", ["SET", "k1", "x"]),
    ("k20", ["SET", "k20", "x" * 20]),
    ("k44", ["SET", "k44", "x" * 44]),
    ("k45", ["SET", "k45", "x" * 45]),
    ("k100", ["SET", "k100", "x" * 100]),
    ("kint", ["SET", "kint", "123"]),
    ("kbig", ["SET", "kbig", "123456789012"]),
    ("kapp", ["APPEND", "kapp", "hello"]),
    ("h10", ["HSET", "h10", *_pairs(10)]),
    ("h129", ["HSET", "h129", *_pairs(129)]),
    ("h513", ["HSET", "h513", *_pairs(513)]),
    ("hbig", ["HSET", "hbig", "f", "x" * 65]),
    ("s100", ["SADD", "s100", *map(str, range(100))]),
    ("s513", ["SADD", "s513", *map(str, range(513))]),
    ("sstr", ["SADD", "sstr", *[f"m{i}" for i in range(10)]]),
    ("z10", ["ZADD", "z10", *_pairs(10, "{}", "m{}")]),
    ("z200", ["ZADD", "z200", *_pairs(200, "{}", "m{}")]),
    ("l1", ["RPUSH", "l1", "a"]),
    ("l100", ["RPUSH", "l100", *[f"item{i}" for i in range(100)]]),
    ("l1000", ["RPUSH", "l1000", *[f"item{i}" for i in range(1000)]]),
]


@pytest.mark.parametrize(("key", "cmd"), SHAPES, ids=[s[0] for s in SHAPES])
def test_memory_usage_and_encoding(diff, key, cmd):
    diff.check(*cmd)
    diff.check("OBJECT", "ENCODING", key)
    for samples in ((), ("SAMPLES", "0")):
        real, mine = diff.both("MEMORY", "USAGE", key, *samples)
        r, m = parse_resp(real), parse_resp(mine)
        # skiplist node levels are random on a real server: z200 varies run to run
        tolerance = 0.12 if key == "z200" else 0.10
        assert abs(m - r) <= tolerance * r, f"MEMORY USAGE {key} {samples}: redis {r}, engine {m}"


def test_memory_usage_errors_and_missing_key(diff):
    diff.run([["SET", "k", "v"], ["MEMORY", "USAGE", "nokey"], ["MEMORY", "USAGE", "k", "SAMPLES"],
              ["MEMORY", "USAGE", "k", "SAMPLES", "x"], ["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
              ["MEMORY", "USAGE", "k", "FOO", "1"], ["MEMORY"], ["MEMORY", "FOO"]])


def test_used_memory_grows_like_a_real_server(diff):
    """INFO used_memory per small key: the engine's model tracks the real allocator."""
    def used(raw):
        text = parse_resp(raw).decode()
        return int(next(ln.split(":")[1] for ln in text.split("\r\n") if ln.startswith("used_memory:")))

    r0, m0 = (used(x) for x in diff.both("INFO", "memory"))
    for i in range(4096):
        diff.both("SET", "key:%06d" % i, "v")
    r1, m1 = (used(x) for x in diff.both("INFO", "memory"))
    per_real, per_mine = (r1 - r0) / 4096, (m1 - m0) / 4096
    assert abs(per_mine - per_real) <= 0.1 * per_real, (per_real, per_mine)
