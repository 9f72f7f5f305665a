"""LZF compression and decompression (the format RDB strings use, ``0xC3``).

Written from the format description: a stream of items, each starting with a control
byte ``c``:

* ``c < 32``: a literal run, the next ``c + 1`` bytes are copied as is (1..32 bytes);
* otherwise a back reference: ``n = c >> 5`` (1..6, or 7 meaning "7 plus the next byte"),
  then one more byte ``lo``; copy ``n + 2`` bytes starting ``((c & 31) << 8 | lo) + 1``
  bytes back in the output (so distances 1..8192, lengths 3..264; the source may
  overlap the bytes being produced).

``compress`` reproduces liblzf 3.6's ``lzf_compress`` as Redis builds it (``lzfP.h``:
``HLOG`` 16, ``VERY_FAST`` 1, ``ULTRA_FAST`` 0), so DUMP payloads and RDB files match
Redis byte for byte. Reimplemented from the format and the algorithm's description:

* a hash table of 2**16 slots holds, per slot, the last position whose next 3 bytes
  hashed there; the hash of bytes ``a b c`` (``h = a<<16 | b<<8 | c``) is
  ``((h >> 8) - 5*h) mod 2**16``. Each position is looked up and then replaces the slot;
* a candidate is used when it is 1..8192 bytes back, not position 0, and its first 3
  bytes are equal; the match is extended greedily up to ``min(264, left - 2)`` bytes,
  except that when that bound is 17 or 18, liblzf's unrolled loop still compares up
  to 19 bytes (so a match may then take all the remaining input);
* after a match only the two positions before its end are entered in the table;
* the last 2 bytes (or fewer) are always literals;
* with an output limit (``out_len``) the same conservative checks as liblzf apply:
  before a literal (``op >= out_end``), before a reference (``op - !lit + 4 >=
  out_end``) and before the tail (``op + 3 > out_end``), ``op`` counting the header
  byte of the open literal run.

Redis leaves the table uninitialised (``INIT_HTAB`` 0), so in principle stale slots from
an earlier call could point at real matches; this models an empty table.
"""

from __future__ import annotations

MAX_LIT = 32
MAX_OFF = 1 << 13  # 8192
MAX_REF = (1 << 8) + (1 << 3)  # 264


class LZFError(ValueError):
    """A corrupt or truncated LZF stream."""


HLOG = 16
HSIZE = 1 << HLOG


def compress(data: bytes, max_out: int | None = None) -> bytes | None:
    """Compress ``data`` the way liblzf 3.6's ``lzf_compress`` does with Redis's
    ``lzfP.h`` (``HLOG`` 16, ``VERY_FAST``, not ``ULTRA_FAST``): the same bytes.

    ``max_out`` plays the part of ``out_len``: None is returned where liblzf returns 0
    (its checks are conservative, so this can happen a few bytes before the output
    would really overflow). The RDB writer passes ``len - 4``. Without ``max_out`` the
    output buffer is unbounded and the result is never None.

    >>> decompress(compress(b"abcabcabcabcabcabc"), 18)
    b'abcabcabcabcabcabc'
    """
    data = bytes(data)
    n = len(data)
    if n == 0:
        return b"" if max_out is None else None
    out_end = n + n // 16 + 64 if max_out is None else max_out
    if out_end <= 0:
        return None
    # one slot per hash bucket: the last position whose 3 bytes hashed there. 0 means
    # "empty" as well as "position 0": liblzf never references position 0.
    table = [0] * HSIZE
    out = bytearray(b"\x00")  # header of the current literal run
    hdr = 0
    lit = 0
    i = 0
    end = n - 2
    h = (data[0] << 8) | data[1] if n > 1 else data[0] << 8
    while i < end:
        h = ((h << 8) | data[i + 2]) & 0xFFFFFF
        idx = ((h >> 8) - h * 5) & 0xFFFF
        ref = table[idx]
        table[idx] = i
        if (ref and i - ref <= MAX_OFF and data[ref + 2] == data[i + 2]
                and data[ref] == data[i] and data[ref + 1] == data[i + 1]):
            maxlen = n - i - 2
            if maxlen > MAX_REF:
                maxlen = MAX_REF
            # liblzf checks 16 more bytes unconditionally when maxlen > 16
            limit = maxlen if maxlen > 19 else (19 if maxlen > 16 else max(maxlen, 3))
            ln = 3
            while ln + 16 <= limit and data[ref + ln:ref + ln + 16] == data[i + ln:i + ln + 16]:
                ln += 16
            while ln < limit and data[ref + ln] == data[i + ln]:
                ln += 1
            if len(out) - (lit == 0) + 4 >= out_end:
                return None
            if lit:
                out[hdr] = lit - 1
            else:
                out.pop()
            off = i - ref - 1
            code = ln - 2
            if code < 7:
                out.append((code << 5) | (off >> 8))
            else:
                out.append(0xE0 | (off >> 8))
                out.append(code - 7)
            out.append(off & 0xFF)
            hdr = len(out)
            out.append(0)
            lit = 0
            i += ln
            if i >= end:
                break
            # VERY_FAST: hash the two positions before the match end
            h = (data[i - 2] << 16) | (data[i - 1] << 8) | data[i]
            table[((h >> 8) - h * 5) & 0xFFFF] = i - 2
            h = ((h << 8) | data[i + 1]) & 0xFFFFFF
            table[((h >> 8) - h * 5) & 0xFFFF] = i - 1
        else:
            if len(out) >= out_end:
                return None
            out.append(data[i])
            i += 1
            lit += 1
            if lit == MAX_LIT:
                out[hdr] = MAX_LIT - 1
                hdr = len(out)
                out.append(0)
                lit = 0
    if len(out) + 3 > out_end:
        return None
    while i < n:
        out.append(data[i])
        i += 1
        lit += 1
        if lit == MAX_LIT:
            out[hdr] = MAX_LIT - 1
            hdr = len(out)
            out.append(0)
            lit = 0
    if lit:
        out[hdr] = lit - 1
    else:
        out.pop()
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
