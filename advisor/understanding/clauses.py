"""Clauses of a normalised message, and what scopes each one: a negation, a question, someone else.

The meaning reader compares clauses, not whole messages, with its examples: "Insurance company, 30 ML
engineers, platform team on Kubernetes; regulators forbid customer data in the cloud." states four facts
in four clauses. Offsets are into the normalised text, so a lexicon match can be mapped to its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Where one clause ends: sentence punctuation, list bullets, parentheses, dashes used as breaks, and the
# conjunctions that start a new statement. A comma ends a clause too, except inside a number ("1,200"; "40, there"
# ends one).
_BOUNDARY = re.compile(
    r"[.!?;]+[\"'\u201d\u2019]*(?=\s|$)|\n|(?<!\d),(?!\d)|(?<=\d),(?=\s)(?!\s+(?:all|both|each|none|most|half|every|of\s+whom|who|which)\b)|\s[-–—]\s|[()\[\]]|\s\+\s|"
    r"\b(?:but|however|although|though|whereas|while|except that|plus)\b|"
    r"\band\s+(?=(?:we|our|i|the|they|there|it|nobody|none|no|a|an)\b)|"
    r"\b(?:since|because|as)\s+(?=(?:we|our|i)\b)"
)
_WORD = re.compile(r"[\w&'+-]+")
# Brackets that end no clause: a count glossing the words before it ("a platform team (3 people) running
# kubernetes in production") or an aside that only says who is included ("none of us (including her) has run
# Kubernetes", whose denial must reach the verb)
_INNER_BRACKETS = re.compile(r"\(\s*(?:~|about\s+|around\s+|approx\.?\s+)?\d+\+?(?:\s+[a-z]+)?\s*\)|"
                          r"\(\s*(?:including|incl\.?|even|excluding|except|me\s+included|her\s+included|"
                          r"him\s+included|them\s+included)\b[^()]{0,30}\)")
# the words that say people are gone (also read after a count: "the two platform engineers who built it have left")
GONE = r"(?:left|quit|resigned|departed)"
_NEGATION = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|zero|lack|lacks|lacking|nope|nah|"
    # a ban denies too: "security has ruled out any private-cloud deployment", "regulators forbid SaaS"
    r"ruled\s+out|rules?\s+out|forbids?|forbidden|forbade|prohibits?|prohibited|banned|bans|non-?starters?|no-go|"
    r"off\s+the\s+table|out\s+of\s+the\s+question|vetoed|rejected|turned\s+down|"
    # people gone deny they are here: "the two platform engineers who built it have left"
    r"(?:have|has|had)\s+(?:all\s+|both\s+|since\s+|now\s+|just\s+)?" + GONE + r"|quit|resigned|"
    # "left" alone may be what remains ("3 people left"); with a time or a place it is gone
    r"left\s+(?:in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"\d{4}|the\s+(?:spring|summer|autumn|fall|winter))|last\s+(?:year|month|week|quarter|spring|summer|autumn|fall|"
    r"winter)|the\s+(?:company|team|firm|org\w*|business)|us|recently|earlier\s+this\s+\w+|this\s+(?:year|month|"
    r"week|quarter)|a\s+(?:while|month|year|few\s+\w+)\s+ago))\b"
    # "scratch the deadline", "forget the budget part": what the clause names no longer holds
    # ("ok forget the bank thing, not happening")
    r"|^\W*(?:(?:ok|okay|so|and|but|right|alright|fine|yeah)\W+)?(?:scratch|scrap|forget(?:\s+about)?|never\s*mind|"
    r"drop)\s+(?:the|that|our|my|this)\b")
# A clause opening with an auxiliary asks ("does W&B have…"); a wh-word only asks with a "?" ("which is
# not in the budget" is a relative clause).
# "do not care about lock-in", "is not a concern": a negated auxiliary opens a statement, not a question
# A discourse word may come first: "so what would run the pipelines then", "ok does it do on-prem"
# ("and roughly what are 40 seats costing us": an adverb before the wh-word still opens a question)
# ("last one: what's the per-user price", "quick q: does W&B do sweeps": a label before a colon opens nothing)
_LEAD = (r"^\W*(?:(?:(?:last|final|one\s+more|another|quick|next|related|follow[- ]?up|side|different)\s+(?:1|one|q|"
         r"qn|question|thing|ask)|q|qn|question|and|also)\s*:\s*)?"
         r"(?:(?:so|ok|okay|k|and|but|then|well|also|oh|hmm|right|alright|cool|great|thanks|btw|anyway|"
         r"roughly|honestly|seriously|realistically|actually|basically|quickly|lastly|finally|now)\W+){0,3}")
_FILLER = re.compile(r"(?:(?:lol|lmao|haha+|hah|ha|ok|okay|k|hmm+|hm|right|yeah|yes|yep|sure|fair|cool|nice|wow|oh|ah|"
                     r"well|thanks|thx|ty|alright|got\s+it|i\s+see|fair\s+enough)\W*){1,4}")
_QUESTION_START = re.compile(_LEAD + r"(?:(?:does|do|did|is|are|can|could|will|would|should|has|have|any idea)\b"
                             r"(?!\s+not\b)|"
                             # a negated auxiliary before its subject asks: "isn't W&B meant to be the best for
                             # llm stuff", "doesn't it do that already", "wouldn't that lock us in"
                             r"(?:does|do|did|is|are|was|were|can|could|will|would|should|has|have)\s+not\s+"
                             r"(?:(?:it|that|this|they|there|you|we|he|she)\b|[\w&.-]+\s+(?:meant|supposed|the\s+best|"
                             r"better|best|able|free|open\s+source|cheaper)\b))"
                             # "would love a shared view the ops managers can check" wishes
                             r"(?!\s+(?:really\s+)?(?:love|like|prefer|appreciate)\s+(?!to\s+know\b|if\b|it\s+if\b))"
                             # "is very important for us that…" (non-native word order) states a need
                             r"(?!\s+(?:very\s+|really\s+|so\s+|extremely\s+)?(?:important|necessary|essential|critical|"
                             r"crucial|mandatory|required|key)\s+(?:for|to|that)\b)")
# "what we need (most) is orchestration": a pseudo-cleft states; it asks only with a "?"
_CLEFT = re.compile(_LEAD + r"what\s+(?:(?:we|i|they|our\s+\w+|the\s+team)\s+(?:\w+\s+){0,3}?|"
                    r"(?:really\s+)?(?:matters|counts|worries\s+(?:us|me)|bothers\s+(?:us|me)|concerns\s+(?:us|me))\s+(?:\w+\s+){0,3}?)(?:is|are|was)\b")
# a wh-word asks when a verb follows it ("how long does…", "what would W&B cost"); "what we need is" states
# ("what about lock-in with wandb": "what about" / "how about" ask with or without a verb; "which of kubeflow
# and weights & biases is cheaper" asks, whatever names stand between "of" and its verb)
_WH_START = re.compile(_LEAD + r"(?:(?:what|how)\s+about\b|"
                       # "what % of data science projects never make it to production": a share asked, no verb after
                       r"(?:what|which)\s+(?:%|percent\w*|share|proportion|fraction|portion)\s+of\b|"
                       r"(?:how|what|who|where|when|why)(?:'s|’s)\s+\w|"
                       r"(?:how(?:\s+(?:much|many|long|hard|big|quickly|fast|"
                       r"soon|often|bad))?|what|which|who|why|"
                       r"when|where)\s+(?:of\s+(?:\S+\s+){1,5}?|(?:\w+\s+){0,2}?)(?:is|are|was|were|does|do|did|dose|would|should|could|"
                       r"can|will|has|have|it's|its|made|built|created|founded|develops|maintains|owns|makes)\b)")
# "what actually serves big models out of the three": "what" and a verb of the tool asks (a clause that opens
# "which runs our own clusters" is a relative clause, which asks only with a "?")
_TOOL_DOES = (r"(?:serves|runs|handles|supports|offers|gives|tracks|schedules|orchestrates|integrates|costs|works|"
              r"fits|needs|takes|wins|scales)\b")
_WHAT_DOES = re.compile(_LEAD + r"what\s+(?:\w+\s+)?" + _TOOL_DOES)
_WHICH_DOES = re.compile(_LEAD + r"(?:which|who)\s+(?:(?:one|1|tool|of\s+them|of\s+the\s+(?:3|three))\s+)?(?:\w+\s+)?"
                         + _TOOL_DOES)


# a negated trouble word says yes: "(we have) not problem to put data in cloud", "no objection to SaaS"
# ("lock-in is not a concern", "budget is not an issue" stay negations: they deny a worry)
_ALLOWS = re.compile(r"\b(?:no|not|never)\s+(?:a\s+|an\s+|any\s+|real\s+)?(?:problems?|issues?|trouble)\s+"
                     r"(?:to|with|putting|using|sending|storing|moving|going)\b|"
                     r"\b(?:no|not|never)\s+(?:a\s+|an\s+|any\s+|real\s+)?(?:objections?|restrictions?|rules?\s+against)\b|"
                     r"\bnot\s+(?:against|opposed)\b|\bdo(?:n't|\s+not)\s+mind\b|\bnothing\s+(?:stops|prevents)\b")


# "(and) our reports", "the sweeps history": a bare noun phrase, which a question after it takes up
_DISLOCATED = re.compile(r"^(?:(?:and|but|so|ok|also|what\s+about)\s+)?(?:our|my|the|all\s+(?:our|the))\s+"
                         r"(?:[\w&'-]+\s+){0,3}?[\w&'-]+$")
_ASKED_BACK = re.compile(r"^(?:(?:do|does|did|will|would|can|could|are|is|were|was)\s+)?(?:they|it|these|those|them)\b|"
                         r"^(?:what|how)\s+(?:about|happens\s+to)\s+(?:them|it)\b")
_TAG = re.compile(r"^(?:no|right|yes|yeah|correct|true|eh|innit|or\s+not|(?:isn't|aren't|doesn't|don't|won't|wouldn't|"
                  r"can't|hasn't|haven't)\s+(?:it|they|he|she|we|you|there)|"
                  # a word trailing the question after a comma: "how would you lay out the stack, then?"
                  r"then|though|tho|anyway|anyways|please|pls|exactly|in\s+that\s+case|if\s+so|in\s+your\s+view)\W*$")


def negation_in(text: str) -> bool:
    return bool(_NEGATION.search(_ALLOWS.sub(" ", text)))


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    start: int
    end: int
    negated: bool
    question: bool
    wh: bool = False  # opens with a wh-word: a question even without "?" ("how much does kubeflow cost")

    def __len__(self) -> int:
        return len(_WORD.findall(self.text))


_NEG_SUBJECT = re.compile(r"^\W*(?:(?:and|but)\s+)?(?:neither|nor|none|nobody|no\s+one|"
                          r"not\s+(?:one|a\s+single|even))\b")
_SUBJECTLESS = re.compile(r"^\W*(?:has|have|had|is|are|was|were|knows?|knew|runs?|ran|does|did|can|could|will|would|"
                          r"owns?|manages?|operates?|touched)\b")
_SENTENCE_END = re.compile(r"[.!?;]")
# a clause a question rests on states the asker's situation: "which tool should our org standardise on, given a
# 4-person platform team that runs Kubernetes in production?"
_GIVEN = re.compile(r"^\W*(?:given|considering|seeing\s+as|now\s+that)\b")


def split_clauses(norm: str) -> list[Clause]:
    """The clauses of `norm` (a normalised, lower-cased message), in order; empty ones dropped."""
    out: list[Clause] = []
    pos, opens = 0, True
    # the brackets are hidden from the boundaries only: clause texts keep them
    masked = _INNER_BRACKETS.sub(lambda m: " " + m.group()[1:-1] + " ", norm)
    marks = [(m.start(), m.end(), m.group()) for m in _BOUNDARY.finditer(masked)]
    for start, end, mark in [*marks, (len(norm), len(norm), "")]:
        _add(out, norm, pos, start, question="?" in mark, opens=opens)
        # an auxiliary opens a question only at a sentence's start: "our infra group (4 engineers) has run
        # Kubernetes" goes on a statement after the brackets; a conjunction that opens the sentence leaves it
        # open ("but shouldn't we use W&B Weave, since it's all LLM work?")
        opens = bool(re.match(r"[.!?;\n]", mark.strip() or ".")) or (opens and not _WORD.search(norm[pos:start]))
        pos = end
    # after a bare interjection the clause opens the sentence: "lol ok but isn't W&B meant to be the best…"
    for k in range(1, len(out)):
        if not out[k].question and _FILLER.fullmatch(out[k - 1].text) and _QUESTION_START.match(out[k].text):
            out[k] = replace(out[k], question=True)
    # a tag question asks what it follows: "but W&B has the best dashboards, no?" states nothing of the team
    # (and its "no" denies nothing)
    for k in range(len(out) - 1, 0, -1):
        if out[k].question and _TAG.match(out[k].text):
            out[k - 1] = replace(out[k - 1], question=True)
            del out[k]
    # a noun put first and asked about by a pronoun: "and our reports, do they come across?" states nothing
    for k in range(len(out) - 1):
        if out[k + 1].question and _DISLOCATED.match(out[k].text) and _ASKED_BACK.match(out[k + 1].text) \
                and not _SENTENCE_END.search(norm[out[k].end:out[k + 1].start]):
            out[k] = replace(out[k], question=True)
    # a verb with no subject of its own belongs to a denied subject before it: "neither of the MLEs, nor anyone
    # else on the team, has run Kubernetes in prod" is one denial, not "has run Kubernetes in prod"
    # (an aside between them may come too: "none of us, as far as I know, has run k8s in production")
    k = len(out) - 1
    while k > 0:
        j, first = k, None
        while j > 0 and k - j < 4 and not _SENTENCE_END.search(norm[out[j - 1].end:out[j].start]) and (
                _NEG_SUBJECT.match(out[j - 1].text) or len(out[j - 1]) <= 4):
            j -= 1
            if _NEG_SUBJECT.match(out[j].text):
                first = j
        if first is not None and _SUBJECTLESS.match(out[k].text):
            text = norm[out[first].start:out[k].end]
            out[first:k + 1] = [Clause(text=text, start=out[first].start, end=out[k].end, negated=True,
                                       question=out[k].question, wh=False)]
            k = first - 1
        else:
            k -= 1
    return out


def _add(out: list[Clause], norm: str, a: int, b: int, question: bool, opens: bool = True) -> None:
    piece = norm[a:b]
    stripped = piece.strip(" \t-*•·>\"'")
    if not _WORD.search(stripped):
        if (question or "?" in piece) and out and not _SENTENCE_END.search(norm[out[-1].end:a]):
            # "isn't the kubernetes one also open source though?": the mark after a trailing "though" asks
            out[-1] = replace(out[-1], question=True)
        return
    offset = a + piece.index(stripped)
    out.append(Clause(text=stripped, start=offset, end=offset + len(stripped),
                      negated=negation_in(stripped),
                      # ("Is much." is a non-native "that's a lot": a question unmarked needs three words)
                      question=(question and not _GIVEN.match(stripped))
                      or (opens and bool(_QUESTION_START.match(stripped)) and len(_WORD.findall(stripped)) >= 3),
                      wh=(bool(_WH_START.match(stripped)) and (question or not _CLEFT.match(stripped)))
                      or bool(_WHAT_DOES.match(stripped)) or (question and bool(_WHICH_DOES.match(stripped)))))


def clause_at(clauses: list[Clause], position: int) -> Clause | None:
    """The clause holding `position` (an offset into the normalised text)."""
    for c in clauses:
        if c.start <= position < c.end:
            return c
    return min(clauses, key=lambda c: min(abs(c.start - position), abs(c.end - position)), default=None)
