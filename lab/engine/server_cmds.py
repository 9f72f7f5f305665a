"""Server and introspection commands (``server.c``, ``config.c``, ``debug.c``,
``networking.c``): PING, ECHO, TIME, QUIT, RESET, HELLO, AUTH, CLIENT (ID, SETNAME,
GETNAME, LIST, INFO, HELP), CONFIG, COMMAND, INFO, DEBUG.

COMMAND INFO / DOCS / LIST / COUNT / GETKEYS are generated from ``COMMAND_TABLE``:

* flags are printed in 7.0's fixed order (``may_replicate``, ``sentinel``, ``protected``
  ... are hidden as in 7.0);
* ACL categories are derived like ``setImplicitACLCategories``: ``write`` -> @write,
  ``readonly`` -> @read (not for scripting), ``admin`` -> @admin @dangerous, ``pubsub`` ->
  @pubsub, ``fast`` -> @fast, ``blocking`` -> @blocking, and @slow when not @fast; plus the
  group's category for non-container commands (string -> @string, generic -> @keyspace,
  connection -> @connection, transactions -> @transaction, ...), plus the spec's explicit
  ``acl`` words (``acl="dangerous"``); a word ``-keyspace`` removes the group category
  (SORT, WAIT);
* a command whose keys cannot be described by (first, last, step) gives its handler a
  ``getkeys(argv) -> list[int] | None`` attribute (argv positions; None = invalid
  arguments), which COMMAND GETKEYS uses; a handler may also carry ``key_specs`` (the
  COMMAND INFO key-spec list). Without it one range key spec is derived from (first,
  last, step) with flags RO/access (readonly) or RW/update (write) -- an approximation.

INFO reports the engine's real state; every value is deterministic on a virtual clock
(process_id is ``engine.process_id`` or 1, CPU times are 0). Memory figures come from the
memory model (``lab/engine/memory.py``): each INFO memory field ``f`` is read from
``engine.f`` or ``engine.memory.f`` (attribute, or method called without arguments;
``used_memory_dataset`` / ``used_memory_peak`` also from ``engine.memory.dataset`` /
``.peak``; startup, overhead and normal-client memory from ``memory.memory_overhead``). A
field the model does not provide is reported as 0 -- never an invented number;
``used_memory_peak`` is at least ``used_memory``.
"""

from __future__ import annotations

import hashlib
import re
import time
import zlib
from collections.abc import Callable
from typing import Any

from . import errors
from .commands import COMMAND_TABLE, CommandSpec, command, container, subcommand
from .config import PARAM_BY_NAME
from .connection import CTX_PUBSUB
from .errors import ReplyError
from .objects import LRU_CLOCK_MAX, OBJ_SHARED_INTEGERS
from .reply import OK, PONG, RSet, Status, Verbatim
from .util import string2ll, stringmatch

REDIS_VERSION = "7.0.15"
OBJ_SHARED_REFCOUNT = 2147483647

# -- COMMAND metadata -------------------------------------------------------------------

# 7.0's addReplyCommandFlags order (hidden flags left out, as in 7.0)
FLAG_ORDER = ("write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
              "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking",
              "fast", "no_auth", "no_mandatory_keys", "no_async_loading", "no_multi",
              "movablekeys", "allow_busy")

# ACLCommandCategories order (acl.c)
ACL_CATEGORIES = ("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
                  "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
                  "blocking", "dangerous", "connection", "transaction", "scripting")

GROUP_CATEGORY = {
    "string": "string", "list": "list", "set": "set", "sorted-set": "sortedset",
    "zset": "sortedset", "sorted_set": "sortedset", "hash": "hash", "generic": "keyspace",
    "connection": "connection",
    "transactions": "transaction", "scripting": "scripting", "hyperloglog": "hyperloglog",
    "geo": "geo", "stream": "stream", "bitmap": "bitmap", "pubsub": "pubsub",
}


def acl_categories(spec: CommandSpec) -> list[str]:
    """The categories COMMAND INFO lists, in acl.c's order, without the ``@``."""
    fl = spec.flags
    cats: set[str] = set()
    extra = [a.lower().lstrip("@") for a in spec.acl]
    if spec.subcommands is None:
        g = GROUP_CATEGORY.get(spec.group)
        if g is not None and f"-{g}" not in extra:
            cats.add(g)
    for a in extra:
        if not a.startswith("-"):
            cats.add(a)
    if "write" in fl:
        cats.add("write")
    if "readonly" in fl and "scripting" not in cats:
        cats.add("read")
    if "admin" in fl:
        cats.update(("admin", "dangerous"))
    if "pubsub" in fl:
        cats.add("pubsub")
    if "fast" in fl:
        cats.add("fast")
    if "blocking" in fl:
        cats.add("blocking")
    if "fast" not in cats:
        cats.add("slow")
    return [c for c in ACL_CATEGORIES if c in cats]


def command_flags(spec: CommandSpec) -> list[str]:
    return [f for f in FLAG_ORDER if f in spec.flags]


def _configure(spec: CommandSpec, *, proc: Callable | None = None, flags: str | None = None,
               acl: str | None = None, tips: str | None = None,
               complexity: str | None = None, summary: str | None = None) -> None:
    """Fill in a container's own metadata (``container()`` declares only name/group)."""
    if proc is not None:
        spec.proc = proc
    if flags is not None:
        fl = frozenset(flags.split())
        spec.flags = fl
        spec.is_write = "write" in fl
        spec.is_denyoom = "denyoom" in fl
        spec.is_readonly = "readonly" in fl
        spec.is_fast = "fast" in fl
        spec.is_noscript = "noscript" in fl
        spec.no_multi = "no_multi" in fl
    if acl is not None:
        spec.acl = tuple(acl.split())
    if tips is not None:
        spec.tips = tuple(tips.split())
    if complexity is not None:
        spec.complexity = complexity
    if summary is not None:
        spec.summary = summary


def _key_specs(spec: CommandSpec) -> list:
    custom = getattr(spec.proc, "key_specs", None)
    if custom is not None:
        return list(custom)
    if spec.first_key <= 0:
        return []
    if "readonly" in spec.flags:
        kflags = RSet([Status("RO"), Status("access")])
    elif "write" in spec.flags:
        kflags = RSet([Status("RW"), Status("update")])
    else:
        kflags = RSet([Status("RO")])
    last = spec.last_key
    lastkey = last - spec.first_key if last >= 0 else last
    return [{
        b"flags": kflags,
        b"begin_search": {b"type": b"index", b"spec": {b"index": spec.first_key}},
        b"find_keys": {b"type": b"range",
                       b"spec": {b"lastkey": lastkey, b"keystep": spec.step, b"limit": 0}},
    }]


def command_info_entry(spec: CommandSpec) -> list:
    """One COMMAND INFO element (7.0's 10 fields)."""
    subs = [command_info_entry(s) for s in spec.subcommands.values()] if spec.subcommands else []
    return [
        spec.name.encode(),
        spec.arity,
        RSet(Status(f) for f in command_flags(spec)),  # RESP3 sets, as 7.0 sends them
        spec.first_key,
        spec.last_key,
        spec.step,
        RSet(Status("@" + c) for c in acl_categories(spec)),
        RSet(t.encode() for t in spec.tips),
        RSet(_key_specs(spec)),
        RSet(subs),
    ]


def command_docs_entry(spec: CommandSpec) -> dict:
    d: dict[bytes, Any] = {b"summary": spec.summary.encode(), b"since": spec.since.encode(),
                           b"group": spec.group.encode()}
    if spec.complexity:
        d[b"complexity"] = spec.complexity.encode()
    if spec.subcommands:
        d[b"subcommands"] = {s.name.encode(): command_docs_entry(s)
                             for s in spec.subcommands.values()}
    return d


