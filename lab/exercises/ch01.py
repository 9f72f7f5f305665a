"""Checks for Chapter 1 — Fundamentals.

Each check takes the reader's client (``lab.connect()``) or engine and looks only at what
a Redis server would show: key types, values, TTLs, CONFIG, INFO commandstats. Where a
check needs to see a *behaviour* (which keys an eviction policy removes), it copies the
reader's configuration onto a scratch engine and runs the experiment there, so the
reader's own data is never touched.

``from lab.exercises import ch01 as check`` then ``check.leaderboard(r)``.
"""

from __future__ import annotations

from ..engine import Engine
from . import Result, client_of, engine_of, failed, passed

__all__ = ["durable_config", "jittered_ttls", "leaderboard", "lfu_cache", "page_views",
           "protected_keys", "recent_events", "session_expiry", "user_profile"]


def _calls(r, *commands: str) -> int:
    """Calls of ``commands`` so far, from INFO commandstats (what any server reports)."""
    stats = r.info("commandstats")
    return sum(stats.get(f"cmdstat_{c}", {}).get("calls", 0) for c in commands)


def _config(r, name: str) -> str:
    return r.config_get(name).get(name, "")


# -- 01 what Redis is --------------------------------------------------------------------


def page_views(r) -> Result:
    """``page:home:views`` counted to 100 with INCR (atomic on the server), not GET + SET."""
    name = "page views"
    r = client_of(r)
    key = "page:home:views"
    if not r.exists(key):
        return failed(name, f"there is no key {key!r}",
                      "call r.incr('page:home:views') once per visit, 100 times")
    if r.type(key) != "string":
        return failed(name, f"{key!r} is a {r.type(key)}, not a string",
                      "a counter is a plain string holding an integer: DEL it and use INCR")
    value = r.get(key)
    if value != "100":
        return failed(name, f"{key!r} is {value!r}, expected '100'",
                      "DEL the key first, then INCR it exactly 100 times")
    incrs = _calls(r, "incr", "incrby")
    if incrs < 100:
        return failed(name, f"the value is right, but INFO commandstats shows only {incrs} "
                      "INCR/INCRBY calls",
                      "GET then SET is two round trips: another client can write in between "
                      "and one visit is lost. INCR does the read-modify-write inside the server.")
    return passed(name, f"{key} = 100, counted by {incrs} atomic INCR/INCRBY calls "
                  f"(stored as OBJECT ENCODING {r.object('encoding', key)})")


# -- 02 keys and data types ----------------------------------------------------------------


def user_profile(r) -> Result:
    """``user:1000`` is a hash with name, email and a ``visits`` counter raised with
    HINCRBY (no read-modify-write in the client)."""
    name = "user profile"
    r = client_of(r)
    key = "user:1000"
    if not r.exists(key):
        return failed(name, f"there is no key {key!r}",
                      "HSET user:1000 name 'Ada Lovelace' email ada@example.com visits 0")
    if r.type(key) != "hash":
        return failed(name, f"{key!r} is a {r.type(key)}, not a hash",
                      "one hash per object: each attribute is a field (DEL the key first)")
    h = r.hgetall(key)
    want = {"name": "Ada Lovelace", "email": "ada@example.com"}
    for f, v in want.items():
        if h.get(f) != v:
            return failed(name, f"field {f!r} is {h.get(f)!r}, expected {v!r}",
                          "HSET sets several fields in one command")
    visits = h.get("visits")
    if visits is None or not visits.lstrip("-").isdigit() or int(visits) < 1:
        return failed(name, f"field 'visits' is {visits!r}, expected a positive integer",
                      "HINCRBY user:1000 visits 1 creates the field at 0 and adds 1")
    if _calls(r, "hincrby") < 1:
        return failed(name, "'visits' was never raised with HINCRBY",
                      "count inside Redis with HINCRBY; reading the field and writing it back "
                      "can lose a concurrent visit")
    enc = r.object("encoding", key)
    return passed(name, f"{key}: {len(h)} fields, visits={visits}, encoding {enc}")


