"""LZF compression and decompression (the format RDB strings use, ``0xC3``).

Written from the format description: a stream of items, each starting with a control
byte ``c``:

* ``c < 32``: a literal run, the next ``c + 1`` bytes are copied as is (1..32 bytes);
* otherwise a back reference: ``n = c >> 5`` (1..6, or 7 meaning "7 plus the next byte"),
  then one more byte ``lo``; copy ``n + 2`` bytes starting ``((c & 31) << 8 | lo) + 1``
  bytes back in the output (so distances 1..8192, lengths 3..264; the source may
  overlap the bytes being produced).

``compress`` is a greedy matcher over 3-byte prefixes; any valid stream decompresses
the same, so the exact bytes need not match another compressor's.
"""

from __future__ import annotations

MAX_LIT = 32
MAX_OFF = 1 << 13  # 8192
MAX_REF = (1 << 8) + (1 << 3)  # 264


class LZFError(ValueError):
    """A corrupt or truncated LZF stream."""


def _flush_literals(out: bytearray, data: bytes, start: int, end: int) -> None:
    while start < end:
        n = min(MAX_LIT, end - start)
        out.append(n - 1)
        out += data[start:start + n]
        start += n


def compress(data: bytes, max_out: int | None = None) -> bytes | None:
    """Compress ``data``. With ``max_out``, return None as soon as the output would be
    longer than ``max_out`` bytes (the RDB writer asks for a saving of 4+ bytes).

    >>> decompress(compress(b"abcabcabcabcabcabc"), 18)
    b'abcabcabcabcabcabc'
    """
    data = bytes(data)
    n = len(data)
    out = bytearray()
    limit = n + n // 32 + 2 if max_out is None else max_out
    table: dict[bytes, int] = {}
    lit = 0
    i = 0
    end = n - 2
    while i < end:
        key = data[i:i + 3]
        ref = table.get(key)
        table[key] = i
        if ref is not None and i - ref <= MAX_OFF:
            maxlen = min(MAX_REF, n - i)
            ln = 3
            while ln + 8 <= maxlen and data[ref + ln:ref + ln + 8] == data[i + ln:i + ln + 8]:
                ln += 8
            while ln < maxlen and data[ref + ln] == data[i + ln]:
                ln += 1
            if lit < i:
                _flush_literals(out, data, lit, i)
            off = i - ref - 1
            code = ln - 2
            if code < 7:
                out.append((code << 5) | (off >> 8))
            else:
                out.append((7 << 5) | (off >> 8))
                out.append(code - 7)
            out.append(off & 0xFF)
            # index the positions just inside the match (cheap, helps the next search)
            nxt = i + ln
            if nxt - 1 < end:
                table[data[nxt - 1:nxt + 2]] = nxt - 1
            i = nxt
            lit = i
            if len(out) > limit:
                return None
        else:
            i += 1
            if i - lit > limit - len(out):
                # even literal-only output can't fit any more
                if len(out) + (i - lit) + (i - lit + MAX_LIT - 1) // MAX_LIT > limit:
                    return None
    _flush_literals(out, data, lit, n)
    if len(out) > limit:
        return None
    return bytes(out)


def decompress(data: bytes, out_len: int) -> bytes:
    """Decompress an LZF stream that must produce exactly ``out_len`` bytes."""
    data = bytes(data)
    n = len(data)
    out = bytearray()
    i = 0
    while i < n:
        c = data[i]
        i += 1
        if c < 32:
            run = c + 1
            if i + run > n:
                raise LZFError("literal run past the end of the input")
            out += data[i:i + run]
            i += run
        else:
            ln = c >> 5
            if ln == 7:
                if i >= n:
                    raise LZFError("truncated back reference")
                ln += data[i]
                i += 1
            if i >= n:
                raise LZFError("truncated back reference")
            ref = len(out) - ((c & 31) << 8) - data[i] - 1
            i += 1
            ln += 2
            if ref < 0:
                raise LZFError("back reference before the start of the output")
            if ref + ln <= len(out):
                out += out[ref:ref + ln]
            else:
                for k in range(ln):
                    out.append(out[ref + k])
        if len(out) > out_len:
            raise LZFError("output longer than expected")
    if len(out) != out_len:
        raise LZFError(f"decompressed {len(out)} bytes, expected {out_len}")
    return bytes(out)
