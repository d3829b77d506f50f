"""The advisor: one object the CLI, the browser UI and the Slack bot all call."""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from advisor.answer import Answer, Intent, StreamEvent, Understanding
from advisor.chunks import load_corpus
from advisor.composer import GOING_BACK, LEAVE_IT, Blocks, Citations, Composer, join_blocks
from advisor.corpus_data import NoiseRules, Vocabulary
from advisor.errors import AdvisorError, IndexUnavailable, InputError
from advisor.extract import ProfileExtractor
from advisor.fact_table import (
    COST_ROWS_ELSEWHERE,
    COST_TABLE,
    MIGRATION_TABLE,
    CellPremises,
    FactTable,
    RowMatch,
    TableReader,
)
from advisor.index import ChunkIndex, SyncReport
from advisor.passages import SentenceBank
from advisor.premises import Contradiction, Premises
from advisor.profile import CORE_TOOLS, TeamProfile
from advisor.retrieval import Hit, HybridRetriever, tokenize
from advisor.rules import Citation, Doubt, Engine, RuleBook
from advisor.scope import Scope, load_scope
from advisor.settings import Settings
from advisor.traces import Trace, TraceStore
from advisor.understanding.evidence import Evidence
from advisor.understanding.intent import TREATMENT
from advisor.understanding.reading import (
    ACKNOWLEDGED,
    AGAIN,
    BACK_TO_REALITY,
    CLOSING,
    IN_PASSING,
    THIRD_PERSON,
    Context,
    Reader,
    Reading,
    follows_move,
    merge_evidence,
)

_NOTE = re.compile(r"\s*\([^)]*\)")  # a label's source note: "Most common complaint (G2, 2024)"
_WHICH_HAS = re.compile(r"\bwhich\s+(?:of\s+(?:them|these|those|the\s+(?:two|three|3|tools))|one|1|tool)\s+"
                        r"(?:has|have|does|do|supports?|offers?|can|handles?)\b")
_YOUR_STACK = re.compile(r"\b(?:how|what)\s+(?:would|should|do)\s+(?:you|we)\s+(?:\w+\s+){0,3}?(?:lay\s+out|set\s+up|"
                         r"arrange|structure|design|build|put\s+together|combine)\s+(?:the|our|a|this)\s+(?:\w+\s+)?"
                         r"(?:stack|setup|set-up|architecture|tooling)\b")
# "what's Weave exactly?", "what does weave actually give us?": a definition asked for, of a name the article
# glosses where it lists a tool's parts ("Weave (LLM observability and evaluation)")
_DEFINES = re.compile(r"\bwhat(?:'s|s|\s+is|\s+are)\s+(?:the\s+|this\s+|that\s+)?(?:[\w&-]+\s+)?[\w&-]+"
                      r"(?:\s+(?:exactly|actually|actualy|really|for|then|thing|again))*\s*\??\s*$|"
                      r"\bwhat\s+(?:does|do|would)\s+(?:the\s+)?(?:[\w&-]+\s+)?[\w&-]+\s+(?:actually\s+|actualy\s+|"
                      r"really\s+|even\s+)?(?:give|offer|do|bring|add)\b", re.I)
_DEFINE_WORDS = frozenset({"what", "whats", "what's", "the", "this", "that", "exactly", "actually", "actualy", "really",
                           "for", "then", "thing", "again", "does", "would", "give", "offer", "bring", "add", "even"})
_EACH = re.compile(r"\b(?:each|all|every\s+one)\s+of\s+(?:the|these|those|them)\b|"
                   r"\ball\s+(?:three|3)\b|\beach\s+(?:one|tool)\b",
                   re.I)  # "who made each of the three?": a question asked of every tool, one answer each
_THOSE = re.compile(r"\b(?:those|these|them)\b", re.I)
# "the licence cost and what's the catch?", "is it really free?": the costs beyond the part named
# a saving is the difference from what the team pays now
_SAVING = re.compile(r"\b(?:sav(?:e|es|ed|ing|ings)|cheaper\s+than\s+(?:now|today|what\s+we)|difference\s+in\s+"
                     r"(?:cost|price|spend)|cut\s+(?:our\s+)?(?:costs?|spend|bill))\b", re.I)
_CATCH = re.compile(r"\b(?:catch|hidden|gotchas?|really\s+free|actually\s+free|truly\s+free|free-free|"
                    r"on\s+top\s+of\s+that|what\s+else)\b", re.I)
# the whole of a cost asked beside a part of it ("what would Kubeflow cost us per year, and how long does setup
# take?"): the part named first, then the rest of the tool's costs
_WHOLE_COST = re.compile(r"\b(?:per\s+(?:year|annum)|a\s+year|annual(?:ly)?|yearly|total\s+cost|tco|all[- ]in|"
                         r"in\s+total|overall\s+cost|cost\s+us\s+(?:per|a|each|every))\b", re.I)
