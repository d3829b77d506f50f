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
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from advisor.answer import Answer, CitationOut
from advisor.corpus_data import Vocabulary
from advisor.retrieval import stem
from advisor.understanding.quantities import number_words

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


@lru_cache(maxsize=8192)
def _normalise(text: str) -> str:
    text = text.translate(_CHARS)
    if "'" in text:
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
    "there here been being would could might may must shall can all any each every some own one ones per "
    "without whether once until unless after before up out off too likewise but and or through via along during "
    "toward towards inside outside beyond between another over under far most more less least"
)
# Words that frame a sentence rather than carry a checkable fact: the recommendation's vocabulary, verbs of
# having and reporting, generic nouns. They count neither for nor against overlap.
_GENERIC = (
    "tool platform option choice solution product article source passage say state note mention according "
    "recommend recommendation suggest suggestion advise advice consider go start begin pick choose opt primary "
    "secondary best better fit good right ideal great solid you your we our i my me let know tell now later "
    "ahead behind score rank come against point compute team teams hold avoid skip "
    "has have had having offer provide include support feature give bring get take use make find see look "
    "says said states stated notes noted mentions mentioned uses used gets got fits takes took sees saw "
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
    "easy easier easiest simple simpler simplest simplicity straightforward gentle gentler gentlest",
    "hard harder hardest difficult difficulty steep steeper",
    "dashboard dashboards chart charts visualization visualisation visualizations visual visually",
    "track tracks tracking tracked log logs logging logged",
    "orchestration orchestrate orchestrates orchestrator orchestrators orchestrating scheduling schedule "
    "schedules scheduled scheduler",
    "leave leaving exit exiting migrate migrating migration migrations switch switching move moving moved",
    "user users seat seats",
    "people person persons individuals",
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
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|cannot|neither|nor|lacks?|lacking|absence|absent|without|unless|n/a)\b", re.I)
# Cues that deny a noun phrase ("a team with no platform engineer is ..."): their scope ends at the next verb.
_NOUN_CUE = frozenset(("no", "without", "absence", "absent", "lack", "lacks", "lacking"))
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|cannot|will|would|must|should|may|might|does|do|did|"
                   r"needs?|requires?|makes?|becomes?|remains?)\b", re.I)
_NOT_BUT = re.compile(r"\bnot\b(?:(?!\bbut\b).)*\bbut\b", re.I)
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely)\b|,\s+not\b", re.I)  # "A, not B" asserts A
# A negation inside a condition or an adverbial/relative clause qualifies the claim, it does not deny it:
# "the strongest baseline for environments where data cannot leave", "If not, Kubeflow is the wrong ...".
_LEADING_CONDITION = re.compile(r"^\W*(?:if|when|whenever|once|although|though|while|without|unless)\b[^,]*,", re.I)
_SUBORDINATE = re.compile(r"(?<=\w)\W+(?:where|when|whenever|if|until|who|whose)\b.*$", re.I)


def _stems(words: str) -> list[str]:
    return [stem(w.lower()) for w in words.split()]


_CANON: dict[str, str] = {}
for _group in _SYNONYM_GROUPS:
    _head = stem(_group.split()[0])
    for _w in _group.split():
        _CANON.setdefault(stem(_w), _head)
_IGNORED = frozenset(_stems(_STOP_EXTRA)) | frozenset(_stems(_GENERIC)) | frozenset(
    ("not", "no", "never", "none", "cannot", "neither", "nor", "lack", "absenc", "absent", "without", "unless",
     "n/a"))
_ANTONYM_OF: dict[str, set[str]] = {}
for _a, _b in _ANTONYMS:
    _ca, _cb = _CANON.get(stem(_a), stem(_a)), _CANON.get(stem(_b), stem(_b))
    _ANTONYM_OF.setdefault(_ca, set()).add(_cb)
    _ANTONYM_OF.setdefault(_cb, set()).add(_ca)


def _canon(token: str) -> str:
    return _CANON.get(token, token)


