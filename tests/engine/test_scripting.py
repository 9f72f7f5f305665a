"""EVAL & co. in process: busy scripts in virtual time, SCRIPT KILL, effects replication,
conversions, redis-py's scripting helpers through ``lab.connect``."""

import pytest
import redis

pytest.importorskip("lupa")

import lab
from lab.engine import Engine, ReplyError, scripting
from lab.engine import errors as E
from lab.engine.reply import RSet, Status


@pytest.fixture
def e():
    return Engine()


def test_basic_conversions(e):
    assert e.call("EVAL", "return {1, 'a', {2, false}, true, 3.9}", 0) == [1, b"a", [2, None], 1, 3]
    assert e.call("EVAL", "return {ok='fine'}", 0) == Status("fine")
    assert e.execute("EVAL", "return {err='x'}", 0) == ReplyError("x")
    assert e.call("EVAL", "return {map={a=1}}", 0) == {b"a": 1}
    assert e.call("EVAL", "return {set={a=true}}", 0) == RSet([b"a"])
    assert e.call("EVAL", "return {double=1.5}", 0) == 1.5
    assert e.call("EVAL", "redis.setresp(3) return true", 0) is True
    assert e.call("EVAL", "return 1e300", 0) == -(1 << 63)


def test_keys_argv_and_call(e):
    assert e.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", 1, "k", "v") == "OK"
    assert e.call("GET", "k") == b"v"
    assert e.call("EVAL", "return {#KEYS, #ARGV}", 2, "a", "b", "c") == [2, 1]


def test_errors_name_the_script_and_line(e):
    sha = e.call("SCRIPT", "LOAD", "\n\nreturn redis.call('nope')").decode()
    err = e.execute("EVALSHA", sha, 0)
    assert err.message == f"{E.LUA_UNKNOWN_COMMAND} script: {sha}, on @user_script:3."
    assert e.execute("EVALSHA", "0" * 40, 0) == ReplyError(E.NOSCRIPT)
    assert e.execute("EVAL", "return 1", 3, "a") == ReplyError(E.NUMKEYS_GT_ARGS)
    assert e.execute("EVAL", "return 1", -1) == ReplyError(E.NUMKEYS_NEGATIVE)


def test_script_cache(e):
    sha = e.call("SCRIPT", "LOAD", "return 1")
    assert sha == b"e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
    assert e.call("SCRIPT", "EXISTS", sha, "nope") == [1, 0]
    assert e.call("EVALSHA", sha.upper(), 0) == 1
    assert e.call("SCRIPT", "FLUSH") == "OK"
    assert e.call("SCRIPT", "EXISTS", sha) == [0]


def test_math_random_matches_redis_prng(e):
    # a fresh 7.0.15 server answers 40, then 85, 36 (rand.c's 48-bit generator)
    assert e.call("EVAL", "return math.random(100)", 0) == 40
    assert e.call("EVAL", "return {math.random(100), math.random(100)}", 0) == [85, 36]
    assert e.call("EVAL", "math.randomseed(5) return tostring(math.random())", 0) == b"0.52483957937213"


