"""Expiry (``expire.c``): EXPIRE and friends, TTL and friends, PERSIST, and the active
expire cycle.

Lazy expiry lives in ``db.py`` (``lookup`` -> ``expire_if_needed`` ->
``Engine.delete_expired_key``); this module adds the commands that set and read TTLs and
``active_expire_cycle``, which ``Engine.server_cron`` (slow cycle, ``hz`` times a second)
and ``Engine.before_sleep`` (fast cycle) call.

The active cycle walks a *modelled* hash table of each database's ``expires`` dict
(``ExpiresTable``): like a Redis dict it grows to the next power of two as soon as it
holds more entries than buckets, and shrinks only in cron when less than 10% full
(``tryResizeHashTables``); an entry's bucket is ``crc32(key) & mask``, deterministic,
the same rule ``scan.py`` uses. Commands take no virtual time, so the time the cycle
"spends" is a deterministic cost model (``EXPIRE_COST_*``), calibrated on the measured
behaviour of a real 7.0.15 (``shared/redis-internals.md`` §2.3).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from . import errors
from .commands import command
from .db import LOOKUP_NOTOUCH, NOTIFY_GENERIC
from .errors import ReplyError
from .scan import DICT_HT_INITIAL_SIZE, table_size
from .util import LLONG_MAX, LLONG_MIN, string2ll

if TYPE_CHECKING:  # pragma: no cover
    from .db import RedisDb
    from .server import Engine

# --- the active expire cycle's constants (expire.c, server.h) --------------------------
ACTIVE_EXPIRE_CYCLE_SLOW = 0
ACTIVE_EXPIRE_CYCLE_FAST = 1
ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20  # keys sampled per loop (effort 1)
ACTIVE_EXPIRE_CYCLE_FAST_DURATION = 1000  # µs, time limit of a fast cycle
ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25  # % of a cron period a slow cycle may use
ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10  # % of expired keys in a sample that stops a db
ACTIVE_EXPIRE_BUCKETS_PER_KEY = 20  # a loop gives up after num*20 buckets probed
ACTIVE_EXPIRE_CHECK_EVERY = 16  # the time limit is checked every 16 loops (iteration & 0xf)
CRON_DBS_PER_CALL = 16
HASHTABLE_MIN_FILL = 10  # % fill under which cron shrinks a table (server.h)
STAT_STALE_WEIGHT = 0.05  # running average weight of the newest cycle's stale fraction
AVG_TTL_SAMPLES = 50  # db.avg_ttl keeps 49/50 of the old estimate

# --- the cost model (ns of modelled CPU time; integers so the trace is exact) ----------
# Calibrated against §2.3 of the internals notes (20000 keys with PX 1000 + 20000
# persistent ones, hz 10; measured: all reclaimed within ~0.3 s, time cap reached 3 times,
# expired_stale_perc peaking at 21.64%). With a fast cycle after every cron tick (an idle
# real event loop) this model reclaims 99.97% within 0.2 s, reaches the cap 3 times and
# peaks at 21.74%; the last few keys wait for the cron shrink (the < 1% fill rule).
# About 2.7 µs of modelled work per reclaimed key.
EXPIRE_COST_DB_NS = 150  # one database visited (loop set-up, dict size checks)
EXPIRE_COST_LOOP_NS = 400  # one sampling loop (mstime(), counters, avg_ttl update)
EXPIRE_COST_BUCKET_NS = 25  # one bucket probed (a sequential pointer read)
EXPIRE_COST_SAMPLE_NS = 90  # one entry examined (TTL read and compare)
EXPIRE_COST_DELETE_NS = 2520  # one key reclaimed (2 dict deletes, free, event, DEL propagation)


class ExpiresTable:
    """The modelled bucket array of one ``expires`` dict.

    ``size`` is a power of two (>= 4); ``buckets`` maps a bucket index to its chain
    (newest entry first, as ``dictAdd`` inserts at the head); ``hashes`` caches each
    key's crc32. ``stamp`` is ``engine.stat_numcommands`` at the last sync: keys only
    change through commands (or through this cycle, which keeps the table in step), so
    an unchanged stamp and entry count let a cron tick skip the O(N) resync.
    """

    __slots__ = ("buckets", "expires", "hashes", "size", "stamp")

    def __init__(self, expires: dict[bytes, int]):
        self.expires = expires
        self.size = DICT_HT_INITIAL_SIZE
        self.hashes: dict[bytes, int] = {}
        self.buckets: dict[int, list[bytes]] = {}
        self.stamp = -1

    def sync(self, stamp: int) -> None:
        """Bring the table in line with the dict: new keys enter their bucket's chain
        (at the head), removed keys leave it, the table grows (rehash) once entries
        outnumber buckets."""
        exp = self.expires
        hashes = self.hashes
        if stamp == self.stamp and len(hashes) == len(exp):
            return
        self.stamp = stamp
        removed = hashes.keys() - exp.keys() if hashes else ()
        mask = self.size - 1
        if len(exp) != len(hashes) or removed:
            added = [k for k in exp if k not in hashes]  # dict order: deterministic
        else:
            added = []
        for k in removed:
            self._unlink(k, hashes.pop(k) & mask)
        buckets = self.buckets
        for k in added:
            h = hashes[k] = zlib.crc32(k)
            chain = buckets.get(h & mask)
            if chain is None:
                buckets[h & mask] = [k]
            else:
                chain.insert(0, k)
        if len(exp) > self.size:
            self.resize(table_size(len(exp)))

    def _unlink(self, key: bytes, b: int) -> None:
        chain = self.buckets[b]
        chain.remove(key)
        if not chain:
            del self.buckets[b]

    def remove(self, key: bytes) -> None:
        """An entry the cycle itself deleted."""
        self._unlink(key, self.hashes.pop(key) & (self.size - 1))

    def resize(self, size: int) -> None:
        """Rehash into ``size`` buckets: old buckets in index order, each chain from its
        head, every entry pushed at the head of its new chain (``dictRehash``)."""
        old = self.buckets
        mask = size - 1
        new: dict[int, list[bytes]] = {}
        hashes = self.hashes
        for k in [k for b in sorted(old) for k in old[b]]:
            b = hashes[k] & mask
            chain = new.get(b)
            if chain is None:
                new[b] = [k]
            else:
                chain.insert(0, k)
        self.buckets = new
        self.size = size

    def try_shrink(self) -> None:
        """``tryResizeHashTables``: shrink to fit when under HASHTABLE_MIN_FILL % full."""
        n = len(self.hashes)
        if self.size > DICT_HT_INITIAL_SIZE and n * 100 // self.size < HASHTABLE_MIN_FILL:
            self.resize(table_size(n))


class ExpireState:
    """The static variables of ``activeExpireCycle`` plus the modelled tables."""

    def __init__(self) -> None:
        self.timelimit_exit = False
        self.acceptable_stale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE
        self.current_db = 0
        self.last_fast_cycle = 0  # µs
        self.cycles = 0  # cycles that ran (not counting fast cycles that were not due)
        # id(db.expires) -> table; the table follows the dict through SWAPDB
        self.tables: dict[int, ExpiresTable] = {}

    def table(self, db: RedisDb, stamp: int) -> ExpiresTable:
        t = self.tables.get(id(db.expires))
        if t is None or t.expires is not db.expires:
            t = self.tables[id(db.expires)] = ExpiresTable(db.expires)
        t.sync(stamp)
        return t

    def forget(self, db: RedisDb) -> None:
        """FLUSHDB/FLUSHALL emptied ``db``: its table is freed (``dictEmpty``)."""
        self.tables.pop(id(db.expires), None)


def reset_db_expire_state(engine: Engine, db: RedisDb) -> None:
    """``emptyDbStructure``'s share: no table, cursor and average TTL back to 0."""
    engine.expire_state.forget(db)
    db.avg_ttl = 0
    db.expires_cursor = 0


