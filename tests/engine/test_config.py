"""The configuration table and CONFIG GET/SET semantics (lab/engine/config.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab.engine import Engine, ReplyError, errors
from lab.engine.config import (
    ALL_NAMES,
    PARAM_BY_NAME,
    PARAMS,
    Config,
    memtoull,
    notify_flags_from_string,
    notify_flags_to_string,
)


def fail_text(name: str, reason: str) -> str:
    return errors.CONFIG_SET_FAILED.format(name, reason)


@pytest.fixture
def e():
    return Engine()


def test_table_has_every_7_0_name_once():
    assert len(ALL_NAMES) == len(set(ALL_NAMES)) == 192
    for p in PARAMS:
        assert PARAM_BY_NAME[p.name] is p
        for a in p.aliases:
            assert PARAM_BY_NAME[a] is p


def test_defaults_round_trip_through_format_and_parse():
    for p in PARAMS:
        text = p.format(p.default)
        if p.kind == "obuf":
            continue
        assert p.format(p.parse(text)) == text, p.name


def test_documented_defaults(e):
    cfg = e.config
    assert cfg.hash_max_listpack_entries == 512
    assert cfg.zset_max_listpack_entries == 128
    assert cfg.get_bytes("save") == b"3600 1 300 100 60 10000"
    assert cfg.get_bytes("client-output-buffer-limit") == (
        b"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
    assert cfg.get_bytes("latency-tracking-info-percentiles") == b"50 99 99.9"
    assert cfg.get_bytes("maxmemory-policy") == b"noeviction"
    assert cfg.get_bytes("appendfsync") == b"everysec"
    assert cfg.get_bytes("notify-keyspace-events") == b""


def test_memtoull():
    assert memtoull("1k") == 1000
    assert memtoull("1KB") == 1024
    assert memtoull("2gb") == 2 << 30
    assert memtoull("") == 0
    assert memtoull("-1") is None
    assert memtoull("1.5mb") is None
    assert memtoull("99999999999999999999") is None


def test_config_get_exact_name_is_echoed_and_deduplicated(e):
    assert e.call("CONFIG", "GET", "HZ") == {b"HZ": b"10"}
    assert e.call("CONFIG", "GET", "HZ", "hz") == {b"HZ": b"10"}
    assert e.call("CONFIG", "GET", "h?", "hz") == {b"hz": b"10"}
    assert e.call("CONFIG", "GET", "nosuch") == {}


def test_config_get_patterns_include_aliases(e):
    got = e.call("CONFIG", "GET", "*max-*-entries*")
    assert set(got) == {b"hash-max-listpack-entries", b"hash-max-ziplist-entries",
                        b"zset-max-listpack-entries", b"zset-max-ziplist-entries",
                        b"set-max-intset-entries"}
    assert len(e.call("CONFIG", "GET", "*")) == 192


def test_set_then_get_every_type(e):
    e.call("CONFIG", "SET", "maxmemory", "10MB", "appendonly", "YES",
           "maxmemory-policy", "ALLKEYS-LRU", "notify-keyspace-events", "gx$n")
    got = e.call("CONFIG", "GET", "maxmemory", "appendonly", "maxmemory-policy",
                 "notify-keyspace-events")
    assert got == {b"maxmemory": b"10485760", b"appendonly": b"yes",
                   b"maxmemory-policy": b"allkeys-lru", b"notify-keyspace-events": b"g$xn"}


@pytest.mark.parametrize("name,value,reason", [
    ("hz", "abc", "argument couldn't be parsed into an integer"),
    ("hz", "010", "argument couldn't be parsed into an integer"),
    ("hz", "-1", "argument must be between 0 and 2147483647 inclusive"),
    ("maxmemory", "-1", "argument must be a memory value"),
    ("maxmemory", "1.5mb", "argument must be a memory value"),
    ("proto-max-bulk-len", "100", "argument must be between 1048576 and 9223372036854775807 "
                                  "inclusive"),
    ("hash-max-listpack-entries", "1k", "argument couldn't be parsed into an integer"),
    ("hash-max-listpack-value", "-1", "argument must be a memory value"),
    ("appendonly", "1", "argument must be 'yes' or 'no'"),
    ("appendfsync", "x", "argument(s) must be one of the following: everysec, always, no"),
    ("notify-keyspace-events", "Q", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    ("save", "100", "Invalid save parameters"),
    ("maxmemory-clients", "101%", "percentage argument must be less or equal to 100"),
    ("oom-score-adj-values", "1 2", "wrong number of arguments"),
    ("client-output-buffer-limit", "foo 1 2 3",
     "Invalid client class specified in buffer limit configuration."),
    ("latency-tracking-info-percentiles", "101",
     "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
])
def test_bad_values(e, name, value, reason):
    r = e.execute("CONFIG", "SET", name, value)
    assert r == ReplyError(fail_text(name, reason))


def test_error_quotes_name_as_typed_or_lowercased(e):
    # parse errors quote the config's own (lower-case) name
    assert e.execute("CONFIG", "SET", "HZ", "abc") == ReplyError(
        fail_text("hz", "argument couldn't be parsed into an integer"))
    # flag and duplicate errors quote the argument as typed
    assert e.execute("CONFIG", "SET", "hz", "1", "HZ", "2") == ReplyError(
        fail_text("HZ", "duplicate parameter"))
    assert e.execute("CONFIG", "SET", "Databases", "3") == ReplyError(
        fail_text("Databases", "can't set immutable config"))
    assert e.execute("CONFIG", "SET", "dir", "/tmp") == ReplyError(
        fail_text("dir", "can't set protected config"))


def test_first_problem_wins(e):
    assert e.execute("CONFIG", "SET", "foo", "1", "databases", "2") == ReplyError(
        errors.CONFIG_SET_UNKNOWN.format("foo"))
    assert e.execute("CONFIG", "SET", "databases", "2", "foo", "1") == ReplyError(
        fail_text("databases", "can't set immutable config"))
    assert e.execute("CONFIG", "SET", "hz", "10", "maxmemory") == ReplyError(errors.SYNTAX)


def test_alias_and_canonical_are_not_duplicates(e):
    assert e.call("CONFIG", "SET", "hash-max-ziplist-entries", "10",
                  "hash-max-listpack-entries", "20") == "OK"
    assert e.config.hash_max_listpack_entries == 20


def test_set_is_atomic(e):
    r = e.execute("CONFIG", "SET", "hz", "15", "maxmemory-policy", "bad")
    assert isinstance(r, ReplyError)
    assert e.config.hz == 10
    assert e.hz == 10


def test_hz_is_clamped_and_refreshes_the_cron_period(e):
    e.call("CONFIG", "SET", "hz", "0")
    assert e.call("CONFIG", "GET", "hz") == {b"hz": b"1"}
    assert e.cron_period_ms == 1000
    e.call("CONFIG", "SET", "hz", "600")
    assert e.config.hz == 500 and e.cron_period_ms == 2


def test_policy_and_notify_hooks(e):
    e.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    assert e.lfu_policy
    e.call("CONFIG", "SET", "notify-keyspace-events", "KEA")
    assert e.notify_flags == notify_flags_from_string("KEA")
    assert e.call("CONFIG", "GET", "notify-keyspace-events")[b"notify-keyspace-events"] == b"AKE"


def test_notify_flags_text():
    assert notify_flags_to_string(notify_flags_from_string("An")) == "A"
    assert notify_flags_to_string(notify_flags_from_string("AKEm")) == "AKEm"
    assert notify_flags_from_string("Q") is None


def test_client_output_buffer_limit_merges_classes(e):
    e.call("CONFIG", "SET", "client-output-buffer-limit", "replica 1 2 3")
    assert e.config.get_bytes("client-output-buffer-limit") == (
        b"normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60")


def test_memory_percent(e):
    e.call("CONFIG", "SET", "maxmemory-clients", "10%")
    assert e.call("CONFIG", "GET", "maxmemory-clients") == {b"maxmemory-clients": b"10%"}
    e.call("CONFIG", "SET", "maxmemory-clients", "1kb")
    assert e.call("CONFIG", "GET", "maxmemory-clients") == {b"maxmemory-clients": b"1024"}


def test_attribute_assignment_is_a_config_file_set(e):
    e.config.maxmemory_policy = "volatile-lfu"
    assert e.lfu_policy
    e.config.dir = "/data"  # protected for CONFIG SET, fine from Python
    assert e.config.dir == "/data"
    with pytest.raises(ReplyError):
        e.config.hz = -5
    with pytest.raises(AttributeError):
        e.config.no_such_thing = 1


def test_constructor_overrides():
    e = Engine(config={"hz": 100, "enable-debug-command": "yes", "appendonly": True,
                       "maxmemory": "1mb"})
    assert e.config.hz == 100 and e.hz == 100
    assert e.config.enable_debug_command == "yes"
    assert e.config.appendonly is True
    assert e.config.maxmemory == 1 << 20
    with pytest.raises(ValueError):
        Config(e, {"nosuch": 1})


def test_protected_configs_when_enabled():
    e = Engine(config={"enable-protected-configs": "yes"})
    assert e.call("CONFIG", "SET", "dir", "/x") == "OK"


def test_requirepass_flow(e):
    other = e.client()
    e.call("CONFIG", "SET", "requirepass", "pw")
    fresh = e.client()
    assert fresh.execute([b"PING"]) == ReplyError(errors.NOAUTH)
    assert other.call("PING") == "PONG"  # connected before: stays authenticated
    e.call("CONFIG", "SET", "requirepass", "")
    assert fresh.call("PING") == "PONG"


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_memory_values_round_trip(n):
    p = PARAM_BY_NAME["maxmemory"]
    assert p.parse(p.format(n)) == n


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_int_range_check(n):
    p = PARAM_BY_NAME["hz"]
    if 0 <= n <= 2147483647:
        assert p.parse(b"%d" % n) == n
    else:
        with pytest.raises(ValueError, match="between 0 and 2147483647"):
            p.parse(b"%d" % n)
