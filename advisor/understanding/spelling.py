"""Typos fixed before a message is read: "we're tight on budjet", "prcing is a concern", "allready on AKS".

A word is changed only when it is no English word the embedding model knows (its tokenizer's vocabulary of
whole words), is at least five letters long, and is one edit (a letter dropped, added, changed or two
swapped) from exactly the words the readers listen for: those of the example statements and questions
(`meaning.yaml`, `intents.yaml`). A real word is never changed ("posted" is not "hosted"), nor a name, a
number or a tool; a word with no close example word stays as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_MIN = 5
# inflections stripped to find a known word: (suffix, letters dropped, endings tried)
_SUFFIXES = (("s", 1, ("",)), ("es", 2, ("",)), ("ies", 3, ("y",)), ("ed", 2, ("", "e")), ("ed", 1, ("",)),
             ("ing", 3, ("", "e")), ("ly", 2, ("",)), ("er", 2, ("", "e")), ("ers", 3, ("", "e")),
             ("est", 3, ("", "e")), ("ment", 4, ("",)), ("ments", 5, ("",)), ("ness", 4, ("",)),
             ("able", 4, ("", "e")), ("ation", 5, ("e", "")), ("ations", 6, ("e", "")), ("ised", 4, ("ise", "ize")),
             ("ising", 5, ("ise", "ize")), ("isation", 7, ("ise", "ize")))
_STARTS = re.compile(r"(?:^|[.!?:;\n-])\W*$")


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})


class Speller:
    """`fix(text)` returns the text with its typos corrected and the corrections made."""

    def __init__(self, targets: Counter[str], known: set[str], slips: dict[str, str] | None = None):
        self.targets = Counter({w: n for w, n in targets.items() if len(w) >= _MIN - 1})
        self.known = known | set(targets)
        self.slips = {k.lower(): v for k, v in (slips or {}).items()}

    @classmethod
    def build(cls, texts: list[str], vocabulary: Path | None, keep: set[str],
              slips: dict[str, str] | None = None) -> Speller | None:
        """From the example texts and the model's `vocab.txt`; None (nothing corrected) when there is no
        vocabulary to tell a real word from a typo."""
        if vocabulary is None or not vocabulary.is_file():
            return None
        known = {w for w in vocabulary.read_text(encoding="utf-8").split() if w.isalpha()}
        targets = Counter(w.lower() for t in texts for w in _WORD.findall(t))
        return cls(targets, known | {k.lower() for k in keep}, slips)

    def is_word(self, low: str) -> bool:
        """Known, or a known word inflected: the vocabulary holds "subscription", not "subscriptions"."""
        if low in self.known:
            return True
        stems = [low[:-n] + add for suffix, n, adds in _SUFFIXES if low.endswith(suffix) for add in adds]
        return any(len(s) >= 4 and s in self.known for s in stems)

    def correct(self, word: str) -> str | None:
        low = word.lower()
        if low in self.slips:  # a short word's usual slip ("wich"), too short to correct by one edit safely
            return self.slips[low]
        if len(low) < _MIN or not low.isalpha() or self.is_word(low):
            return None
        # an ending added or dropped ("pickle" / "pickles", "pricey" / "price") is another form, not a typo
        found = [(self.targets[c], c) for c in _edits(low) if c in self.targets
                 and not (c.startswith(low) or low.startswith(c))
                 and not (c[:-1] == low[:-1] and {c[-1], low[-1]} <= set("sdy"))]  # "validates" / "validated"
        if not found:
            return None
        found.sort(reverse=True)
        return found[0][1]

    def fix(self, text: str) -> tuple[str, dict[str, str]]:
        fixed: dict[str, str] = {}

        def sub(m: re.Match[str]) -> str:
            word = m.group()
            # a capitalised word inside a sentence is a name ("our fine-tuned Mixtral"), not a typo
            # (and one in capitals an acronym: "FINMA" is no typo of "FINRA")
            if word.isupper() or (word[0].isupper() and not _STARTS.search(text[:m.start()])):
                return word
            better = self.correct(word)
            if better is None:
                return word
            fixed[word] = better
            return better

        out = _WORD.sub(sub, text)
        return out, fixed
