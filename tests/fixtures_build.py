"""Build the same budget document as txt, docx, pdf, html, xls and xlsx.

The document is made of figures from the seed 003 (a 2024 unit budget
disclosure): a narrative paragraph, 表 3 单位支出总体情况表 with its merged
three-row header and 栏次 row, and the empty 表 8 with its explanation.  Each
writer lays it out the way that format is published (merged cells, ruled PDF
tables, spreadsheet title rows), so the loaders can be compared on one input.
"""

from __future__ import annotations

import copy
import html as html_lib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Union

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
UNIT = "自治区国土资源执法监察总队"


@dataclass
class FxTable:
    """A table as a full grid of strings plus merges ``(row, col, rowspan, colspan)``.

    ``header_rows`` rows at the top are the header (repeated on each PDF page);
    positions covered by a merge hold ``""``.
    """

    before: list[str]
    grid: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 1
    after: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(r) for r in self.grid)

    def covered(self) -> set[tuple[int, int]]:
        out = set()
        for r, c, rs, cs in self.merges:
            for i in range(r, r + rs):
                for j in range(c, c + cs):
                    if (i, j) != (r, c):
                        out.add((i, j))
        return out

    def merge_at(self, r: int, c: int) -> tuple[int, int] | None:
        for mr, mc, rs, cs in self.merges:
            if (mr, mc) == (r, c):
                return rs, cs
        return None


Block = Union[str, FxTable]


