"""RDB version 10 snapshots (``rdb.c``): the writer and the loader.

Written from the format description in ``redis-internals.md`` §3.6::

    "REDIS0010"  AUX*  FUNCTION2*  (SELECTDB RESIZEDB (EXPIRETIME_MS? IDLE|FREQ? type key value)*)*
    EOF  CRC64(le)

What the writer produces, per value (what 7.0 writes for the same encodings):

==========  ==================================  ==========================================
type        engine encoding                     RDB type
==========  ==================================  ==========================================
string      int / embstr / raw                  0 STRING (int-encoded, LZF or raw string)
list        quicklist                           18 QUICKLIST_2: listpack nodes laid out as
                                                RPUSH builds them (``list-max-listpack-size``)
set         intset / hashtable                  11 SET_INTSET (real intset) / 2 SET
zset        listpack / skiplist                 17 ZSET_LISTPACK (real listpack) / 5 ZSET_2
hash        listpack / hashtable                16 HASH_LISTPACK (real listpack) / 4 HASH
==========  ==================================  ==========================================

Every string of the file (keys, values, members, the listpack and intset blobs) goes
through ``rdbSaveRawString``'s rules: int-encoded when a canonical integer of at most 11
characters fits 32 bits, LZF-compressed when ``rdbcompression`` is on, the string is
longer than 20 bytes and compression saves at least 4 bytes, raw otherwise.

The loader reads what 7.0 writes plus the older types (plain 1/2/3/4/5, ziplist-based
10/12/13/14, intset 11), and re-derives encodings from the *current* thresholds the way
``rdbLoadObject`` does. Keys whose expire time is already past are skipped (master
semantics) and counted. Streams and modules are not supported by the engine: loading
a file that holds them raises ``RdbError``.

Entry points: ``save_rdb(engine, path)``, ``load_rdb(engine, path)``, and the pure
``dumps(engine) -> bytes`` / ``loads(engine, data)``.
"""

from __future__ import annotations

import math
import os
import struct
from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from .. import errors
from ..commands import command
from ..errors import ReplyError
from ..objects import LRU_CLOCK_MAX, OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STRING, OBJ_ZSET, RObj
from ..reply import OK
from ..util import string2ll
from . import lzf
from .crc64 import crc64

if TYPE_CHECKING:  # pragma: no cover
    from ..server import Engine

RDB_VERSION = 10
REDIS_VERSION = "7.0.15"

# value types (rdb.h)
RDB_TYPE_STRING = 0
RDB_TYPE_LIST = 1
RDB_TYPE_SET = 2
RDB_TYPE_ZSET = 3
RDB_TYPE_HASH = 4
RDB_TYPE_ZSET_2 = 5
RDB_TYPE_MODULE = 6
RDB_TYPE_MODULE_2 = 7
RDB_TYPE_HASH_ZIPMAP = 9
RDB_TYPE_LIST_ZIPLIST = 10
RDB_TYPE_SET_INTSET = 11
RDB_TYPE_ZSET_ZIPLIST = 12
RDB_TYPE_HASH_ZIPLIST = 13
RDB_TYPE_LIST_QUICKLIST = 14
RDB_TYPE_STREAM_LISTPACKS = 15
RDB_TYPE_HASH_LISTPACK = 16
RDB_TYPE_ZSET_LISTPACK = 17
RDB_TYPE_LIST_QUICKLIST_2 = 18
RDB_TYPE_STREAM_LISTPACKS_2 = 19

# opcodes
RDB_OPCODE_FUNCTION2 = 0xF5
RDB_OPCODE_FUNCTION = 0xF6
RDB_OPCODE_MODULE_AUX = 0xF7
RDB_OPCODE_IDLE = 0xF8
RDB_OPCODE_FREQ = 0xF9
RDB_OPCODE_AUX = 0xFA
RDB_OPCODE_RESIZEDB = 0xFB
RDB_OPCODE_EXPIRETIME_MS = 0xFC
RDB_OPCODE_EXPIRETIME = 0xFD
RDB_OPCODE_SELECTDB = 0xFE
RDB_OPCODE_EOF = 0xFF

# special string encodings (first byte 11xxxxxx)
RDB_ENC_INT8 = 0
RDB_ENC_INT16 = 1
RDB_ENC_INT32 = 2
RDB_ENC_LZF = 3

# quicklist node containers
QUICKLIST_NODE_CONTAINER_PLAIN = 1
QUICKLIST_NODE_CONTAINER_PACKED = 2

