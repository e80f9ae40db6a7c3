"""Product 3's section of the plan: respondents' ratings of the factors and the actions agreed."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ...core.plan import Action, LongText, Model, Sector, ShortText
from ...core.product import Problem


class FactorRating(Model):
    """One respondent's rating of one factor: a point of the scale (or none yet) and the evidence."""

    score: int | None = Field(default=None, ge=1, le=4)
    evidence: LongText = ""


class Respondent(Model):
    """Someone taking part, their sector and their ratings by factor id."""

    name: ShortText = Field(min_length=1, description="a name or an anonymous label such as 'Respondent A'")
    sector: Sector
    ratings: dict[str, FactorRating] = Field(default_factory=dict, description="factor id -> rating")


class FactorAction(Action):
    """An action agreed to strengthen one factor."""

    factor: str = Field(min_length=1, description="id of the factor this action strengthens")


class SelfAssessmentSection(Model):
    """What the team enters in product 3."""

    respondents: list[Respondent] = Field(default_factory=list)
    actions: list[FactorAction] = Field(default_factory=list)
    discussion: LongText = ""


def check(section: SelfAssessmentSection) -> Iterator[Problem]:
    """Ratings and actions must name factors that exist in the content."""
    from .content import factor_titles

    known = factor_titles()
    expected = "one of the factor ids: " + ", ".join(known)
    for i, respondent in enumerate(section.respondents):
        for factor_id in respondent.ratings:
            if factor_id not in known:
                yield ("respondents", i, "ratings", factor_id), expected
    for i, action in enumerate(section.actions):
        if action.factor not in known:
            yield ("actions", i, "factor"), expected
