"""Command line: ``budgetlint check|tables|rules|explain|serve``.

Heavy modules (pandas, pandera, openpyxl, rich) are imported inside the
commands, so ``budgetlint --help`` and ``budgetlint rules`` start quickly.

Exit codes: 0 no findings at or above ``--fail-on``; 1 such findings (or a
file that could not be read); 2 usage or configuration error.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .report import FORMATS

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _terminal_safe(text: str) -> str:
    from .report._common import terminal_safe

    return terminal_safe(text)


def _output_problem(exc: Exception, lang: str) -> str:
    """An output that could not be written, in the user's language (no traceback)."""
    from .atomic import OutputError

    if isinstance(exc, OutputError):
        return _terminal_safe(exc.message(lang))
    if isinstance(exc, OSError):
        where = exc.filename or ""
        reason = exc.strerror or str(exc)
        return _terminal_safe(f"cannot write {where}: {reason}" if lang == "en" else f"无法写入 {where}：{reason}")
    return _terminal_safe(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetlint")
def main() -> None:
    """budgetlint: check that the numbers in budget documents add up."""
    # pandera registers its data-synthesis strategies on first use when hypothesis is
    # importable; the linter never synthesises data, so keep that import (70 ms) out.
    if "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]
    # A run allocates hundreds of thousands of small objects that live until it ends;
    # collecting cycles among them every 700 allocations costs a fifth of the run.
    import gc

    gc.set_threshold(200_000, 50, 100)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(FORMATS), case_sensitive=False), default=None, help="Output format (default text; docs/ci.md describes each).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable (comma-separated).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages (default zh).")
