"""A ``budgetlint serve`` instance for the tests: a real uvicorn server on a free port, in a thread."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("python_multipart")
httpx = pytest.importorskip("httpx")

from budgetlint.serve.app import Settings  # noqa: E402
from budgetlint.serve.server import start_in_thread  # noqa: E402
from budgetlint.serve.uploads import UploadLimits  # noqa: E402


class Running:
    """A started server: its page URL, settings, job queue and an HTTP client that sends the token."""

    def __init__(self, server, thread, url: str, settings: Settings) -> None:
        self.server, self.thread, self.url, self.settings = server, thread, url, settings
        self.base = url.split("?")[0].rstrip("/")
        self.client = httpx.Client(base_url=self.base, params={"token": settings.token}, timeout=120)

    @property
    def queue(self):
        return self.server.config.app.app.state.queue

    def upload(self, files: list[tuple[str, bytes]], tab: str = "tab-0000-aaaa", lang: str = "zh"):
        parts = [("files", (name, data)) for name, data in files]
        # the page names its language in the address too, so that a refusal mid-upload speaks it
        return self.client.post("/api/check", files=parts, data={"tab": tab, "lang": lang},
                                params={"token": self.settings.token, "lang": lang})

    def wait(self, job: str, timeout: float = 120) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            st = self.client.get(f"/api/jobs/{job}").json()
            if st["state"] in ("done", "failed"):
                return st
            time.sleep(0.2)
        raise AssertionError(f"job {job} did not finish in {timeout} s")

    def check(self, files: list[tuple[str, bytes]], **kw) -> dict:
        res = self.upload(files, **kw)
        assert res.status_code == 200, res.text
        st = self.wait(res.json()["job"])
        assert st["state"] == "done", st
        return st

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(30)


@contextmanager
def running_server(baseline: Path, limits: UploadLimits | None = None, lang: str = "zh", queue=None,
                   **options) -> Iterator[Running]:
    """A server for the tests; ``options`` are further :class:`Settings` (config, max_seconds), ``queue`` a job queue of the test's own."""
    settings = Settings(baseline=str(baseline), lang=lang, limits=limits or UploadLimits(), **options)
    server, thread, url = start_in_thread(settings, queue=queue)
    assert server.started, "the server did not start"
    run = Running(server, thread, url, settings)
    try:
        yield run
    finally:
        run.stop()
