"""The layout zoo: one consistent set of figures in 31 layouts and five formats.

Every layout of :mod:`zoo_layouts` is checked twice: as published (no error, no warning)
and with one mistake planted at a time — in a detail cell, a subtotal, a total, and (in
the whole documents) a cell that only another table contradicts.  Each planted mistake
must be found at its cell (code, table, row label, column label, expected and actual),
and every error reported must involve the planted cell: nothing else is flagged.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("openpyxl")
pytest.importorskip("docx")
pytest.importorskip("reportlab")

from budgetlint import engine  # noqa: E402
from budgetlint.loaders import load_document  # noqa: E402

from zoo_layouts import LAYOUTS, Layout, Plant  # noqa: E402

EXP_T, SUM_T, ECON_T = "部门支出总表", "部门收支总表", "一般公共预算基本支出表"
SG_BESIDE, SG_ROWS = "“三公”经费、会议费、培训费支出预算表", "“三公”经费支出预算表"
PAY = "支出 / 预算数"


def expectations(layout: Layout) -> list[tuple[str, Plant, list[tuple]]]:
    """(id, plant, expected findings) for every plant that applies to ``layout``; amounts in 万元."""
    c = layout.cols
    out: list[tuple[str, Plant, list[tuple]]] = []
    if "exp" in layout.tables:
        out += [
            ("exp-detail", Plant("d", ("exp", "2080505", "basic"), "125.57"), [
                ("C201", EXP_T, "机关事业单位基本养老保险缴费支出", c["total"], "125.57", "120.50"),
                ("S102", EXP_T, "行政事业单位养老支出", c["basic"], "173.77", "168.70")]),
            ("exp-subtotal", Plant("s", ("exp", "22001", "project"), "450.44"), [
                ("S102", EXP_T, "自然资源事务", c["project"], "405.44", "450.44"),
                ("C201", EXP_T, "自然资源事务", c["total"], "1685.00", "1640.00")]),
            ("exp-total", Plant("t", ("exp", "total", "basic"), "1565.56"), [
                ("S101", EXP_T, "合计", c["basic"], "1556.56", "1565.56"),
                ("C201", EXP_T, "合计", c["total"], "1971.00", "1962.00")]),
        ]
    if "summary" in layout.tables:
        cross = [("X302", SUM_T, "三、自然资源海洋气象等支出", PAY, "1640.00", "1604.00")] if "exp" in layout.tables else []
        out += [
            ("summary-detail", Plant("d", ("summary", "220", "amount"), "1604.00"),
             [("S105", SUM_T, "本年支出合计", PAY, "1926.00", "1962.00")] + cross),
            ("summary-total", Plant("t", ("summary", "收入总计", "amount"), "1993.00"), [
                ("B301", SUM_T, "收入总计", "收入 / 预算数", "1992.00", "1993.00")]),
        ]
    if "sangong" in layout.tables:
        if layout.sangong == "rows":
            out += [
                ("sangong-detail", Plant("d", ("sangong", "row", "运行"), "12.80"), [
                    ("B302", SG_ROWS, "2.公务用车购置及运行费", "预算数", "12.80", "12.60")]),
                ("sangong-total", Plant("t", ("sangong", "row", "合计"), "16.50"), [("B302", SG_ROWS, "合计", "预算数", "16.00", "16.50")]),
            ]
        else:
            out += [
                ("sangong-detail", Plant("d", ("sangong", "row", "运行"), "12.80"), [
                    ("B302", SG_BESIDE, "", "公务用车购置及运行费 / 小计", "12.80", "12.60")]),
                ("sangong-total", Plant("t", ("sangong", "row", "合计"), "16.50"), [("B302", SG_BESIDE, "", "“三公”经费合计", "16.00", "16.50")]),
                # 会议费 and 培训费 stand beside the 三公 columns but are not part of their total
                ("sangong-meeting-fee-not-summed", Plant("m", ("sangong", "row", "会议费"), "25.00"), []),
            ]
    if "econ" in layout.tables:
        amount = "合计" if layout.econ == "list" else "金额"
        out += [
            ("econ-detail", Plant("d", ("econ", "30211", "amount"), "95.00"), [
                ("S102", ECON_T, "商品和服务支出", amount, "409.00", "404.00")]),
            ("econ-subtotal", Plant("s", ("econ", "301", "amount"), "1050.56"), [
                ("S102", ECON_T, "工资福利支出", amount, "1052.56", "1050.56")]),
        ]
        if layout.econ == "list":
            out.append(("econ-total", Plant("t", ("econ", "total", "amount"), "1566.56"), [
                ("S101", ECON_T, "合计", "合计", "1556.56", "1566.56")]))
        if "sangong" in layout.tables:
            # 30217 公务接待费 in 基本支出 may not exceed the 三公 table's 公务接待费
            out.append(("econ-cross-sangong", Plant("x", ("econ", "30217", "amount"), "5.40"), [
                ("X308", ECON_T, "公务接待费", amount, "3.40", "5.40")]))
    return out


# (layout, plant or None) → reason, for a layout budgetlint cannot read yet: marked strict xfail.
# Empty: every layout of the zoo is read.
XFAIL: dict[tuple[str, str | None], str] = {}


def _marks(layout_id: str, plant_id: str | None):
    reason = XFAIL.get((layout_id, plant_id)) or XFAIL.get((layout_id, None))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


CONSISTENT = [pytest.param(L, id=L.id, marks=_marks(L.id, None)) for L in LAYOUTS]
PLANTED = [
    pytest.param(L, pid, plant, exp, id=f"{L.id}:{pid}", marks=_marks(L.id, pid))
    for L in LAYOUTS for pid, plant, exp in expectations(L)
]


def _scale(layout: Layout, amount: str) -> float:
    return float(Decimal(amount) * (10000 if layout.unit == "元" else 1))


def _row_label(f) -> str | None:
    """The row's name: an inline code (``2080505 行政运行``) is reported in ``row.code`` as well."""
    if not f.row:
        return None
    label, code = f.row["label"], f.row.get("code")
    return label[len(code):].strip() if code and label.startswith(code + " ") else label


