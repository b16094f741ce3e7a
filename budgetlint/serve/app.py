"""Routes of the local page: the page and its assets, uploads, job status, downloads, "not a mistake".

Every request must carry the token printed at start (``?token=`` in the page
address, the ``X-Budgetlint-Token`` header from the page's script); others get
403.  The page, its script and styles are served from the package: nothing
is fetched from the network.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import shutil
import threading
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .jobs import JobQueue, QueueFull, TabBusy
from .messages import message, pick_lang
from .uploads import UploadLimits, UploadRefused, receive

TOKEN_HEADER = "x-budgetlint-token"
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
_TAB = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_REASON = 500


@dataclass
class Settings:
    """Options of ``budgetlint serve``."""

    baseline: str = "budgetlint-baseline.json"
    lang: str = "zh"
    limits: UploadLimits = field(default_factory=UploadLimits)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    config: str | None = None  # the configuration file in use (found from the current folder, or --config)
    max_seconds: int | None = None  # time limit per file (default: BUDGETLINT_MAX_SECONDS, else 120)


class TokenGate:
    """ASGI middleware: 403 for any request whose token is missing or wrong (compared in constant time)."""

    def __init__(self, app: Any, token: str, lang: str) -> None:
        self.app, self.token, self.lang = app, token.encode(), lang

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0].encode("latin-1", "replace")
        for name, value in scope.get("headers", []):
            if name == TOKEN_HEADER.encode():
                given = value
        if not hmac.compare_digest(given, self.token):
            lang = pick_lang((query.get("lang") or [None])[0], self.lang)
            response = PlainTextResponse(message("forbidden", lang), status_code=403, headers=SECURITY_HEADERS)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _lang(request: Request, settings: Settings) -> str:
    return pick_lang(request.query_params.get("lang") or request.headers.get("x-budgetlint-lang"), settings.lang)


def _error(status: int, key: str, lang: str, **values: object) -> JSONResponse:
    return JSONResponse({"error": message(key, lang, **values), "code": key}, status_code=status, headers=SECURITY_HEADERS)


def config_line(path: str | None, lang: str) -> str:
    """Which configuration file the checks use, as the page (and the start message) says it."""
    return message("config_in_use", lang, path=path) if path else message("config_none", lang)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def create_app(settings: Settings, queue: JobQueue | None = None) -> Any:
    """The ASGI application; ``queue`` is made (and closed on shutdown) when not given."""
    from contextlib import asynccontextmanager

    own_queue = queue is None
    config_path = os.path.abspath(settings.config) if settings.config else None
    queue = queue or JobQueue(os.path.abspath(settings.baseline), config_path=config_path,
                              seconds_per_file=settings.max_seconds)
    baseline_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: Any):
        yield
        if own_queue:
            queue.close()

    async def page(request: Request) -> Response:
        lang = _lang(request, settings)
        html = _asset("index.html")
        from budgetlint import __version__

        html = (html.replace("{{token}}", escape(quote(settings.token, safe="")))
                .replace("{{lang}}", lang).replace("{{html_lang}}", "en" if lang == "en" else "zh-CN")
                .replace("{{version}}", escape(__version__))
                .replace("{{max_file}}", str(settings.limits.max_file_bytes))
                .replace("{{max_total}}", str(settings.limits.max_total_bytes))
                .replace("{{max_files}}", str(settings.limits.max_files))
                .replace("{{config}}", escape(config_line(config_path, lang))))
        return Response(html, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "report.css":  # the HTML report's own styles: cells marked exactly as in the report file
            from budgetlint.report.html import CSS

            return Response(CSS, media_type="text/css; charset=utf-8", headers=SECURITY_HEADERS)
        if name not in ASSETS:
            return PlainTextResponse("not found", status_code=404, headers=SECURITY_HEADERS)
        return Response(_asset(name), media_type=ASSETS[name], headers=SECURITY_HEADERS)

    async def check(request: Request) -> Response:
        lang = _lang(request, settings)
        limits = settings.limits
        declared = request.headers.get("content-length")
        # the body also carries part headers and boundaries: allow a little more than the files
        overhead = 4096 + 1024 * limits.max_files
        if declared and declared.isdigit() and int(declared) > limits.max_total_bytes + overhead:
            from .messages import size_text

            return _error(413, "total_too_large", lang, limit=size_text(limits.max_total_bytes))
        folder = queue.new_folder()
        keep = False
        try:
            try:
                upload = await receive(request.headers.get("content-type", ""), request.stream(), folder, limits)
            except UploadRefused as exc:
                return _error(exc.status, exc.key, lang, **exc.values)
            tab = upload.fields.get("tab", "")
            lang = pick_lang(upload.fields.get("lang"), lang)
            if not _TAB.match(tab):
                return _error(400, "bad_upload", lang, reason="tab")
            if not upload.files:
                return _error(400, "no_files", lang)
            try:
                job = queue.submit(tab, lang, folder, [(f.path, f.name) for f in upload.files])
            except TabBusy:
                return _error(409, "busy_tab", lang)
            except QueueFull:
                return _error(503, "queue_full", lang, limit=queue.max_waiting)
            keep = True
            return JSONResponse({"job": job.id, "position": queue.position(job), "files": [f.name for f in upload.files]},
                                headers=SECURITY_HEADERS)
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)

    def _job(request: Request) -> Any:
        return queue.get(request.path_params["job"])

    async def status(request: Request) -> Response:
        lang = _lang(request, settings)
        job = _job(request)
        if job is None:
            return _error(404, "no_job", lang)
        body: dict[str, Any] = {"job": job.id, "state": job.state, "position": queue.position(job)}
        if job.state == "failed":
            body["error"] = job.error
        if job.state == "done" and job.result is not None:
            r = job.result
            body.update(html=r["html"], summary=r["summary"], hidden=r["hidden"], rules=r["rules"], files=r["files"],
                        together=r.get("together", []), stopped=r.get("stopped", []), config=config_path,
                        baseline=os.path.abspath(settings.baseline), baseline_problem=r["baseline_problem"])
        return JSONResponse(body, headers=SECURITY_HEADERS)

    def _done(request: Request) -> tuple[Any, Response | None]:
        lang = _lang(request, settings)
        job = _job(request)
        if job is None:
            return None, _error(404, "no_job", lang)
        if job.state != "done" or job.result is None:
            return None, _error(409, "not_ready", lang)
        return job, None

    def _attachment(data: bytes | str, filename: str, media_type: str) -> Response:
        ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
        headers = dict(SECURITY_HEADERS)
        headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
        return Response(data, media_type=media_type, headers=headers)

    async def report_json(request: Request) -> Response:
        job, problem = _done(request)
        if problem:
            return problem
        return _attachment(job.result["json"], "budgetlint-report.json", "application/json; charset=utf-8")

    async def report_sarif(request: Request) -> Response:
        job, problem = _done(request)
        if problem:
            return problem
        return _attachment(job.result["sarif"], "budgetlint-report.sarif", "application/sarif+json; charset=utf-8")

    async def workbook(request: Request) -> Response:
        job, problem = _done(request)
        if problem:
            return problem
        files = job.result["files"]
        try:
            name = files[int(request.path_params["n"])]["name"]
        except (ValueError, IndexError):
            name = None
        data = job.result["workbooks"].get(name) if name else None
        if data is None:
            return _error(404, "no_workbook", _lang(request, settings))
        base = name.rsplit("/", 1)[-1]  # a file of a dropped folder: its relative name is for display only
        stem = os.path.splitext(base)[0] if base.lower().endswith((".xlsx", ".xlsm")) else base.replace(".", "_")
        return _attachment(data, f"{stem}.annotated.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    async def not_a_mistake(request: Request) -> Response:
        """Record a finding in the baseline file with the user's reason: later checks no longer list it."""
        lang = _lang(request, settings)
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "bad_upload", lang, reason="JSON")
        if not isinstance(body, dict):
            return _error(400, "bad_upload", lang, reason="JSON")
        lang = pick_lang(body.get("lang"), lang)
        job = queue.get(str(body.get("job") or ""))
        if job is None or job.result is None:
            return _error(404, "no_job", lang)
        entry = job.result["entries"].get(str(body.get("fingerprint") or ""))
        if entry is None:
            return _error(404, "no_finding", lang)
        reason = str(body.get("reason") or "").strip()
        if not reason:
            return _error(400, "reason_required", lang)
        if len(reason) > MAX_REASON:
            return _error(400, "reason_too_long", lang, limit=MAX_REASON)
        from budgetlint.atomic import OutputError
        from budgetlint.baseline import BaselineError, add_entry

        path = os.path.abspath(settings.baseline)
        try:
            with baseline_lock:
                count = add_entry(path, entry, reason)
        except OutputError as exc:
            return _error(500, "baseline_error", lang, reason=exc.message(lang))
        except BaselineError as exc:  # an existing file that is not a baseline: never overwritten
            return _error(409, "baseline_not_ours", lang, path=path, reason=str(exc))
        except OSError as exc:
            return _error(500, "baseline_error", lang, reason=getattr(exc, "strerror", None) or str(exc))
        return JSONResponse({"ok": True, "count": count, "path": path, "message": message("baseline_saved", lang, path=path, count=count)},
                            headers=SECURITY_HEADERS)

    routes = [
        Route("/", page),
        Route("/assets/{name}", asset),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/jobs/{job}", status),
        Route("/api/jobs/{job}/report.json", report_json),
        Route("/api/jobs/{job}/report.sarif", report_sarif),
        Route("/api/jobs/{job}/workbook/{n}", workbook),
        Route("/api/baseline", not_a_mistake, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.queue = queue
    app.state.settings = settings
    return TokenGate(app, settings.token, settings.lang)
