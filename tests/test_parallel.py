"""Checking in worker processes gives exactly the report of checking in one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SAMPLES, SEEDS


def _check(paths, jobs: str, *extra):
    env = dict(os.environ, BUDGETLINT_JOBS=jobs)
    proc = subprocess.run([sys.executable, "-m", "budgetlint.cli", "check", "--format", "json", *extra, *map(str, paths)],
                          capture_output=True, text=True, env=env)
    return proc.returncode, proc.stdout


@pytest.mark.parametrize("paths", [[SAMPLES], [SEEDS]], ids=["sample_data", "seeds"])
def test_workers_and_single_process_agree(paths):
    if not paths[0].exists():
        pytest.fail("input folder missing")
    code1, one = _check(paths, "1")
    code2, many = _check(paths, "2")
    assert (code1, one) == (code2, many)
    data = json.loads(many)
    assert data["findings"] and data["summary"]["files"] >= 4


def test_shape_problems_found_by_workers_are_located(tmp_path):
    text = (SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8").replace("\t84.89\t\t84.89", "\t84.8O\t\t84.89")
    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text(text if i == 1 else (SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, out = _check([tmp_path], "2", "--select", "L003")
    found = [(os.path.basename(f["path"]), f["line"], f["column"]["label"]) for f in json.loads(out)["findings"]]
    assert found == [("d1.txt", 56, "一般公共预算基本支出 / 合计")]
    assert _check([tmp_path], "1", "--select", "L003")[1] == out
