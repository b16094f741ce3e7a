"""Prose mechanisms on layouts the seeds do not have (sentences in the style of other regions).

Each test states a realistic passage, checks that a consistent one raises
nothing, and that one changed figure is found with its arithmetic.
"""

from __future__ import annotations

from decimal import Decimal

from _budget_tables import TABLES_003, doc, line_of, mutate, run
from _narrative_text import NARRATIVE_003
from budgetlint.model import Location, Paragraph
from budgetlint.understand import narrative as nv

from conftest import seed_path


def _money(text: str) -> list[Decimal]:
    tx = nv.join_paragraphs([Paragraph(text=text, loc=Location(path="t.txt", line=1))])[0]
    return [t.cell.value for t in nv.tokenize(tx, 2, "万元") if t.kind == "money"]


# ---------------------------------------------------------------- numbers that are not amounts


def test_codes_years_document_numbers_phones_and_dates_are_not_amounts():
    text = (
        "根据苏财预〔2019〕12号和苏财行[2017]44 号文件，2019年3月1日起执行，咨询电话025-83391234，详见第 12 页。"
        "人大事务（款）代表工作（项）2010108 支出 428.36 万元，一般公共服务支出（201）12706.28万元。"
    )
    assert _money(text) == [Decimal("428.36"), Decimal("12706.28")]


def test_a_code_column_is_never_the_amount_a_prose_label_links_to():
    table = """\
一般公共预算支出预算表
单位：万元
功能科目代码 | 功能科目名称 | 金额
 | 合计 | 428.36
2010108 | 代表工作 | 428.36
2010109 | 人大信访工作 | 0.00
"""
    d = doc(table + "\n一、一般公共预算支出预算情况说明\n\n1.人大事务（款）代表工作（项）支出428.36万元，与上年相比持平。\n")
    nar = nv.extract(d)
    t = next(t for t in d.tables if any("代码" in "".join(c.path) for c in t.columns))
    code_col = next(c.index for c in t.columns if "代码" in "".join(c.path))
    assert nar.linker.first_value_col(t) != code_col
    assert all(abs(f.expected or 0) < 1_000_000 for f in run(table + "\n1.人大事务（款）代表工作（项）支出428.36万元。\n", "N601"))


# ---------------------------------------------------------------- lists over paragraphs

TOTALS = """\
一、收支预算总表情况说明
（一）收入预算总计 17996.68 万元。包括：
1．财政拨款收入预算总计 17981.68 万元。
（1）一般公共预算收入预算 17981.68 万元，与上年相比增加 1454.35 万元，增长 8.80%。主要原因是人员经费增加。2．其他资金收入预算总计 15 万元。与上年相比增加 9.45 万元，增长 170.27%。
（二）支出预算总计 17996.68 万元。包括：
1．公共安全（类）支出 13656.34 万元，主要用于办案业务。与上年相比增加 309.03 万元，增长 2.31%。2．社会保障和就业（类）支出 2000.00 万元。
3．住房保障（类）支出 2340.34 万元，与上年相比增加 100.00 万元。
此外，基本支出预算数为 12323.48 万元。与上年相比增加 1483.80 万元，增长 13.69%。
项目支出预算数为 5533 万元。
"""


def test_parts_are_the_items_of_one_level():
    # 17981.68 + 15 = 17996.68; 13656.34 + 2000.00 + 2340.34 = 17996.68.  The (1) detail restating
    # 财政拨款, the increases and the 此外 paragraph are not parts.
    assert run(TOTALS, "N604") == []


def test_a_part_changed_is_found_with_its_level():
    bad = mutate(TOTALS, "3．住房保障", "2340.34", "2430.34")
    (f,) = run(bad, "N604")
    assert (f.expected, f.actual) == (18086.68, 17996.68)
    assert f.line == line_of(bad, "（二）支出预算总计")


def test_an_item_inside_a_paragraph_is_a_part_of_its_own():
    bad = mutate(TOTALS, "（1）一般公共预算收入预算", "其他资金收入预算总计 15 万元", "其他资金收入预算总计 25 万元")
    (f,) = run(bad, "N604")
    assert (f.expected, f.actual) == (18006.68, 17996.68)


