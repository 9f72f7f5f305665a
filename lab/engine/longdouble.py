r"""x87 long double arithmetic, exactly (``util.c:string2ld``, ``ld2string``).

Redis computes INCRBYFLOAT, HINCRBYFLOAT and blocking timeouts in C's ``long double``
(80-bit extended on x86-64: a 64-bit significand) and prints results with
``%.17Lf`` trimmed. Python has no such type, so values are exact ``Fraction``\s rounded
to the x87 grid (ties to even, subnormals included): ``ld_parse`` (strtold with
Redis's checks), ``ld_round``, ``ld_format_human``.

>>> ld_format_human(ld_round(ld_parse(b"10.6") + ld_parse(b"-5000")))
b'-4989.39999999999999991'
"""

from __future__ import annotations

import re
from fractions import Fraction

LD_MANT_BITS = 64
LD_EMIN = -16382  # smallest normal exponent: 2**-16382
LD_QMIN = LD_EMIN - (LD_MANT_BITS - 1)  # -16445: the quantum of subnormals
LD_OVERFLOW = Fraction(1 << 16384)  # anything that rounds to >= this is infinite
MAX_LONG_DOUBLE_CHARS = 5 * 1024
LD_INF = float("inf")

_LD_DEC_RE = re.compile(rb"([+-]?)(?:([0-9]+)\.?([0-9]*)|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?\Z")
_LD_HEX_RE = re.compile(
    rb"([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?\Z"
)
_LD_INF_RE = re.compile(rb"([+-]?)inf(?:inity)?\Z", re.I)


_CHUNK = 1000  # digits per step: stays far below Python's int<->str digit limit


def _dec_to_int(digits: bytes) -> int:
    """``int(digits)`` for strings longer than ``sys.get_int_max_str_digits()``."""
    n = 0
    for i in range(0, len(digits), _CHUNK):
        part = digits[i:i + _CHUNK]
        n = n * 10 ** len(part) + int(part)
    return n


def _int_to_dec(n: int) -> bytes:
    """``b"%d" % n`` (n >= 0) for numbers of any length."""
    if n < 10 ** _CHUNK:
        return b"%d" % n
    parts = []
    base = 10 ** _CHUNK
    while n >= base:
        n, r = divmod(n, base)
        parts.append(b"%0*d" % (_CHUNK, r))
    parts.append(b"%d" % n)
    return b"".join(reversed(parts))


def _exponent(raw: bytes | None) -> int:
    """An exponent field; absurdly long ones are clamped (they over/underflow anyway)."""
    if not raw:
        return 0
    neg = raw[:1] == b"-"
    digits = raw.lstrip(b"+-").lstrip(b"0")
    if len(digits) > 9:
        return -10 ** 9 if neg else 10 ** 9
    return -int(digits or b"0") if neg else int(digits or b"0")


def ld_round(x: Fraction) -> Fraction | float:
    """Round an exact rational to the nearest long double (ties to even).

    Returns a ``Fraction`` (the exact value of the long double), or ``±inf`` on
    overflow. Subnormals are rounded to the 2**-16445 grid; tiny values become 0.

    >>> ld_round(Fraction(1, 10)) == Fraction(14757395258967641293, 2**67)
    True
    """
    if x == 0:
        return Fraction(0)
    neg = x < 0
    a = -x if neg else x
    n, d = a.numerator, a.denominator
    e = n.bit_length() - d.bit_length()
    if e >= 0:
        if n < (d << e):
            e -= 1
    elif (n << -e) < d:
        e -= 1
    q = max(e - (LD_MANT_BITS - 1), LD_QMIN)
    if q >= 0:
        sn, sd = n, d << q
    else:
        sn, sd = n << -q, d
    m, r = divmod(sn, sd)
    if 2 * r > sd or (2 * r == sd and m & 1):
        m += 1
    res = Fraction(m << q) if q >= 0 else Fraction(m, 1 << -q)
    if res >= LD_OVERFLOW:
        return -LD_INF if neg else LD_INF
    return -res if neg else res


def ld_parse(s: bytes) -> Fraction | float | None:
    """``util.c:string2ld``: strtold with Redis's extra rules, exactly rounded.

    None when it is not a number for Redis (empty, >= 5120 bytes, leading space,
    trailing junk, NaN, overflow to ±HUGE_VALL, underflow to zero). ``inf`` and
    ``infinity`` are accepted (as ``±inf``).

    >>> ld_parse(b"1.5"), ld_parse(b" 1"), ld_parse(b"1e5000"), ld_parse(b"-inf")
    (Fraction(3, 2), None, None, -inf)
    """
    if not s or len(s) >= MAX_LONG_DOUBLE_CHARS:
        return None
    m = _LD_DEC_RE.match(s)
    if m is not None:
        sign, ip, fp, only_fp, ex = m.groups()
        if ip is None:
            ip, fp = b"", only_fp
        digits = (ip + fp).lstrip(b"0")
        exp10 = _exponent(ex) - len(fp)
        if not digits:
            return Fraction(0)
        magnitude = len(digits) + exp10  # value in [10**(magnitude-1), 10**magnitude)
        if magnitude - 1 > 4935:
            return None  # overflow: strtold gives HUGE_VALL and ERANGE
        if magnitude < -4955:
            return None  # underflow to zero with ERANGE
        if exp10 >= 0:
            exact = Fraction(_dec_to_int(digits) * 10 ** exp10)
        else:
            exact = Fraction(_dec_to_int(digits), 10 ** -exp10)
    else:
        m = _LD_HEX_RE.match(s)
        if m is not None:
            sign, ip, fp, only_fp, ex = m.groups()
            if ip is None:
                ip, fp = b"", only_fp
            mant = int(ip + fp, 16) if (ip + fp) else 0
            exp2 = _exponent(ex) - 4 * len(fp)
            if mant == 0:
                return Fraction(0)
            top = mant.bit_length() + exp2  # value in [2**(top-1), 2**top)
            if top - 1 > 16384:
                return None
            if top < LD_QMIN - 2:
                return None
            exact = Fraction(mant << exp2) if exp2 >= 0 else Fraction(mant, 1 << -exp2)
        else:
            m = _LD_INF_RE.match(s)
            if m is None:
                return None
            return -LD_INF if m.group(1) == b"-" else LD_INF
    v = ld_round(exact)
    if isinstance(v, float) or v == 0:
        return None  # ERANGE with ±HUGE_VALL or zero
    return -v if sign == b"-" else v


def ld_format_human(v: Fraction) -> bytes:
    """``ld2string(LD_STR_HUMAN)``: ``%.17Lf`` (exact, ties to even), trailing zeros and
    a trailing dot removed, ``-0`` printed as ``0``.

    >>> ld_format_human(Fraction(3, 2)), ld_format_human(Fraction(-100))
    (b'1.5', b'-100')
    """
    neg = v < 0
    a = -v if neg else v
    scaled = a * 10 ** 17
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r > scaled.denominator or (2 * r == scaled.denominator and q & 1):
        q += 1
    digits = _int_to_dec(q).rjust(18, b"0")
    out = digits[:-17] + b"." + digits[-17:]
    out = out.rstrip(b"0")
    if out.endswith(b"."):
        out = out[:-1]
    if neg:
        out = b"-" + out
    if out == b"-0":
        out = b"0"
    return out
