"""Product 1's section of the plan: the team, its hopes and its notes on the outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import Field

from ...core.plan import LongText, Model, ShortText
from ...core.product import Problem
from .content import outcome_titles


class IntroductionSection(Model):
    """What the team enters in product 1."""

    team_name: ShortText = ""
    facilitator: ShortText = ""
    workshop_date: date | None = None
    hopes: LongText = ""
    outcome_notes: dict[str, LongText] = Field(default_factory=dict, description="ECM outcome id -> note")


def check(section: IntroductionSection) -> Iterator[Problem]:
    """Outcome notes must be keyed by the id of an Every Child Matters outcome in the content."""
    known = outcome_titles()
    expected = "one of the Every Child Matters outcome ids: " + ", ".join(known)
    for outcome_id in section.outcome_notes:
        if outcome_id not in known:
            yield ("outcome_notes", outcome_id), expected