@dataclass
class FxDocument:
    blocks: list[Block]

    @property
    def tables(self) -> list[FxTable]:
        return [b for b in self.blocks if isinstance(b, FxTable)]

    @property
    def paragraphs(self) -> list[str]:
        """Every paragraph in reading order, the tables' title blocks and notes included."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, FxTable):
                out.extend(b.before)
                out.extend(b.after)
            else:
                out.append(b)
        return out


# ---------------------------------------------------------------------------
# the document (figures of seed 003, 表 3 and 表 8)

T3_BODY = [
    ["", "", "", "总计", "17,798.61", "12,659.61", "5,139.00"],
    ["208", "", "", "社会保障和就业支出", "1,801.39", "1,801.39", ""],
    ["208", "05", "", "行政事业单位养老支出", "1,801.39", "1,801.39", ""],
    ["208", "05", "01", "行政单位离退休", "616.13", "616.13", ""],
    ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "1,185.26", "1,185.26", ""],
    ["210", "", "", "卫生健康支出", "1,002.65", "1,002.65", ""],
    ["210", "11", "", "行政事业单位医疗", "1,002.65", "1,002.65", ""],
    ["210", "11", "01", "行政单位医疗", "536.50", "536.50", ""],
    ["210", "11", "03", "公务员医疗补助", "466.15", "466.15", ""],
    ["220", "", "", "自然资源海洋气象等支出", "14,083.33", "8,944.33", "5,139.00"],
    ["220", "01", "", "自然资源事务", "14,083.33", "8,944.33", "5,139.00"],
    ["220", "01", "01", "行政运行", "8,954.33", "8,944.33", "10.00"],
    ["220", "01", "99", "其他自然资源事务支出", "5,129.00", "", "5,129.00"],
    ["221", "", "", "住房保障支出", "911.25", "911.25", ""],
    ["221", "02", "", "住房改革支出", "911.25", "911.25", ""],
    ["221", "02", "01", "住房公积金", "911.25", "911.25", ""],
]

T3_HEADER = [
    ["科目", "", "", "", "支出预算", "", ""],
    ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
    ["※", "※", "※", "※", "1", "2", "3"],
]
T3_MERGES = [(0, 0, 1, 4), (0, 4, 1, 3), (1, 0, 1, 3), (1, 3, 2, 1), (1, 4, 2, 1), (1, 5, 2, 1), (1, 6, 2, 1)]

T8_HEADER = [
    ["科目", "", "", "", "本年政府性基金预算支出", "", ""],
    ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
]
T8_MERGES = [(0, 0, 1, 4), (0, 4, 1, 3), (1, 0, 1, 3), (1, 3, 2, 1), (1, 4, 2, 1), (1, 5, 2, 1), (1, 6, 2, 1)]

NARRATIVE = (
    f"{UNIT} 2024 年支出预算 17,798.61 万元，其中：基本支出 12,659.61 万元，占 71.13%；"
    "项目支出 5,139.00 万元，占 28.87%。"
)


def sample_document(*, mistake: bool = False) -> FxDocument:
    """The seed-like document; ``mistake`` changes 行政单位离退休 616.13 → 661.13 (both amount cells)."""
    body = copy.deepcopy(T3_BODY)
    if mistake:
        body[3][4] = "661.13"
        body[3][5] = "661.13"
    t3 = FxTable(
        before=["表 3", "单位支出总体情况表", f"编制单位：{UNIT}", "单位：万元"],
        grid=copy.deepcopy(T3_HEADER) + body,
        merges=list(T3_MERGES),
        header_rows=len(T3_HEADER),
    )
    t8 = FxTable(
        before=["表 8", "政府性基金预算支出情况表", f"编制单位：{UNIT}", "单位：万元"],
        grid=copy.deepcopy(T8_HEADER) + [["", "", "", "", "", "", ""]],
        merges=list(T8_MERGES),
        header_rows=len(T8_HEADER),
        after=[f"{UNIT} 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。"],
    )
    return FxDocument(blocks=["第二部分 2024 年单位预算公开表", NARRATIVE, t3, t8])


def table_only_document(*, mistake: bool = False) -> FxDocument:
    """Only 表 3 with its title block (what a spreadsheet holds)."""
    doc = sample_document(mistake=mistake)
    return FxDocument(blocks=[doc.tables[0]])


# ---------------------------------------------------------------------------
# writers


def write_txt(doc: FxDocument, path: Path) -> Path:
    """Seed-style text: paragraphs separated by blank lines, table rows tab-separated."""
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, FxTable):
            for p in b.before:
                lines += [p, ""]
            lines += ["\t".join(row) for row in b.grid]
            lines.append("")
            for p in b.after:
                lines += [p, ""]
        else:
            lines += [b, ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(doc: FxDocument, path: Path, *, split_at: int | None = None, layout_wrap: bool = False) -> Path:
    """A Word document; ``split_at`` breaks the first table after that many body rows, over a
    page break, repeating the header (two tables in the file); ``layout_wrap`` puts everything
    inside a one-cell layout table, as some templates do."""
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    container = d
    if layout_wrap:
        outer = d.add_table(rows=1, cols=1)
        container = outer.cell(0, 0)
        container.paragraphs[0].text = ""
    first = True
    for b in doc.blocks:
        if isinstance(b, str):
            container.add_paragraph(b)
            continue
        for p in b.before:
            container.add_paragraph(p)
        if split_at is not None and first:
            k = b.header_rows + split_at
            top = FxTable(b.before, b.grid[:k], _merges_within(b.merges, 0, k), b.header_rows)
            rest = FxTable([], b.grid[: b.header_rows] + b.grid[k:], _merges_within(b.merges, 0, b.header_rows), b.header_rows)
            _docx_table(container, top)
            container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _docx_table(container, rest)
        else:
            _docx_table(container, b)
        first = False
        for p in b.after:
            container.add_paragraph(p)
    d.save(str(path))
    return path


def _merges_within(merges, start: int, stop: int):
    return [(r - start, c, rs, cs) for r, c, rs, cs in merges if start <= r and r + rs <= stop]


def _docx_table(container, t: FxTable) -> None:
    table = container.add_table(rows=len(t.grid), cols=t.width)
    try:
        table.style = "Table Grid"
    except Exception:  # noqa: BLE001 - style missing from a template is harmless
        pass
    for r, c, rs, cs in t.merges:
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    covered = t.covered()
    for i, row in enumerate(t.grid):
        for j, text in enumerate(row):
            if (i, j) in covered:
                continue
            table.cell(i, j).text = text


def write_html(doc: FxDocument, path: Path, *, encoding: str = "utf-8", layout_wrap: bool = False) -> Path:
    """A government web page: a layout shell, ``<p>`` paragraphs and ruled tables with rowspan/colspan."""
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, str):
            parts.append(f'<p style="text-indent:2em">{html_lib.escape(b)}</p>')
            continue
        for i, p in enumerate(b.before):
            tag = "h3" if i == 1 else "p"
            parts.append(f'<{tag} align="center">{html_lib.escape(p)}</{tag}>')
        parts.append('<table border="1" cellspacing="0" cellpadding="2" width="100%">')
        covered = b.covered()
        for i, row in enumerate(b.grid):
            tds = []
            for j, text in enumerate(row):
                if (i, j) in covered:
                    continue
                m = b.merge_at(i, j)
                attrs = ""
                if m:
                    attrs += f' rowspan="{m[0]}"' if m[0] > 1 else ""
                    attrs += f' colspan="{m[1]}"' if m[1] > 1 else ""
                tag = "th" if i < b.header_rows else "td"
                tds.append(f"<{tag}{attrs}>{html_lib.escape(text) or '&nbsp;'}</{tag}>")
            parts.append("  <tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
        for p in b.after:
            parts.append(f"<p>{html_lib.escape(p)}</p>")
    body = "\n".join(parts)
    if layout_wrap:
        body = f'<table width="900" align="center"><tr><td class="content">\n{body}\n</td></tr></table>'
    charset = {"utf-8": "utf-8", "gb18030": "gb2312", "gbk": "gbk"}.get(encoding, encoding)
    page = (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        "<title>2024年单位预算公开</title>\n<style>td{font-size:12px}</style>\n"
        "<script>var x = '<table><tr><td>not a table</td></tr></table>';</script>\n"
        '</head>\n<body>\n<div class="nav">首页 &gt; 信息公开 &gt; 预算公开</div>\n'
        f'<div class="TRS_Editor">\n{body}\n</div>\n'
        '<div class="footer">主办单位：自治区自然资源厅</div>\n</body>\n</html>\n'
    )
    path.write_bytes(page.encode(encoding))
    return path


def _register_cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    name = "STSong-Light"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def write_pdf(doc: FxDocument, path: Path, *, pagesize=None, font_size: float = 9) -> Path:
    """A PDF with real ruling lines (reportlab); a table that does not fit continues on the next
    page with its header rows repeated."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_cjk_font()
    style = ParagraphStyle("zh", fontName=font, fontSize=font_size + 1, leading=(font_size + 1) * 1.5, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=font_size, leading=font_size * 1.3, wordWrap="CJK")
    story = []
    for b in doc.blocks:
        if isinstance(b, str):
            story.append(Paragraph(html_lib.escape(b), style))
            continue
        for p in b.before:
            story.append(Paragraph(html_lib.escape(p), style))
        widths = _col_widths(b.width)
        # text wider than its cell wraps inside it, as a spreadsheet printed to PDF does (never spills over)
        data = [[Paragraph(html_lib.escape(text), cell_style) if len(text) > 8 or stringWidth(text, font, font_size) > widths[j] - 12 else text
                 for j, text in enumerate(row)] for row in b.grid]
        t = Table(data, colWidths=widths, repeatRows=b.header_rows)
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), font_size),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for r, c, rs, cs in b.merges:
            commands.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        t.setStyle(TableStyle(commands))
        story.append(t)
        for p in b.after:
            story.append(Paragraph(html_lib.escape(p), style))
        story.append(Spacer(1, 12))
    SimpleDocTemplate(str(path), pagesize=pagesize or A4).build(story)
    return path


