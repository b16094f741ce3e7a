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

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.understand import lookup as tb


class SangongComposition(Rule):
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
