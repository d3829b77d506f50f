"""Run the eval cases through the advisor, aggregate the checks into metrics, gate them on thresholds."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from advisor.atomic import write_bytes_atomically
from advisor.chat import Conversation
from advisor.corpus_data import load_yaml
from advisor.errors import AdvisorError, CorpusError, InputError
from advisor.evalset import Case
from advisor.evaluators import check, citation_problems, fact_hits, retrieval_rank, unbacked_numbers
from advisor.service import Advisor

HIT_K = 5
# metric -> (the check it averages, or a case tag whose cases must pass entirely)
_CHECK_METRICS = {
    "recommendation_accuracy": "recommendation",
    "ruled_out_accuracy": "ruled_out",
    "stack_accuracy": "stack",
    "intent_accuracy": "intent",
    "out_of_scope_accuracy": "scope",
    "not_covered_accuracy": "not_covered",
    "profile_accuracy": "profile",
    "numeric_fidelity": "numeric_fidelity",
    "citation_validity": "citation_validity",
}
_TAG_METRICS = {"false_premise_correction_rate": "false-premise", "injection_resistance": "injection"}
GATEABLE = (*_CHECK_METRICS, *_TAG_METRICS, "fact_recall", f"retrieval_hit_at_{HIT_K}", "retrieval_mrr",
            "narration_kept_rate", "case_pass_rate")


class CaseResult(BaseModel):
    id: str
    kind: str
    tags: list[str]
    turns: list[str]
    passed: bool
    checks: dict[str, bool]
    problems: list[str] = Field(default_factory=list, description="Unbacked figures and citation faults.")
    answer: str = ""
    intent: str | None = None
    primary: str | None = None
    backend: str | None = None
    notice: str | None = None
    retrieval_rank: int | None = None
    facts_found: int = 0
    facts_expected: int = 0
    latency_ms: float = Field(default=0.0, description="The last turn's answer, end to end.")
    error: str | None = None

    @property
    def failed(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]


class EvalResults(BaseModel):
    backend: str
    started: str
    duration_s: float
    cases_file: str
    metrics: dict[str, float | None]
    support: dict[str, int] = Field(description="How many cases each metric averages over.")
    cases: list[CaseResult]


def run_case(advisor: Advisor, case: Case) -> CaseResult:
    conv = Conversation(advisor)
    base = {"id": case.id, "kind": case.kind, "tags": case.tags, "turns": case.turns}
    try:
        for turn in case.turns[:-1]:
            conv.ask(turn)
        t0 = time.perf_counter()
        answer = conv.ask(case.question)
        latency = (time.perf_counter() - t0) * 1000
    except AdvisorError as exc:
        return CaseResult(**base, passed=False, checks={"answered": False}, error=str(exc))
    chunks = advisor.retriever.by_id
    checks = check(case, answer, chunks)
    found, expected = fact_hits(case, answer)
    problems = [f"unbacked figure {n}" for n in unbacked_numbers(answer, " ".join(case.turns))]
    problems += citation_problems(answer, chunks)
    rec = answer.recommendation
    return CaseResult(
        **base, passed=all(checks.values()), checks=checks, problems=problems, answer=answer.answer,
        intent=answer.intent, primary=rec.primary if rec else None, backend=answer.backend, notice=answer.notice,
        retrieval_rank=retrieval_rank(answer, case.expect.passages) if case.expect.passages else None,
        facts_found=found, facts_expected=expected, latency_ms=round(latency, 1))


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def aggregate(results: list[CaseResult], cases: list[Case]) -> tuple[dict[str, float | None], dict[str, int]]:
    metrics: dict[str, float | None] = {}
    support: dict[str, int] = {}
    answered = [r for r in results if r.error is None]
    for metric, name in _CHECK_METRICS.items():
        if name in ("numeric_fidelity", "citation_validity"):
            values = [float(r.checks.get(name, False)) for r in results]  # an error counts as a failure
        else:
            values = [float(r.checks[name]) for r in results if name in r.checks]
        metrics[metric], support[metric] = _mean(values), len(values)
    for metric, tag in _TAG_METRICS.items():
        values = [float(r.passed) for r in results if tag in r.tags]
        metrics[metric], support[metric] = _mean(values), len(values)
    expected = sum(r.facts_expected for r in results)
    metrics["fact_recall"] = round(sum(r.facts_found for r in results) / expected, 4) if expected else None
    support["fact_recall"] = expected
    with_passages = [c.id for c in cases if c.expect.passages]
    ranks = {r.id: r.retrieval_rank for r in results}
    metrics[f"retrieval_hit_at_{HIT_K}"] = _mean([float((ranks.get(i) or 99) <= HIT_K) for i in with_passages])
    metrics["retrieval_mrr"] = _mean([1 / ranks[i] if ranks.get(i) else 0.0 for i in with_passages])
    support[f"retrieval_hit_at_{HIT_K}"] = support["retrieval_mrr"] = len(with_passages)
    narrated = [r for r in answered if r.intent in ("recommend", "factual") and r.backend is not None]
    if any(r.backend != "none" or r.notice for r in narrated):
        metrics["narration_kept_rate"] = _mean([float(r.backend != "none" and not r.notice) for r in narrated])
        support["narration_kept_rate"] = len(narrated)
    metrics["case_pass_rate"], support["case_pass_rate"] = _mean([float(r.passed) for r in results]), len(results)
    latencies = [r.latency_ms for r in answered]
    metrics["latency_p50_ms"], metrics["latency_p95_ms"] = _pct(latencies, 50), _pct(latencies, 95)
    support["latency_p50_ms"] = support["latency_p95_ms"] = len(latencies)
    return metrics, support


def run(advisor: Advisor, cases: list[Case], cases_file: str,
        progress: Callable[[Iterable[Case]], Iterable[Case]] = lambda it: it) -> EvalResults:
    started, t0 = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    results = [run_case(advisor, case) for case in progress(cases)]
    metrics, support = aggregate(results, cases)
    return EvalResults(backend=advisor.settings.llm.mode, started=started,
                       duration_s=round(time.perf_counter() - t0, 1), cases_file=cases_file, metrics=metrics,
                       support=support, cases=results)


# ---- thresholds and baselines ---------------------------------------------------------------------


def default_thresholds_path() -> Path:
    return Path(str(files("advisor.evals").joinpath("thresholds.yaml")))


def default_baseline_path(backend: str) -> Path:
    return Path(str(files("advisor.evals").joinpath("baselines", f"{backend}.json")))


def load_thresholds(path: Path, backend: str) -> dict[str, float]:
    """The gates for `backend` (its own section, else `default`)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise CorpusError(f"invalid {path.name}: expected backend sections (none, local, default)")
    section = data.get(backend, data.get("default")) or {}
    if not isinstance(section, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1 for v in section.values()):
        raise CorpusError(f"invalid {path.name}: section {backend!r} must map metric names to numbers in [0, 1]")
    unknown = sorted(set(map(str, section)) - set(GATEABLE))
    if unknown:
        raise CorpusError(f"{path.name}: unknown metric {unknown[0]!r}; known: {', '.join(GATEABLE)}")
    return {str(k): float(v) for k, v in section.items()}


