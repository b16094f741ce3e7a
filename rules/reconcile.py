"""Family X: tables of one document that must agree with each other.

Tables are paired by kind (收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算
支出/基本支出/项目支出表, 政府性基金 and 国有资本经营预算支出表, 三公经费表), lines by
classification code or by the template's line names.  Every identity has its
total in one table and its terms in the other, so a finding names both places.
A table that is absent is never an error (many regions publish fewer tables);
an amount whose partner row is missing from a table that is present is a
warning.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Iterator

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


# ---------------------------------------------------------------- X301


class SummaryIncome(Rule):
    """收支总表 income lines agree with 收入总表.

    **What it does**: compares every income line of the 收支总表 (一般公共预算拨款,
    政府性基金预算拨款, 国有资本经营预算拨款, 财政专户管理资金, 单位资金, 上年结转结余 and
    its parts, 收入总计) with the same funding source on the 总计 row of the 收入总表.

    **Why it matters**: both tables show the same income by source; a
    difference means one of them was not updated.

    **Example** (万元)::

        wrong:  表1 单位资金 350.00   表2 总计行 单位资金 305.00
        right:  表1 单位资金 350.00   表2 总计行 单位资金 350.00
    """

    code = "X301"
    name = "summary-income-match"
    severity = "error"
    summary = Msg("收支总表收入项与收入总表一致", "summary income lines match the income table")
    title_zh = "收支总表与收入总表"
    doc_zh = """
    收支总表的收入项与收入总表一致。

    **作用**：把收支总表收入侧各项（一般公共预算、政府性基金、单位资金等）与收入总表总计行的同名栏比较。

    **原因**：同一文件的两张表对同一收入给出不同数字，至少有一张是错的。

    **示例**（万元）：错误：表 1 单位资金 350.00，表 2 总计行单位资金 305.00。正确：两处都是 350.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t1, t2 = s.get("budget.summary"), _code_table(s.get("budget.income"))
            if t1 is None or t2 is None:
                continue
            inc, _ = tb.sides(t1)
            total = tb.total_row(t2)
            col1 = tb.current_column(inc.columns) if inc is not None else None
            if inc is None or total is None or col1 is None:
                continue
            lines = tb.income_lines(inc)
            cols = tb.income_columns(t2.value_columns())
            if "total" not in cols:
                main = tb.main_column(t2)
                if main is not None and income_total_like(main):
                    cols["total"] = main
            n1, n2 = tb.table_name(t1), tb.table_name(t2)
            for key, row in lines.items():
                if key == "current":
                    continue
                c1 = row.cells[col1.index]
                lab = tb.bare(tb.row_label(t1, row, inc.label_col))
                if key == "carry" and key not in cols:
                    parts = [cols[k] for k in ("carry_fiscal", "carry_nonfiscal") if k in cols]
                    if len(parts) == 2:
                        yield _eq(
                            self, c1, [total.cells[c.index] for c in parts],
                            f"{n1}“{lab}”应等于{n2}总计行“财政拨款结转”＋“非财政拨款结转结余”",
                            f"{n1} “{lab}” must equal {n2} total row 财政拨款结转 + 非财政拨款结转结余",
                        )
                    continue
                col2 = cols.get(key)
                if col2 is None:
                    continue
                yield _eq(
                    self, c1, total.cells[col2.index],
                    f"{n1}“{lab}”应等于{n2}总计行“{col2.leaf}”栏",
                    f"{n1} “{lab}” must equal {n2} total row, column {col2.leaf}",
                )


def income_total_like(col: Column) -> bool:
    return tb.leaf(col) in ("总计", "合计", "收入总计", "收入合计")


# ---------------------------------------------------------------- X302