def test_a_total_restated_first_is_the_whole():
    text = (
        "一、收入预算情况说明\n收入预算总计 500.00 万元，与上年相比增加 20.00 万元，增长 4.17%，其中：收入预算总计 500.00 万元，"
        "一般公共预算 480.00 万元，比上年增加 30.00 万元，其他资金 20.00 万元。\n"
    )
    assert run(text, "N604", "N603") == []
    bad = text.replace("其他资金 20.00", "其他资金 25.00")
    (f,) = run(bad, "N604")
    assert (f.expected, f.actual) == (505.0, 500.0)


def test_sub_items_under_a_numbered_part_and_the_next_part_close_the_list():
    text = (
        "九、“三公”经费支出预算情况说明\n"
        "1．因公出国（境）费预算支出 110 万元，与上年预算数相等。\n"
        "2．公务用车购置及运行费预算支出 317.8 万元。其中：\n"
        "（1）公务用车购置预算支出 50 万元，与上年预算数相等。\n"
        "（2）公务用车运行维护费预算支出 267.8 万元，比上年预算减少 30.8 万元。\n"
        "3．公务接待费预算支出 156.55 万元，比上年预算减少 1.77 万元。\n"
        "会议费预算支出 271.26 万元，比上年预算增加 43.26 万元。\n"
    )
    assert run(text, "N604") == []
    (f,) = run(text.replace("267.8 万元，比上年", "276.8 万元，比上年"), "N604")
    assert (f.expected, f.actual) == (326.8, 317.8)


# ---------------------------------------------------------------- shares and rates against the named base


def test_share_against_the_base_the_sentence_names():
    # the 三公 table's 合计 also counts 会议费 and 培训费: the shares are of the 三公 小计 (833.60)
    table = """\
“三公”经费、会议费、培训费支出预算表
单位：万元
合计 | “三公”经费 | “三公”经费 | “三公”经费 | 会议费 | 培训费
合计 | 小计 | 因公出国（境）费 | 公务接待费 | 会议费 | 培训费
1442.60 | 650.00 | 222.50 | 427.50 | 389.25 | 403.35
"""
    prose = (
        "\n九、一般公共预算“三公”经费支出预算情况说明\n"
        "“三公”经费预算支出中，因公出国（境）费支出 222.5 万元，占“三公”经费的 34.23%；"
        "公务接待费支出 427.5 万元，占“三公”经费的 65.77%。\n"
    )
    assert run(table + prose, "N602") == []
    (f,) = run(table + prose.replace("65.77%", "29.63%"), "N602")
    assert (f.expected, f.actual) == (65.77, 29.63)


def test_a_named_base_that_cannot_be_found_is_no_error():
    text = "一、支出预算情况说明\n培训费支出 50.00 万元，占部门公用支出的 12.5%；会议费 30.00 万元，占上年的 80%。\n"
    assert run(text, "N602", "N605") == []


def test_the_year_compared_with_is_the_base_of_the_rate():
    text = (
        "四、部门收支预算编制情况\n2017 年度部门支出预算安排与 2016 年度相比（2016 年度部门支出预算安排为8,648.07万元），"
        "增加498.72万元，增长5.77%。\n"
    )
    assert run(text, "N603") == []  # 498.72 ÷ 8648.07 = 5.767% (not ÷ (8648.07 − 498.72) = 6.12%)
    (f,) = run(text.replace("5.77%", "6.77%"), "N603")
    assert (f.expected, f.actual) == (5.77, 6.77)


def test_increases_listed_next_to_amounts_are_not_parts():
    text = (
        "三、支出预算情况说明\n本年支出预算合计 600.00 万元，其中：基本支出 400.00 万元，比上年增加 50.00 万元；"
        "项目支出 200.00 万元，比上年减少 20.00 万元，下降 9.09%。\n"
    )
    assert run(text, "N604", "N603") == []  # 400 + 200 = 600; 20 ÷ (200 + 20) = 9.09%


