"""Geospatial commands (``geo.c``, ``geohash.c``, ``geohash_helper.c``).

A geo set *is* a sorted set (``zsets.ZSetValue``, listpack / skiplist as any zset): each
member's score is its 52-bit geohash, latitude bits interleaved with longitude bits (26
steps each, longitude in the odd positions) over the ranges ±180 (longitude) and
±85.05112878 (latitude, the Web-Mercator limit). GEOADD is ZADD with computed scores (it
is propagated as ZADD and fires ``zadd``, as the server's GEOADD runs ``zaddCommand``).

Arithmetic
----------
Everything is computed in IEEE doubles in the server's order of operations, so results
are bit-identical: encoding scales the offset within the range by 2^26 and truncates;
decoding takes the middle of the cell and clamps it to the limits; distances are the
haversine formula on a sphere of radius 6372797.560856 m (with 7.0's shortcut: when the
longitudes give ``sin(dlon/2) == 0`` the distance is the latitude arc); a box test first
compares the latitude arc with half the height, then the east-west distance at the
point's latitude with half the width.

Searching
---------
``geohashCalculateAreasByShapeWGS84``: the step is estimated from the radius (halving
the Mercator extent; one or two steps fewer above 66° / 80°), the bounding box of the
shape decides whether the step must be decreased once more and which of the 8 neighbour
cells can be skipped; then the cells are scanned in the order centre, N, S, E, W, NE, NW,
SE, SW (a cell equal to the previously scanned one is skipped, except right after the
centre, as in Redis, which can report a member twice for huge radii), each as a score
range ``[cell << (52 - 2*step), (cell + 1) << (52 - 2*step))`` in (score, member) order.
``COUNT n ANY`` stops at the n-th match. Sorting is glibc's stable merge sort when every
match is returned, else Redis's partial quicksort (``pqsort``) over the first n.

Replies
-------
Distances are ``%.4f`` bulk strings; coordinates ``addReplyHumanLongDouble``: ``%.17Lf``
of the (exactly converted) double with trailing zeros removed, a bulk string in RESP2.

Deviation: in RESP3 the server sends coordinates as a double (``,13.36138933897018433``)
with that same text; ``reply.py`` has no reply type for a double with preformatted text
(``float`` is printed ``%.17g``), so the engine sends a bulk string there.
"""

from __future__ import annotations

import math

from . import errors
from .commands import command
from .db import NOTIFY_GENERIC, NOTIFY_ZSET
from .errors import ReplyError
from .objects import OBJ_ZSET
from .reply import NULL_ARRAY, HumanDouble, Status
from .strings import store_string
from .util import parse_float, string2ll
from .zsets import _new_zset, zadd_command

__all__ = [
    "decode_score",
    "encode_lonlat",
    "geohash_distance",
    "geohash_string",
]

GEO_STEP_MAX = 26
GEO_LAT_MIN = -85.05112878
GEO_LAT_MAX = 85.05112878
GEO_LONG_MIN = -180.0
GEO_LONG_MAX = 180.0
EARTH_RADIUS_IN_METERS = 6372797.560856
MERCATOR_MAX = 20037726.37
D_R = math.pi / 180.0

_M64 = (1 << 64) - 1
_EVEN = 0x5555555555555555
_ODD = 0xAAAAAAAAAAAAAAAA
_GEOALPHABET = b"0123456789bcdefghjkmnpqrstuvwxyz"

_sin = math.sin
_cos = math.cos


# -- geohash.c ----------------------------------------------------------------------------
def _spread(x: int) -> int:
    """The 32 bits of ``x`` moved to the even bit positions of a 64-bit word."""
    x = (x | (x << 16)) & 0x0000FFFF0000FFFF
    x = (x | (x << 8)) & 0x00FF00FF00FF00FF
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0F
    x = (x | (x << 2)) & 0x3333333333333333
    return (x | (x << 1)) & _EVEN


def _squash(x: int) -> int:
    """The even bits of a 64-bit word packed into 32 bits."""
    x &= _EVEN
    x = (x | (x >> 1)) & 0x3333333333333333
    x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0F
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FF
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFF
    return (x | (x >> 16)) & 0xFFFFFFFF


