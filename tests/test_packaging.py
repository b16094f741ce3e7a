"""Packaging: ``rules/`` ships inside the wheel as ``budgetlint.rules``; plug-ins load through the entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    (whl,) = out.glob("budgetlint-*.whl")
    return whl


def test_wheel_contains_rules_as_subpackage(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "budgetlint/rules/__init__.py" in names
    families = ("balance", "crossfoot", "hygiene", "loading", "narrative", "perf", "reconcile", "sums")
    for family in families:  # a package per family, one module per rule
        assert f"budgetlint/rules/{family}/__init__.py" in names, family
    assert "budgetlint/rules/sums/S101_total_row.py" in names
    assert "budgetlint/rules/loading/_schemas.py" in names
    in_source = sorted(p.relative_to(REPO / "rules").as_posix() for p in (REPO / "rules").rglob("*.py"))
    assert [n for n in in_source if f"budgetlint/rules/{n}" not in names] == [], "a rules package missing from pyproject.toml"
    assert not any(n.startswith("rules/") for n in names), "rules must not be a top-level module"
    eps = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(eps).decode()
    assert "[budgetlint.rules]" in text and "budgetlint.rules:get_rules" in text


def test_installed_wheel_checks_sample_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True)
    env = dict(os.environ, PYTHONPATH=str(target))
    code = "import budgetlint, budgetlint.rules, sys; print(budgetlint.__file__); print(budgetlint.rules.__file__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert all(line.startswith(str(target)) for line in out.stdout.split())
    res = subprocess.run([sys.executable, "-m", "budgetlint.cli", "check", "--format", "json", str(SAMPLES / "disclosure_with_errors.txt")],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    data = json.loads(res.stdout)
    assert res.returncode == 1 and data["summary"]["errors"] >= 1


def test_third_party_rules_load_through_entry_points(tmp_path):
    """A plug-in registered in the budgetlint.rules group runs exactly like a built-in rule."""
    plug = tmp_path / "plug"
    plug.mkdir()
    (plug / "demo_rules.py").write_text(textwrap.dedent('''
        from budgetlint.rule import Msg, Rule

        class TitleMentionsYear(Rule):
            """Demo plug-in: every table title names a year."""
            code = "Z901"
            name = "title-mentions-year"
            severity = "warning"
            summary = Msg("表名未写年度", "table title has no year")

            def check(self, doc, ctx):
                for t in doc.tables:
                    if "年" not in t.title:
                        yield ctx.finding(self, doc, t, Msg("表名「{title}」未写年度", "title {title!r} has no year"), title=t.title)

        def get_rules():
            return [TitleMentionsYear]
    '''), encoding="utf-8")
    dist = plug / "demo_rules-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-rules\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[budgetlint.rules]\ndemo = demo_rules:get_rules\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(plug))
    res = subprocess.run([sys.executable, "-m", "budgetlint.cli", "check", "--format", "json", "--select", "Z9", "--fail-on", "warning",
                          str(SAMPLES / "disclosure_consistent.txt")], capture_output=True, text=True, env=env)
    data = json.loads(res.stdout)
    assert [f["code"] for f in data["findings"]] == ["Z901", "Z901"]
    assert data["findings"][0]["table"]["title"] == "单位支出总体情况表"
    assert res.returncode == 1
