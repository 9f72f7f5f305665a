"""Probes: internals Redis does not expose, published as plain records.

``engine.probe("evict").subscribe(fn)`` calls ``fn(record)`` for every event; a probe also
keeps the last ``maxlen`` records in ``probe.trace`` once ``probe.record(maxlen)`` was
called. Publishing costs one attribute check when nobody listens, so probes can sit on
hot paths.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any


class Probe:
    __slots__ = ("active", "name", "subscribers", "trace")

    def __init__(self, name: str):
        self.name = name
        self.subscribers: list[Callable[[dict], Any]] = []
        self.trace: deque | None = None
        self.active = False

    def subscribe(self, fn: Callable[[dict], Any]) -> Callable[[], None]:
        """Call ``fn(record)`` for each event; returns an unsubscribe function."""
        self.subscribers.append(fn)
        self.active = True

        def unsubscribe() -> None:
            if fn in self.subscribers:
                self.subscribers.remove(fn)
            self.active = bool(self.subscribers) or self.trace is not None

        return unsubscribe

    def record(self, maxlen: int = 10000) -> deque:
        """Start keeping the last ``maxlen`` records in ``self.trace`` and return it."""
        self.trace = deque(maxlen=maxlen)
        self.active = True
        return self.trace

    def publish(self, record: dict) -> None:
        if self.trace is not None:
            self.trace.append(record)
        for fn in self.subscribers:
            fn(record)


class ProbeHub:
    __slots__ = ("_probes",)

    def __init__(self) -> None:
        self._probes: dict[str, Probe] = {}

    def __call__(self, name: str) -> Probe:
        p = self._probes.get(name)
        if p is None:
            p = self._probes[name] = Probe(name)
        return p

    def names(self) -> list[str]:
        return sorted(self._probes)