def _encode(lon_min: float, lon_max: float, lat_min: float, lat_max: float,
            lon: float, lat: float, step: int) -> int | None:
    """``geohashEncode``: interleaved bits (latitude even, longitude odd), or None."""
    if lon > GEO_LONG_MAX or lon < GEO_LONG_MIN or lat > GEO_LAT_MAX or lat < GEO_LAT_MIN:
        return None
    if lat < lat_min or lat > lat_max or lon < lon_min or lon > lon_max:
        return None
    lat_off = (lat - lat_min) / (lat_max - lat_min)
    lon_off = (lon - lon_min) / (lon_max - lon_min)
    scale = float(1 << step)
    ilat = int(lat_off * scale) & 0xFFFFFFFF
    ilon = int(lon_off * scale) & 0xFFFFFFFF
    return _spread(ilat) | (_spread(ilon) << 1)


def encode_lonlat(lon: float, lat: float, step: int = GEO_STEP_MAX) -> int | None:
    """``geohashEncodeWGS84``: the geohash (score) of a point.

    >>> encode_lonlat(13.361389, 38.115556)
    3479099956230698
    """
    return _encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, lon, lat, step)


def _decode_area(bits: int, step: int, lon_min: float = GEO_LONG_MIN,
                 lon_max: float = GEO_LONG_MAX, lat_min: float = GEO_LAT_MIN,
                 lat_max: float = GEO_LAT_MAX) -> tuple[float, float, float, float]:
    """``geohashDecode``: the cell as (lon_min, lon_max, lat_min, lat_max)."""
    ilat = _squash(bits)
    ilon = _squash(bits >> 1)
    lat_scale = lat_max - lat_min
    lon_scale = lon_max - lon_min
    div = float(1 << step)
    return (lon_min + (ilon * 1.0 / div) * lon_scale,
            lon_min + (((ilon + 1) & 0xFFFFFFFF) * 1.0 / div) * lon_scale,
            lat_min + (ilat * 1.0 / div) * lat_scale,
            lat_min + (((ilat + 1) & 0xFFFFFFFF) * 1.0 / div) * lat_scale)


def _score_bits(score: float) -> int:
    """``(uint64_t)score`` as x86-64 code computes it (out-of-range values included)."""
    if score < 9223372036854775808.0:
        if score < -9223372036854775808.0:
            return 1 << 63
        return int(score) & _M64
    t = score - 9223372036854775808.0
    if t >= 9223372036854775808.0:
        return 0
    return int(t) ^ (1 << 63)


def decode_score(score: float) -> tuple[float, float]:
    """``decodeGeohash``: (longitude, latitude) of a member's score, the middle of its
    cell clamped to the limits.

    >>> decode_score(3479099956230698.0)
    (13.361389338970184, 38.1155563954963)
    """
    lo, hi, la, lb = _decode_area(_score_bits(score), GEO_STEP_MAX)
    x = (lo + hi) / 2
    if x > GEO_LONG_MAX:
        x = GEO_LONG_MAX
    if x < GEO_LONG_MIN:
        x = GEO_LONG_MIN
    y = (la + lb) / 2
    if y > GEO_LAT_MAX:
        y = GEO_LAT_MAX
    if y < GEO_LAT_MIN:
        y = GEO_LAT_MIN
    return x, y


def _move_x(bits: int, step: int, d: int) -> int:
    x = bits & _ODD
    y = bits & _EVEN
    zz = _EVEN >> (64 - step * 2)
    if d > 0:
        x = (x + (zz + 1)) & _M64
    else:
        x = ((x | zz) - (zz + 1)) & _M64
    x &= _ODD >> (64 - step * 2)
    return x | y


def _move_y(bits: int, step: int, d: int) -> int:
    x = bits & _ODD
    y = bits & _EVEN
    zz = _ODD >> (64 - step * 2)
    if d > 0:
        y = (y + (zz + 1)) & _M64
    else:
        y = ((y | zz) - (zz + 1)) & _M64
    y &= _EVEN >> (64 - step * 2)
    return x | y


def _neighbors(bits: int, step: int) -> dict[str, int]:
    """``geohashNeighbors``: the 8 surrounding cells (wrapping around at the edges)."""
    def mv(dx: int, dy: int) -> int:
        b = bits
        if dx:
            b = _move_x(b, step, dx)
        if dy:
            b = _move_y(b, step, dy)
        return b

    return {"n": mv(0, 1), "s": mv(0, -1), "e": mv(1, 0), "w": mv(-1, 0),
            "ne": mv(1, 1), "nw": mv(-1, 1), "se": mv(1, -1), "sw": mv(-1, -1)}


# -- geohash_helper.c ---------------------------------------------------------------------
def _lat_distance(lat1: float, lat2: float) -> float:
    return EARTH_RADIUS_IN_METERS * abs(lat2 * D_R - lat1 * D_R)


