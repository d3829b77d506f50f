"""What a message asks for, by a classifier over the embeddings of labelled example messages
(advisor/data/intents.yaml).

Seven intents: recommend, stack, cost, migration, factual, out_of_scope, not_covered. A multinomial logistic
regression over the examples' MiniLM vectors gives each intent a probability (it beat nearest-neighbour
voting on the dev split: 0.88 against 0.77). What an embedding cannot see (a team describing itself with no
question, "what if…" after a pick, a cost word in the question, the previous turn's intent) are named word
cues; a second regression, the stacker, weighs the classifier's scores and those cues together. It is trained
on labelled messages of the held-out sets' dev split (`evals/learn_intents.py` writes
`advisor/data/intent_stacker.json`), so the cues are evidence it weighs, not rules that decide: hand-written
overrides tuned on dev kept 0.95 there but fell to 0.89 on test; the stacker scored 0.96 on dev authors it
had not seen. The margin is the lead of the best intent over the runner-up.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.corpus_data import load_yaml, validate
from advisor.understanding.examples import EmbeddedBank, Linear

Intent7 = Literal["recommend", "stack", "cost", "migration", "factual", "out_of_scope", "not_covered"]
INTENTS: tuple[str, ...] = ("recommend", "stack", "cost", "migration", "factual", "out_of_scope", "not_covered")
# How each intent is answered (the answer's coarse `intent`): a stack question gets a recommendation with
# its stack pattern first; cost and migration questions get the passages that answer them.
TREATMENT = {"recommend": "recommend", "stack": "recommend", "cost": "factual", "migration": "factual",
             "factual": "factual", "out_of_scope": "out_of_scope", "not_covered": "not_covered"}


class IntentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    c: float = Field(gt=0, le=1000, description="Inverse L2 strength of the logistic regression.")
    question_weight: float = Field(ge=0, le=1, description="Share of the vote given to the message's question "
                                   "clauses (the ask), against the whole message (mostly the team's description).")
    stacker_c: float = Field(default=3.0, gt=0, le=1000, description="Inverse L2 strength of the stacker "
                             "(evals/learn_intents.py); 3 was best over dev's writers, each left out in turn.")
    stacker_fact_weight: float = Field(default=0.3, gt=0, le=1, description="Weight of each fact question in "
                                       "the stacker's training (its label is a guess: plain factual).")
    combination: list[str] = Field(default_factory=list, description="Words that ask how tools combine "
                                   "('which combination', 'what should own what'): between recommend and stack "
                                   "they decide, as the embedding of a long message cannot tell them apart.")


class IntentVote(BaseModel):
    intent: Intent7
    margin: float = Field(description="Lead of the chosen intent's score over the runner-up's.")
    scores: dict[str, float]
    decided_by: str = Field(description="classifier, or the rule that decided before it.")
    nearest: str = Field(default="", description="The closest example of the chosen intent.")


class IntentClassifier:
    def __init__(self, bank: EmbeddedBank, linear: Linear):
        self.bank = bank
        self.linear = linear
        self._members = {lab: np.flatnonzero(np.array(bank.labels) == lab) for lab in bank.label_ids}

    def parts(self, vector: np.ndarray,
              question: np.ndarray | None) -> tuple[dict[str, float], dict[str, float] | None]:
        """The intent probabilities of the whole message and of its question clauses (None without any)."""
        whole = self.linear.probabilities(vector)
        asked = None if question is None else self.linear.probabilities(question / (np.linalg.norm(question) or 1.0))
        return whole, asked

    def vote(self, scores: dict[str, float], asked: dict[str, float] | None, vector: np.ndarray,
             weight: float) -> IntentVote:
        """The classifier's vote from `parts`: the question's share of the scores is `weight`."""
        if asked is not None and weight > 0:
            scores = {k: (1 - weight) * v + weight * asked[k] for k, v in scores.items()}
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, p1), (_, p2) = ranked[0], ranked[1]
        sims = self.bank.similarities(vector[None, :])[0]
        idx = self._members[best]
        nearest = self.bank.texts[int(idx[np.argmax(sims[idx])])]
        return IntentVote(intent=best, margin=round(p1 - p2, 4),  # type: ignore[arg-type]
                          scores={k: round(v, 4) for k, v in scores.items()}, decided_by="classifier",
                          nearest=nearest)


# ---- the stacker ----------------------------------------------------------------------------------------


def features(whole: dict[str, float], asked: dict[str, float] | None, cues: list[str], names: list[str]) -> np.ndarray:
    """The stacker's input: the log-probabilities of the whole message and of its question (the whole
    message's again when it has none), then one 0/1 per named cue, in the order of `names`."""
    asked = asked or whole
    values = {**{f"whole:{k}": float(np.log(v + 1e-4)) for k, v in whole.items()},
              **{f"asked:{k}": float(np.log(v + 1e-4)) for k, v in asked.items()},
              **{f"cue:{c}": 1.0 for c in cues}}
    return np.array([values.get(n, 0.0) for n in names], dtype=np.float32)


class StackerFile(BaseModel):
    """`advisor/data/intent_stacker.json`, written by `python evals/learn_intents.py`."""

    model_config = ConfigDict(extra="forbid")

    fingerprint: str = Field(description="Digest of what the stacker's inputs depend on (the classifier's "
                             "examples and settings, the cue names): a mismatch means it must be relearned.")
    c: float = Field(gt=0)
    fact_weight: float = Field(gt=0, le=1)
    classes: list[Intent7] = Field(min_length=2)
    features: list[str] = Field(min_length=1)
    weights: list[list[float]]
    bias: list[float]
    trained_on: dict[str, int] = Field(description="How many labelled dev messages of each kind trained it.")

    @model_validator(mode="after")
    def _shapes(self) -> StackerFile:
        if len(self.weights) != len(self.classes) or len(self.bias) != len(self.classes) \
                or any(len(row) != len(self.features) for row in self.weights):
            raise ValueError("weights and bias must have one row per class and one column per feature")
        return self


def fingerprint(examples: dict[str, list[str]], settings: IntentSettings, model: str) -> str:
    """What the classifier's scores, the stacker's first features, depend on. (A cue added to or renamed in
    `Reader.cues` is caught by a test: every cue it names must be one the stacker was trained with.)"""
    body = json.dumps([examples, settings.c, model], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


class IntentStacker:
    def __init__(self, data: StackerFile):
        self.data = data
        self.linear = Linear(list(data.classes), np.asarray(data.weights, dtype=np.float32),
                             np.asarray(data.bias, dtype=np.float32))

    @classmethod
    def load(cls, path: Path) -> IntentStacker:
        return cls(validate(StackerFile, load_yaml(path), path))  # type: ignore[arg-type]

    def decide(self, whole: dict[str, float], asked: dict[str, float] | None,
               cues: list[str]) -> tuple[dict[str, float], list[str]]:
        """Each intent's probability, and the cues that pushed the likeliest one most (for the trace)."""
        x = features(whole, asked, cues, self.data.features)
        probs = self.linear.probabilities(x)
        best = self.data.classes.index(max(probs, key=probs.__getitem__))
        pushed = [(float(self.linear.weights[best, i]), n[4:]) for i, n in enumerate(self.data.features)
                  if n.startswith("cue:") and x[i]]
        return probs, [n for w, n in sorted(pushed, reverse=True)[:3] if w > 0.5]
