"""EXPIRE/TTL family and expiry against a real redis-server 7.0.

The engine's clock is virtual and the server's is real: relative TTLs are compared in
seconds (rounded the same way on both sides), absolute deadlines only far in the past
or future, and PTTL only by type. Where real time must pass, the test sleeps and
advances the engine by the same amount.
"""

from __future__ import annotations

import time


def test_expire_and_ttl_family(diff):
    diff.run([["SET", "k", "v"], ["TTL", "k"], ["PTTL", "k"], ["EXPIRETIME", "k"],
              ["PEXPIRETIME", "k"], ["TTL", "nope"], ["PTTL", "nope"], ["EXPIRETIME", "nope"],
              ["PEXPIRETIME", "nope"], ["EXPIRE", "k", "100"], ["TTL", "k"],
              ["PEXPIRE", "k", "200000"], ["TTL", "k"], ["PERSIST", "k"], ["PERSIST", "k"],
              ["PERSIST", "nope"], ["TTL", "k"], ["EXPIRE", "nope", "10"],
              ["PEXPIRE", "k", "1499000"], ["TTL", "k"], ["PEXPIRE", "k", "1500400"], ["TTL", "k"]])
    diff.check_type("PTTL", "k")
    diff.check_type("EXPIRETIME", "k")


def test_absolute_deadlines(diff):
    diff.run([["SET", "k", "v"], ["EXPIREAT", "k", "4102444800"], ["EXPIRETIME", "k"],
              ["PEXPIRETIME", "k"], ["PEXPIREAT", "k", "4102444800499"], ["EXPIRETIME", "k"],
              ["PEXPIREAT", "k", "4102444800500"], ["EXPIRETIME", "k"],
              ["PEXPIREAT", "k", "9223372036854775807"], ["PEXPIRETIME", "k"], ["EXPIRETIME", "k"],
              ["EXPIREAT", "k", "9223372036854775"], ["PEXPIRETIME", "k"],
              ["EXPIREAT", "k", "9223372036854776"], ["EXPIREAT", "k", "1"], ["EXISTS", "k"]])


def test_options(diff):
    diff.run([["SET", "k", "v"], ["EXPIRE", "k", "100", "XX"], ["EXPIRE", "k", "100", "GT"],
              ["EXPIRE", "k", "100", "LT"], ["TTL", "k"], ["EXPIRE", "k", "50", "NX"],
              ["EXPIREAT", "k", "4102444800", "GT"], ["EXPIREAT", "k", "4102444800", "GT"],
              ["EXPIREAT", "k", "4102444800", "LT"], ["EXPIREAT", "k", "4102444799", "lt", "xx"],
              ["EXPIRETIME", "k"], ["PEXPIREAT", "k", "1", "GT"], ["EXPIRE", "k", "100", "gt"],
              ["EXPIRETIME", "k"], ["EXPIRE", "k", "-1", "GT"], ["EXPIRE", "k", "-1", "XX", "LT"],
              ["EXISTS", "k"], ["SET", "k", "v"], ["EXPIRE", "k", "-1", "LT"], ["EXISTS", "k"],
              ["SET", "k", "v"], ["EXPIRE", "k", "-1", "NX"], ["EXISTS", "k"]])


def test_errors(diff):
    diff.run([["SET", "k", "v"]])
    for args in (["10", "foo"], ["x", "foo"], ["10", "NX", "XX"], ["10", "NX", "GT"],
                 ["10", "NX", "LT"], ["10", "GT", "LT"], ["10", "nx", "xx", "foo"], ["x"], [""],
                 ["1.5"], [" 1"], ["+1"], ["9223372036854775807"], ["9223372036854775"],
                 ["9223372036854774"], ["-9223372036854775808"], ["-9223372036854776"]):
        for cmd in ("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"):
            diff.check(cmd, "k", *args)
            if diff.check("EXISTS", "k") == b":0\r\n":
                diff.run([["SET", "k", "v"]])
    diff.run([["EXPIRE", "k"], ["TTL"], ["TTL", "a", "b"], ["PERSIST"], ["EXPIRETIME"],
              ["PEXPIRETIME", "a", "b"]])


def test_past_deadlines_delete(diff):
    for cmd in (["EXPIRE", "k", "0"], ["EXPIRE", "k", "-100"], ["PEXPIRE", "k", "0"],
                ["EXPIREAT", "k", "1"], ["PEXPIREAT", "k", "0"],
                ["EXPIRE", "k", "-9223372036854775"], ["PEXPIREAT", "k", "-9223372036854775808"]):
        diff.run([["SET", "k", "v"], cmd, ["EXISTS", "k"], ["TTL", "k"]])


def test_ttl_survives_rename_move_copy_and_set_clears_it(diff):
    diff.run([["SET", "k", "v", "EX", "100"], ["RENAME", "k", "k2"], ["TTL", "k2"],
              ["COPY", "k2", "k3"], ["TTL", "k3"], ["MOVE", "k3", "1"], ["SELECT", "1"],
              ["TTL", "k3"], ["SELECT", "0"], ["SET", "k2", "w"], ["TTL", "k2"]])


def test_lazy_and_active_expiry_with_real_time(diff):
    diff.run([["SET", "lazy", "v", "PX", "150"], ["TTL", "lazy"]])
    diff.run([["MSET", *[x for i in range(50) for x in (f"k{i}", "v")]]])
    for i in range(50):
        diff.run([["PEXPIRE", f"k{i}", "150"]])
    time.sleep(0.3)
    diff.engine.advance(300)
    diff.run([["EXISTS", "lazy"], ["TTL", "lazy"], ["GET", "lazy"]])
    time.sleep(1.0)  # the active cycle (hz 10) reclaims the rest on both sides
    diff.engine.advance(1000)
    diff.run([["DBSIZE"], ["KEYS", "*"], ["RANDOMKEY"], ["SCAN", "0"]])


def test_expired_keys_hidden_everywhere(diff):
    diff.run([["SET", "a", "1", "PX", "100"], ["SET", "b", "1", "PX", "100"], ["SET", "c", "x"]])
    time.sleep(0.2)
    diff.engine.advance(200)
    # hz 10: a slow cycle may already have reclaimed them on the real server; every
    # reply below is the same either way
    diff.run([["KEYS", "*"], ["EXISTS", "a", "b", "c"], ["TYPE", "a"], ["OBJECT", "ENCODING", "b"],
              ["RENAME", "a", "z"], ["COPY", "b", "z"], ["MOVE", "b", "1"],
              ["EXPIRE", "a", "100"], ["PERSIST", "b"], ["TOUCH", "a", "b", "c"], ["DBSIZE"]])


def test_expire_in_multi(diff):
    diff.run([["SET", "k", "v"], ["MULTI"], ["EXPIRE", "k", "100"], ["TTL", "k"],
              ["EXPIRE", "k", "100", "NX", "XX"], ["PERSIST", "k"], ["EXEC"], ["TTL", "k"]])
