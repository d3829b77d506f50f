"""Conversations: the one chat API that the terminal, the browser UI and the Slack bot all use.

The team profile accumulates across turns (later statements correct earlier ones, "hire two more" adds),
and the topic carries over: a follow-up that names no tool ("how long does it take to set up?", "and what
would it cost us?") is about the tool just discussed or recommended, and keeps the dimension (setup time,
cost, lock-in, ...) when it names none either ("what about W&B?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel

from advisor.answer import Answer, StreamEvent
from advisor.profile import CORE_TOOLS, TeamProfile
from advisor.service import Advisor
from advisor.understanding.evidence import Evidence, Topic
from advisor.understanding.reading import BACK_TO_REALITY, LEAVES, OWN_TEAM, THIRD_PERSON, Context, merge_evidence

# a new subject said in so many words: "separate question, for my own firm this time, nothing to do with the hospital"
_ANOTHER_SUBJECT = re.compile(r"\b(?:separate|different|unrelated|new|another|other)\s+(?:question|topic|matter|"
                              r"subject)\b|\bnothing\s+to\s+do\s+with\b|\bthis\s+time\b")


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


def _with_facts(team: tuple[TeamProfile, list[Evidence]], facts: dict,
                evidence: list[Evidence]) -> tuple[TeamProfile, list[Evidence]]:
    """`team` (a profile and its evidence) with `facts` said of it added, each with its evidence from `evidence`."""
    if not facts:
        return team
    profile, kept = team
    return (profile.merged(TeamProfile.model_validate(facts)),
            [*(e for e in kept if e.field not in facts), *(e for e in evidence if e.field in facts)])


class Conversation:
    def __init__(self, advisor: Advisor, profile: TeamProfile | None = None):
        self.advisor = advisor
        self.profile = profile or TeamProfile()
        self.topic: str | None = None  # the tool under discussion
        self.dimension: str | None = None  # what about it (setup, cost, lock-in, ...)
        self.evidence: list[Evidence] = []
        self.turns: list[Turn] = []
        self.last_intent: str | None = None
        self.last_question: str | None = None  # the last message that asked something in full
        self.pick: str | None = None  # the last recommendation's primary ("we'll go with your pick")
        self.move: str | None = None  # the migration path last quoted ("and going back?" reverses it)
        self.doubts: list[Evidence] = []  # facts half-said so far: each message's reading carries them on
        self.advisee = False  # the profile is a client's the asker advises, not the asker's own team
        self.named: list[str] = []  # the compared tools the asker has named, latest last ("the other one")
        # the tools the last answer put forward, foremost first (its pick, the tools it gave parts of the stack,
        # its secondaries): "which of the two is cheaper?" weighs the first two
        self.offered: list[str] = []
        # the team as it was before the what-ifs now in force ("what if only one of us had k8s?"), which
        # "ok back to reality" brings back
        self.real: tuple[TeamProfile, list[Evidence]] | None = None
        self.real_pick: str | None = None  # the pick for that team, which a follow-up after "back to reality" is about
        self.weighing: str | None = None  # a move the last message weighed without asking about it
        # a team a question asked about without claiming it ("should a 12-person team … go for kubeflow?"), with
        # its evidence: taken as ours when a later message speaks of us and of no other team
        self.supposed: tuple[TeamProfile, list[Evidence]] | None = None
        # another team advised on while ours was known ("our client is a big bank… what about them?"), which a
        # later "them" means
        self.their: TeamProfile | None = None
        self.restored = False  # this message brought back the team as it was before the what-ifs

    @property
    def context(self) -> Context:
        topic = Topic(tool=self.topic, dimension=self.dimension) if self.topic or self.dimension else None
        return Context(profile=self.profile, topic=topic, evidence=self.evidence, intent=self.last_intent,
                       question=self.last_question, pick=self.pick, doubts=self.doubts, advisee=self.advisee,
                       move=self.move, named=self.named, offered=self.offered, supposing=self.real is not None,
                       weighing=self.weighing,
                       supposed=self.supposed[0] if self.supposed else None,
                       supposed_evidence=self.supposed[1] if self.supposed else [], their=self.their,
                       restored=self.restored)

    def snapshot(self) -> dict:
        """The conversation's state as plain data (a browser session keeps it between questions)."""
        return {"profile": self.profile.model_dump(), "topic": self.topic, "dimension": self.dimension,
                "evidence": [e.model_dump() for e in self.evidence], "last_intent": self.last_intent,
                "last_question": self.last_question, "pick": self.pick, "move": self.move, "weighing": self.weighing,
                "doubts": [d.model_dump() for d in self.doubts], "advisee": self.advisee, "named": self.named,
                "offered": self.offered,
                "real": None if self.real is None else {"profile": self.real[0].model_dump(),
                                                        "evidence": [e.model_dump() for e in self.real[1]]},
                "real_pick": self.real_pick,
                "their": None if self.their is None else self.their.model_dump(),
                "supposed": None if self.supposed is None else {
                    "profile": self.supposed[0].model_dump(), "evidence": [e.model_dump() for e in self.supposed[1]]},
                "turns": [t.model_dump() for t in self.turns[-2:]]}

    @classmethod
    def restore(cls, advisor: Advisor, snap: dict) -> Conversation:
        conv = cls(advisor, TeamProfile.model_validate(snap.get("profile") or {}))
        conv.topic, conv.dimension = snap.get("topic"), snap.get("dimension")
        conv.evidence = [Evidence.model_validate(e) for e in snap.get("evidence") or []]
        conv.last_intent, conv.last_question = snap.get("last_intent"), snap.get("last_question")
        conv.pick = snap.get("pick")
        conv.move = snap.get("move")
        conv.weighing = snap.get("weighing") if isinstance(snap.get("weighing"), str) else None
        conv.doubts = [Evidence.model_validate(d) for d in snap.get("doubts") or []]
        conv.advisee = bool(snap.get("advisee"))
        conv.real_pick = snap.get("real_pick") if isinstance(snap.get("real_pick"), str) else None
        conv.named = [t for t in snap.get("named") or [] if isinstance(t, str)]
        conv.offered = [t for t in snap.get("offered") or [] if isinstance(t, str)]
        conv.their = TeamProfile.model_validate(snap["their"]) if isinstance(snap.get("their"), dict) else None
        if real := snap.get("real"):
            conv.real = (TeamProfile.model_validate(real.get("profile") or {}),
                         [Evidence.model_validate(e) for e in real.get("evidence") or []])
        if supposed := snap.get("supposed"):
            conv.supposed = (TeamProfile.model_validate(supposed.get("profile") or {}),
                             [Evidence.model_validate(e) for e in supposed.get("evidence") or []])
        conv.turns = [Turn.model_validate(t) for t in snap.get("turns") or []]
        return conv

    @classmethod
    def from_history(cls, advisor: Advisor, history: Iterable[Turn | dict]) -> Conversation:
        """Rebuild the state from a transcript (a UI's or a Slack thread's) without answering again."""
        conv = cls(advisor)
        for item in history:
            turn = item if isinstance(item, Turn) else Turn.model_validate(item)
            if turn.role == "user":
                reading = advisor.read(turn.content, conv.context)
                if conv.context.adopts_supposed(reading):
                    conv.profile, conv.evidence = conv.supposed  # type: ignore[misc]
                conv.supposed = conv._suppose(turn.content, reading.first_person, reading.supposed.known(),
                                              reading.advisee, reading.set_aside)
                if reading.supposed.known() and not reading.stated.known() and conv.profile.known():
                    conv.their = reading.supposed  # a client asked about while our team was known
                conv.profile = reading.apply(conv.profile)
                conv.evidence = merge_evidence(conv.evidence, reading)
                conv.doubts = reading.doubts
                conv._remember(turn.content, reading.intent, reading.elliptical, reading.topic)
            else:  # the tool an answer named ("**Recommendation: MLflow**") is what a follow-up is about
                named = advisor.vocab.compared(advisor.vocab.find_tools(turn.content))
                if named:
                    conv.topic = named[0]
                conv.offered = named
            conv.turns.append(turn)
        return conv

    def stream(self, message: str) -> Iterator[StreamEvent]:
        low = message.lower()
        if self.profile.known() and OWN_TEAM.search(low) and _ANOTHER_SUBJECT.search(low):
            # the team described so far was someone else's (a client's, a hospital's): ours starts afresh
            self.profile, self.evidence, self.doubts = TeamProfile(), [], []
            self.real = self.real_pick = self.pick = self.topic = self.move = self.weighing = None
            self.advisee = False
        self.restored = False
        if self.real is not None and BACK_TO_REALITY.search(low):
            self.profile, self.evidence = self.real
            self.real = None
            self.restored = True
            if self.real_pick and not self.advisor.vocab.compared(self.advisor.vocab.find_tools(message)):
                # ("back to the real world: is it a faff to set up?" asks of the pick for the real team)
                self.pick = self.topic = self.real_pick
        for event in self.advisor.stream(message, self.context):
            if event.answer is not None:
                self._record(message, event.answer)
            yield event

    def ask(self, message: str) -> Answer:
        for event in self.stream(message):
            if event.answer is not None:
                return event.answer
        raise AssertionError("stream ended without an answer")  # pragma: no cover

    def _record(self, message: str, answer: Answer) -> None:
        kept = answer.profile
        read = answer.understanding
        if self.advisee and read is not None and read.stated and OWN_TEAM.search(message.lower()):
            self.advisee = False  # "now for my own shop - we're 6": the answer's profile is ours alone
        elif read and read.supposed and read.advisee and not self.profile.known():
            self.advisee = True  # "my client is an insurer with ~60 people": the follow-ups are about it
        elif read and read.supposed:  # advice for "a regulated insurer" is not a statement that we are one
            if self.profile.known() and not read.stated:
                self.their = TeamProfile.model_validate(read.supposed)
            # (nor is a first question about "a 12-person team with one devops engineer", though some writers
            # mean their own: keeping a supposed team's facts could decide a later pick on a team nobody claimed,
            # while dropping them leaves the conservative defaults until the team says who it is)
            before = self.profile.model_dump()
            kept = {k: (before[k] if k in read.supposed else v) for k, v in kept.items()}
        kept = TeamProfile.model_validate(kept)
        if read is not None and read.stated and kept != self.profile:
            if read.what_if:
                # ("(we already run retraining on a schedule, btw)": true whatever the what-if)
                real = _with_facts(self.real or (self.profile, self.evidence), read.real, answer.profile_evidence)
                if self.real is None:
                    self.real_pick = self.pick
                self.real = real
            elif self.real is not None and self._aside(read.stated):
                # "oh and fwiw we do have scheduled retraining already" during a what-if about hires: a fact of the
                # team as it is, which the what-if did not touch; "back to reality" later keeps it
                self.real = _with_facts(self.real, read.stated, answer.profile_evidence)
            else:  # the team said something of itself as it is: any what-if before is now its own history
                self.real = None
        self.profile = kept
        self.evidence = answer.profile_evidence
        if read is not None:
            self.supposed = self._suppose(message, read.first_person, read.supposed, read.advisee, read.set_aside)
        if answer.understanding is not None:
            self.doubts = answer.understanding.doubts
        self.turns += [Turn(role="user", content=message), Turn(role="assistant", content=answer.answer)]
        self.offered = self._offered(message, answer)
        topic = read.topic if read else Topic()
        if answer.recommendation is not None and answer.recommendation.primary:
            self.pick = answer.recommendation.primary
        if answer.migration:
            self.move = answer.migration
            # "what does adding it on top of our MLflow involve?" (it: Kubeflow): the move named only where it
            # starts; what is talked about next is where it goes ("…leave it for Vertex later?" leaves Kubeflow)
            vocab = self.advisor.vocab
            there, _, to = answer.migration.partition(" to ")
            named, ends = vocab.find_tools(message), vocab.compared(vocab.find_tools(to))
            # ("…to something managed like SageMaker Pipelines?" of the row "Kubeflow to Vertex AI or SageMaker
            # Pipelines": where the message said it goes, or where the talk already went)
            lands = sorted(ends, key=lambda t: (t not in named, t != self.topic))[:1]
            # ("how painful is it to get off kubeflow?": no destination chosen, the talk stays on what is left)
            leaves_only = not set(ends) & set(named) and bool(LEAVES.search(message))
            if lands and not leaves_only and topic.tool in vocab.find_tools(there) and (
                    lands[0] not in named or len(ends) > 1):
                topic = topic.model_copy(update={"tool": lands[0], "carried": False})
        self.weighing = self.advisor.reader.weighed_move(read.destination if read else None, answer.intent,
                                                         self.profile)
        theirs = read.theirs if read is not None else []
        if answer.recommendation is not None and (not topic.tool or topic.carried or topic.tool in theirs or (len(
                self.advisor.vocab.compared(self.advisor.vocab.find_tools(message))) > 1
                and not self.advisor.table_reader.about_migration(message)) or (
                topic.tool not in CORE_TOOLS and read is not None and read.stated.get("platform") is not None)):
            # a recommendation with no tool named (or only another team's: "the ads team have used Kubeflow for
            # years … what would you suggest?"), or chosen among several ("mlflow, kf or wandb?", not "should
            # we move from W&B to MLflow?", whose move the next turn may ask about): the pick is what the next
            # follow-up is about (so it is when the only other tool named is the platform the team runs on: "GKE
            # plus Vertex AI for some batch prediction … what should anchor this?")
            topic = topic.model_copy(update={"tool": answer.recommendation.primary, "carried": False})
        self._remember(message, read.intent if read else None, bool(read and read.elliptical), topic)

    def _aside(self, stated: dict) -> bool:
        """Whether facts stated during a what-if leave alone every fact the what-if supposed (so they are said
        of the team as it is, not an adoption of the what-if)."""
        if self.real is None:
            return False
        real, now = self.real[0].known(), self.profile.known()
        supposed = {k for k in {*real, *now} if real.get(k) != now.get(k)}
        return bool(supposed) and not set(stated) & supposed

    def _offered(self, message: str, answer: Answer) -> list[str]:
        """The tools an answer put forward, foremost first: a recommendation's pick, the tools it gave parts of the
        stack, its secondaries; else the tools the question asked about (its "the two" as read), then the tool
        under discussion, then those the answer's text names."""
        vocab, read, rec = self.advisor.vocab, answer.understanding, answer.recommendation
        if rec is not None and rec.primary:
            ranked = [rec.primary, *answer.layer_picks.values(), *rec.secondary]
        else:
            asked = " ".join([message, *(read.spelling.values() if read else ())])
            about = [read.topic.tool] if read and read.topic.tool else []
            said = vocab.compared(vocab.find_tools(answer.answer))
            ranked = [*vocab.compared(vocab.find_tools(asked)), *about, *said]
        return list(dict.fromkeys(ranked))

    def _suppose(self, message: str, first_person: bool, supposed: dict, advisee: bool,
                 evidence: list[Evidence]) -> tuple[TeamProfile, list[Evidence]] | None:
        """The team a message asks about without claiming it, while no team of ours is known, kept for a later
        "we" to take up; not a client's (kept already), nor one the asker calls "they" ("what would they use?"),
        nor one asked about in the first person ("my friend's startup is 10 people"). A message that speaks of
        us ends the wait, taken up or not."""
        if first_person or self.profile.known():
            return None
        if supposed and not advisee and not THIRD_PERSON.search(message.lower()):
            kept = {}
            for e in evidence:  # the first reading of each fact, said now as what it became
                if e.field in supposed and e.field not in kept:
                    kept[e.field] = e.model_copy(update={"detail": "asked about without claiming it; taken as "
                                                         "yours when you went on to speak of your own team"})
            return TeamProfile.model_validate(supposed), list(kept.values())
        return self.supposed

    def _remember(self, message: str, intent: str | None, elliptical: bool, topic: Topic) -> None:
        """What the next message may lean on: what this one asked, in full unless it was elliptical, and
        the tool and dimension it was about."""
        self.last_intent = intent
        named = self.advisor.vocab.compared(self.advisor.vocab.find_tools(message))
        self.named = [*(t for t in self.named if t not in named), *named][-6:]
        if not elliptical:
            self.last_question = message
        if topic.tool:
            self.topic = topic.tool
        if topic.dimension:
            self.dimension = topic.dimension