def test_read_only_variants(e):
    err = e.execute("EVAL_RO", "return redis.call('set', 'a', 'b')", 0)
    assert err.message.startswith(E.LUA_WRITE_IN_READONLY + " script: ")
    assert e.execute("EVAL_RO", "#!lua\nreturn 1", 0) == ReplyError(E.SCRIPT_RO_WITH_WRITE_FLAG)
    assert e.call("EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0) == 1
    assert e.call("EXISTS", "a") == 0


# -- busy scripts, SCRIPT KILL ----------------------------------------------------------------
LOOP = "local i = 0 while true do i = i + 1 end"


def _busy_engine(threshold_ms=10):
    e = Engine()
    e.call("CONFIG", "SET", "busy-reply-threshold", str(threshold_ms))
    return e, scripting.state(e)


def test_busy_script_other_clients_get_busy_then_kill():
    e, st = _busy_engine()
    other = e.client()
    seen = []

    def while_busy(engine, run):
        if not seen:
            seen.append(other.execute([b"GET", b"x"]))
            seen.append(other.execute([b"MULTI"]))
            seen.append(other.execute([b"GET", b"x"]))
            seen.append(other.execute([b"DISCARD"]))
            seen.append(other.execute([b"FUNCTION", b"STATS"]))
            seen.append(other.execute([b"FUNCTION", b"KILL"]))
            seen.append(other.execute([b"SCRIPT", b"KILL"]))

    st.busy_hooks.append(while_busy)
    t0 = e.clock.now_ms()
    err = e.execute("EVAL", LOOP, 0)
    sha = "3fcf51a9b854b8f66cb8685600b0d7df968f4398"
    assert err.message == f"{E.SCRIPT_KILLED} script: {sha}, on @user_script:1."
    busy = ReplyError(E.BUSY_EVAL)
    assert seen == [busy, "OK", busy, "OK", busy, busy, "OK"]
    # the script ran 10 ms of virtual time (1 ms per 100000 instructions)
    assert e.clock.now_ms() - t0 == 10
    assert e.busy_script is None
    assert other.call("GET", "x") is None


def test_unkillable_after_a_write():
    e, st = _busy_engine(5)
    other = e.client()
    seen = []

    def while_busy(engine, run):
        if run.elapsed_us < 8000:
            seen.append(other.execute([b"SCRIPT", b"KILL"]))
        else:  # stop the test: mark it killed directly (SHUTDOWN NOSAVE in real life)
            run.write_dirty = False
            run.killed = True

    st.busy_hooks.append(while_busy)
    e.execute("EVAL", "redis.call('set','w','1') while true do end", 0)
    assert seen and all(r == ReplyError(E.UNKILLABLE) for r in seen)
    assert e.call("GET", "w") == b"1"  # no rollback


def test_function_kill_and_stats():
    e, st = _busy_engine()
    e.call("FUNCTION", "LOAD",
           "#!lua name=busy\nredis.register_function('spin', function() while true do end end)")
    other = e.client()
    seen = []

    def while_busy(engine, run):
        if not seen:
            seen.append(other.execute([b"GET", b"x"]))
            seen.append(other.execute([b"SCRIPT", b"KILL"]))
            seen.append(other.execute([b"FUNCTION", b"STATS"]))
            seen.append(other.execute([b"FUNCTION", b"KILL"]))

    st.busy_hooks.append(while_busy)
    err = e.execute("FCALL", "spin", 0)
    assert err.message == f"{E.SCRIPT_KILLED} script: spin, on @user_function:2."
    assert seen[0] == ReplyError(E.BUSY_FUNCTION)
    assert seen[1] == ReplyError(E.BUSY_FUNCTION)
    assert seen[2][b"running_script"] == {b"name": b"spin", b"command": [b"FCALL", b"spin", b"0"],
                                          b"duration_ms": 10}
    assert seen[3] == "OK"


def test_kill_when_idle(e):
    assert e.execute("SCRIPT", "KILL") == ReplyError(E.NOTBUSY)
    assert e.execute("FUNCTION", "KILL") == ReplyError(E.NOTBUSY)


def test_short_scripts_take_no_virtual_time(e):
    t0 = e.clock.now_ms()
    e.call("EVAL", "for i = 1, 1000 do end return 1", 0)
    assert e.clock.now_ms() == t0


# -- effects replication --------------------------------------------------------------------
def _capture(e):
    out = []
    e.propagate_listeners.append(lambda dbid, argv: out.append((dbid, list(argv))))
    return out


def test_script_effects_wrapped_in_multi_exec(e):
    out = _capture(e)
    e.call("EVAL", "redis.call('set','a','1') redis.call('incr','a') return redis.call('get','a')", 0)
    assert out == [(0, [b"MULTI"]), (0, [b"set", b"a", b"1"]), (0, [b"incr", b"a"]), (0, [b"EXEC"])]


def test_single_write_not_wrapped_and_reads_not_propagated(e):
    out = _capture(e)
    e.call("EVAL", "redis.call('get','a') return redis.call('set','a','1')", 0)
    assert out == [(0, [b"set", b"a", b"1"])]
    out.clear()
    e.call("EVAL", "return redis.call('get','a')", 0)
    assert out == []


def test_set_repl_none_drops_effects(e):
    out = _capture(e)
    e.call("EVAL", "redis.call('set','a','1') redis.set_repl(redis.REPL_NONE) "
           "redis.call('set','b','2') return 1", 0)
    assert out == [(0, [b"set", b"a", b"1"])]
    assert e.call("GET", "b") == b"2"


def test_script_select_does_not_leak_to_caller(e):
    e.call("EVAL", "redis.call('select', 1) return redis.call('set', 'x', 'y')", 0)
    assert e.call("EXISTS", "x") == 0
    e.call("SELECT", 1)
    assert e.call("GET", "x") == b"y"


# -- redis-py through lab.connect -------------------------------------------------------------
def test_redis_py_eval_evalsha_register_script():
    r = lab.connect()
    assert r.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "k", "v") == "OK"
    assert r.eval("return {1, 'a', {ok='x'}}", 0) == [1, "a", "x"]
    incr = r.register_script("return redis.call('incrby', KEYS[1], ARGV[1])")
    assert incr(keys=["n"], args=[5]) == 5
    assert incr(keys=["n"], args=[5]) == 10
    r.script_flush()
    assert incr(keys=["n"], args=[1]) == 11  # NOSCRIPT -> reload, as redis-py does
    sha = r.script_load("return 7")
    assert r.evalsha(sha, 0) == 7
    assert r.script_exists(sha, "0" * 40) == [True, False]
    with pytest.raises(redis.exceptions.NoScriptError):
        r.evalsha("0" * 40, 0)
    p = r.pipeline()
    incr(keys=["n"], args=[1], client=p)
    p.get("n")
    assert p.execute() == [12, "12"]


