"""Bit commands (``bitops.c``): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
BITFIELD_RO.

Bits are numbered from the most significant bit of the first byte (bit 0 is ``0x80`` of
byte 0). Writes grow the string with zero bytes and leave it ``raw`` (Redis unshares the
value before editing it). Ranges are computed on Python ints built from byte slices, so
counting and searching cost O(length) in C, not per bit in Python.
"""

from __future__ import annotations

from . import errors
from .commands import command
from .db import LOOKUP_WRITE, NOTIFY_GENERIC, NOTIFY_STRING
from .errors import ReplyError
from .objects import OBJ_STRING
from .strings import copt, store_string
from .util import string2ll

BITFIELDOP_GET = 0
BITFIELDOP_SET = 1
BITFIELDOP_INCRBY = 2

BFOVERFLOW_WRAP = 0
BFOVERFLOW_SAT = 1
BFOVERFLOW_FAIL = 2


def _wrap64(v: int) -> int:
    """Two's complement int64 wrap-around (what C's multiplication does in practice)."""
    return ((v + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def bit_offset(c, arg: bytes, hash: bool = False, bits: int = 0) -> int:
    """``getBitOffsetFromArgument``: a bit offset (``#N`` means ``N*bits`` when ``hash``),
    below ``proto-max-bulk-len`` bytes."""
    usehash = False
    if hash and len(arg) > 1 and arg[0] == 0x23:  # '#'
        arg = arg[1:]
        usehash = True
    v = string2ll(arg)
    if v is None:
        raise ReplyError(errors.BIT_OFFSET)
    if usehash:
        v = _wrap64(v * bits)
    if v < 0 or (v >> 3) >= c.engine.config.proto_max_bulk_len:
        raise ReplyError(errors.BIT_OFFSET)
    return v


def lookup_for_bit_write(c, key: bytes, maxbit: int):
    """``lookupStringForBitCommand``: the string at ``key`` (created if missing), raw and
    zero-padded to hold bit ``maxbit``. Returns ``(obj, dirty)``; ``dirty`` when the key
    was created or grew."""
    db = c.db
    o = db.lookup(key, LOOKUP_WRITE)
    if o is not None and o.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    size = (maxbit >> 3) + 1
    if o is None:
        o = c.engine.new_object(OBJ_STRING, "raw", bytes(size))
        db.add(key, o)
        return o, True
    o.enc = "raw"
    n = len(o.val)
    if n < size:
        o.val = o.val + bytes(size - n)
        return o, True
    return o, False


# --------------------------------------------------------------------------------------
# SETBIT / GETBIT
# --------------------------------------------------------------------------------------
@command("setbit", arity=4, flags="write denyoom", keys=(1, 1, 1), group="bitmap",
         complexity="O(1)", since="2.2.0")
def setbit_command(c, argv):
    """SETBIT key offset value
    Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist."""
    offset = bit_offset(c, argv[2])
    on = string2ll(argv[3])
    if on is None or on & ~1:
        raise ReplyError(errors.BIT_VALUE)
    key = argv[1]
    o, dirty = lookup_for_bit_write(c, key, offset)
    byte = offset >> 3
    s = o.val
    byteval = s[byte]
    mask = 1 << (7 - (offset & 7))
    bitval = 1 if byteval & mask else 0
    if dirty or bitval != on:
        byteval = (byteval & ~mask) | (mask if on else 0)
        o.val = s[:byte] + bytes((byteval,)) + s[byte + 1:]
        c.db.signal_modified(key)
        e = c.engine
        e.notify_keyspace_event(NOTIFY_STRING, "setbit", key, c.db.id)
        e.dirty += 1
    return bitval


@command("getbit", arity=3, flags="readonly fast", keys=(1, 1, 1), group="bitmap",
         complexity="O(1)", since="2.2.0")
def getbit_command(c, argv):
    """GETBIT key offset
    Returns a bit value by offset."""
    offset = bit_offset(c, argv[2])
    o = c.db.lookup_read(argv[1], OBJ_STRING)
    if o is None:
        return 0
    byte = offset >> 3
    s = o.val
    if byte >= len(s):
        return 0
    return 1 if s[byte] & (1 << (7 - (offset & 7))) else 0


# --------------------------------------------------------------------------------------
# BITCOUNT / BITPOS
# --------------------------------------------------------------------------------------
def _range_unit(arg: bytes) -> bool:
    """BIT (True) or BYTE (False); anything else is a syntax error."""
    u = copt(arg)
    if u == b"bit":
        return True
    if u == b"byte":
        return False
    raise ReplyError(errors.SYNTAX)


def _bits_of(s: bytes, first_bit: int, last_bit: int) -> tuple[int, int]:
    """The bits ``first_bit..last_bit`` (inclusive) of ``s`` as an int (MSB first) and
    their count."""
    b0 = first_bit >> 3
    b1 = last_bit >> 3
    v = int.from_bytes(s[b0:b1 + 1], "big")
    width = last_bit - first_bit + 1
    v >>= ((b1 + 1) << 3) - 1 - last_bit
    return v & ((1 << width) - 1), width


@command("bitcount", arity=-2, flags="readonly", keys=(1, 1, 1), group="bitmap",
         complexity="O(N)", since="2.6.0")
def bitcount_command(c, argv):
    """BITCOUNT key [start end [BYTE | BIT]]
    Counts the number of set bits (population counting) in a string."""
    o = c.db.lookup_read(argv[1], OBJ_STRING)
    if o is None:
        return 0
    s = o.val
    n = len(argv)
    if n == 4 or n == 5:
        start = string2ll(argv[2])
        if start is None:
            raise ReplyError(errors.NOT_INTEGER)
        end = string2ll(argv[3])
        if end is None:
            raise ReplyError(errors.NOT_INTEGER)
        if start < 0 and end < 0 and start > end:
            return 0
        isbit = _range_unit(argv[4]) if n == 5 else False
        totlen = len(s) << 3 if isbit else len(s)
        if start < 0:
            start += totlen
        if end < 0:
            end += totlen
        start = max(start, 0)
        end = max(end, 0)
        if end >= totlen:
            end = totlen - 1
        if start > end:
            return 0
        if isbit:
            v, _ = _bits_of(s, start, end)
            return v.bit_count()
        return int.from_bytes(s[start:end + 1], "big").bit_count()
    if n == 2:
        return int.from_bytes(s, "big").bit_count()
    raise ReplyError(errors.SYNTAX)


@command("bitpos", arity=-3, flags="readonly", keys=(1, 1, 1), group="bitmap",
         complexity="O(N)", since="2.8.7")
def bitpos_command(c, argv):
    """BITPOS key bit [start [end [BYTE | BIT]]]
    Finds the first set (1) or clear (0) bit in a string."""
    bit = string2ll(argv[2])
    if bit is None:
        raise ReplyError(errors.NOT_INTEGER)
    if bit != 0 and bit != 1:
        raise ReplyError(errors.BITPOS_BIT)
    o = c.db.lookup(argv[1])
    if o is None:
        # A missing key is an infinite run of zero bits.
        return -1 if bit else 0
    if o.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    s = o.val
    n = len(argv)
    end_given = False
    isbit = False
    if 4 <= n <= 6:
        totlen = len(s)
        start = string2ll(argv[3])
        if start is None:
            raise ReplyError(errors.NOT_INTEGER)
        if n == 6:
            isbit = _range_unit(argv[5])
        if n >= 5:
            end = string2ll(argv[4])
            if end is None:
                raise ReplyError(errors.NOT_INTEGER)
            end_given = True
        else:
            end = (totlen << 3) + 7 if isbit else totlen - 1
        if isbit:
            totlen <<= 3
        if start < 0:
            start += totlen
        if end < 0:
            end += totlen
        start = max(start, 0)
        end = max(end, 0)
        if end >= totlen:
            end = totlen - 1
    elif n == 3:
        start = 0
        end = len(s) - 1
    else:
        raise ReplyError(errors.SYNTAX)
    if start > end:
        return -1
    if isbit:
        first, last = start, end
    else:
        first, last = start << 3, (end << 3) + 7
    v, width = _bits_of(s, first, last)
    if not bit:
        v ^= (1 << width) - 1
    if v:
        return first + width - v.bit_length()
    if bit or end_given:
        return -1
    # Looking for a clear bit with no explicit end: the string continues with zeros.
    return ((last >> 3) + 1) << 3


# --------------------------------------------------------------------------------------
# BITOP
# --------------------------------------------------------------------------------------
@command("bitop", arity=-4, flags="write denyoom", keys=(2, -1, 1), group="bitmap",
         complexity="O(N)", since="2.6.0")
def bitop_command(c, argv):
    """BITOP AND|OR|XOR|NOT destkey key [key ...]
    Performs bitwise operations on multiple strings, and stores the result."""
    op = copt(argv[1])
    if op not in (b"and", b"or", b"xor", b"not"):
        raise ReplyError(errors.SYNTAX)
    if op == b"not" and len(argv) != 4:
        raise ReplyError(errors.BITOP_NOT_ONE_KEY)
    db = c.db
    srcs: list[bytes] = []
    for key in argv[3:]:
        o = db.lookup(key)
        if o is None:
            srcs.append(b"")
            continue
        if o.type != OBJ_STRING:
            raise ReplyError(errors.WRONGTYPE)
        srcs.append(o.val)
    maxlen = max(len(s) for s in srcs)
    e = c.engine
    target = argv[2]
    if maxlen:
        if op == b"not":
            res = (int.from_bytes(srcs[0], "big") ^ ((1 << (maxlen << 3)) - 1)).to_bytes(maxlen, "big")
        else:
            vals = [int.from_bytes(s, "big") << ((maxlen - len(s)) << 3) for s in srcs]
            acc = vals[0]
            if op == b"and":
                for v in vals[1:]:
                    acc &= v
            elif op == b"or":
                for v in vals[1:]:
                    acc |= v
            else:
                for v in vals[1:]:
                    acc ^= v
            res = acc.to_bytes(maxlen, "big")
        store_string(c, target, e.new_object(OBJ_STRING, "raw", res))
        e.notify_keyspace_event(NOTIFY_STRING, "set", target, db.id)
        e.dirty += 1
    elif db.delete(target):
        db.signal_modified(target)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", target, db.id)
        e.dirty += 1
    return maxlen


# --------------------------------------------------------------------------------------
# BITFIELD / BITFIELD_RO
# --------------------------------------------------------------------------------------
def _bitfield_type(arg: bytes) -> tuple[bool, int]:
    """``getBitfieldTypeFromArgument``: ``i1``..``i64`` or ``u1``..``u63`` (lower case)."""
    if not arg or arg[0] not in (0x69, 0x75):  # 'i', 'u'
        raise ReplyError(errors.BITFIELD_TYPE)
    sign = arg[0] == 0x69
    rest = arg[1:]
    nul = rest.find(b"\0")
    if nul >= 0:
        rest = rest[:nul]
    bits = string2ll(rest)
    if bits is None or bits < 1 or (sign and bits > 64) or (not sign and bits > 63):
        raise ReplyError(errors.BITFIELD_TYPE)
    return sign, bits


def _get_field(s, offset: int, bits: int, sign: bool) -> int:
    """The field at ``offset`` (MSB first), reading zeros past the end of ``s``."""
    b0 = offset >> 3
    b1 = (offset + bits - 1) >> 3
    chunk = s[b0:b1 + 1]
    v = int.from_bytes(chunk, "big") << ((b1 + 1 - b0 - len(chunk)) << 3)
    v = (v >> (((b1 + 1) << 3) - offset - bits)) & ((1 << bits) - 1)
    if sign and v >> (bits - 1):
        v -= 1 << bits
    return v


def _set_field(buf: bytearray, offset: int, bits: int, value: int) -> None:
    b0 = offset >> 3
    b1 = (offset + bits - 1) >> 3
    shift = ((b1 + 1) << 3) - offset - bits
    mask = ((1 << bits) - 1) << shift
    v = int.from_bytes(buf[b0:b1 + 1], "big")
    v = (v & ~mask) | ((value << shift) & mask)
    buf[b0:b1 + 1] = v.to_bytes(b1 + 1 - b0, "big")


def _bitfield_generic(c, argv, readonly_cmd: bool):
    ops = []
    owtype = BFOVERFLOW_WRAP
    readonly = True
    highest_write_offset = 0
    n = len(argv)
    j = 2
    while j < n:
        remargs = n - j - 1
        sub = copt(argv[j])
        if sub == b"get" and remargs >= 2:
            opcode = BITFIELDOP_GET
        elif sub == b"set" and remargs >= 3:
            opcode = BITFIELDOP_SET
        elif sub == b"incrby" and remargs >= 3:
            opcode = BITFIELDOP_INCRBY
        elif sub == b"overflow" and remargs >= 1:
            t = copt(argv[j + 1])
            j += 2
            if t == b"wrap":
                owtype = BFOVERFLOW_WRAP
            elif t == b"sat":
                owtype = BFOVERFLOW_SAT
            elif t == b"fail":
                owtype = BFOVERFLOW_FAIL
            else:
                raise ReplyError(errors.BITFIELD_OVERFLOW_TYPE)
            continue
        else:
            raise ReplyError(errors.SYNTAX)
        sign, bits = _bitfield_type(argv[j + 1])
        offset = bit_offset(c, argv[j + 2], True, bits)
        i64 = 0
        if opcode != BITFIELDOP_GET:
            readonly = False
            highest_write_offset = max(highest_write_offset, offset + bits - 1)
            i64 = string2ll(argv[j + 3])
            if i64 is None:
                raise ReplyError(errors.NOT_INTEGER)
        ops.append((opcode, offset, i64, owtype, bits, sign))
        j += 3 if opcode == BITFIELDOP_GET else 4

    key = argv[1]
    if readonly:
        o = c.db.lookup_read(key, OBJ_STRING)
        src = o.val if o is not None else b""
        return [_get_field(src, off, bits, sign) for _, off, _, _, bits, sign in ops]
    if readonly_cmd:
        raise ReplyError(errors.BITFIELD_RO_GET_ONLY)
    o, dirty = lookup_for_bit_write(c, key, highest_write_offset)
    buf = bytearray(o.val)
    replies: list = []
    changes = 0
    for opcode, offset, i64, ow, bits, sign in ops:
        if opcode == BITFIELDOP_GET:
            replies.append(_get_field(buf, offset, bits, sign))
            continue
        oldval = _get_field(buf, offset, bits, sign)
        if sign:
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            target = oldval + i64 if opcode == BITFIELDOP_INCRBY else i64
            overflow = target > hi or target < lo
            if overflow:
                if ow == BFOVERFLOW_WRAP:
                    newval = target & ((1 << bits) - 1)
                    if newval >> (bits - 1):
                        newval -= 1 << bits
                elif ow == BFOVERFLOW_SAT:
                    newval = hi if target > hi else lo
                else:
                    newval = oldval
            else:
                newval = target
        else:
            hi = (1 << bits) - 1
            if opcode == BITFIELDOP_INCRBY:
                target = oldval + i64
                overflow = target > hi or target < 0
                sat = hi if target > hi else 0
            else:
                # SET takes the int64 as an unsigned 64-bit value: negatives are huge.
                target = i64 & ((1 << 64) - 1)
                overflow = target > hi
                sat = hi
            if overflow:
                if ow == BFOVERFLOW_WRAP:
                    newval = target & hi
                elif ow == BFOVERFLOW_SAT:
                    newval = sat
                else:
                    newval = oldval
            else:
                newval = target
        if overflow and ow == BFOVERFLOW_FAIL:
            replies.append(None)
            continue
        replies.append(newval if opcode == BITFIELDOP_INCRBY else oldval)
        _set_field(buf, offset, bits, newval)
        if dirty or oldval != newval:
            changes += 1
    o.val = bytes(buf)
    if changes:
        db = c.db
        db.signal_modified(key)
        e = c.engine
        e.notify_keyspace_event(NOTIFY_STRING, "setbit", key, db.id)
        e.dirty += changes
    return replies


@command("bitfield", arity=-2, flags="write denyoom", keys=(1, 1, 1), group="bitmap",
         complexity="O(1) for each subcommand specified", since="3.2.0")
def bitfield_command(c, argv):
    """BITFIELD key [GET type offset|[OVERFLOW WRAP|SAT|FAIL] SET type offset value|INCRBY type offset n ...]
    Performs arbitrary bitfield integer operations on strings."""
    return _bitfield_generic(c, argv, False)


@command("bitfield_ro", arity=-2, flags="readonly fast", keys=(1, 1, 1), group="bitmap",
         complexity="O(1) for each subcommand specified", since="6.0.0")
def bitfield_ro_command(c, argv):
    """BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
    Performs arbitrary read-only bitfield integer operations on strings."""
    return _bitfield_generic(c, argv, True)