def _findings(path):
    doc = load_document(path)
    return doc, engine.check_documents([doc]).findings


def test_the_zoo_is_large_enough():
    assert len(LAYOUTS) >= 25
    assert {L.fmt.split("-")[0] for L in LAYOUTS} == {"txt", "csv", "xlsx", "xls", "docx", "html", "pdf"}


@pytest.mark.parametrize("layout", CONSISTENT)
def test_consistent_layout_raises_nothing(layout, tmp_path):
    doc, found = _findings(layout.write(tmp_path))
    assert len(doc.tables) == len(layout.tables)
    assert [(f.code, f.severity, f.message) for f in found] == []


@pytest.mark.parametrize("layout,pid,plant,expected", PLANTED)
def test_planted_mistake_is_found_at_its_cell(layout, pid, plant, expected, tmp_path):
    _, found = _findings(layout.write(tmp_path, plant))
    errors = [f for f in found if f.severity == "error"]
    got = {(f.code, f.table["title"] if f.table else None, _row_label(f), f.column["label"] if f.column else None, f.expected, f.actual)
           for f in errors}
    for code, title, row, col, exp, act in expected:
        if "indent" in layout.id:  # a hierarchy shown by indentation: levels, not codes or a total's cover (S105)
            code = {"S101": "S105", "S102": "S105"}.get(code, code)
        assert (code, title, row, col, _scale(layout, exp), _scale(layout, act)) in got
    planted = _scale(layout, plant.value)
    stray = [f for f in errors if f.actual != planted and all(t.get("value") != planted for t in f.terms)]
    assert stray == [], "errors that do not involve the planted cell"
    if not expected:
        assert errors == []


# ---------------------------------------------------------------- prose: amount, share, rate

PROSE_PLANTS = [
    # the text's 基本支出 (the table says 1,556.56)
    ("prose-amount", Plant("pa", ("prose", "basic", "amount"), "1565.56"), "N601", "1556.56"),
    # its share of 1,962.00 (1,556.56 ÷ 1,962.00 = 79.34 %)
    ("prose-share", Plant("ps", ("prose", "basic", "share"), "78.34"), "N602", "79.34"),
    # 三公 16.00 against 14.00 last year: 2.00 ÷ 14.00 = 14.29 %
    ("prose-rate", Plant("pr", ("prose", "sangong", "rate"), "15.29"), "N603", "14.29"),
]
PROSE = [
    pytest.param(L, pid, plant, code, exp, id=f"{L.id}:{pid}")
    for L in LAYOUTS if L.prose for pid, plant, code, exp in PROSE_PLANTS
]


def test_prose_layouts_in_three_formats():
    assert {L.fmt for L in LAYOUTS if L.prose} >= {"txt", "docx", "pdf", "pdf-unruled"}


@pytest.mark.parametrize("layout,pid,plant,code,expected", PROSE)
def test_planted_prose_mistake_is_found_in_its_sentence(layout, pid, plant, code, expected, tmp_path):
    doc, found = _findings(layout.write(tmp_path, plant))
    errors = [f for f in found if f.severity == "error"]
    hits = [f for f in errors if f.code == code]
    assert len(hits) == 1, [(f.code, f.message) for f in errors]
    f = hits[0]
    assert (f.expected, f.actual) == (float(expected), float(plant.value))
    # a wrong amount also breaks its share and its list's sum: every other error involves it
    planted = float(plant.value)
    assert all(g.actual == planted or any(t.get("value") == planted for t in g.terms) for g in errors), [g.message for g in errors]
    # located at the sentence that states it
    here = [p for p in doc.prose if (p.loc.line, p.loc.page) == (f.line, f.page) and p.loc.paragraph == f.extra.get("paragraph", p.loc.paragraph)]
    assert any(plant.value in p.text.replace(",", "") for p in here), [p.text for p in here]
