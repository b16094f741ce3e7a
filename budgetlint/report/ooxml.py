"""Editing an xlsx package in place: only the parts that must change are rewritten.

The annotated copy of a workbook is made by patching its Office Open XML
parts — cell styles, comments, one added sheet — and copying every other
member of the zip unchanged, so cached formula values, fonts, charts,
images, defined names and everything budgetlint does not understand survive.

XML parts are parsed with :mod:`defusedxml` when it is installed, else with
the standard library (the input has passed :func:`budgetlint.limits.check_zip`
and a DTD is refused here too).  Parts are written back by :func:`serialize`,
which keeps every namespace prefix the part declared (``mc:Ignorable`` names
prefixes that no element uses, so they must not be dropped).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Iterable
from xml.etree import ElementTree as ET

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"

T_OFFICE_DOC = REL + "/officeDocument"
T_WORKSHEET = REL + "/worksheet"
T_STYLES = REL + "/styles"
T_COMMENTS = REL + "/comments"
T_VML = REL + "/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


class PackageError(ValueError):
    """The workbook cannot be patched (a part is missing or malformed)."""


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_ref(ref: str) -> tuple[int, int]:
    """``"B10"`` → (10, 2): 1-based row and column."""
    m = _A1.match(ref.upper())
    if not m:
        raise ValueError(f"not an A1 reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


# --------------------------------------------------------------------------- XML in and out


class Part:
    """A parsed XML part and the namespace prefixes it declared."""

    def __init__(self, root: ET.Element, prefixes: dict[str, str]) -> None:
        self.root = root
        self.prefixes = prefixes  # prefix -> uri, as declared in the original ("" = default)

    def prefix_for(self, uri: str, wanted: str) -> None:
        """Make sure ``uri`` has a prefix (declared on the root when written)."""
        if uri in self.prefixes.values():
            return
        name, n = wanted, 1
        while name in self.prefixes:
            name, n = f"{wanted}{n}", n + 1
        self.prefixes[name] = uri


def parse(data: bytes) -> Part:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise PackageError("an XML part declares a DTD")
    try:
        from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - defusedxml is installed with the formats extra
        iterparse = ET.iterparse
    prefixes: dict[str, str] = {}
    root = None
    try:
        for event, item in iterparse(io.BytesIO(data), events=("start-ns", "start")):
            if event == "start-ns":
                prefix, uri = item
                if prefix not in prefixes:
                    prefixes[prefix] = uri
                elif prefixes[prefix] != uri and uri not in prefixes.values():
                    prefixes[f"{prefix}{len(prefixes)}"] = uri  # the same prefix bound twice: keep both
            elif root is None:
                root = item
    except ET.ParseError as exc:
        raise PackageError(f"malformed XML part: {exc}") from exc
    if root is None:
        raise PackageError("empty XML part")
    return Part(root, prefixes)


def _esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _esc_attr(s: str) -> str:
    return (_esc_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def serialize(part: Part) -> bytes:
    """The part as UTF-8 bytes, every declared prefix kept and declared on the root."""
    uri_prefix: dict[str, str] = {}
    for prefix, uri in part.prefixes.items():
        uri_prefix.setdefault(uri, prefix)
    uri_prefix[XML_NS] = "xml"
    extra: dict[str, str] = {}

    def name(tag: str) -> str:
        if tag[0] != "{":
            return tag
        uri, local = tag[1:].split("}", 1)
        if uri not in uri_prefix:  # never expected: invent a prefix and declare it
            p = f"ns{len(uri_prefix) + len(extra)}"
            uri_prefix[uri] = p
            extra[p] = uri
        p = uri_prefix[uri]
        return f"{p}:{local}" if p else local

    out: list[str] = []

    def write(el: ET.Element, root: bool) -> None:
        tag = name(el.tag)
        attrs = "".join(f' {name(k)}="{_esc_attr(v)}"' for k, v in el.attrib.items())
        if root:
            start = len(out)
            out.append(None)  # type: ignore[arg-type]  # filled once every prefix is known
        else:
            out.append(f"<{tag}{attrs}")
        if len(el) or el.text:
            out.append(">")
            if el.text:
                out.append(_esc_text(el.text))
            for child in el:
                write(child, False)
                if child.tail:
                    out.append(_esc_text(child.tail))
            out.append(f"</{tag}>")
        else:
            out.append("/>")
        if root:
            decls = dict(part.prefixes)
            decls.update(extra)
            ns = "".join(f' xmlns{":" + p if p else ""}="{_esc_attr(u)}"' for p, u in decls.items())
            out[start] = f"<{tag}{ns}{attrs}"

    write(part.root, True)
    return _DECL + "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- the package


def _resolve(base: str, target: str) -> str:
    """A relationship target relative to the part ``base`` → package path without a leading slash."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.split("/")[:-1]
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def rels_path(part: str) -> str:
    d, _, f = part.rpartition("/")
    return f"{d}/_rels/{f}.rels" if d else f"_rels/{f}.rels"


def _relative(from_part: str, to_part: str) -> str:
    a = from_part.split("/")[:-1]
    b = to_part.split("/")
    i = 0
    while i < len(a) and i < len(b) - 1 and a[i] == b[i]:
        i += 1
    return "/".join([".."] * (len(a) - i) + b[i:])


