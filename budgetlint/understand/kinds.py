"""Table kinds: English ids with the Chinese title aliases that identify them.

Tables are matched by title (and, failing that, by header content), never by
their number: numbering and table count differ between regions and years.
The order below matters: more specific titles first.
"""

from __future__ import annotations

import re

from .labels import norm

# (kind, title patterns) — first match wins.
KIND_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("perf.scoring", ("绩效评价指标体系", "评价指标体系表", "绩效自评表", "自评表", "绩效评价表", "评分表")),
    ("perf.unit_target", ("整体绩效目标表", "整体支出绩效目标", "部门绩效目标表", "单位绩效目标表")),
    ("perf.project_target", ("绩效目标表", "绩效目标申报表", "绩效目标")),
    ("budget.procurement", ("政府采购",)),
    ("budget.running_costs", ("机关运行经费",)),
    ("budget.sangong", ("三公",)),
    ("budget.carryover", ("上年结转结余", "结转结余情况", "结转和结余")),
    ("budget.fiscal_summary", ("财政拨款收支", "财政拨款收入支出")),
    ("budget.gov_fund", ("政府性基金预算支出", "政府性基金预算财政拨款支出", "政府性基金")),
    ("budget.state_capital", ("国有资本经营预算支出", "国有资本经营预算财政拨款支出", "国有资本经营")),
    ("budget.gpb_basic", ("一般公共预算基本支出", "一般公共预算财政拨款基本支出", "基本支出情况表", "基本支出表")),
    ("budget.fiscal_basic", ("财政拨款基本支出",)),
    ("budget.gpb_project", ("一般公共预算项目支出", "项目支出情况表", "项目支出表", "项目支出决算")),
    ("budget.gpb_expenditure", ("一般公共预算支出", "一般公共预算财政拨款支出", "一般公共预算当年拨款")),
    ("budget.fiscal_expenditure", ("财政拨款支出预算表", "财政拨款支出表", "财政拨款支出情况表")),
    ("budget.summary", ("收支总表", "收支总体情况", "收入支出决算总表", "收支预算总表", "收支决算总表", "收支预决算")),
    ("budget.income", ("收入总表", "收入预算总表", "收入总体情况", "收入决算表", "收入预算表", "收入预决算", "收入情况表")),
    ("budget.expenditure", ("支出总表", "支出预算总表", "支出总体情况", "支出决算表", "支出预算表", "支出预决算", "支出情况表")),
]

KINDS: dict[str, str] = {
    "budget.summary": "收支总表",
    "budget.income": "收入总表",
    "budget.expenditure": "支出总表",
    "budget.fiscal_summary": "财政拨款收支总表",
    "budget.gpb_expenditure": "一般公共预算支出表",
    "budget.fiscal_expenditure": "财政拨款支出表",
    "budget.fiscal_basic": "财政拨款基本支出表",
    "budget.gpb_basic": "一般公共预算基本支出表",
    "budget.gpb_project": "项目支出表",
    "budget.gov_fund": "政府性基金预算支出表",
    "budget.state_capital": "国有资本经营预算支出表",
    "budget.sangong": "“三公”经费支出表",
    "budget.carryover": "上年结转结余表",
    "budget.procurement": "政府采购表",
    "budget.running_costs": "机关运行经费表",
    "perf.project_target": "项目支出绩效目标表",
    "perf.unit_target": "整体绩效目标表",
    "perf.scoring": "绩效评价指标体系表",
    "unknown": "未识别的表",
}

FORM_KINDS = frozenset({"perf.project_target", "perf.unit_target"})
TITLE_HINT = re.compile(r"(表|情况|清单|目标)\s*[)）]?\s*$|[表]\s*[（(]")


def kind_from_title(title: str) -> str | None:
    t = norm(title)
    for kind, words in KIND_TITLES:
        if any(w in t for w in words):
            return kind
    return None


def kind_from_content(header_text: str, body_text: str) -> str:
    """Fallback when the title says nothing: look at what the header and body hold."""
    h = norm(header_text)
    b = norm(body_text)
    if "一级指标" in h or "一级指标" in b:
        if "得分" in h or "得分" in b:
            return "perf.scoring"
        return "perf.project_target"
    if "因公出国" in b and "公务接待" in b:
        return "budget.sangong"
    if "人员经费" in h and "公用经费" in h and ("经济分类" in h or "301" in b):
        return "budget.gpb_basic"
    if "收入" in h and "支出" in h and ("总计" in b or "合计" in b):
        return "budget.summary"
    if "基本支出" in h and "项目支出" in h:
        return "budget.expenditure"
    return "unknown"
