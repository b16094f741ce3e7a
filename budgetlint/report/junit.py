"""JUnit XML: one test suite per checked file, one test case per file and rule.

CI servers (GitLab, Jenkins, Azure) show each rule that found something in a
file as a failed test: ``<failure>`` (``type`` is the rule code, ``message``
the number of findings and the first one, the text every finding explained).
Rules that found nothing pass, so the report also says what was checked.
Findings below ``fail-on`` do not fail the case: they are listed in its
``<system-out>``.  A file that could not be read is an ``<error>`` of the
``L001`` case.  Times are the seconds the rule took on that file (judging its
identities included); a suite's time adds the reading of the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import IO, Any
from xml.etree import ElementTree as ET

from ._common import SEVERITY_RANK, explanation, where, words


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold replaced (extracted text may carry them)."""
    return _INVALID_XML.sub("\ufffd", text)


def _seconds(t: float) -> str:
    return f"{max(t, 0.0):.6f}"


def to_xml(report: Any, fail_on: str | None = None) -> ET.Element:
    lang = getattr(report, "lang", "zh")
    w = words(lang)
    en = lang == "en"
    data = report.to_json()
    threshold = SEVERITY_RANK.get(fail_on or "info", 0)
    timings: dict[str, dict[str, float]] = getattr(report, "timings", None) or {}
    names = {r.code: r.name for r in getattr(report, "rules", None) or []}
    by_file: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in data["findings"]:
        by_file[f["path"]][f["code"]].append(f)
        names.setdefault(f["code"], f.get("name") or f["code"])
    files = [fi["path"] for fi in data["files"]]
    for p in by_file:
        if p not in files:
            files.append(p)
    errors_of = {fi["path"]: fi.get("error") for fi in data["files"]}
    suites = ET.Element("testsuites", name="budgetlint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for path in files:
        times = timings.get(path, {})
        suite = ET.SubElement(suites, "testsuite", name=path)
        err = errors_of.get(path)
        codes = sorted(set(names) | set(by_file.get(path, {})) | ({"L001"} if err else set()))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        load = float(times.get("load", 0.0))
        suite_time = load + sum(float(times.get(code, 0.0)) for code in codes)
        for code in codes:
            found = by_file.get(path, {}).get(code, [])
            rule_time = float(times.get(code, 0.0)) + (load if code == "L001" else 0.0)  # reading is what L001 checks
            case = ET.SubElement(suite, "testcase", classname=path, name=f"{code} {names.get(code, code)}".strip(),
                                 file=path, time=_seconds(rule_time))
            counts["tests"] += 1
            if code == "L001" and err:
                counts["errors"] += 1
                e = ET.SubElement(case, "error", type="L001", message=f"{w['cannot_read']}: {err}")
                e.text = f"{path}: {err}"
                found = []  # the error says it
            failing = [f for f in found if SEVERITY_RANK.get(f["severity"], 0) >= threshold]
            notes = [f for f in found if SEVERITY_RANK.get(f["severity"], 0) < threshold]
            if failing:
                counts["failures"] += 1
                head = failing[0]["message"]
                count = f"{len(failing)} findings" if en else f"{len(failing)} 个发现"
                el = ET.SubElement(case, "failure", type=code, message=f"{code} {head}" if len(failing) == 1 else f"{code} ({count}) {head}")
                el.text = "\n\n".join(f"{where(f)}\n{explanation(f, lang)}" for f in failing)
            if notes:
                out = ET.SubElement(case, "system-out")
                out.text = "\n\n".join(f"{where(f)}\n{explanation(f, lang)}" for f in notes)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("skipped", "0")
        suite.set("time", _seconds(suite_time))
        total_time += suite_time
    for el in suites.iter():
        if el.text:
            el.text = xml_text(el.text)
        for k, v in el.attrib.items():
            el.set(k, xml_text(v))
    for k, v in totals.items():
        suites.set(k, str(v))
    suites.set("skipped", "0")
    suites.set("time", _seconds(total_time))
    return suites


def render(report: Any, out: IO[str], *, fail_on: str | None = None, **_: Any) -> None:
    root = to_xml(report, fail_on)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
