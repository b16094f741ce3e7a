"""The command line: exit codes, JSON keys, selection, languages, listing and explaining rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetlint.cli import main

from conftest import SAMPLES, seed_path

FINDING_KEYS = {"code", "name", "severity", "message", "path", "table", "row", "column", "line", "sheet", "cell", "page",
                "expected", "actual", "difference", "tolerance", "terms"}
TERM_KEYS = {"label", "value", "line", "sheet", "cell", "page"}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_output_has_the_documented_keys():
    res = run("check", "--format", "json", str(SAMPLES / "disclosure_with_errors.txt"))
    data = json.loads(res.output)
    assert set(data) == {"budgetlint", "files", "findings", "skipped", "summary"}
    assert set(data["files"][0]) == {"path", "format", "tables", "error", "companion"}
    assert set(data["summary"]) == {"files", "tables", "errors", "warnings", "infos"}
    assert data["findings"], "the sample with deliberate mistakes must produce findings"
    for f in data["findings"]:
        assert FINDING_KEYS <= set(f)
        for t in f["terms"]:
            assert TERM_KEYS <= set(t)
    assert res.exit_code == 1


def test_clean_file_exits_zero():
    res = run("check", "--format", "json", "--select", "L", str(SAMPLES / "disclosure_consistent.txt"))
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["summary"]["errors"] == 0


def test_usage_errors_exit_two(tmp_path):
    assert run("check", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("check", "--select", "ZZZ9", str(SAMPLES)).exit_code == 2
    assert run("check", "--format", "yaml", str(SAMPLES)).exit_code == 2
    assert run("explain", "NOPE1").exit_code == 2


def test_unreadable_file_reported_and_others_checked(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text((SAMPLES / "disclosure_with_errors.txt").read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(b"this is not a workbook")
    res = run("check", "--format", "json", str(tmp_path))
    data = json.loads(res.output)
    by_path = {Path(f["path"]).name: f for f in data["files"]}
    assert by_path["b.xlsx"]["error"] and by_path["a.txt"]["error"] is None
    assert by_path["a.txt"]["tables"] == 3
    l001 = [f for f in data["findings"] if f["code"] == "L001"]
    assert len(l001) == 1 and l001[0]["path"].endswith("b.xlsx")
    assert res.exit_code == 1


def test_findings_in_deterministic_order():
    a = run("check", "--format", "json", str(SAMPLES)).output
    b = run("check", "--format", "json", str(SAMPLES)).output
    assert a == b
    data = json.loads(a)
    keys = [(f["path"], (f["table"] or {}).get("index", -1)) for f in data["findings"]]
    assert keys == sorted(keys)


def test_rules_and_explain():
    res = run("rules")
    assert "L001" in res.output and "unreadable-file" in res.output
    res = run("explain", "L003", "--lang", "en")
    assert "table-shape" in res.output and "Example" in res.output and "**" not in res.output


def test_explain_in_chinese_as_text_and_markdown():
    res = run("explain", "S102")
    out = res.output
    assert res.exit_code == 0
    assert out.startswith("S102 科目层级 — 错误") and "作用：" in out and "原因：" in out and "示例：" in out
    assert "**" not in out and "``" not in out and "What it does" not in out
    md = run("explain", "code-hierarchy", "--format", "md").output
    assert md.startswith("# S102 科目层级") and "**作用**" in md and "`302 商品和服务支出 918.84`" in md


def test_every_rule_documents_itself_in_both_languages():
    from budgetlint import engine

    for r in engine.all_rules():
        zh, en = r.doc("zh"), r.doc("en")
        assert "**作用**" in zh and "**原因**" in zh and "**示例**" in zh, r.code
        assert "**What it does**" in en or "What it does" in en, r.code
        assert r.title("zh") and r.title("zh") != r.name and not any("a" <= ch <= "z" for ch in r.title("zh")), r.code


def test_english_messages():
    res = run("check", "--format", "json", "--lang", "en", "--select", "L", str(SAMPLES / "project_targets_with_errors.txt"),
              str(Path("/nonexistent-dir-for-test")) if False else str(SAMPLES / "project_targets_with_errors.txt"))
    data = json.loads(res.output)
    assert data["files"][0]["tables"] == 1


def test_seed_003_runs_and_reports_located_findings():
    p = seed_path("003")
    res = run("check", "--format", "json", str(p))
    data = json.loads(res.output)
    assert data["summary"]["tables"] == 140
    for f in data["findings"]:
        assert f["line"] is not None or f["table"] is not None, f


def test_console_script_entry_point():
    exe = Path(sys.executable).with_name("budgetlint")
    if not exe.exists():
        pytest.skip("console script not installed")
    out = subprocess.run([str(exe), "rules", "--format", "json"], capture_output=True, text=True, check=True)
    codes = [r["code"] for r in json.loads(out.stdout)]
    assert codes == sorted(codes, key=lambda c: (c.rstrip("0123456789"), c)) and "L001" in codes


def test_tables_command_shows_how_tables_were_understood():
    res = run("tables", "--format", "json", str(SAMPLES / "disclosure_with_errors.txt"))
    (doc,) = json.loads(res.output)
    t3, t6, sg = doc["tables"]
    assert (t3["number"], t3["title"], t3["kind"], t3["unit"]) == ("表 3", "单位支出总体情况表", "budget.expenditure", "万元")
    assert t3["columns"][5]["path"] == ["支出预算", "基本支出"] and t3["columns"][5]["number"] == "2"
    assert t6["rows"][1] == {"index": 1, "code": "301", "label": "工资福利支出", "kind": "data", "line": 45}
    assert sg["kind"] == "budget.sangong"
    text = run("tables", str(SAMPLES / "disclosure_with_errors.txt")).output
    assert "单位支出总体情况表" in text and "kind=budget.expenditure" in text


def test_tables_command_shows_sides_spanning_rows_and_row_readings(tmp_path):
    """The three-block summary's sides and merged rows, and an indentation reading with its support."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from zoo_layouts import LAYOUTS

    by_id = {L.id: L for L in LAYOUTS}
    summary = by_id["summary-three-blocks-merged-totals-txt"].write(tmp_path)
    (doc,) = json.loads(run("tables", "--format", "json", str(summary)).output)
    t = doc["tables"][0]
    assert [r["label_col"] for r in t["row_readings"]] == [0, 2, 4]
    assert [sp["label"] for sp in t["spanning_rows"]] == ["本年支出合计", "年末结转结余", "支出总计"]
    text = run("tables", str(summary)).output
    assert "「本年支出合计」 spans blocks 1–2" in text
    indented = by_id["exp-indent-flat-txt"].write(tmp_path)
    (doc,) = json.loads(run("tables", "--format", "json", str(indented)).output)
    reading = doc["tables"][0]["row_readings"][0]["reading"]
    assert reading["reading"] == "indentation" and reading["kept"] and reading["held"] == reading["tried"] > 0


def test_start_up_stays_lean():
    """Listing rules or asking for help loads neither pandas, pandera, numpy nor rich."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from budgetlint.cli import main\n"
        "CliRunner().invoke(main, ['rules'])\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "print(sorted(m for m in ('pandas', 'pandera', 'numpy', 'rich', 'openpyxl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
