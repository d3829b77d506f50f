"""Facts read by meaning: each clause is compared with labelled example clauses (advisor/data/meaning.yaml).

A label is `FIELD=value` (a profile fact: `regulated=true`), a signal that an implication turns into a
fact (`k8s=team`: a group that runs Kubernetes in production), or a near miss that states nothing
(`none`, and `scope=…`: a question about a tool, someone else's team, a wish). A clause takes a label when
its nearest example is close enough and no other field's (nor a near miss's) comes as close (thresholds in
`advisor/data/understanding.yaml`, tuned on the dev split only), and it holds one of the field's anchor
words.
Negation is handled explicitly: a clause whose negation differs from its nearest example's reads the
opposite value ("we are not a bank" is close to "we are a bank"); a signal with no opposite is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.understanding.clauses import Clause, negation_in
from advisor.understanding.examples import EmbeddedBank

# The opposite of a signal under negation ("we do not have a platform team" -> no platform engineers).
OPPOSITE = {"k8s=team": "k8s=none", "k8s=none": "k8s=team", "platform=team": "platform=none",
            "platform=none": "platform=team"}


class MeaningThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fact: float = Field(ge=0, le=1, description="Least similarity to the nearest example for a fact.")
    margin: float = Field(ge=0, le=1, description="How far it must lead every other field, none and scope.")
    second: float = Field(ge=0, le=1, description="Least similarity for a second fact in the same clause.")
    flip: float = Field(ge=0, le=1, description="Least similarity to read the opposite of a differently "
                        "negated example, when no example of the field is negated as the clause is.")
    per_label: dict[str, float] = Field(default_factory=dict, description="Stricter floors for some labels.")
    anchors: dict[str, list[str]] = Field(default_factory=dict, description="Field -> words one of which the "
                                          "clause must hold for the field to be read by meaning.")


@dataclass
class Signal:
    label: str
    clause: Clause
    similarity: float
    example: str
    flipped: bool = False

    @property
    def field(self) -> str:
        return self.label.split("=", 1)[0]


@dataclass
class ClauseMeaning:
    clause: Clause
    signals: list[Signal]


def field_of(label: str) -> str:
    return label.split("=", 1)[0]


def flip(label: str) -> str | None:
    if label in OPPOSITE:
        return OPPOSITE[label]
    field, _, value = label.partition("=")
    if value in ("true", "false"):
        return f"{field}={'false' if value == 'true' else 'true'}"
    return None


class MeaningReader:
    def __init__(self, bank: EmbeddedBank, thresholds: MeaningThresholds):
        self.bank = bank
        self.t = thresholds
        self._example_negated = np.array([negation_in(t) for t in bank.texts])
        self._field = np.array([field_of(lab) for lab in bank.labels])
        self._anchors = {f: re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))
                                       + r")") for f, ws in thresholds.anchors.items()}

    def read(self, clauses: list[Clause], vectors: np.ndarray) -> list[ClauseMeaning]:
        if not clauses:
            return []
        sims = self.bank.similarities(vectors)
        return [self._one(c, sims[i]) for i, c in enumerate(clauses)]

    def _one(self, clause: Clause, sims: np.ndarray) -> ClauseMeaning:
        ranked = self.bank.best_per_label(sims)
        signals: list[Signal] = []
        for label, sim, i in ranked:
            if label == "none" or label.startswith("scope="):
                continue
            floor = self.t.per_label.get(label, self.t.second if signals else self.t.fact)
            if sim < floor:
                break
            field = field_of(label)
            if any(s.field == field for s in signals):
                continue
            anchor = self._anchors.get(field)
            if anchor is not None and not anchor.search(clause.text):
                continue
            rival = next((s for lab, s, _ in ranked
                          if field_of(lab) != field and not any(x.field == field_of(lab) for x in signals)), 0.0)
            if sim - rival < self.t.margin and not signals:
                break
            flipped = False
            if clause.negated != self._example_negated[i]:
                # the field is right, the polarity is the question: take the nearest example of this field
                # that is negated as the clause is ("never leaves our DCs" ~ "can never go to the cloud")
                same = np.flatnonzero((self._field == field) & (self._example_negated == clause.negated))
                j = -1
                if len(same):  # the three nearest of them vote, by similarity
                    top = same[np.argsort(-sims[same])[:3]]
                    votes: dict[str, float] = {}
                    for k in top:
                        votes[self.bank.labels[k]] = votes.get(self.bank.labels[k], 0.0) + float(sims[k])
                    winner = max(votes, key=votes.__getitem__)
                    j = int(next(k for k in top if self.bank.labels[k] == winner))
                if j >= 0 and sims[j] >= floor:
                    label, sim, i = self.bank.labels[j], float(sims[j]), j
                else:
                    opposite = flip(label)
                    if opposite is None or sim < self.t.flip:
                        continue
                    label, flipped = opposite, True
            signals.append(Signal(label, clause, sim, self.bank.texts[i], flipped))
            if len(signals) == 2:
                break
        return ClauseMeaning(clause, signals)
