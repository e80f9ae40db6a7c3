"""Product 2's section of the plan: the ranked local priorities and the actions on them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import Field

from ...core.plan import ActionStatus, Lead, LongText, Model, ShortText
from ...core.product import Problem
from .content import objective_titles

#: How each lead of an action is named in tables and forms.
LEADS: dict[str, str] = {"joint": "Joint", "LA": "Local authority", "health": "Health"}


class LocalPriority(Model):
    """A health objective the team chose as a local priority; rank 1 is the most important."""

    objective: str = Field(min_length=1, description="id of a health objective in the product 2 content")
    rank: int = Field(ge=1, le=50, description="1 = most important; no two priorities share a rank")
    why: LongText = ""


class PriorityAction(Model):
    """What the partners will do on one objective, who leads, by when and how progress is measured."""

    objective: str = Field(min_length=1, description="id of a health objective in the product 2 content")
    what: ShortText = Field(min_length=1)
    lead: Lead = "joint"
    by_when: date | None = None
    measure: ShortText = Field(default="", description="how progress is measured, e.g. a measure in the content")
    status: ActionStatus = ActionStatus.NOT_STARTED


class HealthPrioritiesSection(Model):
    """What the team enters in product 2."""

    priorities: list[LocalPriority] = Field(default_factory=list)
    actions: list[PriorityAction] = Field(default_factory=list)
    notes: LongText = ""


def check(section: HealthPrioritiesSection) -> Iterator[Problem]:
    """Priorities and actions must name objectives that exist; no objective or rank is used twice."""
    known = objective_titles()
    expected = "one of the health objective ids: " + ", ".join(known)
    ranks: dict[int, str] = {}
    chosen: set[str] = set()
    for i, priority in enumerate(section.priorities):
        if priority.objective not in known:
            yield ("priorities", i, "objective"), expected
        elif priority.objective in chosen:
            yield ("priorities", i, "objective"), f"an objective listed once ({priority.objective!r} is listed twice)"
        chosen.add(priority.objective)
        if priority.rank in ranks:
            yield (
                ("priorities", i, "rank"),
                (f"a rank no other priority has (rank {priority.rank} is also given to {ranks[priority.rank]!r})"),
            )
        ranks.setdefault(priority.rank, priority.objective)
    for i, action in enumerate(section.actions):
        if action.objective not in known:
            yield ("actions", i, "objective"), expected
