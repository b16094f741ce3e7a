"""Small lookups shared by the balance (B) and reconciliation (X) families.

Finding the rows and columns a template defines — the 总计 row, the 合计
column, the two sides of a 收支总表, the 类 rows of a 支出总表, the lines of
三公经费 — by what they say, never by position.  Pure functions over the
understood model; nothing here builds identities.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from . import structure
from .kinds import KINDS
from .labels import norm
from ..model import Cell, Column, Document, Row, Table

_NUMBER_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[、.．](?!\d))\s*"
)
_OF_WHICH = re.compile(r"^(?:其中|含)\s*[:：]?\s*")
_CODE_LABEL = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})(?![\d.])\s*(.*)$")
_SPACES = re.compile(r"\s+")


def bare(text: str | None) -> str:
    """A label without its numbering (一、 1、 (一)) and without a leading 其中："""
    t = norm(text)
    for _ in range(2):
        t = _OF_WHICH.sub("", _NUMBER_PREFIX.sub("", t))
    return t


def is_of_which(text: str | None) -> bool:
    return bool(_OF_WHICH.match(norm(text)))


def label_code(text: str | None) -> tuple[str | None, str]:
    """``"208 社会保障和就业支出"`` → ``("208", "社会保障和就业支出")``; no code → ``(None, text)``."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    m = _CODE_LABEL.match(t)
    if not m:
        return None, norm(t)
    code = m.group(1).replace(" ", "")
    if not re.fullmatch(r"\d{3}(?:\d{2}){0,2}", code):
        return None, norm(t)
    return code, norm(m.group(2))


def table_name(table: Table) -> str:
    """How a finance officer names a table: ``表5《一般公共预算支出情况表》``."""
    title = norm(table.title) or KINDS.get(table.kind, "")
    num = norm(table.number)
    if num and title:
        return f"{num}《{title}》"
    return f"《{title}》" if title else (num or f"#{table.index + 1}")


def nonzero(cell: Cell | None) -> bool:
    return cell is not None and cell.value is not None and cell.value != 0


# ---------------------------------------------------------------- columns


def value_columns(table: Table, label_col: int | None = None) -> list[Column]:
    cols = table.value_columns()
    if label_col is None:
        return cols
    return [c for c in cols if c.label_col == label_col or (c.label_col is None and _nearest_label(table, c) == label_col)]


def _nearest_label(table: Table, col: Column) -> int | None:
    best = None
    for c in table.columns:
        if c.role == "label" and c.index < col.index:
            best = c.index
    return best


def leaf(col: Column) -> str:
    return norm(col.leaf)


def find_column(cols: Iterable[Column], *words: str, exclude: tuple[str, ...] = ()) -> Column | None:
    """The first column whose leaf mentions one of ``words``, else the 小计/合计 under such a header.

    ``基本支出 > 人员经费`` never stands for 基本支出: only its 小计 does.
    """
    cols = list(cols)
    for where in ("leaf", "path"):
        for c in cols:
            if where == "path" and leaf(c) not in ("小计", "合计", "总计"):
                continue
            text = leaf(c) if where == "leaf" else norm("".join(c.path))
            if any(w in text for w in words) and not any(x in text for x in exclude):
                return c
    return None


def main_column(table: Table, cols: list[Column] | None = None) -> Column | None:
    """The amount column a table's totals are read from: 合计/总计, else the only or first value column."""
    cols = cols if cols is not None else table.value_columns()
    if not cols:
        return None
    for c in cols:
        if leaf(c) in ("合计", "总计", "项目支出合计", "支出合计", "金额合计"):
            return c
    for c in cols:
        if leaf(c).endswith(("合计", "总计")):
            return c
    return cols[0]


def same_column(src: Column, src_cols: list[Column], target_cols: list[Column], target_table: Table) -> Column | None:
    """The column of another table that holds the same figure as ``src``.

    Same leaf label first (年初预算数 ↔ 年初预算数); a lone amount column pairs
    with the other table's main column.
    """
    for c in target_cols:
        if leaf(c) == leaf(src):
            return c
    if len(src_cols) == 1:
        return main_column(target_table, target_cols)
    if src is main_column(target_table, src_cols):
        return main_column(target_table, target_cols)
    return None


# ---------------------------------------------------------------- rows


TOTAL_LABELS = ("总计", "合计")


def total_row(table: Table, label_col: int | None = None) -> Row | None:
    """The grand-total row: 总计 before 合计; None when the table has none."""
    best: Row | None = None
    for row in table.rows:
        lab = bare(row_label(table, row, label_col))
        if lab in ("总计", "收入总计", "支出总计", "合计总计") or lab.startswith("总计"):
            return row
        if best is None and lab in ("合计", "合计数"):
            best = row
    return best


