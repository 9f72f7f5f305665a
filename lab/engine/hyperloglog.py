"""HyperLogLog (``hyperloglog.c``): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.

Representation
--------------
An HLL is an ordinary string value (``RObj("string", "raw", bytes)``) holding Redis's own
byte layout, so ``GET`` returns exactly what a 7.0 server returns and a real server's
HLL string ``SET`` into the engine behaves the same:

* a 16-byte header: ``HYLL``, the encoding byte (0 dense, 1 sparse), 3 unused bytes and
  the cached cardinality as a little-endian uint64 whose top bit (bit 7 of byte 15) marks
  the cache invalid;
* dense: 16384 registers of 6 bits, register ``i`` at bit ``6*i`` counting from the least
  significant bit of each byte (12288 bytes);
* sparse: run-length opcodes ``ZERO`` ``00xxxxxx`` (1..64 zero registers), ``XZERO``
  ``01xxxxxx yyyyyyyy`` (1..16384 zero registers), ``VAL`` ``1vvvvvxx`` (1..4 registers
  of value 1..32). A new HLL is one ``XZERO`` covering every register.

Each element is hashed with MurmurHash64A (seed ``0xadc83b19``): the low 14 bits pick the
register, the run length is one plus the number of trailing zero bits of the remaining 50
bits (a sentinel bit at position 50 caps it at 51). A sparse HLL is updated in place by
splitting the opcode that covers the register (into at most ``XZERO VAL XZERO``), then
adjacent equal ``VAL`` opcodes are merged over a window of five opcodes starting at the
opcode before the edited one, as ``hllSparseSet`` does, so the bytes match the server's.
It is promoted to dense when a register would exceed 32 or when the edit would grow the
string past ``hll-sparse-max-bytes`` (header included).

The cardinality is 7.0's estimator (Ertl, "New cardinality estimation algorithms for
HyperLogLog sketches"): the register histogram through the ``tau``/``sigma`` series, all
in IEEE double arithmetic exactly as the C code orders it, rounded half away from zero.

Dense registers are unpacked / packed / max-merged 4096 lanes at a time with big-integer
bit operations (one byte per lane), never a Python loop over 16384 registers.

Not modelled: PFSELFTEST runs a reduced self-test of this module (register packing,
sparse/dense agreement, estimator error on 10000 elements) instead of 7.0's multi-million
element run (1.5 s in C, minutes in Python); it answers ``OK`` like the server.
"""

from __future__ import annotations

import math
import struct
from bisect import bisect_left, bisect_right

from . import errors
from .commands import command
from .db import NOTIFY_STRING
from .errors import ReplyError
from .objects import OBJ_STRING
from .reply import OK, Status

__all__ = [
    "HLL_REGISTERS",
    "hll_cardinality",
    "hll_registers",
    "murmurhash64a",
    "new_sparse",
    "pat_len",
]

HLL_P = 14
HLL_Q = 64 - HLL_P
HLL_REGISTERS = 1 << HLL_P
HLL_P_MASK = HLL_REGISTERS - 1
HLL_BITS = 6
HLL_REGISTER_MAX = (1 << HLL_BITS) - 1
HLL_HDR_SIZE = 16
HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS + 7) // 8
HLL_DENSE = 0
HLL_SPARSE = 1
HLL_MAX_ENCODING = 1
HLL_SPARSE_VAL_MAX_VALUE = 32
HLL_SPARSE_VAL_MAX_LEN = 4
HLL_SPARSE_ZERO_MAX_LEN = 64
HLL_SPARSE_XZERO_MAX_LEN = 16384
HLL_ALPHA_INF = 0.721347520444481703680  # 1 / (2 ln 2)
HLL_SEED = 0xADC83B19

_M64 = (1 << 64) - 1
_MURMUR_M = 0xC6A4A7935BD1E995
_MURMUR_R = 47

# One byte per lane, 4096 lanes (a quarter of the registers).
_LANES = HLL_REGISTERS // 4
_L03 = int.from_bytes(b"\x03" * _LANES, "little")
_L0F = int.from_bytes(b"\x0f" * _LANES, "little")
_L3F = int.from_bytes(b"\x3f" * _LANES, "little")
_L80 = int.from_bytes(b"\x80" * _LANES, "little")
_L01 = int.from_bytes(b"\x01" * _LANES, "little")

_HDR_SPARSE = b"HYLL\x01\x00\x00\x00" + b"\x00" * 8


def new_sparse() -> bytearray:
    """``createHLLObject``: an empty sparse HLL, cached cardinality 0 (valid).

    >>> bytes(new_sparse()).hex()
    '48594c4c0100000000000000000000007fff'
    """
    # XZERO covering all 16384 registers: 01 + 14 bits of (16384 - 1).
    n = HLL_REGISTERS - 1
    return bytearray(_HDR_SPARSE + bytes((0x40 | (n >> 8), n & 0xFF)))


