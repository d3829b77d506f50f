"""Labelled example banks (`advisor/data/meaning.yaml`, `advisor/data/intents.yaml`) as embedded vectors.

The examples are embedded with the model the index already loads. Their vectors are cached in the data
directory under a digest of the model and the examples, so only the first start after an edit pays for
embedding them; a cache that cannot be written is simply kept in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from advisor.atomic import replace_atomically
from advisor.corpus_data import load_yaml, validate

# An example is non-empty text, and a label has at least one: a typo fails at load, naming file and label.
Example = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Examples = Annotated[list[Example], Field(min_length=1)]


class _Bank(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MeaningFile(_Bank):
    labels: dict[str, Examples] = Field(description="FIELD=value, signal or scope label -> example clauses.")


class LearnedFile(_Bank):
    labels: dict[str, list[Example]] = Field(description="a label of meaning.yaml -> clauses of the dev split "
                                             "that state it.")


class IntentFile(_Bank):
    intents: dict[str, Examples] = Field(description="intent -> example messages.")


def data_file(name: str) -> Path:
    return Path(str(files("advisor.data").joinpath(name)))


def load_bank(path: Path, model: type[_Bank]) -> dict[str, list[str]]:
    data = validate(model, load_yaml(path), path)
    return next(iter(data.model_dump().values()))


def embed_queries(embedder, texts: list[str]) -> np.ndarray:
    """Query vectors for `texts` in one batch when the embedder can (else one by one), as float32 rows."""
    many = getattr(embedder, "embed_queries", None)
    rows = many(texts) if many is not None else [embedder.embed_query(t) for t in texts]
    return np.asarray(rows, dtype=np.float32)


@dataclass
class Neighbour:
    label: str
    similarity: float
    example: str


class EmbeddedBank:
    """Examples with their labels and unit vectors; `nearest` ranks them by cosine similarity."""

    def __init__(self, labels: list[str], texts: list[str], vectors: np.ndarray, digest: str = ""):
        self.digest = digest  # of what the vectors were made from (embedder, labels, texts)
        self.labels = labels
        self.texts = texts
        self.vectors = vectors.astype(np.float32)
        self.label_ids = {lab: i for i, lab in enumerate(dict.fromkeys(labels))}
        self._label_index = np.array([self.label_ids[lab] for lab in labels])

    @classmethod
    def build(cls, groups: dict[str, list[str]], embedder, cache_dir: Path | None, name: str,
              normalize=str.lower, normalizer_key: str | None = None) -> EmbeddedBank:
        """`normalize`: what messages go through before they are compared (the reader's normaliser), so an
        example reads "do not" where a message does. `normalizer_key` names that normaliser's version (its
        rules and code); with it, the cache also keeps the normalised texts, keyed by the raw ones, so a warm
        start does not normalise every example again (0.3 s of a cold answer)."""
        labels = [lab for lab, ex in groups.items() for _ in ex]
        raw = [e.strip() for ex in groups.values() for e in ex]
        texts = None if normalizer_key else [normalize(e) for e in raw]
        keyed = [normalizer_key, raw] if normalizer_key else texts
        digest = hashlib.sha256(json.dumps([getattr(embedder, "name", "?"), labels, keyed]).encode()).hexdigest()
        cache = cache_dir / f"{name}-{digest[:16]}.npz" if cache_dir is not None else None
        cached = _read_cache(cache, len(raw))
        if cached is not None:
            return cls(labels, cached[1], cached[0], digest)
        texts = texts if texts is not None else [normalize(e) for e in raw]
        vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
        _write_cache(cache, lambda fh: np.savez(fh, vectors=vectors, texts=np.array(texts, dtype=str)))
        return cls(labels, texts, vectors, digest)

    def linear(self, c: float, cache_dir: Path | None, name: str) -> Linear:
        """A multinomial logistic regression over the examples' vectors (L2 strength 1/c), cached beside them."""
        return train_linear(self.vectors, self.labels, c, cache_dir, name)

    def similarities(self, vecs: np.ndarray) -> np.ndarray:
        """(queries, examples) cosine similarities (vectors are unit length)."""
        return vecs @ self.vectors.T

    def nearest(self, vec: np.ndarray, k: int = 5, sims: np.ndarray | None = None) -> list[Neighbour]:
        sims = self.similarities(vec[None, :])[0] if sims is None else sims
        top = np.argsort(-sims)[:k]
        return [Neighbour(self.labels[i], float(sims[i]), self.texts[i]) for i in top]

    def best_per_label(self, sims: np.ndarray) -> list[tuple[str, float, int]]:
        """For one query's similarities: (label, best similarity, index of that example), best first."""
        best = np.full(len(self.label_ids), -1.0, dtype=np.float32)
        np.maximum.at(best, self._label_index, sims)
        out = []
        names = list(self.label_ids)
        for j in np.argsort(-best):
            members = np.flatnonzero(self._label_index == j)
            i = int(members[np.argmax(sims[members])])
            out.append((names[j], float(best[j]), i))
        return out