def test_redis_py_fcall():
    r = lab.connect()
    code = ("#!lua name=lib\nredis.register_function('add', function(k, a) "
            "return redis.call('incrby', k[1], a[1]) end)\n"
            "redis.register_function{function_name='get', callback=function(k) "
            "return redis.call('get', k[1]) end, flags={'no-writes'}}")
    assert r.function_load(code) == "lib"
    assert r.fcall("add", 1, "c", 3) == 3
    assert r.fcall_ro("get", 1, "c") == "3"
    libs = r.function_list()  # RESP2: flat [name, value, ...] lists, as from a server
    assert libs[0][:2] == ["library_name", "lib"]
    assert r.function_delete("lib") is True


# -- properties ---------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ENGINE = Engine()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=20), max_size=8))
def test_argv_round_trips(args):
    assert _ENGINE.call("EVAL", "return ARGV", 0, *args) == args


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_integers_round_trip_through_lua_numbers(n):
    assert _ENGINE.call("EVAL", "return tonumber(ARGV[1])", 0, n) == n


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_lua_numbers_truncate_toward_zero(x):
    assert _ENGINE.call("EVAL", "return tonumber(ARGV[1])", 0, repr(x)) == int(x)


_nested = st.recursive(st.one_of(st.integers(-1000, 1000), st.binary(max_size=8)),
                       lambda inner: st.lists(inner, max_size=4), max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(_nested, max_size=5))
def test_cmsgpack_round_trip(value):
    script = "return cmsgpack.unpack(cmsgpack.pack(cjson.decode(ARGV[1])))"
    import json

    def to_json(v):
        if isinstance(v, bytes):
            return v.hex()
        if isinstance(v, list):
            return [to_json(x) for x in v]
        return v

    doc = json.dumps(to_json(value))
    expect = [to_json(value)]

    def norm(v):
        if isinstance(v, bytes):
            return v.decode()
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    # an empty Lua table packs as an empty array; JSON [] decodes to an empty table
    assert norm([_ENGINE.call("EVAL", script, 0, doc)]) == expect