# -- hashing --------------------------------------------------------------------------
def murmurhash64a(data: bytes, seed: int = HLL_SEED) -> int:
    """MurmurHash64A (Austin Appleby) over ``data``, 8-byte little-endian blocks.

    >>> hex(murmurhash64a(b"a"))
    '0x53d2470a9b43b1a7'
    """
    n = len(data)
    m = _MURMUR_M
    h = (seed ^ (n * m)) & _M64
    nblocks = n >> 3
    if nblocks:
        for k in struct.unpack_from("<%dQ" % nblocks, data):
            k = (k * m) & _M64
            k ^= k >> _MURMUR_R
            k = (k * m) & _M64
            h = ((h ^ k) * m) & _M64
    rem = n & 7
    if rem:
        h = ((h ^ int.from_bytes(data[n - rem:], "little")) * m) & _M64
    h ^= h >> _MURMUR_R
    h = (h * m) & _M64
    return h ^ (h >> _MURMUR_R)


def pat_len(ele: bytes) -> tuple[int, int]:
    """``hllPatLen``: (register index, run length of the ``000..1`` pattern + 1).

    The registers a real 7.0 server sets for a, b, c (``PFDEBUG DECODE``:
    ``Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603``):

    >>> sorted(pat_len(e) for e in (b"a", b"b", b"c"))
    [(8436, 1), (12711, 2), (15780, 1)]
    """
    h = murmurhash64a(ele)
    rest = (h >> HLL_P) | (1 << HLL_Q)
    return h & HLL_P_MASK, (rest & -rest).bit_length()


# -- dense registers --------------------------------------------------------------------
def _dense_get(buf, index: int) -> int:
    pos = index * HLL_BITS
    b = HLL_HDR_SIZE + (pos >> 3)
    fb = pos & 7
    if fb <= 2:
        return (buf[b] >> fb) & HLL_REGISTER_MAX
    return ((buf[b] >> fb) | (buf[b + 1] << (8 - fb))) & HLL_REGISTER_MAX


def _dense_put(buf: bytearray, index: int, val: int) -> None:
    pos = index * HLL_BITS
    b = HLL_HDR_SIZE + (pos >> 3)
    fb = pos & 7
    buf[b] = (buf[b] & ~(HLL_REGISTER_MAX << fb) & 0xFF) | ((val << fb) & 0xFF)
    if fb > 2:
        fb8 = 8 - fb
        buf[b + 1] = (buf[b + 1] & ~(HLL_REGISTER_MAX >> fb8) & 0xFF) | (val >> fb8)


def _dense_regs(v) -> bytes:
    """The 16384 registers of a dense HLL, one byte each."""
    data = bytes(v[HLL_HDR_SIZE:HLL_DENSE_SIZE])
    b0 = int.from_bytes(data[0::3], "little")
    b1 = int.from_bytes(data[1::3], "little")
    b2 = int.from_bytes(data[2::3], "little")
    out = bytearray(HLL_REGISTERS)
    out[0::4] = (b0 & _L3F).to_bytes(_LANES, "little")
    out[1::4] = (((b0 >> 6) & _L03) | ((b1 & _L0F) << 2)).to_bytes(_LANES, "little")
    out[2::4] = (((b1 >> 4) & _L0F) | ((b2 & _L03) << 4)).to_bytes(_LANES, "little")
    out[3::4] = ((b2 >> 2) & _L3F).to_bytes(_LANES, "little")
    return bytes(out)


def _pack_dense(regs) -> bytes:
    """12288 bytes of dense registers from 16384 one-byte registers (values < 64)."""
    r0 = int.from_bytes(regs[0::4], "little")
    r1 = int.from_bytes(regs[1::4], "little")
    r2 = int.from_bytes(regs[2::4], "little")
    r3 = int.from_bytes(regs[3::4], "little")
    out = bytearray(HLL_DENSE_SIZE - HLL_HDR_SIZE)
    out[0::3] = (r0 | ((r1 & _L03) << 6)).to_bytes(_LANES, "little")
    out[1::3] = (((r1 >> 2) & _L0F) | ((r2 & _L0F) << 4)).to_bytes(_LANES, "little")
    out[2::3] = (((r2 >> 4) & _L03) | (r3 << 2)).to_bytes(_LANES, "little")
    return bytes(out)


def _max_regs(a: bytes, b: bytes) -> bytes:
    """Register-wise maximum of two one-byte-per-register arrays (values < 128)."""
    n = len(a)
    x = int.from_bytes(a, "little")
    y = int.from_bytes(b, "little")
    h = int.from_bytes(b"\x80" * n, "little") if n != _LANES else _L80
    ge = (((x | h) - y) & h) >> 7  # 1 in lanes where a >= b
    mask = ge * 0xFF
    return ((x & mask) | (y & ~mask)).to_bytes(n, "little")


