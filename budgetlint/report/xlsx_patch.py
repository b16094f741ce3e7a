"""Marks, comments and a summary sheet written into a copy of an xlsx package.

:func:`annotate_package` edits only

- ``xl/styles.xml``: new fills, and new cell formats that copy a marked
  cell's own format (font, border, number format, alignment) with that fill;
- the worksheets that hold marked cells: the ``s`` attribute of those cells
  (cells that were not in the file are added), a ``legacyDrawing`` reference;
- comment parts (``xl/commentsN.xml`` and a VML drawing, or the sheet's own
  when it already has comments), their relationships and content types;
- ``xl/workbook.xml``: the summary sheet is added last and opened first;

and copies every other part of the package byte for byte.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Iterable, Sequence
from xml.etree import ElementTree as ET

from .ooxml import (
    CT_COMMENTS, CT_VML, CT_WORKSHEET, MAIN, REL, T_COMMENTS, T_STYLES, T_VML, T_WORKSHEET, XML_NS, Package, PackageError,
    Part, add_children_in_order, col_letters, q, split_ref,
)

AUTHOR = "budgetlint"

# CT_Worksheet's child order (ECMA-376 Part 1, §18.3.1.99)
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
    "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
    "extLst",
)
STYLES_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
                "colors", "extLst")


# --------------------------------------------------------------------------- styles


class Styles:
    """The workbook's stylesheet, extended with the formats the marks need."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        wb = pkg.workbook_part()
        self.path = next((t for _, rt, t, _ in pkg.relationships(wb) if rt == T_STYLES), None)
        if self.path is None or not pkg.has(self.path):
            self.path = "xl/styles.xml"
            root = ET.Element(q("styleSheet"))
            pkg.put(self.path, Part(root, {"": MAIN}))
            pkg.add_relationship(wb, T_STYLES, self.path)
            pkg.content_type(self.path, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        self.part = pkg.xml(self.path)
        root = self.part.root
        self.fonts = self._section("fonts", lambda: ET.Element(q("font")))
        self.fills = self._section("fills", None)
        if len(self.fills) == 0:  # Excel expects the two reserved fills first
            for pattern in ("none", "gray125"):
                ET.SubElement(ET.SubElement(self.fills, q("fill")), q("patternFill"), {"patternType": pattern})
        self._section("borders", lambda: ET.Element(q("border")))
        self._section("cellStyleXfs", lambda: ET.Element(q("xf"), {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"}))
        self.xfs = self._section("cellXfs", lambda: ET.Element(q("xf"), {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"}))
        self.numfmts = root.find(q("numFmts"))
        self._fill_ids: dict[str, int] = {}
        self._xf_ids: dict[tuple, int] = {}
        self._font_ids: dict[tuple, int] = {}

    def _section(self, name: str, first: Any) -> ET.Element:
        el = self.part.root.find(q(name))
        if el is None:
            el = ET.Element(q(name))
            add_children_in_order(self.part.root, el, STYLES_ORDER)
            if first is not None:
                el.append(first())
            self._count(el)
            self.pkg.touch(self.path)
        return el

    def _count(self, el: ET.Element) -> None:
        el.set("count", str(len(el)))
        self.pkg.touch(self.path)

    def fill(self, rgb: str) -> int:
        if rgb not in self._fill_ids:
            fill = ET.SubElement(self.fills, q("fill"))
            pf = ET.SubElement(fill, q("patternFill"), {"patternType": "solid"})
            ET.SubElement(pf, q("fgColor"), {"rgb": "FF" + rgb})
            ET.SubElement(pf, q("bgColor"), {"indexed": "64"})
            self._count(self.fills)
            self._fill_ids[rgb] = len(self.fills) - 1
        return self._fill_ids[rgb]

    def font(self, bold: bool = False, color: str | None = None, underline: bool = False, size: str | None = None) -> int:
        key = (bold, color, underline, size)
        if key not in self._font_ids:
            base = copy.deepcopy(self.fonts[0]) if len(self.fonts) else ET.Element(q("font"))
            for child in list(base):
                if child.tag in (q("b"), q("u"), q("color")) or (size and child.tag == q("sz")):
                    base.remove(child)
            extra = []
            if bold:
                extra.append(ET.Element(q("b")))
            if underline:
                extra.append(ET.Element(q("u")))
            if size:
                extra.append(ET.Element(q("sz"), {"val": size}))
            if color:
                extra.append(ET.Element(q("color"), {"rgb": "FF" + color}))
            for i, el in enumerate(extra):  # CT_Font is a choice list: order does not matter, keep ours first
                base.insert(i, el)
            self.fonts.append(base)
            self._count(self.fonts)
            self._font_ids[key] = len(self.fonts) - 1
        return self._font_ids[key]

    def numfmt(self, code: str) -> int:
        builtin = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
        if code in builtin:
            return builtin[code]
        if self.numfmts is None:
            self.numfmts = ET.Element(q("numFmts"))
            add_children_in_order(self.part.root, self.numfmts, STYLES_ORDER)
        for nf in self.numfmts:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId", "0"))
        used = [int(nf.get("numFmtId", "0")) for nf in self.numfmts]
        nid = max([163] + used) + 1
        ET.SubElement(self.numfmts, q("numFmt"), {"numFmtId": str(nid), "formatCode": code})
        self._count(self.numfmts)
        return nid

    def with_fill(self, base: int, rgb: str) -> int:
        """A cell format equal to format ``base`` but filled with ``rgb``."""
        key = ("fill", base, rgb)
        if key not in self._xf_ids:
            src = self.xfs[base] if 0 <= base < len(self.xfs) else self.xfs[0]
            xf = copy.deepcopy(src)
            xf.set("fillId", str(self.fill(rgb)))
            xf.set("applyFill", "1")
            self.xfs.append(xf)
            self._count(self.xfs)
            self._xf_ids[key] = len(self.xfs) - 1
        return self._xf_ids[key]

    def new_xf(self, font: int = 0, fill: str | None = None, numfmt: str | None = None, wrap: bool = False) -> int:
        """A cell format for the summary sheet."""
        key = ("new", font, fill, numfmt, wrap)
        if key not in self._xf_ids:
            attrs = {"numFmtId": str(self.numfmt(numfmt) if numfmt else 0), "fontId": str(font),
                     "fillId": str(self.fill(fill) if fill else 0), "borderId": "0", "xfId": "0"}
            if font:
                attrs["applyFont"] = "1"
            if fill:
                attrs["applyFill"] = "1"
            if numfmt:
                attrs["applyNumberFormat"] = "1"
            xf = ET.SubElement(self.xfs, q("xf"), attrs)
            if wrap:
                xf.set("applyAlignment", "1")
                ET.SubElement(xf, q("alignment"), {"vertical": "top", "wrapText": "1"})
            self._count(self.xfs)
            self._xf_ids[key] = len(self.xfs) - 1
        return self._xf_ids[key]


# --------------------------------------------------------------------------- one worksheet


class Sheet:
    """A worksheet part: its rows and cells indexed by position, edited in place."""

    def __init__(self, pkg: Package, path: str) -> None:
        self.pkg = pkg
        self.path = path
        self.part = pkg.xml(path)
        root = self.part.root
        self.data = root.find(q("sheetData"))
        if self.data is None:
            self.data = ET.Element(q("sheetData"))
            add_children_in_order(root, self.data, WORKSHEET_ORDER)
        self.rows: dict[int, ET.Element] = {}
        self.cells: dict[tuple[int, int], ET.Element] = {}
        r_no = 0
        for row in self.data.findall(q("row")):
            r_no = int(row.get("r") or r_no + 1)
            self.rows[r_no] = row
            c_no = 0
            for c in row.findall(q("c")):
                ref = c.get("r")
                c_no = split_ref(ref)[1] if ref else c_no + 1
                self.cells[(r_no, c_no)] = c
        self.merged: list[tuple[int, int, int, int]] = []
        mc = root.find(q("mergeCells"))
        for m in mc if mc is not None else []:
            ref = m.get("ref", "")
            if ":" in ref:
                (r1, c1), (r2, c2) = (split_ref(x) for x in ref.split(":", 1))
                self.merged.append((r1, c1, r2, c2))
        self.col_styles: list[tuple[int, int, int]] = []
        cols = root.find(q("cols"))
        for col in cols if cols is not None else []:
            if col.get("style"):
                self.col_styles.append((int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style", "0"))))

    def top_left(self, r: int, c: int) -> tuple[int, int]:
        for r1, c1, r2, c2 in self.merged:
            if r1 <= r <= r2 and c1 <= c <= c2:
                return r1, c1
        return r, c

    def _base_style(self, r: int, c: int) -> int:
        row = self.rows.get(r)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s", "0"))
        for lo, hi, s in self.col_styles:
            if lo <= c <= hi:
                return s
        return 0

    def cell(self, r: int, c: int) -> ET.Element:
        """The ``<c>`` element at (r, c), added (empty, with the style it showed) when absent."""
        if (r, c) in self.cells:
            return self.cells[(r, c)]
        row = self.rows.get(r)
        if row is None:
            row = ET.Element(q("row"), {"r": str(r)})
            later = [i for i, el in enumerate(self.data) if el.tag == q("row") and int(el.get("r") or 0) > r]
            self.data.insert(later[0] if later else len(self.data), row)
            self.rows[r] = row
        el = ET.Element(q("c"), {"r": f"{col_letters(c)}{r}"})
        base = self._base_style(r, c)
        if base:
            el.set("s", str(base))
        pos = len(row)
        for i, other in enumerate(row):
            if other.tag == q("c") and other.get("r") and split_ref(other.get("r"))[1] > c:
                pos = i
                break
            if other.tag != q("c"):  # extLst after the cells
                pos = i
                break
        row.insert(pos, el)
        self.cells[(r, c)] = el
        if row.get("spans"):  # spans is an optimisation hint; drop it rather than make it wrong
            del row.attrib["spans"]
        return el

    def style(self, r: int, c: int) -> int:
        el = self.cells.get((r, c))
        if el is not None and el.get("s"):
            return int(el.get("s", "0"))
        return self._base_style(r, c)


# --------------------------------------------------------------------------- comments

_SHAPETYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _shape(spid: int, r: int, c: int, lines: int) -> str:
    height = max(4, min(30, lines + 1))
    return (
        f'<v:shape id="_x0000_s{spid}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;'
        f'width:320pt;height:{height * 12}pt;z-index:{spid % 1024};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{c}, 15, {max(r - 2, 0)}, 2, {c + 6}, 15, {max(r - 2, 0) + height}, 2</x:Anchor>"
        f"<x:AutoFill>False</x:AutoFill><x:Row>{r - 1}</x:Row><x:Column>{c - 1}</x:Column></x:ClientData></v:shape>"
    )


def _vml_ids(pkg: Package) -> tuple[int, int]:
    """The highest drawing id (``o:idmap data``) and shape id in any VML part of the package."""
    data_max, spid_max = 0, 1024
    for name in sorted(pkg.names | set(pkg.added)):
        if name.lower().endswith(".vml"):
            text = pkg.read(name).decode("utf-8", "replace")
            for m in re.finditer(r'data="([\d,\s]+)"', text):
                data_max = max([data_max] + [int(x) for x in re.findall(r"\d+", m.group(1))])
            for m in re.finditer(r"_x0000_s(\d+)", text):
                spid_max = max(spid_max, int(m.group(1)))
    return data_max, spid_max


def _comment_runs(text: str) -> list[ET.Element]:
    r = ET.Element(q("r"))
    rpr = ET.SubElement(r, q("rPr"))
    ET.SubElement(rpr, q("sz"), {"val": "9"})
    t = ET.SubElement(r, q("t"), {f"{{{XML_NS}}}space": "preserve"})
    t.text = text
    return [r]


def _add_comments(pkg: Package, sheet: Sheet, notes: list[tuple[int, int, str]]) -> None:
    if not notes:
        return
    rels = pkg.relationships(sheet.path)
    comments_path = next((t for _, rt, t, _ in rels if rt == T_COMMENTS), None)
    legacy = sheet.part.root.find(q("legacyDrawing"))
    vml_path = None
    if legacy is not None:
        rid = legacy.get(q("id", REL))
        vml_path = next((t for i, _, t, _ in rels if i == rid), None)
    if comments_path is None or not pkg.has(comments_path):
        comments_path = pkg.free_name("xl/comments{}.xml")
        root = ET.Element(q("comments"))
        ET.SubElement(root, q("authors"))
        ET.SubElement(root, q("commentList"))
        pkg.put(comments_path, Part(root, {"": MAIN}))
        pkg.add_relationship(sheet.path, T_COMMENTS, comments_path)
        pkg.content_type(comments_path, CT_COMMENTS)
    cpart = pkg.xml(comments_path)
    pkg.touch(comments_path)
    authors = cpart.root.find(q("authors"))
    if authors is None:
        authors = ET.Element(q("authors"))
        cpart.root.insert(0, authors)
    names = [a.text or "" for a in authors]
    if AUTHOR not in names:
        ET.SubElement(authors, q("author")).text = AUTHOR
        names.append(AUTHOR)
    author_id = str(names.index(AUTHOR))
    clist = cpart.root.find(q("commentList"))
    if clist is None:
        clist = ET.SubElement(cpart.root, q("commentList"))
    existing = {}
    for cm in clist:
        ref = cm.get("ref")
        if ref:
            existing[split_ref(ref)] = cm
    data_max, spid = _vml_ids(pkg)
    shapes: list[str] = []
    for r, c, text in notes:
        old = existing.get((r, c))
        if old is not None:  # a reviewer's comment is kept; ours follows it
            body = old.find(q("text"))
            if body is None:
                body = ET.SubElement(old, q("text"))
            for run in _comment_runs("\n\n---\n" + text):
                body.append(run)
            continue
        cm = ET.SubElement(clist, q("comment"), {"ref": f"{col_letters(c)}{r}", "authorId": author_id})
        body = ET.SubElement(cm, q("text"))
        for run in _comment_runs(text):
            body.append(run)
        spid += 1
        shapes.append(_shape(spid, r, c, text.count("\n") + 1 + len(text) // 40))
    if not shapes:
        return
    if vml_path is not None and pkg.has(vml_path):
        vml = pkg.read(vml_path).decode("utf-8", "replace")
        add = ("" if "_x0000_t202" in vml else _SHAPETYPE) + "".join(shapes)
        end = vml.rfind("</xml>")
        if end < 0:
            raise PackageError(f"unexpected VML drawing {vml_path}")
        pkg.put(vml_path, (vml[:end] + add + vml[end:]).encode("utf-8"))
        return
    vml_path = pkg.free_name("xl/drawings/vmlDrawing{}.vml")
    vml = (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{data_max + 1}"/></o:shapelayout>'
        + _SHAPETYPE + "".join(shapes) + "</xml>"
    )
    pkg.put(vml_path, vml.encode("utf-8"))
    pkg.default_type("vml", CT_VML)
    rid = pkg.add_relationship(sheet.path, T_VML, vml_path)
    sheet.part.prefix_for(REL, "r")
    add_children_in_order(sheet.part.root, ET.Element(q("legacyDrawing"), {q("id", REL): rid}), WORKSHEET_ORDER)
    pkg.touch(sheet.path)


# --------------------------------------------------------------------------- the summary sheet

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _free_sheet_name(wanted: str, used: Iterable[str]) -> str:
    base = (_BAD_SHEET_CHARS.sub(" ", wanted).strip().strip("'") or "Sheet")[:31]
    taken = {u.lower() for u in used}
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


def _inline(r: int, c: int, text: str, s: int = 0) -> ET.Element:
    el = ET.Element(q("c"), {"r": f"{col_letters(c)}{r}", "t": "inlineStr"})
    if s:
        el.set("s", str(s))
    t = ET.SubElement(ET.SubElement(el, q("is")), q("t"))
    if text != text.strip():
        t.set(f"{{{XML_NS}}}space", "preserve")
    t.text = text
    return el


def _number(r: int, c: int, v: float | int, s: int = 0) -> ET.Element:
    el = ET.Element(q("c"), {"r": f"{col_letters(c)}{r}"})
    if s:
        el.set("s", str(s))
    ET.SubElement(el, q("v")).text = repr(v) if isinstance(v, float) else str(v)
    return el


def _summary_part(styles: Styles, spec: dict[str, Any]) -> Part:
    root = ET.Element(q("worksheet"))
    ET.SubElement(root, q("sheetPr"), {"codeName": spec["codename"]})
    views = ET.SubElement(root, q("sheetViews"))
    view = ET.SubElement(views, q("sheetView"), {"tabSelected": "1", "workbookViewId": "0"})
    ET.SubElement(view, q("pane"), {"ySplit": "2", "topLeftCell": "A3", "activePane": "bottomLeft", "state": "frozen"})
    ET.SubElement(view, q("selection"), {"pane": "bottomLeft", "activeCell": "A3", "sqref": "A3"})
    cols = ET.SubElement(root, q("cols"))
    for i, wd in enumerate(spec["widths"], start=1):
        ET.SubElement(cols, q("col"), {"min": str(i), "max": str(i), "width": str(wd), "customWidth": "1"})
    data = ET.SubElement(root, q("sheetData"))
    title_s = styles.new_xf(font=styles.font(bold=True, size="12"))
    head_s = styles.new_xf(font=styles.font(bold=True), fill="D9D9D9")
    link_s = styles.new_xf(font=styles.font(color="0563C1", underline=True))
    wrap_s = styles.new_xf(wrap=True)
    row = ET.SubElement(data, q("row"), {"r": "1"})
    row.append(_inline(1, 1, spec["title"], title_s))
    row = ET.SubElement(data, q("row"), {"r": "2"})
    for c, h in enumerate(spec["heads"], start=1):
        row.append(_inline(2, c, h, head_s))
    links = []
    for i, values in enumerate(spec["rows"]):
        r = i + 3
        row = ET.SubElement(data, q("row"), {"r": str(r)})
        for c, v in enumerate(values, start=1):
            if v is None or v == "":
                continue
            if c == 2:
                s = styles.new_xf(fill=spec["severities"][i])
            elif c == spec["link"]:
                s = link_s
                links.append((f"{col_letters(c)}{r}", v))
            elif c in spec["numbers"]:
                s = styles.new_xf(numfmt=spec["formats"][i])
            elif c == 10:
                s = wrap_s
            else:
                s = 0
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                row.append(_number(r, c, v, s))
            else:
                row.append(_inline(r, c, str(v), s))
    if not spec["rows"]:
        row = ET.SubElement(data, q("row"), {"r": "3"})
        row.append(_inline(3, 2, spec["none"]))
    if links:
        hl = ET.SubElement(root, q("hyperlinks"))
        for ref, text in links:
            sheet, coord = text.rsplit("!", 1)
            ET.SubElement(hl, q("hyperlink"), {"ref": ref, "location": f"'{sheet.replace(chr(39), chr(39) * 2)}'!{coord}", "display": text})
    ET.SubElement(root, q("pageMargins"), {"left": "0.7", "right": "0.7", "top": "0.75", "bottom": "0.75", "header": "0.3", "footer": "0.3"})
    return Part(root, {"": MAIN, "r": REL})


_TAB_SELECTED = re.compile(rb'(<(?:\w+:)?sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"')


def _add_summary(pkg: Package, styles: Styles, spec: dict[str, Any]) -> str:
    wb_path = pkg.workbook_part()
    wb = pkg.xml(wb_path)
    sheets_el = wb.root.find(q("sheets"))
    if sheets_el is None:
        raise PackageError("workbook without sheets")
    existing = pkg.sheets()
    name = _free_sheet_name(spec["name"], [s.get("name", "") for s in sheets_el])
    path = pkg.free_name("xl/worksheets/sheet{}.xml")
    pkg.put(path, _summary_part(styles, spec))
    pkg.content_type(path, CT_WORKSHEET)
    rid = pkg.add_relationship(wb_path, T_WORKSHEET, path)
    ids = [int(s.get("sheetId", "0")) for s in sheets_el]
    wb.prefix_for(REL, "r")
    ET.SubElement(sheets_el, q("sheet"), {"name": name, "sheetId": str(max(ids + [0]) + 1), q("id", REL): rid})
    views = wb.root.find(q("bookViews"))
    view = views.find(q("workbookView")) if views is not None else None
    if view is not None:  # open on the summary; the sheet that was selected no longer is
        view.set("activeTab", str(len(sheets_el) - 1))
        for _, part in existing:
            if not pkg.has(part):
                continue
            if pkg.parsed(part):
                for sv in pkg.xml(part).root.iter(q("sheetView")):
                    if sv.attrib.pop("tabSelected", None) is not None:
                        pkg.touch(part)
                continue
            data = pkg.read(part)
            m = _TAB_SELECTED.search(data, 0, 65536)
            if m:
                pkg.put(part, data[: m.start()] + m.group(1) + data[m.end():])
    pkg.touch(wb_path)
    return name


# --------------------------------------------------------------------------- all together


def annotate_package(data: bytes, marks: Sequence[tuple[str, str, str, str]], summary: dict[str, Any]) -> bytes:
    """The package ``data`` with ``marks`` — (sheet, A1, fill, comment) — and the summary sheet."""
    pkg = Package(data)
    styles = Styles(pkg)
    by_name = dict(pkg.sheets())
    edited: dict[str, Sheet] = {}
    notes: dict[str, dict[tuple[int, int], str]] = {}
    for sheet_name, coord, fill, text in marks:
        path = by_name.get(sheet_name)
        if path is None or not pkg.has(path):
            continue
        sheet = edited.get(path)
        if sheet is None:
            sheet = edited[path] = Sheet(pkg, path)
            notes[path] = {}
        try:
            r, c = sheet.top_left(*split_ref(coord))
        except ValueError:
            continue
        el = sheet.cell(r, c)
        el.set("s", str(styles.with_fill(sheet.style(r, c), fill)))
        prev = notes[path].get((r, c))
        notes[path][(r, c)] = f"{prev}\n\n{text}" if prev else text
        pkg.touch(path)
    for path, sheet in edited.items():
        _add_comments(pkg, sheet, [(r, c, t) for (r, c), t in sorted(notes[path].items())])
    _add_summary(pkg, styles, summary)
    return pkg.save()
