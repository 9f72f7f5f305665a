"""Sorted-set commands (``t_zset.c``).

Value
-----
A zset is ``RObj("zset", "listpack" | "skiplist", ZSetValue)``. ``ZSetValue`` keeps a dict
member -> score (O(1) ZSCORE) and a ``sortedcontainers.SortedList`` of ``(score, member)``
tuples, ordered by score and then by member bytes (memcmp order, as Redis's skiplist and
listpack are), for O(log n) rank, range and pop operations.

Encodings are modelled, one way, at 7.0's thresholds (``zset-max-listpack-entries`` /
``-value``): a new zset is a listpack when it has at most ``entries`` members and none is
longer than ``value`` bytes; inserting a *new* member into a listpack converts it when the
count would exceed ``entries`` or the member exceeds ``value``. A listpack stores integral
scores as integers, which has one visible effect: ``-0`` stored in a listpack reads back as
``0`` [measured], so scores written into a listpack-encoded zset are normalised
(``score + 0.0``); a skiplist keeps ``-0``. ZSCAN on a listpack returns each score as the
listpack holds it (``d2string``: integers up to 2^62 printed as integers), on a skiplist
as ``%.17g``.

Argument order
--------------
Every handler parses and validates in Redis's order (ZADD options, then all scores, then
the lookup; ZRANGE options, range, lookup; ZUNION & co. look their keys up and type-check
them *before* parsing WEIGHTS/AGGREGATE; ZRANDMEMBER parses its count before the lookup),
so a failed command never changes the keyspace. Score bounds follow ``zslParseRange``
(plain ``strtod``: leading spaces and an empty string are accepted, ``1e999`` is ``inf``),
scores and weights ``getDoubleFromObject`` (strict: no spaces, overflow and underflow to
zero rejected).

Lex ranges
----------
Redis assumes equal scores for BYLEX. With equal scores ranges are found by bisection. With
mixed scores the result is the one a listpack gives (a linear walk from the head, or from
the tail for the reverse forms); a real skiplist's answer then depends on its random node
levels, so it cannot be reproduced exactly (documented deviation).

Blocking commands (BZPOPMIN, BZPOPMAX, BZMPOP)
----------------------------------------------
The timeout is validated exactly like ``getTimeoutFromObjectOrReply`` (shared with the
list family: ``lists.parse_timeout_ms``). When a key holds data the command is served like
its non-blocking form and propagated as ZPOPMIN/ZPOPMAX. Otherwise the handler returns
``would_block(c, request)``: the one "would block" branch. A client that may not block
(inside MULTI/EXEC, in-process clients) gets a null array at once, as Redis answers inside
MULTI; any other is parked through ``blocking.block_for_keys``.
"""

from __future__ import annotations

import math

from sortedcontainers import SortedList

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_ZSET
from .errors import ReplyError
from .lists import parse_timeout_ms
from .objects import OBJ_SET, OBJ_ZSET
from .reply import NULL_ARRAY, format_double
from .scan import parse_scan_cursor, scan_container
from .server import register_type_check
from .util import LLONG_MAX, LLONG_MIN, string2d, string2ll, stringmatch, strtod

__all__ = ["ZBlockRequest", "ZSetValue", "would_block"]

_INF = float("inf")
_NINF = float("-inf")
_nextafter = math.nextafter
_isnan = math.isnan


class ZSetValue:
    """The payload of a sorted set: ``dict`` member -> score and ``sl``, a ``SortedList``
    of ``(score, member)``. Both always hold the same pairs (checked by ``_check_zset``).

    >>> z = ZSetValue([(b"b", 2.0), (b"a", 1.0)])
    >>> list(z.items()), z.rank(b"b"), len(z)
    ([(b'a', 1.0), (b'b', 2.0)], 1, 2)
    """

    __slots__ = ("dict", "sl")

    def __init__(self, pairs=()):
        d = self.dict = {}
        for m, s in pairs:
            d[m] = s
        self.sl = SortedList([(s, m) for m, s in d.items()])

    def __len__(self) -> int:
        return len(self.dict)

    def __contains__(self, member) -> bool:
        return member in self.dict

    def __iter__(self):
        """Members in order (score, then member)."""
        return (m for _, m in self.sl)

    def __repr__(self) -> str:
        return f"ZSetValue({list(self.items())!r})"

    def items(self):
        """``(member, score)`` pairs in order."""
        return ((m, s) for s, m in self.sl)

    def score(self, member: bytes) -> float | None:
        return self.dict.get(member)

    def rank(self, member: bytes) -> int | None:
        """0-based rank in ascending order, or None. O(log n)."""
        s = self.dict.get(member)
        if s is None:
            return None
        return self.sl.bisect_left((s, member))

    def insert(self, member: bytes, score: float) -> None:
        """Add a member that is not present."""
        self.dict[member] = score
        self.sl.add((score, member))

    def update(self, member: bytes, old: float, new: float) -> None:
        """Change the score of a present member from ``old`` to ``new``."""
        sl = self.sl
        sl.remove((old, member))
        sl.add((new, member))
        self.dict[member] = new

    def discard(self, member: bytes) -> bool:
        s = self.dict.pop(member, None)
        if s is None:
            return False
        self.sl.remove((s, member))
        return True

    def pop(self, last: bool = False) -> tuple[float, bytes]:
        """Remove and return the lowest (or highest) ``(score, member)``."""
        s, m = self.sl.pop(-1 if last else 0)
        del self.dict[m]
        return s, m

    def delete_range(self, lo: int, hi: int) -> int:
        """Remove ranks ``lo`` .. ``hi - 1``; the number removed."""
        if lo >= hi:
            return 0
        sl = self.sl
        d = self.dict
        for _, m in sl.islice(lo, hi):
            del d[m]
        del sl[lo:hi]
        return hi - lo

    def copy(self) -> ZSetValue:
        new = ZSetValue.__new__(ZSetValue)
        new.dict = dict(self.dict)
        new.sl = self.sl.copy()
        return new


