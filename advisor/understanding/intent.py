"""What a message asks for, by a classifier over the embeddings of labelled example messages
(advisor/data/intents.yaml).

Seven intents: recommend, stack, cost, migration, factual, out_of_scope, not_covered. A multinomial logistic
regression over the examples' MiniLM vectors gives each intent a probability (it beat nearest-neighbour
voting on the dev split: 0.88 against 0.77); the margin is the lead of the best over the runner-up.
Two facts the classifier cannot see decide before it: a tool the article does not cover makes the message
`not_covered`, and a team describing itself without asking anything wants a recommendation.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

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

    def classify(self, vector: np.ndarray, question: np.ndarray | None = None, weight: float = 0.0) -> IntentVote:
        """`vector`: the whole message; `question`: the mean vector of its question clauses, if it has any."""
        scores = self.linear.probabilities(vector)
        if question is not None and weight > 0:
            asked = self.linear.probabilities(question / (np.linalg.norm(question) or 1.0))
            scores = {k: (1 - weight) * v + weight * asked[k] for k, v in scores.items()}
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, p1), (_, p2) = ranked[0], ranked[1]
        sims = self.bank.similarities(vector[None, :])[0]
        idx = self._members[best]
        nearest = self.bank.texts[int(idx[np.argmax(sims[idx])])]
        return IntentVote(intent=best, margin=round(p1 - p2, 4),  # type: ignore[arg-type]
                          scores={k: round(v, 4) for k, v in scores.items()}, decided_by="classifier",
                          nearest=nearest)