_INT8 = (-(1 << 7), (1 << 7) - 1)
_INT16 = (-(1 << 15), (1 << 15) - 1)
_INT32 = (-(1 << 31), (1 << 31) - 1)
_LP_HDR = 6
_LP_EOF = 0xFF
_LP_UNKNOWN_COUNT = 65535

_pack_d = struct.Struct("<d").pack
_unpack_d = struct.Struct("<d").unpack_from


class RdbError(Exception):
    """The file is not a valid RDB (or holds something the engine can't represent)."""


# =========================================================================================
# Length and string encoding (rdbSaveLen / rdbSaveRawString)
# =========================================================================================
def encode_len(n: int) -> bytes:
    """``rdbSaveLen``: 6-bit, 14-bit big-endian, 32-bit or 64-bit big-endian."""
    if n < 64:
        return bytes((n,))
    if n < 16384:
        return bytes((0x40 | (n >> 8), n & 0xFF))
    if n <= 0xFFFFFFFF:
        return b"\x80" + n.to_bytes(4, "big")
    return b"\x81" + n.to_bytes(8, "big")


def _encode_int(v: int) -> bytes | None:
    if _INT8[0] <= v <= _INT8[1]:
        return b"\xc0" + v.to_bytes(1, "little", signed=True)
    if _INT16[0] <= v <= _INT16[1]:
        return b"\xc1" + v.to_bytes(2, "little", signed=True)
    if _INT32[0] <= v <= _INT32[1]:
        return b"\xc2" + v.to_bytes(4, "little", signed=True)
    return None


def encode_string(s: bytes, compress: bool = True) -> bytes:
    """``rdbSaveRawString``: integer encoding, else LZF, else length + bytes.

    >>> encode_string(b"12"), encode_string(b"012"), encode_string(b"-200")
    (b'\\xc0\\x0c', b'\\x03012', b'\\xc18\\xff')
    """
    n = len(s)
    if n <= 11 and n:
        v = string2ll(s)
        if v is not None:
            enc = _encode_int(v)
            if enc is not None:
                return enc
    if compress and n > 20:
        c = lzf.compress(s, n - 4)
        if c is not None:
            return b"\xc3" + encode_len(len(c)) + encode_len(n) + c
    return encode_len(n) + s


# =========================================================================================
# Listpack, intset and ziplist blobs
# =========================================================================================
def _lp_backlen(n: int) -> bytes:
    """The back-length of an entry of ``n`` bytes: 7 bits per byte, most significant
    first; every byte but the first has its top bit set (read right to left)."""
    if n <= 127:
        return bytes((n,))
    if n < 16383:
        return bytes((n >> 7, (n & 127) | 128))
    if n < 2097151:
        return bytes((n >> 14, ((n >> 7) & 127) | 128, (n & 127) | 128))
    if n < 268435455:
        return bytes((n >> 21, ((n >> 14) & 127) | 128, ((n >> 7) & 127) | 128,
                      (n & 127) | 128))
    return bytes((n >> 28, ((n >> 21) & 127) | 128, ((n >> 14) & 127) | 128,
                  ((n >> 7) & 127) | 128, (n & 127) | 128))


def _lp_entry(s: bytes) -> bytes:
    """One listpack element (encoding + data): integers in the smallest int encoding."""
    v = string2ll(s) if 0 < len(s) <= 20 else None
    if v is not None:
        if 0 <= v <= 127:
            return bytes((v,))
        if -4096 <= v <= 4095:
            uv = v & 0x1FFF
            return bytes((0xC0 | (uv >> 8), uv & 0xFF))
        if _INT16[0] <= v <= _INT16[1]:
            return b"\xf1" + v.to_bytes(2, "little", signed=True)
        if -(1 << 23) <= v < (1 << 23):
            return b"\xf2" + v.to_bytes(3, "little", signed=True)
        if _INT32[0] <= v <= _INT32[1]:
            return b"\xf3" + v.to_bytes(4, "little", signed=True)
        return b"\xf4" + v.to_bytes(8, "little", signed=True)
    n = len(s)
    if n < 64:
        return bytes((0x80 | n,)) + s
    if n < 4096:
        return bytes((0xE0 | (n >> 8), n & 0xFF)) + s
    return b"\xf0" + n.to_bytes(4, "little") + s


def listpack_build(items) -> bytes:
    """A listpack holding ``items`` (bytes) in order."""
    parts = []
    count = 0
    for s in items:
        e = _lp_entry(s)
        parts.append(e)
        parts.append(_lp_backlen(len(e)))
        count += 1
    body = b"".join(parts)
    total = _LP_HDR + len(body) + 1
    return (total.to_bytes(4, "little")
            + min(count, _LP_UNKNOWN_COUNT).to_bytes(2, "little") + body + b"\xff")


