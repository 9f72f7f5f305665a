"""DUMP / RESTORE against a real redis-server 7.0: identical payload bytes where the
encoding fixes the layout, and payloads crossing both ways."""

from __future__ import annotations

from lab.engine.persistence.crc64 import crc64

from .harness import parse_resp

DETERMINISTIC = [
    ["SET", "s_int", "12345"], ["SET", "s_neg", "-7"], ["SET", "s_big", "123456789012345"],
    ["SET", "s_emb", "hello"], ["SET", "s_raw", "x" * 60], ["SET", "s_lzf", "ab" * 100],
    ["SET", "s_zero", "012"], ["SET", "s_empty", ""],
    ["RPUSH", "l", "a", "1", "-300", "70000", "x" * 70, "3.5"],
    ["RPUSH", "l_big", *[str(i) for i in range(300)]],
    ["HSET", "h", "f1", "v1", "f2", "2", "f3", "x" * 30],
    ["SADD", "si", "1", "-5", "100000", "3"], ["SADD", "si64", "1", "5000000000"],
    ["ZADD", "z", "1", "a", "2.5", "b", "-3", "c", "1e20", "d"],
    ["ZADD", "z_sk", *[x for i in range(200) for x in (str(i * 0.5), f"m{i}")]],
    ["ZADD", "z_long", "1", "y" * 80, "2", "q"],
]
KEYS = ["s_int", "s_neg", "s_big", "s_emb", "s_raw", "s_lzf", "s_zero", "s_empty", "l",
        "l_big", "h", "si", "si64", "z", "z_sk", "z_long"]


def test_dump_bytes_identical(diff):
    """Every payload is byte-identical, with and without LZF compression
    (``persistence/lzf.py`` compresses exactly as liblzf does)."""
    diff.run(DETERMINISTIC)
    for compression in ("no", "yes"):
        diff.run([["CONFIG", "SET", "rdbcompression", compression]])
        for k in KEYS:
            diff.check("OBJECT", "ENCODING", k)
            diff.check("DUMP", k)
    diff.check("DUMP", "nokey")


def _cross(diff, key, check_cmds):
    """RESTORE the real server's payload and the engine's payload on both sides."""
    real = parse_resp(diff.real.command("DUMP", key))
    mine = diff.client.execute([b"DUMP", key.encode()])
    for tag, p in (("r", real), ("m", mine)):
        diff.check("RESTORE", f"{key}_{tag}", "0", p)
        diff.check("OBJECT", "ENCODING", f"{key}_{tag}")
        for cmd in check_cmds:
            diff.check_unordered(*[a.replace("$K", f"{key}_{tag}") for a in cmd])


def test_payloads_cross(diff):
    diff.run(DETERMINISTIC)
    diff.run([["HSET", "h_ht", *[x for i in range(200) for x in (f"f{i}", f"v{i}")]],
              ["SADD", "s_ht", "a", "b", "c", "1"], ["SADD", "s_ht2", *[str(i) for i in range(600)]],
              ["HSET", "h_long", "f", "v" * 100]])
    types = {"l": [["LRANGE", "$K", "0", "-1"]], "l_big": [["LRANGE", "$K", "0", "-1"]],
             "h": [["HGETALL", "$K"]], "h_ht": [["HGETALL", "$K"]], "h_long": [["HGETALL", "$K"]],
             "si": [["SMEMBERS", "$K"]], "s_ht": [["SMEMBERS", "$K"]],
             "s_ht2": [["SMEMBERS", "$K"]],
             "z": [["ZRANGE", "$K", "0", "-1", "WITHSCORES"]],
             "z_sk": [["ZRANGE", "$K", "0", "-1", "WITHSCORES"]],
             "z_long": [["ZRANGE", "$K", "0", "-1", "WITHSCORES"]]}
    for k in ["s_int", "s_emb", "s_raw", "s_lzf", "s_empty"]:
        types[k] = [["GET", "$K"]]
    for k, cmds in types.items():
        _cross(diff, k, cmds)
    # LRANGE order is checked exactly too
    diff.check("LRANGE", "l_big_r", "0", "-1")
    diff.check("LRANGE", "l_big_m", "0", "-1")


def test_restore_thresholds(diff):
    """Loading re-derives encodings from the current thresholds."""
    diff.run([["HSET", "h", "a", "1", "b", "2", "c", "3"], ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
              ["SADD", "s", "1", "2", "3"]])
    payloads = {k: parse_resp(diff.real.command("DUMP", k)) for k in ("h", "z", "s")}
    diff.run([["CONFIG", "SET", "hash-max-listpack-entries", "2"],
              ["CONFIG", "SET", "zset-max-listpack-entries", "2"],
              ["CONFIG", "SET", "set-max-intset-entries", "2"]])
    for k, p in payloads.items():
        diff.check("RESTORE", k + "2", "0", p)
        diff.check("OBJECT", "ENCODING", k + "2")
    diff.run([["CONFIG", "SET", "hash-max-listpack-entries", "128"],
              ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
              ["CONFIG", "SET", "set-max-intset-entries", "512"]])