@click.option("--show-rounding", is_flag=True, default=None, help="Also report differences explained by rounding (info).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="Lowest severity that makes the exit code 1.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Configuration file to use.")
@click.option("--annotate", "annotate_out", type=click.Path(), default=None, help="Write an annotated copy of the workbook (or of the extracted tables) to this .xlsx file.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None, help="Report and fail only on findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), default=None, help="Record the current findings in this baseline file.")
@click.option("--progress/--no-progress", "show_progress", default=None, help="Progress bar on standard error (default: on a terminal, for 10 files or more).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core; 1 checks everything in this process).")
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when findings are reported or a file cannot be read.")
@click.option("--skip-tableless", is_flag=True, help="Leave text files in which no table is found out of the report, silently (for pre-commit).")
@click.option("--max-annotations", type=click.IntRange(min=0), default=50, show_default=True, help="--format github: annotations in all (0: no limit); the rest are counted in one line.")
@click.option("--max-annotations-per-file", type=click.IntRange(min=0), default=10, show_default=True, help="--format github: annotations per file (0: no limit).")
@click.option("--follow-links", is_flag=True, help="Follow symbolic links that lead out of a checked folder (default: skip and report them).")
@click.option("--strict", is_flag=True, help="Exit 1 when any entry of a checked folder was skipped (unreadable, special file, link leading out).")
def check(paths, fmt, output, select, ignore, lang, show_rounding, statistics, fail_on, config_file, annotate_out, baseline_file, write_baseline_file, show_progress, jobs,
          exit_zero, skip_tableless, max_annotations, max_annotations_per_file, follow_links, strict) -> None:
    """Check files and folders (recursively) and report findings."""
    cfg = _config_or_exit(list(paths), config_file)
    fmt = (fmt or cfg.format).lower()
    lang = lang or cfg.lang
    fail_on = fail_on or cfg.fail_on
    show_rounding = cfg.show_rounding if show_rounding is None else show_rounding
    from .codes import normalize_all

    sel = cfg.selection(normalize_all(_split(select)))
    ign = normalize_all(_split(ignore)) + cfg.ignore
    from .report import render

    if fmt not in FORMATS:
        where = f"{cfg.source}: {cfg.key_name('format')}: " if cfg.source else ""
        click.echo(f"budgetlint: {where}unknown format {fmt!r}; choose from {', '.join(sorted(FORMATS))}", err=True)
        sys.exit(2)
    from . import engine
    from .codes import matches_any, unknown_code_message

    aliases = engine.code_aliases()
    known = [r.code for r in engine.all_rules()] + list(aliases)
    names = {r.name: r.code for r in engine.all_rules()}
    cli_patterns = [("--select", p) for p in _split(select)] + [("--ignore", p) for p in _split(ignore)]
    for opt, pat in cli_patterns:
        if not matches_any(pat, known):
            click.echo(f"budgetlint: {opt}: {unknown_code_message(pat, known, names)}", err=True)
            sys.exit(2)
    from .config import validate_against_rules

    for problem in validate_against_rules(cfg, engine.all_rules()):
        click.echo(f"budgetlint: {problem}", err=True)
        sys.exit(2)
    # former codes keep working: one line says what each became
    used = [p for _, p in cli_patterns] + [p for _, p in cfg.rule_patterns()]
    for old in dict.fromkeys(p.strip().upper() for p in used if p.strip().upper() in aliases):
        click.echo(f"budgetlint: {engine.alias_notice(old, aliases, lang=lang)}", err=True)
    cfg.per_file_ignores = {k: engine.expand_aliases(v, aliases) or [] for k, v in cfg.per_file_ignores.items()}
    baseline = None
    if baseline_file:
        from .baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(baseline_file)
        except BaselineError as exc:
            click.echo(f"budgetlint: {exc}", err=True)
            sys.exit(2)
        for old in sorted({str(e.get("code", "")).upper() for e in baseline.entries} & set(aliases)):
            click.echo(f"budgetlint: {baseline_file}: {engine.alias_notice(old, aliases, lang=lang)}", err=True)
    for p in paths:
        if p != "-" and not os.path.exists(p) and not os.path.islink(p):
            click.echo(f"budgetlint: {_terminal_safe(p)}: no such file or directory", err=True)
            sys.exit(2)
    from .progress import progress_callback

    with progress_callback(show_progress, lang=lang) as progress:
        report = engine.run(
            list(paths), select=sel, ignore=ign, config=cfg.options, lang=lang, show_rounding=show_rounding,
            severity_overrides=cfg.severity, progress=progress,
            keep_documents=bool(fmt == "html" or annotate_out), jobs=jobs, follow_links=follow_links,
        )
    report.findings = cfg.apply_per_file_ignores(report.findings)
    if skip_tableless:
        _drop_tableless_text(report)
    from .atomic import OutputError

    inputs = [f["path"] for f in report.files]
    from .baseline import occurrences

    # fingerprints are numbered among all findings of the run, before a baseline hides any
    report.occurrences = {id(f): n for f, n in zip(report.findings, occurrences(report.findings))}
    if write_baseline_file:
        from .baseline import write_baseline

        try:
            n = write_baseline(write_baseline_file, report.findings, protect=inputs,
                               occurrence=[report.occurrences[id(f)] for f in report.findings])
        except (OutputError, OSError) as exc:
            click.echo(f"budgetlint: {_output_problem(exc, lang)}", err=True)
            sys.exit(2)
        click.echo(f"budgetlint: {n} findings recorded in {write_baseline_file}", err=True)
    if baseline is not None:
        former = {r.code: list(r.former_codes) for r in engine.all_rules() if getattr(r, "former_codes", ())}
        report.findings, known_findings = baseline.split(report.findings, [report.occurrences[id(f)] for f in report.findings],
                                                         former=former)
        if known_findings:
            click.echo(f"budgetlint: {len(known_findings)} findings already in {baseline_file} are not reported", err=True)
        if baseline.unmatched:
            click.echo(f"budgetlint: {len(baseline.unmatched)} entries of {baseline_file} match no finding any more "
                       "(fixed, or their numbers changed); re-record it with --write-baseline", err=True)
    if annotate_out:
        from .report.annotate import write_annotations

        try:
            for written in write_annotations(report, annotate_out, protect=inputs):
                click.echo(f"budgetlint: annotated workbook written to {written}", err=True)
        except (OutputError, OSError) as exc:
            click.echo(f"budgetlint: {_output_problem(exc, lang)}", err=True)
            sys.exit(2)
    options = dict(statistics=statistics, fail_on=fail_on, max_annotations=max_annotations,
                   max_annotations_per_file=max_annotations_per_file)
    if output:
        from .atomic import atomic_write_text
        import io

        buf = io.StringIO()
        render(report, fmt, buf, color=False, **options)
        try:
            atomic_write_text(output, buf.getvalue(), protect=inputs)
        except (OutputError, OSError) as exc:
            click.echo(f"budgetlint: {_output_problem(exc, lang)}", err=True)
            sys.exit(2)
    elif not write_baseline_file:  # recording a baseline prints its summary line only
        render(report, fmt, sys.stdout, **options)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _write_step_summary(report, os.environ["GITHUB_STEP_SUMMARY"], inputs, fail_on)
    threshold = SEVERITY_RANK[fail_on]
    failed = any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in report.findings)
    if write_baseline_file:
        failed = False  # every finding is now recorded
    failed = failed or any(f.get("error") for f in report.files)
    failed = failed or (strict and bool(report.skipped))
    sys.exit(1 if failed and not exit_zero else 0)


