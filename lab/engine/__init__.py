"""The in-kernel Redis 7.0 engine. Importing this package fills the command table."""

from . import (  # noqa: F401  (each module registers its commands)
    bitops,
    blocking,
    dump,
    expire,
    functions,
    geo,
    hashes,
    hyperloglog,
    keys,
    lists,
    memory,
    multi,
    networking,
    persistence,
    pubsub,
    scripting,
    server_cmds,
    sets,
    sort,
    streams,
    strings,
    zsets,
)
from .connection import Client
from .errors import ReplyError
from .reply import NULL_ARRAY, RSet, Status, Verbatim
from .server import Engine

__all__ = ["NULL_ARRAY", "Client", "Engine", "RSet", "ReplyError", "Status", "Verbatim"]