def _mk(body: bytes, ver: int = 10) -> bytes:
    b = body + ver.to_bytes(2, "little")
    return b + crc64(b).to_bytes(8, "little")


def test_restore_options_and_errors(diff):
    diff.check("SET", "s", "hello")
    p = parse_resp(diff.real.command("DUMP", "s"))
    diff.run([
        ["RESTORE", "k1", "100000", p], ["TTL", "k1"], ["GET", "k1"],
        ["RESTORE", "k2", "0", p, "IDLETIME", "5"], ["TTL", "k2"], ["OBJECT", "IDLETIME", "k2"],
        ["RESTORE", "k3", "1000", p, "ABSTTL"], ["EXISTS", "k3"],
        ["SET", "k4", "x"], ["RESTORE", "k4", "1000", p, "ABSTTL", "REPLACE"], ["EXISTS", "k4"],
        ["RESTORE", "k5", "4102444800000", p, "ABSTTL"], ["PEXPIRETIME", "k5"],
        ["RESTORE", "k5", "1", p], ["RESTORE", "k5", "abc", p], ["RESTORE", "k5", "-1", p, "REPLACE"],
        ["RESTORE", "k5", "0", p, "REPLACE"], ["TTL", "k5"],
        ["RESTORE", "k6", "-1", p], ["RESTORE", "k6", "abc", p], ["RESTORE", "k6", "1", p[:-1]],
        ["RESTORE", "k6", "1", b""], ["RESTORE", "k6", "0", p, "IDLETIME", "-1"],
        ["RESTORE", "k6", "0", p, "IDLETIME", "x"], ["RESTORE", "k6", "0", p, "FREQ", "256"],
        ["RESTORE", "k6", "0", p, "FREQ", "-1"], ["RESTORE", "k6", "0", p, "FREQ", "1", "IDLETIME", "1"],
        ["RESTORE", "k6", "0", p, "IDLETIME", "1", "FREQ", "1"], ["RESTORE", "k6", "0", p, "IDLETIME"],
        ["RESTORE", "k6", "0", p, "foo"], ["RESTORE", "k6", "-1", p, "foo"],
        ["RESTORE", "k6", "0", p, "IDLETIME", "1", "IDLETIME", "2"], ["OBJECT", "IDLETIME", "k6"],
        ["RESTORE", "k7", "0", p, "FREQ", "9"], ["OBJECT", "FREQ", "k7"],
        ["RESTORE", "k8", "0", _mk(b"\x00\x03abc", 11)], ["RESTORE", "k8", "0", _mk(b"\x00\x01a", 9)],
        ["RESTORE", "k9", "0", _mk(b"\x00\x01a", 0)],
        ["RESTORE", "b0", "0", _mk(b"\x08\x03ab")], ["RESTORE", "b1", "0", _mk(b"\x02\x00")],
        ["RESTORE", "b2", "0", _mk(b"\x00\x03abcxyz")], ["GET", "b2"],
        ["RESTORE", "b3", "0", _mk(b"\x00\x05ab")], ["GET", "b3"],
        ["RESTORE", "b4", "0", _mk(b"\x14\x00")], ["RESTORE", "b5", "0", _mk(b"\x01\x01\x01a")],
        ["LRANGE", "b5", "0", "-1"], ["RESTORE", "b6", "0", _mk(b"\x0b\x01a")],
        ["RESTORE", "b7", "0", _mk(b"\x06\x00")], ["RESTORE", "b8", "0", _mk(b"\xff")],
        ["RESTORE", "b9", "0", _mk(b"\x00\x01a")[:-8] + b"\0" * 8],
        ["RESTORE"], ["RESTORE", "a", "0"], ["DUMP"], ["DUMP", "a", "b"],
        ["RESTORE-ASKING", "ra", "0", p], ["GET", "ra"], ["RESTORE-ASKING", "ra", "0", p],
    ])


def test_restore_lfu(diff):
    diff.check("SET", "s", "v")
    p = parse_resp(diff.real.command("DUMP", "s"))
    diff.run([["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
              ["RESTORE", "f", "0", p, "FREQ", "200"], ["OBJECT", "FREQ", "f"],
              ["RESTORE", "g", "0", p, "IDLETIME", "100"], ["OBJECT", "FREQ", "g"],
              ["CONFIG", "SET", "maxmemory-policy", "noeviction"]])
