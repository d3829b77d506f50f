"""A tiny retrieval evaluator: a YAML set of questions with the chunk ids that answer them.

Each question is a hit at k when any of its expected ids is in the top k. Metrics: hit@1, hit@5 and
MRR@10 (reciprocal rank of the first expected id within the top 10, else 0). Importing this module
loads nothing heavy; it needs a retriever (anything with `search(query, k, mode=...)`) to run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from advisor.corpus_data import load_unique

MODES = ("dense", "bm25", "hybrid")
DEPTH = 10  # ranks are looked for within the top DEPTH; MRR is MRR@DEPTH


class EvalQuestion(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    expected: list[str] = Field(min_length=1, description="Chunk ids; any one of them in the top k is a hit.")
    note: str = ""


class QuestionResult(BaseModel):
    id: str
    question: str
    rank: int | None = Field(description="1-based rank of the first expected id in the top DEPTH, else None.")
    top: list[str] = Field(description="Retrieved chunk ids, best first.")
    seconds: float


class EvalReport(BaseModel):
    mode: str
    results: list[QuestionResult]

    @property
    def n(self) -> int:
        return len(self.results)

    def hit_at(self, k: int) -> float:
        return sum(r.rank is not None and r.rank <= k for r in self.results) / self.n if self.n else 0.0

    @property
    def hit1(self) -> float:
        return self.hit_at(1)

    @property
    def hit5(self) -> float:
        return self.hit_at(5)

    @property
    def mrr(self) -> float:
        return sum(1.0 / r.rank for r in self.results if r.rank) / self.n if self.n else 0.0

    def misses(self, k: int = 5) -> list[QuestionResult]:
        return [r for r in self.results if r.rank is None or r.rank > k]

    def latency(self, q: float) -> float:
        """The q-quantile (0..1) of per-question search time, in seconds (nearest rank)."""
        times = sorted(r.seconds for r in self.results)
        if not times:
            return 0.0
        return times[min(len(times) - 1, max(0, round(q * len(times)) - 1))]


class Searcher(Protocol):
    def search(self, query: str, k: int | None = None, *, mode=None, tool=None, kind=None) -> list: ...


def load_eval_set(path: Path | str) -> list[EvalQuestion]:
    return load_unique(path, EvalQuestion)


def unknown_ids(questions: Iterable[EvalQuestion], chunk_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(question id, expected id) pairs naming no chunk: a stale eval set after the corpus changed."""
    known = set(chunk_ids)
    return [(q.id, e) for q in questions for e in q.expected if e not in known]


def first_rank(retrieved: Sequence[str], expected: Iterable[str]) -> int | None:
    wanted = set(expected)
    return next((i for i, cid in enumerate(retrieved, start=1) if cid in wanted), None)


def _forget_query_embeddings(retriever: object) -> None:
    """Empty the embedder's query cache (if it has one), so timings include embedding the question."""
    embedder = getattr(getattr(retriever, "index", None), "embedder", None)
    clear = getattr(embedder, "clear_cache", None)
    if clear is not None:
        clear()


def evaluate(retriever: Searcher, questions: Sequence[EvalQuestion], mode: str = "hybrid",
             *, uncached: bool = True) -> EvalReport:
    """Rank every question's expected ids; with `uncached`, each query is embedded afresh (honest timing)."""
    results = []
    for q in questions:
        if uncached and mode != "bm25":
            _forget_query_embeddings(retriever)
        started = time.perf_counter()
        hits = retriever.search(q.question, DEPTH, mode=mode)
        seconds = time.perf_counter() - started
        top = [h.chunk.id for h in hits]
        results.append(QuestionResult(id=q.id, question=q.question, rank=first_rank(top, q.expected),
                                      top=top, seconds=seconds))
    return EvalReport(mode=mode, results=results)


def evaluate_all(retriever: Searcher, questions: Sequence[EvalQuestion],
                 modes: Sequence[str] = MODES, *, uncached: bool = True) -> dict[str, EvalReport]:
    return {m: evaluate(retriever, questions, m, uncached=uncached) for m in modes}


def format_table(reports: dict[str, EvalReport] | Iterable[EvalReport]) -> str:
    """A small fixed-width table: one line per mode with hit@1, hit@5, MRR@10 and latency."""
    items = list(reports.values()) if isinstance(reports, dict) else list(reports)
    n = items[0].n if items else 0
    lines = [f"{'mode':<8} {'hit@1':>6} {'hit@5':>6} {'MRR':>6} {'p50 ms':>7} {'p95 ms':>7}   (n={n})"]
    for r in items:
        lines.append(f"{r.mode:<8} {r.hit1:>6.3f} {r.hit5:>6.3f} {r.mrr:>6.3f} "
                     f"{r.latency(0.5) * 1000:>7.1f} {r.latency(0.95) * 1000:>7.1f}")
    return "\n".join(lines)


def format_misses(report: EvalReport, k: int = 5) -> str:
    out = []
    for r in report.misses(k):
        where = f"rank {r.rank}" if r.rank else f"not in top {DEPTH}"
        out.append(f"  [{report.mode}] {r.id} ({where}): {r.question}")
    return "\n".join(out)
