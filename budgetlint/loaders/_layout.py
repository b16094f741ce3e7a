"""Layout helpers shared by the docx, html and pdf loaders.

They put merged cells on a rectangular grid (text in the top-left position,
empty covered positions, a :class:`~budgetlint.grid.Span` per merge), join
text that a document wrapped over several lines, and attach to each table the
short paragraphs just above it (表 N, title, 编制单位, 单位) and the sentence just
below it, the same way for every format.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Sequence, Union

from ..grid import RawTable, Span
from ..limits import Budget
from ..model import Cell, Location, Paragraph

MAX_BEFORE = 4  # paragraphs above a table that may belong to its title block
MAX_AFTER = 2  # paragraphs below a table that may explain it
SHORT = 80  # a title-block paragraph is at most this many characters
MAX_COLSPAN = 1000  # HTML's own limit
MAX_ROWSPAN = 65534


def column_letters(col: int) -> str:
    """0-based column index to spreadsheet letters: 0 → A, 26 → AA."""
    out = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    """0-based (row, col) to an A1 reference inside the table."""
    return f"{column_letters(col)}{row + 1}"


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_wrapped(parts: Sequence[str]) -> str:
    """Join the lines of a wrapped cell or paragraph.

    Chinese text wraps anywhere, so lines meeting at a wide (CJK) character are
    joined without a space (``全区国土资源执法监察系统执法办`` + ``案补充经费``);
    other lines are joined with one space.
    """
    out = ""
    for raw in parts:
        piece = clean_text(raw)
        if not piece:
            continue
        if not out:
            out = piece
        elif _wide(out[-1]) or _wide(piece[0]):
            out += piece
        else:
            out += " " + piece
    return out


_SPACE_RE = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Collapse runs of spaces (including no-break and ideographic spaces) and drop control characters."""
    text = _CTRL_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


class GridBuilder:
    """Places cells, merged or not, on a grid of ``nrows`` physical rows.

    ``place`` puts text at an explicit position; ``next_free`` finds the first
    position of a row not covered by a merge from above (the HTML algorithm).
    Every position costs one cell of the file's :class:`Budget`.
    """

    def __init__(self, nrows: int, budget: Budget) -> None:
        self.nrows = nrows
        self.budget = budget
        self.text: dict[tuple[int, int], str] = {}
        self.covered: set[tuple[int, int]] = set()
        self.spans: list[Span] = []
        self.ncols = 0

    def next_free(self, row: int, col: int) -> int:
        while (row, col) in self.text or (row, col) in self.covered:
            col += 1
        return col

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        rowspan = max(1, min(rowspan, MAX_ROWSPAN, self.nrows - row))
        colspan = max(1, min(colspan, MAX_COLSPAN))
        self.budget.cells(rowspan * colspan)
        self.text[(row, col)] = text
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                if (r, c) != (row, col):
                    self.covered.add((r, c))
        if rowspan > 1 or colspan > 1:
            self.spans.append(Span(row, col, rowspan, colspan))
        self.ncols = max(self.ncols, col + colspan)

    def build(self, loc_for: Callable[[int, int], Location]) -> tuple[list[list[Cell]], list[Span]]:
        """Rectangular rows of located cells (covered and missing positions hold empty text)."""
        rows: list[list[Cell]] = []
        for r in range(self.nrows):
            row = []
            for c in range(self.ncols):
                row.append(Cell(raw=self.text.get((r, c), ""), loc=loc_for(r, c)))
            rows.append(row)
        return rows, sorted(self.spans, key=lambda s: (s.row, s.col))


Block = Union[Paragraph, RawTable]


def attach_context(blocks: Sequence[Block]) -> None:
    """Fill each table's ``before`` and ``after`` from the paragraphs around it.

    ``before``: up to :data:`MAX_BEFORE` short paragraphs directly above the table
    (no table or long sentence in between), in reading order.  ``after``: up to
    :data:`MAX_AFTER` paragraphs directly below it that are not already part of
    the next table's title block.
    """
    claimed: set[int] = set()
    for i, block in enumerate(blocks):
        if not isinstance(block, RawTable):
            continue
        picked: list[Paragraph] = []
        j = i - 1
        while j >= 0 and len(picked) < MAX_BEFORE:
            prev = blocks[j]
            if isinstance(prev, RawTable) or j in claimed:
                break
            if len(prev.text) > SHORT or (prev.text.endswith("。") and len(prev.text) > 30):
                break
            picked.append(prev)
            claimed.add(j)
            j -= 1
        block.before = list(reversed(picked))
    for i, block in enumerate(blocks):
        if not isinstance(block, RawTable):
            continue
        after: list[Paragraph] = []
        j = i + 1
        while j < len(blocks) and len(after) < MAX_AFTER:
            nxt = blocks[j]
            if isinstance(nxt, RawTable) or j in claimed:
                break
            after.append(nxt)
            j += 1
        block.after = after