LEADERBOARD_TOP3 = [("alan", 3400.0), ("grace", 3300.0), ("ada", 3100.0)]


def leaderboard(r) -> Result:
    """``leaderboard:2025`` (a sorted set) holds the five players; alan's win was added
    with ZINCRBY; the top 3 come out in order."""
    name = "leaderboard"
    r = client_of(r)
    key = "leaderboard:2025"
    if not r.exists(key):
        return failed(name, f"there is no key {key!r}",
                      "ZADD leaderboard:2025 3100 ada 2900 alan 3300 grace 2500 linus 2800 barbara")
    if r.type(key) != "zset":
        return failed(name, f"{key!r} is a {r.type(key)}, not a sorted set",
                      "a ranking is a sorted set: members ordered by score")
    if r.zcard(key) != 5:
        return failed(name, f"{key!r} has {r.zcard(key)} players, expected 5",
                      "each player is one member; ZADD again updates the score, it does not "
                      "add a second entry")
    top = r.zrevrange(key, 0, 2, withscores=True)
    if [(m, float(s)) for m, s in top] != LEADERBOARD_TOP3:
        return failed(name, f"the top 3 is {top}, expected {LEADERBOARD_TOP3}",
                      "alan wins 500 points: ZINCRBY leaderboard:2025 500 alan; read the top "
                      "with ZREVRANGE leaderboard:2025 0 2 WITHSCORES")
    if _calls(r, "zincrby") < 1:
        return failed(name, "the scores are right, but ZINCRBY was never called",
                      "add points with ZINCRBY (atomic) rather than ZSCORE then ZADD")
    return passed(name, "top 3: " + ", ".join(f"{m} {s:.0f}" for m, s in top))


def recent_events(r) -> Result:
    """``events:recent`` keeps only the 5 newest of events e1..e8, newest first, capped
    with LTRIM after the pushes."""
    name = "recent events"
    r = client_of(r)
    key = "events:recent"
    want = ["e8", "e7", "e6", "e5", "e4"]
    if not r.exists(key):
        return failed(name, f"there is no key {key!r}",
                      "LPUSH events:recent e1 ... then LTRIM events:recent 0 4")
    if r.type(key) != "list":
        return failed(name, f"{key!r} is a {r.type(key)}, not a list",
                      "a log of recent items is a list: LPUSH adds at the head")
    got = r.lrange(key, 0, -1)
    if got != want:
        hint = ("keep the newest five: LTRIM events:recent 0 4 after each LPUSH"
                if len(got) > 5 else
                "push e1 first and e8 last with LPUSH, so the newest is at index 0")
        return failed(name, f"the list is {got}, expected {want}", hint)
    if _calls(r, "ltrim") < 1:
        return failed(name, "the list is right, but LTRIM was never called",
                      "cap the list on the server with LTRIM; it is O(number removed)")
    return passed(name, f"{key} = {got} (LLEN {len(got)}, capped with LTRIM)")


# -- 03 expiration -----------------------------------------------------------------------------


def session_expiry(engine) -> Result:
    """``session:abc`` -> ``user:42`` expires in 30 minutes (set in one command);
    ``user:42`` itself never expires."""
    name = "session expiry"
    r = client_of(engine)
    if not r.exists("session:abc"):
        return failed(name, "there is no key 'session:abc'",
                      "SET session:abc user:42 EX 1800 creates it with its TTL in one command")
    if r.get("session:abc") != "user:42":
        return failed(name, f"session:abc holds {r.get('session:abc')!r}, expected 'user:42'",
                      "the session's value is the id of the user it belongs to")
    ttl = r.ttl("session:abc")
    if ttl == -1:
        return failed(name, "session:abc has no TTL: it would live forever",
                      "SET ... EX 1800 (or EXPIRE session:abc 1800); a plain SET also "
                      "removes an existing TTL")
    if not 1790 <= ttl <= 1800:
        return failed(name, f"session:abc expires in {ttl} s, expected about 1800 (30 min)",
                      "EX takes seconds, PX milliseconds")
    if not r.exists("user:42"):
        return failed(name, "there is no key 'user:42'", "SET user:42 Ada (no TTL)")
    if r.ttl("user:42") != -1:
        return failed(name, f"user:42 has a TTL ({r.ttl('user:42')} s): the user would vanish",
                      "PERSIST user:42 removes a TTL")
    return passed(name, f"session:abc expires in {ttl} s; user:42 has no TTL (TTL -1)")