def lookup_by_fullname(name: bytes) -> CommandSpec | None:
    """``lookupCommandBySds``: ``get`` or ``config|get`` (case-insensitive)."""
    parts = name.lower().split(b"|")
    spec = COMMAND_TABLE.get(parts[0])
    if spec is None or len(parts) == 1:
        return spec
    if len(parts) != 2 or spec.subcommands is None:
        return None
    return spec.subcommands.get(parts[1])


def all_specs():
    """Every command then its subcommands, in table order."""
    for spec in COMMAND_TABLE.values():
        yield spec
        if spec.subcommands:
            yield from spec.subcommands.values()


def command_has_keys(spec: CommandSpec) -> bool:
    return (spec.first_key > 0 or "movablekeys" in spec.flags
            or getattr(spec.proc, "getkeys", None) is not None)


def get_keys(spec: CommandSpec, argv: list[bytes]) -> list[int] | None:
    """Key positions in ``argv`` (command name at 0); None when they can't be found."""
    fn = getattr(spec.proc, "getkeys", None)
    if fn is not None:
        return fn(argv)
    if spec.first_key <= 0:
        return None
    argc = len(argv)
    last = spec.last_key if spec.last_key >= 0 else argc + spec.last_key
    out = []
    i = spec.first_key
    while i <= last and i < argc:
        out.append(i)
        i += spec.step or 1
    return out or None


def help_reply(name: str, lines: list[str]) -> list[Status]:
    """``addReplyHelp``: the header, the lines, then HELP."""
    head = f"{name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    return [Status(x) for x in [head, *lines, "HELP", "    Prints this help."]]


# -- small helpers -----------------------------------------------------------------------

def _num(obj: Any, name: str, default: int = 0) -> Any:
    """An attribute that may be a number, a sized container or a zero-arg method."""
    v = getattr(obj, name, None)
    if v is None:
        return default
    if callable(v):
        v = v()
    if isinstance(v, (dict, set, list, tuple, frozenset)):
        return len(v)
    return v


def _client_subs(c) -> tuple[int, int, int]:
    """(channels, patterns, shard channels) a client is subscribed to, if pub/sub exists."""
    return (_num(c, "pubsub_channels"), _num(c, "pubsub_patterns"),
            _num(c, "pubsub_shard_channels"))


_STRTOD_RE = re.compile(rb"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)", re.I)
_ATOI_RE = re.compile(rb"\s*[+-]?\d+")


def _strtod(b: bytes) -> float:
    """C ``strtod`` on the longest valid prefix (0 when there is none)."""
    m = _STRTOD_RE.match(b)
    if not m:
        return 0.0
    try:
        return float(m.group(0))
    except ValueError:  # pragma: no cover - the regex only admits floats
        return 0.0


def _atoi(b: bytes) -> int:
    m = _ATOI_RE.match(b)
    return int(m.group(0)) if m else 0


# -- PING / ECHO / TIME / QUIT / RESET -------------------------------------------------------

@command("ping", arity=-1, flags="fast", group="connection", since="1.0.0",
         tips="request_policy:all_shards response_policy:all_succeeded")
def ping_command(c, argv):
    """PING [message]
    Checks that the connection is alive; returns PONG or the message."""
    if len(argv) > 2:
        raise ReplyError(errors.WRONG_ARITY.format("ping"))
    if c.resp == 2 and c.ctx_flags & CTX_PUBSUB:  # subscribed RESP2 context
        return [b"pong", argv[1] if len(argv) == 2 else b""]
    if len(argv) == 1:
        return PONG
    return argv[1]


@command("echo", arity=2, flags="loading stale fast", group="connection", since="1.0.0")
def echo_command(c, argv):
    """ECHO message
    Returns the message it was given."""
    return argv[1]


@command("time", arity=1, flags="loading stale fast", group="server", since="2.6.0",
         tips="nondeterministic_output")
