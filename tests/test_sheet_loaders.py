"""XLSX and CSV/TSV loaders: title rows, merged headers, numbers stored as text, cached formula values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlint import engine
from budgetlint.loaders import load_document

from conftest import SAMPLES

openpyxl = pytest.importorskip("openpyxl")

ROWS_T6 = [
    ["", "", "总计", 12659.61, 11740.77, 918.84],
    ["301", "", "工资福利支出", 11123.32, 11123.32, None],
    ["301", "01", "基本工资", 2698.70, 2698.70, None],
    ["302", "", "商品和服务支出", "918.84", None, "918.84"],  # numbers stored as text
    ["303", "", "对个人和家庭的补助", 617.45, 617.45, None],
]


def make_workbook(path, formula_total: bool = False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表6"
    ws["A1"] = "一般公共预算基本支出情况表"
    ws.merge_cells("A1:F1")
    ws["A2"] = "编制单位：示例单位"
    ws.merge_cells("A2:F2")
    ws["A3"] = "单位：万元"
    ws.merge_cells("A3:F3")
    ws["A4"] = "经济分类科目编码"
    ws.merge_cells("A4:B4")
    ws["C4"] = "经济分类科目名称"
    ws.merge_cells("C4:C5")
    ws["D4"] = "一般公共预算基本支出"
    ws.merge_cells("D4:F4")
    for col, text in zip("ABDEF", ["类", "款", "合计", "人员经费", "公用经费"]):
        ws[f"{col}5"] = text
    for r, row in enumerate(ROWS_T6, start=6):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, float):
                cell.number_format = "#,##0.00"
    if formula_total:
        ws["D6"] = "=D7+D9+D10"  # openpyxl stores no cached value
    wb.save(path)


def test_xlsx_title_rows_merged_header_and_locations(tmp_path):
    p = tmp_path / "t6.xlsx"
    make_workbook(p)
    before = p.read_bytes()
    doc = load_document(p)
    assert doc.error is None and doc.format == "xlsx"
    (t,) = doc.tables
    assert (t.title, t.unit, t.issuer, t.kind) == ("一般公共预算基本支出情况表", "万元", "示例单位", "budget.gpb_basic")
    assert [c.path for c in t.columns] == [
        ("经济分类科目编码", "类"), ("经济分类科目编码", "款"), ("经济分类科目名称",),
        ("一般公共预算基本支出", "合计"), ("一般公共预算基本支出", "人员经费"), ("一般公共预算基本支出", "公用经费"),
    ]
    total = t.rows[0].cells[3]
    assert (total.value, total.decimals, total.raw, total.loc.sheet, total.loc.cell) == (Decimal("12659.61"), 2, "12,659.61", "表6", "D6")
    as_text = t.rows[3].cells[5]
    assert (as_text.value, as_text.loc.cell) == (Decimal("918.84"), "F9")
    assert t.rows[2].code == "30101"
    assert p.read_bytes() == before  # the input is never modified


def test_formula_without_cached_value_is_reported(tmp_path):
    p = tmp_path / "f.xlsx"
    make_workbook(p, formula_total=True)
    doc = load_document(p)
    cell = doc.tables[0].rows[0].cells[3]
    assert cell.blank and cell.value is None
    findings = [f for f in engine.check_documents([doc], select=["L002"]).findings]
    assert len(findings) == 1 and findings[0].sheet == "表6" and findings[0].cell == "D6"
    assert "=D7+D9+D10" in findings[0].message


def test_sample_workbook_matches_text_version():
    x = load_document(SAMPLES / "disclosure_with_errors.xlsx")
    t = load_document(SAMPLES / "disclosure_with_errors.txt")
    assert [tb.kind for tb in x.tables] == [tb.kind for tb in t.tables]
    for a, b in zip(x.tables, t.tables):
        assert [r.code for r in a.rows] == [r.code for r in b.rows]
        assert [[c.value for c in r.cells] for r in a.rows] == [[c.value for c in r.cells] for r in b.rows]


def test_csv_gbk_with_title_rows(tmp_path):
    text = "\n".join([
        "财政拨款“三公”经费支出情况表,,,",
        "单位：万元,,,",
        "“三公”经费支出内容,合计,一般公共预算,政府性基金",
        "合计,18.00,18.00,",
        "因公出国（境）费,,,",
        "公务用车运行费,18.00,18.00,",
    ])
    p = tmp_path / "sg.csv"
    p.write_bytes(text.encode("gb18030"))
    doc = load_document(p)
    (t,) = doc.tables
    assert (t.kind, t.unit) == ("budget.sangong", "万元")
    assert [r.label for r in t.rows] == ["合计", "因公出国(境)费", "公务用车运行费"]
    c = t.rows[2].cells[1]
    assert (c.value, c.loc.line, c.loc.cell) == (Decimal("18.00"), 6, "B6")


def test_tsv(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("表 3 支出总表\n单位：万元\n项目\t合计\t基本支出\t项目支出\n合计\t30.00\t10.00\t20.00\n", encoding="utf-8")
    doc = load_document(p)
    assert doc.format == "tsv" and doc.tables[0].rows[0].cells[2].value == Decimal("10.00")


def test_workbook_saved_under_another_name_is_read_by_content(tmp_path):
    p = tmp_path / "export.bin"
    p.write_bytes((SAMPLES / "disclosure_with_errors.xlsx").read_bytes())
    doc = load_document(p)
    assert doc.error is None and doc.format == "xlsx" and len(doc.tables) == 3
