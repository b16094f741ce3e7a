"""Misreadings reported on real documents: whole-number workbooks, workbook precision,
traditional characters, a grand-total label in the code column."""

from __future__ import annotations

import pytest

from budgetlint import engine
from budgetlint.loaders import load_document
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path, rows, number_format=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门支出总表"])
    ws.append(["项目", "合计", "基本支出", "项目支出"])
    for r in rows:
        ws.append(r)
    if number_format:
        for row in ws.iter_rows(min_row=3):
            for c in row[1:]:
                c.number_format = number_format
    wb.save(path)
    return path


def _check_file(path):
    doc = load_document(path)
    return doc, engine.check_documents([doc]).findings


WHOLE = [["人员经费", 120, 120, None], ["公用经费", 80, 50, 30], ["合计", 200, 170, 30]]


def test_a_row_of_whole_numbers_is_data_not_header(tmp_path):
    doc, found = _check_file(_workbook(tmp_path / "w.xlsx", WHOLE))
    (t,) = doc.tables
    assert [c.path for c in t.columns] == [("项目",), ("合计",), ("基本支出",), ("项目支出",)]
    assert [r.label for r in t.rows] == ["人员经费", "公用经费", "合计"]
    assert found == []


def test_numbering_and_year_rows_stay_in_the_header():
    text = "部门支出总表\n项目\t合计\t基本支出\t项目支出\n栏次\t1\t2\t3\n人员经费\t120\t120\t\n公用经费\t80\t50\t30\n合计\t200\t170\t30\n"
    t = understand_document(parse_text(text, "n.txt")).tables[0]
    assert [r.label for r in t.rows] == ["人员经费", "公用经费", "合计"]
    text = "收入预算表\n项目\t2023\t2024\n财政拨款\t120\t130\n事业收入\t80\t50\n合计\t200\t180\n"
    t = understand_document(parse_text(text, "y.txt")).tables[0]
    assert [c.path for c in t.columns] == [("项目",), ("2023",), ("2024",)]
    assert [r.label for r in t.rows] == ["财政拨款", "事业收入", "合计"]


def test_general_format_whole_numbers_are_exact(tmp_path):
    rows = [["人员经费", 120, 120, None], ["公用经费", 80, 50, 30], ["合计", 201, 170, 30]]
    _, found = _check_file(_workbook(tmp_path / "g.xlsx", rows))
    got = sorted((f.code, f.cell, f.expected, f.actual, f.tolerance) for f in found)
    assert got == [("C201", "B5", 200.0, 201.0, 0.0), ("S101", "B5", 200.0, 201.0, 0.0)]


def test_formatted_numbers_keep_their_displayed_precision(tmp_path):
    # 0.00 format: 100.004 + 99.996 shown as 100.00 + 100.00 = 200.00, within rounding of the shown figures
    rows = [["人员经费", 100.004, 100.004, None], ["公用经费", 99.996, 99.996, None], ["合计", 200.01, 200.01, None]]
    doc, found = _check_file(_workbook(tmp_path / "f.xlsx", rows, "0.00"))
    assert doc.tables[0].rows[0].cells[1].raw == "100.00"
    assert found == []
    # #,##0 format: whole numbers with half a unit of slack each
    rows = [["人员经费", 1200.4, 1200.4, None], ["公用经费", 800.4, 800.4, None], ["合计", 2001, 2001, None]]
    _, found = _check_file(_workbook(tmp_path / "i.xlsx", rows, "#,##0"))
    assert found == []
    rows[2] = ["合计", 2003, 2003, None]
    _, found = _check_file(_workbook(tmp_path / "j.xlsx", rows, "#,##0"))
    assert {(f.code, f.cell, f.tolerance) for f in found} == {("S101", "B5", 1.5), ("S101", "C5", 1.5)}


TRAD = (
    "表3\n部門支出總表\n單位：萬元\n科目編碼\t科目名稱\t合計\t基本支出\t項目支出\n"
    "\t合計\t1,610.50\t900.00\t710.50\n201\t一般公共服務支出\t120.00\t120.00\t\n20101\t人大事務\t120.00\t120.00\t\n"
    "2010101\t行政運行\t120.00\t120.00\t\n207\t文化旅遊體育與傳媒支出\t1,490.50\t780.00\t710.50\n"
    "20701\t文化和旅遊\t1,490.50\t780.00\t710.50\n2070101\t行政運行\t780.00\t780.00\t\n"
    "2070199\t其他文化和旅遊支出\t710.50\t\t710.50\n"
)


def _check_text(text, name="t.txt"):
    doc = understand_document(parse_text(text, name))
    return doc, engine.check_documents([doc]).findings


