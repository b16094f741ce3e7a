"""Turning identities and located cells into findings.

Locations and labels are read from the model here, once, so no rule formats a
location by hand.  :func:`evaluate_identities` judges every identity of a
document in one vectorised pass (see :mod:`budgetlint.rounding`).
"""

from __future__ import annotations

import bisect
from decimal import Decimal
from typing import Any, Iterable, Sequence


from . import rounding
from .model import Cell, Document, Finding, Paragraph, Table
from .numbers import format_amount, to_float
from .identity import BulkIdentity, Identity, Msg, Ratio, Term


def _fmt_num(v: Any) -> str:
    """Numbers as a finance officer writes them: thousands separators, the printed decimals kept."""
    if isinstance(v, (Decimal, float, int)) and not isinstance(v, bool):
        return format_amount(v)
    return "—" if v is None else str(v)


def _quantize(d: Decimal, decimals: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-decimals)) if 0 <= decimals <= 6 else d


def cell_table(doc: Document, cell: Cell) -> Table | None:
    if 0 <= cell.table < len(doc.tables):
        return doc.tables[cell.table]
    return None


def row_label(table: Table, cell: Cell) -> str:
    """The label of the cell's row, taken from the label column the cell belongs to."""
    if not (0 <= cell.row < len(table.rows)):
        return ""
    named = table.meta.get("row_names", {}).get(cell.row)
    if named:  # a form's indicator row goes by its indicator's name, not by the category printed first
        return named
    row = table.rows[cell.row]
    col = table.columns[cell.col] if 0 <= cell.col < len(table.columns) else None
    if col is not None and col.label_col is not None and col.label_col != cell.col:
        lab = row.cells[col.label_col].text if col.label_col < len(row.cells) else ""
        if lab:
            return lab
    return row.label


def _caption_rows(table: Table) -> list[int]:
    """Rows of a form that print its indicator captions (一级指标 | … or 指标名称 | …), found once per table."""
    found = table.meta.get("_caption_rows")
    if found is None:
        found = [r for r, row in enumerate(table.rows) if any("一级指标" in c.text or "指标名称" in c.text for c in row.cells)]
        table.meta["_caption_rows"] = found
    return found


def column_label(table: Table, cell: Cell) -> str:
    """The column's header path; in forms without a header tree, the caption the cell sits under or beside."""
    j = table.meta.get("read_as", {}).get((cell.row, cell.col), cell.col)  # a moved cell: the column it was read as
    if not (0 <= j < len(table.columns)):
        return ""
    col = table.columns[j]
    captions = next((c for start, end, c in reversed(table.meta.get("form_captions", ())) if start <= cell.row < end), None)
    if captions is not None and j < len(captions) and captions[j]:  # a form whose captions are printed inside the grid
        return captions[j]
    if col.path or not (0 <= cell.row < len(table.rows)):
        return col.label
    rows = table.rows
    above = [r for r in _caption_rows(table) if r <= cell.row]
    if above:  # the nearest header row at or above (一级指标 | 二级指标 | … | 指标分值权重)
        head = rows[above[-1]].cells
        if j < len(head) and head[j].text and head[j].value is None:
            return head[j].text
    for c in range(cell.col - 1, -1, -1):  # else the caption to the left in the same row (年度预算总额 | 160.00)
        left = rows[cell.row].cells[c]
        if left.text and left.value is None and not left.blank:
            return left.text
    return col.label


def cell_label(doc: Document, cell: Cell, override: str | None = None) -> str:
    if override:
        return override
    t = cell_table(doc, cell)
    if t is None:
        return cell.text
    rl, cl = row_label(t, cell), column_label(t, cell)
    return f"{rl} · {cl}" if rl and cl else (rl or cl)


