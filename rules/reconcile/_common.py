"""Helpers shared by the rules of family X (reconcile).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from budgetlint.model import Cell, Column, Document, Row, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.understand import lookup as tb


BUDGET_KINDS = (
    "budget.summary", "budget.income", "budget.expenditure", "budget.fiscal_summary", "budget.gpb_expenditure",
    "budget.gpb_basic", "budget.gpb_project", "budget.gov_fund", "budget.state_capital", "budget.sangong",
)

_KEY_NAMES = {
    "total": ("收入总计", "total income"),
    "gpb": ("一般公共预算", "general public budget"),
    "fund": ("政府性基金预算", "government fund budget"),
    "soe": ("国有资本经营预算", "state capital operation budget"),
    "fiscal": ("财政拨款（补助）", "fiscal appropriation"),
    "special": ("财政专户管理资金", "special fiscal account funds"),
    "unit": ("单位资金", "unit funds"),
    "carry": ("上年结转结余", "carry-over from last year"),
    "carry_fiscal": ("财政拨款结转", "fiscal carry-over"),
    "carry_nonfiscal": ("非财政拨款结转结余", "non-fiscal carry-over"),
    "transfer_gpb": ("上级一般公共预算转移支付", "general budget transfers from above"),
    "transfer_fund": ("上级政府性基金转移支付", "fund transfers from above"),
    "transfer_soe": ("上级国有资本经营预算转移支付", "state capital transfers from above"),
    "business": ("事业收入", "service revenue"),
    "operating": ("事业单位经营收入", "operating revenue"),
    "upper_subsidy": ("上级补助收入", "subsidies from above"),
    "affiliated": ("附属单位上缴收入", "remittances from affiliates"),
    "other": ("其他收入", "other income"),
}


def _sets(doc: Document) -> list[dict[str, Table]]:
    return tb.table_sets(doc, BUDGET_KINDS)


@dataclass(slots=True)
class VehicleRunning:
    """The 三公 table's 公务用车运行费 of one table set, and the project table's own column for it, if any."""

    target: Cell
    sangong: Table
    projects: Table | None
    column: Column | None


def vehicle_running(doc: Document) -> Iterator[VehicleRunning]:
    """Each table set's 公务用车运行费 (X309 checks it against the project table, N610 against the prose)."""
    for s in _sets(doc):
        t10 = s.get("budget.sangong")
        target = tb.vehicle_running_cell(t10) if t10 is not None else None
        if t10 is None or target is None:
            continue
        t7 = s.get("budget.gpb_project")
        col = tb.find_column(t7.value_columns(), "公务用车运行") if t7 is not None else None
        yield VehicleRunning(target, t10, t7, col)


def _code_table(t: Table | None) -> Table | None:
    """A code-by-row table (收入总表, 支出总表…); the final-accounts one-sided tables do not count."""
    return t if t is not None and tb.has_codes(t) else None


def _rl(table: Table, row: Row, label_col: int | None = None) -> str:
    lab = tb.row_label(table, row, label_col)
    code, name = tb.label_code(lab)
    return f"{row.code or code or ''} {name}".strip() if (row.code or code) else tb.norm(lab)


def _eq(rule: Rule, a: Cell, b: Cell | list[Cell], zh: str, en: str, *, relation: str = "=", severity: str | None = None,
        labels: list[str] | None = None) -> Identity:
    cells = b if isinstance(b, list) else [b]
    terms = [Term(c, label=(labels[i] if labels else None)) for i, c in enumerate(cells)]
    return Identity(rule, a, terms, relation=relation, what=Msg(zh, en), severity=severity)


def _missing(rule: Rule, doc: Document, ctx: Context, cell: Cell, here: Table, label: str, other: Table) -> Yielded:
    return ctx.finding(
        rule, doc, cell,
        Msg("{here}“{label}”为 {amount}，但{other}中没有该科目的行",
            "{here} “{label}” is {amount} but {other} has no row for that code"),
        severity="warning", actual=cell.value, here=tb.table_name(here), label=label, amount=cell.value,
        other=tb.table_name(other),
    )


