"""LZF and CRC-64 (lab/engine/persistence/lzf.py, crc64.py)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine.persistence import lzf
from lab.engine.persistence.crc64 import crc64


def test_crc64_check_value():
    assert crc64(b"123456789") == 0xE9C6D914C4B8D9CA
    assert crc64(b"") == 0
    # incremental == one shot
    assert crc64(b"6789", crc64(b"12345")) == crc64(b"123456789")


def test_decompress_hand_made_stream():
    # literal "abc" then a back reference: distance 3, length 6 (overlapping copy)
    stream = bytes([2]) + b"abc" + bytes([(4 << 5) | 0, 2])
    assert lzf.decompress(stream, 9) == b"abcabcabc"
    # long reference: n = 7 + extra byte
    stream = bytes([0]) + b"a" + bytes([(7 << 5), 10, 0])
    assert lzf.decompress(stream, 1 + 19) == b"a" * 20


def test_compress_repetitive_and_limits():
    data = b"abcd" * 1000
    c = lzf.compress(data)
    assert len(c) < 100
    assert lzf.decompress(c, len(data)) == data
    # max_out: random data does not compress
    r = random.Random(7)
    noise = bytes(r.randrange(256) for _ in range(500))
    assert lzf.compress(noise, len(noise) - 4) is None
    assert lzf.decompress(lzf.compress(noise), 500) == noise
    assert lzf.compress(b"") == b""


@pytest.mark.parametrize("stream,n", [
    (bytes([5]) + b"ab", 6),            # literal run past the end
    (bytes([0x20, 5]), 3),              # reference before the start
    (bytes([0]) + b"a", 2),             # too short
    (bytes([1]) + b"ab", 1),            # too long
    (bytes([0]) + b"a" + bytes([0xE0]), 10),  # truncated reference
])
def test_decompress_corrupt(stream, n):
    with pytest.raises(lzf.LZFError):
        lzf.decompress(stream, n)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=3000),
                 st.lists(st.sampled_from([b"a", b"b", b"xyz", b"\x00"]), max_size=2000)
                 .map(b"".join)))
def test_roundtrip(data):
    c = lzf.compress(data)
    assert c is not None
    assert lzf.decompress(c, len(data)) == data
    lim = lzf.compress(data, len(data) - 4) if len(data) > 4 else None
    if lim is not None:
        assert len(lim) <= len(data) - 4
        assert lzf.decompress(lim, len(data)) == data


def test_long_inputs_use_far_references():
    r = random.Random(1)
    block = bytes(r.randrange(256) for _ in range(5000))
    data = block + block + block  # repeats 5000 bytes back (within 8192)
    c = lzf.compress(data)
    assert len(c) < len(block) * 1.1 + 200
    assert lzf.decompress(c, len(data)) == data


# lzf_compress output captured from a real redis-server 7.0.15 (``SET k v`` + ``DUMP k``):
# the LZF stream of each value, or None where Redis stores it uncompressed (it must save
# at least 4 bytes; liblzf's conservative out_len checks decide).
_BLOCK = bytes(range(100, 125))
GOLDEN = [
    (b"abc" * 8, "0361626361e00a020063"),
    (b"ab" * 100, "02616261e0ba01016162"),
    (b"a" * 300, "016161e0ff00e01700016161"),
    (b"the quick brown fox jumps over the lazy dog; the quick brown fox jumps again",
     "1f74686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e086c617a79"
     "20646f673b600de00d2c04616761696e"),
    (b'{"id":1,"name":"alice","tags":["x","y"]},{"id":2,"name":"bob","tags":["x","y"]}',
     "1f7b226964223a312c226e616d65223a22616c696365222c2274616773223a5b220078200b057922"
     "5d7d2c7b60280032e0002802626f62201ae00526015d7d"),
    # position 0 is never referenced; 18 bytes left -> a 16-byte match and 2 literals
    (_BLOCK + _BLOCK[:19], "196465666768696a6b6c6d6e6f707172737475767778797a7b7c64e00718017576"),
    # 19 or 20 bytes left: liblzf's unrolled compare runs 2 bytes past maxlen
    (b"\xff" + _BLOCK + _BLOCK[:19], "19ff6465666768696a6b6c6d6e6f707172737475767778797a7b7ce00a18"),
    (b"\xff" + _BLOCK + _BLOCK[:20],
     "19ff6465666768696a6b6c6d6e6f707172737475767778797a7b7ce00a180077"),
    (b"\xff" + _BLOCK + _BLOCK[:18],
     "19ff6465666768696a6b6c6d6e6f707172737475767778797a7b7ce00718017475"),
    (b"\xff" + _BLOCK + _BLOCK[:17] + b"\x00\x01",
     "19ff6465666768696a6b6c6d6e6f707172737475767778797a7b7ce00818010001"),
    # at the threshold: not compressed (out_len = len - 4 too small)
    (bytes(range(17)) + bytes(range(9)), None),
    (bytes(range(18)) + bytes(range(7)), None),
    (bytes(range(40)) + bytes(range(10)), None),
]


@pytest.mark.parametrize("data,expected", GOLDEN)
def test_compress_matches_liblzf(data, expected):
    got = lzf.compress(data, len(data) - 4)
    assert (got.hex() if got is not None else None) == expected
    if expected is not None:
        assert lzf.compress(data) == bytes.fromhex(expected)
    assert lzf.decompress(lzf.compress(data), len(data)) == data


@pytest.mark.parametrize("hexdata,full_len", [
    ("0e7f5007c27f035dc701070002035494656803c4054a0501070002035494c4054a045c6403", 33),
    ("c073f5c2518551859ad4049200c804077d4f92073c02ac077d4f92073c02acc564ee2101ddf149074e", 37),
])
def test_out_len_checks_are_liblzf_s(hexdata, full_len):
    """The stream would fit in ``len - 4`` bytes, but liblzf's conservative checks refuse
    it, so Redis 7.0.15 stores these values uncompressed (checked against the server)."""
    data = bytes.fromhex(hexdata)
    full = lzf.compress(data)
    assert len(full) == full_len <= len(data) - 4
    assert lzf.compress(data, len(data) - 4) is None
    assert lzf.decompress(full, len(data)) == data


def test_out_len_limit_is_monotonic():
    r = random.Random(11)
    for _ in range(200):
        data = bytes(r.randrange(4) for _ in range(r.randrange(1, 80)))
        full = lzf.compress(data)
        fits = [m for m in range(len(full) + 5) if lzf.compress(data, m) is not None]
        assert fits and fits == list(range(fits[0], len(full) + 5))
        assert all(lzf.compress(data, m) == full for m in fits)
        assert fits[0] >= len(full)
    assert lzf.compress(b"", 10) is None
    assert lzf.compress(b"abc", 0) is None


def test_compress_100k_is_fast():
    import time

    r = random.Random(3)
    noise = bytes(r.randrange(256) for _ in range(100_000))
    text = b"".join(r.choice([b"foo ", b"bar ", b"bazz", b"\n"]) for _ in range(30_000))[:100_000]
    t = time.perf_counter()
    for data in (noise, text, b"x" * 100_000):
        assert lzf.decompress(lzf.compress(data), len(data)) == data
    assert time.perf_counter() - t < 2.0
