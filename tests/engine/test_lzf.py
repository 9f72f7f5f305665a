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
