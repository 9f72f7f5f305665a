"""Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT (``eval.c``, ``script.c``,
``script_lua.c``).

The Lua VM is lupa's **Lua 5.1** (``lupa.lua51``), the version Redis embeds, imported
lazily on the first script so the engine does not need lupa until then. The sandbox
(``lua/sandbox.lua``) rebuilds what Redis gives a script: the base library without
``print``/``dofile``/``loadfile``/``require``/``getfenv``/``setfenv``/``newproxy``,
``string``, ``table``, ``math`` (Redis's own PRNG), ``bit``, ``struct``, ``cjson``,
``cmsgpack``, ``redis.*``; read-only globals and library tables (writes raise Redis's
``Attempt to modify a readonly table``, reading an undefined global raises ``Script
attempted to access nonexistent global variable``).

One ``ScriptingState`` per engine (``state(engine)``) holds the Lua runtime, the script
cache, the function libraries (``functions.py``), the PRNG, and the running script.

Time. A count hook fires every ``HOOK_COUNT`` Lua instructions (Redis uses the same
100000). On a virtual-clock engine each instruction costs ``NS_PER_INSTRUCTION`` ns of
virtual time (10 ns: ~100M VM instructions/s, the order of a real 5.1 VM), so a hook tick
is 1 ms of script time; on a wall-clock engine the hook reads the wall clock. Once a
script has run ``busy-reply-threshold`` ms it is *busy*: ``engine.busy_script`` is set
(``process_command`` then answers ``-BUSY`` to every command without the ``allow_busy``
flag) and every hook tick calls the ``ScriptingState.busy_hooks`` callbacks — the
in-process stand-in for ``processEventsWhileBlocked``: a test or notebook runs other
clients' commands there (``SCRIPT KILL``, ``FUNCTION STATS``, ...). When the script ends
the virtual clock moves forward by its run time (no cron runs in between, as in Redis,
whose event loop is stuck in the script; the next ``advance`` catches up).

Replication: Redis 7.0 replicates scripts by effects. The writes a script makes are
collected and, when there are more than one, wrapped in MULTI/EXEC
(``propagatePendingCommands``); ``redis.set_repl(redis.REPL_NONE)`` drops the following
ones. The EVAL itself is never propagated.

Differences from Redis 7.0.15 (everything else is checked byte for byte against a real
server in tests/differential/test_scripting.py and test_functions.py):

* Stock Lua 5.1 has no read-only tables: protected tables are empty proxies, so ``#`` of a
  library table is 0 (``pairs``/``next``/``rawget`` see through them).
* ``redis.call``/``pcall``/``sha1hex``/``log``/``setresp``/``set_repl``, ``bit``,
  ``struct``, ``cmsgpack``, ``cjson.encode/decode`` are Python callables (C functions to
  Lua, so a script's tail call keeps its frame for error positions): ``type()`` of them is
  ``userdata``, and indexing one fails with "attempt to index a function value".
* RESP3 ``big_number`` and verbatim replies reach clients / scripts as plain strings.
* cjson: the configuration functions (``encode_keep_buffer``, ``encode_max_depth``, ...)
  are no-ops; ``cjson.encode(-0)`` of a bare number gives ``0`` (lupa passes integral
  numbers to Python as ints; inside tables ``-0`` is kept). struct: ``!`` alignment is
  ignored. cmsgpack: no ext types. A failing library call made through ``pcall`` names
  the function ``'?'`` as Lua does only for the first argument error text.
* SCRIPT DEBUG (the Lua debugger) is not modelled. EVAL and FUNCTION code share one Lua
  state (separate globals tables); Redis uses two.
* The OOM rule for scripts is 7.0's (denyoom commands refused before the first write when
  memory was over the limit as the script started, unless ``allow-oom``); ``allow-stale``,
  ``no-cluster`` and ``allow-cross-slot-keys`` are accepted and listed but have nothing to
  act on here. ``redis.log`` lines go to ``ScriptingState.log`` (bounded), not a log file.
* On the RESP server a script past the threshold makes ``engine.busy_script`` visible, but
  the asyncio loop is blocked inside the script, so other connections are not served (and
  cannot SCRIPT KILL) until it ends; the in-process ``busy_hooks`` model is complete.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors
from .commands import command as _command
from .commands import container, lookup_command, subcommand
from .connection import DENY_IN_PROCESS, DENY_MULTI, Client
from .errors import ReplyError
from .reply import NULL_ARRAY, OK, Push, RSet, Status, Verbatim, to_resp2_value
from .util import string2ll

if TYPE_CHECKING:  # pragma: no cover
    from .server import Engine

HOOK_COUNT = 100000
NS_PER_INSTRUCTION = 10
LOG_MAXLEN = 128

# script flags (shebang / register_function)
SCRIPT_FLAGS = ("no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys")


class Script:
    """One cached EVAL script."""

    __slots__ = ("body", "flags", "func", "sha", "shebang")

    def __init__(self, sha: str, body: bytes, func, flags: frozenset, shebang: bool):
        self.sha = sha
        self.body = body
        self.func = func
        self.flags = flags
        self.shebang = shebang


class RunCtx:
    """The script being run (``scriptRunCtx``)."""

    __slots__ = ("argv", "caller", "elapsed_us", "funcname", "is_eval", "killed", "name",
                 "oom", "readonly", "repl", "resp", "start_wall", "timedout", "write_dirty",
                 "flags")

    def __init__(self, caller: Client, name: str, is_eval: bool, readonly: bool,
                 flags: frozenset, argv: list[bytes]):
        self.caller = caller
        self.name = name
        self.funcname = name
        self.is_eval = is_eval
        self.readonly = readonly
        self.flags = flags
        self.argv = argv
        self.elapsed_us = 0
        self.start_wall = time.monotonic()
        self.timedout = False
        self.killed = False
        self.write_dirty = False
        self.repl = 3
        self.resp = 2
        self.oom = False

    @property
    def duration_ms(self) -> int:
        return self.elapsed_us // 1000


class ScriptError(Exception):
    """An error a Python callback raises into Lua. kind 1: an error table's text (no
    "ERR " added); 2: a message; 3: a message prefixed with the caller's position."""

    def __init__(self, msg: bytes, kind: int):
        super().__init__(msg)
        self.msg = msg
        self.kind = kind


