"""maxmemory and eviction (``evict.c``): the eviction pool, LRU/LFU/TTL/random policies.

``perform_evictions(engine)`` runs before every command while ``maxmemory`` is set
(``Engine.process_command``); a command flagged ``denyoom`` (and anything but
EXEC/DISCARD/QUIT/RESET inside MULTI) is refused with the OOM error when it fails.

The approximated-LRU algorithm, as Redis 3.0+ runs it:

1. Measure: ``used_memory`` (minus memory not counted for eviction) over ``maxmemory``
   is the amount to free; below it, nothing to do.
2. For a pool policy (LRU, LFU, volatile-ttl), refill the shared pool of
   ``EVPOOL_SIZE`` = 16 candidates: from **every** database, sample
   ``maxmemory-samples`` keys (of the whole keyspace, or of the keys with a TTL) and
   insert each by its score — idle ms (LRU), 255 - LFU counter (LFU), or
   ULLONG_MAX - expire time (TTL) — keeping the pool sorted, best candidate on the right.
3. Take the best (right-most) entry out of the pool; if its key still exists, it is the
   victim, else ("ghost") try the next one; refill when the pool is empty.
4. Random policies instead pick a random key of the next database, round robin.
5. Delete the victim, count ``evicted_keys``, fire the ``evicted`` event, propagate DEL,
   and repeat until enough memory was freed; every 16 keys check the time budget
   (``maxmemory-eviction-tenacity``) and leave the rest for the next call if exceeded.

How it differs from Redis: keys are sampled uniformly at random from each database
(``dictGetSomeKeys`` walks random runs of hash buckets; redis-internals §1.4 notes the
difference is not visible for teaching), and the time a deletion takes is a deterministic
cost model (``EVICTION_COST_US``), since the engine's clock is virtual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .db import NOTIFY_EVICTED

if TYPE_CHECKING:  # pragma: no cover
    from .server import Engine

EVPOOL_SIZE = 16
ULLONG_MAX = (1 << 64) - 1
EVICT_OK = 0
EVICT_RUNNING = 1
EVICT_FAIL = 2
# Modelled cost of one eviction (sampling + delete) and of one sampled key, in µs.
EVICTION_COST_US = 2.0
SAMPLE_COST_US = 0.1

MAXMEMORY_FLAG_LRU = 1
MAXMEMORY_FLAG_LFU = 2
MAXMEMORY_FLAG_ALLKEYS = 4
POLICY_FLAGS = {
    "volatile-lru": MAXMEMORY_FLAG_LRU,
    "volatile-lfu": MAXMEMORY_FLAG_LFU,
    "volatile-random": 0,
    "volatile-ttl": 0,
    "allkeys-lru": MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS,
    "allkeys-lfu": MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS,
    "allkeys-random": MAXMEMORY_FLAG_ALLKEYS,
    "noeviction": 0,
}


def eviction_time_limit_us(tenacity: int) -> float:
    """``evictionTimeLimitUs``: 50 µs per tenacity step up to 10, then +15% per step,
    unlimited at 100."""
    if tenacity <= 10:
        return 50.0 * tenacity
    if tenacity < 100:
        return 500.0 * 1.15 ** (tenacity - 10)
    return float("inf")


class KeyIndex:
    """Keys of one dict in an array, for O(1) uniform random sampling (swap-remove)."""

    __slots__ = ("keys", "pos")

    def __init__(self, keys=()) -> None:
        self.keys: list[bytes] = list(keys)
        self.pos: dict[bytes, int] = {k: i for i, k in enumerate(self.keys)}

    def add(self, key: bytes) -> None:
        if key not in self.pos:
            self.pos[key] = len(self.keys)
            self.keys.append(key)

    def remove(self, key: bytes) -> None:
        i = self.pos.pop(key, None)
        if i is None:
            return
        last = self.keys.pop()
        if i < len(self.keys):
            self.keys[i] = last
            self.pos[last] = i

    def __len__(self) -> int:
        return len(self.keys)


class EvictionState:
    """The global eviction pool and the random policies' database cursor."""

    __slots__ = ("pool", "next_db", "timer_running", "exceeded_start_ms",
                 "total_exceeded_ms", "indexes", "expire_indexes", "algorithm")

    def __init__(self) -> None:
        self.pool: list[list | None] = [None] * EVPOOL_SIZE  # [score, key, dbid]
        self.next_db = 0
        self.timer_running = False
        self.exceeded_start_ms = 0
        self.total_exceeded_ms = 0
        self.indexes: list[KeyIndex] | None = None
        self.expire_indexes: list[KeyIndex] | None = None
        # "pool": Redis 3.0+ (the only one a real 7.0 server has). Teaching-only
        # alternatives for the LRU-approximation experiment: "no-pool" (Redis 2.8:
        # per db, sample N keys and evict the best of them) and "exact" (true LRU/LFU:
        # evict the global best, found by scanning every key).
        self.algorithm = "pool"

    # sampling indexes are kept only while eviction is possible (maxmemory set)
    def enable(self, engine: Engine) -> None:
        if self.indexes is None:
            self.indexes = [KeyIndex(db.dict) for db in engine.dbs]
            self.expire_indexes = [KeyIndex(db.expires) for db in engine.dbs]

    def disable(self) -> None:
        self.indexes = None
        self.expire_indexes = None
        self.pool = [None] * EVPOOL_SIZE

    def pool_snapshot(self) -> list[tuple[int, bytes, int]]:
        return [(e[0], e[1], e[2]) for e in self.pool if e is not None]


