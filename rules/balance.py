"""Family B: two-sided tables balance, and 三公经费 add up.

B301 checks the identities that make a 收支总表 (or 财政拨款收支总表, 收入支出决算
总表) balance, also when a final-accounts document prints the two sides as two
tables (收入决算表 + 支出决算表); B302 checks the composition of 三公经费 in every
amount column.  Both only yield identities: the engine judges them with the
rounding rule.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from budgetlint.model import Cell, Column, Document, Row, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

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


class TwoSidedBalance(Rule):
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


# ---------------------------------------------------------------- B302


class SangongComposition(Rule):
    """三公经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费.

    **What it does**: in every amount column of a “三公”经费表 (or every row,
    where the items are laid out as columns) checks that the total equals
    因公出国（境）费 + 公务接待费 + 公务用车购置及运行费, and that 公务用车购置及运行费
    equals 公务用车购置费 + 公务用车运行费.  The items may be rows with
    ``其中：`` (as in most budget disclosures) or merged column headers.

    **Why it matters**: the three items are the whole of 三公经费 by definition;
    a total that differs means an item was changed without its total (or the
    reverse), and the narrative usually repeats the wrong figure.

    **Example** (万元)::

        wrong:  合计 18.00 | 因公出国（境）费 - | 公务接待费 2.00 | 公务用车购置及运行费 18.00
        right:  合计 20.00 | 因公出国（境）费 - | 公务接待费 2.00 | 公务用车购置及运行费 18.00
    """

    code = "B302"
    name = "sangong-composition"
    severity = "error"
    summary = Msg("“三公”经费合计与各项之和相符", "三公 total equals its three items")
    title_zh = "三公经费构成"
    doc_zh = """
    三公经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费。

    **作用**：在“三公”经费表的每个金额栏（各项按列排列时为每一行）检查合计等于三项之和，
    且公务用车购置及运行费 = 公务用车购置费 + 公务用车运行费。各项可以是“其中：”行，也可以是合并表头的列。

    **原因**：三项按定义构成三公经费的全部；合计不符说明改了某项而未改合计（或相反），正文往往还照抄了错数。

    **示例**（万元）：合计 18.00 | 因公出国（境）费 - | 公务接待费 2.00 | 公务用车购置及运行费 18.00 → 错误。
    正确：合计 20.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in doc.tables:
            if table.kind != "budget.sangong":
                continue
            name = tb.table_name(table)
            for g in tb.sangong_groups(table):
                cells = g.cells
                main = [cells[k] for k in ("abroad", "reception") if k in cells]
                if "car" in cells:
                    main.append(cells["car"])
                else:
                    main += [cells[k] for k in ("car_purchase", "car_running") if k in cells]
                if "total" in cells and len(main) >= 2:
                    yield Identity(
                        self, cells["total"], [Term(c) for c in main],
                        what=Msg(f"{name}“三公”经费合计应等于因公出国（境）费＋公务接待费＋公务用车购置及运行费" + (f"（{g.name}）" if g.name else ""),
                                 f"{name}: 三公 total must equal travel abroad + reception + official vehicles ({g.name})"),
                    )
                parts = [cells[k] for k in ("car_purchase", "car_running") if k in cells]
                if "car" in cells and parts:
                    rel = "=" if len(parts) == 2 else ">="
                    yield Identity(
                        self, cells["car"], [Term(c) for c in parts], relation=rel,
                        what=Msg(f"{name}公务用车购置及运行费应{'等于' if rel == '=' else '不小于'}公务用车购置费＋公务用车运行费" + (f"（{g.name}）" if g.name else ""),
                                 f"{name}: official vehicles must {'equal' if rel == '=' else 'be at least'} purchase + running costs ({g.name})"),
                    )


# ---------------------------------------------------------------- B303


class BasicSpendingSplit(Rule):
    """人员经费 and 公用经费 of the basic-expenditure table do not match its economic classes.

    **What it does**: in the 一般公共预算基本支出表 (rows by 经济分类), the 人员经费
    column total must equal the 合计 of the personnel classes and the 公用经费 column
    total the 合计 of the public classes: by the usual convention 人员经费 = 301 工资福利支出
    + 303 对个人和家庭的补助 and 公用经费 = 302 商品和服务支出 (+ 310 资本性支出 when the
    template keeps it inside 基本支出).  The class lists are configurable
    (``balance.personnel_codes``, ``balance.public_codes``); a class the table does not
    show counts as zero.

    **Why it matters**: the split between staff and running costs is what the narrative
    and the 机关运行经费 figure quote; an amount put in the wrong column moves money
    between them while every row still adds up.

    **Example**: 总计 人员经费 11,740.77 with 301 = 11,123.32 and 303 = 617.45 is right;
    人员经费 11,704.77 → warning (expected 11,740.77).
    """

    code = "B303"
    name = "basic-spending-split"
    severity = "warning"
    summary = Msg("基本支出表人员经费、公用经费与经济分类类级合计不符", "personnel / public costs do not match the economic classes")
    title_zh = "人员公用经费划分"
    doc_zh = """
    基本支出表的人员经费、公用经费与经济分类类级合计不符。

    **作用**：在一般公共预算基本支出表（按经济分类列行）中，人员经费栏的总计应等于人员类科目的合计，
    公用经费栏的总计应等于公用类科目的合计：通常人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助，
    公用经费 = 302 商品和服务支出（模板把 310 资本性支出列入基本支出时再加 310）。类别清单可配置
    （``balance.personnel_codes``、``balance.public_codes``），表中没有的类按零计。

    **原因**：人员与公用的划分是正文和“机关运行经费”引用的数字；金额填错栏会在两者之间挪动资金，而每行仍然平衡。

    **示例**：总计人员经费 11,740.77，301 = 11,123.32、303 = 617.45，正确；人员经费印为 11,704.77 → 警告（应为 11,740.77）。
    """
    config_keys = ("balance.personnel_codes", "balance.public_codes")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        personnel = tuple(ctx.option("balance.personnel_codes", ("301", "303")))
        public = tuple(ctx.option("balance.public_codes", ("302", "310")))
        for table in doc.tables:
            if table.kind != "budget.gpb_basic":
                continue
            cols = {c.leaf: c.index for c in table.columns if c.role == "value"}
            total_col = next((i for leaf, i in cols.items() if leaf in ("合计", "总计", "小计")), None)
            pers = next((i for leaf, i in cols.items() if "人员经费" in leaf), None)
            pub = next((i for leaf, i in cols.items() if "公用经费" in leaf), None)
            total_row = next((r for r in table.rows if r.kind == "total" and not r.code), None)
            if total_col is None or total_row is None:
                continue
            classes = {r.code: r for r in table.rows if r.code and len(r.code) == 3}
            for col, codes, zh, en in ((pers, personnel, "人员经费", "personnel costs"), (pub, public, "公用经费", "public costs")):
                if col is None:
                    continue
                rows = [classes[c] for c in codes if c in classes]
                if not rows:
                    continue
                names = "＋".join(f"{r.code} {r.label}" for r in rows)
                yield Identity(
                    self, total_row.cells[col], [Term(r.cells[total_col]) for r in rows],
                    what=Msg(f"「{total_row.label}」行{zh}应等于经济分类 {names} 的合计", f"row '{total_row.label}': {en} should equal the total of classes {names}"),
                )


def get_rules() -> list[type[Rule]]:
    return [TwoSidedBalance, SangongComposition, BasicSpendingSplit]
