"""PDF pages whose title block is drawn inside the ruled area: page frames, title rows in the grid.

Each test draws a small synthetic page with reportlab that reproduces one layout seen in
published budget disclosures, and checks that the table is read with its title, issuer, unit,
header and body rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")

import fixtures_build as fb  # noqa: E402
from budgetlint.loaders import load_document, load_raw  # noqa: E402

ROW_H = 20


def _grid(c, x_edges, top, rows, font, merged_rows=()):
    """Draw a ruled grid: each row a list of cell texts; rows in ``merged_rows`` are one cell
    spanning the whole width (its text lines given as a list).  Returns the grid's bottom y."""
    y = top
    for i, row in enumerate(rows):
        if i in merged_rows:
            lines = row
            h = ROW_H * len(lines)
            c.rect(x_edges[0], y - h, x_edges[-1] - x_edges[0], h)
            for k, text in enumerate(lines):
                c.drawString(x_edges[0] + 4, y - 14 - k * ROW_H, text)
        else:
            h = ROW_H
            for j, text in enumerate(row):
                c.rect(x_edges[j], y - h, x_edges[j + 1] - x_edges[j], h)
                if text:
                    c.drawString(x_edges[j] + 4, y - 14, text)
        y -= h
    return y


INCOME_ROWS = [
    ["项目名称", "金额"],
    ["收入总计", "1,200.00"],
    ["一般公共预算资金", "1,000.00"],
    ["其他资金", "200.00"],
]


def _frame_page(path: Path, *, number: str | None = "公开02表") -> Path:
    """A frame (one ruled rectangle) around the title block and the grid; the grid sits at the
    frame's right and bottom edges, the title block in the frame's top-left area."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    frame_x0, frame_top = 40, 800
    x_edges = [200, 380, 520]
    grid_top = 700
    bottom = _grid(c, x_edges, grid_top, INCOME_ROWS, font)
    c.rect(frame_x0, bottom, x_edges[-1] - frame_x0, frame_top - bottom)  # the frame
    if number:
        c.drawString(frame_x0 + 6, frame_top - 16, number)
    c.drawString(250, frame_top - 40, "收入预算总表")
    c.drawString(frame_x0 + 6, frame_top - 70, "部门：某某厅")
    c.drawString(440, frame_top - 70, "单位：万元")
    c.showPage()
    c.save()
    return path


def test_frame_around_title_and_grid_is_not_a_cell(tmp_path):
    path = _frame_page(tmp_path / "frame.pdf")
    raw = load_raw(path)
    assert len(raw.tables) == 1
    rt = raw.tables[0]
    assert [[c.raw for c in r] for r in rt.rows] == INCOME_ROWS  # no frame column, no title row
    assert [p.text for p in rt.before] == ["公开02表", "收入预算总表", "部门：某某厅 单位：万元"]
    doc = load_document(path)
    (t,) = doc.tables
    assert (t.number, t.title, t.issuer, t.unit, t.kind) == ("公开02表", "收入预算总表", "某某厅", "万元", "budget.income")
    assert [c.path for c in t.columns] == [("项目名称",), ("金额",)]
    assert [r.label for r in t.rows] == ["收入总计", "一般公共预算资金", "其他资金"]
    cell = t.rows[0].cells[1]
    assert (cell.value, cell.loc.page, cell.loc.cell) == (1200, 1, "B2")


def test_title_rows_printed_inside_the_grid(tmp_path):
    """The first grid row holds the title run together with 部门/单位 (one merged cell), the
    number 公开表三 inside it; the header follows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    path = tmp_path / "title_row.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    rows = [
        ["支出预算总表公开表三", "部门：某某厅 单位：万元"],
        ["合计", "基本支出", "项目支出"],
        ["300.00", "200.00", "100.00"],
    ]
    _grid(c, [60, 220, 380, 540], 780, rows, font, merged_rows=(0,))
    c.showPage()
    c.save()
    (t,) = load_document(path).tables
    assert (t.number, t.title, t.issuer, t.unit, t.kind) == ("公开表三", "支出预算总表", "某某厅", "万元", "budget.expenditure")
    assert [c.path for c in t.columns] == [("合计",), ("基本支出",), ("项目支出",)]
    assert [c.value for c in t.rows[0].cells] == [300, 200, 100]


