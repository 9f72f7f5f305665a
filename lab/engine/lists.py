"""List commands (``t_list.c``).

A list is ``RObj("list", "quicklist", deque[bytes])``: Redis 7.0 keeps every list in a
quicklist, so ``OBJECT ENCODING`` always says ``quicklist``. A list that becomes empty is
deleted at once (with a generic ``del`` event), so a stored list is never empty.

Argument checks run in the order Redis runs them, which differs per command: LRANGE,
LTRIM and LREM parse their integers *before* the key lookup (a bad index beats
WRONGTYPE), LINDEX and LSET look the key up first (a missing key beats a bad index),
LPOP parses its count first, LINSERT parses BEFORE/AFTER first, LPOS parses every option
before the lookup.

Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP)
------------------------------------------------------------
The timeout is parsed exactly as ``getTimeoutFromObjectOrReply`` does (``strtold``, then
``(long long)(t * 1000.0)`` on an x87 long double: ``inf``, ``1e30`` and anything that
does not fit in 64 bits become ``LLONG_MIN`` -> "timeout is negative"; ``-0.0001``
truncates to 0, i.e. "no timeout"). When one of the keys holds data the command is served
exactly like its non-blocking form and propagated as one (BLPOP -> LPOP, BLMPOP -> LPOP/RPOP
with a count, BLMOVE -> LMOVE, BRPOPLPUSH -> RPOPLPUSH).

When nothing can be served, the handler builds a ``BlockRequest`` (keys, directions,
target, count, absolute timeout) and returns ``would_block(c, request)``. That function is
the *only* "would block" branch: today every client behaves like a Redis client with
``CLIENT_DENY_BLOCKING`` (inside MULTI/EXEC or a script), so it answers the command's
null reply at once (null array for BLPOP/BRPOP/BLMPOP, null bulk for BLMOVE/BRPOPLPUSH).
When the RESP server brings real blocking, ``would_block`` is where a client outside a
transaction gets parked on ``request.keys`` instead; serving it later can reuse
``_pop_for_client`` / ``_move``, which already produce the reply, the events and the
propagation rewrite.
"""

from __future__ import annotations

from collections import deque
from itertools import islice

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_LIST
from .errors import ReplyError
from .longdouble import ld_parse as _strtold
from .longdouble import ld_round as _ld_round
from .objects import OBJ_LIST
from .reply import NULL_ARRAY, OK
from .server import register_type_check
from .util import LLONG_MIN, string2ll

LIST_HEAD = 0
LIST_TAIL = 1

__all__ = ["LIST_HEAD", "LIST_TAIL", "BlockRequest", "parse_timeout_ms", "would_block"]


# -- small helpers ------------------------------------------------------------------------
def _new_list(c):
    return c.engine.new_object(OBJ_LIST, "quicklist", deque())


def _word(arg: bytes) -> bytes:
    """What ``strcasecmp`` compares: the argument up to its first NUL, lower-cased."""
    i = arg.find(b"\0")
    if i >= 0:
        arg = arg[:i]
    return arg.lower()


def _parse_where(arg: bytes) -> int:
    """``getListPositionFromObjectOrReply``: LEFT -> head, RIGHT -> tail."""
    w = _word(arg)
    if w == b"left":
        return LIST_HEAD
    if w == b"right":
        return LIST_TAIL
    raise ReplyError(errors.SYNTAX)


def _parse_long(arg: bytes) -> int:
    v = string2ll(arg)
    if v is None:
        raise ReplyError(errors.NOT_INTEGER)
    return v


def _parse_positive(arg: bytes, msg: str) -> int:
    """``getPositiveLongFromObjectOrReply`` with a message: ``msg`` for non-integers too."""
    v = string2ll(arg)
    if v is None or v < 0:
        raise ReplyError(msg)
    return v


