"""The HTML report in a real browser (headless Chromium): the DOM after scripts ran, and a screenshot.

Skipped when Chromium is absent, unless the CI environment variable is set
(CI installs Debian's chromium, so there it must run).  The screenshot is kept
as ``test-artifacts/report.png``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _report_data import seed003_report
from test_report_html import Dom

from budgetlint.report import render

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ERROR_BG = (0xFF, 0xEB, 0xEE)  # --err-bg in the report's stylesheet
TERM_BG = (0xF3, 0xE5, 0xF5)  # --term-bg

pytestmark = pytest.mark.slow  # a real browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    if os.environ.get("CI"):
        pytest.fail("chromium is required on CI (the CI script installs Debian's chromium package)")
    pytest.skip("chromium not installed")


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", f"--user-data-dir={profile}", *args,
    ]
    env = dict(os.environ, HOME=str(profile))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    report, _, _ = seed003_report(tmp)
    buf = io.StringIO()
    render(report, "html", buf)
    out = tmp / "report.html"
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def test_rendered_dom_has_highlights_and_explanations(report_file, tmp_path):
    browser = _chromium()
    res = _run(browser, tmp_path / "profile", "--dump-dom", report_file.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    dom = Dom(res.stdout)
    # the inline script ran in the browser
    assert dom.find("body")[0].get("data-ready") == "true"
    bad = {td["id"]: td for td in dom.find("td", cls="bl-bad")}
    assert set(bad) == {"c0-5-1-3", "c0-5-3-3", "c0-4-0-5"}
    tip = [el for el in dom.find("span", cls="bl-tip") if "C901" in el["text"]]
    assert tip and "应为：3,386.91" in tip[0]["text"] and "实为：3,368.91" in tip[0]["text"]
    assert "c0-5-2-3" in {td["id"] for td in dom.find("td", cls="bl-term")}
    explanations = [li["text"] for li in dom.find("li", cls="bl-finding")]
    assert len(explanations) == 4
    assert any("301 工资福利支出 不等于所属各款之和" in t and "11,105.33" in t for t in explanations)


def test_screenshot_shows_the_marked_cells(report_file, tmp_path):
    browser = _chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    res = _run(browser, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1400,2400", report_file.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 2400)
    image = pytest.importorskip("PIL.Image")
    with image.open(shot) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
    counts = {c: n for n, c in colours}
    # the error fill and the added-up fill are actually painted
    assert counts.get(ERROR_BG, 0) > 500
    assert counts.get(TERM_BG, 0) > 500
