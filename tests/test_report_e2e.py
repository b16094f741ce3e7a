"""Every output format on the sample data and the seeds, with the real rules, parsed back and
compared with the JSON report; the inputs are byte-for-byte unchanged afterwards."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from _report_data import SEEDS, run_cli
from openpyxl import load_workbook
from test_report_github import parse as parse_github
from test_report_html import Dom
from test_report_sarif import _validate

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
SEED_NAMES = ["001_cc27d041c9c85168.txt", "002_22dfcbdd3ecd58ac.txt", "003_407e03e18ae36581.txt", "004_5bc4ef2c1a6abc0e.txt"]


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    if not (SAMPLE_DATA / "disclosure_with_errors.txt").is_file():
        pytest.fail("sample_data missing")
    work = tmp_path_factory.mktemp("e2e")
    shutil.copytree(SAMPLE_DATA, work / "data", ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return work


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    if not all((SEEDS / n).is_file() for n in SEED_NAMES):
        pytest.fail("seed documents missing from ../shared/seeds")
    work = tmp_path_factory.mktemp("seeds")
    (work / "data").mkdir()
    for n in SEED_NAMES:
        shutil.copyfile(SEEDS / n, work / "data" / n)
    return work


def _all_formats(work: Path) -> dict:
    """Run every format once; returns the parsed outputs keyed by format."""
    before = _hashes(work / "data")
    out: dict = {}
    res = run_cli(["check", "--format", "json", "data"], cwd=work)
    assert res.exit_code in (0, 1), res.stderr
    out["exit"] = res.exit_code
    out["json"] = json.loads(res.stdout)
    for fmt, name in (("sarif", "r.sarif"), ("github", "r.github"), ("junit", "r.xml"), ("html", "r.html"), ("text", "r.txt")):
        no_cap = ["--max-annotations", "0", "--max-annotations-per-file", "0"] if fmt == "github" else []
        res = run_cli(["check", "--format", fmt, *no_cap, "--output", f"out/{name}", "data"], cwd=work)
        assert res.exit_code == out["exit"], (fmt, res.stderr)
        out[fmt] = (work / "out" / name).read_text(encoding="utf-8")
    res = run_cli(["check", "--annotate", "out/marks", "--write-baseline", "out/baseline.json", "data"], cwd=work)
    assert res.exit_code == 0, res.stderr
    res = run_cli(["check", "--baseline", "out/baseline.json", "data"], cwd=work)
    assert res.exit_code == 0, res.stderr
    out["baseline_stdout"] = res.stdout
    assert _hashes(work / "data") == before  # no input was touched by any format
    return out


@pytest.fixture(scope="module")
def sample_outputs(samples):
    return _all_formats(samples)


@pytest.fixture(scope="module")
def seed_outputs(seeds):
    return _all_formats(seeds)


def _keys(findings) -> list[tuple]:
    return sorted((f["code"], f["path"], f["line"] or 0, f["sheet"] or "", f["cell"] or "") for f in findings)


@pytest.mark.parametrize("which", ["sample_outputs", "seed_outputs"])
def test_sarif_matches_json(which, request):
    out = request.getfixturevalue(which)
    log = json.loads(out["sarif"])
    _validate(log)
    findings = out["json"]["findings"]
    results = log["runs"][0]["results"]
    got = []
    for r in results:
        loc = r["locations"][0]
        phys = loc["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        line = phys.get("region", {}).get("startLine", 0)
        sheet = cell = ""
        if "logicalLocations" in loc:
            sheet, _, cell = loc["logicalLocations"][0]["fullyQualifiedName"].rpartition("!")
        got.append((r["ruleId"], uri, line, sheet, cell))
    from urllib.parse import quote

    def region_line(f):  # the source line, else the cell's row, the page, else 1 (GitHub needs a line >= 1)
        row = int("".join(ch for ch in f["cell"] or "" if ch.isdigit()) or 0)
        return f["line"] or row or f["page"] or 1

    want = sorted((f["code"], quote(f["path"], safe="/"), region_line(f), f["sheet"] or "", f["cell"] or "") for f in findings)
    assert sorted(got) == want
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} >= {f["code"] for f in findings}


@pytest.mark.parametrize("which", ["sample_outputs", "seed_outputs"])
def test_github_matches_json(which, request):
    out = request.getfixturevalue(which)
    anns = parse_github(out["github"])
    findings = out["json"]["findings"]
    assert len(anns) == len(findings)
    assert sorted((a["title"].split()[1], a["file"], int(a.get("line", 0))) for a in anns) == sorted(
        (f["code"], f["path"], f["line"] or 0) for f in findings)


@pytest.mark.parametrize("which", ["sample_outputs", "seed_outputs"])
def test_junit_matches_json(which, request):
    out = request.getfixturevalue(which)
    root = ET.fromstring(out["junit"])
    files = [f["path"] for f in out["json"]["files"]]
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == sorted(files)
    for path, suite in suites.items():
        cases = {c.get("name").split()[0]: c for c in suite.iter("testcase")}
        assert {f["code"] for f in out["json"]["findings"] if f["path"] == path} <= set(cases), path
        want = sorted({f["code"] for f in out["json"]["findings"] if f["path"] == path and f["severity"] == "error"})
        assert sorted(x.get("type") for c in cases.values() for x in c.findall("failure")) == want, path
        for code in want:
            n = sum(f["code"] == code and f["path"] == path and f["severity"] == "error" for f in out["json"]["findings"])
            assert cases[code].find("failure").text.count("\n\n") == n - 1, (path, code)


@pytest.mark.parametrize("which", ["sample_outputs", "seed_outputs"])
def test_html_marks_every_anchored_finding(which, request):
    out = request.getfixturevalue(which)
    dom = Dom(out["html"])
    items = dom.find("li", cls="bl-finding")
    assert len(items) == len(out["json"]["findings"])
    anchored = {li["data-cells"] for li in items if li["data-cells"]}
    assert anchored == {td["id"] for td in dom.find("td", cls="bl-bad")}
    s = out["json"]["summary"]
    line = dom.find(cls="bl-summary-line")[0]["text"]
    assert f"{s['errors']} 个错误" in line and f"{s['files']} 个文件" in line


@pytest.mark.parametrize("which", ["sample_outputs", "seed_outputs"])
def test_text_lists_every_finding(which, request):
    out = request.getfixturevalue(which)
    text = out["text"]
    for f in out["json"]["findings"]:
        assert f["message"] in text
    assert "\x1b[" not in text


def test_baseline_hides_all_recorded(sample_outputs, seed_outputs):
    for out in (sample_outputs, seed_outputs):
        assert "0 个错误，0 个警告" in out["baseline_stdout"]


def test_sample_data_expected_mistakes_in_every_format(sample_outputs, samples):
    findings = sample_outputs["json"]["findings"]
    assert sample_outputs["exit"] == 1
    txt = [f for f in findings if f["path"] == "data/disclosure_with_errors.txt"]
    xl = [f for f in findings if f["path"] == "data/disclosure_with_errors.xlsx"]
    assert txt and xl and not [f for f in findings if f["path"] == "data/disclosure_consistent.txt"]
    # the workbook's mistakes are located by sheet and cell, and the annotated copy marks exactly them
    assert all(f["sheet"] and f["cell"] for f in xl)
    marks = samples / "out" / "marks-disclosure_with_errors_xlsx.xlsx"
    wb = load_workbook(marks)
    filled = {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != "检查结果"
              for row in ws.iter_rows() for c in row if c.comment is not None and "#" in c.comment.text and (c.fill.fgColor.rgb or "").endswith("FFC7CE")}
    assert filled == {(f["sheet"], f["cell"]) for f in xl if f["severity"] == "error"}
    warned = {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != "检查结果"
              for row in ws.iter_rows() for c in row if c.comment is not None and (c.fill.fgColor.rgb or "").endswith("FFEB9C")}
    assert warned == {(f["sheet"], f["cell"]) for f in xl if f["severity"] == "warning"} - filled  # an error outranks
    assert any(f["code"] == "L004" for f in xl)  # the 三公 amounts stored as text
    links = [r[5] for r in wb["检查结果"].iter_rows(min_row=3, values_only=True)]
    assert sorted(links) == sorted(f"{f['sheet']}!{f['cell']}" for f in xl)
    # the text input gets a workbook rendering its extracted tables, with the same marks
    wb = load_workbook(samples / "out" / "marks-disclosure_with_errors_txt.xlsx")
    assert wb.sheetnames[0] == "检查结果" and len(wb.sheetnames) > 1
    marked = [c for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row
              if (c.fill.fgColor.rgb or "").endswith("FFC7CE")]
    anchors = {(f["table"]["index"], f["row"]["index"], f["column"]["index"]) for f in txt if f.get("row") and f.get("column")}
    assert len(marked) == len(anchors)
    assert [r[2] for r in wb["检查结果"].iter_rows(min_row=3, values_only=True)] == [f["code"] for f in txt]
    assert not (samples / "out" / "marks-disclosure_consistent_txt.xlsx").exists()  # nothing to mark there
