"""Hostile and broken inputs: each is refused or read within the documented limits.

Memory is measured in a child process (its peak resident size from
``wait4``), time with a wall clock; a child that runs too long is killed and
the test fails.  Loader fuzzing (truncated and corrupted files, random
tables) is property-based.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixtures_build as fb
from budgetlint.limits import LimitError, check_zip
from budgetlint.loaders import load_document, load_raw

import docx  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import pdfplumber  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import reportlab  # noqa: E402,F401 - a dependency of budgetlint or its test extra
import xlwt  # noqa: E402,F401 - a dependency of budgetlint or its test extra

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CHILD = """
import json, resource, sys, time
from budgetlint.loaders import load_document
started = time.perf_counter()
doc = load_document(sys.argv[1])
seconds = time.perf_counter() - started
peak = None
try:  # VmHWM is this process's own peak (ru_maxrss would include the parent's at fork time)
    with open("/proc/self/status") as fh:
        peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"error": doc.error, "tables": len(doc.tables), "seconds": seconds, "peak_mib": peak}))
"""


def run_isolated(path: Path, timeout: float = 120, env: dict[str, str] | None = None) -> tuple[dict, float]:
    """Load one file in a child process; returns its result and its peak memory in MiB."""
    child_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=child_env, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path.name} did not finish within {timeout} s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, result["peak_mib"]


@pytest.fixture(scope="module")
def baseline_mib(tmp_path_factory) -> float:
    """Peak memory of a child that loads a small valid document (imports included)."""
    path = fb.write_docx(fb.sample_document(), tmp_path_factory.mktemp("base") / "ok.docx")
    result, peak = run_isolated(path)
    assert result["error"] is None and result["tables"] == 2
    return peak


# ---------------------------------------------------------------------------
# zip bombs and XML entities inside OOXML


def write_bomb(path: Path, member: str, size: int) -> Path:
    """A zip whose one XML part expands to ``size`` bytes of spaces (valid OOXML start)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with zf.open(member, "w", force_zip64=True) as fh:
            fh.write(head)
            chunk = b" " * MiB
            for _ in range(size // MiB):
                fh.write(chunk)
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "docx": write_bomb(folder / "report.docx", "word/document.xml", 1024 * MiB),
        "xlsx": write_bomb(folder / "budget.xlsx", "xl/worksheets/sheet1.xml", 1024 * MiB),
    }


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_zip_bomb_is_refused_quickly_with_bounded_memory(bombs, baseline_mib, fmt):
    path = bombs[fmt]
    assert path.stat().st_size < 10 * MiB  # 1 GiB inside
    with pytest.raises(LimitError, match="压缩"):
        check_zip(path)
    result, peak = run_isolated(path, timeout=60)
    assert result["tables"] == 0
    assert "疑似压缩炸弹" in result["error"]
    assert result["seconds"] < 5
    assert peak - baseline_mib < 64, f"peak {peak:.0f} MiB vs baseline {baseline_mib:.0f} MiB"


def test_many_small_members_over_the_total_are_refused(tmp_path, monkeypatch):
    # each member under the ratio floor, together over the (lowered) total limit
    monkeypatch.setenv("BUDGETLINT_MAX_UNZIPPED_BYTES", str(16 * MiB))
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(5):
            zf.writestr(f"word/media/part{i}.bin", b"\x00" * (4 * MiB))
    with pytest.raises(LimitError, match="解压后大小超过上限"):
        check_zip(path)
    doc = load_document(path)
    assert doc.error and "解压后大小超过上限" in doc.error


def test_member_lying_about_its_size_fails_cleanly(tmp_path, baseline_mib):
    """Declared 1,000 bytes, really 256 MiB: zipfile stops at the declared size and the CRC fails."""
    path = fb.write_docx(fb.sample_document(), tmp_path / "liar.docx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        names = zf.namelist()
        parts = {n: zf.read(n) for n in names}
    big = parts["word/document.xml"] + b" " * (256 * MiB)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n in names:
            zf.writestr(n, big if n == "word/document.xml" else parts[n])
    raw = bytearray(buf.getvalue())
    del big, buf, parts
    _patch_declared_size(raw, "word/document.xml", 1000)
    path.write_bytes(bytes(raw))
    del raw
    result, peak = run_isolated(path, timeout=60)
    assert result["tables"] == 0 and result["error"]
    assert "CRC" in result["error"] or "无法解压" in result["error"] or "损坏" in result["error"]
    assert peak - baseline_mib < 64


def _patch_declared_size(raw: bytearray, name: str, size: int) -> None:
    import struct

    encoded = name.encode()
    # local file header: uncompressed size at offset 22
    i = raw.find(b"PK\x03\x04")
    while i >= 0:
        n_len = struct.unpack_from("<H", raw, i + 26)[0]
        if raw[i + 30 : i + 30 + n_len] == encoded:
            struct.pack_into("<I", raw, i + 22, size)
        i = raw.find(b"PK\x03\x04", i + 4)
    # central directory entry: uncompressed size at offset 24
    i = raw.find(b"PK\x01\x02")
    while i >= 0:
        n_len = struct.unpack_from("<H", raw, i + 28)[0]
        if raw[i + 46 : i + 46 + n_len] == encoded:
            struct.pack_into("<I", raw, i + 24, size)
        i = raw.find(b"PK\x01\x02", i + 4)


def rewrite_part(src: Path, dst: Path, member: str, transform) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, transform(data) if info.filename == member else data)
    return dst


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _inject(doctype: str, entity: str):
    def transform(data: bytes) -> bytes:
        text = data.decode("utf-8")
        decl_end = text.index("?>") + 2
        text = text[:decl_end] + doctype + text[decl_end:]
        return text.replace("616.13", f"&{entity};", 1).encode("utf-8")

    return transform


