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
from typing import Any, Callable, Sequence

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
    # the failure's own message ({expected}, {actual}, {difference}, {tolerance} and ``extra``), instead of
    # the generic "{what}: expected …, found …"
    message: Msg | None = None


@dataclass(slots=True)
class BulkIdentity:
    """Many identities of one table at once, judged by the engine in one array pass.

    Instance ``i`` says ``cell(total_rows[i], total_cols[i]) (relation)
    Σ_k sign_k · cell(rows_k[i], cols_k[i])`` for the terms ``(sign_k, rows_k,
    cols_k)``: a total row against the rows it covers, one instance per
    amount column (:meth:`rows`), or a total column against its columns, one
    instance per row (:meth:`columns`).  Most instances hold; for each one
    the engine must report (a failure, or with ``--show-rounding`` a
    difference within rounding) it asks ``explain(i)`` for the located
    :class:`Identity` with its message — ``None`` leaves it unreported (a
    percentage, a change column).  Instances with a value anywhere are
    counted per table for the rule's ``confirms`` structure.
    """

    rule: Any
    table: Any  # the Table whose cells the indices address
    total_rows: Sequence[int]
    total_cols: Sequence[int]
    terms: Sequence[tuple[int, Sequence[int], Sequence[int]]]
    explain: Callable[[int], "Identity | None"]
    relation: str = "="

    def __len__(self) -> int:
        return len(self.total_rows)

    @classmethod
    def rows(cls, rule: Any, table: Any, total_row: int, term_rows: Sequence[int], cols: Sequence[int],
             explain: Callable[[int], "Identity | None"], relation: str = "=") -> "BulkIdentity":
        """Row ``total_row`` (relation) Σ ``term_rows``, in each of ``cols`` (instance ``i`` is column ``cols[i]``)."""
        cols = list(cols)
        return cls(rule, table, [total_row] * len(cols), cols, [(1, [r] * len(cols), cols) for r in term_rows], explain, relation)

    @classmethod
    def columns(cls, rule: Any, table: Any, rows: Sequence[int], total_col: int, terms: Sequence[tuple[int, int]],
                explain: Callable[[int], "Identity | None"], relation: str = "=") -> "BulkIdentity":
        """Column ``total_col`` (relation) Σ sign·column over ``terms``, in each of ``rows`` (instance ``i`` is row ``rows[i]``)."""
        rows = list(rows)
        return cls(rule, table, rows, [total_col] * len(rows), [(s, rows, [c] * len(rows)) for s, c in terms], explain, relation)


@dataclass(slots=True)
class Ratio:
    """``ratio = scale · Σ numerator ÷ Σ denominator`` (a share, a growth rate), judged with the interval rule.

    Every cell stands for the interval of its printed digits; the printed
    ratio holds when its interval meets the interval the quotient can take.
    With ``magnitudes`` the cells' absolute values are used (a change written
    after 减少).  ``message`` is the failure's message ({expected}, {actual},
    {difference} and ``extra``); ``rounding_message`` the one shown with
    ``--show-rounding`` for a ratio that differs in its last digits but holds.
    ``terms`` are the cells the finding lists.
    """

    rule: Any
    ratio: Cell
    numerator: list[Term]
    denominator: list[Term]
    terms: list[Term]
    message: Msg
    rounding_message: Msg | None = None
    scale: Decimal = Decimal(100)
    magnitudes: bool = False
    anchor: Cell | None = None
    severity: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