def geohash_distance(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """``geohashGetDistance``: haversine distance in meters.

    >>> '%.4f' % geohash_distance(13.361389338970184, 38.1155563954963,
    ...                           15.087267458438873, 37.50266842333162)
    '166274.1516'
    """
    lon1r = lon1 * D_R
    lon2r = lon2 * D_R
    v = _sin((lon2r - lon1r) / 2)
    if v == 0.0:
        return _lat_distance(lat1, lat2)
    lat1r = lat1 * D_R
    lat2r = lat2 * D_R
    u = _sin((lat2r - lat1r) / 2)
    a = u * u + _cos(lat1r) * _cos(lat2r) * v * v
    return 2.0 * EARTH_RADIUS_IN_METERS * math.asin(math.sqrt(a))


def _estimate_steps(range_meters: float, lat: float) -> int:
    """``geohashEstimateStepsByRadius``."""
    if range_meters == 0:
        return 26
    step = 1
    while range_meters < MERCATOR_MAX:
        range_meters *= 2
        step += 1
    step -= 2
    if lat > 66 or lat < -66:
        step -= 1
        if lat > 80 or lat < -80:
            step -= 1
    if step < 1:
        step = 1
    if step > 26:
        step = 26
    return step


class Shape:
    """``GeoShape``: a circle (radius) or a box (width, height) around (lon, lat); the
    dimensions in the request's unit, ``conversion`` meters per unit."""

    __slots__ = ("conversion", "height", "is_box", "lat", "lon", "radius", "width")

    def __init__(self) -> None:
        self.is_box = False
        self.lon = self.lat = 0.0
        self.radius = self.width = self.height = 0.0
        self.conversion = 1.0

    def bounding_box(self) -> tuple[float, float, float, float]:
        """``geohashBoundingBox``: (min_lon, min_lat, max_lon, max_lat)."""
        lon, lat = self.lon, self.lat
        conv = self.conversion
        height = conv * (self.height / 2 if self.is_box else self.radius)
        width = conv * (self.width / 2 if self.is_box else self.radius)
        lat_delta = (height / EARTH_RADIUS_IN_METERS) / D_R
        long_delta_top = (width / EARTH_RADIUS_IN_METERS / _cos((lat + lat_delta) * D_R)) / D_R
        long_delta_bottom = (width / EARTH_RADIUS_IN_METERS
                             / _cos((lat - lat_delta) * D_R)) / D_R
        if lat < 0:
            return (lon - long_delta_bottom, lat - lat_delta, lon + long_delta_bottom,
                    lat + lat_delta)
        return lon - long_delta_top, lat - lat_delta, lon + long_delta_top, lat + lat_delta

    def radius_meters(self) -> float:
        if self.is_box:
            r = math.sqrt((self.width / 2) * (self.width / 2)
                          + (self.height / 2) * (self.height / 2))
        else:
            r = self.radius
        return r * self.conversion

    def contains(self, lon: float, lat: float) -> float | None:
        """``geoWithinShape``: the distance in meters from the centre, or None."""
        if not self.is_box:
            d = geohash_distance(self.lon, self.lat, lon, lat)
            return None if d > self.radius * self.conversion else d
        if _lat_distance(lat, self.lat) > self.height * self.conversion / 2:
            return None
        if geohash_distance(lon, lat, self.lon, lat) > self.width * self.conversion / 2:
            return None
        return geohash_distance(self.lon, self.lat, lon, lat)


def search_areas(shape: Shape) -> list[tuple[int, int]]:
    """``geohashCalculateAreasByShapeWGS84``: the 9 cells (bits, step) to scan, in
    order centre, N, S, E, W, NE, NW, SE, SW; ``(0, 0)`` for an excluded one."""
    min_lon, min_lat, max_lon, max_lat = shape.bounding_box()
    lon, lat = shape.lon, shape.lat
    steps = _estimate_steps(shape.radius_meters(), lat)
    bits = encode_lonlat(lon, lat, steps)
    assert bits is not None
    nb = _neighbors(bits, steps)
    decrease = (_decode_area(nb["n"], steps)[3] < max_lat
                or _decode_area(nb["s"], steps)[2] > min_lat
                or _decode_area(nb["e"], steps)[1] < max_lon
                or _decode_area(nb["w"], steps)[0] > min_lon)
    if steps > 1 and decrease:
        steps -= 1
        bits = encode_lonlat(lon, lat, steps)
        assert bits is not None
        nb = _neighbors(bits, steps)
    cells = {k: (b, steps) for k, b in nb.items()}
    if steps >= 2:
        a_lon_min, a_lon_max, a_lat_min, a_lat_max = _decode_area(bits, steps)
        zero = (0, 0)
        if a_lat_min < min_lat:
            cells["s"] = cells["sw"] = cells["se"] = zero
        if a_lat_max > max_lat:
            cells["n"] = cells["ne"] = cells["nw"] = zero
        if a_lon_min < min_lon:
            cells["w"] = cells["sw"] = cells["nw"] = zero
        if a_lon_max > max_lon:
            cells["e"] = cells["se"] = cells["ne"] = zero
    return [(bits, steps)] + [cells[k] for k in ("n", "s", "e", "w", "ne", "nw", "se", "sw")]


def _points_in_cell(sl, bits: int, step: int, shape: Shape, out: list, limit: int) -> None:
    """``membersOfGeoHashBox``: append the matches among scores in the cell's range."""
    shift = 52 - step * 2
    lo = float(bits << shift)
    hi = float((bits + 1) << shift)
    i = sl.bisect_left((lo, b""))
    n = len(sl)
    contains = shape.contains
    while i < n:
        score, member = sl[i]
        if score >= hi:
            break
        lon, lat = decode_score(score)
        d = contains(lon, lat)
        if d is not None:
            out.append((lon, lat, d, score, member))
        if out and limit and len(out) >= limit:
            break
        i += 1


def search(zv, shape: Shape, limit: int = 0) -> list[tuple]:
    """``membersOfAllNeighbors``: (lon, lat, dist_m, score, member) in scan order."""
    cells = search_areas(shape)
    out: list[tuple] = []
    sl = zv.sl
    last = 0
    for i, (bits, step) in enumerate(cells):
        if bits == 0 and step == 0:
            continue
        if last and cells[last] == (bits, step):
            continue
        if out and limit and len(out) >= limit:
            break
        _points_in_cell(sl, bits, step, shape, out, limit)
        last = i
    return out


# -- sorting ------------------------------------------------------------------------------
def _pqsort(arr: list, cmp, lrange: int, rrange: int) -> None:
    """Redis's ``pqsort``: Bentley-McIlroy quicksort that only recurses into partitions
    overlapping positions ``lrange..rrange`` (so only those end up sorted)."""

    def med3(i: int, j: int, k: int) -> int:
        if cmp(arr[i], arr[j]) < 0:
            if cmp(arr[j], arr[k]) < 0:
                return j
            return k if cmp(arr[i], arr[k]) < 0 else i
        if cmp(arr[j], arr[k]) > 0:
            return j
        return i if cmp(arr[i], arr[k]) < 0 else k

    def vecswap(i: int, j: int, n: int) -> None:
        for t in range(n):
            arr[i + t], arr[j + t] = arr[j + t], arr[i + t]

    def sort(a: int, n: int) -> None:
        while True:
            if n < 7:
                for pm in range(a + 1, a + n):
                    pl = pm
                    while pl > a and cmp(arr[pl - 1], arr[pl]) > 0:
                        arr[pl], arr[pl - 1] = arr[pl - 1], arr[pl]
                        pl -= 1
                return
            pm = a + n // 2
            if n > 7:
                pl = a
                pn = a + n - 1
                if n > 40:
                    d = n // 8
                    pl = med3(pl, pl + d, pl + 2 * d)
                    pm = med3(pm - d, pm, pm + d)
                    pn = med3(pn - 2 * d, pn - d, pn)
                pm = med3(pl, pm, pn)
            arr[a], arr[pm] = arr[pm], arr[a]
            pa = pb = a + 1
            pc = pd = a + n - 1
            pivot = arr[a]
            while True:
                while pb <= pc:
                    r = cmp(arr[pb], pivot)
                    if r > 0:
                        break
                    if r == 0:
                        arr[pa], arr[pb] = arr[pb], arr[pa]
                        pa += 1
                    pb += 1
                while pb <= pc:
                    r = cmp(arr[pc], pivot)
                    if r < 0:
                        break
                    if r == 0:
                        arr[pc], arr[pd] = arr[pd], arr[pc]
                        pd -= 1
                    pc -= 1
                if pb > pc:
                    break
                arr[pb], arr[pc] = arr[pc], arr[pb]
                pb += 1
                pc -= 1
            pn = a + n
            r = min(pa - a, pb - pa)
            vecswap(a, pb - r, r)
            r = min(pd - pc, pn - pd - 1)
            vecswap(pb, pn - r, r)
            r = pb - pa
            if r > 1 and not (rrange < a or lrange >= a + r):
                sort(a, r)
            r = pd - pc
            if r > 1:
                a = pn - r
                n = r
                if not (rrange < a or lrange >= a + n):
                    continue
            return

    sort(0, len(arr))


def _cmp_asc(a, b) -> int:
    return 1 if a[2] > b[2] else (0 if a[2] == b[2] else -1)


def _cmp_desc(a, b) -> int:
    return -1 if a[2] > b[2] else (0 if a[2] == b[2] else 1)


# -- argument parsing ---------------------------------------------------------------------
def _coption(arg: bytes) -> bytes:
    """An option as ``strcasecmp`` sees it: up to the first NUL, lowercased."""
    i = arg.find(b"\0")
    return (arg[:i] if i >= 0 else arg).lower()


def _fmt_f(d: float) -> str:
    return "%f" % d


def _lonlat(a: bytes, b: bytes) -> tuple[float, float]:
    """``extractLongLatOrReply``."""
    lon = parse_float(a)
    lat = parse_float(b)
    if lon < GEO_LONG_MIN or lon > GEO_LONG_MAX or lat < GEO_LAT_MIN or lat > GEO_LAT_MAX:
        raise ReplyError(errors.GEO_INVALID_LONLAT.format(_fmt_f(lon), _fmt_f(lat)))
    return lon, lat


_UNITS = {b"m": 1.0, b"km": 1000.0, b"ft": 0.3048, b"mi": 1609.34}


def _unit(arg: bytes) -> float:
    """``extractUnitOrReply``: meters per unit."""
    u = _UNITS.get(_coption(arg))
    if u is None:
        raise ReplyError(errors.GEO_UNIT)
    return u


def _distance_arg(argv, i: int, shape: Shape) -> None:
    """``extractDistanceOrReply``: radius then unit."""
    r = parse_float(argv[i], errors.GEO_NEED_RADIUS)
    if r < 0:
        raise ReplyError(errors.GEO_RADIUS_NEGATIVE)
    shape.radius = r
    shape.conversion = _unit(argv[i + 1])


def _box_arg(argv, i: int, shape: Shape) -> None:
    """``extractBoxOrReply``: width, height, unit."""
    w = parse_float(argv[i], errors.GEO_NEED_WIDTH)
    h = parse_float(argv[i + 1], errors.GEO_NEED_HEIGHT)
    if h < 0 or w < 0:
        raise ReplyError(errors.GEO_BOX_NEGATIVE)
    shape.width = w
    shape.height = h
    shape.conversion = _unit(argv[i + 2])


def _member_lonlat(zv, member: bytes, shape: Shape) -> None:
    """``longLatFromMember``."""
    score = zv.dict.get(member)
    if score is None:
        raise ReplyError(errors.GEO_MEMBER_DECODE)
    shape.lon, shape.lat = decode_score(score)


def _lookup_zset(c, key: bytes):
    obj = c.db.lookup_read(key)
    if obj is not None and obj.type != OBJ_ZSET:
        raise ReplyError(errors.WRONGTYPE)
    return obj


def human_double(d: float) -> bytes:
    """``ld2string(LD_STR_HUMAN)`` of a double: ``%.17Lf``, trailing zeros (and a bare
    dot) removed, ``-0`` as ``0``.

    >>> human_double(13.361389338970184), human_double(-0.0), human_double(2.5)
    (b'13.36138933897018433', b'0', b'2.5')
    """
    s = b"%.17f" % d
    if b"." in s:
        s = s.rstrip(b"0")
        if s.endswith(b"."):
            s = s[:-1]
    if s == b"-0":
        s = b"0"
    return s


def _distance_reply(d: float) -> bytes:
    """``addReplyDoubleDistance``: ``%.4f``."""
    return b"%.4f" % d


# -- commands -----------------------------------------------------------------------------
@command("geoadd", arity=-5, flags="write denyoom", keys=(1, 1, 1), group="geo",
         complexity="O(log(N)) for each item added, where N is the number of elements in the "
                    "sorted set.", since="3.2.0",
         summary="Add one or more geospatial items in the geospatial index represented using a "
                 "sorted set")
def geoadd_command(c, argv):
    """GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
    Add one or more geospatial items in the geospatial index represented using a sorted set"""
    n = len(argv)
    xx = nx = False
    i = 2
    while i < n:
        o = _coption(argv[i])
        if o == b"nx":
            nx = True
        elif o == b"xx":
            xx = True
        elif o != b"ch":
            break
        i += 1
    if (n - i) % 3 or (xx and nx):
        raise ReplyError(errors.SYNTAX)
    zargv = [b"zadd", *argv[1:i]]
    for j in range(i, n, 3):
        lon, lat = _lonlat(argv[j], argv[j + 1])
        bits = encode_lonlat(lon, lat)
        assert bits is not None
        zargv.append(b"%d" % bits)
        zargv.append(argv[j + 2])
    c.rewrite_argv = zargv
    return zadd_command(c, zargv)


geoadd_command.key_specs = [{
    b"flags": [Status("RW"), Status("update")],
    b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
    b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}},
}]


