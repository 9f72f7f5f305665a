"""Configuration parameters (``config.c``): one declarative table, CONFIG GET/SET rules.

Each parameter has a type (integer, memory, bool, enum, string, special), a default, a
valid range, aliases (the 6.x ``*-ziplist-*`` names), and an optional ``apply`` hook that
refreshes derived engine state (``hz`` -> cron period, ``maxmemory-policy`` -> touch mode).
Values are stored as attributes with underscores (``config.maxmemory_samples``) so hot
paths read them with one attribute access.

CONFIG SET of several parameters is atomic as in 7.0: all are parsed first, then all
applied, and a failed apply rolls back the ones already applied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors
from .errors import ReplyError
from .util import string2ll, stringmatch

LLONG_MAX = 9223372036854775807
INT_MAX = 2147483647


class Param:
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
        "protected",
    )

    def __init__(self, name: str, kind: str, default: Any, lo: int = 0, hi: int = LLONG_MAX,
                 choices: tuple[str, ...] = (), aliases: tuple[str, ...] = (),
                 apply: Callable | None = None, immutable: bool = False, protected: bool = False):
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

    # -- value <-> text -----------------------------------------------------------------
    def format(self, v: Any) -> bytes:
        k = self.kind
        if k == "bool":
            return b"yes" if v else b"no"
        if k in ("int", "memory"):
            return b"%d" % v
        if k == "enum":
            return v.encode()
        if k == "string":
            return v.encode() if isinstance(v, str) else v
        if k == "save":
            return " ".join(f"{s} {c}" for s, c in v).encode()
        if k == "notify":
            return notify_flags_to_string(v).encode()
        raise AssertionError(k)

    def parse(self, raw: bytes) -> Any:
        """Parse a CONFIG SET / config-file value; raise ValueError(reason) when invalid."""
        k = self.kind
        text = raw.decode("utf-8", "replace")
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
                v2 = string2ll(raw)
                if v2 is None or v2 >= 0:
                    raise ValueError("argument must be a memory value")
                v = v2
            return self._range(v)
        if k == "enum":
            t = text.lower()
            if t in self.choices:
                return t
            raise ValueError("argument(s) must be one of the following: " + ", ".join(self.choices))
        if k == "string":
            return text
        if k == "save":
            return parse_save(text)
        if k == "notify":
            v = notify_flags_from_string(text)
            if v is None:
                raise ValueError("Invalid event class character. Use 'Ag$lshzxeKEtmd'.")
            return v
        raise AssertionError(k)

    def _range(self, v: int) -> int:
        if v < self.lo or v > self.hi:
            raise ValueError(f"argument must be between {self.lo} and {self.hi} inclusive")
        return v


def memtoull(s: str) -> int | None:
    """``util.c:memtoull``: ``<digits>[b|k|kb|m|mb|g|gb]`` (k=1000, kb=1024).

    >>> memtoull("100mb"), memtoull("1k"), memtoull("1.5gb"), memtoull("-1")
    (104857600, 1000, None, None)
    """
    i = 0
    while i < len(s) and s[i].isdigit():
        i += 1
    digits, unit = s[:i], s[i:].lower()
    mul = {"": 1, "b": 1, "k": 1000, "kb": 1024, "m": 10**6, "mb": 1 << 20, "g": 10**9,
           "gb": 1 << 30}.get(unit)
    if mul is None or not digits or len(digits) > 127:
        return None
    v = int(digits) * mul
    return v if v <= 0xFFFFFFFFFFFFFFFF else None


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
    """``keyspaceEventsFlagsToString``: ``A`` for the whole class set, else each class
    letter, then ``K``, ``E``, ``m``."""
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


def _apply_policy(engine: Any) -> None:
    engine.refresh_policy()


def _apply_hz(engine: Any) -> None:
    engine.refresh_hz()


PARAMS: list[Param] = [
    Param("databases", "int", 16, 1, INT_MAX, immutable=True),
    Param("hz", "int", 10, 0, INT_MAX, apply=_apply_hz),
    Param("dynamic-hz", "bool", True),
    Param("maxmemory", "memory", 0, 0, LLONG_MAX, apply=_apply_policy),
    Param("maxmemory-policy", "enum", "noeviction", choices=POLICIES, apply=_apply_policy),
    Param("maxmemory-samples", "int", 5, 1, 64),
    Param("maxmemory-eviction-tenacity", "int", 10, 0, 100),
    Param("lfu-log-factor", "int", 10, 0, INT_MAX),
    Param("lfu-decay-time", "int", 1, 0, INT_MAX),
    Param("active-expire-effort", "int", 1, 1, 10),
    Param("hash-max-listpack-entries", "memory", 512, 0, LLONG_MAX, aliases=("hash-max-ziplist-entries",)),
    Param("hash-max-listpack-value", "memory", 64, 0, LLONG_MAX, aliases=("hash-max-ziplist-value",)),
    Param("set-max-intset-entries", "memory", 512, 0, LLONG_MAX),
    Param("zset-max-listpack-entries", "memory", 128, 0, LLONG_MAX, aliases=("zset-max-ziplist-entries",)),
    Param("zset-max-listpack-value", "memory", 64, 0, LLONG_MAX, aliases=("zset-max-ziplist-value",)),
    Param("list-max-listpack-size", "int", -2, -2147483648, INT_MAX, aliases=("list-max-ziplist-size",)),
    Param("list-compress-depth", "int", 0, 0, INT_MAX),
    Param("stream-node-max-bytes", "memory", 4096, 0, LLONG_MAX),
    Param("stream-node-max-entries", "int", 100, 0, LLONG_MAX),
    Param("hll-sparse-max-bytes", "memory", 3000, 0, LLONG_MAX),
    Param("notify-keyspace-events", "notify", 0),
    Param("proto-max-bulk-len", "memory", 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
    Param("slowlog-log-slower-than", "int", 10000, -1, LLONG_MAX),
    Param("slowlog-max-len", "int", 128, 0, LLONG_MAX),
    Param("latency-monitor-threshold", "int", 0, 0, LLONG_MAX),
    Param("latency-tracking", "bool", True),
    Param("busy-reply-threshold", "int", 5000, 0, LLONG_MAX, aliases=("lua-time-limit",)),
    Param("lazyfree-lazy-eviction", "bool", False),
    Param("lazyfree-lazy-expire", "bool", False),
    Param("lazyfree-lazy-server-del", "bool", False),
    Param("lazyfree-lazy-user-del", "bool", False),
    Param("lazyfree-lazy-user-flush", "bool", False),
    Param("save", "save", [(3600, 1), (300, 100), (60, 10000)]),
    Param("appendonly", "bool", False),
    Param("appendfsync", "enum", "everysec", choices=("always", "everysec", "no")),
    Param("appendfilename", "string", "appendonly.aof", immutable=True),
    Param("appenddirname", "string", "appendonlydir", immutable=True),
    Param("dbfilename", "string", "dump.rdb", protected=True),
    Param("dir", "string", ".", protected=True),
    Param("rdbcompression", "bool", True),
    Param("rdbchecksum", "bool", True),
    Param("requirepass", "string", ""),
    Param("port", "int", 6379, 0, 65535),
    Param("bind", "string", "* -::*"),
    Param("protected-mode", "bool", True),
    Param("timeout", "int", 0, 0, INT_MAX),
    Param("maxclients", "int", 10000, 1, INT_MAX),
    Param("enable-debug-command", "enum", "no", choices=("no", "yes", "local"), immutable=True,
          protected=True),
    Param("repl-backlog-size", "memory", 1024 * 1024, 1, LLONG_MAX),
    Param("min-replicas-to-write", "int", 0, 0, INT_MAX, aliases=("min-slaves-to-write",)),
    Param("min-replicas-max-lag", "int", 10, 0, INT_MAX, aliases=("min-slaves-max-lag",)),
]

PARAM_BY_NAME: dict[str, Param] = {}
for _p in PARAMS:
    PARAM_BY_NAME[_p.name] = _p
    for _a in _p.aliases:
        PARAM_BY_NAME[_a] = _p


class Config:
    """The live values of one engine. Attribute per parameter (``hash_max_listpack_entries``)."""

    def __init__(self, engine: Any, overrides: dict | None = None):
        object.__setattr__(self, "_engine", engine)
        for p in PARAMS:
            object.__setattr__(self, p.attr, p.default)
        for name, value in (overrides or {}).items():
            p = PARAM_BY_NAME.get(str(name).lower())
            if p is None:
                raise ValueError(f"unknown config parameter {name!r}")
            raw = value if isinstance(value, bytes) else str(value).encode()
            if isinstance(value, bool):
                raw = b"yes" if value else b"no"
            object.__setattr__(self, p.attr, p.parse(raw))

    def get(self, name: str) -> Any:
        return getattr(self, PARAM_BY_NAME[name].attr)

    def config_get(self, patterns: list[bytes]) -> dict[bytes, bytes]:
        """CONFIG GET: every parameter (or alias) matching any pattern, as name -> value.

        An exact name returns just that name (even an alias); patterns match canonical
        names and aliases, as 7.0 does."""
        out: dict[bytes, bytes] = {}
        for pat in patterns:
            low = pat.lower()
            p = PARAM_BY_NAME.get(low.decode("utf-8", "replace"))
            if p is not None and not any(ch in low for ch in b"*?["):
                out[low] = p.format(getattr(self, p.attr))
                continue
            for name, p in PARAM_BY_NAME.items():
                bname = name.encode()
                if bname not in out and stringmatch(low, bname, nocase=True):
                    out[bname] = p.format(getattr(self, p.attr))
        return out

    def config_set(self, pairs: list[tuple[bytes, bytes]]) -> None:
        """CONFIG SET name value [name value ...]: parse all, then apply all, or none."""
        seen: set[str] = set()
        parsed: list[tuple[Param, Any, bytes]] = []
        for rawname, rawval in pairs:
            name = rawname.decode("utf-8", "replace").lower()
            p = PARAM_BY_NAME.get(name)
            if p is None:
                raise ReplyError(errors.CONFIG_SET_UNKNOWN.format(rawname.decode("utf-8", "replace")))
            if p.immutable or (p.protected and not self._engine.enable_protected_configs):
                raise ReplyError(errors.CONFIG_SET_FAILED.format(
                    rawname.decode("utf-8", "replace"),
                    "can't set immutable config" if p.immutable else "can't set protected config"))
            if p.name in seen:
                raise ReplyError(errors.CONFIG_SET_DUPLICATE.format(rawname.decode("utf-8", "replace")))
            seen.add(p.name)
            try:
                v = p.parse(rawval)
            except ValueError as exc:
                raise ReplyError(errors.CONFIG_SET_FAILED.format(
                    rawname.decode("utf-8", "replace"), exc)) from None
            parsed.append((p, v, rawname))
        old = [(p, getattr(self, p.attr)) for p, _, _ in parsed]
        for p, v, _ in parsed:
            object.__setattr__(self, p.attr, v)
        hooks = []
        for p, _, _ in parsed:
            if p.apply is not None and p.apply not in hooks:
                hooks.append(p.apply)
        try:
            for h in hooks:
                h(self._engine)
        except ValueError as exc:  # roll back, as 7.0's restoreBackupConfig does
            for p, v in old:
                object.__setattr__(self, p.attr, v)
            for h in hooks:
                h(self._engine)
            raise ReplyError(errors.CONFIG_SET_FAILED.format(
                parsed[0][2].decode("utf-8", "replace"), exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:  # keep hooks in one path
        p = PARAM_BY_NAME.get(name.replace("_", "-"))
        if p is None:
            raise AttributeError(name)
        self.config_set([(p.name.encode(), p.format(value))])
