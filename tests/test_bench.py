"""The benchmark's workload gives identical results on every backend (no timing here)."""

import lab
from bench.bench_client import backends, make_workload, run_dict, run_redis


def test_workload_results_agree_across_backends():
    ops = make_workload(3000, seed=3)
    expected = run_dict(ops)
    import fakeredis

    assert run_redis(lab.connect(), ops) == expected
    assert run_redis(fakeredis.FakeRedis(decode_responses=True), ops) == expected


def test_backends_listed():
    assert set(backends()) == {"lab.connect()", "fakeredis", "dict"}
