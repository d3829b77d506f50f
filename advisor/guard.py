"""Grounding guard: checks every sentence a language model writes against the passages it cites.

A small model writing answer prose from numbered verbatim passages invents things ("MLflow is
specifically designed for Kubernetes [1]"). The guard splits the answer into sentences (markdown bullets,
"[1][2]" markers, "e.g.", decimals and price ranges survive), checks each one and drops those that fail:

(a) every [n] exists;
(b) every figure (number, price, percentage, version, year, range, "eight engineers") is in the cited
    passages, as the same kind of figure with the same unit, or among the engine's computed numbers;
(c) every tool or product named (the vocabulary, the tools the corpus does not cover, and capitalised
    product-like names) is in the cited passages, or is a tool of the computed decision when the sentence
    states the recommendation;
(d) the sentence's content words overlap the cited passages enough; a capability claim ("X supports /
    has / is designed for / integrates with Y") must tie X to Y in the passages, and its polarity
    ("does not", "no native") and gradable words (low/high, thin/strong) must agree with the passage;
(e) a sentence that tells the user which tool to use agrees with the computed recommendation;
(f) a sentence without a citation makes no factual claim.

Passages are read with attribution: a table row (the guard knows each table's header) is split into one
clause per cell, owned by its column's tool, and prose is split into clauses owned by the tool that is
their subject (a clause opening with "it" or naming no tool inherits the previous subject). A claim about
a tool is checked against the clauses about that tool, so a figure or capability moved from one tool to
another fails even when both sit in the same passage.

Deterministic, no model calls; thresholds are constructor parameters, tuned on evals/guard_sentences.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from advisor.answer import Answer, CitationOut
from advisor.corpus_data import Vocabulary
from advisor.retrieval import stem, tokenize

# ---- results -----------------------------------------------------------------------------------------


class GroundingFacts(BaseModel):
    """What the computed side allows a sentence to state without a passage."""

    primary: str | None = None
    secondary: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    numbers: list[str] = Field(default_factory=list, description="Figures the engine computed (scores, sizes).")
    tool_ids: list[str] = Field(default_factory=list, description="Tools in the decision (scored or named).")

    @property
    def decision_tools(self) -> set[str]:
        return {*self.tool_ids, *self.secondary, *self.avoid, *([self.primary] if self.primary else [])}

    @classmethod
    def from_answer(cls, answer: Answer) -> GroundingFacts:
        """The facts an answer's computed fields allow: recommendation, scores and the profile's numbers."""
        rec = answer.recommendation
        numbers = [str(s.score) for s in answer.scores]
        numbers += [str(v) for v in answer.profile.values() if isinstance(v, int | float) and not isinstance(v, bool)]
        return cls(primary=rec.primary if rec else None, secondary=list(rec.secondary) if rec else [],
                   avoid=list(rec.avoid) if rec else [], numbers=numbers,
                   tool_ids=[s.tool for s in answer.scores])


class SentenceVerdict(BaseModel):
    sentence: str
    citations: list[int]
    ok: bool
    problems: list[str] = Field(default_factory=list)


class GuardResult(BaseModel):
    verdicts: list[SentenceVerdict]
    kept_text: str = Field(description="The answer without the failed sentences; [n] markers and lines kept.")
    dropped: list[str]
    kept_ratio: float
    grounded: bool = Field(description="True when no sentence was dropped.")


# ---- text normalisation ------------------------------------------------------------------------------

_CHARS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "\u00a0": " ", "‑": "-", "‐": "-"})
_CONTRACTIONS = (
    (re.compile(r"\bcan't\b", re.I), "cannot"), (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"\b(\w+)n't\b", re.I), r"\1 not"), (re.compile(r"\b(it|that|there|what)'s\b", re.I), r"\1 is"),
    (re.compile(r"\b(\w+)'re\b", re.I), r"\1 are"), (re.compile(r"\b(\w+)'ve\b", re.I), r"\1 have"),
    (re.compile(r"\b(\w+)'ll\b", re.I), r"\1 will"),
)
_MARKDOWN = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_MARKER = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\]")


def _normalise(text: str) -> str:
    text = text.translate(_CHARS)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return text


def _markers(text: str) -> list[int]:
    out: list[int] = []
    for m in _MARKER.finditer(text):
        for part in re.split(r"\s*,\s*", m.group(1)):
            ends = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x]
            nums = range(ends[0], ends[-1] + 1) if len(ends) == 2 and ends[1] - ends[0] < 20 else ends
            out.extend(n for n in nums if n not in out)
    return out


# ---- words -------------------------------------------------------------------------------------------

_STOP_EXTRA = (
    "also just like really very quite rather roughly about around approximately usually typically often generally "
    "overall both either such other others well much many thing things way ways kind example than then only "
    "even still yet already into onto upon within across among while whereas although though because since so "
    "there here been being would could might may must shall can all any each every some own one ones per via "
    "without whether once until unless after before up out off too likewise"
)
# Words that frame a sentence rather than carry a checkable fact: the recommendation's vocabulary, verbs of
# having and reporting, generic nouns. They count neither for nor against overlap.
_GENERIC = (
    "tool platform option choice solution product article source passage say state note mention according "
    "recommend recommendation suggest suggestion advise advice consider go start begin pick choose opt primary "
    "secondary best better fit good right ideal great solid you your we our i my me let know tell now later "
    "ahead behind score rank come against point compute team teams hold avoid skip "
    "has have had having offer provide include support feature give bring get take use make find see look "
    "mlops machine learning ml ai"
)
# Surface words that mean the same for grounding purposes; each group maps onto its first word's stem.
_SYNONYM_GROUPS = (
    "native natively built-in builtin inbuilt",
    "cost costs price prices pricing priced fee fees charge charges spend spending pay",
    "cheap cheaper cheapest inexpensive affordable low-cost",
    "expensive costly pricey pricier",
    "setup set-up set install installation installing installed configure configuring stand",
    "fast faster fastest quick quicker quickest quickly rapid rapidly speed speedy",
    "easy easier easiest simple simpler simplest simplicity straightforward",
    "hard harder hardest difficult difficulty steep steeper",
    "dashboard dashboards chart charts visualization visualisation visualizations visual visually",
    "track tracks tracking tracked log logs logging logged",
    "orchestration orchestrate orchestrates orchestrator orchestrators orchestrating scheduling schedule "
    "schedules scheduled scheduler",
    "leave leaving exit exiting migrate migrating migration migrations switch switching move moving moved",
    "user users seat seats",
    "organization organizations organisation organisations organizational organisational company companies",
    "require requires required requirement requirements need needs needed",
    "run runs running operate operates operating",
    "large larger largest big bigger biggest huge",
    "small smaller smallest",
    "strong stronger strongest robust comprehensive extensive enterprise-grade rich",
    "build building builds built develop developed development create created made",
    "found founded founder founders",
    "release released releases ship shipped ships launch launched",
    "limit limits limited limiting restrictive restricted restrict",
    "portable portability",
    "lose loses losing loss",
    "high higher highest",
    "low lower lowest",
    "free",
    "proprietary closed-source",
    "open open-source",
)
# Gradable words a model flips: a sentence clause with one side against a passage clause with only the other.
_ANTONYMS = (
    ("low", "high"), ("cheap", "expensive"), ("easy", "hard"), ("fast", "slow"), ("strong", "weak"),
    ("strong", "thin"), ("strong", "minimal"), ("best", "worst"), ("most", "least"), ("more", "less"),
    ("more", "fewer"), ("free", "paid"), ("open", "proprietary"), ("small", "large"), ("generous", "limit"),
    ("unlimited", "limit"), ("good", "wrong"), ("right", "wrong"), ("ideal", "wrong"), ("under", "over"),
    ("polished", "dated"), ("modern", "dated"), ("polished", "limit"), ("high", "none"),
)
_NEGATION = re.compile(r"\b(?:not|no|never|none|cannot|neither|nor|lacks?|lacking|n/a)\b", re.I)
_NOT_BUT = re.compile(r"\bnot\b(?:(?!\bbut\b).)*\bbut\b", re.I)
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely)\b|,\s+not\b", re.I)  # "A, not B" asserts A
# A negation inside a condition or an adverbial/relative clause qualifies the claim, it does not deny it:
# "the strongest baseline for environments where data cannot leave", "If not, Kubeflow is the wrong ...".
_LEADING_CONDITION = re.compile(r"^\W*(?:if|when|whenever|unless|once|although|though|while)\b[^,]*,", re.I)
_SUBORDINATE = re.compile(r"(?<=\w)\W+(?:where|when|whenever|if|unless|until|who|whose)\b.*$", re.I)


def _stems(words: str) -> list[str]:
    return [stem(w.lower()) for w in words.split()]


_CANON: dict[str, str] = {}
for _group in _SYNONYM_GROUPS:
    _head = stem(_group.split()[0])
    for _w in _group.split():
        _CANON.setdefault(stem(_w), _head)
_IGNORED = frozenset(_stems(_STOP_EXTRA)) | frozenset(_stems(_GENERIC)) | frozenset(
    ("not", "no", "never", "none", "cannot", "neither", "nor", "lack", "n/a"))
_ANTONYM_OF: dict[str, set[str]] = {}
for _a, _b in _ANTONYMS:
    _ca, _cb = _CANON.get(stem(_a), stem(_a)), _CANON.get(stem(_b), stem(_b))
    _ANTONYM_OF.setdefault(_ca, set()).add(_cb)
    _ANTONYM_OF.setdefault(_cb, set()).add(_ca)


def _canon(token: str) -> str:
    return _CANON.get(token, token)


def _all_words(text: str) -> set[str]:
    """Every word as a canonical stem, digits and framing included (for gradable-word checks)."""
    return {_canon(t) for t in tokenize(text) if not any(c.isdigit() for c in t)}


def _content(text: str) -> set[str]:
    """Content words: canonical stems without stop words, framing words, negations and figures."""
    out = set()
    for tok in tokenize(text):
        if len(tok) < 3 or any(c.isdigit() for c in tok) or tok in _IGNORED:
            continue
        c = _canon(tok)
        if c not in _IGNORED:
            out.add(c)
    return out


def _negative(text: str) -> bool:
    text = _NOT_ONLY.sub(" ", _NOT_BUT.sub(" ", _normalise(text)))
    text = _SUBORDINATE.sub(" ", _LEADING_CONDITION.sub(" ", text))
    return bool(_NEGATION.search(text))


def _matches(token: str, pool: set[str], prefixes: dict[str, list[str]]) -> bool:
    if token in pool:
        return True
    if len(token) < 5:
        return False
    for other in prefixes.get(token[:5], ()):
        common = len(_common_prefix(token, other))
        if common >= max(5, math.ceil(0.75 * min(len(token), len(other)))):
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


def _prefix_index(tokens: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for t in tokens:
        if len(t) >= 5:
            index.setdefault(t[:5], []).append(t)
    return index


# ---- figures -----------------------------------------------------------------------------------------

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_NUMBER_WORDS |= {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_WORD_NUM = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
           "trillion": 1e12}
_ATOM = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)(?P<cur>(?:US)?\$\s?)?"
    rf"(?:(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<word>(?:{_WORD_NUM})(?:-(?:{_WORD_NUM}))?)(?![\w]))"
    r"(?P<scale>\s?(?:thousand|million|billion|trillion|bn|mn|[kKMB])(?![A-Za-z]))?"
    r"(?P<pct>\s?%|\s+percent\b)?(?P<plus>\+)?",
    re.I,
)
_RANGE_SEP = re.compile(r"^\s*(?:–|—|-|to|through)\s*$", re.I)
_BETWEEN = re.compile(r"between\s*$", re.I)
_TIME_UNIT = re.compile(
    r"^[\s+]*(?:(?:/|per\s+|a\s+|an\s+|each\s+)?(?:user|seat|person|engineer)s?\s*)?(?:/|per\s+|a\s+|an\s+|each\s+)?"
    r"(?P<unit>hours?|days?|weeks?|months?|years?)\b", re.I)
_COUNT_UNIT = re.compile(
    r"^[\s-]*(?:(?:full-time|active|dedicated|more|additional|extra|production|ml|data|platform|devops)\s+){0,2}"
    r"(?:people|persons?|engineers?|users?|seats?|members?|scientists?|weeks?|days?|months?|years?|hours?|"
    r"minutes?|percent|times|pipelines?|stars?|levels?|ftes?|pillars?|components?)\b", re.I)
_MONEY_WORD = re.compile(r"^\s*(?:dollars?|usd)\b", re.I)


@dataclass(frozen=True)
class Figure:
    text: str
    low: float
    high: float | None
    kind: str  # money | percent | plain
    unit: str | None
    start: int
    end: int

    def key(self) -> str:
        return self.text


def _atom_value(m: re.Match[str]) -> float:
    if m.group("num"):
        value = float(m.group("num").replace(",", ""))
    else:
        parts = m.group("word").lower().split("-")
        value = float(sum(_NUMBER_WORDS[p] for p in parts))
    scale = (m.group("scale") or "").strip()
    if scale:
        key = scale.lower() if len(scale) > 1 else scale.lower()
        if not (len(scale) == 1 and scale in "mM" and not m.group("cur")):  # "5 m" is metres, not millions
            value *= _SCALES.get(key, 1.0)
    return value


def extract_figures(text: str, *, words_need_unit: bool = True) -> list[Figure]:
    """Numbers, prices, percentages, versions, years and ranges in `text` (markers already removed).

    Number words count only in a range or before a unit ("eight engineers", "two to four weeks"), so a
    reference such as "the three tools" is not a figure. With `words_need_unit=False` (passages) every
    number word counts, so a sentence's "8 engineers" finds the passage's "eight engineers".
    """
    atoms = list(_ATOM.finditer(text))
    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        j = i
        if i + 1 < len(atoms) and _RANGE_SEP.match(text[a.end():atoms[i + 1].start()]):
            j = i + 1
        elif (i + 1 < len(atoms) and text[a.end():atoms[i + 1].start()].strip().lower() == "and"
              and _BETWEEN.search(text[:a.start()])):
            j = i + 1
        b = atoms[j]
        tail = text[b.end():b.end() + 40]
        low, high = _atom_value(a), (_atom_value(b) if j > i else None)
        money = bool(a.group("cur") or b.group("cur") or _MONEY_WORD.match(tail))
        pct = bool(a.group("pct") or b.group("pct"))
        from_words = not a.group("num") and not b.group("num")
        if from_words and words_need_unit and j == i and not _COUNT_UNIT.match(tail):
            i += 1
            continue
        unit_m = _TIME_UNIT.match(tail)
        unit = unit_m.group("unit").lower().rstrip("s") if unit_m else None
        kind = "money" if money else "percent" if pct else "plain"
        figures.append(Figure(text=text[a.start():b.end()].strip(), low=low, high=high, kind=kind, unit=unit,
                              start=a.start(), end=b.end()))
        i = j + 1
    return figures


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def _figure_supported(fig: Figure, pool: Iterable[Figure]) -> bool:
    for p in pool:
        if fig.kind != "plain" and p.kind != fig.kind:
            continue
        if fig.unit and p.unit and fig.unit != p.unit:
            continue
        if fig.high is None:
            if _same(fig.low, p.low) or (p.high is not None and _same(fig.low, p.high)):
                return True
        elif p.high is not None and _same(fig.low, p.low) and _same(fig.high, p.high):
            return True
    return False


# ---- sentence splitting ------------------------------------------------------------------------------

_LINE_PREFIX = re.compile(r"^(\s*(?:(?:[-*+•]|\d+[.)])\s+|#{1,6}\s+|>\s*)*)")
_BOUNDARY = re.compile(
    r"([.!?]+)([\"'”’)\]]*)((?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\])*)(\s+|$)(?=[\"“'(*_A-Z0-9]|\[(?!\d)|$)")
_ABBREVIATIONS = frozenset("e.g i.e etc vs approx cf al mr mrs ms dr inc ltd co jr sr st no fig eq".split())


def split_sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in one line; a trailing [n] marker stays with its sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        if m.start() < start:
            continue
        before = line[start:m.start()]
        word = re.search(r"(\S+)$", before)
        last = word.group(1).lower().lstrip("([\"'") if word else ""
        if m.group(1) == "." and (last in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last)):
            continue
        end = m.end(3)
        if line[start:end].strip():
            spans.append((start, end))
        start = m.end(4)
    if line[start:].strip():
        spans.append((start, len(line.rstrip())))
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # a span of markers alone ("... teams. [1]") belongs to the sentence before it
        if merged and not _MARKER.sub("", line[s:e]).strip(" .;,"):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(s + len(line[s:e]) - len(line[s:e].lstrip()), e) for s, e in merged]


def _split_clauses(text: str, fine: bool = False, colon: bool = True) -> list[tuple[int, int]]:
    seps = r";\s+|\s+[—–-]{1,2}\s+|,\s+(?:but|while|whereas|although|though|so|since|because|and)\s+|\s+because\s+"
    if colon:
        seps += r"|:\s+"
    if fine:
        seps += r"|,\s+"
    spans, start = [], 0
    for m in re.finditer(seps, text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# ---- tools and names ---------------------------------------------------------------------------------

_PREPOSITION_BEFORE = re.compile(
    r"\b(?:on|with|via|through|in|for|from|to|by|at|than|like|as|over|into|onto|of|under|unlike|alongside|"
    r"including|and|or|nor|versus|vs)\s+(?:(?:the|a|an|managed|standalone|self-hosted|native)\s+)?$", re.I)
_PRONOUN_START = re.compile(r"^\W*(?:it|its|it is|they|their|this|these|which|that)\b", re.I)
_GENERIC_CAPS = frozenset(
    "i ai ml llm llms mlops ui ux api apis sdk sdks gpu gpus cpu ftes fte saas oss devops genai ci cd ci/cd faq "
    "it vm vms dsl tco roi ok q&a etl rag poc level yes no".split())
_SIMPLE_CAP = re.compile(r"^[A-Z][a-z]*$")
_WORD = re.compile(r"[A-Za-z0-9\x00][A-Za-z0-9&+.'/\x00-]*")


def _alias_pattern(aliases: list[str], exact: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])(?:{alts})(?![\w&])", 0 if exact else re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    tool: str  # tool id, or "!Name" for a tool the corpus does not cover


# ---- passages ----------------------------------------------------------------------------------------


@dataclass
class _Clause:
    text: str
    tokens: frozenset[str]
    words: frozenset[str]
    owners: frozenset[str]
    mentions: frozenset[str]
    negative: bool
    figures: tuple[Figure, ...]
    passage: int


@dataclass
class _Passage:
    n: int
    text: str
    clauses: list[_Clause]
    tools: frozenset[str]
    names: frozenset[str]
    figures: tuple[Figure, ...] = ()

    def view(self, tools: Iterable[str]) -> list[_Clause]:
        wanted = set(tools)
        if not wanted:
            return self.clauses
        return [c for c in self.clauses if not c.owners or c.owners & wanted]


@dataclass
class _Sentence:
    raw: str
    body: str  # normalised, markdown and markers removed
    cites: list[int]
    mentions: list[Mention]
    tools: list[str]
    figures: list[Figure]
    problems: list[str] = field(default_factory=list)


# ---- recommendations ---------------------------------------------------------------------------------

_USER_FRAME = re.compile(
    r"\b(?:you|your|yours|i\s+(?:would\s+)?(?:recommend|suggest|advise)|we\s+(?:would\s+)?(?:recommend|suggest|"
    r"advise)|my\s+recommendation|recommendation\s*:)", re.I)
_REC_POSITIVE = re.compile(
    r"\b(?:recommend(?:s|ed)?|suggest(?:s|ed)?|recommendation\s*:|go\s+with|start(?:ing)?\s+with|begin\s+with|"
    r"stick\s+with|opt\s+for|(?<!the )pick|choose|adopt|use|as\s+(?:your|the)\s+(?:primary|main|core)|"
    r"(?:best|right|better|ideal|strongest|recommended)\s+"
    r"(?:choice|fit|option|pick|tool|platform|starting\s+point|bet))\b", re.I)
_REC_NEGATIVE = re.compile(
    r"\b(?:avoid|steer\s+clear\s+of|skip|hold\s+off\s+on|(?:do|should)\s+not\s+(?:use|start\s+with|pick|choose|"
    r"adopt|go\s+with)|not\s+recommend|against|wrong\s+(?:choice|starting\s+point|fit|place\s+to\s+start|tool)|"
    r"not\s+(?:a\s+)?(?:good|right)\s+fit)\b", re.I)
_IMPERATIVE = re.compile(
    r"^\W*(?:start|begin|go|stick|use|adopt|pick|choose|opt|try|consider|avoid|skip|hold|add|pair|keep)\b", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|once|when|unless|until|after|should\s+you|whether|could|might|may)\b", re.I)
_SECONDARY_CUE = re.compile(r"\b(?:secondary|alongside|add|adding|pair|complement|on\s+top|together\s+with|"
                            r"later|as\s+well)\b", re.I)
_CLAIM_VERB = re.compile(
    r"\b(?:supports?|supported|offers?|offered|provides?|provided|has|have|had|includes?|included|integrates?|"
    r"integrated|handles?|handled|manages?|runs?|works?\s+with|requires?|required|needs?|needed|lacks?|lacking|"
    r"costs?|charges?|scales?|ships?|shipped|comes?\s+with|designed|built|optimi[sz]ed|made\s+for|developed|"
    r"founded|licensed|released|launched|added|certified|compliant|holds?|tracks?|serves?|orchestrates?|"
    r"natively|native|open[- ]source|proprietary)\b", re.I)


class GroundingGuard:
    """Checks generated sentences against cited passages and the computed decision; see the module doc."""

    def __init__(self, vocab: Vocabulary, *, min_overlap: float = 0.5, min_claim_overlap: float = 0.5,
                 polarity_overlap: float = 0.5, tables: Mapping[str, str] | None = None, cache_size: int = 512):
        """`min_overlap`: share of a cited sentence's content words found in the passages (about the tools
        it names); `min_claim_overlap`: the same for capability claims; `polarity_overlap`: how well a
        passage clause must match a sentence clause before their polarity and gradable words are compared.
        `tables`: table row line -> header line, so a quoted row can be read by column (see from_corpus)."""
        self.vocab = vocab
        self.min_overlap = min_overlap
        self.min_claim_overlap = min_claim_overlap
        self.polarity_overlap = polarity_overlap
        self.tables = {self._row_key(k): v for k, v in (tables or {}).items()}
        self._patterns = [(t.id, _alias_pattern(t.aliases, t.exact)) for t in vocab.tools]
        self._uncovered = [(u.name, _alias_pattern(u.aliases, True)) for u in vocab.uncovered]
        self._cache: dict[tuple[int, str, str], _Passage] = {}
        self._cache_size = cache_size

    @classmethod
    def from_corpus(cls, corpus_dir: Path, **kwargs: float) -> GroundingGuard:
        """A guard that knows the corpus vocabulary and every table's header (for quoted table rows)."""
        from advisor.chunks import load_corpus

        vocab = Vocabulary.load(corpus_dir)
        tables: dict[str, str] = {}
        for chunk in load_corpus(corpus_dir, vocab).chunks:
            if chunk.kind == "table-row":
                lines = chunk.text.splitlines()
                if len(lines) == 2:
                    tables[lines[1]] = lines[0]
        return cls(vocab, tables=tables, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def _row_key(line: str) -> str:
        return re.sub(r"\s+", " ", line.strip())

    def name(self, tool_id: str) -> str:
        if tool_id.startswith("!"):
            return tool_id[1:]
        try:
            return self.vocab.tool(tool_id).name
        except KeyError:
            return tool_id

    # ---- public API ----------------------------------------------------------------------------------

    def check(self, text: str, citations: Mapping[int, str | CitationOut], facts: GroundingFacts) -> GuardResult:
        passages = {n: self._passage(n, c) for n, c in citations.items()}
        lines = text.splitlines()
        verdicts: list[SentenceVerdict] = []
        plan: list[tuple[str, list[tuple[str, bool]]] | None] = []
        for line in lines:
            prefix = _LINE_PREFIX.match(line).group(1)  # type: ignore[union-attr]
            rest = line[len(prefix):]
            spans = split_sentences(rest)
            if not spans:
                plan.append(None)
                continue
            parts = []
            sentences = [rest[s:e].strip() for s, e in spans]
            for k, sentence in enumerate(sentences):
                # A sentence without markers is checked against the markers that close its paragraph line
                # ("... on-premises, but ... . Its screening question ... [9][10]").
                later = next((c for c in map(_markers, sentences[k + 1:]) if c), None)
                verdict = self.check_sentence(sentence, passages, facts, inherit=later)
                verdicts.append(verdict)
                parts.append((sentence, verdict.ok))
            plan.append((prefix, parts))
        kept_lines = self._rebuild(lines, plan)
        dropped = [v.sentence for v in verdicts if not v.ok]
        total = len(verdicts)
        return GuardResult(verdicts=verdicts, kept_text="\n".join(kept_lines).strip("\n"), dropped=dropped,
                           kept_ratio=(total - len(dropped)) / total if total else 1.0, grounded=not dropped)

    def check_sentence(self, sentence: str, passages: Mapping[int, _Passage | str | CitationOut],
                       facts: GroundingFacts, inherit: list[int] | None = None) -> SentenceVerdict:
        """One sentence (with its [n] markers) against the passages; `passages` may hold raw quotes.
        `inherit`: markers to check a sentence without its own against (those closing its paragraph)."""
        ready = {n: p if isinstance(p, _Passage) else self._passage(n, p) for n, p in passages.items()}
        s = self._sentence(sentence)
        if not s.cites and inherit:
            s.cites = list(inherit)
        self._judge(s, ready, facts)
        return SentenceVerdict(sentence=sentence, citations=s.cites, ok=not s.problems, problems=s.problems)

    # ---- rebuilding the text -------------------------------------------------------------------------

    @staticmethod
    def _rebuild(lines: list[str], plan: list[tuple[str, list[tuple[str, bool]]] | None]) -> list[str]:
        out: list[str | None] = []
        removed = [False] * len(lines)
        for i, (line, item) in enumerate(zip(lines, plan, strict=True)):
            if item is None:
                out.append(line)
                continue
            prefix, parts = item
            kept = [s for s, ok in parts if ok]
            if len(kept) == len(parts):
                out.append(line)
            elif kept:
                out.append(prefix + " ".join(kept))
            else:
                out.append(None)
                removed[i] = True
        # A lead-in line ("Why MLflow:") whose list items were all dropped goes too.
        for i, line in enumerate(lines):
            if out[i] is None or not line.rstrip().endswith(":"):
                continue
            j, items, survivors = i + 1, 0, 0
            while j < len(lines) and lines[j].strip() and _LINE_PREFIX.match(lines[j]).group(1).strip():  # type: ignore[union-attr]
                items += 1
                survivors += out[j] is not None
                j += 1
            if items and not survivors:
                out[i] = None
        result: list[str] = []
        for line in out:
            if line is None:
                continue
            if not line.strip() and result and not result[-1].strip():
                continue
            result.append(line)
        return result

    # ---- reading passages ----------------------------------------------------------------------------

    def _mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for tid, pat in self._patterns:
            found += [Mention(m.start(), m.end(), tid) for m in pat.finditer(text)]
        for name, pat in self._uncovered:
            found += [Mention(m.start(), m.end(), "!" + name) for m in pat.finditer(text)]
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out

    def _subject(self, text: str, mentions: list[Mention]) -> str | None:
        """The first tool that is not the object of a preposition ("on Databricks", "with MLflow")."""
        for m in mentions:
            if not _PREPOSITION_BEFORE.search(text[:m.start]):
                return m.tool
        return None

    def _passage(self, n: int, citation: str | CitationOut) -> _Passage:
        quote, section = (citation.quote, citation.section) if isinstance(citation, CitationOut) else (citation, "")
        if isinstance(citation, Mapping):  # {quote, section} as in the labelled set
            quote, section = citation.get("quote", ""), citation.get("section", "")  # type: ignore[union-attr]
        key = (n, quote, section)
        if key in self._cache:
            return self._cache[key]
        passage = self._read_passage(n, quote, section)
        if len(self._cache) >= self._cache_size:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = passage
        return passage

    def _read_passage(self, n: int, quote: str, section: str) -> _Passage:
        heading = section.split(">")[-1].split(":")[0].strip() if section else ""
        heading_tools = {m.tool for m in self._mentions(heading)}
        default_subject = next(iter(heading_tools)) if len(heading_tools) == 1 else None
        lines = [ln for ln in quote.splitlines() if ln.strip()]
        rows = [ln for ln in lines if ln.strip().startswith("|")]
        clauses: list[_Clause] = []
        tools: set[str] = set(heading_tools) if default_subject else set()
        if rows and len(rows) == len(lines):
            header = self.tables.get(self._row_key(rows[0])) if len(rows) == 1 else rows[0]
            body_rows = rows if len(rows) == 1 else rows[1:]
            for row in body_rows:
                clauses += self._row_clauses(n, row, header, tools)
        else:
            clauses = self._prose_clauses(n, _normalise(quote), default_subject, tools)
        headers = " ".join(self.tables.get(self._row_key(r), "") for r in rows)
        words = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", " ".join((quote, section, headers)))}
        figures = tuple(f for c in clauses for f in c.figures)
        return _Passage(n=n, text=quote, clauses=clauses, tools=frozenset(tools), names=frozenset(words),
                        figures=figures)

    def _clause(self, n: int, text: str, polarity_text: str, owners: set[str], mentions: set[str]) -> _Clause:
        return _Clause(text=text, tokens=frozenset(_content(text)), words=frozenset(_all_words(text)),
                       owners=frozenset(owners), mentions=frozenset(mentions), negative=_negative(polarity_text),
                       figures=tuple(extract_figures(text, words_need_unit=False)), passage=n)

    def _row_clauses(self, n: int, row: str, header: str | None, tools: set[str]) -> list[_Clause]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        heads = [c.strip() for c in header.strip().strip("|").split("|")] if header else []
        if len(heads) != len(cells):
            heads = [""] * len(cells)
        label, label_head = cells[0], heads[0]
        label_tools = {m.tool for m in self._mentions(label)}
        tools |= label_tools
        context = f"{label_head}: {label}" if label_head else label
        out = []
        for head, cell in zip(heads[1:], cells[1:], strict=True):
            column = [m.tool for m in self._mentions(head)]
            if column:
                tools.update(column)
                for s, e in _split_clauses(cell, colon=False):  # "Limited UI depth; no native alerting"
                    part = cell[s:e]
                    mentioned = {m.tool for m in self._mentions(part)}
                    tools |= mentioned
                    out.append(self._clause(n, f"{context}; {head}: {part}", part,
                                            {column[0], *label_tools}, {column[0], *mentioned}))
                continue
            for s, e in _split_clauses(cell):  # "MLflow: tracking layer; Kubeflow: orchestration backbone"
                part = cell[s:e]
                mentioned = {m.tool for m in self._mentions(part)}
                tools |= mentioned
                text = f"{context}; {head}: {part}" if head else f"{context}; {part}"
                out.append(self._clause(n, text, part, mentioned | label_tools, mentioned))
        if not out:
            out.append(self._clause(n, context, label, label_tools, label_tools))
        return out

    def _prose_clauses(self, n: int, text: str, subject: str | None, tools: set[str]) -> list[_Clause]:
        out = []
        for s0, e0 in split_sentences(text):
            sentence = text[s0:e0]
            lead_negative = False
            for s, e in _split_clauses(sentence):
                part = sentence[s:e]
                mentions = self._mentions(part)
                mentioned = {m.tool for m in mentions if not m.tool.startswith("!")}
                tools |= mentioned
                own = None if _PRONOUN_START.match(part) else self._subject(part, mentions)
                if own is not None:
                    subject = own
                owners = mentioned | ({subject} if subject else set())
                clause = self._clause(n, part, part, owners, mentioned)
                if lead_negative:  # "When NOT to use Kubeflow: your team has fewer than two engineers ..."
                    clause.negative = True
                elif sentence[e:e + 1] == ":" and clause.negative:
                    lead_negative = True
                out.append(clause)
        return out

    # ---- reading a sentence --------------------------------------------------------------------------

    def _sentence(self, raw: str) -> _Sentence:
        cites = _markers(raw)
        body = _MARKER.sub(" ", raw)
        body = _LINE_PREFIX.sub("", body)
        body = _MARKDOWN.sub("", _normalise(body))
        body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]+", " ", body)).strip()
        mentions = self._mentions(body)
        tools = list(dict.fromkeys(m.tool for m in mentions))
        return _Sentence(raw=raw, body=body, cites=cites, mentions=mentions, tools=tools,
                         figures=extract_figures(body))

    def _masked(self, s: _Sentence, spans: Iterable[tuple[int, int]] = ()) -> str:
        chars = list(s.body)
        for m in s.mentions:
            chars[m.start:m.end] = " " * (m.end - m.start)
        for a, b in spans:
            chars[a:b] = " " * (b - a)
        return "".join(chars)

    def _unknown_names(self, s: _Sentence, known: frozenset[str]) -> list[str]:
        """Capitalised product-like names in the sentence that the passages never mention."""
        chars = list(s.body)
        for m in s.mentions:
            chars[m.start:m.end] = "\x00" * (m.end - m.start)
        text = "".join(chars)
        names: list[list[tuple[int, int]]] = []
        last_end = -10
        for m in _WORD.finditer(text):
            word = m.group(0).rstrip(".'/-")
            word = re.sub(r"'s$", "", word)
            if "\x00" in word or not any(c.isupper() for c in word):
                continue
            before = text[:m.start()].rstrip(" \"'(*")
            initial = not before or before[-1] in ".:;!?-—–(\"" or before.endswith("\x00:")
            if initial and _SIMPLE_CAP.match(word):
                continue
            if word.lower() in _GENERIC_CAPS:
                continue
            parts = [p for p in re.split(r"[^A-Za-z0-9]+", word) if any(c.isupper() for c in p)]
            if all(p.lower() in known or p.lower() in _GENERIC_CAPS for p in parts):
                continue
            if names and m.start() - last_end <= 1:
                names[-1].append((m.start(), m.start() + len(word)))
            else:
                names.append([(m.start(), m.start() + len(word))])
            last_end = m.start() + len(word)
        out = []
        for group in names:
            a, b = group[0][0], group[-1][1]
            for mention in s.mentions:  # "SageMaker Studio": report the tool name with the invented part
                if 0 <= a - mention.end <= 1:
                    a = mention.start
                if 0 <= mention.start - b <= 1:
                    b = mention.end
            out.append(s.body[a:b])
        return out

    # ---- recommendation consistency ------------------------------------------------------------------

    def _recommendation(self, s: _Sentence, facts: GroundingFacts) -> tuple[bool, list[str]]:
        """(is a recommendation to the user, problems): advice must agree with the computed decision."""
        body = s.body
        directed = bool(_USER_FRAME.search(body) or _IMPERATIVE.match(body))
        if not directed or not s.tools:
            return False, []
        problems: list[str] = []
        stated = False
        for a, b in _split_clauses(body, colon=False):
            clause = body[a:b]
            ms = [m for m in s.mentions if a <= m.start < b and not m.tool.startswith("!")]
            if not ms:
                continue
            neg = _REC_NEGATIVE.search(clause)
            pos = None if neg else _REC_POSITIVE.search(clause)
            cue = neg or pos
            if cue is None:
                continue
            if _CONDITIONAL.search(clause[:cue.start()]) or _CONDITIONAL.search(clause[cue.end():]):
                conditional = True
            else:
                conditional = False
            after = [m for m in ms if m.start - a >= cue.end()]
            before = [m for m in ms if m.end - a <= cue.start()]
            target = after[0].tool if after else before[-1].tool if before else None
            if target is None:
                continue
            stated = True
            name = self.name(target)
            if neg:
                if target == facts.primary and not conditional:
                    problems.append(f"says to avoid {name}, the computed primary tool")
                continue
            secondary = bool(_SECONDARY_CUE.search(clause))
            if target in facts.avoid and not conditional:
                problems.append(f"recommends {name}, which the computed advice says to avoid")
            elif (facts.primary and target != facts.primary and not conditional
                  and not (secondary and target in facts.secondary)):
                if secondary and target not in facts.secondary:
                    problems.append(f"recommends {name} alongside, which the computed advice does not")
                else:
                    problems.append(f"recommends {name} as primary; the computed primary is {self.name(facts.primary)}")
        return stated, problems

    # ---- the checks ----------------------------------------------------------------------------------

    def _judge(self, s: _Sentence, passages: Mapping[int, _Passage], facts: GroundingFacts) -> None:
        problems = s.problems
        missing = [n for n in s.cites if n not in passages]
        problems += [f"cites [{n}] which does not exist" for n in missing]
        cited = [passages[n] for n in s.cites if n in passages]
        is_rec, rec_problems = self._recommendation(s, facts)
        problems += rec_problems
        allowed = [f for x in facts.numbers for f in extract_figures(x, words_need_unit=False)]
        figures = [f for f in s.figures if not _figure_supported(f, allowed)]
        decision = facts.decision_tools
        if s.body.rstrip().endswith("?") and not figures:  # a question asks, it claims nothing
            return
        if not s.cites:
            self._judge_uncited(s, figures, decision, is_rec)
            return
        if not cited:
            return
        where = "[" + "][".join(str(p.n) for p in cited) + "]"
        present = set().union(*(p.tools for p in cited))
        known = frozenset().union(*(p.names for p in cited))

        # (c) tools and names
        for tool in s.tools:
            if tool.startswith("!"):
                problems.append(f"names {tool[1:]}, which the source does not cover")
            elif tool not in present and not (is_rec and tool in decision):
                problems.append(f"names {self.name(tool)}, absent from cited passages {where}")
        for name in self._unknown_names(s, known):
            problems.append(f"names {name}, absent from cited passages {where}")

        tools = [t for t in s.tools if t in present]
        # (b) figures, each checked against the clauses about the tools named near it
        fine = _split_clauses(s.body, fine=True)
        for fig in figures:
            span = next(((a, b) for a, b in fine if a <= fig.start < b), (0, len(s.body)))
            near = [m.tool for m in s.mentions if span[0] <= m.start < span[1] and m.tool in present]
            scope = near or tools
            pool = [f for p in cited for c in p.view(scope) for f in c.figures]
            if not _figure_supported(fig, pool):
                about = f" about {', '.join(self.name(t) for t in dict.fromkeys(scope))}" if scope else ""
                problems.append(f"figure '{fig.text}' not in cited passages{about} {where}")

        # (d) content overlap, claim relations, polarity and gradable words
        view = [c for p in cited for c in p.view(tools)]
        pool = set().union(*(c.tokens for c in view)) if view else set()
        index = _prefix_index(pool)
        masked = self._masked(s, [(f.start, f.end) for f in s.figures])
        content = _content(masked)
        claim = _CLAIM_VERB.search(s.body)
        if content:
            hit = sum(_matches(t, pool, index) for t in content)
            overlap = hit / len(content)
            threshold = self.min_claim_overlap if claim else self.min_overlap
            if overlap < threshold:
                problems.append(f"claim not supported by cited passages (overlap {overlap:.2f})")
        if claim:
            self._check_relation(s, claim, cited, present)
        self._check_clauses(s, masked, cited, tools, present)

    def _judge_uncited(self, s: _Sentence, figures: list[Figure], decision: set[str], is_rec: bool) -> None:
        problems = s.problems
        for fig in figures:
            problems.append(f"figure '{fig.text}' with no citation")
        for tool in s.tools:
            if tool.startswith("!"):
                problems.append(f"names {tool[1:]}, which the source does not cover")
            elif tool not in decision:
                problems.append(f"names {self.name(tool)} with no citation")
        for name in self._unknown_names(s, frozenset()):
            problems.append(f"names {name} with no citation")
        if problems or not s.tools:
            return
        body = s.body
        if body.rstrip().endswith("?") or re.match(r"^\W*(?:tell\s+me|let\s+me\s+know|if\s+you|if\s+your)\b",
                                                     body, re.I):
            return
        content = _content(self._masked(s, [(f.start, f.end) for f in s.figures]))
        if _CLAIM_VERB.search(body) or content:
            what = ", ".join(self.name(t) for t in s.tools)
            problems.append(f"uncited claim about {what}")

    def _check_relation(self, s: _Sentence, claim: re.Match[str], cited: list[_Passage], present: set[str]) -> None:
        """A capability claim "X <verb> ... Y" needs a passage clause about X that names Y."""
        a, b = next(((a, b) for a, b in _split_clauses(s.body) if a <= claim.start() < b), (0, len(s.body)))
        subjects = [m.tool for m in s.mentions if a <= m.start < claim.start() and m.tool in present]
        objects = [m.tool for m in s.mentions if claim.end() <= m.start < b and m.tool in present]
        if not subjects:
            return
        clauses = [c for p in cited for c in p.clauses if c.owners & set(subjects)]
        for obj in dict.fromkeys(objects):
            if obj in subjects:
                continue
            if not any(obj in c.owners or obj in c.mentions for c in clauses):
                names = " / ".join(self.name(t) for t in dict.fromkeys(subjects))
                s.problems.append(f"ties {self.name(obj)} to {names}, which the cited passages do not")

    def _check_clauses(self, s: _Sentence, masked: str, cited: list[_Passage], tools: list[str],
                       present: set[str]) -> None:
        previous: set[str] = set()
        for a, b in _split_clauses(s.body):
            clause_tools = [m.tool for m in s.mentions if a <= m.start < b and m.tool in present]
            content = _content(masked[a:b])
            if not content and clause_tools:  # "..., and MLflow does too": the previous clause's content
                content = previous
            if not content:
                continue
            previous = content
            scope = clause_tools or tools
            view = [c for p in cited for c in p.view(scope)]
            if not view:
                continue
            scored = []
            for c in view:
                idx = _prefix_index(c.tokens)
                scored.append((sum(_matches(t, set(c.tokens), idx) for t in content), c))
            best = max(x for x, _ in scored)
            if best < max(1, math.ceil(self.polarity_overlap * len(content))):
                continue
            top = [c for x, c in scored if x == best]
            negative = _negative(s.body[a:b])
            if all(c.negative != negative for c in top):
                c = top[0]
                said = "does not say so" if negative else "says the opposite"
                s.problems.append(f"polarity: the sentence {'denies' if negative else 'asserts'} what cited "
                                  f"passage [{c.passage}] {said} ('{_short(c.text)}')")
                continue
            self._check_gradable(s, s.body[a:b], content, view, about_tools=bool(scope))

    @staticmethod
    def _check_gradable(s: _Sentence, clause: str, content: set[str], view: list[_Clause], about_tools: bool) -> None:
        """A gradable word (low, strong, easy) the passages never use about these tools, whose opposite they use."""
        words = _all_words(clause)
        seen = set().union(*(c.words for c in view))
        for w in sorted(words - seen):
            for opposite in sorted(_ANTONYM_OF.get(w, set()) - words):
                hits = [c for c in view if opposite in c.words and (about_tools or c.tokens & content)]
                if hits:
                    s.problems.append(f"says '{w}' where cited passage [{hits[0].passage}] says '{opposite}' "
                                      f"('{_short(hits[0].text)}')")
                    return


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
