"""Family N: the narrative against the tables.

Every rule reads the statements :func:`budgetlint.understand.narrative.extract` found in
the document's prose (once per document) and either yields identities judged
with the interval rounding rule (amounts, sums of parts) or findings it
judged itself with interval arithmetic on ratios (shares, growth rates).
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