def _deny_attributes(obj, name, is_setting):
    """lupa's attribute filter: scripts see Python callables as opaque functions (no
    ``redis.call.__self__`` walk into the interpreter)."""
    raise AttributeError("attempt to index a function value")


def _exc_info(exc) -> tuple[int, bytes]:
    if isinstance(exc, ScriptError):
        return exc.kind, exc.msg
    from .lua.libs import LuaLibError

    if isinstance(exc, LuaLibError):
        return 3, str(exc).encode()
    return 2, str(exc).encode()


def _lua_number_str(x) -> bytes:
    """``lua_tostring`` of a number: Lua 5.1 prints with %.14g."""
    return b"%.14g" % x


def _sha1hex(b: bytes) -> str:
    return hashlib.sha1(b).hexdigest()


def _trunc_int(x: float) -> int:
    """C's (long long) cast of a Lua number on x86-64: out of range / NaN -> INT64_MIN."""
    if math.isnan(x) or x >= 9.2233720368547758e18 or x < -9.2233720368547758e18:
        return -(1 << 63)
    return int(x)


class ScriptingState:
    """Everything scripting keeps per engine."""

    def __init__(self, engine: Engine):
        from lupa import lua51

        self.engine = engine
        self.lua51 = lua51
        self.lua = lua51.LuaRuntime(encoding=None, unpack_returned_tuples=True,
                                    register_eval=False, register_builtins=False,
                                    attribute_filter=_deny_attributes)
        self.scripts: dict[str, Script] = {}
        self.rand_x = 0x1234ABCD330E  # rand.c's initial 48-bit state
        self.running: RunCtx | None = None
        self.busy_hooks: list = []
        self.log: list[tuple[int, bytes]] = []
        self.lua_client = Client(engine, 0, "")
        self.lua_client.authenticated = True
        self.lua_client.deny_blocking = DENY_IN_PROCESS | DENY_MULTI
        self.lua_client.addr = "lua"
        self._load_sandbox()
        from . import functions

        self.functions = functions.FunctionsState(self)

    # -- the Lua side ------------------------------------------------------------------
    def _load_sandbox(self) -> None:
        from .lua import libs

        lua = self.lua
        tf = lua.table_from
        self.NULL = lua.eval(b"newproxy(false)")
        mp = libs.make_msgpack(tf)
        decode = libs.make_json_decode(tf)
        null = self.NULL

        def where() -> bytes:
            """``luaL_where(L, 1)``: "user_script:1: " for the Lua caller of the Python
            callable now raising, "" when a C function (pcall) called it."""
            return self.E[b"where"]() or b""

        def lib(fn):
            """A C-library stand-in: its errors are ``luaL_error``s (caller's position)."""
            def w(*args):
                try:
                    return fn(*args)
                except (libs.LuaLibError, ValueError, TypeError, OverflowError) as exc:
                    pos = where()
                    msg = str(exc)
                    if not pos:  # called by a C function (pcall): Lua knows no name for it
                        msg = re.sub(r"^bad argument #(\d+) to '[^']*'", r"bad argument #\1 to '?'", msg)
                    raise ScriptError(pos + msg.encode("utf-8", "surrogateescape"), 2) from None
            return w

        def json_decode(*args):
            if not args or type(args[0]) is not bytes:
                got = "no value" if not args else libs.lua_typename(args[0])
                raise libs.LuaLibError("bad argument #1 to 'decode' (string expected, got %s)" % got)
            return decode(args[0], null)

        def json_encode(*args):
            if len(args) != 1:
                raise libs.LuaLibError("bad argument #1 to 'encode' (expected 1 argument)")
            ok, res = self.E[b"json_encode"](args[0])
            if not ok:
                raise libs.LuaLibError(res.decode("utf-8", "surrogateescape"))
            return res

        lua_error = self.lua51.LuaError

        def guard(f, kind):
            """A Python (C-level, to Lua) wrapper around a sandbox Lua function: a script's
            ``return f(...)`` tail call then keeps the script's frame for error positions.
            kind 3: the message takes the caller's position, as ``luaL_error`` does."""
            def g(*args):
                try:
                    return f(*args)
                except lua_error as exc:
                    msg = str(exc).split("\nstack traceback:", 1)[0].encode("utf-8", "surrogateescape")
                    if kind == 3:
                        msg = where() + msg
                    raise ScriptError(msg, 2) from None
            return g

        callbacks = {
            b"guard": guard,
            b"json_encode": lib(json_encode),
            b"call": self._rcall,
            b"pcall": self._rpcall,
            b"sha1hex": self._sha1hex,
            b"exc_info": _exc_info,
            b"rand": self._rand,
            b"srand": self._srand,
            b"log": self._log,
            b"setresp": self._setresp,
            b"set_repl": self._set_repl,
            b"hook": self._hook,
            b"hook_count": HOOK_COUNT,
            b"register": self._register,
            b"NULL": null,
            b"json_decode": lib(json_decode),
            b"bit": tf({k.encode(): lib(v) for k, v in libs.BIT.items()}),
            b"struct": tf({k.encode(): lib(v) for k, v in libs.STRUCT.items()}),
            b"msgpack": tf({k.encode(): lib(v) for k, v in mp.items()}),
        }
        src = (Path(__file__).parent / "lua" / "sandbox.lua").read_bytes()
        loader = lua.execute(b"return function(src, P) return assert(loadstring(src, '=sandbox'))(P) end")
        self.E = loader(src, tf(callbacks))
        # drop what the sandbox must not reach (it kept private references)
        lua.execute(b"debug = nil; os = nil; io = nil; package = nil; require = nil; "
                    b"dofile = nil; loadfile = nil; module = nil; print = nil")

    # -- callbacks from Lua --------------------------------------------------------------
    def _rand(self) -> float:
        self.rand_x = (0x5DEECE66D * self.rand_x + 0xB) & ((1 << 48) - 1)
        v = self.rand_x >> 17
        return (v % 2147483647) / 2147483647

    def _srand(self, seed) -> None:
        s = int(seed) & 0xFFFFFFFF  # (int32_t)
        self.rand_x = ((s << 16) | 0x330E) & ((1 << 48) - 1)

    def _log(self, *args) -> None:
        if len(args) < 2:
            raise ScriptError(errors.LUA_LOG_ARGS.encode(), 1)
        level = args[0]
        if type(level) not in (int, float):
            raise ScriptError(errors.LUA_LOG_LEVEL_TYPE.encode(), 1)
        if not 0 <= level <= 3:
            raise ScriptError(errors.LUA_LOG_LEVEL.encode(), 1)
        parts = [a if type(a) is bytes else _lua_number_str(a) for a in args[1:]
                 if type(a) in (bytes, int, float)]
        self.log.append((int(level), b" ".join(parts)))
        if len(self.log) > LOG_MAXLEN:
            del self.log[0]

    def _setresp(self, *args) -> None:
        if len(args) != 1:
            raise ScriptError(errors.LUA_SETRESP_ARGS.encode(), 1)
        v = args[0]
        if type(v) not in (int, float) or v not in (2, 3):
            raise ScriptError(errors.LUA_SETRESP_VERSION.encode(), 1)
        if self.running is not None:
            self.running.resp = int(v)

    def _set_repl(self, *args) -> None:
        if len(args) != 1:
            raise ScriptError(errors.LUA_SET_REPL_ARGS.encode(), 1)
        v = args[0]
        if type(v) not in (int, float) or v != int(v) or not 0 <= v <= 3:
            raise ScriptError(errors.LUA_SET_REPL_FLAGS.encode(), 1)
        if self.running is not None:
            self.running.repl = int(v)

    def _register(self, name, cb, flags, desc):
        return self.functions.register_callback(name, cb, flags, desc)

    def _hook(self):
        run = self.running
        if run is None:
            return None
        e = self.engine
        if e.virtual:
            run.elapsed_us += HOOK_COUNT * NS_PER_INSTRUCTION // 1000
        else:
            run.elapsed_us = int((time.monotonic() - run.start_wall) * 1_000_000)
        if run.killed:
            return errors.SCRIPT_KILLED.encode()
        if not run.timedout and run.elapsed_us >= e.config.busy_reply_threshold * 1000:
            run.timedout = True
            e.busy_script = run
        if run.timedout:
            for fn in list(self.busy_hooks):
                fn(e, run)
            if run.killed:
                return errors.SCRIPT_KILLED.encode()
        return None

    def _sha1hex(self, *args):
        if len(args) != 1 or type(args[0]) not in (bytes, int, float) or type(args[0]) is bool:
            raise ScriptError(errors.LUA_SHA1HEX_ARGS.encode(), 1)
        a = args[0]
        if type(a) is not bytes:
            a = _lua_number_str(a)
        return _sha1hex(a).encode()

    def _rcall(self, *args):
        ok, res = self._lua_call(args)
        if ok:
            return res
        raise ScriptError(res, 1)

    def _rpcall(self, *args):
        ok, res = self._lua_call(args)
        if ok:
            return res
        return self.lua.table_from({b"err": res})

    def _lua_call(self, args):
        """``redis.call`` / ``redis.pcall``: (True, lua value) or (False, error text)."""
        if not args:
            return False, errors.LUA_NO_ARGS.encode()
        argv = []
        for a in args:
            t = type(a)
            if t is bytes:
                argv.append(a)
            elif t is int or t is float:
                argv.append(b"%.17g" % a)
            else:
                return False, errors.LUA_BAD_ARG_TYPE.encode()
        run = self.running
        e = self.engine
        spec = lookup_command(argv)
        if spec is None:
            return False, errors.LUA_UNKNOWN_COMMAND.encode()
        arity = spec.arity
        if (arity > 0 and len(argv) != arity) or len(argv) < -arity:
            return False, errors.LUA_WRONG_ARITY.encode()
        if spec.is_noscript:
            return False, errors.LUA_NOSCRIPT_COMMAND.encode()
        if spec.is_write:
            if run.readonly:
                return False, errors.LUA_WRITE_IN_READONLY.encode()
        if (run.oom and spec.is_denyoom and not run.write_dirty
                and "allow-oom" not in run.flags):
            return False, errors.OOM.encode()
        if spec.is_write:
            run.write_dirty = True
        c = self.lua_client
        reply = e.call_command(c, spec, argv)
        if isinstance(reply, ReplyError):
            return False, reply.message.encode("utf-8", "surrogateescape")
        return True, self.reply_to_lua(reply, run.resp)

    # -- conversions ---------------------------------------------------------------------
    def reply_to_lua(self, r, resp: int):
        if resp == 2:
            r = to_resp2_value(r)
        tf = self.lua.table_from
        t = type(r)
        if t is bytes or t is Verbatim:
            return bytes(r)
        if t is int:
            return r
        if t is Status:
            return tf({b"ok": r.encode("utf-8", "surrogateescape")})
        if r is None or r is NULL_ARRAY:
            return False if resp == 2 else None
        if t is list or t is Push:
            return tf([self.reply_to_lua(x, resp) for x in r])
        if t is RSet:
            return tf({b"set": tf({self.reply_to_lua(x, resp): True for x in r})})
        if t is dict:
            return tf({b"map": tf({self.reply_to_lua(k, resp): self.reply_to_lua(v, resp)
                                   for k, v in r.items()})})
        if t is float:
            return tf({b"double": r})
        if t is bool:
            return r
        if isinstance(r, ReplyError):
            return tf({b"err": r.message.encode("utf-8", "surrogateescape")})
        return None

    def lua_to_reply(self, v, resp: int, depth: int = 0):
        """``luaReplyToRedisReply``: a Lua value -> a reply value."""
        t = type(v)
        if t is bytes:
            return v
        if t is bool:
            if resp == 3:
                return v
            return 1 if v else None
        if t is int:
            return v
        if t is float:
            return _trunc_int(v)
        if v is None:
            return None
        if self.lua51.lua_type(v) != "table":
            return None
        err = v[b"err"]
        if type(err) is bytes:
            return ReplyError(err.decode("utf-8", "surrogateescape"))
        ok = v[b"ok"]
        if type(ok) is bytes:
            s = ok.decode("utf-8", "surrogateescape").replace("\r", " ").replace("\n", " ")
            return Status(s)
        d = v[b"double"]
        if type(d) in (int, float):
            return float(d)
        big = v[b"big_number"]
        if type(big) is bytes:
            return big.replace(b"\r", b" ").replace(b"\n", b" ")
        m = v[b"map"]
        if m is not None and self.lua51.lua_type(m) == "table":
            return {self.lua_to_reply(k, resp, depth + 1): self.lua_to_reply(x, resp, depth + 1)
                    for k, x in m.items()}
        s = v[b"set"]
        if s is not None and self.lua51.lua_type(s) == "table":
            return RSet(self.lua_to_reply(k, resp, depth + 1) for k in s.keys())
        out = []
        i = 1
        while True:
            x = v[i]
            if x is None:
                break
            out.append(self.lua_to_reply(x, resp, depth + 1))
            i += 1
        return out

    # -- running -------------------------------------------------------------------------
    def error_from(self, res, name: str) -> ReplyError:
        """The reply for a script that raised: (is_table, msg, source, line) from errh."""
        is_table, msg, src, line = res[1], res[2], res[3], res[4]
        text = msg.decode("utf-8", "surrogateescape") if isinstance(msg, bytes) else str(msg)
        if not is_table:
            text = "ERR " + text
        where = "%s:%s" % (src.decode("utf-8", "surrogateescape") if isinstance(src, bytes) else "?",
                           line if line is not None else "?")
        return ReplyError(errors.SCRIPT_ERROR_SUFFIX.format(text, name, where))

    def run(self, c: Client, run: RunCtx, fn, keys: list[bytes], args: list[bytes]):
        """Run a compiled script or function: ``scriptPrepareForRun`` .. ``scriptResetRun``."""
        e = self.engine
        tf = self.lua.table_from
        lc = self.lua_client
        lc.db = c.db
        lc.resp = 2
        lc.multi = None
        run.oom = bool(e.maxmemory) and e.used_memory() > e.maxmemory
        saved_listeners = e.propagate_listeners
        buffer: list[tuple[int, list[bytes]]] = []
        if saved_listeners:
            def collect(dbid, argv, run=run):
                if run.repl:
                    buffer.append((dbid, argv))
            e.propagate_listeners = [collect]
        self.running = run
        try:
            if run.is_eval:
                ok, res = self.E[b"run_eval"](fn, tf(keys), tf(args))
            else:
                ok, res = self.E[b"run_function"](fn, tf(keys), tf(args))
        finally:
            self.running = None
            if e.busy_script is run:
                e.busy_script = None
            e.propagate_listeners = saved_listeners
            if e.virtual and run.elapsed_us >= 1000:
                e.clock.set_us(e.clock.now_us() + run.elapsed_us)
                e.update_cached_time()
        if buffer:
            wrap = len(buffer) > 1 and not (c.deny_blocking & DENY_MULTI)
            if wrap:
                e.propagate(buffer[0][0], [b"MULTI"])
            for dbid, argv in buffer:
                e.propagate(dbid, argv)
            if wrap:
                e.propagate(buffer[-1][0], [b"EXEC"])
        if not ok:
            return self.error_from(res, run.name)
        return self.lua_to_reply(res, run.resp)

    # -- EVAL scripts ----------------------------------------------------------------------
    def create_script(self, body: bytes) -> Script:
        """``luaCreateFunction``: parse the shebang, compile, cache. Raises ReplyError."""
        sha = _sha1hex(body)
        s = self.scripts.get(sha)
        if s is not None:
            return s
        flags, shebang, code = parse_eval_shebang(body)
        fn, err = self.E[b"compile_eval"](code, b"@user_script")
        if fn is None:
            raise ReplyError(errors.SCRIPT_COMPILE.format(err.decode("utf-8", "surrogateescape")))
        s = Script(sha, body, fn, flags, shebang)
        self.scripts[sha] = s
        return s


