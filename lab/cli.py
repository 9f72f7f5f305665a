"""redis-cli in Python: its line tokeniser and the text it prints for each reply.

Everything here was written from redis-cli 7.0.15's observed behaviour (its output was
compared byte for byte with ``tests/differential/test_cli_format.py``); no IPython import,
the magics live in ``lab/magic.py``.

* ``split_args(line)``: one input line -> argv (bytes), the way redis-cli splits what you
  type: whitespace-separated words, ``"..."`` with backslash escapes, ``'...'`` with only
  ``\\'``, a closing quote must be followed by whitespace. ``None`` = "Invalid argument(s)".
* ``format_reply(reply, argv, resp)``: the exact bytes ``redis-cli --no-raw`` prints for a
  reply value (the engine's types, ``lab/engine/reply.py``), RESP2 or RESP3.
* ``Session``: runs a script of lines like ``redis-cli`` reading them from its prompt
  (repeat counts, ``quit``), against an engine connection or a real server
  (``SocketTarget``, a raw RESP socket, so every RESP3 type arrives as itself).

>>> split_args('SET "a key" \\'it\\\\\\'s\\'')
[b'SET', b'a key', b"it's"]
>>> print(format_text([b"a", 1, None, [b"x y", Status("OK")]]), end="")
1) "a"
2) (integer) 1
3) (nil)
4) 1) "x y"
   2) OK
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from .engine.connection import Client
from .engine.errors import ReplyError
from .engine.reply import (
    NULL_ARRAY,
    HumanDouble,
    RSet,
    Status,
    Verbatim,
    format_double,
    to_resp2_value,
)
from .engine.server import Engine

__all__ = [
    "CLI_BUILTINS",
    "INVALID_ARGUMENTS",
    "INVALID_REPEAT",
    "BigNumber",
    "EngineTarget",
    "MapPairs",
    "Session",
    "SocketTarget",
    "format_raw",
    "format_reply",
    "format_text",
    "format_tty",
    "parse_line",
    "raw_output_command",
    "read_resp",
    "repr_bytes",
    "split_args",
]

INVALID_ARGUMENTS = "Invalid argument(s)"
INVALID_REPEAT = "Invalid redis-cli repeat command option value."


# --- the tokeniser ---------------------------------------------------------------------

# between words every C isspace() character is skipped; an unquoted word ends only at
# space, tab, CR or LF (a vertical tab or form feed inside a word belongs to the word)
_SKIP = b" \t\n\r\v\f"
_WORD_END = b" \t\n\r"
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("a"): 7}
_HEX = b"0123456789abcdefABCDEF"


def split_args(line: str | bytes) -> list[bytes] | None:
    """Split one line into arguments as redis-cli does; ``None`` if the quoting is bad.

    >>> split_args('set "x\\\\ty" 1')
    [b'set', b'x\\ty', b'1']
    >>> split_args('get "a"b') is None, split_args('get "open') is None
    (True, True)
    >>> split_args("   ")
    []
    """
    s = line.encode() if isinstance(line, str) else bytes(line)
    nul = s.find(b"\0")  # the C string ends there
    if nul >= 0:
        s = s[:nul]
    n = len(s)
    i = 0
    out: list[bytes] = []
    while True:
        while i < n and s[i] in _SKIP:
            i += 1
        if i >= n:
            return out
        word = bytearray()
        quote = 0  # 0: unquoted, 1: inside "...", 2: inside '...'
        while True:
            if quote == 1:
                if i >= n:
                    return None  # unterminated quotes
                c = s[i]
                if (c == 0x5C and i + 3 < n and s[i + 1] == 0x78  # \xHH
                        and s[i + 2] in _HEX and s[i + 3] in _HEX):
                    word.append(int(s[i + 2:i + 4], 16))
                    i += 4
                    continue
                if c == 0x5C and i + 1 < n:
                    e = s[i + 1]
                    word.append(_ESCAPES.get(e, e))
                    i += 2
                    continue
                if c == 0x22:
                    i += 1
                    if i < n and s[i] not in _SKIP:
                        return None  # closing quote must be followed by a space
                    break
                word.append(c)
                i += 1
            elif quote == 2:
                if i >= n:
                    return None
                c = s[i]
                if c == 0x5C and i + 1 < n and s[i + 1] == 0x27:
                    word.append(0x27)
                    i += 2
                    continue
                if c == 0x27:
                    i += 1
                    if i < n and s[i] not in _SKIP:
                        return None
                    break
                word.append(c)
                i += 1
            else:
                if i >= n:
                    break
                c = s[i]
                if c in _WORD_END:
                    break
                if c == 0x22:
                    quote = 1
                elif c == 0x27:
                    quote = 2
                else:
                    word.append(c)
                i += 1
        out.append(bytes(word))


# what redis-cli's prompt handles itself instead of sending it (not reproduced here)
CLI_BUILTINS = frozenset({b"help", b"?", b"clear", b"connect", b":set"})

_REPEAT = re.compile(rb"[ \t\n\r\v\f]*[+-]?[0-9]+")
_LONG_MAX = (1 << 63) - 1


def parse_line(line: str | bytes) -> tuple[int, list[bytes]] | str:
    """One prompt line -> ``(repeat, argv)``, or the message redis-cli prints instead.

    A first word that is a whole number repeats the rest of the line (``3 INCR n``).
    An empty line gives ``(0, [])``.

    >>> parse_line("3 incr n"), parse_line("0 ping"), parse_line("")
    ((3, [b'incr', b'n']), 'Invalid redis-cli repeat command option value.', (0, []))
    """
    argv = split_args(line)
    if argv is None:
        return INVALID_ARGUMENTS
    if not argv:
        return 0, []
    if len(argv) > 1 and _REPEAT.fullmatch(argv[0]):
        n = int(argv[0])
        if n <= 0 or n > _LONG_MAX:
            return INVALID_REPEAT
        return n, argv[1:]
    return 1, argv


# --- the formatter ---------------------------------------------------------------------


class BigNumber(str):
    """A RESP3 big number (``(``); the engine never sends one, a real server may."""

    __slots__ = ()


class MapPairs(list):
    """A RESP3 map kept as ``[(key, value), ...]`` (when a key is not hashable)."""

    __slots__ = ()


def repr_bytes(b: bytes) -> bytes:
    """A string reply as redis-cli shows it: quoted, with C-style escapes.

    >>> repr_bytes(b'say "hi"\\n\\x00\\xe9')
    b'"say \\\\"hi\\\\"\\\\n\\\\x00\\\\xe9"'
    """
    out = bytearray(b'"')
    for c in b:
        if c == 0x5C:
            out += b"\\\\"
        elif c == 0x22:
            out += b'\\"'
        elif c == 10:
            out += b"\\n"
        elif c == 13:
            out += b"\\r"
        elif c == 9:
            out += b"\\t"
        elif c == 7:
            out += b"\\a"
        elif c == 8:
            out += b"\\b"
        elif 0x20 <= c < 0x7F:
            out.append(c)
        else:
            out += b"\\x%02x" % c
    out += b'"'
    return bytes(out)


def _text(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _error_text(r) -> bytes:
    msg = r.message if isinstance(r, ReplyError) else str(r)
    return _text(msg)


def _is_map(r) -> bool:
    return type(r) is dict or type(r) is MapPairs


def _items(r):
    return r.items() if type(r) is dict else r


def _scalar_tty(r) -> bytes | None:
    t = type(r)
    if t is bytes:
        return repr_bytes(r)
    if t is Status:
        return _text(r)
    if t is bool:
        return b"(true)" if r else b"(false)"
    if t is int:
        return b"(integer) %d" % r
    if r is None or r is NULL_ARRAY:
        return b"(nil)"
    if isinstance(r, ReplyError):
        return b"(error) " + _error_text(r)
    if t is float:
        return b"(double) " + format_double(r)
    if t is HumanDouble:
        return b"(double) " + bytes(r)
    if t is Verbatim:
        return bytes(r)
    if t is BigNumber:
        return b"(big number) " + _text(r)
    if t is str:  # a plain str is treated as a simple string
        return _text(r)
    return None


def _spans_lines(r) -> bool:
    """Whether an aggregate prints as several numbered lines. Newlines inside a string
    (a verbatim reply) don't count: redis-cli keeps such a map value on the key's line."""
    while True:
        if _is_map(r):
            if len(r) != 1:
                return len(r) > 1
            r = next(iter(_items(r)))[1]
        elif isinstance(r, (list, tuple)) and r is not NULL_ARRAY:
            if len(r) != 1:
                return len(r) > 1
            r = r[0]
        else:
            return False


def _tty(r, prefix: bytes) -> bytes:
    """The text of one reply, without the final newline; later lines start with
    ``prefix`` (the indentation of the enclosing element)."""
    s = _scalar_tty(r)
    if s is not None:
        return s
    if _is_map(r):
        mark, empty = b"#", b"(empty hash)"
    elif type(r) is RSet:
        mark, empty = b"~", b"(empty set)"
    elif isinstance(r, (list, tuple)):
        mark, empty = b")", b"(empty array)"
    else:
        raise TypeError(f"not a reply value: {r!r}")
    if not r:
        return empty
    width = len(str(len(r)))
    child = prefix + b" " * (width + 2)
    lines = []
    if mark == b"#":
        for i, (k, v) in enumerate(_items(r)):
            value = _tty(v, child)
            if _spans_lines(v):  # a value of several elements starts on its own line
                value = b"\n" + child + value
            lines.append(b"%*d# %b => %b" % (width, i + 1, _tty(k, child), value))
    else:
        for i, x in enumerate(r):
            lines.append(b"%*d%b %b" % (width, i + 1, mark, _tty(x, child)))
    return (b"\n" + prefix).join(lines)


def format_tty(reply, resp: int = 2) -> bytes:
    """What ``redis-cli --no-raw`` prints for ``reply`` (newline included).

    ``resp=2`` first folds the RESP3-only types (maps, sets, doubles, booleans) into
    what a RESP2 connection receives, as the engine would send them.

    >>> format_tty({b"proto": 3, b"modules": []}, resp=3)
    b'1# "proto" => (integer) 3\\n2# "modules" => (empty array)\\n'
    >>> format_tty({b"proto": 3}, resp=2)
    b'1) "proto"\\n2) (integer) 3\\n'
    """
    if resp == 2:
        reply = _resp2(reply)
    return _tty(reply, b"") + b"\n"


def _resp2(r):
    t = type(r)
    if t is MapPairs:
        out = []
        for k, v in r:
            out.append(_resp2(k))
            out.append(_resp2(v))
        return out
    if t is dict or t is list or t is RSet:
        if t is dict:
            r = MapPairs(r.items())
            return _resp2(r)
        return [_resp2(x) for x in r]
    if t is BigNumber:
        return r
    return to_resp2_value(r)


def _raw(r) -> bytes:
    t = type(r)
    if t is bytes or t is Verbatim:
        return bytes(r)
    if t is Status or t is str or t is BigNumber:
        return _text(r)
    if t is bool:
        return b"(true)" if r else b"(false)"
    if t is int:
        return b"%d" % r
    if r is None or r is NULL_ARRAY:
        return b""
    if isinstance(r, ReplyError):
        return _error_text(r) + b"\n"
    if t is float:
        return format_double(r)
    if t is HumanDouble:
        return bytes(r)
    if _is_map(r):
        return b"\n".join(_raw(k) + b" " + _raw(v) for k, v in _items(r))
    if isinstance(r, (list, tuple)):
        return b"\n".join(_raw(x) for x in r)
    raise TypeError(f"not a reply value: {r!r}")


def format_raw(reply, resp: int = 2) -> bytes:
    """redis-cli's raw form (``--raw``, without the newline it adds after each reply);
    ``--no-raw`` uses it too for the commands in ``raw_output_command``.

    >>> format_raw([b"a", 1, None]), format_raw(ReplyError("ERR x"))
    (b'a\\n1\\n', b'ERR x\\n')
    """
    if resp == 2:
        reply = _resp2(reply)
    return _raw(reply)


def raw_output_command(argv: list[bytes]) -> bool:
    """The commands whose reply redis-cli prints raw even in its TTY mode (their text is
    meant for humans: INFO, CLIENT LIST, LOLWUT, MEMORY DOCTOR, ...).

    >>> raw_output_command([b"info", b"server"]), raw_output_command([b"CLUSTER", b"INFO", b"x"])
    (True, False)
    """
    if not argv:
        return False
    name = argv[0].lower()
    argc = len(argv)
    sub = argv[1].lower() if argc >= 2 else b""
    if name in (b"info", b"lolwut"):
        return True
    if name == b"debug":
        return sub in (b"htstats", b"htstats-key", b"client-eviction")
    if name == b"memory":
        return sub in (b"malloc-stats", b"doctor")
    if name == b"cluster":
        return argc == 2 and sub in (b"nodes", b"info")
    if name == b"client":
        return sub in (b"list", b"info")
    if name == b"latency":
        return (argc == 3 and sub == b"graph") or (argc == 2 and sub == b"doctor")
    if name == b"proxy":
        return sub == b"info"
    return False


def format_reply(reply, argv: list[bytes] | None = None, resp: int = 2) -> bytes:
    """The bytes ``redis-cli --no-raw`` writes after running ``argv`` and getting
    ``reply`` on a connection speaking ``resp``.

    >>> format_reply(ReplyError("ERR bad"), [b"get"])
    b'(error) ERR bad\\n'
    >>> format_reply(b"# Server\\r\\n", [b"INFO"])
    b'# Server\\r\\n'
    """
    if argv is not None and raw_output_command(argv):
        return format_raw(reply, resp)
    return format_tty(reply, resp)


def format_text(reply, argv: list[bytes] | None = None, resp: int = 2) -> str:
    """``format_reply`` as text (UTF-8, undecodable bytes replaced), for printing."""
    return format_reply(reply, argv, resp).decode("utf-8", "replace")


# --- RESP from a real server -----------------------------------------------------------


class _Reader:
    def __init__(self, recv: Callable[[], bytes]):
        self.recv = recv
        self.buf = b""
        self.pos = 0

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos:i]
                self.pos = i + 2
                return line
            self._more()

    def _take(self, n: int) -> bytes:
        while len(self.buf) < self.pos + n + 2:
            self._more()
        data = self.buf[self.pos:self.pos + n]
        self.pos += n + 2
        return data

    def _more(self) -> None:
        self.buf = self.buf[self.pos:]
        self.pos = 0
        chunk = self.recv()
        if not chunk:
            raise ConnectionError("Server closed the connection")
        self.buf += chunk

    def value(self):
        line = self._line()
        t, body = line[:1], line[1:]
        if t == b"+":
            return Status(body.decode("utf-8", "surrogateescape"))
        if t == b"-":
            return ReplyError(body.decode("utf-8", "surrogateescape"))
        if t == b":":
            return int(body)
        if t == b"$":
            n = int(body)
            return None if n < 0 else self._take(n)
        if t == b"*" or t == b"~" or t == b">":
            n = int(body)
            if n < 0:
                return NULL_ARRAY
            items = [self.value() for _ in range(n)]
            return RSet(items) if t == b"~" else items
        if t == b"%" or t == b"|":
            pairs = [(self.value(), self.value()) for _ in range(int(body))]
            if t == b"|":  # attributes decorate the reply that follows
                return self.value()
            try:
                d = dict(pairs)
            except TypeError:
                return MapPairs(pairs)
            return d if len(d) == len(pairs) else MapPairs(pairs)
        if t == b"_":
            return None
        if t == b",":
            return float(body)
        if t == b"#":
            return body == b"t"
        if t == b"=":
            data = self._take(int(body))
            return Verbatim(data[4:])
        if t == b"!":
            return ReplyError(self._take(int(body)).decode("utf-8", "surrogateescape"))
        if t == b"(":
            return BigNumber(body.decode())
        raise ValueError(f"bad RESP type byte in {line!r}")


def read_resp(data: bytes):
    """Parse one complete RESP2/RESP3 reply into the engine's reply value types.

    >>> read_resp(b"%1\\r\\n+a\\r\\n,1.5\\r\\n")
    {'a': 1.5}
    >>> read_resp(b"*2\\r\\n$1\\r\\nx\\r\\n_\\r\\n")
    [b'x', None]
    """
    r = _Reader(lambda: b"")
    r.buf = data
    return r.value()


def _encode_command(argv: Iterable[bytes]) -> bytes:
    argv = list(argv)
    parts = [b"*%d\r\n" % len(argv)]
    for a in argv:
        parts.append(b"$%d\r\n%b\r\n" % (len(a), a))
    return b"".join(parts)


# --- targets and the session -------------------------------------------------------------


class EngineTarget:
    """An engine connection: a fresh one per session (closed at the end), or a given
    ``Client`` used as is (it keeps its state between sessions)."""

    def __init__(self, engine_or_client: Engine | Client, resp: int | None = None,
                 db: int | None = None):
        self.source = engine_or_client
        self.resp = resp
        self.db = db
        self.conn: Client | None = None
        self.owned = False

    def describe(self) -> str:
        return "engine"

    def open(self) -> list[bytes]:
        """Connect; the lines redis-cli would print while connecting (none here)."""
        notes: list[bytes] = []
        if isinstance(self.source, Client):
            self.conn = self.source
        else:
            self.conn = self.source.client()
            self.owned = True
        if self.resp is not None:  # what a successful HELLO 2/3 would switch
            self.conn.resp = self.resp
        if self.db is not None:
            r = self.conn.execute([b"SELECT", b"%d" % self.db])
            if isinstance(r, ReplyError):
                notes.append(b"SELECT %d failed: %b\n" % (self.db, _error_text(r)))
        return notes

    def execute(self, argv: list[bytes]) -> tuple[Any, int]:
        assert self.conn is not None
        reply = self.conn.execute(argv)
        return reply, self.conn.resp

    def close(self) -> None:
        if self.owned and self.conn is not None:
            self.conn.close()
        self.conn = None
        self.owned = False


class SocketTarget:
    """A real server over a plain RESP socket (TCP or unix), read as exact RESP types."""

    def __init__(self, host: str = "127.0.0.1", port: int = 6379, *, path: str | None = None,
                 username: str | None = None, password: str | None = None,
                 resp: int | None = None, db: int | None = None, timeout: float = 30.0):
        self.host = host
        self.port = port
        self.path = path
        self.username = username
        self.password = password
        self.resp = resp
        self.db = db
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.reader: _Reader | None = None

    @classmethod
    def from_url(cls, url: str, resp: int | None = None, db: int | None = None) -> SocketTarget:
        """``redis://[[user]:password@]host[:port][/db]`` or ``unix:///path[?db=N]``."""
        u = urlsplit(url)
        if u.scheme not in ("redis", "unix"):
            raise ValueError(f"unsupported URL scheme {u.scheme!r} (redis:// or unix://)")
        url_db = None
        if u.scheme == "unix":
            for part in u.query.split("&"):
                if part.startswith("db="):
                    url_db = int(part[3:])
            path = unquote(u.path)
            host, port = "localhost", 0
        else:
            path = None
            host = u.hostname or "127.0.0.1"
            port = u.port or 6379
            if u.path.strip("/"):
                url_db = int(u.path.strip("/"))
        return cls(host, port, path=path,
                   username=unquote(u.username) if u.username else None,
                   password=unquote(u.password) if u.password else None,
                   resp=resp, db=db if db is not None else url_db)

    def describe(self) -> str:
        return self.path if self.path else f"{self.host}:{self.port}"

    def open(self) -> list[bytes]:
        try:
            if self.path:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(self.timeout)
                s.connect(self.path)
            else:
                s = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ConnectionError(
                f"Could not connect to Redis at {self.describe()}: {reason}") from None
        self.sock = s
        self.reader = _Reader(lambda: s.recv(1 << 16))
        notes: list[bytes] = []
        if self.password is not None:
            auth = [b"AUTH"] + ([self.username.encode()] if self.username else [])
            r = self._call([*auth, self.password.encode()])
            if isinstance(r, ReplyError):
                notes.append(b"AUTH failed: %b\n" % _error_text(r))
        if self.resp == 3:
            self._call([b"HELLO", b"3"])
        if self.db is not None:
            r = self._call([b"SELECT", b"%d" % self.db])
            if isinstance(r, ReplyError):
                notes.append(b"SELECT %d failed: %b\n" % (self.db, _error_text(r)))
        return notes

    def _call(self, argv: list[bytes]):
        assert self.sock is not None and self.reader is not None
        self.sock.sendall(_encode_command(argv))
        return self.reader.value()

    def execute(self, argv: list[bytes]) -> tuple[Any, int]:
        # the parsed value carries its own RESP3 types; resp=3 keeps them as they came
        return self._call(argv), 3

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.reader = None


class Session:
    """Runs lines the way redis-cli runs what is typed at its prompt (or piped into it):
    one command per line, each reply printed as soon as it arrives, an error reply
    printed as ``(error) ...`` and the next line run anyway, ``N cmd`` repeats a command,
    ``quit``/``exit`` end the session, empty lines are skipped.

    ``write`` receives the bytes redis-cli would write to its stdout.
    """

    def __init__(self, target: EngineTarget | SocketTarget, write: Callable[[bytes], Any]):
        self.target = target
        self.write = write

    def run(self, script: str | bytes) -> None:
        if isinstance(script, str):
            script = script.encode("utf-8", "surrogateescape")
        try:
            notes = self.target.open()
        except ConnectionError as exc:
            self.write(_text(str(exc)) + b"\n")
            return
        try:
            for note in notes:
                self.write(note)
            for line in script.split(b"\n"):
                if not self.run_line(line):
                    break
        finally:
            self.target.close()

    def run_line(self, line: bytes) -> bool:
        """Run one line; False when the session ends (``quit`` / ``exit``)."""
        parsed = parse_line(line)
        if isinstance(parsed, str):
            self.write(parsed.encode() + b"\n")
            return True
        repeat, argv = parsed
        if not argv:
            return True
        name = argv[0].lower()
        if repeat == 1 and name in (b"quit", b"exit"):  # with a count they are sent
            return False
        if name in CLI_BUILTINS:
            self.write(b"(lab) '%b' is redis-cli's own command; %%redis does not run it\n"
                       % argv[0])
            return True
        for _ in range(repeat):
            try:
                reply, resp = self.target.execute(argv)
            except (ConnectionError, OSError) as exc:
                self.write(b"Error: " + _text(str(exc)) + b"\n")
                return False
            self.write(format_reply(reply, argv, resp))
        return True
