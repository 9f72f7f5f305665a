"""LZF against a real redis-server 7.0.15: DUMP payloads holding LZF-compressed strings
(``rdbcompression yes``) are byte-identical, so ``persistence/lzf.py`` produces exactly
liblzf's ``lzf_compress`` output, including when it gives up (``len - 4`` too small)."""

from __future__ import annotations

import json
import random

import pytest

from lab.engine.persistence.rdb import encode_string


def _values(seed: int, count: int) -> list[bytes]:
    r = random.Random(seed)
    out = []
    for k in range(count):
        n = r.choice([21, 22, 24, 25, 26, 30, 33, 40, 64, 65, 100, 300, 1000, 4000,
                      r.randrange(21, 2500)])
        kind = k % 7
        if kind == 0:  # random bytes: never compressible
            v = bytes(r.randrange(256) for _ in range(n))
        elif kind == 1:  # small alphabet
            alpha = bytes(r.sample(range(256), r.randrange(1, 5)))
            v = bytes(r.choice(alpha) for _ in range(n))
        elif kind == 2:  # repeated unit
            unit = bytes(r.randrange(256) for _ in range(r.randrange(1, 40)))
            v = (unit * (n // len(unit) + 1))[:n]
        elif kind == 3:  # JSON-like
            rows = [{"id": i, "name": f"user{r.randrange(1000)}", "ok": r.random() < .5}
                    for i in range(n // 30 + 1)]
            v = json.dumps(rows).encode()[:max(n, 21)]
        elif kind == 4:  # words
            words = [b"the ", b"quick ", b"brown ", b"fox ", b"lazy ", b"dog\n", b"over "]
            v = b"".join(r.choice(words) for _ in range(n))[:n]
        elif kind == 5:  # random with a few copies: around the 4-byte-saving threshold
            b = bytearray(r.randrange(256) for _ in range(n))
            for _ in range(r.randrange(1, 4)):
                ln = r.randrange(3, 12)
                src, dst = r.randrange(0, n - ln), r.randrange(0, n - ln)
                b[dst:dst + ln] = b[src:src + ln]
            v = bytes(b)
        else:  # a block repeated from up to 9000 bytes back (beyond the 8191 offset)
            block = bytes(r.randrange(256) for _ in range(r.randrange(1, 9000)))
            v = (block * (n // len(block) + 2))[:n]
        out.append(v)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_string_dumps_identical(diff, seed):
    for v in _values(seed, 60):
        diff.check("SET", "k", v)
        diff.check("DUMP", "k")


def test_string_dump_edge_cases(diff):
    block = bytes(range(100, 125))
    values = [
        b"a" * 21, b"a" * 22, b"ab" * 11, b"abc" * 7 + b"d", b"x" * 100_000,
        bytes(range(17)) + bytes(range(9)), bytes(range(18)) + bytes(range(7)),
        block + block[:19], b"\xff" + block + block[:19], b"\xff" + block + block[:20],
        b"\xff" + block + block[:18], b"\xff" + block + block[:17] + b"\x00\x01",
        b"0" * 300 + b"1" * 300, bytes(range(256)) * 40,
        b"".join(str(i).encode() for i in range(20000))[:100_000],
    ]
    for v in values:
        diff.check("SET", "k", v)
        diff.check("DUMP", "k")


def test_big_strings(diff):
    r = random.Random(99)
    words = [b"alpha", b"beta", b"gamma", b"delta", b" ", b",", b"\n", b"0123456789"]
    for n in (10_000, 65_536, 100_000):
        v = b"".join(r.choice(words) for _ in range(n))[:n]
        diff.check("SET", "k", v)
        diff.check("DUMP", "k")
    noise = bytes(r.randrange(256) for _ in range(100_000))
    diff.check("SET", "k", noise[:50_000] + noise[:50_000])
    diff.check("DUMP", "k")


def test_list_dumps_identical(diff):
    diff.check("RPUSH", "l", *[f"item:{i % 7}" for i in range(200)])
    diff.check("DUMP", "l")
    diff.check("RPUSH", "l2", *["x" * 70, "y" * 30, "hello world " * 5] * 40)
    diff.check("DUMP", "l2")
    diff.check("RPUSH", "l3", *[str(i) for i in range(1000)])
    diff.check("DUMP", "l3")
    diff.check("RPUSH", "l4", "z" * 9000, "w" * 30)  # a plain node
    diff.check("DUMP", "l4")


def test_hash_dumps_identical(diff):
    diff.check("HSET", "h", *[x for i in range(60) for x in (f"field{i}", f"value{i % 5}")])
    diff.check("OBJECT", "ENCODING", "h")
    diff.check("DUMP", "h")
    # long values: hashtable encoding, every value saved (and compressed) on its own
    diff.check("HSET", "h2", "a", "v" * 100, "b", "abc" * 50)
    diff.check("OBJECT", "ENCODING", "h2")
    # field order follows each side's hashtable: both hold Redis's LZF encodings
    real, mine = diff.both("DUMP", "h2")
    assert len(real) == len(mine)
    for value in (b"v" * 100, b"abc" * 50):
        enc = encode_string(value)
        assert enc[:1] == b"\xc3" and enc in real and enc in mine
    diff.check("HSET", "h3", "only", "q" * 200)
    diff.check("DUMP", "h3")


def test_zset_dumps_identical(diff):
    diff.check("ZADD", "z", *[x for i in range(50) for x in (str(i), f"member-{i % 9}-{i}")])
    diff.check("OBJECT", "ENCODING", "z")
    diff.check("DUMP", "z")
    # members longer than 64 bytes: skiplist encoding, members saved as strings
    diff.check("ZADD", "z2", "1", "m" * 80, "2", "n" * 120, "3", "abcd" * 30, "4", "short")
    diff.check("OBJECT", "ENCODING", "z2")
    diff.check("DUMP", "z2")
    diff.check("ZADD", "z3", "1", "y" * 80, "2", "q")
    diff.check("DUMP", "z3")


def test_set_dumps_identical(diff):
    diff.check("SADD", "s", "only-member-" + "s" * 80)
    diff.check("DUMP", "s")
    diff.check("SADD", "si", "1", "5000000000", "7", "9", "11", "13")
    diff.check("DUMP", "si")
