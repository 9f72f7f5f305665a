"""Generic key commands (``db.c``, ``object.c``): DEL, UNLINK, EXISTS, TYPE, RENAME,
RENAMENX, COPY, MOVE, SWAPDB, TOUCH, KEYS, SCAN, RANDOMKEY, DBSIZE, SELECT, FLUSHDB,
FLUSHALL and OBJECT. The EXPIRE/TTL family is in ``expire.py``.

Values move between keys and databases as the same ``RObj`` (RENAME, MOVE keep the
object, its LRU/LFU field included); COPY duplicates the payload per type and gets a
fresh object, as ``dupStringObject``/``listTypeDup``/... do.
"""

from __future__ import annotations

from collections import deque

from . import errors
from .commands import command, container, subcommand
from .db import LOOKUP_NONOTIFY, LOOKUP_NOTOUCH, NOTIFY_GENERIC
from .errors import ReplyError
from .expire import reset_db_expire_state
from .objects import OBJ_SHARED_INTEGERS, OBJ_STRING, RObj
from .reply import OK, Status
from .scan import parse_scan_cursor, scan_container
from .util import string2ll, stringmatch

INT_MIN = -2147483648
INT_MAX = 2147483647
OBJ_SHARED_REFCOUNT = INT_MAX
ULONG_MAX = (1 << 64) - 1


class PrivateRObj(RObj):
    """A value that never comes from the shared-integer pool: COPY's duplicate of an
    ``int`` string (``dupStringObject`` makes a fresh object with refcount 1)."""

    __slots__ = ()


# --- helpers -----------------------------------------------------------------------------
def get_int_or_reply(raw: bytes, msg: str | None = None) -> int:
    """``getIntFromObjectOrReply``: an int64 in the C ``int`` range. Errors: ``msg`` if
    given, else not-an-integer / ``value must between`` the int bounds."""
    v = string2ll(raw)
    if v is None:
        raise ReplyError(msg or errors.NOT_INTEGER)
    if v < INT_MIN or v > INT_MAX:
        raise ReplyError(msg or errors.VALUE_OUT_OF_RANGE_BETWEEN.format(INT_MIN, INT_MAX))
    return v


def _db_or_reply(c, dbid: int):
    """``selectDb``'s range check (``ERR DB index is out of range``)."""
    dbs = c.engine.dbs
    if dbid < 0 or dbid >= len(dbs):
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    return dbs[dbid]


def dup_object(engine, o: RObj) -> RObj:
    """A deep-enough copy of a value for COPY: same type and encoding, fresh LRU/LFU."""
    t = o.type
    v = o.val
    if t == OBJ_STRING:
        if o.encoding == "int":  # not shared: a private int object
            return PrivateRObj(t, o.enc, v, engine.new_lru())
        nv = v  # bytes are immutable
    elif isinstance(v, deque):
        nv = deque(v)
    elif isinstance(v, dict):
        nv = dict(v)
    elif isinstance(v, set):
        nv = set(v)
    else:  # zset (ZSetValue.copy) and any later type providing copy()
        nv = v.copy()
    return engine.new_object(t, o.enc, nv)


def object_refcount(engine, o: RObj) -> int:
    """``OBJECT REFCOUNT``: integers 0..9999 stored from the protocol are the shared
    objects (refcount INT_MAX) unless maxmemory is set with an LRU/LFU policy."""
    if type(o) is RObj and o.type == OBJ_STRING and o.encoding == "int":
        policy = engine.config.maxmemory_policy
        no_shared = engine.maxmemory != 0 and policy.endswith(("-lru", "-lfu"))
        if not no_shared:
            v = string2ll(o.val)
            if v is not None and 0 <= v < OBJ_SHARED_INTEGERS:
                return OBJ_SHARED_REFCOUNT
    return 1


def empty_db(engine, db) -> int:
    """``emptyDbStructure`` for one db (after ``signalFlushedDb`` touched the WATCHes):
    returns the number of keys removed. The caller resyncs the side structures."""
    engine.touch_all_watched_keys_in_db(db)
    removed = len(db.dict)
    db.dict.clear()
    db.expires.clear()
    reset_db_expire_state(engine, db)
    return removed


