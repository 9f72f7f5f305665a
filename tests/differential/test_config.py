"""CONFIG GET/SET/RESETSTAT/REWRITE/HELP against a real 7.0 server."""

from __future__ import annotations

import pytest

from lab.engine.config import ALL_NAMES, PARAM_BY_NAME

from .harness import parse_resp

# values that depend on how the reference server was started (harness.RedisServer)
PROCESS_DEPENDENT = {"port", "bind", "dir", "logfile", "save", "enable-debug-command"}


def as_pairs(reply: bytes) -> dict[bytes, bytes]:
    v = parse_resp(reply)
    return dict(zip(v[::2], v[1::2]))


def test_config_get_star_names_and_defaults(diff):
    real, mine = diff.both("CONFIG", "GET", "*")
    r, m = as_pairs(real), as_pairs(mine)
    assert set(m) == set(r)
    assert len(r) == len(ALL_NAMES)
    diffs = {k: (r[k], m[k]) for k in r
             if r[k] != m[k] and k.decode() not in PROCESS_DEPENDENT}
    assert diffs == {}


@pytest.mark.parametrize("args", [
    ["hz"], ["HZ"], ["HZ", "hz"], ["hz", "HZ"], ["h?", "hz"], ["nosuch"],
    ["hash-max-ziplist-entries"], ["maxmemory-policy"], ["notify-keyspace-events"],
    ["client-output-buffer-limit"], ["latency-tracking-info-percentiles"],
    ["oom-score-adj-values"], ["maxmemory-clients"], ["unixsocketperm"],
])
def test_config_get_single(diff, args):
    diff.check("CONFIG", "GET", *args)


@pytest.mark.parametrize("pattern", ["*max-*-entries*", "*delay*", "lazyfree*", "*", "repl-*",
                                     "[hz]*", "slave*", "*-ziplist-*"])
def test_config_get_patterns(diff, pattern):
    real, mine = diff.both("CONFIG", "GET", pattern)
    assert set(as_pairs(mine)) == set(as_pairs(real))


def test_config_get_arity(diff):
    diff.run([["CONFIG", "GET"], ["CONFIG", "SET"], ["CONFIG", "SET", "hz"],
              ["CONFIG", "RESETSTAT", "x"], ["CONFIG", "FOO"], ["CONFIG"]])


SET_CASES = [
    ["hz", "abc"], ["hz", "010"], ["hz", "+10"], ["hz", " 10"], ["hz", ""], ["hz", "-1"],
    ["HZ", "abc"], ["hash-max-ziplist-entries", "abc"], ["Hash-Max-Ziplist-Entries", "x"],
    ["maxmemory", "abc"], ["maxmemory", "-1"], ["maxmemory", "1.5mb"],
    ["proto-max-bulk-len", "100"], ["hash-max-listpack-entries", "-1"],
    ["hash-max-listpack-entries", "1k"], ["hash-max-listpack-value", "-1"],
    ["maxmemory-samples", "0"], ["maxmemory-policy", "foo"], ["maxmemory-policy", ""],
    ["appendfsync", "foo"], ["appendonly", "maybe"], ["appendonly", ""], ["activerehashing", "1"],
    ["databases", "10"], ["dir", "/tmp"], ["dbfilename", "x.rdb"], ["enable-debug-command", "no"],
    ["slaveof", "abc"], ["rdbchecksum", "no"], ["logfile", "x"],
    ["notify-keyspace-events", "Q"], ["save", "100"], ["save", "100 1 a 1"], ["save", "0 1"],
    ["save", "10 -1"], ["slowlog-log-slower-than", "-2"], ["timeout", "-1"], ["port", "70000"],
    ["maxclients", "0"], ["lfu-log-factor", "-1"], ["active-expire-effort", "11"],
    ["list-max-listpack-size", "99999999999"], ["maxmemory-clients", "101%"],
    ["maxmemory-clients", "abc"], ["oom-score-adj-values", "1 2"],
    ["oom-score-adj-values", "a b c"], ["oom-score-adj-values", "0 200 3000"],
    ["client-output-buffer-limit", "foo 1 2 3"], ["client-output-buffer-limit", "normal a 2 3"],
    ["client-output-buffer-limit", "normal 1 2 -3"], ["client-output-buffer-limit", "normal 1"],
    ["latency-tracking-info-percentiles", "101"], ["latency-tracking-info-percentiles", "x"],
    ["shutdown-on-sigint", "bogus"], ["oom-score-adj", "maybe"], ["tls-auth-clients", "x"],
    ["foo", "bar"],
]


