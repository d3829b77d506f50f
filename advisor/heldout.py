"""The held-out sets (`evals/understanding.yaml`, `selection.yaml`, `conversations.yaml`, `intents.yaml`,
`facts.yaml`, `premises.yaml`): typed, split into `dev` and `test`, loaded through one helper so a typo fails at load
naming the file and the field. How they were written: `evals/LABELLING.md`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.corpus_data import load_unique
from advisor.profile import TeamProfile

Split = Literal["dev", "test"]
ToolId = Literal["mlflow", "kubeflow", "wandb"]
# The seven kinds of message the advisor tells apart (LABELLING.md, "Intents").
Intent7 = Literal["recommend", "stack", "cost", "migration", "factual", "out_of_scope", "not_covered"]
STACKS = ("On-Premises Regulated Stack", "Databricks-Native Stack", "Kubernetes-Native Enterprise Stack",
          "Research-to-Production Bridge", "Lightweight Hybrid")


# The facts evals/LABELLING.md defines; a profile field outside it (added later) is not scored.
LABELLED_FIELDS = ("team_size", "k8s_engineers", "platform_engineers", "maturity", "regulated", "data_on_prem",
                   "private_cloud_ok", "llm_first", "serves_large_models", "needs_orchestration", "needs_dashboards",
                   "seat_price_sensitive", "time_pressure", "lock_in_averse", "hybrid_cloud", "platform",
                   "current_tools")


def _facts(value: dict[str, Any]) -> dict[str, Any]:
    """Facts are TeamProfile fields with TeamProfile's types: a wrong name or type fails at load."""
    TeamProfile.model_validate(value)
    unknown = set(value) - set(TeamProfile.model_fields)
    if unknown:
        raise ValueError(f"unknown fact {sorted(unknown)[0]!r}")
    return value


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    split: Split
    tags: list[str] = []
    author: str = Field(min_length=1, description="Who wrote it (LABELLING.md: writers read no code).")


class Statement(_Item):
    text: str = Field(min_length=1)
    facts: dict[str, Any] = Field(description="Every fact the text states about the team; {} for none.")

    @field_validator("facts")
    @classmethod
    def _check(cls, v: dict[str, Any]) -> dict[str, Any]:
        return _facts(v)


class Selection(_Item):
    text: str = Field(min_length=1)
    facts: dict[str, Any]
    primary: ToolId | None = Field(description="The article's pick; None where it does not decide.")
    avoid: list[ToolId] = Field(description="Tools the article rules out for this team.")
    stack: str | None = None
    intent: Literal["recommend", "stack"]
    why: str = ""

    @field_validator("facts")
    @classmethod
    def _check(cls, v: dict[str, Any]) -> dict[str, Any]:
        return _facts(v)

    @field_validator("stack")
    @classmethod
    def _known_stack(cls, v: str | None) -> str | None:
        if v is not None and v not in STACKS:
            raise ValueError(f"unknown stack pattern {v!r}")
        return v


class TurnExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    intent: Intent7 | None = None
    facts: dict[str, Any] | None = Field(default=None, description="The whole profile after this turn.")
    primary: ToolId | None = None
    avoid: list[ToolId] = []
    about: str | None = Field(default=None, description="The tool a follow-up that names none is about.")
    contains: list[str] = Field(default_factory=list, description="Verbatim article strings the answer holds.")

    @field_validator("facts")
    @classmethod
    def _check(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if v is None else _facts(v)


class ConvTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    say: str = Field(min_length=1)
    expect: TurnExpect | None = None


class Dialogue(_Item):
    turns: list[ConvTurn] = Field(min_length=1)

    @field_validator("turns")
    @classmethod
    def _last_checked(cls, v: list[ConvTurn]) -> list[ConvTurn]:
        if v[-1].expect is None:
            raise ValueError("the last turn needs an `expect`")
        return v


class IntentItem(_Item):
    text: str = Field(min_length=1)
    intent: Intent7


class FactQuestion(_Item):
    """A factual question and the article's words its answer must hold (issue 11's fact set)."""

    text: str = Field(min_length=1)
    contains: list[str] = Field(min_length=1, description="Verbatim article strings the answer must hold.")
    about: list[str] = Field(default_factory=list, description="The tools it asks about.")
    source: Literal["table", "prose"]


class PremiseQuestion(_Item):
    """A question that takes something for granted: false (to be corrected) or true (a control)."""

    text: str = Field(min_length=1)
    false_premise: bool
    claim: str = Field(min_length=1)
    contains: list[str] = Field(min_length=1, description="The article's words against (or for) the claim.")


SETS: dict[str, type[_Item]] = {"understanding": Statement, "selection": Selection,
                                "conversations": Dialogue, "intents": IntentItem,
                                "facts": FactQuestion, "premises": PremiseQuestion}


def default_path(name: str) -> Path:
    return Path(str(files("advisor.evals").joinpath(f"{name}.yaml")))


def load_set(name: str, path: Path | str | None = None, split: Split | None = None) -> list:
    """One held-out set, validated; only `split` when given."""
    items = load_unique(path or default_path(name), SETS[name])
    return [i for i in items if split is None or i.split == split]
