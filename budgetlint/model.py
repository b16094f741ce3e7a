"""The located table model: documents, tables, rows, columns and cells.

Every value a rule sees comes from a :class:`Cell` that remembers where it was
read (:class:`Location`).  Loaders create cells, the understanding step arranges
them into :class:`Table` objects, rules read tables and yield identities or
findings, reporters render findings.  This module imports nothing else of the
package so every layer can depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator

SEVERITIES = ("error", "warning", "info")

# Units an amount can be written in, as a factor of 元.  Anything else (%,
# 分, 人次…) is its own dimension and never converted.
MONEY_FACTORS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "万": 10_000, "亿元": 100_000_000, "亿": 100_000_000}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of text was read: the one thing a user needs to find it."""

    path: str
    line: int | None = None  # 1-based physical line (text, csv)
    sheet: str | None = None  # worksheet name (xlsx, xls)
    cell: str | None = None  # A1 reference (spreadsheets, csv)
    page: int | None = None  # 1-based page (pdf)
    paragraph: int | None = None  # 1-based paragraph or block number (docx, html)

    def describe(self) -> str:
        """Short human form: ``file:12`` or ``file[Sheet1!B7]`` or ``file p.3``."""
        out = self.path
        if self.sheet is not None or self.cell is not None:
            ref = f"{self.sheet}!{self.cell}" if self.sheet else (self.cell or "")
            out += f"[{ref}]"
        if self.line is not None:
            out += f":{self.line}"
        if self.page is not None:
            out += f" p.{self.page}"
        if self.paragraph is not None and self.line is None:
            out += f" ¶{self.paragraph}"
        return out

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "sheet": self.sheet, "cell": self.cell, "page": self.page}


@dataclass(init=False)
class Cell:
    """One cell as printed, with its parsed number and its location.

    ``value`` is the number in the cell's own unit (``unit``), ``decimals`` the
    number of digits printed after the point (what the rounding rule needs),
    ``blank`` tells an empty / ``-`` cell from an explicit ``0``.  ``exact`` marks
    a value stored as a number without a display rounding (a spreadsheet cell in
    the General format): it carries no rounding slack at all.
    ``table``/``row``/``col`` are filled when the cell is placed in a table.
    """

    raw: str
    loc: Location
    value: Decimal | None = None
    decimals: int = 0
    blank: bool = True
    unit: str | None = None
    comparator: str | None = None
    percent: bool = False
    approx: bool = False
    exact: bool = False
    table: int = -1
    row: int = -1
    col: int = -1

    def __init__(
        self, raw: str, loc: Location, value: Decimal | None = None, decimals: int = 0, blank: bool = True,
        unit: str | None = None, comparator: str | None = None, percent: bool = False, approx: bool = False,
        table: int = -1, row: int = -1, col: int = -1, exact: bool = False,
    ) -> None:
        # Hundreds of thousands of cells are made per run: only what differs from the
        # class-level defaults is stored on the instance.
        self.raw = raw
        self.loc = loc
        if value is not None:
            self.value = value
        if decimals:
            self.decimals = decimals
        if blank is not True:
            self.blank = blank
        if unit is not None:
            self.unit = unit
        if comparator is not None:
            self.comparator = comparator
        if percent:
            self.percent = percent
        if approx:
            self.approx = approx
        if exact:
            self.exact = exact
        if table != -1:
            self.table = table
        if row != -1:
            self.row = row
        if col != -1:
            self.col = col

    @classmethod
    def plain(cls, raw: str, loc: Location) -> "Cell":
        """A cell as read, before understanding (every other field at its default): the loaders' fast path."""
        cell = object.__new__(cls)
        cell.raw = raw
        cell.loc = loc
        return cell

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def amount(self) -> Decimal:
        """The value for sums: blank counts as 0."""
        return self.value if self.value is not None else Decimal(0)


