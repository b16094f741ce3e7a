"""What a rule is, and what it yields.

A rule is a small class with a stable ``code`` (family letter + digits), a
kebab-case ``name``, a default ``severity``, the ``config_keys`` it reads and
its documentation (*What it does*, *Why it matters*, *Example*: the docstring
of its class or of the module it is alone in), with a Chinese ``title_zh`` and
``doc_zh`` beside them.  ``check`` receives one understood document and yields
identities (:mod:`budgetlint.identity`: a sum, a table-wide bulk sum or a
ratio — arithmetic the engine judges with the one rounding implementation,
:mod:`budgetlint.rounding`) or ready :class:`~budgetlint.model.Finding`
objects built with :meth:`Context.finding` (text checks).  ``check_run`` sees
the whole run at once.  Rules never parse files, compute locations, format
output or judge rounding themselves.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Sequence, Union

from .identity import BulkIdentity, Identity, Msg, Ratio, Term
from .model import Cell, Document, Finding, Paragraph, Table

__all__ = ["BulkIdentity", "Context", "Identity", "Msg", "Ratio", "Rule", "Term", "Yielded"]


Yielded = Union[Identity, BulkIdentity, Ratio, Finding]


class Rule:
    """Base class of every rule.  Subclasses set the class attributes and ``check``."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[str] = "error"
    summary: ClassVar[Msg] = Msg("", "")
    title_zh: ClassVar[str] = ""  # a short Chinese title shown beside the code (科目层级)
    doc_zh: ClassVar[str] = ""  # the documentation in Chinese: **作用**, **原因**, **示例**
    config_keys: ClassVar[tuple[str, ...]] = ()
    # Codes this rule had before (a rule moved to another family, or merged into this one): they keep
    # working in --select/--ignore, configuration and baselines, with a notice naming the new code.
    former_codes: ClassVar[tuple[str, ...]] = ()
    default_enabled: ClassVar[bool] = True
    # The structure a rule's identities test ("rows", "columns"), if any: the
    # engine tallies how many of them a table bears out, and a structure that
    # most of them contradict is reported as not understood instead of as errors.
    confirms: ClassVar[str | None] = None
    # A rule with a ``review`` hook sees every finding of a document after the
    # identities are judged; ``always_review`` runs the hook even when the
    # rule is not selected (its own findings are then dropped).
    always_review: ClassVar[bool] = False
    # A rule that reports documents that could not be read (``doc.error``): only such rules run
    # on a file whose checking was stopped at the time limit.
    reports_unreadable: ClassVar[bool] = False

    # Modules a rule's run-wide check needs (pandas, pandera…): in a parallel run the main process
    # imports them while the workers read the files.
    run_imports: ClassVar[tuple[str, ...]] = ()

    def prepare_run(self) -> None:
        """In the main process of a parallel run, while the workers read the files: get ready for
        :meth:`finish_run` (build schemas, warm caches), so that it costs less once they are done."""

    def check_run(self, documents: Sequence[Document], ctx: "Context") -> Iterable[Finding]:
        """Findings about the whole run, once, after every document was checked (default: none).

        For checks that are cheap only in bulk (one schema call over every table of a
        kind) or that concern the run itself (folder entries that were skipped).
        """
        return ()

    def gather_run(self, documents: Sequence[Document], ctx: "Context") -> Any:
        """In a worker process of a parallel run: what :meth:`finish_run` needs from these documents.

        Must be picklable.  By default the findings of :meth:`check_run` over the
        worker's documents.
        """
        return list(self.check_run(documents, ctx))

    def finish_run(self, gathered: Sequence[Any], ctx: "Context") -> Iterable[Finding]:
        """In the main process of a parallel run: the run's findings from what each worker gathered."""
        return [f for part in gathered for f in (part or ())]

    def review(self, doc: Document, findings: list[Finding], ctx: "Context") -> list[Finding]:
        """Return the document's findings, possibly revised.  Most rules keep them as they are."""
        return findings

    def check(self, doc: Document, ctx: "Context") -> Iterable[Yielded]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def doc(cls, lang: str = "en") -> str:
        """The rule's documentation (Markdown): ``doc_zh`` in Chinese, else the docstring.

        The docstring is the class's, or else that of the module the rule is
        alone in (``rules/sums/S101_total_row.py``).
        """
        if lang != "en" and cls.doc_zh:
            return inspect.cleandoc(cls.doc_zh)
        text = cls.__doc__
        if not text:
            module = sys.modules.get(cls.__module__)
            text = getattr(module, "__doc__", None)
        return inspect.cleandoc(text or "")

    @classmethod
    def title(cls, lang: str = "zh") -> str:
        """The title shown beside the code: ``title_zh`` in Chinese, the kebab-case name in English."""
        if lang == "en":
            return cls.name
        return cls.title_zh or cls.summary.zh or cls.name

    @classmethod
    def family(cls) -> str:
        return cls.code.rstrip("0123456789")


@dataclass
class Context:
    """What a rule may read besides the document: config and language."""

    config: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"
    show_rounding: bool = False
    # identity instances with a value the engine judged, per (table index, structure) of the current
    # document (for the rule that tells a misread table from a wrong one)
    tally: dict[tuple[int, str], int] = field(default_factory=dict)
    confirms: dict[str, str] = field(default_factory=dict)  # rule code -> the structure its identities test
    # entries of the checked folders that were not read (path, zh, en), for the rule that reports them
    skipped: list[Any] = field(default_factory=list)
    # reads a document again by path (a run-wide check in the main process of a parallel run)
    load: Callable[[str], Document] | None = None

    def new_document(self) -> None:
        """Forget the counts of the previous document."""
        self.tally = {}

    def tallied(self, table_index: int, structure: str) -> int:
        """How many identity instances with a value of ``structure`` were judged on the table."""
        return self.tally.get((table_index, structure), 0)

    def option(self, key: str, default: Any = None) -> Any:
        node: Any = self.config
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def finding(
        self,
        rule: Rule,
        doc: Document,
        at: Cell | Table | Paragraph | None,
        message: Msg,
        *,
        severity: str | None = None,
        table: Table | None = None,
        expected: Any = None,
        actual: Any = None,
        difference: Any = None,
        tolerance: Any = None,
        terms: Iterable[Term | Cell] = (),
        **fmt: Any,
    ) -> Finding:
        """Build a located finding from a cell, table or paragraph (locations come from the model)."""
        from .findings import build_finding

        return build_finding(
            rule, doc, at, message, self.lang, severity=severity, table=table, expected=expected, actual=actual,
            difference=difference, tolerance=tolerance, terms=terms, fmt=fmt,
        )
