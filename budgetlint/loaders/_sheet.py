"""Spreadsheet-like grids (xlsx, xls, csv): split a sheet into tables and prose.

A sheet holds title rows above the table (one merged cell each: 表 N, the
title, 编制单位, 单位：万元), the table, and sometimes notes below.  A row with
a single non-empty cell that looks like a title or a unit line separates
tables; inside a table such a row is a row with blank amounts (因公出国（境）费
with nothing filled) and stays in the table.
"""

from __future__ import annotations

import re

from ..grid import RawTable
from ..model import Cell, Paragraph

_TITLE_LINE = re.compile(
    r"^(续?表\s*\S+.*|附件\s*\d+.*|.*(表|情况|明细)\s*([（(].{0,16}[)）])?|(编制|填报)单位\s*[:：].*|(金额)?单位\s*[:：].*|[（(]\s*\d{4}\s*年?\s*[)）])$"
)
MAX_BEFORE = 4
MAX_AFTER = 2


def _filled(row: list[Cell]) -> list[Cell]:
    return [c for c in row if c.raw.strip()]


def split_grid(rows: list[list[Cell]]) -> tuple[list[RawTable], list[Paragraph]]:
    """Tables (runs of multi-cell rows) and prose (single-cell title and note rows) of one sheet."""
    items: list[tuple[str, object]] = []  # ("p", Paragraph) or ("t", list of rows)
    current: list[list[Cell]] = []
    prose: list[Paragraph] = []
    for row in rows:
        filled = _filled(row)
        if not filled:
            continue
        if len(filled) == 1:
            text = re.sub(r"\s+", " ", filled[0].raw.strip())
            sentence = len(text) > 30 and (text.endswith(("。", "；", ".")) or "，" in text)
            if current and not sentence and not (len(text) <= 120 and _TITLE_LINE.match(text)):
                current.append(row)  # a row with blank amounts, or a wrapped tail
                continue
            if current:
                items.append(("t", current))
                current = []
            p = Paragraph(text=filled[0].raw.strip(), loc=filled[0].loc, index=len(prose))
            prose.append(p)
            items.append(("p", p))
            continue
        current.append(row)
    if current:
        items.append(("t", current))
    tables: list[RawTable] = []
    for k, (kind, obj) in enumerate(items):
        if kind != "t":
            continue
        before: list[Paragraph] = []
        j = k - 1
        while j >= 0 and items[j][0] == "p" and len(before) < MAX_BEFORE:
            before.insert(0, items[j][1])  # type: ignore[arg-type]
            j -= 1
        after: list[Paragraph] = []
        j = k + 1
        while j < len(items) and items[j][0] == "p" and len(after) < MAX_AFTER:
            after.append(items[j][1])  # type: ignore[arg-type]
            j += 1
        rows_ = obj  # type: ignore[assignment]
        tables.append(RawTable(rows=rows_, loc=rows_[0][0].loc, before=before, after=after))
    return tables, prose
