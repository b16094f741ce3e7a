"""Stacked frames: all tables of one kind in one pandas frame.

A pandas or pandera call costs milliseconds of overhead each, so tables are
never handled one frame at a time: every cell of every table of a kind goes
into one long frame keyed by ``table_id`` (document path + table index), and
schemas and vectorised checks run once per kind.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .model import Document, Table

NEGATIVE_OK_WORDS = ("追加", "调整", "增减", "差额", "变动", "增长", "比上年", "结余")


def _cells_records(doc: Document, t: Table) -> Iterable[tuple]:
    tid = f"{doc.path}#{t.index}"
    cols = [(c.index, c.role, c.label, any(w in c.label for w in NEGATIVE_OK_WORDS)) for c in t.columns if c.role in ("value", "code")]
    for row in t.rows:
        row_neg = any(w in row.label for w in NEGATIVE_OK_WORDS)
        for ci, role, label, col_neg in cols:
            cell = row.cells[ci]
            yield (
                tid, t.index, row.index, ci, role,
                float(cell.value) if cell.value is not None else None,
                cell.blank, (row.code if role == "code" else None), row.label, label,
                col_neg or row_neg,
                cell.raw,
            )


CELL_COLUMNS = ["table_id", "table", "row", "col", "role", "value", "blank", "code", "row_label", "col_label", "negative_ok", "raw"]


def stacked_cells(items: Sequence[tuple[Document, Table]]):
    """One long frame with every value/code cell of the given tables."""
    import pandas as pd

    records = [r for doc, t in items for r in _cells_records(doc, t)]
    frame = pd.DataFrame.from_records(records, columns=CELL_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    return frame


def stacked_tables(items: Sequence[tuple[Document, Table]]):
    """One row per table with its shape facts (columns present, rows, kind)."""
    import pandas as pd

    rows = []
    for doc, t in items:
        labels = " ".join(c.label for c in t.columns) + " " + " ".join(r.label for r in t.rows)
        rows.append({
            "table_id": f"{doc.path}#{t.index}",
            "kind": t.kind,
            "n_rows": len(t.rows),
            "n_value_cols": sum(1 for c in t.columns if c.role == "value"),
            "n_label_cols": sum(1 for c in t.columns if c.role == "label"),
            "header": labels,
        })
    return pd.DataFrame(rows, columns=["table_id", "kind", "n_rows", "n_value_cols", "n_label_cols", "header"])


def table_frame(t: Table):
    """One table's values, columns by header label (for interactive use)."""
    import pandas as pd

    cols = [c for c in t.columns if c.role == "value"]
    data = {c.label: [float(r.cells[c.index].value) if r.cells[c.index].value is not None else None for r in t.rows] for c in cols}
    index = pd.MultiIndex.from_tuples([(r.code or "", r.label) for r in t.rows], names=["code", "label"]) if t.rows else None
    return pd.DataFrame(data, index=index)
