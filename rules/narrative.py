"""Family N: the narrative against the tables.

Every rule reads the statements :func:`budgetlint.understand.narrative.extract` found in
the document's prose (once per document) and either yields identities judged
with the interval rounding rule (amounts, sums of parts) or findings it
judged itself with interval arithmetic on ratios (shares, growth rates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from budgetlint.understand import narrative as nv
from budgetlint.model import Cell, Document, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

HUNDRED = Decimal(100)


def _narrative(doc: Document, ctx: Context) -> nv.Narrative:
    aliases = ctx.option("narrative.aliases")
    if isinstance(aliases, dict):
        aliases = {str(k): tuple(v) for k, v in aliases.items()}  # type: ignore[misc]
    else:
        aliases = None
    return nv.extract(doc, aliases)


def _half(cell: Cell) -> Decimal:
    """Half a unit of the last digit the value stands for (prose takes the table precision)."""
    return Decimal(5) / (Decimal(10) ** (cell.decimals + 1))


def _tname(t: Table) -> str:
    return f"{t.number or ''}{t.title or t.kind}".strip()


def _q(v: Decimal, decimals: int) -> Decimal:
    return v.quantize(Decimal(1) / (Decimal(10) ** decimals), rounding=ROUND_HALF_UP)


def _subject(it: nv.Item) -> str:
    """The subject as the text writes it, without year, numbering or "比上年"."""
    t = nv.display_label(it.label)
    return t or it.subject or "—"


def _table_value(link: nv.Link | None) -> Cell | None:
    return link.cell if link is not None else None


# ---------------------------------------------------------------- N601


class ProseAmountMismatch(Rule):
    """An amount stated in the narrative differs from the table cell it names.

    **What it does**: links every amount of the prose to the table cell its
    subject names — a total (收支总预算 → 收支总表 收入总计), a column of the
    total row (一般公共预算 → 收入总表, 基本支出 → 支出总表), a classification
    row (社会保障和就业支出（类） → 一般公共预算支出表), a 三公 item, a project's
    预算安排规模 (→ 项目支出表, by 项目承担单位 and 项目名称) — within the scope the
    section heading and the list's whole give, and compares the two at the
    table's precision.  Exact name matches are errors; fuzzy ones (a shortened
    unit name) and conventions (机关运行经费 = 基本支出表 公用经费,
    ``narrative.aliases``) are warnings.

    **Why it matters**: the narrative is what readers quote; a figure that
    differs from the table undermines both.

    **Example**: table 5 shows 项目支出 4,780.00 but the text says
    ``项目支出 4,870.00 万元，比上年预算减少 20.00 万元`` → error on the text's
    line naming the table cell.  Right: ``项目支出 4,780.00 万元``.
    """

    code = "N601"
    name = "prose-amount-mismatch"
    severity = "error"
    summary = Msg("正文金额与表格不一致", "amount in the narrative differs from the table")
    title_zh = "正文金额与表格不符"
    doc_zh = """
    正文所述金额与其所指表格单元格不一致。

    **作用**：把正文中的每个金额与其主语所指的表格单元格对应起来——总数（收支总预算 → 收支总表收入总计）、
    总计行的某栏（一般公共预算 → 收入总表，基本支出 → 支出总表）、科目行（社会保障和就业支出（类）→
    一般公共预算支出表）、三公经费某项、项目的预算安排规模（→ 项目支出表，按项目承担单位和项目名称）——
    在章节标题和列举总数限定的范围内，按表格精度比较。名称完全一致的不符为错误；模糊匹配（简称）和
    约定（机关运行经费 = 基本支出表公用经费，``narrative.aliases``）为警告。

    **原因**：读者引用的是正文；与表格不同的数字会让两者都失去可信度。

    **示例**：表 5 项目支出为 4,780.00，正文却写 ``项目支出 4,870.00 万元，比上年预算减少 20.00 万元``
    → 在正文所在行报错并指出表格单元格。正确：``项目支出 4,780.00 万元``。
    """
    config_keys = ("narrative.aliases",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            if it.amount is None or it.amount.approx and it.amount.decimals < 0:
                continue
            if _unit_slip(nar, it) is not None:
                continue  # N607 reports it with its cause
            link = nv.link_item(nar, it)
            if link is None:
                continue
            table_cell = link.cell
            sev = "error" if link.exact else "warning"
            where = _tname(link.table)
            if table_cell.value is None:
                if it.amount.value != 0:
                    # one side blank: unfilled, or the link found a row the table leaves empty (a warning, §6)
                    yield ctx.finding(
                        self, doc, it.amount,
                        Msg("正文「{s}」为 {actual}，但{t}中该项为空", "the text states {actual} for “{s}” but {t} leaves it blank"),
                        severity="warning", actual=it.amount.value, expected=0,
                        terms=[Term(it.amount, label=f"正文：{_subject(it)}"), Term(table_cell, label=where)], s=_subject(it), t=where,
                    )
                continue
            exact = not it.amount.approx and it.amount.unit == table_cell.unit
            yield Identity(
                rule=self, total=it.amount, terms=[Term(table_cell)], relation="=", anchor=it.amount, exact=exact,
                severity=sev,
                what=Msg(f"正文「{_subject(it)}」与{where}不一致", f"the text's “{_subject(it)}” differs from {where}"),
            )


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


def _ratio_interval(x: Cell, w: Cell) -> tuple[Decimal, Decimal] | None:
    hx, hw = _half(x), _half(w)
    xv, wv = x.value or Decimal(0), w.value or Decimal(0)
    if wv - hw <= 0:
        return None
    lo = max(Decimal(0), xv - hx) / (wv + hw) * HUNDRED
    hi = (xv + hx) / (wv - hw) * HUNDRED
    return lo, hi


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
        slack = sum((_half(s) for s in shares), Decimal(0))
        if len(shares) == len(g.parts) and abs(sum(s.value for s in shares) - HUNDRED) <= slack:  # type: ignore[misc]
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
        iv = _ratio_interval(x, whole)
        if iv is None:
            continue
        y, hy = it.share.value, _half(it.share)
        ok = iv[1] >= y - hy and iv[0] <= y + hy
        expected = _q((x.value or Decimal(0)) / (whole.value or Decimal(1)) * HUNDRED, it.share.decimals)
        out.append(ShareCheck(it, x, whole, wlabel, ok, expected))
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
        shares = [c.item.share for c in group_checks]
        if len(shares) < 2:
            continue
        dec = max(s.decimals for s in shares)
        unit = Decimal(1) / (Decimal(10) ** dec)
        # shares off by more than one last digit are real errors: count them at their correct value
        small = [c for c in group_checks if not c.ok and abs(c.item.share.value - c.expected) == unit]  # type: ignore[union-attr,operator]
        printed = sum(
            (c.item.share.value if (c.ok or c in small) else c.expected for c in group_checks), Decimal(0)  # type: ignore[union-attr,misc]
        )
        correct = sum((c.expected for c in group_checks), Decimal(0))
        if printed != HUNDRED or correct == HUNDRED or not small:
            continue
        if len(small) <= abs(correct - HUNDRED) / unit and all(
            (c.item.share.value - c.expected) * (correct - HUNDRED) < 0 for c in small  # type: ignore[union-attr,operator]
        ):
            for c in small:
                c.excused = True


class ShareMismatch(Rule):
    """A share "占 Y%" differs from the amount divided by its whole.

    **What it does**: recomputes every ``X 万元，占 Y%`` from the printed X and
    the whole it refers to — the whole the sentence names (``占…的``), the
    list's stated total (``收入预算 17,798.61 万元，其中：…``), the total row of
    the table the item's row belongs to, or the sum of a complete structure —
    and compares at the precision Y is printed, allowing for the rounding of X
    and the whole (interval arithmetic on the ratio; no fixed epsilon).  Shares
    forced to add to exactly 100.00 (one share off by its last digit) are
    rounding, not errors (domain §3).

    **Why it matters**: a share that does not match its amounts is usually a
    figure left over from last year's text.

    **Example**: ``单位资金 350.00 万元，占 2.97%`` of 17,798.61 → error,
    expected 1.97%.  Right: ``占 1.97%``.  ``占 2%`` and ``占 1.9664%`` are
    checked at 0 and 4 decimals.
    """

    code = "N602"
    name = "share-mismatch"
    severity = "error"
    summary = Msg("正文占比与金额不符", "share in the narrative does not match its amounts")
    title_zh = "占比与金额不符"
    doc_zh = """
    正文中的“占 Y%”与金额除以其总数的结果不符。

    **作用**：用印出的金额 X 和其所指总数（句中点明的“占…的”、列举前写明的总数、该项所在表格的总计行，
    或完整结构之和）重新计算每个 ``X 万元，占 Y%``，按 Y 印出的精度比较，并计入 X 和总数的舍入
    （对比率做区间运算，没有固定误差）。为凑成 100.00 而调整末位的占比属于舍入，不是错误。

    **原因**：占比是读者最常引用的数字之一，算错的占比会误导对结构的判断。

    **示例**：17,798.61 中的 ``单位资金 350.00 万元，占 2.97%`` → 错误，应为 1.97%。正确：``占 1.97%``。
    ``占 2%`` 和 ``占 1.9664%`` 分别按 0 位和 4 位小数检查。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for c in share_checks(nar):
            if c.ok or (c.excused and not ctx.show_rounding):
                continue
            if c.excused:
                yield ctx.finding(
                    self, doc, c.item.share,
                    Msg("「{s}」占比 {actual}% 与计算值 {expected}% 相差末位，系为凑足 100% 的舍入", "share of “{s}” {actual}% is one last digit off {expected}%, rounding forced to total 100%"),
                    severity="info", expected=c.expected, actual=c.item.share.value, s=_subject(c.item),  # type: ignore[union-attr]
                    terms=[Term(c.x, label=f"正文：{_subject(c.item)}"), Term(c.whole, label=c.whole_label)],
                )
                continue
            yield ctx.finding(
                self, doc, c.item.share,
                Msg(
                    "「{s}」占比应为 {expected}%（{x} ÷ {w} {wl}），正文为 {actual}%",
                    "share of “{s}” should be {expected}% ({x} ÷ {w} {wl}), the text says {actual}%",
                ),
                expected=c.expected, actual=c.item.share.value, difference=(c.item.share.value or 0) - c.expected,  # type: ignore[operator]
                terms=[Term(c.x, label=f"正文：{_subject(c.item)}"), Term(c.whole, label=c.whole_label)],
                s=_subject(c.item), x=c.x.value, w=c.whole.value, wl=c.whole_label,
            )