# -- sparse representation -------------------------------------------------------------
def _sparse_regs(v) -> bytearray | None:
    """Registers of a sparse HLL (``hllSparseToDense`` / ``hllMerge``'s walk), or None
    when the opcodes do not cover exactly 16384 registers."""
    regs = bytearray(HLL_REGISTERS)
    idx = 0
    p = HLL_HDR_SIZE
    end = len(v)
    while p < end:
        op = v[p]
        if op < 0x40:
            idx += op + 1
            p += 1
        elif op < 0x80:
            idx += (((op & 0x3F) << 8) | (v[p + 1] if p + 1 < end else 0)) + 1
            p += 2
        else:
            runlen = (op & 3) + 1
            if idx + runlen > HLL_REGISTERS:
                break
            val = ((op >> 2) & 0x1F) + 1
            if runlen == 1:
                regs[idx] = val
            else:
                regs[idx:idx + runlen] = bytes((val,)) * runlen
            idx += runlen
            p += 1
    if idx != HLL_REGISTERS:
        return None
    return regs


def _sparse_histo(v) -> tuple[list[int], bool]:
    """``hllSparseRegHisto``: (histogram, valid)."""
    histo = [0] * 64
    idx = 0
    p = HLL_HDR_SIZE
    end = len(v)
    while p < end:
        op = v[p]
        if op < 0x40:
            run = op + 1
            histo[0] += run
            p += 1
        elif op < 0x80:
            run = (((op & 0x3F) << 8) | (v[p + 1] if p + 1 < end else 0)) + 1
            histo[0] += run
            p += 2
        else:
            run = (op & 3) + 1
            histo[((op >> 2) & 0x1F) + 1] += run
            p += 1
        idx += run
    return histo, idx == HLL_REGISTERS


def _zero_op(n: int) -> bytes:
    if n > HLL_SPARSE_ZERO_MAX_LEN:
        n -= 1
        return bytes((0x40 | (n >> 8), n & 0xFF))
    return bytes((n - 1,))


def _val_op(val: int, n: int) -> int:
    return 0x80 | ((val - 1) << 2) | (n - 1)


def _to_dense(buf) -> bytearray | None:
    """``hllSparseToDense``: the header (magic, cached cardinality) is kept."""
    regs = _sparse_regs(buf)
    if regs is None:
        return None
    out = bytearray(buf[:HLL_HDR_SIZE])
    out[4] = HLL_DENSE
    out += _pack_dense(regs)
    return out


class _Hint:
    """Where the walk may start for an index above the last one set (PFMERGE sets
    registers in increasing order): the opcode before the last edited one, which the
    edit left at the same position covering the same registers."""

    __slots__ = ("first", "pos")

    def __init__(self) -> None:
        self.pos = HLL_HDR_SIZE
        self.first = 0


def _sparse_find(buf, index: int, p: int, first: int):
    """Step 1 of ``hllSparseSet``: (opcode position, first register, span, previous
    opcode or -1, previous opcode's first register); position -1 when corrupted."""
    end = len(buf)
    prev = -1
    prev_first = 0
    span = 0
    while p < end:
        op = buf[p]
        if op < 0x40:
            span = op + 1
            oplen = 1
        elif op >= 0x80:
            span = (op & 3) + 1
            oplen = 1
        else:
            span = (((op & 0x3F) << 8) | (buf[p + 1] if p + 1 < end else 0)) + 1
            oplen = 2
        if index <= first + span - 1:
            break
        prev = p
        prev_first = first
        p += oplen
        first += span
    if span == 0 or p >= end:
        return -1, 0, 0, -1, 0
    return p, first, span, prev, prev_first


def _sparse_set(buf: bytearray, index: int, count: int, max_bytes: int,
                hint: _Hint | None = None):
    """``hllSparseSet``: returns ``(result, buf)``; result 1 updated, 0 unchanged, -1
    corrupted; ``buf`` is a new dense bytearray when the HLL was promoted."""
    if count > HLL_SPARSE_VAL_MAX_VALUE:
        return _promote(buf, index, count)
    if hint is not None and hint.pos != HLL_HDR_SIZE:
        p, first, span, prev, prev_first = _sparse_find(buf, index, hint.pos, hint.first)
        if prev < 0:  # found at the hint itself: its predecessor is unknown
            p, first, span, prev, prev_first = _sparse_find(buf, index, HLL_HDR_SIZE, 0)
    else:
        p, first, span, prev, prev_first = _sparse_find(buf, index, HLL_HDR_SIZE, 0)
    if p < 0:
        return -1, buf
    if hint is not None and prev >= 0:
        hint.pos = prev
        hint.first = prev_first
    end = len(buf)
    op = buf[p]
    is_xzero = 0x40 <= op < 0x80
    if op >= 0x80:
        old = ((op >> 2) & 0x1F) + 1
        if old >= count:
            return 0, buf
        if span == 1:
            buf[p] = _val_op(count, 1)
            return _merge_and_finish(buf, prev, end), buf
    elif op < 0x40 and span == 1:
        buf[p] = _val_op(count, 1)
        return _merge_and_finish(buf, prev, end), buf
    last = first + span - 1
    if op >= 0x80:
        cur = ((op >> 2) & 0x1F) + 1
        seq = bytearray()
        if index != first:
            seq.append(_val_op(cur, index - first))
        seq.append(_val_op(count, 1))
        if index != last:
            seq.append(_val_op(cur, last - index))
    else:
        seq = bytearray()
        if index != first:
            seq += _zero_op(index - first)
        seq.append(_val_op(count, 1))
        if index != last:
            seq += _zero_op(last - index)
    oldlen = 2 if is_xzero else 1
    delta = len(seq) - oldlen
    if delta > 0 and end + delta > max_bytes:
        return _promote(buf, index, count)
    buf[p:p + oldlen] = seq
    return _merge_and_finish(buf, prev, end + delta), buf