def parse_eval_shebang(body: bytes) -> tuple[frozenset, bool, bytes]:
    """``evalExtractShebangFlags``: (flags, had a shebang, code to compile)."""
    if not body.startswith(b"#!"):
        return frozenset(), False, body
    nl = body.find(b"\n")
    if nl < 0:
        raise ReplyError(errors.SCRIPT_SHEBANG_INVALID)
    parts = [p for p in body[:nl].split(b" ") if p]
    if not parts or parts[0] != b"#!lua":
        first = parts[0] if parts else b"#!"
        raise ReplyError(errors.SCRIPT_SHEBANG_ENGINE.format(first.decode("utf-8", "surrogateescape")))
    flags = set()
    for p in parts[1:]:
        if p.startswith(b"flags="):
            for f in p[6:].split(b","):
                if not f:
                    continue
                name = f.decode("utf-8", "surrogateescape")
                if name not in SCRIPT_FLAGS:
                    raise ReplyError(errors.SCRIPT_SHEBANG_FLAG.format(name))
                flags.add(name)
        else:
            raise ReplyError(errors.SCRIPT_SHEBANG_OPTION.format(p.decode("utf-8", "surrogateescape")))
    return frozenset(flags), True, b"--" + body[2:]


def state(engine: Engine) -> ScriptingState:
    """The engine's scripting state (created, with its Lua VM, on first use)."""
    st = engine.__dict__.get("_scripting")
    if st is None:
        try:
            st = ScriptingState(engine)
        except ImportError:  # lupa is an optional dependency ("scripting" extra)
            raise ReplyError(errors.SCRIPTING_UNAVAILABLE) from None
        engine._scripting = st
    return st


