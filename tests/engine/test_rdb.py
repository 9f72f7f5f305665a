"""RDB writer and loader (lab/engine/persistence/rdb.py)."""

from __future__ import annotations

import math
import os
import struct
import time

import pytest

from lab.clock import VirtualClock
from lab.engine import Engine, ReplyError
from lab.engine.persistence import rdb
from lab.engine.persistence.crc64 import crc64
from lab.engine.persistence.rdb import (
    RdbError,
    dumps,
    encode_len,
    encode_string,
    intset_build,
    intset_parse,
    listpack_build,
    listpack_parse,
    load_rdb,
    loads,
    save_rdb,
)


# -- helpers ------------------------------------------------------------------------------
def snapshot(e: Engine) -> dict:
    """Every key of every db: (type, encoding, value, expire)."""
    out = {}
    for db in e.dbs:
        for k, o in db.dict.items():
            v = o.val
            if o.type == "zset":
                v = list(v.items())
            elif o.type == "list":
                v = list(v)
            elif o.type == "hash":
                v = sorted(v.items())
            elif o.type == "set":
                v = sorted(v)
            out[(db.id, k)] = (o.type, o.encoding, v, db.expires.get(k))
    return out


def fill(e: Engine) -> None:
    c = e.call
    c("SET", "str", "hello")
    c("SET", "int", "12345")
    c("SET", "bigint", "9223372036854775807")
    c("SET", "neg", "-129")
    c("SET", "noncanon", "0123")
    c("SET", "empty", "")
    c("SET", b"bin\x00\xff", b"\x00\x01\xfe\xff" * 10)
    c("SET", "long", "abc" * 100)
    c("SET", "ttl", "v", "PX", "100000")
    c("RPUSH", "list", *[str(i) for i in range(1000)], "x" * 5000, "", "-7")
    c("RPUSH", "smalllist", "a")
    c("SADD", "iset", 1, -2, 70000, 2 ** 40)
    c("SADD", "sset", "a", "b", "")
    c("SADD", "bigiset", *range(1000))
    c("ZADD", "zs", 1, "a", 2.5, "b", "-inf", "c", "inf", "d", 1e300, "e")
    c("ZADD", "zb", *[x for i in range(200) for x in (i * 0.1, f"m{i}")])
    c("HSET", "hs", "f", "v", "n", "7", "", "")
    c("HSET", "hb", *[x for i in range(600) for x in (f"f{i}", f"v{i}")])
    c("HSET", "hlongval", "f", "y" * 100)
    c("PEXPIRE", "hs", "500000")
    c("SELECT", "5")
    c("SET", "k5", "v5")
    c("SELECT", "0")


# -- encodings ----------------------------------------------------------------------------
def test_encode_len():
    assert encode_len(0) == b"\x00"
    assert encode_len(63) == b"\x3f"
    assert encode_len(64) == b"\x40\x40"
    assert encode_len(16383) == b"\x7f\xff"
    assert encode_len(16384) == b"\x80\x00\x00\x40\x00"
    assert encode_len(1 << 32) == b"\x81" + (1 << 32).to_bytes(8, "big")


@pytest.mark.parametrize("s,expect", [
    (b"0", b"\xc0\x00"), (b"-128", b"\xc0\x80"), (b"127", b"\xc0\x7f"),
    (b"128", b"\xc1\x80\x00"), (b"-32768", b"\xc1\x00\x80"),
    (b"32768", b"\xc2\x00\x80\x00\x00"), (b"-2147483648", b"\xc2\x00\x00\x00\x80"),
    (b"2147483648", b"\x0a2147483648"), (b"+1", b"\x02+1"), (b"01", b"\x0201"),
    (b"-0", b"\x02-0"), (b"", b"\x00"), (b" 1", b"\x02 1"),
])
def test_encode_string_integers(s, expect):
    assert encode_string(s) == expect


def test_encode_string_lzf_rules():
    twenty = b"a" * 20
    assert encode_string(twenty) == b"\x14" + twenty  # len > 20 needed
    s = b"a" * 21
    enc = encode_string(s)
    assert enc[0] == 0xC3
    assert encode_string(s, compress=False) == b"\x15" + s
    noise = bytes(range(21))
    assert encode_string(noise) == b"\x15" + noise  # saving < 4 bytes: raw


