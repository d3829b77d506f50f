"""The answer every front end receives: markdown with [n] markers plus the structured decision."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from advisor.profile import TeamProfile
from advisor.understanding.evidence import Evidence, Topic

Intent = Literal["recommend", "factual", "out_of_scope", "not_covered"]


class CitationOut(BaseModel):
    n: int = Field(ge=1)
    chunk_id: str
    section: str
    quote: str = Field(description="Verbatim from the corpus.")


class ReasonOut(BaseModel):
    rule: str
    delta: float
    why: str
    citation: int = Field(ge=1, description="The [n] of the passage the rule encodes.")


class ScoreOut(BaseModel):
    tool: str
    score: float
    reasons: list[ReasonOut]


class RecommendationOut(BaseModel):
    primary: str
    secondary: list[str]
    avoid: list[str]
    stack_pattern: str | None
    confidence: Literal["high", "medium", "low"]


class AssumptionOut(BaseModel):
    field: str
    value: Any
    say: str
    matters: bool


class HingeOut(BaseModel):
    field: str
    ask: str
    value: Any
    primary_would_be: str
    decides: bool = Field(default=False, description="An assumed value of this fact decides the pick.")
    unless: str | None = None
    condition: Literal["unstated", "half-said"] | None = Field(default=None, description="Set when this fact "
                                                              "would rule the pick out (`unless` names it): "
                                                              "unstated, or half-said.")
    doubt: str | None = Field(default=None, description="The user's words that half-said this fact, if any.")


class CostOut(BaseModel):
    band: str
    basis: str
    figures: dict[str, str] = Field(description="Tool id -> the article's estimate, verbatim.")
    citation: int


class Understanding(BaseModel):
    """How the message was read: what it asks for (one of seven intents), and about what."""

    intent: str = Field(description="recommend, stack, cost, migration, factual, out_of_scope or not_covered.")
    intent_margin: float = Field(description="Lead of that intent over the runner-up (classifier scores).")
    intent_by: str = Field(description="classifier, or the rule that decided before it.")
    elliptical: bool = Field(default=False, description="A follow-up asking the previous question of a new "
                             "subject ('and MLflow?').")
    what_if: bool = Field(default=False, description="It opens with a what-if ('what if we hired two…'): the "
                          "conversation keeps the team as it was, which 'back to reality' brings back.")
    topic: Topic
    set_aside: list[Evidence] = Field(default_factory=list, description="Facts read but refused, with why.")
    supposed: dict[str, Any] = Field(default_factory=dict, description="Facts of a team the question asked about "
                                     "without claiming it: the advice is for it, the conversation does not keep them.")
    stated: dict[str, Any] = Field(default_factory=dict, description="The facts this message itself states.")
    real: dict[str, Any] = Field(default_factory=dict, description="Of those, the facts a what-if message states "
                                 "of the team as it is, in a sentence of their own: they outlive the what-if.")
    advisee: bool = Field(default=False, description="The supposed team is the one the asker advises (a "
                          "client): the conversation keeps its facts for the follow-ups.")
    corrections: list[str] = Field(default_factory=list, description="'Understood as …, correct me' lines.")
    doubts: list[Evidence] = Field(default_factory=list, description="Facts half-said by the conversation so far "
                                   "(never facts): a pick one of them would rule out is made conditional on it.")
    spelling: dict[str, str] = Field(default_factory=dict, description="Typos corrected before reading: "
                                     "word as written -> word read.")
    destination: str | None = Field(default=None, description="The tool a move the message speaks of goes to.")
    first_person: bool = Field(default=False, description="The message speaks of 'we', 'our' or 'I'.")
    theirs: list[str] = Field(default_factory=list, description="Tools named only where another team's doings are "
                              "said ('the ads team have used Kubeflow for years'): after a pick, not the subject.")
    adopted: dict[str, Any] = Field(default_factory=dict, description="Facts of a team an earlier question asked "
                                    "about without claiming it, taken as the asker's own now that they speak of "
                                    "'we' or 'our' (said in the answer's first line).")
    layers: list[str] = Field(default_factory=list, description="The parts of a stack the message asks a tool "
                              "for ('for the tracking layer, which one?' -> tracking).")

    @classmethod
    def of(cls, reading) -> Understanding:  # an advisor.understanding.reading.Reading
        return cls(intent=reading.intent, intent_margin=reading.intent_margin, intent_by=reading.intent_by,
                   elliptical=reading.elliptical, what_if=reading.what_if,
                   topic=reading.topic, set_aside=reading.set_aside, corrections=reading.corrections,
                   supposed=reading.supposed.known(), advisee=reading.advisee, stated=reading.stated.known(),
                   real=reading.real.known(),
                   doubts=reading.doubts, spelling=reading.spelling, destination=reading.destination,
                   layers=reading.layers, first_person=reading.first_person, theirs=reading.theirs)


class Answer(BaseModel):
    question: str
    answer: str = Field(description="Markdown with [n] citation markers.")
    in_scope: bool
    intent: Intent
    profile: dict[str, Any] = Field(description="The facts understood from the question (and conversation).")
    profile_evidence: list[Evidence] = Field(default_factory=list, description="Why each known fact is known.")
    understanding: Understanding | None = None
    recommendation: RecommendationOut | None = None
    scores: list[ScoreOut] = []
    citations: list[CitationOut] = []
    assumptions: list[AssumptionOut] = []
    hinges: list[HingeOut] = []
    cost: CostOut | None = None
    not_covered: list[str] = Field(default_factory=list, description="Tools asked about that the corpus lacks.")
    layer_picks: dict[str, str] = Field(default_factory=dict, description="For each part of a stack the question "
                                        "asked a tool for, the tool the answer names ({'tracking': 'mlflow'}).")
    migration: str | None = Field(default=None, description="The migration path the answer quotes first ('MLflow "
                                  "to W&B'): a follow-up asking about the way back reverses it.")
    table_match: str | None = Field(default=None, description="The table row that answered a factual question, "
                                    "and what matched it (advisor/fact_table.py).")
    backend: str = Field(default="none", description="The model that wrote the prose, or none (deterministic).")
    grounded: bool = Field(default=True, description="False when the guard dropped model sentences or fell back.")
    dropped: list[dict[str, Any]] = Field(default_factory=list, description="Model sentences the guard dropped.")
    notice: str | None = Field(default=None, description="One line to show the user, e.g. a fallback.")
    trace_id: str | None = None
    retrieved: list[dict[str, Any]] = Field(default_factory=list, description="Chunk ids and scores used.")
    timings_ms: dict[str, float] = {}

    @property
    def team_profile(self) -> TeamProfile:
        return TeamProfile.model_validate(self.profile)


class StreamEvent(BaseModel):
    """A piece of answer text (already guarded) or, last, the complete answer. `reset`: discard the text
    streamed so far; this event's text replaces it (a fallback to the deterministic answer)."""

    text: str = ""
    reset: bool = False
    answer: Answer | None = None
