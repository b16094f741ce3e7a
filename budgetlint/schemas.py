"""Pandera schemas: the expected shape of each recognised table kind.

Validated before the arithmetic rules run, once per kind over the stacked
frames of :mod:`budgetlint.frames` (never per table).  A shape problem (an
amount that is not a number, a negative budget amount, a malformed code, a
required column missing) becomes an ``L003`` finding located at the cell or
table, not a crash.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

from .model import Document, Finding, Table
from .rule import Context, Msg

# Columns a table of each kind must have (any one word of each tuple in some column label).
REQUIRED_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "budget.summary": (("收入",), ("支出",)),
    "budget.income": (("合计", "总计"),),
    "budget.expenditure": (("合计", "总计"), ("基本支出",), ("项目支出",)),
    "budget.fiscal_summary": (("收入",), ("支出",)),
    "budget.gpb_expenditure": (("合计", "总计"), ("基本支出",), ("项目支出",)),
    "budget.gpb_basic": (("合计", "总计"), ("人员经费",), ("公用经费",)),
    "budget.gpb_project": (("合计", "总计", "金额", "项目支出"),),
    "budget.sangong": (("合计", "预算", "决算", "一般公共预算"),),
}
AMOUNT_KINDS = tuple(k for k in REQUIRED_COLUMNS)
CODE_PATTERN = r"^\d{3}(\d{2}){0,2}$"

_cache: dict[str, Any] = {}


def cell_schema():
    """Value cells are numbers (or blank), budget amounts are not negative, codes are 3/5/7 digits."""
    if "cells" in _cache:
        return _cache["cells"]
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {
            "table_id": pa.Column(str),
            "row": pa.Column(int),
            "col": pa.Column(int),
            "value": pa.Column(float, nullable=True),
            "code": pa.Column(str, nullable=True, checks=pa.Check.str_matches(CODE_PATTERN), required=True),
            "negative_ok": pa.Column(bool),
        },
        checks=[
            pa.Check(lambda df: df["value"].isna() | (df["value"] >= 0) | df["negative_ok"], name="non_negative_amount"),
            pa.Check(
                lambda df: (df["role"] != "value") | df["blank"] | df["value"].notna(), name="amount_is_number",
            ),
        ],
        coerce=False,
        strict=False,
    )
    _cache["cells"] = schema
    return schema


def _missing_columns(header: str, kind: str) -> str:
    """The required column groups of ``kind`` that no header label mentions ('' when complete)."""
    missing = [" / ".join(words) for words in REQUIRED_COLUMNS.get(kind, ()) if not any(w in header for w in words)]
    return "；".join(missing)


def table_schema():
    """One schema for the table-level frame of every kind: amount and label columns present, required columns found."""
    if "tables" in _cache:
        return _cache["tables"]
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {"table_id": pa.Column(str), "n_rows": pa.Column(int), "missing": pa.Column(str)},
        checks=[
            pa.Check(lambda df: df["n_value_cols"] >= 1, name="has_amount_columns"),
            pa.Check(lambda df: df["n_label_cols"] >= 1, name="has_label_column"),
            pa.Check(lambda df: df["missing"] == "", name="has_column"),
        ],
        strict=False,
    )
    _cache["tables"] = schema
    return schema


SHAPE_MSG = {
    "non_negative_amount": Msg("金额为负数：{raw}（预算表中的金额一般不应为负）", "negative amount {raw} in a budget table"),
    "amount_is_number": Msg("金额栏内容不是数字：「{raw}」", "amount cell is not a number: {raw!r}"),
    "str_matches": Msg("科目编码「{raw}」不是 3/5/7 位数字", "classification code {raw!r} is not 3, 5 or 7 digits"),
    "has_amount_columns": Msg("表格没有可识别的金额栏", "no amount column recognised"),
    "has_label_column": Msg("表格没有可识别的项目/科目名称栏", "no row-label column recognised"),
    "has_column": Msg("表格缺少应有的栏目：{words}", "expected column missing: {words}"),
}


def validate_documents(docs: Sequence[Document], ctx: Context) -> list[Finding]:
    """Validate every table of the amount kinds, one schema call per kind and frame."""
    from .findings import build_finding
    from .frames import stacked_cells, stacked_tables
    return _validate(docs, ctx, build_finding, stacked_cells, stacked_tables)


def _validate(docs, ctx, build_finding, stacked_cells, stacked_tables) -> list[Finding]:
    import pandera.errors as pe

    from .rules.loading import TableShape

    rule = TableShape()
    by_kind: dict[str, list[tuple[Document, Table]]] = defaultdict(list)
    lookup: dict[str, tuple[Document, Table]] = {}
    for d in docs:
        for t in d.tables:
            if t.kind in AMOUNT_KINDS and t.rows:
                by_kind[t.kind].append((d, t))
                lookup[f"{d.path}#{t.index}"] = (d, t)
    out: list[Finding] = []
    all_items = [it for items in by_kind.values() for it in items]
    if not all_items:
        return out
    cells = stacked_cells(all_items)
    try:
        cell_schema().validate(cells, lazy=True)
    except pe.SchemaErrors as err:
        out.extend(_cell_failures(err.failure_cases, cells, lookup, rule, ctx, build_finding))
    frame = stacked_tables(all_items)
    frame["missing"] = [_missing_columns(h, k) for h, k in zip(frame["header"], frame["kind"])]
    try:
        table_schema().validate(frame, lazy=True)
    except pe.SchemaErrors as err:
        for _, f in err.failure_cases.iterrows():
            idx = f.get("index")
            if idx is None or idx != idx:  # NaN: a schema-wide failure
                continue
            rec = frame.loc[int(idx)]
            doc, table = lookup[rec["table_id"]]
            name = str(f.get("check"))
            if name == "has_column":
                for words in rec["missing"].split("；"):
                    out.append(build_finding(rule, doc, table, SHAPE_MSG["has_column"], ctx.lang, fmt={"words": words}))
            else:
                out.append(build_finding(rule, doc, table, SHAPE_MSG.get(name, SHAPE_MSG["has_column"]), ctx.lang, fmt={"words": ""}))
    return out


def _cell_failures(fc, cells, lookup, rule, ctx, build_finding) -> list[Finding]:
    out = []
    seen = set()
    for _, f in fc.iterrows():
        idx = f.get("index")
        if idx is None or idx != idx:
            continue
        check = str(f.get("check"))
        name = "str_matches" if check.startswith("str_matches") else check
        rec = cells.loc[int(idx)]
        if (int(idx), name) in seen:
            continue
        seen.add((int(idx), name))
        doc, table = lookup[rec["table_id"]]
        cell = table.rows[int(rec["row"])].cells[int(rec["col"])]
        out.append(build_finding(rule, doc, cell, SHAPE_MSG.get(name, SHAPE_MSG["amount_is_number"]), ctx.lang, fmt={"raw": cell.raw.strip()}))
    return out
