"""The hybrid retriever as a LangChain retriever, for chains built from langchain_core pieces."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from advisor.retrieval import HybridRetriever


class AdvisorRetriever(BaseRetriever):
    """Dense + BM25 fused; each Document carries the chunk id, section path, kind, tools and score."""

    retriever: Any  # HybridRetriever; Any keeps pydantic from validating it
    k: int = 4

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.search(query, k=self.k)
        return [
            Document(page_content=h.chunk.text, id=h.chunk.id,
                     metadata={"chunk_id": h.chunk.id, "section": h.chunk.section_path, "kind": h.chunk.kind,
                               "tools": h.chunk.tools, "score": h.score})
            for h in hits
        ]

    @classmethod
    def of(cls, retriever: HybridRetriever, k: int = 4) -> AdvisorRetriever:
        return cls(retriever=retriever, k=k)
