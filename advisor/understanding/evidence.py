"""What the advisor understood and why: a fact's evidence, and the topic of a message."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

How = Literal["lexicon", "quantity", "meaning", "implication", "model", "conversation", "correction"]


class Evidence(BaseModel):
    """Why the reading holds a fact: the user's words and how they were read."""

    field: str
    value: Any
    words: str = Field(description="The clause, in the normalised text.")
    how: How
    detail: str = Field(default="", description="The example it is close to, the rule, the number read.")
    score: float | None = Field(default=None, description="Similarity, for a fact read by meaning.")

    def say(self) -> str:
        how = f"{self.how}: {self.detail}" if self.detail else self.how
        return f"{self.field} = {self.value!r} from \u201c{self.words}\u201d ({how})"


class Topic(BaseModel):
    tool: str | None = Field(default=None, description="The tool the message is about.")
    dimension: str | None = Field(default=None, description="setup, cost, lock-in, migration, llm, ...")
    carried: bool = Field(default=False, description="Taken from the conversation: the message names none.")
    own_dimension: bool = Field(default=False, description="The message itself names the dimension.")