def bulk_changed(engine, dbs) -> None:
    """After FLUSH*/SWAPDB, which bypass the per-key hooks (``on_key_added`` /
    ``on_key_deleted``): re-measure memory, rebuild the eviction sampling indexes."""
    mem = getattr(engine, "memory", None)
    if mem is not None:
        mem.resync()
    st = getattr(engine, "evict_state", None)
    if st is not None and st.indexes is not None:
        from .evict import KeyIndex

        for db in dbs:
            st.indexes[db.id] = KeyIndex(db.dict)
            st.expire_indexes[db.id] = KeyIndex(db.expires)


# --- DEL / UNLINK / EXISTS / TYPE / TOUCH ------------------------------------------------
def _del_generic(c, argv: list[bytes]) -> int:
    db = c.db
    e = c.engine
    n = 0
    for key in argv[1:]:
        if key in db.expires:
            db.expire_if_needed(key)
        if db.delete(key):
            db.signal_modified(key)
            e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
            e.dirty += 1
            n += 1
    return n


@command("del", arity=-2, flags="write", keys=(1, -1, 1), group="generic", since="1.0.0",
         complexity="O(N) where N is the number of keys that will be removed.",
         tips="request_policy:multi_shard response_policy:agg_sum")
def del_command(c, argv):
    """DEL key [key ...]
    Deletes one or more keys."""
    return _del_generic(c, argv)


@command("unlink", arity=-2, flags="write fast", keys=(1, -1, 1), group="generic",
         since="4.0.0", complexity="O(1) for each key removed regardless of its size.",
         tips="request_policy:multi_shard response_policy:agg_sum")
def unlink_command(c, argv):
    """UNLINK key [key ...]
    Asynchronously deletes one or more keys."""
    return _del_generic(c, argv)


@command("exists", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="generic",
         since="1.0.0", complexity="O(N) where N is the number of keys to check.",
         tips="request_policy:multi_shard response_policy:agg_sum")
def exists_command(c, argv):
    """EXISTS key [key ...]
    Determines whether one or more keys exist."""
    db = c.db
    return sum(1 for key in argv[1:] if db.exists(key))


@command("type", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="1.0.0")
def type_command(c, argv):
    """TYPE key
    Determines the type of value stored at a key."""
    o = c.db.lookup(argv[1], LOOKUP_NOTOUCH)
    return Status(o.type if o is not None else "none")


@command("touch", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="generic",
         since="3.2.1", complexity="O(N) where N is the number of keys that will be touched.",
         tips="request_policy:multi_shard response_policy:agg_sum")
def touch_command(c, argv):
    """TOUCH key [key ...]
    Returns the number of existing keys out of those specified after updating the time
    they were last accessed."""
    db = c.db
    return sum(1 for key in argv[1:] if db.lookup(key) is not None)


# --- RENAME / RENAMENX / COPY / MOVE / SWAPDB ---------------------------------------------
def _rename_generic(c, argv: list[bytes], nx: bool):
    db = c.db
    e = c.engine
    src, dst = argv[1], argv[2]
    o = db.lookup_write(src)
    if o is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    if src == dst:
        return 0 if nx else OK
    expire = db.get_expire(src)
    if db.lookup_write(dst) is not None:
        if nx:
            return 0
        db.delete(dst)
    db.add(dst, o)
    if expire != -1:
        db.set_expire(dst, expire)
    db.delete(src)
    db.signal_modified(src)
    db.signal_modified(dst)
    e.notify_keyspace_event(NOTIFY_GENERIC, "rename_from", src, db.id)
    e.notify_keyspace_event(NOTIFY_GENERIC, "rename_to", dst, db.id)
    e.dirty += 1
    return 1 if nx else OK


@command("rename", arity=3, flags="write", keys=(1, 2, 1), group="generic", since="1.0.0")
def rename_command(c, argv):
    """RENAME key newkey
    Renames a key and overwrites the destination."""
    return _rename_generic(c, argv, False)


