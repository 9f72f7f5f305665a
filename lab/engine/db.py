"""The keyspace of one database: the main dict, the expires dict, lookups (``db.c``).

Every read goes through ``lookup_read`` / ``lookup_write`` so lazy expiry, the
keyspace hit/miss counters and the LRU/LFU touch happen in exactly one place, as in
``db.c:lookupKey``. Every successful write calls ``signal_modified`` (WATCH, and the
single hook later mechanisms such as client tracking and memory accounting use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import errors
from .errors import ReplyError
from .objects import RObj

if TYPE_CHECKING:  # pragma: no cover
    from .server import Engine

# lookupKey flags (db.c)
LOOKUP_NONE = 0
LOOKUP_NOTOUCH = 1 << 0
LOOKUP_NONOTIFY = 1 << 1
LOOKUP_NOSTATS = 1 << 2
LOOKUP_WRITE = 1 << 3
LOOKUP_NOEXPIRE = 1 << 4


class RedisDb:
    """One of the 16 databases: ``dict`` key -> RObj and ``expires`` key -> unix ms."""

    __slots__ = ("avg_ttl", "dict", "engine", "expires", "expires_cursor", "id", "mem_dirty")

    def __init__(self, dbid: int, engine: Engine):
        self.id = dbid
        self.engine = engine
        self.dict: dict[bytes, RObj] = {}
        self.expires: dict[bytes, int] = {}
        self.avg_ttl = 0
        self.expires_cursor = 0
        # keys whose memory footprint must be re-measured (memory.MemoryTracker)
        self.mem_dirty: set[bytes] = set()

    def __len__(self) -> int:
        return len(self.dict)

    # -- lookups --------------------------------------------------------------------
    def lookup(self, key: bytes, flags: int = LOOKUP_NONE) -> RObj | None:
        """``lookupKey``: lazy expiry, then touch and hit/miss stats unless told not to.

        Complexity: O(1)."""
        obj = self.dict.get(key)
        e = self.engine
        if obj is not None and self.expires and key in self.expires:
            if self.expire_if_needed(key, flags):
                obj = None
        if obj is not None:
            if not flags & LOOKUP_NOTOUCH:
                mode = e.touch_mode
                if mode == 1:
                    obj.lru = e.lruclock
                elif mode == 2:
                    e.update_lfu(obj)
            if not flags & (LOOKUP_NOSTATS | LOOKUP_WRITE):
                e.stat_keyspace_hits += 1
        else:
            if not flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE):
                e.notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", key, self.id)
            if not flags & (LOOKUP_NOSTATS | LOOKUP_WRITE):
                e.stat_keyspace_misses += 1
        return obj

    def lookup_read(self, key: bytes, type: str | None = None) -> RObj | None:
        """``lookupKeyRead`` plus ``checkType``: None if missing, WRONGTYPE if ``type``
        is given and differs."""
        obj = self.lookup(key)
        if obj is not None and type is not None and obj.type != type:
            raise ReplyError(errors.WRONGTYPE)
        return obj

    def lookup_write(self, key: bytes, type: str | None = None) -> RObj | None:
        """``lookupKeyWrite`` plus ``checkType``."""
        obj = self.lookup(key, LOOKUP_WRITE)
        if obj is not None and type is not None and obj.type != type:
            raise ReplyError(errors.WRONGTYPE)
        return obj

    def exists(self, key: bytes) -> bool:
        """``lookupKeyReadWithFlags(LOOKUP_NOTOUCH)`` as EXISTS uses it (counts stats)."""
        return self.lookup(key, LOOKUP_NOTOUCH) is not None

    # -- writes ---------------------------------------------------------------------
    def add(self, key: bytes, obj: RObj) -> None:
        """``dbAdd``: the key must not exist."""
        self.dict[key] = obj
        self.engine.on_key_added(self, key)

    def overwrite(self, key: bytes, obj: RObj) -> None:
        """``dbOverwrite``: replace the value, keep the TTL. Under LFU the new value
        inherits the old access counter (``dbSetValue``)."""
        old = self.dict[key]
        if self.engine.touch_mode == 2 or self.engine.lfu_policy:
            obj.lru = old.lru
        self.dict[key] = obj

    def set_key(self, key: bytes, obj: RObj, keepttl: bool = False, signal: bool = True) -> None:
        """``setKey``: add or overwrite; drop the TTL unless ``keepttl``; signal.

        Like ``setKey``'s ``lookupKeyWrite``, a logically expired old value is deleted
        first (so KEEPTTL never keeps a past TTL, and LFU never inherits its counter)."""
        if self.expires and key in self.expires and self.is_expired(key):
            self.expire_if_needed(key)
        if key in self.dict:
            self.overwrite(key, obj)
        else:
            self.add(key, obj)
        if not keepttl and self.expires:
            self.remove_expire(key)
        if signal:
            self.signal_modified(key)

    def delete(self, key: bytes) -> bool:
        """``dbSyncDelete``. Returns whether the key existed. Does not signal."""
        if self.dict.pop(key, None) is None:
            return False
        if self.expires:
            self.expires.pop(key, None)
        self.engine.on_key_deleted(self, key)
        return True

    def signal_modified(self, key: bytes) -> None:
        """``signalModifiedKey``: touch WATCHers, mark the key's memory footprint for
        re-measurement. Called by every successful write."""
        self.mem_dirty.add(key)
        watched = self.engine.watched_keys
        if watched:
            clients = watched.get((self.id, key))
            if clients:
                for c in clients:
                    c.dirty_cas = True

    # -- expires --------------------------------------------------------------------
    def get_expire(self, key: bytes) -> int:
        """Absolute unix ms of the key's expiry, or -1."""
        return self.expires.get(key, -1)

    def set_expire(self, key: bytes, when_ms: int) -> None:
        self.expires[key] = when_ms
        idx = self.engine.evict_state.expire_indexes
        if idx is not None:
            idx[self.id].add(key)

    def remove_expire(self, key: bytes) -> bool:
        if self.expires.pop(key, None) is None:
            return False
        idx = self.engine.evict_state.expire_indexes
        if idx is not None:
            idx[self.id].remove(key)
        return True

    def is_expired(self, key: bytes) -> bool:
        """``keyIsExpired``: strictly past its time (``now > when``)."""
        when = self.expires.get(key)
        return when is not None and self.engine.mstime > when

    def expire_if_needed(self, key: bytes, flags: int = 0) -> bool:
        """``expireIfNeeded``: delete a logically expired key (propagating DEL) and
        report it missing. Returns True when the key is (now) gone."""
        if not self.is_expired(key):
            return False
        e = self.engine
        if e.loading or flags & LOOKUP_NOEXPIRE:
            return True
        e.delete_expired_key(self, key, lazy=True)
        return True


# Keyspace notification classes (server.h NOTIFY_*); here to avoid an import cycle.
NOTIFY_KEYSPACE = 1 << 0  # K
NOTIFY_KEYEVENT = 1 << 1  # E
NOTIFY_GENERIC = 1 << 2  # g
NOTIFY_STRING = 1 << 3  # $
NOTIFY_LIST = 1 << 4  # l
NOTIFY_SET = 1 << 5  # s
NOTIFY_HASH = 1 << 6  # h
NOTIFY_ZSET = 1 << 7  # z
NOTIFY_EXPIRED = 1 << 8  # x
NOTIFY_EVICTED = 1 << 9  # e
NOTIFY_STREAM = 1 << 10  # t
NOTIFY_KEY_MISS = 1 << 11  # m
NOTIFY_LOADED = 1 << 12  # module only
NOTIFY_MODULE = 1 << 13  # d
NOTIFY_NEW = 1 << 14  # n
NOTIFY_ALL = (
    NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
    | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE
)  # A