def _range(d: deque, start: int, end: int) -> list:
    """Elements ``start..end`` (normalized, inclusive), walking from the nearer end."""
    n = len(d)
    if start == 0 and end == n - 1:
        return list(d)
    if start <= n - 1 - end:
        return list(islice(d, start, end + 1))
    r = list(islice(reversed(d), n - 1 - end, n - start))
    r.reverse()
    return r


def _pop_n(d: deque, where: int, n: int) -> list:
    """Pop ``n`` (<= len) elements; reply order is from the popped end inwards."""
    if n == len(d):
        r = list(d)
        if where == LIST_TAIL:
            r.reverse()
        d.clear()
        return r
    if where == LIST_HEAD:
        pop = d.popleft
    else:
        pop = d.pop
    return [pop() for _ in range(n)]


def _elements_removed(c, key: bytes, where: int, o, count: int) -> None:
    """``listElementsRemoved``: pop event, delete an emptied list, signal, dirty."""
    db = c.db
    e = c.engine
    e.notify_keyspace_event(NOTIFY_LIST, "lpop" if where == LIST_HEAD else "rpop", key, db.id)
    if not o.val:
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    db.signal_modified(key)
    e.dirty += count


def _check_list(engine, o) -> None:
    assert o.enc == "quicklist", o
    assert type(o.val) is deque, o
    assert len(o.val) > 0, "empty list stored"
    for x in o.val:
        assert type(x) is bytes, o


register_type_check(OBJ_LIST, _check_list)


# -- push -------------------------------------------------------------------------------
def _push(c, argv, where: int, xx: bool):
    """``pushGenericCommand`` (the LPUSH/RPUSH hot path: keep it lean)."""
    key = argv[1]
    db = c.db
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        if xx:
            return 0
        o = c.engine.new_object(OBJ_LIST, "quicklist", deque())
        db.add(key, o)
    d = o.val
    if where == LIST_HEAD:
        d.extendleft(islice(argv, 2, None))
    else:
        d.extend(islice(argv, 2, None))
    db.signal_modified(key)
    e = c.engine
    if e.notify_flags & NOTIFY_LIST:
        e.notify_keyspace_event(NOTIFY_LIST, "lpush" if where == LIST_HEAD else "rpush",
                                key, db.id)
    e.dirty += len(argv) - 2
    return len(d)


@command("lpush", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         complexity="O(1) for each element added", since="1.0.0", acl="@list")
def lpush_command(c, argv):
    """LPUSH key element [element ...]
    Inserts elements at the head of a list, creating it if needed."""
    return _push(c, argv, LIST_HEAD, False)


@command("rpush", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         complexity="O(1) for each element added", since="1.0.0", acl="@list")
def rpush_command(c, argv):
    """RPUSH key element [element ...]
    Appends elements at the tail of a list, creating it if needed."""
    return _push(c, argv, LIST_TAIL, False)


@command("lpushx", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         complexity="O(1) for each element added", since="2.2.0", acl="@list")
def lpushx_command(c, argv):
    """LPUSHX key element [element ...]
    Inserts elements at the head of a list only when the list already exists."""
    return _push(c, argv, LIST_HEAD, True)


@command("rpushx", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         complexity="O(1) for each element added", since="2.2.0", acl="@list")
def rpushx_command(c, argv):
    """RPUSHX key element [element ...]
    Appends elements at the tail of a list only when the list already exists."""
    return _push(c, argv, LIST_TAIL, True)


# -- pop --------------------------------------------------------------------------------
def _pop(c, argv, where: int):
    """``popGenericCommand``: LPOP/RPOP key [count]."""
    argc = len(argv)
    if argc > 3:
        raise ReplyError(errors.WRONG_ARITY.format(c.cmd_name))
    key = argv[1]
    db = c.db
    if argc == 3:
        count = _parse_positive(argv[2], errors.MUST_BE_POSITIVE)
        o = db.lookup_write(key, OBJ_LIST)
        if o is None:
            return NULL_ARRAY
        if not count:
            return []
        d = o.val
        n = len(d)
        count = min(count, n)
        r = _pop_n(d, where, count)
        _elements_removed(c, key, where, o, count)
        return r
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        return None
    d = o.val
    value = d.popleft() if where == LIST_HEAD else d.pop()
    e = c.engine
    if d and not e.notify_flags:
        # the common case, inlined: no events, list still alive
        db.signal_modified(key)
        e.dirty += 1
    else:
        _elements_removed(c, key, where, o, 1)
    return value


