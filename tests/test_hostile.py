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

pytest.importorskip("docx")
pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")
pytest.importorskip("xlwt")

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
