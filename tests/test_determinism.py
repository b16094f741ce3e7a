"""Runs are reproducible and safe: same bytes out, inputs untouched, broken files reported.

A folder holds the same seed-like document (with one planted mistake) in
txt, docx, pdf, html and xls, a clean copy, and one broken file.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import pytest

import fixtures_build as fb

import docx  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import pdfplumber  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import reportlab  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import xlwt  # noqa: E402,F401 - a dependency of budgetlint or its test extra

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["txt", "docx", "pdf", "html", "xls"]


def build_folder(folder: Path, order: list[str], seed: int | None = None) -> list[Path]:
    """Write the inputs in the given order (file creation order is what a file system may return)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in order:
        kind, fmt = name.split(".", 1)
        if kind == "broken":
            data = fb.write_docx(fb.sample_document(), folder / "tmp.docx").read_bytes()
            (folder / "tmp.docx").unlink()
            path = folder / "sub" / "broken.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data[: len(data) // 3])
        else:
            doc = fb.sample_document(mistake=(kind == "mistake"))
            path = fb.WRITERS[fmt](doc, folder / name)
        written.append(path)
    return written


NAMES = [f"mistake.{f}" for f in FORMATS] + ["clean.txt", "clean.docx", "broken.docx"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    env.pop("PYTHONHASHSEED")  # each run gets its own hash seed: output must not depend on it
    return subprocess.run(
        [sys.executable, "-m", "budgetlint.cli", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def digest(paths) -> dict[str, tuple[str, int]]:
    return {str(p): (hashlib.sha256(Path(p).read_bytes()).hexdigest(), Path(p).stat().st_mtime_ns) for p in paths}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same inputs created in two different orders, checked by two separate processes."""
    outputs = []
    for k, order in enumerate([NAMES, list(reversed(NAMES))]):
        base = tmp_path_factory.mktemp(f"run{k}")
        folder = base / "inputs"
        inputs = build_folder(folder, order)
        before = digest(inputs)
        proc = cli("check", "inputs", "--format", "json", "-o", "report.json", cwd=base)
        outputs.append((base, proc, (base / "report.json").read_bytes(), before, digest(inputs)))
    return outputs


def test_same_inputs_give_byte_identical_json(two_runs):
    (_, p1, json1, _, _), (_, p2, json2, _, _) = two_runs
    assert p1.returncode == p2.returncode
    assert json1 == json2


def test_report_lists_every_file_and_the_broken_one(two_runs):
    base, proc, data, _, _ = two_runs[0]
    report = json.loads(data)
    files = {f["path"]: f for f in report["files"]}
    expected = [str(Path("inputs") / n) for n in NAMES if not n.startswith("broken")]
    expected.append(str(Path("inputs") / "sub" / "broken.docx"))
    assert [f["path"] for f in report["files"]] == sorted(expected)  # every file, in path order
    broken = files[str(Path("inputs") / "sub" / "broken.docx")]
    assert broken["error"] and broken["tables"] == 0
    for path, f in files.items():
        if "broken" not in path:
            assert f["error"] is None and f["tables"] == 2, f
    # the planted mistake is found in every format, the clean copies are clean
    by_file: dict[str, set] = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["path"], set()).add((finding["code"], finding["row"]["index"] if finding["row"] else None))
    mistakes = [by_file.get(str(Path("inputs") / f"mistake.{f}")) for f in FORMATS]
    assert mistakes[0] and all(m == mistakes[0] for m in mistakes), by_file
    assert not by_file.get(str(Path("inputs") / "clean.txt")) and not by_file.get(str(Path("inputs") / "clean.docx"))
    # a broken file and findings: exit code 1
    assert proc.returncode == 1


def test_broken_file_alone_still_fails_the_run(tmp_path):
    folder = tmp_path / "inputs"
    build_folder(folder, ["clean.txt", "broken.docx"])
    proc = cli("check", "inputs", "--format", "json", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert [(f["path"], f["error"] is not None) for f in report["files"]] == [
        (str(Path("inputs") / "clean.txt"), False),
        (str(Path("inputs") / "sub" / "broken.docx"), True),
    ]
    assert not [f for f in report["findings"] if f["path"].endswith("clean.txt")]
    assert proc.returncode == 1
    clean = cli("check", str(Path("inputs") / "clean.txt"), "--format", "json", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_inputs_are_never_modified(two_runs):
    for _, _, _, before, after in two_runs:
        assert before == after


def test_report_is_never_written_over_an_input(tmp_path):
    folder = tmp_path / "inputs"
    inputs = build_folder(folder, ["mistake.txt", "mistake.docx"])
    before = digest(inputs)
    proc = cli("check", "inputs", "--format", "json", "-o", str(Path("inputs") / "mistake.txt"), cwd=tmp_path)
    assert proc.returncode == 2
    assert digest(inputs) == before


def test_report_is_replaced_atomically(tmp_path):
    folder = tmp_path / "inputs"
    build_folder(folder, ["mistake.txt"])
    out = tmp_path / "report.json"
    out.write_text("old report\n", encoding="utf-8")
    old_inode = out.stat().st_ino
    proc = cli("check", "inputs", "--format", "json", "-o", "report.json", cwd=tmp_path)
    assert proc.returncode == 1
    json.loads(out.read_text(encoding="utf-8"))  # complete, valid JSON
    assert out.stat().st_ino != old_inode  # a new file renamed into place, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs", "report.json"]  # no temporary left behind


def test_discovery_order_does_not_matter(tmp_path, monkeypatch):
    from budgetlint import engine

    folder = tmp_path / "inputs"
    build_folder(folder, NAMES)
    first = json.dumps(engine.run([str(folder)]).to_json(), ensure_ascii=False, sort_keys=False)
    real_walk = os.walk

    def shuffled_walk(top, *args, **kwargs):
        rng = random.Random(7)
        for root, dirs, files in real_walk(top, *args, **kwargs):
            rng.shuffle(dirs)
            rng.shuffle(files)
            yield root, dirs, files

    monkeypatch.setattr(engine.os, "walk", shuffled_walk)
    second = json.dumps(engine.run([str(folder)]).to_json(), ensure_ascii=False, sort_keys=False)
    assert first == second


def test_parallel_loading_gives_the_same_report(tmp_path):
    from budgetlint import engine
    from budgetlint.loaders import load_document

    folder = tmp_path / "inputs"
    build_folder(folder, NAMES)
    files = engine.discover_files([str(folder)])
    sequential = engine.check_documents([load_document(f) for f in files]).to_json()
    shuffled = list(files)
    random.Random(3).shuffle(shuffled)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(load_document, f) for f in shuffled]
        docs = [f.result() for f in as_completed(futures)]
    parallel = engine.check_documents(docs).to_json()
    assert json.dumps(parallel, ensure_ascii=False) == json.dumps(sequential, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xls"])
def test_loaders_are_deterministic(tmp_path, fmt):
    from budgetlint.loaders import load_raw

    path = fb.WRITERS[fmt](fb.sample_document(), tmp_path / f"budget.{fmt}")
    a, b = load_raw(path), load_raw(path)
    assert repr(a) == repr(b)
