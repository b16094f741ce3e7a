"""Family H: slips in the text of tables — doubled words and names spelled two ways.

Prose has its own duplicated-word rule (N608); these look at table cells and
at the names that join tables together.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from budgetlint.dupwords import duplicates
from budgetlint.model import Cell, Document
from budgetlint.rule import Context, Msg, Rule, Yielded

_CELL_PUNCT = "，。、；："  # full-width only: OCR debris is ASCII
_UNIT_SUFFIX = re.compile(r"(大队|支队|总队|中队|分局|局|所|中心|站|委员会|办公室|厅|院|队)$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


class DuplicatedTextInCell(Rule):
    """A word, an administrative suffix or a punctuation mark is doubled inside a table cell.

    **What it does**: warns on a table cell whose text repeats a word
    (``唐山市唐山市国土资源局``, ``保障保障``), doubles an administrative
    suffix before a name (``新和县县国土资源执法监察大队``) or doubles
    punctuation (``：：``).  Words are found on word boundaries (checked
    against a Chinese dictionary), so a repeated character that belongs to two words is
    not a repeated word: ``北京市市场监督管理局`` (北京市 | 市场…) passes.
    Numbers and codes are not looked at.

    **Why it matters**: a unit or project name typed twice no longer matches
    the same name elsewhere, so every check that pairs tables by name (project
    amounts, unit budgets) silently loses that pair.

    **Example**: ``334002唐山市唐山市国土资源局丰润区分局`` → warning.
    Right: ``334002唐山市国土资源局丰润区分局``.
    """

    code = "H501"
    name = "duplicated-text-in-cell"
    severity = "warning"
    summary = Msg("表格单元格中词语或标点重复", "doubled word or punctuation in a table cell")
    title_zh = "单元格文字重复"
    doc_zh = """
    表格单元格中的词语、行政区划后缀或标点重复。

    **作用**：表格单元格文字中词语重复（``唐山市唐山市国土资源局``、``保障保障``）、名称前的行政区划后缀重复
    （``新和县县国土资源执法监察大队``）或标点重复（``：：``）时给出警告。按词语边界判断（对照中文词典），
    分属两个词的相同汉字不算重复：``北京市市场监督管理局``（北京市｜市场…）不报。不检查数字和编码。

    **原因**：重复录入的单位或项目名称与别处的同一名称对不上，所有按名称配对的检查（项目金额、单位预算）
    都会悄悄漏掉这一对。

    **示例**：``334002唐山市唐山市国土资源局丰润区分局`` → 警告。正确：``334002唐山市国土资源局丰润区分局``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for t in doc.tables:
            for row in t.rows:
                for cell in row.cells:
                    if cell.value is not None or len(cell.raw) < 3:
                        continue
                    text = cell.raw.strip()  # spaces kept: OCR joins cells with a space between them
                    found = duplicates(text, punctuation=_CELL_PUNCT)
                    if found:
                        d = found[0]
                        shown = text if len(text) <= 60 else (
                            ("…" if d.start > 20 else "") + text[max(0, d.start - 20): d.end + 20] + ("…" if d.end + 20 < len(text) else "")
                        )
                        yield ctx.finding(
                            self, doc, cell,
                            Msg("单元格文字「{text}」中「{dup}」重复", "“{dup}” is doubled in the cell text “{text}”"),
                            text=shown, dup=d.text,
                        )


class NameSpelledTwoWays(Rule):
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


def _is_insertion(short: str, long: str) -> bool:
    """True when ``long`` is ``short`` with one contiguous run of characters inserted."""
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    extra = len(long) - len(short)
    return short[i:] == long[i + extra:]


def _collect_names(doc: Document) -> dict[str, list[Cell]]:
    names: dict[str, list[Cell]] = {}

    def add(name: str | None, cell: Cell | None) -> None:
        if not name or cell is None:
            return
        key = _norm(name)
        key = re.sub(r"^\d{6}", "", key)
        if len(key) >= 6 and _UNIT_SUFFIX.search(key):
            names.setdefault(key, []).append(cell)

    for t in doc.tables:
        if t.kind == "budget.gpb_project":
            for row in t.rows:
                if not row.code and row.kind == "data" and row.label:
                    label_cell = next((c for c in row.cells if c.text and _norm(c.raw) == _norm(row.label)), row.cells[0])
                    add(row.label, label_cell)
    if any(t.kind.startswith("perf.") for t in doc.tables):
        from budgetlint.understand.forms import perf_view

        for pt in perf_view(doc).targets:
            add(pt.unit_name, pt.unit_cell)
    for p in doc.prose:
        m = re.match(r"^\s*项目承担单位\s*[:：]\s*(\S.*?)\s*$", p.text)
        if m:
            add(m.group(1), Cell(raw=m.group(1), loc=p.loc))
    return names


def get_rules() -> list[type[Rule]]:
    return [DuplicatedTextInCell, NameSpelledTwoWays]
