"""The memory model: allocation sizes of keys and values (``object.c:objectComputeSize``,
``sds.h``, ``listpack.c``, jemalloc 5.3 size classes).

Values live in Python structures; their *Redis* size is computed from their contents the
way Redis lays them out, so ``MEMORY USAGE`` tracks a real 7.0 server (see
``shared/redis-internals.md`` §7.4 for the measured ground truth these functions are
tested against).

Two views, as in Redis:

* ``memory_usage(key, obj, samples)`` is what ``MEMORY USAGE`` prints: objectComputeSize
  (averaging the first ``samples`` elements of big collections, like Redis) + the key's sds
  + ``sizeof(dictEntry)`` = 24. It ignores the expires entry and the db's bucket array.
* ``key_footprint(key, obj)`` is what the key adds to ``used_memory``: the same
  allocations with jemalloc's real 32-byte slot for every dictEntry (24 B requested).
  The db's bucket arrays and the expires dict are accounted per database
  (``db_overhead``). Measured: 88 B per ``SET k000001 v`` key, +40 B with a TTL.

How the model differs from Redis: quicklist nodes are packed greedily head to tail (exact
for lists built by RPUSH; other histories split nodes differently); a hashtable's bucket
count follows its growth from empty or from a conversion, with the second table of an
incremental rehash counted for as many adds as the old table has non-empty buckets
(``dict_slots``: reads, which also move buckets in Redis, are not counted); APPEND's
greedy sds preallocation is not modelled (raw strings are exact-size).
"""

from __future__ import annotations

import math

from .objects import RObj, string_encoding
from .scan import table_size
from .util import string2ll

# sizeof() on x86-64 (server.h, dict.h, quicklist.h, t_zset.c)
ROBJ = 16
DICT = 56
DICT_ENTRY = 24  # what objectComputeSize counts
DICT_ENTRY_ALLOC = 32  # what jemalloc really hands out for it (24 B requested)
QUICKLIST = 40
QUICKLIST_NODE = 40
ZSET = 16
ZSKIPLIST = 32
ZSKIPLIST_MAXLEVEL = 32
ZSKIPLIST_P = 0.25
ZSL_HEADER_NODE = 24 + 16 * ZSKIPLIST_MAXLEVEL  # 536 requested -> 640
POINTER = 8

LP_HDR_SIZE = 6
LP_EOF = 1
INTSET_HEADER = 8
QUICKLIST_SIZE_SAFETY_LIMIT = 8192
QUICKLIST_SIZE_ESTIMATE_OVERHEAD = 8
QUICKLIST_OPTIMIZATION_LEVEL = (4096, 8192, 16384, 32768, 65536)
OBJ_MEMORY_USAGE_DEFAULT_SAMPLES = 5


