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

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded


class BasicSpendingSplit(Rule):
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
