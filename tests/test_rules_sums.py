"""S rules: total rows, code hierarchy, code prefixes, 其中 parts, numbered items."""

from __future__ import annotations

from pathlib import Path

import pytest

from arith_fixtures import (
    BASIC_003, CARRYOVER_003, EXPENDITURE_003, INCOME_001, PROJECT_003, PROJECTS_001, SPENDING_001, SUMMARY_003,
    doc_from, findings, line_of, mutate,
)
from budgetlint.engine import check_documents, run

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
S_CODES = ("S101", "S102", "S103", "S104", "S105")


def _only(fs, code):
    got = [f for f in fs if f.code == code]
    assert len(got) == 1, [(f.code, f.line, f.message) for f in fs]
    return got[0]


def _terms(f):
    return [(t["label"].split(" · ")[0], t["value"]) for t in f.terms]


@pytest.mark.parametrize(
    "text", [SUMMARY_003, EXPENDITURE_003, BASIC_003, PROJECT_003, CARRYOVER_003, INCOME_001, PROJECTS_001],
    ids=["summary", "expenditure", "basic", "project", "carryover", "income-001", "projects-001"],
)
def test_consistent_tables_give_no_error(text):
    assert [f for f in findings(text, *S_CODES) if f.severity == "error"] == []


def test_rounding_within_the_interval_is_not_flagged_but_is_judged():
    # 301 工资福利支出 11,123.32 over nine 款 adding to 11,123.33: (9 + 1) × 0.005 of slack
    doc = doc_from(BASIC_003)
    assert findings(doc, "S102") == []
    info = check_documents([doc_from(BASIC_003)], select=["S102"], show_rounding=True).findings
    row301 = [f for f in info if f.row["code"] == "301" and f.column["label"].endswith("合计")]
    assert len(row301) == 1 and row301[0].severity == "info"
    assert (row301[0].expected, row301[0].actual, row301[0].tolerance) == (11123.33, 11123.32, 0.05)


def test_changed_total_row_is_found_at_the_total():
    text = mutate(EXPENDITURE_003, "\t\t\t总计", 4, "17,808.61")
    f = _only(findings(text, "S101"), "S101")
    assert (f.severity, f.line, f.row["label"], f.column["label"]) == ("error", line_of(text, "\t\t\t总计"), "总计", "支出预算 / 合计")
    assert (f.expected, f.actual) == (17798.62, 17808.61)
    assert _terms(f) == [("社会保障和就业支出", 1801.39), ("卫生健康支出", 1002.65), ("自然资源海洋气象等支出", 14083.33), ("住房保障支出", 911.25)]
    assert "「总计」行应等于「208 社会保障和就业支出」" in f.message


def test_changed_detail_row_is_found_at_its_subclass():
    text = mutate(EXPENDITURE_003, "208\t05\t01", 4, "626.13")
    fs = findings(text, *S_CODES)
    f = _only(fs, "S102")
    assert (f.row["code"], f.column["label"], f.line) == ("20805", "支出预算 / 合计", line_of(text, "208\t05\t\t"))
    assert (f.expected, f.actual) == (1811.39, 1801.39)
    assert _terms(f) == [("行政单位离退休", 626.13), ("机关事业单位基本养老保险缴费支出", 1185.26)]


def test_changed_code_row_breaks_both_its_children_and_the_total():
    text = mutate(EXPENDITURE_003, "208\t\t\t", 5, "1,811.39")  # 基本支出 of 类 208
    fs = findings(text, *S_CODES)
    s102 = _only(fs, "S102")
    assert (s102.row["code"], s102.column["label"], s102.expected, s102.actual) == ("208", "支出预算 / 基本支出", 1801.39, 1811.39)
    s101 = _only(fs, "S101")
    assert (s101.row["label"], s101.column["label"], s101.expected, s101.actual) == ("总计", "支出预算 / 基本支出", 12669.62, 12659.61)


def test_child_code_with_another_prefix():
    text = mutate(EXPENDITURE_003, "210\t11\t\t", 0, "211")
    f = _only(findings(text, "S103"), "S103")
    assert (f.severity, f.line, f.row["code"]) == ("error", line_of(text, "211\t11\t\t"), "21111")
    assert "210" in f.message and "21111" in f.message