@pytest.mark.parametrize("doctype, entity", [(BILLION_LAUGHS, "lol9"), (XXE, "xxe")], ids=["billion-laughs", "external-entity"])
def test_dtd_inside_docx_is_refused(tmp_path, doctype, entity):
    src = fb.write_docx(fb.sample_document(), tmp_path / "ok.docx")
    path = rewrite_part(src, tmp_path / "evil.docx", "word/document.xml", _inject(doctype, entity))
    started = time.perf_counter()
    doc = load_document(path)
    assert time.perf_counter() - started < 5
    assert doc.tables == [] and "DTD" in doc.error
    assert "root:" not in json.dumps(doc.error)


@pytest.mark.parametrize("doctype, entity", [(BILLION_LAUGHS, "lol9"), (XXE, "xxe")], ids=["billion-laughs", "external-entity"])
def test_dtd_inside_xlsx_is_refused(tmp_path, doctype, entity):
    pytest.importorskip("openpyxl")
    src = fb.write_xlsx(fb.table_only_document(), tmp_path / "ok.xlsx")
    with zipfile.ZipFile(src) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))

    def transform(data: bytes) -> bytes:
        text = data.decode("utf-8")
        decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
        return (text[:decl_end] + doctype.replace("w:document", "worksheet") + text[decl_end:]).encode()

    path = rewrite_part(src, tmp_path / "evil.xlsx", sheet, transform)
    doc = load_document(path)
    assert doc.tables == [] and "DTD" in doc.error


def test_html_doctype_entities_are_not_expanded(tmp_path):
    page = BILLION_LAUGHS.replace("w:document", "html") + "<html><body><p>&lol9;</p><table><tr><td>合计</td><td>1.00</td></tr></table></body></html>"
    path = tmp_path / "lol.html"
    path.write_text(page, encoding="utf-8")
    started = time.perf_counter()
    raw = load_raw(path)
    assert time.perf_counter() - started < 2
    assert sum(len(p.text) for p in raw.prose) < 1000
    assert fb.grid_text(raw.tables[0].rows) == [["合计", "1.00"]]


# ---------------------------------------------------------------------------
# size, NUL bytes, pages, folders


def test_200_mb_text_file_is_refused_without_reading_it(tmp_path, baseline_mib):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write("表 1\n收入总计\t17,798.61\n".encode())
        fh.truncate(200 * MiB)  # sparse: costs no disk
    result, peak = run_isolated(path, timeout=60)
    assert result["tables"] == 0
    assert "limit" in result["error"] or "上限" in result["error"]
    assert result["seconds"] < 1
    assert peak - baseline_mib < 32


