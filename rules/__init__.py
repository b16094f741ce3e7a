"""Built-in rules: a package per rule family, one module per rule.

Every sub-package here is a family; its ``get_rules()`` returns the rule of
each ``<code>_<name>.py`` module in it (``sums/S101_total_row.py``), and the
package's own ``get_rules`` (registered in the ``budgetlint.rules``
entry-point group, like any plug-in) returns them all.  Families:

- ``sums``       S: total and subtotal rows, code hierarchy (within a table)
- ``crossfoot``  C: columns that must add up across a row
- ``balance``    B: two-sided tables and 三公 composition
- ``reconcile``  X: tables that must agree with each other
- ``perf``       P: performance-target and scoring tables
- ``narrative``  N: prose against tables
- ``hygiene``    H: doubled words, names spelled two ways
- ``loading``    L: files and tables that could not be read as expected

``docs/rules.md`` lists them all (``budgetlint rules --format md``).
"""

from __future__ import annotations

import importlib
import pkgutil


def get_rules() -> list[type]:
    """All built-in rule classes, family by family, in code order."""
    out: list[type] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or not info.ispkg:
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        fn = getattr(mod, "get_rules", None)
        if fn is not None:
            out.extend(fn())
    return sorted(out, key=lambda r: (r.family(), int(r.code[len(r.family()):] or 0)))
