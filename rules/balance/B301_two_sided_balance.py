"""Both sides of a 收支总表 balance.

**What it does**: in every amount column of a two-sided table (收支总表,
财政拨款收支总表, 收入支出决算总表) checks that

- 收入总计 = 支出总计;
- 收入总计 = 本年收入合计 + 上年结转结余 (+ 用事业基金弥补收支差额);
- 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余 (final accounts);
- where no 总计 is printed: 年初结转和结余 + 本年收入 − 本年支出 − 结余分配 =
  年末结转和结余, also across the columns of a 项目支出决算表.

Final-account documents may print the two sides as two tables (收入决算表
and 支出决算表): the balance then holds between them, column by column
(年初预算数 with 年初预算数, 决算数 with 决算数).  Budget columns often leave
年末结转和结余 blank, so the balance misses by exactly that amount: reported
as a warning (unfilled), not an error.

**Why it matters**: a table that does not balance has a wrong or missing
line; it is the first thing a reviewer adds up.

**Example** (万元)::

    wrong:  收入总计 17,798.61 = 本年收入 17,789.61 + 上年结转结余 9.00
            支出总计 17,789.61                      → 支出总计 differs by 9.00
    right:  支出总计 17,798.61

Split final accounts: 表1-1 总计 1,984.48 against 表1-2 本年支出合计
1,971.60 + 年末结转和结余 12.88 balances; in 预算调整数 where 年末结转和结余 is
``-`` it misses by 12.88 → warning (unfilled).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from budgetlint.model import Column, Document, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.understand import lookup as tb

from ._common import TWO_SIDED_KINDS, _Lines, _both, _c, _short, _split_pairs


class TwoSidedBalance(Rule):
    code = "B301"
    name = "two-sided-balance"
    severity = "error"
    summary = Msg("收支总表两侧平衡：收入总计 = 支出总计 及其构成", "two-sided tables balance: total income = total expenditure and their parts")
    title_zh = "收支平衡"
    doc_zh = """
    收支总表两侧平衡。

    **作用**：在两侧式表格（收支总表、财政拨款收支总表、收入支出决算总表）的每个金额栏检查：
    收入总计 = 支出总计；收入总计 = 本年收入合计 + 上年结转结余（+ 用事业基金弥补收支差额）；
    支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余（决算）；未印总计时，年初结转和结余 + 本年收入
    − 本年支出 − 结余分配 = 年末结转和结余。决算把两侧分成收入决算表和支出决算表时，在两表之间逐栏核对。
    预算栏常把年末结转和结余留空，恰好差这一数额时报为警告（未填写），不报错误。

    **原因**：不平衡的表必有错行或漏行，这是审核人员最先加总的地方。

    **示例**（万元）：收入总计 17,798.61 = 本年收入 17,789.61 + 上年结转结余 9.00，而支出总计印为
    17,789.61 → 相差 9.00。正确：支出总计 17,798.61。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        pairs = _split_pairs(doc)
        paired = {id(t) for pair in pairs for t in pair}
        for table in doc.tables:
            if table.kind in TWO_SIDED_KINDS:
                inc, exp = tb.sides(table)
                if inc is not None and exp is not None:
                    yield from self._balance(inc, exp)
                elif inc is not None and id(table) not in paired:
                    yield from self._income_total(inc, _Lines(inc), tb.table_name(table))  # only the income side printed
        for income_t, expense_t in pairs:
            yield from self._balance(tb.one_side(income_t, "income"), tb.one_side(expense_t, "expense"))
        for table in doc.tables:
            yield from self._year_end_columns(table)

    # -- one pair of sides

    def _balance(self, inc_side: tb.Side, exp_side: tb.Side) -> Iterator[Identity]:
        inc, exp = _Lines(inc_side), _Lines(exp_side)
        same_table = inc_side.table is exp_side.table
        iname = tb.table_name(inc_side.table)
        ename = iname if same_table else tb.table_name(exp_side.table)
        for ic in inc_side.columns:
            ec = tb.same_column(ic, inc_side.columns, exp_side.columns, exp_side.table)
            col = ic.leaf or ic.label
            # 收入总计 = 支出总计
            if inc.total is not None and exp.total is not None and ec is not None:
                yield Identity(
                    self, _c(inc.total, ic), [Term(_c(exp.total, ec))],
                    what=_both(iname, ename, same_table, "收入总计", "支出总计", "等于", col),
                )
            # 收入总计 = 本年收入合计 + 上年结转结余 (+ 用事业基金弥补收支差额)
            yield from self._income_composition(inc_side, inc, ic, iname)
            if ec is None or exp.current is None:
                continue
            closing = [r for r in (exp.distribution, exp.closing) if r is not None]
            unfilled = exp.closing is not None and _c(exp.closing, ec).value is None
            names = "＋".join(["本年支出合计", *("结余分配" if r is exp.distribution else "年末结转和结余" for r in closing)])
            note_zh = "；年末结转和结余未填列" if unfilled else ""
            note_en = "; 年末结转和结余 left blank" if unfilled else ""
            terms = [Term(_c(exp.current, ec))] + [Term(_c(r, ec)) for r in closing]
            if exp.total is not None:
                # 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余
                yield Identity(
                    self, _c(exp.total, ec), terms, severity="warning" if unfilled else None,
                    what=Msg(f"{ename}支出总计应等于{names}（{ec.leaf or ec.label}栏{note_zh}）",
                             f"{ename}: total expenditure must equal {names} ({ec.leaf or ec.label}{note_en})"),
                )
            elif inc.total is not None and closing:
                # split sides without 支出总计: 收入总计 = 本年支出合计 + 结余分配 + 年末结转和结余
                where = "" if same_table else ename
                yield Identity(
                    self, _c(inc.total, ic), terms, severity="warning" if unfilled else None,
                    what=Msg(f"{iname}收入总计应等于{where}{names}（{col}栏{note_zh}）",
                             f"{iname}: total income must equal {where} {names} ({col}{note_en})"),
                )
            elif inc.total is None and inc.current is not None and exp.closing is not None:
                yield from self._year_end(inc, exp, ic, ec, iname, ename, unfilled)

    def _income_total(self, inc_side: tb.Side, inc: _Lines, iname: str) -> Iterator[Identity]:
        for ic in inc_side.columns:
            yield from self._income_composition(inc_side, inc, ic, iname)

    def _income_composition(self, inc_side: tb.Side, inc: _Lines, ic: Column, iname: str) -> Iterator[Identity]:
        """收入总计 = 本年收入合计 + 上年结转结余 (+ 用事业基金弥补收支差额) in one column."""
        if inc.total is None:
            return
        col = ic.leaf or ic.label
        parts = [inc.current] if inc.current is not None else []
        if not parts:
            parts = [r for r in inc.numbered if r.index < inc.total.index]
        if parts:
            for r in [*inc.carry, *([inc.fund] if inc.fund is not None else [])]:
                if all(r is not p for p in parts):
                    parts.append(r)
        if parts:
            names = "＋".join(_short(inc_side, r) for r in parts)
            yield Identity(
                self, _c(inc.total, ic), [Term(_c(r, ic)) for r in parts],
                what=Msg(f"{iname}收入总计应等于{names}（{col}栏）", f"{iname}: total income must equal {names} ({col})"),
            )

    def _year_end(self, inc: _Lines, exp: _Lines, ic: Column, ec: Column, iname: str, ename: str, unfilled: bool) -> Iterator[Identity]:
        assert inc.current is not None and exp.current is not None and exp.closing is not None
        terms = [Term(_c(r, ic)) for r in inc.carry] + [Term(_c(inc.current, ic))]
        if inc.fund is not None:
            terms.append(Term(_c(inc.fund, ic)))
        terms.append(Term(_c(exp.current, ec), -1))
        if exp.distribution is not None:
            terms.append(Term(_c(exp.distribution, ec), -1))
        yield Identity(
            self, _c(exp.closing, ec), terms, severity="warning" if unfilled else None,
            what=Msg(f"{ename}年末结转和结余应等于年初结转和结余＋本年收入－本年支出－结余分配（{ec.leaf or ec.label}栏）",
                     f"{ename}: year-end balance must equal opening balance + income − expenditure − distribution ({ec.leaf or ec.label})"),
        )

    # -- 年初结转和结余 | 收入 | 支出 | 年末结转和结余 as columns

    def _year_end_columns(self, table: Table) -> Iterator[Identity]:
        found: dict[str, Column] = {}
        for c in table.value_columns():
            path = [tb.bare(p) for p in c.path if tb.bare(p)]
            if len(path) > 1 and path[-1] in ("小计", "合计"):
                path = path[:-1]  # 年初结转和结余 > 小计 stands for its parent
            elif len(path) > 1 and any(w in path[-2] for w in ("结转", "收入", "支出")):
                continue  # 年初结转和结余 > 基本支出结转: a part, not the figure
            # 年初财政拨款结转和结余 / 本年财政拨款收入 … read as the plain names
            b = path[-1].replace("财政拨款", "").replace("一般公共预算", "") if path else ""
            key = (
                "open" if b in ("年初结转和结余", "年初结转结余", "上年结转结余", "年初结余", "上年结转") else
                "in" if b in ("收入", "本年收入", "本年收入合计") else
                "out" if b in ("支出", "本年支出", "本年支出合计") else
                "dist" if b == "结余分配" else
                "close" if b in ("年末结转和结余", "年末结转结余", "年末结余") else None
            )
            if key and key not in found:
                found[key] = c
        if not {"open", "in", "out", "close"} <= found.keys():
            return
        name = tb.table_name(table)
        for row in table.rows:
            cells = {k: row.cells[c.index] for k, c in found.items() if c.index < len(row.cells)}
            if len(cells) < len(found) or all(c.value is None for c in cells.values()):
                continue
            terms = [Term(cells["open"]), Term(cells["in"]), Term(cells["out"], -1)]
            if "dist" in cells:
                terms.append(Term(cells["dist"], -1))
            yield Identity(
                self, cells["close"], terms,
                what=Msg(f"{name}“{row.label}”年末结转和结余应等于年初结转和结余＋收入－支出",
                         f"{name} “{row.label}”: year-end balance must equal opening balance + income − expenditure"),
            )
