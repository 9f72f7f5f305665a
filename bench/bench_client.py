"""Client benchmark: one mixed workload through lab.connect(), fakeredis and a bare dict.

The workload (seeded) is GET/SET/INCR/ZADD/LPUSH over 2,000 keys, issued through the
redis-py API (for lab and fakeredis) or the equivalent dict operations (the floor: what
the same work costs with no Redis semantics at all). All three run in this process and
the report gives ops/s and ratios measured in the same run, never absolute thresholds.

    python bench/bench_client.py [--ops 100000] [--json out.json]

Target (issue 2): lab.connect() at least 10x fakeredis.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEYS = 2000
MIX = (("get", 30), ("set", 25), ("incr", 20), ("zadd", 15), ("lpush", 10))


def make_workload(n: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    names = [name for name, w in MIX for _ in range(w)]
    ops = []
    for _ in range(n):
        op = rng.choice(names)
        k = rng.randrange(KEYS)
        if op == "get":
            ops.append(("get", f"s:{k}"))
        elif op == "set":
            ops.append(("set", f"s:{k}", f"value-{rng.randrange(10**6)}"))
        elif op == "incr":
            ops.append(("incr", f"n:{k}"))
        elif op == "zadd":
            ops.append(("zadd", f"z:{k % 200}", f"m{rng.randrange(500)}", rng.randrange(10**4) / 8))
        else:
            ops.append(("lpush", f"l:{k % 200}", f"item{rng.randrange(10**6)}"))
    return ops


def run_redis(r, ops: list[tuple]) -> list:
    out = []
    append = out.append
    get, set_, incr, zadd, lpush = r.get, r.set, r.incr, r.zadd, r.lpush
    for op in ops:
        name = op[0]
        if name == "get":
            append(get(op[1]))
        elif name == "set":
            append(set_(op[1], op[2]))
        elif name == "incr":
            append(incr(op[1]))
        elif name == "zadd":
            append(zadd(op[1], {op[2]: op[3]}))
        else:
            append(lpush(op[1], op[2]))
    return out


def run_dict(ops: list[tuple]) -> list:
    """The same work on plain Python structures (no Redis semantics): the floor."""
    strings: dict[str, str] = {}
    zsets: dict[str, dict[str, float]] = {}
    lists: dict[str, deque] = {}
    out = []
    append = out.append
    for op in ops:
        name = op[0]
        if name == "get":
            append(strings.get(op[1]))
        elif name == "set":
            strings[op[1]] = op[2]
            append(True)
        elif name == "incr":
            v = int(strings.get(op[1], "0")) + 1
            strings[op[1]] = str(v)
            append(v)
        elif name == "zadd":
            z = zsets.setdefault(op[1], {})
            added = op[2] not in z
            z[op[2]] = op[3]
            append(int(added))
        else:
            lst = lists.setdefault(op[1], deque())
            lst.appendleft(op[2])
            append(len(lst))
    return out


def backends():
    import fakeredis

    import lab

    return {
        "lab.connect()": lambda ops: run_redis(lab.connect(), ops),
        "fakeredis": lambda ops: run_redis(fakeredis.FakeRedis(decode_responses=True), ops),
        "dict": run_dict,
    }


def measure(fn, ops, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(ops)
        best = min(best, time.perf_counter() - t0)
    return len(ops) / best


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    ops = make_workload(args.ops)
    rates = {name: measure(fn, ops, args.repeat) for name, fn in backends().items()}
    base = rates["fakeredis"]
    print(f"mixed workload, {args.ops} ops over {KEYS} keys (best of {args.repeat})")
    print(f"{'backend':<15}{'ops/s':>12}{'vs fakeredis':>14}{'vs dict':>10}")
    for name, rate in rates.items():
        print(f"{name:<15}{rate:>12,.0f}{rate / base:>13.1f}x{rate / rates['dict']:>9.3f}x")
    result = {"ops": args.ops, "ops_per_sec": rates,
              "lab_vs_fakeredis": rates["lab.connect()"] / base}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
