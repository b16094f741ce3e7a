"""JUnit XML: one test case per file, findings as failures; parsed back with ElementTree."""

from __future__ import annotations

import copy
import io
from xml.etree import ElementTree as ET

from _report_data import LINE_30102, copy_seed, run_cli, seed003_report, use_test_rules

import pytest

from budgetlint.report import render


def _xml(report, **opts) -> ET.Element:
    buf = io.StringIO()
    render(report, "junit", buf, **opts)
    text = buf.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text)


def _cases(root) -> dict[tuple[str, str], ET.Element]:
    return {(c.get("classname"), c.get("name").split()[0]): c for c in root.iter("testcase")}


def test_one_case_per_file_and_rule(tmp_path):
    report, _, path = seed003_report(tmp_path)
    root = _xml(report)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(path)]
    cases = _cases(root)
    assert sorted(cases) == [(str(path), c) for c in ("C901", "N901", "S901", "X901")]
    assert cases[(str(path), "C901")].get("name") == "C901 test-crossfoot"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "4", "0")
    c901 = cases[(str(path), "C901")].findall("failure")
    assert len(c901) == 1 and c901[0].get("type") == "C901"
    assert c901[0].get("message").startswith("C901 合计不等于人员经费与公用经费之和")
    assert f"{path}:{LINE_30102}" in c901[0].text
    assert "应为：3,386.91" in c901[0].text and "实为：3,368.91" in c901[0].text and "相差：-18" in c901[0].text
    assert "津贴补贴 · 一般公共预算基本支出 / 人员经费 (L277)" in c901[0].text


def test_several_findings_of_a_rule_are_one_failure(tmp_path):
    report, _, path = seed003_report(tmp_path)
    f = next(x for x in report.findings if x.code == "C901")
    twin = copy.deepcopy(f)
    twin.line = 300
    report.findings.append(twin)
    root = _xml(report)
    fails = _cases(root)[(str(path), "C901")].findall("failure")
    assert len(fails) == 1 and fails[0].get("message").startswith("C901 (2 个发现) ")
    assert fails[0].text.count(str(path) + ":") == 2


def test_times_are_measured(tmp_path):
    report, _, path = seed003_report(tmp_path)
    report.timings[str(path)]["load"] = 0.25  # reading the file (measured by engine.run; not by this fixture)
    root = _xml(report)
    times = [float(c.get("time")) for c in root.iter("testcase")]
    assert all(t > 0 for t in times), times
    suite = root.find("testsuite")
    assert float(suite.get("time")) == pytest.approx(0.25 + sum(times), abs=1e-5)
    assert float(root.get("time")) == pytest.approx(float(suite.get("time")), abs=1e-5)


def test_below_fail_on_goes_to_system_out(tmp_path):
    report, _, path = seed003_report(tmp_path)
    for f in report.findings:
        if f.code != "C901":
            f.severity = "warning"
    root = _xml(report, fail_on="error")
    cases = _cases(root)
    assert [c[1] for c, case in cases.items() if case.find("failure") is not None] == ["C901"]
    for code in ("S901", "X901", "N901"):
        assert code in cases[(str(path), code)].find("system-out").text
    assert root.get("failures") == "1"


def test_cli_suites_per_file_clean_and_unreadable(tmp_path, monkeypatch):
    copy_seed(tmp_path, dest="a_ok.txt")
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="b_bad.txt")
    (tmp_path / "c_broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "junit", "-o", "junit.xml", "--jobs", "2", "."], cwd=tmp_path)
    assert res.exit_code == 1
    root = ET.parse(tmp_path / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["./a_ok.txt", "./b_bad.txt", "./c_broken.xlsx"]
    ok = suites["./a_ok.txt"]
    assert [c.get("name").split()[0] for c in ok] == ["C901", "N901", "S901", "X901"]
    assert all(list(c) == [] for c in ok) and ok.get("failures") == "0"
    bad = suites["./b_bad.txt"]
    assert [c.get("name").split()[0] for c in bad if c.find("failure") is not None] == ["C901", "S901"]
    broken = suites["./c_broken.xlsx"]
    l001 = [c for c in broken if c.get("name").startswith("L001")]
    assert len(l001) == 1 and l001[0].find("error") is not None and broken.get("errors") == "1"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("13", "2", "1")
    # reading and checking take time, in worker processes too
    assert float(suites["./a_ok.txt"].get("time")) > 0 and float(suites["./b_bad.txt"].get("time")) > 0
    assert all(float(c.get("time")) > 0 for c in ok)


def test_control_characters_do_not_break_the_xml(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    report.findings[0].message = "含有\x0b垂直制表符\x01的说明"
    root = _xml(report)
    assert any(f.get("message").endswith("含有\ufffd垂直制表符\ufffd的说明") for f in root.iter("failure"))
