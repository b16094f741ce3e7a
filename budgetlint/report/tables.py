"""``budgetlint tables``: show how each table was understood, so a user can trust or correct the loader."""

from __future__ import annotations

import json
from typing import IO, Any, Sequence

from ..model import Document, Table


def _where(loc) -> str:
    if loc.sheet or loc.cell:
        return f"{loc.sheet + '!' if loc.sheet else ''}{loc.cell or ''}"
    if loc.line is not None:
        return f"L{loc.line}"
    return f"p.{loc.page}" if loc.page is not None else (f"¶{loc.paragraph}" if loc.paragraph is not None else "")


def _where_json(v: dict) -> str:
    if v.get("sheet") or v.get("cell"):
        return f"{v['sheet'] + '!' if v.get('sheet') else ''}{v.get('cell') or ''}"
    return f"L{v['line']}" if v.get("line") is not None else (f"p.{v['page']}" if v.get("page") is not None else "")


def table_summary(t: Table, max_values: int = 6) -> dict[str, Any]:
    values = []
    for row in t.rows:
        for cell in row.cells:
            if cell.value is not None and len(values) < max_values and t.columns[cell.col].role == "value":
                values.append({
                    "row": row.label or row.code, "column": t.columns[cell.col].label, "raw": cell.raw,
                    "value": float(cell.value), "decimals": cell.decimals, "unit": cell.unit,
                    "line": cell.loc.line, "sheet": cell.loc.sheet, "cell": cell.loc.cell, "page": cell.loc.page,
                })
    return {
        "index": t.index,
        "number": t.number,
        "title": t.title,
        "kind": t.kind,
        "unit": t.unit,
        "issuer": t.issuer,
        "location": t.loc.describe(),
        "parts": t.meta.get("parts", 1),
        "columns": [{"index": c.index, "path": list(c.path), "number": c.number, "role": c.role} for c in t.columns],
        "rows": [{"index": r.index, "code": r.code, "label": r.label, "kind": r.kind, "line": r.loc.line} for r in t.rows],
        "values": values,
        "notes": [p.text for p in t.notes],
        "column_sums": _column_sums(t),
        "row_readings": _row_readings(t),
        "spanning_rows": [dict(r, blocks=list(r["blocks"])) for r in t.meta.get("spanning_rows", [])],
        "not_understood": t.meta.get("not_understood"),
        "form": _form_reading(t),
    }


def _form_reading(t: Table) -> dict[str, Any] | None:
    """What a performance form was read as: its funds, its indicator columns and tree (None for other tables)."""
    if not t.kind.startswith("perf."):
        return None
    from ..numbers import parse_number
    from ..understand.forms import TARGET_KINDS, parse_target_table
    from ..understand.scoring import parse_scoring_table

    def raw(cell) -> str | None:
        """The number as printed; a weight read from a label (A 部门决策 (15 分)) as its value."""
        if cell is None:
            return None
        if cell.value is not None and parse_number(cell.raw).value != cell.value:
            return format(cell.value, "f")
        return cell.raw.strip()

    if t.kind in TARGET_KINDS:
        pt = parse_target_table(t)
        return {
            "unit": pt.unit_name, "project": pt.project_name,
            "funds": {"total": raw(pt.funds.total), "fiscal": raw(pt.funds.fiscal), "other": raw(pt.funds.other)},
            "plan": [s.raw for s in pt.plan], "goal": pt.goal[:60] or None,
            "columns": pt.columns, "indicators": len(pt.indicators),
        }
    tree = parse_scoring_table(t)
    if tree is None:
        return {"tree": None}
    ex = tree.execution

    def leaves(n) -> int:
        return sum(leaves(k) for k in n.children) if n.children else 1

    return {
        "execution": None if ex is None else {
            "columns": ex.columns, "total": ex.total_label,
            **{k: raw(ex.cell(ex.total, k)) for k in ("budget", "executed", "rate", "weight", "score")},
            "sources": [label for label, _ in ex.parts],
        },
        "roots": [{"label": r.label, "weight": raw(r.weight), "score": raw(r.score), "indicators": leaves(r)} for r in tree.roots],
        "total_weight": raw(tree.total_weight), "total_score": raw(tree.total_score),
    }


def _row_readings(t: Table) -> list[dict[str, Any]]:
    """Per side: its label column, amount columns and the row hierarchy the numbers confirmed."""
    if t.kind.startswith("perf.") or not t.rows:
        return []
    from ..understand.structure import row_trees

    out = []
    for tree in row_trees(t):
        kinds: dict[str, int] = {}
        for n in tree.nodes:
            key = "indent" if (n.style or "").startswith("indent") else n.kind
            kinds[key] = kinds.get(key, 0) + 1
        reading = next((r for r in t.meta.get("row_readings", []) if r["side"] == tree.side.index), None)
        out.append({"side": tree.side.index, "label_col": tree.side.label_col, "value_cols": list(tree.side.value_cols),
                    "rows": kinds, "reading": reading})
    return out


