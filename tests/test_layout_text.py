"""Space-aligned text (as ``pdftotext -layout`` prints tables): columns found by position."""

from __future__ import annotations

import unicodedata

from budgetlint import engine
from budgetlint.loaders.layout_text import is_layout_text, to_tab_lines
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

from conftest import SAMPLES

WIDTHS = [16, 4, 4, 36, 12, 12, 12]
RIGHT = [False, False, False, False, True, True, True]  # amounts right-aligned, text left-aligned


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def space_aligned(text: str) -> str:
    """The tab-separated sample rewritten the way a layout extraction pads cells with spaces."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        cells = (line.split("\t") + [""] * 7)[:7]
        out.append("".join(((" " * max(w - _w(c), 0) + c) if r else (c + " " * max(w - _w(c), 0))) + "  "
                           for c, w, r in zip(cells, WIDTHS, RIGHT)).rstrip())
    return "\n".join(out)


TAB_TEXT = "\n".join((SAMPLES / "disclosure_with_errors.txt").read_text(encoding="utf-8").split("\n")[:30])
LAYOUT_TEXT = space_aligned(TAB_TEXT)


def test_detection():
    assert is_layout_text(LAYOUT_TEXT.split("\n"))
    assert not is_layout_text(TAB_TEXT.split("\n"))
    assert not is_layout_text(["一般公共预算 17,439.61 万元，占 97.98%。"] * 10)


def test_cells_land_in_their_columns_even_when_blank():
    lines = to_tab_lines(LAYOUT_TEXT.split("\n"))
    row = lines[15].split("\t")  # "208  社会保障和就业支出  1,801.39  1,801.39" with 款, 项 and 项目支出 blank
    assert row == ["208", "", "", "社会保障和就业支出", "1,801.39", "1,801.39", ""]
    assert lines[0] == LAYOUT_TEXT.split("\n")[0]  # prose untouched, line for line


def test_same_tables_and_findings_as_the_tab_version():
    tab = understand_document(parse_text(TAB_TEXT, "t.txt"))
    lay = understand_document(parse_text(LAYOUT_TEXT, "t.txt"))
    assert [c.path for c in lay.tables[0].columns] == [c.path for c in tab.tables[0].columns]
    assert [[c.value for c in r.cells] for r in lay.tables[0].rows] == [[c.value for c in r.cells] for r in tab.tables[0].rows]
    key = lambda f: (f.code, f.line, f.column["label"] if f.column else None, f.expected, f.actual)  # noqa: E731
    assert sorted(map(key, engine.check_documents([lay]).findings)) == sorted(map(key, engine.check_documents([tab]).findings))
    assert [key(f)[:2] for f in engine.check_documents([lay]).findings] == [("S102", 21), ("S102", 21)]
