"""Differential testing: the same commands to a real redis-server and to the engine.

Replies are compared as the exact RESP bytes each side would put on the wire
(``RawConnection`` reads the real server's bytes; the engine's reply goes through
``encode_resp``), so types, error texts, and formatting of doubles all have to agree.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import closing

from lab.engine import Engine
from lab.engine.connection import to_bytes
from lab.engine.reply import encode_resp


def find_free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A real ``redis-server`` on a free loopback port, stopped by its own pid."""

    def __init__(self, binary: str, extra_args: tuple[str, ...] = ()):
        self.binary = binary
        self.port = find_free_port()
        self.dir = tempfile.mkdtemp(prefix="lab-redis-")
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", self.dir, "--daemonize", "no",
                "--enable-debug-command", "yes", "--logfile", os.path.join(self.dir, "log"),
                *extra_args]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                c = RawConnection("127.0.0.1", self.port)
                if c.command(b"PING") == b"+PONG\r\n":
                    c.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class RawConnection:
    """A minimal RESP client that returns each reply as the server's exact bytes."""

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.buf = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, *args) -> None:
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            b = to_bytes(a)
            parts.append(b"$%d\r\n%b\r\n" % (len(b), b))
        self.sock.sendall(b"".join(parts))

    def command(self, *args) -> bytes:
        self.send(*args)
        return self.read_reply()

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk

    def _line(self, pos: int) -> tuple[bytes, int]:
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return self.buf[pos:i], i + 2
            self._fill()

    def _skip(self, pos: int) -> int:
        """Index just past the reply starting at ``pos``."""
        line, nxt = self._line(pos)
        t = line[:1]
        if t in (b"+", b"-", b":", b"_", b",", b"#", b"("):
            return nxt
        if t in (b"$", b"=", b"!"):
            n = int(line[1:])
            if n < 0:
                return nxt
            while len(self.buf) < nxt + n + 2:
                self._fill()
            return nxt + n + 2
        if t in (b"*", b"~", b">", b"%", b"|"):
            n = int(line[1:])
            if n < 0:
                return nxt
            if t in (b"%", b"|"):
                n *= 2
            for _ in range(n):
                nxt = self._skip(nxt)
            return nxt
        raise ValueError(f"bad RESP type byte {line!r}")

    def read_reply(self) -> bytes:
        end = self._skip(0)
        out, self.buf = self.buf[:end], self.buf[end:]
        return out


def parse_resp(data: bytes):
    """Parse RESP bytes into Python values (for order-insensitive comparisons)."""

    def parse(pos):
        i = data.index(b"\r\n", pos)
        t, body, nxt = data[pos:pos + 1], data[pos + 1:i], i + 2
        if t in (b"+", b"-", b",", b"#", b"("):
            return (t + body), nxt
        if t == b":":
            return int(body), nxt
        if t == b"_":
            return None, nxt
        if t in (b"$", b"=", b"!"):
            n = int(body)
            if n < 0:
                return None, nxt
            return data[nxt:nxt + n], nxt + n + 2
        n = int(body)
        if n < 0:
            return None, nxt
        if t in (b"%", b"|"):
            n *= 2
        items = []
        for _ in range(n):
            v, nxt = parse(nxt)
            items.append(v)
        return items, nxt

    return parse(0)[0]


def _canon(v):
    """Order-insensitive canonical form: arrays become sorted tuples (recursively)."""
    if isinstance(v, list):
        return tuple(sorted((_canon(x) for x in v), key=repr))
    return v


class Differ:
    """Runs commands on both sides; ``check`` asserts byte-identical replies.

    In-process (default) the engine's reply goes through ``encode_resp``. With
    ``wire=True`` the engine is served by ``lab.serve`` on loopback and the commands
    travel as RESP through its request parser and reply writer, so the same tests prove
    the wire path byte for byte (tests that reach into ``engine``/``client`` directly
    are skipped in that mode)."""

    def __init__(self, server: RedisServer, resp: int = 2, wire: bool = False):
        self.server = server
        self.real = RawConnection("127.0.0.1", server.port)
        # a served engine runs on the wall clock, like a real server (blocking timeouts,
        # TTLs); in process, the virtual clock
        clock = None
        if wire:
            from lab.clock import WallClock

            clock = WallClock()
        self._engine = Engine(config={"enable-debug-command": "yes"}, clock=clock)
        self._client = None if wire else self._engine.default_client
        self.resp = resp
        self.wire = wire
        self._config_restore: dict[bytes, bytes] = {}
        self.real.command("FLUSHALL")
        self.real.command("SELECT", "0")
        self._handle = None
        self._lab = None
        if wire:
            import lab

            self._handle = lab.serve(self._engine)
            self._lab = RawConnection("127.0.0.1", self._handle.port)
        if resp == 3:
            self.real.command("HELLO", "3")
            if wire:
                self._lab.command("HELLO", "3")
            else:
                self._client.resp = 3

    @property
    def engine(self) -> Engine:
        if self.wire:
            import pytest

            pytest.skip("reaches into the engine: in-process mode only")
        return self._engine

    @property
    def client(self):
        if self.wire:
            import pytest

            pytest.skip("reaches into the engine client: in-process mode only")
        return self._client

    def both(self, *args) -> tuple[bytes, bytes]:
        argv = [to_bytes(a) for a in args]
        if argv and argv[0].lower() == b"config" and len(argv) >= 4 and argv[1].lower() == b"set":
            for i in range(2, len(argv) - 1, 2):
                name = argv[i].lower()
                if name not in self._config_restore:
                    got = parse_resp(self.real.command("CONFIG", "GET", name))
                    if got:
                        self._config_restore[name] = got[1]
        real = self.real.command(*argv)
        if self.wire:
            mine = self._lab.command(*argv)
        else:
            mine = encode_resp(self._client.execute(argv), self.resp)
        return real, mine

    def check(self, *args) -> bytes:
        """Assert both replies are byte-identical; return the reply."""
        real, mine = self.both(*args)
        assert mine == real, f"{args!r}:\n  redis:  {real!r}\n  engine: {mine!r}"
        return real

    def check_unordered(self, *args):
        """Same reply up to the order of array elements (hashtable-encoded collections)."""
        real, mine = self.both(*args)
        r, m = parse_resp(real), parse_resp(mine)
        assert _canon(m) == _canon(r), f"{args!r}:\n  redis:  {real!r}\n  engine: {mine!r}"
        return r

    def check_type(self, *args):
        """Same RESP type and, for arrays, the same length (random replies)."""
        real, mine = self.both(*args)
        assert real[:1] == mine[:1], f"{args!r}: {real!r} vs {mine!r}"
        r, m = parse_resp(real), parse_resp(mine)
        if isinstance(r, list):
            assert isinstance(m, list) and len(r) == len(m), f"{args!r}: {real!r} vs {mine!r}"
        return r, m

    def run(self, commands, unordered: bool = False) -> None:
        for cmd in commands:
            if unordered:
                self.check_unordered(*cmd)
            else:
                self.check(*cmd)

    def close(self) -> None:
        for name, value in self._config_restore.items():
            self.real.command("CONFIG", "SET", name, value)
        self.real.command("FLUSHALL")
        self.real.close()
        if self._handle is not None:
            self._lab.close()
            self._handle.stop()
