"""Rule codes as users type them: case-insensitive, with a suggestion when one is unknown.

Codes and prefixes are compared in upper case everywhere (``--select s101``,
``ignore = ["n6"]``, ``budgetlint explain s101``), and ``ALL`` is any case of
``all``.  A pattern that matches no rule gets a "did you mean" built from the
usual typing slips (letter O for zero, l or I for one) and from the closest
known code or prefix.
"""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

# Letters commonly typed for the digit that looks like them, in the digit part of a code.
_LOOKALIKES = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "Z": "2", "S": "5", "B": "8", "G": "6"})


def normalize(code: str) -> str:
    """A code or prefix as the engine compares it: stripped, upper case."""
    return code.strip().upper()


def normalize_all(codes: Iterable[str] | None) -> list[str]:
    """:func:`normalize` over a list, empty entries dropped."""
    return [normalize(c) for c in codes or () if c and c.strip()]


def matches_any(pattern: str, codes: Iterable[str]) -> bool:
    """Whether ``pattern`` (a code, a prefix or ``ALL``) selects at least one of ``codes``."""
    p = normalize(pattern)
    return p == "ALL" or any(normalize(c).startswith(p) for c in codes)


def suggest(pattern: str, codes: Sequence[str], names: dict[str, str] | None = None) -> str | None:
    """The code or prefix the user most likely meant, or None."""
    p = normalize(pattern)
    known = [normalize(c) for c in codes]
    if not p or not known:
        return None
    if names:
        by_name = {n.lower(): normalize(c) for n, c in names.items()}
        if pattern.strip().lower() in by_name:
            return by_name[pattern.strip().lower()]
    # the family letter stays, look-alike letters after it become digits
    fixed = p[:1] + p[1:].translate(_LOOKALIKES)
    if fixed != p and matches_any(fixed, known):
        return fixed
    prefixes = sorted({c[:k] for c in known for k in range(1, len(c) + 1)})
    candidates = [x for x in prefixes if len(x) == len(p)] or prefixes
    close = difflib.get_close_matches(p, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_code_message(pattern: str, codes: Sequence[str], names: dict[str, str] | None = None) -> str:
    """``no rule matches 'X'`` with a suggestion when there is one."""
    hint = suggest(pattern, codes, names)
    text = f"no rule matches {pattern!r}"
    if hint:
        text += f" (did you mean {hint!r}?)"
    return text + " (see 'budgetlint rules')"
