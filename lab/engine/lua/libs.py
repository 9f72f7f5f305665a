"""Python halves of the Lua libraries Redis 7.0 preloads: bit, struct, cmsgpack, and the
cjson decoder (the encoder is Lua, in ``sandbox.lua``, so table order is Lua's own).

Each function receives Lua values as lupa passes them (strings as ``bytes``, numbers as
``int``/``float``, tables as lupa tables) and returns Lua values. Errors are raised as
``LuaLibError``; the Lua wrappers turn them into Lua errors. Written from the libraries'
documentation (LuaBitOp, Roberto Ierusalimschy's struct, lua-cmsgpack, lua-cjson).
"""

from __future__ import annotations

import math
import re
import struct as _struct

MASK32 = 0xFFFFFFFF


class LuaLibError(Exception):
    pass


def lua_typename(v) -> str:
    """Lua's type() name of a value lupa handed to Python."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, bytes):
        return "string"
    t = _lua_type(v)
    return t.decode() if isinstance(t, bytes) else (t or "userdata")


# -- bit (LuaBitOp) ----------------------------------------------------------------------
def _num(x, i: int, fname: str):
    """``luaL_checknumber``: numbers, and strings that convert."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    if isinstance(x, bytes):
        try:
            return float(x)
        except ValueError:
            pass
    raise LuaLibError("bad argument #%d to '%s' (number expected, got %s)"
                      % (i, fname, lua_typename(x)))


def _args(fname: str, args: tuple, n: int) -> list:
    if len(args) < n:
        raise LuaLibError("bad argument #%d to '%s' (number expected, got no value)"
                          % (len(args) + 1, fname))
    return [_num(a, i + 1, fname) for i, a in enumerate(args)]


def _tobit(x) -> int:
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return 0
        # LuaBitOp adds 2^52+2^51 and keeps the low 32 bits: round half to even
        x = round(x)
    v = int(x) & MASK32
    return v - (1 << 32) if v & 0x80000000 else v


def _s32(v: int) -> int:
    v &= MASK32
    return v - (1 << 32) if v & 0x80000000 else v


def _band(*a):
    r = -1
    for x in _args("band", a, 1):
        r &= _tobit(x)
    return _s32(r)


def _bor(*a):
    r = 0
    for x in _args("bor", a, 1):
        r |= _tobit(x)
    return _s32(r)


def _bxor(*a):
    r = 0
    for x in _args("bxor", a, 1):
        r ^= _tobit(x)
    return _s32(r)


def _tohex(*a):
    x = _args("tohex", a[:1], 1)[0]
    n = _args("tohex", a[1:2], 0)[0] if len(a) > 1 and a[1] is not None else 8
    v = _tobit(x) & MASK32
    n = _tobit(n)
    upper = n < 0
    n = min(abs(n), 8) or 8
    s = ("%08X" if upper else "%08x") % v
    return s[8 - n:].encode()


def _unary(fname, fn):
    def f(*a):
        (x,) = _args(fname, a[:1], 1)
        return fn(_tobit(x))
    return f


def _shift(fname, fn):
    def f(*a):
        x, n = _args(fname, a[:2], 2)
        return _s32(fn(_tobit(x), _tobit(n) & 31))
    return f


BIT = {
    "tobit": _unary("tobit", lambda v: v),
    "tohex": _tohex,
    "bnot": _unary("bnot", lambda v: _s32(~v)),
    "band": _band,
    "bor": _bor,
    "bxor": _bxor,
    "lshift": _shift("lshift", lambda v, n: (v & MASK32) << n),
    "rshift": _shift("rshift", lambda v, n: (v & MASK32) >> n),
    "arshift": _shift("arshift", lambda v, n: v >> n),
    "rol": _shift("rol", lambda v, n: ((v & MASK32) << n) | ((v & MASK32) >> (32 - n))),
    "ror": _shift("ror", lambda v, n: ((v & MASK32) >> n) | ((v & MASK32) << (32 - n))),
    "bswap": _unary("bswap", lambda v: _s32(int.from_bytes((v & MASK32).to_bytes(4, "little"), "big"))),
}


# -- struct ------------------------------------------------------------------------------
_SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "l": 8, "L": 8, "T": 8, "i": 4, "I": 4,
          "f": 4, "d": 8, "x": 1, "c": 1}


