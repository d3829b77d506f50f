"""Read a message once: one typed `Reading` that routing, rules, retrieval and the composer all consume.

The readers, in order of trust:
1. the lexicon (advisor/data/lexicon.yaml): precise patterns, the first pass;
2. the quantity reader: numbers bound to what they count ("a 50-person org", "grow to 45");
3. the meaning reader: clauses compared with labelled examples (advisor/data/meaning.yaml), which
   catches paraphrases the lexicon has no pattern for;
4. implications (advisor/data/understanding.yaml): "a Kubernetes team" means at least two engineers.
A clause about someone else, a question about a tool, or a wish states nothing about the team: facts read
there are set aside (kept in the reading, with why). Every fact carries its evidence: the clause it came
from and how it was read.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.answer_types import answer_type
from advisor.corpus_data import Vocabulary, load_yaml, validate
from advisor.extract import ProfileExtractor, accepts
from advisor.premises import Contradiction, Premises
from advisor.profile import CORE_TOOLS, TeamProfile
from advisor.scope import load_scope
from advisor.understanding.clauses import GONE, Clause, clause_at, split_clauses
from advisor.understanding.evidence import Evidence, Topic
from advisor.understanding.examples import (
    EmbeddedBank,
    IntentFile,
    LearnedFile,
    Linear,
    MeaningFile,
    cached_linear,
    data_file,
    embed_queries,
    load_bank,
    shipped_linear,
    train_linear,
)
from advisor.understanding.intent import (
    INTENTS,
    IntentClassifier,
    IntentSettings,
    IntentStacker,
    IntentVote,
    fingerprint,
)
from advisor.understanding.layers import Layers
from advisor.understanding.meaning import ClauseMeaning, MeaningReader, MeaningThresholds, Signal
from advisor.understanding.quantities import K8S_NAMES, Quantity, quantity_reader
from advisor.understanding.spelling import Speller

SHIPPED_CLASSIFIER = "meaning_classifier.npz"  # written by evals/ship_classifier.py


def load_learned(path: Path, labels: set[str]) -> dict[str, list[str]]:
    """The dev split's labelled clauses (none if the file is absent); a label meaning.yaml lacks fails at load,
    naming the file and the label."""
    if not path.exists():
        return {}
    learned = {k: v for k, v in load_bank(path, LearnedFile).items() if v}
    unknown = sorted(set(learned) - labels)
    if unknown:
        from advisor.errors import CorpusError

        raise CorpusError(f"invalid {path.name}: labels.{unknown[0]}: not a label of meaning.yaml")
    return learned


class Reading(BaseModel):
    """Everything understood from one message (and the conversation before it)."""

    text: str
    normalized: str
    clauses: list[str] = []
    quantities: list[Quantity] = []
    tools: list[str] = Field(default_factory=list, description="Tools the corpus covers, named in the text.")
    destination: str | None = Field(default=None, description="The tool a move the message speaks of goes to "
                                    "('thinking of moving to W&B').")
    spelling: dict[str, str] = Field(default_factory=dict, description="Typos corrected before reading "
                                     "(`text` is the corrected message): word as written -> word read.")
    uncovered: list[str] = Field(default_factory=list, description="Tools named that the corpus does not cover.")
    stated: TeamProfile = Field(default_factory=TeamProfile, description="The facts this message states.")
    supposed: TeamProfile = Field(default_factory=TeamProfile, description="Facts of a team the message asks "
                                  "about that is not the asker's ('which tool should a regulated insurer "
                                  "choose?', 'my friend's startup'): used for this answer, not kept.")
    advisee: bool = Field(default=False, description="The team supposed is the one the asker advises ('my "
                          "client is an insurer with ~60 people'): a conversation keeps its facts for the "
                          "follow-ups about it, until the asker speaks of their own team.")
    changes: dict[str, int] = Field(default_factory=dict, description="Additions: 'hire two more' -> +2.")
    evidence: list[Evidence] = []
    set_aside: list[Evidence] = Field(default_factory=list, description="Read, then refused, with why.")
    doubts: list[Evidence] = Field(default_factory=list, description="Facts the message half-says (a clause "
                                   "close to a fact's examples, but not close enough to read it): never facts; a "
                                   "pick that one of them would rule out is made conditional on it.")
    intent: str = "factual"
    intent_margin: float = 0.0
    intent_scores: dict[str, float] = {}
    intent_by: str = ""
    first_person: bool = False
    what_if: bool = Field(default=False, description="It opens with a what-if ('what if we hired two…', "
                          "'suppose…'): a conversation keeps the team as it was, for 'back to reality'.")
    real: TeamProfile = Field(default_factory=TeamProfile, description="Facts a what-if message states in "
                              "another sentence, of the team as it is ('what if one of us moved to platform? (we "
                              "already retrain on a schedule)'): they outlive the what-if.")
    asks: bool = Field(default=True, description="The message asks something (else it only describes).")
    elliptical: bool = Field(default=False, description="A follow-up that leans on the previous question "
                             "('and MLflow?', 'what about W&B?').")
    topic: Topic = Field(default_factory=Topic)
    theirs: list[str] = Field(default_factory=list, description="Tools named only where another team's doings "
                              "are said ('the ads team have used Kubeflow for years').")
    layers: list[str] = Field(default_factory=list, description="The parts of a stack the message asks a tool for "
                              "('for the tracking layer, which one?' -> tracking): advisor/understanding/layers.py.")
    premises: list[Contradiction] = []
    corrections: list[str] = Field(default_factory=list, description="'Understood as …, correct me' lines.")
    model_reader: str | None = Field(default=None, description="What the second reader (a model) did, if any.")

    def runner_up(self) -> str:
        """The best-scoring intent that answers something (not out of scope, not an uncovered tool)."""
        ranked = sorted(((v, k) for k, v in self.intent_scores.items() if k not in ("out_of_scope", "not_covered")),
                        reverse=True)
        return ranked[0][1] if ranked else "factual"

    @staticmethod
    def _counts_kept(before: TeamProfile, said: TeamProfile, after: TeamProfile,
                     skip: frozenset[str] = frozenset()) -> TeamProfile:
        """A team named without a number ("the platform team is staying put") means at least two of it: a count
        said before ("a 4-person platform team") stands in `after` where `said` gives only the 2 (fields in `skip`
        excepted)."""
        keep = {f: getattr(before, f) for f in _AT_LEAST_TWO
                if f not in skip and getattr(said, f) == 2 and (getattr(before, f) or 0) > 2}
        return after.model_copy(update=keep) if keep else after

    def _keep_counts(self, before: TeamProfile, merged: TeamProfile) -> TeamProfile:
        """What the message states over `before`, a count said before kept (unless this message counts the group
        or changes it)."""
        # (a lexicon rule that read the number itself counted too: "the platform group is down to 2")
        counted = {e.field for e in self.evidence if e.how == "quantity" or (
            isinstance(e.value, int) and re.search(rf"(?<![\w.]){e.value}(?![\w.])", e.words))}
        return self._counts_kept(before, self.stated, merged, frozenset(counted | set(self.changes)))

    def shrinks_group(self, k8s: int | None, platform: int | None) -> int | None:
        """"an infra team of 5 that runs our Kubernetes clusters", then "correction: the infra team is 3 people":
        the Kubernetes people (`k8s`, as many as the platform group before) were that group, counted twice, so
        they shrink with it; the new count, or None. (A group that grows may hire people who have never run a
        cluster, so only a smaller count carries over.)"""
        now = self.stated.platform_engineers
        if (k8s is None or k8s != platform or now is None or now >= k8s or self.stated.k8s_engineers is not None
                or "k8s_engineers" in self.changes):
            return None
        return now

    def _group_shrunk(self, before: TeamProfile, merged: TeamProfile) -> TeamProfile:
        now = self.shrinks_group(before.k8s_engineers, before.platform_engineers)
        return merged if now is None else merged.model_copy(update={"k8s_engineers": now})

    def supposing(self, merged: TeamProfile) -> TeamProfile:
        """`merged` with what the message supposes or takes for granted on top ("Kubeflow then, since the platform
        team already runs k8s?"), a count said before kept."""
        return self._counts_kept(merged, self.supposed, merged.merged(self.supposed))

    def apply(self, before: TeamProfile | None) -> TeamProfile:
        """The profile after this message: its facts replace earlier ones, its additions add to them."""
        merged = before.merged(self.stated) if before is not None else self.stated
        if before is not None:
            merged = self._keep_counts(before, merged)
            merged = self._group_shrunk(before, merged)
        if not self.changes:
            return merged
        data = merged.model_dump()
        base = before.model_dump() if before is not None else {}
        stated = self.stated.model_dump()
        for field, delta in self.changes.items():
            if stated.get(field) is not None and base.get(field) is None:
                continue  # the message's own absolute reading stands
            data[field] = (base.get(field) or 0) + delta
        return TeamProfile.model_validate(data)


# ---- configuration ---------------------------------------------------------------------------------


class Implication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    when: dict[Literal["signal", "quantity", "fact"], str]
    unless: list[str] = Field(default_factory=list, description="Words that make the clause a wish, not a fact.")
    only_with: list[str] = Field(default_factory=list, description="Words one of which the clause must hold.")
    yields_to: str | None = Field(default=None, description="An implication whose hit in the same message wins "
                                  "over this one's hits that name none of `people`.")
    people: list[str] = Field(default_factory=list, description="Words naming people, for `yields_to`.")
    set: dict[str, Any]
    why: str


class UnderstandingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meaning: MeaningThresholds
    intent: IntentSettings
    implications: list[Implication]
    dimensions: dict[str, list[str]]
    # a dimension's word in another sense ("a split on-prem/cloud setup like ours" is an arrangement, no setup time)
    not_dimensions: list[str] = Field(default_factory=list)
    layers: dict[str, list[str]] = Field(default_factory=dict, description="A part of a stack -> its words.")
    scope: dict[Literal["other", "wish", "instruction", "past"], list[str]]
    entities: dict[Literal["not_current", "in_use"], list[str]]
    slips: dict[str, str] = Field(default_factory=dict)
    words: list[str] = Field(default_factory=list, description="Words the speller leaves alone.")

    @model_validator(mode="after")
    def _yields_to_known(self) -> UnderstandingConfig:
        ids = {imp.id for imp in self.implications}
        for imp in self.implications:
            if imp.yields_to is not None and imp.yields_to not in ids:
                raise ValueError(f"implication {imp.id}: yields_to names no implication ({imp.yields_to!r})")
        return self

    @classmethod
    def load(cls) -> UnderstandingConfig:
        path = data_file("understanding.yaml")
        return validate(cls, load_yaml(path), path)  # type: ignore[return-value]


@dataclass
class Context:
    """What a conversation established before this message."""

    profile: TeamProfile | None = None
    topic: Topic | None = None
    evidence: list[Evidence] = dc_field(default_factory=list)
    intent: str | None = None  # what the previous message asked for
    question: str | None = None  # the previous message
    pick: str | None = None  # the conversation's last recommended tool
    move: str | None = None  # the migration path last quoted ("MLflow to W&B"), which "going back?" reverses
    doubts: list[Evidence] = dc_field(default_factory=list)  # facts earlier messages half-said
    advisee: bool = False  # the profile is a client's the asker advises (Reading.advisee)
    named: list[str] = dc_field(default_factory=list)  # the compared tools the asker named so far, latest last
    offered: list[str] = dc_field(default_factory=list)  # the tools the last answer put forward, foremost first
    supposing: bool = False  # a what-if is in force: the profile is supposed, the team as it is is kept aside
    # a move the previous message weighed without asking about it ("we use MLflow, thinking of moving to W&B"),
    # as a migration path ("MLflow to W&B"): "how long would that take?" asks about it
    weighing: str | None = None
    # a team an earlier question asked about without claiming it ("should a 12-person team with one devops
    # engineer go for kubeflow?"), and why each of its facts was read: a later message in the first person that
    # describes no other team ("he's run our EKS clusters in prod") takes it as the asker's own
    supposed: TeamProfile | None = None
    supposed_evidence: list[Evidence] = dc_field(default_factory=list)
    # the team the last advice was for, while ours was known and kept ("our client is a big bank with 200
    # modelers. what about them?"): "them" in a later message
    their: TeamProfile | None = None
    restored: bool = False  # the message brought back the team as it was before the what-ifs in force

    def adopts_supposed(self, reading: Reading) -> bool:
        """The message speaks of us, of a team asked about before and never claimed, while no team of ours is
        known: that team was ours."""
        return self.supposed is not None and not (self.profile is not None and self.profile.known()) \
            and reading.first_person and not reading.supposed.known() and not reading.advisee

    def leaves_advisee(self, reading: Reading) -> bool:
        """The message turns from the client to the asker's own team ("now for my own shop - we're 6")."""
        return self.advisee and bool(reading.stated.known()) and bool(OWN_TEAM.search(reading.normalized))


def merge_evidence(before: list[Evidence], reading: Reading) -> list[Evidence]:
    """Evidence for the profile after `reading`: its own facts replace earlier ones; additions say so."""
    now = {e.field: e for e in before}
    k8s, platform = now.get("k8s_engineers"), now.get("platform_engineers")
    for e in reading.evidence:
        now[e.field] = e
    shrunk = reading.shrinks_group(k8s.value, platform.value) if k8s is not None and platform is not None else None
    if shrunk is not None:
        said = next((e for e in reading.evidence if e.field == "platform_engineers"), platform)
        now["k8s_engineers"] = said.model_copy(update={
            "field": "k8s_engineers", "how": "correction",
            "detail": f"the {k8s.value} who run Kubernetes were that group; it is {shrunk} now"})
    for name, delta in reading.changes.items():
        now[name] = Evidence(field=name, value=delta, words=reading.normalized, how="quantity",
                             detail=f"adds {delta} to what was said before")
    return list(now.values())


def _words(words: list[str]) -> re.Pattern[str]:
    """Whole words or phrases (a space also matches a hyphen)."""
    alts = (r"[\s-]+".join(map(re.escape, w.lower().split())) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


_LISTED = re.compile(r"\s*(?:[a-z/&'.-]+\s*){0,3}?(?:,|\+|and|plus|&)\s*(?:and\s+)?")


def _clause_index(clauses: list[Clause], words: str) -> int | None:
    """The index of the clause whose text is `words` (an Evidence's clause)."""
    return next((i for i, c in enumerate(clauses) if c.text == words), None)


def _partial_sums(q: Quantity) -> list[int]:
    """The running totals of a listed sum short of its end ("4 research scientists, 6 ML engineers and 2 data
    engineers": 4, 10): what the lexicon may have read of the list."""
    return list(accumulate(q.parts))[:-1]


def _summed(people: list[Quantity], low: str) -> list[Quantity]:
    """The head counts to consider, best first: the last new value ("will be 8"), else roles listed side by
    side summed ("6 DS, 2 MLE" -> 8, kept with the first as `low`), else each count in order."""
    changed = [q for q in people if q.change == "to"] or [q for q in people if q.total]
    if changed:
        return [changed[-1]]
    out: list[Quantity] = []
    i = 0
    while i < len(people):
        group = [people[i]]
        while i + len(group) < len(people):
            nxt = people[i + len(group)]
            if nxt.noun == group[-1].noun or "of us" in nxt.noun or not _LISTED.fullmatch(low[group[-1].end:nxt.start]):
                break
            group.append(nxt)
        if len(group) > 1:
            total = sum(q.value for q in group)
            out.append(group[0].model_copy(update={"value": total, "low": group[0].value, "end": group[-1].end,
                                                   "noun": " + ".join(f"{q.value} {q.noun}" for q in group),
                                                   "parts": [q.value for q in group]}))
        else:
            out.append(group[0])
        i += len(group)
    return out


# ---- the reader -----------------------------------------------------------------------------------------

_QUESTION = "a question, not a statement about the team"
_AT_LEAST_TWO = ("k8s_engineers", "platform_engineers")  # "a platform team" with no number: 2
_OTHER = "about someone else"
_PAST = "about a past job"
_ASKED = "asked about, not said of the team"
_WANTED = "what the team wants done, not how it works now"
_NEEDS = frozenset({"needs_orchestration", "needs_dashboards"})  # what is wanted is itself the fact
# needs and worries a question can mention without having them
_ATTITUDES = frozenset({"seat_price_sensitive", "lock_in_averse", "time_pressure", "needs_dashboards",
                        "needs_orchestration", "hybrid_cloud", "private_cloud_ok"})
# "…on the table for the pipeline orchestration we need?": a need said of the team inside a question
_OWN_NEED = re.compile(r"\b(?:the|some|real|proper|any|all\s+the)\s+(?:\w+\s+){0,2}?(?:that\s+)?(?:we|i)\s+"
                       r"(?:really\s+|also\s+|still\s+|actually\s+|badly\s+)?(?:need|want|require)\b")
_CHOICE = re.compile(r"\b(?:or|vs|versus)\b")
# the people a team reports to, asking it for something
_THEY_ASK_US = re.compile(r"\b(?:our|my)\s+(?:clients?|customers?|funders?|stakeholders?|board|execs?|executives?|"
                          r"leadership|management|managers?|boss|bosses|partners?|sponsors?)\s+(?:\w+\s+)?"
                          r"(?:want|wants|need|needs|expect|expects|ask\s+for|asks\s+for|require|requires|demand|"
                          r"demands)\b")
# "we are a bank", "our team has…": a question that also says something about the team
_SELF = re.compile(r"\b(?:we|i)\s+(?:are|am|have|has|do|run|use|build|need|want|work|only|already|currently)\b|"
                   r"\bour\s+(?:\w+\s+){0,2}(?:is|are|has|have)\b|\bgiven\s+(?:we|our|that\s+we)\b|"
                   # "how much does kubeflow cost for our 10-person team": the team it asks for is ours
                   r"\b(?:for|with|at)\s+(?:our|us)\s+(?:\w+\s+){0,2}?\d+[\s-]*(?:people|person|persons|ppl|"
                   r"engineers|users|seats|data\s+scientists|ds|mles)\b|\bfor\s+us\s+\d+\b|"
                   # "mlflow or wandb for the two of us?"
                   r"\b(?:for|with)\s+(?:the\s+|all\s+)?\d+\s+of\s+us\b")
_SENTENCE = re.compile(r"[.!?;]\s+")
_SENTENCE_MARK = re.compile(r"[.!?;\n]")
# a worry the clause waves away: the meaning reader finds the worry's topic, not the dismissal
_WORRIES = frozenset({"seat_price_sensitive", "lock_in_averse", "time_pressure"})
_DISMISSED = re.compile(r"\b(?:irrelevant|overblown|overrated|non-?issue|moot|no\s+object|"
                        r"(?:does|do)\s+not\s+(?:matter|bother\s+us|worry\s+us))\b")
_K8S_NAME = re.compile(r"\b(?:" + "|".join((*K8S_NAMES, "openshift")) + r")\b")
_K8S_WORD = re.compile(_K8S_NAME.pattern[:-3] + r"|clusters?)\b")  # the names, or a cluster said plainly
_SURE_OFF_TOPIC = 0.3  # the classifier's off-topic margin above which the cues do not make it a fact question
_NEAR_TIE = 0.1  # the stacker's margin under which a pick and a fact are a coin toss
_OF_US = re.compile(r"\b(?:\d+|one|two|three|some|most|all|none|both)\s+of\s+us\b")
_GONE_AFTER = re.compile(r"\s*(?:(?:who|that)\s+(?:[\w'-]+\s+){0,4}?)?(?:have\s+|has\s+|had\s+)?"
                         r"(?:all\s+|both\s+|since\s+|now\s+|just\s+|recently\s+)?"
                         r"(?:" + GONE + r"|moved\s+on|retired)\b")
# back to now: "…, and we have one MLOps engineer"
_NOW = re.compile(r"\b(?:now|here|today|currently|these\s+days|at\s+the\s+moment|nowadays)\b|"
                  r"\b(?:we|i)\s+(?:have|has|are|am|run|use|do|need|want|work)\b|"
                  # "three ran production kubernetes at previous jobs, but nobody is dedicated to infra": the
                  # present tense after the past job
                  r"^\W*(?:but\s+)?(?:nobody|no\s+one|none\s+of\s+us|everyone|everybody)\s+(?:is|are|has|does)\b|"
                  # "…ran GKE at previous jobs, and the bidding models already retrain automatically": what already
                  # happens is here
                  r"\balready\s+(?:\w+\s+)?(?:runs?|retrains?|trains?|is|are|has|have|ships?|uses?|lives?|happens?)\b|"
                  r"^\W*but\s+(?:(?:we|our\s+\w+)\s+(?:is|are|have|has|do|does)|there\s+(?:is|are))\b|"
                  # ("…ran k8s in production at their last job, but honestly our modelling is still all manual": the
                  # splitter has taken the "but"; our own work in the present tense)
                  r"^\W*(?:but\s+)?(?:(?:honestly|frankly|really|truthfully|actually|sadly|right\s+now)\s+)?"
                  r"our\s+\w+(?:\s+\w+)?\s+(?:is|are)\b")
_HYPOTHETICAL = frozenset({"suppose", "imagine", "hypothetically", "hypothetical"})
# "imagine a team of 5…" is someone else; "suppose the data could go to the cloud" is a what-if about us
_ANOTHER = re.compile(r"\b(?:a|an|some|another|their)\s+(?:\w+\s+){0,2}?(?:team|company|startup|org|organisation|"
                      r"organization|firm|bank|hospital|lab|group|client|customer)\b")
# "how we combine MLflow and Kubeflow": a question in non-native word order, with no auxiliary after "how"
_COPULAS = frozenset({"is", "are"})
# "customer" / "client" as a noun's modifier names no one's team: "our customer data", "a customer support
# copilot", "client-facing dashboards" are ours
_THEIR_DATA = re.compile(r"[\s-]+(?:data|records|information|info|pii|phi|details|files|transactions|accounts|"
                         r"conversations|emails|documents|datasets?|transcripts?|tickets?|chats?|support|service|"
                         r"success|care|experience|churn|facing|feedback|reviews?|segmentation|insights?|"
                         r"analytics|journeys?|lifetime)\b")
_ASKS_ORCHESTRATOR = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:orchestrators?|schedulers?|workflow\s+(?:engines?|tools?)|dag\s+tools?)\b|"
    r"\bwhat\s+(?:would|will|should|could|do\s+\w+|does\s+\w+)\s+(?:\w+\s+)?(?:run|schedule|orchestrate)s?\s+"
    r"(?:the|our|its|their)\s+(?:pipelines?|workflows?|jobs|dags|training)\b")
_RELATIVE = re.compile(r"\b(?:who|whom|that|both\s+of\s+whom|all\s+of\s+whom|each\s+of\s+whom)\b")
_THEIR_PEOPLE = re.compile(r"\b(?:previous|last|former|old|prior)\s+(?:employer|company|job|team|firm|org)\s+"
                           r"(?:ran|runs|had|has|used|uses|operated|employed|with)\b")
_ASKS_COST = re.compile(r"\b(?:costs?|costing|bills?|cost\s+us|run\s+us|set\s+us\s+back|price|priced|pricing|"
                        r"per[\s-]+(?:user|seat|head)|"
                        r"is\s+it\s+free|free\s+to\s+use|for\s+free|^\W*(?:and\s+|so\s+|but\s+)?free\W*$|ballpark|"
                        # "a three-year budget line for MLflow", "what should I budget for W&B?"
                        r"budget\s+line|line\s+item|\bhow\s+much\W*$|"  # ("k how much")
                        r"(?:what|how\s+much)\s+(?:\w+\s+){0,3}?budget\s+for|"
                        # "how many DevOps people does it eat?", "how many FTEs would Kubeflow need?" (FTEs alone ask)
                        r"headcount(?:-wise)?|staffing|ftes?\b|"
                        r"how\s+many\s+(?:(?:devops|platform|ops|mlops|infra\w*|sre|dedicated|full[- ]time)\s+)+"
                        r"(?:people|engineers?|ftes?|heads|staff|folks|hires)?\b|"
                        # ("how much does Kubeflow actually bring to the table for LLM work?" asks what it gives)
                        r"how\s+much\s+(?:is|are|would|will|does|do|money)(?!\s+(?:[\w&]+\s+){0,2}?"
                        r"(?:bring|brings|offer|offers|give|gives|help|helps|add|adds|matter|matters|support|supports|"
                        r"contribute|improve|change|solve|solves|fix|fixes|cover|covers)\b)|expensive|cheaper|dearer|tco|"
                        # "give me the yearly figure for each of the three", "I mainly need to understand the money"
                        r"(?:yearly|annual|monthly)\s+(?:figures?|numbers?|amounts?|totals?)|"
                        r"(?:understand|know|see|get)\s+the\s+(?:money|numbers|money\s+side)|"
                        # "what's the annual W&B spend looking like?"
                        r"(?:annual|yearly|monthly|total|tooling|licen[cs]e|seat)\s+(?:[\w&]+\s+)?spend|"
                        r"how\s+much\s+(?:engineer(?:ing)?|devops|ops|platform|people|staff)\s+(?:time|effort)|"
                        r"how\s+many\s+(?:people|engineers|ftes?|staff|heads)\s+(?:do|would|will)\s+(?:we|i|you)\s+need|"
                        r"total\s+cost|(?:infra|infrastructure|cloud|licen[cs]e|seat|annual|yearly|monthly)\s+bill|"
                        r"what\s+(?:would|will)\s+(?:the|our)\s+bill|"
                        # "what would the seats come to?"
                        r"(?:seats?|licen[cs]es?|licen[cs]ing|subscriptions?|bill|it\s+all|the\s+total)\s+(?:would\s+|will\s+)?"
                        r"come\s+to)\b|"
                        # "what would the Kubernetes infrastructure for Kubeflow run to?"
                        r"\bwhat\s+(?:would|will|does|do)\s+(?:[\w&'-]+\s+){1,6}?(?:run|come)\s+to\W*$|"
                        r"(?<![\w$])\${2,}(?![\w$])")  # "how much $$ for us"
_SEATS_COME_TO = re.compile(r"\b(?:seats?|licen[cs]es?|bill|subscriptions?)\s+(?:would\s+|will\s+)?"
                            r"(?:come\s+to|cost|run\s+to)\b")
# "can weave track what our LLM calls cost?": a feature that follows costs, not a price
_TRACKS_COST = re.compile(r"\b(?:track|tracks|tracking|monitor|monitors|monitoring|log|logs|logging|measure|measures|"
                          r"attribute|attributes)\s+(?:[\w']+\s+){0,6}?(?:costs?|costing|spend|spending)\b")
# "which of the two is cheaper at 30 users" asks a cost, though it asks "which"
_CHEAPER = re.compile(r"\b(?:cheaper|cheapest|dearer|less\s+expensive|least\s+expensive|most\s+affordable|"
                      r"costs?\s+(?:us\s+)?(?:the\s+)?less|costs?\s+(?:us\s+)?the\s+least)\b")
_COUNTERFACTUAL = re.compile(r"^\W*(?:even\s+)?if\s+(?:(?:\w+\s+){1,4}?(?:were|had\s+been)|we\s+had)\b")
_DISMISS = re.compile(r"\b(?:forget|forget\s+about|never\s*mind|nevermind|scratch|scrap|drop|ignore|skip)"
                      r"\s+(?:the\s+)?(?:\w+\s+)?$")