def test_project_table_sums_are_scoped_to_each_unit_block():
    assert findings(PROJECT_003, *S_CODES) == []
    # a 款 row inside the second unit block
    text = mutate(PROJECT_003, "220\t01\t\t自然资源事务", 7, "147.34", nth=1)
    fs = findings(text, *S_CODES)
    assert sorted((f.code, f.row["code"], f.expected, f.actual) for f in fs) == [
        ("S102", "220", 147.34, 157.34),  # 类 over its 款 in that block only
        ("S102", "22001", 157.34, 147.34),  # 款 over its 项
    ]
    assert {f.line for f in fs} == {line_of(text, "220\t\t\t", 1), line_of(text, "220\t01\t\t", 1)}
    # a unit row against its 类 rows and against 总计
    text = mutate(PROJECT_003, "\t\t\t乌鲁木齐市米东区", 5, "170.00")
    fs = sorted(findings(text, "S101"), key=lambda f: f.line)
    assert [(f.row["label"], f.expected, f.actual) for f in fs] == [("总计", 710.0, 700.0), ("乌鲁木齐市米东区国土资源执法监察大队", 160.0, 170.0)]
    assert len(fs[0].terms) == 3  # 总计 over the three unit rows, not over every code row


def test_blank_total_with_filled_rows_is_a_warning():
    text = mutate(EXPENDITURE_003, "\t\t\t总计", 6, "")
    f = _only(findings(text, "S101"), "S101")
    assert (f.severity, f.column["label"], f.expected) == ("warning", "支出预算 / 项目支出", 5139.0)


def test_qizhong_part_larger_than_its_parent():
    text = mutate(SUMMARY_003, "其中：一般财力", 1, "17,539.61")
    f = _only(findings(text, *S_CODES), "S104")
    assert (f.severity, f.row["label"], f.column["label"]) == ("error", "1、一般公共预算拨款", "收入 / 预算数")
    assert (f.expected, f.actual, f.extra["relation"]) == (17539.61, 17439.61, ">=")
    assert _terms(f) == [("其中：一般财力", 17539.61), ("上级一般公共预算安排转移支付", None)]


def test_later_rows_of_a_qizhong_list_are_parts_not_siblings():
    # 其他收入 belongs to 5. 单位资金's 其中 list: raising it breaks the list, not 一、本年收入
    text = mutate(SUMMARY_003, "其他收入", 1, "360.00")
    f = _only(findings(text, *S_CODES), "S104")
    assert (f.row["label"], f.expected, f.actual) == ("5. 单位资金", 360.0, 350.0)


def test_numbered_sub_items_add_up_to_their_item():
    text = mutate(SUMMARY_003, "5. 单位资金", 1, "360.00")
    fs = findings(text, *S_CODES)
    f = _only(fs, "S105")
    assert (f.row["label"], f.expected, f.actual) == ("一、本年收入", 17799.61, 17789.61)
    assert [t["label"].split(" · ")[0] for t in f.terms] == ["1、一般公共预算拨款", "2、基金预算拨款", "3、国有资本经营预算拨款", "4. 财政专户核拨", "5. 单位资金"]


def test_right_side_of_a_two_sided_table_is_checked_on_its_own():
    text = mutate(SUMMARY_003, "3、国有资本经营预算拨款", 3, "1,811.39")  # 208 on the 支出 side
    f = _only(findings(text, *S_CODES), "S101")
    assert (f.row["label"], f.column["label"], f.expected, f.actual) == ("支出总计", "支出 / 预算数", 17808.62, 17798.61)


def test_complete_breakdown_of_basic_expenditure_001():
    fs = [f for f in findings(SPENDING_001, "S104") if f.severity == "error"]
    assert [(f.row["label"], f.column["label"], f.expected, f.actual) for f in fs] == [
        ("一、基本支出", "支出 / 年初预算数", 1547.36, 1668.64),
        ("一、基本支出", "支出 / 追加预算数", 319.78, 302.96),
        ("一、基本支出", "支出 / 预算调整数", 1867.14, 1971.6),
        ("一、基本支出", "支出 / 决算数", 1867.14, 1971.6),
    ]
    assert _terms(fs[0]) == [("人员经费", 1386.53), ("日常公用经费", 160.83)]