def _score(e: Engine, policy: str, flags: int, db, key: bytes) -> int | None:
    obj = db.dict.get(key)
    if flags & MAXMEMORY_FLAG_LRU:
        if obj is None:
            return None
        return e.estimate_idle_time_ms(obj)
    if flags & MAXMEMORY_FLAG_LFU:
        if obj is None:
            return None
        return 255 - e.lfu_decr_and_return(obj)
    # volatile-ttl
    when = db.expires.get(key)
    if when is None:
        return None
    return ULLONG_MAX - when


def eviction_pool_populate(e: Engine, st: EvictionState, db, index: KeyIndex, flags: int,
                           policy: str, samples_out: list | None) -> int:
    """``evictionPoolPopulate``: sample ``maxmemory-samples`` keys of one db into the pool.
    Returns the number of keys sampled."""
    n = len(index)
    count = e.config.maxmemory_samples
    if count > n:
        count = n
    picks = e.random.sample(range(n), count) if count < n else range(n)
    pool = st.pool
    keys = index.keys
    sampled = 0
    for i in picks:
        key = keys[i]
        idle = _score(e, policy, flags, db, key)
        if idle is None:
            continue
        sampled += 1
        if samples_out is not None:
            samples_out.append((db.id, key, idle))
        # find the first slot that is empty or holds a score >= ours
        k = 0
        while k < EVPOOL_SIZE and pool[k] is not None and pool[k][0] < idle:
            k += 1
        if k == 0 and pool[EVPOOL_SIZE - 1] is not None:
            continue  # worse than everything in a full pool
        if k < EVPOOL_SIZE and pool[k] is None:
            pass  # insert into an empty slot
        elif pool[EVPOOL_SIZE - 1] is None:
            pool[k + 1:EVPOOL_SIZE] = pool[k:EVPOOL_SIZE - 1]  # shift right
        else:
            k -= 1
            pool[0:k] = pool[1:k + 1]  # shift left, dropping the worst (pool[0])
        pool[k] = [idle, key, db.id]
    return sampled


def _legacy_select(e: Engine, st: EvictionState, indexes: list[KeyIndex], flags: int,
                   policy: str, samples_out: list | None):
    """The teaching-only selections. "no-pool" (Redis 2.8's freeMemoryIfNeeded): take the
    next non-empty db round robin, draw ``maxmemory-samples`` random keys (with
    replacement, like dictGetRandomKey) and return the best. "exact": scan every key of
    every db and return the global best (true LRU / LFU / TTL order)."""
    best = None
    if st.algorithm == "exact":
        for db in e.dbs:
            for key in indexes[db.id].keys:
                score = _score(e, policy, flags, db, key)
                if score is not None and (best is None or score > best[0]):
                    best = (score, key, db)
        return (best[1], best[2]) if best else (None, None)
    n_dbs = len(e.dbs)
    for _ in range(n_dbs):
        st.next_db += 1
        db = e.dbs[st.next_db % n_dbs]
        idx = indexes[db.id]
        if not len(idx):
            continue
        for _ in range(e.config.maxmemory_samples):
            key = idx.keys[e.random.randrange(len(idx))]
            score = _score(e, policy, flags, db, key)
            if samples_out is not None:
                samples_out.append((db.id, key, score))
            if score is not None and (best is None or score > best[0]):
                best = (score, key, db)
        break
    return (best[1], best[2]) if best else (None, None)


