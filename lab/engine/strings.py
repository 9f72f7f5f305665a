"""String commands (``t_string.c``): SET and its variants, GET family, counters,
APPEND / SETRANGE / GETRANGE, MSET / MGET, INCRBYFLOAT and LCS.

Conventions (docs/architecture.md): every argument is parsed and validated before the
keyspace is touched; a string created from an argument has ``enc=None`` (its encoding,
int / embstr / raw, is derived from the bytes), an in-place edit (APPEND, SETRANGE) leaves
``enc="raw"`` as ``dbUnshareStringValue`` does; INCR/DECR store a fresh derived value.

INCRBYFLOAT computes in x87 80-bit ``long double`` like Redis on x86-64: values are
exact ``Fraction`` objects rounded to a 64-bit significand (``_ld_round``), parsed like
glibc's ``strtold`` (``_ld_parse``) and printed like ``printf("%.17Lf")`` with the
trailing zeros trimmed (``_ld_format``).
"""

from __future__ import annotations

from fractions import Fraction

from . import errors
from .commands import command
from .db import LOOKUP_WRITE, NOTIFY_GENERIC, NOTIFY_STRING
from .errors import ReplyError
from .longdouble import ld_format_human as ld_format
from .longdouble import ld_parse, ld_round
from .objects import OBJ_ENCODING_EMBSTR_SIZE_LIMIT, OBJ_STRING
from .reply import OK
from .server import register_type_check
from .util import LLONG_MAX, LLONG_MIN, string2ll

__all__ = [
    "copt",
    "ld_format",
    "ld_parse",
    "ld_round",
    "store_string",
]

# setGenericCommand / parseExtendedStringArgumentsOrReply flags (t_string.c)
OBJ_NO_FLAGS = 0
OBJ_SET_NX = 1 << 0
OBJ_SET_XX = 1 << 1
OBJ_EX = 1 << 2
OBJ_PX = 1 << 3
OBJ_KEEPTTL = 1 << 4
OBJ_SET_GET = 1 << 5
OBJ_EXAT = 1 << 6
OBJ_PXAT = 1 << 7
OBJ_PERSIST = 1 << 8

_ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT

# LCS works on a (alen+1)*(blen+1) table of uint32 in Redis; its size is capped.
_UINT32_MAX = 0xFFFFFFFF


def copt(arg: bytes) -> bytes:
    """An option argument as C's ``strcasecmp`` sees it: up to the first NUL, lowercased."""
    i = arg.find(b"\0")
    if i >= 0:
        arg = arg[:i]
    return arg.lower()


def store_string(c, key: bytes, obj, keepttl: bool = False) -> None:
    """``setKey``: ``lookupKeyWrite`` first (lazy expiry, LFU counter), then add or
    overwrite, drop the TTL unless ``keepttl``, signal the key."""
    db = c.db
    if db.expires or c.engine.lfu_policy:
        db.lookup(key, LOOKUP_WRITE)
    db.set_key(key, obj, keepttl)


def _check_string(e, o) -> None:
    assert type(o.val) is bytes, o
    assert o.enc in (None, "raw", "embstr"), o
    if o.enc == "embstr":
        assert len(o.val) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT, o


register_type_check(OBJ_STRING, _check_string)


# --------------------------------------------------------------------------------------
# SET family
# --------------------------------------------------------------------------------------
def _parse_extended(argv: list[bytes], is_set: bool) -> tuple[int, bytes | None]:
    """``parseExtendedStringArgumentsOrReply``: the options of SET (``is_set``) or
    GETEX, in Redis's order; ``ERR syntax error`` on anything not allowed."""
    flags = 0
    expire = None
    n = len(argv)
    j = 3 if is_set else 2
    while j < n:
        opt = copt(argv[j])
        has_next = j + 1 < n
        if opt == b"nx" and not flags & OBJ_SET_XX and is_set:
            flags |= OBJ_SET_NX
        elif opt == b"xx" and not flags & OBJ_SET_NX and is_set:
            flags |= OBJ_SET_XX
        elif opt == b"get" and is_set:
            flags |= OBJ_SET_GET
        elif opt == b"keepttl" and not flags & (OBJ_PERSIST | _ANY_EXPIRE) and is_set:
            flags |= OBJ_KEEPTTL
        elif opt == b"persist" and not is_set and not flags & (_ANY_EXPIRE | OBJ_KEEPTTL):
            flags |= OBJ_PERSIST
        elif (opt == b"ex" and has_next
              and not flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)):
            flags |= OBJ_EX
            expire = argv[j + 1]
            j += 1
        elif (opt == b"px" and has_next
              and not flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)):
            flags |= OBJ_PX
            expire = argv[j + 1]
            j += 1
        elif (opt == b"exat" and has_next
              and not flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)):
            flags |= OBJ_EXAT
            expire = argv[j + 1]
            j += 1
        elif (opt == b"pxat" and has_next
              and not flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)):
            flags |= OBJ_PXAT
            expire = argv[j + 1]
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    return flags, expire