def test_numbered_items_against_their_total_001():
    fs = findings(SPENDING_001, "S105")
    assert [(f.row["label"], f.column["label"], f.expected, f.actual) for f in fs] == [
        ("本年支出合计", "支出 / 年初预算数", 1789.92, 1668.64),
        ("本年支出合计", "支出 / 追加预算数", 286.14, 302.96),
        ("本年支出合计", "支出 / 预算调整数", 2076.06, 1971.6),
        ("本年支出合计", "支出 / 决算数", 2076.06, 1971.6),
    ]
    assert [t["label"].split(" · ")[0] for t in fs[0].terms] == ["一、基本支出", "二、项目支出", "三、上缴上级支出", "四、经营支出", "五、对附属单位补助支出"]
    # the 支出经济分类 rows below the numbered items are another view of the same money, not added
    assert all("工资福利支出" not in t["label"] for f in fs for t in f.terms)


def test_income_items_and_carry_over_breakdown_001():
    fs = findings(INCOME_001, *S_CODES)
    assert {(f.code, f.severity) for f in fs} == {("S104", "warning")}  # 年初结转和结余 12.01 with its breakdown left blank
    assert sorted(f.column["label"] for f in fs) == ["收入 / 决算数", "收入 / 追加预算数", "收入 / 预算调整数"]
    text = mutate(INCOME_001, "三、事业收入", 2, "5.00")
    f = _only(findings(text, "S105"), "S105")
    assert (f.row["label"], f.column["label"], f.expected, f.actual) == ("本年收入合计", "收入 / 年初预算数", 1673.64, 1668.64)


def test_breakdowns_are_configurable():
    # declaring 项目支出 = 基本建设类项目 complete turns the open ≤ list into an equality
    assert [f for f in findings(SPENDING_001, "S104") if f.row["label"] == "二、项目支出"] == []
    cfg = {"sums": {"breakdowns": {"项目支出": ["基本建设类项目"]}}}
    fs = check_documents([doc_from(SPENDING_001)], select=["S104"], config=cfg).findings
    got = [(f.severity, f.column["label"], f.actual) for f in fs if f.row["label"] == "二、项目支出"]
    assert got == [("warning", "支出 / 年初预算数", 121.28), ("warning", "支出 / 追加预算数", -16.82),
                   ("warning", "支出 / 预算调整数", 104.46), ("warning", "支出 / 决算数", 104.46)]


def test_sums_skip_kinds_is_configurable():
    text = mutate(EXPENDITURE_003, "\t\t\t总计", 4, "17,808.61")
    assert check_documents([doc_from(text)], select=["S101"], config={"sums": {"skip_kinds": ["budget.expenditure"]}}).findings == []


# Every S finding on the real documents, verified by hand against the seed lines:
# 001 表1-2 L45 一、基本支出 (1,668.64 / 302.96 / 1,971.60 / 1,971.60) is not 人员经费 + 日常公用经费
# (1,386.53 + 160.83 = 1,547.36; 344.91 − 25.13 = 319.78; 1,731.44 + 135.70 = 1,867.14 twice);
# L60 本年支出合计 equals 一、基本支出 alone while 二、项目支出 (121.28 / −16.82 / 104.46 / 104.46)
# should be added; 表1-1 L33 年初结转和结余 12.01 with 基本支出结转/项目支出结转和结余/经营结余 all "-".
SEED_FINDINGS = {
    ("001", 33, "S104", "warning", "收入 / 追加预算数", 0.0, 12.01),
    ("001", 33, "S104", "warning", "收入 / 预算调整数", 0.0, 12.01),
    ("001", 33, "S104", "warning", "收入 / 决算数", 0.0, 12.01),
    ("001", 45, "S104", "error", "支出 / 年初预算数", 1547.36, 1668.64),
    ("001", 45, "S104", "error", "支出 / 追加预算数", 319.78, 302.96),
    ("001", 45, "S104", "error", "支出 / 预算调整数", 1867.14, 1971.6),
    ("001", 45, "S104", "error", "支出 / 决算数", 1867.14, 1971.6),
    ("001", 60, "S105", "error", "支出 / 年初预算数", 1789.92, 1668.64),
    ("001", 60, "S105", "error", "支出 / 追加预算数", 286.14, 302.96),
    ("001", 60, "S105", "error", "支出 / 预算调整数", 2076.06, 1971.6),
    ("001", 60, "S105", "error", "支出 / 决算数", 2076.06, 1971.6),
}


def test_every_s_finding_on_the_seeds():
    if not SEEDS.is_dir():  # the seeds are test data: missing means a broken checkout
        pytest.fail("seed documents missing from ../shared/seeds")
    report = run([str(SEEDS)], select=["S"])
    got = {
        (Path(f.path).name[:3], f.line, f.code, f.severity, f.column["label"], f.expected, f.actual)
        for f in report.findings
    }
    assert got == SEED_FINDINGS
