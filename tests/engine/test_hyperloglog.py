"""HyperLogLog in the engine: the representation helpers, the cached update path against
the plain ``hllSparseSet`` walk (hypothesis), and command behaviour."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, errors
from lab.engine import hyperloglog as h


@pytest.fixture
def e():
    return Engine()


# -- representation -----------------------------------------------------------------------
def _regs(seed: int, top: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(top) for _ in range(h.HLL_REGISTERS))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([1, 2, 33, 52, 64]))
def test_pack_unpack_roundtrip(seed, top):
    regs = _regs(seed, top)
    packed = bytearray(16) + h._pack_dense(regs)
    assert len(packed) == h.HLL_DENSE_SIZE
    assert h._dense_regs(packed) == regs
    for i in (0, 1, 2, 3, 4, 5, 1000, 16382, 16383):
        assert h._dense_get(packed, i) == regs[i]
    assert h._regs_histo(regs) == [regs.count(v) for v in range(64)]


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([1, 5, 64]))
def test_max_regs(seed, top):
    a = _regs(seed, top)
    b = _regs(seed + 1, 64)
    assert h._max_regs(a, b) == bytes(max(x, y) for x, y in zip(a, b))


def test_dense_put_get_every_alignment():
    buf = bytearray(h.HLL_DENSE_SIZE)
    rnd = random.Random(1)
    ref = [0] * h.HLL_REGISTERS
    for _ in range(5000):
        i = rnd.randrange(h.HLL_REGISTERS)
        v = rnd.randrange(64)
        h._dense_put(buf, i, v)
        ref[i] = v
    assert list(h._dense_regs(buf)) == ref


def test_new_sparse_and_decode():
    v = bytes(h.new_sparse())
    assert v[:5] == b"HYLL\x01" and len(v) == 18
    assert h._decode_sparse(v) == b"Z:16384"
    assert h.hll_cardinality(v) == 0


def test_estimator_edges():
    assert h._estimate([h.HLL_REGISTERS] + [0] * 63) == 0
    full = [0] * 64
    full[1] = h.HLL_REGISTERS
    assert h._estimate(full) > 10000
    assert h._tau(0.0) == 0.0 and h._tau(1.0) == 0.0 and h._sigma(1.0) == math.inf


# -- the cached path vs the plain walk ----------------------------------------------------
_sets = st.lists(st.tuples(st.integers(0, h.HLL_REGISTERS - 1), st.integers(1, 40)),
                 max_size=300)


@settings(max_examples=150, deadline=None)
@given(_sets, st.sampled_from([30, 100, 300, 3000]))
def test_state_matches_reference_walk(ops, max_bytes):
    ref = h.new_sparse()
    st_ = h.HLLState.build(bytes(ref))
    assert st_ is not None
    for index, count in ops:
        r1, ref = h._sparse_set(ref, index, count, max_bytes) if ref[4] == h.HLL_SPARSE else \
            _dense_set(ref, index, count)
        r2 = st_.add(index, count, max_bytes)
        assert r1 == r2
        assert bytes(st_.buf[:15]) == bytes(ref[:15]) and st_.buf[16:] == ref[16:]
        if st_.firsts is not None:
            fresh = h.HLLState.build(bytes(st_.buf))
            assert fresh is not None
            assert fresh.firsts == st_.firsts and fresh.xz == st_.xz
        assert st_.histogram() == h._regs_histo(h.hll_registers(bytes(st_.buf)))


def _dense_set(buf, index, count):
    if h._dense_get(buf, index) >= count:
        return 0, buf
    h._dense_put(buf, index, count)
    return 1, buf


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, h.HLL_REGISTERS - 1), st.integers(1, 32)),
                max_size=400), st.sampled_from([200, 3000]))
def test_hinted_walk_matches_plain_walk(ops, max_bytes):
    """PFMERGE's ascending-order hint gives the same bytes as walking from the start."""
    base = h.new_sparse()
    for index, count in ops[: len(ops) // 2]:
        _, base = h._sparse_set(base, index, count, 100000)
    regs = {}
    for index, count in ops[len(ops) // 2:]:
        regs[index] = max(regs.get(index, 0), count)
    a = bytearray(base)
    b = bytearray(base)
    hint = h._Hint()
    for index in sorted(regs):
        if a[4] == h.HLL_SPARSE:
            _, a = h._sparse_set(a, index, regs[index], max_bytes)
        if b[4] == h.HLL_SPARSE:
            _, b = h._sparse_set(b, index, regs[index], max_bytes, hint)
    if a[4] == h.HLL_SPARSE:
        assert a == b


# -- commands ------------------------------------------------------------------------------
def test_pfadd_pfcount_basics(e):
    assert e.call("PFADD", "h") == 1  # creates the key
    assert e.call("PFADD", "h") == 0
    assert e.call("GET", "h")[15] & 0x80  # cache marked invalid, as Redis does
    assert e.call("PFCOUNT", "h") == 0
    assert e.call("PFADD", "h", "a", "b", "c") == 1
    assert e.call("PFADD", "h", "a") == 0
    assert e.call("PFCOUNT", "h") == 3
    v = e.call("GET", "h")
    assert int.from_bytes(v[8:16], "little") == 3  # written back
    assert e.call("OBJECT", "ENCODING", "h") == b"raw"
    assert e.call("PFCOUNT", "h", "nosuch") == 3
    assert e.call("PFCOUNT", "nosuch") == 0


def test_accuracy(e):
    for n in (100, 1000, 10000, 50000):
        e.call("DEL", "h")
        for i in range(0, n, 1000):
            e.call("PFADD", "h", *[b"x%d" % j for j in range(i, min(n, i + 1000))])
        est = e.call("PFCOUNT", "h")
        assert abs(est - n) <= 0.05 * n, (n, est)
    assert e.call("PFDEBUG", "ENCODING", "h") == "dense"


def test_pfcount_dirty_and_cache(e):
    e.call("PFADD", "h", "a")
    d = e.dirty
    e.call("PFCOUNT", "h")
    assert e.dirty == d + 1  # the cache write is a modification
    e.call("PFCOUNT", "h")
    assert e.dirty == d + 1  # cached


def test_pfmerge(e):
    e.call("PFADD", "a", *[f"a{i}" for i in range(500)])
    e.call("PFADD", "b", *[f"b{i}" for i in range(500)])
    assert e.call("PFMERGE", "m", "a", "b") == "OK"
    assert 950 <= e.call("PFCOUNT", "m") <= 1050
    assert e.call("PFCOUNT", "a", "b") == e.call("PFCOUNT", "m")
    assert e.call("PFMERGE", "empty") == "OK"
    assert e.call("PFCOUNT", "empty") == 0


def test_shared_value_objects_are_independent(e):
    e.call("PFADD", "a", "x", "y")
    e.call("COPY", "a", "b")
    e.dbs[0].dict[b"b"].val = e.dbs[0].dict[b"a"].val  # share one bytes object
    e.call("PFADD", "a", *[f"z{i}" for i in range(50)])
    assert e.call("PFCOUNT", "b") == 2
    assert e.call("PFCOUNT", "a") == 52


def test_errors(e):
    e.call("SET", "s", "hello")
    e.call("LPUSH", "l", "x")
    for args in (("PFADD", "s", "a"), ("PFCOUNT", "s"), ("PFCOUNT", "s", "x"),
                 ("PFMERGE", "d", "s"), ("PFDEBUG", "ENCODING", "s")):
        with pytest.raises(ReplyError) as ei:
            e.call(*args)
        assert ei.value.message == errors.HLL_WRONGTYPE
    with pytest.raises(ReplyError, match="WRONGTYPE Operation"):
        e.call("PFADD", "l", "a")
    with pytest.raises(ReplyError, match="does not exist"):
        e.call("PFDEBUG", "GETREG", "nosuch")
    e.call("PFADD", "h", "a")
    with pytest.raises(ReplyError, match="Unknown PFDEBUG subcommand 'foo'"):
        e.call("PFDEBUG", "foo", "h")
    e.call("SET", "bad", b"HYLL\x01\x00\x00\x00" + b"\x00" * 7 + b"\x80" + b"\x7f\xfe")
    with pytest.raises(ReplyError, match="INVALIDOBJ"):
        e.call("PFCOUNT", "bad")
    e._check()


def test_pfdebug(e):
    e.call("PFADD", "h", "a", "b", "c")
    assert e.call("PFDEBUG", "DECODE", "h") == b"Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"
    regs = e.call("PFDEBUG", "GETREG", "h")
    assert len(regs) == h.HLL_REGISTERS and regs[12711] == 2 and sum(regs) == 4
    assert e.call("PFDEBUG", "ENCODING", "h") == "dense"
    assert e.call("PFDEBUG", "TODENSE", "h") == 0
    with pytest.raises(ReplyError, match="not sparse"):
        e.call("PFDEBUG", "DECODE", "h")
    assert e.call("PFCOUNT", "h") == 3


def test_pfselftest(e):
    assert e.call("PFSELFTEST") == "OK"


def test_hll_sparse_max_bytes_promotion(e):
    e.call("CONFIG", "SET", "hll-sparse-max-bytes", "50")
    e.call("PFADD", "h", *[f"e{i}" for i in range(5)])
    assert e.call("PFDEBUG", "ENCODING", "h") == "sparse"
    e.call("PFADD", "h", *[f"f{i}" for i in range(30)])
    assert e.call("PFDEBUG", "ENCODING", "h") == "dense"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.binary(max_size=12), max_size=30), max_size=8))
def test_pfcount_union_property(batches):
    """PFCOUNT of several keys == PFCOUNT of their PFMERGE; adding is idempotent."""
    e = Engine()
    for i, b in enumerate(batches):
        e.call("PFADD", f"k{i % 3}", *b)
    keys = [f"k{i}" for i in range(3)]
    union = e.call("PFCOUNT", *keys)
    e.call("PFMERGE", "u", *keys)
    assert e.call("PFCOUNT", "u") == union
    before = e.call("GET", "u")
    for b in batches:
        assert e.call("PFADD", "u", *b) == 0
    assert e.call("GET", "u") == before
    if not any(batches):
        assert union == 0
    e._check()
