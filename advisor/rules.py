"""Scoring rules taken from the article, as data (corpus/rules.yaml), and the engine that applies them.

A rule fires when every condition on the team profile holds; unknown facts never satisfy a condition
unless the condition says `unknown`. Conservative defaults (also data) stand in for a few unknown facts
and are reported as assumptions; a sensitivity pass finds which unknown facts would change the advice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from advisor.corpus_data import load_yaml, validate
from advisor.profile import CORE_TOOLS, TeamProfile

# Ties go to the simpler, more portable tool: the article's own bias for teams that are unsure.
TIE_ORDER = {"mlflow": 0, "wandb": 1, "kubeflow": 2}
Family = Literal[
    "baseline", "screening", "archetype", "when-not", "capability", "llm", "lock-in", "cost",
    "platform", "migration", "maturity", "conflict",
]
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "contains", "unknown", "known"]


class Citation(BaseModel):
    chunk: str = Field(description="Chunk id; a short id is prefixed with the rules file's `document`.")
    quote: str = Field(min_length=8, description="Verbatim text of that chunk.")


Condition = dict[str, Any]


def _fields(cond: Condition) -> set[str]:
    """The profile fields a condition reads."""
    out: set[str] = set()
    for key, spec in cond.items():
        if key == "any":
            for c in spec:
                out |= _fields(c)
        elif key == "not":
            out |= _fields(spec)
        else:
            out.add(key)
    return out


def _holds(profile: dict[str, Any], cond: Condition) -> bool:
    for key, spec in cond.items():
        if key == "any":
            if not any(_holds(profile, c) for c in spec):
                return False
            continue
        if key == "not":
            if _holds(profile, spec):
                return False
            continue
        value = profile.get(key)
        ops = spec if isinstance(spec, dict) else {"eq": spec}
        for op, arg in ops.items():
            if op == "unknown":
                if (value in (None, [])) != bool(arg):
                    return False
                continue
            if op == "known":
                if (value in (None, [])) == bool(arg):
                    return False
                continue
            if value is None:
                return False
            ok = {
                "eq": lambda v, a: v == a,
                "ne": lambda v, a: v != a,
                "lt": lambda v, a: v < a,
                "le": lambda v, a: v <= a,
                "gt": lambda v, a: v > a,
                "ge": lambda v, a: v >= a,
                "in": lambda v, a: v in a,
                "contains": lambda v, a: a in v,
            }[op](value, arg)
            if not ok:
                return False
    return True


class Rule(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    family: Family
    when: Condition = Field(default_factory=dict, description="All must hold; `any`/`not` nest.")
    effects: dict[str, float] = Field(default_factory=dict, description="Score delta per tool id.")
    avoid: list[str] = Field(default_factory=list, description="Tools this rule says not to start with.")
    why: str = Field(min_length=10, description="One sentence, in the advisor's words, of what the rule says.")
    cite: Citation

    @model_validator(mode="after")
    def _deltas_bounded(self) -> Rule:
        for tool, delta in self.effects.items():
            if not -10 <= delta <= 10:
                raise ValueError(f"{self.id}: delta for {tool} out of range")
        return self

    def fires(self, profile: dict[str, Any]) -> bool:
        return _holds(profile, self.when)

    def reads(self) -> set[str]:
        """The profile fields its condition reads."""
        return _fields(self.when)


class StackRule(BaseModel):
    id: str
    pattern: str = Field(description="Stack pattern name as the article's table names it.")
    when: Condition = Field(default_factory=dict)
    primary: list[str] = Field(default_factory=list, description="Applies only with one of these primaries.")
    why: str
    cite: Citation


class Alternative(BaseModel):
    id: str
    tool: str
    when: Condition
    why: str
    cite: Citation


class Default(BaseModel):
    field: str
    value: Any
    when: Condition = Field(default_factory=dict)
    say: str = Field(description="The assumption, as told to the user.")


class Hinge(BaseModel):
    field: str
    values: list[Any]
    ask: str = Field(description="What the user can tell to sharpen the advice.")
    unless: dict[Any, str] = Field(default_factory=dict, description="Value -> the condition, as the first "
                                   "line says it when an assumed value decides the pick.")


class DoubtText(BaseModel):
    """A fact under which the article rules a tool out, and how the first line names it."""

    field: str
    value: Any
    say: str = Field(description="The fact in words, for \"W&B, unless per-seat licence fees are a problem for "
                     "your budget; then MLflow\".")


class CostBand(BaseModel):
    band: str
    max_team_size: int | None = Field(default=None, ge=1, description="None: no upper bound.")
    basis: str = Field(description="The team size the article's estimate is for, as it says it.")
    cite: Citation


class ConflictNote(BaseModel):
    id: str
    when: Condition
    explain: str
    cites: list[Citation] = Field(min_length=1)


class RuleBook(BaseModel):
    document: str = Field(description="Default document stem for short chunk ids.")
    rules: list[Rule]
    stacks: list[StackRule] = []
    alternatives: list[Alternative] = []
    defaults: list[Default] = []
    hinges: list[Hinge] = []
    doubts: list[DoubtText] = []
    cost_bands: list[CostBand] = []
    conflicts: list[ConflictNote] = []

    @model_validator(mode="after")
    def _expand_ids(self) -> RuleBook:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate rule ids")
        for c in self.citations():
            if "#" not in c.chunk:
                c.chunk = f"{self.document}#{c.chunk}"
        return self

    def resting_on(self, known: set[str]) -> frozenset[str]:
        """The ids of the rules whose condition reads only facts in `known` (none of them assumed)."""
        return frozenset(r.id for r in self.rules if r.when and r.reads() <= known)

    def citations(self) -> list[Citation]:
        out = [r.cite for r in self.rules] + [s.cite for s in self.stacks]
        out += [a.cite for a in self.alternatives] + [b.cite for b in self.cost_bands]
        out += [c for note in self.conflicts for c in note.cites]
        return out

    @classmethod
    def load(cls, corpus_dir: Path) -> RuleBook:
        path = corpus_dir / "rules.yaml"
        return validate(cls, load_yaml(path), path)  # type: ignore[return-value]


# ---- results ---------------------------------------------------------------------------------


class Contribution(BaseModel):
    rule: str
    family: Family
    delta: float
    why: str
    citation: Citation


class ToolScore(BaseModel):
    tool: str
    score: float
    reasons: list[Contribution]


class Assumption(BaseModel):
    field: str
    value: Any
    say: str
    matters: bool = Field(description="Whether another value would change the primary tool.")


class HingeNote(BaseModel):
    field: str
    value: Any
    ask: str
    primary_would_be: str
    decides: bool = Field(default=False, description="An assumed (unstated) value of this fact decides the pick.")
    unless: str | None = Field(default=None, description="The condition in words, for the first line.")
    condition: Literal["unstated", "half-said"] | None = Field(default=None, description="Set when the fact "
                                                              "would rule the pick out (`unless` names it): the "
                                                              "user left it unstated, or half-said it.")
    doubt: str | None = Field(default=None, description="The words that half-said the fact, if any.")


class Doubt(BaseModel):
    """A fact the message half-says (the reader's `doubts`), with the words."""

    field: str
    value: Any
    words: str


class Recommendation(BaseModel):
    primary: str
    secondary: list[str]
    avoid: list[str]
    stack_pattern: str | None
    confidence: Literal["high", "medium", "low"]


class Decision(BaseModel):
    profile: TeamProfile
    effective: dict[str, Any] = Field(description="The profile with defaults filled in.")
    scores: list[ToolScore]
    recommendation: Recommendation
    fired: list[str]
    avoid_reasons: dict[str, list[Contribution]]
    stack: StackRule | None = None
    alternatives: list[Alternative] = []
    assumptions: list[Assumption] = []
    hinges: list[HingeNote] = []
    conflicts: list[ConflictNote] = []
    cost: CostBand | None = None


Reasons = dict[str, list[Contribution]]


class Engine:
    def __init__(self, book: RuleBook):
        self.book = book

    def effective(self, profile: TeamProfile, assume: bool = True) -> tuple[dict[str, Any], list[Default]]:
        """The profile with conservative defaults for unknown facts (only for a team describing itself)."""
        data = profile.model_dump()
        used: list[Default] = []
        for d in self.book.defaults if assume else ():
            if data.get(d.field) is None and _holds(data, d.when):
                data[d.field] = d.value
                used.append(d)
        return data, used

    def _score(self, data: dict[str, Any]) -> tuple[Reasons, list[str], Reasons]:
        reasons: dict[str, list[Contribution]] = {t: [] for t in CORE_TOOLS}
        avoid: dict[str, list[Contribution]] = {}
        fired = []
        for rule in self.book.rules:
            if not rule.fires(data):
                continue
            fired.append(rule.id)
            for tool, delta in rule.effects.items():
                reasons.setdefault(tool, []).append(
                    Contribution(rule=rule.id, family=rule.family, delta=delta, why=rule.why, citation=rule.cite))
            for tool in rule.avoid:
                avoid.setdefault(tool, []).append(
                    Contribution(rule=rule.id, family=rule.family, delta=rule.effects.get(tool, 0.0), why=rule.why,
                                 citation=rule.cite))
        return reasons, fired, avoid

    @staticmethod
    def _rank(reasons: dict[str, list[Contribution]]) -> list[ToolScore]:
        scores = [ToolScore(tool=t, score=round(sum(c.delta for c in cs), 2), reasons=cs)
                  for t, cs in reasons.items() if t in CORE_TOOLS]
        return sorted(scores, key=lambda s: (-s.score, TIE_ORDER.get(s.tool, 9)))

    @staticmethod
    def _pick(scores: list[ToolScore], avoid: dict[str, list[Contribution]]) -> str:
        """The best-scoring tool that no firing rule rules out: when the article says "don't use X" for a
        team, X is never the pick, however many other rows favour it. If every tool is ruled out, the
        best score stands (the conflict notes explain it)."""
        return next((s.tool for s in scores if s.tool not in avoid), scores[0].tool)

    def primary_for(self, data: dict[str, Any]) -> str:
        reasons, _, avoid = self._score(data)
        return self._pick(self._rank(reasons), avoid)

    def _conditional(self, profile: TeamProfile, assume: bool, primary: str, avoid: Reasons,
                     doubts: list[Doubt]) -> HingeNote | None:
        """The fact that, if it holds, makes the article rule the pick out, when the user has not stated it
        and either half-said it (a doubt) or stated everything else the rule needs ("more than 20 users" is
        said, the budget is not). The pick stands; the first line makes it conditional. (Moving the pick on a
        half-said fact was tried: right 4 of 4 times on dev, 0 of 4 on test.)"""
        stated = profile.model_dump()
        known = set(profile.known())
        half = {(d.field, d.value): d.words for d in doubts}
        found: list[tuple[int, HingeNote]] = []
        for t in self.book.doubts:
            if stated.get(t.field) not in (None, []):
                continue
            data = self.effective(TeamProfile.model_validate({**stated, t.field: t.value}), assume)[0]
            reasons, _, doubted_avoid = self._score(data)
            if primary not in doubted_avoid or primary in avoid:
                continue
            rules = [r for r in self.book.rules if primary in r.avoid and r.fires(data)]
            words = half.get((t.field, t.value))
            if words is None and not any((_fields(r.when) - {t.field}) & known for r in rules):
                continue  # a "don't" that any unstated fact could trigger ("data must stay in-house") is noise
            alt = self._pick(self._rank(reasons), doubted_avoid)
            ask = next((h.ask for h in self.book.hinges if h.field == t.field), f"whether {t.say}")
            found.append((0 if words else 1, HingeNote(field=t.field, value=t.value, ask=ask, primary_would_be=alt,
                                                       decides=True, unless=t.say, doubt=words,
                                                       condition="half-said" if words else "unstated")))
        return min(found, key=lambda x: x[0])[1] if found else None

    def decide(self, profile: TeamProfile, *, assume: bool = True, doubts: list[Doubt] = ()) -> Decision:
        data, used_defaults = self.effective(profile, assume)
        reasons, fired, avoid_reasons = self._score(data)
        scores = self._rank(reasons)
        primary = self._pick(scores, avoid_reasons)
        avoid = [s.tool for s in scores if s.tool != primary and s.tool in avoid_reasons]
        secondary = [s.tool for s in scores if s.tool != primary and s.tool not in avoid and s.score > 0]
        stack = next((s for s in self.book.stacks if (not s.primary or primary in s.primary)
                      and _holds(data, s.when)), None)

        assumptions = []
        for d in used_defaults:
            others = [v for h in self.book.hinges if h.field == d.field for v in h.values]
            matters = any(self.primary_for({**data, d.field: v}) != primary for v in others)
            assumptions.append(Assumption(field=d.field, value=d.value, say=d.say, matters=matters))
        hinges = []
        stated = profile.model_dump()
        for h in self.book.hinges:
            if stated.get(h.field) not in (None, []):
                continue
            for v in h.values:
                base = {**stated, h.field: v}
                alt = self.primary_for(self.effective(TeamProfile.model_validate(base), assume)[0])
                if alt != primary:
                    hinges.append(HingeNote(field=h.field, value=v, ask=h.ask, primary_would_be=alt,
                                            unless=h.unless.get(v)))
                    break
        # A default the user never stated must not silently decide: when one does, it leads the hinges, the
        # first line names it, and confidence is low.
        deciding = [a.field for a in assumptions if a.matters]
        for field in deciding:
            i = next((i for i, x in enumerate(hinges) if x.field == field), None)
            if i is not None:
                hinges.insert(0, hinges.pop(i).model_copy(update={"decides": True}))
                break
        conditional = self._conditional(profile, assume, primary, avoid_reasons, list(doubts))
        if conditional is not None and not (hinges and hinges[0].decides):  # an assumption that decides leads
            hinges = [conditional, *(h for h in hinges if h.field != conditional.field)]

        # Margin over the best tool still eligible: a ruled-out tool's higher score is not a close call.
        top = next(s.score for s in scores if s.tool == primary)
        rivals = [s.score for s in scores if s.tool != primary and s.tool not in avoid_reasons]
        margin = top - rivals[0] if rivals else 3.0
        known = len(profile.known())
        confidence = "high" if margin >= 3 and known >= 2 and not hinges else "medium" if margin >= 1.5 else "low"
        if known == 0 or (hinges and hinges[0].decides):
            confidence = "low"
        cost = None
        if profile.team_size is not None:
            cost = next((b for b in self.book.cost_bands
                         if b.max_team_size is None or profile.team_size <= b.max_team_size), None)
        return Decision(
            profile=profile, effective=data, scores=scores, fired=fired, avoid_reasons=avoid_reasons,
            recommendation=Recommendation(primary=primary, secondary=secondary, avoid=avoid,
                                          stack_pattern=stack.pattern if stack else None, confidence=confidence),
            stack=stack,
            alternatives=[a for a in self.book.alternatives if _holds(data, a.when)],
            assumptions=assumptions, hinges=hinges,
            conflicts=[c for c in self.book.conflicts if _holds(data, c.when)],
            cost=cost,
        )
