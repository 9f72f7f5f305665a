"""Redis Lab: an observable Redis 7.0 engine in the Jupyter kernel.

>>> import lab
>>> r = lab.connect()
>>> r.set("greeting", "hello"), r.get("greeting")
(True, 'hello')
"""

from .clock import VirtualClock, WallClock
from .engine import Client, Engine, ReplyError
from .redis_client import connect

__all__ = ["Client", "Engine", "ReplyError", "VirtualClock", "WallClock", "connect", "serve"]


def serve(engine=None, port=0, host="127.0.0.1", **kwargs):
    """Serve ``engine`` over RESP from a background thread (``lab.resp_server.serve``):
    returns a handle with ``.port``, ``.stop()``; a context manager too. asyncio is
    imported only here, so ``import lab`` stays light."""
    from .resp_server import serve as _serve

    return _serve(engine, port=port, host=host, **kwargs)


def load_ipython_extension(ipython):
    """``%load_ext lab``: the ``%redis`` / ``%%redis`` magics (``lab.magic``). IPython is
    imported only here, so ``import lab`` does not need it."""
    from . import magic

    magic.load_ipython_extension(ipython)


def unload_ipython_extension(ipython):
    from . import magic

    magic.unload_ipython_extension(ipython)
