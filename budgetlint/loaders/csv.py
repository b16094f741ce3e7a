"""CSV and TSV files: one grid, split into title rows, table and notes like a sheet.

Encoding is detected (UTF-8 with or without BOM, GB18030…), the delimiter
sniffed (tab for .tsv).  Every cell is located by its line and an A1 reference.
"""

from __future__ import annotations

import csv as _csv
import io
from pathlib import Path

from ..grid import RawDocument
from ..limits import Budget
from ..model import Cell, Location
from ._sheet import split_grid
from .text import decode
from .xlsx import column_letter


def load(path: Path) -> RawDocument:
    budget = Budget()
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise ValueError("the file contains NUL bytes: it is binary, not text")
    text, encoding = decode(data)
    fmt = "tsv" if path.suffix.lower() == ".tsv" else "csv"
    if fmt == "tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = _csv.Sniffer().sniff(text[:8192], delimiters=",\t;").delimiter
        except _csv.Error:
            delimiter = ","
    doc = RawDocument(path=str(path), format=fmt, meta={"encoding": encoding})
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    line = 1
    for rec in reader:
        r_idx = reader.line_num  # physical line where this record ends
        budget.lines(r_idx - line + 1)
        budget.cells(len(rec))
        if not len(rows) & 1023:
            budget.tick()
        start_line = line
        cells = [Cell(raw=v, loc=Location(str(path), line=start_line, cell=f"{column_letter(c)}{len(rows) + 1}")) for c, v in enumerate(rec)]
        rows.append(cells)
        line = r_idx + 1
    tables, prose = split_grid(rows)
    doc.tables = tables
    doc.prose = prose
    return doc
