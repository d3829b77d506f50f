"""The parts of a stack a question asks a tool for ("for the tracking layer, which one?", "who owns the registry
in that setup?"), and which tools the article's stack patterns give each part ("W&B: experiment tracking and
visualization").

A team that runs Kubeflow and asks which tool should track its experiments asks for a tracker, not for the
recommendation it already has: the answer names the tracker that fits it best among those the article's
patterns use for tracking, then gives the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from advisor.corpus_data import Vocabulary
from advisor.profile import CORE_TOOLS
from advisor.rules import Citation, StackRule


def _words(words: list[str]) -> str:
    alts = (r"[\s-]+".join(map(re.escape, w.lower().split())) for w in sorted(words, key=len, reverse=True))
    return r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])"


_ASK = r"(?:which|what|who)"
_OWN = r"(?:own|owns|owning|hold|holds|handle|handles|cover|covers|run|runs|look\s+after|manage|manages)"
# a question of what a tool does or needs ("what does it need for scheduling?", "what does the registry part do?")
_OF_A_TOOL = re.compile(r"\b(?:what|which|how)\s+(?:does|do|did|is|are|would|will|can|could)\s+(?:it|that|this|they|"
                        r"those|these|the\s+one|the\s+\w+\s+(?:part|bit|side|piece|component))\b")
# where a sentence ends: a layer asked for in one sentence says nothing of the next
_SENTENCE = re.compile(r"[.?!;\n]+")


class Part(BaseModel):
    """One tool's part in one stack pattern, in the article's words."""

    tool: str
    pattern: str
    words: str  # "experiment tracking and visualization"
    cite: Citation  # the pattern's row


class Layers:
    """`layers`: a part of a stack -> the words that name it (understanding.yaml)."""

    def __init__(self, layers: dict[str, list[str]]):
        self.names = list(layers)
        self._labels = {name: ws[0] for name, ws in layers.items()}
        self._word = {name: re.compile(_words(ws)) for name, ws in layers.items()}
        alt = "(?:" + "|".join(_words(ws) for ws in layers.values()) + ")"
        # "which tool for tracking?", "what would we put next to it for experiment tracking?", "for the serving
        # part, which of the three?", "which one should hold the model registry?", "who owns the registry?",
        # "and for the registry?"
        self._asks = re.compile(
            rf"\b{_ASK}\b[^.?!;,]{{0,60}}?\bfor\s+(?:the\s+|our\s+|your\s+)?(?:\w+\s+)?{alt}"
            rf"|\bfor\s+(?:the\s+|our\s+)?{alt}(?:\s+(?:layer|part|side|bit|piece))?\s*(?:then\s*)?[,:–—-]?\s*"
            rf"(?:then\s*,?\s*)?{_ASK}\b"
            rf"|\b{_ASK}\b(?:\s+(?:one|1|tool|of\s+(?:the\s+|those\s+)?(?:two|three|them|these|those)))?\s+"
            rf"(?:should\s+|would\s+|will\s+|is\s+going\s+to\s+)?{_OWN}\s+(?:the\s+|our\s+)?(?:\w+\s+)?{alt}"
            rf"|^\W*(?:(?:and|ok|okay|so|then)\W+)*(?:what\s+about\s+)?for\s+(?:the\s+|our\s+)?{alt}\W*$"
            # "in this bridge, who is the model registry?" ("what is the model registry?" asks what it is)
            rf"|\b(?:who|which(?:\s+(?:one|1|tool))?)\s+is\s+(?:the\s+|our\s+)?{alt}")

    def label(self, name: str) -> str:
        """How an answer names a part: the first of its words ("model registry")."""
        return self._labels.get(name, name)

    def asked(self, norm: str) -> list[str]:
        """The parts a message asks a tool for, in the order of `layers`: every part named in a sentence that
        asks for one ("what should own tracking and the model registry?" asks for both)."""
        low = norm.lower()
        found: list[str] = []
        for sentence in _SENTENCE.split(low):
            if self._asks.search(sentence) and not _OF_A_TOOL.search(sentence):
                found += [n for n in self.names if self._word[n].search(sentence) and n not in found]
        return [n for n in self.names if n in found]

    def parts(self, stacks: Iterable[StackRule], vocab: Vocabulary) -> dict[str, list[Part]]:
        """Each part -> the core tools the article's stack patterns give it, from each pattern's "What Each
        Tool Owns" cell ("Kubeflow: orchestration backbone; W&B: experiment tracking and visualization")."""
        out: dict[str, list[Part]] = {n: [] for n in self.names}
        for stack in stacks:
            cells = [c.strip() for c in stack.cite.quote.strip().strip("|").split("|")]
            if len(cells) < 4:
                continue
            for segment in cells[-1].split(";"):
                owner, sep, words = segment.partition(":")
                tools = vocab.compared(vocab.find_tools(owner)) if sep else []
                if len(tools) != 1 or tools[0] not in CORE_TOOLS:
                    continue  # ("integrates with Databricks Lakeflow …" continues the part before it)
                for name in self.names:
                    if self._word[name].search(words.lower()) and not any(
                            p.tool == tools[0] and p.pattern == stack.pattern for p in out[name]):
                        out[name].append(Part(tool=tools[0], pattern=stack.pattern, words=words.strip(),
                                              cite=stack.cite))
        return out
