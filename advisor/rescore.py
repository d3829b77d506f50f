"""Re-score an edited team profile at once: the rules alone, no retrieval, no model, no trace.

The browser UI calls this when a user corrects the profile the advisor understood. Citation numbers of
the answer being revised are kept, so the [n] markers already on screen still point at the same passage.
"""

from __future__ import annotations

from advisor.answer import Answer
from advisor.composer import Citations, join_blocks
from advisor.profile import TeamProfile
from advisor.service import Advisor

EDITED_QUESTION = "(team profile edited)"


def rescore(advisor: Advisor, profile: TeamProfile, previous: Answer | None = None) -> Answer:
    """The recommendation for `profile`, as an Answer (intent `recommend`), numbering new passages after
    those of `previous`."""
    # As in a conversation: the team has described itself, so conservative defaults stand in for gaps.
    decision = advisor.engine.decide(profile, assume=True)
    cites = Citations(advisor.retriever.by_id)
    if previous is not None:
        cites.items = [c.model_copy() for c in previous.citations]
    blocks, structured = advisor.composer.recommend(decision, cites)
    answer = Answer(question=previous.question if previous else EDITED_QUESTION, answer=join_blocks(blocks),
                    in_scope=True, intent="recommend", profile=profile.model_dump())
    for key, value in structured.items():
        setattr(answer, key, value)
    answer.citations = cites.items
    return answer