def busy_reject(engine: Engine, c: Client, spec) -> str | None:
    """``processCommand``'s BUSY check while a script runs past busy-reply-threshold."""
    run = engine.busy_script
    if run is None or "allow_busy" in spec.flags:
        return None
    if run.is_eval:
        return errors.BUSY_EVAL
    return errors.BUSY_FUNCTION




def parse_numkeys(argv: list[bytes], msg: str = errors.NOT_INTEGER) -> int:
    n = string2ll(argv[2])
    if n is None:
        raise ReplyError(msg)
    if n > len(argv) - 3:
        raise ReplyError(errors.NUMKEYS_GT_ARGS)
    if n < 0:
        raise ReplyError(errors.NUMKEYS_NEGATIVE)
    return n


def kill_running(engine: Engine, is_eval: bool):
    """``scriptKill``: SCRIPT KILL (is_eval) / FUNCTION KILL."""
    run = engine.busy_script
    if run is None:
        raise ReplyError(errors.NOTBUSY)
    if run.write_dirty:
        raise ReplyError(errors.UNKILLABLE)
    if is_eval and not run.is_eval:
        raise ReplyError(errors.BUSY_FUNCTION)
    if not is_eval and run.is_eval:
        raise ReplyError(errors.BUSY_EVAL)
    run.killed = True
    return OK


