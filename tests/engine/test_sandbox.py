"""Sandbox escape attempts: each must fail exactly as Redis 7.0.15 fails it.

The expected texts were measured on a real 7.0.15 (the same scripts run against one in
tests/differential/test_scripting.py::test_sandbox_escapes); the ``<sha>`` part is the
script's own SHA1.
"""

import hashlib

import pytest

pytest.importorskip("lupa")

from lab.engine import Engine, ReplyError

NONEXISTENT = "ERR user_script:1: Script attempted to access nonexistent global variable '{}'"
READONLY_AT = "ERR user_script:1: Attempt to modify a readonly table"
READONLY = "ERR Attempt to modify a readonly table"

ESCAPES = [
    # libraries Redis does not load
    ("return os.execute('id')", NONEXISTENT.format("os")),
    ("return io.open('/etc/passwd')", NONEXISTENT.format("io")),
    ("return debug.getinfo(1)", NONEXISTENT.format("debug")),
    ("return require('os')", NONEXISTENT.format("require")),
    ("return package.loaded", NONEXISTENT.format("package")),
    ("return dofile('/etc/passwd')", NONEXISTENT.format("dofile")),
    ("return loadfile('/etc/passwd')", NONEXISTENT.format("loadfile")),
    ("print('x')", NONEXISTENT.format("print")),
    ("return module('x')", NONEXISTENT.format("module")),
    ("return newproxy(true)", NONEXISTENT.format("newproxy")),
    # environments
    ("return getfenv(0)", NONEXISTENT.format("getfenv")),
    ("setfenv(1, {})", NONEXISTENT.format("setfenv")),
    # globals and library tables are read-only
    ("x = 1", READONLY_AT),
    ("_G.x = 1", READONLY_AT),
    ("KEYS = {}", READONLY_AT),
    ("redis.call = function() end", READONLY_AT),
    ("redis.x = 1", READONLY_AT),
    ("string.len = nil return 1", READONLY_AT),
    ("math.random = function() return 4 end", READONLY_AT),
    ("table.insert = nil", READONLY_AT),
    ("cjson.encode = nil", READONLY_AT),
    ("bit.band = nil", READONLY_AT),
    ("struct.pack = nil", READONLY_AT),
    ("cmsgpack.pack = nil", READONLY_AT),
    ("coroutine.create = nil", READONLY_AT),
    ("getmetatable('').__index = nil return 1", READONLY_AT),
    ("getmetatable('').__index.rep = nil return 1", READONLY_AT),
    ("getmetatable(_G).__newindex = nil return 1", READONLY_AT),
    ("rawset(_G, 'x', 1) return 1", READONLY),
    ("return rawset(_G, 'x', 1)", READONLY),
    ("setmetatable(_G, nil) return 1", READONLY),
    ("setmetatable(redis, {}) return 1", READONLY),
    # code loaded at run time gets the same sandbox
    ("local f = loadstring('y=1'); f()",
     "ERR [string \"y=1\"]:1: Attempt to modify a readonly table", "y=1:1"),
    ("return loadstring('return os')()", "ERR [string \"return os\"]:1: Script attempted to access "
                                         "nonexistent global variable 'os'", "return os:1"),
    ("return load(string.dump(function() return 1 end))",
     "ERR user_script:1: bad argument #1 to 'load' (function expected, got string)"),
    # commands a script may not run
    ("return redis.call('eval', 'return 1', '0')", "ERR This Redis command is not allowed from script"),
    ("return redis.call('multi')", "ERR This Redis command is not allowed from script"),
    ("return redis.call('subscribe', 'c')", "ERR This Redis command is not allowed from script"),
    ("return redis.call('blpop', 'l', 0)", "ERR This Redis command is not allowed from script"),
    ("return redis.call('debug', 'sleep', 0)", "ERR This Redis command is not allowed from script"),
    ("return redis.call('script', 'flush')", "ERR This Redis command is not allowed from script"),
    ("return redis.call('function', 'flush')", "ERR This Redis command is not allowed from script"),
    ("return redis.call('config', 'set', 'maxmemory', '1')",
     "ERR This Redis command is not allowed from script"),
    ("return redis.call('client', 'kill', 'id', '1')", "ERR This Redis command is not allowed from script"),
]


@pytest.mark.parametrize("case", ESCAPES, ids=[c[0] for c in ESCAPES])
def test_escape_fails_with_redis_error(case):
    script, expected = case[0], case[1]
    where = case[2] if len(case) > 2 else "@user_script:1"  # chunk named by its code
    e = Engine()
    sha = hashlib.sha1(script.encode()).hexdigest()
    reply = e.execute("EVAL", script, 0)
    assert isinstance(reply, ReplyError)
    assert reply.message == f"{expected} script: {sha}, on {where}."
    assert e.call("DBSIZE") == 0


def test_bytecode_is_refused():
    e = Engine()
    msg = e.call("EVAL", "local f, e = loadstring(string.dump(function() return 1 end)) return e", 0)
    assert msg == b"[string \"\x1bLuaQ\"]:1: unexpected symbol near 'char(27)'"


PYTHON_WALKS = [
    "return tostring(redis.call.__self__)", "return tostring(redis.pcall.__func__)",
    "return tostring(bit.band.__globals__)", "return tostring(cjson.decode.__closure__)",
    "return tostring(struct.pack.__code__)", "return tostring(redis.call[1])",
    "redis.call.x = 1", "return tostring(redis.sha1hex.__class__)",
    "return tostring(redis.setresp.__self__.engine)",
]


@pytest.mark.parametrize("script", PYTHON_WALKS)
def test_python_objects_are_opaque(script):
    """Some Redis C functions are Python callables here (lupa): their attributes must not
    lead into the interpreter. (Redis says "attempt to index field 'call' (a function
    value)"; the text differs, the refusal is the point.)"""
    e = Engine()
    reply = e.execute("EVAL", script, 0)
    assert isinstance(reply, ReplyError)
    assert "attempt to index a function value" in reply.message


def test_no_python_helpers_in_globals():
    e = Engine()
    for name in ("python", "P", "E"):
        assert e.execute("EVAL", f"return {name}", 0).message.startswith(
            f"ERR user_script:1: Script attempted to access nonexistent global variable '{name}'")


def test_library_tables_behind_metatables_stay_read_only():
    e = Engine()
    r = e.execute("EVAL", "getmetatable(string).__index.rep = nil", 0)
    assert r.message.startswith("ERR user_script:1: Attempt to modify a readonly table")
    assert e.call("EVAL", "return string.rep('a', 2)", 0) == b"aa"


def test_state_does_not_leak_between_scripts():
    e = Engine()
    e.call("EVAL", "KEYS[1] = 'changed' return 1", 1, "k")
    assert e.call("EVAL", "return KEYS[1]", 1, "fresh") == b"fresh"
    assert e.execute("EVAL", "return leaked", 0).message.startswith(
        "ERR user_script:1: Script attempted to access nonexistent global variable 'leaked'")
