"""Pandera schemas: the expected shape of each recognised table kind.

The run-wide check of rule ``L003`` (``L003_table_shape.py`` beside this module), over
stacked frames (:mod:`budgetlint.frames`): one schema call for every value cell of every
table, one for every classification code, one for the table-level facts of
every kind — never one call per table.  A shape problem (an amount that is not
a number, a negative budget amount, a malformed code, a required column
missing) becomes an ``L003`` finding located at the cell or table, not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from budgetlint.model import Document, Finding, Table
from budgetlint.rule import Context, Msg, Rule
from budgetlint.understand.kinds import SHAPES, shape_gap

# The kinds whose shape is known: the captions (and row-name column) each template gives them
# are data (understand/templates/tables.toml); a table passes when it fits any template.
AMOUNT_KINDS = tuple(SHAPES)
CODE_PATTERN = r"^\d{3}(\d{2}){0,2}$"

SHAPE_MSG = {
    "non_negative_amount": Msg("金额为负数：{raw}（预算表中的金额一般不应为负）", "negative amount {raw} in a budget table"),
    "amount_is_number": Msg("金额栏内容不是数字：「{raw}」", "amount cell is not a number: {raw!r}"),
    "str_matches": Msg("科目编码「{raw}」不是 3/5/7 位数字", "classification code {raw!r} is not 3, 5 or 7 digits"),
    "has_amount_columns": Msg("表格没有可识别的金额栏", "no amount column recognised"),
    "has_label_column": Msg("表格没有可识别的项目/科目名称栏", "no row-label column recognised"),
    "has_column": Msg("表格缺少应有的栏目：{words}", "expected column missing: {words}"),
}

_cache: dict[str, Any] = {}


@dataclass(frozen=True)
class ShapeFailure:
    """One failed check, located by document path, table index and (for cells) row and column."""

    path: str
    table: int
    row: int | None
    col: int | None
    check: str
    words: str = ""


def _schemas():
    if _cache:
        return _cache["cells"], _cache["codes"], _cache["tables"]
    import pandera.pandas as pa

    _cache["cells"] = pa.DataFrameSchema(
        {
            "key": pa.Column(int),
            "row": pa.Column(int),
            "col": pa.Column(int),
            "value": pa.Column(float, nullable=True),
            "negative_ok": pa.Column(bool),
        },
        checks=[
            pa.Check(lambda df: df["value"].isna() | (df["value"] >= 0) | df["negative_ok"], name="non_negative_amount"),
            pa.Check(lambda df: df["blank"] | ~df["none"], name="amount_is_number"),
        ],
        strict=False,
    )
    _cache["codes"] = pa.DataFrameSchema({"code": pa.Column(str, checks=pa.Check.str_matches(CODE_PATTERN))}, strict=False)
    _cache["tables"] = pa.DataFrameSchema(
        {"key": pa.Column(int), "n_rows": pa.Column(int), "missing": pa.Column(str)},
        checks=[
            pa.Check(lambda df: df["n_value_cols"] >= 1, name="has_amount_columns"),
            pa.Check(lambda df: df["label_ok"], name="has_label_column"),
            pa.Check(lambda df: df["missing"] == "", name="has_column"),
        ],
        strict=False,
    )
    return _cache["cells"], _cache["codes"], _cache["tables"]


def _shape_gaps(headers, kinds, n_label_cols) -> tuple[list[str], list[bool]]:
    """Per table: the caption groups missing against the nearest template ('' when one fits),
    and whether its row-name column is present or not required."""
    missing, label_ok = [], []
    for header, kind, n_labels in zip(headers, kinds, n_label_cols):
        _, gap = shape_gap(kind, header, int(n_labels) >= 1)
        missing.append("；".join(g for g in gap if g != "label"))
        label_ok.append("label" not in gap)
    return missing, label_ok


def checked_items(docs: Sequence[Document]) -> list[tuple[Document, Table]]:
    return [(d, t) for d in docs for t in d.tables if t.kind in AMOUNT_KINDS and t.rows]


def warm() -> None:
    """Build the schemas and run each once on a one-table sample with a failure in every frame,
    so that pandera's first-call costs (backend registration, built-in checks, the failure
    report) are paid while the workers still read the files."""
    import numpy as np

    from budgetlint.frames import ShapeData

    data = ShapeData(
        keys=[("", 0)], kinds=["budget.expenditure"], headers=["合计"], n_rows=[1], n_value_cols=[0], n_label_cols=[0],
        cell_arrays=[tuple(np.array([x], dtype=d) for x, d in
                           ((0, "int64"), (0, "int64"), (0, "int64"), (-1.0, "float64"), (True, "bool"), (False, "bool"), (False, "bool")))],
        code_rows=[(0, 0, "x")],
    )
    validate_shape_data(data)


def validate_shape_data(data) -> list[ShapeFailure]:
    """Run the three schema calls over the stacked frames; return every failure, located."""
    import pandera.errors as pe

    from budgetlint.frames import cell_frame, code_frame, table_frame_of

    if not data.keys:
        return []
    cells_schema, codes_schema, tables_schema = _schemas()
    out: list[ShapeFailure] = []
    seen: set[tuple] = set()

    def failures(schema, frame) -> list[tuple[int, str]]:
        try:
            schema.validate(frame, lazy=True)
        except pe.SchemaErrors as err:
            fc = err.failure_cases
            res = []
            for idx, check in zip(fc["index"].tolist(), fc["check"].astype(str).tolist()):
                if idx is None or idx != idx:  # NaN: a schema-wide failure (dtype), not a located one
                    continue
                res.append((int(idx), "str_matches" if check.startswith("str_matches") else check))
            return res
        return []

    cells = cell_frame(data)
    for idx, check in failures(cells_schema, cells):
        key, row, col = int(cells.at[idx, "key"]), int(cells.at[idx, "row"]), int(cells.at[idx, "col"])
        path, t = data.keys[key]
        f = ShapeFailure(path, t, row, col, check)
        if f not in seen:
            seen.add(f)
            out.append(f)
    codes = code_frame(data)
    for idx, check in failures(codes_schema, codes):
        key, row = int(codes.at[idx, "key"]), int(codes.at[idx, "row"])
        path, t = data.keys[key]
        out.append(ShapeFailure(path, t, row, None, check))
    tables = table_frame_of(data)
    tables["missing"], tables["label_ok"] = _shape_gaps(tables["header"], tables["kind"], tables["n_label_cols"])
    for idx, check in failures(tables_schema, tables):
        path, t = data.keys[int(tables.at[idx, "key"])]
        if check == "has_column":
            for words in str(tables.at[idx, "missing"]).split("；"):
                out.append(ShapeFailure(path, t, None, None, check, words))
        else:
            out.append(ShapeFailure(path, t, None, None, check))
    return out


def failure_findings(rule: Rule, failures: Sequence[ShapeFailure], docs_by_path: dict[str, Document], ctx: Context,
                     load: Callable[[str], Document] | None = None) -> list[Finding]:
    """Located findings of ``rule``; documents not at hand (checked in another process) are read again."""
    from budgetlint.findings import build_finding

    out = []
    for f in failures:
        doc = docs_by_path.get(f.path)
        if doc is None and load is not None:
            doc = docs_by_path[f.path] = load(f.path)
        if doc is None or f.table >= len(doc.tables):
            continue
        table = doc.tables[f.table]
        msg = SHAPE_MSG.get(f.check, SHAPE_MSG["has_column"])
        if f.row is not None and f.row < len(table.rows):
            row = table.rows[f.row]
            if f.col is not None:
                cell = row.cells[f.col]
            else:  # a code: point at the first code column (or the label)
                code_cols = [c.index for c in table.columns if c.role == "code"]
                cell = row.cells[code_cols[0]] if code_cols else row.cells[0]
            raw = cell.raw.strip() if f.col is not None else (row.code or "".join(row.cells[c.index].raw.strip() for c in table.columns if c.role == "code"))
            out.append(build_finding(rule, doc, cell, msg, ctx.lang, fmt={"raw": raw}))
        else:
            out.append(build_finding(rule, doc, table, msg, ctx.lang, fmt={"words": f.words}))
    return out


def validate_documents(rule: Rule, docs: Sequence[Document], ctx: Context) -> list[Finding]:
    """Validate every table of the amount kinds of these documents (three schema calls in all)."""
    from budgetlint.frames import shape_data

    failures = validate_shape_data(shape_data(checked_items(docs)))
    return failure_findings(rule, failures, {d.path: d for d in docs}, ctx)


def gather(docs: Sequence[Document]):
    """The shape data of these documents (in a worker process), for :func:`validate_gathered`."""
    from budgetlint.frames import shape_data

    return shape_data(checked_items(docs))


def validate_gathered(rule: Rule, parts: Sequence[Any], ctx: Context) -> list[Finding]:
    """Validate the shape data gathered by the workers at once; documents are read again where a failure is."""
    from budgetlint.frames import ShapeData

    data = ShapeData()
    for part in parts:
        if part is not None:
            data.extend(part)
    if not data.keys:
        return []
    return failure_findings(rule, validate_shape_data(data), {}, ctx, load=ctx.load)