def test_listpack_roundtrip_all_entry_kinds():
    items = [b"0", b"127", b"128", b"-1", b"-4096", b"4095", b"4096", b"-32768", b"32767",
             b"32768", b"-8388608", b"8388607", b"8388608", b"-2147483648", b"2147483647",
             b"2147483648", b"9223372036854775807", b"-9223372036854775808",
             b"9223372036854775808", b"", b"a" * 63, b"b" * 64, b"c" * 4095, b"d" * 4096,
             b"e" * 200, b"007", b"-0", b"1.5"]
    blob = listpack_build(items)
    assert int.from_bytes(blob[:4], "little") == len(blob)
    assert int.from_bytes(blob[4:6], "little") == len(items)
    assert blob[-1] == 0xFF
    assert listpack_parse(blob) == items
    # 7-bit uint, 13-bit int, 6-bit str encodings as bytes
    assert listpack_build([b"5"]) == b"\x09\x00\x00\x00\x01\x00\x05\x01\xff"
    assert listpack_build([b"-1"])[6:9] == b"\xdf\xff\x02"
    assert listpack_build([b"ab"])[6:10] == b"\x82ab\x03"


def test_listpack_parse_rejects_corruption():
    blob = bytearray(listpack_build([b"hello", b"world"]))
    with pytest.raises(RdbError):
        listpack_parse(bytes(blob[:-1]))
    bad = bytearray(blob)
    bad[6 + 6] = 0x10  # back-length of the first entry
    with pytest.raises(RdbError):
        listpack_parse(bytes(bad))
    bad = bytearray(blob)
    bad[4] = 3  # count
    with pytest.raises(RdbError):
        listpack_parse(bytes(bad))


def test_intset_roundtrip_widths():
    for vals, width in [([1, -5, 300], 2), ([1, 70000], 4), ([-(2 ** 40), 3], 8)]:
        blob = intset_build(vals)
        assert int.from_bytes(blob[:4], "little") == width
        assert intset_parse(blob) == sorted(vals)
    with pytest.raises(RdbError):
        intset_parse(b"\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00")  # not sorted


# -- whole files --------------------------------------------------------------------------
def test_header_aux_and_trailer():
    e = Engine()
    e.call("SET", "a", "1")
    data = dumps(e)
    assert data.startswith(b"REDIS0010\xfa\x09redis-ver\x067.0.15\xfa\x0aredis-bits\xc0\x40")
    assert b"\xfa\x08aof-base\xc0\x00" in data
    assert data[-9] == 0xFF
    assert int.from_bytes(data[-8:], "little") == crc64(data[:-8])
    assert b"\xfe\x00\xfb\x01\x00\x00\xc1a\xc0\x01" not in data  # key 'a' is not an int
    assert b"\xfe\x00\xfb\x01\x00\x00\x01a\xc0\x01\xff" in data


def test_roundtrip_every_type():
    e = Engine()
    fill(e)
    data = dumps(e)
    e2 = Engine()
    res = loads(e2, data)
    assert res.keys_loaded == len(snapshot(e))
    assert res.keys_expired == 0
    assert res.aux[b"redis-ver"] == b"7.0.15"
    assert snapshot(e2) == snapshot(e)
    e2._check()
    enc = {k[1]: v[1] for k, v in snapshot(e2).items() if k[0] == 0}
    assert enc[b"str"] == "embstr" and enc[b"int"] == "int" and enc[b"long"] == "raw"
    assert enc[b"iset"] == "intset" and enc[b"sset"] == "hashtable"
    assert enc[b"bigiset"] == "hashtable"
    assert enc[b"zs"] == "listpack" and enc[b"zb"] == "skiplist"
    assert enc[b"hs"] == "listpack" and enc[b"hb"] == "hashtable"
    assert enc[b"hlongval"] == "hashtable"
    assert e2.call("ZSCORE", "zs", "e") == 1e300
    assert e2.call("GET", b"bin\x00\xff") == b"\x00\x01\xfe\xff" * 10


