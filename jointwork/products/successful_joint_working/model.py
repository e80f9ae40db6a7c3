"""Product 3's section of the plan: the actions the group agrees and its discussion.

Each partner's ratings are responses (:mod:`jointwork.core.responses`), kept apart from the plan.
A schema 1 plan held them here, as ``respondents``: :data:`LEGACY` says how they move out.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ...core.plan import Action, LongText, Model, Sector, ShortText
from ...core.product import LegacyAnswers, MovedAnswers, Problem


class FactorRating(Model):
    """(Schema 1 plans) One respondent's rating of one factor: a point of the scale (or none yet) and the evidence."""

    score: int | None = Field(default=None, ge=1, le=4)
    evidence: LongText = ""


class Respondent(Model):
    """(Schema 1 plans) Someone taking part, their sector and their ratings by factor id."""

    name: ShortText = Field(min_length=1, description="a name or an anonymous label such as 'Respondent A'")
    sector: Sector
    ratings: dict[str, FactorRating] = Field(default_factory=dict, description="factor id -> rating")


class FactorAction(Action):
    """An action agreed to strengthen one factor."""

    factor: str = Field(min_length=1, description="id of the factor this action strengthens")


class SelfAssessmentSection(Model):
    """What the group decides in product 3 (each partner's ratings are responses, not in the plan)."""

    actions: list[FactorAction] = Field(default_factory=list)
    discussion: LongText = ""


class SelfAssessmentSectionV1(SelfAssessmentSection):
    """Product 3's section in a schema 1 plan: the respondents and their ratings were held here."""

    respondents: list[Respondent] = Field(default_factory=list)


def moved_answers(section: SelfAssessmentSectionV1) -> list[MovedAnswers]:
    """Each respondent of a schema 1 plan, in order, as (sector, name, answers): every score and note."""
    return [
        (
            r.sector,
            r.name,
            {
                factor_id: {"value": rating.score, "note": rating.evidence}
                for factor_id, rating in r.ratings.items()
                if rating.score is not None or rating.evidence
            },
        )
        for r in section.respondents
    ]


LEGACY = LegacyAnswers(
    section=SelfAssessmentSectionV1,
    round_name="Ratings from the plan",
    answers=moved_answers,
    keep=lambda section: section.model_dump(mode="json", exclude={"respondents"}, exclude_defaults=True),
)


def check(section: SelfAssessmentSection) -> Iterator[Problem]:
    """Ratings (in a schema 1 plan) and actions must name factors that exist in the content."""
    from .content import factor_titles

    known = factor_titles()
    expected = "one of the factor ids: " + ", ".join(known)
    for i, respondent in enumerate(getattr(section, "respondents", [])):
        for factor_id in respondent.ratings:
            if factor_id not in known:
                yield ("respondents", i, "ratings", factor_id), expected
    for i, action in enumerate(section.actions):
        if action.factor not in known:
            yield ("actions", i, "factor"), expected
