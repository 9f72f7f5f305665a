"""Geo commands in the engine: geohash arithmetic, search completeness against a brute
force scan (hypothesis), the partial quicksort, and command behaviour."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import NULL_ARRAY, Engine, ReplyError, errors, geo
from lab.engine.zsets import ZSetValue

lon_st = st.floats(-180, 180, allow_nan=False)
lat_st = st.floats(geo.GEO_LAT_MIN, geo.GEO_LAT_MAX, allow_nan=False)


@pytest.fixture
def e():
    return Engine()


# -- geohash arithmetic --------------------------------------------------------------------
@given(st.integers(0, 2**32 - 1))
def test_spread_squash_inverse(x):
    s = geo._spread(x)
    assert s & geo._ODD == 0
    assert geo._squash(s) == x


@given(lon_st, lat_st)
def test_encode_decode_within_cell(lon, lat):
    bits = geo.encode_lonlat(lon, lat)
    assert bits is not None and 0 <= bits < 2**54  # ±180 / +85.05 set bit 52 or 53
    x, y = geo.decode_score(float(bits))
    # a cell is 360 / 2^26 degrees wide and 170.1 / 2^26 high; the decoded point is its centre
    assert abs(x - lon) <= 360 / 2**26
    assert abs(y - lat) <= 170.2 / 2**26


def test_encode_outside_limits():
    assert geo.encode_lonlat(180.0001, 0) is None
    assert geo.encode_lonlat(0, 85.06) is None


def test_known_values():
    s = geo.encode_lonlat(13.361389, 38.115556)
    assert s == 3479099956230698
    assert geo.geohash_string(float(s)) == b"sqc8b49rny0"
    assert geo.human_double(geo.decode_score(float(s))[0]) == b"13.36138933897018433"


def test_score_bits_like_c_cast():
    assert geo._score_bits(-1.0) == 2**64 - 1
    assert geo._score_bits(1e20) == 0
    assert geo._score_bits(-1e20) == 2**63
    assert geo._score_bits(float("inf")) == 0
    assert geo._score_bits(9.3e18) == 9300000000000000000
    assert geo._score_bits(2.9) == 2


@given(lon_st, lat_st, lon_st, lat_st)
def test_distance_properties(lon1, lat1, lon2, lat2):
    d = geo.geohash_distance(lon1, lat1, lon2, lat2)
    assert 0 <= d <= math.pi * geo.EARTH_RADIUS_IN_METERS + 1
    assert math.isclose(d, geo.geohash_distance(lon2, lat2, lon1, lat1), rel_tol=1e-9,
                        abs_tol=1e-6)
    assert geo.geohash_distance(lon1, lat1, lon1, lat1) == 0


def test_neighbors_wrap():
    # step 1: a 2x2 grid, east and west of a cell are the same cell
    nb = geo._neighbors(0, 1)
    assert nb["e"] == nb["w"] and nb["n"] == nb["s"]
    assert len({nb["ne"], nb["nw"], nb["se"], nb["sw"]}) == 1


# -- pqsort --------------------------------------------------------------------------------
@settings(max_examples=200)
@given(st.lists(st.integers(0, 20), max_size=120), st.data())
def test_pqsort_sorts_the_requested_range(values, data):
    arr = [(0, 0, float(v), 0, i) for i, v in enumerate(values)]
    if not arr:
        return
    lo = data.draw(st.integers(0, len(arr) - 1))
    hi = data.draw(st.integers(lo, len(arr) - 1))
    desc = data.draw(st.booleans())
    geo._pqsort(arr, geo._cmp_desc if desc else geo._cmp_asc, lo, hi)
    assert sorted(p[4] for p in arr) == list(range(len(values)))  # a permutation
    want = sorted((p[2] for p in arr), reverse=desc)
    assert [p[2] for p in arr[lo:hi + 1]] == want[lo:hi + 1]
    if lo == 0:
        assert [p[2] for p in arr[: hi + 1]] == want[: hi + 1]


# -- search vs brute force -----------------------------------------------------------------
def _brute(zv, shape):
    out = set()
    for m, s in zv.dict.items():
        x, y = geo.decode_score(s)
        if shape.contains(x, y) is not None:
            out.add(m)
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.floats(-60, 60), lon_st, st.sampled_from([1e3, 5e4, 5e5, 2e6]),
       st.booleans())
def test_search_finds_everything_inside(seed, lat, lon, radius, box):
    rnd = random.Random(seed)
    pairs = []
    for i in range(150):
        x = max(-180.0, min(180.0, lon + rnd.gauss(0, 10)))
        y = max(-85.0, min(85.0, lat + rnd.gauss(0, 10)))
        pairs.append((b"m%d" % i, float(geo.encode_lonlat(x, y))))
    zv = ZSetValue(pairs)
    sh = geo.Shape()
    sh.lon, sh.lat, sh.is_box = lon, lat, box
    sh.radius = sh.width = sh.height = radius
    found = geo.search(zv, sh)
    names = [p[4] for p in found]
    assert len(names) == len(set(names))
    assert set(names) == _brute(zv, sh)
    for lon2, lat2, d, score, _ in found:
        assert (lon2, lat2) == geo.decode_score(score)
        assert d == geo.geohash_distance(lon, lat, lon2, lat2)


# -- commands ------------------------------------------------------------------------------
def test_geoadd_is_zadd(e):
    c = e.default_client
    assert e.call("GEOADD", "g", "13.361389", "38.115556", "Palermo") == 1
    assert c.rewrite_argv[0] == b"zadd"
    assert e.call("ZSCORE", "g", "Palermo") == 3479099956230698.0
    assert e.call("OBJECT", "ENCODING", "g") == b"listpack"
    assert e.call("GEOADD", "g", "XX", "CH", "13.361389", "38.115556", "Palermo") == 0
    assert e.call("GEOADD", "g", "NX", "15.087269", "37.502669", "Catania") == 1
    with pytest.raises(ReplyError) as ei:
        e.call("GEOADD", "g", "200", "10", "x")
    assert ei.value.message == "ERR invalid longitude,latitude pair 200.000000,10.000000"
    with pytest.raises(ReplyError, match="syntax"):
        e.call("GEOADD", "g", "NX", "XX", "1", "1", "x")
    e._check()


def test_geopos_geodist_geohash(e):
    e.call("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
           "Catania")
    assert e.call("GEOPOS", "g", "Palermo", "nosuch") == [
        [b"13.36138933897018433", b"38.11555639549629859"], NULL_ARRAY]
    assert e.call("GEODIST", "g", "Palermo", "Catania") == b"166274.1516"
    assert e.call("GEODIST", "g", "Palermo", "Catania", "km") == b"166.2742"
    assert e.call("GEODIST", "g", "Palermo", "nosuch") is None
    assert e.call("GEOHASH", "g", "Palermo", "Catania", "x") == [b"sqc8b49rny0",
                                                                  b"sqdtr74hyu0", None]
    with pytest.raises(ReplyError) as ei:
        e.call("GEODIST", "g", "a", "b", "parsec")
    assert ei.value.message == errors.GEO_UNIT


def test_search_replies_and_store(e):
    e.call("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
           "Catania")
    r = e.call("GEORADIUS", "g", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH",
               "ASC")
    assert r == [[b"Catania", b"56.4413", 3479447370796909,
                  [b"15.08726745843887329", b"37.50266842333162032"]],
                 [b"Palermo", b"190.4424", 3479099956230698,
                  [b"13.36138933897018433", b"38.11555639549629859"]]]
    assert e.call("GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km",
                  "DESC") == [b"Catania", b"Palermo"]
    assert e.call("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200",
                  "km", "STOREDIST") == 2
    z = e.call("ZRANGE", "d", "0", "-1", "WITHSCORES")
    assert z[0::2] == [b"Catania", b"Palermo"]
    assert [b"%.4f" % d for d in z[1::2]] == [b"56.4413", b"190.4424"]
    assert e.call("GEORADIUS", "g", "15", "37", "1", "m", "STORE", "d") == 0
    assert e.call("EXISTS", "d") == 0
    with pytest.raises(ReplyError, match="exactly one of BYRADIUS and BYBOX"):
        e.call("GEOSEARCH", "g", "FROMLONLAT", "1", "1", "WITHDIST", "ASC")
    with pytest.raises(ReplyError, match="ANY argument requires COUNT"):
        e.call("GEOSEARCH", "g", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m", "ANY")
    e._check()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(lon_st, lat_st), min_size=1, max_size=40), lon_st, lat_st,
       st.sampled_from([10, 1000, 5000]), st.integers(1, 10))
def test_count_is_a_prefix_of_the_sorted_result(points, lon, lat, radius, count):
    e = Engine()
    args = []
    for i, (x, y) in enumerate(points):
        args += [repr(x), repr(y), f"m{i}"]
    e.call("GEOADD", "g", *args)
    full = e.call("GEOSEARCH", "g", "FROMLONLAT", repr(lon), repr(lat), "BYRADIUS", radius,
                  "km", "ASC", "WITHDIST")
    part = e.call("GEOSEARCH", "g", "FROMLONLAT", repr(lon), repr(lat), "BYRADIUS", radius,
                  "km", "COUNT", count, "WITHDIST")
    assert [d for _, d in part] == [d for _, d in full][:count]
    anyr = e.call("GEOSEARCH", "g", "FROMLONLAT", repr(lon), repr(lat), "BYRADIUS", radius,
                  "km", "COUNT", count, "ANY")
    assert len(anyr) == min(count, len(full))
    assert {m for m, _ in full} >= set(anyr)
