"""LLM narration of computed advice: a LangChain chain (prompt | model | parser) streamed sentence by
sentence through the grounding guard. The model never decides anything; it only words what the rules and
the retrieved passages already say, and a sentence reaches the user only after the guard accepts it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from advisor.answer import Answer
from advisor.corpus_data import load_yaml
from advisor.guard import GroundingFacts, GroundingGuard

# A sentence is complete once its end punctuation (and any [n] markers after it) is followed by space.
_SENTENCE_END = re.compile(r"^(.*?[.!?](?:\s*\[\d+\])*)\s+(?=\S)", re.S)
_MARK = re.compile(r"\[(\d+)\]")
_ENUMERATOR = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[-*•])\s+")  # "2) ", "3. ", "- ": list debris, not a figure
_LEADING_MARKS = re.compile(r"^((?:\[\d+\]\s*)+)(.*?)([.!?]?)$", re.S)


def _lead_marks_to_end(sentence: str) -> str:
    """Small models often open a sentence with its marker: "[3] W&B costs …." -> "W&B costs … [3]."."""
    m = _LEADING_MARKS.match(sentence)
    if not m or not m.group(2).strip():
        return sentence
    marks = "".join(f"[{n}]" for n in _MARK.findall(m.group(1)))
    return f"{m.group(2).strip()} {marks}{m.group(3)}"


@dataclass
class Narration:
    raw: str = ""
    kept: list[str] = field(default_factory=list)
    verdicts: list[dict] = field(default_factory=list)
    failure: str | None = None
    first_token_ms: float | None = None
    total_ms: float = 0.0
    chunks: int = 0
    messages: list[dict[str, str]] = field(default_factory=list)

    @property
    def dropped(self) -> list[dict]:
        return [v for v in self.verdicts if not v["ok"]]

    @property
    def usable(self) -> bool:
        """Enough survived the guard to show: at least one sentence and at least half of them."""
        return bool(self.kept) and len(self.kept) * 2 >= len(self.verdicts) and self.failure is None


class Narrator:
    def __init__(self, model: BaseChatModel, guard: GroundingGuard, name: str, timeout_s: float):
        self.model = model
        self.guard = guard
        self.name = name
        self.timeout_s = timeout_s  # a total bound: remote clients only bound each network read

    @cached_property
    def prompts(self) -> dict:
        return load_yaml(files("advisor.data").joinpath("prompts.yaml"))

    @cached_property
    def chain(self):
        prompt = ChatPromptTemplate.from_messages([("system", "{system}"), ("human", "{user}")])
        return prompt | self.model | StrOutputParser()

    # ---- prompt -----------------------------------------------------------------------------------

    def points(self, source_text: str) -> str:
        """The computed explanation as numbered points: one per line that carries an [n] marker."""
        p = self.prompts
        out = []
        for line in source_text.splitlines():
            marks = _MARK.findall(line)
            if not marks:
                continue
            text = " ".join(_MARK.sub("", line).lstrip("- ").split()).rstrip(" .")
            text = text.strip("“”")
            if len(text) > p["max_point_chars"]:
                text = text[: p["max_point_chars"]].rsplit(" ", 1)[0] + " …"
            out.append(f"[{marks[0]}] {text}.")
            if len(out) == p["max_points"]:
                break
        return "\n".join(out)

    def user_message(self, answer: Answer, source_text: str, names: dict[str, str]) -> str:
        """`source_text` is the deterministic explanation the model rewords."""
        points = self.points(source_text)
        if answer.intent == "recommend" and answer.recommendation is not None:
            rec = answer.recommendation
            return self.prompts["recommend"].format(
                question=answer.question, primary=names.get(rec.primary, rec.primary),
                secondary=f", with {', '.join(names.get(t, t) for t in rec.secondary)} as secondary"
                if rec.secondary else "",
                avoid=f"; avoid {', '.join(names.get(t, t) for t in rec.avoid)}" if rec.avoid else "",
                points=points)
        return self.prompts["factual"].format(question=answer.question, points=points)

    # ---- generation -------------------------------------------------------------------------------

    def stream(self, answer: Answer, source_text: str, names: dict[str, str],
               result: Narration) -> Iterator[str]:
        """Yield guarded sentences as they complete; fill `result` as it goes."""
        user = self.user_message(answer, source_text, names)
        system = self.prompts["system"]
        result.messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        passages = {c.n: c for c in answer.citations}  # quote and section: a heading may name the subject
        # Strict on figures: every number a user reads must be in a passage its sentence cites, so the
        # profile's and the scores' numbers are not allowed into the prose.
        facts = GroundingFacts.from_answer(answer).model_copy(update={"numbers": []})
        started = time.perf_counter()
        buffer = ""

        def judge(sentence: str) -> str | None:
            sentence = _lead_marks_to_end(_ENUMERATOR.sub("", sentence.strip()))
            if len(_MARK.sub("", sentence).split()) < 4:  # "The answer is:", "[5] [3]." say nothing
                return None
            if not _MARK.search(sentence):  # every claim the user reads cites a passage
                result.verdicts.append({"sentence": sentence, "citations": [], "ok": False,
                                        "problems": ["no citation"]})
                return None
            verdict = self.guard.check(sentence, passages, facts)
            result.verdicts += [v.model_dump() for v in verdict.verdicts]
            kept = verdict.kept_text.strip()
            if kept:
                result.kept.append(kept)
            return kept or None

        try:
            for piece in self.chain.stream({"system": system, "user": user}):
                if time.perf_counter() - started > self.timeout_s:
                    result.failure = f"the model did not finish within {self.timeout_s:g} s"
                    break
                if result.first_token_ms is None and piece:
                    result.first_token_ms = (time.perf_counter() - started) * 1000
                result.chunks += 1
                result.raw += piece
                buffer += piece
                while m := _SENTENCE_END.match(buffer):
                    buffer = buffer[m.end():]
                    if (kept := judge(m.group(1))) is not None:
                        yield kept
            if result.failure is None and (kept := judge(buffer)) is not None:
                yield kept
        except Exception as exc:  # any backend failure becomes a notice and the deterministic answer
            from advisor.llm.factory import classify_failure

            result.failure = classify_failure(exc)
        finally:
            result.total_ms = (time.perf_counter() - started) * 1000
        if result.failure is None and not result.raw.strip():
            result.failure = "the model returned an empty answer"
        elif result.failure is None and not result.kept:
            result.failure = "no sentence of the model's answer passed the grounding check"
        elif result.failure is None and not result.usable:
            result.failure = "too little of the model's answer passed the grounding check"