def jittered_ttls(engine) -> Result:
    """``cache:item:0`` .. ``cache:item:99`` expire between 270 and 330 s, spread out
    rather than all at the same instant."""
    name = "jittered TTLs"
    r = client_of(engine)
    ttls = []
    for i in range(100):
        k = f"cache:item:{i}"
        p = r.pttl(k)
        if p == -2:
            return failed(name, f"there is no key {k!r}",
                          "write all 100 keys: for i in range(100): r.set(f'cache:item:{i}', ...)")
        if p == -1:
            return failed(name, f"{k!r} has no TTL", "give every cache key a TTL (SET ... PX ms)")
        ttls.append(p)
    lo, hi = min(ttls), max(ttls)
    if lo < 270_000 - 1000 or hi > 330_000:
        return failed(name, f"TTLs range from {lo / 1000:.1f} to {hi / 1000:.1f} s, "
                      "expected 270..330 s", "300 s ± 10%: random.randint(270_000, 330_000) ms")
    distinct = len(set(ttls))
    if distinct < 20:
        return failed(name, f"only {distinct} distinct TTLs: keys still expire in bursts",
                      "draw each key's TTL separately (PX with milliseconds gives plenty of "
                      "different values)")
    return passed(name, f"100 keys, TTLs from {lo / 1000:.1f} s to {hi / 1000:.1f} s, "
                  f"{distinct} distinct values")


# -- 04 memory and eviction --------------------------------------------------------------------


def _scratch_like(e: Engine, maxmemory: int | None = None) -> Engine:
    """A fresh engine with ``e``'s eviction settings."""
    cfg = e.config
    s = Engine(seed=0, config={"maxmemory-policy": cfg.maxmemory_policy,
                               "maxmemory-samples": cfg.maxmemory_samples,
                               "lfu-log-factor": cfg.lfu_log_factor,
                               "lfu-decay-time": cfg.lfu_decay_time})
    if maxmemory is not None:
        s.config.maxmemory = maxmemory
    return s


def lfu_cache(engine) -> Result:
    """The cache evicts the least frequently used keys: a policy that counts accesses and
    may evict any key, and a memory limit so eviction actually happens."""
    name = "LFU cache"
    e = engine_of(engine)
    policy = e.config.maxmemory_policy
    if e.config.maxmemory <= 0:
        return failed(name, "maxmemory is 0: the cache grows without limit and never evicts",
                      "CONFIG SET maxmemory 2mb")
    if policy != "allkeys-lfu":
        hint = ("volatile-lfu only considers keys with a TTL; a cache whose keys have no TTL "
                "would answer OOM instead" if policy == "volatile-lfu" else
                "CONFIG SET maxmemory-policy allkeys-lfu")
        return failed(name, f"maxmemory-policy is {policy!r}", hint)
    # behaviour: 20 hot keys read often survive a flood of cold keys
    s = _scratch_like(e)
    ex = s.default_client.execute
    val = b"x" * 64
    for i in range(200):
        ex([b"SET", b"cache:%d" % i, val])
    s.config.maxmemory = s.used_memory()
    hot = [b"cache:%d" % i for i in range(20)]
    for _ in range(50):
        for k in hot:
            ex([b"GET", k])
    for i in range(200, 600):
        ex([b"SET", b"cache:%d" % i, val])
    d = s.dbs[0].dict
    kept = sum(1 for k in hot if k in d)
    if kept < 18:
        return failed(name, f"only {kept} of 20 frequently read keys survived 400 new keys",
                      "check lfu-log-factor / lfu-decay-time: defaults (10, 1) are a good start")
    return passed(name, f"allkeys-lfu with maxmemory {e.config.maxmemory}: in a replay with "
                  f"your settings {kept}/20 hot keys survived {s.stat_evictedkeys} evictions")


