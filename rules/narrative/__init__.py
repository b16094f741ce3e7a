"""Family N: the narrative against the tables.

Every rule reads the statements :func:`budgetlint.understand.narrative.extract` found in
the document's prose (once per document) and yields identities the engine
judges with the one rounding implementation — sums (amounts, parts, shares
adding up to 100 %) and ratios (shares, growth rates) — or findings about
words (directions that contradict, a unit that does not fit).
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