def _eval_generic(c: Client, argv: list[bytes], evalsha: bool, ro: bool):
    if evalsha and len(argv[1]) != 40:
        raise ReplyError(errors.NOSCRIPT)
    numkeys = parse_numkeys(argv)
    st = state(c.engine)
    if evalsha:
        script = st.scripts.get(argv[1].decode("latin-1").lower())
        if script is None:
            raise ReplyError(errors.NOSCRIPT)
    else:
        script = st.create_script(argv[1])
    flags = script.flags
    if ro and script.shebang and "no-writes" not in flags:
        raise ReplyError(errors.SCRIPT_RO_WITH_WRITE_FLAG)
    readonly = ro or "no-writes" in flags
    run = RunCtx(c, script.sha, True, readonly, flags, argv)
    keys = argv[3:3 + numkeys]
    args = argv[3 + numkeys:]
    return st.run(c, run, script.func, keys, args)


_EVAL_FLAGS = "noscript skip_monitor no_mandatory_keys stale movablekeys"
_EVAL_RO_FLAGS = "noscript skip_monitor no_mandatory_keys stale readonly movablekeys"


@_command("eval", arity=-3, flags=_EVAL_FLAGS, group="scripting",
          complexity="Depends on the script that is executed.", since="2.6.0")
def eval_command(c, argv):
    """EVAL script numkeys [key [key ...]] [arg [arg ...]]
    Executes a server-side Lua script."""
    return _eval_generic(c, argv, False, False)


