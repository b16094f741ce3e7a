"""Raw grids: what a loader hands to the understanding step.

A loader only reads.  It returns a :class:`RawDocument`: the tables it found as
grids of located cells (rows as printed, merged cells expanded or recorded as
spans) with the lines around them, and the prose paragraphs with their
locations.  Deciding what a table *means* (title, header tree, kind, row
hierarchy) is :mod:`budgetlint.understand`'s job, done once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Cell, Location, Paragraph


@dataclass(slots=True)
class Span:
    """A merged cell: top-left (row, col) covering rowspan × colspan grid positions."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class RawTable:
    """A table as read: physical rows of located cells, plus its surroundings.

    ``rows`` may be ragged.  ``before`` holds the prose lines just above the
    table (表 N, title, 编制单位, 单位：万元); ``after`` the lines just below (an
    empty table's explanation).  ``spans`` records merged cells where the
    format knows them (xlsx, docx, html); covered positions hold cells with
    empty text.  ``hints`` may carry what the format already knows (sheet
    title, caption).
    """

    rows: list[list[Cell]]
    loc: Location
    before: list[Paragraph] = field(default_factory=list)
    after: list[Paragraph] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RawDocument:
    """Everything a loader read from one file."""

    path: str
    format: str
    tables: list[RawTable] = field(default_factory=list)
    prose: list[Paragraph] = field(default_factory=list)
    problems: list[tuple[str, str, Location | None]] = field(default_factory=list)  # (kind, message, where)
    meta: dict[str, Any] = field(default_factory=dict)
