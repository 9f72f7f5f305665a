"""List commands against a real redis-server 7.0 (byte-identical RESP replies).

Blocking commands that find nothing to serve are only sent inside MULTI/EXEC (where the
real server answers at once, as the engine always does) or with a tiny timeout.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.engine.objects import OBJ_STRING

LLONG_MAX = "9223372036854775807"
LLONG_MIN = "-9223372036854775808"


def make_string(diff, key: str, value: str = "x") -> None:
    """A string key on both sides without depending on the strings family."""
    assert diff.real.command("SET", key, value) == b"+OK\r\n"
    diff.client.db.add(key.encode(), diff.engine.new_object(OBJ_STRING, None, value.encode()))


def delete(diff, *keys: str) -> None:
    """Delete keys on both sides without depending on the keys family."""
    diff.real.command("DEL", *keys)
    for k in keys:
        diff.client.db.delete(k.encode())


def all_lists(diff, keys=("a", "b", "c")):
    for k in keys:
        diff.check("LRANGE", k, 0, -1)
        diff.check("LLEN", k)


def test_push_and_len(diff):
    diff.run([
        ["LPUSH", "l", "a", "b", "c"], ["RPUSH", "l", "d", "e"], ["LRANGE", "l", 0, -1],
        ["LLEN", "l"], ["LLEN", "nokey"], ["LPUSHX", "nokey", "a"], ["RPUSHX", "nokey", "a", "b"],
        ["LPUSHX", "l", "x", "y"], ["RPUSHX", "l", "z"], ["LRANGE", "l", 0, -1],
        ["RPUSH", "bin", "\x00\xff", "", "12345", "-1"], ["LRANGE", "bin", 0, -1],
    ])


def test_wrong_type_everywhere(diff):
    make_string(diff, "s")
    diff.run([
        ["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"],
        ["LPOP", "s"], ["RPOP", "s", "2"], ["LPOP", "s", "0"], ["LLEN", "s"],
        ["LINDEX", "s", "0"], ["LINDEX", "s", "x"], ["LSET", "s", "0", "v"],
        ["LSET", "s", "x", "v"], ["LRANGE", "s", 0, 1], ["LRANGE", "s", "x", 1],
        ["LTRIM", "s", 0, 1], ["LTRIM", "s", 0, "y"], ["LREM", "s", 0, "a"],
        ["LREM", "s", "z", "a"], ["LINSERT", "s", "BEFORE", "a", "b"],
        ["LINSERT", "s", "MIDDLE", "a", "b"], ["LPOS", "s", "a"], ["LPOS", "s", "a", "RANK", "0"],
        ["LMOVE", "s", "d", "LEFT", "RIGHT"], ["RPOPLPUSH", "s", "d"], ["LMPOP", 1, "s", "LEFT"],
        ["BLPOP", "s", "0"], ["BRPOP", "nokey", "s", "0"], ["BLMPOP", 0, 2, "nokey", "s", "LEFT"],
        ["BLMOVE", "s", "d", "LEFT", "LEFT", 0], ["BRPOPLPUSH", "s", "d", 0],
        ["LLEN", "d"],
    ])
    diff.run([["RPUSH", "l", "a"], ["LMOVE", "l", "s", "LEFT", "RIGHT"], ["RPOPLPUSH", "l", "s"],
              ["BLMOVE", "l", "s", "RIGHT", "LEFT", 0], ["LRANGE", "l", 0, -1],
              ["LMPOP", 2, "l", "s", "LEFT"], ["RPUSH", "l", "b"], ["BLPOP", "l", "s", 0]])


def test_pop_with_and_without_count(diff):
    diff.run([
        ["RPUSH", "l", "a", "b", "c", "d", "e"], ["LPOP", "l"], ["RPOP", "l"],
        ["LPOP", "l", 0], ["RPOP", "l", 1], ["LPOP", "l", 5], ["LLEN", "l"],
        ["LPOP", "l"], ["LPOP", "l", 2], ["LPOP", "l", 0], ["RPOP", "l", "x"],
        ["RPOP", "l", "-1"], ["LPOP", "l", "1", "2"], ["RPOP", "l", LLONG_MAX],
        ["RPOP", "l", "9223372036854775808"], ["LPOP", "l", "01"], ["LPOP", "l", "+1"],
        ["RPUSH", "l", 1, 2, 3], ["RPOP", "l", LLONG_MAX], ["LLEN", "l"],
        ["RPUSH", "l", 1, 2, 3], ["LPOP", "l", "-1"], ["LPOP", "l", "x"], ["LRANGE", "l", 0, -1],
    ])


def test_lindex_lset(diff):
    diff.run([
        ["LINDEX", "nokey", 0], ["LINDEX", "nokey", "x"], ["LSET", "nokey", 0, "v"],
        ["LSET", "nokey", "x", "v"], ["RPUSH", "l", "a", "b", "c"],
        *[["LINDEX", "l", i] for i in (0, 1, 2, 3, -1, -3, -4, LLONG_MAX, LLONG_MIN, "x", "1.0")],
        ["LSET", "l", 0, "A"], ["LSET", "l", -1, "C"], ["LSET", "l", 3, "v"],
        ["LSET", "l", -4, "v"], ["LSET", "l", LLONG_MIN, "v"], ["LSET", "l", "x", "v"],
        ["LRANGE", "l", 0, -1],
    ])


def test_lrange_ltrim_extremes(diff):
    diff.run([["RPUSH", "l", *"abcdefghij"]])
    idx = [0, 1, 5, 9, 10, 11, -1, -5, -10, -11, LLONG_MAX, LLONG_MIN]
    for s in idx:
        for e in idx:
            diff.check("LRANGE", "l", s, e)
    diff.run([["LRANGE", "l", "x", 1], ["LRANGE", "l", 1, "y"], ["LRANGE", "nokey", 0, -1],
              ["LRANGE", "nokey", "a", 0]])
    for s, e in [(1, -2), (0, -1), (-3, LLONG_MAX), (LLONG_MIN, 2), (5, 2), (0, 0), (3, 1)]:
        delete(diff, "l")
        diff.run([["RPUSH", "l", *"abcdefghij"], ["LTRIM", "l", s, e],
                  ["LRANGE", "l", 0, -1], ["LLEN", "l"]])
    diff.run([["LTRIM", "nokey", 0, 1], ["LTRIM", "nokey", "x", 1], ["LLEN", "nokey"]])


def test_big_list_ranges(diff):
    diff.run([["RPUSH", "big", *[f"v{i}" for i in range(1000)]],
              ["LRANGE", "big", 990, 995], ["LRANGE", "big", -5, -1], ["LRANGE", "big", 3, 7],
              ["LINDEX", "big", 998], ["LINDEX", "big", -999], ["LTRIM", "big", 2, -3],
              ["LLEN", "big"], ["LTRIM", "big", 490, 500], ["LRANGE", "big", 0, -1]])


def test_lrem(diff):
    base = ["RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"]
    for count in (0, 1, 2, -1, -2, 10, -10, LLONG_MIN, LLONG_MAX):
        delete(diff, "l")
        diff.run([base, ["LREM", "l", count, "a"], ["LRANGE", "l", 0, -1]])
    diff.run([["LREM", "l", 0, "zz"], ["LREM", "l", "x", "a"], ["LREM", "nokey", 1, "a"],
              ["LREM", "nokey", "x", "a"], ["RPUSH", "one", "a", "a"], ["LREM", "one", 0, "a"],
              ["LLEN", "one"]])


def test_linsert(diff):
    diff.run([
        ["LINSERT", "nokey", "BEFORE", "a", "x"], ["LINSERT", "nokey", "MIDDLE", "a", "x"],
        ["RPUSH", "l", "a", "b", "a"], ["LINSERT", "l", "BEFORE", "a", "x"],
        ["LINSERT", "l", "after", "a", "y"], ["LINSERT", "l", "AfTeR", "b", "z"],
        ["LINSERT", "l", "before", "nope", "q"], ["LINSERT", "l", "BEFORE\x00junk", "b", "w"],
        ["LINSERT", "l", "BEFOR", "b", "w"], ["LRANGE", "l", 0, -1],
    ])


def test_lpos(diff):
    diff.run([["RPUSH", "l", "a", "b", "c", "a", "b", "a", "a"]])
    opts = [[], ["RANK", 1], ["RANK", 2], ["RANK", -1], ["RANK", -3], ["RANK", 9],
            ["RANK", LLONG_MIN], ["RANK", "-9223372036854775807"], ["COUNT", 0],
            ["COUNT", 2], ["COUNT", 2, "RANK", -2], ["COUNT", 0, "RANK", 2],
            ["MAXLEN", 3], ["MAXLEN", 3, "RANK", -1], ["MAXLEN", 0], ["COUNT", 1, "MAXLEN", 1],
            ["RANK", LLONG_MIN, "COUNT", 1], ["RANK", LLONG_MIN, "COUNT", 0],
            ["RANK", 0], ["RANK", "x"], ["RANK", "9223372036854775808"], ["COUNT", -1],
            ["COUNT", "x"], ["MAXLEN", -1], ["MAXLEN", "x"], ["FOO"], ["RANK"], ["COUNT"],
            ["rank", 1, "rank", 0], ["COUNT", 1, "RANK", 0, "MAXLEN", -1],
            ["MAXLEN", -1, "RANK", 0], ["count", 1, "COUNT", 3], ["RANK\x00x", 2]]
    for ele in ("a", "b", "zz"):
        for o in opts:
            diff.check("LPOS", "l", ele, *o)
    for o in ([], ["COUNT", 0], ["COUNT", 1], ["RANK", 0], ["COUNT", -1], ["MAXLEN", 1]):
        diff.check("LPOS", "nokey", "a", *o)


def test_lmove_rpoplpush(diff):
    sides = ["LEFT", "RIGHT", "left", "right"]
    for wf in sides:
        for wt in sides:
            delete(diff, "src", "dst")
            diff.run([["RPUSH", "src", "1", "2", "3"], ["LMOVE", "src", "dst", wf, wt],
                      ["LRANGE", "src", 0, -1], ["LRANGE", "dst", 0, -1]])
    diff.run([
        ["LMOVE", "nokey", "dst", "LEFT", "RIGHT"], ["LMOVE", "nokey", "dst", "UP", "RIGHT"],
        ["LMOVE", "src", "dst", "LEFT", "DOWN"], ["RPOPLPUSH", "nokey", "x"], ["LLEN", "x"],
    ])
    delete(diff, "src", "dst")
    diff.run([
        ["RPUSH", "src", "only"], ["LMOVE", "src", "src", "LEFT", "RIGHT"],
        ["LRANGE", "src", 0, -1], ["RPUSH", "src", "two"], ["RPOPLPUSH", "src", "src"],
        ["LRANGE", "src", 0, -1], ["RPOPLPUSH", "src", "dst"], ["RPOPLPUSH", "src", "dst"],
        ["LLEN", "src"], ["LRANGE", "dst", 0, -1],
    ])


def test_lmpop(diff):
    diff.run([
        ["LMPOP", 2, "a", "b", "LEFT"], ["RPUSH", "b", "1", "2", "3"],
        ["LMPOP", 2, "a", "b", "LEFT"], ["LMPOP", 2, "a", "b", "RIGHT", "COUNT", 1],
        ["LMPOP", 1, "b", "left", "count", 10], ["LLEN", "b"],
        ["RPUSH", "a", "x", "y"], ["LMPOP", 3, "nokey", "a", "b", "RIGHT", "COUNT", 5],
        *[["LMPOP", *args] for args in (
            [0, "a", "LEFT"], [-1, "a", "LEFT"], ["x", "a", "LEFT"], [LLONG_MAX, "a", "LEFT"],
            [3, "a", "LEFT"], [2, "a", "LEFT"], [1, "a", "MIDDLE"], [1, "a", "LEFT", "COUNT"],
            [1, "a", "LEFT", "COUNT", 0], [1, "a", "LEFT", "COUNT", -1], [1, "a", "LEFT", "COUNT", "x"],
            [1, "a", "LEFT", "COUNT", 1, "COUNT", 1], [1, "a", "LEFT", "FOO"],
            [1, "a", "LEFT\x00zz", "COUNT", 1], ["01", "a", "LEFT"],
        )],
    ])


def test_blocking_served(diff):
    diff.run([
        ["RPUSH", "a", "1", "2", "3"], ["RPUSH", "b", "x", "y"],
        ["BLPOP", "nokey", "a", "b", 0], ["BRPOP", "b", "a", "1.5"], ["BLPOP", "a", "0x10"],
        ["BRPOP", "a", "b", "0"], ["LLEN", "a"], ["BRPOP", "b", "0"], ["LLEN", "b"],
        ["RPUSH", "a", "1", "2", "3"], ["BLMPOP", 0, 2, "nokey", "a", "RIGHT", "COUNT", 2],
        ["BLMPOP", "1", 1, "a", "LEFT", "COUNT", 2], ["LLEN", "a"],
        ["RPUSH", "a", "1", "2"], ["BLMOVE", "a", "b", "RIGHT", "LEFT", 0],
        ["BRPOPLPUSH", "a", "b", "0"], ["LRANGE", "b", 0, -1], ["LLEN", "a"],
        ["BRPOPLPUSH", "b", "b", 0], ["BLMOVE", "b", "b", "LEFT", "LEFT", 0], ["LRANGE", "b", 0, -1],
    ])


def test_blocking_argument_errors(diff):
    diff.run([
        ["BLPOP", "a", "x"], ["BLPOP", "a", "-1"], ["BRPOP", "a", "b", "-0.5"], ["BLPOP", "a", ""],
        ["BLMOVE", "a", "b", "LEFT", "X", "-1"], ["BLMOVE", "a", "b", "X", "LEFT", "x"],
        ["BLMOVE", "a", "b", "LEFT", "LEFT", "-1"], ["BRPOPLPUSH", "a", "b", "x"],
        ["BRPOPLPUSH", "a", "b", "-2"], ["BLMPOP", "x", 1, "a", "LEFT"],
        ["BLMPOP", "x", 1, "a", "MID"], ["BLMPOP", "-1", 0, "a", "LEFT"],
        ["BLMPOP", "-1", 1, "a", "LEFT", "COUNT", 0], ["BLMPOP", "-1", 1, "a", "LEFT"],
        ["BLMPOP", "0", 2, "a", "LEFT"], ["BLMPOP", "nan", 1, "a", "RIGHT", "COUNT", 3, "x"],
    ])


TIMEOUTS = [
    "0", "0.0", "-0", "+1", ".5", "5.", "1e3", "0x10", "0X1p-3", "-0.0001", "-0.001", "-0.0009",
    "0.0009", "1e-4940", "1e-5000", "inf", "-inf", "infinity", "+INF", "nan", "-nan",
    "1e30", "-1e30", "1e400", "1e5000", "1e4932", "1e4933", " 1", "1 ", "", "1e", "0x",
    ".", "e1", "1.5.2", "9223372036854775", "9223372036854776", "9223372036854775.807",
    "9223372036854775.8079", "9223372036854775.806640625", "9223372036854775.8076171875",
    "9223372036854775806e-3", "9223372036854775807", LLONG_MIN, "1\x00junk", "\x00",
    "0x1p99999", "1e99999999999", "1e-99999999999", "0e99999999999", "0" * 5118 + "1", "0" * 5119 + "1",
    "1." + "0" * 5000, "0.000000000000000000000000000001", "-1e-30",
]


def test_timeout_parsing_inside_multi(diff):
    for t in TIMEOUTS:
        diff.run([["MULTI"], ["BLPOP", "nokey", t], ["BRPOPLPUSH", "nokey", "d", t],
                  ["BLMOVE", "nokey", "d", "LEFT", "RIGHT", t], ["BLMPOP", t, 1, "nokey", "LEFT"],
                  ["EXEC"]])


def test_blocking_nothing_to_serve_inside_multi(diff):
    diff.run([
        ["MULTI"], ["BLPOP", "nokey", 0], ["BRPOP", "nokey", "other", 0],
        ["BLMOVE", "nokey", "d", "LEFT", "RIGHT", 0], ["BRPOPLPUSH", "nokey", "d", 0],
        ["BLMPOP", 0, 2, "nokey", "other", "LEFT", "COUNT", 3], ["RPUSH", "other", "v"],
        ["BLPOP", "nokey", "other", 0], ["LLEN", "d"], ["EXEC"],
    ])


def test_blocking_nothing_to_serve_small_timeout(diff):
    # Outside MULTI Redis blocks, then times out with a null array; the engine answers at
    # once, the same bytes. (BLMOVE/BRPOPLPUSH differ: the engine answers as inside MULTI,
    # "$-1", where a timed-out real client gets "*-1"; see lists.BlockRequest.)
    diff.run([["BLPOP", "nokey", "0.01"], ["BRPOP", "nokey", "other", "0.01"],
              ["BLMPOP", "0.01", 1, "nokey", "RIGHT"], ["LLEN", "d"]])


def test_resp3_nulls(diff3):
    diff3.run([
        ["LPOP", "nokey"], ["LPOP", "nokey", 1], ["LINDEX", "nokey", 0], ["LPOS", "nokey", "a"],
        ["LMPOP", 1, "nokey", "LEFT"], ["LMOVE", "nokey", "x", "LEFT", "LEFT"],
        ["RPUSH", "l", "a", "b"], ["LPOP", "l", 0], ["LPOS", "l", "zz"], ["LINDEX", "l", 5],
        ["LPOP", "l", 1], ["BLMPOP", 0, 1, "l", "LEFT"],
        ["MULTI"], ["BLPOP", "nokey", 0], ["BLMOVE", "nokey", "x", "LEFT", "LEFT", 0], ["EXEC"],
    ])


def test_arity(diff):
    diff.run([["LPUSH", "k"], ["LPOP"], ["LLEN"], ["LINDEX", "k"], ["LSET", "k", 0],
              ["LRANGE", "k", 0], ["LTRIM", "k"], ["LREM", "k", 0], ["LINSERT", "k", "BEFORE", "a"],
              ["LPOS", "k"], ["LMOVE", "a", "b", "LEFT"], ["RPOPLPUSH", "a"], ["LMPOP", 1, "a"],
              ["BLPOP", "k"], ["BRPOP", "k"], ["BLMOVE", "a", "b", "LEFT", "LEFT"],
              ["BRPOPLPUSH", "a", "b"], ["BLMPOP", 0, 1, "a"], ["RPOP", "k", 1, 2],
              ["LPUSHX", "k"], ["RPUSHX", "k"]])


def test_failed_commands_leave_keyspace_unchanged(diff):
    make_string(diff, "s")
    diff.run([["RPUSH", "a", "1", "2", "3"]])
    before = {k: list(o.val) if o.type == "list" else o.val
              for k, o in diff.engine.keyspace().items()}
    for cmd in (["LPOP", "a", "-1"], ["LSET", "a", 9, "x"], ["LSET", "a", "x", "x"],
                ["LTRIM", "a", "x", 0], ["LREM", "a", "x", "1"], ["LINSERT", "a", "MID", "1", "x"],
                ["LMOVE", "a", "s", "LEFT", "LEFT"], ["LMOVE", "a", "b", "LEFT", "UP"],
                ["LMPOP", 2, "a", "b", "LEFT", "COUNT", 0], ["LMPOP", 2, "s", "a", "LEFT"],
                ["BLPOP", "s", "a", 0], ["BLPOP", "a", "-1"], ["BLMOVE", "a", "s", "LEFT", "LEFT", 0],
                ["BLMPOP", "-1", 1, "a", "LEFT"], ["LPUSH", "s", "x"], ["RPOPLPUSH", "a", "s"]):
        reply = diff.check(*cmd)
        assert reply.startswith(b"-"), (cmd, reply)
    after = {k: list(o.val) if o.type == "list" else o.val
             for k, o in diff.engine.keyspace().items()}
    assert after == before
    all_lists(diff, ("a", "b", "s"))


# -- random sequences ---------------------------------------------------------------------
KEYS = ["a", "b", "c"]
key_s = st.sampled_from(KEYS)
elem_s = st.sampled_from(["x", "y", "z", "1", ""])
# valid small values are listed twice so they dominate; the odd ones still show up
index_s = st.sampled_from([str(i) for i in range(-6, 7)] * 2 + [
    LLONG_MAX, LLONG_MIN, "9223372036854775808", "x", "1.5", "-0", "01", ""])
count_s = st.sampled_from([str(i) for i in range(-2, 7)] * 2 + [LLONG_MAX, LLONG_MIN, "x"])
side_s = st.sampled_from(["LEFT", "RIGHT", "left", "UP"])
timeout_s = st.sampled_from(["0", "0.5", "-1", "x", "inf", "-0.0001", "1e30"])


@st.composite
def list_command(draw):
    k = draw(key_s)
    # pushes are drawn more often, so the other commands mostly meet non-empty lists
    kind = draw(st.sampled_from([0, 0, 0, 0, 1, 1, 1, 1, *range(2, 22)]))
    if kind == 0:
        return ["LPUSH", k, *draw(st.lists(elem_s, min_size=1, max_size=6))]
    if kind == 1:
        return ["RPUSH", k, *draw(st.lists(elem_s, min_size=1, max_size=6))]
    if kind == 2:
        return [draw(st.sampled_from(["LPUSHX", "RPUSHX"])), k, draw(elem_s)]
    if kind == 3:
        return [draw(st.sampled_from(["LPOP", "RPOP"])), k]
    if kind == 4:
        return [draw(st.sampled_from(["LPOP", "RPOP"])), k, draw(count_s)]
    if kind == 5:
        return ["LLEN", k]
    if kind == 6:
        return ["LINDEX", k, draw(index_s)]
    if kind == 7:
        return ["LSET", k, draw(index_s), draw(elem_s)]
    if kind == 8:
        return ["LRANGE", k, draw(index_s), draw(index_s)]
    if kind == 9:
        return ["LTRIM", k, draw(index_s), draw(index_s)]
    if kind == 10:
        return ["LREM", k, draw(count_s), draw(elem_s)]
    if kind == 11:
        return ["LINSERT", k, draw(st.sampled_from(["BEFORE", "AFTER", "after", "NEAR"])),
                draw(elem_s), draw(elem_s)]
    if kind == 12:
        opts = []
        for _ in range(draw(st.integers(0, 3))):
            opts += [draw(st.sampled_from(["RANK", "COUNT", "MAXLEN", "FOO"])), draw(count_s)]
        return ["LPOS", k, draw(elem_s), *opts]
    if kind == 13:
        return ["LMOVE", k, draw(key_s), draw(side_s), draw(side_s)]
    if kind == 14:
        return ["RPOPLPUSH", k, draw(key_s)]
    if kind == 15:
        keys = draw(st.lists(key_s, min_size=1, max_size=3))
        n = draw(st.sampled_from([str(len(keys)), str(len(keys)), "0", "5", "x"]))
        tail = draw(st.sampled_from([[], ["COUNT", "2"], ["COUNT", "0"], ["COUNT", LLONG_MAX],
                                     ["COUNT"], ["COUNT", "1", "COUNT", "1"]]))
        return ["LMPOP", n, *keys, draw(side_s), *tail]
    if kind == 16:
        return ["__SET__", k, "str"]
    if kind == 17:
        return ["__DEL__", k]
    # blocking commands go inside MULTI/EXEC (the engine never blocks; neither does
    # Redis there)
    if kind == 18:
        cmd = [draw(st.sampled_from(["BLPOP", "BRPOP"])),
               *draw(st.lists(key_s, min_size=1, max_size=3)), draw(timeout_s)]
    elif kind == 19:
        cmd = ["BLMOVE", k, draw(key_s), draw(side_s), draw(side_s), draw(timeout_s)]
    elif kind == 20:
        cmd = ["BRPOPLPUSH", k, draw(key_s), draw(timeout_s)]
    else:
        keys = draw(st.lists(key_s, min_size=1, max_size=3))
        cmd = ["BLMPOP", draw(timeout_s), str(len(keys)), *keys, draw(side_s),
               *draw(st.sampled_from([[], ["COUNT", "3"], ["COUNT", "-1"]]))]
    return ["__MULTI__", cmd]


def _snapshot(engine):
    return {k: (o.type, list(o.val) if o.type == "list" else o.val)
            for k, o in engine.keyspace().items()}


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(list_command(), min_size=5, max_size=30))
def test_random_list_sequences(diff, cmds):
    diff.real.command("FLUSHALL")
    diff.client.db.dict.clear()
    diff.client.db.expires.clear()
    for cmd in cmds:
        if cmd[0] == "__MULTI__":
            diff.run([["MULTI"], cmd[1], ["EXEC"]])
            continue
        if cmd[0] == "__SET__":  # a wrong-type key, without relying on the strings family
            delete(diff, cmd[1])
            make_string(diff, cmd[1], cmd[2])
            continue
        if cmd[0] == "__DEL__":
            delete(diff, cmd[1])
            continue
        before = _snapshot(diff.engine)
        reply = diff.check(*cmd)
        if reply.startswith(b"-"):
            assert _snapshot(diff.engine) == before, cmd
        diff.engine._check()
    all_lists(diff)


def test_with_other_families(diff):
    """Needs EXISTS/DEL/TYPE/OBJECT (keys family) and SET/GET (strings family)."""
    diff.run([["RPUSH", "l", "a", "b"], ["TYPE", "l"], ["OBJECT", "ENCODING", "l"],
              ["RPUSH", "big", *[str(i) for i in range(600)]], ["OBJECT", "ENCODING", "big"],
              ["LPOP", "l", 2], ["EXISTS", "l"], ["SET", "s", "v"], ["LPUSH", "s", "x"],
              ["GET", "s"], ["RPUSH", "m", "1"], ["DEL", "m"], ["LLEN", "m"],
              ["RPUSH", "e", "1"], ["EXPIRE", "e", "100"], ["LPUSH", "e", "2"], ["TTL", "e"],
              ["LTRIM", "e", 1, 0], ["TTL", "e"]])