def _parse_fmt(fmt: bytes):
    """Yield (endian, code, size) items; endian '<' or '>'."""
    s = fmt.decode("latin-1")
    endian = "<"
    i = 0
    while i < len(s):
        ch = s[i]
        i += 1
        if ch in " ":
            continue
        if ch in "<>=!":
            if ch == "<" or ch == "=":
                endian = "<"
            elif ch == ">":
                endian = ">"
            else:  # '!' alignment: read and ignore its number (alignment 1 modelled)
                while i < len(s) and s[i].isdigit():
                    i += 1
            continue
        num = ""
        while i < len(s) and s[i].isdigit():
            num += s[i]
            i += 1
        if ch in "iIc":
            size = int(num) if num else (_SIZES[ch] if ch != "c" else 1)
            if ch == "c" and num == "":
                size = 1
            if ch == "c" and num == "0":
                size = 0  # c0: length from the previous item
        elif ch in _SIZES or ch == "s":
            size = _SIZES.get(ch, 0)
        else:
            raise LuaLibError("invalid format option '%s'" % ch)
        if ch in "iI" and not 1 <= size <= 8:
            raise LuaLibError("integral size %d is larger than limit of 8" % size)
        yield endian, ch, size


def struct_pack(fmt, *args):
    out = bytearray()
    ai = 0

    def arg():
        nonlocal ai
        if ai >= len(args):
            raise LuaLibError("bad argument #%d to 'pack' (number expected, got no value)" % (ai + 2))
        v = args[ai]
        ai += 1
        return v

    for endian, ch, size in _parse_fmt(fmt):
        if ch == "x":
            out += b"\0"
        elif ch in "bBhHlLTiI":
            v = arg()
            if isinstance(v, bytes):
                v = float(v)
            v = int(v)
            out += (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little" if endian == "<" else "big")
        elif ch == "f":
            out += _struct.pack(endian + "f", float(arg()))
        elif ch == "d":
            out += _struct.pack(endian + "d", float(arg()))
        elif ch == "s":
            v = arg()
            v = v if isinstance(v, bytes) else str(v).encode()
            out += v + b"\0"
        elif ch == "c":
            v = arg()
            v = v if isinstance(v, bytes) else str(v).encode()
            if size == 0:
                size = len(v)
            if len(v) < size:
                raise LuaLibError("bad argument #%d to 'pack' (string too short)" % (ai + 1))
            out += v[:size]
    return bytes(out)


def struct_unpack(fmt, data, pos=1):
    if not isinstance(data, bytes):
        raise LuaLibError("bad argument #2 to 'unpack' (string expected)")
    i = int(pos) - 1
    res: list = []
    prev = None
    for endian, ch, size in _parse_fmt(fmt):
        if ch == "c" and size == 0:
            if not isinstance(prev, int):
                raise LuaLibError("format 'c0' needs a previous size")
            size = prev
            res.pop()
        if ch != "s" and i + size > len(data):
            raise LuaLibError("bad argument #2 to 'unpack' (data string too short)")
        if ch == "x":
            i += 1
            continue
        if ch in "bBhHlLTiI":
            v = int.from_bytes(data[i:i + size], "little" if endian == "<" else "big",
                               signed=ch in "bhliT" and ch != "T")
            i += size
        elif ch == "f":
            v = _struct.unpack(endian + "f", data[i:i + 4])[0]
            i += 4
        elif ch == "d":
            v = _struct.unpack(endian + "d", data[i:i + 8])[0]
            i += 8
        elif ch == "s":
            end = data.find(b"\0", i)
            if end < 0:
                raise LuaLibError("unfinished string in data")
            v = data[i:end]
            i = end + 1
        else:  # c
            v = data[i:i + size]
            i += size
        res.append(v)
        prev = v
    res.append(i + 1)
    return tuple(res)


def struct_size(fmt):
    total = 0
    for _e, ch, size in _parse_fmt(fmt):
        if ch == "s" or (ch == "c" and size == 0):
            raise LuaLibError("options 'c0' - 's' have undefined sizes")
        total += size
    return total


STRUCT = {"pack": struct_pack, "unpack": struct_unpack, "size": struct_size}


# -- cmsgpack ----------------------------------------------------------------------------
def _lua_type(v):
    from lupa import lua51

    return lua51.lua_type(v)


def _is_array(t) -> int | None:
    """lua-cmsgpack's rule: keys exactly 1..n -> an array of n."""
    n = 0
    maxk = 0
    for k in t.keys():
        if isinstance(k, (int, float)) and not isinstance(k, bool) and k > 0 and k == int(k):
            n += 1
            maxk = max(maxk, int(k))
        else:
            return None
    return n if maxk == n else None


def _mp_int(v: int, out: bytearray) -> None:
    if v >= 0:
        if v < 128:
            out.append(v)
        elif v <= 0xFF:
            out += b"\xcc" + v.to_bytes(1, "big")
        elif v <= 0xFFFF:
            out += b"\xcd" + v.to_bytes(2, "big")
        elif v <= 0xFFFFFFFF:
            out += b"\xce" + v.to_bytes(4, "big")
        else:
            out += b"\xcf" + (v & ((1 << 64) - 1)).to_bytes(8, "big")
    elif v >= -32:
        out.append(v & 0xFF)
    elif v >= -128:
        out += b"\xd0" + v.to_bytes(1, "big", signed=True)
    elif v >= -32768:
        out += b"\xd1" + v.to_bytes(2, "big", signed=True)
    elif v >= -(1 << 31):
        out += b"\xd2" + v.to_bytes(4, "big", signed=True)
    else:
        out += b"\xd3" + max(v, -(1 << 63)).to_bytes(8, "big", signed=True)


def _mp_encode(v, out: bytearray, depth: int) -> None:
    if v is None:
        out.append(0xC0)
    elif v is True:
        out.append(0xC3)
    elif v is False:
        out.append(0xC2)
    elif isinstance(v, int):
        _mp_int(v, out)
    elif isinstance(v, float):
        if v == int(v) if math.isfinite(v) else False:
            if -(1 << 63) <= v < (1 << 64):
                _mp_int(int(v), out)
                return
        f32 = _struct.unpack(">f", _struct.pack(">f", v))[0] if math.isfinite(v) or True else v
        if f32 == v or (math.isnan(v) and math.isnan(f32)):
            out += b"\xca" + _struct.pack(">f", v)
        else:
            out += b"\xcb" + _struct.pack(">d", v)
    elif isinstance(v, bytes):
        n = len(v)
        if n < 32:
            out.append(0xA0 | n)
        elif n <= 0xFF:
            out += b"\xd9" + n.to_bytes(1, "big")
        elif n <= 0xFFFF:
            out += b"\xda" + n.to_bytes(2, "big")
        else:
            out += b"\xdb" + n.to_bytes(4, "big")
        out += v
    elif _lua_type(v) == "table":
        if depth > 16:  # lua-cmsgpack's LUACMSGPACK_MAX_NESTING: deeper tables pack as nil
            out.append(0xC0)
            return
        n = _is_array(v)
        if n is not None:
            if n <= 15:
                out.append(0x90 | n)
            elif n <= 0xFFFF:
                out += b"\xdc" + n.to_bytes(2, "big")
            else:
                out += b"\xdd" + n.to_bytes(4, "big")
            for i in range(1, n + 1):
                _mp_encode(v[i], out, depth + 1)
        else:
            items = list(v.items())
            n = len(items)
            if n <= 15:
                out.append(0x80 | n)
            elif n <= 0xFFFF:
                out += b"\xde" + n.to_bytes(2, "big")
            else:
                out += b"\xdf" + n.to_bytes(4, "big")
            for k, val in items:
                _mp_encode(k, out, depth + 1)
                _mp_encode(val, out, depth + 1)
    else:
        out.append(0xC0)


def msgpack_pack(*args):
    if not args:
        raise LuaLibError("MessagePack pack needs input.")
    out = bytearray()
    for a in args:
        _mp_encode(a, out, 1)
    return bytes(out)


class _MPReader:
    def __init__(self, data: bytes, pos: int, table_from):
        self.d = data
        self.i = pos
        self.table_from = table_from

    def take(self, n: int) -> bytes:
        if self.i + n > len(self.d):
            raise LuaLibError("Missing bytes in input.")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def read(self):
        b = self.take(1)[0]
        if b <= 0x7F:
            return b
        if b >= 0xE0:
            return b - 256
        if 0xA0 <= b <= 0xBF:
            return self.take(b & 0x1F)
        if 0x90 <= b <= 0x9F:
            return self.array(b & 0x0F)
        if 0x80 <= b <= 0x8F:
            return self.map(b & 0x0F)
        if b == 0xC0:
            return None
        if b == 0xC2:
            return False
        if b == 0xC3:
            return True
        ints = {0xCC: (1, False), 0xCD: (2, False), 0xCE: (4, False), 0xCF: (8, False),
                0xD0: (1, True), 0xD1: (2, True), 0xD2: (4, True), 0xD3: (8, True)}
        if b in ints:
            n, signed = ints[b]
            return int.from_bytes(self.take(n), "big", signed=signed)
        if b == 0xCA:
            return _struct.unpack(">f", self.take(4))[0]
        if b == 0xCB:
            return _struct.unpack(">d", self.take(8))[0]
        if b in (0xD9, 0xC4):
            return self.take(self.take(1)[0])
        if b in (0xDA, 0xC5):
            return self.take(int.from_bytes(self.take(2), "big"))
        if b in (0xDB, 0xC6):
            return self.take(int.from_bytes(self.take(4), "big"))
        if b == 0xDC:
            return self.array(int.from_bytes(self.take(2), "big"))
        if b == 0xDD:
            return self.array(int.from_bytes(self.take(4), "big"))
        if b == 0xDE:
            return self.map(int.from_bytes(self.take(2), "big"))
        if b == 0xDF:
            return self.map(int.from_bytes(self.take(4), "big"))
        raise LuaLibError("Bad data format in input.")

    def array(self, n: int):
        return self.table_from([self.read() for _ in range(n)])

    def map(self, n: int):
        d = {}
        for _ in range(n):
            k = self.read()
            d[k] = self.read()
        return self.table_from(d)


def make_msgpack(table_from):
    def unpack(data):
        if not isinstance(data, bytes):
            raise LuaLibError("bad argument #1 to 'unpack' (string expected)")
        r = _MPReader(data, 0, table_from)
        vals = []
        while r.i < len(data):
            vals.append(r.read())
        return tuple(vals)

    def unpack_one(data, offset=0):
        return unpack_limit(data, 1, offset)

    def unpack_limit(data, limit, offset=0):
        r = _MPReader(data, int(offset), table_from)
        vals = []
        limit = int(limit)
        while r.i < len(data) and (limit <= 0 or len(vals) < limit):
            vals.append(r.read())
        nxt = r.i if r.i < len(data) else -1
        return (nxt, *vals)

    return {"pack": msgpack_pack, "unpack": unpack, "unpack_one": unpack_one,
            "unpack_limit": unpack_limit}


# -- cjson.decode (lua-cjson's tokenizer and parser, with its error texts) ------------------
_NUM_RE = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WS = b" \t\n\r"
_ESC = {ord('"'): b'"', ord("\\"): b"\\", ord("/"): b"/", ord("b"): b"\b", ord("f"): b"\f",
        ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t"}
_SIMPLE = {ord("{"): "T_OBJ_BEGIN", ord("}"): "T_OBJ_END", ord("["): "T_ARR_BEGIN",
           ord("]"): "T_ARR_END", ord(","): "T_COMMA", ord(":"): "T_COLON"}
_MAX_DEPTH = 1000


class _JsonParser:
    def __init__(self, data: bytes, table_from, null):
        self.d = data
        self.i = 0
        self.table_from = table_from
        self.null = null
        self.depth = 0

    def token(self):
        """(type, value, start): lua-cjson's json_next_token."""
        d, i = self.d, self.i
        while i < len(d) and d[i] in _WS:
            i += 1
        start = i
        if i >= len(d):
            self.i = i
            return "T_END", None, start
        ch = d[i]
        if ch in _SIMPLE:
            self.i = i + 1
            return _SIMPLE[ch], None, start
        if ch == 0x22:  # '"'
            return self.string(i)
        if ch == 0x2D or 0x30 <= ch <= 0x39:
            m = _NUM_RE.match(d, i)
            if m is None:
                self.i = i
                return "T_ERROR", "invalid number", start
            self.i = m.end()
            return "T_NUMBER", float(m.group()), start
        for word, typ, val in ((b"true", "T_BOOLEAN", True), (b"false", "T_BOOLEAN", False),
                               (b"null", "T_NULL", self.null)):
            if d.startswith(word, i):
                self.i = i + len(word)
                return typ, val, start
        self.i = i
        return "T_ERROR", "invalid token", start

    def string(self, i):
        d = self.d
        start = i
        i += 1
        out = bytearray()
        while True:
            if i >= len(d):
                self.i = i
                return "T_ERROR", "unexpected end of string", start
            ch = d[i]
            if ch == 0x22:
                self.i = i + 1
                return "T_STRING", bytes(out), start
            if ch == 0x5C:  # backslash
                if i + 1 >= len(d):
                    self.i = i
                    return "T_ERROR", "unexpected end of string", start
                e = d[i + 1]
                if e == ord("u"):
                    cp, n = self.unicode(i)
                    if cp is None:
                        self.i = i
                        return "T_ERROR", "invalid unicode escape code", start
                    out += chr(cp).encode("utf-8", "surrogatepass")
                    i += n
                    continue
                if e not in _ESC:
                    self.i = i
                    return "T_ERROR", "invalid escape code", start
                out += _ESC[e]
                i += 2
                continue
            out.append(ch)
            i += 1

    def unicode(self, i):
        d = self.d
        h = d[i + 2:i + 6]
        if len(h) != 4 or not all(c in b"0123456789abcdefABCDEF" for c in h):
            return None, 0
        cp = int(h, 16)
        if 0xD800 <= cp <= 0xDBFF:
            if d[i + 6:i + 8] != b"\\u":
                return None, 0
            h2 = d[i + 8:i + 12]
            if len(h2) != 4 or not all(c in b"0123456789abcdefABCDEF" for c in h2):
                return None, 0
            lo = int(h2, 16)
            if not 0xDC00 <= lo <= 0xDFFF:
                return None, 0
            return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), 12
        if 0xDC00 <= cp <= 0xDFFF:
            return None, 0
        return cp, 6

    def fail(self, expected: str, tok) -> None:
        typ, val, start = tok
        found = val if typ == "T_ERROR" else typ
        raise LuaLibError("Expected %s but found %s at character %d" % (expected, found, start + 1))

    def value(self, tok):
        typ, val, start = tok
        if typ in ("T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL"):
            return val
        if typ == "T_OBJ_BEGIN":
            return self.obj(start)
        if typ == "T_ARR_BEGIN":
            return self.arr(start)
        self.fail("value", tok)
        return None

    def nest(self, start):
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise LuaLibError("Found too many nested data structures (%d) at character %d"
                              % (self.depth, start + 1))

    def obj(self, start):
        self.nest(start)
        d = {}
        tok = self.token()
        if tok[0] == "T_OBJ_END":
            self.depth -= 1
            return self.table_from(d)
        while True:
            if tok[0] != "T_STRING":
                self.fail("object key string", tok)
            key = tok[1]
            tok = self.token()
            if tok[0] != "T_COLON":
                self.fail("colon", tok)
            d[key] = self.value(self.token())
            tok = self.token()
            if tok[0] == "T_OBJ_END":
                self.depth -= 1
                return self.table_from(d)
            if tok[0] != "T_COMMA":
                self.fail("comma or object end", tok)
            tok = self.token()

    def arr(self, start):
        self.nest(start)
        items = []
        tok = self.token()
        if tok[0] == "T_ARR_END":
            self.depth -= 1
            return self.table_from(items)
        while True:
            items.append(self.value(tok))
            tok = self.token()
            if tok[0] == "T_ARR_END":
                self.depth -= 1
                return self.table_from(items)
            if tok[0] != "T_COMMA":
                self.fail("comma or array end", tok)
            tok = self.token()

    def parse(self):
        v = self.value(self.token())
        tok = self.token()
        if tok[0] != "T_END":
            self.fail("the end", tok)
        return v


def make_json_decode(table_from):
    def decode(s, null):
        """lua-cjson's decode: Lua values (tables via ``table_from``; null -> ``null``)."""
        return _JsonParser(s, table_from, null).parse()

    return decode
