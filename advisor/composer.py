"""The deterministic composer: writes answers from computed decisions and verbatim passages only."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from importlib.resources import files
from typing import Literal

from advisor.answer import (
    AssumptionOut,
    CitationOut,
    CostOut,
    HingeOut,
    ReasonOut,
    RecommendationOut,
    ScoreOut,
)
from advisor.answer_types import answer_types
from advisor.chunks import Chunk, split_row, split_sentences
from advisor.corpus_data import Vocabulary, load_yaml
from advisor.profile import CORE_TOOLS, TeamProfile, say_value
from advisor.retrieval import Hit, tokenize
from advisor.rules import Citation, Contribution, Decision

Blocks = list[tuple[str, str]]
# "leave it for Vertex", "moving off that one": the move starts from the tool under discussion
LEAVE_IT = re.compile(r"\b(?:from|off|leave|leaving|out\s+of)\s+(?:it|that|this|that\s+one|this\s+one)\b")
# "move our existing MLflow runs into it": the tool under discussion is where the move goes
_INTO_IT = re.compile(r"\b(?:to|onto|into|over\s+to|across\s+to)\s+(?:it|that|this|that\s+one|this\s+one)\b"
                      r"(?!\s+(?:is|was|would|will|has)\b)")
_LANDS = re.compile(r"\b(?:onto|into|over\s+to|across\s+to|(?:consolidat|standardi[sz]|settl)\w*\s+on|"
                    r"(?:switch|mov|migrat|port|go|going|went)\w*\s+(?:\w+\s+){0,3}?to)\s+(?:the\s+)?")
# "adding it on top of our MLflow", "layer that over W&B": the tool under discussion joins the one named
_ADD_IT = re.compile(r"\b(?:add|adds|adding|added|layer|layering|bolt|bolting|put|putting)\s+"
                     r"(?:it|that|this|that\s+one|this\s+one)\s+"
                     r"(?:on\s+top\s+of|onto|over|alongside|next\s+to|to)\s+(?:our\s+|the\s+)?")
_BACK_INTO = re.compile(r"\bback\s+(?:in|on)?to\s+(?:the\s+|our\s+)?|\bback\s+over\s+to\s+(?:the\s+|our\s+)?")
_TOWARD = re.compile(r"\b(?:to|onto|into)\s+(?:the\s+)?")
_FROM_TO = re.compile(r"\b(?:from\s+((?:[\w&.-]+\s+){0,2}?[\w&.-]+)\s+(?:to|onto|over\s+to)|"
                      # "W&B back to MLflow"
                      r"((?:[\w&.-]+\s+){0,1}?[\w&.-]+)\s+back\s+(?:to|onto))\s+((?:[\w&.-]+\s*){1,3})")
# a move back the way a previous move went: "and going back later if we hate it?"
GOING_BACK = re.compile(r"\b(?:go|going|move|moving|switch|switching|come|coming|migrate|migrating|revert|"
                        r"reverting)\s+back\b|\bthe\s+other\s+way(?:\s+(?:round|around))?\b|\breverse\s+(?:it|that|the\s+move)\b|"
                        # "and the other direction?", "and the reverse?", "vice versa?"
                        r"\b(?:the\s+)?other\s+direction\b|^\W*(?:and\s+|what\s+about\s+|how\s+about\s+)?the\s+reverse\b|"
                        r"\bvice\s+versa\b|"
                        # "how hard is it to get back out of the paid one?": leaving what the move went to
                        r"\b(?:get|getting|got|pull|pulling|back)\s+(?:back\s+)?out\s+(?:of\s+(?:it|that|there|the)\b|again\b)|"
                        r"\bback\s+out\b")
_ADDITIVE = re.compile(r"\b(?:add(?:s|ed|ing)?|layer(?:s|ed|ing)?|bolt(?:s|ed|ing)?|put(?:s|ting)?)\b.*"
                       r"\b(?:on top of|onto|over|to)\b")


# words that say how the question asks, not what about: "how does W&B compare to MLflow on dashboards?" is answered
# by the sentences on dashboards, not by the section titled "How MLflow, Kubeflow and W&B compare to …"
@cache
def _asking_words() -> frozenset[str]:
    return frozenset(tokenize("compare compares compared comparing comparison versus"))


def _owns(row: str, fallback: str) -> str:
    """What each tool owns in a stack pattern, in the article's words: the row's tools and its last cell
    ("W&B + MLflow + Kubeflow. W&B: research tracking …; MLflow: handoff layer and model registry; …"),
    so the pattern is quoted, not paraphrased; `fallback` when the cited quote is not a table row."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    if len(cells) < 4:
        return fallback
    return f"{cells[1]}. {cells[-1]}."


