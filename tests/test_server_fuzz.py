"""Protocol fuzzing of the RESP server (loopback only, bounded count and time): random
bytes, mutated and truncated requests, abrupt disconnects. Afterwards the server still
answers PING, data written before is intact, and no command crashed inside the engine."""

from __future__ import annotations

import random
import socket
import time

import pytest

import lab
from lab.clock import WallClock
from lab.engine import Engine

SEED = 20251123
ROUNDS = 1500
TIME_BUDGET_S = 25.0

BASE = [
    [b"SET", b"fz:a", b"1"], [b"GET", b"fz:a"], [b"INCR", b"fz:n"], [b"RPUSH", b"fz:l", b"x"],
    [b"LRANGE", b"fz:l", b"0", b"-1"], [b"HSET", b"fz:h", b"f", b"v"], [b"ZADD", b"fz:z", b"1", b"m"],
    [b"SADD", b"fz:s", b"m"], [b"PING"], [b"ECHO", b"hello"], [b"BLPOP", b"fz:l2", b"0.01"],
    [b"SUBSCRIBE", b"fz:ch"], [b"PUBLISH", b"fz:ch", b"m"], [b"MULTI"], [b"EXEC"],
    [b"HELLO", b"3"], [b"EXPIRE", b"fz:a", b"100"], [b"TTL", b"fz:a"], [b"GETRANGE", b"fz:a", b"0", b"5"],
]


def encode(argv: list[bytes]) -> bytes:
    return b"*%d\r\n" % len(argv) + b"".join(b"$%d\r\n%b\r\n" % (len(a), a) for a in argv)


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if not b:
            break
        i = rng.randrange(len(b))
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            del b[i:i + rng.randint(1, 8)]
        elif op == 2:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3:
            b[i:i] = rng.choice([b"\r\n", b"*", b"$", b"\x00", b'"', b"'", b"*-1\r\n",
                                 b"$99999999999\r\n", b"*9999\r\n"])
        elif op == 4:
            b = b[:i]
        else:
            b[i:i] = b[i:]
    return bytes(b)


def stream(rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    cmds = b"".join(encode(rng.choice(BASE)) for _ in range(rng.randint(1, 6)))
    if kind == 1:
        return mutate(rng, cmds)
    if kind == 2:  # inline, possibly broken quoting
        line = b" ".join(rng.choice([b"SET", b"GET", b"ECHO", b'"a b"', b"'c'", b'"x', b"\\x41",
                                     b"fz:k", b"\t", b"\x00"]) for _ in range(rng.randint(1, 6)))
        return line + rng.choice([b"\r\n", b"\n", b""])
    return cmds[: rng.randrange(len(cmds) + 1)]  # truncated mid-frame


@pytest.fixture
def srv():
    handle = lab.serve(Engine(clock=WallClock()))
    yield handle
    handle.stop()


def test_fuzz_then_server_is_healthy(srv):
    rng = random.Random(SEED)
    keeper = socket.create_connection(("127.0.0.1", srv.port))
    keeper.settimeout(5)
    keeper.sendall(encode([b"SET", b"keep:s", b"precious"]) + encode([b"RPUSH", b"keep:l", b"1", b"2"]))
    got = b""
    while got.count(b"\r\n") < 2:
        got += keeper.recv(100)
    assert got == b"+OK\r\n:2\r\n"
    deadline = time.monotonic() + TIME_BUDGET_S
    done = 0
    while done < ROUNDS and time.monotonic() < deadline:
        s = socket.create_connection(("127.0.0.1", srv.port))
        try:
            s.sendall(stream(rng))
            if rng.random() < 0.5:  # sometimes read a little, sometimes vanish at once
                s.settimeout(0.01)
                try:
                    s.recv(65536)
                except OSError:
                    pass
        finally:
            s.close()
        done += 1
    assert done >= 50
    keeper.sendall(b"PING\r\n" + encode([b"GET", b"keep:s"]) + encode([b"LRANGE", b"keep:l", b"0", b"-1"]))
    want = b"+PONG\r\n$8\r\nprecious\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    got = b""
    while len(got) < len(want):
        got += keeper.recv(1000)
    assert got == want
    keeper.close()
    assert srv.internal_errors == []
    s2 = socket.create_connection(("127.0.0.1", srv.port))
    s2.sendall(b"PING\r\n")
    s2.settimeout(5)
    assert s2.recv(100) == b"+PONG\r\n"
    s2.close()
