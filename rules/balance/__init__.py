"""Family B: two-sided tables balance, and 三公经费 add up.

B301 checks the identities that make a 收支总表 (or 财政拨款收支总表, 收入支出决算
总表) balance, also when a final-accounts document prints the two sides as two
tables (收入决算表 + 支出决算表); B302 checks the composition of 三公经费 in every
amount column.  Both only yield identities: the engine judges them with the
rounding rule.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
