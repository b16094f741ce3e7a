"""Configuration: ``[tool.budgetlint]`` in ``pyproject.toml`` or a ``budgetlint.toml``.

Found from the checked path upwards (in each folder ``budgetlint.toml`` wins
over ``pyproject.toml``); command-line options win over the file.  Unknown
keys are reported, not ignored: a misspelt key is a configuration error (exit
code 2), and so is a key inside an option table that no rule reads.

Keys::

    select = ["S", "X"]            # rule codes or prefixes to enable (CLI --select replaces it)
    extend-select = ["P403"]       # added to select, or to the default rules when select is not given
    ignore = ["N2"]                # disabled (CLI --ignore adds to it)
    lang = "zh"                    # zh | en
    format = "text"                # any output format
    fail-on = "error"              # error | warning | info
    show-rounding = false          # also report differences explained by rounding

    [tool.budgetlint.per-file-ignores]
    "archive/**" = ["N"]           # globs relative to the configuration file's folder
    "*_draft.xlsx" = ["ALL"]       # a pattern without "/" matches the file name anywhere

    [tool.budgetlint.severity]
    H1 = "warning"                 # severity overrides by code or prefix

    [tool.budgetlint.weights]
    total = 90                     # expected total of indicator weights

    [tool.budgetlint.rounding]     # rounding options read by rules (see ``budgetlint rules``)

Option tables: every other table (``[tool.budgetlint.<family or code>]``) holds
options for the rules: the built-in families read ``sums``, ``crossfoot``,
``perf``… and a plug-in rule may read its own table, named after its code or
family (``[tool.budgetlint.Z901]``, ``[tool.budgetlint.zoning]``), by
declaring the dotted keys in its ``config_keys`` (``("Z901.max_gap",)``).  A
key inside an option table that no rule declares is a configuration error,
like a misspelt top-level key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

# Option tables of the built-in rules (ctx.option("weights.total")…): one per rule family that reads options.
# Any other table is handed to the rules too, and checked against the keys they declare.
OPTION_TABLES = ("rounding", "weights", "perf", "narrative", "sums", "crossfoot", "balance", "reconcile", "hygiene")
KNOWN_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "severity", "lang", "format", "fail-on", "show-rounding",
    *OPTION_TABLES,
}
# Option keys the tool itself knows, besides those the rules declare in ``config_keys``.
BUILTIN_OPTION_KEYS = frozenset({"weights.total"})
SEVERITIES = ("error", "warning", "info")
LANGS = ("zh", "en")


class ConfigError(Exception):
    """A configuration problem (exit code 2)."""


@dataclass
class Config:
    """Settings after merging the file and the command line."""

    source: str | None = None
    select: list[str] | None = None  # replaces the default rules
    extend_select: list[str] = field(default_factory=list)  # added to select (or to the defaults)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"
    format: str = "text"
    fail_on: str = "error"
    show_rounding: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # everything rules may read (weights.total…)
    unknown: list[str] = field(default_factory=list)
    root: str | None = None  # folder the per-file-ignores patterns are relative to
    select_keys: dict[str, list[str]] = field(default_factory=dict)  # select / extend-select as written

    def selection(self, cli_select: Sequence[str] | None = None) -> list[str] | None:
        """The rule patterns in force: ``--select`` or ``select`` (else the defaults), plus ``extend-select``."""
        base = list(cli_select or []) or self.select
        if not self.extend_select:
            return base
        return (base or ["ALL"]) + [p for p in self.extend_select if p not in (base or [])]

    def ignored_codes(self, path: str) -> list[str]:
        """Rule codes or prefixes ``per-file-ignores`` switches off for ``path``."""
        if not self.per_file_ignores:
            return []
        root = self.root or os.getcwd()
        rel = _relative(path, root)
        name = rel.rsplit("/", 1)[-1]
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            pat = pattern.replace("\\", "/")
            if pat.startswith("./"):
                pat = pat[2:]
            target = name if "/" not in pat else rel
            if _glob_regex(pat).fullmatch(target) or _glob_regex(pat).fullmatch(rel):
                out.extend(codes)
        return out

    def apply_per_file_ignores(self, findings: Sequence[Any]) -> list[Any]:
        """The findings ``per-file-ignores`` does not switch off (order kept)."""
        if not self.per_file_ignores:
            return list(findings)
        cache: dict[str, list[str]] = {}
        out = []
        for f in findings:
            codes = cache.get(f.path)
            if codes is None:
                codes = cache[f.path] = self.ignored_codes(f.path)
            code = f.code.upper()
            if any(c == "ALL" or code.startswith(c) for c in codes):
                continue
            out.append(f)
        return out

    def rule_patterns(self) -> list[tuple[str, str]]:
        """Every rule code or prefix the file names, with the key that names it: (key, pattern)."""
        pats = [("select", p) for p in self.select_keys.get("select", [])]
        pats += [("extend-select", p) for p in self.select_keys.get("extend-select", [])]
        pats += [("ignore", p) for p in self.ignore] + [(f"severity.{p}", p) for p in self.severity]
        for glob, codes in self.per_file_ignores.items():
            pats.extend((f"per-file-ignores.{glob!r}", p) for p in codes)
        return pats

    def key_name(self, key: str) -> str:
        """How the user finds ``key`` in the file: ``[tool.budgetlint] select`` in a pyproject.toml."""
        if self.source and Path(self.source).name == "pyproject.toml":
            return f"[tool.budgetlint] {key}"
        return key


def _relative(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Gitignore-like glob: ``*`` and ``?`` stay inside a folder, ``**`` crosses folders."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest budgetlint.toml or pyproject.toml with a [tool.budgetlint] table, from start upwards."""
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: look from where the link sits
        start = Path(os.path.abspath(start))
    try:
        here = start if start.is_dir() else start.parent
    except OSError:
        here = start.parent
    for d in [here, *here.parents]:
        bl = d / "budgetlint.toml"
        if bl.is_file():
            return bl, _read_toml(bl)
        pp = d / "pyproject.toml"
        if pp.is_file():
            data = _read_toml(pp)
            tool = data.get("tool", {}).get("budgetlint")
            if tool is not None:
                return pp, tool
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: cannot read configuration: it is a directory, not a file") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read configuration: not UTF-8 text (save it as UTF-8): {exc.reason} at byte {exc.start}") from exc
    except (OSError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise ConfigError(f"{path}: cannot read configuration: {getattr(exc, 'strerror', None) or exc}") from exc


def _str_list(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of rule codes, not {value!r}")
    return [v.strip().upper() for v in value if v.strip()]  # codes are case-insensitive


def _choice(path: Path, key: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ConfigError(f"{path}: {key} must be one of {', '.join(choices)}, not {value!r}")
    return value


def load_config(paths: list[str], config_file: str | None = None) -> Config:
    found: tuple[Path, dict[str, Any]] | None
    if config_file:
        p = Path(config_file)
        data = _read_toml(p)
        if p.name == "pyproject.toml":
            data = data.get("tool", {}).get("budgetlint", {})
        found = (p, data)
    else:
        found = find_config(Path(paths[0]) if paths else Path.cwd())
    cfg = Config()
    if not found:
        return cfg
    path, data = found
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.budgetlint] must be a table")
    cfg.source = str(path)
    cfg.root = str(path.resolve().parent)
    # a table of another name is an option table a plug-in rule may declare (checked against the rules later)
    cfg.unknown = sorted(k for k in data if k not in KNOWN_KEYS and not isinstance(data[k], dict))
    if "select" in data:
        cfg.select = cfg.select_keys["select"] = _str_list(path, "select", data["select"])
    if "extend-select" in data:
        cfg.extend_select = cfg.select_keys["extend-select"] = _str_list(path, "extend-select", data["extend-select"])
    cfg.ignore = _str_list(path, "ignore", data.get("ignore", []))
    pfi = data.get("per-file-ignores") or {}
    if not isinstance(pfi, dict):
        raise ConfigError(f"{path}: per-file-ignores must be a table of glob = [codes]")
    cfg.per_file_ignores = {k: _str_list(path, f"per-file-ignores.{k!r}", v) for k, v in pfi.items()}
    sev = data.get("severity") or {}
    if not isinstance(sev, dict):
        raise ConfigError(f"{path}: severity must be a table of code = \"error\" | \"warning\" | \"info\"")
    for k, v in sev.items():
        if v not in SEVERITIES:
            raise ConfigError(f"{path}: severity.{k} must be error, warning or info, not {v!r}")
    cfg.severity = {k.strip().upper(): v for k, v in sev.items()}
    cfg.lang = _choice(path, "lang", data.get("lang", cfg.lang), LANGS)
    fmt = data.get("format", cfg.format)
    if not isinstance(fmt, str):
        raise ConfigError(f"{path}: format must be a string, not {fmt!r}")
    cfg.format = fmt
    cfg.fail_on = _choice(path, "fail-on", data.get("fail-on", cfg.fail_on), SEVERITIES)
    show = data.get("show-rounding", False)
    if not isinstance(show, bool):
        raise ConfigError(f"{path}: show-rounding must be true or false, not {show!r}")
    cfg.show_rounding = show
    for key in OPTION_TABLES:
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(f"{path}: {key} must be a table ([tool.budgetlint.{key}]), not {data[key]!r}")
    cfg.options = {k: v for k, v in data.items() if k in OPTION_TABLES or (k not in KNOWN_KEYS and isinstance(v, dict))}
    total = (cfg.options.get("weights") or {}).get("total")
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float)) or total <= 0):
        raise ConfigError(f"{path}: weights.total must be a positive number, not {total!r}")
    return cfg


