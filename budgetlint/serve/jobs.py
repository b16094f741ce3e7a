"""The check queue: one check at a time, in a worker process, the others waiting their turn.

A job holds the files of one upload in its own private folder.  A dispatcher
thread hands jobs, in arrival order, to a worker process of their own; the page polls
for the job's position in the queue, then for its result.  The folder is
removed as soon as the check ends (the result holds everything the page can
download) and every folder left is removed when the server stops.
"""

from __future__ import annotations

import json
import os
import pickle
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from .messages import message


@dataclass
class Job:
    id: str
    tab: str
    lang: str
    folder: str
    files: list[tuple[str, str]]  # (stored path, display name)
    state: str = "queued"  # queued → running → done | failed
    result: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.monotonic)


class QueueFull(Exception):
    pass


class TabBusy(Exception):
    pass


class JobQueue:
    """Jobs in arrival order, checked one by one, each in a fresh worker process.

    The next worker is started (and has imported the engine) before its job
    arrives, so a check starts at once; after the check it exits, returning
    its memory, and a stuck one is killed.
    """

    def __init__(self, baseline_path: str | None, *, keep_results: int = 20, max_waiting: int = 50,
                 seconds_per_file: float | None = None, config_path: str | None = None, grace: float = 60.0,
                 worker_command: list[str] | None = None) -> None:
        from budgetlint.limits import current

        self.baseline_path = baseline_path
        self.config_path = config_path
        self.keep_results = keep_results
        self.max_waiting = max_waiting
        # the worker stops a file at the engine's own deadline (BUDGETLINT_MAX_SECONDS, set for it when
        # seconds_per_file is given); this backstop kills a worker stuck past it by more than ``grace``
        self.seconds_per_file = seconds_per_file if seconds_per_file is not None else current().max_seconds
        self.grace = grace
        self._env = dict(os.environ)
        if seconds_per_file is not None:
            self._env["BUDGETLINT_MAX_SECONDS"] = str(max(1, int(seconds_per_file)))
        self.worker_command = worker_command or [sys.executable, "-m", "budgetlint.serve.worker"]
        self.root = tempfile.mkdtemp(prefix="budgetlint-serve-")  # mode 0700: private to this account
        self._lock = threading.Condition()
        self._waiting: deque[Job] = deque()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._running: Job | None = None
        self._closed = False
        self._worker: subprocess.Popen | None = None
        self._spawned = 0
        self._thread = threading.Thread(target=self._dispatch, name="budgetlint-checks", daemon=True)
        self._thread.start()

    def _spawn(self) -> subprocess.Popen:
        """Start a worker; it imports the engine, then waits for its one job on standard input."""
        self._spawned += 1
        log = open(os.path.join(self.root, f"worker-{self._spawned}.log"), "wb")
        try:
            return subprocess.Popen(self.worker_command, stdin=subprocess.PIPE, env=self._env,
                                    stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        finally:
            log.close()

    def new_folder(self) -> str:
        """A private folder for one upload (0700, inside the server's own temporary folder)."""
        return tempfile.mkdtemp(prefix="upload-", dir=self.root)

    def submit(self, tab: str, lang: str, folder: str, files: list[tuple[str, str]]) -> Job:
        with self._lock:
            if any(j.tab == tab and j.state in ("queued", "running") for j in self._jobs.values()):
                raise TabBusy()
            if len(self._waiting) >= self.max_waiting:
                raise QueueFull()
            job = Job(id=secrets.token_urlsafe(12), tab=tab, lang=lang, folder=folder, files=files)
            self._jobs[job.id] = job
            self._waiting.append(job)
            self._forget_old()
            self._lock.notify_all()
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def position(self, job: Job) -> int:
        """0 once running (or done); otherwise 1 + the jobs ahead of it, the running one included."""
        with self._lock:
            if job.state != "queued":
                return 0
            ahead = next((k for k, j in enumerate(self._waiting) if j is job), len(self._waiting))
            return ahead + (1 if self._running is not None else 0) + 1

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
        for j in finished[: max(0, len(finished) - self.keep_results)]:
            del self._jobs[j.id]

    def _dispatch(self) -> None:
        with self._lock:
            if not self._closed:
                self._worker = self._spawn()
        while True:
            with self._lock:
                while not self._waiting and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                job = self._waiting.popleft()
                job.state = "running"
                self._running = job
            try:
                self._run(job)
            finally:
                shutil.rmtree(job.folder, ignore_errors=True)
                with self._lock:
                    self._running = None
                    self._forget_old()
                    if not self._closed:
                        self._worker = self._spawn()
                    self._lock.notify_all()

    def _run(self, job: Job) -> None:
        seconds = self.seconds_per_file * max(1, len(job.files)) + self.grace
        out = os.path.join(job.folder, ".result")
        progress = os.path.join(job.folder, ".progress")
        request = {"files": job.files, "lang": job.lang, "baseline": self.baseline_path, "out": out,
                   "config": self.config_path, "progress": progress}
        proc = self._worker
        if proc is None:
            return
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            proc.stdin.close()
        except OSError:
            pass  # a worker that died at start: reported below
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill(proc)
            names = _progress(progress)
            if names:
                job.error = message("timed_out_file", job.lang, name="”、“".join(names) if job.lang != "en" else "\u201d, \u201c".join(names),
                                    seconds=f"{self.seconds_per_file:g}")
            else:
                job.error = message("timed_out", job.lang, seconds=f"{seconds:g}")
            job.state = "failed"
            return
        if self._closed:
            return
        try:
            with open(out, "rb") as fh:
                outcome = pickle.load(fh)  # written by our own worker, in our private folder
        except (OSError, EOFError, pickle.UnpicklingError):
            outcome = {"ok": False, "error": self._worker_log_tail() or f"exit code {proc.returncode}"}
        if outcome.get("ok"):
            job.result, job.state = outcome["result"], "done"
        else:
            job.error, job.state = message("check_failed", job.lang, reason=outcome.get("error")), "failed"

    def _worker_log_tail(self) -> str:
        try:
            with open(os.path.join(self.root, f"worker-{self._spawned}.log"), "rb") as fh:
                lines = fh.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until no job is queued or running (for tests and orderly shutdown)."""
        end = time.monotonic() + timeout
        with self._lock:
            while self._waiting or self._running is not None:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def close(self) -> None:
        """Stop the worker and remove every uploaded file."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._lock.notify_all()
            worker = self._worker
        if worker is not None:
            _kill(worker)
        self._thread.join(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


def _progress(path: str) -> list[str]:
    """The display names of the files the worker was checking when it was stopped (written by the worker)."""
    try:
        with open(path, encoding="utf-8") as fh:
            names = json.load(fh)
    except (OSError, ValueError):
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
        pass
    if proc.stdin is not None and not proc.stdin.closed:
        try:
            proc.stdin.close()
        except OSError:
            pass
