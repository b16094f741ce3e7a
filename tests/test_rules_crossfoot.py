"""C rules: column cross-foot from the header tree, stated and name-derived column formulas."""

from __future__ import annotations

from pathlib import Path

import pytest

from arith_fixtures import (
    BASIC_003, CARRYOVER_003, EXPENDITURE_003, INCOME_001, PROJECT_003, PROJECTS_001, SPENDING_001, SUMMARY_003,
    doc_from, findings, line_of, mutate, tsv,
)
from budgetlint.engine import run
from budgetlint.findings import evaluate_identities
from budgetlint.rule import BulkIdentity, Context, Identity

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

INCOME_003 = tsv([
    "表 2", "", "单位收入总体情况表", "", "编制单位：自治区国土资源执法监察总队", "", "单位：万元", "",
    "功能分类科目编码|||功能分类科目名称|总计|财政拨款（补助）|||||单位资金|非财政拨款结转结余",
    "类|款|项|||财政拨款（补助）小计|一般公共预算|上级一般公共预算安排的转移支付|政府性基金预算|上级政府性基金安排的转移支付||",
    "※|※|※|※|1|2|3|4|5|6|7|8",
    "|||总计|17,798.61|17,439.61|17,439.61||||350.00|9.00",
    "220|||自然资源海洋气象等支出|14,083.33|13,724.33|13,724.33||||350.00|9.00",
    "220|01||自然资源事务|14,083.33|13,724.33|13,724.33||||350.00|9.00",
    "220|01|01|行政运行|8,954.33|8,944.33|8,944.33||||1.00|9.00",
    "220|01|99|其他自然资源事务支出|5,129.00|4,780.00|4,780.00||||349.00|",
])


def _only(fs, code):
    got = [f for f in fs if f.code == code]
    assert len(got) == 1, [(f.code, f.line, f.message) for f in fs]
    return got[0]


def _terms(f):
    return [(t["label"].split(" · ")[1], t["value"], t["sign"]) for t in f.terms]


@pytest.mark.parametrize(
    "text",
    [SUMMARY_003, INCOME_003, EXPENDITURE_003, BASIC_003, PROJECT_003, CARRYOVER_003, INCOME_001, SPENDING_001, PROJECTS_001],
    ids=["summary", "income", "expenditure", "basic", "project", "carryover", "income-001", "spending-001", "projects-001"],
)
def test_consistent_tables_cross_foot(text):
    assert findings(text, "C") == []


def test_rules_build_identities_on_every_row():
    from budgetlint.rules.crossfoot.C201_column_cross_foot import ColumnCrossFoot

    doc = doc_from(EXPENDITURE_003)
    ctx = Context()
    ids = list(ColumnCrossFoot().check(doc, ctx))
    assert ids and all(isinstance(i, BulkIdentity) for i in ids)  # judged by the engine, in one pass per table
    assert _judged(doc, ids) == 16  # 合计 = 基本支出 + 项目支出 judged on each of the 16 rows (总计 and 15 code rows)


def test_changed_part_column_is_found_in_its_row():
    text = mutate(EXPENDITURE_003, "220\t\t\t", 6, "5,129.00")
    f = _only(findings(text, "C"), "C201")
    assert (f.severity, f.line, f.row["code"], f.column["label"]) == ("error", line_of(text, "220\t\t\t"), "220", "支出预算 / 合计")
    assert (f.expected, f.actual) == (14073.33, 14083.33)
    assert _terms(f) == [("支出预算 / 基本支出", 8944.33, 1), ("支出预算 / 项目支出", 5129.0, 1)]
    assert "「220 自然资源海洋气象等支出」行：「支出预算 / 合计」栏应等于「基本支出」＋「项目支出」之和" in f.message


def test_changed_total_column_is_found_in_its_row():
    text = mutate(BASIC_003, "302\t\t", 3, "928.84")
    f = _only(findings(text, "C"), "C201")
    assert (f.row["code"], f.column["label"], f.expected, f.actual) == ("302", "一般公共预算基本支出 / 合计", 918.84, 928.84)
    assert _terms(f) == [("一般公共预算基本支出 / 人员经费", None, 1), ("一般公共预算基本支出 / 公用经费", 918.84, 1)]


def test_subtotal_column_under_a_merged_header():
    text = mutate(INCOME_003, "220\t01\t01", 6, "8,954.33")  # 一般公共预算 of 行政运行
    f = _only(findings(text, "C"), "C201")
    assert (f.row["code"], f.column["label"], f.expected, f.actual) == (
        "2200101", "财政拨款(补助) / 财政拨款(补助)小计", 8954.33, 8944.33)
    assert [t[0] for t in _terms(f)] == ["财政拨款(补助) / 一般公共预算", "财政拨款(补助) / 政府性基金预算"]


def test_transfer_column_is_a_part_of_the_column_before_it():
    text = mutate(INCOME_003, "220\t01\t99", 7, "4,800.00")  # 上级转移支付 above its 一般公共预算
    f = _only(findings(text, "C"), "C201")
    assert (f.row["code"], f.column["label"], f.extra["relation"]) == ("2200199", "财政拨款(补助) / 一般公共预算", ">=")
    assert (f.expected, f.actual) == (4800.0, 4780.0)
    # …and it is never added into the 小计 as a sibling
    assert findings(mutate(INCOME_003, "220\t01\t99", 7, "100.00"), "C") == []