@_command("evalsha", arity=-3, flags=_EVAL_FLAGS, group="scripting",
          complexity="Depends on the script that is executed.", since="2.6.0")
def evalsha_command(c, argv):
    """EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
    Executes a server-side Lua script by SHA1 digest."""
    return _eval_generic(c, argv, True, False)


@_command("eval_ro", arity=-3, flags=_EVAL_RO_FLAGS, group="scripting",
          complexity="Depends on the script that is executed.", since="7.0.0")
def eval_ro_command(c, argv):
    """EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
    Executes a read-only server-side Lua script."""
    return _eval_generic(c, argv, False, True)


@_command("evalsha_ro", arity=-3, flags=_EVAL_RO_FLAGS, group="scripting",
          complexity="Depends on the script that is executed.", since="7.0.0")
def evalsha_ro_command(c, argv):
    """EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
    Executes a read-only server-side Lua script by SHA1 digest."""
    return _eval_generic(c, argv, True, True)


_script = container("script", group="scripting", since="2.6.0",
                    summary="A container for Lua scripts management commands.")

SCRIPT_HELP = [
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
]


@subcommand(_script, "load", arity=3, flags="noscript stale", since="2.6.0",
            tips="request_policy:all_nodes response_policy:all_succeeded",
            complexity="O(N) with N being the length in bytes of the script body.")
