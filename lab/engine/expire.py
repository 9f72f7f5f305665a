"""Expiry (``expire.c``): placeholder until the active cycle lands in this session."""

ACTIVE_EXPIRE_CYCLE_SLOW = 0
ACTIVE_EXPIRE_CYCLE_FAST = 1


class ExpireState:
    def __init__(self) -> None:
        self.timelimit_exit = False
        self.acceptable_stale = 10


def active_expire_cycle(engine, kind: int) -> None:
    return None
