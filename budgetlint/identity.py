"""Identities: the arithmetic most rules yield, as data.

An :class:`Identity` says ``total (relation) Σ sign·term`` over located cells;
the engine judges every identity of a document at once with the one rounding
implementation (:mod:`budgetlint.rounding`).  :class:`Msg` is a message in both
languages and :class:`Term` one addend.  This module imports only the model,
so the rule API (:mod:`budgetlint.rule`), the findings and the engine all build
on it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from .model import Cell


@dataclass(frozen=True, slots=True)
class Msg:
    """A message in both languages; ``{placeholders}`` are filled by the engine."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(slots=True)
class Term:
    """One addend of an identity: a located cell with its sign."""

    cell: Cell
    sign: int = 1
    label: str | None = None  # overrides the label derived from row/column


@dataclass(slots=True)
class Identity:
    """``total (relation) Σ sign·term``, judged with the interval rule.

    relation ``"="``: the total equals the sum; ``">="``: the total is at least
    the sum (parts of an open-ended 其中 list); ``"<="``: at most.
    ``total`` may be ``None`` with a ``constant`` instead (weights = 100).
    ``anchor`` is where the finding points (defaults to the total cell).
    ``what`` describes the identity for the message; ``severity`` overrides
    the rule's default (e.g. a pairing by names is a warning).
    """

    rule: Any  # the Rule instance that yielded it
    total: Cell | None
    terms: list[Term]
    relation: str = "="
    constant: Decimal | None = None
    anchor: Cell | None = None
    what: Msg | None = None
    severity: str | None = None
    exact: bool = False  # no rounding slack at all (counts, integer weights)
    extra: dict[str, Any] = field(default_factory=dict)
    key: Any = None  # lets a rule tie identities (dedupe, first-failure-only)


class LazyIdentity(Identity):
    """An identity whose explanation is built only if it fails.

    Most identities hold; building each one's message and terms up front is
    most of a rule's cost on large tables.  A lazy identity carries just the
    cells (``total`` = Σ ``cells``, all with sign +1) and a ``build`` function
    returning the full :class:`Identity` (same total, same cells, same
    relation) for the few the engine must explain.
    """

    __slots__ = ("cells", "build")

    def __init__(self, rule: Any, total: Cell, cells: list[Cell], relation: str, build: Callable[[], Identity]) -> None:
        self.rule = rule
        self.total = total
        self.cells = cells
        self.relation = relation
        self.build = build
        self.constant = None
        self.exact = False