@command("lpop", arity=-2, flags="write fast", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the number of elements returned", since="1.0.0",
         acl="@list")
def lpop_command(c, argv):
    """LPOP key [count]
    Removes and returns the first element(s) of a list."""
    return _pop(c, argv, LIST_HEAD)


@command("rpop", arity=-2, flags="write fast", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the number of elements returned", since="1.0.0",
         acl="@list")
def rpop_command(c, argv):
    """RPOP key [count]
    Removes and returns the last element(s) of a list."""
    return _pop(c, argv, LIST_TAIL)


# -- read commands ----------------------------------------------------------------------
@command("llen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="list",
         complexity="O(1)", since="1.0.0", acl="@list")
def llen_command(c, argv):
    """LLEN key
    Returns the number of elements of a list."""
    o = c.db.lookup_read(argv[1], OBJ_LIST)
    return 0 if o is None else len(o.val)


@command("lindex", arity=3, flags="readonly", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the distance to the index from the nearer end",
         since="1.0.0", acl="@list")
def lindex_command(c, argv):
    """LINDEX key index
    Returns the element at an index (negative indexes count from the tail)."""
    o = c.db.lookup_read(argv[1], OBJ_LIST)
    if o is None:
        return None
    i = _parse_long(argv[2])
    d = o.val
    n = len(d)
    if i < 0:
        i += n
    if 0 <= i < n:
        return d[i]  # CPython walks a deque from its nearer end
    return None


@command("lrange", arity=4, flags="readonly", keys=(1, 1, 1), group="list",
         complexity="O(S+N): S the offset of start from the nearer end, N the range length",
         since="1.0.0", acl="@list")
def lrange_command(c, argv):
    """LRANGE key start stop
    Returns a range of elements (inclusive, negative indexes count from the tail)."""
    start = _parse_long(argv[2])
    end = _parse_long(argv[3])
    o = c.db.lookup_read(argv[1], OBJ_LIST)
    if o is None:
        return []
    d = o.val
    n = len(d)
    if start < 0:
        start += n
        start = max(start, 0)
    if end < 0:
        end += n
    if start > end or start >= n:
        return []
    if end >= n:
        end = n - 1
    return _range(d, start, end)


@command("lpos", arity=-3, flags="readonly", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the number of elements scanned", since="6.0.6",
         acl="@list")
def lpos_command(c, argv):
    """LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    Returns the index (or indexes, with COUNT) of matching elements."""
    ele = argv[2]
    rank, count, maxlen = 1, -1, 0
    argc = len(argv)
    j = 3
    while j < argc:
        opt = _word(argv[j])
        more = j + 1 < argc
        if opt == b"rank" and more:
            j += 1
            rank = _parse_long(argv[j])
            if rank == 0:
                raise ReplyError(errors.LPOS_RANK_ZERO)
        elif opt == b"count" and more:
            j += 1
            count = _parse_positive(argv[j], errors.LPOS_COUNT_NEGATIVE)
        elif opt == b"maxlen" and more:
            j += 1
            maxlen = _parse_positive(argv[j], errors.LPOS_MAXLEN_NEGATIVE)
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    from_tail = rank < 0
    if from_tail:
        if rank == LLONG_MIN:
            # -LLONG_MIN overflows back to LLONG_MIN in C: every match then passes
            # "matches >= rank" and "matches - rank + 1 >= count" is never true.
            rank = 1
            count = min(count, 0)
        else:
            rank = -rank
    o = c.db.lookup_read(argv[1], OBJ_LIST)
    if o is None:
        return [] if count != -1 else None
    d = o.val
    n = len(d)
    it = reversed(d) if from_tail else iter(d)
    if maxlen:
        it = islice(it, maxlen)
    matches = 0
    out = []
    for index, x in enumerate(it):
        if x == ele:
            matches += 1
            if matches >= rank:
                pos = n - index - 1 if from_tail else index
                if count == -1:
                    return pos
                out.append(pos)
                if count and matches - rank + 1 >= count:
                    break
    return out if count != -1 else None