def jemalloc_size(n: int) -> int:
    """Usable size jemalloc 5.3 (x86-64) returns for a request of ``n`` bytes.

    >>> [jemalloc_size(n) for n in (1, 9, 17, 21, 49, 87, 129, 536, 797, 5000)]
    [8, 16, 32, 32, 64, 96, 160, 640, 896, 5120]
    """
    if n <= 8:
        return 8
    if n <= 128:
        return (n + 15) & ~15
    # four classes per power of two: (2^k, 2^(k+1)] split into steps of 2^(k-2)
    k = (n - 1).bit_length() - 1  # 2^k < n <= 2^(k+1)
    step = 1 << (k - 2)
    return ((n + step - 1) // step) * step


def sds_header(length: int, empty_is_type8: bool = True) -> int:
    """Header bytes of an sds of ``length`` (sdsReqType): 1/3/5/9/17."""
    if length < 32:
        return 3 if (length == 0 and empty_is_type8) else 1
    if length < 256:
        return 3
    if length < 65536:
        return 5
    if length < 1 << 32:
        return 9
    return 17


def sds_alloc(length: int) -> int:
    """jemalloc size of an exact-size sds (``sdsnewlen``): header + data + NUL.

    >>> sds_alloc(2), sds_alloc(45), sds_alloc(100)
    (8, 64, 112)
    """
    return jemalloc_size(sds_header(length) + length + 1)


def embstr_alloc(length: int) -> int:
    """robj + sdshdr8 + data + NUL in one allocation (length <= 44 fits 64 B)."""
    return jemalloc_size(ROBJ + 3 + length + 1)


def string_value_size(v: bytes, enc: str | None) -> int:
    """objectComputeSize for a string: int 16, embstr one allocation, raw robj + sds."""
    e = enc if enc is not None else string_encoding(v)
    if e == "int":
        return ROBJ
    if e == "embstr":
        return embstr_alloc(len(v))
    return ROBJ + sds_alloc(len(v))


# -- listpack ---------------------------------------------------------------------------
def _lp_backlen(size: int) -> int:
    if size <= 127:
        return 1
    if size < 16383:
        return 2
    if size < 2097151:
        return 3
    if size < 268435455:
        return 4
    return 5


def lp_int_entry(v: int) -> int:
    """Encoding+data bytes of an integer listpack entry."""
    if 0 <= v <= 127:
        return 1
    if -4096 <= v <= 4095:
        return 2
    if -32768 <= v <= 32767:
        return 3
    if -8388608 <= v <= 8388607:
        return 4
    if -2147483648 <= v <= 2147483647:
        return 5
    return 9


def lp_entry_size(b: bytes) -> int:
    """Total bytes of one listpack entry holding ``b`` (integers stored as integers).

    >>> lp_entry_size(b"f0"), lp_entry_size(b"7"), lp_entry_size(b"x" * 64)
    (4, 2, 67)
    """
    n = len(b)
    if n <= 20:
        iv = string2ll(b)
        if iv is not None:
            return lp_int_entry(iv) + 1
    if n <= 63:
        size = 1 + n
    elif n <= 4095:
        size = 2 + n
    else:
        size = 5 + n
    return size + _lp_backlen(size)


def lp_double_entry_size(score: float) -> int:
    """A zset score in a listpack: integral scores as integers, others as their
    shortest repr string (``d2string``/``%.17g`` shortest round-trip)."""
    if math.isfinite(score) and score == int(score) and abs(score) < 2**63:
        return lp_int_entry(int(score)) + 1
    return lp_entry_size(_d2string(score))


def _d2string(d: float) -> bytes:
    if d == float("inf"):
        return b"inf"
    if d == float("-inf"):
        return b"-inf"
    return repr(d).encode()


def listpack_bytes(entry_sizes_total: int) -> int:
    return LP_HDR_SIZE + entry_sizes_total + LP_EOF


# -- quicklist --------------------------------------------------------------------------
def quicklist_node_limit(fill: int) -> int | None:
    """Byte limit per node for a negative ``list-max-listpack-size`` (None if count-based)."""
    if fill < 0:
        return QUICKLIST_OPTIMIZATION_LEVEL[min(-fill, 5) - 1]
    return None


def quicklist_nodes(items, fill: int = -2) -> list[int]:
    """Listpack byte sizes of the nodes a quicklist built by RPUSH of ``items`` has.

    Follows ``_quicklistNodeAllowInsert``: a node takes one more element while
    ``node bytes + len(element) + 8`` stays within the fill's byte limit (or, for a
    positive fill, while it has fewer than ``fill`` entries and stays under 8 KB)."""
    limit = quicklist_node_limit(fill)
    nodes: list[int] = []
    cur = -1
    count = 0
    for it in items:
        esz = lp_entry_size(it)
        if cur >= 0:
            new_sz = cur + len(it) + QUICKLIST_SIZE_ESTIMATE_OVERHEAD
            if limit is not None:
                allow = new_sz <= limit
            else:
                allow = new_sz <= QUICKLIST_SIZE_SAFETY_LIMIT and count < fill
            if allow:
                cur += esz
                count += 1
                continue
            nodes.append(cur)
        cur = LP_HDR_SIZE + LP_EOF + esz
        count = 1
    if cur >= 0:
        nodes.append(cur)
    return nodes


# -- dict tables ------------------------------------------------------------------------------
def _nonempty_buckets(size: int) -> int:
    """Expected non-empty buckets of a table of ``size`` holding ``size`` entries
    (hash values uniform): the rehash steps needed to empty it."""
    return max(1, round(size * (1 - (1 - 1 / size) ** size)))


def dict_slots(n: int, base: int = 0) -> int:
    """Buckets (table 0 + table 1) of a Redis dict holding ``n`` entries added one at a
    time, after being created empty (``base`` 0) or expanded for ``base`` entries by a
    listpack/intset conversion.

    Each doubling starts an incremental rehash: while it lasts both tables count. Each
    later add moves one non-empty bucket of the old table, so the model keeps the old
    table for as many adds as it has non-empty buckets. (Lookups move buckets too in
    Redis; the model counts adds only.)

    >>> dict_slots(10), dict_slots(14), dict_slots(513, base=513), dict_slots(4)
    (24, 16, 1024, 4)
    """
    size = table_size(base) if base else 4
    if n <= size:
        return size
    old = size
    while n > size:
        old = size
        size *= 2
    steps = n - old - 1  # adds after the one that triggered the expansion
    return size + old if steps < _nonempty_buckets(old) else size


# -- objectComputeSize --------------------------------------------------------------------
def _avg_first(values, samples: int, total: int) -> float:
    """Redis's estimate: the average of the first ``samples`` items times ``total``
    (samples 0 = every item)."""
    s = 0
    n = 0
    for v in values:
        s += v
        n += 1
        if samples and n >= samples:
            break
    return (s / n) * total if n else 0


def object_compute_size(obj: RObj, samples: int = OBJ_MEMORY_USAGE_DEFAULT_SAMPLES,
                        fill: int = -2, entry: int = DICT_ENTRY) -> int:
    """``objectComputeSize``: the value's allocations (``entry`` = dictEntry size used)."""
    t = obj.type
    enc = obj.encoding
    v = obj.val
    if t == "string":
        return string_value_size(v, obj.enc)
    if t == "list":
        nodes = quicklist_nodes(v, fill)
        per = (QUICKLIST_NODE + jemalloc_size(n) for n in nodes)
        return int(ROBJ + QUICKLIST + _avg_first(per, samples, len(nodes)))
    if t == "set":
        if enc == "intset":
            width = 2
            for m in v:
                iv = int(m)
                if not -32768 <= iv <= 32767:
                    width = 4 if -2147483648 <= iv <= 2147483647 and width < 8 else 8
                    if width == 8:
                        break
            return ROBJ + jemalloc_size(INTSET_HEADER + width * len(v))
        slots = dict_slots(len(v), obj.htbase)
        per = (entry + sds_alloc(len(m)) for m in v)
        return int(ROBJ + DICT + POINTER * slots + _avg_first(per, samples, len(v)))
    if t == "hash":
        if enc == "listpack":
            total = sum(lp_entry_size(f) + lp_entry_size(x) for f, x in v.items())
            return ROBJ + jemalloc_size(listpack_bytes(total))
        slots = dict_slots(len(v), obj.htbase)
        per = (sds_alloc(len(f)) + sds_alloc(len(x)) + entry for f, x in v.items())
        return int(ROBJ + DICT + POINTER * slots + _avg_first(per, samples, len(v)))
    if t == "zset":
        items = list(_zset_items(v))
        if enc == "listpack":
            total = sum(lp_entry_size(m) + lp_double_entry_size(s) for m, s in items)
            return ROBJ + jemalloc_size(listpack_bytes(total))
        slots = table_size(len(items))
        per = (sds_alloc(len(m)) + entry + jemalloc_size(24 + 16 * zsl_level(m)) for m, _ in items)
        return int(ROBJ + ZSET + ZSKIPLIST + DICT + POINTER * slots + jemalloc_size(ZSL_HEADER_NODE)
                   + _avg_first(per, samples, len(items)))
    if t == "stream":
        from .streams import stream_value_size

        return stream_value_size(v, samples)
    return ROBJ


def _zset_items(v):
    items = getattr(v, "items", None)
    if items is not None:
        return items()
    return iter(v)


def zsl_level(member: bytes) -> int:
    """A skiplist node's level (p = 1/4, max 32). Redis draws it at random; the model
    derives it from the member's bytes so a value's size is reproducible."""
    import zlib

    h = zlib.crc32(member) | (1 << 32)
    level = 1
    while (h & 3) == 0 and level < ZSKIPLIST_MAXLEVEL:
        level += 1
        h >>= 2
    return level


def memory_usage(key: bytes, obj: RObj, samples: int = OBJ_MEMORY_USAGE_DEFAULT_SAMPLES,
                 fill: int = -2) -> int:
    """``MEMORY USAGE key [SAMPLES n]``.

    >>> from lab.engine.objects import RObj
    >>> memory_usage(b"k1", RObj("string", None, b"x")), memory_usage(b"kint", RObj("string", None, b"123"))
    (64, 48)
    >>> memory_usage(b"h10", RObj("hash", "listpack", {b"f%d" % i: b"v%d" % i for i in range(10)}))
    144
    """
    return object_compute_size(obj, samples, fill) + sds_alloc(len(key)) + DICT_ENTRY


def key_footprint(key: bytes, obj: RObj, fill: int = -2) -> int:
    """What one key adds to ``used_memory`` (exact: every element counted, 32 B entries).

    >>> key_footprint(b"k000001", RObj("string", None, b"v"))
    80
    """
    return (object_compute_size(obj, 0, fill, DICT_ENTRY_ALLOC) + sds_alloc(len(key))
            + DICT_ENTRY_ALLOC)


def db_overhead(n_keys: int, n_expires: int) -> int:
    """A database's bucket arrays and expires entries: 8 B per main-dict bucket, and per
    key with a TTL an expires dictEntry (32) plus its bucket (8)."""
    main = POINTER * table_size(n_keys) if n_keys else 0
    exp = (POINTER * table_size(n_expires) + DICT_ENTRY_ALLOC * n_expires) if n_expires else 0
    return main + exp


# -- used_memory, maintained incrementally --------------------------------------------------
# An empty 7.0.15 server's used_memory (used_memory_startup, measured ~876 KB).
USED_MEMORY_STARTUP = 876_000
# What one connected client adds (client struct, query buffer, reply buffer) on a real
# server; in-process clients are modelled as connections too.
CLIENT_OVERHEAD = 20_496


class MemoryTracker:
    """``used_memory`` = startup + per-key footprints + per-db tables + clients.

    Each key's footprint is cached; writes mark the key dirty (``RedisDb.signal_modified``
    and ``Engine.on_key_added`` add it to ``db.mem_dirty``) and deletions subtract the
    cached size at once (``Engine.on_key_deleted``). Reading ``used_memory()`` first
    re-measures the dirty keys: O(1) for strings, O(n) for a modified collection (its
    elements are measured again; Redis's allocator knows sizes, we recompute them).
    """

    __slots__ = ("engine", "sizes", "total", "peak")

    def __init__(self, engine) -> None:
        self.engine = engine
        self.sizes: list[dict[bytes, int]] = [{} for _ in engine.dbs]
        self.total = 0
        self.peak = 0
        for db in engine.dbs:
            db.mem_dirty.update(db.dict)

    def key_deleted(self, dbid: int, key: bytes) -> None:
        old = self.sizes[dbid].pop(key, None)
        if old is not None:
            self.total -= old
        self.engine.dbs[dbid].mem_dirty.discard(key)

    def resync(self) -> None:
        """Forget every cached size and re-measure everything (after FLUSH/SWAPDB-like
        bulk changes made outside the per-key hooks)."""
        self.sizes = [{} for _ in self.engine.dbs]
        self.total = 0
        for db in self.engine.dbs:
            db.mem_dirty.clear()
            db.mem_dirty.update(db.dict)

    def refresh(self) -> None:
        fill = None
        for db in self.engine.dbs:
            dirty = db.mem_dirty
            if not dirty:
                continue
            if fill is None:
                fill = self.engine.config.list_max_listpack_size
            d = db.dict
            sizes = self.sizes[db.id]
            for key in dirty:
                old = sizes.get(key, 0)
                obj = d.get(key)
                if obj is None:
                    new = 0
                    sizes.pop(key, None)
                else:
                    new = key_footprint(key, obj, fill)
                    sizes[key] = new
                self.total += new - old
            dirty.clear()

    def dataset(self) -> int:
        """Bytes of keys, values and the databases' tables."""
        self.refresh()
        over = 0
        for db in self.engine.dbs:
            if db.dict:
                over += db_overhead(len(db.dict), len(db.expires))
        return self.total + over

    def used_memory(self) -> int:
        used = USED_MEMORY_STARTUP + self.dataset() + CLIENT_OVERHEAD * len(self.engine.clients)
        self.peak = max(self.peak, used)
        return used

    def _check(self) -> None:
        """The cached sizes equal a full re-measurement."""
        self.refresh()
        fill = self.engine.config.list_max_listpack_size
        expect = 0
        for db in self.engine.dbs:
            assert set(self.sizes[db.id]) == set(db.dict), db.id
            for k, o in db.dict.items():
                s = key_footprint(k, o, fill)
                assert self.sizes[db.id][k] == s, (k, self.sizes[db.id][k], s)
                expect += s
        assert expect == self.total, (expect, self.total)


# -- the MEMORY command ----------------------------------------------------------------------
def _register_commands() -> None:
    from . import errors
    from .commands import container, subcommand
    from .db import LOOKUP_NOTOUCH
    from .errors import ReplyError
    from .reply import OK, Status
    from .util import string2ll

    memory = container("memory", group="server", since="4.0.0",
                       summary="A container for memory diagnostics commands.")

    @subcommand(memory, "usage", arity=-3, flags="readonly", keys=(2, 2, 1),
                complexity="O(N) where N is the number of samples.")
    def memory_usage_command(c, argv):
        """MEMORY USAGE key [SAMPLES count]
        Estimates the memory usage of a key."""
        samples = OBJ_MEMORY_USAGE_DEFAULT_SAMPLES
        i = 3
        while i < len(argv):
            if argv[i].lower() == b"samples" and i + 1 < len(argv):
                v = string2ll(argv[i + 1])
                if v is None:
                    raise ReplyError(errors.NOT_INTEGER)
                if v < 0:
                    raise ReplyError(errors.SYNTAX)
                samples = v
                i += 2
            else:
                raise ReplyError(errors.SYNTAX)
        obj = c.db.lookup(argv[2], LOOKUP_NOTOUCH)
        if obj is None:
            return None
        return memory_usage(argv[2], obj, samples, c.engine.config.list_max_listpack_size)

    @subcommand(memory, "stats", arity=2, flags="", complexity="O(1)",
                tips="nondeterministic_output request_policy:all_shards response_policy:special")
    def memory_stats_command(c, argv):
        """MEMORY STATS
        Returns details about memory usage."""
        return memory_stats(c.engine)

    @subcommand(memory, "doctor", arity=2, flags="", complexity="O(1)",
                tips="nondeterministic_output request_policy:all_shards response_policy:special")
    def memory_doctor_command(c, argv):
        """MEMORY DOCTOR
        Outputs a memory problems report."""
        from .reply import Verbatim

        return Verbatim(memory_doctor(c.engine).encode())

    slow = "Depends on how much memory is allocated, could be slow"

    @subcommand(memory, "malloc-stats", arity=2, flags="", complexity=slow,
                tips="nondeterministic_output request_policy:all_shards response_policy:special")
    def memory_malloc_stats_command(c, argv):
        """MEMORY MALLOC-STATS
        Returns the allocator statistics."""
        from .reply import Verbatim

        m = c.engine.memory
        return Verbatim(("___ Begin jemalloc statistics (modelled by Redis Lab) ___\n"
                         f"Allocated: {m.used_memory()}\n"
                         "___ End jemalloc statistics ___\n").encode())

    @subcommand(memory, "purge", arity=2, flags="", complexity=slow,
                tips="request_policy:all_shards response_policy:all_succeeded")
    def memory_purge_command(c, argv):
        """MEMORY PURGE
        Asks the allocator to release memory."""
        return OK

    @subcommand(memory, "help", arity=2, flags="loading stale", complexity="O(1)")
    def memory_help_command(c, argv):
        """MEMORY HELP
        Returns helpful text about the different subcommands."""
        lines = [
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
            "HELP",
            "    Print this help.",
        ]
        return [Status(x) for x in lines]


def memory_overhead(engine) -> dict:
    """The overhead part of ``MEMORY STATS`` (what is not the dataset)."""
    clients = CLIENT_OVERHEAD * len(engine.clients)
    dbs = {}
    total_tables = 0
    for db in engine.dbs:
        if not db.dict:
            continue
        main = POINTER * table_size(len(db.dict)) + DICT_ENTRY_ALLOC * len(db.dict)
        exp = (POINTER * table_size(len(db.expires)) + DICT_ENTRY_ALLOC * len(db.expires)
               if db.expires else 0)
        dbs[db.id] = (main, exp)
        total_tables += main + exp
    return {"startup": USED_MEMORY_STARTUP, "clients": clients, "dbs": dbs,
            "total": USED_MEMORY_STARTUP + clients + total_tables}


def memory_stats(engine) -> dict:
    m = engine.memory
    used = m.used_memory()
    over = memory_overhead(engine)
    keys = sum(len(db.dict) for db in engine.dbs)
    dataset = max(0, used - over["total"])
    out: dict = {
        b"peak.allocated": m.peak,
        b"total.allocated": used,
        b"startup.allocated": USED_MEMORY_STARTUP,
        b"replication.backlog": 0,
        b"clients.slaves": 0,
        b"clients.normal": over["clients"],
        b"cluster.links": 0,
        b"aof.buffer": 0,
        b"lua.caches": 0,
        b"functions.caches": 0,
    }
    for dbid, (main, exp) in over["dbs"].items():
        out[b"db.%d" % dbid] = {b"overhead.hashtable.main": main,
                                 b"overhead.hashtable.expires": exp}
    net = max(1, used - USED_MEMORY_STARTUP)
    out.update({
        b"overhead.total": over["total"],
        b"keys.count": keys,
        b"keys.bytes-per-key": (net // keys) if keys else 0,
        b"dataset.bytes": dataset,
        b"dataset.percentage": dataset * 100.0 / net,
        b"peak.percentage": used * 100.0 / max(1, m.peak),
    })
    return out


def memory_doctor(engine) -> str:
    """A short report computed from the model (our own wording, not Redis's)."""
    m = engine.memory
    used = m.used_memory()
    if used < 5 * 1024 * 1024:
        return ("This instance holds less than 5 MB: too little for a memory diagnosis. "
                "Add some data and ask again.\n")
    notes = []
    if m.peak > used * 1.5:
        notes.append(f"* Peak memory: used memory ({used} B) is much lower than the peak "
                     f"({m.peak} B); the allocator may keep the difference (fragmentation).")
    mm = engine.maxmemory
    if mm and used > mm:
        notes.append(f"* Over maxmemory: {used} B used for a limit of {mm} B; policy "
                     f"{engine.config.maxmemory_policy}.")
    big = []
    for db in engine.dbs:
        for k, o in db.dict.items():
            if o.type != "string" and len(o.val) > 100_000:
                big.append(f"{k!r} ({o.type}, {len(o.val)} elements)")
    if big:
        notes.append("* Big keys: " + ", ".join(big[:5]) + ". Deleting them blocks the server "
                     "unless UNLINK or lazyfree is used.")
    if not notes:
        return "No memory problems detected in this instance.\n"
    return "Memory report:\n\n" + "\n".join(notes) + "\n"


_register_commands()