def _clients_paused(engine: Engine) -> bool:
    """``checkClientPauseTimeoutAndReturnIfPaused``: end a pause whose time is over,
    then report whether clients (WRITE or ALL) are still paused."""
    p = getattr(engine, "client_pause", None)
    if p is None:
        return False
    if p.end_ms < engine.mstime:
        from .networking import unpause

        unpause(engine)
    return engine.client_pause is not None


def active_expire_cycle(engine: Engine, kind: int) -> None:
    """``activeExpireCycle(kind)``: reclaim logically expired keys without access.

    1. Derive the parameters from ``active-expire-effort`` (0..9 after rescaling):
       keys per loop, fast-cycle duration, slow-cycle CPU percentage, acceptable stale %.
    2. FAST only: skip unless the previous cycle hit its time limit or the stale
       estimate is high (it never is: a 0..1 fraction compared with a percentage), and
       skip if a fast cycle started less than two fast durations ago.
    3. Visit up to CRON_DBS_PER_CALL databases (all of them after a timed-out cycle),
       round robin from ``current_db``, with a time limit of
       ``slow_time_perc% of 1/hz`` (slow) or ``fast_duration`` µs (fast).
    4. Per database, loop: stop if it has no TTLs (avg_ttl = 0) or the table is < 1% full;
       probe buckets at ``expires_cursor & mask`` moving the cursor linearly, examining
       every entry of each bucket and reclaiming the expired ones, until
       ``min(keys, keys_per_loop)`` entries were examined or 20x as many buckets probed.
    5. Fold the not-yet-expired TTLs into ``db.avg_ttl`` (2% weight); every 16 loops
       compare the elapsed time with the limit and abort the whole cycle past it
       (``stat_expired_time_cap_reached_count``).
    6. Repeat the database while more than ``acceptable_stale`` % of a sample expired.
    7. Account the time (``stat_expire_cycle_time_used``, µs) and update
       ``stat_expired_stale_perc`` (fraction, 5% weight); the slow cycle then shrinks
       under-filled tables (``databasesCron``'s resize step) unless a fork child exists.

    Differs from Redis: elapsed time is the deterministic EXPIRE_COST_* model instead of
    ``ustime()``, and a table resize is instantaneous (no incremental rehash, so the
    second table is never walked).
    """
    st: ExpireState = engine.expire_state
    effort = engine.config.active_expire_effort - 1
    keys_per_loop = ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP // 4 * effort
    fast_duration = ACTIVE_EXPIRE_CYCLE_FAST_DURATION + ACTIVE_EXPIRE_CYCLE_FAST_DURATION // 4 * effort
    slow_time_perc = ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort
    acceptable_stale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort
    st.acceptable_stale = acceptable_stale
    start = engine.clock.now_us()
    if _clients_paused(engine):  # CLIENT PAUSE: the dataset must stay static
        return
    fast = kind == ACTIVE_EXPIRE_CYCLE_FAST
    if fast:  # step 2
        if not st.timelimit_exit and engine.stat_expired_stale_perc < acceptable_stale:
            return
        if start < st.last_fast_cycle + fast_duration * 2:
            return
        st.last_fast_cycle = start
    # step 3
    dbs = engine.dbs
    dbnum = len(dbs)
    dbs_per_call = CRON_DBS_PER_CALL
    if dbs_per_call > dbnum or st.timelimit_exit:
        dbs_per_call = dbnum
    timelimit = slow_time_perc * 1000000 // engine.hz // 100
    st.timelimit_exit = False
    if timelimit <= 0:
        timelimit = 1
    if fast:
        timelimit = fast_duration
    limit_ns = timelimit * 1000
    stamp = engine.stat_numcommands
    delete = engine.delete_expired_key
    total_sampled = total_expired = 0
    elapsed = 0  # ns
    iteration = 0
    visits = []
    j = 0
    while j < dbs_per_call and not st.timelimit_exit:
        j += 1
        db = dbs[st.current_db % dbnum]
        st.current_db += 1
        elapsed += EXPIRE_COST_DB_NS
        db_sampled = db_expired = loops = 0
        expires = db.expires
        while True:  # step 4
            iteration += 1
            num = len(expires)
            if num == 0:
                db.avg_ttl = 0
                break
            table = st.table(db, stamp)
            slots = table.size
            now = engine.mstime
            if slots > DICT_HT_INITIAL_SIZE and num * 100 // slots < 1:
                break
            loops += 1
            expired = sampled = ttl_sum = ttl_samples = 0
            if num > keys_per_loop:
                num = keys_per_loop
            max_buckets = num * ACTIVE_EXPIRE_BUCKETS_PER_KEY
            checked = 0
            mask = slots - 1
            buckets = table.buckets
            cursor = db.expires_cursor
            while sampled < num and checked < max_buckets:
                checked += 1
                chain = buckets.get(cursor & mask)
                if chain is not None:
                    for key in tuple(chain):
                        when = expires[key]
                        ttl = when - now
                        if now > when:
                            table.remove(key)
                            delete(db, key, False)
                            expired += 1
                        if ttl > 0:
                            ttl_sum += ttl
                            ttl_samples += 1
                        sampled += 1
                cursor += 1
            db.expires_cursor = cursor
            elapsed += (EXPIRE_COST_LOOP_NS + checked * EXPIRE_COST_BUCKET_NS
                        + sampled * EXPIRE_COST_SAMPLE_NS + expired * EXPIRE_COST_DELETE_NS)
            total_expired += expired
            total_sampled += sampled
            db_sampled += sampled
            db_expired += expired
            # step 5
            if ttl_samples:
                avg_ttl = ttl_sum // ttl_samples
                if db.avg_ttl == 0:
                    db.avg_ttl = avg_ttl
                db.avg_ttl = (db.avg_ttl // AVG_TTL_SAMPLES) * (AVG_TTL_SAMPLES - 1) \
                    + avg_ttl // AVG_TTL_SAMPLES
            if iteration % ACTIVE_EXPIRE_CHECK_EVERY == 0 and elapsed > limit_ns:
                st.timelimit_exit = True
                engine.stat_expired_time_cap_reached_count += 1
                break
            # step 6
            if sampled and expired * 100 // sampled <= acceptable_stale:
                break
        if loops:
            visits.append({"db": db.id, "loops": loops, "sampled": db_sampled,
                           "expired": db_expired, "cursor": db.expires_cursor,
                           "avg_ttl": db.avg_ttl})
    # step 7
    used_us = elapsed // 1000
    engine.stat_expire_cycle_time_used += used_us
    current = total_expired / total_sampled if total_sampled else 0.0
    engine.stat_expired_stale_perc = current * STAT_STALE_WEIGHT \
        + engine.stat_expired_stale_perc * (1 - STAT_STALE_WEIGHT)
    if not fast and not engine.child_active:
        for db in dbs:
            t = st.tables.get(id(db.expires))
            if t is not None and t.expires is db.expires:
                t.sync(stamp)
                t.try_shrink()
    st.cycles += 1
    p = engine.probe("expire.cycle")
    if p.active:
        last = visits[-1] if visits else None
        p.publish({
            "time_ms": engine.mstime,
            "kind": "fast" if fast else "slow",
            "db": last["db"] if last else None,
            "cursor": last["cursor"] if last else None,
            "dbs": visits,
            "sampled": total_sampled,
            "expired": total_expired,
            "stale": current,
            "stale_perc": engine.stat_expired_stale_perc,
            "time_used_us": used_us,
            "timelimit_us": timelimit,
            "timelimit_exit": st.timelimit_exit,
            "next_db": st.current_db % dbnum,
        })


# --- commands ---------------------------------------------------------------------------
UNIT_SECONDS = 0
UNIT_MS = 1
EXPIRE_NX = 1 << 0
EXPIRE_XX = 1 << 1
EXPIRE_GT = 1 << 2
EXPIRE_LT = 1 << 3
_LLONG_MIN_DIV_1000 = -(-LLONG_MIN // 1000)  # C's LLONG_MIN / 1000 truncates toward 0
_EXPIRE_FLAGS = {b"nx": EXPIRE_NX, b"xx": EXPIRE_XX, b"gt": EXPIRE_GT, b"lt": EXPIRE_LT}


def _parse_expire_flags(argv: list[bytes]) -> int:
    """``parseExtendedExpireArgumentsOrReply``: every option first, then the conflicts."""
    flags = 0
    for opt in argv[3:]:
        f = _EXPIRE_FLAGS.get(opt.lower())
        if f is None:
            raise ReplyError(errors.UNSUPPORTED_OPTION.format(
                opt.decode("utf-8", "surrogateescape")))
        flags |= f
    if flags & EXPIRE_NX and flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT):
        raise ReplyError(errors.EXPIRE_NX_XX)
    if flags & EXPIRE_GT and flags & EXPIRE_LT:
        raise ReplyError(errors.EXPIRE_GT_LT)
    return flags


def check_already_expired(engine: Engine, when: int) -> bool:
    """``checkAlreadyExpired``: a deadline at or before now deletes instead (not while
    loading, not on a replica)."""
    return when <= engine.mstime and not engine.loading and not getattr(engine, "masterhost", None)


def expire_generic(c, argv: list[bytes], basetime: int, unit: int):
    """``expireGenericCommand``: options, the number, overflow, the key, NX/XX/GT/LT,
    then either delete (a past deadline) or set the TTL."""
    e = c.engine
    db = c.db
    key = argv[1]
    flags = _parse_expire_flags(argv)
    when = string2ll(argv[2])
    if when is None:
        raise ReplyError(errors.NOT_INTEGER)
    if unit == UNIT_SECONDS:
        if when > LLONG_MAX // 1000 or when < _LLONG_MIN_DIV_1000:
            raise ReplyError(errors.INVALID_EXPIRE.format(c.cmd_name))
        when *= 1000
    if when > LLONG_MAX - basetime:
        raise ReplyError(errors.INVALID_EXPIRE.format(c.cmd_name))
    when += basetime
    if db.lookup_write(key) is None:
        return 0
    if flags:
        current = db.get_expire(key)
        if flags & EXPIRE_NX and current != -1:
            return 0
        if flags & EXPIRE_XX and current == -1:
            return 0
        if flags & EXPIRE_GT and (when <= current or current == -1):
            return 0
        if flags & EXPIRE_LT and current != -1 and when >= current:
            return 0
    if check_already_expired(e, when):
        db.delete(key)
        e.dirty += 1
        c.rewrite_argv = [b"UNLINK" if e.config.lazyfree_lazy_expire else b"DEL", key]
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
        return 1
    db.set_expire(key, when)
    rewrite = list(argv)
    if c.cmd_name != "pexpireat":
        rewrite[0] = b"PEXPIREAT"
    if basetime != 0 or unit == UNIT_SECONDS:
        rewrite[2] = b"%d" % when
    c.rewrite_argv = rewrite
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_GENERIC, "expire", key, db.id)
    e.dirty += 1
    return 1


