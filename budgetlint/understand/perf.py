"""Every performance form of a document, read once: target tables (:mod:`.forms`) and scoring
sheets or self-evaluation forms (:mod:`.scoring`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document
from .forms import TARGET_KINDS, PerfTable, parse_target_table
from .scoring import ScoreTree, parse_scoring_table


@dataclass(slots=True)
class PerfView:
    targets: list[PerfTable]
    scoring: list[ScoreTree]


def perf_view(doc: Document) -> PerfView:
    """Every target and scoring table of the document, parsed once and cached on the document."""
    cached = doc.meta.get("_perf_view")
    if isinstance(cached, PerfView):
        return cached
    targets = [parse_target_table(t) for t in doc.tables if t.kind in TARGET_KINDS]
    scoring = []
    for t in doc.tables:
        if t.kind == "perf.scoring":
            tree = parse_scoring_table(t)
            if tree is not None:
                scoring.append(tree)
    view = PerfView(targets, scoring)
    doc.meta["_perf_view"] = view
    return view
