"""Fetches from Sefaria that a page started: each runs the core's `fetch_work` in a thread of its own
(with a connection of its own), and pages read its progress. One job per work at a time.

The HTTP client comes from `app.state.sefaria_client` (a callable, so tests replay recorded answers);
whether Sefaria is reachable is looked up once a minute at most, so pages can offer the button. The
look runs in a thread a page waits for briefly: an offline machine's name lookup can take seconds
(it is not bounded by the HTTP timeout), and no page should wait for it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from madrega import api
from madrega.errors import MadregaError
from madrega.study.importers import sefaria_fetch

ClientFactory = Callable[[], httpx.Client]
REACHABLE_FOR = 60.0  # seconds a reachability answer is trusted
PROBE_WAIT = 1.0  # seconds a page waits for the look before it answers "not reachable" for now


@dataclass
class Job:
    id: str
    name: str  # as the user asked for it
    state: str = "running"  # running, done, failed
    label: str = ""
    done: int = 0
    total: int = 0
    work: str | None = None  # the library's title once known
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "work": self.work,
            "error": self.error,
        }


class Fetches:
    """The jobs of one app (kept in memory: a restarted server forgets them; the core resumes anyway)."""

    def __init__(
        self,
        db_path: Path,
        client: ClientFactory,
        clock: Callable[[], float] = time.monotonic,
        probe_wait: float = PROBE_WAIT,
    ) -> None:
        self.db_path = db_path
        self.client = client
        self.clock = clock
        self.probe_wait = probe_wait
        self.jobs: dict[str, Job] = {}
        self.threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        self._reachable: tuple[float, bool] | None = None
        self._probe: threading.Thread | None = None

    def reachable(self) -> bool:
        """Whether Sefaria answered the last look; a stale answer starts a new look in the background,
        and a page waits `probe_wait` seconds at most for it (then the last answer, or not reachable)."""
        now = self.clock()
        with self._lock:
            answer = self._reachable
            if (answer is None or now - answer[0] > REACHABLE_FOR) and not self.probing():
                self._probe = threading.Thread(target=self._look, args=(now,), daemon=True)
                self._probe.start()
            probe = self._probe
        if probe is not None and probe.is_alive():
            probe.join(self.probe_wait)
        answer = self._reachable
        return answer[1] if answer is not None else False

    def probing(self) -> bool:
        """Whether a look at Sefaria is under way."""
        return self._probe is not None and self._probe.is_alive()

    def wait_probe(self, timeout: float | None = None) -> None:
        """Wait for the look under way, if any (for tests and for a server shutting down)."""
        probe = self._probe
        if probe is not None:
            probe.join(timeout)

    def _look(self, asked_at: float) -> None:
        try:
            with self.client() as http:
                found = sefaria_fetch.reachable(http)
        except (MadregaError, httpx.HTTPError, OSError):
            found = False
        self._reachable = (asked_at, found)

    def start(self, name: str) -> Job:
        name = name.strip()
        if not name:
            raise MadregaError("say which work to get from Sefaria")
        with self._lock:
            for job in self.jobs.values():
                if job.state == "running" and job.name.lower() == name.lower():
                    return job
            job = Job(uuid.uuid4().hex[:12], name)
            self.jobs[job.id] = job
            thread = threading.Thread(target=self._run, args=(job,), name=f"fetch {name}", daemon=True)
            self.threads[job.id] = thread
        thread.start()
        return job

    def get(self, job_id: str) -> Job:
        from madrega.errors import NotFound

        job = self.jobs.get(job_id)
        if job is None:
            raise NotFound("no such fetch here (it may have been started before the server restarted)")
        return job

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """Block until the job ends (for tests and the bench)."""
        thread = self.threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
        return self.get(job_id)

    def _run(self, job: Job) -> None:
        def progress(label: str, done: int, total: int) -> None:
            job.label, job.done, job.total = label, done, total

        conn = api.connect(self.db_path)
        try:
            with self.client() as http:
                report = sefaria_fetch.fetch_work(conn, job.name, client=http, progress=progress)
            job.work = report.work
            job.state = "done"
        except MadregaError as exc:
            job.error = exc.message
            job.state = "failed"
        except Exception as exc:  # a bug: the page says so, the log keeps the traceback
            import logging

            logging.getLogger("madrega.web").exception("fetch of %s failed", job.name, exc_info=exc)
            job.error = "Something went wrong on our side while fetching; it has been logged."
            job.state = "failed"
        finally:
            conn.close()
