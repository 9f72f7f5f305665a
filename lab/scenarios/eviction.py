"""Eviction experiments: request traces, hit ratios per policy, and the LRU-approximation
experiment behind redis.io's figure (``utils/lru/test-lru.rb``).

Everything runs on real ``Engine`` instances under ``maxmemory`` (the engine's own
eviction code decides), on virtual time, with seeded randomness.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field

from ..engine import Engine

# -- request traces ------------------------------------------------------------------------


def power_law_rand(rng: random.Random, lo: int, hi: int, alpha: float) -> int:
    """``redis-cli``'s powerLawRand: a key in [lo, hi], small ids much more likely
    (alpha 6.2 gives roughly 80% of requests to 20% of keys)."""
    hi += 1
    r = rng.random()
    a1 = alpha + 1
    pl = ((hi ** a1 - lo ** a1) * r + lo ** a1) ** (1.0 / a1)
    return (hi - 1 - int(pl)) + lo


def make_trace(kind: str, n_requests: int, n_keys: int, seed: int = 0,
               alpha: float = 6.2) -> list[int]:
    """Key ids for ``n_requests`` requests over ``n_keys`` keys.

    ``uniform``: every key equally likely. ``zipf``: redis-cli --lru-test's power law.
    ``scan``: keys in order, over and over (the pattern that defeats LRU).

    >>> make_trace("scan", 5, 3)
    [0, 1, 2, 0, 1]
    """
    rng = random.Random(seed)
    if kind == "uniform":
        return [rng.randrange(n_keys) for _ in range(n_requests)]
    if kind == "zipf":
        return [power_law_rand(rng, 1, n_keys, alpha) - 1 for _ in range(n_requests)]
    if kind == "scan":
        return [i % n_keys for i in range(n_requests)]
    raise ValueError(f"unknown trace kind {kind!r}: uniform, zipf or scan")


# -- caching under maxmemory -----------------------------------------------------------------


@dataclass
class CacheRun:
    """Result of replaying a trace as a cache (GET; on a miss, SET)."""

    label: str
    hits: int = 0
    misses: int = 0
    evicted: int = 0
    window_hit_ratio: list[float] = field(default_factory=list)

    @property
    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


def cache_engine(policy: str, capacity_keys: int, samples: int = 5, seed: int = 0,
                 algorithm: str = "pool", value_size: int = 32) -> Engine:
    """An engine whose maxmemory holds ``capacity_keys`` keys of the trace's shape
    (measured: a scratch engine is filled with exactly that many keys)."""
    e = Engine(seed=seed, config={"maxmemory-policy": policy, "maxmemory-samples": samples})
    e.evict_state.algorithm = algorithm
    e.config.maxmemory = used_memory_for(capacity_keys, lambda i: (b"key:%06d" % i, b"x" * value_size))
    return e


def used_memory_for(n_keys: int, make) -> int:
    """used_memory of a fresh engine holding the ``n_keys`` string keys ``make(i)`` gives."""
    scratch = Engine()
    ex = scratch.default_client.execute
    for i in range(n_keys):
        k, v = make(i)
        ex([b"SET", k, v])
    return scratch.used_memory()


def replay(e: Engine, trace: list[int], label: str = "", window: int = 1000,
           value_size: int = 32, step_ms: int = 1) -> CacheRun:
    """GET each key; on a miss SET it (a cache-aside client). Virtual time advances
    ``step_ms`` per request so LRU clocks and LFU decay see time pass."""
    run = CacheRun(label)
    c = e.default_client
    value = b"x" * value_size
    w_hits = w_total = 0
    ex = c.execute
    for k in trace:
        key = b"key:%06d" % k
        if ex([b"GET", key]) is None:
            run.misses += 1
            ex([b"SET", key, value])
        else:
            run.hits += 1
            w_hits += 1
        w_total += 1
        if w_total == window:
            run.window_hit_ratio.append(w_hits / w_total)
            w_hits = w_total = 0
        if step_ms:
            e.advance(step_ms)
    run.evicted = e.stat_evictedkeys
    return run


def true_lru_hit_ratio(trace: list[int], capacity_keys: int) -> float:
    """Hit ratio of a perfect LRU cache of ``capacity_keys`` entries (the reference)."""
    cache: OrderedDict[int, None] = OrderedDict()
    hits = 0
    for k in trace:
        if k in cache:
            hits += 1
            cache.move_to_end(k)
        else:
            cache[k] = None
            if len(cache) > capacity_keys:
                cache.popitem(last=False)
    return hits / len(trace) if trace else 0.0


def compare_policies(trace: list[int], capacity_keys: int,
                     configs: list[tuple[str, int, str]] | None = None, seed: int = 0,
                     window: int = 1000) -> list[CacheRun]:
    """Replay the same trace against several (policy, samples, algorithm) configurations."""
    if configs is None:
        configs = [("allkeys-lru", 10, "pool"), ("allkeys-lru", 5, "pool"),
                   ("allkeys-lru", 1, "pool"), ("allkeys-lfu", 5, "pool"),
                   ("allkeys-random", 5, "pool")]
    runs = []
    for policy, samples, algorithm in configs:
        e = cache_engine(policy, capacity_keys, samples, seed, algorithm)
        label = f"{policy} samples={samples}" + ("" if algorithm == "pool" else f" ({algorithm})")
        runs.append(replay(e, trace, label, window))
    return runs


# -- the LRU approximation experiment (test-lru.rb) -------------------------------------------


@dataclass
class LRUTestResult:
    """One panel of the redis.io figure: per key id, its fate."""

    label: str
    first_set_max_id: int
    inserted: int
    ids: list[int]
    status: list[str]  # "evicted" | "kept" | "new" | "new-evicted" | "other-db"
    error: float

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.status:
            out[s] = out.get(s, 0) + 1
        return out


def lru_test(samples: int = 5, algorithm: str = "pool", room_keys: int = 2000,
             seed: int = 0) -> LRUTestResult:
    """Reproduce test-lru.rb on the engine with a 1 ms LRU clock:

    1. fill with ``SET id foo`` until the first eviction (``first_set_max_id``);
    2. ``GET`` every id in order, 1 ms apart (older ids become older in LRU terms);
    3. add new ids (the first 100 into DB 1) until half of the inserted keys are evicted;
    4. score: keys from the first half should be gone and from the second half kept;
       the error weights each mistake by its distance from the middle.
    A perfect LRU evicts exactly the first half.
    """
    e = Engine(seed=seed, config={"maxmemory-policy": "allkeys-lru",
                                  "maxmemory-samples": samples})
    e.evict_state.algorithm = algorithm
    e.lru_clock_resolution_ms = 1
    e.update_cached_time()
    e.config.maxmemory = used_memory_for(room_keys, lambda i: (b"%d" % (i + 1), b"foo"))
    c = e.default_client
    ex = c.execute
    i = 0
    while True:
        i += 1
        ex([b"SET", b"%d" % i, b"foo"])
        e.advance(1)
        if e.stat_evictedkeys:
            break
    first_set_max_id = i
    inserted = len(e.dbs[0].dict)
    for k in range(1, first_set_max_id + 1):
        ex([b"GET", b"%d" % k])
        e.advance(1)
    half = inserted // 2
    start_evicted = e.stat_evictedkeys
    # the first 100 new ids go to DB 1 (one connection, SELECT: a second client would
    # itself take memory and skew the experiment)
    while e.stat_evictedkeys - start_evicted < half:
        i += 1
        if i == first_set_max_id + 1:
            ex([b"SELECT", b"1"])
        elif i == first_set_max_id + 101:
            ex([b"SELECT", b"0"])
        ex([b"SET", b"%d" % i, b"foo"])
        e.advance(1)
    ex([b"SELECT", b"0"])
    d0, d1 = e.dbs[0].dict, e.dbs[1].dict
    ids = list(range(1, i + 1))
    status = []
    for k in ids:
        kb = b"%d" % k
        if k <= first_set_max_id:
            status.append("kept" if kb in d0 else "evicted")
        elif k <= first_set_max_id + 100:
            status.append("other-db" if kb in d1 else "new-evicted")
        else:
            status.append("new" if kb in d0 else "new-evicted")
    # test-lru.rb's error score: mistakes near the middle cost little, far ones a lot
    err = 0.0
    mid = first_set_max_id // 2
    for k in range(1, first_set_max_id + 1):
        alive = (b"%d" % k) in d0
        weight = (100000 / first_set_max_id) * abs(k - mid) / max(1, mid)
        if k <= mid and alive:
            err += weight
        elif k > mid and not alive:
            err += weight
    label = {"pool": f"Redis 3.0+ pool, {samples} samples",
             "no-pool": f"Redis 2.8, {samples} samples",
             "exact": "Theoretical LRU"}[algorithm]
    return LRUTestResult(label, first_set_max_id, inserted, ids, status, round(err, 1))


def lru_figure_data(room_keys: int = 2000, seed: int = 0) -> list[LRUTestResult]:
    """The four panels of the redis.io figure, computed on the engine."""
    return [
        lru_test(5, "exact", room_keys, seed),
        lru_test(5, "no-pool", room_keys, seed),
        lru_test(5, "pool", room_keys, seed),
        lru_test(10, "pool", room_keys, seed),
    ]


# -- stepping through evictions (what the eviction widget drives) ------------------------------


class EvictionLab:
    """A live engine under maxmemory with a request stream, stepped one eviction at a time.

    ``step()`` replays requests (GET, SET on a miss) until the engine evicts a key and
    returns the engine's own ``evict`` probe record (samples, the pool ranked at the
    decision, the victim, memory before/after). ``configure()`` changes policy, samples,
    maxmemory or workload on the running engine, as CONFIG SET does on a real server.
    ``snapshot()`` gives, per key id, whether it is resident and its score under the
    policy (idle seconds, LFU counter, or TTL), read without touching the keys.
    """

    def __init__(self, policy: str = "allkeys-lru", samples: int = 5, n_keys: int = 400,
                 capacity_keys: int = 200, workload: str = "zipf", seed: int = 0,
                 step_ms: int = 100, value_size: int = 32):
        self.policy = policy
        self.n_keys = n_keys
        self.capacity_keys = capacity_keys
        self.workload = workload
        self.seed = seed
        self.step_ms = step_ms
        self.value = b"x" * value_size
        self.engine = cache_engine(policy, capacity_keys, samples, seed, value_size=value_size)
        self.rng = random.Random(seed)
        self.pos = 0
        self.hits = 0
        self.misses = 0
        self.records: list[dict] = []
        self.engine.probe("evict").subscribe(self.records.append)
        self._keys = [b"key:%06d" % i for i in range(n_keys)]

    def next_id(self) -> int:
        """The next key id of the workload (drawn as the request is made)."""
        kind = self.workload
        if kind == "zipf":
            return power_law_rand(self.rng, 1, self.n_keys, 6.2) - 1
        if kind == "uniform":
            return self.rng.randrange(self.n_keys)
        if kind == "scan":
            return self.pos % self.n_keys
        raise ValueError(kind)

    def configure(self, policy: str | None = None, samples: int | None = None,
                  capacity_keys: int | None = None, workload: str | None = None) -> None:
        """Change the running engine's configuration (CONFIG SET) or the workload."""
        e = self.engine
        pairs = []
        if policy is not None and policy != self.policy:
            self.policy = policy
            pairs += [b"maxmemory-policy", policy.encode()]
        if samples is not None:
            pairs += [b"maxmemory-samples", b"%d" % samples]
        if capacity_keys is not None and capacity_keys != self.capacity_keys:
            resident = len(e.dbs[0].dict)
            per_key = (e.used_memory() - Engine().used_memory()) / max(1, resident)
            target = int(e.maxmemory + per_key * (capacity_keys - self.capacity_keys))
            self.capacity_keys = capacity_keys
            pairs += [b"maxmemory", b"%d" % target]
        if pairs:
            for i in range(0, len(pairs), 2):
                name = pairs[i].decode().replace("-", "_")
                setattr(e.config, name, pairs[i + 1].decode() if name == "maxmemory_policy"
                        else int(pairs[i + 1]))
        if workload is not None:
            self.workload = workload

    def fill(self) -> int:
        """Load keys in id order until the first eviction (a full cache); returns how many
        keys were written."""
        e = self.engine
        ex = e.default_client.execute
        start = e.stat_evictedkeys
        for i, k in enumerate(self._keys):
            if self.policy.startswith("volatile"):
                ex([b"SET", k, self.value, b"EX", b"%d" % (60 + i % 600)])
            else:
                ex([b"SET", k, self.value])
            if e.stat_evictedkeys > start:
                return i + 1
        return len(self._keys)

    def request(self) -> bool:
        """One request of the stream; True on a hit."""
        e = self.engine
        ex = e.default_client.execute
        k = self._keys[self.next_id()]
        self.pos += 1
        hit = ex([b"GET", k]) is not None
        if not hit:
            if self.policy.startswith("volatile"):
                ex([b"SET", k, self.value, b"EX", b"%d" % (60 + self.pos % 600)])
            else:
                ex([b"SET", k, self.value])
        if hit:
            self.hits += 1
        else:
            self.misses += 1
        e.advance(self.step_ms)
        return hit

    def step(self, max_requests: int = 100_000) -> dict | None:
        """Run requests until the next eviction; its probe record (or None)."""
        start = len(self.records)
        for _ in range(max_requests):
            self.request()
            if len(self.records) > start:
                return self.records[start]
        return None

    def run(self, n_requests: int) -> None:
        for _ in range(n_requests):
            self.request()

    @property
    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def scores(self) -> list[float | None]:
        """Per key id: the policy's score if resident, else None (O(n_keys))."""
        e = self.engine
        db = e.dbs[0]
        get = db.dict.get
        keys = self._keys
        if self.policy.endswith("lfu"):
            f = e.lfu_decr_and_return
            return [None if (o := get(k)) is None else float(f(o)) for k in keys]
        if self.policy == "volatile-ttl":
            exp = db.expires.get
            now = e.mstime
            return [None if get(k) is None or (w := exp(k)) is None else (w - now) / 1000
                    for k in keys]
        c = e.lruclock
        res = e.lru_clock_resolution_ms / 1000
        out: list[float | None] = []
        append = out.append
        for k in keys:
            o = get(k)
            if o is None:
                append(None)
            else:
                lru = o.lru
                append((c - lru) * res if c >= lru else e.estimate_idle_time_ms(o) / 1000)
        return out

    def snapshot(self) -> list[tuple[int, bool, float | None]]:
        """(key id, resident, score) for every key id of the workload."""
        return [(i, s is not None, s) for i, s in enumerate(self.scores())]

    def summary(self) -> str:
        e = self.engine
        return (f"{self.policy}, samples={e.config.maxmemory_samples}, workload={self.workload}: "
                f"{self.pos} requests, hit ratio {self.hit_ratio:.3f}, "
                f"{e.stat_evictedkeys} evictions, {len(e.dbs[0].dict)} keys resident")