@command("geodist", arity=-4, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity="O(log(N))", since="3.2.0",
         summary="Returns the distance between two members of a geospatial index")
def geodist_command(c, argv):
    """GEODIST key member1 member2 [M|KM|FT|MI]
    Returns the distance between two members of a geospatial index"""
    to_meter = 1.0
    if len(argv) == 5:
        to_meter = _unit(argv[4])
    elif len(argv) > 5:
        raise ReplyError(errors.SYNTAX)
    obj = _lookup_zset(c, argv[1])
    if obj is None:
        return None
    d = obj.val.dict
    s1 = d.get(argv[2])
    s2 = d.get(argv[3])
    if s1 is None or s2 is None:
        return None
    x1, y1 = decode_score(s1)
    x2, y2 = decode_score(s2)
    return _distance_reply(geohash_distance(x1, y1, x2, y2) / to_meter)


def geohash_string(score: float) -> bytes:
    """The 11-character standard geohash GEOHASH reports for a member's score: decode,
    re-encode over latitude ±90, 5 bits per character, the 11th character always '0'.

    >>> geohash_string(3479099956230698.0)
    b'sqc8b49rny0'
    """
    lon, lat = decode_score(score)
    bits = _encode(-180.0, 180.0, -90.0, 90.0, lon, lat, 26)
    if bits is None:  # pragma: no cover - decoded points are always inside the limits
        bits = 0
    out = bytearray()
    for i in range(10):
        out.append(_GEOALPHABET[(bits >> (52 - (i + 1) * 5)) & 0x1F])
    out.append(_GEOALPHABET[0])
    return bytes(out)


