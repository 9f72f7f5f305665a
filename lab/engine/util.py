"""Parsing and matching helpers with Redis's exact rules (``util.c``, ``object.c``).

Python's ``int()`` and ``float()`` accept things Redis rejects (``" 1"``, ``"+1"``,
``"1_000"``, ``"nan"``), so every numeric argument goes through these functions.
"""

from __future__ import annotations

import math
import re

from . import errors
from .errors import ReplyError

LLONG_MAX = 9223372036854775807
LLONG_MIN = -9223372036854775808

# util.c:string2ll accepts: "0", or an optional '-' followed by a digit 1-9 and more
# digits. No '+', no spaces, no leading zeros, no "-0".
_INT_RE = re.compile(rb"(?:0|-?[1-9][0-9]*)\Z")


def string2ll(s: bytes) -> int | None:
    """Parse ``s`` like ``util.c:string2ll``; ``None`` when it is not a canonical int64.

    >>> string2ll(b"-12"), string2ll(b"012"), string2ll(b"+1"), string2ll(b"9223372036854775808")
    (-12, None, None, None)
    """
    if len(s) > 20 or not _INT_RE.match(s):
        return None
    v = int(s)
    if v > LLONG_MAX or v < LLONG_MIN:
        return None
    return v


def parse_int(s: bytes, msg: str = errors.NOT_INTEGER) -> int:
    """``getLongLongFromObjectOrReply``: a canonical int64 or the error reply ``msg``."""
    v = string2ll(s)
    if v is None:
        raise ReplyError(msg)
    return v


def parse_int_range(s: bytes, lo: int, hi: int, msg: str = errors.NOT_INTEGER) -> int:
    v = string2ll(s)
    if v is None or v < lo or v > hi:
        raise ReplyError(msg)
    return v


def parse_positive(s: bytes, msg: str = errors.MUST_BE_POSITIVE) -> int:
    """``getPositiveLongFromObjectOrReply``: an int >= 0, else ``msg`` — for negative
    numbers *and* for non-numbers, as Redis passes the caller's message to both checks."""
    v = string2ll(s)
    if v is None or v < 0:
        raise ReplyError(msg)
    return v


# strtod accepts decimal and hexadecimal floats with an optional sign, "inf"/"infinity"
# and "nan" (the latter rejected by Redis with isnan()). Redis also rejects leading space
# (isspace(buf[0])) and any trailing characters.
_FLOAT_RE = re.compile(
    rb"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?)\Z", re.I
)
_HEXFLOAT_RE = re.compile(rb"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?\Z")


def strtod(s: bytes) -> float | None:
    """``strtod`` of the whole argument (no leading space, no trailing junk, no NaN);
    out-of-range values come back as ±inf or 0 (ERANGE is ignored, as in zslParseRange).

    >>> strtod(b"1e3"), strtod(b"-inf"), strtod(b" 1"), strtod(b"nan"), strtod(b"1e999")
    (1000.0, -inf, None, None, inf)
    """
    if not s or len(s) > 5000:
        return None
    if _FLOAT_RE.match(s):
        v = float(s)
    elif _HEXFLOAT_RE.match(s):
        t = s.decode()
        neg = t.startswith("-")
        t = t.lstrip("+-")
        if "p" not in t.lower():
            t += "p0"
        try:
            v = float.fromhex(t)
        except OverflowError:  # strtod: ±HUGE_VAL (callers decide whether ERANGE matters)
            v = float("inf")
        if neg:
            v = -v
    else:
        return None
    if math.isnan(v):
        return None
    return v


def string2d(s: bytes) -> float | None:
    """``getDoubleFromObject``: strtod, and ERANGE is an error too — overflow to ±inf
    (unless infinity is spelled out) and non-zero values that underflow to 0.

    >>> string2d(b"1e3"), string2d(b"-inf"), string2d(b"1e999"), string2d(b"1e-999"), string2d(b"0x10")
    (1000.0, -inf, None, None, 16.0)
    """
    v = strtod(s)
    if v is None:
        return None
    if math.isinf(v):
        return v if b"n" in s.lower() else None  # "inf"/"infinity" vs an overflow
    if v == 0.0:
        a = s.lower().lstrip(b"+-")
        mant = a[2:].split(b"p", 1)[0] if a[:2] == b"0x" else a.split(b"e", 1)[0]
        if mant.strip(b"0."):
            return None  # a non-zero number that underflowed to zero
    return v


def parse_float(s: bytes, msg: str = errors.NOT_FLOAT) -> float:
    v = string2d(s)
    if v is None:
        raise ReplyError(msg)
    return v


def ll2bytes(v: int) -> bytes:
    return b"%d" % v


def stringmatch(pattern: bytes, string: bytes, nocase: bool = False) -> bool:
    """Glob matching with the semantics of ``util.c:stringmatchlen``.

    ``*`` any run, ``?`` one byte, ``[abc]``, ``[^a-z]`` (ranges may be reversed),
    ``\\x`` escapes. An unterminated ``[`` matches up to the end of the pattern.

    >>> stringmatch(b"user:*", b"user:42"), stringmatch(b"h[^e]llo", b"hello")
    (True, False)
    >>> stringmatch(b"a[c-a]", b"ab"), stringmatch(b"\\\\*", b"*")
    (True, True)
    """
    if nocase:
        pattern = pattern.lower()
        string = string.lower()
    return _match(pattern, 0, string, 0)


def _match(p: bytes, pi: int, s: bytes, si: int) -> bool:
    plen, slen = len(p), len(s)
    while pi < plen and si < slen:
        c = p[pi]
        if c == 0x2A:  # '*'
            while pi + 1 < plen and p[pi + 1] == 0x2A:
                pi += 1
            if pi + 1 == plen:
                return True
            for k in range(si, slen):
                if _match(p, pi + 1, s, k):
                    return True
            return False
        elif c == 0x3F:  # '?'
            si += 1
        elif c == 0x5B:  # '['
            pi += 1
            negate = pi < plen and p[pi] == 0x5E
            if negate:
                pi += 1
            matched = False
            while True:
                if pi >= plen:
                    pi -= 1  # unterminated class: stringmatchlen backs up one
                    break
                ch = p[pi]
                if ch == 0x5D:  # ']'
                    break
                if ch == 0x5C and plen - pi >= 2:  # '\\' escape inside a class
                    pi += 1
                    if p[pi] == s[si]:
                        matched = True
                elif plen - pi >= 3 and p[pi + 1] == 0x2D:  # range a-z
                    start, end = ch, p[pi + 2]
                    if start > end:
                        start, end = end, start
                    pi += 2
                    if start <= s[si] <= end:
                        matched = True
                elif ch == s[si]:
                    matched = True
                pi += 1
            if negate:
                matched = not matched
            if not matched:
                return False
            si += 1
        elif c == 0x5C and pi + 1 < plen:  # '\\' escape
            pi += 1
            if p[pi] != s[si]:
                return False
            si += 1
        else:
            if c != s[si]:
                return False
            si += 1
        pi += 1
        if si == slen:
            while pi < plen and p[pi] == 0x2A:
                pi += 1
            break
    return pi == plen and si == slen