def _config_or_exit(paths: list, config_file):
    """The run's configuration; a broken one or an unknown key ends the command with exit code 2."""
    from .config import ConfigError, load_config

    try:
        cfg = load_config(paths, config_file)
    except ConfigError as exc:
        click.echo(f"budgetlint: {exc}", err=True)
        sys.exit(2)
    if cfg.unknown:
        click.echo(f"budgetlint: {cfg.source}: unknown configuration keys: {', '.join(cfg.unknown)}{_key_hint(cfg.unknown)}", err=True)
        sys.exit(2)
    return cfg


def _key_hint(unknown: list[str]) -> str:
    """`` (did you mean 'select'?)`` for a single misspelt top-level key."""
    import difflib

    from .config import KNOWN_KEYS

    if len(unknown) != 1:
        return ""
    close = difflib.get_close_matches(unknown[0].split(".")[0], sorted(KNOWN_KEYS), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close and "." not in unknown[0] else ""


def _drop_tableless_text(report) -> None:
    """Leave text files with no table (and their findings) out of the report."""
    drop = {f["path"] for f in report.files if f.get("format") == "text" and not f.get("tables") and not f.get("error")}
    if drop:
        report.files = [f for f in report.files if f["path"] not in drop]
        report.findings = [f for f in report.findings if f.path not in drop]


def _write_step_summary(report, path: str, inputs: list[str], fail_on: str) -> None:
    """Append the Markdown summary of the run to the GitHub job summary file (``$GITHUB_STEP_SUMMARY``)."""
    from .report.github import step_summary

    if os.path.abspath(path) in {os.path.abspath(p) for p in inputs}:
        click.echo(f"budgetlint: refusing to write the job summary into an input file: {path}", err=True)
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(report, fail_on=fail_on))
    except OSError as exc:
        click.echo(f"budgetlint: cannot write the job summary to {path}: {exc.strerror or exc}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--values", "max_values", default=6, show_default=True, help="Values shown per table.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def tables(paths, max_values, fmt) -> None:
    """Show how each table was understood (number, title, kind, unit, headers, rows)."""
    from . import engine
    from .loaders import load_document
    from .report.tables import render_tables

    docs = [load_document(f) for f in engine.discover_files(list(paths))]
    render_tables(docs, sys.stdout, max_values=max_values, fmt=fmt)


@main.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              help="md: every rule with its documentation, as docs/rules.md is generated.")
def rules(lang, fmt) -> None:
    """List every rule with its code, name, severity and summary."""
    from . import engine

    items = engine.all_rules()
    if fmt == "md":
        from .report.explain import rules_markdown

        click.echo(rules_markdown(items, engine.code_aliases()), nl=False)
        return
    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary.get(lang),
             "enabled_by_default": r.default_enabled, "config_keys": list(r.config_keys)} for r in items
        ], ensure_ascii=False, indent=2))
        return
    for r in items:
        flag = "" if r.default_enabled else ("  (opt-in)" if lang == "en" else "  （需显式启用）")
        click.echo(f"{r.code:6s} {r.name:38s} {r.severity:8s} {r.summary.get(lang)}{flag}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (default: this computer only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default="budgetlint-baseline.json", show_default=True,
              help="Baseline file where findings marked as not a mistake are recorded (read by check --baseline).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Default language of the page (default: the configuration's lang, else zh).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Configuration file to use (default: budgetlint.toml or pyproject.toml [tool.budgetlint] found from the current folder up).")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=50, show_default=True, help="Largest file accepted, in MB.")
