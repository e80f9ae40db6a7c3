"""Product 5's section of the plan: dates, owners, RAG status and RACI roles per activity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal, get_args

from pydantic import Field, model_validator

from ...core.plan import LongText, Model, Rag, ShortText
from ...core.product import Problem

RaciLetter = Literal["R", "A", "C", "I"]
RACI_LETTERS: tuple[str, ...] = get_args(RaciLetter)


class ActivityPlan(Model):
    """The team's plan for one activity: dates, an owner, a RAG status and who does what (RACI)."""

    activity: str = Field(min_length=1, description="id of an activity in the product 5 content")
    start: date | None = None
    end: date | None = None
    owner: ShortText = ""
    rag: Rag | None = None
    raci: dict[str, RaciLetter] = Field(default_factory=dict, description="role id -> R/A/C/I")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ActivityPlan:
        if self.start and self.end and self.end < self.start:
            raise ValueError(
                f"an end date on or after the start date (activity {self.activity!r} starts "
                f"{self.start.isoformat()} but ends {self.end.isoformat()})"
            )
        return self


class StagePlanSection(Model):
    """What the team enters in product 5: at most one plan per activity, and notes on the plan."""

    activities: list[ActivityPlan] = Field(default_factory=list, description="at most one entry per activity")
    notes: LongText = ""

    @model_validator(mode="after")
    def _one_entry_per_activity(self) -> StagePlanSection:
        seen: set[str] = set()
        for item in self.activities:
            if item.activity in seen:
                raise ValueError(f"each activity at most once, but {item.activity!r} appears more than once")
            seen.add(item.activity)
        return self


def check(section: StagePlanSection) -> Iterator[Problem]:
    """Planned activities and their RACI entries must name activities and roles that exist."""
    from .content import activity_titles, raci_roles

    known_activities = activity_titles()
    known_roles = [r.id for r in raci_roles()]
    expected_activity = "one of the activity ids: " + ", ".join(known_activities)
    expected_role = "one of the RACI role ids: " + ", ".join(known_roles)
    for i, item in enumerate(section.activities):
        if item.activity not in known_activities:
            yield ("activities", i, "activity"), expected_activity
        for role_id in item.raci:
            if role_id not in known_roles:
                yield ("activities", i, "raci", role_id), expected_role
