"""Built-in rules, one module per rule family.

Every module here that defines ``get_rules()`` is a family; the package's own
``get_rules`` (registered in the ``budgetlint.rules`` entry-point group, like
any plug-in) returns them all.  Families:

- ``sums``       S: total and subtotal rows, code hierarchy (within a table)
- ``crossfoot``  C: columns that must add up across a row
- ``balance``    B: two-sided tables and 三公 composition
- ``reconcile``  X: tables that must agree with each other
- ``perf``       P: performance-target and scoring tables
- ``narrative``  N: prose against tables
- ``hygiene``    H: placeholders, duplicates, template residue
- ``loading``    L: files and tables that could not be read as expected
"""

from __future__ import annotations

import importlib
import pkgutil


def get_rules() -> list[type]:
    """All built-in rule classes, family by family, in code order."""
    out: list[type] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        fn = getattr(mod, "get_rules", None)
        if fn is not None:
            out.extend(fn())
    return sorted(out, key=lambda r: (r.family(), int(r.code[len(r.family()):] or 0)))
