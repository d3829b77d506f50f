"""What a message asks for, by its nearest labelled example messages (advisor/data/intents.yaml).

Seven intents: recommend, stack, cost, migration, factual, out_of_scope, not_covered. Each intent scores
the mean similarity of its `k` nearest examples; the margin is the lead of the best over the runner-up.
Two facts the classifier cannot see decide before it: a tool the article does not cover makes the message
`not_covered`, and a team describing itself without asking anything wants a recommendation.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.understanding.examples import EmbeddedBank

Intent7 = Literal["recommend", "stack", "cost", "migration", "factual", "out_of_scope", "not_covered"]
INTENTS: tuple[str, ...] = ("recommend", "stack", "cost", "migration", "factual", "out_of_scope", "not_covered")
# How each intent is answered (the answer's coarse `intent`): a stack question gets a recommendation with
# its stack pattern first; cost and migration questions get the passages that answer them.
TREATMENT = {"recommend": "recommend", "stack": "recommend", "cost": "factual", "migration": "factual",
             "factual": "factual", "out_of_scope": "out_of_scope", "not_covered": "not_covered"}


class IntentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(ge=1, le=20, description="Nearest examples averaged per intent.")


class IntentVote(BaseModel):
    intent: Intent7
    margin: float = Field(description="Lead of the chosen intent's score over the runner-up's.")
    scores: dict[str, float]
    decided_by: str = Field(description="classifier, or the rule that decided before it.")
    nearest: str = Field(default="", description="The closest example of the chosen intent.")


class IntentClassifier:
    def __init__(self, bank: EmbeddedBank, settings: IntentSettings):
        self.bank = bank
        self.settings = settings
        self._members = {lab: np.flatnonzero(np.array(bank.labels) == lab) for lab in bank.label_ids}

    def scores(self, vector: np.ndarray) -> dict[str, float]:
        sims = self.bank.similarities(vector[None, :])[0]
        k = self.settings.k
        out = {}
        for lab, idx in self._members.items():
            top = np.sort(sims[idx])[-k:]
            out[lab] = float(top.mean())
        return out

    def classify(self, vector: np.ndarray) -> IntentVote:
        scores = self.scores(vector)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, s1), (_, s2) = ranked[0], ranked[1]
        sims = self.bank.similarities(vector[None, :])[0]
        idx = self._members[best]
        nearest = self.bank.texts[int(idx[np.argmax(sims[idx])])]
        return IntentVote(intent=best, margin=round(s1 - s2, 4),  # type: ignore[arg-type]
                          scores={k: round(v, 4) for k, v in scores.items()}, decided_by="classifier",
                          nearest=nearest)
