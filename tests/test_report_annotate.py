"""Annotated workbooks: marks, comments and a linked summary; the input is never modified."""

from __future__ import annotations

import hashlib
import importlib.util

import pytest
from _report_data import (
    LINE_30102, SHEET, check_docs, copy_seed, mistyped_t6_rows, run_cli, seed003_report, t6_document,
    use_test_rules, write_t6_workbook,
)
from openpyxl import load_workbook

from budgetlint.report.annotate import SEVERITY_FILL, TERM_FILL, annotated_copy, output_paths, write_annotations


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:]


@pytest.fixture
def t6_book(tmp_path):
    """A workbook holding table 6 with 30102 津贴补贴 合计 mistyped, with a reviewer's comment on that cell."""
    from openpyxl.comments import Comment

    path = write_t6_workbook(tmp_path / "t6.xlsx", mistyped_t6_rows())
    wb = load_workbook(path)
    wb[SHEET]["C8"].comment = Comment("请财务科核对", "审核人")
    wb[SHEET].merge_cells("A1:E1")
    wb.save(path)
    return path


def test_spreadsheet_copy_is_marked_and_input_unchanged(t6_book, tmp_path):
    before = _digest(t6_book)
    report = check_docs([t6_document(str(t6_book), mistyped_t6_rows())])
    out = tmp_path / "t6.annotated.xlsx"
    assert write_annotations(report, out) == [str(out)]
    assert _digest(t6_book) == before
    wb = load_workbook(out)
    assert wb.sheetnames == [SHEET, "说明", "检查结果"]  # the summary is added last (sheet indexes stay) and opened first
    ws = wb[SHEET]
    # the offending cells: class total 301 (C6) and 30102 合计 (C8); values untouched
    assert _fill(ws["C6"]) == SEVERITY_FILL["error"] and _fill(ws["C8"]) == SEVERITY_FILL["error"]
    assert ws["C8"].value == pytest.approx(3368.91) and ws["C8"].number_format == "#,##0.00"
    c8 = ws["C8"].comment.text
    assert c8.startswith("请财务科核对")  # the reviewer's comment is kept
    assert "C901（错误）" in c8 and "应为：3,386.91" in c8 and "实为：3,368.91" in c8 and "相差：-18.00" in c8
    assert "参与计算：#1 S901" in c8  # also a term of the class sum
    # the terms: the other 301xx items of 合计 and 30102 人员经费
    for ref in ("C7", "C9", "C10", "C15", "D8"):
        assert _fill(ws[ref]) == TERM_FILL, ref
    assert ws["D8"].comment.text.startswith("参与计算：#2 C901")
    assert ws["B16"].value == "商品和服务支出" and ws["C16"].comment is None and _fill(ws["C16"]) == "000000"  # 302 adds up
    assert ws["C5"].comment is None  # 总计 is not involved
    assert wb["说明"]["A1"].value == "本表反映一般公共预算基本支出情况。"
    summary = wb["检查结果"]
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [(1, "错误", "S901", f"{SHEET}!C6"), (2, "错误", "C901", f"{SHEET}!C8")]
    assert summary["F4"].hyperlink.location == f"'{SHEET}'!C8"
    assert summary["K4"].value == pytest.approx(3386.91) and summary["L4"].value == pytest.approx(3368.91)
    assert wb.active.title == "检查结果"


def test_merged_cell_mark_goes_to_its_top_left(t6_book, tmp_path):
    doc = t6_document(str(t6_book))
    finding = {"code": "H901", "name": "test-title", "severity": "warning", "message": "标题与目录不一致", "path": str(t6_book),
               "sheet": SHEET, "cell": "C1", "terms": [], "table": None, "row": None, "column": None}
    import io

    wb = load_workbook(io.BytesIO(annotated_copy(doc, [finding])))
    assert wb[SHEET]["A1"].comment.text.startswith("#1 H901（警告）")
    assert _fill(wb[SHEET]["A1"]) == SEVERITY_FILL["warning"]


