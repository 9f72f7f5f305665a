"""``lab.connect()``: a real ``redis.Redis`` whose commands run in the engine, in process.

Why not a fake connection class under redis-py's pool? Measured here: redis-py's
pool/connection path costs ~40 µs per command even when the connection does nothing,
so ``LabRedis`` overrides ``execute_command`` to call the engine directly, converts the
engine's reply exactly as redis-py's RESP2/RESP3 parser would have produced it from the
wire (bytes, decoding, errors via redis-py's own ``parse_error``), and then applies
redis-py's own response callbacks. Chapter code is therefore ordinary redis-py code:
``lab.connect(url="redis://...")`` returns a plain client to a real server instead.

Connections: the ``LabRedis`` object has one engine connection for its plain commands;
each pipeline takes its own (as each pooled socket is its own connection on a server),
so MULTI/WATCH state never leaks between them.
"""

from __future__ import annotations

from typing import Any

import redis
from redis._parsers.base import BaseParser
from redis.client import EMPTY_RESPONSE, NEVER_DECODE, Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ExecAbortError, ResponseError, WatchError

from .engine import Engine
from .engine.connection import Client
from .engine.errors import ReplyError
from .engine.reply import (
    NO_REPLY,
    NULL_ARRAY,
    HumanDouble,
    Push,
    ReplySeq,
    RSet,
    Status,
    Verbatim,
    format_double,
)

__all__ = ["LabPipeline", "LabRedis", "connect"]


def _error(err: ReplyError):
    """The exception redis-py's parser builds for this error text."""
    exc = BaseParser.parse_error(err.message)
    return exc


def _convert(r, decode: bool, resp3: bool):
    """Engine reply value -> what redis-py's parser returns for the same wire bytes."""
    t = type(r)
    if t is bytes:
        return r.decode("utf-8") if decode else r
    if t is int or r is None:
        return r
    if t is Status:
        return str(r) if decode else r.encode()
    if t is list or t is RSet:
        return [_convert(x, decode, resp3) for x in r]
    if isinstance(r, ReplyError):
        return _error(r)
    if r is NULL_ARRAY:
        return None
    if t is float:
        if resp3:
            return r
        s = format_double(r)
        return s.decode() if decode else s
    if t is dict:
        if resp3:
            return {_convert(k, decode, resp3): _convert(v, decode, resp3) for k, v in r.items()}
        out = []
        for k, v in r.items():
            out.append(_convert(k, decode, resp3))
            out.append(_convert(v, decode, resp3))
        return out
    if t is bool:
        return r if resp3 else int(r)
    if t is Verbatim:
        b = bytes(r)
        return b.decode() if decode else b
    if t is HumanDouble:
        if resp3:
            return float(r)
        b = bytes(r)
        return b.decode() if decode else b
    if t is Push:
        return [_convert(x, decode, resp3) for x in r]
    if t is ReplySeq:
        # several replies back to back (SUBSCRIBE a b): redis-py's execute_command reads
        # the first; the others would wait in the socket, here they are dropped.
        return _convert(r[0], decode, resp3) if r else None
    if r is NO_REPLY:
        return None
    raise TypeError(f"unexpected reply value {r!r}")


# Command names as redis-py passes them ("GET", "CONFIG GET") -> their argv prefix.
_NAME_PARTS: dict[str, list[bytes]] = {}


def _name_parts(name) -> list[bytes]:
    parts = _NAME_PARTS.get(name)
    if parts is None:
        b = name.encode() if type(name) is str else _ENCODER.encode(name)
        # redis-py sends multi-word command names ("CONFIG GET") as separate arguments
        parts = b.split() if b" " in b else [b]
        if len(_NAME_PARTS) < 4096:
            _NAME_PARTS[name] = parts
    return parts


def _encode_other(a) -> bytes:
    """An argument that is neither str nor bytes, encoded as redis-py's Encoder does."""
    t = type(a)
    if t is int or t is float:
        return repr(a).encode()
    return _ENCODER.encode(a)


def _encode_args(args: tuple) -> list[bytes]:
    """The argv redis-py would send for ``args`` (name split, values encoded)."""
    return _name_parts(args[0]) + [
        a.encode() if type(a) is str else a if type(a) is bytes else _encode_other(a)
        for a in args[1:]]


