"""Every sentence of the corpus's prose with its MiniLM vector, so a factual answer can weigh what a sentence
means beside the words it shares with the question ("where did Kubeflow come from?" is answered by
"Originally developed at Google …", which shares none of its rare words).

The vectors are computed once per corpus and model and cached beside the index's other example vectors."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np

from advisor.chunks import Chunk, split_row, split_sentences
from advisor.understanding.examples import EmbeddedBank


def prose_units(chunk: Chunk) -> list[str]:
    """The sentences the factual composer quotes from a prose or FAQ chunk (its answer line, for an FAQ)."""
    if chunk.kind == "faq":
        return split_sentences(chunk.text.splitlines()[-1])
    return split_sentences(chunk.text.lstrip("- "))


def _first(line: str) -> str:
    return split_row(line)[0]


class SentenceBank:
    """The prose sentences and table rows of `chunks`, each embedded with its section's title ("Kubeflow: Originally
    developed at Google …") so a sentence that says "it" still belongs to its tool."""

    def __init__(self, chunks: dict[str, Chunk], embedder, cache_dir: Path | None):
        self.chunks = chunks
        self.embedder = embedder
        self.cache_dir = cache_dir

    @cached_property
    def _bank(self) -> tuple[EmbeddedBank, list[tuple[str, str]]]:
        groups: dict[str, list[str]] = {}
        keys: list[tuple[str, str]] = []
        for cid, chunk in self.chunks.items():
            if chunk.kind == "table-row":  # a row by what it is about ("Integration Target: dbt"): its cells
                header, row = chunk.text.splitlines()[:2]  # say Yes/No, and a whole row under its header reads
                groups[cid] = [f"{_first(header)}: {_first(row)}"]  # like any other of its table
                keys.append((cid, row))
                continue
            if chunk.kind not in ("prose", "faq"):
                continue
            title = chunk.section[-1] if chunk.section else ""
            for unit in prose_units(chunk):
                groups.setdefault(cid, []).append(f"{title}: {unit}" if title else unit)
                keys.append((cid, unit))
        return EmbeddedBank.build(groups, self.embedder, self.cache_dir, "prose-sentences", normalize=str), keys

    def warm(self) -> None:
        _ = self._bank

    def similarities(self, vector: np.ndarray) -> dict[tuple[str, str], float]:
        """(chunk id, sentence) -> cosine similarity with the query's unit vector."""
        bank, keys = self._bank
        sims = bank.similarities(vector[None, :])[0]
        return {key: float(s) for key, s in zip(keys, sims, strict=True)}