def _check_zset(engine, o) -> None:
    """Invariant: dict and SortedList agree, no NaN, non-empty, encoding consistent."""
    v = o.val
    assert isinstance(v, ZSetValue), o
    assert o.enc in ("listpack", "skiplist"), o.enc
    assert len(v.dict) == len(v.sl) > 0, o
    prev = None
    for s, m in v.sl:
        assert isinstance(m, bytes)
        assert not _isnan(s), "NaN score"
        d = v.dict[m]
        assert d == s and math.copysign(1.0, d) == math.copysign(1.0, s), (m, d, s)
        if prev is not None:
            assert prev < (s, m)
        prev = (s, m)
        if o.enc == "listpack":
            assert math.copysign(1.0, s) > 0 or s != 0, "listpack holds -0"
    cfg = engine.config
    if o.enc == "listpack" and cfg.zset_max_listpack_entries >= 128 and \
            cfg.zset_max_listpack_value >= 64:
        # Holds unless the thresholds were lowered after the value was built.
        assert len(v) <= cfg.zset_max_listpack_entries, len(v)
        assert max(len(m) for m in v.dict) <= cfg.zset_max_listpack_value


register_type_check(OBJ_ZSET, _check_zset)


# -- helpers ------------------------------------------------------------------------------
def _new_zset(c, pairs, n: int, maxlen: int):
    """A fresh zset object holding ``pairs`` ((member, score), members unique), encoded as
    a value built by inserting them one by one would be (canonical)."""
    cfg = c.engine.config
    if n <= cfg.zset_max_listpack_entries and maxlen <= cfg.zset_max_listpack_value:
        zv = ZSetValue([(m, s + 0.0) for m, s in pairs])
        return c.engine.new_object(OBJ_ZSET, "listpack", zv)
    return c.engine.new_object(OBJ_ZSET, "skiplist", ZSetValue(pairs))


def _store_result(c, dst: bytes, pairs, event: str) -> int:
    """Store a computed zset at ``dst`` (setKey + event), or delete ``dst`` when empty."""
    e = c.engine
    db = c.db
    if pairs:
        maxlen = max(len(m) for m, _ in pairs)
        obj = _new_zset(c, pairs, len(pairs), maxlen)
        db.set_key(dst, obj)
        e.notify_keyspace_event(NOTIFY_ZSET, event, dst, db.id)
        e.dirty += 1
        return len(pairs)
    if db.delete(dst):
        db.signal_modified(dst)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", dst, db.id)
        e.dirty += 1
    return 0


def _getdouble(arg: bytes, msg: str = errors.NOT_FLOAT) -> float:
    """``getDoubleFromObject`` (``util.string2d``) or the error reply ``msg``."""
    v = string2d(arg)
    if v is None:
        raise ReplyError(msg)
    return v


def _getlong(arg: bytes) -> int:
    v = string2ll(arg)
    if v is None:
        raise ReplyError(errors.NOT_INTEGER)
    return v


_C_SPACE = b" \t\n\v\f\r"


def _strtod_bound(s: bytes) -> float | None:
    """``strtod(s, &end)`` with ``*end == '\\0'`` required, NaN rejected (zslParseRange)."""
    i = s.find(b"\0")
    if i >= 0:
        s = s[:i]
    if not s:
        return 0.0
    t = s.lstrip(_C_SPACE)
    if not t:
        return None
    return strtod(t)  # zslParseRange ignores ERANGE: 1e999 is +inf


def _parse_score_range(amin: bytes, amax: bytes):
    """``zslParseRange``: (min, minex, max, maxex) or ``ERR min or max is not a float``."""
    minex = amin[:1] == b"("
    maxex = amax[:1] == b"("
    mn = _strtod_bound(amin[1:] if minex else amin)
    mx = _strtod_bound(amax[1:] if maxex else amax)
    if mn is None or mx is None:
        raise ReplyError(errors.MIN_MAX_NOT_FLOAT)
    return mn, minex, mx, maxex


def _score_bounds(sl: SortedList, rng) -> tuple[int, int]:
    """Ranks ``[lo, hi)`` of the elements inside a score range. O(log n)."""
    mn, minex, mx, maxex = rng
    n = len(sl)
    if minex:
        lo = n if mn == _INF else sl.bisect_left((_nextafter(mn, _INF), b""))
    else:
        lo = sl.bisect_left((mn, b""))
    if maxex:
        hi = sl.bisect_left((mx, b""))
    else:
        hi = n if mx == _INF else sl.bisect_left((_nextafter(mx, _INF), b""))
    return lo, hi


# A lex bound is (kind, value, exclusive): kind -1 is "-" (below everything), +1 is "+"
# (above everything), 0 a string.
def _lex_item(arg: bytes):
    c0 = arg[:1]
    if c0 == b"+" or c0 == b"-":
        if len(arg) > 1 and arg[1] != 0:
            return None
        return (1 if c0 == b"+" else -1), b"", True
    if c0 == b"(":
        return 0, arg[1:], True
    if c0 == b"[":
        return 0, arg[1:], False
    return None


def _parse_lex_range(amin: bytes, amax: bytes):
    lo = _lex_item(amin)
    hi = _lex_item(amax)
    if lo is None or hi is None:
        raise ReplyError(errors.MIN_MAX_NOT_STRING)
    return lo, hi


def _lex_cmp(a, b) -> int:
    if a[0] or b[0]:
        return (a[0] > b[0]) - (a[0] < b[0])
    return (a[1] > b[1]) - (a[1] < b[1])


def _gte_min(m: bytes, lo) -> bool:
    k = lo[0]
    if k:
        return k < 0
    return m > lo[1] if lo[2] else m >= lo[1]


def _lte_max(m: bytes, hi) -> bool:
    k = hi[0]
    if k:
        return k > 0
    return m < hi[1] if hi[2] else m <= hi[1]


def _lex_block(sl: SortedList, rng, reverse: bool = False) -> tuple[int, int]:
    """Ranks ``[lo, hi)`` of a lex range, as a listpack walk finds them (forward from the
    first element >= min, or backward from the last element <= max)."""
    lo, hi = rng
    n = len(sl)
    cmp = _lex_cmp(lo, hi)
    if not n or cmp > 0 or (cmp == 0 and (lo[2] or hi[2])):
        return 0, 0
    s0 = sl[0][0]
    if s0 == sl[-1][0]:  # one score: ordered by member, bisect
        if lo[0]:
            a = 0 if lo[0] < 0 else n
        else:
            a = sl.bisect_right((s0, lo[1])) if lo[2] else sl.bisect_left((s0, lo[1]))
        if hi[0]:
            b = n if hi[0] > 0 else 0
        else:
            b = sl.bisect_left((s0, hi[1])) if hi[2] else sl.bisect_right((s0, hi[1]))
        return (a, b) if a < b else (0, 0)
    if not _gte_min(sl[-1][1], lo) or not _lte_max(sl[0][1], hi):
        return 0, 0
    if not reverse:
        i = 0
        while i < n and not _gte_min(sl[i][1], lo):
            i += 1
        j = i
        while j < n and _lte_max(sl[j][1], hi):
            j += 1
        return i, j
    j = n - 1
    while j >= 0 and not _lte_max(sl[j][1], hi):
        j -= 1
    i = j
    while i >= 0 and _gte_min(sl[i][1], lo):
        i -= 1
    return i + 1, j + 1