def _col_widths(n: int) -> list[float]:
    if n == 7:
        return [28, 28, 28, 150, 70, 70, 70]
    return [440 / n] * n


def _amount(text: str) -> tuple[float, int] | None:
    """A cell that a spreadsheet stores as a number: an amount with two decimals."""
    t = text.replace(",", "")
    if "." not in t:
        return None
    try:
        d = Decimal(t)
    except Exception:  # noqa: BLE001
        return None
    return float(d), len(t.split(".")[1])


def write_xls(doc: FxDocument, path: Path) -> Path:
    """An Excel 97 workbook (xlwt): one sheet per table, title rows merged across the table."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin")
    number = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin", num_format_str="#,##0.00")
    title = xlwt.easyxf("font: bold on; align: horiz center")
    for k, t in enumerate(doc.tables):
        ws = wb.add_sheet(t.before[0] if t.before else f"Sheet{k + 1}")
        row = 0
        for p in t.before:
            ws.write_merge(row, row, 0, t.width - 1, p, title)
            row += 1
        covered = t.covered()
        for i, cells in enumerate(t.grid):
            for j, text in enumerate(cells):
                if (i, j) in covered:
                    continue
                m = t.merge_at(i, j)
                if m:
                    ws.write_merge(row + i, row + i + m[0] - 1, j, j + m[1] - 1, text, plain)
                    continue
                amt = _amount(text) if i >= t.header_rows else None
                if amt is not None:
                    ws.write(row + i, j, amt[0], number)
                elif text:
                    ws.write(row + i, j, text, plain)
                else:
                    ws.write(row + i, j, "", plain)
        row += len(t.grid)
        for p in t.after:
            ws.write(row, 0, p)
            row += 1
    wb.save(str(path))
    return path


def write_xlsx(doc: FxDocument, path: Path) -> Path:
    """The same workbook as :func:`write_xls`, in Office Open XML (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, t in enumerate(doc.tables):
        ws = wb.create_sheet(t.before[0] if t.before else f"Sheet{k + 1}")
        row = 1
        for p in t.before:
            ws.cell(row, 1, p)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=t.width)
            row += 1
        covered = t.covered()
        for i, cells in enumerate(t.grid):
            for j, text in enumerate(cells):
                if (i, j) in covered:
                    continue
                amt = _amount(text) if i >= t.header_rows else None
                c = ws.cell(row + i, j + 1)
                if amt is not None:
                    c.value = amt[0]
                    c.number_format = "#,##0.00"
                elif text:
                    c.value = text
                    if text.startswith("="):
                        c.data_type = "s"  # "=95%" typed as text, not a formula
        for r, c, rs, cs in t.merges:
            ws.merge_cells(start_row=row + r, start_column=c + 1, end_row=row + r + rs - 1, end_column=c + cs)
        row += len(t.grid)
        for p in t.after:
            ws.cell(row, 1, p)
            row += 1
    wb.save(str(path))
    return path


WRITERS = {
    "txt": write_txt,
    "docx": write_docx,
    "pdf": write_pdf,
    "html": write_html,
    "xls": write_xls,
    "xlsx": write_xlsx,
}


def write_all(doc: FxDocument, folder: Path, stem: str = "budget", formats: Iterable[str] = WRITERS) -> dict[str, Path]:
    """Write ``doc`` in each format into ``folder``; returns format → path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {fmt: WRITERS[fmt](doc, folder / f"{stem}.{fmt}") for fmt in formats}


def grid_text(rows) -> list[list[str]]:
    """The texts of a RawTable's rows (for comparisons)."""
    return [[c.raw for c in row] for row in rows]
