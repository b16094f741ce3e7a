"""Stacked frames: all tables of one kind in one frame, never one frame per table.

A pandas or pandera call costs milliseconds of overhead each, so the shape
facts of every table are gathered into a few flat arrays keyed by a table key
(:class:`ShapeData`, plain numpy: cheap to build from the tables' integer
matrices, cheap to send between processes) and turned into three pandas
frames only once per run: value cells, classification codes, and one row per
table.  Schemas and vectorised checks then run once per frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: the command line starts without it
    import numpy as np

from dataclasses import dataclass, field
from typing import Sequence


from .model import Document, Table

NEGATIVE_OK_WORDS = ("追加", "调整", "增减", "差额", "变动", "增长", "比上年", "结余")


@dataclass
class ShapeData:
    """Shape facts of many tables as flat arrays; ``keys[k]`` = (document path, table index)."""

    keys: list[tuple[str, int]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    n_rows: list[int] = field(default_factory=list)
    n_value_cols: list[int] = field(default_factory=list)
    n_label_cols: list[int] = field(default_factory=list)
    cell_arrays: list[tuple[np.ndarray, ...]] = field(default_factory=list)  # (key, row, col, value, blank, empty, negative_ok)
    code_rows: list[tuple[int, int, str]] = field(default_factory=list)  # (key, row, code)

    def extend(self, other: "ShapeData") -> None:
        base = len(self.keys)
        self.keys += other.keys
        self.kinds += other.kinds
        self.headers += other.headers
        self.n_rows += other.n_rows
        self.n_value_cols += other.n_value_cols
        self.n_label_cols += other.n_label_cols
        for arrs in other.cell_arrays:
            self.cell_arrays.append((arrs[0] + base, *arrs[1:]))
        self.code_rows += [(k + base, r, c) for k, r, c in other.code_rows]


def add_table(data: ShapeData, doc: Document, t: Table) -> None:
    """Append one table's shape facts (values come from its integer matrix, no per-cell Python)."""
    import numpy as np
    from .rounding import table_matrix
    from .understand.labels import norm, simplified

    key = len(data.keys)
    data.keys.append((doc.path, t.index))
    data.kinds.append(t.kind)
    data.headers.append(simplified(" ".join(c.label for c in t.columns) + " " + " ".join(r.label for r in t.rows)))
    data.n_rows.append(len(t.rows))
    value_cols = [c.index for c in t.columns if c.role == "value"]
    data.n_value_cols.append(len(value_cols))
    data.n_label_cols.append(sum(1 for c in t.columns if c.role == "label"))
    for r in t.rows:
        if r.code is not None or any(
            c.role == "code" and r.cells[c.index].raw.strip() and norm(r.cells[c.index].raw) not in norm(r.label)
            for c in t.columns
        ):
            raw_code = r.code if r.code is not None else "".join(r.cells[c.index].raw.strip() for c in t.columns if c.role == "code")
            data.code_rows.append((key, r.index, raw_code))
    if not value_cols or not t.rows:
        return
    m = table_matrix(t)
    n, v = len(t.rows), len(value_cols)
    cols = np.asarray(value_cols, dtype=np.intp)
    q2 = m.q2[:, cols]
    none = m.blank[:, cols]
    values = np.where(none, np.nan, q2 / 20000.0)  # in the base unit (元 for money); only signs and gaps matter here
    col_neg = np.array([any(w in simplified(t.columns[c].label) for w in NEGATIVE_OK_WORDS) for c in value_cols], dtype=bool)
    row_neg = np.array([any(w in simplified(r.label) for w in NEGATIVE_OK_WORDS) for r in t.rows], dtype=bool)
    data.cell_arrays.append((
        np.full(n * v, key, dtype=np.int64),
        np.repeat(np.arange(n, dtype=np.int64), v),
        np.tile(cols.astype(np.int64), n),
        values.ravel(),
        none.ravel(),
        m.empty[:, cols].ravel(),
        (row_neg[:, None] | col_neg[None, :]).ravel(),
    ))


def shape_data(items: Sequence[tuple[Document, Table]]) -> ShapeData:
    data = ShapeData()
    for doc, t in items:
        add_table(data, doc, t)
    return data


def cell_frame(data: ShapeData):
    import numpy as np
    import pandas as pd

    names = ["key", "row", "col", "value", "none", "blank", "negative_ok"]
    if not data.cell_arrays:
        return pd.DataFrame({n: np.array([], dtype=t) for n, t in zip(names, ["int64", "int64", "int64", "float64", "bool", "bool", "bool"])})
    cols = list(zip(*data.cell_arrays))
    return pd.DataFrame({name: np.concatenate(parts) for name, parts in zip(names, cols)})


def code_frame(data: ShapeData):
    import pandas as pd

    return pd.DataFrame(data.code_rows, columns=["key", "row", "code"]).astype({"key": "int64", "row": "int64", "code": "str"})


def table_frame_of(data: ShapeData):
    import numpy as np
    import pandas as pd

    return pd.DataFrame({
        "key": np.arange(len(data.keys), dtype=np.int64),
        "kind": data.kinds,
        "header": data.headers,
        "n_rows": np.asarray(data.n_rows, dtype=np.int64),
        "n_value_cols": np.asarray(data.n_value_cols, dtype=np.int64),
        "n_label_cols": np.asarray(data.n_label_cols, dtype=np.int64),
    })


def table_frame(t: Table):
    """One table's values, columns by header label (for interactive use)."""
    import pandas as pd

    cols = [c for c in t.columns if c.role == "value"]
    data = {c.label: [float(r.cells[c.index].value) if r.cells[c.index].value is not None else None for r in t.rows] for c in cols}
    index = pd.MultiIndex.from_tuples([(r.code or "", r.label) for r in t.rows], names=["code", "label"]) if t.rows else None
    return pd.DataFrame(data, index=index)
