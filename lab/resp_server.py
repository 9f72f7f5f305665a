"""The engine on the wire: a RESP2/RESP3 server for one ``Engine`` (``networking.c``).

``python -m lab serve --port 6390`` or, from Python, ``lab.serve(engine, port=0)`` (a
background thread; the handle has ``.port`` and ``.stop()`` and is a context manager).
``redis-cli``, ``redis-benchmark`` and any client library can talk to it.

One asyncio event loop (uvloop when installed) owns the engine: each TCP connection is an
``asyncio.Protocol`` with its own engine ``Client``; commands run on the loop thread, so
the engine is never touched concurrently. While a server runs, use the engine only
through a client connection (or ``handle.call(fn)``, which runs ``fn`` on the loop).

Request parsing follows ``processInputBuffer`` / ``processMultibulkBuffer`` /
``processInlineBuffer`` rule for rule, so malformed input gets Redis's exact
``-ERR Protocol error: ...`` reply and the connection is closed after it:

* a request starting with ``*`` is multibulk: the count line (``string2ll``, at most
  INT_MAX; more than 10 before AUTH is refused), then per argument a ``$<len>`` line
  (0..proto-max-bulk-len; more than 16384 before AUTH is refused) and ``len`` bytes plus
  two (the CRLF is skipped, not checked); ``*0`` / ``*-1`` are empty commands;
* anything else is an inline command: one line split like ``sdssplitargs`` (quotes,
  ``\\xHH`` escapes), ``\\n`` or ``\\r\\n`` terminated;
* Redis looks for line ends with ``strchr``, which stops at a NUL byte: a NUL before the
  line end means "no line yet" (and, beyond 64 KiB, "too big ...");
* a half-received request waits for more data; a huge bulk is not re-parsed until all
  its bytes have arrived.

Per event-loop wake-up (``data_received``) all complete requests run back to back
(pipelining), their replies are encoded into one buffer and written with one
``transport.write`` (``beforeSleep``'s "write replies"). After each command the clients
blocked on keys that became ready are served (``handleClientsBlockedOnKeys``); a blocked
client's later requests wait in its buffer, as Redis leaves them in the query buffer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
from typing import Any

from .clock import WallClock
from .engine import Engine, errors
from .engine.blocking import BLOCKED, handle_blocked_timeouts
from .engine.commands import lookup_command
from .engine.connection import CTX_MONITOR
from .engine.networking import (
    REPLY_OFF,
    REPLY_SKIP,
    REPLY_SKIP_NEXT,
    check_pause_expiry,
    should_postpone,
)
from .engine.reply import NO_REPLY, OK, Status, encode_resp
from .engine.util import string2ll

try:  # optional: a faster event loop (docs/dependencies.md)
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None

try:  # the C RESP parser: the fast path for well-formed multibulk requests
    from hiredis import Reader as _HiredisReader
except ImportError:  # pragma: no cover
    _HiredisReader = None

__all__ = ["ProtocolError", "ServerHandle", "parse_request", "serve", "split_args"]

PROTO_INLINE_MAX_SIZE = 64 * 1024
INT_MAX = 2147483647
_LOOPBACK = ("127.0.0.1", "::1")


class ProtocolError(Exception):
    """A malformed request: the text after ``-ERR Protocol error: ``."""


class _Incomplete(Exception):
    pass


# -- parsing ----------------------------------------------------------------------------------
_SPACE = frozenset(b" \t\n\v\f\r")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ESC = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("a"): 7}


def split_args(line: bytes) -> list[bytes] | None:
    """``sdssplitargs``: split an inline request; None on unbalanced quotes.

    >>> split_args(b'set "a b" \\'c\\\\\\'d\\' "\\\\x41\\\\n"')
    [b'set', b'a b', b"c'd", b'A\\n']
    """
    args: list[bytes] = []
    n = len(line)
    p = 0
    while True:
        while p < n and line[p] in _SPACE:
            p += 1
        if p >= n:
            return args
        inq = insq = False
        cur = bytearray()
        while True:
            ch = line[p] if p < n else 0
            if inq:
                if ch == 0x5C and p + 3 < n + 0 and line[p + 1] == 0x78 and line[p + 2] in _HEX \
                        and line[p + 3] in _HEX:
                    cur.append(int(line[p + 2:p + 4], 16))
                    p += 3
                elif ch == 0x5C and p + 1 < n:
                    p += 1
                    e = line[p]
                    cur.append(_ESC.get(e, e))
                elif ch == 0x22:
                    if p + 1 < n and line[p + 1] not in _SPACE:
                        return None
                    p += 1
                    break
                elif p >= n:
                    return None
                else:
                    cur.append(ch)
            elif insq:
                if ch == 0x5C and p + 1 < n and line[p + 1] == 0x27:
                    p += 1
                    cur.append(0x27)
                elif ch == 0x27:
                    if p + 1 < n and line[p + 1] not in _SPACE:
                        return None
                    p += 1
                    break
                elif p >= n:
                    return None
                else:
                    cur.append(ch)
            else:
                if p >= n or ch in (0x20, 0x0A, 0x0D, 0x09):
                    break
                if ch == 0x22:
                    inq = True
                elif ch == 0x27:
                    insq = True
                else:
                    cur.append(ch)
            p += 1
        args.append(bytes(cur))


def _find_line(buf, pos: int, n: int, ch: bytes) -> int:
    """``strchr(buf + pos, ch)``: the index of ``ch``, or -1 if absent or after a NUL."""
    i = buf.find(ch, pos)
    if i < 0:
        return -1
    z = buf.find(b"\0", pos, i)
    return -1 if z >= 0 else i


def _ll(line) -> int | None:
    if line.isdigit() and (len(line) == 1 or line[0] != 0x30) and len(line) < 19:
        return int(line)
    return string2ll(bytes(line))


def parse_request(buf, pos: int, authed: bool, max_bulk: int):
    """Parse one request from ``buf[pos:]``.

    Returns ``(argv, newpos)``; ``argv`` is None when the request is not complete yet
    (``newpos`` is then the buffer length needed before trying again, or 0 if unknown),
    ``[]`` for an empty request. Raises ``ProtocolError``.

    The fast path handles a complete, canonical multibulk request (plain decimal
    lengths, no NUL in a header line, within the limits); anything else -- half frames,
    errors, inline requests -- goes through ``_parse_exact``, which follows Redis's
    rules one by one."""
    if buf[pos] != 0x2A:
        return _parse_exact(buf, pos, authed, max_bulk)
    find = buf.find
    n = len(buf)
    nl = find(b"\r", pos)
    if nl < 0 or nl > n - 2:
        return _parse_exact(buf, pos, authed, max_bulk)
    line = buf[pos + 1:nl]
    if not line.isdigit() or line[0] == 0x30 or len(line) > 9:
        return _parse_exact(buf, pos, authed, max_bulk)
    count = int(line)
    if count > 10 and not authed:
        return _parse_exact(buf, pos, authed, max_bulk)
    p = nl + 2
    argv = []
    append = argv.append
    big = max_bulk if authed else min(16384, max_bulk)
    for _ in range(count):
        nl = find(b"\r", p)
        if nl < 0 or nl > n - 2 or buf[p] != 0x24:
            return _parse_exact(buf, pos, authed, max_bulk)
        line = buf[p + 1:nl]
        if not line.isdigit() or (line[0] == 0x30 and len(line) > 1):
            return _parse_exact(buf, pos, authed, max_bulk)
        blen = int(line)
        if blen > big:
            return _parse_exact(buf, pos, authed, max_bulk)
        p = nl + 2
        end = p + blen
        if end + 2 > n:
            return None, end + 2
        append(buf[p:end])
        p = end + 2
    return argv, p


def _parse_exact(buf, pos: int, authed: bool, max_bulk: int):
    """``processMultibulkBuffer`` / ``processInlineBuffer``, rule for rule."""
    n = len(buf)
    if buf[pos] != 0x2A:  # '*'
        return _parse_inline(buf, pos, n)
    nl = buf.find(b"\r", pos)
    if nl < 0 or b"\0" in buf[pos:nl]:
        nl = _find_line(buf, pos, n, b"\r")
        if nl < 0:
            if n - pos > PROTO_INLINE_MAX_SIZE:
                raise ProtocolError("too big mbulk count string")
            return None, 0
    if nl > n - 2:
        return None, 0
    count = _ll(buf[pos + 1:nl])
    if count is None or count > INT_MAX:
        raise ProtocolError("invalid multibulk length")
    if count > 10 and not authed:
        raise ProtocolError("unauthenticated multibulk length")
    pos = nl + 2
    if count <= 0:
        return [], pos
    argv = []
    append = argv.append
    for _ in range(count):
        nl = buf.find(b"\r", pos)
        if nl < 0 or b"\0" in buf[pos:nl]:
            nl = _find_line(buf, pos, n, b"\r")
            if nl < 0:
                if n - pos > PROTO_INLINE_MAX_SIZE:
                    raise ProtocolError("too big bulk count string")
                return None, 0
        if nl > n - 2:
            return None, 0
        if buf[pos] != 0x24:  # '$'
            ch = buf[pos]
            if ch in (0x0D, 0x0A):
                ch = 0x20
            raise ProtocolError("expected '$', got '%s'" % chr(ch))
        blen = _ll(buf[pos + 1:nl])
        if blen is None or blen < 0 or blen > max_bulk:
            raise ProtocolError("invalid bulk length")
        if blen > 16384 and not authed:
            raise ProtocolError("unauthenticated bulk length")
        pos = nl + 2
        end = pos + blen
        if end + 2 > n:
            return None, end + 2
        append(buf[pos:end])
        pos = end + 2
    return argv, pos


def _parse_inline(buf, pos: int, n: int):
    nl = _find_line(buf, pos, n, b"\n")
    if nl < 0:
        if n - pos > PROTO_INLINE_MAX_SIZE:
            raise ProtocolError("too big inline request")
        return None, 0
    end = nl
    if nl != pos and buf[nl - 1] == 0x0D:
        end = nl - 1
    argv = split_args(bytes(buf[pos:end]))
    if argv is None:
        raise ProtocolError("unbalanced quotes in request")
    return argv, nl + 1


# hiredis parses any RESP; Redis only ``*<n>`` + ``$<len>`` frames, with its own limits and
# errors. A request hiredis returns is accepted only if re-encoding it canonically gives
# exactly the bytes at the current position (so Redis would read the same argv from the
# same number of bytes); anything else goes to ``parse_request``.
_CANON = [b"*%d\r\n" % k + b"$%d\r\n%b\r\n" * k for k in range(64)]
_C1, _C2, _C3, _C4 = _CANON[1:5]
_MIN_MAX_BULK = 1024 * 1024  # proto-max-bulk-len can't be set lower than this
# hiredis allocates a list of the announced size as soon as it reads an aggregate header
# (``*2147483647`` costs seconds), so input where an aggregate type byte is followed by 4+
# digits never goes to hiredis: in ``buf.translate(_AGG_DIGITS)`` that is ``*0000``
_AGG_DIGITS = bytes(0x30 if 0x30 <= i <= 0x39 else 0x2A if i in b"*~%|>" else 0x2E
                    for i in range(256))
_HIREDIS_MAX_CHUNK = 16384  # beyond this the exact parser is as fast (few, big arguments)


def _canonical(argv: list) -> bytes:
    """The canonical multibulk encoding of ``argv`` (TypeError unless all bytes)."""
    k = len(argv)
    if k == 3:
        a, b, c = argv
        return _C3 % (len(a), a, len(b), b, len(c), c)
    if k == 2:
        a, b = argv
        return _C2 % (len(a), a, len(b), b)
    if k == 1:
        a = argv[0]
        return _C1 % (len(a), a)
    if k == 4:
        a, b, c, d = argv
        return _C4 % (len(a), a, len(b), b, len(c), c, len(d), d)
    parts = [b"*%d\r\n" % k]
    for a in argv:
        parts.append(b"$%d\r\n%b\r\n" % (len(a), a))
    return b"".join(parts)


# -- one connection -----------------------------------------------------------------------------
_NULL = {2: b"$-1\r\n", 3: b"_\r\n"}


class RespConnection(asyncio.Protocol):
    """One client connection: query buffer, reply buffer, its engine ``Client``."""

    def __init__(self, server: _Server):
        self.server = server
        self.engine = server.engine
        self.transport: asyncio.Transport | None = None
        self.client = None
        self.buf: bytes | bytearray = b""
        self.pos = 0
        self.need = 0
        self.out: list[bytes] = []
        self.processing = False
        self.after: list[bytes] = []
        self.closing = False
        self.postponed: list[bytes] | None = None
        self.resume_scheduled = False
        self.paused_writing = False
        self.reader = None  # hiredis Reader, only kept while it holds no data

    # asyncio callbacks -----------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        e = self.engine
        peer = transport.get_extra_info("peername") or ("?", 0)
        local = transport.get_extra_info("sockname") or ("?", 0)
        if e.config.protected_mode and not e.config.requirepass and peer[0] not in _LOOPBACK:
            transport.write(b"-%b\r\n" % errors.DENIED_PROTECTED_MODE.encode())
            transport.close()
            self.closing = True
            return
        with contextlib.suppress(OSError, AttributeError):
            transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP,
                                                          socket.TCP_NODELAY, 1)
        c = e.client()
        c.addr = _fmt_addr(peer)
        c.laddr = _fmt_addr(local)
        c.deny_blocking = 0
        c.push_sink = self._push
        c.reply_sink = self._deferred_reply
        c.kill_hook = self._kill
        self.client = c
        self.server.connections.add(self)

    def connection_lost(self, exc) -> None:
        self.closing = True
        self.server.connections.discard(self)
        c = self.client
        if c is not None:
            c.push_sink = c.reply_sink = c.kill_hook = None
            c.close()
            self.client = None

    def pause_writing(self) -> None:
        # the peer does not read its replies: stop reading its requests until it does
        self.paused_writing = True
        with contextlib.suppress(Exception):
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.paused_writing = False
        with contextlib.suppress(Exception):
            self.transport.resume_reading()
        self._schedule_resume()

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        buf = self.buf
        if buf:
            if type(buf) is bytes:
                buf = self.buf = bytearray(buf)
            buf += data
            if len(buf) < self.need:
                return
        else:
            self.buf = data
            self.pos = 0
        self._process()

    # the command loop ------------------------------------------------------------------
    def _process(self) -> None:
        c = self.client
        if c is None or self.closing:
            return
        e = self.engine
        buf = self.buf
        pos = self.pos
        n = len(buf)
        out = self.out
        append = out.append
        process = e.process_command
        self.need = 0
        self.processing = True
        reader = self.reader
        fast = _HiredisReader is not None
        if fast and reader is None:
            reader = _HiredisReader()
        gets = startswith = None
        argv = self.postponed
        try:
            if argv is not None:
                if not self._run(argv):
                    return
                self.postponed = None
            while pos < n:
                if c.bstate is not None or self.closing or self.paused_writing:
                    break
                if fast:
                    # hiredis parses; the request is taken only if its canonical encoding
                    # is exactly the bytes at ``pos`` (see _CANON)
                    if gets is None:
                        if n - pos > _HIREDIS_MAX_CHUNK or \
                                b"*0000" in buf[pos:].translate(_AGG_DIGITS):
                            fast = False
                            self.reader = reader = None
                            continue
                        reader.feed(buf, pos)
                        gets = reader.gets
                        startswith = buf.startswith
                    try:
                        argv = gets()
                        if type(argv) is not list:
                            enc = None
                        else:
                            k = len(argv)
                            if k == 3:
                                a0, a1, a2 = argv
                                enc = _C3 % (len(a0), a0, len(a1), a1, len(a2), a2)
                            elif k == 2:
                                a0, a1 = argv
                                enc = _C2 % (len(a0), a0, len(a1), a1)
                            else:
                                enc = _canonical(argv) if k else None
                    except Exception:  # hiredis.ProtocolError, TypeError: not canonical
                        enc = None
                    if enc is None or not startswith(enc, pos):
                        fast = False
                        self.reader = reader = None
                        continue
                    size = len(enc)
                    if (size > 16384 or k > 10) and (
                            not c.authenticated or size > _MIN_MAX_BULK):
                        # possibly beyond a limit: the exact parser decides
                        fast = False
                        self.reader = reader = None
                        continue
                    pos += size
                    if e.client_pause is not None or c.multi is not None:
                        if not self._run(argv):
                            break
                        continue
                    # _run's common case, inline
                    reply = process(c, argv)
                    if reply is BLOCKED:
                        c.bstate.argv = argv
                        self._reply(reply)
                        break
                    if e.ready_keys or c.reply_flags or self.after:
                        if not self._reply(reply):
                            break
                        continue
                    t = type(reply)
                    if t is bytes:
                        append(b"$%d\r\n%b\r\n" % (len(reply), reply))
                    elif t is int:
                        append(b":%d\r\n" % reply)
                    elif reply is OK and c.cmd_name != "quit":
                        append(b"+OK\r\n")
                    elif reply is None:
                        append(_NULL[c.resp])
                    elif not self._reply(reply):
                        break
                    continue
                try:
                    argv, nxt = parse_request(buf, pos, c.authenticated,
                                               e.config.proto_max_bulk_len)
                except ProtocolError as exc:
                    append(b"-ERR Protocol error: %b\r\n" % str(exc).encode("latin-1"))
                    self.closing = True
                    pos = n
                    break
                if argv is None:
                    self.need = nxt - pos
                    break
                pos = nxt
                if not argv:
                    continue
                if type(buf) is not bytes:
                    argv = [bytes(a) for a in argv]
                self.pos = pos
                if not self._run(argv):
                    break
        except Exception as exc:  # an engine bug: report it, drop this client only
            self.server.internal_errors.append((argv, exc))
            append(b"-ERR lab internal error: %b\r\n"
                   % repr(exc).replace("\r", " ").replace("\n", " ").encode())
            self.closing = True
            fast = False
        finally:
            self.processing = False
            if pos >= n:
                # keep the hiredis reader only if it consumed exactly what was fed
                self.reader = reader if fast else None
                self.buf = b""
                self.need = 0
            else:
                self.reader = None
                if pos:
                    if type(buf) is bytes:
                        self.buf = buf[pos:]
                    else:
                        del buf[:pos]
                    self.need = max(0, self.need)
            self.pos = 0
            if e.blocked_clients:
                handle_blocked_timeouts(e)
            e.before_sleep()
            if out:
                data = b"".join(out) if len(out) > 1 else out[0]
                out.clear()
                if self.transport is not None:
                    self.transport.write(data)
            if self.closing and self.transport is not None:
                self.transport.close()

    def _run(self, argv: list[bytes]) -> bool:
        """Run one command; False when the connection must stop reading requests
        (blocked, postponed by CLIENT PAUSE, closing)."""
        c = self.client
        e = self.engine
        if e.client_pause is not None and self._postpone(argv):
            return False
        if c.multi is None:
            reply = e.process_command(c, argv)
            if reply is BLOCKED:
                c.bstate.argv = argv
        else:
            reply = c._execute_in_multi(argv)
        return self._reply(reply)

    def _reply(self, reply) -> bool:
        """After a command: serve clients blocked on keys it made ready, queue its reply
        (CLIENT REPLY OFF/SKIP), then any MONITOR line about it; False as in ``_run``."""
        c = self.client
        e = self.engine
        if e.ready_keys:
            e.handle_clients_blocked_on_keys()
        if reply is BLOCKED:
            return False
        if c.reply_flags:
            rf = c.reply_flags
            if not rf & (REPLY_OFF | REPLY_SKIP):
                self._encode(reply)
            rf &= ~REPLY_SKIP
            if rf & REPLY_SKIP_NEXT:
                rf = (rf | REPLY_SKIP) & ~REPLY_SKIP_NEXT
            c.reply_flags = rf
        else:
            self._encode(reply)
        if self.after:
            self.out.extend(self.after)
            self.after.clear()
        if c.cmd_name == "quit" and reply is OK:
            self.closing = True
            return False
        return not self.closing

    def _encode(self, reply) -> None:
        t = type(reply)
        if t is bytes:
            self.out.append(b"$%d\r\n%b\r\n" % (len(reply), reply))
        elif reply is OK:
            self.out.append(b"+OK\r\n")
        elif t is int:
            self.out.append(b":%d\r\n" % reply)
        elif reply is None:
            self.out.append(_NULL[self.client.resp])
        elif reply is NO_REPLY:
            pass
        else:
            self.out.append(encode_resp(reply, self.client.resp))

    def _postpone(self, argv: list[bytes]) -> bool:
        """CLIENT PAUSE: hold this command (it runs when the pause ends)."""
        c = self.client
        e = self.engine
        check_pause_expiry(e)
        p = e.client_pause
        if p is None:
            return False
        spec = lookup_command(argv)
        if spec is None:
            return False
        arity = spec.arity
        if (arity > 0 and len(argv) != arity) or len(argv) < -arity:
            return False
        if not c.authenticated and spec.name not in ("auth", "hello", "quit", "reset"):
            return False
        if not should_postpone(e, c, spec):
            return False
        self.postponed = argv
        p.postponed[c] = self._schedule_resume
        return True

    def _flush(self) -> None:
        out = self.out
        if out:
            data = b"".join(out) if len(out) > 1 else out[0]
            out.clear()
            if self.transport is not None:
                self.transport.write(data)
        if self.closing and self.transport is not None:
            self.transport.close()

    # hooks called by the engine ----------------------------------------------------------
    def _push(self, reply) -> None:
        """A pub/sub message or MONITOR line for this client."""
        c = self.client
        if c is None or self.closing:
            return
        if c.reply_flags & (REPLY_OFF | REPLY_SKIP):
            return
        data = encode_resp(reply, c.resp)
        if self.processing:
            # a MONITOR line about this client's own command follows that command's reply
            if type(reply) is Status and c.ctx_flags & CTX_MONITOR:
                self.after.append(data)
            else:
                self.out.append(data)
        else:
            self.transport.write(data)

    def _deferred_reply(self, reply) -> None:
        """The reply of this client's blocked command (served, timed out, unblocked)."""
        if self.closing or self.client is None:
            return
        self._encode(reply)
        if not self.processing:
            self._flush()
        self._schedule_resume()

    def _schedule_resume(self) -> None:
        """Process the requests that waited in the buffer (``processUnblockedClients``)."""
        if not self.resume_scheduled and not self.closing:
            self.resume_scheduled = True
            self.server.loop.call_soon(self._resume)

    def _resume(self) -> None:
        self.resume_scheduled = False
        if self.client is not None and not self.closing and self.client.bstate is None:
            self._process()

    def _kill(self, is_caller: bool) -> None:
        """CLIENT KILL: close now, or after the current reply when killing oneself."""
        self.closing = True
        if not is_caller and not self.processing and self.transport is not None:
            self._flush()


def _fmt_addr(a) -> str:
    if isinstance(a, tuple) and len(a) >= 2:
        host = a[0]
        return f"{host}:{a[1]}"
    return f"{a}:0"


# -- the server ----------------------------------------------------------------------------------
class _Server:
    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop):
        self.engine = engine
        self.loop = loop
        self.connections: set[RespConnection] = set()
        self.internal_errors: list = []  # (argv, exception) of commands that crashed
        self.aserver: asyncio.base_events.Server | None = None
        self._timer: asyncio.TimerHandle | None = None

    def protocol(self) -> RespConnection:
        return RespConnection(self)

    async def start(self, host: str, port: int) -> int:
        self.aserver = await self.loop.create_server(self.protocol, host, port, backlog=4096,
                                                     reuse_address=True)
        self._tick()
        return self.aserver.sockets[0].getsockname()[1]

    def _tick(self) -> None:
        """serverCron at hz, blocked-client timeouts, the end of a CLIENT PAUSE."""
        e = self.engine
        try:
            e.run_cron_if_due()
            if e.blocked_clients:
                handle_blocked_timeouts(e)
            if e.client_pause is not None:
                check_pause_expiry(e)
        finally:
            self._timer = self.loop.call_later(e.cron_period_ms / 1000.0, self._tick)

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.aserver is not None:
            self.aserver.close()
        for conn in list(self.connections):
            if conn.transport is not None:
                conn.transport.close()
        if self.aserver is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.aserver.wait_closed(), 2)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop when installed (``LAB_ASYNCIO_LOOP=1`` forces asyncio's own loop)."""
    if uvloop is not None and not os.environ.get("LAB_ASYNCIO_LOOP"):
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


class ServerHandle:
    """A RESP server running in a background thread (``lab.serve``)."""

    def __init__(self, engine: Engine, host: str, port: int):
        self.engine = engine
        self.host = host
        self.port = 0
        self._requested_port = port
        self.loop = new_event_loop()
        self._server = _Server(engine, self.loop)
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"lab-resp-{port}", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.port = self.loop.run_until_complete(
                self._server.start(self.host, self._requested_port))
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._started.set()
            self.loop.close()
            return
        self._started.set()
        try:
            self.loop.run_forever()
        finally:
            with contextlib.suppress(Exception):
                self.loop.run_until_complete(self._server.close())
            self.loop.close()

    @property
    def internal_errors(self) -> list:
        """(argv, exception) of every command that raised inside the engine (a bug)."""
        return self._server.internal_errors

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}"

    def call(self, fn, *args: Any) -> Any:
        """Run ``fn(*args)`` on the server's loop thread (safe engine access); its result."""
        fut = asyncio.run_coroutine_threadsafe(_acall(fn, *args), self.loop)
        return fut.result(30)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<lab.ServerHandle {self.host}:{self.port}>"


async def _acall(fn, *args):
    return fn(*args)


def serve(engine: Engine | None = None, port: int = 0, host: str = "127.0.0.1",
          requirepass: str | None = None) -> ServerHandle:
    """Serve ``engine`` (a new wall-clock ``Engine`` if None) over RESP on ``host:port``
    (port 0 = a free port) from a background thread.

    >>> with serve() as srv:
    ...     import redis
    ...     redis.Redis(port=srv.port).ping()
    True
    """
    if engine is None:
        engine = Engine(clock=WallClock())
    if requirepass is not None:
        engine.config.requirepass = requirepass
    return ServerHandle(engine, host, port)


def run_forever(engine: Engine, host: str, port: int) -> None:
    """Serve in the foreground until interrupted (``python -m lab serve``)."""
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    server = _Server(engine, loop)
    actual = loop.run_until_complete(server.start(host, port))
    print(f"lab: Redis 7.0.15 engine listening on {host}:{actual}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        loop.run_until_complete(server.close())
        loop.close()
