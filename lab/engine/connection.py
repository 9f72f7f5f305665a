"""One client connection's state (the ``client`` struct of ``server.h``).

Each ``engine.client(name=...)`` is an independent connection: selected database, MULTI
queue and its error flag, WATCHed keys, protocol version, name. The in-process redis-py
client, the RESP server and ``engine.call`` all run commands through ``Client.execute``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ReplyError

if TYPE_CHECKING:  # pragma: no cover
    from .server import Engine


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
        "closed",
        "cmd_name",
        "created_ms",
        "db",
        "dirty_cas",
        "engine",
        "flags",
        "id",
        "laddr",
        "last_ms",
        "lib_name",
        "lib_ver",
        "multi",
        "multi_error",
        "name",
        "resp",
        "rewrite_argv",
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

    def __repr__(self) -> str:
        return f"<Client id={self.id} db={self.db.id} name={self.name!r}>"

    def execute(self, argv: list[bytes]):
        """Run one command (argv as bytes); the reply value, errors included as values."""
        e = self.engine
        reply = e.process_command(self, argv)
        e.before_sleep()
        return reply

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
        self.closed = True
        self.engine.clients.pop(self.id, None)
