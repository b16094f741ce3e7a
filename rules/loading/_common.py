"""Helpers shared by the rules of family L (loading).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re

from budgetlint.model import Cell, Document
from budgetlint.rule import Msg


def _blocks(cells: dict[tuple[int, int], Cell]) -> list[list[Cell]]:
    """Groups of cells that touch (same row or column, adjacent), each in reading order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for start in sorted(cells):
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for nb in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if nb in cells and nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        out.append([cells[k] for k in sorted(group)])
    return out


def _rectangular(block: list[Cell]) -> bool:
    rows = {c.row for c in block}
    cols = {c.col for c in block}
    return len(rows) * len(cols) == len(block)


# A structure is "not understood" when at least MIN_FAILED of its identities
# fail and they outnumber those that hold (documented in the README).
MIN_FAILED = 3

_STRUCTURES = {
    "rows": Msg("行结构（合计行、科目层级、编号项、其中项）", "row structure (total rows, code hierarchy, numbered items, parts)"),
    "columns": Msg("栏目结构（合计栏与其下各栏、栏次公式）", "column structure (total columns and the columns under them, column formulas)"),
}


def _multiples(failed: list) -> list:
    """The failures of row sums whose terms add up to the same whole multiple (2×, 3×…) of the total in every column."""
    from budgetlint.rounding import within_multiple

    by_row: dict[tuple, list] = {}
    for f in failed:
        by_row.setdefault((f.code, (f.row or {}).get("index")), []).append(f)
    out = []
    for group in by_row.values():
        ks = set()
        for f in group:
            if f.expected is None or f.actual in (None, 0) or f.tolerance is None:
                continue  # an unfilled cell says nothing about the multiple
            e, a, tol = f.number("expected"), f.number("actual"), f.number("tolerance")
            k = (e / a).to_integral_value()
            if k < 2 or not within_multiple(e, a, tol, k):
                ks = set()
                break
            ks.add(k)
        if len(ks) == 1:
            out.extend(group)
    return out


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int | None:
    """一 … 九十九 (as table numbers are written) to an int; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return value if (not tens or tens in _CN_DIGITS) and (not units or units in _CN_DIGITS) else None


# a table number as printed in a heading or a 目录 line: 公开08表, 公开表八, 表八, 表 8
_NUMBER_IN_HEADING = re.compile(r"公开\s*(\d{1,2})\s*表|公开表\s*([一二三四五六七八九十\d]{1,3})|^\s*表\s*([一二三四五六七八九十\d]{1,3})(?![\d\-－.])")
# a 目录 / heading line listing a table: 十二、政府采购预算表
_LISTED_TABLE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.{1,60}?表)\s*(?:[（(][^)）]{0,12}[)）])?\s*[.…·\d\s]*$")


def announced_tables(doc: Document) -> int:
    """How many tables the document's own lines announce: the distinct table numbers found in its
    headings and 目录 lines (公开NN表, 公开表N, 表N, or a numbered line naming a table kind).  An
    excerpt holding 表 3 and 表 8 announces two tables, not eight."""
    from budgetlint.understand.kinds import kind_from_title

    seen: set[int] = set()
    lines = [p.text for p in doc.prose if len(p.text) <= 120]
    for t in doc.tables:
        lines.extend(p.text for p in t.meta.get("before", ()))
        if t.number:
            lines.append(t.number)
    for text in lines:
        for m in _NUMBER_IN_HEADING.finditer(text):
            n = _cn_number(next(g for g in m.groups() if g))
            if n is not None and 0 < n <= 60:
                seen.add(n)
        for piece in re.split(r"(?<![一二三四五六七八九十])(?=(?<!^)[一二三四五六七八九十]{1,3}\s*[、])", text):
            m = _LISTED_TABLE.match(piece)
            if m and kind_from_title(m.group(2)):
                n = _cn_number(m.group(1))
                if n is not None and 0 < n <= 60:
                    seen.add(n)
    return len(seen)
