"""Deterministic extraction of a `TeamProfile` from a team's free-text description.

Pure regex over a data lexicon (`advisor/data/lexicon.yaml`); no model, no network. The code here is generic:
it normalises the text (Unicode, contractions, number words -> digits, lower case) and resolves each profile
field from the lexicon's ordered rules; the header of lexicon.yaml describes the rule language.
`extract_profile` returns only what *this* text states; conversation code merges successive profiles with
`TeamProfile.merged`.

Speed: every pattern gets literal "anchors" derived from its parse tree (text a match must contain); one pass
over the text finds the anchors present, so most rules are skipped without running their regex.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor import regex_cache
from advisor.corpus_data import YAML_LOADER
from advisor.errors import CorpusError
from advisor.profile import TeamProfile
from advisor.understanding.quantities import number_words

__all__ = ["Lexicon", "ProfileExtractor", "extract_profile", "load_lexicon"]

Scalar = bool | int | str
SKIP = "skip"  # rule outcome meaning "this match states nothing"

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# A forwarded email's quote marks ("> From: Dana"), which open no sentence of their own
_QUOTED_LINE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
# A line a mail client or an editor wrapped: a break inside a sentence ("nothing we touch is\nregulated", "(all 27
# \nof you)"): a long line (a short one is a list or form line: "budget: tight\nwhat should we use?") that ends
# mid-sentence, the next going on in lower case (a bullet, a numbered item, a capitalised line or a question after
# the list stays a line)
_WRAPPED = re.compile(r"^(?![ \t]*(?:[-*•·]|\d+[.)])\s)[^\n]{40,}[\w,&)'%-][ \t]*$")
# (a form's next field is no continuation: "hosting: own datacentre only, no public cloud, no SaaS\n  headcount
# (ML): ~22")
_GOES_ON = re.compile(r"^[ \t]*(?!(?:what|which|how|why|should|shall|can|could|would|will|do|does|is|are|any|so|thanks|"
                      r"cheers|recommendation)\b)(?![\w /()&.-]{1,30}:[ \t])[a-z0-9(](?!\d*[.)]\s)")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_NUMBER_GROUP = re.compile(r"n\d*")
_CONTEXT_CHARS = 200  # how far back a clause prefix is read for cues
_MAX_ANCHOR_GROUPS = 3


def _unwrap(text: str) -> str:
    """`text` with the line breaks a mail client or an editor put inside its sentences taken out."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        if _WRAPPED.search(out[-1]) and _GOES_ON.match(line):
            out[-1] = f"{out[-1].rstrip()} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


# ---- lexicon schema -----------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CueSet(_Strict):
    window: int = Field(ge=0, le=20, description="Words allowed between the cue and the match.")
    words: list[str] = Field(min_length=1)
    start: bool = Field(default=False, description="The cue must open the clause (a question's verb).")
    stops: list[str] = Field(default=[], description="Words the cue does not reach across ('no devops and "
                             "budget is tight': the 'no' is over before 'and').")


class RuleSpec(_Strict):
    pattern: str
    value: Scalar | None = None
    combine: Literal["first", "max", "min", "sum", "product"] = "first"
    add: int = 0
    map: str | None = None
    neg_value: Scalar | None = None
    context: dict[str, Scalar] | None = None
    across_sentences: bool = Field(
        default=False, description="The pattern may span sentences (a back-reference to a count said before)."
    )


class FieldSpec(_Strict):
    resolve: Literal["priority", "prefer", "collect", "max"] = "priority"
    prefer: list[str] = []
    context: dict[str, Scalar] = {}
    rules: list[RuleSpec] = Field(min_length=1)


class Lexicon(_Strict):
    max_chars: int = Field(ge=1)
    char_map: dict[str, str] = {}
    rewrites: list[tuple[str, str]] = []
    clause_boundary: str
    sentence_boundary: str = r"(?<=[.!;])\s+"
    cues: dict[str, CueSet] = {}
    synonyms: dict[str, dict[str, list[str]]] = {}
    macros: dict[str, str] = {}
    fields: dict[str, FieldSpec]


def load_lexicon() -> Lexicon:
    """The packaged lexicon, validated."""
    resource = files("advisor.data").joinpath("lexicon.yaml")
    try:
        data = yaml.load(resource.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"unreadable lexicon.yaml: {exc.__class__.__name__}") from exc
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"invalid lexicon.yaml: {where}: {first['msg']}") from exc


