"""The one number parser: every notation found in real budget cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlint.numbers import parse_number


@pytest.mark.parametrize(
    "raw, value, decimals",
    [
        ("17,789.61", "17789.61", 2),
        ("1668.64", "1668.64", 2),
        ("１，２３４．５０", "1234.50", 2),  # full-width digits and punctuation
        ("-16.82", "-16.82", 2),
        ("(16.82)", "-16.82", 2),  # negative in parentheses
        ("（16.82）", "-16.82", 2),
        ("879. 00", "879.00", 2),  # OCR gap inside the number
        ("0", "0", 0),
        ("100", "100", 0),
        ("400000.00", "400000.00", 2),
        (" 9.00 ", "9.00", 2),
    ],
)
def test_amounts(raw, value, decimals):
    n = parse_number(raw)
    assert n.value == Decimal(value)
    assert n.decimals == decimals
    assert not n.blank


@pytest.mark.parametrize("raw", ["", "-", "—", "——", "－", "  ", "/"])
def test_blank_is_not_zero(raw):
    n = parse_number(raw)
    assert n.blank and n.value is None
    zero = parse_number("0.00")
    assert not zero.blank and zero.value == 0


@pytest.mark.parametrize(
    "raw, comparator, value, unit, percent",
    [
        ("≥95%", "≥", "95", "%", True),
        ("> =90%", "≥", "90", "%", True),
        (">=8400 人次", "≥", "8400", "人次", False),
        ("≤5 万元", "≤", "5", "万元", False),
        ("=5 类", "=", "5", "类", False),
        ("≤10 个月", "≤", "10", "个月", False),
        ("< =183 件", "≤", "183", "件", False),
        ("≥100 百分 比", "≥", "100", "%", True),
        ("=1 个", "=", "1", "个", False),
        ("≤2600万", "≤", "2600", "万", False),
        ("85%以上", "≥", "85", "%", True),
        ("10个 月以 内", "≤", "10", "个月", False),
        ("≤5 萬元", "≤", "5", "万元", False),  # traditional characters
    ],
)
def test_comparators_and_units(raw, comparator, value, unit, percent):
    n = parse_number(raw)
    assert n.comparator == comparator
    assert n.value == Decimal(value)
    assert n.unit == unit
    assert n.percent is percent


@pytest.mark.parametrize(
    "raw",
    ["208 社会保障和就业支出", "2024年11月30日前", "2019年6月20日签订合同", "按时发放", "A 部门决策 (15 分)", "1、一般公共预算拨款", "12,659.6l"],
)
def test_prose_is_not_a_number(raw):
    n = parse_number(raw)
    assert n.value is None and not n.blank
