"""Family C: columns that must add up across every row.

The column identities come from the table's header tree
(:func:`budgetlint.understand.structure.column_sums`), from formulas stated in the 栏次
row (``3=1+2``) and from column names that define one (年初预算数 + 追加预算数
= 预算调整数).  Each identity is checked in every row of the table's side.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Iterable, Iterator, Sequence

from budgetlint.model import Column, Document, Table
from budgetlint.rounding import failing_rows, filled_rows
from budgetlint.rule import Context, Identity, LazyIdentity, Msg, Rule, Term, Yielded

# Column formulas defined by column names (regular expressions on the column's
# leaf label, spaces removed).  ``crossfoot.formulas`` in the configuration
# adds entries of the same shape.
DERIVED_FORMULAS: list[dict[str, Any]] = [
    {
        "name": "年初预算数＋追加预算数＝预算调整数",
        "total": r"^(预算调整数|调整预算数|调整后预算数?|全年预算数|调整后预算)$",
        "plus": [r"^年初预算数?$", r"^(追加预算数?|追加数|调整增减数?|追加调整数?|预算追加数)$"],
        "minus": [],
    },
]


def _tables(doc: Document, ctx: Context) -> Iterator[Table]:
    skip = ctx.option("crossfoot.skip_kinds", ()) or ()
    for t in doc.tables:
        if t.kind.startswith("perf.") or t.kind in skip or not t.rows:
            continue
        yield t


def _short(col: Column) -> str:
    return col.leaf or col.label


def _row_nodes(table: Table, total_col: int):
    """The rows of the side a column belongs to (filler rows left out)."""
    from budgetlint.understand.structure import row_trees

    for tree in row_trees(table):
        if total_col in tree.side.value_cols:
            return tree.nodes
    return []


def _row_identities(
    rule: Rule, table: Table, total_col: int, terms: Sequence[tuple[int, int]], relation: str, zh: str, en: str,
    ctx: Context | None = None,
) -> Iterator[Identity]:
    """One identity per row: ``total_col`` (relation) Σ sign·column.  ``zh``/``en`` may use ``{row}``."""
    nodes = _row_nodes(table, total_col)
    need = failing_rows(table, [n.row.index for n in nodes], total_col, list(terms), relation, bool(ctx and ctx.show_rounding))
    if ctx is not None:
        ctx.count(rule, table, partial(filled_rows, table, [n.row.index for n in nodes], total_col, list(terms)))
    for node in nodes:
        if node.row.index not in need:
            continue  # holds within rounding: nothing to explain
        tc = node.row.cells[total_col]
        cells = [(s, node.row.cells[c]) for s, c in terms]
        if tc.value is None and all(x.value is None for _, x in cells):
            continue
        if tc.percent or any(x.percent for _, x in cells):
            continue
        if relation != "=" and any(x.value is not None and x.value < 0 for x in (tc, *(x for _, x in cells))):
            continue  # a change column: a part of a change may exceed it
        sev = "warning" if relation != "=" and tc.value is None else None
        if all(s == 1 for s, _ in cells):
            yield LazyIdentity(rule, tc, [x for _, x in cells], relation, partial(
                _cross_identity, rule, table, node, tc, cells, relation, zh, en, sev, total_col))
        else:
            yield _cross_identity(rule, table, node, tc, cells, relation, zh, en, sev, total_col)


def _cross_identity(rule, table, node, tc, cells, relation, zh, en, sev, total_col) -> Identity:
    """The full identity of a row's cross-foot, built only when it must be explained."""
    row = node.display()
    return Identity(
        rule=rule, total=tc, terms=[Term(x, s) for s, x in cells], relation=relation,
        what=Msg(zh.format(row=row), en.format(row=row)), severity=sev,
        key=(rule.code, table.index, node.index, total_col),
    )


def _join(table: Table, terms: Sequence[tuple[int, int]], lang: str) -> str:
    out = ""
    for i, (s, c) in enumerate(terms):
        name = _short(table.columns[c])
        if lang == "en":
            out += ("" if i == 0 and s > 0 else (" − " if s < 0 else " + ")) + f"'{name}'"
        else:
            out += ("" if i == 0 and s > 0 else ("－" if s < 0 else "＋")) + f"「{name}」"
    return out


