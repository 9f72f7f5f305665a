"""Redis Functions: FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP, FCALL,
FCALL_RO (``functions.c``, ``function_lua.c``).

A library is Lua code with a ``#!lua name=<lib>`` first line that calls
``redis.register_function`` while it loads. Loading runs with only
``redis.register_function`` / ``redis.log`` visible; afterwards the library's globals
become the full sandbox (same Lua state as EVAL here, separate globals table; Redis uses
a second Lua state). Functions run through ``scripting.ScriptingState.run``.

FUNCTION DUMP writes the real 7.0 payload (per library: the RDB_OPCODE_FUNCTION2 byte 0xf5
and the code as an RDB string, LZF-compressed when ``rdbcompression`` and worth it; then
the RDB version, 10, as two little-endian bytes, and the CRC64-Jones of everything before
it), byte-identical to a real server's for one library; with several, the libraries come
in our dict order where Redis uses its hash-table order. RESTORE reads real dumps.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import errors
from .commands import command, container, subcommand
from .errors import ReplyError
from .persistence.crc64 import crc64
from .reply import OK, RSet, Status
from .scripting import (
    SCRIPT_FLAGS,
    RunCtx,
    _keynum_specs,
    kill_running,
    parse_numkeys,
    state,
)
from .util import stringmatch

if TYPE_CHECKING:  # pragma: no cover
    from .scripting import ScriptingState

_NAME_RE = re.compile(rb"[A-Za-z0-9_]+\Z")
RDB_OPCODE_FUNCTION2 = 0xF5
RDB_VERSION = 10


def _s(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


class FunctionInfo:
    __slots__ = ("callback", "description", "flags", "library", "name")

    def __init__(self, name: bytes, callback, flags: list[str], description: bytes | None,
                 library: Library):
        self.name = name
        self.callback = callback
        self.flags = flags
        self.description = description
        self.library = library


class Library:
    __slots__ = ("code", "functions", "name")

    def __init__(self, name: bytes, code: bytes):
        self.name = name
        self.code = code
        self.functions: dict[bytes, FunctionInfo] = {}


class FunctionsState:
    """``functionsLibCtx``: libraries by name, functions by name."""

    def __init__(self, st: ScriptingState):
        self.st = st
        self.libraries: dict[bytes, Library] = {}
        self.functions: dict[bytes, FunctionInfo] = {}
        self.loading: Library | None = None

    def register_callback(self, name: bytes, cb, flags, desc):
        """``redis.register_function`` while a library loads: None or an error text."""
        lib = self.loading
        if lib is None:
            return errors.FUNCTION_REGISTER_OUTSIDE_LOAD.encode()
        if not _NAME_RE.match(name):
            return errors.FUNCTION_NAME_INVALID.encode()
        if name in lib.functions:
            return errors.FUNCTION_EXISTS_IN_LIBRARY.encode()
        fl = [f.decode() for f in (flags[i] for i in range(1, len(flags) + 1))]
        ordered = [f for f in SCRIPT_FLAGS if f in fl]
        lib.functions[name] = FunctionInfo(name, cb, ordered, desc, lib)
        return None

    def create_library(self, code: bytes, replace: bool) -> bytes:
        """``functionsCreateWithLibraryCtx``: parse, load, check collisions, install."""
        if not code.startswith(b"#!"):
            raise ReplyError(errors.FUNCTION_MISSING_METADATA)
        nl = code.find(b"\n")
        first = code if nl < 0 else code[:nl]
        parts = [p for p in first.split(b" ") if p]
        engine = parts[0][2:]
        if engine.lower() != b"lua":
            raise ReplyError(errors.FUNCTION_ENGINE_NOT_FOUND.format(_s(engine)))
        name = None
        for p in parts[1:]:
            if p.startswith(b"name="):
                name = p[5:]
            else:
                raise ReplyError(errors.FUNCTION_INVALID_METADATA.format(_s(p)))
        if name is None:
            raise ReplyError(errors.FUNCTION_NO_LIBRARY_NAME)
        if not _NAME_RE.match(name):
            raise ReplyError(errors.FUNCTION_NAME_INVALID)
        old = self.libraries.get(name)
        if old is not None and not replace:
            raise ReplyError(errors.FUNCTION_LIBRARY_EXISTS.format(_s(name)))
        lib = Library(name, code)
        body = b"--" + code[2:]
        self.loading = lib
        try:
            ok, res = self.st.E[b"load_library"](body, b"@user_function")
        finally:
            self.loading = None
        if not ok:
            if isinstance(res, bytes):  # compile error
                raise ReplyError(errors.FUNCTION_COMPILE.format(_s(res)))
            is_table, msg = res[1], res[2]
            text = msg.decode("utf-8", "surrogateescape") if isinstance(msg, bytes) else str(msg)
            if not is_table:
                text = "ERR " + text
            raise ReplyError(errors.FUNCTION_REGISTER.format(text))
        if not lib.functions:
            raise ReplyError(errors.FUNCTION_NONE_REGISTERED)
        for fname in lib.functions:
            other = self.functions.get(fname)
            if other is not None and other.library is not old:
                raise ReplyError(errors.FUNCTION_EXISTS.format(_s(fname)))
        if old is not None:
            self._remove(old)
        self.libraries[name] = lib
        self.functions.update(lib.functions)
        return name

    def _remove(self, lib: Library) -> None:
        for fname in lib.functions:
            self.functions.pop(fname, None)
        self.libraries.pop(lib.name, None)

    def flush(self) -> None:
        self.libraries.clear()
        self.functions.clear()


def fstate(engine) -> FunctionsState:
    return state(engine).functions


# -- FCALL -----------------------------------------------------------------------------------
def _fcall(c, argv, ro: bool):
    fs = fstate(c.engine)
    fi = fs.functions.get(argv[1])
    if fi is None:
        raise ReplyError(errors.FUNCTION_NOT_FOUND)
    numkeys = parse_numkeys(argv, errors.FUNCTION_BAD_NUMKEYS)
    if ro and "no-writes" not in fi.flags:
        raise ReplyError(errors.SCRIPT_RO_WITH_WRITE_FLAG)
    readonly = "no-writes" in fi.flags
    run = RunCtx(c, fi.name.decode("utf-8", "surrogateescape"), False, readonly,
                 frozenset(fi.flags), argv)
    return fs.st.run(c, run, fi.callback, argv[3:3 + numkeys], argv[3 + numkeys:])


_FCALL_FLAGS = "noscript skip_monitor no_mandatory_keys stale movablekeys"


@command("fcall", arity=-3, flags=_FCALL_FLAGS, group="scripting",
         complexity="Depends on the function that is executed.", since="7.0.0")
def fcall_command(c, argv):
    """FCALL function numkeys [key [key ...]] [arg [arg ...]]
    Invokes a function."""
    return _fcall(c, argv, False)


@command("fcall_ro", arity=-3,
         flags="noscript skip_monitor no_mandatory_keys stale readonly movablekeys",
         group="scripting", complexity="Depends on the function that is executed.",
         since="7.0.0")
def fcall_ro_command(c, argv):
    """FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
    Invokes a read-only function."""
    return _fcall(c, argv, True)


fcall_command.key_specs = _keynum_specs(False, True)
fcall_ro_command.key_specs = _keynum_specs(True, True)


# -- FUNCTION ------------------------------------------------------------------------------
_function = container("function", group="scripting", since="7.0.0",
                      summary="A container for function commands.")

FUNCTION_HELP = [
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using "
    "FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a "
    "restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
    "replace the old",
    "      libraries with the new libraries (notice that even on this option there is a "
    "chance of failure",
    "      in case of functions name collision with another library).",
]


@subcommand(_function, "load", arity=-3, flags="write denyoom noscript", since="7.0.0",
            tips="request_policy:all_shards response_policy:all_succeeded",
            complexity="O(1) (considering compilation time is redundant)")
def function_load(c, argv):
    """FUNCTION LOAD [REPLACE] function-code
    Creates a library."""
    replace = False
    i = 2
    while i < len(argv) - 1:
        if argv[i].lower() == b"replace":
            replace = True
        else:
            raise ReplyError(errors.FUNCTION_LOAD_UNKNOWN_OPTION.format(_s(argv[i])))
        i += 1
    if i != len(argv) - 1:
        raise ReplyError(errors.FUNCTION_CODE_MISSING)
    name = fstate(c.engine).create_library(argv[-1], replace)
    c.engine.dirty += 1
    return name


@subcommand(_function, "delete", arity=3, flags="write noscript", since="7.0.0",
            tips="request_policy:all_shards response_policy:all_succeeded")
def function_delete(c, argv):
    """FUNCTION DELETE library-name
    Deletes a library and its functions."""
    fs = fstate(c.engine)
    lib = fs.libraries.get(argv[2])
    if lib is None:
        raise ReplyError(errors.FUNCTION_LIBRARY_NOT_FOUND)
    fs._remove(lib)
    c.engine.dirty += 1
    return OK


@subcommand(_function, "flush", arity=-2, flags="write noscript", since="7.0.0",
            tips="request_policy:all_shards response_policy:all_succeeded",
            complexity="O(N) where N is the number of functions deleted")
def function_flush(c, argv):
    """FUNCTION FLUSH [ASYNC|SYNC]
    Deletes all libraries and functions."""
    if len(argv) > 3 or (len(argv) == 3 and argv[2].lower() not in (b"sync", b"async")):
        raise ReplyError(errors.FUNCTION_FLUSH_OPTION)
    fstate(c.engine).flush()
    c.engine.dirty += 1
    return OK


@subcommand(_function, "list", arity=-2, flags="noscript", since="7.0.0",
            tips="nondeterministic_output_order",
            complexity="O(N) where N is the number of functions")
def function_list(c, argv):
    """FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
    Returns information about all libraries."""
    withcode = False
    pattern = None
    i = 2
    while i < len(argv):
        a = argv[i].lower()
        if a == b"withcode":
            if withcode:
                raise ReplyError(errors.FUNCTION_UNKNOWN_ARGUMENT.format("withcode"))
            withcode = True
        elif a == b"libraryname":
            if pattern is not None:
                raise ReplyError(errors.FUNCTION_LIST_NAME_TWICE)
            if i + 1 >= len(argv):
                raise ReplyError(errors.FUNCTION_LIST_NAME_MISSING)
            pattern = argv[i + 1]
            i += 1
        else:
            raise ReplyError(errors.FUNCTION_UNKNOWN_ARGUMENT.format(_s(argv[i])))
        i += 1
    out = []
    for lib in fstate(c.engine).libraries.values():
        if pattern is not None and not stringmatch(pattern, lib.name):
            continue
        funcs = []
        for fi in lib.functions.values():
            funcs.append({b"name": fi.name, b"description": fi.description,
                          b"flags": RSet(Status(f) for f in fi.flags)})
        entry = {b"library_name": lib.name, b"engine": b"LUA", b"functions": funcs}
        if withcode:
            entry[b"library_code"] = lib.code
        out.append(entry)
    return out


@subcommand(_function, "stats", arity=2, flags="noscript allow_busy", since="7.0.0",
            tips="nondeterministic_output request_policy:all_shards response_policy:special")
def function_stats(c, argv):
    """FUNCTION STATS
    Returns information about a function during execution."""
    e = c.engine
    fs = fstate(e)
    run = e.busy_script
    running = None
    if run is not None and run.is_eval:  # functionStatsCommand refuses during a busy EVAL
        raise ReplyError(errors.BUSY_EVAL)
    if run is not None:
        running = {b"name": run.funcname.encode(), b"command": list(run.argv),
                   b"duration_ms": run.duration_ms}
    return {b"running_script": running,
            b"engines": {b"LUA": {b"libraries_count": len(fs.libraries),
                                  b"functions_count": len(fs.functions)}}}


@subcommand(_function, "kill", arity=2, flags="noscript allow_busy", since="7.0.0",
            tips="request_policy:all_shards response_policy:one_succeeded")
def function_kill(c, argv):
    """FUNCTION KILL
    Terminates a function during execution."""
    return kill_running(c.engine, False)


@subcommand(_function, "dump", arity=2, flags="noscript", since="7.0.0",
            complexity="O(N) where N is the number of functions")
def function_dump(c, argv):
    """FUNCTION DUMP
    Dumps all libraries into a serialized binary payload."""
    from .persistence.rdb import encode_string

    compress = bool(c.engine.config.rdbcompression)
    out = bytearray()
    for lib in fstate(c.engine).libraries.values():
        out.append(RDB_OPCODE_FUNCTION2)
        out += encode_string(lib.code, compress)
    out += RDB_VERSION.to_bytes(2, "little")
    out += crc64(bytes(out)).to_bytes(8, "little")
    return bytes(out)


@subcommand(_function, "restore", arity=-3, flags="write denyoom noscript", since="7.0.0",
            tips="request_policy:all_shards response_policy:all_succeeded",
            complexity="O(N) where N is the number of functions on the payload")
def function_restore(c, argv):
    """FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
    Restores all libraries from a payload."""
    policy = b"append"
    if len(argv) > 4:
        raise ReplyError(errors.SYNTAX)
    if len(argv) == 4:
        policy = argv[3].lower()
        if policy not in (b"flush", b"append", b"replace"):
            raise ReplyError(errors.FUNCTION_RESTORE_POLICY)
    data = argv[2]
    if (len(data) < 10 or int.from_bytes(data[-10:-8], "little") > RDB_VERSION
            or crc64(data[:-8]) != int.from_bytes(data[-8:], "little")):
        raise ReplyError(errors.FUNCTION_RESTORE_BAD_PAYLOAD)
    codes = []
    body = data[:-10]
    i = 0
    try:
        while i < len(body):
            if body[i] != RDB_OPCODE_FUNCTION2:
                raise ReplyError(errors.FUNCTION_RESTORE_NOT_FUNCTION)
            s, i = _rdb_read_string(body, i + 1)
            codes.append(s)
    except (IndexError, ValueError):
        raise ReplyError(errors.FUNCTION_RESTORE_INVALID) from None
    fs = fstate(c.engine)
    saved_libs, saved_funcs = dict(fs.libraries), dict(fs.functions)
    if policy == b"flush":
        fs.flush()
    try:
        for code in codes:
            name = _library_name(code)
            if policy == b"append" and name is not None and name in fs.libraries:
                raise ReplyError(errors.FUNCTION_LIBRARY_EXISTS_RESTORE.format(_s(name)))
            fs.create_library(code, policy == b"replace")
    except ReplyError:
        fs.libraries, fs.functions = saved_libs, saved_funcs
        raise
    c.engine.dirty += 1
    return OK


def _library_name(code: bytes) -> bytes | None:
    first = code.split(b"\n", 1)[0]
    for p in first.split(b" "):
        if p.startswith(b"name="):
            return p[5:]
    return None


@subcommand(_function, "help", arity=2, flags="loading stale", since="7.0.0")
def function_help(c, argv):
    """FUNCTION HELP
    Returns helpful text about the different subcommands."""
    from .server_cmds import help_reply

    return help_reply("FUNCTION", FUNCTION_HELP)


# -- reading RDB strings (rdb.c's string encodings; LZF and CRC64 from lab/engine/persistence) --
def _rdb_read_len(b: bytes, i: int) -> tuple[int, bool, int]:
    """(length or encoding type, is_encoded, next index)."""
    first = b[i]
    kind = first >> 6
    if kind == 0:
        return first & 0x3F, False, i + 1
    if kind == 1:
        return ((first & 0x3F) << 8) | b[i + 1], False, i + 2
    if kind == 3:
        return first & 0x3F, True, i + 1
    if first == 0x80:
        return int.from_bytes(b[i + 1:i + 5], "big"), False, i + 5
    if first == 0x81:
        return int.from_bytes(b[i + 1:i + 9], "big"), False, i + 9
    raise ValueError("bad length")


def _rdb_read_string(b: bytes, i: int) -> tuple[bytes, int]:
    n, enc, i = _rdb_read_len(b, i)
    if not enc:
        if i + n > len(b):
            raise ValueError("short")
        return b[i:i + n], i + n
    if n in (0, 1, 2):  # integers as strings
        size = 1 << n
        v = int.from_bytes(b[i:i + size], "little", signed=True)
        return str(v).encode(), i + size
    if n == 3:  # LZF
        clen, _, i = _rdb_read_len(b, i)
        ulen, _, i = _rdb_read_len(b, i)
        return lzf_decompress(b[i:i + clen], ulen), i + clen
    raise ValueError("unknown encoding")


def lzf_decompress(data: bytes, expected: int) -> bytes:
    from .persistence import lzf

    out = lzf.decompress(data, expected)
    if len(out) != expected:
        raise ValueError("lzf length mismatch")
    return out
