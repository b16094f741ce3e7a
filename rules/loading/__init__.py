"""Family L: files and tables that could not be read as expected.

These rules turn what the loaders and the shape validation noticed into
findings, so a broken file is reported with its cause while the run goes on.
"""

from __future__ import annotations

from budgetlint.rules._collect import family_rules


def get_rules() -> list[type]:
    """The rules of this family: every ``<code>_<name>.py`` module beside this one."""
    return family_rules(__name__, __path__)