@dataclass(slots=True)
class Column:
    """A table column and its header label path (outer merged header first)."""

    index: int
    path: tuple[str, ...] = ()
    number: str | None = None  # as numbered by a 栏次 row, if any
    role: str = "value"  # "code" | "label" | "value" | "text" | "lineno"
    label_col: int | None = None  # the label column a value column belongs to (two-sided tables)

    @property
    def label(self) -> str:
        return " / ".join(p for p in self.path if p) or (f"栏{self.number}" if self.number else f"#{self.index + 1}")

    @property
    def leaf(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(slots=True)
class Row:
    """A body row: its cells (one per column), its label and classification code."""

    index: int
    cells: list[Cell]
    label: str = ""
    code: str | None = None
    kind: str = "data"  # "data" | "total" | "fragment" | "note"
    indent: int = 0  # numbering depth hint: 0 none, 1 一、, 2 (一)/1、, 3 (1)…

    @property
    def loc(self) -> Location:
        for c in self.cells:
            if c.raw.strip():
                return c.loc
        return self.cells[0].loc


@dataclass(slots=True)
class Paragraph:
    """A block of prose with its location (a line of text, a docx paragraph…)."""

    text: str
    loc: Location
    index: int = 0


@dataclass(slots=True)
class Table:
    """A table understood: title block, column header tree and body rows."""

    index: int
    path: str
    loc: Location  # where the table (its title, or its first row) starts
    number: str | None = None  # as printed: "表 3", "表 1-2", "附件1"
    title: str = ""
    unit: str | None = None  # 元, 万元, %…
    issuer: str | None = None  # 编制单位
    kind: str = "unknown"
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    header: list[list[Cell]] = field(default_factory=list)  # header rows as read (after merging page repeats)
    notes: list[Paragraph] = field(default_factory=list)  # sentences right after the table (empty-table explanations)
    meta: dict[str, Any] = field(default_factory=dict)  # kind-specific facts (project name, unit name…)

    def cell(self, row: int, col: int) -> Cell:
        return self.rows[row].cells[col]

    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value"]

    def find_columns(self, *words: str) -> list[Column]:
        """Columns whose header path mentions every word."""
        return [c for c in self.columns if all(any(w in p for p in c.path) for w in words)]

    def describe(self) -> dict[str, Any]:
        return {"index": self.index, "number": self.number, "title": self.title, "kind": self.kind}

    def iter_cells(self) -> Iterator[Cell]:
        for r in self.rows:
            yield from r.cells


@dataclass(slots=True)
class Document:
    """One input file: its tables and its prose, or the error that stopped reading it."""

    path: str
    format: str
    tables: list[Table] = field(default_factory=list)
    prose: list[Paragraph] = field(default_factory=list)
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """A problem found, with everything needed to locate and re-check it.

    Field names are the JSON keys of the output and are stable.  The numbers
    are shown as JSON numbers; ``exact`` keeps them as the exact Decimals they
    were computed as (what later arithmetic on findings reads).
    """

    code: str
    name: str
    severity: str
    message: str
    path: str
    table: dict[str, Any] | None = None
    row: dict[str, Any] | None = None
    column: dict[str, Any] | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    expected: float | None = None
    actual: float | None = None
    difference: float | None = None
    tolerance: float | None = None
    terms: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # additional keys (relation, paragraph…)
    exact: dict[str, Decimal] = field(default_factory=dict, repr=False, compare=False)  # not part of the JSON

    def number(self, key: str) -> Decimal | None:
        """``expected``, ``actual``, ``difference`` or ``tolerance`` as an exact Decimal (None when absent)."""
        if key in self.exact:
            return self.exact[key]
        v = getattr(self, key)
        return None if v is None else Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v))

    def sort_key(self) -> tuple:
        t = self.table["index"] if self.table else -1
        r = self.row["index"] if self.row and self.row.get("index") is not None else -1
        c = self.column["index"] if self.column and self.column.get("index") is not None else -1
        return (self.path, t, r, c, self.line or 0, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "line": self.line,
            "sheet": self.sheet,
            "cell": self.cell,
            "page": self.page,
            "expected": self.expected,
            "actual": self.actual,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "terms": self.terms,
        }
        for k, v in self.extra.items():
            out.setdefault(k, v)
        return out
