"""Family N: the narrative against the tables (rules N601–N610; doubled words in the prose, formerly N608, are H501).

The clean document is ``TABLES_003`` (seed 003's tables) followed by a narrative
in seed 003's style with its figures; each test changes one figure and checks
the finding: its code, line, expected and actual values and the located terms.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _budget_tables import TABLES_003, line_of, mutate, run
from _narrative_text import NARRATIVE_003
from budgetlint import engine

DOC = TABLES_003 + "\n" + NARRATIVE_003
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _only(findings, code):
    hits = [f for f in findings if f.code == code and not _zero_base_habit(f)]
    assert len(hits) == 1, [(f.code, f.line, f.message) for f in findings]
    return hits[0]


def _zero_base_habit(f):
    """The two warnings the clean document carries on purpose (seed 003's template habit)."""
    return f.code == "N603" and f.severity == "warning" and f.actual == 100.0 and f.line in (HABIT_LINES)


HABIT_LINES = (line_of(DOC, "单位资金 350.00 万元"), line_of(DOC, "非财政拨款结转结余 9.00 万元"))


def _codes(findings):
    return sorted((f.code, f.line) for f in findings)


def _wrap(body: str) -> str:
    """A narrative paragraph placed in the document, after the tables."""
    return TABLES_003 + "\n" + body


# ---------------------------------------------------------------- the clean document


def test_consistent_narrative_raises_only_the_zero_base_habit():
    found = run(DOC, "N")
    assert [(f.code, f.severity, f.line) for f in found] == [
        ("N603", "warning", line_of(DOC, "单位资金 350.00 万元")),
        ("N603", "warning", line_of(DOC, "非财政拨款结转结余 9.00 万元")),
    ]


# ---------------------------------------------------------------- N601


def test_n601_amount_differs_from_table_cell():
    text = mutate(DOC, "项目支出 4,780.00 万元，比上年预算减少", "4,780.00", "4,870.00")
    f = _only(run(text, "N601"), "N601")
    assert f.severity == "error"
    assert f.line == line_of(text, "项目支出 4,870.00 万元")
    assert (f.expected, f.actual) == (4780.0, 4870.0)
    # the table cell is named: 表 5 总计 row, 项目支出 column
    (term,) = f.terms
    assert term["line"] == line_of(text, "|  |  | 总计 | 17,439.61 | 12,659.61 | 4,780.00")
    assert "项目支出" in term["label"]


def test_n601_same_words_link_to_the_section_table():
    # 项目支出 in the 支出预算 section is 表3's 5,139.00, in the 一般公共预算 section 表5's 4,780.00
    text = mutate(DOC, "项目支出 5,139.00 万元", "5,139.00 万元，占 28.87%", "4,780.00 万元，占 28.87%")
    found = run(text, "N601")
    assert [(f.line, f.expected, f.actual) for f in found] == [(line_of(text, "项目支出 4,780.00 万元，占 28.87%"), 5139.0, 4780.0)]


def test_n601_classification_row_and_thousands_separator_optional():
    ok = mutate(DOC, "1、社会保障和就业支出（类）", "1,801.39", "1801.39")
    assert run(ok, "N601") == []
    bad = mutate(DOC, "1、社会保障和就业支出（类）", "1,801.39", "1801.93")
    f = _only(run(bad, "N601"), "N601")
    assert (f.expected, f.actual) == (1801.39, 1801.93)


def test_n601_restated_amount_compared_exactly_not_within_rounding():
    # 0.01 off is a typo, not rounding: both sides are printed at 2 decimals
    text = mutate(DOC, "公用经费 918.84 万元", "918.84", "918.85")
    f = _only(run(text, "N601"), "N601")
    assert (f.expected, f.actual) == (918.84, 918.85)


def test_n601_convention_pairing_is_a_warning():
    text = mutate(DOC, "机关运行经费财政拨款预算", "918.84", "981.84")
    found = run(text, "N601")
    assert [(f.severity, f.expected, f.actual) for f in found] == [("warning", 918.84, 981.84)]


def test_n601_project_budget_against_project_table():
    text = mutate(DOC, "预算安排规模：667.00 万元", "667.00", "676.00")
    f = _only(run(text, "N601"), "N601")
    assert f.line == line_of(text, "预算安排规模：676.00 万元")
    assert (f.expected, f.actual, f.severity) == (667.0, 676.0, "error")


def test_n601_prose_amount_for_a_blank_cell():
    text = mutate(DOC, "其中：因公出国（境）费 0 万元", "因公出国（境）费 0 万元", "因公出国（境）费 2 万元")
    found = [f for f in run(text, "N601")]
    assert [(f.line, f.actual) for f in found] == [(line_of(text, "因公出国（境）费 2 万元"), 2.0)]


# ---------------------------------------------------------------- N602


def test_n602_share_differs_from_amount_over_stated_whole():
    text = mutate(DOC, "单位资金 350.00 万元", "占 1.97%", "占 2.97%")
    f = _only(run(text, "N602"), "N602")
    assert f.line == line_of(text, "单位资金 350.00 万元")
    assert (f.expected, f.actual) == (1.97, 2.97)
    assert [t["value"] for t in f.terms] == [350.0, 17798.61]


@pytest.mark.parametrize(
    "printed, ok",
    [
        ("2%", True), ("3%", False),  # 0 decimals: 1.966…% rounds to 2
        ("2.0%", True), ("1.9%", False),  # 1 decimal
        ("1.97%", True), ("1.96%", False),  # 2 decimals
    ],
)
def test_n602_percentages_at_their_printed_precision(printed, ok):
    text = mutate(DOC, "单位资金 350.00 万元", "占 1.97%", f"占 {printed}")
    found = run(text, "N602")
    assert (found == []) is ok, [(f.message) for f in found]


def test_n602_structure_forced_to_100_is_rounding():
    # 13,724.33 / 17,439.61 = 78.696…%, printed 78.69 so the four 类 add to 100.00
    assert run(DOC, "N602") == []
    text = mutate(DOC, "3、自然资源海洋气象等支出（类）", "78.69%", "78.59%")
    f = _only(run(text, "N602"), "N602")
    assert (f.expected, f.actual) == (78.70, 78.59)


def test_n602_share_of_a_class_uses_the_table_total():
    text = mutate(DOC, "2、卫生健康支出（类）", "5.75%", "5.57%")
    f = _only(run(text, "N602"), "N602")  # 78.69 stays forced rounding: with 5.75 the shares close at 100
    assert f.expected == 5.75
    assert f.terms[1]["value"] == 17439.61


# ---------------------------------------------------------------- N603


def test_n603_rate_does_not_match_change():
    text = mutate(DOC, "基本支出 12,659.61 万元，比上年预算增加 761.24", "增长 6.40%", "增长 6.04%")
    f = _only(run(text, "N603"), "N603")
    assert f.line == line_of(text, "增长 6.04%")
    assert (f.expected, f.actual) == (6.40, 6.04)


@pytest.mark.parametrize("printed, ok", [("6%", True), ("7%", False), ("6.4%", True), ("6.3%", False)])
def test_n603_rate_at_printed_precision(printed, ok):
    text = mutate(DOC, "基本支出 12,659.61 万元，比上年预算增加 761.24", "增长 6.40%", f"增长 {printed}")
    assert ([f for f in run(text, "N603") if not _zero_base_habit(f)] == []) is ok


def test_n603_decrease_uses_x_plus_a():
    # 20.00 / (4,780.00 + 20.00) = 0.4167 % → 0.42; with X − A it would be 0.4202 % → 0.42 too, so use 22.56 % from the seed
    text = _wrap("行政单位离退休（项）：2024 年预算数为 616.13 万元，比上年预算减少 179.49 万元，下降 22.56%。")
    assert run(text, "N603") == []
    wrong = _wrap("行政单位离退休（项）：2024 年预算数为 616.13 万元，比上年预算减少 179.49 万元，下降 29.13%。")
    f = _only(run(wrong, "N603"), "N603")
    assert (f.expected, f.actual) == (22.56, 29.13)  # 29.13 would be A / (X − A)


def test_n603_direction_words_contradict():
    text = mutate(DOC, "项目支出 4,780.00 万元，比上年预算减少", "下降 0.42%", "增长 0.42%")
    f = _only(run(text, "N603"), "N603")
    assert "减少" in f.message and "增长" in f.message


def test_n603_increase_followed_by_negative_figure():
    text = mutate(DOC, "项目支出 4,780.00 万元，比上年预算减少", "减少 20.00 万元，下降 0.42%", "增加 -20.00 万元，下降 0.42%")
    found = run(text, "N603")
    assert any("负数" in f.message and f.actual == -20.0 for f in found)


def test_n603_zero_base():
    ok = _wrap("国有资本经营预算 0.00 万元，占 0.00%，比上年预算增加 0.00 万元，增长 0.00%，主要原因是未安排。")
    assert run(ok, "N603") == []
    habit = _wrap("单位资金 350.00 万元，比上年预算增加 350.00 万元，增长 100.00%。")
    f = _only(run(habit, "N603"), "N603")
    assert f.severity == "warning"
    other = _wrap("单位资金 350.00 万元，比上年预算增加 350.00 万元，增长 35.00%。")
    assert _only(run(other, "N603"), "N603").severity == "warning"


def test_n603_change_without_amount_uses_the_table():
    # 三公 change sentence: X is 表10's cell (公务用车运行费 18.00)
    text = mutate(DOC, "公务用车运行费增加 0.00 万元", "增加 0.00 万元，增长 0.00%", "增加 2.00 万元，增长 2.00%")
    found = run(text, "N603")
    f = _only(found, "N603")
    assert (f.expected, f.actual) == (12.50, 2.0)  # 2 / (18 − 2)


# ---------------------------------------------------------------- N604


def test_n604_allocation_against_budget():
    text = mutate(DOC, "资金分配情况：办公费 24.39 万元", "劳务费 99.14 万元", "劳务费 98.14 万元")
    f = _only(run(text, "N604"), "N604")
    assert f.line == line_of(text, "资金分配情况：办公费 24.39 万元")
    assert (f.expected, f.actual) == (159.0, 160.0)
    assert len(f.terms) == 6 and f.terms[2]["raw"] == "98.14 万元"


def test_n604_items_without_trailing_zeros_take_table_precision():
    # 24.39 + 1.57 + 99.14 + 31.2 + 3 + 0.7 = 160.00 exactly; 3 万元 stands for 3.00 ± 0.005
    text = mutate(DOC, "资金分配情况：办公费 24.39 万元", "其他商品和服务支出 3 万元", "其他商品和服务支出 2.9 万元")
    f = _only(run(text, "N604"), "N604")
    assert (f.expected, f.actual) == (159.9, 160.0)


def test_n604_restated_whole_is_not_a_part():
    body = (
        "(一) 项目名称：全区国土资源执法监察系统执法办案补充经费\n\n预算安排规模：160.00 万元\n\n"
        "项目承担单位：乌鲁木齐县国土资源执法监察大队\n\n"
        "资金分配情况：乌鲁木齐县国土资源执法监察大队 160.00 万元，其中劳务费 113.54 万元，办公费 18 万元，"
        "办公设备购置费 2.66 万元，其他商品服务支出 2.6 万元，其他交通费 23.2 万元。\n"
    )
    assert run(_wrap(body), "N604") == []
    restated = body.replace("大队 160.00 万元，其中", "大队 170.00 万元，其中")
    f = _only(run(_wrap(restated), "N604"), "N604")
    assert (f.expected, f.actual) == (160.0, 170.0)


@pytest.mark.parametrize(
    "alloc",
    [
        "28.00 万元。其中：其他交通费：5 万元；办公费：6 万元；办公设备购置：0.5 万元；差旅费：1.5 万元；劳务费：15 万元。",
        "乌鲁木齐县国土资源执法监察大队项目经费 28 万元：办公经费 6 万元，劳务费 15 万元；其他交通费 5 万元；差旅费 2 万元",
        "乌鲁木齐县国土资源执法监察大队 28 万元，劳务费 15 万元；其他交通费：5.00 万元；办公费：6 万元；差旅费：2 万元。",
    ],
)
def test_n604_allocation_styles_of_the_seed(alloc):
    body = (
        "(一) 项目名称：全区国土资源执法监察系统执法办案补充经费\n\n预算安排规模：28.00 万元\n\n"
        f"项目承担单位：乌鲁木齐县国土资源执法监察大队\n\n资金分配情况：{alloc}\n"
    )
    assert run(_wrap(body), "N604") == []
    wrong = body.replace("劳务费：15 万元", "劳务费：16 万元").replace("劳务费 15 万元", "劳务费 16 万元")
    f = _only(run(_wrap(wrong), "N604"), "N604")
    assert (f.expected, f.actual) == (29.0, 28.0)


def test_n604_in_sentence_list_and_counts():
    text = mutate(DOC, "公务用车运行费 18.00 万元，公务接待费 0 万元", "公务用车运行费 18.00 万元", "公务用车运行费 16.00 万元")
    f = [x for x in run(text, "N604")]
    assert [(x.expected, x.actual) for x in f] == [(16.0, 18.0)]
    cars = mutate(DOC, "2. 车辆 227 辆", "执法执勤用车 115 辆", "执法执勤用车 116 辆")
    f = _only(run(cars, "N604"), "N604")
    assert (f.expected, f.actual, f.tolerance) == (228.0, 227.0, 0.0)  # counts add exactly


def test_n604_changes_of_parts_add_to_change_of_whole():
    text = mutate(DOC, "公务接待费增加 0.00 万元", "公务接待费增加 0.00 万元，增长 0.00%", "公务接待费减少 1.00 万元，下降 0.00%")
    found = [f for f in run(text, "N604")]
    assert [(f.expected, f.actual) for f in found] == [(-1.0, 0.0)]


def test_n604_multi_paragraph_list():
    text = mutate(DOC, "人员经费 11,740.77 万元", "11,740.77", "11,704.77")
    found = run(text, "N604")
    f = _only(found, "N604")
    assert f.line == line_of(text, "一般公共预算基本支出12,659.61万元")
    assert (f.expected, f.actual) == (12623.61, 12659.61)


# ---------------------------------------------------------------- N605


def test_n605_shares_add_to_more_than_100():
    text = _wrap("自治区国土资源执法监察总队 2024 年支出预算 17,798.61 万元，其中：基本支出占 71.13%，项目支出占 29.87%。")
    f = _only(run(text, "N605"), "N605")
    assert (f.expected, f.actual) == (100.0, 101.0)


def test_n605_structure_within_rounding_and_not_twice():
    assert run(DOC, "N605") == []
    # a wrong share is reported once, by N602, not again as a total
    text = mutate(DOC, "4、住房保障支出（类）", "5.23%", "6.23%")
    assert [(f.code, f.expected, f.actual) for f in run(text, "N602", "N605")] == [("N602", 5.23, 6.23)]


# ---------------------------------------------------------------- N606


def test_n606_project_count_and_total():
    assert run(DOC, "N606") == []
    text = mutate(DOC, "当年财政拨款项目 3 个", "3 个", "4 个")
    f = _only(run(text, "N606"), "N606")
    assert (f.expected, f.actual, f.severity) == (3, 4.0, "error")
    assert f.terms[1]["line"] == line_of(text, "一般公共预算项目支出情况表") and "项目" in f.terms[1]["label"]
    text = mutate(DOC, "当年财政拨款项目 3 个", "4,780.00", "4,708.00")
    f = _only(run(text, "N606"), "N606")
    assert (f.expected, f.actual) == (4780.0, 4708.0)


# ---------------------------------------------------------------- N607 / H501 (formerly N608)


def test_n607_yuan_among_wan_yuan():
    text = mutate(DOC, "资金分配情况：办公费 24.39 万元", "办公费 24.39 万元", "办公费 24.39 元")
    f = _only(run(text, "N607"), "N607")
    assert f.severity == "warning" and f.actual == 24.39
    assert run(DOC, "N607") == []


@pytest.mark.parametrize("slip, dup", [("比上年预算增加增加 741.24 万元", "增加增加"), ("设立的政策依据：：根据", "：："), ("项目经费费 9 万元", "费费")])
def test_h501_prose_duplicated_words(slip, dup):
    found = run(_wrap(f"一般公共预算 17,439.61 万元，{slip}。"), "H501")
    assert [dup in f.message for f in found] == [True]


def test_h501_prose_clean_prose():
    assert run(DOC, "H501") == []


def test_h501_prose_repeated_characters_across_words():
    text = "北京市市场监督管理局、某市市场监督管理局（本级）和乌鲁木齐市米东区的项目经费用于层层落实。"
    assert run(_wrap(f"一般公共预算 17,439.61 万元，{text}"), "H501") == []


# ---------------------------------------------------------------- rules are documented


def test_every_n_rule_is_documented():
    from budgetlint.rules.narrative import get_rules

    codes = [r.code for r in get_rules()]
    assert codes == [*(f"N60{i}" for i in range(1, 8)), "N609", "N610", "N611", "N612"]  # N608 merged into H501
    for r in get_rules():
        doc = r.doc()
        assert "**What it does**" in doc and "**Why it matters**" in doc and "**Example**" in doc, r.code
        assert r.summary.zh and r.summary.en and r.name


# ---------------------------------------------------------------- seeds

# every narrative finding on the seeds, verified by hand:
SEED_FINDINGS = {
    "001_cc27d041c9c85168.txt": [],
    "002_22dfcbdd3ecd58ac.txt": [],
    "003_407e03e18ae36581.txt": [
        # 单位资金 350.00, 增加 350.00: last year zero, "增长 100.00%" is the template habit
        ("N603", "warning", 1011, None, 100.0),
        # 非财政拨款结转结余 9.00, 增加 9.00, "增长 100.00%" on a zero base
        ("N603", "warning", 1013, None, 100.0),
        # the same sentence says 吐鲁番市支队 applied for the 9 万元 that 上年结转结余表 lists under 石河子市
        ("N611", "warning", 1013, None, None),
        # 和硕县: 2 + 3 + 1.92 + 13.2 + 1.88 = 22.00 against 预算安排规模 19.00 (表7 also 19.00)
        ("N604", "error", 1854, 22.0, 19.0),
        # 阿瓦提县: 1 + 1 + 12 + 2 = 16 against 预算安排规模 18.00 (restated 18 万元, 表7 18.00)
        ("N604", "error", 2010, 16.0, 18.0),
        # 表10 公务用车运行费 18.00 against the 公务用车运行维护费 of ten 资金分配情况 sentences (40 万元);
        # the prose part of X309 before it became N610
        ("N610", "warning", 967, 40.0, 18.0),
    ],
    "004_5bc4ef2c1a6abc0e.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_FINDINGS))
def test_seed_findings(name):
    path = SEEDS / name
    if not path.exists():
        pytest.fail(f"seed document missing: expected {path}")
    report = engine.run([str(path)], select=["N"])
    got = [(f.code, f.severity, f.line, f.expected, f.actual) for f in report.findings]
    assert got == SEED_FINDINGS[name]
