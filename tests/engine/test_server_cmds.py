"""Server and introspection commands (lab/engine/server_cmds.py)."""

from __future__ import annotations

import re

import pytest

from lab.engine import Engine, ReplyError, Status, Verbatim, errors
from lab.engine.commands import COMMAND_TABLE, KNOWN_FLAGS, CommandSpec
from lab.engine.reply import encode_resp
from lab.engine.server_cmds import (
    GROUP_CATEGORY,
    acl_categories,
    all_specs,
    bytes_to_human,
    command_info_entry,
    gen_info_string,
    info_dict,
    info_sections,
    lookup_by_fullname,
)

KNOWN_GROUPS = set(GROUP_CATEGORY) - {"zset", "sorted_set"} | {"server", "cluster", "sentinel"}

# Declarations found wrong in other families' modules (reported to their owners). Each
# entry is xfail until the declaration is fixed; then delete the entry.
KNOWN_BAD_GROUPS = {"sorted_set": "zsets.py declares group 'sorted_set'; 7.0's is 'sorted-set'"}


def _spec_params():
    for spec in all_specs():
        reason = KNOWN_BAD_GROUPS.get(spec.group)
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        yield pytest.param(spec, marks=marks, id=spec.name)


@pytest.fixture
def e():
    return Engine(config={"enable-debug-command": "yes"})


def parse_info(text: bytes) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    cur = None
    for line in text.decode().split("\r\n"):
        if line.startswith("# "):
            cur = out.setdefault(line[2:], {})
        elif line:
            k, v = line.split(":", 1)
            assert cur is not None
            cur[k] = v
    return out


# -- the command table itself ---------------------------------------------------------

@pytest.mark.parametrize("spec", list(_spec_params()))
def test_every_command_is_declared_consistently(spec: CommandSpec):
    assert spec.flags <= KNOWN_FLAGS
    assert spec.group in KNOWN_GROUPS, spec.group
    assert not ("write" in spec.flags and "readonly" in spec.flags)
    if "denyoom" in spec.flags:
        assert "write" in spec.flags
    if spec.first_key == 0:
        assert spec.last_key == 0 and spec.step == 0
    else:
        assert spec.first_key > 0 and spec.step > 0
        if spec.arity > 0 and spec.last_key >= 0:
            assert spec.last_key < spec.arity
    if spec.subcommands is not None:
        assert spec.subcommands, "a container needs subcommands"
        for sub in spec.subcommands.values():
            assert sub.parent is spec and sub.name.startswith(spec.name + "|")
            assert sub.arity == 2 or abs(sub.arity) >= 2
    else:
        assert spec.proc is not None
    if spec.proc is not None:
        words = spec.name.upper().split("|")
        assert spec.syntax.split()[:len(words)] == words, spec.syntax
        assert spec.summary, f"{spec.name}: docstring needs a summary line"


def test_acl_category_derivation():
    assert acl_categories(COMMAND_TABLE[b"ping"]) == ["fast", "connection"]
    assert acl_categories(COMMAND_TABLE[b"info"]) == ["slow", "dangerous"]
    assert acl_categories(COMMAND_TABLE[b"config"]) == ["slow"]
    assert acl_categories(lookup_by_fullname(b"config|get")) == ["admin", "slow", "dangerous"]
    assert acl_categories(lookup_by_fullname(b"command|info")) == ["slow", "connection"]
    spec = CommandSpec("x", None, 1, "write blocking", group="list", acl="dangerous")
    assert acl_categories(spec) == ["write", "list", "slow", "blocking", "dangerous"]
    sort_like = CommandSpec("y", None, 1, "write", group="generic", acl="-keyspace set")
    assert acl_categories(sort_like) == ["write", "set", "slow"]


def test_command_info_entry_shape():
    entry = command_info_entry(COMMAND_TABLE[b"config"])
    assert entry[0] == b"config" and entry[1] == -2 and entry[2] == []
    assert {sub[0] for sub in entry[9]} == {b"config|get", b"config|set", b"config|resetstat",
                                           b"config|rewrite", b"config|help"}
    assert encode_resp(command_info_entry(COMMAND_TABLE[b"ping"])) == (
        b"*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n"
        b"+@connection\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\n"
        b"response_policy:all_succeeded\r\n*0\r\n*0\r\n")