class ColumnCrossFoot(Rule):
    """A total column does not equal the columns under the same header.

    **What it does**: reads the column header tree: a 合计 / 总计 / 小计 column
    is the sum of the columns under the same merged header (合计 = 基本支出 +
    项目支出; 基本支出 = 人员经费 + 公用经费; 财政拨款（补助）小计 = 一般公共预算 +
    政府性基金 + 国有资本经营); a group with its own 小计 counts once, through it.
    ``上级…转移支付`` and ``其中`` columns right after a column are parts of that
    column (at most equal to it), never siblings.  Checked in every row, per
    table side.

    **Why it matters**: a row that does not cross-foot has a figure typed in
    the wrong column or a total not updated; every later comparison by column
    inherits the error.

    **Example**: 表 3 row ``220 自然资源海洋气象等支出``: 合计 14,083.33 = 基本支出
    8,944.33 + 项目支出 5,139.00 is right; 合计 14,083.33 with 项目支出 5,129.00 →
    ``C201``, expected 14,073.33.
    """

    code = "C201"
    name = "column-cross-foot"
    severity = "error"
    confirms = "columns"
    summary = Msg("合计栏不等于其下各栏之和", "a total column does not equal the columns under its header")
    title_zh = "合计栏横向相加"
    doc_zh = """
    合计栏不等于同一表头下各栏之和。

    **作用**：读取表头树：合计/总计/小计栏等于同一合并表头下各栏之和（合计 = 基本支出 + 项目支出；
    基本支出 = 人员经费 + 公用经费；财政拨款（补助）小计 = 一般公共预算 + 政府性基金 + 国有资本经营）；
    自带小计的一组只经小计计一次。紧随某栏的“上级…转移支付”“其中”栏是该栏的组成部分（不超过该栏），
    不是并列栏。逐行、分表侧检查。

    **原因**：横向不平的行有数字填错栏或合计未更新，之后按栏的所有比较都会继承这一错误。

    **示例**：表 3「220 自然资源海洋气象等支出」：合计 14,083.33 = 基本支出 8,944.33 + 项目支出 5,139.00，正确；
    项目支出印为 5,129.00 → ``C201``，应为 14,073.33。
    """
    config_keys = ("crossfoot.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import column_sums

        for table in _tables(doc, ctx):
            for cs in column_sums(table):
                total = table.columns[cs.total]
                if cs.relation == "=":
                    zh = f"「{{row}}」行：「{total.label}」栏应等于{_join(table, cs.terms, 'zh')}之和"
                    en = f"row '{{row}}': column '{total.label}' should equal {_join(table, cs.terms, 'en')}"
                else:
                    part = _short(table.columns[cs.terms[0][1]])
                    zh = f"「{{row}}」行：「{part}」栏是「{_short(total)}」的其中数，不应超过它"
                    en = f"row '{{row}}': column '{part}' is part of '{_short(total)}' and should not exceed it"
                yield from _row_identities(self, table, cs.total, cs.terms, cs.relation, zh, en, ctx=ctx)


class ColumnFormula(Rule):
    """A row breaks a column formula stated in the 栏次 row or implied by the column names.

    **What it does**: applies the formulas a table states in its 栏次 row
    (``3=1+2``, ``5=1+2-3``) and those its column names define (年初预算数 +
    追加预算数 = 预算调整数; more under ``crossfoot.formulas`` as
    ``{total: regex, plus: [regex…], minus: [regex…]}``), in every row.
    Formulas that repeat a header cross-foot (C201) are not checked twice.

    **Why it matters**: final-account tables are built column by column; a
    row whose adjusted budget is not the initial budget plus the addition
    shows a figure changed in one column only.

    **Example**: 表 1-1 ``一、财政拨款收入``: 年初预算数 1,668.64 + 追加预算数 303.83 =
    预算调整数 1,972.47 is right; 预算调整数 1,982.47 → ``C202``, expected 1,972.47.
    """

    code = "C202"
    name = "column-formula"
    severity = "error"
    confirms = "columns"
    summary = Msg("不符合栏次公式或栏目名称所定义的公式", "a row breaks a stated or implied column formula")
    title_zh = "栏次公式"
    doc_zh = """
    某行不符合栏次行写明的或栏目名称所定义的公式。

    **作用**：逐行套用表格栏次行写明的公式（``3=1+2``、``5=1+2-3``）和栏目名称定义的公式
    （年初预算数 + 追加预算数 = 预算调整数；更多公式可在 ``crossfoot.formulas`` 中以
    ``{total: 正则, plus: [正则…], minus: [正则…]}`` 配置）。与表头横向相加（C201）重复的公式不重复检查。

    **原因**：决算表逐栏编制；调整后预算不等于年初预算加追加数，说明只改了一栏的数字。

    **示例**：表 1-1「一、财政拨款收入」：年初预算数 1,668.64 + 追加预算数 303.83 = 预算调整数 1,972.47，正确；
    预算调整数印为 1,982.47 → ``C202``，应为 1,972.47。
    """
    config_keys = ("crossfoot.formulas", "crossfoot.skip_kinds")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import column_sums

        extra = ctx.option("crossfoot.formulas", []) or []
        formulas = DERIVED_FORMULAS + [f for f in extra if isinstance(f, dict)]
        for table in _tables(doc, ctx):
            seen = {(cs.total, frozenset(cs.terms)) for cs in column_sums(table)}
            for total, terms, text in _stated(table) + _named(table, formulas):
                key = (total, frozenset(terms))
                if key in seen:
                    continue
                seen.add(key)
                tcol = table.columns[total]
                zh = f"「{{row}}」行：{text}，即「{_short(tcol)}」应等于{_join(table, terms, 'zh')}"
                en = f"row '{{row}}': {text}, i.e. '{_short(tcol)}' should equal {_join(table, terms, 'en')}"
                yield from _row_identities(self, table, total, terms, "=", zh, en, ctx=ctx)


def _stated(table: Table) -> list[tuple[int, list[tuple[int, int]], str]]:
    """Formulas written in the 栏次 row (``3=1+2``) or in a header label (``合计（3=1+2）``)."""
    by_number = {c.number: c.index for c in table.columns if c.number and c.role == "value"}
    found: dict[int, str] = dict(table.meta.get("column_formulas") or {})
    for c in table.columns:
        for p in c.path:
            m = re.search(r"(\d{1,2})\s*[=＝]\s*(\d{1,2}(?:\s*[+＋\-－−]\s*\d{1,2})+)", p)
            if m and c.index not in found:
                found[c.index] = m.group(2)
                by_number.setdefault(m.group(1), c.index)
    out = []
    for col, expr in found.items():
        if col >= len(table.columns) or table.columns[col].role != "value":
            continue
        terms: list[tuple[int, int]] = []
        ok = True
        for sign, num in re.findall(r"([+＋\-－−]?)\s*(\d{1,2})", expr):
            c = by_number.get(num)
            if c is None or c == col:
                ok = False
                break
            terms.append((-1 if sign in ("-", "－", "−") else 1, c))
        if ok and terms:
            number = table.columns[col].number or "?"
            out.append((col, terms, f"栏次 {number}={expr}"))
    return out


def _named(table: Table, formulas: Sequence[dict[str, Any]]) -> list[tuple[int, list[tuple[int, int]], str]]:
    """Formulas implied by column names, matched within one table side."""
    from budgetlint.understand.structure import is_ratio_column, norm, sides

    out = []
    for side in sides(table):
        cols = [table.columns[c] for c in side.value_cols if not is_ratio_column(table.columns[c])]
        for f in formulas:
            try:
                total = _one(cols, f.get("total", ""), norm)
                plus = [_one(cols, rx, norm) for rx in f.get("plus", ())]
                minus = [_one(cols, rx, norm) for rx in f.get("minus", ())]
            except re.error:
                continue
            if total is None or any(c is None for c in plus + minus) or not plus:
                continue
            terms = [(1, c) for c in plus] + [(-1, c) for c in minus]
            if total in {c for _, c in terms}:
                continue
            out.append((total, terms, str(f.get("name") or "")))
    return out


def _one(cols: Sequence[Column], rx: str, norm) -> int | None:
    """The single column whose leaf matches ``rx`` (None when none or several do)."""
    hits = [c.index for c in cols if re.search(rx, norm(c.leaf))]
    return hits[0] if len(hits) == 1 else None


def get_rules() -> list[type[Rule]]:
    return [ColumnCrossFoot, ColumnFormula]
