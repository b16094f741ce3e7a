"""Helpers shared by the rules of family B (balance).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

from budgetlint.model import Cell, Column, Document, Row, Table
from budgetlint.rule import Msg
from budgetlint.understand import lookup as tb


TWO_SIDED_KINDS = ("budget.summary", "budget.fiscal_summary")


# ---------------------------------------------------------------- B301


class _Lines:
    """The rows a balance needs, found by label on one side."""

    def __init__(self, side: tb.Side) -> None:
        self.side = side
        self.total: Row | None = None
        self.current: Row | None = None
        self.carry: list[Row] = []
        self.fund: Row | None = None  # 用事业基金弥补收支差额
        self.distribution: Row | None = None  # 结余分配
        self.closing: Row | None = None  # 年末结转和结余
        self.numbered: list[Row] = []
        self._read()

    def _read(self) -> None:
        inc = self.side.kind == "income"
        carry_parts: list[Row] = []
        for row, lab in self.side.rows():
            b = tb.bare(lab)
            if inc:
                if self.total is None and b in ("收入总计", "总计", "收入合计总计"):
                    self.total = row
                    break
                key = tb.income_key(lab)
                if key == "current" and self.current is None:
                    self.current = row
                elif key == "carry" and not self.carry:
                    self.carry = [row]
                elif key in ("carry_fiscal", "carry_nonfiscal") and not tb.is_of_which(lab):
                    carry_parts.append(row)
                elif "用事业基金弥补" in b and self.fund is None:
                    self.fund = row
                if row.indent == 1 and row.kind != "total":
                    self.numbered.append(row)
            else:
                if self.total is None and b in ("支出总计", "总计"):
                    self.total = row
                    break
                if b.startswith("本年支出") and self.current is None:
                    self.current = row
                elif b.startswith("结余分配") and self.distribution is None:
                    self.distribution = row
                elif b in ("年末结转和结余", "年末结转结余", "年末结余", "年末结转") and self.closing is None:
                    self.closing = row
        if inc and not self.carry and carry_parts:
            # 上年结转 printed only as its two parts, without a parent line
            seen = {tb.income_key(tb.row_label(self.side.table, r, self.side.label_col)) for r in carry_parts}
            if len(seen) == len(carry_parts):
                self.carry = carry_parts


def _split_pairs(doc: Document) -> list[tuple[Table, Table]]:
    """Final accounts printing 收入 and 支出 as two tables (收入决算表 + 支出决算表)."""
    out = []
    for group in tb.table_sets(doc, ("budget.income", "budget.expenditure")):
        inc, exp = group.get("budget.income"), group.get("budget.expenditure")
        if inc is None or exp is None or tb.has_codes(inc) or tb.has_codes(exp):
            continue
        if not any(tb.bare(r.label).startswith("本年收入") for r in inc.rows):
            continue
        if not any(tb.bare(r.label).startswith("本年支出") for r in exp.rows):
            continue
        out.append((inc, exp))
    return out


def _c(row: Row, col: Column) -> Cell:
    return row.cells[col.index]


def _short(side: tb.Side, row: Row) -> str:
    return tb.bare(tb.row_label(side.table, row, side.label_col)) or row.label


def _both(iname: str, ename: str, same: bool, a: str, b: str, rel: str, col: str) -> Msg:
    if same:
        return Msg(f"{iname}{a}应{rel}{b}（{col}栏）", f"{iname}: {a} must equal {b} ({col})")
    return Msg(f"{iname}{a}应{rel}{ename}{b}（{col}栏）", f"{iname} {a} must equal {ename} {b} ({col})")
