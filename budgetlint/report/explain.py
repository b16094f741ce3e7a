"""``budgetlint explain CODE``: a rule's own documentation, in Chinese or English.

Rules document themselves in Markdown (the English docstring, the Chinese
``doc_zh``).  In a terminal the marks are taken out (``**作用**`` → ``作用``,
````S101```` → ``S101``); ``--format md`` prints Markdown.
"""

from __future__ import annotations

import re
from typing import Any

_SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}}
_LABELS = {
    "zh": {"name": "规则名", "severity": "级别", "config": "配置项", "opt_in": "默认不启用，需在 select 中显式选择"},
    "en": {"name": "name", "severity": "severity", "config": "Configuration keys", "opt_in": "off by default: select it explicitly"},
}


def _markdown(doc: str) -> str:
    """The docstring's reST-flavoured marks as Markdown: ``x`` → `x`, a trailing ``::`` → ``:``."""
    doc = re.sub(r"``(.+?)``", r"`\1`", doc)
    doc = re.sub(r"::[ \t]*\n(?=[ \t]*\S)", ":\n\n", doc)  # the indented block after it becomes a code block
    return re.sub(r"::[ \t]*$", ":", doc, flags=re.M)


def _plain(doc: str) -> str:
    doc = re.sub(r"``(.+?)``", r"\1", doc)
    doc = re.sub(r"\*\*(.+?)\*\*", r"\1", doc)
    doc = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", doc)
    return re.sub(r"::\s*$", ":", doc, flags=re.M)


def explain_rule(rule: Any, lang: str = "zh", fmt: str = "text") -> str:
    """The documentation of ``rule`` as text for a terminal, or as Markdown."""
    lab = _LABELS.get(lang, _LABELS["zh"])
    sev = _SEVERITY.get(lang, {}).get(rule.severity, rule.severity)
    title = rule.title(lang)
    summary = rule.summary.get(lang)
    doc = rule.doc(lang)
    keys = list(rule.config_keys)
    sep = "：" if lang != "en" else ": "
    if fmt == "md":
        lines = [f"# {rule.code} {title}", "", f"**{lab['name']}**{sep}`{rule.name}` · **{lab['severity']}**{sep}{sev}", ""]
        if summary and summary != title:
            lines += [f"*{summary}*", ""]
        lines.append(_markdown(doc))
        if not rule.default_enabled:
            lines += ["", f"> {lab['opt_in']}"]
        if keys:
            lines += ["", f"**{lab['config']}**{sep}" + ", ".join(f"`{k}`" for k in keys)]
        return "\n".join(lines) + "\n"
    head = f"{rule.code} {title}" if lang != "en" else f"{rule.code} ({rule.name})"
    lines = [f"{head} — {sev}", f"{lab['name']}{sep}{rule.name}"]
    if summary and not doc:
        lines.append(summary)
    lines += ["", _plain(doc)]
    if not rule.default_enabled:
        lines += ["", lab["opt_in"]]
    if keys:
        lines += ["", f"{lab['config']}{sep}" + ", ".join(keys)]
    return "\n".join(lines) + "\n"