class SummaryExpenditure(Rule):
    """收支总表 expenditure by 类 agrees with 支出总表.

    **What it does**: each 功能分类 类 line on the 支出 side of the 收支总表 must
    equal the 合计 of the same 类 in the 支出总表, and 支出总计 must equal the
    支出总表's 总计.  Lines are matched by code (``208``), or by the exact 类
    name where the 收支总表 prints no codes.

    **Why it matters**: the 收支总表 summarises the 支出总表; a 类 that differs
    was changed in one table only.

    **Example** (万元)::

        wrong:  表1 220 自然资源海洋气象等支出 14,083.33   表3 220 合计 13,724.33
        right:  表1 220 自然资源海洋气象等支出 14,083.33   表3 220 合计 14,083.33
    """

    code = "X302"
    name = "summary-expenditure-match"
    severity = "error"
    summary = Msg("收支总表支出按类与支出总表一致", "summary expenditure by class matches the expenditure table")
    title_zh = "收支总表与支出总表"
    doc_zh = """
    收支总表按类列示的支出与支出总表一致。

    **作用**：把收支总表支出侧按功能分类类级列示的金额与支出总表同一科目的合计比较。

    **原因**：两表按科目的支出不一致，说明某张表的科目金额录错或漏更新。

    **示例**（万元）：错误：表 1 220 自然资源海洋气象等支出 14,083.33，表 3 220 合计 13,724.33。正确：两处都是 14,083.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t1, t3 = s.get("budget.summary"), _code_table(s.get("budget.expenditure"))
            if t1 is None or t3 is None:
                continue
            _, exp = tb.sides(t1)
            col3 = _amount_column(t3)
            col1 = tb.current_column(exp.columns, t3.value_columns()) if exp is not None else None
            if exp is None or col1 is None or col3 is None:
                continue
            n1, n3 = tb.table_name(t1), tb.table_name(t3)
            classes3 = {c: r for c, r in tb.code_rows(t3).items() if len(c) == 3}
            names3 = {tb.norm(r.label): r for r in classes3.values()}
            rows1: dict[str, Row] = {}
            total1 = year1 = None
            for row, lab in exp.rows():
                b = tb.bare(lab)
                if b in ("本年支出合计", "本年支出小计") and year1 is None:
                    year1 = row  # 支出总计 adds 年末结转结余, which the 支出总表 does not hold
                    continue
                if b in ("支出总计", "总计") and total1 is None:
                    total1 = row
                    continue
                code, name = tb.label_code(lab)
                code = code or row.code
                if code is None and tb.bare(name) in names3:
                    code = names3[tb.bare(name)].code
                if code and len(code) == 3 and code not in rows1:
                    rows1[code] = row
            yield from _by_code(
                self, doc, ctx, t1, rows1, col1, exp.label_col, t3, classes3, col3, "等于", "equal",
                report_missing_a=bool(rows1),
            )
            total3 = tb.total_row(t3)
            if year1 is not None and total3 is not None:
                yield _eq(
                    self, year1.cells[col1.index], total3.cells[col3.index],
                    f"{n1}本年支出合计应等于{n3}总计（{col3.leaf}栏）", f"{n1} expenditure of the year must equal {n3} total ({col3.leaf})",
                )
            elif total1 is not None and total3 is not None:
                yield _eq(
                    self, total1.cells[col1.index], total3.cells[col3.index],
                    f"{n1}支出总计应等于{n3}总计（{col3.leaf}栏）", f"{n1} total expenditure must equal {n3} total ({col3.leaf})",
                )


# ---------------------------------------------------------------- X303


class IncomeExpenditure(Rule):
    """收入总表 and 支出总表 agree code by code.

    **What it does**: for every 功能分类 code (类, 款 and 项) the 总计 of the
    收入总表 must equal the 合计 of the 支出总表, and the two 总计 rows must agree.

    **Why it matters**: income and expenditure are the same money seen by
    source and by use; per code they must match.

    **Example** (万元)::

        wrong:  表2 2200101 行政运行 总计 8,954.33   表3 2200101 合计 8,944.33
        right:  表2 2200101 行政运行 总计 8,954.33   表3 2200101 合计 8,954.33
    """

    code = "X303"
    name = "income-expenditure-match"
    severity = "error"
    summary = Msg("收入总表与支出总表按科目一致", "income and expenditure tables agree by code")
    title_zh = "收入总表与支出总表"
    doc_zh = """
    收入总表与支出总表按科目一致。

    **作用**：对每个功能分类科目（类、款、项），收入总表的总计须等于支出总表的合计，两表的总计行也须一致。

    **原因**：按科目收支不一致，说明某个科目的金额在一张表中录错。

    **示例**（万元）：错误：表 2 2200101 行政运行 总计 8,954.33，表 3 2200101 合计 8,944.33。正确：两处都是 8,954.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t2, t3 = _code_table(s.get("budget.income")), _code_table(s.get("budget.expenditure"))
            if t2 is None or t3 is None or _final_accounts(t2) or _final_accounts(t3):
                continue  # in final accounts a code's income and spending differ by its balance
            c2, c3 = _amount_column(t2), _amount_column(t3)
            if c2 is None or c3 is None:
                continue
            yield from _by_code(self, doc, ctx, t2, tb.code_rows(t2), c2, None, t3, tb.code_rows(t3), c3, "等于", "equal")
            r2, r3 = tb.total_row(t2), tb.total_row(t3)
            if r2 is not None and r3 is not None:
                n2, n3 = tb.table_name(t2), tb.table_name(t3)
                yield _eq(self, r2.cells[c2.index], r3.cells[c3.index],
                          f"{n2}总计应等于{n3}总计", f"{n2} total must equal {n3} total")


