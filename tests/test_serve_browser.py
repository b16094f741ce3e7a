"""``budgetlint serve`` driven by a real browser (headless Chromium over the DevTools protocol).

Chromium is found and skipped exactly as in ``test_browser.py`` (required on
CI).  The test drops seed 003 (with the typing mistakes of ``_report_data``)
and a sample workbook on the page's file input, waits for the findings, checks
the marked cells, the filters and "not a mistake", downloads the annotated
workbook and opens it with openpyxl.  Screenshots: ``test-artifacts/serve-*.png``.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from _report_data import MISTAKES, copy_seed
from _serve import running_server
from conftest import SAMPLES
from test_browser import ARTIFACTS, _chromium

websocket = pytest.importorskip("websocket")

pytestmark = pytest.mark.slow  # a real browser


class DevTools:
    """A minimal Chrome DevTools Protocol client over one websocket (commands answered in order, events kept)."""

    def __init__(self, ws_url: str) -> None:
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, **params):
        n = next(self.ids)
        self.ws.send(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == n:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def eval(self, expression: str):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise AssertionError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 120):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.2)
        state = self.eval("document.body && document.body.getAttribute('data-state')")
        problem = self.eval("(document.getElementById('problem') || {}).textContent")
        raise AssertionError(f"timed out waiting for {expression}; page state: {state}, problem: {problem}")

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"])
        path.write_bytes(data)
        return data

    def close(self) -> None:
        self.ws.close()


@pytest.fixture()
def chromium(tmp_path):
    browser = _chromium()
    profile = tmp_path / "profile"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
           "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}",
           "--window-size=1400,1800", "about:blank"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(os.environ, HOME=str(profile)))
    try:
        browser_ws = None
        end = time.monotonic() + 60
        while time.monotonic() < end and browser_ws is None:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            if "DevTools listening on" in line:
                browser_ws = line.split("DevTools listening on", 1)[1].strip()
        assert browser_ws, "chromium did not open its DevTools port"
        port = browser_ws.split("//", 1)[1].split("/", 1)[0]
        pages = json.load(urllib.request.urlopen(f"http://{port}/json/list", timeout=30))
        page = next(p for p in pages if p["type"] == "page")
        browser_tools, page_tools = DevTools(browser_ws), DevTools(page["webSocketDebuggerUrl"])
        yield browser_tools, page_tools
        page_tools.close()
        browser_tools.close()
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_the_page_checks_dropped_files_and_downloads_the_annotated_workbook(chromium, tmp_path):
    from openpyxl import load_workbook

    browser, page = chromium
    seed = copy_seed(tmp_path / "in", mistakes=MISTAKES, dest="新疆单位预算.txt")
    workbook = tmp_path / "in" / "disclosure_with_errors.xlsx"
    workbook.write_bytes((SAMPLES / "disclosure_with_errors.xlsx").read_bytes())
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(tmp_path / "budgetlint-baseline.json") as srv:
        page.send("Page.enable")
        page.send("Page.navigate", url=srv.url)
        page.wait_for("document.body && document.body.getAttribute('data-state') === 'ready'")
        assert page.eval("document.querySelector('h1').textContent") == "预算表一致性检查"
        root = page.send("DOM.getDocument")["root"]["nodeId"]
        node = page.send("DOM.querySelector", nodeId=root, selector="#files")["nodeId"]
        page.send("DOM.setFileInputFiles", nodeId=node, files=[str(seed), str(workbook)])
        page.wait_for("document.body.getAttribute('data-state') === 'done'")
        seen = page.eval("""JSON.stringify({
            files: Array.from(document.querySelectorAll('#file-list li')).map(li => li.textContent),
            findings: Array.from(document.querySelectorAll('#report li.bl-finding')).map(li => [li.dataset.code, li.dataset.severity, li.textContent]),
            bad: Array.from(document.querySelectorAll('#report td.bl-bad')).map(td => td.textContent),
            buttons: document.querySelectorAll('#report li.bl-finding .nam-button').length,
            workbooks: Array.from(document.querySelectorAll('a.workbook')).map(a => a.dataset.file),
            rules: Array.from(document.querySelectorAll('#rule-filter option')).map(o => o.value).filter(Boolean)
        })""")
        seen = json.loads(seen)
        assert any(t.startswith("新疆单位预算.txt") for t in seen["files"])
        assert any(t.startswith("disclosure_with_errors.xlsx") for t in seen["files"])
        texts = [t for _, _, t in seen["findings"]]
        # the typed 3,368.91 for 30102 津贴补贴 is found and its cell marked
        assert any("30102 津贴补贴" in t and "3,386.91" in t for t in texts)
        assert any(t.startswith("3,368.91") or t.startswith("3368.91") for t in seen["bad"])
        assert seen["buttons"] == len(seen["findings"]) > 0
        assert "disclosure_with_errors.xlsx" in seen["workbooks"]
        assert "C201" in seen["rules"]
        page.send("Emulation.setDeviceMetricsOverride", width=1400, height=1800, deviceScaleFactor=1, mobile=False)
        page.eval("document.querySelector('td.bl-bad').scrollIntoView({block: 'center'})")
        page.screenshot(ARTIFACTS / "serve-results.png")
        page.send("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)
        page.eval("window.scrollTo(0, 0)")
        page.screenshot(ARTIFACTS / "serve-page.png")  # the picture in the README (docs/serve.png)
        page.send("Emulation.setDeviceMetricsOverride", width=1400, height=1800, deviceScaleFactor=1, mobile=False)

        # filters: warnings hidden, then only one rule shown
        page.eval("(() => { const c = document.querySelector('.sev-filter[value=warning]'); c.checked = false; c.dispatchEvent(new Event('change')); })()")
        shown = json.loads(page.eval("JSON.stringify(Array.from(document.querySelectorAll('#report li.bl-finding')).filter(li => getComputedStyle(li).display !== 'none').map(li => li.dataset.severity))"))
        assert shown and "warning" not in shown
        page.eval("(() => { const s = document.getElementById('rule-filter'); s.value = 'C201'; s.dispatchEvent(new Event('change')); })()")
        codes = json.loads(page.eval("JSON.stringify(Array.from(document.querySelectorAll('#report li.bl-finding')).filter(li => getComputedStyle(li).display !== 'none').map(li => li.dataset.code))"))
        assert codes and set(codes) == {"C201"}

        # "not a mistake" with a reason: recorded in the baseline file the command line reads
        fingerprint = page.eval("""(() => {
            const li = Array.from(document.querySelectorAll('#report li.bl-finding')).find(li => li.textContent.includes('30102 津贴补贴'));
            li.querySelector('.nam-button').click();
            li.querySelector('textarea').value = '已与财务科核实';
            li.querySelector('.nam-confirm').click();
            return li.dataset.fingerprint; })()""")
        page.wait_for(f"document.querySelector('li[data-fingerprint=\"{fingerprint}\"]').classList.contains('bl-baselined')")
        entries = json.loads(Path(srv.settings.baseline).read_text(encoding="utf-8"))["findings"]
        assert [e["reason"] for e in entries if e["fingerprint"] == fingerprint] == ["已与财务科核实"]

        # the annotated workbook, downloaded by the browser
        browser.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads), eventsEnabled=True)
        page.eval("document.querySelector('a.workbook[data-file=\"disclosure_with_errors.xlsx\"]').click()")
        end = time.monotonic() + 60
        got: list[Path] = []
        while time.monotonic() < end and not got:
            got = [p for p in downloads.iterdir() if p.suffix == ".xlsx"]
            time.sleep(0.2)
        assert got, "the annotated workbook was not downloaded"
        assert got[0].name == "disclosure_with_errors.annotated.xlsx"
        wb = load_workbook(got[0])
        comments = [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
        assert comments

        # a later check no longer lists the finding marked as not a mistake
        page.send("Page.navigate", url=srv.url)
        page.wait_for("document.body && document.body.getAttribute('data-state') === 'ready'")
        root = page.send("DOM.getDocument")["root"]["nodeId"]
        node = page.send("DOM.querySelector", nodeId=root, selector="#files")["nodeId"]
        page.send("DOM.setFileInputFiles", nodeId=node, files=[str(seed)])
        page.wait_for("document.body.getAttribute('data-state') === 'done'")
        assert not page.eval(f"!!document.querySelector('li[data-fingerprint=\"{fingerprint}\"]')")
        assert "1" in page.eval("document.getElementById('hidden-note').textContent")

        # English on request
        page.send("Page.navigate", url=srv.url + "&lang=en")
        page.wait_for("document.body && document.body.getAttribute('data-state') === 'ready'")
        assert page.eval("document.querySelector('h1').textContent") == "Budget table consistency check"
        page.screenshot(ARTIFACTS / "serve-start-en.png")


def test_a_chosen_folder_is_sent_with_relative_names_and_its_companions_checked_together(chromium, tmp_path):
    from test_companions import PROSE, TABLE

    browser, page = chromium
    folder = tmp_path / "单位预算"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "单位_文字.txt").write_text(PROSE, encoding="utf-8")
    (folder / "2024" / "单位_表格.txt").write_text(TABLE, encoding="utf-8")
    (folder / "2024" / ".hidden.txt").write_text("x", encoding="utf-8")
    with running_server(tmp_path / "budgetlint-baseline.json") as srv:
        page.send("Page.enable")
        page.send("Page.navigate", url=srv.url)
        page.wait_for("document.body && document.body.getAttribute('data-state') === 'ready'")
        root = page.send("DOM.getDocument")["root"]["nodeId"]
        node = page.send("DOM.querySelector", nodeId=root, selector="#folder")["nodeId"]
        page.send("DOM.setFileInputFiles", nodeId=node, files=[str(folder)])
        page.wait_for("document.body.getAttribute('data-state') === 'done'")
        seen = json.loads(page.eval("""JSON.stringify({
            files: Array.from(document.querySelectorAll('#file-list li')).map(li => li.textContent),
            together: Array.from(document.querySelectorAll('#together li')).map(li => li.textContent),
            codes: Array.from(document.querySelectorAll('#report li.bl-finding')).map(li => li.dataset.code)
        })"""))
        assert sorted(t.split("：")[0] for t in seen["files"]) == ["单位预算/2024/单位_文字.txt", "单位预算/2024/单位_表格.txt"]
        assert seen["together"] == ["单位预算/2024/单位_文字.txt 与 单位预算/2024/单位_表格.txt 是同一份公开文件的文字和表格，"
                                    "已作为一份文件一并检查（正文对照表格）"]
        assert "N601" in seen["codes"]
