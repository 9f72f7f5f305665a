"""SORT and SORT_RO (``sort.c``).

What the engine reproduces, as measured on 7.0.15:

* **Options** are parsed left to right (ASC, DESC, ALPHA, LIMIT offset count, STORE dest,
  BY pattern, GET pattern; repeats allowed, the last one wins) before the key is looked
  up: a syntax error beats WRONGTYPE. SORT_RO has no STORE (``ERR syntax error``).
* **BY** without a ``*`` (before any NUL byte) means "don't sort". A sorted set is then
  read in its own order (DESC reverses it, LIMIT is applied while reading), a list too;
  a set keeps its iteration order, except with STORE or inside a script, where it is
  sorted ALPHA so the result replicates deterministically.
* **Sorting a sorted set converts it to a skiplist, in place** (``zsetConvert``), even
  with SORT_RO: ``OBJECT ENCODING`` reports ``skiplist`` afterwards.
* **Numeric scores** are C ``strtod`` of the element (or of the BY value) up to its first
  NUL byte: leading whitespace, hex floats, ``inf`` and the empty string (score 0) are
  accepted; trailing junk, NaN and out-of-range values (overflow, subnormal underflow:
  ERANGE) give ``ERR One or more scores can't be converted into double``. A missing BY
  key scores 0. Equal scores are ordered by the elements' bytes (memcmp, then length).
* **ALPHA** compares with ``strcoll``; under the C / C.UTF-8 locale that is ``strcmp``:
  byte order up to the first NUL byte. With STORE the comparison is binary (whole
  strings). With BY, a missing BY value sorts first. Equal elements keep their input
  order: glibc's ``qsort`` is a stable merge sort. BY with a LIMIT that does not cover
  everything uses Redis's partial quicksort (``pqsort``, not stable).
* **Patterns**: ``#`` is the element itself; the first ``*`` is replaced by the element;
  ``->field`` (non-empty, after the ``*``) reads a hash field. A pattern without ``*``,
  a missing key or a key of the wrong type gives nil (an empty string in a STORE).
* **LIMIT**: a negative offset is 0, a negative count means "to the end".
* **STORE** writes a quicklist (dropping any TTL) and returns its length; an empty result
  deletes the destination.

Not modelled: the ACL check refusing BY/GET patterns to users without full key access,
the cluster-mode refusals, and ``strcoll`` under a locale other than C / C.UTF-8 (the
server's LC_COLLATE comes from its environment). A real server also never resets
``errno`` before its ``strtod``: after one SORT hits ERANGE, later SORTs on that server
keep failing until some other command clears ``errno`` (``ZADD`` does). The engine
treats every SORT on its own.
"""

from __future__ import annotations

import math
from functools import cmp_to_key

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_LIST
from .errors import ReplyError
from .geo import _pqsort
from .objects import OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STRING, OBJ_ZSET
from .sets import members_in_order
from .util import LLONG_MAX, LLONG_MIN, string2ll, strtod

_DBL_MIN = 2.2250738585072014e-308
_C_SPACE = b" \t\n\v\f\r"

_COMPLEXITY = ("O(N+M*log(M)) where N is the number of elements in the list or set to sort, "
               "and M the number of returned elements. When the elements are not sorted, "
               "complexity is O(N).")


def _cstr(b: bytes) -> bytes:
    """The bytes a C string function sees: up to the first NUL."""
    i = b.find(b"\0")
    return b if i < 0 else b[:i]


def sort_score(b: bytes) -> float | None:
    """The score SORT gives an element: ``strtod`` of its C string with Redis's checks
    (the whole string consumed, no ERANGE, no NaN); None when it can't be converted.

    >>> sort_score(b"  1.5"), sort_score(b""), sort_score(b"1\\x00z"), sort_score(b"1 ")
    (1.5, 0.0, 1.0, None)
    >>> sort_score(b"1e400"), sort_score(b"1e-310"), sort_score(b"-inf")
    (None, None, -inf)
    """
    s = _cstr(b)
    if not s:
        return 0.0  # nothing parsed, end pointer at the terminator: accepted as 0
    t = s.lstrip(_C_SPACE)
    v = strtod(t) if t else None
    if v is None:
        return None
    if math.isinf(v):
        return v if b"n" in t.lower() else None  # overflow: ERANGE
    if v != 0.0 and abs(v) < _DBL_MIN:
        return None  # underflow to a subnormal: ERANGE
    if v == 0.0:
        a = t.lower().lstrip(b"+-")
        mant = a[2:].split(b"p", 1)[0] if a[:2] == b"0x" else a.split(b"e", 1)[0]
        if mant.strip(b"0."):
            return None  # a non-zero number that underflowed to 0: ERANGE
    return v


