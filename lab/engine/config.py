"""Configuration parameters (``config.c``): one declarative table, CONFIG GET/SET rules.

Each parameter has a type (bool, int, memory, enum, string, or one of the special
formats: save points, keyspace-event flags, client output buffer limits, ...), a default,
a valid range, aliases (the 6.x ``*-ziplist-*`` / ``slave*`` names), flags (immutable,
protected) and an optional ``apply`` hook that refreshes derived engine state
(``hz`` -> cron period, ``maxmemory-policy`` -> touch mode). Values are stored as
attributes with underscores (``config.maxmemory_samples``) so hot paths read them with one
attribute access.

The table lists every parameter a 7.0.15 server shows in ``CONFIG GET *`` (hidden
debugging parameters excluded), with the types, ranges and error texts observed on a real
server. Parameters that only matter to a real process (``pidfile``, ``logfile``, TLS,
cluster, ...) are stored and reported but change nothing in the engine.

7.0 rules reproduced here:

* An alias is its own entry: ``CONFIG GET *`` lists both names, ``CONFIG SET
  hash-max-ziplist-entries 1 hash-max-listpack-entries 2`` is not a duplicate (last wins).
* ``CONFIG GET`` de-duplicates names case-insensitively; an exact (non-glob) name is
  echoed as typed (``CONFIG GET HZ`` -> ``HZ``).
* ``CONFIG SET`` of several parameters is atomic: names are checked first (unknown,
  immutable/protected, duplicate: the first problem wins, quoting the name as typed), then
  values are parsed in order (a parse error quotes the lower-cased name), then the apply
  hooks run; a failing hook restores every old value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors
from .errors import ReplyError
from .util import string2d, string2ll, stringmatch

LLONG_MAX = 9223372036854775807
LLONG_MIN = -9223372036854775808
ULLONG_MAX = 18446744073709551615
INT_MAX = 2147483647
INT_MIN = -2147483648
UINT_MAX = 4294967295
LONG_MAX = LLONG_MAX

CONFIG_MIN_HZ = 1
CONFIG_MAX_HZ = 500


class Param:
    """One configuration parameter (a ``standardConfig``)."""

    __slots__ = (
        "aliases",
        "apply",
        "attr",
        "choices",
        "default",
        "hi",
        "immutable",
        "kind",
        "lo",
        "name",
        "normalize",
        "protected",
    )

    def __init__(self, name: str, kind: str, default: Any, lo: int = 0, hi: int = LLONG_MAX,
                 choices: tuple[str, ...] = (), aliases: tuple[str, ...] = (),
                 apply: Callable | None = None, immutable: bool = False, protected: bool = False,
                 normalize: Callable | None = None):
        self.name = name
        self.attr = name.replace("-", "_")
        self.kind = kind
        self.default = default
        self.lo, self.hi = lo, hi
        self.choices = choices
        self.aliases = aliases
        self.apply = apply
        self.immutable = immutable
        self.protected = protected
        self.normalize = normalize

    def __repr__(self) -> str:
        return f"<Param {self.name} {self.kind}>"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    # -- value <-> text -----------------------------------------------------------------
    def format(self, v: Any) -> bytes:
        """The CONFIG GET text of value ``v``."""
        k = self.kind
        if k == "bool":
            return b"yes" if v else b"no"
        if k in ("int", "memory"):
            return b"%d" % v
        if k in ("enum", "enum_multi"):
            return v.encode()
        if k == "string":
            return v.encode() if isinstance(v, str) else v
        if k == "save":
            return " ".join(f"{s} {c}" for s, c in v).encode()
        if k == "notify":
            return notify_flags_to_string(v).encode()
        if k == "memory_percent":
            return (b"%d%%" % -v) if v < 0 else (b"%d" % v)
        if k == "octal":
            return b"%o" % v
        if k == "obuf":
            return " ".join(f"{cls} {h} {s} {sec}" for cls, (h, s, sec) in v.items()).encode()
        if k == "oomvals":
            return " ".join(str(x) for x in v).encode()
        if k == "percentiles":
            return " ".join(_fmt_g(x) for x in v).encode()
        raise AssertionError(k)

    def parse(self, raw: bytes) -> Any:
        """Parse a CONFIG SET / config-file value; raise ValueError(reason) when invalid."""
        k = self.kind
        text = raw.decode("utf-8", "surrogateescape")
        if k == "bool":
            t = text.lower()
            if t == "yes":
                return True
            if t == "no":
                return False
            raise ValueError("argument must be 'yes' or 'no'")
        if k == "int":
            v = string2ll(raw)
            if v is None:
                raise ValueError("argument couldn't be parsed into an integer")
            return self._range(v)
        if k == "memory":
            v = memtoull(text)
            if v is None:
                raise ValueError("argument must be a memory value")
            if self.hi <= LLONG_MAX and v > LLONG_MAX:
                v -= 1 << 64  # stored in a signed long long, as config.c does
            return self._range(v)
        if k == "memory_percent":
            if text.endswith("%"):
                p = string2ll(raw[:-1])
                if p is None:
                    raise ValueError("argument must be a memory or percent value")
                if p > 100:
                    raise ValueError("percentage argument must be less or equal to 100")
                if p < 0:
                    raise ValueError(f"argument must be between {self.lo} and {self.hi} inclusive")
                return -p
            v = memtoull(text)
            if v is None:
                raise ValueError("argument must be a memory or percent value")
            if v > LLONG_MAX:
                v -= 1 << 64
            return self._range(v)
        if k == "enum":
            t = text.lower()
            if t in self.choices:
                return t
            raise ValueError("argument(s) must be one of the following: " + ", ".join(self.choices))
        if k == "enum_multi":
            words = text.lower().split()
            if not words or any(w not in self.choices for w in words):
                raise ValueError("argument(s) must be one of the following: "
                                 + ", ".join(self.choices))
            return " ".join(dict.fromkeys(words))
        if k == "string":
            return text
        if k == "save":
            return parse_save(text)
        if k == "notify":
            v = notify_flags_from_string(text)
            if v is None:
                raise ValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
            return v
        if k == "octal":
            try:
                return int(text, 8)
            except ValueError:
                raise ValueError("argument couldn't be parsed into an integer") from None
        if k == "obuf":
            return parse_obuf(text, None)
        if k == "oomvals":
            return parse_oom_values(text)
        if k == "percentiles":
            return parse_percentiles(text)
        raise AssertionError(k)

    def _range(self, v: int) -> int:
        if v < self.lo or v > self.hi:
            raise ValueError(f"argument must be between {self.lo} and {self.hi} inclusive")
        return v


def _fmt_g(x: float) -> str:
    s = "%f" % x
    return s.rstrip("0").rstrip(".") if "." in s else s


def memtoull(s: str) -> int | None:
    """``util.c:memtoull``: ``<digits>[b|k|kb|m|mb|g|gb]`` (k=1000, kb=1024), no sign.

    >>> memtoull("100mb"), memtoull("1k"), memtoull("1.5gb"), memtoull("-1"), memtoull("")
    (104857600, 1000, None, None, 0)
    """
    i = 0
    while i < len(s) and s[i].isdigit():
        i += 1
    digits, unit = s[:i], s[i:].lower()
    mul = {"": 1, "b": 1, "k": 1000, "kb": 1024, "m": 10**6, "mb": 1 << 20, "g": 10**9,
           "gb": 1 << 30}.get(unit)
    if mul is None or len(digits) > 127:
        return None
    if not digits:
        return 0  # strtoull("") is 0 without an error
    base = int(digits)
    if base > ULLONG_MAX:
        return None
    return (base * mul) & ULLONG_MAX  # the C multiplication wraps


def parse_save(text: str) -> list[tuple[int, int]]:
    parts = text.split()
    if len(parts) % 2:
        raise ValueError("Invalid save parameters")
    out = []
    for i in range(0, len(parts), 2):
        a, b = string2ll(parts[i].encode()), string2ll(parts[i + 1].encode())
        if a is None or b is None or a < 1 or b < 0:
            raise ValueError("Invalid save parameters")
        out.append((a, b))
    return out


OBUF_CLASSES = ("normal", "slave", "pubsub")
OBUF_DEFAULT = {"normal": (0, 0, 0), "slave": (268435456, 67108864, 60),
                "pubsub": (33554432, 8388608, 60)}


def parse_obuf(text: str, current: dict | None) -> dict:
    """``client-output-buffer-limit``: ``<class> <hard> <soft> <soft_seconds>`` groups;
    classes not named keep their current limits."""
    parts = text.split()
    if len(parts) % 4:
        raise ValueError("Wrong number of arguments in buffer limit configuration.")
    # the classes not mentioned keep their values: merged in config_set (needs current)
    out = dict(current or {})
    for i in range(0, len(parts), 4):
        cls = parts[i].lower()
        if cls == "replica":
            cls = "slave"
        if cls not in OBUF_CLASSES:
            raise ValueError("Invalid client class specified in buffer limit configuration.")
        hard, soft = memtoull(parts[i + 1]), memtoull(parts[i + 2])
        secs = string2ll(parts[i + 3].encode())
        if hard is None or soft is None or secs is None or secs < 0:
            raise ValueError("Error in hard, soft or soft_seconds setting in buffer limit "
                             "configuration.")
        out[cls] = (hard, soft, secs)
    return out


def parse_oom_values(text: str) -> list[int]:
    parts = text.split()
    if len(parts) != 3:
        raise ValueError("wrong number of arguments")
    out = []
    for p in parts:
        v = string2ll(p.encode())
        if v is None or v < -2000 or v > 2000:
            raise ValueError("Invalid oom-score-adj-values, elements must be between -2000 "
                             "and 2000.")
        out.append(v)
    return out


def parse_percentiles(text: str) -> list[float]:
    out = []
    for p in text.split():
        v = string2d(p.encode())
        if v is None:
            raise ValueError("Invalid latency-tracking-info-percentiles parameters")
        if v < 0.0 or v > 100.0:
            raise ValueError("latency-tracking-info-percentiles parameters should sit between "
                             "[0.0,100.0]")
        out.append(v)
    return out


# notify-keyspace-events flag letters (notify.c:keyspaceEventsStringToFlags)
_NOTIFY_LETTERS = {
    "g": 1 << 2, "$": 1 << 3, "l": 1 << 4, "s": 1 << 5, "h": 1 << 6, "z": 1 << 7,
    "x": 1 << 8, "e": 1 << 9, "t": 1 << 10, "m": 1 << 11, "d": 1 << 13, "n": 1 << 14,
    "K": 1 << 0, "E": 1 << 1,
}
_NOTIFY_ALL = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) \
    | (1 << 9) | (1 << 10) | (1 << 13)


def notify_flags_from_string(s: str) -> int | None:
    flags = 0
    for ch in s:
        if ch == "A":
            flags |= _NOTIFY_ALL
        elif ch in _NOTIFY_LETTERS:
            flags |= _NOTIFY_LETTERS[ch]
        else:
            return None
    return flags


def notify_flags_to_string(flags: int) -> str:
    """``keyspaceEventsFlagsToString``: ``A`` for the whole class set (then ``n`` is not
    printed, as in 7.0), else each class letter, then ``K``, ``E``, ``m``."""
    out = ""
    if (flags & _NOTIFY_ALL) == _NOTIFY_ALL:
        out += "A"
    else:
        for ch in "g$lshzxetdn":
            if flags & _NOTIFY_LETTERS[ch]:
                out += ch
    for ch in "KEm":
        if flags & _NOTIFY_LETTERS[ch]:
            out += ch
    return out


POLICIES = ("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru",
            "allkeys-lfu", "allkeys-random", "noeviction")
PROTECTED_ACTION = ("no", "yes", "local")
SHUTDOWN_FLAGS = ("default", "save", "nosave", "now", "force")


def _apply_policy(engine: Any) -> None:
    engine.refresh_policy()


def _apply_hz(engine: Any) -> None:
    engine.refresh_hz()


def _clamp_hz(v: int) -> int:
    return max(CONFIG_MIN_HZ, min(CONFIG_MAX_HZ, v))


def _apply_requirepass(engine: Any) -> None:
    """Clearing the password makes the default user ``nopass``: nobody needs AUTH."""
    if not engine.config.requirepass:
        for c in list(getattr(engine, "clients", {}).values()):
            c.authenticated = True


def _b(name: str, default: bool, **kw: Any) -> Param:
    return Param(name, "bool", default, **kw)


def _i(name: str, default: int, lo: int, hi: int, **kw: Any) -> Param:
    return Param(name, "int", default, lo, hi, **kw)


def _m(name: str, default: int, lo: int = 0, hi: int = LLONG_MAX, **kw: Any) -> Param:
    return Param(name, "memory", default, lo, hi, **kw)


def _e(name: str, default: str, choices: tuple[str, ...], **kw: Any) -> Param:
    return Param(name, "enum", default, choices=choices, **kw)


def _s(name: str, default: str = "", **kw: Any) -> Param:
    return Param(name, "string", default, **kw)


PARAMS: list[Param] = [
    # -- the engine reads these -------------------------------------------------------------
    _i("databases", 16, 1, INT_MAX, immutable=True),
    _i("hz", 10, 0, INT_MAX, apply=_apply_hz, normalize=_clamp_hz),
    _b("dynamic-hz", True),
    _m("maxmemory", 0, 0, ULLONG_MAX, apply=_apply_policy),
    _e("maxmemory-policy", "noeviction", POLICIES, apply=_apply_policy),
    _i("maxmemory-samples", 5, 1, INT_MAX),
    _i("maxmemory-eviction-tenacity", 10, 0, 100),
    Param("maxmemory-clients", "memory_percent", 0, 0, LLONG_MAX),
    _i("lfu-log-factor", 10, 0, INT_MAX),
    _i("lfu-decay-time", 1, 0, INT_MAX),
    _i("active-expire-effort", 1, 1, 10),
    _i("hash-max-listpack-entries", 512, 0, LONG_MAX, aliases=("hash-max-ziplist-entries",)),
    _m("hash-max-listpack-value", 64, aliases=("hash-max-ziplist-value",)),
    _i("set-max-intset-entries", 512, 0, LONG_MAX),
    _i("zset-max-listpack-entries", 128, 0, LONG_MAX, aliases=("zset-max-ziplist-entries",)),
    _m("zset-max-listpack-value", 64, aliases=("zset-max-ziplist-value",)),
    _i("list-max-listpack-size", -2, INT_MIN, INT_MAX, aliases=("list-max-ziplist-size",)),
    _i("list-compress-depth", 0, 0, INT_MAX),
    _m("stream-node-max-bytes", 4096),
    _i("stream-node-max-entries", 100, 0, LLONG_MAX),
    _m("hll-sparse-max-bytes", 3000),
    Param("notify-keyspace-events", "notify", 0, apply=_apply_policy),
    _m("proto-max-bulk-len", 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
    _m("client-query-buffer-limit", 1024 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
    _i("slowlog-log-slower-than", 10000, -1, LLONG_MAX),
    _i("slowlog-max-len", 128, 0, LONG_MAX),
    _i("latency-monitor-threshold", 0, 0, LLONG_MAX),
    _b("latency-tracking", True),
    Param("latency-tracking-info-percentiles", "percentiles", [50.0, 99.0, 99.9]),
    _i("busy-reply-threshold", 5000, 0, LONG_MAX, aliases=("lua-time-limit",)),
    _b("lazyfree-lazy-eviction", False),
    _b("lazyfree-lazy-expire", False),
    _b("lazyfree-lazy-server-del", False),
    _b("lazyfree-lazy-user-del", False),
    _b("lazyfree-lazy-user-flush", False),
    _b("activerehashing", True),
    _s("requirepass", "", apply=_apply_requirepass),
    _i("maxclients", 10000, 1, UINT_MAX),
    _i("timeout", 0, 0, INT_MAX),
    _i("tracking-table-max-keys", 1000000, 0, LONG_MAX),
    _e("enable-debug-command", "no", PROTECTED_ACTION, immutable=True),
    _e("enable-module-command", "no", PROTECTED_ACTION, immutable=True),
    _e("enable-protected-configs", "no", PROTECTED_ACTION, immutable=True),
    # -- persistence ------------------------------------------------------------------------
    Param("save", "save", [(3600, 1), (300, 100), (60, 10000)]),
    _b("stop-writes-on-bgsave-error", True),
    _b("rdbcompression", True),
    _b("rdbchecksum", True, immutable=True),
    _s("dbfilename", "dump.rdb", protected=True),
    _s("dir", ".", protected=True),
    _b("rdb-del-sync-files", False),
    _b("rdb-save-incremental-fsync", True),
    _e("sanitize-dump-payload", "no", ("no", "yes", "clients")),
    _b("appendonly", False),
    _e("appendfsync", "everysec", ("everysec", "always", "no")),
    _s("appendfilename", "appendonly.aof", immutable=True),
    _s("appenddirname", "appendonlydir", immutable=True),
    _b("no-appendfsync-on-rewrite", False),
    _i("auto-aof-rewrite-percentage", 100, 0, INT_MAX),
    _m("auto-aof-rewrite-min-size", 64 * 1024 * 1024),
    _b("aof-load-truncated", True),
    _b("aof-use-rdb-preamble", True),
    _b("aof-rewrite-incremental-fsync", True),
    _b("aof-timestamp-enabled", False),
    _b("aof-disable-auto-gc", False),
    # -- replication ------------------------------------------------------------------------
    _s("replicaof", "", immutable=True, aliases=("slaveof",)),
    _s("masterauth", ""),
    _s("masteruser", ""),
    _b("replica-serve-stale-data", True, aliases=("slave-serve-stale-data",)),
    _b("replica-read-only", True, aliases=("slave-read-only",)),
    _b("replica-ignore-maxmemory", True, aliases=("slave-ignore-maxmemory",)),
    _b("replica-lazy-flush", False, aliases=("slave-lazy-flush",)),
    _i("replica-priority", 100, 0, INT_MAX, aliases=("slave-priority",)),
    _s("replica-announce-ip", "", aliases=("slave-announce-ip",)),
    _i("replica-announce-port", 0, 0, 65535, aliases=("slave-announce-port",)),
    _b("replica-announced", True),
    _b("replica-ignore-disk-write-errors", False),
    _m("repl-backlog-size", 1024 * 1024, 1, LLONG_MAX),
    _i("repl-backlog-ttl", 3600, 0, LONG_MAX),
    _i("repl-ping-replica-period", 10, 1, INT_MAX, aliases=("repl-ping-slave-period",)),
    _i("repl-timeout", 60, 1, INT_MAX),
    _b("repl-disable-tcp-nodelay", False),
    _b("repl-diskless-sync", True),
    _i("repl-diskless-sync-delay", 5, 0, INT_MAX),
    _i("repl-diskless-sync-max-replicas", 0, 0, INT_MAX),
    _e("repl-diskless-load", "disabled", ("disabled", "on-empty-db", "swapdb")),
    _i("min-replicas-to-write", 0, 0, INT_MAX, aliases=("min-slaves-to-write",)),
    _i("min-replicas-max-lag", 10, 0, INT_MAX, aliases=("min-slaves-max-lag",)),
    _e("propagation-error-behavior", "ignore", ("ignore", "panic", "panic-on-replicas")),
    # -- network and process ----------------------------------------------------------------
    _i("port", 6379, 0, 65535),
    _s("bind", "* -::*"),
    _s("bind-source-addr", ""),
    _b("protected-mode", True),
    _i("tcp-backlog", 511, 0, INT_MAX, immutable=True),
    _i("tcp-keepalive", 300, 0, INT_MAX),
    _i("socket-mark-id", 0, 0, UINT_MAX, immutable=True),
    _s("unixsocket", "", immutable=True),
    Param("unixsocketperm", "octal", 0, immutable=True),
    Param("client-output-buffer-limit", "obuf", dict(OBUF_DEFAULT)),
    _i("io-threads", 1, 1, 128, immutable=True),
    _b("io-threads-do-reads", False, immutable=True),
    _b("daemonize", False, immutable=True),
    _e("supervised", "no", ("upstart", "systemd", "auto", "no"), immutable=True),
    _s("pidfile", "", immutable=True),
    _s("logfile", "", immutable=True),
    _e("loglevel", "notice", ("debug", "verbose", "notice", "warning")),
    _b("syslog-enabled", False, immutable=True),
    _s("syslog-ident", "redis", immutable=True),
    _e("syslog-facility", "local0", ("user", "local0", "local1", "local2", "local3", "local4",
                                      "local5", "local6", "local7"), immutable=True),
    _b("always-show-logo", False, immutable=True),
    _b("set-proc-title", True, immutable=True),
    _s("proc-title-template", "{title} {listen-addr} {server-mode}"),
    _b("crash-log-enabled", True),
    _b("crash-memcheck-enabled", True),
    _b("disable-thp", True, immutable=True),
    _b("jemalloc-bg-thread", True),
    _e("oom-score-adj", "no", ("no", "yes", "relative", "absolute")),
    Param("oom-score-adj-values", "oomvals", [0, 200, 800]),
    _s("server_cpulist", "", immutable=True),
    _s("bio_cpulist", "", immutable=True),
    _s("aof_rewrite_cpulist", "", immutable=True),
    _s("bgsave_cpulist", "", immutable=True),
    _s("ignore-warnings", ""),
    Param("shutdown-on-sigint", "enum_multi", "default", choices=SHUTDOWN_FLAGS),
    Param("shutdown-on-sigterm", "enum_multi", "default", choices=SHUTDOWN_FLAGS),
    _i("shutdown-timeout", 10, 0, INT_MAX),
    _s("aclfile", "", immutable=True),
    _i("acllog-max-len", 128, 0, LONG_MAX),
    _e("acl-pubsub-default", "resetchannels", ("allchannels", "resetchannels")),
    # -- active defrag ----------------------------------------------------------------------
    _b("activedefrag", False),
    _m("active-defrag-ignore-bytes", 100 * 1024 * 1024, 1, LLONG_MAX),
    _i("active-defrag-threshold-lower", 10, 0, 1000),
    _i("active-defrag-threshold-upper", 100, 0, 1000),
    _i("active-defrag-cycle-min", 1, 1, 99),
    _i("active-defrag-cycle-max", 25, 1, 99),
    _i("active-defrag-max-scan-fields", 1000, 1, LONG_MAX),
    # -- cluster ----------------------------------------------------------------------------
    _b("cluster-enabled", False, immutable=True),
    _s("cluster-config-file", "nodes.conf", immutable=True),
    _i("cluster-port", 0, 0, 65535, immutable=True),
    _i("cluster-node-timeout", 15000, 0, LLONG_MAX),
    _i("cluster-replica-validity-factor", 10, 0, INT_MAX,
       aliases=("cluster-slave-validity-factor",)),
    _i("cluster-migration-barrier", 1, 0, INT_MAX),
    _b("cluster-require-full-coverage", True),
    _b("cluster-replica-no-failover", False, aliases=("cluster-slave-no-failover",)),
    _b("cluster-allow-reads-when-down", False),
    _b("cluster-allow-pubsubshard-when-down", True),
    _b("cluster-allow-replica-migration", True),
    _s("cluster-announce-ip", ""),
    _s("cluster-announce-hostname", ""),
    _i("cluster-announce-port", 0, 0, 65535),
    _i("cluster-announce-bus-port", 0, 0, 65535),
    _i("cluster-announce-tls-port", 0, 0, 65535),
    _e("cluster-preferred-endpoint-type", "ip", ("ip", "hostname", "unknown-endpoint")),
    _m("cluster-link-sendbuf-limit", 0, 0, ULLONG_MAX),
    # -- TLS --------------------------------------------------------------------------------
    _i("tls-port", 0, 0, 65535),
    _s("tls-cert-file", ""),
    _s("tls-key-file", ""),
    _s("tls-key-file-pass", ""),
    _s("tls-client-cert-file", ""),
    _s("tls-client-key-file", ""),
    _s("tls-client-key-file-pass", ""),
    _s("tls-dh-params-file", ""),
    _s("tls-ca-cert-file", ""),
    _s("tls-ca-cert-dir", ""),
    _s("tls-protocols", ""),
    _s("tls-ciphers", ""),
    _s("tls-ciphersuites", ""),
    _b("tls-prefer-server-ciphers", False),
    _b("tls-session-caching", True),
    _i("tls-session-cache-size", 20480, 0, INT_MAX),
    _i("tls-session-cache-timeout", 300, 0, INT_MAX),
    _b("tls-cluster", False),
    _b("tls-replication", False),
    _e("tls-auth-clients", "yes", ("no", "yes", "optional")),
]

# every name (canonical or alias) -> its parameter
PARAM_BY_NAME: dict[str, Param] = {}
for _p in PARAMS:
    for _n in _p.names:
        assert _n not in PARAM_BY_NAME, _n
        PARAM_BY_NAME[_n] = _p

# every name in table order (canonical names first, as CONFIG GET * lists them here)
ALL_NAMES: tuple[str, ...] = tuple(n for p in PARAMS for n in p.names)


def _is_pattern(name: bytes) -> bool:
    return any(ch in name for ch in b"*?[")


class Config:
    """The live values of one engine. Attribute per parameter (``hash_max_listpack_entries``).

    Assigning an attribute (``engine.config.hz = 50``) parses, validates and applies the
    value like CONFIG SET, but as the configuration file would: immutable and protected
    parameters are allowed."""

    def __init__(self, engine: Any, overrides: dict | None = None):
        object.__setattr__(self, "_engine", engine)
        for p in PARAMS:
            d = p.default
            object.__setattr__(self, p.attr, list(d) if isinstance(d, list) else
                               (dict(d) if isinstance(d, dict) else d))
        for name, value in (overrides or {}).items():
            p = PARAM_BY_NAME.get(str(name).lower().replace("_", "-")) or PARAM_BY_NAME.get(
                str(name).lower())
            if p is None:
                raise ValueError(f"unknown config parameter {name!r}")
            object.__setattr__(self, p.attr, self._parse(p, _raw(value)))

    def _parse(self, p: Param, raw: bytes) -> Any:
        if p.kind == "obuf":
            v = parse_obuf(raw.decode("utf-8", "surrogateescape"), getattr(self, p.attr))
        else:
            v = p.parse(raw)
        if p.normalize is not None:
            v = p.normalize(v)
        return v

    def get(self, name: str) -> Any:
        return getattr(self, PARAM_BY_NAME[name].attr)

    def get_bytes(self, name: str) -> bytes:
        """The CONFIG GET text of one parameter."""
        p = PARAM_BY_NAME[name]
        return p.format(getattr(self, p.attr))

    def config_get(self, patterns: list[bytes]) -> dict[bytes, bytes]:
        """CONFIG GET: every parameter name (or alias) matching any pattern, name -> value.

        An exact name is echoed as typed; names are de-duplicated case-insensitively."""
        found: dict[bytes, tuple[bytes, Param]] = {}
        for pat in patterns:
            if not _is_pattern(pat):
                low = pat.lower()
                if low in found:
                    continue
                p = PARAM_BY_NAME.get(low.decode("utf-8", "surrogateescape"))
                if p is not None:
                    found[low] = (pat, p)
                continue
            for name in ALL_NAMES:
                bname = name.encode()
                if bname in found:
                    continue
                if stringmatch(pat, bname, nocase=True):
                    found[bname] = (bname, PARAM_BY_NAME[name])
        return {shown: p.format(getattr(self, p.attr)) for shown, p in found.values()}

    def config_set(self, pairs: list[tuple[bytes, bytes]], check_flags: bool = True) -> None:
        """CONFIG SET name value [name value ...]: check all names, parse all values, apply
        all, or change nothing."""
        engine = self._engine
        chosen: list[tuple[Param, str, bytes]] = []
        seen: set[str] = set()
        first_error: str | None = None
        for rawname, rawval in pairs:
            typed = rawname.decode("utf-8", "surrogateescape")
            low = typed.lower()
            p = PARAM_BY_NAME.get(low)
            if p is None:
                if first_error is None:
                    first_error = errors.CONFIG_SET_UNKNOWN.format(typed)
                continue
            if first_error is not None:
                continue
            if check_flags and (p.immutable or (p.protected and not _protected_allowed(engine))):
                first_error = errors.CONFIG_SET_FAILED.format(
                    typed, "can't set immutable config" if p.immutable
                    else "can't set protected config")
                continue
            if low in seen:
                first_error = errors.CONFIG_SET_FAILED.format(typed, "duplicate parameter")
                continue
            seen.add(low)
            chosen.append((p, low, rawval))
        if first_error is not None:
            raise ReplyError(first_error)
        old = [(p, getattr(self, p.attr)) for p, _, _ in chosen]
        hooks: list[Callable] = []
        for i, (p, low, rawval) in enumerate(chosen):
            try:
                v = self._parse(p, rawval)
            except ValueError as exc:
                for q, ov in old[:i]:
                    object.__setattr__(self, q.attr, ov)
                raise ReplyError(errors.CONFIG_SET_FAILED.format(low, exc)) from None
            if v != old[i][1] and p.apply is not None and p.apply not in hooks:
                hooks.append(p.apply)
            object.__setattr__(self, p.attr, v)
        try:
            for h in hooks:
                h(engine)
        except ValueError as exc:  # restore every old value, as restoreBackupConfig does
            for p, v in old:
                object.__setattr__(self, p.attr, v)
            for h in hooks:
                h(engine)
            raise ReplyError(errors.CONFIG_SET_FAILED.format(chosen[0][1], exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:  # keep hooks in one path
        p = PARAM_BY_NAME.get(name.replace("_", "-")) or PARAM_BY_NAME.get(name)
        if p is None:
            raise AttributeError(name)
        raw = p.format(value) if not isinstance(value, (str, bytes)) else _raw(value)
        self.config_set([(p.name.encode(), raw)], check_flags=False)


def _raw(value: Any) -> bytes:
    if isinstance(value, bool):
        return b"yes" if value else b"no"
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _protected_allowed(engine: Any) -> bool:
    """``allowProtectedAction``: enable-protected-configs yes, or local for a local client
    (every in-process client is local). ``engine.enable_protected_configs`` forces it."""
    if getattr(engine, "enable_protected_configs", False):
        return True
    cfg = getattr(engine, "config", None)
    return cfg is not None and getattr(cfg, "enable_protected_configs", "no") in ("yes", "local")