def test_file_with_nul_bytes_is_a_clear_error(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes("表 1\n收入总计\t17,798.61\n".encode() + b"\x00\x01\x02" * 100)
    doc = load_document(path)
    assert doc.tables == [] and "NUL" in doc.error


def test_nul_byte_in_html_is_handled(tmp_path):
    path = tmp_path / "nul.html"
    path.write_bytes(b"<table><tr><td>\xe5\x90\x88\xe8\xae\xa1\x00</td><td>9.00</td></tr></table>")
    raw = load_raw(path)
    assert fb.grid_text(raw.tables[0].rows) == [["合计", "9.00"]]


def write_many_page_pdf(path: Path, pages: int, declared: int | None = None) -> Path:
    """A minimal valid PDF with ``pages`` empty pages (``declared`` overrides /Count)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{i + 3} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {declared if declared is not None else pages} >>".encode())
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def test_pdf_with_thousands_of_pages_is_refused(tmp_path, baseline_mib):
    path = write_many_page_pdf(tmp_path / "pages.pdf", 5000)
    result, peak = run_isolated(path, timeout=60)
    assert result["tables"] == 0
    assert "5,000 页" in result["error"] and "BUDGETLINT_MAX_PAGES" in result["error"]
    assert result["seconds"] < 10
    assert peak - baseline_mib < 64


def test_pdf_lying_about_its_page_count_is_stopped_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETLINT_MAX_PAGES", "50")
    path = write_many_page_pdf(tmp_path / "liar.pdf", 300, declared=1)
    doc = load_document(path)
    assert doc.tables == [] and "超过上限 50 页" in doc.error


def test_empty_pdf_within_limit_reads_with_a_problem(tmp_path):
    raw = load_raw(write_many_page_pdf(tmp_path / "blank.pdf", 3))
    assert raw.meta["pages"] == 3 and raw.tables == []
    assert [k for k, _, _ in raw.problems] == ["empty"]


def test_cell_limit_stops_a_giant_html_table(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETLINT_MAX_CELLS", "10000")
    row = "<tr>" + "<td>1.00</td>" * 50 + "</tr>"
    path = tmp_path / "giant.html"
    path.write_text("<table>" + row * 1000 + "</table>", encoding="utf-8")
    doc = load_document(path)
    assert doc.tables == [] and "BUDGETLINT_MAX_CELLS" in doc.error


def test_huge_colspan_and_rowspan_are_clamped(tmp_path):
    path = tmp_path / "span.html"
    path.write_text('<table><tr><td colspan="99999999" rowspan="99999999">合计</td></tr><tr><td>1</td></tr></table>')
    raw = load_raw(path)
    t = raw.tables[0]
    assert len(t.rows) == 2 and len(t.rows[0]) <= 1001
    assert t.spans[0].rowspan == 2


def test_deeply_nested_html_does_not_overflow_the_stack(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 50_000 + "预算" + "</div>" * 50_000 + "<table><tr><td>合计</td><td>1.00</td></tr></table>")
    doc = load_document(path)
    assert doc.error is None
    assert any("预算" in p.text for p in doc.prose)


def test_symlink_loop_in_a_checked_folder(tmp_path):
    from budgetlint.engine import discover_files, run

    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    fb.write_txt(fb.sample_document(), folder / "sub" / "budget.txt")
    os.symlink("..", folder / "sub" / "loop")
    os.symlink(folder, folder / "sub" / "back")
    started = time.perf_counter()
    files = discover_files([str(folder)])
    assert files == [str(folder / "sub" / "budget.txt")]
    report = run([str(folder)])
    assert time.perf_counter() - started < 30
    assert [f["path"] for f in report.files] == [str(folder / "sub" / "budget.txt")]


def test_time_limit_stops_a_slow_read(monkeypatch):
    from budgetlint.limits import time_guard

    with pytest.raises(LimitError, match="读取时间超过上限 1 秒"):
        with time_guard(1):
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass


# ---------------------------------------------------------------------------
# truncated and corrupted files (property-based)


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("valid")
    out = {}
    for fmt, path in fb.write_all(fb.sample_document(), folder).items():
        out[fmt] = path.read_bytes()
    return out


FUZZ_FORMATS = ["txt", "docx", "pdf", "html", "xls", "xlsx"]


def check_outcome(path: Path) -> None:
    """The contract: a Document with tables, or a Document with a clear error; never a traceback."""
    started = time.perf_counter()
    doc = load_document(path)
    assert time.perf_counter() - started < 20
    assert doc.path == str(path)
    if doc.error is not None:
        assert isinstance(doc.error, str) and doc.error.strip()
        assert "Traceback" not in doc.error
        assert doc.tables == []
    else:
        for t in doc.tables:
            assert all(c.loc.path for c in t.iter_cells())


@pytest.mark.parametrize("fmt", FUZZ_FORMATS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_files(valid_files, tmp_path, fmt, cut):
    data = valid_files[fmt]
    path = tmp_path / f"cut.{fmt}"
    path.write_bytes(data[: int(len(data) * cut)])
    check_outcome(path)


@pytest.mark.parametrize("fmt", FUZZ_FORMATS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=1.0, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_files(valid_files, tmp_path, fmt, flips):
    data = bytearray(valid_files[fmt])
    for where, value in flips:
        data[int(len(data) * where)] = value
    path = tmp_path / f"flip.{fmt}"
    path.write_bytes(bytes(data))
    check_outcome(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".docx", ".pdf", ".html", ".xls", ".xlsx", ".csv"]))
def test_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    check_outcome(path)


# ---------------------------------------------------------------------------
# random tables survive a round trip through each format


CELL_TEXT = st.text(alphabet="预算支出合计基本项目经费财政拨款类款项其中：（）%ABCxyz0123456789 ", min_size=1, max_size=12).map(
    lambda s: " ".join(s.split())
).filter(bool)
AMOUNT = st.decimals(min_value=0, max_value=10**7, places=2).map(lambda d: f"{d:,.2f}")


@st.composite
def random_tables(draw) -> fb.FxTable:
    width = draw(st.integers(2, 6))
    height = draw(st.integers(2, 8))
    header = [draw(CELL_TEXT) for _ in range(width)]
    body = [[draw(st.one_of(CELL_TEXT, AMOUNT, st.just(""))) for _ in range(width)] for _ in range(height - 1)]
    body[-1][0] = body[-1][0] or "合计"
    body[-1][1] = body[-1][1] or "0.00"
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3))):
        r = draw(st.integers(0, height - 1))
        c = draw(st.integers(0, width - 1))
        rs = draw(st.integers(1, height - r))
        cs = draw(st.integers(1, width - c))
        if r == 0 or r + rs >= height or (rs == 1 and cs == 1):
            continue  # keep the header row and the last row whole (spreadsheet title/notes detection)
        cells = {(i, j) for i in range(r, r + rs) for j in range(c, c + cs)}
        if cells & taken:
            continue
        taken |= cells
        merges.append((r, c, rs, cs))
    grid = [header] + body
    for r, c, rs, cs in merges:
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                if (i, j) != (r, c):
                    grid[i][j] = ""
    return fb.FxTable(before=["表 1", "随机表"], grid=grid, merges=merges, header_rows=1)


@pytest.mark.parametrize("fmt", ["docx", "html", "xls"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=random_tables())
def test_random_tables_round_trip(tmp_path, fmt, table):
    path = fb.WRITERS[fmt](fb.FxDocument(blocks=[table]), tmp_path / f"random.{fmt}")
    raw = load_raw(path)
    assert len(raw.tables) == 1
    got = raw.tables[0]
    assert fb.grid_text(got.rows) == table.grid
    assert sorted((s.row, s.col, s.rowspan, s.colspan) for s in got.spans) == sorted(table.merges)
    assert [p.text for p in got.before] == table.before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=random_tables())
def test_random_tables_in_pdf(tmp_path, table):
    path = fb.write_pdf(fb.FxDocument(blocks=[table]), tmp_path / "random.pdf")
    raw = load_raw(path)
    assert len(raw.tables) == 1
    got = fb.grid_text(raw.tables[0].rows)
    # a PDF has a row edge only where a ruling line is drawn: not inside a merge across all columns;
    # rows with no text at all carry nothing and may be merged with their empty neighbours
    def edges_of(grid):
        return sum(
            1 for i in range(len(grid) - 1)
            if not all(any(r <= i and i + 1 < r + rs and c <= j < c + cs for r, c, rs, cs in table.merges) for j in range(table.width))
        )
    assert len(got[0]) == table.width
    nonblank = [row for row in got if any(cell for cell in row)]
    want_nonblank = [row for row in table.grid if any(cell for cell in row)]
    assert len(nonblank) <= len(want_nonblank) and len(got) <= edges_of(table.grid) + 1
    # amounts are never split or altered by the PDF round trip
    want = [c for row in table.grid for c in row if c[:1].isdigit() and "." in c]
    have = [c for row in got for c in row if c[:1].isdigit() and "." in c]
    assert sorted(have) == sorted(want)


# ---------------------------------------------------------------------------
# output targets: never replace a device, a pipe or a link


def _fifo_reader(path: Path, out: list[bytes]):
    import threading

    def read():
        with open(path, "rb") as fh:
            out.append(fh.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_to_a_fifo_is_written_through_not_replaced(tmp_path):
    """What ``-o /dev/null`` does, tested on a FIFO of our own (never on a real device)."""
    import stat

    from budgetlint.atomic import atomic_write_text

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    t = _fifo_reader(fifo, got)
    atomic_write_text(fifo, "报告\n")
    t.join(10)
    assert got == ["报告\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left beside it


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_cli_report_and_annotation_to_a_fifo(tmp_path):
    import stat

    from click.testing import CliRunner

    from budgetlint.cli import main

    src = fb.write_txt(fb.sample_document(mistake=True), tmp_path / "budget.txt")
    for option in (["-o"], ["--annotate"], ["--write-baseline"]):
        fifo = tmp_path / f"out{option[0].strip('-')}"
        os.mkfifo(fifo)
        got: list[bytes] = []
        t = _fifo_reader(fifo, got)
        args = ["check", "--jobs", "1", str(src), *option, str(fifo)]
        res = CliRunner().invoke(main, args, catch_exceptions=False)
        t.join(20)
        assert res.exit_code in (0, 1), res.output
        assert got and got[0], option
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), option


def test_output_through_a_symlink_keeps_the_link(tmp_path):
    from budgetlint.atomic import atomic_write_text

    real = tmp_path / "reports" / "report.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    os.symlink(real, link)
    atomic_write_text(link, "new")
    assert os.path.islink(link) and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    dangling = tmp_path / "next.json"
    os.symlink(tmp_path / "reports" / "next-real.json", dangling)
    atomic_write_text(dangling, "created")
    assert os.path.islink(dangling) and (tmp_path / "reports" / "next-real.json").read_text() == "created"


def test_output_to_a_directory_or_socket_is_refused(tmp_path):
    import socket

    from budgetlint.atomic import OutputError, atomic_write_text

    with pytest.raises(OutputError, match="directory"):
        try:
            atomic_write_text(tmp_path, "x")
        except OutputError as exc:
            assert "目录" in exc.message("zh")
            raise OutputError(exc.en, exc.en) from None
    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock_path))
        with pytest.raises(OutputError) as info:
            atomic_write_text(sock_path, "x")
        assert "socket" in info.value.message("en")
        assert os.path.exists(sock_path)


def test_new_output_respects_the_umask_and_old_files_keep_their_mode(tmp_path):
    import stat

    from budgetlint.atomic import atomic_write_text

    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o640
    kept = tmp_path / "kept.txt"
    kept.write_text("x")
    os.chmod(kept, 0o604)
    atomic_write_text(kept, "y")
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604 and kept.read_text() == "y"


# ---------------------------------------------------------------------------
# special files, unreadable folders and links in a checked folder


def _codes(report) -> list[tuple[str, str]]:
    return [(Path(f.path).name, f.code) for f in report.findings]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_socket_in_a_folder_are_skipped_not_opened(tmp_path):
    import socket

    folder = tmp_path / "docs"
    folder.mkdir()
    fb.write_txt(fb.sample_document(), folder / "budget.txt")
    os.mkfifo(folder / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(folder / "sock.csv"))
        code = (
            "import json, sys\nfrom budgetlint.engine import run\n"
            "r = run([sys.argv[1]], jobs=1)\n"
            "print(json.dumps([[f['path'] for f in r.files], [(e.path, e.en) for e in r.skipped], [(f.path, f.code) for f in r.findings]]))"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    files, skipped, findings = json.loads(proc.stdout)
    assert files == [str(folder / "budget.txt")]
    reasons = dict(skipped)
    assert "FIFO" in reasons[str(folder / "pipe.txt")] and "socket" in reasons[str(folder / "sock.csv")]
    assert [str(folder / "pipe.txt"), "L007"] in findings and [str(folder / "sock.csv"), "L007"] in findings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_given_explicitly_is_read_as_a_stream_with_the_size_limit(tmp_path, monkeypatch):
    import threading

    fifo = tmp_path / "budget.txt"
    os.mkfifo(fifo)
    text = fb.write_txt(fb.sample_document(), tmp_path / "src.txt").read_bytes()

    def feed(data: bytes):
        def write():
            try:
                with open(fifo, "wb") as fh:
                    fh.write(data)
            except BrokenPipeError:
                pass
        t = threading.Thread(target=write, daemon=True)
        t.start()
        return t

    t = feed(text)
    doc = load_document(fifo)
    t.join(10)
    assert doc.error is None and len(doc.tables) == 2 and doc.path == str(fifo)
    monkeypatch.setenv("BUDGETLINT_MAX_FILE_BYTES", "1000")
    t = feed(text * 10)
    doc = load_document(fifo)
    t.join(10)
    assert doc.tables == [] and "BUDGETLINT_MAX_FILE_BYTES" in doc.error


def test_standard_input_is_read_as_a_stream(tmp_path):
    from click.testing import CliRunner

    from budgetlint.cli import main

    data = fb.write_txt(fb.sample_document(mistake=True), tmp_path / "src.txt").read_bytes()
    res = CliRunner().invoke(main, ["check", "--format", "json", "-"], input=data, catch_exceptions=False)
    report = json.loads(res.stdout)
    assert report["files"][0]["path"] == "-" and report["files"][0]["error"] is None
    assert any(f["code"].startswith("S") for f in report["findings"])


def test_unreadable_subfolder_is_reported_and_fails_in_strict_mode(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from budgetlint.cli import main

    folder = tmp_path / "docs"
    (folder / "locked").mkdir(parents=True)
    fb.write_txt(fb.sample_document(), folder / "budget.txt")
    fb.write_txt(fb.sample_document(), folder / "locked" / "hidden.txt")
    real_scandir = os.scandir

    def scandir(path="."):  # the tests may run as root, who can read anything: refuse like chmod 000 would
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = CliRunner().invoke(main, ["check", "--jobs", "1", "--lang", "en", str(folder)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "L007" in res.stdout and "locked" in res.stdout and "Permission denied" in res.stdout
    res = CliRunner().invoke(main, ["check", "--jobs", "1", "--strict", str(folder)], catch_exceptions=False)
    assert res.exit_code == 1 and "无法读取该目录" in res.stdout


def test_links_leading_out_of_the_folder_are_not_followed(tmp_path):
    from budgetlint.engine import run

    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("表 1\n秘密\t12,345.67\n机密\t1.00\n", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    fb.write_txt(fb.sample_document(), folder / "budget.txt")
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(outside, folder / "more")
    os.symlink(folder / "budget.txt", folder / "same.txt")  # inside: followed
    report = run([str(folder)], jobs=1)
    assert sorted(Path(f["path"]).name for f in report.files) == ["budget.txt", "same.txt"]
    assert sorted(Path(e.path).name for e in report.skipped) == ["more", "secret.txt"]
    assert all("--follow-links" in e.en for e in report.skipped)
    assert "12,345.67" not in json.dumps(report.to_json(), ensure_ascii=False)
    followed = run([str(folder)], jobs=1, follow_links=True)
    assert str(folder / "secret.txt") in [f["path"] for f in followed.files]
    assert str(folder / "more" / "secret.txt") in [f["path"] for f in followed.files]


def test_no_traceback_for_hostile_paths_and_configs(tmp_path):
    import socket

    from click.testing import CliRunner

    from budgetlint.cli import main

    def check(*args, cwd=None):
        res = CliRunner().invoke(main, ["check", "--jobs", "1", *args])
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        assert "Traceback" not in res.output
        return res

    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    res = check(str(loop))
    assert res.exit_code == 1 and "loop.txt" in res.output
    sock = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock))
        res = check(str(sock))
    assert res.exit_code == 1 and "套接字" in res.output
    project = tmp_path / "project"
    project.mkdir()
    fb.write_txt(fb.sample_document(), project / "budget.txt")
    (project / "budgetlint.toml").write_bytes("select = [\"S\"]  # 规则\n".encode("gb18030"))
    res = check(str(project / "budget.txt"))
    assert res.exit_code == 2 and "UTF-8" in res.output
    (project / "budgetlint.toml").unlink()
    (project / "cfgdir").mkdir()
    res = check("--config", str(project / "cfgdir"), str(project / "budget.txt"))
    assert res.exit_code == 2
    (project / "budgetlint.toml").mkdir()  # a folder where the configuration file is expected: not a configuration
    res = check(str(project / "budget.txt"))
    assert res.exit_code == 0


def test_extend_select_adds_to_the_defaults(tmp_path):
    from budgetlint.config import load_config
    from budgetlint.engine import all_rules, select_rules

    project = tmp_path / "p"
    project.mkdir()
    (project / "budgetlint.toml").write_text('extend-select = ["P403"]\n', encoding="utf-8")
    cfg = load_config([str(project)])
    codes = {r.code for r in select_rules(all_rules(), cfg.selection(), cfg.ignore)}
    defaults = {r.code for r in select_rules(all_rules(), None, None)}
    assert "P403" not in defaults and codes == defaults | {"P403"}
    (project / "budgetlint.toml").write_text('select = ["S"]\nextend-select = ["P403"]\n', encoding="utf-8")
    cfg = load_config([str(project)])
    codes = {r.code for r in select_rules(all_rules(), cfg.selection(), cfg.ignore)}
    assert codes == {c for c in defaults if c.startswith("S")} | {"P403"}
    assert {r.code for r in select_rules(all_rules(), cfg.selection(["X"]), [])} == {c for c in defaults if c.startswith("X")} | {"P403"}


# ---------------------------------------------------------------------------
# cell text: invisible characters, formulas, escape sequences


@pytest.mark.parametrize("ch", ["\u200b", "\u200d", "\ufeff", "\u00a0", "\u2060", "\u202f"])
def test_invisible_characters_inside_numbers(tmp_path, ch):
    from budgetlint.engine import check_documents
    from budgetlint.numbers import parse_number

    assert parse_number(f"1{ch}234.00").value == parse_number("1234.00").value
    path = tmp_path / "t.txt"
    path.write_text(f"表 1\n项目\t金额\n一、工资\t1{ch}234.00\n二、奖金\t100.00\n合计\t1,434.00\n", encoding="utf-8")
    report = check_documents([load_document(path)], lang="en")
    f = next(f for f in report.findings if f.severity == "error")
    assert f.expected == 1334.0 and f.actual == 1434.0  # the cell counted as 1,234.00, not as text
    assert f"U+{ord(ch):04X}" in f.message and "invisible" in f.message
    path.write_text(f"表 1\n项目\t金额\n一、工资\t1{ch}234.00\n二、奖金\t100.00\n合计\t1,334.00\n", encoding="utf-8")
    assert [f for f in check_documents([load_document(path)]).findings if f.severity == "error"] == []


def test_formula_text_is_never_a_live_formula_in_the_annotated_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from budgetlint.engine import check_documents
    from budgetlint.report.annotate import write_annotations

    path = tmp_path / "t.csv"
    path.write_text('项目,金额\n"=HYPERLINK(""http://example.invalid"",""点此"")",1.00\n"+1+2",2.00\n"\x1b[2J清屏",3.00\n合计,9.00\n', encoding="utf-8")
    report = check_documents([load_document(path)])
    assert report.findings
    (out,) = write_annotations(report, tmp_path / "out.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in s for s in sheets)
    wb = openpyxl.load_workbook(out)
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert any("HYPERLINK" in c.value for c in risky)
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert not any("\x1b" in c.value for c in texts)


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    from click.testing import CliRunner

    from budgetlint.cli import main

    path = tmp_path / "t.txt"
    path.write_text("表 1\n项目\t金额\n一、\x1b[2J\x1b]0;owned\x07工资\u202e\t1.00\n二、奖金\x9b31m\t2.00\n合计\t9.00\n", encoding="utf-8")
    for args in (["check", "--jobs", "1", str(path)], ["check", "--jobs", "1", "--format", "github", str(path)], ["tables", str(path)]):
        res = CliRunner().invoke(main, args, catch_exceptions=False)
        assert "工资" in res.stdout, args
        assert not any(ch in res.stdout for ch in ("\x1b", "\x07", "\x9b", "\u202e")), args


# ---------------------------------------------------------------------------
# every limit, for every loader


LOADER_FORMATS = ["txt", "csv", "tsv", "xlsx", "xls", "docx", "pdf", "html"]


def _table_file(tmp_path: Path, fmt: str, rows: int, cols: int) -> Path:
    grid = [["项目"] + [f"栏{j}" for j in range(cols - 1)]] + [[f"行{i}"] + ["1.00"] * (cols - 1) for i in range(rows - 1)]
    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        path = tmp_path / f"t.{fmt}"
        path.write_text("\n".join(sep.join(r) for r in grid) + "\n", encoding="utf-8")
        return path
    table = fb.FxTable(before=["表 1", "大表"], grid=grid, merges=[], header_rows=1)
    return fb.WRITERS[fmt](fb.FxDocument(blocks=[table]), tmp_path / f"t.{fmt}")


@pytest.mark.parametrize("fmt", LOADER_FORMATS)
def test_cell_limit_holds_for_every_loader(tmp_path, monkeypatch, fmt):
    path = _table_file(tmp_path, fmt, rows=30, cols=8)
    assert load_document(path).error is None
    monkeypatch.setenv("BUDGETLINT_MAX_CELLS", "100")
    doc = load_document(path)
    assert doc.tables == [] and "BUDGETLINT_MAX_CELLS" in doc.error


@pytest.mark.parametrize("fmt", ["txt", "csv", "tsv", "docx", "pdf", "html"])
def test_line_limit_holds_for_every_text_loader(tmp_path, monkeypatch, fmt):
    doc = fb.FxDocument(blocks=["第一段说明文字。"] * 40 + [fb.sample_document().blocks[-1]])
    if fmt in ("csv", "tsv"):
        path = tmp_path / f"t.{fmt}"
        path.write_text("说明\n" * 40 + "项目,金额\n合计,1.00\n".replace(",", "," if fmt == "csv" else "\t"), encoding="utf-8")
    else:
        path = fb.WRITERS[fmt](doc, tmp_path / f"t.{fmt}")
    assert load_document(path).error is None
    monkeypatch.setenv("BUDGETLINT_MAX_LINES", "20")
    got = load_document(path)
    assert got.tables == [] and "BUDGETLINT_MAX_LINES" in got.error


@pytest.mark.parametrize("fmt", LOADER_FORMATS)
def test_time_limit_covers_reading_for_every_loader(tmp_path, monkeypatch, fmt):
    import importlib

    path = _table_file(tmp_path, fmt, rows=5, cols=3)
    module = importlib.import_module(f"budgetlint.loaders.{ {'txt': 'text', 'tsv': 'csv'}.get(fmt, fmt) }")
    original = module.load

    def slow(p):
        raw = original(p)
        time.sleep(5)  # a reader stuck inside a library
        return raw

    monkeypatch.setattr(module, "load", slow)
    monkeypatch.setenv("BUDGETLINT_MAX_SECONDS", "1")
    started = time.perf_counter()
    doc = load_document(path)
    assert time.perf_counter() - started < 4
    assert doc.tables == [] and "BUDGETLINT_MAX_SECONDS" in doc.error and "读取" in doc.error


def test_time_limit_covers_understanding_and_rules(tmp_path, monkeypatch):
    from budgetlint.engine import all_rules, check_documents
    from budgetlint.rule import Msg, Rule

    class Slow(Rule):
        """A rule that reports something, then takes forever."""

        code, name, severity = "Z999", "slow", "error"
        summary = Msg("慢", "slow")

        def check(self, doc, ctx):
            yield ctx.finding(self, doc, None, Msg("半途的发现", "half-way finding"))
            time.sleep(5)

    path = fb.write_txt(fb.sample_document(mistake=True), tmp_path / "budget.txt")
    monkeypatch.setenv("BUDGETLINT_MAX_SECONDS", "1")
    doc = load_document(path)
    assert doc.error is None
    started = time.perf_counter()
    report = check_documents([doc], rules=[*all_rules(), Slow])
    assert time.perf_counter() - started < 4
    assert "检查时停止" in report.files[0]["error"] and report.files[0]["tables"] == 0
    assert [f.code for f in report.findings] == ["L001"]  # the findings so far are discarded, never half-reported

    import budgetlint.understand as und

    def slow_understanding(raw):
        time.sleep(5)

    monkeypatch.setattr(und, "understand_document", slow_understanding)
    doc = load_document(path)
    assert doc.tables == [] and "识别表格时停止" in doc.error


# ---------------------------------------------------------------------------
# small hostile files: under 5 s and 500 MB each, start to end


CHECK_CHILD = """
import json, sys, time
from budgetlint.engine import run
started = time.perf_counter()
report = run([sys.argv[1]], jobs=1, keep_documents=True)
seconds = time.perf_counter() - started
with open("/proc/self/status") as fh:
    peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
print(json.dumps({"error": report.files[0]["error"], "findings": len(report.findings), "seconds": seconds, "peak_mib": peak}))
"""


def check_isolated(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHECK_CHILD, str(path)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _hostile_small_files(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import hostile_folder as hf
    finally:
        sys.path.pop(0)
    files = {
        "all_heji.csv": "\n".join([",".join(["合计"] * 1000)] + [",".join(["1"] * 1000)] * 5) + "\n",
        "wide.csv": ",".join(["项目", "合计"] + [f"栏目{i}" for i in range(4000)]) + "\n"
        + "\n".join(",".join([f"行{r}", "4000.00"] + ["1.00"] * 4000) for r in range(5)) + "\n",
        "prose.txt": "这是一段很长的说明文字" * 4000 + "100.00万元。\n",
        "prose_parts.txt": "其中：人员经费10万元、主要是" * 4000 + "。\n",
    }
    out = {}
    for name, text in files.items():
        out[name] = folder / name
        out[name].write_text(text, encoding="utf-8")
    out["operators.pdf"] = folder / "operators.pdf"
    out["operators.pdf"].write_bytes(hf.operator_bomb_pdf())
    return out


@pytest.mark.parametrize("name", ["all_heji.csv", "wide.csv", "prose.txt", "prose_parts.txt", "operators.pdf"])
def test_small_hostile_files_are_handled_quickly(tmp_path, name):
    path = _hostile_small_files(tmp_path)[name]
    assert path.stat().st_size < 250_000
    result = check_isolated(path)
    assert result["seconds"] < 5, result
    assert result["peak_mib"] < 500, result
    if name == "operators.pdf":
        assert "BUDGETLINT_MAX_PDF_OPERATORS" in result["error"]


@pytest.mark.slow
def test_hostile_folder_benchmark():
    """benchmarks/hostile_folder.py: the whole folder in under 60 s and 2 GB, every bad file named, mistakes found."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hostile_folder.py")], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = json.loads(proc.stdout)
    assert result["ok"] and proc.returncode == 0, result["problems"]
    assert result["planted_found"] == {"good_expenditure.txt": True, "good_sangong.csv": True}