@command("expire", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic",
         since="1.0.0")
def expire_command(c, argv):
    """EXPIRE key seconds [NX|XX|GT|LT]
    Set a key's time to live in seconds."""
    return expire_generic(c, argv, c.engine.mstime, UNIT_SECONDS)


@command("pexpire", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic",
         since="2.6.0")
def pexpire_command(c, argv):
    """PEXPIRE key milliseconds [NX|XX|GT|LT]
    Set a key's time to live in milliseconds."""
    return expire_generic(c, argv, c.engine.mstime, UNIT_MS)


@command("expireat", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic",
         since="1.2.0")
def expireat_command(c, argv):
    """EXPIREAT key unix-time-seconds [NX|XX|GT|LT]
    Set the expiration for a key as a UNIX timestamp."""
    return expire_generic(c, argv, 0, UNIT_SECONDS)


@command("pexpireat", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic",
         since="2.6.0")
def pexpireat_command(c, argv):
    """PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT]
    Set the expiration for a key as a UNIX timestamp specified in milliseconds."""
    return expire_generic(c, argv, 0, UNIT_MS)


def ttl_generic(c, key: bytes, output_ms: bool, output_abs: bool) -> int:
    """``ttlGenericCommand``: -2 missing, -1 no TTL, else the (rounded) remaining or
    absolute time; seconds are rounded to nearest, ``(ms + 500) / 1000``."""
    db = c.db
    if db.lookup(key, LOOKUP_NOTOUCH) is None:
        return -2
    expire = db.get_expire(key)
    if expire == -1:
        return -1
    ttl = expire if output_abs else expire - c.engine.mstime
    if ttl < 0:
        ttl = 0
    return ttl if output_ms else (ttl + 500) // 1000