# Tokens as advisor.retrieval.tokenize cuts and stems them (its stop words, its stemmer, "per-seat" also
# "per" and "seat"), without its query rewrites; figures and number words are left to the figure check.
_TOKEN = re.compile(r"[a-z0-9$][a-z0-9$.,%+'-]*[a-z0-9%+]|[a-z0-9$]")
_BASE_STOP_WORDS = (
    "a an and are as at be by can do does for from has have how i if in is it its of on or our should that the "
    "their them there these they this to us was we what when where which who why will with you your"
)
_BASE_STOP = frozenset(_BASE_STOP_WORDS.split())
_DIGIT = re.compile(r"\d")
# number words as the shared quantity reader knows them (advisor/data/quantities.yaml)
_NUMBER_WORDS = number_words().values
_NUMBER_WORD_SET = frozenset((*_NUMBER_WORDS, *number_words().scales, "billion"))


@lru_cache(maxsize=32768)
def _stem(token: str) -> str:
    return stem(token)


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every word, content words) of `text` as canonical stems. Content words leave out stop words, framing
    words, negations, figures and number words."""
    every: set[str] = set()
    content: set[str] = set()
    for raw in _TOKEN.findall(text.lower()):
        raw = raw.strip(".,'")
        if not raw or raw in _BASE_STOP:
            continue
        pieces = [raw, *(p for p in raw.split("-") if p and p not in _BASE_STOP)] if "-" in raw else [raw]
        for tok in pieces:
            if _DIGIT.search(tok) or tok in _NUMBER_WORD_SET:
                continue
            stemmed = _stem(tok)
            canon = _canon(stemmed)
            every.add(canon)
            if len(tok) >= 3 and stemmed not in _IGNORED and canon not in _IGNORED:
                content.add(canon)
    return frozenset(every), frozenset(content)


def _all_words(text: str) -> frozenset[str]:
    """Every word as a canonical stem, framing included (for the gradable-word check)."""
    return _words(text)[0]


def _content(text: str) -> frozenset[str]:
    """Content words: canonical stems without stop words, framing words, negations and figures."""
    return _words(text)[1]


# A negation's scope ends at the phrase's end, or where "and"/"but" opens a new clause ("is not portable and
# pipelines must be rewritten").
_SCOPE_END = re.compile(r"[,;]|\s[—–-]{1,2}\s|\s+(?:and|but|so|yet)\s+(?=(?:[\w-]+\s+){0,2}(?:must|is|are|was|were|"
                        r"will|can|cannot|has|have|needs?|requires?|becomes?)\b)", re.I)
_IGNORED_NEGATION = (_NOT_BUT, _NOT_ONLY, _LEADING_CONDITION, _SUBORDINATE)


@lru_cache(maxsize=8192)
def _polar(text: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """(negated content words, asserted content words, negative lead-in) of one clause.

    A verb's negation ("not", "never", "cannot", "none") denies its whole phrase, up to the next comma,
    semicolon, dash or new clause; a noun's ("no", "without", "lacks") only the noun phrase after it: in
    "MLflow for the registry, no orchestration overhead" only "orchestration overhead" is denied. A cue
    before a colon ("When NOT to use Kubeflow: your team has ...") denies everything after it, and the
    clauses that follow (the third value). Cues inside a condition ("if not", "where data cannot leave"),
    a "not X but Y" or "not only" deny nothing. "without X" and "unless X" deny X, like "with no X".
    """
    norm = _normalise(text)
    if not _NEGATION.search(norm):
        return frozenset(), _content(norm), False
    ignored = [(m.start(), m.end()) for pat in _IGNORED_NEGATION for m in pat.finditer(norm)]
    cues = [m for m in _NEGATION.finditer(norm) if not any(a <= m.start() < b for a, b in ignored)]
    if not cues:
        return frozenset(), _content(norm), False
    spans: list[tuple[int, int]] = []
    lead = False
    for cue in cues:
        if ":" in norm[cue.end():]:
            spans.append((cue.start(), len(norm)))
            lead = True
            continue
        end = _SCOPE_END.search(norm, cue.end())
        stop = end.start() if end else len(norm)
        if re.match(r"\s*(?:[(:;,.]|$)", norm[cue.end():]):  # a bare "No" / "None" answers the whole clause,
            stop = len(norm)
            if norm[:cue.start()].rstrip().endswith(":"):  # and denies its label ("Pipeline orchestration: No")
                spans.append((0, stop))
                continue
        elif cue.group(0).lower() == "unless":  # "unless X" denies X only
            pass
        elif cue.group(0).lower() in _NOUN_CUE:
            if verb := _VERB.search(norm, cue.end(), stop):
                stop = verb.start()
        else:  # a verb's negation denies its whole phrase, subject included ("Its depth does not match W&B")
            starts = [m.end() for m in _SCOPE_END.finditer(norm, 0, cue.start())]
            spans.append((starts[-1] if starts else 0, stop))
            continue
        spans.append((cue.start(), stop))
    denied = " ".join(norm[a:b] for a, b in spans)
    kept, last = [], 0
    for a, b in sorted(spans):
        kept.append(norm[last:a])
        last = max(last, b)
    kept.append(norm[last:])
    return _content(denied), _content(" ".join(kept)), lead


@lru_cache(maxsize=8192)
def _negative(text: str) -> bool:
    text = _normalise(text)
    if not _NEGATION.search(text):
        return False
    text = _NOT_ONLY.sub(" ", _NOT_BUT.sub(" ", text))
    text = _SUBORDINATE.sub(" ", _LEADING_CONDITION.sub(" ", text))
    return bool(_NEGATION.search(text))


def _matches(token: str, pool: Set[str], prefixes: dict[str, list[str]]) -> bool:
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

_WORD_NUM = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
           "trillion": 1e12}
_ATOM = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)(?P<cur>(?:US)?\$\s?|USD\s?)?"
    rf"(?:(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<word>(?:{_WORD_NUM})(?:-(?:{_WORD_NUM}))?)(?![\w]))"
    r"(?P<scale>\s?(?:thousand|million|billion|trillion|bn|mn|[kKMB])(?![A-Za-z]))?"
    r"(?P<pct>\s?%|\s+percent\b)?(?P<plus>\+)?",
    re.I,
)
_RANGE_SEP = re.compile(r"^\s*(?:–|—|-|to|through)\s*$", re.I)
_BETWEEN = re.compile(r"between\s*$", re.I)
_TIME_UNIT = re.compile(
    r"^[\s+]*(?:\$|dollars?\b|usd\b)?\s*(?:(?:/|per\s+|a\s+|an\s+|each\s+)?(?:user|seat|person|engineer)s?\s*)?"
    r"(?:/|per\s+|a\s+|an\s+|each\s+)?"
    r"(?P<unit>hours?|days?|weeks?|months?|years?)\b", re.I)
_COUNT_UNIT = re.compile(
    r"^[\s-]*(?:(?:full-time|active|dedicated|more|additional|extra|production|ml|data|platform|devops)\s+){0,2}"
    r"(?:people|persons?|engineers?|users?|seats?|members?|scientists?|weeks?|days?|months?|years?|hours?|"
    r"minutes?|percent|times|pipelines?|stars?|levels?|ftes?|pillars?|components?)\b", re.I)
_MONEY_WORD = re.compile(r"^\+?\s*(?:\$|(?:dollars?|usd)\b)", re.I)  # "50$", "50 USD", "50 dollars"


@dataclass(frozen=True)
class Figure:
    text: str
    low: float
    high: float | None
    kind: str  # money | percent | plain
    unit: str | None
    start: int
    end: int


def _atom_value(m: re.Match[str]) -> float:
    if m.group("num"):
        value = float(m.group("num").replace(",", ""))
    else:
        value = float(number_words().value(m.group("word")) or 0)
    scale = (m.group("scale") or "").strip()
    if scale:
        key = scale.lower() if len(scale) > 1 else scale.lower()
        if not (len(scale) == 1 and scale in "mM" and not m.group("cur")):  # "5 m" is metres, not millions
            value *= _SCALES.get(key, 1.0)
    return value


@lru_cache(maxsize=8192)
def _figures(text: str, words_need_unit: bool) -> tuple[Figure, ...]:
    return tuple(_extract_figures(text, words_need_unit))


def extract_figures(text: str, *, words_need_unit: bool = True) -> list[Figure]:
    """Numbers, prices, percentages, versions, years and ranges in `text` (markers already removed).

    Number words count only in a range or before a unit ("eight engineers", "two to four weeks"), so a
    reference such as "the three tools" is not a figure. With `words_need_unit=False` (passages) every
    number word counts, so a sentence's "8 engineers" finds the passage's "eight engineers".
    """
    return list(_figures(text, words_need_unit))


def _extract_figures(text: str, words_need_unit: bool) -> list[Figure]:
    atoms = list(_ATOM.finditer(text))
    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        j = i
        between = text[a.end():atoms[i + 1].start()] if i + 1 < len(atoms) else None
        if between is not None and (_RANGE_SEP.match(between) or (
                between.strip().lower() == "and" and _BETWEEN.search(text[:a.start()]))):
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
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "etc", "vs", "approx", "cf", "al", "mr", "mrs", "ms", "dr", "inc", "ltd", "co", "jr", "sr", "st",
    "no", "fig", "eq"))


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


_DENIED_BEFORE = re.compile(r"(?:\brather\s+than|\binstead\s+of|,\s+not)\s+$", re.I)


def _denied(text: str, start: int) -> bool:
    """Whether the clause at `start` is the denied side of "A rather than B", "A instead of B", "A, not B"."""
    return bool(_DENIED_BEFORE.search(text[:start]))


def _split_clauses(text: str, fine: bool = False, colon: bool = True,
                   extra: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Clause spans: at ';', dashes, ', but' and the like, 'rather than' / ', not' (the denied side
    follows), optionally ':' and (`fine`) every ', '. `extra`: more separators (a new subject)."""
    seps = (r";\s+|\s+[—–-]{1,2}\s+|,\s+(?:but|while|whereas|although|though|so|since|because|and|meaning)\s+|"
            r"\s+because\s+|,\s+which\s+means\s+|\s+rather\s+than\s+|\s+instead\s+of\s+|,\s+not\s+")
    if colon:
        seps += r"|:\s+"
    if fine:
        seps += r"|,\s+"
    if extra is not None:
        seps += "|" + extra.pattern
    spans, start = [], 0
    for m in re.finditer(seps, text, re.I if extra is not None else 0):
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
# Capitalised words that name no product: acronyms of the trade and the article's own vocabulary.
_GENERIC_CAPS = frozenset((
    "i", "ai", "ml", "llm", "llms", "mlops", "ui", "ux", "api", "apis", "sdk", "sdks", "gpu", "gpus", "cpu", "ftes",
    "fte", "saas", "oss", "devops", "genai", "ci", "cd", "ci/cd", "faq", "it", "vm", "vms", "dsl", "tco", "roi", "ok",
    "q&a", "etl", "rag", "poc", "level", "yes", "no"))
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
    core: frozenset[str]  # tokens of the clause's own text, without a table row's label and column names
    words: frozenset[str]
    owners: frozenset[str]
    mentions: frozenset[str]
    negative: bool
    neg_tokens: frozenset[str]  # content words the clause denies
    pos_tokens: frozenset[str]  # content words it asserts
    figures: tuple[Figure, ...]
    passage: int
    index: dict[str, list[str]] = field(default_factory=dict)  # prefix index of `tokens`
    neg_index: dict[str, list[str]] = field(default_factory=dict)
    pos_index: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = _prefix_index(self.tokens)
        self.neg_index = _prefix_index(self.neg_tokens)
        self.pos_index = _prefix_index(self.pos_tokens)


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
    r"\b(?:recommend(?:s|ed)?|suggest(?:s|ed)?|recommendation\s*:|go\s+(?:with|for)|start(?:ing)?\s+(?:with|on)|"
    r"begin\s+(?:with|on)|switch\s+to|move\s+to|standardi[sz]e\s+on|"
    r"stick\s+with|opt\s+for|(?<!the )pick|choose|adopt|as\s+(?:your|the)\s+(?:primary|main|core)|"
    r"(?:best|right|better|ideal|strongest|recommended)\s+"
    r"(?:choice|fit|option|pick|tool|platform|starting\s+point|bet))\b", re.I)
