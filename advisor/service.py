"""The advisor: one object the CLI, the browser UI and the Slack bot all call."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from functools import cached_property
from importlib.resources import files

import yaml

from advisor.answer import Answer, Intent
from advisor.chunks import load_corpus
from advisor.composer import Citations, Composer
from advisor.corpus_data import NoiseRules, Vocabulary
from advisor.errors import IndexUnavailable, InputError
from advisor.extract import ProfileExtractor
from advisor.index import ChunkIndex, SyncReport
from advisor.profile import TeamProfile
from advisor.retrieval import HybridRetriever
from advisor.rules import Engine, RuleBook
from advisor.settings import Settings

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_question(question: str, limit: int) -> str:
    if not isinstance(question, str):
        raise InputError("the question must be text")
    if _CONTROL.search(question):
        raise InputError("the question contains control characters; send plain text")
    question = unicodedata.normalize("NFC", question).strip()
    if not question:
        raise InputError("the question is empty")
    if len(question) > limit:
        raise InputError(f"the question is {len(question)} characters long; the limit is {limit}")
    return question


class Scope:
    def __init__(self):
        data = yaml.safe_load(files("advisor.data").joinpath("scope.yaml").read_text(encoding="utf-8"))
        self.terms = re.compile(r"\b(?:" + "|".join(data["terms"]) + r")\b", re.I)
        self.min_similarity = float(data["min_similarity"])
        self.first_person = re.compile(data["first_person"], re.I)
        self.recommend = re.compile("|".join(data["recommend_cues"]), re.I)


class Advisor:
    """Builds its parts lazily from one Settings object; nothing heavy happens at construction."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    # ---- parts ------------------------------------------------------------------------------------

    @cached_property
    def vocab(self) -> Vocabulary:
        return Vocabulary.load(self.settings.paths.corpus_dir)

    @cached_property
    def rulebook(self) -> RuleBook:
        return RuleBook.load(self.settings.paths.corpus_dir)

    @cached_property
    def engine(self) -> Engine:
        return Engine(self.rulebook)

    @cached_property
    def extractor(self) -> ProfileExtractor:
        return ProfileExtractor()

    @cached_property
    def scope(self) -> Scope:
        return Scope()

    @cached_property
    def composer(self) -> Composer:
        return Composer(self.vocab, {r.id: r.effects for r in self.rulebook.rules})

    @cached_property
    def embedder(self):
        from advisor.embeddings import SentenceEmbedder

        e = self.settings.embedding
        return SentenceEmbedder(e.model_path, e.batch_size)

    @cached_property
    def index(self) -> ChunkIndex:
        return ChunkIndex(self.settings.index, self.settings.paths.data_dir, self.embedder,
                          model_name=self.embedder.name)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.settings.retrieval)

    # ---- index ------------------------------------------------------------------------------------

    def ingest(self, rebuild: bool = False) -> tuple[SyncReport, list]:
        corpus_dir = self.settings.paths.corpus_dir
        parsed = load_corpus(corpus_dir, self.vocab, NoiseRules.load(corpus_dir))
        report = self.index.sync(parsed.chunks, rebuild=rebuild)
        self.__dict__.pop("retriever", None)  # re-read the chunks on next use
        return report, parsed.dropped

    def ensure_index(self, notify: Callable[[str], None] | None = None) -> SyncReport | None:
        """Build the index on first use (or after a model change); None when it was ready."""
        if self.index.exists() and self.index.compatible():
            return None
        if notify:
            notify("building the index (first run): embedding the corpus…")
        report, _ = self.ingest()
        return report

    # ---- answering --------------------------------------------------------------------------------

    def ask(self, question: str, profile: TeamProfile | None = None) -> Answer:
        """Answer one question; `profile` carries what earlier turns of a conversation established."""
        t0 = time.perf_counter()
        question = clean_question(question, self.settings.limits.max_question_chars)
        stated = self.extractor.extract(question)
        merged = profile.merged(stated) if profile is not None else stated
        t1 = time.perf_counter()
        if not self.index.exists():
            raise IndexUnavailable("no index yet: run `advisor ingest`")
        hits = self.retriever.search(question, k=max(8, self.settings.retrieval.k))
        t2 = time.perf_counter()

        tools = self.vocab.find_tools(question)
        uncovered = self.vocab.find_uncovered(question)
        best_sim = max((h.similarity or 0.0 for h in hits), default=0.0)
        intent = self._intent(question, stated, tools, uncovered, best_sim)
        answer = Answer(
            question=question, answer="", in_scope=intent != "out_of_scope", intent=intent,
            profile=merged.model_dump(), not_covered=uncovered,
            retrieved=[{"chunk_id": h.chunk.id, "score": round(h.score, 5), "dense_rank": h.dense_rank,
                        "bm25_rank": h.bm25_rank,
                        "similarity": None if h.similarity is None else round(h.similarity, 4)} for h in hits],
        )
        cites = Citations(self.retriever.by_id)
        composer, text = self.composer, self.composer.text
        match intent:
            case "out_of_scope":
                body = text["out_of_scope"]
            case "not_covered":
                body = composer.not_covered(uncovered)
            case "recommend":
                # Conservative defaults stand in for unknown facts only when a team describes itself;
                # a question about teams in general gets the article's table as it stands.
                assume = profile is not None or bool(self.scope.first_person.search(question))
                body, structured = composer.recommend(self.engine.decide(merged, assume=assume), cites)
                for key, value in structured.items():
                    setattr(answer, key, value)
            case _:
                lines = composer.factual(question, hits, cites, self.retriever.idf)
                head = text["factual_head"] if best_sim >= 0.3 else text["not_covered_fact"]
                body = "\n".join([head, *lines]) if lines else text["no_passage"]
        if uncovered and intent in ("recommend", "factual"):
            body = composer.not_covered(uncovered) + "\n\n" + body
        answer.answer = body
        answer.citations = cites.items
        t3 = time.perf_counter()
        answer.timings_ms = {"extract": round((t1 - t0) * 1000, 2), "retrieve": round((t2 - t1) * 1000, 2),
                             "total": round((t3 - t0) * 1000, 2)}
        return answer

    def _intent(self, question: str, stated: TeamProfile, tools: list[str], uncovered: list[str],
                best_sim: float) -> Intent:
        scope = self.scope
        covered = [t for t in tools if self.vocab.tool(t).role in ("core", "alternative")]
        if uncovered and not covered:
            return "not_covered"
        if not (tools or scope.terms.search(question) or stated.known() or best_sim >= scope.min_similarity):
            return "out_of_scope"
        if scope.recommend.search(question):
            return "recommend"
        # A team describing itself ("we are 8 people, no k8s") wants to know what fits.
        if stated.known() and scope.first_person.search(question):
            return "recommend"
        return "factual"
