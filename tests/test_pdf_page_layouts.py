"""Grids as PDF pages deliver them: rows shifted under a different ruling, a row left without
ruling at the top of the next page, captions wrapped into a row of their own.

Each grid is built the way the PDF loader hands it over (RawTable rows with page hints), from
the figures of a real 一般公共预算基本支出表 and a 三公 table; the consistent version raises no
error and one changed figure is found at its cell.
"""

from __future__ import annotations

from budgetlint import engine
from budgetlint.grid import RawDocument, RawTable
from budgetlint.model import Cell, Location, Paragraph
from budgetlint.understand import understand_document


def _cells(values, page, line):
    return [Cell(raw=v, loc=Location(path="t.pdf", page=page, line=line)) for v in values]


def _grid(rows, page, first_line, before=(), hints=None):
    return RawTable(
        rows=[_cells(r, page, first_line + i) for i, r in enumerate(rows)],
        loc=Location(path="t.pdf", page=page, line=first_line),
        before=[Paragraph(text=t, loc=Location(path="t.pdf", page=page, line=i + 1)) for i, t in enumerate(before)],
        hints=dict(hints or {}, page=page, last_page=page),
    )


def _check(raw):
    doc = understand_document(raw)
    return doc, engine.check_documents([doc], select=["S", "C", "B"]).findings


# the 表 as printed over two pages: on page 1 the codes and names sit one column left of their
# headers (the ruling splits the header cells), on page 2 they sit under them; the first row of
# page 2 has no ruling and is read as a line of text above the rest.
PAGE1 = [
    ["", "科目编码", "", "", "科目名称", "金额", ""],
    ["", "", "", "", "合计", "1,959.99", ""],
    ["221", "", "", "住房保障支出", "", "1,959.99", ""],
    ["22102", "", "", "住房改革支出", "", "1,959.99", ""],
]
PAGE2 = [["2210202", "提租补贴", "1,629.99"]]
STRAY = "2210201 住房公积金 330.00"


def _basic(page2=PAGE2, stray=STRAY):
    t1 = _grid(PAGE1, 1, 3, before=["一般公共预算支出预算表", "单位：万元"], hints={"col_edges": [0, 10, 20, 25, 35, 50, 60, 70]})
    t2 = _grid(page2, 2, 2, before=[stray], hints={"col_edges": [0, 20, 50, 70]})
    return RawDocument(path="t.pdf", format="pdf", tables=[t1, t2])


def test_shifted_rows_and_a_stray_first_row_are_read_into_the_table():
    doc, found = _check(_basic())
    (t,) = doc.tables
    assert [(r.code, r.label) for r in t.rows] == [
        (None, "合计"), ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金"), ("2210202", "提租补贴"),
    ]
    assert found == []


def test_a_mistake_in_the_stray_row_is_found_at_its_line():
    _, found = _check(_basic(stray="2210201 住房公积金 331.00"))
    errors = [(f.code, f.row["label"], f.expected, f.actual) for f in found if f.severity == "error"]
    assert ("S102", "住房改革支出", 1960.99, 1959.99) in errors


SANGONG = [
    ["", "", "", "“三公”经费", "", "", "", "", ""],
    ["", "合计", "", "", "因公出", "公务用车购置及运行维护费", "", "公务接", "会议费"],
    ["", "", "", "小计", "国（境）", "小计", "公务用车", "待费", ""],
    ["", "", "", "", "费", "", "购置费", "", ""],
    ["", "2,828.26", "", "620.75", "170.00", "266.80", "", "183.95", "2,207.51"],
]


def test_captions_wrapped_into_a_row_of_their_own_stay_in_the_header():
    raw = RawDocument(path="t.pdf", format="pdf", tables=[_grid(SANGONG, 1, 3, before=["“三公”经费、会议费支出预算表", "单位：万元"])])
    doc, found = _check(raw)
    (t,) = doc.tables
    assert len(t.rows) == 1 and t.rows[0].cells[1].raw == "2,828.26"
    assert [f for f in found if f.severity == "error"] == []  # 170.00 + 266.80 + 183.95 = 620.75
    bad = [r[:] for r in SANGONG]
    bad[4][7] = "184.95"
    _, found = _check(RawDocument(path="t.pdf", format="pdf", tables=[_grid(bad, 1, 3, before=["“三公”经费、会议费支出预算表", "单位：万元"])]))
    assert [(f.code, f.expected, f.actual) for f in found if f.severity == "error"] == [("B302", 621.75, 620.75)]