# ---------------------------------------------------------------- names


def test_unit_name_stripped_with_any_region_prefix():
    clean = nv._Cleaner(["自治区林业和草原局", "江苏省高级人民法院"])
    assert clean.subject("广西壮族自治区林业和草原局2024年收入预算") == "收入预算"
    assert clean.subject("内蒙古自治区林业和草原局收入预算") == "收入预算"
    assert clean.subject("江苏省高级人民法院2018年度财政拨款基本支出预算") == "财政拨款基本支出预算"
    assert clean.subject("社区建设支出") == "社区建设支出"


def test_exact_name_is_an_error_a_trimmed_one_a_warning():
    exact = mutate(TABLES_003 + "\n" + NARRATIVE_003, "项目支出 4,780.00 万元，比上年预算减少", "4,780.00", "4,870.00")
    assert [f.severity for f in run(exact, "N601")] == ["error"]
    trimmed = mutate(exact, "项目支出 4,870.00 万元，比上年预算减少", "项目支出 4,870.00", "项目支出预算数 4,870.00")
    assert [f.severity for f in run(trimmed, "N601")] == ["warning"]


# ---------------------------------------------------------------- project write-ups as templates


WRITE_UP = """\
（三）项目名称：市场监管执法办案经费
项目金额：50.00 万元
实施单位：某县市场监督管理局
资金用途：会议经费 20 万元，差旅费 12.5 万元，劳务费 17.5 万元。
"""


def test_a_second_write_up_format_is_read_from_the_templates():
    assert {f.id for f in nv.project_formats()} >= {"name-budget-unit-allocation", "name-amount-implementer-use"}
    nar = nv.extract(doc(WRITE_UP))
    (p,) = nar.projects
    assert (p.name, p.unit, p.budget.amount.value) == ("市场监管执法办案经费", "某县市场监督管理局", Decimal("50.00"))
    # 会议经费 is a part (经费 is no unit word): 20 + 12.5 + 17.5 = 50
    assert [x.amount.value for x in p.allocation.parts] == [20, Decimal("12.5"), Decimal("17.5")]
    assert run(WRITE_UP, "N604") == []
    (f,) = run(WRITE_UP.replace("劳务费 17.5", "劳务费 15.5"), "N604")
    assert (f.expected, f.actual) == (48.0, 50.0)


def test_a_restated_whole_in_an_allocation_is_recognised_by_its_amount():
    text = WRITE_UP.replace("资金用途：", "资金用途：城关市场监管所 50 万元，")
    nar = nv.extract(doc(text))
    assert nar.projects[0].allocation.restated.amount.value == 50
    assert run(text, "N604") == []


# ---------------------------------------------------------------- OCR repairs are told


def test_an_ocr_repair_is_reported_with_the_printed_text():
    from budgetlint import engine

    report = engine.run([str(seed_path("004"))], select=["L002"])
    repairs = [f for f in report.findings if "OCR" in f.message]
    assert repairs and all(f.severity == "warning" for f in repairs)
    assert "「2」「5%」读作 25%" in repairs[0].message


# ---------------------------------------------------------------- shares: one-row tables, forced 100, running costs

ONE_ROW = """\
支出预算总表
单位：万元
合计 | 基本支出 | 项目支出 | 单位预留机动经费
20,849.45 | 9,964.07 | 10,688.66 | 196.72

三、支出预算总表情况说明
基本支出 9964.07 万元，占 47.79%；项目支出 10688.66 万元，占 51.27%；单位预留机动经费 196.72 万元，占 0.94%。
"""


def test_a_share_on_a_one_row_table_is_taken_of_that_row_total():
    # 10688.66 ÷ 20849.45 = 51.266% → 51.27; never 10688.66 ÷ itself = 100%
    assert run(ONE_ROW, "N602") == []
    (f,) = run(ONE_ROW.replace("占 51.27%", "占 52.27%"), "N602")
    assert (f.expected, f.actual) == (51.27, 52.27)


