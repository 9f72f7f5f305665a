"""Connection-level machinery (``networking.c``, parts of ``server.c`` / ``replication.c``):
MONITOR, the restricted contexts (subscribed RESP2 clients, monitors), CLIENT KILL /
PAUSE / UNPAUSE / REPLY / NO-EVICT / UNBLOCK, and what a closing connection releases.

* MONITOR lines are fed from ``Engine.call_command`` after each command that is not
  ``admin`` / ``skip_monitor`` (so CONFIG, MONITOR, DEBUG... never show), with AUTH and
  HELLO AUTH arguments redacted, as 7.0's ``replicationFeedMonitors``:
  ``+<unix s>.<µs> [<db> <addr>] "cmd" "arg"...`` with ``sdscatrepr`` escaping. A monitor
  is a "replica" for ``processCommand``: commands that read or write keys are refused.
* CLIENT PAUSE is honoured by the RESP server (``lab/resp_server.py``), which postpones
  a paused client's command until the pause ends, exactly where ``processCommand`` does
  (after every other check). In-process clients are never paused: nothing could resume
  them. Active expiry is not paused (7.0 pauses it too) -- a known simplification.
* CLIENT REPLY OFF|SKIP: the command itself answers ``NO_REPLY``; the RESP server drops
  replies while the client's ``reply_flags`` say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import errors, server_cmds
from .blocking import unblock_client
from .commands import command, subcommand
from .connection import CTX_MONITOR, CTX_PUBSUB, DENY_MULTI
from .errors import ReplyError
from .reply import NO_REPLY, NULL_ARRAY, OK, Status
from .util import string2ll

if TYPE_CHECKING:  # pragma: no cover
    from .connection import Client
    from .server import Engine

__all__ = [
    "REPLY_OFF",
    "REPLY_SKIP",
    "REPLY_SKIP_NEXT",
    "ClientPause",
    "context_error",
    "feed_monitors",
    "release_client",
    "reset_client_state",
    "should_postpone",
]

# Client.reply_flags bits (CLIENT_REPLY_OFF / _SKIP_NEXT / _SKIP)
REPLY_OFF = 1
REPLY_SKIP_NEXT = 2
REPLY_SKIP = 4

_PUBSUB_ALLOWED = frozenset({"ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
                             "psubscribe", "punsubscribe", "quit", "reset"})


def context_error(c: Client, spec) -> str | None:
    """``processCommand``'s checks for a client in a restricted context (or None)."""
    f = c.ctx_flags
    if f & CTX_MONITOR and ("write" in spec.flags or "readonly" in spec.flags
                            or "may_replicate" in spec.flags):
        return errors.REPLICA_KEYSPACE
    if f & CTX_PUBSUB and c.resp == 2 and spec.name not in _PUBSUB_ALLOWED:
        return errors.PUBSUB_CONTEXT.format(spec.name)
    return None


# -- MONITOR ------------------------------------------------------------------------------
def _repr_table() -> list[bytes]:
    t = []
    for b in range(256):
        if b == 0x5C:
            t.append(b"\\\\")
        elif b == 0x22:
            t.append(b'\\"')
        elif b == 0x0A:
            t.append(b"\\n")
        elif b == 0x0D:
            t.append(b"\\r")
        elif b == 0x09:
            t.append(b"\\t")
        elif b == 0x07:
            t.append(b"\\a")
        elif b == 0x08:
            t.append(b"\\b")
        elif 0x20 <= b <= 0x7E:
            t.append(bytes([b]))
        else:
            t.append(b"\\x%02x" % b)
    return t


_REPR = _repr_table()


def catrepr(s: bytes) -> bytes:
    """``sdscatrepr``: a double-quoted, escaped rendering of ``s``.

    >>> catrepr(b'a"b\\n\\x00')
    b'"a\\\\"b\\\\n\\\\x00"'
    """
    t = _REPR
    return b'"' + b"".join([t[b] for b in s]) + b'"'


_REDACTED = b"(redacted)"


def _redacted_argv(name: str, argv: list[bytes]) -> list[bytes]:
    if name == "auth":
        return [argv[0]] + [_REDACTED] * (len(argv) - 1)
    if name == "hello":
        out = list(argv)
        i = 2
        while i < len(out):
            if out[i].lower() == b"auth" and i + 2 < len(out):
                out[i + 1] = out[i + 2] = _REDACTED
                i += 3
            else:
                i += 1
        return out
    return argv


