"""Product 1, "Introduction and start": choose an area or start its plan, record the team, see the
suite and the team's progress through it, health and the five Every Child Matters outcomes, the
emotional health and well-being strand, case studies and a then-and-now glossary.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercises). The notebook calls the names re-exported here.
:func:`progress` works for any plan: it reads the products from the plan's own suite.
"""

from ...core.product import Product, ReportPart
from .calculations import MAX_MATCHES, coterminosity, find_matches, icb_list, progress, section_entries
from .content import SLUG, content, content_checks, outcome_titles, outcomes, suite_entries
from .edits import TEAM_FIELDS, section, set_outcome_note, set_team_detail, start_plan
from .forms import area_picker, exercise, outcome_exercise
from .model import IntroductionSection, check
from .views import (
    app_area_note,
    area_facts,
    area_matches,
    case_studies,
    ecm_outcomes,
    emotional_health,
    facts_of,
    glossary,
    outcome_count,
    outcome_notes_table,
    parameters_note,
    progress_chart,
    progress_table,
    sources,
    suite,
    team_details,
)

PRODUCT = Product(
    number=1,
    slug=SLUG,
    title="Introduction: health and the Every Child Matters outcomes",
    section=IntroductionSection,
    check=check,
    content_checks=content_checks,
    report=(ReportPart("The team", team_details),),
    workbook=(ReportPart("The team", team_details), ReportPart("Notes on the outcomes", outcome_notes_table)),
)

__all__ = [
    "MAX_MATCHES",
    "PRODUCT",
    "SLUG",
    "TEAM_FIELDS",
    "IntroductionSection",
    "app_area_note",
    "area_facts",
    "area_matches",
    "area_picker",
    "case_studies",
    "check",
    "content",
    "content_checks",
    "coterminosity",
    "ecm_outcomes",
    "emotional_health",
    "exercise",
    "facts_of",
    "find_matches",
    "glossary",
    "icb_list",
    "outcome_count",
    "outcome_exercise",
    "outcome_notes_table",
    "outcome_titles",
    "outcomes",
    "parameters_note",
    "progress",
    "progress_chart",
    "progress_table",
    "section",
    "section_entries",
    "set_outcome_note",
    "set_team_detail",
    "sources",
    "start_plan",
    "suite",
    "suite_entries",
    "team_details",
]
