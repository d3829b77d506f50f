"""Traces of every answer and users' feedback on them, in one local SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from advisor.errors import AdvisorError, InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS traces (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    backend TEXT NOT NULL,
    grounded INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS traces_created ON traces(created);
CREATE TABLE IF NOT EXISTS feedback (
    trace_id TEXT NOT NULL REFERENCES traces(id),
    source TEXT NOT NULL,
    user TEXT NOT NULL,
    created REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL,
    PRIMARY KEY (trace_id, source, user)
);
"""

MAX_COMMENT_CHARS = 2000


class Trace(BaseModel):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    created: float = Field(default_factory=time.time)
    question: str
    intent: str
    backend: str
    grounded: bool
    profile: dict[str, Any] = {}
    retrieved: list[dict[str, Any]] = []
    rules_fired: list[str] = []
    prompt: list[dict[str, str]] = Field(default_factory=list, description="Messages sent to the model.")
    raw_output: str = ""
    guard: list[dict[str, Any]] = Field(default_factory=list, description="Per-sentence verdicts.")
    notice: str | None = None
    timings_ms: dict[str, float] = {}
    answer: str = ""
    reading: dict[str, Any] = Field(default_factory=dict, description="The whole Reading of the question.")


class Feedback(BaseModel):
    """One user's verdict on one answer; a later verdict by the same user on the same answer replaces it."""

    trace_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)
    source: Literal["web", "slack", "cli"]
    user: str = Field(default="", max_length=200, description="A session or Slack user id; never a name.")
    created: float = Field(default_factory=time.time)

    @field_validator("comment")
    @classmethod
    def _plain(cls, v: str) -> str:
        return "".join(ch for ch in v if ch in "\n\t" or ch.isprintable()).strip()


class TraceStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5)
            if not self._ready:
                conn.executescript(SCHEMA)
                self._ready = True
            return conn
        except (OSError, sqlite3.Error) as exc:
            raise AdvisorError(f"trace store unavailable at {self.path}: {exc}") from exc

    def add(self, trace: Trace) -> str:
        data = trace.model_dump_json(exclude={"id", "created", "question", "intent", "backend", "grounded"})
        with self._lock:
            conn = self._connect()
            try:
                with conn:
                    conn.execute(
                        "INSERT INTO traces (id, created, question, intent, backend, grounded, data) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (trace.id, trace.created, trace.question, trace.intent, trace.backend,
                         int(trace.grounded), data),
                    )
            except sqlite3.Error as exc:
                raise AdvisorError(f"could not write trace to {self.path}: {exc}") from exc
            finally:
                conn.close()
        return trace.id

    def _select(self, where: str, params: tuple) -> list[Trace]:
        if not self.path.exists():
            return []
        with self._lock:
            conn = self._connect()
            try:
                rows = conn.execute(
                    "SELECT id, created, question, intent, backend, grounded, data FROM traces " + where,
                    params).fetchall()
            except sqlite3.Error as exc:
                raise AdvisorError(f"could not read traces from {self.path}: {exc}") from exc
            finally:
                conn.close()
        return [Trace(id=r[0], created=r[1], question=r[2], intent=r[3], backend=r[4], grounded=bool(r[5]),
                      **json.loads(r[6])) for r in rows]

    def last(self, n: int = 10) -> list[Trace]:
        return self._select("ORDER BY created DESC LIMIT ?", (n,))

    def get(self, trace_id: str) -> Trace | None:
        found = self._select("WHERE id = ?", (trace_id,))
        return found[0] if found else None

    def add_feedback(self, feedback: Feedback) -> None:
        """Store it with its trace; an unknown trace is refused and nothing is written."""
        with self._lock:
            conn = self._connect()
            try:
                with conn:
                    if conn.execute("SELECT 1 FROM traces WHERE id = ?", (feedback.trace_id,)).fetchone() is None:
                        raise InputError(f"no answer with trace id {feedback.trace_id!r}; feedback not stored")
                    conn.execute(
                        "INSERT INTO feedback (trace_id, source, user, created, rating, comment) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (trace_id, source, user) DO UPDATE SET "
                        "created = excluded.created, rating = excluded.rating, comment = excluded.comment",
                        (feedback.trace_id, feedback.source, feedback.user, feedback.created, feedback.rating,
                         feedback.comment),
                    )
            except sqlite3.Error as exc:
                raise AdvisorError(f"could not store feedback in {self.path}: {exc}") from exc
            finally:
                conn.close()

    def feedback(self, trace_id: str | None = None, last: int = 100) -> list[Feedback]:
        """Feedback on one answer, or the most recent across all answers, newest first."""
        if not self.path.exists():
            return []
        where, params = ("WHERE trace_id = ?", (trace_id,)) if trace_id else ("", ())
        with self._lock:
            conn = self._connect()
            try:
                rows = conn.execute(
                    "SELECT trace_id, rating, comment, source, user, created FROM feedback "
                    f"{where} ORDER BY created DESC LIMIT ?", (*params, last)).fetchall()
            except sqlite3.Error as exc:
                raise AdvisorError(f"could not read feedback from {self.path}: {exc}") from exc
            finally:
                conn.close()
        return [Feedback(trace_id=r[0], rating=r[1], comment=r[2], source=r[3], user=r[4], created=r[5])
                for r in rows]
