"""The Chroma index: incremental sync by stable id, atomic rebuild, clear failures."""

from __future__ import annotations

import os

import pytest

from advisor.chunks import load_corpus
from advisor.errors import IndexUnavailable
from advisor.index import ChunkIndex
from advisor.settings import IndexSettings


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed (and able to fail on demand)."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[int] = []
        self.fail = False

    def embed_documents(self, texts):
        if self.fail:
            raise RuntimeError("embedding failed")
        self.calls.append(len(texts))
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture()
def small_corpus(tmp_path, corpus_dir):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("tools.yaml", "noise.yaml"):
        (folder / name).write_text((corpus_dir / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "a.md").write_text("# A\n\nMLflow tracks experiments.\n\nKubeflow orchestrates pipelines.\n",
                                 encoding="utf-8")
    (folder / "b.txt").write_text("B\nW&B draws dashboards.\n", encoding="utf-8")
    return folder


def _index(tmp_path, embedder, name="t-index"):
    return ChunkIndex(IndexSettings(collection=name), tmp_path / "data", embedder, model_name="all-MiniLM-L6-v2")


def test_sync_embeds_only_what_changed(tmp_path, small_corpus, embedder):
    counting = CountingEmbedder(embedder)
    idx = _index(tmp_path, counting)
    first = idx.sync(load_corpus(small_corpus).chunks)
    assert (first.added, first.embedded) == (3, 3)
    again = idx.sync(load_corpus(small_corpus).chunks)
    assert (again.unchanged, again.embedded, again.rebuilt) == (3, 0, False)

    (small_corpus / "a.md").write_text("# A\n\nMLflow tracks experiments and models.\n\n"
                                       "Kubeflow orchestrates pipelines.\n", encoding="utf-8")
    changed = idx.sync(load_corpus(small_corpus).chunks)
    assert (changed.updated, changed.added, changed.removed, changed.embedded) == (1, 0, 0, 1)
    texts = {c.text for c in idx.all_chunks()}
    assert "MLflow tracks experiments and models." in texts and "MLflow tracks experiments." not in texts

    (small_corpus / "b.txt").unlink()
    removed = idx.sync(load_corpus(small_corpus).chunks)
    assert (removed.removed, removed.embedded) == (1, 0)
    assert {c.source for c in idx.all_chunks()} == {"a.md"}


def test_failed_rebuild_leaves_the_old_index_intact(tmp_path, small_corpus, embedder):
    counting = CountingEmbedder(embedder)
    idx = _index(tmp_path, counting)
    idx.sync(load_corpus(small_corpus).chunks)
    before = sorted(c.id for c in idx.all_chunks())
    counting.fail = True
    with pytest.raises(RuntimeError):
        idx.sync(load_corpus(small_corpus).chunks, rebuild=True)
    assert sorted(c.id for c in idx.all_chunks()) == before
    assert idx.dense(embedder.embed_query("dashboards"), 1)[0][0].startswith("b#")
    counting.fail = False
    report = idx.sync(load_corpus(small_corpus).chunks, rebuild=True)
    assert report.rebuilt and report.embedded == 3


def test_unwritable_data_dir_is_a_clear_error(tmp_path, embedder):
    if os.geteuid() == 0:
        target = tmp_path / "file-not-dir"
        target.write_text("")  # root ignores permissions, but not a file where a folder must be
        idx = ChunkIndex(IndexSettings(), target, embedder, model_name="m")
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        idx = ChunkIndex(IndexSettings(), ro, embedder, model_name="m")
    with pytest.raises(IndexUnavailable, match="not writable"):
        idx.exists()


def test_missing_index_says_how_to_build_it(tmp_path, embedder):
    idx = _index(tmp_path, embedder)
    assert not idx.exists()
    with pytest.raises(IndexUnavailable, match="advisor ingest"):
        idx.all_chunks()


def test_server_index_holds_the_same_chunks(server_index, index):
    assert sorted(c.id for c in server_index.all_chunks()) == sorted(c.id for c in index.all_chunks())
    assert server_index.sync(index.all_chunks()).embedded == 0


def test_unreachable_server_is_a_clear_error(tmp_path, embedder):
    idx = ChunkIndex(IndexSettings(mode="http", url="http://127.0.0.1:9"), tmp_path, embedder, model_name="m")
    with pytest.raises(IndexUnavailable, match="unreachable"):
        idx.exists()


def test_the_embedder_keeps_blas_to_one_thread(embedder) -> None:
    """numpy's and scipy's OpenBLAS, left at one spinning thread per core, halve the speed of torch's forward
    pass beside them (bench/bench_understanding.py --blas); the embedder limits them once the model loads."""
    from threadpoolctl import threadpool_info

    embedder.embed_query("we are 4 people")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "no BLAS library loaded"
    assert {pool["num_threads"] for pool in blas} == {1}, blas