SANGONG_SHARES = """\
“三公”经费支出预算表
单位：万元
合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费
508.20 | 70.00 | 411.20 | 27.00

九、“三公”经费支出预算情况说明
“三公”经费预算支出中，因公出国（境）费支出70万元，占“三公”经费的13.77%；公务用车购置及运行费支出411.20万元，占“三公”经费的80.92%；公务接待费支出27万元，占“三公”经费的5.31%。
"""


def test_shares_of_a_named_whole_forced_to_100_are_rounding():
    # correctly rounded: 13.77 + 80.91 + 5.31 = 99.99; printed 80.92 makes them 100.00 (domain §3)
    assert [f for f in run(SANGONG_SHARES, "N602") if f.severity == "error"] == []
    (f,) = [f for f in run(SANGONG_SHARES.replace("80.92%", "81.92%"), "N602") if f.severity == "error"]
    assert (f.expected, f.actual) == (80.91, 81.92)


RUNNING = """\
表九 一般公共预算基本支出预算表
单位：万元
科目编码 | 科目名称 | 金额
 | 合计 | 1,500.00
302 | 商品和服务支出 | 1,500.00
30201 | 办公费 | 300.00
30215 | 会议费 | 1,200.00

表十 一般公共预算机关运行经费支出预算表
单位：万元
科目编码 | 科目名称 | 机关运行经费支出
 | 合计 | 1,160.00
302 | 商品和服务支出 | 1,160.00
30201 | 办公费 | 110.00
30215 | 会议费 | 1,050.00

十、一般公共预算机关运行经费支出预算表说明
一般公共预算机关运行经费支出预算1,160.00万元。其中：
（1）办公费（款）支出 110 万元。
（2）会议费（款）支出 1,050 万元。
"""


def test_a_running_costs_section_is_compared_with_the_running_costs_table():
    assert [f for f in run(RUNNING, "N601") if f.severity == "error"] == []
    (f,) = [f for f in run(RUNNING.replace("会议费（款）支出 1,050", "会议费（款）支出 1,060"), "N601") if f.severity == "error"]
    assert (f.expected, f.actual) == (1050.0, 1060.0) or (f.expected, f.actual) == (1060.0, 1050.0)


def test_a_prose_amount_against_a_blank_table_cell_is_a_warning():
    text = RUNNING.replace("30201 | 办公费 | 110.00", "30201 | 办公费 | ").replace(" | 合计 | 1,160.00", " | 合计 | 1,050.00").replace(
        "302 | 商品和服务支出 | 1,160.00", "302 | 商品和服务支出 | 1,050.00")
    found = [f for f in run(text, "N601") if "办公费" in f.message]
    assert found and all(f.severity == "warning" for f in found)


EXPENDITURE_SHARES = """\
支出预算总表
单位：万元
合计 | 基本支出 | 项目支出 | 单位预留机动经费
28,849.38 | 17,123.19 | 11,543.27 | 182.92

二、收入预算情况说明
本年收入预算合计 28849.38 万元，其中：
一般公共预算收入 28849.38 万元，占 100%；
三、支出预算情况说明
本年支出预算合计 28849.38 万元，其中：
基本支出 17123.19 万元，占 59.35%；
项目支出 11543.27 万元，占 40.01%；
单位预留机动经费 182.92 万元，占 0.64%；
"""


def test_forced_hundred_leaves_out_the_whole_restated_at_100():
    # 59.354 + 40.012 + 0.634 → 59.35 + 40.01 + 0.63 = 99.99; printed 0.64 makes 100.00: rounding.
    # The income line "占 100%" has the same whole but is no part of the expenditure breakdown.
    assert [f for f in run(EXPENDITURE_SHARES, "N602") if f.severity == "error"] == []
    (f,) = [f for f in run(EXPENDITURE_SHARES.replace("占 0.64%", "占 0.74%"), "N602") if f.severity == "error"]
    assert (f.expected, f.actual) == (0.63, 0.74)
