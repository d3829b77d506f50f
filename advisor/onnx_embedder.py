"""The same sentence embeddings through ONNX Runtime, so answering a question never imports torch.

A cold `advisor ask` spent 7.7 s importing torch and sentence-transformers to embed one short question;
`onnxruntime` and `tokenizers` (both installed with chromadb) import in under 0.5 s. The ONNX file is
exported once from the packaged weights (the only step that imports torch) and cached in the data dir,
keyed by a hash of the weights, so a changed model is exported again. Pooling and normalisation are
sentence-transformers' (mean over the attention mask, then L2): on every chunk and eval question the
vectors agree to a cosine of 0.99999 or better (tests/test_onnx_embedder.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from advisor.atomic import replace_atomically, write_bytes_atomically
from advisor.embeddings import SentenceEmbedder, _limit_blas
from advisor.errors import ConfigError

_EXPORT_VERSION = "1"  # bump when the export itself changes (opset, inputs), so old files are rebuilt
_MAX_BATCH = 64


def weights_hash(folder: Path) -> str:
    """sha256 of the model's weights and configs, remembered beside the export by size and mtime so a cold
    start does not re-read 90 MB to learn nothing changed."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".safetensors", ".bin", ".json"})
    if not any(p.suffix in {".safetensors", ".bin"} for p in files):
        raise ConfigError(f"no model weights (*.safetensors / *.bin) in {folder}")
    digest = hashlib.sha256(_EXPORT_VERSION.encode())
    for p in files:
        digest.update(p.name.encode())
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _stamp(folder: Path) -> str:
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.iterdir())
                    if p.is_file())


def cached_hash(folder: Path, cache_dir: Path) -> str:
    memo = cache_dir / "hashes.json"
    key, stamp = str(folder.resolve()), _stamp(folder)
    try:
        known = json.loads(memo.read_text())
    except (OSError, ValueError):
        known = {}
    entry = known.get(key)
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        return entry["hash"]
    value = weights_hash(folder)
    known[key] = {"stamp": stamp, "hash": value}
    write_bytes_atomically(memo, json.dumps(known, indent=1).encode())
    return value


def export_onnx(folder: Path, target: Path) -> Path:
    """Export the transformer (not the pooling) to `target`, atomically: a killed export leaves no file
    that a later start would trust. Imports torch; runs once per model and data dir."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars are noise on a one-line-error CLI

    class _LastHidden(torch.nn.Module):
        # transformers 5 takes the model's inputs by keyword only; the exporter passes them positionally
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model = _LastHidden(AutoModel.from_pretrained(str(folder), local_files_only=True).eval())
    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tuple(torch.ones(2, 8, dtype=torch.long) for _ in names)
    def write(fh) -> None:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, sample, fh, input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                              opset_version=17, dynamo=False)

    replace_atomically(target, write)
    return target


class OnnxEmbedder(SentenceEmbedder):
    """all-MiniLM-L6-v2 through ONNX Runtime; falls back to the torch path, with a one-line notice, when the
    export cannot be made (the answers are the same, only slower to start)."""

    def __init__(self, model_path: Path | None = None, cache_dir: Path | None = None, batch_size: int = 32,
                 threads: int = 0, blas_threads: int = 1):
        super().__init__(model_path, batch_size, threads, blas_threads)
        self.cache_dir = cache_dir
        self._session = None
        self._tokenizer = None
        self._fallback = False

    def onnx_path(self) -> Path:
        cache = self.cache_dir or Path.home() / ".cache" / "advisor"
        folder = self.folder
        if not folder.is_dir():
            raise ConfigError(f"embedding model folder not found: {folder}")
        return cache / "onnx" / f"{self.name}-{cached_hash(folder, cache / 'onnx')}.onnx"

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = self.folder
        path = self.onnx_path()
        if not path.is_file():
            export_onnx(folder, path)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(_max_tokens(folder))
        tokenizer.no_padding()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception:  # noqa: BLE001  (a truncated or foreign file under our name: export it again, once)
            path.unlink(missing_ok=True)
            export_onnx(folder, path)
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._session = session
        self._tokenizer = tokenizer
        self._uncased = _lowercases(folder)
        _limit_blas(self.blas_threads)

    def _ready(self) -> bool:
        """True when ONNX Runtime answers; False once the export failed and torch stands in."""
        if self._session is None and not self._fallback:
            with self._lock:
                if self._session is None and not self._fallback:
                    try:
                        self._load()
                    except ConfigError:
                        raise
                    except Exception as exc:  # noqa: BLE001  (any export failure: torch still gives the vectors)
                        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                        print(f"notice: ONNX embedder unavailable ({reason[:160]}); embedding with torch",
                              file=sys.stderr)
                        self._fallback = True
        return not self._fallback

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        if not self._ready():
            return super().embed_documents(texts)
        import numpy as np

        encodings = self._tokenizer.encode_batch(list(texts))
        # Texts of one token length go through together, unpadded: on CPU the padding of a mixed batch cost
        # more than the extra calls (measured once while building this, 200 held-out questions with their
        # clauses: 13.5 s padded vs 8.7 s one by one on one thread), and no mask means no masked positions to pool.
        by_length: dict[int, list[int]] = {}
        for i, e in enumerate(encodings):
            by_length.setdefault(len(e.ids), []).append(i)
        rows: dict[int, np.ndarray] = {}
        for members in by_length.values():
            for start in range(0, len(members), _MAX_BATCH):
                chunk = members[start:start + _MAX_BATCH]
                ids = np.array([encodings[i].ids for i in chunk], dtype=np.int64)
                feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                        "token_type_ids": np.array([encodings[i].type_ids for i in chunk], dtype=np.int64)}
                hidden = self._session.run(None, feed)[0]
                pooled = hidden.mean(axis=1)
                pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
                rows.update(zip(chunk, pooled, strict=True))
        out = np.vstack([rows[i] for i in range(len(texts))])
        return out.tolist()

    def _key(self, text: str) -> str:
        if self._uncased is None:
            self._ready()
            if self._fallback:
                return super()._key(text)
        return text.lower() if self._uncased else text


def _max_tokens(folder: Path) -> int:
    try:
        return int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 512


def _lowercases(folder: Path) -> bool:
    try:
        return bool(json.loads((folder / "tokenizer_config.json").read_text()).get("do_lower_case", False))
    except (OSError, ValueError):
        return False
