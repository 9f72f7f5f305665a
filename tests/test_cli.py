"""``lab.cli`` (redis-cli's tokeniser and reply formatter) and the ``%%redis`` magics.

The expected texts here were taken from redis-cli 7.0.15's output; the byte-for-byte
comparison with a live redis-cli is ``tests/differential/test_cli_format.py``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lab
import lab.magic
from lab.cli import (
    INVALID_ARGUMENTS,
    INVALID_REPEAT,
    BigNumber,
    EngineTarget,
    MapPairs,
    Session,
    SocketTarget,
    format_raw,
    format_reply,
    format_tty,
    parse_line,
    raw_output_command,
    read_resp,
    repr_bytes,
    split_args,
)
from lab.engine import Engine
from lab.engine.errors import ReplyError
from lab.engine.reply import NULL_ARRAY, RSet, Status, Verbatim, encode_resp

# --- tokeniser ---------------------------------------------------------------------------

SPLIT_CASES = [
    ("set a 1", [b"set", b"a", b"1"]),
    ("  set   a\t1  ", [b"set", b"a", b"1"]),
    ("", []),
    ("   \t ", []),
    ('set "a b" c', [b"set", b"a b", b"c"]),
    ('"a\\n\\r\\t\\b\\a\\\\\\""', [b'a\n\r\t\b\x07\\"']),
    ('"\\x41\\x6a\\xFF"', [b"Aj\xff"]),
    ('"\\x4"', [b"x4"]),  # not two hex digits: the backslash is dropped
    ('"\\x4g"', [b"x4g"]),
    ('"\\X41"', [b"X41"]),  # only a lowercase x starts a hex escape
    ('"\\q"', [b"q"]),
    ("'it\\'s'", [b"it's"]),
    ("'a\\\\b\\x41\\n'", [b"a\\\\b\\x41\\n"]),  # single quotes: only \' is special
    ("'a\"b'", [b'a"b']),
    ('ab"c d"', [b"abc d"]),  # a quote inside a word opens a quoted part
    ("ab'c d'", [b"abc d"]),
    ('"a"\t"b"', [b"a", b"b"]),
    ('"a"\x0b', [b"a"]),  # any C whitespace may follow a closing quote
    ("\x0ba", [b"a"]),  # ...and is skipped between words
    ("a\x0bb", [b"a\x0bb"]),  # but inside a word only space, tab, CR, LF end it
    ("a\rb", [b"a", b"b"]),
    ('""', [b""]),
    ("''", [b""]),
    ("é €", ["é".encode(), "€".encode()]),
    (b"a\0b c", [b"a"]),  # the line ends at NUL, as a C string does
    ('"a"b', None),
    ("'a'b", None),
    ('"open', None),
    ("'open", None),
    ('"a\\', None),
    ('"a\\"', None),
]


@pytest.mark.parametrize(("line", "argv"), SPLIT_CASES)
def test_split_args(line, argv):
    assert split_args(line) == argv


@given(st.lists(st.binary(min_size=0, max_size=20), min_size=1, max_size=5))
def test_repr_output_splits_back(args):
    """What redis-cli prints for a string can be typed back at its prompt."""
    line = b" ".join(repr_bytes(a) for a in args)
    assert split_args(line) == args


@given(st.text(alphabet=st.characters(blacklist_characters="\0"), max_size=30))
def test_split_args_never_raises(line):
    r = split_args(line)
    assert r is None or all(isinstance(a, bytes) for a in r)


PARSE_CASES = [
    ("get a", (1, [b"get", b"a"])),
    ("3 incr a", (3, [b"incr", b"a"])),
    ('"2" ping', (2, [b"ping"])),
    ("+2 ping", (2, [b"ping"])),
    ("02 ping", (2, [b"ping"])),
    ('" 2" ping', (2, [b"ping"])),
    ('"2 " ping', (1, [b"2 ", b"ping"])),
    ("1x ping", (1, [b"1x", b"ping"])),
    ("3", (1, [b"3"])),
    ('2 ""', (2, [b""])),
    ("0 ping", INVALID_REPEAT),
    ("-1 ping", INVALID_REPEAT),
    ("99999999999999999999 ping", INVALID_REPEAT),
    ('get "x"y', INVALID_ARGUMENTS),
    ("", (0, [])),
]


@pytest.mark.parametrize(("line", "expected"), PARSE_CASES)
def test_parse_line(line, expected):
    assert parse_line(line) == expected


# --- formatter -----------------------------------------------------------------------------


def tty(reply, resp=3) -> str:
    return format_tty(reply, resp).decode()


TTY_CASES = [
    (Status("OK"), "OK\n"),
    (1, "(integer) 1\n"),
    (-7, "(integer) -7\n"),
    (b"v", '"v"\n'),
    (b"", '""\n'),
    (b'a "b"\\\n\r\t\x07\x08\x00\x0b\x0c\x7f\x80\xff ~', '"a \\"b\\"\\\\\\n\\r\\t\\a\\b\\x00\\x0b'
     '\\x0c\\x7f\\x80\\xff ~"\n'),
    ("é".encode(), '"\\xc3\\xa9"\n'),
    (None, "(nil)\n"),
    (NULL_ARRAY, "(nil)\n"),
    (ReplyError("ERR bad thing"), "(error) ERR bad thing\n"),
    (1.5, "(double) 1.5\n"),
    (1.1, "(double) 1.1000000000000001\n"),
    (float("inf"), "(double) inf\n"),
    (float("-inf"), "(double) -inf\n"),
    (1e300, "(double) 1.0000000000000001e+300\n"),
    (True, "(true)\n"),
    (False, "(false)\n"),
    (Verbatim(b"line1\nline2"), "line1\nline2\n"),
    (BigNumber("12345678901234567890"), "(big number) 12345678901234567890\n"),
    ([], "(empty array)\n"),
    (RSet(), "(empty set)\n"),
    ({}, "(empty hash)\n"),
    ([b"c", b"b", b"a"], '1) "c"\n2) "b"\n3) "a"\n'),
    ([1, [2, [3, []]], b"a", Status("st"), ReplyError("E r"), [[[]]]],
     "1) (integer) 1\n"
     "2) 1) (integer) 2\n"
     "   2) 1) (integer) 3\n"
     "      2) (empty array)\n"
     '3) "a"\n'
     "4) st\n"
     "5) (error) E r\n"
     "6) 1) 1) (empty array)\n"),
    ([[i, str(i).encode()] for i in range(1, 11)],
     ' 1) 1) (integer) 1\n    2) "1"\n'
     + "".join(f'{i:2d}) 1) (integer) {i}\n    2) "{i}"\n' for i in range(2, 11))),
    (RSet([b"x", b"y"]), '1~ "x"\n2~ "y"\n'),
    ({b"server": b"redis", b"proto": 3, b"modules": []},
     '1# "server" => "redis"\n2# "proto" => (integer) 3\n3# "modules" => (empty array)\n'),
    # a one-line value stays on the key's line, a multi-line one starts below it
    ({b"a": [1], b"b": [1, 2], b"c": {b"x": 1}, b"d": {b"x": 1, b"y": 2}, b"e": [[1, 2]],
      b"f": RSet([b"q"]), b"g": {b"z": [1, 2]}},
     '1# "a" => 1) (integer) 1\n'
     '2# "b" => \n   1) (integer) 1\n   2) (integer) 2\n'
     '3# "c" => 1# "x" => (integer) 1\n'
     '4# "d" => \n   1# "x" => (integer) 1\n   2# "y" => (integer) 2\n'
     '5# "e" => \n   1) 1) (integer) 1\n      2) (integer) 2\n'
     '6# "f" => 1~ "q"\n'
     '7# "g" => \n   1# "z" => \n      1) (integer) 1\n      2) (integer) 2\n'),
    # ...but newlines inside a (verbatim) string don't move it
    ({b"k": Verbatim(b"Redis ver. 7.0.15\n"), b"j": [Verbatim(b"x\ny")], b"i": [[[1]]]},
     '1# "k" => Redis ver. 7.0.15\n\n2# "j" => 1) x\ny\n3# "i" => 1) 1) 1) (integer) 1\n'),
    ([Verbatim(b"Redis ver. 7.0.15\n"), 1], "1) Redis ver. 7.0.15\n\n2) (integer) 1\n"),
    ({bytes([97 + i]): i for i in range(12)},
     "".join(f'{i + 1:2d}# "{chr(97 + i)}" => (integer) {i}\n' for i in range(12))),
    ([{b"a": 1, b"b": 2}, RSet([b"x"]), {}],
     '1) 1# "a" => (integer) 1\n   2# "b" => (integer) 2\n2) 1~ "x"\n3) (empty hash)\n'),
    (MapPairs([([b"k"], b"v")]), '1# 1) "k" => "v"\n'),
]


@pytest.mark.parametrize(("reply", "text"), TTY_CASES)
def test_format_tty(reply, text):
    assert tty(reply) == text


def test_command_info_nesting():
    """The shape of COMMAND INFO GET under RESP3 (widths 1, 2; maps inside sets)."""
    info = [[b"get", 2, RSet([Status("readonly"), Status("fast")]), 1, 1, 1,
             RSet([Status("@read")]), RSet(),
             RSet([{b"flags": RSet([Status("RO"), Status("access")]),
                    b"begin_search": {b"type": b"index", b"spec": {b"index": 1}}}]),
             RSet()]]
    assert tty(info) == (
        '1)  1) "get"\n'
        "    2) (integer) 2\n"
        "    3) 1~ readonly\n"
        "       2~ fast\n"
        "    4) (integer) 1\n"
        "    5) (integer) 1\n"
        "    6) (integer) 1\n"
        "    7) 1~ @read\n"
        "    8) (empty set)\n"
        '    9) 1~ 1# "flags" => \n'
        "             1~ RO\n"
        "             2~ access\n"
        '          2# "begin_search" => \n'
        '             1# "type" => "index"\n'
        '             2# "spec" => 1# "index" => (integer) 1\n'
        "   10) (empty set)\n")


RESP2_CASES = [
    ({b"f": b"v"}, '1) "f"\n2) "v"\n'),
    ({}, "(empty array)\n"),
    (RSet([b"x"]), '1) "x"\n'),
    (RSet(), "(empty array)\n"),
    (1.5, '"1.5"\n'),
    (float("inf"), '"inf"\n'),
    (True, "(integer) 1\n"),
    (False, "(integer) 0\n"),
    (Verbatim(b"a\nb"), '"a\\nb"\n'),
    ([{b"a": 1.5}, None, NULL_ARRAY], '1) 1) "a"\n   2) "1.5"\n2) (nil)\n3) (nil)\n'),
    (MapPairs([(b"k", True)]), '1) "k"\n2) (integer) 1\n'),
]


@pytest.mark.parametrize(("reply", "text"), RESP2_CASES)
def test_format_tty_resp2_folds_resp3_types(reply, text):
    assert tty(reply, resp=2) == text


RAW_CASES = [
    (b"# Server\r\nredis_version:7.0.15\r\n", b"# Server\r\nredis_version:7.0.15\r\n"),
    (b"", b""),
    (Verbatim(b"txt\n"), b"txt\n"),
    (ReplyError("ERR Invalid client ID"), b"ERR Invalid client ID\n"),
    (5, b"5"),
    (None, b""),
    (Status("OK"), b"OK"),
    ([b"c", b"b", b"a"], b"c\nb\na"),
    ([1, [2, 3], []], b"1\n2\n3\n"),
    ({b"a": True, b"b": False}, b"a (true)\nb (false)"),
    ([ReplyError("E x"), Status("O")], b"E x\n\nO"),
    (1.25, b"1.25"),
]


@pytest.mark.parametrize(("reply", "raw"), RAW_CASES)
def test_format_raw(reply, raw):
    assert format_raw(reply, resp=3) == raw


@pytest.mark.parametrize(("line", "raw"), [
    ("INFO", True), ("info server", True), ("LOLWUT VERSION 5", True),
    ("client list", True), ("CLIENT INFO", True), ("client getname", False), ("client", False),
    ("memory doctor", True), ("memory malloc-stats", True), ("memory usage k", False),
    ("debug htstats 0", True), ("debug htstats-key k", True), ("debug client-eviction", True),
    ("debug sleep 0", False),
    ("cluster info", True), ("cluster nodes", True), ("cluster info x", False),
    ("cluster slots", False),
    ("latency doctor", True), ("latency doctor x", False), ("latency graph command", True),
    ("latency graph", False), ("proxy info", True), ("get info", False),
])
def test_raw_output_commands(line, raw):
    assert raw_output_command(split_args(line)) is raw


def test_format_reply_picks_raw_by_command():
    assert format_reply(b"a\r\n", [b"info"]) == b"a\r\n"
    assert format_reply(b"a\r\n", [b"get", b"k"]) == b'"a\\r\\n"\n'
    assert format_reply(ReplyError("ERR x"), [b"client", b"list", b"id", b"z"]) == b"ERR x\n"
    assert format_reply(ReplyError("ERR x"), [b"client", b"no-evict"]) == b"(error) ERR x\n"
    assert format_reply(ReplyError("ERR é"), None) == "(error) ERR é\n".encode()


# --- RESP reader (used for real servers) ---------------------------------------------------

ROUND_TRIP = [
    b"x", b"", Status("OK"), 0, -5, None, [b"a", [1, None]], [], ReplyError("ERR e"),
    RSet([b"a"]), {b"k": [b"v", 1.5]}, {}, True, False, 1.1, float("inf"),
    Verbatim(b"# Server\r\n"), [ReplyError("ERR in exec"), Status("QUEUED")],
]


@pytest.mark.parametrize("resp", [2, 3])
@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_read_resp_round_trip(value, resp):
    parsed = read_resp(encode_resp(value, resp))
    # the wire form decides the types: parsed values print like the engine's own value
    assert format_tty(parsed, 3) == format_tty(value, resp)
    if resp == 3:
        assert encode_resp(parsed, 3) == encode_resp(value, 3)


def test_read_resp_extras():
    assert read_resp(b"*-1\r\n") is NULL_ARRAY
    assert read_resp(b"(123\r\n") == BigNumber("123")
    assert read_resp(b"!5\r\nERR x\r\n") == ReplyError("ERR x")
    assert read_resp(b"|1\r\n+a\r\n:1\r\n:7\r\n") == 7
    pairs = read_resp(b"%1\r\n*1\r\n:1\r\n:2\r\n")
    assert isinstance(pairs, MapPairs) and pairs == [([1], 2)]


def test_socket_target_from_url():
    t = SocketTarget.from_url("redis://user:p%40ss@example.com:6380/3", resp=3)
    assert (t.host, t.port, t.username, t.password, t.db, t.resp) == (
        "example.com", 6380, "user", "p@ss", 3, 3)
    t = SocketTarget.from_url("redis://localhost", db=2)
    assert (t.host, t.port, t.db, t.password) == ("localhost", 6379, 2, None)
    t = SocketTarget.from_url("unix:///tmp/r.sock?db=1")
    assert (t.path, t.db) == ("/tmp/r.sock", 1)
    with pytest.raises(ValueError):
        SocketTarget.from_url("http://x")


def test_unreachable_server_prints_like_redis_cli():
    from tests.differential.harness import find_free_port

    port = find_free_port()
    out = bytearray()
    Session(SocketTarget("127.0.0.1", port), out.extend).run("PING\nPING\n")
    assert out == b"Could not connect to Redis at 127.0.0.1:%d: Connection refused\n" % port


# --- sessions on the engine ------------------------------------------------------------------


def run(script, target=None, **kw) -> str:
    out = bytearray()
    Session(target or EngineTarget(Engine(), **kw), out.extend).run(script)
    return out.decode()


def test_session_script():
    assert run('SET a 1\nGET a\n3 INCR a\n\nGET "a"b\n0 GET a\nNOSUCH x\nHSET h f v\n'
               "HGETALL h\nSMEMBERS none\n") == (
        'OK\n"1"\n(integer) 2\n(integer) 3\n(integer) 4\nInvalid argument(s)\n'
        "Invalid redis-cli repeat command option value.\n"
        "(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' \n"
        '(integer) 1\n1) "f"\n2) "v"\n(empty array)\n')


def test_session_resp3_and_db():
    e = Engine()
    e.call("SELECT", 2)
    e.call("HSET", "h", "f", "v")
    assert run("HGETALL h\nSMEMBERS none\nHGETALL none\n", EngineTarget(e, resp=3, db=2)) == (
        '1# "f" => "v"\n(empty set)\n(empty hash)\n')
    assert run("DBSIZE\n", EngineTarget(e, db=99)) == (
        "SELECT 99 failed: ERR DB index is out of range\n(integer) 0\n")


def test_session_quit_and_exec():
    assert run("SET a 1\nquit\nGET a\n") == "OK\n"
    assert run("SET a 1\nEXIT now\nGET a\n") == "OK\n"
    assert run("MULTI\nSET a x\nINCR a\nGET a\nEXEC\n") == (
        "OK\nQUEUED\nQUEUED\nQUEUED\n"
        '1) OK\n2) (error) ERR value is not an integer or out of range\n3) "x"\n')


def test_session_fresh_connection_per_run_but_client_target_persists():
    e = Engine()
    before = len(e.clients)
    assert run("MULTI\n", EngineTarget(e)) == "OK\n"
    assert run("EXEC\n", EngineTarget(e)) == "(error) ERR EXEC without MULTI\n"
    assert len(e.clients) == before  # the per-session connections were closed
    c = e.client()
    assert run("MULTI\nSET k v\n", EngineTarget(c)) == "OK\nQUEUED\n"
    assert run("EXEC\n", EngineTarget(c)) == "1) OK\n"


def test_session_builtins_are_not_sent():
    assert run("help\nGET a\n") == (
        "(lab) 'help' is redis-cli's own command; %redis does not run it\n(nil)\n")


# --- the magics --------------------------------------------------------------------------------


def test_import_lab_does_not_import_ipython():
    code = ("import sys, lab, lab.cli, lab.magic; "
            "assert 'IPython' not in sys.modules, 'IPython imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture
def shell():
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_line_magic("load_ext", "lab")
    saved = (lab.magic._default_engine, lab.magic._target)
    lab.magic._default_engine, lab.magic._target = None, None
    yield sh
    lab.magic._default_engine, lab.magic._target = saved
    sh.run_line_magic("unload_ext", "lab")


def cell(shell, capsys, body: str, line: str = "") -> str:
    capsys.readouterr()
    result = shell.run_cell(f"%%redis {line}\n{body}")
    out = capsys.readouterr().out
    assert result.success, result.error_in_exec or result.error_before_exec
    return out


def test_magic_cell_and_line(shell, capsys):
    out = cell(shell, capsys, 'SET k "hello world"\nGET k\nINCR k\nRPUSH l a b\nLRANGE l 0 -1\n')
    assert out == ('OK\n"hello world"\n(error) ERR value is not an integer or out of range\n'
                   '(integer) 2\n1) "a"\n2) "b"\n')
    capsys.readouterr()
    shell.run_cell("%redis GET k")
    assert capsys.readouterr().out == '"hello world"\n'
    # {braces} and $dollars reach Redis untouched (no IPython variable expansion)
    shell.run_cell("x = 5\n%redis SET j {x}$x")
    shell.run_cell("%redis GET j")
    assert capsys.readouterr().out == 'OK\n"{x}$x"\n'
    # the default engine is the one the magic used
    assert lab.magic.default_engine().call("GET", "k") == b"hello world"


def test_magic_options(shell, capsys):
    e = lab.magic.default_engine()
    e.call("HSET", "h", "f", "v")
    assert cell(shell, capsys, "HGETALL h\n", "-3") == '1# "f" => "v"\n'
    assert cell(shell, capsys, "HGETALL h\n") == '1) "f"\n2) "v"\n'
    assert cell(shell, capsys, "SET a 1\n", "--db 3") == "OK\n"
    assert e.dbs[3].dict.keys() == {b"a"}
    assert cell(shell, capsys, "GET a\n", "-n 3") == '"1"\n'
    capsys.readouterr()
    shell.run_cell("%redis -3 --db 3 -- SMEMBERS none")
    assert capsys.readouterr().out == "(empty set)\n"


def test_magic_engine_variable(shell, capsys):
    other = Engine()
    other.call("SET", "where", "other")
    shell.user_ns["other"] = other
    shell.user_ns["r"] = lab.connect(other, protocol=3, db=1)
    shell.user_ns["conn"] = other.client()
    assert cell(shell, capsys, "GET where\n", "-e other") == '"other"\n'
    assert cell(shell, capsys, "GET where\n") == "(nil)\n"
    # a lab client: its engine, its db and its protocol
    assert cell(shell, capsys, "SET x 1\nHSET h a b\nHGETALL h\n", "--engine r") == (
        'OK\n(integer) 1\n1# "a" => "b"\n')
    assert other.dbs[1].dict.keys() == {b"x", b"h"}
    # an engine connection keeps its state from cell to cell
    assert cell(shell, capsys, "MULTI\nSET y 2\n", "-e conn") == "OK\nQUEUED\n"
    assert cell(shell, capsys, "EXEC\n", "-e conn") == "1) OK\n"
    lab.magic.use(other)
    assert cell(shell, capsys, "GET where\n") == '"other"\n'
    lab.magic.use(None)
    assert cell(shell, capsys, "GET where\n") == "(nil)\n"


def test_magic_usage_errors(shell):
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match="unknown option"):
        shell.run_cell_magic("redis", "--bogus", "PING\n")
    with pytest.raises(UsageError, match="no variable"):
        shell.run_cell_magic("redis", "-e nothere", "PING\n")
    with pytest.raises(UsageError, match="cell body"):
        shell.run_cell_magic("redis", "GET a", "PING\n")
    with pytest.raises(UsageError, match="database number"):
        shell.run_cell_magic("redis", "--db x", "PING\n")
    with pytest.raises(UsageError, match="not both"):
        shell.run_cell_magic("redis", "-e a -u redis://x", "PING\n")
    shell.user_ns["notatarget"] = 42
    with pytest.raises(UsageError, match="cannot run commands"):
        shell.run_cell_magic("redis", "-e notatarget", "PING\n")
    with pytest.raises(TypeError):
        lab.magic.use(42)


def test_unload_removes_magics(shell):
    shell.run_line_magic("unload_ext", "lab")
    assert "redis" not in shell.magics_manager.magics["cell"]
    shell.run_line_magic("load_ext", "lab")
    assert "redis" in shell.magics_manager.magics["line"]


def test_make_target_kinds():
    import redis

    e = Engine()
    assert isinstance(lab.magic.make_target(e), EngineTarget)
    t = lab.magic.make_target(lab.connect(e, protocol=3, db=2))
    assert (t.source, t.resp, t.db) == (e, 3, 2)
    t = lab.magic.make_target(redis.Redis(host="h", port=7000, db=4, password="pw", protocol=3))
    assert isinstance(t, SocketTarget)
    assert (t.host, t.port, t.db, t.password, t.resp) == ("h", 7000, 4, "pw", 3)
    t = lab.magic.make_target(redis.Redis(unix_socket_path="/tmp/x.sock"), resp=2, db=1)
    assert (t.path, t.db, t.resp) == ("/tmp/x.sock", 1, 2)
    with pytest.raises(TypeError, match="TLS"):
        lab.magic.make_target(redis.Redis(ssl=True))
    t = lab.magic.make_target("redis://127.0.0.1:7001/5")
    assert (t.port, t.db) == (7001, 5)
