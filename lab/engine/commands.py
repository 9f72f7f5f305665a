"""The command table: every command declared once, as data, next to its handler.

Mirrors Redis 7.0's ``commands/*.json`` + ``server.c:populateCommandTable`` (our own
table, written from the documentation, not copied). One ``CommandSpec`` drives dispatch
(arity, flags for MULTI/OOM/readonly decisions), ``COMMAND INFO/DOCS/LIST/COUNT``, and the
tests. Handlers are ``fn(client, argv) -> reply`` where ``argv`` is a list of bytes with
the command name first; their docstring's first line is the syntax line.

Usage::

    @command("get", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string",
             complexity="O(1)", since="1.0.0")
    def get_command(c, argv):
        '''GET key'''
        ...

    config = container("config", group="server", since="2.0.0")

    @subcommand(config, "get", arity=-3, flags="admin noscript loading stale")
    def config_get(c, argv): ...
"""

from __future__ import annotations

from collections.abc import Callable

# Flags as 7.0's COMMAND INFO spells them.
KNOWN_FLAGS = frozenset(
    """write readonly denyoom module admin pubsub noscript blocking loading stale
    skip_monitor skip_slowlog asking fast no_auth may_replicate sentinel only_sentinel
    no_mandatory_keys protected touches_arbitrary_keys no_async_loading no_multi
    movablekeys allow_busy""".split()
)


class CommandSpec:
    """One command (or one subcommand: ``name`` is then ``"parent|sub"``)."""

    __slots__ = (
        "acl",
        "arity",
        "bytes_name",
        "complexity",
        "first_key",
        "flags",
        "group",
        "is_denyoom",
        "is_fast",
        "is_noscript",
        "is_protected",
        "is_readonly",
        "is_write",
        "last_key",
        "name",
        "no_multi",
        "parent",
        "proc",
        "since",
        "step",
        "subcommands",
        "summary",
        "syntax",
        "tips",
    )

    def __init__(self, name: str, proc: Callable | None, arity: int, flags: str = "",
                 keys: tuple[int, int, int] = (0, 0, 0), group: str = "generic",
                 complexity: str = "O(1)", since: str = "1.0.0", summary: str = "",
                 acl: str = "", tips: str = ""):
        fl = frozenset(flags.split())
        unknown = fl - KNOWN_FLAGS
        if unknown:
            raise ValueError(f"{name}: unknown flags {sorted(unknown)}")
        self.name = name
        self.bytes_name = name.encode()
        self.proc = proc
        self.arity = arity
        self.flags = fl
        self.first_key, self.last_key, self.step = keys
        self.group = group
        self.complexity = complexity
        self.since = since
        doc = (proc.__doc__ or "").strip() if proc is not None else ""
        self.syntax = doc.splitlines()[0].strip() if doc else name.upper()
        rest = [ln.strip() for ln in doc.splitlines()[1:] if ln.strip()]
        self.summary = summary or (rest[0] if rest else "")
        self.subcommands: dict[bytes, CommandSpec] | None = None
        self.parent: CommandSpec | None = None
        self.acl = tuple(acl.split())
        self.tips = tuple(tips.split())
        self.is_write = "write" in fl
        self.is_denyoom = "denyoom" in fl
        self.is_readonly = "readonly" in fl
        self.is_fast = "fast" in fl
        self.is_noscript = "noscript" in fl
        self.no_multi = "no_multi" in fl
        self.is_protected = "protected" in fl

    @property
    def fullname(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<CommandSpec {self.name} arity={self.arity}>"


# name (lowercase bytes) -> spec. Module-level: the command set is static; per-engine
# state (stats, renames) lives on the Engine.
COMMAND_TABLE: dict[bytes, CommandSpec] = {}


def command(name: str, arity: int, flags: str = "", keys: tuple[int, int, int] = (0, 0, 0),
            group: str = "generic", complexity: str = "O(1)", since: str = "1.0.0",
            summary: str = "", acl: str = "", tips: str = "") -> Callable:
    """Register a top-level command; the decorated function is its handler."""

    def deco(fn: Callable) -> Callable:
        key = name.lower().encode()
        if key in COMMAND_TABLE:
            raise ValueError(f"command {name} declared twice")
        COMMAND_TABLE[key] = CommandSpec(name.lower(), fn, arity, flags, keys, group,
                                         complexity, since, summary, acl, tips)
        return fn

    return deco


def container(name: str, group: str = "generic", since: str = "1.0.0", summary: str = "",
              arity: int = -2) -> CommandSpec:
    """Declare a command with subcommands (CONFIG, OBJECT, ...)."""
    key = name.lower().encode()
    if key in COMMAND_TABLE:
        raise ValueError(f"command {name} declared twice")
    spec = CommandSpec(name.lower(), None, arity, "", (0, 0, 0), group, "", since, summary)
    spec.subcommands = {}
    COMMAND_TABLE[key] = spec
    return spec


def subcommand(parent: CommandSpec, name: str, arity: int, flags: str = "",
               keys: tuple[int, int, int] = (0, 0, 0), complexity: str = "O(1)",
               since: str | None = None, summary: str = "", acl: str = "",
               tips: str = "") -> Callable:
    """Register ``parent name`` (arity counts the parent's name too, as in Redis)."""

    def deco(fn: Callable) -> Callable:
        sub = name.lower()
        spec = CommandSpec(f"{parent.name}|{sub}", fn, arity, flags, keys, parent.group,
                           complexity, since or parent.since, summary, acl, tips)
        spec.parent = parent
        assert parent.subcommands is not None
        parent.subcommands[sub.encode()] = spec
        return fn

    return deco


def lookup_command(argv: list[bytes]) -> CommandSpec | None:
    """``lookupCommand``: the spec for argv (resolving a subcommand), or None."""
    spec = COMMAND_TABLE.get(argv[0].lower())
    if spec is None or spec.subcommands is None or len(argv) < 2:
        return spec
    return spec.subcommands.get(argv[1].lower())