def feed_monitors(e: Engine, c: Client, spec, argv: list[bytes]) -> None:
    """``replicationFeedMonitors``, called by ``call_command`` after a command ran."""
    if "admin" in spec.flags or "skip_monitor" in spec.flags:
        return
    us = e.clock.now_us()
    args = _redacted_argv(spec.name, argv)
    line = b"%d.%06d [%d %b]" % (us // 1_000_000, us % 1_000_000, c.db.id, c.addr.encode())
    line += b"".join([b" " + catrepr(a) for a in args])
    reply = Status(line.decode("latin-1"))
    for m in list(e.monitors):
        m.push(reply)


@command("monitor", arity=1, flags="admin noscript loading stale", group="server",
         since="1.0.0")
def monitor_command(c, argv):
    """MONITOR
    Lists commands processed by the server in real time."""
    if c.deny_blocking & DENY_MULTI:
        raise ReplyError(errors.MONITOR_DENY_BLOCKING)
    if c.ctx_flags & CTX_MONITOR:
        return NO_REPLY  # already a monitor (or a replica): ignored, no reply
    c.ctx_flags |= CTX_MONITOR
    if "O" not in c.flags:
        c.flags += "O"
    c.engine.monitors.append(c)
    return OK


# -- connection teardown and RESET -------------------------------------------------------
def _leave_monitors(c: Client) -> None:
    if c.ctx_flags & CTX_MONITOR:
        try:
            c.engine.monitors.remove(c)
        except ValueError:  # pragma: no cover
            pass
        c.ctx_flags &= ~CTX_MONITOR
        c.flags = c.flags.replace("O", "")


def release_client(c: Client) -> None:
    """What ``freeClient`` undoes for a closing connection: blocked keys, subscriptions,
    the monitor list, a postponed (paused) command."""
    from .pubsub import unsubscribe_all

    if c.bstate is not None:
        unblock_client(c)
    if c.ctx_flags & CTX_PUBSUB:
        unsubscribe_all(c)
    _leave_monitors(c)
    p = c.engine.client_pause
    if p is not None:
        p.postponed.pop(c, None)


def reset_client_state(c: Client) -> None:
    """RESET's share (``clearClientConnectionState``): subscriptions, MONITOR, CLIENT REPLY,
    NO-EVICT. Hooked as ``Engine.pubsub_unsubscribe_all``, which RESET calls."""
    from .pubsub import unsubscribe_all

    unsubscribe_all(c)
    _leave_monitors(c)
    c.reply_flags = 0
    c.no_evict = False


# -- CLIENT PAUSE -------------------------------------------------------------------------
class ClientPause:
    """The active pause: ``kind`` "write" or "all", ``end_ms`` (unix ms), and the clients
    whose command waits for the end (client -> resume callback, in postponing order)."""

    __slots__ = ("end_ms", "kind", "postponed")

    def __init__(self, kind: str, end_ms: int):
        self.kind = kind
        self.end_ms = end_ms
        self.postponed: dict = {}

    def __repr__(self) -> str:
        return f"ClientPause({self.kind}, end_ms={self.end_ms}, postponed={len(self.postponed)})"


def should_postpone(e: Engine, c: Client, spec) -> bool:
    """``processCommand``'s pause check: every command under PAUSE ALL, write (or
    may-replicate) commands -- and EXEC of a queue holding one -- under PAUSE WRITE.
    Monitors (replicas) are never paused."""
    p = e.client_pause
    if p is None or c.ctx_flags & CTX_MONITOR:
        return False
    if p.kind == "all":
        return True
    fl = spec.flags
    if "write" in fl or "may_replicate" in fl:
        return True
    if spec.name == "exec" and c.multi:
        return any("write" in s.flags or "may_replicate" in s.flags for s, _ in c.multi)
    return False


def unpause(e: Engine) -> None:
    """``unpauseClients``: end the pause and resume every postponed client, in order."""
    p = e.client_pause
    if p is None:
        return
    e.client_pause = None
    for resume in list(p.postponed.values()):
        resume()


def check_pause_expiry(e: Engine) -> None:
    p = e.client_pause
    if p is not None and p.end_ms <= e.clock.now_ms():
        unpause(e)


def _subcommand_syntax(argv) -> ReplyError:
    return ReplyError(errors.SUBCOMMAND_SYNTAX.format(
        argv[1].decode("utf-8", "replace")[:128], "CLIENT"))


_client = server_cmds.client_container


@subcommand(_client, "pause", arity=-3, flags="admin noscript loading stale", since="2.9.50",
            complexity="O(1)")
def client_pause(c, argv):
    """CLIENT PAUSE timeout [WRITE|ALL]
    Suspends commands processing."""
    if len(argv) > 4:
        raise _subcommand_syntax(argv)
    ms = string2ll(argv[2])
    if ms is None:
        raise ReplyError(errors.TIMEOUT_NOT_INTEGER)
    if ms < 0:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    kind = "all"
    if len(argv) == 4:
        m = argv[3].lower()
        if m == b"write":
            kind = "write"
        elif m != b"all":
            raise ReplyError(errors.CLIENT_PAUSE_MODE)
    e = c.engine
    end = e.clock.now_ms() + ms
    p = e.client_pause
    if p is None:
        e.client_pause = ClientPause(kind, end)
    else:  # the strictest kind and the latest end win
        if kind == "all":
            p.kind = "all"
        p.end_ms = max(p.end_ms, end)
    return OK


@subcommand(_client, "unpause", arity=2, flags="admin noscript loading stale", since="6.2.0",
            complexity="O(N) Where N is the number of paused clients")
def client_unpause(c, argv):
    """CLIENT UNPAUSE
    Resumes processing of clients that were paused."""
    unpause(c.engine)
    return OK


# -- CLIENT REPLY / NO-EVICT ----------------------------------------------------------------
@subcommand(_client, "reply", arity=3, flags="noscript loading stale", since="3.2.0")
def client_reply(c, argv):
    """CLIENT REPLY ON|OFF|SKIP
    Instructs the server whether to reply to commands."""
    mode = argv[2].lower()
    if mode == b"on":
        c.reply_flags &= ~(REPLY_OFF | REPLY_SKIP)
        return OK
    if mode == b"off":
        c.reply_flags |= REPLY_OFF
        return NO_REPLY
    if mode == b"skip":
        if not c.reply_flags & REPLY_OFF:
            c.reply_flags |= REPLY_SKIP_NEXT
        return NO_REPLY
    raise ReplyError(errors.SYNTAX)


@subcommand(_client, "no-evict", arity=3, flags="admin noscript loading stale", since="7.0.0")
def client_no_evict(c, argv):
    """CLIENT NO-EVICT ON|OFF
    Sets the client eviction mode of the connection."""
    mode = argv[2].lower()
    if mode == b"on":
        c.no_evict = True
    elif mode == b"off":
        c.no_evict = False
    else:
        raise ReplyError(errors.SYNTAX)
    return OK


# -- CLIENT KILL / UNBLOCK ------------------------------------------------------------------
_TYPES = {b"normal": "normal", b"slave": "replica", b"replica": "replica",
          b"pubsub": "pubsub", b"master": "master"}


def _client_type(c: Client) -> str:
    """``getClientType``: monitors count as normal clients."""
    return "pubsub" if c.ctx_flags & CTX_PUBSUB else "normal"


def kill_client(target: Client, caller: Client) -> None:
    """Close ``target``'s connection (after the current reply when it is the caller)."""
    hook = target.kill_hook
    if hook is not None:
        hook(target is caller)
    elif target is not caller:
        target.close()


@subcommand(_client, "kill", arity=-3, flags="admin noscript loading stale", since="2.4.0",
            complexity="O(N) where N is the number of client connections")
def client_kill(c, argv):
    """CLIENT KILL ip:port | [ID id] [TYPE type] [USER name] [ADDR ip:port] [LADDR ip:port] [SKIPME yes/no]
    Terminates open connections."""
    e = c.engine
    if len(argv) == 3:  # old form: CLIENT KILL addr
        for other in list(e.clients.values()):
            if other.addr.encode() == argv[2]:
                kill_client(other, c)
                return OK
        raise ReplyError(errors.NO_SUCH_CLIENT)
    cid = ctype = addr = laddr = None
    user = None
    skipme = True
    i = 2
    while i < len(argv):
        opt = argv[i].lower()
        if i + 1 >= len(argv):
            raise ReplyError(errors.SYNTAX)
        val = argv[i + 1]
        if opt == b"id":
            v = string2ll(val)
            if v is None or v < 1:
                raise ReplyError(errors.CLIENT_ID_POSITIVE)
            cid = v
        elif opt == b"type":
            ctype = _TYPES.get(val.lower())
            if ctype is None:
                raise ReplyError(errors.CLIENT_UNKNOWN_TYPE.format(val.decode("utf-8", "replace")))
        elif opt == b"addr":
            addr = val
        elif opt == b"laddr":
            laddr = val
        elif opt == b"user":
            if val != b"default":
                raise ReplyError(errors.NO_SUCH_USER.format(val.decode("utf-8", "replace")))
            user = "default"
        elif opt == b"skipme":
            if val.lower() == b"yes":
                skipme = True
            elif val.lower() == b"no":
                skipme = False
            else:
                raise ReplyError(errors.SYNTAX)
        else:
            raise ReplyError(errors.SYNTAX)
        i += 2
    killed = 0
    for other in list(e.clients.values()):
        if addr is not None and other.addr.encode() != addr:
            continue
        if laddr is not None and other.laddr.encode() != laddr:
            continue
        if ctype is not None and _client_type(other) != ctype:
            continue
        if cid is not None and other.id != cid:
            continue
        if user is not None and other.user != user:
            continue
        if other is c and skipme:
            continue
        if other is e.default_client:
            continue  # the engine's own connection is not a socket
        kill_client(other, c)
        killed += 1
    return killed


@subcommand(_client, "unblock", arity=-3, flags="admin noscript loading stale", since="5.0.0",
            complexity="O(log N) where N is the number of client connections")
def client_unblock(c, argv):
    """CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
    Unblocks a client blocked by a blocking command from a different connection."""
    if len(argv) > 4:
        raise _subcommand_syntax(argv)
    cid = string2ll(argv[2])
    if cid is None:
        raise ReplyError(errors.NOT_INTEGER)
    as_error = False
    if len(argv) == 4:
        r = argv[3].lower()
        if r == b"error":
            as_error = True
        elif r != b"timeout":
            raise ReplyError(errors.CLIENT_UNBLOCK_REASON)
    target = c.engine.clients.get(cid)
    if target is None or target.bstate is None:
        return 0
    bs = unblock_client(target)
    target.deliver(ReplyError(errors.UNBLOCKED_BY_CLIENT) if as_error
                   else (bs.timeout_reply if bs is not None else NULL_ARRAY))
    return 1
