"""SORT / SORT_RO against a real redis-server 7.0 (byte-identical replies).

A real server never resets ``errno`` before SORT's ``strtod``: an ERANGE left by any
earlier command (``ZADD z 1e400 m`` in another test, or a SORT over ``1e-310``) makes
every later numeric SORT fail. Each test therefore starts with a ``ZADD`` of a valid
score (``getDoubleFromObject`` sets ``errno = 0``), and the ERANGE cases come last.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def reset_errno(diff) -> None:
    diff.run([["ZADD", "__errno", "1", "x"], ["DEL", "__errno"]])


def test_numeric_and_alpha(diff):
    reset_errno(diff)
    diff.run([
        ["RPUSH", "l", "3", "1", "2", "1.0", "01", "10", "-5", "0x10", "+3", ".5", "1e5", "-0",
         " 7", "\t8", "", "inf", "-inf", "infinity", "1\x00z"],
        ["SORT", "l"], ["SORT", "l", "DESC"], ["SORT", "l", "ASC"], ["SORT_RO", "l"],
        ["SORT", "l", "ALPHA"], ["SORT", "l", "ALPHA", "DESC"], ["SORT", "l", "desc", "asc"],
        ["SORT", "l", "ALPHA", "STORE", "o"], ["LRANGE", "o", "0", "-1"],
        ["SORT", "l", "LIMIT", "-1", "2"], ["SORT", "l", "LIMIT", "2", "-1"],
        ["SORT", "l", "LIMIT", "100", "1"], ["SORT", "l", "LIMIT", "0", "0"],
        ["SORT", "l", "LIMIT", "18", "10"], ["SORT", "l", "LIMIT", "3", "4", "DESC"],
        ["SORT", "l", "ALPHA", "ALPHA", "asc", "desc", "Limit", "0", "1", "limit", "0", "2"],
    ])


def test_alpha_bytes_and_nul(diff):
    reset_errno(diff)
    diff.run([
        ["RPUSH", "al", b"b", b"a\x00c", b"a\x00b", b"A", b"\xff", b"\x80", b"\xc3\xbf", b"a"],
        ["SORT", "al", "ALPHA"], ["SORT", "al", "ALPHA", "DESC"],
        ["SORT", "al", "ALPHA", "STORE", "o"], ["LRANGE", "o", "0", "-1"],
        ["SORT", "al", "ALPHA", "DESC", "STORE", "o"], ["LRANGE", "o", "0", "-1"],
        ["SORT", "al"],
    ])


def test_not_a_double(diff):
    reset_errno(diff)
    for bad in ["1 ", "abc", "nan", "  ", "-", "0x", "1e5x"]:
        diff.run([["DEL", "x"], ["RPUSH", "x", "5", bad], ["SORT", "x"],
                  ["SORT", "x", "STORE", "d"], ["EXISTS", "d"], ["SORT", "x", "ALPHA"],
                  ["SORT", "x", "BY", "nosort"]])


def test_by_and_get(diff):
    reset_errno(diff)
    diff.run([
        ["RPUSH", "l", "3", "1", "2", "1.0", "01", "10"],
        ["SORT", "l", "BY", "w_*"], ["SORT", "l", "BY", "w_*", "ALPHA"],
        ["MSET", "w_3", "a", "w_1", "a", "w_10", "b"],
        ["SORT", "l", "BY", "w_*"], ["SORT", "l", "BY", "w_*", "ALPHA"],
        ["SORT", "l", "BY", "w_*", "ALPHA", "DESC"],
        ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "1", "2"],
        ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "0", "3", "DESC"],
        ["MSET", "n_3", "30", "n_1", "-1", "n_2", "2", "n_1.0", "2", "n_01", "0.5"],
        ["SORT", "l", "BY", "n_*"], ["SORT", "l", "BY", "n_*", "DESC"],
        ["SORT", "l", "BY", "n_*", "LIMIT", "1", "3"],
        ["SORT", "l", "BY", "n_*", "GET", "#", "GET", "n_*", "GET", "nostar", "GET", "h_*->f"],
        ["HSET", "h_1", "f", "v1"], ["HSET", "h_2", "f", "v2", "g", "0"], ["HSET", "h_3", "g", "-3"],
        ["SORT", "l", "BY", "h_*->g", "GET", "h_*->f", "GET", "h_*->", "GET", "#"],
        ["SORT", "l", "BY", "h_*->g", "DESC", "GET", "h_*->g"],
        ["SORT", "l", "BY", "h_*->f", "ALPHA", "GET", "h_*->f"],
        ["SORT", "l", "GET", "#", "GET", "nope_*", "STORE", "d"], ["LRANGE", "d", "0", "-1"],
        ["SET", "k*x", "1"], ["SORT", "l", "BY", "k*x"], ["SORT", "l", "GET", "k\x00*"],
        ["SORT", "l", "BY", "k\x00*"], ["SORT", "l", "GET", "#\x00zz"],
        ["RPUSH", "w_2", "listval"], ["SORT", "l", "BY", "w_*", "ALPHA", "GET", "w_*"],
        ["SORT", "l", "GET", "h_*->f", "GET", "w_*->f"],
        ["SORT", "l", "BY", "nosort", "GET", "#", "GET", "n_*"],
    ])


def test_nosort_and_limits(diff):
    reset_errno(diff)
    cmds = [["RPUSH", "l", "3", "1", "2", "1.0", "01", "10"],
            ["ZADD", "z", "1", "b", "1", "a", "0", "c", "5", "e", "3", "d"],
            ["SADD", "s", "3", "1", "2", "20", "-4"]]
    for key in ("l", "z", "s"):
        for lim in ([], ["LIMIT", "2", "-1"], ["LIMIT", "1", "2"], ["LIMIT", "10", "2"],
                    ["LIMIT", "0", "0"], ["LIMIT", "-3", "2"], ["LIMIT", "4", "100"]):
            for order in ([], ["DESC"]):
                cmds.append(["SORT", key, "BY", "nosort", *lim, *order])
                cmds.append(["SORT", key, *lim, *order])
                cmds.append(["SORT", key, "BY", "nosort", *lim, *order, "STORE", "d"])
                cmds.append(["LRANGE", "d", "0", "-1"])
    diff.run(cmds)


def test_zset_sort_converts_to_skiplist(diff):
    reset_errno(diff)
    diff.run([["ZADD", "z", "1", "b", "1", "a", "0", "c"], ["OBJECT", "ENCODING", "z"],
              ["SORT_RO", "z", "BY", "nosort"], ["OBJECT", "ENCODING", "z"],
              ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "z", "2", "x"],
              ["OBJECT", "ENCODING", "z"], ["SORT", "z", "ALPHA"],
              ["ZADD", "z2", "1", "1"], ["SORT", "z2", "LIMIT", "5", "1"],
              ["OBJECT", "ENCODING", "z2"]])


def test_store(diff):
    reset_errno(diff)
    diff.run([["RPUSH", "l", "2", "1"], ["SET", "d", "x"], ["EXPIRE", "d", "100"],
              ["SORT", "l", "STORE", "d"], ["TTL", "d"], ["TYPE", "d"],
              ["OBJECT", "ENCODING", "d"], ["LRANGE", "d", "0", "-1"],
              ["SORT", "l", "LIMIT", "0", "0", "STORE", "d"], ["EXISTS", "d"],
              ["SORT", "nokey", "STORE", "d"], ["SORT", "l", "STORE", "l"], ["LRANGE", "l", "0", "-1"],
              ["SORT", "l", "STORE", "a", "STORE", "b"], ["EXISTS", "a", "b"],
              ["SORT", "nokey"], ["SORT", "nokey", "BY", "nosort", "DESC", "LIMIT", "1", "1"]])


def test_set_nosort_store_and_script(diff):
    reset_errno(diff)
    diff.run([["SADD", "s", "b", "c", "a", "10", "9"], ["SORT", "s", "BY", "nosort", "STORE", "d"],
              ["LRANGE", "d", "0", "-1"], ["SORT", "s", "BY", "nosort", "DESC", "STORE", "d"],
              ["LRANGE", "d", "0", "-1"], ["SORT", "s", "ALPHA"],
              ["EVAL", "return redis.call('SORT', KEYS[1], 'BY', 'nosort')", "1", "s"],
              ["EVAL", "return redis.call('SORT_RO', KEYS[1], 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2)",
               "1", "s"]])


def test_errors(diff):
    reset_errno(diff)
    diff.run([["SET", "str", "x"], ["HSET", "h", "f", "v"], ["RPUSH", "l", "1"],
              ["SORT", "str"], ["SORT", "h"], ["SORT_RO", "str"], ["SORT", "str", "foo"],
              ["SORT", "nokey", "foo"], ["SORT", "l", "LIMIT", "1"], ["SORT", "l", "LIMIT", "a", "b"],
              ["SORT", "l", "LIMIT", "1", "b"], ["SORT", "l", "LIMIT", "1", "99999999999999999999"],
              ["SORT", "l", "STORE"], ["SORT", "l", "BY"], ["SORT", "l", "GET"],
              ["SORT_RO", "l", "STORE", "d"], ["SORT_RO", "str", "STORE", "d"], ["SORT"],
              ["SORT_RO"], ["SORT", "str", "LIMIT", "x", "1"]])


def test_command_metadata(diff):
    diff.run([["COMMAND", "INFO", "sort", "sort_ro", "dump", "restore", "restore-asking"],
              ["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d", "STORE", "e"],
              ["COMMAND", "GETKEYS", "SORT_RO", "k", "BY", "x"],
              ["COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "STORE", "d"],
              ["COMMAND", "GETKEYS", "SORT", "k", "GET", "STORE", "d"],
              ["COMMAND", "GETKEYS", "SORT", "k", "STORE"]])


def test_erange_last(diff):
    """ERANGE values (overflow, subnormal underflow): the error, then errno is reset."""
    reset_errno(diff)
    for v in ["1e-310", "4.9e-324", "1e-400", "1e400", "-1e999"]:
        diff.run([["DEL", "x"], ["RPUSH", "x", "5", v], ["SORT", "x"]])
        reset_errno(diff)


# -- a hypothesis-generated sequence -----------------------------------------------------
ELEMS = ["1", "2", "3", "10", "-1", "007", "1.5", "-2.25", "0", "1e3", "abc", "b", "B", "",
         " 4", "0x1A", "inf", "x y", "9", "12"]
INTS = ["1", "2", "3", "10", "-1", "0", "9", "12", "100", "-50"]
WEIGHTS = ["1", "2", "-3", "0.5", "7", "x", "10", "3", "2"]


@st.composite
def sort_scenario(draw):
    kind = draw(st.sampled_from(["list", "intset", "set", "zset"]))
    pool = INTS if kind == "intset" else ELEMS
    elems = draw(st.lists(st.sampled_from(pool), min_size=0, max_size=12,
                          unique=kind != "list"))
    setup = []
    if elems:
        if kind == "list":
            setup.append(["RPUSH", "k", *elems])
        elif kind in ("set", "intset"):
            setup.append(["SADD", "k", *elems])
        else:
            args = []
            for i, el in enumerate(elems):
                args += [str(draw(st.sampled_from([1, 2, 3, i]))), el]
            setup.append(["ZADD", "k", *args])
    for el in elems:
        if draw(st.booleans()):
            setup.append(["SET", f"w_{el}", draw(st.sampled_from(WEIGHTS))])
        if draw(st.booleans()):
            setup.append(["HSET", f"h_{el}", "f", draw(st.sampled_from(WEIGHTS)), "g", el])
    cmds = []
    for _ in range(draw(st.integers(1, 6))):
        alpha = draw(st.booleans())
        by = draw(st.sampled_from([None, "w_*", "h_*->f", "nosort", "h_*->nofield"]))
        # input-order dependent cases (ties kept in the set's hashtable or the zset's dict
        # order, both unreproducible) are only drawn where the order is known
        if kind in ("set", "zset") and alpha and by not in (None, "nosort"):
            alpha = False
        if kind == "set" and by == "nosort":
            by = None
        cmd = ["SORT_RO" if draw(st.booleans()) else "SORT", "k"]
        if by is not None:
            cmd += ["BY", by]
        if draw(st.booleans()):
            cmd += ["LIMIT", str(draw(st.integers(-2, 8))), str(draw(st.integers(-2, 8)))]
        for _ in range(draw(st.integers(0, 2))):
            cmd += ["GET", draw(st.sampled_from(["#", "w_*", "h_*->g", "h_*->f", "nostar"]))]
        if draw(st.booleans()):
            cmd.append("DESC")
        if alpha:
            cmd.append("ALPHA")
        store = cmd[0] == "SORT" and draw(st.booleans())
        if store:
            cmd += ["STORE", "dst"]
        cmds.append(cmd)
        if store:
            cmds.append(["LRANGE", "dst", "0", "-1"])
    return setup, cmds


@settings(max_examples=100, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sort_scenario())
def test_sort_sequences(diff, scenario):
    setup, cmds = scenario
    diff.run([["FLUSHALL"]])
    reset_errno(diff)
    diff.run(setup)
    diff.run(cmds)