def script_load(c, argv):
    """SCRIPT LOAD script
    Loads a server-side Lua script to the script cache."""
    s = state(c.engine).create_script(argv[2])
    return s.sha.encode()


@subcommand(_script, "exists", arity=-3, flags="noscript", since="2.6.0",
            tips="request_policy:all_shards response_policy:agg_logical_and",
            complexity="O(N) with N being the number of scripts to check.")
def script_exists(c, argv):
    """SCRIPT EXISTS sha1 [sha1 ...]
    Determines whether server-side Lua scripts exist in the script cache."""
    scripts = state(c.engine).scripts
    return [1 if a.decode("latin-1").lower() in scripts else 0 for a in argv[2:]]


@subcommand(_script, "flush", arity=-2, flags="noscript", since="2.6.0",
            tips="request_policy:all_nodes response_policy:all_succeeded",
            complexity="O(N) with N being the number of scripts in cache")
def script_flush(c, argv):
    """SCRIPT FLUSH [ASYNC|SYNC]
    Removes all server-side Lua scripts from the script cache."""
    if len(argv) > 3 or (len(argv) == 3 and argv[2].lower() not in (b"sync", b"async")):
        raise ReplyError(errors.SCRIPT_FLUSH_OPTION)
    state(c.engine).scripts.clear()
    return OK


