"""Shared fixtures: a real embedding model, a real Chroma index (local and `chroma run`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from advisor.chunks import load_corpus  # noqa: E402
from advisor.embeddings import SentenceEmbedder, make_embedder  # noqa: E402
from advisor.index import ChunkIndex  # noqa: E402
from advisor.retrieval import HybridRetriever  # noqa: E402
from advisor.settings import EmbeddingSettings, IndexSettings, Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def parsed(corpus_dir):
    return load_corpus(corpus_dir)


@pytest.fixture(scope="session")
def embedder(data_dir) -> SentenceEmbedder:
    # the product's default (ONNX Runtime, exported into the data dir once); tests/test_onnx_embedder.py
    # holds it to the torch path's vectors
    return make_embedder(EmbeddingSettings(), data_dir)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("advisor-data")


@pytest.fixture(scope="session")
def settings(data_dir, corpus_dir) -> Settings:
    return Settings(paths={"data_dir": data_dir, "corpus_dir": corpus_dir})


@pytest.fixture(scope="session")
def index(settings, embedder, parsed) -> ChunkIndex:
    idx = ChunkIndex(settings.index, settings.paths.data_dir, embedder, model_name=embedder.name)
    idx.sync(parsed.chunks)
    return idx


@pytest.fixture(scope="session")
def retriever(index, settings) -> HybridRetriever:
    return HybridRetriever(index, settings.retrieval)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on loopback; yields its URL."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = open(path / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited: {(path / 'server.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def server_index(chroma_server, embedder, parsed, tmp_path_factory) -> ChunkIndex:
    idx = ChunkIndex(IndexSettings(mode="http", url=chroma_server, collection="advisor-test"),
                     tmp_path_factory.mktemp("unused"), embedder, model_name=embedder.name)
    idx.sync(parsed.chunks)
    return idx


@pytest.fixture(scope="session")
def server_retriever(server_index, settings) -> HybridRetriever:
    return HybridRetriever(server_index, settings.retrieval)
