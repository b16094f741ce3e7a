"""``budgetlint serve`` over HTTP: token, limits, hostile names, private temporary files, baseline, downloads.

A real server (uvicorn on a free port, checks in worker processes) is started
once for the module; the tests talk to it with httpx.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest
from _serve import running_server
from conftest import SAMPLES

from budgetlint.serve.uploads import MB, UploadLimits, display_name, stored_suffix, unique_names

XLSX = SAMPLES / "disclosure_with_errors.xlsx"
TEXT = SAMPLES / "disclosure_with_errors.txt"
LIMITS = UploadLimits(max_file_bytes=1 * MB, max_total_bytes=2 * MB, max_files=3)


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    with running_server(folder / "budgetlint-baseline.json", LIMITS) as run:
        yield run


def _fingerprints(html: str) -> list[str]:
    return re.findall(r'data-fingerprint="([0-9a-f]+)"', html)


# --- the token -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/assets/app.js", "/api/jobs/x", "/api/jobs/x/report.json"])
def test_requests_without_the_token_are_refused(srv, path):
    import httpx

    res = httpx.get(srv.base + path)
    assert res.status_code == 403
    assert "令牌" in res.text
    token = srv.settings.token
    wrong_token = token[:-1] + ("A" if token[-1] != "A" else "B")
    wrong = httpx.get(srv.base + path, params={"token": wrong_token, "lang": "en"})
    assert wrong.status_code == 403
    assert "token" in wrong.text


def test_upload_without_the_token_is_refused_and_nothing_is_stored(srv):
    import httpx

    res = httpx.post(srv.base + "/api/check", files=[("files", ("a.txt", b"x"))], data={"tab": "tab-0000-zzzz"})
    assert res.status_code == 403
    assert not [p for p in os.listdir(srv.queue.root) if p.startswith("upload-")]


def test_the_token_in_a_header_is_accepted(srv):
    import httpx

    res = httpx.get(srv.base + "/assets/app.js", headers={"X-Budgetlint-Token": srv.settings.token})
    assert res.status_code == 200
    assert "budgetlint serve" in res.text


def test_page_is_chinese_by_default_and_english_on_request(srv):
    zh = srv.client.get("/")
    assert zh.status_code == 200
    assert '<meta name="bl-lang" content="zh">' in zh.text and 'lang="zh-CN"' in zh.text
    en = srv.client.get("/", params={"lang": "en"})
    assert '<meta name="bl-lang" content="en">' in en.text
    # no asset from the network: every script and stylesheet is served by the package
    assert not re.search(r'(src|href)="(https?:)?//', zh.text)
    assert "script-src 'self'" in zh.headers["content-security-policy"]


# --- limits ----------------------------------------------------------------------------------------

def test_a_file_over_the_limit_gets_413_and_a_clear_message(srv):
    res = srv.upload([("big.txt", b"0" * (LIMITS.max_file_bytes + 1))])
    assert res.status_code == 413
    assert res.json()["error"] == "文件“big.txt”太大：每个文件最大 1 MB。"
    en = srv.upload([("big.txt", b"0" * (LIMITS.max_file_bytes + 1))], lang="en")
    assert en.status_code == 413
    assert "too large" in en.json()["error"]


def test_too_many_files_and_too_much_in_all_get_413(srv):
    many = srv.upload([(f"{k}.txt", b"x") for k in range(LIMITS.max_files + 1)])
    assert many.status_code == 413
    assert "文件太多" in many.json()["error"]
    half = b"0" * (LIMITS.max_file_bytes - 10)
    total = srv.upload([("a.txt", half), ("b.txt", half), ("c.txt", half)])
    assert total.status_code == 413
    assert "上传总量太大" in total.json()["error"]
    # a refused upload leaves nothing behind
    assert not [p for p in os.listdir(srv.queue.root) if p.startswith("upload-")]


# --- names and temporary files -------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("../../x.xlsx", "x.xlsx"),
    ("..\\..\\windows\\x.xlsx", "x.xlsx"),
    ("/etc/passwd", "passwd"),
    ("C:\\Users\\a\\预算.xlsx", "预算.xlsx"),
    ("..", "upload"),
    (".bashrc", "bashrc"),
    ("a\x00b\u202e.txt", "ab.txt"),
    ("", "upload"),
])
def test_client_file_names_are_reduced_to_a_clean_base_name(raw, shown):
    assert display_name(raw) == shown


def test_stored_names_keep_only_a_plain_suffix_and_display_names_are_made_distinct():
    assert stored_suffix("x.XLSX") == ".xlsx"
    assert stored_suffix("x.xlsx;rm -rf") == ""
    assert unique_names(["a.xlsx", "A.xlsx", "a.xlsx"]) == ["a.xlsx", "A (2).xlsx", "a (3).xlsx"]


def test_path_traversal_names_are_neutralised(srv, tmp_path):
    outside = os.path.join(srv.queue.root, "..", "..", "x.xlsx")
    before = os.path.exists(outside)
    st = srv.check([("../../x.xlsx", XLSX.read_bytes())])
    assert [f["name"] for f in st["files"]] == ["x.xlsx"]
    assert os.path.exists(outside) == before
    assert "../" not in st["html"] and srv.queue.root not in st["html"]
    report = json.loads(srv.client.get(f"/api/jobs/{st['job']}/report.json").text)
    assert {f["path"] for f in report["findings"]} == {"x.xlsx"}


def test_uploads_live_in_a_private_folder_removed_after_the_check(srv):
    assert stat.S_IMODE(os.stat(srv.queue.root).st_mode) == 0o700
    res = srv.upload([("预算.txt", TEXT.read_bytes())], tab="tab-private-01")
    assert res.status_code == 200
    st = srv.wait(res.json()["job"])
    assert st["state"] == "done"
    assert not [p for p in os.listdir(srv.queue.root) if p.startswith("upload-")]


def test_the_temporary_folder_is_removed_when_the_server_stops(tmp_path):
    with running_server(tmp_path / "b.json") as run:
        root = run.queue.root
        assert os.path.isdir(root)
    assert not os.path.exists(root)


# --- queue ------------------------------------------------------------------------------------------

def test_one_check_at_a_time_per_tab_and_queue_positions(srv):
    first = srv.upload([("a.txt", TEXT.read_bytes())], tab="tab-queue-one")
    again = srv.upload([("b.txt", TEXT.read_bytes())], tab="tab-queue-one")
    other = srv.upload([("c.txt", TEXT.read_bytes())], tab="tab-queue-two")
    assert first.status_code == 200
    assert again.status_code == 409 and "已有一项检查" in again.json()["error"]
    assert other.status_code == 200 and other.json()["position"] == 2
    for res in (first, other):
        assert srv.wait(res.json()["job"])["state"] == "done"


# --- results -----------------------------------------------------------------------------------------

def test_results_reuse_the_html_report_and_downloads_are_valid(srv):
    from test_report_sarif import SARIF_SCHEMA
    import jsonschema

    st = srv.check([("预算.xlsx", XLSX.read_bytes()), ("说明.txt", TEXT.read_bytes())])
    assert st["summary"]["errors"] > 0
    assert {f["name"] for f in st["files"]} == {"预算.xlsx", "说明.txt"}
    assert 'class="bl-grid"' in st["html"] and "bl-bad" in st["html"]
    assert len(_fingerprints(st["html"])) == st["summary"]["errors"] + st["summary"]["warnings"] + st["summary"]["infos"]
    res = srv.client.get(f"/api/jobs/{st['job']}/report.json")
    assert res.status_code == 200 and "attachment" in res.headers["content-disposition"]
    report = json.loads(res.text)
    assert report["summary"] == st["summary"]
    sarif = json.loads(srv.client.get(f"/api/jobs/{st['job']}/report.sarif").text)
    jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(sarif)
    assert len(sarif["runs"][0]["results"]) == len(report["findings"])
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert all("budgetlint-serve" not in u for u in uris)
    assert sorted(set(_fingerprints(st["html"]))) == sorted({r["partialFingerprints"]["budgetlintFingerprint/v1"]
                                                               for r in sarif["runs"][0]["results"]} & set(_fingerprints(st["html"])))


def test_annotated_workbook_download_opens_with_its_marks(srv):
    import io

    from openpyxl import load_workbook

    st = srv.check([("预算.xlsx", XLSX.read_bytes())])
    n = [f["name"] for f in st["files"]].index("预算.xlsx")
    assert st["files"][n]["workbook"]
    res = srv.client.get(f"/api/jobs/{st['job']}/workbook/{n}")
    assert res.status_code == 200
    assert "filename*=UTF-8''%E9%A2%84%E7%AE%97.annotated.xlsx" in res.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(res.content))
    comments = [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert comments and any("S10" in t or "C20" in t or "B30" in t for t in comments)
    assert srv.client.get(f"/api/jobs/{st['job']}/workbook/99").status_code == 404


def test_not_a_mistake_is_recorded_in_the_baseline_and_hides_the_finding(srv, tmp_path):
    from click.testing import CliRunner

    from budgetlint.baseline import load_baseline
    from budgetlint.cli import main

    st = srv.check([("基线.xlsx", XLSX.read_bytes())], tab="tab-baseline-1")
    fps = _fingerprints(st["html"])
    before = st["summary"]["errors"] + st["summary"]["warnings"]
    chosen = fps[0]
    missing = srv.client.post("/api/baseline", json={"job": st["job"], "fingerprint": chosen, "reason": "  "})
    assert missing.status_code == 400 and "理由" in missing.json()["error"]
    unknown = srv.client.post("/api/baseline", json={"job": st["job"], "fingerprint": "0" * 32, "reason": "x"})
    assert unknown.status_code == 404
    res = srv.client.post("/api/baseline", json={"job": st["job"], "fingerprint": chosen, "reason": "已与财务科核实"})
    assert res.status_code == 200, res.text
    baseline = load_baseline(srv.settings.baseline)
    entry = [e for e in baseline.entries if e["fingerprint"] == chosen]
    assert entry and entry[0]["reason"] == "已与财务科核实" and entry[0]["path"] == "基线.xlsx"
    # the next check of the same file no longer lists it
    again = srv.check([("基线.xlsx", XLSX.read_bytes())], tab="tab-baseline-1")
    assert chosen not in _fingerprints(again["html"])
    assert again["hidden"] == 1
    assert again["summary"]["errors"] + again["summary"]["warnings"] == before - 1
    # and neither does the command line, run beside the baseline file
    folder = os.path.dirname(srv.settings.baseline)
    with open(os.path.join(folder, "基线.xlsx"), "wb") as fh:
        fh.write(XLSX.read_bytes())
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["check", "基线.xlsx", "--baseline", os.path.basename(srv.settings.baseline), "--format", "json"])
    finally:
        os.chdir(cwd)
    assert "1 findings already in" in result.stderr
    assert len(json.loads(result.stdout)["findings"]) == before - 1


# --- command line ------------------------------------------------------------------------------------

def test_serve_without_the_extra_says_how_to_install_it(monkeypatch):
    from click.testing import CliRunner

    import budgetlint.serve
    from budgetlint.cli import main

    monkeypatch.setattr(budgetlint.serve, "missing_dependencies", lambda: ["starlette", "uvicorn"])
    res = CliRunner().invoke(main, ["serve"])
    assert res.exit_code == 2
    assert "pip install 'budgetlint[serve]'" in res.stderr and "starlette" in res.stderr
    en = CliRunner().invoke(main, ["serve", "--lang", "en"])
    assert en.exit_code == 2 and "needs the serve extra" in en.stderr


def test_help_does_not_import_the_web_stack():
    code = ("import sys\nfrom budgetlint.cli import main\ntry:\n    main(['serve', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'python_multipart', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "--max-file-mb" in out.stdout


# --- companion files, folders ---------------------------------------------------------------------------

def _n601(srv, st) -> list[dict]:
    report = json.loads(srv.client.get(f"/api/jobs/{st['job']}/report.json").text)
    return [f for f in report["findings"] if f["code"] == "N601"]


def test_companion_files_uploaded_together_are_checked_as_one_document(srv):
    from test_companions import PROSE, TABLE

    text, tables = ("单位_文字.txt", PROSE.encode("utf-8")), ("单位_表格.txt", TABLE.encode("utf-8"))
    # apart, the prose has no table to be compared with
    apart = [srv.check([f], tab="tab-companion-1") for f in (text, tables)]
    assert not _n601(srv, apart[0]) and not _n601(srv, apart[1])
    assert not apart[0]["together"]
    # together, the 三公 total of the prose (30.00) is found against the table's (20.00)
    st = srv.check([tables, text], tab="tab-companion-1")
    found = _n601(srv, st)
    assert found and all(f["path"] == "单位_文字.txt" for f in found)
    terms = [t for f in found for t in f["terms"] if t.get("table") is not None]
    assert terms and all(t["path"] == "单位_表格.txt" for t in terms)  # each cell keeps the file it is in
    assert st["together"] == ["单位_文字.txt 与 单位_表格.txt 是同一份公开文件的文字和表格，已作为一份文件一并检查（正文对照表格）"]
    assert {f["name"]: f["companion"] for f in st["files"]} == {"单位_文字.txt": "单位_表格.txt", "单位_表格.txt": "单位_文字.txt"}
    assert {f["name"]: f["tables"] for f in st["files"]} == {"单位_文字.txt": 0, "单位_表格.txt": 2}
    assert "单位_表格.txt" in st["html"] and srv.queue.root not in st["html"]
    # the annotated workbook of the pair holds the tables, offered with the tables file, and marks the prose's finding too
    n = [f["name"] for f in st["files"]].index("单位_表格.txt")
    assert st["files"][n]["workbook"] and not [f for f in st["files"] if f["name"] == "单位_文字.txt"][0]["workbook"]
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(srv.client.get(f"/api/jobs/{st['job']}/workbook/{n}").content))
    assert any("N601" in str(c.comment.text) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment)
    en = srv.check([tables, text], tab="tab-companion-1", lang="en")
    assert en["together"] == ["单位_文字.txt and 单位_表格.txt are the text and the tables of one disclosure: "
                              "checked together as one document (prose against tables)"]


def test_files_of_a_dropped_folder_keep_their_relative_name_and_pair_within_their_folder(srv):
    from test_companions import PROSE, TABLE

    st = srv.check([("预算/2024/单位_文字.txt", PROSE.encode("utf-8")), ("预算/2024/单位_表格.txt", TABLE.encode("utf-8")),
                    ("预算/2023/单位_表格.txt", TABLE.encode("utf-8"))], tab="tab-folder-1")
    assert sorted(f["name"] for f in st["files"]) == ["预算/2023/单位_表格.txt", "预算/2024/单位_文字.txt", "预算/2024/单位_表格.txt"]
    assert [f["path"] for f in _n601(srv, st)] and {f["path"] for f in _n601(srv, st)} == {"预算/2024/单位_文字.txt"}
    assert {f["name"]: f["companion"] for f in st["files"]}["预算/2023/单位_表格.txt"] is None
    assert len(st["together"]) == 1 and "预算/2024/单位_文字.txt" in st["together"][0]


@pytest.mark.parametrize("raw, shown", [
    ("dir/sub/a.xlsx", "dir/sub/a.xlsx"),
    ("../../dir/../a.xlsx", "dir/a.xlsx"),
    ("/etc/passwd", "passwd"),
    ("C:\\Users\\a\\预算.xlsx", "预算.xlsx"),
    ("\\\\server\\share\\a.xlsx", "a.xlsx"),
    ("./.git/\u202e/x.txt", "git/x.txt"),
    ("a/b/c/d/e/f/g/h/i/j/k.txt", "c/d/e/f/g/h/i/j/k.txt"),
    ("dir/", "dir/upload"),
])
def test_relative_names_are_cleaned_part_by_part(raw, shown):
    from budgetlint.serve.uploads import display_path

    assert display_path(raw) == shown


def test_a_folder_upload_is_stored_under_generated_base_names(tmp_path):
    import asyncio

    import httpx

    from budgetlint.serve.uploads import receive

    request = httpx.Request("POST", "http://x/api/check", data={"tab": "tab-folder-2"},
                            files=[("files", ("dir/sub/a.xlsx", b"1")), ("files", ("dir/other/a.xlsx", b"2")),
                                   ("files", ("../b.txt", b"3"))])

    async def body():
        yield request.read()

    upload = asyncio.run(receive(request.headers["content-type"], body(), str(tmp_path), LIMITS))
    assert [f.name for f in upload.files] == ["dir/sub/a.xlsx", "dir/other/a.xlsx", "b.txt"]
    assert sorted(os.listdir(tmp_path)) == ["001.xlsx", "002.xlsx", "003.txt"]  # no folder is ever created
    assert [open(f.path, "rb").read() for f in upload.files] == [b"1", b"2", b"3"]


# --- configuration ----------------------------------------------------------------------------------------

def test_the_page_uses_the_project_configuration(tmp_path):
    from test_companions import PROSE, TABLE

    config = tmp_path / "budgetlint.toml"
    config.write_text('ignore = ["N601"]\n[severity]\nN604 = "info"\n', encoding="utf-8")
    with running_server(tmp_path / "b.json", config=str(config)) as run:
        page = run.client.get("/")
        assert f"配置文件：{config}" in page.text
        assert str(config) in run.client.get("/", params={"lang": "en"}).text
        st = run.check([("单位_文字.txt", PROSE.encode("utf-8")), ("单位_表格.txt", TABLE.encode("utf-8"))])
        assert st["config"] == str(config)
        report = json.loads(run.client.get(f"/api/jobs/{st['job']}/report.json").text)
        codes = {f["code"]: f["severity"] for f in report["findings"]}
        assert "N601" not in codes and codes.get("N604") == "info"
    with running_server(tmp_path / "b.json") as run:
        assert "未找到配置文件" in run.client.get("/").text


def test_serve_finds_the_configuration_from_the_current_folder(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import budgetlint.serve.server as server
    from budgetlint.cli import main

    seen = {}
    monkeypatch.setattr(server, "serve", lambda settings, host, port, **kw: seen.update(settings=settings))
    (tmp_path / "pyproject.toml").write_text('[tool.budgetlint]\nignore = ["N6"]\nlang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["serve", "--max-seconds", "7"])
    assert res.exit_code == 0, res.output
    assert seen["settings"].config == str(tmp_path / "pyproject.toml") and seen["settings"].lang == "en"
    assert seen["settings"].max_seconds == 7
    other = tmp_path / "other.toml"
    other.write_text('ignore = ["X999"]\n', encoding="utf-8")
    bad = CliRunner().invoke(main, ["serve", "--config", str(other)])
    assert bad.exit_code == 2 and "X999" in bad.stderr
    typo = tmp_path / "typo.toml"
    typo.write_text('ignor = ["N6"]\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["serve", "--config", str(typo)])
    assert res.exit_code == 2 and "did you mean 'ignore'" in res.stderr


# --- time limit ------------------------------------------------------------------------------------------

@pytest.fixture()
def slow_srv(tmp_path):
    """A server whose worker never finishes reading files that start with SLOW or HANG (tests/_slow_worker.py)."""
    from pathlib import Path

    from budgetlint.serve.jobs import JobQueue

    worker = str(Path(__file__).with_name("_slow_worker.py"))
    queue = JobQueue(str(tmp_path / "b.json"), seconds_per_file=1, grace=4, worker_command=[sys.executable, worker])
    try:
        with running_server(tmp_path / "b.json", queue=queue) as run:
            yield run
    finally:
        queue.close()


@pytest.mark.slow
def test_a_file_past_the_time_limit_is_stopped_and_named_and_the_next_check_runs(slow_srv):
    import time

    # stopped by the per-file deadline inside the worker: the other file is still checked
    st = slow_srv.check([("慢.txt", b"SLOW" + TEXT.read_bytes()), ("说明.txt", TEXT.read_bytes())], tab="tab-slow-0001")
    assert st["stopped"] == ["“慢.txt”超过每个文件的时间上限（1 秒），已停止检查，其结果不予报告；其他文件照常检查。"]
    rows = {f["name"]: f for f in st["files"]}
    assert "BUDGETLINT_MAX_SECONDS" in rows["慢.txt"]["error"] and rows["说明.txt"]["error"] is None
    assert rows["说明.txt"]["findings"] > 0
    # stuck where the alarm cannot reach: the server kills the worker and names the file
    t0 = time.monotonic()
    res = slow_srv.upload([("卡住.txt", b"HANG" + TEXT.read_bytes())], tab="tab-slow-0002", lang="en")
    failed = slow_srv.wait(res.json()["job"])
    assert failed["state"] == "failed"
    assert failed["error"].startswith("Checking \u201c卡住.txt\u201d ran past the time limit (1 s per file) and was stopped.")
    assert time.monotonic() - t0 < 30
    # and the next check is served by a fresh worker
    again = slow_srv.check([("说明.txt", TEXT.read_bytes())], tab="tab-slow-0002")
    assert again["summary"]["errors"] > 0 and not again["stopped"]


# --- the baseline file ----------------------------------------------------------------------------------------

def test_not_a_mistake_never_overwrites_another_file_and_writes_through_a_link(tmp_path):
    from budgetlint.baseline import load_baseline

    target = tmp_path / "kept" / "notes.json"
    target.parent.mkdir()
    target.write_text('{"budget": "my own notes"}\n', encoding="utf-8")
    link = tmp_path / "budgetlint-baseline.json"
    link.symlink_to(target)
    with running_server(link) as run:
        st = run.check([("基线.xlsx", XLSX.read_bytes())])
        fps = _fingerprints(st["html"])
        refused = run.client.post("/api/baseline", json={"job": st["job"], "fingerprint": fps[0], "reason": "核实无误"})
        assert refused.status_code == 409
        assert refused.json()["error"].startswith(f"{link} 已存在，但不是 budgetlint 基线文件，未覆盖。")
        en = run.client.post("/api/baseline", json={"job": st["job"], "fingerprint": fps[0], "reason": "ok", "lang": "en"})
        assert "is not a budgetlint baseline: it was not overwritten" in en.json()["error"]
        assert target.read_text(encoding="utf-8") == '{"budget": "my own notes"}\n' and link.is_symlink()
        # once the file is gone, the link's target is created; the link is kept
        target.unlink()
        for n, fp in enumerate(fps[:2], 1):
            res = run.client.post("/api/baseline", json={"job": st["job"], "fingerprint": fp, "reason": "核实无误"})
            assert res.status_code == 200, res.text
            assert res.json()["count"] == n
            assert link.is_symlink() and os.readlink(link) == str(target)
        assert {e["fingerprint"] for e in load_baseline(target).entries} == set(fps[:2])
        assert sorted(os.listdir(tmp_path)) == ["budgetlint-baseline.json", "kept"]
        assert sorted(os.listdir(target.parent)) == ["notes.json"]  # no temporary file left beside it