@command("ttl", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="1.0.0", tips="nondeterministic_output")
def ttl_command(c, argv):
    """TTL key
    Get the time to live for a key in seconds."""
    return ttl_generic(c, argv[1], False, False)


@command("pttl", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="2.6.0", tips="nondeterministic_output")
def pttl_command(c, argv):
    """PTTL key
    Get the time to live for a key in milliseconds."""
    return ttl_generic(c, argv[1], True, False)


@command("expiretime", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="7.0.0")
def expiretime_command(c, argv):
    """EXPIRETIME key
    Get the expiration Unix timestamp for a key."""
    return ttl_generic(c, argv[1], False, True)


@command("pexpiretime", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="7.0.0")
def pexpiretime_command(c, argv):
    """PEXPIRETIME key
    Get the expiration Unix timestamp for a key in milliseconds."""
    return ttl_generic(c, argv[1], True, True)


@command("persist", arity=2, flags="write fast", keys=(1, 1, 1), group="generic",
         since="2.2.0")
def persist_command(c, argv):
    """PERSIST key
    Remove the expiration from a key."""
    db = c.db
    key = argv[1]
    if db.lookup_write(key) is None or not db.remove_expire(key):
        return 0
    db.signal_modified(key)
    c.engine.notify_keyspace_event(NOTIFY_GENERIC, "persist", key, db.id)
    c.engine.dirty += 1
    return 1