# whether to move at all: "should we move to W&B?", "is it worth switching from MLflow to W&B?"
_SHOULD_MOVE = re.compile(r"\b(?:should|shall|must|do|would)\s+(?:we|i|you)\s+(?:\w+\s+)?"
                          r"(?:move|migrate|switch|go|jump)\b|"
                          r"\bworth\s+(?:it\s+)?(?:\w+\s+)?(?:moving|migrating|switching|going|the\s+(?:move|switch))\b")
# ("moving from W&B to MLflow": the tool moved from stands between the verb and "to")
_MOVE_TO = re.compile(r"\b(?:(?:move|moving|moved|migrate|migrating|migration|switch|switching|port|porting|go|going)"
                      r"\s+(?:(?:all|everything|it|us|them|over|across|off\s+\w+|from\s+(?:[\w&.-]+\s+){0,2}?[\w&.-]+)\s+)*"
                      r"(?:to|onto|into)|"
                      r"replac(?:e|ing)\s+(?:\w+\s+){1,3}?with)\s+(?:the\s+|something\s+(?:\w+\s+)?like\s+)?")
# ("how do teams usually combine these 3 tools?" asks for the combination: dev intents)
# ("how do bigger orgs usually set these tools up together?": what is usual among other organisations)
_COMMON = re.compile(r"\b(?:most\s+common(?:ly)?|most\s+popular|most\s+often|most\s+widely)\b|"
                     r"\b(?:usually|typically|normally|generally|commonly|tend\s+to)\b(?=[^.?!]*\b(?:orgs?|"
                     r"organi[sz]ations|companies|enterprises|shops|firms)\b)|\b(?:bigger|larger|big|large|most|"
                     r"enterprise|mid-size|mid-sized|other)\s+(?:orgs?|organi[sz]ations|companies|enterprises|shops|"
                     r"firms)\b[^.?!]*\b(?:usually|typically|normally|generally|commonly|tend\s+to)\b")
_HAS_CAPABILITY = re.compile(r"^\W*(?:(?:and|but|so|also)\s+)?(?:does|do|can|could|will|is|are)\s+(?:\S+\s+){1,3}?"
                             r"(?:support|supports|offer|offers|have\s+(?:native|built-in|any)|provide|provides|"
                             # ("is its private cloud option available on the standard plan?")
                             r"(?:\S+\s+){0,2}?(?:available|included|offered)\s+(?:on|in|with|for|under)|"
                             r"integrate\s+with|integrates\s+with|log|track|trace|do\s+(?:native\s+)?\w+\s+"
                             r"(?:evaluation|tracing|tracking|logging|serving|versioning))\b")
# a team's own money: "our budget", "we can't afford", "tight"
_OWN_MONEY = re.compile(r"\b(?:our|my|we|we're|us|i)\b[^.?!]{0,40}?\b(?:budget|money|afford|spend|tight|cheap|"
                        r"costs?|pricey|expensive)\b|\b(?:tight|limited|small|shoestring|constrained|no)\s+budget\b|"
                        r"\bbudget\s+(?:is|'s)\b|\bcan'?t\s+afford\b")
# the price asked again in other words: "what would it run to?", "what would that set us back?"
_COST_AGAIN = re.compile(r"\bwhat\s+(?:would|will|does|do)\s+(?:it|that|this|they|those)\s+(?:\w+\s+)?(?:run\s+to|"
                         r"come\s+to|cost|set\s+us\s+back|add\s+up\s+to)\b|\bhow\s+much\b")
# "same q for 50 ppl", "same but on-prem": the previous question again, for what it adds
_SAME_Q = re.compile(r"^\W*(?:(?:and|ok|okay|so|now|then|k)\W+)?(?:(?:the\s+)?same\s+(?:q|qs|question|questions|thing|"
                     r"ask)\b|same\s+(?:for|but|with|at|if)\b|ditto\b)|"
                     # "why so long?", "how come?", "why is that?": the reasons behind the answer just given
                     r"^\W*(?:(?:but|and|so|ok|okay|hm+|wait|really)\W+)?(?:why(?:\s+(?:so|is\s+(?:that|it)(?:\s+so)?|"
                     r"does\s+it\s+take\s+so)\s*(?:long|much|expensive|slow|hard|painful|high|low|bad)?)?|how\s+come)"
                     r"\s*[?!.]*\s*$")
# "how do MLflow and Kubeflow stack up?" compares them; it combines nothing
_STACK_UP = re.compile(r"\bstack(?:s|ed|ing)?\s+up\b")
_COMPARED = re.compile(r"\b(?:compared?\s+(?:to|with)|compares|comparison|versus|vs\.?|stack\s+up)\b")
# leaving the tool under discussion for another ("leave later, if we want Vertex pipelines instead")
_LEAVE_FOR = re.compile(r"\b(?:leave|leaving|get\s+off|getting\s+off|move\s+off|moving\s+off|migrate\s+off|"
                        r"switch\s+away|walk\s+away)\b[^.?!]{0,60}?\binstead\b")
# "port our experiment history out of W&B into a self-hosted tool", "get everything off MLflow": a move out
_OUT_OF = re.compile(r"\b(?:port|move|migrat|export|get|take|pull|transfer|shift)\w*\s+(?:[\w'&-]+\s+){0,4}?"
                     r"(?:out\s+of|off(?:\s+of)?|away\s+from)\s+(?P<what>\S+(?:\s+\S+){0,2})")
# "if we ever want off it?", "leaving it later": leaving the tool under discussion
_WANT_OFF = re.compile(r"\b(?:want|wanted|get|got|come|step|move|moving|go|going)\s+(?:\w+\s+)?off\s+(?:of\s+)?"
                       r"(?:it|that|this|them|there)\b|\b(?:leave|leaving|ditch|ditching|drop|dropping)\s+(?:it|that|them)\s+"
                       r"(?:later|one\s+day|down\s+the\s+(?:line|road)|eventually)\b")
# "the switching cost of going from MLflow to W&B": a move's cost in effort and time
_SWITCHING = re.compile(r"\b(?:switching|migration|moving|transition)\s+costs?\b|\bcosts?\s+(?:of|to)\s+"
                        r"(?:switch|switching|migrat\w+|mov\w+|port\w*)\b")
_INVOLVES = re.compile(r"\b(?:in\s+for|involved?|involves|effort|how\s+(?:hard|long|painful|bad|big|much\s+work)|"
                       r"what\s+(?:would|will|does)\s+it\s+take|look\s+like|risks?|lose|pain)\b")
# "What tool?", "which one for us?": the bare ask for a pick, after a team says something of itself
_ASKS_PICK = re.compile(r"^\W*(?:so\W+|ok\W+|and\W+)?(?:what|which)\s+(?:tool|one|platform|option|stack)s?\b"
                        r"(?:\s+(?:for\s+us|should|would|do|then|is\s+best|fits))?\s*\??\s*$|"
                        # a terse ask for a kind of tool after the team: "solo phd student. tracking tool?"
                        r"^\W*(?:(?:a|any|which|what|best)\s+)?(?:tracking|experiment\s+tracking|orchestration|pipeline|registry|"
                        r"mlops)\s+(?:tool|platform|stack|setup|option)s?\s*(?:rec(?:ommendation)?s?|for\s+us|then)?\s*\??\s*$")
_SHOULD_WE = re.compile(r"^\W*(?:(?:so|and|but|ok|well)\W+)?(?:should|do)\s+we(?:\s+(?:do\s+(?:that|it|so)|"
                        r"go\s+for\s+it|listen(?:\s+to\s+(?:him|her|them))?|switch|follow\s+(?:that|it)|need\s+(?:it|that|to)))?\W*$")
_WE_MUST = re.compile(r"^\W*(?:(?:and|but|so|also)\W+)?(?:we|i)\s+(?:(?:really|still|just)\s+)?(?:have\s+to|"
                      r"have\s+got\s+to|need\s+to|must|got\s+to|gotta|are\s+supposed\s+to|promised\s+to)\b")
_STAY = re.compile(r"\b(?:should|shall|do|would)\s+we\s+(?:just\s+|simply\s+|then\s+|rather\s+)?"
                   r"(?:stay|stick|remain)\s+(?:on|with|where|as)\s+(?:what|where|how|we)\b|\b(?:stay|stick)\s+with\s+what\s+we\s+(?:have|got|use)\b|"
                   # "ok so should we actually move, or suck it up and stay?": move or stay, asked
                   r"\b(?:move|switch|migrate|go|jump)\b[^.?!]{0,30}\bor\s+(?:\w+\s+){0,4}?(?:stay|stick)\b|"
                   r"\b(?:stay|stick)(?:\s+put)?\s+or\s+(?:\w+\s+)?(?:move|switch|migrate|go|jump)\b")
_YOUR_PICK = re.compile(r"\b(?:your|the)\s+(?:(?:first|top|main|original)\s+)?"
                        r"(?:pick|recommendation|suggestion|choice)\b|"
                        r"\bwhat\s+you\s+(?:just\s+)?(?:picked|recommended|suggested)\b|\bthe\s+(?:1|one|tool)\s+(?:that\s+)?"
                        r"you\s+(?:just\s+|first\s+)?(?:picked|recommended|suggested|proposed|said)\b")
# "we deploy everything to EKS if that matters": an "if" that hedges the aside weighs nothing
# ("the previous head bought a W&B licence": a former lead's purchase is the team's tool now)
_ASIDE_IF = re.compile(r"\b(?:if|in\s+case)\s+(?:that|it|this)(?:\s+is)?\s+(?:matters?|helps?|relevant|counts?|"
                       r"makes\s+a\s+difference|is\s+useful|useful|important)\b|"
                       r"\b(?:previous|former)\s+(?:head|manager|lead|team\s+lead|cto|boss|director|vp)\b|"
                       # ("a W&B licence that is up for renewal": a relative clause's copula weighs nothing)
                       r"\b(?:that|which)\s+(?:is|are)\s+(?=up\s+for|due|paid|running|live|in\s+use)")
# "moved everything to MLflow in January", "we fully switched from MLflow to W&B": a move made, to its tool
_LANDED = re.compile(r"\b(?:(?:moved|switched|migrated|consolidated|standardi[sz]ed|transitioned|ported)|"
                     r"(?:since|after)\s+(?:moving|switching|migrating))\s+"
                     r"(?:(?:everything|all|it|entirely|fully|completely|over|across|our\s+\w+|from\s+[\w&.-]+)\s+){0,3}"
                     r"(?:to|onto|on)\s+(?:the\s+)?")
_UNREAL_BEFORE = re.compile(r"\b(?:if|suppose|supposing|imagine|would|could|should|were\s+to|plan\w*|wants?|"
                            r"going\s+to|might|may|unless|once)\b")
# "Our current stack:", "our setup:": the lines after it list what the team has
_OUR_STACK = re.compile(r"\b(?:our|my|the\s+team's)\s+(?:current\s+|existing\s+|whole\s+)?(?:stack|setup|set-up|"
                        r"tooling|toolchain|tools|infra|infrastructure)\s*(?:is|looks\s+like|today)?\s*:\s*$")
# "and the other one?" after a question about W&B: the other tool the conversation weighed
_OTHER_ONE = re.compile(r"\b(?:the|that)\s+other\s+(?:one|1|tool|option|choice|platform)\b")
# "what's the move?" asks what to do, not about a move; "what should we use for LLM tracing?" asks for a pick
_WHATS_THE_MOVE = re.compile(r"\bwhat\s+is\s+the\s+(?:move|play|call)\b")
_SHOULD_USE = re.compile(r"\b(?:what|which)\s+(?:(?:tool|tools|platform|one|1|option|solution|stack|tracker|"
                         r"product)\s+)?"
                         r"(?:of\s+(?:these|the|those|them)\s+(?:3\s+|three\s+|tools\s+)?)?"
                         r"(?:should|would|could|do)\s+(?:we|i|they|he|she)\s+(?:use|pick|choose|"
                         r"adopt|go\s+with|standardi[sz]e\s+on|get|buy)\b|"
                         # "where do we log experiments?": a home for the work asked, so a tool
                         r"\bwhere\s+(?:should|do|would|can|could|shall)\s+(?:we|i)\s+(?:log|track|keep|store|put|record|"
                         r"register|manage)\s+(?:our\s+|the\s+|all\s+(?:our\s+|the\s+)?)?(?:[\w-]+\s+)?(?:experiments?|runs?|"
                         r"models?|metrics)\b|"
                         # "should our bank adopt W&B?", "should we standardise on MLflow?": a tool taken up, asked
                         r"\bshould\s+(?:we|i|our\s+[\w-]+|the\s+team)\s+(?:adopt|standardi[sz]e\s+on|go\s+with|"
                         r"bet\s+on|commit\s+to|invest\s+in|roll\s+out)\b|"
                         # "a friend's lab runs Kubeflow and loves it. Should we follow their lead?": their pick, for us
                         r"\b(?:should|shall|would|do)\s+(?:we|i)\s+(?:just\s+|then\s+)?"
                         r"(?:follow\s+(?:their|his|her|that|the)\s+(?:lead|example)|follow\s+suit|do\s+the\s+same|"
                         r"copy\s+(?:them|him|her|that))\b")
_BARE_CORRECTION = re.compile(r"^\W*(?:sorry|oops|correction|my\s+bad|wait|actually)\W+(?:it\s+is\s+|we\s+are\s+|"
                              r"make\s+(?:it|that)\s+)?(?P<n>\d{1,4})(?:\s+actually|\s+really|\s+of\s+us)?\s*(?:[,.;!-]|$)")
# "there were eleven of us until January; three people left": the team is what remains
_DEPARTED = re.compile(r"(?<![\w.])(?P<m>\d{1,3})\s+(?:of\s+(?:us|them)|people|persons|folks|ppl|members|engineers|"
                       r"data\s+scientists|colleagues)\s+(?:have\s+|has\s+|had\s+)?(?:since\s+|just\s+|recently\s+|"
                       r"already\s+)?(?:" + GONE + r"|moved\s+on)\b")
_WERE = re.compile(r"\b(?:there\s+were|we\s+were|we\s+used\s+to\s+be|used\s+to\s+be\s+(?:a\s+team\s+of\s+)?)\s+"
                   r"(?P<n>\d{1,4})\b(?!\s*(?:%|years?|months?))")
_PRIVATE_CLOUD = re.compile(r"\bprivate[\s-]cloud\b|\bvpc\b|\bdedicated\s+(?:deployment|instance|cloud)\b|"
                            r"\bsingle[\s-]tenant\b")
# "infosec says that would be acceptable for us": a deployment just named, allowed
_ACCEPTS = re.compile(r"\b(?:would\s+be|will\s+be|is|are|was|should\s+be)\s+(?:(?:totally|perfectly|probably|actually|"
                      r"apparently|fully|all)\s+)?(?:acceptable|fine|ok|okay|allowed|approved|permitted|no\s+problem)\b|"
                      r"\b(?:signed\s+off\s+on|approved|okayed|ok'd|green-?lit|cleared|accepted|allowed)\s+(?:it|that|this)\b")
_NEGATED = re.compile(r"\b(?:not|never|no|nobody|neither|nor)\b")
_THAT = re.compile(r"\b(?:that|it|this|that\s+one|that\s+option|those)\b")
# "hmm they're 7 actually, just asked": the group said before with no count ("a platform team (dunno how many)")
_THEY_COUNT = re.compile(r"^\W*(?:(?:hmm+|oh|ok|okay|sorry|so|well|actually|update|correction|just\s+checked)\W+){0,3}"
                         r"(?:they(?:'re|\s+are)|there(?:'re|\s+are)|that\s+(?:team|group)\s+is|(?:the|our)\s+"
                         r"(?:platform|devops|infra\w*|mlops|k8s|kubernetes|sre|ops)\s+(?:team|group|folks|guys|people|crew)"
                         r"\s+(?:is|are))\s+(?:actually\s+|really\s+|just\s+|only\s+)*(?P<n>\d{1,3})\b"
                         r"(?!\s*(?:%|k\b|years?|months?|weeks?|days?|clusters?|nodes?|models?|pipelines?))")
_LEADS_WITH_COST = re.compile(r"^\W*(?:cost|costs|price|prices|pricing|how\s+much|tco)\b")
_WHICH_TOOL = re.compile(r"^\W*(?:so\W+|ok\W+|and\W+)?(?:which|what)\s+(?:\w+\s+)?(?:tool|tools|platform|option|one)\s+"
                         r"(?:should|would|do\s+you\s+(?:recommend|suggest))\b(?:\s+\w+){0,6}?\s+"
                         r"(?:choose|pick|use|adopt|go\s+with|standardi[sz]e\s+on)\b")
# "So which tool, and how long is the setup?", "Which tool should be primary, and what would it cost?": the
# pick asked beside another question
_PICK_AND = re.compile(r"(?:^|[.?!;]\s*)(?:(?:so|ok|okay|and|then|thanks)\W+)?(?:which|what)\s+(?:\w+\s+)?"
                       r"(?:tool|tools|platform|option|one|stack)\b(?:\s+(?:should|would|do|to|for)\b[^,?]{0,40})?"
                       r"\s*(?:,\s*)?(?:and|\+|plus|&)\s+(?:how|what|when|is|are|does|do|roughly)\b|"
                       # the other way round: "what is that and which one should I look at?"
                       r"\b(?:and|\+|plus|&)\s+(?:so\s+)?which\s+(?:\w+\s+)?(?:tool|tools|platform|option|one|1)\s+(?:should|would|do|"
                       r"to|shall)\s+(?:i|we)\b")
# a clause said of everyone, not of us: "everyone uses MLflow", "most teams run Kubeflow on GKE"
_EVERYONE = re.compile(r"^\W*(?:(?:come\s+on|but|and|so|ok|i\s+mean|honestly|like)\W+)*(?:everyone|everybody|"
                       r"the\s+(?:whole\s+)?industry|most\s+(?:teams|companies|people|orgs|shops)|all\s+the\s+(?:big\s+)?(?:companies|teams|"
                       r"players|shops))\s+(?!here\b|on\s+(?:the|our|my)\b|in\s+(?:the|our|my)\b|at\s+(?:our|my)\b)")
# a question whose subject is the tool asked for: "what would actually run our pipelines?", "which one handles
# our scheduling?" (its "our" states nothing of the team)
_WH_SUBJECT = re.compile(r"^\W*(?:(?:so|ok|and|but|then)\W+)?(?:what|which(?:\s+(?:one|1|tool|of\s+them))?)\s+"
                         r"(?:(?:would|will|could|should|can|does|do)\s+)?(?:\w+ly\s+)?(?:run|runs|handle|handles|"
                         r"schedule|schedules|orchestrate|orchestrates|serve|serves|track|tracks|host|hosts|own|owns)\b|"
                         # "what does it actually give us for LLM stuff?": the tool under discussion is asked about
                         r"^\W*(?:(?:so|ok|and|but|then)\W+)?(?:what|how\s+much|how\s+well|how)\s+(?:does|did|would|will|"
                         r"can|could)\s+(?:it|that|this|that\s+one|this\s+one|the\s+tool)\s+(?:\w+ly\s+)?(?:give|offer|do|"
                         r"provide|bring|add|help)\b")
# the advice pushed back on: "are you sure??", "that seems wrong", "come on, everyone uses MLflow"
_PUSHBACK = re.compile(r"\b(?:are\s+(?:you|u)\s+(?:sure|certain)|(?:you|u)\s+sure\b|"
                       r"(?:that|this|it)\s+(?:seems|sounds|looks|"
                       r"feels)\s+(?:wrong|off|odd|weird|strange|backwards)|i\s+do\s+not\s+(?:buy|agree)|come\s+on\b|"
                       r"i\s+disagree|that\s+can\s+not\s+be\s+right)")
_HEARD = re.compile(r"\b(?:i|we)\s+(?:have\s+)?(?:heard|read|saw)\b")
# what joins a clause to the one before as the next item of a list: "mlflow for registry + wandb for sweeps"
_JOINS = re.compile(r"[+&/]|\b(?:and|or|plus)\b")
# "our existing MLflow runs", "our current W&B": a tool the team has, named inside a question
_OURS_BEFORE = re.compile(r"\bour\s+(existing\s+|current\s+|old\s+)?$")
_HELD_AFTER = re.compile(r"\s+(?:runs|server|servers|experiments|instance|setup|deployment|history|projects|"
                         r"models|registry|logs|data|tracking|install|cluster|pipelines)\b")
# "so wandb's out then?", "is Kubeflow even on the table?", "not W&B, given the dashboards?": a question about
# a tool's standing in the advice, which asks the advice again (often read as a fact question)
# a question of whether a tool suits the asker: "would W&B ever be acceptable for us?", "couldn't we just
# piggyback on their Kubeflow?", "your first answer still stands?", "if we had to drop one, which?"
_FOR_US = re.compile(r"\b(?:for\s+us|for\s+our\s+(?:team|org|group|lab|company|unit|size|case)|acceptable|"
                     r"piggyback|still\s+stands?|drop\s+one|keep\s+one|work\s+for\s+us|suit\s+us|fit\s+us|"
                     r"could(?:n't|\s+not)?\s+we\s+(?:just\s+)?(?:use|go\s+with|stick\s+with|borrow|share)|"
                     r"what\s+about\s+(?:them|that\s+\w+\s+thing|the\s+\w+\s+one))\b")
_VERDICT = re.compile(r"\b(?:out\s+then|ruled\s+out|rules?\s+(?:it|that|them|\w+)\s+out|on\s+the\s+table|"
                      r"the\s+(?:pick|winner|answer)\b|natural\s+(?:one|1|choice|fit|pick)|allowed\s+at\s+all|"
                      r"anyway|instead|why\s+not|even\s+though|not\s+\S+\s+given|a\s+(?:good\s+|better\s+)?fit\s+for\s+us|"
                      # "the weights and biases is not possible at all?"
                      r"(?:not\s+)?(?:possible|an\s+option|allowed)\s+at\s+all|out\s+of\s+the\s+question|"
                      r"(?:completely|totally|really)\s+out\b)")
_WHY_NOT = re.compile(r"^\W*(?:(?:and|so|but|ok|okay|hmm|then|also)\W+){0,2}why\s+(?:not|wouldn't|shouldn't|not\s+just|"
                      r"would\s+(?:we|you)\s+not)\b")
# "what would we actually be saving?", "how much do we save by moving?", "the savings per year"
_SAVING = re.compile(r"\b(?:what|how\s+much)\s+(?:would|will|could|do|does|can|are|is)\s+(?:we|i|that|it|this)\s+"
                     r"(?:\w+\s+){0,2}?(?:save|saving)\b|\b(?:the\s+|any\s+|our\s+)?savings?\s+(?:per|a|each|be|would|are|is)\b")
# "our CTO loves it", "our head of data is a big fan", "the boss keeps pushing for it": someone's favourite
_BOSS = r"(?:cto|ceo|cio|vp|boss|manager|head\s+of\s+\w+|lead|director|architect)"
_A_FAN = re.compile(rf"\b(?:{_BOSS}|team|everyone|colleagues?|he|she|they)\s+(?:is|are|'s)\s+(?:a\s+)?"
                    r"(?:big\s+|huge\s+|massive\s+)?(?:fans?|keen)\b|"
                    rf"\b{_BOSS}\s+(?:really\s+)?(?:loves|likes|wants|prefers|swears\s+by|keeps\s+pushing(?:\s+for)?|"
                    r"is\s+pushing(?:\s+for)?)\s+(?:it|them|that|this|that\s+one)\b")
# "why is it not good?", "why isn't that a good fit?", "why is not good?" (a word left out)
_WHY_IS = r"^\W*(?:(?:and|so|but|ok|okay|hmm|then)\W+){0,2}why\s+"
_WHY_BAD = re.compile(_WHY_IS + r"(?:is|would|does)\s+(?:it\s+|that\s+|this\s+)?(?:not|be\s+not|n't)\s+(?:so\s+|a\s+)?"
                      r"(?:good|right|suitable|ok|okay|fine|fit|fitting|good\s+(?:fit|idea|choice|option))\b|"
                      + _WHY_IS + r"(?:is|would)\s+(?:it|that|this)\s+(?:so\s+)?"
                      r"(?:bad|wrong|a\s+bad\s+(?:fit|idea|choice))\b")
# "security already said no to that": a tool taken off the table, so the advice is asked again
_REJECTS = re.compile(r"\b(?:said\s+no|vetoed|veto|not\s+allowed|banned|off\s+the\s+table|no[\s-]go|non[\s-]starter|"
                      r"(?:can't|cannot|can\s+not)\s+(?:use|have|get)\s+(?:it|that|them))\b")
# "what tool for tracing and evals you suggest?", "what's the least-effort tracker?", "what should be our main
# tool?": asks for advice without "should we use"
_ASKS_ADVICE = re.compile(r"\b(?:you\s+(?:suggest|recommend|advise|propose)|would\s+you\s+(?:go|pick|choose|use|do)|"
                          r"should\s+be\s+our|stick\s+with\s+it\s+or|(?:what|which)\s+(?:\w+\s+)?fits|"
                          r"(?:least[\s-]effort|simplest|easiest|best|right|safest)\s+(?:\w+\s+)?"
                          r"(?:tracker|tool|option|platform|setup|stack|choice|bet)s?)\b")
# "could we use W&B with its private cloud option?" from a team it describes: whether the tool fits that team
_COULD_WE_USE = re.compile(r"^\W*(?:(?:so|ok|okay|and|but|then)\W+)?(?:could|can|should|would|shall)\s+(?:we|i)\s+"
                           r"(?:just\s+|still\s+|really\s+|also\s+)?(?:use|go\s+with|adopt|pick|choose|standardi[sz]e\s+on|"
                           r"settle\s+on)\b")
# a tool weighed for a team already described ("do we need kubeflow as well?", "is kubeflow doable in that time?",
# "why kubeflow over mlflow for us?", "but isn't W&B Weave the best thing for llm stuff?", "should we bother with
# kubeflow at all?", "but shouldn't we use W&B Weave, since it's all LLM work?"): whether it fits us, which is the
# pick asked again, not a fact about the tool
_FITS_VERB = re.compile(r"\b(?:do|would|will|should)(?:\s+not|n't)?\s+we\s+(?:not\s+)?"
                        r"(?:even\s+|really\s+|also\s+|still\s+|then\s+|just\s+)?"
                        r"(?:need|want|bother\s+with|go\s+with|pick|choose|adopt|consider|add|switch\s+to|stick\s+with)\b|"
                        # ("which operator do we use for W&B's Airflow integration?" asks a fact)
                        r"\bshould(?:\s+not|n't)?\s+we\s+(?:not\s+)?(?:just\s+|really\s+|still\s+)?use\b|"
                        # "even with them you'd not go for the pipelines one?": the pick weighed against a tool
                        r"\b(?:you'?d|you\s+would|would\s+you|wouldn'?t\s+you)\s+(?:(?:not|still|never|really|even)\s+){0,2}"
                        r"(?:go\s+for|go\s+with|pick|choose|recommend|suggest)\b")
