"""FUNCTION / FCALL in process: libraries, flags, DUMP/RESTORE, propagation."""

import pytest

pytest.importorskip("lupa")

from lab.engine import Engine, ReplyError
from lab.engine import errors as E
from lab.engine.functions import crc64, lzf_decompress
from lab.engine.reply import RSet, Status

LIB = ("#!lua name=mylib\n"
       "local function key(k) return k[1] end\n"
       "redis.register_function('setk', function(k, a) return redis.call('set', key(k), a[1]) end)\n"
       "redis.register_function{function_name='getk', callback=function(k) "
       "return redis.call('get', key(k)) end, flags={'no-writes'}, description='reads'}")


@pytest.fixture
def e():
    eng = Engine()
    assert eng.call("FUNCTION", "LOAD", LIB) == b"mylib"
    return eng


def test_fcall_and_fcall_ro(e):
    assert e.call("FCALL", "setk", 1, "k", "v") == "OK"
    assert e.call("FCALL_RO", "getk", 1, "k") == b"v"
    assert e.execute("FCALL_RO", "setk", 1, "k", "v") == ReplyError(E.SCRIPT_RO_WITH_WRITE_FLAG)
    assert e.execute("FCALL", "nope", 0) == ReplyError(E.FUNCTION_NOT_FOUND)
    assert e.execute("FCALL", "getk", "x") == ReplyError(E.FUNCTION_BAD_NUMKEYS)


def test_list_and_stats(e):
    (lib,) = e.call("FUNCTION", "LIST")
    assert lib[b"library_name"] == b"mylib" and lib[b"engine"] == b"LUA"
    funcs = {f[b"name"]: f for f in lib[b"functions"]}
    assert funcs[b"getk"][b"flags"] == RSet([Status("no-writes")])
    assert funcs[b"getk"][b"description"] == b"reads"
    assert funcs[b"setk"][b"description"] is None
    assert b"library_code" not in lib
    assert e.call("FUNCTION", "LIST", "WITHCODE")[0][b"library_code"] == LIB.encode()
    assert e.call("FUNCTION", "LIST", "LIBRARYNAME", "zz*") == []
    assert e.call("FUNCTION", "STATS") == {
        b"running_script": None,
        b"engines": {b"LUA": {b"libraries_count": 1, b"functions_count": 2}}}


def test_replace_delete_flush(e):
    assert e.execute("FUNCTION", "LOAD", LIB) == ReplyError("ERR Library 'mylib' already exists")
    v2 = LIB.replace("'getk'", "'getk2'")
    assert e.call("FUNCTION", "LOAD", "REPLACE", v2) == b"mylib"
    assert e.execute("FCALL", "getk", 1, "k") == ReplyError(E.FUNCTION_NOT_FOUND)
    other = "#!lua name=other\nredis.register_function('setk', function() return 1 end)"
    assert e.execute("FUNCTION", "LOAD", other) == ReplyError("ERR Function setk already exists")
    assert e.call("FUNCTION", "DELETE", "mylib") == "OK"
    assert e.call("FUNCTION", "LOAD", other) == b"other"
    assert e.call("FUNCTION", "FLUSH") == "OK"
    assert e.call("FUNCTION", "LIST") == []


def test_load_time_sandbox(e):
    r = e.execute("FUNCTION", "LOAD", "#!lua name=x\nlocal r = math.random()")
    assert r.message == ("ERR Error registering functions: ERR user_function:2: Script attempted "
                         "to access nonexistent global variable 'math'")
    # ... but the callbacks see the full sandbox at FCALL time
    code = ("#!lua name=y\nredis.register_function('f', function() "
            "return {cjson.encode({1}), string.rep('a', 2), math.floor(2.5)} end)")
    e.call("FUNCTION", "LOAD", code)
    assert e.call("FCALL", "f", 0) == [b"[1]", b"aa", 2]


def test_dump_restore_roundtrip(e):
    payload = e.call("FUNCTION", "DUMP")
    assert payload[0] == 0xF5 and payload[-10:-8] == b"\x0a\x00"
    assert crc64(payload[:-8]) == int.from_bytes(payload[-8:], "little")
    e2 = Engine()
    assert e2.call("FUNCTION", "RESTORE", payload) == "OK"
    assert e2.call("FCALL", "setk", 1, "a", "b") == "OK"
    assert e2.execute("FUNCTION", "RESTORE", payload) == ReplyError("ERR Library mylib already exists")
    assert e2.call("FUNCTION", "RESTORE", payload, "REPLACE") == "OK"
    assert e2.call("FUNCTION", "RESTORE", payload, "FLUSH") == "OK"
    bad = payload[:-1] + b"x"
    assert e2.execute("FUNCTION", "RESTORE", bad) == ReplyError(E.FUNCTION_RESTORE_BAD_PAYLOAD)


def test_crc64_and_lzf_helpers():
    assert crc64(b"123456789") == 0xE9C6D914C4B8D9CA  # the CRC-64-Jones check value
    # literal run of 3 bytes, then a back reference copying 3 bytes from distance 3
    assert lzf_decompress(b"\x02abc\x20\x02", 6) == b"abcabc"


def test_function_effects_propagate_like_eval(e):
    out = []
    e.propagate_listeners.append(lambda dbid, argv: out.append(list(argv)))
    e.call("FUNCTION", "LOAD", "#!lua name=two\nredis.register_function('two', function() "
           "redis.call('set','a','1') return redis.call('set','b','2') end)")
    out.clear()
    e.call("FCALL", "two", 0)
    assert out == [[b"MULTI"], [b"set", b"a", b"1"], [b"set", b"b", b"2"], [b"EXEC"]]


def test_function_load_propagates(e):
    out = []
    e.propagate_listeners.append(lambda dbid, argv: out.append(list(argv)))
    e.call("FUNCTION", "DELETE", "mylib")
    assert out == [[b"FUNCTION", b"DELETE", b"mylib"]]