def test_traditional_characters_are_understood_and_shown_as_written():
    doc, found = _check_text(TRAD)
    (t,) = doc.tables
    assert (t.title, t.kind, t.unit) == ("部門支出總表", "budget.expenditure", "万元")
    assert [c.role for c in t.columns] == ["code", "label", "value", "value", "value"]
    assert t.columns[2].label == "合計" and t.rows[0].kind == "total"
    assert found == []
    _, found = _check_text(TRAD.replace("1,490.50\t780.00\t710.50\n20701", "1,490.50\t770.00\t710.50\n20701"))
    got = {(f.code, f.row["label"], f.column["label"], f.expected, f.actual) for f in found}
    assert ("C201", "文化旅遊體育與傳媒支出", "合計", 1480.5, 1490.5) in got
    assert ("S101", "合計", "基本支出", 890.0, 900.0) in got


def test_label_normaliser_converts_only_traditional_text():
    from budgetlint.understand.labels import norm, simplified

    assert norm("科目 編碼") == "科目编码" and norm("因公出國（境）費") == "因公出国(境)费"
    assert simplified("一般公共预算支出") == "一般公共预算支出"
    assert simplified("ABC 123") == "ABC 123"


def test_grand_total_label_in_the_code_column_is_a_total_row():
    text = (
        "表3\n部门支出总表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t1,610.50\t900.00\t710.50\n"
        "201\t一般公共服务支出\t120.00\t120.00\t\n20101\t人大事务\t120.00\t120.00\t\n"
        "207\t文化旅游体育与传媒支出\t1,490.50\t780.00\t710.50\n20701\t文化和旅游\t1,490.50\t780.00\t710.50\n"
    )
    doc, found = _check_text(text)
    row = doc.tables[0].rows[0]
    assert (row.label, row.code, row.kind) == ("合计", None, "total")
    assert found == []
    _, found = _check_text(text.replace("合计\t\t1,610.50\t900.00\t710.50", "合计\t\t1,610.50\t900.00\t700.50"))
    got = {(f.code, f.line, f.row["label"], f.column["label"], f.expected, f.actual) for f in found}
    assert got == {("C201", 5, "合计", "合计", 1600.5, 1610.5), ("S101", 5, "合计", "项目支出", 710.5, 700.5)}


CORPUS = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jiangsu" / "renda_summary_2017_2019.csv"

YEARS = "部门支出预算表（2017-2019年）\n单位：万元\n年度\t基本支出\t项目支出\t合计\n2017年\t7,666.68\t5,853.96\t13,520.64\n2018年\t7,877.76\t6,333.96\t14,211.72\n2019年\t9,312.90\t6,459.58\t15,772.48\n"


def test_years_as_rows_keep_the_orientation_their_numbers_confirm():
    """基本支出 + 项目支出 = 合计 holds across the columns of every year: the table is read as printed."""
    doc, found = _check_text(YEARS)
    (t,) = doc.tables
    assert not t.meta.get("transposed") and not t.meta.get("not_understood")
    assert [c.role for c in t.columns] == ["label", "value", "value", "value"]
    assert [r.label for r in t.rows] == ["2017年", "2018年", "2019年"]
    assert found == []
    _, found = _check_text(YEARS.replace("14,211.72", "14,221.72"))
    got = [(f.code, f.line, f.row["label"], f.column["label"], f.expected, f.actual) for f in found]
    assert got == [("C201", 5, "2018年", "合计", 14211.72, 14221.72)]


TURNED = "收入预算表（2017-2019年）\n单位：万元\n年度\t财政拨款收入\t事业收入\t收入合计\t上年结转\t总计\n" \
    "2017\t100.00\t20.00\t120.00\t5.00\t125.00\n2018\t110.00\t25.00\t135.00\t5.00\t140.00\n2019\t120.00\t30.00\t150.00\t10.00\t160.00\n"


def test_years_as_rows_are_turned_back_when_the_columns_do_not_add_up_as_printed():
    """总计 = 收入合计 + 上年结转 is a row structure (totals covering the lines above), not a header group."""
    doc, found = _check_text(TURNED)
    (t,) = doc.tables
    assert t.meta.get("transposed") and not t.meta.get("not_understood")
    assert [c.label for c in t.columns if c.role == "value"] == ["2017", "2018", "2019"]
    assert [(r.label, r.kind) for r in t.rows][-1] == ("总计", "total")
    assert found == []
    _, found = _check_text(TURNED.replace("135.00\t5.00\t140.00", "135.00\t5.00\t141.00"))
    got = [(f.code, f.row["label"], f.column["label"], f.expected, f.actual) for f in found]
    assert got == [("S101", "总计", "2018", 140.0, 141.0)]


def test_years_as_rows_in_export_order_are_set_aside_not_misjudged():
    """The 收支总表 of three years, columns in export order: no structure holds, so one warning and no errors."""
    if not CORPUS.exists():
        pytest.fail(f"corpus file missing: {CORPUS}")
    doc, found = _check_file(CORPUS)
    assert doc.tables[0].meta.get("transposed")
    assert [(f.code, f.severity) for f in found] == [("L005", "warning")]
    assert "未作核对" in found[0].message