@command("geohash", arity=-2, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity="O(log(N)) for each member requested, where N is the number of elements in "
                    "the sorted set.", since="3.2.0",
         summary="Returns members of a geospatial index as standard geohash strings")
def geohash_command(c, argv):
    """GEOHASH key [member [member ...]]
    Returns members of a geospatial index as standard geohash strings"""
    obj = _lookup_zset(c, argv[1])
    d = obj.val.dict if obj is not None else {}
    out = []
    for m in argv[2:]:
        s = d.get(m)
        out.append(None if s is None else geohash_string(s))
    return out


@command("geopos", arity=-2, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity="O(N) where N is the number of members requested.", since="3.2.0",
         summary="Returns longitude and latitude of members of a geospatial index")
def geopos_command(c, argv):
    """GEOPOS key [member [member ...]]
    Returns longitude and latitude of members of a geospatial index"""
    obj = _lookup_zset(c, argv[1])
    d = obj.val.dict if obj is not None else {}
    out = []
    for m in argv[2:]:
        s = d.get(m)
        if s is None:
            out.append(NULL_ARRAY)
        else:
            x, y = decode_score(s)
            out.append([HumanDouble(human_double(x)), HumanDouble(human_double(y))])
    return out


# georadiusGeneric flags
RADIUS_COORDS = 1 << 0
RADIUS_MEMBER = 1 << 1
RADIUS_NOSTORE = 1 << 2
GEOSEARCH = 1 << 3
GEOSEARCHSTORE = 1 << 4