@click.option("--max-total-mb", type=click.IntRange(min=1), default=200, show_default=True, help="Largest upload (all files), in MB.")
@click.option("--max-files", type=click.IntRange(min=1), default=100, show_default=True, help="Most files in one upload.")
@click.option("--max-seconds", type=click.IntRange(min=1), default=None,
              help="Time limit per file, in seconds (default: BUDGETLINT_MAX_SECONDS, else 120); a file past it is stopped.")
def serve(host, port, open_browser, baseline_file, lang, config_file, max_file_mb, max_total_mb, max_files, max_seconds) -> None:
    """Run a local page where files are dropped and their findings shown (needs the serve extra)."""
    from .serve import missing_dependencies

    cfg = _config_or_exit([], config_file)  # the configuration check reads, found from the current folder (or --config)
    lang = lang or cfg.lang

    missing = missing_dependencies()
    if missing:
        if lang == "en":
            text = (f"budgetlint serve needs the serve extra ({', '.join(missing)} missing); install it with:\n"
                    "  pip install 'budgetlint[serve]'")
        else:
            text = (f"budgetlint serve 需要安装 serve 附加组件（缺少 {', '.join(missing)}），请运行：\n"
                    "  pip install 'budgetlint[serve]'")
        click.echo(text, err=True)
        sys.exit(2)
    if cfg.source:
        from . import engine
        from .config import validate_against_rules

        for problem in validate_against_rules(cfg, engine.all_rules()):
            click.echo(f"budgetlint: {problem}", err=True)
            sys.exit(2)
    from .serve.app import Settings
    from .serve.server import serve as run_server
    from .serve.uploads import MB, UploadLimits

    settings = Settings(baseline=baseline_file, lang=lang, config=cfg.source, max_seconds=max_seconds,
                        limits=UploadLimits(max_file_bytes=max_file_mb * MB, max_total_bytes=max_total_mb * MB, max_files=max_files))
    try:
        run_server(settings, host, port, open_browser=open_browser, echo=click.echo)
    except OSError as exc:
        from .serve.messages import message

        click.echo(f"budgetlint: {message('port_in_use', lang, host=host, port=port, reason=exc.strerror or exc)}", err=True)
        sys.exit(2)


@main.command()
@click.argument("code")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the documentation (default zh).")
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", help="Plain text for a terminal, or Markdown.")
def explain(code, lang, fmt) -> None:
    """Print a rule's documentation."""
    from . import engine
    from .report.explain import explain_rule

    for r in engine.all_rules():
        if r.code.upper() == code.strip().upper() or r.name == code.strip().lower():
            click.echo(explain_rule(r, lang, fmt), nl=False)
            return
    aliases = engine.code_aliases()
    if code.strip().upper() in aliases:  # a former code: say what it became, then explain that
        click.echo(engine.alias_notice(code, aliases, lang=lang) + "\n")
        for new in aliases[code.strip().upper()]:
            click.echo(explain_rule(next(r for r in engine.all_rules() if r.code == new), lang, fmt), nl=False)
        return
    from .codes import suggest

    hint = suggest(code, [r.code for r in engine.all_rules()], {r.name: r.code for r in engine.all_rules()})
    click.echo(f"budgetlint: unknown rule {code!r}" + (f" (did you mean {hint!r}?)" if hint else ""), err=True)
    sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
