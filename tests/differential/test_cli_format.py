"""``lab.cli`` against the real ``redis-cli --no-raw`` (7.0.15), byte for byte.

Three comparisons, each for RESP2 and RESP3:

* argv cases: the real server's reply, read as raw RESP bytes and turned into the
  engine's reply value types by this file's own converter, formatted by
  ``lab.cli.format_reply``, equals what ``redis-cli --no-raw -p PORT <argv>`` prints;
* scripts fed to redis-cli's prompt on stdin (tokeniser, repeat counts, quit, errors) equal
  ``lab.cli.Session`` running the same script on the same server;
* scripts made only of commands the engine implements equal the same Session on a fresh
  engine (the formatter applied to the engine's own reply values), and the magic with
  ``--url`` prints what redis-cli prints.

Needs ``redis-server`` and ``redis-cli``; skipped without them unless LAB_REQUIRE_REDIS=1.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from contextlib import redirect_stdout

import pytest

from lab.cli import EngineTarget, Session, SocketTarget, format_reply, parse_line
from lab.engine import Engine
from lab.engine.commands import COMMAND_TABLE
from lab.engine.errors import ReplyError
from lab.engine.reply import NULL_ARRAY, RSet, Status, Verbatim

from .harness import RawConnection

# --- RESP bytes -> engine reply values (independent of lab.cli's reader) ------------------


def resp_to_value(data: bytes):
    value, end = _parse(data, 0)
    assert end == len(data), data
    return value


def _parse(data: bytes, pos: int):
    eol = data.index(b"\r\n", pos)
    kind, head, pos = data[pos:pos + 1], data[pos + 1:eol], eol + 2
    if kind == b"+":
        return Status(head.decode("utf-8", "surrogateescape")), pos
    if kind == b"-":
        return ReplyError(head.decode("utf-8", "surrogateescape")), pos
    if kind == b":":
        return int(head), pos
    if kind == b",":
        return float(head), pos
    if kind == b"#":
        return head == b"t", pos
    if kind == b"_":
        return None, pos
    if kind in (b"$", b"="):
        n = int(head)
        if n < 0:
            return None, pos
        body = data[pos:pos + n]
        return (body if kind == b"$" else Verbatim(body[4:])), pos + n + 2
    n = int(head)
    if n < 0:
        return NULL_ARRAY, pos
    if kind == b"%":
        out = {}
        for _ in range(n):
            k, pos = _parse(data, pos)
            v, pos = _parse(data, pos)
            out[k] = v
        return out, pos
    items = []
    for _ in range(n):
        v, pos = _parse(data, pos)
        items.append(v)
    return (RSet(items) if kind == b"~" else items), pos


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_cli():
    path = os.environ.get("LAB_REDIS_CLI") or shutil.which("redis-cli")
    if path is None:
        if os.environ.get("LAB_REQUIRE_REDIS") == "1":
            pytest.fail("LAB_REQUIRE_REDIS=1 but no redis-cli on PATH")
        pytest.skip("no redis-cli on PATH (set LAB_REQUIRE_REDIS=1 to fail instead)")
    return path


class Cli:
    def __init__(self, binary: str, port: int):
        self.binary = binary
        self.port = port
        self.env = dict(os.environ, REDISCLI_HISTFILE="/dev/null", REDISCLI_RCFILE="/dev/null")

    def run(self, argv=(), resp3=False, stdin: bytes | None = None) -> bytes:
        cmd = [self.binary, "--no-raw", "-p", str(self.port)] + (["-3"] if resp3 else [])
        cmd += list(argv)
        p = subprocess.run(cmd, input=stdin if stdin is not None else b"",
                           capture_output=True, env=self.env, timeout=60, check=False)
        return p.stdout


@pytest.fixture
def cli(redis_server, redis_cli):
    c = RawConnection("127.0.0.1", redis_server.port)
    c.command("FLUSHALL")
    yield Cli(redis_cli, redis_server.port)
    c.command("FLUSHALL")
    c.close()


BINARY = bytes(range(1, 256))  # no NUL: it cannot be a command-line argument

DATA = [
    ("SET", "s", "hello world"),
    ("SET", "quote", 'he said "hi"\\ \n\r\t\a\b end'),
    ("SET", "bin", BINARY),
    ("SET", "utf8", "héllo €"),
    ("SET", "empty", ""),
    ("SET", "n", "42"),
    ("RPUSH", "l", "a", "b c", "", "7"),
    ("HSET", "h", "f1", "v1", "f2", "2"),
    ("SADD", "ints", "3", "1", "2"),
    ("ZADD", "z", "1.5", "m1", "2", "m2", "1e300", "big", "+inf", "top"),
    ("XADD", "x", "1-1", "f", "v"),
    ("XADD", "x", "2-1", "f1", "v1", "f2", "v2"),
]


def load(port: int) -> None:
    c = RawConnection("127.0.0.1", port)
    for cmd in DATA:
        c.command(*cmd)
    c.close()


# --- argv cases ------------------------------------------------------------------------

LUA_NESTED = "return {1, {2, {3, {}}}, 'a', {ok='st'}, {err='E r'}, {{{}}}, false}"
LUA_RESP3 = ("redis.setresp(3); return {map={a={1}, b={1, 2}, c={map={x=1}}, "
             "e={}, f={set={q=true}}, h={double=2.5}, i=true, k={err='BAD x'}, l={ok='fine'}}}")
LUA_RESP3_ARRAY = ("redis.setresp(3); return {{map={a=1}}, {set={x=true}}, {map={}}, {set={}}, "
                   "{double=0.1}, {double=1/0}, {double=-1/0}, {map={z={{1, 2}}}}}")
LUA_VERBATIM = ("redis.setresp(3); local v = redis.call('lolwut') "
                "return {v, 1, {map={k=v}}, {map={j={v}}}, {map={i={{{1}}}}}}")
LUA_VERBATIM_TOP = "redis.setresp(3); return redis.call('lolwut')"
LUA_WIDE = "local t = {} for i = 1, 12 do t[i] = {i, tostring(i)} end return t"

ARGV_CASES = [
    ["SET", "k", "v"],
    ["GET", "s"], ["GET", "quote"], ["GET", "bin"], ["GET", "utf8"], ["GET", "empty"],
    ["GET", "missing"], ["STRLEN", "s"], ["GET", "l"],
    ["TYPE", "l"], ["OBJECT", "ENCODING", "ints"], ["TTL", "s"], ["EXISTS", "s", "l", "no"],
    ["MGET", "s", "missing", "n"],
    ["LRANGE", "l", "0", "-1"], ["LRANGE", "missing", "0", "-1"], ["LPOS", "l", "zz"],
    ["HGETALL", "h"], ["HGETALL", "missing"], ["HGET", "h", "f1"], ["HMGET", "h", "f1", "no"],
    ["SMEMBERS", "ints"], ["SMEMBERS", "missing"], ["SISMEMBER", "ints", "1"],
    ["SMISMEMBER", "ints", "1", "9"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZSCORE", "z", "m1"], ["ZSCORE", "z", "big"],
    ["ZSCORE", "z", "top"], ["ZSCORE", "z", "nope"], ["ZRANGE", "z", "0", "-1"],
    ["ZMSCORE", "z", "m1", "nope"], ["ZRANK", "z", "m2"],
    ["XRANGE", "x", "-", "+"], ["XINFO", "STREAM", "x"], ["XRANGE", "missing", "-", "+"],
    ["XINFO", "STREAM", "x", "FULL"], ["OBJECT", "HELP"], ["ACL", "CAT"],
    ["ACL", "GETUSER", "default"], ["CONFIG", "GET", "*max-*-entries"], ["FUNCTION", "LIST"],
    ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "hyperloglog"],
    ["COMMAND", "INFO", "GET"], ["COMMAND", "INFO", "GET", "nosuchcmd"],
    ["COMMAND", "DOCS", "GET"], ["COMMAND", "GETKEYS", "SET", "a", "b"],
    ["CONFIG", "GET", "maxmemory"], ["CONFIG", "GET", "nosuchparam"],
    ["SCAN", "0", "MATCH", "s*", "COUNT", "1000"],
    ["PING"], ["PING", "hello world"], ["ECHO", ""],
    ["EVAL", LUA_NESTED, "0"], ["EVAL", LUA_RESP3, "0"], ["EVAL", LUA_RESP3_ARRAY, "0"],
    ["EVAL", LUA_WIDE, "0"], ["EVAL", LUA_VERBATIM, "0"], ["EVAL", LUA_VERBATIM_TOP, "0"],
    ["NOSUCHCOMMAND", "a", "b"], ["GET"], ["INCR", "s"], ["LPUSH", "s", "x"],
    ["INFO", "keyspace"], ["INFO", "nosuchsection"], ["LOLWUT"], ["LATENCY", "DOCTOR"],
    ["CLIENT", "LIST", "ID", "abc"], ["CLUSTER", "INFO"], ["CLUSTER", "INFO", "x"],
    ["DEBUG", "HTSTATS", "0"], ["CLIENT", "NO-EVICT", "maybe"],
]


def _case_id(argv):
    return " ".join(argv)[:40]


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
@pytest.mark.parametrize("argv", ARGV_CASES, ids=_case_id)
def test_argv_formatting(cli, argv, resp3):
    load(cli.port)
    expected = cli.run(argv, resp3=resp3)
    conn = RawConnection("127.0.0.1", cli.port)
    try:
        if resp3:
            conn.command("HELLO", "3")
        raw = conn.command(*argv)
    finally:
        conn.close()
    value = resp_to_value(raw)
    bargv = [a.encode() if isinstance(a, str) else a for a in argv]
    got = format_reply(value, bargv, 3 if resp3 else 2)
    assert got == expected, f"{argv}\n  redis-cli: {expected!r}\n  lab.cli:   {got!r}"


def test_string_with_every_byte(cli):
    """All 256 bytes (NUL included, set over RESP) print as redis-cli prints them."""
    conn = RawConnection("127.0.0.1", cli.port)
    conn.command("SET", "all", bytes(range(256)))
    value = resp_to_value(conn.command("GET", "all"))
    conn.close()
    assert format_reply(value, [b"GET", b"all"]) == cli.run(["GET", "all"])


# --- scripts on redis-cli's prompt ------------------------------------------------------

SCRIPTS = {
    "basics": "SET a 1\nGET a\n3 INCR a\nGET a\nDEL a\nGET a\nINCR s\nGET nokey\n",
    "quoting": (
        'SET q "a\\x41\\n\\"b" \n'
        "GET q\n"
        "SET r 'it\\'s \"x\"'\nGET r\n"
        'SET t "\\xzz\\q\\t\\r\\a\\b\\\\"\nGET t\n'
        "SET u 'a\\\\b\\x41'\nGET u\n"
        'SET v ab"c d"\nGET v\n'
        "SET w a\x0bb\nGET w\n"
        'SET "x"\t"y"\nGET x\n'
        "SET é 'ü'\nGET é\n"
    ),
    "invalid": ('echo "x"y\nget "open\nget \'x\'y\n0 ping\n-1 GET a\n'
                "99999999999999999999 ping\n\n   \n\t\nGET a\n"),
    "repeat": '2 RPUSH l x\n"2" LRANGE l 0 -1\n+2 LLEN l\n02 LLEN l\n3\n1x LLEN l\n',
    "errors": "NOSUCH a b\nGET\nRPUSH l a\nGET l\nINCR l\nSET k v EX 0\nSET k v XX NX\n",
    "quit": "SET a 1\nQUIT\nGET a\n",
    "exit": "SET a 1\nexit now\nGET a\n",
    "transaction": "MULTI\nSET a 1\nINCR a\nLPUSH a x\nGET a\nEXEC\nEXEC\n",
    "execabort": "MULTI\nSET a 1\nNOSUCH\nEXEC\nGET a\n",
    "watch": "WATCH a\nMULTI\nGET a\nEXEC\nDISCARD\n",
    "select": "SELECT 2\nSET a 1\nSELECT 0\nGET a\nSELECT 99\nMOVE a 2\n",
    "lists": ("RPUSH l a 'b c' '' 7 8 9 10 11 12 13\nLRANGE l 0 -1\nLRANGE l 100 200\n"
              "LPOS l 7\nLPOP l 2\nLMPOP 2 nol l LEFT COUNT 2\nLMPOP 1 nol LEFT\n"),
    "hashes": "HSET h f v g 2\nHGETALL h\nHGETALL nokey\nHMGET h f x\nHINCRBYFLOAT h g 0.5\n",
    "sets": "SADD s 3 1 2 10\nSMEMBERS s\nSMEMBERS nos\nSISMEMBER s 1\nSMISMEMBER s 1 9\n",
    "keys": "MSET a 1 b 2\nKEYS a*\nEXPIRE a 100\nTTL a\nTTL b\nTTL c\nTYPE a\nOBJECT ENCODING a\n",
    "scan": "MSET a 1 b 2 c 3\nSCAN 0 COUNT 100 MATCH a*\n",
    "zsets": "ZADD z 1.5 a 2 b\nZRANGE z 0 -1 WITHSCORES\nZSCORE z a\nZINCRBY z 1 a\n",
    "raw": ("INFO keyspace\nINFO nosuch\nPING\nLOLWUT\nCLIENT LIST ID abc\n"
            "CLIENT NO-EVICT x\nLATENCY DOCTOR\ncluster info\ncluster info x\n"),
    "server": "CONFIG GET maxmemory\nPING\nECHO 'a b'\nDBSIZE\n",
    "command": "COMMAND INFO GET\nCOMMAND INFO nosuch GET\nCOMMAND DOCS GET\n",
    "lua": ('EVAL "return {1,{2,{3,{}}},\'a\',{ok=\'st\'},{err=\'E r\'},false}" 0\n'
            'EVAL "redis.setresp(3); return {map={b={1,2}}}" 0\n'
            'EVAL "redis.setresp(3); return {{set={x=true}}, {double=1.5}, true}" 0\n'),
}

# scripts whose replies don't depend on the server process (no ids, addresses, timings)
ENGINE_SCRIPTS = ["basics", "quoting", "invalid", "repeat", "errors", "quit", "exit",
                  "transaction", "execabort", "watch", "select", "lists", "hashes", "sets",
                  "keys", "scan", "zsets", "server"]


def flushall(port: int) -> None:
    c = RawConnection("127.0.0.1", port)
    c.command("FLUSHALL")
    c.close()


def _session_output(target, script: str) -> bytes:
    out = bytearray()
    Session(target, out.extend).run(script)
    return bytes(out)


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_on_real_server(cli, name, resp3):
    script = SCRIPTS[name]
    expected = cli.run(resp3=resp3, stdin=script.encode())
    flushall(cli.port)
    got = _session_output(SocketTarget("127.0.0.1", cli.port, resp=3 if resp3 else None), script)
    assert got == expected, f"{name}\n  redis-cli: {expected!r}\n  lab.cli:   {got!r}"


# commands the scripts use on purpose as unknown ones (or that never reach the server)
_NOT_COMMANDS = {b"nosuch", b"3", b"1x", b"quit", b"exit"}


def _engine_lacks(script: str) -> list[str]:
    missing = []
    for line in script.split("\n"):
        parsed = parse_line(line)
        if isinstance(parsed, str) or not parsed[1]:
            continue
        name = parsed[1][0].lower()
        if name not in _NOT_COMMANDS and name not in COMMAND_TABLE:
            missing.append(name.decode("utf-8", "replace"))
    return missing


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
@pytest.mark.parametrize("name", ENGINE_SCRIPTS)
def test_script_on_engine(cli, name, resp3):
    script = SCRIPTS[name]
    missing = _engine_lacks(script)
    if missing:
        pytest.skip(f"engine does not implement {', '.join(sorted(set(missing)))} yet")
    expected = cli.run(resp3=resp3, stdin=script.encode())
    got = _session_output(EngineTarget(Engine(), resp=3 if resp3 else None), script)
    assert got == expected, f"{name}\n  redis-cli: {expected!r}\n  engine:    {got!r}"


def test_magic_url_matches_redis_cli(cli):
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "lab")
    script = SCRIPTS["basics"] + SCRIPTS["lua"] + SCRIPTS["zsets"]
    for resp3 in (False, True):
        flushall(cli.port)
        expected = cli.run(resp3=resp3, stdin=script.encode())
        flushall(cli.port)
        buf = io.StringIO()
        flags = "-3 " if resp3 else ""
        with redirect_stdout(buf):
            shell.run_cell_magic("redis", f"{flags}--url redis://127.0.0.1:{cli.port}/0", script)
        assert buf.getvalue().encode() == expected
    shell.run_line_magic("unload_ext", "lab")
