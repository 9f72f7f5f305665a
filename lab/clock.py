"""Clocks. The engine never reads the wall clock unless it is given a ``WallClock``.

``VirtualClock`` starts at a fixed instant and moves only when told
(``Engine.advance(ms)``), so every notebook and test is reproducible.
"""

from __future__ import annotations

import time

# 2025-01-01T00:00:00Z: a fixed, recognisable instant for every virtual run.
DEFAULT_START_MS = 1_735_689_600_000


class VirtualClock:
    """Deterministic time in microseconds. ``now_ms()`` / ``now_us()`` never move by
    themselves; ``set_us`` moves them (forward only)."""

    virtual = True
    __slots__ = ("_us",)

    def __init__(self, start_ms: int = DEFAULT_START_MS):
        self._us = start_ms * 1000

    def now_us(self) -> int:
        return self._us

    def now_ms(self) -> int:
        return self._us // 1000

    def set_us(self, us: int) -> None:
        if us < self._us:
            raise ValueError("a virtual clock does not go backwards")
        self._us = us

    def __repr__(self) -> str:
        return f"VirtualClock(ms={self.now_ms()})"


class WallClock:
    """Real time, for the RESP server (``python -m lab serve``)."""

    virtual = False
    __slots__ = ()

    def now_us(self) -> int:
        return time.time_ns() // 1000

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def set_us(self, us: int) -> None:
        raise TypeError("the wall clock cannot be moved")