def _d2string(d: float) -> bytes:
    """How a listpack holds a score (``d2string``): integers within ±2^62 as integers."""
    if d == _INF:
        return b"inf"
    if d == _NINF:
        return b"-inf"
    if -4611686018427387904.0 <= d <= 4611686018427387904.0 and d == int(d):
        return b"%d" % int(d)
    return b"%.17g" % d


def _pairs_reply(c, it, withscores: bool) -> list:
    """Members from ``(score, member)`` pairs; with scores flat (RESP2) or as pairs."""
    if not withscores:
        return [m for _, m in it]
    if c.resp == 2:
        out = []
        ap = out.append
        for s, m in it:
            ap(m)
            ap(s)
        return out
    return [[m, s] for s, m in it]


def _zset_or_wrongtype(o):
    if o is not None and o.type != OBJ_ZSET:
        raise ReplyError(errors.WRONGTYPE)
    return o


# -- ZADD / ZINCRBY -----------------------------------------------------------------------
def _zadd_generic(c, argv, incr: bool):
    n = len(argv)
    nx = xx = gt = lt = ch = False
    i = 2
    if not incr:
        while i < n:
            a = argv[i]
            if len(a) > 4 or a[:1] not in b"nNxXcCiIgGlL":  # not an option: the first score
                break
            a = a.lower()
            if a == b"nx":
                nx = True
            elif a == b"xx":
                xx = True
            elif a == b"ch":
                ch = True
            elif a == b"incr":
                incr = True
            elif a == b"gt":
                gt = True
            elif a == b"lt":
                lt = True
            else:
                break
            i += 1
    elements = n - i
    if elements % 2 or not elements:
        raise ReplyError(errors.SYNTAX)
    if nx and xx:
        raise ReplyError(errors.ZADD_XX_NX)
    if (gt and nx) or (lt and nx) or (gt and lt):
        raise ReplyError(errors.ZADD_GT_LT_NX)
    if incr and elements > 2:
        raise ReplyError(errors.ZADD_INCR_PAIR)
    scores = [float(a) if a.isdigit() and len(a) < 300 else _getdouble(a)
              for a in argv[i:n:2]]
    key = argv[1]
    db = c.db
    e = c.engine
    obj = db.lookup_write(key)
    if obj is None:
        if xx:
            return None if incr else 0
        cfg = e.config
        if cfg.zset_max_listpack_entries == 0 or cfg.zset_max_listpack_value < len(argv[i + 1]):
            obj = e.new_object(OBJ_ZSET, "skiplist", ZSetValue())
        else:
            obj = e.new_object(OBJ_ZSET, "listpack", ZSetValue())
        db.add(key, obj)
    elif obj.type != OBJ_ZSET:
        raise ReplyError(errors.WRONGTYPE)
    zv = obj.val
    d = zv.dict
    sl = zv.sl
    added = updated = processed = 0
    newscore = None
    j = i + 1
    for score in scores:
        member = argv[j]
        j += 2
        cur = d.get(member)
        if cur is not None:
            if nx:
                continue
            if incr:
                score += cur
                if _isnan(score):
                    raise ReplyError(errors.ZSCORE_NAN)
            if (lt and score >= cur) or (gt and score <= cur):
                continue
            processed += 1
            newscore = score
            if score != cur:
                if obj.enc == "listpack":
                    score += 0.0
                sl.remove((cur, member))
                sl.add((score, member))
                d[member] = score
                updated += 1
        elif not xx:
            if obj.enc == "listpack":
                cfg = e.config
                if len(d) + 1 > cfg.zset_max_listpack_entries or \
                        len(member) > cfg.zset_max_listpack_value:
                    obj.enc = "skiplist"
                    d[member] = score
                    sl.add((score, member))
                else:
                    s = score + 0.0
                    d[member] = s
                    sl.add((s, member))
            else:
                d[member] = score
                sl.add((score, member))
            newscore = score
            added += 1
            processed += 1
    if added or updated:
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_ZSET, "zincr" if incr else "zadd", key, db.id)
        e.dirty += added + updated
    if incr:
        return newscore if processed else None
    return added + updated if ch else added


@command("zadd", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)) for each item added, where N is the number of elements in the "
                    "sorted set.", since="1.2.0", acl="@sortedset")
def zadd_command(c, argv):
    """ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
    Add one or more members to a sorted set, or update its score if it already exists"""
    return _zadd_generic(c, argv, False)


@command("zincrby", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)) where N is the number of elements in the sorted set.",
         since="1.2.0", acl="@sortedset")
def zincrby_command(c, argv):
    """ZINCRBY key increment member
    Increment the score of a member in a sorted set"""
    return _zadd_generic(c, argv, True)


# -- ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK --------------------------------------------------
def _after_removal(c, key: bytes, obj, deleted: int, event: str) -> None:
    """Delete an emptied key, then signal/notify/dirty as ZREM and ZREMRANGE* do."""
    db = c.db
    e = c.engine
    if not deleted:
        return
    emptied = not obj.val.dict
    if emptied:
        db.delete(key)
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_ZSET, event, key, db.id)
    if emptied:
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    e.dirty += deleted


@command("zrem", arity=-3, flags="write fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(M*log(N)) with N being the number of elements in the sorted set and M "
                    "the number of elements to be removed.", since="1.2.0", acl="@sortedset")
def zrem_command(c, argv):
    """ZREM key member [member ...]
    Remove one or more members from a sorted set"""
    key = argv[1]
    obj = _zset_or_wrongtype(c.db.lookup_write(key))
    if obj is None:
        return 0
    zv = obj.val
    deleted = 0
    for m in argv[2:]:
        if zv.discard(m):
            deleted += 1
            if not zv.dict:
                break
    _after_removal(c, key, obj, deleted, "zrem")
    return deleted


