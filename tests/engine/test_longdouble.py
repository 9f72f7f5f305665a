"""The shared x87 long double emulation (INCRBYFLOAT, HINCRBYFLOAT, blocking timeouts)."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from lab.engine.longdouble import ld_format_human, ld_parse, ld_round


def test_parse_rejects_what_redis_rejects():
    for bad in (b"", b" 1", b"1 ", b"nan", b"1e5000", b"1e-5000", b"1\x002", b"x" * 5120,
                b"1e" + b"9" * 4500, b"1e-" + b"9" * 4500, b"0x1p99999"):
        assert ld_parse(bad) is None, bad
    assert ld_parse(b"-inf") == float("-inf")
    assert ld_parse(b"1.5") == Fraction(3, 2)


def test_rounding_and_printing_like_x87():
    assert ld_format_human(ld_round(ld_parse(b"0.1") + ld_parse(b"0.2"))) == b"0.3"
    assert ld_format_human(ld_round(ld_parse(b"10.6") - 5000)) == b"-4989.39999999999999991"
    assert ld_format_human(ld_round(Fraction(-0))) == b"0"


@given(st.integers(min_value=-(2**62), max_value=2**62))
def test_integers_round_trip(n):
    assert ld_format_human(ld_round(Fraction(n))) == b"%d" % n