@command("renamenx", arity=3, flags="write fast", keys=(1, 2, 1), group="generic",
         since="1.0.0")
def renamenx_command(c, argv):
    """RENAMENX key newkey
    Renames a key only when the target key name doesn't exist."""
    return _rename_generic(c, argv, True)


@command("copy", arity=-3, flags="write denyoom", keys=(1, 2, 1), group="generic",
         since="6.2.0", complexity="O(N) worst case for collections, where N is the number "
         "of nested items. O(1) for string values.")
def copy_command(c, argv):
    """COPY source destination [DB destination-db] [REPLACE]
    Copies the value of a key to a new key."""
    e = c.engine
    src = dst = c.db
    replace = False
    j = 3
    n = len(argv)
    while j < n:
        opt = argv[j].lower()
        if opt == b"replace":
            replace = True
        elif opt == b"db" and n - j - 1 >= 1:
            dst = _db_or_reply(c, get_int_or_reply(argv[j + 1]))
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    key, newkey = argv[1], argv[2]
    if src is dst and key == newkey:
        raise ReplyError(errors.SAME_OBJECT)
    o = src.lookup(key)
    if o is None:
        return 0
    expire = src.get_expire(key)
    delete = False
    if dst.lookup_write(newkey) is not None:
        if not replace:
            return 0
        delete = True
    newobj = dup_object(e, o)
    if delete:
        dst.delete(newkey)
    dst.add(newkey, newobj)
    if expire != -1:
        dst.set_expire(newkey, expire)
    dst.signal_modified(newkey)
    e.notify_keyspace_event(NOTIFY_GENERIC, "copy_to", newkey, dst.id)
    e.dirty += 1
    return 1


@command("move", arity=3, flags="write fast", keys=(1, 1, 1), group="generic",
         since="1.0.0")
def move_command(c, argv):
    """MOVE key db
    Moves a key to another database."""
    e = c.engine
    src = c.db
    dst = _db_or_reply(c, get_int_or_reply(argv[2]))
    if src is dst:
        raise ReplyError(errors.SAME_OBJECT)
    key = argv[1]
    o = src.lookup_write(key)
    if o is None:
        return 0
    expire = src.get_expire(key)
    if dst.lookup_write(key) is not None:
        return 0
    dst.add(key, o)
    if expire != -1:
        dst.set_expire(key, expire)
    src.delete(key)
    src.signal_modified(key)
    dst.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_GENERIC, "move_from", key, src.id)
    e.notify_keyspace_event(NOTIFY_GENERIC, "move_to", key, dst.id)
    e.dirty += 1
    return 1


@command("swapdb", arity=3, flags="write fast", group="server", since="4.0.0",
         complexity="O(N) where N is the count of clients watching or blocking on keys "
         "from both databases.", acl="keyspace dangerous")
def swapdb_command(c, argv):
    """SWAPDB index1 index2
    Swaps two Redis databases."""
    e = c.engine
    id1 = get_int_or_reply(argv[1], errors.INVALID_FIRST_DB_INDEX)
    id2 = get_int_or_reply(argv[2], errors.INVALID_SECOND_DB_INDEX)
    n = len(e.dbs)
    if id1 < 0 or id1 >= n or id2 < 0 or id2 >= n:
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    if id1 != id2:
        db1, db2 = e.dbs[id1], e.dbs[id2]
        e.touch_all_watched_keys_in_db(db1, db2)
        e.touch_all_watched_keys_in_db(db2, db1)
        # Swap the contents, not the RedisDb objects: clients (and their WATCHes and
        # blocked keys) stay in the database they selected.
        db1.dict, db2.dict = db2.dict, db1.dict
        db1.expires, db2.expires = db2.expires, db1.expires
        db1.avg_ttl, db2.avg_ttl = db2.avg_ttl, db1.avg_ttl
        db1.expires_cursor, db2.expires_cursor = db2.expires_cursor, db1.expires_cursor
        bulk_changed(e, (db1, db2))
        # scanDatabaseForReadyKeys: clients blocked on a key that now exists get served
        if getattr(e, "blocking_keys", None):
            for dbid, key in list(e.blocking_keys):
                if dbid in (id1, id2) and key in e.dbs[dbid].dict:
                    e.signal_key_as_ready(e.dbs[dbid], key)
    e.dirty += 1
    return OK


