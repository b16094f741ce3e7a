"""The engine: discover files and rules, run them, judge identities, order findings.

Flow: files → :func:`budgetlint.loaders.load_document` (read + understand) →
shape validation once per table kind over stacked frames → every enabled rule
on every document → identities judged in one vectorised pass per document →
select/ignore/severity overrides → findings in a deterministic order.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .model import Document, Finding
from .identity import BulkIdentity, Identity, Ratio
from .rule import Context, Rule

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
    skipped: list["Skipped"] = field(default_factory=list)

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
            "skipped": [{"path": e.path, "reason": e.reason(self.lang)} for e in self.skipped],
            "summary": self.summary(),
        }


_RULE_CACHE: list[type[Rule]] | None = None


BUILTIN_ENTRY_POINT = "budgetlint.rules:get_rules"


def _entry_points() -> list[Any]:
    """The ``budgetlint.rules`` entry points, the built-in ones first.

    From a source tree that was not installed the built-in entry point is not
    registered: it is made here, the same way, so the core never imports the
    rules itself.
    """
    from importlib.metadata import EntryPoint, entry_points

    eps = list(entry_points(group=ENTRY_POINT_GROUP))
    if not any(ep.value.startswith("budgetlint.rules") for ep in eps):
        eps.append(EntryPoint(name="builtin", value=BUILTIN_ENTRY_POINT, group=ENTRY_POINT_GROUP))
    return sorted(eps, key=lambda e: (not e.value.startswith("budgetlint.rules"), e.name))


def _origin(rule: type, ep: Any) -> str:
    return f"{rule.code} {rule.name} ({rule.__module__}.{rule.__qualname__}, entry point {ep.name!r})"


def all_rules() -> list[type[Rule]]:
    """Built-in and plug-in rules, all loaded through the ``budgetlint.rules`` entry-point group.

    A rule whose code is already taken (by a built-in rule, another plug-in or
    the former code of a rule of another entry point, kept as an alias) is
    refused with a message naming both.
    """
    global _RULE_CACHE
    if _RULE_CACHE is not None:
        return _RULE_CACHE
    loaded: list[tuple[type[Rule], Any]] = []
    for ep in _entry_points():
        try:
            got = ep.load()
            rules = got() if callable(got) and not isinstance(got, type) else got
            if isinstance(rules, type):
                rules = [rules]
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not stop the run
            print(f"budgetlint: cannot load rules from entry point {ep.name!r}: {exc}", file=sys.stderr)
            continue
        loaded.extend((r, ep) for r in rules)
    found: dict[str, tuple[type[Rule], Any]] = {}
    former: dict[str, tuple[type[Rule], Any]] = {}
    for r, ep in loaded:
        code = (getattr(r, "code", "") or "").upper()
        if code in found:
            if found[code][0] is not r:
                print(f"budgetlint: rule {_origin(r, ep)} refused: its code is already used by rule "
                      f"{_origin(*found[code])}", file=sys.stderr)
            continue
        found[code] = (r, ep)
        for old in getattr(r, "former_codes", ()):
            former.setdefault(old.upper(), (r, ep))
    for code, (r, ep) in list(found.items()):
        if code in former and former[code][1].name != ep.name:
            print(f"budgetlint: rule {_origin(r, ep)} refused: {code} is the former code of rule "
                  f"{_origin(*former[code])}", file=sys.stderr)
            del found[code]
    _RULE_CACHE = sorted((r for r, _ in found.values()), key=lambda r: (r.family(), r.code))
    return _RULE_CACHE


def code_aliases(rules: Sequence[type[Rule]] | None = None) -> dict[str, list[str]]:
    """Former codes and what they select now: ``{"P409": ["X311"], "X309": ["X309", "N610"]}``.

    A code that still exists and lent a part to another rule selects both.
    """
    rules = all_rules() if rules is None else rules
    codes = {r.code.upper() for r in rules}
    out: dict[str, list[str]] = {}
    for r in rules:
        for old in getattr(r, "former_codes", ()):
            old = old.upper()
            out.setdefault(old, [old] if old in codes else []).append(r.code.upper())
    return out


def expand_aliases(patterns: Sequence[str] | None, aliases: dict[str, list[str]]) -> list[str] | None:
    """``patterns`` with every former code replaced by the codes it became (order kept, each once)."""
    if patterns is None:
        return None
    out: list[str] = []
    for p in patterns:
        for q in aliases.get(p.strip().upper(), [p]):
            if q not in out:
                out.append(q)
    return out


def alias_notice(old: str, aliases: dict[str, list[str]], rules: Sequence[type[Rule]] | None = None, lang: str = "en") -> str:
    """One line saying what a former code became: ``P409 is now X311 (target-matches-project-table)``."""
    by_code = {r.code.upper(): r for r in (all_rules() if rules is None else rules)}
    old = old.strip().upper()
    new = [c for c in aliases.get(old, []) if c != old]
    names = [f"{c} ({by_code[c].name})" if c in by_code else c for c in new]
    if lang != "en":
        names = [f"{c}（{by_code[c].title('zh')}）" if c in by_code else c for c in new]
        return f"{old} 的一部分现为 {'、'.join(names)}" if old in by_code else f"{old} 现为 {'、'.join(names)}"
    return f"part of {old} is now {', '.join(names)}" if old in by_code else f"{old} is now {', '.join(names)}"


def matches(code: str, patterns: Iterable[str]) -> bool:
    """Ruff-style selection: ``S`` matches every S rule, ``S1`` matches S101…, ``ALL`` matches all (any case)."""
    code = code.upper()
    return any(p.upper() == "ALL" or code.startswith(p.upper()) for p in patterns)


def select_rules(rules: Sequence[type[Rule]], select: Sequence[str] | None, ignore: Sequence[str] | None) -> list[type[Rule]]:
    aliases = code_aliases(rules)
    select, ignore = expand_aliases(select, aliases), expand_aliases(ignore, aliases)
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


@dataclass(frozen=True)
class Skipped:
    """An entry of a checked folder that was not read, and why (reported as ``L007``)."""

    path: str
    zh: str
    en: str

    def reason(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def discover_files(
    paths: Sequence[str],
    on_error: Callable[[str, str], None] | None = None,
    *,
    follow_links: bool = False,
    skipped: list[Skipped] | None = None,
) -> list[str]:
    """Files under the given paths (folders recursively), sorted, each once.

    Inside a folder nothing is opened that is not a regular file: special files
    (FIFOs, sockets, devices), broken or looping links, and links that lead out
    of the folder (unless ``follow_links``) are left out and recorded in
    ``skipped`` with the reason, as are sub-folders that cannot be read.  Each
    directory is visited once (symlink loops are not followed).  A path given
    explicitly is always kept: a FIFO or ``-`` is read as a stream.
    """
    out: set[str] = set()

    def skip(path: str, zh: str, en: str) -> None:
        if skipped is not None:
            skipped.append(Skipped(path, zh, en))
        if on_error:
            on_error(path, en)

    for given in paths:
        if given != "-" and os.path.isdir(given):
            _walk(given, out, skip, follow_links)
        else:
            out.add(str(Path(given)) if given != "-" else given)
    if skipped is not None:
        skipped.sort(key=lambda e: e.path)
    return sorted(out)[:MAX_FILES]


def _walk(given: str, out: set[str], skip: Callable[[str, str, str], None], follow_links: bool) -> None:
    root = os.path.realpath(given)
    seen_dirs: set[tuple[int, int]] = set()

    def unreadable(err: OSError) -> None:
        where = err.filename or given
        skip(str(where), f"无法读取该目录，其中的文件未检查：{err.strerror or err}",
             f"cannot read this folder, its files were not checked: {err.strerror or err}")

    for top, dirs, files in os.walk(given, followlinks=follow_links, onerror=unreadable):
        try:
            st = os.stat(top)
            key = (st.st_dev, st.st_ino)
        except OSError:
            continue
        if key in seen_dirs:
            dirs[:] = []
            continue
        seen_dirs.add(key)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            full = os.path.join(top, d)
            if os.path.islink(full):
                real = os.path.realpath(full)
                if not _inside(real, root) and not follow_links:
                    skip(full, f"符号链接指向被检查目录之外（{real}），未跟随（可用 --follow-links）",
                         f"symbolic link leads out of the checked folder ({real}): not followed (use --follow-links)")
                    continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = os.path.join(top, name)
            if Path(name).suffix.lower() not in INPUT_SUFFIXES:
                continue
            try:
                lst = os.lstat(full)
            except OSError as exc:
                skip(full, f"无法读取：{exc.strerror or exc}", f"cannot read: {exc.strerror or exc}")
                continue
            mode = lst.st_mode
            if stat.S_ISLNK(mode):
                try:
                    mode = os.stat(full).st_mode
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        skip(full, "符号链接循环，未读取", "symbolic link loop: not read")
                    else:
                        skip(full, "符号链接指向不存在的文件，未读取", "broken symbolic link: not read")
                    continue
                real = os.path.realpath(full)
                if not _inside(real, root) and not follow_links:
                    skip(full, f"符号链接指向被检查目录之外（{real}），未读取（可用 --follow-links）",
                         f"symbolic link leads out of the checked folder ({real}): not read (use --follow-links)")
                    continue
            from .limits import file_kind

            kind = None if stat.S_ISDIR(mode) else file_kind(mode)
            if kind is not None:
                skip(full, f"是{kind[0]}，不是普通文件，未打开", f"is {kind[1]}, not a regular file: not opened")
                continue
            if stat.S_ISDIR(mode):
                continue
            out.add(full)
        if len(out) > MAX_FILES:
            break


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
    follow_links: bool = False,
) -> Report:
    """Check files and folders; returns a :class:`Report`.

    With ``keep_documents=False`` (reports that need only findings) the files
    are read and checked in worker processes while this process loads pandas
    and pandera for the shape validation; see :func:`_run_parallel`.
    """
    from .companions import companion_groups, load_group

    skipped: list[Skipped] = []
    files = discover_files(paths, follow_links=follow_links, skipped=skipped)
    # Worker processes pay off when this process has not loaded pandas yet (it does so while they work)
    # or when asked for explicitly; reports that render the tables need the documents here.
    # Standard input belongs to this process: a run that reads it stays here.
    parallel = (
        not keep_documents and files and "-" not in files and _can_fork()
        and (("pandas" not in sys.modules and jobs != 1) or (jobs or 0) > 1)
    )
    workers = _workers(jobs, files) if parallel else 1
    report = None
    if parallel:
        try:
            report = _run_parallel(
                files, max(1, workers), select=select, ignore=ignore, config=config, lang=lang,
                show_rounding=show_rounding, severity_overrides=severity_overrides, progress=progress, skipped=skipped,
            )
        except _ParallelUnavailable:
            pass  # fall back to checking here
    if report is None:
        docs = []
        done = 0
        for group in companion_groups(files):
            if progress:
                progress(done, len(files), group[0])
            docs.append(_load_timed(load_group, group))
            done += len(group)
        report = check_documents(
            docs, select=select, ignore=ignore, config=config, lang=lang, show_rounding=show_rounding,
            severity_overrides=severity_overrides, skipped=skipped,
        )
    report.skipped = skipped
    return report

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


def _run_wide(rules: Sequence[type[Rule]]) -> list[type[Rule]]:
    """The rules with a run-wide check (:meth:`Rule.check_run`)."""
    return [r for r in rules if r.check_run is not Rule.check_run or r.gather_run is not Rule.gather_run]


def _check_chunk(groups: list[list[str]], select, ignore, config, lang, show_rounding):
    """Worker: read, understand and check some files; return plain data (findings, file facts, what run-wide checks gathered)."""
    import gc

    from .companions import load_group

    # What the worker inherited (modules, numpy) is never garbage: the collector stops scanning it, and
    # collects less often while a document's many small acyclic objects (cells, rows) are made.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    docs = [_load_timed(load_group, g) for g in groups]
    report = check_documents(docs, select=select, ignore=ignore, config=config, lang=lang, show_rounding=show_rounding,
                             run_wide=False)
    docs = report.documents  # a file stopped at the time limit is there with its error, not its tables
    ctx = Context(config=config or {}, lang=lang, show_rounding=show_rounding)
    gathered = {r.code: r().gather_run(docs, ctx) for r in _run_wide(select_rules(all_rules(), select, ignore))}
    return report.files, report.findings, gathered, report.timings


def _run_parallel(files, workers, *, select, ignore, config, lang, show_rounding, severity_overrides, progress, skipped=()) -> Report:
    """Check files in worker processes; meanwhile this process imports what the run-wide checks need, then runs them once."""
    import importlib
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    enabled = select_rules(all_rules(), select, ignore)
    run_wide = _run_wide(enabled)
    groups = _chunks(files, workers * 2 if len(files) > workers else workers)
    import numpy  # noqa: F401 - every worker needs it: load it once, before they start
    results = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            futures = [pool.submit(_check_chunk, g, select, ignore, config, lang, show_rounding) for g in groups]
            for name in dict.fromkeys(m for r in run_wide for m in r.run_imports):
                importlib.import_module(name)  # loaded while the workers read the files
            for rule in run_wide:
                if all(f.done() for f in futures):
                    break  # the workers are done: preparing now would only delay the result
                try:
                    rule().prepare_run()
                except Exception:  # noqa: BLE001 - only a head start: finish_run reports what goes wrong
                    pass
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
    timings: dict[str, dict[str, float]] = {}
    for rows, found, _, times in results:
        timings.update(times)
        file_rows.extend(rows)
        findings.extend(found)
    if run_wide:
        from .companions import companion_groups, load_group

        group_of = {g[0]: g for g in companion_groups(files)}
        ctx = Context(config=config or {}, lang=lang, show_rounding=show_rounding, skipped=list(skipped),
                      load=lambda p: load_group(group_of.get(p, [p])))
        for rule in run_wide:
            inst = rule()
            findings.extend(_guarded(inst, lambda: inst.finish_run([gathered.get(rule.code) for _, _, gathered, _ in results], ctx), lang))
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
    run_wide: bool = True,
    skipped: Sequence[Skipped] = (),
) -> Report:
    """Run the enabled rules over already loaded documents."""
    cfg = config or {}
    docs = sorted(docs, key=lambda d: d.path)  # the same report whatever order the documents were loaded in (a new list)
    enabled = select_rules(rules if rules is not None else all_rules(), select, ignore)
    ctx = Context(config=cfg, lang=lang, show_rounding=show_rounding, skipped=list(skipped))
    instances = [r() for r in enabled]
    from .limits import Deadline, LimitError

    enabled_codes = {r.code for r in enabled}
    ctx.confirms = {r.code: r.confirms for r in enabled if r.confirms}
    reviewers = [r() for r in (rules if rules is not None else all_rules()) if r.always_review and r.code not in enabled_codes]
    reviewers += [r for r in instances if type(r).review is not Rule.review]
    findings: list[Finding] = []
    stopped: set[str] = set()
    timings: dict[str, dict[str, float]] = {}
    for k, doc in enumerate(docs):
        deadline = doc.meta.pop("deadline", None) or Deadline()
        ctx.new_document()
        times = timings.setdefault(doc.path, {"load": float((getattr(doc, "meta", None) or {}).get("load_seconds") or 0.0)})
        try:
            with deadline.stage("rules"):
                found = _check_one(doc, instances, reviewers, enabled_codes, ctx, times, lang, show_rounding)
        except LimitError as exc:
            # past the file's time: what was found so far is discarded, the file is reported as stopped
            stopped.add(doc.path)
            doc = docs[k] = Document(path=doc.path, format=doc.format, error=str(exc))
            found = _unread(doc, instances, ctx, lang)
        findings.extend(found)
    if run_wide:
        for rule in instances:
            if type(rule) in _run_wide([type(rule)]):
                findings.extend(f for f in _guarded(rule, lambda: rule.check_run(docs, ctx), lang) if f.path not in stopped)
    from .companions import file_rows

    files = [row for d in docs for row in file_rows(d)]
    report = _finish(findings, files, list(docs), enabled, lang, cfg, severity_overrides)
    report.timings = timings
    return report



def _check_one(doc: Document, instances, reviewers, enabled_codes, ctx: Context, times: dict[str, float], lang: str, show_rounding: bool) -> list[Finding]:
    """Every rule over one document: its identities judged at once, then the reviewing rules (L005)."""
    import time

    from .findings import evaluate_identities
    from .limits import LimitError

    identities: list[Identity | BulkIdentity | Ratio] = []
    found: list[Finding] = []
    per_rule: dict[str, int] = {}
    for rule in instances:
        t0 = time.perf_counter()
        before = len(identities)
        try:
            for item in rule.check(doc, ctx) or ():
                if isinstance(item, (Identity, BulkIdentity, Ratio)):
                    identities.append(item)
                else:
                    found.append(item)
        except LimitError:
            raise
        except Exception as exc:  # noqa: BLE001 - one faulty rule must not hide the others
            found.append(_internal_error(rule, doc, exc, lang))
        times[rule.code] = times.get(rule.code, 0.0) + time.perf_counter() - t0
        per_rule[rule.code] = per_rule.get(rule.code, 0) + len(identities) - before
    t0 = time.perf_counter()
    found.extend(evaluate_identities(doc, identities, lang, show_rounding, tally=ctx.tally))
    judged = time.perf_counter() - t0
    for code, n in per_rule.items():  # judging the identities is shared out by their number
        if n:
            times[code] += judged * n / len(identities)
    for rule in reviewers:
        try:
            revised = rule.review(doc, found, ctx)
        except LimitError:
            raise
        except Exception as exc:  # noqa: BLE001
            found.append(_internal_error(rule, doc, exc, lang))
            continue
        if rule.code not in enabled_codes:
            revised = [f for f in revised if f.code != rule.code]
        found = revised
    return found

def _finish(findings, files, docs, enabled, lang, cfg, severity_overrides) -> Report:
    """Severity overrides, duplicates removed, deterministic order."""
    overrides = {**(cfg.get("severity") or {}), **(severity_overrides or {})}
    aliases = code_aliases()
    overrides = {q: sev for pat, sev in overrides.items() for q in expand_aliases([pat], aliases) or ()}
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


def _unread(doc: Document, instances: Sequence[Rule], ctx: Context, lang: str) -> list[Finding]:
    """The findings of the rules that report unreadable documents, about one stopped at the time limit."""
    out: list[Finding] = []
    for rule in instances:
        if not rule.reports_unreadable:
            continue
        out.extend(f for f in _guarded(rule, lambda: rule.check(doc, ctx), lang, doc) if isinstance(f, Finding))
    return out


def _guarded(rule: Rule, call: Callable[[], Iterable[Any]], lang: str, doc: Document | None = None) -> list[Any]:
    """What ``call`` yields, or one warning naming the rule when it fails (one faulty rule must not hide the others)."""
    try:
        return list(call() or ())
    except Exception as exc:  # noqa: BLE001
        return [_internal_error(rule, doc or Document(path="", format="run"), exc, lang)]


def _internal_error(rule: Rule, doc: Document, exc: Exception, lang: str) -> Finding:
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    detail = f"{type(exc).__name__}: {exc}" + (f" ({Path(where.filename).name}:{where.lineno})" if where else "")
    msg = f"规则 {rule.code} 检查时出错：{detail}" if lang != "en" else f"rule {rule.code} failed: {detail}"
    return Finding(code=rule.code, name=rule.name, severity="warning", message=msg, path=doc.path, extra={"internal_error": True})
