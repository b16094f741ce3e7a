"""Space-aligned text (``pdftotext -layout`` and similar): columns by position, not by tabs.

A layout extraction prints each table row on one line and pads the cells with
spaces so they line up.  A cell that is empty leaves a gap, so splitting on
runs of spaces alone would shift the cells after it.  Instead, for each block
of such lines, the columns are found where the cells of the body rows
(the lines holding a number) overlap horizontally — text is usually
left-aligned and amounts right-aligned, but either way the cells of one column
overlap — and every segment of every line is put in the column it overlaps
most.  Header cells that span several columns land in the first of them,
which is how a merged header reads in a grid.  The lines are handed back with
tabs between the cells, line for line, so the tab-row reader and the
understanding step take over unchanged.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_GAP = re.compile(r"\S(?: {2,}|\u3000+)\S")
_SEGMENT = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces stay one cell
_NUMBER = re.compile(r"^[-−(]?\d[\d,]*(?:\.\d+)?%?\)?$")
MIN_LINES = 5


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _segments(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) in display columns (CJK characters are two wide)."""
    line = line.replace("\u3000", "  ")
    cols = []
    pos = 0
    for ch in line:
        cols.append(pos)
        pos += _width(ch)
    cols.append(pos)
    return [(cols[m.start()], cols[m.end()], m.group(0)) for m in _SEGMENT.finditer(line)]


def is_layout_text(lines: list[str]) -> bool:
    """No tab rows, but at least a few lines whose cells are separated by wide gaps."""
    if sum(1 for ln in lines if "\t" in ln) >= MIN_LINES:
        return False
    return sum(1 for ln in lines if len(_GAP.findall(ln)) >= 2) >= MIN_LINES


def _columns(rows: list[list[tuple[int, int, str]]]) -> list[tuple[int, int]]:
    """Column extents: unions of overlapping cells of the body rows."""
    spans = sorted((s, e) for row in rows for s, e, t in row)
    cols: list[list[int]] = []
    for s, e in spans:
        if cols and s < cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], e)
        else:
            cols.append([s, e])
    return [(s, e) for s, e in cols]


def _place(seg: tuple[int, int, str], cols: list[tuple[int, int]], starts: list[int] | None = None) -> int:
    """The column a cell overlaps most (the first on a tie), else the one whose start is nearest.

    ``cols`` are sorted and disjoint, so only the columns around the cell are looked at
    (``starts``: their start positions, for the binary search).
    """
    s, e, _ = seg
    if starts is None:
        starts = [c[0] for c in cols]
    i = max(0, bisect.bisect_right(starts, s) - 1)
    best, best_overlap = 0, 0
    while i < len(cols) and cols[i][0] < e:
        overlap = min(e, cols[i][1]) - max(s, cols[i][0])
        if overlap > best_overlap:
            best, best_overlap = i, overlap
        i += 1
    if best_overlap <= 0:  # between columns: the nearest one to its start
        j = bisect.bisect_left(starts, s)
        near = [k for k in (j - 1, j) if 0 <= k < len(cols)]
        best = min(near, key=lambda k: (abs(cols[k][0] - s), k))
    return best


def to_tab_lines(lines: list[str]) -> list[str]:
    """The same lines, table rows rewritten with tabs between their cells; prose lines untouched."""
    out = list(lines)
    i = 0
    n = len(lines)
    while i < n:
        if len(_GAP.findall(lines[i])) < 1:
            i += 1
            continue
        # a block: lines with at least one wide gap, blank lines allowed inside
        j = i
        members = []
        while j < n and (len(_GAP.findall(lines[j])) >= 1 or (not lines[j].strip() and j + 1 < n and len(_GAP.findall(lines[j + 1])) >= 1)):
            if lines[j].strip():
                members.append(j)
            j += 1
        if len(members) >= 2:
            segs = {k: _segments(lines[k]) for k in members}
            body = [segs[k] for k in members if any(_NUMBER.match(t) for _, _, t in segs[k])] or list(segs.values())
            cols = _columns(body)
            if len(cols) >= 2:
                starts = [c[0] for c in cols]
                for k in members:
                    cells = [""] * len(cols)
                    for seg in segs[k]:
                        c = _place(seg, cols, starts)
                        cells[c] = (cells[c] + " " + seg[2]).strip() if cells[c] else seg[2]
                    out[k] = "\t".join(cells)
        i = max(j, i + 1)
    return out
