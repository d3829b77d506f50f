"""False premises: a question that states a fact about a tool which the source contradicts."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from advisor.corpus_data import Vocabulary, load_yaml, validate
from advisor.rules import Citation

ANY = "any"  # a claim's facts for no one tool


class ToolFact(BaseModel):
    accept: list[str] = Field(min_length=1, description="Values the source supports.")
    cite: Citation


class Claim(BaseModel):
    id: str
    pattern: str = Field(description="Regex; its `value` (or `value2`) group is the claimed value.")
    facts: dict[str, ToolFact] = Field(description="Per tool id; `any` holds a claim about no one tool (\"all "
                                       "three ship audit-ready governance\", \"the Lightweight Hybrid is the most "
                                       "common pattern\"), checked whatever tool is named.")
    unless: str | None = Field(default=None, description="Regex: a claim whose sentence, up to the claim's end, "
                               "matches it is not made (\"none of them is audit-ready out of the box\").")

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


class Contradiction(BaseModel):
    claim: str
    tool: str
    claimed: str
    cite: Citation


class Premises(BaseModel):
    document: str
    claims: list[Claim]

    @model_validator(mode="after")
    def _expand_ids(self) -> Premises:
        for claim in self.claims:
            re.compile(claim.pattern)
            if claim.unless:
                re.compile(claim.unless)
            for fact in claim.facts.values():
                if "#" not in fact.cite.chunk:
                    fact.cite.chunk = f"{self.document}#{fact.cite.chunk}"
        return self

    @classmethod
    def load(cls, corpus_dir: Path) -> Premises:
        path = corpus_dir / "premises.yaml"
        if not path.exists():  # a corpus without premise data simply checks none
            return cls(document="", claims=[])
        return validate(cls, load_yaml(path), path)  # type: ignore[return-value]

    def contradictions(self, question: str, vocab: Vocabulary) -> list[Contradiction]:
        mentions = vocab.mentions(question)
        found: list[Contradiction] = []
        for claim in self.claims:
            for m in claim.regex.finditer(question):
                value = next((v for k, v in m.groupdict().items() if k.startswith("value") and v), None)
                if value is None:
                    continue
                if claim.unless:
                    start = max(question.rfind(mark, 0, m.start()) for mark in ".?!;\n") + 1
                    if re.search(claim.unless, question[start:m.end()]):
                        continue
                before = [tid for pos, tid in mentions if pos < m.start() and tid in claim.facts]
                named = [tid for _, tid in mentions if tid in claim.facts]
                tool = before[-1] if before else (named[0] if len(set(named)) == 1 else None)
                if tool is None and ANY in claim.facts:
                    tool = ANY
                if tool is None:
                    continue
                fact = claim.facts[tool]
                claimed = value.strip()
                if any(re.search(rf"\b{re.escape(a)}\b", claimed, re.I) for a in fact.accept):
                    continue
                if not any(c.tool == tool and c.claim == claim.id for c in found):
                    found.append(Contradiction(claim=claim.id, tool=tool, claimed=claimed, cite=fact.cite))
        return found
