"""Product 7's section of the plan: the team's own interviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import Field

from ...core.plan import LongText, Model, Sector, ShortText
from ...core.product import Problem
from .content import Kind, theme_titles


class Interview(Model):
    """One of the team's own interviews, tagged like the perspectives in the product 7 library."""

    interviewee: ShortText = Field(min_length=1, description="a name or role")
    role: ShortText = ""
    sector: Sector = Sector.OTHER
    summary: LongText = Field(min_length=1, description="what they said, in the team's words")
    kind: Kind
    themes: list[str] = Field(
        default_factory=list, description="theme ids from the product 7 content, e.g. data_sharing"
    )
    interviewed_on: date | None = None


class InterviewsSection(Model):
    """What the team enters in product 7: its own interviews."""

    interviews: list[Interview] = Field(default_factory=list)


def check(section: InterviewsSection) -> Iterator[Problem]:
    """The team's interviews must be tagged with theme ids that exist in the content."""
    known = theme_titles()
    expected = "one of the theme ids: " + ", ".join(known)
    for i, interview in enumerate(section.interviews):
        for j, tid in enumerate(interview.themes):
            if tid not in known:
                yield ("interviews", i, "themes", j), expected
