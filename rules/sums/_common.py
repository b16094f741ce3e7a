"""Helpers shared by the rules of family S (sums).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Iterator, Sequence

from budgetlint.model import Document, Table
from budgetlint.rule import BulkIdentity, Context, Identity, Msg, Rule, Term


DEFAULT_SKIP_KINDS = ("budget.sangong",)  # 三公 composition is checked by the B family
_MAX_NAMES = 4


def checked_tables(doc: Document, ctx: Context) -> Iterator[Table]:
    """Tables whose rows are amounts (not performance forms), minus ``sums.skip_kinds``."""
    skip = ctx.option("sums.skip_kinds", DEFAULT_SKIP_KINDS) or ()
    for t in doc.tables:
        if t.kind.startswith("perf.") or t.kind in skip or not t.rows:
            continue
        yield t


def trees(table: Table, ctx: Context):
    from budgetlint.understand.structure import row_trees

    cfg = ctx.option("sums")
    return row_trees(table, cfg if isinstance(cfg, dict) and cfg.get("breakdowns") else None)


def amount_cols(table: Table, side) -> list[int]:
    from budgetlint.understand.structure import is_ratio_column

    return [c for c in side.value_cols if not is_ratio_column(table.columns[c])]


def names(nodes: Sequence[Any], lang: str) -> str:
    shown = [n.display() for n in nodes[:_MAX_NAMES]]
    if lang == "en":
        out = " + ".join(f"'{s}'" for s in shown)
        return out + (f" + … ({len(nodes)} rows)" if len(nodes) > _MAX_NAMES else "")
    out = "+".join(f"「{s}」" for s in shown)
    return out + (f"等 {len(nodes)} 行" if len(nodes) > _MAX_NAMES else "")


def row_identities(
    rule: Rule, table: Table, side, total, terms: Sequence[Any], relation: str, zh: Any, en: Any, *, severity: str | None = None,
) -> Iterator[BulkIdentity]:
    """``total`` row (relation) Σ ``terms`` rows in every amount column of the side, as one bulk identity.

    ``zh``/``en`` (or functions returning them, for texts that cost to build)
    may use ``{column}``; they are built only for the columns the engine must
    explain.  Columns where the total and every term are blank are not
    counted; percentages are not added; a blank parent of an open list
    makes a warning.
    """
    if not terms:
        return
    cols = amount_cols(table, side)
    if cols:
        yield BulkIdentity.rows(rule, table, total.row.index, [n.row.index for n in terms], cols,
                                partial(_row_identity, rule, table, total, terms, cols, relation, zh, en, severity), relation)


def _code_hierarchy_text(node, kids, lang: str) -> str:
    """What S102 checks, in words (built only for identities that fail)."""
    scope = _scope(node)
    if lang == "en":
        level_en = {3: "款 (sub-class)", 5: "项 (item)"}.get(len(node.code or ""), "sub-code")
        en_scope = f" under '{scope}'" if scope else ""
        return f"code '{node.display()}'{en_scope} should equal the sum of its {level_en} rows {names(kids, 'en')} ({{column}})"
    level = {3: "款", 5: "项"}.get(len(node.code or ""), "下级科目")
    zh_scope = f"（{scope}）" if scope else ""
    return f"科目「{node.display()}」{zh_scope}应等于其下各{level}之和：{names(kids, 'zh')}（{{column}}）"


def _row_identity(rule, table: Table, total, terms, cols: list[int], relation: str, zh, en, severity: str | None, i: int) -> Identity | None:
    """The located identity (message and terms) of the row sum in column ``cols[i]``, built only when it must be explained."""
    c = cols[i]
    tc = total.row.cells[c]
    cells = [n.row.cells[c] for n in terms]
    if tc.percent or any(x.percent for x in cells):
        return None
    sev = severity
    if relation != "=":
        if any(x.value is not None and x.value < 0 for x in (tc, *cells)):
            return None  # a change column (追加, 增减): parts of a change may exceed it
        if tc.value is None:
            sev = "warning"
    col = table.columns[c].label
    zh = zh() if callable(zh) else zh
    en = en() if callable(en) else en
    return Identity(
        rule=rule, total=tc, terms=[Term(x) for x in cells], relation=relation,
        what=Msg(zh.format(column=col), en.format(column=col)), severity=sev, key=(rule.code, table.index, total.index, c),
    )


def income_grand_total(node) -> bool:
    """收入总计, or a 总计/支出总计 over 本年收入合计/本年支出合计: its composition is the two-sided balance (B301), not checked here twice."""
    if node.kind != "total":
        return False
    if node.name == "收入总计":
        return True
    # 支出总计 / 总计 = 本年支出合计 + 结余分配 + 年末结转和结余 is B301's; a 支出总计 over 类 rows stays here
    return node.name in ("总计", "支出总计") and any("本年收入" in n.name or "本年支出" in n.name for n in node.covers)


def _scope(node) -> str:
    p = node.parent
    while p is not None and p.kind != "group":
        p = p.parent
    return p.display() if p is not None else ""