SORT_NONE, SORT_ASC, SORT_DESC = 0, 1, 2


def _georadius_generic(c, argv, src: int, flags: int):
    """``georadiusGeneric``: parse in the server's order, search, reply or store."""
    storekey = None
    storedist = False
    zobj = _lookup_zset(c, argv[src])
    shape = Shape()
    if flags & RADIUS_COORDS:
        base = 6
        shape.lon, shape.lat = _lonlat(argv[2], argv[3])
        _distance_arg(argv, base - 2, shape)
    elif flags & RADIUS_MEMBER:
        base = 5
        if zobj is not None:
            _member_lonlat(zobj.val, argv[2], shape)
            _distance_arg(argv, base - 2, shape)
    else:
        base = 2
        if flags & GEOSEARCHSTORE:
            base = 3
            storekey = argv[1]
    withdist = withhash = withcoords = False
    frommember = fromloc = byradius = bybox = False
    sort = SORT_NONE
    anyflag = False
    count = 0
    n = len(argv)
    remaining = n - base
    i = 0
    while i < remaining:
        arg = _coption(argv[base + i])
        if arg == b"withdist":
            withdist = True
        elif arg == b"withhash":
            withhash = True
        elif arg == b"withcoord":
            withcoords = True
        elif arg == b"any":
            anyflag = True
        elif arg == b"asc":
            sort = SORT_ASC
        elif arg == b"desc":
            sort = SORT_DESC
        elif arg == b"count" and i + 1 < remaining:
            v = string2ll(argv[base + i + 1])
            if v is None:
                raise ReplyError(errors.NOT_INTEGER)
            if v <= 0:
                raise ReplyError(errors.GEO_COUNT_POSITIVE)
            count = v
            i += 1
        elif arg in (b"store", b"storedist") and i + 1 < remaining and \
                not flags & RADIUS_NOSTORE and not flags & GEOSEARCH:
            storekey = argv[base + i + 1]
            storedist = arg == b"storedist"
            i += 1
        elif arg == b"storedist" and flags & GEOSEARCH and flags & GEOSEARCHSTORE:
            storedist = True
        elif arg == b"frommember" and i + 1 < remaining and flags & GEOSEARCH and not fromloc:
            if zobj is not None:
                _member_lonlat(zobj.val, argv[base + i + 1], shape)
            frommember = True
            i += 1
        elif arg == b"fromlonlat" and i + 2 < remaining and flags & GEOSEARCH and \
                not frommember:
            shape.lon, shape.lat = _lonlat(argv[base + i + 1], argv[base + i + 2])
            fromloc = True
            i += 2
        elif arg == b"byradius" and i + 2 < remaining and flags & GEOSEARCH and not bybox:
            _distance_arg(argv, base + i + 1, shape)
            shape.is_box = False
            byradius = True
            i += 2
        elif arg == b"bybox" and i + 3 < remaining and flags & GEOSEARCH and not byradius:
            _box_arg(argv, base + i + 1, shape)
            shape.is_box = True
            bybox = True
            i += 3
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    name = argv[0].split(b"\0", 1)[0].decode("utf-8", "replace")
    if storekey is not None and (withdist or withhash or withcoords):
        raise ReplyError(errors.GEO_STORE_WITH.format(
            "GEOSEARCHSTORE" if flags & GEOSEARCHSTORE else "STORE option in GEORADIUS"))
    if flags & GEOSEARCH and not (frommember or fromloc):
        raise ReplyError(errors.GEO_FROM_ONE.format(name))
    if flags & GEOSEARCH and not (byradius or bybox):
        raise ReplyError(errors.GEO_BY_ONE.format(name))
    if anyflag and not count:
        raise ReplyError(errors.GEO_ANY_NEEDS_COUNT)
    db = c.db
    e = c.engine
    if zobj is None:
        if storekey is not None:
            if db.delete(storekey):
                db.signal_modified(storekey)
                e.notify_keyspace_event(NOTIFY_GENERIC, "del", storekey, db.id)
                e.dirty += 1
            return 0
        return []
    if count and sort == SORT_NONE and not anyflag:
        sort = SORT_ASC
    points = search(zobj.val, shape, count if anyflag else 0)
    if not points and storekey is None:
        return []
    total = len(points)
    returned = total if (count == 0 or total < count) else count
    if sort != SORT_NONE:
        if returned == total:
            points.sort(key=lambda p: p[2], reverse=sort == SORT_DESC)
        else:
            _pqsort(points, _cmp_asc if sort == SORT_ASC else _cmp_desc, 0, returned - 1)
    conv = shape.conversion
    if storekey is None:
        out = []
        nested = withdist or withhash or withcoords
        for lon, lat, dist, score, member in points[:returned]:
            if not nested:
                out.append(member)
                continue
            item = [member]
            if withdist:
                item.append(_distance_reply(dist / conv))
            if withhash:
                item.append(int(score))
            if withcoords:
                item.append([HumanDouble(human_double(lon)), HumanDouble(human_double(lat))])
            out.append(item)
        return out
    if returned:
        pairs = {}
        maxlen = 0
        for _lon, _lat, dist, score, member in points[:returned]:
            pairs[member] = dist / conv if storedist else score
            maxlen = max(maxlen, len(member))
        obj = _new_zset(c, list(pairs.items()), len(pairs), maxlen)
        store_string(c, storekey, obj)
        e.notify_keyspace_event(NOTIFY_ZSET, "geosearchstore" if flags & GEOSEARCH
                                else "georadiusstore", storekey, db.id)
        e.dirty += returned
    elif db.delete(storekey):
        db.signal_modified(storekey)
        e.notify_keyspace_event(NOTIFY_GENERIC, "del", storekey, db.id)
        e.dirty += 1
    return returned


