"""JUnit XML: one test case per checked file, findings as failures.

CI servers (GitLab, Jenkins, Azure) show a file with findings as a failed test,
one ``<failure>`` per finding (``type`` is the rule code, ``message`` the
finding's message, the text the full explanation).  Findings below
``fail-on`` do not fail the test case: they are listed in its
``<system-out>``.  A file that could not be read is an ``<error>``.
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


def to_xml(report: Any, fail_on: str | None = None) -> ET.Element:
    lang = getattr(report, "lang", "zh")
    w = words(lang)
    data = report.to_json()
    threshold = SEVERITY_RANK.get(fail_on or "info", 0)
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in data["findings"]:
        by_file[f["path"]].append(f)
    files = [fi["path"] for fi in data["files"]]
    for p in by_file:
        if p not in files:
            files.append(p)
    errors_of = {fi["path"]: fi.get("error") for fi in data["files"]}
    suites = ET.Element("testsuites", name="budgetlint")
    suite = ET.SubElement(suites, "testsuite", name="budgetlint")
    n_fail = n_err = 0
    for path in files:
        case = ET.SubElement(suite, "testcase", classname="budgetlint", name=path, file=path)
        err = errors_of.get(path)
        if err:
            n_err += 1
            e = ET.SubElement(case, "error", type="unreadable-file", message=f"{w['cannot_read']}: {err}")
            e.text = f"{path}: {err}"
        notes = []
        failed = False
        for f in by_file.get(path, []):
            text = f"{where(f)}\n{explanation(f, lang)}"
            if SEVERITY_RANK.get(f["severity"], 0) >= threshold:
                failed = True
                el = ET.SubElement(case, "failure", type=f["code"], message=f"{f['code']} {f['message']}")
                el.text = text
            else:
                notes.append(text)
        if failed:
            n_fail += 1
        if notes:
            out = ET.SubElement(case, "system-out")
            out.text = "\n\n".join(notes)
    for el in suites.iter():
        if el.text:
            el.text = xml_text(el.text)
        for k, v in el.attrib.items():
            el.set(k, xml_text(v))
    for el in (suites, suite):
        el.set("tests", str(len(files)))
        el.set("failures", str(n_fail))
        el.set("errors", str(n_err))
        el.set("skipped", "0")
        el.set("time", "0")
    return suites


def render(report: Any, out: IO[str], *, fail_on: str | None = None, **_: Any) -> None:
    root = to_xml(report, fail_on)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
