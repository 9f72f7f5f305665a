"""Generic key commands against a real redis-server 7.0 (byte-identical replies)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from .harness import Differ, parse_resp


def setup_types(diff, dbid: int = 0) -> None:
    diff.run([["SELECT", dbid], ["SET", "s", "hello"], ["SET", "n", "123"],
              ["RPUSH", "l", "a", "b"], ["HSET", "h", "f", "v"], ["SADD", "t", "1", "2"],
              ["SELECT", 0]])


def state(diff, dbs=(0, 1)) -> None:
    """Compare every key's name, type, encoding and TTL in ``dbs`` (TTL in seconds for
    relative deadlines; the absolute deadline when the clocks make the TTLs differ)."""
    for dbid in dbs:
        diff.check("SELECT", dbid)
        keys = diff.check_unordered("KEYS", "*")
        for k in sorted(keys):
            diff.check("TYPE", k)
            real, mine = diff.both("TTL", k)
            if real != mine:  # an absolute deadline: the two clocks differ, the deadline not
                assert parse_resp(real) > 0 and parse_resp(mine) > 0, (k, real, mine)
                diff.check("PEXPIRETIME", k)
            diff.check("OBJECT", "ENCODING", k)
    diff.check("SELECT", 0)


def test_del_exists_type_unlink(diff):
    setup_types(diff)
    diff.run([["EXISTS", "s", "s", "nope", "l"], ["TYPE", "s"], ["TYPE", "l"], ["TYPE", "h"],
              ["TYPE", "t"], ["TYPE", "nope"], ["DEL", "s", "s", "nope"], ["UNLINK", "l", "x"],
              ["EXISTS", "s", "l"], ["DBSIZE"], ["DEL"], ["EXISTS"], ["TYPE"], ["TYPE", "a", "b"]])


def test_rename_family(diff):
    setup_types(diff)
    diff.run([["EXPIRE", "s", "100"], ["RENAME", "s", "s2"], ["TTL", "s2"], ["EXISTS", "s"],
              ["RENAME", "s2", "l"], ["TYPE", "l"], ["TTL", "l"], ["RENAME", "l", "l"],
              ["RENAMENX", "l", "l"], ["RENAMENX", "l", "h"], ["RENAMENX", "l", "z"],
              ["RENAME", "nope", "x"], ["RENAMENX", "nope", "x"], ["RENAME", "nope", "nope"],
              ["RENAME", "a"]])
    state(diff)


def test_copy(diff):
    setup_types(diff)
    diff.run([["EXPIRE", "l", "500"], ["COPY", "l", "l2"], ["TTL", "l2"], ["LRANGE", "l2", 0, -1],
              ["RPUSH", "l2", "c"], ["LRANGE", "l", 0, -1], ["COPY", "h", "h2"], ["HSET", "h2", "g", "w"],
              ["HGETALL", "h"], ["COPY", "t", "t2"], ["SADD", "t2", "x"], ["SCARD", "t"],
              ["OBJECT", "ENCODING", "t"], ["OBJECT", "ENCODING", "t2"],
              ["COPY", "n", "n2"], ["OBJECT", "REFCOUNT", "n"], ["OBJECT", "REFCOUNT", "n2"],
              ["OBJECT", "ENCODING", "n2"], ["COPY", "s", "n"], ["COPY", "s", "n", "REPLACE"],
              ["GET", "n"], ["COPY", "s", "s", "DB", "1"], ["COPY", "s", "s", "DB", "1"],
              ["COPY", "s", "s", "DB", "1", "REPLACE", "REPLACE"], ["COPY", "nope", "x"],
              ["COPY", "s", "s"], ["COPY", "s", "s", "DB", "0"], ["COPY", "s", "x", "DB"],
              ["COPY", "s", "x", "DB", "16"], ["COPY", "s", "x", "DB", "-1"],
              ["COPY", "s", "x", "DB", "abc"], ["COPY", "s", "x", "DB", "99999999999"],
              ["COPY", "s", "x", "REPLACE", "foo"], ["COPY", "nope", "x", "DB", "16"],
              ["COPY", "s"]])
    state(diff)


def test_copy_zset(diff):
    diff.run([["ZADD", "z", "1", "a", "2", "b"], ["COPY", "z", "z2"], ["ZADD", "z2", "3", "c"],
              ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
              ["OBJECT", "ENCODING", "z2"], ["TYPE", "z2"]])


def test_move(diff):
    setup_types(diff)
    diff.run([["EXPIRE", "s", "300"], ["MOVE", "s", "1"], ["EXISTS", "s"], ["SELECT", "1"],
              ["TTL", "s"], ["GET", "s"], ["SELECT", "0"], ["SET", "s", "again"], ["MOVE", "s", "1"],
              ["MOVE", "nope", "1"], ["MOVE", "s", "0"], ["MOVE", "nope", "0"], ["MOVE", "s", "16"],
              ["MOVE", "s", "-1"], ["MOVE", "s", "x"], ["MOVE", "s", "99999999999"],
              ["MOVE", "s"]])
    state(diff)


def test_swapdb(diff):
    setup_types(diff)
    setup_types(diff, 2)
    diff.run([["SET", "only0", "x"], ["SWAPDB", "0", "2"], ["EXISTS", "only0"], ["DBSIZE"],
              ["SWAPDB", "0", "0"], ["SWAPDB", "x", "1"], ["SWAPDB", "0", "y"],
              ["SWAPDB", "99999999999", "1"], ["SWAPDB", "0", "16"], ["SWAPDB", "-1", "0"],
              ["SWAPDB", "0"]])
    state(diff, (0, 2))


def test_swapdb_fails_watch(diff):
    diff.run([["SELECT", "1"], ["SET", "w", "1"], ["SELECT", "0"], ["WATCH", "w"],
              ["SWAPDB", "0", "1"], ["MULTI"], ["PING"], ["EXEC"]])


def test_select_flush_dbsize(diff):
    setup_types(diff)
    setup_types(diff, 3)
    diff.run([["SELECT", "16"], ["SELECT", "-1"], ["SELECT", "abc"], ["SELECT", "99999999999"],
              ["SELECT", "3"], ["DBSIZE"], ["FLUSHDB", "foo"], ["FLUSHDB", "ASYNC", "x"],
              ["FLUSHDB", "sync"], ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"], ["FLUSHALL", "bar"],
              ["FLUSHALL", "ASYNC"], ["DBSIZE"], ["FLUSHALL"], ["FLUSHDB"], ["SELECT"]])


def test_flush_fails_watch(diff):
    diff.run([["SET", "w", "1"], ["WATCH", "w"], ["FLUSHALL"], ["MULTI"], ["PING"], ["EXEC"],
              ["WATCH", "nokey"], ["FLUSHDB"], ["MULTI"], ["PING"], ["EXEC"]])


def test_keys_and_scan(diff):
    diff.run([["MSET", "user:1", "a", "user:2", "b", "user:10", "c", "other", "d"],
              ["RPUSH", "list", "x"], ["HSET", "hash", "f", "v"]])
    for pat in ("*", "user:*", "user:?", "user:[0-1]*", "*[^r]", "nomatch", "user\\:1", "[a-z]*"):
        diff.check_unordered("KEYS", pat)
        diff.check_unordered("SCAN", "0", "MATCH", pat, "COUNT", "1000")
    for t in ("string", "LIST", "hash", "set", "none", "bogus"):
        diff.check_unordered("SCAN", "0", "COUNT", "1000", "TYPE", t)
    diff.run([["SCAN", "x"], ["SCAN", " 0"], ["SCAN", "18446744073709551616"],
              ["SCAN", "0", "COUNT", "0"], ["SCAN", "0", "COUNT", "-1"], ["SCAN", "0", "COUNT", "x"],
              ["SCAN", "0", "COUNT"], ["SCAN", "0", "TYPE"], ["SCAN", "0", "MATCH"],
              ["SCAN", "0", "foo", "bar"], ["SCAN"], ["KEYS"], ["KEYS", "a", "b"]])
    diff.check_unordered("SCAN", "", "COUNT", "1000")
    diff.check_unordered("SCAN", "+0", "COUNT", "1000")


def test_scan_full_iteration_returns_every_key(diff):
    diff.run([["MSET", *[x for i in range(300) for x in (f"k{i}", "v")]]])
    seen = {}
    for side in ("real", "engine"):
        cursor, keys = b"0", set()
        while True:
            real, mine = diff.both("SCAN", cursor, "COUNT", "25")
            cursor, batch = parse_resp(real if side == "real" else mine)
            keys.update(batch)
            if cursor == b"0":
                break
        seen[side] = keys
    assert seen["real"] == seen["engine"] and len(seen["engine"]) == 300


def test_randomkey(diff):
    diff.check("RANDOMKEY")
    diff.run([["SET", "a", "1"]])
    diff.check("RANDOMKEY")
    diff.run([["SET", "b", "1"], ["SET", "c", "1"]])
    for _ in range(5):
        diff.check_type("RANDOMKEY")
    diff.check("RANDOMKEY", "x")


def test_touch(diff):
    setup_types(diff)
    diff.run([["TOUCH", "s", "l", "nope", "s"], ["TOUCH"], ["OBJECT", "IDLETIME", "s"]])


def test_object(diff):
    setup_types(diff)
    diff.run([["SET", "big", "x" * 45], ["SET", "neg", "-5"], ["SET", "large", "10000"],
              ["APPEND", "app", "1"]])
    for k in ("s", "n", "l", "h", "t", "big", "neg", "large", "nope"):
        diff.check("OBJECT", "ENCODING", k)
        diff.check("OBJECT", "REFCOUNT", k)
        diff.check("OBJECT", "FREQ", k)
    diff.run([["OBJECT", "IDLETIME", "s"], ["OBJECT", "IDLETIME", "nope"], ["OBJECT", "HELP"],
              ["OBJECT", "help"], ["OBJECT", "HELP", "x"], ["OBJECT"], ["OBJECT", "ENCODING"],
              ["OBJECT", "ENCODING", "a", "b"], ["OBJECT", "FOO", "s"]])
    diff.run([["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"], ["OBJECT", "FREQ", "s"],
              ["OBJECT", "IDLETIME", "s"], ["OBJECT", "REFCOUNT", "n"],
              ["CONFIG", "SET", "maxmemory", "100mb"], ["SET", "m", "77"],
              ["OBJECT", "REFCOUNT", "m"], ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
              ["CONFIG", "SET", "maxmemory", "0"]])


def test_object_help_resp3(diff3):
    diff3.check("OBJECT", "HELP")
    diff3.check("OBJECT", "ENCODING", "nope")
    diff3.check("SCAN", "0")


def test_failed_commands_leave_keyspace_unchanged(diff):
    setup_types(diff)
    setup_types(diff, 1)
    diff.run([["EXPIRE", "h", "1000"]])
    for cmd in (["RENAME", "nope", "x"], ["COPY", "s", "s"], ["COPY", "s", "x", "DB", "99"],
                ["COPY", "s", "x", "bogus"], ["MOVE", "s", "0"], ["MOVE", "s", "x"],
                ["SWAPDB", "0", "99"], ["FLUSHDB", "x"], ["FLUSHALL", "a", "b"],
                ["EXPIRE", "s", "10", "NX", "XX"], ["EXPIRE", "s", "x"],
                ["EXPIRE", "s", "9223372036854775807"], ["PEXPIREAT", "s", "1", "foo"],
                ["SCAN", "0", "COUNT", "0"], ["SELECT", "99"], ["RENAME", "s"]):
        diff.check(*cmd)
    state(diff)


# --- property: random sequences over mixed types ---------------------------------------------
KEYS = ["a", "b", "c", "d", "e"]
DB_ARGS = ["0", "1", "2", "16", "-1", "x", "99999999999"]
SECONDS = ["100", "1000", "-1", "0", "9223372036854775", "9223372036854774",
           "-9223372036854775", "-9223372036854776", "9223372036854775807",
           "-9223372036854775808", "abc", "1.5", ""]
MILLIS = ["123456", "5000001", "-1", "0", "9223372036854775807", "-9223372036854775808", "x"]
ABS_SECONDS = ["1", "4102444800", "4102444801", "9223372036854775", "9223372036854776", "-5"]
ABS_MILLIS = ["1", "4102444800000", "4102444800001", "9223372036854775807", "-1"]
REL_FLAGS = [[], [], ["NX"], ["XX"], ["nx"], ["NX", "XX"], ["GT", "LT"], ["foo"], ["XX", "XX"]]
ABS_FLAGS = [*REL_FLAGS, ["GT"], ["LT"], ["XX", "GT"], ["lt", "xx"], ["NX", "GT"]]

key = st.sampled_from(KEYS)


def _cmd():
    return st.one_of(
        st.tuples(st.sampled_from(["DEL", "UNLINK", "EXISTS", "TOUCH"]),
                  st.lists(key, min_size=1, max_size=3)).map(lambda t: [t[0], *t[1]]),
        st.tuples(st.sampled_from(["TYPE", "TTL", "PERSIST", "OBJECT ENCODING"]), key)
        .map(lambda t: [*t[0].split(), t[1]]),
        st.tuples(st.sampled_from(["RENAME", "RENAMENX"]), key, key).map(list),
        st.tuples(key, key, st.sampled_from([[], ["REPLACE"], ["DB", "1"], ["DB", "1", "REPLACE"],
                                             ["DB", "x"], ["DB", "16"], ["REPLACE", "DB", "0"],
                                             ["bogus"], ["DB"]]))
        .map(lambda t: ["COPY", t[0], t[1], *t[2]]),
        st.tuples(key, st.sampled_from(DB_ARGS)).map(lambda t: ["MOVE", *t]),
        st.tuples(st.sampled_from(DB_ARGS[:3]), st.sampled_from(DB_ARGS)).map(lambda t: ["SWAPDB", *t]),
        st.sampled_from([["SELECT", "0"], ["SELECT", "1"], ["SELECT", "16"], ["DBSIZE"],
                         ["FLUSHDB"], ["SCAN", "0", "COUNT", "100"]]),
        st.tuples(st.just("EXPIRE"), key, st.sampled_from(SECONDS), st.sampled_from(REL_FLAGS))
        .map(lambda t: [t[0], t[1], t[2], *t[3]]),
        st.tuples(st.just("PEXPIRE"), key, st.sampled_from(MILLIS), st.sampled_from(REL_FLAGS))
        .map(lambda t: [t[0], t[1], t[2], *t[3]]),
        st.tuples(st.just("EXPIREAT"), key, st.sampled_from(ABS_SECONDS), st.sampled_from(ABS_FLAGS))
        .map(lambda t: [t[0], t[1], t[2], *t[3]]),
        st.tuples(st.just("PEXPIREAT"), key, st.sampled_from(ABS_MILLIS), st.sampled_from(ABS_FLAGS))
        .map(lambda t: [t[0], t[1], t[2], *t[3]]),
    )


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(_cmd(), min_size=1, max_size=18))
def test_random_key_command_sequences(redis_server, cmds):
    """Random generic-key commands over keys of mixed types in two databases.

    GT/LT only go with absolute deadlines (EXPIREAT/PEXPIREAT): two relative deadlines
    computed a few ms apart on the real server could tie on the virtual clock."""
    diff = Differ(redis_server)
    try:
        diff.run([["SET", "a", "1"], ["RPUSH", "b", "x", "y"], ["HSET", "c", "f", "v"],
                  ["SADD", "d", "1", "2"], ["SELECT", "1"], ["SET", "a", "other"],
                  ["SADD", "e", "m"], ["SELECT", "0"]])
        for cmd in cmds:
            if cmd[0] == "SCAN":
                diff.check_unordered(*cmd)
                continue
            reply = diff.check(*cmd)
            if reply.startswith(b"-"):  # a failed command changed nothing
                state(diff)
        state(diff)
    finally:
        diff.close()
