"""``--lang zh`` is Chinese wherever a person reads: every output format, checked for English words.

What may stay in Latin letters: rule codes (S102), paths, cell references
(Sheet!C8), formulas (=SUM(C7:C15)) and the program's own name.  The
machine formats (SARIF, GitLab, JUnit, GitHub annotations) are checked in
the fields a person reads: messages, descriptions and titles; their keys and
rule identifiers are for machines.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from _report_data import run_cli
from openpyxl import load_workbook

from conftest import SAMPLES

ALLOWED = re.compile(
    r"=[A-Z]+\([^)]*\)"  # formulas
    r"|\b[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?\b"  # cell references and rule codes
    r"|\bbudgetlint\b"  # the program's name
    r"|\bdata/[\w.-]+"  # paths of the checked files
)
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> set[str]:
    return set(WORD.findall(ALLOWED.sub(" ", text)))


def test_the_detector_finds_english():
    assert english_words("S102 科目层级 (code-hierarchy) data/a.txt 表6!C8 =SUM(C7:C15) 相差 -27.00") == {"code", "hierarchy"}
    assert english_words("由 budgetlint 0.1.0 生成；应为 1,029.65") == set()


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k == "title" and v)  # tooltips are read too

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("zh")
    shutil.copytree(SAMPLES, root / "data")
    out = {}
    for fmt in ("text", "json", "sarif", "github", "gitlab", "junit", "html"):
        res = run_cli(["check", "data", "--lang", "zh", "--format", fmt, "--output", f"out.{fmt}"], cwd=root)
        assert res.exit_code == 1, res.stderr
        out[fmt] = (root / f"out.{fmt}").read_text(encoding="utf-8")
    (root / "marks").mkdir()
    res = run_cli(["check", "data", "--lang", "zh", "--annotate", "marks"], cwd=root)
    assert res.exit_code == 1, res.stderr
    out["annotate"] = sorted((root / "marks").glob("*.xlsx"))
    return out


def _assert_chinese(fmt: str, texts: list[str]) -> None:
    assert texts, fmt
    found = {w: t for t in texts for w in english_words(t)}
    assert not found, f"{fmt}: English words {sorted(found)} in e.g. {next(iter(found.values()))!r}"


def test_text(outputs):
    _assert_chinese("text", outputs["text"].splitlines())


def test_json_messages_and_labels(outputs):
    data = json.loads(outputs["json"])
    texts = []
    for f in data["findings"]:
        texts.append(f["message"])
        texts += [(f.get("row") or {}).get("label") or "", (f.get("column") or {}).get("label") or ""]
        texts += [t.get("label") or "" for t in f["terms"]]
    assert len(data["findings"]) > 10
    _assert_chinese("json", texts)


def test_html_visible_text(outputs):
    p = _Visible()
    p.feed(outputs["html"])
    _assert_chinese("html", [t for t in p.parts if t.strip()])


def test_annotated_workbooks(outputs):
    texts = []
    # the three text inputs with findings rendered, the workbook annotated as a copy
    assert len(outputs["annotate"]) == 4
    for path in outputs["annotate"]:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            texts.append(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        texts.append(c.value)
                    if c.comment is not None:
                        texts.append(c.comment.text)
    assert any("检查结果" == t for t in texts)
    _assert_chinese("annotate", texts)


def test_machine_formats_messages(outputs):
    sarif = json.loads(outputs["sarif"])
    _assert_chinese("sarif", [r["message"]["text"] for run in sarif["runs"] for r in run["results"]])
    rules = [d for run in sarif["runs"] for d in run["tool"]["driver"]["rules"]]
    # what code scanning shows of a rule: its descriptions and help (the Markdown marks and rule ids aside)
    _assert_chinese("sarif rules", [d["shortDescription"]["text"] + "\n" + d["fullDescription"]["text"] for d in rules])
    names = r"\b(Excel|LibreOffice|WPS|PDF|DOCX|XLSX|HTML|CSV|OCR|SUM|pandera|budgetlint|pyproject\.toml)\b"  # products, formats, functions
    _assert_chinese("sarif help", [re.sub(names, "", re.sub(r"``[^`]*``", "", d["help"]["text"])) for d in rules if "help" in d])
    gitlab = json.loads(outputs["gitlab"])
    _assert_chinese("gitlab", [i["description"] for i in gitlab])
    junit = ET.fromstring(outputs["junit"])
    _assert_chinese("junit", [f.get("message", "") + "\n" + (f.text or "") for f in junit.iter("failure")])
    messages = [line.split("::", 2)[2] for line in outputs["github"].splitlines() if line.startswith("::")]
    titles = [re.search(r"title=budgetlint [A-Z]\d+ \(([^)]*)\)", line).group(1) for line in outputs["github"].splitlines()
              if re.search(r"title=budgetlint [A-Z]\d+ \(", line)]
    _assert_chinese("github titles", titles)
    _assert_chinese("github", messages)
