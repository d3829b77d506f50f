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


# The held-out eval on the deterministic path is the suite's longest step (~6 minutes on two workers), while
# most other tests leave a core idle, waiting on subprocesses, servers and the browser. So it starts in the
# background as soon as the index exists, and the tests that read its results (the `deterministic` fixture
# of tests/test_eval.py) run last. Selecting none of them starts nothing.
HELDOUT_ARGS = ["--backend", "none", "--heldout-split", "test"]
_BACKGROUND = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config, items):
    late = [i for i in items if "deterministic" in getattr(i, "fixturenames", ())]
    if late:
        ids = {id(i) for i in late}
        items[:] = [i for i in items if id(i) not in ids] + late
    config.stash[_BACKGROUND] = bool(late)


class BackgroundEval:
    """`advisor eval` started now, its output in files (a pipe would fill and stall it)."""

    def __init__(self, args: list[str], data_dir: Path, out: Path):
        self.out = out
        self.args = [sys.executable, "-m", "advisor.cli", "eval", *args, "--out", str(out / "results")]
        env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
        self._stdout, self._stderr = open(out / "stdout.txt", "w"), open(out / "stderr.txt", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(self.args, stdout=self._stdout, stderr=self._stderr, text=True, env=env)

    def result(self, timeout: float = 3000) -> subprocess.CompletedProcess:
        code = self.proc.wait(timeout=timeout)
        self.close()
        return subprocess.CompletedProcess(self.args, code, (self.out / "stdout.txt").read_text(),
                                           (self.out / "stderr.txt").read_text())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stdout.close(), self._stderr.close()


@pytest.fixture(scope="session", autouse=True)
def background_eval(request, tmp_path_factory):
    if not request.config.stash.get(_BACKGROUND, False):
        yield None
        return
    request.getfixturevalue("index")  # the eval reads the session's index: built here first, once
    # a copy of the data dir: the eval's traces must not land in the store the trace tests count
    data = tmp_path_factory.mktemp("eval-data") / "data"
    shutil.copytree(request.getfixturevalue("data_dir"), data, ignore=shutil.ignore_patterns("traces.sqlite3*"))
    run = BackgroundEval(HELDOUT_ARGS, data, tmp_path_factory.mktemp("eval-none"))
    yield run
    run.close()


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