# ---- regex helpers -------------------------------------------------------------------------------


def _phrase_regex(phrases: Iterable[str], after: str = r"(?![\w&])") -> str:
    """Whole-word alternation of literal phrases; a space also matches a hyphen or several spaces."""
    alts = ("[\\s-]+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
    return r"(?<![\w&])(?:" + "|".join(alts) + ")" + after


def _lower_pattern(pattern: str) -> str:
    """`pattern` for lower-cased text: literals lower-cased; escapes (\\S, \\W, ...) and group syntax kept."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.find(">" if pattern[i + 3] == "<" else ")", i)
            end = len(pattern) if end < 0 else end + 1
            out.append(pattern[i:end])
            i = end
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip().lower())


Anchors = tuple[frozenset[str], ...]


def _anchors(regex: re.Pattern[str]) -> Anchors:
    """`_derive_anchors`, kept between runs of the command line (deriving them is 0.45 s of a cold start)."""
    return regex_cache.memo("extract.anchors", f"{regex.flags}:{regex.pattern}", lambda: _derive_anchors(regex))


def _derive_anchors(regex: re.Pattern[str]) -> Anchors:
    """Groups of literals such that every match of `regex` contains one literal of each group.

    Derived from the parse tree (sequences, alternations, groups, repeats, small character sets); anything
    else contributes nothing, so the filter never rejects a real match. Empty when nothing can be derived
    (then the regex always runs). Literals are lower-cased: they are looked up in lower-cased text.
    """
    try:
        from re import _constants as c
        from re import _parser

        tree = _parser.parse(regex.pattern, regex.flags)
    except Exception:  # the private parser moved or changed: run without the filter
        return ()

    def score(found: set[str]) -> tuple[int, int]:
        return min(4, min(map(len, found))), -len(found)

    def required(items: object, top: bool) -> list[set[str]]:
        """All literal sets a sequence requires at the top level; its most selective one inside."""
        found: list[set[str]] = []
        run: list[str] = []
        for op, av in items:  # type: ignore[attr-defined]
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                found.append({"".join(run).lower()})
                run = []
            found.extend(item(op, av, top))
        if run:
            found.append({"".join(run).lower()})
        found = [f for f in found if f]
        if top or not found:
            return found
        return [max(found, key=score)]

    def item(op: object, av: object, top: bool) -> list[set[str]]:
        if op is c.SUBPATTERN:
            return required(av[-1], top)  # type: ignore[index]
        if op is c.ATOMIC_GROUP:
            return required(av, top)
        if op is c.BRANCH:
            branches = [required(b, False) for b in av[1]]  # type: ignore[index]
            return [] if any(not b for b in branches) else [set().union(*(b[0] for b in branches))]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, sub = av  # type: ignore[misc]
            return required(sub, top) if low >= 1 else []
        if op is c.IN:
            chars: set[str] = set()
            for o, a in av:  # type: ignore[attr-defined]
                if o is c.LITERAL:
                    chars.add(chr(a).lower())
                elif o is c.RANGE and a[1] - a[0] < 12:
                    chars.update(chr(x).lower() for x in range(a[0], a[1] + 1))
                elif o is c.CATEGORY and a is c.CATEGORY_DIGIT:
                    chars.update("0123456789")
                else:
                    return []
            return [chars] if chars else []
        return []

    try:
        groups = required(tree, True)
    except Exception:
        return ()
    groups.sort(key=score, reverse=True)  # most selective first
    return tuple(dict.fromkeys(frozenset(g) for g in groups))[:_MAX_ANCHOR_GROUPS]


class _AnchorIndex:
    """Finds which of many literals occur in a text with one pass over its trigrams."""

    def __init__(self, literals: Iterable[str]):
        literals = sorted(set(literals))
        self.bit = {a: 1 << i for i, a in enumerate(literals)}
        self.short = tuple((a, self.bit[a]) for a in literals if len(a) < 3)
        by_trigram: dict[str, list[tuple[str, int]]] = {}
        for a in literals:
            if len(a) >= 3:
                by_trigram.setdefault(a[:3], []).append((a, self.bit[a]))
        self.by_trigram = {t: tuple(v) for t, v in by_trigram.items()}

    def mask(self, groups: Anchors) -> tuple[int, ...]:
        """A rule's anchor groups as bit masks."""
        return tuple(sum(self.bit[a] for a in g) for g in groups)

    def present(self, low: str) -> int:
        """The bit mask of the literals `low` contains."""
        found = 0
        for a, bit in self.short:
            if a in low:
                found |= bit
        trigrams = {low[i : i + 3] for i in range(len(low) - 2)}
        for t in trigrams.intersection(self.by_trigram):
            for a, bit in self.by_trigram[t]:
                if len(a) == 3 or a in low:
                    found |= bit
        return found


# ---- compiled lexicon ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    """A fact the lexicon read, and where in the normalised text its deciding match starts."""

    field: str
    value: object
    position: int


@dataclass(frozen=True, slots=True)
class _Table:
    regex: re.Pattern[str]
    ids: Mapping[str, str]

    def find(self, text: str, offset: int) -> Iterator[tuple[int, str]]:
        for m in self.regex.finditer(text):
            canon = self.ids.get(_key(m.group()))
            if canon is not None:
                yield offset + m.start(), canon


@dataclass(frozen=True, slots=True)
class _Rule:
    regex: re.Pattern[str]
    masks: tuple[int, ...]
    value: Scalar | None
    numbers: tuple[str, ...]
    combine: str
    add: int
    table: _Table | None
    neg_value: Scalar | None
    context: tuple[tuple[re.Pattern[str], Scalar], ...]
    across: bool


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    resolve: str
    prefer: tuple[str, ...]
    rules: tuple[_Rule, ...]


class ProfileExtractor:
    """Compiles the lexicon once; `extract` is then pure regex work (a fraction of a millisecond)."""

    def __init__(self, lexicon: Lexicon | None = None, *, prefilter: bool = True):
        """`prefilter=False` runs every regex (same results, slower): for tests of the anchor filter."""
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        lex = self.lexicon
        try:
            self._char_map = str.maketrans(lex.char_map) if lex.char_map else None
            # rewrites run before lower-casing, so they may be case-sensitive (inline flags)
            rewrites = [(re.compile(p, re.IGNORECASE), repl) for p, repl in lex.rewrites]
            self._rewrites = [(rx, _anchors(rx) if prefilter else (), repl) for rx, repl in rewrites]
            self._numbers = number_words()
            self._boundary = re.compile(_lower_pattern(lex.clause_boundary))
            self._sentence = re.compile(_lower_pattern(lex.sentence_boundary)) if prefilter else None
        except (re.error, ValueError) as exc:
            raise CorpusError(f"invalid lexicon.yaml: {exc}") from exc
        self._tables = {
            name: _Table(
                re.compile(_phrase_regex(s.lower() for syns in table.values() for s in syns)),
                {_key(s): canon for canon, syns in table.items() for s in syns},
            )
            for name, table in lex.synonyms.items()
        }
        macros = {name: table.regex.pattern for name, table in self._tables.items()}
        macros.update(lex.macros)
        self._macros = self._expand_all(macros)
        self._cues = {
            name: self._compile(
                (r"^\W*(?:" if cue.start else r"\b(?:")
                + "|".join(r"\s+".join(map(re.escape, w.split())) for w in cue.words)
                + r")\b"
                + (rf"(?:\W+(?!(?:{'|'.join(map(re.escape, cue.stops))})\b)\w+){{0,{cue.window}}}\W*$" if cue.stops
                   else rf"(?:\W+\w+){{0,{cue.window}}}\W*$"),
                f"cues.{name}",
            )
            for name, cue in lex.cues.items()
        }
        fields = TeamProfile.model_fields
        specs: list[tuple[str, FieldSpec, list[tuple[re.Pattern[str], Anchors, RuleSpec]]]] = []
        for name, spec in lex.fields.items():
            if name not in fields:
                raise CorpusError(f"invalid lexicon.yaml: fields.{name}: not a TeamProfile field")
            compiled = []
            for i, rule in enumerate(spec.rules):
                regex = self._compile(rule.pattern, f"fields.{name}.rules.{i}")
                compiled.append((regex, _anchors(regex) if prefilter else (), rule))
            specs.append((name, spec, compiled))
        literals = (a for _, _, rules in specs for _, anchors, _ in rules for group in anchors for a in group)
        self._index = _AnchorIndex(literals)
        self._fields = [
            _Field(
                name,
                spec.resolve,
                tuple(spec.prefer),
                tuple(self._rule(f"fields.{name}.rules.{i}", spec, *r) for i, r in enumerate(rules)),
            )
            for name, spec, rules in specs
        ]

    @cached_property
    def fingerprint(self) -> str:
        """What `normalize` depends on: the lexicon and the code that applies it (this module and the number
        words'), so a cache of normalised texts (examples.EmbeddedBank) is stale after any change to either."""
        from advisor.understanding import quantities

        digest = hashlib.sha256(self.lexicon.model_dump_json().encode())
        for module in (sys.modules[__name__], quantities):
            digest.update(Path(module.__file__).read_bytes())
        digest.update(files("advisor.data").joinpath("quantities.yaml").read_bytes())
        return digest.hexdigest()

    # ---- compilation ----

    @staticmethod
    def _expand_all(macros: dict[str, str]) -> dict[str, str]:
        done: dict[str, str] = {}

        def expand(name: str, stack: tuple[str, ...]) -> str:
            if name in done:
                return done[name]
            if name not in macros:
                raise CorpusError(f"invalid lexicon.yaml: unknown macro {{{name}}}")
            if name in stack:
                raise CorpusError(f"invalid lexicon.yaml: macro {{{name}}} refers to itself")
            body = _MACRO.sub(lambda m: expand(m.group(1), (*stack, name)), macros[name])
            done[name] = body
            return body

        for name in macros:
            expand(name, ())
        return done

    def _compile(self, pattern: str, where: str) -> re.Pattern[str]:
        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in self._macros:
                raise CorpusError(f"invalid lexicon.yaml: {where}: unknown macro {m.group()}")
            return self._macros[m.group(1)]

        try:
            return re.compile(_lower_pattern(_MACRO.sub(sub, pattern)))
        except re.error as exc:
            raise CorpusError(f"invalid lexicon.yaml: {where}: {exc}") from exc

    def _rule(
        self, where: str, spec: FieldSpec, regex: re.Pattern[str], anchors: Anchors, rule: RuleSpec
    ) -> _Rule:
        numbers = tuple(g for g in regex.groupindex if _NUMBER_GROUP.fullmatch(g))
        table = None
        if rule.map is not None:
            if rule.map not in self._tables or "val" not in regex.groupindex:
                raise CorpusError(
                    f"invalid lexicon.yaml: {where}: `map` needs a synonyms table and a group `val`"
                )
            table = self._tables[rule.map]
        elif rule.value is None and not numbers:
            raise CorpusError(f"invalid lexicon.yaml: {where}: a rule needs a value, number groups or a map")
        context = rule.context if rule.context is not None else spec.context
        unknown = [c for c in context if c not in self._cues]
        if unknown:
            raise CorpusError(f"invalid lexicon.yaml: {where}: unknown cue set {unknown[0]}")
        return _Rule(
            regex,
            self._index.mask(anchors),
            rule.value,
            numbers,
            rule.combine,
            rule.add,
            table,
            rule.neg_value,
            tuple((self._cues[c], outcome) for c, outcome in context.items()),
            rule.across_sentences,
        )

    # ---- extraction ----

    def normalize(self, text: str) -> str:
        """The text the rules see: NFKC, plain quotes and dashes, expanded contractions, digits for number
        words, lower case."""
        text = unicodedata.normalize("NFKC", text[: self.lexicon.max_chars])
        text = _CONTROL.sub(" ", text)
        text = _unwrap(_QUOTED_LINE.sub("", text))
        if self._char_map is not None:
            text = text.translate(self._char_map)
        low = text.lower()
        for regex, anchors, repl in self._rewrites:
            if all(any(a in low for a in group) for group in anchors):
                new = regex.sub(repl, text)
                if new != text:
                    text, low = new, new.lower()
        return self._numbers.to_digits(low).strip()

    def extract(self, text: str) -> TeamProfile:
        """The facts `text` states; everything it does not state stays None."""
        _, found = self.locate(text)
        return TeamProfile.model_validate({f.field: f.value for f in found})

    def locate(self, text: str) -> tuple[str, list[Found]]:
        """The normalised text, and each fact it states with where in that text the deciding match is."""
        if not isinstance(text, str):
            text = bytes(text).decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else ""
        text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
        norm = self.normalize(text)
        if not norm:
            return norm, []
        spans = self._sentences(norm)
        present = 0
        for _, _, mask in spans:
            present |= mask
        bounds: list[int] | None = None
        found: list[Found] = []
        for field in self._fields:
            rules = [r for r in field.rules if all(m & present for m in r.masks)]
            if not rules:
                continue
            if bounds is None:
                bounds = [m.end() for m in self._boundary.finditer(norm)]
            hit = self._resolve(field, rules, norm, spans, bounds)
            if hit is not None:
                found.append(Found(field.name, hit[0], hit[1]))
        return norm, found

    def _sentences(self, norm: str) -> list[tuple[int, int, int]]:
        """(start, end, anchors present) per sentence; rules never match across a sentence boundary, so
        a rule only runs on the sentences that contain its anchors."""
        if self._sentence is None:
            return [(0, len(norm), -1)]
        starts = [0, *(m.end() for m in self._sentence.finditer(norm))]
        ends = [*starts[1:], len(norm)]
        return [(a, b, self._index.present(norm[a:b])) for a, b in zip(starts, ends, strict=True) if a < b]

    def _resolve(
        self,
        field: _Field,
        rules: list[_Rule],
        norm: str,
        spans: list[tuple[int, int, int]],
        bounds: list[int],
    ) -> tuple[object, int] | None:
        """(value, position of the match that decided it), or None."""
        if field.resolve == "priority":
            for rule in rules:
                for pos, value in self._matches(rule, norm, spans, bounds):
                    if accepts(field.name, value):
                        return value, pos
            return None
        matches = (pv for rule in rules for pv in self._matches(rule, norm, spans, bounds))
        found = sorted(matches, key=lambda pv: pv[0])
        if field.resolve == "collect":
            values = list(dict.fromkeys(v for _, v in found))
            return (values, found[0][0]) if values and accepts(field.name, values) else None
        if field.resolve == "max":  # the highest level stated wins, wherever it is said
            usable = [(v, p) for p, v in found if accepts(field.name, v)]
            return max(usable, key=lambda vp: (vp[0], -vp[1])) if usable else None
        rank = {v: i for i, v in enumerate(field.prefer)}
        for pos, value in sorted(found, key=lambda pv: (rank.get(pv[1], len(rank)), pv[0])):  # type: ignore[arg-type]
            if accepts(field.name, value):
                return value, pos
        return None

    def _matches(
        self, rule: _Rule, norm: str, spans: list[tuple[int, int, int]], bounds: list[int]
    ) -> Iterator[tuple[int, Scalar]]:
        if len(spans) == 1 or rule.across:  # `extract` already checked the anchors over the whole text
            found: Iterable[re.Match[str]] = rule.regex.finditer(norm)
        else:  # pos/endpos keep lookbehinds seeing the real text before the sentence
            found = (
                m
                for start, end, mask in spans
                if all(r & mask for r in rule.masks)
                for m in rule.regex.finditer(norm, start, end)
            )
        for m in found:
            if rule.context:
                start = m.start()
                i = bisect_right(bounds, start)
                clause = bounds[i - 1] if i else 0
                prefix = norm[max(clause, start - _CONTEXT_CHARS) : start]
                cued = next((o for cue, o in rule.context if cue.search(prefix)), None)
                if cued is not None:
                    if cued != SKIP:
                        yield start, cued
                    continue
            if "neg" in rule.regex.groupindex and m.group("neg") is not None:
                if rule.neg_value is not None and rule.neg_value != SKIP:
                    yield m.start(), rule.neg_value
                continue
            if rule.table is not None:
                yield from rule.table.find(m.group("val"), m.start("val"))
            elif rule.numbers:
                value = self._number(rule, m)
                if value is not None:
                    yield m.start(), value
            elif rule.value is not None and rule.value != SKIP:
                yield m.start(), rule.value

    def _number(self, rule: _Rule, m: re.Match[str]) -> int | None:
        found = (self._numbers.value(m.group(g)) for g in rule.numbers if m.group(g) is not None)
        nums = [n for n in found if n is not None]
        if not nums:
            return None
        combined = {"max": max, "min": min, "sum": sum, "product": math.prod}.get(rule.combine, lambda ns: ns[0])(nums)
        return combined + rule.add


def accepts(name: str, value: object) -> bool:
    """Whether TeamProfile takes `value` for field `name` (a team size of 0 or 10^12 it does not)."""
    try:
        TeamProfile.model_validate({name: value})
    except ValidationError:
        return False
    return True


@cache
def _default() -> ProfileExtractor:
    return ProfileExtractor()


def extract_profile(text: str) -> TeamProfile:
    """What `text` states about the team (unstated fields stay None)."""
    return _default().extract(text)