# -- in-place edits ---------------------------------------------------------------------
@command("lset", arity=4, flags="write denyoom", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the distance to the index from the nearer end",
         since="1.0.0", acl="@list")
def lset_command(c, argv):
    """LSET key index element
    Replaces the element at an index."""
    key = argv[1]
    db = c.db
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    i = _parse_long(argv[2])
    d = o.val
    n = len(d)
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise ReplyError(errors.INDEX_OUT_OF_RANGE)
    d[i] = argv[3]
    db.signal_modified(key)
    e = c.engine
    e.notify_keyspace_event(NOTIFY_LIST, "lset", key, db.id)
    e.dirty += 1
    return OK


@command("ltrim", arity=4, flags="write", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the number of elements removed", since="1.0.0",
         acl="@list")
def ltrim_command(c, argv):
    """LTRIM key start stop
    Keeps only the elements in the given range."""
    start = _parse_long(argv[2])
    end = _parse_long(argv[3])
    key = argv[1]
    db = c.db
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        return OK
    d = o.val
    n = len(d)
    if start < 0:
        start += n
        start = max(start, 0)
    if end < 0:
        end += n
    if start > end or start >= n:
        ltrim, rtrim = n, 0
    else:
        if end >= n:
            end = n - 1
        ltrim, rtrim = start, n - end - 1
    if ltrim + rtrim >= n:
        d.clear()
    elif ltrim + rtrim > n - ltrim - rtrim:
        o.val = deque(islice(d, ltrim, n - rtrim))
    else:
        for _ in range(ltrim):
            d.popleft()
        for _ in range(rtrim):
            d.pop()
    e = c.engine
    e.notify_keyspace_event(NOTIFY_LIST, "ltrim", key, db.id)
    if not o.val:
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    db.signal_modified(key)
    e.dirty += ltrim + rtrim
    return OK


@command("lrem", arity=4, flags="write", keys=(1, 1, 1), group="list",
         complexity="O(N+M): N the list length, M the number of elements removed",
         since="1.0.0", acl="@list")
def lrem_command(c, argv):
    """LREM key count element
    Removes up to count occurrences of an element (count < 0: from the tail, 0: all)."""
    toremove = _parse_long(argv[2])
    key = argv[1]
    ele = argv[3]
    db = c.db
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        return 0
    d = o.val
    if ele not in d:
        return 0
    if toremove == 0:
        kept = [x for x in d if x != ele]
        removed = len(d) - len(kept)
        o.val = deque(kept)
    else:
        limit = -toremove if toremove < 0 else toremove
        src = reversed(d) if toremove < 0 else d
        kept = []
        removed = 0
        for x in src:
            if removed < limit and x == ele:
                removed += 1
            else:
                kept.append(x)
        if toremove < 0:
            kept.reverse()
        o.val = deque(kept)
    e = c.engine
    db.signal_modified(key)
    e.notify_keyspace_event(NOTIFY_LIST, "lrem", key, db.id)
    e.dirty += removed
    if not o.val:
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    return removed


@command("linsert", arity=5, flags="write denyoom", keys=(1, 1, 1), group="list",
         complexity="O(N) where N is the number of elements before the pivot",
         since="2.2.0", acl="@list")