@subcommand(_script, "kill", arity=2, flags="noscript allow_busy", since="2.6.0",
            tips="request_policy:all_shards response_policy:one_succeeded")
def script_kill(c, argv):
    """SCRIPT KILL
    Terminates a server-side Lua script during execution."""
    return kill_running(c.engine, True)


@subcommand(_script, "debug", arity=3, flags="noscript", since="3.2.0")
def script_debug(c, argv):
    """SCRIPT DEBUG YES|SYNC|NO
    Sets the debug mode of server-side Lua scripts."""
    mode = argv[2].lower()
    if mode == b"no":
        return OK
    if mode in (b"yes", b"sync"):
        raise ReplyError(errors.SCRIPT_DEBUG_NOT_MODELLED)
    raise ReplyError(errors.SCRIPT_DEBUG_SYNTAX)


@subcommand(_script, "help", arity=2, flags="loading stale", since="5.0.0")
def script_help(c, argv):
    """SCRIPT HELP
    Returns helpful text about the different subcommands."""
    from .server_cmds import help_reply

    return help_reply("SCRIPT", SCRIPT_HELP)


def _keynum_specs(ro: bool, notes: bool) -> list:
    """EVAL-family key specs: keys counted by argv[2], starting at argv[3]."""
    spec: dict = {}
    if notes:
        spec[b"notes"] = (b"We cannot tell how the keys will be used so we assume the worst, "
                          + (b"RO and ACCESS" if ro else b"RW and UPDATE"))
    spec[b"flags"] = RSet([Status("RO"), Status("access")] if ro else
                          [Status("RW"), Status("access"), Status("update")])
    spec[b"begin_search"] = {b"type": b"index", b"spec": {b"index": 2}}
    spec[b"find_keys"] = {b"type": b"keynum",
                          b"spec": {b"keynumidx": 0, b"firstkey": 1, b"keystep": 1}}
    return [spec]


eval_command.key_specs = _keynum_specs(False, True)
evalsha_command.key_specs = _keynum_specs(False, False)
eval_ro_command.key_specs = _keynum_specs(True, True)
evalsha_ro_command.key_specs = _keynum_specs(True, False)

__all__ = ["HOOK_COUNT", "NS_PER_INSTRUCTION", "ScriptingState", "busy_reject", "state"]
