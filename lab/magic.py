"""``%redis`` / ``%%redis``: type Redis commands in a notebook, see what redis-cli shows.

``%load_ext lab`` registers both. Each line of a ``%%redis`` cell is one command, split
and printed exactly as ``redis-cli`` does when the same lines are typed at (or piped into)
its prompt in ``--no-raw`` mode (``lab/cli.py``). A cell is one redis-cli session: one
connection for the whole cell, replies printed in order as they come, an error reply
printed as ``(error) ...`` and the next line run anyway, ``N command`` repeats a command,
``quit`` ends the cell. ``%redis <command>`` runs one line.

Options (before the command of ``%redis``, on the ``%%redis`` line)::

    -3 / -2               speak RESP3 (HELLO 3 first) / force RESP2
    -n N, --db N          SELECT N first
    -e VAR, --engine VAR  run on VAR from the notebook's namespace: an Engine, an engine
                          connection (Client), a lab client (lab.connect()), a redis.Redis
                          to a real server, or a redis:// URL string
    -u URL, --url URL     a real server, redis://[[user]:password@]host[:port][/db]

Target: by default the module's engine (``default_engine()``, created on first use);
``use(x)`` makes ``x`` (any of the ``-e`` kinds) the default for later cells.

Connections: an ``Engine`` target gets a fresh connection per cell (closed at the end of
the cell), as each redis-cli run is a new connection; a ``Client`` target is used as is
and keeps its state (selected db, MULTI, protocol) between cells; a lab client's engine
is used with that client's db and protocol. Real servers are spoken to over a plain RESP
socket, so RESP3 types (maps, sets, doubles) are printed as redis-cli prints them.

Not reproduced: redis-cli's own prompt commands (HELP, CLEAR, CONNECT, :set), the
pub/sub "Reading messages..." mode, MONITOR streaming, colours and the prompt itself.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .cli import EngineTarget, Session, SocketTarget
from .engine.connection import Client
from .engine.server import Engine

__all__ = ["default_engine", "load_ipython_extension", "make_target",
           "run_cell", "unload_ipython_extension", "use"]

_default_engine: Engine | None = None
_target: Any = None  # what use() was given; None = the default engine


def default_engine() -> Engine:
    """The engine ``%%redis`` runs on unless told otherwise (created on first use)."""
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


def use(target: Any = None) -> None:
    """Make ``target`` the default for later cells: an ``Engine``, a ``Client``, a lab
    client, a ``redis.Redis`` to a real server or a ``redis://`` URL; ``None`` goes back
    to ``default_engine()``."""
    global _target
    if target is not None:
        make_target(target)  # reject what cannot be used now, not at the next cell
    _target = target


def make_target(obj: Any = None, resp: int | None = None, db: int | None = None):
    """The ``EngineTarget`` / ``SocketTarget`` a cell runs on."""
    if obj is None:
        obj = _target if _target is not None else default_engine()
    if isinstance(obj, (Engine, Client)):
        return EngineTarget(obj, resp, db)
    if isinstance(obj, str):
        return SocketTarget.from_url(obj, resp, db)
    engine = getattr(obj, "engine", None)
    if isinstance(engine, Engine) and hasattr(obj, "_lab_db"):  # lab.connect()
        if resp is None and getattr(obj, "_lab_resp3", False):
            resp = 3
        return EngineTarget(engine, resp, obj._lab_db if db is None else db)
    pool = getattr(obj, "connection_pool", None)
    if pool is not None:  # a redis.Redis to a real server
        if "SSL" in getattr(pool, "connection_class", type).__name__:
            raise TypeError("%%redis speaks plain RESP; TLS connections are not supported")
        kw = pool.connection_kwargs
        if resp is None and str(kw.get("protocol") or 2) == "3":
            resp = 3
        return SocketTarget(kw.get("host", "localhost"), int(kw.get("port", 6379)),
                            path=kw.get("path"), username=kw.get("username"),
                            password=kw.get("password"), resp=resp,
                            db=kw.get("db") if db is None else db)
    raise TypeError(f"%%redis cannot run commands on {type(obj).__name__!r}; give an Engine, "
                    "a Client, a lab client, a redis.Redis or a redis:// URL")


def run_cell(script: str, target: Any = None, *, resp: int | None = None,
             db: int | None = None, write=None) -> None:
    """Run ``script`` (lines of commands) and write what redis-cli would print.

    >>> e = Engine()
    >>> run_cell('SET greeting "hello world"\\nGET greeting\\nINCR greeting', e)
    OK
    "hello world"
    (error) ERR value is not an integer or out of range
    """
    t = make_target(target, resp, db)
    if write is None:
        def write(data: bytes) -> None:
            sys.stdout.write(data.decode("utf-8", "replace"))
    Session(t, write).run(script)


# --- options -------------------------------------------------------------------------------

_WORD = re.compile(r"\s*(\S+)")
_WITH_VALUE = {"-n": "db", "--db": "db", "-e": "engine", "--engine": "engine",
               "-u": "url", "--url": "url"}


class OptionError(ValueError):
    pass


def parse_options(line: str, allow_command: bool) -> tuple[dict, str]:
    """Leading options of a magic line -> (options, the rest of the line, untouched).

    >>> parse_options("-3 --db 2 HSET h f 'a b'", True)
    ({'resp': 3, 'db': 2}, "HSET h f 'a b'")
    """
    opts: dict[str, Any] = {}
    pos = 0
    while True:
        m = _WORD.match(line, pos)
        if m is None:
            return opts, ""
        word = m.group(1)
        if word in ("-3", "-2"):
            opts["resp"] = int(word[1])
            pos = m.end()
        elif word in _WITH_VALUE:
            v = _WORD.match(line, m.end())
            if v is None:
                raise OptionError(f"option {word} needs a value")
            name = _WITH_VALUE[word]
            if name == "db":
                try:
                    opts["db"] = int(v.group(1))
                except ValueError:
                    raise OptionError(f"{word} needs a database number, not "
                                      f"{v.group(1)!r}") from None
            else:
                opts[name] = v.group(1)
            pos = v.end()
        elif word == "--":
            return opts, line[m.end():].lstrip()
        elif word.startswith("-") and not allow_command:
            raise OptionError(f"unknown option {word!r}")
        elif word.startswith("-") and re.fullmatch(r"--?[a-z][a-z-]*", word):
            raise OptionError(f"unknown option {word!r} (put -- before a command that "
                              "starts with '-')")
        else:
            if not allow_command:
                raise OptionError(f"unexpected {word!r} on the %%redis line; commands go "
                                  "in the cell body")
            return opts, line[m.start(1):]
        if "engine" in opts and "url" in opts:
            raise OptionError("give either -e/--engine or -u/--url, not both")


# --- IPython ---------------------------------------------------------------------------------


def _make_magics_class():
    from IPython.core.error import UsageError
    from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand

    @magics_class
    class RedisMagics(Magics):
        """``%redis CMD ...`` and ``%%redis [options]`` (see ``lab.magic``)."""

        @no_var_expand  # {braces} and $dollars are Redis arguments, not Python
        @line_cell_magic
        def redis(self, line: str, cell: str | None = None) -> None:
            try:
                opts, rest = parse_options(line, allow_command=cell is None)
            except OptionError as exc:
                raise UsageError(str(exc)) from None
            script = rest if cell is None else cell
            target: Any = None
            if "engine" in opts:
                name = opts["engine"]
                ns = self.shell.user_ns if self.shell is not None else {}
                if name not in ns:
                    raise UsageError(f"no variable {name!r} in the notebook")
                target = ns[name]
            elif "url" in opts:
                target = opts["url"]
            try:
                t = make_target(target, opts.get("resp"), opts.get("db"))
            except (TypeError, ValueError) as exc:
                raise UsageError(str(exc)) from None

            def write(data: bytes) -> None:
                sys.stdout.write(data.decode("utf-8", "replace"))

            Session(t, write).run(script)
            sys.stdout.flush()

    return RedisMagics


_magics_class = None


def __getattr__(name: str):
    # RedisMagics needs IPython; build it only when asked for
    global _magics_class
    if name == "RedisMagics":
        if _magics_class is None:
            _magics_class = _make_magics_class()
        return _magics_class
    raise AttributeError(name)


def load_ipython_extension(ipython) -> None:
    """``%load_ext lab``: register ``%redis`` and ``%%redis``."""
    ipython.register_magics(__getattr__("RedisMagics"))


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext lab``: remove ``%redis`` and ``%%redis``."""
    magics = ipython.magics_manager.magics
    for kind in ("line", "cell"):
        magics[kind].pop("redis", None)
