"""DUMP, RESTORE and RESTORE-ASKING (``cluster.c``).

A DUMP payload is one value in RDB form followed by a footer::

    <type byte> <value, as rdbSaveObject writes it> <RDB version: 2 bytes LE> <CRC64: 8 bytes LE>

The CRC64 (Jones, the RDB one) covers everything before it. The value is written by the
RDB writer (``persistence/rdb.py``: ``object_type`` + ``_Writer.value``) and read by its
loader (``_load_object``), so a payload is byte-identical to a real server's whenever the
value's encoding and element order are the same: strings, lists, intset sets, listpack
hashes and zsets, skiplist zsets (written from the highest score). Hashtable sets and
hashes come out in the engine's order, not Redis's (a seeded hash-table order), so their
bytes differ while RESTORE gives the same value either way. Streams are not supported
(the RDB writer and loader have no stream type): DUMP of a stream and RESTORE of a
stream payload answer ``DUMP_STREAM_UNSUPPORTED``.

RESTORE, in 7.0's order: options (REPLACE, ABSTTL, IDLETIME s, FREQ f; IDLETIME and FREQ
exclude each other: ``ERR syntax error``), BUSYKEY, the TTL (integer, >= 0), the footer
(version <= 10 and CRC: ``ERR DUMP payload version or checksum are wrong``), the value
(``ERR Bad data format``; the reader may run into the footer, bytes after the value are
ignored, as in Redis). A TTL of 0 means no expiry; a relative TTL is made absolute and
the command is propagated with the absolute time and ``ABSTTL`` appended; a deadline
already past stores nothing and answers OK (deleting, and propagating ``DEL``, a key
REPLACE removed).
"""

from __future__ import annotations

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC
from .errors import ReplyError
from .objects import LRU_CLOCK_MAX, OBJ_STREAM
from .persistence.crc64 import crc64
from .persistence.rdb import (
    RDB_TYPE_STREAM_LISTPACKS,
    RDB_TYPE_STREAM_LISTPACKS_2,
    RDB_VERSION,
    RdbError,
    _load_object,
    _Reader,
    _Writer,
    object_type,
)
from .reply import OK
from .util import string2ll

_VALID_TYPES = frozenset(range(0, 8)) | frozenset(range(9, 20))
_U64 = (1 << 64) - 1


def create_dump_payload(e, o) -> bytes:
    """``createDumpPayload``: type + value + RDB version (LE16) + CRC64 (LE64)."""
    if o.type == OBJ_STREAM:
        raise ReplyError(errors.DUMP_STREAM_UNSUPPORTED)
    w = _Writer(bool(e.config.rdbcompression))
    w.parts.append(bytes((object_type(o),)))
    w.value(e, o)
    body = b"".join(w.parts) + RDB_VERSION.to_bytes(2, "little")
    return body + crc64(body).to_bytes(8, "little")


def verify_dump_payload(p: bytes) -> bool:
    """``verifyDumpPayload``: a footer is present, its version is not newer than ours,
    and the CRC64 of everything before the checksum matches."""
    if len(p) < 10:
        return False
    ver = p[-10] | (p[-9] << 8)
    if ver > RDB_VERSION:
        return False
    return crc64(p[:-8]).to_bytes(8, "little") == p[-8:]


def load_dump_payload(e, p: bytes):
    """The value a (verified) payload holds, or a ReplyError (``Bad data format``)."""
    if not p or p[0] not in _VALID_TYPES:
        raise ReplyError(errors.RESTORE_BAD_DATA)
    t = p[0]
    if t in (RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2):
        raise ReplyError(errors.DUMP_STREAM_UNSUPPORTED)
    r = _Reader(p)
    r.pos = 1
    try:
        o = _load_object(e, r, t)
    except RdbError:
        o = None
    except (ValueError, IndexError, OverflowError):  # a corrupt blob the loader tripped on
        o = None
    if o is None:
        raise ReplyError(errors.RESTORE_BAD_DATA)
    return o


