"""Reply values: how a handler says which RESP type its answer has.

A handler returns plain Python values; their Python type *is* the RESP3 type, and the
RESP2 form is derived from it, the way ``networking.c``'s ``addReply*`` functions pick
the wire form from the client's protocol:

=====================  ======================  ==========================================
Python value           RESP3                   RESP2
=====================  ======================  ==========================================
``bytes``              blob string ``$``       bulk string
``Status`` (a str)     simple string ``+``     simple string
``int``                number ``:``            integer
``bool``               boolean ``#``           integer 1 / 0
``float``              double ``,``            bulk string, ``%.17g`` (7.0's addReplyDouble)
``None``               null ``_``              null bulk ``$-1``
``NULL_ARRAY``         null ``_``              null array ``*-1``
``list``               array ``*``             array
``RSet`` (a list)      set ``~``               array
``dict``               map ``%``               flat array key, value, ...
``Verbatim`` (bytes)   verbatim ``=`` txt      bulk string
``HumanDouble`` (bytes) double ``,`` its text  bulk string (a double Redis formats itself)
``ReplyError``         simple error ``-``      simple error
``Push`` (a list)      push ``>``              array (pub/sub messages, confirmations)
``ReplySeq`` (a list)  its elements, in turn   its elements, in turn
``NO_REPLY``           nothing                 nothing (CLIENT REPLY OFF / SKIP)
=====================  ======================  ==========================================

Rejected alternative: one tagged tuple per reply (``("bulk", b"x")``). Plain values keep
the handlers short and the in-process client fast, and nothing is lost.
"""

from __future__ import annotations

from .errors import ReplyError

__all__ = [
    "NO_REPLY",
    "NULL_ARRAY",
    "OK",
    "PONG",
    "QUEUED",
    "HumanDouble",
    "Push",
    "RSet",
    "ReplyError",
    "ReplySeq",
    "Status",
    "Verbatim",
    "encode_resp",
    "format_double",
    "to_resp2_value",
]


class Status(str):
    """A simple string reply (``+OK``)."""

    __slots__ = ()


class RSet(list):
    """An array that RESP3 sends as a set (``~``); ordered, as Redis sends it."""

    __slots__ = ()


class Verbatim(bytes):
    """A verbatim string (RESP3 ``=`` with format ``txt``); RESP2 sends a bulk string."""

    __slots__ = ()


class HumanDouble(bytes):
    """A double whose text Redis formats itself (``addReplyHumanLongDouble``: GEOPOS and
    WITHCOORD coordinates): RESP3 sends it as ``,<text>``, RESP2 as a bulk string."""

    __slots__ = ()


class _NullArray:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL_ARRAY"

    def __bool__(self) -> bool:
        return False


NULL_ARRAY = _NullArray()


class Push(list):
    """An out-of-band message (pub/sub): RESP3 push ``>``, RESP2 a plain array ``*``."""

    __slots__ = ()


class ReplySeq(list):
    """Several top-level replies written back to back (SUBSCRIBE a b answers one
    confirmation per channel). Encodes as the concatenation of its elements."""

    __slots__ = ()


class _NoReply:
    """The command writes nothing (CLIENT REPLY OFF|SKIP). Encodes as no bytes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_REPLY"


NO_REPLY = _NoReply()
OK = Status("OK")
QUEUED = Status("QUEUED")
PONG = Status("PONG")


def format_double(d: float) -> bytes:
    """Redis 7.0 ``addReplyDouble``: ``inf``/``-inf`` spelled out, else ``%.17g``.

    >>> format_double(1.1)
    b'1.1000000000000001'
    >>> format_double(float("-inf"))
    b'-inf'
    >>> format_double(3.0)
    b'3'
    """
    if d == float("inf"):
        return b"inf"
    if d == float("-inf"):
        return b"-inf"
    return (b"%.17g" % d)


def to_resp2_value(r):
    """Fold RESP3-only types into what a RESP2 client receives (still Python values)."""
    t = type(r)
    if t is bytes or t is int or r is None or t is Status:
        return r
    if t is list or t is RSet:
        return [to_resp2_value(x) for x in r]
    if t is float:
        return format_double(r)
    if t is dict:
        out = []
        for k, v in r.items():
            out.append(to_resp2_value(k))
            out.append(to_resp2_value(v))
        return out
    if t is bool:
        return 1 if r else 0
    if t is Verbatim:
        return bytes(r)
    if t is Push or t is ReplySeq:
        return t(to_resp2_value(x) for x in r)
    if t is HumanDouble:
        return bytes(r)
    return r


def _encode_into(out: list, r, resp: int) -> None:
    t = type(r)
    if t is bytes:
        out.append(b"$%d\r\n%b\r\n" % (len(r), r))
    elif t is int:
        out.append(b":%d\r\n" % r)
    elif t is Status:
        out.append(b"+%b\r\n" % r.encode("utf-8", "surrogateescape"))
    elif r is None:
        out.append(b"$-1\r\n" if resp == 2 else b"_\r\n")
    elif t is list or t is RSet:
        prefix = b"~" if (t is RSet and resp == 3) else b"*"
        out.append(b"%b%d\r\n" % (prefix, len(r)))
        for x in r:
            _encode_into(out, x, resp)
    elif isinstance(r, ReplyError):
        msg = r.message.replace("\r", " ").replace("\n", " ")
        out.append(b"-%b\r\n" % msg.encode("utf-8", "surrogateescape"))
    elif r is NULL_ARRAY:
        out.append(b"*-1\r\n" if resp == 2 else b"_\r\n")
    elif t is float:
        s = format_double(r)
        if resp == 2:
            out.append(b"$%d\r\n%b\r\n" % (len(s), s))
        else:
            out.append(b",%b\r\n" % s)
    elif t is dict:
        if resp == 2:
            out.append(b"*%d\r\n" % (2 * len(r)))
        else:
            out.append(b"%%%d\r\n" % len(r))
        for k, v in r.items():
            _encode_into(out, k, resp)
            _encode_into(out, v, resp)
    elif t is bool:
        if resp == 2:
            out.append(b":1\r\n" if r else b":0\r\n")
        else:
            out.append(b"#t\r\n" if r else b"#f\r\n")
    elif t is HumanDouble:
        if resp == 2:
            out.append(b"$%d\r\n%b\r\n" % (len(r), bytes(r)))
        else:
            out.append(b",%b\r\n" % bytes(r))
    elif t is Verbatim:
        if resp == 2:
            out.append(b"$%d\r\n%b\r\n" % (len(r), bytes(r)))
        else:
            out.append(b"=%d\r\ntxt:%b\r\n" % (len(r) + 4, bytes(r)))
    elif t is Push:
        out.append(b"%b%d\r\n" % (b">" if resp == 3 else b"*", len(r)))
        for x in r:
            _encode_into(out, x, resp)
    elif t is ReplySeq:
        for x in r:
            _encode_into(out, x, resp)
    elif r is NO_REPLY:
        pass
    else:  # pragma: no cover - a handler returned something that is not a reply
        raise TypeError(f"not a reply value: {r!r}")


def encode_resp(r, resp: int = 2) -> bytes:
    """The exact bytes Redis would write for reply ``r`` to a client speaking ``resp``.

    >>> encode_resp([b"a", 1, None])
    b'*3\\r\\n$1\\r\\na\\r\\n:1\\r\\n$-1\\r\\n'
    >>> encode_resp({b"k": 1.5}, 3)
    b'%1\\r\\n$1\\r\\nk\\r\\n,1.5\\r\\n'
    """
    out: list = []
    _encode_into(out, r, resp)
    return b"".join(out)