@command("zcard", arity=2, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(1)", since="1.2.0", acl="@sortedset")
def zcard_command(c, argv):
    """ZCARD key
    Get the number of members in a sorted set"""
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    return 0 if obj is None else len(obj.val.dict)


@command("zscore", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(1)", since="1.2.0", acl="@sortedset")
def zscore_command(c, argv):
    """ZSCORE key member
    Get the score associated with the given member in a sorted set"""
    obj = c.db.lookup_read(argv[1])
    if obj is None:
        return None
    if obj.type != OBJ_ZSET:
        raise ReplyError(errors.WRONGTYPE)
    return obj.val.dict.get(argv[2])


@command("zmscore", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(N) where N is the number of members being requested.", since="6.2.0",
         acl="@sortedset")
def zmscore_command(c, argv):
    """ZMSCORE key member [member ...]
    Get the score associated with the given members in a sorted set"""
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return [None] * (len(argv) - 2)
    g = obj.val.dict.get
    return [g(m) for m in argv[2:]]


def _zrank(c, argv, reverse: bool):
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return None
    r = obj.val.rank(argv[2])
    if r is None:
        return None
    return len(obj.val.dict) - 1 - r if reverse else r


@command("zrank", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N))", since="2.0.0", acl="@sortedset")
def zrank_command(c, argv):
    """ZRANK key member
    Determine the index of a member in a sorted set"""
    return _zrank(c, argv, False)


@command("zrevrank", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N))", since="2.0.0", acl="@sortedset")
def zrevrank_command(c, argv):
    """ZREVRANK key member
    Determine the index of a member in a sorted set, with scores ordered from high to low"""
    return _zrank(c, argv, True)


# -- ZCOUNT, ZLEXCOUNT --------------------------------------------------------------------
@command("zcount", arity=4, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)) with N being the number of elements in the sorted set.",
         since="2.0.0", acl="@sortedset")
def zcount_command(c, argv):
    """ZCOUNT key min max
    Count the members in a sorted set with scores within the given values"""
    rng = _parse_score_range(argv[2], argv[3])
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return 0
    lo, hi = _score_bounds(obj.val.sl, rng)
    return hi - lo if hi > lo else 0


@command("zlexcount", arity=4, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)) with N being the number of elements in the sorted set.",
         since="2.8.9", acl="@sortedset")
def zlexcount_command(c, argv):
    """ZLEXCOUNT key min max
    Count the number of members in a sorted set between a given lexicographical range"""
    rng = _parse_lex_range(argv[2], argv[3])
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return 0
    lo, hi = _lex_block(obj.val.sl, rng)
    return hi - lo


# -- ZRANGE family ------------------------------------------------------------------------
_RANK, _SCORE, _LEX = 1, 2, 3


def _zrange_generic(c, argv, ki: int, store: bool, rangetype: int, reverse: bool | None):
    """``zrangeGenericCommand``: ``argv[ki]`` is the source key, ``ki+1``/``ki+2`` the
    range; ``rangetype``/``reverse`` None when the options may choose them (ZRANGE,
    ZRANGESTORE)."""
    n = len(argv)
    withscores = False
    offset = 0
    limit = -1
    j = ki + 3
    while j < n:
        a = argv[j].lower()
        if not store and a == b"withscores":
            withscores = True
        elif a == b"limit" and n - j - 1 >= 2:
            offset = _getlong(argv[j + 1])
            limit = _getlong(argv[j + 2])
            j += 2
        elif reverse is None and a == b"rev":
            reverse = True
        elif rangetype is None and a == b"bylex":
            rangetype = _LEX
        elif rangetype is None and a == b"byscore":
            rangetype = _SCORE
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    if reverse is None:
        reverse = False
    if rangetype is None:
        rangetype = _RANK
    if limit != -1 and rangetype == _RANK:
        raise ReplyError(errors.ZRANGE_LIMIT_RANK)
    if withscores and rangetype == _LEX:
        raise ReplyError(errors.ZRANGE_WITHSCORES_BYLEX)
    amin = argv[ki + 1]
    amax = argv[ki + 2]
    if reverse and rangetype != _RANK:
        amin, amax = amax, amin
    if rangetype == _RANK:
        start = _getlong(amin)
        end = _getlong(amax)
    elif rangetype == _SCORE:
        rng = _parse_score_range(amin, amax)
    else:
        rng = _parse_lex_range(amin, amax)
    obj = c.db.lookup_read(argv[ki])
    if obj is None:
        if store:
            return _store_result(c, argv[1], [], "zrangestore")
        return []
    if obj.type != OBJ_ZSET:
        raise ReplyError(errors.WRONGTYPE)
    sl = obj.val.sl
    llen = len(sl)
    if rangetype == _RANK:
        if start < 0:
            start += llen
        if end < 0:
            end += llen
        if start < 0:
            start = 0
        if start > end or start >= llen:
            it = ()
        else:
            if end >= llen:
                end = llen - 1
            if reverse:
                it = sl[llen - 1 - end:llen - start][::-1]
            else:
                it = sl[start:end + 1]
    else:
        if rangetype == _SCORE:
            lo, hi = _score_bounds(sl, rng)
        else:
            lo, hi = _lex_block(sl, rng, reverse)
        if offset < 0 or lo >= hi or (offset > 0 and offset >= llen):
            it = ()
        elif reverse:
            top = hi - offset
            bottom = lo if limit < 0 else max(lo, top - limit)
            it = sl[bottom:top][::-1] if top > bottom else ()
        else:
            first = lo + offset
            stop = hi if limit < 0 else min(hi, first + limit)
            it = sl[first:stop] if stop > first else ()
    if store:
        return _store_result(c, argv[1], [(m, s) for s, m in it], "zrangestore")
    return _pairs_reply(c, it, withscores)


@command("zrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)+M) with N being the number of elements in the sorted set and M "
                    "the number of elements returned.", since="1.2.0", acl="@sortedset")
