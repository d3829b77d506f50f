"""The Chroma index of chunks: incremental sync by stable id and content digest, dense queries."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pydantic import BaseModel

from advisor.chunks import Chunk
from advisor.errors import ConfigError, IndexUnavailable
from advisor.settings import IndexSettings

SCHEMA = 1


class SyncReport(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        how = "rebuilt" if self.rebuilt else "synced"
        return (f"index {how}: {self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.unchanged} unchanged ({self.embedded} embedded) in {self.seconds:.2f}s")


def _metadata(chunk: Chunk) -> dict[str, str | bool]:
    meta: dict[str, str | bool] = {
        "source": chunk.source,
        "section": json.dumps(chunk.section, ensure_ascii=False),
        "kind": chunk.kind,
        "context": chunk.context,
        "tools": ",".join(chunk.tools),
        "digest": chunk.digest,
    }
    meta.update({f"tool_{t}": True for t in chunk.tools})
    return meta


def _chunk(chunk_id: str, document: str, meta: dict) -> Chunk:
    return Chunk(
        id=chunk_id, source=meta["source"], section=json.loads(meta["section"]), kind=meta["kind"],
        text=document, context=meta.get("context", ""), tools=[t for t in meta["tools"].split(",") if t],
    )


def where_filter(tool: str | None = None, kind: str | None = None) -> dict | None:
    clauses: list[dict] = []
    if tool:
        clauses.append({f"tool_{tool}": True})
    if kind:
        clauses.append({"kind": kind})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChunkIndex:
    """One Chroma collection, local (PersistentClient) or remote (`chroma run`)."""

    def __init__(self, settings: IndexSettings, data_dir: Path, embedder, *, model_name: str):
        self.settings = settings
        self.data_dir = data_dir
        self.embedder = embedder
        self.model_name = model_name
        self._client = None

    # ---- connection ---------------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            match self.settings.mode:
                case "local":
                    path = self.data_dir / "chroma"
                    try:
                        path.mkdir(parents=True, exist_ok=True)
                        probe = path / ".write-test"
                        probe.write_text("")
                        probe.unlink()
                    except OSError as exc:
                        raise IndexUnavailable(f"data directory is not writable: {path} ({exc.strerror})") from exc
                    try:
                        self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
                    except Exception as exc:  # Chroma raises many types for a damaged store
                        raise IndexUnavailable(
                            f"index at {path} is unreadable ({exc.__class__.__name__}); "
                            "run `advisor ingest --rebuild` after moving it away"
                        ) from exc
                case "http":
                    if not self.settings.url:
                        raise ConfigError("ADVISOR_INDEX__URL must be set when ADVISOR_INDEX__MODE=http")
                    from urllib.parse import urlparse

                    url = urlparse(self.settings.url)
                    try:
                        self._client = chromadb.HttpClient(
                            host=url.hostname or "localhost", port=url.port or 8000,
                            ssl=url.scheme == "https", settings=chroma_settings,
                        )
                        self._client.heartbeat()
                    except Exception as exc:
                        raise IndexUnavailable(f"Chroma server unreachable at {self.settings.url}") from exc
        return self._client

    def _get(self, name: str):
        try:
            return self.client.get_collection(name)
        except IndexUnavailable:
            raise
        except Exception:
            return None

    def _create(self, name: str):
        return self.client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": self.model_name, "schema": SCHEMA},
        )

    @property
    def collection(self):
        col = self._get(self.settings.collection)
        if col is None:
            raise IndexUnavailable("no index yet: run `advisor ingest`")
        return col

    def exists(self) -> bool:
        col = self._get(self.settings.collection)
        return col is not None and col.count() > 0

    def compatible(self) -> bool:
        col = self._get(self.settings.collection)
        meta = (col.metadata or {}) if col is not None else {}
        return meta.get("embedding_model") == self.model_name and meta.get("schema") == SCHEMA

    # ---- writing ------------------------------------------------------------------------------

    def _write(self, col, chunks: list[Chunk]) -> int:
        if not chunks:
            return 0
        vectors = self.embedder.embed_documents([c.search_text for c in chunks])
        col.upsert(
            ids=[c.id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
            metadatas=[_metadata(c) for c in chunks],
        )
        return len(chunks)

    def sync(self, chunks: list[Chunk], *, rebuild: bool = False) -> SyncReport:
        """Make the collection hold exactly `chunks`, embedding only what is new or changed."""
        started = time.perf_counter()
        name = self.settings.collection
        current = self._get(name)
        if rebuild or current is None or not self.compatible():
            report = self._rebuild(chunks)
        else:
            stored = current.get(include=["metadatas"])
            digests = {i: (m or {}).get("digest") for i, m in zip(stored["ids"], stored["metadatas"], strict=True)}
            wanted = {c.id for c in chunks}
            fresh = [c for c in chunks if c.id not in digests]
            changed = [c for c in chunks if c.id in digests and digests[c.id] != c.digest]
            gone = [i for i in digests if i not in wanted]
            embedded = self._write(current, fresh + changed)
            if gone:
                current.delete(ids=gone)
            report = SyncReport(added=len(fresh), updated=len(changed), removed=len(gone),
                                unchanged=len(chunks) - len(fresh) - len(changed), embedded=embedded)
        report.seconds = time.perf_counter() - started
        return report

    def _rebuild(self, chunks: list[Chunk]) -> SyncReport:
        # Build beside the live collection and swap at the end, so a failure leaves the old index intact.
        name = self.settings.collection
        staging = f"{name}-staging"
        if self._get(staging) is not None:
            self.client.delete_collection(staging)
        col = self._create(staging)
        try:
            embedded = self._write(col, chunks)
        except BaseException:
            self.client.delete_collection(staging)
            raise
        if self._get(name) is not None:
            self.client.delete_collection(name)
        col.modify(name=name)
        return SyncReport(added=len(chunks), embedded=embedded, rebuilt=True)

    # ---- reading ------------------------------------------------------------------------------

    def all_chunks(self) -> list[Chunk]:
        got = self.collection.get(include=["documents", "metadatas"])
        return [_chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]

    def dense(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        col = self.collection
        n = min(n, col.count())
        if n == 0:
            return []
        res = col.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]