# ---------------------------------------------------------------- X304

_FISCAL_KEYS = ("total", "fiscal", "gpb", "fund", "soe", "transfer_gpb", "transfer_fund", "transfer_soe", "carry", "carry_fiscal")


class FiscalIncome(Rule):
    """财政拨款收支总表 income agrees with the 财政拨款 lines of 收入总表 / 收支总表.

    **What it does**: each income line of the 财政拨款收支总表 (财政拨款（补助）,
    一般公共预算, 政府性基金预算, 国有资本经营预算, 上年结转, 收入总计) must equal the
    same source on the 总计 row of the 收入总表 (or, without a 收入总表, the
    matching line of the 收支总表).  Its 收入总计 is 财政拨款 plus 财政拨款结转 only.

    **Why it matters**: the 财政拨款收支总表 is the fiscal part of the whole
    budget; its income cannot differ from the same money shown elsewhere.

    **Example** (万元)::

        wrong:  表4 一般公共预算 17,439.16   表2 总计行 一般公共预算 17,439.61
        right:  表4 一般公共预算 17,439.61   表2 总计行 一般公共预算 17,439.61
    """

    code = "X304"
    name = "fiscal-income-match"
    severity = "error"
    summary = Msg("财政拨款收支总表收入与收入总表一致", "fiscal summary income matches the income table")
    title_zh = "财政拨款收入"
    doc_zh = """
    财政拨款收支总表的收入与收入总表（收支总表）的财政拨款各项一致。

    **作用**：把财政拨款收支总表收入侧的一般公共预算、政府性基金、国有资本经营预算与收入总表、收支总表的相应金额比较。

    **原因**：财政拨款收入在不同表中不一致，说明某张表录错。

    **示例**（万元）：错误：表 4 一般公共预算 17,439.16，表 2 总计行一般公共预算 17,439.61。正确：两处都是 17,439.61。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t4 = s.get("budget.fiscal_summary")
            if t4 is None:
                continue
            inc4, _ = tb.sides(t4)
            col4 = tb.current_column(inc4.columns) if inc4 is not None else None
            if inc4 is None or col4 is None:
                continue
            lines4 = {("carry_fiscal" if k == "carry" else k): r for k, r in tb.income_lines(inc4).items() if k in _FISCAL_KEYS}
            ref = self._reference(s)
            if ref is None:
                continue
            rname, cells = ref
            n4 = tb.table_name(t4)
            for key, row in lines4.items():
                target = cells.get(key)
                if not target:
                    continue
                lab = tb.bare(tb.row_label(t4, row, inc4.label_col))
                what = _KEY_NAMES.get(key, (key, key))
                zh_t = "财政拨款（补助）＋财政拨款结转" if key == "total" else what[0]
                en_t = "fiscal appropriation + fiscal carry-over" if key == "total" else what[1]
                yield _eq(self, row.cells[col4.index], target, f"{n4}“{lab}”应等于{rname}的{zh_t}",
                          f"{n4} “{lab}” must equal {en_t} in {rname}")

    @staticmethod
    def _reference(s: dict[str, Table]) -> tuple[str, dict[str, list[Cell]]] | None:
        t2 = _code_table(s.get("budget.income"))
        if t2 is not None:
            total = tb.total_row(t2)
            if total is None:
                return None
            cols = tb.income_columns(t2.value_columns())
            cells = {k: [total.cells[c.index]] for k, c in cols.items()}
            return tb.table_name(t2) + "总计行", _with_total(cells)
        t1 = s.get("budget.summary")
        if t1 is None:
            return None
        inc, _ = tb.sides(t1)
        col = tb.current_column(inc.columns) if inc is not None else None
        if inc is None or col is None:
            return None
        cells = {k: [r.cells[col.index]] for k, r in tb.income_lines(inc).items()}
        cells.pop("total", None)
        return tb.table_name(t1), _with_total(cells)


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


class FiscalExpenditure(Rule):
    """财政拨款收支总表 expenditure by source agrees with the source's own table.

    **What it does**: on the 支出 side of the 财政拨款收支总表, the 一般公共预算
    column must equal the 一般公共预算支出表, the 政府性基金预算 column the
    政府性基金预算支出表 and the 国有资本经营预算 column the 国有资本经营预算支出表 —
    per 功能分类 code and in 支出总计.  An empty source table stands for zero.

    **Why it matters**: each source table details one column of the
    财政拨款收支总表; a difference means the detail and the summary disagree.

    **Example** (万元)::

        wrong:  表4 220 一般公共预算 13,724.33   表5 220 合计 13,742.33
        right:  表4 220 一般公共预算 13,724.33   表5 220 合计 13,724.33
    """

    code = "X305"
    name = "fiscal-expenditure-match"
    severity = "error"
    summary = Msg("财政拨款收支总表支出与分资金来源的支出表一致", "fiscal summary expenditure matches the per-source tables")
    title_zh = "财政拨款支出"
    doc_zh = """
    财政拨款收支总表按资金来源的支出与该来源的支出表一致。

    **作用**：把财政拨款收支总表中一般公共预算、政府性基金等各来源按科目的支出，与该来源自己的支出表比较。

    **原因**：同一来源同一科目的支出在两表中不同，说明某处录错。

    **示例**（万元）：错误：表 4 220 一般公共预算 13,724.33，表 5 220 合计 13,742.33。正确：两处都是 13,724.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t4 = s.get("budget.fiscal_summary")
            if t4 is None:
                continue
            _, exp = tb.sides(t4)
            if exp is None:
                continue
            rows4: dict[str, Row] = {}
            total4 = None
            for row, lab in exp.rows():
                if tb.bare(lab) in ("支出总计", "总计") and total4 is None:
                    total4 = row
                    continue
                code, _ = tb.label_code(lab)
                code = code or row.code
                if code and code not in rows4:
                    rows4[code] = row
            n4 = tb.table_name(t4)
            for word, kind in _SOURCES:
                col4 = tb.find_column(exp.columns, word)
                target = s.get(kind)
                if col4 is None or target is None:
                    continue
                tn = tb.table_name(target)
                col = _amount_column(target)
                ttotal = tb.total_row(target)
                if tb.is_empty(target) or col is None or ttotal is None:
                    if total4 is not None and tb.nonzero(total4.cells[col4.index]):
                        cell = total4.cells[col4.index]
                        yield ctx.finding(
                            self, doc, cell,
                            Msg("{t4}支出总计“{col}”为 {amount}，但{t}为空表", "{t4} total expenditure “{col}” is {amount} but {t} is empty"),
                            expected=Decimal(0), actual=cell.value, t4=n4, col=col4.leaf, amount=cell.value, t=tn,
                        )
                    continue
                yield from _by_code(self, doc, ctx, t4, rows4, col4, exp.label_col, target, tb.code_rows(target), col,
                                    "等于", "equal")
                if total4 is not None:
                    yield _eq(self, total4.cells[col4.index], ttotal.cells[col.index],
                              f"{n4}支出总计“{col4.leaf}”应等于{tn}总计", f"{n4} total expenditure “{col4.leaf}” must equal {tn} total")


