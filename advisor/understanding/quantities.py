"""One reader of quantities in people's words, used by the profile reader, the guard and retrieval.

Digits, number words ("twenty-five", "two dozen", "half a dozen"), hyphenated forms ("50-person",
"five-strong"), ranges ("10–15", "between 10 and 15"), approximations ("about 40", "40+") and changes
("grow to 45", "hire two more"), each bound to what it counts (people, engineers with production
Kubernetes experience, platform engineers, pipelines). The words live in `advisor/data/quantities.yaml`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.corpus_data import load_yaml, validate

Counts = Literal["people", "k8s", "platform", "pipelines", "org", "subset", "other"]
Change = Literal["to", "more"]
Bound = Literal["at_least", "at_most"]


class NumberSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    phrases: dict[str, int | str] = {}
    keep_words: list[str] = []


class GroupWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: list[str]
    nouns: list[str]


class BoundWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    before: list[str]
    after: list[str]


class QuantitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    numbers: NumberSpec
    approx: list[str]
    changes: dict[Change, list[str]]
    bounds: dict[Bound, BoundWords]
    before: dict[Literal["people", "k8s", "platform"], list[str]]
    window: int = Field(ge=0, le=8)
    counts: dict[Literal["people", "k8s", "platform", "pipelines", "org", "subset", "of_us"], list[str]]
    # every role word with every group word ("mlops" × "squad" is "mlops squad"), added to `counts[kind]`
    groups: dict[Literal["k8s", "platform"], GroupWords] = {}

    def counted(self, kind: str) -> list[str]:
        """The nouns that count `kind`: those listed, and every role word with every group word."""
        words = list(self.counts.get(kind, []))  # type: ignore[call-overload]
        if (g := self.groups.get(kind)) is not None:  # type: ignore[call-overload]
            words += [f"{r} {n}" for r in g.roles for n in g.nouns if f"{r} {n}" not in words]
        return words


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip().lower())


def phrase_regex(phrases: list[str] | tuple[str, ...], after: str = r"(?![\w&])") -> str:
    """Whole-word alternation of literal phrases; a space also matches a hyphen or several spaces."""
    alts = ("[\\s-]+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
    return r"(?<![\w&])(?:" + "|".join(alts) + ")" + after


class NumberWords:
    """Number words to digits: "twenty-five" -> 25, "two hundred and fifty" -> 250, "half a dozen" -> 6."""

    def __init__(self, spec: NumberSpec):
        keep = {w.lower() for w in spec.keep_words}
        self.values = {w.lower(): v for w, v in {**spec.units, **spec.tens}.items()}
        self.scales = {w.lower(): v for w, v in spec.scales.items()}
        self.phrases = {_key(p): v for p, v in spec.phrases.items()}
        words = [w for w in [*self.values, *self.scales] if w not in keep]
        self.sequence: re.Pattern[str] | None = None
        if words:
            word = "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
            scale_alts = "|".join(re.escape(s) for s in self.scales)
            joiner = "(?:[\\s-]+" + "".join(f"|(?<={re.escape(s)})\\s+and\\s+" for s in self.scales) + ")"
            lead = f"(?:\\ba\\s+(?=(?:{scale_alts})\\b))?" if self.scales else ""
            # a digit before a scale word is one number too: "2 dozen"
            digit_lead = f"(?:\\b\\d{{1,4}}\\s+(?=(?:{scale_alts})\\b))?" if self.scales else ""
            self.sequence = re.compile(rf"{digit_lead}{lead}\b{word}(?:{joiner}{word})*\b")
        # a phrase glued to a hyphen is part of a compound ("single-tenant"), not a quantity
        self.phrase = re.compile(phrase_regex(list(self.phrases), after=r"(?![\w&-])")) if self.phrases else None
        # the words that make a rewrite possible (a phrase's longest word: "dozen", "couple", ...)
        self.words = frozenset(words) | frozenset(max(p.split(), key=len) for p in self.phrases)

    def parse(self, text: str) -> list[int]:
        """The numbers a run of number words spells ("five twenty" is two numbers)."""
        out: list[int] = []
        total = current = 0
        started = False
        for token in re.findall(r"[a-z]+|\d+", text.lower()):
            if token == "and":
                continue
            if token.isdigit():
                current, started = int(token), True
            elif token == "a":
                current, started = 1, True
            elif token in self.scales:
                scale = self.scales[token]
                if scale >= 1000:
                    total += (current or 1) * scale
                    current = 0
                else:
                    current = (current or 1) * scale
                started = True
            elif token in self.values:
                value = self.values[token]
                low = current % 100
                if started and low and not (low % 10 == 0 and low >= 20 and value < 10):
                    out.append(total + current)
                    total = current = 0
                current += value
                started = True
        if started:
            out.append(total + current)
        return out

    def value(self, text: str) -> int | None:
        """The one number `text` spells in digits or words, else None."""
        text = text.strip()
        if text.isdigit():
            return int(text)
        parsed = self.parse(text)
        return parsed[0] if len(parsed) == 1 else None

    def to_digits(self, low: str, keep_lone: tuple[str, ...] = ()) -> str:
        """`low` (lower-cased) with number words as digits; a lone word in `keep_lone` stays ("which one")."""
        if self.words.isdisjoint(re.findall(r"[a-z]+", low)):
            return low
        if self.phrase is not None:
            low = self.phrase.sub(lambda m: str(self.phrases.get(_key(m.group()), m.group())), low)
        if self.sequence is not None:
            def repl(m: re.Match[str]) -> str:
                if m.group().strip() in keep_lone:
                    return m.group()
                return " ".join(str(n) for n in self.parse(m.group()))
            low = self.sequence.sub(repl, low)
        return low


class Quantity(BaseModel):
    """A number in the text and what it counts."""

    text: str = Field(description="The words as read (digits for number words).")
    value: int = Field(description="The number the reading uses: a range's upper end.")
    low: int | None = Field(default=None, description="A range's lower end.")
    approx: bool = False
    change: Change | None = Field(default=None, description="to: a new value; more: an addition.")
    counts: Counts = "other"
    noun: str = Field(default="", description="The words naming what it counts.")
    skilled: bool = Field(default=False, description="Platform engineers said to have production Kubernetes "
                          "experience ('5 platform engs w/ prod k8s'): they count as Kubernetes engineers too.")
    total: bool = Field(default=False, description="Said as the whole ('26 people in total', 'a total of 40'): "
                        "the head count, whatever parts were counted before it.")
    bound: Bound | None = Field(default=None, description="A bound said on it: at_least ('50+ people', '30 or "
                                "more', 'once you're past 20'), at_most ('under 5 people', 'up to 10 users').")
    parts: list[int] = Field(default_factory=list, description="For roles listed side by side and summed ('6 DS, "
                             "2 MLE'), the counts added, in order.")
    start: int
    end: int


# words that may follow a bare head count ("we are 12 now"); any other word is what the number counts
_AFTER_BARE = frozenset({"now", "today", "currently", "total", "in", "by", "at", "and", "or", "but", "so", "this",
                         "next", "soon", "overall", "altogether", "already", "including", "incl", "plus", "+",
                         "with", "who", "working", "doing", "when", "once", "after", "before", "within", "over",
                         "along", "since", "during", "last", "recently", "lately"})
# "5-person", "four-strong": a modifier; the noun after it says what is counted
_COMPOUND = frozenset({"person", "people", "man", "strong", "member"})
# (a verb between ends it too: "18 people building agent workflows" are people, not 18 workflows)
_BETWEEN = re.compile(r"\b(?:with|and|in|on|at|of|for|plus|including|incl|who|that|but|building|running|using|doing|"
                      r"working|developing|shipping|making|creating|writing|deploying|maintaining|managing|owning|"
                      r"operating|handling|focusing|supporting|run|runs|use|uses|build|builds|own|owns|maintain|"
                      r"maintains|manage|manages)\b")
_APPOSITION = re.compile(r"\s*(?:—|–|--?|:)(\s*(?:about|around|roughly|approximately|some|~)?\s*)$")
# a count said for a time ahead: "25 by summer", "40 by the end of next year", "30 within a year"
_BY_WHEN = re.compile(r"^\s*(?:people\s+|of\s+us\s+)?(?:by|before|within|come)\s+(?:the\s+end\s+of\s+|"
                      r"end\s+of\s+|early\s+|"
                      r"mid[- ]?|late\s+)?(?:next|this|the\s+(?:summer|spring|autumn|fall|winter|year|"
                      r"new\s+year)|summer|"
                      r"spring|autumn|fall|winter|q[1-4]|h[12]|20\d\d|january|february|march|april|may|june|july|august|"
                      r"september|october|november|december|year|a\s+year|\d+\s+months|\d+\s+years|six\s+months)\b")
# the whole said as such: "26 people in total", "a total of 40", "some 30 people altogether"
# ("which of the 3 is best overall?" ranks tools: "overall" there goes with "best")
_TOTAL_AFTER = re.compile(r"^\s*(?:(?!(?:best|better|worst|most|least|top|cheapest|easiest|simplest)\b)[a-z]+\s+){0,2}?"
                          r"(?:in\s+total|total|altogether|all\s+told|in\s+all|overall)\b")
_TOTAL_BEFORE = re.compile(r"\b(?:a\s+total\s+of|in\s+total|total(?:ling|ing)?|altogether)\s*:?\s*(?:about|"
                           r"around|roughly|some|~)?\s*$")
_GROUP_NOUNS = ("team", "group", "squad", "crew", "org", "organisation", "organization", "function", "department")
_GROW_FROM = re.compile(r"\b(?:grow\w*|go|going|went|gone|scal\w*|expand\w*|increas\w*|jump\w*|doubl\w*|shrink\w*|"
                        r"shrank|shrunk|dropp\w*|drop|fell|fall\w*|decreas\w*|cut|downsiz\w*|reduc\w*|"
                        r"ramp\w*(?:\s+up)?)(?:\s+down)?"
                        r"\s+from\s*$")
_ROLE_AFTER = re.compile(r"^\s*(?:are|is|were|being|work\s+as)\s+(?:\w+\s+){0,2}?(?:(?P<k8s>kubernetes|"
                         r"k8s)\s+(?:engineers?|admins?)|"
                         r"(?:platform|devops|mlops|infra|infrastructure|sre|ops)\s+(?:engineers?|people|folks)|sres)\b")
_PEOPLE_ARE = re.compile(r"\b(?:people|persons?|engineers?|scientists?|scientits|ds|mles?|members|folks|headcount|"
                         r"(?:ml|data\s+science|ds)\s+(?:team|group|side|org|function))\s+(?:are|is|=|numbers?|totals?|"
                         r"counts?)\s*(?:(?:about|around|roughly|approximately|~|somewhere|in\s+the\s+region\s+of|"
                         r"close\s+to|nearly)\s*){0,2}$")
_NEVER = re.compile(r"\b(?:never|not|no|n't|nobody)\b|n't\b")
_RAN_K8S = re.compile(r"^.{0,60}?\b(?:run|runs|ran|running|operated?|operates|operating|administer\w*|managed?|manages|"
                      r"maintain\w*)\b.{0,40}?\b(?:kubernetes|k8s|eks|gke|aks|openshift|production\s+clusters)\b|"
                      # "2 of us had prod k8s experience", "three of them have production Kubernetes experience"
                      r"^.{0,20}?\b(?:have|has|had|having|bring|brings|with)\s+(?:(?:real|solid|deep|hands-on|some)\s+)?"
                      r"(?:prod|production)\s+(?:kubernetes|k8s|eks|gke|aks)\s+(?:experience|skills|chops|background)\b")
# the names of Kubernetes a skill is said with ("prod k8s", "run EKS")
K8S_NAMES = ("kubernetes", "k8s", "eks", "gke", "aks")
_K8S_WORD = r"(?:" + "|".join(K8S_NAMES) + r")\b"
_PRONOUN_ONE = re.compile(r"\b(?:which|each|every|any|what|this|that|the\s+other|no|(?:the|a)\s+(?:best|better|right|"
                          r"cheapest|simplest|easiest|safest|first|second|last|same|open-source|saas|managed|google|"
                          r"new|old|good|only|obvious|sensible)|(?:the|a)\s+\w+(?:est|er))\s*$")
# "4 of us on platform", "two of us on the infra team": a part of the team that is its platform group
_ON_THE_SIDE = re.compile(r"^\s*(?:on|in|from)\s+(?:the\s+|our\s+)?(?:platform|infra|infrastructure|devops|"
                          r"mlops|sre|ops)\s+"
                          r"(?:side|team|group|squad|crew)\b")
_ON_GROUP = re.compile(r"on\s+(?:the\s+|our\s+)?(?:platform|infra|infrastructure|devops|mlops|sre|ops)\b")
# "…, all with prod k8s", "all of whom run Kubernetes in production"
_ALL_SKILLED = re.compile(r"\b(?:all|each|both)\s+(?:of\s+(?:us|them|whom)\s+)?(?:with|w/|have|has|run|ran|"
                          r"operate|operated)\s+(?:\w+\s+){0,2}?" + _K8S_WORD)
# "one guy in my team", "a person on our data team": a member, not a team of one
_OF_THE_TEAM = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:guy|person|engineer|dev|developer|scientist|member|colleague|"
                          r"one|folk)s?\s+(?:in|on|from|of)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:team|group|org|squad)\b")
_SKILLED = re.compile(r"^\s*(?:(?:with|w/)\s+(?:(?:real|solid|deep|hands-on|production|"
                      r"prod)\s+){0,2}" + _K8S_WORD +
                      r"|who(?:'ve|\s+have|\s+has|\s+had)?\s+(?:\w+\s+){0,2}?(?:run|ran|operated|administered|managed)\s+"
                      r"(?:\w+\s+){0,2}?" + _K8S_WORD + ")")
_APPROX_TAIL = re.compile(r"[\s'\"]*(?:(?:[~≈]|about|around|roughly|approximately|approx\.?|nearly|almost|some|"
                          r"just|only|"
                          r"honestly|really|basically|literally|actually|effectively)\s*)+$")
_DO_ML = re.compile(r"(?:(?:actually|really|regularly|daily|all)\s+)?(?:touch|touches|build|builds|train|trains|"
                    r"develop|ship|work\s+(?:on|with)|do|does)\s+(?:the\s+|our\s+)?(?:ml\b|machine\s+learning|models?\b|"
                    r"modell?ing)")
# things a number can count that are never people: a count of these is no head count
_THINGS = (r"(?:systems?|tools?|clusters?|servers?|gpus?|nodes?|projects?|years?|months?|weeks?|days?|hours?|"
           r"regions?|offices?|countries|sites?|products?|models?|dashboards?|runs?|experiments?|teams|groups|"
           r"vendors?|platforms|stacks?|accounts?|instances?)")
_NUM = r"(?<![\w$€£¥.,/#^])(?P<n1>\d{1,7})(?![.,]\d|\d|\s*%|\s*percent\b|\^|[kmb]\b|x\b)"


class QuantityReader:
    def __init__(self, spec: QuantitySpec):
        self.spec = spec
        self.words = NumberWords(spec.numbers)
        approx = phrase_regex([a for a in spec.approx if a[0].isalpha()], after=r"\s*")
        tilde = "|".join(re.escape(a) for a in spec.approx if not a[0].isalpha())
        self._approx_before = re.compile(rf"(?:{approx}|(?:{tilde})\s*)$")
        self._change = {kind: re.compile(phrase_regex(ws, after=r"") + r"(?:\s+(?:\w+\s+){0,2}?)?$")
                        for kind, ws in spec.changes.items()}
        self._more_after = re.compile(r"^\s*(?:more|extra|additional|new)\b")
        # "between 10 and 15", "10-15", "10 to 15"; a bare "and" joins two counts ("4 and 6 engineers")
        self._range = re.compile(
            rf"(?:between\s+{_NUM}\s*(?:and|-|–|to)\s*(?P<b2>\d{{1,7}})(?![.,]\d|\d)"
            rf"|{_NUM.replace('n1', 'm1')}(?:\s*(?:-|–|to|or)\s*(?P<n2>\d{{1,7}})(?![.,]\d|\d))?)(?P<plus>\+)?")
        order = ("of_us", "subset", "k8s", "platform", "pipelines", "org", "people")  # on a tie, the more specific wins
        noun = {kind: phrase_regex(spec.counted(kind), after=r"(?![\w&])")[len(r"(?<![\w&])"):]
                for kind in spec.counts}
        # modifiers between a number and its noun are words, never another number ("4 and 6 engineers"), never
        # a negation ("a team of 14 without any DevOps" counts no DevOps engineers), never a modal ("which of
        # these 3 should a team of 35 pick" counts tools), and never a thing counted in their place ("3
        # disconnected systems across the org" counts systems, not the org's people)
        self._counts = [(kind, re.compile(rf"^[\s-]*(?:(?!\d|(?:and|or|but|while|whereas|with|including|plus|"
                                          rf"without|no|not|none|zero|lacking|except|excluding|never|"
                                          rf"nobody|across|per|should|would|could|can|will|shall|must|might|may|do|does|did|"
                                          rf"{_THINGS})\b)[\w/&'.]+[\s-]+){{0,{spec.window}}}?"
                                          rf"{noun[kind]}"))
                        for kind in sorted(noun, key=order.index)]
        frames = sorted(((p, kind) for kind, ps in self._frames(spec).items() for p in ps), key=lambda pk: -len(pk[0]))
        self._before = [(kind, re.compile(r"(?<![\w-])" + r"[\s'\"]*".join(map(re.escape, p.split())) +
                                          r"[\s'\"]*(?:(?:honestly|really|basically|literally|actually|effectively|just|only|now|down\s+to|up\s+to|"
                                          r"back\s+to|at)\s+){0,2}"
                                          r"(?:[~≈]|about|around|roughly|approximately|approx\.?|nearly|almost|some)?\s*$"))
                        for p, kind in frames]
        # ("once you're past 20": a bound's words may follow one another)
        self._bound_before = {kind: re.compile(rf"(?:{phrase_regex(ws.before, after='')}\s*)+$")
                              for kind, ws in spec.bounds.items()}
        self._bound_after = {kind: re.compile(r"^\s*" + phrase_regex(ws.after))
                             for kind, ws in spec.bounds.items()}
        self._from_to = re.compile(r"\bfrom\s+\d{1,7}\s+(?:people\s+)?to\s*[~≈]?\s*$")

    @staticmethod
    def _frames(spec: QuantitySpec) -> dict[str, list[str]]:
        """The words before a number that say what it counts: those listed, and for every group a count names
        ("devops org", "sre group") its own frames, "… of", "… is", "… (", "… :", so a group added to one list
        is counted in every form ("our devops org (12 engineers)", "the sre group is 5")."""
        frames = {kind: list(ps) for kind, ps in spec.before.items()}
        for kind in ("platform", "k8s"):
            groups = [g for g in spec.counted(kind) if g.split()[-1] in _GROUP_NOUNS]
            have = set(frames.get(kind, []))
            frames[kind] = frames.get(kind, []) + [f for g in groups for f in (f"{g} of", f"{g} is", f"{g} (",
                                                                                   f"{g}:") if f not in have]
        return frames

    def read(self, low: str) -> list[Quantity]:
        """Every quantity in `low`, a lower-cased text whose number words are already digits."""
        out = []
        for m in self._range.finditer(low):
            first = "n1" if m.group("n1") is not None else "m1"
            n1, n2 = int(m.group(first)), m.group("b2") or m.group("n2")
            value, lowv = (int(n2), n1) if n2 is not None and int(n2) > n1 else (n1, None)
            end = m.end() if n2 is not None or m.group("plus") else m.end(first)
            before = low[max(0, m.start() - 40):m.start()]
            if n2 is not None and int(n2) < n1 and _GROW_FROM.search(before):
                value, lowv = int(n2), n1  # "the team shrank from 20 to 7": the head count now
            if value == 1 and lowv is None and _PRONOUN_ONE.search(before):
                continue  # "which one should our team go with?": "one" is a pronoun, not a head count
            after = re.split(r"[.;!?()\[\]:,]|\s[-–—]\s", low[end:end + 80], maxsplit=1)[0]
            change: Change | None = None
            core = _APPROX_TAIL.sub("", before)  # "grown to ~40", "hiring about 5": the change word is further back
            if self._change["to"].search(core) or self._from_to.search(core):
                change = "to"
            elif self._change["more"].search(core) or self._more_after.match(after):
                change = "more"
            if change is None and _GROW_FROM.search(before) and lowv is not None:
                change = "to"  # "we'll grow from 8 to 45": the new head count, not a range
            if change is None and _BY_WHEN.match(after):
                change = "to"  # "we're 8 now, 25 by summer": the head count to plan for
            # ("grow to 45 by the end of the year": the time phrase holds no noun the number counts)
            head = re.sub(r"\b(?:by|before|within|come)\b.*$", "", after, count=1) if _BY_WHEN.match(after) else after
            counts, noun = self._what(head)
            rest = after.strip(" -").split()
            if counts == "subset" and (role := _ROLE_AFTER.match(after[after.find(noun) + len(noun):])):
                counts = "k8s" if role.group("k8s") else "platform"  # "4 of whom are dedicated platform engineers"
            all_skilled = False
            if counts == "of_us":  # "there are 5 of us" is the team; "2 of us ran GKE" is a part of it
                tail = rest[len(noun.split()):]  # ("50 of my staff would be using it": after "of my staff")
                # "eight of us building an LLM copilot": what the team does, not what a part of it did
                # ("10 to 15 of us will use it": those who use the tool are the team)
                uses = " ".join(tail[:3]).startswith(("will use", "would use", "use it", "use the", "will be using",
                                                     "would be using", "are using", "will work", "work on")) or bool(
                    _DO_ML.match(" ".join(tail)))  # "between 10 and 15 of us touch models": those doing ML
                on_group = _ON_GROUP.match(" ".join(tail))  # "4 of us on platform, all with prod k8s"
                counts = "platform" if on_group else "people" if uses or not tail or tail[0] in _AFTER_BARE | {
                    "are", "here", "on", "doing"} or (
                    tail[0].endswith("ing") and len(tail[0]) > 5 and not _RAN_K8S.match(after)) else "subset"
                # "…, all with prod k8s": each of them has run Kubernetes in production, so they count as both
                all_skilled = bool(on_group and _ALL_SKILLED.search(low[end:end + 80]))
            if counts in ("other", "people", "pipelines"):
                # "a platform team of 8 runs…": a frame ending in "of" names what the number counts whatever
                # follows; other frames ("we are 12") only when nothing noun-like follows the number. A group's
                # own frame beats a plain noun: "platform team is 4 persons", "infra team (3 engineers)"
                framed = self._framed(before, change)
                group = framed[0] in ("k8s", "platform") and framed[1].endswith((" of", " is", "(", ":"))
                if (counts == "other" or group) and framed[0] != "other" and (
                        group or framed[1].endswith(" of") or not rest or rest[0] in _AFTER_BARE):
                    counts, noun = framed
            if value == 1 and lowv is None and counts in ("platform", "k8s") and noun.endswith(_GROUP_NOUNS):
                counts = "other"  # "one dedicated platform team" counts teams: a team is at least two people
            if value == 1 and lowv is None and counts == "people" and noun in _GROUP_NOUNS:
                counts = "other"  # "one team's on mlflow, one on wandb" counts teams, not the people in one
            tail_after = after[after.find(noun) + len(noun):] if noun in after else ""
            found = _SKILLED.match(tail_after) if tail_after else None
            # ("three people who have never run Kubernetes in prod": none of them)
            skilled = bool(found and not _NEVER.search(found.group()))
            if counts == "people" and skilled:
                counts = "k8s"  # "two people with production k8s experience", "3 engineers who've run EKS in prod"
            elif counts == "subset" and (ran := _RAN_K8S.match(after)) and not _NEVER.search(ran.group()):
                counts = "k8s"  # "three of our engineers came from Google where they ran GKE in production"
            if counts == "people" and (side := _ON_THE_SIDE.match(tail_after)):
                ran = bool(_RAN_K8S.match(tail_after[side.end():]))
                if value == 1 or re.search(r"\b(?:only|just)\s*$", before):
                    # "only one person on the platform team has run kubernetes": a part of the group
                    counts = "k8s" if ran else "subset"
                else:  # "3 folks on the infra side who've run GKE clusters in prod": the platform group, counted
                    counts, all_skilled = "platform", ran
            if counts == "people" and re.match(r"\s*(?:the|our|my|those|these)\s", after):
                counts = "subset"  # "a couple of the research folks sneak experiments onto Colab" (read "2 the …")
            if counts == "people" and value == 1 and lowv is None and _OF_THE_TEAM.match(after):
                counts = "subset"  # "one guy in my team prefers wandb": a member, not a team of one
            total = bool(_TOTAL_AFTER.match(after) or _TOTAL_BEFORE.search(before)) and counts in ("people", "other")
            if total and counts == "other":
                counts, noun = "people", "(in total)"
            out.append(Quantity(text=low[m.start():end], value=value, low=lowv, total=total,
                                bound=self._bound(before, tail_after if noun and noun in after else after,
                                                  bool(m.group("plus"))),
                                approx=bool(m.group("plus") or self._approx_before.search(before)),
                                change=change, counts=counts, noun=noun, start=m.start(), end=end,
                                skilled=(skilled or all_skilled) and counts == "platform"))
        return out

    def _bound(self, before: str, after: str, plus: bool) -> Bound | None:
        if plus:
            return "at_least"
        # the longer phrase wins: "no more than 3" is at most, though it ends in "more than"
        said = sorted((m.start(), kind) for kind, rx in self._bound_before.items() if (m := rx.search(before)))
        if said:
            return said[0][1]  # type: ignore[return-value]
        return next((kind for kind, rx in self._bound_after.items() if rx.match(after)), None)  # type: ignore[return-value]

    def _framed(self, before: str, change: Change | None) -> tuple[Counts, str]:
        """What a number with no noun after it counts, from the words before it; a bare new value ("grow
        to 45", "from 12 to 20") is a head count, and so is a number said of the people ("the data
        scientists are 7", "our ML group numbers around 40")."""
        if m := _PEOPLE_ARE.search(before):
            return "people", m.group().strip()
        # a count in apposition to a group is its head count: "our platform team — six engineers —",
        # "infra group: 3 people", read as the bracketed form "platform team (6"
        # ("devops: 0" is a frame of its own, tried first)
        for text in (before, _APPOSITION.sub(r" (\1", before)):
            for kind, rx in self._before:
                m = rx.search(text)
                if m:
                    frame = _APPROX_TAIL.sub("", m.group()).strip()  # "platform team ( about" is "platform team ("
                    return kind, frame  # type: ignore[return-value]
        if change == "to":
            return "people", "(a new head count)"
        return "other", ""

    def _what(self, after: str) -> tuple[Counts, str]:
        """The nearest counted noun after the number ("50-person org w/ a platform team" counts people)."""
        found = sorted((m.end(), i, kind, m.group()) for i, (kind, rx) in enumerate(self._counts)
                       if (m := rx.match(after)))
        if not found:
            return "other", ""
        _, _, kind, words = found[0]
        whole = next((f for f in found if f[2] == "of_us"), None)
        if kind == "subset" and whole is not None and whole[3].startswith(words):
            _, _, kind, words = whole  # "50 of my staff would be using it" is "of my staff", not "of my"
        if kind == "org" and _ML_STAFF.search(words):
            kind = "people"  # "nine modelling staff" are the ML people, not the organisation's employees
        if kind == "people" and words.strip(" -") in _COMPOUND:  # "5-person Kubernetes platform group"
            # …but not "30 people with a platform team": a preposition between ends the compound
            head = next((f for f in found[1:] if f[2] in ("k8s", "platform", "pipelines")
                         and not _BETWEEN.search(f[3][len(words):])), None)
            if head is not None:
                _, _, kind, words = head
        return kind, words.strip(" -")  # type: ignore[return-value]


_ML_STAFF = re.compile(r"\b(?:modell?ing|ml|machine\s+learning|data\s+science|ds|analytics|quant|ai|research)"
                       r"\s+staff\b")


@cache
def load_spec() -> QuantitySpec:
    path = Path(str(files("advisor.data").joinpath("quantities.yaml")))
    return validate(QuantitySpec, load_yaml(path), path)  # type: ignore[return-value]


@cache
def number_words() -> NumberWords:
    """The shared number-word reader."""
    return NumberWords(load_spec().numbers)


@cache
def quantity_reader() -> QuantityReader:
    return QuantityReader(load_spec())