def _merge_and_finish(buf: bytearray, prev: int, end: int) -> int:
    """Step 4 of ``hllSparseSet``: merge adjacent equal VAL opcodes, scanning up to five
    opcodes from the one before the edit; then invalidate the cached cardinality."""
    p = prev if prev >= 0 else HLL_HDR_SIZE
    scan = 5
    while p < end and scan:
        scan -= 1
        op = buf[p]
        if op < 0x80:
            p += 2 if op >= 0x40 else 1
            continue
        if p + 1 < end:
            nxt = buf[p + 1]
            if nxt >= 0x80 and (op & 0x7C) == (nxt & 0x7C):
                n = (op & 3) + (nxt & 3) + 2
                if n <= HLL_SPARSE_VAL_MAX_LEN:
                    buf[p + 1] = (nxt & 0xFC) | (n - 1)
                    del buf[p]
                    end -= 1
                    continue
        p += 1
    buf[15] |= 0x80
    return 1


def _promote(buf, index: int, count: int):
    dense = _to_dense(buf)
    if dense is None:
        return -1, buf
    _dense_put(dense, index, count)
    return 1, dense


class HLLState:
    """A valid HLL value kept ready for updates and counts: its bytes (``buf``, header
    included) and the register histogram (``histo``, kept up to date on every change,
    so PFCOUNT never rescans the registers). A sparse value also keeps the first register
    each opcode covers (``firsts``, bisected to find the opcode for a register in
    O(log n) instead of walking from the start) and the opcode numbers of the two-byte
    XZERO opcodes (``xz``: an opcode's byte offset is its number plus the XZEROs before
    it). ``add`` performs exactly ``_sparse_set``'s edit (same split, same merge window,
    same promotion rule), so the bytes are identical; a property test checks it against
    the plain walk.

    States live in a small cache keyed by the identity of the value's ``bytes`` object
    (``_state``); a corrupted sparse value gets none and goes through the plain walk,
    which reports it as Redis does."""

    __slots__ = ("buf", "firsts", "histo", "val", "xz")

    def __init__(self, buf: bytearray, histo: list[int] | None, firsts: list[int] | None = None,
                 xz: list[int] | None = None):
        self.buf = buf
        self.histo = histo
        self.firsts = firsts
        self.xz = xz
        self.val: bytes | None = None

    @classmethod
    def build(cls, v) -> HLLState | None:
        if v[4] == HLL_DENSE:
            return cls(bytearray(v), None)  # histogram computed when first needed
        firsts: list[int] = []
        xz: list[int] = []
        histo = [0] * 64
        first = 0
        p = HLL_HDR_SIZE
        end = len(v)
        while p < end:
            op = v[p]
            firsts.append(first)
            if op < 0x40:
                first += op + 1
                histo[0] += op + 1
                p += 1
            elif op < 0x80:
                if p + 1 >= end:
                    return None
                xz.append(len(firsts) - 1)
                n = (((op & 0x3F) << 8) | v[p + 1]) + 1
                first += n
                histo[0] += n
                p += 2
            else:
                first += (op & 3) + 1
                histo[((op >> 2) & 0x1F) + 1] += (op & 3) + 1
                p += 1
        if first != HLL_REGISTERS:
            return None
        return cls(bytearray(v), histo, firsts, xz)

    @property
    def dense(self) -> bool:
        return self.firsts is None

    def _pos(self, k: int) -> int:
        xz = self.xz
        return HLL_HDR_SIZE + k + (bisect_left(xz, k) if xz else 0)

    def add(self, index: int, count: int, max_bytes: int) -> int:
        """Set register ``index`` to ``count`` if larger: 1 when it changed, else 0."""
        buf = self.buf
        if self.firsts is None:
            old = _dense_get(buf, index)
            if old >= count:
                return 0
            _dense_put(buf, index, count)
            h = self.histo
            if h is not None:
                h[old] -= 1
                h[count] += 1
            return 1
        r = self._sparse_set(index, count, max_bytes)
        if r == 2:  # promote: same registers, dense bytes, then the dense update
            dense = _to_dense(buf)
            assert dense is not None
            self.buf = dense
            self.firsts = self.xz = None
            return self.add(index, count, max_bytes)
        return r

    def _sparse_set(self, index: int, count: int, max_bytes: int) -> int:
        """1 updated, 0 unchanged, 2 promotion needed (nothing changed)."""
        if count > HLL_SPARSE_VAL_MAX_VALUE:
            return 2
        firsts = self.firsts
        assert firsts is not None
        buf = self.buf
        k = bisect_right(firsts, index) - 1
        first = firsts[k]
        last = (firsts[k + 1] if k + 1 < len(firsts) else HLL_REGISTERS) - 1
        p = self._pos(k)
        op = buf[p]
        cur = ((op >> 2) & 0x1F) + 1 if op >= 0x80 else 0
        if cur >= count:
            return 0
        if first == last and (op >= 0x80 or op < 0x40):
            buf[p] = _val_op(count, 1)
            self._count(cur, count)
            self._merge(k)
            return 1
        seq = bytearray()
        sfirsts = []
        sxz = []
        if op >= 0x80:
            if index != first:
                sfirsts.append(first)
                seq.append(_val_op(cur, index - first))
            sfirsts.append(index)
            seq.append(_val_op(count, 1))
            if index != last:
                sfirsts.append(index + 1)
                seq.append(_val_op(cur, last - index))
        else:
            if index != first:
                if index - first > HLL_SPARSE_ZERO_MAX_LEN:
                    sxz.append(k)
                sfirsts.append(first)
                seq += _zero_op(index - first)
            sfirsts.append(index)
            seq.append(_val_op(count, 1))
            if index != last:
                if last - index > HLL_SPARSE_ZERO_MAX_LEN:
                    sxz.append(k + len(sfirsts))
                sfirsts.append(index + 1)
                seq += _zero_op(last - index)
        is_xzero = 0x40 <= op < 0x80
        oldlen = 2 if is_xzero else 1
        delta = len(seq) - oldlen
        if delta > 0 and len(buf) + delta > max_bytes:
            return 2
        buf[p:p + oldlen] = seq
        firsts[k:k + 1] = sfirsts
        xz = self.xz
        assert xz is not None
        if xz or sxz:
            grow = len(sfirsts) - 1
            i = bisect_left(xz, k)
            tail = [x + grow for x in xz[i + (1 if is_xzero else 0):]]
            xz[i:] = sxz + tail
        self._count(cur, count)
        self._merge(k)
        return 1

    def histogram(self) -> list[int]:
        h = self.histo
        if h is None:
            h = self.histo = _regs_histo(_dense_regs(self.buf))
        return h

    def _count(self, old: int, new: int) -> None:
        h = self.histo
        assert h is not None
        h[old] -= 1
        h[new] += 1

    def _merge(self, k: int) -> None:
        """Step 4 of ``hllSparseSet`` from the opcode before ``k``; invalidate the cache."""
        buf = self.buf
        firsts = self.firsts
        xz = self.xz
        assert firsts is not None and xz is not None
        j = k - 1 if k > 0 else 0
        p = self._pos(j)
        n = len(firsts)
        scan = 5
        while j < n and scan:
            scan -= 1
            op = buf[p]
            if op < 0x80:
                j += 1
                p += 2 if op >= 0x40 else 1
                continue
            if j + 1 < n:
                nxt = buf[p + 1]
                if nxt >= 0x80 and not (op ^ nxt) & 0x7C:
                    m = (op & 3) + (nxt & 3) + 2
                    if m <= HLL_SPARSE_VAL_MAX_LEN:
                        buf[p + 1] = (nxt & 0xFC) | (m - 1)
                        del buf[p]
                        del firsts[j + 1]
                        n -= 1
                        if xz:
                            for t in range(bisect_left(xz, j), len(xz)):
                                xz[t] -= 1
                        continue
            j += 1
            p += 1
        buf[15] |= 0x80

    def publish(self, old) -> bytes:
        """The new value object for ``buf``; the state is re-keyed to it."""
        _forget(old)
        v = self.val = bytes(self.buf)
        _remember(self)
        return v