# ---------------------------------------------------------------- N603


class YearOnYearInconsistent(Rule):
    """A year-on-year statement contradicts itself.

    **What it does**: for ``X 万元，比上年增加 A 万元，增长 B%`` checks that
    B = A ÷ (X − A) (a decrease: A ÷ (X + A)) at the precision B is printed,
    with interval arithmetic on the rounding of X and A; that 增加/增长 is not
    followed by a negative figure nor paired with 下降 (and the reverse).  When
    the amount is not repeated in the sentence (``三公经费…增加 0.00 万元``) X is
    the table cell the subject names.  On a zero base (X = A) growth is
    undefined: ``增长 100.00%`` there is a template habit and only a warning;
    ``增加 0.00，增长 0.00%`` on zero is consistent.

    **Why it matters**: growth rates are copied from last year's template more
    often than any other figure.

    **Example**: ``基本支出 12,659.61 万元，比上年预算增加 761.24 万元，增长 6.04%``
    → error, expected 6.40%.  ``减少 20.00 万元，增长 0.42%`` → error (下降).
    """

    code = "N603"
    name = "year-on-year-inconsistent"
    severity = "error"
    summary = Msg("正文同比增减额与增减率不符", "year-on-year change and rate do not agree")
    title_zh = "同比增减自相矛盾"
    doc_zh = """
    同比增减的表述自相矛盾。

    **作用**：对 ``X 万元，比上年增加 A 万元，增长 B%`` 检查 B = A ÷（X − A）（减少时为 A ÷（X + A）），
    按 B 印出的精度比较，并对 X 和 A 的舍入做区间运算；“增加/增长”后不得跟负数，也不得与“下降”搭配（反之亦然）。
    句中没有重复金额时（``三公经费…增加 0.00 万元``），X 取主语所指的表格单元格。上年为零（X = A）时增长率无定义，
    写“增长 100.00%”是模板习惯，只报警告。

    **原因**：增减额、增减率和方向互相矛盾时，至少有一个数字是错的，读者无法判断哪个可信。

    **示例**：``基本支出 12,659.61 万元，比上年预算增加 761.24 万元，增长 6.04%`` → 错误，应为 6.40%。
    ``减少 20.00 万元，增长 0.42%`` → 错误（应为下降）。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            if it.change is None and it.pct is None:
                continue
            s = _subject(it)
            # direction words against signs
            for cell, word in ((it.change, it.change_word), (it.pct, it.pct_word)):
                if cell is not None and cell.value is not None and cell.value < 0:
                    yield ctx.finding(
                        self, doc, cell,
                        Msg("「{s}」写作“{w}”却跟着负数 {actual}", "“{s}”: “{w}” followed by a negative figure {actual}"),
                        actual=cell.value, s=s, w=word, terms=[Term(cell, label=f"正文：{s}")],
                    )
            if it.change is not None and it.pct is not None and it.change_dir and it.pct_dir and it.change_dir != it.pct_dir:
                if not (it.change.value == 0 and it.pct.value == 0):
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」先说“{w1}”后说“{w2}”，方向矛盾", "“{s}”: “{w1}” then “{w2}”, the directions contradict"),
                        s=s, w1=it.change_word, w2=it.pct_word,
                        terms=[Term(it.change, label=f"正文：{s}"), Term(it.pct, label=f"正文：{s}")],
                    )
                continue
            if it.change is None or it.pct is None or it.change.value is None or it.pct.value is None:
                continue
            if it.base is not None and it.base.value is not None:
                yield from self._against_base(doc, ctx, it, s)
                continue
            x = it.amount if it.amount is not None else it.count
            if x is None:
                link = nv.link_item(nar, it)
                if link is None:
                    continue
                x = link.cell
            xv = x.value if x.value is not None else Decimal(0)
            a, ha = abs(it.change.value), _half(it.change)
            hx = _half(x) if x.value is not None else Decimal(0)
            b, hb = abs(it.pct.value), _half(it.pct)
            d = it.change_dir or it.pct_dir or 1
            terms = [Term(x, label=f"本年：{s}"), Term(it.change, label=f"增减额：{s}")]
            if d > 0:
                base_lo, base_hi = xv - a - hx - ha, xv - a + hx + ha
            else:
                base_lo, base_hi = xv + a - hx - ha, xv + a + hx + ha
            if base_lo <= 0:
                # zero (or no) base: growth undefined
                if a == 0 and b == 0:
                    continue
                if b == HUNDRED:
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」上年为零（本年 {x} 全为增加额），增长率无定义，“增长 100%”系模板写法", "“{s}”: last year was zero (all of {x} is new), growth is undefined; “100%” is a template habit"),
                        severity="warning", actual=b, s=s, x=xv, terms=terms,
                    )
                else:
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」上年为零，增长率无定义，正文却写 {actual}%", "“{s}”: last year was zero, growth is undefined, yet the text says {actual}%"),
                        severity="warning", actual=b, s=s, terms=terms,
                    )
                continue
            lo = max(Decimal(0), a - ha) / base_hi * HUNDRED
            hi = (a + ha) / base_lo * HUNDRED
            if hi >= b - hb and lo <= b + hb:
                continue
            base = xv - a if d > 0 else xv + a
            expected = _q(a / base * HUNDRED, it.pct.decimals)
            formula = f"{a} ÷ ({xv} {'−' if d > 0 else '+'} {a})"
            yield ctx.finding(
                self, doc, it.pct,
                Msg("「{s}」{w}率应为 {expected}%（{f}），正文为 {actual}%", "“{s}”: the rate should be {expected}% ({f}), the text says {actual}%"),
                expected=expected, actual=b, difference=b - expected, s=s, w="增长" if d > 0 else "下降", f=formula,
                terms=terms + [Term(it.pct, label=f"增减率：{s}")],
            )


    def _against_base(self, doc: Document, ctx: Context, it: nv.Item, s: str) -> Iterator[Yielded]:
        """The sentence states the year compared with: B = A ÷ that amount."""
        base, a, b = it.base, abs(it.change.value), abs(it.pct.value)  # type: ignore[union-attr,arg-type]
        hb, ha, hp = _half(base), _half(it.change), _half(it.pct)  # type: ignore[arg-type]
        bv = base.value  # type: ignore[union-attr]
        if bv - hb <= 0:
            return
        lo = max(Decimal(0), a - ha) / (bv + hb) * HUNDRED
        hi = (a + ha) / (bv - hb) * HUNDRED
        if hi >= b - hp and lo <= b + hp:
            return
        expected = _q(a / bv * HUNDRED, it.pct.decimals)  # type: ignore[union-attr]
        yield ctx.finding(
            self, doc, it.pct,
            Msg("「{s}」{w}率应为 {expected}%（{f}），正文为 {actual}%", "“{s}”: the rate should be {expected}% ({f}), the text says {actual}%"),
            expected=expected, actual=b, difference=b - expected, s=s, w="增长" if (it.change_dir or it.pct_dir) >= 0 else "下降",
            f=f"{a} ÷ {bv}",
            terms=[Term(base, label=f"上年：{s}"), Term(it.change, label=f"增减额：{s}"), Term(it.pct, label=f"增减率：{s}")],  # type: ignore[arg-type]
        )


# ---------------------------------------------------------------- N604


def _signed(cell: Cell, d: int) -> Cell:
    v = (cell.value or Decimal(0)) * (1 if d >= 0 else -1)
    return Cell(raw=cell.raw, loc=cell.loc, value=v, decimals=cell.decimals, blank=False, unit=cell.unit, approx=cell.approx)


class PartsDoNotAddUp(Rule):
    """A list of parts in the narrative does not add up to its stated whole.

    **What it does**: adds the parts of every list in the prose and compares
    them with the whole, with the interval rounding rule (prose amounts at the
    table precision): ``X 万元，其中：A…，B…`` (also over the following
    paragraphs), ``包括：…``, and each project's 资金分配情况 against its
    预算安排规模.  A list that restates the whole first (``某大队 160.00 万元，
    其中劳务费…``) is read as whole + parts, and the restated whole must equal
    预算安排规模.  Counts add exactly (``实有人数 828 人，其中：在职 571 人…``); the
    changes of the parts add up to the change of the whole.  A list of a single
    part only needs to stay within the whole.

    **Why it matters**: an allocation that does not add up means money is
    unaccounted for, or a figure was mistyped.

    **Example**: ``预算安排规模：160.00 万元`` with ``资金分配情况：办公费 24.39 万元、
    差旅费 1.57 万元、劳务费 99.14 万元、其他交通 31.2 万元、其他商品和服务支出 3 万元、
    办公设备 0.7 万元`` adds to 160.00 (right); with 劳务费 98.14 it adds to
    159.00 → error.
    """

    code = "N604"
    name = "parts-do-not-add-up"
    severity = "error"
    summary = Msg("正文所列明细之和与总数不符", "parts listed in the narrative do not add up to the whole")
    title_zh = "明细之和与总数不符"
    doc_zh = """
    正文所列明细之和与其总数不符。

    **作用**：找出正文中先写总数再列明细的表述（预算安排规模与资金分配情况、收入预算及其构成等），
    按区间舍入规则检查明细之和等于总数。

    **原因**：明细加不到总数，说明某项金额写错或漏列，资金的去向因此说不清。

    **示例**：``预算安排规模：160.00 万元``，``资金分配情况：办公费 24.39 万元、差旅费 1.57 万元、劳务费 99.14 万元、
    其他交通 31.2 万元、其他商品和服务支出 3 万元、办公设备 0.7 万元`` 合计 160.00，正确；
    劳务费写成 98.14 则合计 159.00 → 错误。
    """
    config_keys = ("narrative.open_lists",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        open_lists = bool(ctx.option("narrative.open_lists", False))
        for g in nar.groups:
            yield from self._group(g, open_lists)

    def _group(self, g: nv.Group, open_lists: bool) -> Iterator[Identity]:
        if g.kind == "allocation":
            budget = g.whole.amount if g.whole is not None else None
            whole = budget if budget is not None else (g.restated.amount if g.restated else None)
            parts = [p for p in g.parts if p.amount is not None]
            if whole is not None and parts:
                proj = g.whole.project if g.whole is not None else None
                name = (proj.unit or proj.name) if proj is not None else ""
                blabel = g.whole.label if g.whole is not None else "预算"
                yield Identity(
                    rule=self, total=whole, terms=[Term(p.amount, label=f"{g.label}：{_subject(p)}") for p in parts],  # type: ignore[arg-type]
                    anchor=parts[0].amount,
                    what=Msg(f"{g.label}各项之和与{blabel}不符（{name}）", f"the allocation does not add up to the budget ({name})"),
                )
            if budget is not None and g.restated is not None and g.restated.amount is not None:
                yield Identity(
                    rule=self, total=g.restated.amount, terms=[Term(budget, label=g.whole.label)], exact=not g.restated.amount.approx,  # type: ignore[union-attr]
                    what=Msg(f"{g.label}所述总额与{g.whole.label}不符", "the total restated in the allocation differs from the budget"),  # type: ignore[union-attr]
                )
            return
        if g.kind != "list" or g.whole is None:
            return
        w = g.whole
        for attr, exact in (("amount", False), ("count", True)):
            wc = getattr(w, attr)
            parts = [getattr(p, attr) for p in g.parts if getattr(p, attr) is not None]
            if wc is None or not parts:
                continue
            if attr == "count" and any(p.unit != wc.unit for p in parts):
                continue
            complete = len(parts) == len(g.parts) and len(parts) > 1 and not open_lists
            yield Identity(
                rule=self, total=wc, terms=[Term(c, label=f"正文：{_subject(p)}") for p, c in zip([p for p in g.parts if getattr(p, attr) is not None], parts)],
                relation="=" if complete else ">=", exact=exact, anchor=wc,
                what=Msg(f"正文「{_subject(w)}」与其所列各项之和不符", f"the text's “{_subject(w)}” does not match the sum of its parts"),
            )
        # the changes of the parts add up to the change of the whole
        if w.change is not None and g.parts and all(p.change is not None for p in g.parts):
            yield Identity(
                rule=self, total=_signed(w.change, w.change_dir),
                terms=[Term(_signed(p.change, p.change_dir), label=f"增减额：{_subject(p)}") for p in g.parts],  # type: ignore[arg-type]
                anchor=w.change,
                what=Msg(f"各项增减额之和与「{_subject(w)}」的增减额不符", f"the parts' changes do not add up to the change of “{_subject(w)}”"),
            )


# ---------------------------------------------------------------- N605


class SharesDoNotTotal100(Rule):
    """The shares of one structure add up to more or less than 100%.

    **What it does**: adds the ``占 Y%`` of the parts of one structure (a list
    with its whole, or a run of paragraphs each stating a share, e.g. the four
    类 of 一般公共预算当年拨款结构) and compares with 100 allowing half a unit of
    the last printed digit per share.  More than 100 is always wrong; less is
    wrong when the listed amounts make up the whole.  A total the individual
    shares already explain (N602) is not reported twice.

    **Why it matters**: shares that do not close usually mean one share was
    edited and the others not.

    **Example**: 10.33% + 5.75% + 78.69% + 5.23% = 100.00 (right: the 78.69 is
    forced rounding); 10.33% + 5.75% + 79.69% + 5.23% = 101.00 → error.
    """

    code = "N605"
    name = "shares-do-not-total-100"
    severity = "error"
    summary = Msg("结构占比之和不为 100%", "shares of a structure do not add up to 100%")
    title_zh = "占比之和不为 100%"
    doc_zh = """
    同一结构的各项占比之和多于或少于 100%。

    **作用**：把同一结构各部分的“占 Y%”相加（带总数的列举，或连续各段各写一个占比，如一般公共预算当年拨款结构的四个类），
    每个占比允许末位半个单位的舍入，与 100 比较。超过 100 总是错误；列出的金额构成整体时，不足 100 也是错误。
    已由单项占比（N602）说明的不重复报告。

    **原因**：占比之和不是 100%，说明某项占比算错或漏列了一项。

    **示例**：10.33% + 5.75% + 78.69% + 5.23% = 100.00（正确，78.69 是为凑整调整的舍入）；
    10.33% + 5.75% + 79.69% + 5.23% = 101.00 → 错误。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        checks = share_checks(nar)
        failed = {id(c.item) for c in checks if not c.ok and not c.excused}
        by_item = {id(c.item): c for c in checks}
        for g in nar.groups:
            shares = [p for p in g.parts if p.share is not None and p.share.value is not None]
            if len(shares) < 2:
                continue
            if any(id(p) in failed for p in shares):
                continue
            total = sum((p.share.value for p in shares), Decimal(0))  # type: ignore[union-attr,misc]
            slack = sum((_half(p.share) for p in shares), Decimal(0))  # type: ignore[arg-type]
            if abs(total - HUNDRED) <= slack:
                continue
            complete = False
            if total < HUNDRED:
                wholes = {id(by_item[id(p)].whole) for p in shares if id(p) in by_item}
                if len(wholes) == 1 and all(id(p) in by_item and p.amount is not None for p in shares) and len(shares) == len(g.parts):
                    c0 = by_item[id(shares[0])]
                    sx = sum((p.amount.value for p in shares), Decimal(0))  # type: ignore[union-attr,misc]
                    hx = sum((_half(p.amount) for p in shares), Decimal(0))  # type: ignore[arg-type]
                    complete = abs(sx - (c0.whole.value or 0)) <= hx + _half(c0.whole)
                if not complete:
                    continue
            yield ctx.finding(
                self, doc, shares[0].share,
                Msg("「{g}」各项占比之和为 {actual}%，应为 100%", "the shares of “{g}” add up to {actual}%, not 100%"),
                expected=HUNDRED, actual=total, difference=total - HUNDRED, tolerance=slack, g=g.label or "结构",
                terms=[Term(p.share, label=f"占比：{_subject(p)}") for p in shares],  # type: ignore[arg-type]
            )


