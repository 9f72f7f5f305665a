"""Set commands (``t_set.c``).

A set is ``RObj("set", enc, set_of_bytes)``. The encoding is modelled: ``intset`` while
every member is a canonical int64 string (``string2ll``) and there are at most
``set-max-intset-entries`` members, else ``hashtable`` for good (one way; SREM never
converts back). Replies from an intset-encoded set are in ascending numeric order, as
the intset is sorted. A hashtable-encoded set is replied in a deterministic pseudo-hash
order (CRC-32 of the member), so the same seed gives the same outputs in every process
(Redis's order is its hash table's; tests compare those replies unordered).

SUNION/SDIFF (and SPOP with a count >= the size) build their result in a temporary set
that starts as an intset, exactly like Redis, so their reply is sorted when the result
is intset-able. SINTER replies while walking its smallest input set (in that set's
order). The STORE variants give the destination the encoding Redis would.

Random commands (SPOP, SRANDMEMBER) draw from ``engine.random`` over the deterministic
member order above. Complexity: picking from a hashtable set sorts it first,
O(N log N) per call, where Redis is O(1) per element (Python sets have no random
access).
"""

from __future__ import annotations

import weakref
import zlib

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_SET
from .errors import ReplyError
from .hashes import LONG_MAX, _parse_rand_count, parse_scan_options
from .objects import OBJ_SET, RObj
from .reply import RSet
from .scan import parse_scan_cursor, scan_container
from .server import register_type_check
from .util import string2ll, stringmatch

ENC_INTSET = "intset"
ENC_HASHTABLE = "hashtable"

_HIGH_WATER: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _max_intset(e) -> int:
    v = e.config.set_max_intset_entries
    hw = _HIGH_WATER.get(e)
    if hw is None or v > hw:
        _HIGH_WATER[e] = v
    return v


def is_intset_member(m: bytes) -> bool:
    """``isSdsRepresentableAsLongLong``: a canonical int64 (no '+', no leading zeros)."""
    return len(m) <= 20 and string2ll(m) is not None


def set_add(e, o: RObj, member: bytes) -> bool:
    """``setTypeAdd``: True when added. An intset takes a non-integer member or one
    member too many by becoming a hashtable."""
    s = o.val
    if member in s:
        return False
    if o.enc == ENC_INTSET and not is_intset_member(member):
        o.enc = ENC_HASHTABLE
        o.htbase = len(s)  # setTypeConvert: dictExpand(intset length), then the add
    s.add(member)
    if o.enc == ENC_INTSET and len(s) > _max_intset(e):
        o.enc = ENC_HASHTABLE
        o.htbase = len(s)
    return True


def new_set_for(e, first: bytes) -> RObj:
    """``setTypeCreate``: an empty intset if ``first`` is an integer, else a hashtable."""
    _max_intset(e)
    enc = ENC_INTSET if is_intset_member(first) else ENC_HASHTABLE
    return e.new_object(OBJ_SET, enc, set())


def set_from_members(e, members: set) -> RObj:
    """The set Redis builds by adding ``members`` one by one to a fresh intset (the
    STORE destinations and the temporary result of SUNION/SDIFF)."""
    if len(members) <= _max_intset(e) and all(is_intset_member(m) for m in members):
        enc = ENC_INTSET
    else:
        enc = ENC_HASHTABLE
    return e.new_object(OBJ_SET, enc, members)


def members_in_order(o: RObj) -> list[bytes]:
    """The set's iteration order: numeric for an intset, CRC-32 order for a hashtable.

    >>> members_in_order(RObj("set", "intset", {b"10", b"-1", b"2"}))
    [b'-1', b'2', b'10']
    """
    if o.enc == ENC_INTSET:
        return sorted(o.val, key=int)
    return sorted(o.val, key=zlib.crc32)


