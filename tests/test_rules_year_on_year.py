"""Year-on-year tables (上年 | 本年 | 增减额 | 增减率), a layout the seeds do not have.

C203 checks 增减额 = later − earlier and 增减率 = 增减额 ÷ earlier × 100 in every row;
rate columns are never added up (B302, S rules); the shape check knows the layout.
"""

from __future__ import annotations

import pytest

from arith_fixtures import doc_from, tsv
from budgetlint import engine

GPB = [
    "表5", "一般公共预算支出情况表", "单位：万元",
    "科目编码|科目名称|2023年预算数|2024年预算数|增减额|增减率（%）",
    "|合计|1,800.00|1,962.00|162.00|9.00",
    "208|社会保障和就业支出|150.00|168.70|18.70|12.47",
    "20805|行政事业单位养老支出|150.00|168.70|18.70|12.47",
    "2080505|机关事业单位基本养老保险缴费支出|110.00|120.50|10.50|9.55",
    "2080506|机关事业单位职业年金缴费支出|40.00|48.20|8.20|20.50",
    "220|自然资源海洋气象等支出|1,650.00|1,793.30|143.30|8.68",
    "22001|自然资源事务|1,650.00|1,793.30|143.30|8.68",
    "2200101|行政运行|1,300.00|1,387.86|87.86|6.76",
    "2200106|自然资源利用与保护|350.00|405.44|55.44|15.84",
    "2200199|其他自然资源事务支出|0.00|0.00|0.00|",
]
SANGONG = [
    "表6", "“三公”经费支出情况表", "单位：万元",
    "项目|上年预算数|本年预算数|增减额|增减率",
    "合计|18.00|16.00|-2.00|-11.11%",
    "1.因公出国（境）费|0.00|0.00|0.00|",
    "2.公务用车购置及运行费|14.00|12.60|-1.40|-10.00%",
    "其中：公务用车购置费|0.00|0.00|0.00|",
    "公务用车运行费|14.00|12.60|-1.40|-10.00%",
    "3.公务接待费|4.00|3.40|-0.60|-15.00%",
]


def _check(*tables: list[str]):
    return engine.check_documents([doc_from(*(tsv(t) for t in tables))]).findings


def _with(lines: list[str], start: str, col: int, new: str) -> list[str]:
    out = list(lines)
    i = next(k for k, ln in enumerate(out) if ln.startswith(start))
    cells = out[i].split("|")
    cells[col] = new
    out[i] = "|".join(cells)
    return out


def test_consistent_year_on_year_tables_raise_nothing():
    assert [(f.code, f.message) for f in _check(GPB, SANGONG)] == []


def test_a_rate_that_does_not_follow_is_found_at_its_cell():
    found = _check(_with(GPB, "2200106", 5, "16.84"))
    assert [(f.code, f.row["label"], f.expected, f.actual) for f in found] == [("C203", "自然资源利用与保护", 15.84, 16.84)]


def test_a_change_that_does_not_follow_is_found_and_named_as_the_suspect():
    found = _check(_with(GPB, "2080506", 4, "8.00"))
    c203 = [f for f in found if f.code == "C203"]
    assert [(f.row["label"], f.column["label"], f.expected, f.actual) for f in c203] == [
        ("机关事业单位职业年金缴费支出", "增减额", 8.2, 8.0)]


def test_a_decrease_printed_as_a_rise_is_found():
    found = _check(_with(SANGONG, "合计", 4, "11.11%"))
    assert [(f.code, f.expected, f.actual) for f in found] == [("C203", -11.11, 11.11)]


def test_a_rate_within_rounding_is_no_finding_but_shown_with_show_rounding():
    # 10.50 ÷ 110.00 = 9.545…: 9.55 and 9.54 are both within the printed digits' intervals
    lines = _with(GPB, "2080505", 5, "9.54")
    assert _check(lines) == []
    shown = engine.check_documents([doc_from(tsv(lines))], show_rounding=True).findings
    assert any(f.code == "C203" and f.severity == "info" for f in shown)


@pytest.mark.parametrize("earlier", ["0.00", ""])
def test_no_rate_without_an_earlier_amount(earlier):
    lines = _with(_with(GPB, "2200199", 2, earlier), "2200199", 5, "100.00")
    assert [f for f in _check(lines) if f.code == "C203"] == []


def test_rate_columns_are_never_added_up():
    """B302 checks the 三公 composition in the amount columns only, not in 增减率."""
    found = _check(_with(SANGONG, "1.因公出国", 2, "0.50"))
    b302 = [f for f in found if f.code == "B302"]
    assert [f.column["label"] for f in b302] == ["本年预算数"]
