"""Family H: slips in the text of tables — doubled words and names spelled two ways.

Prose has its own duplicated-word rule (N608); these look at table cells and
at the names that join tables together.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