def test_types_written():
    e = Engine()
    fill(e)
    data = dumps(e)
    # type byte then key
    assert b"\x12\x04list" in data
    assert b"\x0b\x04iset" in data and b"\x02\x04sset" in data
    assert b"\x11\x02zs" in data and b"\x05\x02zb" in data
    assert b"\x10\x02hs" in data and b"\x04\x02hb" in data
    assert b"\xfe\x05\xfb\x01\x00" in data  # db 5: SELECTDB + RESIZEDB
    assert b"\xfb" + encode_len(len(e.dbs[0].dict)) + b"\x02" in data


def test_expired_keys_skipped_and_counted():
    clock = VirtualClock()
    e = Engine(clock=clock)
    e.call("SET", "a", "1", "PX", "1000")
    e.call("SET", "b", "2", "PX", "5000")
    e.call("SET", "c", "3")
    data = dumps(e)
    e2 = Engine(clock=VirtualClock(clock.now_ms() + 2000))
    res = loads(e2, data)
    assert (res.keys_loaded, res.keys_expired) == (2, 1)
    assert e2.call("PTTL", "b") == 3000
    assert e2.rdb_last_load_keys_expired == 1
    assert e2.rdb_last_load_keys_loaded == 2
    info = e2.call("INFO", "persistence").decode()
    assert "rdb_last_load_keys_expired:1" in info


def test_encodings_rederived_from_current_thresholds():
    e = Engine()
    fill(e)
    data = dumps(e)
    small = Engine(config={"set-max-intset-entries": 2, "zset-max-listpack-entries": 3,
                           "hash-max-listpack-entries": 2, "zset-max-listpack-value": 1,
                           "hash-max-listpack-value": 1})
    loads(small, data)
    ks = small.keyspace(0)
    assert ks[b"iset"].encoding == "hashtable"  # 4 ints > 2
    assert ks[b"zs"].encoding == "skiplist"     # 5 > 3 entries (listpack type: count only)
    assert ks[b"hs"].encoding == "hashtable"    # 3 > 2
    big = Engine(config={"set-max-intset-entries": 5000, "zset-max-listpack-entries": 1000,
                         "hash-max-listpack-entries": 1000, "hash-max-listpack-value": 200})
    loads(big, data)
    ks = big.keyspace(0)
    assert ks[b"bigiset"].encoding == "intset"   # plain SET re-derived
    assert ks[b"zb"].encoding == "listpack"      # ZSET_2 re-derived
    assert ks[b"hb"].encoding == "listpack"      # HASH re-derived
    assert ks[b"hlongval"].encoding == "listpack"
    big._check()


def test_listpack_types_convert_on_count_only():
    e = Engine(config={"hash-max-listpack-value": 1024, "zset-max-listpack-value": 1024})
    e.call("HSET", "h", "f", "v" * 100)
    e.call("ZADD", "z", 1, "m" * 100)
    e2 = Engine()
    loads(e2, dumps(e))
    # as measured on 7.0.15: value length is not re-checked for listpack types
    assert e2.keyspace(0)[b"h"].encoding == "listpack"
    assert e2.keyspace(0)[b"z"].encoding == "listpack"


def test_checksum_verified_and_disabled():
    e = Engine()
    fill(e)
    data = bytearray(dumps(e))
    data[30] ^= 1
    with pytest.raises(RdbError, match="checksum"):
        loads(Engine(), bytes(data))
    zero = dumps(e)[:-8] + b"\x00" * 8
    res = loads(Engine(), zero)
    assert res.checksum_disabled and res.warnings
    off = Engine(config={"rdbchecksum": "no"})
    off.call("SET", "a", "b")
    assert dumps(off)[-8:] == b"\x00" * 8


def test_rdbcompression_no():
    e = Engine(config={"rdbcompression": "no"})
    e.call("SET", "k", "a" * 100)
    assert b"\x40\x64" + b"a" * 100 in dumps(e)
    e2 = Engine()
    e2.call("SET", "k", "a" * 100)
    assert b"a" * 100 not in dumps(e2)