# ---------------------------------------------------------------------------
# time grows linearly with the size of wide and deep tables and long prose


def _wide_csv(n: int, seed: int) -> str:
    import random

    rnd = random.Random(seed)
    head = ",".join(["项目", "合计"] + [f"栏目{i}" for i in range(n)])
    rows = []
    for r in range(4):
        vals = [rnd.randint(1, 99) for _ in range(n)]
        rows.append(",".join([f"行{r}", f"{sum(vals)}.00"] + [f"{v}.00" for v in vals]))
    return head + "\n" + "\n".join(rows) + "\n"


def _deep_txt(n: int, seed: int) -> str:
    import random

    rnd = random.Random(seed)
    lines, total = [], [0, 0]
    for i in range(n):
        a, b = rnd.randint(1, 99), rnd.randint(1, 99)
        total[0] += a
        total[1] += b
        lines.append(f"{201 + i % 20:03d}{i % 100:02d}\t项目{i}\t{a + b}.00\t{a}.00\t{b}.00")
    return (f"表 1\n支出总体情况表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            f"\t合计\t{sum(total)}.00\t{total[0]}.00\t{total[1]}.00\n" + "\n".join(lines) + "\n")


PROSE_UNITS = ["这是一段很长的说明文字", "其中：人员经费10万元、", "主要是支出100万元", "一般公共预算支出(类)100.00万元，增长5%，",
               "占总支出的比重12.5%；", "社会保障和就业支出（类"]


def _prose_txt(n: int, unit: str) -> str:
    return unit * n + "合计100.00万元。\n"


def _best_time(path: Path, repeat: int = 3) -> float:
    import gc

    from budgetlint.engine import check_documents

    # with the cycle collector set as `budgetlint check` sets it: under the default thresholds a full
    # collection over everything the test session keeps alive lands in one run or another, and the
    # timings measure the session's heap instead of the input's growth
    saved = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    best = float("inf")
    try:
        for _ in range(repeat):
            gc.collect()
            started = time.perf_counter()
            check_documents([load_document(path)])
            best = min(best, time.perf_counter() - started)
    finally:
        gc.set_threshold(*saved)
    return best


def _assert_linear(tmp_path: Path, make, sizes: list[int], suffix: str) -> None:
    times = []
    for n in sizes:
        path = tmp_path / f"s{n}{suffix}"
        path.write_text(make(n), encoding="utf-8")
        times.append(_best_time(path))
    for (n1, t1), (n2, t2) in zip(zip(sizes, times), zip(sizes[1:], times[1:])):
        # a floor of 20 ms keeps timer noise on tiny inputs from looking like growth
        assert t2 / max(t1, 0.02) <= 2.5, f"{n1} → {n2}: {t1:.3f} s → {t2:.3f} s ({times})"


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_wide_tables_scale_linearly(tmp_path, seed):
    _assert_linear(tmp_path, lambda n: _wide_csv(n, seed), [1000, 2000, 4000], ".csv")


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_deep_tables_scale_linearly(tmp_path, seed):
    _assert_linear(tmp_path, lambda n: _deep_txt(n, seed), [1000, 2000, 4000], ".txt")


@pytest.mark.slow
@settings(max_examples=len(PROSE_UNITS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(unit=st.sampled_from(PROSE_UNITS))
def test_long_prose_scales_linearly(tmp_path, unit):
    _assert_linear(tmp_path, lambda n: _prose_txt(n, unit), [1500, 3000, 6000], ".txt")


# ---------------------------------------------------------------------------
# encrypted PDF


def _encrypted_pdf(path: Path, user: str, owner: str) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption(user, owner, canPrint=0, canModify=0, canCopy=0, canAnnotate=0, strength=128)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 720, "Budget 2024 total 100.00")
    c.showPage()
    c.save()
    return path


def test_encrypted_pdf_says_it_needs_a_password(tmp_path):
    doc = load_document(_encrypted_pdf(tmp_path / "locked.pdf", user="open-sesame", owner="owner"))
    assert doc.tables == [] and "密码" in doc.error and "does not take passwords" in doc.error


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    doc = load_document(_encrypted_pdf(tmp_path / "restricted.pdf", user="", owner="owner"))
    assert doc.error is None
    assert any("100.00" in p.text for p in doc.prose)
