"""Disclosures published as two files: the text and its tables, checked as one document.

Some publishers split one disclosure into a file of prose (部门概况, 情况说明) and a file of
tables.  Checked apart, the prose has no tables to be compared with and the tables no
prose.  Two files are companions when they sit in the same folder and their names are the
same apart from a text/tables style suffix (``x_text.pdf`` + ``x_tables.pdf``,
``某厅预算文字.pdf`` + ``某厅预算表格.pdf``); the pair is then read as one document whose
tables and paragraphs keep the path of the file they came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from .model import Document

# a name's style suffix: (style, pattern); the pattern matches at the end of the file stem
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("text", re.compile(r"(?i)(?:[\s._\-—（(]*)(?:text|txt|prose|narrative|文字(?:说明|部分)?|说明|正文)[)）]?$")),
    ("tables", re.compile(r"(?i)(?:[\s._\-—（(]*)(?:tables?|tabs?|表格(?:部分)?|附表|报表)[)）]?$")),
]


def style_of(path: str) -> tuple[str, str] | None:
    """(style, stem without the suffix) when the file name ends in a text/tables suffix."""
    p = Path(path)
    stem = p.stem
    for style, rx in _STYLES:
        m = rx.search(stem)
        if m and m.start() > 0:
            return style, str(p.parent / stem[: m.start()]) + p.suffix.lower()
    return None


def companion_groups(files: Sequence[str]) -> list[list[str]]:
    """The files in groups to be checked together: pairs of one text and one tables file with the
    same folder and stem, every other file alone.  Groups keep the files' sorted order."""
    by_key: dict[str, dict[str, list[str]]] = {}
    for f in files:
        st = style_of(f)
        if st is not None:
            by_key.setdefault(st[1], {}).setdefault(st[0], []).append(f)
    paired: dict[str, list[str]] = {}
    for styles in by_key.values():
        texts, tables = styles.get("text", []), styles.get("tables", [])
        if len(texts) == 1 and len(tables) == 1:  # an ambiguous set is left alone
            group = sorted([texts[0], tables[0]])
            for f in group:
                paired[f] = group
    out: list[list[str]] = []
    seen: set[str] = set()
    for f in files:
        if f in seen:
            continue
        group = paired.get(f, [f])
        seen.update(group)
        out.append(group)
    return out


def combine(docs: Sequence[Document]) -> Document:
    """One document from companion files: tables and paragraphs in file order, each keeping its
    own path; ``meta['companions']`` lists the files.  A file that could not be read is not combined."""
    if len(docs) < 2 or any(d.error for d in docs):
        return docs[0]
    first = docs[0]
    out = Document(path=first.path, format=first.format, meta=dict(first.meta))
    problems: list = []
    for d in docs:
        for t in d.tables:
            index = len(out.tables)
            if t.index != index:
                t.index = index
                for row in t.rows:
                    for cell in row.cells:
                        cell.table = index
            out.tables.append(t)
        out.prose.extend(d.prose)
        problems.extend(d.meta.get("problems", []))
    if problems:
        out.meta["problems"] = problems
    out.meta["companions"] = [d.path for d in docs]
    out.meta["tables_per_file"] = {d.path: len(d.tables) for d in docs}
    out.meta["formats"] = {d.path: d.format for d in docs}
    return out


def load_group(paths: Sequence[str]) -> Document:
    from .loaders import load_document

    return combine([load_document(p) for p in paths])


def file_rows(doc: Document) -> list[dict]:
    """The ``files[]`` entries of a document: one per file, naming the companion it was checked with."""
    companions = doc.meta.get("companions")
    if not companions:
        return [{"path": doc.path, "format": doc.format, "tables": len(doc.tables), "error": doc.error, "companion": None}]
    per_file = doc.meta.get("tables_per_file", {})
    rows = []
    for p in companions:
        other = [q for q in companions if q != p]
        rows.append({
            "path": p, "format": doc.meta.get("formats", {}).get(p, doc.format), "tables": per_file.get(p, 0), "error": None,
            "companion": other[0] if len(other) == 1 else other,
        })
    return rows