_RADIUS_COMPLEXITY = ("O(N+log(M)) where N is the number of elements inside the bounding box "
                      "of the circular area delimited by center and radius and M is the number "
                      "of items inside the index.")
_SEARCH_COMPLEXITY = ("O(N+log(M)) where N is the number of elements in the grid-aligned "
                      "bounding box area around the shape provided as the filter and M is the "
                      "number of items inside the shape")


def _store_getkeys(start: int):
    """COMMAND GETKEYS for GEORADIUS[BYMEMBER] from its key specs: the source, then for
    each of the keywords STORE and STOREDIST the argument after its first occurrence from
    position ``start`` on."""
    def getkeys(argv):
        keys = [1]
        for kw in (b"store", b"storedist"):
            for i in range(start, len(argv)):
                if argv[i].lower() == kw:
                    if i + 1 < len(argv):
                        keys.append(i + 1)
                    break
        return keys
    return getkeys


def _radius_key_specs(start: int) -> list:
    ro = {b"flags": [Status("RO"), Status("access")],
          b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
          b"find_keys": {b"type": b"range",
                         b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}}}
    out = [ro]
    for kw in (b"STORE", b"STOREDIST"):
        out.append({b"flags": [Status("OW"), Status("update")],
                    b"begin_search": {b"type": b"keyword",
                                      b"spec": {b"keyword": kw, b"startfrom": start}},
                    b"find_keys": {b"type": b"range",
                                   b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}}})
    return out