_STATE_CACHE: dict[int, HLLState] = {}
_STATE_CACHE_MAX = 128


def _state(v: bytes) -> HLLState | None:
    """The cached ``HLLState`` of the value object ``v`` (built on first use); None for
    a corrupted sparse value."""
    if type(v) is not bytes:  # a mutable buffer: never cached
        return HLLState.build(v)
    st = _STATE_CACHE.get(id(v))
    if st is not None and st.val is v:
        return st
    st = HLLState.build(v)
    if st is not None:
        st.val = v
        _remember(st)
    return st


def _remember(st: HLLState) -> None:
    if len(_STATE_CACHE) >= _STATE_CACHE_MAX:
        del _STATE_CACHE[next(iter(_STATE_CACHE))]
    _STATE_CACHE[id(st.val)] = st


def _forget(v) -> None:
    st = _STATE_CACHE.get(id(v))
    if st is not None and st.val is v:
        del _STATE_CACHE[id(v)]


# -- cardinality ------------------------------------------------------------------------
def _tau(x: float) -> float:
    if x == 0.0 or x == 1.0:
        return 0.0
    y = 1.0
    z = 1 - x
    while True:
        x = math.sqrt(x)
        zp = z
        y *= 0.5
        z -= math.pow(1 - x, 2) * y
        if zp == z:
            return z / 3


