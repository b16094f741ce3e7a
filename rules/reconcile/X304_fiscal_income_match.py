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

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Cell, Document, Table
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _FISCAL_KEYS, _KEY_NAMES, _code_table, _eq, _sets, _with_total


class FiscalIncome(Rule):
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