# --- KEYS / SCAN / RANDOMKEY / DBSIZE ------------------------------------------------------
@command("keys", arity=2, flags="readonly", group="generic", since="1.0.0",
         complexity="O(N) with N being the number of keys in the database.",
         tips="request_policy:all_shards nondeterministic_output_order", acl="dangerous")
def keys_command(c, argv):
    """KEYS pattern
    Returns all key names that match a pattern."""
    db = c.db
    pattern = argv[1]
    allkeys = pattern == b"*"
    expires = db.expires
    out = []
    for k in db.dict:
        if allkeys or stringmatch(pattern, k):
            if expires and db.is_expired(k):
                continue
            out.append(k)
    return out


@command("scan", arity=-2, flags="readonly", group="generic", since="2.8.0",
         complexity="O(1) for every call. O(N) for a complete iteration.",
         tips="nondeterministic_output request_policy:special")
def scan_command(c, argv):
    """SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    Iterates over the key names in the database."""
    cursor = parse_scan_cursor(argv[1])
    count = 10
    pat = None
    typename = None
    i = 2
    n = len(argv)
    while i < n:
        opt = argv[i].lower()
        left = n - i
        if opt == b"count" and left >= 2:
            count = string2ll(argv[i + 1])
            if count is None:
                raise ReplyError(errors.NOT_INTEGER)
            if count < 1:
                raise ReplyError(errors.SYNTAX)
        elif opt == b"match" and left >= 2:
            pat = argv[i + 1]
            if pat == b"*":
                pat = None
        elif opt == b"type" and left >= 2:
            typename = argv[i + 1].lower()
        else:
            raise ReplyError(errors.SYNTAX)
        i += 2
    db = c.db
    cursor, found = scan_container(db.dict, cursor, count)
    out = []
    for k in found:
        if pat is not None and not stringmatch(pat, k):
            continue
        if typename is not None:
            o = db.lookup(k, LOOKUP_NOTOUCH)
            # a key the lookup just expired reads as "none" (and so passes TYPE none)
            if typename != (o.type if o is not None else "none").encode():
                continue
        if k in db.expires and db.expire_if_needed(k):
            continue
        out.append(k)
    return [b"%d" % cursor, out]


@command("randomkey", arity=1, flags="readonly touches_arbitrary_keys", group="generic",
         since="1.0.0", tips="request_policy:all_shards nondeterministic_output")
def randomkey_command(c, argv):
    """RANDOMKEY
    Returns a random key name from the database."""
    db = c.db
    if not db.dict:
        return None
    keys = list(db.dict)
    rnd = c.engine.random
    while keys:
        i = rnd.randrange(len(keys))
        k = keys[i]
        if k in db.expires and db.expire_if_needed(k):
            keys[i] = keys[-1]  # expired and reclaimed: draw again among the rest
            keys.pop()
            continue
        return k
    return None


@command("dbsize", arity=1, flags="readonly fast", group="server", since="1.0.0",
         tips="request_policy:all_shards response_policy:agg_sum", acl="keyspace")
def dbsize_command(c, argv):
    """DBSIZE
    Returns the number of keys in the database."""
    return len(c.db.dict)


# --- SELECT / FLUSHDB / FLUSHALL --------------------------------------------------------------
@command("select", arity=2, flags="loading stale fast", group="connection", since="1.0.0")
def select_command(c, argv):
    """SELECT index
    Changes the selected database."""
    dbid = get_int_or_reply(argv[1])
    c.select(_db_or_reply(c, dbid).id)
    return OK


def _flush_flags(argv: list[bytes]) -> None:
    """``getFlushCommandFlags``: nothing, SYNC or ASYNC (the mode has no visible effect
    here: values are freed at once either way)."""
    if len(argv) == 2:
        if argv[1].lower() not in (b"sync", b"async"):
            raise ReplyError(errors.SYNTAX)
    elif len(argv) != 1:
        raise ReplyError(errors.SYNTAX)


