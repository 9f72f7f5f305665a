"""Exercise checks for the chapters.

A check looks at what the reader's code *did* — the state of an engine, the replies a
client gets — never at the code's text, so any correct solution passes. Each check
returns a ``Result`` that prints as one line (``✔``/``✘`` + message) and, on failure, a
hint; ``bool(result)`` tells whether it passed, so tests can assert on it.

Chapters import the checks of their level: ``from lab.exercises import ch01 as check``.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from ..engine import Engine


@dataclass
class Result:
    name: str
    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "✔" if self.passed else "✘"
        text = f"{mark} {self.name}: {self.message}"
        if not self.passed and self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p, cycle) -> None:  # IPython display
        p.text(str(self))


def passed(name: str, message: str) -> Result:
    return Result(name, True, message)


def failed(name: str, message: str, hint: str = "") -> Result:
    return Result(name, False, message, hint)


def engine_of(target) -> Engine:
    """The engine behind a lab client (``lab.connect()``) or an engine itself."""
    if isinstance(target, Engine):
        return target
    e = getattr(target, "engine", None)
    if isinstance(e, Engine):
        return e
    raise TypeError("expected a lab.Engine or a client from lab.connect(engine)")


def client_of(target) -> redis.Redis:
    """A decoding redis-py client for ``target`` (an engine, or a client as it is)."""
    from .. import connect

    if isinstance(target, Engine):
        return connect(target)
    return target
