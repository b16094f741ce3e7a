"""Configuration: ``[tool.budgetlint]`` in ``pyproject.toml`` or a ``budgetlint.toml``.

Found from the checked path upwards; command-line options win over the file.
Unknown keys are reported, not ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KNOWN_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "severity", "rounding", "weights", "lang",
    "format", "fail-on", "show-rounding", "perf", "narrative",
}


class ConfigError(Exception):
    """A configuration problem (exit code 2)."""


@dataclass
class Config:
    """Settings after merging the file and the command line."""

    source: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"
    format: str = "text"
    fail_on: str = "error"
    show_rounding: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # everything rules may read (weights.total…)
    unknown: list[str] = field(default_factory=list)


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest budgetlint.toml or pyproject.toml with a [tool.budgetlint] table, from start upwards."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
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
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc


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
    cfg.source = str(path)
    cfg.unknown = sorted(k for k in data if k not in KNOWN_KEYS)
    if "select" in data:
        cfg.select = list(data["select"])
    if "extend-select" in data:
        cfg.select = (cfg.select or []) + list(data["extend-select"])
    cfg.ignore = list(data.get("ignore", []))
    cfg.per_file_ignores = {k: list(v) for k, v in (data.get("per-file-ignores") or {}).items()}
    cfg.severity = dict(data.get("severity") or {})
    for k, v in cfg.severity.items():
        if v not in ("error", "warning", "info"):
            raise ConfigError(f"{path}: severity for {k} must be error, warning or info, not {v!r}")
    cfg.lang = data.get("lang", cfg.lang)
    cfg.format = data.get("format", cfg.format)
    cfg.fail_on = data.get("fail-on", cfg.fail_on)
    cfg.show_rounding = bool(data.get("show-rounding", False))
    cfg.options = {k: v for k, v in data.items() if k in ("rounding", "weights", "perf", "narrative")}
    return cfg