def _check_set(e, o: RObj) -> None:
    """Invariant: a non-empty set of bytes; an intset holds only canonical integers and
    no more than set-max-intset-entries members."""
    s = o.val
    assert isinstance(s, set), o
    assert s, "empty set left in the keyspace"
    assert o.enc in (ENC_INTSET, ENC_HASHTABLE), o.enc
    for m in s:
        assert type(m) is bytes, m
    if o.enc == ENC_INTSET:
        limit = max(_HIGH_WATER.get(e, 0), e.config.set_max_intset_entries)
        assert len(s) <= limit, (len(s), limit)
        for m in s:
            assert is_intset_member(m), m


register_type_check(OBJ_SET, _check_set)


def _store_result(c, dst: bytes, members: set, event: str) -> int:
    """Write a STORE command's result: the set (replacing any value, dropping its TTL)
    or, when empty, delete the destination. Returns the reply."""
    e = c.engine
    db = c.db
    if members:
        obj = set_from_members(e, members)
        db.lookup_write(dst)  # setKey's lookupKeyWrite: an expired destination goes first
        db.set_key(dst, obj)
        e.notify_keyspace_event(NOTIFY_SET, event, dst, db.id)
        e.dirty += 1
        return len(members)
    if db.delete(dst):
        e.dirty += 1
        db.signal_modified(dst)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", dst, db.id)
    return 0


# ----------------------------------------------------------------------------------------
# single-set commands
# ----------------------------------------------------------------------------------------
@command("sadd", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="set",
         complexity="O(1) for each element added, so O(N) to add N elements when the "
                    "command is called with multiple arguments.",
         since="1.0.0", acl="@write @set @fast")
def sadd_command(c, argv):
    """SADD key member [member ...]
    Add one or more members to a set"""
    key = argv[1]
    e = c.engine
    o = c.db.lookup_write(key, OBJ_SET)
    if o is None:
        o = new_set_for(e, argv[2])
        c.db.add(key, o)
    added = 0
    for m in argv[2:]:
        if set_add(e, o, m):
            added += 1
    if added:
        c.db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_SET, "sadd", key, c.db.id)
    e.dirty += added
    return added


@command("srem", arity=-3, flags="write fast", keys=(1, 1, 1), group="set",
         complexity="O(N) where N is the number of members to be removed.", since="1.0.0",
         acl="@write @set @fast")
def srem_command(c, argv):
    """SREM key member [member ...]
    Remove one or more members from a set"""
    key = argv[1]
    o = c.db.lookup_write(key, OBJ_SET)
    if o is None:
        return 0
    s = o.val
    deleted = 0
    removed = False
    for m in argv[2:]:
        if m in s:
            s.discard(m)
            deleted += 1
            if not s:
                c.db.delete(key)
                removed = True
                break
    if deleted:
        e = c.engine
        c.db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_SET, "srem", key, c.db.id)
        if removed:
            e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, c.db.id)
        e.dirty += deleted
    return deleted


@command("smove", arity=4, flags="write fast", keys=(1, 2, 1), group="set",
         complexity="O(1)", since="1.0.0", acl="@write @set @fast")
