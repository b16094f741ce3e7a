"""The real Jiangsu department budget PDFs (../shared/corpus/jiangsu): every table read.

Each of the twelve files that hold the twelve disclosure tables yields exactly twelve tables
(a table continued over a page is one table) of the template's kinds, in 万元, with the
issuer named above them; a few cells are checked by value, row label and column label.
The corpus sits beside the repository like the seeds; when it is missing the test fails
rather than passing silently.
"""

from __future__ import annotations


from collections import Counter
from pathlib import Path

import pytest

import pdfplumber  # noqa: E402,F401 - a dependency of budgetlint or its test extra

from budgetlint.loaders import load_document  # noqa: E402

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jiangsu"

TEMPLATE_KINDS = Counter({
    "budget.summary": 1, "budget.income": 1, "budget.expenditure": 1, "budget.fiscal_summary": 1,
    "budget.fiscal_expenditure": 1, "budget.fiscal_basic": 1, "budget.gov_fund": 1, "budget.gpb_expenditure": 1,
    "budget.gpb_basic": 1, "budget.running_costs": 1, "budget.sangong": 1, "budget.procurement": 1,
})

# file → issuer printed above the tables (None: the title names the unit, no 部门 line)
FILES = {
    "fayuan_2017_budget.pdf": None,
    "fayuan_2018_budget.pdf": None,
    "jianchayuan_2017_budget.pdf": "江苏省人民检察院",
    "jianchayuan_2019_budget.pdf": "江苏省人民检察院",
    "renda_2017_budget.pdf": "江苏省人大常委会办公厅",
    "renda_2018_budget.pdf": "江苏省人大常委会办公厅",
    "renda_2019_budget_tables.pdf": "江苏省人大常委会办公厅",
    "shengwei_2017_budget_tables.pdf": "中国共产党江苏省委员会办公厅",
    "shengwei_2018_budget_tables.pdf": "中共江苏省委办公厅",
    "zhengxie_2017_budget_tables.pdf": "江苏省政协办公厅",
    "zhengxie_2018_budget_tables.pdf": "江苏省政协办公厅",
    "zhengxie_2019_budget_tables.pdf": "江苏省政协办公厅",
}

# (file, table kind, row label, column label (leaf of the header path), printed value)
SPOT_CHECKS = [
    ("shengwei_2017_budget_tables.pdf", "budget.income", "收入总计", "金额", "20,849.45"),
    ("shengwei_2017_budget_tables.pdf", "budget.expenditure", None, "基本支出", "9,964.07"),
    ("zhengxie_2017_budget_tables.pdf", "budget.fiscal_expenditure", "合计", "金额", "9,066.79"),
    ("zhengxie_2019_budget_tables.pdf", "budget.gpb_expenditure", "一般公共服务支出", "金额", "10,191.56"),
    ("renda_2019_budget_tables.pdf", "budget.expenditure", None, "合计", "18,330.37"),
    ("renda_2019_budget_tables.pdf", "budget.running_costs", "合计", "机关运行经费支出", "1,642.08"),
    ("zhengxie_2017_budget_tables.pdf", "budget.sangong", None, "因公出国(境)费", "76.00"),
    ("jianchayuan_2017_budget.pdf", "budget.gpb_basic", "合计", "金额", None),
    ("fayuan_2017_budget.pdf", "budget.income", "收入总计", "金额", "28,849.38"),
]


@pytest.fixture(scope="module")
def docs():
    if not CORPUS.is_dir():
        pytest.fail(f"the Jiangsu corpus is missing: expected it at {CORPUS}")
    missing = [f for f in FILES if not (CORPUS / f).exists()]
    if missing:
        pytest.fail(f"corpus files missing from {CORPUS}: {missing}")
    return {name: load_document(CORPUS / name) for name in FILES}


@pytest.mark.parametrize("name", sorted(FILES))
def test_twelve_tables_of_the_template(docs, name):
    doc = docs[name]
    assert doc.error is None
    assert len(doc.tables) == 12, [(t.number, t.title) for t in doc.tables]
    assert Counter(t.kind for t in doc.tables) == TEMPLATE_KINDS
    assert doc.tables[0].kind == "budget.summary" and doc.tables[-1].kind == "budget.procurement"
    for t in doc.tables:
        assert t.unit == "万元", (t.title, t.unit)
        assert t.title and "部门：" not in t.title and "单位：" not in t.title, t.title
        assert all(all("部门" not in p and "单位：" not in p for p in c.path) for c in t.columns), (t.title, [c.path for c in t.columns])


@pytest.mark.parametrize("name", sorted(FILES))
def test_issuer(docs, name):
    expected = FILES[name]
    issuers = [t.issuer for t in docs[name].tables]
    if expected is None:
        assert issuers == [None] * 12
    else:
        # a name wrapped onto a second line may lose its tail on one table (renda_2018, shengwei_2017)
        assert sum(1 for i in issuers if i == expected) >= 11 and all(i and expected.startswith(i) for i in issuers), issuers


def test_numbering_styles(docs):
    assert [t.number for t in docs["zhengxie_2017_budget_tables.pdf"].tables][:3] == ["表一", "表二", "表三"]
    assert [t.number for t in docs["zhengxie_2019_budget_tables.pdf"].tables][:3] == ["公开01表", "公开02表", "公开03表"]
    assert [t.number for t in docs["renda_2019_budget_tables.pdf"].tables][:2] == ["公开表一", "公开表二"]


def test_procurement_continued_over_a_page_is_one_table(docs):
    t = next(t for t in docs["renda_2019_budget_tables.pdf"].tables if t.kind == "budget.procurement")
    assert t.title == "2019年政府采购预算表"
    assert sum(1 for x in docs["renda_2019_budget_tables.pdf"].tables if x.kind == "budget.procurement") == 1
    pages = {c.loc.page for r in t.rows for c in r.cells}
    assert pages == {12, 13}