def time_command(c, argv):
    """TIME
    Returns the server's clock as unix seconds and microseconds."""
    us = c.engine.clock.now_us()
    return [b"%d" % (us // 1_000_000), b"%d" % (us % 1_000_000)]


@command("quit", arity=-1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="1.0.0")
def quit_command(c, argv):
    """QUIT
    Asks the server to close the connection after this reply."""
    return OK


def _set_default_auth(c) -> None:
    c.authenticated = not c.engine.config.requirepass


@command("reset", arity=1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="6.2.0")
def reset_command(c, argv):
    """RESET
    Resets the connection: transaction, WATCHes, db, protocol, name, auth, pub/sub."""
    from .multi import discard_transaction

    e = c.engine
    discard_transaction(c)
    e.unwatch_all(c)
    hook = getattr(e, "pubsub_unsubscribe_all", None)
    if hook is not None:
        hook(c)
    c.select(0)
    c.resp = 2
    c.name = ""
    c.flags = ""
    _set_default_auth(c)
    return Status("RESET")


# -- AUTH / HELLO ------------------------------------------------------------------------------

def _authenticate(c, username: bytes, password: bytes) -> bool:
    """``ACLAuthenticateUser`` for the only user, ``default`` (password = requirepass)."""
    if username != b"default":
        return False
    required = c.engine.config.requirepass
    if required and password != required.encode("utf-8", "surrogateescape"):
        return False
    c.authenticated = True
    return True


@command("auth", arity=-2, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="1.0.0",
         complexity="O(N) where N is the number of passwords defined for the user")
def auth_command(c, argv):
    """AUTH [username] password
    Authenticates the connection (the default user, password = requirepass)."""
    if len(argv) > 3:
        raise ReplyError(errors.SYNTAX)
    if len(argv) == 2:
        if not c.engine.config.requirepass:
            raise ReplyError(errors.AUTH_NOT_CONFIGURED)
        username, password = b"default", argv[1]
    else:
        username, password = argv[1], argv[2]
    if not _authenticate(c, username, password):
        raise ReplyError(errors.WRONGPASS)
    return OK


def _valid_client_name(name: bytes) -> bool:
    return all(0x21 <= ch <= 0x7E for ch in name)


def _set_client_name(c, name: bytes) -> None:
    if not _valid_client_name(name):
        raise ReplyError(errors.CLIENT_NAME_INVALID)
    c.name = name.decode("ascii")


@command("hello", arity=-1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="6.0.0")
def hello_command(c, argv):
    """HELLO [protover [AUTH username password] [SETNAME clientname]]
    Handshakes: switches the protocol, optionally authenticates and names the connection."""
    ver = 0
    i = 1
    if len(argv) >= 2:
        v = string2ll(argv[1])
        if v is None:
            raise ReplyError(errors.HELLO_PROTO_NOT_INTEGER)
        if v < 2 or v > 3:
            raise ReplyError(errors.NOPROTO)
        ver = v
        i = 2
    auth: tuple[bytes, bytes] | None = None
    name: bytes | None = None
    while i < len(argv):
        opt = argv[i]
        more = len(argv) - 1 - i
        if opt.lower() == b"auth" and more >= 2:
            auth = (argv[i + 1], argv[i + 2])
            i += 3
        elif opt.lower() == b"setname" and more >= 1:
            name = argv[i + 1]
            i += 2
        else:
            raise ReplyError(errors.HELLO_SYNTAX.format(opt.decode("utf-8", "replace")))
    if auth is not None and not _authenticate(c, *auth):
        raise ReplyError(errors.WRONGPASS)
    if name is not None:
        _set_client_name(c, name)
    if not c.authenticated:
        raise ReplyError(errors.HELLO_NOAUTH)
    if ver:
        c.resp = ver
    return {b"server": b"redis", b"version": REDIS_VERSION.encode(), b"proto": c.resp,
            b"id": c.id, b"mode": b"standalone", b"role": b"master", b"modules": []}


# -- CLIENT -------------------------------------------------------------------------------------

client_container = container("client", group="connection", since="2.4.0",
                             summary="Container for the client connection commands")
_configure(client_container, complexity="Depends on subcommand.")

_CLIENT_FLAG_ORDER = "SOMPxbtRBdcuAUre"


def client_flags(c) -> str:
    letters = set(getattr(c, "flags", "") or "")
    if sum(_client_subs(c)):
        letters.add("P")
    if c.multi is not None:
        letters.add("x")
    if c.dirty_cas:
        letters.add("d")
    if getattr(c, "blocked", False):
        letters.add("b")
    out = "".join(ch for ch in _CLIENT_FLAG_ORDER if ch in letters)
    return out or "N"


def client_type(c) -> str:
    return "pubsub" if sum(_client_subs(c)) else "normal"


def client_info_string(c) -> str:
    """One CLIENT LIST line (7.0.15's fields and order, without the newline).

    Buffer and memory fields are 0: an in-process connection has no socket buffers."""
    e = c.engine
    now_s = e.mstime // 1000
    sub, psub, ssub = _client_subs(c)
    multi = len(c.multi) if c.multi is not None else -1
    mem = getattr(c, "memory_fields", None)
    memf = mem() if callable(mem) else {}
    fields = [
        ("id", c.id), ("addr", c.addr), ("laddr", c.laddr), ("fd", getattr(c, "fd", -1)),
        ("name", c.name), ("age", now_s - c.created_ms // 1000),
        ("idle", now_s - c.last_ms // 1000), ("flags", client_flags(c)), ("db", c.db.id),
        ("sub", sub), ("psub", psub), ("ssub", ssub), ("multi", multi),
    ]
    for f in ("qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll",
              "omem", "tot-mem"):
        fields.append((f, memf.get(f, 0)))
    fields += [("events", "r"), ("cmd", c.cmd_name), ("user", "default"), ("redir", -1),
               ("resp", c.resp)]
    return " ".join(f"{k}={v}" for k, v in fields)


@subcommand(client_container, "id", arity=2, flags="noscript loading stale", since="5.0.0")
def client_id(c, argv):
    """CLIENT ID
    Returns this connection's id."""
    return c.id


@subcommand(client_container, "setname", arity=3, flags="noscript loading stale",
            since="2.6.9")
def client_setname(c, argv):
    """CLIENT SETNAME connection-name
    Names the connection (an empty name removes it)."""
    _set_client_name(c, argv[2])
    return OK


@subcommand(client_container, "getname", arity=2, flags="noscript loading stale",
            since="2.6.9")
def client_getname(c, argv):
    """CLIENT GETNAME
    Returns the connection's name, or nil."""
    return c.name.encode() if c.name else None


@subcommand(client_container, "list", arity=-2, flags="admin noscript loading stale",
            since="2.4.0", complexity="O(N) where N is the number of client connections",
            tips="nondeterministic_output")
def client_list(c, argv):
    """CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
    Lists the connections, one line each."""
    clients = list(c.engine.clients.values())
    if len(argv) == 4 and argv[2].lower() == b"type":
        t = argv[3].lower()
        if t not in (b"normal", b"master", b"replica", b"slave", b"pubsub"):
            raise ReplyError(errors.CLIENT_UNKNOWN_TYPE.format(argv[3].decode("utf-8", "replace")))
        clients = [x for x in clients if client_type(x).encode() == t]
    elif len(argv) >= 4 and argv[2].lower() == b"id":
        ids = []
        for a in argv[3:]:
            v = string2ll(a)
            if v is None:
                raise ReplyError(errors.CLIENT_INVALID_ID)
            ids.append(v)
        by_id = c.engine.clients
        clients = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    elif len(argv) != 2:
        raise ReplyError(errors.SYNTAX)
    return b"".join(client_info_string(x).encode() + b"\n" for x in clients)


@subcommand(client_container, "info", arity=2, flags="noscript loading stale",
            since="6.2.0", tips="nondeterministic_output")
def client_info(c, argv):
    """CLIENT INFO
    Returns this connection's CLIENT LIST line."""
    return client_info_string(c).encode() + b"\n"


CLIENT_HELP = [
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
]


@subcommand(client_container, "help", arity=2, flags="loading stale", since="5.0.0")
def client_help(c, argv):
    """CLIENT HELP
    Lists the CLIENT subcommands."""
    return help_reply("CLIENT", CLIENT_HELP)


# -- CONFIG -------------------------------------------------------------------------------------

config_container = container("config", group="server", since="2.0.0",
                             summary="Container for the configuration commands")
_configure(config_container, complexity="Depends on subcommand.")

_CONFIG_ADMIN = "admin noscript loading stale"


@subcommand(config_container, "get", arity=-3, flags=_CONFIG_ADMIN, since="2.0.0",
            complexity="O(N) when N is the number of configuration parameters provided")
def config_get(c, argv):
    """CONFIG GET parameter [parameter ...]
    Returns the parameters whose names match the glob patterns, with their values."""
    return c.engine.config.config_get(argv[2:])


@subcommand(config_container, "set", arity=-4, flags=_CONFIG_ADMIN, since="2.0.0",
            complexity="O(N) when N is the number of configuration parameters provided",
            tips="request_policy:all_nodes response_policy:all_succeeded")
def config_set(c, argv):
    """CONFIG SET parameter value [parameter value ...]
    Sets parameters atomically: all of them, or none when one is invalid."""
    if len(argv) % 2:
        raise ReplyError(errors.SYNTAX)
    pairs = [(argv[i], argv[i + 1]) for i in range(2, len(argv), 2)]
    c.engine.config.config_set(pairs)
    return OK


# resetServerStats: the counters CONFIG RESETSTAT zeroes (those the engine has)
RESET_STATS = (
    "stat_numcommands", "stat_numconnections", "stat_expiredkeys", "stat_expired_stale_perc",
    "stat_expired_time_cap_reached_count", "stat_expire_cycle_time_used", "stat_evictedkeys",
    "stat_evictedclients", "stat_total_eviction_exceeded_time",
    "stat_last_eviction_exceeded_time", "stat_keyspace_misses", "stat_keyspace_hits",
    "stat_active_defrag_hits", "stat_active_defrag_misses", "stat_active_defrag_key_hits",
    "stat_active_defrag_key_misses", "stat_active_defrag_scanned", "stat_total_active_defrag_time",
    "stat_fork_time", "stat_total_forks", "stat_rejected_conn", "stat_sync_full",
    "stat_sync_partial_ok", "stat_sync_partial_err", "stat_io_reads_processed",
    "stat_total_reads_processed", "stat_io_writes_processed", "stat_total_writes_processed",
    "stat_net_input_bytes", "stat_net_output_bytes", "stat_net_repl_input_bytes",
    "stat_net_repl_output_bytes", "stat_unexpected_error_replies", "stat_total_error_replies",
    "stat_dump_payload_sanitizations", "aof_delayed_fsync", "stat_reply_buffer_shrinks",
    "stat_reply_buffer_expands", "lazyfreed_objects",
)


def reset_server_stats(e) -> None:
    """``resetServerStats`` + ``resetCommandTableStats`` + ``resetErrorTableStats``."""
    for name in RESET_STATS:
        v = getattr(e, name, None)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            setattr(e, name, type(v)(0))
    e.cmdstats.clear()
    e.errorstats.clear()
    hook = getattr(e, "on_reset_stats", None)
    if hook is not None:
        hook()


@subcommand(config_container, "resetstat", arity=2, flags=_CONFIG_ADMIN, since="2.0.0")
def config_resetstat(c, argv):
    """CONFIG RESETSTAT
    Zeroes the INFO statistics, command and error statistics."""
    reset_server_stats(c.engine)
    return OK


@subcommand(config_container, "rewrite", arity=2, flags=_CONFIG_ADMIN, since="2.8.0")
def config_rewrite(c, argv):
    """CONFIG REWRITE
    Rewrites the configuration file (the engine has none)."""
    raise ReplyError(errors.CONFIG_REWRITE_NO_FILE)


CONFIG_HELP = [
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
]


@subcommand(config_container, "help", arity=2, flags="loading stale", since="5.0.0")
def config_help(c, argv):
    """CONFIG HELP
    Lists the CONFIG subcommands."""
    return help_reply("CONFIG", CONFIG_HELP)


# -- COMMAND ------------------------------------------------------------------------------------

def command_command(c, argv):
    """COMMAND
    Describes every command (name, arity, flags, keys, categories, ...)."""
    return [command_info_entry(s) for s in COMMAND_TABLE.values()]


command_container = container("command", group="server", since="2.8.13", arity=-1,
                              summary="Describes the server's commands")
_configure(command_container, proc=command_command, flags="loading stale", acl="connection",
           tips="nondeterministic_output_order",
           complexity="O(N) where N is the total number of Redis commands")

_CMD = dict(flags="loading stale", acl="connection")


@subcommand(command_container, "count", arity=2, since="2.8.13", **_CMD)
def command_count(c, argv):
    """COMMAND COUNT
    Returns the number of commands."""
    return len(COMMAND_TABLE)


@subcommand(command_container, "info", arity=-2, since="2.8.13",
            complexity="O(N) where N is the number of commands to look up",
            tips="nondeterministic_output_order", **_CMD)
def command_info(c, argv):
    """COMMAND INFO [command-name ...]
    Describes the named commands (all when none is named); nil for unknown names."""
    if len(argv) == 2:
        return command_command(c, argv)
    out = []
    for name in argv[2:]:
        spec = lookup_by_fullname(name)
        out.append(command_info_entry(spec) if spec is not None else None)
    return out


@subcommand(command_container, "docs", arity=-2, since="7.0.0",
            complexity="O(N) where N is the number of commands to look up",
            tips="nondeterministic_output_order", **_CMD)
def command_docs(c, argv):
    """COMMAND DOCS [command-name ...]
    Documents the named commands (all when none is named): summary, since, group..."""
    if len(argv) == 2:
        specs = list(COMMAND_TABLE.values())
    else:
        specs = [s for s in (lookup_by_fullname(n) for n in argv[2:]) if s is not None]
    return {s.name.encode(): command_docs_entry(s) for s in specs}


@subcommand(command_container, "list", arity=-2, since="7.0.0",
            complexity="O(N) where N is the total number of Redis commands",
            tips="nondeterministic_output_order", **_CMD)
def command_list(c, argv):
    """COMMAND LIST [FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]
    Lists command names (subcommands as parent|sub), optionally filtered."""
    if len(argv) == 2:
        return [s.name.encode() for s in all_specs()]
    if len(argv) != 5 or argv[2].lower() != b"filterby":
        raise ReplyError(errors.SYNTAX)
    kind, value = argv[3].lower(), argv[4]
    if kind == b"module":
        return []
    if kind == b"aclcat":
        cat = value.decode("utf-8", "replace").lower()
        return [s.name.encode() for s in all_specs() if cat in acl_categories(s)]
    if kind == b"pattern":
        return [s.name.encode() for s in all_specs()
                if stringmatch(value, s.name.encode(), nocase=True)]
    raise ReplyError(errors.SYNTAX)


def _getkeys(argv: list[bytes]) -> tuple[CommandSpec, list[int]]:
    target = argv[2:]
    spec = COMMAND_TABLE.get(target[0].lower())
    if spec is not None and spec.subcommands is not None and len(target) >= 2:
        spec = spec.subcommands.get(target[1].lower())
    if spec is None:
        raise ReplyError(errors.GETKEYS_INVALID_COMMAND)
    if not command_has_keys(spec):
        raise ReplyError(errors.GETKEYS_NO_KEYS)
    n = len(target)
    if (spec.arity > 0 and spec.arity != n) or n < -spec.arity:
        raise ReplyError(errors.GETKEYS_BAD_ARITY)
    pos = get_keys(spec, target)
    if not pos:
        if "no_mandatory_keys" in spec.flags:
            return spec, []
        raise ReplyError(errors.GETKEYS_INVALID_ARGS)
    return spec, pos


@subcommand(command_container, "getkeys", arity=-4, since="2.8.13",
            complexity="O(N) where N is the number of arguments to the command", **_CMD)
def command_getkeys(c, argv):
    """COMMAND GETKEYS command [arg ...]
    Returns the key arguments of a full command line."""
    _, pos = _getkeys(argv)
    return [argv[2 + i] for i in pos]


@subcommand(command_container, "getkeysandflags", arity=-4, since="7.0.0",
            complexity="O(N) where N is the number of arguments to the command", **_CMD)
def command_getkeysandflags(c, argv):
    """COMMAND GETKEYSANDFLAGS command [arg ...]
    Returns the key arguments of a full command line with their access flags."""
    spec, pos = _getkeys(argv)
    specs = _key_specs(spec)
    kflags = specs[0][b"flags"] if specs else []
    return [[argv[2 + i], list(kflags)] for i in pos]


COMMAND_HELP = [
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
]


@subcommand(command_container, "help", arity=2, since="5.0.0", **_CMD)
def command_help(c, argv):
    """COMMAND HELP
    Lists the COMMAND subcommands."""
    return help_reply("COMMAND", COMMAND_HELP)


# -- INFO -------------------------------------------------------------------------------------

SECTIONS = ("server", "clients", "memory", "persistence", "stats", "replication", "cpu",
            "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace")
DEFAULT_SECTIONS = frozenset(("server", "clients", "memory", "persistence", "stats",
                              "replication", "cpu", "modules", "errorstats", "cluster",
                              "keyspace"))
SECTION_TITLES = {"cpu": "CPU"}


def bytes_to_human(n: int) -> str:
    """``bytesToHuman``: B, then K/M/G/T/P with two decimals (powers of 1024)."""
    if n < 1024:
        return f"{n}B"
    for i, unit in enumerate("KMGTP", start=1):
        if n < 1024 ** (i + 1):
            return f"{n / 1024 ** i:.2f}{unit}"
    return f"{n}B"


# INFO field -> the memory model's own name for it (lab/engine/memory.py)
_MODEL_NAMES = {"used_memory_dataset": "dataset", "used_memory_peak": "peak"}
# INFO field -> key of memory.memory_overhead(engine) (MEMORY STATS' breakdown)
_OVERHEAD_KEYS = {"used_memory_startup": "startup", "used_memory_overhead": "total",
                  "mem_clients_normal": "clients"}


def _overhead(e) -> dict:
    if getattr(e, "memory", None) is None:
        return {}
    try:
        from . import memory as memmod

        return dict(memmod.memory_overhead(e))
    except (ImportError, AttributeError, TypeError, KeyError):
        return {}


def _mem(e, name: str, default: int = 0, overhead: dict | None = None) -> int:
    """A memory-model figure: ``engine.<name>``, ``engine.memory.<name>`` (or the model's
    own name for it), the model's overhead breakdown; else ``default`` (0)."""
    v = getattr(e, name, None)
    if v is None:
        model = getattr(e, "memory", None)
        if model is not None:
            v = getattr(model, name, None)
            if v is None and name in _MODEL_NAMES:
                v = getattr(model, _MODEL_NAMES[name], None)
    if v is None and overhead and _OVERHEAD_KEYS.get(name) in overhead:
        v = overhead[_OVERHEAD_KEYS[name]]
    if v is None:
        return default
    if callable(v):
        v = v()
    return int(v)


def _info_server(e) -> list[tuple[str, Any]]:
    now_ms = e.clock.now_ms()
    uptime = (now_ms - e.start_ms) // 1000
    return [
        ("redis_version", REDIS_VERSION), ("redis_git_sha1", "00000000"),
        ("redis_git_dirty", 0), ("redis_build_id", getattr(e, "build_id", "0")),
        ("redis_mode", "standalone"), ("os", getattr(e, "os_name", "Lab in-process engine")),
        ("arch_bits", 64),
        ("monotonic_clock", "virtual clock" if e.virtual else "POSIX clock_gettime"),
        ("multiplexing_api", getattr(e, "multiplexing_api", "in-process")),
        ("atomicvar_api", "c11-builtin"), ("gcc_version", "0.0.0"),
        ("process_id", getattr(e, "process_id", 1)), ("process_supervised", "no"),
        ("run_id", e.run_id), ("tcp_port", e.config.port),
        ("server_time_usec", e.clock.now_us()), ("uptime_in_seconds", uptime),
        ("uptime_in_days", uptime // 86400), ("hz", e.hz), ("configured_hz", e.config.hz),
        ("lru_clock", (now_ms // 1000) & LRU_CLOCK_MAX),
        ("executable", getattr(e, "executable", "")),
        ("config_file", getattr(e, "config_file", "")), ("io_threads_active", 0),
    ]


def _info_clients(e) -> list[tuple[str, Any]]:
    clients = list(e.clients.values())
    blocked = _num(e, "blocked_clients", sum(1 for c in clients if getattr(c, "blocked", False)))
    return [
        ("connected_clients", len(clients)), ("cluster_connections", 0),
        ("maxclients", e.config.maxclients),
        ("client_recent_max_input_buffer", _mem(e, "client_recent_max_input_buffer")),
        ("client_recent_max_output_buffer", _mem(e, "client_recent_max_output_buffer")),
        ("blocked_clients", blocked), ("tracking_clients", _num(e, "tracking_clients")),
        ("clients_in_timeout_table", _num(e, "clients_in_timeout_table")),
    ]


def _pct(a: int, b: int) -> str:
    return f"{a * 100 / b:.2f}%" if b else "0.00%"


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "0.00"


def _info_memory(e) -> list[tuple[str, Any]]:
    ov = _overhead(e)
    m = {name: _mem(e, name, overhead=ov) for name in (
        "used_memory", "used_memory_rss", "used_memory_overhead", "used_memory_startup",
        "used_memory_dataset", "allocator_allocated", "allocator_active",
        "allocator_resident", "total_system_memory", "used_memory_lua",
        "used_memory_vm_eval", "used_memory_scripts_eval", "number_of_cached_scripts",
        "number_of_functions", "number_of_libraries", "used_memory_vm_functions",
        "used_memory_functions", "used_memory_scripts", "mem_not_counted_for_evict",
        "mem_replication_backlog", "mem_total_replication_buffers", "mem_clients_slaves",
        "mem_clients_normal", "mem_cluster_links", "mem_aof_buffer",
        "lazyfree_pending_objects")}
    used = m["used_memory"]
    peak = max(_mem(e, "used_memory_peak"), used)
    vm_total = m["used_memory_vm_eval"] + m["used_memory_vm_functions"]
    net = used - m["used_memory_startup"]
    rss = m["used_memory_rss"]
    alloc, active, resident = (m["allocator_allocated"], m["allocator_active"],
                               m["allocator_resident"])
    maxmemory = e.config.maxmemory
    return [
        ("used_memory", used), ("used_memory_human", bytes_to_human(used)),
        ("used_memory_rss", rss), ("used_memory_rss_human", bytes_to_human(rss)),
        ("used_memory_peak", peak), ("used_memory_peak_human", bytes_to_human(peak)),
        ("used_memory_peak_perc", _pct(used, peak)),
        ("used_memory_overhead", m["used_memory_overhead"]),
        ("used_memory_startup", m["used_memory_startup"]),
        ("used_memory_dataset", m["used_memory_dataset"]),
        ("used_memory_dataset_perc", _pct(m["used_memory_dataset"], net if net > 0 else 0)),
        ("allocator_allocated", alloc), ("allocator_active", active),
        ("allocator_resident", resident),
        ("total_system_memory", m["total_system_memory"]),
        ("total_system_memory_human", bytes_to_human(m["total_system_memory"])),
        ("used_memory_lua", m["used_memory_lua"]),
        ("used_memory_vm_eval", m["used_memory_vm_eval"]),
        ("used_memory_lua_human", bytes_to_human(m["used_memory_lua"])),
        ("used_memory_scripts_eval", m["used_memory_scripts_eval"]),
        ("number_of_cached_scripts", m["number_of_cached_scripts"]),
        ("number_of_functions", m["number_of_functions"]),
        ("number_of_libraries", m["number_of_libraries"]),
        ("used_memory_vm_functions", m["used_memory_vm_functions"]),
        ("used_memory_vm_total", vm_total),
        ("used_memory_vm_total_human", bytes_to_human(vm_total)),
        ("used_memory_functions", m["used_memory_functions"]),
        ("used_memory_scripts", m["used_memory_scripts"]),
        ("used_memory_scripts_human", bytes_to_human(m["used_memory_scripts"])),
        ("maxmemory", maxmemory), ("maxmemory_human", bytes_to_human(maxmemory)),
        ("maxmemory_policy", e.config.maxmemory_policy),
        ("allocator_frag_ratio", _ratio(active, alloc)),
        ("allocator_frag_bytes", active - alloc),
        ("allocator_rss_ratio", _ratio(resident, active)),
        ("allocator_rss_bytes", resident - active),
        ("rss_overhead_ratio", _ratio(rss, resident)),
        ("rss_overhead_bytes", rss - resident),
        ("mem_fragmentation_ratio", _ratio(rss, used)),
        ("mem_fragmentation_bytes", rss - used if rss else 0),
        ("mem_not_counted_for_evict", m["mem_not_counted_for_evict"]),
        ("mem_replication_backlog", m["mem_replication_backlog"]),
        ("mem_total_replication_buffers", m["mem_total_replication_buffers"]),
        ("mem_clients_slaves", m["mem_clients_slaves"]),
        ("mem_clients_normal", m["mem_clients_normal"]),
        ("mem_cluster_links", m["mem_cluster_links"]),
        ("mem_aof_buffer", m["mem_aof_buffer"]),
        ("mem_allocator", getattr(e, "mem_allocator", "jemalloc-5.3.0")),
        ("active_defrag_running", 0),
        ("lazyfree_pending_objects", m["lazyfree_pending_objects"]),
        ("lazyfreed_objects", _num(e, "lazyfreed_objects")),
    ]


def _info_persistence(e) -> list[tuple[str, Any]]:
    g = getattr
    return [
        ("loading", int(bool(e.loading))), ("async_loading", 0),
        ("current_cow_peak", 0), ("current_cow_size", 0), ("current_cow_size_age", 0),
        ("current_fork_perc", "0.00"), ("current_save_keys_processed", 0),
        ("current_save_keys_total", 0), ("rdb_changes_since_last_save", e.dirty),
        ("rdb_bgsave_in_progress", int(bool(g(e, "rdb_bgsave_in_progress", 0)))),
        ("rdb_last_save_time", g(e, "lastsave", e.start_ms // 1000)),
        ("rdb_last_bgsave_status", g(e, "rdb_last_bgsave_status", "ok")),
        ("rdb_last_bgsave_time_sec", g(e, "rdb_last_bgsave_time_sec", -1)),
        ("rdb_current_bgsave_time_sec", g(e, "rdb_current_bgsave_time_sec", -1)),
        ("rdb_saves", g(e, "stat_rdb_saves", 0)),
        ("rdb_last_cow_size", g(e, "stat_rdb_cow_bytes", 0)),
        ("rdb_last_load_keys_expired", g(e, "rdb_last_load_keys_expired", 0)),
        ("rdb_last_load_keys_loaded", g(e, "rdb_last_load_keys_loaded", 0)),
        ("aof_enabled", int(bool(e.config.appendonly))),
        ("aof_rewrite_in_progress", int(bool(g(e, "aof_rewrite_in_progress", 0)))),
        ("aof_rewrite_scheduled", int(bool(g(e, "aof_rewrite_scheduled", 0)))),
        ("aof_last_rewrite_time_sec", g(e, "aof_last_rewrite_time_sec", -1)),
        ("aof_current_rewrite_time_sec", g(e, "aof_current_rewrite_time_sec", -1)),
        ("aof_last_bgrewrite_status", g(e, "aof_last_bgrewrite_status", "ok")),
        ("aof_rewrites", g(e, "stat_aof_rewrites", 0)),
        ("aof_rewrites_consecutive_failures", g(e, "stat_aofrw_consecutive_failures", 0)),
        ("aof_last_write_status", g(e, "aof_last_write_status", "ok")),
        ("aof_last_cow_size", g(e, "stat_aof_cow_bytes", 0)),
        ("module_fork_in_progress", 0), ("module_fork_last_cow_size", 0),
    ]


def _info_stats(e) -> list[tuple[str, Any]]:
    g = getattr
    return [
        ("total_connections_received", e.stat_numconnections),
        ("total_commands_processed", e.stat_numcommands),
        ("instantaneous_ops_per_sec", g(e, "instantaneous_ops_per_sec", 0)),
        ("total_net_input_bytes", g(e, "stat_net_input_bytes", 0)),
        ("total_net_output_bytes", g(e, "stat_net_output_bytes", 0)),
        ("total_net_repl_input_bytes", g(e, "stat_net_repl_input_bytes", 0)),
        ("total_net_repl_output_bytes", g(e, "stat_net_repl_output_bytes", 0)),
        ("instantaneous_input_kbps", "0.00"), ("instantaneous_output_kbps", "0.00"),
        ("instantaneous_input_repl_kbps", "0.00"), ("instantaneous_output_repl_kbps", "0.00"),
        ("rejected_connections", g(e, "stat_rejected_conn", 0)),
        ("sync_full", g(e, "stat_sync_full", 0)),
        ("sync_partial_ok", g(e, "stat_sync_partial_ok", 0)),
        ("sync_partial_err", g(e, "stat_sync_partial_err", 0)),
        ("expired_keys", e.stat_expiredkeys),
        ("expired_stale_perc", f"{e.stat_expired_stale_perc * 100:.2f}"),
        ("expired_time_cap_reached_count", e.stat_expired_time_cap_reached_count),
        ("expire_cycle_cpu_milliseconds", e.stat_expire_cycle_time_used // 1000),
        ("evicted_keys", e.stat_evictedkeys),
        ("evicted_clients", g(e, "stat_evictedclients", 0)),
        ("total_eviction_exceeded_time", g(e, "stat_total_eviction_exceeded_time", 0)),
        ("current_eviction_exceeded_time", g(e, "current_eviction_exceeded_time", 0)),
        ("keyspace_hits", e.stat_keyspace_hits), ("keyspace_misses", e.stat_keyspace_misses),
        ("pubsub_channels", _num(e, "pubsub_channels")),
        ("pubsub_patterns", _num(e, "pubsub_patterns")),
        ("pubsubshard_channels", _num(e, "pubsubshard_channels")),
        ("latest_fork_usec", g(e, "stat_fork_time", 0)),
        ("total_forks", g(e, "stat_total_forks", 0)),
        ("migrate_cached_sockets", 0),
        ("slave_expires_tracked_keys", 0),
        ("active_defrag_hits", 0), ("active_defrag_misses", 0),
        ("active_defrag_key_hits", 0), ("active_defrag_key_misses", 0),
        ("total_active_defrag_time", 0), ("current_active_defrag_time", 0),
        ("tracking_total_keys", 0), ("tracking_total_items", 0),
        ("tracking_total_prefixes", 0),
        ("unexpected_error_replies", e.stat_unexpected_error_replies),
        ("total_error_replies", e.stat_total_error_replies),
        ("dump_payload_sanitizations", g(e, "stat_dump_payload_sanitizations", 0)),
        ("total_reads_processed", g(e, "stat_total_reads_processed", 0)),
        ("total_writes_processed", g(e, "stat_total_writes_processed", 0)),
        ("io_threaded_reads_processed", 0), ("io_threaded_writes_processed", 0),
        ("reply_buffer_shrinks", g(e, "stat_reply_buffer_shrinks", 0)),
        ("reply_buffer_expands", g(e, "stat_reply_buffer_expands", 0)),
    ]


def master_replid(e) -> str:
    """``engine.replid`` if replication defines one, else a fixed function of run_id."""
    rid = getattr(e, "replid", None)
    if rid:
        return rid
    return hashlib.sha1(b"replid:" + e.run_id.encode()).hexdigest()


def _info_replication(e) -> list[tuple[str, Any]]:
    g = getattr
    return [
        ("role", "master"), ("connected_slaves", 0),
        ("master_failover_state", "no-failover"), ("master_replid", master_replid(e)),
        ("master_replid2", g(e, "replid2", "0" * 40)),
        ("master_repl_offset", g(e, "master_repl_offset", 0)),
        ("second_repl_offset", g(e, "second_replid_offset", -1)),
        ("repl_backlog_active", 0), ("repl_backlog_size", e.config.repl_backlog_size),
        ("repl_backlog_first_byte_offset", 0), ("repl_backlog_histlen", 0),
    ]


def _info_cpu(e) -> list[tuple[str, Any]]:
    sys_t = user_t = 0.0
    if not e.virtual:
        t = time.process_time()
        user_t = t
    return [
        ("used_cpu_sys", f"{sys_t:.6f}"), ("used_cpu_user", f"{user_t:.6f}"),
        ("used_cpu_sys_children", "0.000000"), ("used_cpu_user_children", "0.000000"),
        ("used_cpu_sys_main_thread", f"{sys_t:.6f}"),
        ("used_cpu_user_main_thread", f"{user_t:.6f}"),
    ]


def _info_commandstats(e) -> list[tuple[str, Any]]:
    out = []
    for spec in all_specs():
        st = e.cmdstats.get(spec.name)
        if not st or not (st[0] or st[2] or st[3]):
            continue
        calls, usec, rejected, failed = st
        per = usec / calls if calls else 0.0
        out.append((f"cmdstat_{spec.name}",
                    f"calls={calls},usec={usec},usec_per_call={per:.2f},"
                    f"rejected_calls={rejected},failed_calls={failed}"))
    return out


def _info_errorstats(e) -> list[tuple[str, Any]]:
    return [(f"errorstat_{code}", f"count={n}")
            for code, n in sorted(e.errorstats.items(), key=lambda kv: kv[0].encode())]


def _fmt_percentile(p: float) -> str:
    s = f"{p:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _info_latencystats(e) -> list[tuple[str, Any]]:
    """Per-command latency percentiles. Commands take no virtual time: every value is 0
    (a histogram module may provide ``engine.latency_percentiles(name, p)``)."""
    if not e.config.latency_tracking:
        return []
    fn = getattr(e, "latency_percentiles", None)
    out = []
    for spec in all_specs():
        st = e.cmdstats.get(spec.name)
        if not st or not st[0]:
            continue
        parts = []
        for p in e.config.latency_tracking_info_percentiles:
            v = fn(spec.name, p) if fn is not None else 0.0
            parts.append(f"p{_fmt_percentile(p)}={v:.3f}")
        out.append((f"latency_percentiles_usec_{spec.name}", ",".join(parts)))
    return out


def _info_keyspace(e) -> list[tuple[str, Any]]:
    out = []
    for db in e.dbs:
        keys, expires = len(db.dict), len(db.expires)
        if keys or expires:
            out.append((f"db{db.id}", f"keys={keys},expires={expires},avg_ttl={db.avg_ttl}"))
    return out


SECTION_FUNCS: dict[str, Callable[[Any], list[tuple[str, Any]]]] = {
    "server": _info_server, "clients": _info_clients, "memory": _info_memory,
    "persistence": _info_persistence, "stats": _info_stats,
    "replication": _info_replication, "cpu": _info_cpu, "modules": lambda e: [],
    "commandstats": _info_commandstats, "errorstats": _info_errorstats,
    "latencystats": _info_latencystats, "cluster": lambda e: [("cluster_enabled", 0)],
    "keyspace": _info_keyspace,
}


def info_sections(args: list[bytes]) -> list[str]:
    """``genInfoSectionDict``: which sections, in the fixed output order."""
    wanted: set[str] = set()
    if not args:
        wanted |= DEFAULT_SECTIONS
    for a in args:
        s = a.decode("utf-8", "replace").lower()
        if s in ("all", "everything"):
            wanted |= set(SECTIONS)
        elif s == "default":
            wanted |= DEFAULT_SECTIONS
        else:
            wanted.add(s)
    return [s for s in SECTIONS if s in wanted]


def info_dict(e, sections: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """INFO as data: section -> field -> value (for notebooks and tests)."""
    names = info_sections([s.encode() for s in sections] if sections else [])
    return {s: dict(SECTION_FUNCS[s](e)) for s in names}


def gen_info_string(e, args: list[bytes]) -> bytes:
    parts = []
    for s in info_sections(args):
        title = SECTION_TITLES.get(s, s.capitalize())
        lines = [f"# {title}\r\n"] + [f"{k}:{v}\r\n" for k, v in SECTION_FUNCS[s](e)]
        parts.append("".join(lines))
    return "\r\n".join(parts).encode()


@command("info", arity=-1, flags="loading stale", group="server", since="1.0.0",
         acl="dangerous",
         tips="nondeterministic_output request_policy:all_shards response_policy:special")
def info_command(c, argv):
    """INFO [section [section ...]]
    Returns server information and statistics, by section."""
    text = gen_info_string(c.engine, argv[1:])
    return Verbatim(text) if c.resp == 3 else text


# -- DEBUG ------------------------------------------------------------------------------------

DEBUG_HELP = [
    "AOF-FLUSH-SLEEP <microsec>",
    "    Server will sleep before flushing the AOF, this is used for testing.",
    "ASSERT",
    "    Crash by assertion failed.",
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "CONFIG-REWRITE-FORCE-ALL",
    "    Like CONFIG REWRITE but writes all configuration options, including",
    "    keywords not listed in original configuration file or default values.",
    "CRASH-AND-RECOVER [<milliseconds>]",
    "    Hard crash and restart after a <milliseconds> delay (default 0).",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "LEAK <string>",
    "    Create a memory leak of the input string.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "HTSTATS <dbid>",
    "    Return hash table statistics of the specified Redis database.",
    "HTSTATS-KEY <key>",
    "    Like HTSTATS but for the hash table stored at <key>'s value.",
    "LOADAOF",
    "    Flush the AOF buffers on disk and reload the AOF in memory.",
    "REPLICATE <string>",
    "    Replicates the provided string to replicas, allowing data divergence.",
    "MALLCTL <key> [<val>]",
    "    Get or set a malloc tuning integer.",
    "MALLCTL-STR <key> [<val>]",
    "    Get or set a malloc tuning string.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "DROP-CLUSTER-PACKET-FILTER <packet-type>",
    "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
    "OOM",
    "    Crash the server simulating an out-of-memory error.",
    "PANIC",
    "    Crash the server simulating a panic.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "RELOAD [option ...]",
    "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
    "    * MERGE: conflicting keys will be loaded from RDB.",
    "    * NOFLUSH: the existing database will not be removed before load, but",
    "      conflicting keys will generate an exception and kill the server.",
    "    * NOSAVE: the database will be loaded from an existing RDB file.",
    "    Examples:",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
    "      the database.",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
    "      existing RDB file.",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
    "      file to the database.",
    "RESTART [<milliseconds>]",
    "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
    "SDSLEN <key>",
    "    Show low level SDS string info representing `key` and value.",
    "SEGFAULT",
    "    Crash the server with sigsegv.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "QUICKLIST-PACKED-THRESHOLD <size>",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
    "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "STRINGMATCH-TEST",
    "    Run a fuzz tester against the stringmatchlen() function.",
    "STRUCTSIZE",
    "    Return the size of different Redis core C structures.",
    "LISTPACK <key>",
    "    Show low level info about the listpack encoding of <key>.",
    "QUICKLIST <key> [<0|1>]",
    "    Show low level info about the quicklist encoding of <key>.",
    "    The optional argument (0 by default) sets the level of detail",
    "CLIENT-EVICTION",
    "    Show low level client eviction pools info (maxmemory-clients).",
    "PAUSE-CRON <0|1>",
    "    Stop periodic cron job processing.",
    "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
    "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
    "    In case NEVER is provided the last observed peak will never be reset",
    "    In case RESET is provided the peak reset time will be restored to the default value",
    "REPLYBUFFER RESIZING <0|1>",
    "    Enable or disable the reply buffer resize cron job",
    "CLUSTERLINK KILL <to|from|all> <node-id>",
    "    Kills the link based on the direction to/from (both) with the provided node.",
]


def _is_local(c) -> bool:
    addr = c.addr or ""
    return (addr.startswith(("127.", "[::1]", "::1", "in-process", "/"))
            or getattr(c, "is_unix_socket", False))


def debug_allowed(c) -> bool:
    """``allowProtectedAction(enable-debug-command)``: yes, or local for local clients."""
    mode = c.engine.config.enable_debug_command
    return mode == "yes" or (mode == "local" and _is_local(c))


# -- RDB / listpack sizes for DEBUG OBJECT ----------------------------------------------------

def _len_enc(n: int) -> int:
    """``rdbSaveLen`` size."""
    if n < (1 << 6):
        return 1
    if n < (1 << 14):
        return 2
    if n <= 0xFFFFFFFF:
        return 5
    return 9


def rdb_string_len(s: bytes) -> int:
    """``rdbSaveRawString`` size: integer encoding when possible, else length + bytes.
    (LZF compression of strings over 20 bytes is not modelled.)"""
    if len(s) <= 11:
        v = string2ll(s)
        if v is not None:
            if -(1 << 7) <= v < (1 << 7):
                return 2
            if -(1 << 15) <= v < (1 << 15):
                return 3
            if -(1 << 31) <= v < (1 << 31):
                return 5
    return _len_enc(len(s)) + len(s)


def _lp_backlen(n: int) -> int:
    if n <= 127:
        return 1
    if n < 16383:
        return 2
    if n < 2097151:
        return 3
    if n < 268435455:
        return 4
    return 5


def lp_entry_size(b: bytes) -> int:
    """Bytes one element takes in a listpack (encoding + data + back-length)."""
    v = string2ll(b) if len(b) <= 20 else None
    if v is not None:
        if 0 <= v <= 127:
            n = 1
        elif -4096 <= v <= 4095:
            n = 2
        elif -(1 << 15) <= v < (1 << 15):
            n = 3
        elif -(1 << 23) <= v < (1 << 23):
            n = 4
        elif -(1 << 31) <= v < (1 << 31):
            n = 5
        else:
            n = 9
    else:
        ln = len(b)
        n = (1 if ln < 64 else 2 if ln < 4096 else 5) + ln
    return n + _lp_backlen(n)


def listpack_size(items) -> int:
    return 6 + sum(lp_entry_size(x) for x in items) + 1


def _fmt_score(d: float) -> bytes:
    if d == int(d) and abs(d) < 1e17:
        return b"%d" % int(d)
    return (b"%.17g" % d)


_QL_LEVELS = (4096, 8192, 16384, 32768, 65536)


def quicklist_layout(items: list[bytes], fill: int) -> list[list[bytes]]:
    """Nodes a quicklist built by RPUSH would have (``_quicklistNodeAllowInsert``)."""
    nodes: list[list[bytes]] = []
    cur: list[bytes] = []
    cur_sz = 0
    for x in items:
        sz = len(x)
        ok = False
        if cur and sz < (1 << 30):
            new_sz = cur_sz + sz + 8
            if fill < 0:
                off = -fill - 1
                limit = _QL_LEVELS[off] if off < len(_QL_LEVELS) else _QL_LEVELS[-1]
                ok = new_sz <= limit
            elif new_sz <= 8192 and len(cur) < fill:
                ok = True
        if ok:
            cur.append(x)
            cur_sz = listpack_size(cur)
        else:
            if cur:
                nodes.append(cur)
            cur = [x]
            cur_sz = listpack_size(cur)
    if cur:
        nodes.append(cur)
    return nodes


def rdb_object_len(e, obj) -> int:
    """``rdbSavedObjectLen`` (without LZF compression)."""
    t, enc, v = obj.type, obj.encoding, obj.val
    if t == "string":
        return rdb_string_len(v)
    if t == "list":
        nodes = quicklist_layout(list(v), e.config.list_max_listpack_size)
        return _len_enc(len(nodes)) + sum(
            1 + _len_enc(sz) + sz for sz in (listpack_size(n) for n in nodes))
    if t == "set":
        if enc == "intset":
            ints = [int(x) for x in v]
            width = 2 if all(-32768 <= i <= 32767 for i in ints) else \
                4 if all(-(1 << 31) <= i < (1 << 31) for i in ints) else 8
            sz = 8 + width * len(ints)
            return _len_enc(sz) + sz
        return _len_enc(len(v)) + sum(rdb_string_len(x) for x in v)
    if t == "hash":
        if enc == "listpack":
            sz = listpack_size([x for kv in v.items() for x in kv])
            return _len_enc(sz) + sz
        return _len_enc(len(v)) + sum(rdb_string_len(k) + rdb_string_len(x)
                                      for k, x in v.items())
    if t == "zset":
        pairs = _zset_pairs(v)
        if enc == "listpack":
            sz = listpack_size([x for m, s in pairs for x in (m, _fmt_score(s))])
            return _len_enc(sz) + sz
        return _len_enc(len(pairs)) + sum(rdb_string_len(m) + 8 for m, _ in pairs)
    return 0


def _zset_pairs(v) -> list[tuple[bytes, float]]:
    items = getattr(v, "items", None)
    if callable(items):
        got = list(items())
        if got and isinstance(got[0][0], bytes):
            return [(m, float(s)) for m, s in got]
        return [(m, float(s)) for s, m in got]
    d = getattr(v, "dict", None)
    if isinstance(d, dict):
        return [(m, float(s)) for m, s in d.items()]
    return []


def debug_address(dbid: int, key: bytes) -> str:
    """A stable, deterministic stand-in for the object's pointer."""
    h = zlib.crc32(b"%d:%b" % (dbid, key)) & 0xFFFFFFFF
    return "0x%x" % (0x7F0000000000 | (h << 4))


def debug_object(c, key: bytes) -> Status:
    e = c.engine
    obj = c.db.dict.get(key)
    if obj is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    enc = obj.encoding
    refcount = 1
    if obj.type == "string" and enc == "int":
        v = string2ll(obj.val)
        shared_ok = not (e.config.maxmemory and e.config.maxmemory_policy.endswith(("lru", "lfu")))
        if v is not None and 0 <= v < OBJ_SHARED_INTEGERS and shared_ok:
            refcount = OBJ_SHARED_REFCOUNT
    extra = ""
    if obj.type == "list" and enc == "quicklist":
        fill = e.config.list_max_listpack_size
        nodes = quicklist_layout(list(obj.val), fill)
        n = len(nodes)
        avg = (len(obj.val) / n) if n else 0.0
        extra = (f" ql_nodes:{n} ql_avg_node:{avg:.2f} ql_listpack_max:{fill}"
                 f" ql_compressed:{int(e.config.list_compress_depth != 0)}"
                 f" ql_uncompressed_size:{sum(listpack_size(x) for x in nodes)}")
    idle = e.estimate_idle_time_ms(obj) // 1000
    return Status(f"Value at:{debug_address(c.db.id, key)} refcount:{refcount} "
                  f"encoding:{enc} serializedlength:{rdb_object_len(e, obj)} "
                  f"lru:{obj.lru} lru_seconds_idle:{idle}{extra}")


@command("debug", arity=-2, flags="admin noscript loading stale protected", group="server",
         since="1.0.0", complexity="Depends on subcommand.")
def debug_command(c, argv):
    """DEBUG subcommand [arg ...]
    Debugging helpers: OBJECT, SLEEP, SET-ACTIVE-EXPIRE, HELP.
    (Refused in dispatch unless enable-debug-command allows it: a protected command.)"""
    sub = argv[1].lower()
    n = len(argv)
    e = c.engine
    if sub == b"help" and n == 2:
        return help_reply("DEBUG", DEBUG_HELP)
    if sub == b"object" and n == 3:
        return debug_object(c, argv[2])
    if sub == b"sleep" and n == 3:
        usec = int(_strtod(argv[2]) * 1_000_000)
        if usec > 0:
            if e.virtual:
                e.advance(usec // 1000)
            else:  # pragma: no cover - wall-clock engines only
                time.sleep(usec / 1_000_000)
        return OK
    if sub == b"set-active-expire" and n == 3:
        e.active_expire_enabled = _atoi(argv[2]) != 0
        return OK
    raise ReplyError(errors.DEBUG_UNKNOWN_SUBCOMMAND.format(argv[1].decode("utf-8", "replace")))


__all__ = [
    "PARAM_BY_NAME",
    "acl_categories",
    "command_docs_entry",
    "command_info_entry",
    "gen_info_string",
    "info_dict",
    "lookup_by_fullname",
    "reset_server_stats",
]
