"""The RESP server (lab/resp_server.py) driven by real clients: redis-py (RESP2 and RESP3),
raw sockets (inline commands, pipelining, protocol errors, half frames), redis-cli
(normal and --pipe), redis-benchmark; blocking, pub/sub, MONITOR, CLIENT KILL/PAUSE/REPLY,
1,000 concurrent connections. Every server binds 127.0.0.1 and is stopped by its handle."""

from __future__ import annotations

import resource
import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis

import lab
from lab.clock import WallClock
from lab.engine import Engine
from lab.resp_server import RespConnection, _Server, parse_request, split_args
from tests.differential.harness import RawConnection


@pytest.fixture
def srv():
    handle = lab.serve(Engine(clock=WallClock()))
    yield handle
    handle.stop()


def raw(srv) -> RawConnection:
    return RawConnection("127.0.0.1", srv.port)


def exchange(srv, data: bytes, wait: float = 0.3) -> bytes:
    """Send bytes, collect everything the server writes until it is quiet or closes."""
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.settimeout(wait)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                out += b"<EOF>"
                break
            out += chunk
    except TimeoutError:
        pass
    s.close()
    return out


# -- redis-py ----------------------------------------------------------------------------------
@pytest.mark.parametrize("protocol", [2, 3])
def test_redis_py(srv, protocol):
    r = redis.Redis(port=srv.port, protocol=protocol, decode_responses=True)
    assert r.ping()
    assert r.set("k", "v") and r.get("k") == "v"
    assert r.incr("n", 5) == 5
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert r.hgetall("h") == {"a": "1", "b": "2"}
    r.zadd("z", {"m": 1.5})
    assert r.zscore("z", "m") == 1.5
    with r.pipeline() as p:
        p.set("a", 1).incr("a").get("a")
        assert p.execute() == [True, 2, "2"]
    with r.pipeline(transaction=False) as p:
        for i in range(500):
            p.rpush("l", i)
        assert p.execute()[-1] == 500
    assert r.lrange("l", 0, 2) == ["0", "1", "2"]
    r.close()


def test_hello_switches_protocol(srv):
    c = raw(srv)
    assert c.command("HELLO", "3").startswith(b"%7\r\n")
    assert c.command("HGETALL", "nokey") == b"%0\r\n"
    assert c.command("GET", "nokey") == b"_\r\n"
    assert c.command("HELLO", "2").startswith(b"*14\r\n")
    assert c.command("GET", "nokey") == b"$-1\r\n"
    c.close()


# -- the request parser ----------------------------------------------------------------------
def test_inline_commands_and_quotes(srv):
    out = exchange(srv, b'SET "a key" "x\\x41\\n"\r\nGET "a key"\r\n  PING  \n\r\nECHO \'it\\\'s\'\r\n')
    assert out == b"+OK\r\n$3\r\nxA\n\r\n+PONG\r\n$4\r\nit's\r\n"


def test_split_args():
    assert split_args(b"") == []
    assert split_args(b'a "b c" d') == [b"a", b"b c", b"d"]
    assert split_args(b'"\\x4g"') == [b"x4g"]
    assert split_args(b'"a"b') is None
    assert split_args(b'"abc') is None
    assert split_args(b"'abc") is None
    assert split_args(b'x"y z"') == [b"xy z"]
    assert split_args(b'""') == [b""]


