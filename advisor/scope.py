"""What ties a message to MLOps tooling, and the requests that are not about the tools whatever words they use.

One home (`advisor/data/scope.yaml`, typed here) for everything that decides a message is out of scope by its
words: the terms that tie it to the tools, the phrases that say it changes the subject, and the requests for
other work (a translation, a poem, a SQL query). The reader and the router both read it from here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.corpus_data import load_yaml, regex_error, validate


class OtherWork(BaseModel):
    """A request for work that is not a question about the tools ("write a haiku about kubeflow")."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    reason: str = Field(min_length=10, description="Why it is out of scope: the reading's intent_by.")
    pattern: str = Field(description="A regex on the normalised (lower-case) message; written over several "
                         "lines in the YAML (a `|-` block), which are joined without separators.")
    opens: bool = Field(default=False, description="The request must open the message (re.match), else anywhere.")
    unless_tools: bool = Field(default=False, description="Not when the message names a tool, covered or not, or "
                               "ML work ('help me write a query over our experiment runs' is about the work).")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        value = value.replace("\n", "")
        if (error := regex_error(value)) is not None:
            raise ValueError(f"not a regex: {error}")
        return value


class ScopeData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[str] = Field(min_length=1)
    min_similarity: float = Field(ge=0, le=1)
    keep_margin: float = Field(ge=0, le=1)
    unrelated: list[str] = Field(min_length=1)
    ml_work: list[str] = Field(min_length=1, description="Words that make a request about ML work.")
    other_work: list[OtherWork] = Field(min_length=1)


class Scope:
    """scope.yaml compiled once."""

    def __init__(self, data: ScopeData):
        self.terms = re.compile(r"\b(?:" + "|".join(data.terms) + r")\b", re.I)
        self.unrelated = re.compile(r"\b(?:" + "|".join(map(re.escape, data.unrelated)) + r")\b", re.I)
        self.min_similarity = data.min_similarity
        self.keep_margin = data.keep_margin
        self.ml_work = re.compile(r"\b(?:" + "|".join(data.ml_work) + r")\b")
        self.other_work = [(w, re.compile(w.pattern)) for w in data.other_work]
        self.other_work_reasons = frozenset(w.reason for w in data.other_work)

    def other_work_asked(self, normalized: str, names_a_tool: bool) -> OtherWork | None:
        """The request for other work the (normalised) message makes, if any."""
        for work, pattern in self.other_work:
            found = pattern.match(normalized) if work.opens else pattern.search(normalized)
            if found and not (work.unless_tools and (names_a_tool or self.ml_work.search(normalized))):
                return work
        return None


@cache
def load_scope(path: Path | None = None) -> Scope:
    path = path or Path(str(files("advisor.data").joinpath("scope.yaml")))
    return Scope(validate(ScopeData, load_yaml(path), path))
