"""Product 3, "Successful joint working needs...": factors, barriers, essential actions and a
self-assessment rated by several respondents from each sector.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercises). The notebook calls the names re-exported here.
"""

from ...core.plan import Sector
from ...core.product import Product, ReportPart, SummaryColumn
from .calculations import MAX_SCORE, disagreement, scores, sector_means, weakest_factors
from .content import SLUG, content, content_checks, factor_titles, factors, scale_labels
from .edits import add_action, add_respondent, remove_action, section, set_action_status, set_rating, update_action
from .forms import ACTIONS, action_exercise, exercise, rating_scale
from .model import FactorAction, FactorRating, Respondent, SelfAssessmentSection, check
from .questionnaire import QUESTIONNAIRE
from .views import (
    action_list,
    barriers_table,
    disagreements,
    essential_actions_table,
    framework,
    ratings_table,
    respondents_table,
    scores_chart,
    scores_table,
    sources,
)


def _score_column(label: str, key: str, who: str) -> SummaryColumn:
    return SummaryColumn(
        f"score_{key}",
        f"self-assessment: mean score (1-{MAX_SCORE}) over the factors, {who}",
        lambda plan: sector_means(section(plan))[label] if section(plan).respondents else None,
        heading=f"Self-assessment mean score (1 to {MAX_SCORE}), {who}",
        chart=f"Self-assessment mean score by sector (1 to {MAX_SCORE})" if key != "all" else "",
        maximum=MAX_SCORE,
    )


PRODUCT = Product(
    number=3,
    slug=SLUG,
    title="Successful joint working needs...",
    section=SelfAssessmentSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "respondents",
            "people who rated the factors in the self-assessment (product 3)",
            lambda plan: len(section(plan).respondents),
        ),
        *(_score_column(s.label, s.value.replace(" ", "_"), f"{s.value} respondents") for s in Sector),
        _score_column("all", "all", "every respondent"),
    ),
    report=(
        ReportPart("Scores by factor and sector", scores_table),
        ReportPart("Scores chart", scores_chart),
        ReportPart("Where the sectors disagree", disagreements),
        ReportPart("Actions for the weakest factors", action_list),
    ),
    workbook=(
        ReportPart("Ratings", ratings_table),
        ReportPart("Scores", scores_table),
        ReportPart("Actions on the factors", action_list),
    ),
    questionnaire=QUESTIONNAIRE,
)

__all__ = [
    "ACTIONS",
    "MAX_SCORE",
    "PRODUCT",
    "SLUG",
    "FactorAction",
    "FactorRating",
    "Respondent",
    "SelfAssessmentSection",
    "action_exercise",
    "action_list",
    "add_action",
    "add_respondent",
    "barriers_table",
    "check",
    "content",
    "content_checks",
    "disagreement",
    "disagreements",
    "essential_actions_table",
    "exercise",
    "factor_titles",
    "factors",
    "framework",
    "rating_scale",
    "ratings_table",
    "remove_action",
    "respondents_table",
    "scale_labels",
    "scores",
    "scores_chart",
    "scores_table",
    "section",
    "sector_means",
    "set_action_status",
    "set_rating",
    "sources",
    "update_action",
    "weakest_factors",
]