def _column_sums(t: Table) -> list[dict[str, Any]]:
    """The column identities understanding settled on, and which reading the numbers chose where the header's failed."""
    if t.kind.startswith("perf.") or not t.rows:
        return []
    from ..understand.structure import column_sums

    sums = column_sums(t)
    chosen = {c: v for v in t.meta.get("column_vote", []) for c, _ in v["sums"]}
    return [{
        "total": cs.total, "terms": [sign * col for sign, col in cs.terms] if cs.relation == "=" else [col for _, col in cs.terms],
        "relation": cs.relation, "source": cs.source,
        "reading": chosen[cs.total]["reading"] if cs.total in chosen else "header",
    } for cs in sums]


def render_tables(docs: Sequence[Document], out: IO[str], max_values: int = 6, fmt: str = "text") -> None:
    if fmt == "json":
        json.dump(
            [{"path": d.path, "format": d.format, "error": d.error, "tables": [table_summary(t, max_values) for t in d.tables]} for d in docs],
            out, ensure_ascii=False, indent=2,
        )
        out.write("\n")
        return
    from ._common import terminal_safe

    raw_write = out.write

    class _Safe:  # cell text never writes escape sequences to the terminal
        @staticmethod
        def write(text: str) -> None:
            raw_write(terminal_safe(text))

    out = _Safe()  # type: ignore[assignment]
    for d in docs:
        out.write(f"{d.path} ({d.format}): {len(d.tables)} tables\n")
        if d.error:
            out.write(f"  ERROR: {d.error}\n")
        for t in d.tables:
            s = table_summary(t, max_values)
            out.write(f"  [{t.index}] {t.number or ''} {t.title or '(untitled)'}  kind={t.kind} unit={t.unit} at {s['location']}"
                      f"{'  parts=' + str(s['parts']) if s['parts'] > 1 else ''}\n")
            if t.issuer:
                out.write(f"      编制单位: {t.issuer}\n")
            for c in t.columns:
                if c.path or c.role != "text":
                    out.write(f"      col {c.index:2d} {c.role:7s} {' > '.join(c.path)}{'  (栏' + c.number + ')' if c.number else ''}\n")
            for cs in s["column_sums"]:
                terms = " + ".join(f"col {c}" for c in cs["terms"])
                out.write(f"      sum col {cs['total']} {cs['relation']} {terms}  ({cs['reading']})\n")
            if len(s["row_readings"]) > 1 or any(r["reading"] for r in s["row_readings"]):
                for r in s["row_readings"]:
                    how = ", ".join(f"{k} {v}" for k, v in sorted(r["rows"].items()))
                    extra = ""
                    if r["reading"]:
                        rd = r["reading"]
                        extra = f"; {rd['reading']}: {rd['held']}/{rd['tried']} sums held, {'kept' if rd['kept'] else 'not kept'}"
                    out.write(f"      side {r['side']}: label col {r['label_col']}, amounts {r['value_cols']} — rows: {how}{extra}\n")
            for sp in s["spanning_rows"]:
                out.write(f"      row {sp['row']} 「{sp['label']}」 spans blocks {sp['blocks'][0]}–{sp['blocks'][1]} (amount in col {sp['value_col']})\n")
            if s["not_understood"]:
                out.write(f"      not understood: {s['not_understood']}\n")
            _write_form(out, s["form"])
            shown = t.rows[:8]
            for r in shown:
                out.write(f"      row {r.index:3d} {_where(r.loc):8s} {r.code or '':8s} {r.label[:40]}{'  [' + r.kind + ']' if r.kind != 'data' else ''}\n")
            if len(t.rows) > len(shown):
                out.write(f"      … {len(t.rows) - len(shown)} more rows\n")
            for v in s["values"]:
                out.write(f"      value {v['row']!s:.20} | {v['column']:.30} = {v['raw']} ({_where_json(v)})\n")
            for n in s["notes"][:1]:
                out.write(f"      note: {n[:80]}\n")


def _write_form(out: Any, form: dict[str, Any] | None) -> None:
    if form is None:
        return
    if "indicators" in form:
        f = form["funds"]
        out.write(f"      form: unit {form['unit'] or '—'}; project {form['project'] or '—'}; funds total {f['total'] or '—'}"
                  f" = fiscal {f['fiscal'] or '—'} + other {f['other'] or '—'}; {form['indicators']} indicators;"
                  f" columns {', '.join(f'{k} {v}' for k, v in form['columns'].items()) or 'not found'}\n")
        return
    if form.get("tree") is None and "roots" not in form:
        out.write("      form: no indicator tree found\n")
        return
    ex = form["execution"]
    if ex is not None:
        out.write(f"      form: {ex['total'] or '资金总额'} budget {ex['budget']} executed {ex['executed']} rate {ex['rate']}"
                  f" points {ex['weight']} score {ex['score']}; sources: {', '.join(ex['sources']) or '—'}\n")
    roots = "; ".join(f"{r['label']} {r['weight'] or '·'}/{r['score'] or '·'} ({r['indicators']})" for r in form["roots"])
    out.write(f"      tree: {roots}; total {form['total_weight'] or '—'}/{form['total_score'] or '—'}\n")
