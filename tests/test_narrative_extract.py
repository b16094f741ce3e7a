"""Reading statements from prose: numbers, subjects, lists, projects and links to tables."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from _budget_tables import TABLES_003, doc
from _narrative_text import NARRATIVE_003
from budgetlint.understand import narrative as nv
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def prose_doc(text: str):
    return understand_document(parse_text(text, "p.txt"))


def items_of(text: str, with_tables: bool = True):
    d = doc(TABLES_003 + "\n" + text) if with_tables else prose_doc(text)
    return nv.extract(d)


def _one_text(s: str) -> nv.Text:
    d = prose_doc(s)
    return nv.join_paragraphs(d.prose)[0]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "sentence, value, unit, decimals",
    [
        ("收支总预算 17,798.61 万元。", "17798.61", "万元", 2),
        ("收支总预算17798.61万元。", "17798.61", "万元", 2),
        ("劳务费 15 万；", "15", "万元", 2),  # 万 alone, prose takes the table precision
        ("其他交通 31.2 万元、", "31.2", "万元", 2),
        ("劳务费 15.368 万元，", "15.368", "万元", 3),  # more digits than the table: keep them
        ("办公费 2,400 元，", "2400", "元", 2),
        ("总额 1.2 亿元。", "1.2", "亿元", 2),
    ],
)
def test_amounts_take_the_table_precision(sentence, value, unit, decimals):
    (tok,) = nv.tokenize(_one_text(sentence), 2, None)
    assert tok.kind == "money"
    assert tok.cell.value == Decimal(value) and tok.cell.unit == unit and tok.cell.decimals == decimals
    assert not tok.cell.approx


def test_approximate_thresholds_negatives_and_non_amounts():
    toks = nv.tokenize(_one_text("约 50 万元，近 30 万元，100 余万元，单位价值 50 万元以上大型设备 0 台，追加 -16.82 万元，2024 年 1 月 1 日-2024 年 12 月 31 日"), 2, "万元")
    got = [(t.kind, str(t.cell.value), t.cell.approx, t.threshold, t.cell.decimals) for t in toks]
    assert got == [
        ("money", "50", True, False, 0),
        ("money", "30", True, False, 0),
        ("money", "100", True, False, 0),
        ("money", "50", False, True, 2),
        ("count", "0", False, False, 0),
        ("money", "-16.82", False, False, 2),
    ]


@pytest.mark.parametrize("text, decimals", [("占 10%", 0), ("占 10.3%", 1), ("占 10.33%", 2), ("增长 0.00%", 2)])
def test_percentages_keep_printed_precision(text, decimals):
    (tok,) = nv.tokenize(_one_text(text), 2, "万元")
    assert tok.kind == "percent" and tok.cell.decimals == decimals and tok.cell.percent


def test_table_precision_read_from_the_tables():
    d = doc(TABLES_003)
    assert nv.table_precision(d) == (2, "万元")
    assert nv.table_precision(prose_doc("没有表格。")) == (2, None)


# ---------------------------------------------------------------- statements


def test_amount_share_and_change_of_one_subject():
    nar = items_of("二、关于收入预算情况说明\n\n一般公共预算 17,439.61 万元，占 97.98%，比上年预算增加 741.24 万元，增长 4.44%，主要原因是吐鲁番市支队申报项目 9 万元。\n")
    (it,) = [i for i in nar.items if i.amount is not None]
    assert it.subject == "一般公共预算"
    assert (it.amount.value, it.share.value, it.change.value, it.change_dir, it.pct.value, it.pct_dir) == (
        Decimal("17439.61"), Decimal("97.98"), Decimal("741.24"), 1, Decimal("4.44"), 1,
    )
    assert it.scope == "income"
    # the amount in the reason clause is not a statement
    assert all(i.amount is None or i.amount.value != 9 for i in nar.items)


def test_decrease_words_and_label_before_colon():
    nar = items_of("1、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）：2024 年预算数为 616.13 万元，比上年预算减少 179.49 万元，下降 22.56%。")
    (it,) = nar.items
    assert (it.change_dir, it.pct_dir) == (-1, -1)
    assert nv.level_and_chain(it.label) == ("项", ["社会保障和就业支出", "行政事业单位养老支出"], "行政单位离退休")


def test_issuer_and_year_are_not_part_of_the_subject():
    nar = items_of("二、关于收入预算情况说明\n\n自治区国土资源执法监察总队 2024 年收入预算 17,798.61 万元，其中：\n")
    assert [i.subject for i in nar.items if i.amount is not None] == ["收入预算"]


def test_change_only_statements_and_their_list():
    nar = items_of(
        "十、关于“三公”经费预算情况说明\n\n2024 年财政拨款“三公”经费预算比上年预算增加 0.00 万元，增长 0.00%，其中：因公出国（境）费增加 0.00 万元，"
        "增长 0.00%，主要原因是本单位无因公出境；公务接待费减少 1.00 万元，下降 5.00%。\n"
    )
    whole, *parts = nar.items
    assert whole.subject == "财政拨款三公经费预算" and whole.amount is None and whole.change.value == 0
    assert [(p.subject, p.change_dir) for p in parts] == [("因公出国(境)费", 1), ("公务接待费", -1)]
    assert all(p.group is not None and p.group.whole is whole for p in parts)


def test_sentence_cut_by_a_line_break_is_joined():
    text = "自治区国土资源执法监察总队编制数 653，实有人数 828 人，其中：在职\n\n571 人，减少 14 人；退休 257 人，增加 27 人；离休 0 人，增加 0 人。\n"
    d = prose_doc(text)
    nar = nv.extract(d)
    whole = next(i for i in nar.items if i.subject == "实有人数")
    g = next(x for x in nar.groups if x.whole is whole)
    assert [(p.subject, p.count.value, p.change_dir * p.change.value) for p in g.parts] == [
        ("在职", 571, -14), ("退休", 257, 27), ("离休", 0, 0),
    ]
    assert g.parts[0].count.loc.line == 3 and whole.count.loc.line == 1


def test_list_over_following_paragraphs_until_a_heading():
    nar = items_of(NARRATIVE_003)
    g = next(x for x in nar.groups if x.whole is not None and x.whole.subject == "支出预算")
    assert [(p.subject, str(p.amount.value)) for p in g.parts] == [("基本支出", "12659.61"), ("项目支出", "5139.00")]
    s = next(x for x in nar.groups if x.kind == "structure")
    assert [p.share.value for p in s.parts] == [Decimal("10.33"), Decimal("5.75"), Decimal("78.69"), Decimal("5.23")]


def test_vehicle_counts_with_values():
    nar = items_of(NARRATIVE_003)
    cars = next(i for i in nar.items if i.subject == "车辆")
    assert (cars.count.value, cars.amount.value) == (227, Decimal("4726.70"))
    g = next(x for x in nar.groups if x.whole is cars)
    assert [(p.count.value, str(p.amount.value)) for p in g.parts] == [(2, "46.81"), (115, "2748.66"), (110, "1931.23")]


# ---------------------------------------------------------------- projects


@pytest.mark.parametrize(
    "alloc, restated",
    [
        ("办公费 24.39 万元、差旅费 1.57 万元、劳务费 134.04 万元。", None),
        ("乌鲁木齐县国土资源执法监察大队 160.00 万元，其中劳务费 113.54 万元，办公费 46.46 万元。", "160.00"),
        ("160.00 万元。其中：劳务费：113.54 万元；办公费：46.46 万元。", "160.00"),
        ("项目经费 160 万元：办公经费 46.46 万元，劳务费 113.54 万元", "160"),
        ("乌鲁木齐县国土资源执法监察大队 160 万元，劳务费 113.54 万元；办公费：46.46 万元。", "160"),
    ],
)
def test_project_write_up(alloc, restated):
    text = (
        "(一) 项目名称：全区国土资源执法监察系统执法办案补充经费\n\n设立的政策依据：根据自治区人民政府《通知》（新政办发〔2004〕162 号）文件。\n\n"
        "预算安排规模：160.00 万元\n\n项目承担单位：乌鲁木齐县国土资源执法监察大队\n\n"
        f"资金分配情况：{alloc}\n\n资金执行时间：2024 年 1 月 1 日-2024 年 12 月 31 日\n"
    )
    nar = items_of(text)
    (p,) = nar.projects
    assert (p.name, p.unit) == ("全区国土资源执法监察系统执法办案补充经费", "乌鲁木齐县国土资源执法监察大队")
    assert p.budget.amount.value == Decimal("160.00")
    g = p.allocation
    assert (str(g.restated.amount.value) if g.restated else None) == restated
    assert sum(x.amount.value for x in g.parts) == Decimal("160.00")
    # the project links to its row of 项目支出表
    link = nv.link_item(nar, p.budget)
    assert link is not None and link.exact and link.cell.raw == "160.00"


# ---------------------------------------------------------------- links


def test_same_words_link_by_section():
    nar = items_of(NARRATIVE_003)
    d = {(i.subject, str(i.amount.value)): nv.link_item(nar, i) for i in nar.items if i.amount is not None}
    assert d[("项目支出", "5139.00")].table.kind == "budget.expenditure"
    assert d[("项目支出", "4780.00")].table.kind == "budget.gpb_expenditure"
    assert d[("人员经费", "11740.77")].table.kind == "budget.gpb_basic"
    assert d[("社会保障和就业支出", "1801.39")].cell.row >= 0
    link = d[("机关运行经费财政拨款预算", "918.84")]
    assert link.table.kind == "budget.gpb_basic" and not link.exact  # a convention: warning only


def test_unlinked_subjects_stay_unlinked():
    nar = items_of("（二）政府采购情况\n\n2024 年，政府采购预算 1,236.80 万元，其中：政府采购货物预算 441.75 万元。\n")
    assert all(nv.link_item(nar, i) is None for i in nar.items)


def test_seed_003_narrative_is_read_fast_and_fully():
    path = SEEDS / "003_407e03e18ae36581.txt"
    if not path.exists():
        pytest.fail("seed documents missing from ../shared/seeds")
    from budgetlint.loaders import load_document

    d = load_document(path)
    t0 = time.perf_counter()
    nar = nv.extract(d)
    assert time.perf_counter() - t0 < 2.0
    assert len(nar.projects) == 103
    assert sum(1 for p in nar.projects if p.budget is not None and p.allocation is not None and p.allocation.parts) == 103
    assert nar.linker.project_count() == 102
    linked = [p for p in nar.projects if nv.link_item(nar, p.budget) is not None]
    assert len(linked) == 102  # the one not in 项目支出表: 执法办案工作经费 (非财政拨款)