@pytest.mark.parametrize("name, kind, row_label, col_label, raw", SPOT_CHECKS)
def test_spot_checked_cells(docs, name, kind, row_label, col_label, raw):
    t = next(t for t in docs[name].tables if t.kind == kind)
    col = next(c for c in t.columns if c.path and c.path[-1] == col_label)
    row = next(r for r in t.rows if (row_label is None or r.label == row_label))
    cell = row.cells[col.index]
    if raw is None:
        assert cell.value is not None
    else:
        assert cell.raw == raw
        assert cell.loc.path.endswith(name) and cell.loc.page is not None


def test_every_error_on_the_corpus_is_a_verified_prose_slip(corpus_report):
    """The tables of the corpus add up: no table finding is an error; the errors left are the
    growth rates and shares of the 情况说明 verified in test_corpus_prose.py (text and tables
    files of one disclosure checked together)."""
    errors = [f for f in corpus_report.findings if f.severity == "error"]
    assert all(f.code in ("N602", "N603") for f in errors), [f.message for f in errors if f.code not in ("N602", "N603")]
    assert Counter(f.code for f in errors) == {"N603": 10, "N602": 6}


# Every warning left on the corpus, each verified by hand: none comes from a misread structure.
# (code, file, page, line on the page, a text the message quotes)
VERIFIED_WARNINGS = [
    # 上年为零 and the text says 增长 100%: the template's wording for a new line, not a rate
    ("N603", "fayuan_2018_budget.pdf", 20, 13, "机关事业单位基本养老保险缴费支出"),
    ("N603", "fayuan_2018_budget.pdf", 20, 13, "机关事业单位职业年金缴费支出"),
    # p.19 "基本支出预算数为 12323.46 万元" while 支出预算总表 and p.19's own list say 12,323.48
    ("N601", "jianchayuan_2017_budget.pdf", 19, 7, "12,323.46"),
    # a summary with one row per year: said once, not checked
    ("L005", "renda_summary_2017_2019.csv", None, 1, "按年份排列"),
]


def test_every_warning_on_the_corpus_is_verified(corpus_report):
    warnings = sorted(
        ((f.code, Path(f.path).name, f.page, f.line, f.message) for f in corpus_report.findings if f.severity == "warning"),
        key=lambda w: (w[1], w[2] or 0, w[3] or 0, w[0], w[4]),
    )
    want = sorted(VERIFIED_WARNINGS, key=lambda w: (w[1], w[2] or 0, w[3] or 0, w[0]))
    assert [w[:4] for w in warnings] == [w[:4] for w in want], [(w[0], w[1], w[4]) for w in warnings]
    for got, expected in zip(warnings, want):
        assert expected[4] in got[4], (got, expected)


THREE_BLOCK_SUMMARIES = [
    # file, the 当年支出小计 printed once for both breakdowns, the 功能分类 block's items
    ("zhengxie_2018_budget_tables.pdf", "10,150.48", ("7,827.46", "823.76", "1,499.26")),
    ("jianchayuan_2019_budget.pdf", "24,169.74", ("16,593.12", "1,890.27", "5,686.35")),
    ("renda_2017_budget.pdf", "13,649.07", ("10,528.33", "1,608.51", "1,512.23")),
]


@pytest.mark.parametrize("name, subtotal, by_function", THREE_BLOCK_SUMMARIES)
def test_three_block_summary_shares_its_merged_subtotal(docs, name, subtotal, by_function):
    """收入 | 支出 by 功能分类 | 支出 by 用途: the merged 当年支出小计 row belongs to both expenditure
    blocks, each block's amounts sit on their own rows (white lines inside merged cells are no
    rulings), and both breakdowns add up to it."""
    from decimal import Decimal

    from budgetlint.understand.structure import row_trees

    t = next(t for t in docs[name].tables if t.kind == "budget.summary")
    assert len(t.meta.get("spanning_rows", [])) >= 2  # 当年支出小计 and 支出合计
    trees = row_trees(t)
    assert len(trees) == 3
    for tree in trees[1:]:
        total = next(n for n in tree.totals if "当年支出小计" in n.name)
        cells = [c for c in total.cells() if c.value is not None]
        assert [c.raw for c in cells] == [subtotal]
        items = [n for n in tree.nodes if n.kind == "item" and n.parent is None and not n.blank()]
        assert sum(c.value for n in items for c in n.cells() if c.value is not None) == Decimal(subtotal.replace(",", ""))
    function_block = trees[1]
    amounts = sorted((c.raw for n in function_block.nodes if n.kind == "item" for c in n.cells() if c.value is not None), key=lambda r: -float(r.replace(",", "")))
    assert tuple(amounts) == tuple(sorted(by_function, key=lambda r: -float(r.replace(",", ""))))


def test_a_header_alone_at_the_foot_of_a_page_takes_the_body_columns(docs):
    """fayuan_2018's 财政拨款收支预算总表: page 10 ends after its 收入 | 支出 caption row (ruled in
    narrow slivers), the body follows on page 11. The body's columns are the table's: each
    label and its amount stay in their own cells, and both sides are read."""
    t = next(t for t in docs["fayuan_2018_budget.pdf"].tables if t.kind == "budget.fiscal_summary")
    assert [c.role for c in t.columns] == ["label", "value", "label", "value"]
    assert [c.raw for c in t.rows[0].cells] == ["一、一般公共预算", "33,172.15", "一、基本支出", "18,570.82"]
    assert {c.loc.page for r in t.rows for c in r.cells if c.raw} == {11}