def test_a_title_row_further_down_starts_a_new_table(tmp_path):
    """Two tables drawn as one grid: the second one's title and 部门/单位 rows split it off."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    path = tmp_path / "two.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    rows = [
        ["一般公共预算支出预算表"],
        ["部门：", "某某厅", "单位：万元"],
        ["科目编码", "科目名称", "金额"],
        ["", "合计", "50.00"],
        ["201", "一般公共服务支出", "50.00"],
        ["财政拨款政府性基金支出预算表"],
        ["部门：", "某某厅", "单位：万元"],
        ["科目编码", "科目名称", "金额"],
        ["", "合计", ""],
    ]
    _grid(c, [60, 200, 400, 540], 780, rows, font, merged_rows=(0, 5))
    c.showPage()
    c.save()
    doc = load_document(path)
    assert [(t.title, t.issuer, t.unit, t.kind) for t in doc.tables] == [
        ("一般公共预算支出预算表", "某某厅", "万元", "budget.gpb_expenditure"),
        ("财政拨款政府性基金支出预算表", "某某厅", "万元", "budget.gov_fund"),
    ]
    first = doc.tables[0]
    assert [(r.code, r.label) for r in first.rows] == [(None, "合计"), ("201", "一般公共服务支出")]
    assert [c.path[0] for c in doc.tables[1].columns] == ["科目编码", "科目名称", "金额"]


def test_a_coded_row_naming_a_kind_is_not_a_title(tmp_path):
    """A body row such as 223 国有资本经营预算支出 names a table kind but is a row, not a title."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    path = tmp_path / "coded.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    rows = [
        ["科目编码", "科目名称", "金额"],
        ["", "合计", "50.00"],
        ["", "223 国有资本经营预算支出表", ""],
        ["201", "一般公共服务支出", "50.00"],
    ]
    _grid(c, [60, 200, 400, 540], 780, rows, font)
    c.drawString(60, 800, "支出预算表")
    c.showPage()
    c.save()
    doc = load_document(path)
    assert len(doc.tables) == 1
    assert [(r.code, r.label) for r in doc.tables[0].rows][1] == ("223", "国有资本经营预算支出表")


def test_text_outside_the_page_box_is_not_read(tmp_path):
    """Objects placed beyond the page's edge are not shown by viewers and are not read."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    path = tmp_path / "offpage.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    c.drawString(60, 800, "收入预算总表")
    _grid(c, [60, 240, 400], 780, INCOME_ROWS, font)
    c.drawString(60, -300, "隐藏的文字 9,999.00")
    _grid(c, [60, 240, 400], -320, [["隐藏", "1.00"], ["隐藏", "2.00"]], font)
    c.showPage()
    c.save()
    doc = load_document(path)
    assert len(doc.tables) == 1
    assert not any("隐藏" in p.text for p in doc.prose)


def test_untitled_table_on_the_next_page_continues_with_its_columns_realigned(tmp_path):
    """The continuation has no title and its ruling splits the columns differently (an extra
    vertical line in the name column): it is merged and its cells land in the first part's columns."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = fb._register_cjk_font()
    path = tmp_path / "cont.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 10)
    c.drawString(60, 800, "一般公共预算基本支出预算表")
    c.drawString(60, 785, "单位：万元")
    _grid(c, [60, 200, 400, 540], 770, [["科目编码", "科目名称", "金额"], ["", "合计", "30.00"], ["301", "工资福利支出", "10.00"]], font)
    c.showPage()
    c.setFont(font, 10)
    _grid(c, [60, 200, 300, 400, 540], 800, [["302", "商品和服务支出", "", "20.00"]], font)
    c.showPage()
    c.save()
    doc = load_document(path)
    (t,) = doc.tables
    assert t.meta["parts"] == 2
    assert [(r.code, r.label, r.cells[2].value) for r in t.rows] == [(None, "合计", 30), ("301", "工资福利支出", 10), ("302", "商品和服务支出", 20)]
    assert t.rows[2].cells[2].loc.page == 2


def test_a_title_wrapped_over_lines_is_joined():
    from budgetlint.model import Location, Paragraph
    from budgetlint.understand.tables import read_title_block

    lines = [Paragraph(text=x, loc=Location("x", line=i)) for i, x in enumerate(["十一、一般公共预算 三公 经费、会议费、培训费支出预", "“ ”", "算表", "部门： 某某厅 单位：万元"])]
    tb = read_title_block(lines)
    assert (tb.title, tb.issuer, tb.unit) == ("十一、一般公共预算三公经费、会议费、培训费支出预算表", "某某厅", "万元")
