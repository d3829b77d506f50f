"""Deterministic checks of one answer against its eval case; each returns named pass/fail results.

No judge model: every check is a comparison with the case's expectations or with the corpus itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from advisor.answer import Answer
from advisor.chunks import Chunk
from advisor.evalset import Case
from advisor.retrieval import tokenize

_MARK = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    return re.sub(r"\s+", " ", text)


def contains(haystack: str, needle: str) -> bool:
    return normalize(needle) in normalize(haystack)


def _numbers(text: str) -> list[str]:
    return [n.rstrip(".,") for n in _NUMBER.findall(_MARK.sub("", text))]


def unbacked_numbers(answer: Answer, user_text: str = "") -> list[str]:
    """Figures on a line that no passage cited on that line holds (nor the user's own words)."""
    quotes = {c.n: c.quote for c in answer.citations}
    said = set(_numbers(user_text))
    bad = []
    for line in answer.answer.splitlines():
        cited = " ".join(quotes.get(int(m), "") for m in _MARK.findall(line))
        bad += [n for n in _numbers(line) if n not in said and n not in cited]
    return bad


def citation_problems(answer: Answer, chunks: Mapping[str, Chunk]) -> list[str]:
    """Quotes that are not verbatim in their chunk, markers with no citation, and cited lines that share
    no content word with what they cite. An answer that recommends or states facts must cite."""
    problems = []
    quotes = {}
    for c in answer.citations:
        chunk = chunks.get(c.chunk_id)
        if chunk is None:
            problems.append(f"[{c.n}] cites unknown chunk {c.chunk_id}")
        elif c.quote not in chunk.text:
            problems.append(f"[{c.n}] quote not verbatim in {c.chunk_id}")
        quotes[c.n] = c.quote
    for line in answer.answer.splitlines():
        marks = [int(m) for m in _MARK.findall(line)]
        if not marks:
            continue
        words = set(tokenize(_MARK.sub("", line)))
        for m in marks:
            if m not in quotes:
                problems.append(f"[{m}] has no citation")
            elif not words & set(tokenize(quotes[m])):
                problems.append(f"[{m}] shares no word with its line: {line.strip()[:80]!r}")
    if answer.intent in ("recommend", "factual") and answer.in_scope and not answer.citations:
        problems.append("no citations")
    return problems


def retrieval_rank(answer: Answer, passages: list[str]) -> int | None:
    """1-based rank of the first expected passage among the retrieved chunks; None if absent."""
    wanted = set(passages)
    for rank, hit in enumerate(answer.retrieved, 1):
        cid = hit["chunk_id"]
        if cid in wanted or cid.split("#", 1)[-1] in wanted:
            return rank
    return None


def check(case: Case, answer: Answer, chunks: Mapping[str, Chunk]) -> dict[str, bool]:
    """Named checks for every expectation the case states, plus the two that apply to every answer."""
    e, rec = case.expect, answer.recommendation
    text = answer.answer
    checks: dict[str, bool] = {
        "numeric_fidelity": not unbacked_numbers(answer, " ".join(case.turns)),
        "citation_validity": not citation_problems(answer, chunks),
    }
    if e.intent is not None:
        checks["intent"] = answer.intent == e.intent
    if e.in_scope is not None:
        checks["scope"] = answer.in_scope == e.in_scope
    if e.primary is not None:
        checks["recommendation"] = rec is not None and rec.primary == e.primary
    if e.avoid or e.not_primary:
        checks["ruled_out"] = rec is not None and rec.primary not in (*e.avoid, *e.not_primary) and all(
            t in rec.avoid for t in e.avoid)
    if e.stack is not None:
        checks["stack"] = rec is not None and rec.stack_pattern == e.stack
    if e.facts:
        checks["facts"] = all(contains(text, f) for f in e.facts)
    if e.passages:
        checks["retrieval"] = retrieval_rank(answer, e.passages) is not None
    if e.not_covered:
        checks["not_covered"] = all(n in answer.not_covered and contains(text, n) for n in e.not_covered)
    if e.forbid:
        checks["forbid"] = not any(contains(text, f) for f in e.forbid)
    if e.profile:
        checks["profile"] = all(answer.profile.get(k) == v for k, v in e.profile.items())
    return checks


def fact_hits(case: Case, answer: Answer) -> tuple[int, int]:
    """(facts found, facts expected), for micro-averaged fact recall."""
    return sum(contains(answer.answer, f) for f in case.expect.facts), len(case.expect.facts)
