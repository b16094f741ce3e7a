"""Helpers shared by the rules of family P (perf).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Iterator

from budgetlint.model import Cell, Table
from budgetlint.understand.forms import Indicator, PerfTable, level1_family, squash
from budgetlint.understand.scoring import ScoreNode


_CANDIDATES = (Decimal(100), Decimal(90))
_STANDARD = ("产出", "效益", "满意度")
_STANDARD_NAMES = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return "—"
    d = d.normalize()
    return f"{d:f}"


def _lines(inds: Iterable[Indicator], lang: str = "zh") -> str:
    """Where the indicators are: 第 13、19 行 for text, sheet cells or pages otherwise."""
    inds = list(inds)
    if all(i.line is not None for i in inds):
        nums = [str(i.line) for i in inds]
        return f"lines {', '.join(nums)}" if lang == "en" else f"第 {'、'.join(nums)} 行"
    out = []
    for i in inds:
        loc = (i.name_cell or i.anchor).loc
        out.append(f"{loc.sheet}!{loc.cell}" if loc.sheet else (loc.cell or (f"p.{loc.page}" if loc.page else (f"L{i.line}" if i.line else "?"))))
    return (", " if lang == "en" else "、").join(out)


def _is_exec_rate(ind: Indicator) -> bool:
    return any("预算执行率" in squash(x) or "执行情况" == squash(x) for x in (ind.name, ind.level1, ind.level2) if x)


def duplicates(pt: PerfTable) -> list[list[Indicator]]:
    """Groups of indicators whose 三级 name is printed more than once in the table."""
    groups: dict[str, list[Indicator]] = {}
    for ind in pt.indicators:
        key = squash(ind.name)
        if key:
            groups.setdefault(key, []).append(ind)
    return [g for g in groups.values() if len(g) > 1]


def missing_families(pt: PerfTable) -> list[str]:
    """Standard 一级 categories (产出/效益/满意度) absent from a table that uses them."""
    present = {level1_family(i.level1) for i in pt.indicators}
    if not present & {"产出", "效益"}:
        return []  # a whole-unit tree (运行成本 / 管理效率 / 履职效能…)
    return [f for f in _STANDARD if f not in present]


def _header_cell(pt: PerfTable, role: str) -> Cell | None:
    if pt.header_row is None or role not in pt.columns:
        return None
    return pt.table.rows[pt.header_row].cells[pt.columns[role]]


def _leaves(nodes: list[ScoreNode]) -> Iterator[ScoreNode]:
    for n in nodes:
        if n.bonus:
            continue
        if n.children:
            yield from _leaves(n.children)
        else:
            yield n


def _decimals(raw: str) -> int:
    m = re.search(r"\.(\d+)", raw)
    return len(m.group(1)) if m else 0


_PLACEHOLDER = [
    (re.compile(r"目标内容\s*\d*"), "目标内容"),
    (re.compile(r"(?<![A-Za-z])(?:XX+|xx+)(?![A-Za-z])"), "XX"),
    (re.compile(r"××+"), "××"),
    (re.compile(r"某某"), "某某"),
]
_GOAL_STUB = re.compile(r"^(?:\d+[.、．]?\s*目标\s*\d*\s*)+$")
_MISSING_COUNT = re.compile(r"[在共计]个(?=[\u4e00-\u9fff])")


def _placeholder(text: str) -> str | None:
    for rx, what in _PLACEHOLDER:
        if rx.search(text):
            return what
    return None


_RATE_UNITS = re.compile(r"[(（]\s*(?:%|次|个|人|件|人次|台|辆|篇|元|万元)\s*[)）]")
_MONEY = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(10 ** 8), "亿": Decimal(10 ** 8), "千元": Decimal(1000)}
