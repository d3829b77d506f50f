"""Conversations: the one chat API that the terminal, the browser UI and the Slack bot all use.

The team profile accumulates across turns (later statements correct earlier ones), and the tool under
discussion carries over, so "and what would it cost us?" is about the tool just recommended or named.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel

from advisor.answer import Answer, StreamEvent
from advisor.profile import TeamProfile
from advisor.service import Advisor


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Conversation:
    def __init__(self, advisor: Advisor, profile: TeamProfile | None = None):
        self.advisor = advisor
        self.profile = profile or TeamProfile()
        self.topic: str | None = None
        self.turns: list[Turn] = []

    @classmethod
    def from_history(cls, advisor: Advisor, history: Iterable[Turn | dict]) -> Conversation:
        """Rebuild the state from a transcript (a UI's or a Slack thread's) without answering again."""
        conv = cls(advisor)
        for item in history:
            turn = item if isinstance(item, Turn) else Turn.model_validate(item)
            conv.turns.append(turn)
            if turn.role == "user":
                conv.profile = advisor.understand(turn.content, conv.profile)
            conv._follow(turn.content)
        return conv

    def _follow(self, text: str) -> None:
        vocab = self.advisor.vocab
        named = vocab.compared(vocab.find_tools(text))
        if named:
            self.topic = named[0]

    def stream(self, message: str) -> Iterator[StreamEvent]:
        for event in self.advisor.stream(message, self.profile, focus=self.topic):
            if event.answer is not None:
                self._record(message, event.answer)
            yield event

    def ask(self, message: str) -> Answer:
        for event in self.stream(message):
            if event.answer is not None:
                return event.answer
        raise AssertionError("stream ended without an answer")  # pragma: no cover

    def _record(self, message: str, answer: Answer) -> None:
        self.profile = TeamProfile.model_validate(answer.profile)
        self.turns += [Turn(role="user", content=message), Turn(role="assistant", content=answer.answer)]
        self._follow(message)
        if answer.recommendation is not None and not self.advisor.vocab.find_tools(message):
            self.topic = answer.recommendation.primary
