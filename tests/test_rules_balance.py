"""Family B: two-sided balances (B301) and 三公 composition (B302), on seed-like tables."""

from __future__ import annotations

import pytest

from _budget_tables import TABLES_001, TABLES_003, line_of, mutate, run

# Only the tables each test needs, cut out of the seed-like documents.
T1_003 = TABLES_003[: TABLES_003.index("表 2\n")]
T4_003 = TABLES_003[TABLES_003.index("表 4\n"): TABLES_003.index("表 5\n")]
T10_003 = TABLES_003[TABLES_003.index("表 10\n"):]


def _one(findings, code):
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, [(f.code, f.line, f.message) for f in findings]
    return hits[0]


def _term_cells(f):
    return {(t["table"], t["row"], t["column"]) for t in f.terms}


# ---------------------------------------------------------------- B301: one two-sided table


def test_summary_003_balances():
    assert run(T1_003, "B301") == []
    assert run(T4_003, "B301") == []


def test_expenditure_total_differs_from_income_total():
    text = mutate(T1_003, "支出总计", "支出总计 | 17,798.61", "支出总计 | 17,789.61")
    f = _one(run(text, "B301"), "B301")
    assert f.severity == "error"
    assert f.line == line_of(text, "收入总计")
    assert f.row["label"] == "收入总计" and f.column["index"] == 1
    assert f.expected == pytest.approx(17789.61) and f.actual == pytest.approx(17798.61)
    assert f.difference == pytest.approx(9.00)
    assert _term_cells(f) == {(0, 30, 3)}  # the 支出总计 cell on the other side
    assert "收入总计" in f.message and "支出总计" in f.message


def test_income_total_differs_from_its_parts():
    text = mutate(T1_003, "二、上年结转结余", "9.00", "8.00")
    f = _one(run(text, "B301"), "B301")
    assert f.severity == "error"
    assert f.row["label"] == "收入总计"
    assert f.expected == pytest.approx(17797.61) and f.actual == pytest.approx(17798.61)
    assert _term_cells(f) == {(0, 0, 1), (0, 17, 1)}  # 一、本年收入 + 二、上年结转结余
    assert "上年结转结余" in f.message


def test_rounding_difference_is_not_flagged():
    # 17,789.60 + 9.00 = 17,798.60 against 17,798.61: one cent, inside 3 × ½ cent
    text = mutate(T1_003, "一、本年收入", "17,789.61", "17,789.60")
    assert run(text, "B301") == []


def test_fiscal_summary_income_total_against_its_lines():
    text = mutate(T4_003, "一、财政拨款", "17,439.61", "17,493.61")
    f = _one(run(text, "B301"), "B301")
    assert f.line == line_of(text, "收入总计")
    assert f.expected == pytest.approx(17493.61) and f.actual == pytest.approx(17439.61)
    assert _term_cells(f) == {(0, 0, 1)}


FINAL_ONE_TABLE = """\
收入支出决算总表

单位：万元

收入 |  |  | 支出 |  |
项目 | 行次 | 决算数 | 项目 | 行次 | 决算数
一、财政拨款收入 | 1 | 1,972.47 | 一、基本支出 | 28 | 1,867.14
二、事业收入 | 2 | - | 二、项目支出 | 29 | 104.46
本年收入合计 | 3 | 1,972.47 | 本年支出合计 | 30 | 1,971.60
用事业基金弥补收支差额 | 4 | - | 结余分配 | 31 | -
年初结转和结余 | 5 | 12.01 | 年末结转和结余 | 32 | 12.88
总计 | 6 | 1,984.48 | 总计 | 33 | 1,984.48
"""


def test_final_accounts_summary_balances():
    assert run(FINAL_ONE_TABLE, "B301") == []


def test_final_accounts_expenditure_total_against_year_end():
    text = mutate(FINAL_ONE_TABLE, "年末结转和结余", "12.88", "12.80")
    f = _one(run(text, "B301"), "B301")
    assert f.severity == "error"
    assert f.line == line_of(text, "总计 | 6")
    assert f.column["index"] == 5  # the 支出 side's 决算数
    assert f.expected == pytest.approx(1984.40) and f.actual == pytest.approx(1984.48)
    assert _term_cells(f) == {(0, 2, 5), (0, 3, 5), (0, 4, 5)}


# ---------------------------------------------------------------- B301: sides split over two tables (001)