# ---------------------------------------------------------------- N606


_PROJECT_COUNT_RE = re.compile(r"项目$")


class CountMismatch(Rule):
    """A count or total stated in prose differs from the tables.

    **What it does**: compares sentences like ``当年财政拨款项目 102 个，涉及预算金额
    4,780.00 万元`` with the project expenditure table: the number of projects
    it lists and its 合计.  ``非财政拨款项目 N 个，涉及预算金额 Y 万元`` is compared
    with the project performance-target tables less the fiscal projects, and
    with 支出总表 项目支出 less 项目支出表 合计 (warnings: the pairing is inferred).

    **Why it matters**: counts in the text are rarely updated when projects
    are merged or added.

    **Example**: 项目支出表 lists 102 projects; ``当年财政拨款项目 103 个`` → error.
    """

    code = "N606"
    name = "count-mismatch"
    severity = "error"
    summary = Msg("正文所述个数或总额与表格不符", "count or total in the narrative differs from the tables")
    title_zh = "个数或总额与表格不符"
    doc_zh = """
    正文所述的个数或总额与表格不符。

    **作用**：把 ``当年财政拨款项目 102 个，涉及预算金额 4,780.00 万元`` 这类表述与项目支出表比较：所列项目个数及其合计。
    ``非财政拨款项目 N 个，涉及预算金额 Y 万元`` 与项目绩效目标表减去财政拨款项目后的结果、支出总表项目支出减项目支出表合计比较
    （配对是推断的，报为警告）。

    **原因**：个数对不上，说明表格漏列、多列了项目，或正文沿用了旧数字。

    **示例**：项目支出表列出 102 个项目，正文写 ``当年财政拨款项目 103 个`` → 错误。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        lk = nar.linker
        t7 = lk.project_table()
        if t7 is None:
            return
        n7 = lk.project_count() or 0
        t7_total = lk.table_total("budget.gpb_project")
        targets = sum(1 for t in doc.tables if t.kind == "perf.project_target")
        for it in nar.items:
            if it.count is None or it.count.unit not in ("个", "项") or not _PROJECT_COUNT_RE.search(it.subject):
                continue
            s = _subject(it)
            non_fiscal = "非财政" in it.subject
            if non_fiscal:
                if targets > n7:
                    yield from self._count(doc, ctx, it, targets - n7, t7, "warning", f"项目绩效目标表 {targets} 张 − 项目支出表 {n7} 个", s)
                t3_proj = lk.table_total("budget.expenditure", "项目支出")
                if it.amount is not None and t3_proj is not None and t7_total is not None and t3_proj.value is not None:
                    yield Identity(
                        rule=self, total=it.amount, terms=[Term(t3_proj), Term(t7_total, sign=-1)], severity="warning",
                        exact=not it.amount.approx,
                        what=Msg(f"正文「{s}」金额与支出总表项目支出减项目支出表合计不符", f"the text's “{s}” differs from total project spending less the project table"),
                    )
                continue
            if not any(w in it.subject for w in ("财政拨款", "一般公共预算")) and it.subject not in ("项目", "当年项目"):
                continue
            yield from self._count(doc, ctx, it, n7, t7, "error", f"{_tname(t7)}所列项目", s)
            if it.amount is not None and t7_total is not None and t7_total.value is not None:
                yield Identity(
                    rule=self, total=it.amount, terms=[Term(t7_total)], exact=not it.amount.approx,
                    what=Msg(f"正文「{s}」涉及金额与{_tname(t7)}合计不符", f"the amount of “{s}” differs from the total of {_tname(t7)}"),
                )

    def _count(self, doc, ctx, it: nv.Item, n: int, t: Table, severity: str, how: str, s: str) -> Iterator[Yielded]:
        if it.count is None or it.count.value == n:
            return
        ref = Cell(raw=str(n), loc=t.loc, value=Decimal(n), decimals=0, blank=False, unit=it.count.unit)
        yield ctx.finding(
            self, doc, it.count,
            Msg("正文「{s}」为 {actual} 个，{how}为 {expected} 个", "the text states {actual} for “{s}”, {how}: {expected}"),
            severity=severity, expected=n, actual=it.count.value, difference=(it.count.value or 0) - n, s=s, how=how,
            terms=[Term(it.count, label=f"正文：{s}"), Term(ref, label=how)],
        )


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


class UnitMagnitude(Rule):
    """An amount's unit cannot be right for its magnitude.

    **What it does**: warns when a prose amount is written in 元 while the
    tables are in 万元 and the figure is read as 万元 everywhere else: the
    other items of its list or its whole are in 万元, or the same number is the
    table cell its subject names.

    **Why it matters**: 元 for 万元 makes a figure 10,000 times too small; the
    sums around it only work with the other unit.

    **Example**: ``资金分配情况：办公费 24.39 元、差旅费 1.57 万元…`` → warning on
    办公费.  Right: ``办公费 24.39 万元``.
    """

    code = "N607"
    name = "unit-magnitude"
    severity = "warning"
    summary = Msg("正文金额单位与数量级不符（元/万元）", "amount unit does not fit its magnitude (元/万元)")
    title_zh = "金额单位与数量级不符"
    doc_zh = """
    金额的单位与其数量级不相称。

    **作用**：表格以万元为单位、而正文某金额写成“元”，且该数字在别处都按万元理解（同一列举的其他项或其总数为万元，
    或同一数字正是主语所指的表格单元格）时给出警告。

    **原因**：元与万元相差一万倍，单位写错会让金额差四个数量级，而数字本身看不出问题。

    **示例**：``资金分配情况：办公费 24.39 元、差旅费 1.57 万元…`` → 办公费处警告。正确：``办公费 24.39 万元``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            why = _unit_slip(nar, it)
            if why is None:
                continue
            yield ctx.finding(
                self, doc, it.amount,
                Msg("「{s}」写作 {raw}，而表格和同组各项均以{tu}计，单位可能应为{tu}", "“{s}” is written {raw} while the tables and its list use {tu}; the unit is probably {tu}"),
                actual=it.amount.value, s=_subject(it), raw=it.amount.raw, tu=nar.table_unit,  # type: ignore[union-attr]
                terms=[Term(it.amount, label=f"正文：{_subject(it)}")],  # type: ignore[arg-type]
            )


