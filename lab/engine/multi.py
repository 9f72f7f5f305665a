"""Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (``multi.c``).

Queueing happens in ``Engine.process_command``: while a client is in MULTI every command
except EXEC/DISCARD/MULTI/WATCH/QUIT/RESET is checked (unknown command, arity, ...) and
queued (``+QUEUED``); a rejected command flags the transaction so EXEC answers
EXECABORT. EXEC runs the queue with no rollback: a command failing at run time leaves
its error in the reply array and the others still run.
"""

from __future__ import annotations

from . import errors
from .commands import command
from .errors import ReplyError
from .reply import NULL_ARRAY, OK


def discard_transaction(c) -> None:
    c.multi = None
    c.multi_error = False
    c.engine.unwatch_all(c)


@command("multi", arity=1, flags="noscript loading stale fast allow_busy", group="transactions",
         since="1.2.0")
def multi_command(c, argv):
    """MULTI
    Starts a transaction."""
    if c.multi is not None:
        raise ReplyError(errors.MULTI_NESTED)
    c.multi = []
    c.multi_error = False
    return OK


@command("exec", arity=1, flags="noscript loading stale skip_slowlog", group="transactions",
         since="1.2.0")
def exec_command(c, argv):
    """EXEC
    Executes all commands in a transaction."""
    if c.multi is None:
        raise ReplyError(errors.EXEC_WITHOUT_MULTI)
    e = c.engine
    if e.watched_key_expired(c):
        c.dirty_cas = True
    if c.multi_error:
        discard_transaction(c)
        raise ReplyError(errors.EXECABORT)
    if c.dirty_cas:
        discard_transaction(c)
        return NULL_ARRAY
    queue = c.multi
    c.multi = None
    c.multi_error = False
    # Unwatch before running: a transaction's own writes must not dirty its WATCH.
    e.unwatch_all(c)
    replies = []
    propagated = False
    for spec, argv_i in queue:
        if spec.is_write and not propagated and e.propagate_listeners:
            e.propagate(c.db.id, [b"MULTI"])
            propagated = True
        replies.append(e.call_command(c, spec, argv_i))
    if propagated:
        e.propagate(c.db.id, [b"EXEC"])
    return replies


@command("discard", arity=1, flags="noscript loading stale fast allow_busy",
         group="transactions", since="2.0.0")
def discard_command(c, argv):
    """DISCARD
    Discards a transaction."""
    if c.multi is None:
        raise ReplyError(errors.DISCARD_WITHOUT_MULTI)
    discard_transaction(c)
    return OK


@command("watch", arity=-2, flags="noscript loading stale fast allow_busy",
         keys=(1, -1, 1), group="transactions", complexity="O(1) for every key.", since="2.2.0")
def watch_command(c, argv):
    """WATCH key [key ...]
    Monitors changes to keys to determine the execution of a transaction."""
    if c.multi is not None:
        raise ReplyError(errors.WATCH_IN_MULTI)
    # 7.0: WATCH with a dirty CAS already set doesn't need to watch more keys.
    if c.dirty_cas:
        return OK
    for key in argv[1:]:
        c.engine.watch_key(c, key)
    return OK


@command("unwatch", arity=1, flags="noscript loading stale fast allow_busy",
         group="transactions", since="2.2.0")
def unwatch_command(c, argv):
    """UNWATCH
    Forgets about watched keys of a transaction."""
    c.engine.unwatch_all(c)
    return OK