_ENCODER = redis.connection.Encoder("utf-8", "strict", False)


class LabRedis(redis.Redis):
    """A ``redis.Redis`` bound to an in-process ``Engine``."""

    def __init__(self, engine: Engine, *, decode_responses: bool = True, protocol: int = 2,
                 db: int = 0, client_name: str | None = None, **kwargs: Any):
        super().__init__(decode_responses=decode_responses, protocol=protocol, db=db,
                         client_name=client_name, **kwargs)
        self.engine = engine
        self._lab_decode = decode_responses
        self._lab_resp3 = int(protocol or 2) == 3
        self._lab_db = db
        self._lab_client_name = client_name
        self._lab_conn = self._lab_new_connection()
        self._lab_free: list[Client] = []
        self._lab_callbacks: dict = {}  # command name -> redis-py callback (or None)

    def _lab_new_connection(self) -> Client:
        c = self.engine.client(name=self._lab_client_name or "")
        if self._lab_resp3:
            c.resp = 3
        if self._lab_db:
            c.select(self._lab_db)
        return c

    def _lab_acquire(self) -> Client:
        while self._lab_free:
            c = self._lab_free.pop()
            if not c.closed:
                return c
        return self._lab_new_connection()

    def _lab_release(self, c: Client) -> None:
        if c.closed:
            return
        if c.multi is not None or c.watched:
            c.engine.unwatch_all(c)
            c.multi = None
            c.multi_error = False
        if c.db.id != self._lab_db:
            c.select(self._lab_db)
        self._lab_free.append(c)

    def __repr__(self) -> str:
        return f"<lab.LabRedis engine={self.engine!r} db={self._lab_db}>"

    # -- the command path ----------------------------------------------------------------
    def execute_command(self, *args: Any, **options: Any):
        # The hot path: encode, run on this client's engine connection, convert the way
        # redis-py's parser would, apply redis-py's callback. Rare cases (options,
        # errors, unusual reply types) go through _lab_parse.
        name = args[0]
        parts = _NAME_PARTS.get(name) or _name_parts(name)
        argv = parts + [a.encode() if type(a) is str else a if type(a) is bytes else _encode_other(a)
                        for a in args[1:]]
        reply = self._lab_conn.execute(argv)
        if options:
            options.pop("keys", None)  # redis-py passes keys= for its client-side cache
            if options:
                return self._lab_parse(reply, name, options)
        t = type(reply)
        if t is bytes:
            response = reply.decode() if self._lab_decode else reply
        elif t is int or reply is None:
            response = reply
        elif t is Status:
            response = str(reply) if self._lab_decode else reply.encode()
        else:
            return self._lab_parse(reply, name, options)
        try:
            cb = self._lab_callbacks[name]
        except KeyError:
            cb = self._lab_callbacks[name] = self.response_callbacks.get(name)
        return cb(response) if cb is not None else response

    def set_response_callback(self, command: str, callback) -> None:
        super().set_response_callback(command, callback)
        self._lab_callbacks.clear()

    def _lab_parse(self, reply, command_name: str, options: dict):
        """What ``Redis.parse_response`` does after reading ``reply`` from a socket."""
        if isinstance(reply, ReplyError):
            exc = _error(reply)
            if isinstance(exc, RedisConnectionError):
                raise exc
            if EMPTY_RESPONSE in options:
                return options[EMPTY_RESPONSE]
            raise exc
        if NEVER_DECODE in options:
            response = _convert(reply, False, self._lab_resp3)
            options.pop(NEVER_DECODE)
        else:
            response = _convert(reply, self._lab_decode, self._lab_resp3)
        options.pop(EMPTY_RESPONSE, None)
        options.pop("keys", None)
        cb = self.response_callbacks.get(command_name)
        if cb is not None:
            return cb(response, **options)
        return response

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> LabPipeline:
        return LabPipeline(self, transaction, shard_hint)

    def close(self) -> None:
        for c in [self._lab_conn, *self._lab_free]:
            c.close()
        self._lab_free = []

    def __del__(self) -> None:  # the engine keeps no reference to a closed connection
        try:
            self.close()
        except Exception:
            pass