# ---------------------------------------------------------------- X306


class GpbBreakdown(Rule):
    """一般公共预算支出表 基本支出 / 项目支出 agree with their detail tables.

    **What it does**: the 基本支出 of the 一般公共预算支出表 总计 must equal the
    合计 of the 一般公共预算基本支出表, and its 项目支出 the 合计 of the 项目支出表;
    per 功能分类 类, 项目支出 must equal the sum of that 类's rows in the 项目支出表
    (one per unit block).

    **Why it matters**: the detail tables split the same money by economic
    classification and by project; their totals must be the summary's.

    **Example** (万元)::

        wrong:  表5 总计 基本支出 12,659.61   表6 总计 合计 12,695.61
        right:  表5 总计 基本支出 12,659.61   表6 总计 合计 12,659.61
    """

    code = "X306"
    name = "gpb-breakdown-match"
    severity = "error"
    summary = Msg("一般公共预算支出表与基本支出表、项目支出表一致", "general budget expenditure matches its basic and project tables")
    title_zh = "一般公共预算支出构成"
    doc_zh = """
    一般公共预算支出表的基本支出、项目支出与其明细表一致。

    **作用**：把一般公共预算支出表总计行的基本支出与基本支出表的总计、项目支出与项目支出表的合计比较。

    **原因**：汇总表与明细表不一致，说明明细表或汇总表有一处录错。

    **示例**（万元）：错误：表 5 总计基本支出 12,659.61，表 6 总计合计 12,695.61。正确：两处都是 12,659.61。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t5 = _code_table(s.get("budget.gpb_expenditure"))
            if t5 is None:
                continue
            total5 = tb.total_row(t5)
            n5 = tb.table_name(t5)
            for word, kind in (("基本支出", "budget.gpb_basic"), ("项目支出", "budget.gpb_project")):
                col5 = tb.find_column(t5.value_columns(), word)
                other = s.get(kind)
                if col5 is None or other is None:
                    continue
                col = _amount_column(other)
                if col is None:
                    continue
                on = tb.table_name(other)
                ototal = tb.total_row(other)
                if total5 is not None and ototal is not None:
                    yield _eq(self, total5.cells[col5.index], ototal.cells[col.index],
                              f"{n5}总计“{word}”应等于{on}总计", f"{n5} total “{word}” must equal {on} total")
                if kind == "budget.gpb_project" and tb.has_codes(other):
                    yield from self._per_class(t5, col5, other, col)

    def _per_class(self, t5: Table, col5: Column, t7: Table, col7: Column) -> Iterator[Identity]:
        blocks = _class_rows_by_unit(t7, col7)
        n5, n7 = tb.table_name(t5), tb.table_name(t7)
        for code, row in tb.code_rows(t5).items():
            if len(code) != 3 or code not in blocks:
                continue
            yield _eq(self, row.cells[col5.index], blocks[code],
                      f"{n5}“{_rl(t5, row)}”项目支出应等于{n7}各单位该类之和",
                      f"{n5} “{_rl(t5, row)}” project expenditure must equal the sum of that class over the units of {n7}")


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


# ---------------------------------------------------------------- X307


class GpbWithinExpenditure(Rule):
    """一般公共预算 spending per code does not exceed the whole 支出总表.

    **What it does**: the 一般公共预算支出表 is one funding source of the
    支出总表, so for every 功能分类 code, and in 合计, 基本支出 and 项目支出 alike,
    its amount must be at most the 支出总表's amount for that code.

    **Why it matters**: a part larger than its whole means a code was
    mistyped or an amount moved to the wrong line.

    **Example** (万元)::

        wrong:  表5 2200199 项目支出 4,780.00   表3 2200199 项目支出 4,708.00
        right:  表5 2200199 项目支出 4,780.00   表3 2200199 项目支出 5,129.00
    """

    code = "X307"
    name = "gpb-within-expenditure"
    severity = "error"
    summary = Msg("一般公共预算支出不超过支出总表同一科目", "general budget spending per code is at most the expenditure table's")
    title_zh = "一般公共预算不超过总支出"
    doc_zh = """
    一般公共预算支出按科目不超过支出总表同一科目。

    **作用**：逐个科目检查一般公共预算支出表的金额不大于支出总表中同一科目的金额（一般公共预算只是全部支出的一部分）。

    **原因**：部分大于整体，说明某张表中该科目金额录错。

    **示例**（万元）：错误：表 5 2200199 项目支出 4,780.00，表 3 2200199 项目支出 4,708.00。正确：表 3 为 5,129.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t5, t3 = _code_table(s.get("budget.gpb_expenditure")), _code_table(s.get("budget.expenditure"))
            if t5 is None or t3 is None:
                continue
            rows5, rows3 = tb.code_rows(t5), tb.code_rows(t3)
            total5, total3 = tb.total_row(t5), tb.total_row(t3)
            n5, n3 = tb.table_name(t5), tb.table_name(t3)
            first = True
            for c5 in t5.value_columns():
                c3 = next((c for c in t3.value_columns() if tb.leaf(c) == tb.leaf(c5)), None)
                if c3 is None:
                    continue
                yield from _by_code(self, doc, ctx, t5, rows5, c5, None, t3, rows3, c3, "不大于", "be at most",
                                    relation="<=", report_missing_b=first, report_missing_a=False)
                first = False
                if total5 is not None and total3 is not None:
                    yield _eq(self, total5.cells[c5.index], total3.cells[c3.index],
                              f"{n5}总计“{c5.leaf}”应不大于{n3}总计", f"{n5} total “{c5.leaf}” must be at most {n3} total",
                              relation="<=")