def zrange_command(c, argv):
    """ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
    Return a range of members in a sorted set"""
    if len(argv) <= 5:  # hot path: ZRANGE key start stop [WITHSCORES]
        ws = len(argv) == 5
        if not ws or argv[4].lower() == b"withscores":
            start = string2ll(argv[2])
            end = string2ll(argv[3])
            if start is not None and end is not None:
                obj = c.db.lookup_read(argv[1])
                if obj is None:
                    return []
                if obj.type != OBJ_ZSET:
                    raise ReplyError(errors.WRONGTYPE)
                sl = obj.val.sl
                llen = len(sl)
                if start < 0:
                    start += llen
                if end < 0:
                    end += llen
                if start < 0:
                    start = 0
                if start > end or start >= llen:
                    return []
                return _pairs_reply(c, sl[start:end + 1], ws)
    return _zrange_generic(c, argv, 1, False, None, None)


@command("zrangestore", arity=-5, flags="write denyoom", keys=(1, 2, 1), group="sorted-set",
         complexity="O(log(N)+M) with N being the number of elements in the sorted set and M "
                    "the number of elements stored into the destination key.", since="6.2.0",
         acl="@sortedset")
def zrangestore_command(c, argv):
    """ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
    Store a range of members from sorted set into another key"""
    return _zrange_generic(c, argv, 2, True, None, None)


@command("zrevrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity="O(log(N)+M) with N being the number of elements in the sorted set and M "
                    "the number of elements returned.", since="1.2.0", acl="@sortedset")
def zrevrange_command(c, argv):
    """ZREVRANGE key start stop [WITHSCORES]
    Return a range of members in a sorted set, by index, with scores ordered from high to low"""
    return _zrange_generic(c, argv, 1, False, _RANK, True)


_BY_COMPLEXITY = ("O(log(N)+M) with N being the number of elements in the sorted set and M "
                  "the number of elements being returned. If M is constant (e.g. always asking "
                  "for the first 10 elements with LIMIT), you can consider it O(log(N)).")


@command("zrangebyscore", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity=_BY_COMPLEXITY, since="1.0.5", acl="@sortedset")
def zrangebyscore_command(c, argv):
    """ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
    Return a range of members in a sorted set, by score"""
    return _zrange_generic(c, argv, 1, False, _SCORE, False)


@command("zrevrangebyscore", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity=_BY_COMPLEXITY, since="2.2.0", acl="@sortedset")
def zrevrangebyscore_command(c, argv):
    """ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
    Return a range of members in a sorted set, by score, with scores ordered from high to low"""
    return _zrange_generic(c, argv, 1, False, _SCORE, True)


@command("zrangebylex", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity=_BY_COMPLEXITY, since="2.8.9", acl="@sortedset")
def zrangebylex_command(c, argv):
    """ZRANGEBYLEX key min max [LIMIT offset count]
    Return a range of members in a sorted set, by lexicographical range"""
    return _zrange_generic(c, argv, 1, False, _LEX, False)


@command("zrevrangebylex", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity=_BY_COMPLEXITY, since="2.8.9", acl="@sortedset")
def zrevrangebylex_command(c, argv):
    """ZREVRANGEBYLEX key max min [LIMIT offset count]
    Return a range of members in a sorted set, by lexicographical range, ordered from higher
    to lower strings."""
    return _zrange_generic(c, argv, 1, False, _LEX, True)


# -- ZREMRANGEBY* -------------------------------------------------------------------------
def _zremrange(c, argv, rangetype: int):
    key = argv[1]
    if rangetype == _RANK:
        start = _getlong(argv[2])
        end = _getlong(argv[3])
    elif rangetype == _SCORE:
        rng = _parse_score_range(argv[2], argv[3])
    else:
        rng = _parse_lex_range(argv[2], argv[3])
    obj = _zset_or_wrongtype(c.db.lookup_write(key))
    if obj is None:
        return 0
    zv = obj.val
    if rangetype == _RANK:
        llen = len(zv)
        if start < 0:
            start += llen
        if end < 0:
            end += llen
        if start < 0:
            start = 0
        if start > end or start >= llen:
            return 0
        if end >= llen:
            end = llen - 1
        lo, hi = start, end + 1
        event = "zremrangebyrank"
    elif rangetype == _SCORE:
        lo, hi = _score_bounds(zv.sl, rng)
        event = "zremrangebyscore"
    else:
        lo, hi = _lex_block(zv.sl, rng)
        event = "zremrangebylex"
    deleted = zv.delete_range(lo, hi)
    _after_removal(c, key, obj, deleted, event)
    return deleted


_REM_COMPLEXITY = ("O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements removed by the operation.")


@command("zremrangebyrank", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         complexity=_REM_COMPLEXITY, since="2.0.0", acl="@sortedset")
def zremrangebyrank_command(c, argv):
    """ZREMRANGEBYRANK key start stop
    Remove all members in a sorted set within the given indexes"""
    return _zremrange(c, argv, _RANK)


@command("zremrangebyscore", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         complexity=_REM_COMPLEXITY, since="1.2.0", acl="@sortedset")
def zremrangebyscore_command(c, argv):
    """ZREMRANGEBYSCORE key min max
    Remove all members in a sorted set within the given scores"""
    return _zremrange(c, argv, _SCORE)


@command("zremrangebylex", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         complexity=_REM_COMPLEXITY, since="2.8.9", acl="@sortedset")
def zremrangebylex_command(c, argv):
    """ZREMRANGEBYLEX key min max
    Remove all members in a sorted set between the given lexicographical range"""
    return _zremrange(c, argv, _LEX)


# -- ZPOPMIN / ZPOPMAX / ZMPOP and the blocking forms --------------------------------------
def _zpop_from(c, key: bytes, obj, last: bool, emitkey: bool, count: int, nested: bool):
    """``genericZpopCommand`` once the key is chosen (``obj`` non-empty zset)."""
    if count == 0:
        return []
    if count == -1:
        count = 1
    zv = obj.val
    n = min(count, len(zv))
    popped = [zv.pop(last) for _ in range(n)]
    db = c.db
    e = c.engine
    e.dirty += n
    e.notify_keyspace_event(NOTIFY_ZSET, "zpopmax" if last else "zpopmin", key, db.id)
    db.signal_modified(key)
    if not zv.dict:
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    if nested:
        items = [[m, s] for s, m in popped]
    else:
        items = []
        for s, m in popped:
            items.append(m)
            items.append(s)
    if not emitkey:
        return items
    if nested:
        return [key, items]
    return [key, *items]


