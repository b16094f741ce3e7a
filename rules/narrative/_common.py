"""Helpers shared by the rules of family N (narrative).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetlint.understand import narrative as nv
from budgetlint.model import Cell, Document, Table
from budgetlint.rounding import forced_hundred, judge_ratio, sum_holds
from budgetlint.rule import Context


HUNDRED = Decimal(100)


def _narrative(doc: Document, ctx: Context) -> nv.Narrative:
    aliases = ctx.option("narrative.aliases")
    if isinstance(aliases, dict):
        aliases = {str(k): tuple(v) for k, v in aliases.items()}  # type: ignore[misc]
    else:
        aliases = None
    return nv.extract(doc, aliases)


def _tname(t: Table) -> str:
    return f"{t.number or ''}{t.title or t.kind}".strip()


def _subject(it: nv.Item) -> str:
    """The subject as the text writes it, without year, numbering or "比上年"."""
    t = nv.display_label(it.label)
    return t or it.subject or "—"


def _table_value(link: nv.Link | None) -> Cell | None:
    return link.cell if link is not None else None


# ---------------------------------------------------------------- N602 / N605 shared


@dataclass(slots=True)
class ShareCheck:
    item: nv.Item
    x: Cell
    whole: Cell
    whole_label: str
    ok: bool
    expected: Decimal
    excused: bool = False


def _share_whole(nar: nv.Narrative, it: nv.Item) -> tuple[Cell, str] | None:
    g = it.group
    if it.share_whole:
        # the sentence names its base ("占“三公”经费的 27.39%", "占本年支出合计的"): that base or nothing
        if any(w in it.share_whole for w in ("上年", "去年", "上一年")):
            return None
        if g is not None and g.whole is not None and g.whole.amount is not None and g.whole.subject == it.share_whole:
            return g.whole.amount, it.share_whole
        link = nar.linker.link(it.share_whole, it.scope)
        if link is not None and link.cell.value is not None:
            return link.cell, it.share_whole
        for other in nar.items:
            if other.subject == it.share_whole and other.amount is not None and other.text is it.text:
                return other.amount, it.share_whole
        return None
    if g is not None and g.whole is not None and g.whole.amount is not None and g.kind == "list":
        return g.whole.amount, _subject(g.whole)
    link = nv.link_item(nar, it)
    if link is not None and link.cell.row >= 0:
        r = nar.linker.total_row(link.table)
        if r is not None and r.index == link.cell.row:
            # the part sits on the total row itself (a one-row table of columns): its whole is that row's total column
            from budgetlint.understand.structure import is_total_column

            col = next((c for c in link.table.columns if c.index != link.cell.col and c.role == "value" and is_total_column(c)), None)
            if col is not None and col.index < len(r.cells) and r.cells[col.index].value is not None:
                return r.cells[col.index], f"{_tname(link.table)} {col.label}"
            return None
        if r is not None and link.cell.col < len(r.cells) and r.cells[link.cell.col].value is not None:
            return r.cells[link.cell.col], f"{_tname(link.table)} {r.label}"
    if g is not None and len(g.parts) > 1 and all(p.amount is not None for p in g.parts):
        total = sum((p.amount.value for p in g.parts), Decimal(0))  # type: ignore[union-attr]
        dec = max(p.amount.decimals for p in g.parts)  # type: ignore[union-attr]
        shares = [p.share for p in g.parts if p.share is not None]
        if len(shares) == len(g.parts) and sum_holds(None, shares, HUNDRED):
            first = g.parts[0].amount
            cell = Cell(raw=f"{total}", loc=first.loc, value=total, decimals=dec, blank=False, unit=first.unit)  # type: ignore[union-attr]
            # n parts each half a unit: the sum's interval
            cell.decimals = dec
            return cell, "各项之和"
    return None


def share_checks(nar: nv.Narrative) -> list[ShareCheck]:
    out: list[ShareCheck] = []
    for it in nar.items:
        x = it.amount if it.amount is not None else it.count
        if it.share is None or x is None or it.share.value is None:
            continue
        found = _share_whole(nar, it)
        if found is None:
            continue
        whole, wlabel = found
        j = judge_ratio(it.share, [(1, x)], [(1, whole)])
        if not j.defined:
            continue
        out.append(ShareCheck(it, x, whole, wlabel, j.ok, j.expected))
    _excuse_forced_hundred(out)
    return out


def _excuse_forced_hundred(checks: list[ShareCheck]) -> None:
    """Domain §3: shares printed to add to exactly 100 where correct rounding adds to 100 ± one last digit."""
    # one structure: the shares stated against one whole (its value), whether a list names it or the sentence does
    by_whole: dict[tuple, list[ShareCheck]] = {}
    for c in checks:
        if c.x.value == c.whole.value:
            continue  # the whole restated (占 100%) is no part of its breakdown
        by_whole.setdefault((c.whole.value, c.whole.unit), []).append(c)
    for group_checks in by_whole.values():
        if len(group_checks) < 2:
            continue
        excused = forced_hundred([c.item.share for c in group_checks], [c.expected for c in group_checks],  # type: ignore[misc]
                                 [c.ok for c in group_checks])
        for k in excused:
            group_checks[k].excused = True


# ---------------------------------------------------------------- N604


def _signed(cell: Cell, d: int) -> Cell:
    v = (cell.value or Decimal(0)) * (1 if d >= 0 else -1)
    return Cell(raw=cell.raw, loc=cell.loc, value=v, decimals=cell.decimals, blank=False, unit=cell.unit, approx=cell.approx)


# ---------------------------------------------------------------- N606


_PROJECT_COUNT_RE = re.compile(r"项目$")


# ---------------------------------------------------------------- N607


def _unit_slip(nar: nv.Narrative, it: nv.Item) -> str | None:
    """Why an amount's unit cannot be right, or ``None``."""
    a = it.amount
    tu = nar.table_unit
    if a is None or a.value is None or tu is None or a.unit == tu:
        return None
    if a.unit == "元" and tu == "万元":
        g = it.group
        if g is not None:
            others = [p.amount for p in g.parts if p is not it and p.amount is not None]
            if g.whole is not None and g.whole.amount is not None:
                others.append(g.whole.amount)
            if others and all(o.unit == "万元" for o in others):
                return "siblings"
        link = nv.link_item(nar, it)
        if link is not None and link.cell.value is not None and link.cell.value == a.value:
            return "table"
    return None


# ---------------------------------------------------------------- N609


_LEVEL_MARK = re.compile(r"[(（](类|款|项)[)）]\s*$")