def _sigma(x: float) -> float:
    if x == 1.0:
        return math.inf
    y = 1.0
    z = x
    while True:
        x *= x
        zp = z
        z += x * y
        y += y
        if zp == z:
            return z


def _estimate(histo: list[int]) -> int:
    """``hllCount``'s estimator over a register histogram (64 buckets)."""
    m = float(HLL_REGISTERS)
    z = m * _tau((m - histo[HLL_Q + 1]) / m)
    for j in range(HLL_Q, 0, -1):
        z += histo[j]
        z *= 0.5
    z += m * _sigma(histo[0] / m)
    e = HLL_ALPHA_INF * m * m / z
    # llroundl: half away from zero
    t = math.trunc(e)
    if e - t >= 0.5:
        t += 1
    return int(t)


_R01 = int.from_bytes(b"\x01" * HLL_REGISTERS, "little")


def _regs_histo(regs: bytes) -> list[int]:
    """Histogram of 16384 one-byte registers (values < 64): split the lanes on one bit at a
    time, from bit 5 down, and count the lanes left in each leaf (big-integer popcounts)."""
    x = int.from_bytes(regs, "little")
    planes = [(x >> b) & _R01 for b in range(HLL_BITS)]
    histo = [0] * 64
    stack = [(_R01, HLL_BITS - 1, 0)]
    pop = stack.pop
    push = stack.append
    while stack:
        mask, bit, value = pop()
        if bit < 0:
            histo[value] = mask.bit_count()
            continue
        one = mask & planes[bit]
        if one:
            push((one, bit - 1, value | (1 << bit)))
        zero = mask ^ one
        if zero:
            push((zero, bit - 1, value))
    return histo


def hll_registers(v) -> bytes | None:
    """The 16384 registers of a valid HLL value (dense or sparse); None if corrupted."""
    if v[4] == HLL_DENSE:
        return _dense_regs(v)
    r = _sparse_regs(v)
    return None if r is None else bytes(r)


def hll_cardinality(v) -> int | None:
    """``hllCount`` of an HLL value, or None when a sparse value is corrupted."""
    st = _state(v)
    if st is None:
        return None
    return _estimate(st.histogram())


# -- commands ---------------------------------------------------------------------------
def _valid_hll(obj) -> bytes:
    """``isHLLObjectOrReply``: the value's bytes, or the error reply."""
    if obj.type != OBJ_STRING:
        raise ReplyError(errors.WRONGTYPE)
    v = obj.val
    if len(v) < HLL_HDR_SIZE or v[:4] != b"HYLL" or v[4] > HLL_MAX_ENCODING or \
            (v[4] == HLL_DENSE and len(v) != HLL_DENSE_SIZE):
        raise ReplyError(errors.HLL_WRONGTYPE)
    return v


def _add_all(buf: bytearray, elements, max_bytes: int) -> tuple[bytearray, int, bool]:
    """Add elements to a mutable HLL: (buf, registers updated, corrupted)."""
    updated = 0
    for ele in elements:
        index, count = pat_len(ele)
        if buf[4] == HLL_DENSE:
            if _dense_get(buf, index) < count:
                _dense_put(buf, index, count)
                updated += 1
        else:
            r, buf = _sparse_set(buf, index, count, max_bytes)
            if r < 0:
                return buf, updated, True
            updated += r
    return buf, updated, False


@command("pfadd", arity=-2, flags="write denyoom fast", keys=(1, 1, 1), group="hyperloglog",
         complexity="O(1) to add every element.", since="2.8.9")
