"""Benchmark: one folder of hostile files, checked in one run.

    python benchmarks/hostile_folder.py [--keep DIR] [--jobs N]

Builds a folder holding two ordinary budget tables, each with one planted
mistake, next to files made to hurt a linter: zip and XML-entity bombs, a PDF
whose small compressed content stream expands to hundreds of thousands of
drawing operators, a PDF claiming 5,000 pages, a CSV with 1,000 columns all
headed 合计, a 4,000-column CSV, 120 KB of prose in one clause, more cells and
more lines than the limits allow, NUL bytes, 50,000 nested HTML elements,
escape sequences and a formula in cells, a FIFO, a symbolic link loop, a
broken link and a link to ``/etc/passwd``.  Everything is generated here with
the standard library.

Then ``budgetlint check --format json`` runs on the folder in a fresh process
and the script checks, printing one JSON object:

* the run ends within 60 s (``seconds``) and no process of it (main or
  worker) passes 2 GB, all of them together counted as ``--jobs`` + 1 times the
  largest (``peak_mib``, from ``getrusage(RUSAGE_CHILDREN)``);
* every bad file is named in the report, as a file error or a skipped entry;
* the two planted mistakes are found.

Exit code 0 when every check holds, 1 otherwise.  ``tests/test_hostile.py``
runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024

GOOD_TXT = """表 1
单位支出总体情况表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t1,900.00\t1,200.00\t750.00
201\t一般公共服务支出\t1,000.00\t600.00\t400.00
20101\t人大事务\t1,000.00\t600.00\t400.00
208\t社会保障和就业支出\t900.00\t600.00\t300.00
20805\t行政事业单位养老支出\t900.00\t600.00\t300.00
"""  # planted: 项目支出 in the total row should be 400.00 + 300.00 = 700.00

GOOD_CSV = """表2 “三公”经费支出预算表
单位：万元
合计,因公出国（境）费,公务接待费,公务用车购置及运行费
58.00,10.00,20.00,30.00
"""  # planted: 10 + 20 + 30 = 60, not 58


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def operator_bomb_pdf(n: int = 300_000) -> bytes:
    """One page whose Flate content stream (a few KB) expands to ``3 n`` text operators."""
    content = b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (a) Tj " * n + b"ET"
    stream = zlib.compress(content, 9)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Filter /FlateDecode /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def page_bomb_pdf(pages: int = 5000) -> bytes:
    kids = " ".join(f"{i + 3} 0 R" for i in range(pages))
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
                + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages)


def zip_bomb(path: Path, member: str, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open(member, "w", force_zip64=True) as fh:
            fh.write(b"<?xml version='1.0'?><w:document><w:body><w:p><w:r><w:t>")
            chunk = b" " * MiB
            for _ in range(size // MiB):
                fh.write(chunk)


def entity_bomb_xlsx(path: Path) -> None:
    lol = '<!DOCTYPE worksheet [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ) + "]>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        zf.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>{lol}<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def build(folder: Path) -> dict[str, str]:
    """Write the hostile folder; returns {file name: expected outcome} ("ok", "error" or "skipped")."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, outcome: str) -> None:
        p = folder / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = outcome

    put("good_expenditure.txt", GOOD_TXT, "ok")
    put("good_sangong.csv", GOOD_CSV, "ok")
    put("all_heji.csv", "\n".join([",".join(["合计"] * 1000)] + [",".join(["1"] * 1000)] * 5) + "\n", "ok")
    header = ",".join(["项目", "合计"] + [f"栏目{i}" for i in range(4000)])
    put("wide.csv", header + "\n" + "\n".join(",".join([f"行{r}", "4000.00"] + ["1.00"] * 4000) for r in range(5)) + "\n", "ok")
    put("long_clause.txt", "这是一段很长的说明文字" * 4000 + "100.00万元。\n", "ok")
    put("escapes.csv", '项目,金额\n"\x1b[2J\x1b]0;title\x07清屏",1.00\n"=HYPERLINK(""http://example.invalid"",""点此"")",2.00\n合计,4.00\n', "ok")
    put("operators.pdf", operator_bomb_pdf(), "error")
    put("pages.pdf", page_bomb_pdf(), "error")
    put("too_many_cells.csv", ("1," * 999 + "1\n") * 1100, "error")
    put("too_many_lines.txt", "\n" * 2_100_000, "error")
    put("binary.txt", "表 1\n合计\t1.00\n".encode() + b"\x00\x01\x02" * 100, "error")
    put("deep.html", "<div>" * 50_000 + "预算" + "</div>" * 50_000, "ok")
    put("damaged.xlsx", b"PK\x03\x04" + os.urandom(4000), "error")
    zip_bomb(folder / "bomb.docx", "word/document.xml", 1024 * MiB)
    expect["bomb.docx"] = "error"
    entity_bomb_xlsx(folder / "entities.xlsx")
    expect["entities.xlsx"] = "error"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
        expect["pipe.txt"] = "skipped"
    os.symlink("loop.txt", folder / "loop.txt")
    expect["loop.txt"] = "skipped"
    os.symlink("missing.txt", folder / "broken.txt")
    expect["broken.txt"] = "skipped"
    os.symlink("/etc/passwd", folder / "passwd.txt")
    expect["passwd.txt"] = "skipped"
    return expect


