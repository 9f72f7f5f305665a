"""Streams (``t_stream.c``): XADD, XRANGE, XREAD, consumer groups, XINFO, ...

The value (``StreamValue``) models Redis's layout closely enough that the observable
parts agree: entries live in *nodes* (the listpacks of the radix tree), each bounded by
``stream-node-max-bytes`` / ``stream-node-max-entries`` with Redis's exact byte
accounting, so ``~`` trimming (which only drops whole nodes) removes exactly what Redis
would, and ``XINFO STREAM``'s ``radix-tree-keys`` is the node count. ``radix-tree-nodes``
comes from a canonical compressed trie over the 16-byte big-endian node keys.

IDs are ``(ms, seq)`` tuples of unsigned 64-bit ints. Generated ids use the engine's
(virtual) clock ``engine.mstime``.

Blocking (XREAD / XREADGROUP BLOCK) goes through ``blocking.block_for_keys``; the
blocked client's state is marked ``btype = "stream"`` and XADD signals the key ready.
``$`` ids are resolved when the client blocks (kept in ``_BLOCKED_IDS``) so the re-run
that serves it reads what arrived after it blocked.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right

from sortedcontainers import SortedDict

from . import errors
from .blocking import BLOCKED, block_for_keys
from .commands import command, container, subcommand
from .db import NOTIFY_STREAM
from .errors import ReplyError
from .memory import jemalloc_size, lp_entry_size, lp_int_entry
from .objects import OBJ_STREAM
from .reply import NULL_ARRAY, OK, Status
from .server import register_type_check
from .util import string2ll

U64 = (1 << 64) - 1
MAX_ID = (U64, U64)
ZERO_ID = (0, 0)
SCG_INVALID_ENTRIES_READ = -1
XREAD_BLOCKED_DEFAULT_COUNT = 1000
STREAM_LISTPACK_MAX_SIZE = 1 << 30
STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096
LLONG_MAX = (1 << 63) - 1


def _int_size(v: int) -> int:
    """Bytes of an integer listpack entry (encoding + data + 1 backlen byte)."""
    return lp_int_entry(v) + 1


def _i64(v: int) -> int:
    v &= U64
    return v - (1 << 64) if v >= (1 << 63) else v


def fmt_id(i: tuple[int, int]) -> bytes:
    return b"%d-%d" % i


def incr_id(i):
    ms, seq = i
    if seq == U64:
        if ms == U64:
            return None
        return (ms + 1, 0)
    return (ms, seq + 1)


def decr_id(i):
    ms, seq = i
    if seq == 0:
        if ms == 0:
            return None
        return (ms - 1, U64)
    return (ms, seq - 1)


# -- the value -----------------------------------------------------------------------------
class Node:
    """One listpack of the radix tree: master entry + entries (deleted ones flagged)."""

    __slots__ = ("count", "deleted", "entries", "esize", "master_fields", "master_id")

    def __init__(self, master_id, fields):
        self.master_id = master_id
        self.master_fields = tuple(fields[0::2])
        self.entries: list[list] = []  # [id, fields(list), deleted(bool)]
        self.count = 0
        self.deleted = 0
        self.esize = _int_size(len(self.master_fields)) + sum(
            lp_entry_size(f) for f in self.master_fields) + _int_size(0)

    def lp_bytes(self) -> int:
        return 6 + 1 + _int_size(self.count) + _int_size(self.deleted) + self.esize

    def append(self, eid, fields) -> None:
        names = tuple(fields[0::2])
        same = names == self.master_fields
        n = len(names)
        size = _int_size(0)  # flags (0..3: one byte)
        size += _int_size(_i64(eid[0] - self.master_id[0]))
        size += _int_size(_i64(eid[1] - self.master_id[1]))
        if same:
            size += sum(lp_entry_size(v) for v in fields[1::2])
            size += _int_size(n + 3)
        else:
            size += _int_size(n) + sum(lp_entry_size(x) for x in fields)
            size += _int_size(2 * n + 4)
        self.esize += size
        self.entries.append([eid, fields, False])
        self.count += 1

    def last_id(self):
        return self.entries[-1][0]

    def copy(self) -> Node:
        n = Node.__new__(Node)
        n.master_id = self.master_id
        n.master_fields = self.master_fields
        n.entries = [list(e) for e in self.entries]
        n.count = self.count
        n.deleted = self.deleted
        n.esize = self.esize
        return n


class NACK:
    __slots__ = ("consumer", "delivery_count", "delivery_time")

    def __init__(self, consumer, now: int):
        self.consumer = consumer
        self.delivery_time = now
        self.delivery_count = 1


class Consumer:
    __slots__ = ("name", "pel", "seen_time")

    def __init__(self, name: bytes, now: int):
        self.name = name
        self.seen_time = now
        self.pel: SortedDict = SortedDict()


class Group:
    __slots__ = ("consumers", "entries_read", "last_id", "name", "pel")

    def __init__(self, name: bytes, last_id, entries_read: int):
        self.name = name
        self.last_id = last_id
        self.entries_read = entries_read
        self.pel: SortedDict = SortedDict()  # id -> NACK
        self.consumers: dict[bytes, Consumer] = {}

    def sorted_consumers(self):
        return [self.consumers[k] for k in sorted(self.consumers)]


class StreamValue:
    """A stream: nodes of entries, an index of live entries, metadata, consumer groups."""

    __slots__ = ("entries_added", "first_id", "groups", "index", "last_id", "max_deleted",
                 "nodes")

    def __init__(self):
        self.nodes: list[Node] = []
        self.index: SortedDict = SortedDict()  # live id -> fields
        self.last_id = ZERO_ID
        self.first_id = ZERO_ID
        self.max_deleted = ZERO_ID
        self.entries_added = 0
        self.groups: dict[bytes, Group] = {}

    def __len__(self) -> int:
        return len(self.index)

    @property
    def length(self) -> int:
        return len(self.index)

    def copy(self) -> StreamValue:
        s = StreamValue()
        s.nodes = [n.copy() for n in self.nodes]
        s.index = SortedDict(self.index)
        s.last_id = self.last_id
        s.first_id = self.first_id
        s.max_deleted = self.max_deleted
        s.entries_added = self.entries_added
        for name, g in self.groups.items():
            ng = Group(name, g.last_id, g.entries_read)
            for cname, cons in g.consumers.items():
                ng.consumers[cname] = Consumer(cname, cons.seen_time)
            for i, nack in g.pel.items():
                nn = NACK(ng.consumers[nack.consumer.name], nack.delivery_time)
                nn.delivery_count = nack.delivery_count
                ng.pel[i] = nn
                nn.consumer.pel[i] = nn
            s.groups[name] = ng
        return s

    # -- entries ----------------------------------------------------------------------
    def append(self, eid, fields, max_bytes: int, max_entries: int) -> None:
        lp = self.nodes[-1] if self.nodes else None
        if lp is not None:
            if max_bytes == 0 or max_bytes > STREAM_LISTPACK_MAX_SIZE:
                max_bytes = STREAM_LISTPACK_MAX_SIZE
            totelelen = sum(len(x) for x in fields)
            if lp.lp_bytes() + totelelen >= max_bytes:
                lp = None
            elif max_entries and lp.count + lp.deleted >= max_entries:
                lp = None
        if lp is None:
            lp = Node(eid, fields)
            self.nodes.append(lp)
        lp.append(eid, fields)
        self.index[eid] = fields
        self.entries_added += 1
        self.last_id = eid
        if len(self.index) == 1:
            self.first_id = eid

    def _node_of(self, eid) -> int:
        keys = [n.master_id for n in self.nodes]
        return bisect_right(keys, eid) - 1

    def delete(self, eid) -> bool:
        if eid not in self.index:
            return False
        ni = self._node_of(eid)
        node = self.nodes[ni]
        for e in node.entries:
            if e[0] == eid:
                e[2] = True
                break
        del self.index[eid]
        if node.count == 1:
            del self.nodes[ni]
        else:
            node.count -= 1
            node.deleted += 1
        return True

    def last_valid_id(self):
        return self.index.keys()[-1] if self.index else ZERO_ID

    def first_valid_id(self):
        return self.index.keys()[0] if self.index else ZERO_ID

    def range(self, start, end, count: int = 0, rev: bool = False):
        """Live entries with start <= id <= end, at most ``count`` (0: all)."""
        if start > end:
            return []
        idx = self.index
        keys = idx.keys()
        lo = bisect_left(keys, start)
        hi = bisect_right(keys, end)
        rng = range(hi - 1, lo - 1, -1) if rev else range(lo, hi)
        out = []
        for i in rng:
            k = keys[i]
            out.append((k, idx[k]))
            if count and len(out) >= count:
                break
        return out

    # -- trimming ---------------------------------------------------------------------
    def trim(self, strategy: str, maxlen: int, minid, approx: bool, limit: int) -> int:
        """``streamTrim``: whole nodes first; partial (exact) trimming in one node."""
        deleted = 0
        while self.nodes:
            if strategy == "maxlen" and len(self.index) <= maxlen:
                break
            node = self.nodes[0]
            entries = node.count
            if limit and deleted + entries > limit:
                break
            if strategy == "maxlen":
                remove = len(self.index) - entries >= maxlen
            else:
                remove = node.last_id() < minid
            if remove:
                del self.nodes[0]
                for e in node.entries:
                    if not e[2]:
                        del self.index[e[0]]
                deleted += entries
                continue
            if approx:
                break
            from_lp = 0
            for e in node.entries:
                if strategy == "maxlen":
                    stop = len(self.index) <= maxlen
                else:
                    stop = e[0] >= minid
                if stop:
                    break
                if not e[2]:
                    e[2] = True
                    del self.index[e[0]]
                    from_lp += 1
            deleted += from_lp
            node.count -= from_lp
            node.deleted += from_lp
            break
        if not self.index:
            self.first_id = ZERO_ID
        else:
            self.first_id = self.index.keys()[0]
        return deleted

    # -- tombstones / lag (7.0) -------------------------------------------------------
    def range_has_tombstones(self, start, end=None) -> bool:
        if not self.index or self.max_deleted == ZERO_ID:
            return False
        if self.first_id > self.max_deleted:
            return False
        s = start if start is not None else ZERO_ID
        e = end if end is not None else MAX_ID
        return s <= self.max_deleted <= e

    def estimate_distance(self, eid) -> int:
        if not self.entries_added:
            return 0
        if not self.index and eid <= self.last_id:
            return self.entries_added
        if eid == self.last_id:
            return self.entries_added
        if eid > self.last_id:
            return SCG_INVALID_ENTRIES_READ
        if self.max_deleted == ZERO_ID or self.max_deleted < self.first_id:
            if eid < self.first_id:
                return self.entries_added - len(self.index)
            if eid == self.first_id:
                return self.entries_added - len(self.index) + 1
        return SCG_INVALID_ENTRIES_READ

    def lag(self, g: Group):
        if not self.entries_added:
            return 0
        if g.entries_read != SCG_INVALID_ENTRIES_READ and not self.range_has_tombstones(
                g.last_id):
            return self.entries_added - g.entries_read
        er = self.estimate_distance(g.last_id)
        if er != SCG_INVALID_ENTRIES_READ:
            return self.entries_added - er
        return None

    # -- radix tree shape -------------------------------------------------------------
    def rax_nodes(self) -> int:
        keys = [m[0].to_bytes(8, "big") + m[1].to_bytes(8, "big")
                for m in (n.master_id for n in self.nodes)]
        return rax_node_count(keys)


def rax_node_count(keys: list[bytes]) -> int:
    """Nodes of a compressed radix tree (rax) holding ``keys`` (sorted, equal length)."""
    if not keys:
        return 1

    def count(lo: int, hi: int, depth: int) -> int:
        first = keys[lo]
        if hi - lo == 1:
            return 1 if depth == len(first) else 2
        last = keys[hi - 1]
        p = depth
        while first[p] == last[p]:
            p += 1
        total = 1 if p > depth else 0  # compressed node for the shared run
        total += 1  # the branching node
        i = lo
        while i < hi:
            b = keys[i][p]
            j = i
            while j < hi and keys[j][p] == b:
                j += 1
            total += count(i, j, p + 1)
            i = j
        return total

    return count(0, len(keys), 0)


def stream_value_size(val: StreamValue, samples: int = 5) -> int:
    """``objectComputeSize`` for a stream (robj + stream + rax + listpacks + groups)."""
    size = 16 + 80
    numnodes = val.rax_nodes()
    nele = len(val.nodes)
    size += nele * 16 + numnodes * 4 + numnodes * 8 * 30

    def lp_alloc(n: Node) -> int:
        return jemalloc_size(max(STREAM_LISTPACK_MAX_PRE_ALLOCATE, n.lp_bytes()))

    sampled = [lp_alloc(n) for n in val.nodes[:samples]] if samples else [
        lp_alloc(n) for n in val.nodes]
    if nele <= len(sampled):
        size += sum(sampled)
    elif sampled:
        size += (sum(sampled) // len(sampled)) * (nele - 1) + lp_alloc(val.nodes[-1])

    def tree(nkeys: int) -> int:
        if not nkeys:
            return 4 + 8 * 30
        return nkeys * 16 + 2 * nkeys * (4 + 8 * 30)

    for g in val.groups.values():
        size += 40 + tree(len(g.pel)) + 24 * len(g.pel)
        for cons in g.consumers.values():
            size += 24 + len(cons.name) + tree(len(cons.pel))
    return size


def _check_stream(engine, o) -> None:
    s = o.val
    assert o.enc == "stream"
    live = [e[0] for n in s.nodes for e in n.entries if not e[2]]
    assert live == list(s.index.keys())
    for n in s.nodes:
        assert n.count == sum(1 for e in n.entries if not e[2]) and n.count > 0
        assert n.deleted == sum(1 for e in n.entries if e[2])
    if s.index:
        assert s.first_id == s.index.keys()[0]
        assert s.last_id >= s.index.keys()[-1]
    for g in s.groups.values():
        n = 0
        for cons in g.consumers.values():
            for i, nack in cons.pel.items():
                assert g.pel[i] is nack and nack.consumer is cons
                n += 1
        assert n == len(g.pel)


register_type_check(OBJ_STREAM, _check_stream)


# -- ID parsing -------------------------------------------------------------------------------
_SPACES = b" \t\n\v\f\r"


def string2ull(s: bytes):
    v = string2ll(s)
    if v is not None:
        return None if v < 0 else v
    # strtoull: leading spaces, a sign, decimal digits, the whole string
    i = 0
    n = len(s)
    while i < n and s[i:i + 1] in _SPACES and s[i:i + 1] != b"":
        i += 1
    neg = False
    if i < n and s[i:i + 1] in (b"+", b"-"):
        neg = s[i:i + 1] == b"-"
        i += 1
    j = i
    while j < n and 48 <= s[j] <= 57:
        j += 1
    if j == i or j != n or not s:
        return None
    v = int(s[i:j])
    if v > U64:
        return None
    return ((1 << 64) - v) & U64 if neg else v


def parse_id(arg: bytes, missing_seq: int = 0, strict: bool = False, seq_star: bool = False):
    """``streamGenericParseIDOrReply``; returns ``(id, seq_given)``. Raises the invalid-id
    error."""
    if len(arg) > 127:
        raise ReplyError(errors.XINVALID_ID)
    buf = arg.split(b"\0", 1)[0]
    if strict and buf in (b"-", b"+"):
        raise ReplyError(errors.XINVALID_ID)
    if buf == b"-":
        return ZERO_ID, True
    if buf == b"+":
        return MAX_ID, True
    dash = buf.find(b"-")
    head = buf if dash < 0 else buf[:dash]
    ms = string2ull(head)
    if ms is None:
        raise ReplyError(errors.XINVALID_ID)
    seq_given = True
    if dash >= 0:
        tail = buf[dash + 1:]
        if seq_star and tail == b"*":
            seq = 0
            seq_given = False
        else:
            seq = string2ull(tail)
            if seq is None:
                raise ReplyError(errors.XINVALID_ID)
    else:
        seq = missing_seq
    return (ms, seq), seq_given


def strict_id(arg: bytes, missing_seq: int = 0):
    return parse_id(arg, missing_seq, strict=True)[0]


def _try_strict_id(arg: bytes):
    try:
        return strict_id(arg)
    except ReplyError:
        return None


def interval_id(arg: bytes, missing_seq: int):
    """``streamParseIntervalIDOrReply``: ``(id, exclusive)``."""
    if len(arg) > 1 and arg[:1] == b"(":
        return strict_id(arg[1:], missing_seq), True
    return parse_id(arg, missing_seq)[0], False


def _getll(arg: bytes, msg: str = errors.NOT_INTEGER) -> int:
    v = string2ll(arg)
    if v is None:
        raise ReplyError(msg)
    return v


def _lower(b: bytes) -> bytes:
    return b.lower()


# -- reply helpers --------------------------------------------------------------------------------
def _entry_reply(eid, fields):
    return [fmt_id(eid), list(fields)]


def _lookup_stream_write(c, key):
    return c.db.lookup_write(key, OBJ_STREAM)


def _notify(c, event: str, key: bytes) -> None:
    c.engine.notify_keyspace_event(NOTIFY_STREAM, event, key, c.db.id)


class _Prop:
    """Commands to propagate instead of the one that ran (``alsoPropagate`` +
    ``preventCommandPropagation``): all but the last go out now, the last one through
    ``c.rewrite_argv``."""

    def __init__(self, c):
        self.c = c
        self.items: list[list[bytes]] = []

    def add(self, argv: list[bytes]) -> None:
        self.items.append(argv)

    def flush(self) -> None:
        c = self.c
        if not self.items:
            return
        e = c.engine
        for argv in self.items[:-1]:
            if e.propagate_listeners:
                e.propagate(c.db.id, argv)
        c.rewrite_argv = self.items[-1]


def _xclaim_argv(key, group: Group, groupname, idarg: bytes, nack: NACK):
    return [b"XCLAIM", key, groupname, nack.consumer.name, b"0", idarg, b"TIME",
            b"%d" % nack.delivery_time, b"RETRYCOUNT", b"%d" % nack.delivery_count,
            b"FORCE", b"JUSTID", b"LASTID", fmt_id(group.last_id)]


def _setid_argv(key, group: Group, groupname):
    return [b"XGROUP", b"SETID", key, groupname, fmt_id(group.last_id), b"ENTRIESREAD",
            b"%d" % group.entries_read]


def _create_consumer(c, g: Group, name: bytes, key: bytes) -> Consumer | None:
    """``streamCreateConsumer(SCC_DEFAULT)``: None when it exists."""
    if name in g.consumers:
        return None
    cons = Consumer(name, c.engine.mstime)
    g.consumers[name] = cons
    c.engine.dirty += 1
    _notify(c, "xgroup-createconsumer", key)
    return cons


# -- XADD / XTRIM -------------------------------------------------------------------------------
class TrimArgs:
    __slots__ = ("approx", "arg_idx", "id", "id_given", "limit", "maxlen", "minid",
                 "no_mkstream", "seq_given", "strategy")

    def __init__(self):
        self.strategy = None
        self.approx = False
        self.maxlen = 0
        self.minid = ZERO_ID
        self.limit = 0
        self.arg_idx = 0
        self.no_mkstream = False
        self.id = ZERO_ID
        self.id_given = False
        self.seq_given = True


def _parse_add_trim(c, argv, xadd: bool):
    a = TrimArgs()
    argc = len(argv)
    i = 2
    limit_given = False
    while i < argc:
        moreargs = argc - 1 - i
        opt = argv[i]
        lo = opt.lower()
        if xadd and opt == b"*":
            break
        if lo == b"maxlen" and moreargs:
            if a.strategy is not None:
                raise ReplyError(errors.XMAXLEN_MINID)
            a.approx = False
            nxt = argv[i + 1]
            if moreargs >= 2 and nxt == b"~":
                a.approx = True
                i += 1
            elif moreargs >= 2 and nxt == b"=":
                i += 1
            a.maxlen = _getll(argv[i + 1])
            if a.maxlen < 0:
                raise ReplyError(errors.XMAXLEN_NEGATIVE)
            i += 1
            a.strategy = "maxlen"
            a.arg_idx = i
        elif lo == b"minid" and moreargs:
            if a.strategy is not None:
                raise ReplyError(errors.XMAXLEN_MINID)
            a.approx = False
            nxt = argv[i + 1]
            if moreargs >= 2 and nxt == b"~":
                a.approx = True
                i += 1
            elif moreargs >= 2 and nxt == b"=":
                i += 1
            a.minid = strict_id(argv[i + 1])
            i += 1
            a.strategy = "minid"
            a.arg_idx = i
        elif lo == b"limit" and moreargs:
            a.limit = _getll(argv[i + 1])
            if a.limit < 0:
                raise ReplyError(errors.XLIMIT_NEGATIVE)
            limit_given = True
            i += 1
        elif xadd and lo == b"nomkstream":
            a.no_mkstream = True
        elif xadd:
            a.id, a.seq_given = parse_id(argv[i], 0, strict=True, seq_star=True)
            a.id_given = True
            break
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    if a.limit and a.strategy is None:
        raise ReplyError(errors.XLIMIT_NO_STRATEGY)
    if not xadd and a.strategy is None:
        raise ReplyError(errors.XTRIM_NO_STRATEGY)
    if limit_given:
        if not a.approx:
            raise ReplyError(errors.XLIMIT_NO_APPROX)
    elif a.approx:
        a.limit = 100 * c.engine.config.stream_node_max_entries
        if a.limit <= 0 or a.limit > 1000000:
            a.limit = 10000
    else:
        a.limit = 0
    return a, i


def _do_trim(s: StreamValue, a: TrimArgs) -> int:
    return s.trim(a.strategy, a.maxlen, a.minid, a.approx, a.limit)


def _trim_rewrite(argv: list[bytes], s: StreamValue, a: TrimArgs) -> list[bytes]:
    out = list(argv)
    out[a.arg_idx - 1] = b"="
    out[a.arg_idx] = b"%d" % len(s) if a.strategy == "maxlen" else fmt_id(s.first_id)
    return out


@command("xadd", arity=-5, flags="write denyoom fast", keys=(1, 1, 1), group="stream",
         complexity="O(1) when adding a new entry, O(N) when trimming", since="5.0.0",
         acl="@stream", tips="nondeterministic_output")
def xadd_command(c, argv):
    """XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
    Appends a new entry to a stream."""
    a, idpos = _parse_add_trim(c, argv, True)
    field_pos = idpos + 1
    nf = len(argv) - field_pos
    if nf < 2 or nf % 2 == 1:
        raise ReplyError(errors.WRONG_ARITY.format("xadd"))
    if a.id_given and a.seq_given and a.id == ZERO_ID:
        raise ReplyError(errors.XADD_ID_ZERO)
    key = argv[1]
    db = c.db
    e = c.engine
    o = db.lookup_write(key, OBJ_STREAM)
    if o is None:
        if a.no_mkstream:
            return None
        o = e.new_object(OBJ_STREAM, "stream", StreamValue())
        db.add(key, o)
    s = o.val
    if s.last_id == MAX_ID:
        raise ReplyError(errors.XADD_EXHAUSTED)
    if a.id_given:
        if a.seq_given:
            eid = a.id
        elif s.last_id[0] == a.id[0]:
            if s.last_id[1] == U64:
                raise ReplyError(errors.XADD_ID_SMALLER)
            eid = (s.last_id[0], s.last_id[1] + 1)
        else:
            eid = a.id
    else:
        ms = e.mstime
        eid = (ms, 0) if ms > s.last_id[0] else incr_id(s.last_id)
    if eid <= s.last_id:
        raise ReplyError(errors.XADD_ID_SMALLER)
    cfg = e.config
    s.append(eid, list(argv[field_pos:]), cfg.stream_node_max_bytes,
             cfg.stream_node_max_entries)
    db.signal_modified(key)
    _notify(c, "xadd", key)
    e.dirty += 1
    rewrite = None
    if a.strategy is not None:
        if _do_trim(s, a):
            _notify(c, "xtrim", key)
        if a.approx:
            rewrite = _trim_rewrite(argv, s, a)
    if not a.id_given or not a.seq_given:
        rewrite = rewrite or list(argv)
        rewrite[idpos] = fmt_id(eid)
    if rewrite is not None:
        c.rewrite_argv = rewrite
    e.signal_key_as_ready(db, key)
    return fmt_id(eid)


@command("xtrim", arity=-4, flags="write", keys=(1, 1, 1), group="stream",
         complexity="O(N), with N being the number of evicted entries.", since="5.0.0",
         acl="@stream", tips="nondeterministic_output")
def xtrim_command(c, argv):
    """XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
    Deletes messages from the beginning of a stream."""
    key = argv[1]
    o = c.db.lookup_write(key, OBJ_STREAM)
    if o is None:
        return 0
    a, _ = _parse_add_trim(c, argv, False)
    s = o.val
    deleted = _do_trim(s, a)
    if deleted:
        _notify(c, "xtrim", key)
        if a.approx:
            c.rewrite_argv = _trim_rewrite(argv, s, a)
        c.db.signal_modified(key)
        c.engine.dirty += deleted
    return deleted


# -- XLEN / XRANGE / XREVRANGE / XDEL -------------------------------------------------------
@command("xlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream")
def xlen_command(c, argv):
    """XLEN key
    Return the number of messages in a stream."""
    o = c.db.lookup_read(argv[1], OBJ_STREAM)
    return 0 if o is None else len(o.val)


def _xrange(c, argv, rev: bool):
    startarg, endarg = (argv[3], argv[2]) if rev else (argv[2], argv[3])
    start, sx = interval_id(startarg, 0)
    if sx:
        start = incr_id(start)
        if start is None:
            raise ReplyError(errors.XINVALID_START)
    end, ex = interval_id(endarg, U64)
    if ex:
        end = decr_id(end)
        if end is None:
            raise ReplyError(errors.XINVALID_END)
    count = -1
    j = 4
    while j < len(argv):
        if argv[j].lower() == b"count" and len(argv) - j - 1 >= 1:
            count = _getll(argv[j + 1])
            if count < 0:
                count = 0
            j += 1
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    o = c.db.lookup_read(argv[1], OBJ_STREAM)
    if o is None:
        return []
    if count == 0:
        return NULL_ARRAY
    if count == -1:
        count = 0
    return [_entry_reply(i, f) for i, f in o.val.range(start, end, count, rev)]


@command("xrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream",
         complexity="O(N) with N being the number of elements being returned.")
def xrange_command(c, argv):
    """XRANGE key start end [COUNT count]
    Return a range of elements in a stream, with IDs matching the specified IDs interval."""
    return _xrange(c, argv, False)


@command("xrevrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream",
         complexity="O(N) with N being the number of elements returned.")
def xrevrange_command(c, argv):
    """XREVRANGE key end start [COUNT count]
    Return a range of elements in a stream, with IDs matching the specified IDs interval,
    in reverse order (from greater to smaller IDs) compared to XRANGE."""
    return _xrange(c, argv, True)


@command("xdel", arity=-3, flags="write fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream")
def xdel_command(c, argv):
    """XDEL key id [id ...]
    Removes the specified entries from the stream."""
    key = argv[1]
    o = c.db.lookup_write(key, OBJ_STREAM)
    if o is None:
        return 0
    ids = [strict_id(a) for a in argv[2:]]
    s = o.val
    deleted = 0
    first_entry = False
    for i in ids:
        if s.delete(i):
            if i == s.first_id:
                first_entry = True
            if i > s.max_deleted:
                s.max_deleted = i
            deleted += 1
    if deleted:
        if not s.index:
            s.first_id = ZERO_ID
        elif first_entry:
            s.first_id = s.first_valid_id()
        c.db.signal_modified(key)
        _notify(c, "xdel", key)
        c.engine.dirty += deleted
    return deleted


# -- XREAD / XREADGROUP --------------------------------------------------------------------------
_BLOCKED_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _parse_block_timeout(c, arg: bytes) -> int:
    t = _getll(arg, errors.TIMEOUT_NOT_INTEGER)
    if t < 0:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    if t > 0:
        if t > LLONG_MAX - c.engine.mstime:
            raise ReplyError(errors.TIMEOUT_OUT_OF_RANGE)
        t += c.engine.mstime
    return t


def _xread(c, argv, xreadgroup: bool):
    e = c.engine
    db = c.db
    timeout = -1
    count = 0
    streams_arg = 0
    streams_count = 0
    noack = False
    groupname = consumername = None
    argc = len(argv)
    i = 1
    while i < argc:
        moreargs = argc - i - 1
        o = argv[i].lower()
        if o == b"block" and moreargs:
            i += 1
            timeout = _parse_block_timeout(c, argv[i])
        elif o == b"count" and moreargs:
            i += 1
            count = _getll(argv[i])
            if count < 0:
                count = 0
        elif o == b"streams" and moreargs:
            streams_arg = i + 1
            streams_count = argc - streams_arg
            if streams_count % 2:
                raise ReplyError(errors.XREAD_UNBALANCED_70)
            streams_count //= 2
            break
        elif o == b"group" and moreargs >= 2:
            if not xreadgroup:
                raise ReplyError(errors.XREAD_GROUP_OPTION)
            groupname = argv[i + 1]
            consumername = argv[i + 2]
            i += 2
        elif o == b"noack":
            if not xreadgroup:
                raise ReplyError(errors.XREAD_NOACK_OPTION)
            noack = True
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    if streams_arg == 0:
        raise ReplyError(errors.SYNTAX)
    if xreadgroup and groupname is None:
        raise ReplyError(errors.XREADGROUP_MISSING_GROUP)
    serving = e.serving_blocked
    stash = _BLOCKED_IDS.get(c) if serving else None
    keys = argv[streams_arg:streams_arg + streams_count]
    ids: list = []
    groups: list = []
    for n in range(streams_count):
        key = keys[n]
        idarg = argv[streams_arg + streams_count + n]
        o = db.lookup_read(key, OBJ_STREAM)
        if groupname is not None:
            g = o.val.groups.get(groupname) if o is not None else None
            if g is None:
                if serving:
                    raise ReplyError(errors.XREADGROUP_GROUP_GONE)
                raise ReplyError(errors.XREADGROUP_NOGROUP.format(
                    _s(key), _s(groupname)))
            groups.append(g)
        if idarg == b"$":
            if xreadgroup:
                raise ReplyError(errors.XREADGROUP_DOLLAR)
            if stash is not None and n < len(stash):
                ids.append(stash[n])
            else:
                ids.append(o.val.last_id if o is not None else ZERO_ID)
            continue
        if idarg == b">":
            if not xreadgroup:
                raise ReplyError(errors.XREAD_GT_ID)
            ids.append(MAX_ID)
            continue
        ids.append(strict_id(idarg))
    if serving and count == 0:
        count = XREAD_BLOCKED_DEFAULT_COUNT
    prop = _Prop(c)
    out = []
    for n in range(streams_count):
        key = keys[n]
        o = db.lookup_read(key)
        if o is None:
            continue
        s = o.val
        gt = ids[n]
        sync = history = False
        consumer = None
        g = groups[n] if groups else None
        if g is not None:
            if gt != MAX_ID:
                sync = history = True
            elif s.index:
                if s.last_valid_id() > g.last_id:
                    sync = True
                    gt = g.last_id
            consumer = g.consumers.get(consumername)
            if consumer is None:
                consumer = _create_consumer(c, g, consumername, key)
                prop.add([b"XGROUP", b"CREATECONSUMER", key, groupname, consumername])
            consumer.seen_time = e.mstime
        elif s.index and s.last_valid_id() > gt:
            sync = True
        if not sync:
            continue
        start = incr_id(gt) or MAX_ID
        if g is None:
            items = [_entry_reply(i, f) for i, f in s.range(start, MAX_ID, count)]
        elif history:
            items = _serve_history(c, s, g, consumer, start, count, key, groupname, prop)
        else:
            items = _serve_group(c, s, g, consumer, start, count, noack, key, groupname,
                                 prop)
        if g is not None:
            e.dirty += 1
        out.append((key, items))
    if out:
        if serving:
            _BLOCKED_IDS.pop(c, None)
        prop.flush()
        if c.resp == 3:
            return {k: v for k, v in out}
        return [[k, v] for k, v in out]
    prop.flush()
    if timeout != -1:
        r = block_for_keys(c, list(keys), timeout, NULL_ARRAY)
        if r is BLOCKED:
            c.bstate.btype = OBJ_STREAM
            _BLOCKED_IDS[c] = ids
        return r
    return NULL_ARRAY


def _s(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _serve_group(c, s, g: Group, consumer: Consumer, start, count, noack, key, groupname,
                 prop: _Prop):
    now = c.engine.mstime
    items = []
    propagate_last_id = False
    for eid, fields in s.range(start, MAX_ID, count):
        if eid > g.last_id:
            if g.entries_read != SCG_INVALID_ENTRIES_READ and not s.range_has_tombstones(eid):
                g.entries_read += 1
            elif s.entries_added:
                g.entries_read = s.estimate_distance(eid)
            g.last_id = eid
            propagate_last_id = True
        items.append(_entry_reply(eid, fields))
        if not noack:
            nack = g.pel.get(eid)
            if nack is None:
                nack = NACK(consumer, now)
                g.pel[eid] = nack
                consumer.pel[eid] = nack
            else:
                del nack.consumer.pel[eid]
                nack.consumer = consumer
                nack.delivery_time = now
                nack.delivery_count = 1
                consumer.pel[eid] = nack
            prop.add(_xclaim_argv(key, g, groupname, fmt_id(eid), nack))
    if propagate_last_id:
        prop.add(_setid_argv(key, g, groupname))
    return items


def _serve_history(c, s, g, consumer: Consumer, start, count, key, groupname, prop: _Prop):
    now = c.engine.mstime
    items = []
    pel = consumer.pel
    keys = pel.keys()
    pos = bisect_left(keys, start)
    for eid in list(keys[pos:pos + count] if count else keys[pos:]):
        fields = s.index.get(eid)
        if fields is None:
            items.append([fmt_id(eid), NULL_ARRAY])
        else:
            nack = pel[eid]
            nack.delivery_time = now
            nack.delivery_count += 1
            items.append(_entry_reply(eid, fields))
            prop.add(_xclaim_argv(key, g, groupname, fmt_id(eid), nack))
    return items


@command("xread", arity=-4, flags="readonly blocking movablekeys", group="stream",
         since="5.0.0", acl="@stream",
         complexity="For each stream mentioned: O(N) with N being the number of elements "
         "being returned")
def xread_command(c, argv):
    """XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
    Return never seen elements in multiple streams, with IDs greater than the ones reported
    by the caller for each stream. Can block."""
    return _xread(c, argv, False)


@command("xreadgroup", arity=-7, flags="write blocking movablekeys", group="stream",
         since="5.0.0", acl="@stream",
         complexity="For each stream mentioned: O(M) with M the number of elements returned.")
def xreadgroup_command(c, argv):
    """XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
    Return new entries from a stream using a consumer group, or access the history of the
    pending entries for a given consumer. Can block."""  # noqa: E501
    return _xread(c, argv, True)


# -- XGROUP ---------------------------------------------------------------------------------
xgroup_cmd = container("xgroup", group="stream", since="5.0.0",
                       summary="A container for consumer groups commands")

XGROUP_HELP = [
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
]

XINFO_HELP = [
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
]


def _subcmd_syntax(argv):
    return ReplyError(errors.SUBCOMMAND_SYNTAX.format(_s(argv[1][:128]), _s(argv[0]).upper()))


def _xgroup(c, argv):
    """``xgroupCommand``, shared by the subcommands."""
    opt = argv[1].lower()
    argc = len(argv)
    mkstream = False
    entries_read = SCG_INVALID_ENTRIES_READ
    s = None
    g = None
    if argc >= 4:
        if opt == b"create" and argc >= 5:
            i = 5
            while i < argc:
                w = argv[i].lower()
                if w == b"mkstream":
                    mkstream = True
                    i += 1
                elif w == b"entriesread" and i + 1 < argc:
                    entries_read = _getll(argv[i + 1])
                    if entries_read < 0 and entries_read != SCG_INVALID_ENTRIES_READ:
                        raise ReplyError(errors.XENTRIESREAD)
                    i += 2
                else:
                    raise _subcmd_syntax(argv)
        if opt == b"setid" and argc >= 5:
            i = 5
            while i < argc:
                w = argv[i].lower()
                if w == b"entriesread" and i + 1 < argc:
                    entries_read = _getll(argv[i + 1])
                    if entries_read < 0 and entries_read != SCG_INVALID_ENTRIES_READ:
                        raise ReplyError(errors.XENTRIESREAD)
                    i += 2
                else:
                    raise _subcmd_syntax(argv)
        o = c.db.lookup_write(argv[2], OBJ_STREAM)
        if o is not None:
            s = o.val
        grpname = argv[3]
    if argc >= 4 and not mkstream:
        if s is None:
            raise ReplyError(errors.XGROUP_KEY_MISSING)
        g = s.groups.get(grpname)
        if g is None and opt in (b"setid", b"createconsumer", b"delconsumer"):
            raise ReplyError(errors.XGROUP_NOGROUP.format(_s(grpname), _s(argv[2])))
    e = c.engine
    key = argv[2] if argc >= 3 else b""
    if opt == b"help" and argc == 2:
        return [Status(x) for x in XGROUP_HELP]
    if opt == b"create" and 5 <= argc <= 8:
        if argv[4] == b"$":
            gid = s.last_id if s is not None else ZERO_ID
        else:
            gid = strict_id(argv[4])
        if s is None:
            o = e.new_object(OBJ_STREAM, "stream", StreamValue())
            c.db.add(key, o)
            s = o.val
            c.db.signal_modified(key)
        if grpname in s.groups:
            raise ReplyError(errors.BUSYGROUP)
        s.groups[grpname] = Group(grpname, gid, entries_read)
        e.dirty += 1
        _notify(c, "xgroup-create", key)
        return OK
    if opt == b"setid" and argc in (5, 7):
        if argv[4] == b"$":
            gid = s.last_id
        else:
            gid = parse_id(argv[4], 0)[0]
        g.last_id = gid
        g.entries_read = entries_read
        e.dirty += 1
        _notify(c, "xgroup-setid", key)
        return OK
    if opt == b"destroy" and argc == 4:
        if g is None:
            return 0
        del s.groups[grpname]
        e.dirty += 1
        _notify(c, "xgroup-destroy", key)
        e.signal_key_as_ready(c.db, key)
        return 1
    if opt == b"createconsumer" and argc == 5:
        return 1 if _create_consumer(c, g, argv[4], key) is not None else 0
    if opt == b"delconsumer" and argc == 5:
        cons = g.consumers.pop(argv[4], None)
        pending = 0
        if cons is not None:
            pending = len(cons.pel)
            for i in cons.pel:
                del g.pel[i]
        e.dirty += 1
        _notify(c, "xgroup-delconsumer", key)
        return pending
    raise _subcmd_syntax(argv)


@subcommand(xgroup_cmd, "create", arity=-5, flags="write denyoom", keys=(2, 2, 1),
            complexity="O(1)")
def xgroup_create(c, argv):
    """XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
    Create a consumer group."""
    return _xgroup(c, argv)


@subcommand(xgroup_cmd, "setid", arity=-5, flags="write", keys=(2, 2, 1), complexity="O(1)")
def xgroup_setid(c, argv):
    """XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
    Set a consumer group to an arbitrary last delivered ID value."""
    return _xgroup(c, argv)


@subcommand(xgroup_cmd, "destroy", arity=4, flags="write", keys=(2, 2, 1),
            complexity="O(N) where N is the number of entries in the group's pending "
            "entries list (PEL).")
def xgroup_destroy(c, argv):
    """XGROUP DESTROY key group
    Destroy a consumer group."""
    return _xgroup(c, argv)


@subcommand(xgroup_cmd, "createconsumer", arity=5, flags="write denyoom", keys=(2, 2, 1),
            since="6.2.0")
def xgroup_createconsumer(c, argv):
    """XGROUP CREATECONSUMER key group consumer
    Create a consumer in a consumer group."""
    return _xgroup(c, argv)


@subcommand(xgroup_cmd, "delconsumer", arity=5, flags="write", keys=(2, 2, 1))
def xgroup_delconsumer(c, argv):
    """XGROUP DELCONSUMER key group consumer
    Delete a consumer from a consumer group."""
    return _xgroup(c, argv)


@subcommand(xgroup_cmd, "help", arity=2, flags="loading stale")
def xgroup_help(c, argv):
    """XGROUP HELP
    Show helpful text about the different subcommands"""
    return _xgroup(c, argv)


# -- XACK / XPENDING / XCLAIM / XAUTOCLAIM --------------------------------------------------------
@command("xack", arity=-4, flags="write fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream")
def xack_command(c, argv):
    """XACK key group id [id ...]
    Marks a pending message as correctly processed."""
    o = c.db.lookup_read(argv[1], OBJ_STREAM)
    g = o.val.groups.get(argv[2]) if o is not None else None
    if g is None:
        return 0
    ids = [strict_id(a) for a in argv[3:]]
    n = 0
    for i in ids:
        nack = g.pel.pop(i, None)
        if nack is not None:
            del nack.consumer.pel[i]
            n += 1
            c.engine.dirty += 1
    return n


@command("xpending", arity=-3, flags="readonly", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream", tips="nondeterministic_output")
def xpending_command(c, argv):
    """XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
    Return information and entries from a stream consumer group pending entries list."""
    argc = len(argv)
    justinfo = argc == 3
    if argc != 3 and (argc < 6 or argc > 9):
        raise ReplyError(errors.SYNTAX)
    minidle = 0
    count = 0
    consumername = None
    if argc >= 6:
        si = 3
        if argv[3].lower() == b"idle":
            minidle = _getll(argv[4])
            if argc < 8:
                raise ReplyError(errors.SYNTAX)
            si += 2
        count = _getll(argv[si + 2])
        if count < 0:
            count = 0
        start, sx = interval_id(argv[si], 0)
        if sx:
            start = incr_id(start)
            if start is None:
                raise ReplyError(errors.XINVALID_START)
        end, ex = interval_id(argv[si + 1], U64)
        if ex:
            end = decr_id(end)
            if end is None:
                raise ReplyError(errors.XINVALID_END)
        if si + 3 < argc:
            consumername = argv[si + 3]
    o = c.db.lookup_read(argv[1], OBJ_STREAM)
    g = o.val.groups.get(argv[2]) if o is not None else None
    if g is None:
        raise ReplyError(errors.XNOGROUP_KEY.format(_s(argv[1]), _s(argv[2])))
    if justinfo:
        if not g.pel:
            return [0, None, None, NULL_ARRAY]
        keys = g.pel.keys()
        cons = [[cn.name, b"%d" % len(cn.pel)] for cn in g.sorted_consumers() if cn.pel]
        return [len(g.pel), fmt_id(keys[0]), fmt_id(keys[-1]), cons]
    if consumername is not None:
        cons = g.consumers.get(consumername)
        if cons is None:
            return []
        pel = cons.pel
    else:
        pel = g.pel
    now = c.engine.mstime
    out = []
    keys = pel.keys()
    pos = bisect_left(keys, start)
    while count and pos < len(keys) and keys[pos] <= end:
        i = keys[pos]
        pos += 1
        nack = pel[i]
        if minidle and now - nack.delivery_time < minidle:
            continue
        count -= 1
        out.append([fmt_id(i), nack.consumer.name, max(0, now - nack.delivery_time),
                    nack.delivery_count])
    return out


@command("xclaim", arity=-6, flags="write fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream", tips="nondeterministic_output")
def xclaim_command(c, argv):
    """XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
    Changes (or acquires) ownership of a message in a consumer group, as if the message was
    delivered to the specified consumer."""  # noqa: E501
    e = c.engine
    key = argv[1]
    o = c.db.lookup_read(key, OBJ_STREAM)
    g = o.val.groups.get(argv[2]) if o is not None else None
    if g is None:
        raise ReplyError(errors.XNOGROUP_KEY.format(_s(key), _s(argv[2])))
    minidle = _getll(argv[4], errors.XCLAIM_MINIDLE)
    if minidle < 0:
        minidle = 0
    argc = len(argv)
    ids = []
    j = 5
    while j < argc:
        i = _try_strict_id(argv[j])
        if i is None:
            break
        ids.append((i, argv[j]))
        j += 1
    now = e.mstime
    last_id = ZERO_ID
    force = justid = False
    retrycount = -1
    deliverytime = -1
    while j < argc:
        moreargs = argc - 1 - j
        opt = argv[j].lower()
        if opt == b"force":
            force = True
        elif opt == b"justid":
            justid = True
        elif opt == b"idle" and moreargs:
            j += 1
            deliverytime = now - _getll(argv[j], errors.XCLAIM_IDLE)
        elif opt == b"time" and moreargs:
            j += 1
            deliverytime = _getll(argv[j], errors.XCLAIM_TIME)
        elif opt == b"retrycount" and moreargs:
            j += 1
            retrycount = _getll(argv[j], errors.XCLAIM_RETRYCOUNT)
        elif opt == b"lastid" and moreargs:
            j += 1
            last_id = strict_id(argv[j])
        else:
            raise ReplyError(errors.XCLAIM_UNRECOGNIZED.format(_s(argv[j])))
        j += 1
    prop = _Prop(c)
    propagate_last_id = False
    if last_id > g.last_id:
        g.last_id = last_id
        propagate_last_id = True
    if deliverytime != -1:
        if deliverytime < 0 or deliverytime > now:
            deliverytime = now
    else:
        deliverytime = now
    s = o.val
    consumer = None
    out = []
    name = argv[3]
    for i, raw in ids:
        nack = g.pel.get(i)
        if i not in s.index:
            if nack is not None:
                prop.add(_xclaim_argv(key, g, argv[2], raw, nack))
                propagate_last_id = False
                e.dirty += 1
                del g.pel[i]
                del nack.consumer.pel[i]
            continue
        if force and nack is None:
            nack = NACK(None, now)
            g.pel[i] = nack
        if nack is None:
            continue
        if nack.consumer is not None and minidle and now - nack.delivery_time < minidle:
            continue
        if consumer is None:
            consumer = g.consumers.get(name)
            if consumer is None:
                consumer = _create_consumer(c, g, name, key)
            else:
                consumer.seen_time = now
        if nack.consumer is not consumer and nack.consumer is not None:
            del nack.consumer.pel[i]
        nack.delivery_time = deliverytime
        if retrycount >= 0:
            nack.delivery_count = retrycount
        elif not justid:
            nack.delivery_count += 1
        if nack.consumer is not consumer:
            consumer.pel[i] = nack
            nack.consumer = consumer
        out.append(fmt_id(i) if justid else _entry_reply(i, s.index[i]))
        prop.add(_xclaim_argv(key, g, argv[2], raw, nack))
        propagate_last_id = False
        e.dirty += 1
    if propagate_last_id:
        prop.add(_setid_argv(key, g, argv[2]))
        e.dirty += 1
    prop.flush()
    return out


@command("xautoclaim", arity=-6, flags="write fast", keys=(1, 1, 1), group="stream",
         since="6.2.0", acl="@stream", tips="nondeterministic_output")
def xautoclaim_command(c, argv):
    """XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
    Changes (or acquires) ownership of messages in a consumer group, as if the messages were
    delivered to the specified consumer."""
    e = c.engine
    key = argv[1]
    minidle = _getll(argv[4], errors.XAUTOCLAIM_MINIDLE)
    if minidle < 0:
        minidle = 0
    start, sx = interval_id(argv[5], 0)
    if sx:
        start = incr_id(start)
        if start is None:
            raise ReplyError(errors.XINVALID_START)
    count = 100
    justid = False
    argc = len(argv)
    j = 6
    while j < argc:
        moreargs = argc - 1 - j
        opt = argv[j].lower()
        if opt == b"count" and moreargs:
            v = string2ll(argv[j + 1])
            if v is None or v < 1 or v > LLONG_MAX // 16:
                raise ReplyError(errors.XAUTOCLAIM_COUNT)
            count = v
            j += 1
        elif opt == b"justid":
            justid = True
        else:
            raise ReplyError(errors.SYNTAX)
        j += 1
    o = c.db.lookup_read(key, OBJ_STREAM)
    g = o.val.groups.get(argv[2]) if o is not None else None
    if g is None:
        raise ReplyError(errors.XNOGROUP_KEY.format(_s(key), _s(argv[2])))
    s = o.val
    attempts = count * 10
    now = e.mstime
    prop = _Prop(c)
    consumer = None
    out = []
    deleted_ids = []
    keys = list(g.pel.irange(minimum=start))
    pos = 0
    while attempts and count and pos < len(keys):
        attempts -= 1
        i = keys[pos]
        pos += 1
        nack = g.pel[i]
        if i not in s.index:
            prop.add(_xclaim_argv(key, g, argv[2], fmt_id(i), nack))
            e.dirty += 1
            del g.pel[i]
            del nack.consumer.pel[i]
            deleted_ids.append(fmt_id(i))
            count -= 1
            continue
        if minidle and now - nack.delivery_time < minidle:
            continue
        if consumer is None:
            consumer = g.consumers.get(argv[3])
            if consumer is None:
                consumer = _create_consumer(c, g, argv[3], key)
            else:
                consumer.seen_time = now
        if nack.consumer is not consumer:
            del nack.consumer.pel[i]
        nack.delivery_time = now
        if not justid:
            nack.delivery_count += 1
        if nack.consumer is not consumer:
            consumer.pel[i] = nack
            nack.consumer = consumer
        out.append(fmt_id(i) if justid else _entry_reply(i, s.index[i]))
        count -= 1
        prop.add(_xclaim_argv(key, g, argv[2], fmt_id(i), nack))
        e.dirty += 1
    cursor = fmt_id(keys[pos]) if pos < len(keys) else b"0-0"
    prop.flush()
    return [cursor, out, deleted_ids]


# -- XINFO ------------------------------------------------------------------------------------
xinfo_cmd = container("xinfo", group="stream", since="5.0.0",
                      summary="A container for stream introspection commands")


def _xinfo_stream_of(c, argv):
    o = c.db.lookup_read(argv[2], OBJ_STREAM)
    if o is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    return o.val


@subcommand(xinfo_cmd, "consumers", arity=4, flags="readonly", keys=(2, 2, 1),
            tips="nondeterministic_output")
def xinfo_consumers(c, argv):
    """XINFO CONSUMERS key group
    List the consumers in a consumer group."""
    s = _xinfo_stream_of(c, argv)
    g = s.groups.get(argv[3])
    if g is None:
        raise ReplyError(errors.XGROUP_NOGROUP.format(_s(argv[3]), _s(argv[2])))
    now = c.engine.mstime
    return [{b"name": cons.name, b"pending": len(cons.pel), b"idle": now - cons.seen_time}
            for cons in g.sorted_consumers()]


@subcommand(xinfo_cmd, "groups", arity=3, flags="readonly", keys=(2, 2, 1))
def xinfo_groups(c, argv):
    """XINFO GROUPS key
    List the consumer groups of a stream."""
    s = _xinfo_stream_of(c, argv)
    out = []
    for name in sorted(s.groups):
        g = s.groups[name]
        out.append({
            b"name": name, b"consumers": len(g.consumers), b"pending": len(g.pel),
            b"last-delivered-id": fmt_id(g.last_id),
            b"entries-read": (g.entries_read if g.entries_read != SCG_INVALID_ENTRIES_READ
                              else None),
            b"lag": s.lag(g),
        })
    return out


@subcommand(xinfo_cmd, "stream", arity=-3, flags="readonly", keys=(2, 2, 1))
def xinfo_stream(c, argv):
    """XINFO STREAM key [FULL [COUNT count]]
    Get information about a stream."""
    s = _xinfo_stream_of(c, argv)
    rest = argv[3:]
    full = False
    count = 10
    if len(rest) == 0:
        pass
    elif len(rest) in (1, 3):
        if rest[0].lower() != b"full":
            raise _subcmd_syntax(argv)
        full = True
        if len(rest) == 3:
            if rest[1].lower() != b"count":
                raise _subcmd_syntax(argv)
            count = _getll(rest[2])
            if count < 0:
                count = 10
    else:
        raise _subcmd_syntax(argv)
    r = {
        b"length": len(s), b"radix-tree-keys": len(s.nodes),
        b"radix-tree-nodes": s.rax_nodes(), b"last-generated-id": fmt_id(s.last_id),
        b"max-deleted-entry-id": fmt_id(s.max_deleted), b"entries-added": s.entries_added,
        b"recorded-first-entry-id": fmt_id(s.first_id),
    }
    if not full:
        r[b"groups"] = len(s.groups)
        first = s.range(ZERO_ID, MAX_ID, 1)
        last = s.range(ZERO_ID, MAX_ID, 1, rev=True)
        r[b"first-entry"] = _entry_reply(*first[0]) if first else None
        r[b"last-entry"] = _entry_reply(*last[0]) if last else None
        return r
    r[b"entries"] = [_entry_reply(i, f) for i, f in s.range(ZERO_ID, MAX_ID, count)]
    groups = []
    for name in sorted(s.groups):
        g = s.groups[name]
        pel = list(g.pel.items())
        if count:
            pel = pel[:count]
        consumers = []
        for cons in g.sorted_consumers():
            cpel = list(cons.pel.items())
            if count:
                cpel = cpel[:count]
            consumers.append({
                b"name": cons.name, b"seen-time": cons.seen_time, b"pel-count": len(cons.pel),
                b"pending": [[fmt_id(i), n.delivery_time, n.delivery_count] for i, n in cpel],
            })
        groups.append({
            b"name": name, b"last-delivered-id": fmt_id(g.last_id),
            b"entries-read": (g.entries_read if g.entries_read != SCG_INVALID_ENTRIES_READ
                              else None),
            b"lag": s.lag(g), b"pel-count": len(g.pel),
            b"pending": [[fmt_id(i), n.consumer.name, n.delivery_time, n.delivery_count]
                         for i, n in pel],
            b"consumers": consumers,
        })
    r[b"groups"] = groups
    return r


@subcommand(xinfo_cmd, "help", arity=2, flags="loading stale")
def xinfo_help(c, argv):
    """XINFO HELP
    Show helpful text about the different subcommands"""
    return [Status(x) for x in XINFO_HELP]


# -- XSETID -------------------------------------------------------------------------------------
@command("xsetid", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", acl="@stream")
def xsetid_command(c, argv):
    """XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
    An internal command for replicating stream values."""
    eid = strict_id(argv[2])
    entries_added = -1
    max_xdel = ZERO_ID
    argc = len(argv)
    i = 3
    while i < argc:
        moreargs = argc - 1 - i
        opt = argv[i].lower()
        if opt == b"entriesadded" and moreargs:
            entries_added = _getll(argv[i + 1])
            if entries_added < 0:
                raise ReplyError(errors.XSETID_ENTRIES_NEGATIVE)
            i += 2
        elif opt == b"maxdeletedid" and moreargs:
            max_xdel = strict_id(argv[i + 1])
            if eid < max_xdel:
                raise ReplyError(errors.XSETID_SMALLER_THAN_GIVEN_MAXDEL)
            i += 2
        else:
            raise ReplyError(errors.SYNTAX)
    key = argv[1]
    o = c.db.lookup_write(key, OBJ_STREAM)
    if o is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    s = o.val
    if eid < s.max_deleted:
        raise ReplyError(errors.XSETID_SMALLER_THAN_MAXDEL)
    if s.index:
        if eid < s.last_valid_id():
            raise ReplyError(errors.XSETID_SMALLER_THAN_TOP)
        if entries_added != -1 and len(s) > entries_added:
            raise ReplyError(errors.XSETID_ENTRIES_SMALLER)
    s.last_id = eid
    if entries_added != -1:
        s.entries_added = entries_added
    if max_xdel != ZERO_ID:
        s.max_deleted = max_xdel
    c.db.signal_modified(key)
    _notify(c, "xsetid", key)
    c.engine.dirty += 1
    return OK