@pytest.mark.parametrize("pair", SET_CASES, ids="=".join)
def test_config_set_errors(diff, pair):
    diff.check("CONFIG", "SET", *pair)


def test_config_set_multi_errors_first_problem_wins(diff):
    diff.run([
        ["CONFIG", "SET", "hz", "10", "maxmemory"],
        ["CONFIG", "SET", "hz", "10", "hz"],
        ["CONFIG", "SET", "hz", "11", "hz", "12"],
        ["CONFIG", "SET", "hz", "11", "HZ", "12"],
        ["CONFIG", "SET", "hz", "10", "HZ", "11", "foo", "1"],
        ["CONFIG", "SET", "foo", "1", "databases", "2"],
        ["CONFIG", "SET", "databases", "3", "dir", "/tmp"],
        ["CONFIG", "SET", "dir", "/tmp", "databases", "3"],
        ["CONFIG", "SET", "hz", "abc", "maxmemory", "abc"],
        ["CONFIG", "SET", "maxmemory", "abc", "hz", "abc"],
        ["CONFIG", "SET", "hz", "10", "hz", "abc"],
    ])


def test_config_set_is_atomic(diff):
    diff.run([
        ["CONFIG", "SET", "hz", "15", "maxmemory-policy", "bad"],
        ["CONFIG", "GET", "hz"],
        ["CONFIG", "SET", "hz", "15", "foo", "bar"],
        ["CONFIG", "GET", "hz"],
    ])


@pytest.mark.parametrize("name,values", [
    ("hz", ["0", "600", "10"]),
    ("maxmemory", ["1k", "1kb", "1g", "10MB", "", "0"]),
    ("maxmemory-policy", ["ALLKEYS-LRU", "volatile-lfu", "noeviction"]),
    ("appendonly", ["YES", "no"]),
    ("notify-keyspace-events", ["KEA", "AKEm", "An", "gx$n", "KEg$lshzxetd", ""]),
    ("save", ["3600 1 300 100", "3600 1 3600 2", ""]),
    ("maxmemory-clients", ["10%", "1kb", "0"]),
    ("latency-tracking-info-percentiles", ["50.5 99", "", "50 99 99.9"]),
    ("client-output-buffer-limit", ["normal 1 2 3", "normal 1mb 2 3", "replica 1 2 3",
                                    "normal 0 0 0 slave 268435456 67108864 60 "
                                    "pubsub 33554432 8388608 60"]),
    ("oom-score-adj-values", ["0 20 10", "0 200 800"]),
    ("list-max-listpack-size", ["-6", "0", "-2"]),
    ("shutdown-on-sigint", ["nosave", "default"]),
])
def test_config_set_then_get(diff, name, values):
    for v in values:
        diff.check("CONFIG", "SET", name, v)
        diff.check("CONFIG", "GET", name)


def test_alias_and_canonical_in_one_set(diff):
    diff.run([
        ["CONFIG", "SET", "hash-max-ziplist-entries", "10", "hash-max-listpack-entries", "20"],
        ["CONFIG", "GET", "hash-max-ziplist-entries"],
        ["CONFIG", "SET", "hash-max-listpack-entries", "512"],
    ])


def test_config_rewrite_and_help(diff):
    diff.run([["CONFIG", "REWRITE"], ["CONFIG", "HELP"], ["CONFIG", "RESETSTAT"]])


def test_every_modifiable_param_accepts_its_own_value(diff):
    """Setting a parameter to its current value is accepted by both sides (or refused
    with the same immutable/protected error)."""
    for name in ALL_NAMES:
        if name in PROCESS_DEPENDENT or name in ("bind", "requirepass"):
            continue
        value = parse_resp(diff.real.command("CONFIG", "GET", name))[1]
        p = PARAM_BY_NAME[name]
        assert p.format(p.parse(value)) == value, name
        diff.check("CONFIG", "SET", name, value)
