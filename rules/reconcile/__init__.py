"""Family X: tables of one document that must agree with each other.

Tables are paired by kind (收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算
支出/基本支出/项目支出表, 政府性基金 and 国有资本经营预算支出表, 三公经费表), lines by
classification code or by the template's line names.  Every identity has its
total in one table and its terms in the other, so a finding names both places.
A table that is absent is never an error (many regions publish fewer tables);
an amount whose partner row is missing from a table that is present is a
warning.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
