"""Traces of every answer (and, later, feedback on them) in a local SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from advisor.errors import AdvisorError

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
"""


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
