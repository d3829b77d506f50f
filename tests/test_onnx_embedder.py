"""The ONNX Runtime embedder: the same vectors as sentence-transformers, and no torch on the query path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from advisor.embeddings import SentenceEmbedder
from advisor.evalset import load_cases
from advisor.heldout import load_set
from advisor.onnx_embedder import OnnxEmbedder


@pytest.fixture(scope="module")
def torch_embedder() -> SentenceEmbedder:
    return SentenceEmbedder()


def _questions() -> list[str]:
    """The cases' questions and every fortieth held-out question of each set (the whole of them is the
    benchmark's job: bench/bench_core.py); messy ones included, since they are what people type."""
    texts = [c.question for c in load_cases()]
    for name in ("understanding", "selection", "intents", "facts", "premises"):
        texts += [i.text for i in load_set(name)][::40]
    texts += [t.say for c in load_set("conversations")[::40] for t in c.turns]
    return list(dict.fromkeys(texts))


def _cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    return (np.asarray(a) * np.asarray(b)).sum(axis=1)


def test_onnx_vectors_match_sentence_transformers_on_chunks_and_questions(embedder, torch_embedder, parsed):
    assert isinstance(embedder, OnnxEmbedder) and not embedder._fallback
    chunks = [c.search_text for c in parsed.chunks]
    questions = _questions()
    assert len(chunks) > 50 and len(questions) > 300
    for texts in (chunks, questions):
        got, want = embedder.embed_documents(texts), torch_embedder.embed_documents(texts)
        cos = _cosines(got, want)
        assert cos.min() >= 0.9999, texts[int(cos.argmin())]
        norms = np.linalg.norm(np.asarray(got), axis=1)
        assert np.allclose(norms, 1.0, atol=1e-5)
    # a lone text and the same text in a mixed batch get the same vector (no padding leaks into the pooling)
    lone = embedder.embed_documents([questions[3]])[0]
    batched = embedder.embed_documents(questions[:8])[3]
    assert float(np.dot(lone, batched)) >= 0.99999


def test_retrieval_ranks_the_same_with_either_embedder(embedder, torch_embedder, parsed):
    chunks = [c.search_text for c in parsed.chunks]
    questions = [c.question for c in load_cases()]
    docs_onnx, docs_torch = np.asarray(embedder.embed_documents(chunks)), np.asarray(torch_embedder.embed_documents(
        chunks))
    q_onnx, q_torch = np.asarray(embedder.embed_documents(questions)), np.asarray(torch_embedder.embed_documents(
        questions))
    top_onnx = np.argsort(-(q_onnx @ docs_onnx.T), axis=1)[:, :5]
    top_torch = np.argsort(-(q_torch @ docs_torch.T), axis=1)[:, :5]
    assert (top_onnx[:, 0] == top_torch[:, 0]).all()
    assert np.mean([set(a) == set(b) for a, b in zip(top_onnx, top_torch, strict=True)]) >= 0.97


def test_a_question_never_imports_torch(index, data_dir):
    """`advisor ask` on a built index loads ONNX Runtime, not torch or sentence-transformers."""
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "advisor.cli", "ask", "--backend", "none",
                           "We're 5 people and nobody knows Kubernetes. What should we use?"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Recommendation: MLflow" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "onnxruntime" in imported
    assert not imported & {"torch", "sentence_transformers", "transformers", "gradio", "slack_bolt"}, sorted(
        imported & {"torch", "sentence_transformers", "transformers", "gradio", "slack_bolt"})


def test_a_changed_model_is_exported_again_and_a_corrupt_export_is_rebuilt(tmp_path, embedder):
    model = tmp_path / "model"
    shutil.copytree(embedder.folder, model)
    cache = tmp_path / "cache"
    first = OnnxEmbedder(model, cache)
    path = first.onnx_path()
    vector = first.embed_query("experiment tracking for a small team")
    assert path.is_file()
    # the same weights under another name are another model: a new hash, a new export
    config = model / "config.json"
    config.write_text(config.read_text().replace("}", ', "advisor_test_note": "edited"}', 1))
    second = OnnxEmbedder(model, cache)
    assert second.onnx_path() != path
    # a truncated export under the current name is thrown away and made again
    second.onnx_path().parent.mkdir(parents=True, exist_ok=True)
    second.onnx_path().write_bytes(b"not an onnx model")
    again = second.embed_query("experiment tracking for a small team")
    assert second._session is not None and not second._fallback
    assert second.onnx_path().stat().st_size > 1_000_000
    assert float(np.dot(vector, again)) >= 0.99999


def test_an_unusable_cache_falls_back_to_torch_with_one_line(tmp_path, embedder, capfd):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data dir should be")
    fallback = OnnxEmbedder(embedder.model_path, blocker)
    vector = fallback.embed_query("which tool for a 40-person team on Kubernetes?")
    err = capfd.readouterr().err
    notices = [line for line in err.splitlines() if line.startswith("notice: ")]
    assert fallback._fallback and "Traceback" not in err, err
    assert len(notices) == 1 and notices[0].startswith("notice: ONNX embedder unavailable"), err
    want = embedder.embed_query("which tool for a 40-person team on Kubernetes?")
    assert float(np.dot(vector, want)) >= 0.9999