def row_label(table: Table, row: Row, label_col: int | None) -> str:
    if label_col is None:
        return row.label
    if label_col < len(row.cells):
        return norm(row.cells[label_col].raw)
    return ""


def code_rows(table: Table) -> dict[str, Row]:
    """Rows by classification code (first occurrence of each code)."""
    out: dict[str, Row] = {}
    for row in table.rows:
        if row.code and row.code not in out:
            out[row.code] = row
    return out


@dataclass(frozen=True)
class CodeLine:
    """A classification code's line on whichever side of the table it is printed: its row, name and amount cell."""

    code: str
    row: Row
    label: str
    cell: Cell

    def display(self) -> str:
        return f"{self.code} {norm(self.label)}".strip()


def code_lines(table: Table, main_col: int | None = None) -> dict[str, CodeLine]:
    """Every code of every side (economic classes in 2–3 column groups), first occurrence wins.

    The main side's amount is read from ``main_col`` when given (the caller's chosen column),
    every other side's from its first column that holds amounts.
    """
    out: dict[str, CodeLine] = {}
    for side in structure.sides(table):
        col = main_col if side.main and main_col is not None else structure.amount_col(table, side)
        if col is None:
            continue
        for row in table.rows:
            if side.main:
                label, code = row.label, row.code
            else:
                label, code = structure.side_label_code(table, row, side)
            if code and code not in out and col < len(row.cells):
                out[code] = CodeLine(code, row, label, row.cells[col])
    return out


def has_codes(table: Table) -> bool:
    return any(r.code for r in table.rows)


def is_empty(table: Table) -> bool:
    """No body rows, or no amount anywhere (blank or zero)."""
    for row in table.rows:
        for col in table.value_columns():
            if col.index < len(row.cells) and nonzero(row.cells[col.index]):
                return False
    return True


# ---------------------------------------------------------------- document sets


def table_sets(doc: Document, kinds: Iterable[str]) -> list[dict[str, Table]]:
    """The document's tables of ``kinds`` grouped into sets (one per unit in a merged file).

    A new set starts when a kind already present in the current set appears
    again, so a file holding two units' disclosures is checked unit by unit.
    """
    wanted = set(kinds)
    sets: list[dict[str, Table]] = []
    cur: dict[str, Table] = {}
    for t in doc.tables:
        if t.kind not in wanted:
            continue
        if t.kind in cur:
            sets.append(cur)
            cur = {}
        cur[t.kind] = t
    if cur:
        sets.append(cur)
    return sets


# ---------------------------------------------------------------- two-sided tables


@dataclass
class Side:
    """One side (收入 or 支出) of a two-sided table, or a one-sided table standing for it."""

    table: Table
    kind: str  # "income" | "expense"
    label_col: int | None
    columns: list[Column] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[Row, str]]:
        for row in self.table.rows:
            lab = row_label(self.table, row, self.label_col)
            if lab:
                yield row, lab

    def cell(self, row: Row, col: Column) -> Cell:
        return row.cells[col.index]


def sides(table: Table) -> tuple[Side | None, Side | None]:
    """The 收入 and 支出 sides of a two-sided table (None where absent).

    The table is split once, by :func:`.structure.sides`; this names the
    blocks: a block whose header says 收入 (or, failing that, the first block)
    is the income side, the first block whose header says 支出 (or the second)
    the expense side.  Of two expenditure breakdowns printed side by side
    (功能分类 | 支出用途) the first stands for the expense side.
    """
    blocks = [s for s in structure.sides(table) if s.label_col is not None]
    by_index = {c.index: c for c in table.columns}
    if len(blocks) == 1:
        # one side printed: which one its header or its total row says
        lc = blocks[0].label_col
        head = norm(" ".join(by_index[lc].path))
        totals = {bare(r.cells[lc].raw) for r in table.rows if lc < len(r.cells)}
        kind = "income" if "收入" in head or "收入总计" in totals else "expense" if "支出" in head or "支出总计" in totals else None
        if kind is None:
            return None, None
        side = Side(table, kind, lc, [by_index[c] for c in blocks[0].value_cols])
        return (side, None) if kind == "income" else (None, side)
    if len(blocks) < 2:
        return None, None
    income = expense = None
    for i, blk in enumerate(blocks):
        lc = blk.label_col
        head = norm(by_index[lc].path[0]) if by_index[lc].path else ""
        kind = "income" if "收入" in head else "expense" if "支出" in head else ("income" if i == 0 else "expense")
        side = Side(table, kind, lc, [by_index[c] for c in blk.value_cols])
        if kind == "income" and income is None:
            income = side
        elif kind == "expense" and expense is None:
            expense = side
    return income, expense


