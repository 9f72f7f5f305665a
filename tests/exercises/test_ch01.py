"""Chapter 1 exercise checks: a correct solution passes, a typical wrong one fails with
a hint (and the check never changes the reader's data)."""

from __future__ import annotations

import random

import pytest

import lab
from lab.exercises import Result
from lab.exercises import ch01 as check


@pytest.fixture
def e():
    return lab.Engine(seed=0)


@pytest.fixture
def r(e):
    return lab.connect(e)


def assert_fails(result: Result, *words: str):
    assert isinstance(result, Result)
    assert not result, str(result)
    assert result.hint, "a failing check gives a hint"
    text = str(result)
    assert text.startswith("✘") and "hint:" in text
    for w in words:
        assert w in text, (w, text)


def assert_passes(result: Result):
    assert result, str(result)
    assert str(result).startswith("✔")


# -- page views ---------------------------------------------------------------------------

def test_page_views_solution(r):
    for _ in range(100):
        r.incr("page:home:views")
    assert_passes(check.page_views(r))


def test_page_views_get_set_is_refused(r):
    for _ in range(100):
        v = r.get("page:home:views")
        r.set("page:home:views", int(v or 0) + 1)
    assert_fails(check.page_views(r), "INCR")


def test_page_views_missing_and_wrong_value(r):
    assert_fails(check.page_views(r), "no key")
    for _ in range(99):
        r.incr("page:home:views")
    assert_fails(check.page_views(r), "'99'")


# -- user profile -----------------------------------------------------------------------

def test_user_profile_solution(r):
    r.hset("user:1000", mapping={"name": "Ada Lovelace", "email": "ada@example.com", "visits": 0})
    r.hincrby("user:1000", "visits", 1)
    res = check.user_profile(r)
    assert_passes(res)
    assert "listpack" in str(res)


def test_user_profile_as_json_string_fails(r):
    r.set("user:1000", '{"name": "Ada Lovelace"}')
    assert_fails(check.user_profile(r), "not a hash")


def test_user_profile_without_hincrby_fails(r):
    r.hset("user:1000", mapping={"name": "Ada Lovelace", "email": "ada@example.com", "visits": 1})
    assert_fails(check.user_profile(r), "HINCRBY")


# -- leaderboard --------------------------------------------------------------------------

def test_leaderboard_solution(r):
    r.zadd("leaderboard:2025", {"ada": 3100, "alan": 2900, "grace": 3300, "linus": 2500,
                                "barbara": 2800})
    r.zincrby("leaderboard:2025", 500, "alan")
    assert_passes(check.leaderboard(r))


def test_leaderboard_missing_win_fails(r):
    r.zadd("leaderboard:2025", {"ada": 3100, "alan": 2900, "grace": 3300, "linus": 2500,
                                "barbara": 2800})
    assert_fails(check.leaderboard(r), "ZINCRBY")


def test_leaderboard_list_fails(r):
    r.rpush("leaderboard:2025", "grace", "alan", "ada")
    assert_fails(check.leaderboard(r), "not a sorted set")


# -- recent events -------------------------------------------------------------------------

def test_recent_events_solution(r):
    for i in range(1, 9):
        r.lpush("events:recent", f"e{i}")
        r.ltrim("events:recent", 0, 4)
    assert_passes(check.recent_events(r))


def test_recent_events_uncapped_fails(r):
    for i in range(1, 9):
        r.lpush("events:recent", f"e{i}")
    assert_fails(check.recent_events(r), "LTRIM")


def test_recent_events_wrong_end_fails(r):
    for i in range(1, 9):
        r.rpush("events:recent", f"e{i}")
    r.ltrim("events:recent", 0, 4)
    assert_fails(check.recent_events(r), "LPUSH")


# -- session expiry ------------------------------------------------------------------------

def test_session_expiry_solution(e, r):
    r.set("user:42", "Ada")
    r.set("session:abc", "user:42", ex=1800)
    e.advance(3000)
    assert_passes(check.session_expiry(e))