def pfadd_command(c, argv):
    """PFADD key [element [element ...]]
    Adds the specified elements to the specified HyperLogLog."""
    key = argv[1]
    db = c.db
    e = c.engine
    obj = db.lookup_write(key)
    updated = 0
    if obj is None:
        obj = e.new_object(OBJ_STRING, "raw", bytes(new_sparse()))
        db.add(key, obj)
        updated = 1
        v = obj.val
    else:
        v = _valid_hll(obj)
        obj.enc = "raw"  # dbUnshareStringValue
    if len(argv) > 2:
        st = _state(v)
        if st is not None:
            max_bytes = e.config.hll_sparse_max_bytes
            n = 0
            add = st.add
            for ele in argv[2:]:
                index, count = pat_len(ele)
                n += add(index, count, max_bytes)
            if n:
                updated += n
                st.buf[15] |= 0x80
                obj.val = st.publish(v)
        else:  # a corrupted sparse value: the plain walk, error where Redis errs
            buf, n, corrupted = _add_all(bytearray(v), argv[2:], e.config.hll_sparse_max_bytes)
            if n or corrupted:
                obj.val = bytes(buf)
            if corrupted:
                raise ReplyError(errors.HLL_INVALID)
            updated += n
    if updated:
        if obj.val[15] < 0x80:
            b = bytearray(obj.val)
            b[15] |= 0x80
            obj.val = bytes(b)
        db.signal_modified(key)
        e.notify_keyspace_event(NOTIFY_STRING, "pfadd", key, db.id)
        e.dirty += updated
        return 1
    return 0


def _merge_into(regs: bytes | None, v) -> bytes:
    """``hllMerge``: register-wise max of ``regs`` and the HLL ``v``."""
    r = hll_registers(v)
    if r is None:
        raise ReplyError(errors.HLL_INVALID)
    return r if regs is None else _max_regs(regs, r)


@command("pfcount", arity=-2, flags="readonly", keys=(1, -1, 1), group="hyperloglog",
         complexity="O(1) with a very small average constant time when called with a single "
                    "key. O(N) with N being the number of keys, and much bigger constant "
                    "times, when called with multiple keys.", since="2.8.9")
def pfcount_command(c, argv):
    """PFCOUNT key [key ...]
    Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s)."""
    db = c.db
    if len(argv) > 2:
        regs = None
        for key in argv[1:]:
            o = db.lookup_read(key)
            if o is None:
                continue
            regs = _merge_into(regs, _valid_hll(o))
        if regs is None:
            return 0
        return _estimate(_regs_histo(regs))
    key = argv[1]
    obj = db.lookup_read(key)
    if obj is None:
        return 0
    v = _valid_hll(obj)
    obj.enc = "raw"  # dbUnshareStringValue
    if v[15] < 0x80:
        return int.from_bytes(v[8:16], "little")
    st = _state(v)
    if st is None:
        raise ReplyError(errors.HLL_INVALID)
    card = _estimate(st.histogram())
    st.buf[8:16] = card.to_bytes(8, "little")
    obj.val = st.publish(v)
    db.signal_modified(key)
    c.engine.dirty += 1
    return card


pfcount_command.key_specs = [{
    b"notes": b"RW because it may change the internal representation of the key, and "
              b"propagate to replicas",
    b"flags": [Status("RW"), Status("access")],
    b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
    b"find_keys": {b"type": b"range", b"spec": {b"lastkey": -1, b"keystep": 1, b"limit": 0}},
}]


@command("pfmerge", arity=-2, flags="write denyoom", keys=(1, -1, 1), group="hyperloglog",
         complexity="O(N) to merge N HyperLogLogs, but with high constant times.",
         since="2.8.9")
def pfmerge_command(c, argv):
    """PFMERGE destkey [sourcekey [sourcekey ...]]
    Merge N different HyperLogLogs into a single one."""
    db = c.db
    e = c.engine
    regs = None
    use_dense = False
    for key in argv[1:]:
        o = db.lookup_read(key)
        if o is None:
            continue
        v = _valid_hll(o)
        if v[4] == HLL_DENSE:
            use_dense = True
        regs = _merge_into(regs, v)
    dst = argv[1]
    obj = db.lookup_write(dst)
    if obj is None:
        obj = e.new_object(OBJ_STRING, "raw", bytes(new_sparse()))
        db.add(dst, obj)
    obj.enc = "raw"
    buf = bytearray(obj.val)
    if use_dense and buf[4] != HLL_DENSE:
        dense = _to_dense(buf)
        if dense is None:  # pragma: no cover - the destination was validated as a source
            raise ReplyError(errors.HLL_INVALID)
        buf = dense
    if regs is not None:
        if buf[4] != HLL_DENSE:
            max_bytes = e.config.hll_sparse_max_bytes
            st = HLLState.build(buf)
            if st is not None:
                for j, val in enumerate(regs):
                    if val:
                        st.add(j, val, max_bytes)
                        if st.firsts is None:
                            break
                buf = st.buf
            else:  # pragma: no cover - a destination only hllMerge's walk accepts
                hint = _Hint()
                for j, val in enumerate(regs):
                    if val:
                        _, buf = _sparse_set(buf, j, val, max_bytes, hint)
                        if buf[4] == HLL_DENSE:
                            break
        if buf[4] == HLL_DENSE:
            # every register was (or will be) raised to the maximum over all inputs,
            # the destination included
            buf[HLL_HDR_SIZE:] = _pack_dense(regs)
    buf[15] |= 0x80
    obj.val = bytes(buf)
    db.signal_modified(dst)
    e.notify_keyspace_event(NOTIFY_STRING, "pfadd", dst, db.id)
    e.dirty += 1
    return OK