def _set_lru_or_lfu(e, o, lfu_freq: int, lru_idle: int, lru_clock: int) -> None:
    """``objectSetLRUOrLFU`` as RESTORE calls it (multiplier 1000: seconds)."""
    if e.lfu_policy:
        if lfu_freq >= 0:
            o.lru = (e.lfu_time_minutes() << 8) | lfu_freq
    elif lru_idle >= 0:
        ms = (lru_idle * 1000) & _U64  # long long arithmetic: wraps like the C code
        if ms >= 1 << 63:
            ms -= 1 << 64
        idle = int(ms / e.lru_clock_resolution_ms)
        lru_abs = lru_clock - idle
        if lru_abs < 0:
            lru_abs = (lru_clock + LRU_CLOCK_MAX // 2) % LRU_CLOCK_MAX
        o.lru = lru_abs


def _parse_ll(b: bytes) -> int:
    v = string2ll(b)
    if v is None:
        raise ReplyError(errors.NOT_INTEGER)
    return v


def _restore_generic(c, argv: list[bytes]):
    e = c.engine
    db = c.db
    replace = absttl = False
    lfu_freq = lru_idle = lru_clock = -1
    argc = len(argv)
    j = 4
    while j < argc:
        opt = argv[j].lower()
        additional = argc - j - 1
        if opt == b"replace":
            replace = True
        elif opt == b"absttl":
            absttl = True
        elif opt == b"idletime" and additional >= 1 and lfu_freq == -1:
            lru_idle = _parse_ll(argv[j + 1])
            if lru_idle < 0:
                raise ReplyError(errors.RESTORE_INVALID_IDLETIME)
            lru_clock = e.lruclock
            j += 1
        elif opt == b"freq" and additional >= 1 and lru_idle == -1:
            lfu_freq = _parse_ll(argv[j + 1])
            if lfu_freq < 0 or lfu_freq > 255:
                raise ReplyError(errors.RESTORE_INVALID_FREQ)
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1

    key = argv[1]
    if not replace and db.lookup_write(key) is not None:
        raise ReplyError(errors.BUSYKEY)
    ttl = _parse_ll(argv[2])
    if ttl < 0:
        raise ReplyError(errors.RESTORE_INVALID_TTL)
    payload = argv[3]
    if not verify_dump_payload(payload):
        raise ReplyError(errors.RESTORE_BAD_PAYLOAD)
    obj = load_dump_payload(e, payload)

    deleted = False
    if replace:
        deleted = db.delete(key)
    if ttl and not absttl:
        ttl = (ttl + e.mstime) & _U64  # long long arithmetic: wraps like the C code
        if ttl >= 1 << 63:
            ttl -= 1 << 64
    if ttl and ttl <= e.mstime and not e.loading:
        if deleted:
            lazy = getattr(e.config, "lazyfree_lazy_server_del", False)
            c.rewrite_argv = [b"UNLINK" if lazy else b"DEL", key]
            db.signal_modified(key)
            e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
            e.dirty += 1
        return OK

    db.add(key, obj)
    if ttl:
        db.set_expire(key, ttl)
        if not absttl:
            new = list(argv)
            new[2] = b"%d" % ttl
            new.append(b"ABSTTL")
            c.rewrite_argv = new
    _set_lru_or_lfu(e, obj, lfu_freq, lru_idle, lru_clock)
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_GENERIC, "restore", key, db.id)
    e.dirty += 1
    return OK


_DUMP_COMPLEXITY = (
    "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of "
    "Redis objects composing the value and M their average size. For small string values the "
    "time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
_RESTORE_COMPLEXITY = (
    "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, "
    "where N is the number of Redis objects composing the value and M their average size. "
    "For small string values the time complexity is thus O(1)+O(1*M) where M is small, so "
    "simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because "
    "inserting values into sorted sets is O(log(N)).")


@command("dump", arity=2, flags="readonly", keys=(1, 1, 1), group="generic", since="2.6.0",
         complexity=_DUMP_COMPLEXITY, tips="nondeterministic_output")
def dump_command(c, argv):
    """DUMP key
    Return a serialized version of the value stored at the specified key."""
    o = c.db.lookup_read(argv[1])
    if o is None:
        return None
    return create_dump_payload(c.engine, o)


@command("restore", arity=-4, flags="write denyoom", keys=(1, 1, 1), group="generic",
         since="2.6.0", complexity=_RESTORE_COMPLEXITY, acl="dangerous")
def restore_command(c, argv):
    """RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
    Create a key using the provided serialized value, previously obtained using DUMP."""
    return _restore_generic(c, argv)


@command("restore-asking", arity=-4, flags="write denyoom asking", keys=(1, 1, 1),
         group="server", since="3.0.0", complexity=_RESTORE_COMPLEXITY,
         acl="keyspace dangerous", summary="An internal command for migrating keys in a cluster")
def restore_asking_command(c, argv):
    """RESTORE-ASKING key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
    An internal command for migrating keys in a cluster"""
    return _restore_generic(c, argv)


def _key_spec() -> list:
    from .reply import RSet, Status

    return [{
        b"flags": RSet([Status("OW"), Status("update")]),
        b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
        b"find_keys": {b"type": b"range",
                       b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}},
    }]


restore_command.key_specs = _key_spec()
restore_asking_command.key_specs = _key_spec()
