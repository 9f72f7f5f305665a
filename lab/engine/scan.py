"""The SCAN cursor (``dict.c:dictScan``) shared by SCAN, HSCAN, SSCAN and ZSCAN.

Redis walks the buckets of a power-of-two hash table in *reverse binary* order, so a
full iteration returns every element that was present from start to end even when the
table grows or shrinks in between, may return an element more than once, and may
return more than COUNT elements (a bucket is never split). We keep Python dicts and
sets, so the table is modelled: its size is the one a Redis dict would have for that
many entries (4, then the next power of two), and an element's bucket is
``crc32(element) & mask`` — deterministic, unlike Python's salted ``hash``.

Differs from Redis: the bucket of an element is not siphash with a random seed, so
cursor values differ from a real server's (they are not comparable between two real
servers either); the guarantees are the same.

Complexity: O(N) to index a container when an iteration starts (cursor 0) or when the
modelled table size changed; O(COUNT) per call afterwards.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable, Collection

from . import errors
from .errors import ReplyError

DICT_HT_INITIAL_SIZE = 4
_CACHE_SIZE = 64
# id(container) -> (container, mask, buckets)
_cache: OrderedDict[int, tuple[object, int, dict[int, list]]] = OrderedDict()


def table_size(n: int) -> int:
    """Size of a Redis dict holding ``n`` entries inserted one by one (no shrink yet).

    >>> table_size(0), table_size(4), table_size(5), table_size(1000)
    (4, 4, 8, 1024)
    """
    size = DICT_HT_INITIAL_SIZE
    while size < n:
        size <<= 1
    return size


def _key_bytes(x) -> bytes:
    return x if isinstance(x, bytes) else str(x).encode()


def _rev(v: int) -> int:
    """Reverse the bits of a 64-bit integer."""
    return int(f"{v:064b}"[::-1], 2)


def next_cursor(v: int, mask: int) -> int:
    """One step of dictScan's reverse-binary increment.

    >>> [next_cursor(v, 7) for v in (0, 4, 2, 6, 1, 5, 3, 7)]
    [4, 2, 6, 1, 5, 3, 7, 0]
    """
    v |= ~mask & 0xFFFFFFFFFFFFFFFF
    v = _rev(v)
    v = (v + 1) & 0xFFFFFFFFFFFFFFFF
    return _rev(v)


def _buckets(container: Collection, mask: int, cursor: int) -> dict[int, list]:
    key = id(container)
    hit = _cache.get(key)
    if hit is not None and hit[0] is container and hit[1] == mask and cursor != 0:
        _cache.move_to_end(key)
        return hit[2]
    buckets: dict[int, list] = {}
    for el in container:
        b = zlib.crc32(_key_bytes(el)) & mask
        lst = buckets.get(b)
        if lst is None:
            buckets[b] = [el]
        else:
            lst.append(el)
    _cache[key] = (container, mask, buckets)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return buckets


def scan_container(container: Collection, cursor: int, count: int,
                   alive: Callable[[object], bool] | None = None) -> tuple[int, list]:
    """One SCAN step over ``container`` (a dict's keys or a set) from ``cursor``.

    Returns ``(next_cursor, elements)``. Like dictScan it visits whole buckets until at
    least ``count`` elements were collected or ``count*10`` buckets were visited, and
    returns cursor 0 when the walk is complete. ``alive(el)`` filters elements deleted
    since the index was built (default: membership in ``container``).
    """
    if not container:
        return 0, []
    mask = table_size(len(container)) - 1
    buckets = _buckets(container, mask, cursor)
    out: list = []
    v = cursor
    max_iterations = count * 10
    check = alive if alive is not None else container.__contains__
    while True:
        for el in buckets.get(v & mask, ()):
            if check(el):
                out.append(el)
        v = next_cursor(v, mask)
        max_iterations -= 1
        if v == 0 or max_iterations <= 0 or len(out) >= count:
            break
    return v, out


def parse_scan_cursor(raw: bytes) -> int:
    """``parseScanCursorOrReply``: ``strtoul`` base 10 — a sign is allowed (``-n`` wraps
    around 2**64), ``""`` is 0, the C string ends at a NUL byte; a leading space, trailing
    junk or a value over 2**64-1 is ``ERR invalid cursor``.

    >>> parse_scan_cursor(b"17"), parse_scan_cursor(b""), parse_scan_cursor(b"-1") == 2**64 - 1
    (17, 0, True)
    """
    s = raw
    i = s.find(b"\0")
    if i >= 0:
        s = s[:i]
        if not s:
            return 0
    if s[:1] in (b" ", b"\t", b"\n", b"\v", b"\f", b"\r"):
        raise ReplyError(errors.INVALID_CURSOR)
    if not s:
        return 0
    neg = s[:1] == b"-"
    body = s[1:] if s[:1] in (b"-", b"+") else s
    if not body or not body.isdigit():
        raise ReplyError(errors.INVALID_CURSOR)
    digits = body.lstrip(b"0") or b"0"  # strtoul takes leading zeros
    if len(digits) > 20:  # past 2**64-1 (20 digits): ERANGE
        raise ReplyError(errors.INVALID_CURSOR)
    v = int(digits)
    if v > 0xFFFFFFFFFFFFFFFF:
        raise ReplyError(errors.INVALID_CURSOR)
    return (-v) & 0xFFFFFFFFFFFFFFFF if neg else v
