"""Expiry experiments: how long logically expired keys stay in memory, and who removes
them (the active expire cycle or a lazy lookup).

``ExpiryLab`` loads a real ``Engine`` with keys that carry a TTL (``cache:*``) and keys
that don't (``user:*``), then advances virtual time one cron tick at a time. After every
tick it records what a reader cannot see on a real server without scanning: how many keys
have passed their deadline but are still resident, how many keys the active cycle and
lazy lookups removed during the tick (from the engine's ``expire.cycle`` and
``expire.lazy`` probes), and the INFO counters (``expired_keys``, ``expired_stale_perc``,
``expired_time_cap_reached_count``).

Everything is deterministic: TTLs and reads come from ``random.Random(seed)``, the clock
is virtual, and the engine's own randomness is seeded.

A tick is one ``Engine.advance(cron period)`` (one ``serverCron``: the slow cycle)
followed by one ``Engine.before_sleep()`` (the fast cycle an idle event loop runs after
the timer event), then ``reads_per_tick`` GETs of random keys, which is where lazy
expiry happens.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import asdict, dataclass

from ..engine import Engine

__all__ = ["ExpiryLab", "TickRecord", "make_ttls"]


def make_ttls(n: int, ttl_ms: int, jitter: float, seed: int = 0) -> list[int]:
    """``n`` TTLs in ms: ``ttl_ms`` spread uniformly by ``±jitter`` (a fraction, 0..1).

    Jitter 0 gives every key the same TTL, so keys written together also expire together.

    >>> make_ttls(3, 1000, 0.0)
    [1000, 1000, 1000]
    >>> all(500 <= t <= 1500 for t in make_ttls(100, 1000, 0.5, seed=1))
    True
    """
    if not 0 <= jitter <= 1:
        raise ValueError("jitter is a fraction between 0 and 1")
    rng = random.Random(seed)
    lo = round(ttl_ms * (1 - jitter))
    hi = round(ttl_ms * (1 + jitter))
    return [max(1, rng.randint(lo, hi)) for _ in range(n)]


@dataclass(frozen=True)
class TickRecord:
    """What one cron tick did (``time_ms`` is the virtual time after the tick)."""

    tick: int
    time_ms: int
    resident: int  # keys in memory (DBSIZE)
    volatile: int  # keys in memory that carry a TTL
    stale_before: int  # keys past their deadline, still in memory, when the cron fired
    stale: int  # keys past their deadline, still in memory, after the tick
    stale_fraction: float  # stale / volatile (0 when no key has a TTL)
    active_removed: int  # removed by the active cycle (slow + fast) in this tick
    lazy_removed: int  # removed by lookups (lazy expiry) in this tick
    expired_keys: int  # INFO stats expired_keys (cumulative)
    expired_stale_perc: float  # INFO stats expired_stale_perc (the engine's estimate, %)
    time_cap_reached: int  # INFO stats expired_time_cap_reached_count (cumulative)
    cycle_time_us: int  # modelled CPU time the cycles used in this tick

    def as_dict(self) -> dict:
        return asdict(self)


class ExpiryLab:
    """A keyspace with TTLs on a virtual clock, observed tick by tick.

    ``n_volatile`` keys get ``SET cache:<i> v PX <ttl>`` (TTLs from ``make_ttls``),
    ``n_persistent`` keys get a plain ``SET user:<i> v``; ``hz`` and
    ``active_expire_effort`` are set with CONFIG SET, ``reads_per_tick`` GETs of random
    keys (from all keys ever written) run after each tick.

    >>> lab = ExpiryLab(n_volatile=200, n_persistent=100, ttl_ms=500, jitter=0.5, seed=1)
    >>> recs = lab.run(1500)
    >>> recs[-1].expired_keys, recs[-1].stale, recs[-1].resident
    (200, 0, 100)
    """

    def __init__(self, n_volatile: int = 2000, n_persistent: int = 2000, ttl_ms: int = 2000,
                 jitter: float = 0.5, hz: int = 10, active_expire_effort: int = 1,
                 reads_per_tick: int = 0, seed: int = 0):
        self.params = dict(n_volatile=n_volatile, n_persistent=n_persistent, ttl_ms=ttl_ms,
                           jitter=jitter, hz=hz, active_expire_effort=active_expire_effort,
                           reads_per_tick=reads_per_tick, seed=seed)
        self.reads_per_tick = reads_per_tick
        self.engine = e = Engine(seed=seed)
        self.configure(hz=hz, active_expire_effort=active_expire_effort)
        self._rng = random.Random(seed + 1)
        ex = e.default_client.execute
        self.ttls = make_ttls(n_volatile, ttl_ms, jitter, seed)
        start = e.mstime
        self.start_ms = start
        self.keys: list[bytes] = []
        for i, ttl in enumerate(self.ttls):
            k = b"cache:%d" % i
            ex([b"SET", k, b"v", b"PX", b"%d" % ttl])
            self.keys.append(k)
        for i in range(n_persistent):
            k = b"user:%d" % i
            ex([b"SET", k, b"v"])
            self.keys.append(k)
        # keys are only ever removed (never rewritten), so "stale" = deadlines already
        # passed minus keys already removed; this sorted list answers it in O(log n)
        self._deadlines = sorted(start + t for t in self.ttls)
        self.records: list[TickRecord] = []
        self.tick = 0
        self._active = 0
        self._lazy = 0
        self._cycle_us = 0
        self._removed = 0
        e.probe("expire.cycle").subscribe(self._on_cycle)
        e.probe("expire.lazy").subscribe(self._on_lazy)

    # -- probes -------------------------------------------------------------------------
    def _on_cycle(self, rec: dict) -> None:
        self._active += rec["expired"]
        self._cycle_us += rec["time_used_us"]

    def _on_lazy(self, _rec: dict) -> None:
        self._lazy += 1

    # -- controls -----------------------------------------------------------------------
    def configure(self, hz: int | None = None, active_expire_effort: int | None = None,
                  reads_per_tick: int | None = None) -> None:
        """CONFIG SET ``hz`` / ``active-expire-effort`` on the running engine, or change
        the read rate."""
        call = self.engine.call
        if hz is not None:
            call("CONFIG", "SET", "hz", str(hz))
            self.params["hz"] = hz
        if active_expire_effort is not None:
            call("CONFIG", "SET", "active-expire-effort", str(active_expire_effort))
            self.params["active_expire_effort"] = active_expire_effort
        if reads_per_tick is not None:
            self.reads_per_tick = reads_per_tick
            self.params["reads_per_tick"] = reads_per_tick

    # -- running --------------------------------------------------------------------------
    def stale_now(self) -> int:
        """Keys whose deadline has passed (Redis: ``now > when``) but are still resident."""
        now = self.engine.mstime
        passed = bisect.bisect_left(self._deadlines, now)  # deadlines < now
        return passed - self._removed

    def step(self) -> TickRecord:
        """One cron tick (+ the fast cycle + this tick's reads); its record."""
        e = self.engine
        self._active = self._lazy = self._cycle_us = 0
        # move to the instant the next cron fires (never past it), so a record describes
        # the keyspace right after a cycle, whatever hz is
        next_cron = getattr(e, "_next_cron_ms", e.mstime + e.cron_period_ms)
        now = max(next_cron, e.mstime)
        stale_before = bisect.bisect_left(self._deadlines, now) - self._removed
        e.advance(now - e.mstime)
        e.before_sleep()
        if self.reads_per_tick:
            ex = e.default_client.execute
            keys = self.keys
            rnd = self._rng.randrange
            for _ in range(self.reads_per_tick):
                ex([b"GET", keys[rnd(len(keys))]])
        self._removed += self._active + self._lazy
        self.tick += 1
        db = e.dbs[0]
        volatile = len(db.expires)
        stale = self.stale_now()
        rec = TickRecord(
            tick=self.tick, time_ms=e.mstime - self.start_ms, resident=len(db.dict),
            volatile=volatile, stale_before=stale_before, stale=stale,
            stale_fraction=stale / volatile if volatile else 0.0,
            active_removed=self._active, lazy_removed=self._lazy,
            expired_keys=e.stat_expiredkeys,
            expired_stale_perc=round(e.stat_expired_stale_perc * 100, 2),
            time_cap_reached=e.stat_expired_time_cap_reached_count,
            cycle_time_us=self._cycle_us)
        self.records.append(rec)
        return rec

    def run(self, duration_ms: int) -> list[TickRecord]:
        """Run ticks until ``duration_ms`` of virtual time passed since the keys were
        written; returns all records so far."""
        while self.engine.mstime - self.start_ms < duration_ms:
            self.step()
        return self.records

    # -- reading the results ------------------------------------------------------------------
    def totals(self) -> dict:
        """Aggregates over the records so far."""
        recs = self.records
        active = sum(r.active_removed for r in recs)
        lazy = sum(r.lazy_removed for r in recs)
        peak = max(recs, key=lambda r: (r.stale_before, -r.tick), default=None)
        last_deadline = self._deadlines[-1] - self.start_ms if self._deadlines else 0
        clean = next((r.time_ms for r in recs if r.time_ms > last_deadline and r.stale == 0),
                     None)
        return {
            "ticks": len(recs),
            "time_ms": recs[-1].time_ms if recs else 0,
            "active_removed": active,
            "lazy_removed": lazy,
            "expired_keys": self.engine.stat_expiredkeys,
            "peak_stale": peak.stale_before if peak else 0,
            "peak_stale_fraction": (peak.stale_before / max(1, peak.volatile + peak.active_removed
                                                            + peak.lazy_removed)) if peak else 0.0,
            "peak_time_ms": peak.time_ms if peak else 0,
            "stale_at_end": recs[-1].stale if recs else 0,
            "last_deadline_ms": last_deadline,
            "clean_at_ms": clean,
            "time_cap_reached": self.engine.stat_expired_time_cap_reached_count,
        }

    def summary(self) -> str:
        p = self.params
        t = self.totals()
        clean = (f"all gone at t={t['clean_at_ms'] / 1000:.1f} s" if t["clean_at_ms"] is not None
                 else f"{t['stale_at_end']} still stale")
        return (f"{p['n_volatile']} keys with TTL {p['ttl_ms']} ms ±{p['jitter']:.0%} + "
                f"{p['n_persistent']} without, hz={p['hz']}, effort={p['active_expire_effort']}, "
                f"reads/tick={self.reads_per_tick}: after {t['time_ms'] / 1000:.1f} s "
                f"expired_keys={t['expired_keys']} (active {t['active_removed']}, lazy "
                f"{t['lazy_removed']}), at most {t['peak_stale']} expired keys in memory "
                f"({t['peak_stale_fraction']:.1%} of the keys with a TTL) at t="
                f"{t['peak_time_ms'] / 1000:.1f} s, "
                f"{clean}, time cap reached {t['time_cap_reached']}x")
