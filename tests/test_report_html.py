"""HTML report: self-contained, summary counts, tables with the offending and added-up cells marked."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from _report_data import copy_seed, run_cli, seed003_report, use_test_rules

from budgetlint.report import render


class Dom(HTMLParser):
    """Just enough of a DOM: every element with its attributes and its text."""

    VOID = {"meta", "br", "img", "link", "input", "hr", "col"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, **{k: (v or "") for k, v in attrs}, "text": ""}
        self.elements.append(el)
        if tag not in self.VOID:
            self._open.append(el)

    def handle_endtag(self, tag):
        while self._open:
            el = self._open.pop()
            if el["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self._open:
            el["text"] += data

    def find(self, tag=None, cls=None, **attrs) -> list[dict]:
        out = []
        for el in self.elements:
            if tag and el["tag"] != tag:
                continue
            if cls and cls not in el.get("class", "").split():
                continue
            if any(el.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(el)
        return out


def _html(report) -> str:
    buf = io.StringIO()
    render(report, "html", buf)
    return buf.getvalue()


def test_self_contained(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    text = _html(report)
    dom = Dom(text)
    assert not dom.find("link") and not dom.find("img") and not dom.find("iframe")
    assert all(not s.get("src") for s in dom.find("script"))
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", text)
    assert not re.search(r"url\(|@import", text)
    assert dom.find("html")[0]["lang"] == "zh-CN"


def test_summary_counts(tmp_path, monkeypatch):
    use_test_rules(monkeypatch)  # registered rules are shown by their Chinese titles
    report, _, path = seed003_report(tmp_path)
    dom = Dom(_html(report))
    assert "共检查 1 个文件、140 张表：4 个错误，0 个警告，0 条提示" in dom.find(cls="bl-summary-line")[0]["text"]
    rules = {tr["data-code"]: tr["text"] for tr in dom.find("tr") if tr.get("data-code")}
    assert set(rules) == {"C901", "N901", "S901", "X901"}
    assert "类合计应等于所属各款之和" in rules["S901"] and "test-class-sum" not in rules["S901"]
    sev = {tr["data-severity"]: tr["text"] for tr in dom.find("tr") if tr.get("data-severity")}
    assert sev["error"].strip().endswith("4") and sev["warning"].strip().endswith("0")


def test_offending_cells_and_terms_marked(tmp_path):
    report, doc, _ = seed003_report(tmp_path)
    dom = Dom(_html(report))
    bad = {td["id"]: td for td in dom.find("td", cls="bl-bad")}
    # file 0; (table, row, column): T6 301 合计, T6 30102 合计, T5 总计 基本支出
    assert set(bad) == {"c0-5-1-3", "c0-5-3-3", "c0-4-0-5"}
    c = bad["c0-5-3-3"]
    assert "bl-error" in c["class"].split()
    assert c["text"].startswith("3,368.91")  # the cell as printed, then its explanation
    assert "C901（错误）" in c["title"] and "应为：3,386.91" in c["title"] and "实为：3,368.91" in c["title"]
    # 30102 合计 is also a term of the 301 class sum: both marks
    assert "bl-term" in c["class"].split()
    terms = {td["id"] for td in dom.find("td", cls="bl-term")}
    # the nine 301xx items of the class sum, the table-6 total used by X901, the table-2 total used by N901
    t6_items = {f"c0-5-{r}-3" for r in range(2, 11)}
    assert t6_items <= terms
    assert "c0-5-0-3" in terms and "c0-1-0-4" in terms
    # table 2 is shown only because a prose finding adds up its total
    sections = {s["id"] for s in dom.find("section", cls="bl-table")}
    assert sections == {"t0-1", "t0-4", "t0-5"}
    # the finding list names the rule, the numbers and links every term to its cell
    items = {li["data-code"]: li for li in dom.find("li", cls="bl-finding")}
    s901 = items["S901"]
    assert s901["data-cells"] == "c0-5-1-3"
    assert s901["data-terms"].split() == [f"c0-5-{r}-3" for r in range(2, 11)]
    assert "11,105.33" in s901["text"] and "11,123.32" in s901["text"] and "17.99" in s901["text"]
    links = [a["href"] for a in dom.find("a") if a.get("href", "").startswith("#c0-5-")]
    assert "#c0-5-3-3" in links


def test_prose_finding_quotes_its_paragraph(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    dom = Dom(_html(report))
    other = dom.find("section", cls="bl-other")
    assert len(other) == 1
    quote = dom.find("blockquote", cls="bl-prose")[0]
    assert "自治区国土资源执法监察总队收入预算 17,789.61 万元" in quote["text"]
    assert [m["text"] for m in dom.find("mark")] == ["17,789.61"]


def test_english_and_cli_output_file(tmp_path, monkeypatch):
    copy_seed(tmp_path, mistakes={277: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="seed003.txt")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "html", "--lang", "en", "--output", "report.html", "seed003.txt"], cwd=tmp_path)
    assert res.exit_code == 1
    dom = Dom((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert dom.find("html")[0]["lang"] == "en"
    assert "1 files, 140 tables checked: 2 errors" in dom.find(cls="bl-summary-line")[0]["text"]
    assert {td["id"] for td in dom.find("td", cls="bl-bad")} == {"c0-5-1-3", "c0-5-3-3"}
    assert "expected: 3,386.91" in dom.find("td", id="c0-5-3-3")[0]["title"]


def test_clean_run_says_so(tmp_path, monkeypatch):
    copy_seed(tmp_path, dest="ok.txt")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "html", "ok.txt"], cwd=tmp_path)
    assert res.exit_code == 0
    dom = Dom(res.stdout)
    assert dom.find("p", cls="bl-none")[0]["text"] == "未发现问题"
    assert not dom.find("td", cls="bl-bad")