def test_text_input_renders_extracted_tables(tmp_path):
    report, doc, path = seed003_report(tmp_path)
    before = _digest(path)
    out = tmp_path / "marks.xlsx"
    write_annotations(report, out)
    assert _digest(path) == before
    wb = load_workbook(out)
    assert wb.sheetnames == ["检查结果", "表 2 单位收入总体情况表", "表 5 一般公共预算支出情况表", "表 6 一般公共预算基本支出情况表"]
    ws = wb["表 6 一般公共预算基本支出情况表"]
    located = {r[0].value: r for r in ws.iter_rows() if isinstance(r[0].value, str) and r[0].value.startswith("L")}
    row = located[f"L{LINE_30102}"]
    assert [c.value for c in row[1:4]] == ["301", "02", "津贴补贴"]
    bad = row[4]
    assert bad.value == pytest.approx(3368.91) and _fill(bad) == SEVERITY_FILL["error"]
    assert "C901" in bad.comment.text
    assert _fill(row[5]) == TERM_FILL  # 人员经费 3,386.91 is a term
    # header tree rebuilt with merged cells
    assert any(str(rng).startswith("E") or str(rng).startswith("F") for rng in ws.merged_cells.ranges)
    summary = wb["检查结果"]
    links = {r[2]: r[5] for r in summary.iter_rows(min_row=3, values_only=True)}
    assert links["C901"] == f"表 6 一般公共预算基本支出情况表!{bad.coordinate}"
    assert links["N901"] is None  # a prose finding has no cell in the workbook
    t2 = wb["表 2 单位收入总体情况表"]
    marked = [c for r in t2.iter_rows() for c in r if _fill(c) == TERM_FILL]
    assert [c.value for c in marked] == [pytest.approx(17798.61)]


def test_output_paths_for_several_inputs(tmp_path):
    class D:
        def __init__(self, path):
            self.path = path

    docs = [D("a/预算.txt"), D("b/预算.txt"), D("c/决算.csv")]
    names = [p.name for _, p in output_paths(tmp_path / "marks.xlsx", docs)]
    assert names == ["marks-预算_txt.xlsx", "marks-预算_txt-2.xlsx", "marks-决算_csv.xlsx"]
    (tmp_path / "out").mkdir()
    assert [p.name for _, p in output_paths(tmp_path / "out", docs[:1])] == ["预算_txt.annotated.xlsx"]
    assert [p.name for _, p in output_paths(tmp_path / "one.xlsx", docs[:1])] == ["one.xlsx"]


def test_cli_refuses_to_overwrite_the_input(tmp_path, monkeypatch):
    path = copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="seed.txt")
    before = _digest(path)
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--annotate", "seed.txt", "seed.txt"], cwd=tmp_path)
    assert res.exit_code == 2 and "refusing to overwrite" in res.stderr
    assert _digest(path) == before
    res = run_cli(["check", "--annotate", "seed.marks.xlsx", "seed.txt"], cwd=tmp_path)
    assert res.exit_code == 1
    assert _digest(path) == before
    wb = load_workbook(tmp_path / "seed.marks.xlsx")
    assert [r[2] for r in wb["检查结果"].iter_rows(min_row=3, values_only=True)] == ["S901", "C901"]


@pytest.mark.skipif(importlib.util.find_spec("budgetlint.loaders.xlsx") is None, reason="xlsx loader not available yet")
def test_cli_on_a_real_workbook(t6_book, tmp_path, monkeypatch):
    before = _digest(t6_book)
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--annotate", "out.xlsx", t6_book.name], cwd=tmp_path)
    assert res.exit_code == 1, res.stderr
    assert _digest(t6_book) == before
    wb = load_workbook(tmp_path / "out.xlsx")
    ws = wb[SHEET]
    assert _fill(ws["C8"]) == SEVERITY_FILL["error"] and "C901" in ws["C8"].comment.text
