"""Family S: rows that must add up within a table.

Every rule here reads the row hierarchy from :mod:`budgetlint.understand.structure`
(codes, numbering, 其中 parts, unit blocks, total rows, table sides) and yields
one identity per amount column; the engine judges them all at once with the
rounding rule.  The hierarchy comes from the table itself, so a region's
template with other rows or codes is checked the same way.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
