"""Facts read by meaning: each clause is compared with labelled example clauses (advisor/data/meaning.yaml).

A label is `FIELD=value` (a profile fact: `regulated=true`), a signal that an implication turns into a
fact (`k8s=team`: a group that runs Kubernetes in production), or a near miss that states nothing
(`none`, and `scope=…`: a question about a tool, someone else's team, a wish). A clause takes a label when
its nearest example is close enough and no other field's (nor a near miss's) comes as close (thresholds in
`advisor/data/understanding.yaml`, tuned on the dev split only), and it holds one of the field's anchor
words.
A second judge, a logistic regression over the vectors of those examples and of the dev split's clauses
(`advisor/data/meaning_learned.yaml`), says which fact a clause is about; when it is sure (`classifier.accept`)
a clause under every floor is still read ("we cannot add any new recurring vendor costs" is far from every
single budget example, but plainly about money), provided the field's value it finds most likely is the one
the nearest examples vote for. The evidence says which judge decided.
Negation is handled explicitly: a clause whose negation differs from its nearest example's reads the
opposite value ("we are not a bank" is close to "we are a bank"); a signal with no opposite is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.understanding.clauses import Clause, negation_in
from advisor.understanding.examples import EmbeddedBank, Linear

# The opposite of a signal under negation ("we do not have a platform team" -> no platform engineers).
OPPOSITE = {"k8s=team": "k8s=none", "k8s=none": "k8s=team", "platform=team": "platform=none",
            "platform=none": "platform=team"}


class FieldClassifier(BaseModel):
    """A second judge of what a clause says: a multinomial logistic regression over the examples' vectors, one
    class per label; a field's probability is the sum of its values'. It learns what a field's examples share
    (money words for a budget) where the nearest single example may be far. A clause it alone reads needs its
    likeliest value of the field to be the one the nearest examples vote for."""

    model_config = ConfigDict(extra="forbid")

    c: float = Field(default=8.0, gt=0, le=1000, description="Inverse L2 strength of the regression.")
    accept: float = Field(default=1.01, ge=0, le=1.01, description="A field's probability at which a clause "
                          "below the nearest-example floor is still read (above 1: never, and no regression).")


class MeaningThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fact: float = Field(ge=0, le=1, description="Least similarity to the nearest example for a fact.")
    margin: float = Field(ge=0, le=1, description="How far it must lead the nearest example that states nothing.")
    nothing: list[str] = Field(default=["none", "scope=tool_question", "scope=other_team", "scope=wish"],
                               description="The labels whose examples state nothing, which a fact must lead.")
    flip: float = Field(ge=0, le=1, description="Least similarity to read the opposite of a differently "
                        "negated example, when no example of the field is negated as the clause is.")
    rival: float = Field(default=1.0, ge=0, le=1, description="How far a field's nearest example may trail the "
                         "nearest example of another field: a clause much closer to what another fact says is "
                         "about that fact (\"the data is allowed to go to SaaS vendors\" is no lock-in worry).")
    near: float = Field(default=0.0, ge=0, le=0.5, description="How far below its floor (and its margin) a "
                        "clause may fall and still half-say a fact: a doubt the decision weighs, never a fact.")
    near_lead: float = Field(default=1.0, ge=0, le=1, description="A clause without any of a field's anchor "
                             "words half-says it only when its nearest example leads every other label's by this.")
    cautious: dict[str, bool] = Field(default_factory=dict, description="Field -> its permissive value (the one "
                                      "under which the article rules no tool out), read by meaning only with a lead.")
    caution: float = Field(default=0.0, ge=0, le=1, description="How far a permissive value's nearest example must "
                           "lead the field's nearest example of the other value.")
    per_field: dict[str, float] = Field(default_factory=dict, description="A field's own floor instead of "
                                        "`fact` (above 1: the field is never read by meaning).")
    anchors: dict[str, list[str]] = Field(default_factory=dict, description="Field -> words one of which the "
                                          "clause must hold for the field to be read by meaning.")
    also: dict[str, list[str]] = Field(default_factory=dict, description="Field -> a second list of words, one "
                                       "of which the clause must hold too (a need is said with a need word).")
    classifier: FieldClassifier = Field(default_factory=lambda: FieldClassifier(), description="What a clause "
                                        "says, by a logistic regression over the examples' vectors.")


@dataclass
class Signal:
    label: str
    clause: Clause
    similarity: float
    example: str
    flipped: bool = False
    classified: float | None = None  # the classifier's probability of the field, when it alone decided

    @property
    def field(self) -> str:
        return self.label.split("=", 1)[0]


@dataclass
class ClauseMeaning:
    clause: Clause
    signals: list[Signal]
    near: list[Signal] = field(default_factory=list)  # read only when the floors are lowered: half-said


def field_of(label: str) -> str:
    return label.split("=", 1)[0]


def flip(label: str) -> str | None:
    if label in OPPOSITE:
        return OPPOSITE[label]
    field, _, value = label.partition("=")
    if value in ("true", "false"):
        return f"{field}={'false' if value == 'true' else 'true'}"
    return None


def topic_of(label: str) -> str:
    """The classifier's class for an example's label: its field, or the label itself if it states nothing."""
    return label if label == "none" or label.startswith("scope=") else field_of(label)


class MeaningReader:
    def __init__(self, bank: EmbeddedBank, thresholds: MeaningThresholds, classifier: Linear | None = None):
        self.bank = bank
        self.t = thresholds
        self.classifier = classifier  # what a clause says, by logistic regression (None: nearest examples only)
        self._example_negated = np.array([negation_in(t) for t in bank.texts])
        self._field = np.array([field_of(lab) for lab in bank.labels])
        self._labels = np.array(bank.labels)
        readable = {field_of(lab) for lab in bank.label_ids if lab != "none" and not lab.startswith("scope=")}
        self._anchors = {f: re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))
                                       + r")") for f, ws in thresholds.anchors.items()}
        self._also = {f: re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))
                                    + r")") for f, ws in thresholds.also.items()}
        self._unanchored = bool(readable - set(self._anchors))  # a field readable from any clause

    def anchored(self, field: str, text: str) -> bool:
        """Whether `text` holds one of the field's anchor words (a field without anchors: always)."""
        anchor = self._anchors.get(field)
        return anchor is None or bool(anchor.search(text))

    def may_read(self, clause: Clause) -> bool:
        """Whether some field could be read from this clause: one of its anchor words is there (a field
        without anchors could be read anywhere)."""
        return self._unanchored or any(rx.search(clause.text) for rx in self._anchors.values())

    def read(self, clauses: list[Clause], vectors: np.ndarray) -> list[ClauseMeaning]:
        if not clauses:
            return []
        sims = self.bank.similarities(vectors)
        levels = (0.0, self.t.near) if self.t.near else (0.0,)
        out = []
        for i, c in enumerate(clauses):
            said = self.classifier.probabilities(vectors[i]) if self.classifier is not None else {}
            signals, *relaxed = self._one(c, sims[i], levels, said)
            read = {s.field for s in signals}
            near = [s for s in relaxed[0] if s.field not in read] if relaxed else []
            out.append(ClauseMeaning(c, signals, near))
        return out

    def _one(self, clause: Clause, sims: np.ndarray, levels: tuple[float, ...],
             said: dict[str, float]) -> list[list[Signal]]:
        """The signals of one clause at each level (how far the floors and the margin are lowered: 0 for
        facts, `near` for what is half-said), ranking the clause's labels once.
        Each field is judged on its own (a clause may state several): it needs one of its anchor words
        in the clause, a nearest example at least `fact` close, and a lead of `margin` over the nearest
        example that states nothing (`none`, `scope=…`). Its value is then voted among the field's examples
        negated as the clause is."""
        if len(clause) < 2:  # one word in a list ("ingest, retrain, batch score") states no fact by meaning
            return [[] for _ in levels]
        ranked = self.bank.best_per_label(sims)
        nothing = max((s for lab, s, _ in ranked if lab in self.t.nothing), default=0.0)
        best: dict[str, float] = {}
        for lab, s, _ in ranked:
            if lab != "none" and not lab.startswith("scope="):
                best[field_of(lab)] = max(best.get(field_of(lab), 0.0), s)
        topic: dict[str, float] = {}  # the classifier's probability of each field (its values pooled)
        for lab, p in said.items():
            topic[topic_of(lab)] = topic.get(topic_of(lab), 0.0) + p
        return [self._signals(clause, sims, ranked, nothing, best, relax, said, topic) for relax in levels]

    def _signals(self, clause: Clause, sims: np.ndarray, ranked: list, nothing: float, best: dict[str, float],
                 relax: float, said: dict[str, float], topic: dict[str, float]) -> list[Signal]:
        """`said`, `topic`: the classifier's probability of each label and each field (empty when it is off)."""
        signals: list[Signal] = []
        for label, sim, i in ranked:
            if label == "none" or label.startswith("scope="):
                continue
            field = field_of(label)
            if any(s.field == field for s in signals):
                continue
            if not self.anchored(field, clause.text):
                # half-said without one of the field's words ("our grant covers hardware only"): only when
                # the clause is clearly about this field and no other
                rival = max((s for lab, s, _ in ranked if field_of(lab) != field), default=0.0)
                if not relax or sim - rival < self.t.near_lead:
                    continue
            also = self._also.get(field)
            if also is not None and not also.search(clause.text):
                continue
            floor = self.t.per_field.get(field, self.t.fact) - relax
            p = topic.get(field, 0.0)
            by_example = sim >= floor and sim - nothing >= self.t.margin - relax \
                and max((v for f, v in best.items() if f != field), default=0.0) - sim <= self.t.rival
            if not by_example:
                if not topic or p < self.t.classifier.accept or relax:
                    continue
                floor = 0.0  # the classifier decided the field; the nearest examples only say its value
            picked = self._polarity(clause, field, sims, floor)
            if picked is None:
                continue
            label, sim, i, flipped = picked
            if not by_example and label != max(
                    (lab for lab in said if field_of(lab) == field), key=said.__getitem__):
                continue  # "we retrain twice a year" is about maturity; the vote says 1, the classifier 0
            signals.append(Signal(label, clause, sim, self.bank.texts[i], flipped,
                                  None if by_example else round(p, 3)))
        return signals

    def _polarity(self, clause: Clause, field: str, sims: np.ndarray,
                  floor: float) -> tuple[str, float, int, bool] | None:
        """The field's value for this clause: the three nearest examples of the field that are negated as
        the clause is vote by similarity ("never leaves our DCs" ~ "can never go to the cloud"); with none
        close enough, the opposite of the nearest differently negated example, if it is very close."""
        same = np.flatnonzero((self._field == field) & (self._example_negated == clause.negated))
        if len(same):
            top = same[np.argsort(-sims[same])[:3]]
            votes: dict[str, float] = {}
            for k in top:  # sharpened: a much closer example outweighs two loose ones
                votes[self.bank.labels[k]] = votes.get(self.bank.labels[k], 0.0) + float(sims[k]) ** 4
            winner = max(votes, key=votes.__getitem__)
            j = int(next(k for k in top if self.bank.labels[k] == winner))
            if sims[j] >= floor:
                if self._doubtful(field, winner, sims, float(sims[j])):
                    return None
                return winner, float(sims[j]), j, False
        other = np.flatnonzero((self._field == field) & (self._example_negated != clause.negated))
        if not len(other):
            return None
        j = int(other[np.argmax(sims[other])])
        opposite = flip(self.bank.labels[j])
        if opposite is None or sims[j] < self.t.flip:
            return None
        return opposite, float(sims[j]), j, True

    def _doubtful(self, field: str, label: str, sims: np.ndarray, sim: float) -> bool:
        """A permissive value ("budget is no problem") barely closer than the restrictive one ("per-seat
        licences are off the table" is 0.84 from a 'false' example and 0.76 from a 'true' one): not read, since
        reading it wrongly lets through a tool the article rules out, while leaving it unknown only makes the
        pick conditional."""
        permissive = self.t.cautious.get(field)
        if permissive is None or label != f"{field}={str(permissive).lower()}":
            return False
        other = np.flatnonzero(self._labels == f"{field}={str(not permissive).lower()}")
        return bool(len(other)) and sim - float(sims[other].max()) < self.t.caution
