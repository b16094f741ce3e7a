"""Receive uploaded files: streamed to a private folder, under limits, never trusting client names.

The multipart body is parsed as it arrives (python-multipart's streaming
parser), so a file over the limit is refused as soon as the limit is passed,
without storing the rest.  Each file is stored under a generated name that
keeps only its suffix (``003.xlsx``); the name the browser sent is reduced to a
clean relative name (``预算/2024/单位.xlsx`` for a file of a dropped folder, the
base name otherwise) used for display and reports only: every folder part is
cleaned like a base name, and ``..``, ``.``, drive letters and empty parts are dropped.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import AsyncIterator

MB = 1024 * 1024
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
_MAX_NAME = 120
_MAX_DEPTH = 8  # folder parts kept in a display name (the innermost)
_MAX_FIELD = 4096  # bytes of a text field (tab id, language)


@dataclass(frozen=True)
class UploadLimits:
    """How much one upload may hold (options of ``budgetlint serve``)."""

    max_file_bytes: int = 50 * MB
    max_total_bytes: int = 200 * MB
    max_files: int = 100


class UploadRefused(Exception):
    """An upload over a limit or malformed: ``key`` and ``values`` name the message, ``status`` the HTTP code."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


@dataclass
class StoredFile:
    name: str  # clean relative name (folder parts only for a dropped folder), for display
    path: str  # where it was stored (generated name)
    size: int