def _force_propagation(c, argv: list[bytes], dirty_before: int) -> None:
    """``forceCommandPropagation``: FLUSH* reach the AOF/replicas even when nothing was
    removed (the dispatcher only propagates writes that changed ``dirty``)."""
    e = c.engine
    if e.dirty == dirty_before and e.propagate_listeners:
        e.propagate(c.db.id, argv)


@command("flushdb", arity=-1, flags="write", group="server", since="1.0.0",
         complexity="O(N) where N is the number of keys in the selected database",
         acl="keyspace dangerous", tips="request_policy:all_shards response_policy:all_succeeded")
def flushdb_command(c, argv):
    """FLUSHDB [ASYNC|SYNC]
    Remove all keys from the current database."""
    _flush_flags(argv)
    e = c.engine
    before = e.dirty
    e.dirty += empty_db(e, c.db)
    bulk_changed(e, (c.db,))
    _force_propagation(c, argv, before)
    return OK


@command("flushall", arity=-1, flags="write", group="server", since="1.0.0",
         complexity="O(N) where N is the total number of keys in all databases",
         acl="keyspace dangerous", tips="request_policy:all_shards response_policy:all_succeeded")
def flushall_command(c, argv):
    """FLUSHALL [ASYNC|SYNC]
    Removes all keys from all databases."""
    _flush_flags(argv)
    e = c.engine
    removed = 0
    for db in e.dbs:
        removed += empty_db(e, db)
    bulk_changed(e, e.dbs)
    e.dirty += removed + 1  # flushAllDataAndResetRDB counts the flush itself too
    return OK


# --- OBJECT -------------------------------------------------------------------------------
object_cmd = container("object", group="generic", since="2.2.3",
                       summary="A container for object introspection commands.")

OBJECT_HELP = (
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
)


def _object_lookup(c, key: bytes) -> RObj | None:
    """``objectCommandLookup``: no LRU/LFU touch, no keymiss event (stats count)."""
    return c.db.lookup(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY)


@subcommand(object_cmd, "help", arity=2, flags="loading stale", since="6.2.0")
def object_help(c, argv):
    """OBJECT HELP
    Returns helpful text about the different subcommands."""
    return [Status(line) for line in OBJECT_HELP]


@subcommand(object_cmd, "encoding", arity=3, flags="readonly", keys=(2, 2, 1), tips="nondeterministic_output")
def object_encoding(c, argv):
    """OBJECT ENCODING key
    Returns the internal encoding of a Redis object."""
    o = _object_lookup(c, argv[2])
    return None if o is None else o.encoding.encode()


@subcommand(object_cmd, "freq", arity=3, flags="readonly", keys=(2, 2, 1), since="4.0.0",
            tips="nondeterministic_output")
def object_freq(c, argv):
    """OBJECT FREQ key
    Returns the logarithmic access frequency counter of a Redis object."""
    o = _object_lookup(c, argv[2])
    if o is None:
        return None
    e = c.engine
    if not e.lfu_policy:
        raise ReplyError(errors.LFU_NOT_SELECTED)
    return e.lfu_decr_and_return(o)


@subcommand(object_cmd, "idletime", arity=3, flags="readonly", keys=(2, 2, 1), tips="nondeterministic_output")
def object_idletime(c, argv):
    """OBJECT IDLETIME key
    Returns the time since the last access to a Redis object."""
    o = _object_lookup(c, argv[2])
    if o is None:
        return None
    e = c.engine
    if e.lfu_policy:
        raise ReplyError(errors.LFU_SELECTED_NO_IDLE)
    return e.estimate_idle_time_ms(o) // 1000


@subcommand(object_cmd, "refcount", arity=3, flags="readonly", keys=(2, 2, 1), tips="nondeterministic_output")
def object_refcount_command(c, argv):
    """OBJECT REFCOUNT key
    Returns the reference count of a value of a key."""
    o = _object_lookup(c, argv[2])
    return None if o is None else object_refcount(c.engine, o)
