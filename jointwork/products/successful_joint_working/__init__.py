"""Product 3, "Successful joint working needs...": factors, barriers, essential actions and a
self-assessment each partner rates on their own (responses, in rounds), from each sector.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercises). The notebook calls the names re-exported here.
"""

from ...core.plan import Sector
from ...core.product import Product, ReportPart, SummaryColumn
from ...core.responses import answers_of
from .calculations import (
    MAX_SCORE,
    MIN_GROUP,
    agreement_words,
    change,
    disagreement,
    hidden_sectors,
    principle_means,
    scores,
    sector_means,
    weakest_factors,
)
from .content import SLUG, content, content_checks, factor_titles, factors, scale_labels
from .edits import add_action, remove_action, section, set_action_status, update_action, with_rating
from .forms import ACTIONS, action_exercise, exercise, rating_scale
from .model import LEGACY, FactorAction, FactorRating, Respondent, SelfAssessmentSection, check
from .questionnaire import QUESTIONNAIRE
from .views import (
    action_list,
    barriers_table,
    change_chart,
    change_table,
    disagreements,
    essential_actions_table,
    framework,
    principles_chart,
    ratings_table,
    respondents_table,
    scores_chart,
    scores_table,
    sources,
)


def _score_column(label: str, key: str, who: str) -> SummaryColumn:
    def value(plan: object, responses: object = None) -> float | None:
        return sector_means(answers_of(responses, SLUG))[label]  # type: ignore[arg-type]

    return SummaryColumn(
        f"score_{key}",
        f"self-assessment: mean score (1-{MAX_SCORE}) over the factors in the current round, {who} "
        f"(empty for a sector fewer than {MIN_GROUP} answered in when some answered anonymously)",
        value,
        heading=f"Self-assessment mean score (1 to {MAX_SCORE}), {who}",
        chart=f"Self-assessment mean score by sector (1 to {MAX_SCORE})" if key != "all" else "",
        maximum=MAX_SCORE,
    )


def _respondents(plan: object, responses: object = None) -> int:
    return len(answers_of(responses, SLUG))  # type: ignore[arg-type]


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
            "people who answered the self-assessment (product 3) in its current round",
            _respondents,
        ),
        *(_score_column(s.label, s.value.replace(" ", "_"), f"{s.value} respondents") for s in Sector),
        _score_column("all", "all", "every respondent"),
    ),
    report=(
        ReportPart("Scores chart", scores_chart),
        ReportPart("Scores by factor and sector", scores_table),
        ReportPart("Where the sectors disagree", disagreements),
        ReportPart("Change since the previous round", change_table),
        ReportPart("Scores by principle", principles_chart),
        ReportPart("Actions for the weakest factors", action_list),
    ),
    workbook=(
        ReportPart("Ratings", ratings_table),
        ReportPart("Scores", scores_table),
        ReportPart("Change since last round", change_table),
        ReportPart("Actions on the factors", action_list),
    ),
    questionnaire=QUESTIONNAIRE,
    legacy=LEGACY,
)

__all__ = [
    "ACTIONS",
    "LEGACY",
    "MAX_SCORE",
    "MIN_GROUP",
    "PRODUCT",
    "QUESTIONNAIRE",
    "SLUG",
    "FactorAction",
    "FactorRating",
    "Respondent",
    "SelfAssessmentSection",
    "action_exercise",
    "action_list",
    "add_action",
    "agreement_words",
    "barriers_table",
    "change",
    "change_chart",
    "change_table",
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
    "hidden_sectors",
    "principle_means",
    "principles_chart",
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
    "sources",
    "update_action",
    "weakest_factors",
    "with_rating",
]
