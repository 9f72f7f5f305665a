"""FUNCTION / FCALL against a real server."""
# ruff: noqa: E501  (Lua scripts and libraries read best on one line)

import pytest

pytest.importorskip("lupa")

LIB = ("#!lua name=mylib\n"
       "redis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)\n"
       "redis.register_function{function_name='f2', callback=function(k,a) "
       "return redis.call('set', k[1], a[1]) end, flags={'no-writes'}, description='desc'}")


@pytest.fixture
def fdiff(diff):
    diff.check("FUNCTION", "FLUSH")
    yield diff
    diff.real.command("FUNCTION", "FLUSH")


def test_load_call_list(fdiff):
    fdiff.run([
        ["FUNCTION", "LOAD", LIB], ["FUNCTION", "LOAD", LIB], ["FUNCTION", "LOAD", "REPLACE", LIB],
        ["FCALL", "f1", 1, "k", "a"], ["FCALL", "f2", 1, "k", "a"], ["FCALL_RO", "f1", 1, "k", "a"],
        ["FCALL", "nof", 0], ["FCALL", "f1", 5], ["FCALL", "f1", -1], ["FCALL", "f1", "x"],
        ["FCALL", "nof", 5], ["FCALL", "nof", "x"], ["FCALL"], ["FCALL", "f1"],
    ])
    # functions (and libraries) come out in hash-table order: compare up to order
    fdiff.run([
        ["FUNCTION", "LIST"], ["FUNCTION", "LIST", "WITHCODE"],
        ["FUNCTION", "LIST", "LIBRARYNAME", "my*"], ["FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "m*"],
    ], unordered=True)
    fdiff.run([
        ["FUNCTION", "LIST", "LIBRARYNAME", "my"],
        ["FUNCTION", "LIST", "LIBRARYNAME", "zz"], ["FUNCTION", "LIST", "bad"],
        ["FUNCTION", "LIST", "LIBRARYNAME"], ["FUNCTION", "STATS"], ["FUNCTION", "KILL"], ["SCRIPT", "KILL"],
        ["FUNCTION", "DELETE", "nolib"], ["FUNCTION", "DELETE", "mylib"], ["FUNCTION", "DELETE", "mylib"],
        ["FCALL", "f1", 0], ["FUNCTION", "STATS"],
    ])


def test_resp3_list_and_stats(diff3):
    diff3.check("FUNCTION", "FLUSH")
    diff3.run([["FUNCTION", "LOAD", LIB], ["FUNCTION", "STATS"], ["FCALL", "f1", 1, "k", "a"]])
    diff3.check_unordered("FUNCTION", "LIST")
    diff3.real.command("FUNCTION", "FLUSH")


LOAD_ERRORS = [
    "return 1", "#!lua\nreturn 1", "#!lua name=x\nreturn 1",
    "#!lua name=x2\nredis.register_function('f-?', function() return 1 end)",
    "#!lua name=x3\nredis.register_function('g', function() return 1 end, 'x')",
    "#!lua name=x4\nredis.register_function{function_name='g', callback=function() return 1 end, flags={'bad'}}",
    "#!lua name=x5\nredis.call('ping')", "#!lua name=x6\nreturn (", "#!lua name=x7\nlocal a = b",
    "#!py name=x8\n", "#!lua name=x9 foo=bar\n", "#!lua name=x16\nlocal x = 1",
    "#!lua name=x17\nredis.register_function('g17', function() return 1 end)\n"
    "redis.register_function('g17', function() return 1 end)",
    "#!lua name=x18\nredis.register_function()",
    "#!lua name=x19\nredis.register_function{function_name='a', callback=1}",
    "#!lua name=x20\nredis.register_function{function_name='a', callback=function() end, foo=1}",
    "#!lua name=x21\nreturn redis.log(redis.LOG_WARNING, 'x')",
    "#!lua name=x22\nreturn math.random()",
    "#!lua name=x23\nredis.register_function('f23', function() return 1 end) redis.setresp(3)",
    "#!lua name=y1\nlocal t = {type(string)}\nredis.register_function('h1', function() return 1 end)",
    "#!lua name=y2\nredis.register_function('h2', function() return 1 end)\nerror('x')",
    "#!lua name=y3\nredis.register_function{callback=function() return 1 end}",
    "#!lua name=y3\nredis.register_function{function_name='x', callback=function() return 1 end, flags='no-writes'}",
    "#!lua name=y-3\nredis.register_function('x', function() return 1 end)",
    "#!lua name=y4\nx = 1",
]


@pytest.mark.parametrize("code", LOAD_ERRORS)
def test_load_errors(fdiff, code):
    fdiff.check("FUNCTION", "LOAD", code)
    fdiff.check("FUNCTION", "LIST")


def test_function_collisions_and_runtime_errors(fdiff):
    fdiff.run([
        ["FUNCTION", "LOAD", LIB],
        ["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f1', function() return 1 end)"],
        ["FUNCTION", "LOAD", "#!lua name=x10\nredis.register_function('g10', function() return x end)"],
        ["FCALL", "g10", 0],
        ["FUNCTION", "LOAD", "#!lua name=x11\nredis.register_function('g11', function() error('boom') end)\n"
                             "redis.register_function('g12', function() return redis.call('nope') end)"],
        ["FCALL", "g11", 0], ["FCALL", "g12", 0],
        ["FUNCTION", "LOAD", "#!lua name=x14\nredis.register_function('g14', function() return redis.call('set','a','b') end)"],
        ["FCALL_RO", "g14", 0], ["FCALL", "g14", 0], ["GET", "a"],
        ["FUNCTION", "LOAD", "#!lua name=x15\nredis.register_function{function_name='g15', callback=function() "
                             "return redis.call('set','a','b') end, flags={'no-writes','allow-oom','allow-stale',"
                             "'no-cluster','allow-cross-slot-keys'}}"],
        ["FCALL", "g15", 0], ["FCALL_RO", "g15", 0],
        ["FUNCTION", "LOAD", "#!lua name=y4\nredis.register_function('h4', function(k, a) local x = k[1] .. a[1]; return #k end)"],
        ["FCALL", "h4", 1, "a", "b"], ["FCALL", "h4", 0, "a", "b"],
        ["FUNCTION", "LOAD", "#!lua name=y5\nlocal function helper(x) return x * 2 end\n"
                             "redis.register_function('h5', function(k, a) return helper(tonumber(a[1])) end)"],
        ["FCALL", "h5", 0, "21"],
        ["FUNCTION", "LOAD", "#!lua name=y6\nredis.register_function('h6', function(k, a) "
                             "return {cjson.encode({1}), math.floor(2.5), string.rep('a', 2)} end)"],
        ["FCALL", "h6", 0],
        ["FUNCTION", "LOAD", "#!lua name=y7\nredis.register_function('h7', function() return redis.setresp(3) end)"],
        ["FCALL", "h7", 0],
        ["FUNCTION", "STATS"],
    ])


def test_flush_and_restore_errors(fdiff):
    fdiff.run([
        ["FUNCTION", "LOAD", LIB], ["FUNCTION", "FLUSH", "ASYNC"], ["FUNCTION", "LIST"],
        ["FUNCTION", "FLUSH", "bad"], ["FUNCTION", "FLUSH", "SYNC"], ["FUNCTION", "RESTORE", "bad"],
        ["FUNCTION", "HELP"], ["FUNCTION", "NOPE"], ["FUNCTION", "DUMP"],
    ])


def test_dump_is_restorable_both_ways(fdiff):
    """Our DUMP restores on a real server and a real DUMP restores here."""
    fdiff.check("FUNCTION", "LOAD", LIB)
    from tests.differential.harness import parse_resp

    real_dump = parse_resp(fdiff.real.command("FUNCTION", "DUMP"))
    mine = fdiff.client.execute([b"FUNCTION", b"DUMP"])
    fdiff.run([["FUNCTION", "FLUSH"]])
    assert fdiff.client.execute([b"FUNCTION", b"RESTORE", real_dump]) == "OK"
    assert parse_resp(fdiff.real.command("FUNCTION", "RESTORE", mine)) == b"+OK"
    fdiff.check_unordered("FUNCTION", "LIST", "WITHCODE")
    fdiff.run([["FCALL", "f1", 1, "k", "v"],
               ["FUNCTION", "RESTORE", real_dump], ["FUNCTION", "RESTORE", real_dump, "REPLACE"],
               ["FUNCTION", "RESTORE", real_dump, "BAD"], ["FUNCTION", "RESTORE", real_dump, "FLUSH"],
               ])
    fdiff.check_unordered("FUNCTION", "LIST")


def test_dump_bytes_match_for_one_library(fdiff):
    """With one library there is no hash order: the payload (LZF-compressed code, RDB
    version, CRC64) is byte-identical."""
    fdiff.run([["FUNCTION", "LOAD", LIB], ["FUNCTION", "DUMP"],
               ["FUNCTION", "LOAD", "#!lua name=s\nredis.register_function('s', function() return 1 end)"]])
    fdiff.run([["FUNCTION", "DELETE", "mylib"], ["FUNCTION", "DUMP"]])
