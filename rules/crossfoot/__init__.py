"""Family C: columns that must add up across every row.

The column identities come from the table's header tree
(:func:`budgetlint.understand.structure.column_sums`), from formulas stated in the 栏次
row (``3=1+2``) and from column names that define one (年初预算数 + 追加预算数
= 预算调整数).  Each identity is checked in every row of the table's side.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
