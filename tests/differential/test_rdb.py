"""RDB interoperability with a real redis-server 7.0 (lab/engine/persistence/rdb.py).

(1) A file written by the engine loads into a real server with identical data.
(2) A file written by a real server's SAVE loads into the engine with identical data.
Compared: DBSIZE per db, TYPE, OBJECT ENCODING, every value (as RESP2 replies), and the
absolute expire time (PEXPIRETIME, exact: stricter than TTLs within a second).
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile

import pytest

from lab.clock import WallClock
from lab.engine import Engine
from lab.engine.persistence import dumps, loads
from lab.engine.reply import encode_resp

from .conftest import _binary
from .harness import RawConnection, RedisServer, parse_resp

DBS = (0, 1, 7)


@pytest.fixture
def binary():
    b = _binary()
    if b is None:
        if os.environ.get("LAB_REQUIRE_REDIS") == "1":
            pytest.fail("LAB_REQUIRE_REDIS=1 but no redis-server on PATH")
        pytest.skip("no redis-server on PATH (set LAB_REQUIRE_REDIS=1 to fail instead)")
    return b


@pytest.fixture
def tmpdir_rdb():
    d = tempfile.mkdtemp(prefix="lab-rdb-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def dataset(seed: int = 1) -> list[tuple[int, list]]:
    """(db, command) pairs covering every type and encoding."""
    r = random.Random(seed)
    rnd = bytes(r.randrange(256) for _ in range(300))
    cmds: list[list] = [
        ["SET", "str", "hello"], ["SET", "int", "12345"], ["SET", "neg", "-129"],
        ["SET", "big", "9223372036854775807"], ["SET", "i32", "2147483648"],
        ["SET", "noncanon", "0123"], ["SET", "plus", "+5"], ["SET", "empty", ""],
        ["SET", "", "empty key"], ["SET", b"bin\x00\xff\r\n", b"\x00\x01\xfe\xff" * 9],
        ["SET", "compressible", "abc" * 200], ["SET", "random", rnd],
        ["SET", "emb44", "e" * 44], ["SET", "raw45", "r" * 45],
        ["SET", "ttl", "v", "EX", "1000"], ["SET", "ttlms", "w", "PX", "123456789"],
        ["RPUSH", "list", *[str(i) for i in range(2000)]],
        ["RPUSH", "list2", "x" * 9000, "", "-7", b"\x00\xff", "a" * 70],
        ["LPUSH", "llist", *[f"v{i}" for i in range(500)]],
        ["SADD", "iset", 1, -2, 70000, 2 ** 40, -(2 ** 63)],
        ["SADD", "sset", "a", "b", "", b"\xff"],
        ["SADD", "bigiset", *range(1000)],
        ["SADD", "mixset", *range(10), "x"],
        ["ZADD", "zs", 1, "a", 2.5, "b", "-inf", "c", "inf", "d", 1e300, "e", -0.1, "f"],
        ["ZADD", "zb", *[x for i in range(200) for x in (i * 0.1, f"m{i}")]],
        ["ZADD", "zlong", 3, "m" * 70],
        ["ZADD", "zint", *[x for i in range(50) for x in (i * 1000, str(i))]],
        ["HSET", "hs", "f", "v", "n", "7", "", "", "neg", "-100000"],
        ["HSET", "hb", *[x for i in range(600) for x in (f"f{i}", f"v{i}")]],
        ["HSET", "hlongval", "f", "y" * 100],
        ["PEXPIRE", "hs", "500000"], ["EXPIRE", "zb", "3600"], ["EXPIRE", "list", "10"],
    ]
    out = [(0, c) for c in cmds]
    out += [(1, ["SET", "k1", "v1"]), (1, ["SADD", "s1", "x", "y"]),
            (1, ["SET", "t1", "v", "EX", "999"])]
    out += [(7, ["HSET", "h7", "a", "1"]), (7, ["ZADD", "z7", 1, "x"]),
            (7, ["RPUSH", "l7", "x", "y"])]
    return out


def _cmd_bytes(cmd) -> list[bytes]:
    return [a if isinstance(a, bytes) else str(a).encode() for a in cmd]


class EngineSide:
    def __init__(self, e: Engine):
        self.c = e.client()

    def __call__(self, *args):
        return parse_resp(encode_resp(self.c.execute(_cmd_bytes(args)), 2))


class RealSide:
    def __init__(self, port: int):
        self.conn = RawConnection("127.0.0.1", port)

    def __call__(self, *args):
        return parse_resp(self.conn.command(*_cmd_bytes(args)))


def describe(call) -> dict:
    """Everything observable about the dataset, db by db."""
    out = {}
    for dbid in range(16):
        call("SELECT", dbid)
        size = call("DBSIZE")
        if not size:
            continue
        keys = []
        cursor = b"0"
        while True:
            cursor, batch = call("SCAN", cursor, "COUNT", 1000)
            keys += batch
            if cursor == b"0":
                break
        assert len(set(keys)) == size
        db = {"_size": size}
        for k in keys:
            t = call("TYPE", k)
            enc = call("OBJECT", "ENCODING", k)
            if t == b"+string":
                v = call("GET", k)
            elif t == b"+list":
                v = call("LRANGE", k, 0, -1)
            elif t == b"+set":
                v = sorted(call("SMEMBERS", k))
            elif t == b"+zset":
                v = call("ZRANGE", k, 0, -1, "WITHSCORES")
            elif t == b"+hash":
                flat = call("HGETALL", k)
                v = sorted(zip(flat[0::2], flat[1::2]))
            else:
                v = None
            # the absolute expire time survives a file exactly (PTTL would drift)
            db[k] = (t, enc, v, call("PEXPIRETIME", k))
        out[dbid] = db
    call("SELECT", 0)
    return out


def assert_same(mine: dict, theirs: dict) -> None:
    assert mine.keys() == theirs.keys()
    for dbid, a in mine.items():
        b = theirs[dbid]
        assert a.keys() == b.keys(), dbid
        for k in a:
            if k == "_size":
                assert a[k] == b[k]
                continue
            (t1, e1, v1, p1), (t2, e2, v2, p2) = a[k], b[k]
            assert (t1, e1, v1) == (t2, e2, v2), (dbid, k)
            assert p1 == p2, (dbid, k, p1, p2)


def fill_engine(e: Engine) -> None:
    side = EngineSide(e)
    for dbid, cmd in dataset():
        side("SELECT", dbid)
        side(*cmd)


def start_with_file(binary: str, d: str, name: str, *extra: str) -> RedisServer:
    # later --dir/--dbfilename win over the harness's own
    return RedisServer(binary, ("--dir", d, "--dbfilename", name, *extra))


@pytest.mark.parametrize("config", [
    {},
    {"rdbcompression": "no"},
    {"list-max-listpack-size": "5", "maxmemory-policy": "allkeys-lru"},
    {"maxmemory-policy": "allkeys-lfu"},
])
def test_engine_rdb_loads_into_real_server(binary, tmpdir_rdb, config):
    e = Engine(config=config, clock=WallClock())
    fill_engine(e)
    with open(os.path.join(tmpdir_rdb, "lab.rdb"), "wb") as f:
        f.write(dumps(e))
    extra = []
    for k, v in config.items():
        extra += ["--" + k, v]
    server = start_with_file(binary, tmpdir_rdb, "lab.rdb", *extra)
    try:
        real = RealSide(server.port)
        if config.get("maxmemory-policy") == "allkeys-lfu":
            assert real("OBJECT", "FREQ", "str") == 5  # FREQ opcode (before any touch)
        theirs = describe(real)
        mine = describe(EngineSide(e))
        assert_same(mine, theirs)
        with open(os.path.join(server.dir, "log")) as f:
            assert "Done loading RDB" in f.read()
        real.conn.close()
    finally:
        server.stop()


def test_engine_rdb_with_checksum_disabled_loads(binary, tmpdir_rdb):
    e = Engine(config={"rdbchecksum": "no"}, clock=WallClock())
    fill_engine(e)
    with open(os.path.join(tmpdir_rdb, "lab.rdb"), "wb") as f:
        f.write(dumps(e))
    server = start_with_file(binary, tmpdir_rdb, "lab.rdb")
    try:
        real = RealSide(server.port)
        assert_same(describe(EngineSide(e)), describe(real))
        real.conn.close()
    finally:
        server.stop()


@pytest.mark.parametrize("extra", [
    (),
    ("--list-compress-depth", "1", "--list-max-listpack-size", "4"),
    ("--maxmemory-policy", "allkeys-lfu"),
    ("--maxmemory-policy", "allkeys-lru", "--rdbcompression", "no"),
])
def test_real_server_rdb_loads_into_engine(binary, extra):
    server = RedisServer(binary, extra)
    try:
        real = RealSide(server.port)
        for dbid, cmd in dataset(2):
            real("SELECT", dbid)
            real(*cmd)
        real("SELECT", 0)
        # an already expired key in the file: written, then skipped by the loader
        assert real("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"+OK"
        real("SET", "gone", "x", "PX", "1")
        import time

        time.sleep(0.05)
        assert real("SAVE") == b"+OK"
        with open(os.path.join(server.dir, "dump.rdb"), "rb") as f:
            data = f.read()
        real("DEL", "gone")
        theirs = describe(real)
        real.conn.close()
    finally:
        server.stop()
    config = {}
    for i in range(0, len(extra), 2):
        config[extra[i][2:]] = extra[i + 1]
    e = Engine(config=config, clock=WallClock())
    res = loads(e, data)
    assert res.aux[b"redis-ver"] == b"7.0.15"
    assert res.keys_expired == 1
    assert not res.checksum_disabled
    e._check()
    assert_same(describe(EngineSide(e)), theirs)


def test_real_server_rdb_roundtrips_through_engine(binary, tmpdir_rdb):
    """Real SAVE -> engine load -> engine save -> real load: still identical."""
    server = RedisServer(binary)
    try:
        real = RealSide(server.port)
        for dbid, cmd in dataset(3):
            real("SELECT", dbid)
            real(*cmd)
        real("SAVE")
        with open(os.path.join(server.dir, "dump.rdb"), "rb") as f:
            data = f.read()
        theirs = describe(real)
        real.conn.close()
    finally:
        server.stop()
    e = Engine(clock=WallClock())
    loads(e, data)
    with open(os.path.join(tmpdir_rdb, "again.rdb"), "wb") as f:
        f.write(dumps(e))
    server = start_with_file(binary, tmpdir_rdb, "again.rdb")
    try:
        real = RealSide(server.port)
        assert_same(describe(real), theirs)
        real.conn.close()
    finally:
        server.stop()
