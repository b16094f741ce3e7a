"""The same unit is named in two slightly different ways in one document.

**What it does**: collects the unit names a document uses — unit rows of
the project expenditure table (项目支出表), 预算单位 / 单位名称 of
performance-target tables, 项目承担单位 in project write-ups — and warns
when two of them differ only by a few characters inserted or left out
(``乌鲁木齐市米东区…大队`` and ``乌鲁木齐米东区…大队``; ``新和县县…`` and
``新和县…``).  Names that differ by a substituted character (伊宁市 / 伊宁县)
are different units and are not reported.

**Why it matters**: checks that join tables by name (a project's target
table against its row in 表7) can only pair exact names; a variant
spelling makes the pair a guess, so one spelling should be used throughout.

**Example**: 表7 ``乌鲁木齐市米东区国土资源执法监察大队`` and a target table's
``乌鲁木齐米东区国土资源执法监察大队`` → warning naming both places.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _UNIT_SUFFIX, _collect_names, _is_insertion


class NameSpelledTwoWays(Rule):
    code = "H502"
    name = "name-spelled-two-ways"
    severity = "warning"
    summary = Msg("同一单位名称前后写法不一致", "a unit's name is spelled two ways")
    title_zh = "单位名称写法不一"
    doc_zh = """
    同一单位在同一文件中有两种略有不同的写法。

    **作用**：收集文件中使用的单位名称（项目支出表的单位行、绩效目标表的预算单位/单位名称、项目说明中的
    项目承担单位），两个名称仅差几个插入或遗漏的字时给出警告（``乌鲁木齐市米东区…大队`` 与
    ``乌鲁木齐米东区…大队``；``新和县县…`` 与 ``新和县…``）。只差一个替换字的名称（伊宁市/伊宁县）
    是不同单位，不报。

    **原因**：按名称连接表格的检查（项目的绩效目标表与表 7 中的行）只能配对完全相同的名称；
    写法不一使配对变成猜测，全文应使用同一写法。

    **示例**：表 7 ``乌鲁木齐市米东区国土资源执法监察大队`` 与某绩效目标表的 ``乌鲁木齐米东区国土资源执法监察大队``
    → 警告，并指出两处位置。
    """
    config_keys = ("hygiene.max_name_gap",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        names = _collect_names(doc)
        if len(names) < 2:
            return
        gap = int(ctx.option("hygiene.max_name_gap", 3) or 3)
        keys = sorted(names)
        reported: set[tuple[str, str]] = set()
        by_suffix: dict[str, list[str]] = {}
        for k in keys:
            m = _UNIT_SUFFIX.search(k)
            by_suffix.setdefault(m.group(1) if m else "", []).append(k)
        for group in by_suffix.values():
            group.sort(key=len)
            for i, short in enumerate(group):
                for long in group[i + 1:]:
                    if len(long) - len(short) > gap:
                        break
                    if len(long) == len(short) or not _is_insertion(short, long):
                        continue
                    pair = (short, long)
                    if pair in reported:
                        continue
                    reported.add(pair)
                    a, b = names[short][0], names[long][0]
                    yield ctx.finding(
                        self, doc, b,
                        Msg("单位名称写法不一致：「{long}」与「{short}」（{where}）", "unit name spelled two ways: “{long}” and “{short}” ({where})"),
                        terms=[a, b], long=long, short=short, where=a.loc.describe(),
                    )