def _backlen_size(n: int) -> int:
    return 1 if n <= 127 else 2 if n < 16383 else 3 if n < 2097151 else \
        4 if n < 268435455 else 5


def listpack_parse(blob: bytes) -> list[bytes]:
    """The elements of a listpack (integers as their decimal text). Validates the header,
    every entry's back-length and the terminator."""
    n = len(blob)
    if n < _LP_HDR + 1 or int.from_bytes(blob[0:4], "little") != n:
        raise RdbError("listpack: bad total size")
    count = int.from_bytes(blob[4:6], "little")
    out: list[bytes] = []
    append = out.append
    i = _LP_HDR
    try:
        while True:
            b = blob[i]
            if b < 0x80:
                append(b"%d" % b)
                size = 1
            elif b < 0xC0:
                ln = b & 0x3F
                append(blob[i + 1:i + 1 + ln])
                size = 1 + ln
            elif b < 0xE0:
                uv = ((b & 0x1F) << 8) | blob[i + 1]
                append(b"%d" % (uv - 0x2000 if uv >= 0x1000 else uv))
                size = 2
            elif b < 0xF0:
                ln = ((b & 0x0F) << 8) | blob[i + 1]
                append(blob[i + 2:i + 2 + ln])
                size = 2 + ln
            elif b == 0xF0:
                ln = int.from_bytes(blob[i + 1:i + 5], "little")
                append(blob[i + 5:i + 5 + ln])
                size = 5 + ln
            elif 0xF1 <= b <= 0xF4:
                w = (2, 3, 4, 8)[b - 0xF1]
                append(b"%d" % int.from_bytes(blob[i + 1:i + 1 + w], "little", signed=True))
                size = 1 + w
            elif b == _LP_EOF:
                break
            else:
                raise RdbError("listpack: bad entry encoding 0x%02x" % b)
            bl = _backlen_size(size)
            if i + size + bl > n - 1 or blob[i + size:i + size + bl] != _lp_backlen(size):
                raise RdbError("listpack: bad entry back-length")
            i += size + bl
    except IndexError:
        raise RdbError("listpack: truncated") from None
    if i != n - 1:
        raise RdbError("listpack: data after the terminator")
    if count != _LP_UNKNOWN_COUNT and count != len(out):
        raise RdbError("listpack: header count mismatch")
    return out


def intset_build(values: list[int]) -> bytes:
    """An intset: ``<uint32 width><uint32 count>`` then the sorted values, little-endian."""
    values = sorted(values)
    if not values or (values[0] >= _INT16[0] and values[-1] <= _INT16[1]):
        w = 2
    elif values[0] >= _INT32[0] and values[-1] <= _INT32[1]:
        w = 4
    else:
        w = 8
    return w.to_bytes(4, "little") + len(values).to_bytes(4, "little") + b"".join(
        v.to_bytes(w, "little", signed=True) for v in values)


def intset_parse(blob: bytes) -> list[int]:
    if len(blob) < 8:
        raise RdbError("intset: too short")
    w = int.from_bytes(blob[0:4], "little")
    count = int.from_bytes(blob[4:8], "little")
    if w not in (2, 4, 8) or len(blob) != 8 + w * count:
        raise RdbError("intset: bad encoding or size")
    vals = [int.from_bytes(blob[8 + k * w:8 + (k + 1) * w], "little", signed=True)
            for k in range(count)]
    for a, b in pairwise(vals):
        if a >= b:
            raise RdbError("intset: not sorted or duplicated")
    return vals