def perform_evictions(e: Engine) -> int:
    """``performEvictions``: free memory until under maxmemory. EVICT_OK / RUNNING / FAIL."""
    if e.loading or not getattr(e, "evictions_safe", True):
        return EVICT_OK
    mem = e.memory
    used = mem.used_memory()
    if used <= e.maxmemory:
        st = e.evict_state
        if st.exceeded_start_ms:
            st.total_exceeded_ms += e.mstime - st.exceeded_start_ms
            st.exceeded_start_ms = 0
        return EVICT_OK
    st = e.evict_state
    if not st.exceeded_start_ms:
        st.exceeded_start_ms = e.mstime or 1
    policy = e.config.maxmemory_policy
    if policy == "noeviction":
        return EVICT_FAIL
    tofree = used - e.maxmemory
    flags = POLICY_FLAGS[policy]
    allkeys = bool(flags & MAXMEMORY_FLAG_ALLKEYS)
    st.enable(e)
    probe = e.probe("evict")
    trace = probe.active
    time_limit = eviction_time_limit_us(e.config.maxmemory_eviction_tenacity)
    elapsed = 0.0
    freed = 0
    keys_freed = 0
    result = EVICT_OK
    dbs = e.dbs
    while freed < tofree:
        bestkey = None
        bestdb = None
        ranked = None
        samples: list | None = [] if trace else None
        pool_before = st.pool_snapshot() if trace else None
        if st.algorithm != "pool" and (flags & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU)
                                       or policy == "volatile-ttl"):
            indexes = st.indexes if allkeys else st.expire_indexes
            bestkey, bestdb = _legacy_select(e, st, indexes, flags, policy, samples)
        elif flags & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU) or policy == "volatile-ttl":
            indexes = st.indexes if allkeys else st.expire_indexes
            while bestkey is None:
                total = 0
                for db in dbs:
                    idx = indexes[db.id]
                    if len(idx):
                        elapsed += SAMPLE_COST_US * eviction_pool_populate(
                            e, st, db, idx, flags, policy, samples)
                        total += len(idx)
                if not total:
                    break
                pool = st.pool
                ranked = st.pool_snapshot() if trace else None
                for k in range(EVPOOL_SIZE - 1, -1, -1):
                    entry = pool[k]
                    if entry is None:
                        continue
                    pool[k] = None
                    db = dbs[entry[2]]
                    key = entry[1]
                    exists = key in db.dict if allkeys else key in db.expires
                    if exists:
                        bestkey, bestdb = key, db
                        break
        else:
            indexes = st.indexes if allkeys else st.expire_indexes
            for _ in range(len(dbs)):
                st.next_db += 1
                db = dbs[st.next_db % len(dbs)]
                idx = indexes[db.id]
                if len(idx):
                    bestkey = idx.keys[e.random.randrange(len(idx))]
                    bestdb = db
                    if samples is not None:
                        samples.append((db.id, bestkey, None))
                    break
        if bestkey is None:
            result = EVICT_FAIL
            break
        before = mem.used_memory()
        bestdb.delete(bestkey)
        after = mem.used_memory()
        freed += before - after
        e.stat_evictedkeys += 1
        e.notify_keyspace_event(NOTIFY_EVICTED, "evicted", bestkey, bestdb.id)
        bestdb.signal_modified(bestkey)
        e.propagate(bestdb.id, [b"DEL", bestkey])
        keys_freed += 1
        elapsed += EVICTION_COST_US
        if trace:
            probe.publish({
                "time_ms": e.mstime, "policy": policy, "samples": samples,
                "pool_before": pool_before, "pool_ranked": ranked,
                "pool_after": st.pool_snapshot(),
                "victim": bestkey, "db": bestdb.id, "used_before": before,
                "used_after": after, "maxmemory": e.maxmemory,
            })
        if keys_freed % 16 == 0 and elapsed > time_limit:
            # out of time: the rest is left to the next call (evictionTimeProc)
            st.timer_running = True
            result = EVICT_RUNNING
            break
    else:
        st.timer_running = False
    if result == EVICT_OK and st.timer_running:
        result = EVICT_RUNNING
    return result
