"""Table kinds: English ids with the Chinese title aliases that identify them.

Tables are matched by title (and, failing that, by header content), never by
their number: numbering and table count differ between regions and years.
The kinds, their title aliases (more specific titles first) and the shape each
published template gives them are data: ``templates/tables.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from .labels import norm


@dataclass(frozen=True, slots=True)
class Shape:
    """What one template's table of one kind carries: caption word groups, a row-name column or not."""

    template: str
    template_name: str
    columns: tuple[tuple[str, ...], ...]
    label: bool = True

    def missing(self, captions: str) -> list[str]:
        """The caption groups of this shape that ``captions`` lacks (each as ``a / b``)."""
        return [" / ".join(words) for words in self.columns if not any(w in captions for w in words)]


def _load() -> dict:
    with resources.files(__package__).joinpath("templates", "tables.toml").open("rb") as fh:
        return tomllib.load(fh)


_DATA = _load()

# (kind, title patterns) — first match wins (templates/tables.toml, [[kind]] in order).
KIND_TITLES: list[tuple[str, tuple[str, ...]]] = [(k["id"], tuple(k["titles"])) for k in _DATA["kind"]]

KINDS: dict[str, str] = {k["id"]: k["name"] for k in _DATA["kind"]}
KINDS["unknown"] = "未识别的表"

# The shapes every template gives each kind (templates/tables.toml, [[template]]).
SHAPES: dict[str, tuple[Shape, ...]] = {}
for _tpl in _DATA.get("template", ()):
    for _kind, _spec in _tpl.get("shapes", {}).items():
        SHAPES[_kind] = SHAPES.get(_kind, ()) + (
            Shape(_tpl["id"], _tpl["name"], tuple(tuple(g) for g in _spec["columns"]), bool(_spec.get("label", True))),
        )


# Breakdowns the templates define completely: parent → its parts (templates/tables.toml, [[breakdown]]).
BREAKDOWNS: dict[str, tuple[str, ...]] = {b["parent"]: tuple(b["parts"]) for b in _DATA.get("breakdown", ())}


def shape_gap(kind: str, captions: str, has_label: bool) -> tuple[Shape | None, list[str]]:
    """How far a table is from its kind's shape in the nearest template.

    Returns ``(None, [])`` when some template's shape fits (or the kind has none), else the
    closest shape and what the table lacks against it (caption groups, and ``"label"``
    when a row-name column is required).
    """
    best: tuple[Shape | None, list[str]] = (None, [])
    for shape in SHAPES.get(kind, ()):
        gap = shape.missing(captions) + ([] if has_label or not shape.label else ["label"])
        if not gap:
            return None, []
        if best[0] is None or len(gap) < len(best[1]):
            best = (shape, gap)
    return best


FORM_KINDS = frozenset({"perf.project_target", "perf.unit_target"})
TITLE_HINT = re.compile(r"(表|情况|清单|目标)\s*[)）]?\s*$|[表]\s*[（(]")


def kind_from_title(title: str) -> str | None:
    t = norm(title)
    for kind, words in KIND_TITLES:
        if any(w in t for w in words):
            return kind
    return None


def kind_from_content(header_text: str, body_text: str) -> str:
    """Fallback when the title says nothing: look at what the header and body hold."""
    h = norm(header_text)
    b = norm(body_text)
    if "一级指标" in h or "一级指标" in b:
        if "得分" in h or "得分" in b:
            return "perf.scoring"
        return "perf.project_target"
    if "因公出国" in b and "公务接待" in b:
        return "budget.sangong"
    if "人员经费" in h and "公用经费" in h and ("经济分类" in h or "301" in b):
        return "budget.gpb_basic"
    if "收入" in h and "支出" in h and ("总计" in b or "合计" in b):
        return "budget.summary"
    if "基本支出" in h and "项目支出" in h:
        return "budget.expenditure"
    return "unknown"