def test_nested_groups_without_their_own_total():
    text = mutate(CARRYOVER_003, "石河子市", 9, "8.00")
    fs = findings(text, "C")
    assert sorted((f.column["label"], f.expected, f.actual) for f in fs) == [("非财政拨款 / 合计", 8.0, 9.0)]


def test_rounding_within_the_interval_is_consistent():
    base = [
        "表 5 一般公共预算支出情况表", "", "单位：万元", "",
        "功能分类科目编码|功能分类科目名称|合计|基本支出|项目支出",
    ]
    ok = tsv(base + ["201|一般公共服务支出|100.01|60.00|40.00"])
    assert findings(ok, "C") == []  # three printed values: 0.015 of slack
    bad = tsv(base + ["201|一般公共服务支出|100.02|60.00|40.00"])
    f = _only(findings(bad, "C"), "C201")
    assert (f.expected, f.actual, f.tolerance) == (100.0, 100.02, 0.015)
    coarse = tsv(base + ["201|一般公共服务支出|101|60|40"])  # integer amounts: ±0.5 each
    assert findings(coarse, "C") == []


def test_formula_derived_from_column_names():
    text = mutate(INCOME_001, "一、财政拨款收入", 4, "1982.47")
    f = _only(findings(text, "C"), "C202")
    assert (f.row["label"], f.column["label"], f.expected, f.actual) == ("一、财政拨款收入", "收入 / 预算调整数", 1972.47, 1982.47)
    assert _terms(f) == [("收入 / 年初预算数", 1668.64, 1), ("收入 / 追加预算数", 303.83, 1)]
    assert "年初预算数＋追加预算数＝预算调整数" in f.message
    # a negative addition is added with its sign: 117.78 − 16.82 = 100.96
    fs = findings(mutate(INCOME_001, "政府性基金预算财政拨款", 3, "16.82"), "C202")
    assert [(f.row["label"], f.expected, f.actual) for f in fs] == [("政府性基金预算财政拨款", 134.6, 100.96)]


def test_formula_stated_in_the_numbering_row():
    base = [
        "表 3 支出预算表", "", "单位：万元", "",
        "科目编码|科目名称|基本支出|项目支出|合计数",
        "栏次||1|2|3=1+2",
    ]
    ok = tsv(base + ["201|一般公共服务支出|60.00|40.00|100.00"])
    assert findings(ok, "C") == []
    bad = tsv(base + ["201|一般公共服务支出|60.00|40.00|110.00"])
    f = _only(findings(bad, "C"), "C202")
    assert (f.column["label"], f.expected, f.actual) == ("合计数", 100.0, 110.0)
    assert "栏次 3=1+2" in f.message
    minus = tsv(base[:-2] + ["科目编码|科目名称|年初结转|本年收入|本年支出|年末结转", "栏次||1|2|3|4=1+2-3",
                              "201|一般公共服务支出|10.00|50.00|45.00|16.00"])
    f = _only(findings(minus, "C"), "C202")
    assert (f.expected, f.actual) == (15.0, 16.0)
    assert [t["sign"] for t in f.terms] == [1, 1, -1]


def test_extra_formulas_from_config():
    from budgetlint.engine import check_documents

    text = tsv([
        "表 9 收支情况表", "", "单位：万元", "",
        "项目|上年数|本年数|增减额",
        "办公费|10.00|12.00|3.00",
    ])
    cfg = {"crossfoot": {"formulas": [{"name": "本年数－上年数＝增减额", "total": "^增减额$", "plus": ["^本年数$"], "minus": ["^上年数$"]}]}}
    fs = check_documents([doc_from(text)], select=["C202"], config=cfg).findings
    assert [(f.expected, f.actual) for f in fs] == [(2.0, 3.0)]
    assert check_documents([doc_from(text)], select=["C202"]).findings == []


def test_the_seeds_cross_foot():
    if not SEEDS.is_dir():  # the seeds are test data: missing means a broken checkout
        pytest.fail("seed documents missing from ../shared/seeds")
    # Verified by hand: every row of 003 表 2–11 cross-foots (e.g. 表 2 总计 17,798.61 = 17,439.61 + 350.00
    # + 9.00; 表 7 unit rows 160.00 = 159.30 + 0.70), and in 001 表 1-1/1-2 年初预算数 + 追加预算数 =
    # 预算调整数 in every row (1,668.64 + 302.96 = 1,971.60; 160.83 − 25.13 = 135.70…).
    report = run([str(SEEDS)], select=["C"])
    assert [(Path(f.path).name[:3], f.line, f.code) for f in report.findings] == []
    from budgetlint.loaders import load_document
    from budgetlint.rules.crossfoot.C201_column_cross_foot import ColumnCrossFoot
    from budgetlint.rules.crossfoot.C202_column_formula import ColumnFormula

    doc3 = load_document(SEEDS / "003_407e03e18ae36581.txt")
    assert _judged(doc3, list(ColumnCrossFoot().check(doc3, Context()))) > 400
    doc1 = load_document(SEEDS / "001_cc27d041c9c85168.txt")
    assert _judged(doc1, list(ColumnFormula().check(doc1, Context()))) == 11  # 年初 + 追加 = 调整 on every filled row of 表1-1 (6) and 表1-2 (5)


def _judged(doc, identities) -> int:
    """How many identity instances with a value the engine judged; asserts that all of them hold."""
    tally: dict = {}
    assert evaluate_identities(doc, identities, "zh", tally=tally) == []
    return sum(tally.values())