# ("does it suit a 40-person org?" asks; "which teams does Vertex AI suit best?" asks a fact of the tool)
_FITS_WORD = re.compile(r"\b(?:doable|feasible|realistic|overkill|worth\s+it|suits?\s+(?:us|our|me|my|a|an|\d+)\b|"
                        r"(?:the\s+)?right\s+(?:\w+\s+)?(?:call|choice|fit|spot|option|tool|move|pick|bet|platform|"
                        r"place|home)|"
                        r"(?:a\s+)?good\s+(?:fit|call|choice))\b|"
                        # "so w&b is off the table completely?", "would W&B be an option at all?": a tool's place
                        # ("does W&B have a self-hosted option at all?" asks a fact: the option is the tool's)
                        r"\b(?:off|on)\s+the\s+table\b|\bout\s+of\s+the\s+(?:question|running)\b|\ba\s+no[- ]go\b|"
                        r"\b(?:be|is|still)\s+(?:still\s+)?(?:an?\s+)?(?:option|contender|candidate)\s+(?:at\s+all|for\s+us|"
                        r"still)\b|"
                        r"\bwhy\s+(?:not\s+)?\S+(?:\s+\S+)?\s+(?:over|instead\s+of|rather\s+than|for\s+us)\b|"
                        r"\b(?:isn't|is\s+not|wouldn't|would\s+not)\s+\S+(?:\s+\S+)?\s+(?:be\s+)?(?:the\s+)?(?:best|better)\b|"
                        # "but isn't wandb weave the llm one?": a pick challenged by what the tool is for
                        r"\b(?:isn't|is\s+not|wasn't)\s+\S+(?:\s+\S+)?\s+the\s+(?:\w+\s+)?(?:one|1|tool|choice|pick)\b")
# "ok so is it the right call for us or not": the tool under discussion, weighed by a pronoun
_IT_FITS = re.compile(r"\b(?:is|isn'?t|would|wouldn'?t|will|does)\s+(?:it|that|this)(?:\s+one)?\s+(?:\w+\s+){0,2}?"
                      r"(?:the\s+)?(?:right|good|wise|a\s+good)\s+(?:call|choice|fit|idea|move)\b")
# "is there any way it could work for us?", "could W&B still work for our team?": a tool weighed for the team
_WORKS_FOR_US = re.compile(r"\b(?:could|would|can|might)\s+(?:it|that|this|they|(?:[\w&]+\s+){1,2})(?:\s+\w+)?\s+"
                           r"(?:still\s+)?(?:work|fit|do)\s+for\s+(?:us|our\s+\w+|me|a\s+team\s+like\s+ours)\b|"
                           r"\b(?:could|would|can|might)\s+(?:still\s+|ever\s+|possibly\s+|somehow\s+)?(?:work|fit)\s+"
                           r"for\s+(?:us|our\s+\w+|me|a\s+team\s+like\s+ours)\b")
# "for my slide deck: how large does the article say the MLOps market will get?": what the source says, asked
_SOURCE_SAYS = re.compile(r"\b(?:the|your|this|that)\s+(?:article|source|comparison|write-?up)\s+(?:\w+\s+)?"
                          r"(?:say|says|said|claim|claims|state|states|mention|mentions|give|gives|cite|cites|quote|"
                          r"quotes|put|puts|estimate|estimates|project|projects)\b|\baccording\s+to\s+(?:the|your)\s+"
                          r"(?:article|source|comparison)\b")
# "so airflow + mlflow then? who owns what": the work divided between tools, asked outright
_WHO_OWNS = re.compile(r"\b(?:who|which(?:\s+(?:one|1|tool))?|what)\s+(?:should\s+|would\s+)?(?:owns?|does|handles?)\s+"
                       r"what\b")
# "which tool is for the tracking then, beside Kubeflow?" (after the team is known: which one owns a layer)
_WHICH_ONE = re.compile(r"^\W*(?:\w+\W+)?(?:which|what)\s+(?:tool|one|1)\b")
# a pick challenged with a tag question: "but W&B has the best dashboards, no?"
_CHALLENGE = re.compile(r"\b(?:best|better|nicer|stronger|superior)\b[^.?!]*,\s*(?:no|right|surely|isn't\s+it|"
                        r"don't\s+they|doesn't\s+it)\s*\?")
# whether a free tier will do ("is the wandb free tier enough for us?"): a fact of the tier, not its price
_FREE_TIER_ENOUGH = re.compile(r"\bfree\s+(?:tier|plan|version|edition)\b[^?.!]{0,40}?\b(?:enough|suffice|sufficient|"
                               r"get\s+away|cut\s+it|do\s+(?:the\s+job|for\s+us)|limits?)\b|"
                               r"\b(?:enough|suffice|sufficient)\b[^?.!]{0,20}?\bfree\s+(?:tier|plan|version)\b")
# the advice asked for again, in words that name no tool or fact ("so what's your final answer for us?", "ok but
# for today, where we actually are?", "ok, among the three you actually know then?")
_ASKS_AGAIN = re.compile(r"\b(?:your|the)\s+(?:final|overall|actual|real|bottom[\s-]line|honest)\s+"
                         r"(?:answer|pick|recommendation|call|verdict|suggestion|take)\b|"
                         # "ok so which", "k so which then?": the pick asked for in two words
                         r"^\W*(?:(?:ok|okay|k|kk|so|and|then|well|right|alright)\W+){1,3}(?:which|what)"
                         r"(?:\s+(?:then|now|one|1|do\s+we\s+pick|is\s+it))?\W*$|"
                         # "so, what's the verdict?", "ok what's the bottom line"
                         r"\bwhat\s+(?:is|'s|s)\s+(?:the|your)\s+(?:verdict|bottom[\s-]line|conclusion)\b|"
                         r"\bfinal\s+(?:answer|pick|verdict|call|recommendation)\b|"
                         # "wait which one did u say for us again"
                         # ("what did you say the licence cost was?" asks the price again)
                         r"\b(?:which\s+(?:one\s+|1\s+|tool\s+)?|what\s+(?:one|1|tool)\s+)(?:did|do|would)\s+(?:you|u)\s+"
                         r"(?:say|pick|recommend|suggest|go\s+with)\b(?!\s+(?:the|was|is|it|costs?|licen))|"
                         r"\bwhere\s+we\s+(?:actually\s+|really\s+|currently\s+)?(?:are|stand)\b|"
                         r"\bamong\s+(?:the|these|those)\s+(?:3|three)\b|"
                         r"\bof\s+(?:the|these|those)\s+(?:3|three)\s+(?:you|then)\b|"
                         r"\bwhat\s+would\s+you\s+(?:pick|choose|go\s+with|do|recommend)\b|"
                         # "same recommendation?", "does the pick change?", "still the same answer?"
                         r"\b(?:same|different)\s+(?:recommendation|pick|answer|advice|call|verdict)\b|"
                         r"\b(?:the|your|our)\s+(?:pick|recommendation|answer|advice|verdict)\s+(?:change|changes|"
                         r"shift|shifts|flip|flips|move|moves|still\s+(?:hold|stand)s?)\b")
# "does that change anything?", "would this change your pick?": whether the advice moves
_CHANGE_ASKED = re.compile(r"\b(?:does|do|would|will|could|might|should)\s+(?:that|this|it|these|those)\s+(?:\w+\s+)?"
                           r"(?:change|alter|affect|shift|flip|move)\b|\bchange\s+(?:anything|things|your\s+"
                           r"(?:answer|pick|recommendation|advice|mind))\b|\b(?:does|do|would|will)\s+(?:the|your)\s+"
                           r"(?:pick|recommendation|answer|advice)\s+(?:change|shift|flip|move)\b")
_OF_THE_THREE = re.compile(r"\bof\s+(?:these|the|those)\s+(?:3|three)\b")
_ADDS = re.compile(r"\b(?:add|adds|adding|added|on\s+top\s+of|alongside|bolt|bolting)\b")
# a what-if that asks whether the advice changes ("would that change?", "would you still say MLflow?")
_CHANGES = re.compile(r"\b(?:change|changes|changed|different|differently|still|instead)\b")
_BARE_HOW = re.compile(r"^\W*(?:how|which)\s+(?:we|i|to)\s+\w+")
_WHAT_IF = re.compile(r"^\W*(?:(?:and|but|ok|okay|k|kk|so|hmm+|hm|um+|uh|oh|wait|btw|right|alright|well|cool|"
                      r"also|then)\W+){0,2}(?:what\s+if|what\s+(?:happens|would\s+happen|changes|would\s+change)\s+if|(?:what|how)\s+about\s+if|suppose|supposing|imagine\s+(?:we|our|the)|"
                      r"say\s+we|if\s+we\s+(?:hired|had|got|grew|moved)|and\s+if|hypothetically|in\s+theory|"
                      # "we might double to 24 next year, still fine?"
                      r"(?:we|the\s+team)\s+(?:might|may|could|will|would)\s+(?:well\s+|soon\s+|eventually\s+)?"
                      r"(?:double|triple|grow|scale|hire|expand|shrink|add)\b|"
                      # "if only 15 people actually needed seats, would that flip it?"
                      r"if\s+(?:only\s+|just\s+)?(?:\d+|we|our|the\s+team)\b(?=[^.?!]*,\s*(?:would|will|does|do|could|"
                      r"is|are|what|how)\b))")
_MOVING_OFF = re.compile(r"\bif\s+we\s+(?:ever\s+|later\s+|eventually\s+)?(?:move|moved|moving|migrate|migrated|switch|"
                         r"switched|leave|left|ditch|ditched|drop|dropped|get|got|come|step|stepped)\s+"
                         r"(?:off|away\s+from|out\s+of)\b")
# the words that say a message was heard ("ok", "got it", "makes sense"), before a thank-you or alone
_HEARD_WORDS = (r"ok|okay|k|great|perfect|cool|nice|right|alright|gotcha|got\s+it|fair\s+enough|makes\s+sense|hm+|"
                r"i\s+see|understood|noted|sounds\s+good")
_THANKS = re.compile(rf"^(?:[^.!?]*[.!]\s*)*\W*(?:(?:{_HEARD_WORDS}|brilliant|lovely|awesome|super|sweet|amazing|"
                     r"excellent|wonderful|fab|fantastic|ace|neat|rad)\W+){0,3}"
                     r"(?:thanks|thank\s+you|thank\s+u|thx|ty|tysm|tyvm|ta|cheers|much\s+appreciated|appreciate\s+it|many\s+thanks)\b"
                     r"[^.!?]*[.!]?\s*$")
# "hmm ok", "👍", "got it": a message that only acknowledges (a "yes" or "no" may answer something: not here)
_ACK = re.compile(rf"^[^\w?]*(?:(?:{_HEARD_WORDS}|kk|sure|good|ah+|oh|interesting|lol|fine|will\s+do|all\s+clear|"
                  r"(?:that|this)\s+(?:settles|answers|covers)\s+it|(?:that|this)\s+is\s+(?:clear|helpful|useful)|"
                  r"that\s+helps|helpful|sweet|deal)"
                  r"[^\w?]*){0,4}$")
_SHARE_ASKED = re.compile(r"\b(?:what|which)\s+(?:share|percentage|percent|%|proportion|fraction|portion|part)\s+of\b|"
                          r"\bhow\s+(?:much|many)\s+of\s+(?:the|our|an?|my|this|that)\s+(?:\w+\s+){0,3}?(?:problem|problems|"
                          r"mess|pain|issues?|challenge|work|projects?)\b(?:\s+\w+){0,6}?\s+(?:fix|fixes|solve|solves|"
                          r"address|addresses|cover|covers|make\s+it|reach|fail)")
# what a move asks of its cost in effort: "what are we in for?", "what does that involve?", "how bad is it?"
_IN_FOR = re.compile(r"\b(?:what\s+are\s+we\s+in\s+for|what\s+(?:does|would|will)\s+(?:that|it|this)\s+(?:involve|take|"
                     r"mean\s+for\s+us|cost\s+us\s+in\s+effort)|how\s+(?:bad|hard|painful|long|much\s+work)|"
                     r"what\s+(?:breaks|do\s+we\s+lose|would\s+we\s+lose|is\s+involved))\b")
_ARROW = re.compile(r"\s*(?:->|-->|→|=>|⇒)\s*")  # (a bare ">" says better than)
# "compare W&B to MLflow", "how close is W&B to MLflow": a comparison, not a move
_COMPARED_TO = re.compile(r"\b(?:compar\w*|similar|close|closer|prefer\w*|relative|equivalent|superior|inferior|"
                          r"better|worse|vs|versus|stack\s+up|next)\b", re.I)
# a request in the imperative asks, whatever thanks follow it ("list the free tier's limits. thanks!")
_REQUEST = re.compile(r"\b(?:tell|show|list|explain|give|compare|describe|summari[sz]e|walk\s+(?:me|us)|remind|"
                      r"send|share|break\s+down|recommend|suggest|help\s+(?:me|us))\b")
# "ok back to reality, all four do have it": the what-ifs before are over, the team is as it was
BACK_TO_REALITY = re.compile(
    r"\bback\s+to\s+(?:reality|the\s+real\s+(?:world|situation|team|numbers|facts)|(?:our|the)\s+(?:real|actual)\s+"
    r"(?:situation|team|setup|numbers|case)|how\s+(?:things|we)\s+(?:really\s+|actually\s+)?(?:are|is|stand))\b|"
    r"\b(?:forget|scrap|drop|ignore|never\s*mind)\s+(?:about\s+)?(?:the|that|this|my)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:what[- ]?if|hypothetical|scenario|supposition|idea|plan)\b|"
    # "we stay as we are", "we'll keep things the way they are"
    r"\b(?:stay|staying|remain|remaining|keep\s+things|keeping\s+things)\s+(?:as|the\s+way)\s+(?:we|they|things|it)\s+"
    r"(?:are|is)\b|\bthat\s+was\s+(?:just\s+|only\s+)?(?:a\s+)?(?:hypothetical|what[- ]?if)\b|"
    r"\bhypotheticals?\s+aside\b|\bin\s+reality\b|\bback\s+to\s+reality\b|"
    # "never mind, that deal fell through. back to normal": the supposed change did not happen
    r"\bback\s+to\s+(?:normal|square\s+one|the\s+present|the\s+here\s+and\s+now)\b|"
    r"\b(?:that|the)\s+(?:\w+\s+){0,2}?(?:fell\s+through|is\s+off|isn'?t\s+happening|is\s+not\s+happening|"
    r"won'?t\s+happen|will\s+not\s+happen|didn'?t\s+happen|did\s+not\s+happen|got\s+(?:cancell?ed|scrapped|killed))\b|"
    # "ok forget the bank thing, not happening"
    r"\b(?:forget|scrap|scratch|ignore|drop)\s+(?:the|that)\s+(?:[\w-]+\s+){1,2}?(?:thing|idea|scenario|bit|part|"
    r"one|what[- ]?if|hypothetical)\b|"
    # "ok forget that, as we are today", "back to our actual size for now" ("don't forget that we're regulated"
    # keeps it)
    r"(?<!n't\s)(?<!not\s)\b(?:forget|scrap|scratch|ignore)\s+(?:that|all\s+that|it)\s*(?:[,.;:!—–-]|$)|"
    # "so we're back to your first answer?"
    r"\bback\s+to\s+(?:your|the)\s+(?:first|original|earlier|previous)\s+(?:answer|pick|recommendation|advice)\b|"
    r"\bas\s+we\s+are\s+(?:today|now|right\s+now|currently)\b|"
    # "ok but for today, mlflow then?", "for now though, which one?" (said while a what-if is in force)
    r"^\W*(?:(?:ok|okay|but|so|well|fine|right|alright|and)\W+){0,2}(?:for|as\s+of)\s+(?:today|now|the\s+moment|"
    r"the\s+time\s+being|right\s+now|this\s+year)\b|\b(?:as\s+things\s+stand|as\s+it\s+stands|currently|today)\s*[?,]|"
    r"\bback\s+to\s+(?:our|the)\s+(?:real|actual|current|present)\s+\w+|"
    # "ok but for today, where we actually are?", "as things actually stand", "for now, as we are"
    r"\bwhere\s+we\s+(?:actually|really)\s+(?:are|stand)\b|\bas\s+(?:things|we)\s+(?:actually|really)\s+"
    r"(?:are|stand)\b|\b(?:right\s+now|today),?\s+as\s+we\s+are\b|"
    # "ok realistically that hire isn't happening this year. so with what we actually have, …"
    r"^\W*(?:(?:ok|okay|but|so|well|fine|right|alright|anyway)\W+){0,2}realistically\b|"
    # "nah no headcount this yr realistically": the hire supposed will not happen
    r"^\W*(?:nah|nope|no)\b[^.?!]{0,50}\brealistically\b|"
    r"\bno\s+(?:new\s+)?(?:headcount|hires?|hiring|budget\s+for\s+(?:hires|hiring|headcount))\s+(?:this|next)\s+"
    r"(?:year|yr|quarter|qtr|q)\b|"
    r"\bwhat\s+we\s+(?:actually|really)\s+have\b|\bthe\s+team\s+(?:we|as\s+it)\s+(?:actually\s+|really\s+)?(?:have|is)\b|"
    r"\b(?:that|the|this)\s+(?:hire|hiring|what[- ]?if|scenario|plan)\s+"
    r"(?:is\s+not|is\s*n[o']?t|won'?t\s+be|will\s+not\s+be)\s+(?:happening|going\s+to\s+happen)\b|"
    # "forget the pivot, it's not happening", "that isn't actually a rule for us, I was just curious", "that was
    # purely hypothetical"
    r"\b(?:it|that)(?:\s+is|'s|’s)\s+not\s+(?:happening|going\s+to\s+happen)\b|\b(?:it|that)\s+(?:isn't|isn’t|is\s+not)\s+"
    r"(?:happening|going\s+to\s+happen)\b|\b(?:that|it|this)\s+(?:isn't|isn’t|is\s+not)\s+(?:actually|really)\s+"
    r"(?:a\s+(?:rule|thing|requirement|constraint)|true|the\s+case)\b|\bi\s+was\s+(?:just|only)\s+(?:curious|wondering|asking)\b|"
    r"\bthat\s+was\s+(?:purely|merely|totally|entirely|all)\s+(?:a\s+)?(?:hypothetical|what[- ]?if)\b")
# "would adding Kubeflow on top of MLflow be a big job?": the effort of the additive path, which the article counts
# among its migrations ("MLflow to Kubeflow (additive) | Low to Medium | … | 2 to 4 weeks")
_ADDING_EFFORT = re.compile(r"\b(?:add|adding|adopt|adopting|bolt|bolting|layer|layering|introduce|introducing|bring|"
                            r"bringing)\s+(?:in\s+)?(?:[\w&]+\s+){1,2}?(?:on\s+top\s+of|onto|to\s+(?:our|the|an?)|"
                            r"alongside|next\s+to)\b(?=.*\b(?:big\s+job|(?:a\s+)?lot\s+of\s+work|how\s+much\s+"
                            r"(?:work|effort|time)|how\s+long|how\s+hard|how\s+painful|how\s+risky|effort|involve|"
                            r"involved|involves|undertaking|painful|risky|disruptive|take\s+us)\b)")
# "which is better?", "is A or B better?": better at nothing named (the question ends there)
_BETTER_BARE = re.compile(r"\b(?:better|best)(?:\s+(?:one|1|option|choice|tool|pick))?\s*(?:overall|in\s+general|"
                          r"generally)?\s*[?!.]*\s*$")
_BETTER_AT = re.compile(r"\bwhich\s+(?:one\s+|1\s+|of\s+them\s+)?(?:has|have|gives|offers|does)\s+(?:the\s+)?"
                        r"(?:better|best|nicer|stronger|richer|cheaper|prettier|more\s+\w+)\s+(?!fit\b|choice\b|option\b)\w+")
# "the other one" in a follow-up: the other tool of the two just weighed
_THE_OTHER = re.compile(r"\bthe\s+other\s+(?:one|1|tool|option|platform)\b(?!\s+(?:of|from|team|teams|group))", re.I)
# "what does the first one do better?", "and the latter?" after two tools were named: the one named first or last
_ORDINAL = re.compile(r"\b(?:the\s+(?P<first>first|former)|the\s+(?P<second>second|latter))(?:\s+(?:one|1|tool|option|"
                      r"platform))?\b(?!\s+(?:of|from|team|teams|group|time|step|steps|thing|year|month|week|day|"
                      r"version|place|pass|round|release|phase)\b)", re.I)
# "which of the two is cheaper?", "how do both of them handle lock-in?" in a follow-up: the two tools just weighed
# (not "the two of us", "the two SREs": what follows must be a tool noun, a verb or the sentence's end)
_THE_TWO = re.compile(r"\b(?:(?:the|these|those)\s+two(?:\s+(?:tools|options|platforms|products|ones|choices|"
                      r"of\s+them))?|both\s+(?:tools|options|platforms|products|of\s+them|of\s+those|of\s+these))"
                      r"(?=\s*(?:[?.!,;:]|$)|\s+(?:is|are|was|were|would|will|do|does|did|can|could|should|cost|costs|"
                      r"compare|differ|work|fit|fits|split|sit|divide|combined|together|overlap|play|for|at|in|on|when|"
                      r"if|better|cheaper|best|worse|more|less)\b)", re.I)
# Conversation rules that make a message ask for advice again; a table row does not turn these into facts
# a message that only thanks: the talk is over, whatever tool the last turn was about (kept by routing too)
CLOSING = "a thank-you that asks nothing"
ACKNOWLEDGED = "an acknowledgement that asks nothing"
AGAIN = {"facts": "new facts about the team after a recommendation ask for it again",
         "follow-up": "a follow-up to the previous question asks the same of its new subject",
         "what-if": "a what-if after a recommendation asks for it again",
         "verdict": "a question about a tool's standing in the pick asks for the pick again",
         "fits": "whether a tool fits a team already described asks for the pick again",
         "again": "the advice asked for again, in words that name no tool or fact",
         "reality": "back to the team as it is after a what-if, asking nothing else: the pick for it again",
         # "ok so which orchestrator would you put next to mlflow": a table row ("Pipeline orchestration")
         # touches its words, but it asks how tools combine
         "combines": "asks how tools combine (a combination word)",
         "asked": "asks outright which tool should be the team's pick"}
_COST_ASKED = re.compile(r"^\W*(?:(?:so|and|but|ok|also)\W+)?(?:what\s+(?:is|are|would\s+be|will\s+be)\s+"
                         r"(?:the\s+|our\s+)?"
                         r"(?:[\w-]+\s+){0,3}?(?:tco|total\s+cost|cost|costs|price|prices|pricing|bill|spend|outlay)\b|"
                         r"how\s+much\s+(?:would|will|does|do|is|are)\b(?!\s+(?:[\w&]+\s+){0,2}?(?:bring|offer|give|help|"
                         r"matter|support|solve|fix|cover)\b))")
# "so what should be primary for us", "which one should be our backbone?", "what should we standardise on?"
_ASKS_PRIMARY = re.compile(r"\b(?:what|which)(?:\s+(?:one|1|tool|platform|of\s+(?:them|the\s+\w+|these|those)))?\s+"
                           r"(?:should|would|will|ought\s+to)\s+(?:be|become)\s+(?:our|the)?\s*(?:primary|main|"
                           r"backbone|default|standard|go-to|first\s+choice|core|pick)\b|\b(?:what|which)(?:\s+(?:one|1|"
                           r"tool|platform))?\s+should\s+(?:we|i)\s+(?:use|pick|choose|adopt|standardi[sz]e\s+on|"
                           r"go\s+with|go\s+for|bet\s+on|start\s+with)\b|"
                           # "what tool handles that kind of setup?" after the team's setup is told
                           r"\b(?:what|which)\s+(?:tool|platform|one|option)\s+(?:\w+\s+){0,2}?(?:handles?|suits?|fits?|"
                           r"works?\s+(?:best\s+)?(?:for|with)|copes?\s+with|is\s+best\s+for|makes\s+sense\s+for)\s+"
                           r"(?:that|this|our|such\s+an?)\s+(?:kind\s+of\s+|sort\s+of\s+|type\s+of\s+)?(?:setup|set-up|"
                           r"situation|case|environment|arrangement|mix|split)\b")
_WHICH_EACH = re.compile(r"\b(?:which|what)\b.{0,60}?\bfor\b.{0,40}?(?:,|\band\b|;)\s*(?:and\s+)?(?:which|what)"
                         r"(?:\s+(?:one|1|tool))?\s+(?:for|handles?|does|owns?)\b")
# the platform people just named run the team's clusters: "a devops team of 3, they already run EKS for us in
# production", "the two SREs who babysit our EKS clusters" (running clusters is production Kubernetes experience)
_RUN_VERB = (r"(?:run|runs|operate|operates|manage|manages|babysit|babysits|maintain|maintains|administer|administers|"
             r"admin|admins|look\s+after|looks\s+after|keep|keeps|own|owns)")
# "we run the company's Kubernetes clusters", "I maintain the firm's platform": what we run is ours to speak of
_WE_RUN_THEIRS = re.compile(r"\b(?:we|i)\s+(?:\w+\s+)?" + _RUN_VERB + r"\s+(?:all\s+(?:of\s+)?)?the\s+"
                            r"(?:company|firm|org|organi[sz]ation|business|group)'s\s+\w+")
_THEY_RUN_K8S = re.compile(
    r"(?:^|\b(?:who|that|which|and))\s*(?:they\s+|both\s+|all\s+(?:of\s+them\s+)?|it\s+)?(?:already\s+|also\s+|"
    r"currently\s+|basically\s+|happily\s+|still\s+|just\s+)?(?:" + _RUN_VERB + r"|(?:has|have)\s+been\s+(?:running|"
    # ("…is 5 strong and has been running our AKS clusters in production since 2020")
    r"operating|managing|maintaining|administering|looking\s+after|babysitting))\s+"
    r"(?:[\w'&-]+\s+){0,3}?(?:kubernetes|k8s|eks|gke|aks|openshift|rancher)\b")
_WHAT_COST = re.compile(r"\b(?:what|how\s+much)\s+(?:would|will|does|do|is)\s+(?:that|it|this|they|the\s+\w+)\s+"
                        r"(?:cost|come\s+to|run\s+(?:us|me)|set\s+(?:us|me)\s+back)\b")
# a time gone by named as someone else ("we used to be on Databricks"), and a clause that comes back from it
_THEN = re.compile(r"used\s+to\s+be|once\s+was|back\s+then|in\s+the\s+past|years\s+ago\s+(?:we|i|our)")
_BUT_NOW = re.compile(r"\W*(?:(?:but|though|until|then|and)\s+)?(?:\w+\s+)?(?:moved|switched|migrated|went|changed|"
                      r"now|these\s+days|since|today)\b")
_A_SELL = re.compile(r"\b(?:a|an|hard|tough|easy|difficult|harder|easier|tougher|big|real)\s+$")
_AUDIENCE = re.compile(r"\b(?:share|shares|sharing|shared|show|showing|present|presenting|send|sending|report|"
                       r"reporting|email|emailing)\w*\s+(?:\w+\s+){0,3}?(?:with|to|for)\s*$")