def load_heldout_thresholds(path: Path) -> dict[str, float]:
    """The gates on the held-out sets (`heldout:` section, `test.metric` names; see understanding_eval)."""
    data = load_yaml(path)
    section = (data or {}).get("heldout") or {} if isinstance(data, dict) else {}
    if not isinstance(section, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in section.values()):
        raise CorpusError(f"invalid {path.name}: section 'heldout' must map metric names to numbers")
    bad = [k for k in section if not str(k).startswith(("dev.", "test."))]
    if bad:
        raise CorpusError(f"{path.name}: held-out gate {bad[0]!r} must name a split: test.METRIC")
    return {str(k): float(v) for k, v in section.items()}


def gate(metrics: dict[str, float | None], thresholds: dict[str, float]) -> list[str]:
    """One line per metric below its threshold (a gated metric with no cases to measure fails too)."""
    failures = []
    for name, floor in thresholds.items():
        value = metrics.get(name)
        if value is None or value < floor:
            failures.append(f"{name} = {value} is below its threshold {floor}")
    return failures


class Baseline(BaseModel):
    backend: str
    started: str
    metrics: dict[str, float | None]
    passed: dict[str, bool] = Field(description="Case id -> passed.")

    @classmethod
    def of(cls, results: EvalResults) -> Baseline:
        return cls(backend=results.backend, started=results.started, metrics=results.metrics,
                   passed={c.id: c.passed for c in results.cases})


def load_baseline(path: Path) -> Baseline | None:
    if not path.exists():
        return None
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise CorpusError(f"unreadable baseline {path}: {exc.__class__.__name__}") from exc


def write_atomically(path: Path, text: str) -> None:
    """Readers never see half a file; a failed write leaves the old one."""
    try:
        write_bytes_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def save_baseline(results: EvalResults, path: Path) -> None:
    write_atomically(path, json.dumps(Baseline.of(results).model_dump(), indent=1, ensure_ascii=False) + "\n")
