"""Eval cases as data (`evals/cases.yaml`): what a team asks, and what a right answer must show."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.answer import Intent
from advisor.corpus_data import load_unique

Kind = Literal["recommend", "stack", "factual", "cost", "migration", "out_of_scope", "adversarial", "conversation"]
ToolId = Literal["mlflow", "kubeflow", "wandb"]


class Expect(BaseModel):
    """Every field is optional; a case is checked only on what it states."""

    model_config = ConfigDict(extra="forbid")

    intent: Intent | None = None
    in_scope: bool | None = None
    primary: ToolId | None = Field(default=None, description="The tool the article's rules pick.")
    not_primary: list[ToolId] = Field(default_factory=list, description="Tools that must not be the pick.")
    avoid: list[ToolId] = Field(default_factory=list, description="Tools the article rules out for this team.")
    stack: str | None = Field(default=None, description="The stack pattern's name, as in rules.yaml.")
    facts: list[str] = Field(default_factory=list, description="Strings the answer must contain (verbatim "
                             "from the corpus, matched case- and dash-insensitively).")
    passages: list[str] = Field(default_factory=list, description="Chunk ids that answer the question; "
                                "retrieval hits when any is in the top k.")
    not_covered: list[str] = Field(default_factory=list, description="Tools the answer must say the corpus "
                                   "does not cover.")
    forbid: list[str] = Field(default_factory=list, description="Strings the answer must not contain "
                              "(a false premise repeated, an injected instruction obeyed, an invented figure).")
    profile: dict[str, Any] = Field(default_factory=dict, description="Facts the understood profile must hold.")


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Kind
    turns: list[str] = Field(min_length=1, description="User messages in order; expectations apply to the "
                             "answer to the last one.")
    tags: list[str] = Field(default_factory=list, description="e.g. typo, negation, numbers-in-words, jargon, "
                            "injection, false-premise, not-covered.")
    expect: Expect
    note: str = ""

    @property
    def question(self) -> str:
        return self.turns[-1]


def default_cases_path() -> Path:
    return Path(str(files("advisor.evals").joinpath("cases.yaml")))


def load_cases(path: Path | str | None = None) -> list[Case]:
    return load_unique(path or default_cases_path(), Case)