def test_session_without_ttl_fails(e, r):
    r.set("user:42", "Ada")
    r.set("session:abc", "user:42")
    assert_fails(check.session_expiry(e), "no TTL")


def test_session_ttl_in_ms_by_mistake_fails(e, r):
    r.set("user:42", "Ada")
    r.set("session:abc", "user:42", px=1800)
    assert_fails(check.session_expiry(e))


def test_user_with_ttl_fails(e, r):
    r.set("user:42", "Ada", ex=1800)
    r.set("session:abc", "user:42", ex=1800)
    assert_fails(check.session_expiry(e), "PERSIST")


# -- jittered TTLs ---------------------------------------------------------------------------

def test_jittered_ttls_solution(e, r):
    rng = random.Random(1)
    for i in range(100):
        r.set(f"cache:item:{i}", "v", px=rng.randint(270_000, 330_000))
    assert_passes(check.jittered_ttls(e))


def test_same_ttl_everywhere_fails(e, r):
    for i in range(100):
        r.set(f"cache:item:{i}", "v", ex=300)
    assert_fails(check.jittered_ttls(e), "distinct")


def test_ttls_out_of_range_fail(e, r):
    for i in range(100):
        r.set(f"cache:item:{i}", "v", px=100_000 + i * 1000)
    assert_fails(check.jittered_ttls(e), "270..330")


# -- LFU cache ----------------------------------------------------------------------------------

def test_lfu_cache_solution(e, r):
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "allkeys-lfu")
    for i in range(50):
        r.set(f"cache:{i}", "x")
    before = dict(e.dbs[0].dict)
    assert_passes(check.lfu_cache(e))
    assert dict(e.dbs[0].dict) == before  # the check replays on a scratch engine


def test_lru_is_not_lfu(e, r):
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "allkeys-lru")
    assert_fails(check.lfu_cache(e), "allkeys-lfu")


def test_lfu_without_maxmemory_fails(e, r):
    r.config_set("maxmemory-policy", "allkeys-lfu")
    assert_fails(check.lfu_cache(e), "maxmemory")


def test_volatile_lfu_gets_a_specific_hint(e, r):
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "volatile-lfu")
    res = check.lfu_cache(e)
    assert_fails(res, "TTL")


# -- protected keys ------------------------------------------------------------------------------

def _protected_data(r, cache_ttl=True, config_ttl=False):
    for i in range(10):
        r.set(f"config:feature:{i}", "on", ex=3600 if config_ttl else None)
    for i in range(200):
        r.set(f"cache:page:{i}", "x" * 100, ex=600 if cache_ttl else None)


def test_protected_keys_solution(e, r):
    _protected_data(r)
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "volatile-lru")
    assert_passes(check.protected_keys(e))


def test_allkeys_policy_fails(e, r):
    _protected_data(r)
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "allkeys-lru")
    assert_fails(check.protected_keys(e), "volatile-")


def test_cache_without_ttl_fails(e, r):
    _protected_data(r, cache_ttl=False)
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "volatile-lru")
    assert_fails(check.protected_keys(e), "no TTL")


def test_config_with_ttl_fails(e, r):
    _protected_data(r, config_ttl=True)
    r.config_set("maxmemory", "2mb")
    r.config_set("maxmemory-policy", "volatile-lru")
    assert_fails(check.protected_keys(e), "PERSIST")


# -- durable config ------------------------------------------------------------------------------

def test_durable_config_solution(e, r):
    r.config_set("appendonly", "yes")
    r.config_set("appendfsync", "everysec")
    assert_passes(check.durable_config(e))


def test_rdb_only_fails(e):
    assert_fails(check.durable_config(e), "appendonly")


def test_fsync_no_fails(e, r):
    r.config_set("appendonly", "yes")
    r.config_set("appendfsync", "no")
    assert_fails(check.durable_config(e), "everysec")


def test_no_snapshots_fails(e, r):
    r.config_set("appendonly", "yes")
    r.config_set("save", "")
    assert_fails(check.durable_config(e), "save")