def smove_command(c, argv):
    """SMOVE source destination member
    Move a member from one set to another"""
    src_key, dst_key, member = argv[1], argv[2], argv[3]
    db = c.db
    e = c.engine
    src = db.lookup_write(src_key)
    dst = db.lookup_write(dst_key)
    if src is None:
        return 0
    if src.type != OBJ_SET or (dst is not None and dst.type != OBJ_SET):
        raise ReplyError(errors.WRONGTYPE)
    if src is dst:
        return 1 if member in src.val else 0
    if member not in src.val:
        return 0
    src.val.discard(member)
    e.notify_keyspace_event(NOTIFY_SET, "srem", src_key, db.id)
    if not src.val:
        db.delete(src_key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", src_key, db.id)
    if dst is None:
        dst = new_set_for(e, member)
        db.add(dst_key, dst)
    db.signal_modified(src_key)
    e.dirty += 1
    if set_add(e, dst, member):
        e.dirty += 1
        db.signal_modified(dst_key)
        e.notify_keyspace_event(NOTIFY_SET, "sadd", dst_key, db.id)
    return 1


@command("sismember", arity=3, flags="readonly fast", keys=(1, 1, 1), group="set",
         complexity="O(1)", since="1.0.0", acl="@read @set @fast")
def sismember_command(c, argv):
    """SISMEMBER key member
    Determine if a given value is a member of a set"""
    o = c.db.lookup_read(argv[1], OBJ_SET)
    return 1 if o is not None and argv[2] in o.val else 0


@command("smismember", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="set",
         complexity="O(N) where N is the number of elements being checked for membership",
         since="6.2.0", acl="@read @set @fast")
def smismember_command(c, argv):
    """SMISMEMBER key member [member ...]
    Returns the membership associated with the given elements for a set"""
    o = c.db.lookup_read(argv[1], OBJ_SET)
    if o is None:
        return [0] * (len(argv) - 2)
    s = o.val
    return [1 if m in s else 0 for m in argv[2:]]


@command("scard", arity=2, flags="readonly fast", keys=(1, 1, 1), group="set",
         complexity="O(1)", since="1.0.0", acl="@read @set @fast")
def scard_command(c, argv):
    """SCARD key
    Get the number of members in a set"""
    o = c.db.lookup_read(argv[1], OBJ_SET)
    return 0 if o is None else len(o.val)


@command("smembers", arity=2, flags="readonly", keys=(1, 1, 1), group="set",
         complexity="O(N) where N is the set cardinality.", since="1.0.0",
         acl="@read @set @slow", tips="nondeterministic_output_order")
def smembers_command(c, argv):
    """SMEMBERS key
    Get all the members in a set"""
    # 7.0 runs SMEMBERS as a one-key SINTER.
    return _sinter(c, argv[1:2])


@command("spop", arity=-2, flags="write fast", keys=(1, 1, 1), group="set",
         complexity="Without the count argument O(1), otherwise O(N) where N is the value "
                    "of the passed count.",
         since="1.0.0", acl="@write @set @fast", tips="nondeterministic_output")
def spop_command(c, argv):
    """SPOP key [count]
    Remove and return one or multiple random members from a set"""
    if len(argv) == 3:
        return _spop_with_count(c, argv)
    if len(argv) > 3:
        raise ReplyError(errors.SYNTAX)
    key = argv[1]
    db = c.db
    e = c.engine
    o = db.lookup_write(key, OBJ_SET)
    if o is None:
        return None
    members = members_in_order(o)
    ele = members[e.random.randrange(len(members))]
    o.val.discard(ele)
    e.notify_keyspace_event(NOTIFY_SET, "spop", key, db.id)
    c.rewrite_argv = [b"SREM", key, ele]
    if not o.val:
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
    db.signal_modified(key)
    e.dirty += 1
    return ele


def _spop_with_count(c, argv):
    # getPositiveLongFromObjectOrReply: one message for "not a number" and "negative"
    v = string2ll(argv[2])
    if v is None or v < 0:
        raise ReplyError(errors.MUST_BE_POSITIVE)
    count = v
    key = argv[1]
    db = c.db
    e = c.engine
    o = db.lookup_write(key, OBJ_SET)
    if o is None or count == 0:
        return RSet()
    size = len(o.val)
    e.notify_keyspace_event(NOTIFY_SET, "spop", key, db.id)
    e.dirty += count
    if count >= size:
        # The whole set, replied through a SUNION of the one key (temporary intset).
        result = set_from_members(e, set(o.val))
        reply = RSet(members_in_order(result))
        db.delete(key)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", key, db.id)
        c.rewrite_argv = [b"DEL", key]
        db.signal_modified(key)
        return reply
    members = members_in_order(o)
    popped = e.random.sample(members, count)
    s = o.val
    for m in popped:
        s.discard(m)
    # Redis propagates the pops as SREM commands inside a MULTI/EXEC (alsoPropagate);
    # the engine has one rewrite per command: a single SREM naming every popped member.
    c.rewrite_argv = [b"SREM", key, *popped]
    db.signal_modified(key)
    return RSet(popped)


@command("srandmember", arity=-2, flags="readonly", keys=(1, 1, 1), group="set",
         complexity="Without the count argument O(1), otherwise O(N) where N is the "
                    "absolute value of the passed count.",
         since="1.0.0", acl="@read @set @slow", tips="nondeterministic_output")
def srandmember_command(c, argv):
    """SRANDMEMBER key [count]
    Get one or multiple random members from a set"""
    rng = c.engine.random
    if len(argv) == 3:
        count = _parse_rand_count(argv[2])
        o = c.db.lookup_read(argv[1], OBJ_SET)
        if o is None or count == 0:
            return []
        members = members_in_order(o)
        size = len(members)
        if count < 0 or count == 1:
            n = -count if count < 0 else 1
            return [members[rng.randrange(size)] for _ in range(n)]
        if count >= size:
            return members
        return rng.sample(members, count)
    if len(argv) > 3:
        raise ReplyError(errors.SYNTAX)
    o = c.db.lookup_read(argv[1], OBJ_SET)
    if o is None:
        return None
    members = members_in_order(o)
    return members[rng.randrange(len(members))]


@command("sscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="set",
         complexity="O(1) for every call. O(N) for a complete iteration, including enough "
                    "command calls for the cursor to return back to 0. N is the number of "
                    "elements inside the collection.",
         since="2.8.0", acl="@read @set @slow", tips="nondeterministic_output")
def sscan_command(c, argv):
    """SSCAN key cursor [MATCH pattern] [COUNT count]
    Incrementally iterate Set elements"""
    cursor = parse_scan_cursor(argv[2])
    o = c.db.lookup_read(argv[1], OBJ_SET)
    if o is None:
        return [b"0", []]
    count, pat = parse_scan_options(argv, 3)
    if o.enc == ENC_INTSET:
        nxt, items = 0, members_in_order(o)
    else:
        nxt, items = scan_container(o.val, cursor, count)
    if pat is not None:
        items = [m for m in items if stringmatch(pat, m)]
    return [b"%d" % nxt, items]


# ----------------------------------------------------------------------------------------
# multi-set commands
# ----------------------------------------------------------------------------------------
def _lookup_sets(c, keys) -> list[RObj | None]:
    """Look every key up (read), WRONGTYPE on the first non-set; missing keys are None."""
    out: list[RObj | None] = []
    for k in keys:
        out.append(c.db.lookup_read(k, OBJ_SET))
    return out


def _intersection(sets: list[RObj], limit: int = 0) -> list[bytes]:
    """Walk the smallest set (in its order) keeping members present in all others."""
    ordered = sorted(sets, key=lambda o: len(o.val))
    first, rest = ordered[0], [o.val for o in ordered[1:]]
    out = []
    for m in members_in_order(first):
        for s in rest:
            if m not in s:
                break
        else:
            out.append(m)
            if limit and len(out) >= limit:
                break
    return out


def _sinter(c, keys, dst: bytes | None = None):
    sets = _lookup_sets(c, keys)
    if any(o is None for o in sets):
        if dst is not None:
            return _store_result(c, dst, set(), "sinterstore")
        return RSet()
    result = _intersection(sets)  # type: ignore[arg-type]
    if dst is not None:
        return _store_result(c, dst, set(result), "sinterstore")
    return RSet(result)


def _sunion_diff(c, keys, op: str, dst: bytes | None = None):
    sets = _lookup_sets(c, keys)
    first = sets[0]
    result: set = set()
    if op == "union":
        for o in sets:
            if o is not None:
                result |= o.val
    elif first is not None and not any(o is first for o in sets[1:]):
        result = set(first.val)
        for o in sets[1:]:
            if o is not None:
                result -= o.val
    if dst is not None:
        return _store_result(c, dst, result, "sunionstore" if op == "union" else "sdiffstore")
    if not result:
        return RSet()
    return RSet(members_in_order(set_from_members(c.engine, result)))


@command("sinter", arity=-2, flags="readonly", keys=(1, -1, 1), group="set",
         complexity="O(N*M) worst case where N is the cardinality of the smallest set and "
                    "M is the number of sets.",
         since="1.0.0", acl="@read @set @slow", tips="nondeterministic_output_order")
def sinter_command(c, argv):
    """SINTER key [key ...]
    Intersect multiple sets"""
    return _sinter(c, argv[1:])


@command("sinterstore", arity=-3, flags="write denyoom", keys=(1, -1, 1), group="set",
         complexity="O(N*M) worst case where N is the cardinality of the smallest set and "
                    "M is the number of sets.",
         since="1.0.0", acl="@write @set @slow")
def sinterstore_command(c, argv):
    """SINTERSTORE destination key [key ...]
    Intersect multiple sets and store the resulting set in a key"""
    return _sinter(c, argv[2:], dst=argv[1])


@command("sintercard", arity=-3, flags="readonly movablekeys", keys=(0, 0, 0), group="set",
         complexity="O(N*M) worst case where N is the cardinality of the smallest set and "
                    "M is the number of sets.",
         since="7.0.0", acl="@read @set @slow")
def sintercard_command(c, argv):
    """SINTERCARD numkeys key [key ...] [LIMIT limit]
    Intersect multiple sets and return the cardinality of the result"""
    numkeys = string2ll(argv[1])
    if numkeys is None or numkeys < 1:
        raise ReplyError(errors.NUMKEYS_ZERO)
    if numkeys > len(argv) - 2:
        raise ReplyError(errors.NUMKEYS_GT_ARGS)
    limit = 0
    j = 2 + numkeys
    while j < len(argv):
        more = len(argv) - 1 - j
        if argv[j].lower() == b"limit" and more:
            j += 1
            v = string2ll(argv[j])
            if v is None or v < 0:
                raise ReplyError(errors.LIMIT_NEGATIVE)
            limit = v
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    sets = _lookup_sets(c, argv[2:2 + numkeys])
    if any(o is None for o in sets):
        return 0
    return len(_intersection(sets, limit))  # type: ignore[arg-type]


@command("sunion", arity=-2, flags="readonly", keys=(1, -1, 1), group="set",
         complexity="O(N) where N is the total number of elements in all given sets.",
         since="1.0.0", acl="@read @set @slow", tips="nondeterministic_output_order")
def sunion_command(c, argv):
    """SUNION key [key ...]
    Add multiple sets"""
    return _sunion_diff(c, argv[1:], "union")


@command("sunionstore", arity=-3, flags="write denyoom", keys=(1, -1, 1), group="set",
         complexity="O(N) where N is the total number of elements in all given sets.",
         since="1.0.0", acl="@write @set @slow")
def sunionstore_command(c, argv):
    """SUNIONSTORE destination key [key ...]
    Add multiple sets and store the resulting set in a key"""
    return _sunion_diff(c, argv[2:], "union", dst=argv[1])


@command("sdiff", arity=-2, flags="readonly", keys=(1, -1, 1), group="set",
         complexity="O(N) where N is the total number of elements in all given sets.",
         since="1.0.0", acl="@read @set @slow", tips="nondeterministic_output_order")
def sdiff_command(c, argv):
    """SDIFF key [key ...]
    Subtract multiple sets"""
    return _sunion_diff(c, argv[1:], "diff")


@command("sdiffstore", arity=-3, flags="write denyoom", keys=(1, -1, 1), group="set",
         complexity="O(N) where N is the total number of elements in all given sets.",
         since="1.0.0", acl="@write @set @slow")
def sdiffstore_command(c, argv):
    """SDIFFSTORE destination key [key ...]
    Subtract multiple sets and store the resulting set in a key"""
    return _sunion_diff(c, argv[2:], "diff", dst=argv[1])


__all__ = [
    "ENC_HASHTABLE",
    "ENC_INTSET",
    "LONG_MAX",
    "is_intset_member",
    "members_in_order",
    "new_set_for",
    "set_add",
    "set_from_members",
]
