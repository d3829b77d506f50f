"""A tiny evaluator for the grounding guard: labelled sentences in, catch rate of bad sentences out.

evals/guard_sentences.yaml holds sentences a small model might write, each with the passages it cites,
the computed facts where they matter and a label (good: keep, bad: drop). The positive class is `bad`:
precision is the share of dropped sentences that were bad, recall the share of bad sentences dropped.

    python -m advisor.guard_eval [evals/guard_sentences.yaml] [--corpus-dir corpus]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from advisor.corpus_data import load_unique
from advisor.guard import GroundingFacts, GroundingGuard


class CitedPassage(BaseModel):
    quote: str = Field(min_length=1)
    section: str = ""
    chunk_id: str = ""


class LabelledSentence(BaseModel):
    id: str = Field(min_length=1)
    sentence: str = Field(min_length=1)
    citations: dict[int, str | CitedPassage] = Field(default_factory=dict)
    facts: GroundingFacts = Field(default_factory=GroundingFacts)
    label: Literal["good", "bad"]
    why: str = ""

    def passages(self) -> dict[int, str | dict[str, str]]:
        return {n: c if isinstance(c, str) else c.model_dump() for n, c in self.citations.items()}


class Outcome(BaseModel):
    id: str
    sentence: str
    label: Literal["good", "bad"]
    dropped: bool
    problems: list[str]
    why: str

    @property
    def correct(self) -> bool:
        return self.dropped == (self.label == "bad")


class GuardReport(BaseModel):
    outcomes: list[Outcome]
    seconds: float

    def _count(self, dropped: bool, label: str) -> int:
        return sum(o.dropped == dropped and o.label == label for o in self.outcomes)

    @property
    def precision(self) -> float:
        tp, fp = self._count(True, "bad"), self._count(True, "good")
        return tp / (tp + fp) if tp + fp else 0.0

    @property
    def recall(self) -> float:
        tp, fn = self._count(True, "bad"), self._count(False, "bad")
        return tp / (tp + fn) if tp + fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def misclassified(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    def summary(self) -> str:
        n_bad = sum(o.label == "bad" for o in self.outcomes)
        lines = [f"guard on {len(self.outcomes)} sentences ({n_bad} bad, {len(self.outcomes) - n_bad} good): "
                 f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
                 f"accuracy {self.accuracy:.3f}  ({self.seconds * 1000 / max(1, len(self.outcomes)):.2f} ms/sentence)"]
        for o in self.misclassified:
            what = "kept a bad sentence" if o.label == "bad" else "dropped a good sentence"
            lines.append(f"  {what}: {o.id}: {o.sentence}")
            lines.append(f"      label why: {o.why}" + (f"; guard: {'; '.join(o.problems)}" if o.problems else ""))
        return "\n".join(lines)


def load_labelled(path: Path | str) -> list[LabelledSentence]:
    return load_unique(path, LabelledSentence)


def evaluate(guard: GroundingGuard, items: Sequence[LabelledSentence]) -> GuardReport:
    outcomes = []
    started = time.perf_counter()
    for item in items:
        verdict = guard.check_sentence(item.sentence, item.passages(), item.facts)  # type: ignore[arg-type]
        outcomes.append(Outcome(id=item.id, sentence=item.sentence, label=item.label, dropped=not verdict.ok,
                                problems=verdict.problems, why=item.why))
    return GuardReport(outcomes=outcomes, seconds=time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(prog="python -m advisor.guard_eval")
    parser.add_argument("path", nargs="?", default=str(root / "evals" / "guard_sentences.yaml"))
    parser.add_argument("--corpus-dir", default=str(root / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every sentence's verdict")
    args = parser.parse_args(argv)
    guard = GroundingGuard.from_corpus(Path(args.corpus_dir))
    report = evaluate(guard, load_labelled(args.path))
    if args.verbose:
        for o in report.outcomes:
            mark = "ok " if o.correct else "XX "
            print(f"{mark}{o.label:4} {'drop' if o.dropped else 'keep'} {o.id}: {'; '.join(o.problems)}")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
