"""Hash commands (``t_hash.c``).

A hash is ``RObj("hash", enc, dict)``: field -> value, both ``bytes``. The dict's
insertion order *is* the listpack order (a new field is appended, an updated field keeps
its place, a deleted one disappears), so HGETALL/HKEYS/HVALS/HSCAN of a listpack-encoded
hash reply in exactly the order Redis does. The encoding is modelled: ``listpack`` until
the hash holds more than ``hash-max-listpack-entries`` fields or a field/value longer
than ``hash-max-listpack-value`` bytes is written, then ``hashtable`` for good (one way,
as in Redis 7.0; deleting fields never converts back). A hashtable-encoded hash keeps
the dict order too; Redis's order is then its hash table's, which tests compare
unordered.

HINCRBYFLOAT computes in x87 80-bit ``long double`` like Redis (``string2ld``, the sum,
``ld2string(LD_STR_HUMAN)`` = ``%.17Lf`` with trailing zeros trimmed). The arithmetic
is emulated exactly with integers (``ld_parse``, ``ld_round``, ``ld_format_human``).

HSCAN of a listpack hash returns everything in one call with cursor 0 (Redis does the
same for its small encodings); a hashtable hash is walked with ``scan.scan_container``.
"""

from __future__ import annotations

import weakref
from fractions import Fraction

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_HASH
from .errors import ReplyError
from .longdouble import ld_format_human, ld_parse, ld_round
from .objects import OBJ_HASH, RObj
from .reply import OK
from .scan import parse_scan_cursor, scan_container
from .server import register_type_check
from .util import string2ll, stringmatch

ENC_LISTPACK = "listpack"
ENC_HASHTABLE = "hashtable"

LONG_MAX = (1 << 63) - 1

# ----------------------------------------------------------------------------------------
# encoding helpers
# ----------------------------------------------------------------------------------------
# Per engine, the largest thresholds a write ever ran with: a listpack hash created under
# larger limits legitimately stays listpack after CONFIG SET lowers them (Redis converts
# only when a write adds to it), so the invariant checker compares with these.
_HIGH_WATER: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _note_thresholds(e) -> tuple[int, int]:
    cfg = e.config
    entries, value = cfg.hash_max_listpack_entries, cfg.hash_max_listpack_value
    hw = _HIGH_WATER.get(e)
    if hw is None:
        _HIGH_WATER[e] = [entries, value]
    else:
        if entries > hw[0]:
            hw[0] = entries
        if value > hw[1]:
            hw[1] = value
    return entries, value


def hash_try_conversion(e, o: RObj, args) -> None:
    """``hashTypeTryConversion``: a listpack hash about to receive any of ``args``
    (fields and values) longer than hash-max-listpack-value becomes a hashtable."""
    if o.enc != ENC_LISTPACK:
        return
    _, max_value = _note_thresholds(e)
    for a in args:
        if len(a) > max_value:
            o.enc = ENC_HASHTABLE
            o.htbase = len(o.val)  # hashTypeConvertListpack: dictExpand(length)
            return


def hash_set(e, o: RObj, field: bytes, value: bytes) -> bool:
    """``hashTypeSet``: set a field; True when the field is new. Converts a listpack
    hash on a too-long field/value (before) or too many entries (after)."""
    d = o.val
    if o.enc == ENC_LISTPACK:
        _max_entries, max_value = _note_thresholds(e)
        if len(field) > max_value or len(value) > max_value:
            o.enc = ENC_HASHTABLE
            o.htbase = len(d)
    new = field not in d
    d[field] = value
    if o.enc == ENC_LISTPACK and len(d) > e.config.hash_max_listpack_entries:
        o.enc = ENC_HASHTABLE
        o.htbase = len(d)
    return new


def new_hash(e) -> RObj:
    """A new, empty hash (``createHashObject``: listpack)."""
    _note_thresholds(e)
    return e.new_object(OBJ_HASH, ENC_LISTPACK, {})