def _zpop_keys(c, keys, last: bool, emitkey: bool, count: int, nested: bool, nil_empty: bool):
    obj = None
    key = None
    for key in keys:
        obj = c.db.lookup_write(key)
        if obj is None:
            continue
        if obj.type != OBJ_ZSET:
            raise ReplyError(errors.WRONGTYPE)
        break
    if obj is None:
        return NULL_ARRAY if nil_empty else []
    return _zpop_from(c, key, obj, last, emitkey, count, nested)


def _zpop_command(c, argv, last: bool):
    if len(argv) > 3:
        raise ReplyError(errors.SYNTAX)
    count = -1
    if len(argv) == 3:
        count = string2ll(argv[2])
        if count is None or count < 0:
            raise ReplyError(errors.MUST_BE_POSITIVE)
    nested = c.resp > 2 and count != -1
    return _zpop_keys(c, argv[1:2], last, False, count, nested, False)


_POP_COMPLEXITY = ("O(log(N)*M) with N being the number of elements in the sorted set, and M "
                   "being the number of elements popped.")


@command("zpopmin", arity=-2, flags="write fast", keys=(1, 1, 1), group="sorted-set",
         complexity=_POP_COMPLEXITY, since="5.0.0", acl="@sortedset")
def zpopmin_command(c, argv):
    """ZPOPMIN key [count]
    Remove and return members with the lowest scores in a sorted set"""
    return _zpop_command(c, argv, False)


@command("zpopmax", arity=-2, flags="write fast", keys=(1, 1, 1), group="sorted-set",
         complexity=_POP_COMPLEXITY, since="5.0.0", acl="@sortedset")
def zpopmax_command(c, argv):
    """ZPOPMAX key [count]
    Remove and return members with the highest scores in a sorted set"""
    return _zpop_command(c, argv, True)


def _parse_zmpop(argv, numkeys_idx: int):
    """``zmpopGenericCommand``'s parsing: (keys, last, count)."""
    numkeys = string2ll(argv[numkeys_idx])
    if numkeys is None or numkeys < 1:
        raise ReplyError(errors.NUMKEYS_ZERO)
    where_idx = numkeys_idx + numkeys + 1
    if where_idx >= len(argv):
        raise ReplyError(errors.SYNTAX)
    w = argv[where_idx].lower()
    if w == b"min":
        last = False
    elif w == b"max":
        last = True
    else:
        raise ReplyError(errors.SYNTAX)
    count = -1
    j = where_idx + 1
    n = len(argv)
    while j < n:
        if count == -1 and argv[j].lower() == b"count" and j < n - 1:
            j += 1
            count = string2ll(argv[j])
            if count is None or count < 1:
                raise ReplyError(errors.COUNT_GREATER_THAN_ZERO)
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    if count == -1:
        count = 1
    return argv[numkeys_idx + 1:where_idx], last, count


def _rewrite_pop(c, key: bytes, last: bool, count: int | None) -> None:
    name = b"ZPOPMAX" if last else b"ZPOPMIN"
    c.rewrite_argv = [name, key] if count is None else [name, key, b"%d" % count]


_MPOP_COMPLEXITY = ("O(K) + O(M*log(N)) where K is the number of provided keys, N being the "
                    "number of elements in the sorted set, and M being the number of elements "
                    "popped.")


@command("zmpop", arity=-4, flags="write movablekeys", group="sorted-set",
         complexity=_MPOP_COMPLEXITY, since="7.0.0", acl="@sortedset")
def zmpop_command(c, argv):
    """ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
    Remove and return members with scores in a sorted set"""
    keys, last, count = _parse_zmpop(argv, 1)
    r = _zpop_keys(c, keys, last, True, count, True, True)
    if r is not NULL_ARRAY:
        _rewrite_pop(c, r[0], last, count)
    return r


class ZBlockRequest:
    """What a client would block on: the zset ``keys``, the pop side (``last``), the
    ``count`` (-1: BZPOPMIN/BZPOPMAX's single element), the absolute unix-ms ``timeout``
    (0 = forever) and ``null_reply``, the immediate answer of a client that may not block.
    """

    __slots__ = ("command", "count", "keys", "last", "null_reply", "timeout")

    def __init__(self, command: str, keys, last: bool, timeout: int, count: int = -1):
        self.command = command
        self.keys = list(keys)
        self.last = last
        self.timeout = timeout
        self.count = count
        self.null_reply = NULL_ARRAY

    def __repr__(self) -> str:
        return f"ZBlockRequest({self.command}, keys={self.keys!r}, timeout={self.timeout})"


def would_block(c, req: ZBlockRequest):
    """The single "nothing to pop, would block" branch of BZPOPMIN/BZPOPMAX/BZMPOP.

    A client that may not block (``CLIENT_DENY_BLOCKING``: inside MULTI/EXEC, in-process
    clients) gets a null array at once; any other is parked on ``req.keys``
    (``blocking.block_for_keys``, which returns the ``BLOCKED`` sentinel)."""
    from .blocking import block_for_keys

    return block_for_keys(c, req.keys, req.timeout, req.null_reply)


def _blocking_zpop(c, keys, last: bool, timeout_arg: bytes, count: int, name: str):
    """``blockingGenericZpopCommand`` (BZPOPMIN/BZPOPMAX: count -1; BZMPOP: count >= 1)."""
    t = parse_timeout_ms(timeout_arg)
    timeout = t + c.engine.mstime if t > 0 else 0
    db = c.db
    for key in keys:
        obj = db.lookup_write(key)
        if obj is None:
            continue
        if obj.type != OBJ_ZSET:
            raise ReplyError(errors.WRONGTYPE)
        if count == -1:
            r = _zpop_from(c, key, obj, last, True, -1, False)
            _rewrite_pop(c, key, last, None)
        else:
            r = _zpop_from(c, key, obj, last, True, count, True)
            _rewrite_pop(c, key, last, count)
        return r
    return would_block(c, ZBlockRequest(name, keys, last, timeout, count))


_BPOP_COMPLEXITY = "O(log(N)) with N being the number of elements in the sorted set."


@command("bzpopmin", arity=-3, flags="write noscript blocking fast", keys=(1, -2, 1),
         group="sorted-set", complexity=_BPOP_COMPLEXITY, since="5.0.0",
         acl="@sortedset")