@dataclass
class Upload:
    files: list[StoredFile] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def _clean_part(raw: str) -> str:
    """One part of a name without control and format characters, leading dots and spaces ("" when nothing is left)."""
    name = "".join(ch for ch in raw if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = name.strip().lstrip(".").strip()
    if len(name) > _MAX_NAME:
        stem, suffix = os.path.splitext(name)
        name = stem[: _MAX_NAME - len(suffix)] + suffix if len(suffix) <= 9 else name[:_MAX_NAME]
    return name


def display_name(raw: str) -> str:
    """The base name of a client-supplied file name, safe to show and to use as a report path.

    Any folder part (``../../``, ``C:\\``) is dropped, control and format
    characters removed, leading dots and spaces stripped, the length bounded.
    """
    name = unicodedata.normalize("NFC", raw or "")
    return _clean_part(re.split(r"[\\/]", name)[-1]) or "upload"


def display_path(raw: str) -> str:
    """A client-supplied relative name (a file of a dropped folder: ``dir/sub/a.xlsx``) made safe to show.

    Each part is cleaned as :func:`display_name` cleans a base name; parts that
    would climb (``..``, ``.``) or are empty after cleaning are dropped, and at
    most the innermost :data:`_MAX_DEPTH` folders kept.  An absolute name
    (``/etc/passwd``, ``C:\\…``, ``\\\\server\\…``) is reduced to its base name.
    The result never starts with ``/`` and never holds ``..``; it is shown and
    used as the path in reports, never to store anything.
    """
    text = unicodedata.normalize("NFC", raw or "")
    parts = re.split(r"[\\/]", text)
    base = _clean_part(parts[-1]) or "upload"
    if re.match(r"^\s*(?:[\\/]|[A-Za-z]:)", text):
        return base
    folders = [c for c in (_clean_part(p) for p in parts[:-1] if p.strip() not in ("", ".", "..")) if c]
    return "/".join(folders[-_MAX_DEPTH:] + [base])


def stored_suffix(name: str) -> str:
    """The suffix kept on the stored file (lower case, letters and digits only), else none."""
    suffix = os.path.splitext(name)[1].lower()
    return suffix if _SUFFIX.match(suffix) else ""


def unique_names(names: list[str]) -> list[str]:
    """Display names made distinct (``a.xlsx``, ``a (2).xlsx``) so findings of two uploads never mix."""
    seen: set[str] = set()
    out = []
    for n in names:
        candidate, k = n, 2
        stem, suffix = os.path.splitext(n)
        while candidate.casefold() in seen:
            candidate = f"{stem} ({k}){suffix}"
            k += 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


async def receive(content_type: str, body: AsyncIterator[bytes], folder: str, limits: UploadLimits) -> Upload:
    """Parse a ``multipart/form-data`` body into ``folder``: file parts are stored, text fields kept.

    Raises :class:`UploadRefused` (413 over a limit, 400 malformed).  Files
    already written stay in ``folder``: the caller removes the folder.
    """
    from python_multipart.multipart import MultipartParser, parse_options_header

    ctype, params = parse_options_header(content_type.encode("latin-1", "replace"))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadRefused(400, "bad_upload", reason="multipart/form-data expected")
    upload = Upload()
    state: dict[str, object] = {"headers": {}, "field": b"", "value": b""}
    current: dict[str, object] = {}
    total = 0

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] = state["field"] + data[start:end]  # type: ignore[operator]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] = state["value"] + data[start:end]  # type: ignore[operator]

    def on_header_end() -> None:
        headers = state["headers"]
        headers[bytes(state["field"]).lower()] = bytes(state["value"])  # type: ignore[index]
        state["field"], state["value"] = b"", b""

    def on_headers_finished() -> None:
        disposition = state["headers"].get(b"content-disposition", b"")  # type: ignore[union-attr]
        _, opts = parse_options_header(disposition)
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in opts:
            if len(upload.files) >= limits.max_files:
                raise UploadRefused(413, "too_many_files", limit=limits.max_files, count=f"> {limits.max_files}")
            shown = display_path(opts[b"filename"].decode("utf-8", "replace"))
            path = os.path.join(folder, f"{len(upload.files) + 1:03d}{stored_suffix(shown.rsplit('/', 1)[-1])}")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            current.clear()
            current.update(kind="file", name=shown, path=path, fh=os.fdopen(fd, "wb"), size=0)
        else:
            current.clear()
            current.update(kind="field", name=name, data=b"")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal total
        chunk = data[start:end]
        if current.get("kind") == "file":
            current["size"] = int(current["size"]) + len(chunk)  # type: ignore[call-overload]
            total += len(chunk)
            if int(current["size"]) > limits.max_file_bytes:  # type: ignore[call-overload]
                raise UploadRefused(413, "file_too_large", name=current["name"], limit=_size(limits.max_file_bytes))
            if total > limits.max_total_bytes:
                raise UploadRefused(413, "total_too_large", limit=_size(limits.max_total_bytes))
            current["fh"].write(chunk)  # type: ignore[union-attr]
        elif current.get("kind") == "field":
            current["data"] = bytes(current["data"]) + chunk  # type: ignore[arg-type]
            if len(current["data"]) > _MAX_FIELD:  # type: ignore[arg-type]
                raise UploadRefused(400, "bad_upload", reason="field too long")

    def on_part_end() -> None:
        if current.get("kind") == "file":
            current["fh"].close()  # type: ignore[union-attr]
            upload.files.append(StoredFile(str(current["name"]), str(current["path"]), int(current["size"])))  # type: ignore[call-overload]
        elif current.get("kind") == "field":
            upload.fields[str(current["name"])] = bytes(current["data"]).decode("utf-8", "replace")  # type: ignore[arg-type]
        current.clear()
        state["headers"] = {}

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        raise
    except Exception as exc:  # python-multipart's parse errors: the body is not a form
        raise UploadRefused(400, "bad_upload", reason=type(exc).__name__) from exc
    finally:
        fh = current.get("fh")
        if fh is not None and not fh.closed:  # type: ignore[union-attr]
            fh.close()  # type: ignore[union-attr]
    names = unique_names([f.name for f in upload.files])
    for f, n in zip(upload.files, names):
        f.name = n
    return upload


def _size(n: int) -> str:
    from .messages import size_text

    return size_text(n)