_THE_MOVE = re.compile(r"\b(?:the|that|this)\s+(?:move|migration|switch|switchover|changeover|transition)\b")
_WHAT_ABOUT = re.compile(r"^\W*(?:(?:and|or|ok|so)\W+)?(?:what|how)\s+about\b|"
                         r"^\W*(?:and|or)\s+(?:to\s+|into\s+|onto\s+)?\w")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _prose(hits: list) -> list:
    """The hits that are running text, not table rows (a row answers on its own, from the fact table)."""
    return [h for h in hits if h.chunk.kind not in ("table-row", "table")]


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
    def premises(self) -> Premises:
        return Premises.load(self.settings.paths.corpus_dir)

    @cached_property
    def engine(self) -> Engine:
        return Engine(self.rulebook)

    @cached_property
    def extractor(self) -> ProfileExtractor:
        return ProfileExtractor()

    @cached_property
    def scope(self) -> Scope:
        return load_scope()

    @cached_property
    def composer(self) -> Composer:
        return Composer(self.vocab, {r.id: r.effects for r in self.rulebook.rules})

    @cached_property
    def embedder(self):
        from advisor.embeddings import make_embedder

        return make_embedder(self.settings.embedding, self.settings.paths.data_dir)

    @cached_property
    def index(self) -> ChunkIndex:
        return ChunkIndex(self.settings.index, self.settings.paths.data_dir, self.embedder,
                          model_name=self.embedder.name)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.settings.retrieval)

    @cached_property
    def fact_table(self) -> FactTable:
        """Every table row of the ingested corpus, cell by cell (advisor/fact_table.py)."""
        return FactTable.from_chunks(self.retriever.by_id, self.vocab)

    @cached_property
    def cell_premises(self) -> CellPremises:
        return CellPremises(self.table_reader, self.table_reader.config.premises)

    @cached_property
    def passages(self) -> SentenceBank:
        return SentenceBank(self.retriever.by_id, self.embedder, self.settings.paths.data_dir / "understanding")

    @cached_property
    def layer_parts(self) -> dict[str, list]:
        """Each part of a stack (tracking, model registry, ...) -> the tools the article's patterns give it."""
        return self.reader.layers.parts(self.rulebook.stacks, self.vocab)

    @cached_property
    def table_reader(self) -> TableReader:
        return TableReader(self.fact_table, self.vocab, self.embedder, self.settings.paths.data_dir / "understanding")

    # ---- index ------------------------------------------------------------------------------------

    def ingest(self, rebuild: bool = False) -> tuple[SyncReport, list]:
        corpus_dir = self.settings.paths.corpus_dir
        parsed = load_corpus(corpus_dir, self.vocab, NoiseRules.load(corpus_dir))
        report = self.index.sync(parsed.chunks, rebuild=rebuild)
        for part in ("retriever", "fact_table", "table_reader", "passages"):  # re-read the chunks on next use
            self.__dict__.pop(part, None)
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

    @cached_property
    def traces(self) -> TraceStore:
        return TraceStore(self.settings.paths.data_dir / "traces.sqlite3")

    @cached_property
    def narrator(self):
        """The model that words the answers, or None for the deterministic composer alone."""
        from advisor.guard import GroundingGuard
        from advisor.llm.factory import backend_name, build_chat_model
        from advisor.narrate import Narrator

        model = build_chat_model(self.settings.llm)
        if model is None:
            return None
        guard = GroundingGuard.from_corpus(self.settings.paths.corpus_dir, self.vocab)
        return Narrator(model, guard, backend_name(self.settings.llm),
                        self.settings.llm.timeout_s)

    @cached_property
    def reader(self) -> Reader:
        return Reader(self.extractor, self.vocab, self.premises, self.embedder,
                      self.settings.paths.data_dir / "understanding", self._model_reader())

    def _model_reader(self):
        """The second reader: only a capable model (ollama, openai) reads the profile; the 135M local model
        would only add guesses the checks then refuse."""
        llm = self.settings.llm
        if llm.mode not in ("ollama", "openai") or not llm.read_profile:
            return None
        from advisor.llm.factory import backend_name, build_chat_model
        from advisor.understanding.model_reader import ModelReader

        return ModelReader(build_chat_model(llm), backend_name(llm))

    def read(self, text: str, context: Context | None = None) -> Reading:
        """Everything understood from `text` (one message), given what the conversation established."""
        return self.reader.read(clean_question(text, self.settings.limits.max_question_chars), context)

    def understand(self, text: str, profile: TeamProfile | None = None) -> TeamProfile:
        """The profile after `text`: what it states, on top of what was known."""
        return self.read(text, Context(profile=profile)).apply(profile)

    def ask(self, question: str, context: Context | None = None) -> Answer:
        """Answer one question; `context` carries what earlier turns of a conversation established (the
        profile, the topic under discussion: "and what would it cost us?")."""
        for event in self.stream(question, context):
            if event.answer is not None:
                return event.answer
        raise AssertionError("stream ended without an answer")  # pragma: no cover

    def stream(self, question: str, context: Context | None = None) -> Iterator[StreamEvent]:
        """Yield the answer's text as it is written (guarded sentences), then the final Answer."""
        t0 = time.perf_counter()
        draft = self._draft(question, context or Context())
        answer = draft.answer
        trace = Trace(question=answer.question, intent=answer.intent, backend="none", grounded=True,
                      profile=answer.profile, retrieved=answer.retrieved, rules_fired=draft.fired,
                      reading=draft.reading.model_dump(mode="json"))
        if answer.intent in ("recommend", "factual") and self.settings.llm.mode != "none":
            yield from self._narrate(draft, trace)
        else:
            yield StreamEvent(text=answer.answer)
        answer.timings_ms["total"] = round((time.perf_counter() - t0) * 1000, 2)
        trace.backend, trace.grounded, trace.notice = answer.backend, answer.grounded, answer.notice
        trace.timings_ms, trace.answer = answer.timings_ms, answer.answer
        try:
            answer.trace_id = self.traces.add(trace)
        except AdvisorError as exc:  # a lost trace must not cost the user the answer
            print(f"advisor: warning: {exc}", file=sys.stderr)
        yield StreamEvent(answer=answer)

    def _narrate(self, draft: _Draft, trace: Trace) -> Iterator[StreamEvent]:
        """Stream the model's guarded prose in place of the deterministic explanation; computed parts
        (recommendation, cost, stack, assumptions) stay as computed. Falls back to the deterministic
        answer, with a one-line notice, when the backend fails or too little passes the guard."""
        from advisor.narrate import Narration

        answer = draft.answer
        try:
            narrator = self.narrator
        except AdvisorError as exc:
            answer.notice = f"The language model is unavailable ({exc}); showing the deterministic answer."
            yield StreamEvent(text=answer.answer)
            return
        if narrator is None:
            yield StreamEvent(text=answer.answer)
            return
        before, source, after = self._split(draft)
        if before:
            yield StreamEvent(text=before + "\n\n")
        narration = Narration()
        names = {t.id: t.name for t in self.vocab.tools}
        for i, sentence in enumerate(narrator.stream(answer, source, names, narration)):
            yield StreamEvent(text=("" if i == 0 else " ") + sentence)
        trace.prompt, trace.raw_output, trace.guard = narration.messages, narration.raw, narration.verdicts
        answer.dropped = narration.dropped
        answer.timings_ms |= {"first_token": round(narration.first_token_ms or 0.0, 1),
                              "generate": round(narration.total_ms, 1)}
        if narration.usable:
            prose = " ".join(narration.kept)
            answer.answer = "\n\n".join(p for p in (before, prose, after) if p)
            answer.backend, answer.grounded = narrator.name, not narration.dropped
            if after:
                yield StreamEvent(text="\n\n" + after)
        else:
            answer.notice = f"{narrator.name}: {narration.failure}; showing the deterministic answer."
            answer.grounded = False
            yield StreamEvent(reset=True, text=answer.answer)

    @staticmethod
    def _split(draft: _Draft) -> tuple[str, str, str]:
        """(blocks before the explanation, the explanation the model rewords, blocks after it)."""
        name = "why" if draft.answer.intent == "recommend" else "quotes"
        names = [n for n, _ in draft.blocks]
        if name not in names:
            return join_blocks(draft.blocks), "", ""
        i = names.index(name)
        source = draft.blocks[i][1]
        if name == "quotes":  # the quotes stay, as evidence under the model's summary
            return join_blocks(draft.blocks[:i]), source, join_blocks(draft.blocks[i:])
        return join_blocks(draft.blocks[:i]), source, join_blocks(draft.blocks[i + 1:])

    def _draft(self, question: str, context: Context) -> _Draft:
        """The deterministic answer: reading, routing, retrieval, rules and the composer's text."""
        t0 = time.perf_counter()
        question = clean_question(question, self.settings.limits.max_question_chars)
        if not self.index.exists():
            raise IndexUnavailable("no index yet: run `advisor ingest`")
        reading = self.reader.read(question, context, also=(self.table_reader.strip(question),))
        # what is searched and matched is the message as read: typos corrected, "the other one" named
        raw, question = question, reading.text
        profile = context.profile
        if context.leaves_advisee(reading):  # the client's facts are not the asker's own team's
            profile = TeamProfile()
        adopted: list[Evidence] = []
        adopting = context.adopts_supposed(reading)
        if adopting:  # ("should a 12-person team…?" then "he's run our EKS clusters")
            profile, adopted = context.supposed, context.supposed_evidence
        merged = reading.apply(profile)
        t1 = time.perf_counter()
        topic = reading.topic
        query = question
        if reading.elliptical and context.question and not topic.own_dimension:
            query = self._ask_again_of(context.question, question, reading.tools)
        elif context.question and not reading.tools and len(question.split()) <= 6 and _THOSE.search(question):
            query = f"{context.question} {question}"  # "what would actually serve those?": the things just named
        if topic.carried and topic.tool:  # a follow-up about the tool under discussion: search for it too
            query = f"{query} ({self.vocab.tool(topic.tool).name})"
        if topic.own_dimension and len(question.split()) <= 14:  # "could kubeflow be up in time?": a short
            query = f"{query} {self.reader.dimension_query(topic.dimension)}"  # question searches its dimension too
        hits = self.retriever.search(query, k=max(8, self.settings.retrieval.k))
        t2 = time.perf_counter()

        best_sim = max((h.similarity or 0.0 for h in hits), default=0.0)
        # ("what about ZenML for that?": an alternative has a row of its own, which the question alone finds)
        alone = self.vocab.only_alternatives(reading.tools)
        match = None if reading.intent == "not_covered" else self.table_reader.match(
            query if reading.elliptical and not alone else question)
        if reading.intent != "not_covered":  # claims taken for granted that a table cell contradicts
            self._cell_premises(question, reading)
        intent = self._route(reading, best_sim, context, match)
        if match is None and intent == "factual" and reading.intent == "factual" and topic.own_dimension:
            match = self.table_reader.dimension_row(topic.dimension)  # "could kubeflow be up in time?": the setup row
        answer = Answer(
            question=raw, answer="", in_scope=intent != "out_of_scope", intent=intent,
            profile=merged.model_dump(), not_covered=reading.uncovered,
            profile_evidence=merge_evidence([*context.evidence, *adopted], reading),
            understanding=Understanding.of(reading),
            retrieved=[{"chunk_id": h.chunk.id, "score": round(h.score, 5), "dense_rank": h.dense_rank,
                        "bm25_rank": h.bm25_rank,
                        "similarity": None if h.similarity is None else round(h.similarity, 4)} for h in hits],
        )
        focus = topic.tool if topic.carried or reading.elliptical else None
        asked = self.vocab.compared(reading.tools) or ([topic.tool] if topic.tool else [])
        answer.table_match = None if match is None else f"{match.row.chunk}: {match.how}"
        cites = Citations(self.retriever.by_id)
        composer, text = self.composer, self.composer.text
        dimension = self.reader.dimension_words(topic.dimension)  # the sentences that speak of what is asked
        fired: list[str] = []
        premise: Blocks = []
        if intent in ("recommend", "factual") and reading.premises:
            text_block = composer.premises(reading.premises, cites)
            support = []
            for p in reading.premises:  # a table cell against a claim: the prose that says it in words too
                if p.claim.startswith("table: "):  # (the claim without "since": "since the launch of W&B Weave"
                    claimed = self.cell_premises.claim_of(p.claimed)  # shares only that word with it)
                    found = self.retriever.search(f"{claimed} ({self.vocab.tool(p.tool).name})", k=6)
                    support += composer.factual(claimed, _prose(found), cites, self.retriever.idf, limit=1,
                                                focus=p.tool)
            support = [line for line in dict.fromkeys(support) if line not in text_block]
            premise = [("premise", "\n".join([text_block, *support]))]
        back = bool(GOING_BACK.search(question.lower()))  # "and going back later if we hate it?"
        moving = self._move_asked(question, query, reading, context, back)
        paths: list[str] = []  # the migration paths the answer quotes
        match intent:
            case "out_of_scope":
                said = {CLOSING: "closing", ACKNOWLEDGED: "acknowledged"}.get(reading.intent_by, "out_of_scope")
                blocks = [("message", text[said])]
            case "not_covered":
                blocks = [("message", composer.not_covered(reading.uncovered))]
            case "recommend":
                # Conservative defaults stand in for unknown facts only when a team describes itself;
                # a question about teams in general gets the article's table as it stands.
                # (a fact stated with no "we" is still the asker's: "legal just ruled no transcripts may go to any
                # SaaS. does that change the pick?" must not get Kubeflow as if Kubernetes skills were a given)
                assume = bool(profile is not None and profile.known()) or reading.first_person \
                    or bool(reading.stated.known())
                # a team the question describes without claiming it ("a regulated insurer") is answered for
                # (but not another team's facts when we, already described, ask for ourselves: "our sister group
                # runs a big Kubernetes cluster - could we borrow theirs?")
                # (nor when the message itself describes us: "our parent company's platform group runs a huge
                # Kubernetes estate, but we're a separate nine-person team")
                described_us = bool(profile is not None and profile.known()) or bool(reading.stated.known())
                # ("my friend's startup is 10 people building a RAG chatbot, what would they use?": "my" is no
                # claim, and none of our facts is theirs; nor "our client is a big bank with 200 modelers. what
                # about them?" once our own team is known: the advice is for the client, the talk keeps ours)
                theirs = bool(reading.supposed.known() and not reading.stated.known()
                              and profile is not None and profile.known() and THIRD_PERSON.search(reading.normalized))
                ours = described_us and reading.first_person and not theirs
                asked_for = reading.supposed if theirs else (
                    reading.supposing(merged) if reading.supposed.known() and not ours else merged)
                doubts = [Doubt(field=e.field, value=e.value, words=e.words) for e in reading.doubts]
                decision = self.engine.decide(asked_for, assume=assume, doubts=doubts)
                # the team this advice is for; for another team asked about in passing, the conversation's own
                answer.profile = (merged if theirs else asked_for).model_dump()
                fired = decision.fired
                # ("for the tracking layer, which one?": the part asked for is answered first, numbered first)
                layer, answer.layer_picks = composer.layer(
                    decision, [(n, self.reader.layers.label(n)) for n in reading.layers], self.layer_parts, cites)
                # ("could we just use kubeflow, our cto loves it": the one tool put forward, not one said in use)
                # ("Why is not good? I read it is the most powerful one.": the tool under discussion, put again)
                put = self.vocab.compared(reading.tools) or (
                    [topic.tool] if topic.carried and topic.tool in CORE_TOOLS else [])
                challenged = put[0] if len(put) == 1 and reading.intent == "recommend" and put[0] not in (
                    reading.stated.current_tools or []) else None
                stated_rules = self.engine.book.resting_on(set(decision.profile.known())) if challenged else frozenset()
                blocks, structured = composer.recommend(decision, cites, focus,
                                                        stack_first=reading.intent == "stack", challenged=challenged,
                                                        stated_rules=stated_rules)
                blocks = layer + blocks
                for key, value in structured.items():
                    setattr(answer, key, value)
                # "we'd rather not be tied to one supplier. is that a problem with it?": the advice again, and the
                # row of what the message asks about, the tool under discussion's cell first
                # (asked, or said of a tool the message names: "why not kf then, it's free")
                of_it = topic.own_dimension and topic.tool in CORE_TOOLS and (
                    reading.asks or topic.tool in reading.tools)
                row = self.table_reader.dimension_row(topic.dimension) if of_it else None
                if row is not None:
                    blocks.append(("quotes", "\n".join([text["factual_head"],
                                                        *composer.table_rows(row, [topic.tool], cites)])))
                elif topic.dimension == "cost" and of_it:
                    # ("why not kf then, it's free?": what the tool costs beyond its licence, cell by cell)
                    blocks.append(("quotes", "\n".join([text["factual_head"], *composer.tool_cells(
                        self.table_reader.cost_rows(), topic.tool, cites)])))
            case "factual" if reading.intent == "cost" and (merged.team_size or reading.supposed.team_size):
                # "and what would it cost us?": the article's estimate at the team's size, the tool under
                # discussion (or the pick) first, then the passage that answers the question
                # ("same for 40 people?", "and mlflow at 50?": the size the question asks about)
                sized = merged.merged(TeamProfile(team_size=reading.supposed.team_size)) \
                    if reading.supposed.team_size else merged
                decision = self.engine.decide(sized, assume=True)
                named = [t for t in reading.tools if t in CORE_TOOLS]
                tool = topic.tool if topic.tool in CORE_TOOLS else decision.recommendation.primary
                # "which is cheaper, mlflow or wandb?" weighs them alike: none goes first
                first = None if len(named) > 1 else tool
                why = "discussed" if topic.carried else "asked" if named else "pick"
                cost_block, answer.cost = composer.cost(decision, cites, first, why)
                lines = composer.factual(query, _prose(hits), cites, self.retriever.idf, limit=2, focus=tool,
                                         dimension=dimension)
                # the row asked about, else the tool's cost components: the estimate is half a cost, the
                # licence, infrastructure, setup and headcount the rest
                parts = self.table_reader.cost_parts(question)
                # "what would we save, licence-wise?" with W&B in use and MLflow discussed: both tools' cells
                also = tuple(t for t in merged.current_tools or () if t in CORE_TOOLS and t != tool) \
                    if _SAVING.search(question) else ()
                # ("which of the two is cheaper at 30 users?", "mlflow or wandb, cost-wise?"): every tool weighed
                also = (*also, *(t for t in named if t != tool and t not in also)) if len(named) > 1 else also
                if parts and (_CATCH.search(question) or _WHOLE_COST.search(question)):
                    # the part named, then the rest of the tool's costs
                    # (the part named beside the other tools' cells, the tool's first: "25 seats of it" may mean
                    # the tool with seats)
                    rest = [r for r in self.table_reader.cost_rows() if r not in parts]
                    contrast = (*also, *(t for t in CORE_TOOLS if t != tool and t not in also))
                    lines = composer.tool_cells(parts, tool, cites, contrast) \
                        + composer.tool_cells(rest, tool, cites, also) + lines
                elif parts and (len(parts) >= 2 or match is None or match.row.table != parts[0].table):
                    # "in infrastructure and people", "the licence": the cost table's cells of the parts named
                    lines = composer.tool_cells(parts, tool, cites, also) + lines
                elif match is not None and match.pointed and (
                        match.row.table == COST_TABLE or match.row.label in COST_ROWS_ELSEWHERE):
                    # ("just so I can show finance": a row of another table, here regulated industries, answers
                    # no cost question; the cost rows do)
                    if match.row.chunk != (decision.cost.cite.chunk if decision.cost else None):
                        lines = composer.table_rows(match, asked or [tool], cites) + lines
                else:
                    lines = composer.tool_cells(self.table_reader.cost_rows(), tool, cites, also) + lines
                licence = self.table_reader.licence_row()
                if licence is not None and sized.team_size not in self.table_reader.config.premises.estimate_rows \
                        and not any(licence.label in line for line in lines):
                    # ("same for 40 people?": between the sizes the estimates give, the licence's price per seat
                    # is what scales with the team)
                    lines = composer.tool_cells([licence], tool, cites, also) + lines
                blocks = [b for b in (cost_block,) if b is not None]
                if lines:
                    blocks.append(("quotes", "\n".join([text["factual_head"], *lines])))
            case "factual" if reading.intent == "migration" and (
                    row := composer.migration(moving[0], topic.tool, cites, reverse=moving[1], paths=paths,
                                              previous=context.topic.tool if context.topic else None)):
                answer.migration = paths[0] if paths else None
                # what a move loses is said of the tool it leaves ("and the sweeps history?" of W&B to MLflow)
                leaves = self.vocab.compared(self.vocab.find_tools(paths[0].partition(" to ")[0])) if paths else []
                lines = composer.factual(query, hits, cites, self.retriever.idf, limit=1,
                                         focus=leaves[0] if leaves else topic.tool, dimension=dimension)
                extra = [line for line in lines if line not in row]
                if match is not None and match.row.table != MIGRATION_TABLE:  # "how portable are they?"
                    extra = composer.table_rows(match, asked, cites)[:1] + extra
                blocks = [("quotes", "\n".join([text["factual_head"], *row, *extra]))]
            case _:
                # a table cell answers first ("can we run W&B on-prem?": the on-premises row, W&B's cell
                # first), then the passage that best answers the question in prose
                rows = composer.table_rows(match, asked, cites) if match is not None else []
                whole = self.table_reader.whole_table(match, question) if match is not None and len(asked) == 1 \
                    else []
                if whole:  # "and the lock-in?" of MLflow: its licence, export, formats, risk, each cited
                    rows = composer.tool_cells(whole, asked[0], cites)
                elif rows and topic.own_dimension and (summary := self.table_reader.dimension_row(topic.dimension)) \
                        and summary.row.label != match.row.label and summary.row.table == match.row.table:
                    # "what about kubeflow lock-in, it's open source too no?": the licence row its words touch,
                    # then the row that sums the dimension up ("Overall lock-in risk: Low to Medium")
                    rows = rows + composer.table_rows(summary, asked, cites)
                shown = {match.row.chunk, match.runner_up.chunk if match.runner_up else ""} if rows else set()
                pool, asking = hits, query
                if rows and len(question.split()) <= 10 and not reading.elliptical:  # "how fast can we get it up?"
                    # (the row's words, not its source note: "(G2, 2024)" would find every G2 sentence)
                    asking = f"{query} {_NOTE.sub('', match.row.label)}"
                    pool = self.retriever.search(asking, k=max(8, self.settings.retrieval.k))
                # with a row shown, a migration row near the words answers another question ("MLflow to
                # Kubeflow … 2 to 4 weeks" for "how long does it take to set up?"), unless the question speaks of
                # a move or of two tools ("we run MLflow; if we layer Kubeflow on top, how long…?")
                moves = self.table_reader.about_migration(question) or len(asked) >= 2
                others = [h for h in pool if h.chunk.id not in shown and h.chunk.kind != "table"
                          and not (rows and not moves and self._migration_row(h.chunk.id))]
                if rows:  # the paragraph that explains a table sits beside it ("MLflow is the most portable
                    # option by design" under the lock-in table), whatever the search ranked first
                    # (after the best few hits when they are prose: a passage the search found for the words
                    # answers more often; first when the search found only other cells)
                    beside = self._beside(match.row.chunk, others, [topic.tool] if topic.tool else asked)
                    cut = 0 if all(h.chunk.kind == "table-row" for h in others[:3]) else 3
                    others = others[:cut] + beside + others[cut:]
                # sentences near the question in meaning join the pool, after the best few hits (not a migration
                # row when a row is shown and nothing moves), and each sentence gains by its meaning
                said = query if reading.elliptical else question
                if topic.carried and topic.tool and not reading.elliptical:
                    said = f"{said} ({self.vocab.tool(topic.tool).name})"
                sims = self._near(said)
                extra = self._near_hits(sims, {h.chunk.id for h in others[:8]} | shown,
                                        lambda cid: rows and not moves and self._migration_row(cid))
                # (and the passages with a sentence of the kind asked for about the tool asked: an origin)
                tool = topic.tool or (asked[0] if len(asked) == 1 else None)
                # ("who made each of the three?": the kind asked for, of each of them)
                each = [tool] if tool is not None else list(CORE_TOOLS) if (
                    not asked and _EACH.search(question)) else []
                chunks = list(self.retriever.by_id.values())
                # one sentence of the kind asked for each tool, in the tools' order; else the best answers
                kinds = list(dict.fromkeys(line for one in each for line in composer.typed_lines(
                    said, chunks, one, cites))) if len(each) > 1 else []
                lines = kinds
                # ("whats weave exactly?": the name asked about, glossed where the article lists the parts)
                gloss = tuple(w for w in re.findall(r"[A-Za-z][\w&-]{2,}", question)
                              if w.lower() not in _DEFINE_WORDS) if _DEFINES.search(question) else ()
                if not kinds:
                    for one in each:
                        have = {h.chunk.id for h in others[:8]} | shown | {h.chunk.id for h in extra}
                        extra += [Hit(chunk=c, score=0.0) for c in composer.typed(said, chunks, one)
                                  if c.id not in have][:2]
                    others = others[:3] + extra + others[3:]
                    lines = composer.factual(asking, others, cites, self.retriever.idf, focus=topic.tool,
                                             dimension=dimension, limit=2, near=self._gains(sims),
                                             pool=8 + len(extra), gloss=gloss)
                lines = [line for line in lines if not any(line.split(" [")[0] in r for r in rows)]
                lines = rows + lines
                # (a line that glosses a part the question names answers it: "Katib (automated hyperparameter
                # tuning)" for "what is Katib for?", however far the question's words are from the passage's)
                names = [*gloss, *(a for tid in reading.tools for a in self.vocab.tool(tid).aliases)]
                glossed = any(re.search(rf"\b{re.escape(alias)}\s+\(", line, re.I) for line in lines for alias in names)
                # (a quoted passage that speaks of what the question names, "hybrid" for "a split on-prem/cloud
                # setup", answers it, whatever words of the question no passage has)
                spoken = bool(topic.own_dimension and dimension is not None and lines
                              and dimension.search(lines[0].lower()))
                head = text["factual_head"] if (best_sim >= 0.3 and not self._unasked(question)) or rows or glossed \
                    or bool(kinds) or spoken \
                    else text["not_covered_fact"]
                blocks = [("quotes", "\n".join([head, *lines]) if lines else text["no_passage"])]
        if premise:  # a passage the correction already quotes is not quoted again below it
            cited = set(re.findall(r"\[(\d+)\]", premise[0][1]))
            blocks = [(name, "\n".join(line for line in body.split("\n")
                                       if not (line.startswith("- ") and set(re.findall(r"\[(\d+)\]$", line)) & cited)))
                      if name == "quotes" else (name, body) for name, body in blocks]
            blocks = [(name, body) for name, body in blocks
                      if not (name == "quotes" and body.strip() == text["factual_head"])]
        blocks = premise + blocks
        if reading.corrections and intent in ("recommend", "factual"):  # the second reader's additions
            blocks.insert(0, ("understood", "\n".join(f"- {c}" for c in reading.corrections)))
        if reading.uncovered and intent in ("recommend", "factual"):
            blocks.insert(0, ("not_covered", composer.not_covered(reading.uncovered)))
        if intent != "out_of_scope" and (adopted_facts := {
                k: v for k, v in (context.supposed.known() if adopting else {}).items()
                if k not in reading.stated.known()}):
            answer.understanding.adopted = adopted_facts  # (said first: every fact it adds decides this answer)
            blocks.insert(0, ("adopted", composer.adopted(adopted_facts)))
        answer.answer = join_blocks(blocks)
        answer.citations = cites.items
        answer.timings_ms = {"understand": round((t1 - t0) * 1000, 2), "retrieve": round((t2 - t1) * 1000, 2),
                             "compose": round((time.perf_counter() - t2) * 1000, 2)}
        return _Draft(answer, blocks, fired, reading)

    def _beside(self, chunk_id: str, hits: list[Hit], tools: list[str]) -> list[Hit]:
        """The prose passages of the section a table row sits in that name one of `tools` (any of the three
        when none is asked about), not already among `hits`."""
        section = chunk_id.split("/table")[0] + "/"
        have = {h.chunk.id for h in hits}
        wanted = set(tools) or set(CORE_TOOLS)
        return [Hit(chunk=c, score=0.0) for cid, c in self.retriever.by_id.items()
                if cid.startswith(section) and c.kind == "prose" and cid not in have
                and wanted & set(self.vocab.find_tools(c.text))]

    def _near(self, text: str) -> dict[tuple[str, str], float] | None:
        """(chunk id, sentence) -> cosine similarity of each sentence to `text` (advisor/passages.py); None when
        settings.retrieval.sentence_weight turns meaning off."""
        if self.settings.retrieval.sentence_weight <= 0:
            return None
        return self.passages.similarities(np.asarray(self.embedder.embed_query(text), dtype=np.float32))

    def _gains(self, sims: dict[tuple[str, str], float] | None) -> dict[tuple[str, str], float] | None:
        """The score each sentence gains for its meaning: sentence_weight per unit of similarity above
        sentence_floor."""
        if sims is None:
            return None
        r = self.settings.retrieval
        return {key: r.sentence_weight * (s - r.sentence_floor) for key, s in sims.items() if s > r.sentence_floor}

    def _near_hits(self, sims: dict[tuple[str, str], float] | None, have: set[str],
                   skip: Callable[[str], bool]) -> list[Hit]:
        """The passages of the sentences nearest in meaning (settings.retrieval.sentence_extra, at least
        sentence_min similar) that are not in `have` and not `skip`ped."""
        if sims is None:
            return []
        r = self.settings.retrieval
        out: list[Hit] = []
        for (cid, _), sim in sorted(sims.items(), key=lambda kv: -kv[1])[:r.sentence_extra]:
            if sim >= r.sentence_min and cid not in have and not skip(cid):
                have.add(cid)
                out.append(Hit(chunk=self.retriever.by_id[cid], score=0.0))
        return out

    def _migration_row(self, chunk_id: str) -> bool:
        row = self.table_reader.table.by_chunk.get(chunk_id)
        return row is not None and row.table == MIGRATION_TABLE

    def _unasked(self, question: str) -> bool:
        """The question is mostly about something no passage mentions ("does Kubeflow support quantum
        annealing?"): two or more of its words, and at least half of those that are not tool names."""
        names = {t for tid in self.vocab.find_tools(question) for t in tokenize(self.vocab.tool(tid).name)}
        words = [t for t in tokenize(question) if len(t) >= 5 and t.isalpha() and t not in names]
        unknown = self.retriever.unknown(question)
        return len(unknown) >= 2 and len(unknown) * 2 >= len(words)

    def _cell_premises(self, question: str, reading: Reading) -> None:
        """Add to the reading's premises each claim a table cell contradicts; a question that only rests on
        such a claim is a factual question ("since W&B has native orchestration, can we drop Airflow?")."""
        known = {(p.tool, p.cite.chunk) for p in reading.premises}
        for clash in self.cell_premises.check(question):
            if (clash.tool, clash.row.chunk) in known:
                continue
            reading.premises.append(Contradiction(claim=f"table: {clash.row.label}", tool=clash.tool,
                                                  claimed=clash.claimed,
                                                  cite=Citation(chunk=clash.row.chunk, quote=clash.row.row)))
            # the article's prose on the same tool, in the sentence nearest the claim in meaning ("Kubeflow is an
            # infrastructure commitment …" against "Kubeflow sets up in under an hour"), when one is near enough
            said = self._beside_sentence(clash.tool, self.cell_premises.claim_of(clash.claimed))
            if said is not None and (clash.tool, said[0]) not in known:
                known.add((clash.tool, said[0]))
                reading.premises.append(Contradiction(claim=f"prose: {clash.row.label}", tool=clash.tool,
                                                      claimed=clash.claimed,
                                                      cite=Citation(chunk=said[0], quote=said[1])))
        if reading.premises and not reading.stated.known() and reading.intent in ("recommend", "stack"):
            reading.intent, reading.intent_by = "factual", "a claim about a tool to check"

    def _beside_sentence(self, tool: str, claim: str) -> tuple[str, str] | None:
        """(chunk id, sentence): the prose sentence nearest `claim` in meaning that speaks of `tool` (names it,
        or sits in a section whose title names it alone), when at least settings.retrieval.premise_prose similar."""
        sims = self._near(claim)
        if not sims:
            return None
        near = []
        for (cid, unit), sim in sims.items():
            chunk = self.retriever.by_id[cid]
            if chunk.kind != "prose" or sim < self.settings.retrieval.premise_prose:
                continue
            title = self.vocab.compared(self.vocab.find_tools(chunk.section[-1] if chunk.section else ""))
            if tool in self.vocab.find_tools(unit) or title == [tool]:  # a title naming all three is no one's
                near.append((sim, (cid, unit)))
        return max(near)[1] if near else None

    @staticmethod
    def _move_asked(question: str, query: str, reading: Reading, context: Context, back: bool) -> tuple[str, bool]:
        """The words that name the move a migration question asks about, and whether the composer reverses it:
        the message, the previous question with it when it is elliptical; for "and going back later?" the path
        last quoted, the other way ("MLflow to W&B" -> "from W&B to MLflow"), else the previous question
        reversed."""
        if back and context.move and (not reading.tools or reading.tools == [context.topic.tool if context.topic
                                                                           else None]):
            # ("… get back out of the paid one?" names by description the tool the move went to)
            there, _, back_to = context.move.partition(" to ")
            return f"moving from {back_to} to {there}", False
        if (reading.intent == "migration" and not reading.tools and context.move and (
                context.intent == "migration" or _THE_MOVE.search(question.lower()))):
            # "do our reports come over?": the same move, the way it was asked (the topic may be where it lands);
            # "what exactly doesn't come across in the move" after a turn on another matter: the move quoted last
            there, _, to = context.move.partition(" to ")
            return f"moving from {there} to {to} {question}", False
        if reading.intent == "migration" and not reading.tools and context.weighing and not back:
            there, _, to = context.weighing.partition(" to ")  # "how long would that take?" of the move weighed
            return f"moving from {there} to {to} {question}", False
        if (reading.intent == "migration" and context.intent == "migration" and context.move
                and len(reading.tools) == 1 and _WHAT_ABOUT.match(question.lower())):
            there, _, to = context.move.partition(" to ")  # "what about ZenML as a middle route?" after "Kubeflow
            if LEAVE_IT.search(question.lower()):  # to Vertex": the same start, a new end; "and if we wanted to
                there = re.sub(r"\s*\(.*$", "", to)  # leave it for Vertex later?" leaves where the last move went
            return f"moving from {there} to {reading.tools[0]}", False
        if back and not reading.tools and context.question:
            return context.question, True
        return (query if reading.elliptical else question), back

    def _ask_again_of(self, before: str, question: str, tools: list[str]) -> str:
        """"and wandb?" after "who built mlflow": the previous question, of the new subject ("who built
        Weights & Biases"); when the previous question named no tool, or named the new one too, both side by side."""
        named = self.vocab.compared(tools)
        # only a mention of the same kind is the old subject ("does MLflow integrate with Azure ML?" then "and
        # W&B with it?": MLflow gives way, Azure ML stays)
        roles = {self.vocab.tool(t).role for t in named}
        spans = [s for s in self.vocab.spans(before) if self.vocab.tool(s[2]).role in roles]
        if not named or not spans or any(t in named for _, _, t in spans):
            return f"{before} {question}"
        name = " and ".join(self.vocab.tool(t).name for t in named)
        out, end = [], 0
        for start, stop, _ in spans:
            if start >= end:
                out += [before[end:start], name]
                end = stop
        return "".join([*out, before[end:]])

    def _route(self, reading: Reading, best_sim: float, context: Context, match: RowMatch | None = None) -> Intent:
        """How the message is answered: the reading's intent, unless nothing ties it to MLOps tooling, or a
        table row answers a question that asks for no pick ("best team size for Kubeflow vs MLflow")."""
        if reading.intent == "not_covered":
            return "not_covered"
        if reading.intent_by in (CLOSING, ACKNOWLEDGED) or reading.intent_by in self.scope.other_work_reasons:
            return "out_of_scope"
        # the tools it asks about: named, or the one under discussion ("how quickly can we get it going?")
        about = self.vocab.compared(reading.tools) or ([reading.topic.tool] if reading.topic.carried
                                                        and reading.topic.tool else [])
        # a message that describes the team wants advice; a need or worry said in passing ("we need results
        # by friday") does not make "how quickly can we get it going?" a request for a pick
        described = {k for k in reading.stated.known() if k not in IN_PASSING}
        # (a message that asks nothing and tells of the team or of someone else's, "our parent company's IT has a
        # huge Kubernetes platform team, but they won't support us", tells; no table row answers it)
        told = reading.stated.known() or reading.set_aside
        row_answers = match is not None and (reading.asks or not told) and self.table_reader.answers(
            reading.text, about, bool(described or (reading.supposed.known() and not reading.tools)),
            names_row="names the row" in match.how)
        moving = self.table_reader.about_migration(reading.text)
        # "what about W&B for us?" after a pick, "if the manager insists on open source only, what then?":
        # advice asked again, whatever row the words touch
        again = reading.intent in ("recommend", "stack") and reading.intent_by in AGAIN.values()
        # "how would you lay out the stack, then?": the stack asked of the advisor, not a table row's words
        again = again or (reading.intent == "stack" and bool(_YOUR_STACK.search(reading.normalized)))
        weighed = reading.intent == "migration" and follows_move(reading, context)
        if row_answers and not again and not weighed and (reading.intent in ("recommend", "stack", "out_of_scope") or (
                reading.intent == "migration" and not moving and not reading.tools and not reading.elliptical
                and match.row.table != MIGRATION_TABLE)):  # "how quickly can we get it going?" moves nothing
            # ("why so long?" after a move asks of that move, whatever row its question's words touch)
            reading.intent, reading.intent_by = "factual", f"a table row answers it: {match.row.label} ({match.how})"
            return "factual"
        # ("how well does it play with terraform?" after a move: a row other than a move's, named by its own name
        # and its table's words, answers it, not the move)
        own_row = (match is not None and match.row.table != MIGRATION_TABLE and "alias" in match.how
                   and "table word" in match.how)
        # (nor a feature asked across the tools: "multi-turn conversation eval specifically, which of them has it?")
        if (context.intent == "migration" and reading.intent == "factual" and not reading.tools
                and reading.topic.carried and not reading.stated.known() and not own_row
                and not (_WHICH_HAS.search(reading.normalized) and not moving)):
            reading.intent, reading.intent_by = "migration", "a follow-up to a question about a move"
            reading.elliptical = True  # the move is the previous question's ("Will our Reports come across?")
        # a message that says it changes the subject is in scope only if it names a tool or an MLOps term
        # ("unrelated, but any idea how to get AKS node pools to scale to zero overnight?": near some chunk,
        # but not about the tools)
        # ("separate question, for my own firm this time: we're three consultants building RAG chatbots" describes
        # a team: a new subject, but advice)
        if self.scope.unrelated.search(reading.text) and not (
                self.vocab.compared(reading.tools) or self.scope.terms.search(reading.text)
                or len(reading.stated.known()) >= 2):
            if reading.intent != "out_of_scope":
                reading.intent, reading.intent_by = "out_of_scope", "it says it changes the subject, to no tool"
            return "out_of_scope"
        # ("what's the catch?" about the tool under discussion: a dimension of its own ties a follow-up)
        own = bool(row_answers or again or reading.tools or reading.stated.known() or reading.supposed.known()
                   or (context.profile is not None and context.profile.known()
                       and BACK_TO_REALITY.search(reading.normalized))  # "ok but it is, back to reality"
                   or (reading.topic.own_dimension and reading.topic.carried)
                   or reading.changes or self.scope.terms.search(reading.text)
                   or self.table_reader.names_the_three(reading.text)  # "how do these three get combined?"
                   or best_sim >= self.scope.min_similarity
                   # "so which one for us?" after "how much do these things cost for a team of 10?": a short ask
                   # for the pick goes on with the conversation's subject
                   or (context.intent not in (None, "out_of_scope", "not_covered") and reading.asks
                       and reading.intent in ("recommend", "stack") and len(reading.text.split()) <= 8))
        # the conversation's subject ties a follow-up, unless it says it changes the subject ("unrelated,
        # but … pizza in Berlin?") or reads as off-topic ("btw can you recommend a good pizza place?")
        carried = bool(context.profile is not None and context.profile.known() and reading.topic.carried
                       and not self.scope.unrelated.search(reading.text))
        # ("k how much" after a pick: the price of the tool under discussion, asked in two words)
        # (not when off-topic is as likely as what won: "lol also know a good lunch spot near Shoreditch?" after a
        # cost question, a coin toss between a follow-up and an aside with nothing of its own tying it)
        off = reading.intent_scores.get("out_of_scope", 0.0)
        toss = max(reading.intent_scores.values(), default=0.0) - off < 0.05 and not reading.elliptical
        tied = own or (carried and ((off < 0.5 and not toss) or (reading.intent == "cost" and reading.elliptical)))
        if not tied:
            if reading.intent != "out_of_scope":
                reading.intent, reading.intent_by = "out_of_scope", "nothing in it is about MLOps tooling"
            return "out_of_scope"
        # a clear out-of-scope request keeps its reading whatever work words it uses ("how do I set up a
        # Kubernetes ingress for my web app?", "translate 'model registry' into French"), unless it names a
        # tool or describes the team; one fact said in passing describes no team ("a cover letter for a role
        # at a fintech", "a good GPT-4 prompt"), unless the message also speaks of MLOps
        stated = reading.stated.known()
        described = len(stated) > 1 or bool(stated and self.scope.terms.search(reading.text))
        # ("what is Katib for?" names a part of Kubeflow; "lol also know a good team lunch spot near Shoreditch?"
        # after a pick carries the subject, and nothing else ties it)
        if reading.intent == "out_of_scope" and (reading.intent_margin >= self.scope.keep_margin or not own) and not (
                self.vocab.compared(reading.tools) or self.vocab.owners(reading.tools) or described or row_answers
                or (carried and own)):
            return "out_of_scope"
        if reading.intent == "out_of_scope":  # it names a tool, states a fact or uses MLOps terms
            reading.intent, reading.intent_by = reading.runner_up(), "runner-up: the message is about MLOps"
        return TREATMENT[reading.intent]


@dataclass
class _Draft:
    answer: Answer
    blocks: Blocks
    fired: list[str]
    reading: Reading