@pytest.mark.parametrize("data, reply", [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n<EOF>"),
    (b"*3\r\n$3\r\nset\r\n$x\r\n", b"-ERR Protocol error: invalid bulk length\r\n<EOF>"),
    (b"*1\r\n+foo\r\n", b"-ERR Protocol error: expected '$', got '+'\r\n<EOF>"),
    (b"*1\r\n\r\n", b"-ERR Protocol error: expected '$', got ' '\r\n<EOF>"),
    (b"*1\r\n$-1\r\n", b"-ERR Protocol error: invalid bulk length\r\n<EOF>"),
    (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n<EOF>"),
    (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n<EOF>"),
    (b'set a "b\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n<EOF>"),
    (b"A" * 70000, b"-ERR Protocol error: too big inline request\r\n<EOF>"),
    (b"*1\r\n$" + b"1" * 70000, b"-ERR Protocol error: too big bulk count string\r\n<EOF>"),
    (b"*" + b"1" * 70000, b"-ERR Protocol error: too big mbulk count string\r\n<EOF>"),
    (b"PING\r\n*x\r\nPING\r\n", b"+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n<EOF>"),
    (b"*-1\r\nPING\r\n*0\r\nPING\r\n", b"+PONG\r\n+PONG\r\n"),
    (b"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", b"+PONG\r\n+PONG\r\n"),  # CRLF not checked
    (b"PI\x00NG\r\n", b""),  # strchr stops at the NUL: no line yet
])
def test_protocol_errors(srv, data, reply):
    assert exchange(srv, data) == reply


def test_unauthenticated_lengths():
    with lab.serve(Engine(clock=WallClock()), requirepass="pw") as s:
        assert exchange(s, b"*11\r\n") == b"-ERR Protocol error: unauthenticated multibulk length\r\n<EOF>"
        assert exchange(s, b"*2\r\n$16385\r\n") == \
            b"-ERR Protocol error: unauthenticated bulk length\r\n<EOF>"
        assert exchange(s, b"GET x\r\n") == b"-NOAUTH Authentication required.\r\n"
        assert exchange(s, b"AUTH pw\r\n*11\r\n") == b"+OK\r\n"


def test_half_frames_byte_by_byte(srv):
    s = socket.create_connection(("127.0.0.1", srv.port))
    data = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nGET k\r\n"
    for b in data:
        s.sendall(bytes([b]))
    s.settimeout(5)
    got = b""
    while len(got) < len(b"+OK\r\n$5\r\nhello\r\n"):
        got += s.recv(100)
    assert got == b"+OK\r\n$5\r\nhello\r\n"
    s.close()


def test_big_value_in_chunks(srv):
    c = raw(srv)
    big = b"x" * (3 << 20)
    c.sock.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%d\r\n" % len(big))
    for i in range(0, len(big), 65536):
        c.sock.sendall(big[i:i + 65536])
    c.sock.sendall(b"\r\n")
    assert c.read_reply() == b"+OK\r\n"
    assert c.command("STRLEN", "big") == b":%d\r\n" % len(big)
    c.close()


def test_deep_pipeline(srv):
    c = raw(srv)
    n = 20000
    c.sock.sendall(b"".join(b"*2\r\n$4\r\nINCR\r\n$3\r\nctr\r\n" for _ in range(n)))
    replies = [c.read_reply() for _ in range(n)]
    assert replies[0] == b":1\r\n" and replies[-1] == b":%d\r\n" % n
    c.close()


def test_parser_unit():
    assert parse_request(b"*1\r\n$4\r\nPING\r\n", 0, True, 1 << 29) == ([b"PING"], 14)
    assert parse_request(b"*1\r\n$4\r\nPI", 0, True, 1 << 29) == (None, 14)
    assert parse_request(b"*2\r\n", 0, True, 1 << 29) == (None, 0)


def test_vanishing_client_does_not_disturb_others(srv):
    r = redis.Redis(port=srv.port)
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc")  # half a command
        s.close()
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"BLPOP nothing 0\r\n")
        s.close()
    assert r.ping() and r.get("k") is None
    time.sleep(0.1)
    assert srv.call(lambda: srv.engine.blocked_clients) == 0
    r.close()


def test_protected_mode_denies_non_loopback_peers():
    e = Engine(clock=WallClock())

    class FakeTransport:
        def __init__(self):
            self.data, self.closed = b"", False

        def get_extra_info(self, name):
            return {"peername": ("10.1.2.3", 5555), "sockname": ("10.0.0.1", 6379)}.get(name)

        def write(self, d):
            self.data += d

        def close(self):
            self.closed = True

    t = FakeTransport()
    conn = RespConnection(_Server(e, None))
    conn.connection_made(t)
    assert t.closed and t.data.startswith(b"-DENIED Redis is running in protected mode because "
                                          b"protected mode is enabled and no password is set")
    assert t.data.endswith(b"accepting connections from the outside.\r\n")
    e.config.requirepass = "pw"
    t2 = FakeTransport()
    RespConnection(_Server(e, None)).connection_made(t2)
    assert not t2.closed


# -- real command-line clients ------------------------------------------------------------------
needs_cli = pytest.mark.skipif(shutil.which("redis-cli") is None, reason="redis-cli not installed")


@needs_cli
def test_redis_cli(srv):
    def cli(*args, stdin=None):
        return subprocess.run(["redis-cli", "-p", str(srv.port), *args], input=stdin, check=False,
                              capture_output=True, timeout=30).stdout
    assert cli("PING") == b"PONG\n"
    assert cli("SET", "a", "1") == b"OK\n"
    assert cli("INCR", "a") == b"2\n"
    assert cli("RPUSH", "l", "x", "y") == b"2\n"
    assert cli("LRANGE", "l", "0", "-1") == b"x\ny\n"
    assert cli("-3", "HGETALL", "nokey") == b"\n"
    cmds = b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$1\r\nv\r\n" % (len(b"k%d" % i), i)
                    for i in range(1000))
    out = cli("--pipe", stdin=cmds)
    assert b"errors: 0, replies: 1000" in out
    assert cli("DBSIZE") == b"1002\n"


@needs_cli
def test_redis_benchmark(srv):
    out = subprocess.run(["redis-benchmark", "-p", str(srv.port), "-q", "-n", "2000", "-t",
                          "set,get"], capture_output=True, timeout=120, text=True,
                         check=False).stdout
    assert "SET:" in out and "GET:" in out and "requests per second" in out


# -- blocking over the wire -------------------------------------------------------------------
def test_blpop_woken_by_lpush(srv):
    a, b = raw(srv), raw(srv)
    a.send("BLPOP", "q", "0")
    time.sleep(0.1)
    assert b.command("LPUSH", "q", "x") == b":1\r\n"
    assert a.read_reply() == b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n"
    a.close(), b.close()


def test_fifo_across_three_blocked_clients(srv):
    cs = [raw(srv) for _ in range(3)]
    for c in cs:
        c.send("BRPOP", "q", "0")
        time.sleep(0.05)
    p = raw(srv)
    assert p.command("RPUSH", "q", "1", "2", "3") == b":3\r\n"
    assert [c.read_reply() for c in cs] == [b"*2\r\n$1\r\nq\r\n$1\r\n%b\r\n" % v
                                            for v in (b"3", b"2", b"1")]


def test_blocking_timeouts(srv):
    c = raw(srv)
    t0 = time.monotonic()
    assert c.command("BLPOP", "none", "0.2") == b"*-1\r\n"
    assert c.command("BLMOVE", "none", "d", "LEFT", "LEFT", "0.1") == b"*-1\r\n"
    assert c.command("BZPOPMIN", "none", "0.1") == b"*-1\r\n"
    assert 0.35 <= time.monotonic() - t0 < 3
    c.command("HELLO", "3")
    assert c.command("BLPOP", "none", "0.05") == b"_\r\n"
    c.close()


def test_pipeline_after_a_blocking_command_waits(srv):
    a, b = raw(srv), raw(srv)
    a.sock.sendall(b"BLPOP q 0\r\nPING\r\n")
    time.sleep(0.1)
    b.command("RPUSH", "q", "v")
    assert a.read_reply() == b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n"
    assert a.read_reply() == b"+PONG\r\n"


def test_blmove_and_bzpopmin_over_the_wire(srv):
    a, z, p = raw(srv), raw(srv), raw(srv)
    a.send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
    z.send("BZPOPMIN", "zs", "5")
    time.sleep(0.1)
    p.command("RPUSH", "src", "a", "b")
    p.command("ZADD", "zs", "2", "two", "1", "one")
    assert a.read_reply() == b"$1\r\nb\r\n"
    assert z.read_reply() == b"*3\r\n$2\r\nzs\r\n$3\r\none\r\n$1\r\n1\r\n"
    assert p.command("LRANGE", "dst", "0", "-1") == b"*1\r\n$1\r\nb\r\n"


def test_multi_does_not_block(srv):
    c = raw(srv)
    c.sock.sendall(b"MULTI\r\nBLPOP q 0\r\nEXEC\r\n")
    assert [c.read_reply() for _ in range(3)] == [b"+OK\r\n", b"+QUEUED\r\n", b"*1\r\n*-1\r\n"]


# -- pub/sub, MONITOR, CLIENT ------------------------------------------------------------------
def test_pubsub_resp2_and_resp3(srv):
    s2, s3, p = raw(srv), raw(srv), raw(srv)
    assert s2.command("SUBSCRIBE", "ch") == b"*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
    s3.command("HELLO", "3")
    assert s3.command("PSUBSCRIBE", "c*") == b">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:1\r\n"
    assert p.command("PUBLISH", "ch", "hi") == b":2\r\n"
    assert s2.read_reply() == b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
    assert s3.read_reply() == b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n"
    assert s2.command("GET", "x").startswith(b"-ERR Can't execute 'get'")
    assert s2.command("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    assert s3.command("GET", "x") == b"_\r\n"
    assert p.command("PUBSUB", "NUMSUB", "ch") == b"*2\r\n$2\r\nch\r\n:1\r\n"


def test_redis_py_pubsub(srv):
    r = redis.Redis(port=srv.port, decode_responses=True)
    ps = r.pubsub()
    ps.subscribe("news")
    assert ps.get_message(timeout=2)["type"] == "subscribe"
    r.config_set("notify-keyspace-events", "E$")
    ps.psubscribe("__keyevent@0__:*")
    assert ps.get_message(timeout=2)["type"] == "psubscribe"
    assert r.publish("news", "x") == 1
    assert ps.get_message(timeout=2)["data"] == "x"
    r.set("k", "v")
    m = ps.get_message(timeout=2)
    assert m["channel"] == "__keyevent@0__:set" and m["data"] == "k"
    ps.close()
    r.close()


def test_monitor_lines(srv):
    m, c = raw(srv), raw(srv)
    assert m.command("MONITOR") == b"+OK\r\n"
    c.command("SET", "k", 'a "b"\n')
    c.command("SELECT", "2")
    c.command("CONFIG", "GET", "hz")
    c.command("AUTH", "x")
    line1, line2, line3 = m.read_reply(), m.read_reply(), m.read_reply()
    port = c.sock.getsockname()[1]
    assert line1.endswith(b' [0 127.0.0.1:%d] "SET" "k" "a \\"b\\"\\n"\r\n' % port)
    assert line2.endswith(b'[2 127.0.0.1:%d] "SELECT" "2"\r\n' % port)
    assert line3.endswith(b'[2 127.0.0.1:%d] "AUTH" "(redacted)"\r\n' % port)
    ts = float(line1[1:].split(b" ")[0])
    assert abs(ts - time.time()) < 60
    assert m.command("GET", "k") == b"-ERR Replica can't interact with the keyspace\r\n"


def test_client_kill(srv):
    a, b = raw(srv), raw(srv)
    aid = int(a.command("CLIENT", "ID")[1:-2])
    assert b.command("CLIENT", "KILL", "ID", str(aid)) == b":1\r\n"
    with pytest.raises((ConnectionError, OSError)):
        a.command("PING")
    assert b.command("CLIENT", "KILL", "1.2.3.4:5") == b"-ERR No such client\r\n"
    assert b.command("CLIENT", "KILL", "ID", "0") == b"-ERR client-id should be greater than 0\r\n"
    assert b.command("CLIENT", "KILL", "TYPE", "foo") == b"-ERR Unknown client type 'foo'\r\n"
    c = raw(srv)
    assert c.command("PING") == b"+PONG\r\n"  # accepted by the server
    addr = c.sock.getsockname()
    assert b.command("CLIENT", "KILL", f"{addr[0]}:{addr[1]}") == b"+OK\r\n"
    assert b.command("CLIENT", "KILL", "USER", "default", "SKIPME", "no") == b":1\r\n"
    with pytest.raises((ConnectionError, OSError)):
        b.command("PING")


def test_client_pause(srv):
    a, b = raw(srv), raw(srv)
    assert a.command("CLIENT", "PAUSE", "300", "WRITE") == b"+OK\r\n"
    t0 = time.monotonic()
    assert b.command("GET", "k") == b"$-1\r\n"  # reads go on
    assert b.command("SET", "k", "v") == b"+OK\r\n"  # the write waited for the pause
    assert time.monotonic() - t0 >= 0.2
    assert a.command("CLIENT", "PAUSE", "5000", "WRITE") == b"+OK\r\n"
    b.send("DEL", "k")
    time.sleep(0.1)
    assert a.command("CLIENT", "UNPAUSE") == b"+OK\r\n"  # not a write: runs at once
    assert b.read_reply() == b":1\r\n"
    t0 = time.monotonic()
    assert a.command("CLIENT", "PAUSE", "300") == b"+OK\r\n"  # ALL: even UNPAUSE waits
    assert b.command("CLIENT", "UNPAUSE") == b"+OK\r\n"
    assert time.monotonic() - t0 >= 0.25


def test_client_reply(srv):
    out = exchange(srv, b"CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING\r\n"
                        b"CLIENT REPLY SKIP\r\nPING\r\nPING\r\nCLIENT NO-EVICT on\r\n")
    assert out == b"+OK\r\n+PONG\r\n+PONG\r\n+OK\r\n"


def test_quit_closes(srv):
    assert exchange(srv, b"PING\r\nQUIT\r\nPING\r\n") == b"+PONG\r\n+OK\r\n<EOF>"


# -- load -------------------------------------------------------------------------------------------
def test_thousand_concurrent_connections(srv):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2600
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            pytest.skip(f"fd hard limit {hard} too low")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    n = 1000
    socks = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(n)]
    errors: list = []

    def worker(idx: int, chunk: list[socket.socket]) -> None:
        try:
            for j, s in enumerate(chunk):
                i = idx * len(chunk) + j
                s.settimeout(20)
                cmd = (b"*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$%d\r\nval:%d\r\n"
                       % (len(b"key:%d" % i), i, len(b"val:%d" % i), i)
                       + b"*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n"
                       + b"*2\r\n$3\r\nGET\r\n$%d\r\nkey:%d\r\n" % (len(b"key:%d" % i), i)
                       + b"*3\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n$%d\r\n%d\r\n" % (len(b"%d" % i), i))
                s.sendall(cmd)
            for j, s in enumerate(chunk):
                i = idx * len(chunk) + j
                want_prefix = b"+OK\r\n:"
                buf = b""
                while buf.count(b"\r\n") < 5:
                    buf += s.recv(4096)
                assert buf.startswith(want_prefix), buf
                parts = buf.split(b"\r\n")
                assert parts[2] == b"$%d" % len(b"val:%d" % i) and parts[3] == b"val:%d" % i, buf
                assert parts[4].startswith(b":"), buf
        except Exception as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k, socks[k * 50:(k + 1) * 50]))
               for k in range(n // 50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in socks:
        s.close()
    assert not errors, errors[:3]
    r = redis.Redis(port=srv.port)
    assert r.get("counter") == b"%d" % n
    assert r.llen("list") == n
    assert r.dbsize() == n + 2
    assert sorted(int(x) for x in r.lrange("list", 0, -1)) == list(range(n))
    r.close()
