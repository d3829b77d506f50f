"""The kinds of text that answer a kind of question (`advisor/data/answer_types.yaml`): a price for "how much",
a duration for "how long", the origin sentence for "who makes W&B?". The composer prefers such sentences; the
reader knows a named kind ("origin") as a fact question, whatever the classifier hears."""

from __future__ import annotations

import re
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from advisor.corpus_data import load_yaml, validate


class AnswerType(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, description="Set where code asks for this kind by name.")
    cue: str = Field(description="What a question of this kind says (regex, case-insensitive).")
    expects: str = Field(description="What a sentence that answers it holds (regex, case-insensitive).")
    weight: float = Field(default=2.0, description="How much such a sentence gains; 4 or more decides.")

    @cached_property
    def asks(self) -> re.Pattern[str]:
        return re.compile(self.cue, re.I)

    @cached_property
    def answers(self) -> re.Pattern[str]:
        return re.compile(self.expects, re.I)


class _AnswerTypes(RootModel[list[AnswerType]]):
    pass


@cache
def answer_types() -> list[AnswerType]:
    path = Path(str(files("advisor.data").joinpath("answer_types.yaml")))
    return validate(_AnswerTypes, load_yaml(path), path).root  # type: ignore[attr-defined]


def answer_type(name: str) -> AnswerType:
    return next(t for t in answer_types() if t.name == name)