def bzpopmin_command(c, argv):
    """BZPOPMIN key [key ...] timeout
    Remove and return the member with the lowest score from one or more sorted sets, or block
    until one is available"""
    return _blocking_zpop(c, argv[1:-1], False, argv[-1], -1, "bzpopmin")


@command("bzpopmax", arity=-3, flags="write noscript blocking fast", keys=(1, -2, 1),
         group="sorted-set", complexity=_BPOP_COMPLEXITY, since="5.0.0",
         acl="@sortedset")
def bzpopmax_command(c, argv):
    """BZPOPMAX key [key ...] timeout
    Remove and return the member with the highest score from one or more sorted sets, or
    block until one is available"""
    return _blocking_zpop(c, argv[1:-1], True, argv[-1], -1, "bzpopmax")


@command("bzmpop", arity=-5, flags="write blocking movablekeys", group="sorted-set",
         complexity=_MPOP_COMPLEXITY, since="7.0.0", acl="@sortedset")
def bzmpop_command(c, argv):
    """BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
    Remove and return members with scores in a sorted set or block until one is available"""
    keys, last, count = _parse_zmpop(argv, 2)
    return _blocking_zpop(c, keys, last, argv[1], count, "bzmpop")


# -- ZRANDMEMBER --------------------------------------------------------------------------
@command("zrandmember", arity=-2, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity="O(N) where N is the number of elements returned", since="6.2.0",
         acl="@sortedset", tips="nondeterministic_output")
