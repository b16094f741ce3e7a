"""Structure is a hypothesis the numbers confirm: column readings chosen by vote, misread tables set aside.

A flat header (科目编码, 科目名称, 合计, 基本支出, 人员经费, 公用经费, 项目支出) cannot show that
人员经费 and 公用经费 are parts of 基本支出; a 三公 table may print 会议费 and 培训费 after the 三公
columns.  The reading under which the rows add up wins; a reading that most of its identities
contradict is reported once (L005), never as a page of errors; one that holds on most rows keeps
its failures as errors.
"""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document
from budgetlint.understand.structure import column_sums

FLAT = (
    "部门支出总表\n单位：万元\n"
    "科目编码\t科目名称\t合计\t基本支出\t人员经费\t公用经费\t项目支出\n"
    "201\t一般公共服务支出\t150.00\t100.00\t80.00\t20.00\t50.00\n"
    "20101\t人大事务\t150.00\t100.00\t80.00\t20.00\t50.00\n"
    "2010101\t行政运行\t100.00\t100.00\t80.00\t20.00\t0.00\n"
    "2010102\t一般行政管理事务\t50.00\t0.00\t0.00\t0.00\t50.00\n"
    "\t合计\t150.00\t100.00\t80.00\t20.00\t50.00\n"
)


def check(text: str, name: str = "t.txt"):
    doc = understand_document(parse_text(text, name))
    return doc, engine.check_documents([doc]).findings


def test_flat_header_parts_are_read_under_their_parent():
    doc, found = check(FLAT)
    assert found == []
    sums = {(c.total, tuple(t for _, t in c.terms)) for c in column_sums(doc.tables[0]) if c.relation == "="}
    assert (2, (3, 6)) in sums and (3, (4, 5)) in sums  # 合计 = 基本 + 项目; 基本 = 人员 + 公用


def test_flat_header_mistake_is_found_at_its_cell():
    _, found = check(FLAT.replace("2010101\t行政运行\t100.00\t100.00\t80.00", "2010101\t行政运行\t100.00\t100.00\t81.00"))
    got = sorted((f.code, f.row["label"], f.column["label"], f.expected, f.actual) for f in found)
    assert ("C201", "行政运行", "基本支出", 101.0, 100.0) in got
    assert ("S102", "人大事务", "人员经费", 81.0, 80.0) in got
    assert all(f.severity != "error" or "人员经费" in (f.column or {}).get("label", "") or f.code == "C201" for f in found)


def test_arithmetic_nesting_without_known_names():
    text = FLAT.replace("\t人员经费\t公用经费\t", "\t工资\t办公\t")
    _, found = check(text)
    assert found == []


SANGONG = (
    "“三公”经费、会议费、培训费支出预算表\n单位：万元\n"
    "单位\t合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t会议费\t培训费\n"
    "某厅\t16.00\t5.00\t3.00\t8.00\t20.00\t12.00\n"
    "某中心\t10.00\t2.00\t4.00\t4.00\t6.00\t3.00\n"
    "某所\t7.00\t1.00\t2.00\t4.00\t1.00\t0.00\n"
)


def test_columns_printed_after_a_group_are_not_its_parts():
    _, found = check(SANGONG)
    assert [f for f in found if f.severity == "error"] == []
    _, found = check(SANGONG.replace("某中心\t10.00\t2.00", "某中心\t10.00\t3.00"))
    errors = [(f.row["label"], f.column["label"], f.expected, f.actual) for f in found if f.severity == "error"]
    assert errors and all(e[0] == "某中心" and e[2] == 11.0 and e[3] == 10.0 for e in errors)


# ---------------------------------------------------------------- L005: both sides of the threshold

def _grid(rows: list[tuple[str, str, str, str]]) -> str:
    body = "".join(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in rows)
    return "收入明细表\n单位：万元\n项目\t合计\t甲\t乙\n" + body


def _rows(bad: int, good: int) -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(good):
        out.append((f"第{i + 1}项", f"{30 + i}.00", f"{10 + i}.00", "20.00"))
    for i in range(bad):
        out.append((f"错{i + 1}项", f"{90 + i}.00", f"{10 + i}.00", "20.00"))
    return out


def test_most_rows_failing_is_not_understood_once():
    doc, found = check(_grid(_rows(bad=3, good=2)))
    assert [(f.code, f.severity) for f in found] == [("L005", "warning")]
    f = found[0]
    assert (f.extra["failed"], f.extra["held"], f.extra["codes"]) == (3, 2, ["C201"])
    assert "3 处不成立、2 处成立" in f.message


def test_a_confirmed_reading_keeps_its_errors():
    _, found = check(_grid(_rows(bad=3, good=3)))  # as many hold as fail: the structure is confirmed
    assert sorted(f.code for f in found) == ["C201"] * 3


def test_two_failures_are_errors_even_without_support():
    _, found = check(_grid(_rows(bad=2, good=0)))
    assert sorted(f.code for f in found) == ["C201"] * 2


def test_every_level_added_into_the_total_is_a_misread_hierarchy():
    text = (
        "部门支出表\n单位：万元\n项目\t合计\t基本支出\t项目支出\n"
        "一般公共服务支出\t100.00\t60.00\t40.00\n人大事务\t100.00\t60.00\t40.00\n行政运行\t100.00\t60.00\t40.00\n"
        "合计\t100.00\t60.00\t40.00\n"
    )
    _, found = check(text)
    assert [(f.code, f.extra.get("structure")) for f in found] == [("L005", "rows")]


def test_a_missing_row_in_a_total_is_still_an_error():
    text = (
        "部门支出表\n单位：万元\n项目\t合计\t基本支出\t项目支出\n"
        "一般公共服务支出\t100.00\t60.00\t40.00\n社会保障和就业支出\t30.00\t20.00\t10.00\n"
        "合计\t120.00\t70.00\t50.00\n"
    )
    _, found = check(text)
    assert sorted((f.code, f.expected, f.actual) for f in found) == [("S101", 80.0, 70.0), ("S101", 130.0, 120.0)]  # 合计, 基本支出; 项目支出 holds


# ---------------------------------------------------------------- an income-only 收支总表

INCOME_ONLY = "收支总表\n单位：万元\n项目\t预算数\n一、本年收入\t10.00\n二、上年结转\t2.00\n收入总计\t13.00\n"


def test_an_income_only_summary_has_its_total_checked():
    _, found = check(INCOME_ONLY)
    got = [(f.code, f.row["label"], f.expected, f.actual) for f in found if f.severity == "error"]
    assert got == [("B301", "收入总计", 12.0, 13.0)]
    _, found = check(INCOME_ONLY.replace("13.00", "12.00"))
    assert [f for f in found if f.severity == "error"] == []


def test_the_chosen_reading_is_shown_by_budgetlint_tables():
    from budgetlint.report.tables import table_summary

    doc, _ = check(FLAT)
    sums = {(c["total"], tuple(c["terms"]), c["reading"]) for c in table_summary(doc.tables[0])["column_sums"]}
    assert {(2, (3, 6), "domain"), (3, (4, 5), "domain")} <= sums
    doc, _ = check(_grid(_rows(bad=0, good=3)))
    assert [(c["total"], c["terms"], c["reading"]) for c in table_summary(doc.tables[0])["column_sums"]] == [(1, [2, 3], "header")]
