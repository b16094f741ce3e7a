"""DOCX, PDF, HTML and XLS loaders: grids, merges, locations, prose, and one document in every format.

Fixtures are built here from seed 003's 表 3 / 表 8 (see ``fixtures_build``), so
every file is reproducible.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fixtures_build as fb
from budgetlint.grid import Span
from budgetlint.loaders import load_document, load_raw

pytest.importorskip("docx")
pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")
pytest.importorskip("xlrd")
pytest.importorskip("xlwt")

T3 = fb.sample_document().tables[0]
T8 = fb.sample_document().tables[1]


def spans_of(t: fb.FxTable) -> list[Span]:
    return sorted((Span(r, c, rs, cs) for r, c, rs, cs in t.merges), key=lambda s: (s.row, s.col))


def texts(paragraphs) -> list[str]:
    return [p.text for p in paragraphs]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return fb.write_all(fb.sample_document(), folder)


# ---------------------------------------------------------------------------
# the same grid from every format


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xls"])
def test_merged_header_grid_and_spans(files, fmt):
    raw = load_raw(files[fmt])
    assert raw.format == fmt
    assert len(raw.tables) == 2, [fb.grid_text(t.rows)[:2] for t in raw.tables]
    t3 = raw.tables[0]
    assert fb.grid_text(t3.rows) == T3.grid
    assert t3.spans == spans_of(T3)
    assert texts(t3.before) == T3.before
    t8 = raw.tables[1]
    assert fb.grid_text(t8.rows)[: T8.header_rows] == T8.grid[: T8.header_rows]
    assert texts(t8.before) == T8.before
    assert texts(t8.after)[:1] == T8.after


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_prose_in_reading_order_with_locations(files, fmt):
    raw = load_raw(files[fmt])
    got = texts(raw.prose)
    # the narrative sentence is one paragraph, and every paragraph of the document is there, in order
    assert fb.NARRATIVE.replace(" ", "") in [g.replace(" ", "") for g in got]
    expected = [p.replace(" ", "") for p in fb.sample_document().paragraphs]
    flat = iter(g.replace(" ", "") for g in got)
    assert all(p in flat for p in expected), (expected, got)  # a subsequence, in order
    assert [p.index for p in raw.prose] == list(range(len(raw.prose)))
    for p in raw.prose:
        if fmt == "pdf":
            assert p.loc.page == 1 and p.loc.line >= 1
        else:
            assert p.loc.paragraph is not None and p.loc.paragraph >= 1
    if fmt != "pdf":
        numbers = [p.loc.paragraph for p in raw.prose]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_docx_cell_locations_are_table_block_and_a1(files):
    raw = load_raw(files["docx"])
    t3 = raw.tables[0]
    block = t3.loc.paragraph
    # 表 3 follows six paragraphs: part title, narrative, and its four title lines
    assert block == 7
    cell = t3.rows[7][4]  # 行政单位离退休 合计
    assert cell.raw == "616.13"
    assert (cell.loc.paragraph, cell.loc.cell) == (7, "E8")
    assert raw.prose[-1].loc.paragraph > raw.tables[1].loc.paragraph


def test_html_cell_locations(files):
    raw = load_raw(files["html"])
    cell = raw.tables[0].rows[4][4]
    assert cell.raw == "17,798.61"
    assert cell.loc.cell == "E5" and cell.loc.paragraph == raw.tables[0].loc.paragraph


def test_pdf_cell_locations_name_page_and_line(files):
    raw = load_raw(files["pdf"])
    t3 = raw.tables[0]
    lines = [row[0].loc.line for row in t3.rows]
    assert all(row[0].loc.page == 1 for row in t3.rows)
    # header rows 1-2 share a merged cell but each body row is on a later line than the one above
    body = lines[T3.header_rows :]
    assert body == sorted(body) and len(set(body)) == len(body)
    title_line = next(p.loc.line for p in raw.prose if p.text == "单位：万元")
    assert lines[0] > title_line


def test_xls_numbers_print_as_formatted_and_cells_are_located(files):
    raw = load_raw(files["xls"])
    t3 = raw.tables[0]
    assert t3.loc.sheet == "表 3"
    total = t3.rows[4]
    assert [c.raw for c in total[4:]] == ["17,798.61", "12,659.61", "5,139.00"]
    assert total[4].loc.cell == "E9"  # four title rows above the header
    assert [p.loc.cell for p in t3.before] == ["A1", "A2", "A3", "A4"]
    # codes stay text with their leading zero
    assert [c.raw for c in t3.rows[6][:3]] == ["208", "05", ""]


# ---------------------------------------------------------------------------
# DOCX specifics


def test_docx_table_split_over_a_page_break_is_one_table(tmp_path):
    path = fb.write_docx(fb.sample_document(), tmp_path / "split.docx", split_at=6)
    raw = load_raw(path)
    assert len(raw.tables) == 2
    t3 = raw.tables[0]
    assert fb.grid_text(t3.rows) == T3.grid  # repeated header rows dropped, rows in order
    assert t3.hints["parts"] == 2 and t3.hints["repeated_header_rows"] == T3.header_rows
    assert t3.spans == spans_of(T3)


def test_docx_layout_table_is_unwrapped(tmp_path):
    path = fb.write_docx(fb.sample_document(), tmp_path / "layout.docx", layout_wrap=True)
    raw = load_raw(path)
    assert [fb.grid_text(t.rows)[0][0] for t in raw.tables] == ["科目", "科目"]
    assert fb.grid_text(raw.tables[0].rows) == T3.grid
    assert texts(raw.tables[0].before) == T3.before
    assert fb.NARRATIVE in texts(raw.prose)


def test_docx_vertical_merge_and_nested_table_in_a_cell(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出表")
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "单位", "项目名称", "金额"
    merged = t.cell(1, 0).merge(t.cell(3, 0))
    merged.text = "自治区国土资源执法监察总队"
    t.cell(1, 1).text, t.cell(1, 2).text = "执法办案补充经费", "160.00"
    t.cell(2, 1).text, t.cell(2, 2).text = "卫片执法检查经费", "350.00"
    inner = t.cell(3, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "其中：", "设备购置"
    t.cell(3, 2).text = "9.00"
    path = tmp_path / "vmerge.docx"
    d.save(str(path))
    raw = load_raw(path)
    grid = fb.grid_text(raw.tables[0].rows)
    assert grid[1] == ["自治区国土资源执法监察总队", "执法办案补充经费", "160.00"]
    assert grid[2][0] == "" and grid[3][0] == ""
    assert Span(1, 0, 3, 1) in raw.tables[0].spans
    assert "其中：" in grid[3][1] and "设备购置" in grid[3][1]
    assert grid[3][2] == "9.00"


def test_docx_wrapped_cell_paragraphs_are_joined(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目名称", "金额"
    c = t.cell(1, 0)
    c.text = "全区国土资源执法监察系统执法办"
    c.add_paragraph("案补充经费")
    t.cell(1, 1).text = "160.00"
    path = tmp_path / "wrap.docx"
    d.save(str(path))
    assert fb.grid_text(load_raw(path).tables[0].rows)[1] == ["全区国土资源执法监察系统执法办案补充经费", "160.00"]


# ---------------------------------------------------------------------------
# HTML specifics


def test_html_gbk_page_in_a_layout_table(tmp_path):
    path = fb.write_html(fb.sample_document(), tmp_path / "gbk.html", encoding="gb18030", layout_wrap=True)
    raw = load_raw(path)
    assert fb.grid_text(raw.tables[0].rows) == T3.grid
    assert "not a table" not in json.dumps([fb.grid_text(t.rows) for t in raw.tables], ensure_ascii=False)
    assert texts(raw.tables[1].after)[0] == T8.after[0]


def test_html_tag_soup_unclosed_cells_and_rowspan_past_the_end(tmp_path):
    page = (
        "<html><body><p>表 10<p>财政拨款“三公”经费支出情况表"
        "<table border=1><caption>单位：万元</caption>"
        "<tr><th rowspan=2>合计<th colspan=2>因公出国（境）费"
        "<tr><td>小计<td>其中"
        "<tr><td>9.00<td>1.00<td rowspan=9>8.00"
        "</table><p>注：本表为空表时须说明原因。</body></html>"
    )
    path = tmp_path / "soup.html"
    path.write_text(page, encoding="utf-8")
    raw = load_raw(path)
    assert len(raw.tables) == 1
    grid = fb.grid_text(raw.tables[0].rows)
    assert grid == [["合计", "因公出国（境）费", ""], ["", "小计", "其中"], ["9.00", "1.00", "8.00"]]
    assert Span(0, 0, 2, 1) in raw.tables[0].spans and Span(0, 1, 1, 2) in raw.tables[0].spans
    assert texts(raw.tables[0].before) == ["表 10", "财政拨款“三公”经费支出情况表", "单位：万元"]
    assert texts(raw.tables[0].after) == ["注：本表为空表时须说明原因。"]


# ---------------------------------------------------------------------------
# PDF specifics


def test_pdf_table_continued_over_pages_is_merged(tmp_path):
    from reportlab.lib.pagesizes import A4

    path = fb.write_pdf(fb.sample_document(), tmp_path / "long.pdf", pagesize=(A4[0], 330))
    raw = load_raw(path)
    assert raw.meta["pages"] > 2
    t3 = raw.tables[0]
    assert len(t3.hints["pages"]) >= 2
    assert fb.grid_text(t3.rows) == T3.grid
    pages = [row[4].loc.page for row in t3.rows]
    assert pages == sorted(pages) and pages[-1] > pages[0]
    assert texts(raw.tables[1].before) == T8.before


def test_pdf_without_text_layer_is_reported_as_scanned(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    import io
    import struct
    import zlib

    # a 4x4 grey PNG standing in for a scanned page
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + b"\x80" * 4 for _ in range(4)))) + chunk(b"IEND", b"")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.drawImage(ImageReader(io.BytesIO(png)), 50, 50, 400, 600)
        c.showPage()
    c.save()
    raw = load_raw(path)
    assert raw.tables == [] and raw.prose == []
    kinds = [k for k, _, _ in raw.problems]
    assert kinds == ["scanned"]
    assert "scanned PDF: no text layer" in raw.problems[0][1]
    doc = load_document(path)
    assert doc.error is None and doc.meta["problems"][0][0] == "scanned"


def test_pdf_text_only_gives_prose_lines(tmp_path):
    from reportlab.pdfgen import canvas

    fb._register_cjk_font()
    path = tmp_path / "text.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    c.drawString(72, 760, "一、部门（单位）概况")
    c.drawString(72, 740, "2022 年收入预算数 1668.64 万元，预算调整数 1972.47 万元。")
    c.drawString(300, 40, "- 1 -")
    c.showPage()
    c.save()
    raw = load_raw(path)
    assert raw.tables == []
    assert texts(raw.prose) == ["一、部门（单位）概况", "2022 年收入预算数 1668.64 万元，预算调整数 1972.47 万元。"]
    assert [(p.loc.page, p.loc.line) for p in raw.prose] == [(1, 1), (1, 2)]
    assert raw.problems == []


# ---------------------------------------------------------------------------
# XLS number formats


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (1801.39, "#,##0.00", "1,801.39"),
        (616.13, "0.00", "616.13"),
        (0.95, "0%", "95%"),
        (0.9798, "0.00%", "97.98%"),
        (-16.82, "#,##0.00;[Red]-#,##0.00", "-16.82"),
        (-16.82, "#,##0.00;(#,##0.00)", "(16.82)"),
        (12, '0.00"万元"', "12.00万元"),
        (616.13, "General", "616.13"),
        (17798.6, "#,##0", "17,799"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (1234.5, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "1,234.50"),
        (1.005, "0.00", "1.01"),
        (12.5, "#,##0.0#", "12.5"),
        (0.1 + 0.2, "General", "0.3"),
    ],
)
def test_xls_number_formats(value, fmt, shown):
    from budgetlint.loaders.xls import format_number

    assert format_number(value, fmt) == shown


# ---------------------------------------------------------------------------
# one document, every format: the same tables and the same findings


def understood(doc) -> list:
    return [
        (
            t.number, t.title, t.kind, t.unit, t.issuer,
            [c.path for c in t.columns], [c.role for c in t.columns],
            [(r.label, r.code, r.kind, [(c.raw, c.value, c.decimals, c.blank) for c in r.cells]) for r in t.rows],
        )
        for t in doc.tables
    ]


EQUIVALENT = ["docx", "pdf", "html", "xls", "xlsx"]


@pytest.mark.parametrize("fmt", EQUIVALENT)
def test_same_tables_as_text(tmp_path, fmt):
    doc = fb.sample_document()
    txt = load_document(fb.write_txt(doc, tmp_path / "budget.txt"))
    other = load_document(fb.WRITERS[fmt](doc, tmp_path / f"budget.{fmt}"))
    assert txt.error is None and other.error is None, other.error
    assert understood(other) == understood(txt)
    assert [t.kind for t in txt.tables] == ["budget.expenditure", "budget.gov_fund"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xls", "xlsx"])
def test_same_table_from_spreadsheet_layouts(tmp_path, fmt):
    doc = fb.table_only_document()
    txt = load_document(fb.write_txt(doc, tmp_path / "t3.txt"))
    other = load_document(fb.WRITERS[fmt](doc, tmp_path / f"t3.{fmt}"))
    assert understood(other) == understood(txt)


def finding_keys(report) -> list[tuple]:
    out = []
    for f in report.findings:
        out.append((
            f.code, f.severity,
            f.table["index"] if f.table else None,
            f.row.get("index") if f.row else None,
            f.column.get("index") if f.column else None,
            f.expected, f.actual,
        ))
    return sorted(out, key=repr)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xls"])
def test_same_findings_as_text(tmp_path, fmt):
    from budgetlint.engine import check_documents

    doc = fb.sample_document(mistake=True)
    txt = check_documents([load_document(fb.write_txt(doc, tmp_path / "budget.txt"))])
    other = check_documents([load_document(fb.WRITERS[fmt](doc, tmp_path / f"budget.{fmt}"))])
    assert [f["error"] for f in other.files] == [None]
    assert finding_keys(other) == finding_keys(txt)
    sums = [r for r in txt.rules if r.code.startswith("S")]
    if sums:  # once the sum rules exist, the planted mistake (616.13 → 661.13) must be found
        assert any(k[0].startswith("S") for k in finding_keys(txt))