def term_json(doc: Document, term: Term | Cell) -> dict[str, Any]:
    t = term if isinstance(term, Term) else Term(term)
    c = t.cell
    tab = cell_table(doc, c)
    out: dict[str, Any] = {
        "label": cell_label(doc, c, t.label),
        "value": to_float(c.value),
        "line": c.loc.line,
        "sheet": c.loc.sheet,
        "cell": c.loc.cell,
        "page": c.loc.page,
        "sign": t.sign,
        "table": tab.index if tab is not None else None,
        "row": c.row if tab is not None else None,
        "column": c.col if tab is not None else None,
        "raw": c.raw,
    }
    if c.loc.paragraph is not None:
        out["paragraph"] = c.loc.paragraph
    if c.loc.path and c.loc.path in doc.meta.get("companions", ()):
        out["path"] = c.loc.path  # documents read from companion files: each term names its file
    return out


def _format(msg: Msg, lang: str, fmt: dict[str, Any]) -> str:
    text = msg.get(lang)
    if not fmt:
        return text
    safe = {k: (_fmt_num(v) if isinstance(v, (Decimal, float, int)) and not isinstance(v, bool) else v) for k, v in fmt.items()}
    try:
        return text.format(**safe)
    except (KeyError, IndexError, ValueError):
        return text


def build_finding(
    rule: Any,  # the Rule (its code, name and severity are read)
    doc: Document,
    at: Cell | Table | Paragraph | None,
    message: Msg,
    lang: str,
    *,
    severity: str | None = None,
    table: Table | None = None,
    expected: Any = None,
    actual: Any = None,
    difference: Any = None,
    tolerance: Any = None,
    terms: Iterable[Term | Cell] = (),
    fmt: dict[str, Any] | None = None,
) -> Finding:
    f = Finding(
        code=rule.code,
        name=rule.name,
        severity=severity or rule.severity,
        message=_format(message, lang, dict(fmt or {}, expected=expected, actual=actual, difference=difference, tolerance=tolerance)),
        path=doc.path,
        expected=_num(expected),
        actual=_num(actual),
        difference=_num(difference),
        tolerance=_num(tolerance),
        terms=[term_json(doc, t) for t in terms],
    )
    f.exact = {k: v for k, v in (("expected", expected), ("actual", actual), ("difference", difference), ("tolerance", tolerance))
               if isinstance(v, Decimal)}
    shown = [-x.as_tuple().exponent for x in (expected, actual, difference) if isinstance(x, Decimal) and x.is_finite()]
    if shown:
        f.extra["decimals"] = max(0, max(shown))  # the printed decimals, so reporters show 27.00, not 27.0
    _note_invisible(f, at, terms, lang)
    tab = table
    if isinstance(at, Cell):
        tab = tab or cell_table(doc, at)
        loc = at.loc
        if tab is not None and at.row >= 0:
            row = tab.rows[at.row] if at.row < len(tab.rows) else None
            f.row = {"index": at.row, "label": row_label(tab, at), "code": row.code if row else None}
            f.column = {"index": at.col, "label": column_label(tab, at)}
        elif not f.terms:
            f.extra["text"] = at.raw
    elif isinstance(at, Table):
        tab = at
        loc = at.loc
    elif isinstance(at, Paragraph):
        loc = at.loc
        f.extra["paragraph"] = at.loc.paragraph if at.loc.paragraph is not None else at.index
    else:
        loc = None
    if tab is not None:
        f.table = tab.describe()
    if loc is not None:
        if loc.path and loc.path != f.path and loc.path in doc.meta.get("companions", ()):
            f.path = loc.path  # a document read from companion files: the file this cell is in
        f.line, f.sheet, f.cell, f.page = loc.line, loc.sheet, loc.cell, loc.page
        if loc.paragraph is not None:
            f.extra.setdefault("paragraph", loc.paragraph)
    return f