# ---------------------------------------------------------------- N608

_PROSE_PUNCT = "，。、；：,;:"


class DuplicatedWords(Rule):
    """A word or punctuation mark is repeated by mistake in the prose.

    **What it does**: warns on a word doubled (``增加增加``, ``保障保障``), a
    suffix doubled (``经费费``, ``的的``) or a punctuation mark doubled (``：：``,
    ``，，``) in a prose paragraph.  Words are found on word boundaries (checked
    against a Chinese dictionary), so ``市市场监督管理局`` is no doubled ``市``.

    **Why it matters**: such slips mark text that was edited in a hurry; they
    also break searches and joins on names.

    **Example**: ``设立的政策依据：：根据…`` → warning.  Right: ``设立的政策依据：根据…``.
    """

    code = "N608"
    name = "duplicated-words"
    severity = "warning"
    summary = Msg("正文词语或标点重复", "duplicated word or punctuation in the narrative")
    title_zh = "正文词语重复"
    doc_zh = """
    正文中的词语或标点误写重复。

    **作用**：正文段落中词语重复（``增加增加``、``保障保障``）、后缀重复（``经费费``、``的的``）或标点重复
    （``：：``、``，，``）时给出警告。按词语边界判断（对照中文词典），所以 ``市市场监督管理局`` 中的“市市”不算重复。

    **原因**：这类笔误说明文字是仓促修改的，也会妨碍按名称检索和配对。

    **示例**：``设立的政策依据：：根据…`` → 警告。正确：``设立的政策依据：根据…``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.dupwords import duplicates

        for p in doc.prose:
            text = p.text
            for d in duplicates(text, punctuation=_PROSE_PUNCT):
                ctxt = text[max(0, d.start - 8) : d.end + 8]
                yield ctx.finding(
                    self, doc, p,
                    Msg("重复的词语或标点「{dup}」：…{ctxt}…", "duplicated “{dup}”: …{ctxt}…"),
                    dup=d.text, ctxt=ctxt,
                )


_LEVEL_MARK = re.compile(r"[(（](类|款|项)[)）]\s*$")


class ChangesDoNotAddUp(Rule):
    """The year-on-year changes of the items do not add up to the change of their total.

    **What it does**: finds runs of statements in the prose that each give an amount
    and a change on last year (``基本支出 12,659.61 万元，比上年增加 761.24 万元``;
    ``项目支出 4,780.00 万元，比上年减少 20.00 万元``), looks for the statement of the
    whole they make up — one whose amount equals the sum of their amounts within
    rounding (``一般公共预算 17,439.61 万元，比上年增加 741.24 万元``) — and checks that
    the signed changes of the parts add up to the change of the whole, with the
    interval rounding rule.  Runs are made of statements of the same section and the
    same level (类/款/项 items apart from plain items).

    **Why it matters**: when the parts' changes do not add up, at least one of the
    stated changes (or last year's base behind it) is wrong, even if every single
    growth rate is consistent with its own change.

    **Example**: 基本支出 +761.24 and 项目支出 −20.00 against 一般公共预算 +741.24 is right;
    the same parts against a stated +714.24 → ``N609``.
    """

    code = "N609"
    name = "changes-do-not-add-up"
    severity = "error"
    summary = Msg("各项增减额之和与合计的增减额不符", "the items' year-on-year changes do not add up to the total's")
    title_zh = "增减额之和不符"
    doc_zh = """
    各项的同比增减额之和与其合计的增减额不符。

    **作用**：找出正文中连续给出金额和比上年增减额的各项（``基本支出 12,659.61 万元，比上年增加 761.24 万元``；
    ``项目支出 4,780.00 万元，比上年减少 20.00 万元``），找到这些项构成的整体（金额在舍入范围内等于各项之和的表述），
    按区间舍入规则检查各项带符号的增减额之和等于整体的增减额。只在同一章节、同一层级内组合。

    **原因**：各项增减额加不到合计的增减额时，至少有一个增减额（或其背后的上年数）是错的，
    即使每个增减率各自都对得上。

    **示例**：基本支出 +761.24、项目支出 −20.00，一般公共预算 +741.24，正确；同样的各项而合计写 +714.24 → ``N609``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        if not doc.prose:
            return
        nar = _narrative(doc, ctx)
        items = [it for it in nv.iter_items(nar) if it.change is not None and it.amount is not None and it.change_dir]
        if len(items) < 3:
            return
        runs: list[list[nv.Item]] = []
        key = None
        for it in items:
            m = _LEVEL_MARK.search(nv.display_label(it.label))
            k = (it.scope, m.group(1) if m else None)
            if runs and k == key and it.scope is not None:
                runs[-1].append(it)
            else:
                runs.append([it])
            key = k
        for run in runs:
            if len(run) < 2:
                continue
            total = sum((it.amount.value for it in run), Decimal(0))  # type: ignore[misc]
            slack = sum((_half(it.amount) for it in run), Decimal(0))  # type: ignore[arg-type]
            members = {id(it) for it in run}
            whole = next(
                (w for w in items if id(w) not in members and w.amount is not None
                 and abs(w.amount.value - total) <= slack + _half(w.amount)),  # type: ignore[operator]
                None,
            )
            if whole is None:
                continue
            sign = whole.change_dir
            label = _subject(whole)
            yield Identity(
                rule=self, total=whole.change, anchor=whole.change,
                terms=[Term(it.change, sign=it.change_dir * sign, label=f"{_subject(it)} 增减额") for it in run],  # type: ignore[arg-type]
                what=Msg(f"「{label}」的增减额应等于其各组成项增减额之和（{len(run)} 项）",
                         f"the change of '{label}' should equal the sum of its {len(run)} parts' changes"),
            )


def get_rules() -> list[type[Rule]]:
    return [
        ProseAmountMismatch, ShareMismatch, YearOnYearInconsistent, PartsDoNotAddUp, SharesDoNotTotal100,
        CountMismatch, UnitMagnitude, DuplicatedWords, ChangesDoNotAddUp,
    ]
