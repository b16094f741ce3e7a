"""JUnit XML: one test case per file, findings as failures; parsed back with ElementTree."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

from _report_data import LINE_30102, copy_seed, run_cli, seed003_report, use_test_rules

from budgetlint.report import render


def _xml(report, **opts) -> ET.Element:
    buf = io.StringIO()
    render(report, "junit", buf, **opts)
    text = buf.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text)


def test_seed_failures(tmp_path):
    report, _, path = seed003_report(tmp_path)
    root = _xml(report)
    assert root.tag == "testsuites" and root.get("tests") == "1" and root.get("failures") == "1"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [str(path)]
    fails = cases[0].findall("failure")
    assert [f.get("type") for f in fails] == ["N901", "X901", "S901", "C901"]
    c901 = fails[3]
    assert c901.get("message").startswith("C901 合计不等于人员经费与公用经费之和")
    assert f"{path}:{LINE_30102}" in c901.text
    assert "应为：3,386.91" in c901.text and "实为：3,368.91" in c901.text and "相差：-18" in c901.text
    assert "津贴补贴 · 一般公共预算基本支出 / 人员经费 (L277)" in c901.text


def test_below_fail_on_goes_to_system_out(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    for f in report.findings:
        if f.code != "C901":
            f.severity = "warning"
    root = _xml(report, fail_on="error")
    case = root.find("./testsuite/testcase")
    assert [f.get("type") for f in case.findall("failure")] == ["C901"]
    out = case.find("system-out").text
    assert "S901" in out and "X901" in out and "N901" in out


def test_cli_one_case_per_file_clean_and_unreadable(tmp_path, monkeypatch):
    copy_seed(tmp_path, dest="a_ok.txt")
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="b_bad.txt")
    (tmp_path / "c_broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "junit", "-o", "junit.xml", "."], cwd=tmp_path)
    assert res.exit_code == 1
    root = ET.parse(tmp_path / "junit.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert sorted(cases) == ["./a_ok.txt", "./b_bad.txt", "./c_broken.xlsx"]
    assert list(cases["./a_ok.txt"]) == []
    assert [f.get("type") for f in cases["./b_bad.txt"].findall("failure")] == ["S901", "C901"]
    assert cases["./c_broken.xlsx"].find("error") is not None
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")


def test_control_characters_do_not_break_the_xml(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    report.findings[0].message = "含有\x0b垂直制表符\x01的说明"
    root = _xml(report)
    assert root.find(".//failure").get("message") == "N901 含有\ufffd垂直制表符\ufffd的说明"
