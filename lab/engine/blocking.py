"""Blocking operations on keys: BLPOP & co. really wait (``blocked.c``).

A client *blocks* when its command finds nothing to serve: it is parked on its keys,
in the order clients blocked, until one of the keys is created (``signalKeyAsReady``,
from ``Engine.on_key_added``) or its timeout passes. After every command the engine
serves the clients blocked on the keys that became ready (``handleClientsBlockedOnKeys``),
first blocked first served, for as long as the key holds data; the served client gets its
reply through ``Client.deliver`` (the RESP server writes it; in-process clients queue it
in ``client.deferred_replies``).

How a family module's handler says "would block"
------------------------------------------------
The handler parses everything, tries to serve, and when nothing can be served it ends
with exactly::

    from .blocking import block_for_keys
    return block_for_keys(c, keys, timeout_abs_ms, null_reply)

``keys``: the keys to wait on (bytes, in the command's order); ``timeout_abs_ms``: the
absolute unix-ms deadline, 0 = forever (``getTimeoutFromObjectOrReply`` adds
``engine.mstime``); ``null_reply``: the immediate answer of a client that may not block
(``NULL_ARRAY`` for BLPOP/BRPOP/BLMPOP/BZPOPMIN/BZPOPMAX/BZMPOP, ``None`` for BLMOVE /
BRPOPLPUSH). ``block_for_keys`` returns that ``null_reply`` when the client may not block
(``client.deny_blocking``: inside MULTI/EXEC, in-process clients, scripts), otherwise the
``BLOCKED`` sentinel, which the handler returns as its reply.

Serving re-runs the command's own handler on the ready key alone (BLPOP a b 0 served
from ``b`` runs as ``BLPOP b 0``), so the reply, the propagation (LPOP, LMOVE, ZPOPMIN...)
and the keyspace events are exactly those of the non-blocking path. A client blocked by a
list command is not served from a key that became a sorted set (and vice versa): it
stays blocked, as in 7.0. A timed-out client gets a null array (``*-1`` / RESP3 ``_``),
also for BLMOVE and BRPOPLPUSH.

Stats: a command that blocks counts as one call (the engine counts it when it blocks;
the serve run is not counted again).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from .commands import COMMAND_TABLE
from .reply import NULL_ARRAY

if TYPE_CHECKING:  # pragma: no cover
    from .connection import Client
    from .server import Engine

__all__ = [
    "BLOCKED",
    "BlockState",
    "allow_blocking",
    "block_for_keys",
    "handle_blocked_timeouts",
    "handle_clients_blocked_on_keys",
    "unblock_client",
]


class _Blocked:
    """The reply of a command that blocked: nothing is written now."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BLOCKED"


BLOCKED = _Blocked()


class _NotServed:
    __slots__ = ()


_NOT_SERVED = _NotServed()

# Which value type serves which blocking command (``btype``: BLOCKED_LIST / BLOCKED_ZSET).
_BTYPE = {
    "blpop": "list", "brpop": "list", "blmove": "list", "brpoplpush": "list",
    "blmpop": "list", "bzpopmin": "zset", "bzpopmax": "zset", "bzmpop": "zset",
}


class BlockState:
    """``client->bpop``: what a blocked client waits for."""

    __slots__ = ("argv", "btype", "dbid", "keys", "seq", "spec", "timeout", "timeout_reply")

    def __init__(self, spec, keys: list[bytes], dbid: int, timeout: int, seq: int):
        self.spec = spec
        self.argv: list[bytes] | None = None  # set by the caller that saw BLOCKED
        self.keys = keys
        self.dbid = dbid
        self.timeout = timeout  # absolute unix ms, 0 = forever
        self.btype = _BTYPE.get(spec.name, "list") if spec is not None else "list"
        self.seq = seq
        self.timeout_reply = NULL_ARRAY

    def __repr__(self) -> str:
        return f"BlockState({self.spec and self.spec.name}, keys={self.keys!r}, timeout={self.timeout})"


def allow_blocking(c: Client) -> Client:
    """Let an in-process client really block (tests, notebooks with several clients).
    Its later replies arrive in ``c.deferred_replies``."""
    c.deny_blocking = False
    return c


_seq = [0]