def run(folder: Path, expect: dict[str, str], jobs: int | None = None) -> dict:
    cmd = [sys.executable, "-m", "budgetlint.cli", "check", "--format", "json", str(folder)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "problems": ["the run did not finish within 180 s"]}
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest process of the run
    problems: list[str] = []
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"ok": False, "problems": [f"no JSON report (exit {proc.returncode}): {proc.stderr[-2000:]}"]}
    if "Traceback" in proc.stderr:
        problems.append("a traceback was printed: " + proc.stderr[-2000:])
    errors = {Path(f["path"]).name: f["error"] for f in report["files"] if f["error"]}
    skipped = {Path(s["path"]).name: s["reason"] for s in report.get("skipped", [])}
    for name, outcome in sorted(expect.items()):
        if outcome == "error" and name not in errors:
            problems.append(f"{name}: expected a file error, got none")
        if outcome == "skipped" and name not in skipped:
            problems.append(f"{name}: expected to be skipped and reported, was not")
        if outcome == "ok" and (name in errors or name in skipped):
            problems.append(f"{name}: expected to be read, got {errors.get(name) or skipped.get(name)}")
    found = {(Path(f["path"]).name, f["code"]) for f in report["findings"] if f["severity"] == "error"}
    planted = {
        "good_expenditure.txt": any(n == "good_expenditure.txt" and c.startswith(("S", "C")) for n, c in found),
        "good_sangong.csv": any(n == "good_sangong.csv" and c.startswith(("B", "S", "C")) for n, c in found),
    }
    for name, hit in planted.items():
        if not hit:
            problems.append(f"{name}: the planted mistake was not found")
    if "root:" in proc.stdout:
        problems.append("content of /etc/passwd appears in the report")
    workers = jobs or min(os.cpu_count() or 1, 8)
    if seconds >= 60:
        problems.append(f"the run took {seconds:.1f} s (limit 60 s)")
    if peak_mib * (workers + 1) >= 2048:
        problems.append(f"largest process {peak_mib:.0f} MiB × {workers + 1} processes ≥ 2 GB")
    return {
        "ok": not problems, "seconds": round(seconds, 2), "peak_mib": round(peak_mib), "processes": workers + 1,
        "exit_code": proc.returncode, "files": len(report["files"]), "file_errors": sorted(errors),
        "skipped": sorted(skipped), "planted_found": planted, "problems": problems,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, default=None, help="build the folder here and keep it")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    if args.keep:
        expect = build(args.keep)
        result = run(args.keep, expect, args.jobs)
    else:
        with tempfile.TemporaryDirectory(prefix="budgetlint-hostile-") as tmp:
            folder = Path(tmp) / "hostile"
            expect = build(folder)
            result = run(folder, expect, args.jobs)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