def one_side(table: Table, kind: str) -> Side:
    labels = [c for c in table.columns if c.role == "label"]
    lc = labels[0].index if labels else None
    return Side(table, kind, lc, table.value_columns())


# ---------------------------------------------------------------- income lines


def income_key(text: str) -> str | None:
    """What an income line (a row of 收支总表 or a column of 收入总表) stands for.

    ``一般公共预算拨款`` and ``一般公共预算`` both → ``"gpb"``; ``上级一般公共预算安排的转移支付``
    → ``"transfer_gpb"``; ``财政拨款（补助）小计`` → ``"fiscal"``; the two carry-overs
    ``财政拨款结转`` / ``非财政拨款结转结余`` and their parent ``上年结转结余`` …
    """
    t = bare(text).replace("的", "")
    if not t:
        return None
    if t in ("收入总计", "总计", "合计", "收入合计"):
        return "total"
    if "结转" in t or "结余" in t:
        if "非财政拨款" in t:
            return "carry_nonfiscal"
        if "财政拨款结转" in t:
            return "carry_fiscal"
        if t.startswith(("上年结转", "年初结转")):
            return "carry"
        return None
    if "上级" in t and "转移支付" in t:
        if "一般公共预算" in t:
            return "transfer_gpb"
        if "基金" in t:
            return "transfer_fund"
        if "国有资本" in t:
            return "transfer_soe"
        return None
    if "本年收入" in t:
        return "current"
    if "一般公共预算" in t:
        return "gpb"
    if "政府性基金" in t or t.startswith("基金预算"):
        return "fund"
    if "国有资本经营" in t:
        return "soe"
    if "财政专户" in t:
        return "special"
    if "单位资金" in t:
        return "unit"
    if "财政拨款" in t:
        return "fiscal"
    if t.startswith("事业收入"):
        return "business"
    if "经营收入" in t:
        return "operating"
    if t.startswith("上级补助收入"):
        return "upper_subsidy"
    if "附属单位上缴" in t:
        return "affiliated"
    if t.startswith("其他收入"):
        return "other"
    return None


CARRY_KEYS = frozenset({"carry", "carry_fiscal", "carry_nonfiscal"})


def income_lines(side: Side) -> dict[str, Row]:
    """The income side's rows by :func:`income_key`, first occurrence wins.

    Rows inside the 上年结转结余 block only count as carry-over lines (its
    ``其中：一般公共预算拨款`` is a carry-over by source, not this year's money).
    """
    out: dict[str, Row] = {}
    in_carry = False
    for row, lab in side.rows():
        key = income_key(lab)
        if key == "carry":
            in_carry = True
        elif key == "total":
            in_carry = False
        elif in_carry and key not in CARRY_KEYS:
            if row.indent == 1 and key is not None:
                in_carry = False
            else:
                continue
        if key and key not in out:
            out[key] = row
    return out


def income_columns(cols: list[Column]) -> dict[str, Column]:
    """A 收入总表's columns by :func:`income_key` of their header.

    A ``小计``/``合计`` leaf stands for its parent header (``一般公共预算 > 小计``);
    any other leaf speaks for itself, so ``一般公共预算 > 上级转移支付`` (a 其中 part)
    never passes for the parent.
    """
    out: dict[str, Column] = {}
    for c in cols:
        path = [p for p in c.path if norm(p)]
        key = None
        if path:
            key = income_key(path[-1])
            if key is None and bare(path[-1]) in ("小计", "合计") and len(path) > 1:
                key = income_key(path[-2])
                key = "fiscal" if key == "total" else key
        if key and key not in out:
            out[key] = c
    return out


_OTHER_PERIOD = ("上年", "上期", "去年", "增减", "变动", "增长", "比上年", "占", "%")


def current_column(cols: list[Column], partner: list[Column] | None = None) -> Column | None:
    """The one amount column of a side that holds this period's figure.

    A lone column is it; otherwise a column whose header the partner table
    shares, else the only one not about another period or a change; ambiguous
    layouts give None (skip rather than compare the wrong year).
    """
    if len(cols) == 1:
        return cols[0]
    if partner:
        leaves = {leaf(c) for c in partner}
        same = [c for c in cols if leaf(c) in leaves]
        if len(same) == 1:
            return same[0]
    fresh = [c for c in cols if not any(w in norm("".join(c.path)) for w in _OTHER_PERIOD)]
    if len(fresh) == 1:
        return fresh[0]
    totals = [c for c in fresh if leaf(c) in ("合计", "总计")]
    if len(totals) == 1:
        return totals[0]
    return None


