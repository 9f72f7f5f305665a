"""Publish/subscribe (``pubsub.c``): SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs,
PUBLISH, SPUBLISH, PUBSUB.

Subscriptions live on both sides, as in Redis: the engine maps channel (pattern, shard
channel) -> subscribed clients in subscription order, each client keeps its own
channels. A subscription confirmation is the command's reply (one ``Push`` per channel,
so ``SUBSCRIBE a b`` answers two; inside EXEC they land in EXEC's array exactly as Redis
writes them); a message published later reaches each receiver through
``Client.push`` (the RESP server writes it at once; an in-process client finds it in
``client.pending_pushes``). ``Push`` is a RESP3 push (``>``) and a plain array in RESP2.

``Engine.publish(channel, message)`` is PUBLISH from inside the engine: keyspace
notifications reach subscribers through it.

The RESP2 "subscribed context" (only (P|S)(UN)SUBSCRIBE, PING, QUIT, RESET allowed;
PING answers ``["pong", arg]``) is enforced in ``networking.context_error``.

Ordering note: Redis keeps subscriptions in hash tables, so UNSUBSCRIBE with no argument
and PUBSUB CHANNELS answer in (seeded, per-process) hash order; here they answer in
subscription order. Compare them as sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .commands import command, container, subcommand
from .connection import CTX_PUBSUB
from .reply import Push, ReplySeq, Status
from .util import stringmatch

if TYPE_CHECKING:  # pragma: no cover
    from .connection import Client
    from .server import Engine

__all__ = ["publish", "unsubscribe_all"]


def _count(c: Client) -> int:
    """``clientSubscriptionsCount``: channels + patterns (shard channels count apart)."""
    return len(c.pubsub_channels) + len(c.pubsub_patterns)


def _update_flag(c: Client) -> None:
    if c.pubsub_channels or c.pubsub_patterns or c.pubsub_shard_channels:
        c.ctx_flags |= CTX_PUBSUB
    else:
        c.ctx_flags &= ~CTX_PUBSUB


def _subscribe(c: Client, table: dict, mine: dict, name: bytes) -> None:
    if name in mine:
        return
    mine[name] = None
    clients = table.get(name)
    if clients is None:
        clients = table[name] = {}
    clients[c] = None


def _unsubscribe(c: Client, table: dict, mine: dict, name: bytes) -> bool:
    if name not in mine:
        return False
    del mine[name]
    clients = table.get(name)
    if clients is not None:
        clients.pop(c, None)
        if not clients:
            del table[name]
    return True


# -- SUBSCRIBE / UNSUBSCRIBE --------------------------------------------------------------
@command("subscribe", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         complexity="O(N) where N is the number of channels to subscribe to.", since="2.0.0")
def subscribe_command(c, argv):
    """SUBSCRIBE channel [channel ...]
    Listens for messages published to channels."""
    e = c.engine
    out = ReplySeq()
    for ch in argv[1:]:
        _subscribe(c, e.pubsub_channels, c.pubsub_channels, ch)
        out.append(Push([b"subscribe", ch, _count(c)]))
    c.ctx_flags |= CTX_PUBSUB
    return out


@command("unsubscribe", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         complexity="O(N) where N is the number of clients already subscribed to a channel.",
         since="2.0.0")
def unsubscribe_command(c, argv):
    """UNSUBSCRIBE [channel [channel ...]]
    Stops listening to messages posted to channels."""
    e = c.engine
    out = ReplySeq()
    names = argv[1:] if len(argv) > 1 else list(c.pubsub_channels)
    for ch in names:
        _unsubscribe(c, e.pubsub_channels, c.pubsub_channels, ch)
        out.append(Push([b"unsubscribe", ch, _count(c)]))
    if not names:
        out.append(Push([b"unsubscribe", None, _count(c)]))
    _update_flag(c)
    return out


@command("psubscribe", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         complexity="O(N) where N is the number of patterns the client is already subscribed to.",
         since="2.0.0")
def psubscribe_command(c, argv):
    """PSUBSCRIBE pattern [pattern ...]
    Listens for messages published to channels that match one or more patterns."""
    e = c.engine
    out = ReplySeq()
    for pat in argv[1:]:
        _subscribe(c, e.pubsub_patterns, c.pubsub_patterns, pat)
        out.append(Push([b"psubscribe", pat, _count(c)]))
    c.ctx_flags |= CTX_PUBSUB
    return out


@command("punsubscribe", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         complexity="O(N+M) where N is the number of patterns the client is already subscribed "
                    "and M is the number of total patterns subscribed in the system (by any client).",
         since="2.0.0")
def punsubscribe_command(c, argv):
    """PUNSUBSCRIBE [pattern [pattern ...]]
    Stops listening to messages published to channels that match one or more patterns."""
    e = c.engine
    out = ReplySeq()
    names = argv[1:] if len(argv) > 1 else list(c.pubsub_patterns)
    for pat in names:
        _unsubscribe(c, e.pubsub_patterns, c.pubsub_patterns, pat)
        out.append(Push([b"punsubscribe", pat, _count(c)]))
    if not names:
        out.append(Push([b"punsubscribe", None, _count(c)]))
    _update_flag(c)
    return out


@command("ssubscribe", arity=-2, flags="pubsub noscript loading stale", keys=(1, -1, 1),
         group="pubsub", complexity="O(N) where N is the number of shard channels to subscribe to.",
         since="7.0.0")
def ssubscribe_command(c, argv):
    """SSUBSCRIBE shardchannel [shardchannel ...]
    Listens for messages published to shard channels."""
    e = c.engine
    out = ReplySeq()
    for ch in argv[1:]:
        _subscribe(c, e.pubsub_shard_channels, c.pubsub_shard_channels, ch)
        out.append(Push([b"ssubscribe", ch, len(c.pubsub_shard_channels)]))
    c.ctx_flags |= CTX_PUBSUB
    return out


@command("sunsubscribe", arity=-1, flags="pubsub noscript loading stale", keys=(1, -1, 1),
         group="pubsub", complexity="O(N) where N is the number of clients already subscribed to a "
                                    "shard channel.", since="7.0.0")
def sunsubscribe_command(c, argv):
    """SUNSUBSCRIBE [shardchannel [shardchannel ...]]
    Stops listening to messages posted to shard channels."""
    e = c.engine
    out = ReplySeq()
    names = argv[1:] if len(argv) > 1 else list(c.pubsub_shard_channels)
    for ch in names:
        _unsubscribe(c, e.pubsub_shard_channels, c.pubsub_shard_channels, ch)
        out.append(Push([b"sunsubscribe", ch, len(c.pubsub_shard_channels)]))
    if not names:
        out.append(Push([b"sunsubscribe", None, len(c.pubsub_shard_channels)]))
    _update_flag(c)
    return out


def unsubscribe_all(c: Client) -> None:
    """Drop every subscription of ``c`` without replying (disconnect, RESET)."""
    e = c.engine
    for ch in list(c.pubsub_channels):
        _unsubscribe(c, e.pubsub_channels, c.pubsub_channels, ch)
    for pat in list(c.pubsub_patterns):
        _unsubscribe(c, e.pubsub_patterns, c.pubsub_patterns, pat)
    for ch in list(c.pubsub_shard_channels):
        _unsubscribe(c, e.pubsub_shard_channels, c.pubsub_shard_channels, ch)
    c.ctx_flags &= ~CTX_PUBSUB


# -- PUBLISH --------------------------------------------------------------------------------
def publish(e: Engine, channel: bytes, message: bytes) -> int:
    """``pubsubPublishMessage``: channel subscribers, then pattern subscribers; returns
    the number of deliveries."""
    receivers = 0
    clients = e.pubsub_channels.get(channel)
    if clients:
        for c in list(clients):
            c.push(Push([b"message", channel, message]))
            receivers += 1
    if e.pubsub_patterns:
        for pat, pclients in list(e.pubsub_patterns.items()):
            if stringmatch(pat, channel):
                for c in list(pclients):
                    c.push(Push([b"pmessage", pat, channel, message]))
                    receivers += 1
    return receivers


@command("publish", arity=3, flags="pubsub loading stale fast may_replicate", group="pubsub",
         complexity="O(N+M) where N is the number of clients subscribed to the receiving channel "
                    "and M is the total number of subscribed patterns (by any client).",
         since="2.0.0")
def publish_command(c, argv):
    """PUBLISH channel message
    Posts a message to a channel."""
    return publish(c.engine, argv[1], argv[2])


@command("spublish", arity=3, flags="pubsub loading stale fast may_replicate", keys=(1, 1, 1),
         group="pubsub", complexity="O(N) where N is the number of clients subscribed to the "
                                    "receiving shard channel.", since="7.0.0")
def spublish_command(c, argv):
    """SPUBLISH shardchannel message
    Post a message to a shard channel"""
    clients = c.engine.pubsub_shard_channels.get(argv[1])
    if not clients:
        return 0
    n = 0
    for r in list(clients):
        r.push(Push([b"smessage", argv[1], argv[2]]))
        n += 1
    return n


# -- PUBSUB ---------------------------------------------------------------------------------
pubsub = container("pubsub", group="pubsub", since="2.8.0",
                   summary="A container for Pub/Sub commands")

PUBSUB_HELP = [
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
]


@subcommand(pubsub, "help", arity=2, flags="loading stale", since="6.2.0", acl="-pubsub")
def pubsub_help(c, argv):
    """PUBSUB HELP
    Show helpful text about the different subcommands"""
    return [Status(s) for s in PUBSUB_HELP]


def _channels(table: dict, argv) -> list:
    pat = argv[2] if len(argv) > 2 else None
    return [ch for ch in table if pat is None or stringmatch(pat, ch)]


@subcommand(pubsub, "channels", arity=-2, flags="pubsub loading stale",
            complexity="O(N) where N is the number of active channels, and assuming constant "
                       "time pattern matching (relatively short channels and patterns)")
def pubsub_channels(c, argv):
    """PUBSUB CHANNELS [pattern]
    List active channels"""
    return _channels(c.engine.pubsub_channels, argv)


@subcommand(pubsub, "shardchannels", arity=-2, flags="pubsub loading stale", since="7.0.0",
            complexity="O(N) where N is the number of active shard channels, and assuming "
                       "constant time pattern matching (relatively short shard channels).")
def pubsub_shardchannels(c, argv):
    """PUBSUB SHARDCHANNELS [pattern]
    List active shard channels"""
    return _channels(c.engine.pubsub_shard_channels, argv)


@subcommand(pubsub, "numpat", arity=2, flags="pubsub loading stale")
def pubsub_numpat(c, argv):
    """PUBSUB NUMPAT
    Get the count of unique patterns pattern subscriptions"""
    return len(c.engine.pubsub_patterns)


def _numsub(table: dict, argv) -> list:
    out: list = []
    for ch in argv[2:]:
        out.append(ch)
        out.append(len(table.get(ch, ())))
    return out


@subcommand(pubsub, "numsub", arity=-2, flags="pubsub loading stale",
            complexity="O(N) for the NUMSUB subcommand, where N is the number of requested channels")
def pubsub_numsub(c, argv):
    """PUBSUB NUMSUB [channel [channel ...]]
    Get the count of subscribers for channels"""
    return _numsub(c.engine.pubsub_channels, argv)


@subcommand(pubsub, "shardnumsub", arity=-2, flags="pubsub loading stale", since="7.0.0",
            complexity="O(N) for the SHARDNUMSUB subcommand, where N is the number of requested "
                       "shard channels")
def pubsub_shardnumsub(c, argv):
    """PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
    Get the count of subscribers for shard channels"""
    return _numsub(c.engine.pubsub_shard_channels, argv)