def test_split_final_accounts_unfilled_year_end_is_a_warning():
    findings = run(TABLES_001, "B301")
    assert [(f.severity, f.line, f.column["label"], f.expected, f.actual) for f in findings] == [
        ("warning", line_of(TABLES_001, "总计 | 17"), "收入 / 追加预算数", pytest.approx(302.96), pytest.approx(315.84)),
        ("warning", line_of(TABLES_001, "总计 | 17"), "收入 / 预算调整数", pytest.approx(1971.60), pytest.approx(1984.48)),
    ]
    f = findings[1]
    # the terms are the 支出 table's cells: 本年支出合计, 结余分配, 年末结转和结余
    assert {(t["table"], t["line"]) for t in f.terms} == {
        (1, line_of(TABLES_001, "本年支出合计")), (1, line_of(TABLES_001, "结余分配")),
        (1, line_of(TABLES_001, "年末结转和结余 | 73")),
    }
    assert "未填列" in f.message


def test_split_final_accounts_real_difference_is_an_error():
    text = mutate(TABLES_001, "年末结转和结余 | 73", "12.88", "12.80")
    findings = [f for f in run(text, "B301") if f.severity == "error"]
    f = _one(findings, "B301")
    assert f.line == line_of(text, "总计 | 17") and f.column["label"] == "收入 / 决算数"
    assert f.expected == pytest.approx(1984.40) and f.actual == pytest.approx(1984.48)
    assert (1, 20, 5) in _term_cells(f)  # 表1-2 年末结转和结余 · 决算数


def test_split_income_total_against_current_income_and_carry_over():
    text = mutate(TABLES_001, "年初结转和结余 | 12", "| 12.01 | 12.01 | 12.01", "| 12.01 | 12.01 | 12.10")
    errors = [f for f in run(text, "B301") if f.severity == "error"]
    f = _one(errors, "B301")
    assert f.row["label"] == "总计" and f.column["label"] == "收入 / 决算数"
    assert f.expected == pytest.approx(1984.57) and f.actual == pytest.approx(1984.48)
    assert _term_cells(f) == {(0, 8, 5), (0, 9, 5), (0, 10, 5)}


def test_missing_partner_table_is_not_an_error():
    only_income = TABLES_001[: TABLES_001.index("表 1-2")]
    assert run(only_income, "B301") == []


def test_year_end_identity_across_columns():
    text = mutate(TABLES_001, "土地出让业务支出", "| 0 |", "| 5.00 |")
    f = _one([f for f in run(text, "B301") if f.severity == "error"], "B301")
    assert f.line == line_of(text, "土地出让业务支出")
    assert f.column["label"] == "年末结转和结余"
    assert f.expected == pytest.approx(0) and f.actual == pytest.approx(5.00)
    assert _term_cells(f) == {(2, 1, 2), (2, 1, 3), (2, 1, 4)}
    assert sorted(t["sign"] for t in f.terms) == [-1, 1, 1]


FISCAL_FINAL = """\
财政拨款收入支出决算总表

单位：万元

项目 | 年初财政拨款结转和结余 |  |  | 本年财政拨款收入 | 本年财政拨款支出 | 年末财政拨款结转和结余 |  |
 | 小计 | 基本支出结转 | 项目支出结转和结余 |  |  | 小计 | 基本支出结转 | 项目支出结转和结余
一般公共预算财政拨款 | 12.01 | 12.01 |  | 1,871.51 | 1,870.64 | 12.88 | 12.88 |
政府性基金预算财政拨款 |  |  |  | 100.96 | 100.96 | 0.00 |  |
"""


def test_year_end_identity_with_fiscal_column_names_and_sub_columns():
    assert run(FISCAL_FINAL, "B301") == []
    text = mutate(FISCAL_FINAL, "政府性基金预算财政拨款", "| 100.96 | 100.96 |", "| 100.96 | 96.10 |")
    f = _one(run(text, "B301"), "B301")
    assert f.line == line_of(text, "政府性基金预算财政拨款") and f.column["index"] == 6
    assert f.expected == pytest.approx(4.86) and f.actual == pytest.approx(0.00)
    assert _term_cells(f) == {(0, 1, 1), (0, 1, 4), (0, 1, 5)}


# ---------------------------------------------------------------- B302


def test_sangong_003_consistent():
    assert run(T10_003, "B302") == []


def test_sangong_total_differs():
    text = mutate(T10_003, "合计 | 18.00", "合计 | 18.00", "合计 | 20.00")
    f = _one(run(text, "B302"), "B302")
    assert f.severity == "error"
    assert f.line == line_of(text, "合计 | 20.00")
    assert f.row["label"] == "合计" and f.column["label"] == "合计"
    assert f.expected == pytest.approx(18.00) and f.actual == pytest.approx(20.00)
    assert _term_cells(f) == {(0, 1, 1), (0, 2, 1), (0, 3, 1)}