def zrandmember_command(c, argv):
    """ZRANDMEMBER key [count [WITHSCORES]]
    Get one or multiple random elements from a sorted set"""
    n = len(argv)
    rand = c.engine.random
    if n >= 3:
        count = _getlong(argv[2])
        if count == LLONG_MIN:
            raise ReplyError(errors.VALUE_OUT_OF_RANGE_BETWEEN.format(-LLONG_MAX, LLONG_MAX))
        withscores = False
        if n > 4 or (n == 4 and argv[3].lower() != b"withscores"):
            raise ReplyError(errors.SYNTAX)
        if n == 4:
            withscores = True
            if count < -(LLONG_MAX // 2) or count > LLONG_MAX // 2:
                raise ReplyError(errors.VALUE_OUT_OF_RANGE)
        obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
        if obj is None or count == 0:
            return []
        sl = obj.val.sl
        size = len(sl)
        if count < 0 or count == 1:
            k = -count if count < 0 else 1
            picks = [sl[rand.randrange(size)] for _ in range(k)]
        elif count >= size:
            picks = list(reversed(sl))  # the whole set, as ZREVRANGE 0 -1 [measured]
        else:
            picks = [sl[i] for i in rand.sample(range(size), count)]
        return _pairs_reply(c, picks, withscores)
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return None
    sl = obj.val.sl
    return sl[rand.randrange(len(sl))][1]


# -- ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD -----------------------------------------
_UNION, _INTER, _DIFF = 0, 1, 2
_SUM, _MIN, _MAX = 0, 1, 2


def _src_items(o):
    """(member, score) pairs of a zset or set input (set members score 1)."""
    if o.type == OBJ_ZSET:
        return o.val.dict.items()
    return ((m, 1.0) for m in o.val)


def _src_lookup(o):
    """member -> score (or None) for a zset or set input."""
    if o.type == OBJ_ZSET:
        return o.val.dict.get
    v = o.val
    return lambda m: 1.0 if m in v else None


def _zsetop(c, argv, dst: bytes | None, numkeys_idx: int, op: int, card_only: bool = False):
    """``zunionInterDiffGenericCommand``."""
    setnum = _getlong(argv[numkeys_idx])
    if setnum < 1:
        raise ReplyError(errors.ZSETOP_NO_KEYS.format(c.cmd_name))
    n = len(argv)
    if setnum > n - (numkeys_idx + 1):
        raise ReplyError(errors.SYNTAX)
    db = c.db
    lookup = db.lookup_write if dst is not None else db.lookup_read
    srcs = []
    j = numkeys_idx + 1
    for _ in range(setnum):
        o = lookup(argv[j])
        if o is not None and o.type != OBJ_ZSET and o.type != OBJ_SET:
            raise ReplyError(errors.WRONGTYPE)
        srcs.append(o)
        j += 1
    weights = [1.0] * setnum
    aggregate = _SUM
    withscores = False
    limit = 0
    while j < n:
        remaining = n - j
        a = argv[j].lower()
        if op != _DIFF and not card_only and remaining >= setnum + 1 and a == b"weights":
            j += 1
            for i in range(setnum):
                weights[i] = _getdouble(argv[j], errors.WEIGHT_NOT_FLOAT)
                j += 1
        elif op != _DIFF and not card_only and remaining >= 2 and a == b"aggregate":
            g = argv[j + 1].lower()
            if g == b"sum":
                aggregate = _SUM
            elif g == b"min":
                aggregate = _MIN
            elif g == b"max":
                aggregate = _MAX
            else:
                raise ReplyError(errors.SYNTAX)
            j += 2
        elif dst is None and not card_only and a == b"withscores":
            withscores = True
            j += 1
        elif card_only and remaining >= 2 and a == b"limit":
            limit = string2ll(argv[j + 1])
            if limit is None or limit < 0:
                raise ReplyError(errors.LIMIT_NEGATIVE)
            j += 2
        else:
            raise ReplyError(errors.SYNTAX)

    result: dict[bytes, float] = {}
    if op == _DIFF:
        first = srcs[0]
        if first is not None:
            others = [_src_lookup(o) for o in srcs[1:] if o is not None]
            for m, s in _src_items(first):
                for f in others:
                    if f(m) is not None:
                        break
                else:
                    result[m] = s
    else:
        # Inputs from the smallest to the largest (a stable sort, as glibc's qsort is for
        # these sizes): it decides the order in which scores are aggregated.
        order = sorted(range(setnum), key=lambda i: 0 if srcs[i] is None else len(srcs[i].val))
        if op == _UNION:
            for i in order:
                o = srcs[i]
                if o is None:
                    continue
                w = weights[i]
                for m, s in _src_items(o):
                    v = w * s
                    if _isnan(v):
                        v = 0.0
                    cur = result.get(m)
                    if cur is None:
                        result[m] = v
                    else:
                        result[m] = _aggregate(cur, v, aggregate)
        else:
            i0 = order[0]
            o0 = srcs[i0]
            if o0 is not None and len(o0.val):
                rest = []
                for i in order[1:]:
                    rest.append((_src_lookup(srcs[i]), weights[i]))
                w0 = weights[i0]
                count = 0
                for m, s in _src_items(o0):
                    score = w0 * s
                    if _isnan(score):
                        score = 0.0
                    for f, w in rest:
                        v = f(m)
                        if v is None:
                            break
                        score = _aggregate(score, v * w, aggregate)
                    else:
                        if card_only:
                            count += 1
                            if limit and count >= limit:
                                break
                        else:
                            result[m] = score
                if card_only:
                    return count
            elif card_only:
                return 0
    if dst is not None:
        event = ("zunionstore", "zinterstore", "zdiffstore")[op]
        return _store_result(c, dst, list(result.items()), event)
    ordered = sorted((s, m) for m, s in result.items())
    return _pairs_reply(c, ordered, withscores)


def _aggregate(target: float, val: float, aggregate: int) -> float:
    """``zunionInterAggregate`` (C comparisons: a NaN ``val`` never wins MIN/MAX)."""
    if aggregate == _SUM:
        r = target + val
        return 0.0 if _isnan(r) else r
    if aggregate == _MIN:
        return val if val < target else target
    return val if val > target else target


_UNION_COMPLEXITY = ("O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted "
                     "sets, and M being the number of elements in the resulting sorted set.")
_INTER_COMPLEXITY = ("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, "
                     "K being the number of input sorted sets and M being the number of elements "
                     "in the resulting sorted set.")
_DIFF_COMPLEXITY = ("O(L + (N-K)log(N)) worst case where L is the total number of elements in "
                    "all the sets, N is the size of the first set, and K is the size of the "
                    "result set.")


@command("zunion", arity=-3, flags="readonly movablekeys", group="sorted-set",
         complexity=_UNION_COMPLEXITY, since="6.2.0", acl="@sortedset")
def zunion_command(c, argv):
    """ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
    [WITHSCORES]
    Add multiple sorted sets"""
    return _zsetop(c, argv, None, 1, _UNION)


@command("zinter", arity=-3, flags="readonly movablekeys", group="sorted-set",
         complexity=_INTER_COMPLEXITY, since="6.2.0", acl="@sortedset")
def zinter_command(c, argv):
    """ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
    [WITHSCORES]
    Intersect multiple sorted sets"""
    return _zsetop(c, argv, None, 1, _INTER)


@command("zdiff", arity=-3, flags="readonly movablekeys", group="sorted-set",
         complexity=_DIFF_COMPLEXITY, since="6.2.0", acl="@sortedset")
def zdiff_command(c, argv):
    """ZDIFF numkeys key [key ...] [WITHSCORES]
    Subtract multiple sorted sets"""
    return _zsetop(c, argv, None, 1, _DIFF)


@command("zunionstore", arity=-4, flags="write denyoom movablekeys", keys=(1, 1, 1),
         group="sorted-set", complexity=_UNION_COMPLEXITY, since="2.0.0", acl="@sortedset")
def zunionstore_command(c, argv):
    """ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]]
    [AGGREGATE SUM|MIN|MAX]
    Add multiple sorted sets and store the resulting sorted set in a new key"""
    return _zsetop(c, argv, argv[1], 2, _UNION)


@command("zinterstore", arity=-4, flags="write denyoom movablekeys", keys=(1, 1, 1),
         group="sorted-set", complexity=_INTER_COMPLEXITY, since="2.0.0", acl="@sortedset")
def zinterstore_command(c, argv):
    """ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]]
    [AGGREGATE SUM|MIN|MAX]
    Intersect multiple sorted sets and store the resulting sorted set in a new key"""
    return _zsetop(c, argv, argv[1], 2, _INTER)


@command("zdiffstore", arity=-4, flags="write denyoom movablekeys", keys=(1, 1, 1),
         group="sorted-set", complexity=_DIFF_COMPLEXITY, since="6.2.0", acl="@sortedset")
def zdiffstore_command(c, argv):
    """ZDIFFSTORE destination numkeys key [key ...]
    Subtract multiple sorted sets and store the resulting sorted set in a new key"""
    return _zsetop(c, argv, argv[1], 2, _DIFF)


@command("zintercard", arity=-3, flags="readonly movablekeys", group="sorted-set",
         complexity="O(N*K) worst case with N being the smallest input sorted set, K being the "
                    "number of input sorted sets.", since="7.0.0", acl="@sortedset")
def zintercard_command(c, argv):
    """ZINTERCARD numkeys key [key ...] [LIMIT limit]
    Intersect multiple sorted sets and return the cardinality of the result"""
    return _zsetop(c, argv, None, 1, _INTER, card_only=True)


# -- ZSCAN ----------------------------------------------------------------------------------
@command("zscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         complexity="O(1) for every call. O(N) for a complete iteration, including enough "
                    "command calls for the cursor to return back to 0. N is the number of "
                    "elements inside the collection..", since="2.8.0", acl="@sortedset",
         tips="nondeterministic_output")
def zscan_command(c, argv):
    """ZSCAN key cursor [MATCH pattern] [COUNT count]
    Incrementally iterate sorted sets elements and associated scores"""
    cursor = parse_scan_cursor(argv[2])
    obj = _zset_or_wrongtype(c.db.lookup_read(argv[1]))
    if obj is None:
        return [b"0", []]
    count = 10
    pat = None
    i = 3
    n = len(argv)
    while i < n:
        a = argv[i].lower()
        if a == b"count" and n - i >= 2:
            count = _getlong(argv[i + 1])
            if count < 1:
                raise ReplyError(errors.SYNTAX)
            i += 2
        elif a == b"match" and n - i >= 2:
            pat = argv[i + 1]
            if pat == b"*":
                pat = None
            i += 2
        else:
            raise ReplyError(errors.SYNTAX)
    zv = obj.val
    out = []
    if obj.enc == "listpack":
        for s, m in zv.sl:
            if pat is None or stringmatch(pat, m):
                out.append(m)
                out.append(_d2string(s))
        return [b"0", out]
    nxt, members = scan_container(zv.dict, cursor, count)
    d = zv.dict
    for m in members:
        if pat is None or stringmatch(pat, m):
            out.append(m)
            out.append(format_double(d[m]))
    return [b"%d" % nxt, out]