_HE_LEFT = re.compile(r"\b(?:he|she)\s+(?:just\s+|has\s+|had\s+|actually\s+)?(?:quit|left|resigned|"
                      r"handed\s+in\s+(?:his|her)\s+notice|is\s+leaving|walked\s+out|moved\s+on)\b")
_HE_RAN = re.compile(r"\W*(?:he|she)(?:\s+is|\s+has|'s)?\s")
# "if we outgrow it later and need orchestration", "once we eventually need pipelines": a need put in the future
_LATER_IF = re.compile(r"^\W*(?:(?:and|but|so|ok|okay|also)\W+)*(?:if|once|when|whenever|should)\s+(?:we|i)\b"
                       r"(?=.*\b(?:later|eventually|one\s+day|some\s*day|down\s+the\s+(?:line|road)|in\s+(?:the\s+)?"
                       r"future|outgrow|outgrows|ever)\b)")
_LEFT_OPEN = re.compile(r"\b(?:(?:do|does|did)\s+not\s+(?:yet\s+|really\s+)?know|not\s+(?:\w+\s+)?sure|unsure|"
                        r"undecided|"
                        r"no\s+idea|not\s+(?:yet\s+)?decided|still\s+deciding|still\s+(?:working|figuring)\s+out|"
                        r"tbd|unclear|an\s+open\s+question|can\s+not\s+say)\s+(?:yet\s+)?(?:whether|if)\b")
# ("our platform team of 6 manages them": the clusters named just before)
_RUN_THEM = re.compile(r"\b" + _RUN_VERB + r"\s+(?:them|those|these|it|all\s+of\s+them)\b")
_ARTICLE_FACT = re.compile(r"\b(?:what|which)\s+(?:share|percentage|proportion|fraction|portion|part|"
                           r"per\s*cent)\s+of\b|"
                           r"\bhow\s+much\s+of\s+the\s+(?:problem|challenge|work|mlops)\b|"
                           r"\bwhich\s+(?:tool|one|option)\s+(?:should|must|would)\s+be\s+avoided\b|"
                           r"\b(?:is|are)\s+there\s+(?:an?\s+)?exceptions?\b")
_THEY_FIRST = re.compile(r"^\W*(?:(?:but|and|well|ok|so)\s+)?they\b(?!\s+are\s+(?:all|both|mostly)\b)")
_WE_FIRST = re.compile(r"^\W*(?:(?:but|and|whereas|while)\s+)?(?:we|us|our\s+team|i)\b")
_WE_HAVE_NONE = re.compile(r"^\W*(?:(?:but|and|whereas|while)\s+)?we\s+(?:have|got|have\s+got)\s+"
                           r"(?:none|nobody|zero|0|no\s+one)\b")
_CONTRAST_WE = re.compile(r"^\W*(?:but|whereas|while|unlike\s+us)\s+(?:we|us|our\s+team|i)\b|^\W*we\s+(?:have|got)\s+"
                          r"(?:none|nobody|zero|0|no\s+one)\b")
_LOGGED_IN = re.compile(r"\b(?:is|are)\s+(?:all\s+|now\s+|already\s+|currently\s+)*"
                        r"(?:logged|tracked|stored|kept|registered|"
                        r"versioned)\s+(?:to|in|into|on)\b")
_HEDGES = frozenset({"might", "may", "maybe", "perhaps", "possibly"})
# "(only one engineer) has run Kubernetes in production": a count of those with the skill, said after the number
_SKILLED_FEW = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:has|have|had)\s+(?:ever\s+|actually\s+|really\s+)?"
                          r"(?:run|operated|managed|administered|deployed|touched)\s+(?:\w+\s+){0,2}?"
                          + _K8S_WORD.pattern)
_HAVE_USED = re.compile(r"\b(?:have|has|'ve)\s+(?:been\s+using|used)\b(?!\s+to\b)")
_EACH_OF_THREE = re.compile(r"\b(?:each|all|every\s+one|both)\s+of\s+(?:the|these|those|them)"
                            r"(?:\s+(?:three|3|tools))?\b|"
                            r"\bthe\s+(?:three|3)\s+(?:tools|of\s+them)\b")
_BEST_OF_THREE = re.compile(r"^\W*(?:(?:honestly|so|ok|okay|and|but|then|overall|bottom\s+line)\W+){0,2}"
                            r"(?:which|what)\s+"
                            r"(?:one\s+|1\s+)?(?:of\s+(?:the|these|those)\s+(?:three|3|tools)\s+|of\s+them\s+)?is\s+(?:the\s+)?"
                            r"(?:best|better)(?:\s+(?:one|1|option|choice|tool|pick))?(?:\s+(?:overall|in\s+general|generally|"
                            r"for\s+(?:us|me|our\s+team)))?\s*[?!.]*\s*$")
_THE_THREE = re.compile(r"\b(?:the|these|those|all|both)\s+(?:three|3)\b|\beach\s+of\s+(?:them|the\s+tools)\b")
_PICK_OF_THREE = re.compile(r"\b(?:pick|choose|go\s+with|use|standardi[sz]e\s+on|which)\b.{0,60}?"
                            r"\b(?:these|those|the)\s+"
                            r"(?:three|3)\b(?!\s+(?:of\s+)?(?:us|people|months|weeks|years|days))|\b(?:these|those|the)\s+"
                            r"(?:three|3)\s+(?:tools|options|platforms)?[^.?!]{0,40}?\bwhich\b")
_TEAM_IS = re.compile(r"\b(?:we\s+are|there\s+are|team\s+(?:of|is)|all\s+of\s+us|of\s+us)\b")
_BRACKETED = re.compile(r"\([^()]{1,200}\)")
_NOT_US = re.compile(r"^\W*(?:not\s+(?:us|ours|our\s+team|my\s+team|mine)|which\s+is\s+not\s+us|"
                     r"(?:separate|apart)\s+from\s+(?:us|our\s+team|my\s+team|the\s+ml\s+team)|not\s+part\s+of\s+(?:us|our\s+team))\b")
# a need or wish whose object an infinitive clause after it completes ("we need the whole chain … to run itself")
_NEED_THING = re.compile(r"\b(?:we|i)\s+(?:really\s+|just\s+)?(?:need|want|would\s+like)\s+(?!to\b)")
# a question put after a phrase that sets it up, with no question mark: "and at 26 seats what is that per year"
_WHAT_IS_THAT = re.compile(r"\b(?:what|how\s+much)\s+(?:is|was|would|will|does|do)\s+(?:that|this|it|those|they)\b")
# worth judged on money alone (the normaliser reads "cost-wise" as "in cost")
_COST_WISE = re.compile(r"\b(?:cost|price|money|budget)[\s-]?wise\b|\bworth\s+it\s+in\s+(?:cost|price|money)\b|"
                        r"\bfinancially\b|\bfor\s+the\s+(?:money|price|cost)\b")
# "our main pain is orchestration, chaining feature builds, training and batch scoring on a schedule": what
# the pain names after it (in the same sentence, said with -ing) is what is wanted, not what already runs
_PAIN = re.compile(r"\b(?:pain|pain\s+point|problem|headache|bottleneck|struggle|challenge)s?\s+(?:is|are)\b|"
                   r"\bwe\s+(?:struggle|are\s+struggling)\s+with\b")
_GERUND_FIRST = re.compile(r"^\W*(?:and\s+)?\w{3,}ing\b")
# what survives a move: "do our reports come along?", "does the history carry over?" (whatever part it names)
_SURVIVES_WORDS = (r"come\s+(?:along|across|over|with)|carr(?:y|ies)\s+(?:over|across)|port|ports|transfer|transfers|"
                   r"survive|survives|make\s+it\s+(?:over|across)")
_SURVIVES = re.compile(rf"\b(?:{_SURVIVES_WORDS})\b")
# what a short follow-up asks of a move just weighed: its time, effort, risk, what it loses
_MOVE_FOLLOW_UP = re.compile(r"\b(?:how\s+long|that\s+take|it\s+take|how\s+hard|how\s+painful|"
                             r"how\s+much\s+(?:work|effort)|"
                             r"hard\s+part|tricky\s+part|catch|risks?|effort|lose|losing|break|breaks|difficult|"
                             r"painful|involved?|what\s+does\s+(?:that|it)\s+(?:mean|involve|take)|"
                             rf"{_SURVIVES_WORDS})\b")
# a comparison that names one side: the other is the tool under discussion
_VERSUS = re.compile(r"^\W*(?:(?:and|but|so|ok|okay|how|what)\W+){0,2}(?:about\s+)?(?:versus|vs\.?|"
                     r"compared\s+(?:to|with)|"
                     r"against|relative\s+to|next\s+to|side\s+by\s+side\s+with)\s+|"
                     r"\b(?:how\s+does\s+it|does\s+it|is\s+it)\s+(?:\w+\s+){0,2}?(?:compare|stack\s+up|"
                     r"better|worse|cheaper|riskier|safer|faster|slower)\b(?:\s+\w+){0,3}?\s+(?:to|with|against|than)\s+")


def follows_move(reading: Reading, context: Context) -> bool:
    """A short follow-up that asks more of the move the previous message weighed or asked about ("how long
    would that take?", "what's the hard part?"), naming no tool and no dimension of its own."""
    return bool((context.weighing or (context.intent == "migration" and context.move))
                and not reading.tools and not reading.stated.known() and len(reading.normalized.split()) <= 10
                and _MOVE_FOLLOW_UP.search(reading.normalized)
                and not (reading.topic.own_dimension and reading.topic.dimension != "migration"
                         and not _SURVIVES.search(reading.normalized)))


# one more of the people already counted has production Kubernetes: "what if the second DevOps engineer also had
# production Kubernetes experience?"
_ONE_MORE_K8S = re.compile(r"\b(?:the\s+)?(?:second|other|another|remaining|last)\s+(?:\w+\s+){0,2}?(?:engineer|"
                           r"one|person|"
                           r"guy|devops|sre|admin)\b(?:\s+\w+){0,3}?\s+(?:also\s+)?(?:had|has|have|ran|runs|run|knew|"
                           r"knows|got|gets)\b(?!\s+(?:not|no|never)\b).{0,40}?\b(?:kubernetes|k8s)\b")
_CORRECTION = re.compile(r"\b(?P<n1>\d{1,6})\s*(?:people\s+|persons?\s+)?,?\s*(?:not|rather\s+than|instead\s+of)\s+"
                         r"(?P<o1>\d{1,6})\b|\bnot\s+(?P<o2>\d{1,6})\s*,?\s*(?:but|it's|it\s+is|we're|we\s+are)\s+"
                         r"(?P<n2>\d{1,6})\b")
# a number taken back as it is said: "eight — no wait, nine", "3 … — scratch that, 2"
_SELF_CORRECTION = re.compile(r"(?<![\d.])(?P<old>\d{1,6})(?![\d.])(?:(?!(?<![\w.])\d)[^.?!]){0,60}?"
                              r"\s*[-—–,;:(]?\s*\b(?:no\s+wait|wait|scratch\s+that|"
                              r"sorry|i\s+mean|correction|make\s+that|er|erm|um|or\s+rather|actually|oops)\s*[,:-]?\s*"
                              r"(?:it\s+is\s+|we\s+are\s+|more\s+like\s+|only\s+|just\s+)?(?P<new>\d{1,6})(?![\d.])")
_NONE_OF = re.compile(r"\bnone\s+of\s+(?:the\s+|us\s+)?$")
_SINGULAR = re.compile(r"^(?:i|i\s+have|i\s+am)\b|\b(?:a|an|one|1|single)\s+(?:(?:dedicated|full[- ]time|in-house|lone|"
                       r"sole|part[- ]time)\s+)?(?:platform|devops|mlops|infra|infrastructure|sre|ops|kubernetes|k8s)"
                       r"\s+(?:engineer|person|guy|gal|eng|specialist|admin)\b(?!s)|(?<!\bevery\s)\b(?:1|one)\s+(?:guy|person|engineer|of\s+us|of\s+them|dev|sre)\b|"
                       r"\b(?:the\s+)?only\s+(?:1|one|person|engineer)\b|"
                       # one person named: "though marco did run a production eks cluster at his last job"
                       r"^(?:(?:though|although|but|and|except|only)\s+)?(?!(?:we|they|everyone|everybody|all|both|each|"
                       r"people|folks|engineers|who|which|that|our|the|some|many|most|several|none|nobody|it|this|"
                       r"there|has|have|had|did|do|does|was|were|is|are|also|then|and|he|she)\b)[a-z]+\s+"
                       r"(?:did\s+|has\s+|had\s+|once\s+)?(?:run|ran|operated|managed|administered)\b")
# "how do we do pipelines with it then?" asks how; it runs no pipeline
# the whole team has the skill: "5 of us, all ex-SRE, we've all run k8s in prod" is five, not the floor of two
_ALL_OF_US = re.compile(r"\b(?:we\s+(?:have\s+|had\s+|are\s+|were\s+)?all|all\s+of\s+us|every\s*(?:one|body)\s+"
                        r"(?:of\s+us|here|on\s+(?:the|our)\s+team)|each\s+of\s+us|(?:the\s+)?(?:whole|entire)\s+team)\b")
_HOW_WE = re.compile(r"^\W*(?:(?:and|so|but|ok|okay|then)\W+)*how\s+(?:do|can|could|should|would|will|shall)\s+"
                     r"(?:we|i)\b")
# "what if we were fifteen?" … "and sixty, with a budget that's really tight?": a bare number after a what-if (or a
# recommendation for a team of known size) supposes that many people
_SIZE_AGAIN = re.compile(r"^\W*(?:(?:and|or|ok|okay|so|then|now|last\s+one|one\s+more|finally|what\s+about|how\s+about|"
                         r"and\s+at|at)\W+){1,3}(?P<n>\d+)(?:\s+(?:people|persons|ppl|of\s+us|users|seats|instead))?"
                         r"(?=\s*(?:[,?.!;:]|$)|\s+(?:with|and|but|instead|though|tho)\b)")
_ON_A_DIMENSION = re.compile(r"\b(?:vs\.?|versus|or)\b[^?]*?\b(?:on|for|in\s+terms\s+of|regarding|"
                             r"when\s+it\s+comes\s+to)\s+(?!us\b|our\b|a\s+team\b|\d)")
_HOW_SOON = re.compile(r"^\W*(?:(?:so|ok|and|but)\W+)?how\s+(?:quickly|fast|soon|long)\b")
# needs and worries a message may say in passing ("we need results by friday"): they ask for no pick on their own
IN_PASSING = frozenset({"time_pressure", "seat_price_sensitive", "lock_in_averse", "needs_dashboards"})
_ALL_ON = re.compile(r"\b(?:everything|all\s+of\s+it|it\s+all)(?:'s|\s+is|\s+lives|\s+runs|\s+sits)\s+"
                     r"(?:now\s+)?(?:in|on)\s+")
# "between mlflow and w&b for us, which?": tools a choice is between ("our runs are split between MLflow and
# W&B" uses both)
_CHOOSING_BETWEEN = re.compile(r"(?:^\W*(?:(?:so|ok|okay|and|but|well|then|now)\W+)*|\b(?:choose|choosing|chose|"
                               r"pick|picking|decide|deciding|torn|stuck|options?|choice|comparing|compare|weighing)\s+)"
                               r"between\s+(?:\S+\s+){0,3}?$")
# "the move to AWS finished this quarter", "our migration onto GCP is done": a move that is over lands there
_MOVE_DONE = re.compile(r"\b(?:the|our)\s+(?:\w+\s+)?(?:move|migration|switch|transition|cutover)\s+(?:over\s+)?"
                        r"(?:to|onto)\s+(?:the\s+)?(?=(?:[\w&.-]+\s+){1,3}?(?:(?:is|was|has|got|have)\s+(?:been\s+)?)?"
                        r"(?:(?:now|finally|officially|fully|just)\s+)?(?:finished|done|complete|completed|over|live)\b)")
_THE_ML_TEAM = re.compile(r"^\W*(?:the\s+(?:ml|machine\s+learning|data\s+science|ds|ai|analytics|ml/ai|ai/ml)\s+"
                          r"(?:team|group|org|unit|function)\s+(?:is|are|has|numbers|counts)\b|"
                          # "so now it's just the ML folk (eleven of us)": what is left is the speaker's own
                          r"(?:(?:so|and|but)\s+)?(?:now\s+)?it\s+is\s+(?:just|only)\s+the\s+(?:ml|data\s+science|ds|"
                          r"ai|analytics|data)\s+(?:team|group|folks?|people|crew|side|lot)\b)")
_BARE_SUBJECT = re.compile(r"^\W*(?:and|or|what\s+about|how\s+about|and\s+what\s+about)\s+"
                           r"(?P<name>[a-z][\w.-]*)\s*\??\s*$")
# a licence said of a tool, not wished for by the team: "it's open source", "kubeflow is open-source after all"
_A_TOOLS_LICENCE = re.compile(r"^\W*(?:(?:but|and|so|though|well)\W+)?(?:it|that|this|they|mlflow|kubeflow|kf|w&b|"
                              r"wandb|weights\s+(?:&|and)\s+biases)\s+(?:is|are|was)\s+(?:(?:all|still|fully|totally|just)\s+)?"
                              r"(?:free\s+and\s+)?(?:open[\s-]source|oss|apache[\s-]licensed|proprietary|closed[\s-]source)\b")
_SAME_FRAME = re.compile(r"\b(?:at|for|with|in)\s+(?:that|the\s+same|this|our)\s+(?:size|scale|headcount|team\s+size|"
                         r"number|price|tier)\b|\b(?:too|as\s+well|instead)\b")
_ELLIPSIS = re.compile(r"^\W*(?:and|also|what about|how about|same for|what of|or|plus|then)\b")
# "who built mlflow?", "when was W&B founded?": short, but a question of its own, not the previous one again
_OWN_WH = re.compile(r"^\W*(?:(?:so|ok|and|but)\W+)?(?:who|when|where)(?:'s|\s+(?!about\b)[\w']+)\s+\S+")
# a person's experience of a managed Kubernetes ("one devops guy who has run EKS in prod", "two of us have
# actually run EKS in production") is a skill, not the platform the team is on ("we've run everything on GKE")
_MANAGED_K8S = re.compile(r"\b(?:eks|aks|gke)\b")
_EXPERIENCE = re.compile(r"(?<!\bwe)(?<!\bwe )(?:\bhas|\bhave|\bhad|'ve|'s)\s+(?:\w+\s+)?(?:run|ran|operated|managed|"
                         r"administered|admin'd|maintained|worked\s+(?:with|on))\s+(?:\w+\s+){0,2}?(?:eks|aks|gke)\b"
                         # "two of us ran GKE in production at our last jobs": another employer's cluster
                         r"|\b(?:ran|run|operated|managed|administered|maintained|used)\s+(?:\w+\s+){0,2}?(?:eks|aks|gke)\b"
                         r"(?=[^.;!?]*\b(?:at|in|for)\s+(?:our|my|their|his|her|a)\s+(?:last|previous|former|old|prior)\s+"
                         r"(?:jobs?|employers?|compan(?:y|ies)|roles?|gigs?|places?|teams?|firms?)\b)"
                         # "two of them, sort of - one ran EKS in prod": one person counted, and what they did
                         r"|(?:^|[,;:-]\s*|\band\s+)(?:only\s+|just\s+)?(?:1|one|the\s+other(?:\s+one)?|one\s+of\s+(?:them|us|"
                         r"those))\s+(?:ran|operated|managed|administered|maintained)\s+(?:\w+\s+){0,2}?(?:eks|aks|gke)\b")
# ... unless its subject is the team ("our 4-person platform team has run EKS in production for years")
# (or "with a six-person platform team that's run GKE in prod": our platform team)
_TEAM_SUBJECT = re.compile(r"^\s*(?:we\b|our\b)(?!.*\bof\s+us\b)|"
                           r"^\s*(?:\d+\s+people\s+)?(?:with\s+|and\s+)?(?:a|an|the|our)\s+"
                           r"(?:[\w-]+\s+){0,3}?(?:platform|infra\w*|devops|ops|mlops|sre|kubernetes|k8s)\s+"
                           r"(?:team|group|squad|crew)\b")
def _subject(before: str) -> str:
    """The subject of a verb from the words before it: the last piece after a comma or relative pronoun, or
    the noun a relative pronoun just closed on ("a 6-person platform team that has run GKE")."""
    pieces = re.split(r"[,;]|\bwho\b|\bthat\b", before)
    return pieces[-1] if pieces[-1].strip() or len(pieces) == 1 else pieces[-2]


# a consultant's client, a team one advises: the team the advice is for, through the follow-ups
_ADVISEE = re.compile(r"\b(?:my|our|a)\s+clients?\b|\bfor\s+(?:a|my|our)\s+(?:client|customer)\b|\bclient\s+of\s+"
                      r"(?:mine|ours)\b|\bon\s+behalf\s+of\b|\b(?:a|the)\s+team\s+i\s+(?:advise|mentor|support)\b|"
                      r"\bi(?:'m|\s+am)\s+(?:a\s+)?(?:consultant|advis[oe]r)\b")
# the asker turning to their own team ("now for my own shop - we're 6")
OWN_TEAM = re.compile(r"\b(?:my|our)\s+own\b|\bfor\s+us\b|\bourselves\b|\bback\s+to\s+us\b|\bmy\s+(?:team|shop|"
                      r"company|firm|startup|group)\b")
# a what-if in its own words ("what if the freeze gets lifted?"); "and if we hate it, going back?" asks a move
_SUPPOSES = re.compile(r"^\W*(?:(?:and|but|ok|okay|so|then)\W+)?(?:what\s+if|suppose|supposing|say|imagine|"
                       r"hypothetically)\b")
_REGRET = re.compile(r"\b(?:regret|regrets|regretted|regretting)\s+(?:it|that|this|the\s+(?:choice|decision|move)|"
                     r"(?:going|picking|choosing)\b)|\bchange\s+(?:our|my)\s+minds?\b|\b(?:outgr[eo]w|outgrown|hate|"
                     r"hated)\s+it\b|\bwant(?:ed)?\s+(?:to\s+get\s+)?out\b")
# "how painful is it to get off kubeflow?": a move said only by the tool it leaves (no destination chosen)
LEAVES = re.compile(r"\b(?:get|getting|got|move|moving|migrate|migrating|switch|switching|step|stepping|come|coming)\s+"
                    r"(?:off|away\s+from|out\s+of)\b|\b(?:leave|leaving|exit|exiting|ditch|ditching|quit|quitting|"
                    r"abandon|abandoning|escape|escaping)\b", re.I)
_WHICH_TIER = re.compile(r"^\W*(?:(?:and|so|but|ok|then)\W+)*(?:which|what)\s+(?:[\w&]+\s+){0,2}?(?:tier|plan|edition|"
                         r"pricing\s+tier|package|subscription|offering)s?\b")
_LEAVING = re.compile(r"\b(?:back|off|leave|leaving|out\s+of|move|moving|migrat\w*|switch\w*|port\w*|regret\w*|"
                      r"outgrow\w*|hate|quit|drop|ditch\w*)\b")
# a question the writer answers at once ("Regulated? Yes."), not one asked of the advisor ("is it any good? no idea")
_SELF_ANSWERED = re.compile(r"(^|[.!;:]\s+|\n\s*(?:[-*•]\s*)?)(?!(?:is|are|does|do|did|can|could|should|would|will|"
                            r"was|were|what|which|how|why|who|when|where|any|anything|anyone)\b)"
                            r"([A-Za-z](?:(?!\s(?:but|so|and|or)\s)[\w /&+'-]){0,40}?)\?+"
                            r"(?=\s+(?:(?:also|again|still|and\s+again|honestly|frankly|tbh|truthfully|well)\s*,?\s+)?"
                            r"(?:yes|yep|yeah|yup|no|nope|nah|none|nobody|zero|absolutely|definitely|not\s+really|never|"
                            # "lock-in? honestly not bothered"
                            r"not\s+(?:bothered|fussed|worried|concerned|an\s+issue|a\s+(?:concern|priority|worry))|"
                            r"(?:do|does)\s+not\s+(?:care|matter)|(?:don't|doesn't)\s+(?:care|matter))\b)", re.I)
# a field of a form answered no ("Regulated: no", "LLM work - none")
_FORM_NO = re.compile(r"^\W*[\w /&'-]{1,30}?\s*(?::|=|\s-)\s*(?:no|none|nope|n/?a|false|not\s+really|nah)\W*$")
_WE = re.compile(r"\b(?:we|we're|we r|our|us)\b")
_FOR_A_TEAM = re.compile(r"\bfor\s+(?:a|an)\s+(?:\w+[\s-]+)?(?:person|people|member|strong|man)[\s-]+"
                         # ("for a 13-person computer vision team": what the team does may stand before its noun)
                         r"(?:[\w-]+\s+){0,3}?(?:team|org|group|shop|startup)\b|"
                         r"\bfor\s+a\s+team\s+of\s+\w+")
_FOR_ABOUT_N = re.compile(r"\bfor\s+(?:like|about|around|roughly|approx(?:imately)?|~)\s*\d+\s*"
                          r"(?:ppl|people|persons|users|seats|heads|of\s+us)\b")
_NEXT_ITEM = re.compile(r"(?:\+|\bplus)\s*$")
_HERE = re.compile(r"\b(?:here|in\s+house|in-house)\s*(?:[.,;:!?)]|$)")
_DESTINATION = re.compile(r"\b(?:to|onto|into|towards)\s+(?:the\s+)?$")
_MOVED = re.compile(r"\b(?:moved|switched|migrated|went|gone|changed|converted|transitioned|standardi[sz]ed|ported|"
                    r"settled|landed)\s+(?:(?:over|back|across|everything|all)\s+)?(?:to|onto|into)\s+(?:the\s+)?$"
                    r"|\b(?:log|logs|logged|logging|send|sends|sent|sending|push|pushes|pushed|pushing|write|writes|"
                    r"stream|streams|sync|syncs|upload|uploads|report|reports)\b(?:\s+\S+){0,3}\s+(?:to|into)\s+$")
# "in headcount terms", "cost-wise", "as for the money", "on the licence side": what the next clause asks about
_FRAME = re.compile(r"^\W*(?:(?:and|so|but|ok|okay|then|also)\W+)*(?:in\s+(?:[\w-]+\s+){1,2}terms|[\w-]+[- ]wise|"
                    r"as\s+(?:for|regards)\s+.+|on\s+the\s+(?:[\w-]+\s+){1,2}(?:side|front)|regarding\s+.+|"
                    r"when\s+it\s+comes\s+to\s+.+)\W*$")
# "we really like W&B's UI": a tool admired, not one in use
_LIKES = re.compile(r"\b(?:like|likes|liked|love|loves|loved|prefer|prefers|admire|fancy|enjoy|enjoyed|rate|dig|"
                    r"envy|covet|are\s+drawn\s+to|are\s+tempted\s+by)\s+(?:the\s+look\s+of\s+)?$")
# "W&B sales say they'll do a private cloud deployment": the vendor speaking, not a tool in use
_VENDOR_SIDE = re.compile(r"(?:'s)?\s+(?:sales(?:\s+(?:team|reps?|people|folks|guys?))?|salespeople|reps?|"
                          r"account\s+(?:managers?|execs?|executives?|team)|solutions?\s+engineers?|pre-?sales)\b")