def _check_hash(e, o: RObj) -> None:
    """Invariant: non-empty dict of bytes -> bytes; a listpack one within the limits."""
    d = o.val
    assert isinstance(d, dict), o
    assert d, "empty hash left in the keyspace"
    assert o.enc in (ENC_LISTPACK, ENC_HASHTABLE), o.enc
    for f, v in d.items():
        assert type(f) is bytes and type(v) is bytes, (f, v)
    if o.enc == ENC_LISTPACK:
        hw = _HIGH_WATER.get(e)
        max_entries = max(hw[0] if hw else 0, e.config.hash_max_listpack_entries)
        max_value = max(hw[1] if hw else 0, e.config.hash_max_listpack_value)
        assert len(d) <= max_entries, (len(d), max_entries)
        for f, v in d.items():
            assert len(f) <= max_value and len(v) <= max_value, (f, v)


register_type_check(OBJ_HASH, _check_hash)


def _modified(c, key: bytes, event: str, dirty: int) -> None:
    c.db.signal_modified(key)
    c.engine.notify_keyspace_event(NOTIFY_HASH, event, key, c.db.id)
    c.engine.dirty += dirty


# ----------------------------------------------------------------------------------------
# SCAN helpers (shared with sets.py)
# ----------------------------------------------------------------------------------------
def parse_scan_options(argv: list[bytes], start: int) -> tuple[int, bytes | None]:
    """The COUNT / MATCH options of HSCAN/SSCAN/ZSCAN (``scanGenericCommand``).
    Returns ``(count, pattern or None)``; the last of repeated options wins."""
    count = 10
    pat: bytes | None = None
    i = start
    n = len(argv)
    while i < n:
        opt = argv[i].lower()
        more = n - i
        if opt == b"count" and more >= 2:
            v = string2ll(argv[i + 1])
            if v is None:
                raise ReplyError(errors.NOT_INTEGER)
            if v < 1:
                raise ReplyError(errors.SYNTAX)
            count = v
            i += 2
        elif opt == b"match" and more >= 2:
            pat = argv[i + 1]
            if pat == b"*":
                pat = None
            i += 2
        else:
            raise ReplyError(errors.SYNTAX)
    return count, pat