def ziplist_parse(blob: bytes) -> list[bytes]:
    """The elements of an old ziplist (RDB types 10, 12, 13 and quicklist-1 nodes)."""
    n = len(blob)
    if n < 11 or int.from_bytes(blob[0:4], "little") != n or blob[-1] != 0xFF:
        raise RdbError("ziplist: bad header")
    out: list[bytes] = []
    i = 10
    try:
        while blob[i] != 0xFF:
            i += 5 if blob[i] == 0xFE else 1  # prevlen
            b = blob[i]
            top = b >> 6
            if top == 0:
                ln = b & 0x3F
                out.append(blob[i + 1:i + 1 + ln])
                i += 1 + ln
            elif top == 1:
                ln = ((b & 0x3F) << 8) | blob[i + 1]
                out.append(blob[i + 2:i + 2 + ln])
                i += 2 + ln
            elif top == 2:
                ln = int.from_bytes(blob[i + 1:i + 5], "big")
                out.append(blob[i + 5:i + 5 + ln])
                i += 5 + ln
            else:
                if b == 0xC0:
                    w = 2
                elif b == 0xD0:
                    w = 4
                elif b == 0xE0:
                    w = 8
                elif b == 0xF0:
                    w = 3
                elif b == 0xFE:
                    w = 1
                elif 0xF1 <= b <= 0xFD:
                    out.append(b"%d" % ((b & 0x0F) - 1))
                    i += 1
                    continue
                else:
                    raise RdbError("ziplist: bad entry encoding")
                out.append(b"%d" % int.from_bytes(blob[i + 1:i + 1 + w], "little",
                                                  signed=True))
                i += 1 + w
    except IndexError:
        raise RdbError("ziplist: truncated") from None
    return out


# =========================================================================================
# Writer
# =========================================================================================
def _d2string(d: float) -> bytes:
    """How a listpack holds a zset score (``d2string``)."""
    if d == math.inf:
        return b"inf"
    if d == -math.inf:
        return b"-inf"
    if -4503599627370495.0 < d < 4503599627370496.0 and d == int(d):
        return b"%d" % int(d)
    return b"%.17g" % d


class _Writer:
    __slots__ = ("compress", "parts")

    def __init__(self, compress: bool):
        self.compress = compress
        self.parts: list[bytes] = []

    def string(self, s: bytes) -> None:
        self.parts.append(encode_string(s, self.compress))

    def aux(self, key: str, value: bytes) -> None:
        self.parts.append(b"\xfa")
        self.string(key.encode())
        self.string(value)

    def value(self, e: Engine, o: RObj) -> None:
        """The type byte is written by the caller (``object_type``)."""
        parts = self.parts
        t = o.type
        v = o.val
        if t == OBJ_STRING:
            self.string(v)
        elif t == OBJ_LIST:
            from ..server_cmds import quicklist_layout

            nodes = quicklist_layout(list(v), e.config.list_max_listpack_size)
            parts.append(encode_len(len(nodes)))
            for node in nodes:
                parts.append(encode_len(QUICKLIST_NODE_CONTAINER_PACKED))
                self.string(listpack_build(node))
        elif t == OBJ_SET:
            if o.enc == "intset":
                self.string(intset_build([int(m) for m in v]))
            else:
                parts.append(encode_len(len(v)))
                for m in v:
                    self.string(m)
        elif t == OBJ_ZSET:
            if o.enc == "listpack":
                items = []
                for m, s in v.items():
                    items.append(m)
                    items.append(_d2string(s))
                self.string(listpack_build(items))
            else:
                # 7.0 writes from the tail (highest score first)
                parts.append(encode_len(len(v)))
                for s, m in reversed(v.sl):
                    self.string(m)
                    parts.append(_pack_d(s))
        elif t == OBJ_HASH:
            if o.enc == "listpack":
                self.string(listpack_build([x for kv in v.items() for x in kv]))
            else:
                parts.append(encode_len(len(v)))
                for f, x in v.items():
                    self.string(f)
                    self.string(x)
        else:
            raise RdbError(f"cannot save a value of type {t!r}")


def object_type(o: RObj) -> int:
    """The RDB type byte 7.0 writes for this value (``rdbSaveObjectType``)."""
    t = o.type
    if t == OBJ_STRING:
        return RDB_TYPE_STRING
    if t == OBJ_LIST:
        return RDB_TYPE_LIST_QUICKLIST_2
    if t == OBJ_SET:
        return RDB_TYPE_SET_INTSET if o.enc == "intset" else RDB_TYPE_SET
    if t == OBJ_ZSET:
        return RDB_TYPE_ZSET_LISTPACK if o.enc == "listpack" else RDB_TYPE_ZSET_2
    if t == OBJ_HASH:
        return RDB_TYPE_HASH_LISTPACK if o.enc == "listpack" else RDB_TYPE_HASH
    raise RdbError(f"cannot save a value of type {t!r}")


def _function_libraries(e: Engine) -> list[bytes]:
    """Library codes of the engine's functions module, if there is one (hook:
    ``lab.engine.functions.rdb_libraries(engine) -> list[bytes]``)."""
    try:
        from .. import functions  # type: ignore[attr-defined]
    except ImportError:
        return []
    hook = getattr(functions, "rdb_libraries", None)
    if hook is not None:
        return list(hook(e))
    return [lib.code for lib in functions.fstate(e).libraries.values()]


