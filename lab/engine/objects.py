"""Values and their encodings (``object.c``, ``server.h``'s robj).

Values live in fast Python structures; Redis's encodings are *modelled*: each object
carries the encoding name Redis would report, switched at 7.0's thresholds, one way.

===========  =====================================  ================================
type         Python value (``RObj.val``)            encodings
===========  =====================================  ================================
string       ``bytes``                              int / embstr / raw
list         ``collections.deque`` of bytes         quicklist (always, in 7.0)
hash         ``dict`` field -> value                listpack -> hashtable
set          ``set`` of bytes                       intset -> hashtable
zset         ``zsets.ZSetValue`` (dict+SortedList)  listpack -> skiplist
===========  =====================================  ================================

Strings derive their encoding from their bytes (``enc is None``) unless an in-place
edit (APPEND, SETRANGE, SETBIT, ...) made them ``raw``, as ``tryObjectEncoding`` would.
"""

from __future__ import annotations

from .util import string2ll

OBJ_STRING = "string"
OBJ_LIST = "list"
OBJ_SET = "set"
OBJ_ZSET = "zset"
OBJ_HASH = "hash"
OBJ_STREAM = "stream"

OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44
OBJ_SHARED_INTEGERS = 10000

LRU_BITS = 24
LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
LRU_CLOCK_RESOLUTION = 1000  # ms
LFU_INIT_VAL = 5


class RObj:
    """One value in the keyspace (a ``robj``): type, encoding, payload and the 24-bit
    ``lru`` field (LRU clock seconds, or LFU ``[16 bit minutes][8 bit counter]``)."""

    __slots__ = ("type", "enc", "val", "lru", "htbase")

    def __init__(self, type: str, enc: str | None, val, lru: int = 0):
        self.type = type
        self.enc = enc
        self.val = val
        self.lru = lru
        # For a hashtable made by converting a listpack/intset: the entry count Redis
        # passed to dictExpand at the conversion (0: the dict grew from empty). The
        # memory model derives the table's bucket count from it (memory.dict_slots).
        self.htbase = 0

    def __repr__(self) -> str:
        return f"RObj({self.type}, {self.encoding}, {self.val!r})"

    @property
    def encoding(self) -> str:
        """The name ``OBJECT ENCODING`` prints."""
        if self.enc is not None:
            return self.enc
        return string_encoding(self.val)


def string_encoding(v: bytes) -> str:
    """Encoding of a string created from the protocol (``tryObjectEncoding``).

    >>> string_encoding(b"123"), string_encoding(b"x" * 44), string_encoding(b"x" * 45)
    ('int', 'embstr', 'raw')
    """
    n = len(v)
    if n <= 20 and string2ll(v) is not None:
        return "int"
    return "embstr" if n <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT else "raw"


def raw_string(v: bytes, lru: int = 0) -> RObj:
    """A string value that an in-place edit produced: always ``raw`` (APPEND, SETRANGE).

    Like Redis, a raw string that later parses as an integer is still raw until a
    command re-encodes it (e.g. ``INCR`` stores a fresh int)."""
    return RObj(OBJ_STRING, "raw", v, lru)
