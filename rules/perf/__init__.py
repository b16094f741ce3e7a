"""P: performance-target tables (绩效目标表) and scoring sheets (绩效评价指标体系表).

The tables are read once per document by :mod:`budgetlint.understand.perf`; the rules
here only judge what it read.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