def linsert_command(c, argv):
    """LINSERT key BEFORE|AFTER pivot element
    Inserts an element before or after the first occurrence of a pivot."""
    w = _word(argv[2])
    if w == b"after":
        after = True
    elif w == b"before":
        after = False
    else:
        raise ReplyError(errors.SYNTAX)
    key = argv[1]
    db = c.db
    o = db.lookup_write(key, OBJ_LIST)
    if o is None:
        return 0
    d = o.val
    try:
        i = d.index(argv[3])
    except ValueError:
        return -1
    d.insert(i + 1 if after else i, argv[4])
    db.signal_modified(key)
    e = c.engine
    e.notify_keyspace_event(NOTIFY_LIST, "linsert", key, db.id)
    e.dirty += 1
    return len(d)


# -- move -------------------------------------------------------------------------------
def _move(c, src: bytes, dst: bytes, wherefrom: int, whereto: int, rewrite=None):
    """``lmoveGenericCommand``: pop from ``src``, push to ``dst``, reply the element."""
    db = c.db
    sobj = db.lookup_write(src, OBJ_LIST)
    if sobj is None:
        return None
    dobj = db.lookup_write(dst, OBJ_LIST)
    sd = sobj.val
    value = sd.popleft() if wherefrom == LIST_HEAD else sd.pop()
    e = c.engine
    # lmoveHandlePush: create, signal, push, event on the destination first
    if dobj is None:
        dobj = _new_list(c)
        db.add(dst, dobj)
    db.signal_modified(dst)
    if whereto == LIST_HEAD:
        dobj.val.appendleft(value)
        e.notify_keyspace_event(NOTIFY_LIST, "lpush", dst, db.id)
    else:
        dobj.val.append(value)
        e.notify_keyspace_event(NOTIFY_LIST, "rpush", dst, db.id)
    e.notify_keyspace_event(NOTIFY_LIST, "lpop" if wherefrom == LIST_HEAD else "rpop",
                            src, db.id)
    if not sobj.val:
        db.delete(src)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", src, db.id)
    db.signal_modified(src)
    e.dirty += 1
    if rewrite is not None:
        c.rewrite_argv = rewrite
    return value


@command("lmove", arity=5, flags="write denyoom", keys=(1, 2, 1), group="list",
         complexity="O(1)", since="6.2.0", acl="@list")
def lmove_command(c, argv):
    """LMOVE source destination LEFT|RIGHT LEFT|RIGHT
    Pops an element from one list and pushes it onto another, returning it."""
    wherefrom = _parse_where(argv[3])
    whereto = _parse_where(argv[4])
    return _move(c, argv[1], argv[2], wherefrom, whereto)


@command("rpoplpush", arity=3, flags="write denyoom", keys=(1, 2, 1), group="list",
         complexity="O(1)", since="1.2.0", acl="@list")
def rpoplpush_command(c, argv):
    """RPOPLPUSH source destination
    Pops the last element of a list and pushes it at the head of another."""
    return _move(c, argv[1], argv[2], LIST_TAIL, LIST_HEAD)


# -- multi-key pops -----------------------------------------------------------------------
_NOTHING = object()


def _pop_for_client(c, keys, where: int, count: int):
    """The first non-empty list among ``keys`` is popped (type-checking keys in order,
    stopping at the served one). ``count == -1``: BLPOP/BRPOP shape ``[key, element]``;
    else LMPOP shape ``[key, [elements]]``. Returns ``_NOTHING`` when every key is empty.
    Sets the propagation rewrite (LPOP/RPOP)."""
    db = c.db
    for key in keys:
        o = db.lookup_write(key, OBJ_LIST)
        if o is None:
            continue
        d = o.val
        n = len(d)
        if not n:  # pragma: no cover - empty lists are never stored
            continue
        name = b"LPOP" if where == LIST_HEAD else b"RPOP"
        if count == -1:
            value = d.popleft() if where == LIST_HEAD else d.pop()
            _elements_removed(c, key, where, o, 1)
            c.rewrite_argv = [name, key]
            return [key, value]
        k = count if count < n else n
        r = _pop_n(d, where, k)
        _elements_removed(c, key, where, o, k)
        c.rewrite_argv = [name, key, b"%d" % k]
        return [key, r]
    return _NOTHING