# -- PING ECHO TIME QUIT ----------------------------------------------------------------

def test_ping_echo_time_quit(e):
    assert e.call("PING") == Status("PONG")
    assert e.call("PING", "hi") == b"hi"
    assert e.execute("PING", "a", "b") == ReplyError(errors.WRONG_ARITY.format("ping"))
    assert e.call("ECHO", "x") == b"x"
    assert e.call("QUIT") == "OK"
    now = e.clock.now_us()
    assert e.call("TIME") == [b"%d" % (now // 10**6), b"%d" % (now % 10**6)]
    e.advance(1500)
    assert e.call("TIME") == [b"%d" % ((now + 1_500_000) // 10**6), b"%d" % (now % 10**6 + 500000)]


# -- AUTH HELLO RESET ---------------------------------------------------------------------

def test_auth_without_password(e):
    assert e.execute("AUTH", "x") == ReplyError(errors.AUTH_NOT_CONFIGURED)
    assert e.call("AUTH", "default", "anything") == "OK"
    assert e.execute("AUTH", "alice", "x") == ReplyError(errors.WRONGPASS)
    assert e.execute("AUTH", "a", "b", "c") == ReplyError(errors.SYNTAX)


def test_auth_with_password():
    e = Engine(config={"requirepass": "pw"})
    c = e.client()
    assert c.execute([b"GET", b"k"]) == ReplyError(errors.NOAUTH)
    assert c.execute([b"HELLO", b"3"]) == ReplyError(errors.HELLO_NOAUTH)
    assert c.execute([b"AUTH", b"bad"]) == ReplyError(errors.WRONGPASS)
    assert c.call("AUTH", "pw") == "OK"
    assert c.call("PING") == "PONG"
    assert c.call("RESET") == "RESET"
    assert c.execute([b"PING"]) == ReplyError(errors.NOAUTH)
    r = c.call("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me")
    assert r[b"proto"] == 3 and c.resp == 3 and c.name == "me"


def test_hello(e):
    c = e.client()
    r = c.call("HELLO")
    assert r == {b"server": b"redis", b"version": b"7.0.15", b"proto": 2, b"id": c.id,
                 b"mode": b"standalone", b"role": b"master", b"modules": []}
    assert c.call("HELLO", "3", "SETNAME", "n1")[b"proto"] == 3
    assert c.resp == 3 and c.call("CLIENT", "GETNAME") == b"n1"
    assert c.execute([b"HELLO", b"4"]) == ReplyError(errors.NOPROTO)
    assert c.execute([b"HELLO", b"x"]) == ReplyError(errors.HELLO_PROTO_NOT_INTEGER)
    assert c.execute([b"HELLO", b"2", b"foo"]) == ReplyError(errors.HELLO_SYNTAX.format("foo"))
    assert c.execute([b"HELLO", b"2", b"SETNAME", b"a b"]) == ReplyError(
        errors.CLIENT_NAME_INVALID)
    assert c.resp == 3  # a failed HELLO does not switch


def test_reset(e):
    c = e.client()
    c.call("HELLO", "3", "SETNAME", "x")
    c.call("SELECT", "2")
    c.call("WATCH", "k")
    c.call("MULTI")
    c.call("SET", "k", "v")
    assert c.call("RESET") == Status("RESET")
    assert c.multi is None and c.watched == [] and c.db.id == 0
    assert c.resp == 2 and c.name == ""
    assert c.execute([b"EXEC"]) == ReplyError(errors.EXEC_WITHOUT_MULTI)


# -- CLIENT -----------------------------------------------------------------------------------

LIST_FIELDS = ("id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free "
               "argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir "
               "resp").split()


def fields(line: bytes) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in line.decode().strip().split(" "))


def test_client_id_name(e):
    c = e.client()
    assert c.call("CLIENT", "ID") == c.id
    assert c.call("CLIENT", "GETNAME") is None
    assert c.execute([b"CLIENT", b"SETNAME", b"a b"]) == ReplyError(errors.CLIENT_NAME_INVALID)
    assert c.execute([b"CLIENT", b"SETNAME", "é".encode()]) == ReplyError(
        errors.CLIENT_NAME_INVALID)
    assert c.call("CLIENT", "SETNAME", "worker-1") == "OK"
    assert c.call("CLIENT", "GETNAME") == b"worker-1"
    assert c.call("CLIENT", "SETNAME", "") == "OK"
    assert c.call("CLIENT", "GETNAME") is None


def test_client_list_and_info(e):
    a = e.client()
    b = e.client()
    a.call("CLIENT", "SETNAME", "alpha")
    b.call("SELECT", "3")
    b.call("MULTI")
    b.call("PING")
    e.advance(5000)
    a.call("PING")
    lines = a.call("CLIENT", "LIST").splitlines()
    assert len(lines) == len(e.clients)
    by_id = {int(fields(x)["id"]): fields(x) for x in lines}
    assert list(fields(lines[0])) == LIST_FIELDS
    fa, fb = by_id[a.id], by_id[b.id]
    assert fa["name"] == "alpha" and fa["cmd"] == "client|list" and fa["age"] == "5"
    assert fa["idle"] == "0" and fa["flags"] == "N" and fa["multi"] == "-1"
    assert fb["db"] == "3" and fb["flags"] == "x" and fb["multi"] == "1"
    assert fb["idle"] == "5" and fb["cmd"] == "multi"
    info = a.call("CLIENT", "INFO")
    assert info.endswith(b"\n") and fields(info)["cmd"] == "client|info"
    assert a.call("CLIENT", "LIST", "ID", str(b.id), "999") == lines[[int(fields(x)["id"])
                                                                     for x in lines].index(b.id)] + b"\n"
    assert a.call("CLIENT", "LIST", "TYPE", "pubsub") == b""
    assert a.execute([b"CLIENT", b"LIST", b"TYPE", b"foo"]) == ReplyError(
        errors.CLIENT_UNKNOWN_TYPE.format("foo"))
    assert a.execute([b"CLIENT", b"LIST", b"ID", b"x"]) == ReplyError(errors.CLIENT_INVALID_ID)
    assert a.execute([b"CLIENT", b"LIST", b"foo"]) == ReplyError(errors.SYNTAX)


def test_client_help(e):
    h = e.call("CLIENT", "HELP")
    assert h[0].startswith("CLIENT <subcommand>") and h[-2:] == ["HELP", "    Prints this help."]


# -- CONFIG RESETSTAT / REWRITE / HELP -------------------------------------------------------

def test_resetstat(e):
    e.call("SET", "k", "v")
    e.call("GET", "k")
    e.call("GET", "nope")
    e.execute("INCR", "k")
    e.execute("NOSUCHCMD")
    assert e.stat_keyspace_hits == 1 and e.stat_keyspace_misses == 1
    assert e.call("CONFIG", "RESETSTAT") == "OK"
    assert e.stat_keyspace_hits == 0 and e.stat_keyspace_misses == 0
    assert e.stat_total_error_replies == 0 and e.errorstats == {}
    info = parse_info(e.call("INFO", "commandstats", "stats"))
    assert list(info["Commandstats"]) == ["cmdstat_config|resetstat"]
    assert info["Stats"]["total_commands_processed"] == "1"


def test_rewrite_and_help(e):
    assert e.execute("CONFIG", "REWRITE") == ReplyError(errors.CONFIG_REWRITE_NO_FILE)
    assert e.call("CONFIG", "HELP")[1] == "GET <pattern>"
    assert e.execute("CONFIG", "FOO") == ReplyError(
        errors.UNKNOWN_SUBCOMMAND.format("FOO", "CONFIG"))


# -- COMMAND ------------------------------------------------------------------------------------

def test_command_count_list_info_docs(e):
    assert e.call("COMMAND", "COUNT") == len(COMMAND_TABLE)
    assert len(e.call("COMMAND")) == len(COMMAND_TABLE)
    names = e.call("COMMAND", "LIST")
    assert b"config|get" in names and b"ping" in names
    assert set(e.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG*")) == {
        b"config", b"config|get", b"config|set", b"config|resetstat", b"config|rewrite",
        b"config|help"}
    assert b"config|get" in e.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "ADMIN")
    assert e.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x") == []
    assert e.execute("COMMAND", "LIST", "FILTERBY", "x", "y") == ReplyError(errors.SYNTAX)
    info = e.call("COMMAND", "INFO", "CONFIG|GET", "nosuch")
    assert info[0][0] == b"config|get" and info[1] is None
    docs = e.call("COMMAND", "DOCS", "config", "nosuch")
    assert list(docs) == [b"config"]
    assert set(docs[b"config"][b"subcommands"]) >= {b"config|get", b"config|set"}
    assert docs[b"config"][b"group"] == b"server"
    assert e.call("COMMAND", "HELP")[0].startswith("COMMAND <subcommand>")


def test_command_getkeys(e):
    assert e.call("COMMAND", "GETKEYS", "GET", "a") == [b"a"]
    assert e.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == [b"a", b"b"]
    assert e.execute("COMMAND", "GETKEYS", "PING", "x") == ReplyError(errors.GETKEYS_NO_KEYS)
    assert e.execute("COMMAND", "GETKEYS", "NOSUCH", "x") == ReplyError(
        errors.GETKEYS_INVALID_COMMAND)
    assert e.execute("COMMAND", "GETKEYS", "GET", "a", "b") == ReplyError(
        errors.GETKEYS_BAD_ARITY)
    assert e.call("COMMAND", "GETKEYSANDFLAGS", "GET", "a") == [[b"a", ["RO", "access"]]]


def test_command_getkeys_uses_a_handler_getkeys():
    spec = COMMAND_TABLE[b"get"]
    old = spec.proc

    def proc(c, argv):
        return old(c, argv)

    proc.getkeys = lambda argv: None
    spec.proc = proc
    try:
        e = Engine()
        assert e.execute("COMMAND", "GETKEYS", "GET", "a") == ReplyError(
            errors.GETKEYS_INVALID_ARGS)
    finally:
        spec.proc = old


# -- INFO ------------------------------------------------------------------------------------

def test_info_sections_selection():
    assert info_sections([]) == ["server", "clients", "memory", "persistence", "stats",
                                 "replication", "cpu", "modules", "errorstats", "cluster",
                                 "keyspace"]
    assert "commandstats" in info_sections([b"all"])
    assert "latencystats" in info_sections([b"everything"])
    assert info_sections([b"KEYSPACE", b"server"]) == ["server", "keyspace"]
    assert info_sections([b"foo"]) == []


def test_info_format(e):
    text = e.call("INFO")
    assert text.startswith(b"# Server\r\nredis_version:7.0.15\r\n")
    assert text.endswith(b"# Keyspace\r\n")
    assert b"\r\n\r\n# Clients\r\n" in text
    assert e.call("INFO", "foo") == b""
    assert e.call("INFO", "server", "foo").endswith(b"io_threads_active:0\r\n")
    c = e.client()
    c.resp = 3
    r = c.call("INFO", "cluster")
    assert isinstance(r, Verbatim) and r == b"# Cluster\r\ncluster_enabled:0\r\n"
    assert encode_resp(r, 3) == b"=%d\r\ntxt:%b\r\n" % (len(r) + 4, r)


def test_info_is_deterministic():
    a, b = Engine(), Engine()
    for eng in (a, b):
        eng.call("SET", "k", "v")
        eng.advance(2500)
    assert gen_info_string(a, [b"everything"]) == gen_info_string(b, [b"everything"])


def test_info_state_values(e):
    e.call("SET", "a", "1")
    e.call("SET", "b", "2", "EX", "100")
    e.call("SELECT", "5")
    e.call("SET", "c", "3")
    e.call("SELECT", "0")
    e.call("GET", "a")
    e.call("GET", "zz")
    e.execute("INCR", "nope", "x")
    e.execute("HGET", "a", "f")
    e.advance(3000)
    info = info_dict(e, ["everything"])
    assert info["keyspace"] == {"db0": "keys=2,expires=1,avg_ttl=" + str(e.dbs[0].avg_ttl),
                                "db5": "keys=1,expires=0,avg_ttl=0"}
    # HGET on a string counts a hit before its WRONGTYPE, as in Redis
    assert info["stats"]["keyspace_hits"] == 2 and info["stats"]["keyspace_misses"] == 1
    assert info["stats"]["total_error_replies"] == 2
    assert info["errorstats"] == {"errorstat_ERR": "count=1", "errorstat_WRONGTYPE": "count=1"}
    assert info["commandstats"]["cmdstat_set"].startswith("calls=3,usec=0,")
    assert info["commandstats"]["cmdstat_incr"] == (
        "calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0")
    assert info["commandstats"]["cmdstat_hget"].endswith("failed_calls=1")
    assert info["latencystats"]["latency_percentiles_usec_set"] == "p50=0.000,p99=0.000,p99.9=0.000"
    assert info["server"]["uptime_in_seconds"] == 3
    assert info["server"]["run_id"] == e.run_id and len(e.run_id) == 40
    assert info["memory"]["maxmemory_policy"] == "noeviction"
    assert info["persistence"]["rdb_changes_since_last_save"] == e.dirty


def test_info_memory_reads_the_model(e):
    e.used_memory = 2_000_000
    e.used_memory_startup = 1_000_000
    e.used_memory_dataset = lambda: 500_000
    mem = info_dict(e, ["memory"])["memory"]
    assert mem["used_memory"] == 2_000_000
    assert mem["used_memory_human"] == "1.91M"
    assert mem["used_memory_dataset_perc"] == "50.00%"
    assert mem["used_memory_peak"] == 2_000_000


def test_bytes_to_human():
    assert [bytes_to_human(n) for n in (0, 1023, 1024, 1536, 1 << 20, 3 << 30)] == [
        "0B", "1023B", "1.00K", "1.50K", "1.00M", "3.00G"]


# -- DEBUG ----------------------------------------------------------------------------------

def test_debug_disabled_by_default():
    e = Engine()
    assert e.execute("DEBUG", "HELP") == ReplyError(errors.DEBUG_DISABLED)
    local = Engine(config={"enable-debug-command": "local"})
    assert local.call("DEBUG", "SLEEP", "0") == "OK"


def test_debug_sleep_advances_virtual_time(e):
    t0 = e.clock.now_ms()
    loops = e.cronloops
    assert e.call("DEBUG", "SLEEP", "0.25") == "OK"
    assert e.clock.now_ms() == t0 + 250
    assert e.cronloops > loops
    assert e.call("DEBUG", "SLEEP", "abc") == "OK"
    assert e.call("DEBUG", "SLEEP", "-1") == "OK"
    assert e.clock.now_ms() == t0 + 250


def test_debug_set_active_expire(e):
    assert e.call("DEBUG", "SET-ACTIVE-EXPIRE", "0") == "OK"
    assert e.active_expire_enabled is False
    assert e.call("DEBUG", "SET-ACTIVE-EXPIRE", "1") == "OK"
    assert e.active_expire_enabled is True


def test_debug_object(e):
    e.call("SET", "s", "v")
    e.call("SET", "n", "123")
    e.call("SET", "big", "abcdefghijklmnopqrstuvwxyz0123456789-")
    e.call("RPUSH", "l", "a", "b")
    r = e.call("DEBUG", "OBJECT", "s")
    m = re.fullmatch(r"Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:2 "
                     r"lru:(\d+) lru_seconds_idle:0", r)
    assert m and int(m.group(1)) == e.keyspace()[b"s"].lru
    assert e.call("DEBUG", "OBJECT", "s") == r  # the address is stable
    assert "refcount:2147483647 encoding:int serializedlength:2" in e.call("DEBUG", "OBJECT", "n")
    assert "encoding:embstr serializedlength:38" in e.call("DEBUG", "OBJECT", "big")
    assert e.call("DEBUG", "OBJECT", "l").endswith(
        "ql_nodes:1 ql_avg_node:2.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:13")
    assert e.execute("DEBUG", "OBJECT", "nokey") == ReplyError(errors.NO_SUCH_KEY)
    e.advance(10_000)
    assert "lru_seconds_idle:10" in e.call("DEBUG", "OBJECT", "s")


def test_debug_errors(e):
    assert e.execute("DEBUG", "FOO") == ReplyError(errors.DEBUG_UNKNOWN_SUBCOMMAND.format("FOO"))
    assert e.execute("DEBUG", "SLEEP") == ReplyError(
        errors.DEBUG_UNKNOWN_SUBCOMMAND.format("SLEEP"))
    assert e.call("DEBUG", "HELP")[-1] == "    Prints this help."
