"""Product 7, "Hearing from others...": a library of practitioners' perspectives on what helps or
hinders joint working, tagged by theme and as a barrier or an enabler, with a note on what holds
today; the team's own interviews, tagged the same way; and a thematic summary of both.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercises). The notebook calls the names re-exported here.
"""

from ...core.product import Product, ReportPart, SummaryColumn
from .calculations import filter_perspectives, most_common_barrier, theme_counts
from .content import (
    KINDS,
    SLUG,
    content,
    content_checks,
    entry_themes,
    interview_questions,
    perspectives,
    theme_id,
    theme_ids,
    theme_titles,
    themes,
)
from .edits import add_interview, interview_fields, remove_interview, section, update_interview
from .forms import INTERVIEWS, exercise, explore, suggested_questions
from .model import Interview, InterviewsSection, check
from .views import (
    interviews_table,
    library,
    place_name,
    questions_table,
    render_perspectives,
    sources,
    theme_chart,
    themes_table,
)

PRODUCT = Product(
    number=7,
    slug=SLUG,
    title="Hearing from others: practitioners on barriers and good practice",
    section=InterviewsSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "interviews", "the team's own interviews (product 7)", lambda plan: len(section(plan).interviews)
        ),
    ),
    report=(ReportPart("The team's interviews", interviews_table),),  # the themes chart counts the library too
    workbook=(ReportPart("Interviews", interviews_table),),
)

__all__ = [
    "INTERVIEWS",
    "KINDS",
    "PRODUCT",
    "SLUG",
    "Interview",
    "InterviewsSection",
    "add_interview",
    "check",
    "content",
    "content_checks",
    "entry_themes",
    "exercise",
    "explore",
    "filter_perspectives",
    "interview_fields",
    "interview_questions",
    "interviews_table",
    "library",
    "most_common_barrier",
    "perspectives",
    "place_name",
    "questions_table",
    "remove_interview",
    "render_perspectives",
    "section",
    "sources",
    "suggested_questions",
    "theme_chart",
    "theme_counts",
    "theme_id",
    "theme_ids",
    "theme_titles",
    "themes",
    "themes_table",
    "update_interview",
]
