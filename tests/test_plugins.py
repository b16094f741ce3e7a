"""Plug-in rules: codes never collide, run-wide checks, option tables of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shutil

from _report_data import TEST_RULES, run_cli
from conftest import SAMPLES

from budgetlint import engine
from budgetlint.rule import Msg, Rule


class _EntryPoint:
    """Stands for an ``importlib.metadata.EntryPoint`` of the ``budgetlint.rules`` group."""

    def __init__(self, name: str, value: str, rules: list[type]) -> None:
        self.name, self.value, self._rules = name, value, rules

    def load(self):
        return lambda: list(self._rules)


def _plugin(code: str, name: str, keys: tuple[str, ...] = ()) -> type[Rule]:
    class Plugin(Rule):
        """A plug-in rule for tests: one warning per document, with the option it reads."""

        summary = Msg("测试", "test")
        severity = "warning"
        config_keys = keys

        def check(self, doc, ctx):
            gap = ctx.option(keys[0], "none") if keys else "none"
            yield ctx.finding(self, doc, None, Msg("选项 {gap}", "option {gap}"), gap=gap)

    Plugin.code, Plugin.name = code, name
    Plugin.__qualname__ = f"Plugin_{code}"
    return Plugin


@pytest.fixture
def entry_points(monkeypatch):
    """Install fake entry points: the built-in test rules plus the given plug-in rules."""

    def install(*plugins: tuple[str, list[type]]):
        eps = [_EntryPoint("builtin", "budgetlint.rules:get_rules", list(TEST_RULES))]
        eps += [_EntryPoint(name, f"{name}_rules:get_rules", rules) for name, rules in plugins]
        monkeypatch.setattr(engine, "_entry_points", lambda: eps)
        monkeypatch.setattr(engine, "_RULE_CACHE", None)
        return engine.all_rules()

    yield install
    engine._RULE_CACHE = None


def test_a_colliding_code_is_refused_naming_both(entry_points, capsys):
    taken = TEST_RULES[0]
    rules = entry_points(("acme", [_plugin(taken.code, "acme-total"), _plugin("Z901", "acme-ok")]))
    assert [r for r in rules if r.code == taken.code] == [taken]
    assert "Z901" in {r.code for r in rules}
    err = capsys.readouterr().err
    assert f"rule {taken.code} acme-total" in err and "refused" in err and "'acme'" in err
    assert f"already used by rule {taken.code} {taken.name}" in err and "'builtin'" in err


def test_two_plugins_with_one_code_keep_the_first(entry_points, capsys):
    rules = entry_points(("one", [_plugin("Z901", "one-rule")]), ("two", [_plugin("Z901", "two-rule")]))
    assert [r.name for r in rules if r.code == "Z901"] == ["one-rule"]
    err = capsys.readouterr().err
    assert "Z901 two-rule" in err and "Z901 one-rule" in err


def test_a_plugin_reads_its_own_option_table(entry_points, tmp_path):
    entry_points(("acme", [_plugin("Z901", "acme-gap", ("Z901.max_gap",))]))
    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLES / "disclosure_consistent.txt", tmp_path / "docs" / "budget.txt")
    (tmp_path / "budgetlint.toml").write_text('format = "json"\nselect = ["Z9"]\n[Z901]\nmax_gap = 7\n', encoding="utf-8")
    res = run_cli(["check", "--fail-on", "error", "docs"], cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    [f] = json.loads(res.stdout)["findings"]
    assert f["code"] == "Z901" and f["message"] == "选项 7"


def test_an_option_table_no_rule_declares_is_an_error(entry_points, tmp_path):
    entry_points(("acme", [_plugin("Z901", "acme-gap", ("Z901.max_gap",))]))
    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLES / "disclosure_consistent.txt", tmp_path / "docs" / "budget.txt")
    (tmp_path / "budgetlint.toml").write_text("[Z901]\nmax_gap = 7\nother = 1\n[zoning]\nx = 1\n", encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=tmp_path)
    assert res.exit_code == 2
    assert "unknown configuration keys: Z901.other, zoning.x" in res.stderr


def test_a_run_wide_check_runs_once_per_run(tmp_path):
    from budgetlint.model import Document

    class CountDocuments(Rule):
        """Run-wide: one finding naming how many documents the run checked."""

        code, name, summary = "Z902", "count-documents", Msg("计数", "count")

        def check(self, doc, ctx):
            return ()

        def check_run(self, documents, ctx):
            yield ctx.finding(self, Document(path="run", format="run"), None, Msg("{n} 个文件", "{n} files"), n=len(documents))

    docs = [Document(path=f"{i}.txt", format="text") for i in range(3)]
    report = engine.check_documents(docs, rules=[CountDocuments])
    assert [(f.code, f.message) for f in report.findings] == [("Z902", "3 个文件")]
    assert engine.check_documents(docs, rules=[CountDocuments], run_wide=False).findings == []


def test_the_core_names_no_rule_code():
    """The engine and the schemas of the core decide nothing by a rule's code."""
    import re

    root = Path(engine.__file__).parent
    for name in ("engine.py", "rule.py", "findings.py", "identity.py"):
        text = (root / name).read_text(encoding="utf-8")
        code_lines = [ln for ln in text.splitlines() if not ln.strip().startswith("#")]
        assert not [ln for ln in code_lines if re.search(r"""==\s*["'][A-Z]\d{3}["']""", ln)], name
