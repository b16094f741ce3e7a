"""The annotated copy of a real workbook keeps everything: only the marked parts change.

The workbook is table 6 of seed 003 as a finance office keeps it: live SUM
formulas with their cached values, a custom font on the cell that is wrong,
a chart, a picture and a defined name.  ``budgetlint check --annotate`` must
leave every zip member it does not need to edit byte for byte, keep cached
values and fonts, and checking the copy must give the findings of the original.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from _report_data import SHEET, mistyped_t6_rows, run_cli, write_t6_workbook
from openpyxl import load_workbook

from budgetlint.report.annotate import SEVERITY_FILL, TERM_FILL

# cells whose formula replaces the typed number, with the cached value Excel would store
FORMULAS = {"D6": ("SUM(D7:D15)", "11123.32"), "E16": ("SUM(E17:E26)", "918.84"), "C16": ("SUM(C17:C26)", "918.84")}
FLAGGED_FONT = "楷体"


def _png() -> bytes:
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (24, 12), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _with_cached_values(path) -> None:
    """openpyxl writes formulas without values; store the values Excel would have cached."""
    src = zipfile.ZipFile(path)
    members = [(i, src.read(i)) for i in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for formula, value in FORMULAS.values():
                    old = f"<f>{formula}</f><v></v>"
                    assert old in text
                    text = text.replace(old, f"<f>{formula}</f><v>{value}</v>")
                data = text.encode("utf-8")
            out.writestr(info, data)


@pytest.fixture
def rich_book(tmp_path):
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName

    path = write_t6_workbook(tmp_path / "t6.xlsx", mistyped_t6_rows())
    wb = load_workbook(path)
    ws = wb[SHEET]
    for ref, (formula, _) in FORMULAS.items():
        ws[ref] = f"={formula}"
        ws[ref].number_format = "#,##0.00"
    ws["C8"].font = Font(name=FLAGGED_FONT, size=12, bold=True, color="FF1F4E79")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=7, max_row=15), titles_from_data=False)
    ws.add_chart(chart, "H2")
    ws.add_image(Image(io.BytesIO(_png())), "H20")
    wb.defined_names["基本支出总计"] = DefinedName("基本支出总计", attr_text=f"'{SHEET}'!$C$5")
    wb.save(path)
    _with_cached_values(path)
    return path


def _findings(res) -> list[tuple]:
    data = json.loads(res.stdout)
    return sorted((f["code"], f["sheet"], f["cell"], f["message"]) for f in data["findings"])


def test_annotated_copy_keeps_the_workbook_whole(rich_book, tmp_path):
    before = rich_book.read_bytes()
    res = run_cli(["check", "--format", "json", "--annotate", "out.xlsx", rich_book.name], cwd=tmp_path)
    assert res.exit_code == 1, res.stderr
    assert rich_book.read_bytes() == before
    original = _findings(res)
    codes = {f[0] for f in original}
    assert {"S102", "C201"} <= codes, original  # 301 ≠ Σ 301xx; 30102 合计 ≠ 人员经费 + 公用经费
    assert not any(f[0] == "L002" for f in original)

    out = tmp_path / "out.xlsx"
    src, dst = zipfile.ZipFile(rich_book), zipfile.ZipFile(out)
    edited = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
              "xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"}
    for name in src.namelist():
        assert name in dst.namelist(), f"{name} was dropped"
        if name not in edited:
            assert dst.read(name) == src.read(name), f"{name} changed"
    added = set(dst.namelist()) - set(src.namelist())
    assert any(re.fullmatch(r"xl/comments\d*\.xml", n) for n in added), added
    assert any(n.endswith(".vml") for n in added), added
    assert any(n.startswith("xl/charts/") for n in src.namelist()) and any(n.startswith("xl/media/") for n in src.namelist())

    # cached values, formulas, fonts and defined names are still there
    sheet_xml = dst.read("xl/worksheets/sheet1.xml").decode("utf-8")
    for formula, value in FORMULAS.values():
        assert re.search(rf"<f>{re.escape(formula)}</f><v>{value}</v>", sheet_xml), formula
    values = load_workbook(out, data_only=True)
    assert values[SHEET]["D6"].value == pytest.approx(11123.32)
    wb = load_workbook(out)
    ws = wb[SHEET]
    assert ws["D6"].value == "=SUM(D7:D15)"
    c8 = ws["C8"]
    assert c8.font.name == FLAGGED_FONT and c8.font.b and c8.font.sz == 12
    assert (c8.fill.fgColor.rgb or "")[-6:] == SEVERITY_FILL["error"]
    assert c8.number_format == "#,##0.00" and c8.value == pytest.approx(3368.91)
    assert "C201" in c8.comment.text and "相差：-18.00" in c8.comment.text
    assert (ws["D8"].fill.fgColor.rgb or "")[-6:] == TERM_FILL and ws["D8"].comment is not None
    assert "基本支出总计" in wb.defined_names
    assert wb.sheetnames == [SHEET, "说明", "检查结果"]
    assert wb.active.title == "检查结果"
    assert sum(1 for s in wb.worksheets if s.sheet_view.tabSelected) == 1
    summary = wb["检查结果"]
    heads = [c.value for c in summary[2]]
    assert heads[:3] == ["#", "级别", "规则"]
    links = [r[5] for r in summary.iter_rows(min_row=3, values_only=True)]
    assert f"{SHEET}!C8" in links

    # the copy checks exactly like the original (the summary sheet is not read)
    again = run_cli(["check", "--format", "json", "out.xlsx"], cwd=tmp_path)
    assert _findings(again) == original


def test_existing_comments_are_kept_and_extended(tmp_path):
    from openpyxl.comments import Comment

    path = write_t6_workbook(tmp_path / "t6.xlsx", mistyped_t6_rows())
    wb = load_workbook(path)
    wb[SHEET]["C8"].comment = Comment("请财务科核对", "审核人")
    wb[SHEET]["B2"].comment = Comment("编制单位全称", "审核人")
    wb.save(path)
    res = run_cli(["check", "--annotate", "out.xlsx", path.name], cwd=tmp_path)
    assert res.exit_code == 1, res.stderr
    ws = load_workbook(tmp_path / "out.xlsx")[SHEET]
    assert ws["C8"].comment.text.startswith("请财务科核对") and "C201" in ws["C8"].comment.text
    assert ws["B2"].comment.text == "编制单位全称"
    names = zipfile.ZipFile(tmp_path / "out.xlsx").namelist()
    assert sum(1 for n in names if n.endswith(".vml")) == 1  # the sheet's own drawing got the new notes


def test_numbers_stored_as_text_are_reported_and_explain_the_sum(tmp_path):
    """Three 301xx amounts typed as text: one warning for the block, and the live SUM says why it is short."""
    path = write_t6_workbook(tmp_path / "t6.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    for ref in ("C7", "C8", "C9"):
        ws[ref] = f"{ws[ref].value:,.2f}"
    ws["C6"] = "=SUM(C7:C15)"
    wb.save(path)
    src = zipfile.ZipFile(path)
    members = [(i, src.read(i)) for i in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w") as out:  # Excel's cached value leaves the three text cells out
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>SUM(C7:C15)</f><v></v>", b"<f>SUM(C7:C15)</f><v>3480.81</v>")
            out.writestr(info, data)
    res = run_cli(["check", "--format", "json", path.name], cwd=tmp_path)
    findings = json.loads(res.stdout)["findings"]
    text = [f for f in findings if f["code"] == "L004"]
    assert len(text) == 1, findings
    assert "C7:C9" in text[0]["message"] and "3 个数字以文本形式存储" in text[0]["message"]
    assert [t["cell"] for t in text[0]["terms"]] == ["C7", "C8", "C9"]
    s102 = [f for f in findings if f["code"] == "S102" and f["cell"] == "C6"]
    assert s102, findings
    assert "=SUM(C7:C15)" in s102[0]["message"] and "C7、C8、C9" in s102[0]["message"]
    assert "以文本形式存储" in s102[0]["message"]
