"""The Engine: one Redis server instance in the kernel (``server.c``).

``Engine`` owns the databases, the clients, the configuration, the statistics, the
virtual clock and the seeded random source. Commands enter through
``process_command`` (the checks of ``server.c:processCommand``, in Redis's order) and run
in ``call`` (stats, propagation). Time moves only in ``advance(ms)``, which runs
``server_cron`` exactly as many times as ``hz`` would in that much real time.

Error rule: a handler raises ``ReplyError``; ``process_command`` returns it as a value.
``Engine.call`` / ``Client.call`` raise it again at the top level; inside arrays (EXEC)
errors stay values. Any other exception escaping a handler is a bug in the engine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..clock import VirtualClock, WallClock
from . import errors
from .commands import COMMAND_TABLE, CommandSpec
from .config import Config
from .connection import Client, to_bytes
from .db import (
    NOTIFY_EXPIRED,
    NOTIFY_KEYEVENT,
    NOTIFY_KEYSPACE,
    NOTIFY_NEW,
    RedisDb,
)
from .errors import ReplyError
from .evict import EVICT_FAIL, EvictionState, perform_evictions
from .memory import MemoryTracker
from .objects import LFU_INIT_VAL, LRU_CLOCK_MAX, RObj
from .probes import ProbeHub
from .reply import QUEUED

# Raw command name bytes -> spec, filled on first use (bounded): skips .lower() and a
# second lookup on the hot path. Only names that resolve are cached.
_SPEC_CACHE: dict[bytes, CommandSpec] = {}

# Commands that run immediately even inside MULTI (server.c:processCommand).
MULTI_PASSTHROUGH = frozenset({b"exec", b"discard", b"multi", b"watch", b"quit", b"reset"})

CONFIG_RUN_ID_SIZE = 40
STATS_METRIC_SAMPLES = 16


class Engine:
    """One Redis 7.0 server, in process.

    >>> e = Engine()
    >>> e.call("SET", "k", "v"), e.call("GET", "k")
    ('OK', b'v')
    """

    def __init__(self, config: dict | None = None, seed: int = 0,
                 clock: VirtualClock | WallClock | None = None):
        self.clock = clock if clock is not None else VirtualClock()
        self.virtual = getattr(self.clock, "virtual", False)
        self.seed = seed
        self.random = random.Random(seed)
        self.mstime = self.clock.now_ms()
        self.start_ms = self.mstime
        self.enable_protected_configs = False
        self.active_expire_enabled = True
        self.loading = False
        self.child_active = False  # a fork child (BGSAVE/AOFRW) exists: no LRU/LFU touch
        self.probe = ProbeHub()
        # statistics (names as in server.h's redisServer)
        self.stat_numcommands = 0
        self.stat_numconnections = 0
        self.stat_expiredkeys = 0
        self.stat_expired_stale_perc = 0.0
        self.stat_expired_time_cap_reached_count = 0
        self.stat_expire_cycle_time_used = 0  # µs of (modelled) active-expire time
        self.stat_evictedkeys = 0
        self.stat_keyspace_hits = 0
        self.stat_keyspace_misses = 0
        self.stat_total_error_replies = 0
        self.stat_unexpected_error_replies = 0
        self.dirty = 0  # changes since the last save (rdb_changes_since_last_save)
        self.cmdstats: dict[str, list[int]] = {}  # name -> [calls, usec, rejected, failed]
        self.errorstats: dict[str, int] = {}
        self.cronloops = 0
        self.run_id = "%040x" % self.random.getrandbits(160)
        self.config = Config(self, config)
        self.dbs = [RedisDb(i, self) for i in range(self.config.databases)]
        self.clients: dict[int, Client] = {}
        self.next_client_id = 1
        self.watched_keys: dict[tuple[int, bytes], dict[Client, bool]] = {}
        # Blocking (blocking.py): (dbid, key) -> clients blocked on it, in blocking order;
        # keys signalled ready since the last serve; the count of blocked clients.
        self.blocking_keys: dict[tuple[int, bytes], list[Client]] = {}
        self.ready_keys: list[tuple[int, bytes]] = []
        self.blocked_clients = 0
        self.serving_blocked = False
        # Pub/sub (pubsub.py): channel/pattern -> subscribed clients (subscription order).
        self.pubsub_channels: dict[bytes, dict[Client, None]] = {}
        self.pubsub_patterns: dict[bytes, dict[Client, None]] = {}
        self.pubsub_shard_channels: dict[bytes, dict[Client, None]] = {}
        # MONITOR clients, and the CLIENT PAUSE state (networking.py).
        self.monitors: list[Client] = []
        self.client_pause = None
        self.propagate_listeners: list[Callable[[int, list[bytes]], None]] = []
        self.busy_script = None  # scripting.RunCtx past busy-reply-threshold (scripting.py)
        self.notify_flags = 0
        self.lruclock = 0
        # LRU_CLOCK_RESOLUTION: 1000 ms in Redis. The LRU-approximation experiment
        # (utils/lru/test-lru.rb) recompiles Redis with 1 ms; set it the same way here.
        self.lru_clock_resolution_ms = 1000
        self.touch_mode = 1
        self.lfu_policy = False
        self.maxmemory = 0
        self.cron_period_ms = 100
        self.refresh_policy()
        self.refresh_hz()
        self.update_cached_time()
        self._next_cron_ms = self.mstime + self.cron_period_ms
        from . import expire

        self.expire_state = expire.ExpireState()
        self.evict_state = EvictionState()
        self.memory = MemoryTracker(self)
        self._update_eviction_index()
        # the connection engine.call() uses, created on first use (a served engine that
        # is only reached over the wire lists no phantom in-process client)
        self._default: Client | None = None

    # -- clients ----------------------------------------------------------------------
    def client(self, name: str = "") -> Client:
        """A new connection (own db selection, MULTI queue, WATCH set)."""
        c = Client(self, self.next_client_id, name)
        self.next_client_id += 1
        self.clients[c.id] = c
        self.stat_numconnections += 1
        return c

    def call(self, *args: Any):
        """Run one command as the default client. Raises ``ReplyError`` on an error reply."""
        return self.default_client.call(*args)

    def execute(self, *args: Any):
        """Run one command as the default client; errors are returned as values."""
        return self.default_client.execute([to_bytes(a) for a in args])

    @property
    def default_client(self) -> Client:
        c = self._default
        if c is None or c.closed:
            c = self._default = self.client()
        return c

    # -- derived config state -----------------------------------------------------------
    def refresh_policy(self) -> None:
        cfg = self.config
        self.maxmemory = cfg.maxmemory
        self.lfu_policy = cfg.maxmemory_policy.endswith("-lfu")
        self.notify_flags = cfg.notify_keyspace_events
        self._update_touch_mode()
        if hasattr(self, "evict_state"):
            self._update_eviction_index()

    def _update_eviction_index(self) -> None:
        """Keep the sampling indexes only while eviction can happen (maxmemory set)."""
        if self.maxmemory and self.config.maxmemory_policy != "noeviction":
            self.evict_state.enable(self)
        else:
            self.evict_state.disable()

    def used_memory(self) -> int:
        """INFO ``used_memory``: the memory model's estimate of what a 7.0 server uses."""
        return self.memory.used_memory()

    def _update_touch_mode(self) -> None:
        if self.child_active:
            self.touch_mode = 0
        else:
            self.touch_mode = 2 if self.lfu_policy else 1

    def refresh_hz(self) -> None:
        hz = self.config.hz
        hz = max(1, min(500, hz))  # CONFIG_MIN_HZ / CONFIG_MAX_HZ clamp
        self.hz = hz
        self.cron_period_ms = 1000 // hz

    def set_child_active(self, active: bool) -> None:
        self.child_active = active
        self._update_touch_mode()

    # -- time -------------------------------------------------------------------------
    def update_cached_time(self) -> None:
        self.mstime = self.clock.now_ms()
        self.lruclock = (self.mstime // self.lru_clock_resolution_ms) & LRU_CLOCK_MAX

    def advance(self, ms: int) -> None:
        """Move virtual time forward by ``ms``, running ``server_cron`` every
        ``1000/hz`` ms of it, exactly as often as a real server would."""
        if not self.virtual:
            raise TypeError("advance() needs a virtual clock")
        if ms < 0:
            raise ValueError("time only moves forward")
        target = self.clock.now_ms() + ms
        while self._next_cron_ms <= target:
            self.clock.set_us(self._next_cron_ms * 1000)
            self.update_cached_time()
            self.server_cron()
            # an idle server's event loop wakes for the timer: beforeSleep runs too
            self.before_sleep()
            self._next_cron_ms += self.cron_period_ms
        self.clock.set_us(max(self.clock.now_us(), target * 1000))
        self.update_cached_time()
        if self.blocked_clients:
            self.handle_blocked_timeouts()

    def run_cron_if_due(self) -> None:
        """For wall-clock engines: run the cron ticks that are due now."""
        self.update_cached_time()
        while self._next_cron_ms <= self.mstime:
            self.server_cron()
            self._next_cron_ms += self.cron_period_ms

    def server_cron(self) -> None:
        """``serverCron``: LRU clock, active expiry (databasesCron), stats."""
        from .expire import ACTIVE_EXPIRE_CYCLE_SLOW, active_expire_cycle

        self.lruclock = (self.mstime // self.lru_clock_resolution_ms) & LRU_CLOCK_MAX
        if self.active_expire_enabled:  # DEBUG SET-ACTIVE-EXPIRE 0 turns it off
            active_expire_cycle(self, ACTIVE_EXPIRE_CYCLE_SLOW)
        self.cronloops += 1

    def before_sleep(self) -> None:
        """``beforeSleep``: the fast active-expire cycle (cheap when not due)."""
        # expire.c's quirk: a 0..1 fraction compared with a percentage, so the fast cycle
        # in practice runs only after a cycle that hit its time limit.
        st = self.expire_state
        if self.active_expire_enabled and (
                st.timelimit_exit or self.stat_expired_stale_perc >= st.acceptable_stale):
            from .expire import ACTIVE_EXPIRE_CYCLE_FAST, active_expire_cycle

            active_expire_cycle(self, ACTIVE_EXPIRE_CYCLE_FAST)

    # -- LRU / LFU (evict.c) -------------------------------------------------------------
    def new_lru(self) -> int:
        """The ``lru`` field of a new object: LRU clock, or LFU ``minutes<<8 | 5``."""
        if self.lfu_policy:
            return (self.lfu_time_minutes() << 8) | LFU_INIT_VAL
        return self.lruclock

    def new_object(self, type: str, enc: str | None, val: Any) -> RObj:
        return RObj(type, enc, val, self.new_lru())

    def lfu_time_minutes(self) -> int:
        return (self.mstime // 60000) & 0xFFFF

    def lfu_decr_and_return(self, obj: RObj) -> int:
        """``LFUDecrAndReturn``: the counter minus one per elapsed decay period (no write)."""
        ldt = obj.lru >> 8
        counter = obj.lru & 255
        decay = self.config.lfu_decay_time
        if not decay:
            return counter
        now = self.lfu_time_minutes()
        elapsed = now - ldt if now >= ldt else 65535 - ldt + now
        periods = elapsed // decay
        return counter - periods if periods < counter else 0

    def lfu_log_incr(self, counter: int) -> int:
        """``LFULogIncr``: Morris counter, p = 1 / ((counter - 5) * lfu_log_factor + 1)."""
        if counter == 255:
            return 255
        r = self.random.random()
        baseval = counter - LFU_INIT_VAL
        baseval = max(baseval, 0)
        p = 1.0 / (baseval * self.config.lfu_log_factor + 1)
        return counter + 1 if r < p else counter

    def update_lfu(self, obj: RObj) -> None:
        counter = self.lfu_log_incr(self.lfu_decr_and_return(obj))
        obj.lru = (self.lfu_time_minutes() << 8) | counter

    def estimate_idle_time_ms(self, obj: RObj) -> int:
        """``estimateObjectIdleTime``: ms since the object's LRU clock (one wrap assumed)."""
        c = self.lruclock
        res = self.lru_clock_resolution_ms
        if c >= obj.lru:
            return (c - obj.lru) * res
        return (c + (LRU_CLOCK_MAX - obj.lru)) * res

    # -- keyspace events and signals ----------------------------------------------------
    def notify_keyspace_event(self, klass: int, event: str, key: bytes, dbid: int) -> None:
        """``notifyKeyspaceEvent``: publish to ``__keyspace@<db>__:<key>`` and
        ``__keyevent@<db>__:<event>`` when the class is enabled."""
        flags = self.notify_flags
        if not (flags & klass):
            return
        pub = getattr(self, "publish", None)
        if pub is None:
            return
        if flags & NOTIFY_KEYSPACE:
            pub(b"__keyspace@%d__:%b" % (dbid, key), event.encode())
        if flags & NOTIFY_KEYEVENT:
            pub(b"__keyevent@%d__:%b" % (dbid, event.encode()), key)

    def on_key_added(self, db: RedisDb, key: bytes) -> None:
        db.mem_dirty.add(key)
        idx = self.evict_state.indexes
        if idx is not None:
            idx[db.id].add(key)
        if self.notify_flags & NOTIFY_NEW:
            self.notify_keyspace_event(NOTIFY_NEW, "new", key, db.id)
        if self.blocking_keys:
            self.signal_key_as_ready(db, key)

    # -- blocking, pub/sub (blocking.py, pubsub.py) ------------------------------------
    def signal_key_as_ready(self, db: RedisDb, key: bytes) -> None:
        """``signalKeyAsReady``: a key some client may be blocked on was created."""
        k = (db.id, key)
        if k in self.blocking_keys and k not in self.ready_keys:
            self.ready_keys.append(k)

    def handle_clients_blocked_on_keys(self) -> None:
        """``handleClientsBlockedOnKeys``: serve clients blocked on the ready keys."""
        from .blocking import handle_clients_blocked_on_keys

        handle_clients_blocked_on_keys(self)

    def handle_blocked_timeouts(self) -> None:
        """Answer blocked clients whose timeout has passed (``handleBlockedClientsTimeout``)."""
        from .blocking import handle_blocked_timeouts

        handle_blocked_timeouts(self)

    def pubsub_unsubscribe_all(self, c: Client) -> None:
        """RESET's hook (server_cmds): drop subscriptions, MONITOR, CLIENT REPLY state."""
        from .networking import reset_client_state

        reset_client_state(c)

    def publish(self, channel: bytes, message: bytes) -> int:
        """PUBLISH from inside the engine (keyspace events too): the receiver count."""
        from .pubsub import publish

        return publish(self, channel, message)

    def on_key_deleted(self, db: RedisDb, key: bytes) -> None:
        self.memory.key_deleted(db.id, key)
        idx = self.evict_state.indexes
        if idx is not None:
            idx[db.id].remove(key)
            self.evict_state.expire_indexes[db.id].remove(key)

    def delete_expired_key(self, db: RedisDb, key: bytes, lazy: bool) -> None:
        """``deleteExpiredKeyAndPropagate``: delete, count, notify ``expired``, signal,
        propagate ``DEL``."""
        db.delete(key)
        self.stat_expiredkeys += 1
        self.notify_keyspace_event(NOTIFY_EXPIRED, "expired", key, db.id)
        db.signal_modified(key)
        self.propagate(db.id, [b"UNLINK" if self.config.lazyfree_lazy_expire else b"DEL", key])
        if lazy:
            p = self.probe("expire.lazy")
            if p.active:
                p.publish({"time_ms": self.mstime, "db": db.id, "key": key})

    def propagate(self, dbid: int, argv: list[bytes]) -> None:
        """Feed a write to the AOF/replication listeners (none by default)."""
        for fn in self.propagate_listeners:
            fn(dbid, argv)

    # -- WATCH ----------------------------------------------------------------------------
    def watch_key(self, c: Client, key: bytes) -> None:
        k = (c.db.id, key)
        if k in c.watched:
            return
        c.watched.append(k)
        clients = self.watched_keys.get(k)
        if clients is None:
            clients = self.watched_keys[k] = {}
        clients[c] = c.db.is_expired(key)

    def unwatch_all(self, c: Client) -> None:
        for k in c.watched:
            clients = self.watched_keys.get(k)
            if clients is not None:
                clients.pop(c, None)
                if not clients:
                    del self.watched_keys[k]
        c.watched = []
        c.dirty_cas = False

    def touch_all_watched_keys_in_db(self, db: RedisDb, other: RedisDb | None = None) -> None:
        """``touchAllWatchedKeysInDb``: FLUSHDB/FLUSHALL/SWAPDB invalidate WATCHes of keys
        that exist (in ``db``, or in ``other`` for SWAPDB)."""
        for (dbid, key), clients in list(self.watched_keys.items()):
            if dbid != db.id:
                continue
            exists_here = key in db.dict
            exists_there = other is not None and key in other.dict
            for c, was_expired in list(clients.items()):
                if exists_here or exists_there:
                    c.dirty_cas = True
                elif was_expired:
                    clients[c] = False

    def watched_key_expired(self, c: Client) -> bool:
        """``isWatchedKeyExpired``: a key that was alive at WATCH is now logically expired."""
        for dbid, key in c.watched:
            clients = self.watched_keys.get((dbid, key))
            if clients and not clients.get(c, True) and self.dbs[dbid].is_expired(key):
                return True
        return False

    # -- dispatch -------------------------------------------------------------------------
    def process_command(self, c: Client, argv: list[bytes]):
        """``processCommand``: lookup, arity, MULTI queueing, then ``call``."""
        if not self.virtual:
            self.update_cached_time()
        c.last_ms = self.mstime
        if not argv:
            return None
        spec = _SPEC_CACHE.get(argv[0])  # the name as sent ("GET", "get") -> spec
        if spec is None:
            spec = COMMAND_TABLE.get(argv[0].lower())
            if spec is None:
                return self._reject(c, None, errors.UNKNOWN_COMMAND.format(
                    _printable(argv[0], 128), _args_preview(argv)))
            if len(_SPEC_CACHE) < 4096:
                _SPEC_CACHE[argv[0]] = spec
        if spec.subcommands is not None and len(argv) >= 2:
            sub = spec.subcommands.get(argv[1].lower())
            if sub is None:
                return self._reject(c, None, errors.UNKNOWN_SUBCOMMAND.format(
                    _printable(argv[1], 128), _printable(argv[0], 1 << 30).upper()))
            spec = sub
        arity = spec.arity
        if (arity > 0 and len(argv) != arity) or len(argv) < -arity:
            return self._reject(c, spec, errors.WRONG_ARITY.format(spec.name))
        if spec.is_protected and not _protected_allowed(c, spec):
            return self._reject(c, spec, errors.DEBUG_DISABLED)
        if not c.authenticated and spec.name not in ("auth", "hello", "quit", "reset"):
            return self._reject(c, spec, errors.NOAUTH)
        if c.multi is not None and spec.no_multi:
            return self._reject(c, spec, errors.NOT_ALLOWED_IN_MULTI)
        if self.maxmemory:
            # processCommand: evict first; refuse denyoom commands (and anything but
            # EXEC/DISCARD/QUIT/RESET inside MULTI, and EXEC of a queue holding a denyoom
            # command) when memory could not be freed.
            if perform_evictions(self) == EVICT_FAIL:
                name = spec.bytes_name
                reject = spec.is_denyoom
                if c.multi is not None and name not in (b"exec", b"discard", b"quit", b"reset"):
                    reject = True
                elif name == b"exec" and c.multi is not None and any(
                        s.is_denyoom for s, _ in c.multi):
                    reject = True
                if reject:
                    return self._reject(c, spec, errors.OOM)
        if c.ctx_flags:  # subscribed (RESP2) or MONITOR: a restricted command set
            from .networking import context_error

            msg = context_error(c, spec)
            if msg is not None:
                return self._reject(c, spec, msg)
        if self.busy_script is not None:  # a script runs past busy-reply-threshold
            from .scripting import busy_reject

            msg = busy_reject(self, c, spec)
            if msg is not None:
                return self._reject(c, spec, msg)
        if c.multi is not None:
            if spec.bytes_name not in MULTI_PASSTHROUGH:
                c.multi.append((spec, argv))
                return QUEUED
        return self.call_command(c, spec, argv)

    def _reject(self, c: Client, spec: CommandSpec | None, message: str) -> ReplyError:
        """``rejectCommand``: count it and flag an open transaction (-> EXECABORT)."""
        if c.multi is not None:
            c.multi_error = True
        if spec is not None:
            st = self.cmdstats.get(spec.name)
            if st is None:
                st = self.cmdstats[spec.name] = [0, 0, 0, 0]
            st[2] += 1
        err = ReplyError(message)
        self._count_error(err)
        return err

    def _count_error(self, err: ReplyError) -> None:
        self.stat_total_error_replies += 1
        code = err.message.split(" ", 1)[0]
        self.errorstats[code] = self.errorstats.get(code, 0) + 1

    def call_command(self, c: Client, spec: CommandSpec, argv: list[bytes]):
        """``call()``: run the handler, account stats, propagate writes."""
        dirty = self.dirty
        c.rewrite_argv = None
        c.cmd_name = spec.name
        try:
            reply = spec.proc(c, argv)
            failed = False
        except ReplyError as err:
            reply = err
            failed = True
            self._count_error(err)
        st = self.cmdstats.get(spec.name)
        if st is None:
            st = self.cmdstats[spec.name] = [0, 0, 0, 0]
        st[0] += 1
        if failed:
            st[3] += 1
        self.stat_numcommands += 1
        if self.dirty != dirty and self.propagate_listeners and spec.is_write:
            self.propagate(c.db.id, c.rewrite_argv or argv)
        if self.monitors and not self.serving_blocked:
            from .networking import feed_monitors

            feed_monitors(self, c, spec, argv)
        return reply

    # -- introspection ------------------------------------------------------------------
    def keyspace(self, dbid: int = 0) -> dict[bytes, RObj]:
        """The raw dict of one database (read it, don't mutate it)."""
        return self.dbs[dbid].dict

    def _check(self) -> None:
        """Invariants, for seeded stress tests: expires is a subset of the keyspace,
        encodings agree with contents, watched-key index is consistent."""
        for db in self.dbs:
            for k in db.expires:
                assert k in db.dict, (db.id, k)
            for k, o in db.dict.items():
                assert isinstance(k, bytes)
                checker = _TYPE_CHECKS.get(o.type)
                if checker is not None:
                    checker(self, o)
        for (dbid, key), clients in self.watched_keys.items():
            assert clients
            for c in clients:
                assert (dbid, key) in c.watched


_TYPE_CHECKS: dict[str, Callable[[Engine, RObj], None]] = {}


def register_type_check(type: str, fn: Callable[[Engine, RObj], None]) -> None:
    """Data-type modules register their encoding/contents invariant here."""
    _TYPE_CHECKS[type] = fn


def _protected_allowed(c: Client, spec: CommandSpec) -> bool:
    """``allowProtectedAction``: DEBUG needs ``enable-debug-command`` yes (or local for
    a local connection)."""
    from .server_cmds import debug_allowed

    return debug_allowed(c)


def _printable(b: bytes, limit: int) -> str:
    s = b[:limit].decode("utf-8", "surrogateescape")
    return s.replace("\r", " ").replace("\n", " ")


def _args_preview(argv: list[bytes]) -> str:
    """The ``'a' 'b' `` list of an unknown-command error (stops once 128 chars long)."""
    out = ""
    for a in argv[1:]:
        if len(out) >= 128:
            break
        out += "'" + _printable(a, 128 - len(out)) + "' "
    return out
