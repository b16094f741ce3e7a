"""A word, an administrative suffix or a punctuation mark is doubled in a table cell or in the prose.

**What it does**: warns on a table cell whose text repeats a word
(``唐山市唐山市国土资源局``, ``保障保障``), doubles an administrative
suffix before a name (``新和县县国土资源执法监察大队``) or doubles
punctuation (``：：``), and on a prose paragraph with a word doubled
(``增加增加``), a suffix doubled (``经费费``, ``的的``) or a punctuation mark
doubled (``：：``, ``，，``).  Words are found on word boundaries (checked
against a Chinese dictionary), so a repeated character that belongs to two
words is not a repeated word: ``北京市市场监督管理局`` (北京市 | 市场…) passes.
Numbers and codes are not looked at.  (Doubled words in the prose were
``N608``.)

**Why it matters**: a unit or project name typed twice no longer matches
the same name elsewhere, so every check that pairs tables by name (project
amounts, unit budgets) silently loses that pair; in the prose such slips mark
text that was edited in a hurry.

**Example**: ``334002唐山市唐山市国土资源局丰润区分局`` → warning.
Right: ``334002唐山市国土资源局丰润区分局``.  In the prose
``设立的政策依据：：根据…`` → warning; right: ``设立的政策依据：根据…``.
"""
from __future__ import annotations

from typing import Iterable

from budgetlint.dupwords import duplicates
from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _CELL_PUNCT, _PROSE_PUNCT


class DuplicatedTextInCell(Rule):
    code = "H501"
    former_codes = ("N608",)  # doubled words in the prose
    name = "duplicated-text-in-cell"
    severity = "warning"
    summary = Msg("表格单元格或正文中词语或标点重复", "doubled word or punctuation in a table cell or in the prose")
    title_zh = "单元格文字重复"
    doc_zh = """
    表格单元格或正文中的词语、行政区划后缀或标点重复。

    **作用**：表格单元格文字中词语重复（``唐山市唐山市国土资源局``、``保障保障``）、名称前的行政区划后缀重复
    （``新和县县国土资源执法监察大队``）或标点重复（``：：``），以及正文段落中词语重复（``增加增加``）、
    后缀重复（``经费费``、``的的``）或标点重复（``：：``、``，，``）时给出警告。按词语边界判断（对照中文词典），
    分属两个词的相同汉字不算重复：``北京市市场监督管理局``（北京市｜市场…）不报。不检查数字和编码。
    （正文中的重复原为 ``N608``。）

    **原因**：重复录入的单位或项目名称与别处的同一名称对不上，所有按名称配对的检查（项目金额、单位预算）
    都会悄悄漏掉这一对；正文中的这类笔误说明文字是仓促修改的。

    **示例**：``334002唐山市唐山市国土资源局丰润区分局`` → 警告。正确：``334002唐山市国土资源局丰润区分局``。
    正文 ``设立的政策依据：：根据…`` → 警告；正确：``设立的政策依据：根据…``。
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
        for p in doc.prose:
            text = p.text
            for d in duplicates(text, punctuation=_PROSE_PUNCT):
                ctxt = text[max(0, d.start - 8) : d.end + 8]
                yield ctx.finding(
                    self, doc, p,
                    Msg("重复的词语或标点「{dup}」：…{ctxt}…", "duplicated “{dup}”: …{ctxt}…"),
                    dup=d.text, ctxt=ctxt,
                )
