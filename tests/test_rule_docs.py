"""Every rule documents itself: what it checks, why it matters, a wrong and a right example."""

from __future__ import annotations

import re

import pytest

from budgetlint import engine

RULES = engine.all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented(rule):
    doc = rule.doc()
    for section in ("What it does", "Why it matters", "Example"):
        assert section in doc, f"{rule.code}: no '{section}' section"
    assert re.fullmatch(r"[A-Z]\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary.zh and rule.summary.en


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
