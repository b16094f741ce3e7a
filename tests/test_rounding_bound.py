"""One rounding rule for every family: a difference exactly on the bound holds, one digit beyond does not.

For each family with arithmetic a real document's figures are changed so that
an identity of that family differs by exactly its rounding tolerance (the sum
of the half-units of its printed cells): it is not a finding, and with
``--show-rounding`` it is listed as ``info`` with the difference equal to the
tolerance.  One last digit more makes it a finding.  Ratios (shares, growth
rates) are judged by the same module: a rate that rounds differently from the
printed one but whose interval still meets it is listed as rounding.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from _budget_tables import TABLES_003, doc, mutate
from _narrative_text import NARRATIVE_003
from _report_data import run_cli
from arith_fixtures import EXPENDITURE_003
from arith_fixtures import mutate as set_cell
from test_rules_perf import NINETY, xj

from budgetlint import engine


def _tables_with(text: str) -> str:
    """A text table (tab-separated) in the ``a | b`` notation of ``_budget_tables``."""
    return text.replace("\t", " | ")


def _allocations(scale: str) -> str:
    """The narrative with one project's allocation list shortened to five parts (157.00) and its 预算安排规模 given."""
    text = NARRATIVE_003.replace("、其他商品和服务支出 3 万元", "").replace("预算安排规模：160.00 万元", f"预算安排规模：{scale} 万元")
    return TABLES_003 + "\n" + text


# (family, code, document on the bound, document one last digit beyond)
CASES = [
    # S102 208 05 = 208 05 01 + 208 05 05: 1,801.39 against 616.1 (±0.05) + 1,185.23 (±0.005) + total ±0.005 → 0.06
    ("S", "S102",
     _tables_with(set_cell(set_cell(EXPENDITURE_003, "208|05|01".replace("|", "\t"), 4, "616.1"), "208\t05\t05", 4, "1,185.23")),
     _tables_with(set_cell(set_cell(EXPENDITURE_003, "208\t05\t01", 4, "616.1"), "208\t05\t05", 4, "1,185.22"))),
    # C201 行政运行: 合计 = 基本支出 8,944.33 + 项目支出 10.0 (±0.05) → tolerance 0.06
    ("C", "C201",
     _tables_with(set_cell(set_cell(EXPENDITURE_003, "220\t01\t01", 6, "10.0"), "220\t01\t01", 4, "8,954.39")),
     _tables_with(set_cell(set_cell(EXPENDITURE_003, "220\t01\t01", 6, "10.0"), "220\t01\t01", 4, "8,954.40"))),
    # B302 三公 合计 = 出国 + 接待 + 公务用车 18.00: tolerance 0.01
    ("B", "B302", mutate(TABLES_003, "合计 | 18.00 | 18.00", "合计 | 18.00", "合计 | 18.01"),
     mutate(TABLES_003, "合计 | 18.00 | 18.00", "合计 | 18.00", "合计 | 18.02")),
    # X301 表1 单位资金 = 表2 总计 · 单位资金: tolerance 0.01
    ("X", "X301", mutate(TABLES_003, "5. 单位资金", "350.00", "350.01"), mutate(TABLES_003, "5. 单位资金", "350.00", "350.02")),
    # P404 年度预算总额 = 财政拨款 17.0 (±0.05) + 其他资金 0.00: tolerance 0.06
    ("P", "P404", xj(NINETY, total="17.06", fiscal="17.0"), xj(NINETY, total="17.07", fiscal="17.0")),
    # N604 a project's 资金分配情况 against its 预算安排规模: five parts (prose takes the table precision) + the whole → 0.03
    ("N", "N604", _allocations("157.03"), _allocations("157.04")),
]


def _findings(text: str, code: str, show_rounding: bool):
    return [f for f in engine.check_documents([doc(text)], select=[code], show_rounding=show_rounding).findings if f.code == code]


@pytest.mark.parametrize("family, code, on_bound, beyond", CASES, ids=[c[0] for c in CASES])
def test_a_difference_on_the_bound_is_rounding(family, code, on_bound, beyond):
    assert [f for f in _findings(on_bound, code, False) if f.severity != "info"] == []
    listed = [f for f in _findings(on_bound, code, True) if f.severity == "info"]
    assert listed, f"{code}: the difference on the bound is not listed with --show-rounding"
    # exact Decimals until JSON: the difference is the tolerance to the last digit, not a float near it
    assert any(isinstance(f.exact.get("difference"), Decimal) and abs(f.exact["difference"]) == f.exact["tolerance"] for f in listed), [
        (f.message, f.difference, f.tolerance) for f in listed]


@pytest.mark.parametrize("family, code, on_bound, beyond", CASES, ids=[c[0] for c in CASES])
def test_one_digit_beyond_the_bound_is_a_finding(family, code, on_bound, beyond):
    found = [f for f in _findings(beyond, code, False) if f.severity in ("error", "warning")]
    assert found, f"{code}: one last digit beyond the bound is not reported"
    assert any(abs(f.number("difference")) > f.number("tolerance") for f in found)


# 项目支出 4,780.00, 减少 19.92 → last year 4,799.92: the rate is 0.41501 %, printed to two decimals 0.42 %;
# a printed 0.41 % still meets it within the rounding of its three figures, 0.40 % does not.
RATE = "项目支出 4,780.00 万元，比上年预算减少 20.00 万元，下降 0.42%"


@pytest.mark.parametrize("printed, listed, reported", [("0.41", True, False), ("0.40", False, True), ("0.42", False, False)])
def test_growth_rates_are_judged_by_the_same_rounding(printed, listed, reported):
    text = TABLES_003 + "\n" + NARRATIVE_003.replace(RATE, f"项目支出 4,780.00 万元，比上年预算减少 19.92 万元，下降 {printed}%")
    shown = [f for f in _findings(text, "N603", True) if "4,799.92" in f.message or "19.92" in f.message]
    assert bool([f for f in shown if f.severity == "info"]) is listed
    assert bool([f for f in shown if f.severity == "error"]) is reported


def test_shares_are_judged_by_the_same_rounding():
    # 单位资金 350.00 of 17,798.61 is 1.9664 %: 1.97 % is right, 1.96 % is wrong, in either mode
    ok = _findings(TABLES_003 + "\n" + NARRATIVE_003, "N602", True)
    assert [f for f in ok if "单位资金" in f.message] == []
    text = TABLES_003 + "\n" + NARRATIVE_003.replace("单位资金 350.00 万元，占 1.97%", "单位资金 350.00 万元，占 1.96%")
    [f] = [f for f in _findings(text, "N602", False) if "单位资金" in f.message]
    assert f.severity == "error" and (f.expected, f.actual) == (1.97, 1.96)


def test_cli_show_rounding_lists_every_family(tmp_path):
    for family, code, on_bound, _ in CASES:
        path = tmp_path / f"{family}.txt"
        from _budget_tables import tsv

        path.write_text(tsv(on_bound), encoding="utf-8")
        res = run_cli(["check", "--format", "json", "--select", code, "--show-rounding", str(path)], cwd=tmp_path)
        infos = [f for f in json.loads(res.stdout)["findings"] if f["code"] == code and f["severity"] == "info"]
        assert infos, (family, res.stdout[-500:])
