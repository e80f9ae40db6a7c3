"""Product 6's section of the plan: decisions on the starter principles and the agreement's details."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ...core.plan import LongText, Model, ShortText
from ...core.product import Problem

DECISIONS = ("adopt", "adapt", "set aside")
#: The decisions that keep a principle in the agreement (and give it a rank).
INCLUDED = ("adopt", "adapt")
DECISION_LABEL: dict[str | None, str] = {
    "adopt": "adopted",
    "adapt": "adapted",
    "set aside": "set aside",
    None: "not decided yet",
}
MAX_RANK = 50


class PrincipleChoice(Model):
    """What the team decided about one starter principle (ids and ranks are checked by product 6)."""

    principle: str = Field(min_length=1, description="id of a starter principle in the product 6 content")
    decision: Literal["adopt", "adapt", "set aside"] | None = Field(
        default=None, description="adopt, adapt or set aside; empty = not decided yet"
    )
    local_wording: LongText = Field(default="", description="the team's wording, used when the decision is adapt")
    rank: int | None = Field(
        default=None, ge=1, le=MAX_RANK, description="priority among adopted and adapted principles, 1 = highest"
    )
    commitment: LongText = Field(default="", description="what the partners commit to do under this principle")
    reason: LongText = Field(default="", description="why the principle was set aside (optional)")


class JointPrioritiesSection(Model):
    """What the team enters in product 6."""

    choices: list[PrincipleChoice] = Field(default_factory=list)
    agreement_title: ShortText = ""
    signatories: list[ShortText] = Field(default_factory=list, description="roles that will sign the agreement")


def check(section: JointPrioritiesSection) -> Iterator[Problem]:
    """Choices must name starter principles that exist, each once; ranks must differ among the kept ones."""
    from .content import principle_titles

    known = principle_titles()
    expected = "one of the starter principle ids: " + ", ".join(known)
    first_at: dict[str, int] = {}
    rank_at: dict[int, int] = {}
    for i, choice in enumerate(section.choices):
        if choice.principle not in known:
            yield ("choices", i, "principle"), expected
        elif choice.principle in first_at:
            yield (
                ("choices", i, "principle"),
                f"each principle at most once ({choice.principle!r} is already "
                f"at choices[{first_at[choice.principle]}])",
            )
        else:
            first_at[choice.principle] = i
        if choice.decision in INCLUDED and choice.rank is not None:
            if choice.rank in rank_at:
                yield (
                    ("choices", i, "rank"),
                    f"a rank no other adopted or adapted principle has (rank {choice.rank} is also at "
                    f"choices[{rank_at[choice.rank]}])",
                )
            else:
                rank_at[choice.rank] = i