def _row_line(table: str, label: str, pairs: list[tuple[str, str]], n: int) -> str:
    """A table row as the answer shows it: "- Comparison Dimension — Setup complexity: MLflow: Low; … [n]"."""
    shown = "; ".join(f"{h}: {c}" for h, c in pairs)
    return f"- {table} — {label}: {shown} [{n}]"


_PRONOUN = re.compile(r"^(?:It|Its|It’s|This|They|Their|These)\b")


def _with_antecedent(unit: str, chunk: Chunk) -> str:
    """A sentence that opens with a pronoun ("It is less operationally demanding than running Kubeflow…")
    quoted with the sentence before it, verbatim from the passage, so the quote says what "it" is (ZenML)."""
    if not _PRONOUN.match(unit) or chunk.kind in ("table-row", "table"):
        return unit
    text = chunk.text
    end = text.find(unit)
    if end <= 0:
        return unit
    before = split_sentences(text[:end].rstrip())
    if not before:
        return unit
    start = text.rfind(before[-1], 0, end)
    joined = text[start:end + len(unit)]
    return joined if start >= 0 and len(joined) <= 500 else unit


def _with_sequel(unit: str, chunk: Chunk) -> str:
    """A sentence quoted with the one after it when that one opens with a pronoun that points back to it ("The
    most expensive migration by far is moving off Kubeflow… Its Pipeline DSL is not portable, …"): the next
    sentence says why, and alone it would not say what "its" is."""
    if chunk.kind in ("table-row", "table"):
        return unit
    text = chunk.text
    at = text.find(unit)
    if at < 0:
        return unit
    after = split_sentences(text[at + len(unit):].lstrip())
    if not after or not _PRONOUN.match(after[0]):
        return unit
    end = text.find(after[0], at + len(unit))
    joined = text[at:end + len(after[0])]
    return joined if end >= 0 and len(joined) <= 400 else unit


def join_blocks(blocks: Blocks) -> str:
    return "\n\n".join(text for _, text in blocks)


class Citations:
    """Numbers passages in order of first use; the same quote from the same chunk keeps its number."""

    def __init__(self, chunks: dict[str, Chunk]):
        self.chunks = chunks
        self.items: list[CitationOut] = []

    def add(self, chunk_id: str, quote: str) -> int:
        for c in self.items:
            if c.chunk_id == chunk_id and c.quote == quote:
                return c.n
        section = self.chunks[chunk_id].section_path if chunk_id in self.chunks else ""
        self.items.append(CitationOut(n=len(self.items) + 1, chunk_id=chunk_id, section=section, quote=quote))
        return len(self.items)

    def cite(self, citation: Citation) -> int:
        return self.add(citation.chunk, citation.quote)