def block_for_keys(c: Client, keys, timeout_abs_ms: int, null_reply=NULL_ARRAY):
    """The "would block" branch of a blocking command (see the module docstring)."""
    e = c.engine
    if e.serving_blocked:
        return _NOT_SERVED  # a serve run found nothing after all: stay blocked
    if c.deny_blocking:
        return null_reply
    spec = COMMAND_TABLE.get(c.cmd_name.encode()) if isinstance(c.cmd_name, str) else None
    _seq[0] += 1
    ukeys: list[bytes] = []
    for k in keys:
        if k not in ukeys:
            ukeys.append(k)
    bs = BlockState(spec, ukeys, c.db.id, timeout_abs_ms, _seq[0])
    c.bstate = bs
    dbid = c.db.id
    bk = e.blocking_keys
    for k in ukeys:
        lst = bk.get((dbid, k))
        if lst is None:
            lst = bk[(dbid, k)] = []
        lst.append(c)
    e.blocked_clients += 1
    if timeout_abs_ms:
        heap = _timeouts(e)
        heapq.heappush(heap, (timeout_abs_ms, bs.seq, c))
    return BLOCKED


def _timeouts(e: Engine) -> list:
    heap = getattr(e, "_block_timeouts", None)
    if heap is None:
        heap = e._block_timeouts = []
    return heap


def unblock_client(c: Client) -> BlockState | None:
    """``unblockClient`` without a reply: leave every key's queue."""
    bs = c.bstate
    if bs is None:
        return None
    e = c.engine
    c.bstate = None
    bk = e.blocking_keys
    for k in bs.keys:
        lst = bk.get((bs.dbid, k))
        if lst is not None:
            try:
                lst.remove(c)
            except ValueError:  # pragma: no cover
                pass
            if not lst:
                del bk[(bs.dbid, k)]
    e.blocked_clients -= 1
    return bs


def _single_key_argv(bs: BlockState, key: bytes) -> list[bytes]:
    """The blocked command rewritten to wait on ``key`` alone (the ready key)."""
    argv = bs.argv
    name = bs.spec.name if bs.spec is not None else ""
    if name in ("blpop", "brpop", "bzpopmin", "bzpopmax"):
        return [argv[0], key, argv[-1]]
    if name in ("blmpop", "bzmpop"):
        numkeys = int(argv[2])
        return [argv[0], argv[1], b"1", key, *argv[3 + numkeys:]]
    return argv


def _serve(e: Engine, c: Client, key: bytes) -> bool:
    """Run the blocked command again on ``key``. False when it still could not be served."""
    bs = unblock_client(c)
    assert bs is not None
    if bs.argv is None or bs.spec is None:  # pragma: no cover - caller never recorded it
        return True
    argv = _single_key_argv(bs, key)
    e.serving_blocked = True
    try:
        reply = e.call_command(c, bs.spec, argv)
    finally:
        e.serving_blocked = False
    # the block already counted this command once
    st = e.cmdstats.get(bs.spec.name)
    if st is not None:
        st[0] -= 1
    e.stat_numcommands -= 1
    if reply is _NOT_SERVED:
        _reblock(e, c, bs)
        return False
    c.deliver(reply)
    return True


def _reblock(e: Engine, c: Client, bs: BlockState) -> None:
    c.bstate = bs
    for k in bs.keys:
        e.blocking_keys.setdefault((bs.dbid, k), []).append(c)
    e.blocked_clients += 1


def handle_clients_blocked_on_keys(e: Engine) -> None:
    """Serve, in blocking order, the clients blocked on each ready key while it has data;
    keys made ready by the serving itself (BLMOVE's destination) are handled too."""
    while e.ready_keys:
        ready = e.ready_keys
        e.ready_keys = []
        for dbid, key in ready:
            clients = e.blocking_keys.get((dbid, key))
            if not clients:
                continue
            db = e.dbs[dbid]
            for receiver in list(clients):
                if receiver.bstate is None:
                    continue
                o = db.dict.get(key)
                if o is None or db.is_expired(key):
                    break
                if o.type != receiver.bstate.btype:
                    continue  # e.g. a BZPOPMIN client on a key that is now a list
                _serve(e, receiver, key)


def handle_blocked_timeouts(e: Engine, now_ms: int | None = None) -> None:
    """Answer the blocked clients whose deadline is strictly in the past."""
    heap = getattr(e, "_block_timeouts", None)
    if not heap:
        return
    now = e.clock.now_ms() if now_ms is None else now_ms
    while heap and heap[0][0] < now:
        _, seq, c = heapq.heappop(heap)
        bs = c.bstate
        if bs is None or bs.seq != seq:
            continue  # served or unblocked meanwhile
        unblock_client(c)
        c.deliver(bs.timeout_reply)


def next_timeout_ms(e: Engine) -> int | None:
    """The earliest pending deadline (for the server's timer), or None."""
    heap = getattr(e, "_block_timeouts", None)
    while heap:
        deadline, seq, c = heap[0]
        if c.bstate is not None and c.bstate.seq == seq:
            return deadline
        heapq.heappop(heap)
    return None