_WAY_STATION = re.compile(r"\b(?:stepping[- ]stones?|halfway\s+house|middle\s+ground|"
                          r"intermediate\s+(?:step|stage|stop)|"
                          r"interim\s+(?:step|solution|option)|(?:first|next)\s+step|on\s+the\s+way|instead)\b")
_FIRST_PERSON = re.compile(r"\b(?:we|we're|our|ours|us|i|i'm|my|me|myself|ourselves)\b")
# "so with what we actually have, w&b for tracking": a conclusion drawn in the conversation names the plan,
# not a tool in use ("we use w&b for tracking" does)
_PLAN_SENTENCE = re.compile(r"^\W*(?:(?:ok|okay|fine|right|alright|and)\W+)?(?:so|then)\b")
_FOR_LAYER = re.compile(r"\bfor\s+(?:the\s+)?(?:experiment\s+)?(?:tracking|(?:model\s+)?registry|orchestration|"
                        r"pipelines?|serving|dashboards?|reporting|reports|training|monitoring|llm\s+\w+)\b")
# someone else spoken of: a team described with it is not claimed as ours
THIRD_PERSON = re.compile(r"\b(?:they|them|their|he|she|his|her)\b")
# a clause whose first owner is someone else ("none of their data touches our systems") half-says nothing of us
_THEIRS_FIRST = re.compile(r"^(?:(?!\b(?:we|we're|our|ours|us|i|i'm|my|me)\b).)*\b(?:they|their|theirs|them)\b")
_SIGNAL_FIELDS = {"k8s": "k8s_engineers", "platform": "platform_engineers", "maturity": "maturity"}
_QUANTITY_FIELDS = {"people": "team_size", "k8s": "k8s_engineers", "platform": "platform_engineers"}

# a reply that is only a count ("none", "two", "just one of us"), answering the previous question's subject
_BARE_COUNT = re.compile(r"\W*(?:(?:well|um+|hmm+|honestly|sadly|currently|right\s+now|nope|no|yes|yeah|yep)\W+)?"
                         r"(?:(?:just|only)\s+)?(?P<n>none|zero|nobody|no\s*one|no-one|nada|zilch|0|one|two|three|four|"
                         r"five|[1-9])(?:\s+of\s+us)?(?:\s+(?:yet|so\s+far|at\s+the\s+moment|currently|really|honestly|"
                         r"tbh|sadly|unfortunately|right\s+now))?\W*", re.I)
_NONE_WORDS = frozenset({"none", "zero", "nobody", "no one", "noone", "no-one", "nada", "zilch", "0"})
# "how many k8s folks would we need?": a count asked for, not one said
_HOW_MANY_NEEDED = re.compile(r"^\W*(?:(?:and|so|but|ok|okay|then)\W+)?how\s+many\s+(?:[\w/&-]+\s+){0,3}?"
                              r"(?:would|do|will|should|does|did|must)\s+(?:we|i|you|one|a\s+team)\s+(?:\w+\s+)?"
                              r"(?:need|want|require|hire|have)\b")
# "already using it for tracking", "we've been running it for a year": a tool in use named by a pronoun
_USING_IT = re.compile(r"\b(?:already|currently|been|are|we're|we\s+are|we|I'm|I\s+am|I)\s+(?:\w+\s+)?"
                       r"(?:using|use|running|run)\s+(?P<it>it)\b(?!\s+(?:would|could|might|as\s+a\s+(?:trial|test)))",
                       re.I)
# what a previous question counted, first match wins: dedicated ops people before Kubernetes experience
# ("does the devops side matter?" then "none")
_COUNTED_SUBJECTS = (
    (re.compile(r"\b(?:devops|dev\s+ops|platform\s+(?:team|engineer|engineers|people|capacity|side)|sre|sres|mlops\s+"
                r"(?:team|engineers?|people)|infra(?:structure)?\s+(?:team|engineers?|people))\b"),
     "dedicated devops engineers"),
    (re.compile(r"\b(?:kubernetes|k8s|kube)\b"), "engineers who have run kubernetes in production"),
)


