"""PDF tables drawn without ruling lines: columns found from the aligned text."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")

import fixtures_build as fb  # noqa: E402
from budgetlint import engine  # noqa: E402
from budgetlint.loaders import load_document  # noqa: E402

ROWS = [
    ("", "", "", "总计", "17,798.61", "12,659.61", "5,139.00"),
    ("208", "", "", "社会保障和就业支出", "1,801.39", "1,801.39", ""),
    ("208", "05", "", "行政事业单位养老支出", "1,801.39", "1,801.39", ""),
    ("208", "05", "01", "行政单位离退休", "616.13", "616.13", ""),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "1,185.26", "1,185.26", ""),
    ("210", "", "", "卫生健康支出", "1,002.65", "1,002.65", ""),
    ("210", "11", "", "行政事业单位医疗", "1,002.65", "1,002.65", ""),
    ("210", "11", "01", "行政单位医疗", "563.50", "563.50", ""),  # typed 563.50 for 536.50
    ("210", "11", "03", "公务员医疗补助", "466.15", "466.15", ""),
    ("220", "", "", "自然资源海洋气象等支出", "14,083.33", "8,944.33", "5,139.00"),
    ("220", "01", "", "自然资源事务", "14,083.33", "8,944.33", "5,139.00"),
    ("220", "01", "01", "行政运行", "8,954.33", "8,944.33", "10.00"),
    ("220", "01", "99", "其他自然资源事务支出", "5,129.00", "", "5,129.00"),
    ("221", "", "", "住房保障支出", "911.25", "911.25", ""),
    ("221", "02", "", "住房改革支出", "911.25", "911.25", ""),
    ("221", "02", "01", "住房公积金", "911.25", "911.25", ""),
]
X = [40, 70, 95, 120, 330, 410, 490]  # left edges; the last three columns are right-aligned at +60


def write_plain_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for text in ("表 3", "单位支出总体情况表", "单位：万元"):
        c.setFont(font, 11)
        c.drawString(40, y, text)
        y -= 20
    c.setFont(font, 9)
    header = ("类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出")
    for row in (header, *ROWS):
        for j, text in enumerate(row):
            if not text:
                continue
            if j >= 4:
                c.drawRightString(X[j] + 60, y, text)
            else:
                c.drawString(X[j], y, text)
        y -= 14
    c.drawString(40, y - 10, "注：本表金额单位为万元。")
    c.save()
    return path


def test_aligned_text_table_is_read_and_checked(tmp_path):
    doc = load_document(write_plain_pdf(tmp_path / "plain.pdf"))
    assert doc.error is None
    (t,) = doc.tables
    assert (t.number, t.title, t.kind, t.unit) == ("表 3", "单位支出总体情况表", "budget.expenditure", "万元")
    assert [r.code for r in t.rows][:4] == [None, "208", "20805", "2080501"]
    row = next(r for r in t.rows if r.code == "2200199")
    assert [c.raw for c in row.cells] == ["220", "01", "99", "其他自然资源事务支出", "5,129.00", "", "5,129.00"]
    assert row.cells[4].loc.page == 1
    found = sorted((f.code, f.row["code"], f.column["label"], f.expected, f.actual) for f in engine.check_documents([doc]).findings)
    assert found == [
        ("S102", "21011", "合计", 1029.65, 1002.65),
        ("S102", "21011", "基本支出", 1029.65, 1002.65),
    ]
    assert any("注：本表金额单位为万元" in p.text for p in doc.prose)
