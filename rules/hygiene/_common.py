"""Helpers shared by the rules of family H (hygiene).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re
import unicodedata

from budgetlint.model import Cell, Document
from budgetlint.understand.structure import ORG_SUFFIXES


_CELL_PUNCT = "，。、；："  # full-width only: OCR debris is ASCII
_PROSE_PUNCT = "，。、；：,;:"
_UNIT_SUFFIX = re.compile("(" + "|".join(ORG_SUFFIXES) + ")$")  # the endings the row trees know units by


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _is_insertion(short: str, long: str) -> bool:
    """True when ``long`` is ``short`` with one contiguous run of characters inserted."""
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    extra = len(long) - len(short)
    return short[i:] == long[i + extra:]


def _collect_names(doc: Document) -> dict[str, list[Cell]]:
    names: dict[str, list[Cell]] = {}

    def add(name: str | None, cell: Cell | None) -> None:
        if not name or cell is None:
            return
        key = _norm(name)
        key = re.sub(r"^\d{6}", "", key)
        if len(key) >= 6 and _UNIT_SUFFIX.search(key):
            names.setdefault(key, []).append(cell)

    for t in doc.tables:
        if t.kind == "budget.gpb_project":
            for row in t.rows:
                if not row.code and row.kind == "data" and row.label:
                    label_cell = next((c for c in row.cells if c.text and _norm(c.raw) == _norm(row.label)), row.cells[0])
                    add(row.label, label_cell)
    if any(t.kind.startswith("perf.") for t in doc.tables):
        from budgetlint.understand.perf import perf_view

        for pt in perf_view(doc).targets:
            add(pt.unit_name, pt.unit_cell)
    for p in doc.prose:
        m = re.match(r"^\s*项目承担单位\s*[:：]\s*(\S.*?)\s*$", p.text)
        if m:
            add(m.group(1), Cell(raw=m.group(1), loc=p.loc))
    return names