# ---------------------------------------------------------------- 三公


SANGONG_ITEMS = ("total", "abroad", "reception", "car", "car_purchase", "car_running")


def sangong_key(text: str) -> str | None:
    t = bare(text)
    if not t:
        return None
    if "出国" in t:
        return "abroad"
    if "接待" in t:
        return "reception"
    if "公务用车" in t or "车辆" in t or t in ("购置费", "运行费", "运行维护费"):
        if "购置" in t and "运行" in t:
            return "car"
        if "购置" in t:
            return "car_purchase"
        if "运行" in t:
            return "car_running"
        return "car"
    if t in ("合计", "总计", "小计") or ("三公" in t and ("合计" in t or "经费" in t)):
        return "total"
    return None


@dataclass
class SangongGroup:
    """The 三公 lines of one amount column (rows layout) or one row (columns layout)."""

    cells: dict[str, Cell]
    name: str  # the column label or row label, for messages
    layout: str = "rows"  # "rows": items are rows; "columns": items are columns


def main_sangong_group(groups: list[SangongGroup]) -> SangongGroup | None:
    """The group holding this period's total: the 合计 column, or the current-year row."""
    if not groups:
        return None
    if groups[0].layout == "rows":
        return groups[0]
    fresh = [g for g in groups if not any(w in norm(g.name) for w in _OTHER_PERIOD)]
    return fresh[-1] if fresh else None


def vehicle_running_cell(table: Table) -> Cell | None:
    """This period's 公务用车运行费 of a 三公 table (its 公务用车购置及运行费 when it has no running line)."""
    g = main_sangong_group(sangong_groups(table))
    if g is None:
        return None
    return g.cells.get("car_running") or g.cells.get("car")


def sangong_groups(table: Table) -> list[SangongGroup]:
    """Every set of 三公 lines in a 三公经费表, rows laid out either way."""
    rows: dict[str, Row] = {}
    for row in table.rows:
        key = sangong_key(row.label)
        if key and key not in rows:
            rows[key] = row
    if "abroad" in rows or "reception" in rows or "car" in rows:
        out = []
        for col in table.value_columns():
            if structure.is_ratio_column(col):
                continue  # 增减率, 占比: rates of the items, never added up
            cells = {k: r.cells[col.index] for k, r in rows.items() if col.index < len(r.cells)}
            out.append(SangongGroup(cells, col.label))
        return out
    return _sangong_by_columns(table)


def _sangong_by_columns(table: Table) -> list[SangongGroup]:
    groups: dict[tuple[str, ...], dict[str, Column]] = {}
    for col in table.value_columns():
        if structure.is_ratio_column(col):
            continue
        path = [norm(p) for p in col.path if norm(p)]
        keys = [sangong_key(p) for p in path]
        at = next((i for i, k in enumerate(keys) if k not in (None, "total")), None)
        if at is None and len(path) > 1 and sangong_key("".join(path)) not in (None, "total"):
            # a caption wrapped over two header rows (公务接 / 待费): the parts read together
            path, keys = ["".join(path)], [sangong_key("".join(path))]
            at = 0
        if at is None:
            if not keys or keys[-1] != "total":
                continue
            at, item = len(path) - 1, "total"
        else:
            item = keys[at]
            if item == "car" and at + 1 < len(path):
                if keys[at + 1] in ("car_purchase", "car_running"):
                    item = keys[at + 1]
                elif bare(path[at + 1]) not in ("小计", "合计"):
                    continue
        prefix = tuple(p for p, k in zip(path[:at], keys[:at]) if k != "total")
        if item == "total" and any("三公" in p for p in path):
            # the 小计 under a “三公”经费 heading, not a 合计 that also covers 会议费 and 培训费
            groups.setdefault(prefix, {})[item] = col
            continue
        groups.setdefault(prefix, {}).setdefault(item, col)
    out = []
    for prefix, cols in groups.items():
        if not ({"abroad", "reception", "car"} & cols.keys()):
            continue
        for row in table.rows:
            cells = {k: row.cells[c.index] for k, c in cols.items() if c.index < len(row.cells)}
            if not any(c.value is not None for c in cells.values()):
                continue
            out.append(SangongGroup(cells, " / ".join([*prefix, row.label]).strip(" /"), "columns"))
    return out