# ---------------------------------------------------------------- X308

DEFAULT_SANGONG_CODES = {"abroad": "30212", "reception": "30217", "car_running": "30231"}
_SANGONG_NAMES = {"abroad": "因公出国（境）费", "reception": "公务接待费", "car_running": "公务用车运行费"}


class BasicWithinSangong(Rule):
    """基本支出 economic items stay within the matching 三公 items.

    **What it does**: in the 一般公共预算基本支出表, 30212 因公出国（境）费用,
    30217 公务接待费 and 30231 公务用车运行维护费 must each be at most the matching
    item of the “三公”经费表 (三公 also includes project spending, so only ≤
    holds).  The codes are a convention (部门预算经济分类) and can be changed
    with ``reconcile.sangong_codes``.

    **Why it matters**: 三公经费 must include every such expense; a basic-spending
    line above it means the 三公 table understates them.

    **Example** (万元)::

        wrong:  表6 30217 公务接待费 3.00   表10 公务接待费 2.00
        right:  表6 30217 公务接待费 2.00   表10 公务接待费 2.00
    """

    code = "X308"
    name = "basic-within-sangong"
    severity = "error"
    summary = Msg("基本支出中的三公科目不超过三公经费表", "basic-spending 三公 items are at most the 三公 table's")
    title_zh = "基本支出三公科目"
    doc_zh = """
    基本支出中的三公经济科目不超过三公经费表的相应项。

    **作用**：把基本支出表中公务接待费、因公出国（境）费用、公务用车运行维护费等经济科目与三公经费表的同名项比较，前者不得更大。

    **原因**：基本支出中的三公科目超过三公经费表，说明三公经费少报或科目录错。

    **示例**（万元）：错误：表 6 30217 公务接待费 3.00，表 10 公务接待费 2.00。正确：表 6 为 2.00。
    """
    config_keys = ("reconcile.sangong_codes",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        codes = {**DEFAULT_SANGONG_CODES, **(ctx.option("reconcile.sangong_codes") or {})}
        for s in _sets(doc):
            t6, t10 = s.get("budget.gpb_basic"), s.get("budget.sangong")
            if t6 is None or t10 is None:
                continue
            g = tb.main_sangong_group(tb.sangong_groups(t10))
            col6 = _amount_column(t6)
            if g is None or col6 is None:
                continue
            lines6 = tb.code_lines(t6, col6.index)  # every column group of economic classes
            n6, n10 = tb.table_name(t6), tb.table_name(t10)
            for item, code in codes.items():
                line, cell = lines6.get(str(code)), g.cells.get(item)
                if line is None or cell is None:
                    continue
                yield _eq(self, line.cell, cell,
                          f"{n6}“{line.display()}”应不大于{n10}“{_SANGONG_NAMES.get(item, item)}”",
                          f"{n6} “{line.display()}” must be at most {n10} {_SANGONG_NAMES.get(item, item)}",
                          relation="<=")


# ---------------------------------------------------------------- X309

_VEHICLE_ALLOC = re.compile(r"公务用车运行(?:维护|维修)?费\s*[:：为]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|万|元)")


class VehicleRunningAllocations(Rule):
    """三公 公务用车运行费 covers the project money allocated to vehicle running.

    **What it does**: adds up the project allocations named 公务用车运行维护费 —
    a 项目支出表 column of that name, or else the amounts in the project
    write-ups' 资金分配情况 sentences — and checks that the 三公 table's
    公务用车运行费 is at least that sum.  A warning: vehicle categories are often
    mislabelled in allocation lists.

    **Why it matters**: 三公经费 must include vehicle running costs paid from
    projects too; allocations above it mean the 三公 table or the allocation
    lists are wrong.

    **Example** (万元)::

        wrong:  表10 公务用车运行费 18.00; 资金分配情况：… 公务用车运行维护费 18 万元 …;
                另一项目：… 公务用车运行维护费 3 万元 …   (21 > 18)
        right:  表10 公务用车运行费 21.00
    """

    code = "X309"
    name = "vehicle-running-allocations"
    severity = "warning"
    summary = Msg("三公公务用车运行费不少于项目中的公务用车运行维护费", "三公 vehicle running covers project vehicle allocations")
    title_zh = "公务用车运行费"
    doc_zh = """
    三公经费表的公务用车运行费不少于各项目中安排的公务用车运行维护费。

    **作用**：把各项目中安排的公务用车运行维护费相加（项目支出表中同名的栏，或项目说明“资金分配情况”中的金额），
    检查三公经费表的公务用车运行费不少于这一合计。车辆类别在分配清单中常被写错，所以只报警告。

    **原因**：项目中安排的车辆运行费超过三公经费表的数额，说明三公经费少报。

    **示例**（万元）：错误：表 10 公务用车运行费 18.00，而两个项目分别安排 18 万元和 3 万元（21 > 18）。
    正确：表 10 公务用车运行费 21.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t10 = s.get("budget.sangong")
            if t10 is None:
                continue
            g = tb.main_sangong_group(tb.sangong_groups(t10))
            if g is None:
                continue
            target = g.cells.get("car_running") or g.cells.get("car")
            if target is None:
                continue
            n10 = tb.table_name(t10)
            t7 = s.get("budget.gpb_project")
            col = tb.find_column(t7.value_columns(), "公务用车运行") if t7 is not None else None
            if t7 is not None and col is not None:
                total7 = tb.total_row(t7)
                if total7 is None:
                    continue
                yield _eq(self, target, total7.cells[col.index],
                          f"{n10}公务用车运行费应不小于{tb.table_name(t7)}“{col.leaf}”总计",
                          f"{n10} vehicle running must be at least the {col.leaf} total of {tb.table_name(t7)}",
                          relation=">=", severity="warning")
                continue
            cells, labels = _prose_allocations(doc, target)
            if cells:
                yield _eq(self, target, cells,
                          f"{n10}公务用车运行费应不小于各项目资金分配情况中的公务用车运行维护费之和（{len(cells)} 处）",
                          f"{n10} vehicle running must be at least the sum of the 公务用车运行维护费 allocations in the project write-ups ({len(cells)})",
                          relation=">=", severity="warning", labels=labels)
            break  # prose belongs to the whole document: one 三公 table only


def _prose_allocations(doc: Document, like: Cell) -> tuple[list[Cell], list[str]]:
    """Amounts allocated to 公务用车运行维护费 in 资金分配 sentences, as located cells.

    Prose takes the tables' precision: "3 万元" stands for 3.00 ± 0.005 万元.
    """
    from budgetlint.numbers import is_approximate

    cells: list[Cell] = []
    labels: list[str] = []
    for p in doc.prose:
        text = p.text
        if "资金分配" not in text:
            continue
        for m in _VEHICLE_ALLOC.finditer(text):
            before = text[max(0, m.start() - 2):m.start()] + m.group(0) + text[m.end():m.end() + 2]
            if is_approximate(before):
                continue
            num = m.group(1).replace(",", "")
            value = Decimal(num)
            printed = len(num.split(".", 1)[1]) if "." in num else 0
            unit = "万元" if m.group(2) in ("万", "万元") else "元"
            decimals = max(printed, like.decimals) if unit == like.unit else printed
            cells.append(Cell(raw=m.group(0), loc=p.loc, value=value, decimals=decimals, blank=False, unit=unit))
            labels.append(f"资金分配情况：{m.group(0)}")
    return cells, labels


# ---------------------------------------------------------------- X310

# a sentence saying the table is empty: 空表, 没有…, 无政府性基金预算, 未安排…, or its amount stated as 0
_EMPTY_WORDS = re.compile(
    r"空表|没有|未安排|未使用|不涉及|未发生|[数额]为零|说明[:：]?无(?:[。；;]|$)"
    r"|无[^，。]{0,16}(?:收入|支出|安排|数据|收支|拨款|预算|决算)|(?:支出|安排|预算)[^，。\d]{0,6}(?<![\d.])0(?:\.0+)?万?元"
)
_SUBJECT = {"budget.gov_fund": "政府性基金", "budget.state_capital": "国有资本经营"}


class EmptyTableExplained(Rule):
    """An empty 政府性基金 / 国有资本经营 table comes with its explanation.

    **What it does**: when the 政府性基金预算支出表 or the 国有资本经营预算支出表 has
    no amounts, looks for the sentence saying why (right after the table, or in
    the narrative about that budget).  Without it: warning.

    **Why it matters**: disclosure rules require an empty table to be
    published with a note; an empty table without one looks like an omission.

    **Example**::

        wrong:  表8 政府性基金预算支出情况表 (header only, nothing after it)
        right:  表8 …   本单位 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。
    """

    code = "X310"
    name = "empty-table-explained"
    severity = "warning"
    summary = Msg("空表须附说明", "an empty table needs its explanation")
    title_zh = "空表说明"
    doc_zh = """
    空的政府性基金或国有资本经营预算表须附说明。

    **作用**：政府性基金预算支出表或国有资本经营预算支出表没有数据时，检查表后或正文中有“为空表”的说明。

    **原因**：公开规定要求空表也要公开并说明原因；没有说明的空表看起来像漏填。

    **示例**：错误：表 8 政府性基金预算支出情况表只有表头，其后没有说明。正确：表后写明
    “本单位 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。”
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in doc.tables:
            subject = _SUBJECT.get(table.kind)
            if subject is None or not tb.is_empty(table):
                continue
            if any(_EMPTY_WORDS.search(tb.norm(p.text)) for p in table.notes):
                continue
            if any(_EMPTY_WORDS.search(tb.norm(c.raw)) for r in table.rows for c in r.cells if c.value is None and c.raw.strip()):
                continue  # the note printed inside the grid: 合计 (无政府性基金支出)
            if any(subject in tb.norm(p.text) and _EMPTY_WORDS.search(tb.norm(p.text)) for p in doc.prose):
                continue
            yield ctx.finding(
                self, doc, table,
                Msg("{t}没有数据，也没有说明为空表的原因", "{t} has no amounts and no sentence explaining why"),
                t=tb.table_name(table),
            )


def get_rules() -> list[type[Rule]]:
    return [SummaryIncome, SummaryExpenditure, IncomeExpenditure, FiscalIncome, FiscalExpenditure, GpbBreakdown,
            GpbWithinExpenditure, BasicWithinSangong, VehicleRunningAllocations, EmptyTableExplained]
