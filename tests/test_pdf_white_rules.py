"""PDF rulings as a reader sees them: white rectangles are no rulings.

Spreadsheets printed to PDF draw a white background box for every grid cell and,
inside a merged cell, white lines where the grid would be.  Taken as rulings,
they cut a label wrapped over two lines (``2.政府性基金预`` / ``算``) from the
amount centred beside it.  Built here with reportlab on a layout the seeds do
not have: a merged label cell two lines high, its amount in a merged cell too.
"""

from __future__ import annotations

from pathlib import Path

from fixtures_build import _register_cjk_font

from budgetlint.loaders import load_document

LINE = 18.0  # height of one printed line
X = [60.0, 200.0, 300.0]  # column edges: label | amount
TOP = 700.0


def _draw(path: Path, white_boxes: bool) -> Path:
    from reportlab.pdfgen import canvas

    font = _register_cjk_font()
    c = canvas.Canvas(str(path), pagesize=(600, 800))
    c.setFont(font, 10)
    c.drawString(X[0], TOP + 40, "收入预算表")
    # (label lines, amount) per row; the second row's label wraps over two lines
    rows = [(["项目名称"], "金额"), (["一、财政拨款"], "120.00"), (["2.政府性基金预", "算"], "30.00"), (["收入合计"], "150.00")]
    y = TOP
    bounds = [y]
    for labels, amount in rows:
        h = LINE * len(labels)
        if white_boxes:
            c.setFillColorRGB(1, 1, 1)
            for k in range(len(labels)):  # one background box per printed line, and a white line between them
                for x0, x1 in zip(X, X[1:]):
                    c.rect(x0, y - LINE * (k + 1), x1 - x0, LINE, stroke=0, fill=1)
                if k:
                    c.rect(X[0], y - LINE * k - 0.3, X[2] - X[0], 0.6, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        for k, text in enumerate(labels):
            c.drawString(X[0] + 4, y - LINE * (k + 1) + 5, text)
        c.drawRightString(X[2] - 4, y - h / 2 - 4, amount)
        y -= h
        bounds.append(y)
    c.setFillColorRGB(0, 0, 0)
    for yy in bounds:  # visible rulings: thin black rectangles
        c.rect(X[0], yy - 0.3, X[2] - X[0], 0.6, stroke=0, fill=1)
    for x in X:
        c.rect(x - 0.3, bounds[-1], 0.6, bounds[0] - bounds[-1], stroke=0, fill=1)
    c.showPage()
    c.save()
    return path


def _rows(path: Path) -> list[tuple[str, str]]:
    doc = load_document(path)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    return [(r.label, r.cells[1].raw) for r in t.rows]


def test_white_lines_inside_a_merged_cell_do_not_split_its_label_from_its_amount(tmp_path):
    rows = _rows(_draw(tmp_path / "white.pdf", white_boxes=True))
    assert ("2.政府性基金预算", "30.00") in rows
    assert len(rows) == 3


def test_without_white_rectangles_the_same_rows_are_read(tmp_path):
    rows = _rows(_draw(tmp_path / "plain.pdf", white_boxes=False))
    assert ("2.政府性基金预算", "30.00") in rows
    assert len(rows) == 3
