"""Family S: rows that must add up within a table.

Every rule here reads the row hierarchy from :mod:`budgetlint.understand.structure`
(codes, numbering, 其中 parts, unit blocks, total rows, table sides) and yields
one identity per amount column; the engine judges them all at once with the
rounding rule.  The hierarchy comes from the table itself, so a region's
template with other rows or codes is checked the same way.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Iterable, Iterator, Sequence

from budgetlint.model import Document, Table
from budgetlint.rounding import failing_columns, failing_columns_many, filled_columns
from budgetlint.rule import Context, Identity, LazyIdentity, Msg, Rule, Term, Yielded

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
    rule: Rule, table: Table, side, total, terms: Sequence[Any], relation: str, zh: str, en: str, *, severity: str | None = None,
    ctx: Context | None = None, need: set[int] | None = None,
) -> Iterator[Identity]:
    """``total`` row (relation) Σ ``terms`` rows, one identity per amount column of the side.

    ``zh``/``en`` may use ``{column}``.  Columns where the total and every term
    are blank are skipped; a blank parent of an open list makes a warning.
    """
    if not terms:
        return
    cols = amount_cols(table, side)
    if need is None:
        need = failing_columns(table, total.row.index, [n.row.index for n in terms], cols, relation, bool(ctx and ctx.show_rounding))
    if ctx is not None:
        ctx.count(rule, table, partial(filled_columns, table, total.row.index, [n.row.index for n in terms], cols))
    for c in cols:
        if c not in need:
            continue  # holds within rounding: nothing to explain
        tc = total.row.cells[c]
        cells = [n.row.cells[c] for n in terms]
        if tc.value is None and all(x.value is None for x in cells):
            continue
        if tc.percent or any(x.percent for x in cells):
            continue
        col = table.columns[c]
        sev = severity
        if relation != "=":
            if any(x.value is not None and x.value < 0 for x in (tc, *cells)):
                continue  # a change column (追加, 增减): parts of a change may exceed it
            if tc.value is None:
                sev = "warning"
        yield LazyIdentity(rule, tc, cells, relation, partial(
            _row_identity, rule, tc, cells, relation, zh, en, col, sev, (rule.code, table.index, total.index, c),
        ))


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


def _row_identity(rule, tc, cells, relation, zh, en, col, sev, key) -> Identity:
    """The full identity (message and terms) of a row sum, built only when it must be explained."""
    col = col.label
    zh = zh() if callable(zh) else zh
    en = en() if callable(en) else en
    return Identity(
        rule=rule, total=tc, terms=[Term(x) for x in cells], relation=relation,
        what=Msg(zh.format(column=col), en.format(column=col)), severity=sev, key=key,
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


class TotalRow(Rule):
    """A total or subtotal row does not equal the rows it covers.

    **What it does**: checks every 总计 / 合计 / 小计 / 收入总计 / 本年支出合计 row
    against the rows it covers, in every amount column: the top-level rows
    above it back to the previous total (which it includes), or the rows below
    it when the total comes first.  Over a classification-code table only the
    类 rows count; in a 项目支出表 the 总计 covers the unit rows, and every unit
    row covers the 类 rows of its block.  Each table side is checked on its own.
    Numbered items (一、二、…) are checked by S105; 收入总计 = 本年收入 + 上年结转结余
    is the two-sided balance (B301).

    **Why it matters**: a total that does not match its rows means a row was
    added or changed after the total was typed, or a row is missing.

    **Example**: 表 3 with 总计 17,798.61 over 类 rows 208 (1,801.39), 210
    (1,002.65), 220 (14,083.33), 221 (911.25) is consistent (17,798.62 is within
    rounding).  Changing 220 to 14,093.33 → ``S101 「总计」应等于「208 社会保障和就业支出」+…``,
    expected 17,808.62, found 17,798.61.
    """

    code = "S101"
    name = "total-row"
    severity = "error"
    confirms = "rows"
    summary = Msg("合计/总计行与其所含各行之和不符", "a total row does not equal the rows it covers")
    title_zh = "合计行"
    doc_zh = """
    合计或小计行不等于其所含各行之和。

    **作用**：在每个金额栏检查总计、合计、小计、收入总计、本年支出合计等行等于其覆盖的各行：上一个合计之后的各顶层行
    （包括上一个合计），合计在前时为其下方各行。按科目编码的表只计类级行；项目支出表的总计覆盖各单位行，
    每个单位行覆盖其下的类级行。表格两侧分别检查。编号项（一、二、…）由 S105 检查；收入总计 = 本年收入 + 上年结转结余
    是两侧平衡（B301）。

    **原因**：合计行是读者最先看的数字；合计不符说明某行数字或合计本身录错。

    **示例**：表 3 总计 17,798.61，类级行 208（1,801.39）、210（1,002.65）、220（14,083.33）、221（911.25），
    之和 17,798.62 在舍入范围内，正确。把 220 改为 14,093.33 → ``S101「总计」应等于「208 社会保障和就业支出」+…``，
    应为 17,808.62，实为 17,798.61。
    """
    config_keys = ("sums.skip_kinds", "sums.breakdowns")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import expand_headings

        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    if node.kind == "total":
                        if any(n.kind == "item" for n in node.covers) or income_grand_total(node):
                            continue  # S105
                        terms = expand_headings(node.covers)
                    elif node.kind == "group":
                        terms = expand_headings(node.children)
                    else:
                        continue
                    yield from row_identities(
                        self, table, tree.side, node, terms, "=",
                        f"「{node.display()}」行应等于{names(terms, 'zh')}之和（{{column}}）",
                        f"row '{node.display()}' should equal the sum of {names(terms, 'en')} ({{column}})", ctx=ctx)


class CodeHierarchy(Rule):
    """A classification-code row does not equal the sum of its sub-codes.

    **What it does**: in tables by 功能分类 (类 3 digits → 款 5 → 项 7) or 经济分类
    (类 3 → 款 5), checks 类 = Σ 款 and 款 = Σ 项 in every amount column.  Codes
    may be split over 类/款/项 columns, joined (``2080501``) or written inline
    (``208 社会保障和就业支出``).  In a 项目支出表 the chain repeats under every
    unit row, so each unit block is summed on its own.

    **Why it matters**: the code hierarchy is how every cross-table comparison
    is made; a 款 that does not add up puts the wrong figure into each of them.

    **Example**: 表 6 ``301 工资福利支出 11,123.32`` over nine 款 adding to
    11,123.33 is consistent (rounding).  ``302 商品和服务支出 918.84`` over 款 rows
    adding to 928.84 → ``S102``, expected 928.84, found 918.84.
    """

    code = "S102"
    name = "code-hierarchy"
    severity = "error"
    confirms = "rows"
    summary = Msg("上级科目不等于其下级科目之和", "a classification code does not equal the sum of its sub-codes")
    title_zh = "科目层级"
    doc_zh = """
    上级科目不等于其下级科目之和。

    **作用**：按科目编码（类 3 位、款 5 位、项 7 位，编码可分列、连写或写在名称中）建立层级，
    在每个金额栏检查上级科目等于其直接下级科目之和。

    **原因**：科目层级不平衡，说明某个下级科目录错、漏列，或上级金额未随之更新。

    **示例**：表 6 ``301 工资福利支出 11,123.32``，九个款级科目之和 11,123.33，在舍入范围内，正确。
    ``302 商品和服务支出 918.84`` 而其款级科目之和为 928.84 → ``S102``，应为 928.84，实为 918.84。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                pairs = []
                for node in tree.nodes:
                    if node.kind != "code":
                        continue
                    kids = [n for n in node.children if n.kind == "code"]
                    if kids:
                        pairs.append((node, kids))
                cols = amount_cols(table, tree.side)
                needs = failing_columns_many(
                    table, [(n.row.index, [k.row.index for k in kids]) for n, kids in pairs], cols, "=", ctx.show_rounding,
                )
                for (node, kids), need in zip(pairs, needs):
                    yield from row_identities(
                        self, table, tree.side, node, kids, "=",
                        partial(_code_hierarchy_text, node, kids, "zh"), partial(_code_hierarchy_text, node, kids, "en"),
                        ctx=ctx, need=need)


