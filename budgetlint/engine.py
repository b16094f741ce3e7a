"""The engine: discover files and rules, run them, judge identities, order findings.

Flow: files → :func:`budgetlint.loaders.load_document` (read + understand) →
shape validation once per table kind over stacked frames → every enabled rule
on every document → identities judged in one vectorised pass per document →
select/ignore/severity overrides → findings in a deterministic order.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .model import Document, Finding
from .rule import Context, Identity, Rule

ENTRY_POINT_GROUP = "budgetlint.rules"
MAX_FILES = int(os.environ.get("BUDGETLINT_MAX_FILES", 100_000))
INPUT_SUFFIXES = frozenset({".txt", ".text", ".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".html", ".htm"})


@dataclass
class Report:
    """The outcome of a run: plain data first, rendered by :mod:`budgetlint.report`."""

    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    rules: list[type[Rule]] = field(default_factory=list)
    lang: str = "zh"
    # seconds per file: {"load": reading and understanding, rule code: that rule's check} (JUnit times)
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    # id(finding) -> its order among the findings of its identity in the file, fixed once for the run
    # (before a baseline hides some) so that fingerprints do not depend on what is shown
    occurrences: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        sev = [f.severity for f in self.findings]
        return {
            "files": len(self.files),
            "tables": sum(f["tables"] for f in self.files),
            "errors": sev.count("error"),
            "warnings": sev.count("warning"),
            "infos": sev.count("info"),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "budgetlint": __version__,
            "files": self.files,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary(),
        }


_RULE_CACHE: list[type[Rule]] | None = None


def all_rules() -> list[type[Rule]]:
    """Built-in and plug-in rules, all loaded through the ``budgetlint.rules`` entry-point group."""
    global _RULE_CACHE
    if _RULE_CACHE is not None:
        return _RULE_CACHE
    from importlib.metadata import entry_points

    found: dict[str, type[Rule]] = {}
    eps = list(entry_points(group=ENTRY_POINT_GROUP))
    if not any(ep.value.startswith("budgetlint.rules") for ep in eps):
        # running from a source tree that was not installed: load the built-ins directly
        from .rules import get_rules as builtin

        for r in builtin():
            found.setdefault(r.code, r)
    for ep in sorted(eps, key=lambda e: (not e.value.startswith("budgetlint.rules"), e.name)):
        try:
            loaded = ep.load()
            rules = loaded() if callable(loaded) and not isinstance(loaded, type) else loaded
            if isinstance(rules, type):
                rules = [rules]
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not stop the run
            import sys

            print(f"budgetlint: cannot load rules from entry point {ep.name!r}: {exc}", file=sys.stderr)
            continue
        for r in rules:
            found.setdefault(r.code, r)
    _RULE_CACHE = sorted(found.values(), key=lambda r: (r.family(), r.code))
    return _RULE_CACHE


def matches(code: str, patterns: Iterable[str]) -> bool:
    """Ruff-style selection: ``S`` matches every S rule, ``S1`` matches S101…, ``ALL`` matches all (any case)."""
    code = code.upper()
    return any(p.upper() == "ALL" or code.startswith(p.upper()) for p in patterns)


def select_rules(rules: Sequence[type[Rule]], select: Sequence[str] | None, ignore: Sequence[str] | None) -> list[type[Rule]]:
    out = []
    select = [p.strip().upper() for p in select] if select else select
    for r in rules:
        if select:
            code = r.code.upper()
            explicit = any(p == code for p in select)
            if not matches(code, select) or (not r.default_enabled and not explicit and not any(p == code[: len(p)] and len(p) > 1 for p in select)):
                continue
        elif not r.default_enabled:
            continue
        if ignore and matches(r.code, ignore):
            continue
        out.append(r)
    return out


def discover_files(paths: Sequence[str], on_error: Callable[[str, str], None] | None = None) -> list[str]:
    """Files under the given paths (folders recursively), sorted, each once; symlink loops are not followed."""
    out: set[str] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            seen_dirs: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(p, followlinks=False):
                try:
                    st = os.stat(root)
                    key = (st.st_dev, st.st_ino)
                except OSError:
                    continue
                if key in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add(key)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    if Path(name).suffix.lower() in INPUT_SUFFIXES:
                        if os.path.islink(full) and not os.path.exists(full):
                            if on_error:
                                on_error(full, "broken symbolic link")
                            continue
                        out.add(full)
                if len(out) > MAX_FILES:
                    break
        else:
            out.add(str(p))
    return sorted(out)[:MAX_FILES]


def run(
    paths: Sequence[str],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    config: dict[str, Any] | None = None,
    lang: str = "zh",
    show_rounding: bool = False,
    severity_overrides: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    keep_documents: bool = True,
    jobs: int | None = None,
) -> Report:
    """Check files and folders; returns a :class:`Report`.

    With ``keep_documents=False`` (reports that need only findings) the files
    are read and checked in worker processes while this process loads pandas
    and pandera for the shape validation; see :func:`_run_parallel`.
    """
    from .companions import companion_groups, load_group

    files = discover_files(paths)
    # Worker processes pay off when this process has not loaded pandas yet (it does so while they work)
    # or when asked for explicitly; reports that render the tables need the documents here.
    parallel = not keep_documents and files and _can_fork() and (("pandas" not in sys.modules and jobs != 1) or (jobs or 0) > 1)
    workers = _workers(jobs, files) if parallel else 1
    if parallel:
        try:
            return _run_parallel(
                files, max(1, workers), select=select, ignore=ignore, config=config, lang=lang,
                show_rounding=show_rounding, severity_overrides=severity_overrides, progress=progress,
            )
        except _ParallelUnavailable:
            pass  # fall back to checking here
    docs = []
    done = 0
    for group in companion_groups(files):
        if progress:
            progress(done, len(files), group[0])
        docs.append(_load_timed(load_group, group))
        done += len(group)
    return check_documents(
        docs, select=select, ignore=ignore, config=config, lang=lang, show_rounding=show_rounding,
        severity_overrides=severity_overrides,
    )


class _ParallelUnavailable(Exception):
    pass


def _can_fork() -> bool:
    import multiprocessing as mp

    return "fork" in mp.get_all_start_methods() and os.environ.get("BUDGETLINT_JOBS", "") != "1"


def _workers(jobs: int | None, files: Sequence[str]) -> int:
    """How many worker processes: ``--jobs``/``BUDGETLINT_JOBS``, else one per core (at most 8), never more than files."""
    if jobs is None:
        env = os.environ.get("BUDGETLINT_JOBS", "")
        jobs = int(env) if env.isdigit() else min(os.cpu_count() or 1, 8)
    if not _can_fork():
        return 1
    return max(1, min(jobs, len(files)))


def _chunks(files: Sequence[str], n: int) -> list[list[list[str]]]:
    """Files split into ``n`` chunks of similar total size (largest first, greedy); companion files
    (:mod:`budgetlint.companions`) stay together in one chunk, as one group."""
    from .companions import companion_groups

    sizes = []
    for group in companion_groups(files):
        size = 0
        for f in group:
            try:
                size += os.path.getsize(f)
            except OSError:
                pass
        sizes.append((size, group))
    chunks: list[list[list[str]]] = [[] for _ in range(n)]
    load = [0] * n
    for size, group in sorted(sizes, key=lambda x: (-x[0], x[1])):
        i = load.index(min(load))
        chunks[i].append(group)
        load[i] += size + 4096 * len(group)
    return [c for c in chunks if c]


def _check_chunk(groups: list[list[str]], select, ignore, config, lang, show_rounding):
    """Worker: read, understand and check some files; return plain data (findings, file facts, shape data)."""
    from .companions import load_group
    from .frames import shape_data
    from .schemas import checked_items

    docs = [_load_timed(load_group, g) for g in groups]
    report = check_documents(docs, select=select, ignore=ignore, config=config, lang=lang, show_rounding=show_rounding,
                             validate_shapes=False)
    enabled = select_rules(all_rules(), select, ignore)
    shapes = shape_data(checked_items(docs)) if any(r.code == "L003" for r in enabled) else None
    return report.files, report.findings, shapes, report.timings


def _run_parallel(files, workers, *, select, ignore, config, lang, show_rounding, severity_overrides, progress) -> Report:
    """Check files in worker processes; meanwhile this process imports pandas and pandera, then validates shapes once."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .frames import ShapeData

    enabled = select_rules(all_rules(), select, ignore)
    wants_shapes = any(r.code == "L003" for r in enabled)
    groups = _chunks(files, workers * 2 if len(files) > workers else workers)
    import numpy  # noqa: F401 - every worker needs it: load it once, before they start
    results = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            futures = [pool.submit(_check_chunk, g, select, ignore, config, lang, show_rounding) for g in groups]
            if wants_shapes:
                import pandas  # noqa: F401 - loaded while the workers read the files
                import pandera.pandas  # noqa: F401
            done = 0
            for fut in as_completed(futures):
                results.append(fut.result())
                done += 1
                if progress:
                    progress(min(len(files), done * len(files) // len(groups)), len(files), "")
    except Exception as exc:  # noqa: BLE001 - e.g. no process could be started here
        raise _ParallelUnavailable(str(exc)) from exc
    file_rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    shapes = ShapeData()
    timings: dict[str, dict[str, float]] = {}
    for rows, found, data, times in results:
        timings.update(times)
        file_rows.extend(rows)
        findings.extend(found)
        if data is not None:
            shapes.extend(data)
    if wants_shapes and shapes.keys:
        from .companions import companion_groups, load_group
        from .schemas import failure_findings, validate_shape_data

        ctx = Context(config=config or {}, lang=lang, show_rounding=show_rounding)
        failures = validate_shape_data(shapes)
        group_of = {g[0]: g for g in companion_groups(files)}
        findings.extend(failure_findings(failures, {}, ctx, load=lambda p: load_group(group_of.get(p, [p]))))
    report = _finish(findings, sorted(file_rows, key=lambda r: r["path"]), [], enabled, lang, config or {}, severity_overrides)
    report.timings = timings
    return report


def _load_timed(load: Callable[[Any], Document], what: Any) -> Document:
    """Read a file or a group of companion files, noting how long reading and understanding took (``doc.meta["load_seconds"]``)."""
    import time

    t0 = time.perf_counter()
    doc = load(what)
    try:
        doc.meta["load_seconds"] = time.perf_counter() - t0
    except (AttributeError, TypeError):  # a document without meta (test doubles)
        pass
    return doc


def check_documents(
    docs: Sequence[Document],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    config: dict[str, Any] | None = None,
    lang: str = "zh",
    show_rounding: bool = False,
    severity_overrides: dict[str, str] | None = None,
    rules: Sequence[type[Rule]] | None = None,
    validate_shapes: bool = True,
) -> Report:
    """Run the enabled rules over already loaded documents."""
    from .findings import evaluate_identities

    cfg = config or {}
    docs = sorted(docs, key=lambda d: d.path)  # the same report whatever order the documents were loaded in
    enabled = select_rules(rules if rules is not None else all_rules(), select, ignore)
    ctx = Context(config=cfg, lang=lang, show_rounding=show_rounding)
    instances = [r() for r in enabled]
    findings: list[Finding] = []
    if validate_shapes:
        findings.extend(_validate_shapes(docs, ctx, enabled))
    import time

    enabled_codes = {r.code for r in enabled}
    ctx.confirms = {r.code: r.confirms for r in enabled if r.confirms}
    reviewers = [r() for r in (rules if rules is not None else all_rules()) if r.always_review and r.code not in enabled_codes]
    reviewers += [r for r in instances if type(r).review is not Rule.review]
    timings: dict[str, dict[str, float]] = {}
    for doc in docs:
        identities: list[Identity] = []
        doc_findings: list[Finding] = []
        ctx.tally = {}
        times = timings.setdefault(doc.path, {"load": float((getattr(doc, "meta", None) or {}).get("load_seconds") or 0.0)})
        per_rule: dict[str, int] = {}
        for rule in instances:
            t0 = time.perf_counter()
            before = len(identities)
            try:
                for item in rule.check(doc, ctx) or ():
                    if isinstance(item, Identity):
                        identities.append(item)
                    else:
                        doc_findings.append(item)
            except Exception as exc:  # noqa: BLE001 - one faulty rule must not hide the others
                doc_findings.append(_internal_error(rule, doc, exc, lang))
            times[rule.code] = times.get(rule.code, 0.0) + time.perf_counter() - t0
            per_rule[rule.code] = per_rule.get(rule.code, 0) + len(identities) - before
        t0 = time.perf_counter()
        doc_findings.extend(evaluate_identities(doc, identities, lang, show_rounding))
        judged = time.perf_counter() - t0
        for code, n in per_rule.items():  # judging the identities is shared out by their number
            if n:
                times[code] += judged * n / len(identities)
        for rule in reviewers:
            try:
                revised = rule.review(doc, doc_findings, ctx)
            except Exception as exc:  # noqa: BLE001
                doc_findings.append(_internal_error(rule, doc, exc, lang))
                continue
            if rule.code not in enabled_codes:
                revised = [f for f in revised if f.code != rule.code]
            doc_findings = revised
        findings.extend(doc_findings)
    from .companions import file_rows

    files = [row for d in docs for row in file_rows(d)]
    report = _finish(findings, files, list(docs), enabled, lang, cfg, severity_overrides)
    report.timings = timings
    return report


def _finish(findings, files, docs, enabled, lang, cfg, severity_overrides) -> Report:
    """Severity overrides, duplicates removed, deterministic order."""
    overrides = {**(cfg.get("severity") or {}), **(severity_overrides or {})}
    out = []
    for f in findings:
        for pat, sev in overrides.items():
            if f.code.upper().startswith(pat.upper()):
                f.severity = sev
        out.append(f)
    out = _dedupe(out)
    from .suspects import mark_suspects

    mark_suspects(out, lang)
    out.sort(key=Finding.sort_key)
    return Report(files=files, findings=out, documents=docs, rules=list(enabled), lang=lang)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.code, f.path, f.line, f.sheet, f.cell, f.page, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _validate_shapes(docs: Sequence[Document], ctx: Context, enabled: Sequence[type[Rule]]) -> list[Finding]:
    if not any(r.code == "L003" for r in enabled):
        return []
    from .schemas import validate_documents

    return validate_documents(docs, ctx)


def _internal_error(rule: Rule, doc: Document, exc: Exception, lang: str) -> Finding:
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    detail = f"{type(exc).__name__}: {exc}" + (f" ({Path(where.filename).name}:{where.lineno})" if where else "")
    msg = f"规则 {rule.code} 检查时出错：{detail}" if lang != "en" else f"rule {rule.code} failed: {detail}"
    return Finding(code=rule.code, name=rule.name, severity="warning", message=msg, path=doc.path, extra={"internal_error": True})