def protected_keys(engine) -> Result:
    """Under memory pressure, ``cache:*`` keys may be evicted but ``config:*`` keys never:
    a volatile-* policy, TTLs on cache keys only, and a memory limit."""
    name = "protected keys"
    e = engine_of(engine)
    r = client_of(engine)
    policy = e.config.maxmemory_policy
    if e.config.maxmemory <= 0:
        return failed(name, "maxmemory is 0: nothing is ever evicted (nor protected)",
                      "CONFIG SET maxmemory 2mb")
    if not policy.startswith("volatile-"):
        return failed(name, f"maxmemory-policy is {policy!r}",
                      "allkeys-* may evict any key, config:* included; volatile-* policies "
                      "only evict keys that have a TTL")
    cache = sorted(r.scan_iter(match="cache:*", count=1000))
    configs = sorted(r.scan_iter(match="config:*", count=1000))
    if not cache or not configs:
        return failed(name, f"found {len(cache)} cache:* and {len(configs)} config:* keys",
                      "write some of each (see the starter cell)")
    for k in configs:
        if r.ttl(k) != -1:
            return failed(name, f"{k!r} has a TTL: it is an eviction candidate (and will expire)",
                          f"PERSIST {k}")
    for k in cache:
        if r.ttl(k) < 0:
            return failed(name, f"{k!r} has no TTL: volatile-* will never evict it",
                          "give every cache key a TTL (SET ... EX seconds)")
    # behaviour: copy the string keys, fill to the limit, add many cache keys
    s = _scratch_like(e)
    sx = s.default_client.execute
    for k in configs + cache:
        if r.type(k) == "string":
            sx([b"SET", k.encode(), r.get(k).encode()]
               + ([b"EX", b"%d" % max(1, r.ttl(k))] if k.startswith("cache:") else []))
    s.config.maxmemory = s.used_memory() + 1024
    oom = 0
    for i in range(len(cache) * 2 + 50):
        rep = sx([b"SET", b"cache:new:%d" % i, b"x" * 64, b"EX", b"600"])
        if isinstance(rep, Exception):
            oom += 1
    d = s.dbs[0].dict
    lost = [k for k in configs if k.encode() not in d]
    if lost:
        return failed(name, f"config keys were evicted: {lost[:3]}", "keep TTLs off config:* keys")
    if oom:
        return failed(name, f"{oom} writes were refused with OOM",
                      "volatile-* needs enough keys with a TTL to evict")
    return passed(name, f"{policy}: in a replay, {s.stat_evictedkeys} cache keys were evicted "
                  f"and all {len(configs)} config keys stayed")


# -- 05 persistence ---------------------------------------------------------------------------


def durable_config(engine) -> Result:
    """At most about one second of acknowledged writes lost on a crash, and RDB snapshots
    kept for backups."""
    name = "durable config"
    r = client_of(engine)
    aof = _config(r, "appendonly")
    fsync = _config(r, "appendfsync")
    save = _config(r, "save")
    if aof != "yes":
        return failed(name, f"appendonly is {aof!r}: only RDB snapshots, so a crash loses "
                      "every write since the last snapshot", "CONFIG SET appendonly yes")
    if fsync not in ("everysec", "always"):
        return failed(name, f"appendfsync is {fsync!r}: the OS decides when data reaches the "
                      "disk (often tens of seconds)", "CONFIG SET appendfsync everysec")
    if not save.strip():
        return failed(name, "save is empty: no RDB snapshots for backups",
                      "CONFIG SET save '3600 1 300 100 60 10000'")
    loss = "about 1 s" if fsync == "everysec" else "no acknowledged write (fsync before reply)"
    return passed(name, f"AOF on, appendfsync {fsync} (a crash loses {loss}), "
                  f"RDB save points '{save}'")