_REC_NEGATIVE = re.compile(
    r"\b(?:avoid|steer\s+clear\s+of|skip|hold\s+off\s+on|(?:do|should)\s+not\s+(?:use|start\s+with|pick|choose|"
    r"adopt|go\s+with)|not\s+recommend|against|wrong\s+(?:choice|starting\s+point|fit|place\s+to\s+start|tool)|"
    r"not\s+(?:a\s+)?(?:good|right)\s+fit)\b", re.I)
_REC_WEAK = re.compile(r"\b(?:use|using|try|consider|add|adding|keep|pair|layer\s+in|bring\s+in)\b", re.I)
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


def table_headers(corpus_dir: Path, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Every table row line of the corpus -> its table's header line (table-row chunks hold both)."""
    from advisor.chunks import load_corpus

    tables: dict[str, str] = {}
    for chunk in load_corpus(corpus_dir, vocab).chunks:
        if chunk.kind == "table-row":
            lines = chunk.text.splitlines()
            if len(lines) == 2:
                tables[lines[1]] = lines[0]
    return tables


class GroundingGuard:
    """Checks generated sentences against cited passages and the computed decision; see the module doc."""

    def __init__(self, vocab: Vocabulary, *, min_overlap: float = 0.4, min_claim_overlap: float = 0.5,
                 polarity_overlap: float = 0.5, tables: Mapping[str, str] | None = None, cache_size: int = 512):
        """`min_overlap`: share of a cited sentence's content words found in the passages (about the tools
        it names); `min_claim_overlap`: the same for capability claims.
        `tables`: table row line -> header line, so a quoted row can be read by column (see from_corpus).
        `polarity_overlap` is the share of a sentence clause's asserted (or denied) words, among those the
        passages have, that must be denied (or asserted) there before the clause counts as a flip."""
        self.vocab = vocab
        self.min_overlap = min_overlap
        self.min_claim_overlap = min_claim_overlap
        self.polarity_overlap = polarity_overlap
        self.tables = {self._row_key(k): v for k, v in (tables or {}).items()}
        # A quote of one table cell ("Kubeflow (until DevOps capacity is hired)") is read in its row, when
        # the cell text is unique in the corpus.
        seen: dict[str, list[tuple[str, int]]] = {}
        for row in self.tables:
            for i, cell in enumerate(c.strip() for c in row.strip().strip("|").split("|")):
                if i and len(cell) >= 12:
                    seen.setdefault(cell, []).append((row, i))
        self._cells = {cell: places[0] for cell, places in seen.items() if len(places) == 1}
        # Two alternations (case-insensitive, and exact-case for `exact` tools and uncovered names), longest
        # alias first, replace one regex per tool: mentions are looked up for every clause of every passage.
        self._alias_ids: dict[str, str] = {}
        exact_aliases: dict[str, str] = {}
        for t in vocab.tools:
            for a in t.aliases:
                (exact_aliases if t.exact else self._alias_ids).setdefault(a if t.exact else a.lower(), t.id)
        for u in vocab.uncovered:
            for a in u.aliases:
                exact_aliases.setdefault(a, "!" + u.name)
        self._exact_ids = exact_aliases
        self._alias_re = _alias_pattern(list(self._alias_ids), False) if self._alias_ids else None
        self._exact_re = _alias_pattern(list(exact_aliases), True) if exact_aliases else None
        # "W&B and MLflow are both affordable and Kubeflow is expensive": a tool opening a new subject
        # starts a new clause, so each tool keeps its own predicate.
        names = "|".join(re.escape(a) for a in sorted({*self._alias_ids, *exact_aliases}, key=len, reverse=True))
        self._new_subject = re.compile(
            rf"\s+(?:and|but|while|whereas)\s+(?=(?:the\s+)?(?:{names})(?:'s)?\s+(?:is|are|was|were|has|have|"
            r"does|do|needs?|requires?|offers?|provides?|takes?|carries|costs?|supports?|lacks?|handles?|runs?|"
            r"remains?|becomes?|scales?|wins?|leads?|can|cannot|will)\b)") if names else None
        self._cache: dict[tuple[int, str, str], _Passage] = {}
        self._cache_size = cache_size

    @classmethod
    def from_corpus(cls, corpus_dir: Path, vocab: Vocabulary | None = None, **kwargs: float) -> GroundingGuard:
        """A guard that knows the corpus vocabulary and every table's header (for quoted table rows)."""
        vocab = vocab or Vocabulary.load(corpus_dir)
        return cls(vocab, tables=table_headers(corpus_dir, vocab), **kwargs)  # type: ignore[arg-type]

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
        return list(self._mentions_cached(text))

    @lru_cache(maxsize=8192)  # noqa: B019 - one guard per process; the cache holds strings only
    def _mentions_cached(self, text: str) -> tuple[Mention, ...]:
        found: list[Mention] = []
        if self._alias_re is not None:
            found += [Mention(m.start(), m.end(), self._alias_ids[m.group(0).lower()])
                      for m in self._alias_re.finditer(text)]
        if self._exact_re is not None:
            found += [Mention(m.start(), m.end(), self._exact_ids[m.group(0)]) for m in self._exact_re.finditer(text)]
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return tuple(out)

    def _clauses(self, text: str, fine: bool = False) -> list[tuple[int, int]]:
        return _split_clauses(text, fine=fine, extra=self._new_subject)

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
        cell = self._cells.get(quote.strip()) if len(lines) == 1 and not rows else None
        if cell is not None:
            row, index = cell
            rows = [row]
            clauses = self._row_clauses(n, row, self.tables.get(row), tools, only=index)
        elif rows and len(rows) == len(lines):
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

    def _clause(self, n: int, text: str, polarity_text: str, owners: set[str], mentions: set[str],
                denied: bool = False, cell: bool = False) -> _Clause:
        """`polarity_text`: the clause's own words (a table cell without its row label and column).
        `denied`: the clause is the denied side of a contrast, or follows a negative lead-in. `cell`: a
        table cell, which denies its row label too when it opens with the negation ("No", "None")."""
        tokens = _content(text)
        neg, pos, _ = _polar(polarity_text)
        if denied or (cell and re.match(r"^\W*(?:no|none|not|n/a)\b", polarity_text, re.I)):
            neg, pos = tokens, frozenset()
        else:
            pos = pos | (tokens - _content(polarity_text))  # a row label and column name are asserted
        return _Clause(text=text, tokens=tokens, core=_content(polarity_text), words=_all_words(text),
                       owners=frozenset(owners), mentions=frozenset(mentions),
                       negative=bool(neg) or denied or _negative(polarity_text), neg_tokens=neg, pos_tokens=pos,
                       figures=tuple(extract_figures(text, words_need_unit=False)), passage=n)

    def _row_clauses(self, n: int, row: str, header: str | None, tools: set[str],
                     only: int | None = None) -> list[_Clause]:
        """One clause per cell (or per ';' part of a cell), with the row label and column name as context;
        a cell in a tool's column is owned by that tool. `only`: keep just that cell (a quoted cell)."""
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        heads = [c.strip() for c in header.strip().strip("|").split("|")] if header else []
        if len(heads) != len(cells):
            heads = [""] * len(cells)
        label, label_head = cells[0], heads[0]
        label_tools = {m.tool for m in self._mentions(label)}
        tools |= label_tools
        context = f"{label_head}: {label}" if label_head else label
        out = []
        for i, (head, cell) in enumerate(zip(heads[1:], cells[1:], strict=True), start=1):
            if only is not None and i != only:
                continue
            column = [m.tool for m in self._mentions(head)]
            if column:
                tools.update(column)
                for s, e in _split_clauses(cell, colon=False):  # "Limited UI depth; no native alerting"
                    part = cell[s:e]
                    mentioned = {m.tool for m in self._mentions(part)}
                    tools |= mentioned
                    out.append(self._clause(n, f"{context}; {head}: {part}", part, {column[0], *label_tools},
                                            {column[0], *mentioned}, denied=_denied(cell, s), cell=True))
                continue
            for s, e in _split_clauses(cell):  # "MLflow: tracking layer; Kubeflow: orchestration backbone"
                part = cell[s:e]
                mentioned = {m.tool for m in self._mentions(part)}
                tools |= mentioned
                text = f"{context}; {head}: {part}" if head else f"{context}; {part}"
                out.append(self._clause(n, text, part, mentioned | label_tools, mentioned,
                                        denied=_denied(cell, s), cell=True))
        if not out:
            out.append(self._clause(n, context, label, label_tools, label_tools))
        return out

    def _prose_clauses(self, n: int, text: str, subject: str | None, tools: set[str]) -> list[_Clause]:
        out = []
        for s0, e0 in split_sentences(text):
            sentence = text[s0:e0]
            lead_negative = False
            for s, e in self._clauses(sentence):
                part = sentence[s:e]
                mentions = self._mentions(part)
                mentioned = {m.tool for m in mentions if not m.tool.startswith("!")}
                tools |= mentioned
                own = None if _PRONOUN_START.match(part) else self._subject(part, mentions)
                if own is not None:
                    subject = own
                owners = mentioned | ({subject} if subject else set())
                # "When NOT to use Kubeflow: your team has fewer than two engineers ...": after a negative
                # lead-in, every clause of the sentence is denied.
                clause = self._clause(n, part, part, owners, mentioned, denied=lead_negative or _denied(sentence, s))
                lead_negative = lead_negative or _polar(part)[2] or (sentence[e:e + 1] == ":" and clause.negative)
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
        """(states advice to the user, problems): advice must agree with the computed decision.

        Advice is told to the user ("you", "your team", "I recommend", an imperative, "Recommendation:").
        Each cue's tool is the first named after it, else the last named before it. Strong cues ("start
        with", "recommend", "as your primary") must name the computed primary (or a secondary tool, said
        as such); weak ones ("use", "add", "keep") only must not name a tool to avoid; "avoid" must not
        name the primary. Hedged or conditional advice ("if you ...", "could change to") is not checked.
        """
        body = s.body
        if not s.tools or not (_USER_FRAME.search(body) or _IMPERATIVE.match(body)):
            return False, []
        problems: list[str] = []
        stated = False
        for a, b in _split_clauses(body, colon=False):
            clause = body[a:b]
            ms = [m for m in s.mentions if a <= m.start < b and not m.tool.startswith("!")]
            if not ms:
                continue
            negs = list(_REC_NEGATIVE.finditer(clause))
            cues = [(m, "avoid") for m in negs]
            for kind, pattern in (("strong", _REC_POSITIVE), ("weak", _REC_WEAK)):
                cues += [(m, kind) for m in pattern.finditer(clause)
                         if not any(n.start() <= m.start() < n.end() for n in negs)]
            cues.sort(key=lambda c: c[0].start())
            conditional = bool(_CONDITIONAL.search(clause))
            for i, (cue, kind) in enumerate(cues):
                nxt = cues[i + 1][0].start() if i + 1 < len(cues) else len(clause)
                after = [m for m in ms if cue.end() <= m.start - a < nxt]
                before = [m for m in ms if m.end - a <= cue.start()]
                target = after[0].tool if after else before[-1].tool if before else None
                if target is None:
                    continue
                stated = True
                if conditional:
                    continue
                name = self.name(target)
                if kind == "avoid":
                    if target == facts.primary:
                        problems.append(f"says to avoid {name}, the computed primary tool")
                elif target in facts.avoid:
                    problems.append(f"recommends {name}, which the computed advice says to avoid")
                elif (kind == "strong" and facts.primary and target != facts.primary
                      and not (target in facts.secondary and _SECONDARY_CUE.search(clause))):
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
            if s.cites:  # but a citation on it says a passage answers it: the model echoed the user
                problems.append("a question with a citation: it answers nothing")
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
        fine = self._clauses(s.body, fine=True)
        masked = self._masked(s, [(f.start, f.end) for f in s.figures])
        content = _content(masked)
        for fig in figures:
            span = next(((a, b) for a, b in fine if a <= fig.start < b), (0, len(s.body)))
            near = [m.tool for m in s.mentions if span[0] <= m.start < span[1] and m.tool in present]
            scope = near or tools
            local = _content(masked[span[0]:span[1]]) or content
            clauses = [c for p in cited for c in p.view(scope)]
            if local:  # the figure must sit in a clause about the same thing ("60%" of what?)
                clauses = [c for c in clauses if c.mentions & set(near)
                           or any(_matches(t, c.tokens, c.index) for t in local)] or clauses
            pool = [f for c in clauses for f in c.figures]
            if not _figure_supported(fig, pool):
                about = f" about {', '.join(self.name(t) for t in dict.fromkeys(scope))}" if scope else ""
                problems.append(f"figure '{fig.text}' not in cited passages{about} {where}")

        # (d) content overlap, claim relations, polarity and gradable words
        view = [c for p in cited for c in p.view(tools)]
        pool = set().union(*(c.tokens for c in view)) if view else set()
        index = _prefix_index(pool)
        claim = _CLAIM_VERB.search(s.body)
        if content:
            hit = sum(_matches(t, pool, index) for t in content)
            overlap = hit / len(content)
            threshold = self.min_claim_overlap if claim else self.min_overlap
            if overlap < threshold:
                problems.append(f"claim not supported by cited passages (overlap {overlap:.2f})")
            else:  # a table row's label alone ("Most common complaint") does not back a claim about a cell
                context = set().union(*(c.tokens - c.core for c in view)) if view else set()
                rest = {t for t in content if not _matches(t, context, _prefix_index(context))}
                core = set().union(*(c.core for c in view)) if view else set()
                if context and rest and not any(_matches(t, core, _prefix_index(core)) for t in rest):
                    about = ", ".join(self.name(t) for t in tools) or "it"
                    problems.append(f"claim not supported by the cited cells about {about} "
                                    "(only the row label matches)")
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
        a, b = next(((a, b) for a, b in self._clauses(s.body) if a <= claim.start() < b), (0, len(s.body)))
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
        previous: frozenset[str] = frozenset()
        lead = False
        for a, b in _split_clauses(s.body, colon=False, extra=self._new_subject):
            clause_tools = [m.tool for m in s.mentions if a <= m.start < b and m.tool in present]
            content = _content(masked[a:b])
            elliptic = not content and bool(clause_tools)
            if elliptic:  # "..., and MLflow does too": the previous clause's content
                content = previous
            if not content:
                continue
            previous = content
            scope = clause_tools or tools
            view = [c for p in cited for c in p.view(scope)]
            if not view:
                continue
            # Polarity, word by word: a word the sentence asserts is contradicted when every passage clause
            # (about these tools) that has it denies it ("does not handle workflow scheduling natively"),
            # and the other way round.
            neg, pos, lead_here = _polar(masked[a:b])
            if lead or _denied(s.body, a) or (elliptic and _negative(s.body[a:b])):
                neg, pos = content, frozenset()
            elif elliptic:
                neg, pos = frozenset(), content
            lead = lead or lead_here
            if self._contradicts(s, neg - pos, pos - neg, view):
                continue
            self._check_gradable(s, s.body[a:b], content, view, about_tools=bool(scope))

    def _contradicts(self, s: _Sentence, denied: Set[str], asserted: Set[str], view: list[_Clause]) -> bool:
        """Whether most of the words a sentence clause asserts or denies (among those the passages have) are
        said the other way by every passage clause about these tools that has them."""
        against: dict[int, int] = {}
        seen = contradicted = flipped_denials = 0
        for t, denies in [*((t, True) for t in denied), *((t, False) for t in asserted)]:
            holders = [c for c in view if _matches(t, c.tokens, c.index)]
            if not holders:
                continue
            seen += 1
            if not any(_matches(t, c.neg_tokens, c.neg_index) if denies else _matches(t, c.pos_tokens, c.pos_index)
                       for c in holders):
                contradicted += 1
                flipped_denials += denies
                for c in holders:
                    against[id(c)] = against.get(id(c), 0) + 1
        if contradicted * 2 <= seen or contradicted < math.ceil(self.polarity_overlap * seen):
            return False
        c = max(view, key=lambda c: against.get(id(c), 0))
        if flipped_denials * 2 >= contradicted:
            s.problems.append(f"polarity: the sentence denies what cited passage [{c.passage}] does not "
                              f"('{_short(c.text)}')")
        else:
            s.problems.append(f"polarity: the sentence asserts what cited passage [{c.passage}] denies "
                              f"('{_short(c.text)}')")
        return True

    @staticmethod
    def _check_gradable(s: _Sentence, clause: str, content: set[str], view: list[_Clause], about_tools: bool) -> None:
        """A gradable word (low, strong, easy) the passages never use about these tools, whose opposite they use."""
        words = _all_words(clause)
        seen = set().union(*(c.words for c in view))
        hits = [(len(c.tokens & content), w, opposite, c) for w in sorted(words - seen)
                for opposite in sorted(_ANTONYM_OF.get(w, set()) - words)
                for c in view if opposite in c.words and (about_tools or c.tokens & content)]
        if hits:  # report the clause closest to the sentence
            _, w, opposite, c = max(hits, key=lambda h: h[0])
            s.problems.append(f"says '{w}' where cited passage [{c.passage}] says '{opposite}' ('{_short(c.text)}')")


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
