"""HyperLogLog against a real 7.0 server: identical counts, identical GET bytes (sparse and
dense representations, promotions, merges), identical errors."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import parse_resp


def _elements(rnd: random.Random, n: int, prefix: str = "e") -> list[bytes]:
    return [f"{prefix}{rnd.getrandbits(40)}".encode() for _ in range(n)]


def _add_in_batches(diff, key, elements, batch: int = 500) -> None:
    for i in range(0, len(elements), batch):
        diff.check("PFADD", key, *elements[i:i + batch])


def _same_value(diff, key) -> None:
    diff.check("GET", key)
    diff.check("PFCOUNT", key)
    diff.check("GET", key)  # the cached cardinality written back


@pytest.mark.parametrize("n", [1, 10, 100, 1000, 20000])
def test_pfadd_pfcount_bytes(diff, n):
    rnd = random.Random(n)
    _add_in_batches(diff, "h", _elements(rnd, n))
    _same_value(diff, "h")
    diff.check("PFDEBUG", "ENCODING", "h")
    diff.check("OBJECT", "ENCODING", "h")
    diff.check("PFCOUNT", "h")  # cached now


def test_pfadd_one_by_one_through_promotion(diff):
    rnd = random.Random(7)
    for ele in _elements(rnd, 1500):
        diff.check("PFADD", "h", ele)
    _same_value(diff, "h")
    diff.check("PFDEBUG", "ENCODING", "h")


@pytest.mark.parametrize("maxbytes", [0, 1, 20, 100, 500, 5000])
def test_sparse_max_bytes(diff, maxbytes):
    diff.check("CONFIG", "SET", "hll-sparse-max-bytes", maxbytes)
    rnd = random.Random(maxbytes)
    for n in (1, 5, 40, 300):
        key = f"h{n}"
        for ele in _elements(rnd, n):
            diff.check("PFADD", key, ele)
        _same_value(diff, key)
        diff.check("PFDEBUG", "ENCODING", key)


def test_decode_and_getreg(diff):
    rnd = random.Random(3)
    _add_in_batches(diff, "h", _elements(rnd, 200))
    diff.check("PFDEBUG", "DECODE", "h")
    diff.check("PFDEBUG", "GETREG", "h")
    diff.check("PFDEBUG", "ENCODING", "h")
    diff.check("GET", "h")
    diff.check("PFDEBUG", "DECODE", "h")
    diff.check("PFDEBUG", "TODENSE", "h")
    diff.check("PFADD", "s", "a", "b")
    diff.check("PFDEBUG", "TODENSE", "s")
    diff.check("PFDEBUG", "TODENSE", "s")
    diff.check("GET", "s")
    diff.check("PFCOUNT", "s")


def test_many_values_same_register_and_runs(diff):
    # elements chosen to hit long VAL runs and merges
    rnd = random.Random(11)
    for _ in range(30):
        diff.check("PFADD", "h", *_elements(rnd, rnd.randrange(1, 60), "x"))
        diff.check("GET", "h")
    diff.check("PFDEBUG", "DECODE", "h")
    _same_value(diff, "h")


@pytest.mark.parametrize("sizes", [(10, 20), (100, 5000), (3000, 3000), (0, 50), (20000, 7)])
def test_pfmerge(diff, sizes):
    rnd = random.Random(sum(sizes))
    common = _elements(rnd, 50, "c")
    for key, n in zip(("a", "b"), sizes):
        if n:
            _add_in_batches(diff, key, _elements(rnd, n) + common)
    diff.check("PFCOUNT", "a", "b")
    diff.check("PFCOUNT", "a", "b", "missing")
    diff.check("GET", "a")  # multi-key PFCOUNT leaves the keys alone
    diff.check("PFMERGE", "dst", "a", "b")
    _same_value(diff, "dst")
    diff.check("PFMERGE", "a", "b")
    _same_value(diff, "a")
    diff.check("PFMERGE", "b")
    _same_value(diff, "b")
    diff.check("PFMERGE", "newkey")
    diff.check("GET", "newkey")
    diff.check("PFMERGE", "newkey2", "nosuch")
    diff.check("GET", "newkey2")


def test_pfmerge_sparse_into_sparse_with_existing(diff):
    rnd = random.Random(5)
    for key, n in (("a", 150), ("b", 300), ("c", 40)):
        _add_in_batches(diff, key, _elements(rnd, n))
    diff.check("PFMERGE", "c", "a", "b")
    diff.check("GET", "c")
    diff.check("PFDEBUG", "DECODE", "c")
    diff.check("CONFIG", "SET", "hll-sparse-max-bytes", 400)
    diff.check("PFMERGE", "d", "a", "b", "c")
    diff.check("GET", "d")
    diff.check("PFCOUNT", "d")


def test_real_hll_bytes_set_into_engine(diff):
    rnd = random.Random(99)
    for n in (3, 400, 5000):
        els = _elements(rnd, n)
        diff.real.command("DEL", "src")
        for i in range(0, n, 500):
            diff.real.command("PFADD", "src", *els[i:i + 500])
        raw = parse_resp(diff.real.command("GET", "src"))
        diff.check("SET", f"copy{n}", raw)
        diff.check("PFCOUNT", f"copy{n}")
        diff.check("PFADD", f"copy{n}", "more", "elements")
        diff.check("GET", f"copy{n}")
        diff.check("PFCOUNT", f"copy{n}", "copy3")


def test_errors(diff):
    diff.run([
        ["SET", "str", "hello"], ["PFADD", "str", "a"], ["PFCOUNT", "str"],
        ["PFCOUNT", "str", "x"], ["PFMERGE", "d", "str"], ["PFMERGE", "str"],
        ["SET", "num", "12345"], ["PFADD", "num", "a"], ["PFCOUNT", "num"],
        ["LPUSH", "list", "a"], ["PFADD", "list", "a"], ["PFCOUNT", "list"],
        ["PFCOUNT", "x", "list"], ["PFMERGE", "list", "x"], ["PFMERGE", "x", "list"],
        ["PFDEBUG", "ENCODING", "list"], ["PFDEBUG", "ENCODING", "nosuch"],
        ["PFADD", "h", "a"], ["PFDEBUG", "nosuch", "h"], ["PFDEBUG", "DECODE"],
        ["PFDEBUG", "GETREG", "h", "x"], ["PFADD"], ["PFCOUNT"], ["PFMERGE"],
        # a header with a bad encoding byte, a dense header of the wrong length
        ["SET", "bad1", b"HYLL\x02\x00\x00\x00" + b"\x00" * 8 + b"\x7f\xff"],
        ["PFCOUNT", "bad1"], ["PFADD", "bad1", "x"],
        ["SET", "bad2", b"HYLL\x00\x00\x00\x00" + b"\x00" * 8 + b"\x00" * 100],
        ["PFCOUNT", "bad2"],
        ["SET", "short", b"HYLL\x01\x00"], ["PFCOUNT", "short"],
    ])


def test_corrupted_sparse(diff):
    hdr = b"HYLL\x01\x00\x00\x00" + b"\x00" * 7 + b"\x80"
    cases = {
        "tooshort": hdr + b"\x7f\xfe",  # covers 16383 registers
        "toolong": hdr + b"\x7f\xff\x00",
        "valover": hdr + b"\x7f\xfe\x83",
        "empty": hdr,
        "trunc": hdr + b"\x40",
        "cached": hdr[:15] + b"\x00" + b"\x7f\xfe",  # a valid cache is trusted
    }
    for k, v in cases.items():
        diff.check("SET", k, v)
    for k in cases:
        diff.check("PFCOUNT", k)
        diff.check("PFCOUNT", k, "nosuch")
        diff.check("PFMERGE", "m" + k, k)
        diff.check("PFDEBUG", "TODENSE", k)
        diff.check("PFADD", k, "a", "b", "c")
        diff.check("GET", k)


def test_multi_key_count_leaves_keys(diff):
    rnd = random.Random(1)
    _add_in_batches(diff, "a", _elements(rnd, 100))
    _add_in_batches(diff, "b", _elements(rnd, 10000))
    diff.check("PFCOUNT", "a", "b", "a")
    diff.check("GET", "a")
    diff.check("GET", "b")
    diff.check("OBJECT", "ENCODING", "a")


@pytest.mark.parametrize("name", ["pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"])
def test_command_info(diff, name):
    diff.check("COMMAND", "INFO", name)


def test_resp3(diff3):
    diff3.check("PFADD", "h", "a", "b")
    diff3.check("PFCOUNT", "h")
    diff3.check("PFDEBUG", "ENCODING", "h")
    diff3.check("PFDEBUG", "GETREG", "h")


_ops = st.one_of(
    st.tuples(st.just("PFADD"), st.sampled_from(["a", "b", "c"]),
              st.lists(st.integers(0, 3000), max_size=40)),
    st.tuples(st.just("PFCOUNT"), st.lists(st.sampled_from(["a", "b", "c", "z"]),
                                           min_size=1, max_size=3)),
    st.tuples(st.just("PFMERGE"), st.sampled_from(["a", "b", "c"]),
              st.lists(st.sampled_from(["a", "b", "c", "z"]), max_size=3)),
    st.tuples(st.just("GET"), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("CONFIG"), st.sampled_from([50, 200, 3000])),
    st.tuples(st.just("TODENSE"), st.sampled_from(["a", "b", "c"])),
)


@settings(max_examples=100, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_ops, max_size=25))
def test_hypothesis_sequences(diff, ops):
    diff.real.command("FLUSHALL")
    diff.engine.call("FLUSHALL")
    diff.check("CONFIG", "SET", "hll-sparse-max-bytes", 3000)
    for op in ops:
        if op[0] == "PFADD":
            diff.check("PFADD", op[1], *[b"el%d" % i for i in op[2]])
        elif op[0] == "PFCOUNT":
            diff.check("PFCOUNT", *op[1])
        elif op[0] == "PFMERGE":
            diff.check("PFMERGE", op[1], *op[2])
        elif op[0] == "GET":
            diff.check("GET", op[1])
        elif op[0] == "CONFIG":
            diff.check("CONFIG", "SET", "hll-sparse-max-bytes", op[1])
        else:
            diff.check("PFDEBUG", "TODENSE", op[1])
    for k in ("a", "b", "c"):
        diff.check("GET", k)