pfmerge_command.key_specs = [
    {b"flags": [Status("RW"), Status("access"), Status("insert")],
     b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
     b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}}},
    {b"flags": [Status("RO"), Status("access")],
     b"begin_search": {b"type": b"index", b"spec": {b"index": 2}},
     b"find_keys": {b"type": b"range", b"spec": {b"lastkey": -1, b"keystep": 1, b"limit": 0}}},
]

pfadd_command.key_specs = [{
    b"flags": [Status("RW"), Status("insert")],
    b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
    b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}},
}]


def _decode_sparse(v) -> bytes:
    parts = []
    p = HLL_HDR_SIZE
    end = len(v)
    while p < end:
        op = v[p]
        if op < 0x40:
            parts.append(b"z:%d" % (op + 1))
            p += 1
        elif op < 0x80:
            parts.append(b"Z:%d" % ((((op & 0x3F) << 8) | (v[p + 1] if p + 1 < end else 0)) + 1))
            p += 2
        else:
            parts.append(b"v:%d,%d" % (((op >> 2) & 0x1F) + 1, (op & 3) + 1))
            p += 1
    return b" ".join(parts)


@command("pfdebug", arity=3, flags="write denyoom admin", keys=(2, 2, 1), group="hyperloglog",
         complexity="N/A", since="2.8.9", summary="Internal commands for debugging HyperLogLog values")
def pfdebug_command(c, argv):
    """PFDEBUG subcommand key
    Internal commands for debugging HyperLogLog values"""
    db = c.db
    key = argv[2]
    obj = db.lookup_write(key)
    if obj is None:
        raise ReplyError(errors.PFDEBUG_NO_KEY)
    v = _valid_hll(obj)
    obj.enc = "raw"
    sub = argv[1].lower()
    i = sub.find(b"\0")
    if i >= 0:
        sub = sub[:i]
    if sub in (b"getreg", b"todense"):
        converted = False
        if v[4] == HLL_SPARSE:
            dense = _to_dense(v)
            if dense is None:
                raise ReplyError(errors.HLL_INVALID)
            obj.val = v = bytes(dense)
            converted = True
            c.engine.dirty += 1
        if sub == b"todense":
            return 1 if converted else 0
        return list(_dense_regs(v))
    if sub == b"decode":
        if v[4] != HLL_SPARSE:
            raise ReplyError(errors.PFDEBUG_NOT_SPARSE)
        return _decode_sparse(v)
    if sub == b"encoding":
        return Status("dense" if v[4] == HLL_DENSE else "sparse")
    raise ReplyError(errors.PFDEBUG_UNKNOWN.format(
        argv[1].split(b"\0", 1)[0].decode("utf-8", "replace")))


pfdebug_command.key_specs = [{
    b"flags": [Status("RW"), Status("access")],
    b"begin_search": {b"type": b"index", b"spec": {b"index": 2}},
    b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}},
}]


def selftest(seed: int = 0) -> str | None:
    """A reduced PFSELFTEST: None when it passes, else the failure text."""
    import random

    rnd = random.Random(seed)
    # 1. register packing round trip
    regs = bytes(rnd.randrange(64) for _ in range(HLL_REGISTERS))
    packed = bytearray(HLL_HDR_SIZE) + _pack_dense(regs)
    if _dense_regs(packed) != regs:
        return "TESTFAILED Register error (pack/unpack)"
    for i in rnd.sample(range(HLL_REGISTERS), 64):
        if _dense_get(packed, i) != regs[i]:
            return "TESTFAILED Register error at %d" % i
    # 2. sparse and dense agree; the estimate is within 5 standard errors
    sparse = new_sparse()
    dense = _to_dense(sparse)
    assert dense is not None
    relerr = 1.04 / math.sqrt(HLL_REGISTERS)
    for j in range(1, 10001):
        ele = b"%d" % rnd.getrandbits(64)
        sparse, _, _ = _add_all(sparse, (ele,), 3000)
        dense, _, _ = _add_all(dense, (ele,), 3000)
        if j in (10, 100, 1000, 10000):
            a = hll_cardinality(sparse)
            b = hll_cardinality(dense)
            if a != b:
                return "TESTFAILED dense/sparse disagree: %s vs %s" % (a, b)
            if b is None or abs(b - j) > 5 * relerr * j + 1:
                return "TESTFAILED Too big error. card:%d abserr:%s" % (j, b)
    return None


@command("pfselftest", arity=1, flags="admin", group="hyperloglog", complexity="N/A",
         since="2.8.9", summary="An internal command for testing HyperLogLog values")
def pfselftest_command(c, argv):
    """PFSELFTEST
    An internal command for testing HyperLogLog values"""
    failure = selftest(c.engine.random.getrandbits(32))
    if failure is not None:  # pragma: no cover - only if this module is broken
        raise ReplyError(failure)
    return OK
