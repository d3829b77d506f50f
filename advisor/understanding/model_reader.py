"""A second reader when a capable model is configured (the `ollama` and `openai` backends).

The model extracts the team profile through LangChain's `with_structured_output` into `QuotedProfile` (a
`TeamProfile` that also quotes, for every fact, the user's words stating it). Its answer is checked before
anything of it is used: invalid JSON or wrong types are ignored, a fact whose quote is not in the message is
refused, and a count whose number is not in its quote is refused. The deterministic reading wins every
field it has (a stated number in the text wins over a model's guess); the model only fills fields the
deterministic reading left unknown, and every field it fills or disagrees on is shown to the user as
"understood as …, correct me".
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import cached_property
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from advisor.corpus_data import load_yaml
from advisor.profile import TeamProfile, say_value
from advisor.understanding.evidence import Evidence
from advisor.understanding.quantities import number_words

_COUNTS = ("team_size", "k8s_engineers", "platform_engineers")


class QuotedProfile(TeamProfile):
    """The profile a model read, with the user's own words for each fact it set."""

    quotes: dict[str, str] = Field(default_factory=dict, description="Field name -> the exact words of the "
                                   "message that state it. A fact without a quote is not used.")


class ModelOutcome(BaseModel):
    accepted: list[Evidence] = []
    refused: list[Evidence] = []
    corrections: list[str] = []
    status: str = Field(default="", description="agreed, filled N fields, refused N, or why it was not used.")


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return re.sub(r"\s+", " ", text).strip()


class ModelReader:
    def __init__(self, model, name: str, names_in=None):
        """`names_in(field, value, quote)`: whether the quote names that platform or tool (the reader's own
        vocabulary), so "we're a bank" cannot back `platform: aws`."""
        self.model = model
        self.name = name
        self.names_in = names_in

    @cached_property
    def prompt(self) -> str:
        data = load_yaml(files("advisor.data").joinpath("prompts.yaml"))
        return data["read_profile"]

    @cached_property
    def runnable(self):
        return self.model.with_structured_output(QuotedProfile, method="json_schema")

    def read(self, text: str, deterministic: dict[str, Any]) -> ModelOutcome:
        """What the model adds to `deterministic` (the facts the other readers found), after checks."""
        try:
            with warnings.catch_warnings():  # langchain serialises the parsed model with a noisy warning
                warnings.simplefilter("ignore")
                parsed = self.runnable.invoke([("system", self.prompt), ("human", text)])
        except ValidationError:
            return ModelOutcome(status=f"{self.name}: not used (its answer was not a valid profile)")
        except Exception as exc:  # invalid JSON, a backend failure: never cost the user the answer
            return ModelOutcome(status=f"{self.name}: not used ({exc.__class__.__name__})")
        if not isinstance(parsed, QuotedProfile):
            return ModelOutcome(status=f"{self.name}: not used (its answer was not a valid profile)")
        return self._check(text, parsed, deterministic)

    def _check(self, text: str, read: QuotedProfile, mine: dict[str, Any]) -> ModelOutcome:
        out = ModelOutcome()
        said = _squash(text)
        for field, value in read.model_dump(exclude={"quotes"}).items():
            if value in (None, []):
                continue
            quote = (read.quotes or {}).get(field, "")
            ev = Evidence(field=field, value=value, words=quote, how="model", detail=self.name)
            problem = self._problem(field, value, quote, said)
            if problem:
                out.refused.append(ev.model_copy(update={"detail": f"{self.name}: refused, {problem}"}))
                continue
            if field in mine:
                if _norm(mine[field]) != _norm(value):
                    out.corrections.append(f"I understood {TeamProfile.title(field)} as {say_value(mine[field])} "
                                           f"(the model read {say_value(value)} from \u201c{quote}\u201d); correct me "
                                           "if that is wrong.")
                continue
            out.accepted.append(ev)
            out.corrections.append(f"I understood {TeamProfile.title(field)} as {say_value(value)} from "
                                   f"\u201c{quote}\u201d; correct me if that is wrong.")
        out.status = (f"{self.name}: filled {len(out.accepted)}, refused {len(out.refused)}"
                      if out.accepted or out.refused else f"{self.name}: agreed")
        return out

    def _problem(self, field: str, value: Any, quote: str, said: str) -> str | None:
        if not quote.strip():
            return "no quote from the message"
        if _squash(quote) not in said:
            return "its quote is not in the message"
        if field in _COUNTS:
            numbers = {int(n) for n in re.findall(r"\d+", number_words().to_digits(_squash(quote)))}
            if value not in numbers:
                return f"{value} is not a number the quote holds"
        if field in ("platform", "current_tools") and self.names_in is not None:
            values = value if isinstance(value, list) else [value]
            missing = [v for v in values if not self.names_in(field, v, _squash(quote))]
            if missing:
                return f"the quote does not name {', '.join(missing)}"
        return None


def _norm(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value