@command("georadius", arity=-6, flags="write denyoom movablekeys", keys=(1, 1, 1), group="geo",
         complexity=_RADIUS_COMPLEXITY, since="3.2.0",
         summary="Query a sorted set representing a geospatial index to fetch members matching "
                 "a given maximum distance from a point")
def georadius_command(c, argv):
    """GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
    Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point"""  # noqa: E501
    return _georadius_generic(c, argv, 1, RADIUS_COORDS)


georadius_command.getkeys = _store_getkeys(6)
georadius_command.key_specs = _radius_key_specs(6)


@command("georadius_ro", arity=-6, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity=_RADIUS_COMPLEXITY, since="3.2.10",
         summary="A read-only variant for GEORADIUS")
def georadius_ro_command(c, argv):
    """GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
    A read-only variant for GEORADIUS"""  # noqa: E501
    return _georadius_generic(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE)


@command("georadiusbymember", arity=-5, flags="write denyoom movablekeys", keys=(1, 1, 1),
         group="geo", complexity=_RADIUS_COMPLEXITY, since="3.2.0",
         summary="Query a sorted set representing a geospatial index to fetch members matching "
                 "a given maximum distance from a member")
def georadiusbymember_command(c, argv):
    """GEORADIUSBYMEMBER key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
    Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member"""  # noqa: E501
    return _georadius_generic(c, argv, 1, RADIUS_MEMBER)


georadiusbymember_command.getkeys = _store_getkeys(5)
georadiusbymember_command.key_specs = _radius_key_specs(5)


@command("georadiusbymember_ro", arity=-5, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity=_RADIUS_COMPLEXITY, since="3.2.10",
         summary="A read-only variant for GEORADIUSBYMEMBER")
def georadiusbymember_ro_command(c, argv):
    """GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
    A read-only variant for GEORADIUSBYMEMBER"""  # noqa: E501
    return _georadius_generic(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE)


@command("geosearch", arity=-7, flags="readonly", keys=(1, 1, 1), group="geo",
         complexity=_SEARCH_COMPLEXITY, since="6.2.0",
         summary="Query a sorted set representing a geospatial index to fetch members inside "
                 "an area of a box or a circle.")
def geosearch_command(c, argv):
    """GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
    Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle."""  # noqa: E501
    return _georadius_generic(c, argv, 1, GEOSEARCH)


@command("geosearchstore", arity=-8, flags="write denyoom", keys=(1, 2, 1), group="geo",
         complexity=_SEARCH_COMPLEXITY, since="6.2.0",
         summary="Query a sorted set representing a geospatial index to fetch members inside "
                 "an area of a box or a circle, and store the result in another key.")
def geosearchstore_command(c, argv):
    """GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]
    Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key."""  # noqa: E501
    return _georadius_generic(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE)


geosearchstore_command.key_specs = [
    {b"flags": [Status("OW"), Status("update")],
     b"begin_search": {b"type": b"index", b"spec": {b"index": 1}},
     b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}}},
    {b"flags": [Status("RO"), Status("access")],
     b"begin_search": {b"type": b"index", b"spec": {b"index": 2}},
     b"find_keys": {b"type": b"range", b"spec": {b"lastkey": 0, b"keystep": 1, b"limit": 0}}},
]