def dumps(e: Engine, *, aof_base: bool = False) -> bytes:
    """The RDB image of the engine's dataset (``rdbSaveRio``), without side effects."""
    cfg = e.config
    w = _Writer(bool(cfg.rdbcompression))
    parts = w.parts
    parts.append(b"REDIS%04d" % RDB_VERSION)
    w.aux("redis-ver", REDIS_VERSION.encode())
    w.aux("redis-bits", b"64")
    w.aux("ctime", b"%d" % (e.mstime // 1000))
    w.aux("used-mem", b"%d" % e.used_memory())
    w.aux("aof-base", b"1" if aof_base else b"0")
    for code in _function_libraries(e):
        parts.append(bytes((RDB_OPCODE_FUNCTION2,)))
        w.string(code)
    policy = cfg.maxmemory_policy
    save_lfu = e.lfu_policy
    save_lru = (not save_lfu) and policy.endswith("-lru")
    enc_string = encode_string
    compress = w.compress
    for db in e.dbs:
        d = db.dict
        if not d:
            continue
        parts.append(b"\xfe" + encode_len(db.id))
        parts.append(b"\xfb" + encode_len(len(d)) + encode_len(len(db.expires)))
        expires = db.expires
        for key, o in d.items():
            when = expires.get(key) if expires else None
            if when is not None:
                parts.append(b"\xfc" + when.to_bytes(8, "little", signed=True))
            if save_lru:
                parts.append(b"\xf8" + encode_len(e.estimate_idle_time_ms(o) // 1000))
            elif save_lfu:
                parts.append(b"\xf9" + bytes((e.lfu_decr_and_return(o),)))
            if o.type == OBJ_STRING:
                # the hot path: type, key, value
                parts.append(b"\x00" + enc_string(key, compress) + enc_string(o.val, compress))
                continue
            parts.append(bytes((object_type(o),)))
            parts.append(enc_string(key, compress))
            w.value(e, o)
    parts.append(b"\xff")
    body = b"".join(parts)
    checksum = crc64(body) if cfg.rdbchecksum else 0
    return body + checksum.to_bytes(8, "little")


def save_rdb(e: Engine, path: str | os.PathLike | None = None) -> str:
    """``rdbSave``: write the snapshot to ``path`` (default ``dir/dbfilename``) through a
    temp file and an atomic rename; then ``dirty = 0``, ``lastsave = now``, count the save.
    Returns the path written."""
    if path is None:
        path = os.path.join(e.config.dir, e.config.dbfilename)
    path = os.fspath(path)
    data = dumps(e)
    directory = os.path.dirname(path) or "."
    tmp = os.path.join(directory, "temp-%d.rdb" % os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    e.dirty = 0
    e.lastsave = e.mstime // 1000
    e.lastbgsave_status = "ok"
    e.stat_rdb_saves = getattr(e, "stat_rdb_saves", 0) + 1
    return path


# =========================================================================================
# Loader
# =========================================================================================
@dataclass
class LoadResult:
    """What ``loads`` found: key counts, AUX fields, function libraries, warnings."""

    keys_loaded: int = 0
    keys_expired: int = 0
    empty_keys_skipped: int = 0
    version: int = 0
    aux: dict[bytes, bytes] = field(default_factory=dict)
    functions: list[bytes] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checksum_disabled: bool = False


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        p = self.pos
        end = p + n
        if end > len(self.data):
            raise RdbError("unexpected end of file")
        self.pos = end
        return self.data[p:end]

    def byte(self) -> int:
        p = self.pos
        try:
            b = self.data[p]
        except IndexError:
            raise RdbError("unexpected end of file") from None
        self.pos = p + 1
        return b

    def length(self) -> int:
        """``rdbLoadLen`` (a plain length; an encoded-string marker is an error)."""
        n, enc = self.length_or_enc()
        if enc:
            raise RdbError("unexpected string encoding where a length was expected")
        return n

    def length_or_enc(self) -> tuple[int, bool]:
        b = self.byte()
        kind = b >> 6
        if kind == 0:
            return b & 0x3F, False
        if kind == 1:
            return ((b & 0x3F) << 8) | self.byte(), False
        if kind == 3:
            return b & 0x3F, True
        if b == 0x80:
            return int.from_bytes(self.take(4), "big"), False
        if b == 0x81:
            return int.from_bytes(self.take(8), "big"), False
        raise RdbError("unknown length encoding 0x%02x" % b)

    def string(self) -> bytes:
        """``rdbGenericLoadStringObject``: int-encoded, LZF or plain."""
        data = self.data
        p = self.pos
        try:
            b = data[p]
        except IndexError:
            raise RdbError("unexpected end of file") from None
        if b < 0x40:  # short plain string: the common case
            end = p + 1 + b
            if end > len(data):
                raise RdbError("unexpected end of file")
            self.pos = end
            return data[p + 1:end]
        n, enc = self.length_or_enc()
        if not enc:
            return self.take(n)
        if n == RDB_ENC_INT8:
            return b"%d" % int.from_bytes(self.take(1), "little", signed=True)
        if n == RDB_ENC_INT16:
            return b"%d" % int.from_bytes(self.take(2), "little", signed=True)
        if n == RDB_ENC_INT32:
            return b"%d" % int.from_bytes(self.take(4), "little", signed=True)
        if n == RDB_ENC_LZF:
            clen = self.length()
            ulen = self.length()
            comp = self.take(clen)
            try:
                return lzf.decompress(comp, ulen)
            except lzf.LZFError as err:
                raise RdbError(f"invalid LZF compressed string: {err}") from None
        raise RdbError("unknown string encoding %d" % n)

    def binary_double(self) -> float:
        return _unpack_d(self.take(8))[0]

    def ascii_double(self) -> float:
        n = self.byte()
        if n == 253:
            return math.nan
        if n == 254:
            return math.inf
        if n == 255:
            return -math.inf
        try:
            return float(self.take(n).decode("ascii"))
        except ValueError:
            raise RdbError("invalid double value") from None


def _parse_score(b: bytes) -> float:
    try:
        return float(b.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        raise RdbError("invalid score in a zset listpack") from None


def _zset_object(e: Engine, pairs: list[tuple[bytes, float]], listpack: bool) -> RObj:
    from ..zsets import ZSetValue

    if listpack:
        return e.new_object(OBJ_ZSET, "listpack", ZSetValue([(m, s + 0.0) for m, s in pairs]))
    return e.new_object(OBJ_ZSET, "skiplist", ZSetValue(pairs))


def _hash_object(e: Engine, d: dict, listpack: bool) -> RObj:
    from ..hashes import new_hash

    o = new_hash(e)  # notes the thresholds, as every hash creation does
    o.val = d
    o.enc = "listpack" if listpack else "hashtable"
    return o


def _pairs(items: list[bytes], what: str) -> list[tuple[bytes, bytes]]:
    if len(items) % 2:
        raise RdbError(f"{what}: odd number of elements")
    return list(zip(items[0::2], items[1::2]))


def _load_object(e: Engine, r: _Reader, t: int) -> RObj | None:
    """``rdbLoadObject``: one value; None for an empty collection (skipped, as 7.0 does)."""
    cfg = e.config
    if t == RDB_TYPE_STRING:
        return e.new_object(OBJ_STRING, None, r.string())

    if t in (RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_LIST_QUICKLIST):
        items: deque[bytes] = deque()
        for _ in range(r.length()):
            if t == RDB_TYPE_LIST_QUICKLIST_2:
                container = r.length()
                if container not in (QUICKLIST_NODE_CONTAINER_PLAIN,
                                     QUICKLIST_NODE_CONTAINER_PACKED):
                    raise RdbError("quicklist: unknown node container %d" % container)
                blob = r.string()
                if container == QUICKLIST_NODE_CONTAINER_PLAIN:
                    items.append(blob)
                    continue
                items.extend(listpack_parse(blob))
            else:
                items.extend(ziplist_parse(r.string()))
        return e.new_object(OBJ_LIST, "quicklist", items) if items else None
    if t == RDB_TYPE_LIST:
        items = deque(r.string() for _ in range(r.length()))
        return e.new_object(OBJ_LIST, "quicklist", items) if items else None
    if t == RDB_TYPE_LIST_ZIPLIST:
        items = deque(ziplist_parse(r.string()))
        return e.new_object(OBJ_LIST, "quicklist", items) if items else None

    if t in (RDB_TYPE_SET, RDB_TYPE_SET_INTSET):
        from ..sets import set_from_members

        if t == RDB_TYPE_SET:
            n = r.length()
            members = {r.string() for _ in range(n)}
            if len(members) != n:
                raise RdbError("duplicate set members detected")
        else:
            members = {b"%d" % v for v in intset_parse(r.string())}
        # SET: intset while every member is an integer and the size fits;
        # SET_INTSET: converted to a hashtable when larger than set-max-intset-entries.
        return set_from_members(e, members) if members else None

    if t in (RDB_TYPE_ZSET, RDB_TYPE_ZSET_2):
        n = r.length()
        pairs = []
        seen = set()
        maxlen = 0
        for _ in range(n):
            m = r.string()
            s = r.binary_double() if t == RDB_TYPE_ZSET_2 else r.ascii_double()
            if math.isnan(s):
                raise RdbError("zset score is NaN")
            if m in seen:
                raise RdbError("duplicate zset fields detected")
            seen.add(m)
            maxlen = max(maxlen, len(m))
            pairs.append((m, s))
        if not pairs:
            return None
        small = n <= cfg.zset_max_listpack_entries and maxlen <= cfg.zset_max_listpack_value
        return _zset_object(e, pairs, small)
    if t in (RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_ZIPLIST):
        blob = r.string()
        items = listpack_parse(blob) if t == RDB_TYPE_ZSET_LISTPACK else ziplist_parse(blob)
        pairs = [(m, _parse_score(s)) for m, s in _pairs(items, "zset")]
        if len({m for m, _ in pairs}) != len(pairs):
            raise RdbError("duplicate zset fields detected")
        if not pairs:
            return None
        # only the entry count decides on load
        return _zset_object(e, pairs, len(pairs) <= cfg.zset_max_listpack_entries)

    if t == RDB_TYPE_HASH:
        n = r.length()
        d: dict[bytes, bytes] = {}
        small = n <= cfg.hash_max_listpack_entries
        maxv = cfg.hash_max_listpack_value
        for _ in range(n):
            f = r.string()
            v = r.string()
            if f in d:
                raise RdbError("duplicate hash fields detected")
            if small and (len(f) > maxv or len(v) > maxv):
                small = False
            d[f] = v
        return _hash_object(e, d, small) if d else None
    if t in (RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_ZIPLIST):
        blob = r.string()
        items = listpack_parse(blob) if t == RDB_TYPE_HASH_LISTPACK else ziplist_parse(blob)
        pairs2 = _pairs(items, "hash")
        d = dict(pairs2)
        if len(d) != len(pairs2):
            raise RdbError("duplicate hash fields detected")
        if not d:
            return None
        return _hash_object(e, d, len(d) <= cfg.hash_max_listpack_entries)

    if t == RDB_TYPE_HASH_ZIPMAP:
        raise RdbError("HASH_ZIPMAP (pre-2.6) values are not supported")
    if t in (RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2):
        raise RdbError("the engine has no stream type: cannot load a stream key")
    if t in (RDB_TYPE_MODULE, RDB_TYPE_MODULE_2):
        raise RdbError("module values are not supported")
    raise RdbError("unknown RDB value type %d" % t)


def _apply_lru_lfu(e: Engine, o: RObj, idle: int, freq: int) -> None:
    """``objectSetLRUOrLFU``: FREQ under an LFU policy, else IDLE (seconds)."""
    if e.lfu_policy:
        if freq >= 0:
            o.lru = (e.lfu_time_minutes() << 8) | freq
    elif idle >= 0:
        units = idle * 1000 // e.lru_clock_resolution_ms
        lru = e.lruclock - units
        if lru < 0:
            lru += LRU_CLOCK_MAX
        o.lru = lru


def _load_function(e: Engine, code: bytes, res: LoadResult) -> None:
    res.functions.append(code)
    try:
        from .. import functions  # type: ignore[attr-defined]
    except ImportError:
        res.warnings.append("function library skipped: the engine has no functions module")
        return
    hook = getattr(functions, "rdb_load_library", None)
    try:
        if hook is not None:
            hook(e, code)
        else:
            functions.fstate(e).create_library(code, False)
    except ReplyError as err:
        raise RdbError(f"Failed loading library: {err.message}") from None


def loads(e: Engine, data: bytes, *, verify_checksum: bool | None = None,
          allow_dup: bool = False) -> LoadResult:
    """``rdbLoadRio``: load an RDB image into the engine's databases (which the caller
    empties first if it wants a clean load). Raises ``RdbError`` on a corrupt file; the
    keys read before the error stay loaded, as in Redis (which then exits)."""
    data = bytes(data)
    res = LoadResult()
    if len(data) < 9 or data[:5] != b"REDIS":
        raise RdbError("Wrong signature trying to load DB from file")
    try:
        ver = int(data[5:9])
    except ValueError:
        raise RdbError("Wrong signature trying to load DB from file") from None
    if ver < 1 or ver > RDB_VERSION:
        raise RdbError(f"Can't handle RDB format version {ver}")
    res.version = ver
    r = _Reader(data)
    r.pos = 9
    if verify_checksum is None:
        verify_checksum = bool(e.config.rdbchecksum)
    now = e.mstime
    db = e.dbs[0]
    expire = -1
    idle = -1
    freq = -1
    was_loading = e.loading
    e.loading = True
    evict_idx = e.evict_state.indexes
    try:
        while True:
            t = r.byte()
            if t == RDB_OPCODE_EXPIRETIME_MS:
                expire = int.from_bytes(r.take(8), "little", signed=True)
                continue
            if t == RDB_OPCODE_EXPIRETIME:
                expire = int.from_bytes(r.take(4), "little", signed=True) * 1000
                continue
            if t == RDB_OPCODE_IDLE:
                idle = r.length()
                continue
            if t == RDB_OPCODE_FREQ:
                freq = r.byte()
                continue
            if t == RDB_OPCODE_EOF:
                break
            if t == RDB_OPCODE_SELECTDB:
                dbid = r.length()
                if dbid >= len(e.dbs):
                    raise RdbError(
                        "FATAL: Data file was created with a Redis server configured to "
                        f"handle more than {len(e.dbs)} databases. Exiting")
                db = e.dbs[dbid]
                continue
            if t == RDB_OPCODE_RESIZEDB:
                r.length()
                r.length()
                continue
            if t == RDB_OPCODE_AUX:
                k = r.string()
                v = r.string()
                res.aux[k] = v
                continue
            if t == RDB_OPCODE_FUNCTION2:
                _load_function(e, r.string(), res)
                continue
            if t == RDB_OPCODE_FUNCTION:
                raise RdbError("pre-release function format (FUNCTION opcode) not supported")
            if t == RDB_OPCODE_MODULE_AUX:
                raise RdbError("module AUX data is not supported")
            # a key-value pair
            key = r.string()
            o = _load_object(e, r, t)
            if o is None:
                res.empty_keys_skipped += 1
            elif expire != -1 and expire < now:
                res.keys_expired += 1
            else:
                d = db.dict
                if key in d:
                    if not allow_dup:
                        raise RdbError(f"Duplicated key {key!r} found in RDB file (db {db.id})")
                    db.delete(key)
                _apply_lru_lfu(e, o, idle, freq)
                d[key] = o
                db.mem_dirty.add(key)
                if evict_idx is not None:
                    evict_idx[db.id].add(key)
                if expire != -1:
                    db.set_expire(key, expire)
                res.keys_loaded += 1
            expire = idle = freq = -1
        if ver >= 5:
            end = r.pos
            expected = int.from_bytes(r.take(8), "little")
            if verify_checksum:
                if expected == 0:
                    res.checksum_disabled = True
                    res.warnings.append(
                        "RDB file was saved with checksum disabled: no check performed.")
                elif crc64(data[:end]) != expected:
                    raise RdbError("Wrong RDB checksum. Aborting now.")
    finally:
        e.loading = was_loading
        e.rdb_last_load_keys_loaded = res.keys_loaded
        e.rdb_last_load_keys_expired = res.keys_expired
    return res


def load_rdb(e: Engine, path: str | os.PathLike | None = None) -> LoadResult | None:
    """Load ``path`` (default ``dir/dbfilename``) into the engine. Returns None when the
    file does not exist (a server then starts empty), else the ``LoadResult``.
    Does not empty the databases first: call it on a fresh engine (start-up) or after
    flushing (DEBUG RELOAD)."""
    if path is None:
        path = os.path.join(e.config.dir, e.config.dbfilename)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    return loads(e, data)


# =========================================================================================
# Commands
# =========================================================================================
@command("save", arity=1, flags="admin noscript no_async_loading no_multi", group="server",
         since="1.0.0", complexity="O(N) where N is the total number of keys in all databases")
def save_command(c, argv):
    """SAVE
    Synchronously save the dataset to disk"""
    e = c.engine
    if getattr(e, "rdb_bgsave_in_progress", 0):
        raise ReplyError(errors.BGSAVE_IN_PROGRESS)
    try:
        save_rdb(e)
    except OSError:
        e.lastbgsave_status = "err"
        raise ReplyError(errors.SAVE_FAILED) from None
    return OK


@command("lastsave", arity=1, flags="loading stale fast", group="server", since="1.0.0",
         complexity="O(1)", acl="admin dangerous", tips="nondeterministic_output")
def lastsave_command(c, argv):
    """LASTSAVE
    Get the UNIX time stamp of the last successful save to disk"""
    e = c.engine
    return getattr(e, "lastsave", e.start_ms // 1000)