def _flatten(prefix: str, node: Any) -> list[str]:
    if isinstance(node, dict) and node:
        out: list[str] = []
        for k, v in node.items():
            out.extend(_flatten(f"{prefix}.{k}", v))
        return out
    return [prefix]


def unknown_option_keys(options: dict[str, Any], declared: Iterable[str]) -> list[str]:
    """Dotted option keys that neither a rule (``config_keys``) nor the tool reads."""
    known = set(BUILTIN_OPTION_KEYS) | set(declared)
    out = []
    for section, node in options.items():
        for key in _flatten(section, node):
            if any(key == k or key.startswith(k + ".") for k in known):
                continue
            out.append(key)
    return sorted(out)


def validate_against_rules(cfg: Config, rules: Sequence[type]) -> list[str]:
    """Problems only the rule set can reveal: unknown option keys and codes that match no rule."""
    problems = []
    declared = [k for r in rules for k in getattr(r, "config_keys", ())]
    bad_keys = unknown_option_keys(cfg.options, declared)
    if bad_keys:
        problems.append(f"{cfg.source}: unknown configuration keys: {', '.join(bad_keys)}")
    from .codes import matches_any, unknown_code_message

    codes = [getattr(r, "code", "") for r in rules] + [c for r in rules for c in getattr(r, "former_codes", ())]
    names = {getattr(r, "name", ""): getattr(r, "code", "") for r in rules}
    for key, pat in cfg.rule_patterns():
        if not matches_any(pat, codes):
            problems.append(f"{cfg.source}: {cfg.key_name(key)}: {unknown_code_message(pat, codes, names)}")
    return problems