class ChildCodePrefix(Rule):
    """A sub-code does not start with the code of the row it sits under.

    **What it does**: reads the 类 → 款 → 项 chain in row order and reports a 款
    or 项 code that does not begin with its parent's code (``22001`` under
    ``221``), which usually means a mistyped code or a row pasted into the wrong
    block.

    **Why it matters**: codes are what tables are reconciled by; a wrong code
    moves money from one function to another.

    **Example**: ``221 住房保障支出`` followed by ``22001 自然资源事务`` → ``S103``;
    ``221`` followed by ``22102 住房改革支出`` is right.
    """

    code = "S103"
    name = "child-code-prefix"
    severity = "error"
    summary = Msg("下级科目编码与上级科目编码不符", "a sub-code does not start with its parent's code")
    title_zh = "下级科目编码"
    doc_zh = """
    下级科目编码与其上级科目编码不符。

    **作用**：检查列在某个上级科目下的下级科目编码以该上级编码开头。

    **原因**：编码不符说明科目放错了位置或编码录错，按科目的汇总和核对都会出错。

    **示例**：``221 住房保障支出`` 下面是 ``22001 自然资源事务`` → ``S103``；``221`` 下面是 ``22102 住房改革支出``，正确。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                wrong: set[int] = set()
                for node in tree.nodes:
                    parent = node.parent
                    if node.kind != "code" or parent is None or parent.kind != "code":
                        continue
                    if node.code.startswith(parent.code) or id(parent) in wrong:
                        continue  # under a mistyped code only that code is reported
                    wrong.add(id(node))
                    at = next((node.row.cells[c] for c in tree.side.code_cols if node.row.cells[c].raw.strip()), None)
                    if at is None:
                        at = node.row.cells[tree.side.label_col] if tree.side.label_col is not None else node.row.cells[0]
                    yield ctx.finding(
                        self, doc, at,
                        Msg("科目编码「{code}」不以上级科目「{parent}」的编码开头（{parent_code}）",
                            "code '{code}' does not start with the code of its parent row '{parent}' ({parent_code})"),
                        table=table, code=node.display(), parent=parent.display(), parent_code=parent.code,
                    )


class PartsExceedParent(Rule):
    """The parts of a row (其中…) exceed it, or a complete breakdown does not add up.

    **What it does**: ``其中：`` starts a list of parts of the row above; the rows
    after it belong to the same list (only the first part carries 其中).
    Unnumbered rows right under a numbered item are parts of it too.  Parts
    are never added as siblings: together they are at most the parent, and
    exactly the parent where the template's breakdown is complete
    (年初结转和结余 = 基本支出结转 + 项目支出结转和结余 + 经营结余; 基本支出 = 人员经费 +
    公用经费; configurable under ``sums.breakdowns``).

    **Why it matters**: a part larger than its whole is always a typing error;
    a complete breakdown that does not add up hides money in no category.

    **Example**: ``一、基本支出 1,668.64`` with ``人员经费 1,386.53`` and ``日常公用经费
    160.83`` → ``S104`` (1,547.36 ≠ 1,668.64).  ``1、一般公共预算拨款 17,439.61`` with
    ``其中：一般财力 17,439.61`` is right.
    """

    code = "S104"
    name = "parts-exceed-parent"
    severity = "error"
    confirms = "rows"
    summary = Msg("其中项超过上级项，或完整分解不等于上级项", "parts exceed their parent, or a complete breakdown does not add up")
    title_zh = "其中项"
    doc_zh = """
    某行的组成部分（其中…）超过该行，或完整分解不等于该行。

    **作用**：“其中：”开始列出上一行的组成部分，其后各行属于同一列举（只有第一项带“其中”）；编号项下紧接的无编号行也是其组成部分。
    组成部分从不作为并列项相加：合起来不超过上级行；模板的分解完整时须恰好等于上级行（年初结转和结余 = 基本支出结转 +
    项目支出结转和结余 + 经营结余；基本支出 = 人员经费 + 公用经费；可在 ``sums.breakdowns`` 中配置）。

    **原因**：其中项超过总数或完整分解加不到总数，说明某个金额录错。

    **示例**：``一、基本支出 1,668.64``，``人员经费 1,386.53``、``日常公用经费 160.83`` → ``S104``（1,547.36 ≠ 1,668.64）。
    ``1、一般公共预算拨款 17,439.61``，``其中：一般财力 17,439.61``，正确。
    """
    config_keys = ("sums.skip_kinds", "sums.breakdowns")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    parts = node.parts
                    if not parts or node.kind == "heading":
                        continue
                    if node.parts_complete:
                        yield from row_identities(
                            self, table, tree.side, node, parts, "=",
                            f"「{node.display()}」应等于其组成部分{names(parts, 'zh')}之和（{{column}}）",
                            f"'{node.display()}' should equal the sum of its parts {names(parts, 'en')} ({{column}})", ctx=ctx)
                        continue
                    yield from row_identities(
                        self, table, tree.side, node, parts, ">=",
                        f"「{node.display()}」的其中项{names(parts, 'zh')}合计不应超过它（{{column}}）",
                        f"the parts {names(parts, 'en')} of '{node.display()}' should not exceed it ({{column}})", ctx=ctx)


class NumberedItems(Rule):
    """Numbered items (一、二、… / 1、2、…) do not add up to their total.

    **What it does**: a total row over numbered items (本年收入合计 = 一、… + 六、;
    收入总计 = 一、本年收入 + 二、上年结转结余) and a numbered item over its
    sub-items (一、本年收入 = 1、+ 2、+ … + 5.) must add up in every amount column.
    Numbering styles rank in the order they first appear in the table; 其中
    parts and unnumbered headings (支出经济分类 …) are not added.

    **Why it matters**: in final-account tables the numbered items are the
    whole structure; a total that does not match them usually means one item
    was typed into the wrong row.

    **Example**: 本年支出合计 1,668.64 over 一、基本支出 1,668.64 and 二、项目支出
    121.28 → ``S105``, expected 1,789.92.  本年收入合计 1,668.64 over 一、财政拨款收入
    1,668.64 and empty 二、…六、 is right.
    """

    code = "S105"
    name = "numbered-items"
    severity = "error"
    confirms = "rows"
    summary = Msg("编号项之和与合计不符", "numbered items do not add up to their total")
    title_zh = "编号项"
    doc_zh = """
    编号项（一、二、… / 1、2、…）之和与其合计不符。

    **作用**：找出按编号列出的各项及其合计行，按区间舍入规则检查各编号项之和等于合计。

    **原因**：编号项是合计的完整分解；加不到合计，说明某项录错或漏列。

    **示例**：本年支出合计 1,668.64，一、基本支出 1,668.64，二、项目支出 121.28 → ``S105``，应为 1,789.92。
    本年收入合计 1,668.64，一、财政拨款收入 1,668.64，二至六项为空，正确。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    if node.kind == "total" and any(n.kind == "item" for n in node.covers):
                        if income_grand_total(node):
                            continue
                        terms = [n for n in node.covers if n.kind in ("item", "total")]
                    elif node.kind == "item":
                        terms = [n for n in node.children if n.kind == "item"]
                    else:
                        continue
                    indented = any((n.style or "").startswith("indent") for n in terms)
                    what_zh, what_en = ("下级行", "rows indented under it") if indented else ("编号项", "numbered items")
                    yield from row_identities(
                        self, table, tree.side, node, terms, "=",
                        f"「{node.display()}」应等于{what_zh}{names(terms, 'zh')}之和（{{column}}）",
                        f"'{node.display()}' should equal the sum of the {what_en} {names(terms, 'en')} ({{column}})", ctx=ctx)


def get_rules() -> list[type[Rule]]:
    return [TotalRow, CodeHierarchy, ChildCodePrefix, PartsExceedParent, NumberedItems]
