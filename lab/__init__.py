"""Redis Lab: an observable Redis 7.0 engine in the Jupyter kernel.

>>> import lab
>>> r = lab.connect()
>>> r.set("greeting", "hello"), r.get("greeting")
(True, 'hello')
"""

from .clock import VirtualClock, WallClock
from .engine import Client, Engine, ReplyError
from .redis_client import connect

__all__ = ["Client", "Engine", "ReplyError", "VirtualClock", "WallClock", "connect"]