def _num(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    return v


GENERIC_FAIL = Msg(
    "{what}：应为 {expected}，实为 {actual}，相差 {difference}（允许舍入误差 {tolerance}）",
    "{what}: expected {expected}, found {actual}, difference {difference} (rounding tolerance {tolerance})",
)
GENERIC_ROUNDING = Msg(
    "{what}：相差 {difference}，在舍入误差 {tolerance} 以内",
    "{what}: differs by {difference}, within the rounding tolerance {tolerance}",
)
UNFILLED = Msg(
    "{what}：合计栏为空，但各项之和为 {expected}（未填写？）",
    "{what}: the total is blank but its terms add up to {expected} (left unfilled?)",
)
UNFILLED_TERMS = Msg(
    "{what}：合计为 {actual}，但各组成项均为空（未填写？）",
    "{what}: the total is {actual} but all its terms are blank (left unfilled?)",
)
_REL_TEXT = {"=": ("等于", "equal to"), ">=": ("不小于", "at least"), "<=": ("不大于", "at most")}


def evaluate_identities(doc: Document, identities: Sequence[Identity | BulkIdentity | Ratio], lang: str, show_rounding: bool = False,
                        tally: dict[tuple[int, str], int] | None = None) -> list[Finding]:
    """Judge every identity of a document at once and build findings for the failures.

    Plain identities are judged together in one array pass, the instances of
    the bulk identities of each table in another, ratios one by one — all by
    :mod:`budgetlint.rounding`.  With ``show_rounding`` the identities that
    hold only thanks to rounding become ``info`` findings.  ``tally`` receives,
    per (table index, structure), how many instances with a value the bulk
    identities of rules with a ``confirms`` structure judged.
    """
    plain = [i for i in identities if type(i) is Identity]
    bulk = [i for i in identities if type(i) is BulkIdentity]
    ratios = [i for i in identities if type(i) is Ratio]
    out = _evaluate_plain(doc, plain, lang, show_rounding)
    if bulk:
        out.extend(_evaluate_bulk(doc, bulk, lang, show_rounding, tally))
    for r in ratios:
        f = _ratio_finding(doc, r, lang, show_rounding)
        if f is not None:
            out.append(f)
    return out


def _evaluate_plain(doc: Document, identities: Sequence[Identity], lang: str, show_rounding: bool) -> list[Finding]:
    import numpy as np
    n = len(identities)
    if n == 0:
        return []
    totals = np.zeros(n, dtype=np.int64)
    tslack = np.zeros(n, dtype=np.int64)
    starts = np.zeros(n, dtype=np.int64)
    vals: list[int] = []
    slacks: list[int] = []
    for i, ident in enumerate(identities):
        starts[i] = len(vals)
        if ident.total is not None:
            q, s = rounding.cell_doubled(ident.total)
            totals[i] = q
            tslack[i] = 0 if ident.exact else s
        else:
            unit = ident.terms[0].cell.unit if ident.terms else None
            totals[i] = rounding.doubled(ident.constant or Decimal(0), unit)
        for term in ident.terms:
            q, s = rounding.cell_doubled(term.cell)
            vals.append(q * term.sign)
            slacks.append(0 if ident.exact else s)
    v = np.asarray(vals, dtype=np.int64)
    sl = np.asarray(slacks, dtype=np.int64)
    sums = rounding.segment_sums(v, starts, n)
    term_slack = rounding.segment_sums(sl, starts, n)
    judgements = rounding.judge(totals.tolist(), tslack.tolist(), sums.tolist(), term_slack.tolist(), [i.relation for i in identities])
    out: list[Finding] = []
    for ident, j in zip(identities, judgements):
        if j.ok and not (show_rounding and j.diff2 != 0):
            continue
        out.append(_identity_finding(doc, ident, j, lang))
    return out


def _evaluate_bulk(doc: Document, bulk: Sequence[BulkIdentity], lang: str, show_rounding: bool,
                   tally: dict[tuple[int, str], int] | None) -> list[Finding]:
    """The instances of the bulk identities, one array pass per table; findings for those to report."""
    import numpy as np

    by_table: dict[int, list[BulkIdentity]] = {}
    for b in bulk:
        if b.total_rows:
            by_table.setdefault(id(b.table), []).append(b)
    out: list[Finding] = []
    for group in by_table.values():
        table = group[0].table
        sizes = [len(b.total_rows) for b in group]
        starts = [0] * len(group)
        n = 0
        inst: list[int] = []
        rows: list[int] = []
        cols: list[int] = []
        signs: list[int] = []
        total_rows: list[int] = []
        total_cols: list[int] = []
        for k, (b, size) in enumerate(zip(group, sizes)):
            starts[k] = n
            ids = range(n, n + size)
            total_rows.extend(b.total_rows)
            total_cols.extend(b.total_cols)
            for sign, r, c in b.terms:
                inst.extend(ids)
                rows.extend(r)
                cols.extend(c)
                signs.extend([sign] * size)
            n += size
        # the terms of each instance together, as the segment sums need them
        order = np.argsort(np.asarray(inst, dtype=np.intp), kind="stable")
        inst_a, rows_a, cols_a, signs_a = (np.asarray(x, dtype=np.intp)[order] for x in (inst, rows, cols, signs))
        total, sums, slack, filled = rounding.bulk_sums(rounding.table_matrix(table), total_rows, total_cols,
                                                        inst_a, rows_a, cols_a, signs_a, n)
        relations = np.repeat(np.asarray([b.relation for b in group]), sizes)
        diff = total - sums
        ok = rounding.holds(diff, slack, relations)
        report = (~ok | ((diff != 0) if show_rounding else False)) & filled
        if tally is not None:
            counted = np.add.reduceat(filled.astype(np.int64), starts).tolist()
            for b, c in zip(group, counted):
                structure = getattr(b.rule, "confirms", None)
                if structure:
                    key = (table.index, structure)
                    tally[key] = tally.get(key, 0) + c
        for i in np.flatnonzero(report).tolist():
            k = bisect.bisect_right(starts, i) - 1
            ident = group[k].explain(i - starts[k])
            if ident is None:
                continue
            j = rounding.Judgement(bool(ok[i]), int(total[i]), int(sums[i]), int(slack[i]))
            out.append(_identity_finding(doc, ident, j, lang))
    return out


RATIO_ROUNDING = Msg(
    "{what}：比率 {actual}% 与按金额计算的 {expected}% 不同，在舍入误差以内",
    "{what}: the ratio {actual}% differs from the {expected}% its amounts give, within rounding",
)


def _ratio_finding(doc: Document, r: Ratio, lang: str, show_rounding: bool) -> Finding | None:
    """A ratio that does not hold (or, with ``show_rounding``, holds only within rounding) as a finding."""
    j = rounding.judge_ratio(r.ratio, [(t.sign, t.cell) for t in r.numerator], [(t.sign, t.cell) for t in r.denominator],
                             r.scale, r.magnitudes)
    if not j.defined:
        return None
    anchor = r.anchor or r.ratio
    if j.ok:
        if not show_rounding or j.expected == j.actual:
            return None
        msg = r.rounding_message or RATIO_ROUNDING
        return build_finding(r.rule, doc, anchor, msg, lang, severity="info", expected=j.expected, actual=j.actual,
                             difference=j.actual - j.expected, terms=r.terms, fmt={"what": "", **r.extra})
    return build_finding(r.rule, doc, anchor, r.message, lang, severity=r.severity, expected=j.expected, actual=j.actual,
                         difference=j.actual - j.expected, terms=r.terms, fmt=dict(r.extra))


SKIPPED_TEXT = Msg(
    "；合计单元格的公式 {formula} 没有计入以文本形式存储的数字 {cells}（求和函数跳过文本），应将其转换为数字",
    "; the total's formula {formula} left out the numbers stored as text in {cells} (sum functions skip text): convert them to numbers",
)


def _skipped_text_numbers(doc: Document, total: Cell | None, terms: Sequence[Term], lang: str) -> str:
    """Why a live sum differs: its formula left out numbers stored as text among the terms."""
    skips = doc.meta.get("formula_skips")
    if not skips or total is None or not total.loc.sheet or not total.loc.cell:
        return ""
    hit = skips.get(total.loc.sheet, {}).get(total.loc.cell)
    if not hit:
        return ""
    formula, skipped = hit
    mine = [t.cell.loc.cell for t in terms if t.cell.loc.sheet == total.loc.sheet and t.cell.loc.cell in skipped]
    if not mine:
        return ""
    shown = "、".join(mine[:6]) if lang != "en" else ", ".join(mine[:6])
    if len(mine) > 6:
        shown += "…"
    return SKIPPED_TEXT.get(lang).format(formula=formula, cells=shown)


def _note_invisible(f: Finding, at: Any, terms: Iterable[Term | Cell], lang: str) -> None:
    """Say so when a cell of the finding held invisible characters (removed before its number was read)."""
    from .numbers import INVISIBLE_RE, invisible_chars

    cells = ([at] if isinstance(at, Cell) else []) + [t.cell if isinstance(t, Term) else t for t in terms]
    held = [(c, invisible_chars(c.raw)) for c in cells if isinstance(c, Cell) and c.raw and not c.raw.isprintable()]
    held = [(c, names) for c, names in held if names]
    if not held:
        return
    def ref(c: Cell) -> str:
        loc = c.loc
        if loc.sheet or loc.cell:
            return f"{loc.sheet + '!' if loc.sheet else ''}{loc.cell or ''}"
        return f"L{loc.line}" if loc.line is not None else (f"p.{loc.page}" if loc.page is not None else "")

    where = ", ".join(f"{INVISIBLE_RE.sub('', c.raw).strip()[:20]} @{ref(c)}" for c, _ in held[:3])
    names = sorted({n for _, ns in held for n in ns})
    if lang == "en":
        f.message += f" (cell {where} held invisible characters {', '.join(names)}, removed before reading the number)"
    else:
        f.message += f"（单元格 {where} 含不可见字符 {'、'.join(names)}，读数前已去除）"
    f.extra["invisible_characters"] = names


def _identity_finding(doc: Document, ident: Identity, j: rounding.Judgement, lang: str) -> Finding:
    unit = ident.total.unit if ident.total is not None else (ident.terms[0].cell.unit if ident.terms else None)
    cells = ([ident.total] if ident.total is not None else []) + [t.cell for t in ident.terms]
    shown = max((c.decimals for c in cells if c.value is not None), default=0)
    expected = _quantize(rounding.from_doubled(j.sum2, unit), shown)
    actual = _quantize(rounding.from_doubled(j.total2, unit), shown)
    if ident.total is None:  # a constant total (shares = 100 %): the terms should make the constant
        expected, actual = actual, expected
    diff = actual - expected
    tol = rounding.from_doubled(j.slack2, unit).normalize()
    tol = tol if tol.as_tuple().exponent <= -shown else _quantize(tol, shown)
    what = ident.what or Msg("合计与明细之和不符", "total does not match the sum of its parts")
    severity = ident.severity or ident.rule.severity
    msg = GENERIC_FAIL
    total = ident.total
    terms_blank = all(t.cell.value is None for t in ident.terms)
    if j.ok:
        severity, msg = "info", GENERIC_ROUNDING
    elif total is not None and total.value is None and ident.relation == "=":
        severity, msg = "warning", UNFILLED
    elif total is not None and total.value is not None and terms_blank and ident.terms and ident.relation == "=":
        severity, msg = "warning", UNFILLED_TERMS
    elif ident.message is not None:
        msg = ident.message
    terms: list[Term] = list(ident.terms)
    anchor = ident.anchor or total or (ident.terms[0].cell if ident.terms else None)
    fmt = {"what": _format(what, lang, ident.extra), **ident.extra}
    f = build_finding(
        ident.rule, doc, anchor, msg, lang, severity=severity, expected=expected, actual=actual, difference=diff,
        tolerance=tol, terms=terms, fmt=fmt,
    )
    if not j.ok:
        note = _skipped_text_numbers(doc, total, ident.terms, lang)
        if note:
            f.message += note
    f.extra["relation"] = ident.relation
    if total is not None and anchor is not total:
        f.extra["total"] = term_json(doc, total)
    if ident.constant is not None:
        f.extra["constant"] = float(ident.constant)
    return f
