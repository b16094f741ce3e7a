"""Property-based tests for the one number parser every loader uses."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from budgetlint.numbers import BLANK_TOKENS, Number, parse_number

FULLWIDTH = str.maketrans("0123456789,.-%()", "０１２３４５６７８９，．－％（）")

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False)
decimals_any = st.integers(min_value=0, max_value=4).flatmap(
    lambda places: st.tuples(
        st.decimals(min_value=Decimal(0), max_value=Decimal("1e12"), places=places, allow_nan=False, allow_infinity=False),
        st.just(places),
    )
)


def printed(value: Decimal, places: int, thousands: bool) -> str:
    return f"{value:,.{places}f}" if thousands else f"{value:.{places}f}"


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
@example("\x00")
@example("1,2,3")
@example("((1))")
@example("--5")
@example("1e5")
@example("∞")
@example("١٢٣")  # Arabic-Indic digits: str.isdigit() but not ASCII after NFKC
@example("²")
@example("879. 00")
def test_never_raises_and_is_consistent(text):
    n = parse_number(text)
    assert isinstance(n, Number)
    if n.blank:
        assert n.value is None
    if n.value is not None:
        assert not n.blank
        assert isinstance(n.value, Decimal) and n.value.is_finite()
        assert n.decimals >= 0
        assert n.percent == (n.unit == "%")


@settings(max_examples=300)
@given(decimals_any, st.booleans(), st.booleans())
def test_printed_amounts_round_trip_with_their_decimals(value_places, thousands, negative):
    value, places = value_places
    text = printed(value, places, thousands)
    if negative and value:
        text = "-" + text
        value = -value
    n = parse_number(text)
    assert n.value == value, text
    assert n.decimals == places, text
    assert not n.blank and n.unit is None and n.comparator is None


@settings(max_examples=200)
@given(amounts)
def test_parentheses_mean_negative(value):
    assume(value > 0)
    n = parse_number(f"({value:,.2f})")
    assert n.value == -value and n.decimals == 2


@settings(max_examples=200)
@given(amounts, st.booleans())
def test_full_width_text_parses_like_ascii(value, thousands):
    text = printed(value, 2, thousands)
    assert parse_number(text.translate(FULLWIDTH)) == parse_number(text)


@settings(max_examples=200)
@given(amounts, st.sampled_from(["", " ", "  ", "\t", "\u3000", "\u00a0"]), st.sampled_from(["", " ", "\u3000"]))
def test_surrounding_spaces_do_not_matter(value, left, right):
    text = printed(value, 2, True)
    assert parse_number(left + text + right) == parse_number(text)


@settings(max_examples=200)
@given(
    st.integers(min_value=0, max_value=100),
    st.sampled_from([(">=", "≥"), ("≥", "≥"), ("> =", "≥"), ("≤", "≤"), ("<=", "≤"), ("不低于", "≥"), ("<", "<"), (">", ">")]),
    st.sampled_from(["%", "万元", "人次", "个", ""]),
)
def test_comparators_and_units_inside_cells(value, comparator, unit):
    written, canonical = comparator
    n = parse_number(f"{written}{value}{unit}")
    assert n.value == value
    assert n.comparator == canonical
    assert n.unit == (unit or None)
    assert n.percent == (unit == "%")


@pytest.mark.parametrize("token", sorted(BLANK_TOKENS))
def test_blank_tokens_are_blank_not_zero(token):
    n = parse_number(token)
    assert n.blank and n.value is None
    zero = parse_number("0.00")
    assert not zero.blank and zero.value == 0 and zero.decimals == 2


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1_000, max_value=200_000), st.sampled_from(["1", ",", " ", ".", "(", "≥", "万", "-"]))
def test_long_hostile_text_is_fast(length, ch):
    parse_number.cache_clear()
    started = time.perf_counter()
    n = parse_number(ch * length)
    assert time.perf_counter() - started < 0.5
    assert n.value is None  # nothing that long is a cell's number


@pytest.mark.parametrize(
    "text, value, decimals",
    [
        ("17,789.61", Decimal("17789.61"), 2),
        ("1,801.39", Decimal("1801.39"), 2),
        ("-16.82", Decimal("-16.82"), 2),
        ("879. 00", Decimal("879.00"), 2),
        ("１，８０１．３９", Decimal("1801.39"), 2),
        ("≤5 万元", Decimal(5), 0),
    ],
)
def test_seed_cells(text, value, decimals):
    n = parse_number(text)
    assert (n.value, n.decimals) == (value, decimals)
