"""Plain-text documents: tables extracted from PDF or DOCX as text.

Two layouts are read:

* **tab rows** (PDF extractions): a table row is one line with tab-separated
  cells.  A table is a run of such lines; blank lines inside the run do not end
  it (page breaks leave them), a prose line does.
* **one cell per line** (DOCX extractions): every cell is a line starting with
  a tab, a line without the tab continues the cell above, a blank line ends the
  row, ``[bookmark: …]`` markers are dropped.

The loader only reads.  Merging tables continued after a page break, telling
headers from body rows and rejoining wrapped cells happens in
:mod:`budgetlint.understand`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..grid import RawDocument, RawTable
from ..limits import Budget
from ..model import Cell, Location, Paragraph

MAX_TEXT_LINES = 2_000_000
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_BEFORE_LINES = 4


class TextDecodeError(Exception):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """Decode text: UTF-8 (with or without BOM), else detected (GB18030, Big5…)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    enc = best.encoding if best is not None else None
    if enc is None:
        raise TextDecodeError("cannot detect the text encoding")
    if enc.lower().replace("-", "").replace("_", "") in ("gb2312", "gbk", "cp936", "gb18030"):
        enc = "gb18030"  # a superset: never fail on characters GB2312 lacks
    return data.decode(enc, errors="replace"), enc


def load(path: Path) -> RawDocument:
    data = path.read_bytes()
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file contains NUL bytes: it is binary, not text")
    text, encoding = decode(data)
    return parse_text(text, str(path), encoding)


def parse_text(text: str, path: str, encoding: str = "utf-8", budget: Budget | None = None) -> RawDocument:
    budget = budget or Budget()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_TEXT_LINES:
        raise ValueError(f"the file has {len(lines):,} lines, over the {MAX_TEXT_LINES:,}-line limit")
    budget.text_lines(len(lines))  # BUDGETLINT_MAX_LINES, before anything is built from them
    doc = RawDocument(path=path, format="text", meta={"encoding": encoding})
    tab_lines = [ln for ln in lines if "\t" in ln]
    single = sum(1 for ln in tab_lines if ln.startswith("\t") and ln.count("\t") == 1)
    cell_per_line = len(tab_lines) >= 5 and single > 0.5 * len(tab_lines)
    if cell_per_line:
        _parse_cell_per_line(lines, path, doc, budget)
    else:
        from .layout_text import is_layout_text, to_tab_lines

        if is_layout_text(lines):  # columns padded with spaces (pdftotext -layout): find them by position
            lines = to_tab_lines(lines)
            doc.meta["layout"] = "space-aligned"
            budget.tick()
        _parse_tab_rows(lines, path, doc, budget)
    _attach_surroundings(doc)
    return doc


def _clean(s: str) -> str:
    return _BOOKMARK.sub("", s)


def _parse_tab_rows(lines: list[str], path: str, doc: RawDocument, budget: Budget) -> None:
    current: list[list[Cell]] | None = None
    start = 0
    for i, line in enumerate(lines, start=1):
        if "\t" in line:
            loc = Location(path, line=i)  # shared by every cell of the line (frozen)
            parts = line.split("\t")
            budget.cells(len(parts))
            if not i & 1023:
                budget.tick()
            plain = Cell.plain
            cells = [plain(_clean(part) if "[" in part else part, loc) for part in parts]
            if current is None:
                current, start = [], i
            current.append(cells)
            continue
        if not line.strip():
            continue  # blank lines never end a table (page breaks leave them)
        if current is not None:
            doc.tables.append(RawTable(rows=current, loc=Location(path, line=start)))
            current = None
        doc.prose.append(Paragraph(text=_clean(line).strip(), loc=Location(path, line=i), index=len(doc.prose)))
    if current is not None:
        doc.tables.append(RawTable(rows=current, loc=Location(path, line=start)))


def _parse_cell_per_line(lines: list[str], path: str, doc: RawDocument, budget: Budget) -> None:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    start = 0
    blank_before = True

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            doc.tables.append(RawTable(rows=rows, loc=Location(path, line=start)))
        rows = []

    for i, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not rows and not row:
                start = i
            parts = line[1:].split("\t")
            budget.cells(len(parts))
            if not i & 1023:
                budget.tick()
            for part in parts:
                row.append(Cell(raw=_clean(part), loc=Location(path, line=i)))
            blank_before = False
            continue
        if not line.strip():
            end_row()
            blank_before = True
            continue
        if row and not blank_before and not line.lstrip().startswith("[bookmark"):
            # a cell's text continues on a line of its own
            last = row[-1]
            row[-1] = Cell(raw=last.raw + "\n" + _clean(line), loc=last.loc)
            continue
        end_table()
        blank_before = False
        text = _clean(line).strip()
        if text:
            doc.prose.append(Paragraph(text=text, loc=Location(path, line=i), index=len(doc.prose)))
    end_table()


def _attach_surroundings(doc: RawDocument) -> None:
    """Give each table the prose lines just above it and just below it."""
    prose = doc.prose
    p = 0
    prev_end = 0
    for t in doc.tables:
        first = t.rows[0][0].loc.line or 0
        last = max((c.loc.line or 0) for c in t.rows[-1]) if t.rows[-1] else first
        while p < len(prose) and (prose[p].loc.line or 0) < first:
            p += 1
        before = [q for q in prose[max(0, p - _BEFORE_LINES):p] if (q.loc.line or 0) > prev_end]
        t.before = before
        after = []
        q = p
        while q < len(prose) and len(after) < 2:
            if (prose[q].loc.line or 0) > last:
                after.append(prose[q])
            q += 1
        t.after = after
        prev_end = last