def _parse_long(b: bytes) -> int:
    v = string2ll(b)
    if v is None or v < LLONG_MIN or v > LLONG_MAX:
        raise ReplyError(errors.NOT_INTEGER)
    return v


def lookup_by_pattern(db, pattern: bytes, subst: bytes) -> bytes | None:
    """``lookupKeyByPattern``: ``#``, ``*`` substitution and ``->field`` (C string rules:
    the ``#``, ``*`` and ``->`` searches stop at the pattern's first NUL byte)."""
    if pattern[:1] == b"#" and (len(pattern) == 1 or pattern[1] == 0):
        return subst
    cpat = _cstr(pattern)
    star = cpat.find(b"*")
    if star < 0:
        return None
    f = cpat.find(b"->", star + 1)
    field = None
    fieldlen = 0
    if f >= 0 and f + 2 < len(cpat):
        field = pattern[f + 2:]
        fieldlen = len(field)
    postfixlen = len(pattern) - (star + 1) - (fieldlen + 2 if fieldlen else 0)
    key = pattern[:star] + subst + pattern[star + 1:star + 1 + postfixlen]
    o = db.lookup_read(key)
    if o is None:
        return None
    if field is not None:
        if o.type != OBJ_HASH:
            return None
        return o.val.get(field)
    if o.type != OBJ_STRING:
        return None
    return o.val


def sort_getkeys(argv: list[bytes]) -> list[int]:
    """``sortGetKeys``: the key, and the *last* STORE destination (BY/GET/LIMIT skip
    their arguments; STORE does not, as in Redis)."""
    keys = [1]
    store = None
    argc = len(argv)
    i = 2
    while i < argc:
        a = argv[i].lower()
        if a == b"limit":
            i += 2
        elif a in (b"get", b"by"):
            i += 1
        elif a == b"store" and i + 1 < argc:
            store = i + 1
        i += 1
    if store is not None:
        keys.append(store)
    return keys


def _in_script(c) -> bool:
    st = getattr(c.engine, "_scripting", None)
    return st is not None and c is getattr(st, "lua_client", None)