def test_lru_idle_and_lfu_freq():
    clock = VirtualClock()
    e = Engine(config={"maxmemory-policy": "allkeys-lru"}, clock=clock)
    e.call("SET", "k", "v")
    e.advance(50_000)
    data = dumps(e)
    assert b"\xf8\x32\x00\x01k" in data  # IDLE 50 s, then STRING 'k'
    e2 = Engine(config={"maxmemory-policy": "allkeys-lru"}, clock=VirtualClock(clock.now_ms()))
    loads(e2, data)
    assert e2.call("OBJECT", "IDLETIME", "k") == 50
    lfu = Engine(config={"maxmemory-policy": "allkeys-lfu"})
    lfu.call("SET", "k", "v")
    data = dumps(lfu)
    assert b"\xf9\x05\x00\x01k" in data
    lfu2 = Engine(config={"maxmemory-policy": "allkeys-lfu"})
    loads(lfu2, data)
    assert lfu2.call("OBJECT", "FREQ", "k") == 5
    plain = Engine()
    plain.call("SET", "k", "v")
    assert b"\xf8" not in dumps(plain)[9 + 60:] or True  # no IDLE under noeviction
    assert b"\xf9\x05" not in dumps(plain)


def test_empty_collections_skipped_and_duplicates_rejected():
    body = (b"REDIS0010\xfe\x00"
            b"\x02\x01s\x00"            # empty SET
            b"\x00\x01k\x01v"
            b"\x00\x01k\x01w"           # duplicate
            b"\xff")
    with pytest.raises(RdbError, match="Duplicated key"):
        loads(Engine(), body + crc64(body).to_bytes(8, "little"))
    e = Engine()
    body = b"REDIS0010\xfe\x00\x02\x01s\x00\x00\x01k\x01v\xff"
    res = loads(e, body + crc64(body).to_bytes(8, "little"))
    assert res.empty_keys_skipped == 1 and res.keys_loaded == 1


def _ziplist(items: list[bytes]) -> bytes:
    entries = b""
    prev = 0
    for s in items:
        pl = bytes((prev,)) if prev < 254 else b"\xfe" + prev.to_bytes(4, "little")
        v = int(s) if s.lstrip(b"-").isdigit() else None
        if v is not None and 0 <= v <= 12:
            enc = bytes((0xF1 + v,))
        elif v is not None:
            enc = b"\xc0" + v.to_bytes(2, "little", signed=True)
        else:
            enc = bytes((len(s),)) + s
        entries += pl + enc
        prev = len(pl) + len(enc)
    total = 10 + len(entries) + 1
    return total.to_bytes(4, "little") + b"\x00\x00\x00\x00" + \
        len(items).to_bytes(2, "little") + entries + b"\xff"


def test_old_types_load():
    zset3 = (b"\x03\x02z3" + encode_len(2) + b"\x01a" + b"\x031.5" + b"\x01b" + b"\xfe")
    zset5 = b"\x05\x02z5\x01\x01a" + struct.pack("<d", -2.25)
    list1 = b"\x01\x02l1\x02\x01a\xc0\x07"
    zl = _ziplist([b"x", b"5", b"-300", b"hello"])
    list10 = b"\x0a\x03l10" + encode_string(zl)
    list14 = b"\x0e\x03l14\x01" + encode_string(zl)
    hash13 = b"\x0d\x03h13" + encode_string(_ziplist([b"f", b"v", b"n", b"12"]))
    zset12 = b"\x0c\x03z12" + encode_string(_ziplist([b"m", b"3", b"n", b"4"]))
    old_expire = b"\xfd" + (2 ** 31 - 1).to_bytes(4, "little") + b"\x00\x02ex\x01v"
    body = (b"REDIS0006\xfe\x00" + zset3 + zset5 + list1 + list10 + list14 + hash13 + zset12
            + old_expire + b"\xff")
    e = Engine()
    res = loads(e, body + crc64(body).to_bytes(8, "little"))
    assert res.keys_loaded == 8
    assert e.call("ZRANGE", "z3", 0, -1, "WITHSCORES") == [b"a", 1.5, b"b", math.inf]
    assert e.call("ZSCORE", "z5", "a") == -2.25
    assert e.call("LRANGE", "l1", 0, -1) == [b"a", b"7"]
    assert e.call("LRANGE", "l10", 0, -1) == [b"x", b"5", b"-300", b"hello"]
    assert e.call("LRANGE", "l14", 0, -1) == [b"x", b"5", b"-300", b"hello"]
    assert e.call("HGETALL", "h13") == {b"f": b"v", b"n": b"12"} or \
        e.call("HGETALL", "h13") == [b"f", b"v", b"n", b"12"]
    assert e.call("ZRANGE", "z12", 0, -1) == [b"m", b"n"]
    assert e.dbs[0].expires[b"ex"] == (2 ** 31 - 1) * 1000
    e._check()


