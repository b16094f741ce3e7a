"""Which cell is probably wrong: one typing mistake usually breaks several sums.

A mistyped amount sits in a row sum, a column cross-foot and often a
cross-table pair at once.  For every failed identity, correcting one of its
cells by the right amount would make it hold: the total by ``-difference``,
a term of sign ``s`` by ``s * difference``.  When two or more failed
identities point at the same cell *and* ask for the same correction (within
their tolerances), that cell is named in each of their messages as the likely
culprit, with the value that would reconcile them all.  Nothing is guessed
from a single failure.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Sequence

from .model import Finding
from .rounding import agree

_HINT = {
    "zh": "（疑似出错的单元格：{where}，若改为 {value} 则 {n} 处不符同时消除）",
    "en": " (likely wrong cell: {where}; as {value} it would reconcile all {n} mismatches)",
}


def _key(path: str, table: Any, row: Any, col: Any) -> tuple | None:
    if table is None or row is None or col is None:
        return None
    return (path, int(table), int(row), int(col))


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v))


def mark_suspects(findings: Sequence[Finding], lang: str = "zh") -> None:
    """Add ``suspect`` (and a sentence in the message) to failed identities that share one likely wrong cell."""
    votes: dict[tuple, list[tuple[Finding, Decimal, Decimal, dict[str, Any]]]] = defaultdict(list)
    for f in findings:
        if f.severity == "info" or "relation" not in f.extra or f.extra.get("relation") != "=" or "constant" in f.extra:
            continue  # a constant total (shares = 100 %) has no cell to correct on its side
        diff, tol = f.number("difference"), f.number("tolerance") or Decimal(0)
        if diff is None or diff == 0:
            continue
        total = f.extra.get("total")
        if total is not None:
            tkey = _key(f.path, total.get("table"), total.get("row"), total.get("column"))
            tinfo = total
        else:
            tkey = _key(f.path, (f.table or {}).get("index"), (f.row or {}).get("index"), (f.column or {}).get("index"))
            tinfo = {"label": " · ".join(x for x in ((f.row or {}).get("label"), (f.column or {}).get("label")) if x),
                     "value": f.actual, "line": f.line, "sheet": f.sheet, "cell": f.cell, "page": f.page}
        if tkey is not None:
            votes[tkey].append((f, -diff, tol, tinfo))
        for t in f.terms:
            k = _key(f.path, t.get("table"), t.get("row"), t.get("column"))
            if k is not None:
                votes[k].append((f, diff * int(t.get("sign", 1) or 1), tol, t))
    named: dict[int, tuple] = {}
    for key, entries in votes.items():
        if len({id(e[0]) for e in entries}) < 2:
            continue
        ref = entries[0][1]
        if all(agree(e[1], ref, max(e[2], entries[0][2])) for e in entries):
            info = entries[0][3]
            value = _dec(info.get("value"))
            for f, *_ in entries:
                # a finding keeps the cell that explains the most mismatches
                if id(f) not in named or len(entries) > named[id(f)][1]:
                    named[id(f)] = (f, len(entries), info, None if value is None else value + ref)
    for f, n, info, corrected in named.values():
        if "suspect" in f.extra:
            continue  # already named (findings checked in a worker are finished again here)
        where = info.get("label") or ""
        loc = (f"{info.get('sheet')}!{info.get('cell')}" if info.get("sheet") else
               (f"第 {info['line']} 行" if lang != "en" and info.get("line") is not None else
                (f"line {info['line']}" if info.get("line") is not None else (info.get("cell") or ""))))
        where = f"{where}（{loc}）" if lang != "en" and loc else (f"{where} ({loc})" if loc else where)
        shown = "—" if corrected is None else f"{corrected:,f}"
        f.extra["suspect"] = {
            "label": info.get("label"), "line": info.get("line"), "sheet": info.get("sheet"), "cell": info.get("cell"),
            "page": info.get("page"), "value": info.get("value"),
            "corrected": None if corrected is None else float(corrected), "mismatches": n,
        }
        f.message += _HINT["en" if lang == "en" else "zh"].format(where=where, value=shown, n=n)