def _parse_mpop(argv, numkeys_idx: int):
    """``lmpopGenericCommand``'s parsing: numkeys, keys, LEFT|RIGHT, [COUNT n]."""
    numkeys = string2ll(argv[numkeys_idx])
    if numkeys is None or numkeys < 1:
        raise ReplyError(errors.NUMKEYS_ZERO)
    argc = len(argv)
    where_idx = numkeys_idx + numkeys + 1
    if where_idx >= argc:
        raise ReplyError(errors.SYNTAX)
    where = _parse_where(argv[where_idx])
    count = -1
    j = where_idx + 1
    while j < argc:
        if count == -1 and j + 1 < argc and _word(argv[j]) == b"count":
            j += 1
            count = string2ll(argv[j])
            if count is None or count < 1:
                raise ReplyError(errors.COUNT_GREATER_THAN_ZERO)
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    if count == -1:
        count = 1
    return argv[numkeys_idx + 1:where_idx], where, count


@command("lmpop", arity=-4, flags="write movablekeys", group="list",
         complexity="O(N+M): N the number of keys, M the number of elements returned",
         since="7.0.0", acl="@list")
def lmpop_command(c, argv):
    """LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
    Pops elements from the first non-empty list among the given keys."""
    keys, where, count = _parse_mpop(argv, 1)
    r = _pop_for_client(c, keys, where, count)
    return NULL_ARRAY if r is _NOTHING else r


# -- blocking variants ------------------------------------------------------------------
class BlockRequest:
    """What a client would block on: the lists ``keys``, the pop side ``where``, for the
    move commands ``target``/``whereto``, for BLMPOP ``count`` (-1 otherwise), the absolute
    unix-ms ``timeout`` (0 = forever), and ``null_reply``, the immediate answer of a
    client that may not block (MULTI/EXEC, scripts).

    Note for real blocking: a client that *did* block and then times out gets
    ``TIMEOUT_REPLY`` (a null array) from every list command, BLMOVE and BRPOPLPUSH
    included [measured: ``BRPOPLPUSH nokey d 0.01`` -> ``*-1``, inside MULTI -> ``$-1``]."""

    TIMEOUT_REPLY = NULL_ARRAY

    __slots__ = ("command", "count", "keys", "null_reply", "target", "timeout", "where",
                 "whereto")

    def __init__(self, command: str, keys, where: int, timeout: int, null_reply,
                 count: int = -1, target: bytes | None = None, whereto: int = LIST_HEAD):
        self.command = command
        self.keys = list(keys)
        self.where = where
        self.timeout = timeout
        self.null_reply = null_reply
        self.count = count
        self.target = target
        self.whereto = whereto

    def __repr__(self) -> str:
        return f"BlockRequest({self.command}, keys={self.keys!r}, timeout={self.timeout})"


def would_block(c, req: BlockRequest):
    """The single "nothing to serve, would block" branch of every blocking list command.

    A client that may not block (``CLIENT_DENY_BLOCKING``: inside MULTI/EXEC, in-process
    clients) gets ``req.null_reply`` at once; any other is parked on ``req.keys``
    (``blocking.block_for_keys``, which returns the ``BLOCKED`` sentinel)."""
    from .blocking import block_for_keys

    return block_for_keys(c, req.keys, req.timeout, req.null_reply)


# strtold's grammar, after Redis has rejected a leading space (string2ld).
_TWO63 = 1 << 63


def parse_timeout_ms(arg: bytes) -> int:
    """``getTimeoutFromObjectOrReply(..., UNIT_SECONDS)`` up to the absolute time: the
    timeout in ms (0 = block forever), as ``(long long)(strtold(arg) * 1000.0)``."""
    v = _strtold(arg)
    if v is None:
        raise ReplyError(errors.TIMEOUT_NOT_FLOAT)
    if type(v) is float:  # ±inf converts to LLONG_MIN
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    if v == 0:
        return 0
    if abs(v) > (1 << 70):  # far outside long long: the x87 conversion gives LLONG_MIN
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    ms = _ld_round(_ld_round(v) * 1000)
    t = int(ms)  # truncation toward zero, as the C cast
    # [measured] 7.0.15 also answers "negative" when the product truncates to exactly
    # LLONG_MAX (9223372036854775.8076171875 s does, ...775.806640625 s does not).
    if t < 0 or t >= _TWO63 - 1:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    return t