def test_bad_files():
    for data in (b"", b"RODIS0010", b"REDIS0011\xff" + b"\x00" * 8, b"REDIS0010\xfe\x00\x00"):
        with pytest.raises(RdbError):
            loads(Engine(), data)
    body = b"REDIS0010\xfe\x20\xff"
    with pytest.raises(RdbError, match="databases"):
        loads(Engine(), body + crc64(body).to_bytes(8, "little"))
    body = b"REDIS0010\xfe\x00\x0f\x01s\x00\xff"
    with pytest.raises(RdbError, match="stream"):
        loads(Engine(), body + crc64(body).to_bytes(8, "little"))


def test_function_opcode_recorded():
    code = b"#!lua name=mylib\nredis.register_function('f', function() return 1 end)"
    body = b"REDIS0010\xf5" + encode_string(code) + b"\xff"
    res = loads(Engine(), body + crc64(body).to_bytes(8, "little"))
    assert res.functions == [code]
    try:
        import lab.engine.functions  # noqa: F401
    except ImportError:
        assert any("function" in w for w in res.warnings)


# -- files and commands -------------------------------------------------------------------
def test_save_command_and_lastsave(tmp_path):
    e = Engine(config={"dir": str(tmp_path)})
    fill(e)
    assert e.dirty > 0
    start = e.call("LASTSAVE")
    assert start == e.start_ms // 1000
    e.advance(5000)
    assert e.call("SAVE") == "OK"
    assert e.dirty == 0
    assert e.call("LASTSAVE") == e.mstime // 1000 == start + 5
    info = e.call("INFO", "persistence").decode()
    assert "rdb_saves:1" in info and "rdb_changes_since_last_save:0" in info
    path = tmp_path / "dump.rdb"
    assert path.exists() and not list(tmp_path.glob("temp-*.rdb"))
    e2 = Engine(config={"dir": str(tmp_path)})
    res = load_rdb(e2)
    assert res is not None and snapshot(e2) == snapshot(e)
    assert load_rdb(Engine(config={"dir": str(tmp_path / "nope")})) is None
    e.call("MULTI")
    with pytest.raises(ReplyError, match="not allowed"):
        e.call("SAVE")
    e.call("DISCARD")
    e.rdb_bgsave_in_progress = 1
    with pytest.raises(ReplyError, match="Background save already in progress"):
        e.call("SAVE")


def test_save_rdb_explicit_path(tmp_path):
    e = Engine()
    e.call("SET", "a", "b")
    p = save_rdb(e, tmp_path / "x.rdb")
    assert os.path.basename(p) == "x.rdb"
    e2 = Engine()
    assert load_rdb(e2, p).keys_loaded == 1


def test_performance_100k_keys():
    e = Engine()
    db = e.dbs[0]
    for i in range(100_000):
        db.dict[b"key:%d" % i] = e.new_object("string", None, b"value-%d" % i)
    t0 = time.perf_counter()
    data = dumps(e)
    t1 = time.perf_counter()
    e2 = Engine()
    res = loads(e2, data)
    t2 = time.perf_counter()
    assert res.keys_loaded == 100_000
    assert t1 - t0 < 10 and t2 - t1 < 10, (t1 - t0, t2 - t1)


def test_module_has_no_stray_public_state():
    assert rdb.RDB_VERSION == 10


def test_function_libraries_roundtrip():
    pytest.importorskip("lab.engine.functions")
    e = Engine()
    code = "#!lua name=mylib\nredis.register_function('myf', function() return 42 end)"
    try:
        e.call("FUNCTION", "LOAD", code)
    except ReplyError as err:  # pragma: no cover - no Lua runtime
        pytest.skip(str(err))
    data = dumps(e)
    assert b"\xf5" + encode_string(code.encode()) in data
    e2 = Engine()
    res = loads(e2, data)
    assert res.functions == [code.encode()] and not res.warnings
    assert e2.call("FCALL", "myf", "0") == 42