def _by_code(rule: Rule, doc: Document, ctx: Context, a: Table, a_rows: dict[str, Row], a_col: Column, a_label_col: int | None,
             b: Table, b_rows: dict[str, Row], b_col: Column, zh_rel: str, en_rel: str, relation: str = "=",
             report_missing_b: bool = True, report_missing_a: bool = True) -> Iterator[Yielded]:
    """``a[code] (relation) b[code]`` for every code of either table; unmatched amounts are warnings."""
    an, bn = tb.table_name(a), tb.table_name(b)
    b_depths = {len(c) for c in b_rows}
    a_depths = {len(c) for c in a_rows}
    for code, row in a_rows.items():
        cell = row.cells[a_col.index]
        other = b_rows.get(code)
        label = _rl(a, row, a_label_col)
        if other is None:
            if report_missing_b and tb.nonzero(cell) and len(code) in b_depths:
                yield _missing(rule, doc, ctx, cell, a, label, b)
            continue
        yield _eq(
            rule, cell, other.cells[b_col.index],
            f"{an}“{label}”{a_col.leaf or a_col.label}应{zh_rel}{bn}同一科目的{b_col.leaf or b_col.label}",
            f"{an} “{label}” {a_col.leaf or a_col.label} must {en_rel} {bn} {b_col.leaf or b_col.label} of the same code",
            relation=relation,
        )
    if report_missing_a:
        for code, row in b_rows.items():
            if code not in a_rows and len(code) in a_depths and tb.nonzero(row.cells[b_col.index]):
                yield _missing(rule, doc, ctx, row.cells[b_col.index], b, _rl(b, row), a)


def _amount_column(table: Table) -> Column | None:
    """The total-amount column of a one-sided table: 合计/总计 (or the only value column)."""
    cols = table.value_columns()
    for c in cols:
        lf = tb.leaf(c)
        if lf in ("合计", "总计", "项目支出合计", "支出合计", "金额", "预算数", "合计金额"):
            return c
    for c in cols:
        if tb.leaf(c).endswith(("合计", "总计")):
            return c
    return cols[0] if len(cols) == 1 else None


def income_total_like(col: Column) -> bool:
    return tb.leaf(col) in ("总计", "合计", "收入总计", "收入合计")


# ---------------------------------------------------------------- X304

_FISCAL_KEYS = ("total", "fiscal", "gpb", "fund", "soe", "transfer_gpb", "transfer_fund", "transfer_soe", "carry", "carry_fiscal")


def _with_total(cells: dict[str, list[Cell]]) -> dict[str, list[Cell]]:
    """The fiscal 收入总计: 财政拨款（补助） (or its three sources) plus 财政拨款结转."""
    fiscal = cells.get("fiscal") or [c for k in ("gpb", "fund", "soe") for c in cells.get(k, [])]
    out = dict(cells)
    out.pop("total", None)
    if fiscal:
        out["total"] = list(fiscal) + cells.get("carry_fiscal", [])
    return out


# ---------------------------------------------------------------- X305

_SOURCES = (
    ("一般公共预算", "budget.gpb_expenditure"),
    ("政府性基金", "budget.gov_fund"),
    ("国有资本经营", "budget.state_capital"),
)


def _class_rows_by_unit(t7: Table, col7: Column) -> dict[str, list[Cell]]:
    """The 类 rows of a 项目支出表 whose 类 → 款 → 项 chain repeats under every unit row.

    Only when every 类 row sits inside a unit block, once per block: a table
    that prints 类 subtotals across units as well would count them twice.
    """
    out: dict[str, list[Cell]] = {}
    in_unit = False
    seen: set[str] = set()
    for row in t7.rows:
        if row.kind == "total":
            continue
        if not row.code:
            if row.label and tb.nonzero(row.cells[col7.index]):
                in_unit, seen = True, set()
            continue
        if len(row.code) != 3:
            continue
        if not in_unit or row.code in seen:
            return {}
        seen.add(row.code)
        out.setdefault(row.code, []).append(row.cells[col7.index])
    return out


def _final_accounts(t: Table) -> bool:
    return "决算" in tb.norm(t.title)


# ---------------------------------------------------------------- X308

DEFAULT_SANGONG_CODES = {"abroad": "30212", "reception": "30217", "car_running": "30231"}
_SANGONG_NAMES = {"abroad": "因公出国（境）费", "reception": "公务接待费", "car_running": "公务用车运行费"}


# ---------------------------------------------------------------- X310

# a sentence saying the table is empty: 空表, 没有…, 无政府性基金预算, 未安排…, or its amount stated as 0
_EMPTY_WORDS = re.compile(
    r"空表|没有|未安排|未使用|不涉及|未发生|[数额]为零|说明[:：]?无(?:[。；;]|$)"
    r"|无[^，。]{0,16}(?:收入|支出|安排|数据|收支|拨款|预算|决算)|(?:支出|安排|预算)[^，。\d]{0,6}(?<![\d.])0(?:\.0+)?万?元"
)
_SUBJECT = {"budget.gov_fund": "政府性基金", "budget.state_capital": "国有资本经营"}