def _timeout_abs(c, arg: bytes) -> int:
    t = parse_timeout_ms(arg)
    return t + c.engine.mstime if t > 0 else 0


def _blocking_pop(c, argv, keys, where: int, timeout_arg: bytes, count: int, name: str):
    """``blockingPopGenericCommand``."""
    timeout = _timeout_abs(c, timeout_arg)
    r = _pop_for_client(c, keys, where, count)
    if r is not _NOTHING:
        return r
    return would_block(c, BlockRequest(name, keys, where, timeout, NULL_ARRAY, count=count))


@command("blpop", arity=-3, flags="write noscript blocking", keys=(1, -2, 1), group="list",
         complexity="O(N) where N is the number of keys", since="2.0.0", acl="@list")
def blpop_command(c, argv):
    """BLPOP key [key ...] timeout
    Pops the first element of the first non-empty list, or blocks until one arrives."""
    return _blocking_pop(c, argv, argv[1:-1], LIST_HEAD, argv[-1], -1, "blpop")


@command("brpop", arity=-3, flags="write noscript blocking", keys=(1, -2, 1), group="list",
         complexity="O(N) where N is the number of keys", since="2.0.0", acl="@list")
def brpop_command(c, argv):
    """BRPOP key [key ...] timeout
    Pops the last element of the first non-empty list, or blocks until one arrives."""
    return _blocking_pop(c, argv, argv[1:-1], LIST_TAIL, argv[-1], -1, "brpop")


@command("blmpop", arity=-5, flags="write blocking movablekeys", group="list",
         complexity="O(N+M): N the number of keys, M the number of elements returned",
         since="7.0.0", acl="@list")
def blmpop_command(c, argv):
    """BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
    Like LMPOP, or blocks until one of the lists has elements."""
    keys, where, count = _parse_mpop(argv, 2)
    return _blocking_pop(c, argv, keys, where, argv[1], count, "blmpop")


def _blocking_move(c, argv, wherefrom: int, whereto: int, timeout: int, rewrite, name: str):
    """``blmoveGenericCommand``: serve like LMOVE when the source exists."""
    o = c.db.lookup_write(argv[1], OBJ_LIST)
    if o is None:
        return would_block(c, BlockRequest(name, [argv[1]], wherefrom, timeout, None,
                                           target=argv[2], whereto=whereto))
    return _move(c, argv[1], argv[2], wherefrom, whereto, rewrite)


@command("blmove", arity=6, flags="write denyoom noscript blocking", keys=(1, 2, 1),
         group="list", complexity="O(1)", since="6.2.0", acl="@list")
def blmove_command(c, argv):
    """BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
    Like LMOVE, or blocks until the source list has an element."""
    wherefrom = _parse_where(argv[3])
    whereto = _parse_where(argv[4])
    timeout = _timeout_abs(c, argv[5])
    return _blocking_move(c, argv, wherefrom, whereto, timeout,
                          [b"LMOVE", argv[1], argv[2], argv[3], argv[4]], "blmove")


@command("brpoplpush", arity=4, flags="write denyoom noscript blocking", keys=(1, 2, 1),
         group="list", complexity="O(1)", since="2.2.0", acl="@list")
def brpoplpush_command(c, argv):
    """BRPOPLPUSH source destination timeout
    Like RPOPLPUSH, or blocks until the source list has an element."""
    timeout = _timeout_abs(c, argv[3])
    return _blocking_move(c, argv, LIST_TAIL, LIST_HEAD, timeout,
                          [b"RPOPLPUSH", argv[1], argv[2]], "brpoplpush")
