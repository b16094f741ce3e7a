"""How a family package finds its rules: every ``<code>_<name>.py`` module in it.

A rule module is named after its rule (``S101_total_row.py``) and defines one
rule class; its docstring is the rule's documentation.  Modules whose name
starts with ``_`` hold helpers shared by the family.  The modules are imported
only when the rules are asked for.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Iterable

RULE_MODULE = re.compile(r"^[A-Z]\d{3}_[a-z0-9_]+$")


def family_rules(package: str, path: Iterable[str]) -> list[type]:
    """The rule classes defined in the rule modules of ``package``, in code order."""
    from budgetlint.rule import Rule

    out: list[type] = []
    for info in sorted(pkgutil.iter_modules(list(path)), key=lambda m: m.name):
        if not RULE_MODULE.match(info.name):
            continue
        mod = importlib.import_module(f"{package}.{info.name}")
        found = [obj for _, obj in inspect.getmembers(mod, inspect.isclass)
                 if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == mod.__name__]
        if len(found) != 1 or not info.name.startswith(found[0].code + "_"):
            raise ImportError(f"{mod.__name__}: a rule module defines exactly one rule, named by its code "
                              f"(found {[c.__name__ for c in found]})")
        out.extend(found)
    return out
