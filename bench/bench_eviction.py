"""Eviction benchmarks (issue 4): a long simulation and the widget's control callback.

    python bench/bench_eviction.py [--requests 1000000] [--keys 100000]

1. A cache simulation of N requests (GET, SET on a miss) under maxmemory pressure with
   sampling (allkeys-lru, 5 samples), on one engine: wall time and requests/s
   (target: 1,000,000 requests in under 30 s on one core).
2. The eviction widget's callback after a control change (CONFIG SET on the live engine,
   scores of every key, figure update) for a keyspace of K keys: median of several
   changes (target: under 100 ms for 100,000 keys).
Figures are printed; the README records them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def simulate(n_requests: int, n_keys: int = 100_000, capacity: int = 30_000) -> dict:
    from lab.scenarios.eviction import cache_engine, make_trace, replay

    trace = make_trace("zipf", n_requests, n_keys, seed=1)
    e = cache_engine("allkeys-lru", capacity, 5, seed=1)
    t0 = time.perf_counter()
    run = replay(e, trace, "allkeys-lru", window=10_000)
    dt = time.perf_counter() - t0
    return {"requests": n_requests, "seconds": dt, "requests_per_sec": n_requests / dt,
            "hit_ratio": run.hit_ratio, "evicted": run.evicted}


def widget_callback(n_keys: int) -> dict:
    from widgets.eviction import EvictionView

    v = EvictionView(n_keys=n_keys, capacity_keys=n_keys // 2, warmup=n_keys // 4,
                     workload="uniform", seed=1)
    v.widget()
    changes = [("samples", 10), ("policy", "allkeys-lfu"), ("capacity", int(n_keys * 0.4)),
               ("workload", "zipf"), ("policy", "allkeys-lru"), ("samples", 5),
               ("capacity", n_keys // 2)]
    times = []
    for name, value in changes:
        t0 = time.perf_counter()
        v.controls[name].value = value
        times.append(time.perf_counter() - t0)
    return {"keys": n_keys, "median_ms": statistics.median(times) * 1000,
            "max_ms": max(times) * 1000}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--keys", type=int, default=100_000)
    args = ap.parse_args(argv)
    sim = simulate(args.requests)
    print(f"eviction simulation: {sim['requests']:,} requests in {sim['seconds']:.1f} s "
          f"({sim['requests_per_sec']:,.0f}/s), hit ratio {sim['hit_ratio']:.3f}, "
          f"{sim['evicted']:,} evictions")
    cb = widget_callback(args.keys)
    print(f"eviction widget callback, {cb['keys']:,} keys: median {cb['median_ms']:.0f} ms, "
          f"max {cb['max_ms']:.0f} ms")


if __name__ == "__main__":
    main()