class Package:
    """An xlsx zip: members read on demand, edited parts replaced, new parts appended."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise PackageError(f"not a zip archive: {exc}") from exc
        self.infos = self._zip.infolist()
        self.names = {i.filename for i in self.infos}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self._parts: dict[str, Part] = {}

    def has(self, name: str) -> bool:
        return name in self.names or name in self.added

    def read(self, name: str) -> bytes:
        if name in self.added:
            return self.added[name]
        if name in self.changed:
            return self.changed[name]
        try:
            return self._zip.read(name)
        except KeyError as exc:
            raise PackageError(f"missing part {name}") from exc

    def xml(self, name: str) -> Part:
        """The parsed part (parsed once; edits on it are written by :meth:`save`)."""
        if name not in self._parts:
            self._parts[name] = parse(self.read(name))
        return self._parts[name]

    def parsed(self, name: str) -> bool:
        return name in self._parts

    def touch(self, name: str) -> None:
        """Mark a parsed part as edited."""
        self.changed.setdefault(name, b"")

    def put(self, name: str, data: bytes | Part) -> None:
        """Add a new part (or replace one wholesale)."""
        if isinstance(data, Part):
            self._parts[name] = data
            data = b""
        if name in self.names:
            self.changed[name] = data
        else:
            self.added[name] = data

    def free_name(self, pattern: str, start: int = 1) -> str:
        """The first ``pattern.format(n)`` not used in the package (case-insensitively)."""
        used = {n.lower() for n in self.names | set(self.added)}
        n = start
        while pattern.format(n).lower() in used:
            n += 1
        return pattern.format(n)

    def _bytes(self, name: str) -> bytes:
        if name in self._parts and (name in self.changed or name in self.added):
            return serialize(self._parts[name])
        return self.added.get(name) or self.changed.get(name) or b""

    def save(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                if info.filename in self.changed:
                    zi = copy.copy(info)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(zi, self._bytes(info.filename))
                else:  # byte for byte: same name, date, compression and content
                    out.writestr(info, self._zip.read(info))
            for name in self.added:
                out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), self._bytes(name), zipfile.ZIP_DEFLATED)
        return buf.getvalue()

    # ---- relationships and content types

    def rels(self, part: str) -> Part:
        rp = rels_path(part)
        if not self.has(rp):
            self.put(rp, Part(ET.Element(q("Relationships", PKG_REL)), {"": PKG_REL}))
        return self.xml(rp)

    def relationships(self, part: str) -> list[tuple[str, str, str, str]]:
        """(id, type, resolved target, mode) of every relationship of ``part``."""
        rp = rels_path(part)
        if not self.has(rp):
            return []
        out = []
        for r in self.xml(rp).root:
            mode = r.get("TargetMode", "Internal")
            target = r.get("Target", "")
            out.append((r.get("Id", ""), r.get("Type", ""), target if mode == "External" else _resolve(part, target), mode))
        return out

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> str:
        rels = self.rels(part)
        ids = {r.get("Id") for r in rels.root}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        ET.SubElement(rels.root, q("Relationship", PKG_REL), {"Id": rid, "Type": rel_type, "Target": _relative(part, target_part)})
        self.touch(rels_path(part))
        return rid

    def content_type(self, part: str, ctype: str) -> None:
        types = self.xml("[Content_Types].xml")
        for o in types.root.findall(q("Override", CT)):
            if o.get("PartName", "").lstrip("/").lower() == part.lower():
                return
        ET.SubElement(types.root, q("Override", CT), {"PartName": "/" + part, "ContentType": ctype})
        self.touch("[Content_Types].xml")

    def default_type(self, ext: str, ctype: str) -> None:
        types = self.xml("[Content_Types].xml")
        for d in types.root.findall(q("Default", CT)):
            if d.get("Extension", "").lower() == ext:
                return
        el = ET.Element(q("Default", CT), {"Extension": ext, "ContentType": ctype})
        types.root.insert(0, el)
        self.touch("[Content_Types].xml")

    def workbook_part(self) -> str:
        for _, rtype, target, _ in self.relationships(""):
            if rtype == T_OFFICE_DOC or rtype.endswith("/officeDocument"):
                return target
        return "xl/workbook.xml"

    def sheets(self) -> list[tuple[str, str]]:
        """(name, part path) of every worksheet, in workbook order."""
        wb = self.workbook_part()
        targets = {rid: target for rid, _, target, _ in self.relationships(wb)}
        out = []
        sheets = self.xml(wb).root.find(q("sheets"))
        for s in sheets if sheets is not None else []:
            rid = s.get(q("id", REL))
            if rid in targets:
                out.append((s.get("name", ""), targets[rid]))
        return out


def add_children_in_order(parent: ET.Element, child: ET.Element, order: Iterable[str]) -> None:
    """Insert ``child`` before the first existing element that comes after it in ``order`` (local names)."""
    order = list(order)
    local = child.tag.split("}")[-1]
    mine = order.index(local)
    later = set(order[mine + 1:])
    for i, el in enumerate(parent):
        name = el.tag.split("}")[-1]
        if name in later or (name == "AlternateContent" and "oleObjects" in later):
            parent.insert(i, child)
            return
    parent.append(child)