class Reader:
    """Reads messages; built once per advisor from its parts, the banks embedded on first use."""

    def __init__(self, extractor: ProfileExtractor, vocab: Vocabulary, premises: Premises, embedder,
                 cache_dir: Path | None, model_reader=None):
        self.extractor = extractor
        self.vocab = vocab
        self.premises = premises
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.model_reader = model_reader  # advisor.understanding.model_reader.ModelReader, or None
        self.config = UnderstandingConfig.load()
        self.scope = load_scope()
        self.quantities = quantity_reader()
        self.layers = Layers(self.config.layers)
        self._dimensions = [(name, _words(words)) for name, words in self.config.dimensions.items()]
        self._not_dimensions = _words(self.config.not_dimensions) if self.config.not_dimensions else None
        self._unless = {imp.id: _words(imp.unless) for imp in self.config.implications if imp.unless}
        self._only_with = {imp.id: _words(imp.only_with) for imp in self.config.implications if imp.only_with}
        self._people = {imp.id: _words(imp.people) for imp in self.config.implications if imp.people}
        self._implication = {imp.id: imp for imp in self.config.implications}
        self._other, self._wish = _words(self.config.scope["other"]), _words(self.config.scope["wish"])
        self._instruction = _words(self.config.scope["instruction"])
        self._past = _words(self.config.scope["past"])
        self._not_current = _words(self.config.entities["not_current"])
        self._in_use = _words(self.config.entities["in_use"])
        # in a question's sentence "on" and "with" tie a tool to a platform or a topic, not to us ("Kubeflow on
        # AKS, sensible?", "what about lock-in with wandb"): only the other words say it is in use there
        # (nor do seats and licences: "and w&b at 200 seats, for comparison?" prices it)
        self._in_use_asked = _words([w for w in self.config.entities["in_use"]
                                     if w not in ("on", "with", "seats", "licence", "license")])
        self._combination = _words(self.config.intent.combination)
        tables = extractor.lexicon.synonyms
        self._platforms = [(pid, _words(names)) for pid, names in tables.get("PLATFORM", {}).items()]
        # the lexicon's names and misspellings, and the vocabulary's abbreviations ("mlf", "kf"); not its product
        # names ("Weave": "everyone keeps saying just use weave" is advice heard, not a tool in use)
        self._tools = [(tid, _words([*names, *(a for a in vocab.tool(tid).aliases if len(a) <= 3)]))
                       for tid, names in tables.get("TOOL", {}).items()]
        if model_reader is not None:
            model_reader.names_in = self.names_in

    def names_in(self, field: str, value: str, text: str) -> bool:
        """Whether `text` names that platform (field `platform`) or tool (`current_tools`)."""
        table = dict(self._platforms if field == "platform" else self._tools)
        rx = table.get(value)
        return bool(rx is not None and rx.search(text.lower()))

    @cached_property
    def _meaning_examples(self) -> dict[str, list[str]]:  # parsed once: the meaning reader and the speller
        return load_bank(data_file("meaning.yaml"), MeaningFile)

    @cached_property
    def _intent_examples(self) -> dict[str, list[str]]:  # parsed once: classifier, fingerprint, speller
        return load_bank(data_file("intents.yaml"), IntentFile)

    @cached_property
    def speller(self) -> Speller | None:
        """Typos corrected towards the words of the example statements and questions."""
        texts = [t for bank in (self._meaning_examples, self._intent_examples) for ts in bank.values() for t in ts]
        folder = getattr(self.embedder, "folder", None)  # a stand-in embedder has no vocabulary: no corrections
        names = {w for t in [*self.vocab.tools, *self.vocab.uncovered] for a in [t.name, *t.aliases]
                 for w in re.findall(r"[a-z]+", a.lower())}
        return Speller.build(texts, folder / "vocab.txt" if folder else None, names | set(self.config.words),
                             self.config.slips)

    @cached_property
    def meaning_bank(self) -> EmbeddedBank:
        return EmbeddedBank.build(self._meaning_examples, self.embedder, self.cache_dir, "meaning",
                                  self.extractor.normalize, normalizer_key=self.extractor.fingerprint)

    @cached_property
    def meaning(self) -> MeaningReader:
        bank = self.meaning_bank
        return MeaningReader(bank, self.config.meaning, self._classifier(bank))

    def _classifier(self, bank: EmbeddedBank) -> Linear | None:
        """The classifier of what a clause says (`train_classifier`). Found by `classifier_key` in the data
        dir's cache, else as shipped in the package if it was trained on the same inputs, so a start neither
        parses nor embeds the ~10,000 learned clauses."""
        classifier = self.config.meaning.classifier
        if classifier.accept > 1:
            return None
        key = self.classifier_key(bank)
        found = (cached_linear(key, classifier.c, self.cache_dir, "meaning-classifier")
                 or shipped_linear(key, classifier.c, SHIPPED_CLASSIFIER))
        return found if found is not None else self.train_classifier(bank, key, self.cache_dir)

    def train_classifier(self, bank: EmbeddedBank, key: str, cache_dir: Path | None) -> Linear:
        """Trained on the examples and on the clauses learned from the held-out sets' dev split
        (advisor/data/meaning_learned.yaml); the reader pools its labels per field. Cached in `cache_dir`
        under `key` (evals/ship_classifier.py passes an empty one, to train afresh)."""
        vectors, labels = bank.vectors, list(bank.labels)
        learned = load_learned(data_file("meaning_learned.yaml"), set(labels))
        if learned:
            extra = EmbeddedBank.build(learned, self.embedder, self.cache_dir, "meaning-learned")
            vectors, labels = np.vstack([vectors, extra.vectors]), labels + extra.labels
        return train_linear(vectors, labels, self.config.meaning.classifier.c, cache_dir, "meaning-classifier",
                            key=key)

    @staticmethod
    def classifier_key(bank: EmbeddedBank) -> str:
        """What determines the classifier: the examples' bank (embedder, labels, texts, normaliser) and the
        learned file's bytes."""
        path = data_file("meaning_learned.yaml")
        return json.dumps([bank.digest, hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None])

    @cached_property
    def intents(self) -> IntentClassifier:
        groups = self._intent_examples
        unknown = set(groups) - set(INTENTS)
        if unknown:
            from advisor.errors import CorpusError

            raise CorpusError(f"invalid intents.yaml: intents.{sorted(unknown)[0]}: not one of {', '.join(INTENTS)}")
        bank = EmbeddedBank.build(groups, self.embedder, self.cache_dir, "intents")
        return IntentClassifier(bank, bank.linear(self.config.intent.c, self.cache_dir, "intents"))

    def intent_fingerprint(self) -> str:
        """What the stacker must have been trained against (its file records the same digest)."""
        return fingerprint(self._intent_examples, self.config.intent, getattr(self.embedder, "name", "?"))

    @cached_property
    def stacker(self) -> IntentStacker | None:
        path = data_file("intent_stacker.json")
        stacker = IntentStacker.load(path)
        if stacker.data.fingerprint != self.intent_fingerprint():
            from advisor.errors import CorpusError

            raise CorpusError(f"{path.name} was trained on other intent examples or settings: rerun "
                              "`python evals/learn_intents.py`")
        return stacker

    def _the_other(self, text: str, context: Context, said: dict[str, str]) -> str:
        """"and the other one, who's behind it?" after Kubeflow and W&B were weighed and W&B discussed: the
        tool named before the one under discussion, put in its place (and recorded beside the typos)."""
        m = _THE_OTHER.search(text)
        current = context.topic.tool if context.topic is not None else None
        others = [t for t in reversed(context.named) if t != current]
        if m is None or current is None or not others or self.vocab.compared(self.vocab.find_tools(text)):
            return text
        name = self.vocab.tool(others[0]).name
        said[m.group()] = name
        return f"{text[:m.start()]}{name}{text[m.end():]}"

    def _ordinal(self, text: str, context: Context, said: dict[str, str]) -> str:
        """"what does the first one do better?" after "we're comparing mlflow and w&b": the first (or the second,
        the latter) of the last two tools named, put in its place (and recorded beside the typos). A message that
        names a tool itself says what it weighs."""
        m = _ORDINAL.search(text)
        if m is None or len(context.named) < 2 or self.vocab.compared(self.vocab.find_tools(text)):
            return text
        tool = context.named[-2] if m.group("first") else context.named[-1]
        name = self.vocab.tool(tool).name
        said[m.group()] = name
        return f"{text[:m.start()]}{name}{text[m.end():]}"

    def _bare_reply(self, text: str, context: Context, said: dict[str, str]) -> str:
        """"none" after "…does the devops side matter?": a bare count answers what the previous question asked
        about, so it is read as the full statement (and recorded beside the typos, so the evidence shows it)."""
        m = _BARE_COUNT.fullmatch(text.strip())
        asked = (context.question or "").lower()
        if m is None or not asked:
            return text
        subject = next((words for rx, words in _COUNTED_SUBJECTS if rx.search(asked)), None)
        if subject is None:
            return text
        n = m.group("n").lower()
        full = f"we have no {subject}" if n in _NONE_WORDS else f"we have {n} {subject}"
        said[text.strip()] = full
        return full

    def _it_in_use(self, text: str, said: dict[str, str]) -> str:
        """"Does MLflow have a proper registry? We're four people, already using it for tracking": "it" in use is
        the one tool the message names, put in its place (and recorded beside the typos)."""
        m = _USING_IT.search(text)
        named = self.vocab.compared(self.vocab.find_tools(text[:m.start()])) if m else []
        if m is None or len(named) != 1 or self.vocab.compared(self.vocab.find_tools(text[m.end():])):
            return text
        name = self.vocab.tool(named[0]).name
        said[m.group("it")] = name
        return f"{text[:m.start('it')]}{name}{text[m.end('it'):]}"

    def _the_two(self, text: str, context: Context, said: dict[str, str]) -> str:
        """"which of the two is cheaper at 30 users?": the two tools the previous question weighed, else the first
        two the last answer put forward (its pick and the tracker it gave beside it), put in their place and
        recorded beside the typos. A message that names a tool itself says what it weighs."""
        m = _THE_TWO.search(text)
        # ("which of the two should own the registry?" asks for a part of the stack: its answer weighs the owners)
        if m is None or self.vocab.compared(self.vocab.find_tools(text)) or self.layers.asked(text):
            return text
        asked = self.vocab.compared(self.vocab.find_tools(context.question or ""))
        pair = asked[:2] if len(asked) >= 2 else context.offered[:2]
        if len(pair) < 2:
            return text
        names = " and ".join(self.vocab.tool(t).name for t in pair)
        said[m.group()] = names
        return f"{text[:m.start()]}{names}{text[m.end():]}"

    def warm(self) -> None:
        """Embed the example banks now rather than on the first question."""
        _ = self.meaning, self.intents, self.stacker, self.speller

    # ---- reading ----

    def read(self, text: str, context: Context | None = None, also: tuple[str, ...] = ()) -> Reading:
        """`also`: texts the caller will embed next (the table matcher's form of the question), embedded in
        the same batch as the question and its clauses: one forward pass instead of two."""
        context = context or Context()
        corrected: dict[str, str] = {}
        if self.speller is not None:
            text, corrected = self.speller.fix(text)
        text = self._the_other(text, context, corrected)
        text = self._ordinal(text, context, corrected)
        text = self._the_two(text, context, corrected)
        text = self._bare_reply(text, context, corrected)
        text = self._it_in_use(text, corrected)
        # "Regulated? Yes. Data on-prem? No, cloud is fine.": questions the writer answers are a form's lines
        text = _SELF_ANSWERED.sub(lambda m: f"{m.group(1)}{m.group(2)}:", text)
        norm, found = self.extractor.locate(text)
        clauses = split_clauses(norm)
        quantities = self.quantities.read(norm)
        tools = self.vocab.find_tools(text)
        if len(tools) == 1 and context.topic is not None and context.topic.tool not in (None, tools[0]) and (
                _VERSUS.search(norm)):  # "and versus mlflow on lock-in?": the tool under discussion against it
            tools = [context.topic.tool, *tools]
        # "ok forget neptune. we're 4 people on aws": a tool set aside as it is named is no longer asked about
        uncovered = [u for u in self.vocab.find_uncovered(text) if not self._dismissed(u, norm)]
        if not uncovered and not tools and (bare := _BARE_SUBJECT.match(norm)):
            # "what about comet?": a follow-up's whole subject is a name, even written in lower case
            uncovered = self.vocab.find_uncovered(bare.group("name").title())
        # only clauses that can state something by meaning (one of some field's anchor words) or that ask
        # something (the intent) are embedded: a long message pays for what can matter, in one batch
        # (with doubts on, every clause of three words or more: what is half-said has no anchor word to find)
        wanted = [c for c in clauses if c.question or self.meaning.may_read(c)
                  or (self.meaning.t.near and len(c) >= 3)]
        vectors = self._embed([text, *(c.text for c in wanted), *also])
        vectors = vectors[:len(vectors) - len(also)]
        meanings = self.meaning.read(wanted, vectors[1:]) if wanted else []
        # in a conversation about the team, "what if we were 25 people?" asks for advice on changed facts
        # ("if we move off the kubernetes thing, what happens to the pipelines we wrote?" supposes a move, not a
        # change in the team)
        what_if_at = self._what_if_at(norm)
        what_if = what_if_at is not None and not _MOVING_OFF.search(norm)
        size_again = _SIZE_AGAIN.match(norm) if context.profile is not None and (
            context.supposing or (context.profile.team_size is not None and context.intent == "recommend")) else None
        what_if = what_if or size_again is not None
        applies = bool(context.profile is not None and context.profile.known() and what_if)
        scoped = self._scopes(clauses, norm, what_if=applies)

        evidence: list[Evidence] = []
        aside: list[Evidence] = []
        facts: dict[str, Any] = {}
        supposed: dict[str, Any] = {}

        def take(ev: Evidence, clause: Clause | None) -> None:
            why = scoped.get(clause.start) if clause is not None else None
            if why == _PAST and ev.field == "k8s_engineers" and not (clause and _THEIR_PEOPLE.search(clause.text)):
                why = None  # production Kubernetes at a previous job is experience the team has now (not the old
                # employer's own engineers: "my previous employer ran Kubeflow with 6 k8s engineers")
            if why == _PAST and ev.field in ("platform_engineers", "team_size") and clause is not None \
                    and self._past_in_relative(clause.text):
                why = None  # "two MLOps engineers who both ran GKE at previous jobs": the engineers are ours now
            if why == _PAST and ev.field == "team_size" and clause is not None and _OF_US.search(clause.text) \
                    and _K8S_WORD.search(clause.text):
                why = None  # "one of us ran EKS at a previous gig; the other eleven…": "of us" is the team now
            if why == _OTHER and ev.field == "data_on_prem" and ev.value is True and clause is not None \
                    and not _THEIRS_FIRST.search(clause.text):
                # "the raw data mustn't leave the university's own servers": a boundary named by its owner still
                # binds our data (missing it would let a SaaS tool through, which the article rules out)
                why = None
            if why == _OTHER and ev.field == "needs_dashboards" and ev.value is True and clause is not None \
                    and _THEY_ASK_US.search(clause.text):
                why = None  # "our clients want shareable reports on the models": reports we must give them
            if why == _OTHER and ev.field == "time_pressure" and ev.value is True and clause is not None \
                    and _WE_MUST.match(clause.text):
                why = None  # "we have to have something to show the client next week": our deadline, for them
            if why == _WANTED and (ev.field in _NEEDS or (ev.field == "maturity" and ev.value == 0)):
                why = None  # (what is wanted away, "instead of someone kicking it off by hand", is the present)
            if why is None and clause is not None and (clause.question or clause.wh) and ev.field in _ATTITUDES \
                    and not applies and not _OWN_NEED.search(clause.text):
                # ("what if money weren't an issue?" supposes it of the team)
                why = _ASKED  # "what licence would we be signing up for?" is no worry about seat prices
            if why is not None:
                aside.append(ev.model_copy(update={"detail": f"{ev.detail}; set aside: {why}".lstrip("; ")}))
                if why in (_QUESTION, _OTHER) and ev.field not in _ATTITUDES:  # "this week" in a question is
                    supposed.setdefault(ev.field, ev.value)                        # no team described
                return
            if ev.field in facts:
                return
            if not accepts(ev.field, ev.value):  # "3,000,000 users" is not a team size
                aside.append(ev.model_copy(update={"detail": f"{ev.detail}; set aside: out of range".lstrip("; ")}))
                return
            facts[ev.field] = ev.value
            evidence.append(ev)

        refused: list[Clause] = []
        for f in found:  # 1. the lexicon
            clause = clause_at(clauses, f.position)
            value = f.value
            if value is True and clause is not None and _FORM_NO.match(clause.text):
                value = False  # a form's answer: "Regulated: no", "LLMs - none"
            held = len(aside)
            take(Evidence(field=f.field, value=value, words=clause.text if clause else norm, how="lexicon"),
                 clause)
            if len(aside) > held and clause is not None:
                refused.append(clause)
        if refused:
            # a field matches once (its first usable rule), so a match set aside (a question, another team's
            # words) hides the same fact said elsewhere: "how do we keep the registry portable? we don't want
            # to be stuck on w&b forever" states the worry in its second sentence. Read again without them
            # (each refused clause blanked to as many ';', so positions hold and no rule spans the gap).
            blanked = list(norm)
            for c in refused:
                blanked[c.start:c.end] = ";" * (c.end - c.start)
            again_norm, again = self.extractor.locate("".join(blanked))
            if len(again_norm) == len(norm):  # normalising again rewrote nothing, so the offsets are the same
                for f in again:
                    clause = clause_at(clauses, f.position)
                    if f.field not in facts and clause is not None and clause not in refused:
                        take(Evidence(field=f.field, value=f.value, words=clause.text, how="lexicon"), clause)
        # platforms and tools named in a clause about the team
        self._entities(clauses, facts, take, norm, scoped, what_if=applies)
        changes = self._quantities(quantities, clauses, facts, take, norm, evidence)  # 2. numbers
        if size_again is not None and "team_size" not in facts:
            take(Evidence(field="team_size", value=int(size_again.group("n")), words=size_again.group().strip(),
                          how="quantity", detail="a bare number after a what-if: the team's size again"), None)
        if _ONE_MORE_K8S.search(norm) and "k8s_engineers" not in facts:  # "the second one also had prod k8s"
            changes["k8s_engineers"] = changes.get("k8s_engineers", 0) + 1
        self._corrections(norm, clauses, context, facts, take)  # "8, not 18": a count said before, corrected
        self._self_corrections(norm, facts, take, evidence)  # "eight — no wait, nine": corrected as it is said
        self._departures(norm, facts, take, evidence)  # "there were eleven of us; three people left": eight
        self._none_of_theirs(aside, clauses, facts, take)  # "they have 3 k8s people, we have none": none
        for m in meanings:  # 3. meaning
            for s in m.signals:
                if "=" in s.label and s.field not in _SIGNAL_FIELDS and s.field in TeamProfile.model_fields:
                    value = s.label.split("=", 1)[1] == "true"
                    if value and s.field in _WORRIES and _DISMISSED.search(m.clause.text):
                        continue  # "licence costs are basically irrelevant to us" names the worry to deny it
                    if s.field == "lock_in_averse" and _A_TOOLS_LICENCE.match(m.clause.text):
                        continue  # "kubeflow is free though isn't it? it's open source" says it of the tool
                    take(self._by_meaning(s, s.field, value), m.clause)
        prior = context.profile.known() if context.profile is not None else {}
        self._implications(meanings, quantities, clauses, facts, take, norm, prior, evidence)  # 4.
        self._platform_runs_k8s(clauses, facts, take, evidence)  # "a devops team of 3; they run our EKS"
        doubts = self._doubts(meanings, scoped, facts, evidence)
        doubts += [d for d in context.doubts if d.field not in facts and all(x.field != d.field for x in doubts)]
        for name in ("platform_engineers", "k8s_engineers"):  # "the devops team runs plain VMs" after "a DevOps
            held = prior.get(name)                              # team of three": still three people, not two
            if isinstance(held, int) and held > 2 and facts.get(name) == 2 and any(
                    e.field == name and e.how in ("lexicon", "implication")
                    and not re.search(r"(?<![\d.])2(?![\d.])", e.words)
                    for e in evidence):
                facts.pop(name)
                evidence[:] = [e for e in evidence if e.field != name]
        corrections: list[str] = []
        model_status = None
        # 5. a capable model, checked; only for a message that speaks of the team (not "banana bread?")
        if self.model_reader is not None and (facts or _FIRST_PERSON.search(norm)):
            outcome = self.model_reader.read(text, dict(facts))
            for ev in outcome.accepted:
                take(ev, None)
            aside += outcome.refused
            corrections, model_status = outcome.corrections, outcome.status

        stated = TeamProfile.model_validate(facts)
        real: dict[str, Any] = {}
        if what_if:  # a sentence after the what-if's own states the team as it is
            # (the what-if's sentence, after any filler before it: "Hmm. If only 15 people needed seats, …")
            at = what_if_at or 0
            opened = (at + m.end() if (m := _WHAT_IF.match(norm[at:])) else 0)
            first_end = next((m.end() for m in _SENTENCE_MARK.finditer(norm) if m.start() >= opened), len(norm))
            starts = {c.text: c.start for c in clauses}
            real = {e.field: facts[e.field] for e in evidence
                    if e.field in facts and starts.get(e.words, -1) >= first_end}
        supposed_profile = TeamProfile.model_validate({k: v for k, v in supposed.items() if k not in facts})
        asks = any(c.question or c.wh for c in clauses) or "?" in norm  # "how much dose kubeflow cost"
        asks = asks or bool(_WHAT_IS_THAT.search(norm))  # "and at 26 seats what is that per year"
        # ("~50 people do ML here", "team of 7 here": a count of the people here is the asker's own)
        first_person = bool(_FIRST_PERSON.search(norm)) or bool(facts.get("team_size") and _HERE.search(norm))
        # ("how much it cost for them per year?" after advice for a client while our own team is known: "them" is
        # the team last asked about, not us)
        if context.their is not None and not supposed_profile.known() and not stated.known() \
                and not first_person and THIRD_PERSON.search(norm):
            supposed_profile = context.their
        # ("experiments are tracked in MLflow today. Should we standardise on Kubeflow?" is about Kubeflow)
        asked_tools = self.vocab.find_tools(" ; ".join(c.text for c in clauses if c.question or c.wh))
        topic = self._topic(norm, tools, context, asked_tools)
        # ("the ads team have used Kubeflow for years, but none of that is available to us")
        named_in = [(scoped.get(c.start) == _OTHER, self.vocab.find_tools(c.text)) for c in clauses]
        theirs = {t for other, ts in named_in if other for t in ts} - {t for other, ts in named_in if not other
                                                                        for t in ts}
        reading = Reading(
            text=text, normalized=norm, clauses=[c.text for c in clauses], quantities=quantities, tools=tools,
            uncovered=uncovered, stated=stated, supposed=supposed_profile, changes=changes, evidence=evidence,
            real=TeamProfile.model_validate(real),
            advisee=bool(supposed_profile.known() and _ADVISEE.search(norm)),
            set_aside=aside, doubts=doubts,
            first_person=first_person, what_if=what_if, asks=asks, topic=topic, layers=self.layers.asked(norm),
            theirs=[t for t in tools if t in theirs],
            premises=self.premises.contradictions(text, self.vocab), corrections=corrections,
            model_reader=model_status, spelling=corrected, destination=self._destination(norm),
        )
        asked = [i for i, c in enumerate(wanted) if c.question]
        question = vectors[1:][asked].mean(axis=0) if asked else None
        # "and MLflow?", "what about W&B?": a follow-up with no ask of its own ("and what would it cost us?"
        # has one) asks the previous question of a new subject
        opener = _ELLIPSIS.match(norm)
        # ("and kubeflow at that size?": the frame the previous question set is no ask of its own)
        # ("and the kubeflow, how long?": an article counts for nothing)
        rest = len([w for w in re.findall(r"[\w&'-]+", _SAME_FRAME.sub(" ", norm[opener.end():] if opener else norm))
                    if w not in ("the", "a", "an")])
        # "cost?", "lock-in?": a dimension of its own asks that of the subject under discussion, not the
        # previous question again
        # ("same q for 50 ppl" asks the previous question again, whatever it adds)
        reading.elliptical = bool(context.intent and context.question and (
            (not stated.known() and rest <= 3 and not (topic.own_dimension and not tools) and not _OWN_WH.match(norm)
             # ("how about ZenML instead for the pipelines?" after cost questions: a dimension of its own, not the
             # one the previous question asked about)
             and not (topic.own_dimension and context.topic is not None
                      and context.topic.dimension not in (None, topic.dimension))
             and not _ASKS_AGAIN.search(norm) and not self._combination.search(norm))  # "ok so which", "which combo?"
            or _SAME_Q.match(norm)))
        vote = self._intent(reading, vectors[0], question, clauses, context)
        reading.intent, reading.intent_margin = vote.intent, vote.margin
        reading.intent_scores, reading.intent_by = vote.scores, vote.decided_by
        if reading.intent == "cost":
            self._asking_is_no_worry(reading)
        return reading

    @staticmethod
    def _what_if_at(norm: str) -> int | None:
        """Where the message's what-if opens: at its start, or after a sentence or two that say nothing of the
        team ("OK, that's not happening anytime soon. Different scenario: what if our budget gets cut?")."""
        if _WHAT_IF.match(norm):
            return 0
        for m in list(re.finditer(r"[.!?;:\n]", norm))[:3]:  # ("different scenario: what if …")
            before = norm[:m.end()]
            if re.search(r"\d", before) or _FIRST_PERSON.search(before) or len(before.split()) > 20:
                return None
            if _WHAT_IF.match(norm[m.end():]):
                return m.end()
        return None

    @staticmethod
    def _asking_is_no_worry(reading: Reading) -> None:
        """"and infra cost for it roughly": asking what a tool costs is no worry about money. A price worry read
        by meaning alone, from a clause with no word of the team's own money, is set aside."""
        field = "seat_price_sensitive"
        found = [e for e in reading.evidence if e.field == field]
        if not reading.asks and _FIRST_PERSON.search(reading.normalized):
            return  # ("we also don't want licence fees that scale per head" asks nothing and says it of us: a worry)
        if not found or any(e.how != "meaning" or _OWN_MONEY.search(e.words) for e in found):
            return
        reading.evidence = [e for e in reading.evidence if e.field != field]
        reading.set_aside += [e.model_copy(update={"detail": f"{e.detail}; set aside: {_ASKED}"}) for e in found]
        reading.stated = reading.stated.model_copy(update={field: None})

    def _embed(self, texts: list[str]) -> np.ndarray:
        return embed_queries(self.embedder, texts)

    @staticmethod
    def _by_meaning(s: Signal, field: str, value: Any) -> Evidence:
        flipped = ", negated" if s.flipped else ""
        # which judge decided: the nearest example was close enough, or the classifier was sure of the topic
        judge = f"classified as {s.field} ({s.classified:.2f}); " if s.classified is not None else ""
        return Evidence(field=field, value=value, words=s.clause.text, how="meaning", score=round(s.similarity, 3),
                        detail=f"{judge}close to \u201c{s.example}\u201d{flipped}")

    def _only_tools(self, text: str, joined: bool = False) -> bool:
        """The clause names tools and nothing else ("kubeflow and w&b", "or maybe w&b"), or opens with one and
        says nothing of us and is joined to the one before by "+", "and", "or" (`joined`)."""
        if joined and any(rx.match(text.lstrip(" +&,/")) for _, rx in self._tools) and not _FIRST_PERSON.search(text):
            return True  # "thinking mlflow for registry + wandb for sweeps": the list goes on, item by item
        rest = text
        for _, rx in self._tools:
            rest = rx.sub(" ", rest)
        return rest != text and not re.sub(r"\b(?:and|or|plus|maybe|perhaps|also|even)\b|\W", "", rest)

    def _entities(self, clauses: list[Clause], facts: dict[str, Any], take, norm: str = "",
                  scoped: dict[int, str] | None = None, what_if: bool = False) -> None:
        """The platform the team runs on and the tools it uses, from clauses that name them as its own. In a
        what-if about the team ("what if we weren't on databricks, just plain GCP?") its question states."""
        platforms: list[tuple[int, str, Clause]] = []
        tools: list[tuple[int, str, Clause]] = []
        if len(clauses) == 1 and _ELLIPSIS.match(clauses[0].text) and len(clauses[0]) <= 3:
            return  # "and mlflow": a follow-up's subject, not a tool in use
        weighed_before, ours, prev_end, listing = False, [], None, False
        for c in clauses:
            # "Our current stack:" then "- MLflow for tracking": each listed item that opens with a tool is ours
            if listing and not (c.question or c.wh) and not c.negated:
                tools += [(m.start(), tid, c) for tid, rx in self._tools if (m := rx.match(c.text))]
                platforms += [(m.start(), pid, c) for pid, rx in self._platforms if (m := rx.match(c.text))]
            listing = bool(_OUR_STACK.search(c.text)) or (listing and not (c.question or c.wh))
            # a move already made lands on the tool ("moved everything to MLflow in January", "we fully switched
            # from MLflow to W&B"), whatever else the clause weighs
            if not (c.question or c.wh or c.negated) and _FIRST_PERSON.search(c.text):
                for m in _LANDED.finditer(c.text):
                    if _UNREAL_BEFORE.search(c.text[:m.start()]):
                        continue  # "if we moved to W&B", "we'd want to have switched to…": not done
                    landed_tools, landed_platforms = self._named_at(c, m.end())
                    tools += landed_tools
                    platforms += landed_platforms
            if not (c.question or c.wh or c.negated) and (m := _ALL_ON.search(c.text)):
                tools += self._named_at(c, m.end())[0]  # "everything's in MLflow now": in use, whoever says it
            if not (c.question or c.wh or c.negated) and (m := _MOVE_DONE.search(c.text)):
                # "update from IT: the move to AWS finished this quarter", whoever says it
                done_tools, done_platforms = self._named_at(c, m.end())
                tools += done_tools
                platforms += done_platforms
            if (c.question and not what_if) or c.wh:
                # "how hard would it be to move our existing MLflow runs into it?": a question that says "our
                # MLflow" says the team has it
                ours += self._ours(c, held=True)
                continue
            weighing = {m.group() for m in self._not_current.finditer(_ASIDE_IF.sub(" ", c.text))}
            # "we're evaluating MLflow, Kubeflow and W&B": the list goes on in the next clause, weighed too
            joined = bool(_JOINS.search(norm[prev_end:c.start])) if prev_end is not None else False
            listed = weighed_before and self._only_tools(c.text, joined)
            weighed_before, prev_end = bool(weighing - _COPULAS), c.end
            if listed:
                continue
            # a bare copula weighs no platform in a clause about us: "we are multi-region on GCP", "our compute
            # is in AWS" (unless it denies: "we are not on AWS"); a tool it may ("W&B private cloud is OK")
            # (or in a sentence about us: "everything we have — data lake, training — is on Microsoft Azure")
            start = max((m.end() for m in _SENTENCE.finditer(norm, 0, c.start)), default=0)  # the sentence's
            if weighing and weighing <= _COPULAS and not c.negated and (
                    _FIRST_PERSON.search(c.text) or _FIRST_PERSON.search(norm[start:c.start])):
                platforms += [(m.start(), pid, c) for pid, rx in self._platforms if (m := rx.search(c.text))]
            if weighing and weighing <= _COPULAS and not c.negated and not (c.question or c.wh) \
                    and (_LOGGED_IN.search(c.text) or (_FIRST_PERSON.search(c.text) and _HAVE_USED.search(c.text))):
                # "everything's logged to MLflow now": in use, said with "is" ("we're 10 people and have used
                # self-hosted MLflow for two years": the copula is the head count's)
                tools += [(m.start(), tid, c) for tid, rx in self._tools if (m := rx.search(c.text))]
                continue
            if weighing:  # (but "our existing MLflow" in it is ours: "bolt Kubeflow onto our existing MLflow")
                ours += self._ours(c, held=False)
                continue
            experience = (e := _EXPERIENCE.search(c.text)) and not re.search(r"\bour\s+(?:eks|aks|gke)\b", c.text) \
                and not _TEAM_SUBJECT.search(_subject(c.text[:e.start()]))
            platforms += [(m.start(), pid, c) for pid, rx in self._platforms if (m := rx.search(c.text))
                          and not (experience and _MANAGED_K8S.fullmatch(m.group().lower()))]
            # a tool is in use where its sentence says so ("using wandb + mlflow atm"); "best team size for
            # kubeflow compared to mlflow" uses neither
            stop = next((m.start() for m in _SENTENCE.finditer(norm, c.end)), len(norm))
            sentence = norm[start:stop] or c.text
            # ("and with kubeflow, what's the lock-in risk": a tool named in a question's sentence, by a clause
            # with no "we" in it, is the question's subject)
            asked = any(o.question or o.wh for o in clauses if start <= o.start < stop and o is not c)
            if asked and not _FIRST_PERSON.search(c.text) and not self._in_use_asked.search(c.text):
                continue
            if _PLAN_SENTENCE.match(sentence) and _FOR_LAYER.search(c.text) and not (
                    _FIRST_PERSON.search(c.text) or self._in_use.search(c.text)):
                continue
            if _EVERYONE.match(c.text):  # "come on, everyone uses MLflow": the industry, not us
                continue
            if (_FIRST_PERSON.search(sentence) or self._in_use.search(sentence)) and not c.question:
                # (a what-if's question states its platform, not a tool: "… — Kubeflow then?" weighs it)
                # ("to mlflow i mean", "we're moving to MLflow": where a move goes, not in use; "we moved to
                # MLflow last year" is)
                tools += [(m.start(), tid, c) for tid, rx in self._tools if (m := rx.search(c.text))
                          and not (_DESTINATION.search(c.text[:m.start()]) and not _MOVED.search(c.text[:m.start()]))
                          and not _LIKES.search(c.text[:m.start()]) and not _VENDOR_SIDE.match(c.text[m.end():])
                          and not _CHOOSING_BETWEEN.search(c.text[:m.start()])]
        if platforms and "platform" not in facts:
            # ("our sister division runs half on AWS … we're all-cloud ourselves, on GCP": ours, not theirs)
            platforms.sort(key=lambda p: (p[2].start in (scoped or {}), p[1] != "databricks", p[2].start, p[0]))
            _, pid, clause = platforms[0]
            take(Evidence(field="platform", value=pid, words=clause.text, how="lexicon", detail="named as ours"),
                 clause)
        tools = [t for t in tools if t[2].start not in (scoped or {})]  # "our competitor uses W&B"
        if ours and not tools:  # said in passing inside a question, which is no scope of someone else
            take(Evidence(field="current_tools", value=list(dict.fromkeys(t for _, t, _ in ours)),
                          words=ours[0][2].text, how="lexicon", detail="named as ours in a question"), None)
        if tools:
            named = list(dict.fromkeys(t for _, t, _ in sorted(tools, key=lambda t: (t[2].start, t[0]))))
            have = list(facts.get("current_tools") or [])
            merged = have + [t for t in named if t not in have]
            if merged != have:
                facts.pop("current_tools", None)
                take(Evidence(field="current_tools", value=merged, words=tools[0][2].text, how="lexicon",
                              detail="named as in use"), tools[0][2])

    def _named_at(self, c: Clause, at: int) -> tuple[list[tuple[int, str, Clause]], list[tuple[int, str, Clause]]]:
        """The tools and the platforms named right at `at` in the clause ("moved everything to |MLflow")."""
        after = c.text[at:at + 25]
        return ([(at, tid, c) for tid, rx in self._tools if rx.match(after)],
                [(at, pid, c) for pid, rx in self._platforms if rx.match(after)])

    def _ours(self, c: Clause, held: bool) -> list[tuple[int, str, Clause]]:
        """Tools the clause names as the team's: "our existing MLflow", "our current W&B" (and with `held`,
        "our MLflow runs", "our W&B history")."""
        return [(m.start(), tid, c) for tid, rx in self._tools
                if (m := rx.search(c.text)) and (o := _OURS_BEFORE.search(c.text[:m.start()]))
                and (o.group(1) or (held and _HELD_AFTER.match(c.text[m.end():])))]

    def _quantities(self, quantities: list[Quantity], clauses: list[Clause], facts: dict[str, Any],
                    take, norm: str, evidence: list[Evidence]) -> dict[str, int]:
        """Counts from numbers bound to what they count: a new value ("grow to 45") replaces what the
        lexicon read as the current one, roles listed side by side add up ("6 DS, 2 MLE"), additions
        ("hire two more") are returned as changes to what the conversation knew."""
        changes: dict[str, int] = {}
        bound = [(q, _QUANTITY_FIELDS[q.counts]) for q in quantities if q.counts in _QUANTITY_FIELDS]
        for q, field in bound:
            if q.change == "more":
                changes[field] = changes.get(field, 0) + q.value
        people = [q for q, f in bound if f == "team_size" and q.change != "more"]
        said = next((ev for ev in evidence if ev.field == "team_size"), None)
        if not people and said is not None and said.how == "lexicon" and any(
                f == "platform_engineers" and q.value == said.value and q.change is None
                and re.search(r"\b(?:team|group|squad|department|crew)\s+(?:is|are|of|has)$", q.noun)
                and (c := clause_at(clauses, q.start)) is not None and c.text == said.words for q, f in bound):
            # "the platform team is 3 people": the number counts the platform team, not the team
            facts.pop("team_size", None)
            evidence.remove(said)
        elif not people and said is not None and said.how == "lexicon" and any(
                (q.counts == "subset" or (q.counts in ("k8s", "platform") and not _TEAM_IS.search(said.words)))
                and q.value == said.value and "of us" not in q.noun
                and (c := clause_at(clauses, q.start)) is not None
                and c.text == said.words for q in quantities):
            # "only one person on the platform team has run kubernetes", "3 folks on the infra side who've run
            # GKE": members or a group counted, not the team
            facts.pop("team_size", None)
            evidence.remove(said)
        for q in _summed(people, norm):
            clause = clause_at(clauses, q.start)
            if not q.parts and _SKILLED_FEW.match(norm, q.end) \
                    and not _TEAM_IS.search(norm[max(0, q.start - 14):q.start]):
                continue  # "only one engineer has run Kubernetes in production": those with the skill, not the team
            if (facts.get("team_size") is not None and q.change != "to" and not q.total
                    and facts["team_size"] not in (q.low, *_partial_sums(q), *(q.parts or []))):
                continue
            if facts.pop("team_size", None) is not None:  # what it replaces is no longer evidence
                evidence[:] = [ev for ev in evidence if ev.field != "team_size"]
            take(Evidence(field="team_size", value=q.value, words=clause.text if clause else q.text, how="quantity",
                          detail=q.noun), clause)
        for q, field in bound:
            if field == "team_size" or q.change == "more":
                continue
            clause = clause_at(clauses, q.start)
            after = norm[q.end:q.end + 80]
            if q.noun and q.noun in after and _GONE_AFTER.match(after[after.find(q.noun) + len(q.noun):]):
                continue  # "the two platform engineers who built it have left": nobody the team has now
            if q.change == "to":  # the new value replaces what the lexicon read as the current one
                if facts.pop(field, None) is not None:
                    evidence[:] = [ev for ev in evidence if ev.field != field]
            elif field in facts and clause is not None and self._lexicon_default(field, clause, evidence, True):
                # "our 5-person Kubernetes platform group": the count said beats the lexicon's "a team is two"
                facts.pop(field)
            detail = f"{q.text} {q.noun}".strip() + (f" (changed to {q.value})" if q.change == "to" else "")
            take(Evidence(field=field, value=q.value, words=clause.text if clause else q.text, how="quantity",
                          detail=detail), clause)
            if field == "k8s_engineers" and re.search(r"\b(?:team|group|squad|crew)\b", q.noun):
                # "an on-prem Kubernetes team of 3": the team that runs the clusters is a platform team
                take(Evidence(field="platform_engineers", value=q.value, words=clause.text if clause else q.text,
                              how="quantity", detail=f"{detail}: the team that runs Kubernetes"), clause)
            if field == "platform_engineers" and not q.skilled and "k8s_engineers" not in facts and not (
                    clause is not None and clause.negated) and _K8S_NAME.search(q.noun):
                # "a dedicated 5-person Kubernetes platform group": a group named for Kubernetes runs it
                take(Evidence(field="k8s_engineers", value=q.value, words=clause.text if clause else q.text,
                              how="quantity", detail=f"{detail}: a Kubernetes group"), clause)
            if q.skilled and field == "platform_engineers":  # "5 platform engs w/ prod k8s" run Kubernetes too
                if "k8s_engineers" in facts and clause is not None and self._lexicon_default(
                        "k8s_engineers", clause, evidence, True):
                    facts.pop("k8s_engineers")
                take(Evidence(field="k8s_engineers", value=q.value, words=clause.text if clause else q.text,
                              how="quantity", detail=f"{detail} with production Kubernetes"), clause)
        return {k: v for k, v in changes.items() if v}

    @staticmethod
    def _lexicon_default(field: str, clause: Clause, evidence: list[Evidence], apposed: bool = False) -> bool:
        """The lexicon read `field` in `clause` as a group's floor, not from a number said there. A count in
        apposition ("our platform team — about 6 people —") sits in a clause of its own, next to the group's."""
        if re.search(r"(?<![\d.])2(?![\d.])", clause.text):  # "a platform team of 2" said the two
            return False
        for i, ev in enumerate(evidence):
            if ev.field == field and ev.how == "lexicon" and (ev.words == clause.text or apposed) and ev.value == 2:
                evidence.pop(i)
                return True
        return False

    def _doubts(self, meanings: list[ClauseMeaning], scoped: dict[int, str], facts: dict[str, Any],
                evidence: list[Evidence]) -> list[Evidence]:
        """What the team's own clauses half-say: a near signal (just under a field's floor) for a fact nothing
        stated, or one that contradicts a fact read only by meaning or implication. A signal goes through
        the implication it would feed ("nobody here really does k8s" -> k8s_engineers 0), with its words."""
        firm = {e.field: e.how for e in evidence}
        out: list[Evidence] = []
        for m in meanings:
            if scoped.get(m.clause.start) is not None:  # another team's, a question's, a past job's
                continue
            if len(m.clause) < 3 or m.clause.question or m.clause.wh or _THEIRS_FIRST.search(m.clause.text):
                continue  # "our data (public ad metrics) …" is a fragment; "what should we standardise on?" asks
            for s in m.near:
                for name, value in self._near_values(s):
                    if name not in TeamProfile.model_fields or any(d.field == name for d in out):
                        continue
                    if name in facts and (facts[name] == value or firm.get(name) not in ("meaning", "implication")):
                        continue
                    out.append(Evidence(field=name, value=value, words=s.clause.text, how="meaning",
                                        score=round(s.similarity, 3),
                                        detail=f"half-said: close to \u201c{s.example}\u201d, under the floor"))
        return out

    def _joined_move(self, text: str) -> bool:
        """`text` joins two compared tools as a move: "wandb -> mlflow", "W&B to MLflow" (not "compare W&B to
        MLflow")."""
        return any(_ARROW.fullmatch(gap) or (re.fullmatch(r"\s+to\s+", gap)
                                             and not _COMPARED_TO.search(text[max(0, end - 60):end]))
                   for end, gap in self.vocab.gaps(text, lambda t: bool(self.vocab.compared([t]))))

    def _near_values(self, s: Signal) -> list[tuple[str, Any]]:
        field, _, value = s.label.partition("=")
        if value in ("true", "false"):
            return [(field, value == "true")]
        out = []
        for imp in self.config.implications:
            if imp.when.get("signal") != s.label:
                continue
            if not self._applies(imp, s.clause):
                continue
            out += [(n, r.get("at_least") if isinstance(r, dict) else r) for n, r in imp.set.items()]
        return out

    def _applies(self, imp: Implication, clause: Clause | None) -> bool:
        """Whether an implication holds for what `clause` says: it has one of the implication's `only_with`
        words (a denying word for "no Kubernetes"; a hit from no clause, a fact, has none) and none of its
        `unless` words."""
        needed, unless = self._only_with.get(imp.id), self._unless.get(imp.id)
        if needed is not None and (clause is None or not needed.search(clause.text)):
            return False
        return clause is None or unless is None or not unless.search(clause.text)

    def _implications(self, meanings: list[ClauseMeaning], quantities: list[Quantity], clauses: list[Clause],
                      facts: dict[str, Any], take, norm: str, prior: dict[str, Any] | None = None,
                      evidence: list[Evidence] | None = None) -> None:
        """Facts that follow from a signal or a quantity, for fields nothing stated. A count said in the same
        clause ("our platform team of four runs the AKS clusters") is the count; else the implication's floor.
        A floor never replaces what the conversation already holds at or above it: after "a DevOps team of
        three", "the devops team runs plain VMs" still speaks of three people, not of "at least two"."""
        signals = [s for m in meanings for s in m.signals]
        for imp in self.config.implications:
            hits: list[tuple[Clause | None, str]] = []
            if "signal" in imp.when:  # ("how do we do pipelines with it then?" asks how, it runs none)
                hits += [(s.clause, f"close to \u201c{s.example}\u201d", round(s.similarity, 3)) for s in signals
                         if s.label == imp.when["signal"] and not _HOW_WE.match(s.clause.text)]
            if "quantity" in imp.when:
                hits += [(clause_at(clauses, q.start), f"{q.value} {q.noun}", None) for q in quantities
                         if q.counts == imp.when["quantity"] and q.change is None]
            if "fact" in imp.when:  # "private_cloud_ok=false": a fact read from this message
                name, _, want = imp.when["fact"].partition("=")
                hits += [(None, f"{name} is {want}", None) for _ in [0]
                         if name in facts and str(facts[name]).lower() == want]
            hits = [h for h in hits if self._applies(imp, h[0])]
            other = self._implication.get(imp.yields_to) if imp.yields_to else None
            # "we have own on-prem clusters but nobody of us know Kubernetes": the later denial wins over a hit
            # before it that names no people ("none of us are k8s people, though Marco did run EKS" keeps Marco)
            denied = [s.clause.start for s in signals if s.label == other.when.get("signal")
                      and self._applies(other, s.clause)] if other is not None else []
            if hits and denied:
                people = self._people.get(imp.id)
                hits = [h for h in hits if h[0] is None or h[0].start > max(denied)
                        or (people is not None and people.search(h[0].text))]
            if len(hits) > 1 and any(name.endswith("_engineers") for name in imp.set):
                # ("platform-mature org, …, strong devops (12 engineers running our k8s)": of two clauses that
                # name the group, the one that counts it; else the first)
                hits = [h for h in hits if self._count_in(h[0], quantities, norm, inside_only=True)][:1] or hits
            for clause, detail, score in hits[:1]:
                for name, rule in imp.set.items():
                    floor = rule.get("at_least") if isinstance(rule, dict) else None
                    if name in facts:
                        # "we're a GKE shop … a platform group of five that's run our Kubernetes": the count
                        # said with the group beats the floor a group word gave ("a … shop" is at least two)
                        counted = self._count_in(clause, quantities, norm, inside_only=True) \
                            if name.endswith("_engineers") else None
                        if not (floor and counted and facts[name] == floor < counted and evidence is not None
                                and any(e.field == name and e.how == "lexicon" and e.value == floor
                                        and not re.search(rf"(?<![\d.]){floor}(?![\d.])", e.words)
                                        for e in evidence)):
                            continue
                        evidence[:] = [e for e in evidence if e.field != name]
                        facts.pop(name)
                    # a head count said with the group is the count; a level ("at least 1") is not a count:
                    # "a platform team of four … and our pipelines are automated" is Level 1, not 4
                    counted = self._count_in(clause, quantities, norm) if name.endswith("_engineers") else None
                    if floor is not None and counted is None and name == "k8s_engineers" and clause is not None \
                            and _ALL_OF_US.search(clause.text):
                        size = facts.get("team_size", (prior or {}).get("team_size"))
                        counted = size if isinstance(size, int) and size > floor else None
                    value = rule if floor is None else counted or floor
                    held = (prior or {}).get(name)
                    if floor is not None and counted is None and isinstance(held, int) and held >= floor:
                        continue
                    take(Evidence(field=name, value=value, words=clause.text if clause else "", how="implication",
                                  detail=f"{imp.id}: {imp.why} ({detail})", score=score), clause)

    @staticmethod
    def _count_in(clause: Clause | None, quantities: list[Quantity], norm: str,
                  inside_only: bool = False) -> int | None:
        """A head count for a group named in `clause`: a count said in it ("a platform team of 4", "4 of whom
        run our clusters") or earlier in its sentence ("our one DevOps engineer, Sam, who ran Kubernetes"),
        or one person speaking of themselves ("I have run Kubernetes in production")."""
        if clause is None:
            return None
        sentence = max((m.end() for m in _SENTENCE.finditer(norm, 0, clause.start)), default=0)
        # "+ 3" reaches a count in brackets just after the clause: "k8s platform team (4), all with prod k8s"
        # (a head count in brackets counts the group before it: "the SRE group inside it (5 engineers) runs 40
        # EKS clusters in production")
        counted = [q for q in quantities  # ("none of the 11 of us would call ourselves k8s people" counts none)
                   if sentence <= q.start and (q.start < clause.end or (q.start < clause.end + 3 and "(" in norm[
                       clause.end:q.start + 1])) and not _NONE_OF.search(norm[max(0, q.start - 14):q.start])
                   and (q.counts in ("k8s", "platform", "subset") or (
                       q.counts == "people" and clause.start <= q.start and norm[:q.start].rstrip().endswith("(")))
                   and not norm[max(0, q.start - 6):q.start].endswith("every ")]  # "every 1 of them" is all
        inside = [q for q in counted if clause.start <= q.start]
        if inside:
            return inside[-1].value
        if inside_only:
            return None
        if _SINGULAR.search(clause.text):  # "…and a dedicated platform engineer": one, whatever came before
            return 1
        return counted[-1].value if counted else None

    @staticmethod
    def _corrections(norm: str, clauses: list[Clause], context: Context, facts: dict[str, Any], take) -> None:
        """"sorry, typo: 8, not 18", "we're 12 rather than 20": a count the conversation holds, replaced. The
        old number names the fact; with no fact of that value nothing is read."""
        # "what about the dashboard one with the private cloud deployment? infosec says that would be acceptable":
        # the deployment a sentence before (or the previous message) named, allowed
        if "private_cloud_ok" not in facts:
            sentences = [m.group() for m in re.finditer(r"[^.?!]+[.?!]*", norm)]
            for i, sentence in enumerate(sentences):
                named = any(_PRIVATE_CLOUD.search(x) for x in sentences[:i]) or bool(
                    context.question and _PRIVATE_CLOUD.search(context.question.lower()))
                if named and _ACCEPTS.search(sentence) and _THAT.search(sentence) \
                        and not _PRIVATE_CLOUD.search(sentence) and not _NEGATED.search(sentence):
                    take(Evidence(field="private_cloud_ok", value=True, words=sentence.strip(), how="correction",
                                  detail="allows the private deployment named just before"), None)
                    break
        if context.profile is None:
            return
        before = context.profile.known()
        for m in _CORRECTION.finditer(norm):
            new, old = (m.group("n1"), m.group("o1")) if m.group("n1") else (m.group("n2"), m.group("o2"))
            for name in ("team_size", "k8s_engineers", "platform_engineers"):
                if before.get(name) == int(old) and name not in facts:
                    take(Evidence(field=name, value=int(new), words=m.group(), how="correction",
                                  detail=f"corrects {old}"), None)
                    break
        # "what about W&B's private cloud thing?" then "nah, security already said no to that too": the
        # deployment the previous message asked about is refused
        if "private_cloud_ok" not in facts and context.question and _PRIVATE_CLOUD.search(context.question.lower()) \
                and _REJECTS.search(norm) and _THAT.search(norm) and not _PRIVATE_CLOUD.search(norm):
            take(Evidence(field="private_cloud_ok", value=False, words=norm, how="correction",
                          detail="refuses the private deployment the previous message asked about"), None)
        they = _THEY_COUNT.match(norm)
        if they:  # a group counted now that was said with no count (read as two): its people, counted
            for e in context.evidence:
                if e.field in ("platform_engineers", "k8s_engineers") and e.field not in facts and e.value == 2 \
                        and e.how in ("lexicon", "implication", "meaning") and not re.search(r"\d", e.words):
                    take(Evidence(field=e.field, value=int(they.group("n")), words=they.group(), how="correction",
                                  detail=f"counts the group said before ({e.words})"), None)
        # "ugh, scratch all that. he quit on friday." after "one devops engineer … he's run our EKS clusters": the
        # one platform engineer is gone, and his Kubernetes experience with him
        left = _HE_LEFT.search(norm)
        if left and before.get("platform_engineers") == 1 and "platform_engineers" not in facts:
            take(Evidence(field="platform_engineers", value=0, words=left.group(), how="correction",
                          detail="the one platform engineer left"), None)
            his = any(e.field == "k8s_engineers" and _HE_RAN.match(e.words) for e in context.evidence)
            if his and isinstance(before.get("k8s_engineers"), int) and before["k8s_engineers"] >= 1 \
                    and "k8s_engineers" not in facts:
                take(Evidence(field="k8s_engineers", value=before["k8s_engineers"] - 1, words=left.group(),
                              how="correction", detail="the engineer who left had run Kubernetes"), None)
        bare = _BARE_CORRECTION.match(norm)  # "sorry, 11 actually, forgot the interns": the team's size again
        if bare and isinstance(before.get("team_size"), int) and "team_size" not in facts \
                and int(bare.group("n")) != before["team_size"]:
            take(Evidence(field="team_size", value=int(bare.group("n")), words=bare.group(), how="correction",
                          detail=f"corrects {before['team_size']}"), None)

    @staticmethod
    def _none_of_theirs(aside: list[Evidence], clauses: list[Clause], facts: dict[str, Any], take) -> None:
        """"They have like 3 k8s people though, we have none": a count set aside as another team's, then "we
        have none" in the next clause, is none of that for us."""
        for ev in aside:
            if ev.field in _AT_LEAST_TWO and ev.field not in facts and _OTHER in (ev.detail or ""):
                at = _clause_index(clauses, ev.words)
                nxt = clauses[at + 1] if at is not None and at + 1 < len(clauses) else None
                if nxt is not None and _WE_HAVE_NONE.match(nxt.text):
                    take(Evidence(field=ev.field, value=0, words=nxt.text, how="lexicon",
                                  detail=f"none of what the other team has ({ev.words})"), nxt)

    @staticmethod
    def _platform_runs_k8s(clauses: list[Clause], facts: dict[str, Any], take, evidence: list[Evidence]) -> None:
        """The platform people this message counted run the team's Kubernetes clusters (in the clause that named
        them, or the next one, "…, they already run EKS for us in production"): as many with production
        Kubernetes experience."""
        said = next((ev for ev in evidence if ev.field == "platform_engineers"), None)
        if said is None or not facts.get("platform_engineers"):
            return
        k8s = next((ev for ev in evidence if ev.field == "k8s_engineers"), None)
        floor = k8s is not None and k8s.value == 2 < facts["platform_engineers"] and (
            k8s.how == "implication" or (k8s.how == "lexicon" and not re.search(r"\d", k8s.words)))
        if "k8s_engineers" in facts and not floor:  # (a group's "at least two" gives way to the count said)
            return
        at = _clause_index(clauses, said.words)
        if at is None:
            return
        # "we run our own on-prem Kubernetes clusters (our platform team of 6 manages them)": the clusters just
        # named are the ones the counted people run
        named = floor and _clause_index(clauses, k8s.words) in (at - 1, at)
        for c in clauses[at:at + 2]:
            m = _THEY_RUN_K8S.search(c.text) or (named and c is clauses[at] and _RUN_THEM.search(c.text))
            if m and not re.search(r"\b(?:not|never|no\s+longer)\b", c.text[:m.end()]) and (
                    c is clauses[at] or re.match(r"\W*(?:and\s+)?(?:they|both|all|who)\b", c.text)):
                if k8s is not None and "k8s_engineers" in facts:
                    facts.pop("k8s_engineers")
                    evidence.remove(k8s)
                take(Evidence(field="k8s_engineers", value=facts["platform_engineers"], words=c.text,
                              how="implication", detail="the platform people counted run the team's clusters"), c)
                return

    @staticmethod
    def _departures(norm: str, facts: dict[str, Any], take, evidence: list[Evidence]) -> None:
        """People who left are no team: "three people left" is not a team of three, and after "there were
        eleven of us" the team is the eight who stayed."""
        gone = _DEPARTED.search(norm)
        if not gone:
            return
        summed = next((ev for ev in evidence if ev.field == "team_size" and ev.how == "quantity"
                       and f"+ {gone.group('m')} " in f"{ev.detail} "), None)
        if summed is not None:  # "we're 10, 3 people left" adds no one who left
            facts.pop("team_size")
            evidence.remove(summed)
            take(summed.model_copy(update={"value": summed.value - int(gone.group("m")),
                                           "detail": f"{summed.detail}; {gone.group()} not counted"}), None)
            return
        if facts.get("team_size") not in (None, int(gone.group("m"))):
            return
        were = _WERE.search(norm[:gone.start()])
        if facts.get("team_size") is not None:
            facts.pop("team_size")
            evidence[:] = [ev for ev in evidence if ev.field != "team_size"]
        left = int(were.group("n")) - int(gone.group("m")) if were else 0
        if left >= 1:
            take(Evidence(field="team_size", value=left, words=f"{were.group()} … {gone.group()}", how="quantity",
                          detail=f"{were.group('n')} before, {gone.group('m')} gone"), None)

    @staticmethod
    def _self_corrections(norm: str, facts: dict[str, Any], take, evidence: list[Evidence]) -> None:
        """"we're an eight person team — no wait, nine", "3 people with prod k8s — scratch that, 2": a count
        this message read, replaced by the number said after the correction word."""
        for m in _SELF_CORRECTION.finditer(norm):
            old, new = int(m.group("old")), int(m.group("new"))
            for name in ("team_size", "k8s_engineers", "platform_engineers"):
                if facts.get(name) == old:
                    facts.pop(name)
                    evidence[:] = [ev for ev in evidence if ev.field != name]
                    take(Evidence(field=name, value=new, words=m.group(), how="correction",
                                  detail=f"corrects {old}"), None)
                    break

    def _scopes(self, clauses: list[Clause], norm: str, what_if: bool = False) -> dict[int, str]:
        """Clauses (by start offset) that state nothing about the team as it is now, and why. With `what_if`
        (a what-if in a conversation about the team) "if we were…" is about the team."""
        out: dict[int, str] = {}
        other = past = wanting = pained = then = False
        prev_end = None
        hypothetical = _HYPOTHETICAL | {"if we were"} if what_if else _HYPOTHETICAL
        for c in clauses:
            # ("…but that's them, not us. The ML team is 7": a sentence that opens with the ML team is ours again)
            mine = bool(_FIRST_PERSON.search(c.text) or _THE_ML_TEAM.match(c.text))
            cue = self._other.search(c.text)
            # (a new sentence with no "we" after another team stays theirs: "Our sister team runs Kubeflow. Five
            # platform engineers, all with prod k8s." Taking it as ours could pick a tool the article rules out for
            # us; missing a fact of ours leaves a conservative default, the lesser harm)
            if cue and _THEIR_DATA.match(c.text, cue.end()):
                cue = None  # "our customer data can not leave our data center" is our data about customers
            elif cue and mine and _AUDIENCE.search(c.text, 0, cue.start()):
                cue = None  # "charts she can share with the client every week": the client is who we report to
            elif cue and _WE_RUN_THEIRS.search(c.text[:cue.end()]):
                cue = None  # "we run the company's Kubernetes clusters on GKE": ours to run, our experience
            elif cue and cue.group().startswith("sell") and _A_SELL.search(c.text, 0, cue.start()):
                cue = None  # "per-seat SaaS is a hard sell to the finance office": our own money, not a client
            if cue and cue.group().strip() in hypothetical and (mine or not _ANOTHER.search(c.text)):
                other = False  # "suppose our security people signed off…": a what-if about us
            elif cue:
                other = True
                then = bool(_THEN.fullmatch(cue.group().strip()))
            elif mine or (other and then and _BUT_NOW.match(c.text)):
                # ("we used to be on Databricks but moved everything over to Azure ML": what came after is now)
                other = False
            # a past job goes on to the sentence's end ("at my previous company the platform team (10 people)
            # ran kubeflow for us": the brackets and "ran kubeflow for us" are the old job too), unless a clause
            # comes back to now ("…, but now we're two")
            same_sentence = prev_end is not None and not _SENTENCE_MARK.search(norm[prev_end:c.start])
            wanting = (wanting and same_sentence) or bool(_NEED_THING.search(c.text))
            pained = (pained and same_sentence) or bool(_PAIN.search(c.text))
            # (a list's next item starts afresh: "2 of us ran EKS at previous jobs + 1 dedicated MLOps eng")
            listed = prev_end is not None and bool(_NEXT_ITEM.search(norm[prev_end:c.start]))
            past = bool(self._past.search(c.text)) or (past and same_sentence and not _NOW.search(c.text)
                                                        and not listed)
            prev_end = c.end
            if self._instruction.search(c.text):
                out[c.start] = "an instruction to the advisor, not about the team"
            elif other:
                out[c.start] = _OTHER
            elif past:
                out[c.start] = _PAST
            elif self._wish.search(c.text) and not (what_if and all(
                    m.group() in _HEDGES for m in self._wish.finditer(c.text))):
                # (a hedge in a what-if supposes it: "we might double to 24, still fine?"; "if we ever want
                # orchestration later, …" stays a wish)
                out[c.start] = "a wish, not the team as it is"
            elif _LEFT_OPEN.search(c.text):  # "not sure yet whether the data has to stay on-prem; legal is deciding"
                out[c.start] = "left open, not said either way"
            elif not what_if and _LATER_IF.match(c.text):  # "if we outgrow it and need orchestration later"
                out[c.start] = "a later need supposed, not the team as it is"
            elif same_sentence and ((c.text.startswith("to ") and wanting) or (
                    pained and _GERUND_FIRST.match(c.text) and not _PAIN.search(c.text))):
                # ("we need the whole chain (ingest, train, deploy) to run itself on a schedule": the
                # infinitive after a need is what is wanted, split from it by the brackets)
                out[c.start] = _WANTED
            # "if budget were tight we'd…, but it isn't" (and "if budget weren't an issue…, but it is": what
            # follows says the fact, if anything)
            elif _MOVING_OFF.search(c.text):  # "if we move off the kubernetes thing" has no Kubernetes team
                out[c.start] = "a move supposed, not the team as it is"
            elif not what_if and _COUNTERFACTUAL.match(c.text):
                out[c.start] = "a supposition, not the team as it is"
            elif (c.question or c.wh) and _WH_SUBJECT.match(c.text):
                out[c.start] = _QUESTION  # "so what would actually run our pipelines then?" asks about a tool
            elif (c.question or c.wh) and _HOW_MANY_NEEDED.match(c.text):
                out[c.start] = _QUESTION  # "how many k8s folks would we need?" asks what it takes, states nothing
            elif (c.question or c.wh) and not what_if and (
                    not mine or (self.vocab.compared(self.vocab.find_tools(c.text)) and not _SELF.search(c.text))):
                out[c.start] = _QUESTION  # "does Kubeflow give us anything for LLM tracing?" asks about a tool
        # what is said in brackets belongs to the clause that opens them: "what maturity level does the article put
        # the enterprise platform team (20+ people, production ML) at?" states nothing of the team
        for span in _BRACKETED.finditer(norm):
            owner = next((c for c in clauses if c.start < span.start() <= c.end + 1), None)
            if owner is None or owner.start not in out:
                continue
            for c in clauses:
                if span.start() < c.start < span.end() and c.start not in out:
                    out[c.start] = out[owner.start]
        for c, nxt in zip(clauses, clauses[1:], strict=False):
            # "they have like 3 k8s people though, we have none": "they" set against "we" is another team;
            # "the data platform team (not us, they're a separate org…)": the group disowned right after it is named
            if (_THEY_FIRST.match(c.text) and (_CONTRAST_WE.match(nxt.text) or (
                    re.search(r"\bthough\s*$", c.text) and _WE_FIRST.match(nxt.text)))) or (
                    _NOT_US.match(nxt.text) and not _FIRST_PERSON.search(c.text)):
                out[c.start] = _OTHER
        # "wandb or mlflow for a 6 person team?? we r all data scientists": beside a statement about "we", the
        # team the question is for is the asker's (alone, "is Kubeflow overkill for a 10-person team?" may be
        # the article's example team, so it stays a question)
        stated_we = any(c.start not in out and not (c.question or c.wh) and _WE.search(c.text) for c in clauses)
        for c in clauses:  # ("which is cheaper, mlflow or wandb, for like 50 ppl": a size guessed at is one's own)
            if out.get(c.start) == _QUESTION and (
                    (stated_we and _FOR_A_TEAM.search(c.text)) or _FOR_ABOUT_N.search(c.text)):
                del out[c.start]
        return out

    def _past_in_relative(self, text: str) -> bool:
        """The past job is named only inside a relative clause on people counted before it ("2 MLOps engineers
        who both ran GKE clusters at previous jobs"): where they worked, not who they are."""
        past = self._past.search(text)
        rel = _RELATIVE.search(text, 0, past.start()) if past is not None else None
        return rel is not None and bool(re.search(r"\d", text[:rel.start()])) \
            and not self._past.search(text, 0, rel.start())

    def _dismissed(self, name: str, norm: str) -> bool:
        """Every mention of the uncovered tool `name` follows a word that sets it aside ("forget neptune")."""
        tool = next(u for u in self.vocab.uncovered if u.name == name)
        alts = "|".join(re.escape(a.lower()) for a in sorted([tool.name, *tool.aliases], key=len, reverse=True))
        mentions = list(re.finditer(rf"(?<![\w.])(?:{alts})(?![\w])", norm))
        return bool(mentions) and all(_DISMISS.search(norm[max(0, m.start() - 25):m.start()]) for m in mentions)

    def weighed_move(self, destination: str | None, intent: str | None, profile: TeamProfile) -> str | None:
        """The move a message weighs from a tool the team uses to the `destination` it names ("we currently use
        mlflow, thinking of moving to W&B"), as a migration path ("MLflow to Weights & Biases"), when it asks no
        migration question of it."""
        if destination is None or intent == "migration":
            return None
        start = next((t for t in profile.current_tools or [] if t != destination), None)
        return None if start is None else f"{self.vocab.tool(start).name} to {self.vocab.tool(destination).name}"

    def _destination(self, norm: str) -> str | None:
        """The tool a move goes to ("moving to W&B", "migrate onto Vertex"), when the message names one."""
        for m in _MOVE_TO.finditer(norm):
            found = self.vocab.compared(self.vocab.find_tools(norm[m.end():m.end() + 40]))
            heads = tuple(a.lower() for a in self.vocab.tool(found[0]).aliases) if found else ()
            if heads and norm[m.end():].lstrip().startswith(heads):
                return found[0]
        return None

    def dimension_query(self, dimension: str | None) -> str:
        """The first words of a dimension ("set up setup"), added to a short question's search."""
        return " ".join(self.config.dimensions.get(dimension or "", [])[:2])

    def dimension_words(self, dimension: str | None) -> re.Pattern[str] | None:
        """The words that say a dimension ("setup": set up, setup, get going…), for finding the sentences
        that speak of it."""
        return next((rx for name, rx in self._dimensions if name == dimension), None)

    def _topic(self, norm: str, tools: list[str], context: Context, asked: list[str] | None = None) -> Topic:
        """The tool and dimension the message is about: a tool its question names before one its statements do,
        else the first named, else the one under discussion."""
        named = self.vocab.compared(tools) or self.vocab.owners(tools)
        named = [t for t in named if t in (asked or ())] + [t for t in named if t not in (asked or ())]
        # ("how long to get w&b going?": a tool's name stands where "it" would, "get it going")
        plain = self._not_dimensions.sub(" ", norm) if self._not_dimensions is not None else norm
        as_it = plain
        for _, rx in self._tools:
            as_it = rx.sub("it", as_it)
        dimension = next((name for name, rx in self._dimensions if rx.search(plain) or rx.search(as_it)), None)
        previous = context.topic
        own = dimension is not None
        if not named and context.pick and _YOUR_PICK.search(norm):  # "we'll go with your pick. how long…?"
            return Topic(tool=context.pick, dimension=dimension or (previous.dimension if previous else None),
                         carried=True, own_dimension=own)
        if previous is not None and dimension is None:
            dimension = previous.dimension
        if not named and previous is not None and previous.tool and _OTHER_ONE.search(norm):
            before = self.vocab.compared(self.vocab.find_tools(context.question or ""))
            other = next((t for t in [*before, context.pick] if t and t != previous.tool), None)
            if other is not None:
                return Topic(tool=other, dimension=dimension, carried=True, own_dimension=own)
        if named:
            return Topic(tool=named[0], dimension=dimension, own_dimension=own)
        if previous is not None and previous.tool is not None:
            return Topic(tool=previous.tool, dimension=dimension, carried=True, own_dimension=own)
        return Topic(dimension=dimension, own_dimension=own)

    def _fits(self, clause: str) -> bool:
        """Whether a question clause weighs a named tool for the team ("should we bother with kubeflow at all?",
        "is kubeflow doable in that time?"); "or do we need something else?" names none after its verb."""
        m = _FITS_VERB.search(clause)
        if m and self.vocab.compared(self.vocab.find_tools(clause[m.end():m.end() + 40])):
            return True
        if _SHOULD_WE.match(clause):  # "one of my analysts says we should use the google one. should we?"
            return True
        if _WORKS_FOR_US.search(clause):
            return True
        return bool(_FITS_WORD.search(clause) and (self.vocab.compared(self.vocab.find_tools(clause))
                                                    or _IT_FITS.search(clause)))

    def cues(self, reading: Reading, clauses: list[Clause], context: Context) -> list[str]:
        """The word cues that tell intents apart where the embedding cannot (each a name), with the
        conversation's state: the features the intent stacker weighs beside the classifier's scores."""
        norm = reading.normalized
        # ("and in headcount terms, what does it take to run?": a frame before the question is part of what it asks)
        asked = [(f"{clauses[k - 1].text} {c.text}" if k and _FRAME.match(clauses[k - 1].text) else c.text)
                 for k, c in enumerate(clauses) if c.question or c.wh]
        asking = asked or [norm]
        facts = reading.stated.known()
        compared = self.vocab.compared(reading.tools)
        known_before = context.profile is not None and bool(context.profile.known())
        lock_in, moves = self.dimension_words("lock-in"), self.dimension_words("migration")
        topic = reading.topic
        out = {
            "asks": reading.asks, "has_question": bool(asked), "first_person": reading.first_person,
            "facts_1": len(facts) == 1, "facts_2": len(facts) == 2, "facts_3": len(facts) >= 3,
            "tools_1": len(compared) == 1, "tools_2": len(compared) >= 2,
            "uncovered": bool(reading.uncovered), "premises": bool(reading.premises),
            "describes": bool(facts and not reading.asks and (reading.first_person or len(facts) >= 2)),
            "whats_the_move": bool(_WHATS_THE_MOVE.search(norm)),
            "asks_pick": any(_ASKS_PICK.match(t) or _SHOULD_USE.search(t) for t in asked),
            "of_the_three": any(_OF_THE_THREE.search(t) and _SHOULD_USE.search(t) for t in asked),
            # ("where does Metaflow sit compared to these?" compares an alternative: its row, not a stack)
            "combination": any(self._combination.search(_STACK_UP.sub(" ", t)) for t in asked) and not (
                self.vocab.only_alternatives(compared) and _COMPARED.search(norm)),
            "combination_any": bool(self._combination.search(norm)),
            "bare_how": any(_BARE_HOW.match(c.text) for c in clauses),
            "lock_in": bool(lock_in is not None and lock_in.search(" ".join(asking))),
            "destination": reading.destination is not None,
            "involves": any(_INVOLVES.search(t) for t in asking),
            "move_to": any(_MOVE_TO.search(t) for t in asking),
            "moves": bool(moves is not None and moves.search(norm)),
            "adds": bool(_ADDS.search(norm)),
            "orchestrator": any(_ASKS_ORCHESTRATOR.search(t) for t in asked),
            "asks_cost": any(_ASKS_COST.search(t) and not _TRACKS_COST.search(t) for t in asking),
            "leads_with_cost": any(_LEADS_WITH_COST.match(c.text) for c in clauses),
            "choice": any(c.question and _CHOICE.search(c.text) and self.vocab.compared(self.vocab.find_tools(c.text))
                          for c in clauses),
            "what_if": reading.what_if, "changes": bool(_CHANGES.search(norm)),
            "elliptical": reading.elliptical, "known_before": known_before,
            "own_dimension": topic.own_dimension, "carried": topic.carried,
            "your_pick": bool(_YOUR_PICK.search(norm)),
            # ("W&B on-prem, possible at all?" asks whether the tool can do what is named, not whether it is still in)
            "verdict": bool(asked and (v := _VERDICT.search(norm)) and (reading.tools or topic.tool)
                            and not (topic.own_dimension and v.group().endswith("at all"))),
            "rejects": bool(_REJECTS.search(norm)),
            "asks_advice": any(_ASKS_ADVICE.search(t) for t in asking),
            "for_us": any(_FOR_US.search(t) for t in asked),
            **{f"dim_{d}": topic.own_dimension and topic.dimension == d for d, _ in self._dimensions},
        }
        before = context.intent or "none"
        cues = [k for k, v in out.items() if v] + [f"before_{before}"]
        # a follow-up leans on what came before: the previous intent matters most when the message says
        # little of its own
        for k in ("elliptical", "describes", "what_if", "asks", "verdict", "rejects", "for_us"):
            if out[k]:
                cues.append(f"before_{before}&{k}")
        cues.append(f"before_{before}&facts" if facts else f"before_{before}&no_facts")
        return cues

    def _intent(self, reading: Reading, vector: np.ndarray, question: np.ndarray | None, clauses: list[Clause],
                context: Context) -> IntentVote:
        """The classifier's scores and the message's cues, weighed by the stacker; before it, the one thing
        neither can know (which tools the article covers); after it, what a follow-up leans on.
        `decided_by` names what decided."""
        whole, asked = self.intents.parts(vector, question)
        vote = self.intents.vote(whole, asked, vector, self.config.intent.question_weight)

        def said(intent: str, why: str) -> IntentVote:
            return vote.model_copy(update={"intent": intent, "decided_by": why})

        # "ClearML vs W&B?": no answer about ClearML can be grounded. A tool the team says it uses ("we use
        # DVC for data versioning … what should we add for tracking?") is context, not the question.
        asked_clauses = [c.text for c in clauses if c.question or c.wh] or [reading.normalized]
        aliases = [a.lower() for u in self.vocab.uncovered if u.name in reading.uncovered for a in [u.name, *u.aliases]]

        def names(text: str) -> bool:  # clauses are lower-cased: any alias, whatever its case
            return any(re.search(rf"(?<![\w.]){re.escape(a)}(?![\w])", text) for a in aliases)

        # context only where the team says it uses the tool; "we're looking at dagster — how does it…" asks
        # (nor where the asker was before: "before that I was at a consultancy doing dashboards in Tableau")
        weighed = any(names(c.text) and self._not_current.search(c.text) and not self._past.search(c.text)
                      for c in clauses)
        # ("we use DVC for data versioning and want to add experiment tracking. it's me and a colleague": a team
        # that says what it uses and describes itself asks for advice, not about DVC)
        context_only = bool(not reading.asks and reading.first_person and reading.stated.known()) and all(
            self._in_use_asked.search(c.text) and _FIRST_PERSON.search(c.text) for c in clauses if names(c.text))
        if reading.uncovered and not context_only and (
                not reading.asks or weighed or names(" ".join(asked_clauses))):
            return said("not_covered", "a tool the article does not cover")
        if self.stacker is None:  # evals/learn_intents.py reads with the classifier alone
            return vote
        # "k thx", "OK, that isn't actually a rule for us, I was just curious. Thanks for the help!": a thank-you
        # that asks nothing and names nothing closes the talk; it asks no answer about the last subject
        if _THANKS.search(reading.normalized) and not reading.tools \
                and not reading.asks and not _REQUEST.search(reading.normalized) \
                and not reading.uncovered and not reading.stated.known() and not reading.changes:
            return said("out_of_scope", CLOSING)
        # "ok", "hmm ok", "👍" after an answer: heard, nothing asked (it is no follow-up asking the last question
        # again)
        if _ACK.match(reading.normalized) and not reading.tools and not reading.uncovered:
            return said("out_of_scope", ACKNOWLEDGED)
        # a request for other work (a poem, a translation, a SQL query) asks nothing about the tools (scope.yaml)
        work = self.scope.other_work_asked(reading.normalized, bool(reading.tools or reading.uncovered))
        if work is not None:
            return said("out_of_scope", work.reason)
        cues = self.cues(reading, clauses, context)

        def cues_said(*names: str) -> bool:
            return all(n in cues for n in names)

        classified = vote  # the classifier's own reading, before the cues weigh in
        probs, pushed = self.stacker.decide(whole, asked, cues)
        if not reading.uncovered:  # only a tool name the article lacks makes a question not covered
            probs.pop("not_covered", None)
        ranked = sorted(probs.items(), key=lambda kv: -kv[1])
        (best, p1), (_, p2) = ranked[0], ranked[1]
        why = f"classifier and cues ({', '.join(pushed)})" if pushed else "classifier and cues"
        vote = vote.model_copy(update={"intent": best, "margin": round(p1 - p2, 4), "decided_by": why,
                                       "scores": {k: round(v, 4) for k, v in probs.items()}})
        # a near tie between a pick and a fact, for a question about one tool from someone who has said nothing
        # of the team ("could we just run production on the free tier of W&B?"): the cited fact answers it; a
        # pick would rest on defaults alone
        if best == "recommend" and ranked[1][0] == "factual" and p1 - p2 < _NEAR_TIE and reading.asks \
                and not reading.stated.known() and not reading.supposed.known() and not reading.changes \
                and len(set(reading.tools)) == 1 \
                and not any(cues_said(k) for k in ("known_before", "asks_pick", "asks_advice", "your_pick",
                                                   "choice", "of_the_three", "combination", "what_if")):
            vote = vote.model_copy(update={"intent": "factual", "decided_by": "a near tie, nothing said of the team: "
                                           "the fact about the one tool named answers it"})
        # "which W&B tier would we need for that?": a tool's plan or edition is a fact of the tool (or its price)
        if vote.intent in ("stack", "recommend") and any(_WHICH_TIER.match(t) for t in asked_clauses):
            return said("cost" if cues_said("asks_cost") else "factual", "asks which tier or plan of a tool")
        # "200 of us, platform team of 10 … whats the TCO difference between the three at our size": a team
        # described, then only a price asked; the cost at its size answers it, not a pick
        if vote.intent == "recommend" and any(_COST_ASKED.match(t) for t in asked_clauses) and not any(
                cues_said(k) for k in ("asks_pick", "asks_advice", "your_pick", "choice", "what_if", "combination")) \
                and not any(_ASKS_PRIMARY.search(t) for t in asked_clauses):
            return said("cost", "a team described, then only what it costs asked")
        # "which should be primary for tracking, and which for pipelines?": a tool asked for each of two parts is
        # the stack's division of labour (the two questions are two clauses: the whole message tells)
        if vote.intent in ("recommend", "factual") and reading.layers and _WHICH_EACH.search(reading.normalized):
            return said("stack", "asks a tool for each of two parts of a stack")
        # "so what should be primary for us": the pick asked outright, whatever table row ("Primary function") its
        # words touch; "so what should be our main tracking tool?" names one part of a stack, and asks the one tool
        # (two parts named, "which should be primary for tracking, which for pipelines?", ask the stack)
        if (vote.intent in ("recommend", "factual") or (vote.intent == "stack" and len(reading.layers) <= 1)) \
                and any(_ASKS_PRIMARY.search(t) for t in asked_clauses) and not cues_said("combination"):
            return said("recommend", AGAIN["asked"])
        # "so for the tracking layer, which one?", "which one owns the registry in that setup?" from a team already
        # described: a tool asked for a part of its stack (naming none but the one in place: "which tool is for
        # the tracking then, beside Kubeflow?") is a question of the stack, not a fact
        in_place = {context.pick, context.topic.tool if context.topic is not None else None}
        if vote.intent == "factual" and reading.layers and (
                (context.profile is not None and context.profile.known()) or reading.stated.known()) \
                and set(self.vocab.compared(self.vocab.find_tools(" ; ".join(asked_clauses)))) <= in_place:
            return said("stack", "asks which tool for a part of the team's stack")
        # "sagemaker pipelines vs kubeflow, whats the main tradeoff?", "how does zenml compare to kubeflow" after a
        # move was asked: two tools weighed, no move in the words, is a comparison of facts
        if vote.intent == "migration" and _COMPARED.search(reading.normalized) and len(set(reading.tools)) >= 2 \
                and not any(cues_said(k) for k in ("moves", "move_to", "involves", "destination", "adds")) \
                and not self._joined_move(reading.text) and not reading.stated.known():
            return said("factual", "weighs two tools against each other, no move asked")
        # "and w&b at 200 seats, for comparison?" after a cost question: the next tool's price, asked in a few words
        if vote.intent in ("factual", "recommend") and context.intent == "cost" and reading.topic.own_dimension \
                and reading.topic.dimension == "cost" and set(reading.stated.known()) <= {"team_size"} \
                and len(reading.normalized) <= 80 and not any(cues_said(k) for k in (
                    "asks_pick", "asks_advice", "your_pick", "choice", "verdict")):  # (its seats may state the size)
            return said("cost", "a short follow-up to a cost question names a price")
        # "how long to get w&b going?": the setup of the one tool named, with no move in the words, is its setup
        # time, not a migration
        if vote.intent == "migration" and reading.topic.own_dimension and reading.topic.dimension == "setup" \
                and len(set(reading.tools)) == 1 and not reading.topic.carried and not reading.stated.known() \
                and not any(cues_said(k) for k in ("moves", "move_to", "destination", "adds")) \
                and not self._joined_move(reading.text):
            return said("factual", "asks how long the one tool named takes to set up, no move asked")
        # "what share of data science projects never make it to prod?", "how much of our mlops mess does picking
        # the right tool fix?": a proportion asked is a figure of the article's, not a pick
        if vote.intent in ("recommend", "stack") and _SHARE_ASKED.search(reading.normalized) \
                and not reading.stated.known() and not reading.changes and not cues_said("known_before"):
            return said("factual", "asks what share or proportion the article gives")
        # "How do I set up a Kubernetes ingress for my web app?": a request the classifier is sure is off-topic,
        # naming no tool and saying nothing of a team, stays off-topic whatever work words the cues hear
        if classified.intent == "out_of_scope" and classified.margin >= _SURE_OFF_TOPIC \
                and vote.intent in ("out_of_scope", "factual", "cost") and not self.vocab.compared(reading.tools) \
                and not reading.uncovered and not _THE_THREE.search(reading.normalized) \
                and not _SOURCE_SAYS.search(reading.normalized) \
                and not reading.stated.known() and not cues_said("known_before"):
            return said("out_of_scope", "the classifier is sure it is not about MLOps tooling").model_copy(
                update={"margin": max(vote.margin, classified.margin)})
        # "for my slide deck: how large does the article say the MLOps market will get?": what the source says,
        # asked of it, is a fact of the source (the retrieval's scope check still refuses what it does not cover)
        if vote.intent == "out_of_scope" and reading.asks and _SOURCE_SAYS.search(reading.normalized):
            return said("factual", "asks what the article says")
        # "mlflow vs w&b on dashboards for stakeholders?": two tools weighed on one thing named is that thing
        if vote.intent == "recommend" and cues_said("choice") and reading.topic.own_dimension \
                and not reading.stated.known() and any(_ON_A_DIMENSION.search(t) for t in asked_clauses):
            return said("factual", "two tools compared on one dimension")
        # "how quickly can we get it going? we need results by friday": a dimension asked, with a need said in
        # passing, is that dimension's fact (the need is kept for the next pick)
        if vote.intent == "recommend" and reading.topic.own_dimension and reading.stated.known() \
                and set(reading.stated.known()) <= IN_PASSING \
                and any(_OWN_WH.match(t) or _HOW_SOON.match(t) for t in asked_clauses) \
                and not any(cues_said(k) for k in ("asks_pick", "asks_advice", "your_pick", "choice", "what_if")):
            return said("factual", "a dimension asked, with a need said in passing")
        # "how painful is wandb -> mlflow, time-wise?": two tools the article compares joined by an arrow (or by a
        # bare "to", unless they are compared) name a move
        # "We're running Kubeflow with 30 production pipelines … Leadership wants to move to Vertex AI Pipelines. What
        # are we in for?": a move from the tool in use to another, named, asks what the move involves (unless it
        # asks whether to make it, or which tool)
        in_use = set(reading.stated.current_tools or ())
        if vote.intent == "recommend" and reading.destination and in_use and reading.destination not in in_use \
                and reading.asks and _IN_FOR.search(reading.normalized) and not any(cues_said(k) for k in (
                    "asks_pick", "asks_advice", "your_pick", "choice", "what_if", "verdict")):
            return said("migration", "asks what a move from the tool in use to the one named involves")
        # ("should we move from W&B to MLflow?", "is it worth switching from MLflow to Kubeflow?" ask advice)
        if vote.intent in ("factual", "cost") and self._joined_move(reading.text):
            return said("migration", "two tools joined by an arrow or 'to' name a move")
        # "and going to Vertex AI pipelines instead?", "how painful is it to leave later, if we want Vertex
        # pipelines instead?" while a core tool is under discussion: a move from it to the alternative
        previous = context.topic.tool if context.topic is not None else None
        if vote.intent in ("factual", "recommend") and previous in CORE_TOOLS and not reading.stated.known() \
                and self.vocab.only_alternatives(self.vocab.compared(reading.tools)) \
                and (cues_said("destination") or _LEAVE_FOR.search(reading.normalized)):
            return said("migration", "a move from the tool under discussion to an alternative")
        # "what about ZenML instead?" after a move was asked: the same move, to another destination
        # ("what about zenml as a stepping stone?": a way station on the same move)
        if context.intent == "migration" and (reading.elliptical or _WAY_STATION.search(reading.normalized)) \
                and not reading.stated.known() \
                and vote.intent in ("factual", "recommend") \
                and self.vocab.only_alternatives(self.vocab.compared(reading.tools)):
            return said("migration", "the move just asked of, to another destination")
        # "what about ZenML for that?", "would zenml be a middle ground?": the article picks among its three
        # tools; of an alternative it has a row, which a question about it alone asks for
        advice = vote.intent == "recommend" or (reading.elliptical and context.intent == "recommend")
        if advice and reading.asks and not reading.stated.known() and not reading.changes \
                and self.vocab.only_alternatives(self.vocab.compared(reading.tools)) \
                and not any(cues_said(k) for k in ("asks_pick", "asks_advice", "your_pick", "choice", "destination")):
            return said("factual", "asks about an alternative the article covers in brief")
        if reading.elliptical and context.intent in ("recommend", "factual", "stack") and cues_said("asks_cost") \
                and not reading.tools:
            return said("cost", "a follow-up that asks only a price (\"free?\")")
        if reading.elliptical and context.intent:  # "and MLflow?" asks the previous question of a new subject
            return said(context.intent, AGAIN["follow-up"])
        # "we use mlflow, thinking of moving to W&B" then "how long would that take?", "what's the hard part?":
        # the move just weighed
        # (and after a move's answer, "what's the hard part?" asks more of it; "how long does setup take?"
        # asks a dimension of its own)
        if vote.intent in ("factual", "cost") and follows_move(reading, context):
            return said("migration", "asks more about the move just weighed or answered")
        # "is the wandb free tier enough for us?": whether the free tier will do is a fact of the tier (the
        # article: "too restrictive for production use cases"), not its price nor the pick (dev: 6 of 8 turns)
        if vote.intent in ("cost", "recommend") and any(_FREE_TIER_ENOUGH.search(t) for t in asked_clauses) \
                and not any(cues_said(k) for k in ("asks_pick", "choice", "tools_2")):
            return said("factual", "asks whether a free tier will do")
        # "what would W&B run us per user?": a question in cost words asks a cost, however much the classifier
        # hears a fact in it (a licence type is a fact: "what licence is it under?" has no cost word)
        if vote.intent == "factual" and cues_said("asks_cost", "has_question"):
            return said("cost", "asks what it costs")
        # ("ok and what would we actually be saving per year, licence-wise?": the difference in cost a move makes)
        if vote.intent in ("factual", "migration", "recommend") and any(_SAVING.search(t) for t in asked_clauses):
            return said("cost", "asks what a change would save")
        # "We're a 5-person team building LLM agents; does MLflow support multi-turn conversation evaluation?":
        # a yes/no question whether one tool has a capability asks the fact, whatever the team says of itself
        if vote.intent == "recommend" and len(set(self.vocab.compared(reading.tools))) == 1 \
                and any(_HAS_CAPABILITY.match(t) for t in asked_clauses) \
                and not any(cues_said(k) for k in ("asks_pick", "asks_advice", "your_pick", "choice", "what_if")) \
                and not any(self._fits(t) for t in asked_clauses):
            return said("factual", "asks whether one tool has a capability")
        # "can weave track what our LLM calls cost?": a feature that follows costs, however the classifier hears it
        if vote.intent == "cost" and any(_TRACKS_COST.search(t) for t in asked_clauses) and not any(
                _ASKS_COST.search(_TRACKS_COST.sub(" ", t)) for t in asked_clauses):
            return said("factual", "asks whether a tool tracks costs: a feature, not a price")
        # "we sell furniture online and the data team wants to pick one of these three. which one?": the three
        # tools, asked for by number
        if vote.intent == "out_of_scope" and _PICK_OF_THREE.search(reading.normalized) and not any(
                answer_type("origin").asks.search(t) for t in asked_clauses):  # ("which of these three came out of
            # google?" asks an origin)
            return said("recommend", "asks which of the three tools to pick")
        # "what share of the MLOps problem does picking the right tool address?", "for an LLM-first team, which
        # tool should be avoided?" (no team of ours): what the article says, not a pick
        if vote.intent == "recommend" and not reading.first_person \
                and (context.profile is None or not context.profile.known()) \
                and any(_ARTICLE_FACT.search(t) for t in asked_clauses):
            return said("factual", "asks what the article says of a kind of team or of the choice itself")
        # "who's behind W&B?", "who built it?": the tool's origin, however the classifier hears it
        if vote.intent in ("cost", "recommend", "out_of_scope", "stack") and any(
                answer_type("origin").asks.search(t) for t in asked_clauses) and (
                    reading.tools or reading.topic.tool or _EACH_OF_THREE.search(reading.normalized)) \
                and not reading.stated.known():
            return said("factual", "asks who made the tool")
        # "honestly, which of the three is the best one overall?": the pick, for whoever asks
        if vote.intent == "factual" and any(_BEST_OF_THREE.match(t) for t in asked_clauses):
            return said("recommend", "asks which of the three is best")
        # "is it painful to port our history out of W&B into a self-hosted tool?", "the switching cost of going
        # from MLflow to W&B, effort-wise?": what a move out of one of the three involves
        out = _OUT_OF.search(reading.normalized)
        if vote.intent in ("factual", "cost") and not reading.stated.known() and (
                (out and set(self.vocab.find_tools(out.group("what"))) & set(CORE_TOOLS))
                or (_SWITCHING.search(reading.normalized)
                    and len(set(self.vocab.compared(reading.tools)) & set(CORE_TOOLS)) >= 2)):
            return said("migration", "asks what a move out of a tool involves")
        # "if we ever want off it?" about the tool under discussion: leaving it
        if vote.intent in ("factual", "cost", "recommend") and not reading.stated.known() \
                and reading.topic.tool in CORE_TOOLS and _WANT_OFF.search(reading.normalized):
            return said("migration", "asks what leaving the tool under discussion involves")
        # the pick pushed back on ("Are you sure?? A minute ago you said MLflow", "that seems wrong, everyone
        # uses W&B") asks for it again, unless it asks a fact ("what does W&B have that it doesn't?") or brings
        # a claim to check ("are you sure? i heard w&b does pipelines now")
        if context.pick and vote.intent != "recommend" and _PUSHBACK.search(reading.normalized) \
                and not _HEARD.search(reading.normalized) and not any(
                    c.wh and not c.text.lstrip(" ,.").startswith(("why", "so why", "but why", "then why"))
                    for c in clauses):
            return said("recommend", AGAIN["again"])
        # "and if we went W&B and regretted it eighteen months in?": a what-if that supposes leaving the tool asks
        # what the exit takes
        if cues_said("what_if") and _REGRET.search(reading.normalized) and (reading.tools or reading.topic.tool):
            return said("migration", "a what-if that supposes leaving the tool asks what the exit takes")
        # "what if the freeze gets lifted next quarter?" about a team already described: the pick under the
        # supposed change. The dev what-ifs labelled otherwise all name a tool, a move or a price
        if vote.intent != "recommend" and cues_said("what_if") and context.profile is not None \
                and context.profile.known() and not reading.tools and not reading.uncovered \
                and _SUPPOSES.match(reading.normalized) and not _LEAVING.search(reading.normalized) and not any(
                    cues_said(k) for k in ("asks_cost", "move_to", "moves", "destination", "adds", "combination")):
            return said("recommend", AGAIN["what-if"])
        # a team that describes itself and asks for the pick and something more ("so which tool, and how long is
        # the setup?"): the pick, whose answer holds the cost and what to watch
        if vote.intent in ("cost", "factual") and (reading.stated.known() or cues_said("known_before")) \
                and _PICK_AND.search(reading.normalized):
            return said("recommend", "asks for the pick beside another question")
        # "Compliance lead at a bank, a team of 20. Could we use W&B with its private cloud option?": whether a tool
        # fits a team it describes
        if vote.intent == "factual" and reading.stated.known() \
                and any(_COULD_WE_USE.match(t) and self.vocab.compared(self.vocab.find_tools(t))
                        for t in asked_clauses):
            return said("recommend", "asks whether a tool fits the team")
        # "Which MLOps tool should a regulated insurance company choose?": asks for a pick, for whoever it is
        if vote.intent == "factual" and any(_WHICH_TOOL.match(t) for t in asked_clauses):
            vote = said("recommend", "asks which tool to choose")
        # "wandb or mlflow, which has the better UI?": two tools weighed on one thing named is a fact of them
        if vote.intent == "recommend" and _BETTER_AT.search(reading.normalized) and not reading.stated.known() \
                and not cues_said("known_before") \
                and len(set(self.vocab.compared(reading.tools)) & set(CORE_TOOLS)) >= 2:
            return said("factual", "asks which tool is better at one thing named")
        # "Is Kubeflow or W&B better?", "mlflow or wandb, which is better?": two of the three weighed on nothing
        # named ("which has better UI?" names what) asks which to choose
        if vote.intent == "factual" and _CHOICE.search(reading.normalized) and _BETTER_BARE.search(reading.normalized) \
                and len(set(self.vocab.compared(reading.tools)) & set(CORE_TOOLS)) >= 2:
            vote = said("recommend", "asks which of the tools is better, on nothing named")
        # recommend or stack: a long description drowns the ask in the embedding, so the words decide
        # ("databricks shop, fifteen of us. wich combo of mlflow / wandb / kubeflow makes sense?")
        # (not a question of a dimension with no team said: "MLflow vs W&B: what licence type does each have?"
        # asks the licence row)
        if vote.intent in ("stack", "recommend", "factual") and _ADDING_EFFORT.search(reading.normalized) \
                and len(self.vocab.compared(reading.tools)) >= 1:
            return said("migration", "asks what adding a tool to another takes (the additive migration)")
        combines = cues_said("combination")
        # ("so airflow + mlflow then? who owns what" after the team was described: the parts asked for, whatever
        # dimension the orchestrator's name brings)
        owns = cues_said("known_before") and any(_WHO_OWNS.search(t) for t in asked_clauses)
        dimension_alone = cues_said("own_dimension") and not reading.stated.known()
        if combines and (vote.intent == "recommend" or (vote.intent == "stack" and cues_said("known_before")) or (
                vote.intent == "factual" and (owns or not dimension_alone) and (
                reading.stated.known() or cues_said("tools_2") or (cues_said("known_before") and any(
                    _WHICH_ONE.match(t) or _WHO_OWNS.search(t) for t in asked_clauses))))):
            vote = said("stack", AGAIN["combines"])
        # "among bigger companies, what's the usual way these three get combined?" asks what the article says is
        # common ("the most common pattern at mid-to-large enterprises"), for no team of the asker's
        if vote.intent in ("stack", "recommend") and _COMMON.search(reading.normalized) \
                and not _FIRST_PERSON.search(reading.normalized) and not reading.stated.known() \
                and not cues_said("known_before"):
            return said("factual", "asks what the article says is common, for no team of the asker's")
        # "and if we ever wanted to move off it to SageMaker?" supposes a move, and asks about it (rare in the
        # dev turns, so the stacker sees a what-if after a pick and says advice); "and moving from it to W&B
        # later?" states nothing of the team: it asks about the move
        # ("should we move from W&B to MLflow?", "is it worth switching to W&B?" ask whether to move: advice)
        if cues_said("destination") and vote.intent == "recommend" and not _SHOULD_MOVE.search(reading.normalized) and (
                (cues_said("what_if") and not cues_said("changes"))
                or not (reading.stated.known() or cues_said("what_if"))):
            return said("migration", "a move to a named tool, supposed or asked about")
        # "what would that set us back for the four of us?" after a pick asks its cost, whatever it restates of
        # the team, unless it asks which tool ("which is cheaper for us?")
        if vote.intent == "recommend" and cues_said("asks_cost", "has_question") and (
                (_CHEAPER.search(reading.normalized) and not cues_said("what_if"))
                or (cues_said("known_before") and not any(
                    cues_said(k) for k in ("asks_pick", "asks_advice", "your_pick", "of_the_three", "choice",
                                           "what_if", "tools_2", "combination")))):
            return said("cost", "asks what it costs")
        # "and the budget's really tight, licence costs need to stay down" after a pick asks nothing: it tells
        # the team, so the pick is asked again (a cost word in a statement is a worry, not a cost question)
        # ("Scratch that, finance just approved the budget. Cost isn't a concern anymore." after a cost question
        # about the pick changes a fact the pick rests on)
        known = context.profile.known() if context.profile is not None else {}
        stated = reading.stated.known()
        # (after a stack pattern too, when a fact is new: "no orchestration needed, just manual runs", not "cost of
        # that at 30 seats" said of a team of 30)
        fresh = any(known.get(k) != v for k, v in stated.items())
        changed = any(known.get(k) not in (None, v) for k, v in stated.items())
        if (context.intent == "recommend" or (context.intent == "stack" and fresh) or (context.pick and changed)) \
                and vote.intent in ("cost", "factual") and not reading.asks and stated:
            return said("recommend", AGAIN["facts"])
        # "the plant managers need visual reports too, does that change anything?" after a pick, whatever was
        # asked in between: a new fact and a question whether the advice moves
        before = context.profile.known() if context.profile is not None else {}
        if context.pick and vote.intent in ("cost", "factual") and _CHANGE_ASKED.search(reading.normalized) and any(
                before.get(k) != v for k, v in reading.stated.known().items()):
            return said("recommend", AGAIN["facts"])
        # "so wandb's out then?", "can we use it anyway?" after a pick question the pick: asked again, whatever
        # table row its words touch
        if vote.intent == "recommend" and context.intent == "recommend" and cues_said("verdict") \
                and not cues_said("asks_cost"):  # ("what would the seats come to if we went for W&B anyway?")
            return said("recommend", AGAIN["verdict"])
        # "and why not kubeflow, that's open source too?" after a pick, whatever was asked in between: the pick
        # questioned against another tool (the why-not is the advice's, not a table cell's)
        # ("what about kubeflow, our head of data is a fan": someone's favourite put forward, so the verdict on it
        # is asked, whatever table row "data" touches)
        if context.pick and vote.intent in ("recommend", "factual") and reading.tools \
                and context.pick not in reading.tools and not cues_said("asks_cost") \
                and (_WHY_NOT.search(reading.normalized) or (
                    _A_FAN.search(reading.normalized) and len(self.vocab.compared(reading.tools)) == 1)):
            return said("recommend", AGAIN["verdict"])
        # ("Why is not good? I read it is the most powerful one." after the advice ruled out the tool asked about:
        # the verdict questioned)
        if context.pick and vote.intent in ("recommend", "factual", "out_of_scope") \
                and _WHY_BAD.search(reading.normalized) \
                and not reading.tools and reading.topic.tool not in (None, context.pick):
            return said("recommend", AGAIN["verdict"])
        # ("is Kubeflow overkill for 6 people?": the team the question states is known too)
        if (cues_said("known_before") or ((reading.stated.known() or reading.supposed.known())
                                          and not cues_said("asks_cost"))) and vote.intent in (
                "factual", "cost", "recommend") and not reading.elliptical and (reading.tools or reading.topic.tool) \
                and (any(self._fits(t) for t in asked_clauses) or _CHALLENGE.search(reading.normalized)) \
                and not _COST_WISE.search(reading.normalized):  # "is adding w&b worth it cost-wise?" asks a cost
            return said("recommend", AGAIN["fits"])
        # "Realistically it won't lift this year, so let's plan with the freeze in place.": the what-if is over and
        # nothing else is asked: the pick for the team as it is
        if context.restored and vote.intent != "recommend" and not reading.asks and not reading.tools \
                and not reading.uncovered:
            return said("recommend", AGAIN["reality"])
        # "ok, scrap the move. should we just stay on what we have?": whether to move at all is the advice again
        if cues_said("known_before") and _STAY.search(reading.normalized):
            return said("recommend", AGAIN["again"])
        if cues_said("known_before") and vote.intent in ("out_of_scope", "recommend", "factual", "cost") \
                and (_ASKS_AGAIN.search(reading.normalized) or (reading.topic.tool and not reading.tools
                                                                and _IT_FITS.search(reading.normalized))):
            return said("recommend", AGAIN["again"])
        # "we already have mlflow btw — what happens to it if we add kf": a tool in use, said in passing, and
        # another added to it asks what the addition involves (in_use: the tools the message says are in use)
        if vote.intent in ("recommend", "factual") and cues_said("adds") and in_use \
                and (reading.asks or any(c.question or c.wh or c.text.startswith("what ") for c in clauses)) \
                and set(reading.stated.known()) <= {"current_tools"} and not combines \
                and set(self.vocab.compared(reading.tools)) & set(CORE_TOOLS) - in_use:
            return said("migration", "asks what adding a tool to the one in use involves")
        # advice asked again about a team already known: a table row that matches its words does not turn it
        # into a fact question (service._route)
        if vote.intent in ("recommend", "stack") and cues_said("known_before"):
            # ("what if a client makes me use W&B instead, what does that cost for just me?" asks the tool's price)
            if cues_said("what_if") and (context.intent == "cost" or _SEATS_COME_TO.search(reading.normalized) or (
                    reading.tools and _WHAT_COST.search(reading.normalized))) and (
                    cues_said("asks_cost") or _COST_AGAIN.search(reading.normalized)):
                # ("what if we went for W&B anyway, what would the seats come to?" asks a price whatever came before)
                # "and if we were 200 people, what would it run to?" after a cost question asks the cost again
                return said("cost", AGAIN["what-if"])
            if cues_said("what_if"):
                # "what if we hired two platform engineers?" after a pick asks for the pick again (after a stack
                # pattern, it asks whether the main pick changes), unless it asks how tools combine
                keep = "recommend" if context.intent == "recommend" and not combines else vote.intent
                return said(keep, AGAIN["what-if"])
            if reading.stated.known():
                return said(vote.intent, AGAIN["facts"])
        return vote
