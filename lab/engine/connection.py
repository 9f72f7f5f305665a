"""One client connection's state (the ``client`` struct of ``server.h``).

Each ``engine.client(name=...)`` is an independent connection: selected database, MULTI
queue and its error flag, WATCHed keys, protocol version, name. The in-process redis-py
client, the RESP server and ``engine.call`` all run commands through ``Client.execute``.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from .blocking import BLOCKED
from .errors import ReplyError

if TYPE_CHECKING:  # pragma: no cover
    from .server import Engine


# Client.ctx_flags bits: the connection is in a restricted context.
CTX_PUBSUB = 1  # subscribed (RESP2: only (P|S)(UN)SUBSCRIBE / PING / QUIT / RESET)
CTX_MONITOR = 2  # MONITOR (a "replica": no keyspace access)
# Client.deny_blocking bits
DENY_IN_PROCESS = 1
DENY_MULTI = 2


def to_bytes(a: Any) -> bytes:
    """Encode one argument the way redis-py does (str utf-8, numbers via repr)."""
    t = type(a)
    if t is bytes:
        return a
    if t is str:
        return a.encode()
    if t is int or t is float:
        return repr(a).encode()
    if isinstance(a, (bytearray, memoryview)):
        return bytes(a)
    if isinstance(a, bool):
        raise TypeError("booleans are not valid Redis arguments; use 0/1 or a string")
    if isinstance(a, (int, float)):
        return repr(a).encode()
    if isinstance(a, str):
        return a.encode()
    raise TypeError(f"cannot send {type(a).__name__} as a Redis argument")


class Client:
    """A connection to the engine. ``call(*args)`` raises on an error reply;
    ``execute(argv)`` returns every reply, errors as ``ReplyError`` values."""

    __slots__ = (
        "__weakref__",
        "addr",
        "authenticated",
        "bstate",
        "closed",
        "cmd_name",
        "created_ms",
        "ctx_flags",
        "db",
        "deferred_replies",
        "deny_blocking",
        "dirty_cas",
        "engine",
        "flags",
        "id",
        "kill_hook",
        "laddr",
        "last_ms",
        "lib_name",
        "lib_ver",
        "multi",
        "multi_error",
        "name",
        "no_evict",
        "pending_pushes",
        "pubsub_channels",
        "pubsub_patterns",
        "pubsub_shard_channels",
        "push_sink",
        "reply_flags",
        "reply_sink",
        "resp",
        "rewrite_argv",
        "user",
        "watched",
    )

    def __init__(self, engine: Engine, cid: int, name: str = ""):
        self.engine = engine
        self.id = cid
        self.name = name
        self.db = engine.dbs[0]
        self.multi: list | None = None  # queued (spec, argv) while in MULTI
        self.multi_error = False  # CLIENT_DIRTY_EXEC: a command was rejected while queueing
        self.dirty_cas = False  # CLIENT_DIRTY_CAS: a WATCHed key was touched
        self.watched: list[tuple[int, bytes]] = []
        self.resp = 2
        self.created_ms = engine.mstime
        self.last_ms = engine.mstime
        self.closed = False
        self.authenticated = not engine.config.requirepass
        self.rewrite_argv: list[bytes] | None = None
        self.addr = "in-process:0"
        self.laddr = "in-process:0"
        self.lib_name = ""
        self.lib_ver = ""
        self.flags = ""
        self.cmd_name = "NULL"
        # -- networking state (blocking.py, pubsub.py, networking.py, lab/resp_server.py) --
        # ``CLIENT_DENY_BLOCKING``: a blocking command may really block only where another
        # client can wake it up. DENY_IN_PROCESS: the RESP server clears it for its
        # connections; in-process clients keep it (their blocking commands answer at
        # once, as inside MULTI). DENY_MULTI: set while MULTI/EXEC runs a command.
        self.deny_blocking = DENY_IN_PROCESS
        self.bstate = None  # blocking.BlockState while blocked on keys
        self.ctx_flags = 0  # CTX_PUBSUB | CTX_MONITOR: commands are restricted (server.py)
        self.pubsub_channels: dict[bytes, None] = {}
        self.pubsub_patterns: dict[bytes, None] = {}
        self.pubsub_shard_channels: dict[bytes, None] = {}
        # Out-of-band messages (pub/sub messages, MONITOR lines): ``push_sink(reply)`` when
        # set (the RESP server writes them), else queued here for an in-process reader.
        self.push_sink = None
        self.pending_pushes: deque = deque()
        # The reply of a command that blocked, once served or timed out: ``reply_sink``
        # when set, else queued in ``deferred_replies``.
        self.reply_sink = None
        self.deferred_replies: deque = deque()
        self.reply_flags = 0  # CLIENT REPLY OFF / SKIP (networking.py)
        self.no_evict = False
        self.kill_hook = None  # set by the RESP server: CLIENT KILL closes the socket
        self.user = "default"

    def __repr__(self) -> str:
        return f"<Client id={self.id} db={self.db.id} name={self.name!r}>"

    def execute(self, argv: list[bytes]):
        """Run one command (argv as bytes); the reply value, errors included as values."""
        e = self.engine
        if self.multi is None:
            reply = e.process_command(self, argv)
            if reply is BLOCKED:  # parked on keys: remember the command to re-run it
                self.bstate.argv = argv
        else:
            reply = self._execute_in_multi(argv)
        if e.ready_keys:
            e.handle_clients_blocked_on_keys()
        st = e.expire_state  # before_sleep, inlined: nothing to do unless a cycle timed out
        if st.timelimit_exit or e.stat_expired_stale_perc >= st.acceptable_stale:
            e.before_sleep()
        return reply

    def _execute_in_multi(self, argv: list[bytes]):
        """A command while MULTI is open (queued, or EXEC running the queue): blocking
        commands run by EXEC must not block (``CLIENT_DENY_BLOCKING``)."""
        saved = self.deny_blocking
        self.deny_blocking = saved | DENY_MULTI
        try:
            return self.engine.process_command(self, argv)
        finally:
            self.deny_blocking = saved

    @property
    def blocked(self) -> bool:
        """Blocked on keys (BLPOP & co.): CLIENT LIST's ``b`` flag."""
        return self.bstate is not None

    def push(self, reply) -> None:
        """Deliver an out-of-band message (pub/sub, MONITOR) to this connection."""
        sink = self.push_sink
        if sink is not None:
            sink(reply)
        else:
            self.pending_pushes.append(reply)

    def deliver(self, reply) -> None:
        """Deliver the reply of a command that had blocked (served, or timed out)."""
        sink = self.reply_sink
        if sink is not None:
            sink(reply)
        else:
            self.deferred_replies.append(reply)

    def call(self, *args: Any):
        """Run one command given as Python values; raise ``ReplyError`` on an error reply."""
        reply = self.execute([to_bytes(a) for a in args])
        if isinstance(reply, ReplyError):
            raise reply
        return reply

    def select(self, dbid: int) -> None:
        self.db = self.engine.dbs[dbid]

    def close(self) -> None:
        """Disconnect: drop MULTI state and WATCHes, leave the engine's client list."""
        if self.closed:
            return
        self.engine.unwatch_all(self)
        self.multi = None
        if self.bstate is not None or self.ctx_flags:
            from .networking import release_client

            release_client(self)
        self.closed = True
        self.engine.clients.pop(self.id, None)