def train_linear(vectors: np.ndarray, labels: list[str], c: float, cache_dir: Path | None, name: str,
                 key: str | None = None) -> Linear:
    """A multinomial logistic regression from `vectors` to `labels` (L2 strength 1/c), cached in `cache_dir`
    under a digest of both (or of `key`, which must then determine them: `cached_linear` finds it without
    the vectors). Trained with scikit-learn (a dependency of sentence-transformers) only when no cache
    holds it."""
    source = key.encode() if key is not None else vectors.tobytes() + json.dumps(labels).encode()
    path = _linear_path(cache_dir, name, source, c)
    found = _load_linear(path)
    if found is not None:
        return found
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):  # scipy's OpenBLAS, loaded just now (embeddings._limit_blas)
        model = LogisticRegression(C=c, max_iter=3000).fit(vectors, labels)
    linear = Linear([str(x) for x in model.classes_], model.coef_.astype(np.float32),
                    model.intercept_.astype(np.float32))
    _write_cache(path, lambda fh: np.savez(fh, classes=np.array(linear.classes), weights=linear.weights,
                                           bias=linear.bias))
    return linear


def cached_linear(key: str, c: float, cache_dir: Path | None, name: str) -> Linear | None:
    """The classifier `train_linear(..., key=key)` cached, without its training data; None if not cached."""
    return _load_linear(_linear_path(cache_dir, name, key.encode(), c))


def shipped_linear(key: str, c: float, name: str) -> Linear | None:
    """The classifier `ship_linear` packaged as advisor/data/`name`, if it was trained under this very key
    (the same examples, normaliser, learned clauses and embedder): a first start in a new data dir then
    skips embedding the ~10,000 learned clauses (a minute here). None when absent or stale."""
    return _load_linear(data_file(name), _linear_digest(key.encode(), c))


def ship_linear(linear: Linear, key: str, c: float, path: Path) -> None:
    """Write `linear` where `shipped_linear` finds it (evals/ship_classifier.py)."""
    replace_atomically(path, lambda fh: np.savez(fh, key=np.array(_linear_digest(key.encode(), c)),
                                                 classes=np.array(linear.classes), weights=linear.weights,
                                                 bias=linear.bias))


def _linear_digest(source: bytes, c: float) -> str:
    return hashlib.sha256(source + json.dumps(c).encode()).hexdigest()[:16]


def _linear_path(cache_dir: Path | None, name: str, source: bytes, c: float) -> Path | None:
    return cache_dir / f"{name}-linear-{_linear_digest(source, c)}.npz" if cache_dir is not None else None


def _load_linear(path: Path | None, digest: str | None = None) -> Linear | None:
    """The classifier saved at `path`; with `digest`, only if the file records it (a shipped one)."""
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if digest is not None and str(data["key"]) != digest:
                return None
            return Linear([str(x) for x in data["classes"]], data["weights"], data["bias"])
    except (OSError, ValueError, KeyError):
        return None


@dataclass
class Linear:
    """Class probabilities from a vector: softmax(W v + b)."""

    classes: list[str]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, vec: np.ndarray) -> dict[str, float]:
        z = self.weights @ vec + self.bias
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {c: float(x) for c, x in zip(self.classes, p, strict=True)}


def _read_cache(path: Path | None, n: int) -> tuple[np.ndarray, list[str]] | None:
    """(vectors, normalised texts) from a bank's cache file, or None if it is missing or unusable."""
    if path is None or not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors, texts = data["vectors"], [str(t) for t in data["texts"]]
    except (OSError, ValueError, KeyError):
        return None
    return (vectors, texts) if vectors.ndim == 2 and vectors.shape[0] == n == len(texts) else None


def _write_cache(path: Path | None, write) -> None:
    """Write a cache file whole or not at all; a read-only data dir keeps everything in memory only."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        replace_atomically(path, write)