class LabPipeline(Pipeline):
    """redis-py's ``Pipeline`` over one engine connection of its own."""

    def __init__(self, parent: LabRedis, transaction: bool, shard_hint: Any):
        super().__init__(parent.connection_pool, parent.response_callbacks, transaction,
                         shard_hint)
        self._lab_parent = parent
        self._lab_decode = parent._lab_decode
        self._lab_resp3 = parent._lab_resp3
        self._lab_conn: Client | None = None

    def _lab_connection(self) -> Client:
        if self._lab_conn is None:
            self._lab_conn = self._lab_parent._lab_acquire()
        return self._lab_conn

    _lab_parse = LabRedis._lab_parse

    def reset(self) -> None:
        self.command_stack = []
        self.scripts = set()
        if self._lab_conn is not None:
            conn = self._lab_conn
            if self.watching:
                conn.engine.unwatch_all(conn)
            self._lab_conn = None
            self._lab_parent._lab_release(conn)
        self.watching = False
        self.explicit_transaction = False

    def immediate_execute_command(self, *args: Any, **options: Any):
        conn = self._lab_connection()
        command_name = args[0]
        reply = conn.execute(_encode_args(args))
        result = self._lab_parse(reply, command_name, options)
        if command_name in self.UNWATCH_COMMANDS:
            self.watching = False
        elif command_name == "WATCH":
            self.watching = True
        return result

    def execute(self, raise_on_error: bool = True) -> list:
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        if self.scripts:
            self.load_scripts()
        conn = self._lab_connection()
        try:
            if self.transaction or self.explicit_transaction:
                return self._lab_transaction(conn, stack, raise_on_error)
            return self._lab_pipeline(conn, stack, raise_on_error)
        finally:
            self.reset()

    def _lab_pipeline(self, conn: Client, commands: list, raise_on_error: bool) -> list:
        responses = []
        for args, options in commands:
            try:
                responses.append(self._lab_parse(conn.execute(_encode_args(args)), args[0],
                                                 options))
            except ResponseError as exc:
                responses.append(exc)
        if raise_on_error:
            self.raise_first_error(commands, responses)
        return responses

    def _lab_transaction(self, conn: Client, commands: list, raise_on_error: bool) -> list:
        errors_seen: list[tuple[int, Exception]] = []
        r = conn.execute([b"MULTI"])
        if isinstance(r, ReplyError):
            errors_seen.append((0, _error(r)))
        for i, (args, options) in enumerate(commands):
            if EMPTY_RESPONSE in options:
                errors_seen.append((i, options[EMPTY_RESPONSE]))
                continue
            r = conn.execute(_encode_args(args))
            if isinstance(r, ReplyError):
                exc = _error(r)
                self.annotate_exception(exc, i + 1, args)
                errors_seen.append((i, exc))
        reply = conn.execute([b"EXEC"])
        if isinstance(reply, ReplyError):
            exc = _error(reply)
            if isinstance(exc, ExecAbortError) and errors_seen:
                raise errors_seen[0][1]
            raise exc
        self.watching = False
        if reply is NULL_ARRAY or reply is None:
            raise WatchError("Watched variable changed.")
        response = [_convert(x, self._lab_decode, self._lab_resp3) for x in reply]
        for i, e in errors_seen:
            response.insert(i, e)
        if len(response) != len(commands):
            raise ResponseError("Wrong number of response items from pipeline execution")
        if raise_on_error:
            self.raise_first_error(commands, response)
        data = []
        for r, (args, options) in zip(response, commands):
            if not isinstance(r, Exception):
                options.pop("keys", None)
                cb = self.response_callbacks.get(args[0])
                if cb is not None:
                    r = cb(r, **options)
            data.append(r)
        return data


def connect(engine: Engine | None = None, *, url: str | None = None,
            decode_responses: bool = True, **kwargs: Any) -> redis.Redis:
    """A redis-py client: in process on ``engine`` (a fresh ``Engine()`` if None), or,
    with ``url=``, an ordinary client to a real Redis server.

    >>> r = connect()
    >>> r.rpush("l", "a", "b"), r.lrange("l", 0, -1)
    (2, ['a', 'b'])
    """
    if url is not None:
        if engine is not None:
            raise ValueError("give either an engine or a url, not both")
        return redis.Redis.from_url(url, decode_responses=decode_responses, **kwargs)
    return LabRedis(engine if engine is not None else Engine(), decode_responses=decode_responses,
                    **kwargs)