def test_sangong_vehicle_subtotal_differs_in_second_column():
    text = mutate(T10_003, "公务用车运行费", "| 18.00 | 18.00 |", "| 18.00 | 17.00 |")
    f = _one(run(text, "B302"), "B302")
    assert f.line == line_of(text, "公务用车购置及运行费")
    assert f.column["label"] == "资金来源 / 一般公共预算"
    assert f.expected == pytest.approx(17.00) and f.actual == pytest.approx(18.00)
    assert _term_cells(f) == {(0, 4, 2), (0, 5, 2)}


SANGONG_COLUMNS = """\
“三公”经费支出预算表

单位：万元

项目 | 合计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费
 |  |  | 小计 | 公务用车购置费 | 公务用车运行费 |
栏次 | 1 | 2 | 3 | 4 | 5 | 6
2023年预算数 | 20.50 | 0.00 | 18.00 | 0.00 | 18.00 | 2.50
2024年预算数 | 18.00 | 0.00 | 18.00 | 0.00 | 18.00 | 0.00
"""


def test_sangong_items_as_columns():
    assert run(SANGONG_COLUMNS, "B302") == []
    # without a 栏次 row the 小计 row under the merged header is still a header row
    no_numbers = "\n".join(ln for ln in SANGONG_COLUMNS.split("\n") if not ln.startswith("栏次"))
    bad = mutate(no_numbers, "2024年预算数", "| 0.00 | 18.00 | 0.00 | 18.00 |", "| 0.00 | 18.00 | 0.00 | 16.00 |")
    f = _one(run(bad, "B302"), "B302")
    assert f.column["label"] == "公务用车购置及运行费 / 小计" and f.expected == pytest.approx(16.00)
    text = mutate(SANGONG_COLUMNS, "2024年预算数", "| 18.00 | 0.00 | 18.00 |", "| 18.00 | 0.00 | 16.00 |")
    findings = run(text, "B302")
    assert [(f.line, f.column["label"], f.expected, f.actual) for f in findings] == [
        (line_of(text, "2024年预算数"), "合计", pytest.approx(16.00), pytest.approx(18.00)),
        (line_of(text, "2024年预算数"), "公务用车购置及运行费 / 小计", pytest.approx(18.00), pytest.approx(16.00)),
    ]


SANGONG_WITH_MEETINGS = """\
“三公”经费、会议费、培训费支出预算表

单位：万元

合计 | “三公”经费 |  |  |  |  |  | 会议费 | 培训费
 | 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 |  |  | 公务接待费 |  |
 |  |  | 小计 | 公务用车购置费 | 公务用车运行维护费 |  |  |
1,852.32 | 676.10 | 76.00 | 156.60 |  | 156.60 | 443.50 | 466.96 | 709.26
"""


def test_sangong_total_is_the_subtotal_under_its_heading_not_the_grand_total():
    """合计 also covers 会议费 and 培训费: the 三公 total is the 小计 under “三公”经费."""
    assert run(SANGONG_WITH_MEETINGS, "B302") == []
    bad = mutate(SANGONG_WITH_MEETINGS, "1,852.32", "| 676.10 |", "| 686.10 |")
    f = _one(run(bad, "B302"), "B302")
    assert f.column["label"] == "“三公”经费 / 小计" and f.expected == pytest.approx(676.10)


# ---------------------------------------------------------------- seeds

from pathlib import Path  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Every finding of family B on the four real documents, checked by hand:
# 001 表1-1 总计 (line 38) against 表1-2 本年支出合计 (line 60) + 结余分配 (61) +
# 年末结转和结余 (66): 决算数 1,984.48 = 1,971.60 + 12.88 balances; 追加预算数 and
# 预算调整数 leave 年末结转和结余 "-" and miss by exactly 12.88 → warnings, not errors.
# 003 表1 (17,798.61 both sides; 17,789.61 + 9.00), 表4 (17,439.61) and 表10
# (18.00 = 18.00 公务用车, = 18.00 运行费) hold.
SEED_FINDINGS = {
    "001_cc27d041c9c85168.txt": [
        ("B301", "warning", 38, "收入 / 追加预算数", 302.96, 315.84),
        ("B301", "warning", 38, "收入 / 预算调整数", 1971.60, 1984.48),
    ],
    "002_22dfcbdd3ecd58ac.txt": [],
    "003_407e03e18ae36581.txt": [],
    "004_5bc4ef2c1a6abc0e.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_FINDINGS))
def test_seed_findings(name):
    path = SEEDS / name
    if not path.exists():
        pytest.fail("seed documents missing from ../shared/seeds")
    from budgetlint import engine

    report = engine.run([str(path)], select=["B"])
    got = [(f.code, f.severity, f.line, f.column["label"] if f.column else None, f.expected, f.actual) for f in report.findings]
    assert got == [(c, s, ln, col, pytest.approx(e), pytest.approx(a)) for c, s, ln, col, e, a in SEED_FINDINGS[name]]