# ----------------------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------------------
def _hset_generic(c, argv, name: str):
    if len(argv) % 2 == 1:
        raise ReplyError(errors.WRONG_ARITY.format(name))
    key = argv[1]
    e = c.engine
    o = c.db.lookup_write(key, OBJ_HASH)
    if o is None:
        o = new_hash(e)
        c.db.add(key, o)
    hash_try_conversion(e, o, argv[2:])
    created = 0
    for i in range(2, len(argv), 2):
        if hash_set(e, o, argv[i], argv[i + 1]):
            created += 1
    _modified(c, key, "hset", (len(argv) - 2) // 2)
    return created


@command("hset", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         complexity="O(1) for each field/value pair added, so O(N) to add N field/value "
                    "pairs when the command is called with multiple field/value pairs.",
         since="2.0.0", acl="@write @hash @fast")
def hset_command(c, argv):
    """HSET key field value [field value ...]
    Set the string value of a hash field"""
    return _hset_generic(c, argv, "hset")


@command("hmset", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the number of fields being set.", since="2.0.0",
         acl="@write @hash @fast")
def hmset_command(c, argv):
    """HMSET key field value [field value ...]
    Set multiple hash fields to multiple values"""
    _hset_generic(c, argv, "hmset")
    return OK


@command("hsetnx", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.0.0", acl="@write @hash @fast")
def hsetnx_command(c, argv):
    """HSETNX key field value
    Set the value of a hash field, only if the field does not exist"""
    key, field, value = argv[1], argv[2], argv[3]
    e = c.engine
    o = c.db.lookup_write(key, OBJ_HASH)
    if o is not None and field in o.val:
        return 0
    if o is None:
        o = new_hash(e)
        c.db.add(key, o)
    hash_try_conversion(e, o, (field, value))
    hash_set(e, o, field, value)
    _modified(c, key, "hset", 1)
    return 1


@command("hget", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.0.0", acl="@read @hash @fast")
def hget_command(c, argv):
    """HGET key field
    Get the value of a hash field"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    if o is None:
        return None
    return o.val.get(argv[2])


@command("hmget", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the number of fields being requested.", since="2.0.0",
         acl="@read @hash @fast")
def hmget_command(c, argv):
    """HMGET key field [field ...]
    Get the values of all the given hash fields"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    if o is None:
        return [None] * (len(argv) - 2)
    d = o.val
    return [d.get(f) for f in argv[2:]]


@command("hdel", arity=-3, flags="write fast", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the number of fields to be removed.", since="2.0.0",
         acl="@write @hash @fast")
def hdel_command(c, argv):
    """HDEL key field [field ...]
    Delete one or more hash fields"""
    key = argv[1]
    o = c.db.lookup_write(key, OBJ_HASH)
    if o is None:
        return 0
    d = o.val
    deleted = 0
    removed = False
    for f in argv[2:]:
        if f in d:
            del d[f]
            deleted += 1
            if not d:
                c.db.delete(key)
                removed = True
                break
    if deleted:
        c.db.signal_modified(key)
        c.engine.notify_keyspace_event(NOTIFY_HASH, "hdel", key, c.db.id)
        if removed:
            c.engine.notify_keyspace_event(NOTIFY_GENERIC, "del", key, c.db.id)
        c.engine.dirty += deleted
    return deleted


@command("hlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.0.0", acl="@read @hash @fast")
def hlen_command(c, argv):
    """HLEN key
    Get the number of fields in a hash"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    return 0 if o is None else len(o.val)


@command("hstrlen", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="3.2.0", acl="@read @hash @fast")
def hstrlen_command(c, argv):
    """HSTRLEN key field
    Get the length of the value of a hash field"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    if o is None:
        return 0
    v = o.val.get(argv[2])
    return 0 if v is None else len(v)


@command("hexists", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.0.0", acl="@read @hash @fast")
def hexists_command(c, argv):
    """HEXISTS key field
    Determine if a hash field exists"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    return 1 if o is not None and argv[2] in o.val else 0


@command("hkeys", arity=2, flags="readonly", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the size of the hash.", since="2.0.0",
         acl="@read @hash @slow", tips="nondeterministic_output_order")
def hkeys_command(c, argv):
    """HKEYS key
    Get all the fields in a hash"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    return [] if o is None else list(o.val)


@command("hvals", arity=2, flags="readonly", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the size of the hash.", since="2.0.0",
         acl="@read @hash @slow", tips="nondeterministic_output_order")
def hvals_command(c, argv):
    """HVALS key
    Get all the values in a hash"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    return [] if o is None else list(o.val.values())


@command("hgetall", arity=2, flags="readonly", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the size of the hash.", since="2.0.0",
         acl="@read @hash @slow", tips="nondeterministic_output_order")
def hgetall_command(c, argv):
    """HGETALL key
    Get all the fields and values in a hash"""
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    return {} if o is None else dict(o.val)


@command("hincrby", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.0.0", acl="@write @hash @fast")
def hincrby_command(c, argv):
    """HINCRBY key field increment
    Increment the integer value of a hash field by the given number"""
    key, field = argv[1], argv[2]
    incr = string2ll(argv[3])
    if incr is None:
        raise ReplyError(errors.NOT_INTEGER)
    e = c.engine
    o = c.db.lookup_write(key, OBJ_HASH)
    cur = o.val.get(field) if o is not None else None
    if cur is None:
        old = 0
    else:
        old = string2ll(cur)
        if old is None:
            raise ReplyError(errors.HASH_NOT_INTEGER)
    new = old + incr
    if new > LONG_MAX or new < -LONG_MAX - 1:
        raise ReplyError(errors.OVERFLOW)
    if o is None:
        o = new_hash(e)
        c.db.add(key, o)
    hash_set(e, o, field, b"%d" % new)
    _modified(c, key, "hincrby", 1)
    return new


@command("hincrbyfloat", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         complexity="O(1)", since="2.6.0", acl="@write @hash @fast")
def hincrbyfloat_command(c, argv):
    """HINCRBYFLOAT key field increment
    Increment the float value of a hash field by the given amount"""
    key, field = argv[1], argv[2]
    incr = ld_parse(argv[3])
    if incr is None:
        raise ReplyError(errors.NOT_FLOAT)
    if isinstance(incr, float):  # ±inf
        raise ReplyError(errors.VALUE_NAN_OR_INF)
    e = c.engine
    o = c.db.lookup_write(key, OBJ_HASH)
    cur = o.val.get(field) if o is not None else None
    if cur is None:
        old: Fraction | float = Fraction(0)
    else:
        parsed = ld_parse(cur)
        if parsed is None:
            raise ReplyError(errors.HASH_NOT_FLOAT)
        old = parsed
    if isinstance(old, float):
        raise ReplyError(errors.NAN_OR_INF)
    total = ld_round(old + incr)
    if isinstance(total, float):
        raise ReplyError(errors.NAN_OR_INF)
    out = ld_format_human(total)
    if o is None:
        o = new_hash(e)
        c.db.add(key, o)
    hash_set(e, o, field, out)
    _modified(c, key, "hincrbyfloat", 1)
    # Propagated as HSET with the final value, so replicas never redo float math.
    c.rewrite_argv = [b"HSET", key, field, out]
    return out


def _parse_rand_count(raw: bytes) -> int:
    """``getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)`` (shared with sets.py)."""
    v = string2ll(raw)
    if v is None:
        raise ReplyError(errors.NOT_INTEGER)
    if v < -LONG_MAX:
        raise ReplyError(errors.VALUE_OUT_OF_RANGE_BETWEEN.format(-LONG_MAX, LONG_MAX))
    return v


@command("hrandfield", arity=-2, flags="readonly", keys=(1, 1, 1), group="hash",
         complexity="O(N) where N is the number of fields returned", since="6.2.0",
         acl="@read @hash @slow", tips="nondeterministic_output")
def hrandfield_command(c, argv):
    """HRANDFIELD key [count [WITHVALUES]]
    Get one or multiple random fields from a hash"""
    rng = c.engine.random
    if len(argv) >= 3:
        count = _parse_rand_count(argv[2])
        if len(argv) > 4 or (len(argv) == 4 and argv[3].lower() != b"withvalues"):
            raise ReplyError(errors.SYNTAX)
        withvalues = len(argv) == 4
        if withvalues and (count < -(LONG_MAX // 2) or count > LONG_MAX // 2):
            raise ReplyError(errors.VALUE_OUT_OF_RANGE)
        o = c.db.lookup_read(argv[1], OBJ_HASH)
        if o is None or count == 0:
            return []
        d = o.val
        fields = list(d)
        size = len(fields)
        if count < 0 or count == 1:
            n = -count if count < 0 else 1
            picked = [fields[rng.randrange(size)] for _ in range(n)]
        elif count >= size:
            picked = fields  # the whole hash, in its own order
        else:
            idx = sorted(rng.sample(range(size), count))
            picked = [fields[i] for i in idx]
        if not withvalues:
            return picked
        if c.resp == 2:
            out = []
            for f in picked:
                out.append(f)
                out.append(d[f])
            return out
        return [[f, d[f]] for f in picked]
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    if o is None:
        return None
    fields = list(o.val)
    return fields[rng.randrange(len(fields))]


@command("hscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="hash",
         complexity="O(1) for every call. O(N) for a complete iteration, including enough "
                    "command calls for the cursor to return back to 0. N is the number of "
                    "elements inside the collection.",
         since="2.8.0", acl="@read @hash @slow", tips="nondeterministic_output")
def hscan_command(c, argv):
    """HSCAN key cursor [MATCH pattern] [COUNT count]
    Incrementally iterate hash fields and associated values"""
    cursor = parse_scan_cursor(argv[2])
    o = c.db.lookup_read(argv[1], OBJ_HASH)
    if o is None:
        return [b"0", []]
    count, pat = parse_scan_options(argv, 3)
    d = o.val
    if o.enc == ENC_LISTPACK:
        nxt, fields = 0, list(d)
    else:
        nxt, fields = scan_container(d, cursor, count)
    out = []
    for f in fields:
        if pat is not None and not stringmatch(pat, f):
            continue
        out.append(f)
        out.append(d[f])
    return [b"%d" % nxt, out]
