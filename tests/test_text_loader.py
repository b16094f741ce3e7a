"""The text loader and the understanding step on the real seed documents.

Counts were made by reading the documents: 001 has 表1-1, 表1-2, 表1-3 and
附件1; 002 three project target tables in a one-cell-per-line layout; 003 the
eleven disclosure tables, one 单位整体绩效目标表 and 128 项目支出绩效目标表; 004
seven OCR'd project target tables (its table-of-contents lines are not tables).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from budgetlint.loaders.text import decode, parse_text
from budgetlint.understand import understand_document


def kinds(doc):
    return Counter(t.kind for t in doc.tables)


def test_table_counts_by_kind(seed_docs):
    assert kinds(seed_docs["001"]) == {"budget.income": 1, "budget.expenditure": 1, "budget.gpb_project": 1, "perf.scoring": 1}
    assert kinds(seed_docs["002"]) == {"perf.project_target": 3}
    assert kinds(seed_docs["003"]) == {
        "budget.summary": 1, "budget.income": 1, "budget.expenditure": 1, "budget.fiscal_summary": 1,
        "budget.gpb_expenditure": 1, "budget.gpb_basic": 1, "budget.gpb_project": 1, "budget.gov_fund": 1,
        "budget.state_capital": 1, "budget.sangong": 1, "budget.carryover": 1,
        "perf.unit_target": 1, "perf.project_target": 128,
    }
    assert kinds(seed_docs["004"]) == {"perf.project_target": 7}


def test_title_block_003(seed_docs):
    t = seed_docs["003"].tables[1]
    assert (t.number, t.title, t.unit, t.issuer) == ("表 2", "单位收入总体情况表", "万元", "自治区国土资源执法监察总队")
    assert t.loc.line == 128


def test_title_with_its_unit_in_brackets(seed_docs):
    """001 prints "表 1-1 2022 年…收入预决算情况表（单位：万元）": the bracket goes with the unit."""
    t = seed_docs["001"].tables[0]
    assert (t.number, t.title, t.unit) == ("表 1-1", "2022 年南京市国土资源执法监察支队收入预决算情况表", "万元")
    doc = understand_document(parse_text("表3 某局支出总表 (金额单位：元)\n项目\t金额\n合计\t5\n工资\t5\n", "t.txt"))
    assert (doc.tables[0].title, doc.tables[0].unit) == ("某局支出总表", "元")


def test_header_paths_003_income(seed_docs):
    t = seed_docs["003"].tables[1]
    paths = {c.index: c.path for c in t.columns}
    assert paths[0] == ("功能分类科目编码", "类")
    assert paths[5] == ("财政拨款(补助)", "财政拨款(补助)小计")
    assert paths[6] == ("财政拨款(补助)", "一般公共预算")
    assert t.columns[4].number == "1" and t.columns[15].number == "12"
    assert [c.role for c in t.columns[:5]] == ["code", "code", "code", "label", "value"]


def test_page_break_merge_003_income(seed_docs):
    """表2 continues after a page break: the repeated title block and header rows are not rows."""
    t = seed_docs["003"].tables[1]
    assert t.meta["parts"] == 2
    codes = [r.code for r in t.rows]
    assert codes[-2:] == ["22102", "2210201"]
    assert all(r.label not in ("类", "功能分类科目名称") for r in t.rows)
    last = t.rows[-1]
    assert last.loc.line == 160 and last.cells[4].value == Decimal("911.25")


def test_codes_split_over_columns(seed_docs):
    t = seed_docs["003"].tables[2]  # 表3
    row = next(r for r in t.rows if r.code == "2200101")
    assert row.label == "行政运行"
    cell = row.cells[6]
    assert (cell.value, cell.decimals, cell.loc.line, cell.unit) == (Decimal("10.00"), 2, 185, "万元")


def test_inline_codes_in_two_sided_table(seed_docs):
    t = seed_docs["003"].tables[0]  # 表1 收支总表
    right = [c for c in t.columns if c.role == "value"][1]
    assert right.label_col == 2
    row = next(r for r in t.rows if r.cells[2].raw.startswith("220 "))
    assert row.cells[3].value == Decimal("14083.33") and row.cells[3].loc.line == 112


def test_wrapped_cell_rejoined(seed_docs):
    """表7: 全区国土资源执法监察系统执法办 + 案补充经费 (after a page break) is one project name."""
    t = seed_docs["003"].tables[6]
    assert t.meta["parts"] > 20
    last = t.rows[-1]
    assert last.cells[4].raw.replace(" ", "") == "全区国土资源执法监察系统执法办案补充经费"
    assert last.loc.line == 910
    assert all(r.label != "案补充经费" for r in t.rows)


def test_blank_vs_zero_and_numbering_row_001(seed_docs):
    t = seed_docs["001"].tables[0]
    assert [c.number for c in t.columns[2:]] == ["1", "2", "3", "4"]
    assert all(r.label != "栏次" for r in t.rows)
    row = next(r for r in t.rows if r.label == "二、上级补助收入")
    assert row.cells[2].blank and row.cells[2].value is None
    t3 = seed_docs["001"].tables[2]
    zero = next(r for r in t3.rows if r.label == "合计").cells[5]
    assert zero.value == 0 and not zero.blank


def test_empty_table_keeps_its_explanation(seed_docs):
    t = seed_docs["003"].tables[7]
    assert t.kind == "budget.gov_fund" and t.rows == []
    assert "空表" in t.notes[0].text and t.notes[0].loc.line == 934


def test_cell_per_line_layout_002(seed_docs):
    t = seed_docs["002"].tables[0]
    assert t.unit == "元" and t.title == "规划编制费用绩效目标表" and t.number == "1"
    amounts = [c for r in t.rows for c in r.cells if c.text == "400000.00"]
    assert [c.loc.line for c in amounts] == [54, 56]  # 预算数 and 其中：财政资金, each on its own line
    goal = next(c for r in t.rows for c in r.cells if c.text.startswith("1、完成规划编制工作"))
    assert "2、规划成果验收" in goal.raw


def test_encodings_detected_not_assumed():
    text = "表 1\n收支总表\n单位：万元\n项目\t预算数\n合计\t1.00\n"
    for enc, data in [("utf-8", text.encode()), ("utf-8-sig", b"\xef\xbb\xbf" + text.encode()), ("gb18030", text.encode("gb18030"))]:
        decoded, found = decode(data)
        assert decoded == text
        assert found.replace("_", "-").lower().startswith(enc.split("-")[0][:2]) or enc == "gb18030"


def test_fragment_unit_row_and_blank_amount_rows_are_kept_apart():
    text = "\n".join([
        "表 10", "", "财政拨款“三公”经费支出情况表", "", "单位：万元", "",
        "“三公”经费支出内容\t合计\t一般公共预算",
        "合计\t18.00\t18.00",
        "因公出国（境）费\t\t",
        "公务接待费\t\t",
        "公务用车运行费\t18.00\t18.00",
    ])
    doc = understand_document(parse_text(text, "s.txt"))
    labels = [r.label for r in doc.tables[0].rows]
    assert labels == ["合计", "因公出国(境)费", "公务接待费", "公务用车运行费"]