class Composer:
    def __init__(self, vocab: Vocabulary, effects: dict[str, dict[str, float]]):
        self.vocab = vocab
        self.effects = effects  # rule id -> its score deltas

    @cached_property
    def text(self) -> dict[str, str]:
        return load_yaml(files("advisor.data").joinpath("composer.yaml"))

    def name(self, tool_id: str) -> str:
        try:
            return self.vocab.tool(tool_id).name
        except KeyError:
            return tool_id

    def _names(self, ids: list[str]) -> str:
        names = [self.name(t) for t in ids]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def not_covered(self, names: list[str]) -> str:
        return self.text["not_covered_tools"].format(names=", ".join(names), them="it" if len(names) == 1 else "them")

    # ---- recommendation -----------------------------------------------------------------------

    def recommend(self, d: Decision, cites: Citations, focus: str | None = None,
                  stack_first: bool = False, challenged: str | None = None,
                  stated_rules: frozenset[str] = frozenset()) -> tuple[Blocks, dict]:
        """Named markdown blocks (head, why, avoid, conflicts, stack, cost, ...) and the structured fields.
        `stack_first`: the question asked how to combine the tools, so the stack pattern leads.
        `challenged`: the one tool the message put forward ("could we just use kubeflow, our cto loves it"); when
        the advice rules it out, the article's own words on why follow the head, from a rule that rests on facts
        the team stated (`stated_rules`) before one that rests on an assumption."""
        t = self.text
        rec = d.recommendation
        blocks: Blocks = []
        secondary = f", with {self._names(rec.secondary)} as secondary" if rec.secondary else ""
        avoid = f"; avoid {self._names(rec.avoid)} for now" if rec.avoid else ""
        head = t["recommend_head"].format(primary=self.name(rec.primary), secondary=secondary, avoid=avoid)
        deciding = d.hinges[0] if d.hinges and d.hinges[0].decides and d.hinges[0].unless else None
        if deciding is not None:  # an assumption, or something half-said, decides the pick: say so first
            key = {"half-said": "recommend_doubt", "unstated": "recommend_unstated"}.get(deciding.condition or "",
                                                                                     "recommend_unless")
            head = t[key].format(primary=self.name(rec.primary), unless=deciding.unless,
                                 alternative=self.name(deciding.primary_would_be)) + "\n" + head
        elif rec.confidence == "low":  # little said, or much said and still a close call between the rules
            head += "\n" + t["recommend_low_confidence" if len(d.profile.known()) < 3 else "recommend_close_call"]
        blocks.append(("head", head))
        if challenged in rec.avoid and (said := self._against(d.avoid_reasons.get(challenged, []),
                                                               stated_rules)) is not None:
            # (in the article's words rather than the rule's summary; a quote that is no sentence, a table cell
            # such as "W&B (unless private cloud is configured)", comes after the rule's summary)
            whole = said.citation.quote.rstrip().endswith((".", "?", "!"))
            blocks.append(("challenged", t["challenged" if whole else "challenged_cell"].format(
                tool=self.name(challenged), why=said.why, quote=said.citation.quote.strip(),
                n=cites.cite(said.citation))))

        def bullets(contribs: list[Contribution], positive: bool, limit: int = 4) -> list[str]:
            seen, out = set(), []
            for c in self._ranked(contribs, positive):
                if c.rule in seen:
                    continue
                seen.add(c.rule)
                out.append(f"- {c.why} [{cites.cite(c.citation)}]")
                if len(out) == limit:
                    break
            return out

        by_tool = {s.tool: s for s in d.scores}
        why = bullets(by_tool[rec.primary].reasons, positive=True)
        if why:
            blocks.append(("why", "\n".join([t["why_head"].format(tool=self.name(rec.primary)), *why])))
        for tool in rec.avoid:
            # (four, like the reasons for: "a 25-person team with no dedicated platform engineer is operationally
            # a small team" is why a 40-person team hears the growth-stage advice, and was the fourth)
            against = bullets(d.avoid_reasons.get(tool, []), positive=False)
            if against:
                blocks.append(("avoid", "\n".join([t["avoid_head"].format(tool=self.name(tool)), *against])))
        if d.conflicts:
            notes = [f"- {n.explain} " + "".join(f"[{cites.cite(c)}]" for c in n.cites) for n in d.conflicts]
            blocks.append(("conflicts", "\n".join([t["conflict_head"], *notes])))
        if d.stack is not None:
            why = _owns(d.stack.cite.quote, d.stack.why)
            blocks.append(("stack", t["stack"].format(pattern=d.stack.pattern, why=why, n=cites.cite(d.stack.cite))))
        cost_block, cost = self.cost(d, cites, focus)
        if cost_block is not None:
            blocks.append(cost_block)
        if d.alternatives:
            alts = [f"- {self.name(a.tool)}: {a.why} [{cites.cite(a.cite)}]" for a in d.alternatives]
            blocks.append(("alternatives", "\n".join([t["alternatives_head"], *alts])))
        mattering = [a for a in d.assumptions if a.matters]
        if mattering:
            blocks.append(("assumptions", "\n".join([t["assumptions_head"], *(f"- {a.say}." for a in mattering)])))
        if d.hinges:
            # no hypothetical numbers in the prose: every figure a user reads must be in a cited quote
            hinges = ["- " + t["hinge_line"].format(ask=h.ask, tool=self.name(h.primary_would_be))
                      for h in d.hinges[:3]]
            blocks.append(("hinges", "\n".join([t["hinges_head"], *hinges])))

        if stack_first:
            names = [n for n, _ in blocks]
            if "stack" in names:
                blocks.insert(0, blocks.pop(names.index("stack")))
        structured = {
            "recommendation": RecommendationOut(**rec.model_dump()),
            "scores": [
                ScoreOut(tool=s.tool, score=s.score, reasons=[
                    ReasonOut(rule=c.rule, delta=c.delta, why=c.why, citation=cites.cite(c.citation))
                    for c in s.reasons])
                for s in d.scores
            ],
            "assumptions": [AssumptionOut(**a.model_dump()) for a in d.assumptions],
            "hinges": [HingeOut(**h.model_dump()) for h in d.hinges],
            "cost": cost,
        }
        return blocks, structured

    def _ranked(self, contribs: list[Contribution], positive: bool) -> list[Contribution]:
        """The reasons for (or against) a tool in the order they are given: rules that are mainly about this tool
        first; a row that points elsewhere and mentions this tool in passing ("W&B, with MLflow as the model
        registry") last."""
        return sorted((c for c in contribs if (c.delta > 0) == positive and c.delta != 0),
                      key=lambda c: (not self._rule_leads(c, positive), -abs(c.delta)))

    def _against(self, contribs: list[Contribution], stated: frozenset[str]) -> Contribution | None:
        """The reason that leads the case against a tool, one resting on stated facts first, then in the order of
        its "Why not" bullets; not one whose quote is a whole table row (a list of cells the bullets cite)."""
        picked = sorted(self._ranked(contribs, positive=False), key=lambda c: c.rule not in stated)  # (stable)
        return next((c for c in picked if not c.citation.quote.lstrip().startswith("|")), None)

    def adopted(self, facts: dict) -> str:
        """The line that says which facts of a team asked about earlier are now taken as the asker's own."""
        said = "; ".join(f"{TeamProfile.title(k)}: {say_value(v)}" for k, v in facts.items())
        return self.text["adopted_team"].format(facts=said)

    def layer(self, d: Decision, asked: list[tuple[str, str]], parts: dict[str, list],
              cites: Citations) -> tuple[Blocks, dict[str, str]]:
        """For each part of a stack asked for ((name, label): "for the tracking layer, which one?"), the tool the
        article's patterns give it that the team's scores rank highest and no rule rules out, quoted from the
        pattern's row (the team's own pattern first), with its best reason when it is not the primary.
        `parts`: part -> advisor.understanding.layers.Part (each with its pattern's row, cited)."""
        t, rec = self.text, d.recommendation
        lines: list[str] = []
        picks: dict[str, str] = {}
        for name, label in asked:
            owners = list(dict.fromkeys(p.tool for p in parts.get(name, [])))
            ranked = [s.tool for s in d.scores if s.tool in owners]
            # the team's own pattern gives the part to a tool the advice keeps (primary or secondary): that one;
            # else the best-scored (a lock-in-averse team's tracker beside Kubeflow is MLflow, not the W&B of
            # the Kubernetes-native pattern, which its rules rank below zero)
            own = d.stack.pattern if d.stack is not None else None
            kept = {rec.primary, *rec.secondary}
            ranked.sort(key=lambda tool: not any(p.tool == tool and p.pattern == own and tool in kept
                                                 for p in parts.get(name, [])))
            fit = [tool for tool in ranked if tool not in d.avoid_reasons]
            if not fit:
                if ranked:  # every tool the patterns give it is ruled out for this team: say so, and why
                    lines.append(t["layer_avoided"].format(layer=label, tool=self.name(ranked[0])))
                    lines += [f"- {c.why} [{cites.cite(c.citation)}]"
                              for c in d.avoid_reasons.get(ranked[0], []) if c.delta < 0][:1]
                continue
            pick = picks[name] = fit[0]
            part = min((p for p in parts[name] if p.tool == pick), key=lambda p: p.pattern != own)
            beside = t["layer_primary"] if pick == rec.primary else t["layer_beside"].format(
                primary=self.name(rec.primary))
            lines.append(t["layer_pick"].format(layer=label, tool=self.name(pick), beside=beside))
            lines.append(t["layer_part"].format(pattern=part.pattern, tool=self.name(pick), words=part.words,
                                                n=cites.cite(part.cite)))
            if pick != rec.primary:  # the primary's reasons follow in full; another tool's best one is said here
                best = sorted((c for s in d.scores if s.tool == pick for c in s.reasons if c.delta > 0),
                              key=lambda c: (not self._rule_leads(c, True), -c.delta))
                lines += [f"- {c.why} [{cites.cite(c.citation)}]" for c in best[:1]]
        return ([("layer", "\n".join(lines))] if lines else []), picks

    def cost(self, d: Decision, cites: Citations, focus: str | None = None,
             why: Literal["discussed", "asked", "pick"] = "discussed") -> tuple[tuple[str, str] | None, CostOut | None]:
        """The article's cost estimate for the team's size, the `focus` tool first (`why` it is first: the
        tool under discussion, the one the question names, or the pick); or a request for the team size when
        it is unknown."""
        t = self.text
        if d.cost is None:
            return (("cost", t["cost_unknown"]) if d.profile.team_size is None else None), None
        figures = self._cost_figures(d.cost.cite.quote, d.cost.cite.chunk, cites)
        n = cites.cite(d.cost.cite)
        if focus in figures:  # the tool under discussion first
            figures = {focus: figures[focus]} | figures
        shown = "; ".join(f"{self.name(k)} {v}" for k, v in figures.items())
        line = t["cost_line"].format(basis=d.cost.basis, figures=shown, n=n)
        if focus in figures:
            line = t[f"cost_focus_{why}"].format(tool=self.name(focus), figure=figures[focus], n=n) + " " + line
        return ("cost", line), CostOut(band=d.cost.band, basis=d.cost.basis, figures=figures, citation=n)

    def _rule_leads(self, c: Contribution, positive: bool) -> bool:
        effects = self.effects.get(c.rule, {})
        best = max(effects.values()) if positive else min(effects.values())
        return c.delta == best if effects else True

    def _cost_figures(self, row_quote: str, chunk_id: str, cites: Citations) -> dict[str, str]:
        chunk = cites.chunks.get(chunk_id)
        header = split_row(chunk.text.splitlines()[0]) if chunk else []
        cells = split_row(row_quote)
        out = {}
        for col, cell in zip(header[1:], cells[1:], strict=False):
            tools = self.vocab.find_tools(col)
            out[tools[0] if tools else col] = cell
        return out

    # ---- factual --------------------------------------------------------------------------------

    @cached_property
    def answer_types(self) -> list[tuple[re.Pattern[str], re.Pattern[str], float]]:
        return [(t.asks, t.answers, t.weight) for t in answer_types()]

    def _typed_units(self, question: str, chunks: list[Chunk], tool: str) -> Iterator[tuple[Chunk, str]]:
        """(passage, sentence) for each prose sentence of the kind `question` asks for (answer_types.yaml) that
        speaks of `tool`, in corpus order."""
        wanted = [expects for cue, expects, _ in self.answer_types if cue.search(question)]
        if not wanted:
            return
        for c in chunks:
            if c.kind == "prose":
                for u in split_sentences(c.text.lstrip("- ")):
                    if any(p.search(u) for p in wanted) and tool in self.vocab.find_tools(u):
                        yield c, u

    def typed(self, question: str, chunks: list[Chunk], tool: str) -> list[Chunk]:
        """The prose passages with a sentence of the kind `question` asks for (answer_types.yaml) that speaks
        of `tool` ("Originally developed at Google …, Kubeflow is …" for "where did Kubeflow come from?"):
        the search ranks by shared words, and an origin or a date shares few."""
        found: dict[str, Chunk] = {}
        for c, _ in self._typed_units(question, chunks, tool):
            found.setdefault(c.id, c)
        return list(found.values())

    def typed_lines(self, question: str, chunks: list[Chunk], tool: str, cites: Citations) -> list[str]:
        """The first sentence of the kind `question` asks for that speaks of `tool` ("Built by Databricks in 2018"
        for "who made each of the three?"), quoted and cited: one line, or none."""
        for c, u in self._typed_units(question, chunks, tool):
            return [self._render_unit(u, c, cites.add(c.id, u), tool)]
        return []

    def factual(self, question: str, hits: list[Hit], cites: Citations, idf: Callable[[str], float],
                limit: int = 2, pool: int = 8, focus: str | None = None,
                dimension: re.Pattern[str] | None = None,
                near: dict[tuple[str, str], float] | None = None, gloss: tuple[str, ...] = ()) -> list[str]:
        """The sentences (or table rows) of the top passages that best answer the question.

        A unit scores the rarity (BM25 idf) of the question words it shares, doubled when it has the kind
        of text the question asks for (a price, a duration, a name: answer_types.yaml) and raised when it
        names the question's tools in its order ("from W&B to MLflow"; lowered for the reverse order).
        Earlier passages win ties. With a `focus` (the tool a follow-up is about: "how long does it take to
        set up?" after a question on Kubeflow), units about that tool rise and units about only the others sink.
        With a `dimension` (the words of what the question asks about: "how long does it take to set up?"
        asks about setup), a unit that speaks of it in any of its words ("Setup time is measured in days or
        weeks") gains as if it shared the question's rarest word.
        With `gloss` (the names a "what is …?" question asks about), a unit that glosses one ("Weave (LLM
        observability and evaluation)") answers first.
        With `near` ((chunk id, unit) -> weight: what the unit means, close to the question), a unit gains that
        weight ("Originally developed at Google …" for "where did Kubeflow come from?", which shares no rare word).
        A second unit is shown only when it scores at least half the first.
        """
        q = set(tokenize(question)) - _asking_words()
        wanted = [(expects, gain) for cue, expects, gain in self.answer_types if cue.search(question)]
        q_tools = self.vocab.find_tools(question)
        candidates: list[tuple[float, int, str, Chunk]] = []
        # a kind of answer so plain that a sentence of it about the tool asked answers first, whatever shares more
        # words or meaning ("who makes W&B?": the sentence that says who founded it)
        decisive = [p for p, gain in wanted if gain >= 4]
        subject = focus or (q_tools[0] if len(q_tools) == 1 else None)
        first: set[tuple[str, str]] = set()
        glossed = re.compile(r"\b(?:" + "|".join(map(re.escape, gloss)) + r")\s+\(", re.I) if gloss else None
        for rank, hit in enumerate(hits[:pool]):
            chunk = hit.chunk
            header = ""
            if chunk.kind in ("table-row", "table"):
                header, *units = chunk.text.splitlines()
            elif chunk.kind == "faq":  # the question it answers is context for each sentence of the answer
                header, units = chunk.text.splitlines()[0], split_sentences(chunk.text.splitlines()[-1])
            else:
                units = split_sentences(chunk.text.lstrip("- "))
            context = set(tokenize(f"{chunk.section[-1] if chunk.section else ''} {header}"))
            # (a section titled with all three, "How MLflow, Kubeflow and W&B compare to …", is no one tool's: its
            # sentences are about the tools they name)
            titled = set(self.vocab.compared(self.vocab.find_tools(chunk.section[-1] if chunk.section else ""))) \
                if focus is not None else set()
            owner = titled if len(titled) == 1 else set()
            for u in units:
                words = set(tokenize(u))
                weight = sum(idf(t) for t in q & words) + 0.5 * sum(idf(t) for t in (q & context) - words)
                if dimension is not None and dimension.search(u.lower()):
                    weight += max((idf(t) for t in q), default=0.0)
                if near is not None:
                    weight += near.get((chunk.id, u), 0.0)
                if gains := [gain for p, gain in wanted if p.search(u)]:
                    weight *= max(gains)
                if decisive and subject and weight > 0 and any(p.search(u) for p in decisive) \
                        and subject in self.vocab.find_tools(u):
                    first.add((chunk.id, u))
                if glossed is not None and glossed.search(u):
                    first.add((chunk.id, u))
                if len(q_tools) >= 2:
                    order = self.vocab.find_tools(u)[:2]
                    weight *= 1.3 if order == q_tools[:2] else 0.6 if order == q_tools[1::-1] else 1.0
                if focus is not None:
                    about = set(self.vocab.find_tools(u)) | owner
                    if focus in about or (header and focus in self.vocab.find_tools(header)):
                        weight *= 1.5
                    elif about & set(CORE_TOOLS):
                        weight *= 0.4
                # a long sentence shares words by sheer length: past 20 words, it must earn them
                weight /= 1 + max(0, len(words) - 20) / 40
                candidates.append((weight * (1.0 - 0.05 * rank), rank, u, chunk))
        candidates.sort(key=lambda x: ((x[3].id, x[2]) not in first, -x[0], x[1]))
        lines, seen, shown = [], set(), []
        best = candidates[0][0] if candidates else 0.0
        for weight, _, unit, chunk in candidates:
            if unit in seen or weight <= 0 or weight < 0.5 * best:
                continue
            seen.add(unit)
            unit = _with_sequel(_with_antecedent(unit, chunk), chunk)
            if any(unit in other for other in shown) or any(other in unit for other in shown):
                continue  # "It is less demanding…" brings the sentence before it, already quoted
            shown.append(unit)
            lines.append(self._render_unit(unit, chunk, cites.add(chunk.id, unit), focus))
            if len(lines) == limit:
                break
        # "how many github stars does mlflow have vs kubeflow": a question weighing tools is answered for each of
        # them; a tool no line names gets its best sentence, if that shares the question's words at all
        asked_tools = self.vocab.compared(q_tools)
        if len(asked_tools) < 2:
            return lines
        # (a sentence naming more tools than asked, "MLflow, Kubeflow, and W&B represent three philosophies", is
        # about all of them and answers for none)
        named = {t for u in shown if len(found := set(self.vocab.compared(self.vocab.find_tools(u))))
                 <= len(asked_tools) for t in found}
        tool_words = {w for t in asked_tools for n in (self.name(t), t, *self.vocab.tool(t).aliases)
                      for w in tokenize(n)}
        for tool in (t for t in asked_tools if t not in named):
            # (a prose sentence of that tool alone, sharing a question word besides the tools' names: one tool's
            # sentence is never another's, so none is taken twice)
            pick = next(((unit, chunk) for weight, _, unit, chunk in candidates
                         if unit not in seen and weight > 0 and chunk.kind not in ("table-row", "table")
                         and self.vocab.compared(self.vocab.find_tools(unit)) == [tool]
                         and (q - tool_words) & set(tokenize(unit))), None)
            if pick is not None:
                unit, chunk = pick
                lines.append(self._render_unit(unit, chunk, cites.add(chunk.id, unit), focus))
        return lines

    def table_rows(self, match, asked: list[str], cites: Citations) -> list[str]:
        """The row a question asks about (advisor.fact_table.RowMatch), cited whole: in a table of tools the
        asked tools' cells first, then the others for contrast; in a table of things the asked columns first.
        A close runner-up row (another dimension) follows."""
        out = []
        for row in (match.row, match.runner_up):
            if row is None:
                continue
            pairs = row.pairs()
            if row.by_tool:
                order = sorted(range(len(pairs)), key=lambda i: (row.columns[i] not in asked,
                                                                 asked.index(row.columns[i])
                                                                 if row.columns[i] in asked else i))
            else:
                wanted = match.columns if row is match.row else ()
                order = sorted(range(len(pairs)), key=lambda i: (i not in wanted, i))
            out.append(_row_line(row.table, row.label, [pairs[i] for i in order], cites.add(row.chunk, row.row)))
        return out

    def tool_cells(self, rows: list, tool: str, cites: Citations, also: tuple[str, ...] = ()) -> list[str]:
        """One tool's cell of each row (advisor.fact_table.Row), each row cited: "Kubeflow's cost" as its
        licence, infrastructure, setup and headcount cells; `also`, the cells of tools set beside it (what a
        move would save is the difference from the tool in use)."""
        out = []
        for row in rows:
            # ("Pipeline portability: N/A" says nothing of the tool asked about)
            # (the tool's own cell first, then those set beside it in the row's order)
            pairs = [pair for col, pair in sorted(zip(row.columns, row.pairs(), strict=False),
                                                  key=lambda cp: cp[0] != tool)
                     if (col == tool or col in also) and pair[1].strip() != "N/A"]
            if pairs:
                out.append(_row_line(row.table, row.label, pairs, cites.add(row.chunk, row.row)))
        return out

    def migration(self, question: str, focus: str | None, cites: Citations, previous: str | None = None,
                  reverse: bool = False, paths: list[str] | None = None) -> list[str]:
        """The migration-paths row for the move the question asks about ("from W&B to MLflow", "adding
        Kubeflow on top of MLflow", "leaving W&B"), cited; empty when no row names that move. `previous`: the
        tool the conversation was about, which "moving from it to W&B" leaves; `reverse`: the message asks for
        the move back ("and going back later if we hate it?" after "moving to W&B")."""
        low = question.lower()
        named = self.vocab.compared(self.vocab.find_tools(question))
        if previous and named and previous not in named and LEAVE_IT.search(low):
            named = [previous, *named]
            focus = previous
        elif previous and named and previous not in named and _ADD_IT.search(low):
            named = [*named, previous]  # "what does adding it on top of our MLflow involve?": it joins MLflow
            focus = previous
        elif previous and named and previous not in named and _INTO_IT.search(low):
            named = [*named, previous]
            focus = named[0]
        elif previous and len(named) == 1 and named[0] != previous and self._moves_to(low, named[0]):
            named = [previous, *named]  # "moving our traces over to Weave" after MLflow: from the tool
            focus = previous  # under discussion
        if focus and focus not in named:
            named.append(focus)
        if not named:
            return []
        src, dst = named[0], (named[1] if len(named) > 1 else None)
        if dst is None and self._moves_to(low, src) and not re.search(r"\b(?:off|leav\w*|from)\b", low):
            src, dst = None, src  # "what would moving to Kubeflow involve?": a move to it, from whatever we use
        move = _FROM_TO.search(low)  # "… moving from kubeflow to zenml": the words say which way
        said = (self.vocab.compared(self.vocab.find_tools(move.group(1) or move.group(2))),
                self.vocab.compared(self.vocab.find_tools(move.group(3)))) if move else ([], [])
        if said[0] and said[1]:
            src, dst = said[0][0], said[1][0]
        elif dst and _ADD_IT.search(low):
            pass  # (the tool named is where "it" goes: the order above holds)
        elif dst and (add := _ADDITIVE.search(low)):  # "adding Kubeflow on top of MLflow", "we run MLflow; if
            added = self.vocab.find_tools(low[add.start():add.start() + 40])[:1]  # we added Kubeflow on top of it":
            if added and added[0] in (src, dst):  # the tool after the verb is the one added
                src, dst = (dst, src) if added[0] == src else (src, dst)
            else:
                src, dst = dst, src
        # ("we already log our runs to mlflow … moving that history into W&B" moves into W&B: logging "to"
        # a tool is no move)
        elif dst == focus and len(named) == 2 and self._moves_to(low, src) and not self._moves_to(low, dst):
            src, dst = focus, src  # "moving from it to W&B", "moving our traces over to Weave": from the tool
            # under discussion
        elif dst and self._lands_on(low, src) and not self._lands_on(low, dst):
            src, dst = dst, src  # "if we consolidate onto MLflow, what do we lose migrating our W&B history?"
        back = [t for t in (src, dst) if t and self._named_after(low, _BACK_INTO, t, 20)]
        if back and dst and not (said[0] and said[1]):  # "…later wanted to move everything back into mlflow":
            src, dst = (dst, src) if src == back[0] else (src, dst)  # back to it, from the other; the words
            reverse = False  # name the way, so no move quoted before is turned round
        if dst and reverse and not (said[0] and said[1]):  # ("the other way, W&B back to MLflow" says which way)
            src, dst = dst, src
        scored = []
        for chunk in cites.chunks.values():
            if chunk.kind != "table-row" or "migration-paths" not in chunk.id:
                continue
            row = chunk.text.splitlines()[-1]
            path = split_row(row)[0]
            left, _, right = path.partition(" to ")
            if src is None:  # only where to: the rows into it
                score = 2 * (dst in self.vocab.find_tools(right))
            else:
                score = 2 * (src in self.vocab.find_tools(left)) + (dst is not None
                                                                    and dst in self.vocab.find_tools(right))
            scored.append((score, row, chunk))
        best_score = max((s for s, _, _ in scored), default=0)
        if best_score < 2:
            return []
        # equally good rows both answer ("W&B to MLflow" and "W&B to self-hosted alternative (e.g., MLflow)")
        best = [(row, chunk) for s, row, chunk in scored if s == best_score][:2]
        if paths is not None:  # which moves were quoted ("MLflow to W&B"), for the caller to remember
            paths += [split_row(row)[0] for row, _ in best]
        return [self._render_unit(row, chunk, cites.add(chunk.id, row)) for row, chunk in best]

    def _lands_on(self, low: str, tool: str) -> bool:
        """`low` names `tool` right after a word of arriving ("consolidate onto MLflow", "switching to W&B"); not
        an infinitive's "to" ("to move our MLflow runs")."""
        return self._named_after(low, _LANDS, tool, 20)

    def _moves_to(self, low: str, tool: str) -> bool:
        """`low` speaks of a move to `tool` by any of its names ("… over to weave", "into W&B")."""
        return self._named_after(low, _TOWARD, tool, 30)

    def _named_after(self, low: str, words: re.Pattern[str], tool: str, reach: int) -> bool:
        """`tool` is the first tool named within `reach` characters after one of `words` in `low`."""
        return any(self.vocab.find_tools(low[m.end():m.end() + reach])[:1] == [tool] for m in words.finditer(low))

    def premises(self, contradictions: list, cites: Citations) -> str:
        """The source's own words against each false premise (advisor.premises.Contradiction)."""
        lines, seen = [self.text["premise_head"]], set()
        for c in contradictions:
            if c.cite.quote in seen:
                continue
            seen.add(c.cite.quote)
            lines.append(self._render_unit(c.cite.quote, cites.chunks[c.cite.chunk], cites.cite(c.cite),
                                           first=c.tool))
        return "\n".join(lines)

    def _render_unit(self, unit: str, chunk: Chunk, n: int, focus: str | None = None,
                     first: str | None = None) -> str:
        """A sentence as a quote, a table row as "dimension — row: column: cell; …" (only the column of the
        tool under discussion, when the row has one: the follow-up asked about that tool; or that tool's
        column `first`, the others after it for contrast)."""
        if unit.startswith("|"):
            header = split_row(chunk.text.splitlines()[0])
            cells = split_row(unit)
            pairs = list(zip(header[1:], cells[1:], strict=False))
            if first is not None:
                pairs.sort(key=lambda hc: first not in self.vocab.find_tools(hc[0]))
            mine = [(h, c) for h, c in pairs if focus and focus in self.vocab.find_tools(h)]
            return _row_line(header[0], cells[0], mine or pairs, n)
        return f"- “{unit}” [{n}]"