def _sort_generic(c, argv: list[bytes], readonly: bool):
    e = c.engine
    db = c.db
    desc = alpha = False
    limit_start, limit_count = 0, -1
    dontsort = False
    sortby: bytes | None = None
    storekey: bytes | None = None
    gets: list[bytes] = []
    argc = len(argv)
    j = 2
    while j < argc:
        opt = argv[j].lower()
        left = argc - j - 1
        if opt == b"asc":
            desc = False
        elif opt == b"desc":
            desc = True
        elif opt == b"alpha":
            alpha = True
        elif opt == b"limit" and left >= 2:
            limit_start = _parse_long(argv[j + 1])
            limit_count = _parse_long(argv[j + 2])
            j += 2
        elif opt == b"store" and left >= 1 and not readonly:
            storekey = argv[j + 1]
            j += 1
        elif opt == b"by" and left >= 1:
            sortby = argv[j + 1]
            dontsort = b"*" not in _cstr(sortby)
            j += 1
        elif opt == b"get" and left >= 1:
            gets.append(argv[j + 1])
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1

    key = argv[1]
    sortval = db.lookup_read(key)
    if sortval is not None and sortval.type not in (OBJ_SET, OBJ_LIST, OBJ_ZSET):
        raise ReplyError(errors.WRONGTYPE)
    stype = sortval.type if sortval is not None else OBJ_LIST

    if dontsort and stype == OBJ_SET and (storekey is not None or _in_script(c)):
        dontsort = False
        alpha = True
        sortby = None

    if sortval is not None and stype == OBJ_ZSET and sortval.enc != "skiplist":
        sortval.enc = "skiplist"  # zsetConvert: destructive, not a logical change
        db.mem_dirty.add(key)

    if sortval is None:
        vectorlen = 0
    else:
        vectorlen = len(sortval.val)

    start = max(limit_start, 0)
    end = vectorlen - 1 if limit_count < 0 else start + limit_count - 1
    if start >= vectorlen:
        start = vectorlen - 1
        end = vectorlen - 2
    if end >= vectorlen:
        end = vectorlen - 1

    # load the vector
    if stype in (OBJ_LIST, OBJ_ZSET) and dontsort:
        if sortval is None:
            vector: list[bytes] = []
        else:
            items = list(sortval.val)
            if desc:
                items.reverse()
            vector = items[start:end + 1] if end >= start else []
        end -= start
        start = 0
    elif sortval is None:
        vector = []
    elif stype == OBJ_LIST:
        vector = list(sortval.val)
    elif stype == OBJ_SET:
        vector = members_in_order(sortval)
    else:  # a zset, to sort: dict order (a hashtable order in Redis; member order here)
        vector = list(sortval.val.dict)

    if not dontsort:
        store = storekey is not None
        if alpha:
            if sortby is not None:
                keyed = [(el, lookup_by_pattern(db, sortby, el)) for el in vector]

                def cmp(a, b):
                    x, y = a[1], b[1]
                    if x is None or y is None:
                        r = 0 if x is y else (-1 if x is None else 1)
                    else:
                        if not store:
                            x, y = _cstr(x), _cstr(y)
                        r = (x > y) - (x < y)
                    return -r if desc else r
            else:
                keyed = [(el, el if store else _cstr(el)) for el in vector]

                def cmp(a, b):
                    x, y = a[1], b[1]
                    r = (x > y) - (x < y)
                    return -r if desc else r
        else:
            keyed = []
            bad = False
            for el in vector:
                if sortby is not None:
                    byval = lookup_by_pattern(db, sortby, el)
                    if byval is None:
                        keyed.append((el, 0.0))
                        continue
                else:
                    byval = el
                sc = sort_score(byval)
                if sc is None:
                    bad = True
                    sc = 0.0
                keyed.append((el, sc))
            if bad:
                raise ReplyError(errors.SORT_SCORE_NOT_DOUBLE)

            def cmp(a, b):
                x, y = a[1], b[1]
                if x > y:
                    r = 1
                elif x < y:
                    r = -1
                else:
                    p, q = a[0], b[0]
                    r = (p > q) - (p < q)
                return -r if desc else r
        if sortby is not None and (start != 0 or end != len(keyed) - 1):
            _pqsort(keyed, cmp, start, end)
        else:
            keyed.sort(key=cmp_to_key(cmp))
        vector = [el for el, _ in keyed]

    selected = vector[start:end + 1] if end >= start else []
    if storekey is None:
        out: list = []
        for el in selected:
            if not gets:
                out.append(el)
            for pat in gets:
                out.append(lookup_by_pattern(db, pat, el))
        return out

    result: list[bytes] = []
    for el in selected:
        if not gets:
            result.append(el)
        for pat in gets:
            v = lookup_by_pattern(db, pat, el)
            result.append(b"" if v is None else v)
    outputlen = len(result)
    if outputlen:
        from collections import deque

        db.set_key(storekey, e.new_object(OBJ_LIST, "quicklist", deque(result)))
        e.notify_keyspace_event(NOTIFY_LIST, "sortstore", storekey, db.id)
        e.dirty += outputlen
    else:
        if storekey in db.expires:
            db.expire_if_needed(storekey)
        if db.delete(storekey):
            db.signal_modified(storekey)
            e.notify_keyspace_event(NOTIFY_GENERIC, "del", storekey, db.id)
            e.dirty += 1
    return outputlen


def _notes_spec(notes: bytes, flags: list[str]) -> dict:
    from .reply import RSet, Status

    return {b"notes": notes, b"flags": RSet(Status(f) for f in flags),
            b"begin_search": {b"type": b"unknown", b"spec": {}},
            b"find_keys": {b"type": b"unknown", b"spec": {}}}


def _key_specs(readonly: bool) -> list:
    from .reply import RSet, Status

    out = [{
        b"flags": RSet([Status("RO"), Status("access")]),
        b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
        b"find_keys": {b"type": b"range",
                       b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}},
    }, _notes_spec(b"For the optional BY/GET keyword. It is marked 'unknown' because the key "
                   b"names derive from the content of the key we sort", ["RO", "access"])]
    if not readonly:
        out.append(_notes_spec(b"For the optional STORE keyword. It is marked 'unknown' "
                               b"because the keyword can appear anywhere in the argument "
                               b"array", ["OW", "update"]))
    return out


@command("sort", arity=-2, flags="write denyoom movablekeys", keys=(1, 1, 1),
         group="generic", complexity=_COMPLEXITY, since="1.0.0",
         acl="set sortedset list dangerous -keyspace")
def sort_command(c, argv):
    """SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]
    Sort the elements in a list, set or sorted set"""  # noqa: E501
    return _sort_generic(c, argv, False)


@command("sort_ro", arity=-2, flags="readonly movablekeys", keys=(1, 1, 1),
         group="generic", complexity=_COMPLEXITY, since="7.0.0",
         acl="set sortedset list dangerous -keyspace")
def sort_ro_command(c, argv):
    """SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
    Sort the elements in a list, set or sorted set. Read-only variant of SORT."""
    return _sort_generic(c, argv, True)


sort_command.getkeys = sort_getkeys
sort_command.key_specs = _key_specs(False)
sort_ro_command.getkeys = lambda argv: [1]
sort_ro_command.key_specs = _key_specs(True)