def _expire_ms(c, expire: bytes, flags: int) -> int:
    """``getExpireMillisecondsOrReply``: absolute unix ms, with Redis's overflow checks
    (a relative time that overflows int64 when added to now wraps negative: error)."""
    v = string2ll(expire)
    if v is None:
        raise ReplyError(errors.NOT_INTEGER)
    seconds = flags & (OBJ_EX | OBJ_EXAT)
    if v <= 0 or (seconds and v > LLONG_MAX // 1000):
        raise ReplyError(errors.INVALID_EXPIRE.format(c.cmd_name))
    if seconds:
        v *= 1000
    if flags & (OBJ_EX | OBJ_PX):
        v += c.engine.mstime
        if v > LLONG_MAX:  # int64 wrap-around in C: negative
            v -= 1 << 64
    if v <= 0:
        raise ReplyError(errors.INVALID_EXPIRE.format(c.cmd_name))
    return v


def _get_generic(c, key: bytes) -> bytes | None:
    """``getGenericCommand``: the value (None if missing), WRONGTYPE for other types."""
    o = c.db.lookup(key)
    if o is None:
        return None
    if o.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    return o.val


def _set_generic(c, flags: int, key: bytes, val: bytes, expire: bytes | None,
                 ok_reply=OK, abort_reply=None, argv: list[bytes] | None = None):
    """``setGenericCommand`` (``argv``: SET's own arguments, for the GET-less rewrite)."""
    ms = _expire_ms(c, expire, flags) if expire is not None else 0
    old = _get_generic(c, key) if flags & OBJ_SET_GET else None
    db = c.db
    e = c.engine
    found = db.lookup(key, LOOKUP_WRITE) is not None
    if (flags & OBJ_SET_NX and found) or (flags & OBJ_SET_XX and not found):
        return old if flags & OBJ_SET_GET else abort_reply
    db.set_key(key, e.new_object(OBJ_STRING, None, val), bool(flags & OBJ_KEEPTTL))
    e.dirty += 1
    e.notify_keyspace_event(NOTIFY_STRING, "set", key, db.id)
    if expire is not None:
        db.set_expire(key, ms)
        # Propagated as SET key value PXAT <ms> whatever the options (checked on a 7.0.15
        # replica: NX/XX/GET and the relative forms all disappear).
        c.rewrite_argv = [b"SET", key, val, b"PXAT", b"%d" % ms]
        e.notify_keyspace_event(NOTIFY_GENERIC, "expire", key, db.id)
    elif flags & OBJ_SET_GET and argv is not None:
        # Propagated without the GET token(s).
        c.rewrite_argv = argv[:3] + [a for a in argv[3:] if copt(a) != b"get"]
    if flags & OBJ_SET_GET:
        return old
    return ok_reply


@command("set", arity=-3, flags="write denyoom", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def set_command(c, argv):
    """SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-secs|PXAT unix-ms|KEEPTTL]
    Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."""
    if len(argv) == 3:
        # Fast path: no options.
        db = c.db
        e = c.engine
        key = argv[1]
        if db.expires or e.lfu_policy:
            db.lookup(key, LOOKUP_WRITE)
        db.set_key(key, e.new_object(OBJ_STRING, None, argv[2]))
        e.dirty += 1
        if e.notify_flags:
            e.notify_keyspace_event(NOTIFY_STRING, "set", key, db.id)
        return OK
    flags, expire = _parse_extended(argv, True)
    return _set_generic(c, flags, argv[1], argv[2], expire, argv=argv)


@command("setnx", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def setnx_command(c, argv):
    """SETNX key value
    Set the string value of a key only when the key doesn't exist."""
    return _set_generic(c, OBJ_SET_NX, argv[1], argv[2], None, 1, 0)


@command("setex", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="2.0.0")
def setex_command(c, argv):
    """SETEX key seconds value
    Set the string value and expiration time of a key."""
    return _set_generic(c, OBJ_EX, argv[1], argv[3], argv[2])


@command("psetex", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="2.6.0")
def psetex_command(c, argv):
    """PSETEX key milliseconds value
    Set the string value and expiration time in milliseconds of a key."""
    return _set_generic(c, OBJ_PX, argv[1], argv[3], argv[2])


# --------------------------------------------------------------------------------------
# GET family
# --------------------------------------------------------------------------------------
@command("get", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def get_command(c, argv):
    """GET key
    Returns the string value of a key."""
    o = c.db.lookup(argv[1])
    if o is None:
        return None
    if o.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    return o.val


@command("getex", arity=-2, flags="write fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="6.2.0")
def getex_command(c, argv):
    """GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]
    Returns the string value of a key after setting its expiration time."""
    flags, expire = _parse_extended(argv, False)
    key = argv[1]
    db = c.db
    e = c.engine
    o = db.lookup_read(key)
    if o is None:
        return None
    if o.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    ms = _expire_ms(c, expire, flags) if expire is not None else 0
    reply = o.val
    if flags & (OBJ_PXAT | OBJ_EXAT) and ms <= e.mstime and not e.loading:
        # checkAlreadyExpired: an absolute time in the past deletes the key.
        db.delete(key)
        lazy = e.config.lazyfree_lazy_expire
        c.rewrite_argv = [b"UNLINK" if lazy else b"DEL", key]
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
        e.dirty += 1
    elif expire is not None:
        db.set_expire(key, ms)
        c.rewrite_argv = [b"PEXPIREAT", key, b"%d" % ms]  # also for PXAT (7.0.15)
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "expire", key, db.id)
        e.dirty += 1
    elif flags & OBJ_PERSIST:
        if db.remove_expire(key):
            db.signal_modified(key)
            c.rewrite_argv = [b"PERSIST", key]
            e.notify_keyspace_event(NOTIFY_GENERIC, "persist", key, db.id)
            e.dirty += 1
    return reply


@command("getdel", arity=2, flags="write fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="6.2.0")
def getdel_command(c, argv):
    """GETDEL key
    Returns the string value of a key after deleting the key."""
    key = argv[1]
    val = _get_generic(c, key)
    if val is None:
        return None
    db = c.db
    e = c.engine
    if db.delete(key):
        lazy = e.config.lazyfree_lazy_user_del
        c.rewrite_argv = [b"UNLINK" if lazy else b"DEL", key]
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
        e.dirty += 1
    return val


@command("getset", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def getset_command(c, argv):
    """GETSET key value
    Returns the previous string value of a key after setting it to a new value."""
    key = argv[1]
    old = _get_generic(c, key)
    e = c.engine
    store_string(c, key, e.new_object(OBJ_STRING, None, argv[2]))
    e.notify_keyspace_event(NOTIFY_STRING, "set", key, c.db.id)
    e.dirty += 1
    c.rewrite_argv = [b"SET", *argv[1:]]
    return old


@command("mget", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="string",
         complexity="O(N) where N is the number of keys to retrieve.", since="1.0.0",
         tips="request_policy:multi_shard")
def mget_command(c, argv):
    """MGET key [key ...]
    Atomically returns the string values of one or more keys."""
    lookup = c.db.lookup
    out = []
    for key in argv[1:]:
        o = lookup(key)
        out.append(o.val if o is not None and o.type == OBJ_STRING else None)
    return out


def _mset_generic(c, argv, nx: bool):
    if len(argv) % 2 == 0:
        raise ReplyError(errors.WRONG_ARITY.format(c.cmd_name))
    db = c.db
    e = c.engine
    if nx:
        for j in range(1, len(argv), 2):
            if db.lookup(argv[j], LOOKUP_WRITE) is not None:
                return 0
    for j in range(1, len(argv), 2):
        key = argv[j]
        store_string(c, key, e.new_object(OBJ_STRING, None, argv[j + 1]))
        e.notify_keyspace_event(NOTIFY_STRING, "set", key, db.id)
    e.dirty += (len(argv) - 1) // 2
    return 1 if nx else OK


@command("mset", arity=-3, flags="write denyoom", keys=(1, -1, 2), group="string",
         complexity="O(N) where N is the number of keys to set.", since="1.0.1",
         tips="request_policy:multi_shard response_policy:all_succeeded")
def mset_command(c, argv):
    """MSET key value [key value ...]
    Atomically creates or modifies the string values of one or more keys."""
    return _mset_generic(c, argv, False)


@command("msetnx", arity=-3, flags="write denyoom", keys=(1, -1, 2), group="string",
         complexity="O(N) where N is the number of keys to set.", since="1.0.1",
         tips="request_policy:multi_shard response_policy:agg_min")
def msetnx_command(c, argv):
    """MSETNX key value [key value ...]
    Atomically modifies the string values of one or more keys only when all keys don't exist."""
    return _mset_generic(c, argv, True)


# --------------------------------------------------------------------------------------
# Counters
# --------------------------------------------------------------------------------------
def _incr_decr(c, key: bytes, incr: int) -> int:
    """``incrDecrCommand``."""
    db = c.db
    o = db.lookup(key, LOOKUP_WRITE)
    if o is None:
        value = 0
    else:
        if o.type != OBJ_STRING:
            raise ReplyError(errors.WRONGTYPE)
        v = o.val
        # string2ll, fast: int() then a round trip (rejects " 1", "+1", "01", "1_0", "-0")
        if len(v) > 20:
            raise ReplyError(errors.NOT_INTEGER)
        try:
            value = int(v)
        except ValueError:
            raise ReplyError(errors.NOT_INTEGER) from None
        if b"%d" % value != v or value > LLONG_MAX or value < LLONG_MIN:
            raise ReplyError(errors.NOT_INTEGER)
    value += incr
    if value > LLONG_MAX or value < LLONG_MIN:
        raise ReplyError(errors.OVERFLOW)
    e = c.engine
    if o is None:
        db.add(key, e.new_object(OBJ_STRING, None, b"%d" % value))
    else:
        # A fresh integer value (int encoding); the TTL and the LRU/LFU field stay.
        o.val = b"%d" % value
        o.enc = None
    db.signal_modified(key)
    if e.notify_flags:
        e.notify_keyspace_event(NOTIFY_STRING, "incrby", key, db.id)
    e.dirty += 1
    return value


@command("incr", arity=2, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def incr_command(c, argv):
    """INCR key
    Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."""
    return _incr_decr(c, argv[1], 1)


@command("decr", arity=2, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def decr_command(c, argv):
    """DECR key
    Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."""
    return _incr_decr(c, argv[1], -1)


@command("incrby", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def incrby_command(c, argv):
    """INCRBY key increment
    Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."""
    incr = string2ll(argv[2])
    if incr is None:
        raise ReplyError(errors.NOT_INTEGER)
    return _incr_decr(c, argv[1], incr)


@command("decrby", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="1.0.0")
def decrby_command(c, argv):
    """DECRBY key decrement
    Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."""
    incr = string2ll(argv[2])
    if incr is None:
        raise ReplyError(errors.NOT_INTEGER)
    if incr == LLONG_MIN:
        raise ReplyError(errors.DECREMENT_OVERFLOW)
    return _incr_decr(c, argv[1], -incr)


@command("incrbyfloat", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="2.6.0")
def incrbyfloat_command(c, argv):
    """INCRBYFLOAT key increment
    Increment the floating point value of a key by a number. Uses 0 as initial value if the key
    doesn't exist."""
    key = argv[1]
    db = c.db
    o = db.lookup(key, LOOKUP_WRITE)
    if o is None:
        value = Fraction(0)
    else:
        if o.type != OBJ_STRING:
            raise ReplyError(errors.WRONGTYPE)
        value = ld_parse(o.val)
        if value is None:
            raise ReplyError(errors.NOT_FLOAT)
    incr = ld_parse(argv[2])
    if incr is None:
        raise ReplyError(errors.NOT_FLOAT)
    if isinstance(value, float) or isinstance(incr, float):
        raise ReplyError(errors.NAN_OR_INF)  # inf + x is inf, inf - inf is NaN
    total = ld_round(value + incr)
    if isinstance(total, float):
        raise ReplyError(errors.NAN_OR_INF)
    new = ld_format(total)
    e = c.engine
    # createStringObject, not tryObjectEncoding: "3" is embstr here, not int.
    obj = e.new_object(OBJ_STRING, "embstr" if len(new) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT else "raw",
                       new)
    if o is None:
        db.add(key, obj)
    else:
        db.overwrite(key, obj)
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_STRING, "incrbyfloat", key, db.id)
    e.dirty += 1
    # Replicated as SET with the final value, keeping the TTL.
    c.rewrite_argv = [b"SET", key, new, b"KEEPTTL"]
    return new


# --------------------------------------------------------------------------------------
# APPEND, STRLEN, GETRANGE, SETRANGE
# --------------------------------------------------------------------------------------
def check_string_length(c, size: int, append: int) -> None:
    """``checkStringLength``: the result may not exceed proto-max-bulk-len."""
    if size + append > c.engine.config.proto_max_bulk_len:
        raise ReplyError(errors.STRING_TOO_LONG)


@command("append", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         complexity="O(1). The amortized time complexity is O(1) assuming the appended value "
                    "is small and the already present value is of any size, since the dynamic "
                    "string library used by Redis will double the free space available on "
                    "every reallocation.", since="2.0.0")
def append_command(c, argv):
    """APPEND key value
    Appends a string to the value of a key. Creates the key if it doesn't exist."""
    key = argv[1]
    db = c.db
    e = c.engine
    o = db.lookup(key, LOOKUP_WRITE)
    if o is None:
        db.add(key, e.new_object(OBJ_STRING, None, argv[2]))
        totlen = len(argv[2])
    else:
        if o.type != OBJ_STRING:
            raise ReplyError(errors.WRONGTYPE)
        check_string_length(c, len(o.val), len(argv[2]))
        o.val = o.val + argv[2]
        o.enc = "raw"
        totlen = len(o.val)
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_STRING, "append", key, db.id)
    e.dirty += 1
    return totlen


@command("strlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string",
         complexity="O(1)", since="2.2.0")
def strlen_command(c, argv):
    """STRLEN key
    Returns the length of a string value."""
    o = c.db.lookup_read(argv[1], OBJ_STRING)
    return 0 if o is None else len(o.val)


def _getrange(c, argv):
    start = string2ll(argv[2])
    if start is None:
        raise ReplyError(errors.NOT_INTEGER)
    end = string2ll(argv[3])
    if end is None:
        raise ReplyError(errors.NOT_INTEGER)
    o = c.db.lookup_read(argv[1], OBJ_STRING)
    if o is None:
        return b""
    s = o.val
    n = len(s)
    if start < 0 and end < 0 and start > end:
        return b""
    if start < 0:
        start += n
    if end < 0:
        end += n
    start = max(start, 0)
    end = max(end, 0)
    if end >= n:
        end = n - 1
    if start > end or n == 0:
        return b""
    return s[start:end + 1]


@command("getrange", arity=4, flags="readonly", keys=(1, 1, 1), group="string",
         complexity="O(N) where N is the length of the returned string. The complexity is "
                    "ultimately determined by the returned length, but because creating a "
                    "substring from an existing string is very cheap, it can be considered "
                    "O(1) for small strings.", since="2.4.0")
def getrange_command(c, argv):
    """GETRANGE key start end
    Returns a substring of the string stored at a key."""
    return _getrange(c, argv)


@command("substr", arity=4, flags="readonly", keys=(1, 1, 1), group="string",
         complexity="O(N) where N is the length of the returned string. The complexity is "
                    "ultimately determined by the returned length, but because creating a "
                    "substring from an existing string is very cheap, it can be considered "
                    "O(1) for small strings.", since="1.0.0")
def substr_command(c, argv):
    """SUBSTR key start end
    Returns a substring from a string value."""
    return _getrange(c, argv)


@command("setrange", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string",
         complexity="O(1), not counting the time taken to copy the new string in place. "
                    "Usually, this string is very small so the amortized complexity is O(1). "
                    "Otherwise, complexity is O(M) with M being the length of the value "
                    "argument.", since="2.2.0")
def setrange_command(c, argv):
    """SETRANGE key offset value
    Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist."""
    offset = string2ll(argv[2])
    if offset is None:
        raise ReplyError(errors.NOT_INTEGER)
    if offset < 0:
        raise ReplyError(errors.OFFSET_OUT_OF_RANGE)
    key = argv[1]
    value = argv[3]
    vlen = len(value)
    db = c.db
    e = c.engine
    o = db.lookup(key, LOOKUP_WRITE)
    if o is None:
        if vlen == 0:
            return 0
        check_string_length(c, offset, vlen)
        o = e.new_object(OBJ_STRING, "raw", bytes(offset) + value)
        db.add(key, o)
    else:
        if o.type != OBJ_STRING:
            raise ReplyError(errors.WRONGTYPE)
        olen = len(o.val)
        if vlen == 0:
            return olen
        check_string_length(c, offset, vlen)
        s = o.val
        if olen < offset:
            s = s + bytes(offset - olen)
        o.val = s[:offset] + value + s[offset + vlen:]
        o.enc = "raw"
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_STRING, "setrange", key, db.id)
    e.dirty += 1
    return len(o.val)


# --------------------------------------------------------------------------------------
# LCS
# --------------------------------------------------------------------------------------
class _LcsTable:
    """The LCS length table ``LCS(i, j)`` of Redis's dynamic programming, computed row by
    row with the bit-parallel recurrence (each row is an int of ``len(b)`` bits whose
    zero bits below ``j`` count ``LCS(i, j)``)."""

    __slots__ = ("blen", "rows")

    def __init__(self, a: bytes, b: bytes, keep_rows: bool):
        blen = len(b)
        self.blen = blen
        full = (1 << blen) - 1
        masks: dict[int, int] = {}
        for j, ch in enumerate(b):
            masks[ch] = masks.get(ch, 0) | (1 << j)
        v = full
        rows = [v] if keep_rows else None
        for ch in a:
            u = v & masks.get(ch, 0)
            v = ((v + u) | (v - u)) & full
            if rows is not None:
                rows.append(v)
        self.rows = rows if rows is not None else [v]

    def length(self) -> int:
        return self.blen - self.rows[-1].bit_count()

    def at(self, i: int, j: int) -> int:
        return j - (self.rows[i] & ((1 << j) - 1)).bit_count()


@command("lcs", arity=-3, flags="readonly", keys=(1, 2, 1), group="string",
         complexity="O(N*M) where N and M are the lengths of s1 and s2, respectively",
         since="7.0.0")
def lcs_command(c, argv):
    """LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
    Finds the longest common substring."""
    db = c.db
    oa = db.lookup(argv[1])
    ob = db.lookup(argv[2])
    if (oa is not None and oa.type != OBJ_STRING) or (ob is not None and ob.type != OBJ_STRING):
        raise ReplyError(errors.LCS_NOT_STRINGS)
    a = oa.val if oa is not None else b""
    b = ob.val if ob is not None else b""
    getlen = getidx = withmatchlen = False
    minmatchlen = 0
    j = 3
    n = len(argv)
    while j < n:
        opt = copt(argv[j])
        moreargs = n - 1 - j
        if opt == b"idx":
            getidx = True
        elif opt == b"len":
            getlen = True
        elif opt == b"withmatchlen":
            withmatchlen = True
        elif opt == b"minmatchlen" and moreargs:
            v = string2ll(argv[j + 1])
            if v is None:
                raise ReplyError(errors.NOT_INTEGER)
            minmatchlen = max(v, 0)
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    if getidx and getlen:
        raise ReplyError(errors.LCS_IDX_AND_LEN)
    alen, blen = len(a), len(b)
    if alen >= _UINT32_MAX - 1 or blen >= _UINT32_MAX - 1:
        raise ReplyError(errors.LCS_TOO_LONG)
    if (alen + 1) * (blen + 1) * 4 > c.engine.config.proto_max_bulk_len:
        raise ReplyError(errors.LCS_MEMORY)
    computelcs = getidx or not getlen
    table = _LcsTable(a, b, computelcs)
    total = table.length()
    if not computelcs:
        return total
    result = bytearray(total)
    idx = total
    matches = []
    arange_start = alen  # alen: no range open
    arange_end = brange_start = brange_end = 0
    i, j = alen, blen
    while i > 0 and j > 0:
        emit = False
        if a[i - 1] == b[j - 1]:
            result[idx - 1] = a[i - 1]
            if arange_start == alen:
                arange_start = arange_end = i - 1
                brange_start = brange_end = j - 1
            elif arange_start == i and brange_start == j:
                arange_start -= 1
                brange_start -= 1
            else:
                emit = True
            if arange_start == 0 or brange_start == 0:
                emit = True
            idx -= 1
            i -= 1
            j -= 1
        else:
            if table.at(i - 1, j) > table.at(i, j - 1):
                i -= 1
            else:
                j -= 1
            if arange_start != alen:
                emit = True
        match_len = arange_end - arange_start + 1
        if emit:
            if getidx and (minmatchlen == 0 or match_len >= minmatchlen):
                m = [[arange_start, arange_end], [brange_start, brange_end]]
                if withmatchlen:
                    m.append(match_len)
                matches.append(m)
            arange_start = alen
    if getidx:
        return {b"matches": matches, b"len": total}
    return bytes(result)
